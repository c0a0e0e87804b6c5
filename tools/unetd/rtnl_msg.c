// SPDX-License-Identifier: MIT
/*
 * rtnl_msg.c - a net_device as an RTM_NEWLINK message (kernel
 * net/core/rtnetlink.c: rtnl_fill_ifinfo, rtnl_fill_stats, rtnl_link_fill).
 */
#include <string.h>

#include "unetd.h"

_Static_assert(sizeof(struct rtnl_link_stats64) == sizeof(struct uapi_rtnl_link_stats64),
	       "the library's rtnl_link_stats64 is the uapi layout");

struct fill {
	struct nlmsghdr *nlh;
	size_t len;
	bool ok;
};

static void put_u32(struct fill *f, uint16_t type, u32 v)
{
	f->ok = f->ok && mnl_attr_put_u32_check(f->nlh, f->len, type, v);
}

static void put_u8(struct fill *f, uint16_t type, u8 v)
{
	f->ok = f->ok && mnl_attr_put_u8_check(f->nlh, f->len, type, v);
}

static void put_str(struct fill *f, uint16_t type, const char *s)
{
	f->ok = f->ok && mnl_attr_put_strz_check(f->nlh, f->len, type, s);
}

static void put_bin(struct fill *f, uint16_t type, size_t n, const void *p)
{
	f->ok = f->ok && mnl_attr_put_check(f->nlh, f->len, type, n, p);
}

/* What "ip link" shows as qdisc: the root qdisc's kind (noop while down). */
static const char *dev_qdisc_kind(const struct net_device *dev) UNETDEV_MUST_HOLD(rtnl_mutex)
{
	if (dev->qdisc)
		return unetdev_qdisc_id(dev->qdisc);
	return dev->num_tx_queues ? unetdev_qdisc_id(dev->_tx[0].qdisc) : "";
}

static void fill_mtu_queues(struct fill *f, const struct net_device *dev)
{
	put_u32(f, IFLA_TXQLEN, dev->tx_queue_len);
	put_u8(f, IFLA_OPERSTATE, netif_running(dev) ? dev->operstate : IF_OPER_DOWN);
	put_u8(f, IFLA_LINKMODE, dev->link_mode);
	put_u32(f, IFLA_MTU, dev->mtu);
	put_u32(f, IFLA_MIN_MTU, dev->min_mtu);
	put_u32(f, IFLA_MAX_MTU, dev->max_mtu);
	put_u32(f, IFLA_GROUP, (u32)dev->group);
	put_u32(f, IFLA_PROMISCUITY, dev->promiscuity);
	put_u32(f, IFLA_ALLMULTI, dev->allmulti);
	put_u32(f, IFLA_NUM_TX_QUEUES, dev->num_tx_queues);
	put_u32(f, IFLA_NUM_RX_QUEUES, dev->num_rx_queues);
}

static void fill_carrier(struct fill *f, const struct net_device *dev)
{
	put_u8(f, IFLA_CARRIER, netif_carrier_ok(dev));
	put_u32(f, IFLA_CARRIER_CHANGES, dev->carrier_up_count + dev->carrier_down_count);
	put_u32(f, IFLA_CARRIER_UP_COUNT, dev->carrier_up_count);
	put_u32(f, IFLA_CARRIER_DOWN_COUNT, dev->carrier_down_count);
}

static void fill_addresses(struct fill *f, const struct net_device *dev)
{
	int iflink = dev_get_iflink(dev);

	if (dev->addr_len) {
		put_bin(f, IFLA_ADDRESS, dev->addr_len, dev->dev_addr);
		put_bin(f, IFLA_BROADCAST, dev->addr_len, dev->broadcast);
	}
	if (iflink != dev->ifindex)
		put_u32(f, IFLA_LINK, (u32)iflink);
	if (dev->ifalias[0])
		put_str(f, IFLA_IFALIAS, dev->ifalias);
}

/* IFLA_MASTER: the ifindex of the device's master (a bridge), when it has one. */
static void fill_master(struct fill *f, struct net_device *dev) UNETDEV_MUST_HOLD(rtnl_mutex)
{
	struct net_device *master = netdev_master_upper_dev_get(dev);

	if (master)
		put_u32(f, IFLA_MASTER, (u32)master->ifindex);
}

static void fill_stats(struct fill *f, struct net_device *dev)
{
	struct rtnl_link_stats64 st;

	memset(&st, 0, sizeof(st));
	dev_get_stats(dev, &st);
	put_bin(f, IFLA_STATS64, sizeof(st), &st);
}

static void fill_linkinfo(struct fill *f, const struct net_device *dev)
{
	const char *kind = unetdev_rtnl_link_kind(dev);
	struct nlattr *nest;

	if (!kind || !f->ok)
		return;
	nest = mnl_attr_nest_start_check(f->nlh, f->len, IFLA_LINKINFO);
	if (!nest) {
		f->ok = false;
		return;
	}
	put_str(f, IFLA_INFO_KIND, kind);
	if (f->ok)
		mnl_attr_nest_end(f->nlh, nest);
}

int unetd_fill_link(char *buf, size_t len, struct net_device *dev, int type, u32 seq, u16 flags,
		    unsigned int change)
{
	struct fill f = {.len = len, .ok = true};
	struct ifinfomsg *ifi;

	if (len < MNL_NLMSG_HDRLEN + MNL_ALIGN(sizeof(*ifi)))
		return -EMSGSIZE;
	memset(buf, 0, MNL_NLMSG_HDRLEN + MNL_ALIGN(sizeof(*ifi)));
	f.nlh = mnl_nlmsg_put_header(buf);
	f.nlh->nlmsg_type = (u16)type;
	f.nlh->nlmsg_flags = flags;
	f.nlh->nlmsg_seq = seq;
	ifi = mnl_nlmsg_put_extra_header(f.nlh, sizeof(*ifi));
	ifi->ifi_family = AF_UNSPEC;
	ifi->ifi_type = dev->type;
	ifi->ifi_index = dev->ifindex;
	ifi->ifi_flags = dev_get_flags(dev);
	ifi->ifi_change = change;
	put_str(&f, IFLA_IFNAME, dev->name);
	fill_mtu_queues(&f, dev);
	fill_carrier(&f, dev);
	put_str(&f, IFLA_QDISC, dev_qdisc_kind(dev));
	fill_addresses(&f, dev);
	fill_master(&f, dev);
	fill_stats(&f, dev);
	fill_linkinfo(&f, dev);
	return f.ok ? (int)f.nlh->nlmsg_len : -EMSGSIZE;
}
