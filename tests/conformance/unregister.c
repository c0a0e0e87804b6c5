// SPDX-License-Identifier: MIT
/*
 * Conformance: unregistration, references and the final free (R-UNREG).
 */
#include <pthread.h>
#include <time.h>
#include <unistd.h>
#include <unetdev/rtnl_link.h>
#include <unetdev/unetdev.h>

#include "harness.h"

static int uninit_calls, destructor_calls;
static bool destructor_saw_rtnl;
static int events_at_uninit; /* number of recorded events when ndo_uninit ran */

static int nev;
static unsigned long evs[128];
static char ev_names[128][IFNAMSIZ];
static bool lookup_found_at_unregister;

static void u_uninit(struct net_device *dev)
{
	uninit_calls++;
	events_at_uninit = nev;
}

static void u_destructor(struct net_device *dev)
{
	destructor_calls++;
	destructor_saw_rtnl = rtnl_held_by_me();
}

static netdev_tx_t u_xmit(struct sk_buff *skb, struct net_device *dev)
{
	consume_skb(skb);
	return NETDEV_TX_OK;
}

static int rx_mode_calls;

static void u_set_rx_mode(struct net_device *dev)
{
	rx_mode_calls++;
}

static const struct net_device_ops u_ops = {
    .ndo_uninit = u_uninit,
    .ndo_start_xmit = u_xmit,
    .ndo_set_rx_mode = u_set_rx_mode,
};

static void u_setup(struct net_device *dev)
{
	ether_setup(dev);
	dev->netdev_ops = &u_ops;
	dev->priv_destructor = u_destructor;
}

static struct net_device *u_new(const char *name)
{
	struct net_device *dev = alloc_netdev(0, name, NET_NAME_USER, u_setup);

	uninit_calls = destructor_calls = 0;
	ASSERT_EQ(register_netdev(dev), 0);
	return dev;
}

static pthread_mutex_t ev_lock = PTHREAD_MUTEX_INITIALIZER;

static int rec_cb(struct notifier_block *nb, unsigned long ev, void *ptr)
{
	struct net_device *dev = netdev_notifier_info_to_dev(ptr);

	pthread_mutex_lock(&ev_lock);
	if (nev < 128) {
		evs[nev] = ev;
		snprintf(ev_names[nev], IFNAMSIZ, "%s", dev->name);
		nev++;
	}
	pthread_mutex_unlock(&ev_lock);
	if (ev == NETDEV_UNREGISTER)
		lookup_found_at_unregister = __dev_get_by_name(dev_net(dev), dev->name) != NULL;
	return NOTIFY_DONE;
}

static struct notifier_block rec_nb = {.notifier_call = rec_cb};

static void rec_start(void)
{
	ASSERT_EQ(register_netdevice_notifier(&rec_nb), 0);
	pthread_mutex_lock(&ev_lock);
	nev = 0;
	pthread_mutex_unlock(&ev_lock);
}

static void rec_stop(void)
{
	ASSERT_EQ(unregister_netdevice_notifier(&rec_nb), 0);
}

static int count_ev(unsigned long ev)
{
	int n = 0;

	pthread_mutex_lock(&ev_lock);
	for (int i = 0; i < nev; i++)
		n += evs[i] == ev;
	pthread_mutex_unlock(&ev_lock);
	return n;
}

static int index_of(unsigned long ev, const char *name)
{
	for (int i = 0; i < nev; i++)
		if (evs[i] == ev && (!name || !strcmp(ev_names[i], name)))
			return i;
	return -1;
}

TEST(r_unreg_1_queue_then_many)
{
	struct net_device *a = u_new("q1a"), *b = u_new("q1b");
	LIST_HEAD(batch);

	rtnl_lock();
	unregister_netdevice_queue(a, &batch);
	unregister_netdevice_queue(b, &batch);
	ASSERT_EQ(a->reg_state, NETREG_REGISTERED); /* only queued */
	unregister_netdevice_many(&batch);
	ASSERT_EQ(a->reg_state, NETREG_UNREGISTERING);
	ASSERT_EQ(b->reg_state, NETREG_UNREGISTERING);
	ASSERT_TRUE(list_empty(&batch));
	rtnl_unlock();
	free_netdev(a);
	free_netdev(b);
}

TEST(r_unreg_2_never_registered_is_skipped_with_warning)
{
	struct net_device *dev = alloc_netdev(0, "nr2", NET_NAME_USER, u_setup);

	expect_violations();
	rtnl_lock();
	unregister_netdevice(dev);
	rtnl_unlock();
	ASSERT_EQ(unetdev_check_count("R-UNREG-2"), 1);
	ASSERT_EQ(dev->reg_state, NETREG_UNINITIALIZED);
	free_netdev(dev);
}

TEST(r_unreg_2_unregister_twice_is_bug)
{
	struct net_device *dev = u_new("tw2");

	unregister_netdev(dev);
	expect_violations();
	unregister_netdev(dev);
	ASSERT_EQ(unetdev_check_count("R-UNREG-2"), 1);
	free_netdev(dev);
}

TEST(r_unreg_3_dismantle_set)
{
	struct net_device *dev = u_new("dm3");

	ASSERT_FALSE(dev->dismantle);
	unregister_netdev(dev);
	ASSERT_TRUE(dev->dismantle);
	free_netdev(dev);
}

TEST(r_unreg_4_up_device_closed_first)
{
	struct net_device *dev = u_new("up4");

	rtnl_lock();
	ASSERT_EQ(dev_open(dev, NULL), 0);
	rtnl_unlock();
	rec_start();
	unregister_netdev(dev);
	ASSERT_EQ(evs[0], NETDEV_GOING_DOWN);
	ASSERT_EQ(evs[1], NETDEV_DOWN);
	ASSERT_LT(index_of(NETDEV_DOWN, "up4"), index_of(NETDEV_UNREGISTER, "up4"));
	ASSERT_FALSE(dev->flags & IFF_UP);
	rec_stop();
	free_netdev(dev);
}

TEST(r_unreg_5_unlisted_and_unregistering)
{
	struct net_device *dev = u_new("ul5");
	int ifindex = dev->ifindex;

	rec_start();
	lookup_found_at_unregister = true;
	rtnl_lock();
	unregister_netdevice(dev);
	ASSERT_EQ(dev->reg_state, NETREG_UNREGISTERING);
	ASSERT_NULL(__dev_get_by_name(&init_net, "ul5"));
	ASSERT_NULL(__dev_get_by_index(&init_net, ifindex));
	rtnl_unlock();
	ASSERT_FALSE(lookup_found_at_unregister);
	ASSERT_NULL(dev_get_by_name(&init_net, "ul5"));
	rec_stop();
	free_netdev(dev);
}

#include <arpa/inet.h>
#include <unetdev/engine.h>

static int unreg6_seen;
static int unreg6_rcv(struct sk_buff *skb, struct net_device *dev, struct packet_type *pt,
		      struct net_device *orig)
{
	unreg6_seen++;
	consume_skb(skb);
	return NET_RX_SUCCESS;
}

static void *unreg6_unregister(void *arg)
{
	unregister_netdev(arg);
	return NULL;
}

/* Packets sit in engine CPU 0's backlog (this thread acts as the CPU, BHs off)
 * while another thread unregisters the device: they are dropped, never delivered. */
TEST_TIMEOUT(r_unreg_6_backlog_flushed, 60)
{
	struct unetdev_engine_config cfg = {.sz = sizeof(cfg), .ncpus = 1, .no_threads = true};
	struct packet_type pt = {.func = unreg6_rcv};
	unsigned long ready = skb_drop_count(SKB_DROP_REASON_DEV_READY);
	struct net_device *dev = u_new("ub6");
	pthread_t t;

	pt.type = htons(ETH_P_ALL);
	pt.af_packet_net = &init_net;
	rtnl_lock();
	ASSERT_EQ(dev_open(dev, NULL), 0);
	rtnl_unlock();
	dev_add_pack(&pt);
	ASSERT_EQ(unetdev_engine_start(&cfg), 0);
	ASSERT_EQ(unetdev_cpu_attach(0), 0);
	local_bh_disable();
	for (int i = 0; i < 5; i++) {
		struct sk_buff *skb = netdev_alloc_skb(dev, 60);

		memset(skb_put(skb, 60), 0xff, 60);
		skb->protocol = eth_type_trans(skb, dev);
		ASSERT_EQ(netif_rx(skb), NET_RX_SUCCESS);
	}
	pthread_create(&t, NULL, unreg6_unregister, dev);
	while (READ_ONCE(dev->reg_state) != NETREG_UNREGISTERING)
		usleep(100);
	usleep(20000);
	local_bh_enable(); /* this CPU serves the flush request, then runs NET_RX */
	pthread_join(t, NULL);
	unetdev_cpu_detach();
	unetdev_engine_stop();
	ASSERT_EQ(unreg6_seen, 0);
	ASSERT_EQ(skb_drop_count(SKB_DROP_REASON_DEV_READY), ready + 5);
	dev_remove_pack(&pt);
	free_netdev(dev);
}

TEST(r_unreg_7_teardown_order)
{
	static const unsigned char mc[6] = {0x01, 0, 0x5e, 0, 0, 1};
	struct net_device *dev = u_new("ord7");
	int unreg, preuninit;

	rtnl_lock();
	ASSERT_EQ(dev_open(dev, NULL), 0);
	ASSERT_EQ(dev_mc_add(dev, mc), 0);
	ASSERT_EQ(dev_uc_add(dev, mc + 0), 0); /* no IFF_UNICAST_FLT: promiscuity under rtnl */
	dev_close(dev);
	rtnl_unlock();
	rx_mode_calls = 0;
	rec_start();
	unregister_netdev(dev);
	unreg = index_of(NETDEV_UNREGISTER, "ord7");
	preuninit = index_of(NETDEV_PRE_UNINIT, "ord7");
	ASSERT_GE(unreg, 0);
	ASSERT_GT(preuninit, unreg);
	ASSERT_EQ(events_at_uninit, preuninit + 1); /* ndo_uninit right after PRE_UNINIT */
	ASSERT_EQ(uninit_calls, 1);
	ASSERT_EQ(netdev_mc_count(dev), 0); /* flushed ... */
	ASSERT_EQ(netdev_uc_count(dev), 0);
	ASSERT_EQ(rx_mode_calls, 0); /* ... without a driver callback */
	rec_stop();
	free_netdev(dev);
}

static int dellink_seen_after_uninit = -1;

static void link_cb(int type, struct net_device *dev, unsigned int change, void *ctx)
{
	if (type == UNETDEV_RTM_DELLINK && !strcmp(dev->name, "dl7"))
		dellink_seen_after_uninit = uninit_calls;
}

TEST(r_unreg_7_dellink_after_uninit)
{
	struct net_device *dev = u_new("dl7");

	ASSERT_EQ(unetdev_link_listener_add(link_cb, NULL), 0);
	unregister_netdev(dev);
	ASSERT_EQ(dellink_seen_after_uninit, 1);
	ASSERT_EQ(unetdev_link_listener_del(link_cb, NULL), 0);
	free_netdev(dev);
}

TEST(r_unreg_8_registered_reference_dropped)
{
	struct net_device *dev = u_new("rr8");

	ASSERT_EQ(netdev_refcnt_read(dev), 2);
	rtnl_lock();
	unregister_netdevice(dev);
	ASSERT_EQ(netdev_refcnt_read(dev), 1);
	rtnl_unlock();
	free_netdev(dev);
}

TEST(r_unreg_9_completion_deferred_to_rtnl_unlock)
{
	struct net_device *dev = u_new("df9");

	rtnl_lock();
	unregister_netdevice(dev);
	ASSERT_EQ(dev->reg_state, NETREG_UNREGISTERING);
	ASSERT_EQ(destructor_calls, 0);
	rtnl_unlock();
	ASSERT_EQ(dev->reg_state, NETREG_UNREGISTERED);
	ASSERT_EQ(destructor_calls, 1);
	free_netdev(dev);
}

TEST(r_unreg_10_run_todo_flushes_linkwatch)
{
	struct net_device *dev = u_new("lw10");

	unetdev_clock_set_manual(true);
	rtnl_lock();
	ASSERT_EQ(dev_open(dev, NULL), 0);
	rtnl_unlock();
	unetdev_clock_advance(2 * HZ); /* let the open's events settle */
	netif_carrier_off(dev);
	ASSERT_TRUE(test_bit(__LINK_STATE_LINKWATCH_PENDING, &dev->state));
	unregister_netdev(dev); /* the pending event holds a reference: sync must drop it */
	ASSERT_FALSE(test_bit(__LINK_STATE_LINKWATCH_PENDING, &dev->state));
	ASSERT_EQ(dev->reg_state, NETREG_UNREGISTERED);
	ASSERT_EQ(dev->operstate, IF_OPER_DOWN);
	free_netdev(dev);
}

/* ---- the reference wait (R-UNREG-11/12/16/19) ---- */

struct unreg_thread {
	struct net_device *dev;
	volatile bool done;
};

static void *unreg_thread_fn(void *arg)
{
	struct unreg_thread *t = arg;

	unregister_netdev(t->dev);
	__atomic_store_n(&t->done, true, __ATOMIC_RELEASE);
	return NULL;
}

static void wait_until(bool (*cond)(void *), void *arg)
{
	for (int i = 0; i < 5000 && !cond(arg); i++)
		usleep(1000);
	ASSERT_TRUE(cond(arg));
}

static bool is_unregistered(void *arg)
{
	return __atomic_load_n(&((struct net_device *)arg)->reg_state, __ATOMIC_ACQUIRE) ==
	       NETREG_UNREGISTERED;
}

static bool two_unregisters(void *arg)
{
	(void)arg;
	return count_ev(NETDEV_UNREGISTER) >= 2;
}

/* The unregistering thread is in the reference wait and has read its start time. */
static bool in_refwait(void *arg)
{
	struct unetdev_live live;

	(void)arg;
	unetdev_live_objects(&live);
	return live.refwaits > 0;
}

static bool thread_done(void *arg)
{
	return __atomic_load_n(&((struct unreg_thread *)arg)->done, __ATOMIC_ACQUIRE);
}

TEST_TIMEOUT(r_unreg_11_waits_and_rebroadcasts_unregister, 60)
{
	struct unreg_thread t = {.dev = u_new("wt11")};
	pthread_t th;

	unetdev_clock_set_manual(true);
	dev_hold(t.dev); /* a user that does not let go */
	rec_start();
	ASSERT_EQ(pthread_create(&th, NULL, unreg_thread_fn, &t), 0);
	wait_until(is_unregistered, t.dev);
	wait_until(in_refwait, NULL); /* its clock has started: advancing it now counts */
	usleep(20000);
	ASSERT_EQ(count_ev(NETDEV_UNREGISTER), 1);
	ASSERT_FALSE(thread_done(&t)); /* still waiting */
	unetdev_clock_advance(HZ + 1);
	wait_until(two_unregisters, NULL); /* rebroadcast after 1 s */
	ASSERT_FALSE(thread_done(&t));
	dev_put(t.dev);
	wait_until(thread_done, &t);
	pthread_join(th, NULL);
	ASSERT_EQ(destructor_calls, 1);
	rec_stop();
	free_netdev(t.dev);
}

static char logbuf[4096];
static pthread_mutex_t log_lock = PTHREAD_MUTEX_INITIALIZER;

static void capture(int level, const char *line, void *ctx)
{
	pthread_mutex_lock(&log_lock);
	strncat(logbuf, line, sizeof(logbuf) - strlen(logbuf) - 2);
	strcat(logbuf, "\n");
	pthread_mutex_unlock(&log_lock);
}

static bool warned(void *arg)
{
	bool w;

	pthread_mutex_lock(&log_lock);
	w = strstr(logbuf, "waiting for wt12 to become free") != NULL;
	pthread_mutex_unlock(&log_lock);
	return w;
}

TEST_TIMEOUT(r_unreg_12_periodic_warning, 60)
{
	struct unreg_thread t = {.dev = u_new("wt12")};
	pthread_t th;

	unetdev_clock_set_manual(true);
	unetdev_log_set_fn(capture, NULL);
	dev_hold(t.dev);
	ASSERT_EQ(pthread_create(&th, NULL, unreg_thread_fn, &t), 0);
	wait_until(is_unregistered, t.dev);
	wait_until(in_refwait, NULL); /* its clock has started: advancing it now counts */
	unetdev_clock_advance(9 * HZ);
	usleep(300000);
	ASSERT_FALSE(warned(NULL)); /* not before 10 s */
	unetdev_clock_advance(HZ + 1);
	wait_until(warned, NULL);
	pthread_mutex_lock(&log_lock);
	ASSERT_CONTAINS(logbuf,
			"unregister_netdevice: waiting for wt12 to become free. Usage count = 2");
	pthread_mutex_unlock(&log_lock);
	dev_put(t.dev);
	wait_until(thread_done, &t);
	pthread_join(th, NULL);
	unetdev_log_set_fn(NULL, NULL);
	free_netdev(t.dev);
}

TEST(r_unreg_13_destructor_and_needs_free)
{
	struct net_device *dev = u_new("nf13");

	dev->needs_free_netdev = true;
	unregister_netdev(dev);
	ASSERT_EQ(destructor_calls, 1);
	/* freed by the core: the leak check at teardown proves it */
}

TEST(r_unreg_14_destructor_without_rtnl)
{
	struct net_device *dev = u_new("ds14");

	destructor_saw_rtnl = true;
	unregister_netdev(dev);
	ASSERT_EQ(destructor_calls, 1);
	ASSERT_FALSE(destructor_saw_rtnl); /* run_todo released rtnl */
	free_netdev(dev);
}

TEST(r_unreg_15_needs_free_ignored_on_failed_register)
{
	struct net_device *a = u_new("nf15"), *b;

	b = alloc_netdev(0, "nf15", NET_NAME_USER, u_setup);
	b->needs_free_netdev = true;
	ASSERT_EQ(register_netdev(b), -EEXIST);
	ASSERT_EQ(b->reg_state, NETREG_UNINITIALIZED); /* still ours to free */
	free_netdev(b);
	unregister_netdev(a);
	free_netdev(a);
}

TEST_TIMEOUT(r_unreg_16_unregister_netdev_waits_for_users, 60)
{
	struct unreg_thread t = {.dev = u_new("us16")};
	pthread_t th;

	dev_hold(t.dev);
	ASSERT_EQ(pthread_create(&th, NULL, unreg_thread_fn, &t), 0);
	wait_until(is_unregistered, t.dev);
	usleep(50000);
	ASSERT_FALSE(thread_done(&t));
	rtnl_lock();
	ASSERT_EQ(dev_open(t.dev, NULL), -ENODEV); /* every operation fails afterwards */
	rtnl_unlock();
	dev_put(t.dev);
	wait_until(thread_done, &t);
	pthread_join(th, NULL);
	free_netdev(t.dev);
}

/* R-UNREG-17: a link type on the kernel path (setup + newlink). */
static netdev_tx_t l17_xmit(struct sk_buff *skb, struct net_device *dev)
{
	consume_skb(skb);
	return NETDEV_TX_OK;
}

static const struct net_device_ops l17_netdev_ops = {.ndo_start_xmit = l17_xmit};

static void l17_setup(struct net_device *dev)
{
	ether_setup(dev);
	dev->netdev_ops = &l17_netdev_ops;
}

static int l17_newlink(struct net *net, struct net_device *dev, struct nlattr *tb[],
		       struct nlattr *data[], struct netlink_ext_ack *extack)
    UNETDEV_MUST_HOLD(rtnl_mutex)
{
	return register_netdevice(dev);
}

static struct rtnl_link_ops l17_link_ops = {
    .kind = "r17",
    .setup = l17_setup,
    .newlink = l17_newlink,
};

TEST(r_unreg_17_link_ops_devices_not_freed_directly)
{
	struct net_device *dev;
	int ifindex = 0;

	expect_violations();
	ASSERT_EQ(rtnl_link_register(&l17_link_ops), 0);
	ASSERT_EQ(unetdev_rtnl_link_create(&init_net, "r17", "lk17", NULL, NULL, NULL, &ifindex),
		  0);
	rtnl_lock();
	dev = __dev_get_by_index(&init_net, ifindex);
	ASSERT_NOT_NULL(dev);
	ASSERT_PTR_EQ(dev->rtnl_link_ops, &l17_link_ops);
	ASSERT_TRUE(dev->needs_free_netdev);
	/* The driver frees its rtnl_link_ops device itself: reported, refused. */
	unregister_netdevice(dev);
	free_netdev(dev);
	ASSERT_EQ(unetdev_check_count("R-UNREG-17"), 1);
	rtnl_unlock(); /* the core frees it, once */
	ASSERT_NULL(dev_get_by_name(&init_net, "lk17"));
	/* Unregistering the ops deletes what is left of its kind. */
	ASSERT_EQ(unetdev_rtnl_link_create(&init_net, "r17", NULL, NULL, NULL, NULL, &ifindex), 0);
	dev = dev_get_by_index(&init_net, ifindex);
	ASSERT_NOT_NULL(dev);
	ASSERT_STR_EQ(dev->name, "r170");
	dev_put(dev);
	rtnl_link_unregister(&l17_link_ops);
	ASSERT_NULL(dev_get_by_index(&init_net, ifindex));
	ASSERT_EQ(unetdev_check_count("R-UNREG-17"), 1);
}

TEST(r_unreg_18_dev_put_never_frees_and_lookups_take_refs)
{
	struct net_device *dev = u_new("rf18"), *l;

	l = dev_get_by_name(&init_net, "rf18");
	ASSERT_EQ(netdev_refcnt_read(dev), 3);
	dev_put(l);
	rtnl_lock();
	l = __dev_get_by_name(&init_net, "rf18");
	ASSERT_EQ(netdev_refcnt_read(dev), 2);
	rtnl_unlock();
	unregister_netdev(dev);
	ASSERT_EQ(netdev_refcnt_read(dev), 1);
	free_netdev(dev);
}

TEST(r_unreg_18_extra_put_during_unregister_reported)
{
	struct net_device *dev = u_new("neg18b");

	dev_put(dev); /* drops the registered reference early */
	expect_violations();
	unregister_netdev(dev); /* the wait sees 0, not 1: reported, no hang */
	ASSERT_EQ(unetdev_check_count("R-UNREG-18"), 1);
	dev_hold(dev);
	free_netdev(dev);
}

TEST(r_unreg_18_dev_put_below_zero_reported)
{
	struct net_device *dev = u_new("neg18");
	struct unetdev_attr *attr;

	ASSERT_EQ(unetdev_attr_open(&init_net, "neg18", "mtu", &attr), 0);
	unregister_netdev(dev);
	expect_violations();
	dev_put(dev); /* the allocation's own reference: now 0 */
	ASSERT_EQ(netdev_refcnt_read(dev), 0);
	free_netdev(dev); /* the quiescent point where the underflow shows */
	ASSERT_EQ(unetdev_check_count("R-UNREG-18"), 1);
	unetdev_attr_close(attr);
}

/* A holder that lets go only when told again (the rebroadcast). */
static struct net_device *held;
static int unreg_seen;

static int holder_cb(struct notifier_block *nb, unsigned long ev, void *ptr)
{
	if (ev == NETDEV_UNREGISTER && netdev_notifier_info_to_dev(ptr) == held &&
	    ++unreg_seen == 2) {
		dev_put(held);
		held = NULL;
	}
	return NOTIFY_DONE;
}

TEST_TIMEOUT(r_unreg_19_holders_drop_refs_on_unregister, 60)
{
	struct notifier_block nb = {.notifier_call = holder_cb};
	struct unreg_thread t = {.dev = u_new("h19")};
	pthread_t th;

	unetdev_clock_set_manual(true);
	held = t.dev;
	unreg_seen = 0;
	dev_hold(held);
	ASSERT_EQ(register_netdevice_notifier(&nb), 0);
	ASSERT_EQ(pthread_create(&th, NULL, unreg_thread_fn, &t), 0);
	wait_until(is_unregistered, t.dev);
	wait_until(in_refwait, NULL); /* its clock has started: advancing it now counts */
	ASSERT_FALSE(thread_done(&t));
	unetdev_clock_advance(HZ + 1);
	wait_until(thread_done, &t);
	pthread_join(th, NULL);
	ASSERT_EQ(unreg_seen, 2);
	ASSERT_EQ(unregister_netdevice_notifier(&nb), 0);
	free_netdev(t.dev);
}

TEST(r_unreg_net_destroy_unregisters_everything)
{
	struct net *net = unetdev_net_create("gone");
	struct net_device *a = alloc_netdev(0, "g0", NET_NAME_USER, u_setup);

	a->nd_net = net;
	a->needs_free_netdev = true;
	ASSERT_EQ(register_netdev(a), 0);
	unetdev_net_destroy(net);
}
