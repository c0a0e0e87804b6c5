// SPDX-License-Identifier: MIT
/*
 * napi.c - NAPI and the per-CPU backlog (kernel net/core/dev.c:
 * netif_napi_add_weight, napi_enable/disable, napi_schedule_prep,
 * ____napi_schedule, napi_complete_done, __napi_poll, net_rx_action,
 * process_backlog, enqueue_to_backlog, flush_all_backlogs, dev_cpu_dead;
 * net/core/gro.c gro_normal_one/gro_normal_list). Rules R-NAPI, R-BL,
 * R-K-6/7, R-UNREG-6, R-SYNC-8. The GRO engine itself is gro.c.
 */
#include <arpa/inet.h>
#include <pthread.h>
#include <stdio.h>
#include <time.h>

#include "gro.h"
#include "softnet.h"

static unsigned int napi_gen_id = 1;
static int netdev_budget = 300;		       /* R-K-7 */
static unsigned int netdev_budget_jiffies = 2; /* netdev_budget_usecs = 2 jiffies */
static int dev_rx_weight = 64;		       /* R-K-6, R-NAPI-16 */
static int netdev_max_backlog = 1000;	       /* R-K-7 */

int unetdev_sysctl_netdev_budget(int v)
{
	if (v > 0)
		WRITE_ONCE(netdev_budget, v);
	return READ_ONCE(netdev_budget);
}

int unetdev_sysctl_netdev_max_backlog(int v)
{
	if (v > 0)
		WRITE_ONCE(netdev_max_backlog, v);
	return READ_ONCE(netdev_max_backlog);
}

static void cpu_relax_sleep(long ns)
{
	struct timespec ts = {0, ns};

	/* A thread waiting on its own CPU's work lets that work run, as a sleeping task would. */
	if (in_task())
		unetdev__do_softirq();
	nanosleep(&ts, NULL);
}

/* ---- add / del / enable / disable ---- */

static void napi_add_common(struct net_device *dev, struct napi_struct *n,
			    int (*poll)(struct napi_struct *, int), int weight, bool tx)
{
	if (test_and_set_bit(NAPI_STATE_LISTED, &n->state)) {
		UNETDEV_WARN("R-NAPI-1", dev, "netif_napi_add", "instance already listed");
		return;
	}
	INIT_LIST_HEAD(&n->poll_list);
	n->poll = poll;
	if (weight > NAPI_POLL_WEIGHT)
		netdev_err(dev, "netif_napi_add_weight() called with weight %d", weight);
	n->weight = weight;
	n->dev = dev;
	n->list_owner = -1;
	n->rx_list = n->rx_tail = NULL;
	n->rx_count = 0;
	memset(n->gro_hash, 0, sizeof(n->gro_hash));
	n->gro_bitmask = 0;
	n->poll_token = 0;
	set_bit(NAPI_STATE_SCHED, &n->state);
	set_bit(NAPI_STATE_NPSVC, &n->state);
	if (tx)
		set_bit(NAPI_STATE_NO_BUSY_POLL, &n->state);
	unetdev__napi_defer_init(n, dev);
	list_add_tail(&n->dev_list, &dev->napi_list);
	unetdev__live_add(UNETDEV_LIVE_NAPI, 1);
	if (READ_ONCE(dev->threaded) && unetdev__napi_thread_create(n))
		WRITE_ONCE(dev->threaded, false);
}

void netif_napi_add_weight(struct net_device *dev, struct napi_struct *n,
			   int (*poll)(struct napi_struct *, int), int weight)
{
	napi_add_common(dev, n, poll, weight, false);
}

void netif_napi_add_tx_weight(struct net_device *dev, struct napi_struct *n,
			      int (*poll)(struct napi_struct *, int), int weight)
{
	napi_add_common(dev, n, poll, weight, true);
}

static void gro_normal_free(struct napi_struct *n)
{
	while (n->rx_list) {
		struct sk_buff *skb = n->rx_list;

		n->rx_list = skb->next;
		skb->next = NULL;
		kfree_skb(skb);
	}
	n->rx_tail = NULL;
	n->rx_count = 0;
}

void netif_napi_del(struct napi_struct *n)
{
	if (!test_and_clear_bit(NAPI_STATE_LISTED, &n->state))
		return;
	if (!test_bit(NAPI_STATE_SCHED, &n->state)) /* R-NAPI-15: must be disabled */
		UNETDEV_WARN("R-NAPI-15", n->dev, "netif_napi_del", "instance is still enabled");
	list_del_init(&n->dev_list);
	unetdev__napi_timer_cancel(n);
	unetdev__gro_free(n);
	gro_normal_free(n);
	unetdev__napi_thread_stop(n);
	unetdev__live_add(UNETDEV_LIVE_NAPI, -1);
	synchronize_net();
}

void unetdev__napi_del_all(struct net_device *dev)
{
	struct napi_struct *n, *tmp;

	list_for_each_entry_safe (n, tmp, &dev->napi_list, dev_list)
		netif_napi_del(n);
}

void napi_enable(struct napi_struct *n)
{
	unsigned long val = READ_ONCE(n->state), nv;

	if (!n->napi_id)
		n->napi_id = __atomic_fetch_add(&napi_gen_id, 1, __ATOMIC_RELAXED);
	do {
		if (!(val & NAPIF_STATE_SCHED)) { /* R-NAPI-3: BUG_ON(!SCHED) */
			if (UNETDEV_BUG("R-NAPI-3", n->dev, "napi_enable",
					"instance is not disabled"))
				return;
		}
		nv = val & ~(NAPIF_STATE_SCHED | NAPIF_STATE_NPSVC);
		if (n->dev && READ_ONCE(n->dev->threaded) && n->thread)
			nv |= NAPIF_STATE_THREADED;
	} while (!__atomic_compare_exchange_n(&n->state, &val, nv, false, __ATOMIC_ACQ_REL,
					      __ATOMIC_RELAXED));
}

void napi_disable(struct napi_struct *n)
{
	unsigned long val, nv;

	might_sleep();
	set_bit(NAPI_STATE_DISABLE, &n->state);
	val = READ_ONCE(n->state);
	do {
		while (val & (NAPIF_STATE_SCHED | NAPIF_STATE_NPSVC)) {
			cpu_relax_sleep(20000);
			val = READ_ONCE(n->state);
		}
		nv = val | NAPIF_STATE_SCHED | NAPIF_STATE_NPSVC;
		nv &= ~(NAPIF_STATE_THREADED | NAPIF_STATE_THREADED_BUSY_POLL |
			NAPIF_STATE_PREFER_BUSY_POLL);
	} while (!__atomic_compare_exchange_n(&n->state, &val, nv, false, __ATOMIC_ACQ_REL,
					      __ATOMIC_RELAXED));
	unetdev__napi_timer_cancel(n); /* hrtimer_cancel(&n->timer) */
	clear_bit(NAPI_STATE_DISABLE, &n->state);
}

void napi_synchronize(const struct napi_struct *n)
{
	while (test_bit(NAPI_STATE_SCHED, &n->state))
		cpu_relax_sleep(1000000); /* R-NAPI-12: 1 ms sleeps */
}

/* ---- scheduling ---- */

bool napi_schedule_prep(struct napi_struct *n)
{
	unsigned long val = READ_ONCE(n->state), nv;

	do {
		if (unlikely(val & NAPIF_STATE_DISABLE))
			return false;
		nv = val | NAPIF_STATE_SCHED;
		if (val & NAPIF_STATE_SCHED)
			nv |= NAPIF_STATE_MISSED;
	} while (!__atomic_compare_exchange_n(&n->state, &val, nv, false, __ATOMIC_ACQ_REL,
					      __ATOMIC_RELAXED));
	return !(val & NAPIF_STATE_SCHED);
}

/* ____napi_schedule: the caller owns SCHED. */
static void napi_queue(struct softnet_data *sd, struct napi_struct *n)
{
	if (test_bit(NAPI_STATE_THREADED, &n->state) && n->thread) {
		set_bit(NAPI_STATE_SCHED_THREADED, &n->state);
		unetdev__napi_thread_wake(n);
		return;
	}
	if (!unetdev__softnet_is_mine(sd)) { /* another CPU: hand over and kick (the IPI) */
		spin_lock(&sd->lock);
		list_add_tail(&n->poll_list, &sd->remote_poll);
		__atomic_store_n(&sd->remote_poll_pending, true, __ATOMIC_RELEASE);
		WRITE_ONCE(n->list_owner, sd->cpu);
		spin_unlock(&sd->lock);
		unetdev__raise_softirq_on(sd, NET_RX_SOFTIRQ);
		return;
	}
	if (!list_empty(&n->poll_list))
		UNETDEV_WARN("R-NAPI-6", n->dev, "__napi_schedule", "already on a poll list");
	list_add_tail(&n->poll_list, &sd->poll_list);
	WRITE_ONCE(n->list_owner, (int)smp_processor_id());
	if (!sd->in_net_rx_action)
		unetdev__raise_softirq_on(sd, NET_RX_SOFTIRQ);
}

void __napi_schedule(struct napi_struct *n)
{
	napi_queue(unetdev__this_softnet(), n);
}

bool napi_if_scheduled_mark_missed(struct napi_struct *n)
{
	unsigned long val = READ_ONCE(n->state), nv;

	do {
		if (val & NAPIF_STATE_DISABLE)
			return true;
		if (!(val & NAPIF_STATE_SCHED))
			return false;
		nv = val | NAPIF_STATE_MISSED;
	} while (!__atomic_compare_exchange_n(&n->state, &val, nv, false, __ATOMIC_ACQ_REL,
					      __ATOMIC_RELAXED));
	return true;
}

/* ---- delivery batch (gro_normal) ---- */

/* gro_normal_list: hand the batch to the stack in one netif_receive_skb_list round.
 * Out of line: it runs once per batch, and inlined it made napi_gro_receive,
 * which runs per packet, save and restore registers. */
static __attribute__((noinline)) void gro_normal_list(struct napi_struct *n)
{
	struct sk_buff *skb = n->rx_list;

	if (!skb)
		return;
	n->rx_list = n->rx_tail = NULL;
	n->rx_count = 0;
	unetdev__netif_receive_skb_chain(skb);
}

/* gro_normal_one: a completed skb of @segs segments joins the batch. */
void unetdev__gro_normal_one(struct napi_struct *n, struct sk_buff *skb, int segs)
{
	skb->next = NULL;
	if (n->rx_tail)
		n->rx_tail->next = skb;
	else
		n->rx_list = skb;
	n->rx_tail = skb;
	n->rx_count += segs;
	if (n->rx_count >= GRO_NORMAL_BATCH) /* R-NAPI-17: gro_normal_batch 8 */
		gro_normal_list(n);
}

/* gro_flush_normal: held GRO skbs (all, or only old ones), then the batch.
 * Inline: after most polls nothing is held and the batch is empty. */
static inline void napi_gro_flush_normal(struct napi_struct *n, bool flush_old)
{
	if (n->gro_bitmask)
		unetdev__gro_flush(n, flush_old);
	if (n->rx_list)
		gro_normal_list(n);
}

void napi_gro_flush(struct napi_struct *n)
{
	napi_gro_flush_normal(n, false);
}

int napi_gro_receive(struct napi_struct *n, struct sk_buff *skb)
{
	int ret;

	if (unlikely(!skb) || unetdev__skb_used_after_free(skb, "napi_gro_receive"))
		return GRO_CONSUMED;
	/* dev_gro_receive: no offload for this type (not IP), straight to the
	 * batch, here rather than past the GRO engine's own entry and frame. */
	if (skb->protocol != htons(ETH_P_IP) && skb->protocol != htons(ETH_P_IPV6)) {
		unetdev__gro_normal_one(n, skb, 1);
		return GRO_NORMAL;
	}
	ret = unetdev__gro_receive(n, skb); /* checks the bucket it touched (R-NAPI-17) */
	return ret;
}

/* ---- completion ---- */

bool napi_complete_done(struct napi_struct *n, int work_done)
{
	unsigned long val, nv, timeout = 0, defer = 0;

	if (unlikely(READ_ONCE(n->state) & (NAPIF_STATE_NPSVC | NAPIF_STATE_IN_BUSY_POLL)))
		return false;
	if (unetdev__check_enabled() && READ_ONCE(n->poll_token) != unetdev_thread_token() &&
	    !test_bit(NAPI_STATE_DISABLE, &n->state))
		UNETDEV_WARN("R-NAPI-8", n->dev, "napi_complete_done",
			     "called outside the instance's own poll");
	if (unlikely(unetdev__napi_defer_on(n))) { /* napi_defer.c */
		defer = unetdev__napi_defer(n, work_done);
		timeout = defer >> 1;
	}
	napi_gro_flush_normal(n, timeout != 0);
	if (unlikely(!list_empty(&n->poll_list)))
		list_del_init(&n->poll_list);
	{ /* the owner lets go of the token before it lets go of SCHED below */
		unsigned long mine = unetdev_thread_token();

		__atomic_compare_exchange_n(&n->poll_token, &mine, 0, false, __ATOMIC_RELAXED,
					    __ATOMIC_RELAXED);
	}
	WRITE_ONCE(n->list_owner, -1);
	if (unlikely(timeout)) /* armed while SCHED is still ours (napi_defer.c) */
		unetdev__napi_timer_start(n, timeout);
	val = READ_ONCE(n->state);
	do {
		if (!(val & NAPIF_STATE_SCHED))
			UNETDEV_WARN("R-NAPI-7", n->dev, "napi_complete_done", "SCHED not set");
		nv = val & ~(NAPIF_STATE_MISSED | NAPIF_STATE_SCHED | NAPIF_STATE_SCHED_THREADED |
			     NAPIF_STATE_PREFER_BUSY_POLL);
		if (val & NAPIF_STATE_MISSED) /* poll once more: keep SCHED */
			nv |= NAPIF_STATE_SCHED;
	} while (!__atomic_compare_exchange_n(&n->state, &val, nv, false, __ATOMIC_ACQ_REL,
					      __ATOMIC_RELAXED));
	if (unlikely(val & NAPIF_STATE_MISSED)) {
		if (unlikely(timeout))
			unetdev__napi_timer_cancel(n);
		__napi_schedule(n);
		return false;
	}
	return !(defer & 1); /* false while deferring: the driver keeps its IRQ masked */
}

/* ---- polling ---- */

/* Call ->poll through its contract check (R-NAPI-8, R-SYNC-8). */
static int napi_call_poll(struct napi_struct *n, int budget)
{
	unsigned long mine = unetdev_thread_token();
	int work;

	if (unetdev__check_enabled() && !unetdev__in_softirq()) /* the check's own test, inline */
		unetdev__check_bh_off("R-SYNC-8", n->dev, "napi->poll");
	WRITE_ONCE(n->poll_token, mine);
	work = n->poll(n, budget);
	/* A poll that used its whole budget still owns the instance (R-NAPI-8): clear
	 * the token here. One that completed cleared it in napi_complete_done() before
	 * giving up SCHED; after that @n must not be touched: it may be disabled,
	 * re-added or freed by another thread (found by tests/stress/storm.c, TSan). */
	if (work >= budget && READ_ONCE(n->poll_token) == mine) /* the owner's own store */
		WRITE_ONCE(n->poll_token, 0);
	if (unlikely(work > budget)) {
		static unsigned long once;

		if (!test_and_set_bit(0, &once))
			unetdev__log(
			    3, "%s: NAPI poll function %p returned %d, exceeding its budget of %d.",
			    n->dev ? n->dev->name : "backlog", (void *)n->poll, work, budget);
		UNETDEV_WARN("R-NAPI-8", n->dev, "napi->poll", "returned %d > budget %d", work,
			     budget);
	}
	return work;
}

/* __napi_poll (R-NAPI-9). Sets *repoll when the instance must be polled again. */
int unetdev__napi_poll(struct napi_struct *n, bool *repoll)
{
	int weight = n->weight, work = 0;

	if (napi_is_scheduled(n))
		work = napi_call_poll(n, weight);
	if (likely(work < weight))
		return work;
	if (unlikely(napi_disable_pending(n))) {
		napi_complete(n);
		return work;
	}
	if (test_bit(NAPI_STATE_PREFER_BUSY_POLL, &n->state)) {
		if (napi_complete_done(n, work))
			napi_schedule(n);
		return work;
	}
	napi_gro_flush_normal(n, HZ >= 1000); /* R-NAPI-9: GRO packets older than a jiffy */
	if (unlikely(!list_empty(&n->poll_list))) {
		static unsigned long once;

		if (!test_and_set_bit(0, &once))
			unetdev__log(4, "%s: Budget exhausted after napi rescheduled",
				     n->dev ? n->dev->name : "backlog");
		return work;
	}
	*repoll = true;
	return work;
}

/* Small polls between two reads of net_rx_action's deadline (see there). */
#define NAPI_DEADLINE_POLLS 8

/* net_rx_action (R-NAPI-10). */
void unetdev__net_rx_action(struct softnet_data *sd)
{
	/* The softirq's start (its jiffies snapshot) begins the 2-jiffy budget. */
	unsigned long time_limit = unetdev__softirq_jiffies() + READ_ONCE(netdev_budget_jiffies);
	int budget = READ_ONCE(netdev_budget), work, unread_work = 0, unread_polls = 0;
	LIST_HEAD(list);
	LIST_HEAD(repoll);

	unetdev__take_remote_poll(sd);
start:
	sd->in_net_rx_action = true;
	list_splice_init(&sd->poll_list, &list);
	for (;;) {
		struct napi_struct *n;
		bool again = false;

		if (list_empty(&list)) {
			if (list_empty(&repoll)) {
				sd->in_net_rx_action = false;
				unetdev__take_remote_poll(sd);
				if (list_empty(&sd->poll_list))
					return;
				/* More was scheduled meanwhile: the deadline the
				 * last poll did not check decides whether it runs
				 * in this round. */
				if (unlikely(time_after_eq(jiffies, time_limit))) {
					sd->in_net_rx_action = true;
					__atomic_fetch_add(&sd->time_squeeze, 1, __ATOMIC_RELAXED);
					break;
				}
				goto start;
			}
			break;
		}
		n = list_first_entry(&list, struct napi_struct, poll_list);
		list_del_init(&n->poll_list);
		work = unetdev__napi_poll(n, &again);
		budget -= work;
		if (again)
			list_add_tail(&n->poll_list, &repoll);
		if (unlikely(budget <= 0)) {
			__atomic_fetch_add(&sd->time_squeeze, 1, __ATOMIC_RELAXED);
			break;
		}
		/* The deadline (a clock read here, a memory load in the kernel)
		 * only matters when there is more to poll: with nothing left, the
		 * loop ends on its own. It is read after a poll that used a full
		 * NAPI_POLL_WEIGHT of budget since the last read, or after the
		 * NAPI_DEADLINE_POLLS-th small poll (bursts of a few frames). */
		if (!list_empty(&list) || !list_empty(&repoll)) {
			unread_work += work;
			if (unread_work >= NAPI_POLL_WEIGHT ||
			    ++unread_polls >= NAPI_DEADLINE_POLLS) {
				unread_work = 0;
				unread_polls = 0;
				if (unlikely(time_after_eq(jiffies, time_limit))) {
					__atomic_fetch_add(&sd->time_squeeze, 1, __ATOMIC_RELAXED);
					break;
				}
			}
		}
	}
	unetdev__take_remote_poll(sd);
	list_splice_tail_init(&sd->poll_list, &list);
	list_splice_tail_init(&repoll, &list);
	list_splice_init(&list, &sd->poll_list);
	if (!list_empty(&sd->poll_list))
		__atomic_fetch_or(&sd->pending, 1UL << NET_RX_SOFTIRQ, __ATOMIC_RELEASE);
	else
		sd->in_net_rx_action = false;
}

/* ---- busy polling (R-NAPI-18) ---- */

bool napi_busy_loop(struct napi_struct *n, bool (*loop_end)(void *arg), void *arg, int budget)
{
	unsigned long val = READ_ONCE(n->state);
	int work;

	if (val & (NAPIF_STATE_DISABLE | NAPIF_STATE_SCHED | NAPIF_STATE_IN_BUSY_POLL |
		   NAPIF_STATE_NO_BUSY_POLL))
		return false;
	if (!__atomic_compare_exchange_n(&n->state, &val,
					 val | NAPIF_STATE_SCHED | NAPIF_STATE_IN_BUSY_POLL, false,
					 __ATOMIC_ACQ_REL, __ATOMIC_RELAXED))
		return false;
	local_bh_disable();
	do {
		napi_call_poll(n, budget);
		gro_normal_list(n);
	} while (!loop_end(arg) && !napi_disable_pending(n));
	/* busy_poll_stop: one more poll lets the driver re-arm its interrupt. */
	clear_bit(NAPI_STATE_MISSED, &n->state);
	clear_bit(NAPI_STATE_IN_BUSY_POLL, &n->state);
	work = napi_call_poll(n, budget);
	if (work == budget) {
		gro_normal_list(n);
		__napi_schedule(n);
	}
	local_bh_enable();
	return true;
}

/* ---- the backlog (R-BL, R-NAPI-16, R-UNREG-6) ---- */

/*
 * flush_all_backlogs requests (R-BL-6): a flusher publishes the device and a
 * new sequence number; each engine CPU's backlog serves it (drops the
 * device's skbs from its private process_queue) before delivering its next
 * skb and records the number in backlog_flush_done.
 */
static pthread_mutex_t backlog_flush_lock = PTHREAD_MUTEX_INITIALIZER;
static struct net_device *backlog_flush_dev; /* NULL: every UNREGISTERING device */
static unsigned long backlog_flush_seq;

static bool backlog_skb_doomed(const struct sk_buff *skb, const struct net_device *dev)
{
	if (dev)
		return skb->dev == dev;
	return READ_ONCE(skb->dev->reg_state) == NETREG_UNREGISTERING;
}

/* Drop @dev's skbs from @q (kernel flush_backlog's skb_queue_walk_safe). */
static void backlog_purge(struct unetdev__skb_queue *q, const struct net_device *dev)
{
	struct unetdev__skb_queue keep;
	struct sk_buff *skb;

	unetdev__skbq_init(&keep);
	while ((skb = unetdev__skbq_dequeue(q))) {
		if (backlog_skb_doomed(skb, dev))
			kfree_skb_reason(skb, SKB_DROP_REASON_DEV_READY);
		else
			unetdev__skbq_tail(&keep, skb);
	}
	unetdev__skbq_splice_tail(&keep, q);
}

/* The owner's side of a flush request. */
static inline void backlog_serve_flush(struct softnet_data *sd)
{
	unsigned long seq = __atomic_load_n(&backlog_flush_seq, __ATOMIC_ACQUIRE);

	if (likely(seq == READ_ONCE(sd->backlog_flush_done)))
		return;
	backlog_purge(&sd->process_queue, __atomic_load_n(&backlog_flush_dev, __ATOMIC_ACQUIRE));
	__atomic_store_n(&sd->backlog_flush_done, seq, __ATOMIC_RELEASE);
}

static int process_backlog(struct napi_struct *napi, int quota)
{
	struct softnet_data *sd = container_of(napi, struct softnet_data, backlog);
	int work = 0;

	napi->weight = READ_ONCE(dev_rx_weight);
	for (;;) {
		struct sk_buff *skb;

		backlog_serve_flush(sd);
		while ((skb = unetdev__skbq_dequeue(&sd->process_queue))) {
			netif_receive_skb(skb);
			backlog_serve_flush(sd);
			if (++work >= quota)
				return work;
		}
		spin_lock(&sd->lock);
		if (!sd->input_pkt_queue.len) {
			/* Both empty: complete (R-BL-5). Inline, as the kernel does. */
			__atomic_fetch_and(&napi->state,
					   ~(NAPIF_STATE_SCHED | NAPIF_STATE_SCHED_THREADED),
					   __ATOMIC_RELEASE);
			spin_unlock(&sd->lock);
			break;
		}
		unetdev__skbq_splice_tail(&sd->input_pkt_queue, &sd->process_queue);
		spin_unlock(&sd->lock);
	}
	return work;
}

void unetdev__softnet_init_backlog(struct softnet_data *sd)
{
	struct napi_struct *n = &sd->backlog;

	memset(n, 0, sizeof(*n));
	INIT_LIST_HEAD(&n->poll_list);
	INIT_LIST_HEAD(&n->dev_list);
	n->poll = process_backlog;
	n->weight = dev_rx_weight;
	n->list_owner = -1;
	sd->backlog_flush_done = __atomic_load_n(&backlog_flush_seq, __ATOMIC_ACQUIRE);
}

/* enqueue_to_backlog (R-BL-2..4). Consumes @skb. */
int unetdev__enqueue_to_backlog(struct sk_buff *skb, struct softnet_data *sd)
{
	struct net_device *dev = skb->dev;
	enum skb_drop_reason reason = SKB_DROP_REASON_DEV_READY;
	bool schedule;

	spin_lock(&sd->lock);
	/* R-BL-2, under the lock: a flush after dev_close sees every skb queued before. */
	if (!netif_running(dev))
		goto drop;
	if (sd->input_pkt_queue.len > (unsigned int)READ_ONCE(netdev_max_backlog)) { /* R-BL-3 */
		reason = SKB_DROP_REASON_CPU_BACKLOG;
		__atomic_fetch_add(&sd->dropped, 1, __ATOMIC_RELAXED);
		goto drop;
	}
	schedule = !test_and_set_bit(NAPI_STATE_SCHED, &sd->backlog.state);
	unetdev__skbq_tail(&sd->input_pkt_queue, skb);
	spin_unlock(&sd->lock);
	if (schedule) /* R-BL-4 */
		napi_queue(sd, &sd->backlog);
	return NET_RX_SUCCESS;
drop:
	spin_unlock(&sd->lock);
	dev_core_stats_rx_dropped_inc(dev);
	kfree_skb_reason(skb, reason);
	return NET_RX_DROP;
}

/* R-UNREG-6 / R-BL-6: drop @dev's queued skbs from @sd's input queue, and from its
 * process queue too when @sd is the caller's own. */
void unetdev__flush_backlog(struct softnet_data *sd, struct net_device *dev)
{
	spin_lock(&sd->lock);
	backlog_purge(&sd->input_pkt_queue, dev);
	spin_unlock(&sd->lock);
	/* A backlog lent to a ksoftirqd (ksoftirqd.c) is the target's to serve. */
	if (unetdev__softnet_is_mine(sd) && !sd->backlog_lent)
		backlog_purge(&sd->process_queue, dev);
}

/* Wait until engine CPU @sd served request @seq, or cannot hold @dev's skbs. */
static void flush_remote_backlog(struct softnet_data *sd, struct net_device *dev, unsigned long seq)
{
	for (;;) {
		if (__atomic_load_n(&sd->backlog_flush_done, __ATOMIC_ACQUIRE) == seq)
			return;
		if (!test_bit(NAPI_STATE_SCHED, &sd->backlog.state))
			return; /* idle backlog: its process_queue is empty */
		if (!__atomic_load_n(&sd->owner_token, __ATOMIC_ACQUIRE)) {
			/* Nobody acts as this CPU (thread gone, not attached): the
			 * queue is ours to clean (a concurrent attach is not covered). */
			backlog_purge(&sd->process_queue, dev);
			return;
		}
		cpu_relax_sleep(50000);
	}
}

struct flush_req {
	struct net_device *dev;
	unsigned long seq;
};

/* A backlog that may be polled by a ksoftirqd (lent, or the ksoftirqd's own). */
static void flush_ksoftirqd_backlog(struct softnet_data *sd, void *arg)
{
	struct flush_req *r = arg;

	if (unetdev__softnet_is_mine(sd) && !sd->backlog_lent)
		return; /* the caller's own, flushed below */
	spin_lock(&sd->lock);
	backlog_purge(&sd->input_pkt_queue, r->dev);
	spin_unlock(&sd->lock);
	while (__atomic_load_n(&sd->backlog_flush_done, __ATOMIC_ACQUIRE) != r->seq &&
	       test_bit(NAPI_STATE_SCHED, &sd->backlog.state))
		cpu_relax_sleep(50000);
}

/*
 * flush_all_backlogs (R-UNREG-6, R-BL-6): drop every queued skb of @dev (NULL:
 * of every UNREGISTERING device) from the backlog of every engine CPU, of the
 * ksoftirqd thread, of every thread that lent its backlog to a ksoftirqd
 * (ksoftirqd.c) and of the calling thread. On return none of these backlogs
 * holds such an skb or is still delivering one. Other threads' private
 * backlogs only hold skbs inside that thread's own BH-disabled section
 * (netif_rx from process context drains at local_bh_enable).
 * The devices must already be closed, so that nothing new is queued.
 * Context: process (sleeps while an engine CPU serves the request).
 */
void unetdev__flush_all_backlogs(struct net_device *dev)
{
	unsigned int ncpu = unetdev_engine_ncpus();
	unsigned long seq;

	pthread_mutex_lock(&backlog_flush_lock);
	__atomic_store_n(&backlog_flush_dev, dev, __ATOMIC_RELEASE);
	seq = __atomic_add_fetch(&backlog_flush_seq, 1, __ATOMIC_ACQ_REL);
	for (unsigned int i = 0; i < ncpu; i++) {
		struct softnet_data *sd = unetdev__cpu_softnet((int)i);

		if (!sd)
			break;
		unetdev__flush_backlog(sd, dev);
		if (!unetdev__softnet_is_mine(sd))
			flush_remote_backlog(sd, dev, seq);
	}
	{
		struct flush_req r = {.dev = dev, .seq = seq};

		unetdev__ksoftirqd_for_each_backlog(flush_ksoftirqd_backlog, &r);
	}
	unetdev__flush_backlog(unetdev__this_softnet(), dev);
	pthread_mutex_unlock(&backlog_flush_lock);
}

/*
 * dev_cpu_dead, first half (R-BL-6): move the backlog of engine CPU @sd, whose
 * thread has exited, to @q (process queue first, keeping the order) and leave
 * its backlog NAPI idle. Call before @sd is freed.
 */
void unetdev__backlog_cpu_dead(struct softnet_data *sd, struct unetdev__skb_queue *q)
{
	spin_lock(&sd->lock);
	unetdev__skbq_splice_tail(&sd->process_queue, q);
	unetdev__skbq_splice_tail(&sd->input_pkt_queue, q);
	clear_bit(NAPI_STATE_SCHED, &sd->backlog.state);
	spin_unlock(&sd->lock);
}

/* Second half: re-inject @q through netif_rx on the calling (surviving) thread;
 * delivered when the BH section ends, here. Context: process, no engine lock held. */
void unetdev__backlog_reinject(struct unetdev__skb_queue *q)
{
	struct sk_buff *skb;

	local_bh_disable();
	while ((skb = unetdev__skbq_dequeue(q)))
		netif_rx(skb);
	local_bh_enable();
}

__attribute__((constructor)) static void napi_softirq_setup(void)
{
	unetdev__open_softirq(NET_RX_SOFTIRQ, unetdev__net_rx_action);
}
