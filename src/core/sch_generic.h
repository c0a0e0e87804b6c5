/* SPDX-License-Identifier: MIT */
/*
 * sch_generic.h - struct Qdisc and its ops (kernel include/net/sch_generic.h),
 * internal to the core. Rules R-Q, R-UP-8/9, R-REG-14.
 *
 * Objects and life cycle (sch_generic.c), pfifo_fast (sch_pfifo_fast.c),
 * the run loop and the TX softirq (qdisc_run.c), the transmit entry points
 * (xmit.c).
 *
 * Locking (the 2013 model, one root lock per qdisc): @lock protects the
 * packet storage, the requeue lists, qlen/backlog and the counters. The
 * RUNNING bit makes one thread the dequeuer (R-Q-6); it is set and cleared
 * with @lock held, so an enqueuer that fails to take it knows the runner will
 * see its packet. The runner drops @lock around the driver call
 * (sch_direct_xmit, R-Q-9).
 */
#ifndef UNETDEV_SCH_GENERIC_H
#define UNETDEV_SCH_GENERIC_H

#include "softnet.h"

struct Qdisc;

/* Qdisc flags (TCQ_F_*), same meaning as the kernel's. */
#define TCQ_F_BUILTIN	 0x01  /* static object: never allocated, never freed */
#define TCQ_F_CAN_BYPASS 0x04  /* an empty, idle qdisc may be bypassed (R-Q-5) */
#define TCQ_F_ONETXQUEUE 0x10  /* the device has a single TX queue */
#define TCQ_F_NOPARENT	 0x40  /* root qdisc of its queue */
#define TCQ_F_NOLOCK	 0x100 /* lockless qdisc (modern pfifo_fast) */

/* Qdisc state bits (__QDISC_STATE_*). */
enum qdisc_state_t {
	__QDISC_STATE_SCHED,	   /* on a CPU's output queue (R-Q-10) */
	__QDISC_STATE_DEACTIVATED, /* new packets are dropped (R-Q-2) */
	__QDISC_STATE_MISSED,
	__QDISC_STATE_RUNNING, /* a CPU is running it (R-Q-6) */
};

/**
 * struct Qdisc_ops - a queueing discipline's behaviour.
 * @id: the kind shown by "ip link" ("noop", "noqueue", "pfifo_fast", "mq").
 * @enqueue: Context: BHs disabled, qdisc lock held unless TCQ_F_NOLOCK.
 *	Consumes @skb (freed skbs are chained on @to_free). NULL means the
 *	qdisc does not queue: the transmit path calls the driver directly.
 * @init: Context: rtnl held. Returns 0 or -errno; on error @destroy is not called.
 * @attach: graft children onto the device queues (mq).
 * @reset: drop everything queued (R-Q-11). Context: rtnl held, qdisc idle.
 * @destroy: release private state before the qdisc memory is freed.
 */
struct Qdisc_ops {
	const char *id;
	size_t priv_size;
	int (*enqueue)(struct sk_buff *skb, struct Qdisc *q, struct sk_buff **to_free);
	struct sk_buff *(*dequeue)(struct Qdisc *q);
	int (*init)(struct Qdisc *q);
	void (*attach)(struct Qdisc *q);
	void (*reset)(struct Qdisc *q);
	void (*destroy)(struct Qdisc *q);
};

/**
 * struct Qdisc - one queueing discipline instance.
 * @enqueue/@dequeue: copies of the ops' members (the kernel caches them on
 *	the hot path; a NULL @enqueue marks noqueue).
 * @dev_queue: the TX queue it serves (for the root of a multi-queue device,
 *	queue 0).
 * @refcnt: holders (queue pointers, dev->qdisc); builtins are not counted.
 */
struct Qdisc {
	int (*enqueue)(struct sk_buff *skb, struct Qdisc *q, struct sk_buff **to_free);
	struct sk_buff *(*dequeue)(struct Qdisc *q);
	unsigned int flags;
	const struct Qdisc_ops *ops;
	struct netdev_queue *dev_queue;
	unsigned long state; /* __QDISC_STATE_* */
	int refcnt;
	unsigned int qlen;
	unsigned int backlog;
	unsigned long drops;
	unsigned long requeues;
	u64 packets, bytes;		       /* bstats: sent (dequeued or bypassed) */
	spinlock_t lock;		       /* qdisc_lock(), see the file comment */
	struct unetdev__skb_queue gso_skb;     /* requeued after BUSY (R-Q-8/9) */
	struct unetdev__skb_queue skb_bad_txq; /* parked: belonged to another queue */
	struct Qdisc *next_sched;	       /* link on a softnet output queue (R-Q-10) */
	/* R-TX-15, lock-free (xmit_defer.c): skbs waiting for the root lock,
	 * newest first, linked through skb->next; pushes onto a non-empty list. */
	struct sk_buff *defer_list;
	long defer_count;
	unsigned long long priv[] __attribute__((aligned(16)));
};

static inline void *qdisc_priv(struct Qdisc *q)
{
	return q->priv;
}

static inline struct net_device *qdisc_dev(const struct Qdisc *q)
{
	return q->dev_queue->dev;
}

static inline spinlock_t *qdisc_lock(struct Qdisc *q)
{
	return &q->lock;
}

/* qdisc_run_begin/end: the RUNNING bit, taken and dropped under qdisc_lock (R-Q-6). */
static inline bool qdisc_run_begin(struct Qdisc *q) UNETDEV_MUST_HOLD(q->lock)
{
	return !test_and_set_bit(__QDISC_STATE_RUNNING, &q->state);
}
static inline void qdisc_run_end(struct Qdisc *q) UNETDEV_MUST_HOLD(q->lock)
{
	clear_bit(__QDISC_STATE_RUNNING, &q->state);
}
static inline bool qdisc_is_running(const struct Qdisc *q)
{
	return test_bit(__QDISC_STATE_RUNNING, &q->state);
}

/* The queue a (validated) skb belongs to (kernel skb_get_tx_queue). */
static inline struct netdev_queue *skb_get_tx_queue(const struct net_device *dev,
						    const struct sk_buff *skb)
{
	return netdev_get_tx_queue(dev, skb_get_queue_mapping(skb));
}

/* Helpers for the qdisc implementations: counters kept under qdisc_lock. */
static inline void qdisc_bstats_update(struct Qdisc *q, const struct sk_buff *skb)
{
	q->packets += 1;
	q->bytes += skb->len;
}
/* __qdisc_drop: chain @skb on @to_free; freed once the lock is dropped. */
static inline void __qdisc_drop(struct sk_buff *skb, struct sk_buff **to_free)
{
	skb->next = *to_free;
	*to_free = skb;
}
/* qdisc_drop: __qdisc_drop and count it (R-Q-4). */
static inline int qdisc_drop(struct sk_buff *skb, struct Qdisc *q, struct sk_buff **to_free)
{
	__qdisc_drop(skb, to_free);
	q->drops++;
	return NET_XMIT_DROP;
}

/* The builtin qdiscs (TCQ_F_BUILTIN): shared by every device. */
UNETDEV_INTERNAL extern struct Qdisc unetdev__noop_qdisc;
UNETDEV_INTERNAL extern struct Qdisc unetdev__noqueue_qdisc;
#define noop_qdisc    unetdev__noop_qdisc
#define noqueue_qdisc unetdev__noqueue_qdisc

/*
 * unetdev__netif_schedule_queue - ask the TX softirq to run @txq's active
 * qdisc (kernel netif_schedule_queue): used by wake, unfreeze and BQL
 * completion (R-TXQ-3, R-TXQ-7, R-BQL-5).
 */
UNETDEV_INTERNAL void unetdev__netif_schedule_queue(struct netdev_queue *txq);

/* ---- sch_pfifo_fast.c (R-Q-3/4, R-K-14) ---- */
UNETDEV_INTERNAL extern const struct Qdisc_ops unetdev__pfifo_fast_ops;
/* Resize the bands to tx_queue_len (R-MTU-16). Context: rtnl, qdisc deactivated. */
UNETDEV_INTERNAL int unetdev__pfifo_fast_change_tx_queue_len(struct Qdisc *q, unsigned int len);
/* Packets held in the bands (for qdisc_check). Context: qdisc_lock held. */
UNETDEV_INTERNAL unsigned int unetdev__pfifo_fast_count(struct Qdisc *q, unsigned int *bytes);

/* ---- qdisc_run.c (R-Q-5..10) ---- */
/* __netif_schedule (R-Q-10). Context: any; BHs are disabled inside. */
UNETDEV_INTERNAL void unetdev__netif_schedule(struct Qdisc *q);
/* qdisc_run: become the runner if nobody is, and run (R-Q-6/7). */
UNETDEV_INTERNAL void unetdev__qdisc_run(struct Qdisc *q) UNETDEV_MUST_HOLD(q->lock);
/* __qdisc_run: the caller holds RUNNING. */
UNETDEV_INTERNAL void unetdev__qdisc_run_locked(struct Qdisc *q) UNETDEV_MUST_HOLD(q->lock);
/*
 * sch_direct_xmit (R-Q-9): transmit @skb (a list) on @txq with q's lock
 * dropped around validation and the driver. Returns true when the caller may
 * go on dequeueing. Consumes @skb (requeued on BUSY).
 */
UNETDEV_INTERNAL bool unetdev__sch_direct_xmit(struct sk_buff *skb, struct Qdisc *q,
					       struct net_device *dev, struct netdev_queue *txq,
					       bool validate) UNETDEV_MUST_HOLD(q->lock);
/* Free a to_free chain as qdisc drops. */
UNETDEV_INTERNAL void unetdev__qdisc_free_list(struct sk_buff *to_free);
/* Requeued / parked skbs: freed by qdisc_reset. Context: qdisc_lock held. */
UNETDEV_INTERNAL void unetdev__qdisc_purge_lists(struct Qdisc *q, struct sk_buff **to_free)
    UNETDEV_MUST_HOLD(q->lock);

/*
 * The transmit path's RCU (qdisc_run.c): readers are dev_queue_xmit and the
 * wake hook between reading txq->qdisc and finishing with it; the
 * deactivation waits for readers that were inside when it switched the
 * queues to noop. Per-thread counters, no lock: readers nest and run under
 * any lock (a driver waking its queue under its own lock), so a read-side
 * lock would invert lock order.
 */
struct unetdev__tx_rcu_reader {
	struct unetdev__tx_rcu_reader *next;
	unsigned long ctr; /* odd while inside a read section; written by its thread only */
	int nest;
	bool registered;
	bool asym; /* registered, and unetdev__tx_rcu_asym: the section needs no fence */
};
extern UNETDEV_INTERNAL UNETDEV_TLS struct unetdev__tx_rcu_reader unetdev__tx_rcu_me;
/* Grace periods use membarrier(PRIVATE_EXPEDITED): readers need no fence. */
extern UNETDEV_INTERNAL bool unetdev__tx_rcu_asym;
UNETDEV_INTERNAL void unetdev__tx_rcu_register(struct unetdev__tx_rcu_reader *r);
/* The outermost section's entry for a reader that is not r->asym: registers it
 * if needed, then the counter and the fence (qdisc_run.c). */
UNETDEV_INTERNAL void unetdev__tx_rcu_enter_slow(struct unetdev__tx_rcu_reader *r);

static inline void unetdev__tx_rcu_read_lock(void)
{
	struct unetdev__tx_rcu_reader *r = &unetdev__tx_rcu_me;

	if (r->nest++ == 0) {
		/* Only this thread writes ctr: a plain store, ordered before the reads
		 * of the section (txq->qdisc) by the grace period's membarrier when
		 * r->asym (set once, when the thread registers: the flag it copies is
		 * settled before the first registration), else by a full fence. */
		if (likely(r->asym)) {
			unetdev__owner_add((long *)&r->ctr, 1);
			__atomic_signal_fence(__ATOMIC_SEQ_CST);
		} else {
			unetdev__tx_rcu_enter_slow(r);
		}
	}
}

static inline void unetdev__tx_rcu_read_unlock(void)
{
	struct unetdev__tx_rcu_reader *r = &unetdev__tx_rcu_me;

	if (--r->nest == 0)
		unetdev__owner_add_release((long *)&r->ctr, 1);
}
UNETDEV_INTERNAL void unetdev__tx_synchronize_rcu(void);

/* ---- xmit.c ---- */
/* HARD_TX_LOCK / UNLOCK (R-TX-10): __netif_tx_lock inline, only for non-LLTX devices.
 * The _lltx forms take netif_is_lltx(dev) read once by the caller: the
 * transmit path asks four times per packet, and the compiler cannot keep the
 * answer across the lock's atomics and the driver call. */
static inline void unetdev__hard_tx_lock_me(struct netdev_queue *txq, bool lltx,
					    unsigned long me) UNETDEV_NO_TSA
{
	if (!lltx) {
		unetdev__spin_lock_me(&txq->_xmit_lock, me);
		WRITE_ONCE(txq->xmit_lock_owner, (int)unetdev__smp_processor_id()); /* R-TXQ-8 */
	}
}

static inline void unetdev__hard_tx_lock_lltx(struct netdev_queue *txq, bool lltx) UNETDEV_NO_TSA
{
	if (!lltx)
		unetdev__hard_tx_lock_me(txq, lltx, unetdev__this_ctx()->token);
}

static inline void unetdev__hard_tx_unlock_lltx(struct netdev_queue *txq, bool lltx) UNETDEV_NO_TSA
{
	if (!lltx) {
		WRITE_ONCE(txq->xmit_lock_owner, -1);
		unetdev__spin_unlock(&txq->_xmit_lock);
	}
}

static inline void unetdev__hard_tx_lock(struct net_device *dev,
					 struct netdev_queue *txq) UNETDEV_NO_TSA
{
	unetdev__hard_tx_lock_lltx(txq, netif_is_lltx(dev));
}

static inline void unetdev__hard_tx_unlock(struct net_device *dev,
					   struct netdev_queue *txq) UNETDEV_NO_TSA
{
	unetdev__hard_tx_unlock_lltx(txq, netif_is_lltx(dev));
}
/* __dev_xmit_skb's lock-based path with the defer list (R-TX-15, xmit_defer.c). */
UNETDEV_INTERNAL int unetdev__dev_xmit_skb(struct sk_buff *skb, struct Qdisc *q,
					   struct net_device *dev, struct netdev_queue *txq);
/* validate_xmit_skb_list (R-TX-8): consumes @skb, returns what is left to send. */
UNETDEV_INTERNAL struct sk_buff *unetdev__validate_xmit_skb_list(struct sk_buff *skb,
								 struct net_device *dev);
/* dev_hard_start_xmit (R-TX-12/13): returns the unsent rest of @first; *ret the last code. */
UNETDEV_INTERNAL struct sk_buff *unetdev__dev_hard_start_xmit(struct sk_buff *first,
							      struct net_device *dev,
							      struct netdev_queue *txq, int *ret);

#endif
