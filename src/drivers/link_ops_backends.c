// SPDX-License-Identifier: MIT
/*
 * link_ops_backends.c - the rtnl_link_ops of the kernel-backed drivers
 * (kernel: the rtnl_link_ops of drivers/net/tun.c, whose IFLA_TUN_*
 * attributes the tap kind follows). Each kind parses its IFLA_INFO_DATA
 * (<unetdev/link_backends.h>) into the backend's config and calls its public
 * create function, which allocates and registers by itself: the create path
 * of <unetdev/rtnl_link.h>. Rule R-UNREG-17: the core frees these devices.
 */
#define _GNU_SOURCE /* setns */
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <unetdev/backends.h>
#include <unetdev/link_backends.h>

#define FILE_NAME_MAX 4095

/* A string attribute as a C string in @buf ("" when absent). */
static const char *attr_str(struct nlattr *data[], int type, char *buf, size_t len)
{
	buf[0] = 0;
	if (!data || !data[type])
		return NULL;
	snprintf(buf, len, "%.*s", nla_len(data[type]), (const char *)nla_data(data[type]));
	if (buf[0] == 0)
		return NULL;
	return buf;
}

static unsigned int attr_u32(struct nlattr *data[], int type, unsigned int def)
{
	return data && data[type] ? nla_get_u32(data[type]) : def;
}

static bool attr_u8(struct nlattr *data[], int type)
{
	return data && data[type] && *(const u8 *)nla_data(data[type]);
}

static int check_queues(unsigned int q, struct netlink_ext_ack *extack)
{
	if (q < 1 || q > UNETDEV_BACKEND_MAX_QUEUES) {
		NL_SET_ERR_MSG(extack, "Invalid number of queues (1..64)");
		return -EINVAL;
	}
	return 0;
}

/* The backends log the details; the requester gets the gist. */
static int create_error(int err, struct netlink_ext_ack *extack)
{
	switch (err) {
	case 0:
		break;
	case -EPERM:
	case -EACCES:
		NL_SET_ERR_MSG(extack,
			       "Permission denied by the kernel (CAP_NET_ADMIN/CAP_NET_RAW)");
		break;
	case -ENODEV:
		NL_SET_ERR_MSG(extack, "Kernel interface not found");
		break;
	case -EOPNOTSUPP:
		NL_SET_ERR_MSG(extack, "Backend not available in this build or kernel");
		break;
	case -ENOENT:
		NL_SET_ERR_MSG(extack, "Capture file not found");
		break;
	case -EBADMSG:
		NL_SET_ERR_MSG(extack, "Not a capture file, or a truncated one");
		break;
	case -EPROTONOSUPPORT:
		NL_SET_ERR_MSG(extack, "Capture is not Ethernet");
		break;
	case -EEXIST:
		NL_SET_ERR_MSG(extack, "Device name already in use");
		break;
	default:
		break;
	}
	return err;
}

/* ---- tap ---- */

static const struct nla_policy tap_policy[IFLA_UNETDEV_TAP_MAX + 1] = {
    [IFLA_UNETDEV_TAP_IFNAME] = {.type = NLA_STRING, .len = IFNAMSIZ - 1},
    [IFLA_UNETDEV_TAP_QUEUES] = {.type = NLA_U32},
    [IFLA_UNETDEV_TAP_VNET_HDR] = {.type = NLA_U8},
    [IFLA_UNETDEV_TAP_PERSIST] = {.type = NLA_U8},
    [IFLA_UNETDEV_TAP_NETNS] = {.type = NLA_STRING, .len = FILE_NAME_MAX},
};

/*
 * IFLA_UNETDEV_TAP_NETNS: the kernel TAP and its link watcher belong to the
 * network namespace of the thread that opens them (backend-tap.md), so the
 * calling thread enters the namespace for the create and leaves it after,
 * as `ip netns exec` would for a program. Moving the kernel TAP afterwards
 * (`ip link set ... netns`) looks like its removal to the watcher. A name
 * is one of `ip netns` (/run/netns/NAME); an absolute path is any namespace
 * file (/proc/PID/ns/net). Returns the fd of the thread's own namespace.
 */
static int netns_enter(const char *spec, struct netlink_ext_ack *extack)
{
	char path[FILE_NAME_MAX + 16];
	int self, target, err;

	if (spec[0] != '/' && (strchr(spec, '/') || !strcmp(spec, ".") || !strcmp(spec, ".."))) {
		NL_SET_ERR_MSG(extack, "Invalid network namespace name");
		return -EINVAL;
	}
	snprintf(path, sizeof(path), "%s%s", spec[0] == '/' ? "" : "/run/netns/", spec);
	target = open(path, O_RDONLY | O_CLOEXEC);
	if (target < 0) {
		err = -errno;
		NL_SET_ERR_MSG(extack, "Network namespace not found");
		return err;
	}
	self = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
	if (self < 0 || setns(target, CLONE_NEWNET)) {
		err = -errno;
		NL_SET_ERR_MSG(extack, err == -EINVAL ? "Not a network namespace"
						      : "Cannot enter the network namespace");
		if (self >= 0)
			close(self);
		close(target);
		return err;
	}
	close(target);
	return self;
}

static void netns_leave(int self)
{
	/* It entered another one with the same rights: failing to return would
	 * leave the caller's thread in the wrong namespace for good. */
	if (setns(self, CLONE_NEWNET))
		abort();
	close(self);
}

static int tap_validate(struct nlattr *tb[], struct nlattr *data[], struct netlink_ext_ack *extack)
{
	return check_queues(attr_u32(data, IFLA_UNETDEV_TAP_QUEUES, 1), extack);
}

static int tap_link_create(struct net *net, const char *ifname, struct nlattr *tb[],
			   struct nlattr *data[], struct netlink_ext_ack *extack)
{
	struct net_device *dev; /* registered; the core owns it (R-UNREG-17) */
	char kname[IFNAMSIZ];
	struct unetdev_tap_config cfg = {
	    .sz = sizeof(cfg),
	    .ifname = attr_str(data, IFLA_UNETDEV_TAP_IFNAME, kname, sizeof(kname)),
	    .queues = attr_u32(data, IFLA_UNETDEV_TAP_QUEUES, 1),
	    .vnet_hdr = attr_u8(data, IFLA_UNETDEV_TAP_VNET_HDR),
	    .persist = attr_u8(data, IFLA_UNETDEV_TAP_PERSIST),
	};
	char ns[FILE_NAME_MAX + 1];
	int self = -1, err;

	if (attr_str(data, IFLA_UNETDEV_TAP_NETNS, ns, sizeof(ns))) {
		self = netns_enter(ns, extack);
		if (self < 0)
			return self;
	}
	err = create_error(unetdev_tap_create(net, ifname, &cfg, &dev), extack);
	if (self >= 0)
		netns_leave(self);
	return err;
}

static struct rtnl_link_ops tap_link_ops = {
    .kind = "tap",
    .maxtype = IFLA_UNETDEV_TAP_MAX,
    .policy = tap_policy,
    .validate = tap_validate,
    .create = tap_link_create,
};

/* ---- af_packet ---- */

static const struct nla_policy pkt_policy[IFLA_UNETDEV_PKT_MAX + 1] = {
    [IFLA_UNETDEV_PKT_LINK] = {.type = NLA_STRING, .len = IFNAMSIZ - 1},
    [IFLA_UNETDEV_PKT_QUEUES] = {.type = NLA_U32},
    [IFLA_UNETDEV_PKT_QDISC_BYPASS] = {.type = NLA_U8},
};

/* af_packet and af_xdp: a kernel interface is required. */
static int need_link(struct nlattr *data[], int type, struct netlink_ext_ack *extack)
{
	if (!data || !data[type] || nla_len(data[type]) < 2) {
		NL_SET_ERR_MSG(extack, "Kernel interface (link) is required");
		return -EINVAL;
	}
	return 0;
}

static int pkt_validate(struct nlattr *tb[], struct nlattr *data[], struct netlink_ext_ack *extack)
{
	int err = need_link(data, IFLA_UNETDEV_PKT_LINK, extack);

	return err ? err : check_queues(attr_u32(data, IFLA_UNETDEV_PKT_QUEUES, 1), extack);
}

static int pkt_link_create(struct net *net, const char *ifname, struct nlattr *tb[],
			   struct nlattr *data[], struct netlink_ext_ack *extack)
{
	struct net_device *dev; /* registered; the core owns it (R-UNREG-17) */
	char kname[IFNAMSIZ];
	struct unetdev_af_packet_config cfg = {
	    .sz = sizeof(cfg),
	    .ifname = attr_str(data, IFLA_UNETDEV_PKT_LINK, kname, sizeof(kname)),
	    .queues = attr_u32(data, IFLA_UNETDEV_PKT_QUEUES, 1),
	    .qdisc_bypass = attr_u8(data, IFLA_UNETDEV_PKT_QDISC_BYPASS),
	};

	return create_error(unetdev_af_packet_create(net, ifname, &cfg, &dev), extack);
}

static struct rtnl_link_ops pkt_link_ops = {
    .kind = "af_packet",
    .maxtype = IFLA_UNETDEV_PKT_MAX,
    .policy = pkt_policy,
    .validate = pkt_validate,
    .create = pkt_link_create,
};

/* ---- af_xdp ---- */

static const struct nla_policy xdp_policy[IFLA_UNETDEV_XDP_MAX + 1] = {
    [IFLA_UNETDEV_XDP_LINK] = {.type = NLA_STRING, .len = IFNAMSIZ - 1},
    [IFLA_UNETDEV_XDP_QUEUES] = {.type = NLA_U32},
    [IFLA_UNETDEV_XDP_MODE] = {.type = NLA_U8},
    [IFLA_UNETDEV_XDP_FRAMES] = {.type = NLA_U32},
};

static int xdp_validate(struct nlattr *tb[], struct nlattr *data[], struct netlink_ext_ack *extack)
{
	int err = need_link(data, IFLA_UNETDEV_XDP_LINK, extack);

	if (!err && data[IFLA_UNETDEV_XDP_MODE] &&
	    *(const u8 *)nla_data(data[IFLA_UNETDEV_XDP_MODE]) > UNETDEV_XDP_ZEROCOPY) {
		NL_SET_ERR_MSG(extack, "Invalid AF_XDP mode");
		return -EINVAL;
	}
	return err ? err : check_queues(attr_u32(data, IFLA_UNETDEV_XDP_QUEUES, 1), extack);
}

static int xdp_link_create(struct net *net, const char *ifname, struct nlattr *tb[],
			   struct nlattr *data[], struct netlink_ext_ack *extack)
{
	struct net_device *dev; /* registered; the core owns it (R-UNREG-17) */
	char kname[IFNAMSIZ];
	struct unetdev_af_xdp_config cfg = {
	    .sz = sizeof(cfg),
	    .ifname = attr_str(data, IFLA_UNETDEV_XDP_LINK, kname, sizeof(kname)),
	    .queues = attr_u32(data, IFLA_UNETDEV_XDP_QUEUES, 1),
	    .mode = data && data[IFLA_UNETDEV_XDP_MODE]
			? *(const u8 *)nla_data(data[IFLA_UNETDEV_XDP_MODE])
			: UNETDEV_XDP_AUTO,
	    .frames = attr_u32(data, IFLA_UNETDEV_XDP_FRAMES, 0),
	};

	return create_error(unetdev_af_xdp_create(net, ifname, &cfg, &dev), extack);
}

static struct rtnl_link_ops xdp_link_ops = {
    .kind = "af_xdp",
    .maxtype = IFLA_UNETDEV_XDP_MAX,
    .policy = xdp_policy,
    .validate = xdp_validate,
    .create = xdp_link_create,
};

/* ---- pcap ---- */

static const struct nla_policy pcap_policy[IFLA_UNETDEV_PCAP_MAX + 1] = {
    [IFLA_UNETDEV_PCAP_RX_FILE] = {.type = NLA_STRING, .len = FILE_NAME_MAX},
    [IFLA_UNETDEV_PCAP_TX_FILE] = {.type = NLA_STRING, .len = FILE_NAME_MAX},
    [IFLA_UNETDEV_PCAP_PACE] = {.type = NLA_U8},
    [IFLA_UNETDEV_PCAP_LOOP] = {.type = NLA_U8},
    [IFLA_UNETDEV_PCAP_TX_FORMAT] = {.type = NLA_U8},
};

static int pcap_validate(struct nlattr *tb[], struct nlattr *data[], struct netlink_ext_ack *extack)
{
	if (data && data[IFLA_UNETDEV_PCAP_TX_FORMAT] &&
	    *(const u8 *)nla_data(data[IFLA_UNETDEV_PCAP_TX_FORMAT]) > UNETDEV_PCAP_FMT_PCAPNG) {
		NL_SET_ERR_MSG(extack, "Invalid capture file format");
		return -EINVAL;
	}
	return 0;
}

static int pcap_link_create(struct net *net, const char *ifname, struct nlattr *tb[],
			    struct nlattr *data[], struct netlink_ext_ack *extack)
{
	char rx[FILE_NAME_MAX + 1], tx[FILE_NAME_MAX + 1];
	struct net_device *dev;
	struct unetdev_pcap_config cfg = {
	    .sz = sizeof(cfg),
	    .rx_file = attr_str(data, IFLA_UNETDEV_PCAP_RX_FILE, rx, sizeof(rx)),
	    .tx_file = attr_str(data, IFLA_UNETDEV_PCAP_TX_FILE, tx, sizeof(tx)),
	    .pace = attr_u8(data, IFLA_UNETDEV_PCAP_PACE),
	    .loop = attr_u8(data, IFLA_UNETDEV_PCAP_LOOP),
	    .tx_format = data && data[IFLA_UNETDEV_PCAP_TX_FORMAT]
			     ? *(const u8 *)nla_data(data[IFLA_UNETDEV_PCAP_TX_FORMAT])
			     : UNETDEV_PCAP_FMT_PCAP,
	};

	return create_error(unetdev_pcap_create(net, ifname, &cfg, &dev), extack);
}

static struct rtnl_link_ops pcap_link_ops = {
    .kind = "pcap",
    .maxtype = IFLA_UNETDEV_PCAP_MAX,
    .policy = pcap_policy,
    .validate = pcap_validate,
    .create = pcap_link_create,
};

/* ---- registration ---- */

static struct rtnl_link_ops *const backend_ops[] = {
    &tap_link_ops,
    &pkt_link_ops,
    &xdp_link_ops,
    &pcap_link_ops,
};
#define N_BACKENDS (sizeof(backend_ops) / sizeof(backend_ops[0]))

int unetdev_link_ops_register_backends(void)
{
	int err;

	for (size_t i = 0; i < N_BACKENDS; i++) {
		err = rtnl_link_register(backend_ops[i]);
		if (err) {
			while (i--)
				rtnl_link_unregister(backend_ops[i]);
			return err;
		}
	}
	return 0;
}

void unetdev_link_ops_unregister_backends(void)
{
	for (size_t i = N_BACKENDS; i--;)
		rtnl_link_unregister(backend_ops[i]);
}
