// SPDX-License-Identifier: MIT
/*
 * null.c - a device that counts and discards what it transmits and makes up
 * what it receives, modelled on the kernel's drivers/net/dummy.c for TX and on
 * DPDK's net_null for RX (the forwarding benchmark's NIC). Shows the driver
 * side of:
 *   R-TX-1/R-TX-11  consume and return NETDEV_TX_OK, or BUSY without consuming;
 *   R-TX-10/11 [C13] LLTX with its own trylock and NETDEV_TX_LOCKED;
 *   R-TX-13         netdev_xmit_more(): count doorbells, not packets;
 *   R-BQL-3/4/8     netdev_tx_sent_queue() on a ring that never completes;
 *   R-WD-6/R-SYNC-6 ndo_tx_timeout: flush the ring, reset BQL, wake;
 *   R-NAPI-1/3/4/8  one NAPI per RX queue, enabled in ndo_open, disabled in
 *                   ndo_stop (R-UP-13), polls within budget (the weight,
 *                   cfg.rx_weight), completes only below it (R-NAPI-9);
 *   R-DOC-9         needs_free_netdev.
 *
 * Locking. Each TX queue's ring and counters are written under the queue's
 * _xmit_lock (the core holds it around ndo_start_xmit) and, always, under the
 * driver's per-queue lock nq->lock, which is what LLTX mode relies on and what
 * ndo_tx_timeout and ndo_stop take to flush. Order: _xmit_lock -> nq->lock.
 * Counters are read without locks (relaxed atomics).
 */
#include <arpa/inet.h>
#include <string.h>

#include <unetdev/drivers.h>
#include <unetdev/etherdevice.h>

#define NULL_ETH_P_TEST 0x88b5 /* IEEE local experimental, as the anchors use */
#define NULL_RX_LEN	64

static const unsigned char null_rx_dst[ETH_ALEN] = {0x02, 0, 0, 0, 0, 0x02};
static const unsigned char null_rx_src[ETH_ALEN] = {0x02, 0, 0, 0, 0, 0x01};

struct null_txq {
	spinlock_t lock;
	unsigned int head, count; /* stalled skbs: ring[head .. head+count) */
	struct sk_buff *ring[UNETDEV_NULL_RING];
	u64 packets, bytes, busy, locked, more, doorbells, timeouts;
} __attribute__((aligned(64)));

struct null_rxq {
	struct napi_struct napi;
	bool napi_added;      /* rtnl */
	unsigned int pending; /* atomic: frames rx_burst asked for, not yet made */
	unsigned int len;     /* atomic: their length */
	u32 seq;	      /* poll only: a flow hash per frame, as RSS would give */
	u64 packets, bytes, polls, dropped;
} __attribute__((aligned(64)));

struct null_priv {
	struct unetdev_null_config cfg; /* switches: atomics after creation */
	unsigned int ntx, nrx;
	struct null_txq *txq; /* point into the private area */
	struct null_rxq *rxq;
};

static const struct net_device_ops null_netdev_ops;
static void null_copy_config(struct unetdev_null_config *dst,
			     const struct unetdev_null_config *src);

static struct null_priv *null_priv(const struct net_device *dev)
{
	return netdev_priv(dev);
}

/* Counter add by the single writer of the moment (a lock is held). */
static inline void cnt_add(u64 *c, u64 v)
{
	__atomic_store_n(c, __atomic_load_n(c, __ATOMIC_RELAXED) + v, __ATOMIC_RELAXED);
}

static inline u64 cnt_read(const u64 *c)
{
	return __atomic_load_n(c, __ATOMIC_RELAXED);
}

/* Take one unit of a "next N transmits" switch; false when it is 0. */
static bool take_switch(unsigned int *sw)
{
	unsigned int v = __atomic_load_n(sw, __ATOMIC_RELAXED);

	while (v && !__atomic_compare_exchange_n(sw, &v, v - 1, false, __ATOMIC_RELAXED,
						 __ATOMIC_RELAXED))
		;
	return v != 0;
}

/* ---- TX ---- */

/* Free every held skb and forget their bytes in BQL. Context: nq->lock held. */
static void null_flush_ring(struct netdev_queue *txq, struct null_txq *nq)
    UNETDEV_MUST_HOLD(nq->lock)
{
	while (nq->count) {
		dev_kfree_skb_any(nq->ring[nq->head]);
		nq->ring[nq->head] = NULL;
		nq->head = (nq->head + 1) % UNETDEV_NULL_RING;
		__atomic_store_n(&nq->count, nq->count - 1, __ATOMIC_RELAXED);
	}
	netdev_tx_reset_queue(txq); /* R-BQL-8 */
}

/*
 * Stalled completions: the skb goes on the ring and into BQL and stays there.
 * BQL's limit starts at 0, so the first skb sets STACK_XOFF (R-BQL-4); a full
 * ring stops the queue as a driver does. Consumes @skb. Context: nq->lock.
 */
static bool null_hold(struct sk_buff *skb, struct netdev_queue *txq, struct null_txq *nq, bool more)
    UNETDEV_MUST_HOLD(nq->lock)
{
	unsigned int len = skb->len;

	nq->ring[(nq->head + nq->count) % UNETDEV_NULL_RING] = skb;
	__atomic_store_n(&nq->count, nq->count + 1, __ATOMIC_RELAXED);
	if (nq->count == UNETDEV_NULL_RING)
		netif_tx_stop_queue(txq);
	return __netdev_tx_sent_queue(txq, len, more); /* R-BQL-9: ring the doorbell? */
}

/*
 * The transmit proper. Consumes @skb unless it returns NETDEV_TX_BUSY.
 * Context: the queue's writer (its _xmit_lock, or nq->lock in LLTX mode);
 * nq->lock also held whenever the ring is touched.
 */
static netdev_tx_t null_xmit_locked(struct sk_buff *skb, struct net_device *dev,
				    struct netdev_queue *txq, struct null_txq *nq,
				    bool stall) UNETDEV_NO_TSA
{
	struct null_priv *p = null_priv(dev);
	bool more = netdev_xmit_more(), doorbell;
	unsigned int len = skb->len;

	if (unlikely(take_switch(&p->cfg.tx_busy) ||
		     __atomic_load_n(&nq->count, __ATOMIC_RELAXED) == UNETDEV_NULL_RING)) {
		netif_tx_stop_queue(txq); /* stop first: BUSY on an awake queue is a bug */
		cnt_add(&nq->busy, 1);
		return NETDEV_TX_BUSY;
	}
	if (unlikely(stall)) {
		doorbell = null_hold(skb, txq, nq, more);
	} else {
		doorbell = !more || netif_xmit_stopped(txq);
		consume_skb(skb);
	}
	cnt_add(&nq->packets, 1);
	cnt_add(&nq->bytes, len);
	if (more)
		cnt_add(&nq->more, 1);
	if (doorbell)
		cnt_add(&nq->doorbells, 1);
	return NETDEV_TX_OK;
}

/* Every switch, LLTX and the ring: the path tests use. */
static __attribute__((noinline)) netdev_tx_t null_xmit_slow(struct sk_buff *skb,
							    struct net_device *dev,
							    struct null_txq *nq,
							    u16 q) UNETDEV_NO_TSA
{
	struct null_priv *p = null_priv(dev);
	bool stall = __atomic_load_n(&p->cfg.stall, __ATOMIC_RELAXED), lock;
	netdev_tx_t rc;

	if (netif_is_lltx(dev)) {
		if (unlikely(take_switch(&p->cfg.tx_locked) || !spin_trylock(&nq->lock))) {
			__atomic_fetch_add(&nq->locked, 1, __ATOMIC_RELAXED);
			return NETDEV_TX_LOCKED;
		}
		lock = true;
	} else {
		lock = stall || __atomic_load_n(&nq->count, __ATOMIC_RELAXED);
		if (lock)
			spin_lock(&nq->lock);
	}
	rc = null_xmit_locked(skb, dev, netdev_get_tx_queue(dev, q), nq, stall);
	if (lock)
		spin_unlock(&nq->lock);
	return rc;
}

/*
 * ndo_start_xmit. Context: the queue's _xmit_lock held unless LLTX, BHs
 * disabled (R-SYNC-5). In LLTX mode the driver serialises itself with a
 * trylock and reports contention as NETDEV_TX_LOCKED (R-TX-11 [C13]).
 * Otherwise nq->lock is only needed while the ring is in use (stall mode):
 * the fast path (no switch set) is the core's _xmit_lock alone.
 */
static netdev_tx_t null_xmit(struct sk_buff *skb, struct net_device *dev)
{
	struct null_priv *p = null_priv(dev);
	u16 q = skb_get_queue_mapping(skb);
	struct null_txq *nq = &p->txq[q];
	bool more;

	if (unlikely(netif_is_lltx(dev) || __atomic_load_n(&p->cfg.tx_busy, __ATOMIC_RELAXED) ||
		     __atomic_load_n(&p->cfg.stall, __ATOMIC_RELAXED) ||
		     __atomic_load_n(&nq->count, __ATOMIC_RELAXED)))
		return null_xmit_slow(skb, dev, nq, q);
	more = netdev_xmit_more();
	cnt_add(&nq->packets, 1);
	cnt_add(&nq->bytes, skb->len);
	cnt_add(more ? &nq->more : &nq->doorbells, 1);
	consume_skb(skb);
	return NETDEV_TX_OK;
}

/*
 * ndo_tx_timeout: the watchdog found queue @txqueue stopped for too long
 * (R-WD-6). As a NIC driver resets its ring: a) free what the ring holds and
 * reset BQL, b) wake the queue (DRV_XOFF cleared, qdisc rescheduled).
 * Context: netif_tx_lock held, all queues frozen, BHs disabled (R-SYNC-6).
 */
static void null_tx_timeout(struct net_device *dev, unsigned int txqueue)
{
	struct null_txq *nq = &null_priv(dev)->txq[txqueue];
	struct netdev_queue *txq = netdev_get_tx_queue(dev, txqueue);

	spin_lock(&nq->lock);
	cnt_add(&nq->timeouts, 1);
	null_flush_ring(txq, nq);
	spin_unlock(&nq->lock);
	netif_tx_wake_queue(txq);
}

/* ---- RX: the NAPI poll makes frames up ---- */

static struct sk_buff *null_rx_frame(struct net_device *dev, struct null_rxq *rq, unsigned int len)
{
	struct sk_buff *skb = netdev_alloc_skb(dev, len);
	struct ethhdr *eth;

	if (unlikely(!skb))
		return NULL;
	eth = skb_put(skb, len); /* payload untouched, as net_null */
	memcpy(eth->h_dest, null_rx_dst, ETH_ALEN);
	memcpy(eth->h_source, null_rx_src, ETH_ALEN);
	eth->h_proto = htons(NULL_ETH_P_TEST);
	skb->hash = rq->seq++ * 0x9e3779b9u; /* spreads over TX queues when forwarded */
	skb->protocol = eth_type_trans(skb, dev);
	return skb;
}

/* Take up to @budget pending frames. */
static unsigned int null_rx_take(struct null_rxq *rq, unsigned int budget)
{
	unsigned int v = __atomic_load_n(&rq->pending, __ATOMIC_ACQUIRE), n;

	do {
		n = v < budget ? v : budget;
	} while (n && !__atomic_compare_exchange_n(&rq->pending, &v, v - n, false, __ATOMIC_ACQ_REL,
						   __ATOMIC_ACQUIRE));
	return n;
}

/* napi->poll (R-NAPI-8). Context: softirq, SCHED owned (R-SYNC-8). */
static int null_poll(struct napi_struct *napi, int budget)
{
	struct null_rxq *rq = container_of(napi, struct null_rxq, napi);
	unsigned int len = __atomic_load_n(&rq->len, __ATOMIC_RELAXED);
	unsigned int n = null_rx_take(rq, (unsigned int)budget);
	unsigned int done = 0, bytes = 0;

	for (; done < n; done++) {
		struct sk_buff *skb = null_rx_frame(napi->dev, rq, len);

		if (unlikely(!skb)) {
			cnt_add(&rq->dropped, n - done);
			break;
		}
		bytes += len;
		napi_gro_receive(napi, skb);
	}
	cnt_add(&rq->polls, 1);
	cnt_add(&rq->packets, done);
	cnt_add(&rq->bytes, bytes);
	if (n < (unsigned int)budget)
		napi_complete_done(napi, (int)n); /* a new rx_burst sets MISSED: polled again */
	return (int)n;
}

int unetdev_null_rx_burst(struct net_device *dev, unsigned int n, unsigned int len)
{
	struct null_rxq *rq;

	if (!dev || dev->netdev_ops != &null_netdev_ops)
		return -EINVAL;
	if (!netif_running(dev))
		return -ENETDOWN;
	rq = &null_priv(dev)->rxq[0];
	len = len ? len : NULL_RX_LEN;
	if (len < ETH_HLEN || len > READ_ONCE(dev->mtu) + ETH_HLEN) /* dev_set_mtu races */
		return -EINVAL;
	__atomic_store_n(&rq->len, len, __ATOMIC_RELAXED);
	__atomic_fetch_add(&rq->pending, n, __ATOMIC_RELEASE);
	napi_schedule(&rq->napi); /* the "interrupt" */
	return 0;
}

/* ---- open/stop: NAPI lifetime (R-UP-13) ---- */

static int null_open(struct net_device *dev)
{
	struct null_priv *p = null_priv(dev);

	for (unsigned int i = 0; i < p->nrx; i++) {
		struct null_rxq *rq = &p->rxq[i];

		netif_napi_add_weight(dev, &rq->napi, null_poll,
				      p->cfg.rx_weight ? (int)p->cfg.rx_weight : NAPI_POLL_WEIGHT);
		rq->napi_added = true;
		napi_enable(&rq->napi);
	}
	netif_tx_start_all_queues(dev);
	return 0;
}

/* Context: rtnl, netif_running() false: no new poll or transmit starts. */
static int null_stop(struct net_device *dev)
{
	struct null_priv *p = null_priv(dev);

	for (unsigned int i = 0; i < p->nrx; i++) {
		struct null_rxq *rq = &p->rxq[i];

		if (!rq->napi_added)
			continue;
		napi_disable(&rq->napi);
		netif_napi_del(&rq->napi);
		rq->napi_added = false;
		__atomic_store_n(&rq->pending, 0, __ATOMIC_RELAXED);
	}
	for (unsigned int i = 0; i < p->ntx; i++) {
		spin_lock(&p->txq[i].lock);
		null_flush_ring(netdev_get_tx_queue(dev, i), &p->txq[i]);
		spin_unlock(&p->txq[i].lock);
	}
	return 0;
}

/* ---- stats and control ---- */

static void null_fold(const struct null_priv *p, struct unetdev_null_stats *st)
{
	memset(st, 0, sizeof(*st));
	for (unsigned int i = 0; i < p->ntx; i++) {
		const struct null_txq *nq = &p->txq[i];

		st->tx_packets += cnt_read(&nq->packets);
		st->tx_bytes += cnt_read(&nq->bytes);
		st->tx_busy += cnt_read(&nq->busy);
		st->tx_locked += cnt_read(&nq->locked);
		st->tx_more += cnt_read(&nq->more);
		st->doorbells += cnt_read(&nq->doorbells);
		st->tx_timeouts += cnt_read(&nq->timeouts);
		st->tx_held += __atomic_load_n(&nq->count, __ATOMIC_RELAXED);
	}
	for (unsigned int i = 0; i < p->nrx; i++) {
		const struct null_rxq *rq = &p->rxq[i];

		st->rx_packets += cnt_read(&rq->packets);
		st->rx_bytes += cnt_read(&rq->bytes);
		st->rx_polls += cnt_read(&rq->polls);
		st->rx_dropped += cnt_read(&rq->dropped);
	}
}

/* dev_get_stats source (R-STAT-3). Context: any. */
static void null_get_stats64(struct net_device *dev, struct rtnl_link_stats64 *s)
{
	struct unetdev_null_stats st;

	null_fold(null_priv(dev), &st);
	s->tx_packets = st.tx_packets;
	s->tx_bytes = st.tx_bytes;
	s->rx_packets = st.rx_packets;
	s->rx_bytes = st.rx_bytes;
	s->rx_dropped = st.rx_dropped;
}

int unetdev_null_stats(struct net_device *dev, struct unetdev_null_stats *st)
{
	if (!dev || !st || dev->netdev_ops != &null_netdev_ops)
		return -EINVAL;
	null_fold(null_priv(dev), st);
	return 0;
}

int unetdev_null_configure(struct net_device *dev, const struct unetdev_null_config *cfg)
{
	struct unetdev_null_config c;
	struct null_priv *p;

	if (!dev || !cfg || dev->netdev_ops != &null_netdev_ops)
		return -EINVAL;
	null_copy_config(&c, cfg); /* honours cfg->sz */
	p = null_priv(dev);
	__atomic_store_n(&p->cfg.tx_busy, c.tx_busy, __ATOMIC_RELAXED);
	__atomic_store_n(&p->cfg.tx_locked, c.tx_locked, __ATOMIC_RELAXED);
	__atomic_store_n(&p->cfg.stall, c.stall, __ATOMIC_RELAXED);
	return 0;
}

/* Nothing to program: the device accepts every address. */
static void null_set_rx_mode(struct net_device *dev)
{
}

/* As dummy: carrier follows what userspace asks (R-LINK-12). */
static int null_change_carrier(struct net_device *dev, bool new_carrier)
{
	if (new_carrier)
		netif_carrier_on(dev);
	else
		netif_carrier_off(dev);
	return 0;
}

static const struct net_device_ops null_netdev_ops = {
    .ndo_open = null_open,
    .ndo_stop = null_stop,
    .ndo_start_xmit = null_xmit,
    .ndo_tx_timeout = null_tx_timeout,
    .ndo_validate_addr = eth_validate_addr,
    .ndo_set_rx_mode = null_set_rx_mode,
    .ndo_set_mac_address = eth_mac_addr,
    .ndo_get_stats64 = null_get_stats64,
    .ndo_change_carrier = null_change_carrier,
};

static void null_setup(struct net_device *dev)
{
	ether_setup(dev);
	dev->netdev_ops = &null_netdev_ops;
	dev->needs_free_netdev = true;
	dev->flags |= IFF_NOARP;
	dev->flags &= ~IFF_MULTICAST;
	dev->priv_flags |= IFF_LIVE_ADDR_CHANGE | IFF_NO_QUEUE;
	dev->features |= NETIF_F_SG | NETIF_F_FRAGLIST | NETIF_F_GSO_SOFTWARE | NETIF_F_HW_CSUM |
			 NETIF_F_HIGHDMA;
	dev->hw_features |= dev->features;
	dev->hw_enc_features |= dev->features;
	eth_hw_addr_random(dev);
	/* No MTU limits, as dummy. */
	dev->min_mtu = 0;
	dev->max_mtu = 0;
}

/* A zeroed copy of the caller's options, tolerant of older/newer sizes. */
static void null_copy_config(struct unetdev_null_config *dst, const struct unetdev_null_config *src)
{
	memset(dst, 0, sizeof(*dst));
	if (src)
		memcpy(dst, src, src->sz && src->sz < sizeof(*dst) ? src->sz : sizeof(*dst));
	dst->sz = sizeof(*dst);
}

/* The queue arrays live in the private area, after struct null_priv. */
static size_t null_priv_size(unsigned int ntx, unsigned int nrx)
{
	return sizeof(struct null_priv) + ntx * sizeof(struct null_txq) +
	       nrx * sizeof(struct null_rxq) + 64;
}

static void null_init_priv(struct net_device *dev, const struct unetdev_null_config *c,
			   unsigned int ntx, unsigned int nrx)
{
	struct null_priv *p = null_priv(dev);
	uintptr_t q = ((uintptr_t)(p + 1) + 63) & ~(uintptr_t)63;

	p->cfg = *c;
	p->ntx = ntx;
	p->nrx = nrx;
	p->txq = (struct null_txq *)q;
	p->rxq = (struct null_rxq *)(p->txq + ntx);
	for (unsigned int i = 0; i < ntx; i++)
		spin_lock_init(&p->txq[i].lock);
	dev->lltx = c->lltx;
	if (c->use_qdisc)
		dev->priv_flags &= ~IFF_NO_QUEUE;
	if (c->watchdog_timeo)
		dev->watchdog_timeo = c->watchdog_timeo;
}

int unetdev_null_create(struct net *net, const char *name, const struct unetdev_null_config *cfg,
			struct net_device **out)
{
	struct unetdev_null_config c;
	unsigned int ntx, nrx;
	struct net_device *dev;
	int err;

	null_copy_config(&c, cfg);
	if (name && strnlen(name, IFNAMSIZ) >= IFNAMSIZ)
		return -EINVAL;
	ntx = c.txqs ? c.txqs : 1;
	nrx = c.rxqs ? c.rxqs : 1;
	dev = alloc_netdev_mqs((int)null_priv_size(ntx, nrx), name ? name : "null%d", NET_NAME_USER,
			       null_setup, ntx, nrx);
	if (!dev)
		return -ENOMEM;
	null_init_priv(dev, &c, ntx, nrx);
	if (net)
		dev->nd_net = net; /* dev_net_set */
	err = register_netdev(dev);
	if (err) {
		free_netdev(dev); /* R-UNREG-15: needs_free_netdev only after success */
		return err;
	}
	if (out)
		*out = dev;
	return 0;
}
