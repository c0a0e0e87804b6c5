/* SPDX-License-Identifier: MIT */
/*
 * Generic segmentation offload in software (kernel net/core/gso.c,
 * net/ipv4/af_inet.c inet_gso_segment, net/ipv6/ip6_offload.c,
 * net/ipv4/tcp_offload.c, net/ipv{4,6}/udp_offload.c) and the feature tests
 * around it (linux/netdevice.h netif_needs_gso, skb_gso_ok).
 * Rules: R-MTU-3, R-MTU-14, R-TX-9.
 */
#ifndef UNETDEV_GSO_H
#define UNETDEV_GSO_H

#include <netinet/in.h> /* htons */
#include <unetdev/err.h>
#include <unetdev/netdevice.h>
#include <unetdev/skbuff.h>

/* Every GSO feature bit: what R-MTU-14 masks off. */
#ifndef NETIF_F_GSO_MASK
#define NETIF_F_GSO_MASK                                                                           \
	(NETIF_F_ALL_TSO | NETIF_F_GSO_ROBUST | NETIF_F_GSO_PARTIAL | NETIF_F_GSO_UDP_L4)
#endif

/**
 * net_gso_ok - @features include every feature @gso_type needs (the kernel
 * shifts gso_type into the feature word; here each SKB_GSO_* bit maps to its
 * NETIF_F_* bit explicitly). An unknown gso_type bit is never ok.
 */
static inline bool net_gso_ok(netdev_features_t features, unsigned int gso_type)
{
	static const struct {
		unsigned int gso;
		netdev_features_t feature;
	} map[] = {
	    {SKB_GSO_TCPV4, NETIF_F_TSO},	{SKB_GSO_DODGY, NETIF_F_GSO_ROBUST},
	    {SKB_GSO_TCP_ECN, NETIF_F_TSO_ECN}, {SKB_GSO_TCP_FIXEDID, NETIF_F_TSO_MANGLEID},
	    {SKB_GSO_TCPV6, NETIF_F_TSO6},	{SKB_GSO_UDP_L4, NETIF_F_GSO_UDP_L4},
	};
	netdev_features_t need = 0;
	unsigned int known = 0;

	for (size_t i = 0; i < ARRAY_SIZE(map); i++) {
		known |= map[i].gso;
		if (gso_type & map[i].gso)
			need |= map[i].feature;
	}
	return !(gso_type & ~known) && (features & need) == need;
}

/** skb_gso_ok - the device can take @skb as it is (skbs here never have a frag_list). */
static inline bool skb_gso_ok(const struct sk_buff *skb, netdev_features_t features)
{
	return net_gso_ok(features, skb_shinfo(skb)->gso_type);
}

/**
 * netif_needs_gso - R-TX-9: @skb is GSO and either the device lacks the
 * features for its gso_type or its checksum is neither CHECKSUM_PARTIAL nor
 * CHECKSUM_UNNECESSARY. Context: any.
 */
static inline bool netif_needs_gso(const struct sk_buff *skb, netdev_features_t features)
{
	return skb_is_gso(skb) &&
	       (!skb_gso_ok(skb, features) || unlikely(skb->ip_summed != CHECKSUM_PARTIAL &&
						       skb->ip_summed != CHECKSUM_UNNECESSARY));
}

/** can_checksum_protocol - the device can complete a CHECKSUM_PARTIAL for L3 @protocol. */
static inline bool can_checksum_protocol(netdev_features_t features, __be16 protocol)
{
	if (features & NETIF_F_HW_CSUM)
		return true; /* can checksum everything */
	if (protocol == htons(ETH_P_IP))
		return features & NETIF_F_IP_CSUM;
	if (protocol == htons(ETH_P_IPV6))
		return features & NETIF_F_IPV6_CSUM;
	return false;
}

#define skb_gso_segment		     unetdev_skb_gso_segment
#define skb_gso_validate_network_len unetdev_skb_gso_validate_network_len
#define skb_gso_validate_mac_len     unetdev_skb_gso_validate_mac_len
#define netif_skb_gso_limits_ok	     unetdev_netif_skb_gso_limits_ok
#define netif_get_gso_max_size	     unetdev_netif_get_gso_max_size

/**
 * skb_gso_segment - split GSO @skb into packets of at most gso_size L4
 * payload bytes each (R-TX-9, R-MTU-3). @skb must be linear, with skb->data
 * at the link-layer header, network_header set and skb->protocol the L3
 * protocol (or a VLAN protocol / 0 with the ethertype just before the
 * network header). Supported: TCP over IPv4 (SKB_GSO_TCPV4, IPv4 options
 * allowed) and IPv6 (SKB_GSO_TCPV6, hop-by-hop/routing/destination
 * extension headers allowed), UDP (SKB_GSO_UDP_L4) over both.
 *
 * Segments are CHECKSUM_PARTIAL (pseudo-header sum in the L4 check field,
 * csum_start/csum_offset set) when @features can checksum the L3 protocol
 * (can_checksum_protocol()), otherwise CHECKSUM_NONE with the L4 checksum
 * complete. IPv4 headers get tot_len, id (incremented unless
 * SKB_GSO_TCP_FIXEDID) and checksum; IPv6 headers payload_len.
 *
 * Returns a list of new skbs linked through skb->next; the caller frees the
 * original. Returns NULL when @features can take @skb as it is (the device
 * does GSO_ROBUST segmentation; gso_segs is recomputed): the caller keeps
 * @skb. Returns ERR_PTR(-EPROTONOSUPPORT) for an unknown L3 or L4 protocol,
 * ERR_PTR(-EINVAL) for a malformed skb (gso_size 0, gso_type not matching the
 * protocol, truncated headers, payload not larger than gso_size, non-linear
 * data), ERR_PTR(-ENOMEM); on error the caller frees the original.
 * In every case @skb's headers may have been rewritten (mac_header reset to
 * skb->data; a TCP checksum not yet CHECKSUM_PARTIAL is converted to it).
 * Context: any; allocates with GFP_ATOMIC.
 */
UNETDEV_API struct sk_buff *skb_gso_segment(struct sk_buff *skb, netdev_features_t features);

/**
 * skb_gso_validate_network_len - every segment of @skb will have an L3
 * packet of at most @mtu bytes (network + transport headers + gso_size).
 * Needs network_header and transport_header set. Borrows @skb.
 */
UNETDEV_API bool skb_gso_validate_network_len(const struct sk_buff *skb, unsigned int mtu);
/** skb_gso_validate_mac_len - as above, counting from the link-layer header, against @len. */
UNETDEV_API bool skb_gso_validate_mac_len(const struct sk_buff *skb, unsigned int len);

/** netif_get_gso_max_size - gso_max_size for IPv6, gso_ipv4_max_size otherwise (R-MTU-14). */
UNETDEV_API unsigned int netif_get_gso_max_size(const struct net_device *dev,
						const struct sk_buff *skb);
/**
 * netif_skb_gso_limits_ok - R-MTU-14: false when GSO @skb has more than
 * gso_max_segs segments or skb->len >= netif_get_gso_max_size(), i.e. the
 * device must not see it as GSO and it is segmented in software. True for a
 * non-GSO skb. Borrows @dev and @skb. Context: any.
 */
UNETDEV_API bool netif_skb_gso_limits_ok(const struct net_device *dev, const struct sk_buff *skb);

#endif
