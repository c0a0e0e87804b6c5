// SPDX-License-Identifier: MIT
/*
 * pktgen.c - "unet pktgen DEV [count N] [dst MAC] [src MAC] [len N]": ask
 * unetd to transmit test frames on DEV (UNETD_MSG_PKTGEN, tools/common/uapi.h).
 */
#include <stdlib.h>
#include <string.h>

#include "unet.h"

static void pktgen_usage(FILE *f)
{
	fprintf(f, "Usage: unet pktgen [ dev ] DEVICE [ count N ] [ dst LLADDR ] [ src LLADDR ]\n"
		   "                   [ len BYTES ]\n"
		   "Transmits N Ethernet frames (ethertype 0x88b5; default: one frame of 60\n"
		   "bytes to ff:ff:ff:ff:ff:ff from the device's address) on DEVICE.\n");
}

/* One option of the request; 0 or the exit code. */
static int pktgen_opt(struct nlmsghdr *nlh, const char *opt, const char *arg)
{
	unsigned char mac[32];
	unsigned int v;

	if (!strcmp(opt, "count") || !strcmp(opt, "len")) {
		if (unet_parse_u32(arg, &v)) {
			fprintf(stderr, "Error: argument \"%s\" is wrong: Invalid \"%s\" value\n",
				arg, opt);
			return UNET_EXIT_USAGE;
		}
		mnl_attr_put_u32(nlh, opt[0] == 'c' ? UNETD_PKTGEN_COUNT : UNETD_PKTGEN_LEN, v);
		return 0;
	}
	if (!strcmp(opt, "dst") || !strcmp(opt, "src")) {
		if (unet_parse_mac(arg, mac, (int)sizeof(mac)) != 6) {
			fprintf(stderr, "Error: \"%s\" is not a valid link address\n", arg);
			return UNET_EXIT_USAGE;
		}
		mnl_attr_put(nlh, opt[0] == 'd' ? UNETD_PKTGEN_DST : UNETD_PKTGEN_SRC, 6, mac);
		return 0;
	}
	fprintf(stderr, "Error: either \"dev\" is duplicate, or \"%s\" is a garbage.\n", opt);
	return UNET_EXIT_USAGE;
}

static int collect(const struct nlmsghdr *nlh, void *ctx)
{
	return nlh->nlmsg_type == RTM_NEWLINK ? unet_links_add(ctx, nlh) : 0;
}

static int pktgen_send(struct nlmsghdr *nlh, const char *dev)
{
	struct unet_links links = {0};
	const struct unet_link *k;
	struct unet_nl nl;
	char msg[512];
	int err, rc = UNET_EXIT_OK;

	if (unet_nl_open(&nl))
		return UNET_EXIT_FAIL;
	err = unet_nl_dump_links(&nl, collect, &links);
	k = err ? NULL : unet_links_by_name(&links, dev);
	if (!k) {
		fprintf(stderr, "Cannot find device \"%s\"\n", dev);
		rc = UNET_EXIT_FAIL;
	} else {
		((struct ifinfomsg *)mnl_nlmsg_get_payload(nlh))->ifi_index = k->ifindex;
		err = unet_nl_talk(&nl, nlh, NULL, NULL, msg, sizeof(msg));
		if (err) {
			unet_print_rtnl_error(err, msg);
			rc = UNET_EXIT_RTNL;
		}
	}
	unet_links_free(&links);
	unet_nl_close(&nl);
	return rc;
}

int unet_do_pktgen(int argc, char **argv)
{
	char buf[512];
	struct nlmsghdr *nlh;
	struct ifinfomsg *ifi;
	const char *dev;
	int rc;

	if (argc == 0 || unet_matches(argv[0], "help") || !strcmp(argv[0], "--help")) {
		pktgen_usage(argc == 0 ? stderr : stdout);
		return argc == 0 ? UNET_EXIT_USAGE : UNET_EXIT_OK;
	}
	if (!strcmp(argv[0], "dev") && argc > 1)
		argc--, argv++;
	dev = argv[0];
	memset(buf, 0, sizeof(buf));
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = UNETD_MSG_PKTGEN;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
	ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));
	ifi->ifi_family = AF_UNSPEC;
	for (argc--, argv++; argc > 0; argc -= 2, argv += 2) {
		if (argc < 2) {
			fprintf(stderr, "Command line is not complete. Try option \"help\"\n");
			return UNET_EXIT_USAGE;
		}
		rc = pktgen_opt(nlh, argv[0], argv[1]);
		if (rc)
			return rc;
	}
	return pktgen_send(nlh, dev);
}
