/* SPDX-License-Identifier: MIT */
/*
 * softnet.h - per-CPU datapath state (kernel struct softnet_data), internal.
 *
 * Engine threads each own one; every other thread lazily owns a private one
 * (process context on a CPU of its own, see engine.h). Only the owner
 * touches poll_list, process_queue, output_queue and the counters; other
 * threads reach an engine CPU through remote_poll and input_pkt_queue, both
 * under a lock, and a kick of its eventfd (the IPI).
 */
#ifndef UNETDEV_SOFTNET_H
#define UNETDEV_SOFTNET_H

#include <unetdev/engine.h>
#include <unetdev/napi.h>

#include "internal.h"

struct Qdisc;
struct timespec;
struct netdev_xmit_flush;

/* A FIFO of skbs linked through skb->next (the kernel's sk_buff_head). */
struct unetdev__skb_queue {
	struct sk_buff *head, *tail;
	unsigned int len;
};

static inline void unetdev__skbq_init(struct unetdev__skb_queue *q)
{
	q->head = q->tail = NULL;
	q->len = 0;
}

static inline void unetdev__skbq_tail(struct unetdev__skb_queue *q, struct sk_buff *skb)
{
	skb->next = NULL;
	if (q->tail)
		q->tail->next = skb;
	else
		q->head = skb;
	q->tail = skb;
	q->len++;
}

static inline struct sk_buff *unetdev__skbq_dequeue(struct unetdev__skb_queue *q)
{
	struct sk_buff *skb = q->head;

	if (!skb)
		return NULL;
	q->head = skb->next;
	if (!q->head)
		q->tail = NULL;
	skb->next = NULL;
	q->len--;
	return skb;
}

/* Move all of @from to the tail of @to. */
static inline void unetdev__skbq_splice_tail(struct unetdev__skb_queue *from,
					     struct unetdev__skb_queue *to)
{
	if (!from->head)
		return;
	if (to->tail)
		to->tail->next = from->head;
	else
		to->head = from->head;
	to->tail = from->tail;
	to->len += from->len;
	unetdev__skbq_init(from);
}

struct softnet_data {
	/* Owner-only. */
	struct list_head poll_list;
	struct unetdev__skb_queue process_queue;
	struct napi_struct backlog;
	struct Qdisc *output_queue;
	struct Qdisc **output_queue_tailp;
	unsigned long processed, time_squeeze, dropped;
	unsigned long backlog_flush_done;	   /* R-BL-6: last flush request served (atomic) */
	struct netdev_xmit_flush *xmit_flush_list; /* deferred doorbells (xmit_flush.c) */
	struct softnet_data *next_lender;
	/* The skb cache (skbuff.c, the kernel's napi_skb_cache): freed skbs with their
	 * data block, linked through skb->next. LIFO; a FIFO quarantine while the
	 * contract checker is on. Not counted as live allocations. */
	struct sk_buff *skb_cache_head, *skb_cache_tail;
	unsigned int skb_cache_len;
	int cpu; /* engine CPU id, -1 for a thread's private softnet */
	bool in_net_rx_action;
	bool initialised;
	bool ksoftirqd;	    /* the process's ksoftirqd thread's softnet (ksoftirqd.c) */
	bool exiting;	    /* private: the owner thread is exiting (key destructor) */
	bool backlog_lent;  /* private: the backlog NAPI was handed to a ksoftirqd */
	bool lender;	    /* private: on ksoftirqd.c's list of lenders (flush_all_backlogs) */
	bool skb_cache_off; /* the owner thread is exiting: free to the heap */

	/* Shared: under @lock. */
	bool remote_poll_pending; /* remote_poll non-empty: set under lock, peeked atomically */
	spinlock_t lock;
	struct list_head remote_poll;		   /* NAPIs scheduled here by other threads */
	struct unetdev__skb_queue input_pkt_queue; /* the backlog (R-BL) */
	unsigned long pending;			   /* softirq bits, atomic */
	struct Qdisc *remote_output;		   /* qdiscs handed over by wakeup_softirqd */
	struct Qdisc **remote_output_tailp;

	/* Engine CPUs only. */
	int epfd, kickfd;
	unsigned long owner_token; /* thread currently acting as this CPU, 0 if none */
	pthread_t thread;
	pthread_mutex_t irq_lock; /* serialises handler dispatch against unetdev_irq_free */
	struct list_head irqs;
	struct list_head dead_irqs;
	/* NAPI deferral timers armed here (napi_defer.c, the hrtimer base). */
	spinlock_t napi_timer_lock;
	struct list_head napi_timers;	/* napi_timer_lock */
	unsigned int napi_timers_armed; /* atomic: a peek for the engine loop */
	unsigned int busy_rounds;	/* owner: rounds since the last epoll_wait */
	bool kicked; /* atomic: kickfd written and not yet consumed (no second write) */
	bool has_thread, stop;
	bool busy_poll; /* re-poll deferred NAPIs instead of waiting */
};

/* The calling thread's softnet (its engine CPU's, or its private one). */
UNETDEV_INTERNAL struct softnet_data *unetdev__this_softnet_slow(void);
extern UNETDEV_INTERNAL UNETDEV_TLS struct softnet_data *unetdev__cur_sd;

static inline struct softnet_data *unetdev__this_softnet(void)
{
	struct softnet_data *sd = unetdev__cur_sd;

	return likely(sd) ? sd : unetdev__this_softnet_slow();
}
/* skbuff.c: free what @sd's skb cache holds; @off: and cache nothing more. */
UNETDEV_INTERNAL void unetdev__skb_cache_drain(struct softnet_data *sd, bool off);
/* Engine CPU @cpu's softnet, or NULL when no such CPU exists. */
UNETDEV_INTERNAL struct softnet_data *unetdev__cpu_softnet(int cpu);
UNETDEV_INTERNAL bool unetdev__softnet_is_mine(const struct softnet_data *sd);
/* Mark @nr pending on @sd; kicks the owner thread if it is not the caller. */
UNETDEV_INTERNAL void unetdev__raise_softirq_on(struct softnet_data *sd, unsigned int nr);
/* Run this thread's pending softirqs now if the context allows (BHs enabled, not nested). */
UNETDEV_INTERNAL void unetdev__do_softirq(void);
UNETDEV_INTERNAL void unetdev__open_softirq(unsigned int nr, void (*action)(struct softnet_data *));
/* Splice NAPIs other threads scheduled on @sd into its poll list (owner only). */
UNETDEV_INTERNAL void unetdev__take_remote_poll(struct softnet_data *sd);

/* napi.c */
UNETDEV_INTERNAL int unetdev__napi_poll(struct napi_struct *n, bool *repoll);
/* enqueue_to_backlog: consumes @skb; NET_RX_SUCCESS or NET_RX_DROP (R-BL). */
UNETDEV_INTERNAL int unetdev__enqueue_to_backlog(struct sk_buff *skb, struct softnet_data *sd);
UNETDEV_INTERNAL void unetdev__flush_backlog(struct softnet_data *sd, struct net_device *dev);
/* dev_cpu_dead (R-BL-6), for engine stop: take the backlog of @sd, whose thread has
 * exited, into @q; then, without engine locks held, re-inject @q with netif_rx. */
UNETDEV_INTERNAL void unetdev__backlog_cpu_dead(struct softnet_data *sd,
						struct unetdev__skb_queue *q);
UNETDEV_INTERNAL void unetdev__backlog_reinject(struct unetdev__skb_queue *q);
/* napi_threaded.c */
UNETDEV_INTERNAL int unetdev__napi_thread_create(struct napi_struct *n);
UNETDEV_INTERNAL void unetdev__napi_thread_wake(struct napi_struct *n);
UNETDEV_INTERNAL void unetdev__napi_thread_stop(struct napi_struct *n);
UNETDEV_INTERNAL void unetdev__softnet_init_backlog(struct softnet_data *sd);
UNETDEV_INTERNAL void unetdev__net_rx_action(struct softnet_data *sd);
/*
 * ksoftirqd.c. wakeup_softirqd: move what is still pending on the calling
 * thread's private softnet @sd (it hit the softirq restart limits) to a
 * ksoftirqd: the engine CPU the thread maps to, or the process's ksoftirqd
 * thread. Context: process, BHs enabled, not in a softirq.
 */
UNETDEV_INTERNAL void unetdev__wakeup_softirqd(struct softnet_data *sd);
/* Splice the qdiscs handed to @sd into its output queue (owner only). */
UNETDEV_INTERNAL void unetdev__take_remote_output(struct softnet_data *sd);
/* Put a chain of scheduled qdiscs (SCHED set, linked by next_sched) on this thread's output queue.
 */
UNETDEV_INTERNAL void unetdev__output_queue_adopt(struct Qdisc *head);
/* flush_all_backlogs: call @fn for every private softnet whose backlog may be lent,
 * and for the ksoftirqd thread's softnet (under the lenders' lock). */
UNETDEV_INTERNAL void
unetdev__ksoftirqd_for_each_backlog(void (*fn)(struct softnet_data *sd, void *arg), void *arg);
/* Thread exit: wait until a lent backlog came back (its SCHED bit is clear), leave the list. */
UNETDEV_INTERNAL void unetdev__ksoftirqd_softnet_exit(struct softnet_data *sd);
/* engine.c: take a kick (read the eventfd, let the next kick write it again); owner only. */
UNETDEV_INTERNAL void unetdev__kick_consume(struct softnet_data *sd);
/* engine.c: one softirq round of a CPU-like softnet: NAPIs handed over, then __do_softirq. */
UNETDEV_INTERNAL void unetdev__softnet_round(struct softnet_data *sd);
/* engine.c: set up @sd (a static softnet) as the calling thread's own, with a kick eventfd. */
UNETDEV_INTERNAL int unetdev__softnet_become_ksoftirqd(struct softnet_data *sd);
/* engine.c: with the engine lock (try-locked: never waits), run @fn on the engine CPU
 * @token maps to (token % ncpus) if its engine thread runs. False if it did not. */
UNETDEV_INTERNAL bool unetdev__with_engine_cpu(unsigned long token,
					       void (*fn)(struct softnet_data *sd, void *arg),
					       void *arg);
/* unetdev_softnet_stat: add the ksoftirqd thread's counters. */
UNETDEV_INTERNAL void unetdev__ksoftirqd_softnet_stat(struct unetdev_softnet_stat *sum);
/* qdisc_run.c: the process-wide setup of the TX RCU readers (membarrier), done once. */
UNETDEV_INTERNAL void unetdev__tx_rcu_prepare(void);
/* qdisc_run.c: free this thread's dev_kfree_skb_irq completion queue. */
UNETDEV_INTERNAL void unetdev__free_completion_queue(void);
/* napi_defer.c: the deferral timers of an engine CPU (owner: wait, run; any: init). */
UNETDEV_INTERNAL void unetdev__napi_timers_init(struct softnet_data *sd);
/* How long the engine loop may wait in epoll: @timeout_ms capped by the next timer;
 * NULL = forever. False: busy poll, do not wait at all this round. */
UNETDEV_INTERNAL bool unetdev__napi_timers_wait(struct softnet_data *sd, int timeout_ms,
						struct timespec *ts, struct timespec **tsp);
/* Fire the expired timers (all of them in busy-poll mode): napi_watchdog. */
UNETDEV_INTERNAL void unetdev__napi_timers_run(struct softnet_data *sd);
/* Engine stop: a stopped CPU's armed timers, taken, then fired by the stopping thread. */
UNETDEV_INTERNAL void unetdev__napi_timers_cpu_dead(struct softnet_data *sd,
						    struct list_head *expired);
UNETDEV_INTERNAL void unetdev__napi_timers_fire(struct list_head *expired);
/* napi_complete_done's deferral part: the timeout to arm << 1, | 1 while deferring. */
UNETDEV_INTERNAL unsigned long unetdev__napi_defer(struct napi_struct *n, int work_done);
UNETDEV_INTERNAL void unetdev__napi_timer_start(struct napi_struct *n, unsigned long ns);
UNETDEV_INTERNAL void unetdev__napi_timer_cancel(struct napi_struct *n);
UNETDEV_INTERNAL void unetdev__napi_defer_init(struct napi_struct *n, struct net_device *dev);
static inline bool unetdev__napi_defer_on(const struct napi_struct *n)
{
	/* A count left from an earlier setting only moves on: skipping it is unobservable
	 * but for the count itself (with no timeout, the kernel neither defers nor arms). */
	return READ_ONCE(n->gro_flush_timeout) | (unsigned long)READ_ONCE(n->defer_hard_irqs);
}

/* xmit_flush.c: ring the doorbells deferred on @sd (owner only). */
UNETDEV_INTERNAL void unetdev__xmit_flush(struct softnet_data *sd);

#endif
