/* SPDX-License-Identifier: MIT */
/*
 * jiffies, HZ and timers (kernel linux/jiffies.h, linux/timer.h).
 *
 * Time is a tick counter derived from a clock that tests can replace
 * (unetdev_clock_set_manual / unetdev_clock_advance) so that time-based rules
 * are tested in ticks, deterministically (rules file section 22).
 */
#ifndef UNETDEV_TIMER_H
#define UNETDEV_TIMER_H

#include <unetdev/types.h>

#define HZ	     unetdev_hz()
#define jiffies	     unetdev_jiffies()
#define USEC_PER_SEC 1000000UL
#define MSEC_PER_SEC 1000UL

UNETDEV_API unsigned int unetdev_hz(void);
UNETDEV_API unsigned long unetdev_jiffies(void);
/** unetdev_set_hz - choose HZ (100, 250, 300, 1000); only before any timer exists. */
UNETDEV_API int unetdev_set_hz(unsigned int hz);
/** unetdev_clock_set_manual - freeze time; it moves only by unetdev_clock_advance(). */
UNETDEV_API void unetdev_clock_set_manual(bool manual);
/** unetdev_clock_advance - move the manual clock by @ticks jiffies and run due timers. */
UNETDEV_API void unetdev_clock_advance(unsigned long ticks);
UNETDEV_API u64 unetdev_clock_ns(void);

#define time_after(a, b)     ((long)((b) - (a)) < 0)
#define time_before(a, b)    time_after(b, a)
#define time_after_eq(a, b)  ((long)((a) - (b)) >= 0)
#define time_before_eq(a, b) time_after_eq(b, a)

#define msecs_to_jiffies unetdev_msecs_to_jiffies
#define jiffies_to_msecs unetdev_jiffies_to_msecs
#define round_jiffies	 unetdev_round_jiffies
UNETDEV_API unsigned long msecs_to_jiffies(unsigned int ms);
UNETDEV_API unsigned int jiffies_to_msecs(unsigned long j);
/** round_jiffies - round an absolute time up to a whole second (as the kernel, without skew). */
UNETDEV_API unsigned long round_jiffies(unsigned long j);

struct timer_list {
	struct list_head entry;
	unsigned long expires;
	void (*function)(struct timer_list *t);
	unsigned int flags;
	bool pending;
	int cpu; /* engine CPU that runs it */
};

#define timer_setup		  unetdev_timer_setup
#define mod_timer		  unetdev_mod_timer
#define add_timer		  unetdev_add_timer
#define del_timer		  unetdev_del_timer
#define del_timer_sync		  unetdev_del_timer_sync
#define timer_pending		  unetdev_timer_pending
#define from_timer(var, t, field) container_of(t, __typeof__(*var), field)

UNETDEV_API void timer_setup(struct timer_list *t, void (*fn)(struct timer_list *),
			     unsigned int flags);
/** mod_timer - (re)arm; returns 1 if it was pending. Context: any. */
UNETDEV_API int mod_timer(struct timer_list *t, unsigned long expires);
UNETDEV_API void add_timer(struct timer_list *t);
/** del_timer - disarm; returns 1 if it was pending. */
UNETDEV_API int del_timer(struct timer_list *t);
/** del_timer_sync - disarm and wait for a running callback to finish. Context: process. */
UNETDEV_API int del_timer_sync(struct timer_list *t);
UNETDEV_API bool timer_pending(const struct timer_list *t);
/** unetdev_run_timers - run every due timer on the calling thread (process context timers). */
UNETDEV_API void unetdev_run_timers(void);

#endif
