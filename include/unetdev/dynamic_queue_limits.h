/* SPDX-License-Identifier: MIT */
/*
 * Dynamic queue limits (kernel linux/dynamic_queue_limits.h): the limit
 * calculator behind Byte Queue Limits (rules R-K-17, R-BQL-1/2/6/7).
 *
 * A dql tracks objects (bytes, for BQL) handed to a producer/consumer queue
 * such as a NIC ring: dql_queued() when they go in, dql_completed() when the
 * consumer retires them. The limit is the smallest amount of queued data that
 * does not starve the consumer between two completion rounds.
 *
 * No locking here, as in the kernel: dql_queued() calls must be serialised
 * among themselves (the queue's xmit lock) and so must dql_completed() calls
 * (the driver's completion path); the two may run concurrently.
 */
#ifndef UNETDEV_DYNAMIC_QUEUE_LIMITS_H
#define UNETDEV_DYNAMIC_QUEUE_LIMITS_H

#include <limits.h>
#include <unetdev/check.h>
#include <unetdev/types.h>

struct dql {
	/* Fields written by the enqueue path (dql_queued) */
	unsigned int num_queued;   /* total ever queued */
	unsigned int adj_limit;	   /* limit + num_completed */
	unsigned int last_obj_cnt; /* count at the last dql_queued() */

	/* Fields written only by the completion path (dql_completed) */
	unsigned int limit;		/* current limit */
	unsigned int num_completed;	/* total ever completed */
	unsigned int prev_ovlimit;	/* over-limit amount of the previous interval */
	unsigned int prev_num_queued;	/* num_queued at the previous completion */
	unsigned int prev_last_obj_cnt; /* last_obj_cnt at the previous completion */
	unsigned int lowest_slack;	/* lowest slack seen since slack_start_time */
	unsigned long slack_start_time; /* jiffies when slack tracking (re)started */

	/* Configuration */
	unsigned int max_limit;
	unsigned int min_limit;
	unsigned int slack_hold_time; /* jiffies over which slack is measured */
};

/* R-K-17 */
#define DQL_MAX_OBJECT (UINT_MAX / 16)
#define DQL_MAX_LIMIT  ((UINT_MAX / 2) - DQL_MAX_OBJECT)

#define dql_init      unetdev_dql_init
#define dql_reset     unetdev_dql_reset
#define dql_completed unetdev_dql_completed
#define dql_check     unetdev_dql_check

/**
 * dql_queued - record @count objects queued (R-BQL-7). The caller is expected
 * to have checked dql_avail() first. @count > DQL_MAX_OBJECT is a BUG: the
 * kernel crashes; in warn/off mode nothing is recorded.
 * Context: serialised with other dql_queued() calls on @dql.
 */
static inline void dql_queued(struct dql *dql, unsigned int count)
{
	if (unlikely(count > DQL_MAX_OBJECT) &&
	    UNETDEV_BUG("R-BQL-3", NULL, "dql_queued", "count %u > DQL_MAX_OBJECT", count))
		return;
	WRITE_ONCE(dql->last_obj_cnt, count); /* read by dql_completed() on another CPU */
	/* Write before the read-modify-write below, as the kernel's barrier() hint. */
	__atomic_signal_fence(__ATOMIC_SEQ_CST);
	WRITE_ONCE(dql->num_queued, dql->num_queued + count);
}

/** dql_avail - objects that may still be queued; negative when over the limit (R-BQL-2). */
static inline int dql_avail(const struct dql *dql)
{
	return (int)(READ_ONCE(dql->adj_limit) - READ_ONCE(dql->num_queued));
}

/**
 * dql_completed - record @count objects retired and recompute the limit
 * (R-BQL-6). Completing more than is in flight is a BUG (R-BQL-5); in
 * warn/off mode the call is refused and nothing changes.
 * Context: serialised with other dql_completed() calls on @dql.
 */
UNETDEV_API void dql_completed(struct dql *dql, unsigned int count);
/** dql_reset - zero the counters and the limit (limit = min_limit = 0). */
UNETDEV_API void dql_reset(struct dql *dql);
/** dql_init - max_limit DQL_MAX_LIMIT, min_limit 0, @hold_time jiffies, then reset (R-BQL-1). */
UNETDEV_API void dql_init(struct dql *dql, unsigned int hold_time);
/**
 * dql_check - the invariants of @dql (STYLE.md "Invariants are code"):
 * min_limit <= limit <= max_limit <= DQL_MAX_LIMIT, no more completed than
 * queued, and adj_limit == limit + num_completed. Returns true when they
 * hold. Context: @dql quiescent (no concurrent queue/complete).
 */
UNETDEV_API bool dql_check(const struct dql *dql);

#endif
