// SPDX-License-Identifier: MIT
/*
 * Conformance: the synchronization rules of the control-plane callbacks
 * (R-SYNC-1, 2, 6, 9, 11, 12, 14), read from the recording test driver, and
 * the contract checker reporting a broken rule by its ID.
 */
#include <unetdev/unetdev.h>

#include "harness.h"

static struct net_device *mk_td(unsigned int txqs)
{
	struct net_device *dev = unetdev_testdrv_alloc("td0", txqs);

	ASSERT_NOT_NULL(dev);
	ASSERT_EQ(register_netdev(dev), 0);
	return dev;
}

static void rm_td(struct net_device *dev)
{
	unregister_netdev(dev);
	free_netdev(dev);
}

static int do_open(struct net_device *dev)
{
	int ret;

	rtnl_lock();
	ret = dev_open(dev, NULL);
	rtnl_unlock();
	return ret;
}

static void do_close(struct net_device *dev)
{
	rtnl_lock();
	dev_close(dev);
	rtnl_unlock();
}

/* Deliberate misuse: the thread-safety analysis would refuse these calls. */
static int open_without_rtnl(struct net_device *dev) UNETDEV_NO_TSA
{
	return dev_open(dev, NULL);
}

static void close_without_rtnl(struct net_device *dev) UNETDEV_NO_TSA
{
	dev_close(dev);
}

static int notify_without_rtnl(struct net_device *dev) UNETDEV_NO_TSA
{
	return call_netdevice_notifiers(NETDEV_CHANGE, dev);
}

static void relock_rtnl(void) UNETDEV_NO_TSA
{
	rtnl_lock(); /* refused by the checker: rtnl is not recursive */
}

/* ---- R-SYNC-1 / R-SYNC-2: ndo_open and ndo_stop ---- */

TEST(r_sync_1_ndo_open_under_rtnl_in_process_context)
{
	struct net_device *dev = mk_td(1);
	const struct unetdev_testdrv_call *c;

	ASSERT_EQ(do_open(dev), 0);
	c = unetdev_testdrv_last(dev, "ndo_open");
	ASSERT_NOT_NULL(c);
	ASSERT_TRUE(c->rtnl);
	ASSERT_TRUE(c->in_task);
	ASSERT_FALSE(c->bh_off);
	ASSERT_TRUE(c->running); /* R-UP-4 */
	ASSERT_FALSE(c->up);	 /* IFF_UP only after success */
	rm_td(dev);
}

TEST(r_sync_1_dev_open_without_rtnl_is_reported_by_rule)
{
	struct net_device *dev = mk_td(1);

	expect_violations();
	ASSERT_EQ(unetdev_check_count("R-SYNC-1"), 0);
	ASSERT_EQ(open_without_rtnl(dev), 0);
	ASSERT_EQ(unetdev_check_count("R-SYNC-1"), 1); /* the ndo_open wrapper */
	ASSERT_EQ(unetdev_check_count("R-UP-2"), 1);   /* dev_open itself */
	ASSERT_FALSE(unetdev_testdrv_last(dev, "ndo_open")->rtnl);
	do_close(dev);
	rm_td(dev);
}

TEST(r_sync_2_ndo_stop_under_rtnl_not_running)
{
	struct net_device *dev = mk_td(2);
	const struct unetdev_testdrv_call *c;

	ASSERT_EQ(do_open(dev), 0);
	do_close(dev);
	c = unetdev_testdrv_last(dev, "ndo_stop");
	ASSERT_NOT_NULL(c);
	ASSERT_TRUE(c->rtnl);
	ASSERT_TRUE(c->in_task);
	ASSERT_FALSE(c->running);
	ASSERT_TRUE(c->up); /* IFF_UP is cleared after ndo_stop */
	rm_td(dev);
}

TEST(r_sync_2_dev_close_without_rtnl_is_reported_by_rule)
{
	struct net_device *dev = mk_td(1);

	ASSERT_EQ(do_open(dev), 0);
	expect_violations();
	close_without_rtnl(dev);
	ASSERT_GE(unetdev_check_count("R-SYNC-2"), 1);
	ASSERT_FALSE(unetdev_testdrv_last(dev, "ndo_stop")->rtnl);
	ASSERT_CONTAINS(unetdev_check_last(), "td0");
	rm_td(dev);
}

/* ---- R-SYNC-6: ndo_tx_timeout, driven through the watchdog ---- */

TEST(r_sync_6_ndo_tx_timeout_under_tx_lock_all_frozen_bh_off)
{
	struct net_device *dev;
	const struct unetdev_testdrv_call *c;

	unetdev_clock_set_manual(true);
	dev = mk_td(2);
	ASSERT_EQ(do_open(dev), 0);
	netif_tx_stop_queue(netdev_get_tx_queue(dev, 1));
	unetdev_clock_advance(7 * HZ);
	c = unetdev_testdrv_last(dev, "ndo_tx_timeout");
	ASSERT_NOT_NULL(c);
	ASSERT_EQ(c->arg, 1);
	ASSERT_TRUE(c->tx_global_lock);
	ASSERT_TRUE(c->all_frozen);
	ASSERT_TRUE(c->bh_off);
	ASSERT_FALSE(c->in_task);
	ASSERT_FALSE(c->rtnl);
	rm_td(dev);
}

/* ---- R-SYNC-9: ndo_init / ndo_uninit ---- */

static bool init_saw_visible = true;
static int init_saw_ifindex = -1;

static int vis_init(struct net_device *dev)
{
	init_saw_visible = __dev_get_by_name(&init_net, dev->name) != NULL;
	init_saw_ifindex = dev->ifindex;
	return 0;
}

static netdev_tx_t vis_xmit(struct sk_buff *skb, struct net_device *dev)
{
	consume_skb(skb);
	return NETDEV_TX_OK;
}

static const struct net_device_ops vis_ops = {.ndo_init = vis_init, .ndo_start_xmit = vis_xmit};

static void vis_setup(struct net_device *dev)
{
	ether_setup(dev);
	dev->netdev_ops = &vis_ops;
}

TEST(r_sync_9_ndo_init_under_rtnl_before_the_device_is_visible)
{
	struct net_device *dev = unetdev_testdrv_alloc("td0", 1);
	struct net_device *v = alloc_netdev_mqs(0, "vis0", NET_NAME_USER, vis_setup, 1, 1);
	const struct unetdev_testdrv_call *c;

	ASSERT_EQ(register_netdev(dev), 0);
	c = unetdev_testdrv_last(dev, "ndo_init");
	ASSERT_NOT_NULL(c);
	ASSERT_TRUE(c->rtnl);
	ASSERT_TRUE(c->in_task);
	ASSERT_FALSE(c->running);
	ASSERT_NOT_NULL(v);
	ASSERT_EQ(register_netdev(v), 0);
	ASSERT_FALSE(init_saw_visible); /* not in the name hash yet */
	ASSERT_EQ(init_saw_ifindex, 0); /* no ifindex yet (R-REG-5) */
	rm_td(v);
	rm_td(dev);
}

TEST(r_sync_9_ndo_uninit_under_rtnl_after_close_with_references_left)
{
	struct net_device *dev = mk_td(1);
	const struct unetdev_testdrv_call *c;

	ASSERT_EQ(do_open(dev), 0);
	dev_hold(dev);
	rtnl_lock();
	unregister_netdevice(dev);
	c = unetdev_testdrv_last(dev, "ndo_uninit");
	ASSERT_NOT_NULL(c);
	ASSERT_TRUE(c->rtnl);
	ASSERT_TRUE(c->in_task);
	ASSERT_FALSE(c->running);
	ASSERT_FALSE(c->up);		       /* closed first */
	ASSERT_GE(netdev_refcnt_read(dev), 2); /* ours is still out */
	dev_put(dev);
	rtnl_unlock();
	free_netdev(dev);
}

/* ---- R-SYNC-11: notifiers run under rtnl ---- */

static int events_seen, events_without_rtnl;

static int count_notifier(struct notifier_block *nb, unsigned long event, void *ptr)
{
	events_seen++;
	if (!rtnl_held_by_me())
		events_without_rtnl++;
	return NOTIFY_DONE;
}

static struct notifier_block count_nb = {.notifier_call = count_notifier};

TEST(r_sync_11_every_notifier_call_holds_rtnl)
{
	struct net_device *dev;

	ASSERT_EQ(register_netdevice_notifier(&count_nb), 0);
	dev = mk_td(1);		    /* POST_INIT, REGISTER */
	ASSERT_EQ(do_open(dev), 0); /* PRE_UP, UP */
	rtnl_lock();
	ASSERT_EQ(dev_change_flags(dev, dev->flags | IFF_NOARP, NULL), 0); /* CHANGE */
	rtnl_unlock();
	do_close(dev); /* GOING_DOWN, DOWN */
	rm_td(dev);    /* UNREGISTER, PRE_UNINIT */
	ASSERT_EQ(unregister_netdevice_notifier(&count_nb), 0);
	ASSERT_GE(events_seen, 9);
	ASSERT_EQ(events_without_rtnl, 0);
}

TEST(r_sync_11_notifier_call_without_rtnl_is_reported_by_rule)
{
	struct net_device *dev = mk_td(1);

	expect_violations();
	notify_without_rtnl(dev);
	ASSERT_EQ(unetdev_check_count("R-REG-23"), 1);
	ASSERT_CONTAINS(unetdev_check_last(), "R-REG-23");
	rm_td(dev);
}

/* ---- R-SYNC-12: rtnl_unlock completes unregistration ---- */

TEST(r_sync_12_rtnl_unlock_completes_pending_unregistrations)
{
	struct net_device *dev = mk_td(1);
	int destructed = unetdev_testdrv_destructor_calls();

	rtnl_lock();
	unregister_netdevice(dev);
	ASSERT_EQ(dev->reg_state, NETREG_UNREGISTERING);
	ASSERT_EQ(unetdev_testdrv_destructor_calls(), destructed); /* still pending */
	rtnl_unlock();
	ASSERT_EQ(dev->reg_state, NETREG_UNREGISTERED);
	ASSERT_EQ(unetdev_testdrv_destructor_calls(), destructed + 1);
	free_netdev(dev);
}

/* ---- R-SYNC-14: lock order ---- */

TEST(r_sync_14_rtnl_then_tx_global_lock_then_queue_lock)
{
	struct net_device *dev = mk_td(2);
	struct netdev_queue *q = netdev_get_tx_queue(dev, 1);

	/* The documented order, nested: no report in abort mode. */
	rtnl_lock();
	netif_tx_lock_bh(dev);
	__netif_tx_lock(q, (int)smp_processor_id());
	ASSERT_TRUE(spin_held_by_me(&dev->tx_global_lock));
	ASSERT_TRUE(netif_tx_owned(q, smp_processor_id()));
	__netif_tx_unlock(q);
	netif_tx_unlock_bh(dev);
	rtnl_unlock();
	ASSERT_EQ(unetdev_check_count(NULL), 0);
	rm_td(dev);
}

TEST(r_sync_14_taking_rtnl_twice_is_reported_not_deadlocked)
{
	expect_violations();
	rtnl_lock();
	relock_rtnl();
	ASSERT_EQ(unetdev_check_count("R-SYNC-14"), 1);
	rtnl_unlock();
	ASSERT_FALSE(rtnl_is_locked());
}
