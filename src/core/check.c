// SPDX-License-Identifier: MIT
/*
 * check.c - the contract checker (rules file section 18, R-SYNC; DESIGN.md
 * "The contract checker").
 *
 * A violation names the rule, the device and the op. In abort mode it
 * aborts; in warn mode it is logged once per rule, counted per rule, and
 * BUG-class violations make the caller refuse the operation; off mode counts
 * nothing and checks only what is needed to refuse BUG-class operations.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

#define MAX_RULES 128

struct rule_count {
	char rule[16];
	unsigned long count;
};

static pthread_mutex_t check_lock = PTHREAD_MUTEX_INITIALIZER;
static struct rule_count counts[MAX_RULES];
static unsigned long total;
static char last[256];
static bool quiet;
int unetdev__check_mode = -1; /* -1: not yet read from the environment */

static enum unetdev_check_mode mode_from_env(void)
{
	const char *e = getenv("UNETDEV_CHECK"); // NOLINT(concurrency-mt-unsafe): read once

	if (e && !strcmp(e, "warn"))
		return UNETDEV_CHECK_WARN;
	if (e && !strcmp(e, "off"))
		return UNETDEV_CHECK_OFF;
	return UNETDEV_CHECK_ABORT;
}

enum unetdev_check_mode unetdev_check_get_mode(void)
{
	int m = __atomic_load_n(&unetdev__check_mode, __ATOMIC_RELAXED);

	if (m < 0) {
		m = (int)mode_from_env();
		__atomic_store_n(&unetdev__check_mode, m, __ATOMIC_RELAXED);
	}
	return (enum unetdev_check_mode)m;
}

void unetdev_check_set_mode(enum unetdev_check_mode m)
{
	__atomic_store_n(&unetdev__check_mode, (int)m, __ATOMIC_RELAXED);
}

bool unetdev__check_enabled_slow(void)
{
	return unetdev_check_get_mode() != UNETDEV_CHECK_OFF;
}

void unetdev_check_quiet(bool q)
{
	__atomic_store_n(&quiet, q, __ATOMIC_RELAXED);
}

static struct rule_count *slot_for(const char *rule)
{
	for (int i = 0; i < MAX_RULES; i++) {
		if (!counts[i].rule[0]) {
			snprintf(counts[i].rule, sizeof(counts[i].rule), "%s", rule);
			return &counts[i];
		}
		if (!strcmp(counts[i].rule, rule))
			return &counts[i];
	}
	return NULL;
}

bool unetdev_check_report(const char *rule, enum unetdev_check_severity sev,
			  const struct net_device *dev, const char *op, const char *fmt, ...)
{
	enum unetdev_check_mode m = unetdev_check_get_mode();
	struct rule_count *slot;
	char msg[200];
	bool first;
	va_list ap;

	if (m == UNETDEV_CHECK_OFF)
		return sev == UNETDEV_SEV_BUG;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt,
		  ap); // NOLINT(clang-analyzer-valist.Uninitialized): va_start is on the line above
	va_end(ap);

	pthread_mutex_lock(&check_lock);
	slot = slot_for(rule);
	first = slot && slot->count == 0;
	if (slot)
		slot->count++;
	total++;
	snprintf(last, sizeof(last), "%s %s %s: %s", rule, dev && dev->name[0] ? dev->name : "-",
		 op ? op : "-", msg);
	pthread_mutex_unlock(&check_lock);

	if (m == UNETDEV_CHECK_ABORT) {
		fprintf(stderr, "unetdev: contract violation %s (%s) dev=%s op=%s: %s\n", rule,
			sev == UNETDEV_SEV_BUG ? "BUG" : "WARN",
			dev && dev->name[0] ? dev->name : "-", op ? op : "-", msg);
		abort();
	}
	if (first && !__atomic_load_n(&quiet, __ATOMIC_RELAXED))
		unetdev__log(4, "contract violation %s (%s) dev=%s op=%s: %s", rule,
			     sev == UNETDEV_SEV_BUG ? "BUG" : "WARN",
			     dev && dev->name[0] ? dev->name : "-", op ? op : "-", msg);
	return sev == UNETDEV_SEV_BUG;
}

unsigned long unetdev_check_count(const char *rule)
{
	unsigned long n = 0;

	pthread_mutex_lock(&check_lock);
	if (!rule) {
		n = total;
	} else {
		for (int i = 0; i < MAX_RULES && counts[i].rule[0]; i++)
			if (!strcmp(counts[i].rule, rule))
				n = counts[i].count;
	}
	pthread_mutex_unlock(&check_lock);
	return n;
}

const char *unetdev_check_last(void)
{
	static __thread char copy[256];

	pthread_mutex_lock(&check_lock);
	memcpy(copy, last, sizeof(copy));
	pthread_mutex_unlock(&check_lock);
	return copy;
}

void unetdev_check_reset(void)
{
	pthread_mutex_lock(&check_lock);
	memset(counts, 0, sizeof(counts));
	total = 0;
	last[0] = 0;
	pthread_mutex_unlock(&check_lock);
}

bool unetdev__check_rtnl(const char *rule, const struct net_device *dev, const char *op)
{
	if (!unetdev__check_enabled() || rtnl_held_by_me())
		return true;
	unetdev_check_report(rule, UNETDEV_SEV_WARN, dev, op, "called without rtnl held");
	return false;
}

bool unetdev__check_process(const char *rule, const struct net_device *dev, const char *op)
{
	if (!unetdev__check_enabled() || in_task())
		return true;
	unetdev_check_report(rule, UNETDEV_SEV_WARN, dev, op,
			     "called in atomic context (BH disabled or softirq/hardirq)");
	return false;
}

bool unetdev__check_bh_off(const char *rule, const struct net_device *dev, const char *op)
{
	if (!unetdev__check_enabled() || in_softirq())
		return true;
	unetdev_check_report(rule, UNETDEV_SEV_WARN, dev, op, "called with BHs enabled");
	return false;
}
