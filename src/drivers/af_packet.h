/* SPDX-License-Identifier: MIT */
/*
 * af_packet.h - what the af_packet driver's two files share: af_packet.c
 * (RX ring, rx_mode, control, create) and af_packet_tx.c (the sendmmsg
 * batch, the PACKET_TX_RING and their deferred doorbell).
 */
#ifndef UNETDEV_DRIVERS_AF_PACKET_H
#define UNETDEV_DRIVERS_AF_PACKET_H

#include <stddef.h>

#include <unetdev/xmit_flush.h>

#include "kif.h"

#define AFP_TX_BATCH 32

#define AFP_TX_FRAME_SIZE      2048u
#define AFP_TX_FRAME_NR	       256u
#define AFP_TX_FRAME_SIZE_VNET (65536u + 128) /* a 64 KiB GSO frame and the slot header */
#define AFP_TX_FRAME_NR_VNET   32u

struct afp_queue {
	struct kif_queue kq;
	struct kif_ring ring;	/* the NAPI owner walks the RX part */
	int txfd;		/* the TX socket (kq.txfd once the queue is set up) */
	unsigned long err_last; /* ratelimit of RX error messages */
	unsigned long tx_err_last;
	/* TX state, under the queue's xmit lock. The sendmmsg batch is non-empty
	 * while its doorbell is deferred (@flush queued) or while the queue is
	 * stopped waiting for EPOLLOUT. */
	unsigned int tx_n;
	struct sk_buff *tx_skb[AFP_TX_BATCH];
	struct kif_vnet_hdr tx_vh[AFP_TX_BATCH];
	/* TX ring (free-running slot counters, cons <= pend <= prod): prod the next
	 * slot to fill, pend the first the kernel may not have taken yet, cons the
	 * first not yet complete. */
	u32 prod, pend, cons;
	u32 *tx_len;			/* per slot: the frame's length, for tx_bytes */
	struct netdev_xmit_flush flush; /* the deferred doorbell: sendmmsg or ring kick */
};

struct afp_priv {
	struct kif_dev kd; /* first: kif.c's shared ndo parts */
	int ifindex;
	bool vnet_hdr, tx_ring;
	/* What the kernel interface was told (netif_addr_lock). */
	bool k_promisc, k_allmulti;
	unsigned int nkmc;
	u8 kmc[KIF_FLT_MC][ETH_ALEN];
	struct afp_queue q[]; /* nq */
};
_Static_assert(offsetof(struct afp_priv, kd) == 0, "kif_dev(dev) is netdev_priv(dev)");

static inline struct afp_priv *afp_priv(const struct net_device *dev)
{
	return netdev_priv(dev);
}

/* af_packet_tx.c */
/** afp_xmit - ndo_start_xmit. Context: queue xmit lock held, BHs disabled (R-SYNC-5). */
netdev_tx_t afp_xmit(struct sk_buff *skb, struct net_device *dev);
/** afp_tx_clean - kif_queue.tx_clean: after EPOLLOUT, finish the batch or kick and reclaim. */
bool afp_tx_clean(struct kif_queue *kq);
/** afp_tx_init - the queue's deferred doorbell, on TX queue @index of @dev. */
void afp_tx_init(struct afp_queue *aq, struct net_device *dev, unsigned int index);
/**
 * afp_tx_stop - kif_dev.tx_stop, at ndo_stop after the queues stopped: the
 * last deferred doorbell has run, what the kernel still takes is sent, the
 * rest dropped and counted. Context: process, NAPI disabled.
 */
void afp_tx_stop(struct kif_queue *kq);
/** afp_tx_ring_req - TX ring slots: the configured size, else a GSO frame or the MTU. */
void afp_tx_ring_req(const struct unetdev_af_packet_config *cfg, unsigned int mtu,
		     struct kif_packet_req *req);
/** afp_tx_ring_alloc - the per-slot length array of a queue's TX ring. */
int afp_tx_ring_alloc(struct afp_queue *aq, struct kif_err *e);

#endif
