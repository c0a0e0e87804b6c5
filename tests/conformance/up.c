// SPDX-License-Identifier: MIT
/*
 * Conformance: open, close and interface flags (R-UP-1..19), promiscuity and
 * allmulti counters (R-ADDR-7..9).
 *
 * A small local driver, a netdevice notifier and a link listener write one
 * shared event log ("a:PRE_UP a:ndo_open ..."), so that the order of driver
 * callbacks, notifications and link messages can be compared as one string.
 */
#include <stdarg.h>
#include <unetdev/unetdev.h>

#include "harness.h"

/* ---- the event log ---- */

#define MAX_EV 64
static char evlog[MAX_EV][64];
static int nev;
static bool log_on;

static void ev(const struct net_device *dev, const char *fmt, ...) __printf(2, 3);
static void ev(const struct net_device *dev, const char *fmt, ...)
{
	char what[40];
	va_list ap;

	if (!log_on || nev == MAX_EV)
		return;
	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	snprintf(evlog[nev++], sizeof(evlog[0]), "%s:%s", dev->name, what);
}

static const char *evs(void)
{
	static char buf[MAX_EV * 64];

	buf[0] = 0;
	for (int i = 0; i < nev; i++) {
		if (i)
			strcat(buf, " ");
		strcat(buf, evlog[i]);
	}
	return buf;
}

static void ev_clear(void)
{
	nev = 0;
	log_on = true;
}

/* ---- the driver ---- */

static struct {
	int validate_ret, open_ret, stop_ret;
} cfg;

/* What the driver saw in ndo_stop (R-UP-11, R-UP-13). */
static struct {
	bool running, watchdog_pending;
	char qdisc[16];
	bool deactivated_all;
} at_stop;
static bool rx_mode_saw_up;

static int up_validate(struct net_device *dev)
{
	ev(dev, "ndo_validate_addr");
	return cfg.validate_ret;
}

static int up_open(struct net_device *dev)
{
	ev(dev, "ndo_open run=%d", netif_running(dev));
	return cfg.open_ret;
}

static int up_stop(struct net_device *dev)
{
	at_stop.running = netif_running(dev);
	at_stop.watchdog_pending = timer_pending(&dev->watchdog_timer);
	snprintf(at_stop.qdisc, sizeof(at_stop.qdisc), "%s",
		 unetdev_qdisc_id(netdev_get_tx_queue(dev, 0)->qdisc));
	at_stop.deactivated_all = true;
	for (unsigned int i = 0; i < dev->num_tx_queues; i++)
		if (strcmp(unetdev_qdisc_id(netdev_get_tx_queue(dev, i)->qdisc), "noop"))
			at_stop.deactivated_all = false;
	ev(dev, "ndo_stop run=%d", netif_running(dev));
	return cfg.stop_ret;
}

static void up_set_rx_mode(struct net_device *dev)
{
	rx_mode_saw_up = dev->flags & IFF_UP;
	ev(dev, "rx_mode");
}

static void up_change_rx_flags(struct net_device *dev, int flags)
{
	ev(dev, "rx_flags=%#x", (unsigned int)flags);
}

static int up_set_mac(struct net_device *dev, void *addr)
{
	const struct sockaddr_hw *sa = addr;

	eth_hw_addr_set(dev, sa->sa_data);
	return 0;
}

static netdev_tx_t up_xmit(struct sk_buff *skb, struct net_device *dev)
{
	consume_skb(skb);
	return NETDEV_TX_OK;
}

static void up_tx_timeout(struct net_device *dev, unsigned int txqueue)
{
	ev(dev, "ndo_tx_timeout=%u", txqueue);
}

#define UP_OPS                                                                                     \
	.ndo_validate_addr = up_validate, .ndo_open = up_open, .ndo_stop = up_stop,                \
	.ndo_set_rx_mode = up_set_rx_mode, .ndo_change_rx_flags = up_change_rx_flags,              \
	.ndo_set_mac_address = up_set_mac, .ndo_start_xmit = up_xmit

static const struct net_device_ops up_ops = {UP_OPS};
static const struct net_device_ops up_ops_wd = {UP_OPS, .ndo_tx_timeout = up_tx_timeout};

static void up_setup(struct net_device *dev)
{
	ether_setup(dev);
	dev->netdev_ops = &up_ops;
}

/* ---- observers ---- */

static int veto_event, veto_err;
static unsigned int change_flags_changed;

static int up_notifier(struct notifier_block *nb, unsigned long event, void *ptr)
{
	struct net_device *dev = netdev_notifier_info_to_dev(ptr);
	const char *name = netdev_cmd_to_name((enum netdev_cmd)event);

	if (!strncmp(name, "NETDEV_", 7))
		name += 7;
	ev(dev, "%s", name);
	if (event == NETDEV_CHANGE)
		change_flags_changed = ((struct netdev_notifier_change_info *)ptr)->flags_changed;
	if (veto_event && event == (unsigned long)veto_event)
		return notifier_from_errno(veto_err);
	return NOTIFY_DONE;
}

static struct notifier_block up_nb = {.notifier_call = up_notifier};
static char newlink_saw_qdisc[16];

static void up_link_event(int type, struct net_device *dev, unsigned int change, void *ctx)
{
	snprintf(newlink_saw_qdisc, sizeof(newlink_saw_qdisc), "%s",
		 unetdev_qdisc_id(netdev_get_tx_queue(dev, 0)->qdisc));
	ev(dev, "%s=%#x", type == UNETDEV_RTM_NEWLINK ? "NEWLINK" : "DELLINK", change);
}

/* ---- helpers ---- */

enum { WD = 1, CARRIER_OFF = 2, NO_QUEUE = 4 };

static struct net_device *mk(const char *name, unsigned int txqs, int opts)
{
	struct net_device *dev = alloc_netdev_mqs(0, name, NET_NAME_USER, up_setup, txqs, txqs);

	ASSERT_NOT_NULL(dev);
	if (opts & WD)
		dev->netdev_ops = &up_ops_wd;
	if (opts & CARRIER_OFF)
		netif_carrier_off(dev);
	if (opts & NO_QUEUE)
		dev->priv_flags |= IFF_NO_QUEUE;
	ASSERT_EQ(register_netdev(dev), 0);
	return dev;
}

static void observe(void)
{
	ASSERT_EQ(register_netdevice_notifier(&up_nb), 0);
	ASSERT_EQ(unetdev_link_listener_add(up_link_event, NULL), 0);
	ev_clear();
}

static void unobserve(void)
{
	log_on = false;
	ASSERT_EQ(unetdev_link_listener_del(up_link_event, NULL), 0);
	ASSERT_EQ(unregister_netdevice_notifier(&up_nb), 0);
}

static void rm(struct net_device *dev)
{
	log_on = false;
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

static int do_flags(struct net_device *dev, unsigned int flags)
{
	int ret;

	rtnl_lock();
	ret = dev_change_flags(dev, flags, NULL);
	rtnl_unlock();
	return ret;
}

static const char *txq_qdisc(struct net_device *dev, unsigned int i)
{
	return unetdev_qdisc_id(netdev_get_tx_queue(dev, i)->qdisc);
}

static const char *txq_sleeping(struct net_device *dev, unsigned int i)
{
	return unetdev_qdisc_id(netdev_get_tx_queue(dev, i)->qdisc_sleeping);
}

/* Captured log lines, for the messages the rules quote. */
static char loglines[4096];

static void capture(int level, const char *line, void *ctx)
{
	strncat(loglines, line, sizeof(loglines) - strlen(loglines) - 2);
	strcat(loglines, "\n");
}

/* ---- R-UP-1..9: open ---- */

TEST(r_up_1_open_when_up_does_nothing)
{
	struct net_device *dev = mk("a", 1, 0);

	ASSERT_EQ(do_open(dev), 0);
	observe();
	ASSERT_EQ(do_open(dev), 0);
	ASSERT_STR_EQ(evs(), "");
	unobserve();
	rm(dev);
}

TEST(r_up_2_open_of_absent_device_is_enodev)
{
	struct net_device *dev = mk("a", 1, 0);

	netif_device_detach(dev);
	observe();
	ASSERT_EQ(do_open(dev), -ENODEV);
	ASSERT_STR_EQ(evs(), ""); /* not even PRE_UP */
	ASSERT_FALSE(dev->flags & IFF_UP);
	ASSERT_FALSE(netif_running(dev));
	unobserve();
	netif_device_attach(dev);
	rm(dev);
}

/* Deliberately without rtnl: the analysis would reject the call. */
static int open_without_rtnl(struct net_device *dev) UNETDEV_NO_TSA
{
	return dev_open(dev, NULL);
}

static void close_without_rtnl(struct net_device *dev) UNETDEV_NO_TSA
{
	dev_close(dev);
}

TEST(r_up_2_open_without_rtnl_is_reported)
{
	struct net_device *dev = mk("a", 1, 0);

	expect_violations();
	ASSERT_EQ(open_without_rtnl(dev), 0);
	ASSERT_GE(unetdev_check_count("R-UP-2"), 1);
	ASSERT_GE(unetdev_check_count("R-SYNC-1"), 1); /* ndo_open outside rtnl */
	close_without_rtnl(dev);
	ASSERT_GE(unetdev_check_count("R-SYNC-2"), 1);
	rm(dev);
}

TEST(r_up_3_pre_up_veto_changes_nothing)
{
	struct net_device *dev = mk("a", 1, 0);

	observe();
	veto_event = NETDEV_PRE_UP;
	veto_err = -EBUSY;
	ASSERT_EQ(do_open(dev), -EBUSY);
	ASSERT_STR_EQ(evs(), "a:PRE_UP"); /* no driver call, no UP, no NEWLINK */
	ASSERT_FALSE(dev->flags & IFF_UP);
	ASSERT_FALSE(netif_running(dev));
	ASSERT_STR_EQ(unetdev_qdisc_id(dev->qdisc), "noop");
	veto_event = 0;
	unobserve();
	rm(dev);
}

TEST(r_up_4_running_true_in_ndo_open)
{
	struct net_device *dev = mk("a", 1, 0);

	observe();
	ASSERT_EQ(do_open(dev), 0);
	ASSERT_CONTAINS(evs(), "a:ndo_open run=1");
	unobserve();
	rm(dev);
}

TEST(r_up_5_validate_addr_runs_first_and_its_error_prevents_open)
{
	struct net_device *dev = mk("a", 1, 0);

	observe();
	cfg.validate_ret = -EADDRNOTAVAIL;
	ASSERT_EQ(do_open(dev), -EADDRNOTAVAIL);
	ASSERT_STR_EQ(evs(), "a:PRE_UP a:ndo_validate_addr");
	cfg.validate_ret = 0;
	ev_clear();
	ASSERT_EQ(do_open(dev), 0);
	ASSERT_CONTAINS(evs(), "a:PRE_UP a:ndo_validate_addr a:ndo_open");
	unobserve();
	rm(dev);
}

TEST(r_up_6_open_failure_rolls_back)
{
	struct net_device *dev = mk("a", 1, 0);

	observe();
	cfg.open_ret = -EIO;
	ASSERT_EQ(do_open(dev), -EIO);
	ASSERT_STR_EQ(evs(), "a:PRE_UP a:ndo_validate_addr a:ndo_open run=1");
	ASSERT_FALSE(netif_running(dev));
	ASSERT_FALSE(dev->flags & IFF_UP);
	ASSERT_STR_EQ(unetdev_qdisc_id(dev->qdisc), "noop"); /* not activated */
	ASSERT_STR_EQ(txq_qdisc(dev, 0), "noop");
	cfg.open_ret = 0;
	unobserve();
	rm(dev);
}

TEST(r_up_7_open_success_order)
{
	struct net_device *dev = mk("a", 1, 0);

	observe();
	ASSERT_EQ(do_open(dev), 0);
	ASSERT_STR_EQ(evs(), "a:PRE_UP a:ndo_validate_addr a:ndo_open run=1 a:rx_mode "
			     "a:NEWLINK=0x41 a:UP");
	ASSERT_TRUE(rx_mode_saw_up);			/* IFF_UP set before rx_mode */
	ASSERT_STR_EQ(newlink_saw_qdisc, "pfifo_fast"); /* activated before NEWLINK */
	ASSERT_TRUE(dev->flags & IFF_UP);
	ASSERT_TRUE(netif_running(dev));
	unobserve();
	rm(dev);
}

TEST(r_up_8_single_queue_gets_pfifo_fast)
{
	struct net_device *dev = mk("a", 1, 0);

	ASSERT_STR_EQ(txq_qdisc(dev, 0), "noop"); /* R-REG-14 */
	ASSERT_EQ(do_open(dev), 0);
	ASSERT_STR_EQ(unetdev_qdisc_id(dev->qdisc), "pfifo_fast");
	ASSERT_PTR_EQ(dev->qdisc, netdev_get_tx_queue(dev, 0)->qdisc);
	ASSERT_STR_EQ(txq_qdisc(dev, 0), "pfifo_fast");
	/* Close keeps the configured qdisc; the queue points at noop. */
	do_close(dev);
	ASSERT_STR_EQ(txq_qdisc(dev, 0), "noop");
	ASSERT_STR_EQ(txq_sleeping(dev, 0), "pfifo_fast");
	ASSERT_EQ(do_open(dev), 0);
	ASSERT_STR_EQ(txq_qdisc(dev, 0), "pfifo_fast");
	rm(dev);
}

TEST(r_up_8_no_queue_device_gets_noqueue_everywhere)
{
	struct net_device *dev = mk("a", 3, NO_QUEUE);

	ASSERT_EQ(do_open(dev), 0);
	ASSERT_STR_EQ(unetdev_qdisc_id(dev->qdisc), "noqueue");
	for (unsigned int i = 0; i < 3; i++)
		ASSERT_STR_EQ(txq_qdisc(dev, i), "noqueue");
	rm(dev);
}

TEST(r_up_8_multiqueue_gets_mq_with_a_default_child_per_queue)
{
	struct net_device *dev = mk("a", 4, 0);

	ASSERT_EQ(do_open(dev), 0);
	ASSERT_STR_EQ(unetdev_qdisc_id(dev->qdisc), "mq");
	for (unsigned int i = 0; i < 4; i++) {
		ASSERT_STR_EQ(txq_qdisc(dev, i), "pfifo_fast");
		if (i)
			ASSERT_PTR_NE(netdev_get_tx_queue(dev, i)->qdisc,
				      netdev_get_tx_queue(dev, i - 1)->qdisc);
	}
	rm(dev);
}

TEST(r_up_8_default_failure_falls_back_to_noqueue)
{
	struct net_device *dev = mk("a", 1, 0);

	unetdev_log_set_fn(capture, NULL);
	dev->tx_queue_len = 0; /* pfifo_fast refuses zero-length rings (R-Q-4) */
	ASSERT_EQ(do_open(dev), 0);
	unetdev_log_set_fn(NULL, NULL);
	ASSERT_CONTAINS(loglines, "a: default qdisc (pfifo_fast) fail, fallback to noqueue");
	ASSERT_STR_EQ(unetdev_qdisc_id(dev->qdisc), "noqueue");
	ASSERT_STR_EQ(txq_qdisc(dev, 0), "noqueue");
	ASSERT_FALSE(dev->priv_flags & IFF_NO_QUEUE); /* only borrowed for the fallback */
	rm(dev);
}

TEST(r_up_8_root_allocation_failure_falls_back_to_noqueue)
{
	struct net_device *dev = mk("a", 4, 0);

	unetdev_fault_fail_site("kmalloc");
	ASSERT_EQ(do_open(dev), 0);
	unetdev_fault_clear();
	ASSERT_STR_EQ(unetdev_qdisc_id(dev->qdisc), "noqueue");
	for (unsigned int i = 0; i < 4; i++)
		ASSERT_STR_EQ(txq_qdisc(dev, i), "noqueue");
	rm(dev);
}

TEST(r_up_8_child_allocation_failure_falls_back_to_noqueue)
{
	struct net_device *dev = mk("a", 4, 0);

	unetdev_log_set_fn(capture, NULL);
	unetdev_fault_fail_nth("kmalloc", 3); /* the mq root, its array, then a child */
	ASSERT_EQ(do_open(dev), 0);
	ASSERT_EQ(unetdev_fault_injected(), 1);
	unetdev_fault_clear();
	unetdev_log_set_fn(NULL, NULL);
	ASSERT_CONTAINS(loglines, "fallback to noqueue");
	ASSERT_STR_EQ(unetdev_qdisc_id(dev->qdisc), "noqueue");
	for (unsigned int i = 0; i < 4; i++)
		ASSERT_STR_EQ(txq_qdisc(dev, i), "noqueue");
	rm(dev);
}

TEST(r_up_9_carrier_off_defers_queue_activation)
{
	struct net_device *dev = mk("a", 2, CARRIER_OFF | WD);

	ASSERT_EQ(do_open(dev), 0);
	ASSERT_STR_EQ(unetdev_qdisc_id(dev->qdisc), "mq"); /* attached ... */
	for (unsigned int i = 0; i < 2; i++) {
		ASSERT_STR_EQ(txq_sleeping(dev, i), "pfifo_fast");
		ASSERT_STR_EQ(txq_qdisc(dev, i), "noop"); /* ... but not live */
	}
	ASSERT_FALSE(timer_pending(&dev->watchdog_timer));
	rm(dev);
}

TEST(r_up_9_carrier_on_switches_queues_resets_trans_start_arms_watchdog)
{
	struct net_device *dev;
	unsigned long now;
	int refs;

	unetdev_clock_set_manual(true);
	dev = mk("a", 3, WD);
	for (unsigned int i = 0; i < 3; i++)
		netdev_get_tx_queue(dev, i)->trans_start = 12345;
	refs = netdev_refcnt_read(dev);
	now = jiffies;
	ASSERT_EQ(do_open(dev), 0);
	for (unsigned int i = 0; i < 3; i++)
		ASSERT_STR_EQ(txq_qdisc(dev, i), "pfifo_fast");
	ASSERT_UEQ(netdev_get_tx_queue(dev, 0)->trans_start, now);
	ASSERT_UEQ(netdev_get_tx_queue(dev, 1)->trans_start, 0);
	ASSERT_UEQ(netdev_get_tx_queue(dev, 2)->trans_start, 0);
	/* R-WD-1/2: default 5 s, rounded to a whole second, holding a reference. */
	ASSERT_EQ(dev->watchdog_timeo, 5 * (int)HZ);
	ASSERT_TRUE(timer_pending(&dev->watchdog_timer));
	ASSERT_UEQ(dev->watchdog_timer.expires, round_jiffies(now + 5 * HZ));
	ASSERT_EQ(netdev_refcnt_read(dev), refs + 1);
	do_close(dev); /* R-WD-3: disarmed, reference returned */
	ASSERT_FALSE(timer_pending(&dev->watchdog_timer));
	ASSERT_EQ(netdev_refcnt_read(dev), refs);
	rm(dev);
}

TEST(r_up_9_no_watchdog_without_ndo_tx_timeout)
{
	struct net_device *dev = mk("a", 1, 0);
	int refs = netdev_refcnt_read(dev);

	ASSERT_EQ(do_open(dev), 0);
	ASSERT_FALSE(timer_pending(&dev->watchdog_timer));
	ASSERT_EQ(netdev_refcnt_read(dev), refs);
	rm(dev);
}

/* ---- R-UP-10..14: close ---- */

TEST(r_up_10_close_when_down_does_nothing)
{
	struct net_device *dev = mk("a", 1, 0);

	observe();
	do_close(dev);
	ASSERT_STR_EQ(evs(), "");
	unobserve();
	rm(dev);
}

TEST(r_up_11_close_order_and_running_false_in_ndo_stop)
{
	struct net_device *dev = mk("a", 2, WD);

	ASSERT_EQ(do_open(dev), 0);
	observe();
	do_close(dev);
	ASSERT_STR_EQ(evs(), "a:GOING_DOWN a:ndo_stop run=0 a:NEWLINK=0x41 a:DOWN");
	ASSERT_FALSE(at_stop.running);
	ASSERT_FALSE(at_stop.watchdog_pending); /* deactivated before ndo_stop */
	ASSERT_TRUE(at_stop.deactivated_all);
	ASSERT_FALSE(dev->flags & IFF_UP);
	unobserve();
	rm(dev);
}

TEST(r_up_12_ndo_stop_result_ignored_and_called_when_detached)
{
	struct net_device *dev = mk("a", 1, 0);

	ASSERT_EQ(do_open(dev), 0);
	netif_device_detach(dev);
	cfg.stop_ret = -EIO;
	observe();
	do_close(dev);
	ASSERT_STR_EQ(evs(), "a:GOING_DOWN a:ndo_stop run=0 a:NEWLINK=0x41 a:DOWN");
	ASSERT_FALSE(dev->flags & IFF_UP);
	unobserve();
	netif_device_attach(dev);
	rm(dev);
}

TEST(r_up_13_ndo_stop_sees_queues_on_noop)
{
	struct net_device *dev = mk("a", 4, 0);

	ASSERT_EQ(do_open(dev), 0);
	do_close(dev);
	ASSERT_TRUE(at_stop.deactivated_all);
	ASSERT_STR_EQ(at_stop.qdisc, "noop");
	rm(dev);
}

static int idle_poll(struct napi_struct *napi, int budget)
{
	napi_complete_done(napi, 0);
	return 0;
}

TEST(r_up_13_core_leaves_napi_disable_to_the_driver)
{
	struct net_device *dev = mk("a", 1, 0);
	struct napi_struct napi;

	memset(&napi, 0, sizeof(napi));
	netif_napi_add(dev, &napi, idle_poll);
	napi_enable(&napi);
	ASSERT_EQ(do_open(dev), 0);
	do_close(dev); /* up_stop does not disable the instance ... */
	ASSERT_FALSE(test_bit(NAPI_STATE_SCHED, &napi.state)); /* ... and the core did not either */
	ASSERT_TRUE(napi_schedule(&napi)); /* still schedulable: the driver's job was skipped */
	napi_disable(&napi);
	netif_napi_del(&napi);
	rm(dev);
}

TEST(r_up_14_batch_going_down_for_all_before_any_stop)
{
	struct net_device *a = mk("a", 1, 0), *b = mk("b", 1, 0), *c = mk("c", 1, 0);
	LIST_HEAD(list);

	ASSERT_EQ(do_open(a), 0);
	ASSERT_EQ(do_open(b), 0);
	list_add_tail(&a->close_list, &list);
	list_add_tail(&c->close_list, &list); /* down: dropped from the batch */
	list_add_tail(&b->close_list, &list);
	observe();
	rtnl_lock();
	dev_close_many(&list, false);
	rtnl_unlock();
	ASSERT_STR_EQ(evs(), "a:GOING_DOWN b:GOING_DOWN a:ndo_stop run=0 b:ndo_stop run=0 "
			     "a:NEWLINK=0x41 a:DOWN b:NEWLINK=0x41 b:DOWN");
	/* Without unlink the closed devices stay listed; c was removed. */
	ASSERT_TRUE(list_empty(&c->close_list));
	ASSERT_PTR_EQ(list.next, &a->close_list);
	ASSERT_PTR_EQ(a->close_list.next, &b->close_list);
	list_del_init(&a->close_list);
	list_del_init(&b->close_list);
	unobserve();
	rm(a);
	rm(b);
	rm(c);
}

TEST(r_up_14_dev_close_many_unlink_empties_the_list)
{
	struct net_device *a = mk("a", 1, 0), *b = mk("b", 1, 0);
	LIST_HEAD(list);

	ASSERT_EQ(do_open(a), 0);
	ASSERT_EQ(do_open(b), 0);
	list_add_tail(&a->close_list, &list);
	list_add_tail(&b->close_list, &list);
	rtnl_lock();
	dev_close_many(&list, true);
	rtnl_unlock();
	ASSERT_TRUE(list_empty(&list));
	ASSERT_TRUE(list_empty(&a->close_list));
	ASSERT_FALSE(b->flags & IFF_UP);
	rm(a);
	rm(b);
}

/* ---- R-UP-15..17: flags ---- */

TEST(r_up_15_only_user_settable_flags_are_copied)
{
	struct net_device *dev = mk("a", 1, 0);
	unsigned int before = dev->flags;

	ASSERT_EQ(do_flags(dev, before | IFF_NOARP | IFF_DEBUG | IFF_LOOPBACK | IFF_RUNNING |
				    IFF_LOWER_UP | IFF_MASTER),
		  0);
	ASSERT_TRUE(dev->flags & IFF_NOARP);
	ASSERT_TRUE(dev->flags & IFF_DEBUG);
	ASSERT_FALSE(dev->flags & (IFF_LOOPBACK | IFF_RUNNING | IFF_LOWER_UP | IFF_MASTER));
	ASSERT_TRUE(dev->flags & IFF_BROADCAST); /* volatile: kept although not requested */
	ASSERT_EQ(do_flags(dev, 0), 0);
	ASSERT_TRUE(dev->flags & IFF_BROADCAST);
	ASSERT_FALSE(dev->flags & (IFF_NOARP | IFF_DEBUG | IFF_MULTICAST));
	rm(dev);
}

TEST(r_up_15_multicast_change_calls_rx_flags_and_rx_mode_always_runs)
{
	struct net_device *dev = mk("a", 1, 0);

	ASSERT_EQ(do_open(dev), 0);
	observe();
	ASSERT_EQ(do_flags(dev, dev->flags & ~IFF_MULTICAST), 0);
	ASSERT_STR_EQ(evs(), "a:rx_flags=0x1000 a:rx_mode a:NEWLINK=0x1000 a:CHANGE");
	ev_clear();
	ASSERT_EQ(do_flags(dev, dev->flags), 0); /* no change: rx_mode only */
	ASSERT_STR_EQ(evs(), "a:rx_mode");
	unobserve();
	rm(dev);
}

TEST(r_up_15_up_bit_opens_and_closes)
{
	struct net_device *dev = mk("a", 1, 0);

	observe();
	ASSERT_EQ(do_flags(dev, dev->flags | IFF_UP), 0);
	ASSERT_TRUE(netif_running(dev));
	/* Down: the first dev_set_rx_mode() does not reach the driver (R-ADDR-5). */
	ASSERT_STR_EQ(evs(), "a:PRE_UP a:ndo_validate_addr a:ndo_open run=1 a:rx_mode "
			     "a:NEWLINK=0x1 a:UP");
	ev_clear();
	ASSERT_EQ(do_flags(dev, dev->flags & ~IFF_UP), 0);
	ASSERT_FALSE(netif_running(dev));
	ASSERT_STR_EQ(evs(), "a:rx_mode a:GOING_DOWN a:ndo_stop run=0 a:NEWLINK=0x1 a:DOWN");
	/* A failed open is returned and nothing is announced. */
	cfg.open_ret = -EIO;
	ev_clear();
	ASSERT_EQ(do_flags(dev, dev->flags | IFF_UP), -EIO);
	ASSERT_FALSE(dev->flags & IFF_UP);
	ASSERT_STR_EQ(evs(), "a:PRE_UP a:ndo_validate_addr a:ndo_open run=1");
	cfg.open_ret = 0;
	unobserve();
	rm(dev);
}

TEST(r_up_15_promisc_and_allmulti_requests_go_through_gflags_promisc_first)
{
	struct net_device *dev = mk("a", 1, 0);

	observe();
	ASSERT_EQ(do_flags(dev, dev->flags | IFF_PROMISC | IFF_ALLMULTI), 0);
	ASSERT_EQ(dev->promiscuity, 1);
	ASSERT_EQ(dev->allmulti, 1);
	ASSERT_EQ(dev->gflags & (IFF_PROMISC | IFF_ALLMULTI), IFF_PROMISC | IFF_ALLMULTI);
	ASSERT_STR_EQ(evs(), "a:rx_flags=0x100 a:rx_flags=0x200 a:NEWLINK=0x300");
	/* Asking again changes nothing: the request is tracked, not counted twice. */
	ASSERT_EQ(do_flags(dev, dev->flags | IFF_PROMISC | IFF_ALLMULTI), 0);
	ASSERT_EQ(dev->promiscuity, 1);
	ASSERT_EQ(do_flags(dev, dev->flags & ~(IFF_PROMISC | IFF_ALLMULTI)), 0);
	ASSERT_EQ(dev->promiscuity, 0);
	ASSERT_EQ(dev->allmulti, 0);
	ASSERT_FALSE(dev->flags & (IFF_PROMISC | IFF_ALLMULTI));
	unobserve();
	rm(dev);
}

TEST(r_up_16_change_only_for_up_device_and_non_volatile_flags)
{
	struct net_device *dev = mk("a", 1, 0);

	observe();
	ASSERT_EQ(do_flags(dev, dev->flags | IFF_NOARP), 0); /* down: no CHANGE */
	ASSERT_STR_EQ(evs(), "a:NEWLINK=0x80");
	ASSERT_EQ(do_open(dev), 0);
	ev_clear();
	ASSERT_EQ(do_flags(dev, dev->flags & ~IFF_NOARP), 0);
	ASSERT_STR_EQ(evs(), "a:rx_mode a:NEWLINK=0x80 a:CHANGE");
	ASSERT_EQ(change_flags_changed, IFF_NOARP);
	ev_clear(); /* PROMISC only: NEWLINK, no CHANGE */
	ASSERT_EQ(do_flags(dev, dev->flags | IFF_PROMISC), 0);
	ASSERT_STR_EQ(evs(), "a:rx_mode a:rx_flags=0x100 a:rx_mode a:NEWLINK=0x100");
	unobserve();
	rm(dev);
}

TEST(r_up_16_state_change_only_when_up)
{
	struct net_device *dev = mk("a", 1, 0);

	observe();
	rtnl_lock();
	netdev_state_change(dev);
	rtnl_unlock();
	ASSERT_STR_EQ(evs(), "");
	ASSERT_EQ(do_open(dev), 0);
	ev_clear();
	rtnl_lock();
	netdev_state_change(dev);
	rtnl_unlock();
	ASSERT_STR_EQ(evs(), "a:CHANGE a:NEWLINK=0");
	unobserve();
	rm(dev);
}

TEST(r_up_17_reported_flags)
{
	struct net_device *dev = mk("a", 1, 0);

	ASSERT_FALSE(dev_get_flags(dev) & (IFF_UP | IFF_RUNNING | IFF_LOWER_UP));
	ASSERT_EQ(do_open(dev), 0);
	/* Fresh device: carrier on, operstate UNKNOWN, which counts as up (R-LINK-8). */
	ASSERT_EQ(dev->operstate, IF_OPER_UNKNOWN);
	ASSERT_EQ(dev_get_flags(dev) & (IFF_UP | IFF_RUNNING | IFF_LOWER_UP),
		  IFF_UP | IFF_RUNNING | IFF_LOWER_UP);
	/* PROMISC from the counter alone is not reported: gflags is. */
	rtnl_lock();
	ASSERT_EQ(dev_set_promiscuity(dev, 1), 0);
	rtnl_unlock();
	ASSERT_TRUE(dev->flags & IFF_PROMISC);
	ASSERT_FALSE(dev_get_flags(dev) & IFF_PROMISC);
	dev->gflags |= IFF_ALLMULTI; /* a request without a counter is reported */
	ASSERT_TRUE(dev_get_flags(dev) & IFF_ALLMULTI);
	dev->gflags &= (unsigned short)~IFF_ALLMULTI;
	/* RUNNING follows operstate, LOWER_UP the carrier, DORMANT the bit. */
	dev->operstate = IF_OPER_DOWN;
	ASSERT_FALSE(dev_get_flags(dev) & IFF_RUNNING);
	ASSERT_TRUE(dev_get_flags(dev) & IFF_LOWER_UP);
	dev->operstate = IF_OPER_UP;
	set_bit(__LINK_STATE_DORMANT, &dev->state);
	ASSERT_TRUE(dev_get_flags(dev) & IFF_DORMANT);
	clear_bit(__LINK_STATE_DORMANT, &dev->state);
	dev->operstate = IF_OPER_UNKNOWN;
	rtnl_lock();
	ASSERT_EQ(dev_set_promiscuity(dev, -1), 0);
	rtnl_unlock();
	do_close(dev);
	ASSERT_FALSE(dev_get_flags(dev) & (IFF_RUNNING | IFF_LOWER_UP));
	rm(dev);
}

/* ---- R-UP-18: detach / attach ---- */

TEST(r_up_18_detach_stops_queues_attach_wakes_them_and_arms_watchdog)
{
	struct net_device *dev = mk("a", 3, WD);

	ASSERT_EQ(do_open(dev), 0);
	netif_device_detach(dev);
	ASSERT_FALSE(netif_device_present(dev));
	for (unsigned int i = 0; i < 3; i++)
		ASSERT_TRUE(netif_tx_queue_stopped(netdev_get_tx_queue(dev, i)));
	netif_device_attach(dev);
	ASSERT_TRUE(netif_device_present(dev));
	for (unsigned int i = 0; i < 3; i++)
		ASSERT_FALSE(netif_tx_queue_stopped(netdev_get_tx_queue(dev, i)));
	ASSERT_TRUE(timer_pending(&dev->watchdog_timer));
	rm(dev);
}

TEST(r_up_18_detach_of_a_down_device_leaves_queues)
{
	struct net_device *dev = mk("a", 1, WD);

	netif_device_detach(dev);
	ASSERT_FALSE(netif_tx_queue_stopped(netdev_get_tx_queue(dev, 0)));
	netif_device_attach(dev);
	ASSERT_FALSE(timer_pending(&dev->watchdog_timer));
	rm(dev);
}

TEST(r_up_18_while_detached_mtu_mac_fail_and_rx_mode_is_skipped)
{
	struct net_device *dev = mk("a", 1, 0);
	struct sockaddr_hw sa = {.sa_family = ARPHRD_ETHER, .sa_data = {0x02, 1, 2, 3, 4, 5}};

	ASSERT_EQ(do_open(dev), 0);
	netif_device_detach(dev);
	observe();
	rtnl_lock();
	ASSERT_EQ(dev_set_mtu(dev, 1400), -ENODEV);
	ASSERT_EQ(dev_set_mac_address(dev, &sa, NULL), -ENODEV);
	rtnl_unlock();
	dev_set_rx_mode(dev);
	ASSERT_STR_EQ(evs(), "");
	unobserve();
	netif_device_attach(dev);
	rm(dev);
}

SKIP_TEST(r_up_19_ops_locked_devices_take_the_instance_lock,
	  "section 19 (netdev instance lock, ops-locked devices) is the second phase")

/* ---- R-ADDR-7..9: the promiscuity and allmulti counters ---- */

TEST(r_addr_7_promiscuity_counts_and_logs_transitions)
{
	struct net_device *dev = mk("a", 1, 0);

	ASSERT_EQ(do_open(dev), 0);
	unetdev_log_set_fn(capture, NULL);
	observe();
	rtnl_lock();
	ASSERT_EQ(dev_set_promiscuity(dev, 1), 0);
	ASSERT_EQ(dev_set_promiscuity(dev, 1), 0); /* 2: no transition */
	ASSERT_EQ(dev_set_promiscuity(dev, -1), 0);
	ASSERT_EQ(dev_set_promiscuity(dev, -1), 0);
	rtnl_unlock();
	unetdev_log_set_fn(NULL, NULL);
	/* rx_flags + rx_mode only on transitions; NEWLINK every time; never CHANGE. */
	ASSERT_STR_EQ(evs(), "a:rx_flags=0x100 a:NEWLINK=0x100 a:rx_mode a:NEWLINK=0x100 "
			     "a:NEWLINK=0x100 a:rx_flags=0x100 a:NEWLINK=0x100 a:rx_mode");
	ASSERT_CONTAINS(loglines, "a: entered promiscuous mode\na: left promiscuous mode\n");
	ASSERT_EQ(dev->promiscuity, 0);
	ASSERT_FALSE(dev->flags & IFF_PROMISC);
	unobserve();
	rm(dev);
}

TEST(r_addr_7_promiscuity_overflow_is_eoverflow)
{
	struct net_device *dev = mk("a", 1, 0);

	dev->promiscuity = UINT32_MAX;
	dev->flags |= IFF_PROMISC;
	rtnl_lock();
	ASSERT_EQ(dev_set_promiscuity(dev, 1), -EOVERFLOW);
	rtnl_unlock();
	ASSERT_UEQ(dev->promiscuity, UINT32_MAX); /* untouched */
	dev->promiscuity = 0;
	dev->flags &= ~IFF_PROMISC;
	rm(dev);
}

TEST(r_addr_8_decrement_below_zero_wraps_and_turns_promisc_on)
{
	struct net_device *dev = mk("a", 1, 0);

	rtnl_lock();
	ASSERT_EQ(dev_set_promiscuity(dev, -1), 0);
	ASSERT_UEQ(dev->promiscuity, UINT32_MAX);
	ASSERT_TRUE(dev->flags & IFF_PROMISC);
	/* ... and +1 cannot undo it: UINT_MAX + 1 is the refused overflow. */
	ASSERT_EQ(dev_set_promiscuity(dev, 1), -EOVERFLOW);
	ASSERT_TRUE(dev->flags & IFF_PROMISC);
	rtnl_unlock();
	dev->promiscuity = 0;
	dev->flags &= ~IFF_PROMISC;
	rm(dev);
}

TEST(r_addr_9_allmulti_counts_logs_and_is_not_announced)
{
	struct net_device *dev = mk("a", 1, 0);

	ASSERT_EQ(do_open(dev), 0);
	unetdev_log_set_fn(capture, NULL);
	observe();
	rtnl_lock();
	ASSERT_EQ(dev_set_allmulti(dev, 1), 0);
	ASSERT_EQ(dev_set_allmulti(dev, -1), 0);
	ASSERT_EQ(dev_set_allmulti(dev, -1), 0); /* wraps: on */
	ASSERT_TRUE(dev->flags & IFF_ALLMULTI);
	dev->allmulti = UINT32_MAX;
	ASSERT_EQ(dev_set_allmulti(dev, 1), -EOVERFLOW);
	dev->allmulti = 1;
	ASSERT_EQ(dev_set_allmulti(dev, -1), 0);
	rtnl_unlock();
	unetdev_log_set_fn(NULL, NULL);
	/* The kernel announces only user (gflags) changes: none here. */
	ASSERT_STR_EQ(evs(), "a:rx_flags=0x200 a:rx_mode a:rx_flags=0x200 a:rx_mode "
			     "a:rx_flags=0x200 a:rx_mode a:rx_flags=0x200 a:rx_mode");
	ASSERT_CONTAINS(loglines, "a: entered allmulticast mode\na: left allmulticast mode\n");
	ASSERT_FALSE(dev->flags & IFF_ALLMULTI);
	unobserve();
	rm(dev);
}
