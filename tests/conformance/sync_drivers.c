// SPDX-License-Identifier: MIT
/*
 * Conformance: the context of the datapath callbacks, read from the
 * recording test driver (rules section 18):
 *   R-SYNC-5  ndo_start_xmit: the queue's _xmit_lock held (not for LLTX),
 *             BHs disabled; from process context and from the TX softirq;
 *   R-SYNC-6  ndo_tx_timeout: netif_tx_lock held, every queue frozen, BHs
 *             disabled, the stuck queue as argument;
 *   R-SYNC-8  napi->poll: BHs disabled, SCHED owned.
 */
#include <arpa/inet.h>
#include <unetdev/engine.h>
#include <unetdev/timer.h>
#include <unetdev/unetdev.h>

#include "harness.h"

static const unsigned char bcast[ETH_ALEN] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff};

static struct sk_buff *frame(struct net_device *dev, u32 hash)
{
	struct sk_buff *skb = netdev_alloc_skb(dev, ETH_HLEN + 32);
	struct ethhdr *eth;

	ASSERT_NOT_NULL(skb);
	eth = skb_put(skb, ETH_HLEN);
	memcpy(eth->h_dest, bcast, ETH_ALEN);
	memcpy(eth->h_source, dev->dev_addr, ETH_ALEN);
	eth->h_proto = htons(ETH_P_IP);
	memset(skb_put(skb, 32), 0, 32);
	skb->hash = hash;
	return skb;
}

/* A registered, running test device with @txqs queues configured by @cfg. */
static struct net_device *td_up(unsigned int txqs, const struct unetdev_testdrv_config *cfg,
				int watchdog_timeo)
{
	struct net_device *dev = unetdev_testdrv_alloc(NULL, txqs);

	ASSERT_NOT_NULL(dev);
	if (cfg)
		unetdev_testdrv_configure(dev, cfg);
	dev->watchdog_timeo = watchdog_timeo;
	ASSERT_EQ(register_netdev(dev), 0);
	rtnl_lock();
	ASSERT_EQ(dev_open(dev, NULL), 0);
	rtnl_unlock();
	unetdev_testdrv_clear(dev);
	return dev;
}

static void td_rm(struct net_device *dev)
{
	unregister_netdev(dev);
	free_netdev(dev);
	ASSERT_EQ(skb_live_count(), 0);
}

static const struct unetdev_testdrv_call *last_xmit(struct net_device *dev)
{
	const struct unetdev_testdrv_call *c = unetdev_testdrv_last(dev, "ndo_start_xmit");

	ASSERT_NOT_NULL(c);
	return c;
}

TEST(r_sync_5_start_xmit_holds_queue_lock_bh_off_from_process)
{
	struct net_device *dev = td_up(1, NULL, 0);
	const struct unetdev_testdrv_call *c;

	ASSERT_EQ(dev_queue_xmit(frame(dev, 0)), 0);
	c = last_xmit(dev);
	ASSERT_TRUE(c->tx_lock);
	ASSERT_TRUE(c->bh_off);
	ASSERT_FALSE(c->rtnl);
	ASSERT_FALSE(c->tx_global_lock);
	ASSERT_TRUE(c->running);
	td_rm(dev);
}

TEST(r_sync_5_start_xmit_holds_the_lock_of_its_own_queue)
{
	struct net_device *dev = td_up(4, NULL, 0);
	bool seen[4] = {false};

	for (u32 i = 0; i < 16; i++) {
		const struct unetdev_testdrv_call *c;

		ASSERT_EQ(dev_queue_xmit(frame(dev, i * 0x10000000u)), 0);
		c = last_xmit(dev);
		ASSERT_TRUE(c->tx_lock); /* the lock of queue c->arg (xmit_lock_held(dev, q)) */
		ASSERT_TRUE(c->bh_off);
		ASSERT_LT(c->arg, 4);
		seen[c->arg] = true;
	}
	for (int q = 0; q < 4; q++)
		ASSERT_TRUE(seen[q]);
	td_rm(dev);
}

TEST(r_sync_5_lltx_start_xmit_without_queue_lock)
{
	struct unetdev_testdrv_config cfg = {.lltx = true};
	struct net_device *dev = td_up(1, &cfg, 0);
	const struct unetdev_testdrv_call *c;

	ASSERT_TRUE(netif_is_lltx(dev));
	ASSERT_EQ(dev_queue_xmit(frame(dev, 0)), 0);
	c = last_xmit(dev);
	ASSERT_FALSE(c->tx_lock); /* R-TX-10: no core lock for LLTX */
	ASSERT_TRUE(c->bh_off);
	td_rm(dev);
}

TEST(r_sync_5_start_xmit_from_tx_softirq_after_wake)
{
	struct unetdev_testdrv_config cfg = {.tx_busy = 1};
	struct net_device *dev = td_up(1, &cfg, 0);
	const struct unetdev_testdrv_call *c;
	int rc = dev_queue_xmit(frame(dev, 0));

	if (rc == -ENETDOWN) {
		td_rm(dev);
		harness_skip("qdisc transmit path not there yet (noqueue only)");
	}
	ASSERT_EQ(rc, NET_XMIT_SUCCESS); /* BUSY: requeued in pfifo_fast */
	ASSERT_TRUE(netif_tx_queue_stopped(netdev_get_tx_queue(dev, 0)));
	netif_tx_wake_queue(netdev_get_tx_queue(dev, 0)); /* __netif_schedule: NET_TX */
	unetdev_cpu_run(0);
	ASSERT_EQ(unetdev_testdrv_count(dev, "ndo_start_xmit"), 2);
	c = last_xmit(dev);
	ASSERT_TRUE(c->tx_lock);
	ASSERT_TRUE(c->bh_off);
	ASSERT_FALSE(c->rtnl);
	td_rm(dev);
}

TEST(r_sync_6_tx_timeout_under_tx_global_lock_all_frozen)
{
	struct net_device *dev;
	const struct unetdev_testdrv_call *c;

	unetdev_clock_set_manual(true);
	dev = td_up(1, NULL, 100);
	netif_tx_stop_queue(netdev_get_tx_queue(dev, 0));
	unetdev_clock_advance(3 * HZ);
	ASSERT_EQ(unetdev_testdrv_count(dev, "ndo_tx_timeout"), 1);
	c = unetdev_testdrv_last(dev, "ndo_tx_timeout");
	ASSERT_TRUE(c->tx_global_lock);
	ASSERT_TRUE(c->all_frozen);
	ASSERT_TRUE(c->bh_off);
	ASSERT_FALSE(c->rtnl);
	ASSERT_FALSE(c->tx_lock); /* queue locks are taken and released by the freeze */
	ASSERT_EQ(c->arg, 0);
	/* Unfrozen afterwards (R-WD-6). */
	ASSERT_FALSE(test_bit(__QUEUE_STATE_FROZEN, &netdev_get_tx_queue(dev, 0)->state));
	netif_tx_wake_queue(netdev_get_tx_queue(dev, 0));
	td_rm(dev);
}

TEST(r_sync_6_tx_timeout_gets_the_stuck_queue_stopped_by_the_driver)
{
	struct unetdev_testdrv_config cfg = {.tx_busy = 1};
	struct net_device *dev;
	const struct unetdev_testdrv_call *c;
	u32 hash = 0;

	unetdev_clock_set_manual(true);
	dev = td_up(4, &cfg, 100);
	/* Find a flow hash that lands on queue 2; the driver stops it with BUSY. */
	while ((u16)(((u64)hash * 4) >> 32) != 2)
		hash += 0x10000000u;
	dev_queue_xmit(frame(dev, hash));
	ASSERT_TRUE(netif_tx_queue_stopped(netdev_get_tx_queue(dev, 2)));
	unetdev_clock_advance(3 * HZ);
	c = unetdev_testdrv_last(dev, "ndo_tx_timeout");
	ASSERT_NOT_NULL(c);
	ASSERT_EQ(c->arg, 2);
	ASSERT_TRUE(c->tx_global_lock);
	ASSERT_TRUE(c->all_frozen);
	ASSERT_TRUE(c->bh_off);
	netif_tx_wake_queue(netdev_get_tx_queue(dev, 2));
	unetdev_cpu_run(0);
	td_rm(dev);
}

TEST(r_sync_8_napi_poll_bh_off_sched_owned)
{
	struct unetdev_testdrv_config cfg = {.napi = true};
	struct net_device *dev = td_up(1, &cfg, 0);
	const struct unetdev_testdrv_call *c;

	ASSERT_TRUE(unetdev_testdrv_napi_schedule(dev));
	c = unetdev_testdrv_last(dev, "napi_poll");
	ASSERT_NOT_NULL(c);
	ASSERT_TRUE(c->bh_off);
	ASSERT_TRUE(c->napi_sched);
	ASSERT_FALSE(c->rtnl);
	ASSERT_FALSE(c->tx_lock);
	td_rm(dev);
}
