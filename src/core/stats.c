// SPDX-License-Identifier: MIT
/*
 * stats.c - device statistics (kernel net/core/dev.c: dev_get_stats,
 * netdev_stats_to_stats64, dev_core_stats_*). Rules R-STAT.
 */
#include "internal.h"
#include "ndo.h"

/* R-STAT-9: per-CPU counters the device asked for, allocated at registration. */
int unetdev__dev_alloc_pcpu_stats(struct net_device *dev)
{
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
