// SPDX-License-Identifier: MIT
/*
 * eth.c - Ethernet helpers (kernel net/ethernet/eth.c, linux/etherdevice.h):
 * ether_setup, alloc_etherdev_mqs, eth_type_trans, eth_hw_addr_random,
 * eth_mac_addr, eth_validate_addr and the 2013 eth_change_mtu.
 * Rules R-ALLOC-1, R-ALLOC-16, R-K-5, R-MTU-12.
 */
#include <arpa/inet.h>
#include <sys/random.h>

#include "internal.h"

/* R-ALLOC-16: exactly the fields the kernel's ether_setup() sets. */
void ether_setup(struct net_device *dev)
{
	dev->type = ARPHRD_ETHER;
	dev->hard_header_len = ETH_HLEN;
	dev->min_header_len = ETH_HLEN;
	dev->mtu = ETH_DATA_LEN;
	dev->min_mtu = ETH_MIN_MTU;
	dev->max_mtu = ETH_DATA_LEN;
	dev->addr_len = ETH_ALEN;
	dev->tx_queue_len = DEFAULT_TX_QUEUE_LEN;
	dev->flags = IFF_BROADCAST | IFF_MULTICAST;
	dev->priv_flags |= IFF_TX_SKB_SHARING;
	eth_broadcast_addr(dev->broadcast);
}

/* R-ALLOC-1: "eth%d", units picked at registration (R-REG-3). */
struct net_device *alloc_etherdev_mqs(int sizeof_priv, unsigned int txqs, unsigned int rxqs)
{
	return alloc_netdev_mqs(sizeof_priv, "eth%d", NET_NAME_ENUM, ether_setup, txqs, rxqs);
}

/* eth_skb_pkt_type: PACKET_HOST stays when the frame is for our address. */
static void eth_skb_pkt_type(struct sk_buff *skb, const struct net_device *dev,
			     const struct ethhdr *eth)
{
	if (likely(ether_addr_equal(eth->h_dest, dev->dev_addr)))
		return;
	if (is_multicast_ether_addr(eth->h_dest)) {
		if (ether_addr_equal(eth->h_dest, dev->broadcast))
			skb->pkt_type = PACKET_BROADCAST;
		else
			skb->pkt_type = PACKET_MULTICAST;
	} else {
		skb->pkt_type = PACKET_OTHERHOST;
	}
}

/*
 * eth_type_trans - set skb->dev, the MAC header and pkt_type, pull the
 * Ethernet header and return the protocol (network byte order). A type
 * field below 0x0600 is an 802.3 length: the payload is then raw 802.3
 * (Novell's 0xFFFF marker) or 802.2 LLC.
 */
__be16 eth_type_trans(struct sk_buff *skb, struct net_device *dev)
{
	const struct ethhdr *eth;
	const unsigned char *sap;

	skb->dev = dev;
	skb_reset_mac_header(skb);
	eth = (const struct ethhdr *)skb->data;
	if (unlikely(skb->len < ETH_HLEN))
		return 0; /* runt: left unpulled; the receive path drops it (rx.c rx_is_runt) */
	skb_pull(skb, ETH_HLEN);
	eth_skb_pkt_type(skb, dev, eth);

	if (likely(ntohs(eth->h_proto) >= ETH_P_802_3_MIN))
		return eth->h_proto;
	sap = skb->data;
	if (skb_headlen(skb) >= 2 && sap[0] == 0xFF && sap[1] == 0xFF)
		return htons(ETH_P_802_3);
	return htons(ETH_P_802_2);
}

/* eth_random_addr: random, unicast, locally administered (IEEE 802). */
static void eth_random_addr(u8 *addr)
{
	size_t got = 0;

	while (got < ETH_ALEN) {
		ssize_t n = getrandom(addr + got, ETH_ALEN - got, 0);

		if (n > 0)
			got += (size_t)n;
	}
	addr[0] &= 0xfe; /* clear the multicast bit */
	addr[0] |= 0x02; /* set the local assignment bit */
}

void eth_hw_addr_random(struct net_device *dev)
{
	u8 addr[ETH_ALEN];

	eth_random_addr(addr);
	dev_addr_set(dev, addr);
	dev->addr_assign_type = NET_ADDR_RANDOM;
}

/* eth_prepare_mac_addr_change + eth_commit_mac_addr_change. @p: struct sockaddr_hw. */
int eth_mac_addr(struct net_device *dev, void *p)
{
	const struct sockaddr_hw *addr = p;

	if (!(dev->priv_flags & IFF_LIVE_ADDR_CHANGE) && netif_running(dev))
		return -EBUSY;
	if (!is_valid_ether_addr(addr->sa_data))
		return -EADDRNOTAVAIL;
	eth_hw_addr_set(dev, addr->sa_data);
	return 0;
}

int eth_validate_addr(struct net_device *dev)
{
	if (!is_valid_ether_addr(dev->dev_addr))
		return -EADDRNOTAVAIL;
	return 0;
}

/* R-MTU-12: the 2013 driver-side range check, before the central min/max. */
int eth_change_mtu(struct net_device *dev, int new_mtu)
{
	if (new_mtu < ETH_MIN_MTU || new_mtu > ETH_DATA_LEN)
		return -EINVAL;
	WRITE_ONCE(dev->mtu, (unsigned int)new_mtu);
	return 0;
}
