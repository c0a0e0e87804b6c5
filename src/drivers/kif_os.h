/* SPDX-License-Identifier: MIT */
/*
 * kif_os.h - the system calls of the kernel-backed drivers (tap.c,
 * af_packet.c): /dev/net/tun, AF_PACKET sockets with a TPACKET_V3 receive
 * ring, and a NETLINK_ROUTE socket that follows one kernel interface.
 *
 * This layer includes Linux's headers and never unetdev's: both define
 * struct ifreq, IFF_* and PACKET_*, so the two never meet in one file. It
 * speaks plain C types; every function returns 0 or a negative errno and,
 * on failure, leaves a one-line message in @e that names the interface and
 * the call that failed.
 */
#ifndef UNETDEV_DRIVERS_KIF_OS_H
#define UNETDEV_DRIVERS_KIF_OS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define KIF_NAMSIZ     16
#define KIF_MAX_QUEUES 64

struct kif_err {
	char msg[160];
};

/* A kernel interface as SIOCGIF* reports it. */
struct kif_linkinfo {
	int ifindex;
	bool up;      /* IFF_UP */
	bool running; /* IFF_RUNNING: operationally up (carrier) */
	unsigned int mtu;
	unsigned char mac[6];
	unsigned short type; /* ARPHRD_* */
};

/** kif_os_link_get - look @ifname up: -ENODEV when there is no such interface. */
int kif_os_link_get(const char *ifname, struct kif_linkinfo *li, struct kif_err *e);
/** kif_os_link_check_ether - -EPROTONOSUPPORT unless @li is an Ethernet (ARPHRD_ETHER) link. */
int kif_os_link_check_ether(const char *ifname, const struct kif_linkinfo *li, struct kif_err *e);
/** kif_os_link_by_index - the same by ifindex (the name may have changed). */
int kif_os_link_by_index(int ifindex, struct kif_linkinfo *li, struct kif_err *e);

/* ---- TAP ---- */

#define KIF_VNET_HDR_LEN 10 /* struct virtio_net_hdr */

struct kif_tap_req {
	const char *ifname; /* name or template ("utap%d") */
	unsigned int queues;
	bool vnet_hdr;
	bool persist;
};

/* Offloads the kernel accepted (TUNSETOFFLOAD), as KIF_TUN_F_* bits. */
#define KIF_TUN_F_CSUM	  0x01
#define KIF_TUN_F_TSO4	  0x02
#define KIF_TUN_F_TSO6	  0x04
#define KIF_TUN_F_TSO_ECN 0x08
#define KIF_TUN_F_USO4	  0x20
#define KIF_TUN_F_USO6	  0x40

/**
 * kif_os_tap_open - create or attach TAP @r->ifname with @r->queues queue
 * file descriptors (IFF_MULTI_QUEUE when more than one), non-blocking.
 * Fills @fds, the kernel's name in @name and the accepted offloads.
 */
int kif_os_tap_open(const struct kif_tap_req *r, int *fds, char name[KIF_NAMSIZ],
		    unsigned int *offloads, struct kif_err *e);
/** kif_os_tap_close - close @n queue fds; a transient TAP disappears with the last. */
void kif_os_tap_close(int *fds, unsigned int n);

/* ---- AF_PACKET ---- */

/* The TPACKET_V3 TX ring: fixed-size slots, one frame each (no blocks of frames). */
struct kif_txring {
	unsigned char *map; /* the TX socket's mapping; NULL: no TX ring */
	size_t map_len;
	unsigned int block_size, frames_per_block;
	unsigned int frame_size, frame_nr;
	unsigned int max_len; /* the longest tp_len a slot takes (vnet header included) */
};

struct kif_ring {
	unsigned char *map; /* the RX ring */
	size_t map_len;
	unsigned int block_size, block_nr;
	unsigned int cur;  /* block being read */
	unsigned int left; /* frames left in it; 0 = not entered */
	bool in_block;
	bool vnet_hdr;	     /* PACKET_VNET_HDR: a virtio_net_hdr precedes each frame */
	unsigned char *next; /* next tpacket3_hdr */
	struct kif_txring tx;
};

struct kif_packet_req {
	int ifindex;
	unsigned int block_size, block_nr, frame_size, timeout_ms;
	bool qdisc_bypass;
	bool vnet_hdr;				 /* PACKET_VNET_HDR */
	unsigned int sndbuf;			 /* SO_SNDBUF; 0 = the kernel's default */
	int fanout_id;				 /* < 0: no fanout group */
	unsigned int tx_frame_size, tx_frame_nr; /* PACKET_TX_RING slots; tx_frame_nr 0 = none */
};

/**
 * kif_os_packet_open - two bound AF_PACKET sockets: *@fd receives (ETH_P_ALL,
 * a TPACKET_V3 RX ring, the fanout group) and *@txfd transmits (protocol 0:
 * it receives nothing; qdisc bypass, SO_SNDBUF and, when asked, a TX ring
 * with PACKET_LOSS on: a slot the kernel refuses is skipped, never left
 * blocking the ring). Separate so that the RX socket, which is an interrupt
 * line in the engine's epoll set, is not woken for every TX skb the kernel
 * frees (sock_wfree -> sk_write_space); the TX socket is watched only while
 * its queue is stopped.
 */
int kif_os_packet_open(const struct kif_packet_req *r, int *fd, int *txfd, struct kif_ring *ring,
		       struct kif_err *e);
void kif_os_packet_close(int fd, int txfd, struct kif_ring *ring);

enum kif_mr { KIF_MR_MULTICAST, KIF_MR_PROMISC, KIF_MR_ALLMULTI };
/** kif_os_packet_membership - PACKET_{ADD,DROP}_MEMBERSHIP on @ifindex. */
int kif_os_packet_membership(int fd, int ifindex, enum kif_mr type, const unsigned char *addr,
			     bool add);
/** kif_os_packet_send - one frame, MSG_DONTWAIT. Returns bytes sent or -errno. */
long kif_os_packet_send(int fd, const void *buf, size_t len);

/**
 * kif_os_packet_sendmmsg - @n frames in one sendmmsg(MSG_DONTWAIT), each
 * after its @hdr_len bytes of @hdrs (virtio_net_hdr; NULL: none). Returns
 * how many the kernel took (> 0), or -errno when it refused the first.
 */
int kif_os_packet_sendmmsg(int fd, void *const *bufs, const unsigned int *lens, unsigned int n,
			   const void *hdrs, unsigned int hdr_len);

/** kif_os_packet_kick - send(MSG_DONTWAIT) of the TX ring's requested slots: 0 or -errno. */
int kif_os_packet_kick(int fd);

/* PACKET_STATISTICS since the last call (the kernel clears them on read). */
struct kif_packet_stats {
	unsigned int packets; /* tp_packets: seen by the socket, drops included */
	unsigned int drops;   /* tp_drops: no room in the ring */
	unsigned int freezes; /* tp_freeze_q: times the ring ran full */
};
int kif_os_packet_stats(int fd, struct kif_packet_stats *st);

/* A TX ring slot's state, from tp_status. */
enum kif_tx_state {
	KIF_TX_FREE,	/* TP_STATUS_AVAILABLE: ours */
	KIF_TX_QUEUED,	/* TP_STATUS_SEND_REQUEST: waiting for a kick */
	KIF_TX_SENDING, /* TP_STATUS_SENDING: the kernel holds it */
	KIF_TX_BAD,	/* TP_STATUS_WRONG_FORMAT */
};
enum kif_tx_state kif_txslot_state(const struct kif_txring *t, unsigned int i);
/** kif_txslot_data - where slot @i's frame goes ([virtio_net_hdr,] frame). */
unsigned char *kif_txslot_data(const struct kif_txring *t, unsigned int i);
/** kif_txslot_post - slot @i holds @len bytes: hand it to the kernel (SEND_REQUEST). */
void kif_txslot_post(const struct kif_txring *t, unsigned int i, unsigned int len);
/** kif_txslot_cancel - take back a slot the kernel has not taken (AVAILABLE). */
void kif_txslot_cancel(const struct kif_txring *t, unsigned int i);

/* One received frame; valid until the next kif_ring_next() call. */
struct kif_pkt {
	const unsigned char *data;
	const unsigned char *vnet; /* the virtio_net_hdr in front (PACKET_VNET_HDR), or NULL */
	unsigned int len;	   /* wire length */
	unsigned int snaplen;	   /* bytes in the ring (< len: truncated) */
	unsigned int status;	   /* KIF_ST_* */
	uint16_t vlan_tci, vlan_tpid;
	uint8_t pkttype; /* sll_pkttype: 0 host .. 4 outgoing */
};
#define KIF_ST_LOSING	       0x04
#define KIF_ST_CSUMNOTREADY    0x08
#define KIF_ST_VLAN_VALID      0x10
#define KIF_ST_VLAN_TPID_VALID 0x40
#define KIF_ST_CSUM_VALID      0x80
#define KIF_PKT_OUTGOING       4

/** kif_ring_next - the next frame of the ring, handing finished blocks back. */
bool kif_ring_next(struct kif_ring *r, struct kif_pkt *p);
/** kif_ring_pending - a block is ready for userspace (poll would say POLLIN). */
bool kif_ring_pending(const struct kif_ring *r);

/* ---- NETLINK_ROUTE link events ---- */

#define KIF_NL_NEW  1
#define KIF_NL_DEL  2
#define KIF_NL_LOST 4 /* ENOBUFS: events were lost, query the state again */

struct kif_nl_state {
	bool up, running;
	unsigned int mtu;
};

/** kif_os_nl_open - a non-blocking NETLINK_ROUTE socket subscribed to RTMGRP_LINK. */
int kif_os_nl_open(int *fd, struct kif_err *e);
/** kif_os_nl_read - drain @fd; fold @ifindex's messages into @st; KIF_NL_* bits. */
int kif_os_nl_read(int fd, int ifindex, struct kif_nl_state *st);

#endif
