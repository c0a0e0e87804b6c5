/* SPDX-License-Identifier: MIT */
/*
 * sch_generic.h - struct Qdisc and its ops (kernel include/net/sch_generic.h),
 * internal to the core. Rules R-Q, R-UP-8/9, R-REG-14.
 *
 * The control plane needs only the objects and their life cycle: the static
 * noop and noqueue qdiscs, default qdiscs created per queue at dev_activate()
 * and released at dev_shutdown(). The datapath fills in enqueue/dequeue,
 * the packet rings and the run loop; the fields it will need are already here
 * so that growing the layer does not change its shape.
 */
#ifndef UNETDEV_SCH_GENERIC_H
#define UNETDEV_SCH_GENERIC_H

#include "internal.h"

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

/* The builtin qdiscs (TCQ_F_BUILTIN): shared by every device. */
UNETDEV_INTERNAL extern struct Qdisc unetdev__noop_qdisc;
UNETDEV_INTERNAL extern struct Qdisc unetdev__noqueue_qdisc;
#define noop_qdisc    unetdev__noop_qdisc
#define noqueue_qdisc unetdev__noqueue_qdisc

/*
 * unetdev__netif_schedule_queue - the point where the TX softirq will be
 * asked to run @txq's qdisc (kernel netif_schedule_queue / __netif_schedule).
 * There is no qdisc run loop yet, so it does nothing: the datapath plugs
 * __netif_schedule() in here. Callers already call it wherever the kernel
 * reschedules (wake, unfreeze), so that no caller changes then.
 */
UNETDEV_INTERNAL void unetdev__netif_schedule_queue(struct netdev_queue *txq);

#endif
