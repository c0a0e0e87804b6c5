// SPDX-License-Identifier: MIT
/*
 * engine.c - CPUs as threads: per-CPU softnet data, softirqs, and file
 * descriptors as interrupt lines (kernel kernel/softirq.c, the softnet part
 * of net/core/dev.c). DESIGN.md "Runtime model"; rules R-NAPI-6/10/11,
 * R-BL-4, R-Q-10 rely on it.
 *
 * A CPU's loop: wait for events (epoll), run each ready line's handler in
 * hardirq context, then run pending softirqs (NET_TX before NET_RX, restarted
 * up to MAX_SOFTIRQ_RESTART times within 2 ms, then left for the next round
 * as ksoftirqd would). Any other thread runs the softirqs it raised on its
 * private softnet with the same limits, then hands what is left to a
 * ksoftirqd (wakeup_softirqd, ksoftirqd.c).
 */
#include <stdio.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <time.h>
#include <unistd.h>

#include "softnet.h"

#define MAX_SOFTIRQ_RESTART 10
#define MAX_SOFTIRQ_NS	    2000000ull

struct unetdev_irq {
	struct list_head list;
	struct softnet_data *sd;
	int fd;
	u32 events;
	unetdev_irq_handler_t fn;
	void *ctx;
	bool dead;
	bool out; /* masked by leaving the epoll set (unetdev_irq_set_events) */
};

static void (*softirq_vec[NR_SOFTIRQS])(struct softnet_data *sd);

static struct softnet_data *cpus;
static unsigned int ncpus;
static pthread_mutex_t engine_lock = PTHREAD_MUTEX_INITIALIZER;
/* Write-held while CPUs are published or stopped; wakeup_softirqd read-tries it. */
static pthread_rwlock_t engine_cpus_lock = PTHREAD_RWLOCK_INITIALIZER;

static UNETDEV_TLS struct softnet_data *this_sd;   /* engine CPU acting on this thread */
static UNETDEV_TLS struct softnet_data private_sd; /* a non-engine thread's own */
/* this_sd, or &private_sd once initialised: the inline unetdev__this_softnet(). */
UNETDEV_TLS struct softnet_data *unetdev__cur_sd;

static void set_this_sd(struct softnet_data *sd)
{
	this_sd = sd;
	unetdev__cur_sd = sd ? sd : (private_sd.initialised ? &private_sd : NULL);
}

void unetdev__open_softirq(unsigned int nr, void (*action)(struct softnet_data *))
{
	softirq_vec[nr] = action;
}

static void softnet_init(struct softnet_data *sd, int cpu)
{
	INIT_LIST_HEAD(&sd->poll_list);
	INIT_LIST_HEAD(&sd->remote_poll);
	INIT_LIST_HEAD(&sd->irqs);
	INIT_LIST_HEAD(&sd->dead_irqs);
	unetdev__skbq_init(&sd->process_queue);
	unetdev__skbq_init(&sd->input_pkt_queue);
	sd->output_queue = NULL;
	sd->output_queue_tailp = &sd->output_queue;
	sd->remote_output = NULL;
	sd->remote_output_tailp = &sd->remote_output;
	spin_lock_init(&sd->lock);
	sd->cpu = cpu;
	sd->epfd = sd->kickfd = -1;
	unetdev__napi_timers_init(sd);
	unetdev__softnet_init_backlog(sd);
	sd->initialised = true;
}

static pthread_key_t exit_key;
static pthread_once_t exit_key_once = PTHREAD_ONCE_INIT;

/*
 * A thread that exits with softirq work pending on its own softnet (a NAPI
 * it scheduled, packets in its backlog, a scheduled qdisc) runs it once more
 * within the softirq limits and hands the rest to a ksoftirqd (a NAPI left
 * owning SCHED would hang napi_disable()); its backlog, which lives here,
 * must come back before the thread's memory goes.
 */
static void private_softnet_exit(void *arg)
{
	struct softnet_data *sd = arg;

	sd->exiting = true;
	unetdev__do_softirq();
	if (__atomic_load_n(&sd->pending, __ATOMIC_ACQUIRE) || !list_empty(&sd->poll_list) ||
	    sd->output_queue)
		unetdev__wakeup_softirqd(sd);
	unetdev__ksoftirqd_softnet_exit(sd);
	unetdev__skb_cache_drain(sd, true); /* frees after this go to the heap */
}

static void exit_key_create(void)
{
	pthread_key_create(&exit_key, private_softnet_exit);
}

struct softnet_data *unetdev__this_softnet_slow(void)
{
	if (this_sd)
		return this_sd;
	if (unlikely(!private_sd.initialised)) {
		softnet_init(&private_sd, -1);
		unetdev__tx_rcu_prepare(); /* its one-time cost is not a softirq round's */
		pthread_once(&exit_key_once, exit_key_create);
		pthread_setspecific(exit_key, &private_sd);
	}
	unetdev__cur_sd = &private_sd;
	return &private_sd;
}

struct softnet_data *unetdev__cpu_softnet(int cpu)
{
	if (cpu < 0 || (unsigned int)cpu >= __atomic_load_n(&ncpus, __ATOMIC_ACQUIRE))
		return NULL;
	return &cpus[cpu];
}

bool unetdev__softnet_is_mine(const struct softnet_data *sd)
{
	return sd == unetdev__this_softnet();
}

unsigned int unetdev_engine_ncpus(void)
{
	return __atomic_load_n(&ncpus, __ATOMIC_ACQUIRE);
}

/*
 * Wake the CPU's loop (the IPI; wakeup_softirqd for its own pending work).
 * One write until the loop consumes it: while the eventfd is readable a
 * second write wakes nobody, and a CPU driven inline that keeps finding work
 * pending at the end of its softirq rounds (a NAPI that is always repolled)
 * would otherwise make a system call per round.
 */
static void kick(struct softnet_data *sd)
{
	u64 one = 1;

	if (sd->kickfd < 0 || __atomic_exchange_n(&sd->kicked, true, __ATOMIC_ACQ_REL))
		return;
	if (write(sd->kickfd, &one, sizeof(one)) < 0)
		return; /* the counter is saturated: a wake-up is pending anyway */
}

int unetdev__softnet_become_ksoftirqd(struct softnet_data *sd)
{
	softnet_init(sd, -1);
	sd->ksoftirqd = true;
	sd->kickfd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	if (sd->kickfd < 0)
		return -errno;
	set_this_sd(sd);
	__atomic_store_n(&sd->owner_token, unetdev_thread_token(), __ATOMIC_RELEASE);
	return 0;
}

bool unetdev__with_engine_cpu(unsigned long token, void (*fn)(struct softnet_data *sd, void *arg),
			      void *arg)
{
	bool done = false;

	if (!__atomic_load_n(&ncpus, __ATOMIC_ACQUIRE) ||
	    pthread_rwlock_tryrdlock(&engine_cpus_lock))
		return false;
	if (cpus && ncpus) {
		struct softnet_data *sd = &cpus[token % ncpus];

		if (sd->has_thread && !__atomic_load_n(&sd->stop, __ATOMIC_ACQUIRE)) {
			fn(sd, arg);
			done = true;
		}
	}
	pthread_rwlock_unlock(&engine_cpus_lock);
	return done;
}

void unetdev__raise_softirq_on(struct softnet_data *sd, unsigned int nr)
{
	__atomic_fetch_or(&sd->pending, 1UL << nr, __ATOMIC_RELEASE);
	if (!unetdev__softnet_is_mine(sd)) {
		kick(sd);
		return;
	}
	/* Process context with BHs enabled: run now, as ksoftirqd would. */
	if (in_task())
		unetdev__do_softirq();
}

void raise_softirq(unsigned int nr)
{
	if (nr < NR_SOFTIRQS)
		unetdev__raise_softirq_on(unetdev__this_softnet(), nr);
}

void unetdev__take_remote_poll(struct softnet_data *sd)
{
	if (!__atomic_load_n(&sd->remote_poll_pending,
			     __ATOMIC_ACQUIRE)) /* the lock is the truth */
		return;
	spin_lock(&sd->lock);
	list_splice_tail_init(&sd->remote_poll, &sd->poll_list);
	__atomic_store_n(&sd->remote_poll_pending, false, __ATOMIC_RELAXED);
	spin_unlock(&sd->lock);
}

/*
 * Has this softirq run used up its MAX_SOFTIRQ_NS? The kernel's softirq
 * cannot be preempted, so its 2 ms are time spent running. An engine CPU
 * measures the clock (it has a core to itself); a thread without an engine
 * CPU measures its own CPU time from its first restart (*cpu0, read then),
 * so being preempted on a busy machine never hands its work to ksoftirqd.
 * The manual test clock never expires: only the restart count applies.
 */
static bool softirq_time_up(const struct softnet_data *sd, u64 start, u64 *cpu0)
{
	if (sd->cpu >= 0 || sd->ksoftirqd || unetdev__clock_is_manual())
		return unetdev_clock_ns() - start > MAX_SOFTIRQ_NS;
	if (!*cpu0) {
		*cpu0 = unetdev__clock_read_ns(CLOCK_THREAD_CPUTIME_ID);
		return false;
	}
	return unetdev__clock_read_ns(CLOCK_THREAD_CPUTIME_ID) - *cpu0 > MAX_SOFTIRQ_NS;
}

/* Run pending softirqs of this thread's softnet (kernel __do_softirq). */
void unetdev__do_softirq(void)
{
	struct unetdev__ctx *c = unetdev__this_ctx();
	struct softnet_data *sd;
	u64 start, cpu0 = 0;
	int restart = MAX_SOFTIRQ_RESTART;

	if (c->bh_depth || c->softirq_depth || c->hardirq_depth)
		return;
	sd = unetdev__this_softnet();
	start = unetdev__clock_is_manual() ? unetdev_clock_ns()
					   : unetdev__clock_read_ns(CLOCK_MONOTONIC);
	c->softirq_jiffies = unetdev__jiffies_at(start); /* no second clock read */
	c->softirq_depth++;
	for (bool ran = false;; ran = true) {
		unsigned long pending;

		if (!__atomic_load_n(&sd->pending, __ATOMIC_ACQUIRE))
			break;
		/* Another round is pending. After MAX_SOFTIRQ_RESTART rounds or 2 ms
		 * it is left to ksoftirqd: an engine CPU's (or the ksoftirqd
		 * thread's) next round, or, for any other thread, wakeup_softirqd
		 * below. Checked only when there is more to run: no clock read
		 * otherwise; and only at every other restart (the first one
		 * included): a round can overrun the 2 ms by at most one more
		 * round, and an engine CPU that restarts at every poll of one
		 * frame reads the clock half as often (the kernel's is a load). */
		if (ran && (--restart == 0 || ((restart & 1) && softirq_time_up(sd, start, &cpu0))))
			break;
		pending = __atomic_exchange_n(&sd->pending, 0, __ATOMIC_ACQUIRE);
		for (; pending; pending &= pending - 1) { /* set bits only, in order */
			unsigned int nr = (unsigned int)__builtin_ctzl(pending);

			if (nr < NR_SOFTIRQS && softirq_vec[nr])
				softirq_vec[nr](sd);
		}
	}
	if (sd->xmit_flush_list) /* the round's deferred TX doorbells (xdp_do_flush) */
		unetdev__xmit_flush(sd);
	c->softirq_depth--;
	c->softirq_jiffies = 0; /* other softirq-context paths read the clock */
	if (likely(!__atomic_load_n(&sd->pending, __ATOMIC_ACQUIRE)))
		return;
	if (sd->cpu >= 0)
		kick(sd); /* make the engine loop come back */
	else if (!sd->ksoftirqd)
		unetdev__wakeup_softirqd(sd); /* the task that raised the work returns */
}

/* ---- interrupt lines ---- */

int unetdev_irq_request(unsigned int cpu, int fd, u32 events, unetdev_irq_handler_t fn, void *ctx,
			struct unetdev_irq **out)
{
	struct softnet_data *sd = unetdev__cpu_softnet((int)cpu);
	struct epoll_event ev = {.events = events};
	struct unetdev_irq *irq;

	if (!sd || fd < 0 || !fn || !out)
		return -EINVAL;
	irq = unetdev__kzalloc(sizeof(*irq), "kmalloc");
	if (!irq)
		return -ENOMEM;
	*irq = (struct unetdev_irq){.sd = sd, .fd = fd, .events = events, .fn = fn, .ctx = ctx};
	ev.data.ptr = irq;
	pthread_mutex_lock(&sd->irq_lock);
	if (epoll_ctl(sd->epfd, EPOLL_CTL_ADD, fd, &ev) < 0) {
		int err = -errno;

		pthread_mutex_unlock(&sd->irq_lock);
		unetdev__kfree(irq);
		return err;
	}
	list_add_tail(&irq->list, &sd->irqs);
	pthread_mutex_unlock(&sd->irq_lock);
	*out = irq;
	return 0;
}

/*
 * A line masked entirely leaves the epoll set: EPOLL_CTL_MOD with no events
 * would keep its entry on the file's wait queue, and the kernel would still
 * run the epoll callback for every frame it queues (a masked NAPI deferring
 * its interrupt for a whole burst would pay it per frame).
 */
int unetdev_irq_set_events(struct unetdev_irq *irq, u32 events)
{
	struct epoll_event ev = {.events = events, .data.ptr = irq};
	int op = EPOLL_CTL_MOD;

	irq->events = events;
	if (!events && irq->out)
		return 0;
	if (!events)
		op = EPOLL_CTL_DEL;
	else if (irq->out)
		op = EPOLL_CTL_ADD;
	if (epoll_ctl(irq->sd->epfd, op, irq->fd, &ev) < 0)
		return -errno;
	irq->out = !events;
	return 0;
}

void unetdev_irq_free(struct unetdev_irq *irq)
{
	struct softnet_data *sd;

	if (!irq)
		return;
	sd = irq->sd;
	pthread_mutex_lock(&sd->irq_lock); /* waits for a running handler */
	epoll_ctl(sd->epfd, EPOLL_CTL_DEL, irq->fd, NULL);
	irq->dead = true;
	list_move_tail(&irq->list, &sd->dead_irqs); /* freed after the current batch */
	pthread_mutex_unlock(&sd->irq_lock);
	kick(sd);
}

static void free_dead_irqs(struct softnet_data *sd)
{
	struct unetdev_irq *irq, *n;

	list_for_each_entry_safe (irq, n, &sd->dead_irqs, list) {
		list_del(&irq->list);
		unetdev__kfree(irq);
	}
}

/* One round of a CPU's loop. Returns the number of handlers run. */
void unetdev__kick_consume(struct softnet_data *sd)
{
	u64 v;

	if (read(sd->kickfd, &v, sizeof(v)) < 0)
		return; /* not kicked: a timeout, or work found pending */
	/* After the read: a kick skipped meanwhile is seen by the round that
	 * follows (its work was published before its exchange). */
	(void)__atomic_exchange_n(&sd->kicked, false, __ATOMIC_ACQ_REL);
}

void unetdev__softnet_round(struct softnet_data *sd)
{
	unetdev__take_remote_poll(sd);
	if (!list_empty(&sd->poll_list))
		__atomic_fetch_or(&sd->pending, 1UL << NET_RX_SOFTIRQ, __ATOMIC_RELEASE);
	unetdev__do_softirq();
}

static int cpu_round(struct softnet_data *sd, int timeout_ms)
{
	struct unetdev__ctx *c = unetdev__this_ctx();
	struct epoll_event evs[64];
	struct timespec ts, *tsp;
	int n = 0, ran = 0;

	if (__atomic_load_n(&sd->pending, __ATOMIC_ACQUIRE))
		timeout_ms = 0;
	/* With NAPI deferral timers armed the wait ends at the next one (ns), and
	 * busy polling skips it (napi_defer.c). */
	if (likely(!__atomic_load_n(&sd->napi_timers_armed, __ATOMIC_RELAXED)))
		n = epoll_wait(sd->epfd, evs, (int)ARRAY_SIZE(evs), timeout_ms);
	else if (unetdev__napi_timers_wait(sd, timeout_ms, &ts, &tsp))
		n = epoll_pwait2(sd->epfd, evs, (int)ARRAY_SIZE(evs), tsp, NULL);
	pthread_mutex_lock(&sd->irq_lock);
	for (int i = 0; i < n; i++) {
		struct unetdev_irq *irq = evs[i].data.ptr;

		if (!irq) { /* the kick eventfd */
			unetdev__kick_consume(sd);
			continue;
		}
		if (irq->dead)
			continue;
		c->hardirq_depth++;
		irq->fn(irq->ctx, evs[i].events);
		c->hardirq_depth--;
		ran++;
	}
	free_dead_irqs(sd);
	pthread_mutex_unlock(&sd->irq_lock);
	if (unlikely(__atomic_load_n(&sd->napi_timers_armed, __ATOMIC_RELAXED)))
		unetdev__napi_timers_run(sd);
	unetdev__softnet_round(sd);
	return ran;
}

static void *engine_thread(void *arg)
{
	struct softnet_data *sd = arg;
	struct unetdev__ctx *c = unetdev__this_ctx();

	c->cpu = sd->cpu;
	set_this_sd(sd);
	__atomic_store_n(&sd->owner_token, c->token, __ATOMIC_RELEASE);
	while (!__atomic_load_n(&sd->stop, __ATOMIC_ACQUIRE))
		cpu_round(sd, 100);
	cpu_round(sd, 0); /* drain */
	__atomic_store_n(&sd->owner_token, 0, __ATOMIC_RELEASE);
	set_this_sd(NULL);
	c->cpu = -1;
	return NULL;
}

static int cpu_open(struct softnet_data *sd, int cpu)
{
	struct epoll_event ev = {.events = EPOLLIN, .data.ptr = NULL};

	softnet_init(sd, cpu);
	pthread_mutex_init(&sd->irq_lock, NULL);
	sd->epfd = epoll_create1(EPOLL_CLOEXEC);
	sd->kickfd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	sd->kicked = false;
	if (sd->epfd < 0 || sd->kickfd < 0 ||
	    epoll_ctl(sd->epfd, EPOLL_CTL_ADD, sd->kickfd, &ev) < 0)
		return -errno;
	return 0;
}

static void cpu_close(struct softnet_data *sd)
{
	struct unetdev_irq *irq, *n;

	list_for_each_entry_safe (irq, n, &sd->irqs, list) {
		unetdev__log(4, "engine: CPU %d: interrupt line fd %d still requested at stop",
			     sd->cpu, irq->fd);
		list_move_tail(&irq->list, &sd->dead_irqs);
	}
	free_dead_irqs(sd);
	unetdev__skb_cache_drain(sd, false);
	if (sd->epfd >= 0)
		close(sd->epfd);
	if (sd->kickfd >= 0)
		close(sd->kickfd);
	pthread_mutex_destroy(&sd->irq_lock);
	spin_lock_destroy(&sd->napi_timer_lock);
	spin_lock_destroy(&sd->lock);
}

int unetdev_engine_start(const struct unetdev_engine_config *cfg)
{
	unsigned int n =
	    cfg && cfg->ncpus ? cfg->ncpus : (unsigned int)sysconf(_SC_NPROCESSORS_ONLN);
	bool threads = !(cfg && cfg->no_threads);
	bool busy =
	    cfg && cfg->sz > offsetof(struct unetdev_engine_config, busy_poll) && cfg->busy_poll;
	struct softnet_data *sds;
	int err = 0;

	if (n < 1 || n > UNETDEV_MAX_CPUS)
		return -EINVAL;
	pthread_mutex_lock(&engine_lock);
	if (cpus) {
		pthread_mutex_unlock(&engine_lock);
		return -EBUSY;
	}
	sds = unetdev__kcalloc(n, sizeof(*sds), "percpu");
	if (!sds) {
		pthread_mutex_unlock(&engine_lock);
		return -ENOMEM;
	}
	for (unsigned int i = 0; i < n && !err; i++) {
		err = cpu_open(&sds[i], (int)i);
		sds[i].busy_poll = busy;
	}
	if (err)
		goto fail;
	pthread_rwlock_wrlock(&engine_cpus_lock);
	cpus = sds;
	__atomic_store_n(&ncpus, n, __ATOMIC_RELEASE);
	for (unsigned int i = 0; threads && i < n; i++)
		sds[i].has_thread =
		    pthread_create(&sds[i].thread, NULL, engine_thread, &sds[i]) == 0;
	pthread_rwlock_unlock(&engine_cpus_lock);
	pthread_mutex_unlock(&engine_lock);
	return 0;
fail:
	for (unsigned int i = 0; i < n; i++)
		if (sds[i].initialised)
			cpu_close(&sds[i]);
	unetdev__kfree(sds);
	pthread_mutex_unlock(&engine_lock);
	return err;
}

/*
 * Take what a stopped CPU still holds (kernel dev_cpu_dead, R-BL-6): its
 * backlog into @q, its scheduled NAPIs (they own SCHED) onto @napis, its
 * scheduled qdiscs onto the chain ending at *@qtail, its armed NAPI deferral
 * timers onto @timers.
 */
static void cpu_dead(struct softnet_data *sd, struct unetdev__skb_queue *q, struct list_head *napis,
		     struct Qdisc ***qtail, struct list_head *timers)
{
	struct napi_struct *n, *tmp;

	unetdev__napi_timers_cpu_dead(sd, timers);
	unetdev__take_remote_output(sd);
	if (sd->output_queue) {
		**qtail = sd->output_queue;
		*qtail = sd->output_queue_tailp;
		sd->output_queue = NULL;
		sd->output_queue_tailp = &sd->output_queue;
	}
	unetdev__take_remote_poll(sd);
	list_for_each_entry_safe (n, tmp, &sd->poll_list, poll_list) {
		list_del_init(&n->poll_list);
		if (n != &sd->backlog)
			list_add_tail(&n->poll_list, napis);
	}
	unetdev__backlog_cpu_dead(sd, q);
}

void unetdev_engine_stop(void)
{
	struct Qdisc *qdiscs = NULL, **qtail = &qdiscs;
	struct unetdev__skb_queue q;
	struct napi_struct *n, *tmp;
	LIST_HEAD(napis);
	LIST_HEAD(timers);

	unetdev__skbq_init(&q);
	pthread_mutex_lock(&engine_lock);
	if (!cpus) {
		pthread_mutex_unlock(&engine_lock);
		return;
	}
	pthread_rwlock_wrlock(&engine_cpus_lock); /* no hand-over to a CPU that stops */
	for (unsigned int i = 0; i < ncpus; i++) {
		__atomic_store_n(&cpus[i].stop, true, __ATOMIC_RELEASE);
		kick(&cpus[i]);
	}
	pthread_rwlock_unlock(&engine_cpus_lock);
	for (unsigned int i = 0; i < ncpus; i++)
		if (cpus[i].has_thread)
			pthread_join(cpus[i].thread, NULL);
	for (unsigned int i = 0; i < ncpus; i++) {
		cpu_dead(&cpus[i], &q, &napis, &qtail, &timers);
		cpu_close(&cpus[i]);
	}
	pthread_rwlock_wrlock(&engine_cpus_lock);
	__atomic_store_n(&ncpus, 0, __ATOMIC_RELEASE);
	unetdev__kfree(cpus);
	cpus = NULL;
	pthread_rwlock_unlock(&engine_cpus_lock);
	pthread_mutex_unlock(&engine_lock);
	/* Outside the engine lock: handlers and polls run on this thread now. */
	list_for_each_entry_safe (n, tmp, &napis, poll_list) {
		list_del_init(&n->poll_list);
		__napi_schedule(n);
	}
	unetdev__napi_timers_fire(&timers); /* expire now: no CPU is left to run them */
	unetdev__backlog_reinject(&q);
	unetdev__output_queue_adopt(qdiscs);
}

int unetdev_cpu_attach(unsigned int cpu)
{
	struct softnet_data *sd = unetdev__cpu_softnet((int)cpu);
	unsigned long zero = 0;

	if (!sd)
		return -EINVAL;
	if (sd->has_thread ||
	    !__atomic_compare_exchange_n(&sd->owner_token, &zero, unetdev_thread_token(), false,
					 __ATOMIC_ACQ_REL, __ATOMIC_RELAXED))
		return -EBUSY;
	set_this_sd(sd);
	unetdev__this_ctx()->cpu = (int)cpu;
	return 0;
}

void unetdev_cpu_detach(void)
{
	struct softnet_data *sd = this_sd;

	if (!sd)
		return;
	cpu_round(sd, 0);
	set_this_sd(NULL);
	unetdev__this_ctx()->cpu = -1;
	__atomic_store_n(&sd->owner_token, 0, __ATOMIC_RELEASE);
}

int unetdev_cpu_run(int timeout_ms)
{
	struct softnet_data *sd = unetdev__this_softnet();

	if (sd->cpu < 0) { /* a private softnet has no event lines */
		unetdev__do_softirq();
		return 0;
	}
	return cpu_round(sd, timeout_ms);
}

void unetdev_softnet_stat(struct unetdev_softnet_stat *sum)
{
	struct softnet_data *sd = unetdev__this_softnet();

	memset(sum, 0, sizeof(*sum));
	pthread_mutex_lock(&engine_lock);
	for (unsigned int i = 0; i < ncpus; i++) {
		sum->processed += READ_ONCE(cpus[i].processed);
		sum->dropped += READ_ONCE(cpus[i].dropped);
		sum->time_squeeze += READ_ONCE(cpus[i].time_squeeze);
	}
	pthread_mutex_unlock(&engine_lock);
	unetdev__ksoftirqd_softnet_stat(sum);
	if (sd->cpu < 0) {
		sum->processed += sd->processed;
		sum->dropped += sd->dropped;
		sum->time_squeeze += sd->time_squeeze;
	}
}
