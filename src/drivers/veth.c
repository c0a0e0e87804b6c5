// SPDX-License-Identifier: MIT
/*
 * veth.c - an in-process Ethernet pair (kernel drivers/net/veth.c, the
 * non-NAPI path): what one end transmits the other end receives through
 * dev_forward_skb(). Shows R-MTU-13 (forwardability on the peer), R-TX-10
 * (LLTX), R-LINK-7/8 (carrier on only while both ends are up; iflink =
 * peer), R-SYNC-9 (ndo_uninit) and R-UNREG-1 (batched unregister).
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

struct veth_priv {
	struct net_device *peer; /* writes: rtnl + veth_peer_lock */
	u64 dropped;		 /* atomic: could not be handed to the peer */
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

static void veth_stats_add(struct net_device *dev, bool tx, unsigned int len)
{
	struct pcpu_sw_netstats *st;

	if (!dev->tstats)
		return;
	st = &dev->tstats[smp_processor_id()];
	__atomic_fetch_add(tx ? &st->tx_packets : &st->rx_packets, 1, __ATOMIC_RELAXED);
	__atomic_fetch_add(tx ? &st->tx_bytes : &st->rx_bytes, len, __ATOMIC_RELAXED);
}

/* Consumes @skb: forwarded to the peer or dropped (counted as tx_dropped). */
static netdev_tx_t veth_xmit(struct sk_buff *skb, struct net_device *dev)
{
	struct net_device *rcv = veth_peer_get(dev);
	unsigned int len = skb->len;

	if (unlikely(!rcv) || skb->len < ETH_HLEN) {
		kfree_skb(skb);
		goto drop;
	}
	if (likely(dev_forward_skb(rcv, skb) == NET_RX_SUCCESS)) {
		veth_stats_add(dev, true, len);
		veth_stats_add(rcv, false, len);
	} else {
	drop:
		__atomic_fetch_add(&veth_priv(dev)->dropped, 1, __ATOMIC_RELAXED);
	}
	dev_put(rcv);
	return NETDEV_TX_OK;
}

static void veth_get_stats64(struct net_device *dev, struct rtnl_link_stats64 *s)
{
	if (dev->tstats) {
		for (int cpu = 0; cpu < UNETDEV_MAX_CPUS; cpu++) {
			const struct pcpu_sw_netstats *st = &dev->tstats[cpu];

			s->tx_packets += __atomic_load_n(&st->tx_packets, __ATOMIC_RELAXED);
			s->tx_bytes += __atomic_load_n(&st->tx_bytes, __ATOMIC_RELAXED);
			s->rx_packets += __atomic_load_n(&st->rx_packets, __ATOMIC_RELAXED);
			s->rx_bytes += __atomic_load_n(&st->rx_bytes, __ATOMIC_RELAXED);
		}
	}
	s->tx_dropped = __atomic_load_n(&veth_priv(dev)->dropped, __ATOMIC_RELAXED);
}

/* Carrier is on only while both ends are up. */
static int veth_open(struct net_device *dev)
{
	struct net_device *peer = veth_priv(dev)->peer;

	if (!peer)
		return -ENOTCONN;
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
	struct net_device *dev;

	dev = alloc_netdev_mqs(sizeof(struct veth_priv), name, NET_NAME_USER, veth_setup, 1, 1);
	if (!dev)
		return NULL;
	eth_hw_addr_random(dev);
	if (net)
		dev->nd_net = net; /* dev_net_set */
	return dev;
}

/* veth_newlink: register the peer, then this end; carrier off on both. */
static int veth_register_pair(struct net_device *a, struct net_device *b)
    UNETDEV_MUST_HOLD(rtnl_mutex)
{
	int err;

	err = register_netdevice(b);
	if (err)
		return err;
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
	err = veth_register_pair(dev, peer);
	peer_registered = peer->reg_state != NETREG_UNINITIALIZED;
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
