// SPDX-License-Identifier: MIT
/*
 * ksoftirqd.c - wakeup_softirqd for threads that are not engine CPUs (kernel
 * kernel/softirq.c: __do_softirq's MAX_SOFTIRQ_RESTART / MAX_SOFTIRQ_TIME,
 * wakeup_softirqd, run_ksoftirqd). docs/runtime-model.md "ksoftirqd".
 *
 * Any thread that is not an engine CPU has a private softnet (engine.c): the
 * softirqs it raises run on it, in local_bh_enable() or at once in process
 * context, with the kernel's limits (10 rounds, 2 ms). What is still pending
 * then is handed to a ksoftirqd and the thread returns at once:
 *
 * - while engine threads run, to engine CPU (thread token % ncpus), the CPU
 *   the thread's smp_processor_id() token names: a fixed mapping, so work a
 *   thread raises keeps going to one CPU, as the kernel's work stays on the
 *   CPU that raised it;
 * - otherwise to the process's ksoftirqd thread, started at the first
 *   hand-over, which runs softirq rounds like an engine CPU without event
 *   lines.
 *
 * What moves and how:
 * - scheduled NAPIs (they own SCHED) go on the target's remote_poll list, as
 *   ____napi_schedule does for another CPU; napi_disable() waits for the
 *   target's poll as it would for any owner;
 * - the thread's backlog NAPI is lent the same way: the target polls it
 *   (process_backlog on the lender's queues) while it owns SCHED. Packets the
 *   thread queues meanwhile (netif_rx) join the same input_pkt_queue, behind
 *   the earlier ones, and the lender does not poll it again before the
 *   target completes it: no loss, no reordering. flush_all_backlogs reaches
 *   lent backlogs through the list of lenders below;
 * - scheduled qdiscs (SCHED set) go on the target's remote_output list,
 *   spliced into its output queue by net_tx_action;
 * - deferred TX doorbells were already flushed by the round that ended
 *   (engine.c), and completions (dev_kfree_skb_irq) are freed here.
 * A thread that exits hands over what is left the same way and waits for
 * its lent backlog to come back, since the backlog lives in its memory.
 */
#define _GNU_SOURCE
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <time.h>
#include <unistd.h>

#include "sch_generic.h"

static struct softnet_data ksoftirqd_sd;
static pthread_mutex_t start_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t start_cond = PTHREAD_COND_INITIALIZER;
static bool started, up, failed; /* under start_lock; @up also read atomically */

/* Threads whose backlog may be lent: pushed without a lock (a hand-over never
 * waits), removed at thread exit under lenders_lock, walked under it. */
static pthread_mutex_t lenders_lock = PTHREAD_MUTEX_INITIALIZER;
static struct softnet_data *lenders;

static void *ksoftirqd_thread(void *arg)
{
	struct softnet_data *sd = &ksoftirqd_sd;
	int err = unetdev__softnet_become_ksoftirqd(sd);

	(void)arg;
	pthread_setname_np(pthread_self(), "ksoftirqd");
	pthread_mutex_lock(&start_lock);
	if (err)
		failed = true;
	else
		__atomic_store_n(&up, true, __ATOMIC_RELEASE);
	pthread_cond_broadcast(&start_cond);
	pthread_mutex_unlock(&start_lock);
	if (err)
		return NULL;
	for (;;) { /* run_ksoftirqd */
		struct pollfd p = {.fd = sd->kickfd, .events = POLLIN};

		if (!__atomic_load_n(&sd->pending, __ATOMIC_ACQUIRE))
			(void)poll(&p, 1, 1000);
		unetdev__kick_consume(sd);
		unetdev__softnet_round(sd);
		if (__atomic_load_n(&sd->pending, __ATOMIC_ACQUIRE))
			sched_yield(); /* cond_resched: more to do, let others run first */
	}
	return NULL;
}

/* The process's ksoftirqd softnet, its thread started on first use; NULL if it cannot start. */
static struct softnet_data *ksoftirqd_get(void)
{
	pthread_attr_t attr;
	pthread_t th;

	if (likely(__atomic_load_n(&up, __ATOMIC_ACQUIRE)))
		return &ksoftirqd_sd;
	pthread_mutex_lock(&start_lock);
	if (!started && !failed) {
		started = true;
		pthread_attr_init(&attr);
		pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
		if (pthread_create(&th, &attr, ksoftirqd_thread, NULL))
			failed = true;
		pthread_attr_destroy(&attr);
	}
	while (!up && !failed)
		pthread_cond_wait(&start_cond, &start_lock);
	pthread_mutex_unlock(&start_lock);
	return failed ? NULL : &ksoftirqd_sd;
}

/* fork(): the child has no ksoftirqd thread; it starts its own when needed. */
static void ksoftirqd_atfork_child(void)
{
	pthread_mutex_init(&start_lock, NULL);
	pthread_cond_init(&start_cond, NULL);
	pthread_mutex_init(&lenders_lock, NULL);
	started = failed = false;
	__atomic_store_n(&up, false, __ATOMIC_RELAXED);
	lenders = NULL;
}

__attribute__((constructor)) static void ksoftirqd_setup(void)
{
	pthread_atfork(NULL, NULL, ksoftirqd_atfork_child);
}

static void lender_add(struct softnet_data *sd)
{
	struct softnet_data *head = __atomic_load_n(&lenders, __ATOMIC_RELAXED);

	do
		sd->next_lender = head;
	while (!__atomic_compare_exchange_n(&lenders, &head, sd, false, __ATOMIC_RELEASE,
					    __ATOMIC_RELAXED));
	sd->lender = true;
}

static void lender_del(struct softnet_data *sd)
{
	struct softnet_data *head, **pp;

	pthread_mutex_lock(&lenders_lock);
	head = sd;
	/* The head may change under a concurrent push: only a CAS removes it. */
	if (!__atomic_compare_exchange_n(&lenders, &head, sd->next_lender, false, __ATOMIC_RELEASE,
					 __ATOMIC_ACQUIRE)) {
		for (pp = &head->next_lender; *pp; pp = &(*pp)->next_lender)
			if (*pp == sd) {
				*pp = sd->next_lender;
				break;
			}
	}
	pthread_mutex_unlock(&lenders_lock);
	sd->lender = false;
}

void unetdev__ksoftirqd_for_each_backlog(void (*fn)(struct softnet_data *sd, void *arg), void *arg)
{
	pthread_mutex_lock(&lenders_lock);
	for (struct softnet_data *sd = __atomic_load_n(&lenders, __ATOMIC_ACQUIRE); sd;
	     sd = sd->next_lender)
		fn(sd, arg);
	pthread_mutex_unlock(&lenders_lock);
	if (__atomic_load_n(&up, __ATOMIC_ACQUIRE))
		fn(&ksoftirqd_sd, arg);
}

void unetdev__take_remote_output(struct softnet_data *sd)
{
	struct Qdisc *head, **tail;

	if (likely(!__atomic_load_n(&sd->remote_output, __ATOMIC_RELAXED)))
		return;
	spin_lock(&sd->lock);
	head = __atomic_load_n(&sd->remote_output, __ATOMIC_RELAXED);
	tail = sd->remote_output_tailp;
	__atomic_store_n(&sd->remote_output, NULL, __ATOMIC_RELAXED);
	sd->remote_output_tailp = &sd->remote_output;
	spin_unlock(&sd->lock);
	*sd->output_queue_tailp = head;
	sd->output_queue_tailp = tail;
}

void unetdev__output_queue_adopt(struct Qdisc *head)
{
	struct softnet_data *sd;

	if (!head)
		return;
	local_bh_disable();
	sd = unetdev__this_softnet();
	*sd->output_queue_tailp = head;
	while (head->next_sched)
		head = head->next_sched;
	sd->output_queue_tailp = &head->next_sched;
	unetdev__raise_softirq_on(sd, NET_TX_SOFTIRQ);
	local_bh_enable(); /* runs them, or hands them to a ksoftirqd */
}

/* Move everything pending on the private softnet @arg to @to (its lock taken once). */
static void hand_over(struct softnet_data *to, void *arg)
{
	struct softnet_data *sd = arg;
	struct Qdisc *q = sd->output_queue, **qtail = sd->output_queue_tailp;
	unsigned long pending;
	struct napi_struct *n;
	LIST_HEAD(napis);

	unetdev__take_remote_poll(sd);
	pending = __atomic_exchange_n(&sd->pending, 0, __ATOMIC_ACQUIRE);
	list_splice_init(&sd->poll_list, &napis);
	sd->output_queue = NULL;
	sd->output_queue_tailp = &sd->output_queue;
	if (!list_empty(&napis))
		pending |= 1UL << NET_RX_SOFTIRQ;
	if (q)
		pending |= 1UL << NET_TX_SOFTIRQ;
	list_for_each_entry (n, &napis, poll_list) {
		if (n == &sd->backlog)
			sd->backlog_lent = true;
		WRITE_ONCE(n->list_owner, to->cpu);
	}
	spin_lock(&to->lock);
	if (!list_empty(&napis)) {
		list_splice_tail_init(&napis, &to->remote_poll);
		__atomic_store_n(&to->remote_poll_pending, true, __ATOMIC_RELEASE);
	}
	if (q) {
		if (to->remote_output_tailp == &to->remote_output)
			__atomic_store_n(&to->remote_output, q, __ATOMIC_RELAXED);
		else
			*to->remote_output_tailp = q;
		to->remote_output_tailp = qtail;
	}
	spin_unlock(&to->lock);
	sd->in_net_rx_action = false; /* its poll list is empty now */
	for (; pending; pending &= pending - 1)
		unetdev__raise_softirq_on(to, (unsigned int)__builtin_ctzl(pending));
}

void unetdev__wakeup_softirqd(struct softnet_data *sd)
{
	struct softnet_data *to;

	if (!sd->lender && !list_empty(&sd->backlog.poll_list))
		lender_add(sd); /* before it is lent: flush_all_backlogs must find it */
	unetdev__free_completion_queue();
	if (!unetdev__with_engine_cpu(unetdev_thread_token(), hand_over, sd)) {
		to = ksoftirqd_get();
		if (to) {
			hand_over(to, sd);
		} else if (sd->exiting) { /* no ksoftirqd: finish here, bounded, as before */
			for (int i = 0;
			     i < 10000 && __atomic_load_n(&sd->pending, __ATOMIC_ACQUIRE); i++)
				unetdev__do_softirq();
		}
	}
	if (sd->exiting)
		unetdev__ksoftirqd_softnet_exit(sd);
}

void unetdev__ksoftirqd_softnet_exit(struct softnet_data *sd)
{
	if (sd->backlog_lent) {
		struct timespec ts = {0, 50000};

		/* Only the target completes it now: this thread queues nothing more. */
		while (test_bit(NAPI_STATE_SCHED, &sd->backlog.state))
			nanosleep(&ts, NULL);
		sd->backlog_lent = false;
	}
	if (sd->lender)
		lender_del(sd);
}

void unetdev__ksoftirqd_softnet_stat(struct unetdev_softnet_stat *sum)
{
	struct softnet_data *sd = &ksoftirqd_sd;

	if (!__atomic_load_n(&up, __ATOMIC_ACQUIRE) || sd == unetdev__this_softnet())
		return;
	sum->processed += READ_ONCE(sd->processed);
	sum->dropped += __atomic_load_n(&sd->dropped, __ATOMIC_RELAXED);
	sum->time_squeeze += __atomic_load_n(&sd->time_squeeze, __ATOMIC_RELAXED);
}
