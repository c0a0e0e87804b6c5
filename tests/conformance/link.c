// SPDX-License-Identifier: MIT
/*
 * Conformance: carrier, linkwatch and RFC 2863 operstate (R-LINK).
 * Time-based rules run on the manual clock.
 */
#include <unetdev/unetdev.h>

#include "harness.h"

static int iflink_override; /* 0: own ifindex */
static int change_carrier_calls;

static netdev_tx_t l_xmit(struct sk_buff *skb, struct net_device *dev)
{
	consume_skb(skb);
	return NETDEV_TX_OK;
}

static int l_get_iflink(const struct net_device *dev)
{
	return iflink_override ? iflink_override : dev->ifindex;
}

static int l_change_carrier(struct net_device *dev, bool on)
{
	change_carrier_calls++;
	if (on)
		netif_carrier_on(dev);
	else
		netif_carrier_off(dev);
	return 0;
}

static void l_tx_timeout(struct net_device *dev, unsigned int q)
{
}

static const struct net_device_ops l_ops = {
    .ndo_start_xmit = l_xmit,
    .ndo_get_iflink = l_get_iflink,
    .ndo_change_carrier = l_change_carrier,
    .ndo_tx_timeout = l_tx_timeout,
};

static const struct net_device_ops plain_ops = {
    .ndo_start_xmit = l_xmit,
};

static void l_setup(struct net_device *dev)
{
	ether_setup(dev);
	dev->netdev_ops = &l_ops;
}

static struct net_device *l_new(const char *name)
{
	struct net_device *dev = alloc_netdev(0, name, NET_NAME_USER, l_setup);

	iflink_override = 0;
	ASSERT_EQ(register_netdev(dev), 0);
	return dev;
}

static void l_del(struct net_device *dev)
{
	unregister_netdev(dev);
	free_netdev(dev);
}

static void l_open(struct net_device *dev)
{
	rtnl_lock();
	ASSERT_EQ(dev_open(dev, NULL), 0);
	rtnl_unlock();
}

static int changes;
static int change_cb(struct notifier_block *nb, unsigned long ev, void *ptr)
{
	if (ev == NETDEV_CHANGE)
		changes++;
	return NOTIFY_DONE;
}
static struct notifier_block change_nb = {.notifier_call = change_cb};

/* Process pending events, allowing for the one-second rate limit. */
static void settle(void)
{
	unetdev_clock_advance(HZ + 1);
}

TEST(r_link_1_edge_triggered)
{
	struct net_device *dev = l_new("lk1");

	unetdev_clock_set_manual(true);
	settle();
	netif_carrier_on(dev); /* already on */
	ASSERT_EQ(dev->carrier_up_count, 0);
	ASSERT_FALSE(test_bit(__LINK_STATE_LINKWATCH_PENDING, &dev->state));
	netif_carrier_off(dev);
	netif_carrier_off(dev);
	ASSERT_EQ(dev->carrier_down_count, 1);
	settle();
	l_del(dev);
}

TEST(r_link_2_before_registration_only_the_bit)
{
	struct net_device *dev = alloc_netdev(0, "lk2", NET_NAME_USER, l_setup);

	netif_carrier_off(dev);
	ASSERT_FALSE(netif_carrier_ok(dev));
	ASSERT_EQ(dev->carrier_down_count, 0);
	ASSERT_FALSE(test_bit(__LINK_STATE_LINKWATCH_PENDING, &dev->state));
	netif_carrier_on(dev);
	ASSERT_EQ(dev->carrier_up_count, 0);
	netif_carrier_event(dev);
	ASSERT_EQ(dev->carrier_up_count, 0);
	free_netdev(dev);
}

TEST(r_link_3_counters_event_and_watchdog)
{
	struct net_device *dev = l_new("lk3");

	unetdev_clock_set_manual(true);
	l_open(dev);
	settle();
	netif_carrier_off(dev);
	ASSERT_EQ(dev->carrier_down_count, 1);
	ASSERT_TRUE(test_bit(__LINK_STATE_LINKWATCH_PENDING, &dev->state));
	settle();
	netif_carrier_on(dev);
	ASSERT_EQ(dev->carrier_up_count, 1);
	ASSERT_TRUE(timer_pending(&dev->watchdog_timer)); /* running + ndo_tx_timeout */
	settle();
	netif_carrier_event(dev);
	ASSERT_EQ(dev->carrier_up_count, 2);
	ASSERT_EQ(dev->carrier_down_count, 2);
	ASSERT_TRUE(netif_carrier_ok(dev));
	settle();
	l_del(dev);
}

TEST(r_link_4_non_urgent_events_once_per_second)
{
	struct net_device *dev = l_new("lk4");

	unetdev_clock_set_manual(true);
	netif_carrier_off(dev); /* first event: no earlier run, processed at once */
	unetdev_clock_advance(0);
	ASSERT_EQ(dev->operstate, IF_OPER_DOWN);
	netif_carrier_on(dev); /* within a second of the last run: waits */
	unetdev_clock_advance(HZ / 2);
	ASSERT_EQ(dev->operstate, IF_OPER_DOWN);
	ASSERT_TRUE(test_bit(__LINK_STATE_LINKWATCH_PENDING, &dev->state));
	unetdev_clock_advance(HZ / 2 + 1);
	ASSERT_EQ(dev->operstate, IF_OPER_UP);
	ASSERT_FALSE(test_bit(__LINK_STATE_LINKWATCH_PENDING, &dev->state));
	l_del(dev);
}

TEST(r_link_4_event_holds_a_reference)
{
	struct net_device *dev = l_new("lk4r");
	int refs;

	unetdev_clock_set_manual(true);
	settle();
	refs = netdev_refcnt_read(dev);
	netif_carrier_off(dev);
	ASSERT_EQ(netdev_refcnt_read(dev), refs + 1);
	settle();
	ASSERT_EQ(netdev_refcnt_read(dev), refs);
	l_del(dev);
}

TEST(r_link_5_stacked_running_device_is_urgent)
{
	struct net_device *lower = l_new("lk5l"), *dev = l_new("lk5");

	unetdev_clock_set_manual(true);
	iflink_override = lower->ifindex; /* dev now sits on lower */
	l_open(dev);
	settle();
	netif_carrier_off(dev); /* runs at once although the last run was just now */
	unetdev_clock_advance(0);
	ASSERT_FALSE(test_bit(__LINK_STATE_LINKWATCH_PENDING, &dev->state));
	ASSERT_EQ(dev->operstate, IF_OPER_DOWN); /* lower has carrier */
	iflink_override = 0;
	settle();
	l_del(dev);
	l_del(lower);
}

TEST(r_link_5_not_running_is_not_urgent)
{
	struct net_device *dev = l_new("lk5n");

	unetdev_clock_set_manual(true);
	netif_carrier_off(dev);
	unetdev_clock_advance(0);
	netif_carrier_on(dev);
	unetdev_clock_advance(1);
	ASSERT_TRUE(test_bit(__LINK_STATE_LINKWATCH_PENDING, &dev->state));
	settle();
	l_del(dev);
}

TEST(r_link_6_processing_activates_and_notifies_when_up)
{
	struct net_device *dev = l_new("lk6"), *down = l_new("lk6d");

	unetdev_clock_set_manual(true);
	l_open(dev);
	settle();
	ASSERT_EQ(register_netdevice_notifier(&change_nb), 0);
	changes = 0;
	netif_carrier_off(dev);
	settle();
	ASSERT_EQ(changes, 1);
	ASSERT_FALSE(dev_get_flags(dev) & IFF_LOWER_UP);
	netif_carrier_off(down); /* not IFF_UP: no NETDEV_CHANGE */
	settle();
	ASSERT_EQ(changes, 1);
	ASSERT_EQ(down->operstate, IF_OPER_DOWN);
	netif_carrier_on(dev);
	settle();
	ASSERT_EQ(changes, 2);
	ASSERT_FALSE(timer_pending(&down->watchdog_timer));
	ASSERT_EQ(unregister_netdevice_notifier(&change_nb), 0);
	l_del(dev);
	l_del(down);
}

TEST(r_link_7_operstate_rules)
{
	struct net_device *lower = l_new("lk7l"), *dev = l_new("lk7");

	unetdev_clock_set_manual(true);
	netif_testing_on(dev);
	settle();
	ASSERT_EQ(dev->operstate, IF_OPER_TESTING);
	netif_testing_off(dev);
	netif_dormant_on(dev);
	settle();
	ASSERT_EQ(dev->operstate, IF_OPER_DORMANT);
	netif_dormant_off(dev);
	settle();
	ASSERT_EQ(dev->operstate, IF_OPER_UP);
	netif_carrier_off(dev);
	settle();
	ASSERT_EQ(dev->operstate, IF_OPER_DOWN);
	/* a stacked device whose lower has no carrier is LOWERLAYERDOWN */
	iflink_override = lower->ifindex;
	netif_carrier_off(lower);
	netif_carrier_event(dev);
	settle();
	ASSERT_EQ(dev->operstate, IF_OPER_LOWERLAYERDOWN);
	iflink_override = 0;
	netif_carrier_on(lower);
	netif_carrier_on(dev);
	dev->link_mode = IF_LINK_MODE_DORMANT;
	settle();
	ASSERT_EQ(dev->operstate, IF_OPER_DORMANT);
	dev->link_mode = IF_LINK_MODE_TESTING;
	netif_carrier_off(dev);
	settle();
	netif_carrier_on(dev);
	settle();
	ASSERT_EQ(dev->operstate, IF_OPER_TESTING);
	l_del(dev);
	l_del(lower);
}

TEST(r_link_8_untouched_carrier_is_unknown_and_running)
{
	struct net_device *dev = l_new("lk8");

	ASSERT_EQ(dev->operstate, IF_OPER_UNKNOWN);
	ASSERT_TRUE(netif_oper_up(dev));
	l_open(dev);
	ASSERT_TRUE(dev_get_flags(dev) & IFF_RUNNING);
	ASSERT_TRUE(dev_get_flags(dev) & IFF_LOWER_UP);
	WRITE_ONCE(dev->operstate, IF_OPER_DOWN);
	ASSERT_FALSE(netif_oper_up(dev));
	WRITE_ONCE(dev->operstate, IF_OPER_UP);
	ASSERT_TRUE(netif_oper_up(dev));
	l_del(dev);
}

TEST(r_link_9_dormant_and_testing_edge_triggered)
{
	struct net_device *dev = l_new("lk9");

	unetdev_clock_set_manual(true);
	settle();
	netif_dormant_on(dev);
	ASSERT_TRUE(test_bit(__LINK_STATE_LINKWATCH_PENDING, &dev->state));
	settle();
	netif_dormant_on(dev); /* no change: no event */
	ASSERT_FALSE(test_bit(__LINK_STATE_LINKWATCH_PENDING, &dev->state));
	netif_testing_on(dev);
	ASSERT_TRUE(test_bit(__LINK_STATE_LINKWATCH_PENDING, &dev->state));
	settle();
	netif_testing_on(dev);
	ASSERT_FALSE(test_bit(__LINK_STATE_LINKWATCH_PENDING, &dev->state));
	l_del(dev);
}

TEST(r_link_10_stacked_transfer)
{
	struct net_device *root = l_new("lk10r"), *dev = l_new("lk10");

	unetdev_clock_set_manual(true);
	netif_carrier_off(root);
	settle();
	netif_stacked_transfer_operstate(root, dev);
	ASSERT_FALSE(netif_carrier_ok(dev));
	netif_carrier_on(root);
	netif_dormant_on(root);
	settle();
	ASSERT_EQ(root->operstate, IF_OPER_DORMANT);
	netif_stacked_transfer_operstate(root, dev);
	ASSERT_TRUE(netif_carrier_ok(dev));
	ASSERT_TRUE(netif_dormant(dev));
	settle();
	l_del(dev);
	l_del(root);
}

TEST(r_link_11_unregister_processes_pending_event)
{
	struct net_device *dev = l_new("lk11");

	unetdev_clock_set_manual(true);
	settle();
	netif_carrier_off(dev);
	ASSERT_TRUE(test_bit(__LINK_STATE_LINKWATCH_PENDING, &dev->state));
	unregister_netdev(dev);
	ASSERT_FALSE(test_bit(__LINK_STATE_LINKWATCH_PENDING, &dev->state));
	ASSERT_EQ(dev->operstate, IF_OPER_DOWN);
	free_netdev(dev);
}

TEST(r_link_12_change_carrier)
{
	struct net_device *dev = l_new("lk12");
	struct net_device *plain = alloc_netdev(0, "lk12p", NET_NAME_USER, l_setup);

	plain->netdev_ops = &plain_ops;
	ASSERT_EQ(register_netdev(plain), 0);
	unetdev_clock_set_manual(true);
	rtnl_lock();
	ASSERT_EQ(dev_change_carrier(plain, false), -EOPNOTSUPP);
	ASSERT_EQ(dev_change_carrier(dev, false), 0);
	ASSERT_FALSE(netif_carrier_ok(dev));
	netif_device_detach(dev);
	ASSERT_EQ(dev_change_carrier(dev, true), -ENODEV);
	netif_device_attach(dev);
	rtnl_unlock();
	ASSERT_EQ(change_carrier_calls, 1);
	settle();
	l_del(dev);
	l_del(plain);
}
