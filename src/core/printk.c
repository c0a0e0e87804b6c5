// SPDX-License-Identifier: MIT
/*
 * printk.c - the library's log (kernel printk and netdev_printk), and
 * unetdev_strerror(). Lines go to stderr unless the application installs a
 * sink with unetdev_log_set_fn().
 */
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "internal.h"

static void (*log_fn)(int level, const char *line, void *ctx);
static void *log_ctx;
static int log_level = 6; /* KERN_INFO */
static pthread_mutex_t log_lock = PTHREAD_MUTEX_INITIALIZER;

void unetdev_log_set_fn(void (*fn)(int level, const char *line, void *ctx), void *ctx)
{
	pthread_mutex_lock(&log_lock);
	log_fn = fn;
	log_ctx = ctx;
	pthread_mutex_unlock(&log_lock);
}

void unetdev_log_set_level(int level)
{
	__atomic_store_n(&log_level, level, __ATOMIC_RELAXED);
}

void unetdev__vlog(int level, const char *fmt, va_list ap)
{
	char line[512];

	if (level > __atomic_load_n(&log_level, __ATOMIC_RELAXED))
		return;
	// NOLINTNEXTLINE(clang-analyzer-valist.Uninitialized): the caller did va_start
	vsnprintf(line, sizeof(line), fmt, ap);
	pthread_mutex_lock(&log_lock);
	if (log_fn)
		log_fn(level, line, log_ctx);
	else
		fprintf(stderr, "unetdev: %s\n", line);
	pthread_mutex_unlock(&log_lock);
}

void unetdev__log(int level, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	unetdev__vlog(level, fmt, ap);
	va_end(ap);
}

void unetdev_netdev_printk(int level, const struct net_device *dev, const char *fmt, ...)
{
	char msg[448];
	va_list ap;

	va_start(ap, fmt);
	// NOLINTNEXTLINE(clang-analyzer-valist.Uninitialized): va_start is above
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	unetdev__log(level, "%s: %s", dev && dev->name[0] ? dev->name : "(unnamed net_device)",
		     msg);
}

bool unetdev__ratelimit(unsigned long *last)
{
	unsigned long now = jiffies, prev = __atomic_load_n(last, __ATOMIC_RELAXED);

	if (prev && !time_after_eq(now, prev + HZ))
		return false;
	__atomic_store_n(last, now ? now : 1, __ATOMIC_RELAXED);
	return true;
}

const char *unetdev_strerror(int err)
{
	static __thread char buf[64];

	/* XSI strerror_r: thread-safe, fills @buf. */
	if (strerror_r(err < 0 ? -err : err, buf, sizeof(buf)) != 0)
		snprintf(buf, sizeof(buf), "Unknown error %d", err < 0 ? -err : err);
	return buf;
}
