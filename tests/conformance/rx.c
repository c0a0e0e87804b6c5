// SPDX-License-Identifier: MIT
/*
 * Conformance: the receive core (R-RX-1/2/5/6/7, R-STAT-5, R-MTU-2) and bad
 * input: runt frames, oversize frames, truncated VLAN headers, unknown
 * ethertypes. rx_basic.c covers taps, rx_handler results and R-RX-9.
 */
#include <arpa/inet.h>
#include <unetdev/engine.h>
#include <unetdev/if_vlan.h>
#include <unetdev/unetdev.h>

#include "harness.h"
#include "netdev_util.h"

#define MAX_LOG 16
static struct {
	char who[12];
	int users;
	u8 pkt_type;
	bool vlan_present;
	u16 vlan_tci;
	__be16 protocol;
	unsigned int len;
	int iif;
	struct net_device *dev, *orig;
	unsigned char first;
} seen[MAX_LOG];
static int nseen;

static void record(const char *who, struct sk_buff *skb, struct net_device *orig)
{
	if (nseen >= MAX_LOG)
		return;
	snprintf(seen[nseen].who, sizeof(seen[0].who), "%s", who);
	seen[nseen].users = skb->users;
	seen[nseen].pkt_type = skb->pkt_type;
	seen[nseen].vlan_present = skb_vlan_tag_present(skb);
	seen[nseen].vlan_tci = skb->vlan_tci;
	seen[nseen].protocol = skb->protocol;
	seen[nseen].len = skb->len;
	seen[nseen].iif = skb->skb_iif;
	seen[nseen].dev = skb->dev;
	seen[nseen].orig = orig;
	seen[nseen].first = skb->len ? skb->data[0] : 0;
	nseen++;
}

static int h_tap(struct sk_buff *skb, struct net_device *dev, struct packet_type *pt,
		 struct net_device *orig)
{
	record("tap", skb, orig);
	kfree_skb(skb);
	return NET_RX_SUCCESS;
}

static int h_proto(struct sk_buff *skb, struct net_device *dev, struct packet_type *pt,
		   struct net_device *orig)
{
	record(pt->af_packet_priv ? (const char *)pt->af_packet_priv : "proto", skb, orig);
	consume_skb(skb);
	return NET_RX_SUCCESS;
}

static struct net_device *mkdev(const char *name)
{
	struct net_device *dev = tu_null_up(name);

	nseen = 0;
	return dev;
}

/* An Ethernet frame: header (type @proto) + @plen bytes of 0x45.. payload. */
static struct sk_buff *frame(struct net_device *dev, u16 proto, const void *extra,
			     unsigned int elen, unsigned int plen)
{
	struct sk_buff *skb = netdev_alloc_skb(dev, 14 + elen + plen);
	struct ethhdr *eth = skb_put(skb, ETH_HLEN);

	memcpy(eth->h_dest, dev->dev_addr, ETH_ALEN);
	memset(eth->h_source, 0x02, ETH_ALEN);
	eth->h_proto = htons(proto);
	if (elen)
		skb_put_data(skb, extra, elen);
	memset(skb_put(skb, plen), 0x45, plen);
	skb->protocol = eth_type_trans(skb, dev);
	return skb;
}

/* 802.1Q tag TCI @tci carrying @inner. */
static struct sk_buff *tagged(struct net_device *dev, u16 tci, u16 inner, unsigned int plen)
{
	struct vlan_hdr vh = {htons(tci), htons(inner)};

	return frame(dev, ETH_P_8021Q, &vh, sizeof(vh), plen);
}

TEST(r_rx_1_receive_skb_is_synchronous)
{
	struct net_device *dev = mkdev("rx1");
	struct packet_type ip = {.type = htons(ETH_P_IP), .func = h_proto};

	dev_add_pack(&ip);
	ASSERT_EQ(netif_receive_skb(frame(dev, ETH_P_IP, NULL, 0, 46)), NET_RX_SUCCESS);
	ASSERT_EQ(nseen, 1); /* no RPS: delivered before the call returns */
	ASSERT_EQ(netif_receive_skb(NULL), NET_RX_DROP);
	dev_remove_pack(&ip);
	unregister_netdev(dev);
}

TEST(r_rx_1_receive_skb_list_in_order)
{
	struct net_device *dev = mkdev("rx1l");
	struct packet_type ip = {.type = htons(ETH_P_IP), .func = h_proto};
	LIST_HEAD(list);

	dev_add_pack(&ip);
	for (unsigned int i = 0; i < 5; i++)
		list_add_tail(&frame(dev, ETH_P_IP, NULL, 0, 46 + i)->list, &list);
	netif_receive_skb_list(&list);
	ASSERT_TRUE(list_empty(&list));
	ASSERT_EQ(nseen, 5);
	for (int i = 0; i < 5; i++)
		ASSERT_EQ(seen[i].len, 46 + i);
	dev_remove_pack(&ip);
	unregister_netdev(dev);
}

TEST(r_rx_2_skb_iif_and_processed)
{
	struct net_device *dev = mkdev("rx2");
	struct packet_type ip = {.type = htons(ETH_P_IP), .func = h_proto};
	struct unetdev_softnet_stat a, b;

	dev_add_pack(&ip);
	unetdev_softnet_stat(&a);
	netif_receive_skb(frame(dev, ETH_P_IP, NULL, 0, 46));
	unetdev_softnet_stat(&b);
	ASSERT_EQ(b.processed - a.processed, 1);
	ASSERT_EQ(seen[0].iif, dev->ifindex);
	dev_remove_pack(&ip);
	unregister_netdev(dev);
}

TEST(r_rx_2_vlan_tag_pulled_before_taps)
{
	struct net_device *dev = mkdev("rx2v");
	struct packet_type tap = {.type = htons(ETH_P_ALL), .dev = dev, .func = h_tap};
	struct packet_type ip = {.type = htons(ETH_P_IP), .func = h_proto};

	dev_add_pack(&tap);
	dev_add_pack(&ip);
	/* A priority tag (VID 0, PCP 5) over IPv4. */
	ASSERT_EQ(netif_receive_skb(tagged(dev, 5u << VLAN_PRIO_SHIFT, ETH_P_IP, 46)),
		  NET_RX_SUCCESS);
	ASSERT_EQ(nseen, 2);
	ASSERT_STR_EQ(seen[0].who, "tap");
	ASSERT_TRUE(seen[0].vlan_present); /* taps see the tag as metadata */
	ASSERT_EQ(seen[0].vlan_tci, 5u << VLAN_PRIO_SHIFT);
	ASSERT_EQ(seen[0].protocol, htons(ETH_P_IP));
	ASSERT_EQ(seen[0].len, 46);
	ASSERT_EQ(seen[0].first, 0x45);
	ASSERT_STR_EQ(seen[1].who, "proto");
	ASSERT_FALSE(seen[1].vlan_present); /* R-RX-5: cleared before protocol delivery */
	ASSERT_EQ(seen[1].pkt_type, PACKET_HOST);
	dev_remove_pack(&ip);
	dev_remove_pack(&tap);
	unregister_netdev(dev);
}

TEST(r_rx_5_vid_without_device_is_otherhost)
{
	struct net_device *dev = mkdev("rx5");
	struct packet_type ip = {.type = htons(ETH_P_IP), .func = h_proto};

	dev_add_pack(&ip);
	netif_receive_skb(tagged(dev, 100, ETH_P_IP, 46));
	ASSERT_EQ(nseen, 1);
	ASSERT_EQ(seen[0].pkt_type, PACKET_OTHERHOST);
	ASSERT_FALSE(seen[0].vlan_present);
	dev_remove_pack(&ip);
	unregister_netdev(dev);
}

TEST(r_rx_5_vid0_over_inner_tag_is_stripped)
{
	struct net_device *dev = mkdev("rx5i");
	struct packet_type ip = {.type = htons(ETH_P_IP), .func = h_proto};
	struct vlan_hdr two[2] = {{htons(0), htons(ETH_P_8021Q)}, {htons(7), htons(ETH_P_IP)}};

	dev_add_pack(&ip);
	netif_receive_skb(frame(dev, ETH_P_8021AD, two, sizeof(two), 46));
	ASSERT_EQ(nseen, 1);
	ASSERT_EQ(seen[0].protocol, htons(ETH_P_IP));
	ASSERT_EQ(seen[0].pkt_type, PACKET_OTHERHOST); /* inner VID 7: no device */
	ASSERT_EQ(seen[0].len, 46);
	dev_remove_pack(&ip);
	unregister_netdev(dev);
}

TEST(r_rx_5_hwaccel_tag_vid0_delivered_to_host)
{
	struct net_device *dev = mkdev("rx5h");
	struct packet_type ip = {.type = htons(ETH_P_IP), .func = h_proto};
	struct sk_buff *skb;

	dev_add_pack(&ip);
	skb = frame(dev, ETH_P_IP, NULL, 0, 46);
	__vlan_hwaccel_put_tag(skb, htons(ETH_P_8021Q), 3u << VLAN_PRIO_SHIFT);
	netif_receive_skb(skb);
	ASSERT_EQ(nseen, 1);
	ASSERT_EQ(seen[0].pkt_type, PACKET_HOST);
	ASSERT_FALSE(seen[0].vlan_present);
	dev_remove_pack(&ip);
	unregister_netdev(dev);
}

TEST(r_rx_5_truncated_vlan_header_dropped)
{
	struct net_device *dev = mkdev("rx5t");
	struct packet_type tap = {.type = htons(ETH_P_ALL), .dev = dev, .func = h_tap};
	unsigned long vlan = skb_drop_count(SKB_DROP_REASON_VLAN);
	u8 half[2] = {0, 5};

	dev_add_pack(&tap);
	ASSERT_EQ(netif_receive_skb(frame(dev, ETH_P_8021Q, half, sizeof(half), 0)), NET_RX_DROP);
	ASSERT_EQ(netif_receive_skb(tagged(dev, 5, ETH_P_IP, 0)), NET_RX_DROP); /* 4 < 6 bytes */
	ASSERT_EQ(nseen, 0); /* dropped before the taps */
	ASSERT_EQ(skb_drop_count(SKB_DROP_REASON_VLAN), vlan + 2);
	ASSERT_EQ(tu_stats(dev).rx_dropped, 2);
	dev_remove_pack(&tap);
	unregister_netdev(dev);
}

TEST(r_rx_5_untag_moves_mac_header)
{
	struct net_device *dev = mkdev("rx5m");
	struct sk_buff *skb = tagged(dev, 9, ETH_P_IPV6, 46);
	u8 dst[ETH_ALEN];

	memcpy(dst, dev->dev_addr, ETH_ALEN);
	skb = skb_vlan_untag(skb);
	ASSERT_NOT_NULL(skb);
	ASSERT_EQ(skb->protocol, htons(ETH_P_IPV6));
	ASSERT_EQ(skb_vlan_tag_get_id(skb), 9);
	ASSERT_EQ(skb->data - skb_mac_header(skb), ETH_HLEN);
	ASSERT_MEM_EQ(skb_mac_header(skb), dst, ETH_ALEN);
	ASSERT_EQ(((struct ethhdr *)skb_mac_header(skb))->h_proto, htons(ETH_P_IPV6));
	kfree_skb(skb);
	unregister_netdev(dev);
}

/* R-RX-6: global bucket, namespace list, orig device, then skb->dev. */
static struct net_device *upper_dev;
static rx_handler_result_t to_upper(struct sk_buff **pskb)
{
	if ((*pskb)->dev == upper_dev)
		return RX_HANDLER_PASS;
	(*pskb)->dev = upper_dev;
	return RX_HANDLER_ANOTHER;
}

TEST(r_rx_6_protocol_delivery_order)
{
	struct net_device *low = mkdev("rx6l"), *up = mkdev("rx6u");
	struct packet_type g = {
	    .type = htons(ETH_P_IP), .func = h_proto, .af_packet_priv = "global"};
	struct packet_type n = {.type = htons(ETH_P_IP),
				.af_packet_net = &init_net,
				.func = h_proto,
				.af_packet_priv = "net"};
	struct packet_type o = {
	    .type = htons(ETH_P_IP), .dev = low, .func = h_proto, .af_packet_priv = "orig"};
	struct packet_type u = {
	    .type = htons(ETH_P_IP), .dev = up, .func = h_proto, .af_packet_priv = "upper"};

	dev_add_pack(&u);
	dev_add_pack(&o);
	dev_add_pack(&n);
	dev_add_pack(&g);
	upper_dev = up;
	rtnl_lock();
	ASSERT_EQ(netdev_rx_handler_register(low, to_upper, NULL), 0);
	rtnl_unlock();
	nseen = 0;
	netif_receive_skb(frame(low, ETH_P_IP, NULL, 0, 46));
	ASSERT_EQ(nseen, 4);
	ASSERT_STR_EQ(seen[0].who, "global");
	ASSERT_STR_EQ(seen[1].who, "net");
	ASSERT_STR_EQ(seen[2].who, "orig");
	ASSERT_STR_EQ(seen[3].who, "upper");
	ASSERT_EQ(seen[0].users, 2); /* one behind */
	ASSERT_EQ(seen[3].users, 1);
	for (int i = 0; i < 4; i++) {
		ASSERT_PTR_EQ(seen[i].dev, up); /* R-RX-8 */
		ASSERT_PTR_EQ(seen[i].orig, low);
	}
	rtnl_lock();
	netdev_rx_handler_unregister(low);
	rtnl_unlock();
	dev_remove_pack(&g);
	dev_remove_pack(&n);
	dev_remove_pack(&o);
	dev_remove_pack(&u);
	unregister_netdev(up);
	unregister_netdev(low);
}

TEST(r_rx_7_unknown_ethertype_dropped_and_counted)
{
	struct net_device *dev = mkdev("rx7");
	unsigned long un = skb_drop_count(SKB_DROP_REASON_UNHANDLED_PROTO);

	ASSERT_EQ(netif_rx(frame(dev, 0x88b5, NULL, 0, 46)), NET_RX_SUCCESS); /* queued fine */
	ASSERT_EQ(netif_receive_skb(frame(dev, 0x1234, NULL, 0, 46)), NET_RX_DROP);
	unetdev_cpu_run(0);
	ASSERT_EQ(tu_stats(dev).rx_dropped, 2);
	ASSERT_EQ(skb_drop_count(SKB_DROP_REASON_UNHANDLED_PROTO), un + 2);
	unregister_netdev(dev);
}

TEST(r_rx_2_runt_frames_dropped)
{
	struct net_device *dev = mkdev("rxrunt");
	struct packet_type tap = {.type = htons(ETH_P_ALL), .dev = dev, .func = h_tap};
	unsigned long small = skb_drop_count(SKB_DROP_REASON_PKT_TOO_SMALL);

	dev_add_pack(&tap);
	for (unsigned int len = 0; len < ETH_HLEN; len++) {
		struct sk_buff *skb = netdev_alloc_skb(dev, len);

		memset(skb_put(skb, len), 0x81, len); /* even an 802.1Q type byte */
		skb->protocol = eth_type_trans(skb, dev);
		ASSERT_EQ(skb->len, len); /* not pulled */
		if (len & 1)
			ASSERT_EQ(netif_receive_skb(skb), NET_RX_DROP);
		else
			ASSERT_EQ(netif_rx(skb), NET_RX_SUCCESS);
	}
	unetdev_cpu_run(0);
	ASSERT_EQ(nseen, 0);
	ASSERT_EQ(skb_drop_count(SKB_DROP_REASON_PKT_TOO_SMALL), small + ETH_HLEN);
	ASSERT_EQ(tu_stats(dev).rx_dropped, ETH_HLEN);
	dev_remove_pack(&tap);
	unregister_netdev(dev);
}

/* A driver's receive: the size check (R-MTU-2), then eth_type_trans + netif_rx. */
static int drv_rx(struct net_device *dev, unsigned int len)
{
	struct sk_buff *skb;

	if (!netdev_rx_frame_fits(dev, len))
		return NET_RX_DROP;
	skb = netdev_alloc_skb(dev, len);
	memset(skb_put(skb, len), 0, len);
	memcpy(skb->data, dev->dev_addr, ETH_ALEN);
	skb->data[12] = 0x08;
	skb->protocol = eth_type_trans(skb, dev);
	return netif_rx(skb);
}

TEST(r_mtu_2_oversize_frames_rejected_by_driver)
{
	struct net_device *dev = mkdev("rxbig");
	struct packet_type ip = {.type = htons(ETH_P_IP), .func = h_proto};

	dev_add_pack(&ip);
	ASSERT_EQ(drv_rx(dev, 1500 + 14 + 4), NET_RX_SUCCESS);
	ASSERT_EQ(drv_rx(dev, 1500 + 14 + 5), NET_RX_DROP);
	ASSERT_EQ(drv_rx(dev, 9000), NET_RX_DROP);
	ASSERT_EQ(nseen, 1);
	ASSERT_EQ(tu_stats(dev).rx_length_errors, 2);
	dev_remove_pack(&ip);
	unregister_netdev(dev);
}

TEST(r_stat_5_rx_dropped_sources)
{
	struct net_device *dev = mkdev("rxs5");
	struct rtnl_link_stats64 s;
	struct sk_buff *big;

	unetdev_sysctl_netdev_max_backlog(1);
	local_bh_disable(); /* backlog drop: a third skb exceeds "> 1" */
	for (int i = 0; i < 3; i++)
		netif_rx(frame(dev, ETH_P_ARP, NULL, 0, 46));
	local_bh_enable(); /* the 2 admitted are unhandled: 2 more */
	unetdev_cpu_run(0);
	unetdev_sysctl_netdev_max_backlog(1000);
	big = netdev_alloc_skb(dev, 2000);
	memset(skb_put(big, 2000), 0, 2000);
	ASSERT_EQ(dev_forward_skb(dev, big), NET_RX_DROP); /* not forwardable */
	s = tu_stats(dev);
	ASSERT_EQ(s.rx_dropped, 4);
	ASSERT_EQ(s.rx_nohandler, 0);
	unregister_netdev(dev);
}
