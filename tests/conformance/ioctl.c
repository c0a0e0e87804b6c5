// SPDX-License-Identifier: MIT
/*
 * Conformance: the SIOC* interface ioctls (dev_ioctl). The core answers
 * SIOC[GS]IFMTU, SIOC[GS]IFFLAGS and SIOCGIFINDEX itself; device-private and
 * MII commands reach ndo_do_ioctl under rtnl in process context (R-SYNC-3,
 * D13).
 */
#include <unetdev/unetdev.h>

#include "harness.h"
#include "netdev_util.h"

static struct ifreq req(const char *name)
{
	struct ifreq ifr;

	memset(&ifr, 0, sizeof(ifr));
	memcpy(ifr.ifr_name, name, strnlen(name, sizeof(ifr.ifr_name) - 1));
	return ifr;
}

TEST(r_sync_3_core_answers_mtu_ioctls)
{
	struct net_device *dev = tu_td_new("io%d", NULL, false);
	struct ifreq ifr = req(dev->name);

	ASSERT_EQ(dev_ioctl(&init_net, SIOCGIFMTU, &ifr), 0);
	ASSERT_EQ(ifr.ifr_ifru.ifru_mtu, 1500);
	ifr.ifr_ifru.ifru_mtu = 1400;
	ASSERT_EQ(dev_ioctl(&init_net, SIOCSIFMTU, &ifr), 0);
	ASSERT_EQ(dev->mtu, 1400);
	ASSERT_TRUE(unetdev_testdrv_last(dev, "ndo_change_mtu")->rtnl);
	ifr.ifr_ifru.ifru_mtu = 10;
	ASSERT_EQ(dev_ioctl(&init_net, SIOCSIFMTU, &ifr), -EINVAL);
	ASSERT_EQ(dev_ioctl(&init_net, SIOCGIFMTU, &ifr), 0);
	ASSERT_EQ(ifr.ifr_ifru.ifru_mtu, 1400);
	ASSERT_FALSE(rtnl_is_locked());
	tu_del(dev);
}

TEST(r_sync_3_core_answers_flags_and_index)
{
	struct net_device *dev = tu_td_new("io%d", NULL, false);
	struct ifreq ifr = req(dev->name);

	ASSERT_EQ(dev_ioctl(&init_net, SIOCGIFINDEX, &ifr), 0);
	ASSERT_EQ(ifr.ifr_ifru.ifru_ivalue, dev->ifindex);
	ASSERT_EQ(dev_ioctl(&init_net, SIOCGIFFLAGS, &ifr), 0);
	ASSERT_FALSE(ifr.ifr_ifru.ifru_flags & IFF_UP);
	ifr.ifr_ifru.ifru_flags = (short)(ifr.ifr_ifru.ifru_flags | IFF_UP);
	ASSERT_EQ(dev_ioctl(&init_net, SIOCSIFFLAGS, &ifr), 0); /* opens the device */
	ASSERT_TRUE(netif_running(dev));
	ASSERT_EQ(unetdev_testdrv_count(dev, "ndo_open"), 1);
	ASSERT_EQ(dev_ioctl(&init_net, SIOCGIFFLAGS, &ifr), 0);
	ASSERT_TRUE(ifr.ifr_ifru.ifru_flags & IFF_UP);
	ASSERT_TRUE(ifr.ifr_ifru.ifru_flags & IFF_RUNNING);
	tu_del(dev);
}

TEST(r_sync_3_alias_suffix_is_stripped)
{
	struct net_device *dev = tu_td_new("io%d", NULL, false);
	char name[IFNAMSIZ + 8];
	struct ifreq ifr;

	snprintf(name, sizeof(name), "%s:1", dev->name);
	ifr = req(name);
	ASSERT_EQ(dev_ioctl(&init_net, SIOCGIFINDEX, &ifr), 0);
	ASSERT_EQ(ifr.ifr_ifru.ifru_ivalue, dev->ifindex);
	tu_del(dev);
}

TEST(r_sync_3_private_ioctls_reach_driver_under_rtnl)
{
	struct net_device *dev = tu_td_new("io%d", NULL, false);
	struct ifreq ifr = req(dev->name);
	const unsigned int cmds[] = {SIOCDEVPRIVATE, SIOCDEVPRIVATE + 15, SIOCGMIIPHY, SIOCGMIIREG,
				     SIOCSMIIREG};
	const struct unetdev_testdrv_call *c;

	for (size_t i = 0; i < ARRAY_SIZE(cmds); i++) {
		ASSERT_EQ(dev_ioctl(&init_net, cmds[i], &ifr), 0);
		c = unetdev_testdrv_last(dev, "ndo_do_ioctl");
		ASSERT_NOT_NULL(c);
		ASSERT_EQ(c->arg, (int)cmds[i]);
		ASSERT_TRUE(c->rtnl);
		ASSERT_TRUE(c->in_task);
		ASSERT_FALSE(c->bh_off);
	}
	ASSERT_EQ(unetdev_testdrv_count(dev, "ndo_do_ioctl"), (int)ARRAY_SIZE(cmds));
	tu_del(dev);
}

TEST(r_sync_3_driver_result_is_returned)
{
	struct unetdev_testdrv_config cfg = {.ioctl_ret = -EPERM};
	struct net_device *dev = tu_td_new("io%d", NULL, false);
	struct ifreq ifr = req(dev->name);

	unetdev_testdrv_configure(dev, &cfg);
	ASSERT_EQ(dev_ioctl(&init_net, SIOCDEVPRIVATE + 1, &ifr), -EPERM);
	tu_del(dev);
}

TEST(r_sync_3_unknown_device_or_command)
{
	struct net_device *dev = tu_td_new("io%d", NULL, false);
	struct ifreq ifr = req("nosuchdev0");

	ASSERT_EQ(dev_ioctl(&init_net, SIOCGIFMTU, &ifr), -ENODEV);
	ASSERT_EQ(dev_ioctl(&init_net, SIOCSIFMTU, &ifr), -ENODEV);
	ASSERT_EQ(dev_ioctl(&init_net, SIOCDEVPRIVATE, &ifr), -ENODEV);
	ifr = req(dev->name);
	ASSERT_EQ(dev_ioctl(&init_net, 0x89ff + 1, &ifr), -EOPNOTSUPP);
	ASSERT_EQ(dev_ioctl(&init_net, SIOCDEVPRIVATE - 1, &ifr), -EOPNOTSUPP);
	ASSERT_EQ(unetdev_testdrv_count(dev, "ndo_do_ioctl"), 0);
	tu_del(dev);
}

TEST(r_sync_3_detached_device_is_enodev)
{
	struct net_device *dev = tu_td_new("io%d", NULL, false);
	struct ifreq ifr = req(dev->name);

	netif_device_detach(dev);
	ASSERT_EQ(dev_ioctl(&init_net, SIOCDEVPRIVATE, &ifr), -ENODEV);
	ASSERT_EQ(unetdev_testdrv_count(dev, "ndo_do_ioctl"), 0);
	netif_device_attach(dev);
	tu_del(dev);
}

static netdev_tx_t plain_xmit(struct sk_buff *skb, struct net_device *dev)
{
	consume_skb(skb);
	return NETDEV_TX_OK;
}

static const struct net_device_ops plain_ops = {.ndo_start_xmit = plain_xmit};

static void plain_setup(struct net_device *dev)
{
	ether_setup(dev);
	dev->netdev_ops = &plain_ops;
}

TEST(r_sync_3_no_do_ioctl_is_eopnotsupp)
{
	struct net_device *dev = alloc_netdev(0, "iop%d", NET_NAME_USER, plain_setup);
	struct ifreq ifr;

	ASSERT_NOT_NULL(dev);
	ASSERT_EQ(register_netdev(dev), 0);
	ifr = req(dev->name);
	ASSERT_EQ(dev_ioctl(&init_net, SIOCGMIIPHY, &ifr), -EOPNOTSUPP);
	unregister_netdev(dev);
	free_netdev(dev);
}
