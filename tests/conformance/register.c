// SPDX-License-Identifier: MIT
/*
 * Conformance: registration (R-REG) and notifier chains (R-REG-21..23).
 */
#include <unetdev/unetdev.h>

#include "harness.h"

/* ---- a small driver whose init/uninit/destructor are observable ---- */

static int init_calls, uninit_calls, destructor_calls, init_ret;
static bool init_saw_rtnl, init_saw_visible;
static int init_saw_ifindex;

static int r_init(struct net_device *dev)
{
	init_calls++;
	init_saw_rtnl = rtnl_held_by_me();
	init_saw_visible = __dev_get_by_name(dev_net(dev), dev->name) != NULL;
	init_saw_ifindex = dev->ifindex;
	return init_ret;
}

static void r_uninit(struct net_device *dev)
{
	uninit_calls++;
}

static void r_destructor(struct net_device *dev)
{
	destructor_calls++;
}

static netdev_tx_t r_xmit(struct sk_buff *skb, struct net_device *dev)
{
	consume_skb(skb);
	return NETDEV_TX_OK;
}

static const struct net_device_ops r_ops = {
    .ndo_init = r_init,
    .ndo_uninit = r_uninit,
    .ndo_start_xmit = r_xmit,
};

static void r_setup(struct net_device *dev)
{
	ether_setup(dev);
	dev->netdev_ops = &r_ops;
	dev->priv_destructor = r_destructor;
}

static struct net_device *r_alloc(const char *name)
{
	init_calls = uninit_calls = destructor_calls = init_ret = 0;
	return alloc_netdev(0, name, NET_NAME_USER, r_setup);
}

static void r_remove(struct net_device *dev)
{
	unregister_netdev(dev);
	free_netdev(dev);
}

/* ---- a notifier that records events ---- */

#define MAX_EV 64
static struct {
	unsigned long ev;
	char name[IFNAMSIZ];
} evs[MAX_EV];
static int nev;
static unsigned long veto_event;
static int veto_err;
static const char *veto_name; /* veto only for this device, NULL = any */

static int rec_cb(struct notifier_block *nb, unsigned long event, void *ptr)
{
	struct net_device *dev = netdev_notifier_info_to_dev(ptr);

	if (nev < MAX_EV) {
		evs[nev].ev = event;
		snprintf(evs[nev].name, IFNAMSIZ, "%s", dev->name);
		nev++;
	}
	if (event == veto_event && (!veto_name || !strcmp(veto_name, dev->name)))
		return notifier_from_errno(veto_err);
	return NOTIFY_DONE;
}

static struct notifier_block rec_nb = {.notifier_call = rec_cb};

static void rec_start(void)
{
	nev = 0;
	veto_event = 0;
	veto_name = NULL;
	ASSERT_EQ(register_netdevice_notifier(&rec_nb), 0);
	nev = 0;
}

static void rec_stop(void)
{
	veto_event = 0;
	ASSERT_EQ(unregister_netdevice_notifier(&rec_nb), 0);
}

static int ev_count(unsigned long ev)
{
	int n = 0;

	for (int i = 0; i < nev; i++)
		n += evs[i].ev == ev;
	return n;
}

/* ---- R-REG-1 / 2 ---- */

/* Deliberately breaks the locking rule the compiler would catch. */
static int register_without_rtnl(struct net_device *dev) UNETDEV_NO_TSA
{
	return register_netdevice(dev);
}

static void notify_without_rtnl(struct net_device *dev) UNETDEV_NO_TSA
{
	call_netdevice_notifiers(NETDEV_CHANGE, dev);
}

TEST(r_reg_1_register_netdevice_requires_rtnl)
{
	struct net_device *dev = r_alloc("rr1");

	expect_violations();
	ASSERT_EQ(register_without_rtnl(dev), 0); /* no rtnl: reported, carried out */
	ASSERT_GE(unetdev_check_count("R-REG-1"), 1);
	r_remove(dev);
}

TEST(r_reg_1_register_netdev_takes_rtnl)
{
	struct net_device *dev = r_alloc("rr1b");

	ASSERT_EQ(register_netdev(dev), 0);
	ASSERT_TRUE(init_saw_rtnl);
	ASSERT_FALSE(rtnl_is_locked());
	r_remove(dev);
}

TEST(r_reg_2_register_twice_is_bug)
{
	struct net_device *dev = r_alloc("twice");

	ASSERT_EQ(register_netdev(dev), 0);
	expect_violations();
	ASSERT_EQ(register_netdev(dev), -EINVAL);
	ASSERT_EQ(unetdev_check_count("R-REG-2"), 1);
	ASSERT_EQ(init_calls, 1);
	r_remove(dev);
}

/* ---- R-REG-3 / 4: names ---- */

TEST(r_reg_3_invalid_names)
{
	static const char *const bad[] = {"",	  ".",	  "..",	     "a/b",   "a:b", "a b",
					  "a\tb", "a\nb", "eth%d%d", "eth%s", "eth%"};

	for (unsigned int i = 0; i < ARRAY_SIZE(bad); i++) {
		struct net_device *dev = r_alloc(bad[i]);

		ASSERT_EQ(register_netdev(dev), -EINVAL);
		ASSERT_EQ(init_calls, 0);
		free_netdev(dev);
	}
}

TEST(r_reg_3_template_picks_smallest_free_unit)
{
	struct net_device *a = r_alloc("tp%d"), *b = r_alloc("tp%d"), *c = r_alloc("tp%d");

	ASSERT_EQ(register_netdev(a), 0);
	ASSERT_EQ(register_netdev(b), 0);
	ASSERT_STR_EQ(a->name, "tp0");
	ASSERT_STR_EQ(b->name, "tp1");
	r_remove(a);
	ASSERT_EQ(register_netdev(c), 0);
	ASSERT_STR_EQ(c->name, "tp0");
	r_remove(b);
	r_remove(c);
}

TEST(r_reg_3_template_ignores_non_roundtrip_names)
{
	struct net_device *odd = r_alloc("tp01"), *t = r_alloc("tp%d");

	ASSERT_EQ(register_netdev(odd), 0); /* "tp01" does not round-trip as unit 1 */
	ASSERT_EQ(register_netdev(t), 0);
	ASSERT_STR_EQ(t->name, "tp0");
	r_remove(odd);
	r_remove(t);
}

TEST(r_reg_3_template_counts_altnames)
{
	struct net_device *a = r_alloc("alt-a"), *t = r_alloc("tp%d");

	ASSERT_EQ(register_netdev(a), 0);
	rtnl_lock();
	ASSERT_EQ(netdev_name_node_alt_create(a, "tp0"), 0);
	ASSERT_EQ(netdev_name_node_alt_create(a, "alt-a"), -EEXIST);
	ASSERT_PTR_EQ(__dev_get_by_name(&init_net, "tp0"), a);
	rtnl_unlock();
	ASSERT_EQ(register_netdev(t), 0);
	ASSERT_STR_EQ(t->name, "tp1");
	r_remove(a);
	r_remove(t);
}

TEST(r_reg_3_duplicate_name_is_eexist)
{
	struct net_device *a = r_alloc("dup"), *b = r_alloc("dup");

	ASSERT_EQ(register_netdev(a), 0);
	ASSERT_EQ(register_netdev(b), -EEXIST);
	ASSERT_EQ(b->reg_state, NETREG_UNINITIALIZED);
	free_netdev(b);
	r_remove(a);
}

TEST(r_reg_3_template_space_exhausted_is_enfile)
{
	/* "abcdefghijklm%d" (15 characters) can only hold units 0..99: unit 100 would
	 * need 16 characters, so the 101st registration has no name left. */
	struct net *net = unetdev_net_create("enfile");
	struct net_device *dev;

	for (int i = 0; i < 100; i++) {
		dev = r_alloc("abcdefghijklm%d");
		dev->nd_net = net;
		dev->needs_free_netdev = true;
		ASSERT_EQ(register_netdev(dev), 0);
	}
	ASSERT_STR_EQ(dev->name, "abcdefghijklm99");
	dev = r_alloc("abcdefghijklm%d");
	dev->nd_net = net;
	ASSERT_EQ(register_netdev(dev), -ENFILE);
	free_netdev(dev);
	unetdev_net_destroy(net);
}

TEST(r_reg_4_dev_alloc_name)
{
	struct net_device *a = r_alloc("an%d"), *b = r_alloc("plain"), *c = r_alloc("x");

	ASSERT_EQ(register_netdev(a), 0);
	ASSERT_EQ(register_netdev(b), 0);
	rtnl_lock();
	ASSERT_EQ(dev_alloc_name(c, "an%d"), 1);
	ASSERT_STR_EQ(c->name, "an1");
	ASSERT_EQ(dev_alloc_name(c, "plain"), -ENFILE);
	ASSERT_EQ(dev_alloc_name(c, "bad/name"), -EINVAL);
	rtnl_unlock();
	free_netdev(c);
	r_remove(a);
	r_remove(b);
}

/* ---- R-REG-5 .. 10 ---- */

TEST(r_reg_5_ndo_init_before_visibility_under_rtnl)
{
	struct net_device *dev = r_alloc("init5");

	ASSERT_EQ(register_netdev(dev), 0);
	ASSERT_EQ(init_calls, 1);
	ASSERT_TRUE(init_saw_rtnl);
	ASSERT_FALSE(init_saw_visible);
	ASSERT_EQ(init_saw_ifindex, 0); /* before ifindex assignment */
	r_remove(dev);
}

TEST(r_reg_5_init_failure_calls_neither_uninit_nor_destructor)
{
	struct net_device *dev = r_alloc("init5f");

	init_ret = -ENOMEM;
	ASSERT_EQ(register_netdev(dev), -ENOMEM);
	ASSERT_EQ(uninit_calls, 0);
	ASSERT_EQ(destructor_calls, 0);
	ASSERT_EQ(dev->reg_state, NETREG_UNINITIALIZED);
	ASSERT_NULL(dev_get_by_name(&init_net, "init5f"));
	free_netdev(dev);
}

TEST(r_reg_5_positive_init_return_is_eio)
{
	struct net_device *dev = r_alloc("init5p");

	init_ret = 7;
	ASSERT_EQ(register_netdev(dev), -EIO);
	free_netdev(dev);
}

TEST(r_reg_6_vlan_filter_without_ops_is_einval)
{
	struct net_device *dev = r_alloc("vlan6");

	dev->features |= NETIF_F_HW_VLAN_CTAG_FILTER;
	ASSERT_EQ(register_netdev(dev), -EINVAL);
	ASSERT_EQ(uninit_calls, 1);
	ASSERT_EQ(destructor_calls, 1);
	free_netdev(dev);
}

TEST(r_reg_7_ifindex_cyclic_and_preset)
{
	struct net *net = unetdev_net_create("idx");
	struct net_device *a = r_alloc("i0"), *b = r_alloc("i1"), *c = r_alloc("i2"),
			  *d = r_alloc("i3"), *e = r_alloc("i4");

	a->nd_net = b->nd_net = c->nd_net = d->nd_net = e->nd_net = net;
	ASSERT_EQ(register_netdev(a), 0);
	ASSERT_EQ(register_netdev(b), 0);
	ASSERT_EQ(a->ifindex, 1);
	ASSERT_EQ(b->ifindex, 2);
	unregister_netdev(a);
	free_netdev(a);
	ASSERT_EQ(register_netdev(c), 0);
	ASSERT_EQ(c->ifindex, 3); /* after the last one handed out, not the freed 1 */
	d->ifindex = 3;
	ASSERT_EQ(register_netdev(d), -EBUSY);
	d->ifindex = 100;
	ASSERT_EQ(register_netdev(d), 0);
	ASSERT_EQ(d->ifindex, 100);
	e->ifindex = -5;
	ASSERT_EQ(register_netdev(e), -EINVAL);
	free_netdev(e);
	b->needs_free_netdev = c->needs_free_netdev = d->needs_free_netdev = true;
	unetdev_net_destroy(net);
}

TEST(r_reg_8_feature_setup)
{
	struct net_device *dev = r_alloc("feat");

	dev->hw_features = NETIF_F_TSO | NETIF_F_SG;
	dev->features = NETIF_F_SG;
	ASSERT_EQ(register_netdev(dev), 0);
	ASSERT_TRUE(dev->hw_features & NETIF_F_GSO);
	ASSERT_TRUE(dev->hw_features & NETIF_F_GRO);
	ASSERT_TRUE(dev->features & NETIF_F_GSO);
	ASSERT_TRUE(dev->hw_features & NETIF_F_TSO_MANGLEID);
	ASSERT_TRUE(dev->vlan_features & NETIF_F_HIGHDMA);
	ASSERT_TRUE(dev->hw_enc_features & NETIF_F_SG);
	ASSERT_TRUE(dev->hw_enc_features & NETIF_F_GSO_PARTIAL);
	ASSERT_TRUE(dev->mpls_features & NETIF_F_SG);
	r_remove(dev);
}

TEST(r_reg_9_post_init_veto)
{
	struct net_device *dev = r_alloc("post9");

	rec_start();
	veto_event = NETDEV_POST_INIT;
	veto_err = -EPERM;
	ASSERT_EQ(register_netdev(dev), -EPERM);
	ASSERT_EQ(uninit_calls, 1);
	ASSERT_EQ(destructor_calls, 1);
	ASSERT_EQ(ev_count(NETDEV_REGISTER), 0);
	ASSERT_EQ(dev->ifindex, 0); /* released */
	rec_stop();
	free_netdev(dev);
}

TEST(r_reg_10_kobject_failure)
{
	struct net_device *dev = r_alloc("kobj10");

	rec_start();
	unetdev_fault_fail_nth("kobject", 1);
	ASSERT_EQ(register_netdev(dev), -ENOMEM);
	unetdev_fault_clear();
	ASSERT_EQ(dev->reg_state, NETREG_UNREGISTERED);
	ASSERT_EQ(ev_count(NETDEV_PRE_UNINIT), 1);
	ASSERT_EQ(uninit_calls, 1);
	ASSERT_EQ(destructor_calls, 1);
	rec_stop();
	free_netdev(dev);
}

TEST(r_reg_10_success_is_registered)
{
	struct net_device *dev = r_alloc("ok10");

	ASSERT_EQ(register_netdev(dev), 0);
	ASSERT_EQ(dev->reg_state, NETREG_REGISTERED);
	r_remove(dev);
}

static netdev_features_t fix_calls_features;
static int fix_calls;

static netdev_features_t f_fix(struct net_device *dev, netdev_features_t f)
{
	fix_calls++;
	return f & ~NETIF_F_GRO;
}

static const struct net_device_ops f_ops = {
    .ndo_start_xmit = r_xmit,
    .ndo_fix_features = f_fix,
};

TEST(r_reg_11_update_features_runs)
{
	struct net_device *dev = r_alloc("fix11");

	dev->netdev_ops = &f_ops;
	fix_calls = 0;
	ASSERT_EQ(register_netdev(dev), 0);
	ASSERT_GE(fix_calls, 1);
	ASSERT_FALSE(dev->features & NETIF_F_GRO);
	(void)fix_calls_features;
	r_remove(dev);
}

static bool present_at_register;

static int present_cb(struct notifier_block *nb, unsigned long ev, void *ptr)
{
	if (ev == NETDEV_REGISTER)
		present_at_register = netif_device_present(netdev_notifier_info_to_dev(ptr));
	return NOTIFY_DONE;
}

TEST(r_reg_12_present_before_register_event)
{
	struct notifier_block nb = {.notifier_call = present_cb};
	struct net_device *dev = r_alloc("pres12");

	ASSERT_EQ(register_netdevice_notifier(&nb), 0);
	ASSERT_EQ(register_netdev(dev), 0);
	ASSERT_TRUE(present_at_register);
	ASSERT_EQ(unregister_netdevice_notifier(&nb), 0);
	r_remove(dev);
}

TEST(r_reg_13_operstate_computed_only_if_carrier_off)
{
	struct net_device *a = r_alloc("op13a"), *b = r_alloc("op13b");

	netif_carrier_off(b); /* before registration: only the bit */
	ASSERT_EQ(register_netdev(a), 0);
	ASSERT_EQ(register_netdev(b), 0);
	ASSERT_EQ(a->operstate, IF_OPER_UNKNOWN);
	ASSERT_EQ(b->operstate, IF_OPER_DOWN);
	ASSERT_EQ(b->carrier_down_count, 0);
	r_remove(a);
	r_remove(b);
}

TEST(r_reg_14_queues_point_at_noop_watchdog_not_armed)
{
	struct net_device *dev = r_alloc("sch14");

	ASSERT_EQ(register_netdev(dev), 0);
	for (unsigned int i = 0; i < dev->num_tx_queues; i++)
		ASSERT_NOT_NULL(dev->_tx[i].qdisc);
	ASSERT_FALSE(timer_pending(&dev->watchdog_timer));
	r_remove(dev);
}

TEST(r_reg_15_registered_ref_and_listed)
{
	struct net_device *dev = r_alloc("ref15"), *found, *last = NULL;

	ASSERT_EQ(register_netdev(dev), 0);
	ASSERT_EQ(netdev_refcnt_read(dev), 2);
	found = dev_get_by_name(&init_net, "ref15");
	ASSERT_PTR_EQ(found, dev);
	ASSERT_EQ(netdev_refcnt_read(dev), 3);
	dev_put(found);
	found = dev_get_by_index(&init_net, dev->ifindex);
	ASSERT_PTR_EQ(found, dev);
	dev_put(found);
	rtnl_lock();
	ASSERT_PTR_EQ(__dev_get_by_name(&init_net, "ref15"), dev);
	ASSERT_PTR_EQ(__dev_get_by_index(&init_net, dev->ifindex), dev);
	for_each_netdev (&init_net, found)
		last = found;
	ASSERT_PTR_EQ(last, dev); /* appended at the tail */
	rtnl_unlock();
	ASSERT_EQ(netdev_refcnt_read(dev), 2);
	r_remove(dev);
}

TEST(r_reg_16_perm_addr_copied)
{
	static const unsigned char mac[6] = {0x02, 1, 2, 3, 4, 5};
	struct net_device *dev = r_alloc("perm16"), *dev2 = r_alloc("perm16b");

	dev_addr_set(dev, mac);
	dev_addr_set(dev2, mac);
	dev2->addr_assign_type = NET_ADDR_RANDOM;
	ASSERT_EQ(register_netdev(dev), 0);
	ASSERT_EQ(register_netdev(dev2), 0);
	ASSERT_MEM_EQ(dev->perm_addr, mac, 6);
	ASSERT_EQ(dev2->perm_addr[0], 0);
	r_remove(dev);
	r_remove(dev2);
}

TEST(r_reg_17_register_veto_unregisters)
{
	struct net_device *dev = r_alloc("veto17");

	rec_start();
	veto_event = NETDEV_REGISTER;
	veto_err = -EBUSY;
	veto_name = "veto17";
	dev->needs_free_netdev = true;
	ASSERT_EQ(register_netdev(dev), -EBUSY);
	ASSERT_FALSE(dev->needs_free_netdev); /* the caller frees */
	ASSERT_EQ(dev->reg_state, NETREG_UNREGISTERED);
	ASSERT_EQ(ev_count(NETDEV_UNREGISTER), 1);
	ASSERT_EQ(uninit_calls, 1);
	ASSERT_EQ(destructor_calls, 1);
	rec_stop();
	free_netdev(dev);
}

static int newlinks;

static void link_cb(int type, struct net_device *dev, unsigned int change, void *ctx)
{
	if (type == UNETDEV_RTM_NEWLINK && !strcmp(dev->name, (const char *)ctx))
		newlinks++;
}

TEST(r_reg_18_newlink_on_success)
{
	struct net_device *dev = r_alloc("nl18");

	newlinks = 0;
	ASSERT_EQ(unetdev_link_listener_add(link_cb, (void *)"nl18"), 0);
	ASSERT_EQ(register_netdev(dev), 0);
	ASSERT_EQ(newlinks, 1);
	ASSERT_EQ(unetdev_link_listener_del(link_cb, (void *)"nl18"), 0);
	r_remove(dev);
}

TEST(r_reg_19_usable_immediately)
{
	struct net_device *dev = r_alloc("use19");

	ASSERT_EQ(register_netdev(dev), 0);
	rtnl_lock();
	ASSERT_EQ(dev_open(dev, NULL), 0);
	dev_close(dev);
	rtnl_unlock();
	r_remove(dev);
}

TEST(r_reg_20_registration_never_opens)
{
	struct net_device *dev = r_alloc("up20");

	ASSERT_EQ(register_netdev(dev), 0);
	ASSERT_FALSE(dev->flags & IFF_UP);
	ASSERT_FALSE(netif_running(dev));
	r_remove(dev);
}

/* ---- notifier chains ---- */

TEST(r_reg_21_replay_register_and_up)
{
	struct net_device *a = r_alloc("rp21a"), *b = r_alloc("rp21b");

	ASSERT_EQ(register_netdev(a), 0);
	ASSERT_EQ(register_netdev(b), 0);
	rtnl_lock();
	ASSERT_EQ(dev_open(b, NULL), 0);
	rtnl_unlock();
	nev = 0;
	veto_event = 0;
	ASSERT_EQ(register_netdevice_notifier(&rec_nb), 0);
	/* a: REGISTER; b: REGISTER, UP (in device order) */
	ASSERT_EQ(nev, 3);
	ASSERT_EQ(evs[0].ev, NETDEV_REGISTER);
	ASSERT_STR_EQ(evs[0].name, "rp21a");
	ASSERT_EQ(evs[1].ev, NETDEV_REGISTER);
	ASSERT_EQ(evs[2].ev, NETDEV_UP);
	ASSERT_STR_EQ(evs[2].name, "rp21b");
	rec_stop();
	r_remove(a);
	r_remove(b);
}

TEST(r_reg_21_replay_failure_rolls_back)
{
	struct net_device *a = r_alloc("rb21a"), *b = r_alloc("rb21b"), *c = r_alloc("rb21c");

	ASSERT_EQ(register_netdev(a), 0);
	ASSERT_EQ(register_netdev(b), 0);
	ASSERT_EQ(register_netdev(c), 0);
	nev = 0;
	veto_event = NETDEV_REGISTER;
	veto_err = -ENOSPC;
	veto_name = "rb21c";
	ASSERT_EQ(register_netdevice_notifier(&rec_nb), -ENOSPC);
	/* REGISTER a, b, c(vetoed); then UNREGISTER b, a in reverse order */
	ASSERT_EQ(evs[nev - 2].ev, NETDEV_UNREGISTER);
	ASSERT_STR_EQ(evs[nev - 2].name, "rb21b");
	ASSERT_EQ(evs[nev - 1].ev, NETDEV_UNREGISTER);
	ASSERT_STR_EQ(evs[nev - 1].name, "rb21a");
	/* the block was removed: no more events reach it */
	nev = 0;
	veto_event = 0;
	r_remove(a);
	ASSERT_EQ(nev, 0);
	r_remove(b);
	r_remove(c);
}

TEST(r_reg_22_unregister_notifier_sends_down_and_unregister)
{
	struct net_device *a = r_alloc("un22");

	ASSERT_EQ(register_netdev(a), 0);
	rtnl_lock();
	ASSERT_EQ(dev_open(a, NULL), 0);
	rtnl_unlock();
	rec_start();
	ASSERT_EQ(unregister_netdevice_notifier(&rec_nb), 0);
	ASSERT_EQ(nev, 3);
	ASSERT_EQ(evs[0].ev, NETDEV_GOING_DOWN);
	ASSERT_EQ(evs[1].ev, NETDEV_DOWN);
	ASSERT_EQ(evs[2].ev, NETDEV_UNREGISTER);
	ASSERT_EQ(unregister_netdevice_notifier(&rec_nb), -ENOENT);
	r_remove(a);
}

static int order[4], norder;

static int ns_cb(struct notifier_block *nb, unsigned long ev, void *ptr)
{
	if (ev == NETDEV_CHANGENAME) {
		order[norder++] = 1;
		return NOTIFY_STOP;
	}
	if (ev == NETDEV_REGISTER)
		order[norder++] = 1;
	return NOTIFY_DONE;
}

static int global_cb(struct notifier_block *nb, unsigned long ev, void *ptr)
{
	if (ev == NETDEV_REGISTER || ev == NETDEV_CHANGENAME)
		order[norder++] = 2;
	return NOTIFY_DONE;
}

TEST(r_reg_23_namespace_chain_first_and_stop)
{
	struct notifier_block nsb = {.notifier_call = ns_cb};
	struct notifier_block gb = {.notifier_call = global_cb};
	struct net *net = unetdev_net_create("chain");
	struct net_device *dev = r_alloc("ch23");

	dev->nd_net = net;
	ASSERT_EQ(register_netdevice_notifier(&gb), 0);
	ASSERT_EQ(register_netdevice_notifier_net(net, &nsb), 0);
	norder = 0;
	ASSERT_EQ(register_netdev(dev), 0);
	ASSERT_EQ(norder, 2);
	ASSERT_EQ(order[0], 1);
	ASSERT_EQ(order[1], 2);
	norder = 0;
	rtnl_lock();
	ASSERT_EQ(dev_change_name(dev, "ch23b"), 0); /* the namespace chain says STOP */
	rtnl_unlock();
	ASSERT_EQ(norder, 1);
	ASSERT_EQ(order[0], 1);
	ASSERT_EQ(unregister_netdevice_notifier_net(net, &nsb), 0);
	ASSERT_EQ(unregister_netdevice_notifier(&gb), 0);
	dev->needs_free_netdev = true;
	unetdev_net_destroy(net);
}

TEST(r_reg_23_notifiers_assert_rtnl)
{
	struct net_device *dev = r_alloc("rt23");

	ASSERT_EQ(register_netdev(dev), 0);
	expect_violations();
	notify_without_rtnl(dev);
	ASSERT_EQ(unetdev_check_count("R-REG-23"), 1);
	r_remove(dev);
}

TEST(r_reg_23_errno_roundtrip)
{
	ASSERT_EQ(notifier_to_errno(notifier_from_errno(-EPERM)), -EPERM);
	ASSERT_EQ(notifier_to_errno(notifier_from_errno(0)), 0);
	ASSERT_EQ(notifier_to_errno(NOTIFY_DONE), 0);
	ASSERT_TRUE(notifier_from_errno(-EINVAL) & NOTIFY_STOP_MASK);
}

TEST(r_reg_rename_rules)
{
	struct net_device *a = r_alloc("rn-a"), *b = r_alloc("rn-b");

	ASSERT_EQ(register_netdev(a), 0);
	ASSERT_EQ(register_netdev(b), 0);
	rtnl_lock();
	ASSERT_EQ(dev_change_name(a, "rn-b"), -EEXIST);
	ASSERT_EQ(dev_change_name(a, "bad name"), -EINVAL);
	ASSERT_STR_EQ(a->name, "rn-a");
	ASSERT_EQ(dev_change_name(a, "rn-c"), 0);
	ASSERT_PTR_EQ(__dev_get_by_name(&init_net, "rn-c"), a);
	ASSERT_NULL(__dev_get_by_name(&init_net, "rn-a"));
	ASSERT_EQ(a->name_assign_type, NET_NAME_RENAMED);
	ASSERT_EQ(dev_open(a, NULL), 0);
	ASSERT_EQ(dev_change_name(a, "rn-d"), -EBUSY);
	rtnl_unlock();
	r_remove(a);
	r_remove(b);
}
