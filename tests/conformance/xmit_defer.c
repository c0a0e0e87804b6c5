// SPDX-License-Identifier: MIT
/*
 * Conformance: R-TX-15, the defer list of a lock-based qdisc (6.18). The
 * test holds the root lock (unetdev_sch_tree_lock, the kernel's
 * sch_tree_lock) so that the first sender waits for it with its skb on the
 * list, and then watches what the other senders do: they push and return at
 * once, or, beyond net.core.qdisc_max_burst waiting skbs, are dropped with
 * NET_XMIT_DROP and SKB_DROP_REASON_QDISC_BURST_DROP. The device is a
 * recording driver on pfifo_fast (lock-based here, TCQ_F_CAN_BYPASS).
 */
#include <pthread.h>
#include <time.h>
#include <unetdev/engine.h>
#include <unetdev/unetdev.h>

#include "harness.h"

#define MAXREC 12000

struct dpriv {
	int n; /* transmitted so far (atomic: read by the test thread) */
	u32 marks[MAXREC];
};

static struct dpriv *P(struct net_device *dev)
{
	return netdev_priv(dev);
}

/* Runs under the queue's _xmit_lock (one TX queue): calls are serialised. */
static netdev_tx_t d_xmit(struct sk_buff *skb, struct net_device *dev)
{
	struct dpriv *p = P(dev);
	int n = __atomic_load_n(&p->n, __ATOMIC_RELAXED);

	if (n < MAXREC)
		p->marks[n] = skb->mark;
	__atomic_store_n(&p->n, n + 1, __ATOMIC_RELEASE);
	consume_skb(skb);
	return NETDEV_TX_OK;
}

static const struct net_device_ops d_ops = {.ndo_start_xmit = d_xmit};

static void d_setup(struct net_device *dev)
{
	ether_setup(dev);
	dev->netdev_ops = &d_ops;
	dev->tx_queue_len = MAXREC; /* no pfifo_fast band fills up in these tests */
}

static struct net_device *mk(void)
{
	struct net_device *dev =
	    alloc_netdev_mqs(sizeof(struct dpriv), "d%d", NET_NAME_ENUM, d_setup, 1, 1);

	ASSERT_NOT_NULL(dev);
	ASSERT_EQ(register_netdev(dev), 0);
	rtnl_lock();
	ASSERT_EQ(dev_open(dev, NULL), 0);
	rtnl_unlock();
	ASSERT_STR_EQ(unetdev_qdisc_id(netdev_get_tx_queue(dev, 0)->qdisc), "pfifo_fast");
	return dev;
}

static void rm(struct net_device *dev)
{
	unregister_netdev(dev);
	free_netdev(dev);
}

static struct Qdisc *qdisc0(struct net_device *dev)
{
	return netdev_get_tx_queue(dev, 0)->qdisc;
}

static struct sk_buff *frame(struct net_device *dev, u32 mark)
{
	struct sk_buff *skb = alloc_skb(NET_SKB_PAD + 60, GFP_ATOMIC);

	ASSERT_NOT_NULL(skb);
	skb_reserve(skb, NET_SKB_PAD);
	memset(skb_put(skb, 60), 0, 60);
	skb->dev = dev;
	skb->mark = mark;
	return skb;
}

static int transmitted(struct net_device *dev)
{
	return __atomic_load_n(&P(dev)->n, __ATOMIC_ACQUIRE);
}

/* Poll @cond every millisecond for up to 30 s (ASan, two busy cores). */
#define WAIT_FOR(cond)                                                                             \
	({                                                                                         \
		struct timespec ts_ = {0, 1000000};                                                \
		int i_ = 0;                                                                        \
		while (!(cond) && i_++ < 30000)                                                    \
			nanosleep(&ts_, NULL);                                                     \
		(bool)(cond);                                                                      \
	})

/* A sender thread: @count frames marked first_mark, first_mark + 1, ... */
struct sender {
	struct net_device *dev;
	u32 first_mark;
	int count;
	int ok, dropped, other; /* return codes seen */
	int done;		/* atomic: all sent */
	pthread_t th;
};

static void *send_fn(void *arg)
{
	struct sender *s = arg;

	for (int i = 0; i < s->count; i++) {
		int rc = dev_queue_xmit(frame(s->dev, s->first_mark + (u32)i));

		if (rc == NET_XMIT_SUCCESS)
			s->ok++;
		else if (rc == NET_XMIT_DROP)
			s->dropped++;
		else
			s->other++;
	}
	__atomic_store_n(&s->done, 1, __ATOMIC_RELEASE);
	return NULL;
}

static void start(struct sender *s, struct net_device *dev, u32 first_mark, int count)
{
	*s = (struct sender){.dev = dev, .first_mark = first_mark, .count = count};
	ASSERT_EQ(pthread_create(&s->th, NULL, send_fn, s), 0);
}

static bool done(struct sender *s)
{
	return __atomic_load_n(&s->done, __ATOMIC_ACQUIRE);
}

/*
 * With the root lock held by the test: sender A pushes on the empty list and
 * waits for the lock. Returns once A's skb is on the list.
 */
static void first_sender_waits(struct sender *a, struct net_device *dev)
{
	start(a, dev, 0, 1);
	ASSERT_TRUE(WAIT_FOR(unetdev_qdisc_defer_count(qdisc0(dev)) == 1));
	ASSERT_FALSE(done(a)); /* it cannot get the lock we hold */
}

/* A sender that finds the list non-empty returns at once, without the root lock. */
TEST(r_tx_15_a_sender_finding_the_list_non_empty_returns_without_the_lock)
{
	struct net_device *dev = mk();
	struct unetdev_qdisc_stats st;
	struct sender a, b;

	unetdev_sch_tree_lock(qdisc0(dev));
	first_sender_waits(&a, dev);
	start(&b, dev, 1, 3);
	ASSERT_TRUE(WAIT_FOR(done(&b))); /* would never end if B waited for the lock */
	ASSERT_EQ(b.ok, 3);
	ASSERT_EQ(unetdev_qdisc_defer_count(qdisc0(dev)), 4);
	ASSERT_FALSE(done(&a));
	ASSERT_EQ(transmitted(dev), 0); /* nothing passed the lock */
	unetdev_sch_tree_unlock(qdisc0(dev));

	/* A takes the whole list and sends it in arrival order. */
	pthread_join(a.th, NULL);
	pthread_join(b.th, NULL);
	ASSERT_EQ(a.ok, 1); /* several skbs were enqueued: NET_XMIT_SUCCESS */
	ASSERT_TRUE(WAIT_FOR(transmitted(dev) == 4));
	for (int i = 0; i < 4; i++)
		ASSERT_EQ(P(dev)->marks[i], i);
	ASSERT_EQ(unetdev_qdisc_defer_count(qdisc0(dev)), 0);
	ASSERT_EQ(unetdev_qdisc_stats(qdisc0(dev), &st), 0);
	ASSERT_UEQ(st.packets, 4); /* the batch was enqueued and dequeued, all counted */
	rm(dev);
}

/*
 * The burst limit (default 1000): the first sender's skb plus 1000 more may
 * wait; the next push (defer_count 1001 > qdisc_max_burst) is dropped with
 * NET_XMIT_DROP and SKB_DROP_REASON_QDISC_BURST_DROP. The qdisc never saw it,
 * so its drop counter does not move (the kernel counts only the reason).
 */
TEST(r_tx_15_the_burst_limit_drops_the_skb_beyond_qdisc_max_burst)
{
	struct net_device *dev = mk();
	unsigned long burst0 = skb_drop_count(SKB_DROP_REASON_QDISC_BURST_DROP);
	struct unetdev_qdisc_stats st;
	struct sender a, b;

	ASSERT_EQ(unetdev_sysctl_qdisc_max_burst(0), 1000);
	unetdev_sch_tree_lock(qdisc0(dev));
	first_sender_waits(&a, dev);
	start(&b, dev, 1, 1001);
	ASSERT_TRUE(WAIT_FOR(done(&b)));
	ASSERT_EQ(b.ok, 1000);
	ASSERT_EQ(b.dropped, 1); /* the last one */
	ASSERT_EQ(b.other, 0);
	ASSERT_UEQ(skb_drop_count(SKB_DROP_REASON_QDISC_BURST_DROP) - burst0, 1);
	/* 1001 wait; defer_count also counts the dropped attempt, as the kernel's does */
	ASSERT_EQ(unetdev_qdisc_defer_count(qdisc0(dev)), 1 + 1001);
	unetdev_sch_tree_unlock(qdisc0(dev));

	pthread_join(a.th, NULL);
	pthread_join(b.th, NULL);
	/* 1001 skbs: 64 per qdisc run (R-Q-7), the rest from A's TX softirq. */
	ASSERT_TRUE(WAIT_FOR(transmitted(dev) == 1001));
	for (int i = 0; i < 1001; i++)
		ASSERT_EQ(P(dev)->marks[i], i); /* the dropped one was mark 1001 */
	ASSERT_EQ(unetdev_qdisc_stats(qdisc0(dev), &st), 0);
	ASSERT_UEQ(st.packets, 1001);
	ASSERT_UEQ(st.drops, 0);
	ASSERT_EQ(st.qlen, 0);
	rm(dev);
}

/* net.core.qdisc_max_burst: v <= 0 reads; a new value is the new limit. */
TEST(r_tx_15_sysctl_qdisc_max_burst_sets_the_limit)
{
	struct net_device *dev = mk();
	unsigned long burst0 = skb_drop_count(SKB_DROP_REASON_QDISC_BURST_DROP);
	struct sender a, b;

	ASSERT_EQ(unetdev_sysctl_qdisc_max_burst(0), 1000);
	ASSERT_EQ(unetdev_sysctl_qdisc_max_burst(-5), 1000);
	ASSERT_EQ(unetdev_sysctl_qdisc_max_burst(3), 3);
	ASSERT_EQ(unetdev_sysctl_qdisc_max_burst(0), 3);
	unetdev_sch_tree_lock(qdisc0(dev));
	first_sender_waits(&a, dev);
	start(&b, dev, 1, 5);
	ASSERT_TRUE(WAIT_FOR(done(&b)));
	ASSERT_EQ(b.ok, 3);
	ASSERT_EQ(b.dropped, 2);
	ASSERT_UEQ(skb_drop_count(SKB_DROP_REASON_QDISC_BURST_DROP) - burst0, 2);
	ASSERT_EQ(unetdev_qdisc_defer_count(qdisc0(dev)), 1 + 5); /* 4 wait, 2 attempts dropped */
	unetdev_sch_tree_unlock(qdisc0(dev));
	pthread_join(a.th, NULL);
	pthread_join(b.th, NULL);
	ASSERT_TRUE(WAIT_FOR(transmitted(dev) == 4));
	for (int i = 0; i < 4; i++)
		ASSERT_EQ(P(dev)->marks[i], i);
	ASSERT_EQ(unetdev_sysctl_qdisc_max_burst(1000), 1000);
	rm(dev);
}

/*
 * Concurrent senders, unthrottled: every frame is transmitted or dropped by
 * the burst limit with NET_XMIT_DROP returned to its sender (a preempted
 * first sender lets the others fill the list), and each sender's frames
 * leave in the order it sent them.
 */
#define NSEND 4
#define PER   2500

TEST(r_tx_15_concurrent_senders_all_arrive_in_per_sender_order)
{
	struct net_device *dev = mk();
	unsigned long burst0 = skb_drop_count(SKB_DROP_REASON_QDISC_BURST_DROP);
	u32 last[NSEND];
	int got[NSEND] = {0};
	struct sender s[NSEND];
	int sent = 0, dropped = 0;
	struct unetdev_qdisc_stats st;

	for (int i = 0; i < NSEND; i++)
		start(&s[i], dev, (u32)i << 16, PER);
	for (int i = 0; i < NSEND; i++) {
		pthread_join(s[i].th, NULL);
		ASSERT_EQ(s[i].other, 0);
		sent += s[i].ok;
		dropped += s[i].dropped;
	}
	ASSERT_EQ(sent + dropped, NSEND * PER);
	ASSERT_UEQ(skb_drop_count(SKB_DROP_REASON_QDISC_BURST_DROP) - burst0, dropped);
	ASSERT_TRUE(WAIT_FOR(transmitted(dev) == sent));
	for (int i = 0; i < NSEND; i++)
		last[i] = UINT32_MAX;
	for (int k = 0; k < sent; k++) {
		u32 m = P(dev)->marks[k], who = m >> 16, seq = m & 0xffff;

		ASSERT_LT(who, NSEND);
		if (last[who] != UINT32_MAX)
			ASSERT_GT(seq, last[who]); /* per-sender order */
		last[who] = seq;
		got[who]++;
	}
	for (int i = 0; i < NSEND; i++)
		ASSERT_EQ(got[i], s[i].ok); /* what a sender was told was sent, was */
	ASSERT_EQ(unetdev_qdisc_stats(qdisc0(dev), &st), 0);
	ASSERT_UEQ(st.packets, sent);
	ASSERT_UEQ(st.drops, 0);
	ASSERT_EQ(st.qlen, 0);
	ASSERT_EQ(unetdev_qdisc_defer_count(qdisc0(dev)), 0);
	ASSERT_TRUE(unetdev_qdisc_check(qdisc0(dev)));
	rm(dev);
}
