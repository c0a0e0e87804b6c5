// SPDX-License-Identifier: MIT
/*
 * gro.c - generic receive offload for TCP over IPv4 and IPv6 (kernel
 * net/core/gro.c dev_gro_receive, napi_gro_complete, __napi_gro_flush_chain,
 * skb_gro_receive; net/ipv4/af_inet.c inet_gro_receive / inet_gro_complete;
 * net/ipv6/ip6_offload.c ipv6_gro_receive; net/ipv4/tcp_offload.c
 * tcp_gro_receive / tcp4_gro_complete; net/ipv6/tcpv6_offload.c).
 * Rules R-NAPI-9, R-NAPI-17, R-K-19.
 *
 * A NAPI instance holds mergeable TCP segments in GRO_HASH_BUCKETS (8)
 * buckets of at most MAX_GRO_SKBS (8), oldest first. An arriving segment of a
 * held flow is merged when tcp_gro_receive would merge it: same IP header
 * except length/checksum (IPv4 id incrementing unless DF), same TCP header
 * except seq and the CWR/FIN/PSH flags, the same ack and options, exactly in
 * order (seq = held seq + held payload), not larger than the first segment
 * (the MSS), and the result below 64 KiB. CWR or any other difference flushes
 * the held skb instead. A segment carrying URG/PSH/RST/SYN/FIN or shorter than
 * the MSS is never held: if merged (PSH/FIN/short) it ends the held skb, which
 * is delivered at once; otherwise it goes to the delivery batch behind it.
 *
 * Differences from the kernel, because skbs are linear here:
 *  - merging copies the payload: on the first merge the held skb moves into a
 *    new buffer with room for 64 KiB (GRO_LEGACY_MAX_SIZE; BIG TCP is not
 *    supported, so tot_len always fits);
 *  - the merged skb is CHECKSUM_UNNECESSARY with every header valid (IPv4
 *    tot_len and header checksum, IPv6 payload_len, the full TCP checksum)
 *    instead of CHECKSUM_PARTIAL, so a tap or a forward sees a valid packet;
 *  - only a TCP header directly after the IP header is merged (IPv4 without
 *    options, IPv6 without extension headers); in-band VLAN payloads are not.
 * Segments that are not CHECKSUM_UNNECESSARY are verified in software first;
 * a bad checksum sends the segment to the batch unmerged (the stack drops it).
 */
#include <netinet/in.h>
#include <string.h>

#include <unetdev/checksum.h>
#include <unetdev/skbuff_hdr.h>

#include "gro.h"

/* TCP flags: byte 13 of the header. */
#define TCPF_FIN 0x01
#define TCPF_SYN 0x02
#define TCPF_RST 0x04
#define TCPF_PSH 0x08
#define TCPF_URG 0x20
#define TCPF_CWR 0x80

/* Per-skb GRO state while the skb is examined or held (kernel NAPI_GRO_CB). */
struct napi_gro_cb {
	unsigned long age; /* jiffies when first held */
	u32 hash;	   /* flow hash; the bucket is hash % GRO_HASH_BUCKETS */
	u16 count;	   /* segments in this skb */
	u16 mss;	   /* payload of the first segment: the gso_size */
	u16 thoff;	   /* TCP header offset from skb->data (the network header) */
	u16 thlen;	   /* TCP header length */
	u16 ip_id;	   /* IPv4 id of the first segment */
	u8 l3;		   /* 4 or 6 */
};
#define NAPI_GRO_CB(skb) ((struct napi_gro_cb *)(skb)->cb)
_Static_assert(sizeof(struct napi_gro_cb) <= sizeof(((struct sk_buff *)0)->cb), "gro cb size");

/* What parsing an arriving skb found out. */
struct gro_pkt {
	struct sk_buff *skb;
	const u8 *nh;		 /* network header = skb->data */
	const struct tcphdr *th; /* inside skb */
	u32 hash;
	u32 payload; /* TCP payload bytes */
	u16 thoff, thlen;
	u8 l3;
	u8 flags;      /* TCP flags byte */
	bool ip_flush; /* the IP layer forbids merging or holding (lengths) */
};

static u8 tcp_flags(const struct tcphdr *th)
{
	return ((const u8 *)th)[13];
}

/* ---- parsing (inet_gro_receive / ipv6_gro_receive / tcp_gro_pull_header) ---- */

static bool gro_parse_ipv4(struct gro_pkt *g)
{
	const struct iphdr *iph = (const void *)g->nh;

	if (g->skb->len < sizeof(*iph) || iph->version != 4 || iph->ihl != 5 ||
	    iph->protocol != IPPROTO_TCP)
		return false;
	if (iph->frag_off & htons(IP_MF | IP_OFFSET))
		return false;
	if (ip_fast_csum(iph, 5))
		return false;
	g->ip_flush = ntohs(iph->tot_len) != g->skb->len; /* padding or truncation */
	g->l3 = 4;
	g->thoff = sizeof(*iph);
	return true;
}

static bool gro_parse_ipv6(struct gro_pkt *g)
{
	const struct ipv6hdr *ip6 = (const void *)g->nh;

	if (g->skb->len < sizeof(*ip6) || ip6->version != 6 || ip6->nexthdr != NEXTHDR_TCP)
		return false;
	g->ip_flush = ntohs(ip6->payload_len) + sizeof(*ip6) != g->skb->len;
	g->l3 = 6;
	g->thoff = sizeof(*ip6);
	return true;
}

static bool gro_parse_tcp(struct gro_pkt *g)
{
	unsigned int len = g->skb->len;

	if (len < g->thoff + sizeof(struct tcphdr))
		return false;
	g->th = (const struct tcphdr *)(g->nh + g->thoff);
	g->thlen = (u16)(g->th->doff * 4u);
	if (g->thlen < sizeof(struct tcphdr) || g->thoff + g->thlen > len)
		return false;
	g->payload = len - g->thoff - g->thlen;
	g->flags = tcp_flags(g->th);
	return true;
}

/* skb_gro_checksum_validate: software check unless the device vouched for it. */
static bool gro_csum_ok(const struct gro_pkt *g)
{
	u32 tcplen = g->skb->len - g->thoff;
	__wsum sum;

	if (g->skb->ip_summed == CHECKSUM_UNNECESSARY || g->ip_flush)
		return true;
	sum = csum_partial(g->th, (int)tcplen, 0);
	if (g->l3 == 4) {
		const struct iphdr *iph = (const void *)g->nh;

		return csum_tcpudp_magic(iph->saddr, iph->daddr, tcplen, IPPROTO_TCP, sum) == 0;
	} else {
		struct in6_addr s, d;

		memcpy(&s, g->nh + offsetof(struct ipv6hdr, saddr), sizeof(s));
		memcpy(&d, g->nh + offsetof(struct ipv6hdr, daddr), sizeof(d));
		return csum_ipv6_magic(&s, &d, tcplen, IPPROTO_TCP, sum) == 0;
	}
}

/* The flow: L3 version, addresses and ports (the kernel uses the RX hash). */
static u32 gro_flow_hash(const struct gro_pkt *g)
{
	const u8 *a = g->nh + (g->l3 == 4 ? 12 : 8);
	size_t alen = g->l3 == 4 ? 8 : 32;
	u32 h = 2166136261u ^ g->l3;

	for (size_t i = 0; i < alen; i++)
		h = (h ^ a[i]) * 16777619u;
	for (size_t i = 0; i < 4; i++)
		h = (h ^ ((const u8 *)g->th)[i]) * 16777619u;
	return h ^ (h >> 16);
}

/* A GRO candidate: a TCP segment of IPv4/IPv6 on a device with NETIF_F_GRO. */
static bool gro_parse(struct gro_pkt *g)
{
	struct sk_buff *skb = g->skb;

	if (!skb->dev || !(READ_ONCE(skb->dev->features) & NETIF_F_GRO) || skb_is_gso(skb) ||
	    skb->cloned)
		return false;
	g->nh = skb->data;
	if (skb->protocol == htons(ETH_P_IP)) {
		if (!gro_parse_ipv4(g))
			return false;
	} else if (skb->protocol == htons(ETH_P_IPV6)) {
		if (!gro_parse_ipv6(g))
			return false;
	} else {
		return false;
	}
	if (!gro_parse_tcp(g) || !gro_csum_ok(g))
		return false;
	if (skb->ip_summed != CHECKSUM_UNNECESSARY && !g->ip_flush)
		skb->ip_summed = CHECKSUM_UNNECESSARY; /* verified just now */
	g->hash = gro_flow_hash(g);
	return true;
}

/* ---- flow lookup ---- */

static int mac_len(const struct sk_buff *skb)
{
	return (int)(skb->data - skb_mac_header(skb));
}

static bool gro_same_link(const struct sk_buff *p, const struct sk_buff *skb)
{
	int len = mac_len(skb);

	if (p->dev != skb->dev || p->vlan_present != skb->vlan_present)
		return false;
	if (skb->vlan_present && (p->vlan_tci != skb->vlan_tci || p->vlan_proto != skb->vlan_proto))
		return false;
	if (mac_len(p) != len)
		return false;
	return len <= 0 || !memcmp(skb_mac_header(p), skb_mac_header(skb), (size_t)len);
}

static bool gro_same_flow(const struct sk_buff *p, const struct gro_pkt *g)
{
	const struct napi_gro_cb *cb = NAPI_GRO_CB(p);
	const u8 *nh2 = p->data;

	if (cb->hash != g->hash || cb->l3 != g->l3 || !gro_same_link(p, g->skb))
		return false;
	if (memcmp(g->nh + cb->thoff, nh2 + cb->thoff, 4) != 0) /* ports */
		return false;
	if (g->l3 == 4)
		return !memcmp(g->nh + 12, nh2 + 12, 8);
	/* IPv6: addresses, and version + flow label (ipv6_gro_receive first_word) */
	return !memcmp(g->nh + 8, nh2 + 8, 32) && (g->nh[1] & 0x0f) == (nh2[1] & 0x0f) &&
	       g->nh[2] == nh2[2] && g->nh[3] == nh2[3];
}

static struct sk_buff *gro_lookup(struct gro_list *gl, const struct gro_pkt *g)
{
	for (struct sk_buff *p = gl->list; p; p = p->next)
		if (gro_same_flow(p, g))
			return p;
	return NULL;
}

/* ---- the merge decision (tcp_gro_receive before skb_gro_receive) ---- */

static bool gro_ip_match(const struct sk_buff *p, const struct gro_pkt *g)
{
	const struct napi_gro_cb *cb = NAPI_GRO_CB(p);

	if (g->l3 == 4) {
		const struct iphdr *a = (const void *)g->nh, *b = (const void *)p->data;

		if (a->ttl != b->ttl || a->tos != b->tos ||
		    ((a->frag_off ^ b->frag_off) & htons(IP_DF)))
			return false;
		/* Without DF the id must count up by one per segment (flush_id). */
		return (a->frag_off & htons(IP_DF)) || ntohs(a->id) == (u16)(cb->ip_id + cb->count);
	}
	/* IPv6: traffic class and hop limit */
	return (g->nh[0] & 0x0f) == (p->data[0] & 0x0f) &&
	       (g->nh[1] & 0xf0) == (p->data[1] & 0xf0) && g->nh[7] == p->data[7];
}

static unsigned int gro_max_size(const struct sk_buff *p)
{
	unsigned int max = NAPI_GRO_CB(p)->l3 == 4 ? READ_ONCE(p->dev->gro_ipv4_max_size)
						   : READ_ONCE(p->dev->gro_max_size);

	if (!max && NAPI_GRO_CB(p)->l3 == 4)
		max = READ_ONCE(p->dev->gro_max_size); /* never configured separately */
	return max > GRO_LEGACY_MAX_SIZE ? GRO_LEGACY_MAX_SIZE : max;
}

static bool gro_tcp_match(const struct sk_buff *p, const struct gro_pkt *g)
{
	const struct napi_gro_cb *cb = NAPI_GRO_CB(p);
	const u8 *th = (const u8 *)g->th, *th2 = p->data + cb->thoff;
	u32 held = p->len - cb->thoff - cb->thlen;

	if (g->thlen != cb->thlen || (g->flags & TCPF_CWR))
		return false;
	/* doff/reserved byte and the window must match, flags except CWR/FIN/PSH */
	if (th[12] != th2[12] || memcmp(th + 14, th2 + 14, 2) != 0 ||
	    ((g->flags ^ th2[13]) & (u8) ~(TCPF_CWR | TCPF_FIN | TCPF_PSH)))
		return false;
	if (memcmp(th + 8, th2 + 8, 4) != 0 ||
	    memcmp(th + 20, th2 + 20, g->thlen - 20u) != 0) /* ack, opts */
		return false;
	if (g->payload - 1 >= cb->mss) /* empty, or larger than the MSS */
		return false;
	if (ntohl(((const struct tcphdr *)th2)->seq) + held != ntohl(g->th->seq))
		return false;
	return p->len + g->payload < gro_max_size(p); /* skb_gro_receive's -E2BIG */
}

/* ---- held lists ---- */

static void gro_unlink(struct napi_struct *n, struct gro_list *gl, struct sk_buff *p)
{
	struct sk_buff **pp = &gl->list;

	while (*pp != p)
		pp = &(*pp)->next;
	*pp = p->next;
	p->next = NULL;
	if (--gl->count == 0)
		clear_bit((unsigned int)(gl - n->gro_hash), &n->gro_bitmask);
}

static void gro_replace(struct gro_list *gl, struct sk_buff *old, struct sk_buff *new)
{
	struct sk_buff **pp = &gl->list;

	while (*pp != old)
		pp = &(*pp)->next;
	new->next = old->next;
	*pp = new;
	old->next = NULL;
}

/* The held skb @p in a buffer with room for a full GRO packet. */
static struct sk_buff *gro_grow(const struct sk_buff *p)
{
	unsigned int headroom = skb_headroom(p);
	struct sk_buff *n = alloc_skb(headroom + GRO_LEGACY_MAX_SIZE, GFP_ATOMIC);
	unsigned char *head, *end;
	unsigned int truesize;
	u16 cpu;

	if (!n)
		return NULL;
	head = n->head;
	end = n->end;
	truesize = n->truesize;
	cpu = n->alloc_cpu;
	memcpy(n, p, sizeof(*n)); /* metadata, header offsets and cb (relative to head) */
	memcpy(head, p->head, (size_t)(p->tail - p->head));
	n->head = head;
	n->end = end;
	n->data = head + headroom;
	n->tail = n->data + p->len;
	n->truesize = truesize;
	n->alloc_cpu = cpu;
	n->users = 1;
	n->cloned = false;
	n->next = n->prev = NULL;
	n->sk = NULL;
	return n;
}

/* skb_gro_receive for linear skbs: append the payload of @g to *@pp. */
static bool gro_merge(struct gro_list *gl, struct sk_buff **pp, const struct gro_pkt *g)
{
	struct sk_buff *p = *pp;

	if ((unsigned int)skb_tailroom(p) < g->payload) {
		struct sk_buff *np = gro_grow(p);

		if (!np)
			return false;
		gro_replace(gl, p, np);
		consume_skb(p);
		*pp = p = np;
	}
	skb_put_data(p, (const u8 *)g->th + g->thlen, g->payload);
	NAPI_GRO_CB(p)->count++;
	p->data[NAPI_GRO_CB(p)->thoff + 13] |= g->flags & (TCPF_FIN | TCPF_PSH);
	p->truesize += g->skb->truesize;
	return true;
}

/* ---- completion (napi_gro_complete, inet/ipv6_gro_complete, tcp_gro_complete) ---- */

static void gro_fix_headers(struct sk_buff *p)
{
	const struct napi_gro_cb *cb = NAPI_GRO_CB(p);
	struct tcphdr *th = (struct tcphdr *)(p->data + cb->thoff);
	u32 tcplen = p->len - cb->thoff;
	__wsum sum;

	th->check = 0;
	sum = csum_partial(th, (int)tcplen, 0);
	if (cb->l3 == 4) {
		struct iphdr *iph = (struct iphdr *)p->data;

		iph->tot_len = htons((u16)p->len);
		iph->check = 0;
		iph->check = ip_fast_csum(iph, 5);
		th->check = csum_tcpudp_magic(iph->saddr, iph->daddr, tcplen, IPPROTO_TCP, sum);
	} else {
		struct ipv6hdr *ip6 = (struct ipv6hdr *)p->data;
		struct in6_addr s, d;

		ip6->payload_len = htons((u16)tcplen);
		memcpy(&s, p->data + offsetof(struct ipv6hdr, saddr), sizeof(s));
		memcpy(&d, p->data + offsetof(struct ipv6hdr, daddr), sizeof(d));
		th->check = csum_ipv6_magic(&s, &d, tcplen, IPPROTO_TCP, sum);
	}
}

static void gro_complete(struct napi_struct *n, struct sk_buff *p)
{
	struct napi_gro_cb cb = *NAPI_GRO_CB(p);
	struct skb_shared_info *sh = skb_shinfo(p);

	skb_reset_network_header(p);
	skb_set_transport_header(p, cb.thoff);
	if (cb.count > 1) {
		gro_fix_headers(p);
		sh->gso_size = cb.mss;
		sh->gso_segs = cb.count;
		sh->gso_type = cb.l3 == 4 ? SKB_GSO_TCPV4 : SKB_GSO_TCPV6;
		if (tcp_hdr(p)->cwr)
			sh->gso_type |= SKB_GSO_TCP_ECN;
		p->ip_summed = CHECKSUM_UNNECESSARY;
	}
	memset(p->cb, 0, sizeof(p->cb));
	unetdev__gro_normal_one(n, p, cb.count);
}

/* Hold @skb; a full bucket first completes its oldest skb (gro_flush_oldest). */
static void gro_hold(struct napi_struct *n, struct gro_list *gl, const struct gro_pkt *g)
{
	struct sk_buff *skb = g->skb, **pp;
	struct napi_gro_cb *cb = NAPI_GRO_CB(skb);

	if (gl->count >= MAX_GRO_SKBS) {
		struct sk_buff *oldest = gl->list;

		gro_unlink(n, gl, oldest);
		gro_complete(n, oldest);
	}
	memset(cb, 0, sizeof(*cb));
	cb->age = jiffies;
	cb->hash = g->hash;
	cb->count = 1;
	cb->mss = (u16)g->payload;
	cb->thoff = g->thoff;
	cb->thlen = g->thlen;
	cb->l3 = g->l3;
	if (g->l3 == 4)
		cb->ip_id = ntohs(((const struct iphdr *)g->nh)->id);
	skb->next = NULL;
	for (pp = &gl->list; *pp; pp = &(*pp)->next)
		;
	*pp = skb;
	gl->count++;
	set_bit((unsigned int)(gl - n->gro_hash), &n->gro_bitmask);
}

/* dev_gro_receive + tcp_gro_receive's out_check_final. */
static void gro_check_bucket(const struct napi_struct *n, unsigned int i);

int unetdev__gro_receive(struct napi_struct *n, struct sk_buff *skb)
{
	struct gro_pkt g = {.skb = skb};
	struct gro_list *gl;
	struct sk_buff *p;
	bool merged = false, flush;
	u32 mss = 1;

	/* dev_gro_receive: no offload for this type (not IP), straight to the batch */
	if (skb->protocol != htons(ETH_P_IP) && skb->protocol != htons(ETH_P_IPV6))
		goto normal;
	if (!gro_parse(&g))
		goto normal;
	gl = &n->gro_hash[g.hash % GRO_HASH_BUCKETS];
	p = gro_lookup(gl, &g);
	if (p && !g.ip_flush && gro_ip_match(p, &g) && gro_tcp_match(p, &g) &&
	    gro_merge(gl, &p, &g)) {
		merged = true;
		mss = NAPI_GRO_CB(p)->mss;
	}
	flush = g.ip_flush || g.payload < mss ||
		(g.flags & (TCPF_URG | TCPF_PSH | TCPF_RST | TCPF_SYN | TCPF_FIN));
	if (p && (!merged || flush)) {
		gro_unlink(n, gl, p);
		gro_complete(n, p);
	}
	if (merged) {
		gro_check_bucket(n, g.hash % GRO_HASH_BUCKETS);
		consume_skb(skb);
		return GRO_MERGED_FREE;
	}
	if (!flush) {
		gro_hold(n, gl, &g);
		gro_check_bucket(n, g.hash % GRO_HASH_BUCKETS);
		return GRO_HELD;
	}
	gro_check_bucket(n, g.hash % GRO_HASH_BUCKETS);
normal:
	unetdev__gro_normal_one(n, skb, 1);
	return GRO_NORMAL;
}

/* __napi_gro_flush_chain for every bucket, oldest first. */
void unetdev__gro_flush(struct napi_struct *n, bool flush_old)
{
	unsigned long now = jiffies;

	for (unsigned int i = 0; n->gro_bitmask && i < GRO_HASH_BUCKETS; i++) {
		struct gro_list *gl = &n->gro_hash[i];

		while (gl->list) {
			struct sk_buff *p = gl->list;

			if (flush_old && NAPI_GRO_CB(p)->age == now)
				break;
			gro_unlink(n, gl, p);
			gro_complete(n, p);
		}
	}
}

void unetdev__gro_free(struct napi_struct *n)
{
	for (unsigned int i = 0; i < GRO_HASH_BUCKETS; i++) {
		struct gro_list *gl = &n->gro_hash[i];

		while (gl->list) {
			struct sk_buff *p = gl->list;

			gl->list = p->next;
			p->next = NULL;
			kfree_skb(p);
		}
		gl->count = 0;
	}
	n->gro_bitmask = 0;
}

/* One bucket of the invariant: its list, its count and its bitmask bit agree. */
static bool gro_bucket_ok(const struct napi_struct *n, unsigned int i)
{
	const struct gro_list *gl = &n->gro_hash[i];
	int len = 0;

	for (const struct sk_buff *p = gl->list; p; p = p->next) {
		const struct napi_gro_cb *cb = NAPI_GRO_CB(p);

		if (++len > MAX_GRO_SKBS || cb->hash % GRO_HASH_BUCKETS != i || cb->count < 1 ||
		    p->len >= GRO_LEGACY_MAX_SIZE)
			return false;
	}
	return len == gl->count && test_bit(i, &n->gro_bitmask) == (len > 0);
}

bool napi_gro_check(const struct napi_struct *n)
{
	for (unsigned int i = 0; i < GRO_HASH_BUCKETS; i++)
		if (!gro_bucket_ok(n, i))
			return false;
	return !(n->gro_bitmask >> GRO_HASH_BUCKETS);
}

/* R-NAPI-17 in debug builds with the checker on: the bucket a packet touched is
 * still consistent (the others did not change), O(MAX_GRO_SKBS). */
static void gro_check_bucket(const struct napi_struct *n, unsigned int i)
{
#ifndef NDEBUG
	if (unetdev__check_enabled() &&
	    unlikely(!gro_bucket_ok(n, i) || (n->gro_bitmask >> GRO_HASH_BUCKETS)))
		UNETDEV_WARN("R-NAPI-17", n->dev, "napi_gro_receive", "GRO lists inconsistent");
#else
	(void)n;
	(void)i;
#endif
}
