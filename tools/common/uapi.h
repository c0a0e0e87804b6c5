/* SPDX-License-Identifier: MIT */
/*
 * The netlink side of unetd and unet: the real uapi headers and libmnl.
 * <unetdev/netdevice.h> defines the kernel-internal struct rtnl_link_stats64
 * (same layout as the uapi one), so the uapi struct is included under the name
 * uapi_rtnl_link_stats64. Include this before any <unetdev/...> header.
 */
#ifndef UNET_UAPI_H
#define UNET_UAPI_H

#define rtnl_link_stats64 uapi_rtnl_link_stats64
#include <linux/if_link.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/veth.h>
#undef rtnl_link_stats64

#include <libmnl/libmnl.h>
#include <stdbool.h>

/*
 * Group membership (the kernel's setsockopt(SOL_NETLINK, NETLINK_ADD_MEMBERSHIP,
 * RTNLGRP_LINK), which an AF_UNIX socket cannot carry): a request of type
 * UNETD_MSG_SETSOCKOPT whose payload is struct unetd_sockopt. Acked like any
 * request; from then on the client receives RTM_NEWLINK/RTM_DELLINK for every
 * link change (nlmsg_pid 0, nlmsg_seq 0).
 */
#define UNETD_MSG_SETSOCKOPT 0x7f01
struct unetd_sockopt {
	__u32 level;   /* SOL_NETLINK (270) */
	__u32 optname; /* NETLINK_ADD_MEMBERSHIP (1) or NETLINK_DROP_MEMBERSHIP (2) */
	__u32 group;   /* RTNLGRP_LINK (1) */
};
/*
 * Test traffic (the kernel's pktgen, as a request): UNETD_MSG_PKTGEN with a
 * struct ifinfomsg (ifi_index: the device that transmits) and attributes:
 * COUNT (u32, frames, default 1, at most UNETD_PKTGEN_MAX_COUNT), DST and SRC
 * (6 bytes; default broadcast and the device's address), LEN (u32, frame
 * bytes without FCS, 60..1514, default 60). Frames carry ethertype 0x88b5.
 */
#define UNETD_MSG_PKTGEN       0x7f02
#define UNETD_PKTGEN_MAX_COUNT 1000000
enum {
	UNETD_PKTGEN_UNSPEC,
	UNETD_PKTGEN_COUNT,
	UNETD_PKTGEN_DST,
	UNETD_PKTGEN_SRC,
	UNETD_PKTGEN_LEN,
	__UNETD_PKTGEN_MAX
};
#define UNETD_PKTGEN_MAX (__UNETD_PKTGEN_MAX - 1)

#ifndef SOL_NETLINK
#define SOL_NETLINK 270
#endif

/*
 * mnl_nlmsg_ok() compares (int)nlmsg_len with the bytes left, so a length of
 * 2^31 or more passes as negative; this is the check without that hole.
 */
static inline bool unet_nlmsg_ok(const struct nlmsghdr *nlh, int len)
{
	return len >= (int)sizeof(*nlh) && nlh->nlmsg_len >= sizeof(*nlh) &&
	       nlh->nlmsg_len <= (unsigned int)len;
}

/* Largest message either side sends or accepts (one SOCK_SEQPACKET record). */
#define UNETD_MSG_MAX 16384

#endif
