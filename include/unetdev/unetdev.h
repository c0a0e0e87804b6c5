/* SPDX-License-Identifier: MIT */
/*
 * unetdev - the Linux network-device layer as a userspace library.
 * The application header: everything a program that hosts devices needs.
 * Drivers include <unetdev/netdevice.h> and friends instead.
 */
#ifndef UNETDEV_UNETDEV_H
#define UNETDEV_UNETDEV_H

#include <unetdev/check.h>
#include <unetdev/drivers.h>
#include <unetdev/etherdevice.h>
#include <unetdev/module.h>
#include <unetdev/netdevice.h>

#define UNETDEV_VERSION "0.1.0"

/* ---- Errors ---- */
/** unetdev_strerror - text for a negative errno returned by the API. */
UNETDEV_API const char *unetdev_strerror(int err);

/* ---- Logging ---- */
/** unetdev_log_set_fn - route the library's log lines (default: stderr). */
UNETDEV_API void unetdev_log_set_fn(void (*fn)(int level, const char *line, void *ctx), void *ctx);
UNETDEV_API void unetdev_log_set_level(int level);

/* ---- Object accounting for leak checks ---- */
struct unetdev_live {
	long allocations; /* every core allocation not yet freed */
	long netdevs;	  /* net_device structures not yet released */
	long skbs;
	long napis;
	long modules;
	long refwaits; /* threads in unregister's reference wait (netdev_wait_allrefs_any) */
};
/** unetdev_live_objects - what is still alive; all zero after a clean teardown. */
UNETDEV_API void unetdev_live_objects(struct unetdev_live *live);

/* ---- Fault injection (failslab) ---- */
/**
 * unetdev_fault_fail_nth - make the @nth (1-based) allocation from now fail,
 * counting only allocations at @site (NULL = any site; "prefix*" = every site
 * starting with prefix). 0 disables.
 * Sites: "netdev_heap", "netdev_pages", "txq", "rxq", "hw_addr", "kmalloc",
 * "skb", "module", "net", "napi", "percpu".
 */
UNETDEV_API void unetdev_fault_fail_nth(const char *site, unsigned long nth);
/** unetdev_fault_fail_site - fail every allocation at @site until cleared (NULL clears). */
UNETDEV_API void unetdev_fault_fail_site(const char *site);
UNETDEV_API void unetdev_fault_clear(void);
/** unetdev_fault_injected - how many allocations were failed on purpose. */
UNETDEV_API unsigned long unetdev_fault_injected(void);
/** unetdev_alloc_count - allocation attempts so far (to size a sweep). */
UNETDEV_API unsigned long unetdev_alloc_count(void);

/* ---- Link events (what rtnetlink would multicast) ---- */
#define UNETDEV_RTM_NEWLINK 16
#define UNETDEV_RTM_DELLINK 17
/* @type is UNETDEV_RTM_NEWLINK or UNETDEV_RTM_DELLINK; @change the changed flags. */
typedef void (*unetdev_link_event_fn)(int type, struct net_device *dev, unsigned int change,
				      void *ctx);
/** unetdev_link_listener_add - call @fn (under rtnl) for every link message. */
UNETDEV_API int unetdev_link_listener_add(unetdev_link_event_fn fn, void *ctx)
    UNETDEV_EXCLUDES(rtnl_mutex);
UNETDEV_API int unetdev_link_listener_del(unetdev_link_event_fn fn, void *ctx)
    UNETDEV_EXCLUDES(rtnl_mutex);

/* ---- Devices ---- */
/** unetdev_set_unregister_timeout - seconds between "waiting for X to become free"
 *  warnings (netdev_unregister_timeout_secs, default 10; R-UNREG-12). Returns the
 *  previous value; 0 only reads it. */
UNETDEV_API unsigned int unetdev_set_unregister_timeout(unsigned int secs);
/** unetdev_netdev_alloc_kind - which path served the device memory (R-ALLOC-4). */
UNETDEV_API enum unetdev_alloc_kind unetdev_netdev_alloc_kind(const struct net_device *dev);
UNETDEV_API const char *unetdev_operstate_name(unsigned char operstate);
/** unetdev_qdisc_id - the kind of qdisc @q ("noop", "noqueue", "pfifo_fast", "mq"), as
 *  "ip link" prints it; "" for NULL. Read txq->qdisc (active) or txq->qdisc_sleeping
 *  (configured), or dev->qdisc (root). Context: rtnl held, or the device is idle. */
UNETDEV_API const char *unetdev_qdisc_id(const struct Qdisc *q);
/** struct unetdev_qdisc_stats - what "tc -s qdisc" shows (an mq root sums its children). */
struct unetdev_qdisc_stats {
	u64 packets, bytes;	    /* sent: dequeued or bypassed (R-Q-5) */
	unsigned long drops;	    /* enqueue drops, e.g. a full pfifo_fast band (R-Q-4) */
	unsigned long requeues;	    /* skbs requeued after NETDEV_TX_BUSY/LOCKED (R-Q-9) */
	unsigned int qlen, backlog; /* packets and bytes held now */
};
/** unetdev_qdisc_stats - fill @st from @q. Returns 0 or -EINVAL. Context: any, not in @q's run. */
UNETDEV_API int unetdev_qdisc_stats(struct Qdisc *q, struct unetdev_qdisc_stats *st);
/** unetdev_qdisc_check - the invariant: qlen/backlog equal what @q holds (WARNs if not). */
UNETDEV_API bool unetdev_qdisc_check(struct Qdisc *q);
/** unetdev_sch_tree_lock / _unlock - the kernel's sch_tree_lock(q): @q's root lock
 *  (qdisc_lock) with BHs disabled, to change or inspect @q atomically. Meanwhile
 *  senders leave their skbs on @q's defer list (R-TX-15) and the first waits. */
UNETDEV_API void unetdev_sch_tree_lock(struct Qdisc *q);
UNETDEV_API void unetdev_sch_tree_unlock(struct Qdisc *q);
/** unetdev_qdisc_defer_count - @q's defer list (R-TX-15): 0 when empty, else 1 (the
 *  first sender's skb) + the kernel's defer_count, the later pushes since the list
 *  was last taken, those dropped over net.core.qdisc_max_burst included. Lock-free. */
UNETDEV_API unsigned int unetdev_qdisc_defer_count(struct Qdisc *q);
/** unetdev_tx_cpu_collisions - NETDEV_TX_LOCKED collisions so far, all CPUs (R-TX-11 [C13];
 *  the kernel's softnet_stat cpu_collision column). */
UNETDEV_API unsigned long unetdev_tx_cpu_collisions(void);

/*
 * Attribute handles: the userspace stand-in for an open sysfs attribute
 * file. A handle holds a device-model reference (not a dev_hold), so it never
 * blocks unregister; reads after unregistration fail with -ENODEV and the
 * memory stays valid until the handle is closed (R-ALLOC-23/24).
 */
struct unetdev_attr;
/** unetdev_attr_open - open attribute @attr ("mtu", "ifindex", "operstate", "flags",
 *  "carrier", "tx_queue_len", "address"; writable: "napi_defer_hard_irqs",
 *  "gro_flush_timeout") of device @name in @net. */
UNETDEV_API int unetdev_attr_open(struct net *net, const char *name, const char *attr,
				  struct unetdev_attr **out) UNETDEV_EXCLUDES(rtnl_mutex);
/** unetdev_attr_read - the attribute as text, like reading the sysfs file. */
UNETDEV_API int unetdev_attr_read(struct unetdev_attr *a, char *buf, size_t len);
/**
 * unetdev_attr_write - write a number to a writable attribute, like writing
 * the sysfs file: the bytes consumed, or -EACCES (read-only), -EINVAL (not a
 * number), -ERANGE, -ENODEV (unregistered). Context: process, rtnl not held.
 */
UNETDEV_API int unetdev_attr_write(struct unetdev_attr *a, const char *buf, size_t len)
    UNETDEV_EXCLUDES(rtnl_mutex);
UNETDEV_API void unetdev_attr_close(struct unetdev_attr *a);

#endif
