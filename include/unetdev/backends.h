/* SPDX-License-Identifier: MIT */
/*
 * Kernel-backed drivers: tap (/dev/net/tun), af_packet (an AF_PACKET
 * socket on an existing kernel interface) and af_xdp (AF_XDP sockets on one),
 * and pcap (capture files as the wire). docs/backend-<name>.md describe
 * options, offloads and limits; pcap and af_xdp are built only with their
 * libraries (unetdev_backend_available()).
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
	bool vnet_hdr;		    /* PACKET_VNET_HDR: checksum/TSO offloads, GSO frames whole */
	bool tx_ring;		    /* transmit through a PACKET_TX_RING instead of sendmmsg */
	unsigned int tx_frame_size; /* TX ring slot; 0 = fits the kernel MTU (>= 2048), 65664 with
				       vnet_hdr */
	unsigned int tx_frame_nr;   /* TX ring slots per queue; 0 = 256, or 32 with vnet_hdr */
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

/* ---- pcap (docs/backend-pcap.md; built when libpcap is found) ---- */
enum unetdev_pcap_format {
	UNETDEV_PCAP_FMT_PCAP = 0,   /* classic pcap, nanosecond timestamps */
	UNETDEV_PCAP_FMT_PCAPNG = 1, /* pcapng: SHB, one IDB, EPBs */
};

struct unetdev_pcap_config {
	size_t sz;	     /* sizeof(struct unetdev_pcap_config) */
	const char *rx_file; /* capture to receive from (pcap or pcapng); NULL = none */
	const char *tx_file; /* capture written with what is transmitted; NULL = none */
	enum unetdev_pcap_format tx_format; /* of tx_file */
	bool pace;			    /* receive at the recorded pace (timerfd) */
	bool loop; /* at end of rx_file start again instead of carrier off */
};

/**
 * unetdev_pcap_create - a device @name (NULL = "pcap%d") that receives the
 * frames of @cfg->rx_file and writes what it transmits to @cfg->tx_file.
 * Carrier goes off at the end of rx_file (unless loop) or on a read error.
 * -ENOENT/-EACCES/... for a file that cannot be opened, -EBADMSG for a file
 * that is not a capture or is truncated, -EPROTONOSUPPORT for a capture
 * that is not Ethernet, -EOPNOTSUPP when built without libpcap.
 * Context: process, rtnl not held.
 */
UNETDEV_API int unetdev_pcap_create(struct net *net, const char *name,
				    const struct unetdev_pcap_config *cfg, struct net_device **out);

struct unetdev_pcap_stats {
	u64 rx_packets, rx_bytes, tx_packets, tx_bytes;
	u64 rx_too_big;	  /* over MTU + headers: dropped (+ rx_length_errors) */
	u64 rx_truncated; /* captured shorter than on the wire (snaplen) or < 14 bytes: dropped */
	u64 rx_nomem;
	u64 rx_irqs, rx_polls;
	u64 rx_loops;	/* times rx_file was started again (loop) */
	u64 rx_eof;	/* 1 once rx_file ended (carrier off) */
	s64 rx_error;	/* 0, or the negative errno of a read error (carrier off) */
	u64 tx_errors;	/* write to tx_file failed: dropped */
	u64 tx_dropped; /* no tx_file: discarded */
};

/** unetdev_pcap_stats - fill @st; -EINVAL when @dev is not a pcap device. Context: any. */
UNETDEV_API int unetdev_pcap_stats(struct net_device *dev, struct unetdev_pcap_stats *st);

struct unetdev_backend_stats;

/* ---- af_xdp (docs/backend-af_xdp.md; built when libxdp and libbpf are found) ---- */
enum unetdev_af_xdp_mode {
	UNETDEV_XDP_AUTO = 0,	  /* zero-copy when the kernel driver supports it, else copy */
	UNETDEV_XDP_COPY = 1,	  /* XDP_COPY */
	UNETDEV_XDP_ZEROCOPY = 2, /* XDP_ZEROCOPY, an error when unsupported */
};

struct unetdev_af_xdp_config {
	size_t sz;		       /* sizeof(struct unetdev_af_xdp_config) */
	const char *ifname;	       /* existing kernel interface (required) */
	unsigned int queues;	       /* kernel queues 0..queues-1, one XSK each; 0 = 1 */
	enum unetdev_af_xdp_mode mode; /* copy / zero-copy / auto */
	unsigned int frames;	       /* UMEM frames (shared by all queues); 0 = 4096 per queue */
};

/**
 * unetdev_af_xdp_create - attach a unetdev device @name (NULL = "xdp%d")
 * to kernel interface @cfg->ifname with one AF_XDP socket per queue and the
 * libxdp redirect program. -ENODEV for no such interface, -EPERM without
 * privileges, -EOPNOTSUPP when the kernel driver or the build lacks AF_XDP
 * (or zero-copy was asked for and is unsupported). Context: process, rtnl not held.
 */
UNETDEV_API int unetdev_af_xdp_create(struct net *net, const char *name,
				      const struct unetdev_af_xdp_config *cfg,
				      struct net_device **out);

/**
 * unetdev_af_xdp_stats - the driver counters of an af_xdp device (the
 * fields of the tap/af_packet ones) and, in @zerocopy (may be NULL), whether
 * the sockets are bound in zero-copy mode. -EINVAL when @dev is not af_xdp.
 * Context: any.
 */
UNETDEV_API int unetdev_af_xdp_stats(struct net_device *dev, struct unetdev_backend_stats *st,
				     bool *zerocopy);

/**
 * unetdev_backend_available - true when backend @name ("tap", "af_packet",
 * "pcap", "af_xdp") is built into this library (af_xdp: and the kernel has
 * AF_XDP sockets). Context: any.
 */
UNETDEV_API bool unetdev_backend_available(const char *name);

/* ---- tap and af_packet ---- */

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
	u64 tx_busy;	     /* kernel side full: queue stopped, NETDEV_TX_BUSY */
	u64 tx_wakes;	     /* EPOLLOUT restarted a stopped queue */
	u64 tx_errors;	     /* the kernel refused a frame: dropped */
	u64 rx_ring_drops;   /* af_packet: kernel ring full, frame lost (PACKET_STATISTICS) */
	u64 rx_ring_freezes; /* af_packet: times the kernel found the ring full (tp_freeze_q) */
	u64 kernel_mtu;	     /* last MTU seen on the kernel interface */
	u64 kernel_gone;     /* 1 once the kernel interface disappeared */
};

/** unetdev_backend_stats - fill @st; -EINVAL when @dev is not tap or af_packet. Context: any. */
UNETDEV_API int unetdev_backend_stats(struct net_device *dev, struct unetdev_backend_stats *st);
/** unetdev_backend_kernel_ifname - the kernel interface's name. Context: any. */
UNETDEV_API int unetdev_backend_kernel_ifname(struct net_device *dev, char *buf, size_t len);

#endif
