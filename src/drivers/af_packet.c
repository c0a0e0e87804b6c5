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
#include "af_packet.h"

#define AFP_BLOCK_SIZE (256u * 1024)
#define AFP_BLOCK_NR   16u
#define AFP_FRAME_SIZE 2048u
#define AFP_TIMEOUT_MS 1u

/* What the kernel does for us behind a virtio_net_hdr (it segments what its device cannot). */
#define AFP_VNET_OFFLOADS (KIF_TUN_F_CSUM | KIF_TUN_F_TSO4 | KIF_TUN_F_TSO6 | KIF_TUN_F_TSO_ECN)

static const struct net_device_ops afp_netdev_ops;

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
	if (!kif_filter_pass(&p->kd.filter, dev, pkt->data)) {
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

/* PACKET_STATISTICS (cleared on read) into the counters. Context: any. */
static void afp_ring_stats(struct net_device *dev)
{
	struct afp_priv *p = afp_priv(dev);

	for (unsigned int i = 0; i < p->kd.nq; i++) {
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
			netdev_warn(dev, "PACKET_ADD_MEMBERSHIP multicast on %s: %s", p->kd.kname,
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
			    type == KIF_MR_PROMISC ? "promisc" : "allmulti", p->kd.kname,
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

	kif_filter_update(&p->kd.filter, dev);
	/* No unicast filter in the kernel for secondary addresses: promiscuous, as
	 * __dev_set_rx_mode does for a device without IFF_UNICAST_FLT. */
	afp_sync_flag(dev, p, fd, KIF_MR_PROMISC, &p->k_promisc,
		      (dev->flags & IFF_PROMISC) || !netdev_uc_empty(dev));
	afp_sync_flag(dev, p, fd, KIF_MR_ALLMULTI, &p->k_allmulti,
		      (dev->flags & IFF_ALLMULTI) || netdev_mc_count(dev) > KIF_FLT_MC);
	afp_sync_mc(dev, p, fd);
}

/* ---- control ---- */

static int afp_stop(struct net_device *dev) UNETDEV_MUST_HOLD(rtnl_mutex)
{
	struct afp_priv *p = afp_priv(dev);
	int fd = p->q[0].kq.fd;

	kif_ndo_stop(dev); /* and afp_tx_stop for each queue */
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

static const struct net_device_ops afp_netdev_ops = {
    .ndo_uninit = kif_ndo_uninit,
    .ndo_open = kif_ndo_open,
    .ndo_stop = afp_stop,
    .ndo_start_xmit = afp_xmit,
    .ndo_set_rx_mode = afp_set_rx_mode,
    .ndo_get_stats64 = kif_ndo_get_stats64,
    .ndo_validate_addr = eth_validate_addr,
};

/* Close the kernel side. Idempotent: priv_destructor and the create error path. */
static void afp_release(struct net_device *dev)
{
	struct afp_priv *p = afp_priv(dev);

	kif_link_stop(&p->kd.link);
	for (unsigned int i = 0; i < p->kd.nq; i++) {
		kif_os_packet_close(p->q[i].kq.fd, p->q[i].txfd, &p->q[i].ring);
		p->q[i].kq.fd = p->q[i].kq.txfd = p->q[i].txfd = -1;
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
		    afp_priv(dev)->kd.kname, mtu, mtu, dev->mtu, err ? " (could not lower)" : "");
}

static void afp_gone(struct net_device *dev) UNETDEV_MUST_HOLD(rtnl_mutex)
{
	struct afp_priv *p = afp_priv(dev);

	netdev_err(dev, "kernel interface %s disappeared: carrier off", p->kd.kname);
	for (unsigned int i = 0; i < p->kd.nq; i++)
		kif_queue_quiesce(&p->q[i].kq);
}

static const struct kif_link_ops afp_link_ops = {
    .mtu_changed = afp_mtu_changed,
    .gone = afp_gone,
};

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

	err = kif_link_open(&p->kd.link, 0, &e);
	if (!err)
		err = kif_os_link_get(cfg->ifname, li, &e);
	if (err)
		goto fail;
	snprintf(p->kd.kname, sizeof(p->kd.kname), "%s", cfg->ifname);
	p->ifindex = p->kd.link.ifindex = req.ifindex = li->ifindex;
	if (p->kd.nq > 1)
		req.fanout_id =
		    (int)((getpid() + __atomic_fetch_add(&fanout_seq, 1, __ATOMIC_RELAXED)) &
			  0xffff);
	afp_tx_ring_req(cfg, li->mtu, &req);
	for (unsigned int i = 0; i < p->kd.nq; i++) {
		err = kif_os_packet_open(&req, &p->q[i].kq.fd, &p->q[i].txfd, &p->q[i].ring, &e);
		if (!err && req.tx_frame_nr)
			err = afp_tx_ring_alloc(&p->q[i], &e);
		if (err)
			goto fail;
		kif_queue_init(&p->q[i].kq, dev, i, p->q[i].kq.fd);
		p->q[i].kq.txfd = p->q[i].txfd;
		p->q[i].kq.tx_clean = afp_tx_clean;
		afp_tx_init(&p->q[i], dev, i);
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
	kif_dev_init(&p->kd, nq, &p->q[0].kq, sizeof(p->q[0]), afp_poll);
	for (unsigned int i = 0; i < nq; i++)
		p->q[i].txfd = -1;
	p->kd.tx_stop = afp_tx_stop;
	p->kd.stats_refresh = afp_ring_stats;
	p->vnet_hdr = cfg.vnet_hdr;
	p->tx_ring = cfg.tx_ring;
	if (net)
		dev->nd_net = net; /* dev_net_set */
	err = afp_kernel_open(dev, &cfg, &li);
	if (err)
		goto err_free;
	eth_hw_addr_set(dev, li.mac);
	dev->mtu = li.mtu;
	dev->max_mtu = li.mtu;
	afp_set_features(dev);
	err = kif_register(dev, &p->kd.link, &afp_link_ops, li.up, li.running, li.mtu, &must_free);
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
	snprintf(buf, len, "%s", afp_priv(dev)->kd.kname);
	return 0;
}

int unetdev__afp_stats(struct net_device *dev, struct unetdev_backend_stats *st)
{
	if (dev->netdev_ops != &afp_netdev_ops)
		return -EINVAL;
	kif_dev_stats(dev, st);
	return 0;
}
