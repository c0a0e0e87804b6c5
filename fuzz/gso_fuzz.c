// SPDX-License-Identifier: MIT
/*
 * libFuzzer target for skb_gso_segment() (src/core/gso.c, R-TX-9).
 *
 * Input: an 8-byte control header, then the frame from its link-layer header.
 *   [0]    skb->protocol: IPv4, IPv6, 0, 802.1Q or ARP (value % 5)
 *   [1..2] gso_size, little endian
 *   [3]    gso_type bits: TCPV4 DODGY TCP_ECN TCP_FIXEDID TCPV6 UDP_L4 (bits 0..5)
 *   [4]    ip_summed (bits 0..1), network header offset (bits 2..6)
 *   [5]    device features: HW_CSUM IP_CSUM IPV6_CSUM TSO TSO6 GSO_UDP_L4
 *          GSO_ROBUST TSO_ECN (bits 0..7)
 *   [6]    csum_start, as an offset from skb->data
 *   [7]    headroom (bits 0..5)
 * Every segment is checked for the basic promises (linear, not GSO, payload
 * at most gso_size) and everything is freed; a leaked skb aborts.
 */
#include <stdio.h>
#include <stdlib.h>
#include <unetdev/gso.h>
#include <unetdev/unetdev.h>

#define CTRL 8

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const __be16 protos[] = {0x0800, 0x86DD, 0, 0x8100, 0x0806};
static const unsigned int gso_bits[] = {SKB_GSO_TCPV4,	     SKB_GSO_DODGY, SKB_GSO_TCP_ECN,
					SKB_GSO_TCP_FIXEDID, SKB_GSO_TCPV6, SKB_GSO_UDP_L4};
static const netdev_features_t feat_bits[] = {
    NETIF_F_HW_CSUM, NETIF_F_IP_CSUM,	 NETIF_F_IPV6_CSUM,  NETIF_F_TSO,
    NETIF_F_TSO6,    NETIF_F_GSO_UDP_L4, NETIF_F_GSO_ROBUST, NETIF_F_TSO_ECN};

static struct sk_buff *make_skb(const uint8_t *c, const uint8_t *frame, unsigned int len)
{
	unsigned int headroom = c[7] & 63, nhoff = (c[4] >> 2) & 31;
	struct sk_buff *skb = alloc_skb(headroom + len, GFP_KERNEL);

	if (!skb)
		abort();
	skb_reserve(skb, (int)headroom);
	skb_put_data(skb, frame, len);
	skb->protocol = htons(protos[c[0] % ARRAY_SIZE(protos)]);
	skb->network_header = (u16)(headroom + (nhoff < len ? nhoff : len));
	skb->ip_summed = c[4] & 3;
	skb->csum_start = (u16)(headroom + c[6]);
	skb->csum_offset = 16;
	skb_shinfo(skb)->gso_size = (u16)(c[1] | c[2] << 8);
	for (size_t i = 0; i < ARRAY_SIZE(gso_bits); i++)
		if (c[3] & (1u << i))
			skb_shinfo(skb)->gso_type |= gso_bits[i];
	return skb;
}

static void check_and_free(struct sk_buff *segs, unsigned int gso_size, unsigned int len)
{
	unsigned int n = 0;

	while (segs) {
		struct sk_buff *next = segs->next;

		if (segs->data_len || skb_is_gso(segs) || segs->len > len ||
		    segs->ip_summed > CHECKSUM_PARTIAL || ++n > len)
			abort();
		segs->next = NULL;
		consume_skb(segs);
		segs = next;
	}
	if (n < 2 || n > len / (gso_size ? gso_size : 1) + 1)
		abort(); /* payload > gso_size means at least two segments */
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	netdev_features_t features = 0;
	struct sk_buff *skb, *segs;
	unsigned int len;

	if (size < CTRL || size > CTRL + 65000)
		return 0;
	len = (unsigned int)(size - CTRL);
	for (size_t i = 0; i < ARRAY_SIZE(feat_bits); i++)
		if (data[5] & (1u << i))
			features |= feat_bits[i];
	skb = make_skb(data, data + CTRL, len);
	segs = skb_gso_segment(skb, features);
	if (!IS_ERR_OR_NULL(segs))
		check_and_free(segs, skb_shinfo(skb)->gso_size, len);
	else if (IS_ERR(segs) && PTR_ERR(segs) != -EINVAL && PTR_ERR(segs) != -EPROTONOSUPPORT &&
		 PTR_ERR(segs) != -ENOMEM)
		abort();
	consume_skb(skb);
	if (skb_live_count() != 0) {
		fprintf(stderr, "gso_fuzz: %ld skbs leaked\n", skb_live_count());
		abort();
	}
	return 0;
}
