// SPDX-License-Identifier: MIT
/*
 * libFuzzer target for the daemon's control messages: the input is cut into
 * records ([u16 length, little endian][bytes], at most 64), and each record
 * goes to unetd_handle_record() (tools/unetd/server.c) as if one
 * SOCK_SEQPACKET datagram had arrived from a client, in process and without
 * a socket. Dumps are continued until NLMSG_DONE, link notifications are
 * flushed to the client when it joined RTNLGRP_LINK.
 *
 * Checked (abort on violation): every queued reply record is a sequence of
 * well-formed netlink messages that fills it exactly (NLMSG_ERROR with an
 * errno in -4095..0 and well-formed ext-ack attributes, NLMSG_DONE,
 * RTM_NEWLINK/RTM_DELLINK with an ifinfomsg and well-formed attributes that
 * include a NUL-terminated IFLA_IFNAME, RTM_NEWNEIGH FDB entries of existing
 * devices); a dump ends; after each input every
 * listed device is registered and found by its name and ifindex, and a veth
 * has its peer pointing back; then every device is deleted as at daemon
 * shutdown (bridges first, then unetdev_link_ops_unregister_builtin) and
 * nothing is left alive. A bridge port's master is a registered bridge that
 * lists it (IFLA_MASTER paths: create with a master, set master/nomaster).
 *
 * Kinds: null, dummy, veth, loopback and bridge, all in-process devices. The
 * backend kinds (tap, af_packet, af_xdp, pcap) are not registered, so no input
 * opens /dev/net/tun, a socket or a file: they answer "Unknown device type".
 * Module loads reach modules.c and the core's module loader, but dlopen is
 * linked as __wrap_dlopen below (-Wl,--wrap=dlopen, fuzz/meson.build), which
 * loads nothing and fails as a file that is not a shared object would.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../tools/unetd/unetd.h"

#include <unetdev/drivers.h>
#include <unetdev/if_bridge.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond)                                                                                \
	do {                                                                                       \
		if (!(cond)) {                                                                     \
			fprintf(stderr, "unetd_fuzz: %s:%d: %s\n", __FILE__, __LINE__, #cond);     \
			abort();                                                                   \
		}                                                                                  \
	} while (0)

#define MAX_RECORDS 64

/* main.c's log, without syslog. */
void unetd_log(int prio, const char *fmt, ...)
{
	(void)prio;
	(void)fmt;
}

void *__wrap_dlopen(const char *path, int flags);
char *__wrap_dlerror(void);

/* No shared object is ever loaded from fuzz input (see the header). */
void *__wrap_dlopen(const char *path, int flags)
{
	(void)path;
	(void)flags;
	return NULL;
}

char *__wrap_dlerror(void)
{
	static char msg[] = "dlopen is disabled in the fuzz target";

	return msg;
}

static unsigned long replies;
static bool verbose;

static int attr_ok(const struct nlattr *a, void *data)
{
	(void)a;
	(void)data;
	return MNL_CB_OK; /* mnl_attr_parse() has checked the length against the message */
}

static void check_link(const struct nlmsghdr *nlh)
{
	const struct nlattr *a, *name = NULL;

	CHECK(mnl_nlmsg_get_payload_len(nlh) >= sizeof(struct ifinfomsg));
	CHECK(mnl_attr_parse(nlh, sizeof(struct ifinfomsg), attr_ok, NULL) == MNL_CB_OK);
	mnl_attr_for_each(a, nlh, sizeof(struct ifinfomsg))
	{
		if (mnl_attr_get_type(a) == IFLA_IFNAME)
			name = a;
	}
	CHECK(name);
	CHECK(mnl_attr_validate(name, MNL_TYPE_NUL_STRING) == 0);
}

/* An FDB entry of a neighbour dump (rtnl_neigh.c): an AF_BRIDGE ndmsg of a
 * registered device, a 6-byte NDA_LLADDR, an NDA_MASTER that is a bridge. */
static void check_neigh(const struct nlmsghdr *nlh)
{
	const struct ndmsg *ndm = mnl_nlmsg_get_payload(nlh);
	const struct nlattr *a, *lladdr = NULL;
	struct net_device *dev;

	CHECK(mnl_nlmsg_get_payload_len(nlh) >= sizeof(*ndm));
	CHECK(ndm->ndm_family == AF_BRIDGE);
	CHECK(mnl_attr_parse(nlh, sizeof(*ndm), attr_ok, NULL) == MNL_CB_OK);
	rtnl_lock();
	CHECK(__dev_get_by_index(&init_net, ndm->ndm_ifindex));
	mnl_attr_for_each(a, nlh, sizeof(*ndm))
	{
		if (mnl_attr_get_type(a) == NDA_LLADDR)
			lladdr = a;
		if (mnl_attr_get_type(a) == NDA_MASTER) {
			CHECK(mnl_attr_get_payload_len(a) == sizeof(u32));
			dev = __dev_get_by_index(&init_net, (int)mnl_attr_get_u32(a));
			CHECK(dev && netif_is_bridge_master(dev));
		}
	}
	rtnl_unlock();
	CHECK(lladdr && mnl_attr_get_payload_len(lladdr) == ETH_ALEN);
}

static void check_error(const struct nlmsghdr *nlh)
{
	const struct nlmsgerr *e = mnl_nlmsg_get_payload(nlh);

	CHECK(mnl_nlmsg_get_payload_len(nlh) >= sizeof(*e));
	CHECK(e->error <= 0 && e->error > -4096);
	if (nlh->nlmsg_flags & NLM_F_ACK_TLVS)
		CHECK(mnl_attr_parse(nlh, sizeof(*e), attr_ok, NULL) == MNL_CB_OK);
	if (verbose)
		fprintf(stderr, "unetd_fuzz: seq %u: error %d\n", nlh->nlmsg_seq, e->error);
}

/* One queued record: whole netlink messages, nothing left over. */
static void check_record(const struct unetd_rec *rec)
{
	const struct nlmsghdr *nlh = (const void *)rec->data;
	int rem = (int)rec->len;

	CHECK(rec->len >= sizeof(*nlh) && rec->len <= UNETD_MSG_MAX);
	for (; unet_nlmsg_ok(nlh, rem); nlh = mnl_nlmsg_next(nlh, &rem)) {
		switch (nlh->nlmsg_type) {
		case NLMSG_ERROR:
			check_error(nlh);
			break;
		case NLMSG_DONE:
			CHECK(mnl_nlmsg_get_payload_len(nlh) >= sizeof(int));
			break;
		case RTM_NEWLINK:
		case RTM_DELLINK:
			check_link(nlh);
			if (verbose)
				fprintf(stderr, "unetd_fuzz: %s %s\n",
					nlh->nlmsg_type == RTM_NEWLINK ? "NEWLINK" : "DELLINK",
					(const char *)mnl_attr_get_payload(
					    (const void *)((const char *)nlh + MNL_NLMSG_HDRLEN +
							   MNL_ALIGN(sizeof(struct ifinfomsg)))));
			break;
		case RTM_NEWNEIGH:
			check_neigh(nlh);
			break;
		default:
			fprintf(stderr, "unetd_fuzz: reply of type %u\n", nlh->nlmsg_type);
			abort();
		}
		replies++;
	}
	CHECK(rem == 0);
}

static void drain(struct unetd_client *c)
{
	for (const struct unetd_rec *rec = c->out; rec; rec = rec->next)
		check_record(rec);
	unetd_client_free_queue(c);
}

/* The main loop's part: notifications, then the rest of a dump. */
static void serve(struct unetd_client *c)
{
	unsigned int rounds = 0;

	unetd_notify_flush(c);
	drain(c);
	while (c->dump.active) {
		CHECK(++rounds < 10000); /* a dump ends */
		unetd_dump_continue(c);
		drain(c);
	}
}

/* Every device is whole: registered, findable, a veth's peer points back, a
 * port's master is a registered bridge. */
static void check_state(void)
{
	struct net_device *dev;

	rtnl_lock();
	for_each_netdev (&init_net, dev) {
		const char *kind = unetdev_rtnl_link_kind(dev);

		CHECK(dev->reg_state == NETREG_REGISTERED);
		CHECK(__dev_get_by_name(&init_net, dev->name) == dev);
		CHECK(__dev_get_by_index(&init_net, dev->ifindex) == dev);
		if (kind && !strcmp(kind, "veth")) {
			struct net_device *peer = unetdev_veth_peer(dev);

			CHECK(peer && unetdev_veth_peer(peer) == dev);
		}
		if (netif_is_bridge_port(dev)) {
			struct net_device *br = netdev_master_upper_dev_get(dev);

			CHECK(br && netif_is_bridge_master(br));
			CHECK(br->reg_state == NETREG_REGISTERED);
			CHECK(unetdev_br_port_state(dev) >= 0);
		}
	}
	rtnl_unlock();
}

static void init_once(void)
{
	static bool done;

	if (done)
		return;
	done = true;
	unetdev_log_set_level(0);
	verbose = getenv("UNETD_FUZZ_VERBOSE");
	CHECK(unetd_notify_init() == 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct unetd_client c;
	struct unetdev_live live;
	unsigned int n = 0;

	init_once();
	CHECK(unetdev_link_ops_register_builtin() == 0);
	CHECK(unetdev_bridge_link_ops_register() == 0);
	memset(&c, 0, sizeof(c));
	c.fd = -1;
	c.out_tail = &c.out;
	while (size >= 2 && n++ < MAX_RECORDS) {
		size_t len = (size_t)(data[0] | data[1] << 8);
		char *buf;

		data += 2;
		size -= 2;
		if (len > size)
			len = size;
		buf = malloc(len ? len : 1); /* exactly @len: reads past it are caught */
		CHECK(buf);
		memcpy(buf, data, len);
		unetd_handle_record(&c, buf, len);
		free(buf);
		serve(&c);
		data += len;
		size -= len;
	}
	check_state();
	unetdev_bridge_link_ops_unregister();  /* bridges first: they release their ports */
	unetdev_link_ops_unregister_builtin(); /* deletes every device, as at shutdown */
	serve(&c);
	unetdev_live_objects(&live);
	if (live.netdevs || live.skbs || live.napis) {
		fprintf(stderr, "unetd_fuzz: alive: %ld devices, %ld skbs, %ld napis\n",
			live.netdevs, live.skbs, live.napis);
		abort();
	}
	return 0;
}
