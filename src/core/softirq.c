// SPDX-License-Identifier: MIT
/*
 * softirq.c - execution contexts (kernel kernel/softirq.c, linux/preempt.h).
 *
 * Each thread carries its own nesting counters. Application threads are
 * process context; engine threads enter softirq/hardirq context around the
 * work they run. CPU ids: engine threads have their own; application threads
 * are spread over the per-CPU slots by a per-thread id.
 */
#include <sched.h>

#include "softnet.h"

UNETDEV_TLS struct unetdev__ctx unetdev__ctx_tls = {.cpu = -1};
static unsigned long next_token = 1;

void unetdev__ctx_init_token(struct unetdev__ctx *c)
{
	c->token = __atomic_fetch_add(&next_token, 1, __ATOMIC_RELAXED);
}

unsigned long unetdev_thread_token(void)
{
	return unetdev__this_ctx()->token;
}

void local_bh_disable(void)
{
	unetdev__this_ctx()->bh_depth++;
}

void local_bh_enable(void)
{
	struct unetdev__ctx *c = unetdev__this_ctx();

	if (c->bh_depth <= 0) {
		unetdev_check_report("R-SYNC-5", UNETDEV_SEV_WARN, NULL, "local_bh_enable",
				     "unbalanced local_bh_enable()");
		return;
	}
	c->bh_depth--;
	/* Softirqs raised while BHs were off run now (kernel do_softirq at enable),
	 * and so do the TX doorbells deferred in the section (xmit_flush.c). */
	if (c->bh_depth == 0 && !c->softirq_depth && !c->hardirq_depth) {
		struct softnet_data *sd = unetdev__this_softnet();

		if (__atomic_load_n(&sd->pending, __ATOMIC_ACQUIRE) || sd->xmit_flush_list)
			unetdev__do_softirq();
	}
}

bool in_softirq(void)
{
	struct unetdev__ctx *c = unetdev__this_ctx();

	return c->bh_depth > 0 || c->softirq_depth > 0;
}

bool in_serving_softirq(void)
{
	return unetdev__this_ctx()->softirq_depth > 0;
}

bool in_hardirq(void)
{
	return unetdev__this_ctx()->hardirq_depth > 0;
}

bool in_interrupt(void)
{
	return in_hardirq() || in_softirq();
}

bool in_task(void)
{
	return !in_interrupt();
}

unsigned int smp_processor_id(void)
{
	return unetdev__smp_processor_id();
}

void might_sleep(void)
{
	if (!in_task())
		unetdev_check_report("R-SYNC-1", UNETDEV_SEV_WARN, NULL, "might_sleep",
				     "sleeping function called from atomic context");
}
