// SPDX-License-Identifier: MIT
/*
 * link_ops.c - the rtnl_link_ops of the built-in drivers (kernel: the
 * rtnl_link_ops tables at the end of drivers/net/dummy.c, veth.c; loopback
 * has none in the kernel, here it is a kind so that a daemon can create it).
 * The drivers' public constructors allocate and register by themselves, so
 * these use the create path of <unetdev/rtnl_link.h>; the attributes are the
 * kernel's: IFLA_NUM_TX_QUEUES/IFLA_NUM_RX_QUEUES for null/dummy, and
 * IFLA_INFO_DATA { VETH_INFO_PEER: struct ifinfomsg + IFLA_IFNAME ... } for veth.
 * Rule R-UNREG-17: every device made here is freed by the core.
 */
#include <stdio.h>
#include <string.h>

#include <unetdev/drivers.h>

/* The uapi header defines its own struct rtnl_link_stats64: keep it apart. */
#define rtnl_link_stats64 uapi_rtnl_link_stats64
#include <linux/if_link.h>
#include <linux/rtnetlink.h>
#include <linux/veth.h>
#undef rtnl_link_stats64

#include <unetdev/rtnl_link.h>

#define LINK_MAX_QUEUES 64

/* ---- null and dummy ---- */

static unsigned int queue_attr(struct nlattr *tb[], int attr)
{
	return tb && tb[attr] ? nla_get_u32(tb[attr]) : 1;
}

static int null_validate(struct nlattr *tb[], struct nlattr *data[], struct netlink_ext_ack *extack)
{
	unsigned int txqs = queue_attr(tb, IFLA_NUM_TX_QUEUES);
	unsigned int rxqs = queue_attr(tb, IFLA_NUM_RX_QUEUES);

	if (!txqs || !rxqs || txqs > LINK_MAX_QUEUES || rxqs > LINK_MAX_QUEUES) {
		NL_SET_ERR_MSG(extack, "Invalid number of transmit or receive queues");
		return -EINVAL;
	}
	return 0;
}

static int null_link_create(struct net *net, const char *ifname, struct nlattr *tb[],
			    struct nlattr *data[], struct netlink_ext_ack *extack)
{
	struct unetdev_null_config cfg = {
	    .sz = sizeof(cfg),
	    .txqs = queue_attr(tb, IFLA_NUM_TX_QUEUES),
	    .rxqs = queue_attr(tb, IFLA_NUM_RX_QUEUES),
	};

	return unetdev_null_create(net, ifname, &cfg, NULL);
}

static struct rtnl_link_ops null_link_ops = {
    .kind = "null",
    .validate = null_validate,
    .create = null_link_create,
};

static struct rtnl_link_ops dummy_link_ops = {
    .kind = "dummy",
    .validate = null_validate,
    .create = null_link_create,
};

/* ---- veth ---- */

static const struct nla_policy veth_policy[VETH_INFO_MAX + 1] = {
    [VETH_INFO_PEER] = {.type = NLA_UNSPEC, .len = sizeof(struct ifinfomsg)},
};

static const struct nla_policy veth_peer_policy[IFLA_MAX + 1] = {
    [IFLA_IFNAME] = {.type = NLA_STRING, .len = IFNAMSIZ - 1},
};

/* The peer's IFLA_* attributes follow its struct ifinfomsg (veth_newlink). */
static int veth_peer_attrs(const struct nlattr *peer, struct nlattr **tbp,
			   struct netlink_ext_ack *extack)
{
	const struct nlattr *head =
	    (const void *)((const char *)nla_data(peer) + NLMSG_ALIGN(sizeof(struct ifinfomsg)));
	int len = nla_len(peer) - (int)NLMSG_ALIGN(sizeof(struct ifinfomsg));

	return nla_parse(tbp, IFLA_MAX, head, len, veth_peer_policy, extack);
}

static int veth_peer_name(struct nlattr *data[], char *name, struct netlink_ext_ack *extack)
{
	struct nlattr *tbp[IFLA_MAX + 1];
	int err;

	name[0] = 0;
	if (!data || !data[VETH_INFO_PEER])
		return 0;
	err = veth_peer_attrs(data[VETH_INFO_PEER], tbp, extack);
	if (err || !tbp[IFLA_IFNAME])
		return err;
	if (nla_len(tbp[IFLA_IFNAME]) < 1) {
		NL_SET_ERR_MSG(extack, "Invalid peer name");
		return -EINVAL;
	}
	snprintf(name, IFNAMSIZ, "%.*s", nla_len(tbp[IFLA_IFNAME]),
		 (const char *)nla_data(tbp[IFLA_IFNAME]));
	if (!dev_valid_name(name)) {
		NL_SET_ERR_MSG(extack, "Invalid peer name");
		return -EINVAL;
	}
	return 0;
}

static int veth_validate(struct nlattr *tb[], struct nlattr *data[], struct netlink_ext_ack *extack)
{
	char name[IFNAMSIZ];

	return veth_peer_name(data, name, extack);
}

static int veth_link_create(struct net *net, const char *ifname, struct nlattr *tb[],
			    struct nlattr *data[], struct netlink_ext_ack *extack)
{
	char peer[IFNAMSIZ];
	int err = veth_peer_name(data, peer, extack);

	if (err)
		return err;
	err = unetdev_veth_create(net, ifname, peer[0] ? peer : NULL, NULL, NULL);
	if (err == -EEXIST)
		NL_SET_ERR_MSG(extack, "Device name already in use");
	return err;
}

/* veth_dellink: both ends in one batch (step a) of veth.c's header). */
static void veth_dellink(struct net_device *dev, struct list_head *head)
    UNETDEV_MUST_HOLD(rtnl_mutex)
{
	struct net_device *peer = unetdev_veth_peer(dev);

	unregister_netdevice_queue(dev, head);
	if (peer && peer->reg_state == NETREG_REGISTERED)
		unregister_netdevice_queue(peer, head);
}

static struct rtnl_link_ops veth_link_ops = {
    .kind = "veth",
    .maxtype = VETH_INFO_MAX,
    .policy = veth_policy,
    .validate = veth_validate,
    .create = veth_link_create,
    .dellink = veth_dellink,
};

/* ---- loopback ---- */

static int loopback_link_create(struct net *net, const char *ifname, struct nlattr *tb[],
				struct nlattr *data[], struct netlink_ext_ack *extack)
{
	if (ifname && strcmp(ifname, "lo") != 0 && !strchr(ifname, '%')) {
		NL_SET_ERR_MSG(extack, "The loopback device is always named lo");
		return -EINVAL;
	}
	return unetdev_loopback_create(net, NULL);
}

static struct rtnl_link_ops loopback_link_ops = {
    .kind = "loopback",
    .create = loopback_link_create,
};

/* ---- registration, as each driver's module_init would do ---- */

static struct rtnl_link_ops *const builtin_ops[] = {
    &null_link_ops,
    &dummy_link_ops,
    &veth_link_ops,
    &loopback_link_ops,
};
#define N_BUILTIN (sizeof(builtin_ops) / sizeof(builtin_ops[0]))

int unetdev_link_ops_register_builtin(void)
{
	int err;

	for (size_t i = 0; i < N_BUILTIN; i++) {
		err = rtnl_link_register(builtin_ops[i]);
		if (err) {
			while (i--)
				rtnl_link_unregister(builtin_ops[i]);
			return err;
		}
	}
	return 0;
}

void unetdev_link_ops_unregister_builtin(void)
{
	for (size_t i = N_BUILTIN; i--;)
		rtnl_link_unregister(builtin_ops[i]);
}
