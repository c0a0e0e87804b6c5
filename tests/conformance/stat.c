// SPDX-License-Identifier: MIT
/*
 * Conformance: statistics (R-STAT-1..9).
 *
 * Small drivers in this file provide each stats source (ndo_get_stats64,
 * ndo_get_stats, per-CPU tstats/dstats, plain dev->stats) so that the
 * precedence and the core's additions can be told apart by their values.
 */
#include <arpa/inet.h>
#include <pthread.h>
#include <unetdev/u64_stats_sync.h>
#include <unetdev/unetdev.h>

#include "harness.h"

/* ---- drivers ---- */

static bool s64_saw_zeroed;
static struct net_device_stats legacy_stats; /* what the legacy driver returns */
static bool legacy_saw_base_lock;

static netdev_tx_t st_xmit(struct sk_buff *skb, struct net_device *dev)
{
	consume_skb(skb);
	return NETDEV_TX_OK;
}

static void st_get_stats64(struct net_device *dev, struct rtnl_link_stats64 *s)
{
	static const struct rtnl_link_stats64 zero;

	s64_saw_zeroed = !memcmp(s, &zero, sizeof(zero));
	s->rx_packets = 7;
	s->rx_dropped = 10;
}

static struct net_device_stats *st_get_stats(struct net_device *dev)
{
	legacy_saw_base_lock = rwlock_read_held(&dev_base_lock);
	return &legacy_stats;
}

static struct net_device *st_peer(struct net_device *dev)
{
	return NULL;
}

static const struct net_device_ops ops_both = {
    .ndo_start_xmit = st_xmit,
    .ndo_get_stats64 = st_get_stats64,
    .ndo_get_stats = st_get_stats,
};
static const struct net_device_ops ops_legacy = {
    .ndo_start_xmit = st_xmit,
    .ndo_get_stats = st_get_stats,
};
static const struct net_device_ops ops_none = {
    .ndo_start_xmit = st_xmit,
};
static const struct net_device_ops ops_peer = {
    .ndo_start_xmit = st_xmit,
    .ndo_get_peer_dev = st_peer,
};

static void st_setup(struct net_device *dev)
{
	ether_setup(dev);
	dev->netdev_ops = &ops_none;
}

static struct net_device *st_alloc(const struct net_device_ops *ops, enum netdev_stat_type t)
{
	struct net_device *dev = alloc_netdev(0, "st%d", NET_NAME_USER, st_setup);

	ASSERT_NOT_NULL(dev);
	dev->netdev_ops = ops;
	dev->pcpu_stat_type = t;
	return dev;
}

static struct net_device *st_new(const struct net_device_ops *ops, enum netdev_stat_type t)
{
	struct net_device *dev = st_alloc(ops, t);

	ASSERT_EQ(register_netdev(dev), 0);
	return dev;
}

static void st_del(struct net_device *dev)
{
	unregister_netdev(dev);
	free_netdev(dev);
}

/* ---- R-STAT-1 / 2: layouts ---- */

#define ASSERT_U64_AT(field, i)                                                                    \
	ASSERT_EQ(offsetof(struct rtnl_link_stats64, field), (i) * sizeof(u64))
#define ASSERT_UL_AT(field, i)                                                                     \
	ASSERT_EQ(offsetof(struct net_device_stats, field), (i) * sizeof(unsigned long))

TEST(r_stat_1_stats64_fields_in_order)
{
	ASSERT_EQ(sizeof(struct rtnl_link_stats64), 25 * sizeof(u64));
	ASSERT_U64_AT(rx_packets, 0);
	ASSERT_U64_AT(tx_packets, 1);
	ASSERT_U64_AT(rx_bytes, 2);
	ASSERT_U64_AT(tx_bytes, 3);
	ASSERT_U64_AT(rx_errors, 4);
	ASSERT_U64_AT(tx_errors, 5);
	ASSERT_U64_AT(rx_dropped, 6);
	ASSERT_U64_AT(tx_dropped, 7);
	ASSERT_U64_AT(multicast, 8);
	ASSERT_U64_AT(collisions, 9);
	ASSERT_U64_AT(rx_length_errors, 10);
	ASSERT_U64_AT(rx_over_errors, 11);
	ASSERT_U64_AT(rx_crc_errors, 12);
	ASSERT_U64_AT(rx_frame_errors, 13);
	ASSERT_U64_AT(rx_fifo_errors, 14);
	ASSERT_U64_AT(rx_missed_errors, 15);
	ASSERT_U64_AT(tx_aborted_errors, 16);
	ASSERT_U64_AT(tx_carrier_errors, 17);
	ASSERT_U64_AT(tx_fifo_errors, 18);
	ASSERT_U64_AT(tx_heartbeat_errors, 19);
	ASSERT_U64_AT(tx_window_errors, 20);
	ASSERT_U64_AT(rx_compressed, 21);
	ASSERT_U64_AT(tx_compressed, 22);
	ASSERT_U64_AT(rx_nohandler, 23);
	ASSERT_U64_AT(rx_otherhost_dropped, 24);
}

TEST(r_stat_2_legacy_struct_is_the_first_23_fields)
{
	ASSERT_EQ(sizeof(struct net_device_stats), 23 * sizeof(unsigned long));
	ASSERT_UL_AT(rx_packets, 0);
	ASSERT_UL_AT(rx_dropped, 6);
	ASSERT_UL_AT(multicast, 8);
	ASSERT_UL_AT(rx_length_errors, 10);
	ASSERT_UL_AT(tx_aborted_errors, 16);
	ASSERT_UL_AT(tx_window_errors, 20);
	ASSERT_UL_AT(tx_compressed, 22);
}

/* ---- R-STAT-3: precedence ---- */

TEST(r_stat_3_get_stats64_wins_on_zeroed_storage)
{
	struct net_device *dev = st_new(&ops_both, NETDEV_PCPU_STAT_NONE);
	struct rtnl_link_stats64 s;

	legacy_stats.rx_packets = 99;
	dev->stats.rx_packets = 98;
	memset(&s, 0xff, sizeof(s));
	ASSERT_PTR_EQ(dev_get_stats(dev, &s), &s);
	ASSERT_TRUE(s64_saw_zeroed);
	ASSERT_UEQ(s.rx_packets, 7);
	ASSERT_UEQ(s.tx_packets, 0);
	st_del(dev);
}

TEST(r_stat_3_legacy_get_stats_converted_and_zero_filled)
{
	struct net_device *dev = st_new(&ops_legacy, NETDEV_PCPU_STAT_NONE);
	struct rtnl_link_stats64 s;

	memset(&legacy_stats, 0, sizeof(legacy_stats));
	legacy_stats.rx_packets = 5;
	legacy_stats.tx_compressed = 3;
	dev->stats.rx_packets = 98;
	memset(&s, 0xff, sizeof(s));
	dev_get_stats(dev, &s);
	ASSERT_UEQ(s.rx_packets, 5);
	ASSERT_UEQ(s.tx_compressed, 3);
	ASSERT_UEQ(s.rx_nohandler, 0); /* only in the 64-bit struct: zero-filled */
	ASSERT_UEQ(s.rx_otherhost_dropped, 0);
	st_del(dev);
}

TEST(r_stat_3_netdev_stats_to_stats64)
{
	struct net_device_stats in;
	struct rtnl_link_stats64 out;
	unsigned long *p = (unsigned long *)&in;
	u64 *q = (u64 *)&out;

	for (int i = 0; i < 23; i++)
		p[i] = (unsigned long)(i + 1);
	memset(&out, 0xff, sizeof(out));
	netdev_stats_to_stats64(&out, &in);
	for (int i = 0; i < 23; i++)
		ASSERT_UEQ(q[i], i + 1);
	ASSERT_UEQ(out.rx_nohandler, 0);
	ASSERT_UEQ(out.rx_otherhost_dropped, 0);
}

TEST(r_stat_3_tstats_then_dev_stats)
{
	struct net_device *dev = st_new(&ops_none, NETDEV_PCPU_STAT_TSTATS);
	struct rtnl_link_stats64 s;

	ASSERT_NOT_NULL(dev->tstats);
	dev->stats.rx_packets = 10;
	dev->stats.rx_errors = 1;
	dev->tstats[0].rx_packets = 5;
	dev->tstats[3].rx_packets = 2;
	dev->tstats[1].tx_bytes = 1000;
	dev_get_stats(dev, &s);
	ASSERT_UEQ(s.rx_packets, 17);
	ASSERT_UEQ(s.rx_errors, 1);
	ASSERT_UEQ(s.tx_bytes, 1000);
	st_del(dev);
}

TEST(r_stat_3_dstats_count_drops)
{
	struct net_device *dev = st_new(&ops_none, NETDEV_PCPU_STAT_DSTATS);
	struct rtnl_link_stats64 s;

	ASSERT_NOT_NULL(dev->dstats);
	dev->dstats[2].rx_packets = 4;
	dev->dstats[2].rx_drops = 1;
	dev->dstats[5].tx_drops = 2;
	dev_get_stats(dev, &s);
	ASSERT_UEQ(s.rx_packets, 4);
	ASSERT_UEQ(s.rx_dropped, 1);
	ASSERT_UEQ(s.tx_dropped, 2);
	st_del(dev);
}

TEST(r_stat_3_dev_stats_last_resort)
{
	struct net_device *dev = st_new(&ops_none, NETDEV_PCPU_STAT_NONE);
	struct rtnl_link_stats64 s;

	dev->stats.tx_packets = 42;
	dev->stats.collisions = 3;
	dev_get_stats(dev, &s);
	ASSERT_UEQ(s.tx_packets, 42);
	ASSERT_UEQ(s.collisions, 3);
	st_del(dev);
}

/* ---- R-STAT-4 / 5: the core's counters ---- */

TEST(r_stat_4_core_counters_added_on_top)
{
	struct net_device *dev = st_new(&ops_both, NETDEV_PCPU_STAT_NONE);
	struct rtnl_link_stats64 s;

	dev_core_stats_rx_dropped_inc(dev);
	dev_core_stats_rx_dropped_inc(dev);
	dev_core_stats_tx_dropped_inc(dev);
	dev_core_stats_rx_nohandler_inc(dev);
	dev_core_stats_rx_otherhost_dropped_inc(dev);
	dev_get_stats(dev, &s);
	ASSERT_UEQ(s.rx_dropped, 12); /* the driver's 10 + the core's 2 */
	ASSERT_UEQ(s.tx_dropped, 1);
	ASSERT_UEQ(s.rx_nohandler, 1);
	ASSERT_UEQ(s.rx_otherhost_dropped, 1);
	ASSERT_UEQ(s.rx_packets, 7);
	st_del(dev);
}

#define INC_THREADS 4
#define INC_EACH    5000

static void *inc_thread(void *arg)
{
	for (int i = 0; i < INC_EACH; i++)
		dev_core_stats_tx_dropped_inc(arg);
	return NULL;
}

TEST(r_stat_4_core_counters_exact_across_threads)
{
	struct net_device *dev = st_new(&ops_none, NETDEV_PCPU_STAT_NONE);
	pthread_t t[INC_THREADS];
	struct rtnl_link_stats64 s;

	for (int i = 0; i < INC_THREADS; i++)
		ASSERT_EQ(pthread_create(&t[i], NULL, inc_thread, dev), 0);
	for (int i = 0; i < INC_THREADS; i++)
		pthread_join(t[i], NULL);
	dev_get_stats(dev, &s);
	ASSERT_UEQ(s.tx_dropped, INC_THREADS * INC_EACH);
	st_del(dev);
}

TEST(r_stat_5_receive_drop_sources_count_rx_dropped)
{
	struct net_device *dev = st_new(&ops_none, NETDEV_PCPU_STAT_NONE);
	struct rtnl_link_stats64 s;
	struct sk_buff *skb;

	/* A failed dev_forward_skb (the target is down, R-MTU-13). */
	skb = alloc_skb(128, GFP_KERNEL);
	ASSERT_NOT_NULL(skb);
	skb_put(skb, 60);
	ASSERT_EQ(dev_forward_skb(dev, skb), NET_RX_DROP);
	dev_get_stats(dev, &s);
	ASSERT_UEQ(s.rx_dropped, 1);

	/* A protocol nobody handles. */
	rtnl_lock();
	ASSERT_EQ(dev_open(dev, NULL), 0);
	rtnl_unlock();
	skb = alloc_skb(128, GFP_KERNEL);
	ASSERT_NOT_NULL(skb);
	skb_put(skb, 60);
	skb->dev = dev;
	skb->protocol = htons(0x88b5); /* IEEE local experimental */
	ASSERT_EQ(netif_receive_skb(skb), NET_RX_DROP);
	dev_get_stats(dev, &s);
	ASSERT_UEQ(s.rx_dropped, 2);
	ASSERT_UEQ(s.rx_nohandler, 0);
	st_del(dev);
}

/* ---- R-STAT-6: ndo_get_stats under dev_base_lock (D13) ---- */

TEST(r_stat_6_ndo_get_stats_under_dev_base_lock)
{
	struct net_device *dev = st_new(&ops_legacy, NETDEV_PCPU_STAT_NONE);
	struct rtnl_link_stats64 s;

	legacy_saw_base_lock = false;
	dev_get_stats(dev, &s);
	ASSERT_TRUE(legacy_saw_base_lock);
	ASSERT_FALSE(rwlock_read_held(&dev_base_lock)); /* and released again */
	/* A reader that already holds it for reading gets the same. */
	read_lock(&dev_base_lock);
	legacy_saw_base_lock = false;
	dev_get_stats(dev, &s);
	read_unlock(&dev_base_lock);
	ASSERT_TRUE(legacy_saw_base_lock);
	st_del(dev);
}

/* ---- R-STAT-7: u64_stats_sync ---- */

TEST(r_stat_7_u64_stats_no_op_on_64bit)
{
	struct {
		struct u64_stats_sync syncp;
		u64_stats_t packets, bytes;
	} st;
	unsigned int start;

	if (sizeof(long) < 8)
		harness_skip("a 32-bit build uses the sequence count");
	ASSERT_EQ(sizeof(struct u64_stats_sync), 0);
	u64_stats_init(&st.syncp);
	u64_stats_set(&st.packets, 0);
	u64_stats_set(&st.bytes, 0xffffffffull);
	u64_stats_update_begin(&st.syncp);
	u64_stats_inc(&st.packets);
	u64_stats_add(&st.bytes, 1); /* crosses 32 bits */
	u64_stats_update_end(&st.syncp);
	start = u64_stats_fetch_begin(&st.syncp);
	ASSERT_UEQ(u64_stats_read(&st.packets), 1);
	ASSERT_UEQ(u64_stats_read(&st.bytes), 0x100000000ull);
	ASSERT_FALSE(u64_stats_fetch_retry(&st.syncp, start));
}

TEST(r_stat_7_seqcount_reader_retries_after_a_writer)
{
	seqcount_t seq;
	unsigned int start;

	seqcount_init(&seq);
	start = read_seqcount_begin(&seq);
	ASSERT_FALSE(read_seqcount_retry(&seq, start));
	write_seqcount_begin(&seq);
	write_seqcount_end(&seq);
	ASSERT_TRUE(read_seqcount_retry(&seq, start)); /* a writer interleaved */
	start = read_seqcount_begin(&seq);
	ASSERT_FALSE(read_seqcount_retry(&seq, start));
}

/* A writer keeps bytes == 100 * packets; readers must never see them apart. */
static struct {
	seqcount_t seq;
	u64_stats_t packets, bytes;
	int stop;
} pair;

static void *pair_writer(void *arg)
{
	for (u64 i = 1; !__atomic_load_n(&pair.stop, __ATOMIC_RELAXED); i++) {
		write_seqcount_begin(&pair.seq);
		u64_stats_set(&pair.packets, i);
		u64_stats_set(&pair.bytes, i * 100);
		write_seqcount_end(&pair.seq);
	}
	return NULL;
}

TEST(r_stat_7_seqcount_readers_see_consistent_pairs)
{
	pthread_t w;
	u64 packets = 0, bytes = 0, last = 0;
	unsigned int start;

	seqcount_init(&pair.seq);
	ASSERT_EQ(pthread_create(&w, NULL, pair_writer, NULL), 0);
	for (int i = 0; i < 200000; i++) {
		do {
			start = read_seqcount_begin(&pair.seq);
			packets = u64_stats_read(&pair.packets);
			bytes = u64_stats_read(&pair.bytes);
		} while (read_seqcount_retry(&pair.seq, start));
		if (bytes != packets * 100 || packets < last)
			break;
		last = packets;
	}
	__atomic_store_n(&pair.stop, 1, __ATOMIC_RELAXED);
	pthread_join(w, NULL);
	ASSERT_UEQ(bytes, packets * 100);
	ASSERT_GE(packets, last);
}

/* ---- R-STAT-8: a driver with no stats op updates dev->stats atomically ---- */

static void *stats_bumper(void *arg)
{
	struct net_device *dev = arg;

	for (int i = 0; i < INC_EACH; i++)
		__atomic_fetch_add(&dev->stats.rx_packets, 1, __ATOMIC_RELAXED);
	return NULL;
}

TEST(r_stat_8_dev_stats_read_while_updated)
{
	struct net_device *dev = st_new(&ops_none, NETDEV_PCPU_STAT_NONE);
	pthread_t t[INC_THREADS];
	struct rtnl_link_stats64 s;
	u64 prev = 0;

	for (int i = 0; i < INC_THREADS; i++)
		ASSERT_EQ(pthread_create(&t[i], NULL, stats_bumper, dev), 0);
	for (int i = 0; i < 1000; i++) {
		dev_get_stats(dev, &s);
		ASSERT_GE(s.rx_packets, prev); /* never goes backwards */
		prev = s.rx_packets;
	}
	for (int i = 0; i < INC_THREADS; i++)
		pthread_join(t[i], NULL);
	dev_get_stats(dev, &s);
	ASSERT_UEQ(s.rx_packets, INC_THREADS * INC_EACH);
	st_del(dev);
}

/* ---- R-STAT-9: core-allocated per-CPU counters ---- */

TEST(r_stat_9_pcpu_stats_live_from_register_to_unregister)
{
	struct net_device *t = st_alloc(&ops_none, NETDEV_PCPU_STAT_TSTATS);
	struct net_device *d = st_alloc(&ops_none, NETDEV_PCPU_STAT_DSTATS);

	ASSERT_NULL(t->tstats);
	ASSERT_NULL(d->dstats);
	ASSERT_EQ(register_netdev(t), 0);
	ASSERT_EQ(register_netdev(d), 0);
	ASSERT_NOT_NULL(t->tstats);
	ASSERT_NOT_NULL(d->dstats);
	unregister_netdev(t);
	unregister_netdev(d);
	ASSERT_NULL(t->tstats); /* freed when unregistration completed */
	ASSERT_NULL(d->dstats);
	free_netdev(t);
	free_netdev(d);
}

TEST(r_stat_9_peer_dev_needs_tstats)
{
	struct net_device *dev = st_alloc(&ops_peer, NETDEV_PCPU_STAT_NONE);

	ASSERT_EQ(register_netdev(dev), -EOPNOTSUPP);
	dev->pcpu_stat_type = NETDEV_PCPU_STAT_TSTATS;
	ASSERT_EQ(register_netdev(dev), 0);
	st_del(dev);
}
