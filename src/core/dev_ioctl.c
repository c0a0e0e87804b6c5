// SPDX-License-Identifier: MIT
/*
 * dev_ioctl.c - the SIOC* interface ioctls (kernel net/core/dev_ioctl.c:
 * dev_ioctl, dev_ifsioc_locked, dev_ifsioc; D13 behaviour for the
 * device-private range). Rules R-SYNC-3, D13 ndo_do_ioctl.
 *
 * Reads (SIOCGIF*) look the device up under dev_base_lock held for reading,
 * as 2013 readers could (R-SYNC-13 [C13]); writes and device-private
 * commands run under rtnl in process context, which is what ndo_do_ioctl
 * is promised (R-SYNC-3).
 */
#include <string.h>

#include "internal.h"
#include "ndo.h"

/* Commands the driver answers: device-private and the MII ioctls (D13). */
static bool ioctl_is_driver_cmd(unsigned int cmd)
{
	if (cmd >= SIOCDEVPRIVATE && cmd <= SIOCDEVPRIVATE + 15)
		return true;
	return cmd == SIOCGMIIPHY || cmd == SIOCGMIIREG || cmd == SIOCSMIIREG;
}

/* Terminate the name and strip an alias suffix ("eth0:1" -> "eth0"). */
static void ioctl_fix_name(struct ifreq *ifr)
{
	char *colon;

	ifr->ifr_name[IFNAMSIZ - 1] = '\0';
	colon = strchr(ifr->ifr_name, ':');
	if (colon)
		*colon = '\0';
}

/* dev_ifsioc_locked: the read-only queries. */
static int dev_ifsioc_read(struct net *net, struct ifreq *ifr, unsigned int cmd)
    UNETDEV_NO_TSA /* dev_base_lock read side, see the file comment */
{
	struct net_device *dev;
	int ret = 0;

	read_lock(&dev_base_lock);
	dev = __dev_get_by_name(net, ifr->ifr_name);
	if (!dev) {
		ret = -ENODEV;
		goto out;
	}
	switch (cmd) {
	case SIOCGIFFLAGS:
		ifr->ifr_ifru.ifru_flags = (short)dev_get_flags(dev);
		break;
	case SIOCGIFMTU:
		ifr->ifr_ifru.ifru_mtu = (int)READ_ONCE(dev->mtu);
		break;
	case SIOCGIFINDEX:
		ifr->ifr_ifru.ifru_ivalue = dev->ifindex;
		break;
	default:
		ret = -EOPNOTSUPP;
		break;
	}
out:
	read_unlock(&dev_base_lock);
	return ret;
}

/*
 * The 2013 dev_ifsioc default branch: no ndo_do_ioctl -> -EOPNOTSUPP; a
 * detached device -> -ENODEV; otherwise the driver's answer.
 */
static int dev_ifsioc_driver(struct net_device *dev, struct ifreq *ifr, unsigned int cmd)
    UNETDEV_MUST_HOLD(rtnl_mutex)
{
	if (!ndo_has(dev, ndo_do_ioctl))
		return -EOPNOTSUPP;
	if (!netif_device_present(dev))
		return -ENODEV;
	return unetdev__ndo_do_ioctl(dev, ifr, (int)cmd);
}

/* dev_ifsioc: everything that changes state or reaches the driver. */
static int dev_ifsioc(struct net *net, struct ifreq *ifr, unsigned int cmd)
    UNETDEV_MUST_HOLD(rtnl_mutex)
{
	struct net_device *dev = __dev_get_by_name(net, ifr->ifr_name);

	if (!dev)
		return -ENODEV;
	switch (cmd) {
	case SIOCSIFFLAGS:
		/* The kernel hands the short over as is; unknown bits are masked. */
		return dev_change_flags(dev, (unsigned int)ifr->ifr_ifru.ifru_flags, NULL);
	case SIOCSIFMTU:
		return dev_set_mtu(dev, ifr->ifr_ifru.ifru_mtu);
	default:
		return dev_ifsioc_driver(dev, ifr, cmd);
	}
}

int dev_ioctl(struct net *net, unsigned int cmd, struct ifreq *ifr)
{
	int ret;

	if (!net || !ifr)
		return -EINVAL;
	ioctl_fix_name(ifr);
	switch (cmd) {
	case SIOCGIFFLAGS:
	case SIOCGIFMTU:
	case SIOCGIFINDEX:
		return dev_ifsioc_read(net, ifr, cmd);
	case SIOCSIFFLAGS:
	case SIOCSIFMTU:
		break;
	default:
		/* The kernel says -ENOTTY at the socket layer; the API says
		 * -EOPNOTSUPP for a command it does not know. */
		if (!ioctl_is_driver_cmd(cmd))
			return -EOPNOTSUPP;
		break;
	}
	might_sleep(); /* R-SYNC-3: process context */
	rtnl_lock();
	ret = dev_ifsioc(net, ifr, cmd);
	rtnl_unlock();
	return ret;
}
