// SPDX-License-Identifier: MIT
/*
 * napi_defer.c - interrupt deferral of NAPI instances and the engine's busy
 * polling of them (kernel net/core/dev.c: napi_complete_done's deferral,
 * napi_watchdog and napi->timer, napi_get/set_defer_hard_irqs,
 * netdev_set_defer_hard_irqs, netdev_set_gro_flush_timeout; net-sysfs.c
 * napi_defer_hard_irqs and gro_flush_timeout; the prefer_busy_poll idea of
 * busy_poll_stop). Rules R-NAPI-0, R-NAPI-4, R-NAPI-7, R-NAPI-15, R-NAPI-18.
 *
 * With defer_hard_irqs D and gro_flush_timeout T both set, a poll that did
 * work reloads the count to D; each completion while the count is positive
 * takes one off it, answers false (the driver keeps its interrupt line
 * masked) and arms the timer, which schedules the instance again T ns later.
 * After D empty polls in a row napi_complete_done answers true and the driver
 * unmasks. Under steady traffic the line is never unmasked: no wake-up per
 * frame, one poll per T.
 *
 * The timer (the kernel's hrtimer, pinned to the CPU) lives on an engine
 * CPU: the one the completing thread acts as, else CPU 0 (a threaded NAPI, a
 * thread's own softnet). That CPU's loop waits in epoll_pwait2 no longer than
 * its nearest timer and fires the expired ones, in hardirq context, before
 * its softirqs. In busy-poll mode (unetdev_engine_config.busy_poll) a CPU
 * with armed timers does not wait at all: it fires them at once, so the
 * deferred instances are re-polled back to back until their counts run out
 * (it spins; an epoll_wait(0) every BUSY_EPOLL_EVERY rounds still serves
 * the other lines).
 *
 * Unlike the kernel, the timer is armed before napi_complete_done gives up
 * SCHED, so that napi_disable (which owns SCHED when it cancels) always
 * sees it and nothing touches the instance after the release (netif_napi_del
 * may free it). A watchdog that fires before the release finds SCHED set and
 * marks MISSED: the completion then polls once more instead of losing it.
 */
#include <limits.h>
#include <time.h>

#include "softnet.h"

#define BUSY_EPOLL_EVERY 16 /* busy rounds between two epoll_wait(0) */

void unetdev__napi_timers_init(struct softnet_data *sd)
{
	spin_lock_init(&sd->napi_timer_lock);
	INIT_LIST_HEAD(&sd->napi_timers);
	sd->napi_timers_armed = 0;
	sd->busy_rounds = 0;
}

void unetdev__napi_defer_init(struct napi_struct *n, struct net_device *dev)
{
	INIT_LIST_HEAD(&n->timer.node);
	n->timer.base = NULL;
	n->timer.expires = 0;
	n->defer_hard_irqs_count = 0;
	napi_set_defer_hard_irqs(n, READ_ONCE(dev->napi_defer_hard_irqs));
	napi_set_gro_flush_timeout(n, READ_ONCE(dev->gro_flush_timeout));
}

/* The CPU whose loop runs @n's timer: the caller's engine CPU, else CPU 0. */
static struct softnet_data *timer_home(void)
{
	struct softnet_data *sd = unetdev__this_softnet();

	return sd->cpu >= 0 ? sd : unetdev__cpu_softnet(0);
}

/*
 * napi_complete_done, between "if (work_done)" and gro_flush_normal: returns
 * the timeout to arm (ns) shifted left by one, with bit 0 set when the
 * completion must answer false (deferring; a register, not a bool through
 * memory, on the completion's path). With no engine CPU to run a timer
 * (none started) nothing is deferred or armed, as with gro_flush_timeout 0.
 */
unsigned long unetdev__napi_defer(struct napi_struct *n, int work_done)
{
	unsigned long timeout = 0;
	bool deferring = false;

	if (work_done) {
		if (n->gro_bitmask)
			timeout = napi_get_gro_flush_timeout(n);
		n->defer_hard_irqs_count = (int)napi_get_defer_hard_irqs(n);
	}
	if (n->defer_hard_irqs_count > 0) {
		n->defer_hard_irqs_count--;
		timeout = napi_get_gro_flush_timeout(n);
		deferring = timeout != 0;
	}
	if (timeout && !timer_home())
		return 0;
	return min_t(unsigned long, timeout, ULONG_MAX >> 1) << 1 | deferring;
}

/* Unlink an armed timer. Context: its base's napi_timer_lock. */
static void timer_unlink(struct softnet_data *base, struct napi_struct *n)
{
	list_del_init(&n->timer.node);
	WRITE_ONCE(n->timer.base, NULL);
	__atomic_fetch_sub(&base->napi_timers_armed, 1, __ATOMIC_RELAXED);
}

/* hrtimer_cancel: on return the timer is idle and its watchdog not running. */
void unetdev__napi_timer_cancel(struct napi_struct *n)
{
	struct softnet_data *base;

	while ((base = __atomic_load_n(&n->timer.base, __ATOMIC_ACQUIRE))) {
		spin_lock(&base->napi_timer_lock);
		if (READ_ONCE(n->timer.base) == base)
			timer_unlink(base, n);
		spin_unlock(&base->napi_timer_lock);
	}
}

/*
 * hrtimer_start(&n->timer, ns, HRTIMER_MODE_REL_PINNED). Should the engine
 * have stopped since unetdev__napi_defer() found a CPU, there is nothing to
 * run it: the instance is polled again at once (MISSED) instead.
 * Context: the instance's poll (SCHED owned).
 */
void unetdev__napi_timer_start(struct napi_struct *n, unsigned long ns)
{
	struct softnet_data *home = timer_home();

	unetdev__napi_timer_cancel(n);
	if (!home) {
		set_bit(NAPI_STATE_MISSED, &n->state);
		return;
	}
	spin_lock(&home->napi_timer_lock);
	/* A busy-polling CPU fires every timer in its next round: no clock read. */
	n->timer.expires = home->busy_poll ? 0 : unetdev_clock_ns() + ns;
	list_add_tail(&n->timer.node, &home->napi_timers);
	__atomic_store_n(&n->timer.base, home, __ATOMIC_RELEASE);
	__atomic_fetch_add(&home->napi_timers_armed, 1, __ATOMIC_RELAXED);
	spin_unlock(&home->napi_timer_lock);
	if (!unetdev__softnet_is_mine(home))
		unetdev__raise_softirq_on(home, NET_RX_SOFTIRQ); /* its loop recomputes its wait */
}

/* napi_watchdog (hardirq): schedule the instance unless it is disabled. */
static void napi_watchdog(struct napi_struct *n)
{
	if (READ_ONCE(n->state) & (NAPIF_STATE_NPSVC | NAPIF_STATE_DISABLE))
		return;
	/* SCHED still held by the completion that armed us: MISSED makes it poll
	 * again (see the head of this file); otherwise the kernel's relaxed prep. */
	if (napi_schedule_prep(n)) {
		clear_bit(NAPI_STATE_PREFER_BUSY_POLL, &n->state);
		__napi_schedule(n);
	}
}

static struct timespec ns_to_timespec(u64 ns)
{
	return (struct timespec){.tv_sec = (time_t)(ns / 1000000000u),
				 .tv_nsec = (long)(ns % 1000000000u)};
}

bool unetdev__napi_timers_wait(struct softnet_data *sd, int timeout_ms, struct timespec *ts,
			       struct timespec **tsp)
{
	u64 wait = timeout_ms < 0 ? ~0ull : (u64)timeout_ms * 1000000u, now;
	struct napi_struct *n;

	*tsp = NULL;
	if (__atomic_load_n(&sd->napi_timers_armed, __ATOMIC_RELAXED)) {
		if (sd->busy_poll && ++sd->busy_rounds % BUSY_EPOLL_EVERY)
			return false;
		now = unetdev_clock_ns();
		spin_lock(&sd->napi_timer_lock);
		list_for_each_entry (n, &sd->napi_timers, timer.node)
			wait =
			    min_t(u64, wait, n->timer.expires > now ? n->timer.expires - now : 0);
		spin_unlock(&sd->napi_timer_lock);
		if (sd->busy_poll)
			wait = 0;
		else if (unetdev__clock_is_manual()) /* time moves without waking us */
			wait = min_t(u64, wait, 1000000u);
	}
	if (wait != ~0ull) {
		*ts = ns_to_timespec(wait);
		*tsp = ts;
	}
	return true;
}

void unetdev__napi_timers_run(struct softnet_data *sd)
{
	struct unetdev__ctx *c = unetdev__this_ctx();
	struct napi_struct *n, *tmp;
	u64 now;

	if (!__atomic_load_n(&sd->napi_timers_armed, __ATOMIC_RELAXED))
		return;
	now = sd->busy_poll ? ~0ull : unetdev_clock_ns();
	c->hardirq_depth++;
	spin_lock(&sd->napi_timer_lock);
	list_for_each_entry_safe (n, tmp, &sd->napi_timers, timer.node) {
		if (n->timer.expires > now)
			continue;
		timer_unlink(sd, n);
		napi_watchdog(n); /* under the lock: a cancel waits for it */
	}
	spin_unlock(&sd->napi_timer_lock);
	c->hardirq_depth--;
}

/*
 * dev_cpu_dead for the timers (the kernel migrates a dead CPU's hrtimers):
 * move every timer armed on stopped CPU @sd to @expired, idle. Call before
 * @sd is freed; then, with no engine lock held, unetdev__napi_timers_fire().
 */
void unetdev__napi_timers_cpu_dead(struct softnet_data *sd, struct list_head *expired)
{
	struct napi_struct *n, *tmp;

	spin_lock(&sd->napi_timer_lock);
	list_for_each_entry_safe (n, tmp, &sd->napi_timers, timer.node) {
		timer_unlink(sd, n);
		list_add_tail(&n->timer.node, expired);
	}
	spin_unlock(&sd->napi_timer_lock);
}

/* Fire what unetdev__napi_timers_cpu_dead() took, on the calling thread. */
void unetdev__napi_timers_fire(struct list_head *expired)
{
	struct napi_struct *n, *tmp;

	list_for_each_entry_safe (n, tmp, expired, timer.node) {
		list_del_init(&n->timer.node);
		napi_watchdog(n);
	}
}

/* ---- device-wide setters (net/core/dev.c, the sysfs stores' backends) ---- */

int netdev_set_defer_hard_irqs(struct net_device *dev, u32 defer)
{
	struct napi_struct *n;

	if (!dev)
		return -EINVAL;
	if (defer > (u32)INT32_MAX)
		return -ERANGE;
	ASSERT_RTNL();
	WRITE_ONCE(dev->napi_defer_hard_irqs, defer);
	list_for_each_entry (n, &dev->napi_list, dev_list)
		napi_set_defer_hard_irqs(n, defer);
	return 0;
}

int netdev_set_gro_flush_timeout(struct net_device *dev, unsigned long timeout)
{
	struct napi_struct *n;

	if (!dev)
		return -EINVAL;
	ASSERT_RTNL();
	WRITE_ONCE(dev->gro_flush_timeout, timeout);
	list_for_each_entry (n, &dev->napi_list, dev_list)
		napi_set_gro_flush_timeout(n, timeout);
	return 0;
}
