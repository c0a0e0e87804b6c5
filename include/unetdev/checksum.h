/* SPDX-License-Identifier: MIT */
/*
 * The Internet checksum (RFC 1071) with the kernel's helpers and names
 * (asm-generic/checksum.h, net/checksum.h, net/ip6_checksum.h), in portable C.
 *
 * A __wsum is a 32-bit partial ones'-complement sum, unfolded; a __sum16 is
 * a folded 16-bit value as stored in a header. Sums are taken over 16-bit
 * words in memory order, so they are byte-order neutral: the folded result
 * can be stored into a header as it is. Context: any (pure functions).
 */
#ifndef UNETDEV_CHECKSUM_H
#define UNETDEV_CHECKSUM_H

#include <netinet/in.h> /* struct in6_addr */
#include <unetdev/types.h>

#define CSUM_MANGLED_0 ((__sum16)0xffff) /* UDP sends a computed 0 as 0xffff */

#define csum_partial	   unetdev_csum_partial
#define ip_fast_csum	   unetdev_ip_fast_csum
#define csum_tcpudp_nofold unetdev_csum_tcpudp_nofold
#define csum_ipv6_magic	   unetdev_csum_ipv6_magic

/** csum_partial - add the 16-bit words of @buff (@len bytes, any alignment) to @sum. */
UNETDEV_API __wsum csum_partial(const void *buff, int len, __wsum sum);
/** ip_fast_csum - the IPv4 header checksum of @ihl 32-bit words; 0 when @iph is valid. */
UNETDEV_API __sum16 ip_fast_csum(const void *iph, unsigned int ihl);
/** csum_tcpudp_nofold - @sum plus the IPv4 pseudo header (addresses in network order). */
UNETDEV_API __wsum csum_tcpudp_nofold(__be32 saddr, __be32 daddr, u32 len, u8 proto, __wsum sum);
/** csum_ipv6_magic - fold @csum plus the IPv6 pseudo header (RFC 8200 8.1). */
UNETDEV_API __sum16 csum_ipv6_magic(const struct in6_addr *saddr, const struct in6_addr *daddr,
				    u32 len, u8 proto, __wsum csum);

/** csum_fold - fold a 32-bit partial sum to 16 bits and complement it. */
static inline __sum16 csum_fold(__wsum csum)
{
	u32 sum = (u32)csum;

	sum = (sum & 0xffff) + (sum >> 16);
	sum = (sum & 0xffff) + (sum >> 16);
	return (__sum16)~sum;
}
static inline __wsum csum_unfold(__sum16 n)
{
	return (__wsum)n;
}
/** csum_add - ones'-complement addition of two partial sums (end-around carry). */
static inline __wsum csum_add(__wsum csum, __wsum addend)
{
	u32 res = (u32)csum + (u32)addend;

	return (__wsum)(res + (res < (u32)addend));
}
static inline __wsum csum_sub(__wsum csum, __wsum addend)
{
	return csum_add(csum, ~addend);
}
static inline __sum16 csum16_add(__sum16 csum, __be16 addend)
{
	u16 res = (u16)csum;

	res = (u16)(res + addend);
	return (__sum16)(res + (res < addend));
}
static inline __sum16 csum16_sub(__sum16 csum, __be16 addend)
{
	return csum16_add(csum, (__be16)~addend);
}
/** csum_tcpudp_magic - the folded TCP/UDP checksum over the IPv4 pseudo header and @sum. */
static inline __sum16 csum_tcpudp_magic(__be32 saddr, __be32 daddr, u32 len, u8 proto, __wsum sum)
{
	return csum_fold(csum_tcpudp_nofold(saddr, daddr, len, proto, sum));
}
/** ip_compute_csum - the folded checksum of @len bytes at @buff. */
static inline __sum16 ip_compute_csum(const void *buff, int len)
{
	return csum_fold(csum_partial(buff, len, 0));
}

#endif
