/* SPDX-License-Identifier: MIT */
/*
 * Link types (kernel include/net/rtnetlink.h: struct rtnl_link_ops) and the
 * few netlink attribute helpers they need (include/net/netlink.h). A driver
 * registers one rtnl_link_ops per "kind"; RTM_NEWLINK with IFLA_INFO_KIND
 * creates a device of that kind, RTM_DELLINK removes it through ->dellink.
 *
 * Ownership (R-UNREG-17): a device created through rtnl_link_ops belongs to
 * the rtnl core, which frees it after unregistration; the driver never calls
 * free_netdev() on it once it has been registered.
 *
 * Attributes are the uapi struct nlattr (<linux/netlink.h>): the same bytes a
 * netlink message carries, so a daemon hands its parsed table straight in.
 */
#ifndef UNETDEV_RTNL_LINK_H
#define UNETDEV_RTNL_LINK_H

#include <linux/netlink.h>
#include <unetdev/netdevice.h>

/* Attribute policy types (kernel enum netlink_attribute_type values). */
enum {
	NLA_UNSPEC,
	NLA_U8,
	NLA_U16,
	NLA_U32,
	NLA_U64,
	NLA_STRING,
	NLA_FLAG,
	NLA_MSECS,
	NLA_NESTED,
	NLA_NESTED_ARRAY,
	NLA_NUL_STRING,
	NLA_BINARY,
};

/* @len: NLA_STRING/NLA_NUL_STRING maximum length without the NUL; NLA_BINARY
 * maximum payload; NLA_UNSPEC minimum payload. */
struct nla_policy {
	u8 type;
	u16 len;
};

static inline void *nla_data(const struct nlattr *nla)
{
	return (char *)nla + NLA_HDRLEN;
}
static inline int nla_len(const struct nlattr *nla)
{
	return nla->nla_len - NLA_HDRLEN;
}
static inline int nla_type(const struct nlattr *nla)
{
	return nla->nla_type & NLA_TYPE_MASK;
}
static inline bool nla_ok(const struct nlattr *nla, int remaining)
{
	return remaining >= (int)sizeof(*nla) && nla->nla_len >= sizeof(*nla) &&
	       nla->nla_len <= remaining;
}
static inline struct nlattr *nla_next(const struct nlattr *nla, int *remaining)
{
	unsigned int totlen = NLA_ALIGN(nla->nla_len);

	*remaining -= (int)totlen;
	return (struct nlattr *)((char *)nla + totlen);
}
static inline u32 nla_get_u32(const struct nlattr *nla)
{
	u32 v;

	memcpy(&v, nla_data(nla), sizeof(v));
	return v;
}
#define nla_for_each_attr(pos, head, len, rem)                                                     \
	for (pos = head, rem = len; nla_ok(pos, rem); pos = nla_next(pos, &(rem)))

#define nla_parse	 unetdev_nla_parse
#define nla_parse_nested unetdev_nla_parse_nested

/**
 * nla_parse - index the attributes in @head/@len into @tb[0..@maxtype],
 * checking each against @policy (may be NULL). Unknown types above @maxtype
 * are ignored, as the kernel's liberal parsing does. Returns 0, -EINVAL (bad
 * length or layout, with an extack message) or -ERANGE. Context: any.
 */
UNETDEV_API int nla_parse(struct nlattr **tb, int maxtype, const struct nlattr *head, int len,
			  const struct nla_policy *policy, struct netlink_ext_ack *extack);
UNETDEV_API int nla_parse_nested(struct nlattr **tb, int maxtype, const struct nlattr *nla,
				 const struct nla_policy *policy, struct netlink_ext_ack *extack);

/**
 * struct rtnl_link_ops - a link type. Either the kernel's pair @setup (with
 * @priv_size; the core allocates the device, applies IFLA_MTU/ADDRESS/TXQLEN,
 * sets dev->rtnl_link_ops and calls @newlink under rtnl, which registers it)
 * or @create (an unetdev extension for drivers whose public constructor
 * allocates and registers by itself, taking rtnl: called without rtnl; every
 * device it registers on this thread gets dev->rtnl_link_ops).
 */
struct rtnl_link_ops {
	struct list_head list; /* rtnl_link_register */
	const char *kind;
	size_t priv_size;
	/** Context: process, from alloc_netdev_mqs(). */
	void (*setup)(struct net_device *dev);
	unsigned int maxtype; /* highest IFLA_INFO_DATA attribute */
	const struct nla_policy *policy;
	/** Context: rtnl held. @tb: IFLA_* (IFLA_MAX + 1 entries); @data: IFLA_INFO_DATA. */
	int (*validate)(struct nlattr *tb[], struct nlattr *data[], struct netlink_ext_ack *extack);
	/** Context: rtnl held. Registers @dev (register_netdevice). On error the core frees it. */
	int (*newlink)(struct net *src_net, struct net_device *dev, struct nlattr *tb[],
		       struct nlattr *data[], struct netlink_ext_ack *extack);
	/** Context: rtnl held. Queue @dev (and what goes with it) on @head. NULL: @dev alone. */
	void (*dellink)(struct net_device *dev, struct list_head *head);
	unsigned int (*get_num_tx_queues)(void);
	unsigned int (*get_num_rx_queues)(void);
	/** Context: rtnl NOT held. @ifname may be a template or NULL ("<kind>%d"). */
	int (*create)(struct net *net, const char *ifname, struct nlattr *tb[],
		      struct nlattr *data[], struct netlink_ext_ack *extack);
};

#define rtnl_link_register   unetdev_rtnl_link_register
#define rtnl_link_unregister unetdev_rtnl_link_unregister
#define rtnl_link_ops_get    unetdev_rtnl_link_ops_get

/** rtnl_link_register - add @ops (-EEXIST for a taken kind). Context: process, rtnl not held. */
UNETDEV_API int rtnl_link_register(struct rtnl_link_ops *ops) UNETDEV_EXCLUDES(rtnl_mutex);
/** rtnl_link_unregister - delete every device of @ops in every namespace, then remove @ops. */
UNETDEV_API void rtnl_link_unregister(struct rtnl_link_ops *ops) UNETDEV_EXCLUDES(rtnl_mutex);
/** rtnl_link_ops_get - the ops of @kind or NULL. Context: rtnl held. */
UNETDEV_API const struct rtnl_link_ops *rtnl_link_ops_get(const char *kind)
    UNETDEV_MUST_HOLD(rtnl_mutex);

/**
 * unetdev_rtnl_link_create - RTM_NEWLINK's creation step (rtnl_newlink_create):
 * a device of @kind named @ifname (NULL or a "%d" template: "<kind>%d"), with
 * top-level attributes @tb (IFLA_MAX + 1 entries or NULL: IFLA_MTU,
 * IFLA_ADDRESS, IFLA_TXQLEN, IFLA_NUM_TX_QUEUES, IFLA_NUM_RX_QUEUES are used)
 * and the nested IFLA_INFO_DATA @info_data (may be NULL). On success
 * *@ifindex (may be NULL) is the new device's index.
 * Returns 0, -EOPNOTSUPP (unknown kind), -EEXIST, -EINVAL, -ENOMEM, ...
 * with a message in @extack. Context: process, rtnl not held.
 */
UNETDEV_API int unetdev_rtnl_link_create(struct net *net, const char *kind, const char *ifname,
					 struct nlattr *tb[], const struct nlattr *info_data,
					 struct netlink_ext_ack *extack, int *ifindex)
    UNETDEV_EXCLUDES(rtnl_mutex);
/**
 * unetdev_rtnl_link_delete - RTM_DELLINK: ops->dellink (or unregister) and
 * unregister_netdevice_many. -EOPNOTSUPP for a device without rtnl_link_ops.
 * Completion is at rtnl_unlock(). Context: rtnl held.
 */
UNETDEV_API int unetdev_rtnl_link_delete(struct net_device *dev, struct netlink_ext_ack *extack)
    UNETDEV_MUST_HOLD(rtnl_mutex);
/** unetdev_rtnl_link_kind - "null", "veth", ...; NULL without rtnl_link_ops. Context: any. */
UNETDEV_API const char *unetdev_rtnl_link_kind(const struct net_device *dev);

/** unetdev_link_ops_register_builtin - register the null, veth and loopback link types. */
UNETDEV_API int unetdev_link_ops_register_builtin(void) UNETDEV_EXCLUDES(rtnl_mutex);
/** unetdev_link_ops_unregister_builtin - unregister them (deleting their devices). */
UNETDEV_API void unetdev_link_ops_unregister_builtin(void) UNETDEV_EXCLUDES(rtnl_mutex);

#endif
