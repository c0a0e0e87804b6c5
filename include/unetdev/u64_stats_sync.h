/* SPDX-License-Identifier: MIT */
/*
 * 64-bit statistics counters readable without tearing (kernel
 * linux/u64_stats_sync.h, and the seqcount_t of linux/seqlock.h it uses).
 * Rule R-STAT-7.
 *
 * On 64-bit builds a u64 load or store is one access, so the sync object is
 * empty and fetch_begin/fetch_retry never loop; counters are read and
 * written with relaxed atomics (the kernel's local64_t). On 32-bit builds a
 * u64 takes two accesses, so writers bracket updates with a sequence count
 * and readers retry until no writer interleaved.
 *
 * Writers of one sync object must be serialised by the caller (one per CPU
 * or under a lock), exactly as in the kernel.
 *
 *   writer:  u64_stats_update_begin(&s->syncp);
 *            u64_stats_inc(&s->packets); u64_stats_add(&s->bytes, len);
 *            u64_stats_update_end(&s->syncp);
 *   reader:  do {
 *                start = u64_stats_fetch_begin(&s->syncp);
 *                packets = u64_stats_read(&s->packets);
 *                bytes = u64_stats_read(&s->bytes);
 *            } while (u64_stats_fetch_retry(&s->syncp, start));
 */
#ifndef UNETDEV_U64_STATS_SYNC_H
#define UNETDEV_U64_STATS_SYNC_H

#include <string.h>
#include <unetdev/types.h>

/* ---- seqcount_t (linux/seqlock.h): a writer-side sequence number ---- */

typedef struct seqcount {
	unsigned int sequence; /* odd while a writer is inside */
} seqcount_t;

static inline void seqcount_init(seqcount_t *s)
{
	__atomic_store_n(&s->sequence, 0, __ATOMIC_RELAXED);
}

/* Waits out a writer in progress; the value to pass to read_seqcount_retry(). */
static inline unsigned int read_seqcount_begin(const seqcount_t *s)
{
	unsigned int seq;

	while ((seq = __atomic_load_n(&s->sequence, __ATOMIC_ACQUIRE)) & 1)
		;
	return seq;
}

/* True when a writer ran since read_seqcount_begin() returned @start. */
static inline bool read_seqcount_retry(const seqcount_t *s, unsigned int start)
{
	__atomic_thread_fence(__ATOMIC_ACQUIRE); /* smp_rmb(): data reads before the recheck */
	return __atomic_load_n(&s->sequence, __ATOMIC_RELAXED) != start;
}

static inline void write_seqcount_begin(seqcount_t *s)
{
	__atomic_store_n(&s->sequence, s->sequence + 1, __ATOMIC_RELAXED);
	__atomic_thread_fence(__ATOMIC_RELEASE); /* smp_wmb(): odd before the data */
}

static inline void write_seqcount_end(seqcount_t *s)
{
	__atomic_store_n(&s->sequence, s->sequence + 1, __ATOMIC_RELEASE);
}

/* ---- u64_stats_sync ---- */

/* BITS_PER_LONG == 64; define it to 0 first to build the 32-bit variant. */
#ifndef UNETDEV_U64_STATS_ATOMIC
#if defined(__SIZEOF_LONG__) && __SIZEOF_LONG__ >= 8
#define UNETDEV_U64_STATS_ATOMIC 1
#else
#define UNETDEV_U64_STATS_ATOMIC 0
#endif
#endif

/* A counter; read and write it only through the helpers below. */
typedef struct {
	u64 v;
} u64_stats_t;

#if UNETDEV_U64_STATS_ATOMIC

struct u64_stats_sync {
};

static inline void u64_stats_init(struct u64_stats_sync *syncp)
{
	(void)syncp;
}
static inline void u64_stats_update_begin(struct u64_stats_sync *syncp)
{
	(void)syncp;
}
static inline void u64_stats_update_end(struct u64_stats_sync *syncp)
{
	(void)syncp;
}
static inline unsigned int u64_stats_fetch_begin(const struct u64_stats_sync *syncp)
{
	(void)syncp;
	return 0;
}
static inline bool u64_stats_fetch_retry(const struct u64_stats_sync *syncp, unsigned int start)
{
	(void)syncp;
	(void)start;
	return false;
}
static inline u64 u64_stats_read(const u64_stats_t *p)
{
	return __atomic_load_n(&p->v, __ATOMIC_RELAXED);
}
static inline void u64_stats_set(u64_stats_t *p, u64 val)
{
	__atomic_store_n(&p->v, val, __ATOMIC_RELAXED);
}
/* local64_add: the writer is the only one updating, so load + store suffices. */
static inline void u64_stats_add(u64_stats_t *p, unsigned long val)
{
	u64_stats_set(p, u64_stats_read(p) + val);
}

#else /* 32-bit: two accesses per u64, guarded by the sequence count */

struct u64_stats_sync {
	seqcount_t seq;
};

static inline void u64_stats_init(struct u64_stats_sync *syncp)
{
	seqcount_init(&syncp->seq);
}
static inline void u64_stats_update_begin(struct u64_stats_sync *syncp)
{
	write_seqcount_begin(&syncp->seq);
}
static inline void u64_stats_update_end(struct u64_stats_sync *syncp)
{
	write_seqcount_end(&syncp->seq);
}
static inline unsigned int u64_stats_fetch_begin(const struct u64_stats_sync *syncp)
{
	return read_seqcount_begin(&syncp->seq);
}
static inline bool u64_stats_fetch_retry(const struct u64_stats_sync *syncp, unsigned int start)
{
	return read_seqcount_retry(&syncp->seq, start);
}
/* Each 32-bit half is one access; the sequence count makes the pair consistent. */
static inline u64 u64_stats_read(const u64_stats_t *p)
{
	const u32 *h = (const u32 *)&p->v;
	u32 a = __atomic_load_n(&h[0], __ATOMIC_RELAXED),
	    b = __atomic_load_n(&h[1], __ATOMIC_RELAXED);
	u64 r;

	memcpy(&r, (u32[2]){a, b}, sizeof(r));
	return r;
}
static inline void u64_stats_set(u64_stats_t *p, u64 val)
{
	u32 *h = (u32 *)&p->v, v[2];

	memcpy(v, &val, sizeof(val));
	__atomic_store_n(&h[0], v[0], __ATOMIC_RELAXED);
	__atomic_store_n(&h[1], v[1], __ATOMIC_RELAXED);
}
static inline void u64_stats_add(u64_stats_t *p, unsigned long val)
{
	u64_stats_set(p, u64_stats_read(p) + val);
}

#endif

static inline void u64_stats_inc(u64_stats_t *p)
{
	u64_stats_add(p, 1);
}

/* The _irqsave variants: interrupts are events on the engine thread here. */
static inline unsigned long u64_stats_update_begin_irqsave(struct u64_stats_sync *syncp)
{
	u64_stats_update_begin(syncp);
	return 0;
}
static inline void u64_stats_update_end_irqrestore(struct u64_stats_sync *syncp,
						   unsigned long flags)
{
	(void)flags;
	u64_stats_update_end(syncp);
}

#endif
