// SPDX-License-Identifier: MIT
/*
 * pktgen.c - test traffic on request (a small cousin of the kernel's
 * net/core/pktgen.c): UNETD_MSG_PKTGEN makes COUNT Ethernet frames and hands
 * them to dev_queue_xmit() on the device, from the daemon's thread. With a
 * veth pair whose other end is a bridge port, this is a host sending into
 * the bridge. See tools/common/uapi.h for the message.
 */
#include <arpa/inet.h>
#include <string.h>

#include "unetd.h"

#define PKTGEN_ETH_P 0x88b5 /* IEEE local experimental */

struct pktgen_req {
	u32 count, len;
	unsigned char dst[ETH_ALEN], src[ETH_ALEN];
	bool have_src;
};

static int pktgen_attr(const struct nlattr *a, void *data)
{
	struct pktgen_req *p = data;
	size_t n = mnl_attr_get_payload_len(a);

	switch (mnl_attr_get_type(a)) {
	case UNETD_PKTGEN_COUNT:
	case UNETD_PKTGEN_LEN:
		if (n != sizeof(u32))
			return MNL_CB_ERROR;
		*(mnl_attr_get_type(a) == UNETD_PKTGEN_COUNT ? &p->count : &p->len) =
		    mnl_attr_get_u32(a);
		break;
	case UNETD_PKTGEN_DST:
	case UNETD_PKTGEN_SRC:
		if (n != ETH_ALEN)
			return MNL_CB_ERROR;
		memcpy(mnl_attr_get_type(a) == UNETD_PKTGEN_DST ? p->dst : p->src,
		       mnl_attr_get_payload(a), ETH_ALEN);
		p->have_src |= mnl_attr_get_type(a) == UNETD_PKTGEN_SRC;
		break;
	default:
		break;
	}
	return MNL_CB_OK;
}

static int pktgen_parse(const struct nlmsghdr *nlh, struct pktgen_req *p,
			struct netlink_ext_ack *extack)
{
	*p = (struct pktgen_req){.count = 1, .len = ETH_ZLEN};
	memset(p->dst, 0xff, ETH_ALEN);
	if (mnl_nlmsg_get_payload_len(nlh) < sizeof(struct ifinfomsg)) {
		NL_SET_ERR_MSG(extack, "Invalid header for pktgen request");
		return -EINVAL;
	}
	if (mnl_attr_parse(nlh, sizeof(struct ifinfomsg), pktgen_attr, p) < 0) {
		NL_SET_ERR_MSG(extack, "Attribute failed policy validation");
		return -ERANGE;
	}
	if (!p->count || p->count > UNETD_PKTGEN_MAX_COUNT || p->len < ETH_ZLEN ||
	    p->len > ETH_FRAME_LEN) {
		NL_SET_ERR_MSG(extack, "pktgen count or length out of range");
		return -EINVAL;
	}
	return 0;
}

static struct sk_buff *pktgen_frame(struct net_device *dev, const struct pktgen_req *p)
{
	struct sk_buff *skb = netdev_alloc_skb(dev, p->len);
	struct ethhdr *eth;

	if (!skb)
		return NULL;
	eth = skb_put(skb, ETH_HLEN);
	memcpy(eth->h_dest, p->dst, ETH_ALEN);
	memcpy(eth->h_source, p->have_src ? p->src : dev->dev_addr, ETH_ALEN);
	eth->h_proto = htons(PKTGEN_ETH_P);
	memset(skb_put(skb, p->len - ETH_HLEN), 0x5a, p->len - ETH_HLEN);
	return skb;
}

int unetd_pktgen(const struct nlmsghdr *nlh, struct netlink_ext_ack *extack)
{
	const struct ifinfomsg *ifi = mnl_nlmsg_get_payload(nlh);
	struct net_device *dev;
	struct pktgen_req p;
	struct sk_buff *skb;
	int err = pktgen_parse(nlh, &p, extack);

	if (err)
		return err;
	dev = dev_get_by_index(&init_net, ifi->ifi_index);
	if (!dev) {
		NL_SET_ERR_MSG(extack, "Device not found");
		return -ENODEV;
	}
	if (!netif_running(dev)) {
		NL_SET_ERR_MSG(extack, "Device is down");
		err = -ENETDOWN;
	}
	for (u32 i = 0; !err && i < p.count; i++) {
		skb = pktgen_frame(dev, &p);
		if (!skb)
			err = -ENOMEM;
		else
			dev_queue_xmit(skb); /* drops are the device's to count */
	}
	dev_put(dev);
	return err;
}
