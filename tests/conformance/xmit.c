// SPDX-License-Identifier: MIT
/*
 * Conformance: the transmit path (R-TX-1..14; R-TX-15 is xmit_defer.c) on a local recording driver
 * that can return a code once, stop its queue, be LLTX with its own trylock
 * (NETDEV_TX_LOCKED, the 2013 contract), transmit recursively, and record
 * netdev_xmit_more(), the context and the checksum/GSO state of each skb.
 */
#include <netinet/in.h>
#include <pthread.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <unistd.h>
#include <unetdev/checksum.h>
#include <unetdev/engine.h>
#include <unetdev/gso.h>
#include <unetdev/ip.h>
#include <unetdev/unetdev.h>

#include "harness.h"
#include "netdev_util.h"

#define MAXREC 64

struct rec {
	u32 mark, seq;
	u16 queue;
	unsigned int len;
	bool more, bh, softirq, locked, gso, csum_ok;
	u8 summed;
	bool vlan_present;
	u16 ethertype;
};

struct tpriv {
	int ret_once;	  /* returned (skb kept) by the next call, 0 = none */
	int ret_at;	  /* ...or by call number ret_at (1-based), 0 = none */
	bool stop_on_ret; /* stop the queue before returning it */
	bool stop_after;  /* stop the queue after consuming the first skb */
	bool selflock;	  /* LLTX driver locking the queue itself (trylock) */
	int recurse;	  /* transmit a new skb on the same device, this deep */
	int inner_rc;	  /* the innermost dev_queue_xmit's return, if not 0 */
	int depth;
	int calls, n;
	struct rec r[MAXREC];
};

static struct tpriv *P(struct net_device *dev)
{
	return netdev_priv(dev);
}

static struct sk_buff *frame(struct net_device *dev, u32 mark, unsigned int len);

static bool tcp_csum_ok(const struct sk_buff *skb)
{
	const u8 *ip = skb->data + ETH_HLEN, *tcp = ip + 20;
	u32 saddr, daddr;
	int tlen = (int)skb->len - ETH_HLEN - 20;

	memcpy(&saddr, ip + 12, 4);
	memcpy(&daddr, ip + 16, 4);
	return csum_tcpudp_magic(saddr, daddr, (u32)tlen, IPPROTO_TCP,
				 csum_partial(tcp, tlen, 0)) == 0;
}

static void record(struct tpriv *p, struct sk_buff *skb, struct netdev_queue *txq)
{
	struct rec *r = &p->r[p->n++ % MAXREC];
	u32 seq = 0;
	u16 et = 0;

	if (skb->len >= ETH_HLEN + 28)
		memcpy(&seq, skb->data + ETH_HLEN + 24, 4);
	if (skb->len >= ETH_HLEN)
		memcpy(&et, skb->data + 12, 2);
	*r = (struct rec){
	    .mark = skb->mark,
	    .seq = ntohl(seq),
	    .queue = skb_get_queue_mapping(skb),
	    .len = skb->len,
	    .more = netdev_xmit_more(),
	    .bh = in_softirq(),
	    .softirq = in_serving_softirq(),
	    .locked = spin_held_by_me(&txq->_xmit_lock),
	    .gso = skb_is_gso(skb),
	    .summed = skb->ip_summed,
	    .vlan_present = skb->vlan_present,
	    .ethertype = ntohs(et),
	};
	if (et == htons(ETH_P_IP) && skb->len > ETH_HLEN + 40 && skb->ip_summed == CHECKSUM_NONE)
		r->csum_ok = tcp_csum_ok(skb);
}

static netdev_tx_t t_xmit(struct sk_buff *skb, struct net_device *dev)
    UNETDEV_NO_TSA /* the queue lock is taken only in selflock mode */
{
	struct tpriv *p = P(dev);
	struct netdev_queue *txq = netdev_get_tx_queue(dev, skb_get_queue_mapping(skb));
	int ret = p->ret_once;

	p->calls++;
	if (!ret && p->ret_at == p->calls) {
		p->ret_at = 0;
		ret = NETDEV_TX_BUSY;
	}
	if (ret) {
		p->ret_once = 0;
		if (p->stop_on_ret)
			netif_tx_stop_queue(txq);
		return (netdev_tx_t)ret;
	}
	if (p->selflock && !__netif_tx_trylock(txq))
		return NETDEV_TX_LOCKED; /* D13: the core retries */
	record(p, skb, txq);
	if (p->depth < p->recurse) {
		p->depth++;
		int rc = dev_queue_xmit(frame(dev, 500 + (u32)p->depth, 60));

		if (!p->inner_rc) /* the innermost call returns first */
			p->inner_rc = rc;
		p->depth--;
	}
	if (p->stop_after)
		netif_tx_stop_queue(txq);
	if (p->selflock)
		__netif_tx_unlock(txq);
	consume_skb(skb);
	return NETDEV_TX_OK;
}

static u16 t_select(struct net_device *dev, struct sk_buff *skb, struct net_device *sb_dev)
{
	return (u16)skb->mark;
}

static const struct net_device_ops t_ops = {.ndo_start_xmit = t_xmit};
static const struct net_device_ops t_ops_select = {.ndo_start_xmit = t_xmit,
						   .ndo_select_queue = t_select};

static int select_calls;

static u16 t_select_counting(struct net_device *dev, struct sk_buff *skb, struct net_device *sb)
{
	select_calls++;
	return 0;
}

static const struct net_device_ops t_ops_count = {.ndo_start_xmit = t_xmit,
						  .ndo_select_queue = t_select_counting};

enum { F_NOQUEUE = 1, F_LLTX = 2, F_SELECT = 4, F_NOT_UP = 8, F_COUNT_SELECT = 16 };

static void t_setup(struct net_device *dev)
{
	ether_setup(dev);
	dev->netdev_ops = &t_ops;
}

static struct net_device *mk(unsigned int txqs, int flags)
{
	struct net_device *dev =
	    alloc_netdev_mqs(sizeof(struct tpriv), "x%d", NET_NAME_ENUM, t_setup, txqs, txqs);

	ASSERT_NOT_NULL(dev);
	if (flags & F_NOQUEUE)
		dev->priv_flags |= IFF_NO_QUEUE;
	if (flags & F_LLTX)
		dev->features |= NETIF_F_LLTX;
	if (flags & F_SELECT)
		dev->netdev_ops = &t_ops_select;
	if (flags & F_COUNT_SELECT)
		dev->netdev_ops = &t_ops_count;
	ASSERT_EQ(register_netdev(dev), 0);
	if (!(flags & F_NOT_UP)) {
		rtnl_lock();
		ASSERT_EQ(dev_open(dev, NULL), 0);
		rtnl_unlock();
	}
	return dev;
}

static void rm(struct net_device *dev)
{
	unregister_netdev(dev);
	free_netdev(dev);
}

static struct netdev_queue *txq0(struct net_device *dev)
{
	return netdev_get_tx_queue(dev, 0);
}

static struct sk_buff *frame(struct net_device *dev, u32 mark, unsigned int len)
{
	struct sk_buff *skb = alloc_skb(NET_SKB_PAD + len, GFP_ATOMIC);

	ASSERT_NOT_NULL(skb);
	skb_reserve(skb, NET_SKB_PAD);
	memset(skb_put(skb, len), 0, len);
	skb->dev = dev;
	skb->mark = mark;
	return skb;
}

static void put16(u8 *p, u16 v)
{
	p[0] = (u8)(v >> 8);
	p[1] = (u8)v;
}

/* Ethernet + IPv4 + TCP, CHECKSUM_PARTIAL; GSO with @mss != 0. */
static struct sk_buff *tcp4(struct net_device *dev, unsigned int payload, unsigned int mss)
{
	unsigned int l3 = 40 + payload, total = ETH_HLEN + l3;
	struct sk_buff *skb = alloc_skb(NET_SKB_PAD + total, GFP_ATOMIC);
	u32 saddr, daddr;
	__sum16 sum;
	u8 *p, *ip, *tcp;

	ASSERT_NOT_NULL(skb);
	skb_reserve(skb, NET_SKB_PAD);
	p = skb_put(skb, total);
	memset(p, 0, total);
	memcpy(p, "\xff\xff\xff\xff\xff\xff\x02\x00\x00\x00\x00\x01", 12);
	put16(p + 12, ETH_P_IP);
	ip = p + ETH_HLEN;
	ip[0] = 0x45;
	put16(ip + 2, (u16)l3);
	put16(ip + 6, IP_DF);
	ip[8] = 64;
	ip[9] = IPPROTO_TCP;
	memcpy(ip + 12, "\x0a\x00\x00\x01\x0a\x00\x00\x02", 8);
	sum = ip_fast_csum(ip, 5);
	memcpy(ip + 10, &sum, 2);
	tcp = ip + 20;
	put16(tcp, 1234);
	put16(tcp + 2, 80);
	tcp[4] = 0, tcp[5] = 0, tcp[6] = 0x03, tcp[7] = 0xe8; /* seq 1000 */
	tcp[12] = 5 << 4;
	tcp[13] = 0x10;
	put16(tcp + 14, 65535);
	for (unsigned int i = 0; i < payload; i++)
		tcp[20 + i] = (u8)(i * 7 + 3);
	memcpy(&saddr, ip + 12, 4);
	memcpy(&daddr, ip + 16, 4);
	sum = (__sum16)~csum_tcpudp_magic(saddr, daddr, 20 + payload, IPPROTO_TCP, 0);
	memcpy(tcp + 16, &sum, 2);
	skb->dev = dev;
	skb->protocol = htons(ETH_P_IP);
	skb->network_header = (u16)(skb->data - skb->head + ETH_HLEN);
	skb->transport_header = (u16)(skb->network_header + 20);
	skb->ip_summed = CHECKSUM_PARTIAL;
	skb->csum_start = skb->transport_header;
	skb->csum_offset = 16;
	if (mss) {
		skb_shinfo(skb)->gso_size = (unsigned short)mss;
		skb_shinfo(skb)->gso_segs = (unsigned short)((payload + mss - 1) / mss);
		skb_shinfo(skb)->gso_type = SKB_GSO_TCPV4;
	}
	return skb;
}

static struct unetdev_qdisc_stats qstats(struct Qdisc *q)
{
	struct unetdev_qdisc_stats st;

	ASSERT_EQ(unetdev_qdisc_stats(q, &st), 0);
	return st;
}

static char logbuf[8192];

static void capture(int level, const char *line, void *ctx)
{
	strncat(logbuf, line, sizeof(logbuf) - strlen(logbuf) - 2);
	strcat(logbuf, "\n");
}

/* ---- R-TX-1 / R-TX-2 ---- */

TEST(r_tx_1_the_skb_is_consumed_on_every_path)
{
	struct net_device *q = mk(1, 0), *v = mk(1, F_NOQUEUE), *down = mk(1, F_NOT_UP);

	unetdev_log_set_fn(capture, NULL);
	ASSERT_EQ(dev_queue_xmit(frame(q, 0, 60)), NET_XMIT_SUCCESS); /* sent */
	ASSERT_EQ(dev_queue_xmit(frame(down, 0, 60)), NET_XMIT_CN);   /* noop */
	ASSERT_EQ(dev_queue_xmit(frame(v, 0, 60)), NET_XMIT_SUCCESS); /* noqueue, sent */
	netif_tx_stop_queue(txq0(v));
	ASSERT_EQ(dev_queue_xmit(frame(v, 0, 60)), -ENETDOWN); /* noqueue, stopped */
	netif_tx_stop_queue(txq0(q));
	ASSERT_EQ(dev_queue_xmit(frame(q, 0, 60)), NET_XMIT_SUCCESS); /* requeued */
	ASSERT_EQ(dev_queue_xmit(frame(q, 0, 60)), NET_XMIT_SUCCESS); /* queued */
	ASSERT_EQ(skb_live_count(), 2);				      /* the qdisc's */
	rm(q);
	rm(v);
	rm(down);
	unetdev_log_set_fn(NULL, NULL);
	ASSERT_EQ(skb_live_count(), 0);
}

TEST(r_tx_2_return_codes_follow_the_kernel)
{
	struct net_device *v = mk(1, F_NOQUEUE);
	struct Qdisc *noqueue = txq0(v)->qdisc, *noop;
	struct sk_buff *skb;

	/*
	 * noqueue active but IFF_UP clear: the rare window of dev_close (START
	 * cleared, queues not yet switched to noop), replayed by putting the
	 * noqueue pointer back. Current kernels return the initial rc, -ENOMEM.
	 */
	rtnl_lock();
	dev_close(v);
	rtnl_unlock();
	noop = txq0(v)->qdisc;
	txq0(v)->qdisc = noqueue;
	ASSERT_EQ(dev_queue_xmit(frame(v, 0, 60)), -ENOMEM);
	txq0(v)->qdisc = noop;
	ASSERT_EQ(tu_stats(v).tx_dropped, 1);
	ASSERT_EQ(dev_queue_xmit(frame(v, 0, 60)), NET_XMIT_CN); /* down: noop (R-Q-1) */
	rtnl_lock();
	ASSERT_EQ(dev_open(v, NULL), 0);
	rtnl_unlock();
	ASSERT_EQ(dev_queue_xmit(frame(v, 0, 60)), NET_XMIT_SUCCESS);
	P(v)->ret_once = NET_XMIT_DROP; /* complete: passed back as it is */
	skb = frame(v, 0, 60);
	ASSERT_EQ(dev_queue_xmit(skb), NET_XMIT_DROP);
	ASSERT_EQ(skb_live_count(), 1); /* this driver kept it to show the code; not the core's */
	kfree_skb(skb);
	rm(v);
	unetdev_log_set_fn(NULL, NULL);
}

/* ---- R-TX-3 / R-TX-4 ---- */

TEST(r_tx_3_bottom_halves_are_disabled_around_the_call)
{
	struct net_device *q = mk(1, 0), *v = mk(1, F_NOQUEUE);

	ASSERT_TRUE(in_task());
	ASSERT_EQ(dev_queue_xmit(frame(q, 1, 60)), NET_XMIT_SUCCESS);
	ASSERT_EQ(dev_queue_xmit(frame(v, 2, 60)), NET_XMIT_SUCCESS);
	ASSERT_TRUE(in_task());
	ASSERT_TRUE(P(q)->r[0].bh);
	ASSERT_FALSE(P(q)->r[0].softirq); /* process context with BHs off */
	ASSERT_TRUE(P(v)->r[0].bh);
	rm(q);
	rm(v);
}

static struct net_device *irq_dev;

static void irq_xmit(void *ctx, u32 revents)
{
	u64 v;

	if (read(*(int *)ctx, &v, sizeof(v)) == sizeof(v))
		dev_queue_xmit(frame(irq_dev, 0, 60));
}

/* "It must be called with hardware interrupts enabled": hardirq use is reported. */
TEST(r_tx_3_call_from_hardirq_is_reported)
{
	struct unetdev_engine_config cfg = {.sz = sizeof(cfg), .ncpus = 1, .no_threads = true};
	struct unetdev_irq *irq;
	int fd = eventfd(0, EFD_NONBLOCK);
	u64 one = 1;

	expect_violations();
	irq_dev = mk(1, 0);
	ASSERT_EQ(unetdev_engine_start(&cfg), 0);
	ASSERT_EQ(unetdev_cpu_attach(0), 0);
	ASSERT_EQ(unetdev_irq_request(0, fd, EPOLLIN, irq_xmit, &fd, &irq), 0);
	ASSERT_EQ(write(fd, &one, sizeof(one)), sizeof(one));
	unetdev_cpu_run(100);
	ASSERT_EQ(unetdev_check_count("R-TX-3"), 1);
	ASSERT_EQ(P(irq_dev)->n, 1);
	unetdev_irq_free(irq);
	unetdev_cpu_detach();
	unetdev_engine_stop();
	close(fd);
	rm(irq_dev);
}

/* No cgroups and no dst here: priority and mark reach the driver as given. */
TEST(r_tx_4_priority_is_used_as_given_no_dst_to_release)
{
	struct net_device *q = mk(1, 0);
	struct sk_buff *skb = frame(q, 9, 60);

	skb->priority = 0;
	q->priv_flags |= IFF_XMIT_DST_RELEASE;
	ASSERT_EQ(dev_queue_xmit(skb), NET_XMIT_SUCCESS);
	ASSERT_EQ(P(q)->r[0].mark, 9);
	rm(q);
}

/* ---- R-TX-5 / R-TX-6 ---- */

TEST(r_tx_5_single_queue_never_calls_ndo_select_queue)
{
	struct net_device *one = mk(1, F_COUNT_SELECT), *four = mk(4, F_COUNT_SELECT);

	select_calls = 0;
	ASSERT_EQ(dev_queue_xmit(frame(one, 0, 60)), NET_XMIT_SUCCESS);
	ASSERT_EQ(select_calls, 0);
	ASSERT_EQ(dev_queue_xmit(frame(four, 0, 60)), NET_XMIT_SUCCESS);
	ASSERT_EQ(select_calls, 1);
	rm(one);
	rm(four);
}

TEST(r_tx_5_selection_sets_queue_mapping_out_of_range_becomes_0)
{
	struct net_device *dev = mk(4, F_SELECT);
	char want[96];

	ASSERT_EQ(dev_queue_xmit(frame(dev, 3, 60)), NET_XMIT_SUCCESS);
	ASSERT_EQ(P(dev)->r[0].queue, 3);
	rtnl_lock();
	ASSERT_EQ(netif_set_real_num_tx_queues(dev, 2), 0);
	rtnl_unlock();
	unetdev_log_set_fn(capture, NULL);
	ASSERT_EQ(dev_queue_xmit(frame(dev, 3, 60)), NET_XMIT_SUCCESS);
	unetdev_log_set_fn(NULL, NULL);
	ASSERT_EQ(P(dev)->r[1].queue, 0);
	snprintf(want, sizeof(want), "%s selects TX queue 3, but real number of TX queues is 2",
		 dev->name);
	ASSERT_CONTAINS(logbuf, want);
	rm(dev);
}

TEST(r_tx_6_tx_hash_recorded_rx_queue_modulo_else_scaled_hash)
{
	struct net_device *dev = mk(4, 0);
	struct sk_buff *skb;

	skb = frame(dev, 0, 60);
	skb->rx_queue = 6 + 1; /* recorded RX queue 6 */
	skb->hash = 0xffffffffu;
	ASSERT_EQ(dev_queue_xmit(skb), NET_XMIT_SUCCESS);
	ASSERT_EQ(P(dev)->r[0].queue, 2); /* 6 mod 4 */
	skb = frame(dev, 0, 60);
	skb->hash = 0xc0000000u;
	ASSERT_EQ(dev_queue_xmit(skb), NET_XMIT_SUCCESS);
	ASSERT_EQ(P(dev)->r[1].queue, 3); /* (hash * 4) >> 32 */
	skb = frame(dev, 0, 60);
	skb->hash = 0x3fffffffu;
	ASSERT_EQ(dev_queue_xmit(skb), NET_XMIT_SUCCESS);
	ASSERT_EQ(P(dev)->r[2].queue, 0);
	rm(dev);
}

/* ---- R-TX-7 (noqueue) ---- */

TEST(r_tx_7_noqueue_dead_loop_when_this_thread_owns_the_queue)
{
	struct net_device *v = mk(1, F_NOQUEUE);

	unetdev_log_set_fn(capture, NULL);
	P(v)->recurse = 1; /* the driver transmits on itself under the queue lock */
	ASSERT_EQ(dev_queue_xmit(frame(v, 0, 60)), NET_XMIT_SUCCESS);
	unetdev_log_set_fn(NULL, NULL);
	ASSERT_EQ(P(v)->inner_rc, -ENETDOWN);
	ASSERT_EQ(P(v)->n, 1);
	ASSERT_EQ(tu_stats(v).tx_dropped, 1);
	ASSERT_CONTAINS(logbuf, "Dead loop on virtual device");
	rm(v);
}

TEST(r_tx_7_noqueue_recursion_limit_is_8)
{
	struct net_device *v = mk(1, F_NOQUEUE | F_LLTX); /* no lock: only the counter stops it */

	unetdev_log_set_fn(capture, NULL);
	P(v)->recurse = 20;
	ASSERT_EQ(dev_queue_xmit(frame(v, 0, 60)), NET_XMIT_SUCCESS);
	unetdev_log_set_fn(NULL, NULL);
	ASSERT_EQ(P(v)->n, XMIT_RECURSION_LIMIT + 1); /* depth 0..8 sent, the 10th refused */
	ASSERT_EQ(P(v)->inner_rc, -ENETDOWN);
	ASSERT_CONTAINS(logbuf, "Dead loop on virtual device");
	rm(v);
}

TEST(r_tx_7_noqueue_stopped_queue_or_busy_asks_to_queue)
{
	struct net_device *v = mk(1, F_NOQUEUE);

	unetdev_log_set_fn(capture, NULL);
	netif_tx_stop_queue(txq0(v));
	ASSERT_EQ(dev_queue_xmit(frame(v, 0, 60)), -ENETDOWN);
	ASSERT_EQ(P(v)->calls, 0);
	netif_tx_start_queue(txq0(v));
	P(v)->ret_once = NETDEV_TX_BUSY;
	P(v)->stop_on_ret = true; /* a correct driver stops before BUSY */
	ASSERT_EQ(dev_queue_xmit(frame(v, 0, 60)), -ENETDOWN);
	unetdev_log_set_fn(NULL, NULL);
	ASSERT_EQ(tu_stats(v).tx_dropped, 2);
	ASSERT_CONTAINS(logbuf, "Virtual device");
	ASSERT_CONTAINS(logbuf, "asks to queue packet!");
	rm(v);
}

/* Rules section 21.11: netif_tx_lock freezes qdisc devices only. */
TEST(r_tx_7_noqueue_does_not_check_frozen)
{
	struct net_device *v = mk(1, F_NOQUEUE), *q = mk(1, 0);

	netif_tx_lock_bh(v);
	ASSERT_EQ(dev_queue_xmit(frame(v, 0, 60)), NET_XMIT_SUCCESS);
	ASSERT_EQ(P(v)->n, 1);
	netif_tx_unlock_bh(v);
	netif_tx_lock_bh(q);
	ASSERT_EQ(dev_queue_xmit(frame(q, 0, 60)), NET_XMIT_SUCCESS);
	ASSERT_EQ(P(q)->n, 0); /* held */
	netif_tx_unlock_bh(q); /* unfreeze reschedules */
	ASSERT_EQ(P(q)->n, 1);
	rm(v);
	rm(q);
}

/* ---- R-TX-8 / R-TX-9 ---- */

TEST(r_tx_8_checksum_completed_in_software_without_offload)
{
	struct net_device *q = mk(1, 0);

	q->features &= ~NETIF_F_CSUM_MASK;
	ASSERT_EQ(dev_queue_xmit(tcp4(q, 100, 0)), NET_XMIT_SUCCESS);
	ASSERT_EQ(P(q)->r[0].summed, CHECKSUM_NONE);
	ASSERT_TRUE(P(q)->r[0].csum_ok);
	q->features |= NETIF_F_HW_CSUM;
	ASSERT_EQ(dev_queue_xmit(tcp4(q, 100, 0)), NET_XMIT_SUCCESS);
	ASSERT_EQ(P(q)->r[1].summed, CHECKSUM_PARTIAL); /* left to the device */
	q->features = (q->features & ~NETIF_F_HW_CSUM) | NETIF_F_IPV6_CSUM;
	ASSERT_EQ(dev_queue_xmit(tcp4(q, 100, 0)), NET_XMIT_SUCCESS);
	ASSERT_EQ(P(q)->r[2].summed, CHECKSUM_NONE); /* IPv6-only offload: helped */
	ASSERT_TRUE(P(q)->r[2].csum_ok);
	rm(q);
}

TEST(r_tx_8_validation_failure_drops_and_counts_tx_dropped)
{
	struct net_device *q = mk(1, 0), *v = mk(1, F_NOQUEUE);
	struct sk_buff *skb = tcp4(q, 3000, 1000);

	skb->protocol = htons(0x1234);			  /* no offload handler: -EPROTONOSUPPORT */
	ASSERT_EQ(dev_queue_xmit(skb), NET_XMIT_SUCCESS); /* bypass path: accepted, then dropped */
	ASSERT_EQ(P(q)->calls, 0);
	ASSERT_EQ(tu_stats(q).tx_dropped, 1);
	skb = tcp4(v, 3000, 1000);
	skb->protocol = htons(0x1234);
	ASSERT_EQ(dev_queue_xmit(skb), -ENOMEM); /* noqueue: the initial rc */
	ASSERT_EQ(tu_stats(v).tx_dropped, 1);
	rm(q);
	rm(v);
}

TEST(r_tx_8_vlan_tag_inserted_when_the_device_cannot)
{
	struct net_device *q = mk(1, 0);
	struct sk_buff *skb = frame(q, 0, 60);

	skb->vlan_present = true;
	skb->vlan_proto = htons(ETH_P_8021Q);
	skb->vlan_tci = 42;
	ASSERT_EQ(dev_queue_xmit(skb), NET_XMIT_SUCCESS);
	ASSERT_EQ(P(q)->r[0].len, 64);
	ASSERT_EQ(P(q)->r[0].ethertype, ETH_P_8021Q);
	ASSERT_FALSE(P(q)->r[0].vlan_present);
	q->features |= NETIF_F_HW_VLAN_CTAG_TX;
	skb = frame(q, 0, 60);
	skb->vlan_present = true;
	skb->vlan_proto = htons(ETH_P_8021Q);
	ASSERT_EQ(dev_queue_xmit(skb), NET_XMIT_SUCCESS);
	ASSERT_EQ(P(q)->r[1].len, 60);
	ASSERT_TRUE(P(q)->r[1].vlan_present);
	rm(q);
}

TEST(r_tx_9_gso_segmented_in_order_when_the_device_lacks_tso)
{
	struct net_device *q = mk(1, 0), *v = mk(1, F_NOQUEUE);

	ASSERT_EQ(dev_queue_xmit(tcp4(q, 3000, 1000)), NET_XMIT_SUCCESS);
	ASSERT_EQ(dev_queue_xmit(tcp4(v, 2500, 1000)), NET_XMIT_SUCCESS);
	ASSERT_EQ(P(q)->n, 3);
	ASSERT_EQ(P(v)->n, 3);
	for (int i = 0; i < 3; i++) {
		ASSERT_FALSE(P(q)->r[i].gso);
		ASSERT_EQ(P(q)->r[i].seq, 1000 + 1000 * i);
		ASSERT_TRUE(P(q)->r[i].csum_ok);
		ASSERT_EQ(P(v)->r[i].seq, 1000 + 1000 * i);
	}
	ASSERT_EQ(P(v)->r[2].len, ETH_HLEN + 40 + 500);
	q->features |= NETIF_F_SG | NETIF_F_HW_CSUM | NETIF_F_TSO;
	ASSERT_EQ(dev_queue_xmit(tcp4(q, 3000, 1000)), NET_XMIT_SUCCESS);
	ASSERT_EQ(P(q)->n, 4);
	ASSERT_TRUE(P(q)->r[3].gso); /* the device segments it */
	rm(q);
	rm(v);
}

/* ---- R-TX-10 / R-TX-11 ---- */

TEST(r_tx_10_queue_lock_held_unless_lltx)
{
	struct net_device *q = mk(1, 0), *l = mk(1, F_LLTX), *v = mk(1, F_NOQUEUE);

	ASSERT_EQ(dev_queue_xmit(frame(q, 0, 60)), NET_XMIT_SUCCESS);
	ASSERT_EQ(dev_queue_xmit(frame(l, 0, 60)), NET_XMIT_SUCCESS);
	ASSERT_EQ(dev_queue_xmit(frame(v, 0, 60)), NET_XMIT_SUCCESS);
	ASSERT_TRUE(P(q)->r[0].locked);
	ASSERT_FALSE(P(l)->r[0].locked);
	ASSERT_TRUE(P(v)->r[0].locked);
	rm(q);
	rm(l);
	rm(v);
}

TEST(r_tx_11_trans_start_set_on_ok_unless_lltx)
{
	struct net_device *q, *l;

	unetdev_clock_set_manual(true);
	q = mk(1, 0);
	l = mk(1, F_LLTX);
	unetdev_clock_advance(50);
	ASSERT_EQ(dev_queue_xmit(frame(q, 0, 60)), NET_XMIT_SUCCESS);
	ASSERT_EQ(dev_queue_xmit(frame(l, 0, 60)), NET_XMIT_SUCCESS);
	ASSERT_UEQ(txq0(q)->trans_start, jiffies);
	ASSERT_UEQ(txq0(l)->trans_start, jiffies - 50); /* dev_activate's value */
	rm(q);
	rm(l);
}

TEST(r_tx_11_busy_while_the_queue_is_awake_is_reported)
{
	struct net_device *q = mk(1, 0);

	expect_violations();
	P(q)->ret_once = NETDEV_TX_BUSY; /* without stopping the queue: "usually a bug" */
	ASSERT_EQ(dev_queue_xmit(frame(q, 0, 60)), NET_XMIT_SUCCESS);
	ASSERT_EQ(unetdev_check_count("R-TX-11"), 1);
	ASSERT_EQ(P(q)->n, 1); /* requeued and retried */
	rm(q);
}

TEST(r_tx_11_lltx_locked_by_this_thread_is_a_dead_loop)
{
	struct net_device *l = mk(1, F_LLTX);

	P(l)->selflock = true;
	unetdev_log_set_fn(capture, NULL);
	__netif_tx_lock(txq0(l), 0); /* as if the driver's own path held it */
	ASSERT_EQ(dev_queue_xmit(frame(l, 0, 60)), NET_XMIT_SUCCESS);
	__netif_tx_unlock(txq0(l));
	unetdev_log_set_fn(NULL, NULL);
	ASSERT_EQ(P(l)->n, 0);
	ASSERT_EQ(skb_live_count(), 0); /* dropped */
	ASSERT_EQ(unetdev_tx_cpu_collisions(), 0);
	ASSERT_CONTAINS(logbuf, "Dead loop on netdevice");
	rm(l);
}

struct holder {
	struct netdev_queue *txq;
	int state; /* 1 = holding, 2 = release */
};

static void *hold_fn(void *arg)
{
	struct holder *h = arg;

	__netif_tx_lock(h->txq, 1);
	__atomic_store_n(&h->state, 1, __ATOMIC_RELEASE);
	while (__atomic_load_n(&h->state, __ATOMIC_ACQUIRE) != 2)
		usleep(100);
	__netif_tx_unlock(h->txq);
	return NULL;
}

/* What the selflock driver recorded, read under the lock it records under. */
static int n_under_lock(struct net_device *l)
{
	int n;

	local_bh_disable();
	__netif_tx_lock(txq0(l), 0);
	n = P(l)->n;
	__netif_tx_unlock(txq0(l));
	local_bh_enable();
	return n;
}

TEST(r_tx_11_lltx_locked_by_another_thread_requeues_and_counts_a_collision)
{
	struct net_device *l = mk(1, F_LLTX);
	struct holder h = {.txq = txq0(l)};
	pthread_t th;

	P(l)->selflock = true;
	ASSERT_EQ(pthread_create(&th, NULL, hold_fn, &h), 0);
	while (__atomic_load_n(&h.state, __ATOMIC_ACQUIRE) != 1)
		usleep(100);
	ASSERT_EQ(dev_queue_xmit(frame(l, 7, 60)), NET_XMIT_SUCCESS);
	ASSERT_EQ(P(l)->n, 0);
	ASSERT_GE(unetdev_tx_cpu_collisions(), 1);
	ASSERT_GE(qstats(l->qdisc).requeues, 1);
	__atomic_store_n(&h.state, 2, __ATOMIC_RELEASE);
	pthread_join(th, NULL);
	/* The retry from the TX softirq: after the softirq restart limits, the
	 * ksoftirqd this thread handed the rescheduled qdisc to retries it. */
	for (int i = 0; i < 10000 && !n_under_lock(l); i++) {
		unetdev_cpu_run(0);
		usleep(1000);
	}
	ASSERT_EQ(P(l)->n, 1);
	ASSERT_EQ(P(l)->r[0].mark, 7);
	rm(l);
}

/* ---- R-TX-12 / R-TX-13 ---- */

static int tap_seen, tap_outgoing;

static int tap_rcv(struct sk_buff *skb, struct net_device *dev, struct packet_type *pt,
		   struct net_device *orig)
{
	tap_seen++;
	tap_outgoing += skb->pkt_type == PACKET_OUTGOING;
	consume_skb(skb);
	return 0;
}

TEST(r_tx_12_taps_see_every_skb_as_outgoing)
{
	struct net_device *q = mk(1, 0);
	struct packet_type pt = {.type = htons(ETH_P_ALL), .func = tap_rcv};

	pt.dev = q;
	dev_add_pack(&pt);
	ASSERT_EQ(dev_queue_xmit(frame(q, 0, 60)), NET_XMIT_SUCCESS);
	ASSERT_EQ(dev_queue_xmit(tcp4(q, 3000, 1000)), NET_XMIT_SUCCESS);
	dev_remove_pack(&pt);
	ASSERT_EQ(tap_seen, 4);
	ASSERT_EQ(tap_outgoing, 4);
	rm(q);
}

TEST(r_tx_12_first_non_complete_code_hands_back_the_rest)
{
	struct net_device *q = mk(1, 0);

	P(q)->ret_at = 2; /* BUSY on the second segment, queue stopped first */
	P(q)->stop_on_ret = true;
	ASSERT_EQ(dev_queue_xmit(tcp4(q, 3000, 1000)), NET_XMIT_SUCCESS);
	ASSERT_EQ(P(q)->n, 1);
	ASSERT_EQ(qstats(q->qdisc).requeues, 2);
	netif_tx_wake_queue(txq0(q));
	ASSERT_EQ(P(q)->n, 3);
	for (int i = 0; i < 3; i++)
		ASSERT_EQ(P(q)->r[i].seq, 1000 + 1000 * i);
	rm(q);
}

TEST(r_tx_12_driver_stopping_the_queue_mid_batch_requeues_the_rest)
{
	struct net_device *q = mk(1, 0);

	P(q)->stop_after = true;
	ASSERT_EQ(dev_queue_xmit(tcp4(q, 3000, 1000)), NET_XMIT_SUCCESS);
	ASSERT_EQ(P(q)->n, 1);
	ASSERT_EQ(qstats(q->qdisc).requeues, 2);
	P(q)->stop_after = false;
	netif_tx_wake_queue(txq0(q));
	ASSERT_EQ(P(q)->n, 3);
	rm(q);
}

TEST(r_tx_13_xmit_more_true_only_when_another_skb_follows)
{
	struct net_device *q = mk(1, 0);

	ASSERT_FALSE(netdev_xmit_more());
	ASSERT_EQ(dev_queue_xmit(frame(q, 0, 60)), NET_XMIT_SUCCESS);
	ASSERT_EQ(dev_queue_xmit(tcp4(q, 3000, 1000)), NET_XMIT_SUCCESS);
	ASSERT_FALSE(P(q)->r[0].more);
	ASSERT_TRUE(P(q)->r[1].more);
	ASSERT_TRUE(P(q)->r[2].more);
	ASSERT_FALSE(P(q)->r[3].more);
	ASSERT_FALSE(netdev_xmit_more());
	rm(q);
}

/* ---- R-TX-14 ---- */

TEST(r_tx_14_direct_xmit_bypasses_the_qdisc)
{
	struct net_device *q = mk(2, F_NOT_UP);
	struct packet_type pt = {.type = htons(ETH_P_ALL), .func = tap_rcv};
	struct sk_buff *skb;

	ASSERT_EQ(__dev_direct_xmit(frame(q, 0, 60), 0), NET_XMIT_DROP); /* not running */
	rtnl_lock();
	ASSERT_EQ(dev_open(q, NULL), 0);
	rtnl_unlock();
	pt.dev = q;
	dev_add_pack(&pt);
	ASSERT_EQ(__dev_direct_xmit(frame(q, 1, 60), 1), NETDEV_TX_OK);
	ASSERT_EQ(P(q)->r[0].queue, 1);
	ASSERT_TRUE(P(q)->r[0].locked);
	ASSERT_EQ(tap_seen, 0); /* no taps on this path */
	ASSERT_UEQ(qstats(q->qdisc).packets, 0);
	netif_tx_stop_queue(netdev_get_tx_queue(q, 1));
	skb = frame(q, 2, 60);
	ASSERT_EQ(__dev_direct_xmit(skb, 1), NETDEV_TX_BUSY);
	kfree_skb(skb); /* BUSY: still ours */
	netif_tx_lock_bh(q);
	ASSERT_EQ(dev_direct_xmit(frame(q, 3, 60), 0), NETDEV_TX_BUSY); /* frozen; freed */
	netif_tx_unlock_bh(q);
	netif_carrier_off(q);
	ASSERT_EQ(__dev_direct_xmit(frame(q, 4, 60), 0), NET_XMIT_DROP);
	dev_remove_pack(&pt);
	ASSERT_EQ(P(q)->n, 1);
	ASSERT_EQ(skb_live_count(), 0);
	rm(q);
}
