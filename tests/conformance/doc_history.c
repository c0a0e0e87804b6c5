// SPDX-License-Identifier: MIT
/*
 * Conformance: section 19 of the rules, what changed in the document after
 * 2013 (R-DOC-1..27). One test per rule:
 *   - restatements of sections 1-18 (the v5.11 lifetime text, R-DOC-3..12;
 *     the unchanged parts, R-DOC-26; the later code changes, R-DOC-27) test
 *     that behaviour here through the public API, naming the section 1-18 rule;
 *   - where the later text and D13 disagree (R-DOC-13..16) unetdev follows
 *     D13 (rules, Scope): the test checks the D13 behaviour and says that the
 *     later text is deliberately not followed;
 *   - document history with no behaviour, and the netdev instance lock of
 *     the second phase (R-DOC-17..23), are skipped tests with the reason.
 */
#include <arpa/inet.h>
#include <pthread.h>
#include <unistd.h>
#include <unetdev/engine.h>
#include <unetdev/rtnl_link.h>
#include <unetdev/timer.h>
#include <unetdev/unetdev.h>

#include "harness.h"
#include "netdev_util.h"

/* ---- a driver whose private state, init, uninit and destructor are observable ---- */

struct hpriv {
	int *state; /* separately allocated: the driver frees it (R-ALLOC-5) */
	int magic;  /* written between allocation and registration */
};

static struct {
	int init, uninit, destructor;
	bool init_rtnl, init_visible, uninit_rtnl, uninit_running, destructor_rtnl;
	int init_magic, uninit_refs;
} h;
static int init_ret;

static int h_init(struct net_device *dev)
{
	struct hpriv *p = netdev_priv(dev);

	h.init++;
	h.init_rtnl = rtnl_held_by_me();
	h.init_visible = __dev_get_by_name(dev_net(dev), dev->name) != NULL;
	h.init_magic = p->magic;
	return init_ret;
}

static void h_uninit(struct net_device *dev)
{
	h.uninit++;
	h.uninit_rtnl = rtnl_held_by_me();
	h.uninit_running = netif_running(dev);
	h.uninit_refs = netdev_refcnt_read(dev);
}

static void h_destructor(struct net_device *dev)
{
	struct hpriv *p = netdev_priv(dev);

	h.destructor++;
	h.destructor_rtnl = rtnl_held_by_me();
	free(p->state);
	p->state = NULL;
}

static netdev_tx_t h_xmit(struct sk_buff *skb, struct net_device *dev)
{
	consume_skb(skb);
	return NETDEV_TX_OK;
}

static const struct net_device_ops h_ops = {
    .ndo_init = h_init,
    .ndo_uninit = h_uninit,
    .ndo_start_xmit = h_xmit,
};

static void h_setup(struct net_device *dev)
{
	ether_setup(dev);
	dev->netdev_ops = &h_ops;
	dev->priv_destructor = h_destructor;
}

/* Allocate and construct (there is no constructor callback: R-DOC-7). */
static struct net_device *h_alloc(const char *name)
{
	struct net_device *dev = alloc_netdev(sizeof(struct hpriv), name, NET_NAME_USER, h_setup);
	struct hpriv *p;

	ASSERT_NOT_NULL(dev);
	memset(&h, 0, sizeof(h));
	init_ret = 0;
	p = netdev_priv(dev);
	p->state = calloc(1, sizeof(*p->state));
	ASSERT_NOT_NULL(p->state);
	p->magic = 0x2013;
	return dev;
}

static long live_netdevs(void)
{
	struct unetdev_live l;

	unetdev_live_objects(&l);
	return l.netdevs;
}

static int register_without_rtnl(struct net_device *dev) UNETDEV_NO_TSA
{
	return register_netdevice(dev);
}

/* ---- R-DOC-1, R-DOC-2: document history ---- */

SKIP_TEST(r_doc_1_txt_to_rst_conversion,
	  "document history (netdevices.txt became netdevices.rst, same content): no behaviour")
SKIP_TEST(r_doc_2_section_renamed_lifetime_rules,
	  "document history (a section title changed): no behaviour")

/* ---- R-DOC-3..12: the v5.11 lifetime text, restating sections 2-4 ---- */

/* R-REG-1: the two API groups, with and without rtnl. */
TEST(r_doc_3_two_api_groups_by_rtnl)
{
	struct net_device *a = h_alloc("doc3a"), *b;

	/* register_netdev / unregister_netdev: the caller does not hold rtnl. */
	ASSERT_EQ(register_netdev(a), 0);
	ASSERT_TRUE(h.init_rtnl);
	ASSERT_FALSE(rtnl_is_locked());
	unregister_netdev(a);
	ASSERT_FALSE(rtnl_is_locked());
	ASSERT_EQ(a->reg_state, NETREG_UNREGISTERED);
	free_netdev(a); /* the text's "free_netdevice()" does not exist */

	/* register_netdevice / unregister_netdevice: the caller holds rtnl. */
	b = h_alloc("doc3b");
	rtnl_lock();
	ASSERT_EQ(register_netdevice(b), 0);
	ASSERT_TRUE(rtnl_held_by_me());
	ASSERT_EQ(b->reg_state, NETREG_REGISTERED);
	unregister_netdevice(b);
	rtnl_unlock();
	ASSERT_EQ(b->reg_state, NETREG_UNREGISTERED);
	free_netdev(b);

	/* The rtnl group without rtnl is reported by rule. */
	b = h_alloc("doc3c");
	expect_violations();
	ASSERT_EQ(register_without_rtnl(b), 0);
	ASSERT_GE(unetdev_check_count("R-REG-1"), 1);
	unregister_netdev(b);
	free_netdev(b);
}

/* R-REG-19, R-REG-20: visible and usable as soon as register_netdev() returns. */
TEST(r_doc_4_visible_and_usable_right_after_register)
{
	struct net_device *dev = h_alloc("doc4"), *found;

	ASSERT_EQ(register_netdev(dev), 0);
	ASSERT_EQ(h.init_magic, 0x2013); /* initialised before registration */
	found = dev_get_by_name(&init_net, "doc4");
	ASSERT_PTR_EQ(found, dev);
	dev_put(found);
	ASSERT_FALSE(netif_running(dev)); /* visible, not opened */
	rtnl_lock();
	ASSERT_EQ(dev_open(dev, NULL), 0);
	ASSERT_TRUE(netif_running(dev));
	rtnl_unlock();
	unregister_netdev(dev);
	free_netdev(dev);
}

struct unreg_thread {
	struct net_device *dev;
	bool done;
};

static void *unreg_fn(void *arg)
{
	struct unreg_thread *t = arg;

	unregister_netdev(t->dev);
	__atomic_store_n(&t->done, true, __ATOMIC_RELEASE);
	return NULL;
}

static bool in_refwait(void)
{
	struct unetdev_live l;

	unetdev_live_objects(&l);
	return l.refwaits > 0;
}

/*
 * R-UNREG-4, R-UNREG-16, R-ALLOC-23: unregister_netdev() closes the device and
 * waits for every user; an attribute handle (the sysfs stand-in) still holds
 * the memory, but every operation fails.
 */
TEST_TIMEOUT(r_doc_5_unregister_closes_waits_for_users_then_all_fails, 60)
{
	struct unreg_thread t = {.dev = h_alloc("doc5")};
	struct unetdev_attr *attr;
	char buf[32];
	pthread_t th;

	ASSERT_EQ(register_netdev(t.dev), 0);
	tu_open(t.dev);
	ASSERT_EQ(unetdev_attr_open(&init_net, "doc5", "mtu", &attr), 0);
	ASSERT_GT(unetdev_attr_read(attr, buf, sizeof(buf)), 0);
	dev_hold(t.dev); /* a user */
	ASSERT_EQ(pthread_create(&th, NULL, unreg_fn, &t), 0);
	for (int i = 0; i < 10000 && !in_refwait(); i++)
		usleep(1000);
	ASSERT_TRUE(in_refwait());
	ASSERT_FALSE(__atomic_load_n(&t.done, __ATOMIC_ACQUIRE)); /* waiting for the user */
	ASSERT_FALSE(t.dev->flags & IFF_UP);			  /* closed first */
	ASSERT_FALSE(netif_running(t.dev));
	rtnl_lock();
	ASSERT_EQ(dev_open(t.dev, NULL), -ENODEV);
	rtnl_unlock();
	dev_put(t.dev);
	for (int i = 0; i < 10000 && !__atomic_load_n(&t.done, __ATOMIC_ACQUIRE); i++)
		usleep(1000);
	ASSERT_TRUE(__atomic_load_n(&t.done, __ATOMIC_ACQUIRE));
	pthread_join(th, NULL);
	ASSERT_EQ(unetdev_attr_read(attr, buf, sizeof(buf)), -ENODEV);
	free_netdev(t.dev);
	ASSERT_EQ(unetdev_attr_read(attr, buf, sizeof(buf)), -ENODEV); /* memory kept */
	unetdev_attr_close(attr);
}

/* R-ALLOC-22, R-REG-3: free_netdev() after unregister_netdev() or after a failed register. */
TEST(r_doc_6_free_after_unregister_or_failed_register)
{
	struct net_device *a = h_alloc("doc6"), *b;

	ASSERT_EQ(register_netdev(a), 0);
	b = h_alloc("doc6"); /* same name: registration fails */
	ASSERT_EQ(register_netdev(b), -EEXIST);
	ASSERT_EQ(b->reg_state, NETREG_UNINITIALIZED);
	ASSERT_EQ(live_netdevs(), 2);
	free(((struct hpriv *)netdev_priv(b))->state); /* never initialised: ours */
	free_netdev(b);
	ASSERT_EQ(live_netdevs(), 1);
	unregister_netdev(a);
	ASSERT_EQ(live_netdevs(), 1);
	free_netdev(a);
	ASSERT_EQ(live_netdevs(), 0);
}

/* R-UNREG-13, R-ALLOC-4/5: needs_free_netdev and priv_destructor under rtnl. */
TEST(r_doc_7_needs_free_and_destructor_under_rtnl_no_constructor)
{
	struct net_device *dev = h_alloc("doc7");
	struct hpriv *p = netdev_priv(dev);

	/* No constructor callback: the private area is the driver's, as written. */
	ASSERT_EQ(p->magic, 0x2013);
	ASSERT_NOT_NULL(p->state);
	dev->needs_free_netdev = true;
	rtnl_lock();
	ASSERT_EQ(register_netdevice(dev), 0);
	ASSERT_EQ(h.init_magic, 0x2013);
	unregister_netdevice(dev);
	ASSERT_EQ(live_netdevs(), 1);
	rtnl_unlock();
	ASSERT_EQ(h.destructor, 1); /* released the separate state */
	ASSERT_EQ(live_netdevs(), 0);
}

static unsigned long veto_event;

static int veto_cb(struct notifier_block *nb, unsigned long event, void *ptr)
{
	return event == veto_event ? notifier_from_errno(-EPERM) : NOTIFY_DONE;
}

static struct notifier_block veto_nb = {.notifier_call = veto_cb};

/*
 * R-UNREG-14, R-REG-5, R-REG-9: the destructor runs after unregister (here
 * without rtnl) and when registration fails after ndo_init (here with rtnl),
 * but not when ndo_init itself failed.
 */
TEST(r_doc_8_destructor_after_unregister_and_on_failed_register)
{
	struct net_device *dev = h_alloc("doc8");

	ASSERT_EQ(register_netdev(dev), 0);
	rtnl_lock();
	unregister_netdevice(dev);
	ASSERT_EQ(h.destructor, 0); /* "some time after" */
	rtnl_unlock();
	ASSERT_EQ(h.destructor, 1);
	ASSERT_FALSE(h.destructor_rtnl);
	free_netdev(dev);

	dev = h_alloc("doc8v");
	veto_event = NETDEV_POST_INIT;
	ASSERT_EQ(register_netdevice_notifier(&veto_nb), 0);
	rtnl_lock();
	ASSERT_EQ(register_netdevice(dev), -EPERM);
	ASSERT_EQ(h.uninit, 1);
	ASSERT_EQ(h.destructor, 1);
	ASSERT_TRUE(h.destructor_rtnl);
	rtnl_unlock();
	ASSERT_EQ(unregister_netdevice_notifier(&veto_nb), 0);
	free_netdev(dev);

	dev = h_alloc("doc8i");
	init_ret = -ENOMEM;
	ASSERT_EQ(register_netdev(dev), -ENOMEM);
	ASSERT_EQ(h.destructor, 0); /* the code's exception */
	free(((struct hpriv *)netdev_priv(dev))->state);
	free_netdev(dev);
}

/* R-UNREG-13, R-UNREG-15: automatic free at the last reference, after a successful register only.
 */
TEST(r_doc_9_needs_free_frees_at_last_reference_only_once_registered)
{
	struct net_device *a = h_alloc("doc9"), *b;

	a->needs_free_netdev = true;
	ASSERT_EQ(register_netdev(a), 0);
	unregister_netdev(a);
	ASSERT_EQ(live_netdevs(), 0);

	a = h_alloc("doc9a");
	ASSERT_EQ(register_netdev(a), 0);
	b = h_alloc("doc9a");
	b->needs_free_netdev = true;
	ASSERT_EQ(register_netdev(b), -EEXIST);
	ASSERT_EQ(live_netdevs(), 2); /* not freed: still the driver's */
	free(((struct hpriv *)netdev_priv(b))->state);
	free_netdev(b);
	unregister_netdev(a);
	free_netdev(a);
	ASSERT_EQ(live_netdevs(), 0);
}

/* R-ALLOC-20, R-ALLOC-22: free_netdev() right after unregister_netdevice() is deferred to
 * rtnl_unlock. */
TEST(r_doc_10_free_right_after_unregister_netdevice_is_deferred)
{
	struct net_device *dev = h_alloc("doc10"), *b;

	ASSERT_EQ(register_netdev(dev), 0);
	rtnl_lock();
	unregister_netdevice(dev);
	free_netdev(dev);
	ASSERT_TRUE(dev->needs_free_netdev);
	ASSERT_EQ(live_netdevs(), 1);
	rtnl_unlock();
	ASSERT_EQ(live_netdevs(), 0);

	/* After a failed register_netdevice(), under rtnl: freed at once. */
	b = h_alloc("doc10b");
	init_ret = -EBUSY;
	rtnl_lock();
	ASSERT_EQ(register_netdevice(b), -EBUSY);
	free(((struct hpriv *)netdev_priv(b))->state);
	free_netdev(b);
	ASSERT_EQ(live_netdevs(), 0);
	rtnl_unlock();
}

/* R-UNREG-17: a device created through rtnl_link_ops is never freed directly. */
static int d11_newlink(struct net *net, struct net_device *dev, struct nlattr *tb[],
		       struct nlattr *data[], struct netlink_ext_ack *extack)
    UNETDEV_MUST_HOLD(rtnl_mutex)
{
	return register_netdevice(dev);
}

static const struct net_device_ops d11_ops = {.ndo_start_xmit = h_xmit};

static void d11_setup(struct net_device *dev)
{
	ether_setup(dev);
	dev->netdev_ops = &d11_ops;
}

static struct rtnl_link_ops d11_link_ops = {
    .kind = "doc11",
    .setup = d11_setup,
    .newlink = d11_newlink,
};

TEST(r_doc_11_link_ops_devices_never_freed_directly)
{
	struct net_device *dev;
	int ifindex = 0;

	expect_violations();
	ASSERT_EQ(rtnl_link_register(&d11_link_ops), 0);
	ASSERT_EQ(unetdev_rtnl_link_create(&init_net, "doc11", "lk11", NULL, NULL, NULL, &ifindex),
		  0);
	rtnl_lock();
	dev = __dev_get_by_index(&init_net, ifindex);
	ASSERT_NOT_NULL(dev);
	ASSERT_TRUE(dev->needs_free_netdev); /* the core owns the free */
	unregister_netdevice(dev);
	free_netdev(dev); /* the driver frees it anyway: reported, refused */
	ASSERT_EQ(unetdev_check_count("R-UNREG-17"), 1);
	ASSERT_EQ(live_netdevs(), 1);
	rtnl_unlock();
	ASSERT_EQ(live_netdevs(), 0); /* freed once, by the core */
	rtnl_link_unregister(&d11_link_ops);
}

/* R-SYNC-9, R-REG-5, R-UNREG-7: ndo_init/ndo_uninit under rtnl; uninit after close, refs left. */
TEST(r_doc_12_init_before_visible_uninit_after_close_with_refs)
{
	struct net_device *dev = h_alloc("doc12");

	ASSERT_EQ(register_netdev(dev), 0);
	ASSERT_EQ(h.init, 1);
	ASSERT_TRUE(h.init_rtnl);
	ASSERT_FALSE(h.init_visible);
	tu_open(dev);
	dev_hold(dev);
	rtnl_lock();
	unregister_netdevice(dev);
	ASSERT_EQ(h.uninit, 1);
	ASSERT_TRUE(h.uninit_rtnl);
	ASSERT_FALSE(h.uninit_running);
	ASSERT_GE(h.uninit_refs, 2); /* ours is still out */
	dev_put(dev);
	rtnl_unlock();
	free_netdev(dev);
}

/* ---- R-DOC-13..16: later text that unetdev deliberately does not follow (D13 wins) ---- */

static const unsigned char bcast[ETH_ALEN] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff};

static struct sk_buff *frame(struct net_device *dev, unsigned int len)
{
	struct sk_buff *skb = netdev_alloc_skb(dev, len);
	struct ethhdr *eth;

	ASSERT_NOT_NULL(skb);
	eth = skb_put(skb, ETH_HLEN);
	memcpy(eth->h_dest, bcast, ETH_ALEN);
	memcpy(eth->h_source, dev->dev_addr, ETH_ALEN);
	eth->h_proto = htons(ETH_P_IP);
	memset(skb_put(skb, len - ETH_HLEN), 0, len - ETH_HLEN);
	return skb;
}

static struct unetdev_null_stats nstats(struct net_device *dev)
{
	struct unetdev_null_stats st;

	ASSERT_EQ(unetdev_null_stats(dev, &st), 0);
	return st;
}

/*
 * R-TX-11 [C13]: the later text removed NETDEV_TX_LOCKED (≈v4.7); unetdev
 * follows D13 on purpose: an LLTX driver whose trylock fails returns it, the
 * core requeues the skb and retries it from the TX softirq.
 */
TEST(r_doc_13_netdev_tx_locked_kept_per_d13)
{
	struct unetdev_null_config cfg = {
	    .sz = sizeof(cfg), .lltx = true, .use_qdisc = true, .tx_locked = 1};
	struct unetdev_qdisc_stats qs;
	struct net_device *dev = NULL;

	ASSERT_EQ(NETDEV_TX_LOCKED, 0x20);
	ASSERT_EQ(unetdev_null_create(NULL, "doc13", &cfg, &dev), 0);
	tu_open(dev);
	ASSERT_EQ(dev_queue_xmit(frame(dev, 60)), NET_XMIT_SUCCESS);
	ASSERT_EQ(nstats(dev).tx_locked, 1);
	ASSERT_EQ(unetdev_qdisc_stats(dev->qdisc, &qs), 0);
	ASSERT_GE(qs.requeues, 1);
	for (int i = 0; i < 100 && nstats(dev).tx_packets == 0; i++)
		unetdev_cpu_run(0);
	ASSERT_EQ(nstats(dev).tx_packets, 1); /* not dropped: retried */
	unregister_netdev(dev);
}

/*
 * R-TX-10: the later text replaced the NETIF_F_LLTX feature bit by dev->lltx
 * (≈v6.12); unetdev keeps the D13 feature bit on purpose (dev->lltx is read
 * too): a device with only NETIF_F_LLTX in features is transmitted to
 * without the queue lock.
 */
TEST(r_doc_14_netif_f_lltx_is_a_feature_bit_per_d13)
{
	struct net_device *dev = unetdev_testdrv_alloc("doc14", 1);
	const struct unetdev_testdrv_call *c;

	ASSERT_NOT_NULL(dev);
	ASSERT_FALSE(dev->lltx);
	dev->features |= NETIF_F_LLTX;
	ASSERT_EQ(register_netdev(dev), 0);
	tu_open(dev);
	ASSERT_TRUE(dev->features & NETIF_F_LLTX);
	ASSERT_TRUE(netif_is_lltx(dev));
	ASSERT_EQ(dev_queue_xmit(frame(dev, 60)), NET_XMIT_SUCCESS);
	c = unetdev_testdrv_last(dev, "ndo_start_xmit");
	ASSERT_NOT_NULL(c);
	ASSERT_FALSE(c->tx_lock);
	ASSERT_TRUE(c->bh_off);
	tu_del(dev);
}

/*
 * R-SYNC-3: since ≈v5.15 user ioctls go to ndo_siocdevprivate / ndo_eth_ioctl
 * and no longer to ndo_do_ioctl; unetdev follows D13 on purpose: a
 * device-private ioctl from dev_ioctl() reaches ndo_do_ioctl under rtnl in
 * process context, and its result comes back.
 */
TEST(r_doc_15_private_ioctls_reach_ndo_do_ioctl_per_d13)
{
	struct unetdev_testdrv_config cfg = {.ioctl_ret = -EXDEV};
	struct net_device *dev = tu_td_new("doc15", &cfg, false);
	const struct unetdev_testdrv_call *c;
	struct ifreq ifr;

	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", dev->name);
	ASSERT_EQ(dev_ioctl(&init_net, SIOCDEVPRIVATE + 1, &ifr), -EXDEV);
	ASSERT_EQ(unetdev_testdrv_count(dev, "ndo_do_ioctl"), 1);
	c = unetdev_testdrv_last(dev, "ndo_do_ioctl");
	ASSERT_EQ(c->arg, SIOCDEVPRIVATE + 1);
	ASSERT_TRUE(c->rtnl);
	ASSERT_TRUE(c->in_task);
	ASSERT_FALSE(rtnl_is_locked());
	tu_del(dev);
}

/*
 * R-STAT-6, R-SYNC-4: later text moved ndo_get_stats to "rtnl or RCU" and
 * then to RCU in atomic context; unetdev follows D13 on purpose: it runs
 * under dev_base_lock held for reading, and nothing more is promised.
 */
TEST(r_doc_16_ndo_get_stats_under_dev_base_lock_per_d13)
{
	struct unetdev_testdrv_config cfg = {.no_get_stats64 = true};
	struct net_device *dev = tu_td_new("doc16", &cfg, true);
	const struct unetdev_testdrv_call *c;

	dev->stats.tx_packets = 5;
	ASSERT_UEQ(tu_stats(dev).tx_packets, 5);
	c = unetdev_testdrv_last(dev, "ndo_get_stats");
	ASSERT_NOT_NULL(c);
	ASSERT_TRUE(c->base_lock_read);
	ASSERT_FALSE(c->rtnl);
	ASSERT_EQ(unetdev_testdrv_count(dev, "ndo_get_stats64"), 0);
	tu_del(dev);
}

/* ---- R-DOC-17..23: the netdev instance lock, the second phase ---- */

SKIP_TEST(r_doc_17_open_stop_ioctls_take_the_instance_lock_when_ops_locked,
	  "netdev instance lock (ops-locked devices) is the second phase, as R-UP-19/R-SYNC-15")
SKIP_TEST(r_doc_18_other_ndos_take_the_instance_lock_when_ops_locked,
	  "netdev instance lock (ops-locked devices) is the second phase, as R-UP-19/R-SYNC-15")
SKIP_TEST(r_doc_19_ndo_setup_tc_locking,
	  "no tc offload (ndo_setup_tc) and no instance lock yet: second phase")
SKIP_TEST(r_doc_20_netdev_instance_lock_and_request_ops_lock,
	  "netdev instance lock (dev->lock, request_ops_lock) is the second phase")
SKIP_TEST(r_doc_21_dev_vs_netif_helper_naming,
	  "the dev_xxx/netif_xxx split exists only with the instance lock: second phase")
SKIP_TEST(r_doc_22_per_ops_table_locking,
	  "ethtool, qstats, shaper and queue-management ops tables are the second phase")
SKIP_TEST(r_doc_23_notifiers_and_the_instance_lock,
	  "notifier calls under the instance lock come with the instance lock: second phase")

/* ---- R-DOC-24, R-DOC-25: document history ---- */

SKIP_TEST(r_doc_24_netdev_internal_symbol_namespace,
	  "kernel module symbol namespaces have no userspace counterpart: no behaviour")
SKIP_TEST(r_doc_25_document_audience_stated,
	  "document history (the introduction names its readers): no behaviour")

/* ---- R-DOC-26: unchanged since 2013 ---- */

static int rx_seen;
static unsigned int rx_len;

static int rx_tap(struct sk_buff *skb, struct net_device *dev, struct packet_type *pt,
		  struct net_device *orig)
{
	rx_seen++;
	rx_len = skb->len + ETH_HLEN;
	consume_skb(skb);
	return 0;
}

/* R-MTU-1, R-MTU-2: 1500 MTU, 1514-byte frames, a 1518-byte tagged frame received. */
TEST(r_doc_26_mtu_section_unchanged)
{
	struct net_device *dev = tu_null_up("doc26m");
	struct packet_type pt = {.type = htons(ETH_P_ALL), .dev = dev, .func = rx_tap};
	struct sk_buff *skb;

	ASSERT_EQ(dev->mtu, ETH_DATA_LEN);
	ASSERT_EQ(dev->hard_header_len, ETH_HLEN);
	ASSERT_EQ(dev->mtu + dev->hard_header_len, 1514);
	dev_add_pack(&pt);
	rx_seen = 0;
	skb = frame(dev, ETH_DATA_LEN + ETH_HLEN + VLAN_HLEN);
	skb->protocol = eth_type_trans(skb, dev);
	local_bh_disable();
	netif_receive_skb(skb);
	local_bh_enable();
	dev_remove_pack(&pt);
	ASSERT_EQ(rx_seen, 1); /* the core does not drop it: that is the driver's choice */
	ASSERT_EQ(rx_len, 1518);
	unregister_netdev(dev);
}

/* A registered, running test device with @txqs queues and a 100-tick watchdog (manual clock). */
static struct net_device *td_watchdog(const char *name, unsigned int txqs)
{
	struct net_device *dev;

	unetdev_clock_set_manual(true);
	dev = unetdev_testdrv_alloc(name, txqs);
	ASSERT_NOT_NULL(dev);
	dev->watchdog_timeo = 100;
	ASSERT_EQ(register_netdev(dev), 0);
	tu_open(dev);
	return dev;
}

/* R-WD-7, R-SYNC-6: ndo_tx_timeout under netif_tx_lock, all queues frozen, BH off, queue stopped.
 */
TEST(r_doc_26_tx_timeout_context_unchanged)
{
	struct net_device *dev = td_watchdog("doc26t", 1);
	const struct unetdev_testdrv_call *c;

	netif_tx_stop_queue(netdev_get_tx_queue(dev, 0));
	unetdev_clock_advance(3 * HZ);
	ASSERT_EQ(unetdev_testdrv_count(dev, "ndo_tx_timeout"), 1);
	c = unetdev_testdrv_last(dev, "ndo_tx_timeout");
	ASSERT_TRUE(c->tx_global_lock);
	ASSERT_TRUE(c->all_frozen);
	ASSERT_TRUE(c->bh_off);
	ASSERT_TRUE(netif_tx_queue_stopped(netdev_get_tx_queue(dev, 0)));
	netif_tx_wake_queue(netdev_get_tx_queue(dev, 0));
	tu_del(dev);
}

/* R-SYNC-7: ndo_set_rx_mode under netif_addr_lock with BHs disabled. */
TEST(r_doc_26_set_rx_mode_context_unchanged)
{
	static const unsigned char mc[ETH_ALEN] = {0x01, 0x00, 0x5e, 0, 0, 0x26};
	struct net_device *dev = tu_td_new("doc26r", NULL, true);
	const struct unetdev_testdrv_call *c;

	ASSERT_EQ(dev_mc_add(dev, mc), 0);
	c = unetdev_testdrv_last(dev, "ndo_set_rx_mode");
	ASSERT_NOT_NULL(c);
	ASSERT_TRUE(c->addr_lock);
	ASSERT_TRUE(c->bh_off);
	ASSERT_EQ(dev_mc_del(dev, mc), 0);
	tu_del(dev);
}

/* R-SYNC-8, R-UP-13: napi->poll owns SCHED with BHs off; ndo_stop disables NAPI. */
TEST(r_doc_26_napi_poll_context_unchanged)
{
	struct unetdev_testdrv_config cfg = {.napi = true};
	struct net_device *dev = tu_td_new("doc26n", &cfg, true);
	const struct unetdev_testdrv_call *c;

	ASSERT_TRUE(unetdev_testdrv_napi_schedule(dev));
	c = unetdev_testdrv_last(dev, "napi_poll");
	ASSERT_NOT_NULL(c);
	ASSERT_TRUE(c->napi_sched);
	ASSERT_TRUE(c->bh_off);
	ASSERT_FALSE(c->rtnl);
	rtnl_lock();
	dev_close(dev);
	rtnl_unlock();
	ASSERT_FALSE(unetdev_testdrv_napi_schedule(dev)); /* disabled in ndo_stop */
	ASSERT_EQ(unetdev_testdrv_count(dev, "napi_poll"), 1);
	tu_del(dev);
}

/* R-SYNC-5, R-TX-11: start_xmit under the queue lock, BH off; BUSY keeps the skb for a retry. */
TEST(r_doc_26_start_xmit_context_and_busy_unchanged)
{
	struct unetdev_testdrv_config cfg = {.tx_busy = 1};
	struct net_device *dev = tu_td_new("doc26x", &cfg, true);
	const struct unetdev_testdrv_call *c;

	ASSERT_EQ(dev_queue_xmit(frame(dev, 60)), NET_XMIT_SUCCESS); /* requeued */
	ASSERT_EQ(unetdev_testdrv_count(dev, "ndo_start_xmit"), 1);
	ASSERT_TRUE(netif_tx_queue_stopped(netdev_get_tx_queue(dev, 0)));
	ASSERT_EQ(skb_live_count(), 1); /* not consumed */
	netif_tx_wake_queue(netdev_get_tx_queue(dev, 0));
	for (int i = 0; i < 100 && unetdev_testdrv_count(dev, "ndo_start_xmit") < 2; i++)
		unetdev_cpu_run(0);
	ASSERT_EQ(unetdev_testdrv_count(dev, "ndo_start_xmit"), 2);
	c = unetdev_testdrv_last(dev, "ndo_start_xmit");
	ASSERT_TRUE(c->tx_lock);
	ASSERT_TRUE(c->bh_off);
	ASSERT_EQ(skb_live_count(), 0);
	tu_del(dev);
}

/* ---- R-DOC-27: code changes the document never mentions ---- */

/* R-MTU-5, R-MTU-6: the core checks min_mtu/max_mtu before the driver is called. */
TEST(r_doc_27_central_min_max_mtu)
{
	struct net_device *dev = tu_td_new("doc27m", NULL, false);

	ASSERT_EQ(dev->min_mtu, ETH_MIN_MTU);
	ASSERT_EQ(dev->max_mtu, ETH_DATA_LEN);
	rtnl_lock();
	ASSERT_EQ(dev_set_mtu(dev, ETH_MIN_MTU - 1), -EINVAL);
	ASSERT_EQ(dev_set_mtu(dev, ETH_DATA_LEN + 1), -EINVAL);
	ASSERT_EQ(unetdev_testdrv_count(dev, "ndo_change_mtu"), 0);
	ASSERT_EQ(dev_set_mtu(dev, 1400), 0);
	rtnl_unlock();
	ASSERT_EQ(unetdev_testdrv_count(dev, "ndo_change_mtu"), 1);
	ASSERT_EQ(dev->mtu, 1400);
	tu_del(dev);
}

static int d27_polls;
static bool d27_ret1, d27_ret2;

static int d27_poll(struct napi_struct *napi, int budget)
{
	if (++d27_polls == 1) {
		napi_schedule_prep(napi); /* an interrupt during the poll: MISSED */
		d27_ret1 = napi_complete_done(napi, 1);
	} else {
		d27_ret2 = napi_complete_done(napi, 0);
	}
	return 1;
}

/* R-NAPI-7: MISSED and napi_complete_done()'s return value. */
TEST(r_doc_27_napi_missed_and_complete_done_return)
{
	struct net_device *dev = h_alloc("doc27n");
	struct napi_struct napi;

	ASSERT_EQ(register_netdev(dev), 0);
	memset(&napi, 0, sizeof(napi));
	netif_napi_add(dev, &napi, d27_poll);
	napi_enable(&napi);
	d27_polls = 0;
	napi_schedule(&napi);
	for (int i = 0; i < 100 && d27_polls < 2; i++)
		unetdev_cpu_run(0);
	ASSERT_EQ(d27_polls, 2); /* polled again at once because of MISSED */
	ASSERT_FALSE(d27_ret1);	 /* "do not re-enable interrupts" */
	ASSERT_TRUE(d27_ret2);
	ASSERT_FALSE(test_bit(NAPI_STATE_MISSED, &napi.state));
	napi_disable(&napi);
	netif_napi_del(&napi);
	unregister_netdev(dev);
	free_netdev(dev);
}

/* R-WD-4: ndo_tx_timeout(dev, txqueue) names the stuck queue. */
TEST(r_doc_27_tx_timeout_names_the_queue)
{
	struct net_device *dev = td_watchdog("doc27t", 4);
	const struct unetdev_testdrv_call *c;

	netif_tx_stop_queue(netdev_get_tx_queue(dev, 3));
	unetdev_clock_advance(3 * HZ);
	c = unetdev_testdrv_last(dev, "ndo_tx_timeout");
	ASSERT_NOT_NULL(c);
	ASSERT_EQ(c->arg, 3);
	netif_tx_wake_queue(netdev_get_tx_queue(dev, 3));
	tu_del(dev);
}

static void noq_setup(struct net_device *dev)
{
	h_setup(dev);
	dev->tx_queue_len = 0;
}

/* R-ALLOC-11, R-LINK (counters, TESTING), R-K-8: the small code changes. */
TEST(r_doc_27_no_queue_flag_carrier_counters_testing_recursion_limit)
{
	struct net_device *dev =
	    alloc_netdev(sizeof(struct hpriv), "doc27q", NET_NAME_USER, noq_setup);
	unsigned int up0, down0;

	ASSERT_NOT_NULL(dev);
	memset(&h, 0, sizeof(h));
	init_ret = 0;
	unetdev_clock_set_manual(true);
	ASSERT_TRUE(dev->priv_flags & IFF_NO_QUEUE);
	ASSERT_EQ(dev->tx_queue_len, DEFAULT_TX_QUEUE_LEN);
	ASSERT_EQ(XMIT_RECURSION_LIMIT, 8);
	ASSERT_EQ(register_netdev(dev), 0);
	tu_open(dev);
	up0 = dev->carrier_up_count;
	down0 = dev->carrier_down_count;
	netif_carrier_off(dev);
	netif_carrier_on(dev);
	ASSERT_EQ(dev->carrier_down_count, down0 + 1);
	ASSERT_EQ(dev->carrier_up_count, up0 + 1);
	netif_testing_on(dev);
	unetdev_clock_advance(HZ + 1); /* linkwatch's rate limit */
	ASSERT_EQ(dev->operstate, IF_OPER_TESTING);
	unregister_netdev(dev);
	free_netdev(dev);
}
