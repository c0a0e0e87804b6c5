// SPDX-License-Identifier: MIT
/*
 * rtnl_link.c - link types (kernel net/core/rtnetlink.c: rtnl_link_register,
 * __rtnl_link_unregister, __rtnl_kill_links, rtnl_create_link,
 * rtnl_newlink_create, rtnl_delete_link; lib/nlattr.c: nla_parse).
 * Rules: R-UNREG-17 (devices created through rtnl_link_ops are freed by the
 * core, never by the driver; the check is in free_netdev, dev.c).
 *
 * Two creation paths (see <unetdev/rtnl_link.h>):
 *   a) kernel: alloc_netdev_mqs(priv_size, setup) + newlink under rtnl;
 *   b) create: the driver's own constructor, called without rtnl; a
 *      NETDEV_REGISTER notifier, live only for the call and only on this
 *      thread, stamps dev->rtnl_link_ops on what it registers, before the
 *      RTM_NEWLINK announcement, so monitors see the kind.
 */
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "internal.h"

/* The uapi header defines its own struct rtnl_link_stats64: keep it apart. */
#define rtnl_link_stats64 uapi_rtnl_link_stats64
#include <linux/if_link.h>
#undef rtnl_link_stats64

#include <unetdev/rtnl_link.h>

#define UNETDEV_LINK_MAXTYPE 64 /* IFLA_INFO_DATA attribute types a kind may have */

static LIST_HEAD(link_ops); /* rtnl */

/* ---- attributes (lib/nlattr.c) ---- */

static int nla_validate_one(const struct nlattr *nla, const struct nla_policy *pt,
			    struct netlink_ext_ack *extack)
{
	int len = nla_len(nla);
	static const int fixed[] = {[NLA_U8] = 1,  [NLA_U16] = 2,   [NLA_U32] = 4,
				    [NLA_U64] = 8, [NLA_MSECS] = 8, [NLA_FLAG] = 0};

	switch (pt->type) {
	case NLA_U8:
	case NLA_U16:
	case NLA_U32:
	case NLA_U64:
	case NLA_MSECS:
		if (len < fixed[pt->type])
			goto bad_len;
		return 0;
	case NLA_FLAG:
		return len ? -ERANGE : 0;
	case NLA_NUL_STRING:
		if (!len || !memchr(nla_data(nla), 0, (size_t)len))
			goto bad_len;
		__attribute__((fallthrough));
	case NLA_STRING:
		if (pt->len && strnlen(nla_data(nla), (size_t)len) > pt->len) {
			NL_SET_ERR_MSG(extack, "Attribute string too long");
			return -ERANGE;
		}
		return 0;
	case NLA_NESTED:
		return len && len < NLA_HDRLEN ? -EINVAL : 0;
	case NLA_BINARY:
		return pt->len && len > pt->len ? -ERANGE : 0;
	default:
		return len < pt->len ? -ERANGE : 0;
	}
bad_len:
	NL_SET_ERR_MSG(extack, "Attribute failed policy validation");
	return -EINVAL;
}

int nla_parse(struct nlattr **tb, int maxtype, const struct nlattr *head, int len,
	      const struct nla_policy *policy, struct netlink_ext_ack *extack)
{
	const struct nlattr *nla;
	int rem, err;

	// NOLINTNEXTLINE(bugprone-sizeof-expression): an array of pointers
	memset(tb, 0, sizeof(*tb) * (size_t)(maxtype + 1));
	nla_for_each_attr(nla, head, len, rem)
	{
		int type = nla_type(nla);

		if (type == 0 || type > maxtype)
			continue;
		if (policy) {
			err = nla_validate_one(nla, &policy[type], extack);
			if (err)
				return err;
		}
		tb[type] = (struct nlattr *)nla;
	}
	if (rem > 0) {
		NL_SET_ERR_MSG(extack, "bytes leftover after parsing attributes");
		return -EINVAL;
	}
	return 0;
}

int nla_parse_nested(struct nlattr **tb, int maxtype, const struct nlattr *nla,
		     const struct nla_policy *policy, struct netlink_ext_ack *extack)
{
	return nla_parse(tb, maxtype, nla_data(nla), nla_len(nla), policy, extack);
}

/* ---- registration ---- */

static struct rtnl_link_ops *ops_find(const char *kind) UNETDEV_MUST_HOLD(rtnl_mutex)
{
	struct rtnl_link_ops *ops;

	list_for_each_entry (ops, &link_ops, list)
		if (!strcmp(ops->kind, kind))
			return ops;
	return NULL;
}

const struct rtnl_link_ops *rtnl_link_ops_get(const char *kind)
{
	ASSERT_RTNL();
	return kind ? ops_find(kind) : NULL;
}

int rtnl_link_register(struct rtnl_link_ops *ops)
{
	int err = 0;

	if (!ops || !ops->kind || (!ops->create && !(ops->setup && ops->newlink)))
		return -EINVAL;
	rtnl_lock();
	if (ops_find(ops->kind))
		err = -EEXIST;
	else
		list_add_tail(&ops->list, &link_ops);
	rtnl_unlock();
	return err;
}

static void queue_dellink(struct net_device *dev, struct list_head *head)
    UNETDEV_MUST_HOLD(rtnl_mutex)
{
	if (dev->rtnl_link_ops->dellink)
		dev->rtnl_link_ops->dellink(dev, head);
	else
		unregister_netdevice_queue(dev, head);
}

/* __rtnl_kill_links: every device of @ops, in every namespace, in one batch. */
void rtnl_link_unregister(struct rtnl_link_ops *ops)
{
	struct net_device *dev;
	struct net *net;
	LIST_HEAD(kill);

	if (!ops || !ops->list.next)
		return; /* never registered */
	rtnl_lock();
	for_each_net (net)
		for_each_netdev (net, dev)
			if (dev->rtnl_link_ops == ops && dev->reg_state == NETREG_REGISTERED)
				queue_dellink(dev, &kill);
	unregister_netdevice_many(&kill);
	list_del_init(&ops->list);
	rtnl_unlock();
}

const char *unetdev_rtnl_link_kind(const struct net_device *dev)
{
	return dev && dev->rtnl_link_ops ? dev->rtnl_link_ops->kind : NULL;
}

const char *unetdev__rtnl_link_kind(const struct net_device *dev)
{
	const char *kind = unetdev_rtnl_link_kind(dev);

	return kind ? kind : "";
}

int unetdev_rtnl_link_delete(struct net_device *dev, struct netlink_ext_ack *extack)
{
	LIST_HEAD(kill);

	ASSERT_RTNL();
	if (!dev || !dev->rtnl_link_ops) {
		NL_SET_ERR_MSG(extack, "Device does not support deletion");
		return -EOPNOTSUPP;
	}
	if (dev->reg_state != NETREG_REGISTERED)
		return -ENODEV;
	queue_dellink(dev, &kill);
	unregister_netdevice_many(&kill);
	return 0;
}

/* ---- creation, path a): rtnl_create_link + newlink ---- */

static int apply_create_attrs(struct net_device *dev, struct nlattr *tb[],
			      struct netlink_ext_ack *extack)
{
	if (!tb)
		return 0;
	if (tb[IFLA_MTU]) {
		u32 mtu = nla_get_u32(tb[IFLA_MTU]);
		int err = dev_validate_mtu(dev, (int)mtu, extack);

		if (err)
			return err;
		dev->mtu = mtu;
	}
	if (tb[IFLA_ADDRESS]) {
		if (nla_len(tb[IFLA_ADDRESS]) < dev->addr_len) {
			NL_SET_ERR_MSG(extack, "Invalid link address");
			return -EINVAL;
		}
		dev_addr_set(dev, nla_data(tb[IFLA_ADDRESS]));
		dev->addr_assign_type = NET_ADDR_SET;
	}
	if (tb[IFLA_TXQLEN])
		dev->tx_queue_len = nla_get_u32(tb[IFLA_TXQLEN]);
	return 0;
}

static unsigned int queue_count(struct nlattr *tb[], int attr, unsigned int (*get)(void))
{
	if (tb && tb[attr])
		return nla_get_u32(tb[attr]);
	return get ? get() : 1;
}

static int create_kernel(struct net *net, const struct rtnl_link_ops *ops, const char *ifname,
			 struct nlattr *tb[], struct nlattr *data[], struct netlink_ext_ack *extack,
			 int *ifindex) UNETDEV_MUST_HOLD(rtnl_mutex)
{
	unsigned int txqs = queue_count(tb, IFLA_NUM_TX_QUEUES, ops->get_num_tx_queues);
	unsigned int rxqs = queue_count(tb, IFLA_NUM_RX_QUEUES, ops->get_num_rx_queues);
	struct net_device *dev;
	int err;

	if (!txqs || !rxqs || txqs > 4096 || rxqs > 4096) {
		NL_SET_ERR_MSG(extack, "Invalid number of transmit or receive queues");
		return -EINVAL;
	}
	dev = alloc_netdev_mqs((int)ops->priv_size, ifname, NET_NAME_USER, ops->setup, txqs, rxqs);
	if (!dev)
		return -ENOMEM;
	dev->nd_net = net;
	dev->rtnl_link_ops = ops;
	err = apply_create_attrs(dev, tb, extack);
	if (!err)
		err = ops->newlink(net, dev, tb, data, extack);
	if (err) {
		/* Never registered (or rolled back): the core frees it (R-UNREG-17). */
		if (dev->reg_state == NETREG_UNINITIALIZED)
			unetdev__free_netdev_core(dev);
		return err;
	}
	dev->needs_free_netdev = true; /* the core's to free from now on (R-UNREG-17) */
	if (ifindex)
		*ifindex = dev->ifindex;
	return 0;
}

/* ---- creation, path b): the driver's constructor ---- */

struct create_ctx {
	const struct rtnl_link_ops *ops;
	int ifindex; /* the last device registered: the one asked for (veth: after its peer) */
};

static pthread_mutex_t create_lock = PTHREAD_MUTEX_INITIALIZER; /* one create at a time */
static __thread struct create_ctx *create_ctx;

static int create_notifier(struct notifier_block *nb, unsigned long action, void *ptr)
{
	struct net_device *dev = netdev_notifier_info_to_dev(ptr);

	if (!create_ctx)
		return NOTIFY_DONE;
	if (action == NETDEV_REGISTER && !dev->rtnl_link_ops) {
		dev->rtnl_link_ops = create_ctx->ops;
		create_ctx->ifindex = dev->ifindex;
	} else if (action == NETDEV_UNREGISTER && dev->rtnl_link_ops == create_ctx->ops) {
		/* Rolled back inside the constructor: the driver frees it itself. */
		dev->rtnl_link_ops = NULL;
	}
	return NOTIFY_DONE;
}

static struct notifier_block create_nb = {
    .notifier_call = create_notifier,
    .priority = 1000,
};

/* IFLA_MTU, IFLA_ADDRESS, IFLA_TXQLEN on a registered device (do_setlink). */
static int apply_registered_attrs(struct net_device *dev, struct nlattr *tb[],
				  struct netlink_ext_ack *extack) UNETDEV_MUST_HOLD(rtnl_mutex)
{
	struct sockaddr_hw sa = {.sa_family = dev->type};
	int err = 0;

	if (tb && tb[IFLA_MTU])
		err = dev_set_mtu_ext(dev, (int)nla_get_u32(tb[IFLA_MTU]), extack);
	if (!err && tb && tb[IFLA_ADDRESS]) {
		if (nla_len(tb[IFLA_ADDRESS]) < dev->addr_len) {
			NL_SET_ERR_MSG(extack, "Invalid link address");
			return -EINVAL;
		}
		memcpy(sa.sa_data, nla_data(tb[IFLA_ADDRESS]), dev->addr_len);
		err = dev_set_mac_address(dev, &sa, extack);
	}
	if (!err && tb && tb[IFLA_TXQLEN])
		err = dev_change_tx_queue_len(dev, nla_get_u32(tb[IFLA_TXQLEN]));
	return err;
}

static int create_driver(struct net *net, const struct rtnl_link_ops *ops, const char *ifname,
			 struct nlattr *tb[], struct nlattr *data[], struct netlink_ext_ack *extack,
			 int *ifindex) UNETDEV_EXCLUDES(rtnl_mutex)
{
	struct create_ctx ctx = {.ops = ops};
	struct net_device *dev;
	int err;

	pthread_mutex_lock(&create_lock);
	err = register_netdevice_notifier(&create_nb);
	if (!err) {
		create_ctx = &ctx;
		err = ops->create(net, ifname, tb, data, extack);
		create_ctx = NULL;
		unregister_netdevice_notifier(&create_nb);
	}
	pthread_mutex_unlock(&create_lock);
	if (err)
		return err;
	rtnl_lock();
	dev = __dev_get_by_index(net, ctx.ifindex);
	err = dev ? apply_registered_attrs(dev, tb, extack) : -ENODEV;
	if (err && dev)
		unetdev_rtnl_link_delete(dev, NULL);
	rtnl_unlock();
	if (!err && ifindex)
		*ifindex = ctx.ifindex;
	return err;
}

/* ---- RTM_NEWLINK's creation step ---- */

static int parse_info_data(const struct rtnl_link_ops *ops, const struct nlattr *info_data,
			   struct nlattr **data, struct netlink_ext_ack *extack)
{
	if (!info_data || !ops->maxtype)
		return 0;
	return nla_parse_nested(data, (int)ops->maxtype, info_data, ops->policy, extack);
}

/* Lookup, parse and validate under rtnl; NULL @ops_out on error. */
static int newlink_prepare(const char *kind, const char *ifname, struct nlattr *tb[],
			   const struct nlattr *info_data, struct nlattr **data,
			   struct netlink_ext_ack *extack, const struct rtnl_link_ops **ops_out)
    UNETDEV_MUST_HOLD(rtnl_mutex)
{
	const struct rtnl_link_ops *ops = kind ? ops_find(kind) : NULL;
	int err;

	if (!ops) {
		NL_SET_ERR_MSG(extack, "Unknown device type");
		return -EOPNOTSUPP;
	}
	if (ops->maxtype >= UNETDEV_LINK_MAXTYPE)
		return -EINVAL; /* a driver bug: data[] below is that big */
	err = parse_info_data(ops, info_data, data, extack);
	if (!err && ops->validate)
		err = ops->validate(tb, data, extack);
	if (!err)
		*ops_out = ops;
	return err;
}

int unetdev_rtnl_link_create(struct net *net, const char *kind, const char *ifname,
			     struct nlattr *tb[], const struct nlattr *info_data,
			     struct netlink_ext_ack *extack, int *ifindex)
{
	struct nlattr *data[UNETDEV_LINK_MAXTYPE] = {NULL};
	const struct rtnl_link_ops *ops = NULL;
	char name[IFNAMSIZ];
	int err;

	if (!net)
		net = &init_net;
	if (ifname && (strnlen(ifname, IFNAMSIZ) >= IFNAMSIZ || !dev_valid_name(ifname))) {
		NL_SET_ERR_MSG(extack, "Invalid device name");
		return -EINVAL;
	}
	rtnl_lock();
	err = newlink_prepare(kind, ifname, tb, info_data, data, extack, &ops);
	if (!err && ifname && __dev_get_by_name(net, ifname)) {
		NL_SET_ERR_MSG(extack, "Device name already in use");
		err = -EEXIST;
	}
	if (!ifname && !err)
		snprintf(name, sizeof(name), "%.13s%%d", ops->kind);
	if (!err && !ops->create)
		err = create_kernel(net, ops, ifname ? ifname : name, tb, data, extack, ifindex);
	rtnl_unlock();
	/* Built-in ops live as long as the library; a module's are kept by its
	 * devices' module references once the constructor has registered them. */
	if (!err && ops->create)
		err = create_driver(net, ops, ifname ? ifname : name, tb, data, extack, ifindex);
	return err;
}
