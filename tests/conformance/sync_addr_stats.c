// SPDX-License-Identifier: MIT
/*
 * Conformance: the context of the address, stats, ioctl and "other" driver
 * callbacks (R-SYNC-3, R-SYNC-4, R-SYNC-7, R-SYNC-10), read from the
 * recording test driver's per-call records.
 */
#include <unetdev/unetdev.h>

#include "harness.h"
#include "netdev_util.h"

static const unsigned char MC[ETH_ALEN] = {0x01, 0x00, 0x5e, 0, 0, 0x07};
static const unsigned char UC[ETH_ALEN] = {0x02, 0, 0, 0, 0, 0x07};

static const struct unetdev_testdrv_call *last(struct net_device *dev, const char *op)
{
	const struct unetdev_testdrv_call *c = unetdev_testdrv_last(dev, op);

	if (!c)
		FAIL("%s was never called", op);
	return c;
}

TEST(r_sync_3_ndo_do_ioctl_rtnl_process_context)
{
	struct net_device *dev = tu_td_new("sy%d", NULL, true);
	const struct unetdev_testdrv_call *c;
	struct ifreq ifr;

	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", dev->name);
	ASSERT_EQ(dev_ioctl(&init_net, SIOCDEVPRIVATE + 3, &ifr), 0);
	c = last(dev, "ndo_do_ioctl");
	ASSERT_TRUE(c->rtnl);
	ASSERT_TRUE(c->in_task);
	ASSERT_FALSE(c->bh_off);
	ASSERT_FALSE(c->addr_lock);
	ASSERT_TRUE(c->present);
	tu_del(dev);
}

TEST(r_sync_4_ndo_get_stats_under_dev_base_lock)
{
	struct unetdev_testdrv_config cfg = {.no_get_stats64 = true};
	struct net_device *dev = tu_td_new("sy%d", &cfg, true);
	struct rtnl_link_stats64 s;
	const struct unetdev_testdrv_call *c;

	dev->stats.rx_packets = 3;
	dev_get_stats(dev, &s);
	ASSERT_UEQ(s.rx_packets, 3);
	c = last(dev, "ndo_get_stats");
	ASSERT_TRUE(c->base_lock_read); /* D13: dev_base_lock held for reading */
	ASSERT_FALSE(c->rtnl);		/* and nothing more is promised */
	ASSERT_EQ(unetdev_testdrv_count(dev, "ndo_get_stats64"), 0);
	tu_del(dev);
}

TEST(r_sync_7_ndo_set_rx_mode_addr_lock_bh_off)
{
	struct net_device *dev = tu_td_new("sy%d", NULL, true);
	const struct unetdev_testdrv_call *c;

	/* From every path that reaches it: mc add, uc add, explicit, open. */
	ASSERT_EQ(dev_mc_add(dev, MC), 0);
	c = last(dev, "ndo_set_rx_mode");
	ASSERT_TRUE(c->addr_lock && c->bh_off);
	rtnl_lock();
	ASSERT_EQ(dev_uc_add(dev, UC), 0);
	c = last(dev, "ndo_set_rx_mode");
	ASSERT_TRUE(c->addr_lock && c->bh_off);
	dev_set_rx_mode(dev);
	c = last(dev, "ndo_set_rx_mode");
	ASSERT_TRUE(c->addr_lock && c->bh_off);
	dev_close(dev);
	unetdev_testdrv_clear(dev);
	ASSERT_EQ(dev_open(dev, NULL), 0);
	rtnl_unlock();
	c = last(dev, "ndo_set_rx_mode");
	ASSERT_TRUE(c->addr_lock && c->bh_off);
	ASSERT_TRUE(c->up);
	tu_del(dev);
}

TEST(r_sync_10_other_ndos_under_rtnl)
{
	struct net_device *dev = tu_td_new("sy%d", NULL, true);
	struct sockaddr_hw sa = {.sa_family = ARPHRD_ETHER};

	memcpy(sa.sa_data, UC, ETH_ALEN);
	rtnl_lock();
	ASSERT_EQ(dev_set_mtu(dev, 1400), 0);
	ASSERT_EQ(dev_set_mac_address(dev, &sa, NULL), 0);
	ASSERT_EQ(dev_change_carrier(dev, false), 0);
	ASSERT_EQ(dev_uc_add(dev, UC), 0); /* promiscuity: ndo_change_rx_flags */
	rtnl_unlock();
	ASSERT_TRUE(last(dev, "ndo_change_mtu")->rtnl);
	ASSERT_TRUE(last(dev, "ndo_set_mac_address")->rtnl);
	ASSERT_TRUE(last(dev, "ndo_change_carrier")->rtnl);
	ASSERT_TRUE(last(dev, "ndo_change_rx_flags")->rtnl);
	ASSERT_TRUE(last(dev, "ndo_change_mtu")->in_task);
	ASSERT_FALSE(netif_carrier_ok(dev));
	tu_del(dev);
}

/* Deliberately without rtnl: the run-time checker must see what clang would. */
static int set_mtu_without_rtnl(struct net_device *dev, int mtu) UNETDEV_NO_TSA
{
	return dev_set_mtu(dev, mtu);
}

TEST(r_sync_10_missing_rtnl_is_reported)
{
	struct net_device *dev = tu_td_new("sy%d", NULL, false);

	expect_violations();
	ASSERT_EQ(set_mtu_without_rtnl(dev, 1400), 0); /* reported, carried out */
	ASSERT_GE(unetdev_check_count("R-SYNC-10"), 1);
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

TEST(r_sync_10_change_carrier_checks)
{
	struct net_device *dev = tu_td_new("sy%d", NULL, false);
	struct net_device *plain = alloc_netdev(0, "syp%d", NET_NAME_USER, plain_setup);

	ASSERT_NOT_NULL(plain);
	ASSERT_EQ(register_netdev(plain), 0);
	rtnl_lock();
	ASSERT_EQ(dev_change_carrier(plain, false), -EOPNOTSUPP); /* R-LINK-12 */
	rtnl_unlock();
	unregister_netdev(plain);
	free_netdev(plain);

	rtnl_lock();
	netif_device_detach(dev);
	ASSERT_EQ(dev_change_carrier(dev, false), -ENODEV); /* R-LINK-12 */
	netif_device_attach(dev);
	ASSERT_EQ(dev_change_carrier(dev, false), 0);
	ASSERT_FALSE(netif_carrier_ok(dev));
	ASSERT_EQ(dev_change_carrier(dev, true), 0);
	rtnl_unlock();
	ASSERT_TRUE(netif_carrier_ok(dev));
	tu_del(dev);
}
