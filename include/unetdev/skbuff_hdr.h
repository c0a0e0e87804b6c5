/* SPDX-License-Identifier: MIT */
/*
 * Header offsets inside an skb (kernel linux/skbuff.h, linux/ip.h,
 * linux/ipv6.h, linux/tcp.h, linux/udp.h accessors). Offsets are stored
 * relative to skb->head, as in the kernel; the *_hdr() helpers return
 * pointers into the linear data. Context: any; they only read the skb.
 */
#ifndef UNETDEV_SKBUFF_HDR_H
#define UNETDEV_SKBUFF_HDR_H

#include <unetdev/ip.h>
#include <unetdev/skbuff.h>

static inline void skb_set_mac_header(struct sk_buff *skb, int offset)
{
	skb_reset_mac_header(skb);
	skb->mac_header = (u16)(skb->mac_header + offset);
}
static inline void skb_set_network_header(struct sk_buff *skb, int offset)
{
	skb_reset_network_header(skb);
	skb->network_header = (u16)(skb->network_header + offset);
}
static inline unsigned char *skb_transport_header(const struct sk_buff *skb)
{
	return skb->head + skb->transport_header;
}
static inline void skb_reset_transport_header(struct sk_buff *skb)
{
	skb->transport_header = (u16)(skb->data - skb->head);
}
static inline void skb_set_transport_header(struct sk_buff *skb, int offset)
{
	skb_reset_transport_header(skb);
	skb->transport_header = (u16)(skb->transport_header + offset);
}
/* Offsets relative to skb->data (negative when the header is in front of it). */
static inline int skb_mac_offset(const struct sk_buff *skb)
{
	return (int)(skb_mac_header(skb) - skb->data);
}
static inline int skb_network_offset(const struct sk_buff *skb)
{
	return (int)(skb_network_header(skb) - skb->data);
}
static inline int skb_transport_offset(const struct sk_buff *skb)
{
	return (int)(skb_transport_header(skb) - skb->data);
}
static inline u32 skb_network_header_len(const struct sk_buff *skb)
{
	return (u32)(skb->transport_header - skb->network_header);
}
static inline unsigned char *skb_checksum_start(const struct sk_buff *skb)
{
	return skb->head + skb->csum_start;
}
static inline int skb_checksum_start_offset(const struct sk_buff *skb)
{
	return (int)(skb->csum_start - skb_headroom(skb));
}

static inline struct iphdr *ip_hdr(const struct sk_buff *skb)
{
	return (struct iphdr *)skb_network_header(skb);
}
static inline unsigned int ip_hdrlen(const struct sk_buff *skb)
{
	return ip_hdr(skb)->ihl * 4u;
}
static inline struct ipv6hdr *ipv6_hdr(const struct sk_buff *skb)
{
	return (struct ipv6hdr *)skb_network_header(skb);
}
static inline struct tcphdr *tcp_hdr(const struct sk_buff *skb)
{
	return (struct tcphdr *)skb_transport_header(skb);
}
static inline unsigned int tcp_hdrlen(const struct sk_buff *skb)
{
	return tcp_hdr(skb)->doff * 4u;
}
static inline struct udphdr *udp_hdr(const struct sk_buff *skb)
{
	return (struct udphdr *)skb_transport_header(skb);
}

#endif
