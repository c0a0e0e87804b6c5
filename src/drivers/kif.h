/* SPDX-License-Identifier: MIT */
/*
 * kif.h - what the kernel-backed drivers (tap.c, af_packet.c) share:
 *  - a queue: one kernel file descriptor that is both the RX interrupt line
 *    (EPOLLIN -> napi_schedule) and the TX completion line (EPOLLOUT ->
 *    netif_tx_wake_queue), with its NAPI instance and counters;
 *  - the software receive filter that ndo_set_rx_mode programs (the kernel
 *    hands these drivers every frame, so they filter as a NIC would);
 *  - the link watcher: a thread reading a NETLINK_ROUTE socket that makes
 *    carrier follow the kernel interface and reports MTU changes and
 *    removal to the driver under rtnl.
 */
#ifndef UNETDEV_DRIVERS_KIF_H
#define UNETDEV_DRIVERS_KIF_H

#include <pthread.h>

#include <unetdev/backends.h>
#include <unetdev/engine.h>
#include <unetdev/netdevice.h>

#include "kif_os.h"

/* Counter indexes: the order of the u64 fields of struct unetdev_backend_stats. */
enum kif_stat {
	KS_RX_PACKETS,
	KS_RX_BYTES,
	KS_TX_PACKETS,
	KS_TX_BYTES,
	KS_RX_FILTERED,
	KS_RX_TOO_BIG,
	KS_RX_TRUNCATED,
	KS_RX_NOMEM,
	KS_RX_VLAN,
	KS_RX_GSO,
	KS_TX_GSO,
	KS_RX_IRQS,
	KS_RX_POLLS,
	KS_TX_BUSY,
	KS_TX_WAKES,
	KS_TX_ERRORS,
	KS_RX_RING_DROPS,
	KS_RX_RING_FREEZES,
	KS_NR
};

struct kif_queue {
	struct napi_struct napi;
	struct net_device *dev;
	unsigned int index;
	int fd;
	/* The TX socket when it is not @fd (af_packet): watched for EPOLLOUT
	 * (@txirq, one-shot) only while the queue is stopped, under the queue's
	 * xmit lock; outside the epoll set otherwise, so the kernel's frees of
	 * TX skbs wake nobody. */
	int txfd;
	struct unetdev_irq *txirq;
	spinlock_t ev_lock;	 /* events and irq */
	struct unetdev_irq *irq; /* ev_lock; NULL while stopped or quiesced */
	u32 events;		 /* ev_lock */
	bool napi_on;		 /* rtnl */
	/*
	 * For drivers whose TX completes later (a batch or ring to finish): EPOLLOUT
	 * then schedules the NAPI poll, which calls kif_tx_complete(), which calls
	 * this under the queue's xmit lock: kick, reclaim, and say whether there is
	 * room again. NULL: EPOLLOUT wakes the queue at once.
	 */
	bool (*tx_clean)(struct kif_queue *q);
	bool tx_ready; /* atomic: EPOLLOUT came, the poll is to complete TX */
	u64 st[KS_NR]; /* atomic adds */
};

static inline void kif_stat_add(struct kif_queue *q, enum kif_stat i, u64 n)
{
	__atomic_fetch_add(&q->st[i], n, __ATOMIC_RELAXED);
}

/** kif_queue_init - @fd is both lines; a driver with a TX socket of its own sets @txfd after. */
void kif_queue_init(struct kif_queue *q, struct net_device *dev, unsigned int index, int fd);
/** kif_queue_start - NAPI added and enabled, the fd an interrupt line. Context: ndo_open. */
int kif_queue_start(struct kif_queue *q, int (*poll)(struct napi_struct *, int));
struct kif_link;
/** kif_queue_quiesce - no more interrupts from the fd (it may be dead). Context: rtnl. */
void kif_queue_quiesce(struct kif_queue *q);
/** kif_queue_stop - quiesce, napi_disable, netif_napi_del. Context: ndo_stop. */
void kif_queue_stop(struct kif_queue *q);
/** kif_rx_complete - napi_complete_done and EPOLLIN back on. Context: NAPI poll. */
void kif_rx_complete(struct kif_queue *q, int done);
/** kif_tx_full - the kernel side is full: stop the queue, ask for EPOLLOUT. Context: xmit lock. */
void kif_tx_full(struct kif_queue *q);
/**
 * kif_tx_complete - TX completion in the NAPI poll, as virtio_net cleans TX:
 * after EPOLLOUT, q->tx_clean() under a trylock of the queue's xmit lock,
 * then the queue is woken (room) or EPOLLOUT asked for again. False when the
 * lock was busy: poll again. Context: NAPI poll.
 */
bool kif_tx_complete(struct kif_queue *q);
void kif_stats_fold(const struct kif_queue *qs, unsigned int n, struct unetdev_backend_stats *bs);
void kif_stats64(const struct kif_queue *qs, unsigned int n, struct rtnl_link_stats64 *s);

/* ---- virtio_net_hdr (IFF_VNET_HDR, PACKET_VNET_HDR) ---- */

/* struct virtio_net_hdr (virtio spec 5.1.6), native endian as the legacy TAP and
 * AF_PACKET interfaces use it (vio_le() on little-endian hosts). */
struct kif_vnet_hdr {
	u8 flags;
	u8 gso_type;
	u16 hdr_len;
	u16 gso_size;
	u16 csum_start;
	u16 csum_offset;
} __attribute__((packed));
_Static_assert(sizeof(struct kif_vnet_hdr) == KIF_VNET_HDR_LEN, "virtio_net_hdr is 10 bytes");

#define KIF_VNET_F_NEEDS_CSUM 1
#define KIF_VNET_F_DATA_VALID 2
#define KIF_VNET_GSO_NONE     0
#define KIF_VNET_GSO_TCPV4    1
#define KIF_VNET_GSO_TCPV6    4
#define KIF_VNET_GSO_UDP_L4   5
#define KIF_VNET_GSO_ECN      0x80

/** kif_vnet_to_skb - virtio_net_hdr_to_skb: checksum state and GSO fields; -EINVAL if bad. */
int kif_vnet_to_skb(struct sk_buff *skb, const struct kif_vnet_hdr *vh);
/** kif_vnet_from_skb - virtio_net_hdr_from_skb; -EINVAL for a GSO type it cannot carry. */
int kif_vnet_from_skb(const struct sk_buff *skb, struct kif_vnet_hdr *vh);
/** kif_vnet_features - what a device with a virtio_net_hdr offloads (@off: KIF_TUN_F_*). */
void kif_vnet_features(struct net_device *dev, unsigned int off);

/* ---- software receive filter (ndo_set_rx_mode) ---- */
#define KIF_FLT_UC 16
#define KIF_FLT_MC 64

struct kif_filter {
	spinlock_t lock;
	bool promisc, allmulti, uc_overflow;
	unsigned int nuc, nmc;
	u8 uc[KIF_FLT_UC][ETH_ALEN];
	u8 mc[KIF_FLT_MC][ETH_ALEN];
};

void kif_filter_init(struct kif_filter *f);
/** kif_filter_update - copy flags and address lists. Context: netif_addr_lock held. */
void kif_filter_update(struct kif_filter *f, struct net_device *dev);
/** kif_filter_pass - a NIC's address filter for destination @dst. Context: any. */
bool kif_filter_pass(struct kif_filter *f, const struct net_device *dev, const u8 *dst);

/* ---- link watcher ---- */
struct kif_link_ops {
	/* Both run on the watcher thread with rtnl held. */
	void (*mtu_changed)(struct net_device *dev, unsigned int mtu);
	void (*gone)(struct net_device *dev);
};

struct kif_link {
	struct net_device *dev;
	const struct kif_link_ops *ops;
	int ifindex;
	int nlfd, stopfd;
	pthread_t thread;
	bool started;
	bool gone;	  /* atomic */
	unsigned int mtu; /* atomic: the kernel MTU last seen */
};

/**
 * kif_link_open - subscribe to link events for @ifindex. Call before reading
 * the kernel state so that no change falls between. Context: process.
 */
int kif_link_open(struct kif_link *l, int ifindex, struct kif_err *e);
/** kif_link_start - start the watcher thread for registered @dev. */
int kif_link_start(struct kif_link *l, struct net_device *dev, const struct kif_link_ops *ops,
		   unsigned int mtu);
/** kif_link_stop - stop and join it, close the socket. Context: any (it never blocks on rtnl). */
void kif_link_stop(struct kif_link *l);
/**
 * kif_register - register @dev (taking rtnl), mirror the kernel side's carrier
 * and start its link watcher. On error *@must_free says whether the caller
 * still owns the device (registration failed) or the core frees it (it was
 * registered and is now being unregistered: needs_free_netdev).
 */
int kif_register(struct net_device *dev, struct kif_link *link, const struct kif_link_ops *ops,
		 bool up, bool running, unsigned int mtu, bool *must_free);

/* ---- the common head of a kernel-backed driver's priv ---- */

/*
 * struct kif_dev starts the priv of tap, af_packet and af_xdp, so that the
 * ndo_open/ndo_stop/ndo_uninit/ndo_set_rx_mode/ndo_get_stats64 they share
 * live here. The driver's queues are an array of its own struct, each
 * holding a struct kif_queue: queue @i's is @qstride bytes after queue
 * @i - 1's.
 */
struct kif_dev {
	struct kif_link link;
	struct kif_filter filter;
	char kname[KIF_NAMSIZ];
	unsigned int nq;
	struct kif_queue *q0;
	size_t qstride;
	int (*poll)(struct napi_struct *napi, int budget);
	/* Optional: a queue's TX part (tap: its spare RX skb) at ndo_stop, after every
	 * queue stopped. */
	void (*tx_stop)(struct kif_queue *q);
	/* Optional: the kernel's own counters (PACKET_STATISTICS) into the queues. */
	void (*stats_refresh)(struct net_device *dev);
};

static inline struct kif_dev *kif_dev(const struct net_device *dev)
{
	return netdev_priv(dev);
}

static inline struct kif_queue *kif_dev_queue(const struct kif_dev *k, unsigned int i)
{
	return (struct kif_queue *)((char *)k->q0 + (size_t)i * k->qstride);
}

/**
 * kif_dev_init - @nq queues, the first one's kif_queue @q0, @qstride bytes
 * apart; fds closed, filter and link empty. Context: create, before kernel open.
 */
void kif_dev_init(struct kif_dev *k, unsigned int nq, struct kif_queue *q0, size_t qstride,
		  int (*poll)(struct napi_struct *, int));
/** kif_ndo_open - -ENODEV (logged) once the kernel side is gone, else every queue started. */
int kif_ndo_open(struct net_device *dev);
/** kif_ndo_stop - TX stopped, every queue stopped, then each queue's tx_stop. */
int kif_ndo_stop(struct net_device *dev);
/** kif_ndo_uninit - the link watcher stopped. */
void kif_ndo_uninit(struct net_device *dev);
/** kif_ndo_set_rx_mode - the software filter programmed (context: addr lock). */
void kif_ndo_set_rx_mode(struct net_device *dev);
/** kif_ndo_get_stats64 - the queues' counters added to @s. */
void kif_ndo_get_stats64(struct net_device *dev, struct rtnl_link_stats64 *s);
/** kif_dev_stats - the queues' counters folded into @bs, with the kernel side's MTU and removal. */
void kif_dev_stats(struct net_device *dev, struct unetdev_backend_stats *bs);

/** kif_set_carrier - carrier from the kernel's IFF_UP && IFF_RUNNING. */
void kif_set_carrier(struct net_device *dev, bool up, bool running);

/* Per-driver accessors behind unetdev_backend_stats() / _kernel_ifname(): -EINVAL if not theirs. */
int unetdev__tap_stats(struct net_device *dev, struct unetdev_backend_stats *st);
int unetdev__tap_kname(struct net_device *dev, char *buf, size_t len);
int unetdev__afp_stats(struct net_device *dev, struct unetdev_backend_stats *st);
int unetdev__afp_kname(struct net_device *dev, char *buf, size_t len);

#endif
