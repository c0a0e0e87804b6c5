// SPDX-License-Identifier: MIT
/*
 * af_packet_tx.c - the af_packet driver's transmit side (af_packet.c has
 * the rest; Documentation/networking/packet_mmap.rst the reference).
 *
 *  batch (default) frames collect in a per-queue batch of up to
 *       AFP_TX_BATCH and go out with one sendmmsg(); a batch the socket
 *       cannot take (EAGAIN) stops the queue.
 *  ring (tx_ring) frames are copied into the slots of a PACKET_TX_RING and
 *       one send(MSG_DONTWAIT) kicks the kernel; a slot is complete when
 *       the kernel sets it back to TP_STATUS_AVAILABLE, and the queue stops
 *       while the ring is full.
 *  doorbell the sendmmsg or the kick is the NIC's doorbell. It rings at
 *       once when AFP_TX_BATCH frames wait (or the ring is full); when
 *       netdev_xmit_more() says no more follow it is deferred to the end of
 *       the CPU's softirq round or BH-disabled section
 *       (netdev_xmit_flush_defer, include/unetdev/xmit_flush.h), so a
 *       caller handing dev_queue_xmit() one skb at a time - an rx_handler
 *       forwarding what a NAPI poll received, an application transmitting
 *       a burst with BHs disabled - still makes one system call per batch.
 *  completion EPOLLOUT schedules the NAPI poll, which finishes the work
 *       under the queue's xmit lock (trylock, as virtio_net's TX cleaning,
 *       kif_tx_complete) and wakes the queue.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include <unetdev/unetdev.h>
#include <unetdev/if_vlan.h>
#include <unetdev/skbuff_hdr.h>

#include "af_packet.h"

/* Retire the first @n skbs of the batch: sent (@err 0) or refused. */
static void afp_tx_retire(struct afp_queue *aq, unsigned int n, int err)
{
	for (unsigned int i = 0; i < n; i++) {
		struct sk_buff *skb = aq->tx_skb[i];

		if (err) {
			kif_stat_add(&aq->kq, KS_TX_ERRORS, 1);
			kfree_skb_reason(skb, SKB_DROP_REASON_TX_ERROR);
			continue;
		}
		kif_stat_add(&aq->kq, KS_TX_PACKETS, 1);
		kif_stat_add(&aq->kq, KS_TX_BYTES, skb->len);
		consume_skb(skb);
	}
	aq->tx_n -= n;
	// NOLINTNEXTLINE(bugprone-sizeof-expression): an array of pointers
	memmove(aq->tx_skb, aq->tx_skb + n, aq->tx_n * sizeof(aq->tx_skb[0]));
	memmove(aq->tx_vh, aq->tx_vh + n, aq->tx_n * sizeof(aq->tx_vh[0]));
}

/*
 * Send the batch with sendmmsg. A frame the kernel refuses (interface down
 * or gone, too big) is dropped and counted; EAGAIN (socket buffer full)
 * leaves the rest in the batch, stops the queue and asks for EPOLLOUT.
 * Context: the queue's xmit lock.
 */
static void afp_tx_flush(struct afp_queue *aq)
{
	void *bufs[AFP_TX_BATCH];
	unsigned int lens[AFP_TX_BATCH];

	while (aq->tx_n) {
		int n;

		for (unsigned int i = 0; i < aq->tx_n; i++) {
			bufs[i] = aq->tx_skb[i]->data;
			lens[i] = aq->tx_skb[i]->len;
		}
		n = kif_os_packet_sendmmsg(aq->kq.txfd, bufs, lens, aq->tx_n,
					   afp_priv(aq->kq.dev)->vnet_hdr ? aq->tx_vh : NULL,
					   KIF_VNET_HDR_LEN);
		if (n == -EAGAIN || n == -ENOBUFS || n == 0) {
			kif_tx_full(&aq->kq);
			return;
		}
		afp_tx_retire(aq, n < 0 ? 1 : (unsigned int)n, n < 0 ? n : 0);
	}
}

/* A frame this device cannot hand to the kernel: dropped, counted, reported once a second. */
static void afp_tx_drop(struct afp_queue *aq, struct sk_buff *skb, const char *why)
{
	kif_stat_add(&aq->kq, KS_TX_ERRORS, 1);
	if (jiffies - aq->tx_err_last > HZ || !aq->tx_err_last) {
		aq->tx_err_last = jiffies | 1;
		netdev_err(aq->kq.dev, "TX frame of %u bytes dropped: %s", skb->len, why);
	}
	kfree_skb_reason(skb, SKB_DROP_REASON_TX_ERROR);
}

/* The batch path: @skb joins the batch, sent when it is full or (deferred) when no more follow. */
static void afp_batch_xmit(struct afp_queue *aq, struct afp_priv *p, struct sk_buff *skb)
{
	if (p->vnet_hdr && kif_vnet_from_skb(skb, &aq->tx_vh[aq->tx_n])) {
		afp_tx_drop(aq, skb, "GSO type without a virtio_net_hdr form");
		return;
	}
	if (skb_is_gso(skb))
		kif_stat_add(&aq->kq, KS_TX_GSO, 1);
	aq->tx_skb[aq->tx_n++] = skb;
	if (aq->tx_n == AFP_TX_BATCH)
		afp_tx_flush(aq);
	else if (!netdev_xmit_more())
		netdev_xmit_flush_defer(&aq->flush);
}

/* ---- TX ring ---- */

/* Slots the kernel has taken (no longer SEND_REQUEST) are sent: count them. */
static void afp_ring_taken(struct afp_queue *aq)
{
	const struct kif_txring *t = &aq->ring.tx;

	while (aq->pend != aq->prod &&
	       kif_txslot_state(t, aq->pend % t->frame_nr) != KIF_TX_QUEUED) {
		kif_stat_add(&aq->kq, KS_TX_PACKETS, 1);
		kif_stat_add(&aq->kq, KS_TX_BYTES, aq->tx_len[aq->pend % t->frame_nr]);
		aq->pend++;
	}
}

/* Completion: the kernel freed a slot's skb (tpacket_destruct_skb: TP_STATUS_AVAILABLE). */
static void afp_ring_reclaim(struct afp_queue *aq)
{
	const struct kif_txring *t = &aq->ring.tx;

	while (aq->cons != aq->pend &&
	       kif_txslot_state(t, aq->cons % t->frame_nr) != KIF_TX_SENDING)
		aq->cons++;
}

/* Take back the slots the kernel did not take (it refuses them): dropped, counted. */
static void afp_ring_cancel(struct afp_queue *aq)
{
	const struct kif_txring *t = &aq->ring.tx;

	while (aq->prod != aq->pend) {
		aq->prod--;
		kif_txslot_cancel(t, aq->prod % t->frame_nr);
		kif_stat_add(&aq->kq, KS_TX_ERRORS, 1);
	}
}

/*
 * send() the requested slots. EAGAIN/ENOBUFS (socket buffer or qdisc full)
 * leave the rest requested for the next kick; any other error (interface
 * down or gone) means the kernel will not take them: they are dropped.
 */
static void afp_ring_kick(struct afp_queue *aq)
{
	int err = kif_os_packet_kick(aq->kq.txfd);

	afp_ring_taken(aq);
	if (err && err != -EAGAIN && err != -ENOBUFS)
		afp_ring_cancel(aq);
}

static bool afp_ring_full(const struct afp_queue *aq)
{
	return aq->prod - aq->cons >= aq->ring.tx.frame_nr;
}

/* Copy @skb into the next slot, [virtio_net_hdr,] frame. Consumes @skb. */
static void afp_ring_put(struct afp_queue *aq, struct afp_priv *p, struct sk_buff *skb)
{
	const struct kif_txring *t = &aq->ring.tx;
	unsigned int hl = p->vnet_hdr ? KIF_VNET_HDR_LEN : 0, slot = aq->prod % t->frame_nr;
	struct kif_vnet_hdr vh;
	u8 *d;

	if (unlikely(skb->len + hl > t->max_len)) {
		afp_tx_drop(aq, skb, "larger than the TX ring slot (raise tx_frame_size)");
		return;
	}
	/* tpacket_snd()'s size_max: with PACKET_LOSS the kernel would skip it silently. */
	if (unlikely(!skb_is_gso(skb) &&
		     skb->len > READ_ONCE(aq->kq.dev->max_mtu) + ETH_HLEN + VLAN_HLEN)) {
		afp_tx_drop(aq, skb, "larger than the kernel interface's MTU");
		return;
	}
	if (hl && kif_vnet_from_skb(skb, &vh)) {
		afp_tx_drop(aq, skb, "GSO type without a virtio_net_hdr form");
		return;
	}
	d = kif_txslot_data(t, slot);
	if (hl)
		memcpy(d, &vh, hl);
	memcpy(d + hl, skb->data, skb->len);
	aq->tx_len[slot] = skb->len;
	kif_txslot_post(t, slot, skb->len + hl);
	aq->prod++;
	if (skb_is_gso(skb))
		kif_stat_add(&aq->kq, KS_TX_GSO, 1);
	consume_skb(skb);
}

/*
 * The ring path. The queue is stopped when the last free slot is used, so
 * the next frame always has one (as NIC drivers stop with room for one more);
 * EPOLLOUT then completes slots and wakes it.
 */
static netdev_tx_t afp_ring_xmit(struct afp_queue *aq, struct afp_priv *p, struct sk_buff *skb)
{
	afp_ring_reclaim(aq);
	if (unlikely(afp_ring_full(aq))) {
		afp_ring_kick(aq);
		kif_tx_full(&aq->kq); /* only a caller that ignores the stopped queue */
		return NETDEV_TX_BUSY;
	}
	afp_ring_put(aq, p, skb);
	/* A full ring is kicked at once: only the kernel taking slots brings EPOLLOUT. */
	if (aq->prod - aq->pend >= AFP_TX_BATCH || afp_ring_full(aq))
		afp_ring_kick(aq);
	else if (!netdev_xmit_more() && aq->prod != aq->pend)
		netdev_xmit_flush_defer(&aq->flush);
	if (afp_ring_full(aq)) {
		afp_ring_reclaim(aq);
		if (afp_ring_full(aq))
			kif_tx_full(&aq->kq);
	}
	return NETDEV_TX_OK;
}

/* Consumes @skb except for NETDEV_TX_BUSY, which only a caller that ignores the stopped queue gets.
 */
netdev_tx_t afp_xmit(struct sk_buff *skb, struct net_device *dev)
{
	struct afp_priv *p = afp_priv(dev);
	struct afp_queue *aq = &p->q[skb_get_queue_mapping(skb) % p->kd.nq];

	if (p->tx_ring)
		return afp_ring_xmit(aq, p, skb);
	if (unlikely(aq->tx_n == AFP_TX_BATCH)) {
		netif_tx_stop_queue(netdev_get_tx_queue(dev, aq->kq.index));
		return NETDEV_TX_BUSY;
	}
	afp_batch_xmit(aq, p, skb);
	return NETDEV_TX_OK;
}

/* After EPOLLOUT (kif_tx_complete, xmit lock held): finish the batch, or kick and reclaim. */
bool afp_tx_clean(struct kif_queue *kq)
{
	struct afp_queue *aq = container_of(kq, struct afp_queue, kq);

	if (!afp_priv(kq->dev)->tx_ring) {
		afp_tx_flush(aq);
		return !aq->tx_n;
	}
	if (aq->pend != aq->prod)
		afp_ring_kick(aq);
	afp_ring_reclaim(aq);
	return !afp_ring_full(aq);
}

/*
 * The deferred doorbell (xmit lock held). A stopped queue is left alone: it
 * waits for EPOLLOUT (kif_tx_complete finishes it) or is closing (afp_tx_stop).
 */
static void afp_tx_doorbell(struct netdev_xmit_flush *f)
{
	struct afp_queue *aq = container_of(f, struct afp_queue, flush);

	if (netif_tx_queue_stopped(f->txq))
		return;
	if (aq->ring.tx.map) {
		if (aq->pend != aq->prod)
			afp_ring_kick(aq);
	} else if (aq->tx_n) {
		afp_tx_flush(aq);
	}
}

void afp_tx_init(struct afp_queue *aq, struct net_device *dev, unsigned int index)
{
	netdev_xmit_flush_init(&aq->flush, netdev_get_tx_queue(dev, index), afp_tx_doorbell);
}

void afp_tx_stop(struct kif_queue *kq)
{
	struct afp_queue *aq = container_of(kq, struct afp_queue, kq);
	struct netdev_queue *txq = aq->flush.txq;

	netdev_xmit_flush_sync(&aq->flush);
	local_bh_disable();
	__netif_tx_lock(txq, (int)smp_processor_id());
	if (aq->tx_n) /* a batch the kernel refused with EAGAIN: one more try */
		afp_tx_flush(aq);
	afp_tx_retire(aq, aq->tx_n, -ENETDOWN);
	if (aq->ring.tx.map) {
		if (aq->pend != aq->prod)
			kif_os_packet_kick(aq->kq.txfd);
		afp_ring_taken(aq);
		afp_ring_cancel(aq);
	}
	__netif_tx_unlock(txq);
	local_bh_enable();
}

/* TX ring slots: the configured size, else room for a GSO frame (vnet_hdr) or the kernel MTU. */
void afp_tx_ring_req(const struct unetdev_af_packet_config *cfg, unsigned int mtu,
		     struct kif_packet_req *req)
{
	unsigned int fit = ALIGN(mtu + ETH_HLEN + VLAN_HLEN + 48, 16);

	if (!cfg->tx_ring)
		return;
	if (cfg->tx_frame_size)
		req->tx_frame_size = cfg->tx_frame_size;
	else if (cfg->vnet_hdr)
		req->tx_frame_size = AFP_TX_FRAME_SIZE_VNET;
	else
		req->tx_frame_size = fit > AFP_TX_FRAME_SIZE ? fit : AFP_TX_FRAME_SIZE;
	req->tx_frame_nr = cfg->tx_frame_nr ? cfg->tx_frame_nr
			   : cfg->vnet_hdr  ? AFP_TX_FRAME_NR_VNET
					    : AFP_TX_FRAME_NR;
}

int afp_tx_ring_alloc(struct afp_queue *aq, struct kif_err *e)
{
	aq->tx_len = calloc(aq->ring.tx.frame_nr, sizeof(*aq->tx_len));
	if (!aq->tx_len) {
		snprintf(e->msg, sizeof(e->msg), "TX ring of %u slots: out of memory",
			 aq->ring.tx.frame_nr);
		return -ENOMEM;
	}
	return 0;
}
