// SPDX-License-Identifier: MIT
/*
 * Unit: the bridge's features follow its ports (br_features_recompute in
 * the kernel's br_if.c, with net/core/dev.c's netdev_increment_features),
 * and a GSO skb the host sends on the bridge reaches a port whole.
 *
 *   a0 ==veth== b0 --+
 *                     br0      b0/b1: ports; a0: the host behind b0
 *   a1 ==veth== b1 --+
 */
#include <unetdev/gso.h>
#include <unetdev/if_bridge.h>
#include <unetdev/skbuff_hdr.h>
#include <unetdev/unetdev.h>
#include <unistd.h>

#include "harness.h"

static int set_master(struct net_device *dev, struct net_device *master)
{
	int err;

	rtnl_lock();
	err = unetdev_dev_set_master(dev, master ? master->ifindex : 0, NULL);
	rtnl_unlock();
	return err;
}

/* `ethtool -K DEV FEATURE on|off`: wanted_features, then netdev_update_features(). */
static void set_wanted(struct net_device *dev, netdev_features_t f, bool on)
{
	rtnl_lock();
	if (on)
		dev->wanted_features |= f;
	else
		dev->wanted_features &= ~f;
	netdev_update_features(dev);
	rtnl_unlock();
}

static bool has(const struct net_device *dev, netdev_features_t f)
{
	return (READ_ONCE(dev->features) & f) == f;
}

TEST(bridge_features_follow_its_ports)
{
	struct net_device *br, *a0, *b0, *a1, *b1;

	ASSERT_EQ(unetdev_bridge_create(NULL, "br0", &br), 0);
	ASSERT_EQ(unetdev_veth_create(NULL, "a0", "b0", &a0, &b0), 0);
	ASSERT_EQ(unetdev_veth_create(NULL, "a1", "b1", &a1, &b1), 0);
	/* without ports: the bridge's own (br_dev_setup) */
	ASSERT_TRUE(has(br, NETIF_F_SG | NETIF_F_HW_CSUM | NETIF_F_TSO | NETIF_F_TSO6));
	ASSERT_EQ(set_master(b0, br), 0);
	ASSERT_TRUE(has(br, NETIF_F_SG | NETIF_F_HW_CSUM | NETIF_F_TSO | NETIF_F_TSO6 |
				NETIF_F_GSO_UDP_L4));
	/* the only port loses SG (NETDEV_FEAT_CHANGE): so does the bridge; TSO stays,
	 * since a port segments in software what it cannot (netdev_add_tso_features) */
	set_wanted(b0, NETIF_F_SG, false);
	ASSERT_FALSE(has(b0, NETIF_F_SG));
	ASSERT_FALSE(has(br, NETIF_F_SG));
	ASSERT_TRUE(has(br, NETIF_F_TSO | NETIF_F_HW_CSUM));
	/* one port with SG is enough (NETIF_F_ONE_FOR_ALL) */
	ASSERT_EQ(set_master(b1, br), 0);
	ASSERT_TRUE(has(br, NETIF_F_SG));
	ASSERT_EQ(set_master(b1, NULL), 0); /* br_del_if recomputes */
	ASSERT_FALSE(has(br, NETIF_F_SG));
	set_wanted(b0, NETIF_F_SG, true);
	ASSERT_TRUE(has(br, NETIF_F_SG));
	unregister_netdev(br);
	unregister_netdev(a0);
	unregister_netdev(a1);
}

/* A TCP GSO frame of @payload bytes from @src to @dst. */
static struct sk_buff *tcp_gso_frame(struct net_device *dev, const u8 *src, const u8 *dst,
				     unsigned int payload, unsigned int mss)
{
	unsigned int len = ETH_HLEN + sizeof(struct iphdr) + sizeof(struct tcphdr) + payload;
	struct sk_buff *skb = alloc_skb(NET_SKB_PAD + 2 + len, GFP_KERNEL);
	struct ethhdr *eth;

	ASSERT_NOT_NULL(skb);
	skb_reserve(skb, NET_SKB_PAD + 2);
	skb_reset_mac_header(skb);
	eth = skb_put(skb, len);
	memset(eth, 0, len);
	memcpy(eth->h_dest, dst, ETH_ALEN);
	memcpy(eth->h_source, src, ETH_ALEN);
	eth->h_proto = htons(ETH_P_IP);
	skb->protocol = eth->h_proto;
	skb->dev = dev;
	skb_set_network_header(skb, ETH_HLEN);
	skb_set_transport_header(skb, ETH_HLEN + (int)sizeof(struct iphdr));
	ip_hdr(skb)->version = 4;
	ip_hdr(skb)->ihl = 5;
	ip_hdr(skb)->ttl = 64;
	ip_hdr(skb)->protocol = IPPROTO_TCP;
	ip_hdr(skb)->tot_len = htons((u16)(len - ETH_HLEN));
	tcp_hdr(skb)->doff = 5;
	skb->ip_summed = CHECKSUM_PARTIAL;
	skb->csum_start = skb->transport_header;
	skb->csum_offset = 16;
	skb_shinfo(skb)->gso_size = (u16)mss;
	skb_shinfo(skb)->gso_segs = (u16)DIV_ROUND_UP(payload, mss);
	skb_shinfo(skb)->gso_type = SKB_GSO_TCPV4;
	return skb;
}

static int rx_frames, rx_gso;
static unsigned int rx_len;

static int count_rcv(struct sk_buff *skb, struct net_device *dev, struct packet_type *pt,
		     struct net_device *orig_dev)
{
	__atomic_store_n(&rx_len, skb->len, __ATOMIC_RELAXED);
	if (skb_is_gso(skb))
		__atomic_fetch_add(&rx_gso, 1, __ATOMIC_RELAXED);
	__atomic_fetch_add(&rx_frames, 1, __ATOMIC_RELAXED);
	consume_skb(skb);
	return NET_RX_SUCCESS;
}

TEST(bridge_xmit_passes_a_gso_skb_to_a_tso_port_whole)
{
	struct packet_type pt = {.type = htons(ETH_P_IP), .func = count_rcv};
	const unsigned int payload = 20 * 1448;
	struct net_device *br, *a0, *b0;

	ASSERT_EQ(unetdev_bridge_create(NULL, "br0", &br), 0);
	ASSERT_EQ(unetdev_veth_create(NULL, "a0", "b0", &a0, &b0), 0);
	ASSERT_EQ(set_master(b0, br), 0);
	rtnl_lock();
	ASSERT_EQ(dev_open(a0, NULL), 0);
	ASSERT_EQ(dev_open(b0, NULL), 0);
	ASSERT_EQ(dev_open(br, NULL), 0);
	rtnl_unlock();
	linkwatch_run_queue();
	rtnl_lock();
	ASSERT_EQ(unetdev_br_port_state(b0), BR_STATE_FORWARDING);
	rtnl_unlock();
	pt.dev = a0;
	dev_add_pack(&pt);
	/* to a0, not learned yet: flooded to b0 by br_dev_xmit */
	ASSERT_EQ(dev_queue_xmit(tcp_gso_frame(br, br->dev_addr, a0->dev_addr, payload, 1448)), 0);
	for (int i = 0; i < 5000 && __atomic_load_n(&rx_frames, __ATOMIC_RELAXED) < 1; i++)
		usleep(1000); /* synchronous without engine threads: a slow-machine guard */
	ASSERT_EQ(__atomic_load_n(&rx_frames, __ATOMIC_RELAXED), 1); /* not 20 segments */
	ASSERT_EQ(__atomic_load_n(&rx_gso, __ATOMIC_RELAXED), 1);
	ASSERT_EQ(__atomic_load_n(&rx_len, __ATOMIC_RELAXED),
		  sizeof(struct iphdr) + sizeof(struct tcphdr) + payload);
	dev_remove_pack(&pt);
	unregister_netdev(br);
	unregister_netdev(a0);
}
