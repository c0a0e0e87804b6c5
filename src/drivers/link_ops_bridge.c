// SPDX-License-Identifier: MIT
/*
 * link_ops_bridge.c - the "bridge" link type (kernel net/bridge/br_netlink.c:
 * br_link_ops, br_policy, br_changelink for IFLA_BR_AGEING_TIME, br_dev_delete
 * as dellink). Ports join with RTM_SETLINK IFLA_MASTER (do_set_master), not
 * here. Rule R-UNREG-17: the core frees what is made here.
 */
#include <string.h>

#include <unetdev/if_bridge.h>

/* The uapi header defines its own struct rtnl_link_stats64: keep it apart. */
#define rtnl_link_stats64 uapi_rtnl_link_stats64
#include <linux/if_link.h>
#undef rtnl_link_stats64

#include <unetdev/rtnl_link.h>

static const struct nla_policy br_policy[IFLA_BR_MAX + 1] = {
    [IFLA_BR_AGEING_TIME] = {.type = NLA_U32},
};

static int br_link_create(struct net *net, const char *ifname, struct nlattr *tb[],
			  struct nlattr *data[], struct netlink_ext_ack *extack)
    UNETDEV_EXCLUDES(rtnl_mutex)
{
	struct net_device *dev;
	int err = unetdev_bridge_create(net, ifname, &dev);

	if (err == -EEXIST)
		NL_SET_ERR_MSG(extack, "Device name already in use");
	if (err || !data || !data[IFLA_BR_AGEING_TIME])
		return err;
	rtnl_lock();
	err = unetdev_br_set_ageing_time(dev, nla_get_u32(data[IFLA_BR_AGEING_TIME]));
	rtnl_unlock();
	return err;
}

static struct rtnl_link_ops br_link_ops = {
    .kind = "bridge",
    .maxtype = IFLA_BR_MAX,
    .policy = br_policy,
    .create = br_link_create,
};

int unetdev_bridge_link_ops_register(void)
{
	return rtnl_link_register(&br_link_ops);
}

void unetdev_bridge_link_ops_unregister(void)
{
	rtnl_link_unregister(&br_link_ops);
}
