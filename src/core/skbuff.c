// SPDX-License-Identifier: MIT
/*
 * skbuff.c - socket buffers (kernel net/core/skbuff.c: __alloc_skb,
 * skb_clone, skb_copy, skb_put/push/pull/trim, kfree_skb_reason,
 * consume_skb). Supports R-TX-1 (who frees what) and R-RX-3 (extra
 * references for "one behind" delivery).
 *
 * The control-plane-era buffer: a struct sk_buff from the accounted heap and
 * a linear data block with struct skb_shared_info at @end. Clones share the
 * data block (shinfo->dataref); the skb itself has a users count. The
 * per-CPU skb cache arrives with the datapath engine; the interface stays.
 *
 * skb_put/skb_push past the buffer are the kernel's skb_over_panic and
 * skb_under_panic: a BUG reported as R-SKB-1 / R-SKB-2 (the rules file has
 * no skb section; these ids name the two panics), refused with NULL.
 */
#include <string.h>

#include "internal.h"

/* SKB_DATA_ALIGN: the shared info starts on a cache line. */
#define SKB_DATA_ALIGN(x) ALIGN((size_t)(x), (size_t)64)

static unsigned long drop_counts[SKB_DROP_REASON_MAX];

static unsigned char *skb_data_alloc(size_t size)
{
	unsigned char *data = unetdev__kmalloc(size + sizeof(struct skb_shared_info), "skb");

	if (data)
		memset(data + size, 0, sizeof(struct skb_shared_info));
	return data;
}

struct sk_buff *alloc_skb(unsigned int size, gfp_t gfp)
{
	size_t room = SKB_DATA_ALIGN(size);
	struct sk_buff *skb;
	unsigned char *data;

	skb = unetdev__kzalloc(sizeof(*skb), "skb");
	if (!skb)
		return NULL;
	data = skb_data_alloc(room);
	if (!data) {
		unetdev__kfree(skb);
		return NULL;
	}
	skb->head = data;
	skb->data = data;
	skb->tail = data;
	skb->end = data + room;
	skb->truesize = (unsigned int)(sizeof(*skb) + room + sizeof(struct skb_shared_info));
	skb->users = 1;
	skb->alloc_cpu = (u16)smp_processor_id();
	skb_shinfo(skb)->dataref = 1;
	unetdev__live_add(UNETDEV_LIVE_SKB, 1);
	return skb;
}

struct sk_buff *__netdev_alloc_skb(struct net_device *dev, unsigned int len, gfp_t gfp)
{
	struct sk_buff *skb = alloc_skb(len + NET_SKB_PAD, gfp);

	if (!skb)
		return NULL;
	skb_reserve(skb, NET_SKB_PAD);
	skb->dev = dev;
	return skb;
}

/* skb_release_data: the data block goes with its last reference. */
static void skb_release_data(struct sk_buff *skb)
{
	if (skb->cloned && __atomic_sub_fetch(&skb_shinfo(skb)->dataref, 1, __ATOMIC_ACQ_REL) != 0)
		return;
	unetdev__kfree(skb->head);
}

static void __kfree_skb(struct sk_buff *skb)
{
	skb_release_data(skb);
	unetdev__kfree(skb);
	unetdev__live_add(UNETDEV_LIVE_SKB, -1);
}

/* skb_unref: true when the caller dropped the last user. */
static bool skb_unref(struct sk_buff *skb)
{
	if (likely(__atomic_load_n(&skb->users, __ATOMIC_ACQUIRE) == 1))
		return true;
	return __atomic_sub_fetch(&skb->users, 1, __ATOMIC_ACQ_REL) == 0;
}

void kfree_skb_reason(struct sk_buff *skb, enum skb_drop_reason reason)
{
	if (unlikely(!skb))
		return;
	if (!skb_unref(skb))
		return;
	if ((unsigned int)reason >= SKB_DROP_REASON_MAX || reason == SKB_NOT_DROPPED_YET)
		reason = SKB_DROP_REASON_NOT_SPECIFIED;
	__atomic_fetch_add(&drop_counts[reason], 1, __ATOMIC_RELAXED);
	__kfree_skb(skb);
}

void consume_skb(struct sk_buff *skb)
{
	kfree_skb_reason(skb, SKB_CONSUMED);
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

void *skb_put(struct sk_buff *skb, unsigned int len)
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

void *skb_push(struct sk_buff *skb, unsigned int len)
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
void *skb_pull(struct sk_buff *skb, unsigned int len)
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
	return __atomic_load_n(&drop_counts[reason], __ATOMIC_RELAXED);
}

long skb_live_count(void)
{
	struct unetdev_live live;

	unetdev_live_objects(&live);
	return live.skbs;
}
