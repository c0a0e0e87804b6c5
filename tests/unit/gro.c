// SPDX-License-Identifier: MIT
/*
 * Unit: the GRO engine (src/core/gro.c, R-NAPI-17, R-K-19): TCP/IPv4 and
 * TCP/IPv6 segments fed to napi_gro_receive() inside a NAPI poll; what the
 * stack receives is recorded by a protocol handler.
 */
#include <arpa/inet.h>
#include <unetdev/checksum.h>
#include <unetdev/skbuff_hdr.h>
#include <unetdev/unetdev.h>

#include "harness.h"

#define MAXREC 128
static struct rec {
	unsigned int len, gso_size, gso_segs, gso_type, ip_summed;
	u32 seq;
	u8 flags;
	bool payload_ok, csum_ok;
} rec[MAXREC];
static int nrec;

static bool check_payload(const u8 *p, unsigned int n, u32 seq)
{
	for (unsigned int i = 0; i < n; i++)
		if (p[i] != (u8)(seq + i))
			return false;
	return true;
}

static int h_rcv(struct sk_buff *skb, struct net_device *dev, struct packet_type *pt,
		 struct net_device *orig)
{
	struct rec *r = &rec[nrec < MAXREC ? nrec++ : MAXREC - 1];
	bool v4 = skb->protocol == htons(ETH_P_IP);
	unsigned int nh = v4 ? 20 : 40;
	const struct tcphdr *th = (const void *)(skb->data + nh);
	u32 tcplen = skb->len - nh;
	__wsum sum = csum_partial(th, (int)tcplen, 0);

	r->len = skb->len;
	r->gso_size = skb_shinfo(skb)->gso_size;
	r->gso_segs = skb_shinfo(skb)->gso_segs;
	r->gso_type = skb_shinfo(skb)->gso_type;
	r->ip_summed = skb->ip_summed;
	r->seq = ntohl(th->seq);
	r->flags = ((const u8 *)th)[13];
	r->payload_ok = check_payload((const u8 *)th + 20, tcplen - 20, r->seq);
	if (v4) {
		const struct iphdr *iph = (const void *)skb->data;

		r->csum_ok = !ip_fast_csum(iph, 5) && ntohs(iph->tot_len) == skb->len &&
			     !csum_tcpudp_magic(iph->saddr, iph->daddr, tcplen, IPPROTO_TCP, sum);
	} else {
		struct in6_addr s, d;

		memcpy(&s, skb->data + 8, 16);
		memcpy(&d, skb->data + 24, 16);
		r->csum_ok = ntohs(((const struct ipv6hdr *)skb->data)->payload_len) == tcplen &&
			     !csum_ipv6_magic(&s, &d, tcplen, IPPROTO_TCP, sum);
	}
	consume_skb(skb);
	return NET_RX_SUCCESS;
}

#define ACK 0x10
#define PSH 0x08
#define SYN 0x02
#define URG 0x20
#define CWR 0x80

struct seg {
	u32 seq;
	u8 flags;
	unsigned int plen;
	u16 sport;
	bool v6;
	bool bad_csum;
};

static u16 ip_id;

static void put_tcp(u8 *p, const struct seg *s)
{
	struct tcphdr th = {0};

	th.source = htons(s->sport ? s->sport : 1000);
	th.dest = htons(80);
	th.seq = htonl(s->seq);
	th.ack_seq = htonl(1);
	th.doff = 5;
	th.window = htons(1000);
	memcpy(p, &th, sizeof(th));
	p[13] = s->flags;
	for (unsigned int i = 0; i < s->plen; i++)
		p[20 + i] = (u8)(s->seq + i);
}

static struct sk_buff *mkseg(struct net_device *dev, const struct seg *s)
{
	unsigned int nh = s->v6 ? 40 : 20, tcplen = 20 + s->plen;
	struct sk_buff *skb = netdev_alloc_skb(dev, 14 + nh + tcplen);
	u8 *e = skb_put(skb, 14), *ip = skb_put(skb, nh), *tp = skb_put(skb, tcplen);
	__wsum sum;

	memcpy(e, dev->dev_addr, 6);
	memset(e + 6, 2, 6);
	e[12] = s->v6 ? 0x86 : 0x08;
	e[13] = s->v6 ? 0xdd : 0x00;
	put_tcp(tp, s);
	sum = csum_partial(tp, (int)tcplen, 0);
	if (!s->v6) {
		struct iphdr iph = {.ihl = 5, .version = 4, .ttl = 64, .protocol = IPPROTO_TCP};

		iph.tot_len = htons((u16)(nh + tcplen));
		iph.id = htons(ip_id++);
		iph.saddr = htonl(0x0a000001);
		iph.daddr = htonl(0x0a000002);
		iph.check = ip_fast_csum(&iph, 5);
		memcpy(ip, &iph, sizeof(iph));
		((struct tcphdr *)tp)->check =
		    csum_tcpudp_magic(iph.saddr, iph.daddr, tcplen, IPPROTO_TCP, sum);
	} else {
		struct in6_addr a = {{{0xfd, [15] = 1}}}, b = {{{0xfd, [15] = 2}}};

		memset(ip, 0, 40);
		ip[0] = 0x60;
		ip[4] = (u8)(tcplen >> 8);
		ip[5] = (u8)tcplen;
		ip[6] = IPPROTO_TCP;
		ip[7] = 64;
		memcpy(ip + 8, &a, 16);
		memcpy(ip + 24, &b, 16);
		((struct tcphdr *)tp)->check = csum_ipv6_magic(&a, &b, tcplen, IPPROTO_TCP, sum);
	}
	if (s->bad_csum)
		tp[16] ^= 0xff;
	skb->protocol = eth_type_trans(skb, dev);
	return skb;
}

static const struct seg *feed;
static int nfeed;
static bool held_ok;

static int gro_poll(struct napi_struct *napi, int budget)
{
	for (int i = 0; i < nfeed; i++)
		napi_gro_receive(napi, mkseg(napi->dev, &feed[i]));
	held_ok = napi_gro_check(napi);
	napi_complete_done(napi, nfeed);
	return nfeed < budget ? nfeed : budget - 1;
}

static struct packet_type pt4 = {.func = h_rcv}, pt6 = {.func = h_rcv};

static void run(const struct seg *segs, int n)
{
	struct net_device *dev = NULL;
	struct napi_struct napi;

	pt4.type = htons(ETH_P_IP);
	pt6.type = htons(ETH_P_IPV6);
	ASSERT_EQ(unetdev_null_create(NULL, "gro%d", NULL, &dev), 0);
	dev_add_pack(&pt4);
	dev_add_pack(&pt6);
	memset(&napi, 0, sizeof(napi));
	netif_napi_add(dev, &napi, gro_poll);
	napi_enable(&napi);
	feed = segs;
	nfeed = n;
	nrec = 0;
	napi_schedule(&napi);
	ASSERT_TRUE(held_ok);
	ASSERT_TRUE(napi_gro_check(&napi));
	ASSERT_EQ(napi.gro_bitmask, 0);
	napi_disable(&napi);
	netif_napi_del(&napi);
	dev_remove_pack(&pt6);
	dev_remove_pack(&pt4);
	unregister_netdev(dev);
}

TEST(gro_merges_in_order_ipv4)
{
	struct seg s[6];

	for (int i = 0; i < 6; i++)
		s[i] = (struct seg){.seq = 1000 + 100u * i, .flags = ACK, .plen = 100};
	s[5].flags = ACK | PSH; /* merged last, and ends the flow */
	run(s, 6);
	ASSERT_EQ(nrec, 1);
	ASSERT_EQ(rec[0].len, 40 + 600);
	ASSERT_EQ(rec[0].gso_size, 100);
	ASSERT_EQ(rec[0].gso_segs, 6);
	ASSERT_EQ(rec[0].gso_type, SKB_GSO_TCPV4);
	ASSERT_EQ(rec[0].ip_summed, CHECKSUM_UNNECESSARY);
	ASSERT_EQ(rec[0].flags, ACK | PSH);
	ASSERT_TRUE(rec[0].payload_ok);
	ASSERT_TRUE(rec[0].csum_ok);
}

TEST(gro_merges_ipv6_and_short_last_segment_flushes)
{
	struct seg s[4];

	for (int i = 0; i < 4; i++)
		s[i] = (struct seg){.seq = 7u + 1200u * i, .flags = ACK, .plen = 1200, .v6 = true};
	s[3].plen = 10;
	run(s, 4);
	ASSERT_EQ(nrec, 1);
	ASSERT_EQ(rec[0].len, 40 + 20 + 3610);
	ASSERT_EQ(rec[0].gso_type, SKB_GSO_TCPV6);
	ASSERT_EQ(rec[0].gso_segs, 4);
	ASSERT_TRUE(rec[0].payload_ok);
	ASSERT_TRUE(rec[0].csum_ok);
}

TEST(gro_out_of_order_not_merged)
{
	struct seg s[3] = {
	    {.seq = 0, .flags = ACK, .plen = 100},
	    {.seq = 200, .flags = ACK, .plen = 100}, /* gap */
	    {.seq = 100, .flags = ACK, .plen = 100},
	};

	run(s, 3);
	ASSERT_EQ(nrec, 3);
	for (int i = 0; i < 3; i++) {
		ASSERT_EQ(rec[i].gso_size, 0);
		ASSERT_EQ(rec[i].len, 140);
	}
	ASSERT_EQ(rec[0].seq, 0); /* order kept: each flushes the held one first */
	ASSERT_EQ(rec[1].seq, 200);
	ASSERT_EQ(rec[2].seq, 100);
}

TEST(gro_syn_urg_cwr_larger_not_merged)
{
	struct seg s[5] = {
	    {.seq = 0, .flags = ACK, .plen = 100},
	    {.seq = 100, .flags = ACK | URG, .plen = 100},
	    {.seq = 200, .flags = ACK | CWR, .plen = 100}, /* held anew */
	    {.seq = 300, .flags = ACK, .plen = 200},	   /* larger than the MSS */
	    {.seq = 500, .flags = SYN, .plen = 0},
	};

	run(s, 5);
	ASSERT_EQ(nrec, 5);
	for (int i = 0; i < 5; i++)
		ASSERT_EQ(rec[i].gso_size, 0);
}

TEST(gro_bad_checksum_and_pure_acks_go_normal)
{
	struct seg s[3] = {
	    {.seq = 0, .flags = ACK, .plen = 100},
	    {.seq = 100, .flags = ACK, .plen = 100, .bad_csum = true},
	    {.seq = 100, .flags = ACK, .plen = 0},
	};

	run(s, 3);
	ASSERT_EQ(nrec, 3);
	ASSERT_EQ(rec[0].seq, 100); /* the bad one is not held: delivered first */
	ASSERT_FALSE(rec[0].csum_ok);
}

TEST(gro_64k_limit_and_many_flows)
{
	static struct seg s[120];

	for (int i = 0; i < 60; i++)
		s[i] = (struct seg){.seq = 1400u * i, .flags = ACK, .plen = 1400};
	for (int i = 60; i < 120; i++) /* 60 flows of one segment each: buckets overflow */
		s[i] = (struct seg){.seq = 0, .flags = ACK, .plen = 10, .sport = (u16)(2000 + i)};
	run(s, 120);
	ASSERT_EQ(rec[0].gso_segs, 46); /* 40 + 46 * 1400 < 65536 */
	ASSERT_LT(rec[0].len, 65536);
	ASSERT_TRUE(rec[0].payload_ok);
	ASSERT_TRUE(rec[0].csum_ok);
	ASSERT_EQ(nrec, 2 + 60);
}
