/* SPDX-License-Identifier: MIT */
/*
 * The IFLA_INFO_DATA attributes of the backend link kinds "tap",
 * "af_packet", "af_xdp" and "pcap" (the uapi part of <unetdev/link_backends.h>:
 * plain enums, no other include, so that netlink clients can use it alone).
 * The tap ones follow the kernel's IFLA_TUN_*.
 */
#ifndef UNETDEV_IF_LINK_BACKENDS_H
#define UNETDEV_IF_LINK_BACKENDS_H

/* kind "tap": a kernel TAP device and a unetdev device on top of it. */
enum {
	IFLA_UNETDEV_TAP_UNSPEC,
	IFLA_UNETDEV_TAP_IFNAME,   /* string: kernel TAP name or template (default "utap%d") */
	IFLA_UNETDEV_TAP_QUEUES,   /* u32: 1..64 (> 1: IFF_MULTI_QUEUE) */
	IFLA_UNETDEV_TAP_VNET_HDR, /* u8: IFF_VNET_HDR (offloads) */
	IFLA_UNETDEV_TAP_PERSIST,  /* u8: TUNSETPERSIST */
	IFLA_UNETDEV_TAP_NETNS,	   /* string: network namespace of the kernel TAP: an
				    * `ip netns` name or an absolute path (/proc/PID/ns/net) */
	__IFLA_UNETDEV_TAP_MAX
};
#define IFLA_UNETDEV_TAP_MAX (__IFLA_UNETDEV_TAP_MAX - 1)

/* kind "af_packet": AF_PACKET sockets on an existing kernel interface. */
enum {
	IFLA_UNETDEV_PKT_UNSPEC,
	IFLA_UNETDEV_PKT_LINK,	       /* string: the kernel interface (required) */
	IFLA_UNETDEV_PKT_QUEUES,       /* u32: 1..64 (> 1: PACKET_FANOUT_HASH) */
	IFLA_UNETDEV_PKT_QDISC_BYPASS, /* u8: PACKET_QDISC_BYPASS */
	__IFLA_UNETDEV_PKT_MAX
};
#define IFLA_UNETDEV_PKT_MAX (__IFLA_UNETDEV_PKT_MAX - 1)

/* kind "af_xdp": AF_XDP sockets on an existing kernel interface. */
enum {
	IFLA_UNETDEV_XDP_UNSPEC,
	IFLA_UNETDEV_XDP_LINK,	 /* string: the kernel interface (required) */
	IFLA_UNETDEV_XDP_QUEUES, /* u32: kernel queues 0..N-1, 1..64 */
	IFLA_UNETDEV_XDP_MODE,	 /* u8: enum unetdev_af_xdp_mode (0 auto, 1 copy, 2 zero-copy) */
	IFLA_UNETDEV_XDP_FRAMES, /* u32: UMEM frames */
	__IFLA_UNETDEV_XDP_MAX
};
#define IFLA_UNETDEV_XDP_MAX (__IFLA_UNETDEV_XDP_MAX - 1)

/* kind "pcap": capture files as the wire. */
enum {
	IFLA_UNETDEV_PCAP_UNSPEC,
	IFLA_UNETDEV_PCAP_RX_FILE,   /* string: capture to receive from */
	IFLA_UNETDEV_PCAP_TX_FILE,   /* string: capture written with what is sent */
	IFLA_UNETDEV_PCAP_PACE,	     /* u8: receive at the recorded pace */
	IFLA_UNETDEV_PCAP_LOOP,	     /* u8: start rx_file again at its end */
	IFLA_UNETDEV_PCAP_TX_FORMAT, /* u8: enum unetdev_pcap_format */
	__IFLA_UNETDEV_PCAP_MAX
};
#define IFLA_UNETDEV_PCAP_MAX (__IFLA_UNETDEV_PCAP_MAX - 1)

#endif
