// SPDX-License-Identifier: MIT
/*
 * Conformance: Byte Queue Limits and the DQL calculator (R-K-17, R-BQL-1..10;
 * the STACK_XOFF half of R-WD-8). Time-based rules run on the manual clock.
 *
 * The reference model below is written from the rules text (R-BQL-6) with
 * one change: all_prev_completed is "completed >= prev_num_queued" (the
 * kernel's AFTER_EQ since v3.5), not max(0, completed - prev_num_queued).
 */
#include <limits.h>
#include <unetdev/unetdev.h>

#include "harness.h"

static void q_setup(struct net_device *dev)
{
	ether_setup(dev);
}

static struct net_device *q_new(unsigned int txqs)
{
	struct net_device *dev = alloc_netdev_mqs(0, "bql%d", NET_NAME_ENUM, q_setup, txqs, 1);

	ASSERT_NOT_NULL(dev);
	return dev;
}

static bool stack_xoff(const struct netdev_queue *q)
{
	return test_bit(__QUEUE_STATE_STACK_XOFF, &q->state);
}

/* ---- An independent model of R-BQL-6, in signed 64-bit arithmetic ---- */

struct ref_dql {
	long long queued, completed, limit, prev_ovlimit, prev_queued, last_obj, prev_last_obj;
	long long lowest_slack, min_limit, max_limit;
	unsigned long slack_start, hold;
};

static long long pos(long long v)
{
	return v > 0 ? v : 0;
}

static void ref_init(struct ref_dql *r, unsigned long hold)
{
	memset(r, 0, sizeof(*r));
	r->lowest_slack = UINT_MAX;
	r->max_limit = DQL_MAX_LIMIT;
	r->hold = hold;
	r->slack_start = jiffies;
}

static void ref_completed(struct ref_dql *r, long long count)
{
	long long completed = r->completed + count, limit = r->limit;
	long long ovlimit = pos(r->queued - r->completed - limit);
	long long inprogress = r->queued - completed;
	long long prev_inprogress = r->prev_queued - r->completed;
	bool all_prev = completed >= r->prev_queued;

	if ((ovlimit > 0 && inprogress == 0) || (r->prev_ovlimit > 0 && all_prev)) {
		limit += pos(completed - r->prev_queued) + r->prev_ovlimit;
		r->slack_start = jiffies;
		r->lowest_slack = UINT_MAX;
	} else if (inprogress && prev_inprogress && !all_prev) {
		long long slack = pos(limit + r->prev_ovlimit - 2 * (completed - r->completed));
		long long last = r->prev_ovlimit ? pos(r->prev_last_obj - r->prev_ovlimit) : 0;

		slack = slack > last ? slack : last;
		if (slack < r->lowest_slack)
			r->lowest_slack = slack;
		if ((long)(jiffies - (r->slack_start + r->hold)) > 0) {
			limit = pos(limit - r->lowest_slack);
			r->slack_start = jiffies;
			r->lowest_slack = UINT_MAX;
		}
	}
	limit = limit < r->min_limit ? r->min_limit : limit > r->max_limit ? r->max_limit : limit;
	if (limit != r->limit) {
		r->limit = limit;
		ovlimit = 0;
	}
	r->prev_ovlimit = ovlimit;
	r->prev_last_obj = r->last_obj;
	r->completed = completed;
	r->prev_queued = r->queued;
}

static void ref_queued(struct ref_dql *r, long long count)
{
	r->last_obj = count;
	r->queued += count;
}

static long long ref_avail(const struct ref_dql *r)
{
	return r->limit + r->completed - r->queued;
}

static void assert_matches(const struct dql *d, const struct ref_dql *r)
{
	ASSERT_EQ(d->limit, r->limit);
	ASSERT_EQ(d->prev_ovlimit, r->prev_ovlimit);
	ASSERT_EQ(d->lowest_slack, r->lowest_slack);
	ASSERT_EQ(dql_avail(d), ref_avail(r));
	ASSERT_TRUE(dql_check(d));
}

/* ---- R-K-17, R-BQL-1 ---- */

TEST(r_k_17_dql_constants)
{
	ASSERT_UEQ(DQL_MAX_OBJECT, UINT_MAX / 16);
	ASSERT_UEQ(DQL_MAX_LIMIT, UINT_MAX / 2 - UINT_MAX / 16);
	ASSERT_UEQ(DQL_MAX_LIMIT, 1879048192u);
}

static void assert_fresh(const struct dql *d, unsigned int hold)
{
	ASSERT_EQ(d->limit, 0);
	ASSERT_EQ(d->min_limit, 0);
	ASSERT_UEQ(d->max_limit, DQL_MAX_LIMIT);
	ASSERT_EQ(d->slack_hold_time, hold);
	ASSERT_EQ(d->num_queued, 0);
	ASSERT_EQ(d->num_completed, 0);
	ASSERT_EQ(d->adj_limit, 0);
	ASSERT_UEQ(d->lowest_slack, UINT_MAX);
	ASSERT_EQ(d->slack_start_time, jiffies);
	ASSERT_TRUE(dql_check(d));
}

TEST(r_bql_1_queue_dql_initialised_at_alloc)
{
	struct net_device *dev;

	unetdev_clock_set_manual(true);
	dev = q_new(4);
	for (unsigned int i = 0; i < 4; i++)
		assert_fresh(&netdev_get_tx_queue(dev, i)->dql, HZ);
	free_netdev(dev);
}

TEST(r_bql_1_dql_init_values)
{
	struct dql d;

	unetdev_clock_set_manual(true);
	memset(&d, 0xa5, sizeof(d));
	dql_init(&d, 7);
	assert_fresh(&d, 7);
}

/* ---- R-BQL-2 ---- */

TEST(r_bql_2_avail_is_signed)
{
	struct dql d;

	dql_init(&d, HZ);
	ASSERT_EQ(dql_avail(&d), 0);
	dql_queued(&d, 1500);
	ASSERT_EQ(dql_avail(&d), -1500);
	dql_completed(&d, 1500); /* starved: limit grows to 1500 */
	ASSERT_EQ(d.limit, 1500);
	ASSERT_EQ(dql_avail(&d), 1500);
	ASSERT_TRUE(dql_check(&d));
}

/* ---- R-BQL-3, R-BQL-4 ---- */

TEST(r_bql_3_over_limit_sets_trans_start_and_stack_xoff)
{
	struct net_device *dev;
	struct netdev_queue *q;

	unetdev_clock_set_manual(true);
	dev = q_new(1);
	q = netdev_get_tx_queue(dev, 0);
	unetdev_clock_advance(5);
	ASSERT_EQ(q->trans_start, 0);
	netdev_tx_sent_queue(q, 100);
	ASSERT_TRUE(stack_xoff(q));
	ASSERT_EQ(q->trans_start, jiffies);
	ASSERT_EQ(q->dql.num_queued, 100);

	/* Grow the limit, then a send within it leaves trans_start alone. */
	netdev_tx_completed_queue(q, 1, 100);
	ASSERT_FALSE(stack_xoff(q));
	unetdev_clock_advance(3);
	netdev_tx_sent_queue(q, 50);
	ASSERT_FALSE(stack_xoff(q));
	ASSERT_EQ(q->trans_start, jiffies - 3);
	netdev_tx_completed_queue(q, 1, 50);
	free_netdev(dev);
}

TEST(r_bql_3_object_too_big_is_a_bug)
{
	struct net_device *dev = q_new(1);
	struct netdev_queue *q = netdev_get_tx_queue(dev, 0);

	expect_violations();
	netdev_tx_sent_queue(q, DQL_MAX_OBJECT + 1u);
	ASSERT_EQ(unetdev_check_count("R-BQL-3"), 1);
	ASSERT_EQ(q->dql.num_queued, 0); /* refused in warn mode */
	ASSERT_FALSE(stack_xoff(q));
	netdev_tx_sent_queue(q, DQL_MAX_OBJECT); /* the largest legal object */
	ASSERT_EQ(unetdev_check_count("R-BQL-3"), 1);
	ASSERT_UEQ(q->dql.num_queued, DQL_MAX_OBJECT);
	netdev_tx_completed_queue(q, 1, DQL_MAX_OBJECT);
	ASSERT_TRUE(dql_check(&q->dql));
	free_netdev(dev);
}

TEST(r_bql_4_first_packet_stops_a_fresh_queue)
{
	struct net_device *dev = q_new(2);
	struct netdev_queue *q = netdev_get_tx_queue(dev, 1);

	netdev_tx_sent_queue(q, 60);
	ASSERT_TRUE(stack_xoff(q));
	ASSERT_TRUE(netif_xmit_stopped(q));
	ASSERT_TRUE(netif_xmit_frozen_or_stopped(q));
	/* R-WD-8: the DRV_XOFF predicates do not see a BQL stop. */
	ASSERT_FALSE(netif_tx_queue_stopped(q));
	ASSERT_FALSE(__netif_subqueue_stopped(dev, 1));
	/* Queue 0 is independent. */
	ASSERT_FALSE(netif_xmit_stopped(netdev_get_tx_queue(dev, 0)));

	netdev_tx_completed_queue(q, 1, 60);
	ASSERT_FALSE(netif_xmit_stopped(q));
	ASSERT_EQ(q->dql.limit, 60);
	free_netdev(dev);
}

/* ---- R-BQL-5 ---- */

TEST(r_bql_5_zero_bytes_is_a_no_op)
{
	struct net_device *dev = q_new(1);
	struct netdev_queue *q = netdev_get_tx_queue(dev, 0);
	struct dql before;

	netdev_tx_sent_queue(q, 100);
	before = q->dql;
	netdev_tx_completed_queue(q, 3, 0);
	ASSERT_MEM_EQ(&before, &q->dql, sizeof(before));
	ASSERT_TRUE(stack_xoff(q));
	netdev_tx_completed_queue(q, 1, 100);
	free_netdev(dev);
}

TEST(r_bql_5_completing_more_than_sent_is_a_bug)
{
	struct net_device *dev = q_new(1);
	struct netdev_queue *q = netdev_get_tx_queue(dev, 0);

	expect_violations();
	netdev_tx_sent_queue(q, 100);
	netdev_tx_completed_queue(q, 1, 101);
	ASSERT_EQ(unetdev_check_count("R-BQL-5"), 1);
	ASSERT_EQ(q->dql.num_completed, 0); /* refused in warn mode */
	ASSERT_TRUE(stack_xoff(q));
	netdev_tx_completed_queue(q, 1, 100);
	ASSERT_EQ(unetdev_check_count("R-BQL-5"), 1);
	ASSERT_FALSE(stack_xoff(q));
	free_netdev(dev);
}

TEST(r_bql_5_still_over_limit_stays_stopped)
{
	struct net_device *dev = q_new(1);
	struct netdev_queue *q = netdev_get_tx_queue(dev, 0);

	netdev_tx_sent_queue(q, 100);
	netdev_tx_sent_queue(q, 100);
	/* Partial completion with data still in flight: no growth, avail < 0. */
	netdev_tx_completed_queue(q, 1, 50);
	ASSERT_EQ(q->dql.limit, 0);
	ASSERT_LT(dql_avail(&q->dql), 0);
	ASSERT_TRUE(stack_xoff(q));
	netdev_tx_completed_queue(q, 2, 150);
	ASSERT_GE(dql_avail(&q->dql), 0);
	ASSERT_FALSE(stack_xoff(q));
	free_netdev(dev);
}

TEST(r_bql_5_clears_only_stack_xoff)
{
	struct net_device *dev = q_new(1);
	struct netdev_queue *q = netdev_get_tx_queue(dev, 0);

	netdev_tx_sent_queue(q, 100);
	netif_tx_stop_queue(q);
	netdev_tx_completed_queue(q, 1, 100);
	ASSERT_FALSE(stack_xoff(q));
	ASSERT_TRUE(netif_tx_queue_stopped(q)); /* the driver's stop stays */
	netif_tx_start_queue(q);
	free_netdev(dev);
}

/* ---- R-BQL-6 ---- */

TEST(r_bql_6_starved_queue_grows_limit)
{
	struct dql d;

	dql_init(&d, HZ);
	dql_queued(&d, 1000);
	dql_completed(&d, 1000); /* over limit and empty */
	ASSERT_EQ(d.limit, 1000);
	ASSERT_EQ(d.prev_ovlimit, 0); /* the limit changed */
	ASSERT_EQ(d.adj_limit, 2000);
	ASSERT_EQ(d.prev_num_queued, 1000);
	dql_queued(&d, 1500);
	dql_queued(&d, 1500);
	dql_completed(&d, 3000); /* over the limit, empty again */
	/* Grows by what was sent and completed in the interval (+ prev_ovlimit 0). */
	ASSERT_EQ(d.limit, 1000 + 3000);
	ASSERT_TRUE(dql_check(&d));
}

TEST(r_bql_6_slack_shrinks_only_after_hold_time)
{
	struct dql d;

	unetdev_clock_set_manual(true);
	dql_init(&d, 10);
	dql_queued(&d, 1000);
	dql_completed(&d, 1000); /* limit 1000, slack tracking restarted */
	dql_queued(&d, 1000);
	dql_completed(&d, 100); /* busy, but the previous interval was empty */
	ASSERT_EQ(d.limit, 1000);
	ASSERT_UEQ(d.lowest_slack, UINT_MAX);
	dql_queued(&d, 100);
	dql_completed(&d, 100); /* busy whole interval: slack 1000 - 2*100 */
	ASSERT_EQ(d.lowest_slack, 800);
	ASSERT_EQ(d.limit, 1000); /* hold time not over */
	unetdev_clock_advance(10);
	dql_queued(&d, 100);
	dql_completed(&d, 100);
	ASSERT_EQ(d.limit, 1000); /* time_after is strict */
	unetdev_clock_advance(1);
	dql_queued(&d, 100);
	dql_completed(&d, 100);
	ASSERT_EQ(d.limit, 200);
	ASSERT_UEQ(d.lowest_slack, UINT_MAX);
	ASSERT_EQ(d.slack_start_time, jiffies);
	ASSERT_TRUE(dql_check(&d));
}

TEST(r_bql_6_limit_clamped_to_min_and_max)
{
	struct dql d;

	dql_init(&d, HZ);
	d.max_limit = 500;
	dql_queued(&d, 1000);
	dql_completed(&d, 1000);
	ASSERT_EQ(d.limit, 500);
	ASSERT_TRUE(dql_check(&d));

	dql_init(&d, HZ);
	d.min_limit = 3000;
	dql_queued(&d, 10);
	dql_completed(&d, 10);
	ASSERT_EQ(d.limit, 3000);
	ASSERT_TRUE(dql_check(&d));
}

TEST(r_bql_6_all_prev_completed_at_equality)
{
	struct dql d;

	/*
	 * Over the limit in one interval, then complete exactly up to the
	 * previous queue total: the kernel (AFTER_EQ) counts that as starved.
	 */
	dql_init(&d, HZ);
	dql_queued(&d, 100);
	dql_completed(&d, 100); /* limit 100 */
	dql_queued(&d, 150);	/* 50 over */
	dql_queued(&d, 100);	/* 150 over */
	dql_completed(&d, 50);	/* prev_ovlimit = 150, data in flight */
	ASSERT_EQ(d.prev_ovlimit, 150);
	ASSERT_EQ(d.prev_num_queued, 350);
	dql_queued(&d, 10);
	dql_completed(&d, 200); /* completed == prev_num_queued exactly */
	ASSERT_EQ(d.limit, 100 + 150);
	ASSERT_TRUE(dql_check(&d));
}

TEST_TIMEOUT(r_bql_6_matches_reference_model, 60)
{
	struct ref_dql r;
	struct dql d;
	unsigned int seed = 12345;

	unetdev_clock_set_manual(true);
	dql_init(&d, 3);
	ref_init(&r, 3);
	for (int i = 0; i < 200000; i++) {
		unsigned int op = (unsigned int)rand_r(&seed) % 8;

		if (op < 4) {
			unsigned int n = 1 + (unsigned int)rand_r(&seed) % 9000;

			dql_queued(&d, n);
			ref_queued(&r, n);
		} else if (op < 7 && r.queued > r.completed) {
			long long inflight = r.queued - r.completed;
			long long n = 1 + rand_r(&seed) % inflight;

			dql_completed(&d, (unsigned int)n);
			ref_completed(&r, n);
			assert_matches(&d, &r);
		} else if (op == 7) {
			unetdev_clock_advance((unsigned long)(rand_r(&seed) % 3));
		}
	}
}

/* ---- R-BQL-7 ---- */

TEST(r_bql_7_queued_records_last_obj_cnt)
{
	struct dql d;

	dql_init(&d, HZ);
	dql_queued(&d, 77);
	ASSERT_EQ(d.last_obj_cnt, 77);
	dql_queued(&d, 5);
	ASSERT_EQ(d.last_obj_cnt, 5);
	ASSERT_EQ(d.num_queued, 82);
	dql_completed(&d, 82);
	ASSERT_EQ(d.prev_last_obj_cnt, 5);
}

/* ---- R-BQL-8 ---- */

TEST(r_bql_8_reset_clears_xoff_and_dql)
{
	struct net_device *dev;
	struct netdev_queue *q;

	unetdev_clock_set_manual(true);
	dev = q_new(1);
	q = netdev_get_tx_queue(dev, 0);
	netdev_tx_sent_queue(q, 3000);
	netdev_tx_completed_queue(q, 2, 3000);
	netdev_tx_sent_queue(q, 4000);
	netdev_tx_sent_queue(q, 4000);
	ASSERT_TRUE(stack_xoff(q));
	unetdev_clock_advance(2);
	netdev_tx_reset_queue(q); /* the ring was flushed: nothing will complete */
	ASSERT_FALSE(stack_xoff(q));
	assert_fresh(&q->dql, HZ);
	/* And a reset queue behaves like a fresh one (R-BQL-4). */
	netdev_tx_sent_queue(q, 60);
	ASSERT_TRUE(stack_xoff(q));
	netdev_tx_completed_queue(q, 1, 60);
	free_netdev(dev);
}

TEST(r_bql_8_queue0_helpers)
{
	struct net_device *dev = q_new(2);
	struct netdev_queue *q = netdev_get_tx_queue(dev, 0);

	netdev_sent_queue(dev, 200);
	ASSERT_TRUE(stack_xoff(q));
	ASSERT_FALSE(stack_xoff(netdev_get_tx_queue(dev, 1)));
	netdev_completed_queue(dev, 1, 200);
	ASSERT_FALSE(stack_xoff(q));
	ASSERT_TRUE(__netdev_sent_queue(dev, 500, false));
	ASSERT_TRUE(stack_xoff(q));
	netdev_reset_queue(dev);
	ASSERT_FALSE(stack_xoff(q));
	ASSERT_EQ(q->dql.num_queued, 0);
	free_netdev(dev);
}

/* ---- R-BQL-9 ---- */

TEST(r_bql_9_xmit_more_only_accounts)
{
	struct net_device *dev = q_new(1);
	struct netdev_queue *q = netdev_get_tx_queue(dev, 0);

	/* Over the limit mid-batch: accounted, never stopped, no doorbell. */
	ASSERT_FALSE(__netdev_tx_sent_queue(q, 1000, true));
	ASSERT_FALSE(stack_xoff(q));
	ASSERT_EQ(q->dql.num_queued, 1000);
	ASSERT_EQ(q->dql.last_obj_cnt, 1000);
	/* A driver-stopped queue needs the doorbell now. */
	netif_tx_stop_queue(q);
	ASSERT_TRUE(__netdev_tx_sent_queue(q, 10, true));
	ASSERT_FALSE(stack_xoff(q));
	netif_tx_start_queue(q);
	/* The batch's last skb behaves like netdev_tx_sent_queue(). */
	ASSERT_TRUE(__netdev_tx_sent_queue(q, 10, false));
	ASSERT_TRUE(stack_xoff(q));
	ASSERT_EQ(q->dql.num_queued, 1020);
	netdev_tx_completed_queue(q, 3, 1020);
	ASSERT_FALSE(stack_xoff(q));
	free_netdev(dev);
}

/* ---- R-BQL-10 ---- */

#define RING 256

struct ring {
	unsigned int len[RING];
	unsigned int head, tail; /* head: next to complete; tail: next free */
	unsigned long long sent, done;
};

/* The driver's ndo_start_xmit: only while the stack lets it. */
static void ring_xmit(struct netdev_queue *q, struct ring *rg, unsigned int *seed)
{
	unsigned int n = 1 + (unsigned int)rand_r(seed) % 3, i;

	for (i = 0; i < n && !netif_xmit_stopped(q); i++) {
		unsigned int bytes = 60 + (unsigned int)rand_r(seed) % 9000;
		bool more = i + 1 < n;

		if (rg->tail - rg->head == RING) {
			netif_tx_stop_queue(q); /* ring full: the driver's own stop */
			break;
		}
		rg->len[rg->tail++ % RING] = bytes;
		rg->sent += bytes;
		__netdev_tx_sent_queue(q, bytes, more);
	}
}

/* TX completion: retire a prefix of the ring, reported once. */
static void ring_complete(struct netdev_queue *q, struct ring *rg, unsigned int count)
{
	unsigned int pkts = 0, bytes = 0;

	while (pkts < count && rg->head != rg->tail) {
		bytes += rg->len[rg->head++ % RING];
		pkts++;
	}
	rg->done += bytes;
	netdev_tx_completed_queue(q, pkts, bytes);
	if (netif_tx_queue_stopped(q) && rg->tail - rg->head < RING / 2)
		netif_tx_wake_queue(q);
}

TEST_TIMEOUT(r_bql_10_random_sent_completed_sequence, 60)
{
	struct net_device *dev;
	struct netdev_queue *q;
	static struct ring rg;
	unsigned int seed = 4242;

	unetdev_clock_set_manual(true);
	dev = q_new(1);
	q = netdev_get_tx_queue(dev, 0);
	for (int i = 0; i < 300000; i++) {
		unsigned int op = (unsigned int)rand_r(&seed) % 10;

		if (op < 6)
			ring_xmit(q, &rg, &seed);
		else if (op < 9)
			ring_complete(q, &rg, 1 + (unsigned int)rand_r(&seed) % 8);
		else
			unetdev_clock_advance((unsigned long)(rand_r(&seed) % 2));
		if (!dql_check(&q->dql))
			FAIL("dql_check failed after step %d", i);
		ASSERT_UEQ(q->dql.num_queued - q->dql.num_completed, rg.sent - rg.done);
		/* BQL stops only an over-limit queue (a batch cut short may leave
		 * an over-limit queue running until its next report). */
		if (stack_xoff(q))
			ASSERT_LT(dql_avail(&q->dql), 0);
	}
	while (rg.head != rg.tail)
		ring_complete(q, &rg, RING);
	ASSERT_UEQ(rg.sent, rg.done);
	ASSERT_EQ(q->dql.num_queued, q->dql.num_completed);
	ASSERT_FALSE(netif_xmit_stopped(q));
	ASSERT_GT(rg.sent, 1000000);
	free_netdev(dev);
}
