// SPDX-License-Identifier: MIT
/*
 * rtnl_ops.c - the link requests (kernel net/core/rtnetlink.c: rtnl_newlink,
 * rtnl_dellink, rtnl_getlink, rtnl_dump_ifinfo, rtnl_setlink/do_setlink,
 * ifla_policy), parsed with libmnl and carried out under rtnl with the
 * library's API. Every failure is an NLMSG_ERROR with -errno and, where the
 * kernel would give one, an extended-ack message.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "unetd.h"

struct link_req {
	const struct nlmsghdr *nlh;
	const struct ifinfomsg *ifi;
	struct nlattr *tb[IFLA_MAX + 1];
	struct nlattr *kind, *info_data; /* from IFLA_LINKINFO */
	struct netlink_ext_ack extack;
	char ifname[IFNAMSIZ];
};

/* ifla_policy: what each attribute must look like; 0 = not checked. */
struct ifla_pol {
	enum mnl_attr_data_type type;
	u16 max; /* strings: length without NUL; binary: payload */
};

static const struct ifla_pol ifla_policy[IFLA_MAX + 1] = {
    [IFLA_IFNAME] = {MNL_TYPE_STRING, IFNAMSIZ - 1},
    [IFLA_ADDRESS] = {MNL_TYPE_BINARY, MAX_ADDR_LEN},
    [IFLA_BROADCAST] = {MNL_TYPE_BINARY, MAX_ADDR_LEN},
    [IFLA_MTU] = {MNL_TYPE_U32, 0},
    [IFLA_LINK] = {MNL_TYPE_U32, 0},
    [IFLA_TXQLEN] = {MNL_TYPE_U32, 0},
    [IFLA_GROUP] = {MNL_TYPE_U32, 0},
    [IFLA_NUM_TX_QUEUES] = {MNL_TYPE_U32, 0},
    [IFLA_NUM_RX_QUEUES] = {MNL_TYPE_U32, 0},
    [IFLA_OPERSTATE] = {MNL_TYPE_U8, 0},
    [IFLA_LINKMODE] = {MNL_TYPE_U8, 0},
    [IFLA_CARRIER] = {MNL_TYPE_U8, 0},
    [IFLA_LINKINFO] = {MNL_TYPE_NESTED, 0},
    [IFLA_IFALIAS] = {MNL_TYPE_STRING, IFALIASZ - 1},
    [IFLA_MASTER] = {MNL_TYPE_U32, 0},
};

struct parse_ctx {
	struct nlattr **tb;
	unsigned int max;
	const struct ifla_pol *pol;
	const char *end; /* end of the last well-formed attribute */
	int err;
	struct netlink_ext_ack *extack;
};

static int attr_check(const struct nlattr *a, const struct ifla_pol *p)
{
	size_t n = mnl_attr_get_payload_len(a);

	if (p->type == MNL_TYPE_UNSPEC)
		return 0;
	if (mnl_attr_validate(a, p->type) < 0)
		return -errno;
	if (p->type == MNL_TYPE_STRING && n && !((const char *)mnl_attr_get_payload(a))[n - 1])
		n--; /* the kernel's NLA_STRING: a trailing NUL is not part of the length */
	if (p->max && n > p->max)
		return -ERANGE;
	return 0;
}

static int parse_cb(const struct nlattr *a, void *data)
{
	struct parse_ctx *ctx = data;
	unsigned int type = mnl_attr_get_type(a);
	int err;

	ctx->end = (const char *)a + MNL_ALIGN(a->nla_len);
	if (type > ctx->max)
		return MNL_CB_OK; /* liberal, as the kernel: unknown attributes are ignored */
	err = ctx->pol ? attr_check(a, &ctx->pol[type]) : 0;
	if (err) {
		ctx->err = err;
		NL_SET_ERR_MSG(ctx->extack, "Attribute failed policy validation");
		return MNL_CB_ERROR;
	}
	ctx->tb[type] = (struct nlattr *)a;
	return MNL_CB_OK;
}

/* Leftover bytes (an attribute running past its container) are -EINVAL; the
 * last attribute's padding may lie past @end, as in the kernel's nla_parse. */
static int parse_finish(struct parse_ctx *ctx, int ret, const char *end)
{
	if (ctx->err)
		return ctx->err;
	if (ret < 0 || ctx->end < end) {
		NL_SET_ERR_MSG(ctx->extack, "bytes leftover after parsing attributes");
		return -EINVAL;
	}
	return 0;
}

static int parse_linkinfo(struct link_req *r)
{
	static const struct ifla_pol info_pol[IFLA_INFO_MAX + 1] = {
	    [IFLA_INFO_KIND] = {MNL_TYPE_STRING, 63},
	    [IFLA_INFO_DATA] = {MNL_TYPE_NESTED, 0},
	};
	struct nlattr *tb[IFLA_INFO_MAX + 1] = {NULL};
	const struct nlattr *li = r->tb[IFLA_LINKINFO];
	struct parse_ctx ctx = {tb, IFLA_INFO_MAX, info_pol, mnl_attr_get_payload(li),
				0,  &r->extack};
	int ret;

	ret = mnl_attr_parse_nested(li, parse_cb, &ctx);
	ret = parse_finish(&ctx, ret, (const char *)li + MNL_ALIGN(li->nla_len));
	r->kind = tb[IFLA_INFO_KIND];
	r->info_data = tb[IFLA_INFO_DATA];
	return ret;
}

static int parse_link_req(struct link_req *r, const struct nlmsghdr *nlh)
{
	struct parse_ctx ctx = {r->tb, IFLA_MAX, ifla_policy, NULL, 0, &r->extack};
	int ret;

	r->nlh = nlh;
	if (nlh->nlmsg_len < MNL_NLMSG_HDRLEN + sizeof(struct ifinfomsg)) {
		NL_SET_ERR_MSG(&r->extack, "Invalid header for link request");
		return -EINVAL;
	}
	r->ifi = mnl_nlmsg_get_payload(nlh);
	ctx.end = (const char *)mnl_nlmsg_get_payload_offset(nlh, sizeof(struct ifinfomsg));
	/* Exactly nlmsg_len bytes (mnl_attr_parse would read up to its aligned end,
	 * past the record when nlmsg_len is not a multiple of 4). */
	ret = mnl_attr_parse_payload(
	    ctx.end, nlh->nlmsg_len - (size_t)(ctx.end - (const char *)nlh), parse_cb, &ctx);
	ret = parse_finish(&ctx, ret, (const char *)nlh + nlh->nlmsg_len);
	if (!ret && r->tb[IFLA_IFNAME])
		snprintf(r->ifname, sizeof(r->ifname), "%.*s",
			 (int)mnl_attr_get_payload_len(r->tb[IFLA_IFNAME]),
			 (const char *)mnl_attr_get_payload(r->tb[IFLA_IFNAME]));
	if (!ret && r->tb[IFLA_LINKINFO])
		ret = parse_linkinfo(r);
	return ret;
}

/* By ifi_index, else by IFLA_IFNAME (rtnl_dev_get). No reference taken. */
static struct net_device *find_dev(struct link_req *r, bool by_name) UNETDEV_MUST_HOLD(rtnl_mutex)
{
	if (r->ifi->ifi_index > 0)
		return __dev_get_by_index(&init_net, r->ifi->ifi_index);
	if (by_name && r->ifname[0])
		return __dev_get_by_name(&init_net, r->ifname);
	return NULL;
}

static int need_dev(struct link_req *r, struct net_device **dev) UNETDEV_MUST_HOLD(rtnl_mutex)
{
	if (r->ifi->ifi_index <= 0 && !r->ifname[0]) {
		NL_SET_ERR_MSG(&r->extack, "Device name or index is required");
		return -EINVAL;
	}
	*dev = find_dev(r, true);
	if (!*dev) {
		NL_SET_ERR_MSG(&r->extack, "Device not found");
		return -ENODEV;
	}
	return 0;
}

/* rtnl_dev_combine_flags */
static unsigned int combine_flags(const struct net_device *dev, const struct ifinfomsg *ifi)
{
	unsigned int flags = dev_get_flags(dev);

	if (ifi->ifi_change)
		flags = (flags & ~ifi->ifi_change) | (ifi->ifi_flags & ifi->ifi_change);
	return flags;
}

static int set_address(struct net_device *dev, struct link_req *r) UNETDEV_MUST_HOLD(rtnl_mutex)
{
	struct sockaddr_hw sa = {.sa_family = dev->type};
	const struct nlattr *a = r->tb[IFLA_ADDRESS];

	if (mnl_attr_get_payload_len(a) < dev->addr_len) {
		NL_SET_ERR_MSG(&r->extack, "Invalid link address");
		return -EINVAL;
	}
	memcpy(sa.sa_data, mnl_attr_get_payload(a), dev->addr_len);
	return dev_set_mac_address(dev, &sa, &r->extack);
}

static int set_name(struct net_device *dev, struct link_req *r) UNETDEV_MUST_HOLD(rtnl_mutex)
{
	if (r->ifi->ifi_index <= 0 || !strcmp(dev->name, r->ifname))
		return 0; /* the name was the lookup key */
	if (!dev_valid_name(r->ifname)) {
		NL_SET_ERR_MSG(&r->extack, "Invalid device name");
		return -EINVAL;
	}
	return dev_change_name(dev, r->ifname);
}

/* IFLA_MASTER: do_set_master (0 = nomaster). */
static int set_master(struct net_device *dev, struct link_req *r) UNETDEV_MUST_HOLD(rtnl_mutex)
{
	return unetdev_dev_set_master(dev, (int)mnl_attr_get_u32(r->tb[IFLA_MASTER]), &r->extack);
}

/* do_setlink, in the kernel's order. */
static int do_setlink(struct net_device *dev, struct link_req *r) UNETDEV_MUST_HOLD(rtnl_mutex)
{
	struct nlattr **tb = r->tb;
	int err = 0;

	if (tb[IFLA_IFNAME])
		err = set_name(dev, r);
	if (!err && tb[IFLA_ADDRESS])
		err = set_address(dev, r);
	if (!err && tb[IFLA_MTU])
		err = dev_set_mtu_ext(dev, (int)mnl_attr_get_u32(tb[IFLA_MTU]), &r->extack);
	if (!err && tb[IFLA_GROUP])
		dev->group = (int)mnl_attr_get_u32(tb[IFLA_GROUP]);
	if (!err && (r->ifi->ifi_flags || r->ifi->ifi_change))
		err = dev_change_flags(dev, combine_flags(dev, r->ifi), &r->extack);
	if (!err && tb[IFLA_MASTER])
		err = set_master(dev, r);
	if (!err && tb[IFLA_TXQLEN])
		err = dev_change_tx_queue_len(dev, mnl_attr_get_u32(tb[IFLA_TXQLEN]));
	if (!err && tb[IFLA_CARRIER])
		err = dev_change_carrier(dev, mnl_attr_get_u8(tb[IFLA_CARRIER]));
	return err;
}

static int rtnl_setlink(struct unetd_client *c, struct link_req *r) UNETDEV_EXCLUDES(rtnl_mutex)
{
	struct net_device *dev;
	int err;

	rtnl_lock();
	err = need_dev(r, &dev);
	if (!err)
		err = do_setlink(dev, r);
	rtnl_unlock();
	return err;
}

static int configure_new(struct link_req *r, int ifindex) UNETDEV_EXCLUDES(rtnl_mutex)
{
	struct net_device *dev;
	int err = 0;

	if (!r->ifi->ifi_flags && !r->ifi->ifi_change)
		return 0;
	rtnl_lock();
	dev = __dev_get_by_index(&init_net, ifindex);
	if (dev) {
		err = dev_change_flags(dev, combine_flags(dev, r->ifi), &r->extack);
		if (err)
			unetdev_rtnl_link_delete(dev, NULL);
	}
	rtnl_unlock();
	return err;
}

/* rtnl_newlink_create: a new link's IFLA_MASTER; on failure the link goes again. */
static int new_master(struct link_req *r, int ifindex) UNETDEV_EXCLUDES(rtnl_mutex)
{
	struct net_device *dev;
	int err = 0;

	if (!r->tb[IFLA_MASTER])
		return 0;
	rtnl_lock();
	dev = __dev_get_by_index(&init_net, ifindex);
	if (dev) {
		err = set_master(dev, r);
		if (err)
			unetdev_rtnl_link_delete(dev, NULL);
	}
	rtnl_unlock();
	return err;
}

static int rtnl_newlink(struct unetd_client *c, struct link_req *r) UNETDEV_EXCLUDES(rtnl_mutex)
{
	char kind[64] = "";
	struct net_device *dev;
	int err = 0, ifindex = 0;

	rtnl_lock();
	dev = find_dev(r, true);
	if (dev && (r->nlh->nlmsg_flags & NLM_F_EXCL)) {
		NL_SET_ERR_MSG(&r->extack, "Device name already in use");
		err = -EEXIST;
	} else if (dev) {
		err = do_setlink(dev, r);
	} else if (r->ifi->ifi_index > 0 || !(r->nlh->nlmsg_flags & NLM_F_CREATE)) {
		err = -ENODEV;
	}
	rtnl_unlock();
	if (err || dev)
		return err;
	if (!r->kind) {
		NL_SET_ERR_MSG(&r->extack, "Link type (IFLA_INFO_KIND) missing");
		return -EOPNOTSUPP;
	}
	snprintf(kind, sizeof(kind), "%.*s", (int)mnl_attr_get_payload_len(r->kind),
		 (const char *)mnl_attr_get_payload(r->kind));
	err = unetdev_rtnl_link_create(&init_net, kind, r->ifname[0] ? r->ifname : NULL, r->tb,
				       r->info_data, &r->extack, &ifindex);
	if (!err)
		err = configure_new(r, ifindex);
	return err ? err : new_master(r, ifindex);
}

static int rtnl_dellink(struct unetd_client *c, struct link_req *r) UNETDEV_EXCLUDES(rtnl_mutex)
{
	struct net_device *dev;
	int err;

	rtnl_lock();
	err = need_dev(r, &dev);
	if (!err)
		err = unetdev_rtnl_link_delete(dev, &r->extack);
	rtnl_unlock(); /* the unregistration completes here */
	return err;
}

static int rtnl_getlink(struct unetd_client *c, struct link_req *r) UNETDEV_EXCLUDES(rtnl_mutex)
{
	char *buf = malloc(UNETD_MSG_MAX);
	struct net_device *dev;
	int err;

	if (!buf)
		return -ENOMEM;
	rtnl_lock();
	err = need_dev(r, &dev);
	if (!err)
		err =
		    unetd_fill_link(buf, UNETD_MSG_MAX, dev, RTM_NEWLINK, r->nlh->nlmsg_seq, 0, 0);
	rtnl_unlock();
	if (err > 0)
		err = unetd_queue(c, buf, (size_t)err);
	free(buf);
	return err;
}

/* ---- dumps (rtnl_dump_ifinfo): one record per call, then NLMSG_DONE ---- */

static size_t dump_fill(struct unetd_client *c, char *buf) UNETDEV_MUST_HOLD(rtnl_mutex)
{
	struct net_device *dev;
	size_t off = 0;
	int n;

	for_each_netdev (&init_net, dev) {
		if (dev->ifindex < c->dump.next_ifindex)
			continue;
		n = unetd_fill_link(buf + off, UNETD_MSG_MAX - off, dev, RTM_NEWLINK, c->dump.seq,
				    NLM_F_MULTI, 0);
		if (n < 0)
			return off; /* full: the rest next time */
		off += (size_t)n;
		c->dump.next_ifindex = dev->ifindex + 1;
	}
	c->dump.next_ifindex = -1; /* every device sent */
	return off;
}

static size_t dump_done(struct unetd_client *c, char *buf, size_t off)
{
	struct nlmsghdr *nlh;

	if (UNETD_MSG_MAX - off < MNL_NLMSG_HDRLEN + sizeof(int))
		return off;
	memset(buf + off, 0, MNL_NLMSG_HDRLEN + sizeof(int));
	nlh = mnl_nlmsg_put_header(buf + off);
	nlh->nlmsg_type = NLMSG_DONE;
	nlh->nlmsg_flags = NLM_F_MULTI;
	nlh->nlmsg_seq = c->dump.seq;
	mnl_nlmsg_put_extra_header(nlh, sizeof(int));
	c->dump.active = false;
	return off + nlh->nlmsg_len;
}

void unetd_dump_continue(struct unetd_client *c)
{
	char *buf = malloc(UNETD_MSG_MAX);
	size_t off = 0;

	if (!buf)
		return; /* retried on the next POLLOUT */
	if (c->dump.next_ifindex >= 0) {
		rtnl_lock();
		off = dump_fill(c, buf);
		rtnl_unlock();
	}
	if (c->dump.next_ifindex < 0)
		off = dump_done(c, buf, off);
	if (off)
		unetd_queue(c, buf, off);
	free(buf);
}

static int start_dump(struct unetd_client *c, const struct nlmsghdr *nlh)
{
	if (nlh->nlmsg_len < MNL_NLMSG_HDRLEN + sizeof(struct rtgenmsg))
		return -EINVAL;
	c->dump = (struct unetd_dump){.active = true, .seq = nlh->nlmsg_seq};
	unetd_dump_continue(c);
	return 0;
}

static int set_membership(struct unetd_client *c, const struct nlmsghdr *nlh,
			  struct netlink_ext_ack *extack)
{
	const struct unetd_sockopt *opt = mnl_nlmsg_get_payload(nlh);

	if (mnl_nlmsg_get_payload_len(nlh) < sizeof(*opt)) {
		NL_SET_ERR_MSG(extack, "Invalid header for setsockopt request");
		return -EINVAL;
	}
	if (opt->level != SOL_NETLINK || opt->group != RTNLGRP_LINK ||
	    (opt->optname != NETLINK_ADD_MEMBERSHIP && opt->optname != NETLINK_DROP_MEMBERSHIP)) {
		NL_SET_ERR_MSG(extack, "Only RTNLGRP_LINK membership is supported");
		return -ENOPROTOOPT;
	}
	c->monitor = opt->optname == NETLINK_ADD_MEMBERSHIP;
	return 0;
}

static int link_doit(struct unetd_client *c, const struct nlmsghdr *nlh, struct link_req *r)
{
	int err = parse_link_req(r, nlh);

	if (err)
		return err;
	switch (nlh->nlmsg_type) {
	case RTM_NEWLINK:
		return rtnl_newlink(c, r);
	case RTM_DELLINK:
		return rtnl_dellink(c, r);
	case RTM_SETLINK:
		return rtnl_setlink(c, r);
	default:
		return rtnl_getlink(c, r);
	}
}

void unetd_rtnl_rcv_msg(struct unetd_client *c, const struct nlmsghdr *nlh)
{
	struct link_req r;
	int err;

	memset(&r, 0, sizeof(r));
	switch (nlh->nlmsg_type) {
	case RTM_GETLINK:
		if (nlh->nlmsg_flags & NLM_F_DUMP) {
			err = start_dump(c, nlh);
			if (!err)
				return; /* NLMSG_DONE ends it; no ACK (netlink_dump_start) */
			NL_SET_ERR_MSG(&r.extack, "Invalid header for link dump request");
			break;
		}
		__attribute__((fallthrough));
	case RTM_NEWLINK:
	case RTM_DELLINK:
	case RTM_SETLINK:
		err = link_doit(c, nlh, &r);
		break;
	case RTM_GETNEIGH:
		if (nlh->nlmsg_flags & NLM_F_DUMP) {
			err = unetd_fdb_dump(c, nlh, &r.extack);
			if (!err)
				return; /* NLMSG_DONE ends it */
			break;
		}
		NL_SET_ERR_MSG(&r.extack, "Only dumps of the bridge FDB are supported");
		err = -EOPNOTSUPP;
		break;
	case UNETD_MSG_PKTGEN:
		err = unetd_pktgen(nlh, &r.extack);
		break;
	case UNETD_MSG_SETSOCKOPT:
		err = set_membership(c, nlh, &r.extack);
		break;
	case UNETD_MSG_NEWMODULE:
	case UNETD_MSG_DELMODULE:
	case UNETD_MSG_GETMODULE:
		err = unetd_module_rcv_msg(c, nlh, &r.extack);
		if (err == UNETD_REPLIED)
			return;
		break;
	case UNETD_MSG_CAPTURE:
		err = unetd_capture_start(c, nlh, &r.extack);
		break;
	default:
		NL_SET_ERR_MSG(&r.extack, "Unknown message type");
		err = -EOPNOTSUPP;
		break;
	}
	if (err < 0 || (nlh->nlmsg_flags & NLM_F_ACK))
		unetd_send_error(c, nlh, err < 0 ? err : 0, err < 0 ? r.extack._msg : NULL);
}
