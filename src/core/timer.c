// SPDX-License-Identifier: MIT
/*
 * timer.c - jiffies, HZ, timers and deferred work (kernel kernel/time/timer.c,
 * kernel/workqueue.c reduced to one worker).
 *
 * The clock is either real (CLOCK_MONOTONIC) or manual: in manual mode time
 * only moves with unetdev_clock_advance(), which returns after every timer
 * and work item that became due has run. Timers run on the worker thread in
 * softirq context; work items (UNETDEV_TIMER_WORK) in process context.
 */
#include <limits.h>
#include <pthread.h>
#include <time.h>

#include "internal.h"
#include "softnet.h"

#define UNETDEV_TIMER_WORK 0x80000000u

static unsigned int hz = 1000;
static bool manual;
static unsigned long manual_jiffies = 1;
static u64 base_ns;

static pthread_mutex_t tlock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t tcond = PTHREAD_COND_INITIALIZER; /* worker wake-up */
static pthread_cond_t tidle = PTHREAD_COND_INITIALIZER; /* a timer finished */
static LIST_HEAD(timers);				/* sorted by expires */
static struct timer_list *running;
static bool worker_started;
/* Manual mode: the worker runs timers only for an advance (requested != done). */
static unsigned long advance_requested, advance_done;
static unsigned long worker_token;

u64 unetdev_clock_ns(void)
{
	if (__atomic_load_n(&manual, __ATOMIC_ACQUIRE))
		return (u64)__atomic_load_n(&manual_jiffies, __ATOMIC_ACQUIRE) *
		       (1000000000ull / hz);
	return unetdev__clock_read_ns(CLOCK_MONOTONIC);
}

bool unetdev__clock_is_manual(void)
{
	return __atomic_load_n(&manual, __ATOMIC_ACQUIRE);
}

unsigned int unetdev_hz(void)
{
	return __atomic_load_n(&hz, __ATOMIC_RELAXED);
}

/* The real clock's jiffies at @now (a CLOCK_MONOTONIC time in ns). */
static unsigned long real_jiffies_at(u64 now)
{
	u64 b = __atomic_load_n(&base_ns, __ATOMIC_RELAXED);

	if (unlikely(!b)) {
		u64 zero = 0, first = unetdev__clock_read_ns(CLOCK_MONOTONIC);

		__atomic_compare_exchange_n(&base_ns, &zero, first, false, __ATOMIC_RELAXED,
					    __ATOMIC_RELAXED);
		b = __atomic_load_n(&base_ns, __ATOMIC_RELAXED);
	}
	if (unlikely(now < b))
		now = b;
	return 1 + (unsigned long)((now - b) / (1000000000ull / unetdev_hz()));
}

unsigned long unetdev_jiffies(void)
{
	if (__atomic_load_n(&manual, __ATOMIC_ACQUIRE))
		return __atomic_load_n(&manual_jiffies, __ATOMIC_ACQUIRE);
	return real_jiffies_at(unetdev__clock_read_ns(CLOCK_MONOTONIC));
}

unsigned long unetdev__jiffies_at(u64 ns)
{
	if (__atomic_load_n(&manual, __ATOMIC_ACQUIRE))
		return 0;
	return real_jiffies_at(ns);
}

int unetdev_set_hz(unsigned int new_hz)
{
	if (new_hz != 100 && new_hz != 250 && new_hz != 300 && new_hz != 1000)
		return -EINVAL;
	__atomic_store_n(&hz, new_hz, __ATOMIC_RELAXED);
	return 0;
}

void unetdev_clock_set_manual(bool m)
{
	pthread_mutex_lock(&tlock);
	if (m && !manual)
		__atomic_store_n(&manual_jiffies, unetdev_jiffies(), __ATOMIC_RELEASE);
	__atomic_store_n(&manual, m, __ATOMIC_RELEASE);
	pthread_cond_broadcast(&tcond);
	pthread_mutex_unlock(&tlock);
}

unsigned long msecs_to_jiffies(unsigned int ms)
{
	return DIV_ROUND_UP((unsigned long)ms * unetdev_hz(), MSEC_PER_SEC);
}

unsigned int jiffies_to_msecs(unsigned long j)
{
	return (unsigned int)(j * MSEC_PER_SEC / unetdev_hz());
}

unsigned long round_jiffies(unsigned long j)
{
	unsigned long rem = j % unetdev_hz();

	return rem ? j - rem + unetdev_hz() : j;
}

static bool due(const struct timer_list *t)
{
	return time_after_eq(jiffies, t->expires);
}

static void run_one(struct timer_list *t) UNETDEV_NO_TSA
{
	struct unetdev__ctx *c = unetdev__this_ctx();
	bool work = t->flags & UNETDEV_TIMER_WORK;

	if (!work) {
		c->softirq_depth++;
		local_bh_disable();
	}
	t->function(t);
	if (!work) {
		local_bh_enable();
		c->softirq_depth--;
		/* Softirqs the timer raised (NET_TX from a queue wake or unfreeze)
		 * run now, as in the kernel's __do_softirq loop. */
		unetdev__do_softirq();
	}
}

/* In manual mode nothing runs unless unetdev_clock_advance() asked for it. */
static bool may_run_locked(void)
{
	return !manual || advance_requested != advance_done;
}

static void *worker(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&tlock);
	worker_token = unetdev_thread_token();
	for (;;) {
		struct timer_list *t = list_first_entry_or_null(&timers, struct timer_list, entry);

		if (t && due(t) && may_run_locked()) {
			list_del_init(&t->entry);
			t->pending = false;
			running = t;
			pthread_mutex_unlock(&tlock);
			run_one(t);
			pthread_mutex_lock(&tlock);
			running = NULL;
			pthread_cond_broadcast(&tidle);
			continue;
		}
		if (manual)
			advance_done = advance_requested;
		pthread_cond_broadcast(&tidle);
		if (t && !manual) {
			struct timespec ts;
			long left = (long)(t->expires - jiffies);
			u64 ns = (u64)(left > 0 ? left : 1) * (1000000000ull / unetdev_hz());

			clock_gettime(CLOCK_REALTIME, &ts);
			ns += (u64)ts.tv_nsec;
			ts.tv_sec += (time_t)(ns / 1000000000ull);
			ts.tv_nsec = (long)(ns % 1000000000ull);
			pthread_cond_timedwait(&tcond, &tlock, &ts);
		} else {
			pthread_cond_wait(&tcond, &tlock);
		}
	}
	return NULL;
}

static void start_worker_locked(void)
{
	pthread_t th;
	pthread_attr_t a;

	if (worker_started)
		return;
	pthread_attr_init(&a);
	pthread_attr_setdetachstate(&a, PTHREAD_CREATE_DETACHED);
	if (pthread_create(&th, &a, worker, NULL) == 0)
		worker_started = true;
	pthread_attr_destroy(&a);
}

void timer_setup(struct timer_list *t, void (*fn)(struct timer_list *), unsigned int flags)
{
	INIT_LIST_HEAD(&t->entry);
	t->function = fn;
	t->flags = flags;
	t->pending = false;
	t->expires = 0;
	t->cpu = -1;
}

static int detach_locked(struct timer_list *t)
{
	if (!t->pending)
		return 0;
	list_del_init(&t->entry);
	t->pending = false;
	return 1;
}

int mod_timer(struct timer_list *t, unsigned long expires)
{
	struct timer_list *pos;
	int was;

	pthread_mutex_lock(&tlock);
	was = detach_locked(t);
	t->expires = expires;
	list_for_each_entry (pos, &timers, entry)
		if (time_before(expires, pos->expires))
			break;
	list_add_tail(&t->entry, &pos->entry);
	t->pending = true;
	start_worker_locked();
	pthread_cond_broadcast(&tcond);
	pthread_mutex_unlock(&tlock);
	return was;
}

void add_timer(struct timer_list *t)
{
	mod_timer(t, t->expires);
}

int del_timer(struct timer_list *t)
{
	int was;

	pthread_mutex_lock(&tlock);
	was = detach_locked(t);
	pthread_mutex_unlock(&tlock);
	return was;
}

int del_timer_sync(struct timer_list *t)
{
	int was;

	pthread_mutex_lock(&tlock);
	was = detach_locked(t);
	while (running == t && unetdev_thread_token() != worker_token)
		pthread_cond_wait(&tidle, &tlock);
	pthread_mutex_unlock(&tlock);
	return was;
}

bool timer_pending(const struct timer_list *t)
{
	bool p;

	pthread_mutex_lock(&tlock);
	p = t->pending;
	pthread_mutex_unlock(&tlock);
	return p;
}

/* Wait until nothing due is queued and nothing is running. */
static void wait_idle_locked(void)
{
	unsigned long want = ++advance_requested;

	for (;;) {
		struct timer_list *t = list_first_entry_or_null(&timers, struct timer_list, entry);

		if (!running && !(t && due(t)) && (!manual || advance_done - want < ULONG_MAX / 2))
			return;
		if (!worker_started) {
			advance_done = advance_requested;
			if (!(t && due(t)))
				return;
			start_worker_locked();
		}
		pthread_cond_broadcast(&tcond);
		pthread_cond_wait(&tidle, &tlock);
	}
}

void unetdev_clock_advance(unsigned long ticks)
{
	if (rtnl_held_by_me()) {
		unetdev_check_report("R-SYNC-12", UNETDEV_SEV_WARN, NULL, "unetdev_clock_advance",
				     "advancing the clock while holding rtnl would deadlock "
				     "deferred work");
		return;
	}
	pthread_mutex_lock(&tlock);
	if (manual)
		__atomic_fetch_add(&manual_jiffies, ticks, __ATOMIC_RELEASE);
	if (unetdev_thread_token() != worker_token)
		wait_idle_locked();
	pthread_mutex_unlock(&tlock);
}

void unetdev_run_timers(void)
{
	unetdev_clock_advance(0);
}

/* ---- deferred process-context work ---- */

static void work_trampoline(struct timer_list *t)
{
	struct unetdev__work *w = container_of(t, struct unetdev__work, timer);

	w->fn(w);
}

void unetdev__work_init(struct unetdev__work *w, void (*fn)(struct unetdev__work *))
{
	timer_setup(&w->timer, work_trampoline, UNETDEV_TIMER_WORK);
	w->fn = fn;
}

void unetdev__schedule_delayed_work(struct unetdev__work *w, unsigned long delay)
{
	mod_timer(&w->timer, jiffies + delay);
}

void unetdev__cancel_work_sync(struct unetdev__work *w)
{
	del_timer_sync(&w->timer);
}

void unetdev__msleep(unsigned int ms)
{
	struct timespec ts = {.tv_sec = ms / 1000, .tv_nsec = (long)(ms % 1000) * 1000000L};

	nanosleep(&ts, NULL);
}
