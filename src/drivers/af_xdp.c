// SPDX-License-Identifier: MIT
/*
 * af_xdp.c - a unetdev device attached to queues 0..n-1 of an existing
 * kernel interface through AF_XDP sockets (kernel net/xdp/xsk.c is the
 * other end; Documentation/networking/af_xdp.rst the reference). libxdp
 * creates the sockets and loads its redirect-to-xskmap program on the
 * interface; docs/backend-af_xdp.md.
 *
 *  UMEM one area for the device (frames of XAF_FSZ bytes), registered with
 *       the first socket and shared by the others; each queue owns a slice:
 *       the first half of it circulates through the fill and RX rings, the
 *       second half is its TX frame pool. Each queue has its own fill and
 *       completion rings (XDP_SHARED_UMEM).
 *  RX   the socket is an interrupt line (EPOLLIN: the RX ring is not empty);
 *       the NAPI poll copies each descriptor into an skb, gives the frame
 *       back on the fill ring, filters in software as ndo_set_rx_mode
 *       programmed (the XDP program hands over every frame of the queue)
 *       and passes the skb to napi_gro_receive(). need_wakeup: recvfrom()
 *       when the kernel asks for it on the fill ring.
 *  TX   a frame from the queue's pool, the skb copied in, one descriptor;
 *       the TX ring is kicked with sendto() when netdev_xmit_more() says no
 *       more follow (and the kernel wants a wakeup). Completions return
 *       frames to the pool. No frame or no room: the queue stops, EPOLLOUT
 *       schedules the poll, which kicks and reclaims under the xmit lock
 *       (trylock) and wakes the queue.
 *  Mode zero-copy (XDP_ZEROCOPY) when the kernel driver supports it and
 *       auto or zerocopy is asked, else copy (XDP_COPY; veth is copy).
 *  Link carrier follows the kernel interface (kif.c's link watcher).
 *
 * Lifetime: sockets and program are set up at create and torn down by
 * priv_destructor; libxdp removes its program with the last socket.
 */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <linux/if_xdp.h>
#include <xdp/xsk.h>

#include <unetdev/unetdev.h>
#include <unetdev/etherdevice.h>
#include <unetdev/if_vlan.h>
#include <unetdev/skbuff_hdr.h>
#include <unetdev/xmit_flush.h>

#include "backend_cfg.h"
#include "kif.h"

#define XAF_FSZ		   XSK_UMEM__DEFAULT_FRAME_SIZE /* 4096 */
#define XAF_FRAMES_DEFAULT 4096u			/* per queue */
#define XAF_FRAMES_MIN	   64u
#define XAF_BUSY_WAIT_MS   5000 /* a just-closed socket's queue is released asynchronously */
/* Descriptors per TX kick: a copy-mode sendto() sends at most this many (the
 * kernel's TX_BATCH_SIZE in net/xdp/xsk.c) and the bare loop kicks per 32. */
#define XAF_TX_BATCH	   32u

struct xaf_queue {
	struct kif_queue kq;
	struct xsk_socket *xsk;
	struct xsk_ring_prod fq, tx;
	struct xsk_ring_cons cq, rx;
	/* TX pool: the queue's xmit lock (or the poll under trylock). */
	u64 *pool;
	u32 npool, outstanding;
	u32 unkicked;			/* descriptors submitted since the last kick */
	struct netdev_xmit_flush flush; /* the deferred kick */
};

struct xaf_priv {
	struct kif_dev kd; /* first: kif.c's shared ndo parts */
	u32 qframes;	   /* per queue, a power of two */
	bool zerocopy;
	void *area;
	size_t area_size;
	struct xsk_umem *umem;
	struct xaf_queue q[]; /* nq */
};
_Static_assert(offsetof(struct xaf_priv, kd) == 0, "kif_dev(dev) is netdev_priv(dev)");

static const struct net_device_ops xaf_netdev_ops;

static struct xaf_priv *xaf_priv(const struct net_device *dev)
{
	return netdev_priv(dev);
}

/* ---- TX completion ---- */

static void xaf_kick(struct xaf_queue *xq)
{
	xq->unkicked = 0;
	if (!xsk_ring_prod__needs_wakeup(&xq->tx))
		return;
	if (sendto(xsk_socket__fd(xq->xsk), NULL, 0, MSG_DONTWAIT, NULL, 0) < 0 &&
	    errno != EAGAIN && errno != EBUSY && errno != ENOBUFS && errno != ENETDOWN)
		kif_stat_add(&xq->kq, KS_TX_ERRORS, 1);
}

/* Completed TX frames back to the pool. Context: the queue's xmit lock. */
static void xaf_reclaim(struct xaf_queue *xq)
{
	u32 idx, n = xsk_ring_cons__peek(&xq->cq, xq->outstanding, &idx);

	for (u32 i = 0; i < n; i++)
		xq->pool[xq->npool++] = *xsk_ring_cons__comp_addr(&xq->cq, idx + i);
	if (n)
		xsk_ring_cons__release(&xq->cq, n);
	xq->outstanding -= n;
}

/* TX completion after EPOLLOUT (kif_tx_complete): kick and reclaim; true once a frame is free. */
static bool xaf_tx_clean(struct kif_queue *kq)
{
	struct xaf_queue *xq = container_of(kq, struct xaf_queue, kq);

	xaf_kick(xq);
	xaf_reclaim(xq);
	return xq->npool > 0;
}

/* The deferred kick. Context: the queue's xmit lock. */
static void xaf_tx_doorbell(struct netdev_xmit_flush *f)
{
	struct xaf_queue *xq = container_of(f, struct xaf_queue, flush);

	if (xq->unkicked && xq->xsk)
		xaf_kick(xq);
}

/* ---- RX ---- */

static void xaf_rx_one(struct xaf_queue *xq, struct xaf_priv *p, const struct xdp_desc *d)
{
	struct net_device *dev = xq->kq.dev;
	const u8 *data = xsk_umem__get_data(p->area, d->addr);
	struct sk_buff *skb;

	if (unlikely(d->len < ETH_HLEN)) {
		kif_stat_add(&xq->kq, KS_RX_TRUNCATED, 1);
		return;
	}
	if (!netdev_rx_frame_fits(dev, d->len)) { /* counts rx_length_errors */
		kif_stat_add(&xq->kq, KS_RX_TOO_BIG, 1);
		return;
	}
	if (!kif_filter_pass(&p->kd.filter, dev, data)) {
		kif_stat_add(&xq->kq, KS_RX_FILTERED, 1);
		dev_core_stats_rx_otherhost_dropped_inc(dev);
		return;
	}
	skb = netdev_alloc_skb(dev, d->len);
	if (!skb) {
		kif_stat_add(&xq->kq, KS_RX_NOMEM, 1);
		return;
	}
	skb_put_data(skb, data, d->len);
	kif_stat_add(&xq->kq, KS_RX_PACKETS, 1);
	kif_stat_add(&xq->kq, KS_RX_BYTES, d->len);
	skb_set_queue_mapping(skb, (u16)xq->kq.index);
	skb->protocol = eth_type_trans(skb, dev);
	napi_gro_receive(&xq->kq.napi, skb);
}

/* The NAPI poll. Context: softirq, SCHED owned. */
static int xaf_poll(struct napi_struct *napi, int budget)
{
	struct xaf_queue *xq = container_of(napi, struct xaf_queue, kq.napi);
	struct xaf_priv *p = xaf_priv(xq->kq.dev);
	u32 idx, fidx, n;

	kif_stat_add(&xq->kq, KS_RX_POLLS, 1);
	if (!kif_tx_complete(&xq->kq))
		return budget; /* the xmit lock was busy: poll again */
	n = xsk_ring_cons__peek(&xq->rx, (u32)budget, &idx);
	if (n) {
		/* Every RX frame came from the fill ring, so there is room to give it back. */
		if (xsk_ring_prod__reserve(&xq->fq, n, &fidx) != n) {
			netdev_err(xq->kq.dev, "af_xdp: queue %u: fill ring overrun", xq->kq.index);
			n = 0;
		}
		for (u32 i = 0; i < n; i++) {
			const struct xdp_desc *d = xsk_ring_cons__rx_desc(&xq->rx, idx + i);

			xaf_rx_one(xq, p, d);
			*xsk_ring_prod__fill_addr(&xq->fq, fidx + i) =
			    xsk_umem__extract_addr(d->addr);
		}
		xsk_ring_prod__submit(&xq->fq, n);
		xsk_ring_cons__release(&xq->rx, n);
	}
	if ((int)n < budget) {
		if (xsk_ring_prod__needs_wakeup(&xq->fq))
			(void)recvfrom(xsk_socket__fd(xq->xsk), NULL, 0, MSG_DONTWAIT, NULL, NULL);
		kif_rx_complete(&xq->kq, (int)n);
	}
	return (int)n;
}

/* ---- TX ---- */

/*
 * Consumes @skb unless it returns NETDEV_TX_BUSY (no frame or no room: the
 * queue is stopped first). Context: queue xmit lock held, BHs disabled.
 */
static netdev_tx_t xaf_xmit(struct sk_buff *skb, struct net_device *dev)
{
	struct xaf_priv *p = xaf_priv(dev);
	struct xaf_queue *xq = &p->q[skb_get_queue_mapping(skb) % p->kd.nq];
	struct xdp_desc *d;
	u32 idx;
	u64 addr;

	if (unlikely(skb->len > XAF_FSZ || skb_headlen(skb) != skb->len)) { /* no NETIF_F_SG */
		kif_stat_add(&xq->kq, KS_TX_ERRORS, 1);
		kfree_skb_reason(skb, SKB_DROP_REASON_PKT_TOO_BIG);
		return NETDEV_TX_OK;
	}
	if (!xq->npool)
		xaf_reclaim(xq);
	if (!xq->npool) {
		xaf_kick(xq);
		xaf_reclaim(xq);
	}
	if (!xq->npool || xsk_ring_prod__reserve(&xq->tx, 1, &idx) != 1) {
		xaf_kick(xq);
		kif_tx_full(&xq->kq);
		return NETDEV_TX_BUSY;
	}
	addr = xq->pool[--xq->npool];
	memcpy(xsk_umem__get_data(p->area, addr), skb->data, skb->len);
	d = xsk_ring_prod__tx_desc(&xq->tx, idx);
	d->addr = addr;
	d->len = skb->len;
	d->options = 0;
	xsk_ring_prod__submit(&xq->tx, 1);
	xq->outstanding++;
	kif_stat_add(&xq->kq, KS_TX_PACKETS, 1);
	kif_stat_add(&xq->kq, KS_TX_BYTES, skb->len);
	/* The doorbell: at once per XAF_TX_BATCH, else deferred to the end of the round. */
	if (++xq->unkicked >= XAF_TX_BATCH)
		xaf_kick(xq);
	else if (!netdev_xmit_more())
		netdev_xmit_flush_defer(&xq->flush);
	consume_skb(skb);
	return NETDEV_TX_OK;
}

/* ---- control ---- */

/* ndo_stop's TX part (kif_ndo_stop): the last deferred kick has run; what is unkicked goes now. */
static void xaf_tx_stop(struct kif_queue *kq)
{
	struct xaf_queue *xq = container_of(kq, struct xaf_queue, kq);

	netdev_xmit_flush_sync(&xq->flush);
	local_bh_disable();
	__netif_tx_lock(xq->flush.txq, (int)smp_processor_id());
	if (xq->unkicked)
		xaf_kick(xq);
	__netif_tx_unlock(xq->flush.txq);
	local_bh_enable();
}

static const struct net_device_ops xaf_netdev_ops = {
    .ndo_uninit = kif_ndo_uninit,
    .ndo_open = kif_ndo_open,
    .ndo_stop = kif_ndo_stop,
    .ndo_start_xmit = xaf_xmit,
    .ndo_set_rx_mode = kif_ndo_set_rx_mode,
    .ndo_get_stats64 = kif_ndo_get_stats64,
    .ndo_validate_addr = eth_validate_addr,
};

/* Sockets, then the UMEM (libxdp detaches its program with the last socket). */
static void xaf_sockets_close(struct xaf_priv *p)
{
	for (unsigned int i = p->kd.nq; i--;) {
		if (p->q[i].xsk)
			xsk_socket__delete(p->q[i].xsk);
		p->q[i].xsk = NULL;
		p->q[i].kq.fd = -1;
		free(p->q[i].pool);
		p->q[i].pool = NULL;
	}
	if (p->umem)
		xsk_umem__delete(p->umem);
	p->umem = NULL;
	free(p->area);
	p->area = NULL;
}

/* Close the kernel side. Idempotent: priv_destructor and the create error path. */
static void xaf_release(struct net_device *dev)
{
	struct xaf_priv *p = xaf_priv(dev);

	kif_link_stop(&p->kd.link);
	xaf_sockets_close(p);
}

static void xaf_setup(struct net_device *dev)
{
	ether_setup(dev);
	dev->netdev_ops = &xaf_netdev_ops;
	dev->needs_free_netdev = true;
	dev->priv_destructor = xaf_release;
}

static void xaf_sleep_ms(unsigned int ms)
{
	struct timespec ts = {.tv_sec = ms / 1000, .tv_nsec = (long)(ms % 1000) * 1000000};

	nanosleep(&ts, NULL);
}

/* One queue's socket; EBUSY (a socket just closed on that queue) is retried. */
static int xaf_socket_open(struct xaf_priv *p, unsigned int i, u16 bind_flags)
{
	struct xaf_queue *xq = &p->q[i];
	struct xsk_socket_config sc = {
	    .rx_size = p->qframes / 2,
	    .tx_size = p->qframes / 2,
	    .bind_flags = (u16)(bind_flags | XDP_USE_NEED_WAKEUP),
	};
	int err;

	for (unsigned int waited = 0;; waited += 100) {
		if (i == 0)
			err = xsk_socket__create(&xq->xsk, p->kd.kname, 0, p->umem, &xq->rx,
						 &xq->tx, &sc);
		else
			err = xsk_socket__create_shared(&xq->xsk, p->kd.kname, i, p->umem, &xq->rx,
							&xq->tx, &xq->fq, &xq->cq, &sc);
		if (err != -EBUSY || waited >= XAF_BUSY_WAIT_MS)
			break;
		xaf_sleep_ms(100);
	}
	if (err)
		xq->xsk = NULL;
	return err;
}

/* Fill ring full of the RX half; the TX half into the pool. */
static int xaf_queue_prime(struct xaf_priv *p, unsigned int i)
{
	struct xaf_queue *xq = &p->q[i];
	u32 half = p->qframes / 2, idx;
	u64 base = (u64)i * p->qframes * XAF_FSZ;

	if (xsk_ring_prod__reserve(&xq->fq, half, &idx) != half)
		return -ENOMEM;
	for (u32 k = 0; k < half; k++)
		*xsk_ring_prod__fill_addr(&xq->fq, idx + k) = base + (u64)k * XAF_FSZ;
	xsk_ring_prod__submit(&xq->fq, half);
	xq->pool = calloc(half, sizeof(*xq->pool));
	if (!xq->pool)
		return -ENOMEM;
	for (u32 k = 0; k < half; k++)
		xq->pool[k] = base + (u64)(half + k) * XAF_FSZ;
	xq->npool = half;
	xq->outstanding = 0;
	return 0;
}

/* UMEM and every queue's socket in one bind mode. */
static int xaf_sockets_open(struct net_device *dev, u16 bind_flags, char *msg, size_t len)
{
	struct xaf_priv *p = xaf_priv(dev);
	struct xsk_umem_config uc = {
	    .fill_size = p->qframes / 2,
	    .comp_size = p->qframes / 2,
	    .frame_size = XAF_FSZ,
	};
	unsigned int i;
	int err;

	p->area_size = (size_t)p->kd.nq * p->qframes * XAF_FSZ;
	if (posix_memalign(&p->area, 4096, p->area_size))
		return -ENOMEM;
	memset(p->area, 0, p->area_size);
	err = xsk_umem__create(&p->umem, p->area, p->area_size, &p->q[0].fq, &p->q[0].cq, &uc);
	if (err) {
		p->umem = NULL;
		snprintf(msg, len, "xsk_umem__create (%zu bytes): %s", p->area_size,
			 unetdev_strerror(err));
		return err;
	}
	for (i = 0; i < p->kd.nq; i++) {
		err = xaf_socket_open(p, i, bind_flags);
		if (err) {
			snprintf(msg, len, "queue %u: xsk_socket__create (%s): %s", i,
				 (bind_flags & XDP_ZEROCOPY) ? "zero-copy" : "copy",
				 unetdev_strerror(err));
			return err;
		}
		err = xaf_queue_prime(p, i);
		if (err) {
			snprintf(msg, len, "queue %u: fill ring: %s", i, unetdev_strerror(err));
			return err;
		}
		kif_queue_init(&p->q[i].kq, dev, i, xsk_socket__fd(p->q[i].xsk));
		p->q[i].kq.tx_clean = xaf_tx_clean;
		netdev_xmit_flush_init(&p->q[i].flush, netdev_get_tx_queue(dev, i),
				       xaf_tx_doorbell);
	}
	return 0;
}

static int xaf_kernel_open(struct net_device *dev, const struct unetdev_af_xdp_config *cfg,
			   struct kif_linkinfo *li)
{
	struct xaf_priv *p = xaf_priv(dev);
	struct kif_err e = {""};
	char msg[192] = "";
	int err;

	err = kif_link_open(&p->kd.link, 0, &e);
	if (!err)
		err = kif_os_link_get(cfg->ifname, li, &e);
	if (!err)
		err = kif_os_link_check_ether(cfg->ifname, li, &e);
	if (err) {
		netdev_err(dev, "af_xdp on %s: %s", cfg->ifname, e.msg);
		return err;
	}
	snprintf(p->kd.kname, sizeof(p->kd.kname), "%s", cfg->ifname);
	p->kd.link.ifindex = li->ifindex;
	if (cfg->mode != UNETDEV_XDP_COPY) {
		err = xaf_sockets_open(dev, XDP_ZEROCOPY, msg, sizeof(msg));
		p->zerocopy = !err;
		if (err && cfg->mode == UNETDEV_XDP_AUTO && err != -EPERM && err != -ENOMEM) {
			xaf_sockets_close(p); /* and again in copy mode */
			err = 1;
		}
	}
	if (cfg->mode == UNETDEV_XDP_COPY || err == 1)
		err = xaf_sockets_open(dev, XDP_COPY, msg, sizeof(msg));
	if (err == -EAFNOSUPPORT)
		err = -EOPNOTSUPP;
	if (err) {
		netdev_err(dev, "af_xdp on %s: %s%s", cfg->ifname, msg,
			   err == -EOPNOTSUPP ? " (not supported by the kernel driver)"
			   : err == -EPERM    ? " (needs CAP_NET_ADMIN, CAP_NET_RAW and CAP_BPF)"
					      : "");
		return err;
	}
	return 0;
}

static void xaf_gone(struct net_device *dev) UNETDEV_MUST_HOLD(rtnl_mutex)
{
	struct xaf_priv *p = xaf_priv(dev);

	netdev_err(dev, "kernel interface %s disappeared: carrier off", p->kd.kname);
	for (unsigned int i = 0; i < p->kd.nq; i++)
		kif_queue_quiesce(&p->q[i].kq);
}

static const struct kif_link_ops xaf_link_ops = {.gone = xaf_gone};

static u32 xaf_qframes(const struct unetdev_af_xdp_config *cfg, unsigned int nq)
{
	u32 want = cfg->frames ? cfg->frames / nq : XAF_FRAMES_DEFAULT, f = XAF_FRAMES_MIN;

	while (f * 2 <= want && f < (1u << 20))
		f *= 2;
	return f;
}

int unetdev_af_xdp_create(struct net *net, const char *name,
			  const struct unetdev_af_xdp_config *ucfg, struct net_device **out)
{
	bool must_free;
	struct unetdev_af_xdp_config cfg = {0};
	struct kif_linkinfo li;
	struct net_device *dev;
	struct xaf_priv *p;
	unsigned int nq;
	int err;

	if (!ucfg || !out || (name && strnlen(name, IFNAMSIZ) >= IFNAMSIZ) ||
	    backend_cfg_copy(&cfg, sizeof(cfg), ucfg,
			     offsetof(struct unetdev_af_xdp_config, queues)))
		return -EINVAL;
	nq = cfg.queues ? cfg.queues : 1;
	if (!cfg.ifname || strnlen(cfg.ifname, IFNAMSIZ) >= IFNAMSIZ ||
	    nq > UNETDEV_BACKEND_MAX_QUEUES || cfg.mode > UNETDEV_XDP_ZEROCOPY)
		return -EINVAL;
	dev = alloc_netdev_mqs((int)(sizeof(*p) + nq * sizeof(struct xaf_queue)),
			       name ? name : "xdp%d", NET_NAME_USER, xaf_setup, nq, nq);
	if (!dev)
		return -ENOMEM;
	p = xaf_priv(dev);
	kif_dev_init(&p->kd, nq, &p->q[0].kq, sizeof(p->q[0]), xaf_poll);
	p->kd.tx_stop = xaf_tx_stop;
	p->qframes = xaf_qframes(&cfg, nq);
	if (net)
		dev->nd_net = net; /* dev_net_set */
	err = xaf_kernel_open(dev, &cfg, &li);
	if (err)
		goto err_free;
	eth_hw_addr_set(dev, li.mac);
	dev->mtu = li.mtu;
	dev->max_mtu =
	    li.mtu < XAF_FSZ - ETH_HLEN - VLAN_HLEN ? li.mtu : XAF_FSZ - ETH_HLEN - VLAN_HLEN;
	if (dev->mtu > dev->max_mtu)
		dev->mtu = dev->max_mtu;
	err = kif_register(dev, &p->kd.link, &xaf_link_ops, li.up, li.running, li.mtu, &must_free);
	if (must_free)
		goto err_free;
	if (err)
		return err;
	*out = dev;
	return 0;
err_free:
	xaf_release(dev);
	free_netdev(dev);
	return err;
}

int unetdev_af_xdp_stats(struct net_device *dev, struct unetdev_backend_stats *st, bool *zerocopy)
{
	struct xaf_priv *p;

	if (!dev || !st || dev->netdev_ops != &xaf_netdev_ops)
		return -EINVAL;
	p = xaf_priv(dev);
	memset(st, 0, sizeof(*st));
	kif_dev_stats(dev, st);
	if (zerocopy)
		*zerocopy = p->zerocopy;
	return 0;
}
