// SPDX-License-Identifier: MIT
/*
 * veth.c - an in-process Ethernet pair (kernel drivers/net/veth.c, its
 * NAPI path without XDP): what one end transmits is put on a ring of the
 * other end's RX queue, whose NAPI poll hands it to napi_gro_receive().
 * Shows R-MTU-13 (forwardability on the peer), R-TX-10 (LLTX: several
 * threads transmit at once), R-NAPI-1/3/4/8 and R-UP-13 (a NAPI per RX queue,
 * added in ndo_open, disabled in ndo_stop), R-LINK-7/8 (carrier on only while
 * both ends are up; iflink = peer), R-SYNC-9 (ndo_uninit) and R-UNREG-1
 * (batched unregister).
 *
 * Lifetime of the pair. The kernel removes a pair through rtnl_link_ops
 * dellink, which queues both ends on one unregister batch. unetdev has no
 * link ops yet, so the same happens from ndo_uninit:
 *   a) both ends in one batch (the create error path, or a caller that
 *      queued both): each uninit only clears the peer links;
 *   b) one end alone (unregister_netdev(a)): a's uninit clears both links
 *      and unregisters the peer too, under the same rtnl; both are freed at
 *      rtnl_unlock() (needs_free_netdev).
 * The datapath reads the peer under veth_peer_lock and holds a reference on
 * it while forwarding, so an end being unregistered is never freed under a
 * transmitting peer (the kernel gets this from RCU).
 */
#include <pthread.h>
#include <string.h>

#include <unetdev/drivers.h>
#include <unetdev/etherdevice.h>

#define VETH_RING_SIZE 256 /* the kernel's VETH_RING_SIZE */
#define VETH_RX_QUEUES 1

/*
 * A receive queue: a bounded ring fed by the peer's transmitters and drained
 * by this end's NAPI poll (the kernel's ptr_ring + rq->xdp_napi). Producers
 * serialise on producer_lock (veth is LLTX: several threads may transmit at
 * once); the single consumer is whoever owns the NAPI SCHED bit, so it takes
 * no lock. A slot is free while NULL: the producer publishes with a release
 * store, the consumer takes with an acquire load and frees with a release
 * store, as ptr_ring does.
 */
struct veth_rq {
	struct napi_struct napi;
	spinlock_t producer_lock;
	bool active;	       /* producer_lock: NAPI enabled, the ring may be fed */
	unsigned int producer; /* producer_lock */
	unsigned int consumer; /* the NAPI owner */
	struct sk_buff *ring[VETH_RING_SIZE];
	u64 rx_packets, rx_bytes; /* the NAPI owner writes, anyone reads */
};

struct veth_priv {
	struct net_device *peer; /* writes: rtnl + veth_peer_lock */
	u64 dropped;		 /* atomic: could not be handed to the peer */
	unsigned int nrq;
	struct veth_rq rq[]; /* one per RX queue */
};

static pthread_rwlock_t veth_peer_lock = PTHREAD_RWLOCK_INITIALIZER;

static struct veth_priv *veth_priv(const struct net_device *dev)
{
	return netdev_priv(dev);
}

/* The peer with a reference (dev_put() it), or NULL. */
static struct net_device *veth_peer_get(const struct net_device *dev)
{
	struct net_device *peer;

	pthread_rwlock_rdlock(&veth_peer_lock);
	peer = veth_priv(dev)->peer;
	dev_hold(peer);
	pthread_rwlock_unlock(&veth_peer_lock);
	return peer;
}

static void veth_tx_stats_add(struct net_device *dev, unsigned int len)
{
	struct pcpu_sw_netstats *st;

	if (!dev->tstats)
		return;
	st = &dev->tstats[smp_processor_id()];
	__atomic_fetch_add(&st->tx_packets, 1, __ATOMIC_RELAXED);
	__atomic_fetch_add(&st->tx_bytes, len, __ATOMIC_RELAXED);
}

/* ---- the ring ---- */

/*
 * veth_xdp_rx: put @skb on @rq and schedule its NAPI. Returns NET_RX_DROP
 * (skb not consumed) when the ring is full or the receiver is stopped.
 * Scheduling happens under producer_lock so that ndo_stop, which clears
 * `active` under the same lock before napi_disable(), never sees a late one.
 */
static int veth_rq_produce(struct veth_rq *rq, struct sk_buff *skb) UNETDEV_NO_TSA
{
	struct sk_buff **slot;

	spin_lock(&rq->producer_lock);
	slot = &rq->ring[rq->producer];
	if (unlikely(!rq->active || __atomic_load_n(slot, __ATOMIC_ACQUIRE))) {
		spin_unlock(&rq->producer_lock);
		return NET_RX_DROP;
	}
	__atomic_store_n(slot, skb, __ATOMIC_RELEASE);
	rq->producer = (rq->producer + 1) % VETH_RING_SIZE;
	napi_schedule(&rq->napi); /* __veth_xdp_flush; MISSED covers a running poll */
	spin_unlock(&rq->producer_lock);
	return NET_RX_SUCCESS;
}

/* The next skb or NULL. Context: the NAPI owner. */
static struct sk_buff *veth_rq_consume(struct veth_rq *rq)
{
	struct sk_buff **slot = &rq->ring[rq->consumer];
	struct sk_buff *skb = __atomic_load_n(slot, __ATOMIC_ACQUIRE);

	if (!skb)
		return NULL;
	__atomic_store_n(slot, NULL, __ATOMIC_RELEASE);
	rq->consumer = (rq->consumer + 1) % VETH_RING_SIZE;
	return skb;
}

/* ---- TX: onto the peer's ring ---- */

/*
 * Consumes @skb: on the peer's ring, or dropped and counted as tx_dropped
 * (the kernel's veth_xmit drops on a full ring rather than stopping the
 * queue). Context: LLTX, BHs disabled (R-SYNC-5).
 */
static netdev_tx_t veth_xmit(struct sk_buff *skb, struct net_device *dev)
{
	struct net_device *rcv = veth_peer_get(dev);
	unsigned int len = skb->len;
	struct veth_priv *rp;
	u16 rxq;

	if (unlikely(!rcv) || skb->len < ETH_HLEN)
		goto drop;
	/* __dev_forward_skb: forwardable (up, size), scrubbed, typed (R-MTU-13). */
	if (unlikely(!is_skb_forwardable(rcv, skb))) {
		dev_core_stats_rx_dropped_inc(rcv);
		goto drop;
	}
	skb->sk = NULL;
	skb->pkt_type = PACKET_HOST;
	skb->skb_iif = 0;
	skb->priority = 0;
	if (dev_net(dev) != dev_net(rcv))
		skb->mark = 0;
	skb->protocol = eth_type_trans(skb, rcv);
	rp = veth_priv(rcv);
	rxq = skb_get_queue_mapping(skb);
	if (rxq >= rp->nrq)
		rxq = 0;
	if (unlikely(veth_rq_produce(&rp->rq[rxq], skb) != NET_RX_SUCCESS))
		goto drop;
	veth_tx_stats_add(dev, len);
	dev_put(rcv);
	return NETDEV_TX_OK;
drop:
	kfree_skb(skb);
	__atomic_fetch_add(&veth_priv(dev)->dropped, 1, __ATOMIC_RELAXED);
	dev_put(rcv);
	return NETDEV_TX_OK;
}

/* ---- RX: the NAPI poll ---- */

/* veth_poll (R-NAPI-8). Context: softirq, SCHED owned (R-SYNC-8). */
static int veth_poll(struct napi_struct *napi, int budget)
{
	struct veth_rq *rq = container_of(napi, struct veth_rq, napi);
	u64 bytes = 0;
	int done = 0;

	while (done < budget) {
		struct sk_buff *skb = veth_rq_consume(rq);

		if (!skb)
			break;
		bytes += skb->len + ETH_HLEN;
		napi_gro_receive(napi, skb);
		done++;
	}
	__atomic_store_n(&rq->rx_packets, rq->rx_packets + (u64)done, __ATOMIC_RELAXED);
	__atomic_store_n(&rq->rx_bytes, rq->rx_bytes + bytes, __ATOMIC_RELAXED);
	/* A producer that filled a slot after our last look set MISSED: repolled. */
	if (done < budget)
		napi_complete_done(napi, done);
	return done;
}

/* Free what the ring still holds. Context: NAPI disabled, ring inactive. */
static void veth_rq_purge(struct veth_rq *rq)
{
	struct sk_buff *skb;

	while ((skb = veth_rq_consume(rq)))
		kfree_skb(skb);
}

static void veth_get_stats64(struct net_device *dev, struct rtnl_link_stats64 *s)
{
	struct veth_priv *p = veth_priv(dev);

	if (dev->tstats) {
		for (int cpu = 0; cpu < UNETDEV_MAX_CPUS; cpu++) {
			const struct pcpu_sw_netstats *st = &dev->tstats[cpu];

			s->tx_packets += __atomic_load_n(&st->tx_packets, __ATOMIC_RELAXED);
			s->tx_bytes += __atomic_load_n(&st->tx_bytes, __ATOMIC_RELAXED);
		}
	}
	for (unsigned int i = 0; i < p->nrq; i++) {
		s->rx_packets += __atomic_load_n(&p->rq[i].rx_packets, __ATOMIC_RELAXED);
		s->rx_bytes += __atomic_load_n(&p->rq[i].rx_bytes, __ATOMIC_RELAXED);
	}
	s->tx_dropped = __atomic_load_n(&p->dropped, __ATOMIC_RELAXED);
}

/* veth_napi_add: one NAPI per RX queue, enabled, then the rings accept. */
static void veth_napi_add(struct net_device *dev)
{
	struct veth_priv *p = veth_priv(dev);

	for (unsigned int i = 0; i < p->nrq; i++) {
		struct veth_rq *rq = &p->rq[i];

		netif_napi_add(dev, &rq->napi, veth_poll);
		napi_enable(&rq->napi);
		spin_lock(&rq->producer_lock);
		rq->active = true;
		spin_unlock(&rq->producer_lock);
	}
}

/*
 * veth_napi_del, in order: a) the rings refuse new skbs, b) napi_disable()
 * waits for a running poll (R-NAPI-4, R-UP-13), c) what is left is freed,
 * d) the instance is unlisted.
 */
static void veth_napi_del(struct net_device *dev)
{
	struct veth_priv *p = veth_priv(dev);

	for (unsigned int i = 0; i < p->nrq; i++) {
		struct veth_rq *rq = &p->rq[i];

		spin_lock(&rq->producer_lock);
		if (!rq->active) {
			spin_unlock(&rq->producer_lock);
			continue;
		}
		rq->active = false;
		spin_unlock(&rq->producer_lock);
		napi_disable(&rq->napi);
		veth_rq_purge(rq);
		netif_napi_del(&rq->napi);
	}
}

/* Carrier is on only while both ends are up. */
static int veth_open(struct net_device *dev)
{
	struct net_device *peer = veth_priv(dev)->peer;

	if (!peer)
		return -ENOTCONN;
	veth_napi_add(dev);
	if (peer->flags & IFF_UP) {
		netif_carrier_on(dev);
		netif_carrier_on(peer);
	}
	return 0;
}

static int veth_close(struct net_device *dev)
{
	struct net_device *peer = veth_priv(dev)->peer;

	netif_carrier_off(dev);
	if (peer)
		netif_carrier_off(peer);
	veth_napi_del(dev);
	return 0;
}

/* Step a) or b) of the header comment. Context: rtnl (R-SYNC-9). */
static void veth_uninit(struct net_device *dev) UNETDEV_MUST_HOLD(rtnl_mutex)
{
	struct net_device *peer = veth_priv(dev)->peer;

	pthread_rwlock_wrlock(&veth_peer_lock);
	veth_priv(dev)->peer = NULL;
	if (peer)
		veth_priv(peer)->peer = NULL;
	pthread_rwlock_unlock(&veth_peer_lock);
	if (peer && peer->reg_state == NETREG_REGISTERED && !peer->dismantle)
		unregister_netdevice(peer);
}

static int veth_get_iflink(const struct net_device *dev)
{
	struct net_device *peer = veth_peer_get(dev);
	int iflink = peer ? READ_ONCE(peer->ifindex) : 0;

	dev_put(peer);
	return iflink;
}

static struct net_device *veth_peer_dev(struct net_device *dev)
{
	return veth_priv(dev)->peer;
}

static void veth_set_rx_mode(struct net_device *dev)
{
}

static const struct net_device_ops veth_netdev_ops = {
    .ndo_uninit = veth_uninit,
    .ndo_open = veth_open,
    .ndo_stop = veth_close,
    .ndo_start_xmit = veth_xmit,
    .ndo_get_stats64 = veth_get_stats64,
    .ndo_set_rx_mode = veth_set_rx_mode,
    .ndo_set_mac_address = eth_mac_addr,
    .ndo_validate_addr = eth_validate_addr,
    .ndo_get_iflink = veth_get_iflink,
    .ndo_get_peer_dev = veth_peer_dev,
};

#define VETH_FEATURES                                                                              \
	(NETIF_F_SG | NETIF_F_FRAGLIST | NETIF_F_HW_CSUM | NETIF_F_RXCSUM | NETIF_F_HIGHDMA |      \
	 NETIF_F_GSO_SOFTWARE | NETIF_F_HW_VLAN_CTAG_TX | NETIF_F_HW_VLAN_CTAG_RX)

static void veth_setup(struct net_device *dev)
{
	ether_setup(dev);
	dev->priv_flags &= ~IFF_TX_SKB_SHARING;
	dev->priv_flags |=
	    IFF_LIVE_ADDR_CHANGE | IFF_NO_QUEUE | IFF_PHONY_HEADROOM | IFF_DISABLE_NETPOLL;
	dev->lltx = true;
	dev->netdev_ops = &veth_netdev_ops;
	dev->features |= VETH_FEATURES;
	dev->vlan_features = dev->features & ~(NETIF_F_HW_VLAN_CTAG_TX | NETIF_F_HW_VLAN_CTAG_RX);
	dev->needs_free_netdev = true;
	dev->pcpu_stat_type = NETDEV_PCPU_STAT_TSTATS;
	dev->max_mtu = ETH_MAX_MTU;
	dev->hw_features = VETH_FEATURES;
	dev->hw_enc_features = VETH_FEATURES;
	netif_set_tso_max_size(dev, GSO_MAX_SIZE);
}

static struct net_device *veth_alloc(struct net *net, const char *name)
{
	size_t priv = sizeof(struct veth_priv) + VETH_RX_QUEUES * sizeof(struct veth_rq);
	struct net_device *dev;
	struct veth_priv *p;

	dev = alloc_netdev_mqs((int)priv, name, NET_NAME_USER, veth_setup, VETH_RX_QUEUES,
			       VETH_RX_QUEUES);
	if (!dev)
		return NULL;
	p = veth_priv(dev);
	p->nrq = VETH_RX_QUEUES;
	for (unsigned int i = 0; i < p->nrq; i++)
		spin_lock_init(&p->rq[i].producer_lock);
	eth_hw_addr_random(dev);
	if (net)
		dev->nd_net = net; /* dev_net_set */
	return dev;
}

/* veth_newlink: register the peer, then this end; carrier off on both. */
/* @b_registered: b was registered (and is freed by needs_free_netdev once
 * unregistered); false when its own registration failed, which can leave it
 * NETREG_UNREGISTERED (late kobject failure) without anyone to free it. */
static int veth_register_pair(struct net_device *a, struct net_device *b, bool *b_registered)
    UNETDEV_MUST_HOLD(rtnl_mutex)
{
	int err;

	*b_registered = false;
	err = register_netdevice(b);
	if (err)
		return err;
	*b_registered = true;
	netif_carrier_off(b);
	err = register_netdevice(a);
	if (err) {
		/* b alone; its peer link is cleared by its own uninit. */
		unregister_netdevice(b);
		return err;
	}
	netif_carrier_off(a);
	pthread_rwlock_wrlock(&veth_peer_lock);
	veth_priv(a)->peer = b;
	veth_priv(b)->peer = a;
	pthread_rwlock_unlock(&veth_peer_lock);
	return 0;
}

int unetdev_veth_create(struct net *net, const char *name, const char *peer_name,
			struct net_device **a, struct net_device **b)
{
	struct net_device *dev, *peer;
	bool peer_registered;
	int err;

	if ((name && strnlen(name, IFNAMSIZ) >= IFNAMSIZ) ||
	    (peer_name && strnlen(peer_name, IFNAMSIZ) >= IFNAMSIZ))
		return -EINVAL;
	dev = veth_alloc(net, name ? name : "veth%d");
	peer = veth_alloc(net, peer_name ? peer_name : "veth%d");
	if (!dev || !peer) {
		free_netdev(dev);
		free_netdev(peer);
		return -ENOMEM;
	}
	rtnl_lock();
	err = veth_register_pair(dev, peer, &peer_registered);
	rtnl_unlock();
	if (err) {
		/* A registered-then-unregistered end is freed by needs_free_netdev. */
		free_netdev(dev);
		if (!peer_registered)
			free_netdev(peer);
		return err;
	}
	if (a)
		*a = dev;
	if (b)
		*b = peer;
	return 0;
}

struct net_device *unetdev_veth_peer(struct net_device *dev)
{
	struct net_device *peer;

	if (!dev || dev->netdev_ops != &veth_netdev_ops)
		return NULL;
	pthread_rwlock_rdlock(&veth_peer_lock);
	peer = veth_priv(dev)->peer;
	pthread_rwlock_unlock(&veth_peer_lock);
	return peer;
}
