// SPDX-License-Identifier: MIT
/*
 * Conformance: the TX watchdog (R-WD), driven by the manual clock (rules
 * section 22) on the recording test driver. HZ is 1000 unless set.
 */
#include <unetdev/unetdev.h>

#include "harness.h"

static struct net_device *open_td(unsigned int txqs, int timeo)
{
	struct net_device *dev = unetdev_testdrv_alloc("td0", txqs);

	ASSERT_NOT_NULL(dev);
	dev->watchdog_timeo = timeo;
	ASSERT_EQ(register_netdev(dev), 0);
	rtnl_lock();
	ASSERT_EQ(dev_open(dev, NULL), 0);
	rtnl_unlock();
	return dev;
}

static void rm_td(struct net_device *dev)
{
	unregister_netdev(dev);
	free_netdev(dev);
}

static struct netdev_queue *txq(struct net_device *dev, unsigned int i)
{
	return netdev_get_tx_queue(dev, i);
}

static int timeouts(struct net_device *dev)
{
	return unetdev_testdrv_count(dev, "ndo_tx_timeout");
}

static char loglines[4096];

static void capture(int level, const char *line, void *ctx)
{
	strncat(loglines, line, sizeof(loglines) - strlen(loglines) - 2);
	strcat(loglines, "\n");
}

TEST(r_wd_1_timeo_of_zero_or_less_becomes_5_seconds)
{
	struct net_device *a, *b;

	unetdev_clock_set_manual(true);
	a = open_td(1, 0);
	ASSERT_EQ(a->watchdog_timeo, 5 * (int)HZ);
	b = unetdev_testdrv_alloc("td1", 1);
	ASSERT_NOT_NULL(b);
	b->watchdog_timeo = -3;
	ASSERT_EQ(register_netdev(b), 0);
	rtnl_lock();
	ASSERT_EQ(dev_open(b, NULL), 0);
	rtnl_unlock();
	ASSERT_EQ(b->watchdog_timeo, 5 * (int)HZ);
	rm_td(b);
	rm_td(a);
}

TEST(r_wd_2_armed_at_a_whole_second_holding_a_reference)
{
	struct net_device *dev = unetdev_testdrv_alloc("td0", 1);
	unsigned long now;
	int refs;

	unetdev_clock_set_manual(true);
	unetdev_clock_advance(123);
	ASSERT_NOT_NULL(dev);
	dev->watchdog_timeo = 1500;
	ASSERT_EQ(register_netdev(dev), 0);
	refs = netdev_refcnt_read(dev);
	now = jiffies;
	rtnl_lock();
	ASSERT_EQ(dev_open(dev, NULL), 0);
	rtnl_unlock();
	ASSERT_TRUE(timer_pending(&dev->watchdog_timer));
	ASSERT_UEQ(dev->watchdog_timer.expires, round_jiffies(now + 1500));
	ASSERT_EQ(dev->watchdog_timer.expires % HZ, 0);
	ASSERT_EQ(netdev_refcnt_read(dev), refs + 1);
	rm_td(dev);
}

TEST(r_wd_4_absent_device_is_not_checked_and_not_rearmed)
{
	struct net_device *dev;
	int refs;

	unetdev_clock_set_manual(true);
	dev = open_td(2, 0);
	refs = netdev_refcnt_read(dev);
	netif_device_detach(dev); /* stops every queue */
	unetdev_clock_advance(7 * HZ);
	ASSERT_EQ(timeouts(dev), 0);
	ASSERT_FALSE(timer_pending(&dev->watchdog_timer));
	ASSERT_EQ(netdev_refcnt_read(dev), refs - 1); /* the timer's reference went */
	netif_device_attach(dev);		      /* R-WD-2: re-armed */
	ASSERT_TRUE(timer_pending(&dev->watchdog_timer));
	ASSERT_EQ(netdev_refcnt_read(dev), refs);
	rm_td(dev);
}

TEST(r_wd_5_timeout_only_strictly_after_watchdog_timeo)
{
	struct net_device *dev;
	unsigned long expiry;

	unetdev_clock_set_manual(true);
	dev = open_td(2, 0);
	expiry = dev->watchdog_timer.expires;
	netif_tx_stop_queue(txq(dev, 1));
	txq(dev, 1)->trans_start = expiry - 5 * HZ; /* exactly timeo old at expiry */
	unetdev_clock_advance(expiry - jiffies);
	ASSERT_EQ(timeouts(dev), 0);
	ASSERT_TRUE(timer_pending(&dev->watchdog_timer));
	unetdev_clock_advance(1); /* now strictly after */
	ASSERT_EQ(timeouts(dev), 1);
	ASSERT_EQ(unetdev_testdrv_last(dev, "ndo_tx_timeout")->arg, 1);
	rm_td(dev);
}

TEST(r_wd_5_only_the_first_stuck_queue_is_reported)
{
	struct net_device *dev;

	unetdev_clock_set_manual(true);
	dev = open_td(4, 0);
	netif_tx_stop_queue(txq(dev, 2));
	netif_tx_stop_queue(txq(dev, 3));
	unetdev_clock_advance(7 * HZ);
	ASSERT_EQ(timeouts(dev), 1);
	ASSERT_EQ(unetdev_testdrv_last(dev, "ndo_tx_timeout")->arg, 2);
	ASSERT_UEQ(txq(dev, 2)->trans_timeout, 1);
	ASSERT_UEQ(txq(dev, 3)->trans_timeout, 0);
	rm_td(dev);
}

TEST(r_wd_6_counts_logs_and_freezes_around_the_callback)
{
	struct net_device *dev;
	const struct unetdev_testdrv_call *c;

	unetdev_clock_set_manual(true);
	dev = open_td(2, 0);
	netif_tx_stop_queue(txq(dev, 1));
	unetdev_log_set_fn(capture, NULL);
	unetdev_clock_advance(7 * HZ);
	unetdev_log_set_fn(NULL, NULL);
	ASSERT_EQ(timeouts(dev), 1);
	ASSERT_UEQ(txq(dev, 1)->trans_timeout, 1);
	ASSERT_CONTAINS(loglines, "td0: NETDEV WATCHDOG: CPU: ");
	ASSERT_CONTAINS(loglines, ": transmit queue 1 timed out ");
	c = unetdev_testdrv_last(dev, "ndo_tx_timeout");
	ASSERT_TRUE(c->all_frozen);
	ASSERT_TRUE(c->tx_global_lock);
	for (unsigned int i = 0; i < 2; i++) /* thawed afterwards */
		ASSERT_FALSE(test_bit(__QUEUE_STATE_FROZEN, &txq(dev, i)->state));
	ASSERT_TRUE(netif_tx_queue_stopped(txq(dev, 1))); /* the driver's to wake */
	rm_td(dev);
}

TEST(r_wd_8_stack_xoff_alone_times_out_with_the_queue_not_driver_stopped)
{
	struct net_device *dev;

	unetdev_clock_set_manual(true);
	dev = open_td(1, 0);
	set_bit(__QUEUE_STATE_STACK_XOFF, &txq(dev, 0)->state); /* as BQL does */
	unetdev_clock_advance(7 * HZ);
	ASSERT_EQ(timeouts(dev), 1);
	ASSERT_FALSE(netif_queue_stopped(dev)); /* what the 2013 text promised */
	clear_bit(__QUEUE_STATE_STACK_XOFF, &txq(dev, 0)->state);
	rm_td(dev);
}

TEST(r_wd_9_rearmed_from_the_oldest_stopped_queue)
{
	struct net_device *dev;
	unsigned long stopped_at;

	unetdev_clock_set_manual(true);
	dev = open_td(2, 0);
	unetdev_clock_advance(HZ);
	stopped_at = jiffies;
	netif_tx_stop_queue(txq(dev, 0));
	unetdev_clock_advance(dev->watchdog_timer.expires - jiffies); /* not yet timed out */
	ASSERT_EQ(timeouts(dev), 0);
	ASSERT_UEQ(dev->watchdog_timer.expires, round_jiffies(stopped_at + 5 * HZ));
	netif_tx_wake_queue(txq(dev, 0));
	unetdev_clock_advance(dev->watchdog_timer.expires - jiffies);
	/* Nothing stopped: now + timeo. */
	ASSERT_UEQ(dev->watchdog_timer.expires, round_jiffies(jiffies + 5 * HZ));
	rm_td(dev);
}

TEST(r_wd_10_trans_start_sources)
{
	struct net_device *dev;

	unetdev_clock_set_manual(true);
	dev = open_td(3, 0);
	ASSERT_UEQ(dev_trans_start(dev), jiffies); /* dev_activate: queue 0 = now */
	unetdev_clock_advance(10);
	netif_trans_update(dev);
	ASSERT_UEQ(txq(dev, 0)->trans_start, jiffies);
	ASSERT_UEQ(txq(dev, 1)->trans_start, 0);
	unetdev_clock_advance(10);
	netif_tx_stop_queue(txq(dev, 2));
	ASSERT_UEQ(dev_trans_start(dev), jiffies); /* the latest of all queues */
	netif_tx_wake_queue(txq(dev, 2));
	rm_td(dev);
}

TEST(r_wd_7_timeout_runs_in_softirq_under_netif_tx_lock)
{
	const struct unetdev_testdrv_call *c;
	struct net_device *dev;

	unetdev_clock_set_manual(true);
	dev = open_td(1, 0);
	netif_tx_stop_queue(txq(dev, 0));
	unetdev_clock_advance(7 * HZ);
	ASSERT_EQ(timeouts(dev), 1);
	c = unetdev_testdrv_last(dev, "ndo_tx_timeout");
	ASSERT_NOT_NULL(c);
	ASSERT_TRUE(c->tx_global_lock); /* netif_tx_lock held ... */
	ASSERT_TRUE(c->all_frozen);	/* ... every queue frozen */
	ASSERT_TRUE(c->bh_off);		/* timer (softirq) context, BHs disabled */
	ASSERT_FALSE(c->in_task);
	rm_td(dev);
}
