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
#ifndef SOL_NETLINK
#define SOL_NETLINK 270
#endif

/* Largest message either side sends or accepts (one SOCK_SEQPACKET record). */
#define UNETD_MSG_MAX 16384

#endif
