// SPDX-License-Identifier: MIT
/*
 * checksum.c - the Internet checksum in portable C (kernel lib/checksum.c,
 * net/ipv6/ip6_checksum.c). Used by software GSO (gso.c, R-TX-9) to
 * complete TCP/UDP checksums and to fix IPv4 header checksums.
 *
 * Words are loaded in memory order with memcpy (no alignment assumptions)
 * and summed in 64 bits, so the carries are folded once at the end.
 */
#include <string.h>

#include <unetdev/checksum.h>

static u32 from64to32(u64 x)
{
	x = (x & 0xffffffff) + (x >> 32); /* at most one carry left */
	x = (x & 0xffffffff) + (x >> 32);
	return (u32)x;
}

__wsum csum_partial(const void *buff, int len, __wsum wsum)
{
	const unsigned char *p = buff;
	u64 sum = (u32)wsum;
	u32 w32;
	u16 w16;

	for (; len >= 4; len -= 4, p += 4) {
		memcpy(&w32, p, 4);
		sum += w32;
	}
	if (len >= 2) {
		memcpy(&w16, p, 2);
		sum += w16;
		p += 2;
		len -= 2;
	}
	if (len) {
		/* A trailing byte is the first byte of a zero-padded word. */
		unsigned char last[2] = {*p, 0};

		memcpy(&w16, last, 2);
		sum += w16;
	}
	return (__wsum)from64to32(sum);
}

__sum16 ip_fast_csum(const void *iph, unsigned int ihl)
{
	return csum_fold(csum_partial(iph, (int)ihl * 4, 0));
}

/* A 16-bit value in network order, as it sits in a pseudo header word. */
static u32 net16(u32 v)
{
	u16 be = htons((u16)v);

	return be;
}

__wsum csum_tcpudp_nofold(__be32 saddr, __be32 daddr, u32 len, u8 proto, __wsum sum)
{
	u64 s = (u32)sum;

	s += saddr;
	s += daddr;
	/* RFC 768/793 pseudo header: zero, proto, 16-bit length. */
	s += net16(proto);
	s += net16(len & 0xffff);
	s += net16(len >> 16); /* 0 for any IPv4 datagram; kept so nothing is lost */
	return (__wsum)from64to32(s);
}

__sum16 csum_ipv6_magic(const struct in6_addr *saddr, const struct in6_addr *daddr, u32 len,
			u8 proto, __wsum csum)
{
	u32 ulen = htonl(len), uproto = htonl(proto);
	__wsum sum = csum;

	sum = csum_partial(saddr->s6_addr, 16, sum);
	sum = csum_partial(daddr->s6_addr, 16, sum);
	/* RFC 8200 8.1: 32-bit upper-layer length, 3 zero bytes, next header. */
	sum = csum_partial(&ulen, 4, sum);
	sum = csum_partial(&uproto, 4, sum);
	return csum_fold(sum);
}
