// SPDX-License-Identifier: MIT
/*
 * Daemon suite, library side: the built-in link types through
 * unetdev_rtnl_link_create()/unetdev_rtnl_link_delete() (what RTM_NEWLINK and
 * RTM_DELLINK do in unetd), kinds, the veth peer attribute, queue counts,
 * registration rules, and rtnl_link_unregister() deleting a kind's devices.
 */
#include "../../tools/common/uapi.h"

#include <unetdev/rtnl_link.h>
#include <unetdev/unetdev.h>

#include "harness.h"

/* IFLA_INFO_DATA { VETH_INFO_PEER { ifinfomsg, IFLA_IFNAME @peer } } in @buf. */
static const struct nlattr *veth_info_data(char *buf, size_t len, const char *peer)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct nlattr *data, *p;
	struct ifinfomsg *ifi;

	memset(buf, 0, len);
	nlh = mnl_nlmsg_put_header(buf);
	data = mnl_attr_nest_start(nlh, IFLA_INFO_DATA);
	p = mnl_attr_nest_start(nlh, VETH_INFO_PEER);
	ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));
	ifi->ifi_family = AF_UNSPEC;
	mnl_attr_put_strz(nlh, IFLA_IFNAME, peer);
	mnl_attr_nest_end(nlh, p);
	mnl_attr_nest_end(nlh, data);
	return data;
}

TEST(link_ops_builtin_kinds)
{
	struct netlink_ext_ack ext = {NULL};
	struct nlattr *tb[IFLA_MAX + 1] = {NULL};
	char buf[256], qbuf[64];
	struct net_device *dev;
	int idx, vidx;

	ASSERT_EQ(unetdev_link_ops_register_builtin(), 0);
	/* null with four TX queues */
	memset(qbuf, 0, sizeof(qbuf));
	tb[IFLA_NUM_TX_QUEUES] = (struct nlattr *)qbuf;
	tb[IFLA_NUM_TX_QUEUES]->nla_len = NLA_HDRLEN + 4;
	*(u32 *)nla_data(tb[IFLA_NUM_TX_QUEUES]) = 4;
	ASSERT_EQ(unetdev_rtnl_link_create(NULL, "null", "n0", tb, NULL, &ext, &idx), 0);
	/* veth with its peer named through the nested attribute */
	ASSERT_EQ(unetdev_rtnl_link_create(NULL, "veth", "va", NULL,
					   veth_info_data(buf, sizeof(buf), "vb"), &ext, &vidx),
		  0);
	ASSERT_EQ(unetdev_rtnl_link_create(NULL, "loopback", NULL, NULL, NULL, &ext, NULL), 0);
	ASSERT_EQ(unetdev_rtnl_link_create(NULL, "dummy", NULL, NULL, NULL, &ext, NULL), 0);
	rtnl_lock();
	dev = __dev_get_by_index(&init_net, idx);
	ASSERT_STR_EQ(unetdev_rtnl_link_kind(dev), "null");
	ASSERT_EQ(dev->num_tx_queues, 4);
	dev = __dev_get_by_index(&init_net, vidx);
	ASSERT_STR_EQ(dev->name, "va");
	ASSERT_STR_EQ(unetdev_rtnl_link_kind(__dev_get_by_name(&init_net, "vb")), "veth");
	ASSERT_STR_EQ(unetdev_rtnl_link_kind(__dev_get_by_name(&init_net, "lo")), "loopback");
	ASSERT_NOT_NULL(__dev_get_by_name(&init_net, "dummy0"));
	ASSERT_PTR_EQ(rtnl_link_ops_get("veth"), __dev_get_by_name(&init_net, "vb")->rtnl_link_ops);
	/* deleting one end of a veth deletes both (one batch) */
	ASSERT_EQ(unetdev_rtnl_link_delete(dev, NULL), 0);
	rtnl_unlock();
	ASSERT_NULL(dev_get_by_name(&init_net, "va"));
	ASSERT_NULL(dev_get_by_name(&init_net, "vb"));
	/* unregistering the kinds deletes the rest */
	unetdev_link_ops_unregister_builtin();
	ASSERT_NULL(dev_get_by_name(&init_net, "n0"));
	ASSERT_NULL(dev_get_by_name(&init_net, "lo"));
}

TEST(link_ops_errors)
{
	struct netlink_ext_ack ext = {NULL};
	static struct rtnl_link_ops dup = {.kind = "null"}, bad = {.kind = "bad"};
	char buf[256];

	ASSERT_EQ(unetdev_link_ops_register_builtin(), 0);
	ASSERT_EQ(rtnl_link_register(&bad), -EINVAL); /* neither setup+newlink nor create */
	dup.create = (void *)1;
	ASSERT_EQ(rtnl_link_register(&dup), -EEXIST);
	ASSERT_EQ(unetdev_rtnl_link_create(NULL, "nope", "x", NULL, NULL, &ext, NULL), -EOPNOTSUPP);
	ASSERT_STR_EQ(ext._msg, "Unknown device type");
	ASSERT_EQ(unetdev_rtnl_link_create(NULL, "null", "bad/name", NULL, NULL, &ext, NULL),
		  -EINVAL);
	ASSERT_EQ(unetdev_rtnl_link_create(NULL, "null", "a0", NULL, NULL, &ext, NULL), 0);
	ASSERT_EQ(unetdev_rtnl_link_create(NULL, "null", "a0", NULL, NULL, &ext, NULL), -EEXIST);
	ASSERT_EQ(unetdev_rtnl_link_create(NULL, "veth", "a1", NULL,
					   veth_info_data(buf, sizeof(buf), "a0"), &ext, NULL),
		  -EEXIST);
	ASSERT_NULL(dev_get_by_name(&init_net, "a1")); /* nothing half-made is left */
	ASSERT_EQ(unetdev_rtnl_link_create(NULL, "loopback", "eth0", NULL, NULL, &ext, NULL),
		  -EINVAL);
	unetdev_link_ops_unregister_builtin();
	rtnl_link_unregister(&bad); /* never registered: nothing happens */
}
