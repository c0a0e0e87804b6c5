/* SPDX-License-Identifier: MIT */
/*
 * Device helpers shared by the storm variants that run unetdev in-process
 * (storm.c, storm_bridge.c, storm_backends.c): a device is named by its
 * ifindex, which a chaos thread may replace at any time, so every use looks
 * it up again. Needs harness.h and storm_util.h.
 *
 *   storm_ld(p)                      an ifindex slot, read with acquire
 *   storm_xmit_to(skb, idx, ...)     transmit on device @idx, or drop and count
 *   storm_unregister_ifindex(idx)    unregister device @idx if it is still there
 *   storm_sample(...)                the sampler: counters never go down (R-STAT-*)
 *   storm_drops_mark/since()         every skb freed since the start, by reason
 */
#ifndef UNETDEV_STORM_NETDEV_H
#define UNETDEV_STORM_NETDEV_H

#include <string.h>
#include <unetdev/unetdev.h>

static inline int storm_ld(const int *p)
{
	return __atomic_load_n(p, __ATOMIC_ACQUIRE);
}

/*
 * Hand @skb (its Ethernet header pushed) to device @ifindex, holding a
 * reference across the transmit; without such a device drop it as
 * DEV_READY. Counts *@forwarded or *@nodev. Consumes @skb. Context: softirq.
 */
static inline int storm_xmit_to(struct sk_buff *skb, int ifindex, u64 *forwarded, u64 *nodev)
{
	struct net_device *to = dev_get_by_index(&init_net, ifindex);

	if (!to) {
		storm_add(nodev, 1);
		kfree_skb_reason(skb, SKB_DROP_REASON_DEV_READY);
		return NET_RX_DROP;
	}
	skb->dev = to;
	storm_add(forwarded, 1);
	dev_queue_xmit(skb);
	dev_put(to);
	return NET_RX_SUCCESS;
}

/* Unregister @ifindex if it is still listed (a veth pair goes as one). Context: no rtnl. */
static inline void storm_unregister_ifindex(int ifindex)
{
	struct net_device *dev;

	rtnl_lock();
	dev = __dev_get_by_index(&init_net, ifindex);
	if (dev)
		unregister_netdevice(dev);
	rtnl_unlock();
}

/* ---- the sampler: every counter is monotonic while the device lives ---- */

/* The first counter seen going down, for the test's final FAIL. */
struct storm_mono {
	bool bad;
	char err[256];
};

/* One place's last sample (sampler thread only). */
struct storm_seen {
	int ifindex;
	struct rtnl_link_stats64 stats;
};

static inline void storm_mono(struct storm_mono *m, const char *dev, const char *what, u64 before,
			      u64 now)
{
	if (now < before && !__atomic_exchange_n(&m->bad, true, __ATOMIC_RELAXED))
		snprintf(m->err, sizeof(m->err), "%s: %s went from %llu to %llu", dev, what,
			 (unsigned long long)before, (unsigned long long)now);
}

/* Packets and drops, and with @bytes the byte counters too. */
static inline void storm_mono_stats(struct storm_mono *m, const char *name,
				    const struct rtnl_link_stats64 *was,
				    const struct rtnl_link_stats64 *now, bool bytes)
{
	storm_mono(m, name, "rx_packets", was->rx_packets, now->rx_packets);
	storm_mono(m, name, "tx_packets", was->tx_packets, now->tx_packets);
	if (bytes) {
		storm_mono(m, name, "rx_bytes", was->rx_bytes, now->rx_bytes);
		storm_mono(m, name, "tx_bytes", was->tx_bytes, now->tx_bytes);
	}
	storm_mono(m, name, "rx_dropped", was->rx_dropped, now->rx_dropped);
	storm_mono(m, name, "tx_dropped", was->tx_dropped, now->tx_dropped);
}

/*
 * Sample device @ifindex into @seen; when @seen holds the same device's last
 * sample, check that no counter went down. @extra (may be NULL) samples a
 * driver's own counters; @same says whether to compare. Looked up and read
 * under dev_base_lock: a listed device is registered, so its driver may be
 * called (a reference alone is not enough: once unregistration completes
 * the core refuses driver ops, R-ALLOC-24). Returns true when sampled.
 */
static inline bool
storm_sample(struct storm_mono *m, int ifindex, struct storm_seen *seen, bool bytes,
	     void (*extra)(struct storm_mono *m, struct net_device *dev, bool same))
{
	struct rtnl_link_stats64 now;
	struct net_device *dev;
	bool same = seen->ifindex == ifindex;

	read_lock(&dev_base_lock);
	dev = __dev_get_by_index(&init_net, ifindex);
	if (!dev) {
		read_unlock(&dev_base_lock);
		return false;
	}
	memset(&now, 0, sizeof(now));
	dev_get_stats(dev, &now);
	if (same)
		storm_mono_stats(m, dev->name, &seen->stats, &now, bytes);
	if (extra)
		extra(m, dev, same);
	seen->ifindex = ifindex;
	seen->stats = now;
	read_unlock(&dev_base_lock);
	return true;
}

/* ---- the accounting: skbs freed since a mark, by reason ---- */

struct storm_drops {
	unsigned long base[SKB_DROP_REASON_MAX];
};

static inline void storm_drops_mark(struct storm_drops *d)
{
	for (int r = 0; r < SKB_DROP_REASON_MAX; r++)
		d->base[r] = skb_drop_count((enum skb_drop_reason)r);
}

/* Drops since the mark (each reason printed as a TAP comment); *@consumed: consume_skb() calls. */
static inline unsigned long storm_drops_since(const struct storm_drops *d, unsigned long *consumed)
{
	unsigned long drops = 0;

	for (int r = SKB_DROP_REASON_NOT_SPECIFIED; r < SKB_DROP_REASON_MAX; r++) {
		unsigned long n = skb_drop_count((enum skb_drop_reason)r) - d->base[r];

		if (n)
			printf("# drops reason %d: %lu\n", r, n);
		drops += n;
	}
	*consumed = skb_drop_count(SKB_CONSUMED) - d->base[SKB_CONSUMED];
	return drops;
}

#endif
