// SPDX-License-Identifier: MIT
/*
 * kindargs.c - the "type KIND ARGS" of "link add" for the backend kinds
 * (tap, af_packet, af_xdp, pcap) into IFLA_INFO_DATA, with iproute2's
 * messages for bad arguments (<unetdev/if_link_backends.h> for the
 * attributes, docs/unetd.md for the syntax).
 */
#include <limits.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "linkargs.h"

#define USAGE(...)                                                                                 \
	do {                                                                                       \
		snprintf(err, errlen, __VA_ARGS__);                                                \
		return UNET_ARGS_USAGE;                                                            \
	} while (0)

/* One keyword of a kind: its attribute and how its value is written. */
enum arg_kind { ARG_IFNAME, ARG_U32, ARG_ONOFF, ARG_FLAG, ARG_FILE, ARG_ENUM, ARG_NETNS };

struct kind_arg {
	const char *word;
	uint16_t attr;
	enum arg_kind kind;
	const char *const *names; /* ARG_ENUM: value i is names[i] */
};

static const char *const xdp_modes[] = {"auto", "copy", "zerocopy", NULL};
static const char *const pcap_formats[] = {"pcap", "pcapng", NULL};

static const struct kind_arg tap_args[] = {
    {"ifname", IFLA_UNETDEV_TAP_IFNAME, ARG_IFNAME, NULL},
    {"queues", IFLA_UNETDEV_TAP_QUEUES, ARG_U32, NULL},
    {"vnet_hdr", IFLA_UNETDEV_TAP_VNET_HDR, ARG_ONOFF, NULL},
    {"persist", IFLA_UNETDEV_TAP_PERSIST, ARG_ONOFF, NULL},
    {"netns", IFLA_UNETDEV_TAP_NETNS, ARG_NETNS, NULL},
    {NULL, 0, 0, NULL},
};
static const struct kind_arg pkt_args[] = {
    {"link", IFLA_UNETDEV_PKT_LINK, ARG_IFNAME, NULL},
    {"queues", IFLA_UNETDEV_PKT_QUEUES, ARG_U32, NULL},
    {"qdisc_bypass", IFLA_UNETDEV_PKT_QDISC_BYPASS, ARG_ONOFF, NULL},
    {NULL, 0, 0, NULL},
};
static const struct kind_arg xdp_args[] = {
    {"link", IFLA_UNETDEV_XDP_LINK, ARG_IFNAME, NULL},
    {"queues", IFLA_UNETDEV_XDP_QUEUES, ARG_U32, NULL},
    {"mode", IFLA_UNETDEV_XDP_MODE, ARG_ENUM, xdp_modes},
    {"frames", IFLA_UNETDEV_XDP_FRAMES, ARG_U32, NULL},
    {NULL, 0, 0, NULL},
};
static const struct kind_arg pcap_args[] = {
    {"rx", IFLA_UNETDEV_PCAP_RX_FILE, ARG_FILE, NULL},
    {"tx", IFLA_UNETDEV_PCAP_TX_FILE, ARG_FILE, NULL},
    {"tx_format", IFLA_UNETDEV_PCAP_TX_FORMAT, ARG_ENUM, pcap_formats},
    {"pace", IFLA_UNETDEV_PCAP_PACE, ARG_FLAG, NULL},
    {"loop", IFLA_UNETDEV_PCAP_LOOP, ARG_FLAG, NULL},
    {NULL, 0, 0, NULL},
};

static const struct kind_arg *kind_table(const char *type)
{
	if (!strcmp(type, "tap"))
		return tap_args;
	if (!strcmp(type, "af_packet"))
		return pkt_args;
	if (!strcmp(type, "af_xdp"))
		return xdp_args;
	if (!strcmp(type, "pcap"))
		return pcap_args;
	return NULL;
}

/* The daemon has its own working directory: files go as absolute paths. */
static void put_file(struct nlmsghdr *nlh, uint16_t attr, const char *path)
{
	char abs[PATH_MAX], cwd[PATH_MAX];

	if (path[0] != '/' && getcwd(cwd, sizeof(cwd)) &&
	    (size_t)snprintf(abs, sizeof(abs), "%s/%s", cwd, path) < sizeof(abs))
		path = abs;
	mnl_attr_put_strz(nlh, attr, path);
}

static int enum_value(const char *const *names, const char *s)
{
	for (int i = 0; names[i]; i++)
		if (!strcmp(names[i], s))
			return i;
	return -1;
}

/* One keyword and its value; the number of arguments used after it. */
static int put_arg(struct nlmsghdr *nlh, const struct kind_arg *a, const char *val, char *err,
		   size_t errlen)
{
	unsigned int v;
	int e;

	if (a->kind == ARG_FLAG) {
		mnl_attr_put_u8(nlh, a->attr, 1);
		return 0;
	}
	if (!val)
		USAGE("Command line is not complete. Try option \"help\"");
	switch (a->kind) {
	case ARG_IFNAME:
		if (!*val || strlen(val) >= IFNAMSIZ || strchr(val, '/') || strchr(val, ' '))
			USAGE("Error: argument \"%s\" is wrong: \"%s\" not a valid ifname", val,
			      a->word);
		mnl_attr_put_strz(nlh, a->attr, val);
		break;
	case ARG_U32:
		if (unet_parse_u32(val, &v))
			USAGE("Error: argument \"%s\" is wrong: Invalid \"%s\" value", val,
			      a->word);
		mnl_attr_put_u32(nlh, a->attr, v);
		break;
	case ARG_ONOFF:
		if (strcmp(val, "on") != 0 && strcmp(val, "off") != 0)
			USAGE("Error: argument of \"%s\" must be \"on\" or \"off\", not \"%s\"",
			      a->word, val);
		mnl_attr_put_u8(nlh, a->attr, val[1] == 'n');
		break;
	case ARG_ENUM:
		e = enum_value(a->names, val);
		if (e < 0)
			USAGE("Error: argument \"%s\" is wrong: Invalid \"%s\" value", val,
			      a->word);
		mnl_attr_put_u8(nlh, a->attr, (uint8_t)e);
		break;
	case ARG_NETNS: /* an `ip netns` name, or a namespace file like ARG_FILE */
		if (!*val)
			USAGE("Error: argument \"%s\" is wrong: Invalid \"%s\" value", val,
			      a->word);
		if (strchr(val, '/'))
			put_file(nlh, a->attr, val);
		else
			mnl_attr_put_strz(nlh, a->attr, val);
		break;
	default:
		put_file(nlh, a->attr, val);
		break;
	}
	return 1;
}

int unet_kind_args(struct nlmsghdr *nlh, const char *type, int argc, char **argv, char *err,
		   size_t errlen)
{
	const struct kind_arg *table = kind_table(type), *a;
	struct nlattr *data;
	int n;

	if (!table)
		return UNET_ARGS_NOT_MINE;
	data = mnl_attr_nest_start(nlh, IFLA_INFO_DATA);
	for (int i = 0; i < argc; i++) {
		if (nlh->nlmsg_len > UNETD_MSG_MAX - PATH_MAX - 64)
			USAGE("Error: too many arguments");
		for (a = table; a->word && strcmp(a->word, argv[i]) != 0; a++)
			;
		if (!a->word)
			USAGE("Garbage instead of arguments \"%s ...\". Try \"unet link help\".",
			      argv[i]);
		n = put_arg(nlh, a, i + 1 < argc ? argv[i + 1] : NULL, err, errlen);
		if (n < 0)
			return n;
		i += n;
	}
	mnl_attr_nest_end(nlh, data);
	return UNET_ARGS_OK;
}
