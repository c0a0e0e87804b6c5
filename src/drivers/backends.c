// SPDX-License-Identifier: MIT
/*
 * backends.c - which optional backends this library was built with
 * (meson defines UNETDEV_HAVE_PCAP / UNETDEV_HAVE_AF_XDP when libpcap /
 * libxdp + libbpf are found), and stubs for the ones left out so that
 * callers link either way and get -EOPNOTSUPP with a message.
 */
#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <unetdev/backends.h>

#ifndef AF_XDP
#define AF_XDP 44
#endif

bool unetdev_backend_available(const char *name)
{
	if (!name)
		return false;
	if (!strcmp(name, "tap") || !strcmp(name, "af_packet"))
		return true;
#ifdef UNETDEV_HAVE_PCAP
	if (!strcmp(name, "pcap"))
		return true;
#endif
#ifdef UNETDEV_HAVE_AF_XDP
	if (!strcmp(name, "af_xdp")) {
		/* The kernel must know the family; EPERM/EACCES still means it exists. */
		int fd = socket(AF_XDP, SOCK_RAW | SOCK_CLOEXEC, 0);

		if (fd >= 0)
			close(fd);
		return fd >= 0 || (errno != EAFNOSUPPORT && errno != EINVAL);
	}
#endif
	return false;
}

#ifndef UNETDEV_HAVE_PCAP
int unetdev_pcap_create(struct net *net, const char *name, const struct unetdev_pcap_config *cfg,
			struct net_device **out)
{
	netdev_err(NULL, "pcap: this unetdev was built without libpcap (libpcap-dev)");
	return -EOPNOTSUPP;
}

int unetdev_pcap_stats(struct net_device *dev, struct unetdev_pcap_stats *st)
{
	return -EINVAL;
}
#endif

#ifndef UNETDEV_HAVE_AF_XDP
int unetdev_af_xdp_create(struct net *net, const char *name,
			  const struct unetdev_af_xdp_config *cfg, struct net_device **out)
{
	netdev_err(NULL, "af_xdp: this unetdev was built without libxdp/libbpf (libxdp-dev)");
	return -EOPNOTSUPP;
}

int unetdev_af_xdp_stats(struct net_device *dev, struct unetdev_backend_stats *st, bool *zerocopy)
{
	return -EINVAL;
}
#endif
