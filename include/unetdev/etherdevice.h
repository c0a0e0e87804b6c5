/* SPDX-License-Identifier: MIT */
/* Ethernet devices (kernel linux/etherdevice.h, net/ethernet/eth.c). */
#ifndef UNETDEV_ETHERDEVICE_H
#define UNETDEV_ETHERDEVICE_H

#include <unetdev/netdevice.h>

#define ether_setup	   unetdev_ether_setup
#define alloc_etherdev_mqs unetdev_alloc_etherdev_mqs
#define eth_type_trans	   unetdev_eth_type_trans
#define eth_hw_addr_random unetdev_eth_hw_addr_random
#define eth_mac_addr	   unetdev_eth_mac_addr
#define eth_validate_addr  unetdev_eth_validate_addr
#define eth_change_mtu	   unetdev_eth_change_mtu

/** ether_setup - Ethernet defaults (R-ALLOC-16). */
UNETDEV_API void ether_setup(struct net_device *dev);
/** alloc_etherdev_mqs - "eth%d", ether_setup (R-ALLOC-1). */
UNETDEV_API struct net_device *alloc_etherdev_mqs(int sizeof_priv, unsigned int txqs,
						  unsigned int rxqs);
#define alloc_etherdev(sizeof_priv)	      alloc_etherdev_mqs(sizeof_priv, 1, 1)
#define alloc_etherdev_mq(sizeof_priv, count) alloc_etherdev_mqs(sizeof_priv, count, count)
/** eth_type_trans - set pkt_type, pull the header, return the protocol. */
UNETDEV_API __be16 eth_type_trans(struct sk_buff *skb, struct net_device *dev);
/** eth_hw_addr_random - a random locally administered unicast address. */
UNETDEV_API void eth_hw_addr_random(struct net_device *dev);
/** eth_mac_addr - a generic ndo_set_mac_address for Ethernet. */
UNETDEV_API int eth_mac_addr(struct net_device *dev, void *p);
/** eth_validate_addr - -EADDRNOTAVAIL unless dev_addr is a valid unicast address. */
UNETDEV_API int eth_validate_addr(struct net_device *dev);
/** eth_change_mtu - the 2013 driver-side check, 68..1500 (R-MTU-12). */
UNETDEV_API int eth_change_mtu(struct net_device *dev, int new_mtu);

static inline bool is_zero_ether_addr(const u8 *a)
{
	return !(a[0] | a[1] | a[2] | a[3] | a[4] | a[5]);
}
static inline bool is_multicast_ether_addr(const u8 *a)
{
	return a[0] & 0x01;
}
static inline bool is_broadcast_ether_addr(const u8 *a)
{
	return (a[0] & a[1] & a[2] & a[3] & a[4] & a[5]) == 0xff;
}
static inline bool is_unicast_ether_addr(const u8 *a)
{
	return !is_multicast_ether_addr(a);
}
static inline bool is_valid_ether_addr(const u8 *a)
{
	return !is_multicast_ether_addr(a) && !is_zero_ether_addr(a);
}
static inline bool ether_addr_equal(const u8 *a, const u8 *b)
{
	return !memcmp(a, b, ETH_ALEN);
}
static inline void ether_addr_copy(u8 *dst, const u8 *src)
{
	memcpy(dst, src, ETH_ALEN);
}
static inline void eth_hw_addr_set(struct net_device *dev, const u8 *addr)
{
	dev_addr_set(dev, addr);
}
static inline void eth_broadcast_addr(u8 *addr)
{
	memset(addr, 0xff, ETH_ALEN);
}

#endif
