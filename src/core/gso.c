// SPDX-License-Identifier: MIT
/*
 * gso.c - software segmentation offload (kernel net/core/gso.c
 * __skb_gso_segment and skb_mac_gso_segment, net/core/skbuff.c skb_segment,
 * net/ipv4/af_inet.c inet_gso_segment, net/ipv6/ip6_offload.c
 * ipv6_gso_segment, net/ipv4/tcp_offload.c tcp_gso_segment,
 * net/ipv4/udp_offload.c __udp_gso_segment) and the GSO limits of
 * dev.c gso_features_check. Rules: R-MTU-3, R-MTU-14, R-TX-9.
 *
 * The kernel dispatches through registered offload tables; unetdev knows
 * exactly IPv4/IPv6 x TCP/UDP, so the dispatch is two switch statements.
 * skbs are linear here, so skb_segment becomes "copy the headers, copy one
 * gso_size slice of payload" per segment; the protocol layers then fix their
 * headers in every segment, innermost first, as the kernel does.
 */
#include <netinet/in.h>
#include <string.h>

#include <unetdev/checksum.h>
#include <unetdev/gso.h>
#include <unetdev/skbuff_hdr.h>

#include "internal.h"

/* What the layers learn about the packet on the way down (SKB_GSO_CB-like). */
struct gso_ctx {
	struct sk_buff *skb; /* the original; borrowed */
	netdev_features_t features;
	unsigned int nhoff;  /* network header, from the mac header */
	unsigned int thoff;  /* transport header, from the mac header */
	unsigned int hdrlen; /* every header: mac .. end of the L4 header */
	unsigned int mss;
	__be16 l3proto; /* network order */
	bool csum;	/* the device completes the L4 checksum */
};

/* ---- The copy loop (skb_segment for linear skbs) ---- */

static void gso_copy_header(struct sk_buff *n, const struct sk_buff *old, const struct gso_ctx *c)
{
	unsigned int base = skb_headroom(n);

	n->dev = old->dev;
	n->sk = old->sk; /* the kernel moves socket ownership to the segments */
	memcpy(n->cb, old->cb, sizeof(n->cb));
	n->priority = old->priority;
	n->hash = old->hash;
	n->l4_hash = old->l4_hash;
	n->queue_mapping = old->queue_mapping;
	n->protocol = old->protocol;
	n->vlan_proto = old->vlan_proto;
	n->vlan_tci = old->vlan_tci;
	n->vlan_present = old->vlan_present;
	n->pkt_type = old->pkt_type;
	n->skb_iif = old->skb_iif;
	n->mark = old->mark;
	n->rx_queue = old->rx_queue;
	n->mac_header = (u16)base;
	n->network_header = (u16)(base + c->nhoff);
	n->transport_header = (u16)(base + c->thoff);
	n->csum_start = n->transport_header;
	n->csum_offset = old->csum_offset;
	n->ip_summed = c->csum ? CHECKSUM_PARTIAL : CHECKSUM_NONE;
}

static struct sk_buff *gso_new_segment(const struct gso_ctx *c, unsigned int pos,
				       unsigned int chunk)
{
	const struct sk_buff *skb = c->skb;
	unsigned int headroom = skb_headroom(skb);
	struct sk_buff *n = alloc_skb(headroom + c->hdrlen + chunk, GFP_ATOMIC);

	if (!n)
		return NULL;
	skb_reserve(n, (int)headroom); /* same room in front as the original */
	skb_put_data(n, skb->data, c->hdrlen);
	skb_put_data(n, skb->data + c->hdrlen + pos, chunk);
	gso_copy_header(n, skb, c);
	return n;
}

static void gso_free_list(struct sk_buff *segs)
{
	while (segs) {
		struct sk_buff *next = segs->next;

		segs->next = NULL;
		kfree_skb(segs);
		segs = next;
	}
}

/* One segment per mss bytes of payload; only the first keeps ooo_okay. */
static struct sk_buff *gso_split(const struct gso_ctx *c)
{
	unsigned int payload = c->skb->len - c->hdrlen;
	struct sk_buff *segs = NULL, **tail = &segs;

	for (unsigned int pos = 0; pos < payload; pos += c->mss) {
		struct sk_buff *n = gso_new_segment(c, pos, min(c->mss, payload - pos));

		if (!n) {
			gso_free_list(segs);
			return ERR_PTR(-ENOMEM);
		}
		n->ooo_okay = pos ? false : c->skb->ooo_okay;
		*tail = n;
		tail = &n->next;
	}
	return segs;
}

/* ---- L4 checksums ---- */

/*
 * Re-base a pseudo-header sum (folded, not complemented, as kept in the
 * check field of a CHECKSUM_PARTIAL packet) from length @oldlen to @newlen:
 * the kernel's "oldlen = ~skb->len ... delta" step, in ones' complement.
 */
static __sum16 pseudo_relen(__sum16 check, u32 oldlen, u32 newlen)
{
	__wsum sum = csum_sub(csum_unfold(check), (__wsum)htonl(oldlen));

	return (__sum16)~csum_fold(csum_add(sum, (__wsum)htonl(newlen)));
}

/*
 * The L4 check field of @seg holds its pseudo-header sum. Offload: leave it
 * for the device (CHECKSUM_PARTIAL). Otherwise sum the whole L4 segment over
 * it (gso_make_checksum). Returns the value for the check field.
 */
static __sum16 gso_l4_check(const struct gso_ctx *c, const struct sk_buff *seg, __sum16 pseudo)
{
	if (c->csum)
		return pseudo;
	return csum_fold(csum_partial(skb_transport_header(seg), (int)(seg->len - c->thoff), 0));
}

/* ---- TCP (tcp_gso_segment) ---- */

/* __tcp_v4_send_check / __tcp_v6_send_check: the pseudo-header sum for a
 * packet the stack did not prepare for offload. */
static void tcp_prepare_partial(const struct gso_ctx *c, struct tcphdr *th, u32 len)
{
	struct sk_buff *skb = c->skb;

	if (c->l3proto == htons(ETH_P_IP)) {
		const struct iphdr *iph = (const void *)(skb->data + c->nhoff);

		th->check =
		    (__sum16)~csum_tcpudp_magic(iph->saddr, iph->daddr, len, IPPROTO_TCP, 0);
	} else {
		const struct ipv6hdr *ip6 = (const void *)(skb->data + c->nhoff);
		struct in6_addr saddr, daddr; /* aligned copies of packed members */

		memcpy(&saddr, (const u8 *)ip6 + offsetof(struct ipv6hdr, saddr), sizeof(saddr));
		memcpy(&daddr, (const u8 *)ip6 + offsetof(struct ipv6hdr, daddr), sizeof(daddr));
		th->check = (__sum16)~csum_ipv6_magic(&saddr, &daddr, len, IPPROTO_TCP, 0);
	}
	skb->ip_summed = CHECKSUM_PARTIAL;
	skb->csum_start = (u16)(skb_headroom(skb) + c->thoff);
	skb->csum_offset = offsetof(struct tcphdr, check);
}

static void tcp_fix_segments(const struct gso_ctx *c, struct sk_buff *segs, __sum16 check,
			     u32 oldlen)
{
	u32 seq = ntohl(tcp_hdr(segs)->seq);

	for (struct sk_buff *seg = segs; seg; seg = seg->next) {
		struct tcphdr *th = tcp_hdr(seg);
		u32 len = seg->len - c->thoff;

		th->seq = htonl(seq);
		seq += c->mss;
		if (seg != segs)
			th->cwr = 0; /* congestion window reduced: said once */
		if (seg->next)
			th->fin = th->psh = 0; /* only the last segment ends the burst */
		th->check = pseudo_relen(check, oldlen, len);
		th->check = gso_l4_check(c, seg, th->check);
	}
}

static struct sk_buff *tcp_gso_segment(struct gso_ctx *c)
{
	struct sk_buff *skb = c->skb, *segs;
	unsigned int avail = skb->len - c->thoff, thlen;
	struct tcphdr *th;

	if (avail < sizeof(*th))
		return ERR_PTR(-EINVAL);
	th = (struct tcphdr *)(skb->data + c->thoff);
	if (skb->ip_summed != CHECKSUM_PARTIAL) {
		th->check = 0;
		tcp_prepare_partial(c, th, avail);
	}
	thlen = th->doff * 4u;
	if (thlen < sizeof(*th) || skb->csum_start != skb_headroom(skb) + c->thoff || avail < thlen)
		return ERR_PTR(-EINVAL);
	if (avail - thlen <= c->mss)
		return ERR_PTR(-EINVAL);
	if (skb_gso_ok(skb, c->features | NETIF_F_GSO_ROBUST)) {
		/* The device segments it; only gso_segs is not trusted. */
		skb_shinfo(skb)->gso_segs = (u16)DIV_ROUND_UP(avail - thlen, c->mss);
		return NULL;
	}
	c->hdrlen = c->thoff + thlen;
	segs = gso_split(c);
	if (!IS_ERR(segs))
		tcp_fix_segments(c, segs, th->check, avail);
	return segs;
}

/* ---- UDP (__udp_gso_segment) ---- */

static void udp_fix_segments(const struct gso_ctx *c, struct sk_buff *segs, __sum16 check,
			     u32 oldlen)
{
	for (struct sk_buff *seg = segs; seg; seg = seg->next) {
		struct udphdr *uh = udp_hdr(seg);
		u32 len = seg->len - c->thoff;

		uh->len = htons((u16)len);
		uh->check = pseudo_relen(check, oldlen, len);
		uh->check = gso_l4_check(c, seg, uh->check);
		if (!c->csum && !uh->check)
			uh->check = CSUM_MANGLED_0; /* 0 means "no checksum" in UDP */
	}
}

static struct sk_buff *udp_gso_segment(struct gso_ctx *c)
{
	struct sk_buff *skb = c->skb, *segs;
	unsigned int avail = skb->len - c->thoff;
	struct udphdr *uh;

	if (avail < sizeof(*uh) || !(skb_shinfo(skb)->gso_type & SKB_GSO_UDP_L4))
		return ERR_PTR(-EINVAL);
	if (avail <= sizeof(*uh) + c->mss || skb->csum_start != skb_headroom(skb) + c->thoff)
		return ERR_PTR(-EINVAL);
	if (skb_gso_ok(skb, c->features | NETIF_F_GSO_ROBUST)) {
		skb_shinfo(skb)->gso_segs = (u16)DIV_ROUND_UP(avail - sizeof(*uh), c->mss);
		return NULL;
	}
	uh = (struct udphdr *)(skb->data + c->thoff);
	c->hdrlen = c->thoff + (unsigned int)sizeof(*uh);
	segs = gso_split(c);
	if (!IS_ERR(segs))
		udp_fix_segments(c, segs, uh->check, ntohs(uh->len));
	return segs;
}

/* ---- IPv4 (inet_gso_segment) ---- */

static void inet_fix_segments(const struct gso_ctx *c, struct sk_buff *segs, bool fixedid)
{
	u16 id = ntohs(((const struct iphdr *)(c->skb->data + c->nhoff))->id);

	for (struct sk_buff *seg = segs; seg; seg = seg->next) {
		struct iphdr *iph = ip_hdr(seg);

		if (!fixedid)
			iph->id = htons(id++);
		iph->tot_len = htons((u16)(seg->len - c->nhoff));
		iph->check = 0;
		iph->check = ip_fast_csum(iph, iph->ihl);
	}
}

static struct sk_buff *inet_gso_segment(struct gso_ctx *c)
{
	struct sk_buff *skb = c->skb, *segs;
	unsigned int gso_type = skb_shinfo(skb)->gso_type, ihl;
	const struct iphdr *iph;
	bool fixedid;

	if (skb->len - c->nhoff < sizeof(*iph))
		return ERR_PTR(-EINVAL);
	iph = (const struct iphdr *)(skb->data + c->nhoff);
	ihl = iph->ihl * 4u; /* options are copied into every segment */
	if (ihl < sizeof(*iph) || skb->len - c->nhoff < ihl)
		return ERR_PTR(-EINVAL);
	c->thoff = c->nhoff + ihl;
	/* A fixed ID is only valid when the packets cannot be fragmented. */
	fixedid = gso_type & SKB_GSO_TCP_FIXEDID;
	if (fixedid && !(iph->frag_off & htons(IP_DF)))
		return ERR_PTR(-EPROTONOSUPPORT);

	if (iph->protocol == IPPROTO_TCP)
		segs = gso_type & SKB_GSO_TCPV4 ? tcp_gso_segment(c) : ERR_PTR(-EINVAL);
	else if (iph->protocol == IPPROTO_UDP)
		segs = udp_gso_segment(c);
	else
		segs = ERR_PTR(-EPROTONOSUPPORT);
	if (!IS_ERR_OR_NULL(segs))
		inet_fix_segments(c, segs, fixedid);
	return segs;
}

/* ---- IPv6 (ipv6_gso_segment) ---- */

/* Skip hop-by-hop, routing and destination options headers; a truncated one
 * stops the walk and leaves its own (unsupported) protocol number. */
static int ipv6_gso_pull_exthdrs(struct gso_ctx *c, int proto)
{
	const struct sk_buff *skb = c->skb;

	while (proto == NEXTHDR_HOP || proto == NEXTHDR_ROUTING || proto == NEXTHDR_DEST) {
		const struct ipv6_opt_hdr *opth = (const void *)(skb->data + c->thoff);
		unsigned int avail = skb->len - c->thoff;

		if (avail < 8 || avail < (unsigned int)ipv6_optlen(opth))
			break;
		proto = opth->nexthdr;
		c->thoff += (unsigned int)ipv6_optlen(opth);
	}
	return proto;
}

static void ipv6_fix_segments(const struct gso_ctx *c, struct sk_buff *segs)
{
	for (struct sk_buff *seg = segs; seg; seg = seg->next)
		ipv6_hdr(seg)->payload_len =
		    htons((u16)(seg->len - c->nhoff - sizeof(struct ipv6hdr)));
}

static struct sk_buff *ipv6_gso_segment(struct gso_ctx *c)
{
	struct sk_buff *skb = c->skb, *segs;
	const struct ipv6hdr *ip6;
	int proto;

	if (skb->len - c->nhoff < sizeof(*ip6))
		return ERR_PTR(-EINVAL);
	ip6 = (const struct ipv6hdr *)(skb->data + c->nhoff);
	c->thoff = c->nhoff + (unsigned int)sizeof(*ip6);
	proto = ipv6_gso_pull_exthdrs(c, ip6->nexthdr);

	if (proto == IPPROTO_TCP)
		segs = skb_shinfo(skb)->gso_type & SKB_GSO_TCPV6 ? tcp_gso_segment(c)
								 : ERR_PTR(-EINVAL);
	else if (proto == IPPROTO_UDP)
		segs = udp_gso_segment(c);
	else
		segs = ERR_PTR(-EPROTONOSUPPORT);
	if (!IS_ERR_OR_NULL(segs))
		ipv6_fix_segments(c, segs);
	return segs;
}

/* ---- Entry points ---- */

/*
 * skb_network_protocol: skb->protocol, unless it is 0 or a VLAN protocol;
 * then the ethertype just in front of the network header (the innermost
 * tag's encapsulated protocol). 0 when there is none.
 */
static __be16 gso_network_protocol(const struct sk_buff *skb, unsigned int nhoff)
{
	__be16 type = skb->protocol;

	if (type && type != htons(ETH_P_8021Q) && type != htons(ETH_P_8021AD))
		return type;
	if (nhoff < sizeof(type))
		return 0;
	memcpy(&type, skb->data + nhoff - sizeof(type), sizeof(type));
	return type;
}

struct sk_buff *skb_gso_segment(struct sk_buff *skb, netdev_features_t features)
{
	struct gso_ctx c = {.skb = skb, .features = features};

	if (skb->data_len || !skb_shinfo(skb)->gso_size)
		return ERR_PTR(-EINVAL); /* linear GSO skbs only */
	skb_reset_mac_header(skb);
	if (skb->network_header < skb->mac_header ||
	    (unsigned int)(skb->network_header - skb->mac_header) > skb->len)
		return ERR_PTR(-EINVAL);
	c.nhoff = skb->network_header - skb->mac_header;
	c.mss = skb_shinfo(skb)->gso_size;
	c.l3proto = gso_network_protocol(skb, c.nhoff);
	if (!c.l3proto)
		return ERR_PTR(-EINVAL);
	c.csum = can_checksum_protocol(features, c.l3proto);

	if (c.l3proto == htons(ETH_P_IP))
		return inet_gso_segment(&c);
	if (c.l3proto == htons(ETH_P_IPV6))
		return ipv6_gso_segment(&c);
	return ERR_PTR(-EPROTONOSUPPORT);
}

/* skb_gso_transport_seglen: L4 header + gso_size. */
static unsigned int gso_transport_seglen(const struct sk_buff *skb)
{
	const struct skb_shared_info *shinfo = skb_shinfo(skb);
	unsigned int thlen = 0;

	if (shinfo->gso_type & (SKB_GSO_TCPV4 | SKB_GSO_TCPV6))
		thlen = tcp_hdrlen(skb);
	else if (shinfo->gso_type & SKB_GSO_UDP_L4)
		thlen = sizeof(struct udphdr);
	return thlen + shinfo->gso_size;
}

bool skb_gso_validate_network_len(const struct sk_buff *skb, unsigned int mtu)
{
	unsigned int hdr_len = (unsigned int)(skb->transport_header - skb->network_header);

	return hdr_len + gso_transport_seglen(skb) <= mtu;
}

bool skb_gso_validate_mac_len(const struct sk_buff *skb, unsigned int len)
{
	unsigned int hdr_len = (unsigned int)(skb->transport_header - skb->mac_header);

	return hdr_len + gso_transport_seglen(skb) <= len;
}

unsigned int netif_get_gso_max_size(const struct net_device *dev, const struct sk_buff *skb)
{
	/* BIG TCP is IPv6-first: IPv4 has its own, separately raised limit. */
	if (skb->protocol == htons(ETH_P_IPV6))
		return READ_ONCE(dev->gso_max_size);
	return READ_ONCE(dev->gso_ipv4_max_size);
}

bool netif_skb_gso_limits_ok(const struct net_device *dev, const struct sk_buff *skb)
{
	if (!skb_is_gso(skb))
		return true;
	if (skb_shinfo(skb)->gso_segs > READ_ONCE(dev->gso_max_segs))
		return false;
	return skb->len < netif_get_gso_max_size(dev, skb);
}
