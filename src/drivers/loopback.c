// SPDX-License-Identifier: MIT
/*
 * loopback.c - the loopback device (kernel drivers/net/loopback.c):
 * everything transmitted comes back through the receive path. Shows
 * R-TX-10 (LLTX: the driver takes no lock and needs none), R-BL-1 (a
 * driver handing packets to netif_rx), R-STAT-9 (lstats: one counter pair
 * reported as both rx and tx).
 */
#include <string.h>

#include <unetdev/drivers.h>
#include <unetdev/etherdevice.h>

#define LOOPBACK_MTU (64 * 1024)

/*
 * Consumes @skb: it becomes a received packet of the same device. The
 * per-CPU counters are counted only for packets the receive side accepted.
 */
static netdev_tx_t loopback_xmit(struct sk_buff *skb, struct net_device *dev)
{
	struct pcpu_sw_netstats *st = &dev->tstats[smp_processor_id()];
	unsigned int len;

	skb->sk = NULL; /* skb_orphan */
	skb->protocol = eth_type_trans(skb, dev);
	len = skb->len;
	if (likely(netif_rx(skb) == NET_RX_SUCCESS)) {
		__atomic_fetch_add(&st->tx_packets, 1, __ATOMIC_RELAXED);
		__atomic_fetch_add(&st->tx_bytes, len, __ATOMIC_RELAXED);
	}
	return NETDEV_TX_OK;
}

/* What went out came in: the same numbers for both directions. */
static void loopback_get_stats64(struct net_device *dev, struct rtnl_link_stats64 *s)
{
	u64 packets = 0, bytes = 0;

	if (!dev->tstats)
		return;
	for (int cpu = 0; cpu < UNETDEV_MAX_CPUS; cpu++) {
		packets += __atomic_load_n(&dev->tstats[cpu].tx_packets, __ATOMIC_RELAXED);
		bytes += __atomic_load_n(&dev->tstats[cpu].tx_bytes, __ATOMIC_RELAXED);
	}
	s->rx_packets = packets;
	s->tx_packets = packets;
	s->rx_bytes = bytes;
	s->tx_bytes = bytes;
}

static const struct net_device_ops loopback_ops = {
    .ndo_start_xmit = loopback_xmit,
    .ndo_get_stats64 = loopback_get_stats64,
    .ndo_set_mac_address = eth_mac_addr,
};

/* gen_lo_setup(dev, 64K, ...) */
static void loopback_setup(struct net_device *dev)
{
	dev->mtu = LOOPBACK_MTU;
	dev->hard_header_len = ETH_HLEN;
	dev->min_header_len = ETH_HLEN;
	dev->addr_len = ETH_ALEN;
	dev->type = ARPHRD_LOOPBACK;
	dev->flags = IFF_LOOPBACK;
	dev->priv_flags |= IFF_LIVE_ADDR_CHANGE | IFF_NO_QUEUE;
	dev->hw_features = NETIF_F_GSO_SOFTWARE;
	dev->features = NETIF_F_SG | NETIF_F_FRAGLIST | NETIF_F_GSO_SOFTWARE | NETIF_F_HW_CSUM |
			NETIF_F_RXCSUM | NETIF_F_HIGHDMA | NETIF_F_VLAN_CHALLENGED |
			NETIF_F_LOOPBACK;
	dev->netdev_ops = &loopback_ops;
	dev->needs_free_netdev = true;
	dev->pcpu_stat_type = NETDEV_PCPU_STAT_LSTATS;
	dev->lltx = true;
	netif_set_tso_max_size(dev, GSO_MAX_SIZE);
}

int unetdev_loopback_create(struct net *net, struct net_device **out)
{
	struct net_device *dev;
	int err;

	dev = alloc_netdev_mqs(0, "lo", NET_NAME_PREDICTABLE, loopback_setup, 1, 1);
	if (!dev)
		return -ENOMEM;
	if (net)
		dev->nd_net = net; /* dev_net_set */
	err = register_netdev(dev);
	if (err) {
		free_netdev(dev);
		return err;
	}
	if (out)
		*out = dev;
	return 0;
}
