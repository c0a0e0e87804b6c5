// SPDX-License-Identifier: MIT
/*
 * dev_addr_lists.c - hardware address lists and rx_mode (kernel
 * net/core/dev_addr_lists.c). Rules R-ADDR, R-ALLOC-7, R-SYNC-7.
 */
#include <string.h>

#include "internal.h"
#include "ndo.h"

static void hw_addr_list_init(struct netdev_hw_addr_list *list)
{
	INIT_LIST_HEAD(&list->list);
	list->count = 0;
}

static void hw_addr_list_flush(struct netdev_hw_addr_list *list)
{
	struct netdev_hw_addr *ha, *n;

	list_for_each_entry_safe(ha, n, &list->list, list) {
		list_del(&ha->list);
		unetdev__kfree(ha);
	}
	list->count = 0;
}

void unetdev__addr_lists_init(struct net_device *dev)
{
	hw_addr_list_init(&dev->dev_addrs);
	hw_addr_list_init(&dev->uc);
	hw_addr_list_init(&dev->mc);
}

/* R-ALLOC-7: one all-zero LAN entry; dev->dev_addr points into it. */
int unetdev__dev_addr_init(struct net_device *dev)
{
	struct netdev_hw_addr *ha = unetdev__kzalloc(sizeof(*ha), "hw_addr");

	if (!ha)
		return -ENOMEM;
	ha->type = NETDEV_HW_ADDR_T_LAN;
	ha->refcount = 1;
	ha->global_use = false;
	list_add_tail(&ha->list, &dev->dev_addrs.list);
	dev->dev_addrs.count = 1;
	dev->dev_addr = ha->addr;
	return 0;
}

void unetdev__dev_addr_flush(struct net_device *dev)
{
	hw_addr_list_flush(&dev->dev_addrs);
	dev->dev_addr = NULL;
}

void dev_addr_set(struct net_device *dev, const unsigned char *addr)
{
	memcpy((unsigned char *)dev->dev_addr, addr, dev->addr_len);
}

void dev_uc_flush(struct net_device *dev)
{
	netif_addr_lock_bh(dev);
	hw_addr_list_flush(&dev->uc);
	netif_addr_unlock_bh(dev);
}

void dev_mc_flush(struct net_device *dev)
{
	netif_addr_lock_bh(dev);
	hw_addr_list_flush(&dev->mc);
	netif_addr_unlock_bh(dev);
}

void netif_addr_lock(struct net_device *dev) UNETDEV_NO_TSA
{
	spin_lock(&dev->addr_list_lock);
}

void netif_addr_unlock(struct net_device *dev) UNETDEV_NO_TSA
{
	spin_unlock(&dev->addr_list_lock);
}

void netif_addr_lock_bh(struct net_device *dev) UNETDEV_NO_TSA
{
	spin_lock_bh(&dev->addr_list_lock);
}

void netif_addr_unlock_bh(struct net_device *dev) UNETDEV_NO_TSA
{
	spin_unlock_bh(&dev->addr_list_lock);
}
