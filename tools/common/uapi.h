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

#include "../../include/unetdev/if_link_backends.h"

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

/*
 * Private message types (0x7f10..0x7f2f, above RTM_MAX and below the
 * kernel's own ranges; Linux has no rtnetlink message for modules or
 * captures). Same conventions as rtnetlink: struct nlmsghdr, then
 * attributes (no fixed header), NLM_F_ACK, NLMSG_ERROR with -errno and
 * NLMSGERR_ATTR_MSG, NLM_F_DUMP answered by NLM_F_MULTI messages and NLMSG_DONE.
 */
#define UNETD_MSG_NEWMODULE 0x7f10 /* load: UNETD_MODA_PATH [, UNETD_MODA_NAME] */
#define UNETD_MSG_DELMODULE 0x7f11 /* unload: UNETD_MODA_NAME */
#define UNETD_MSG_GETMODULE 0x7f12 /* NLM_F_DUMP: one UNETD_MSG_NEWMODULE per module */

enum {
	UNETD_MODA_UNSPEC,
	UNETD_MODA_NAME,    /* string: the name the daemon knows it by */
	UNETD_MODA_PATH,    /* string: absolute path of the shared object */
	UNETD_MODA_STATE,   /* u8: UNETD_MODULE_LIVE or UNETD_MODULE_UNLOADING */
	UNETD_MODA_REFS,    /* u32: daemon-held references on its devices (captures) */
	UNETD_MODA_DEVICES, /* nested: one UNETD_MODA_DEVICE (string) per registered device */
	UNETD_MODA_DEVICE,
	__UNETD_MODA_MAX
};
#define UNETD_MODA_MAX (__UNETD_MODA_MAX - 1)

enum {
	UNETD_MODULE_LIVE,
	UNETD_MODULE_UNLOADING, /* exit ran; unregistered devices still referenced */
};

/*
 * Capture: UNETD_MSG_CAPTURE { UNETD_CAPA_IFNAME [, UNETD_CAPA_COUNT]
 * [, UNETD_CAPA_SNAPLEN] } is acked once the tap is in place; then the daemon
 * sends UNETD_MSG_CAPTURE messages (NLM_F_MULTI, several per record), one per
 * frame, until NLMSG_DONE: its int is 0 (COUNT frames sent) or -ENODEV (the
 * device went away), followed by UNETD_CAPA_DROPS. Closing the socket ends it.
 */
#define UNETD_MSG_CAPTURE 0x7f20

enum {
	UNETD_CAPA_UNSPEC,
	UNETD_CAPA_IFNAME,  /* string (request) */
	UNETD_CAPA_COUNT,   /* u32 (request): stop after this many frames; 0 = never */
	UNETD_CAPA_SNAPLEN, /* u32 (request): bytes kept per frame; 0 = UNETD_CAPTURE_SNAPLEN */
	UNETD_CAPA_TSTAMP,  /* u64: CLOCK_REALTIME nanoseconds when the tap saw it */
	UNETD_CAPA_PKTTYPE, /* u8: PACKET_HOST ... PACKET_OUTGOING (4) */
	UNETD_CAPA_LEN,	    /* u32: the frame's length on the wire */
	UNETD_CAPA_DATA,    /* binary: the first min(LEN, snaplen) bytes from the MAC header */
	UNETD_CAPA_DROPS,   /* u32 (NLMSG_DONE): frames the daemon could not queue */
	__UNETD_CAPA_MAX
};
#define UNETD_CAPA_MAX (__UNETD_CAPA_MAX - 1)

/* The largest snaplen: one frame message fits in a record. */
#define UNETD_CAPTURE_SNAPLEN 16000

#endif
