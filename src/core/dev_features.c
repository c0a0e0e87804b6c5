// SPDX-License-Identifier: MIT
/*
 * dev_features.c - recomputing a device's features (kernel net/core/dev.c:
 * __netdev_update_features, netdev_update_features, netdev_features_change,
 * netdev_increment_features). Rules R-REG-11; a master such as the bridge
 * derives its features from its ports with netdev_increment_features().
 */
#include "internal.h"
#include "ndo.h"

/* __netdev_update_features: true when the features changed. */
bool unetdev__netdev_update_features(struct net_device *dev)
{
	netdev_features_t features = (dev->features & ~dev->hw_features) | dev->wanted_features;

	features = unetdev__ndo_fix_features(dev, features);
	if (features == dev->features)
		return false;
	if (unetdev__ndo_set_features(dev, features))
		return false;
	dev->features = features;
	return true;
}

void netdev_features_change(struct net_device *dev)
{
	call_netdevice_notifiers(NETDEV_FEAT_CHANGE, dev);
}

void netdev_update_features(struct net_device *dev)
{
	if (unetdev__netdev_update_features(dev))
		netdev_features_change(dev);
}

netdev_features_t netdev_increment_features(netdev_features_t all, netdev_features_t one,
					    netdev_features_t mask)
{
	if (mask & NETIF_F_HW_CSUM)
		mask |= NETIF_F_CSUM_MASK;
	mask |= NETIF_F_VLAN_CHALLENGED;

	all |= one & (NETIF_F_ONE_FOR_ALL | NETIF_F_CSUM_MASK) & mask;
	/* the kernel's "all &= one | ~NETIF_F_ALL_FOR_ALL": neither of those
	 * features (NOCACHE_COPY, FSO) exists here */

	/* If one device supports hw checksumming, set for all. */
	if (all & NETIF_F_HW_CSUM)
		all &= ~(NETIF_F_CSUM_MASK & ~NETIF_F_HW_CSUM);
	return all;
}
