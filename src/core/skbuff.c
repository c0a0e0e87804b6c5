// SPDX-License-Identifier: MIT
/*
 * skbuff.c - socket buffers (kernel net/core/skbuff.c: __alloc_skb,
 * skb_clone, skb_copy, skb_put/push/pull/trim, kfree_skb_reason,
 * consume_skb). Supports R-TX-1 (who frees what) and R-RX-3 (extra
 * references for "one behind" delivery).
 *
 * A struct sk_buff from the accounted heap and a linear data block with
 * struct skb_shared_info at @end. Clones share the data block
 * (shinfo->dataref); the skb itself has a users count.
 *
 * The per-CPU skb cache (the kernel's napi_skb_cache and its page-frag
 * reuse): a freed skb goes, with its data block when that was the last
 * reference and at most SKB_CACHE_MAX_ROOM bytes, onto the freeing thread's
 * softnet cache; alloc_skb takes it back and reuses the data block when it is
 * big enough. Cached objects are not live allocations (the leak check stays
 * exact); the cache is freed when its engine CPU stops or its thread exits.
 * Fault injection still sees every allocation the cache stands in for.
 *
 * Debug poisoning (contract checker on): a freed skb is zeroed with its
 * len and users set to SKB_POISON bytes (below) and the cache becomes a FIFO
 * quarantine, so that a second free,
 * a freed skb handed to dev_queue_xmit or the receive path, or a write into a
 * freed skb (found when it leaves the quarantine) is reported as R-TX-1:
 * the rules file has no skb ownership section, and R-TX-1 ("consumes the
 * skb; the caller must not touch it afterwards") is the rule those bugs break
 * (docs/contract-checker.md).
 *
 * skb_put/skb_push past the buffer are the kernel's skb_over_panic and
 * skb_under_panic: a BUG reported as R-SKB-1 / R-SKB-2 (the rules file has
 * no skb section; these ids name the two panics), refused with NULL.
 */
#include <string.h>

#include "softnet.h"

/* SKB_DATA_ALIGN: the shared info starts on a cache line. */
#define SKB_DATA_ALIGN(x) ALIGN((size_t)(x), (size_t)64)

#define SKB_CACHE_MAX	   256	/* per CPU; the kernel's NAPI_SKB_CACHE_SIZE is 64 */
#define SKB_CACHE_MAX_ROOM 4096 /* bigger data blocks go back to the heap */
#define SKB_POISON_OFF	   offsetof(struct sk_buff, dev) /* next/prev link the cache */

static unsigned long drop_counts[SKB_DROP_REASON_MAX];

static unsigned char *skb_data_alloc(size_t size)
{
	unsigned char *data = unetdev__kmalloc(size + sizeof(struct skb_shared_info), "skb");

	if (data)
		memset(data + size, 0, sizeof(struct skb_shared_info));
	return data;
}

/* ---- debug poisoning ---- */

/*
 * A poisoned skb (checker on): from @dev to the end it is zero, except the
 * 8 bytes of @len and @users, which are SKB_POISON bytes: @users is the
 * "freed" mark every entry point tests (SKB_POISON_USERS) and @len a length
 * nothing can use. Zero elsewhere, not 0x6b: a stale pointer read from a
 * freed skb is NULL, as sure a fault as 0x6b6b..., and an intact poisoned skb
 * is already the zeroed skb __alloc_skb needs, so the check when the cache
 * hands it out again (an OR over the skb) replaces the zeroing instead of
 * adding to it. A write after the free of anything but a zero into the zero
 * part, or of anything but 0x6b into len/users, is found then.
 *
 * Poisoning, checking and zeroing as 16-byte vector stores and loads: skbs
 * come 64-byte aligned from the accounted heap, and compilers turn a memset
 * or memcmp of this size into `rep stos` or a libc call, slower on this path.
 */
typedef unsigned long long skb_v16 __attribute__((vector_size(16), may_alias));
#define SKB_POISON_U64	   0x6b6b6b6b6b6b6b6bull
#define SKB_POISON_WORDS   ((sizeof(struct sk_buff) - SKB_POISON_OFF) / 16)
/* The word holding len and users (its upper half: little-endian lanes). */
#define SKB_POISON_LU_WORD ((offsetof(struct sk_buff, len) - SKB_POISON_OFF) / 16)
#define SKB_POISON_LU_V16  ((skb_v16){0, SKB_POISON_U64})
_Static_assert(SKB_POISON_OFF % 16 == 0 && sizeof(struct sk_buff) % 16 == 0, "whole 16-byte words");
_Static_assert(offsetof(struct sk_buff, len) % 16 == 8 &&
		   offsetof(struct sk_buff, users) == offsetof(struct sk_buff, len) + 4,
	       "len and users fill the upper half of one word");
_Static_assert(SKB_POISON_USERS == (int)(SKB_POISON_U64 & 0xffffffffu), "the mark is poison");

static inline skb_v16 *skb_words(const struct sk_buff *skb)
{
	return (skb_v16 *)(void *)((unsigned char *)(uintptr_t)skb + SKB_POISON_OFF);
}

static void skb_poison(struct sk_buff *skb)
{
	skb_v16 *p = skb_words(skb);

#pragma GCC unroll 16
	for (size_t i = 0; i < SKB_POISON_WORDS; i++)
		p[i] = i == SKB_POISON_LU_WORD ? SKB_POISON_LU_V16 : (skb_v16){0, 0};
}

static bool skb_poison_intact(const struct sk_buff *skb)
{
	const skb_v16 *p = skb_words(skb);
	skb_v16 acc = p[SKB_POISON_LU_WORD] ^ SKB_POISON_LU_V16;

#pragma GCC unroll 16
	for (size_t i = 0; i < SKB_POISON_WORDS; i++)
		if (i != SKB_POISON_LU_WORD)
			acc |= p[i];
	return !(acc[0] | acc[1]);
}

static bool skb_poisoned(const struct sk_buff *skb)
{
	return unlikely(skb->users == SKB_POISON_USERS);
}

/* The byte a poisoned skb holds at @off. */
static unsigned char skb_poison_byte(size_t off)
{
	return off >= offsetof(struct sk_buff, len) &&
		       off < offsetof(struct sk_buff, users) + sizeof(int)
		   ? SKB_POISON
		   : 0;
}

/* A poisoned skb written after its free: report the first changed byte. */
static __attribute__((noinline, cold)) bool skb_poison_report(const struct sk_buff *skb)
{
	const unsigned char *p = (const unsigned char *)skb;

	for (size_t i = SKB_POISON_OFF; i < sizeof(*skb); i++) {
		if (p[i] != skb_poison_byte(i)) {
			unetdev_check_report("R-TX-1", UNETDEV_SEV_WARN, NULL, "kfree_skb",
					     "skb %p written after it was freed (offset %zu)",
					     (const void *)skb, i);
			break;
		}
	}
	return false;
}

/* A poisoned skb leaving the quarantine: was it written after the free?
 * True when it is intact (still all zero where poisoning zeroed it). */
static inline bool skb_poison_verify(const struct sk_buff *skb)
{
	return likely(skb_poison_intact(skb)) || skb_poison_report(skb);
}

bool unetdev__skb_report_freed(const struct sk_buff *skb, const char *op)
{
	unetdev_check_report("R-TX-1", UNETDEV_SEV_BUG, NULL, op,
			     "skb %p used after it was freed (consumed by the core or a driver)",
			     (const void *)skb);
	return true;
}

/* ---- the per-CPU skb cache ---- */

static inline void skb_zero(struct sk_buff *skb)
{
	skb_v16 *p = (skb_v16 *)(void *)skb;

#pragma GCC unroll 16
	for (size_t i = 0; i < sizeof(*skb) / 16; i++)
		p[i] = (skb_v16){0, 0};
}

static void skb_cache_free_one(struct sk_buff *skb)
{
	unsigned char *head = (unsigned char *)skb->prev;

	if (skb_poisoned(skb))
		skb_poison_verify(skb);
	unetdev__live_allocs_add(head ? 2 : 1);
	unetdev__kfree(head);
	unetdev__kfree(skb);
}

static struct sk_buff *skb_cache_pop(struct softnet_data *sd)
{
	struct sk_buff *skb = sd->skb_cache_head;

	sd->skb_cache_head = skb->next;
	if (!skb->next)
		sd->skb_cache_tail = NULL;
	sd->skb_cache_len--;
	return skb;
}

/* Keep @skb (and @head, its data block now unreferenced, or NULL) on @sd's cache. */
static void skb_cache_put(struct softnet_data *sd, struct sk_buff *skb, unsigned char *head)
{
	bool quarantine = unetdev__check_enabled();

	if (unlikely(sd->skb_cache_len >= SKB_CACHE_MAX)) {
		if (!quarantine) {
			unetdev__kfree(head);
			unetdev__kfree(skb);
			return;
		}
		skb_cache_free_one(skb_cache_pop(sd)); /* the oldest leaves the quarantine */
	}
	unetdev__live_allocs_add(head ? -2 : -1);
	skb->prev = (struct sk_buff *)(void *)head;
	sd->skb_cache_len++;
	if (quarantine) { /* FIFO: a freed skb stays poisoned as long as possible */
		skb_poison(skb);
		skb->next = NULL;
		if (sd->skb_cache_tail)
			sd->skb_cache_tail->next = skb;
		else
			sd->skb_cache_head = skb;
		sd->skb_cache_tail = skb;
	} else {
		skb->next = sd->skb_cache_head;
		if (!sd->skb_cache_head)
			sd->skb_cache_tail = skb;
		sd->skb_cache_head = skb;
	}
}

/*
 * napi_skb_cache_get: a cached skb with a data block of at least
 * @room bytes in *@data (NULL when it must be allocated). Counts the
 * allocations it stands for; NULL when fault injection fails one.
 */
static struct sk_buff *skb_cache_get(struct softnet_data *sd, size_t room, unsigned char **data)
{
	struct sk_buff *skb;
	unsigned char *head;

	if (unetdev__should_fail_cached("skb", 1))
		return NULL;
	skb = skb_cache_pop(sd);
	head = (unsigned char *)skb->prev;
	if (skb_poisoned(skb))
		skb_poison_verify(skb);
	unetdev__live_allocs_add(1);
	if (head && unetdev__ksize(head) < room + sizeof(struct skb_shared_info)) {
		unetdev__live_allocs_add(1);
		unetdev__kfree(head);
		head = NULL;
	}
	if (head) {
		unetdev__live_allocs_add(1);
		if (unetdev__should_fail_cached("skb", 1)) {
			skb_cache_put(sd, skb, head); /* back, uncounted again */
			return NULL;
		}
	}
	*data = head; /* the caller initialises the skb and the shared info */
	return skb;
}

void unetdev__skb_cache_drain(struct softnet_data *sd, bool off)
{
	while (sd->skb_cache_head)
		skb_cache_free_one(skb_cache_pop(sd));
	if (off)
		sd->skb_cache_off = true;
}

/* ---- allocation and free ---- */

/*
 * The fast path of alloc_skb: the cache's first skb with a data block big
 * enough, fault injection not armed, this thread's counters registered. NULL
 * sends the caller to the general path. Counts what the cache stands in for:
 * two allocation attempts, two live allocations and one live skb. *@clean:
 * the skb was poisoned and is intact, so already zeroed (skb_init).
 */
static inline struct sk_buff *skb_cache_take(struct softnet_data *sd, size_t room, bool *clean)
{
	struct sk_buff *skb = sd->skb_cache_head;
	struct unetdev__counters *c = unetdev__cnt_ready();
	unsigned char *head;

	if (unlikely(!skb || !c || __atomic_load_n(&unetdev__fault_armed, __ATOMIC_RELAXED)))
		return NULL;
	head = (unsigned char *)skb->prev;
	if (unlikely(!head || unetdev__ksize(head) < room + sizeof(struct skb_shared_info)))
		return NULL;
	sd->skb_cache_head = skb->next;
	if (!skb->next)
		sd->skb_cache_tail = NULL;
	sd->skb_cache_len--;
	*clean = skb_poisoned(skb) && skb_poison_verify(skb);
	unetdev__cnt_add_to(c, UNETDEV_CNT_ATTEMPTS, 2);
	unetdev__cnt_add_to(c, UNETDEV_CNT_ALLOCS, 2);
	unetdev__cnt_add_to(c, UNETDEV_CNT_SKB, 1);
	return skb;
}

/* The general path: a cached skb whose data block must be replaced, or new
 * objects from the heap; counts them. NULL when an allocation fails. */
static struct sk_buff *alloc_skb_slow(struct softnet_data *sd, size_t room, unsigned char **pdata)
{
	struct sk_buff *skb = NULL;
	unsigned char *data = NULL;

	if (sd->skb_cache_head) {
		skb = skb_cache_get(sd, room, &data);
		if (!skb)
			return NULL;
	} else {
		skb = unetdev__kzalloc(sizeof(*skb), "skb");
		if (!skb)
			return NULL;
	}
	if (!data)
		data = skb_data_alloc(room);
	if (!data) {
		unetdev__kfree(skb);
		return NULL;
	}
	unetdev__live_add(UNETDEV_LIVE_SKB, 1);
	*pdata = data;
	return skb;
}

/* __alloc_skb's initialisation: the skb zeroed (@clean: an intact poisoned
 * skb, zero but for its links and len/users), the buffer pointers, one user,
 * and the shared info with one data reference. */
static inline void skb_init(struct sk_buff *skb, unsigned char *data, size_t room, bool clean)
{
	if (clean) {
		skb->next = skb->prev = NULL;
		skb->len = 0;
	} else {
		skb_zero(skb);
	}
	skb->head = data;
	skb->data = data;
	skb->tail = data;
	skb->end = data + room;
	skb->truesize = (unsigned int)(sizeof(*skb) + room + sizeof(struct skb_shared_info));
	skb->users = 1;
	skb->alloc_cpu = (u16)unetdev__smp_processor_id();
	*skb_shinfo(skb) = (struct skb_shared_info){.dataref = 1};
}

static inline struct sk_buff *__alloc_skb(unsigned int size)
{
	size_t room = SKB_DATA_ALIGN(size);
	struct softnet_data *sd = unetdev__this_softnet();
	bool clean = false;
	struct sk_buff *skb = skb_cache_take(sd, room, &clean);
	unsigned char *data;

	if (likely(skb))
		data = (unsigned char *)skb->prev;
	else if (!(skb = alloc_skb_slow(sd, room, &data)))
		return NULL;
	skb_init(skb, data, room, clean);
	return skb;
}

struct sk_buff *alloc_skb(unsigned int size, gfp_t gfp)
{
	return __alloc_skb(size);
}

struct sk_buff *__netdev_alloc_skb(struct net_device *dev, unsigned int len, gfp_t gfp)
{
	struct sk_buff *skb = __alloc_skb(len + NET_SKB_PAD);

	if (!skb)
		return NULL;
	skb_reserve(skb, NET_SKB_PAD);
	skb->dev = dev;
	return skb;
}

/* skb_release_data: the data block goes with its last reference. Returns it
 * then (the caller frees or caches it), NULL while a clone still uses it. */
static unsigned char *skb_release_data(struct sk_buff *skb)
{
	if (skb->cloned && __atomic_sub_fetch(&skb_shinfo(skb)->dataref, 1, __ATOMIC_ACQ_REL) != 0)
		return NULL;
	return skb->head;
}

static void __kfree_skb_slow(struct softnet_data *sd, struct sk_buff *skb, unsigned char *head)
{
	unetdev__live_add(UNETDEV_LIVE_SKB, -1);
	if (likely(!sd->skb_cache_off) &&
	    (!head ||
	     unetdev__ksize(head) <= SKB_CACHE_MAX_ROOM + sizeof(struct skb_shared_info))) {
		skb_cache_put(sd, skb, head);
		return;
	}
	unetdev__kfree(head);
	unetdev__kfree(skb);
}

/* The last user is gone: onto this CPU's cache (the fast path: the data block
 * with it, room in the cache, this thread's counters registered), else the
 * general path. */
static inline void __kfree_skb(struct sk_buff *skb)
{
	unsigned char *head = skb_release_data(skb);
	struct softnet_data *sd = unetdev__this_softnet();
	struct unetdev__counters *c = unetdev__cnt_ready();

	if (unlikely(!head || !c || sd->skb_cache_off || sd->skb_cache_len >= SKB_CACHE_MAX ||
		     unetdev__ksize(head) > SKB_CACHE_MAX_ROOM + sizeof(struct skb_shared_info))) {
		__kfree_skb_slow(sd, skb, head);
		return;
	}
	unetdev__cnt_add_to(c, UNETDEV_CNT_SKB, -1);
	unetdev__cnt_add_to(c, UNETDEV_CNT_ALLOCS, -2);
	skb->prev = (struct sk_buff *)(void *)head;
	sd->skb_cache_len++;
	if (unlikely(unetdev__check_enabled())) { /* the FIFO quarantine */
		skb_poison(skb);
		skb->next = NULL;
		if (sd->skb_cache_tail)
			sd->skb_cache_tail->next = skb;
		else
			sd->skb_cache_head = skb;
		sd->skb_cache_tail = skb;
		return;
	}
	skb->next = sd->skb_cache_head;
	if (!sd->skb_cache_head)
		sd->skb_cache_tail = skb;
	sd->skb_cache_head = skb;
}

/* skb_unref: true when the caller dropped the last user. */
static bool skb_unref(struct sk_buff *skb)
{
	if (likely(__atomic_load_n(&skb->users, __ATOMIC_ACQUIRE) == 1))
		return true;
	return __atomic_sub_fetch(&skb->users, 1, __ATOMIC_ACQ_REL) == 0;
}

static void skb_count_consumed(void)
{
	struct unetdev__counters *c = unetdev__cnt_ready();

	if (likely(c))
		unetdev__cnt_add_to(c, UNETDEV_CNT_CONSUMED, 1);
	else
		unetdev__cnt_add(UNETDEV_CNT_CONSUMED, 1);
}

void kfree_skb_reason(struct sk_buff *skb, enum skb_drop_reason reason)
{
	if (unlikely(!skb))
		return;
	if (unetdev__skb_used_after_free(skb, "kfree_skb"))
		return; /* a double free: the second one is refused */
	if (!skb_unref(skb))
		return;
	if ((unsigned int)reason >= SKB_DROP_REASON_MAX || reason == SKB_NOT_DROPPED_YET)
		reason = SKB_DROP_REASON_NOT_SPECIFIED;
	if (reason == SKB_CONSUMED)
		skb_count_consumed();
	else
		__atomic_fetch_add(&drop_counts[reason], 1, __ATOMIC_RELAXED);
	__kfree_skb(skb);
}

void consume_skb(struct sk_buff *skb)
{
	if (unlikely(!skb))
		return;
	if (unetdev__skb_used_after_free(skb, "kfree_skb"))
		return; /* a double free: the second one is refused */
	if (!skb_unref(skb))
		return;
	skb_count_consumed();
	__kfree_skb(skb);
}

struct sk_buff *skb_clone(struct sk_buff *skb, gfp_t gfp)
{
	struct sk_buff *n = unetdev__kmalloc(sizeof(*n), "skb");

	if (!n)
		return NULL;
	/* Both become "cloned" so that either one's free respects dataref. */
	skb->cloned = true;
	__atomic_fetch_add(&skb_shinfo(skb)->dataref, 1, __ATOMIC_RELAXED);
	memcpy(n, skb, sizeof(*n));
	n->next = NULL;
	n->prev = NULL;
	n->sk = NULL;
	n->users = 1;
	unetdev__live_add(UNETDEV_LIVE_SKB, 1);
	return n;
}

struct sk_buff *skb_copy(const struct sk_buff *skb, gfp_t gfp)
{
	size_t room = (size_t)(skb->end - skb->head);
	struct sk_buff *n = unetdev__kmalloc(sizeof(*n), "skb");
	unsigned char *data;

	if (!n)
		return NULL;
	data = skb_data_alloc(room);
	if (!data) {
		unetdev__kfree(n);
		return NULL;
	}
	memcpy(n, skb, sizeof(*n));
	memcpy(data, skb->head, (size_t)(skb->tail - skb->head));
	n->head = data;
	n->data = data + (skb->data - skb->head);
	n->tail = data + (skb->tail - skb->head);
	n->end = data + room;
	*skb_shinfo(n) = *skb_shinfo(skb);
	skb_shinfo(n)->dataref = 1;
	n->next = NULL;
	n->prev = NULL;
	n->sk = NULL;
	n->users = 1;
	n->cloned = false;
	unetdev__live_add(UNETDEV_LIVE_SKB, 1);
	return n;
}

void *unetdev_skb_put(struct sk_buff *skb, unsigned int len)
{
	unsigned char *tmp = skb->tail;

	if (unlikely(len > (size_t)(skb->end - skb->tail))) {
		UNETDEV_BUG("R-SKB-1", skb->dev, "skb_put",
			    "skb_over_panic: put %u with %d bytes of tailroom", len,
			    skb_tailroom(skb));
		return NULL;
	}
	skb->tail += len;
	skb->len += len;
	return tmp;
}

void *unetdev_skb_push(struct sk_buff *skb, unsigned int len)
{
	if (unlikely(len > skb_headroom(skb))) {
		UNETDEV_BUG("R-SKB-2", skb->dev, "skb_push",
			    "skb_under_panic: push %u with %u bytes of headroom", len,
			    skb_headroom(skb));
		return NULL;
	}
	skb->data -= len;
	skb->len += len;
	return skb->data;
}

/* Returns the new data start, or NULL (nothing changed) when @len > skb->len. */
void *unetdev_skb_pull(struct sk_buff *skb, unsigned int len)
{
	if (unlikely(len > skb->len))
		return NULL;
	skb->len -= len;
	skb->data += len;
	return skb->data;
}

void skb_trim(struct sk_buff *skb, unsigned int len)
{
	if (skb->len <= len)
		return;
	skb->len = len;
	skb->tail = skb->data + len;
}

unsigned long skb_drop_count(enum skb_drop_reason reason)
{
	if ((unsigned int)reason >= SKB_DROP_REASON_MAX)
		return 0;
	if (reason == SKB_CONSUMED) /* counted per thread */
		return (unsigned long)unetdev__cnt_sum(UNETDEV_CNT_CONSUMED);
	return __atomic_load_n(&drop_counts[reason], __ATOMIC_RELAXED);
}

long skb_live_count(void)
{
	struct unetdev_live live;

	unetdev_live_objects(&live);
	return live.skbs;
}
