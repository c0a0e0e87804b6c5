/* SPDX-License-Identifier: MIT */
/*
 * The learning bridge (kernel net/bridge, include/linux/if_bridge.h): a
 * net_device whose ports are other devices, attached with
 * netdev_rx_handler_register() and linked below it as its master
 * (netdev_master_upper_dev_link). Ports are added and removed through the
 * bridge's ndo_add_slave/ndo_del_slave, i.e. unetdev_dev_set_master() or
 * RTM_SETLINK IFLA_MASTER. See docs/bridge.md.
 */
#ifndef UNETDEV_IF_BRIDGE_H
#define UNETDEV_IF_BRIDGE_H

#include <unetdev/if_ether.h>
#include <unetdev/netdevice.h>

#define BR_HASH_BITS		   8
#define BR_HASH_SIZE		   (1 << BR_HASH_BITS)
#define BR_MAX_PORTS		   (1 << 10)
#define BR_DEFAULT_AGEING_TIME_SEC 300 /* BR_DEFAULT_AGEING_TIME is 300 * HZ */
#define USER_HZ			   100 /* clock_t units of IFLA_BR_AGEING_TIME */

/* Port states (uapi linux/if_bridge.h); without STP a port is DISABLED or FORWARDING. */
#define BR_STATE_DISABLED   0
#define BR_STATE_LISTENING  1
#define BR_STATE_LEARNING   2
#define BR_STATE_FORWARDING 3
#define BR_STATE_BLOCKING   4

static inline bool netif_is_bridge_master(const struct net_device *dev)
{
	return dev->priv_flags & IFF_EBRIDGE;
}

static inline bool netif_is_bridge_port(const struct net_device *dev)
{
	return dev->priv_flags & IFF_BRIDGE_PORT;
}

/** unetdev_bridge_create - allocate and register a bridge @name (template allowed, NULL:
 * "br%d"). *@out (may be NULL) gets the device, no reference taken. Context: rtnl not held. */
UNETDEV_API int unetdev_bridge_create(struct net *net, const char *name, struct net_device **out)
    UNETDEV_EXCLUDES(rtnl_mutex);

/** unetdev_br_set_ageing_time - br_set_ageing_time(): @clock_t in 1/USER_HZ s (0: never
 * learn, always flood). -EINVAL when @br is not a bridge. Context: rtnl held. */
UNETDEV_API int unetdev_br_set_ageing_time(struct net_device *br, unsigned long clock_t)
    UNETDEV_MUST_HOLD(rtnl_mutex);
/** unetdev_br_get_ageing_time - in 1/USER_HZ s; 0 when @br is not a bridge. Context: any. */
UNETDEV_API unsigned long unetdev_br_get_ageing_time(const struct net_device *br);

/** unetdev_br_port_state - BR_STATE_* of port @dev, -ENODEV when it is not a port. Context: rtnl.
 */
UNETDEV_API int unetdev_br_port_state(struct net_device *dev) UNETDEV_MUST_HOLD(rtnl_mutex);

/* One forwarding database entry, as a neighbour message describes it. */
struct unetdev_br_fdb_info {
	unsigned char addr[ETH_ALEN];
	u16 vid;
	int ifindex;	       /* the port's device, or the bridge for its own address */
	bool is_local;	       /* an address of a port or of the bridge: NUD_PERMANENT */
	bool is_static;	       /* never ages */
	bool expired;	       /* past the ageing time, not yet collected: NUD_STALE */
	unsigned long used;    /* jiffies since the entry was last used to forward */
	unsigned long updated; /* jiffies since the entry was last learned */
};

typedef int (*unetdev_br_fdb_fn)(const struct unetdev_br_fdb_info *fi, void *arg);

/**
 * unetdev_br_fdb_dump - br_fdb_dump(): call @fn for the entries of @br whose
 * port is @filter_dev (NULL: the bridge's own entries, @filter_dev == @br:
 * every entry), skipping the first *@idx matches and advancing *@idx past each
 * one @fn accepted. Stops when @fn returns non-zero and returns that value;
 * 0 when every entry was given. -EINVAL when @br is not a bridge.
 * Context: rtnl held (@fn must not sleep: it runs under the FDB lock).
 */
UNETDEV_API int unetdev_br_fdb_dump(struct net_device *br, struct net_device *filter_dev,
				    unsigned int *idx, unetdev_br_fdb_fn fn, void *arg)
    UNETDEV_MUST_HOLD(rtnl_mutex);
/** unetdev_br_fdb_lookup - the live entry for @addr/@vid: 0 or -ENOENT. Context: any. */
UNETDEV_API int unetdev_br_fdb_lookup(struct net_device *br, const unsigned char *addr, u16 vid,
				      struct unetdev_br_fdb_info *out);

/* What the bridge did since it was created (all relaxed atomics). */
struct unetdev_br_stats {
	u64 learned;   /* FDB entries created from a source address */
	u64 aged;      /* FDB entries removed by the ageing timer */
	u64 forwarded; /* frames sent to the one known port */
	u64 flooded;   /* frames flooded (counted once, whatever the number of ports) */
	u64 local_in;  /* frames delivered to the bridge device itself */
	u64 dropped;   /* invalid source, port not forwarding, destination on the source port */
};
/** unetdev_br_get_stats - fill @st; -EINVAL when @br is not a bridge. Context: any. */
UNETDEV_API int unetdev_br_get_stats(const struct net_device *br, struct unetdev_br_stats *st);

/** unetdev_bridge_link_ops_register - the "bridge" link type (IFLA_BR_AGEING_TIME). */
UNETDEV_API int unetdev_bridge_link_ops_register(void) UNETDEV_EXCLUDES(rtnl_mutex);
UNETDEV_API void unetdev_bridge_link_ops_unregister(void) UNETDEV_EXCLUDES(rtnl_mutex);

#endif
