// SPDX-License-Identifier: MIT
/*
 * tap.c - a unetdev device on a kernel TAP (/dev/net/tun, IFF_TAP |
 * IFF_NO_PI; kernel drivers/net/tun.c is the other end, and virtio_net the
 * model for the virtio_net_hdr handling). One kernel queue file descriptor
 * per unetdev TX/RX queue (IFF_MULTI_QUEUE when more than one).
 *
 *  RX   the queue fd is an interrupt line; the NAPI poll read()s frames into
 *       skbs sized for MTU + Ethernet + VLAN header (readv() with the header
 *       and an overflow iovec for GSO frames the kernel hands over whole
 *       with IFF_VNET_HDR; plain read() without it), filters
 *       them in software as ndo_set_rx_mode programmed (the kernel hands a
 *       TAP every frame) and passes them to napi_gro_receive().
 *  TX   write() of the frame, writev() of virtio_net_hdr + frame. EAGAIN stops the queue and
 *       returns NETDEV_TX_BUSY with the skb untouched; EPOLLOUT wakes it.
 *  Link carrier follows the kernel TAP (IFF_UP && IFF_RUNNING) through the
 *       link watcher (kif.c); a TAP deleted underneath leaves carrier off.
 *  MTU  is this device's own (the kernel TAP's MTU limits what the kernel
 *       sends; set both); max_mtu is what a TAP frame can carry.
 *
 * Lifetime: the kernel side is opened at create and closed by
 * priv_destructor when the device is freed; ndo_uninit stops the watcher.
 */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <unistd.h>

#include <unetdev/etherdevice.h>
#include <unetdev/if_vlan.h>
#include <unetdev/skbuff_hdr.h>

#include "backend_cfg.h"
#include "kif.h"

#define TAP_SCRATCH (65536 + 64) /* the overflow of a GSO frame read */

struct tap_queue {
	struct kif_queue kq;
	unsigned char *scratch; /* TAP_SCRATCH bytes; the NAPI owner uses it */
	/* The skb the last read found no frame for, kept for the next one: an
	 * empty poll allocates nothing. NAPI owner; freed at ndo_stop. */
	struct sk_buff *spare;
};

struct tap_priv {
	struct kif_dev kd; /* first: kif.c's shared ndo parts */
	bool vnet_hdr;
	unsigned int offloads; /* KIF_TUN_F_* the kernel accepted */
	int fds[KIF_MAX_QUEUES];
	struct tap_queue q[]; /* nq */
};
_Static_assert(offsetof(struct tap_priv, kd) == 0, "kif_dev(dev) is netdev_priv(dev)");

static const struct net_device_ops tap_netdev_ops;

static struct tap_priv *tap_priv(const struct net_device *dev)
{
	return netdev_priv(dev);
}

/*
 * The raw read/write system calls. libc's read() and write() are
 * cancellation points, which in a threaded process wrap every call in two
 * more library calls; no engine thread is ever cancelled. Without a
 * virtio-net header a frame is one buffer: read/write, not readv/writev,
 * which would copy and check an iovec array per frame in the kernel too.
 */
static inline ssize_t tap_sys_read(int fd, void *buf, size_t len)
{
	return syscall(SYS_read, fd, buf, len);
}

static inline ssize_t tap_sys_write(int fd, const void *buf, size_t len)
{
	return syscall(SYS_write, fd, buf, len);
}

/* ---- RX ---- */

/* A frame longer than the skb: a GSO frame is moved into a big skb, anything else dropped. */
static struct sk_buff *tap_rx_big(struct tap_queue *tq, struct sk_buff *skb, unsigned int len,
				  unsigned int room, bool gso)
{
	struct net_device *dev = tq->kq.dev;
	struct sk_buff *big;

	if (!gso || len > TAP_SCRATCH + room) {
		kif_stat_add(&tq->kq, len > TAP_SCRATCH + room ? KS_RX_TRUNCATED : KS_RX_TOO_BIG,
			     1);
		netdev_rx_frame_fits(dev, len); /* counts rx_length_errors */
		kfree_skb_reason(skb, SKB_DROP_REASON_PKT_TOO_BIG);
		return NULL;
	}
	big = netdev_alloc_skb(dev, len);
	if (!big) {
		kif_stat_add(&tq->kq, KS_RX_NOMEM, 1);
		kfree_skb_reason(skb, SKB_DROP_REASON_NOMEM);
		return NULL;
	}
	skb_put_data(big, skb->data, room);
	skb_put_data(big, tq->scratch, len - room);
	consume_skb(skb);
	return big;
}

/* Read one frame. Returns 0 (a frame was taken: delivered or dropped) or -EAGAIN. */
static int tap_rx_one(struct tap_queue *tq, struct tap_priv *p)
{
	struct net_device *dev = tq->kq.dev;
	unsigned int room = READ_ONCE(dev->mtu) + ETH_HLEN + VLAN_HLEN;
	struct kif_vnet_hdr vh = {0};
	struct sk_buff *skb;
	struct iovec iov[3];
	unsigned int len;
	ssize_t n;

	skb = tq->spare;
	tq->spare = NULL;
	if (skb && skb_tailroom(skb) < (int)room + 1) { /* the MTU grew since */
		consume_skb(skb);
		skb = NULL;
	}
	if (!skb)
		skb = netdev_alloc_skb(dev, room + 1); /* + 1: see the read() below */
	if (p->vnet_hdr) {
		iov[0] = (struct iovec){&vh, sizeof(vh)};
		iov[1] = (struct iovec){skb ? skb->data : tq->scratch, skb ? room : 0};
		iov[2] = (struct iovec){tq->scratch, TAP_SCRATCH};
		n = readv(tq->kq.fd, iov, 3);
	} else {
		/* A read returns at most the buffer's length (tun_chr_read_iter), so
		 * one byte more than a frame may have tells a frame too big. */
		n = tap_sys_read(tq->kq.fd, skb ? skb->data : tq->scratch,
				 skb ? room + 1 : TAP_SCRATCH);
	}
	if (n < 0) {
		/* EAGAIN: drained. EBADFD etc.: detached, the link watcher quiesces the queue. */
		tq->spare = skb;
		return -EAGAIN;
	}
	if (!skb) {
		kif_stat_add(&tq->kq, KS_RX_NOMEM, 1);
		return 0;
	}
	len = (unsigned int)n - (p->vnet_hdr ? sizeof(vh) : 0);
	if (len > room) {
		skb = tap_rx_big(tq, skb, len, room, vh.gso_type != KIF_VNET_GSO_NONE);
		if (!skb)
			return 0;
	} else {
		skb_put(skb, len);
	}
	if (unlikely(len < ETH_HLEN)) {
		kif_stat_add(&tq->kq, KS_RX_TRUNCATED, 1);
		kfree_skb_reason(skb, SKB_DROP_REASON_PKT_TOO_SMALL);
		return 0;
	}
	if (!kif_filter_pass(&p->kd.filter, dev, skb->data)) {
		kif_stat_add(&tq->kq, KS_RX_FILTERED, 1);
		dev_core_stats_rx_otherhost_dropped_inc(dev);
		kfree_skb_reason(skb, SKB_DROP_REASON_OTHERHOST);
		return 0;
	}
	if (p->vnet_hdr && kif_vnet_to_skb(skb, &vh)) {
		kif_stat_add(&tq->kq, KS_RX_TRUNCATED, 1);
		kfree_skb_reason(skb, SKB_DROP_REASON_DEV_HDR);
		return 0;
	}
	if (skb_is_gso(skb))
		kif_stat_add(&tq->kq, KS_RX_GSO, 1);
	kif_stat_add(&tq->kq, KS_RX_PACKETS, 1);
	kif_stat_add(&tq->kq, KS_RX_BYTES, len);
	skb_set_queue_mapping(skb, (u16)tq->kq.index);
	skb->protocol = eth_type_trans(skb, dev);
	napi_gro_receive(&tq->kq.napi, skb);
	return 0;
}

/* The NAPI poll (R-NAPI-8). Context: softirq, SCHED owned. */
static int tap_poll(struct napi_struct *napi, int budget)
{
	struct tap_queue *tq = container_of(napi, struct tap_queue, kq.napi);
	struct tap_priv *p = tap_priv(tq->kq.dev);
	int done = 0;

	kif_stat_add(&tq->kq, KS_RX_POLLS, 1);
	while (done < budget && tap_rx_one(tq, p) == 0)
		done++;
	if (done < budget)
		kif_rx_complete(&tq->kq, done);
	return done;
}

/* ---- TX ---- */

/*
 * Consumes @skb unless it returns NETDEV_TX_BUSY (the kernel queue is full:
 * the queue is stopped first, EPOLLOUT wakes it). Context: queue xmit lock
 * held, BHs disabled (R-SYNC-5).
 */
static netdev_tx_t tap_xmit(struct sk_buff *skb, struct net_device *dev)
{
	struct tap_priv *p = tap_priv(dev);
	struct kif_queue *kq = &p->q[skb_get_queue_mapping(skb) % p->kd.nq].kq;
	struct kif_vnet_hdr vh;
	struct iovec iov[2] = {{&vh, sizeof(vh)}, {skb->data, skb->len}};
	ssize_t n;

	if (p->vnet_hdr && kif_vnet_from_skb(skb, &vh))
		goto drop;
	if (p->vnet_hdr)
		n = writev(kq->fd, iov, 2);
	else
		n = tap_sys_write(kq->fd, skb->data, skb->len);
	if (unlikely(n < 0)) {
		if (errno == EAGAIN) {
			kif_tx_full(kq);
			return NETDEV_TX_BUSY;
		}
		goto drop;
	}
	if (skb_is_gso(skb))
		kif_stat_add(kq, KS_TX_GSO, 1);
	kif_stat_add(kq, KS_TX_PACKETS, 1);
	kif_stat_add(kq, KS_TX_BYTES, skb->len);
	consume_skb(skb);
	return NETDEV_TX_OK;
drop:
	kif_stat_add(kq, KS_TX_ERRORS, 1);
	kfree_skb_reason(skb, SKB_DROP_REASON_TX_ERROR);
	return NETDEV_TX_OK;
}

/* ---- control ---- */

/* ndo_stop, after every queue's NAPI is disabled: the spare skb goes. */
static void tap_queue_stopped(struct kif_queue *kq)
{
	struct tap_queue *tq = container_of(kq, struct tap_queue, kq);

	kfree_skb_reason(tq->spare, SKB_CONSUMED);
	tq->spare = NULL;
}

static const struct net_device_ops tap_netdev_ops = {
    .ndo_uninit = kif_ndo_uninit,
    .ndo_open = kif_ndo_open,
    .ndo_stop = kif_ndo_stop,
    .ndo_start_xmit = tap_xmit,
    .ndo_set_rx_mode = kif_ndo_set_rx_mode,
    .ndo_get_stats64 = kif_ndo_get_stats64,
    .ndo_set_mac_address = eth_mac_addr,
    .ndo_validate_addr = eth_validate_addr,
};

/* Close the kernel side. Idempotent: priv_destructor and the create error path. */
static void tap_release(struct net_device *dev)
{
	struct tap_priv *p = tap_priv(dev);

	kif_link_stop(&p->kd.link);
	kif_os_tap_close(p->fds, p->kd.nq);
	for (unsigned int i = 0; i < p->kd.nq; i++) {
		free(p->q[i].scratch);
		p->q[i].scratch = NULL;
	}
}

static void tap_setup(struct net_device *dev)
{
	ether_setup(dev);
	dev->priv_flags |= IFF_LIVE_ADDR_CHANGE;
	dev->netdev_ops = &tap_netdev_ops;
	dev->needs_free_netdev = true;
	dev->priv_destructor = tap_release;
	dev->max_mtu = ETH_MAX_MTU - ETH_HLEN; /* the kernel's tun max_mtu */
}

/* Open the kernel TAP and read its state. Context: process, rtnl not held. */
static int tap_kernel_open(struct net_device *dev, const struct unetdev_tap_config *cfg,
			   struct kif_linkinfo *li)
{
	struct tap_priv *p = tap_priv(dev);
	struct kif_tap_req req = {.ifname = cfg->ifname ? cfg->ifname : "utap%d",
				  .queues = p->kd.nq,
				  .vnet_hdr = cfg->vnet_hdr,
				  .persist = cfg->persist};
	struct kif_err e = {""};
	int err;

	err = kif_link_open(&p->kd.link, 0, &e);
	if (!err)
		err = kif_os_tap_open(&req, p->fds, p->kd.kname, &p->offloads, &e);
	if (!err)
		err = kif_os_link_get(p->kd.kname, li, &e);
	if (err) {
		netdev_err(dev, "tap: %s", e.msg);
		return err;
	}
	p->kd.link.ifindex = li->ifindex;
	for (unsigned int i = 0; i < p->kd.nq; i++) {
		p->q[i].scratch = malloc(TAP_SCRATCH);
		if (!p->q[i].scratch)
			return -ENOMEM;
		kif_queue_init(&p->q[i].kq, dev, i, p->fds[i]);
	}
	if (cfg->vnet_hdr)
		kif_vnet_features(dev, p->offloads); /* what the kernel TAP accepts */
	return 0;
}

static void tap_gone(struct net_device *dev) UNETDEV_MUST_HOLD(rtnl_mutex)
{
	struct tap_priv *p = tap_priv(dev);

	netdev_err(dev, "kernel TAP %s disappeared: carrier off", p->kd.kname);
	for (unsigned int i = 0; i < p->kd.nq; i++)
		kif_queue_quiesce(&p->q[i].kq); /* a detached TAP fd polls EPOLLERR forever */
}

static const struct kif_link_ops tap_link_ops = {.gone = tap_gone};

int unetdev_tap_create(struct net *net, const char *name, const struct unetdev_tap_config *ucfg,
		       struct net_device **out)
{
	bool must_free;
	struct unetdev_tap_config cfg = {0};
	struct kif_linkinfo li;
	struct net_device *dev;
	struct tap_priv *p;
	unsigned int nq;
	int err;

	if (!ucfg || !out || (name && strnlen(name, IFNAMSIZ) >= IFNAMSIZ) ||
	    backend_cfg_copy(&cfg, sizeof(cfg), ucfg, offsetof(struct unetdev_tap_config, queues)))
		return -EINVAL;
	nq = cfg.queues ? cfg.queues : 1;
	if (nq > UNETDEV_BACKEND_MAX_QUEUES ||
	    (cfg.ifname && strnlen(cfg.ifname, IFNAMSIZ) >= IFNAMSIZ))
		return -EINVAL;
	dev = alloc_netdev_mqs((int)(sizeof(*p) + nq * sizeof(struct tap_queue)),
			       name ? name : "tap%d", NET_NAME_USER, tap_setup, nq, nq);
	if (!dev)
		return -ENOMEM;
	p = tap_priv(dev);
	kif_dev_init(&p->kd, nq, &p->q[0].kq, sizeof(p->q[0]), tap_poll);
	p->kd.tx_stop = tap_queue_stopped;
	p->vnet_hdr = cfg.vnet_hdr;
	for (unsigned int i = 0; i < KIF_MAX_QUEUES; i++)
		p->fds[i] = -1;
	eth_hw_addr_random(dev);
	if (net)
		dev->nd_net = net; /* dev_net_set */
	err = tap_kernel_open(dev, &cfg, &li);
	if (err)
		goto err_free;
	err = kif_register(dev, &p->kd.link, &tap_link_ops, li.up, li.running, li.mtu, &must_free);
	if (must_free)
		goto err_free;
	if (err)
		return err;
	*out = dev;
	return 0;
err_free:
	tap_release(dev);
	free_netdev(dev);
	return err;
}

int unetdev__tap_kname(struct net_device *dev, char *buf, size_t len)
{
	if (dev->netdev_ops != &tap_netdev_ops)
		return -EINVAL;
	snprintf(buf, len, "%s", tap_priv(dev)->kd.kname);
	return 0;
}

int unetdev__tap_stats(struct net_device *dev, struct unetdev_backend_stats *st)
{
	if (dev->netdev_ops != &tap_netdev_ops)
		return -EINVAL;
	kif_dev_stats(dev, st);
	return 0;
}
