// SPDX-License-Identifier: MIT
/*
 * Unit: software GSO (src/core/gso.c) and the Internet checksum helpers
 * (src/core/checksum.c). Segments are checked byte by byte against an
 * independent RFC 1071 checksum written here, reading every multi-byte
 * field big-endian from the bytes, never through the library's structs.
 */
#include <unetdev/checksum.h>
#include <unetdev/gso.h>
#include <unetdev/skbuff_hdr.h>
#include <unetdev/unetdev.h>

#include "harness.h"

/* ---- Reference RFC 1071 checksum ---- */

static u64 ref_add(u64 acc, const u8 *p, size_t n)
{
	for (size_t i = 0; i + 1 < n; i += 2)
		acc += (u32)(p[i] << 8 | p[i + 1]);
	if (n & 1)
		acc += (u32)p[n - 1] << 8;
	return acc;
}

static u16 ref_fold(u64 acc)
{
	while (acc >> 16)
		acc = (acc & 0xffff) + (acc >> 16);
	return (u16)acc;
}

static u16 get16(const u8 *p)
{
	return (u16)(p[0] << 8 | p[1]);
}

static u32 get32(const u8 *p)
{
	return (u32)p[0] << 24 | (u32)p[1] << 16 | (u32)p[2] << 8 | p[3];
}

static void put16(u8 *p, u16 v)
{
	p[0] = (u8)(v >> 8);
	p[1] = (u8)v;
}

static void put32(u8 *p, u32 v)
{
	put16(p, (u16)(v >> 16));
	put16(p + 2, (u16)v);
}

/* Pseudo-header sum; @l3 points at the IPv4 or IPv6 header. */
static u64 ref_pseudo(const u8 *l3, int ver, u8 proto, u32 len)
{
	u64 acc = proto + (len >> 16) + (len & 0xffff);

	if (ver == 4)
		return ref_add(acc, l3 + 12, 8);
	return ref_add(acc, l3 + 8, 32);
}

/* ---- Building test packets ---- */

struct spec {
	int ver; /* 4 or 6 */
	u8 l4;	 /* IPPROTO_TCP or IPPROTO_UDP */
	unsigned int payload;
	unsigned int mss;
	unsigned int headroom;
	unsigned int ip_opts;  /* IPv4 option bytes, multiple of 4 */
	unsigned int ext6;     /* IPv6 hop-by-hop header bytes, multiple of 8 */
	unsigned int tcp_opts; /* multiple of 4 */
	bool vlan;
	bool partial;		/* TCP input already CHECKSUM_PARTIAL (UDP always is) */
	unsigned int gso_extra; /* more SKB_GSO_* bits */
	bool no_df;
};

#define SEQ0 0xfffffc00u /* wraps during the test */
#define ID0  0xfffeu

static unsigned int l2len(const struct spec *s)
{
	return ETH_HLEN + (s->vlan ? VLAN_HLEN : 0);
}

static unsigned int l3len(const struct spec *s)
{
	return s->ver == 4 ? 20 + s->ip_opts : 40 + s->ext6;
}

static unsigned int l4len(const struct spec *s)
{
	return s->l4 == IPPROTO_TCP ? 20 + s->tcp_opts : 8;
}

static u8 pay(unsigned int i)
{
	return (u8)(i * 7 + 3 + (i >> 8));
}

static void build_eth(u8 *p, const struct spec *s)
{
	u16 type = s->ver == 4 ? ETH_P_IP : ETH_P_IPV6;

	memcpy(p, "\x02\x00\x00\x00\x00\x02\x02\x00\x00\x00\x00\x01", 12);
	if (s->vlan) {
		put16(p + 12, ETH_P_8021Q);
		put16(p + 14, 42);
		put16(p + 16, type);
	} else {
		put16(p + 12, type);
	}
}

static void build_ip4(u8 *p, const struct spec *s, unsigned int len)
{
	p[0] = (u8)(0x40 | l3len(s) / 4);
	p[1] = 0x10;
	put16(p + 2, (u16)len);
	put16(p + 4, ID0);
	put16(p + 6, s->no_df ? 0 : IP_DF);
	p[8] = 64;
	p[9] = s->l4;
	memcpy(p + 12, "\x0a\x00\x00\x01\x0a\x00\x00\x02", 8);
	for (unsigned int i = 0; i < s->ip_opts; i++)
		p[20 + i] = (u8)(i + 1 == s->ip_opts ? 0 : 1); /* NOPs, then EOL */
	put16(p + 10, (u16)~ref_fold(ref_add(0, p, l3len(s))));
}

static void build_ip6(u8 *p, const struct spec *s, unsigned int len)
{
	p[0] = 0x60;
	p[1] = 0x0a;
	p[2] = 0xbc;
	p[3] = 0xde;
	put16(p + 4, (u16)(len - 40));
	p[6] = s->ext6 ? NEXTHDR_HOP : s->l4;
	p[7] = 64;
	memcpy(p + 8, "\x20\x01\x0d\xb8\0\0\0\0\0\0\0\0\0\0\0\x01", 16);
	memcpy(p + 24, "\x20\x01\x0d\xb8\0\0\0\0\0\0\0\0\0\0\0\x02", 16);
	if (s->ext6) {
		p[40] = s->l4;
		p[41] = (u8)(s->ext6 / 8 - 1);
		p[42] = 1; /* PadN over the rest */
		p[43] = (u8)(s->ext6 - 4);
	}
}

static void build_l4(u8 *p, const struct spec *s, const u8 *l3, unsigned int len)
{
	put16(p, 1234);
	put16(p + 2, 80);
	if (s->l4 == IPPROTO_UDP) {
		put16(p + 4, (u16)len);
		put16(p + 6, ref_fold(ref_pseudo(l3, s->ver, IPPROTO_UDP, len)));
		return;
	}
	put32(p + 4, SEQ0);
	put32(p + 8, 0x01020304);
	p[12] = (u8)(l4len(s) / 4 << 4);
	p[13] = 0x80 | 0x10 | 0x08 | 0x01; /* CWR ACK PSH FIN */
	put16(p + 14, 65535);
	for (unsigned int i = 0; i < s->tcp_opts; i++)
		p[20 + i] = 1;
	if (s->partial)
		put16(p + 16, ref_fold(ref_pseudo(l3, s->ver, IPPROTO_TCP, len)));
	else
		put16(p + 16, 0xdead); /* garbage: GSO must set the pseudo header up */
}

static struct sk_buff *build(const struct spec *s)
{
	unsigned int hdr = l2len(s) + l3len(s) + l4len(s), total = hdr + s->payload;
	struct sk_buff *skb = alloc_skb(s->headroom + total, GFP_KERNEL);
	u8 *p;

	ASSERT_NOT_NULL(skb);
	skb_reserve(skb, (int)s->headroom);
	p = skb_put(skb, total);
	build_eth(p, s);
	if (s->ver == 4)
		build_ip4(p + l2len(s), s, total - l2len(s));
	else
		build_ip6(p + l2len(s), s, total - l2len(s));
	build_l4(p + l2len(s) + l3len(s), s, p + l2len(s), total - l2len(s) - l3len(s));
	for (unsigned int i = 0; i < s->payload; i++)
		p[hdr + i] = pay(i);

	skb->protocol = htons(s->vlan ? ETH_P_8021Q : s->ver == 4 ? ETH_P_IP : ETH_P_IPV6);
	skb_set_network_header(skb, (int)l2len(s));
	skb_set_transport_header(skb, (int)(l2len(s) + l3len(s)));
	skb->ip_summed = (s->partial || s->l4 == IPPROTO_UDP) ? CHECKSUM_PARTIAL : CHECKSUM_NONE;
	skb->csum_start = skb->transport_header;
	skb->csum_offset = s->l4 == IPPROTO_TCP ? 16 : 6;
	skb->priority = 5;
	skb->mark = 0x77;
	skb->queue_mapping = 3;
	skb->ooo_okay = true;
	skb_shinfo(skb)->gso_size = (u16)s->mss;
	skb_shinfo(skb)->gso_segs = (u16)(s->mss ? DIV_ROUND_UP(s->payload, s->mss) : 0);
	skb_shinfo(skb)->gso_type = (s->l4 == IPPROTO_UDP ? SKB_GSO_UDP_L4
				     : s->ver == 4	  ? SKB_GSO_TCPV4
							  : SKB_GSO_TCPV6) |
				    s->gso_extra;
	return skb;
}

static void free_list(struct sk_buff *segs)
{
	while (segs) {
		struct sk_buff *next = segs->next;

		segs->next = NULL;
		consume_skb(segs);
		segs = next;
	}
}

/* ---- Checking segments ---- */

static void check_l4_csum(const struct spec *s, const struct sk_buff *seg, const u8 *l3, u8 *l4,
			  unsigned int len)
{
	unsigned int off = s->l4 == IPPROTO_TCP ? 16 : 6;
	u64 pseudo = ref_pseudo(l3, s->ver, s->l4, len);

	bool sw = seg->ip_summed != CHECKSUM_PARTIAL;

	if (!sw) {
		/* The device's job, done here: sum the segment over the pseudo sum. */
		ASSERT_EQ(get16(l4 + off) % 0xffff, ref_fold(pseudo) % 0xffff);
		ASSERT_EQ(seg->csum_start, seg->transport_header);
		ASSERT_EQ(seg->csum_offset, off);
		put16(l4 + off, (u16)~ref_fold(ref_add(0, l4, len)));
	} else {
		ASSERT_EQ(seg->ip_summed, CHECKSUM_NONE);
	}
	ASSERT_EQ(ref_fold(ref_add(pseudo, l4, len)), 0xffff);
	if (sw && s->l4 == IPPROTO_UDP)
		ASSERT_NE(get16(l4 + off), 0); /* 0 would mean "no checksum" */
}

static void check_l3(const struct spec *s, const struct sk_buff *seg, const u8 *l3, unsigned int i,
		     const u8 *orig_l3)
{
	unsigned int len = seg->len - l2len(s);

	if (s->ver == 4) {
		u16 id = s->gso_extra & SKB_GSO_TCP_FIXEDID ? ID0 : (u16)(ID0 + i);

		ASSERT_EQ(get16(l3 + 2), len);
		ASSERT_EQ(get16(l3 + 4), id);
		ASSERT_EQ(ref_fold(ref_add(0, l3, l3len(s))), 0xffff);
		ASSERT_MEM_EQ(l3 + 6, orig_l3 + 6, 4);		     /* frag_off ttl proto */
		ASSERT_MEM_EQ(l3 + 12, orig_l3 + 12, l3len(s) - 12); /* addresses, options */
	} else {
		ASSERT_EQ(get16(l3 + 4), len - 40);
		ASSERT_MEM_EQ(l3, orig_l3, 4);
		ASSERT_MEM_EQ(l3 + 6, orig_l3 + 6, l3len(s) - 6); /* addresses, ext headers */
	}
	ASSERT_LE(len, l3len(s) + l4len(s) + s->mss); /* fits the "MTU" */
}

static void check_tcp(const struct spec *s, const u8 *l4, const u8 *orig_l4, unsigned int i,
		      bool last)
{
	u8 flags = l4[13];

	ASSERT_UEQ(get32(l4 + 4), (u32)(SEQ0 + i * s->mss));
	ASSERT_MEM_EQ(l4 + 8, orig_l4 + 8, 5); /* ack, doff */
	ASSERT_EQ(!!(flags & 0x80), i == 0);   /* CWR first only */
	ASSERT_EQ(!!(flags & 0x01), last);     /* FIN last only */
	ASSERT_EQ(!!(flags & 0x08), last);     /* PSH last only */
	ASSERT_TRUE(flags & 0x10);	       /* ACK always */
	ASSERT_MEM_EQ(l4 + 20, orig_l4 + 20, s->tcp_opts);
}

static void check_segment(const struct spec *s, struct sk_buff *seg, const struct sk_buff *orig,
			  unsigned int i, bool last)
{
	unsigned int hdr = l2len(s) + l3len(s) + l4len(s);
	u8 *l3 = seg->data + l2len(s), *l4 = l3 + l3len(s);
	const u8 *ol3 = orig->data + l2len(s), *ol4 = ol3 + l3len(s);

	ASSERT_FALSE(skb_is_gso(seg));
	ASSERT_EQ(skb_headroom(seg), s->headroom);
	ASSERT_EQ(seg->mac_header, skb_headroom(seg));
	ASSERT_EQ(seg->network_header, skb_headroom(seg) + l2len(s));
	ASSERT_EQ(seg->transport_header, skb_headroom(seg) + l2len(s) + l3len(s));
	ASSERT_MEM_EQ(seg->data, orig->data, l2len(s));
	ASSERT_EQ(seg->protocol, orig->protocol);
	ASSERT_EQ(seg->priority, 5);
	ASSERT_EQ(seg->mark, 0x77);
	ASSERT_EQ(seg->queue_mapping, 3);
	ASSERT_EQ(seg->ooo_okay, i == 0);
	ASSERT_GT(seg->len, hdr);
	ASSERT_LE(seg->len - hdr, s->mss);
	if (!last)
		ASSERT_EQ(seg->len - hdr, s->mss);
	check_l3(s, seg, l3, i, ol3);
	if (s->l4 == IPPROTO_TCP)
		check_tcp(s, l4, ol4, i, last);
	else
		ASSERT_EQ(get16(l4 + 4), seg->len - l2len(s) - l3len(s));
	check_l4_csum(s, seg, l3, l4, seg->len - l2len(s) - l3len(s));
}

/* Segment @s with @features and check everything; returns the segment count. */
static unsigned int run(const struct spec *s, netdev_features_t features)
{
	struct sk_buff *skb = build(s), *segs, *seg;
	unsigned int hdr = l2len(s) + l3len(s) + l4len(s), i = 0, off = 0;

	segs = skb_gso_segment(skb, features);
	if (IS_ERR_OR_NULL(segs))
		FAIL("skb_gso_segment: %ld (v%d proto %u payload %u mss %u)", PTR_ERR(segs), s->ver,
		     s->l4, s->payload, s->mss);
	for (seg = segs; seg; seg = seg->next, i++) {
		check_segment(s, seg, skb, i, seg->next == NULL);
		for (unsigned int k = hdr; k < seg->len; k++, off++)
			if (seg->data[k] != pay(off))
				FAIL("payload byte %u differs in segment %u", off, i);
	}
	ASSERT_EQ(off, s->payload);
	ASSERT_EQ(i, DIV_ROUND_UP(s->payload, s->mss));
	free_list(segs);
	consume_skb(skb);
	return i;
}

static const netdev_features_t csum_modes[] = {0, NETIF_F_HW_CSUM, NETIF_F_IP_CSUM,
					       NETIF_F_IPV6_CSUM};

static void run_sizes(struct spec s)
{
	static const unsigned int sizes[][2] = {
	    {2, 1},	  {300, 1},	 {1449, 1448}, {3000, 1000}, {3001, 1000},
	    {2999, 1000}, {64000, 1448}, {65000, 536}, {9000, 8948}, {100, 99},
	};

	for (size_t m = 0; m < ARRAY_SIZE(csum_modes); m++)
		for (size_t i = 0; i < ARRAY_SIZE(sizes); i++) {
			s.payload = sizes[i][0];
			s.mss = sizes[i][1];
			run(&s, csum_modes[m] | NETIF_F_SG);
		}
}

TEST(gso_tcpv4_sizes)
{
	run_sizes((struct spec){.ver = 4, .l4 = IPPROTO_TCP, .headroom = 2});
	run_sizes((struct spec){.ver = 4, .l4 = IPPROTO_TCP, .headroom = 0, .partial = true});
}

TEST(gso_tcpv6_sizes)
{
	run_sizes((struct spec){.ver = 6, .l4 = IPPROTO_TCP, .headroom = 2});
	run_sizes((struct spec){.ver = 6, .l4 = IPPROTO_TCP, .headroom = 3, .partial = true});
}

TEST(gso_udpv4_sizes)
{
	run_sizes((struct spec){.ver = 4, .l4 = IPPROTO_UDP, .headroom = 2});
}

TEST(gso_udpv6_sizes)
{
	run_sizes((struct spec){.ver = 6, .l4 = IPPROTO_UDP, .headroom = 1});
}

TEST(gso_random_sizes)
{
	unsigned int seed = 99;

	for (int n = 0; n < 300; n++) {
		struct spec s = {
		    .ver = rand_r(&seed) % 2 ? 4 : 6,
		    .l4 = rand_r(&seed) % 2 ? IPPROTO_TCP : IPPROTO_UDP,
		    .headroom = (unsigned int)rand_r(&seed) % 64,
		    .mss = 1 + (unsigned int)rand_r(&seed) % 3000,
		    .partial = rand_r(&seed) % 2,
		    .vlan = rand_r(&seed) % 4 == 0,
		};

		s.payload = s.mss + 1 + (unsigned int)rand_r(&seed) % 20000;
		if (s.ver == 4)
			s.ip_opts = 4 * ((unsigned int)rand_r(&seed) % 11);
		else
			s.ext6 = 8 * ((unsigned int)rand_r(&seed) % 3);
		if (s.l4 == IPPROTO_TCP)
			s.tcp_opts = 4 * ((unsigned int)rand_r(&seed) % 11);
		run(&s, csum_modes[rand_r(&seed) % 4]);
	}
}

TEST(gso_ipv4_options_copied_to_every_segment)
{
	struct spec s = {.ver = 4,
			 .l4 = IPPROTO_TCP,
			 .payload = 5000,
			 .mss = 1000,
			 .headroom = 2,
			 .ip_opts = 40,
			 .tcp_opts = 12};

	ASSERT_EQ(run(&s, 0), 5);
	s.l4 = IPPROTO_UDP;
	ASSERT_EQ(run(&s, NETIF_F_IP_CSUM), 5);
}

TEST(gso_ipv6_extension_headers)
{
	struct spec s = {.ver = 6, .l4 = IPPROTO_TCP, .payload = 5000, .mss = 1000, .ext6 = 16};

	ASSERT_EQ(run(&s, 0), 5);
	s.l4 = IPPROTO_UDP;
	ASSERT_EQ(run(&s, NETIF_F_IPV6_CSUM), 5);
}

TEST(gso_vlan_tagged_frame)
{
	struct spec s = {.ver = 4, .l4 = IPPROTO_TCP, .payload = 4000, .mss = 1460, .vlan = true};

	ASSERT_EQ(run(&s, 0), 3);
	s.ver = 6;
	ASSERT_EQ(run(&s, NETIF_F_HW_CSUM), 3);
}

TEST(gso_fixedid_keeps_the_ip_id)
{
	struct spec s = {.ver = 4,
			 .l4 = IPPROTO_TCP,
			 .payload = 4000,
			 .mss = 1000,
			 .gso_extra = SKB_GSO_TCP_FIXEDID};

	ASSERT_EQ(run(&s, 0), 4); /* check_l3 expects ID0 in every segment */
}

TEST(gso_smallest_split_is_two_segments)
{
	struct spec s = {.ver = 4, .l4 = IPPROTO_TCP, .payload = 1001, .mss = 1000};

	ASSERT_EQ(run(&s, 0), 2);
	s.l4 = IPPROTO_UDP;
	ASSERT_EQ(run(&s, 0), 2);
}

/* ---- Bad input ---- */

static long seg_err(struct sk_buff *skb, netdev_features_t features)
{
	struct sk_buff *segs = skb_gso_segment(skb, features);
	long err = IS_ERR(segs) ? PTR_ERR(segs) : 0;

	if (!IS_ERR(segs))
		free_list(segs);
	kfree_skb(skb);
	return err;
}

TEST(gso_bad_gso_size)
{
	struct spec s = {.ver = 4, .l4 = IPPROTO_TCP, .payload = 1000, .mss = 0};

	ASSERT_EQ(seg_err(build(&s), 0), -EINVAL);
	/* Kernel: a payload that fits one segment is -EINVAL, not one segment. */
	s.mss = 1000;
	ASSERT_EQ(seg_err(build(&s), 0), -EINVAL);
	s.mss = 1500;
	ASSERT_EQ(seg_err(build(&s), 0), -EINVAL);
	s.l4 = IPPROTO_UDP;
	ASSERT_EQ(seg_err(build(&s), 0), -EINVAL);
	s.ver = 6;
	ASSERT_EQ(seg_err(build(&s), 0), -EINVAL);
}

static struct sk_buff *build_trimmed(const struct spec *s, unsigned int len)
{
	struct sk_buff *skb = build(s);

	skb_trim(skb, len);
	return skb;
}

TEST(gso_truncated_ip_header)
{
	struct spec s = {.ver = 4, .l4 = IPPROTO_TCP, .payload = 3000, .mss = 1000};
	struct sk_buff *skb;

	ASSERT_EQ(seg_err(build_trimmed(&s, ETH_HLEN + 19), 0), -EINVAL);
	ASSERT_EQ(seg_err(build_trimmed(&s, ETH_HLEN), 0), -EINVAL);
	skb = build(&s);
	skb->data[ETH_HLEN] = 0x44; /* ihl 4 */
	ASSERT_EQ(seg_err(skb, 0), -EINVAL);
	s.ip_opts = 40;
	ASSERT_EQ(seg_err(build_trimmed(&s, ETH_HLEN + 50), 0), -EINVAL);
	s.ver = 6;
	s.ip_opts = 0;
	ASSERT_EQ(seg_err(build_trimmed(&s, ETH_HLEN + 39), 0), -EINVAL);
	/* A network header beyond the data. */
	skb = build(&s);
	skb->network_header = (u16)(skb_headroom(skb) + skb->len + 1);
	ASSERT_EQ(seg_err(skb, 0), -EINVAL);
}

TEST(gso_truncated_tcp_header)
{
	struct spec s = {.ver = 4, .l4 = IPPROTO_TCP, .payload = 3000, .mss = 1000};
	struct sk_buff *skb;

	ASSERT_EQ(seg_err(build_trimmed(&s, ETH_HLEN + 20 + 19), 0), -EINVAL);
	skb = build(&s);
	skb->data[ETH_HLEN + 20 + 12] = 0x40; /* doff 4 */
	ASSERT_EQ(seg_err(skb, 0), -EINVAL);
	s.tcp_opts = 40;
	ASSERT_EQ(seg_err(build_trimmed(&s, ETH_HLEN + 20 + 50), 0), -EINVAL);
	s.ver = 6;
	s.tcp_opts = 0;
	ASSERT_EQ(seg_err(build_trimmed(&s, ETH_HLEN + 40 + 10), 0), -EINVAL);
	s.l4 = IPPROTO_UDP;
	ASSERT_EQ(seg_err(build_trimmed(&s, ETH_HLEN + 40 + 7), 0), -EINVAL);
}

TEST(gso_unknown_protocols)
{
	struct spec s = {.ver = 4, .l4 = IPPROTO_TCP, .payload = 3000, .mss = 1000};
	struct sk_buff *skb = build(&s);

	skb->protocol = htons(ETH_P_ARP);
	ASSERT_EQ(seg_err(skb, 0), -EPROTONOSUPPORT);
	skb = build(&s);
	skb->data[ETH_HLEN + 9] = IPPROTO_SCTP;
	ASSERT_EQ(seg_err(skb, 0), -EPROTONOSUPPORT);
	s.ver = 6;
	skb = build(&s);
	skb->data[ETH_HLEN + 6] = NEXTHDR_NONE;
	ASSERT_EQ(seg_err(skb, 0), -EPROTONOSUPPORT);
	/* A truncated extension header stops the walk on its own number. */
	s.ext6 = 8;
	ASSERT_EQ(seg_err(build_trimmed(&s, ETH_HLEN + 40 + 6), 0), -EPROTONOSUPPORT);
	/* No ethertype to find behind a protocol of 0 on an L3 device. */
	skb = build(&s);
	skb->protocol = 0;
	skb_pull(skb, ETH_HLEN);
	ASSERT_EQ(seg_err(skb, 0), -EINVAL);
}

TEST(gso_type_must_match_protocol)
{
	struct spec s = {.ver = 4, .l4 = IPPROTO_TCP, .payload = 3000, .mss = 1000};
	struct sk_buff *skb = build(&s);

	skb_shinfo(skb)->gso_type = SKB_GSO_TCPV6;
	ASSERT_EQ(seg_err(skb, 0), -EINVAL);
	s.l4 = IPPROTO_UDP;
	skb = build(&s);
	skb_shinfo(skb)->gso_type = SKB_GSO_TCPV4;
	ASSERT_EQ(seg_err(skb, 0), -EINVAL);
	s.l4 = IPPROTO_TCP;
	s.gso_extra = SKB_GSO_TCP_FIXEDID;
	s.no_df = true; /* fixed IDs need DF */
	ASSERT_EQ(seg_err(build(&s), 0), -EPROTONOSUPPORT);
}

TEST(gso_partial_csum_start_must_be_the_l4_header)
{
	struct spec s = {
	    .ver = 4, .l4 = IPPROTO_TCP, .payload = 3000, .mss = 1000, .partial = true};
	struct sk_buff *skb = build(&s);

	skb->csum_start = skb->network_header;
	ASSERT_EQ(seg_err(skb, 0), -EINVAL);
	s.l4 = IPPROTO_UDP;
	skb = build(&s);
	skb->csum_start++;
	ASSERT_EQ(seg_err(skb, 0), -EINVAL);
}

TEST(gso_nonlinear_is_einval)
{
	struct spec s = {.ver = 4, .l4 = IPPROTO_TCP, .payload = 3000, .mss = 1000};
	struct sk_buff *skb = build(&s), *segs;

	skb->data_len = 1;
	segs = skb_gso_segment(skb, 0);
	ASSERT_EQ(PTR_ERR(segs), -EINVAL);
	skb->data_len = 0;
	kfree_skb(skb);
}

TEST(gso_robust_device_keeps_the_skb)
{
	struct spec s = {.ver = 6, .l4 = IPPROTO_TCP, .payload = 3001, .mss = 1000};
	struct sk_buff *skb = build(&s);

	skb_shinfo(skb)->gso_segs = 77; /* untrusted */
	ASSERT_NULL(skb_gso_segment(skb, NETIF_F_TSO6 | NETIF_F_GSO_ROBUST));
	ASSERT_EQ(skb_shinfo(skb)->gso_segs, 4);
	ASSERT_EQ(skb->ip_summed, CHECKSUM_PARTIAL); /* prepared for the device */
	consume_skb(skb);
	s.l4 = IPPROTO_UDP;
	skb = build(&s);
	ASSERT_NULL(skb_gso_segment(skb, NETIF_F_GSO_UDP_L4 | NETIF_F_GSO_ROBUST));
	ASSERT_EQ(skb_shinfo(skb)->gso_segs, 4);
	consume_skb(skb);
}

TEST(gso_enomem_frees_partial_list)
{
	struct spec s = {.ver = 4, .l4 = IPPROTO_TCP, .payload = 5000, .mss = 1000};
	struct sk_buff *skb = build(&s);

	unetdev_fault_fail_nth("skb", 5); /* the third segment's skb or data */
	ASSERT_EQ(seg_err(skb, 0), -ENOMEM);
	unetdev_fault_clear();
	ASSERT_EQ(skb_live_count(), 0);
}

/* ---- Checksum helpers against the reference ---- */

TEST(csum_partial_matches_rfc1071)
{
	static u8 buf[4096 + 8];
	unsigned int seed = 7;

	for (size_t i = 0; i < sizeof(buf); i++)
		buf[i] = (u8)rand_r(&seed);
	for (int n = 0; n < 2000; n++) {
		unsigned int off = (unsigned int)rand_r(&seed) % 8;
		int len = rand_r(&seed) % 4096;
		__sum16 got = csum_fold(csum_partial(buf + off, len, 0));
		u8 b[2];

		memcpy(b, &got, 2); /* as stored into a header */
		ASSERT_EQ(get16(b), (u16)~ref_fold(ref_add(0, buf + off, (size_t)len)));
	}
}

TEST(csum_ip_and_pseudo_headers)
{
	u8 ip[20] = {0x45, 0, 0,   60, 0x1c, 0x46, 0x40, 0,  0x40, 6,
		     0,	   0, 172, 16, 10,   99,   172,	 16, 10,   12};
	struct in6_addr a, b;
	__be32 sa, da;
	__sum16 c;

	c = ip_fast_csum(ip, 5);
	memcpy(ip + 10, &c, 2);
	ASSERT_EQ(get16(ip + 10), 0xb1e6); /* the classic worked example */
	ASSERT_EQ(ip_fast_csum(ip, 5), 0);

	memcpy(&sa, ip + 12, 4);
	memcpy(&da, ip + 16, 4);
	c = csum_tcpudp_magic(sa, da, 1000, IPPROTO_TCP, 0);
	memcpy(b.s6_addr, &c, 2);
	ASSERT_EQ(get16(b.s6_addr), (u16)~ref_fold(ref_add(1000 + IPPROTO_TCP, ip + 12, 8)));

	memcpy(a.s6_addr, "\x20\x01\x0d\xb8\0\0\0\0\0\0\0\0\0\0\0\x01", 16);
	memcpy(b.s6_addr, "\xfe\x80\0\0\0\0\0\0\x12\x34\0\0\0\0\xab\xcd", 16);
	c = csum_ipv6_magic(&a, &b, 70000, IPPROTO_UDP, 0);
	{
		u64 acc =
		    ref_add(ref_add(70000 / 65536 + 70000 % 65536 + IPPROTO_UDP, a.s6_addr, 16),
			    b.s6_addr, 16);
		u8 out[2];

		memcpy(out, &c, 2);
		ASSERT_EQ(get16(out), (u16)~ref_fold(acc));
	}
}

TEST(csum_arithmetic_helpers)
{
	ASSERT_EQ(csum_add(0xffffffffu, 1), 1);
	ASSERT_EQ(csum_sub(csum_add(0x12345678u, 0x9abcdef0u), 0x9abcdef0u) % 0xffffffffu,
		  0x12345678u);
	ASSERT_EQ(csum_fold(0), 0xffff);
	ASSERT_EQ(csum_fold(0x0001ffffu), (u16)~1);
	ASSERT_EQ(csum16_add(0xffff, 1), 1);
	ASSERT_EQ(csum16_sub(csum16_add(0x1234, 0x8000), 0x8000), 0x1234);
	ASSERT_EQ(csum_unfold(0xabcd), 0xabcd);
	{
		/* RFC 1071 section 3's example: the sum is 0xddf2. */
		static const u8 ex[8] = {0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7};
		__sum16 c = ip_compute_csum(ex, 8);
		u8 out[2];

		memcpy(out, &c, 2);
		ASSERT_EQ(get16(out), (u16)~0xddf2);
	}
}

TEST(err_ptr_helpers)
{
	void *p = ERR_PTR(-EPROTONOSUPPORT);
	int x;

	ASSERT_TRUE(IS_ERR(p));
	ASSERT_TRUE(IS_ERR_OR_NULL(p));
	ASSERT_TRUE(IS_ERR_OR_NULL(NULL));
	ASSERT_FALSE(IS_ERR(NULL));
	ASSERT_FALSE(IS_ERR(&x));
	ASSERT_EQ(PTR_ERR(p), -EPROTONOSUPPORT);
	ASSERT_EQ(PTR_ERR_OR_ZERO(&x), 0);
	ASSERT_EQ(PTR_ERR_OR_ZERO(ERR_PTR(-MAX_ERRNO)), -MAX_ERRNO);
	ASSERT_FALSE(IS_ERR(ERR_PTR(-MAX_ERRNO - 1)));
}

TEST(ip_header_struct_layout)
{
	u8 raw[60] = {0x46, 0x10, 0x01, 0x02};
	const struct iphdr *iph = (const void *)raw;
	const struct tcphdr *th = (const void *)(raw + 20);

	ASSERT_EQ(iph->version, 4);
	ASSERT_EQ(iph->ihl, 6);
	ASSERT_EQ(ntohs(iph->tot_len), 0x0102);
	raw[20 + 12] = 0x50;
	raw[20 + 13] = 0x80 | 0x01;
	ASSERT_EQ(th->doff, 5);
	ASSERT_EQ(th->cwr, 1);
	ASSERT_EQ(th->fin, 1);
	ASSERT_EQ(th->syn, 0);
}
