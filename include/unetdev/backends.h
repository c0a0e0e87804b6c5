/* SPDX-License-Identifier: MIT */
/*
 * Kernel-backed drivers: tap (/dev/net/tun) and af_packet (an AF_PACKET
 * socket on an existing kernel interface). docs/backend-tap.md and
 * docs/backend-af_packet.md describe options, offloads and limits.
 *
 * Each create function opens the kernel side, allocates and registers a
 * device (taking rtnl itself) and returns it without an extra reference;
 * remove it with unregister_netdev() (needs_free_netdev is set; the kernel
 * side is closed when the device is freed). Bringing the device up needs a
 * started engine (unetdev_engine_start()): queue i's file descriptor is an
 * interrupt line on engine CPU i % unetdev_engine_ncpus().
 *
 * The kernel side is watched through a NETLINK_ROUTE socket opened in the
 * network namespace of the thread that calls create: carrier and operstate
 * follow it, and a kernel interface that disappears leaves the device with
 * carrier off. Errors: 0 or a negative errno, with a message through the
 * unetdev log (netdev_err / unetdev_log) naming the interface and the call.
 */
#ifndef UNETDEV_BACKENDS_H
#define UNETDEV_BACKENDS_H

#include <unetdev/netdevice.h>

#define UNETDEV_BACKEND_MAX_QUEUES 64

/* ---- tap ---- */
struct unetdev_tap_config {
	size_t sz;	     /* sizeof(struct unetdev_tap_config) */
	const char *ifname;  /* kernel TAP name or template; NULL = "utap%d" */
	unsigned int queues; /* TX = RX queues; 0 = 1; > 1 uses IFF_MULTI_QUEUE */
	bool vnet_hdr;	     /* IFF_VNET_HDR: checksum and TSO/USO offloads, GSO skbs whole */
	bool persist;	     /* TUNSETPERSIST: the kernel device outlives this one */
};

/**
 * unetdev_tap_create - create (or attach to) kernel TAP @cfg->ifname and a
 * unetdev device @name (template allowed, NULL = "tap%d") on top of it.
 * -EPERM without CAP_NET_ADMIN, -EINVAL for a bad config, -EBUSY/-EINVAL when
 * an existing TAP has other flags. Context: process, rtnl not held.
 */
UNETDEV_API int unetdev_tap_create(struct net *net, const char *name,
				   const struct unetdev_tap_config *cfg, struct net_device **out);

/* ---- af_packet ---- */
struct unetdev_af_packet_config {
	size_t sz;		 /* sizeof(struct unetdev_af_packet_config) */
	const char *ifname;	 /* existing kernel interface (required) */
	unsigned int queues;	 /* TX = RX queues; 0 = 1; > 1 joins a PACKET_FANOUT_HASH group */
	bool qdisc_bypass;	 /* PACKET_QDISC_BYPASS on the transmit socket(s) */
	unsigned int block_size; /* RX ring block, a multiple of the page size; 0 = 256 KiB */
	unsigned int block_nr;	 /* RX ring blocks per queue; 0 = 16 */
	unsigned int frame_size; /* TPACKET_V3 frame-size hint; 0 = 2048 */
	unsigned int block_timeout_ms; /* retire a partly filled block after; 0 = 1 */
	unsigned int sndbuf;	       /* SO_SNDBUF of each socket (TX flow control); 0 = default */
};

/**
 * unetdev_af_packet_create - attach a unetdev device @name (NULL =
 * "pkt%d") to kernel interface @cfg->ifname. The device takes the kernel
 * interface's MAC; its max_mtu is the kernel MTU and follows it.
 * -ENODEV when the interface does not exist, -EPERM without CAP_NET_RAW.
 * Context: process, rtnl not held.
 */
UNETDEV_API int unetdev_af_packet_create(struct net *net, const char *name,
					 const struct unetdev_af_packet_config *cfg,
					 struct net_device **out);

/* ---- both ---- */

/* Driver counters, summed over queues. The standard ones are in dev_get_stats(). */
struct unetdev_backend_stats {
	u64 rx_packets, rx_bytes, tx_packets, tx_bytes;
	u64 rx_filtered;    /* rx_mode: not for this device, dropped (+ rx_otherhost_dropped) */
	u64 rx_too_big;	    /* over MTU + headers: dropped (+ rx_length_errors) */
	u64 rx_truncated;   /* longer than the ring slot / read buffer: dropped */
	u64 rx_nomem;	    /* skb allocation failed */
	u64 rx_vlan;	    /* VLAN tag restored from the kernel's auxdata */
	u64 rx_gso, tx_gso; /* GSO skbs passed whole through a virtio_net_hdr */
	u64 rx_irqs, rx_polls;
	u64 tx_busy;	 /* kernel side full: queue stopped, NETDEV_TX_BUSY */
	u64 tx_wakes;	 /* EPOLLOUT restarted a stopped queue */
	u64 tx_errors;	 /* the kernel refused a frame: dropped */
	u64 kernel_mtu;	 /* last MTU seen on the kernel interface */
	u64 kernel_gone; /* 1 once the kernel interface disappeared */
};

/** unetdev_backend_stats - fill @st; -EINVAL when @dev is not tap or af_packet. Context: any. */
UNETDEV_API int unetdev_backend_stats(struct net_device *dev, struct unetdev_backend_stats *st);
/** unetdev_backend_kernel_ifname - the kernel interface's name. Context: any. */
UNETDEV_API int unetdev_backend_kernel_ifname(struct net_device *dev, char *buf, size_t len);

#endif
