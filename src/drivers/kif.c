// SPDX-License-Identifier: MIT
/*
 * kif.c - shared parts of the kernel-backed drivers (see kif.h): the queue
 * as an interrupt line, the software address filter and the link watcher.
 *
 * Interrupt protocol of a queue (the kernel's "mask in the handler, unmask
 * when the poll completes", with the lazy masking of genirq's
 * disable_irq: masking is a system call here, so the line is masked only
 * when it fires again while the poll is still pending):
 *   a) EPOLLIN fires: the handler schedules NAPI; if NAPI was scheduled
 *      already (MISSED is then set, so the poll runs once more) it masks
 *      EPOLLIN, and schedules again in case the poll completed meanwhile;
 *   b) the poll drains up to its budget; under budget it completes and
 *      unmasks EPOLLIN if it was masked. epoll is level-triggered and
 *      EPOLL_CTL_MOD re-checks readiness, so a frame that arrived between
 *      the last read and the unmask raises the line again. Under steady
 *      traffic the line is never masked: no epoll_ctl per poll;
 *      With interrupt deferral on, a completion that answers false masks
 *      EPOLLIN at once (kif_rx_complete) and the timer re-polls;
 *   c) a transmit that meets EAGAIN stops its queue first, then unmasks
 *      EPOLLOUT; the handler masks it again and wakes the queue.
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <unetdev/unetdev.h>
#include <unetdev/etherdevice.h>
#include <unetdev/gso.h>
#include <unetdev/ip.h>
#include <unetdev/skbuff_hdr.h>

#include "kif.h"

_Static_assert(sizeof(struct unetdev_backend_stats) == (KS_NR + 2) * sizeof(u64),
	       "kif_stat must follow struct unetdev_backend_stats");

/* ---- queue ---- */

void kif_queue_init(struct kif_queue *q, struct net_device *dev, unsigned int index, int fd)
{
	q->dev = dev;
	q->index = index;
	q->fd = fd;
	q->txfd = fd;
	spin_lock_init(&q->ev_lock);
}

/* Change the line's mask; nothing once the line is gone. Context: any. */
static void kif_events(struct kif_queue *q, u32 set, u32 clear) UNETDEV_NO_TSA
{
	u32 ev;

	spin_lock(&q->ev_lock);
	ev = (q->events | set) & ~clear;
	if (q->irq && ev != q->events) {
		q->events = ev;
		unetdev_irq_set_events(q->irq, ev);
	}
	spin_unlock(&q->ev_lock);
}

/* The interrupt handler. Context: hardirq on the queue's engine CPU. */
static void kif_irq(void *ctx, u32 rev)
{
	struct kif_queue *q = ctx;
	bool rx = rev & (EPOLLIN | EPOLLERR | EPOLLHUP);

	if (rev & EPOLLERR) {
		/* A socket error (ENETDOWN: the interface went away) is reported until read. */
		int soerr = 0;
		socklen_t sl = sizeof(soerr);

		(void)getsockopt(q->fd, SOL_SOCKET, SO_ERROR, &soerr, &sl);
	}
	if (rev & EPOLLOUT)
		kif_events(q, 0, EPOLLOUT);
	if ((rev & EPOLLOUT) && q->tx_clean) {
		__atomic_store_n(&q->tx_ready, true, __ATOMIC_RELEASE);
		napi_schedule(&q->napi);
	} else if (rev & EPOLLOUT) {
		kif_stat_add(q, KS_TX_WAKES, 1);
		netif_tx_wake_queue(netdev_get_tx_queue(q->dev, q->index));
	}
	if (rx) {
		kif_stat_add(q, KS_RX_IRQS, 1);
		if (napi_schedule_prep(&q->napi)) {
			__napi_schedule(&q->napi);
			return;
		}
		/* The line fires while the poll is pending: mask it now (lazy), then
		 * make sure a poll that completed meanwhile is not left to unmask. */
		kif_events(q, 0, EPOLLIN);
		if (napi_schedule_prep(&q->napi))
			__napi_schedule(&q->napi);
	}
}

/* EPOLLOUT of a separate TX socket (one-shot). Context: hardirq. */
static void kif_tx_irq(void *ctx, u32 rev)
{
	struct kif_queue *q = ctx;

	(void)rev;
	__atomic_store_n(&q->tx_ready, true, __ATOMIC_RELEASE);
	napi_schedule(&q->napi);
}

/*
 * Watch the separate TX socket for one EPOLLOUT: add it to the epoll set the
 * first time, re-arm the one-shot after. Not once the queue is quiesced.
 * Context: the queue's xmit lock.
 */
static void kif_tx_watch(struct kif_queue *q) UNETDEV_NO_TSA
{
	bool live;
	int err;

	spin_lock(&q->ev_lock);
	live = q->irq != NULL;
	spin_unlock(&q->ev_lock);
	if (!live)
		return;
	if (q->txirq)
		err = unetdev_irq_set_events(q->txirq, EPOLLOUT | EPOLLONESHOT);
	else
		err = unetdev_irq_request(q->index % unetdev_engine_ncpus(), q->txfd,
					  EPOLLOUT | EPOLLONESHOT, kif_tx_irq, q, &q->txirq);
	if (err)
		netdev_err(q->dev, "queue %u: watching the TX socket: %s", q->index,
			   unetdev_strerror(err));
}

/* Out of the epoll set again (the queue has room). Context: the queue's xmit lock. */
static void kif_tx_unwatch(struct kif_queue *q)
{
	struct unetdev_irq *irq = q->txirq;

	q->txirq = NULL;
	unetdev_irq_free(irq);
}

int kif_queue_start(struct kif_queue *q, int (*poll)(struct napi_struct *, int)) UNETDEV_NO_TSA
{
	unsigned int ncpus = unetdev_engine_ncpus();
	struct unetdev_irq *irq;
	int err;

	if (!ncpus) {
		netdev_err(q->dev, "queue %u: no engine CPU; call unetdev_engine_start() first",
			   q->index);
		return -ENXIO;
	}
	netif_napi_add(q->dev, &q->napi, poll);
	napi_enable(&q->napi);
	q->napi_on = true;
	spin_lock(&q->ev_lock);
	q->events = EPOLLIN;
	spin_unlock(&q->ev_lock);
	err = unetdev_irq_request(q->index % ncpus, q->fd, EPOLLIN, kif_irq, q, &irq);
	if (err) {
		netdev_err(q->dev, "queue %u: unetdev_irq_request(fd %d): %s", q->index, q->fd,
			   unetdev_strerror(err));
		kif_queue_stop(q);
		return err;
	}
	spin_lock(&q->ev_lock);
	q->irq = irq;
	spin_unlock(&q->ev_lock);
	return 0;
}

void kif_queue_quiesce(struct kif_queue *q) UNETDEV_NO_TSA
{
	struct unetdev_irq *irq;

	spin_lock(&q->ev_lock);
	irq = q->irq;
	q->irq = NULL;
	q->events = 0;
	spin_unlock(&q->ev_lock);
	unetdev_irq_free(irq);	/* waits for a running handler */
	if (q->txfd != q->fd) { /* no kif_tx_watch after the unlock above */
		struct netdev_queue *txq = netdev_get_tx_queue(q->dev, q->index);

		local_bh_disable();
		__netif_tx_lock(txq, (int)smp_processor_id());
		if (q->txirq)
			kif_tx_unwatch(q);
		__netif_tx_unlock(txq);
		local_bh_enable();
	}
}

/* In order: a) no interrupts, b) no poll running or to come, c) unlisted. */
void kif_queue_stop(struct kif_queue *q)
{
	kif_queue_quiesce(q);
	if (!q->napi_on)
		return;
	napi_disable(&q->napi);
	netif_napi_del(&q->napi);
	q->napi_on = false;
}

/*
 * napi_complete_done's answer is obeyed: true unmasks EPOLLIN; false leaves
 * the line as it is (MISSED: polled again), except that an instance that
 * defers its interrupts (napi_defer_hard_irqs and gro_flush_timeout set)
 * masks it now, so that frames arriving before the timer re-polls wake
 * nobody. Every deferral ends in a completion that answers true.
 */
void kif_rx_complete(struct kif_queue *q, int done)
{
	if (napi_complete_done(&q->napi, done))
		kif_events(q, EPOLLIN, 0);
	else if (napi_get_defer_hard_irqs(&q->napi) && napi_get_gro_flush_timeout(&q->napi))
		kif_events(q, 0, EPOLLIN);
}

void kif_tx_full(struct kif_queue *q)
{
	netif_tx_stop_queue(netdev_get_tx_queue(q->dev, q->index));
	kif_stat_add(q, KS_TX_BUSY, 1);
	if (q->txfd != q->fd)
		kif_tx_watch(q);
	else
		kif_events(q, EPOLLOUT, 0);
}

bool kif_tx_complete(struct kif_queue *q) UNETDEV_NO_TSA
{
	struct netdev_queue *txq = netdev_get_tx_queue(q->dev, q->index);
	bool room;

	if (!__atomic_load_n(&q->tx_ready, __ATOMIC_ACQUIRE))
		return true;
	if (!__netif_tx_trylock(txq))
		return false;
	__atomic_store_n(&q->tx_ready, false, __ATOMIC_RELAXED);
	room = q->tx_clean(q);
	if (q->txfd != q->fd) {
		if (room && q->txirq)
			kif_tx_unwatch(q);
		else if (!room)
			kif_tx_watch(q); /* still full: wait for the next EPOLLOUT */
	}
	__netif_tx_unlock(txq);
	if (room) {
		kif_stat_add(q, KS_TX_WAKES, 1);
		netif_tx_wake_queue(txq);
	} else if (q->txfd == q->fd) {
		kif_events(q, EPOLLOUT, 0); /* still full: wait for the next EPOLLOUT */
	}
	return true;
}

/* ---- the common head of the drivers' priv ---- */

void kif_dev_init(struct kif_dev *k, unsigned int nq, struct kif_queue *q0, size_t qstride,
		  int (*poll)(struct napi_struct *, int))
{
	k->nq = nq;
	k->q0 = q0;
	k->qstride = qstride;
	k->poll = poll;
	k->link.nlfd = k->link.stopfd = -1;
	for (unsigned int i = 0; i < nq; i++)
		kif_dev_queue(k, i)->fd = kif_dev_queue(k, i)->txfd = -1;
	kif_filter_init(&k->filter);
}

int kif_ndo_open(struct net_device *dev) UNETDEV_MUST_HOLD(rtnl_mutex)
{
	struct kif_dev *k = kif_dev(dev);
	unsigned int i;
	int err = 0;

	if (__atomic_load_n(&k->link.gone, __ATOMIC_RELAXED)) {
		netdev_err(dev, "kernel interface %s is gone; remove this device", k->kname);
		return -ENODEV;
	}
	for (i = 0; i < k->nq && !err; i++)
		err = kif_queue_start(kif_dev_queue(k, i), k->poll);
	if (err) {
		while (i--)
			kif_queue_stop(kif_dev_queue(k, i));
		return err;
	}
	netif_tx_start_all_queues(dev);
	return 0;
}

int kif_ndo_stop(struct net_device *dev) UNETDEV_MUST_HOLD(rtnl_mutex)
{
	struct kif_dev *k = kif_dev(dev);

	netif_tx_stop_all_queues(dev);
	for (unsigned int i = 0; i < k->nq; i++) {
		struct kif_queue *q = kif_dev_queue(k, i);

		kif_queue_stop(q);
		q->tx_ready = false;
	}
	for (unsigned int i = 0; k->tx_stop && i < k->nq; i++)
		k->tx_stop(kif_dev_queue(k, i));
	return 0;
}

void kif_ndo_uninit(struct net_device *dev) UNETDEV_MUST_HOLD(rtnl_mutex)
{
	kif_link_stop(&kif_dev(dev)->link);
}

void kif_ndo_set_rx_mode(struct net_device *dev)
{
	kif_filter_update(&kif_dev(dev)->filter, dev);
}

void kif_ndo_get_stats64(struct net_device *dev, struct rtnl_link_stats64 *s)
{
	struct kif_dev *k = kif_dev(dev);

	if (k->stats_refresh)
		k->stats_refresh(dev);
	for (unsigned int i = 0; i < k->nq; i++)
		kif_stats64(kif_dev_queue(k, i), 1, s);
}

void kif_dev_stats(struct net_device *dev, struct unetdev_backend_stats *bs)
{
	struct kif_dev *k = kif_dev(dev);

	if (k->stats_refresh)
		k->stats_refresh(dev);
	for (unsigned int i = 0; i < k->nq; i++)
		kif_stats_fold(kif_dev_queue(k, i), 1, bs);
	bs->kernel_mtu = __atomic_load_n(&k->link.mtu, __ATOMIC_RELAXED);
	bs->kernel_gone = __atomic_load_n(&k->link.gone, __ATOMIC_RELAXED);
}

void kif_stats_fold(const struct kif_queue *qs, unsigned int n, struct unetdev_backend_stats *bs)
{
	u64 *out = (u64 *)bs;

	for (unsigned int i = 0; i < n; i++)
		for (unsigned int k = 0; k < KS_NR; k++)
			out[k] += __atomic_load_n(&qs[i].st[k], __ATOMIC_RELAXED);
}

/* Add @n queues' counters to @s (called once per queue by the drivers). */
void kif_stats64(const struct kif_queue *qs, unsigned int n, struct rtnl_link_stats64 *s)
{
	struct unetdev_backend_stats bs;

	memset(&bs, 0, sizeof(bs));
	kif_stats_fold(qs, n, &bs);
	s->rx_packets += bs.rx_packets;
	s->rx_bytes += bs.rx_bytes;
	s->tx_packets += bs.tx_packets;
	s->tx_bytes += bs.tx_bytes;
	s->rx_dropped += bs.rx_nomem + bs.rx_truncated;
	s->rx_over_errors += bs.rx_truncated;
	s->rx_errors += bs.rx_truncated;
	s->tx_dropped += bs.tx_errors;
	s->tx_errors += bs.tx_errors;
	/* The kernel ring had no room (PACKET_STATISTICS tp_drops): what NIC drivers
	 * count as rx_missed_errors (no free RX descriptor; kept out of rx_dropped,
	 * Documentation/networking/statistics.rst). */
	s->rx_missed_errors += bs.rx_ring_drops;
}

/* ---- virtio_net_hdr ---- */

int kif_vnet_to_skb(struct sk_buff *skb, const struct kif_vnet_hdr *vh)
{
	unsigned int gt = vh->gso_type & ~KIF_VNET_GSO_ECN;

	if (vh->flags & KIF_VNET_F_NEEDS_CSUM) {
		if ((unsigned int)vh->csum_start + vh->csum_offset + 2 > skb->len)
			return -EINVAL;
		skb->ip_summed = CHECKSUM_PARTIAL;
		skb->csum_start = (u16)(skb_headroom(skb) + vh->csum_start);
		skb->csum_offset = vh->csum_offset;
		skb->transport_header = skb->csum_start;
	} else if (vh->flags & KIF_VNET_F_DATA_VALID) {
		skb->ip_summed = CHECKSUM_UNNECESSARY;
	}
	if (gt == KIF_VNET_GSO_NONE)
		return 0;
	if (!vh->gso_size)
		return -EINVAL;
	if (gt == KIF_VNET_GSO_TCPV4)
		skb_shinfo(skb)->gso_type = SKB_GSO_TCPV4;
	else if (gt == KIF_VNET_GSO_TCPV6)
		skb_shinfo(skb)->gso_type = SKB_GSO_TCPV6;
	else if (gt == KIF_VNET_GSO_UDP_L4)
		skb_shinfo(skb)->gso_type = SKB_GSO_UDP_L4;
	else
		return -EINVAL;
	if (vh->gso_type & KIF_VNET_GSO_ECN)
		skb_shinfo(skb)->gso_type |= SKB_GSO_TCP_ECN;
	skb_shinfo(skb)->gso_type |= SKB_GSO_DODGY; /* from userspace's point of view: untrusted */
	skb_shinfo(skb)->gso_size = vh->gso_size;
	skb_shinfo(skb)->gso_segs = 0;
	return 0;
}

int kif_vnet_from_skb(const struct sk_buff *skb, struct kif_vnet_hdr *vh)
{
	const struct skb_shared_info *sh = skb_shinfo(skb);

	memset(vh, 0, sizeof(*vh));
	if (skb_is_gso(skb)) {
		unsigned int l4 = (sh->gso_type & SKB_GSO_UDP_L4) ? 8 : tcp_hdrlen(skb);

		if (sh->gso_type & SKB_GSO_TCPV4)
			vh->gso_type = KIF_VNET_GSO_TCPV4;
		else if (sh->gso_type & SKB_GSO_TCPV6)
			vh->gso_type = KIF_VNET_GSO_TCPV6;
		else if (sh->gso_type & SKB_GSO_UDP_L4)
			vh->gso_type = KIF_VNET_GSO_UDP_L4;
		else
			return -EINVAL;
		if (sh->gso_type & SKB_GSO_TCP_ECN)
			vh->gso_type |= KIF_VNET_GSO_ECN;
		vh->gso_size = sh->gso_size;
		vh->hdr_len = (u16)(skb_transport_offset(skb) + (int)l4);
	}
	if (skb->ip_summed == CHECKSUM_PARTIAL) {
		vh->flags = KIF_VNET_F_NEEDS_CSUM;
		vh->csum_start = (u16)skb_checksum_start_offset(skb);
		vh->csum_offset = skb->csum_offset;
	}
	return 0;
}

void kif_vnet_features(struct net_device *dev, unsigned int off)
{
	netdev_features_t f = 0;

	if (off & KIF_TUN_F_CSUM) {
		f |= NETIF_F_SG | NETIF_F_HW_CSUM | NETIF_F_RXCSUM | NETIF_F_HIGHDMA;
		if (off & KIF_TUN_F_TSO4)
			f |= NETIF_F_TSO;
		if (off & KIF_TUN_F_TSO6)
			f |= NETIF_F_TSO6;
		if (off & KIF_TUN_F_TSO_ECN)
			f |= NETIF_F_TSO_ECN;
		if (off & KIF_TUN_F_USO4)
			f |= NETIF_F_GSO_UDP_L4;
	}
	dev->features |= f;
	dev->hw_features |= f;
	dev->vlan_features |= f;
	netif_set_tso_max_size(dev, GSO_LEGACY_MAX_SIZE);
}

/* ---- software receive filter ---- */

void kif_filter_init(struct kif_filter *f)
{
	memset(f, 0, sizeof(*f));
	spin_lock_init(&f->lock);
}

void kif_filter_update(struct kif_filter *f, struct net_device *dev) UNETDEV_NO_TSA
{
	struct netdev_hw_addr *ha;
	unsigned int nuc = 0, nmc = 0;

	spin_lock(&f->lock);
	f->promisc = dev->flags & IFF_PROMISC;
	f->allmulti = (dev->flags & IFF_ALLMULTI) || netdev_mc_count(dev) > KIF_FLT_MC;
	f->uc_overflow = netdev_uc_count(dev) > KIF_FLT_UC;
	netdev_for_each_uc_addr (ha, dev) {
		if (nuc < KIF_FLT_UC)
			ether_addr_copy(f->uc[nuc++], ha->addr);
	}
	netdev_for_each_mc_addr (ha, dev) {
		if (nmc < KIF_FLT_MC)
			ether_addr_copy(f->mc[nmc++], ha->addr);
	}
	f->nuc = nuc;
	f->nmc = nmc;
	spin_unlock(&f->lock);
}

static bool kif_addr_in(const u8 (*tab)[ETH_ALEN], unsigned int n, const u8 *a)
{
	for (unsigned int i = 0; i < n; i++)
		if (ether_addr_equal(tab[i], a))
			return true;
	return false;
}

bool kif_filter_pass(struct kif_filter *f, const struct net_device *dev,
		     const u8 *dst) UNETDEV_NO_TSA
{
	bool pass;

	if (likely(ether_addr_equal(dst, dev->dev_addr)))
		return true;
	if (is_broadcast_ether_addr(dst))
		return true;
	spin_lock(&f->lock);
	if (f->promisc)
		pass = true;
	else if (is_multicast_ether_addr(dst))
		pass = f->allmulti || kif_addr_in((const u8(*)[ETH_ALEN])f->mc, f->nmc, dst);
	else
		pass = f->uc_overflow || kif_addr_in((const u8(*)[ETH_ALEN])f->uc, f->nuc, dst);
	spin_unlock(&f->lock);
	return pass;
}

/* ---- link watcher ---- */

void kif_set_carrier(struct net_device *dev, bool up, bool running)
{
	if (up && running)
		netif_carrier_on(dev);
	else
		netif_carrier_off(dev);
}

int kif_link_open(struct kif_link *l, int ifindex, struct kif_err *e)
{
	int err;

	memset(l, 0, sizeof(*l));
	l->ifindex = ifindex;
	l->nlfd = -1;
	l->stopfd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	if (l->stopfd < 0) {
		snprintf(e->msg, sizeof(e->msg), "eventfd: %s", unetdev_strerror(errno));
		return -errno;
	}
	err = kif_os_nl_open(&l->nlfd, e);
	if (err) {
		close(l->stopfd);
		l->stopfd = -1;
	}
	return err;
}

/* Apply what needs rtnl; false when rtnl was busy (try again shortly). */
static bool kif_link_apply(struct kif_link *l, bool gone, unsigned int mtu)
{
	if (!rtnl_trylock())
		return false;
	if (gone && l->ops->gone)
		l->ops->gone(l->dev);
	else if (mtu && l->ops->mtu_changed)
		l->ops->mtu_changed(l->dev, mtu);
	rtnl_unlock();
	return true;
}

/* Lost events (ENOBUFS): read the state back. Returns KIF_NL_* as if received. */
static int kif_link_requery(struct kif_link *l, struct kif_nl_state *st)
{
	struct kif_linkinfo li;
	struct kif_err e;

	if (kif_os_link_by_index(l->ifindex, &li, &e))
		return KIF_NL_DEL;
	st->up = li.up;
	st->running = li.running;
	st->mtu = li.mtu;
	return KIF_NL_NEW;
}

/*
 * The watcher: carrier changes at once (netif_carrier_* is any-context);
 * MTU changes and removal need rtnl, which it only ever try-locks, so that
 * kif_link_stop() can join it from under rtnl (ndo_uninit).
 */
static void *kif_link_thread(void *arg)
{
	struct kif_link *l = arg;
	struct pollfd pfd[2] = {{.fd = l->nlfd, .events = POLLIN},
				{.fd = l->stopfd, .events = POLLIN}};
	struct kif_nl_state st = {.mtu = l->mtu};
	bool pend_gone = false;
	unsigned int pend_mtu = 0;

	for (;;) {
		bool pending = pend_gone || pend_mtu;
		int what;

		if (poll(pfd, 2, pending ? 2 : -1) < 0 && errno != EINTR)
			break;
		if (pfd[1].revents)
			break;
		what = kif_os_nl_read(l->nlfd, l->ifindex, &st);
		if ((what & KIF_NL_LOST) && !(what & KIF_NL_DEL))
			what |= kif_link_requery(l, &st);
		if ((what & KIF_NL_DEL) && !__atomic_load_n(&l->gone, __ATOMIC_RELAXED)) {
			__atomic_store_n(&l->gone, true, __ATOMIC_RELAXED);
			netif_carrier_off(l->dev);
			pend_gone = true;
		} else if ((what & KIF_NL_NEW) && !l->gone) {
			kif_set_carrier(l->dev, st.up, st.running);
			if (st.mtu && st.mtu != __atomic_load_n(&l->mtu, __ATOMIC_RELAXED)) {
				__atomic_store_n(&l->mtu, st.mtu, __ATOMIC_RELAXED);
				pend_mtu = st.mtu;
			}
		}
		if ((pend_gone || pend_mtu) && kif_link_apply(l, pend_gone, pend_mtu))
			pend_gone = false, pend_mtu = 0;
	}
	return NULL;
}

int kif_register(struct net_device *dev, struct kif_link *link, const struct kif_link_ops *ops,
		 bool up, bool running, unsigned int mtu, bool *must_free)
{
	int err;

	rtnl_lock();
	err = register_netdevice(dev);
	if (!err) {
		kif_set_carrier(dev, up, running);
		err = kif_link_start(link, dev, ops, mtu);
		if (err)
			unregister_netdevice(
			    dev); /* freed with the kernel side (needs_free_netdev) */
	}
	rtnl_unlock();
	*must_free = err && READ_ONCE(dev->reg_state) == NETREG_UNINITIALIZED;
	return err;
}

int kif_link_start(struct kif_link *l, struct net_device *dev, const struct kif_link_ops *ops,
		   unsigned int mtu)
{
	int err;

	l->dev = dev;
	l->ops = ops;
	l->mtu = mtu;
	err = -pthread_create(&l->thread, NULL, kif_link_thread, l);
	l->started = !err;
	return err;
}

void kif_link_stop(struct kif_link *l)
{
	u64 one = 1;

	if (l->started) {
		if (write(l->stopfd, &one, sizeof(one)) < 0)
			(void)0; /* an eventfd write cannot fail below its maximum */
		pthread_join(l->thread, NULL);
		l->started = false;
	}
	if (l->nlfd >= 0)
		close(l->nlfd);
	if (l->stopfd >= 0)
		close(l->stopfd);
	l->nlfd = l->stopfd = -1;
}

/* ---- public accessors ---- */

int unetdev_backend_stats(struct net_device *dev, struct unetdev_backend_stats *st)
{
	if (!dev || !st)
		return -EINVAL;
	memset(st, 0, sizeof(*st));
	if (unetdev__tap_stats(dev, st) == 0)
		return 0;
	return unetdev__afp_stats(dev, st);
}

int unetdev_backend_kernel_ifname(struct net_device *dev, char *buf, size_t len)
{
	if (!dev || !buf || !len)
		return -EINVAL;
	if (unetdev__tap_kname(dev, buf, len) == 0)
		return 0;
	return unetdev__afp_kname(dev, buf, len);
}
