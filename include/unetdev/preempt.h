/* SPDX-License-Identifier: MIT */
/*
 * Execution contexts (kernel linux/preempt.h, linux/bottom_half.h).
 *
 * A "CPU" is an engine thread; every thread has its own softirq/hardirq
 * nesting counters. local_bh_disable() marks the calling thread as being in
 * the datapath context; it nests.
 */
#ifndef UNETDEV_PREEMPT_H
#define UNETDEV_PREEMPT_H

#include <unetdev/types.h>

#define local_bh_disable   unetdev_local_bh_disable
#define local_bh_enable	   unetdev_local_bh_enable
#define in_softirq	   unetdev_in_softirq
#define in_serving_softirq unetdev_in_serving_softirq
#define in_hardirq	   unetdev_in_hardirq
#define in_interrupt	   unetdev_in_interrupt
#define in_task		   unetdev_in_task
#define smp_processor_id   unetdev_smp_processor_id
#define might_sleep	   unetdev_might_sleep

/** local_bh_disable - enter the datapath context. Context: any thread. */
UNETDEV_API void local_bh_disable(void);
/** local_bh_enable - leave it; runs pending softirqs of this CPU when the count drops to 0. */
UNETDEV_API void local_bh_enable(void);
/** in_softirq - BHs disabled or serving a softirq on this thread. */
UNETDEV_API bool in_softirq(void);
UNETDEV_API bool in_serving_softirq(void);
UNETDEV_API bool in_hardirq(void);
UNETDEV_API bool in_interrupt(void);
/** in_task - process context: no hardirq, no softirq, BHs enabled. */
UNETDEV_API bool in_task(void);
/** smp_processor_id - the engine CPU this thread stands for (application threads share ids). */
UNETDEV_API unsigned int smp_processor_id(void);
/** might_sleep - contract check: the caller must be in process context. */
UNETDEV_API void might_sleep(void);

#endif
