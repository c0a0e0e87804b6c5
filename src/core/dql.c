// SPDX-License-Identifier: MIT
/*
 * dql.c - dynamic queue limits and Byte Queue Limits (kernel
 * lib/dynamic_queue_limits.c and the BQL half of include/linux/netdevice.h:
 * netdev_tx_sent_queue, netdev_tx_completed_queue, netdev_tx_reset_queue).
 * Rules: R-K-17, R-BQL-1..10 (rules file section 10); STACK_XOFF is the bit
 * the watchdog also honours (R-WD-8).
 *
 * Counters are free-running unsigned ints that wrap; every difference is
 * taken in unsigned arithmetic and compared through a signed cast
 * (POSDIFF / AFTER_EQ), as the kernel does, so wrap-around is harmless.
 */
#include "internal.h"
#include "sch_generic.h"

/* max(0, a - b) on wrapping counters. */
#define POSDIFF(A, B)  ((int)((A) - (B)) > 0 ? (A) - (B) : 0)
/* a >= b on wrapping counters. */
#define AFTER_EQ(A, B) ((int)((A) - (B)) >= 0)

/*
 * Starved (R-BQL-6 first branch): grow the limit by what was both sent and
 * completed in the last interval plus the previous over-limit, and restart
 * the slack measurement.
 */
static unsigned int dql_grow(struct dql *dql, unsigned int limit, unsigned int completed)
{
	limit += POSDIFF(completed, dql->prev_num_queued) + dql->prev_ovlimit;
	dql->slack_start_time = jiffies;
	dql->lowest_slack = UINT_MAX;
	return limit;
}

/*
 * Busy the whole interval (R-BQL-6 second branch): measure the slack (data
 * queued beyond what prevents starvation), keep its minimum over
 * slack_hold_time jiffies, then shrink the limit by that minimum. Using the
 * minimum over a hold time avoids hysteresis.
 */
static unsigned int dql_shrink(struct dql *dql, unsigned int limit, unsigned int completed)
{
	unsigned int slack, slack_last_objs;

	/* Twice the bytes completed in an interval bounds the useful limit. */
	slack = POSDIFF(limit + dql->prev_ovlimit, 2 * (completed - dql->num_completed));
	/* The part of the last enqueue that was not over the limit. */
	slack_last_objs =
	    dql->prev_ovlimit ? POSDIFF(dql->prev_last_obj_cnt, dql->prev_ovlimit) : 0;
	slack = max(slack, slack_last_objs);
	if (slack < dql->lowest_slack)
		dql->lowest_slack = slack;

	if (time_after(jiffies, dql->slack_start_time + dql->slack_hold_time)) {
		limit = POSDIFF(limit, dql->lowest_slack);
		dql->slack_start_time = jiffies;
		dql->lowest_slack = UINT_MAX;
	}
	return limit;
}

void dql_completed(struct dql *dql, unsigned int count)
{
	unsigned int num_queued = READ_ONCE(dql->num_queued); /* one consistent snapshot */
	unsigned int inprogress, prev_inprogress, limit, ovlimit, completed;
	bool all_prev_completed;

	if (count > num_queued - dql->num_completed &&
	    UNETDEV_BUG("R-BQL-5", NULL, "dql_completed", "completing %u with %u in flight", count,
			num_queued - dql->num_completed))
		return;

	completed = dql->num_completed + count;
	limit = dql->limit;
	ovlimit = POSDIFF(num_queued - dql->num_completed, limit);
	inprogress = num_queued - completed;
	prev_inprogress = dql->prev_num_queued - dql->num_completed;
	/*
	 * The rules text writes this as max(0, completed - prev_num_queued);
	 * the kernel has compared with AFTER_EQ since v3.5 ("bql: Avoid
	 * unneeded limit decrement"), so completing exactly what was queued
	 * at the previous completion counts as "all completed". Kernel wins.
	 */
	all_prev_completed = AFTER_EQ(completed, dql->prev_num_queued);

	if ((ovlimit && !inprogress) || (dql->prev_ovlimit && all_prev_completed))
		limit = dql_grow(dql, limit, completed);
	else if (inprogress && prev_inprogress && !all_prev_completed)
		limit = dql_shrink(dql, limit, completed);

	limit = min(max(limit, dql->min_limit), dql->max_limit);
	if (limit != dql->limit) {
		dql->limit = limit;
		ovlimit = 0;
	}

	WRITE_ONCE(dql->adj_limit, limit + completed);
	dql->prev_ovlimit = ovlimit;
	dql->prev_last_obj_cnt = READ_ONCE(dql->last_obj_cnt);
	dql->num_completed = completed;
	dql->prev_num_queued = num_queued;
}

void dql_reset(struct dql *dql)
{
	dql->limit = 0;
	dql->num_queued = 0;
	dql->num_completed = 0;
	dql->last_obj_cnt = 0;
	dql->prev_num_queued = 0;
	dql->prev_last_obj_cnt = 0;
	dql->prev_ovlimit = 0;
	dql->lowest_slack = UINT_MAX;
	dql->slack_start_time = jiffies;
	/*
	 * The kernel leaves adj_limit stale here, so a reset queue may admit
	 * (or refuse) data until the first completion. Resetting it too makes
	 * a reset queue behave like a fresh one (R-BQL-4 after R-BQL-8) and
	 * keeps dql_check()'s adj_limit == limit + num_completed.
	 */
	WRITE_ONCE(dql->adj_limit, 0);
}

void dql_init(struct dql *dql, unsigned int hold_time)
{
	dql->max_limit = DQL_MAX_LIMIT;
	dql->min_limit = 0;
	dql->slack_hold_time = hold_time;
	dql_reset(dql);
}

bool dql_check(const struct dql *dql)
{
	if (dql->max_limit > DQL_MAX_LIMIT || dql->min_limit > dql->max_limit)
		return false;
	if (dql->limit < dql->min_limit || dql->limit > dql->max_limit)
		return false;
	if ((int)(dql->num_queued - dql->num_completed) < 0)
		return false;
	return dql->adj_limit == dql->limit + dql->num_completed;
}

/* ---- BQL on a TX queue (include/linux/netdevice.h) ---- */

void netdev_tx_sent_queue(struct netdev_queue *txq, unsigned int bytes)
{
	if (unlikely(bytes > DQL_MAX_OBJECT) &&
	    UNETDEV_BUG("R-BQL-3", txq->dev, "netdev_tx_sent_queue", "%u bytes > DQL_MAX_OBJECT",
			bytes))
		return;
	dql_queued(&txq->dql, bytes);
	if (likely(dql_avail(&txq->dql) >= 0))
		return;

	/* The watchdog must not see a stale trans_start on a just-stopped queue. */
	WRITE_ONCE(txq->trans_start, jiffies);
	smp_mb(); /* pairs with the watchdog's smp_mb() */
	set_bit(__QUEUE_STATE_STACK_XOFF, &txq->state);
	/*
	 * STACK_XOFF must be visible before dql_avail() is read again:
	 * netdev_tx_completed_queue() updates the dql before it tests the bit,
	 * so one of the two sides always sees the other's write.
	 */
	smp_mb();
	if (unlikely(dql_avail(&txq->dql) >= 0))
		clear_bit(__QUEUE_STATE_STACK_XOFF, &txq->state);
}

bool __netdev_tx_sent_queue(struct netdev_queue *txq, unsigned int bytes, bool xmit_more)
{
	if (xmit_more) {
		/* Mid-batch: account only; stopping waits for the batch's last skb. */
		if (unlikely(bytes > DQL_MAX_OBJECT) &&
		    UNETDEV_BUG("R-BQL-3", txq->dev, "__netdev_tx_sent_queue",
				"%u bytes > DQL_MAX_OBJECT", bytes))
			return true;
		dql_queued(&txq->dql, bytes);
		return netif_tx_queue_stopped(txq);
	}
	netdev_tx_sent_queue(txq, bytes);
	return true;
}

void netdev_tx_completed_queue(struct netdev_queue *txq, unsigned int pkts, unsigned int bytes)
{
	struct dql *dql = &txq->dql;

	if (unlikely(!bytes))
		return;
	if (bytes > READ_ONCE(dql->num_queued) - dql->num_completed &&
	    UNETDEV_BUG("R-BQL-5", txq->dev, "netdev_tx_completed_queue",
			"completing %u bytes (%u packets) with %u in flight", bytes, pkts,
			READ_ONCE(dql->num_queued) - dql->num_completed))
		return;
	dql_completed(dql, bytes);

	/* Without this barrier netdev_tx_sent_queue() could miss the new limit
	 * and leave the queue stopped for ever. */
	smp_mb();
	if (unlikely(dql_avail(dql) < 0))
		return;
	/* netif_schedule_queue(): the qdisc runs again only if the driver has
	 * not stopped the queue itself (DRV_XOFF). */
	if (test_and_clear_bit(__QUEUE_STATE_STACK_XOFF, &txq->state) && !netif_xmit_stopped(txq))
		unetdev__netif_schedule_queue(txq);
}

void netdev_tx_reset_queue(struct netdev_queue *txq)
{
	clear_bit(__QUEUE_STATE_STACK_XOFF, &txq->state);
	dql_reset(&txq->dql);
}
