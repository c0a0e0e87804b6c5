// SPDX-License-Identifier: MIT
/*
 * link.c - "unet link": show, add, set, del (iproute2 ip/iplink.c and
 * ipaddress.c: ipaddr_list_link). A show dumps every link once, so that a
 * veth prints its peer's name and M-DOWN, then filters.
 */
#include <stdlib.h>
#include <string.h>

#include "unet.h"

static void link_usage(FILE *f)
{
	fprintf(
	    f,
	    "Usage: unet link add [name] NAME [mtu MTU] [address LLADDR] [txqueuelen N]\n"
	    "                     [numtxqueues N] [numrxqueues N] type TYPE [ARGS]\n"
	    "       unet link set { DEVICE | dev DEVICE } [ { up | down } ] [ mtu MTU ]\n"
	    "                     [ address LLADDR ] [ promisc { on | off } ]\n"
	    "                     [ allmulticast { on | off } ] [ txqueuelen N ] [ name NEWNAME ]\n"
	    "                     [ master DEVICE | nomaster ]\n"
	    "       unet link { delete | del } { DEVICE | dev DEVICE }\n"
	    "       unet [ -s ] [ -j ] [ -p ] link show [ [ dev ] DEVICE ]\n"
	    "       unet link help\n"
	    "\n"
	    "TYPE := { null | dummy | veth | loopback | bridge | tap | af_packet | af_xdp |\n"
	    "          pcap | KIND of a loaded module }\n"
	    "veth ARGS := [ peer [ name ] NAME ]\n"
	    "bridge ARGS := [ ageing_time CENTISECONDS ]\n"
	    "tap ARGS := [ ifname KERNEL_NAME ] [ queues N ] [ vnet_hdr { on | off } ]\n"
	    "            [ persist { on | off } ] [ netns { NETNSNAME | NETNS_FILE } ]\n"
	    "af_packet ARGS := link KERNEL_DEV [ queues N ] [ qdisc_bypass { on | off } ]\n"
	    "af_xdp ARGS := link KERNEL_DEV [ queues N ] [ mode { auto | copy | zerocopy } ]\n"
	    "               [ frames N ]\n"
	    "pcap ARGS := [ rx FILE ] [ tx FILE ] [ tx_format { pcap | pcapng } ]\n"
	    "             [ pace ] [ loop ]\n");
}

static int collect(const struct nlmsghdr *nlh, void *ctx)
{
	if (nlh->nlmsg_type != RTM_NEWLINK)
		return 0;
	return unet_links_add(ctx, nlh);
}

static void print_links(const struct unet_links *all, const struct unet_link *only)
{
	bool first = true;

	if (unet_opts.json)
		printf("[");
	for (size_t i = 0; i < all->n; i++) {
		const struct unet_link *k = &all->v[i];

		if (only && k != only)
			continue;
		if (unet_opts.json) {
			printf("%s", first ? "" : ",");
			unet_print_link_json(stdout, k, all);
		} else {
			unet_print_link(stdout, k, all, false, false);
		}
		first = false;
	}
	if (unet_opts.json)
		printf("]\n");
}

static int link_show(struct unet_nl *nl, int argc, char **argv)
{
	struct unet_links all = {0};
	const struct unet_link *only = NULL;
	const char *dev = NULL;
	int err;

	if (argc > 0 && !strcmp(argv[0], "dev"))
		argc--, argv++;
	if (argc > 1) {
		fprintf(stderr, "Error: either \"dev\" is duplicate, or \"%s\" is a garbage.\n",
			argv[1]);
		return UNET_EXIT_USAGE;
	}
	if (argc == 1)
		dev = argv[0];
	err = unet_nl_dump_links(nl, collect, &all);
	if (err) {
		unet_print_rtnl_error(err, NULL);
		unet_links_free(&all);
		return UNET_EXIT_RTNL;
	}
	if (dev && !(only = unet_links_by_name(&all, dev))) {
		fprintf(stderr, "Device \"%s\" does not exist.\n", dev);
		unet_links_free(&all);
		return UNET_EXIT_FAIL;
	}
	print_links(&all, only);
	unet_links_free(&all);
	return UNET_EXIT_OK;
}

/* ll_name_to_index through RTM_GETLINK by name. */
static int resolve(const char *name, void *ctx)
{
	struct unet_nl *nl = ctx;
	char buf[MNL_NLMSG_HDRLEN + 64];
	struct unet_links found = {0};
	struct nlmsghdr *nlh;
	struct ifinfomsg *ifi;
	int idx = 0;

	memset(buf, 0, sizeof(buf));
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = RTM_GETLINK;
	nlh->nlmsg_flags = NLM_F_REQUEST;
	ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));
	ifi->ifi_family = AF_UNSPEC;
	mnl_attr_put_strz(nlh, IFLA_IFNAME, name);
	if (unet_nl_talk(nl, nlh, collect, &found, NULL, 0) == 0 && found.n == 1)
		idx = found.v[0].ifindex;
	unet_links_free(&found);
	return idx;
}

static int link_modify(struct unet_nl *nl, int argc, char **argv)
{
	char err[256], msg[512];
	struct nlmsghdr *nlh;
	char *buf = calloc(1, UNETD_MSG_MAX);
	int ret;

	if (!buf)
		return UNET_EXIT_FAIL;
	ret = unet_link_build(argc, argv, buf, resolve, nl, &nlh, err, sizeof(err));
	if (ret) {
		fprintf(stderr, "%s\n", err);
		free(buf);
		return ret == UNET_ARGS_NODEV ? UNET_EXIT_FAIL : UNET_EXIT_USAGE;
	}
	ret = unet_nl_talk(nl, nlh, NULL, NULL, msg, sizeof(msg));
	free(buf);
	if (ret) {
		unet_print_rtnl_error(ret, msg);
		return UNET_EXIT_RTNL;
	}
	return UNET_EXIT_OK;
}

int unet_do_link(int argc, char **argv)
{
	struct unet_nl nl;
	int ret;

	if (argc > 0 && unet_is_help(argv[0])) {
		link_usage(stdout);
		return UNET_EXIT_OK;
	}
	if (argc > 0 && !unet_matches(argv[0], "show") && !unet_matches(argv[0], "list") &&
	    strcmp(argv[0], "add") && strcmp(argv[0], "set") && strcmp(argv[0], "change") &&
	    strcmp(argv[0], "del") && strcmp(argv[0], "delete")) {
		fprintf(stderr, "Command \"%s\" is unknown, try \"unet link help\".\n", argv[0]);
		return UNET_EXIT_USAGE;
	}
	if (unet_nl_open(&nl))
		return UNET_EXIT_FAIL;
	if (argc == 0 || unet_matches(argv[0], "show") || unet_matches(argv[0], "list"))
		ret = link_show(&nl, argc ? argc - 1 : 0, argv + 1);
	else
		ret = link_modify(&nl, argc, argv);
	unet_nl_close(&nl);
	return ret;
}
