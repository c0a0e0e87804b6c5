/* SPDX-License-Identifier: MIT */
/*
 * struct sk_buff (kernel linux/skbuff.h): a linear buffer with
 * head/data/tail/end, a shared-info block holding the data refcount and GSO
 * fields, and a users count for the skb itself.
 */
#ifndef UNETDEV_SKBUFF_H
#define UNETDEV_SKBUFF_H

#include <stddef.h>

#include <string.h>
#include <unetdev/types.h>

struct net_device;
struct sock;

#define CHECKSUM_NONE	     0
#define CHECKSUM_UNNECESSARY 1
#define CHECKSUM_COMPLETE    2
#define CHECKSUM_PARTIAL     3

#define PACKET_HOST	 0
#define PACKET_BROADCAST 1
#define PACKET_MULTICAST 2
#define PACKET_OTHERHOST 3
#define PACKET_OUTGOING	 4
#define PACKET_LOOPBACK	 5

#define SKB_GSO_TCPV4	    (1u << 0)
#define SKB_GSO_DODGY	    (1u << 1)
#define SKB_GSO_TCP_ECN	    (1u << 2)
#define SKB_GSO_TCP_FIXEDID (1u << 3)
#define SKB_GSO_TCPV6	    (1u << 4)
#define SKB_GSO_UDP_L4	    (1u << 16)

#define NET_SKB_PAD 64

/* Why an skb was freed (kernel enum skb_drop_reason, the subset used here). */
enum skb_drop_reason {
	SKB_NOT_DROPPED_YET = 0,
	SKB_CONSUMED,
	SKB_DROP_REASON_NOT_SPECIFIED,
	SKB_DROP_REASON_PKT_TOO_SMALL,
	SKB_DROP_REASON_PKT_TOO_BIG,
	SKB_DROP_REASON_DEV_READY,
	SKB_DROP_REASON_NOMEM,
	SKB_DROP_REASON_UNHANDLED_PROTO,
	SKB_DROP_REASON_QDISC_DROP,
	SKB_DROP_REASON_CPU_BACKLOG,
	SKB_DROP_REASON_FULL_RING,
	SKB_DROP_REASON_DEV_HDR,
	SKB_DROP_REASON_RECURSION_LIMIT,
	SKB_DROP_REASON_TX_ERROR,
	SKB_DROP_REASON_OTHERHOST,
	SKB_DROP_REASON_GSO,
	SKB_DROP_REASON_VLAN,
	SKB_DROP_REASON_QDISC_BURST_DROP, /* the defer list is full (R-TX-15) */
	SKB_DROP_REASON_MAX,
};

struct skb_shared_info {
	int dataref; /* atomic: clones share the data */
	unsigned short gso_size;
	unsigned short gso_segs;
	unsigned int gso_type;
	unsigned char nr_frags;
};

struct sk_buff {
	/* Line 0: what every hop reads and writes. */
	union { /* a singly/doubly linked chain, or a list_head list (netif_receive_skb_list) */
		struct {
			struct sk_buff *next;
			struct sk_buff *prev;
		};
		struct list_head list;
	};
	struct net_device *dev;
	unsigned char *head;
	unsigned char *data;
	unsigned char *tail;
	unsigned char *end;
	unsigned int len;
	int users; /* atomic */
	/* Line 1: metadata of the hop (queue choice, protocol, offsets, offloads). */
	unsigned int data_len;
	unsigned int truesize;
	u32 priority;
	u32 hash;
	u16 queue_mapping;
	__be16 protocol;
	__be16 vlan_proto;
	u16 vlan_tci;
	bool vlan_present;
	u8 pkt_type;
	u8 ip_summed;
	bool cloned;
	bool ooo_okay;
	bool l4_hash;
	u16 mac_header;
	u16 network_header;
	u16 transport_header;
	u16 csum_start;
	u16 csum_offset;
	u16 alloc_cpu;
	u16 rx_queue; /* recorded RX queue + 1, 0 when none */
	int skb_iif;
	u32 csum;
	u32 mark;
	struct sock *sk;
	/* Lines 2-3: the control block, for the layer that owns the skb. */
	char cb[48] __attribute__((aligned(8)));
};

/* Hot-path layout (docs/hot-path.md): one line for the pointers, length and
 * users, one for the per-hop metadata; the control block after them. */
_Static_assert(offsetof(struct sk_buff, next) == 0, "next first");
_Static_assert(offsetof(struct sk_buff, end) + sizeof(void *) <= 64, "buffer pointers in line 0");
_Static_assert(offsetof(struct sk_buff, users) + sizeof(int) <= 64, "users in line 0");
_Static_assert(offsetof(struct sk_buff, sk) + sizeof(void *) <= 128, "metadata in line 1");
_Static_assert(offsetof(struct sk_buff, cb) == 128, "cb after the hot lines");
_Static_assert(sizeof(struct sk_buff) == 176, "struct sk_buff is 2.75 cache lines");

static inline struct skb_shared_info *skb_shinfo(const struct sk_buff *skb)
{
	return (struct skb_shared_info *)skb->end;
}

#define alloc_skb	   unetdev_alloc_skb
#define __netdev_alloc_skb unetdev___netdev_alloc_skb
#define kfree_skb_reason   unetdev_kfree_skb_reason
#define consume_skb	   unetdev_consume_skb
#define skb_clone	   unetdev_skb_clone
#define skb_copy	   unetdev_skb_copy
#define skb_put		   unetdev_skb_put_inline
#define skb_push	   unetdev_skb_push_inline
#define skb_pull	   unetdev_skb_pull_inline
#define skb_trim	   unetdev_skb_trim
#define skb_drop_count	   unetdev_skb_drop_count
#define skb_live_count	   unetdev_skb_live_count

/** alloc_skb - a linear skb with @size bytes of data room. Returns a new skb or NULL. */
UNETDEV_API struct sk_buff *alloc_skb(unsigned int size, gfp_t gfp);
/** __netdev_alloc_skb - alloc_skb with NET_SKB_PAD headroom reserved, skb->dev set. */
UNETDEV_API struct sk_buff *__netdev_alloc_skb(struct net_device *dev, unsigned int len, gfp_t gfp);
#define netdev_alloc_skb(dev, len) __netdev_alloc_skb(dev, len, GFP_ATOMIC)
/** kfree_skb_reason - drop one user; frees and counts @reason on the last. Consumes @skb. */
UNETDEV_API void kfree_skb_reason(struct sk_buff *skb, enum skb_drop_reason reason);
#define kfree_skb(skb)	       kfree_skb_reason(skb, SKB_DROP_REASON_NOT_SPECIFIED)
#define dev_kfree_skb(skb)     consume_skb(skb)
#define dev_kfree_skb_any(skb) consume_skb(skb)
#define dev_kfree_skb_irq(skb) unetdev_dev_kfree_skb_irq(skb)
/** dev_kfree_skb_irq - free from hardirq: queued and freed by the TX softirq (R-Q-10). */
UNETDEV_API void unetdev_dev_kfree_skb_irq(struct sk_buff *skb);
/** consume_skb - free after successful use (not a drop). Consumes @skb. */
UNETDEV_API void consume_skb(struct sk_buff *skb);
/** skb_clone - a new skb sharing @skb's data (dataref + 1). */
UNETDEV_API struct sk_buff *skb_clone(struct sk_buff *skb, gfp_t gfp);
/** skb_copy - a new skb with a private copy of the data. */
UNETDEV_API struct sk_buff *skb_copy(const struct sk_buff *skb, gfp_t gfp);
/*
 * skb_put/skb_push/skb_pull: inline in the common case; past the buffer the
 * exported functions report the kernel's skb_over_panic / skb_under_panic
 * (R-SKB-1/2) and return NULL. skb_pull of more than len returns NULL and
 * changes nothing.
 */
UNETDEV_API void *unetdev_skb_put(struct sk_buff *skb, unsigned int len);
UNETDEV_API void *unetdev_skb_push(struct sk_buff *skb, unsigned int len);
UNETDEV_API void *unetdev_skb_pull(struct sk_buff *skb, unsigned int len);

static inline void *skb_put(struct sk_buff *skb, unsigned int len)
{
	unsigned char *tmp = skb->tail;

	if (__builtin_expect(len > (size_t)(skb->end - skb->tail), 0))
		return unetdev_skb_put(skb, len);
	skb->tail += len;
	skb->len += len;
	return tmp;
}

static inline void *skb_push(struct sk_buff *skb, unsigned int len)
{
	if (__builtin_expect(len > (size_t)(skb->data - skb->head), 0))
		return unetdev_skb_push(skb, len);
	skb->data -= len;
	skb->len += len;
	return skb->data;
}

static inline void *skb_pull(struct sk_buff *skb, unsigned int len)
{
	if (__builtin_expect(len > skb->len, 0))
		return NULL;
	skb->len -= len;
	skb->data += len;
	return skb->data;
}
UNETDEV_API void skb_trim(struct sk_buff *skb, unsigned int len);
/** skb_drop_count - skbs freed with @reason since start (SKB_CONSUMED counts consume_skb). */
UNETDEV_API unsigned long skb_drop_count(enum skb_drop_reason reason);
UNETDEV_API long skb_live_count(void);

/** skb_get - take an extra user reference (R-RX-3 "one behind" delivery). */
static inline struct sk_buff *skb_get(struct sk_buff *skb)
{
	__atomic_fetch_add(&skb->users, 1, __ATOMIC_RELAXED);
	return skb;
}
static inline bool skb_shared(const struct sk_buff *skb)
{
	return __atomic_load_n(&skb->users, __ATOMIC_RELAXED) != 1;
}

static inline unsigned int skb_headroom(const struct sk_buff *skb)
{
	return (unsigned int)(skb->data - skb->head);
}
static inline int skb_tailroom(const struct sk_buff *skb)
{
	return (int)(skb->end - skb->tail);
}
static inline void skb_reserve(struct sk_buff *skb, int len)
{
	skb->data += len;
	skb->tail += len;
}
static inline unsigned int skb_headlen(const struct sk_buff *skb)
{
	return skb->len - skb->data_len;
}
static inline void *skb_put_data(struct sk_buff *skb, const void *data, unsigned int len)
{
	void *p = skb_put(skb, len);

	memcpy(p, data, len);
	return p;
}
static inline unsigned char *skb_mac_header(const struct sk_buff *skb)
{
	return skb->head + skb->mac_header;
}
static inline void skb_reset_mac_header(struct sk_buff *skb)
{
	skb->mac_header = (u16)(skb->data - skb->head);
}
static inline void skb_reset_network_header(struct sk_buff *skb)
{
	skb->network_header = (u16)(skb->data - skb->head);
}
static inline unsigned char *skb_network_header(const struct sk_buff *skb)
{
	return skb->head + skb->network_header;
}
static inline bool skb_is_gso(const struct sk_buff *skb)
{
	return skb_shinfo(skb)->gso_size != 0;
}
static inline void skb_set_queue_mapping(struct sk_buff *skb, u16 q)
{
	skb->queue_mapping = q;
}
static inline u16 skb_get_queue_mapping(const struct sk_buff *skb)
{
	return skb->queue_mapping;
}

#endif
