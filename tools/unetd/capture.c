// SPDX-License-Identifier: MIT
/*
 * capture.c - "unet capture": a ptype_all tap on one device whose frames,
 * both directions, go to a client as UNETD_MSG_CAPTURE messages (kernel
 * net/packet/af_packet.c: packet_rcv for a socket bound to a device,
 * packet_notifier for the device going away).
 *
 * Who touches what:
 *   a) the tap function runs on datapath threads (the ptype read lock held):
 *      it copies the frame into a message on cap->pending under cap->lock,
 *      or counts a drop when CAP_PENDING_MAX are waiting, and kicks the main
 *      loop through the notification eventfd;
 *   b) the main loop moves pending messages to the client's queue, several
 *      per record, while the client keeps up (CAP_CLIENT_QUEUE records);
 *   c) NETDEV_UNREGISTER (under rtnl, any thread) removes the tap and puts the
 *      device reference, so unregistration never waits for a capture; the
 *      client gets NLMSG_DONE -ENODEV;
 *   d) the client closing removes the tap and puts the device-model handle:
 *      until then the device memory stays (R-ALLOC-23/24), as an open sysfs
 *      file keeps it.
 * The capture list is guarded by rtnl; cap->dev too.
 */
#include <arpa/inet.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <unetdev/if_ether.h>

#include "unetd.h"

#define CAP_PENDING_MAX	 4096 /* frames waiting for the main loop */
#define CAP_CLIENT_QUEUE 32   /* records queued on the client before we wait */

struct unetd_capture {
	struct unetd_capture *next; /* rtnl */
	struct unetd_client *client;
	struct packet_type pt;
	struct net_device *dev; /* held while the tap is in (rtnl) */
	struct unetdev_attr *handle;
	struct unetd_module *mod;
	u32 seq, count, sent, snaplen;
	bool done; /* NLMSG_DONE queued (main thread) */
	pthread_mutex_t lock;
	struct unetd_rec *pending, **tail; /* lock */
	unsigned int npending;		   /* lock */
	u32 drops;			   /* lock */
	int end_err;			   /* lock: -ENODEV once the device went away */
	bool ended;			   /* lock */
};

static struct unetd_capture *captures; /* rtnl */

static void kick(void)
{
	u64 one = 1;

	if (write(unetd_notify_fd(), &one, sizeof(one)) < 0) {
		/* saturated: a wakeup is pending anyway */
	}
}

/* The frame from its MAC header, the VLAN tag put back in (as libpcap does). */
static size_t frame_copy(const struct sk_buff *skb, unsigned char *to, size_t snap, u32 *wire)
{
	const unsigned char *start =
	    skb->pkt_type == PACKET_OUTGOING ? skb->data : skb_mac_header(skb);
	size_t len = (size_t)(skb->data + skb_headlen(skb) - start), n, off = 0;
	unsigned char tag[4];

	*wire = (u32)(skb->len + (u32)(skb->data - start));
	if (skb->vlan_present && len >= 12) {
		memcpy(tag, &skb->vlan_proto, 2);
		tag[2] = (unsigned char)(skb->vlan_tci >> 8);
		tag[3] = (unsigned char)skb->vlan_tci;
		*wire += 4;
		n = snap < 12 ? snap : 12;
		memcpy(to, start, n);
		off = n;
		n = snap - off < 4 ? snap - off : 4;
		memcpy(to + off, tag, n);
		off += n;
		start += 12;
		len -= 12;
	}
	n = snap - off < len ? snap - off : len;
	memcpy(to + off, start, n);
	return off + n;
}

static struct unetd_rec *frame_msg(const struct unetd_capture *cap, const struct sk_buff *skb)
{
	size_t room = MNL_NLMSG_HDRLEN + 4 * MNL_ATTR_HDRLEN + 16 + MNL_ALIGN(cap->snaplen);
	struct unetd_rec *rec = malloc(sizeof(*rec) + room);
	struct nlmsghdr *nlh;
	struct nlattr *data;
	struct timespec ts;
	u32 wire;
	size_t n;

	if (!rec)
		return NULL;
	clock_gettime(CLOCK_REALTIME, &ts);
	memset(rec->data, 0, MNL_NLMSG_HDRLEN);
	nlh = mnl_nlmsg_put_header(rec->data);
	nlh->nlmsg_type = UNETD_MSG_CAPTURE;
	nlh->nlmsg_flags = NLM_F_MULTI;
	nlh->nlmsg_seq = cap->seq;
	mnl_attr_put_u64(nlh, UNETD_CAPA_TSTAMP, (u64)ts.tv_sec * 1000000000ull + (u64)ts.tv_nsec);
	mnl_attr_put_u8(nlh, UNETD_CAPA_PKTTYPE, skb->pkt_type);
	data = (struct nlattr *)mnl_nlmsg_get_payload_tail(nlh);
	n = frame_copy(skb, mnl_attr_get_payload(data), cap->snaplen, &wire);
	data->nla_type = UNETD_CAPA_DATA;
	data->nla_len = (u16)(MNL_ATTR_HDRLEN + n);
	nlh->nlmsg_len += MNL_ALIGN(data->nla_len);
	mnl_attr_put_u32(nlh, UNETD_CAPA_LEN, wire);
	rec->len = nlh->nlmsg_len;
	rec->next = NULL;
	return rec;
}

/* a) Consumes @skb. */
static int cap_rcv(struct sk_buff *skb, struct net_device *dev, struct packet_type *pt,
		   struct net_device *orig_dev)
{
	struct unetd_capture *cap = pt->af_packet_priv;
	struct unetd_rec *rec = frame_msg(cap, skb);

	consume_skb(skb);
	pthread_mutex_lock(&cap->lock);
	if (!rec || cap->npending >= CAP_PENDING_MAX || cap->ended) {
		cap->drops += !cap->ended;
		free(rec);
		rec = NULL;
	} else {
		*cap->tail = rec;
		cap->tail = &rec->next;
		cap->npending++;
	}
	pthread_mutex_unlock(&cap->lock);
	if (rec)
		kick();
	return 0;
}

static void unhook(struct unetd_capture *cap) UNETDEV_MUST_HOLD(rtnl_mutex)
{
	if (!cap->dev)
		return;
	__dev_remove_pack(&cap->pt); /* waits for every running cap_rcv */
	dev_put(cap->dev);
	cap->dev = NULL;
}

/* c) packet_notifier: the device goes, the tap and our reference with it. */
static int cap_netdev_event(struct notifier_block *nb, unsigned long event, void *ptr)
    UNETDEV_MUST_HOLD(rtnl_mutex)
{
	struct net_device *dev = netdev_notifier_info_to_dev(ptr);

	if (event != NETDEV_UNREGISTER)
		return NOTIFY_DONE;
	for (struct unetd_capture *cap = captures; cap; cap = cap->next) {
		if (cap->dev != dev)
			continue;
		unhook(cap);
		pthread_mutex_lock(&cap->lock);
		cap->ended = true;
		cap->end_err = -ENODEV;
		pthread_mutex_unlock(&cap->lock);
		kick();
	}
	return NOTIFY_DONE;
}

static struct notifier_block cap_nb = {.notifier_call = cap_netdev_event};

int unetd_capture_init(void)
{
	return register_netdevice_notifier(&cap_nb);
}

void unetd_capture_fini(void)
{
	unregister_netdevice_notifier(&cap_nb);
}

/* ---- start ---- */

static int cap_parse(const struct nlmsghdr *nlh, struct nlattr **tb, struct netlink_ext_ack *extack)
{
	const struct nlattr *a;

	mnl_attr_for_each(a, nlh, 0)
	{
		unsigned int type = mnl_attr_get_type(a);

		if (type > UNETD_CAPA_SNAPLEN || type == UNETD_CAPA_UNSPEC)
			continue;
		if ((type == UNETD_CAPA_IFNAME && (mnl_attr_validate(a, MNL_TYPE_NUL_STRING) < 0 ||
						   mnl_attr_get_payload_len(a) > IFNAMSIZ)) ||
		    (type != UNETD_CAPA_IFNAME && mnl_attr_validate(a, MNL_TYPE_U32) < 0)) {
			NL_SET_ERR_MSG(extack, "Attribute failed policy validation");
			return -ERANGE;
		}
		tb[type] = (struct nlattr *)a;
	}
	if (!tb[UNETD_CAPA_IFNAME]) {
		NL_SET_ERR_MSG(extack, "Device name (UNETD_CAPA_IFNAME) missing");
		return -EINVAL;
	}
	return 0;
}

static struct unetd_capture *cap_alloc(const struct nlmsghdr *nlh, struct nlattr **tb)
{
	struct unetd_capture *cap = calloc(1, sizeof(*cap));
	u32 snap = tb[UNETD_CAPA_SNAPLEN] ? mnl_attr_get_u32(tb[UNETD_CAPA_SNAPLEN]) : 0;

	if (!cap)
		return NULL;
	pthread_mutex_init(&cap->lock, NULL);
	cap->tail = &cap->pending;
	cap->seq = nlh->nlmsg_seq;
	cap->count = tb[UNETD_CAPA_COUNT] ? mnl_attr_get_u32(tb[UNETD_CAPA_COUNT]) : 0;
	cap->snaplen = snap && snap < UNETD_CAPTURE_SNAPLEN ? snap : UNETD_CAPTURE_SNAPLEN;
	cap->pt.type = htons(ETH_P_ALL);
	cap->pt.func = cap_rcv;
	cap->pt.af_packet_priv = cap;
	return cap;
}

/* The device-model handle first (it takes rtnl), then the device it names. */
static int cap_hook(struct unetd_capture *cap, const char *name, struct netlink_ext_ack *extack)
    UNETDEV_EXCLUDES(rtnl_mutex)
{
	struct net_device *dev;
	char idx[32] = "";
	int err = unetdev_attr_open(&init_net, name, "ifindex", &cap->handle);

	if (!err && unetdev_attr_read(cap->handle, idx, sizeof(idx)) <= 0)
		err = -ENODEV;
	if (err) {
		NL_SET_ERR_MSG(extack, "Device not found");
		return err == -ENOENT ? -ENODEV : err;
	}
	rtnl_lock();
	dev = __dev_get_by_index(&init_net, atoi(idx));
	if (!dev || strcmp(dev->name, name) != 0) {
		rtnl_unlock();
		NL_SET_ERR_MSG(extack, "Device not found");
		return -ENODEV;
	}
	dev_hold(dev);
	cap->dev = dev;
	cap->pt.dev = dev;
	cap->mod = unetd_module_of_dev(dev);
	unetd_module_get(cap->mod);
	cap->next = captures;
	captures = cap;
	dev_add_pack(&cap->pt);
	rtnl_unlock();
	return 0;
}

int unetd_capture_start(struct unetd_client *c, const struct nlmsghdr *nlh,
			struct netlink_ext_ack *extack)
{
	struct nlattr *tb[UNETD_CAPA_SNAPLEN + 1] = {NULL};
	struct unetd_capture *cap;
	int err;

	if (c->fd < 0 || c->capture) {
		NL_SET_ERR_MSG(extack, c->fd < 0 ? "Capture needs a socket client"
						 : "A capture is already running on this socket");
		return -EBUSY;
	}
	err = cap_parse(nlh, tb, extack);
	if (err)
		return err;
	cap = cap_alloc(nlh, tb);
	if (!cap)
		return -ENOMEM;
	err = cap_hook(cap, mnl_attr_get_str(tb[UNETD_CAPA_IFNAME]), extack);
	if (err) {
		if (cap->handle)
			unetdev_attr_close(cap->handle);
		pthread_mutex_destroy(&cap->lock);
		free(cap);
		return err;
	}
	cap->client = c;
	c->capture = cap;
	unetd_log(LOG_INFO, "capture on %s started for pid %d",
		  mnl_attr_get_str(tb[UNETD_CAPA_IFNAME]), (int)c->pid);
	return 0;
}

/* ---- b) the main loop's side ---- */

static void queue_done(struct unetd_client *c, struct unetd_capture *cap, int err, u32 drops)
{
	char buf[MNL_NLMSG_HDRLEN + 32];
	struct nlmsghdr *nlh;
	int *e;

	memset(buf, 0, sizeof(buf));
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = NLMSG_DONE;
	nlh->nlmsg_flags = NLM_F_MULTI;
	nlh->nlmsg_seq = cap->seq;
	e = mnl_nlmsg_put_extra_header(nlh, sizeof(int));
	*e = err;
	mnl_attr_put_u32(nlh, UNETD_CAPA_DROPS, drops);
	unetd_queue(c, buf, nlh->nlmsg_len);
	cap->done = true;
}

static struct unetd_rec *take(struct unetd_capture *cap, bool *ended, int *err, u32 *drops)
{
	struct unetd_rec *list;

	pthread_mutex_lock(&cap->lock);
	list = cap->pending;
	cap->pending = NULL;
	cap->tail = &cap->pending;
	cap->npending = 0;
	*ended = cap->ended;
	*err = cap->end_err;
	*drops = cap->drops;
	pthread_mutex_unlock(&cap->lock);
	return list;
}

/* Put back what the client has no room for (in front: order is kept). */
static void put_back(struct unetd_capture *cap, struct unetd_rec *list)
{
	struct unetd_rec **end = &list;
	unsigned int n = 0;

	if (!list)
		return;
	while (*end) {
		end = &(*end)->next;
		n++;
	}
	pthread_mutex_lock(&cap->lock);
	*end = cap->pending;
	if (!cap->pending)
		cap->tail = end;
	cap->pending = list;
	cap->npending += n;
	pthread_mutex_unlock(&cap->lock);
}

/* Pack messages into records of up to UNETD_MSG_MAX; returns what is left. */
static struct unetd_rec *pack(struct unetd_client *c, struct unetd_capture *cap,
			      struct unetd_rec *list, char *buf)
{
	while (list && c->nout < CAP_CLIENT_QUEUE && (!cap->count || cap->sent < cap->count)) {
		size_t off = 0;

		while (list && off + list->len <= UNETD_MSG_MAX &&
		       (!cap->count || cap->sent < cap->count)) {
			struct unetd_rec *next = list->next;

			memcpy(buf + off, list->data, list->len);
			off += MNL_ALIGN(list->len);
			cap->sent++;
			free(list);
			list = next;
		}
		if (!off)
			break; /* cannot happen: a message is at most snaplen + 400 bytes */
		unetd_queue(c, buf, off);
	}
	return list;
}

static void free_list(struct unetd_rec *list)
{
	while (list) {
		struct unetd_rec *next = list->next;

		free(list);
		list = next;
	}
}

void unetd_capture_pull(struct unetd_client *c)
{
	struct unetd_capture *cap = c->capture;
	struct unetd_rec *list;
	bool ended;
	u32 drops;
	int err;
	char *buf;

	if (!cap || cap->done)
		return;
	buf = malloc(UNETD_MSG_MAX);
	if (!buf)
		return;
	list = pack(c, cap, take(cap, &ended, &err, &drops), buf);
	free(buf);
	if (cap->count && cap->sent >= cap->count) {
		free_list(list);
		rtnl_lock();
		unhook(cap);
		rtnl_unlock();
		queue_done(c, cap, 0, drops);
	} else if (list) {
		put_back(cap, list);
	} else if (ended) {
		queue_done(c, cap, err, drops);
	}
}

/* d) The client is gone: tap, list entry, handle, module reference. */
void unetd_capture_release(struct unetd_client *c)
{
	struct unetd_capture *cap = c->capture, **pp;
	bool ended;
	u32 drops;
	int err;

	if (!cap)
		return;
	rtnl_lock();
	unhook(cap);
	for (pp = &captures; *pp; pp = &(*pp)->next) {
		if (*pp == cap) {
			*pp = cap->next;
			break;
		}
	}
	rtnl_unlock();
	free_list(take(cap, &ended, &err, &drops));
	unetd_log(LOG_INFO, "capture for pid %d ended: %u frames sent, %u dropped", (int)c->pid,
		  cap->sent, drops);
	unetdev_attr_close(cap->handle);
	unetd_module_put(cap->mod);
	pthread_mutex_destroy(&cap->lock);
	free(cap);
	c->capture = NULL;
}
