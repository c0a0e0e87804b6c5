// SPDX-License-Identifier: MIT
/*
 * Conformance: constants (R-K) and allocation/free (R-ALLOC).
 */
#include <stdint.h>
#include <unetdev/unetdev.h>

#include "harness.h"

struct priv {
	unsigned char bytes[100];
};

static int setup_calls;
static unsigned int setup_saw_txqs;
static struct netdev_queue *setup_saw_tx;
static char setup_saw_name0;

static void plain_setup(struct net_device *dev)
{
	setup_calls++;
	setup_saw_txqs = dev->num_tx_queues;
	setup_saw_tx = dev->_tx;
	setup_saw_name0 = dev->name[0];
}

static netdev_tx_t x_xmit(struct sk_buff *skb, struct net_device *dev)
{
	consume_skb(skb);
	return NETDEV_TX_OK;
}

static const struct net_device_ops x_ops = {
    .ndo_start_xmit = x_xmit,
};

static void eth_like_setup(struct net_device *dev)
{
	ether_setup(dev);
	dev->netdev_ops = &x_ops;
}

static struct net_device *alloc_plain(int priv)
{
	return alloc_netdev_mqs(priv, "t%d", NET_NAME_ENUM, plain_setup, 1, 1);
}

/* ---- R-K ---- */

TEST(r_k_1_ifnamsiz_is_16)
{
	ASSERT_EQ(IFNAMSIZ, 16);
	ASSERT_FALSE(dev_valid_name("0123456789abcdef"));
	ASSERT_TRUE(dev_valid_name("0123456789abcde"));
}

TEST(r_k_2_alias_of_256_is_einval)
{
	struct net_device *dev = alloc_plain(0);
	char alias[IFALIASZ + 1];

	memset(alias, 'a', sizeof(alias));
	ASSERT_EQ(IFALIASZ, 256);
	ASSERT_EQ(dev_set_alias(dev, alias, 256), -EINVAL);
	ASSERT_EQ(dev_set_alias(dev, alias, 255), 255);
	free_netdev(dev);
}

TEST(r_k_3_max_addr_len_is_32)
{
	ASSERT_EQ(MAX_ADDR_LEN, 32);
}

TEST(r_k_4_netdev_align_is_32)
{
	ASSERT_EQ(NETDEV_ALIGN, 32);
}

TEST(r_k_5_ethernet_constants)
{
	ASSERT_EQ(ETH_ALEN, 6);
	ASSERT_EQ(ETH_HLEN, 14);
	ASSERT_EQ(VLAN_HLEN, 4);
	ASSERT_EQ(ETH_MIN_MTU, 68);
	ASSERT_EQ(ETH_DATA_LEN, 1500);
	ASSERT_EQ(ETH_MAX_MTU, 65535);
	ASSERT_EQ(DEFAULT_TX_QUEUE_LEN, 1000);
}

TEST(r_k_6_napi_weight_64)
{
	ASSERT_EQ(NAPI_POLL_WEIGHT, 64);
}

#include <unetdev/engine.h>

TEST(r_k_7_net_hotdata_defaults)
{
	ASSERT_EQ(unetdev_sysctl_netdev_budget(0), 300);
	ASSERT_EQ(unetdev_sysctl_netdev_max_backlog(0), 1000);
	ASSERT_EQ(GRO_NORMAL_BATCH, 8);
	ASSERT_EQ(GRO_HASH_BUCKETS, 8); /* R-K-19 */
	ASSERT_EQ(MAX_GRO_SKBS, 8);
	/* netdev_budget_usecs = 2 jiffies at any HZ: r_napi_10_two_jiffy_limit. */
	ASSERT_EQ(unetdev_sysctl_netdev_budget(-1), 300); /* v <= 0 only reads */
}

TEST(r_k_8_xmit_recursion_limit_8)
{
	ASSERT_EQ(XMIT_RECURSION_LIMIT, 8);
}

TEST(r_k_9_default_watchdog_5hz_constant)
{
	/* The 5*HZ default is applied when the watchdog is armed (R-WD-1, datapath
	 * tests); here only that HZ is a supported tick rate. */
	ASSERT_TRUE(HZ == 100 || HZ == 250 || HZ == 300 || HZ == 1000);
}

TEST(r_k_10_unregister_timeout_default_10)
{
	ASSERT_EQ(unetdev_set_unregister_timeout(0), 10);
	ASSERT_EQ(unetdev_set_unregister_timeout(3), 10);
	ASSERT_EQ(unetdev_set_unregister_timeout(10), 3);
	/* backoff 1 ms .. 250 ms and the 1 s rebroadcast: r_unreg_11 / r_unreg_12 */
}

/* R-K-14: priority -> band. The driver records the order pfifo_fast hands them over. */
static u32 k14_order[32];
static int k14_n;

static netdev_tx_t k14_xmit(struct sk_buff *skb, struct net_device *dev)
{
	k14_order[k14_n++ & 31] = skb->priority;
	consume_skb(skb);
	return NETDEV_TX_OK;
}

static const struct net_device_ops k14_ops = {.ndo_start_xmit = k14_xmit};

static void k14_setup(struct net_device *dev)
{
	ether_setup(dev);
	dev->netdev_ops = &k14_ops;
}

static void k14_send(struct net_device *dev, u32 prio)
{
	struct sk_buff *skb = alloc_skb(64, GFP_KERNEL);

	ASSERT_NOT_NULL(skb);
	skb_put(skb, 60);
	skb->dev = dev;
	skb->priority = prio;
	ASSERT_EQ(dev_queue_xmit(skb), NET_XMIT_SUCCESS);
}

TEST(r_k_14_pfifo_fast_priomap)
{
	static const int band[16] = {1, 2, 2, 2, 1, 2, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1};
	struct net_device *dev = alloc_netdev(0, "k14", NET_NAME_USER, k14_setup);
	int next = 0;

	ASSERT_NOT_NULL(dev);
	ASSERT_EQ(register_netdev(dev), 0);
	rtnl_lock();
	ASSERT_EQ(dev_open(dev, NULL), 0);
	rtnl_unlock();
	netif_stop_queue(dev);
	k14_send(dev, 99); /* bypasses the empty qdisc, meets the stopped queue: requeued */
	for (u32 prio = 0; prio < 16; prio++)
		k14_send(dev, prio + 16); /* priority & TC_PRIO_MAX selects the band */
	netif_wake_queue(dev);
	ASSERT_EQ(k14_n, 17);
	ASSERT_EQ(k14_order[0], 99);
	for (int b = 0; b < 3; b++) /* band 0 first, FIFO inside each band */
		for (int prio = 0; prio < 16; prio++)
			if (band[prio] == b)
				ASSERT_EQ(k14_order[1 + next++], prio + 16);
	unregister_netdev(dev);
	free_netdev(dev);
}

static void k18_setup(struct net_device *dev)
{
	ether_setup(dev);
	dev->netdev_ops = &x_ops;
	dev->needs_free_netdev = true;
}

TEST(r_k_18_linkwatch_100_devices_per_run)
{
	struct net *net = unetdev_net_create("lw");
	struct net_device *devs[150];
	int down = 0;

	unetdev_clock_set_manual(true);
	for (int i = 0; i < 150; i++) {
		devs[i] = alloc_netdev(0, "lw%d", NET_NAME_ENUM, k18_setup);
		devs[i]->nd_net = net;
		ASSERT_EQ(register_netdev(devs[i]), 0);
	}
	for (int i = 0; i < 150; i++)
		netif_carrier_off(devs[i]);
	unetdev_clock_advance(0); /* one run: at most 100 devices */
	for (int i = 0; i < 150; i++)
		down += devs[i]->operstate == IF_OPER_DOWN;
	ASSERT_EQ(down, 100);
	unetdev_clock_advance(HZ); /* the rest, one second later */
	down = 0;
	for (int i = 0; i < 150; i++)
		down += devs[i]->operstate == IF_OPER_DOWN;
	ASSERT_EQ(down, 150);
	unetdev_net_destroy(net);
}

TEST(r_k_19_gro_constants)
{
	ASSERT_EQ(GRO_HASH_BUCKETS, 8);
	ASSERT_EQ(MAX_GRO_SKBS, 8);
	ASSERT_EQ(GRO_NORMAL_BATCH, 8);
}

TEST(r_k_26_napi_state_bits)
{
	ASSERT_EQ(NAPI_STATE_SCHED, 0);
	ASSERT_EQ(NAPI_STATE_MISSED, 1);
	ASSERT_EQ(NAPI_STATE_DISABLE, 2);
	ASSERT_EQ(NAPI_STATE_NPSVC, 3);
	ASSERT_EQ(NAPI_STATE_LISTED, 4);
	ASSERT_EQ(NAPI_STATE_NO_BUSY_POLL, 5);
	ASSERT_EQ(NAPI_STATE_IN_BUSY_POLL, 6);
	ASSERT_EQ(NAPI_STATE_PREFER_BUSY_POLL, 7);
	ASSERT_EQ(NAPI_STATE_THREADED, 8);
	ASSERT_EQ(NAPI_STATE_SCHED_THREADED, 9);
	ASSERT_EQ(NAPI_STATE_HAS_NOTIFIER, 10);
	ASSERT_EQ(NAPI_STATE_THREADED_BUSY_POLL, 11);
}

TEST(r_k_11_template_units_0_to_32767)
{
	ASSERT_EQ(NETDEV_UNIT_MAX, 32768);
}

TEST(r_k_12_ifindex_zero_means_allocate)
{
	struct net_device *dev = alloc_netdev(0, "k12", NET_NAME_USER, eth_like_setup);

	ASSERT_EQ(dev->ifindex, 0);
	ASSERT_EQ(register_netdev(dev), 0);
	ASSERT_GE(dev->ifindex, 1);
	unregister_netdev(dev);
	free_netdev(dev);
}

TEST(r_k_13_gso_constants)
{
	ASSERT_EQ(GSO_LEGACY_MAX_SIZE, 65536);
	ASSERT_EQ(GSO_MAX_SEGS, 65535);
	ASSERT_EQ(GSO_MAX_SIZE, 8 * 65535);
	ASSERT_UEQ(TSO_MAX_SIZE, UINT32_MAX);
}

TEST(r_k_15_transmit_codes)
{
	ASSERT_EQ(NET_XMIT_SUCCESS, 0);
	ASSERT_EQ(NET_XMIT_DROP, 1);
	ASSERT_EQ(NET_XMIT_CN, 2);
	ASSERT_EQ(NET_XMIT_MASK, 0x0f);
	ASSERT_EQ(NETDEV_TX_OK, 0);
	ASSERT_EQ(NETDEV_TX_BUSY, 0x10);
	ASSERT_EQ(NETDEV_TX_LOCKED, 0x20);
	ASSERT_EQ(NETDEV_TX_MASK, 0xf0);
	ASSERT_TRUE(dev_xmit_complete(NET_XMIT_DROP));
	ASSERT_FALSE(dev_xmit_complete(NETDEV_TX_BUSY));
}

TEST(r_k_16_receive_codes)
{
	ASSERT_EQ(NET_RX_SUCCESS, 0);
	ASSERT_EQ(NET_RX_DROP, 1);
}

TEST(r_k_21_max_nest_dev_8)
{
	ASSERT_EQ(MAX_NEST_DEV, 8);
}

TEST(r_k_20_hash_sizes)
{
	ASSERT_EQ(PTYPE_HASH_SIZE, 16);
	ASSERT_EQ(NETDEV_HASHENTRIES, 256);
	ASSERT_EQ(UNETDEV_NET_HASHENTRIES, 256);
}

TEST(r_k_22_reg_state_values)
{
	ASSERT_EQ(NETREG_UNINITIALIZED, 0);
	ASSERT_EQ(NETREG_REGISTERED, 1);
	ASSERT_EQ(NETREG_UNREGISTERING, 2);
	ASSERT_EQ(NETREG_UNREGISTERED, 3);
	ASSERT_EQ(NETREG_RELEASED, 4);
	ASSERT_EQ(NETREG_DUMMY, 5);
}

TEST(r_k_23_state_bits)
{
	ASSERT_EQ(__LINK_STATE_START, 0);
	ASSERT_EQ(__LINK_STATE_PRESENT, 1);
	ASSERT_EQ(__LINK_STATE_NOCARRIER, 2);
	ASSERT_EQ(__LINK_STATE_LINKWATCH_PENDING, 3);
	ASSERT_EQ(__LINK_STATE_DORMANT, 4);
	ASSERT_EQ(__LINK_STATE_TESTING, 5);
	ASSERT_EQ(__QUEUE_STATE_DRV_XOFF, 0);
	ASSERT_EQ(__QUEUE_STATE_STACK_XOFF, 1);
	ASSERT_EQ(__QUEUE_STATE_FROZEN, 2);
}

TEST(r_k_24_interface_flags)
{
	ASSERT_EQ(IFF_UP, 0x1);
	ASSERT_EQ(IFF_RUNNING, 0x40);
	ASSERT_EQ(IFF_PROMISC, 0x100);
	ASSERT_EQ(IFF_ALLMULTI, 0x200);
	ASSERT_EQ(IFF_MULTICAST, 0x1000);
	ASSERT_EQ(IFF_LOWER_UP, 0x10000);
	ASSERT_EQ(IFF_DORMANT, 0x20000);
	ASSERT_EQ(IFF_ECHO, 0x40000);
	ASSERT_EQ(IFF_VOLATILE, IFF_LOOPBACK | IFF_POINTOPOINT | IFF_BROADCAST | IFF_ECHO |
				    IFF_MASTER | IFF_SLAVE | IFF_RUNNING | IFF_LOWER_UP |
				    IFF_DORMANT);
}

TEST(r_k_25_operstates)
{
	ASSERT_EQ(IF_OPER_UNKNOWN, 0);
	ASSERT_EQ(IF_OPER_NOTPRESENT, 1);
	ASSERT_EQ(IF_OPER_DOWN, 2);
	ASSERT_EQ(IF_OPER_LOWERLAYERDOWN, 3);
	ASSERT_EQ(IF_OPER_TESTING, 4);
	ASSERT_EQ(IF_OPER_DORMANT, 5);
	ASSERT_EQ(IF_OPER_UP, 6);
	ASSERT_EQ(IF_LINK_MODE_DEFAULT, 0);
	ASSERT_EQ(IF_LINK_MODE_DORMANT, 1);
	ASSERT_EQ(IF_LINK_MODE_TESTING, 2);
}

TEST(r_k_27_name_assign_types)
{
	ASSERT_EQ(NET_NAME_UNKNOWN, 0);
	ASSERT_EQ(NET_NAME_ENUM, 1);
	ASSERT_EQ(NET_NAME_PREDICTABLE, 2);
	ASSERT_EQ(NET_NAME_USER, 3);
	ASSERT_EQ(NET_NAME_RENAMED, 4);
}

/* ---- R-ALLOC ---- */

TEST(r_alloc_1_variants)
{
	struct net_device *a = alloc_netdev(0, "a", NET_NAME_USER, plain_setup);
	struct net_device *b = alloc_netdev_mq(0, "b", NET_NAME_USER, plain_setup, 4);
	struct net_device *c = alloc_etherdev_mqs(0, 3, 2);
	struct net_device *d = alloc_etherdev(8);

	ASSERT_EQ(a->num_tx_queues, 1);
	ASSERT_EQ(a->num_rx_queues, 1);
	ASSERT_EQ(b->num_tx_queues, 4);
	ASSERT_EQ(b->num_rx_queues, 4);
	ASSERT_EQ(c->num_tx_queues, 3);
	ASSERT_EQ(c->num_rx_queues, 2);
	ASSERT_STR_EQ(c->name, "eth%d");
	ASSERT_EQ(c->type, ARPHRD_ETHER);
	ASSERT_EQ(d->mtu, 1500);
	ASSERT_EQ(a->name_assign_type, NET_NAME_USER);
	free_netdev(a);
	free_netdev(b);
	free_netdev(c);
	free_netdev(d);
}

TEST(r_alloc_2_long_name_is_bug)
{
	expect_violations();
	ASSERT_NULL(alloc_netdev(0, "0123456789abcdef", NET_NAME_USER, plain_setup));
	ASSERT_EQ(unetdev_check_count("R-ALLOC-2"), 1);
}

TEST(r_alloc_2_template_not_expanded_at_alloc)
{
	struct net_device *dev = alloc_plain(0);

	ASSERT_STR_EQ(dev->name, "t%d");
	free_netdev(dev);
}

TEST(r_alloc_3_zero_queues_is_null)
{
	ASSERT_NULL(alloc_netdev_mqs(0, "q", NET_NAME_USER, plain_setup, 0, 1));
	ASSERT_NULL(alloc_netdev_mqs(0, "q", NET_NAME_USER, plain_setup, 1, 0));
}

TEST(r_alloc_4_priv_aligned_zeroed_and_sized)
{
	for (int sz = 0; sz < 300; sz += 37) {
		struct net_device *dev = alloc_plain(sz);
		unsigned char *p = netdev_priv(dev);

		ASSERT_EQ((uintptr_t)p % 32, 0);
		for (int i = 0; i < sz; i++)
			ASSERT_EQ(p[i], 0);
		memset(p, 0xa5, (size_t)sz); /* exactly sz usable bytes (ASan checks) */
		free_netdev(dev);
	}
}

TEST(r_alloc_4_heap_first_then_pages)
{
	struct net_device *dev = alloc_plain(64);

	ASSERT_EQ(unetdev_netdev_alloc_kind(dev), UNETDEV_ALLOC_HEAP);
	free_netdev(dev);

	unetdev_fault_fail_site("netdev_heap"); /* kmalloc fails: vmalloc fallback */
	dev = alloc_plain(64);
	unetdev_fault_clear();
	ASSERT_NOT_NULL(dev);
	ASSERT_EQ(unetdev_netdev_alloc_kind(dev), UNETDEV_ALLOC_PAGES);
	ASSERT_EQ((uintptr_t)netdev_priv(dev) % 32, 0);
	ASSERT_EQ(((unsigned char *)netdev_priv(dev))[63], 0);
	free_netdev(dev);
}

TEST(r_alloc_4_both_paths_fail_is_null)
{
	unsigned long before = unetdev_fault_injected();

	unetdev_fault_fail_site("netdev_*"); /* heap and pages */
	ASSERT_NULL(alloc_plain(0));
	unetdev_fault_clear();
	ASSERT_EQ(unetdev_fault_injected() - before, 2);

	unetdev_fault_fail_nth("netdev_pages", 1); /* pages not needed: heap serves */
	{
		struct net_device *dev = alloc_plain(0);

		ASSERT_EQ(unetdev_netdev_alloc_kind(dev), UNETDEV_ALLOC_HEAP);
		free_netdev(dev);
	}
	unetdev_fault_clear();
}

TEST(r_alloc_5_priv_valid_with_zero_size)
{
	struct net_device *dev = alloc_plain(0);

	ASSERT_NOT_NULL(netdev_priv(dev));
	ASSERT_PTR_EQ(netdev_priv(dev), dev->priv);
	free_netdev(dev);
}

TEST(r_alloc_6_refcount_one_after_alloc)
{
	struct net_device *dev = alloc_plain(0);

	ASSERT_EQ(netdev_refcnt_read(dev), 1);
	dev_hold(dev);
	ASSERT_EQ(netdev_refcnt_read(dev), 2);
	dev_put(dev);
	ASSERT_EQ(netdev_refcnt_read(dev), 1);
	free_netdev(dev);
}

TEST(r_alloc_7_dev_addrs_one_zero_entry)
{
	struct net_device *dev = alloc_plain(0);
	struct netdev_hw_addr *ha;
	int n = 0;

	netdev_hw_addr_list_for_each (ha, &dev->dev_addrs) {
		n++;
		ASSERT_EQ(ha->type, NETDEV_HW_ADDR_T_LAN);
		ASSERT_PTR_EQ(dev->dev_addr, ha->addr);
		for (int i = 0; i < MAX_ADDR_LEN; i++)
			ASSERT_EQ(ha->addr[i], 0);
	}
	ASSERT_EQ(n, 1);
	ASSERT_EQ(netdev_uc_count(dev), 0);
	ASSERT_EQ(netdev_mc_count(dev), 0);
	free_netdev(dev);
}

TEST(r_alloc_8_starts_in_init_net)
{
	struct net_device *dev = alloc_plain(0);

	ASSERT_PTR_EQ(dev_net(dev), &init_net);
	free_netdev(dev);
}

static unsigned int seen_gso_max_size, seen_tso_segs;
static unsigned long long seen_priv_flags;
static bool seen_lists_empty;

static void defaults_setup(struct net_device *dev)
{
	seen_gso_max_size = dev->gso_max_size;
	seen_tso_segs = dev->tso_max_segs;
	seen_priv_flags = dev->priv_flags;
	seen_lists_empty = list_empty(&dev->napi_list) && list_empty(&dev->ptype_all);
}

TEST(r_alloc_9_defaults_before_setup)
{
	struct net_device *dev = alloc_netdev(0, "d", NET_NAME_USER, defaults_setup);

	ASSERT_EQ(seen_gso_max_size, 65536);
	ASSERT_EQ(seen_tso_segs, 65535);
	ASSERT_EQ(seen_priv_flags, IFF_XMIT_DST_RELEASE | IFF_XMIT_DST_RELEASE_PERM);
	ASSERT_TRUE(seen_lists_empty);
	ASSERT_EQ(dev->gso_max_segs, 65535);
	ASSERT_EQ(dev->gro_max_size, 65536);
	ASSERT_EQ(dev->gso_ipv4_max_size, 65536);
	ASSERT_EQ(dev->gro_ipv4_max_size, 65536);
	ASSERT_EQ(dev->tso_max_size, 65536);
	free_netdev(dev);
}

TEST(r_alloc_10_setup_once_before_queues_and_name)
{
	struct net_device *dev;

	setup_calls = 0;
	setup_saw_txqs = 99;
	setup_saw_tx = (struct netdev_queue *)1;
	setup_saw_name0 = 'x';
	dev = alloc_netdev_mqs(0, "named", NET_NAME_USER, plain_setup, 4, 4);
	ASSERT_EQ(setup_calls, 1);
	ASSERT_EQ(setup_saw_txqs, 0);
	ASSERT_NULL(setup_saw_tx);
	ASSERT_EQ(setup_saw_name0, 0);
	ASSERT_STR_EQ(dev->name, "named");
	free_netdev(dev);
}

TEST(r_alloc_11_zero_tx_queue_len_means_no_queue)
{
	struct net_device *dev = alloc_plain(0);

	ASSERT_TRUE(dev->priv_flags & IFF_NO_QUEUE);
	ASSERT_EQ(dev->tx_queue_len, DEFAULT_TX_QUEUE_LEN);
	free_netdev(dev);
	dev = alloc_etherdev(0);
	ASSERT_FALSE(dev->priv_flags & IFF_NO_QUEUE);
	free_netdev(dev);
}

TEST(r_alloc_12_real_num_queues)
{
	struct net_device *dev = alloc_netdev_mqs(0, "r", NET_NAME_USER, plain_setup, 5, 3);

	ASSERT_EQ(dev->real_num_tx_queues, 5);
	ASSERT_EQ(dev->real_num_rx_queues, 3);
	free_netdev(dev);
}

TEST(r_alloc_13_tx_queue_init)
{
	struct net_device *dev = alloc_netdev_mqs(0, "r", NET_NAME_USER, plain_setup, 3, 1);

	for (unsigned int i = 0; i < 3; i++) {
		struct netdev_queue *q = netdev_get_tx_queue(dev, i);

		ASSERT_EQ(q->xmit_lock_owner, -1);
		ASSERT_EQ(q->state, 0);
		ASSERT_EQ(q->trans_start, 0);
		ASSERT_PTR_EQ(q->dev, dev);
		ASSERT_EQ(q->dql.limit, 0);
		ASSERT_EQ(q->dql.slack_hold_time, HZ);
		ASSERT_FALSE(spin_is_locked(&q->_xmit_lock));
	}
	free_netdev(dev);
	ASSERT_NULL(alloc_netdev_mqs(0, "r", NET_NAME_USER, plain_setup, 65536, 1));
	dev = alloc_netdev_mqs(0, "r", NET_NAME_USER, plain_setup, 65535, 1);
	ASSERT_NOT_NULL(dev);
	free_netdev(dev);
}

TEST(r_alloc_14_rx_queue_backpointers)
{
	struct net_device *dev = alloc_netdev_mqs(0, "r", NET_NAME_USER, plain_setup, 1, 4);

	for (unsigned int i = 0; i < 4; i++)
		ASSERT_PTR_EQ(dev->_rx[i].dev, dev);
	free_netdev(dev);
}

TEST(r_alloc_15_name_type_group_copied)
{
	struct net_device *dev = alloc_netdev(0, "nm", NET_NAME_PREDICTABLE, plain_setup);

	ASSERT_STR_EQ(dev->name, "nm");
	ASSERT_EQ(dev->name_assign_type, NET_NAME_PREDICTABLE);
	ASSERT_EQ(dev->group, 0);
	free_netdev(dev);
}

TEST(r_alloc_16_uninitialised_fields_and_ether_setup)
{
	struct net_device *dev = alloc_plain(0);

	ASSERT_EQ(dev->mtu, 0);
	ASSERT_EQ(dev->min_mtu, 0);
	ASSERT_EQ(dev->max_mtu, 0);
	ASSERT_EQ(dev->type, 0);
	ASSERT_EQ(dev->flags, 0);
	ASSERT_NULL(dev->netdev_ops);
	free_netdev(dev);

	dev = alloc_etherdev(0);
	ASSERT_EQ(dev->type, ARPHRD_ETHER);
	ASSERT_EQ(dev->hard_header_len, 14);
	ASSERT_EQ(dev->min_header_len, 14);
	ASSERT_EQ(dev->mtu, 1500);
	ASSERT_EQ(dev->min_mtu, 68);
	ASSERT_EQ(dev->max_mtu, 1500);
	ASSERT_EQ(dev->addr_len, 6);
	ASSERT_EQ(dev->tx_queue_len, 1000);
	ASSERT_EQ(dev->flags, IFF_BROADCAST | IFF_MULTICAST);
	ASSERT_TRUE(dev->priv_flags & IFF_TX_SKB_SHARING);
	for (int i = 0; i < 6; i++)
		ASSERT_EQ(dev->broadcast[i], 0xff);
	free_netdev(dev);
}

TEST(r_alloc_17_fresh_state)
{
	struct net_device *dev = alloc_plain(0);

	ASSERT_EQ(dev->reg_state, NETREG_UNINITIALIZED);
	ASSERT_FALSE(netif_running(dev));
	ASSERT_FALSE(netif_device_present(dev));
	ASSERT_TRUE(netif_carrier_ok(dev));
	ASSERT_EQ(dev->operstate, IF_OPER_UNKNOWN);
	free_netdev(dev);
}

TEST(r_alloc_18_sub_allocation_failure_frees_all)
{
	static const char *const sites[] = {"txq", "rxq", "hw_addr"};

	for (unsigned int i = 0; i < ARRAY_SIZE(sites); i++) {
		unetdev_fault_fail_nth(sites[i], 1);
		ASSERT_NULL(alloc_netdev_mqs(0, "f", NET_NAME_USER, plain_setup, 2, 2));
		unetdev_fault_clear();
		ASSERT_NO_LEAKS();
	}
}

TEST(r_alloc_18_every_allocation_point_fails_cleanly)
{
	unsigned long before = unetdev_alloc_count(), points;
	struct net_device *dev = alloc_plain(16);

	free_netdev(dev);
	points = unetdev_alloc_count() - before;
	ASSERT_GE(points, 3);
	for (unsigned long n = 1; n <= points; n++) {
		unetdev_fault_fail_nth(NULL, n);
		dev = alloc_plain(16);
		unetdev_fault_clear();
		if (dev) /* the heap failure falls back to pages */
			free_netdev(dev);
		ASSERT_NO_LEAKS();
	}
}

TEST(r_alloc_19_free_netdev_must_sleep_ok)
{
	struct net_device *dev = alloc_plain(0);

	expect_violations();
	local_bh_disable();
	free_netdev(dev);
	local_bh_enable();
	ASSERT_EQ(unetdev_check_count("R-SYNC-1"), 1); /* might_sleep() */
}

TEST(r_alloc_20_free_while_unregistering_defers)
{
	struct net_device *dev = alloc_netdev(0, "u%d", NET_NAME_ENUM, eth_like_setup);

	ASSERT_EQ(register_netdev(dev), 0);
	rtnl_lock();
	unregister_netdevice(dev);
	ASSERT_EQ(dev->reg_state, NETREG_UNREGISTERING);
	free_netdev(dev);
	ASSERT_TRUE(dev->needs_free_netdev);
	ASSERT_EQ(dev->reg_state, NETREG_UNREGISTERING);
	rtnl_unlock(); /* run_todo frees it; the leak check proves it */
}

TEST(r_alloc_21_free_releases_queues_and_addrs)
{
	struct net_device *dev = alloc_netdev_mqs(0, "q", NET_NAME_USER, plain_setup, 8, 8);

	free_netdev(dev);
	ASSERT_NO_LEAKS();
}

TEST(r_alloc_22_unregistered_device_released_now)
{
	struct unetdev_live l;
	struct net_device *dev = alloc_plain(0);

	unetdev_live_objects(&l);
	ASSERT_EQ(l.netdevs, 1);
	free_netdev(dev);
	unetdev_live_objects(&l);
	ASSERT_EQ(l.netdevs, 0);
}

TEST(r_alloc_23_free_registered_is_bug)
{
	struct net_device *dev = alloc_netdev(0, "b%d", NET_NAME_ENUM, eth_like_setup);

	ASSERT_EQ(register_netdev(dev), 0);
	expect_violations();
	free_netdev(dev);
	ASSERT_EQ(unetdev_check_count("R-ALLOC-23"), 1);
	ASSERT_EQ(dev->reg_state, NETREG_REGISTERED);
	unregister_netdev(dev);
	free_netdev(dev);
}

TEST(r_alloc_23_double_free_is_bug)
{
	struct net_device *dev = alloc_netdev(0, "b%d", NET_NAME_ENUM, eth_like_setup);
	struct unetdev_attr *attr;

	ASSERT_EQ(register_netdev(dev), 0);
	/* Keep the memory alive with a device-model reference to observe the second call. */
	ASSERT_EQ(unetdev_attr_open(&init_net, dev->name, "mtu", &attr), 0);
	unregister_netdev(dev);
	free_netdev(dev);
	ASSERT_EQ(dev->reg_state, NETREG_RELEASED);
	expect_violations();
	free_netdev(dev);
	ASSERT_EQ(unetdev_check_count("R-ALLOC-23"), 1);
	unetdev_attr_close(attr);
}

TEST(r_alloc_23_released_memory_waits_for_last_device_reference)
{
	struct net_device *dev = alloc_netdev(0, "m%d", NET_NAME_ENUM, eth_like_setup);
	struct unetdev_attr *attr;
	struct unetdev_live l;
	char buf[32];

	ASSERT_EQ(register_netdev(dev), 0);
	ASSERT_EQ(unetdev_attr_open(&init_net, dev->name, "mtu", &attr), 0);
	ASSERT_EQ(unetdev_attr_read(attr, buf, sizeof(buf)), 5);
	ASSERT_STR_EQ(buf, "1500\n");
	unregister_netdev(dev);
	free_netdev(dev);
	unetdev_live_objects(&l);
	ASSERT_EQ(l.netdevs, 1); /* RELEASED, still in memory */
	ASSERT_EQ(unetdev_attr_read(attr, buf, sizeof(buf)), -ENODEV);
	unetdev_attr_close(attr);
	unetdev_live_objects(&l);
	ASSERT_EQ(l.netdevs, 0);
}
