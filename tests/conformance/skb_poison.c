// SPDX-License-Identifier: MIT
/*
 * Conformance: skb debug poisoning (docs/contract-checker.md). With the
 * checker on, a freed skb is poisoned and kept in a quarantine, so that
 * ownership bugs are reported instead of corrupting memory:
 *   - a second kfree_skb/consume_skb of the same skb (R-TX-1: the rules file
 *     has no skb ownership section; R-TX-1 "consumes the skb, the caller
 *     must not touch it afterwards" is the closest rule);
 *   - a consumed skb handed to dev_queue_xmit or the receive path (R-TX-1);
 *   - a write into a freed skb, found when it leaves the quarantine (R-TX-1);
 *   - a driver that frees the skb and returns NETDEV_TX_BUSY ("not
 *     consumed", R-TX-11): reported, and the core does not requeue it.
 * Every test also checks that nothing leaks: quarantined skbs are not live.
 */
#include <unetdev/unetdev.h>

#include "harness.h"

enum bug { BUG_NONE, BUG_FREE_THEN_BUSY, BUG_DOUBLE_FREE };

struct ppriv {
	enum bug bug;
	int calls;
};

static netdev_tx_t p_xmit(struct sk_buff *skb, struct net_device *dev)
{
	struct ppriv *p = netdev_priv(dev);

	p->calls++;
	switch (p->bug) {
	case BUG_FREE_THEN_BUSY: /* frees, then says "not consumed" */
		consume_skb(skb);
		return NETDEV_TX_BUSY;
	case BUG_DOUBLE_FREE:
		consume_skb(skb);
		dev_kfree_skb_any(skb);
		return NETDEV_TX_OK;
	case BUG_NONE:
		break;
	}
	consume_skb(skb);
	return NETDEV_TX_OK;
}

static const struct net_device_ops p_ops = {.ndo_start_xmit = p_xmit};

static void p_setup(struct net_device *dev)
{
	ether_setup(dev);
	dev->netdev_ops = &p_ops;
	dev->needs_free_netdev = true;
}

static struct net_device *mk(bool qdisc, enum bug bug)
{
	struct net_device *dev =
	    alloc_netdev_mqs(sizeof(struct ppriv), "p%d", NET_NAME_ENUM, p_setup, 1, 1);

	ASSERT_NOT_NULL(dev);
	((struct ppriv *)netdev_priv(dev))->bug = bug;
	if (!qdisc)
		dev->priv_flags |= IFF_NO_QUEUE;
	ASSERT_EQ(register_netdev(dev), 0);
	rtnl_lock();
	ASSERT_EQ(dev_open(dev, NULL), 0);
	rtnl_unlock();
	return dev;
}

static struct sk_buff *frame(struct net_device *dev)
{
	struct sk_buff *skb = alloc_skb(NET_SKB_PAD + 60, GFP_ATOMIC);

	ASSERT_NOT_NULL(skb);
	skb_reserve(skb, NET_SKB_PAD);
	memset(skb_put(skb, 60), 0, 60);
	skb->dev = dev;
	return skb;
}

TEST(r_tx_1_double_free_is_reported_and_refused)
{
	struct sk_buff *skb = frame(NULL);

	expect_violations();
	consume_skb(skb);
	ASSERT_EQ(skb_live_count(), 0);
	kfree_skb(skb); /* the bug */
	ASSERT_EQ(unetdev_check_count("R-TX-1"), 1);
	ASSERT_EQ(skb_live_count(), 0);
}

TEST(r_tx_1_xmit_of_a_consumed_skb_is_reported)
{
	struct net_device *dev = mk(false, BUG_NONE);
	struct sk_buff *skb = frame(dev);

	expect_violations();
	ASSERT_EQ(dev_queue_xmit(skb), NETDEV_TX_OK); /* consumed (R-TX-1) */
	ASSERT_EQ(unetdev_check_count("R-TX-1"), 0);
	ASSERT_EQ(dev_queue_xmit(skb), -EINVAL); /* the bug: the caller kept using it */
	ASSERT_EQ(unetdev_check_count("R-TX-1"), 1);
	ASSERT_EQ(((struct ppriv *)netdev_priv(dev))->calls, 1);
	unregister_netdev(dev);
}

TEST(r_tx_1_receive_of_a_freed_skb_is_reported)
{
	struct net_device *dev = mk(false, BUG_NONE);
	struct sk_buff *skb = frame(dev);

	expect_violations();
	skb->protocol = eth_type_trans(skb, dev);
	kfree_skb(skb);
	ASSERT_EQ(netif_receive_skb(skb), NET_RX_DROP);
	ASSERT_EQ(netif_rx(skb), NET_RX_DROP);
	ASSERT_EQ(unetdev_check_count("R-TX-1"), 2);
	unregister_netdev(dev);
}

TEST(r_tx_1_write_after_free_is_found_in_quarantine)
{
	struct sk_buff *skb = frame(NULL);

	expect_violations();
	consume_skb(skb);
	skb->mark = 42; /* the bug: a store into a freed skb */
	/* The quarantine holds it until this thread's cache is drained, or the
	 * skb is reused: enough allocations cycle it out. */
	for (int i = 0; i < 600; i++)
		consume_skb(frame(NULL));
	ASSERT_EQ(unetdev_check_count("R-TX-1"), 1);
	ASSERT_NOT_NULL(strstr(unetdev_check_last(), "written after it was freed"));
}

TEST(r_tx_1_driver_double_free_is_reported)
{
	struct net_device *dev = mk(false, BUG_DOUBLE_FREE);

	expect_violations();
	ASSERT_EQ(dev_queue_xmit(frame(dev)), NETDEV_TX_OK);
	ASSERT_EQ(unetdev_check_count("R-TX-1"), 1);
	ASSERT_EQ(skb_live_count(), 0);
	unregister_netdev(dev);
}

static void busy_after_free(bool qdisc)
{
	struct net_device *dev = mk(qdisc, BUG_FREE_THEN_BUSY);

	expect_violations();
	dev_queue_xmit(frame(dev));
	ASSERT_EQ(unetdev_check_count("R-TX-11"), 1);
	/* Not requeued: the driver saw it once and nothing was used after the free. */
	ASSERT_EQ(((struct ppriv *)netdev_priv(dev))->calls, 1);
	ASSERT_EQ(unetdev_check_count("R-TX-1"), 0);
	ASSERT_EQ(skb_live_count(), 0);
	unregister_netdev(dev);
}

TEST(r_tx_11_busy_after_free_is_reported_noqueue)
{
	busy_after_free(false);
}

TEST(r_tx_11_busy_after_free_is_reported_qdisc)
{
	busy_after_free(true);
}

TEST(r_tx_1_no_poisoning_with_the_checker_off)
{
	struct sk_buff *skb = frame(NULL);

	unetdev_check_set_mode(UNETDEV_CHECK_OFF);
	consume_skb(skb);
	skb = frame(NULL); /* LIFO cache: the same object comes back, clean */
	ASSERT_EQ(skb->users, 1);
	ASSERT_EQ(skb->mark, 0);
	consume_skb(skb);
	unetdev_check_set_mode(UNETDEV_CHECK_WARN);
	ASSERT_EQ(unetdev_check_count(NULL), 0);
}
