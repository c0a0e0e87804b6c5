// SPDX-License-Identifier: MIT
/*
 * Conformance: GSO in the rules (R-MTU-3, R-MTU-14, R-TX-9): oversize GSO
 * skbs are legal and split into MTU-sized packets, the device GSO limits,
 * the netif_needs_gso() truth table and skb_gso_segment() dispatch.
 * Byte-level segment checks are in tests/unit/gso.c.
 */
#include <unetdev/gso.h>
#include <unetdev/skbuff_hdr.h>
#include <unetdev/unetdev.h>

#include "harness.h"

/* A linear Ethernet + IPv4/IPv6 + TCP/UDP GSO skb with @payload bytes. */
static struct sk_buff *gso_skb(int ver, u8 proto, unsigned int payload, unsigned int mss)
{
	unsigned int l3 = ver == 4 ? sizeof(struct iphdr) : sizeof(struct ipv6hdr);
	unsigned int l4 = proto == IPPROTO_TCP ? sizeof(struct tcphdr) : sizeof(struct udphdr);
	unsigned int len = ETH_HLEN + l3 + l4 + payload;
	struct sk_buff *skb = alloc_skb(NET_SKB_PAD + 2 + len, GFP_KERNEL);
	struct ethhdr *eth;

	ASSERT_NOT_NULL(skb);
	skb_reserve(skb, NET_SKB_PAD + 2); /* NET_IP_ALIGN: the IP header 4-byte aligned */
	skb_reset_mac_header(skb);
	eth = skb_put(skb, len);
	memset(eth, 0, len);
	eth->h_proto = htons(ver == 4 ? ETH_P_IP : ETH_P_IPV6);
	skb->protocol = eth->h_proto;
	skb_set_network_header(skb, ETH_HLEN);
	skb_set_transport_header(skb, (int)(ETH_HLEN + l3));
	if (ver == 4) {
		ip_hdr(skb)->version = 4;
		ip_hdr(skb)->ihl = 5;
		ip_hdr(skb)->protocol = proto;
		ip_hdr(skb)->tot_len = htons((u16)(len - ETH_HLEN));
	} else {
		ipv6_hdr(skb)->version = 6;
		ipv6_hdr(skb)->nexthdr = proto;
		ipv6_hdr(skb)->payload_len = htons((u16)(l4 + payload));
	}
	if (proto == IPPROTO_TCP)
		tcp_hdr(skb)->doff = 5;
	else
		udp_hdr(skb)->len = htons((u16)(l4 + payload));
	skb->ip_summed = CHECKSUM_PARTIAL;
	skb->csum_start = skb->transport_header;
	skb->csum_offset = proto == IPPROTO_TCP ? 16 : 6;
	skb_shinfo(skb)->gso_size = (u16)mss;
	skb_shinfo(skb)->gso_segs = (u16)DIV_ROUND_UP(payload, mss);
	skb_shinfo(skb)->gso_type = proto == IPPROTO_UDP ? SKB_GSO_UDP_L4
				    : ver == 4		 ? SKB_GSO_TCPV4
							 : SKB_GSO_TCPV6;
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

/* Every segment's L3 packet fits @mtu; returns how many there were. */
static unsigned int segments_fit(struct sk_buff *segs, unsigned int mtu)
{
	unsigned int n = 0;

	for (struct sk_buff *s = segs; s; s = s->next, n++)
		ASSERT_LE(s->len - ETH_HLEN, mtu);
	return n;
}

/* ---- R-MTU-3 ---- */

TEST(r_mtu_3_gso_skb_larger_than_mtu_splits_to_mtu)
{
	static const int vers[] = {4, 6};

	for (size_t i = 0; i < ARRAY_SIZE(vers); i++) {
		unsigned int hdrs = (vers[i] == 4 ? 20 : 40) + 20, mss = 1500 - hdrs;
		struct sk_buff *skb = gso_skb(vers[i], IPPROTO_TCP, 60000, mss), *segs;

		ASSERT_GT(skb->len, 1500);
		/* The stack's check that the segments, not the skb, fit the MTU. */
		ASSERT_TRUE(skb_gso_validate_network_len(skb, 1500));
		ASSERT_FALSE(skb_gso_validate_network_len(skb, 1499));
		ASSERT_TRUE(skb_gso_validate_mac_len(skb, 1514));
		ASSERT_FALSE(skb_gso_validate_mac_len(skb, 1513));
		segs = skb_gso_segment(skb, 0);
		ASSERT_FALSE(IS_ERR_OR_NULL(segs));
		ASSERT_EQ(segments_fit(segs, 1500), DIV_ROUND_UP(60000, mss));
		free_list(segs);
		consume_skb(skb);
	}
}

TEST(r_mtu_3_udp_gso_validate_len)
{
	struct sk_buff *skb = gso_skb(4, IPPROTO_UDP, 20000, 1472), *segs;

	ASSERT_TRUE(skb_gso_validate_network_len(skb, 1500));
	ASSERT_FALSE(skb_gso_validate_network_len(skb, 1499));
	segs = skb_gso_segment(skb, NETIF_F_HW_CSUM);
	ASSERT_EQ(segments_fit(segs, 1500), 14);
	free_list(segs);
	consume_skb(skb);
}

static netdev_tx_t m_xmit(struct sk_buff *skb, struct net_device *dev)
{
	consume_skb(skb);
	return NETDEV_TX_OK;
}

static const struct net_device_ops m_ops = {.ndo_start_xmit = m_xmit};

static void m_setup(struct net_device *dev)
{
	ether_setup(dev);
	dev->netdev_ops = &m_ops;
}

TEST(r_mtu_3_oversize_gso_skb_is_forwardable)
{
	struct net_device *dev = alloc_netdev(0, "gso%d", NET_NAME_ENUM, m_setup);
	struct sk_buff *skb = gso_skb(4, IPPROTO_TCP, 20000, 1460);

	ASSERT_EQ(register_netdev(dev), 0);
	rtnl_lock();
	ASSERT_EQ(dev_open(dev, NULL), 0);
	rtnl_unlock();
	ASSERT_TRUE(is_skb_forwardable(dev, skb)); /* GSO: the length does not matter */
	skb_shinfo(skb)->gso_size = 0;
	ASSERT_FALSE(is_skb_forwardable(dev, skb));
	consume_skb(skb);
	unregister_netdev(dev);
	free_netdev(dev);
}

/* ---- R-MTU-14 ---- */

static struct net_device *limits_dev(void)
{
	struct net_device *dev = alloc_netdev(0, "lim%d", NET_NAME_ENUM, m_setup);

	ASSERT_NOT_NULL(dev);
	ASSERT_EQ(dev->gso_max_size, GSO_LEGACY_MAX_SIZE);
	ASSERT_EQ(dev->gso_ipv4_max_size, GSO_LEGACY_MAX_SIZE);
	ASSERT_EQ(dev->gso_max_segs, GSO_MAX_SEGS);
	return dev;
}

/* An skb of exactly @len bytes claiming @segs segments. */
static struct sk_buff *sized_skb(__be16 proto, unsigned int len, unsigned int segs)
{
	struct sk_buff *skb = alloc_skb(len, GFP_KERNEL);

	ASSERT_NOT_NULL(skb);
	skb_put(skb, len);
	skb->protocol = proto;
	skb_shinfo(skb)->gso_size = 1000;
	skb_shinfo(skb)->gso_segs = (u16)segs;
	skb_shinfo(skb)->gso_type = SKB_GSO_TCPV4;
	return skb;
}

static bool limits_ok(struct net_device *dev, __be16 proto, unsigned int len, unsigned int segs)
{
	struct sk_buff *skb = sized_skb(proto, len, segs);
	bool ok = netif_skb_gso_limits_ok(dev, skb);

	consume_skb(skb);
	return ok;
}

TEST(r_mtu_14_len_at_or_above_gso_max_size)
{
	struct net_device *dev = limits_dev();
	__be16 v4 = htons(ETH_P_IP), v6 = htons(ETH_P_IPV6);

	ASSERT_TRUE(limits_ok(dev, v4, 65535, 66));
	ASSERT_FALSE(limits_ok(dev, v4, 65536, 66)); /* ">=" */
	ASSERT_TRUE(limits_ok(dev, v6, 65535, 66));
	ASSERT_FALSE(limits_ok(dev, v6, 65536, 66));

	/* BIG TCP: IPv6 uses gso_max_size, everything else gso_ipv4_max_size. */
	dev->gso_max_size = 200000;
	ASSERT_TRUE(limits_ok(dev, v6, 150000, 100));
	ASSERT_FALSE(limits_ok(dev, v4, 150000, 100));
	ASSERT_FALSE(limits_ok(dev, htons(ETH_P_ARP), 150000, 100));
	dev->gso_ipv4_max_size = 150001;
	ASSERT_TRUE(limits_ok(dev, v4, 150000, 100));
	{
		struct sk_buff *skb = sized_skb(v6, 10, 1);

		ASSERT_EQ(netif_get_gso_max_size(dev, skb), 200000);
		skb->protocol = v4;
		ASSERT_EQ(netif_get_gso_max_size(dev, skb), 150001);
		consume_skb(skb);
	}
	free_netdev(dev);
}

TEST(r_mtu_14_more_segments_than_gso_max_segs)
{
	struct net_device *dev = limits_dev();

	dev->gso_max_segs = 10;
	ASSERT_TRUE(limits_ok(dev, htons(ETH_P_IP), 9000, 10));
	ASSERT_FALSE(limits_ok(dev, htons(ETH_P_IP), 9000, 11));
	netif_set_tso_max_segs(dev, 4); /* R-MTU-15 lowers gso_max_segs */
	ASSERT_FALSE(limits_ok(dev, htons(ETH_P_IP), 9000, 5));
	free_netdev(dev);
}

TEST(r_mtu_14_non_gso_skb_is_always_ok)
{
	struct net_device *dev = limits_dev();
	struct sk_buff *skb = sized_skb(htons(ETH_P_IP), 70000, 60000);

	skb_shinfo(skb)->gso_size = 0;
	ASSERT_TRUE(netif_skb_gso_limits_ok(dev, skb));
	consume_skb(skb);
	free_netdev(dev);
}

TEST(r_mtu_14_over_limit_means_software_segmentation)
{
	struct net_device *dev = limits_dev();
	netdev_features_t features = NETIF_F_SG | NETIF_F_TSO | NETIF_F_IP_CSUM;
	struct sk_buff *skb = gso_skb(4, IPPROTO_TCP, 30000, 1000), *segs;

	ASSERT_FALSE(netif_needs_gso(skb, features)); /* the device could do it... */
	dev->gso_max_segs = 8;			      /* ...but not 30 segments */
	ASSERT_FALSE(netif_skb_gso_limits_ok(dev, skb));
	features &= ~NETIF_F_GSO_MASK; /* what the core does then */
	ASSERT_TRUE(netif_needs_gso(skb, features));
	segs = skb_gso_segment(skb, features);
	ASSERT_FALSE(IS_ERR_OR_NULL(segs));
	ASSERT_EQ(segments_fit(segs, 1040), 30);
	ASSERT_EQ(segs->ip_summed, CHECKSUM_PARTIAL); /* IP_CSUM is still on */
	free_list(segs);
	consume_skb(skb);
	free_netdev(dev);
}

/* ---- R-TX-9 ---- */

/* The feature each gso_type bit needs, written out independently. */
static bool expect_gso_ok(unsigned int type, netdev_features_t f)
{
	if ((type & SKB_GSO_TCPV4) && !(f & NETIF_F_TSO))
		return false;
	if ((type & SKB_GSO_TCPV6) && !(f & NETIF_F_TSO6))
		return false;
	if ((type & SKB_GSO_UDP_L4) && !(f & NETIF_F_GSO_UDP_L4))
		return false;
	if ((type & SKB_GSO_DODGY) && !(f & NETIF_F_GSO_ROBUST))
		return false;
	if ((type & SKB_GSO_TCP_ECN) && !(f & NETIF_F_TSO_ECN))
		return false;
	if ((type & SKB_GSO_TCP_FIXEDID) && !(f & NETIF_F_TSO_MANGLEID))
		return false;
	return true;
}

TEST(r_tx_9_netif_needs_gso_truth_table)
{
	static const unsigned int types[] = {
	    SKB_GSO_TCPV4,
	    SKB_GSO_TCPV6,
	    SKB_GSO_UDP_L4,
	    SKB_GSO_TCPV4 | SKB_GSO_DODGY,
	    SKB_GSO_TCPV4 | SKB_GSO_TCP_ECN,
	    SKB_GSO_TCPV6 | SKB_GSO_TCP_FIXEDID,
	};
	static const netdev_features_t feats[] = {
	    0,
	    NETIF_F_TSO,
	    NETIF_F_TSO6,
	    NETIF_F_GSO_UDP_L4,
	    NETIF_F_TSO | NETIF_F_GSO_ROBUST,
	    NETIF_F_TSO | NETIF_F_TSO_ECN,
	    NETIF_F_TSO6 | NETIF_F_TSO_MANGLEID,
	    NETIF_F_GSO_SOFTWARE | NETIF_F_GSO_ROBUST,
	    NETIF_F_HW_CSUM | NETIF_F_SG,
	};
	static const u8 summed[] = {CHECKSUM_NONE, CHECKSUM_UNNECESSARY, CHECKSUM_COMPLETE,
				    CHECKSUM_PARTIAL};
	struct sk_buff *skb = alloc_skb(64, GFP_KERNEL);
	int checked = 0;

	for (size_t t = 0; t < ARRAY_SIZE(types); t++)
		for (size_t f = 0; f < ARRAY_SIZE(feats); f++)
			for (size_t c = 0; c < ARRAY_SIZE(summed); c++) {
				bool csum_ok = summed[c] == CHECKSUM_PARTIAL ||
					       summed[c] == CHECKSUM_UNNECESSARY;

				skb->ip_summed = summed[c];
				skb_shinfo(skb)->gso_type = types[t];
				skb_shinfo(skb)->gso_size = 0; /* not GSO: never */
				ASSERT_FALSE(netif_needs_gso(skb, feats[f]));
				skb_shinfo(skb)->gso_size = 1448;
				ASSERT_EQ(netif_needs_gso(skb, feats[f]),
					  !expect_gso_ok(types[t], feats[f]) || !csum_ok);
				checked++;
			}
	ASSERT_EQ(checked, 6 * 9 * 4);
	/* A gso_type bit nobody knows can never be offloaded. */
	skb->ip_summed = CHECKSUM_PARTIAL;
	skb_shinfo(skb)->gso_type = SKB_GSO_TCPV4 | (1u << 30);
	ASSERT_TRUE(netif_needs_gso(skb, ~(netdev_features_t)0));
	skb_shinfo(skb)->gso_size = 0;
	consume_skb(skb);
}

TEST(r_tx_9_dispatch_ipv4_ipv6_tcp_udp)
{
	static const int vers[] = {4, 6};
	static const u8 protos[] = {IPPROTO_TCP, IPPROTO_UDP};

	for (size_t v = 0; v < 2; v++)
		for (size_t p = 0; p < 2; p++) {
			struct sk_buff *skb = gso_skb(vers[v], protos[p], 10000, 1200), *segs;
			unsigned int hdr = (unsigned int)skb_transport_offset(skb) +
					   (protos[p] == IPPROTO_TCP ? 20 : 8);
			unsigned int n = 0, total = 0;

			segs = skb_gso_segment(skb, 0);
			ASSERT_FALSE(IS_ERR_OR_NULL(segs));
			for (struct sk_buff *s = segs; s; s = s->next, n++) {
				ASSERT_LE(s->len - hdr, 1200); /* L4 payload <= gso_size */
				total += s->len - hdr;
			}
			ASSERT_EQ(n, 9);
			ASSERT_EQ(total, 10000);
			/* The caller frees the original and keeps the list. */
			consume_skb(skb);
			free_list(segs);
			ASSERT_EQ(skb_live_count(), 0);
		}
}

TEST(r_tx_9_unknown_protocol_is_eprotonosupport)
{
	struct sk_buff *skb = gso_skb(4, IPPROTO_TCP, 5000, 1000), *segs;

	skb->protocol = htons(ETH_P_ARP);
	segs = skb_gso_segment(skb, 0);
	ASSERT_TRUE(IS_ERR(segs));
	ASSERT_EQ(PTR_ERR(segs), -EPROTONOSUPPORT);
	kfree_skb(skb); /* on error the caller drops the original */

	skb = gso_skb(6, IPPROTO_TCP, 5000, 1000);
	ipv6_hdr(skb)->nexthdr = 132; /* SCTP: no offload here */
	ASSERT_EQ(PTR_ERR(skb_gso_segment(skb, 0)), -EPROTONOSUPPORT);
	kfree_skb(skb);
	ASSERT_EQ(skb_live_count(), 0);
}
