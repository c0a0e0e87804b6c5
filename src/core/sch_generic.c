// SPDX-License-Identifier: MIT
/*
 * sch_generic.c - qdisc activation, the TX watchdog and TX queue flow
 * control (kernel net/sched/sch_generic.c, net/sched/sch_mq.c and the
 * netif_tx_* helpers of include/linux/netdevice.h / net/core/dev.c).
 * Rules R-REG-14, R-UP-8/9, R-Q-1/2/11/12 (control-plane part), R-WD-1..10,
 * R-TXQ-1..8.
 *
 * What is here: the builtin noop and noqueue qdiscs, default qdisc creation
 * (pfifo_fast per queue, mq root on multi-queue devices, noqueue for
 * IFF_NO_QUEUE) with the kernel's fallback to noqueue, activation and
 * deactivation of the queues, dev_shutdown, the watchdog timer, and the
 * queue state bits. What is not here yet: pfifo_fast's packet rings and the
 * qdisc run loop (the datapath issue). pfifo_fast objects exist and are
 * attached, so every control-plane rule observes the kernel's state, but
 * their enqueue is NULL until then.
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
	return q;
}

static struct Qdisc *qdisc_create_dflt(struct netdev_queue *dev_queue, const struct Qdisc_ops *ops)
{
	struct Qdisc *q = qdisc_alloc(dev_queue, ops);

	if (!q)
		return NULL;
	if (ops->init && ops->init(q)) {
		unetdev__kfree(q); /* init cleans up after itself; no destroy */
		return NULL;
	}
	return q;
}

/* R-Q-11: drop what is queued and zero the counters. Context: qdisc idle. */
static void qdisc_reset(struct Qdisc *q)
{
	if (q->ops->reset)
		q->ops->reset(q);
	q->qlen = 0;
	q->backlog = 0;
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
	unetdev__kfree(q);
}

/* Install @q as @dev_queue's configured qdisc; returns the previous one. */
static struct Qdisc *dev_graft_qdisc(struct netdev_queue *dev_queue, struct Qdisc *q)
{
	struct Qdisc *old = dev_queue->qdisc_sleeping;

	dev_queue->qdisc_sleeping = q;
	WRITE_ONCE(dev_queue->qdisc, &noop_qdisc); /* live at the next activation */
	return old;
}

/*
 * pfifo_fast (R-Q-3/4): three bands of tx_queue_len slots each. The rings
 * and enqueue/dequeue come with the datapath; creation already fails the way
 * the kernel's does, which dev_activate's fallback depends on.
 */
static int pfifo_fast_init(struct Qdisc *q)
{
	if (!qdisc_dev(q)->tx_queue_len)
		return -EINVAL; /* R-Q-4: guard against zero-length rings */
	q->flags |= TCQ_F_CAN_BYPASS | TCQ_F_NOLOCK;
	return 0;
}

static const struct Qdisc_ops pfifo_fast_ops = {
    .id = "pfifo_fast",
    .init = pfifo_fast_init,
};

/* The sysctl net.core.default_qdisc; pfifo_fast unless changed. */
static const struct Qdisc_ops *default_qdisc_ops = &pfifo_fast_ops;

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

/* ---- scheduler init, activation, deactivation (R-REG-14, R-UP-8/9, R-Q-11/12) ---- */

static void dev_watchdog(struct timer_list *t);

void unetdev__dev_init_scheduler(struct net_device *dev)
{
	dev->qdisc = &noop_qdisc;
	for (unsigned int i = 0; i < dev->num_tx_queues; i++) {
		struct netdev_queue *txq = netdev_get_tx_queue(dev, i);

		WRITE_ONCE(txq->qdisc, &noop_qdisc);
		txq->qdisc_sleeping = &noop_qdisc;
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
	txq->qdisc_sleeping = q;
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
	txq->qdisc_sleeping = &noop_qdisc;
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
	WRITE_ONCE(txq->qdisc, q);
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

/* A qdisc is busy while a CPU runs it or it waits on an output queue. */
static bool some_qdisc_is_busy(const struct net_device *dev)
{
	for (unsigned int i = 0; i < dev->num_tx_queues; i++) {
		const struct Qdisc *q = netdev_get_tx_queue(dev, i)->qdisc_sleeping;

		if (test_bit(__QDISC_STATE_RUNNING, &q->state) ||
		    test_bit(__QDISC_STATE_SCHED, &q->state))
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
	/* 2) wait for transmitters that picked the old qdisc before 1). */
	synchronize_net();
	/* 3) free what is queued. */
	list_for_each_entry (dev, head, close_list)
		for (unsigned int i = 0; i < dev->num_tx_queues; i++)
			qdisc_reset(netdev_get_tx_queue(dev, i)->qdisc_sleeping);
	/* 4) wait, in one-tick sleeps, until no qdisc runs or is scheduled. */
	list_for_each_entry (dev, head, close_list)
		while (some_qdisc_is_busy(dev))
			unetdev__msleep(jiffies_to_msecs(1) ? jiffies_to_msecs(1) : 1);
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

void unetdev__netif_schedule_queue(struct netdev_queue *txq)
{
	/*
	 * Intentionally empty: there is no qdisc run loop yet. The datapath
	 * replaces this body with __netif_schedule(txq->qdisc) (R-Q-10).
	 */
	(void)txq;
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
	spin_lock(&txq->_xmit_lock);
	WRITE_ONCE(txq->xmit_lock_owner, cpu); /* R-TXQ-8 */
}

void __netif_tx_unlock(struct netdev_queue *txq) UNETDEV_NO_TSA
{
	WRITE_ONCE(txq->xmit_lock_owner, -1);
	spin_unlock(&txq->_xmit_lock);
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
	if (!ndo_has(dev, ndo_tx_timeout))
		return; /* R-WD-1 */
	if (dev->watchdog_timeo <= 0)
		dev->watchdog_timeo = 5 * (int)HZ;
	/* R-WD-2: a pending timer holds a reference. */
	if (!mod_timer(&dev->watchdog_timer,
		       round_jiffies(jiffies + (unsigned long)dev->watchdog_timeo)))
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
