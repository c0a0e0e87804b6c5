// SPDX-License-Identifier: MIT
/*
 * af_packet.c - a unetdev device attached to an existing kernel interface
 * through AF_PACKET sockets (kernel net/packet/af_packet.c is the other end;
 * Documentation/networking/packet_mmap.rst the reference). One socket per
 * unetdev TX/RX queue; with more than one they form a PACKET_FANOUT_HASH
 * group, so the kernel spreads flows over the queues as RSS would.
 *
 *  RX   a TPACKET_V3 block ring per socket. The socket is an interrupt line;
 *       the NAPI poll walks the ring's blocks, copies each frame into an skb,
 *       restores the VLAN tag the kernel took out (tp_vlan_tci with
 *       TP_STATUS_VLAN_VALID) and the checksum state (TP_STATUS_CSUMNOTREADY:
 *       the frame still carries a partial checksum, so the skb is
 *       CHECKSUM_PARTIAL; TP_STATUS_CSUM_VALID: CHECKSUM_UNNECESSARY), and
 *       filters it in software (a packet socket sees every frame).
 *  TX   either (default) frames collect in a per-queue batch while
 *       netdev_xmit_more() says more follow, and go out with one sendmmsg();
 *       a batch the socket cannot take (EAGAIN) stops the queue. Or
 *       (tx_ring) frames are copied into the slots of a PACKET_TX_RING and
 *       one send(MSG_DONTWAIT) kicks the kernel; a slot is complete when the
 *       kernel sets it back to TP_STATUS_AVAILABLE, and the queue stops while
 *       the ring is full. Either way EPOLLOUT schedules the NAPI poll, which
 *       finishes the work under the queue's xmit lock (trylock, as
 *       virtio_net's TX cleaning, kif_tx_complete) and wakes the queue.
 *       PACKET_QDISC_BYPASS skips the kernel's qdisc when asked.
 *  vnet PACKET_VNET_HDR: a virtio_net_hdr precedes each frame both ways (in
 *       the RX ring just before the MAC header, in a TX slot or iovec just
 *       before the frame), so GSO frames pass whole and the device offloads
 *       checksums and TSO to the kernel (tun/virtio_net's contract).
 *  rx_mode  promiscuity, allmulti and the multicast list are also pushed to
 *       the kernel interface with PACKET_{ADD,DROP}_MEMBERSHIP (from
 *       ndo_set_rx_mode: setsockopt does not sleep for these).
 *  Link carrier follows the kernel interface; MTU: max_mtu is the kernel
 *       MTU and follows it, dev->mtu is lowered when the kernel's drops
 *       below it. A kernel interface that disappears: carrier off, queues
 *       quiesced, ndo_open fails with -ENODEV.
 */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <unetdev/unetdev.h>
#include <unetdev/etherdevice.h>
#include <unetdev/if_vlan.h>
#include <unetdev/ip.h>
#include <unetdev/skbuff_hdr.h>

#include "backend_cfg.h"
#include "kif.h"

#define AFP_BLOCK_SIZE (256u * 1024)
#define AFP_BLOCK_NR   16u
#define AFP_FRAME_SIZE 2048u
#define AFP_TIMEOUT_MS 1u

#define AFP_TX_BATCH 32

#define AFP_TX_FRAME_SIZE      2048u
#define AFP_TX_FRAME_NR	       256u
#define AFP_TX_FRAME_SIZE_VNET (65536u + 128) /* a 64 KiB GSO frame and the slot header */
#define AFP_TX_FRAME_NR_VNET   32u

/* What the kernel does for us behind a virtio_net_hdr (it segments what its device cannot). */
#define AFP_VNET_OFFLOADS (KIF_TUN_F_CSUM | KIF_TUN_F_TSO4 | KIF_TUN_F_TSO6 | KIF_TUN_F_TSO_ECN)

struct afp_queue {
	struct kif_queue kq;
	struct kif_ring ring;	/* the NAPI owner walks the RX part */
	unsigned long err_last; /* ratelimit of RX error messages */
	unsigned long tx_err_last;
	/* TX state, under the queue's xmit lock. The sendmmsg batch is non-empty
	 * after a flush only while the queue is stopped waiting for EPOLLOUT. */
	unsigned int tx_n;
	struct sk_buff *tx_skb[AFP_TX_BATCH];
	struct kif_vnet_hdr tx_vh[AFP_TX_BATCH];
	/* TX ring (free-running slot counters, cons <= pend <= prod): prod the next
	 * slot to fill, pend the first the kernel may not have taken yet, cons the
	 * first not yet complete. */
	u32 prod, pend, cons;
	u32 *tx_len; /* per slot: the frame's length, for tx_bytes */
};

struct afp_priv {
	struct kif_link link;
	struct kif_filter filter;
	char kname[KIF_NAMSIZ];
	int ifindex;
	unsigned int nq;
	bool vnet_hdr, tx_ring;
	/* What the kernel interface was told (netif_addr_lock). */
	bool k_promisc, k_allmulti;
	unsigned int nkmc;
	u8 kmc[KIF_FLT_MC][ETH_ALEN];
	struct afp_queue q[]; /* nq */
};

static const struct net_device_ops afp_netdev_ops;

static struct afp_priv *afp_priv(const struct net_device *dev)
{
	return netdev_priv(dev);
}

/* ---- RX ---- */

/*
 * TP_STATUS_CSUMNOTREADY: a locally generated frame whose L4 checksum is
 * still to be filled in. The socket does not say where it is, so find the
 * TCP/UDP header (IPv4 without fragments, IPv6 without extension headers)
 * and hand the skb on as CHECKSUM_PARTIAL; anything else stays NONE.
 */
static void afp_csum_partial(struct sk_buff *skb)
{
	const u8 *d = skb->data;
	unsigned int off = ETH_HLEN, l4off, proto;
	u16 type = (u16)(d[12] << 8 | d[13]);

	if (type == ETH_P_8021Q && skb->len >= ETH_HLEN + 4) {
		type = (u16)(d[16] << 8 | d[17]);
		off += 4;
	}
	if (type == ETH_P_IP && skb->len >= off + 20 && !(d[off + 6] & 0x3f) && !d[off + 7]) {
		l4off = off + (d[off] & 0xfu) * 4;
		proto = d[off + 9];
	} else if (type == ETH_P_IPV6 && skb->len >= off + 40) {
		l4off = off + 40;
		proto = d[off + 6];
	} else {
		return;
	}
	if (proto == 6 && skb->len >= l4off + 20)
		skb->csum_offset = 16;
	else if (proto == 17 && skb->len >= l4off + 8)
		skb->csum_offset = 6;
	else
		return;
	skb->ip_summed = CHECKSUM_PARTIAL;
	skb->csum_start = (u16)(skb_headroom(skb) + l4off);
	skb->transport_header = skb->csum_start;
}

/* A frame the ring could not hold: counted, reported at most once a second. */
static void afp_rx_truncated(struct afp_queue *aq, unsigned int len, unsigned int snaplen)
{
	kif_stat_add(&aq->kq, KS_RX_TRUNCATED, 1);
	if (jiffies - aq->err_last > HZ || !aq->err_last) {
		aq->err_last = jiffies | 1;
		netdev_err(aq->kq.dev,
			   "RX frame of %u bytes does not fit the ring slot (%u): dropped; "
			   "raise block_size",
			   len, snaplen);
	}
}

/* Checksum state and GSO fields: from the virtio_net_hdr, else from tp_status. */
static int afp_rx_offloads(struct afp_queue *aq, struct sk_buff *skb, const struct kif_pkt *pkt)
{
	struct kif_vnet_hdr vh;

	if (pkt->vnet) {
		memcpy(&vh, pkt->vnet, sizeof(vh));
		if (kif_vnet_to_skb(skb, &vh))
			return -EINVAL;
		if (skb_is_gso(skb))
			kif_stat_add(&aq->kq, KS_RX_GSO, 1);
	} else if (pkt->status & KIF_ST_CSUMNOTREADY) {
		afp_csum_partial(skb);
	} else if (pkt->status & KIF_ST_CSUM_VALID) {
		skb->ip_summed = CHECKSUM_UNNECESSARY;
	}
	return 0;
}

/* A GSO frame (PACKET_VNET_HDR) is larger than the MTU by design. */
static bool afp_rx_is_gso(const struct kif_pkt *pkt)
{
	return pkt->vnet && (pkt->vnet[1] & ~KIF_VNET_GSO_ECN) != KIF_VNET_GSO_NONE;
}

/* One frame of the ring into an skb, or dropped and counted. Context: NAPI poll. */
static void afp_rx_one(struct afp_queue *aq, struct afp_priv *p, const struct kif_pkt *pkt)
{
	struct net_device *dev = aq->kq.dev;
	bool vlan = pkt->status & KIF_ST_VLAN_VALID;
	struct sk_buff *skb;

	if (pkt->pkttype == KIF_PKT_OUTGOING)
		return; /* our own transmissions, on kernels without PACKET_IGNORE_OUTGOING */
	if (unlikely(pkt->snaplen < pkt->len || pkt->len < ETH_HLEN)) {
		afp_rx_truncated(aq, pkt->len, pkt->snaplen);
		return;
	}
	if (!afp_rx_is_gso(pkt) && !netdev_rx_frame_fits(dev, pkt->len + (vlan ? VLAN_HLEN : 0))) {
		kif_stat_add(&aq->kq, KS_RX_TOO_BIG, 1);
		return;
	}
	if (!kif_filter_pass(&p->filter, dev, pkt->data)) {
		kif_stat_add(&aq->kq, KS_RX_FILTERED, 1);
		dev_core_stats_rx_otherhost_dropped_inc(dev);
		return;
	}
	skb = netdev_alloc_skb(dev, pkt->len);
	if (unlikely(!skb)) {
		kif_stat_add(&aq->kq, KS_RX_NOMEM, 1);
		return;
	}
	skb_put_data(skb, pkt->data, pkt->len);
	if (vlan) {
		u16 tpid = (pkt->status & KIF_ST_VLAN_TPID_VALID) && pkt->vlan_tpid ? pkt->vlan_tpid
										    : ETH_P_8021Q;

		__vlan_hwaccel_put_tag(skb, htons(tpid), pkt->vlan_tci);
		kif_stat_add(&aq->kq, KS_RX_VLAN, 1);
	}
	if (unlikely(afp_rx_offloads(aq, skb, pkt))) {
		kif_stat_add(&aq->kq, KS_RX_TRUNCATED, 1); /* a virtio_net_hdr we cannot use */
		kfree_skb_reason(skb, SKB_DROP_REASON_DEV_HDR);
		return;
	}
	kif_stat_add(&aq->kq, KS_RX_PACKETS, 1);
	kif_stat_add(&aq->kq, KS_RX_BYTES, pkt->len);
	skb_set_queue_mapping(skb, (u16)aq->kq.index);
	skb->protocol = eth_type_trans(skb, dev);
	napi_gro_receive(&aq->kq.napi, skb);
}

/* The NAPI poll (R-NAPI-8): up to @budget frames of the ring. Context: softirq, SCHED owned. */
static int afp_poll(struct napi_struct *napi, int budget)
{
	struct afp_queue *aq = container_of(napi, struct afp_queue, kq.napi);
	struct afp_priv *p = afp_priv(aq->kq.dev);
	struct kif_pkt pkt;
	int done = 0;

	kif_stat_add(&aq->kq, KS_RX_POLLS, 1);
	if (!kif_tx_complete(&aq->kq))
		return budget; /* the xmit lock was busy: poll again */
	while (done < budget && kif_ring_next(&aq->ring, &pkt)) {
		afp_rx_one(aq, p, &pkt);
		done++;
	}
	if (done < budget)
		kif_rx_complete(&aq->kq, done);
	return done;
}

/* ---- TX ---- */

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
		n = kif_os_packet_sendmmsg(aq->kq.fd, bufs, lens, aq->tx_n,
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

/* The batch path: @skb joins the batch, sent when no more follow or it is full. */
static void afp_batch_xmit(struct afp_queue *aq, struct afp_priv *p, struct sk_buff *skb)
{
	if (p->vnet_hdr && kif_vnet_from_skb(skb, &aq->tx_vh[aq->tx_n])) {
		afp_tx_drop(aq, skb, "GSO type without a virtio_net_hdr form");
		return;
	}
	if (skb_is_gso(skb))
		kif_stat_add(&aq->kq, KS_TX_GSO, 1);
	aq->tx_skb[aq->tx_n++] = skb;
	if (aq->tx_n < AFP_TX_BATCH && netdev_xmit_more())
		return;
	afp_tx_flush(aq);
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
	int err = kif_os_packet_kick(aq->kq.fd);

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
	if (!netdev_xmit_more() || aq->prod - aq->pend >= AFP_TX_BATCH || afp_ring_full(aq))
		afp_ring_kick(aq);
	if (afp_ring_full(aq)) {
		afp_ring_reclaim(aq);
		if (afp_ring_full(aq))
			kif_tx_full(&aq->kq);
	}
	return NETDEV_TX_OK;
}

/*
 * Consumes @skb except for NETDEV_TX_BUSY, which only a caller that ignores
 * the stopped queue gets. Context: queue xmit lock held, BHs disabled (R-SYNC-5).
 */
static netdev_tx_t afp_xmit(struct sk_buff *skb, struct net_device *dev)
{
	struct afp_priv *p = afp_priv(dev);
	struct afp_queue *aq = &p->q[skb_get_queue_mapping(skb) % p->nq];

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
static bool afp_tx_clean(struct kif_queue *kq)
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

/* Drop what a stopped queue still holds. Context: ndo_stop, NAPI disabled. */
static void afp_tx_purge(struct afp_queue *aq)
{
	afp_tx_retire(aq, aq->tx_n, -ENETDOWN);
	if (aq->ring.tx.map) {
		afp_ring_taken(aq);
		afp_ring_cancel(aq);
	}
}

/* PACKET_STATISTICS (cleared on read) into the counters. Context: any. */
static void afp_ring_stats(struct afp_priv *p)
{
	for (unsigned int i = 0; i < p->nq; i++) {
		struct kif_packet_stats ps;

		if (p->q[i].kq.fd < 0 || kif_os_packet_stats(p->q[i].kq.fd, &ps))
			continue;
		kif_stat_add(&p->q[i].kq, KS_RX_RING_DROPS, ps.drops);
		kif_stat_add(&p->q[i].kq, KS_RX_RING_FREEZES, ps.freezes);
	}
}

/* ---- rx_mode ---- */

static bool afp_kmc_has(const struct afp_priv *p, const u8 *a)
{
	for (unsigned int i = 0; i < p->nkmc; i++)
		if (ether_addr_equal(p->kmc[i], a))
			return true;
	return false;
}

/* Bring the kernel's multicast memberships in line with dev->mc. Context: addr lock. */
static void afp_sync_mc(struct net_device *dev, struct afp_priv *p, int fd)
{
	u8 want[KIF_FLT_MC][ETH_ALEN];
	struct netdev_hw_addr *ha;
	unsigned int n = 0;

	netdev_for_each_mc_addr (ha, dev) {
		if (n < KIF_FLT_MC)
			ether_addr_copy(want[n++], ha->addr);
	}
	for (unsigned int i = 0; i < p->nkmc; i++) {
		bool keep = false;

		for (unsigned int j = 0; j < n && !keep; j++)
			keep = ether_addr_equal(p->kmc[i], want[j]);
		if (!keep)
			kif_os_packet_membership(fd, p->ifindex, KIF_MR_MULTICAST, p->kmc[i],
						 false);
	}
	for (unsigned int j = 0; j < n; j++) {
		int err;

		if (afp_kmc_has(p, want[j]))
			continue;
		err = kif_os_packet_membership(fd, p->ifindex, KIF_MR_MULTICAST, want[j], true);
		if (err)
			netdev_warn(dev, "PACKET_ADD_MEMBERSHIP multicast on %s: %s", p->kname,
				    unetdev_strerror(err));
	}
	memcpy(p->kmc, want, sizeof(want[0]) * n);
	p->nkmc = n;
}

static void afp_sync_flag(struct net_device *dev, struct afp_priv *p, int fd, enum kif_mr type,
			  bool *have, bool want)
{
	int err;

	if (*have == want)
		return;
	err = kif_os_packet_membership(fd, p->ifindex, type, NULL, want);
	if (err && want) {
		netdev_warn(dev, "PACKET_ADD_MEMBERSHIP %s on %s: %s",
			    type == KIF_MR_PROMISC ? "promisc" : "allmulti", p->kname,
			    unetdev_strerror(err));
		return;
	}
	*have = want;
}

/* What a NIC does here: program its filter, and the kernel interface's. Context: addr lock. */
static void afp_set_rx_mode(struct net_device *dev)
{
	struct afp_priv *p = afp_priv(dev);
	int fd = p->q[0].kq.fd;

	kif_filter_update(&p->filter, dev);
	/* No unicast filter in the kernel for secondary addresses: promiscuous, as
	 * __dev_set_rx_mode does for a device without IFF_UNICAST_FLT. */
	afp_sync_flag(dev, p, fd, KIF_MR_PROMISC, &p->k_promisc,
		      (dev->flags & IFF_PROMISC) || !netdev_uc_empty(dev));
	afp_sync_flag(dev, p, fd, KIF_MR_ALLMULTI, &p->k_allmulti,
		      (dev->flags & IFF_ALLMULTI) || netdev_mc_count(dev) > KIF_FLT_MC);
	afp_sync_mc(dev, p, fd);
}

/* ---- control ---- */

static struct kif_queue *afp_queue_at(struct net_device *dev, unsigned int i)
{
	return &afp_priv(dev)->q[i].kq;
}

static int afp_open(struct net_device *dev) UNETDEV_MUST_HOLD(rtnl_mutex)
{
	struct afp_priv *p = afp_priv(dev);

	return kif_open(dev, &p->link, p->kname, p->nq, afp_queue_at, afp_poll);
}

static int afp_stop(struct net_device *dev) UNETDEV_MUST_HOLD(rtnl_mutex)
{
	struct afp_priv *p = afp_priv(dev);
	int fd = p->q[0].kq.fd;

	kif_stop(dev, p->nq, afp_queue_at);
	for (unsigned int i = 0; i < p->nq; i++)
		afp_tx_purge(&p->q[i]);
	/* A stopped NIC filters nothing in: give the kernel interface its memberships back. */
	netif_addr_lock_bh(dev);
	afp_sync_flag(dev, p, fd, KIF_MR_PROMISC, &p->k_promisc, false);
	afp_sync_flag(dev, p, fd, KIF_MR_ALLMULTI, &p->k_allmulti, false);
	for (unsigned int i = 0; i < p->nkmc; i++)
		kif_os_packet_membership(fd, p->ifindex, KIF_MR_MULTICAST, p->kmc[i], false);
	p->nkmc = 0;
	netif_addr_unlock_bh(dev);
	return 0;
}

static void afp_uninit(struct net_device *dev) UNETDEV_MUST_HOLD(rtnl_mutex)
{
	kif_link_stop(&afp_priv(dev)->link);
}

static void afp_get_stats64(struct net_device *dev, struct rtnl_link_stats64 *s)
{
	struct afp_priv *p = afp_priv(dev);

	afp_ring_stats(p);
	kif_dev_stats64(dev, p->nq, afp_queue_at, s);
}

static const struct net_device_ops afp_netdev_ops = {
    .ndo_uninit = afp_uninit,
    .ndo_open = afp_open,
    .ndo_stop = afp_stop,
    .ndo_start_xmit = afp_xmit,
    .ndo_set_rx_mode = afp_set_rx_mode,
    .ndo_get_stats64 = afp_get_stats64,
    .ndo_validate_addr = eth_validate_addr,
};

/* Close the kernel side. Idempotent: priv_destructor and the create error path. */
static void afp_release(struct net_device *dev)
{
	struct afp_priv *p = afp_priv(dev);

	kif_link_stop(&p->link);
	for (unsigned int i = 0; i < p->nq; i++) {
		kif_os_packet_close(p->q[i].kq.fd, &p->q[i].ring);
		p->q[i].kq.fd = -1;
		free(p->q[i].tx_len);
		p->q[i].tx_len = NULL;
	}
}

static void afp_setup(struct net_device *dev)
{
	ether_setup(dev);
	dev->netdev_ops = &afp_netdev_ops;
	dev->needs_free_netdev = true;
	dev->priv_destructor = afp_release;
}

/* Kernel MTU changed underneath (watcher thread, rtnl held). */
static void afp_mtu_changed(struct net_device *dev, unsigned int mtu) UNETDEV_MUST_HOLD(rtnl_mutex)
{
	int err = 0;

	WRITE_ONCE(dev->max_mtu, mtu);
	if (dev->mtu > mtu)
		err = dev_set_mtu(dev, (int)mtu);
	netdev_info(dev, "kernel interface %s MTU is now %u: max_mtu %u, mtu %u%s",
		    afp_priv(dev)->kname, mtu, mtu, dev->mtu, err ? " (could not lower)" : "");
}

static void afp_gone(struct net_device *dev) UNETDEV_MUST_HOLD(rtnl_mutex)
{
	struct afp_priv *p = afp_priv(dev);

	netdev_err(dev, "kernel interface %s disappeared: carrier off", p->kname);
	for (unsigned int i = 0; i < p->nq; i++)
		kif_queue_quiesce(&p->q[i].kq);
}

static const struct kif_link_ops afp_link_ops = {
    .mtu_changed = afp_mtu_changed,
    .gone = afp_gone,
};

/* TX ring slots: the configured size, else room for a GSO frame (vnet_hdr) or the kernel MTU. */
static void afp_tx_ring_req(const struct unetdev_af_packet_config *cfg, unsigned int mtu,
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

static int afp_tx_ring_alloc(struct afp_queue *aq, struct kif_err *e)
{
	aq->tx_len = calloc(aq->ring.tx.frame_nr, sizeof(*aq->tx_len));
	if (!aq->tx_len) {
		snprintf(e->msg, sizeof(e->msg), "TX ring of %u slots: out of memory",
			 aq->ring.tx.frame_nr);
		return -ENOMEM;
	}
	return 0;
}

/* Offloads: with a virtio_net_hdr, what the kernel finishes; a TX ring caps a GSO frame. */
static void afp_set_features(struct net_device *dev)
{
	struct afp_priv *p = afp_priv(dev);
	const struct kif_txring *t = &p->q[0].ring.tx;

	if (!p->vnet_hdr)
		return;
	kif_vnet_features(dev, AFP_VNET_OFFLOADS);
	if (p->tx_ring)
		netif_set_tso_max_size(dev, t->max_len - KIF_VNET_HDR_LEN);
}

static int afp_kernel_open(struct net_device *dev, const struct unetdev_af_packet_config *cfg,
			   struct kif_linkinfo *li)
{
	static unsigned int fanout_seq;
	struct afp_priv *p = afp_priv(dev);
	struct kif_packet_req req = {
	    .block_size = cfg->block_size ? cfg->block_size : AFP_BLOCK_SIZE,
	    .block_nr = cfg->block_nr ? cfg->block_nr : AFP_BLOCK_NR,
	    .frame_size = cfg->frame_size ? cfg->frame_size : AFP_FRAME_SIZE,
	    .timeout_ms = cfg->block_timeout_ms ? cfg->block_timeout_ms : AFP_TIMEOUT_MS,
	    .qdisc_bypass = cfg->qdisc_bypass,
	    .sndbuf = cfg->sndbuf,
	    .fanout_id = -1,
	    .vnet_hdr = cfg->vnet_hdr,
	};
	struct kif_err e = {""};
	int err;

	err = kif_link_open(&p->link, 0, &e);
	if (!err)
		err = kif_os_link_get(cfg->ifname, li, &e);
	if (err)
		goto fail;
	snprintf(p->kname, sizeof(p->kname), "%s", cfg->ifname);
	p->ifindex = p->link.ifindex = req.ifindex = li->ifindex;
	if (p->nq > 1)
		req.fanout_id =
		    (int)((getpid() + __atomic_fetch_add(&fanout_seq, 1, __ATOMIC_RELAXED)) &
			  0xffff);
	afp_tx_ring_req(cfg, li->mtu, &req);
	for (unsigned int i = 0; i < p->nq; i++) {
		err = kif_os_packet_open(&req, &p->q[i].kq.fd, &p->q[i].ring, &e);
		if (!err && req.tx_frame_nr)
			err = afp_tx_ring_alloc(&p->q[i], &e);
		if (err)
			goto fail;
		kif_queue_init(&p->q[i].kq, dev, i, p->q[i].kq.fd);
		p->q[i].kq.tx_clean = afp_tx_clean;
	}
	/* After the sockets: no permission is reported before "not Ethernet". */
	err = kif_os_link_check_ether(cfg->ifname, li, &e);
	if (err)
		goto fail;
	return 0;
fail:
	netdev_err(dev, "af_packet on %s: %s", cfg->ifname, e.msg);
	return err;
}

int unetdev_af_packet_create(struct net *net, const char *name,
			     const struct unetdev_af_packet_config *ucfg, struct net_device **out)
{
	bool must_free;
	struct unetdev_af_packet_config cfg = {0};
	struct kif_linkinfo li;
	struct net_device *dev;
	struct afp_priv *p;
	unsigned int nq;
	int err;

	if (!ucfg || !out || (name && strnlen(name, IFNAMSIZ) >= IFNAMSIZ) ||
	    backend_cfg_copy(&cfg, sizeof(cfg), ucfg,
			     offsetof(struct unetdev_af_packet_config, queues)))
		return -EINVAL;
	nq = cfg.queues ? cfg.queues : 1;
	if (!cfg.ifname || nq > UNETDEV_BACKEND_MAX_QUEUES)
		return -EINVAL;
	dev = alloc_netdev_mqs((int)(sizeof(*p) + nq * sizeof(struct afp_queue)),
			       name ? name : "pkt%d", NET_NAME_USER, afp_setup, nq, nq);
	if (!dev)
		return -ENOMEM;
	p = afp_priv(dev);
	p->nq = nq;
	p->vnet_hdr = cfg.vnet_hdr;
	p->tx_ring = cfg.tx_ring;
	p->link.nlfd = p->link.stopfd = -1;
	for (unsigned int i = 0; i < nq; i++)
		p->q[i].kq.fd = -1;
	kif_filter_init(&p->filter);
	if (net)
		dev->nd_net = net; /* dev_net_set */
	err = afp_kernel_open(dev, &cfg, &li);
	if (err)
		goto err_free;
	eth_hw_addr_set(dev, li.mac);
	dev->mtu = li.mtu;
	dev->max_mtu = li.mtu;
	afp_set_features(dev);
	err = kif_register(dev, &p->link, &afp_link_ops, li.up, li.running, li.mtu, &must_free);
	if (must_free)
		goto err_free;
	if (err)
		return err;
	*out = dev;
	return 0;
err_free:
	afp_release(dev);
	free_netdev(dev);
	return err;
}

int unetdev__afp_kname(struct net_device *dev, char *buf, size_t len)
{
	if (dev->netdev_ops != &afp_netdev_ops)
		return -EINVAL;
	snprintf(buf, len, "%s", afp_priv(dev)->kname);
	return 0;
}

int unetdev__afp_stats(struct net_device *dev, struct unetdev_backend_stats *st)
{
	struct afp_priv *p;

	if (dev->netdev_ops != &afp_netdev_ops)
		return -EINVAL;
	p = afp_priv(dev);
	afp_ring_stats(p);
	kif_dev_stats(dev, &p->link, p->nq, afp_queue_at, st);
	return 0;
}
