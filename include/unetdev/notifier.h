/* SPDX-License-Identifier: MIT */
/* Notifier chains (kernel linux/notifier.h). */
#ifndef UNETDEV_NOTIFIER_H
#define UNETDEV_NOTIFIER_H

#include <unetdev/types.h>

#define NOTIFY_DONE	 0x0000
#define NOTIFY_OK	 0x0001
#define NOTIFY_STOP_MASK 0x8000
#define NOTIFY_BAD	 (NOTIFY_STOP_MASK | 0x0002)
#define NOTIFY_STOP	 (NOTIFY_OK | NOTIFY_STOP_MASK)

struct notifier_block;
typedef int (*notifier_fn_t)(struct notifier_block *nb, unsigned long action, void *data);

struct notifier_block {
	notifier_fn_t notifier_call;
	struct notifier_block *next;
	int priority;
};

/* A chain protected by rtnl (the kernel's raw chain under rtnl). */
struct raw_notifier_head {
	struct notifier_block *head;
};

static inline int notifier_from_errno(int err)
{
	if (err)
		return NOTIFY_STOP_MASK | (NOTIFY_OK - err);
	return NOTIFY_OK;
}

static inline int notifier_to_errno(int ret)
{
	ret &= ~NOTIFY_STOP_MASK;
	return ret > NOTIFY_OK ? NOTIFY_OK - ret : 0;
}

#endif
