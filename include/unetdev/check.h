/* SPDX-License-Identifier: MIT */
/*
 * The contract checker (see docs/contract-checker.md). The core calls every
 * driver op through a wrapper that checks the documented context; violations
 * name the rule, the device and the op. Modes: abort, warn (counted, readable
 * by tests), off. Default: abort, or the UNETDEV_CHECK environment variable
 * ("abort", "warn", "off").
 */
#ifndef UNETDEV_CHECK_H
#define UNETDEV_CHECK_H

#include <unetdev/compiler.h>
#include <unetdev/types.h>

enum unetdev_check_mode {
	UNETDEV_CHECK_OFF,
	UNETDEV_CHECK_WARN,
	UNETDEV_CHECK_ABORT,
};

/* BUG: the kernel would crash; WARN: the kernel logs and goes on. */
enum unetdev_check_severity {
	UNETDEV_SEV_WARN,
	UNETDEV_SEV_BUG,
};

struct net_device;

UNETDEV_API void unetdev_check_set_mode(enum unetdev_check_mode mode);
UNETDEV_API enum unetdev_check_mode unetdev_check_get_mode(void);
/** unetdev_check_count - violations reported for @rule ("R-SYNC-1"), or all when NULL. */
UNETDEV_API unsigned long unetdev_check_count(const char *rule);
/** unetdev_check_last - "RULE dev op: message" of the last violation, "" if none. */
UNETDEV_API const char *unetdev_check_last(void);
UNETDEV_API void unetdev_check_reset(void);
/** unetdev_check_quiet - don't print warn-mode reports (tests that provoke them). */
UNETDEV_API void unetdev_check_quiet(bool quiet);

/**
 * unetdev_check_report - report a violation of @rule by @dev in @op.
 * Returns true when the caller must refuse the operation (a BUG in warn or
 * off mode); in abort mode it does not return.
 */
UNETDEV_API bool unetdev_check_report(const char *rule, enum unetdev_check_severity sev,
				      const struct net_device *dev, const char *op, const char *fmt,
				      ...) __printf(5, 6);

/* WARN_ON-style helpers usable by drivers. */
#define UNETDEV_WARN(rule, dev, op, ...)                                                           \
	unetdev_check_report(rule, UNETDEV_SEV_WARN, dev, op, __VA_ARGS__)
#define UNETDEV_BUG(rule, dev, op, ...)                                                            \
	unetdev_check_report(rule, UNETDEV_SEV_BUG, dev, op, __VA_ARGS__)

#endif
