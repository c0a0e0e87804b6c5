// SPDX-License-Identifier: MIT
/*
 * rtnl_neigh.c - RTM_GETNEIGH dumps of AF_BRIDGE neighbours, the bridge
 * forwarding database (kernel net/core/rtnetlink.c: rtnl_fdb_dump,
 * valid_fdb_dump_legacy, ndo_dflt_fdb_dump, nlmsg_populate_fdb_fill;
 * net/bridge/br_fdb.c: br_fdb_dump, fdb_fill_info, fdb_to_nud).
 *
 * For every device in ifindex order: the entries its bridge has learned or
 * owns for it (when it is a port; NDA_MASTER names the bridge), then its own
 * unicast and multicast addresses (NTF_SELF, NUD_PERMANENT); for a bridge,
 * its own addresses and then the FDB entries of the bridge itself. The
 * request is an ifinfomsg (iproute2: ifi_index = brport, IFLA_MASTER = br)
 * or an ndmsg (ndm_ifindex, NDA_MASTER). Other families have no neighbours
 * here: the dump is empty. The whole dump is queued at once.
 */
#include <linux/neighbour.h>
#include <stdlib.h>
#include <string.h>

#include <unetdev/if_bridge.h>

#include "unetd.h"

#ifndef AF_BRIDGE
#define AF_BRIDGE 7
#endif

struct fdb_dump {
	struct unetd_client *c;
	u32 seq;
	char *buf;
	size_t off;
	int err;
	struct net_device *br; /* the bridge of the entries being sent */
};

/* Queue the record in progress. */
static void dump_flush(struct fdb_dump *d)
{
	if (d->off && !d->err)
		d->err = unetd_queue(d->c, d->buf, d->off);
	d->off = 0;
}

/* A new RTM_NEWNEIGH in the record; a full record is queued first. */
static struct nlmsghdr *dump_msg(struct fdb_dump *d, size_t need)
{
	struct nlmsghdr *nlh;

	if (UNETD_MSG_MAX - d->off < need)
		dump_flush(d);
	memset(d->buf + d->off, 0, MNL_NLMSG_HDRLEN);
	nlh = mnl_nlmsg_put_header(d->buf + d->off);
	nlh->nlmsg_type = RTM_NEWNEIGH;
	nlh->nlmsg_flags = NLM_F_MULTI;
	nlh->nlmsg_seq = d->seq;
	return nlh;
}

static struct ndmsg *put_ndmsg(struct nlmsghdr *nlh, int ifindex, u8 flags, u16 state)
{
	struct ndmsg *ndm = mnl_nlmsg_put_extra_header(nlh, sizeof(*ndm));

	memset(ndm, 0, sizeof(*ndm));
	ndm->ndm_family = AF_BRIDGE;
	ndm->ndm_ifindex = ifindex;
	ndm->ndm_flags = flags;
	ndm->ndm_state = state;
	return ndm;
}

#define FDB_MSG_MAX 128 /* header, ndmsg, lladdr, master, cacheinfo, vlan */

/* fdb_fill_info */
static int put_fdb(const struct unetdev_br_fdb_info *fi, void *arg)
{
	struct fdb_dump *d = arg;
	struct nlmsghdr *nlh = dump_msg(d, FDB_MSG_MAX);
	unsigned int hz = unetdev_hz();
	struct nda_cacheinfo ci = {
	    .ndm_used = (u32)(fi->used * USER_HZ / hz),
	    .ndm_updated = (u32)(fi->updated * USER_HZ / hz),
	};
	u16 state = fi->is_local    ? NUD_PERMANENT
		    : fi->is_static ? NUD_NOARP
		    : fi->expired   ? NUD_STALE
				    : NUD_REACHABLE;

	put_ndmsg(nlh, fi->ifindex, 0, state);
	mnl_attr_put(nlh, NDA_LLADDR, ETH_ALEN, fi->addr);
	mnl_attr_put_u32(nlh, NDA_MASTER, (u32)d->br->ifindex);
	mnl_attr_put(nlh, NDA_CACHEINFO, sizeof(ci), &ci);
	if (fi->vid)
		mnl_attr_put_u16(nlh, NDA_VLAN, fi->vid);
	d->off += nlh->nlmsg_len;
	return 0;
}

/* nlmsg_populate_fdb over one address list (ndo_dflt_fdb_dump). */
static void put_self(struct fdb_dump *d, struct net_device *dev, struct netdev_hw_addr_list *l)
    UNETDEV_NO_TSA /* netif_addr_lock_bh held by the caller */
{
	struct netdev_hw_addr *ha;
	struct nlmsghdr *nlh;

	list_for_each_entry (ha, &l->list, list) {
		nlh = dump_msg(d, FDB_MSG_MAX);
		put_ndmsg(nlh, dev->ifindex, NTF_SELF, NUD_PERMANENT);
		mnl_attr_put(nlh, NDA_LLADDR, dev->addr_len, ha->addr);
		d->off += nlh->nlmsg_len;
	}
}

static void dflt_fdb_dump(struct fdb_dump *d, struct net_device *dev) UNETDEV_MUST_HOLD(rtnl_mutex)
{
	if (dev->type != ARPHRD_ETHER)
		return;
	netif_addr_lock_bh(dev);
	put_self(d, dev, &dev->uc);
	put_self(d, dev, &dev->mc);
	netif_addr_unlock_bh(dev);
}

/* br_fdb_dump: @filter NULL for the bridge's own entries, else the port's. */
static void br_dump(struct fdb_dump *d, struct net_device *br, struct net_device *filter)
    UNETDEV_MUST_HOLD(rtnl_mutex)
{
	unsigned int idx = 0;

	d->br = br;
	unetdev_br_fdb_dump(br, filter, &idx, put_fdb, d);
}

/* The filters of the request: bridge and port ifindex (0: any). */
static int parse_filters(const struct nlmsghdr *nlh, int *br_idx, int *port_idx, int *family,
			 struct netlink_ext_ack *extack)
{
	size_t len = mnl_nlmsg_get_payload_len(nlh);
	const struct nlattr *a;

	*br_idx = *port_idx = 0;
	if (len >= sizeof(struct ifinfomsg)) { /* valid_fdb_dump_legacy */
		const struct ifinfomsg *ifi = mnl_nlmsg_get_payload(nlh);

		*family = ifi->ifi_family;
		*port_idx = ifi->ifi_index;
		mnl_attr_for_each(a, nlh,
				  sizeof(*ifi)) if (mnl_attr_get_type(a) == IFLA_MASTER &&
						    mnl_attr_get_payload_len(a) == 4) *br_idx =
		    (int)mnl_attr_get_u32(a);
	} else if (len >= sizeof(struct ndmsg)) {
		const struct ndmsg *ndm = mnl_nlmsg_get_payload(nlh);

		*family = ndm->ndm_family;
		*port_idx = ndm->ndm_ifindex;
		mnl_attr_for_each(a, nlh,
				  sizeof(*ndm)) if (mnl_attr_get_type(a) == NDA_MASTER &&
						    mnl_attr_get_payload_len(a) == 4) *br_idx =
		    (int)mnl_attr_get_u32(a);
	} else {
		NL_SET_ERR_MSG(extack, "Invalid header for fdb dump request");
		return -EINVAL;
	}
	return 0;
}

/* The loop of rtnl_fdb_dump. */
static int fdb_dump_devices(struct fdb_dump *d, int br_idx, int port_idx,
			    struct netlink_ext_ack *extack) UNETDEV_MUST_HOLD(rtnl_mutex)
{
	struct net_device *br_dev = NULL, *dev, *master;

	if (br_idx) {
		br_dev = __dev_get_by_index(&init_net, br_idx);
		if (!br_dev) {
			NL_SET_ERR_MSG(extack, "Bridge device not found");
			return -ENODEV;
		}
	}
	for_each_netdev (&init_net, dev) {
		if (port_idx && dev->ifindex != port_idx)
			continue;
		master = netif_is_bridge_port(dev) ? netdev_master_upper_dev_get(dev) : NULL;
		if (br_dev && dev != br_dev && master != br_dev)
			continue;
		if (master)
			br_dump(d, master, dev);
		dflt_fdb_dump(d, dev);
		if (netif_is_bridge_master(dev))
			br_dump(d, dev, NULL);
	}
	return 0;
}

int unetd_fdb_dump(struct unetd_client *c, const struct nlmsghdr *nlh,
		   struct netlink_ext_ack *extack)
{
	struct fdb_dump d = {.c = c, .seq = nlh->nlmsg_seq};
	int br_idx, port_idx, family, err;
	struct nlmsghdr *done;

	err = parse_filters(nlh, &br_idx, &port_idx, &family, extack);
	if (err)
		return err;
	d.buf = malloc(UNETD_MSG_MAX);
	if (!d.buf)
		return -ENOMEM;
	if (family == AF_BRIDGE || family == AF_UNSPEC) {
		rtnl_lock();
		err = fdb_dump_devices(&d, br_idx, port_idx, extack);
		rtnl_unlock();
	}
	if (!err) {
		done = dump_msg(&d, MNL_NLMSG_HDRLEN + sizeof(int));
		done->nlmsg_type = NLMSG_DONE;
		memset(mnl_nlmsg_put_extra_header(done, sizeof(int)), 0, sizeof(int));
		d.off += done->nlmsg_len;
		dump_flush(&d);
		err = d.err;
	}
	free(d.buf);
	return err;
}
