// SPDX-License-Identifier: MIT
/*
 * sch_generic.c - qdisc activation, the TX watchdog and TX queue flow
 * control (kernel net/sched/sch_generic.c, net/sched/sch_mq.c and the
 * netif_tx_* helpers of include/linux/netdevice.h / net/core/dev.c).
 * Rules R-REG-14, R-UP-8/9, R-Q-1/2/11/12, R-WD-1..10, R-TXQ-1..8,
 * R-MTU-16 (qdisc resize).
 *
 * What is here: the builtin noop and noqueue qdiscs, default qdisc creation
 * (pfifo_fast per queue, mq root on multi-queue devices, noqueue for
 * IFF_NO_QUEUE) with the kernel's fallback to noqueue, activation and
 * deactivation of the queues, dev_shutdown, qdisc statistics and the
 * qdisc_check() invariant, the watchdog timer, and the queue state bits.
 * pfifo_fast itself is in sch_pfifo_fast.c, the run loop in qdisc_run.c.
 */
#include "ndo.h"
#include "sch_generic.h"

/* ---- builtin qdiscs (R-Q-1) ---- */

/* R-Q-1: noop drops every packet and reports congestion. */
static int noop_enqueue(struct sk_buff *skb, struct Qdisc *q, struct sk_buff **to_free)
{
	if (skb->dev)
		dev_core_stats_tx_dropped_inc(skb->dev);
	skb->next = *to_free; /* __qdisc_drop: freed by the caller after unlocking */
	*to_free = skb;
	q->drops++;
	return NET_XMIT_CN;
}

static struct sk_buff *noop_dequeue(struct Qdisc *q)
{
	return NULL;
}

static const struct Qdisc_ops noop_qdisc_ops = {
    .id = "noop",
    .enqueue = noop_enqueue,
    .dequeue = noop_dequeue,
};

struct Qdisc noop_qdisc = {
    .enqueue = noop_enqueue,
    .dequeue = noop_dequeue,
    .flags = TCQ_F_BUILTIN,
    .ops = &noop_qdisc_ops,
    .refcnt = 1,
};

/*
 * noqueue: no enqueue, so the transmit path calls the driver directly
 * (virtual devices, IFF_NO_QUEUE). Stateless, hence one shared object where
 * the kernel allocates one per queue.
 */
static const struct Qdisc_ops noqueue_qdisc_ops = {
    .id = "noqueue",
    .dequeue = noop_dequeue,
};

struct Qdisc noqueue_qdisc = {
    .dequeue = noop_dequeue,
    .flags = TCQ_F_BUILTIN,
    .ops = &noqueue_qdisc_ops,
    .refcnt = 1,
};

/* ---- allocated qdiscs ---- */

static struct Qdisc *qdisc_alloc(struct netdev_queue *dev_queue, const struct Qdisc_ops *ops)
{
	struct Qdisc *q = unetdev__kzalloc(sizeof(*q) + ops->priv_size, "kmalloc");

	if (!q)
		return NULL;
	q->ops = ops;
	q->enqueue = ops->enqueue;
	q->dequeue = ops->dequeue;
	q->dev_queue = dev_queue;
	q->refcnt = 1;
	spin_lock_init(&q->lock);
	unetdev__skbq_init(&q->gso_skb);
	unetdev__skbq_init(&q->skb_bad_txq);
	return q;
}

static void qdisc_free(struct Qdisc *q)
{
	spin_lock_destroy(&q->lock);
	unetdev__kfree(q);
}

static struct Qdisc *qdisc_create_dflt(struct netdev_queue *dev_queue, const struct Qdisc_ops *ops)
{
	struct Qdisc *q = qdisc_alloc(dev_queue, ops);

	if (!q)
		return NULL;
	if (ops->init && ops->init(q)) {
		qdisc_free(q); /* init cleans up after itself; no destroy */
		return NULL;
	}
	return q;
}

static bool qdisc_check_one(struct Qdisc *q);

/* R-Q-11: free what is queued or requeued and zero qlen/backlog. */
static void qdisc_reset(struct Qdisc *q)
{
	struct sk_buff *to_free = NULL;

	if (q->flags & TCQ_F_BUILTIN)
		return;
#ifndef NDEBUG
	qdisc_check_one(q); /* debug builds: the invariant holds at every reset */
#endif
	spin_lock_bh(&q->lock);
	if (q->ops->reset)
		q->ops->reset(q);
	unetdev__qdisc_purge_lists(q, &to_free);
	q->qlen = 0;
	q->backlog = 0;
	spin_unlock_bh(&q->lock);
	unetdev__qdisc_free_list(to_free);
}

static void qdisc_put(struct Qdisc *q)
{
	if (!q || (q->flags & TCQ_F_BUILTIN))
		return;
	if (--q->refcnt > 0)
		return;
	qdisc_reset(q);
	if (q->ops->destroy)
		q->ops->destroy(q);
	qdisc_free(q);
}

/* Install @q as @dev_queue's configured qdisc; returns the previous one. */
static struct Qdisc *dev_graft_qdisc(struct netdev_queue *dev_queue, struct Qdisc *q)
{
	struct Qdisc *old = dev_queue->qdisc_sleeping;

	WRITE_ONCE(dev_queue->qdisc_sleeping, q);  /* linkwatch reads it without rtnl */
	WRITE_ONCE(dev_queue->qdisc, &noop_qdisc); /* live at the next activation */
	return old;
}

/* The sysctl net.core.default_qdisc; pfifo_fast (sch_pfifo_fast.c) unless changed. */
static const struct Qdisc_ops *default_qdisc_ops = &unetdev__pfifo_fast_ops;

/* mq (net/sched/sch_mq.c): a root that owns one default child per TX queue. */
struct mq_sched {
	struct Qdisc **qdiscs; /* children until attach grafts them */
};

static void mq_destroy(struct Qdisc *q)
{
	struct mq_sched *priv = qdisc_priv(q);
	struct net_device *dev = qdisc_dev(q);

	if (!priv->qdiscs)
		return;
	for (unsigned int i = 0; i < dev->num_tx_queues; i++)
		qdisc_put(priv->qdiscs[i]);
	unetdev__kfree(priv->qdiscs);
	priv->qdiscs = NULL;
}

static int mq_init(struct Qdisc *q)
{
	struct mq_sched *priv = qdisc_priv(q);
	struct net_device *dev = qdisc_dev(q);

	if (dev->num_tx_queues < 2)
		return -EOPNOTSUPP;
	// NOLINTNEXTLINE(bugprone-sizeof-expression): an array of pointers
	priv->qdiscs = unetdev__kcalloc(dev->num_tx_queues, sizeof(*priv->qdiscs), "kmalloc");
	if (!priv->qdiscs)
		return -ENOMEM;
	for (unsigned int i = 0; i < dev->num_tx_queues; i++) {
		struct Qdisc *child =
		    qdisc_create_dflt(netdev_get_tx_queue(dev, i), default_qdisc_ops);

		if (!child) {
			mq_destroy(q);
			return -ENOMEM;
		}
		child->flags |= TCQ_F_ONETXQUEUE | TCQ_F_NOPARENT;
		priv->qdiscs[i] = child;
	}
	q->flags |= TCQ_F_NOPARENT;
	return 0;
}

static void mq_attach(struct Qdisc *q)
{
	struct mq_sched *priv = qdisc_priv(q);
	struct net_device *dev = qdisc_dev(q);

	for (unsigned int i = 0; i < dev->num_tx_queues; i++)
		qdisc_put(dev_graft_qdisc(netdev_get_tx_queue(dev, i), priv->qdiscs[i]));
	unetdev__kfree(priv->qdiscs);
	priv->qdiscs = NULL;
}

static const struct Qdisc_ops mq_qdisc_ops = {
    .id = "mq",
    .priv_size = sizeof(struct mq_sched),
    .init = mq_init,
    .attach = mq_attach,
    .destroy = mq_destroy,
};

const char *unetdev_qdisc_id(const struct Qdisc *q)
{
	return q ? q->ops->id : "";
}

/* ---- statistics and the invariant ---- */

static void qdisc_stats_add(struct Qdisc *q, struct unetdev_qdisc_stats *st)
{
	spin_lock_bh(&q->lock);
	st->packets += q->packets;
	st->bytes += q->bytes;
	st->drops += q->drops;
	st->requeues += q->requeues;
	st->qlen += q->qlen;
	st->backlog += q->backlog;
	spin_unlock_bh(&q->lock);
}

void unetdev_sch_tree_lock(struct Qdisc *q) UNETDEV_NO_TSA /* released by the unlock */
{
	spin_lock_bh(&q->lock);
}

void unetdev_sch_tree_unlock(struct Qdisc *q) UNETDEV_NO_TSA
{
	spin_unlock_bh(&q->lock);
}

/* "tc -s qdisc": an mq root reports the sum of its children, as the kernel's mq_dump. */
int unetdev_qdisc_stats(struct Qdisc *q, struct unetdev_qdisc_stats *st)
{
	if (!q || !st)
		return -EINVAL;
	memset(st, 0, sizeof(*st));
	if (q->ops != &mq_qdisc_ops) {
		qdisc_stats_add(q, st);
		return 0;
	}
	for (unsigned int i = 0; i < qdisc_dev(q)->num_tx_queues; i++)
		qdisc_stats_add(netdev_get_tx_queue(qdisc_dev(q), i)->qdisc_sleeping, st);
	return 0;
}

static unsigned int skbq_bytes(const struct unetdev__skb_queue *sq)
{
	unsigned int bytes = 0;

	for (const struct sk_buff *skb = sq->head; skb; skb = skb->next)
		bytes += skb->len;
	return bytes;
}

/* qlen and backlog equal what the bands and the requeue lists hold. */
static bool qdisc_check_one(struct Qdisc *q)
{
	unsigned int n = 0, bytes = 0;
	bool ok;

	if (q->flags & TCQ_F_BUILTIN)
		return READ_ONCE(q->qlen) == 0;
	spin_lock_bh(&q->lock);
	if (q->ops == &unetdev__pfifo_fast_ops)
		n = unetdev__pfifo_fast_count(q, &bytes);
	n += q->gso_skb.len + q->skb_bad_txq.len;
	bytes += skbq_bytes(&q->gso_skb) + skbq_bytes(&q->skb_bad_txq);
	ok = q->qlen == n && q->backlog == bytes;
	if (!ok)
		UNETDEV_WARN("R-Q-4", qdisc_dev(q), "qdisc_check",
			     "%s: qlen %u backlog %u, but %u packets / %u bytes are queued",
			     q->ops->id, q->qlen, q->backlog, n, bytes);
	spin_unlock_bh(&q->lock);
	return ok;
}

bool unetdev_qdisc_check(struct Qdisc *q)
{
	bool ok = true;

	if (!q)
		return false;
	if (q->ops != &mq_qdisc_ops)
		return qdisc_check_one(q);
	for (unsigned int i = 0; i < qdisc_dev(q)->num_tx_queues; i++)
		ok &= qdisc_check_one(netdev_get_tx_queue(qdisc_dev(q), i)->qdisc_sleeping);
	return ok;
}

/* R-MTU-17 (kernel qdisc_reset_all_tx_gt): the grace period, then flush. */
void unetdev__qdisc_reset_all_tx_gt(struct net_device *dev, unsigned int n)
{
	synchronize_net();
	unetdev__tx_synchronize_rcu();
	for (unsigned int i = n; i < dev->num_tx_queues; i++)
		qdisc_reset(READ_ONCE(netdev_get_tx_queue(dev, i)->qdisc));
}

/* R-MTU-16: resize every queue's qdisc, deactivated around it when up. */
int unetdev__dev_qdisc_change_tx_queue_len(struct net_device *dev)
{
	bool up = dev->flags & IFF_UP;
	int ret = 0;

	ASSERT_RTNL();
	if (up)
		unetdev__dev_deactivate(dev);
	for (unsigned int i = 0; i < dev->num_tx_queues && !ret; i++) {
		struct Qdisc *q = netdev_get_tx_queue(dev, i)->qdisc_sleeping;

		if (q->ops == &unetdev__pfifo_fast_ops)
			ret = unetdev__pfifo_fast_change_tx_queue_len(q, dev->tx_queue_len);
	}
	if (up)
		unetdev__dev_activate(dev);
	return ret;
}

/* ---- scheduler init, activation, deactivation (R-REG-14, R-UP-8/9, R-Q-11/12) ---- */

static void dev_watchdog(struct timer_list *t);

void unetdev__dev_init_scheduler(struct net_device *dev)
{
	dev->qdisc = &noop_qdisc;
	for (unsigned int i = 0; i < dev->num_tx_queues; i++) {
		struct netdev_queue *txq = netdev_get_tx_queue(dev, i);

		WRITE_ONCE(txq->qdisc, &noop_qdisc);
		WRITE_ONCE(txq->qdisc_sleeping, &noop_qdisc);
	}
	timer_setup(&dev->watchdog_timer, dev_watchdog, 0); /* set up, not armed */
}

static bool netif_is_multiqueue(const struct net_device *dev)
{
	return dev->num_tx_queues > 1;
}

static void attach_one_default_qdisc(struct net_device *dev, struct netdev_queue *txq)
{
	struct Qdisc *q;

	if (dev->priv_flags & IFF_NO_QUEUE) {
		q = &noqueue_qdisc;
	} else {
		/* (CAN devices would always get pfifo_fast; unetdev has none.) */
		q = qdisc_create_dflt(txq, default_qdisc_ops);
		if (!q)
			return; /* the queue keeps noop: detected by the caller */
		if (!netif_is_multiqueue(dev))
			q->flags |= TCQ_F_ONETXQUEUE | TCQ_F_NOPARENT;
	}
	WRITE_ONCE(txq->qdisc_sleeping, q); /* linkwatch_urgent_event reads it without rtnl */
}

/* Single queue or IFF_NO_QUEUE: one default per queue, root = queue 0's. */
static void attach_per_queue_defaults(struct net_device *dev)
{
	struct Qdisc *root;

	for (unsigned int i = 0; i < dev->num_tx_queues; i++)
		attach_one_default_qdisc(dev, netdev_get_tx_queue(dev, i));
	root = netdev_get_tx_queue(dev, 0)->qdisc_sleeping;
	root->refcnt += !(root->flags & TCQ_F_BUILTIN); /* dev->qdisc's reference */
	dev->qdisc = root;
}

static void shutdown_scheduler_queue(struct netdev_queue *txq)
{
	struct Qdisc *q = txq->qdisc_sleeping;

	WRITE_ONCE(txq->qdisc, &noop_qdisc);
	WRITE_ONCE(txq->qdisc_sleeping, &noop_qdisc);
	qdisc_put(q);
}

static void attach_default_qdiscs(struct net_device *dev) UNETDEV_MUST_HOLD(rtnl_mutex)
{
	if (!netif_is_multiqueue(dev) || (dev->priv_flags & IFF_NO_QUEUE)) {
		attach_per_queue_defaults(dev);
	} else {
		struct Qdisc *mq = qdisc_create_dflt(netdev_get_tx_queue(dev, 0), &mq_qdisc_ops);

		if (mq) {
			dev->qdisc = mq;
			mq->ops->attach(mq);
		}
	}
	if (dev->qdisc != &noop_qdisc)
		return;
	/* R-UP-8: default creation failed; fall back to noqueue. */
	netdev_warn(dev, "default qdisc (%s) fail, fallback to %s", default_qdisc_ops->id,
		    noqueue_qdisc_ops.id);
	for (unsigned int i = 0; i < dev->num_tx_queues; i++)
		shutdown_scheduler_queue(netdev_get_tx_queue(dev, i));
	dev->priv_flags |= IFF_NO_QUEUE;
	attach_per_queue_defaults(dev);
	dev->priv_flags ^= IFF_NO_QUEUE;
}

static void transition_one_qdisc(struct netdev_queue *txq)
{
	struct Qdisc *q = txq->qdisc_sleeping;

	if (!(q->flags & TCQ_F_BUILTIN))
		clear_bit(__QDISC_STATE_DEACTIVATED, &q->state);
	__atomic_store_n(&txq->qdisc, q,
			 __ATOMIC_RELEASE); /* rcu_assign_pointer: q is initialised */
	WRITE_ONCE(txq->trans_start, 0);
}

void unetdev__dev_activate(struct net_device *dev)
{
	ASSERT_RTNL();
	if (dev->qdisc == &noop_qdisc)
		attach_default_qdiscs(dev);
	if (!netif_carrier_ok(dev))
		return; /* R-UP-9: the next carrier-on event (linkwatch) activates */
	for (unsigned int i = 0; i < dev->num_tx_queues; i++)
		transition_one_qdisc(netdev_get_tx_queue(dev, i));
	netif_trans_update(dev); /* queue 0 = now (R-WD-10) */
	unetdev__dev_watchdog_up(dev);
}

bool unetdev__dev_has_noop_qdisc(const struct net_device *dev)
{
	for (unsigned int i = 0; i < dev->num_tx_queues; i++)
		if (READ_ONCE(netdev_get_tx_queue(dev, i)->qdisc) != &noop_qdisc)
			return false;
	return true;
}

static void dev_deactivate_queue(struct netdev_queue *txq)
{
	struct Qdisc *q = txq->qdisc_sleeping;

	if (!(q->flags & TCQ_F_BUILTIN))
		set_bit(__QDISC_STATE_DEACTIVATED, &q->state); /* R-Q-2 */
	WRITE_ONCE(txq->qdisc, &noop_qdisc);
}

/* R-WD-3: disarm under netif_tx_lock_bh; the pending timer's reference goes. */
static void dev_watchdog_down(struct net_device *dev)
{
	netif_tx_lock_bh(dev);
	if (del_timer(&dev->watchdog_timer))
		dev_put(dev);
	netif_tx_unlock_bh(dev);
}

/*
 * A qdisc is busy while a CPU runs it or it waits on an output queue. Read
 * under its lock: the TX softirq clears SCHED and takes RUNNING inside one
 * critical section, so there is no window where neither bit shows (R-Q-11).
 */
static bool some_qdisc_is_busy(const struct net_device *dev)
{
	for (unsigned int i = 0; i < dev->num_tx_queues; i++) {
		struct Qdisc *q = netdev_get_tx_queue(dev, i)->qdisc_sleeping;
		bool busy;

		if (q->flags & TCQ_F_BUILTIN)
			continue; /* never scheduled, never run */
		spin_lock_bh(&q->lock);
		busy = qdisc_is_running(q) || test_bit(__QDISC_STATE_SCHED, &q->state);
		spin_unlock_bh(&q->lock);
		if (busy)
			return true;
	}
	return false;
}

void unetdev__dev_deactivate_many(struct list_head *head)
{
	struct net_device *dev;

	/* 1) new transmissions hit noop; the watchdog stops. */
	list_for_each_entry (dev, head, close_list) {
		for (unsigned int i = 0; i < dev->num_tx_queues; i++)
			dev_deactivate_queue(netdev_get_tx_queue(dev, i));
		dev_watchdog_down(dev);
	}
	/* 2) wait for transmitters and wakers that picked the old qdisc before 1). */
	synchronize_net();
	unetdev__tx_synchronize_rcu();
	/* 3) free what is queued. */
	list_for_each_entry (dev, head, close_list)
		for (unsigned int i = 0; i < dev->num_tx_queues; i++)
			qdisc_reset(netdev_get_tx_queue(dev, i)->qdisc_sleeping);
	/*
	 * 4) wait, in one-tick sleeps, until no qdisc runs or is scheduled.
	 * A qdisc may sit on this very thread's output queue: let our own TX
	 * softirq run first (local_bh_enable runs what is pending).
	 */
	list_for_each_entry (dev, head, close_list) {
		while (some_qdisc_is_busy(dev)) {
			local_bh_disable();
			local_bh_enable();
			if (some_qdisc_is_busy(dev))
				unetdev__msleep(jiffies_to_msecs(1) ? jiffies_to_msecs(1) : 1);
		}
		/* 5) a runner may have requeued after 3): unwind again (modern order). */
		for (unsigned int i = 0; i < dev->num_tx_queues; i++)
			qdisc_reset(netdev_get_tx_queue(dev, i)->qdisc_sleeping);
	}
}

void unetdev__dev_deactivate(struct net_device *dev)
{
	LIST_HEAD(single);

	list_add(&dev->close_list, &single);
	unetdev__dev_deactivate_many(&single);
	list_del(&single);
}

/* R-Q-12: release every qdisc; the watchdog must be down by now. */
void unetdev__dev_shutdown(struct net_device *dev)
{
	for (unsigned int i = 0; i < dev->num_tx_queues; i++)
		shutdown_scheduler_queue(netdev_get_tx_queue(dev, i));
	qdisc_put(dev->qdisc);
	dev->qdisc = &noop_qdisc;
	if (timer_pending(&dev->watchdog_timer))
		UNETDEV_WARN("R-Q-12", dev, "dev_shutdown", "watchdog timer still pending");
}

/* ---- TX queue flow control (R-TXQ) ---- */

/*
 * R-TXQ-3: run the queue's active qdisc from the TX softirq. The TX RCU read
 * section keeps the qdisc alive between reading txq->qdisc and setting its
 * SCHED bit (dev_deactivate waits for it, then for SCHED).
 */
void unetdev__netif_schedule_queue(struct netdev_queue *txq)
{
	struct Qdisc *q;

	unetdev__tx_rcu_read_lock();
	q = __atomic_load_n(&txq->qdisc, __ATOMIC_ACQUIRE); /* rcu_dereference_bh */
	if (q && !(q->flags & TCQ_F_BUILTIN))		    /* noop/noqueue hold nothing to send */
		unetdev__netif_schedule(q);
	unetdev__tx_rcu_read_unlock();
}

void netif_tx_stop_queue(struct netdev_queue *txq)
{
	WRITE_ONCE(txq->trans_start, jiffies); /* R-TXQ-1: no false watchdog timeout */
	smp_mb();			       /* pairs with the watchdog's smp_mb() */
	set_bit(__QUEUE_STATE_DRV_XOFF, &txq->state);
}

void netif_tx_start_queue(struct netdev_queue *txq)
{
	clear_bit(__QUEUE_STATE_DRV_XOFF, &txq->state); /* R-TXQ-2: no reschedule */
}

void netif_tx_wake_queue(struct netdev_queue *txq)
{
	if (test_and_clear_bit(__QUEUE_STATE_DRV_XOFF, &txq->state))
		unetdev__netif_schedule_queue(txq); /* R-TXQ-3 */
}

/* R-TXQ-5: all num_tx_queues, not only the real ones. */
void netif_tx_stop_all_queues(struct net_device *dev)
{
	for (unsigned int i = 0; i < dev->num_tx_queues; i++)
		netif_tx_stop_queue(netdev_get_tx_queue(dev, i));
}

void netif_tx_start_all_queues(struct net_device *dev)
{
	for (unsigned int i = 0; i < dev->num_tx_queues; i++)
		netif_tx_start_queue(netdev_get_tx_queue(dev, i));
}

void netif_tx_wake_all_queues(struct net_device *dev)
{
	for (unsigned int i = 0; i < dev->num_tx_queues; i++)
		netif_tx_wake_queue(netdev_get_tx_queue(dev, i));
}

void __netif_tx_lock(struct netdev_queue *txq, int cpu) UNETDEV_NO_TSA
{
	unetdev__spin_lock(&txq->_xmit_lock);
	WRITE_ONCE(txq->xmit_lock_owner, cpu); /* R-TXQ-8 */
}

void __netif_tx_unlock(struct netdev_queue *txq) UNETDEV_NO_TSA
{
	WRITE_ONCE(txq->xmit_lock_owner, -1);
	unetdev__spin_unlock(&txq->_xmit_lock);
}

bool __netif_tx_trylock(struct netdev_queue *txq) UNETDEV_NO_TSA
{
	if (!spin_trylock(&txq->_xmit_lock))
		return false;
	WRITE_ONCE(txq->xmit_lock_owner, (int)smp_processor_id());
	return true;
}

/* R-TXQ-6: after return no ndo_start_xmit is running on any queue. */
void netif_tx_disable(struct net_device *dev) UNETDEV_NO_TSA
{
	int cpu;

	local_bh_disable();
	cpu = (int)smp_processor_id();
	spin_lock(&dev->tx_global_lock);
	for (unsigned int i = 0; i < dev->num_tx_queues; i++) {
		struct netdev_queue *txq = netdev_get_tx_queue(dev, i);

		__netif_tx_lock(txq, cpu);
		netif_tx_stop_queue(txq);
		__netif_tx_unlock(txq);
	}
	spin_unlock(&dev->tx_global_lock);
	local_bh_enable();
}

/*
 * R-TXQ-7: the xmit lock is taken around setting FROZEN so that a
 * transmitter that already checked the bit finishes first.
 */
static void netif_freeze_queues(struct net_device *dev) UNETDEV_NO_TSA
{
	int cpu = (int)smp_processor_id();

	for (unsigned int i = 0; i < dev->num_tx_queues; i++) {
		struct netdev_queue *txq = netdev_get_tx_queue(dev, i);

		__netif_tx_lock(txq, cpu);
		set_bit(__QUEUE_STATE_FROZEN, &txq->state);
		__netif_tx_unlock(txq);
	}
}

/* Unfrozen queues that are not stopped for another reason are rescheduled. */
static void netif_unfreeze_queues(struct net_device *dev)
{
	for (unsigned int i = 0; i < dev->num_tx_queues; i++) {
		struct netdev_queue *txq = netdev_get_tx_queue(dev, i);

		clear_bit(__QUEUE_STATE_FROZEN, &txq->state);
		if (!netif_xmit_stopped(txq))
			unetdev__netif_schedule_queue(txq);
	}
}

void netif_tx_lock(struct net_device *dev) UNETDEV_NO_TSA
{
	spin_lock(&dev->tx_global_lock);
	netif_freeze_queues(dev);
}

void netif_tx_unlock(struct net_device *dev) UNETDEV_NO_TSA
{
	netif_unfreeze_queues(dev);
	spin_unlock(&dev->tx_global_lock);
}

void netif_tx_lock_bh(struct net_device *dev) UNETDEV_NO_TSA
{
	local_bh_disable();
	netif_tx_lock(dev);
}

void netif_tx_unlock_bh(struct net_device *dev) UNETDEV_NO_TSA
{
	netif_tx_unlock(dev);
	local_bh_enable();
}

/* R-WD-10: the legacy per-device update, on queue 0. */
void netif_trans_update(struct net_device *dev)
{
	struct netdev_queue *txq = netdev_get_tx_queue(dev, 0);
	unsigned long now = jiffies;

	if (READ_ONCE(txq->trans_start) != now)
		WRITE_ONCE(txq->trans_start, now);
}

/* R-WD-10: the latest trans_start over all queues. */
unsigned long dev_trans_start(struct net_device *dev)
{
	unsigned long res = READ_ONCE(netdev_get_tx_queue(dev, 0)->trans_start);

	for (unsigned int i = 1; i < dev->num_tx_queues; i++) {
		unsigned long val = READ_ONCE(netdev_get_tx_queue(dev, i)->trans_start);

		if (val && time_after(val, res))
			res = val;
	}
	return res;
}

/* ---- the TX watchdog (R-WD) ---- */

void unetdev__dev_watchdog_up(struct net_device *dev)
{
	int timeo;

	if (!ndo_has(dev, ndo_tx_timeout))
		return; /* R-WD-1 */
	/* netif_carrier_on() calls this from any thread, without rtnl: atomic accesses. */
	timeo = READ_ONCE(dev->watchdog_timeo);
	if (timeo <= 0) {
		timeo = 5 * (int)HZ;
		WRITE_ONCE(dev->watchdog_timeo, timeo);
	}
	/* R-WD-2: a pending timer holds a reference. */
	if (!mod_timer(&dev->watchdog_timer, round_jiffies(jiffies + (unsigned long)timeo)))
		dev_hold(dev);
}

/*
 * R-WD-5: the first queue that is xmit-stopped (DRV_XOFF or BQL's
 * STACK_XOFF) for strictly longer than watchdog_timeo. Returns its index or
 * -1; *oldest gets the oldest trans_start among stopped queues (R-WD-9).
 */
static int watchdog_find_stuck(struct net_device *dev, unsigned long *oldest)
{
	unsigned long now = jiffies;

	*oldest = now;
	for (unsigned int i = 0; i < dev->num_tx_queues; i++) {
		struct netdev_queue *txq = netdev_get_tx_queue(dev, i);
		unsigned long trans_start;

		if (!netif_xmit_stopped(txq))
			continue;
		smp_mb(); /* pairs with netif_tx_stop_queue() */
		trans_start = READ_ONCE(txq->trans_start);
		if (time_after(now, trans_start + (unsigned long)dev->watchdog_timeo))
			return (int)i;
		if (time_after(*oldest, trans_start))
			*oldest = trans_start;
	}
	return -1;
}

/* R-WD-6: count, log, call the driver with every queue frozen. */
static void watchdog_timeout(struct net_device *dev, unsigned int i)
    UNETDEV_MUST_HOLD(dev->tx_global_lock)
{
	struct netdev_queue *txq = netdev_get_tx_queue(dev, i);
	unsigned long now = jiffies;

	__atomic_fetch_add(&txq->trans_timeout, 1, __ATOMIC_RELAXED);
	unetdev_netdev_printk(2, dev, "NETDEV WATCHDOG: CPU: %u: transmit queue %u timed out %u ms",
			      smp_processor_id(), i,
			      jiffies_to_msecs(now - READ_ONCE(txq->trans_start)));
	netif_freeze_queues(dev);
	unetdev__ndo_tx_timeout(dev, i);
	netif_unfreeze_queues(dev);
}

/* Timer callback: softirq context on the timer thread (R-WD-4..9). */
static void dev_watchdog(struct timer_list *t)
{
	struct net_device *dev = from_timer(dev, t, watchdog_timer);
	bool release = true;

	spin_lock(&dev->tx_global_lock);
	if (!unetdev__dev_has_noop_qdisc(dev) && netif_device_present(dev) && netif_running(dev) &&
	    netif_carrier_ok(dev)) {
		unsigned long oldest, next;
		int stuck = watchdog_find_stuck(dev, &oldest);

		if (stuck >= 0)
			watchdog_timeout(dev, (unsigned int)stuck);
		/*
		 * R-WD-9. A kernel timer armed for "now" runs at the next tick;
		 * ours would run again at once and, on a frozen test clock, forever.
		 */
		next = round_jiffies(oldest + (unsigned long)dev->watchdog_timeo);
		if (time_before_eq(next, jiffies))
			next = jiffies + 1;
		if (!mod_timer(&dev->watchdog_timer, next))
			release = false; /* the re-armed timer keeps our reference */
	}
	spin_unlock(&dev->tx_global_lock);
	if (release)
		dev_put(dev);
}
