/* SPDX-License-Identifier: MIT */
/*
 * 802.1Q / 802.1AD VLAN tags (kernel include/linux/if_vlan.h,
 * net/core/skbuff.c skb_vlan_untag). Rules R-RX-2, R-RX-5.
 *
 * A received tag lives in the skb's metadata (vlan_present, vlan_proto,
 * vlan_tci: the "hardware accelerated" tag), never in the payload: a driver
 * whose NIC strips tags sets it with __vlan_hwaccel_put_tag(); the receive
 * core pulls an in-band tag into it with skb_vlan_untag(). No VLAN devices
 * exist in unetdev, so a tag that is still present after the rx_handler is
 * handled as R-RX-5 says and cleared before protocol delivery.
 */
#ifndef UNETDEV_IF_VLAN_H
#define UNETDEV_IF_VLAN_H

#include <netinet/in.h> /* htons */
#include <unetdev/if_ether.h>
#include <unetdev/skbuff.h>

#define VLAN_PRIO_MASK	0xe000 /* Priority Code Point */
#define VLAN_PRIO_SHIFT 13
#define VLAN_CFI_MASK	0x1000 /* Canonical Format Indicator / Drop Eligible Indicator */
#define VLAN_VID_MASK	0x0fff /* VLAN Identifier */
#define VLAN_N_VID	4096

/* The 4 bytes after the Ethernet addresses' ethertype 0x8100/0x88a8. */
struct vlan_hdr {
	__be16 h_vlan_TCI;
	__be16 h_vlan_encapsulated_proto;
} __attribute__((packed));

struct vlan_ethhdr {
	unsigned char h_dest[ETH_ALEN];
	unsigned char h_source[ETH_ALEN];
	__be16 h_vlan_proto;
	__be16 h_vlan_TCI;
	__be16 h_vlan_encapsulated_proto;
} __attribute__((packed));

_Static_assert(sizeof(struct vlan_hdr) == VLAN_HLEN, "vlan_hdr layout");
_Static_assert(sizeof(struct vlan_ethhdr) == VLAN_ETH_HLEN, "vlan_ethhdr layout");

/** eth_type_vlan - @ethertype (network order) is 802.1Q or 802.1AD. */
static inline bool eth_type_vlan(__be16 ethertype)
{
	return ethertype == htons(ETH_P_8021Q) || ethertype == htons(ETH_P_8021AD);
}

static inline bool skb_vlan_tag_present(const struct sk_buff *skb)
{
	return skb->vlan_present;
}
static inline u16 skb_vlan_tag_get(const struct sk_buff *skb)
{
	return skb->vlan_tci;
}
static inline u16 skb_vlan_tag_get_id(const struct sk_buff *skb)
{
	return skb->vlan_tci & VLAN_VID_MASK;
}
static inline u16 skb_vlan_tag_get_prio(const struct sk_buff *skb)
{
	return (u16)((skb->vlan_tci & VLAN_PRIO_MASK) >> VLAN_PRIO_SHIFT);
}

/** __vlan_hwaccel_put_tag - record a tag in the metadata (@vlan_proto network order). */
static inline void __vlan_hwaccel_put_tag(struct sk_buff *skb, __be16 vlan_proto, u16 vlan_tci)
{
	skb->vlan_proto = vlan_proto;
	skb->vlan_tci = vlan_tci;
	skb->vlan_present = true;
}
static inline void __vlan_hwaccel_clear_tag(struct sk_buff *skb)
{
	skb->vlan_present = false;
}

#define skb_vlan_untag unetdev_skb_vlan_untag

/**
 * skb_vlan_untag - move the in-band tag at skb->data (skb->protocol is
 * 802.1Q/AD, the Ethernet header already pulled) into the metadata: pull it,
 * set skb->protocol to the encapsulated type and move the MAC addresses up so
 * the MAC header stays contiguous with the payload. A tag already in the
 * metadata is left alone. Consumes @skb: returns it (or a private copy when
 * it was shared or cloned), or NULL after freeing it with
 * SKB_DROP_REASON_VLAN when the VLAN header is truncated. Context: any.
 */
UNETDEV_API struct sk_buff *skb_vlan_untag(struct sk_buff *skb);

#endif
