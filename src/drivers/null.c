// SPDX-License-Identifier: MIT
/*
 * null.c - a device that counts and discards what it transmits, modelled on
 * the kernel's drivers/net/dummy.c (and DPDK's net_null as a benchmark
 * peer). Shows the driver side of R-TX-1/R-TX-11 (consume and return
 * NETDEV_TX_OK), R-TX-10 (optional LLTX), R-STAT-3/9 (per-CPU software
 * stats folded by ndo_get_stats64), R-DOC-9 (needs_free_netdev).
 */
#include <string.h>

#include <unetdev/drivers.h>
#include <unetdev/etherdevice.h>

struct null_priv {
	struct unetdev_null_config cfg;
};

/* Consumes @skb. Per-CPU counters: threads sharing a CPU slot add atomically. */
static netdev_tx_t null_xmit(struct sk_buff *skb, struct net_device *dev)
{
	struct pcpu_sw_netstats *st = &dev->tstats[smp_processor_id()];

	__atomic_fetch_add(&st->tx_packets, 1, __ATOMIC_RELAXED);
	__atomic_fetch_add(&st->tx_bytes, skb->len, __ATOMIC_RELAXED);
	consume_skb(skb);
	return NETDEV_TX_OK;
}

/* dev_fetch_sw_netstats: fold the per-CPU counters. */
static void null_get_stats64(struct net_device *dev, struct rtnl_link_stats64 *s)
{
	if (!dev->tstats)
		return;
	for (int cpu = 0; cpu < UNETDEV_MAX_CPUS; cpu++) {
		const struct pcpu_sw_netstats *st = &dev->tstats[cpu];

		s->tx_packets += __atomic_load_n(&st->tx_packets, __ATOMIC_RELAXED);
		s->tx_bytes += __atomic_load_n(&st->tx_bytes, __ATOMIC_RELAXED);
		s->rx_packets += __atomic_load_n(&st->rx_packets, __ATOMIC_RELAXED);
		s->rx_bytes += __atomic_load_n(&st->rx_bytes, __ATOMIC_RELAXED);
	}
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
    .ndo_start_xmit = null_xmit,
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
	dev->pcpu_stat_type = NETDEV_PCPU_STAT_TSTATS;
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

int unetdev_null_create(struct net *net, const char *name, const struct unetdev_null_config *cfg,
			struct net_device **out)
{
	struct unetdev_null_config c;
	struct net_device *dev;
	int err;

	null_copy_config(&c, cfg);
	if (name && strnlen(name, IFNAMSIZ) >= IFNAMSIZ)
		return -EINVAL;
	dev = alloc_netdev_mqs(sizeof(struct null_priv), name ? name : "null%d", NET_NAME_USER,
			       null_setup, c.txqs ? c.txqs : 1, c.rxqs ? c.rxqs : 1);
	if (!dev)
		return -ENOMEM;
	((struct null_priv *)netdev_priv(dev))->cfg = c;
	dev->lltx = c.lltx;
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
