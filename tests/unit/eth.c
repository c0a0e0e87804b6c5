// SPDX-License-Identifier: MIT
/*
 * Unit: the Ethernet helpers of eth.c (kernel net/ethernet/eth.c):
 * alloc_etherdev, eth_type_trans, eth_hw_addr_random, eth_mac_addr,
 * eth_validate_addr, eth_change_mtu.
 */
#include <arpa/inet.h>
#include <unetdev/unetdev.h>

#include "harness.h"

static const u8 HOST[ETH_ALEN] = {0x02, 0x11, 0x22, 0x33, 0x44, 0x55};
static const u8 OTHER[ETH_ALEN] = {0x02, 0x66, 0x77, 0x88, 0x99, 0xaa};
static const u8 MCAST[ETH_ALEN] = {0x01, 0x00, 0x5e, 0x00, 0x00, 0x01};
static const u8 BCAST[ETH_ALEN] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff};

static struct net_device *eth_new(void)
{
	struct net_device *dev = alloc_etherdev(0);

	ASSERT_NOT_NULL(dev);
	eth_hw_addr_set(dev, HOST);
	return dev;
}

/* A frame to @dst with type/length field @proto and @payload bytes of 0xff. */
static struct sk_buff *frame(const u8 *dst, u16 proto, unsigned int payload)
{
	struct sk_buff *skb = alloc_skb(ETH_HLEN + payload + 16, GFP_KERNEL);
	struct ethhdr eh;

	ASSERT_NOT_NULL(skb);
	memcpy(eh.h_dest, dst, ETH_ALEN);
	memcpy(eh.h_source, OTHER, ETH_ALEN);
	eh.h_proto = htons(proto);
	skb_put_data(skb, &eh, sizeof(eh));
	memset(skb_put(skb, payload), 0xff, payload);
	return skb;
}

TEST(alloc_etherdev_uses_eth_template_and_ether_setup)
{
	struct net_device *dev = alloc_etherdev_mqs(0, 4, 2);

	ASSERT_NOT_NULL(dev);
	ASSERT_STR_EQ(dev->name, "eth%d");
	ASSERT_EQ(dev->name_assign_type, NET_NAME_ENUM);
	ASSERT_EQ(dev->num_tx_queues, 4);
	ASSERT_EQ(dev->num_rx_queues, 2);
	ASSERT_EQ(dev->type, ARPHRD_ETHER);
	ASSERT_EQ(dev->addr_len, ETH_ALEN);
	ASSERT_EQ(dev->max_mtu, ETH_DATA_LEN);
	ASSERT_TRUE(dev->priv_flags & IFF_TX_SKB_SHARING);
	ASSERT_TRUE(is_broadcast_ether_addr(dev->broadcast));
	free_netdev(dev);
}

TEST(eth_type_trans_sets_pkt_type_and_pulls_header)
{
	struct net_device *dev = eth_new();
	const struct {
		const u8 *dst;
		u8 pkt_type;
	} cases[] = {
	    {HOST, PACKET_HOST},
	    {BCAST, PACKET_BROADCAST},
	    {MCAST, PACKET_MULTICAST},
	    {OTHER, PACKET_OTHERHOST},
	};

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		struct sk_buff *skb = frame(cases[i].dst, ETH_P_IP, 46);
		unsigned char *start = skb->data;

		ASSERT_EQ(eth_type_trans(skb, dev), htons(ETH_P_IP));
		ASSERT_EQ(skb->pkt_type, cases[i].pkt_type);
		ASSERT_PTR_EQ(skb->dev, dev);
		ASSERT_PTR_EQ(skb_mac_header(skb), start);
		ASSERT_PTR_EQ(skb->data, start + ETH_HLEN);
		ASSERT_EQ(skb->len, 46);
		kfree_skb(skb);
	}
	free_netdev(dev);
}

TEST(eth_type_trans_8023_length_field)
{
	struct net_device *dev = eth_new();
	struct sk_buff *skb;

	/* A length (< 0x0600) followed by an LLC header: 802.2. */
	skb = frame(HOST, 46, 46);
	skb->data[ETH_HLEN] = 0x42;
	ASSERT_EQ(eth_type_trans(skb, dev), htons(ETH_P_802_2));
	kfree_skb(skb);
	/* Novell raw 802.3: the payload starts with 0xFFFF. */
	skb = frame(HOST, 46, 46);
	ASSERT_EQ(eth_type_trans(skb, dev), htons(ETH_P_802_3));
	kfree_skb(skb);
	free_netdev(dev);
}

TEST(eth_hw_addr_random_is_local_unicast)
{
	struct net_device *dev = alloc_etherdev(0);

	ASSERT_NOT_NULL(dev);
	eth_hw_addr_random(dev);
	ASSERT_EQ(dev->addr_assign_type, NET_ADDR_RANDOM);
	ASSERT_TRUE(is_valid_ether_addr(dev->dev_addr));
	ASSERT_TRUE(dev->dev_addr[0] & 0x02); /* locally administered */
	ASSERT_EQ(eth_validate_addr(dev), 0);
	free_netdev(dev);
}

TEST(eth_validate_addr_rejects_zero_and_multicast)
{
	struct net_device *dev = alloc_etherdev(0);

	ASSERT_NOT_NULL(dev);
	ASSERT_EQ(eth_validate_addr(dev), -EADDRNOTAVAIL); /* all zero */
	eth_hw_addr_set(dev, MCAST);
	ASSERT_EQ(eth_validate_addr(dev), -EADDRNOTAVAIL);
	eth_hw_addr_set(dev, HOST);
	ASSERT_EQ(eth_validate_addr(dev), 0);
	free_netdev(dev);
}

TEST(eth_mac_addr_checks_address_and_liveness)
{
	struct net_device *dev = eth_new();
	struct sockaddr_hw sa = {.sa_family = ARPHRD_ETHER};

	memcpy(sa.sa_data, MCAST, ETH_ALEN);
	ASSERT_EQ(eth_mac_addr(dev, &sa), -EADDRNOTAVAIL);
	memcpy(sa.sa_data, OTHER, ETH_ALEN);
	ASSERT_EQ(eth_mac_addr(dev, &sa), 0);
	ASSERT_MEM_EQ(dev->dev_addr, OTHER, ETH_ALEN);

	set_bit(__LINK_STATE_START, &dev->state); /* as if running */
	memcpy(sa.sa_data, HOST, ETH_ALEN);
	ASSERT_EQ(eth_mac_addr(dev, &sa), -EBUSY);
	dev->priv_flags |= IFF_LIVE_ADDR_CHANGE;
	ASSERT_EQ(eth_mac_addr(dev, &sa), 0);
	ASSERT_MEM_EQ(dev->dev_addr, HOST, ETH_ALEN);
	clear_bit(__LINK_STATE_START, &dev->state);
	free_netdev(dev);
}

TEST(eth_change_mtu_2013_range)
{
	struct net_device *dev = alloc_etherdev(0);

	ASSERT_NOT_NULL(dev);
	ASSERT_EQ(eth_change_mtu(dev, 67), -EINVAL);
	ASSERT_EQ(eth_change_mtu(dev, 1501), -EINVAL);
	ASSERT_EQ(dev->mtu, 1500);
	ASSERT_EQ(eth_change_mtu(dev, 68), 0);
	ASSERT_EQ(dev->mtu, 68);
	free_netdev(dev);
}
