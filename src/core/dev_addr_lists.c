// SPDX-License-Identifier: MIT
/*
 * dev_addr_lists.c - hardware address lists and rx_mode (kernel
 * net/core/dev_addr_lists.c, and __dev_set_rx_mode from net/core/dev.c).
 * Rules R-ADDR-1..6, R-ADDR-10, R-ADDR-11, R-ADDR-13, R-ALLOC-7, R-K-3,
 * R-SYNC-7.
 *
 * The uc and mc lists are protected by netif_addr_lock (a BH-disabling
 * spinlock); dev_addrs by rtnl. Entries are matched on type and the first
 * dev->addr_len bytes. Freed entries go straight back to the allocator: the
 * lists have no lockless readers here (the kernel frees them after an RCU
 * grace period for its RCU readers).
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

	list_for_each_entry_safe (ha, n, &list->list, list) {
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

/* ---- list primitives (__hw_addr_*) ---- */

static struct netdev_hw_addr *__hw_addr_lookup(struct netdev_hw_addr_list *list,
					       const unsigned char *addr, int addr_len,
					       unsigned char addr_type)
{
	struct netdev_hw_addr *ha;

	list_for_each_entry (ha, &list->list, list)
		if (ha->type == addr_type && !memcmp(ha->addr, addr, (size_t)addr_len))
			return ha;
	return NULL;
}

static struct netdev_hw_addr *__hw_addr_create(const unsigned char *addr, int addr_len,
					       unsigned char addr_type, bool global, bool sync)
{
	struct netdev_hw_addr *ha = unetdev__kzalloc(sizeof(*ha), "hw_addr");

	if (!ha)
		return NULL;
	memcpy(ha->addr, addr, (size_t)addr_len);
	ha->type = addr_type;
	ha->refcount = 1;
	ha->global_use = global;
	ha->synced = sync ? 1 : 0;
	ha->sync_cnt = 0;
	return ha;
}

/*
 * Add @addr or take another reference on it (R-ADDR-1). @global: a "global"
 * user that counts once however often it adds (R-ADDR-4); @sync: an entry
 * pushed by dev_*_sync(), refused when the sync is a repeat (@sync_count);
 * @exclusive: -EEXIST if present (R-ADDR-3).
 */
static int __hw_addr_add_ex(struct netdev_hw_addr_list *list, const unsigned char *addr,
			    int addr_len, unsigned char addr_type, bool global, bool sync,
			    int sync_count, bool exclusive)
{
	struct netdev_hw_addr *ha;

	if (addr_len > MAX_ADDR_LEN)
		return -EINVAL; /* R-K-3 */
	ha = __hw_addr_lookup(list, addr, addr_len, addr_type);
	if (ha) {
		if (exclusive)
			return -EEXIST;
		if (global) {
			if (ha->global_use)
				return 0; /* already used as global: no new reference */
			ha->global_use = true;
		}
		if (sync) {
			if (ha->synced && sync_count)
				return -EEXIST;
			ha->synced++;
		}
		ha->refcount++;
		return 0;
	}
	ha = __hw_addr_create(addr, addr_len, addr_type, global, sync);
	if (!ha)
		return -ENOMEM;
	list_add_tail(&ha->list, &list->list);
	list->count++;
	return 0;
}

static int __hw_addr_add(struct netdev_hw_addr_list *list, const unsigned char *addr, int addr_len,
			 unsigned char addr_type)
{
	return __hw_addr_add_ex(list, addr, addr_len, addr_type, false, false, 0, false);
}

/* Drop one reference (R-ADDR-2); the entry goes when the last one does. */
static int __hw_addr_del_entry(struct netdev_hw_addr_list *list, struct netdev_hw_addr *ha,
			       bool global, bool sync)
{
	if (global && !ha->global_use)
		return -ENOENT;
	if (sync && !ha->synced)
		return -ENOENT;
	if (global)
		ha->global_use = false;
	if (sync)
		ha->synced--;
	if (--ha->refcount)
		return 0;
	list_del(&ha->list);
	unetdev__kfree(ha);
	list->count--;
	return 0;
}

static int __hw_addr_del_ex(struct netdev_hw_addr_list *list, const unsigned char *addr,
			    int addr_len, unsigned char addr_type, bool global, bool sync)
{
	struct netdev_hw_addr *ha;

	if (addr_len > MAX_ADDR_LEN)
		return -EINVAL; /* R-K-3 */
	ha = __hw_addr_lookup(list, addr, addr_len, addr_type);
	if (!ha)
		return -ENOENT;
	return __hw_addr_del_entry(list, ha, global, sync);
}

static int __hw_addr_del(struct netdev_hw_addr_list *list, const unsigned char *addr, int addr_len,
			 unsigned char addr_type)
{
	return __hw_addr_del_ex(list, addr, addr_len, addr_type, false, false);
}

/* ---- sync between layered devices (R-ADDR-10) ---- */

static int __hw_addr_sync_one(struct netdev_hw_addr_list *to_list, struct netdev_hw_addr *ha,
			      int addr_len)
{
	int err = __hw_addr_add_ex(to_list, ha->addr, addr_len, ha->type, false, true, ha->sync_cnt,
				   false);

	if (err && err != -EEXIST)
		return err;
	if (!err) {
		/* The sync holds a reference on the source entry too. */
		ha->sync_cnt++;
		ha->refcount++;
	}
	return 0;
}

static void __hw_addr_unsync_one(struct netdev_hw_addr_list *to_list,
				 struct netdev_hw_addr_list *from_list, struct netdev_hw_addr *ha,
				 int addr_len)
{
	if (__hw_addr_del_ex(to_list, ha->addr, addr_len, ha->type, false, true))
		return;
	ha->sync_cnt--;
	/* The source entry is not marked synced: drop a plain reference. */
	__hw_addr_del_entry(from_list, ha, false, false);
}

/*
 * Push new entries of @from_list to @to_list; an entry whose only remaining
 * users are syncs (sync_cnt == refcount) was deleted from @from_list by its
 * owner, so it is removed from @to_list.
 */
static int __hw_addr_sync(struct netdev_hw_addr_list *to_list,
			  struct netdev_hw_addr_list *from_list, int addr_len)
{
	struct netdev_hw_addr *ha, *tmp;
	int err = 0;

	list_for_each_entry_safe (ha, tmp, &from_list->list, list) {
		if (ha->sync_cnt == ha->refcount) {
			__hw_addr_unsync_one(to_list, from_list, ha, addr_len);
		} else {
			err = __hw_addr_sync_one(to_list, ha, addr_len);
			if (err)
				break;
		}
	}
	return err;
}

static void __hw_addr_unsync(struct netdev_hw_addr_list *to_list,
			     struct netdev_hw_addr_list *from_list, int addr_len)
{
	struct netdev_hw_addr *ha, *tmp;

	list_for_each_entry_safe (ha, tmp, &from_list->list, list)
		if (ha->sync_cnt)
			__hw_addr_unsync_one(to_list, from_list, ha, addr_len);
}

/*
 * dev_uc_sync / dev_mc_sync: called from @from's ndo_set_rx_mode (so
 * @from's address lock is held); @to's lock nests inside it.
 */
int dev_uc_sync(struct net_device *to, struct net_device *from)
{
	int err;

	if (to->addr_len != from->addr_len)
		return -EINVAL;
	netif_addr_lock(to);
	err = __hw_addr_sync(&to->uc, &from->uc, to->addr_len);
	if (!err)
		__dev_set_rx_mode(to);
	netif_addr_unlock(to);
	return err;
}

int dev_mc_sync(struct net_device *to, struct net_device *from)
{
	int err;

	if (to->addr_len != from->addr_len)
		return -EINVAL;
	netif_addr_lock(to);
	err = __hw_addr_sync(&to->mc, &from->mc, to->addr_len);
	if (!err)
		__dev_set_rx_mode(to);
	netif_addr_unlock(to);
	return err;
}

/* The unsync side runs outside @from's rx_mode: it takes @from's lock first. */
void dev_uc_unsync(struct net_device *to, struct net_device *from)
{
	if (to->addr_len != from->addr_len)
		return;
	netif_addr_lock_bh(from);
	netif_addr_lock(to);
	__hw_addr_unsync(&to->uc, &from->uc, to->addr_len);
	__dev_set_rx_mode(to);
	netif_addr_unlock(to);
	netif_addr_unlock_bh(from);
}

void dev_mc_unsync(struct net_device *to, struct net_device *from)
{
	if (to->addr_len != from->addr_len)
		return;
	netif_addr_lock_bh(from);
	netif_addr_lock(to);
	__hw_addr_unsync(&to->mc, &from->mc, to->addr_len);
	__dev_set_rx_mode(to);
	netif_addr_unlock(to);
	netif_addr_unlock_bh(from);
}

/* ---- unicast and multicast lists (R-ADDR-1..4) ---- */

/* One locked list change followed by an rx_mode update when it succeeded. */
static int addr_list_change(struct net_device *dev, struct netdev_hw_addr_list *list,
			    const unsigned char *addr, unsigned char type, bool add, bool global,
			    bool exclusive)
{
	int len = dev->addr_len, err;

	netif_addr_lock_bh(dev);
	if (add)
		err = __hw_addr_add_ex(list, addr, len, type, global, false, 0, exclusive);
	else
		err = __hw_addr_del_ex(list, addr, len, type, global, false);
	if (!err)
		__dev_set_rx_mode(dev);
	netif_addr_unlock_bh(dev);
	return err;
}

int dev_uc_add(struct net_device *dev, const unsigned char *addr)
{
	return addr_list_change(dev, &dev->uc, addr, NETDEV_HW_ADDR_T_UNICAST, true, false, false);
}

int dev_uc_add_excl(struct net_device *dev, const unsigned char *addr)
{
	return addr_list_change(dev, &dev->uc, addr, NETDEV_HW_ADDR_T_UNICAST, true, true, true);
}

int dev_uc_del(struct net_device *dev, const unsigned char *addr)
{
	return addr_list_change(dev, &dev->uc, addr, NETDEV_HW_ADDR_T_UNICAST, false, false, false);
}

int dev_mc_add(struct net_device *dev, const unsigned char *addr)
{
	return addr_list_change(dev, &dev->mc, addr, NETDEV_HW_ADDR_T_MULTICAST, true, false,
				false);
}

int dev_mc_add_excl(struct net_device *dev, const unsigned char *addr)
{
	return addr_list_change(dev, &dev->mc, addr, NETDEV_HW_ADDR_T_MULTICAST, true, true, true);
}

int dev_mc_add_global(struct net_device *dev, const unsigned char *addr)
{
	return addr_list_change(dev, &dev->mc, addr, NETDEV_HW_ADDR_T_MULTICAST, true, true, false);
}

int dev_mc_del(struct net_device *dev, const unsigned char *addr)
{
	return addr_list_change(dev, &dev->mc, addr, NETDEV_HW_ADDR_T_MULTICAST, false, false,
				false);
}

int dev_mc_del_global(struct net_device *dev, const unsigned char *addr)
{
	return addr_list_change(dev, &dev->mc, addr, NETDEV_HW_ADDR_T_MULTICAST, false, true,
				false);
}

/* ---- device addresses (R-ADDR-11) ---- */

int dev_addr_add(struct net_device *dev, const unsigned char *addr, unsigned char addr_type)
{
	int err;

	ASSERT_RTNL();
	err = unetdev__dev_pre_changeaddr_notify(dev, addr, NULL);
	if (err)
		return err;
	err = __hw_addr_add(&dev->dev_addrs, addr, dev->addr_len, addr_type);
	if (!err)
		call_netdevice_notifiers(NETDEV_CHANGEADDR, dev);
	return err;
}

int dev_addr_del(struct net_device *dev, const unsigned char *addr, unsigned char addr_type)
{
	struct netdev_hw_addr *ha;
	int err;

	ASSERT_RTNL();
	/* dev->dev_addr points into the first entry: it cannot go while only
	 * the device itself uses it. */
	ha = list_first_entry(&dev->dev_addrs.list, struct netdev_hw_addr, list);
	if (dev->addr_len <= MAX_ADDR_LEN && !memcmp(ha->addr, addr, dev->addr_len) &&
	    ha->type == addr_type && ha->refcount == 1)
		return -ENOENT;
	err = __hw_addr_del(&dev->dev_addrs, addr, dev->addr_len, addr_type);
	if (!err)
		call_netdevice_notifiers(NETDEV_CHANGEADDR, dev);
	return err;
}

/* ---- rx_mode (R-ADDR-5, R-ADDR-6, R-SYNC-7) ---- */

/*
 * Without a unicast filter, secondary unicast addresses need promiscuity:
 * __dev_set_promiscuity(dev, inc, notify = false) as in net/core/dev.c (no
 * notification: we are under the address spinlock). The kernel relies on
 * "unicast address changes only happen under rtnl"; the callee asserts it at
 * run time, since dev_uc_add() itself is not annotated with rtnl.
 */
static void dev_uc_promisc_update(struct net_device *dev)
{
	if (dev->priv_flags & IFF_UNICAST_FLT)
		return;
	if (!netdev_uc_empty(dev) && !dev->uc_promisc) {
		unetdev__dev_set_promiscuity(dev, 1, false);
		dev->uc_promisc = true;
	} else if (netdev_uc_empty(dev) && dev->uc_promisc) {
		unetdev__dev_set_promiscuity(dev, -1, false);
		dev->uc_promisc = false;
	}
}

void __dev_set_rx_mode(struct net_device *dev)
{
	/* dev_open() replays the lists, so a down device can skip this (R-UP-7). */
	if (!(dev->flags & IFF_UP))
		return;
	if (!netif_device_present(dev))
		return;
	dev_uc_promisc_update(dev);
	unetdev__ndo_set_rx_mode(dev);
}

void dev_set_rx_mode(struct net_device *dev)
{
	netif_addr_lock_bh(dev);
	__dev_set_rx_mode(dev);
	netif_addr_unlock_bh(dev);
}
