/* SPDX-License-Identifier: MIT */
/*
 * Internal declarations shared by the core's files. Never installed.
 * Non-static internal symbols are unetdev__ and hidden.
 */
#ifndef UNETDEV_INTERNAL_H
#define UNETDEV_INTERNAL_H

#include <stdarg.h>
#include <time.h>
#include <unetdev/unetdev.h>

/* A clock in nanoseconds: CLOCK_MONOTONIC (jiffies, the softirq limits) or
 * CLOCK_THREAD_CPUTIME_ID (a thread's own softirq budget, engine.c). */
static inline u64 unetdev__clock_read_ns(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return (u64)ts.tv_sec * 1000000000ull + (u64)ts.tv_nsec;
}

#define UNETDEV_INTERNAL   __attribute__((visibility("hidden")))
/* A hot-path helper the compiler must inline (LTO may otherwise outline it). */
#define UNETDEV_HOT_INLINE inline __attribute__((always_inline))

/*
 * Per-thread ("per-CPU") state of the hot path. The library is a shared
 * object, where plain __thread costs a __tls_get_addr call per access; the
 * initial-exec model is one %fs-relative load. It needs the library loaded at
 * start-up or dlopen()ed while the static TLS surplus has room (glibc keeps
 * about 1.6 KiB spare; the core's initial-exec variables take less than half).
 */
#define UNETDEV_TLS __thread __attribute__((tls_model("initial-exec")))

/* ---- dev_features.c ---- */
/* __netdev_update_features: true when the features changed. Context: rtnl. */
UNETDEV_INTERNAL bool unetdev__netdev_update_features(struct net_device *dev)
    UNETDEV_MUST_HOLD(rtnl_mutex);

/* ---- slab.c: accounted allocation with fault injection ---- */
UNETDEV_INTERNAL void *unetdev__kmalloc(size_t size, const char *site);
UNETDEV_INTERNAL void *unetdev__kzalloc(size_t size, const char *site);
UNETDEV_INTERNAL void *unetdev__kcalloc(size_t n, size_t size, const char *site);
UNETDEV_INTERNAL void *unetdev__kzalloc_aligned(size_t align, size_t size, const char *site);
UNETDEV_INTERNAL void unetdev__kfree(void *p);
/* vmalloc: zeroed anonymous pages. */
UNETDEV_INTERNAL void *unetdev__vzalloc(size_t size, const char *site);
UNETDEV_INTERNAL void unetdev__vfree(void *p, size_t size);
/* Returns true when the allocation at @site must fail (and counts it). */
UNETDEV_INTERNAL bool unetdev__should_fail(const char *site);
/* The size @p was allocated with (kmalloc family only): the header before it. */
static inline size_t unetdev__ksize(const void *p)
{
	return *(const size_t *)(const void *)((const unsigned char *)p - 64);
}
UNETDEV_INTERNAL bool unetdev__should_fail_armed(const char *site, unsigned int n);
extern UNETDEV_INTERNAL bool unetdev__fault_armed; /* fault_nth || fault_every */

/*
 * Allocation accounting, per thread (slab.c): each thread adds to its own
 * counters with plain (relaxed atomic) stores, no read-modify-write; readers
 * sum every thread's counters and what exited threads left behind.
 */
enum unetdev__cnt_idx {
	UNETDEV_CNT_ALLOCS,   /* live core allocations */
	UNETDEV_CNT_ATTEMPTS, /* allocation attempts (unetdev_alloc_count) */
	UNETDEV_CNT_NETDEV,
	UNETDEV_CNT_SKB,
	UNETDEV_CNT_NAPI,
	UNETDEV_CNT_MODULE,
	UNETDEV_CNT_CONSUMED, /* consume_skb (skb_drop_count(SKB_CONSUMED)) */
	UNETDEV_CNT_MAX,
};
enum unetdev__live_kind {
	UNETDEV_LIVE_NETDEV = UNETDEV_CNT_NETDEV,
	UNETDEV_LIVE_SKB = UNETDEV_CNT_SKB,
	UNETDEV_LIVE_NAPI = UNETDEV_CNT_NAPI,
	UNETDEV_LIVE_MODULE = UNETDEV_CNT_MODULE,
};
struct unetdev__counters {
	long v[UNETDEV_CNT_MAX]; /* written by the owner only, read by anyone (atomic) */
	struct unetdev__counters *next;
	int state; /* 0: not yet registered, 1: registered, 2: the thread is exiting */
};
extern UNETDEV_INTERNAL UNETDEV_TLS struct unetdev__counters unetdev__cnt;
UNETDEV_INTERNAL void unetdev__cnt_add_slow(enum unetdev__cnt_idx i, long n);
UNETDEV_INTERNAL long unetdev__cnt_sum(enum unetdev__cnt_idx i);
/* Threads in netdev_wait_allrefs_any() (dev_register.c). */
UNETDEV_INTERNAL long unetdev__refwaiters(void);

/* ThreadSanitizer must see every store to a shared counter. */
#if defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define UNETDEV__TSAN 1
#endif
#endif
#if !defined(UNETDEV__TSAN) && defined(__SANITIZE_THREAD__)
#define UNETDEV__TSAN 1
#endif

/*
 * Add @n to a counter only this thread writes and others read with atomic
 * loads (the kernel's this_cpu_add). On x86-64 one `add` to memory: its
 * store is a single aligned 8-byte write, which a reader sees whole, as with
 * the relaxed load and store it stands for (which compilers do not fuse).
 * Elsewhere, and under ThreadSanitizer, that relaxed load and store.
 */
static inline void unetdev__owner_add(long *p, long n)
{
#if defined(__x86_64__) && !defined(UNETDEV__TSAN)
	__asm__("addq %1, %0" : "+m"(*p) : "er"(n));
#else
	__atomic_store_n(p, __atomic_load_n(p, __ATOMIC_RELAXED) + n, __ATOMIC_RELAXED);
#endif
}

/* The same as a release: nothing before it moves after it (x86 stores are
 * release stores; the "memory" clobber keeps the compiler from moving any). */
static inline void unetdev__owner_add_release(long *p, long n)
{
#if defined(__x86_64__) && !defined(UNETDEV__TSAN)
	__asm__ volatile("addq %1, %0" : "+m"(*p) : "er"(n) : "memory");
#else
	__atomic_store_n(p, __atomic_load_n(p, __ATOMIC_RELAXED) + n, __ATOMIC_RELEASE);
#endif
}

static inline void unetdev__cnt_add(enum unetdev__cnt_idx i, long n)
{
	struct unetdev__counters *c = &unetdev__cnt;

	if (likely(c->state == 1))
		unetdev__owner_add(&c->v[i], n);
	else
		unetdev__cnt_add_slow(i, n);
}

/* The calling thread's counters when they are registered (plain adds allowed), else NULL. */
static inline struct unetdev__counters *unetdev__cnt_ready(void)
{
	struct unetdev__counters *c = &unetdev__cnt;

	return likely(c->state == 1) ? c : NULL;
}

/* Add to one of this thread's registered counters (@c from unetdev__cnt_ready). */
static inline void unetdev__cnt_add_to(struct unetdev__counters *c, enum unetdev__cnt_idx i, long n)
{
	unetdev__owner_add(&c->v[i], n);
}

/* Fast path of a cache that stands in for @n allocations at @site: counts the
 * attempts; true when fault injection makes one of them fail. */
static inline bool unetdev__should_fail_cached(const char *site, unsigned int n)
{
	if (unlikely(__atomic_load_n(&unetdev__fault_armed, __ATOMIC_RELAXED)))
		return unetdev__should_fail_armed(site, n);
	unetdev__cnt_add(UNETDEV_CNT_ATTEMPTS, (long)n);
	return false;
}

/* Cached free objects are not live allocations: -@n when they enter a cache, +@n out. */
static inline void unetdev__live_allocs_add(long n)
{
	unetdev__cnt_add(UNETDEV_CNT_ALLOCS, n);
}

static inline void unetdev__live_add(enum unetdev__live_kind kind, long delta)
{
	unetdev__cnt_add((enum unetdev__cnt_idx)kind, delta);
}

/* ---- printk.c ---- */
UNETDEV_INTERNAL void unetdev__log(int level, const char *fmt, ...) __printf(2, 3);
UNETDEV_INTERNAL void unetdev__vlog(int level, const char *fmt, va_list ap) __printf(2, 0);
/* Rate-limited (once per second per call site) log. */
#define unetdev__log_ratelimited(level, ...)                                                       \
	do {                                                                                       \
		static unsigned long __rl_last;                                                    \
		if (unetdev__ratelimit(&__rl_last))                                                \
			unetdev__log(level, __VA_ARGS__);                                          \
	} while (0)
UNETDEV_INTERNAL bool unetdev__ratelimit(unsigned long *last);

/* ---- check.c: contract checks used by the wrappers ---- */
/* Each returns true when the context is right; reports @rule otherwise. */
UNETDEV_INTERNAL bool unetdev__check_rtnl(const char *rule, const struct net_device *dev,
					  const char *op);
UNETDEV_INTERNAL bool unetdev__check_process(const char *rule, const struct net_device *dev,
					     const char *op);
UNETDEV_INTERNAL bool unetdev__check_bh_off(const char *rule, const struct net_device *dev,
					    const char *op);
extern UNETDEV_INTERNAL int unetdev__check_mode; /* enum unetdev_check_mode, -1 unread */
UNETDEV_INTERNAL bool unetdev__check_enabled_slow(void);
/* The checker is on (abort or warn): one relaxed load. */
static inline bool unetdev__check_enabled(void)
{
	int m = __atomic_load_n(&unetdev__check_mode, __ATOMIC_RELAXED);

	if (unlikely(m < 0))
		return unetdev__check_enabled_slow();
	return m != UNETDEV_CHECK_OFF;
}

/* ---- softirq.c: per-thread context ---- */
struct unetdev__ctx {
	int bh_depth;	   /* local_bh_disable nesting */
	int softirq_depth; /* serving a softirq */
	int hardirq_depth; /* running a backend event handler */
	int cpu;	   /* engine CPU id, -1 for application threads */
	unsigned long token;
	/* jiffies when the running softirq began, 0 with the manual clock: the
	 * transmit path's trans_start (within one softirq round, <= 2 ms). */
	unsigned long softirq_jiffies;
	/* The kernel's softnet_data.xmit.{recursion,more} (xmit.c): here, next to
	 * the rest, so that the transmit path reaches them from one TLS base. */
	int xmit_recursion;
	bool xmit_more;
};
extern UNETDEV_INTERNAL UNETDEV_TLS struct unetdev__ctx unetdev__ctx_tls;
UNETDEV_INTERNAL void unetdev__ctx_init_token(struct unetdev__ctx *c);

static inline struct unetdev__ctx *unetdev__this_ctx(void)
{
	struct unetdev__ctx *c = &unetdev__ctx_tls;

	if (unlikely(!c->token))
		unetdev__ctx_init_token(c);
	return c;
}

/* ---- locking.c: spinlock_t fast paths, inline for the core ---- */
UNETDEV_INTERNAL void unetdev__spin_lock_slow(spinlock_t *l);
UNETDEV_INTERNAL void unetdev__spin_unlock_wake(spinlock_t *l);

/* Under ThreadSanitizer the futex lock is announced as a mutex, so that TSan
 * keeps reporting lock-order inversions of spinlocks (docs/lock-order.md). */
#if defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define UNETDEV_TSAN_LOCKS 1
#endif
#endif
#if !defined(UNETDEV_TSAN_LOCKS) && defined(__SANITIZE_THREAD__)
#define UNETDEV_TSAN_LOCKS 1
#endif
#ifdef UNETDEV_TSAN_LOCKS
#include <sanitizer/tsan_interface.h>
#define unetdev__tsan_pre_lock(l, f)  __tsan_mutex_pre_lock((l), (f))
#define unetdev__tsan_post_lock(l, f) __tsan_mutex_post_lock((l), (f), 0)
#define unetdev__tsan_pre_unlock(l)   ((void)__tsan_mutex_pre_unlock((l), 0))
#define unetdev__tsan_post_unlock(l)  __tsan_mutex_post_unlock((l), 0)
#define UNETDEV_TSAN_TRY	      __tsan_mutex_try_lock
#define UNETDEV_TSAN_TRY_FAILED	      __tsan_mutex_try_lock_failed
#else
#define unetdev__tsan_pre_lock(l, f)  ((void)0)
#define unetdev__tsan_post_lock(l, f) ((void)0)
#define unetdev__tsan_pre_unlock(l)   ((void)0)
#define unetdev__tsan_post_unlock(l)  ((void)0)
#define UNETDEV_TSAN_TRY	      0
#define UNETDEV_TSAN_TRY_FAILED	      0
#endif

/* spin_lock: one compare-and-swap uncontended, then the owner for the checks:
 * @me is the caller's unetdev__this_ctx()->token (read once by a caller that
 * needs it more than once). */
static UNETDEV_HOT_INLINE void unetdev__spin_lock_me(spinlock_t *l, unsigned long me)
    UNETDEV_ACQUIRE(*l) UNETDEV_NO_TSA
{
	unsigned int z = 0;

	unetdev__tsan_pre_lock(l, 0);
	if (unlikely(!__atomic_compare_exchange_n(&l->state, &z, 1, false, __ATOMIC_ACQUIRE,
						  __ATOMIC_RELAXED)))
		unetdev__spin_lock_slow(l);
	unetdev__tsan_post_lock(l, 0);
	__atomic_store_n(&l->owner, me, __ATOMIC_RELAXED);
}

static UNETDEV_HOT_INLINE void unetdev__spin_lock(spinlock_t *l) UNETDEV_ACQUIRE(*l) UNETDEV_NO_TSA
{
	unetdev__spin_lock_me(l, unetdev__this_ctx()->token);
}

/* spin_trylock, inline: one compare-and-swap, the owner token when it succeeds. */
static UNETDEV_HOT_INLINE bool unetdev__spin_trylock(spinlock_t *l) UNETDEV_NO_TSA
{
	unsigned int z = 0;

	unetdev__tsan_pre_lock(l, UNETDEV_TSAN_TRY);
	if (!__atomic_compare_exchange_n(&l->state, &z, 1, false, __ATOMIC_ACQUIRE,
					 __ATOMIC_RELAXED)) {
		unetdev__tsan_post_lock(l, UNETDEV_TSAN_TRY | UNETDEV_TSAN_TRY_FAILED);
		return false;
	}
	unetdev__tsan_post_lock(l, UNETDEV_TSAN_TRY);
	__atomic_store_n(&l->owner, unetdev__this_ctx()->token, __ATOMIC_RELAXED);
	return true;
}

/*
 * spin_unlock: a release store, as the kernel's (no locked instruction on the
 * fast path); a system call only when a sleeper has marked the word (2). A
 * waiter that marks it between the load and the store below is not woken by
 * this unlock: waiters sleep with a timeout (locking.c), so that race, which
 * needs this thread to stop between two instructions, costs the waiter at
 * most one timeout, never a hang.
 */
static UNETDEV_HOT_INLINE void unetdev__spin_unlock(spinlock_t *l)
    UNETDEV_RELEASE(*l) UNETDEV_NO_TSA
{
	bool sleepers = __atomic_load_n(&l->state, __ATOMIC_RELAXED) == 2;

	__atomic_store_n(&l->owner, 0, __ATOMIC_RELAXED);
	unetdev__tsan_pre_unlock(l);
	__atomic_store_n(&l->state, 0, __ATOMIC_RELEASE);
	if (unlikely(sleepers))
		unetdev__spin_unlock_wake(l);
	unetdev__tsan_post_unlock(l);
}

/* smp_processor_id() for the core's own hot path (no PLT call). */
static inline unsigned int unetdev__smp_processor_id(void)
{
	int cpu = unetdev__ctx_tls.cpu; /* an engine CPU needs no token */

	if (cpu >= 0)
		return (unsigned int)cpu;
	return (unsigned int)(unetdev__this_ctx()->token % UNETDEV_MAX_CPUS);
}

/* timer.c: true while the manual (test) clock is in use. */
UNETDEV_INTERNAL bool unetdev__clock_is_manual(void);
/* jiffies at @ns, a unetdev_clock_ns() time; 0 with the manual clock. */
UNETDEV_INTERNAL unsigned long unetdev__jiffies_at(u64 ns);

/* jiffies on the hot path: the running softirq's snapshot, else the clock. */
static inline unsigned long unetdev__softirq_jiffies(void)
{
	/* Non-zero only inside __do_softirq (engine.c clears it on the way out). */
	unsigned long j = unetdev__ctx_tls.softirq_jiffies;

	return j ? j : unetdev_jiffies();
}

/* in_hardirq() for the core's own hot path. */
static inline bool unetdev__in_hardirq(void)
{
	return unetdev__ctx_tls.hardirq_depth > 0;
}

/* local_bh_disable/enable for the core's hot path: the nested case inline. */
static inline void unetdev__local_bh_disable(void)
{
	unetdev__ctx_tls.bh_depth++;
}

static inline void unetdev__local_bh_enable(void)
{
	/* One decrement in memory and its flags: still disabled, nothing can run
	 * yet. Otherwise put it back for local_bh_enable's checks and softirqs. */
	if (unlikely(--unetdev__ctx_tls.bh_depth <= 0)) {
		unetdev__ctx_tls.bh_depth++;
		local_bh_enable();
	}
}

/* in_softirq(): BHs disabled or serving a softirq. */
static inline bool unetdev__in_softirq(void)
{
	return unetdev__ctx_tls.bh_depth > 0 || unetdev__ctx_tls.softirq_depth > 0;
}

/* ---- skbuff.c: debug poisoning (contract checker on) ---- */
#define SKB_POISON	 0x6b /* the kernel's POISON_FREE */
#define SKB_POISON_USERS 0x6b6b6b6b
static inline bool unetdev__skb_is_poisoned(const struct sk_buff *skb)
{
	return unlikely(skb->users == SKB_POISON_USERS);
}
UNETDEV_INTERNAL bool unetdev__skb_report_freed(const struct sk_buff *skb, const char *op);
/* True, and reported (R-TX-1), when @skb is a freed, poisoned skb; @op names the caller. */
static inline bool unetdev__skb_used_after_free(const struct sk_buff *skb, const char *op)
{
	return unetdev__skb_is_poisoned(skb) && unetdev__skb_report_freed(skb, op);
}

/* ---- net_namespace.c ---- */
/* dev_hash.c: the name and ifindex tables; changes under rtnl + dev_base_lock written */
UNETDEV_INTERNAL void unetdev__dev_hash_init(struct unetdev_dev_hash *t,
					     struct list_head *embedded);
UNETDEV_INTERNAL struct list_head *unetdev__name_bucket(struct net *net, const char *name);
UNETDEV_INTERNAL struct list_head *unetdev__index_bucket(struct net *net, int ifindex);
UNETDEV_INTERNAL void unetdev__name_hash_add(struct net *net, struct netdev_name_node *node);
UNETDEV_INTERNAL void unetdev__name_hash_del(struct net *net, struct netdev_name_node *node);
UNETDEV_INTERNAL void unetdev__index_hash_add(struct net *net, struct net_device *dev);
UNETDEV_INTERNAL void unetdev__index_hash_del(struct net *net, struct net_device *dev);

/* ---- notifier.c ---- */
UNETDEV_INTERNAL int unetdev__call_notifiers_extack(unsigned long val, struct net_device *dev,
						    struct netlink_ext_ack *extack)
    UNETDEV_MUST_HOLD(rtnl_mutex);
UNETDEV_INTERNAL int unetdev__call_notifiers_mtu(unsigned long val, struct net_device *dev, u32 arg)
    UNETDEV_MUST_HOLD(rtnl_mutex);
/* Send UNREGISTER (and GOING_DOWN/DOWN when up) for @dev to one block only. */
UNETDEV_INTERNAL void unetdev__notifier_rollback_one(struct notifier_block *nb,
						     struct net_device *dev);

/* ---- rtnetlink.c: link messages (RTM_NEWLINK/RTM_DELLINK) ---- */
#define RTM_NEWLINK 16
#define RTM_DELLINK 17
UNETDEV_INTERNAL void unetdev__rtmsg_ifinfo(int type, struct net_device *dev, unsigned int change)
    UNETDEV_MUST_HOLD(rtnl_mutex);

/* ---- dev_register.c ---- */
UNETDEV_INTERNAL void unetdev__netdev_run_todo(void) UNETDEV_MUST_HOLD(rtnl_mutex);
UNETDEV_INTERNAL int unetdev__dev_get_valid_name(struct net *net, struct net_device *dev,
						 const char *name) UNETDEV_MUST_HOLD(rtnl_mutex);

/* ---- dev.c ---- */
UNETDEV_INTERNAL struct netdev_name_node *unetdev__name_node_lookup(struct net *net,
								    const char *name);
/* free_netdev: delete every NAPI instance still listed (napi.c). */
UNETDEV_INTERNAL void unetdev__napi_del_all(struct net_device *dev);
UNETDEV_INTERNAL void unetdev__netdev_release(struct net_device *dev); /* last devmodel ref */
UNETDEV_INTERNAL void unetdev__devmodel_get(struct net_device *dev);
UNETDEV_INTERNAL void unetdev__devmodel_put(struct net_device *dev);
/* reg_state <= REGISTERED: the device may still be operated on (net-sysfs dev_isalive). */
UNETDEV_INTERNAL bool unetdev__dev_isalive(const struct net_device *dev);
/* free_netdev without the R-UNREG-17 driver check: the core's own frees (daemon issue). */
UNETDEV_INTERNAL void unetdev__free_netdev_core(struct net_device *dev);
/* rtnl_link.c: dev->rtnl_link_ops->kind, "" without. */
UNETDEV_INTERNAL const char *unetdev__rtnl_link_kind(const struct net_device *dev);

/* ---- dev_flags.c ---- */
UNETDEV_INTERNAL void unetdev__dev_close_many(struct list_head *head) UNETDEV_MUST_HOLD(rtnl_mutex);
UNETDEV_INTERNAL void unetdev__dev_notify_flags(struct net_device *dev, unsigned int old_flags,
						unsigned int gchanges)
    UNETDEV_MUST_HOLD(rtnl_mutex);
/* __dev_set_promiscuity: @notify false is what __dev_set_rx_mode uses (R-ADDR-5). Needs rtnl
 * (checked at run time: __dev_set_rx_mode runs under the address lock, not annotated rtnl). */
UNETDEV_INTERNAL int unetdev__dev_set_promiscuity(struct net_device *dev, int inc, bool notify);

/* ---- sch_generic.c: qdisc activation (the datapath is in sch_generic.h) ---- */
UNETDEV_INTERNAL void unetdev__dev_init_scheduler(struct net_device *dev);
UNETDEV_INTERNAL void unetdev__dev_activate(struct net_device *dev);
UNETDEV_INTERNAL void unetdev__dev_deactivate_many(struct list_head *head); /* close_list */
UNETDEV_INTERNAL void unetdev__dev_deactivate(struct net_device *dev);
UNETDEV_INTERNAL void unetdev__dev_shutdown(struct net_device *dev);
UNETDEV_INTERNAL void unetdev__dev_watchdog_up(struct net_device *dev);
UNETDEV_INTERNAL bool unetdev__dev_has_noop_qdisc(const struct net_device *dev);
/* R-MTU-17: after shrinking real_num_tx_queues, flush queues >= @n (grace period first). */
UNETDEV_INTERNAL void unetdev__qdisc_reset_all_tx_gt(struct net_device *dev, unsigned int n);
/* R-MTU-16: resize the qdiscs to tx_queue_len (deactivating around it if up). */
UNETDEV_INTERNAL int unetdev__dev_qdisc_change_tx_queue_len(struct net_device *dev)
    UNETDEV_MUST_HOLD(rtnl_mutex);

/* ---- link_watch.c ---- */
UNETDEV_INTERNAL void unetdev__linkwatch_init_dev(struct net_device *dev);
/* Process a pending event of an unregistered device now (R-LINK-11); rtnl not needed. */
UNETDEV_INTERNAL void unetdev__linkwatch_sync_dev(struct net_device *dev);
UNETDEV_INTERNAL void unetdev__linkwatch_forget_dev(struct net_device *dev);
UNETDEV_INTERNAL unsigned char unetdev__default_operstate(const struct net_device *dev);

/* ---- dev_mtu.c ---- */
/* NETDEV_PRE_CHANGEADDR for @addr; returns the veto as an errno (R-ADDR-11/12). */
UNETDEV_INTERNAL int unetdev__dev_pre_changeaddr_notify(struct net_device *dev,
							const unsigned char *addr,
							struct netlink_ext_ack *extack)
    UNETDEV_MUST_HOLD(rtnl_mutex);

/* ---- dev_addr_lists.c ---- */
UNETDEV_INTERNAL void unetdev__addr_lists_init(struct net_device *dev);
UNETDEV_INTERNAL int unetdev__dev_addr_init(struct net_device *dev);
UNETDEV_INTERNAL void unetdev__dev_addr_flush(struct net_device *dev);

/* ---- stats.c ---- */
UNETDEV_INTERNAL int unetdev__dev_alloc_pcpu_stats(struct net_device *dev);
UNETDEV_INTERNAL void unetdev__dev_free_pcpu_stats(struct net_device *dev);

/* ---- rx.c ---- */
/* Packet taps see transmitted skbs too (R-TX-12): true when any tap exists
 * (the tap lists are RCU: acquire loads, src/core/rx.c). */
static inline bool unetdev__dev_nit_active(const struct net_device *dev)
{
	const struct list_head *n = &dev_net(dev)->ptype_all, *d = &dev->ptype_all;

	return __atomic_load_n(&n->next, __ATOMIC_ACQUIRE) != n ||
	       __atomic_load_n(&d->next, __ATOMIC_ACQUIRE) != d;
}
/* Deliver a PACKET_OUTGOING clone of @skb to every tap. Borrows @skb. */
UNETDEV_INTERNAL void unetdev__dev_queue_xmit_nit(struct sk_buff *skb, struct net_device *dev);
/* flush_all_backlogs (napi.c, R-UNREG-6): drop queued skbs of @dev (NULL: of every
 * UNREGISTERING device) from every engine CPU's backlog and the caller's. Process context. */
UNETDEV_INTERNAL void unetdev__flush_all_backlogs(struct net_device *dev);

/* ---- module.c ---- */
UNETDEV_INTERNAL void unetdev__module_get(struct module *mod);
UNETDEV_INTERNAL void unetdev__module_put(struct module *mod);

/* ---- timer.c: deferred process-context work (the kernel's system workqueue) ---- */
struct unetdev__work {
	struct timer_list timer;
	void (*fn)(struct unetdev__work *w);
};
UNETDEV_INTERNAL void unetdev__work_init(struct unetdev__work *w,
					 void (*fn)(struct unetdev__work *));
/* Run @w on the worker thread after @delay jiffies (0 = as soon as possible). */
UNETDEV_INTERNAL void unetdev__schedule_delayed_work(struct unetdev__work *w, unsigned long delay);
UNETDEV_INTERNAL void unetdev__cancel_work_sync(struct unetdev__work *w);
/* Sleep @ms milliseconds of the (possibly manual) clock. */
UNETDEV_INTERNAL void unetdev__msleep(unsigned int ms);

#endif
