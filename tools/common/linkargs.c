// SPDX-License-Identifier: MIT
/*
 * linkargs.c - "link add|set|del" arguments to an rtnetlink request, with the
 * syntax and messages of iproute2's ip/iplink.c (iplink_parse, iplink_modify).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <net/if.h>

#include "linkargs.h"

#define USAGE(...)                                                                                 \
	do {                                                                                       \
		snprintf(err, errlen, __VA_ARGS__);                                                \
		return UNET_ARGS_USAGE;                                                            \
	} while (0)

struct req {
	struct nlmsghdr *nlh;
	struct ifinfomsg *ifi;
};

int unet_parse_u32(const char *s, unsigned int *v)
{
	char *end;
	unsigned long x;

	if (!s || !*s || *s == '-')
		return -1;
	errno = 0;
	x = strtoul(s, &end, 0);
	if (errno || *end || x > 0xffffffffUL)
		return -1;
	*v = (unsigned int)x;
	return 0;
}

int unet_parse_mac(const char *s, unsigned char *mac, int max)
{
	int n = 0;

	while (*s && n < max) {
		char *end;
		unsigned long b = strtoul(s, &end, 16);

		if (end == s || end - s > 2 || b > 0xff || (*end && *end != ':'))
			return -1;
		mac[n++] = (unsigned char)b;
		s = *end ? end + 1 : end;
	}
	return *s ? -1 : n;
}

const char *unet_default_socket(char *buf, size_t len)
{
	const char *env = getenv("UNETD_SOCKET"), *xdg = getenv("XDG_RUNTIME_DIR");

	if (env && *env)
		snprintf(buf, len, "%s", env);
	else if (geteuid() == 0)
		snprintf(buf, len, "/run/unetd.sock");
	else if (xdg && *xdg)
		snprintf(buf, len, "%s/unetd.sock", xdg);
	else
		snprintf(buf, len, "/tmp/unetd-%u.sock", (unsigned int)geteuid());
	return buf;
}

static void req_init(struct req *r, char *buf, int type, int flags)
{
	memset(buf, 0, MNL_NLMSG_HDRLEN + sizeof(struct ifinfomsg));
	r->nlh = mnl_nlmsg_put_header(buf);
	r->nlh->nlmsg_type = (unsigned short)type;
	r->nlh->nlmsg_flags = (unsigned short)(NLM_F_REQUEST | NLM_F_ACK | flags);
	r->ifi = mnl_nlmsg_put_extra_header(r->nlh, sizeof(*r->ifi));
	r->ifi->ifi_family = AF_UNSPEC;
}

static int name_ok(const char *name)
{
	return *name && strlen(name) < IFNAMSIZ && !strchr(name, '/') && !strchr(name, ' ');
}

/* Options add and set share: mtu, address, txqueuelen. 1 = consumed two args. */
static int common_opt(struct req *r, char **argv, int left, char *err, size_t errlen)
{
	unsigned char mac[32];
	unsigned int v;
	int n;

	if (r->nlh->nlmsg_len > UNETD_MSG_MAX - 512)
		USAGE("Error: too many arguments");

	if (!strcmp(argv[0], "mtu") || !strcmp(argv[0], "txqueuelen") ||
	    !strcmp(argv[0], "txqlen") || !strcmp(argv[0], "numtxqueues") ||
	    !strcmp(argv[0], "numrxqueues")) {
		int attr = argv[0][0] == 'm'   ? IFLA_MTU
			   : argv[0][1] == 'x' ? IFLA_TXQLEN
			   : argv[0][3] == 't' ? IFLA_NUM_TX_QUEUES
					       : IFLA_NUM_RX_QUEUES;

		if (left < 2)
			USAGE("Command line is not complete. Try option \"help\"");
		if (unet_parse_u32(argv[1], &v))
			USAGE("Error: argument \"%s\" is wrong: Invalid \"%s\" value", argv[1],
			      argv[0]);
		mnl_attr_put_u32(r->nlh, (uint16_t)attr, v);
		return 1;
	}
	if (!strcmp(argv[0], "address")) {
		if (left < 2)
			USAGE("Command line is not complete. Try option \"help\"");
		n = unet_parse_mac(argv[1], mac, (int)sizeof(mac));
		if (n <= 0)
			USAGE("Error: \"%s\" is not a valid link address", argv[1]);
		mnl_attr_put(r->nlh, IFLA_ADDRESS, (size_t)n, mac);
		return 1;
	}
	return 0;
}

/* type bridge [ageing_time CENTISECONDS] (iproute2 ip/iplink_bridge.c) */
static int put_bridge_data(struct req *r, char **argv, int argc, char *err, size_t errlen)
{
	struct nlattr *data = mnl_attr_nest_start(r->nlh, IFLA_INFO_DATA);
	unsigned int v;

	for (; argc > 0; argc -= 2, argv += 2) {
		if (strcmp(argv[0], "ageing_time"))
			USAGE("Garbage instead of arguments \"%s ...\". Try \"unet link help\".",
			      argv[0]);
		if (argc < 2)
			USAGE("Command line is not complete. Try option \"help\"");
		if (unet_parse_u32(argv[1], &v))
			USAGE("Error: argument \"%s\" is wrong: Invalid \"ageing_time\" value",
			      argv[1]);
		mnl_attr_put_u32(r->nlh, IFLA_BR_AGEING_TIME, v);
	}
	mnl_attr_nest_end(r->nlh, data);
	return 0;
}

/* type veth [peer [name] NAME] */
static int put_linkinfo(struct req *r, const char *type, char **argv, int argc, char *err,
			size_t errlen)
{
	struct nlattr *li = mnl_attr_nest_start(r->nlh, IFLA_LINKINFO), *data, *peer;
	struct ifinfomsg *pifi;
	int n;

	mnl_attr_put_strz(r->nlh, IFLA_INFO_KIND, type);
	n = unet_kind_args(r->nlh, type, argc, argv, err, errlen);
	if (n != UNET_ARGS_NOT_MINE) {
		mnl_attr_nest_end(r->nlh, li);
		return n;
	}
	if (argc == 0) {
		mnl_attr_nest_end(r->nlh, li);
		return 0;
	}
	if (!strcmp(type, "bridge")) {
		int ret = put_bridge_data(r, argv, argc, err, errlen);

		mnl_attr_nest_end(r->nlh, li);
		return ret;
	}
	if (strcmp(type, "veth") || strcmp(argv[0], "peer"))
		USAGE("Garbage instead of arguments \"%s ...\". Try \"unet link help\".", argv[0]);
	argv++, argc--;
	if (argc > 0 && !strcmp(argv[0], "name"))
		argv++, argc--;
	if (argc != 1)
		USAGE("Command line is not complete. Try option \"help\"");
	if (!name_ok(argv[0]))
		USAGE("Error: argument \"%s\" is wrong: \"name\" not a valid ifname", argv[0]);
	data = mnl_attr_nest_start(r->nlh, IFLA_INFO_DATA);
	peer = mnl_attr_nest_start(r->nlh, VETH_INFO_PEER);
	pifi = mnl_nlmsg_put_extra_header(r->nlh, sizeof(*pifi));
	memset(pifi, 0, sizeof(*pifi));
	mnl_attr_put_strz(r->nlh, IFLA_IFNAME, argv[0]);
	mnl_attr_nest_end(r->nlh, peer);
	mnl_attr_nest_end(r->nlh, data);
	mnl_attr_nest_end(r->nlh, li);
	return 0;
}

static int build_add(struct req *r, int argc, char **argv, char *err, size_t errlen)
{
	const char *name = NULL;
	int i, n;

	for (i = 0; i < argc; i++) {
		if (!strcmp(argv[i], "type")) {
			if (i + 1 >= argc)
				USAGE("Command line is not complete. Try option \"help\"");
			if (!name)
				USAGE("Not enough information: \"dev\" argument is required.");
			return put_linkinfo(r, argv[i + 1], argv + i + 2, argc - i - 2, err,
					    errlen);
		}
		n = common_opt(r, argv + i, argc - i, err, errlen);
		if (n < 0)
			return n;
		if (n) {
			i++;
			continue;
		}
		if (!strcmp(argv[i], "name") || !strcmp(argv[i], "dev")) {
			if (++i >= argc)
				USAGE("Command line is not complete. Try option \"help\"");
		}
		if (name)
			USAGE("Error: either \"dev\" is duplicate, or \"%s\" is a garbage.",
			      argv[i]);
		if (!name_ok(argv[i]))
			USAGE("Error: argument \"%s\" is wrong: \"name\" not a valid ifname",
			      argv[i]);
		name = argv[i];
		mnl_attr_put_strz(r->nlh, IFLA_IFNAME, name);
	}
	USAGE("Not enough information: \"type\" argument is required");
}

static int onoff(const char *s, const char *opt, char *err, size_t errlen)
{
	if (s && !strcmp(s, "on"))
		return 1;
	if (s && !strcmp(s, "off"))
		return 0;
	USAGE("Error: argument of \"%s\" must be \"on\" or \"off\", not \"%s\"", opt, s ? s : "");
}

static void set_flag(struct req *r, unsigned int flag, int on)
{
	r->ifi->ifi_change |= flag;
	if (on)
		r->ifi->ifi_flags |= flag;
	else
		r->ifi->ifi_flags &= ~flag;
}

static int set_opt(struct req *r, char **argv, int left, char *err, size_t errlen)
{
	int n = common_opt(r, argv, left, err, errlen), on;

	if (n)
		return n;
	if (!strcmp(argv[0], "up") || !strcmp(argv[0], "down")) {
		set_flag(r, IFF_UP, argv[0][0] == 'u');
		return 0;
	}
	if (!strcmp(argv[0], "promisc") || !strcmp(argv[0], "allmulticast") ||
	    !strcmp(argv[0], "allmulti")) {
		on = onoff(left > 1 ? argv[1] : NULL, argv[0], err, errlen);
		if (on < 0)
			return on;
		set_flag(r, argv[0][0] == 'p' ? IFF_PROMISC : IFF_ALLMULTI, on);
		return 1;
	}
	if (!strcmp(argv[0], "name")) {
		if (left < 2)
			USAGE("Command line is not complete. Try option \"help\"");
		if (!name_ok(argv[1]))
			USAGE("Error: argument \"%s\" is wrong: \"name\" not a valid ifname",
			      argv[1]);
		mnl_attr_put_strz(r->nlh, IFLA_IFNAME, argv[1]);
		return 1;
	}
	USAGE("Error: either \"dev\" is duplicate, or \"%s\" is a garbage.", argv[0]);
}

static int resolve_dev(struct req *r, const char *name, unet_resolve_fn resolve, void *ctx,
		       char *err, size_t errlen)
{
	int idx = strlen(name) < IFNAMSIZ ? resolve(name, ctx) : 0;

	if (idx <= 0) {
		snprintf(err, errlen, "Cannot find device \"%s\"", name);
		return UNET_ARGS_NODEV;
	}
	r->ifi->ifi_index = idx;
	return 0;
}

/* master DEVICE | nomaster (iproute2 iplink_parse). 1 = consumed two args, 0 = not ours. */
static int master_opt(struct req *r, char **argv, int left, unet_resolve_fn resolve, void *ctx,
		      char *err, size_t errlen)
{
	int idx;

	if (!strcmp(argv[0], "nomaster")) {
		mnl_attr_put_u32(r->nlh, IFLA_MASTER, 0);
		return 0;
	}
	if (left < 2)
		USAGE("Command line is not complete. Try option \"help\"");
	idx = strlen(argv[1]) < IFNAMSIZ ? resolve(argv[1], ctx) : 0;
	if (idx <= 0)
		USAGE("Error: argument \"%s\" is wrong: Device does not exist", argv[1]);
	mnl_attr_put_u32(r->nlh, IFLA_MASTER, (unsigned int)idx);
	return 1;
}

static int build_set(struct req *r, int argc, char **argv, unet_resolve_fn resolve, void *ctx,
		     char *err, size_t errlen)
{
	int i = 0, n;

	if (argc > 0 && !strcmp(argv[0], "dev"))
		i++;
	if (i >= argc)
		USAGE("Not enough of information: \"dev\" argument is required.");
	n = resolve_dev(r, argv[i], resolve, ctx, err, errlen);
	if (n)
		return n;
	if (i + 1 >= argc)
		USAGE("Not enough of information: nothing to set for \"%s\".", argv[i]);
	for (i++; i < argc; i++) {
		if (!strcmp(argv[i], "master") || !strcmp(argv[i], "nomaster"))
			n = master_opt(r, argv + i, argc - i, resolve, ctx, err, errlen);
		else
			n = set_opt(r, argv + i, argc - i, err, errlen);
		if (n < 0)
			return n;
		i += n;
	}
	return 0;
}

int unet_link_build(int argc, char **argv, char *buf, unet_resolve_fn resolve, void *ctx,
		    struct nlmsghdr **out, char *err, size_t errlen)
{
	struct req r;
	int ret;

	err[0] = 0;
	if (argc < 1)
		USAGE("Command line is not complete. Try option \"help\"");
	if (!strcmp(argv[0], "add")) {
		req_init(&r, buf, RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL);
		ret = build_add(&r, argc - 1, argv + 1, err, errlen);
	} else if (!strcmp(argv[0], "set") || !strcmp(argv[0], "change")) {
		req_init(&r, buf, RTM_SETLINK, 0);
		ret = build_set(&r, argc - 1, argv + 1, resolve, ctx, err, errlen);
	} else if (!strcmp(argv[0], "del") || !strcmp(argv[0], "delete")) {
		int i = argc > 1 && !strcmp(argv[1], "dev") ? 2 : 1;

		req_init(&r, buf, RTM_DELLINK, 0);
		if (i >= argc)
			USAGE("Not enough information: \"dev\" argument is required.");
		if (i + 1 < argc)
			USAGE("Error: either \"dev\" is duplicate, or \"%s\" is a garbage.",
			      argv[i + 1]);
		ret = resolve_dev(&r, argv[i], resolve, ctx, err, errlen);
	} else {
		USAGE("Command \"%s\" is unknown, try \"unet link help\".", argv[0]);
	}
	if (ret == 0)
		*out = r.nlh;
	return ret;
}
