/* SPDX-License-Identifier: MIT */
/*
 * Deferred TX doorbells (the userspace form of the kernel's per-CPU flush
 * list, xdp_do_flush() / __dev_flush() at the end of a NAPI poll).
 *
 * A NIC rings its doorbell when !netdev_xmit_more(); for a backend whose
 * doorbell is a system call, a caller handing dev_queue_xmit() one skb at a
 * time would make one call per frame. Such a driver instead puts the frame
 * in its ring or batch and, when no more follow, defers the doorbell with
 * netdev_xmit_flush_defer(): the queue goes on the calling CPU's flush list,
 * which the core runs at the end of the softirq round (after
 * net_rx_action/net_tx_action, before the engine thread sleeps) and in
 * local_bh_enable() when the count drops to 0, so a process-context caller
 * is flushed as soon as it leaves its BH-disabled section. Each entry's
 * @fn runs under its queue's xmit lock. docs/runtime-model.md.
 */
#ifndef UNETDEV_XMIT_FLUSH_H
#define UNETDEV_XMIT_FLUSH_H

#include <unetdev/netdevice.h>

struct netdev_xmit_flush {
	struct netdev_xmit_flush *next; /* on one CPU's flush list while queued */
	void (*fn)(struct netdev_xmit_flush *f);
	struct netdev_queue *txq;
	bool queued; /* set under txq's xmit lock; read by netdev_xmit_flush_sync */
};

#define netdev_xmit_flush_init	unetdev_netdev_xmit_flush_init
#define netdev_xmit_flush_defer unetdev_netdev_xmit_flush_defer
#define netdev_xmit_flush_sync	unetdev_netdev_xmit_flush_sync

/** netdev_xmit_flush_init - @fn rings @txq's doorbell (called with its xmit lock held). */
UNETDEV_API void netdev_xmit_flush_init(struct netdev_xmit_flush *f, struct netdev_queue *txq,
					void (*fn)(struct netdev_xmit_flush *f));
/**
 * netdev_xmit_flush_defer - run @f->fn at the end of this CPU's softirq round
 * (or at once in process context with BHs enabled). Once per round however
 * often it is called. Context: @f's xmit lock held (ndo_start_xmit).
 */
UNETDEV_API void netdev_xmit_flush_defer(struct netdev_xmit_flush *f);
/**
 * netdev_xmit_flush_sync - wait until @f is on no CPU's flush list (its last
 * flush has run). Context: process, xmit lock not held, the queue stopped so
 * that nothing defers it again (ndo_stop).
 */
UNETDEV_API void netdev_xmit_flush_sync(struct netdev_xmit_flush *f);

#endif
