// SPDX-License-Identifier: MIT
/*
 * xmit_flush.c - deferred TX doorbells (include/unetdev/xmit_flush.h): the
 * per-CPU flush list of the kernel's devmap/xskmap (bq_enqueue adds a
 * queue to the CPU's flush list, __dev_flush() at the end of the NAPI poll
 * empties it). Here the core empties it at the end of every softirq round
 * and when local_bh_enable() ends a BH-disabled section (softirq.c,
 * engine.c), so a deferred doorbell never outlives the section that
 * deferred it.
 *
 * The list is owner-only (the thread acting as the CPU); an entry is on at
 * most one list, marked by @queued under its queue's xmit lock: another CPU
 * that transmits on the same queue meanwhile sees it queued and leaves it,
 * and its frames go with the flush that takes the lock after it.
 */
#include <sched.h>

#include <unetdev/xmit_flush.h>

#include "softnet.h"

void netdev_xmit_flush_init(struct netdev_xmit_flush *f, struct netdev_queue *txq,
			    void (*fn)(struct netdev_xmit_flush *f))
{
	*f = (struct netdev_xmit_flush){.fn = fn, .txq = txq};
}

void netdev_xmit_flush_defer(struct netdev_xmit_flush *f) UNETDEV_NO_TSA
{
	struct softnet_data *sd;

	if (f->queued)
		return;
	if (!unetdev__in_softirq() && !unetdev__in_hardirq()) {
		f->fn(f); /* process context with BHs enabled: nothing runs later */
		return;
	}
	sd = unetdev__this_softnet();
	__atomic_store_n(&f->queued, true, __ATOMIC_RELAXED);
	f->next = sd->xmit_flush_list;
	sd->xmit_flush_list = f;
}

void unetdev__xmit_flush(struct softnet_data *sd) UNETDEV_NO_TSA
{
	struct netdev_xmit_flush *f;

	while ((f = sd->xmit_flush_list)) {
		struct netdev_queue *txq = f->txq;

		sd->xmit_flush_list = f->next;
		__netif_tx_lock(txq, (int)smp_processor_id());
		f->fn(f);
		__atomic_store_n(&f->queued, false, __ATOMIC_RELEASE);
		__netif_tx_unlock(txq);
	}
}

void netdev_xmit_flush_sync(struct netdev_xmit_flush *f) UNETDEV_NO_TSA
{
	might_sleep();
	while (__atomic_load_n(&f->queued, __ATOMIC_ACQUIRE))
		sched_yield(); /* the owner flushes before it leaves its BH section */
	/* The flusher may still be inside its lock section: wait for it to leave. */
	local_bh_disable();
	__netif_tx_lock(f->txq, (int)smp_processor_id());
	__netif_tx_unlock(f->txq);
	local_bh_enable();
}
