/* SPDX-License-Identifier: MIT */
/*
 * br_private.h - what the bridge's files share (kernel net/bridge/br_private.h).
 * Never installed.
 */
#ifndef UNETDEV_BR_PRIVATE_H
#define UNETDEV_BR_PRIVATE_H

#include <string.h>

#include <unetdev/if_bridge.h>

#include "internal.h"

struct net_bridge;

struct net_bridge_port {
	struct net_bridge *br;
	struct net_device *dev;
	struct list_head list; /* br->port_list: rtnl + port_lock */
	u16 port_no;
	u8 state; /* BR_STATE_*, rtnl; read by the datapath */
};

struct net_bridge_fdb_entry {
	struct list_head hlist;
	struct net_bridge_port *dst; /* NULL: the bridge device's own address */
	unsigned char addr[ETH_ALEN];
	u16 vlan_id;
	bool is_local, is_static;
	unsigned long updated, used; /* jiffies */
};

struct net_bridge {
	struct net_device *dev;
	rwlock_t port_lock;
	struct list_head port_list;
	spinlock_t hash_lock;
	struct list_head hash[BR_HASH_SIZE];
	unsigned long ageing_time; /* jiffies; atomic */
	struct timer_list gc_timer;
	struct unetdev_br_stats st;
	u64 addr; /* dev_addr for the receive path, read without rtnl (br_addr_publish) */
};

static inline u64 br_addr_word(const unsigned char *a)
{
	u64 w = 0;

	memcpy(&w, a, ETH_ALEN);
	return w;
}

/* The bridge's address changed (under rtnl): publish it to br_handle_frame. */
static inline void br_addr_publish(struct net_bridge *br)
{
	__atomic_store_n(&br->addr, br_addr_word(br->dev->dev_addr), __ATOMIC_RELAXED);
}

static inline bool br_addr_is_mine(const struct net_bridge *br, const unsigned char *dest)
{
	return br_addr_word(dest) == __atomic_load_n(&br->addr, __ATOMIC_RELAXED);
}

#define BR_STAT_INC(br, f) __atomic_fetch_add(&(br)->st.f, 1, __ATOMIC_RELAXED)

/* hold_time: without STP, always the ageing time. */
static inline unsigned long br_hold_time(const struct net_bridge *br)
{
	return __atomic_load_n(&br->ageing_time, __ATOMIC_RELAXED);
}

/* The bridge behind a bridge device (IFF_EBRIDGE is set only by bridge.c), or NULL. */
static inline struct net_bridge *br_from_dev(const struct net_device *dev)
{
	return dev && netif_is_bridge_master(dev) ? netdev_priv(dev) : NULL;
}

/* ---- br_fdb.c ---- */
#define br_fdb_find	      unetdev__br_fdb_find
#define br_fdb_insert	      unetdev__br_fdb_insert
#define br_fdb_delete_local   unetdev__br_fdb_delete_local
#define br_fdb_delete_by_port unetdev__br_fdb_delete_by_port
#define br_fdb_update	      unetdev__br_fdb_update
#define br_fdb_lookup	      unetdev__br_fdb_lookup
#define br_fdb_cleanup	      unetdev__br_fdb_cleanup
#define br_fdb_changeaddr     unetdev__br_fdb_changeaddr

UNETDEV_INTERNAL struct net_bridge_fdb_entry *br_fdb_find(struct net_bridge *br,
							  const unsigned char *addr, u16 vid)
    UNETDEV_MUST_HOLD(br->hash_lock);
/* A local, static entry for an address of @p (NULL: the bridge itself). */
UNETDEV_INTERNAL int br_fdb_insert(struct net_bridge *br, struct net_bridge_port *p,
				   const unsigned char *addr) UNETDEV_MUST_HOLD(br->hash_lock);
/* Delete local entry @f unless another port (or the bridge) has the address. */
UNETDEV_INTERNAL void br_fdb_delete_local(struct net_bridge *br, const struct net_bridge_port *p,
					  struct net_bridge_fdb_entry *f)
    UNETDEV_MUST_HOLD(br->hash_lock);
/* @p's entries (NULL: the bridge's); static ones only with @do_all. */
UNETDEV_INTERNAL void br_fdb_delete_by_port(struct net_bridge *br, const struct net_bridge_port *p,
					    bool do_all) UNETDEV_EXCLUDES(br->hash_lock);
/* Learn @addr behind @p. Datapath, BHs off. */
UNETDEV_INTERNAL void br_fdb_update(struct net_bridge *br, struct net_bridge_port *p,
				    const unsigned char *addr, u16 vid)
    UNETDEV_EXCLUDES(br->hash_lock);
/* A live entry for @addr: its locality and port (NULL: the bridge). Datapath. */
UNETDEV_INTERNAL bool br_fdb_lookup(struct net_bridge *br, const unsigned char *addr, u16 vid,
				    bool *is_local, struct net_bridge_port **dst)
    UNETDEV_EXCLUDES(br->hash_lock);
/* The ageing timer's function (softirq). */
UNETDEV_INTERNAL void br_fdb_cleanup(struct timer_list *t);
UNETDEV_INTERNAL void br_fdb_changeaddr(struct net_bridge *br, struct net_bridge_port *p,
					const unsigned char *addr) UNETDEV_EXCLUDES(br->hash_lock);

#endif
