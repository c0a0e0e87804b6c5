/* SPDX-License-Identifier: MIT */
/*
 * IPv4, IPv6, TCP and UDP headers with the kernel's struct and field names
 * (uapi linux/ip.h, linux/ipv6.h, linux/tcp.h, linux/udp.h). Multi-byte
 * fields are in network byte order, as on the wire.
 *
 * These are unetdev's own definitions (the library does not depend on the
 * kernel's uapi headers): do not include this header together with
 * <netinet/ip.h>, <netinet/tcp.h>, <netinet/udp.h> or <linux/ip.h> & co.
 * <netinet/in.h> (IPPROTO_*, struct in6_addr, htons) is fine and included.
 *
 * The structs are packed (alignment 1; the layout is the natural one, see
 * the static asserts): headers sit wherever the link layer put them, e.g.
 * an IPv4 header 14 bytes into an Ethernet frame, and reading them must not
 * be an unaligned access in the C sense. Copy an address member out with
 * memcpy rather than taking a pointer to it.
 */
#ifndef UNETDEV_IP_H
#define UNETDEV_IP_H

#include <netinet/in.h>
#include <unetdev/types.h>

#if !defined(__BYTE_ORDER__) || !defined(__ORDER_LITTLE_ENDIAN__)
#error "unetdev/ip.h needs __BYTE_ORDER__ for the header bitfields"
#endif

#define IP_CE	  0x8000 /* frag_off: congestion */
#define IP_DF	  0x4000 /* frag_off: don't fragment */
#define IP_MF	  0x2000 /* frag_off: more fragments */
#define IP_OFFSET 0x1FFF

struct iphdr {
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	u8 ihl : 4, version : 4;
#else
	u8 version : 4, ihl : 4;
#endif
	u8 tos;
	__be16 tot_len;
	__be16 id;
	__be16 frag_off;
	u8 ttl;
	u8 protocol;
	__sum16 check;
	__be32 saddr;
	__be32 daddr;
	/* options follow, up to ihl * 4 bytes in all */
} __attribute__((packed));

/* IPv6 extension header numbers (kernel net/ipv6.h NEXTHDR_*). */
#define NEXTHDR_HOP	 0
#define NEXTHDR_TCP	 6
#define NEXTHDR_UDP	 17
#define NEXTHDR_ROUTING	 43
#define NEXTHDR_FRAGMENT 44
#define NEXTHDR_NONE	 59
#define NEXTHDR_DEST	 60

struct ipv6hdr {
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	u8 priority : 4, version : 4;
#else
	u8 version : 4, priority : 4;
#endif
	u8 flow_lbl[3];
	__be16 payload_len;
	u8 nexthdr;
	u8 hop_limit;
	struct in6_addr saddr;
	struct in6_addr daddr;
} __attribute__((packed));

/* The common prefix of hop-by-hop, routing and destination options headers. */
struct ipv6_opt_hdr {
	u8 nexthdr;
	u8 hdrlen; /* in 8-byte units, not counting the first 8 bytes */
} __attribute__((packed));
#define ipv6_optlen(p) (((p)->hdrlen + 1) << 3)

struct tcphdr {
	__be16 source;
	__be16 dest;
	__be32 seq;
	__be32 ack_seq;
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	u16 res1 : 4, doff : 4, fin : 1, syn : 1, rst : 1, psh : 1, ack : 1, urg : 1, ece : 1,
	    cwr : 1;
#else
	u16 doff : 4, res1 : 4, cwr : 1, ece : 1, urg : 1, ack : 1, psh : 1, rst : 1, syn : 1,
	    fin : 1;
#endif
	__be16 window;
	__sum16 check;
	__be16 urg_ptr;
} __attribute__((packed));

struct udphdr {
	__be16 source;
	__be16 dest;
	__be16 len;
	__sum16 check;
} __attribute__((packed));

_Static_assert(sizeof(struct iphdr) == 20, "iphdr layout");
_Static_assert(sizeof(struct ipv6hdr) == 40, "ipv6hdr layout");
_Static_assert(sizeof(struct tcphdr) == 20, "tcphdr layout");
_Static_assert(sizeof(struct udphdr) == 8, "udphdr layout");

#endif
