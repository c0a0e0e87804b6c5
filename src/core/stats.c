// SPDX-License-Identifier: MIT
/*
 * stats.c - device statistics (kernel net/core/dev.c: dev_get_stats,
 * netdev_stats_to_stats64, dev_fetch_sw_netstats, dev_core_stats_*).
 * Rules R-STAT-3, R-STAT-4, R-STAT-6, R-STAT-9, R-SYNC-4, R-MTU-2.
 *
 * The driver's numbers come from exactly one source (R-STAT-3); the core's
 * own per-CPU drop counters are then added on top (R-STAT-4). Per-CPU slots
 * are shared by application threads that map to the same CPU id, so every
 * update is a relaxed atomic add and every read a relaxed atomic load.
 */
#include <string.h>

#include "internal.h"
#include "ndo.h"

/* R-STAT-9: per-CPU counters the device asked for, allocated at registration. */
int unetdev__dev_alloc_pcpu_stats(struct net_device *dev)
{
	/* Drivers with ndo_get_peer_dev must account in tstats, so that a
	 * redirect into the peer can bump its RX counters (kernel
	 * netdev_do_alloc_pcpu_stats). */
	if (ndo_has(dev, ndo_get_peer_dev) && dev->pcpu_stat_type != NETDEV_PCPU_STAT_TSTATS)
		return -EOPNOTSUPP;
	switch (dev->pcpu_stat_type) {
	case NETDEV_PCPU_STAT_NONE:
		return 0;
	case NETDEV_PCPU_STAT_LSTATS:
	case NETDEV_PCPU_STAT_TSTATS:
		if (dev->tstats)
			return 0;
		dev->tstats = unetdev__kcalloc(UNETDEV_MAX_CPUS, sizeof(*dev->tstats), "percpu");
		return dev->tstats ? 0 : -ENOMEM;
	case NETDEV_PCPU_STAT_DSTATS:
		if (dev->dstats)
			return 0;
		dev->dstats = unetdev__kcalloc(UNETDEV_MAX_CPUS, sizeof(*dev->dstats), "percpu");
		return dev->dstats ? 0 : -ENOMEM;
	}
	return -EINVAL;
}

void unetdev__dev_free_pcpu_stats(struct net_device *dev)
{
	if (dev->pcpu_stat_type == NETDEV_PCPU_STAT_DSTATS)
		unetdev__kfree(dev->dstats);
	else if (dev->pcpu_stat_type != NETDEV_PCPU_STAT_NONE)
		unetdev__kfree(dev->tstats);
	dev->tstats = NULL;
}

#define STATS_LOAD(x) __atomic_load_n(&(x), __ATOMIC_RELAXED)

/* R-STAT-3: the legacy struct is a prefix of the 64-bit one, field for field. */
void netdev_stats_to_stats64(struct rtnl_link_stats64 *stats64,
			     const struct net_device_stats *netdev_stats)
{
	const size_t n = sizeof(*netdev_stats) / sizeof(unsigned long);
	const unsigned long *src = (const unsigned long *)netdev_stats;
	u64 *dst = (u64 *)stats64;

	_Static_assert(sizeof(struct net_device_stats) / sizeof(unsigned long) == 23,
		       "R-STAT-2: 23 legacy counters");
	_Static_assert(sizeof(struct rtnl_link_stats64) / sizeof(u64) == 25,
		       "R-STAT-1: 25 64-bit counters");
	for (size_t i = 0; i < n; i++)
		dst[i] = STATS_LOAD(src[i]);
	/* Zero the counters that only exist in rtnl_link_stats64. */
	memset(dst + n, 0, sizeof(*stats64) - n * sizeof(u64));
}

/* dev_get_tstats64: dev->stats plus the per-CPU packet and byte counts. */
static void dev_get_tstats64(struct net_device *dev, struct rtnl_link_stats64 *s)
{
	netdev_stats_to_stats64(s, &dev->stats);
	for (int cpu = 0; cpu < UNETDEV_MAX_CPUS; cpu++) {
		const struct pcpu_sw_netstats *t = &dev->tstats[cpu];

		s->rx_packets += STATS_LOAD(t->rx_packets);
		s->rx_bytes += STATS_LOAD(t->rx_bytes);
		s->tx_packets += STATS_LOAD(t->tx_packets);
		s->tx_bytes += STATS_LOAD(t->tx_bytes);
	}
}

/* dev_get_dstats64: as tstats, plus per-CPU drops. */
static void dev_get_dstats64(struct net_device *dev, struct rtnl_link_stats64 *s)
{
	netdev_stats_to_stats64(s, &dev->stats);
	for (int cpu = 0; cpu < UNETDEV_MAX_CPUS; cpu++) {
		const struct pcpu_dstats *d = &dev->dstats[cpu];

		s->rx_packets += STATS_LOAD(d->rx_packets);
		s->rx_bytes += STATS_LOAD(d->rx_bytes);
		s->rx_dropped += STATS_LOAD(d->rx_drops);
		s->tx_packets += STATS_LOAD(d->tx_packets);
		s->tx_bytes += STATS_LOAD(d->tx_bytes);
		s->tx_dropped += STATS_LOAD(d->tx_drops);
	}
}

/*
 * R-STAT-6 / R-SYNC-4 (D13): ndo_get_stats runs under dev_base_lock held
 * for reading. A caller that already holds it for writing (a list walker
 * under the write lock) keeps it; taking it again would deadlock.
 */
static void dev_get_legacy_stats(struct net_device *dev, struct rtnl_link_stats64 *s) UNETDEV_NO_TSA
{
	bool take = !rwlock_write_held_by_me(&dev_base_lock);

	if (take)
		read_lock(&dev_base_lock);
	netdev_stats_to_stats64(s, unetdev__ndo_get_stats(dev));
	if (take)
		read_unlock(&dev_base_lock);
}

/* R-STAT-4 (and R-MTU-2): the core's own counters, summed over CPUs. */
static void dev_add_core_stats(const struct net_device *dev, struct rtnl_link_stats64 *s)
{
	for (int cpu = 0; cpu < UNETDEV_MAX_CPUS; cpu++) {
		const struct net_device_core_stats *c = &dev->core_stats[cpu];
		unsigned long len_err = STATS_LOAD(c->rx_length_errors);

		s->rx_dropped += STATS_LOAD(c->rx_dropped);
		s->tx_dropped += STATS_LOAD(c->tx_dropped);
		s->rx_nohandler += STATS_LOAD(c->rx_nohandler);
		s->rx_otherhost_dropped += STATS_LOAD(c->rx_otherhost_dropped);
		/* A frame refused for its length is also a receive error. */
		s->rx_length_errors += len_err;
		s->rx_errors += len_err;
	}
}

struct rtnl_link_stats64 *dev_get_stats(struct net_device *dev, struct rtnl_link_stats64 *storage)
{
	if (ndo_has(dev, ndo_get_stats64)) {
		memset(storage, 0, sizeof(*storage));
		unetdev__ndo_get_stats64(dev, storage);
	} else if (ndo_has(dev, ndo_get_stats)) {
		dev_get_legacy_stats(dev, storage);
	} else if (dev->pcpu_stat_type == NETDEV_PCPU_STAT_TSTATS && dev->tstats) {
		dev_get_tstats64(dev, storage);
	} else if (dev->pcpu_stat_type == NETDEV_PCPU_STAT_DSTATS && dev->dstats) {
		dev_get_dstats64(dev, storage);
	} else {
		netdev_stats_to_stats64(storage, &dev->stats);
	}
	dev_add_core_stats(dev, storage);
	return storage;
}

/* dev_core_stats_*_inc: this CPU's slot, a relaxed atomic add. */
#define CORE_STATS_INC(dev, field)                                                                 \
	__atomic_fetch_add(&(dev)->core_stats[smp_processor_id()].field, 1, __ATOMIC_RELAXED)

void dev_core_stats_rx_dropped_inc(struct net_device *dev)
{
	CORE_STATS_INC(dev, rx_dropped);
}

void dev_core_stats_tx_dropped_inc(struct net_device *dev)
{
	CORE_STATS_INC(dev, tx_dropped);
}

void dev_core_stats_rx_nohandler_inc(struct net_device *dev)
{
	CORE_STATS_INC(dev, rx_nohandler);
}

void dev_core_stats_rx_otherhost_dropped_inc(struct net_device *dev)
{
	CORE_STATS_INC(dev, rx_otherhost_dropped);
}
