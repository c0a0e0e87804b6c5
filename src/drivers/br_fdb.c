// SPDX-License-Identifier: MIT
/*
 * br_fdb.c - the bridge forwarding database (kernel net/bridge/br_fdb.c:
 * fdb_find, fdb_create, fdb_insert, fdb_delete_local, br_fdb_update,
 * br_fdb_cleanup, br_fdb_delete_by_port, br_fdb_changeaddr, br_fdb_dump,
 * fdb_fill_info). A hash of entries keyed by address and vid under
 * br->hash_lock; see bridge.c for the locking of the whole bridge and
 * docs/bridge.md.
 */
#include <string.h>

#include <unetdev/etherdevice.h>
#include <unetdev/timer.h>

#include "br_private.h"

static unsigned int br_mac_hash(const unsigned char *mac, u16 vid)
{
	u32 key;

	memcpy(&key, mac + 2, sizeof(key)); /* one byte of OUI and three of NIC */
	key ^= vid;
	key *= 0x9e3779b1u;
	return key >> (32 - BR_HASH_BITS);
}

static bool has_expired(const struct net_bridge *br, const struct net_bridge_fdb_entry *f)
{
	return !f->is_static && time_before_eq(f->updated + br_hold_time(br), jiffies);
}

struct net_bridge_fdb_entry *br_fdb_find(struct net_bridge *br, const unsigned char *addr, u16 vid)
    UNETDEV_MUST_HOLD(br->hash_lock)
{
	struct net_bridge_fdb_entry *f;

	list_for_each_entry (f, &br->hash[br_mac_hash(addr, vid)], hlist)
		if (ether_addr_equal(f->addr, addr) && f->vlan_id == vid)
			return f;
	return NULL;
}

static struct net_bridge_fdb_entry *fdb_create(struct net_bridge *br, struct net_bridge_port *p,
					       const unsigned char *addr, u16 vid)
    UNETDEV_MUST_HOLD(br->hash_lock)
{
	struct net_bridge_fdb_entry *f = unetdev__kzalloc(sizeof(*f), "br_fdb");

	if (!f)
		return NULL;
	memcpy(f->addr, addr, ETH_ALEN);
	f->dst = p;
	f->vlan_id = vid;
	f->updated = f->used = jiffies;
	list_add(&f->hlist, &br->hash[br_mac_hash(addr, vid)]);
	return f;
}

static void fdb_delete(struct net_bridge_fdb_entry *f)
{
	list_del(&f->hlist);
	unetdev__kfree(f);
}

/* fdb_delete_local: keep a local entry another port (or the bridge) still owns. */
void br_fdb_delete_local(struct net_bridge *br, const struct net_bridge_port *p,
			 struct net_bridge_fdb_entry *f) UNETDEV_MUST_HOLD(br->hash_lock)
{
	struct net_bridge_port *op;

	list_for_each_entry (op, &br->port_list, list) {
		if (p && op == p)
			continue;
		if (ether_addr_equal(op->dev->dev_addr, f->addr)) {
			f->dst = op;
			return;
		}
	}
	if (p && ether_addr_equal(br->dev->dev_addr, f->addr)) {
		f->dst = NULL;
		return;
	}
	fdb_delete(f);
}

/* fdb_insert: a local, static entry for an address of @p (NULL: the bridge). */
int br_fdb_insert(struct net_bridge *br, struct net_bridge_port *p, const unsigned char *addr)
    UNETDEV_MUST_HOLD(br->hash_lock)
{
	struct net_bridge_fdb_entry *f;

	if (!is_valid_ether_addr(addr))
		return -EINVAL;
	f = br_fdb_find(br, addr, 0);
	if (f) {
		if (f->is_local)
			return 0; /* several ports may share an address: the first one keeps it */
		netdev_warn(br->dev, "adding interface %s with same address as a received packet",
			    p ? p->dev->name : br->dev->name);
		fdb_delete(f);
	}
	f = fdb_create(br, p, addr, 0);
	if (!f)
		return -ENOMEM;
	f->is_local = f->is_static = true;
	return 0;
}

/* br_fdb_delete_by_port: @p's entries (NULL: the bridge's); static ones only with @do_all. */
void br_fdb_delete_by_port(struct net_bridge *br, const struct net_bridge_port *p, bool do_all)
    UNETDEV_EXCLUDES(br->hash_lock)
{
	struct net_bridge_fdb_entry *f, *n;

	spin_lock_bh(&br->hash_lock);
	for (int i = 0; i < BR_HASH_SIZE; i++) {
		list_for_each_entry_safe (f, n, &br->hash[i], hlist) {
			if (f->dst != p || (f->is_static && !do_all))
				continue;
			if (f->is_local)
				br_fdb_delete_local(br, p, f);
			else
				fdb_delete(f);
		}
	}
	spin_unlock_bh(&br->hash_lock);
}

/* br_fdb_update: learn @addr behind @p. Datapath (BHs off). */
void br_fdb_update(struct net_bridge *br, struct net_bridge_port *p, const unsigned char *addr,
		   u16 vid) UNETDEV_EXCLUDES(br->hash_lock)
{
	struct net_bridge_fdb_entry *f;

	if (br_hold_time(br) == 0) /* "some users want to always flood" */
		return;
	spin_lock(&br->hash_lock);
	f = br_fdb_find(br, addr, vid);
	if (f && f->is_local) {
		static unsigned long last; /* net_ratelimit(): in a loop it comes per frame */

		if (unetdev__ratelimit(&last))
			netdev_warn(br->dev,
				    "received packet on %s with own address as source address",
				    p->dev->name);
	} else if (f) {
		f->dst = p;
		f->updated = jiffies;
	} else if (fdb_create(br, p, addr, vid)) {
		BR_STAT_INC(br, learned);
	}
	spin_unlock(&br->hash_lock);
}

/* __br_fdb_get, copying out what the datapath needs under the lock. */
bool br_fdb_lookup(struct net_bridge *br, const unsigned char *addr, u16 vid, bool *is_local,
		   struct net_bridge_port **dst) UNETDEV_EXCLUDES(br->hash_lock)
{
	struct net_bridge_fdb_entry *f;
	bool found = false;

	spin_lock(&br->hash_lock);
	f = br_fdb_find(br, addr, vid);
	if (f && !has_expired(br, f)) {
		found = true;
		*is_local = f->is_local;
		*dst = f->dst;
		f->used = jiffies;
	}
	spin_unlock(&br->hash_lock);
	return found;
}

/* br_fdb_cleanup: the ageing timer. Softirq context. */
void br_fdb_cleanup(struct timer_list *t) UNETDEV_NO_TSA
{
	struct net_bridge *br = from_timer(br, t, gc_timer);
	unsigned long delay = br_hold_time(br), now = jiffies, next = now + delay;
	struct net_bridge_fdb_entry *f, *n;

	if (!delay)
		delay = next = now + (unsigned long)BR_DEFAULT_AGEING_TIME_SEC * HZ;
	spin_lock(&br->hash_lock);
	for (int i = 0; i < BR_HASH_SIZE; i++) {
		list_for_each_entry_safe (f, n, &br->hash[i], hlist) {
			unsigned long this_timer = f->updated + delay;

			if (f->is_static)
				continue;
			if (time_before_eq(this_timer, now)) {
				fdb_delete(f);
				BR_STAT_INC(br, aged);
			} else if (time_before(this_timer, next)) {
				next = this_timer;
			}
		}
	}
	spin_unlock(&br->hash_lock);
	mod_timer(&br->gc_timer, next);
}

static void fdb_fill_info(const struct net_bridge *br, const struct net_bridge_fdb_entry *f,
			  struct unetdev_br_fdb_info *fi)
{
	unsigned long now = jiffies;

	memset(fi, 0, sizeof(*fi));
	memcpy(fi->addr, f->addr, ETH_ALEN);
	fi->vid = f->vlan_id;
	fi->ifindex = f->dst ? f->dst->dev->ifindex : br->dev->ifindex;
	fi->is_local = f->is_local;
	fi->is_static = f->is_static;
	fi->expired = has_expired(br, f);
	fi->used = now - f->used;
	fi->updated = now - f->updated;
}

static bool dump_match(const struct net_bridge *br, const struct net_bridge_fdb_entry *f,
		       const struct net_device *filter_dev)
{
	if (filter_dev == br->dev)
		return true;
	if (!filter_dev)
		return !f->dst;
	return f->dst && f->dst->dev == filter_dev;
}

int unetdev_br_fdb_dump(struct net_device *dev, struct net_device *filter_dev, unsigned int *idx,
			unetdev_br_fdb_fn fn, void *arg)
{
	struct net_bridge *br = br_from_dev(dev);
	struct net_bridge_fdb_entry *f;
	struct unetdev_br_fdb_info fi;
	unsigned int i = 0;
	int ret = 0;

	if (!br)
		return -EINVAL;
	ASSERT_RTNL();
	spin_lock_bh(&br->hash_lock);
	for (int h = 0; h < BR_HASH_SIZE && !ret; h++) {
		list_for_each_entry (f, &br->hash[h], hlist) {
			if (!dump_match(br, f, filter_dev) || i++ < *idx)
				continue;
			fdb_fill_info(br, f, &fi);
			ret = fn(&fi, arg);
			if (ret)
				break;
			(*idx)++;
		}
	}
	spin_unlock_bh(&br->hash_lock);
	return ret;
}

int unetdev_br_fdb_lookup(struct net_device *dev, const unsigned char *addr, u16 vid,
			  struct unetdev_br_fdb_info *out)
{
	struct net_bridge *br = br_from_dev(dev);
	struct net_bridge_fdb_entry *f;
	int ret = -ENOENT;

	if (!br)
		return -EINVAL;
	spin_lock_bh(&br->hash_lock);
	f = br_fdb_find(br, addr, vid);
	if (f && !has_expired(br, f)) {
		fdb_fill_info(br, f, out);
		ret = 0;
	}
	spin_unlock_bh(&br->hash_lock);
	return ret;
}

/* br_fdb_changeaddr: @p's address changed; its local entries follow it. */
void br_fdb_changeaddr(struct net_bridge *br, struct net_bridge_port *p, const unsigned char *addr)
{
	struct net_bridge_fdb_entry *f, *n;

	spin_lock_bh(&br->hash_lock);
	for (int i = 0; i < BR_HASH_SIZE; i++)
		list_for_each_entry_safe (f, n, &br->hash[i], hlist)
			if (f->dst == p && f->is_local)
				br_fdb_delete_local(br, p, f);
	br_fdb_insert(br, p, addr);
	spin_unlock_bh(&br->hash_lock);
}
