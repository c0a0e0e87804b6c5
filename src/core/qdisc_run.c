// SPDX-License-Identifier: MIT
/*
 * qdisc_run.c - the dequeue half of the qdisc layer (kernel
 * net/sched/sch_generic.c: dequeue_skb, try_bulk_dequeue_skb[_slow],
 * dev_requeue_skb, sch_direct_xmit, qdisc_restart, __qdisc_run) and the TX
 * softirq (net/core/dev.c: __netif_schedule, net_tx_action,
 * dev_kfree_skb_irq). Rules R-Q-6..10, R-TX-11 [C13] (NETDEV_TX_LOCKED).
 *
 * The 2013 structure: a root lock per qdisc and a RUNNING bit, both taken by
 * the enqueuer (xmit.c __dev_xmit_skb) or the TX softirq; the runner drops the
 * lock around the driver. See sch_generic.h for the locking rules.
 *
 * "This CPU" is the calling thread (engine thread or application thread with
 * its private softnet): __netif_schedule puts a qdisc on that thread's
 * output queue, and the thread runs it when it leaves its BH-disabled
 * section (engine.h).
 */
#include <linux/membarrier.h>
#include <sched.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "ndo.h"
#include "sch_generic.h"

#define DEV_TX_WEIGHT 64 /* dev_tx_weight = weight_p(64) * dev_weight_tx_bias(1) */
#define BULK_SLOW_MAX 8	 /* try_bulk_dequeue_skb_slow: up to 8 extra skbs */

/* The per-CPU softnet_data.cpu_collision counter (R-TX-11 [C13]). */
static unsigned long cpu_collision[UNETDEV_MAX_CPUS];

/* softnet_data.completion_queue: a "CPU" is a thread, so it lives in TLS. */
static UNETDEV_TLS struct sk_buff *completion_queue;

unsigned long unetdev_tx_cpu_collisions(void)
{
	unsigned long sum = 0;

	for (int i = 0; i < UNETDEV_MAX_CPUS; i++)
		sum += __atomic_load_n(&cpu_collision[i], __ATOMIC_RELAXED);
	return sum;
}

void unetdev__qdisc_free_list(struct sk_buff *to_free)
{
	while (to_free) {
		struct sk_buff *next = to_free->next;

		to_free->next = NULL;
		kfree_skb_reason(to_free, SKB_DROP_REASON_QDISC_DROP);
		to_free = next;
	}
}

void unetdev__qdisc_purge_lists(struct Qdisc *q, struct sk_buff **to_free)
{
	struct sk_buff *skb;

	while ((skb = unetdev__skbq_dequeue(&q->gso_skb)))
		__qdisc_drop(skb, to_free);
	while ((skb = unetdev__skbq_dequeue(&q->skb_bad_txq)))
		__qdisc_drop(skb, to_free);
}

/* ---- the transmit path's RCU (see sch_generic.h) ---- */

static pthread_mutex_t tx_rcu_lock = PTHREAD_MUTEX_INITIALIZER; /* the reader list */
static struct unetdev__tx_rcu_reader *tx_rcu_readers;
static pthread_key_t tx_rcu_key;
static pthread_once_t tx_rcu_once = PTHREAD_ONCE_INIT;
UNETDEV_TLS struct unetdev__tx_rcu_reader unetdev__tx_rcu_me; /* TLS outlives the key destructor */
#define tx_rcu_me unetdev__tx_rcu_me

static void tx_drain_on_exit(void);

/*
 * Thread exit (key destructor, TLS still valid): leave the reader list, and
 * run what this thread still has on its private output/completion queues -
 * nobody else would, and dev_deactivate waits for scheduled qdiscs (the
 * kernel moves a dead CPU's queues to a live one, dev_cpu_dead).
 */
static void tx_rcu_unregister(void *arg)
{
	struct unetdev__tx_rcu_reader *r = arg, **pp;

	tx_drain_on_exit();
	pthread_mutex_lock(&tx_rcu_lock);
	for (pp = &tx_rcu_readers; *pp; pp = &(*pp)->next)
		if (*pp == r) {
			*pp = r->next;
			break;
		}
	pthread_mutex_unlock(&tx_rcu_lock);
}

/* Readers skip their fence when the grace period can use membarrier (below). */
bool unetdev__tx_rcu_asym;

static void tx_rcu_key_init(void)
{
	pthread_key_create(&tx_rcu_key, tx_rcu_unregister);
	if (syscall(SYS_membarrier, MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED, 0, 0) == 0)
		__atomic_store_n(&unetdev__tx_rcu_asym, true, __ATOMIC_RELAXED);
}

void unetdev__tx_rcu_prepare(void)
{
	pthread_once(&tx_rcu_once, tx_rcu_key_init);
}

void unetdev__tx_rcu_register(struct unetdev__tx_rcu_reader *r)
{
	pthread_once(&tx_rcu_once, tx_rcu_key_init);
	pthread_mutex_lock(&tx_rcu_lock);
	r->next = tx_rcu_readers;
	tx_rcu_readers = r;
	pthread_mutex_unlock(&tx_rcu_lock);
	pthread_setspecific(tx_rcu_key, r);
	r->registered = true;
	r->asym = __atomic_load_n(&unetdev__tx_rcu_asym, __ATOMIC_RELAXED);
}

void unetdev__tx_rcu_enter_slow(struct unetdev__tx_rcu_reader *r)
{
	if (!r->registered)
		unetdev__tx_rcu_register(r);
	unetdev__owner_add((long *)&r->ctr, 1);
	if (r->asym)
		__atomic_signal_fence(__ATOMIC_SEQ_CST);
	else
		__atomic_thread_fence(__ATOMIC_SEQ_CST);
}

/* Wait until every reader inside a section when this began has left it. */
void unetdev__tx_synchronize_rcu(void)
{
	pthread_mutex_lock(&tx_rcu_lock);
	/* After the writer's pointer updates, before reading the counters: a full
	 * barrier here and, when readers skip theirs, on every running thread of
	 * the process (urcu's membarrier flavour). A reader on the list registered
	 * after the flag was set (the same lock), so it is read here. */
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	if (__atomic_load_n(&unetdev__tx_rcu_asym, __ATOMIC_RELAXED) &&
	    syscall(SYS_membarrier, MEMBARRIER_CMD_PRIVATE_EXPEDITED, 0, 0) != 0) {
		/* cannot fail once registered; readers rely on it, so never go on */
		unetdev__log(0, "tx rcu: membarrier failed after registration");
		abort();
	}
	for (struct unetdev__tx_rcu_reader *r = tx_rcu_readers; r; r = r->next) {
		unsigned long c = __atomic_load_n(&r->ctr, __ATOMIC_ACQUIRE);

		if (r == &tx_rcu_me)
			continue; /* our own section cannot be waited for */
		while ((c & 1) && __atomic_load_n(&r->ctr, __ATOMIC_ACQUIRE) == c)
			sched_yield();
	}
	pthread_mutex_unlock(&tx_rcu_lock);
}

/* ---- __netif_schedule and the TX softirq (R-Q-10) ---- */

static void netif_reschedule(struct Qdisc *q)
{
	struct softnet_data *sd;

	local_bh_disable(); /* the kernel's local_irq_save: the output queue is ours */
	sd = unetdev__this_softnet();
	q->next_sched = NULL;
	*sd->output_queue_tailp = q;
	sd->output_queue_tailp = &q->next_sched;
	unetdev__raise_softirq_on(sd, NET_TX_SOFTIRQ);
	local_bh_enable();
}

void unetdev__netif_schedule(struct Qdisc *q)
{
	if (!test_and_set_bit(__QDISC_STATE_SCHED, &q->state))
		netif_reschedule(q);
}

/*
 * Run one scheduled qdisc. SCHED is cleared before running (R-Q-10), inside
 * the same lock section as qdisc_run_begin, which dev_deactivate relies on.
 * The lock is only tried, as the kernel does, and the qdisc rescheduled on
 * contention: every softnet has a later round (an engine CPU's next one, or
 * the ksoftirqd an application thread hands its leftovers to, ksoftirqd.c).
 */
static void tx_action_one(struct Qdisc *q) UNETDEV_NO_TSA /* conditional lock */
{
	if (!spin_trylock(&q->lock)) {
		if (!test_bit(__QDISC_STATE_DEACTIVATED, &q->state))
			netif_reschedule(q); /* SCHED stays set */
		else
			clear_bit(__QDISC_STATE_SCHED, &q->state);
		return;
	}
	smp_mb();
	clear_bit(__QDISC_STATE_SCHED, &q->state);
	unetdev__qdisc_run(q);
	spin_unlock(&q->lock);
}

static void run_output_queue(struct softnet_data *sd)
{
	struct Qdisc *head = sd->output_queue;

	sd->output_queue = NULL;
	sd->output_queue_tailp = &sd->output_queue;
	while (head) {
		struct Qdisc *q = head;

		head = head->next_sched; /* before SCHED is cleared and q may be re-queued */
		tx_action_one(q);
	}
}

void unetdev__free_completion_queue(void)
{
	struct sk_buff *clist = completion_queue;

	completion_queue = NULL;
	while (clist) {
		struct sk_buff *skb = clist;

		clist = clist->next;
		skb->next = NULL;
		consume_skb(skb);
	}
}

/*
 * net_tx_action (R-Q-10). A qdisc that rescheduled itself (quota, requeue)
 * waits for the next softirq round: the restart loop of __do_softirq, then
 * ksoftirqd (engine.c, ksoftirqd.c).
 */
static void net_tx_action(struct softnet_data *sd)
{
	unetdev__free_completion_queue();
	unetdev__take_remote_output(sd); /* qdiscs handed over by wakeup_softirqd */
	if (sd->output_queue)
		run_output_queue(sd);
	if (sd->output_queue)
		__atomic_fetch_or(&sd->pending, 1UL << NET_TX_SOFTIRQ, __ATOMIC_RELEASE);
}

__attribute__((constructor)) static void net_tx_action_register(void)
{
	unetdev__open_softirq(NET_TX_SOFTIRQ, net_tx_action);
}

static void tx_drain_on_exit(void)
{
	struct softnet_data *sd = unetdev__this_softnet();

	for (int i = 0; i < 1000 && (sd->output_queue || completion_queue); i++) {
		__atomic_fetch_or(&sd->pending, 1UL << NET_TX_SOFTIRQ, __ATOMIC_RELEASE);
		unetdev__do_softirq();
		if (sd->output_queue)
			sched_yield(); /* a lock holder elsewhere must make progress */
	}
}

void unetdev_dev_kfree_skb_irq(struct sk_buff *skb)
{
	if (!skb)
		return;
	if (unlikely(!tx_rcu_me.registered))
		unetdev__tx_rcu_register(&tx_rcu_me); /* for the exit-time drain */
	if (skb_shared(skb)) {			      /* not the last user: just drop ours */
		consume_skb(skb);
		return;
	}
	local_bh_disable();
	skb->next = completion_queue;
	completion_queue = skb;
	unetdev__raise_softirq_on(unetdev__this_softnet(), NET_TX_SOFTIRQ);
	local_bh_enable();
}

/* ---- dequeue (R-Q-8) ---- */

/* Requeued skbs first, unless their queue is frozen or stopped. */
static struct sk_buff *dequeue_requeued(struct Qdisc *q)
{
	struct sk_buff *skb = q->gso_skb.head;

	if (netif_xmit_frozen_or_stopped(skb_get_tx_queue(qdisc_dev(q), skb)))
		return NULL;
	skb = unetdev__skbq_dequeue(&q->gso_skb);
	q->qlen--;
	q->backlog -= skb->len;
	return skb;
}

#define SKB_XOFF_MAGIC ((struct sk_buff *)1UL)

/* Then skbs parked because they belonged to another queue. */
static struct sk_buff *dequeue_bad_txq(struct Qdisc *q)
{
	struct sk_buff *skb = q->skb_bad_txq.head;

	if (!skb)
		return NULL;
	if (netif_xmit_frozen_or_stopped(skb_get_tx_queue(qdisc_dev(q), skb)))
		return SKB_XOFF_MAGIC;
	skb = unetdev__skbq_dequeue(&q->skb_bad_txq);
	q->qlen--;
	q->backlog -= skb->len;
	return skb;
}

/* Bulk: chain more skbs while the queue's BQL budget lasts. */
static void try_bulk_dequeue_skb(struct Qdisc *q, struct sk_buff *skb, int *packets)
{
	int bytelimit = dql_avail(&q->dev_queue->dql) - (int)skb->len;

	while (bytelimit > 0) {
		struct sk_buff *nskb = q->dequeue(q);

		if (!nskb)
			break;
		bytelimit -= (int)nskb->len;
		skb->next = nskb;
		skb = nskb;
		(*packets)++;
	}
	skb->next = NULL;
}

/* Qdiscs serving several queues: up to 8 more skbs for the same queue. */
static void try_bulk_dequeue_skb_slow(struct Qdisc *q, struct sk_buff *skb, int *packets)
{
	u16 mapping = skb_get_queue_mapping(skb);
	int cnt = 0;

	do {
		struct sk_buff *nskb = q->dequeue(q);

		if (!nskb)
			break;
		if (unlikely(skb_get_queue_mapping(nskb) != mapping)) {
			unetdev__skbq_tail(&q->skb_bad_txq, nskb); /* still part of the queue */
			q->qlen++;
			q->backlog += nskb->len;
			break;
		}
		skb->next = nskb;
		skb = nskb;
	} while (++cnt < BULK_SLOW_MAX);
	*packets += cnt;
	skb->next = NULL;
}

static struct sk_buff *dequeue_skb(struct Qdisc *q, bool *validate, int *packets)
    UNETDEV_MUST_HOLD(q->lock)
{
	struct sk_buff *skb;

	*packets = 1;
	if (unlikely(q->gso_skb.head)) {
		*validate = false; /* validated before it was requeued */
		return dequeue_requeued(q);
	}
	*validate = true;
	if ((q->flags & TCQ_F_ONETXQUEUE) && netif_xmit_frozen_or_stopped(q->dev_queue))
		return NULL;
	skb = dequeue_bad_txq(q);
	if (unlikely(skb == SKB_XOFF_MAGIC))
		return NULL;
	if (!skb)
		skb = q->dequeue(q);
	if (!skb)
		return NULL;
	if (q->flags & TCQ_F_ONETXQUEUE) /* qdisc_may_bulk */
		try_bulk_dequeue_skb(q, skb, packets);
	else
		try_bulk_dequeue_skb_slow(q, skb, packets);
	return skb;
}

/* ---- transmit (R-Q-9) ---- */

/* Put the unsent rest back at the head of the line; it is retried from the softirq. */
static void dev_requeue_skb(struct sk_buff *skb, struct Qdisc *q) UNETDEV_MUST_HOLD(q->lock)
{
	while (skb) {
		struct sk_buff *next = skb->next;

		unetdev__skbq_tail(&q->gso_skb, skb);
		q->requeues++;
		q->qlen++; /* still part of the queue */
		q->backlog += skb->len;
		skb = next;
	}
	unetdev__netif_schedule(q);
}

/*
 * [C13] NETDEV_TX_LOCKED: an LLTX driver's own lock was busy. Held by this
 * very thread means a loop (drop); otherwise another CPU holds it: count a
 * collision and requeue to retry from the softirq.
 */
static bool handle_dev_cpu_collision(struct sk_buff *skb, struct netdev_queue *txq, struct Qdisc *q)
    UNETDEV_MUST_HOLD(q->lock)
{
	if (unlikely(spin_held_by_me(&txq->_xmit_lock))) {
		while (skb) {
			struct sk_buff *next = skb->next;

			skb->next = NULL;
			kfree_skb_reason(skb, SKB_DROP_REASON_RECURSION_LIMIT);
			skb = next;
		}
		unetdev__log_ratelimited(4, "Dead loop on netdevice %s, fix it urgently!",
					 txq->dev->name);
		return q->qlen != 0;
	}
	__atomic_fetch_add(&cpu_collision[smp_processor_id() % UNETDEV_MAX_CPUS], 1,
			   __ATOMIC_RELAXED);
	dev_requeue_skb(skb, q);
	return false;
}

bool unetdev__sch_direct_xmit(struct sk_buff *skb, struct Qdisc *q, struct net_device *dev,
			      struct netdev_queue *txq, bool validate)
{
	int ret = NETDEV_TX_BUSY;

	spin_unlock(&q->lock); /* R-Q-9: the driver runs without the qdisc lock */
	if (validate)
		skb = unetdev__validate_xmit_skb_list(skb, dev); /* outside every lock */
	if (likely(skb)) {
		bool lltx = netif_is_lltx(dev);

		unetdev__hard_tx_lock_lltx(txq, lltx);
		if (!netif_xmit_frozen_or_stopped(txq))
			skb = unetdev__dev_hard_start_xmit(skb, dev, txq, &ret);
		unetdev__hard_tx_unlock_lltx(txq, lltx);
	}
	spin_lock(&q->lock);
	if (!skb)
		return true; /* all sent, or dropped by validation */
	if (ret == NETDEV_TX_LOCKED)
		return handle_dev_cpu_collision(skb, txq, q);
	if (unlikely(ret != NETDEV_TX_BUSY))
		unetdev__log_ratelimited(4, "BUG %s code %d qlen %u", dev->name, ret, q->qlen);
	dev_requeue_skb(skb, q);
	return false;
}

/* qdisc_restart: one dequeue + transmit. False: stop running. */
static bool qdisc_restart(struct Qdisc *q, int *packets) UNETDEV_MUST_HOLD(q->lock)
{
	struct net_device *dev;
	struct sk_buff *skb;
	bool validate;

	skb = dequeue_skb(q, &validate, packets);
	if (unlikely(!skb))
		return false;
	dev = qdisc_dev(q);
	return unetdev__sch_direct_xmit(skb, q, dev, skb_get_tx_queue(dev, skb), validate);
}

/* __qdisc_run (R-Q-7): the quota is dev_tx_weight packets, then the softirq takes over. */
void unetdev__qdisc_run_locked(struct Qdisc *q)
{
	int quota = DEV_TX_WEIGHT;
	int packets;

	while (qdisc_restart(q, &packets)) {
		quota -= packets;
		if (quota <= 0) {
			unetdev__netif_schedule(q);
			break;
		}
	}
}

void unetdev__qdisc_run(struct Qdisc *q)
{
	if (qdisc_run_begin(q)) { /* R-Q-6: one runner; others only enqueue */
		unetdev__qdisc_run_locked(q);
		qdisc_run_end(q);
	}
}
