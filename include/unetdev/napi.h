/* SPDX-License-Identifier: MIT */
/*
 * NAPI (kernel include/linux/netdevice.h, net/core/dev.c). Rules R-NAPI,
 * R-K-26, R-SYNC-8.
 *
 * A NAPI instance is polled in softirq context on the CPU that scheduled it;
 * ownership of the SCHED bit guarantees that at most one poll runs at a
 * time. Created disabled (SCHED|NPSVC set); napi_enable() makes it
 * schedulable; the driver's ndo_stop must napi_disable() it.
 */
#ifndef UNETDEV_NAPI_H
#define UNETDEV_NAPI_H

#include <unetdev/skbuff.h>
#include <unetdev/types.h>

struct net_device;

/* R-K-26, in the kernel's order. */
enum {
	NAPI_STATE_SCHED,
	NAPI_STATE_MISSED,
	NAPI_STATE_DISABLE,
	NAPI_STATE_NPSVC,
	NAPI_STATE_LISTED,
	NAPI_STATE_NO_BUSY_POLL,
	NAPI_STATE_IN_BUSY_POLL,
	NAPI_STATE_PREFER_BUSY_POLL,
	NAPI_STATE_THREADED,
	NAPI_STATE_SCHED_THREADED,
	NAPI_STATE_HAS_NOTIFIER,
	NAPI_STATE_THREADED_BUSY_POLL,
};
#define NAPIF_STATE_SCHED	       BIT(NAPI_STATE_SCHED)
#define NAPIF_STATE_MISSED	       BIT(NAPI_STATE_MISSED)
#define NAPIF_STATE_DISABLE	       BIT(NAPI_STATE_DISABLE)
#define NAPIF_STATE_NPSVC	       BIT(NAPI_STATE_NPSVC)
#define NAPIF_STATE_LISTED	       BIT(NAPI_STATE_LISTED)
#define NAPIF_STATE_NO_BUSY_POLL       BIT(NAPI_STATE_NO_BUSY_POLL)
#define NAPIF_STATE_IN_BUSY_POLL       BIT(NAPI_STATE_IN_BUSY_POLL)
#define NAPIF_STATE_PREFER_BUSY_POLL   BIT(NAPI_STATE_PREFER_BUSY_POLL)
#define NAPIF_STATE_THREADED	       BIT(NAPI_STATE_THREADED)
#define NAPIF_STATE_SCHED_THREADED     BIT(NAPI_STATE_SCHED_THREADED)
#define NAPIF_STATE_THREADED_BUSY_POLL BIT(NAPI_STATE_THREADED_BUSY_POLL)

#define GRO_HASH_BUCKETS 8
#define MAX_GRO_SKBS	 8
#define GRO_NORMAL_BATCH 8

struct unetdev__napi_thread;

/* What napi_gro_receive did with an skb (kernel gro_result_t). */
enum gro_result {
	GRO_MERGED,	 /* merged into a held skb, which keeps the data */
	GRO_MERGED_FREE, /* merged; the skb itself was freed */
	GRO_HELD,	 /* held for later merging */
	GRO_NORMAL,	 /* not merged: on the delivery batch */
	GRO_CONSUMED,
};
typedef enum gro_result gro_result_t;

/* Held GRO skbs of one hash bucket, oldest first, linked through skb->next. */
struct gro_list {
	struct sk_buff *list;
	int count;
};

struct napi_struct {
	struct list_head poll_list; /* on a CPU poll list; only the SCHED owner touches it */
	unsigned long state;	    /* NAPI_STATE_* bits, atomic */
	int weight;
	int (*poll)(struct napi_struct *napi, int budget);
	int list_owner; /* CPU whose poll list holds it, -1 */
	struct net_device *dev;
	struct list_head dev_list; /* dev->napi_list */
	unsigned int napi_id;
	/* Interrupt deferral (R-NAPI-7, net/core/dev.c napi_complete_done): set from
	 * the device's values at netif_napi_add, changed with napi_set_*() or the
	 * device-wide netdev_set_*(). The count belongs to the SCHED owner. */
	unsigned long gro_flush_timeout; /* ns */
	int defer_hard_irqs;
	int defer_hard_irqs_count;
	/* The kernel's hrtimer napi->timer (napi_watchdog), src/core/napi_defer.c:
	 * armed on an engine CPU, under that CPU's timer lock; @base NULL when idle. */
	struct {
		struct list_head node;
		u64 expires; /* unetdev_clock_ns() */
		void *base;
	} timer;
	/* Normal (non-GRO) delivery batch (R-NAPI-17). */
	struct sk_buff *rx_list, *rx_tail;
	int rx_count;
	/* GRO (R-NAPI-17, R-K-19): mergeable TCP skbs held per flow-hash bucket. */
	struct gro_list gro_hash[GRO_HASH_BUCKETS];
	unsigned long gro_bitmask; /* buckets holding skbs */
	/* Context checks: the thread currently inside ->poll, 0 when none. */
	unsigned long poll_token;
	struct unetdev__napi_thread *thread;
};

#define netif_napi_add_weight	      unetdev_netif_napi_add_weight
#define netif_napi_add_tx_weight      unetdev_netif_napi_add_tx_weight
#define netif_napi_del		      unetdev_netif_napi_del
#define napi_enable		      unetdev_napi_enable
#define napi_disable		      unetdev_napi_disable
#define napi_schedule_prep	      unetdev_napi_schedule_prep
#define __napi_schedule		      unetdev___napi_schedule
#define napi_complete_done	      unetdev_napi_complete_done
#define napi_synchronize	      unetdev_napi_synchronize
#define napi_if_scheduled_mark_missed unetdev_napi_if_scheduled_mark_missed
#define dev_set_threaded	      unetdev_dev_set_threaded
#define napi_busy_loop		      unetdev_napi_busy_loop
#define napi_gro_receive	      unetdev_napi_gro_receive
#define napi_gro_flush		      unetdev_napi_gro_flush
#define napi_gro_check		      unetdev_napi_gro_check
#define netdev_set_defer_hard_irqs    unetdev_netdev_set_defer_hard_irqs
#define netdev_set_gro_flush_timeout  unetdev_netdev_set_gro_flush_timeout

/**
 * netif_napi_add_weight - list @napi on @dev, created disabled (R-NAPI-1).
 * A weight above 64 is accepted with an error logged once. Context: process.
 */
UNETDEV_API void netif_napi_add_weight(struct net_device *dev, struct napi_struct *napi,
				       int (*poll)(struct napi_struct *, int), int weight);
/** netif_napi_add_tx_weight - same, never busy-polled (R-NAPI-2). */
UNETDEV_API void netif_napi_add_tx_weight(struct net_device *dev, struct napi_struct *napi,
					  int (*poll)(struct napi_struct *, int), int weight);
/** netif_napi_del - unlist a disabled instance (R-NAPI-15). Context: process. */
UNETDEV_API void netif_napi_del(struct napi_struct *napi);
/** napi_enable - R-NAPI-3. Context: process or BH. */
UNETDEV_API void napi_enable(struct napi_struct *napi);
/** napi_disable - wait until no poll runs and forbid new ones (R-NAPI-4). Context: process. */
UNETDEV_API void napi_disable(struct napi_struct *napi);
/** napi_schedule_prep - take the SCHED bit, or mark MISSED (R-NAPI-5). Context: any. */
UNETDEV_API bool napi_schedule_prep(struct napi_struct *napi);
/** __napi_schedule - queue on this CPU's poll list and raise NET_RX (R-NAPI-6). */
UNETDEV_API void __napi_schedule(struct napi_struct *napi);
/**
 * napi_complete_done - the poll finished with @work_done < budget (R-NAPI-7).
 * Returns true when the driver may re-enable its interrupt. Context: inside
 * the instance's own ->poll only (reported otherwise).
 */
UNETDEV_API bool napi_complete_done(struct napi_struct *napi, int work_done);
/** napi_synchronize - wait while SCHED is set (R-NAPI-12). Context: process. */
UNETDEV_API void napi_synchronize(const struct napi_struct *napi);
/** napi_if_scheduled_mark_missed - R-NAPI-13. */
UNETDEV_API bool napi_if_scheduled_mark_missed(struct napi_struct *napi);
/** dev_set_threaded - poll every NAPI of @dev in its own thread (R-NAPI-14). Context: rtnl. */
UNETDEV_API int dev_set_threaded(struct net_device *dev, bool threaded);
/**
 * napi_busy_loop - poll @napi from the calling thread while @loop_end returns
 * false (R-NAPI-18). Returns false if the instance could not be owned.
 */
UNETDEV_API bool napi_busy_loop(struct napi_struct *napi, bool (*loop_end)(void *arg), void *arg,
				int budget);
/**
 * napi_gro_receive - merge @skb into a held TCP flow, hold it, or put it on the
 * delivery batch (R-NAPI-17). skb->data at the network header (eth_type_trans
 * done), skb->protocol set. Returns a gro_result_t. Consumes @skb. Context: poll.
 */
UNETDEV_API int napi_gro_receive(struct napi_struct *napi, struct sk_buff *skb);
/** napi_gro_flush - deliver what the instance holds: GRO skbs, then the batch. */
UNETDEV_API void napi_gro_flush(struct napi_struct *napi);
/**
 * napi_gro_check - the GRO invariant (src/core/gro.c): every bucket holds at
 * most MAX_GRO_SKBS skbs, its count matches its list, gro_bitmask has exactly
 * the non-empty buckets, every held skb hashes to its bucket. Context: the
 * instance's poll, or while it cannot run.
 */
UNETDEV_API bool napi_gro_check(const struct napi_struct *napi);

/**
 * netdev_set_defer_hard_irqs - the device's napi_defer_hard_irqs, and every
 * NAPI instance's (kernel sysfs napi_defer_hard_irqs): how many empty polls
 * in a row napi_complete_done() answers false, keeping the interrupt masked
 * and re-polling after gro_flush_timeout ns, before it lets the driver unmask.
 * 0..S32_MAX, else -ERANGE. Context: rtnl.
 */
UNETDEV_API int netdev_set_defer_hard_irqs(struct net_device *dev, u32 defer);
/**
 * netdev_set_gro_flush_timeout - the device's gro_flush_timeout (ns), and every
 * NAPI instance's: the deferral timer's period; with packets held by GRO also
 * the age at which they are flushed. Context: rtnl.
 */
UNETDEV_API int netdev_set_gro_flush_timeout(struct net_device *dev, unsigned long timeout);

/* net/core/dev.h: the per-instance values (napi-set over netdev netlink). */
static inline u32 napi_get_defer_hard_irqs(const struct napi_struct *n)
{
	return (u32)READ_ONCE(n->defer_hard_irqs);
}
static inline void napi_set_defer_hard_irqs(struct napi_struct *n, u32 defer)
{
	WRITE_ONCE(n->defer_hard_irqs, (int)defer);
}
static inline unsigned long napi_get_gro_flush_timeout(const struct napi_struct *n)
{
	return READ_ONCE(n->gro_flush_timeout);
}
static inline void napi_set_gro_flush_timeout(struct napi_struct *n, unsigned long timeout)
{
	WRITE_ONCE(n->gro_flush_timeout, timeout);
}
/* The deferral timer is armed (a hint outside the instance's poll). */
static inline bool napi_timer_armed(const struct napi_struct *n)
{
	return READ_ONCE(n->timer.base) != NULL;
}

static inline void netif_napi_add(struct net_device *dev, struct napi_struct *napi,
				  int (*poll)(struct napi_struct *, int))
{
	netif_napi_add_weight(dev, napi, poll, 64);
}
static inline void netif_napi_add_tx(struct net_device *dev, struct napi_struct *napi,
				     int (*poll)(struct napi_struct *, int))
{
	netif_napi_add_tx_weight(dev, napi, poll, 64);
}
static inline bool napi_schedule(struct napi_struct *n)
{
	if (napi_schedule_prep(n)) {
		__napi_schedule(n);
		return true;
	}
	return false;
}
static inline bool napi_complete(struct napi_struct *n)
{
	return napi_complete_done(n, 0);
}
static inline bool napi_is_scheduled(const struct napi_struct *n)
{
	return test_bit(NAPI_STATE_SCHED, &n->state);
}
static inline bool napi_disable_pending(const struct napi_struct *n)
{
	return test_bit(NAPI_STATE_DISABLE, &n->state);
}

#endif
