// SPDX-License-Identifier: MIT
/*
 * bridge.c - "unet bridge fdb show", iproute2's `bridge fdb show`
 * (bridge/fdb.c: fdb_show, print_fdb; 6.1 output and JSON keys): an
 * RTM_GETNEIGH dump of AF_BRIDGE neighbours, filtered by bridge (IFLA_MASTER)
 * and port (ifi_index) as iproute2 asks for them.
 */
#include <linux/neighbour.h>
#include <stdlib.h>
#include <string.h>

#include "unet.h"

#ifndef AF_BRIDGE
#define AF_BRIDGE 7
#endif
#define USER_HZ 100

static void bridge_usage(FILE *f)
{
	fprintf(f, "Usage: unet bridge fdb [ show [ br BRDEV ] [ brport DEV ] [ vlan VID ]\n"
		   "                            [ state STATE ] ]\n"
		   "       unet bridge help\n"
		   "STATE := { permanent | static | stale | reachable | dynamic | all }\n");
}

struct fdb_filter {
	int port_idx;
	unsigned int vlan;
	unsigned int state;
	const struct unet_links *links;
	bool first;
};

static const char *state_n2a(unsigned int s, char *buf, size_t len)
{
	if (s & NUD_PERMANENT)
		return "permanent";
	if (s & NUD_NOARP)
		return "static";
	if (s & NUD_STALE)
		return "stale";
	if (s & NUD_REACHABLE)
		return "";
	snprintf(buf, len, unet_opts.json ? "%#x" : "state %#x", s);
	return buf;
}

static int state_a2n(const char *arg, unsigned int *s)
{
	if (unet_matches(arg, "permanent"))
		*s = NUD_PERMANENT;
	else if (unet_matches(arg, "static") || unet_matches(arg, "temp"))
		*s = NUD_NOARP;
	else if (unet_matches(arg, "stale"))
		*s = NUD_STALE;
	else if (unet_matches(arg, "reachable") || unet_matches(arg, "dynamic"))
		*s = NUD_REACHABLE;
	else if (!strcmp(arg, "all"))
		*s = ~0u;
	else
		return unet_parse_u32(arg, s);
	return 0;
}

static const char *ifname(const struct unet_links *l, int ifindex, char *buf, size_t len)
{
	const struct unet_link *k = unet_links_find(l, ifindex);

	if (k && k->tb[IFLA_IFNAME])
		return mnl_attr_get_str(k->tb[IFLA_IFNAME]);
	snprintf(buf, len, "if%d", ifindex);
	return buf;
}

static int nda_cb(const struct nlattr *a, void *data)
{
	const struct nlattr **tb = data;

	if (mnl_attr_get_type(a) <= NDA_MAX)
		tb[mnl_attr_get_type(a)] = a;
	return MNL_CB_OK;
}

static void print_mac(const struct nlattr *a, char *buf, size_t len)
{
	const unsigned char *p = mnl_attr_get_payload(a);
	size_t n = mnl_attr_get_payload_len(a), off = 0;

	buf[0] = 0;
	for (size_t i = 0; i < n && off + 4 < len; i++)
		off += (size_t)snprintf(buf + off, len - off, i ? ":%02x" : "%02x", p[i]);
}

static void print_flags_text(const struct ndmsg *r)
{
	if (r->ndm_flags & NTF_SELF)
		printf("self ");
	if (r->ndm_flags & NTF_ROUTER)
		printf("router ");
	if (r->ndm_flags & NTF_EXT_LEARNED)
		printf("extern_learn ");
	if (r->ndm_flags & NTF_OFFLOADED)
		printf("offload ");
}

static void print_flags_json(const struct ndmsg *r)
{
	static const struct {
		unsigned int flag;
		const char *name;
	} names[] = {{NTF_SELF, "self"},
		     {NTF_ROUTER, "router"},
		     {NTF_EXT_LEARNED, "extern_learn"},
		     {NTF_OFFLOADED, "offload"},
		     {NTF_MASTER, "master"}};
	bool first = true;

	printf(",\"flags\":[");
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (r->ndm_flags & names[i].flag) {
			printf("%s\"%s\"", first ? "" : ",", names[i].name);
			first = false;
		}
	}
	printf("]");
}

/* print_fdb */
static int print_fdb(const struct nlmsghdr *nlh, void *ctx)
{
	struct fdb_filter *f = ctx;
	const struct nlattr *tb[NDA_MAX + 1] = {NULL};
	const struct ndmsg *r = mnl_nlmsg_get_payload(nlh);
	char mac[64], b1[32], b2[32];
	const char *state;
	unsigned int vid = 0;

	if (nlh->nlmsg_type != RTM_NEWNEIGH || mnl_nlmsg_get_payload_len(nlh) < sizeof(*r) ||
	    r->ndm_family != AF_BRIDGE)
		return 0;
	if ((f->port_idx && f->port_idx != r->ndm_ifindex) ||
	    (f->state && !(r->ndm_state & f->state)))
		return 0;
	mnl_attr_parse(nlh, sizeof(*r), nda_cb, tb);
	if (tb[NDA_VLAN])
		vid = mnl_attr_get_u16(tb[NDA_VLAN]);
	if (f->vlan && f->vlan != vid)
		return 0;
	state = state_n2a(r->ndm_state, b2, sizeof(b2));
	mac[0] = 0;
	if (tb[NDA_LLADDR])
		print_mac(tb[NDA_LLADDR], mac, sizeof(mac));
	if (unet_opts.json) {
		printf("%s{\"mac\":\"%s\"", f->first ? "" : ",", mac);
		if (!f->port_idx && r->ndm_ifindex)
			printf(",\"ifname\":\"%s\"",
			       ifname(f->links, r->ndm_ifindex, b1, sizeof(b1)));
		if (vid)
			printf(",\"vlan\":%u", vid);
		print_flags_json(r);
		if (tb[NDA_MASTER])
			printf(",\"master\":\"%s\"",
			       ifname(f->links, (int)mnl_attr_get_u32(tb[NDA_MASTER]), b1,
				      sizeof(b1)));
		printf(",\"state\":\"%s\"}", state);
		f->first = false;
		return 0;
	}
	if (tb[NDA_LLADDR])
		printf("%s ", mac);
	if (!f->port_idx && r->ndm_ifindex)
		printf("dev %s ", ifname(f->links, r->ndm_ifindex, b1, sizeof(b1)));
	if (vid)
		printf("vlan %u ", vid);
	if (unet_opts.stats && tb[NDA_CACHEINFO] &&
	    mnl_attr_get_payload_len(tb[NDA_CACHEINFO]) >= sizeof(struct nda_cacheinfo)) {
		const struct nda_cacheinfo *ci = mnl_attr_get_payload(tb[NDA_CACHEINFO]);

		printf("used %u/%u ", ci->ndm_used / USER_HZ, ci->ndm_updated / USER_HZ);
	}
	print_flags_text(r);
	if (tb[NDA_MASTER])
		printf("master %s ",
		       ifname(f->links, (int)mnl_attr_get_u32(tb[NDA_MASTER]), b1, sizeof(b1)));
	else if (r->ndm_flags & NTF_MASTER)
		printf("master ");
	printf("%s\n", state);
	return 0;
}

static int collect(const struct nlmsghdr *nlh, void *ctx)
{
	return nlh->nlmsg_type == RTM_NEWLINK ? unet_links_add(ctx, nlh) : 0;
}

static int by_name(const struct unet_links *l, const char *name)
{
	const struct unet_link *k = unet_links_by_name(l, name);

	return k ? k->ifindex : 0;
}

struct fdb_args {
	const char *br, *port;
	struct fdb_filter f;
};

static int parse_show(int argc, char **argv, struct fdb_args *a)
{
	for (; argc > 0; argc--, argv++) {
		const char *opt = argv[0];

		if (unet_matches(opt, "help")) {
			bridge_usage(stdout);
			return UNET_EXIT_OK;
		}
		if (argc < 2) {
			fprintf(stderr, "Command line is not complete. Try option \"help\"\n");
			return UNET_EXIT_USAGE;
		}
		argc--, argv++;
		if (!strcmp(opt, "br")) {
			a->br = argv[0];
		} else if (!strcmp(opt, "brport") || !strcmp(opt, "dev")) {
			a->port = argv[0];
		} else if (!strcmp(opt, "vlan")) {
			if (unet_parse_u32(argv[0], &a->f.vlan) || a->f.vlan > 4095) {
				fprintf(stderr, "Error: argument \"%s\" is wrong: invalid VLAN\n",
					argv[0]);
				return UNET_EXIT_USAGE;
			}
		} else if (!strcmp(opt, "state")) {
			unsigned int s;

			if (state_a2n(argv[0], &s)) {
				fprintf(stderr, "Error: argument \"%s\" is wrong: invalid state\n",
					argv[0]);
				return UNET_EXIT_USAGE;
			}
			a->f.state |= s;
		} else {
			fprintf(stderr,
				"Error: either \"dev\" is duplicate, or \"%s\" is a garbage.\n",
				opt);
			return UNET_EXIT_USAGE;
		}
	}
	return -1;
}

/* The RTM_GETNEIGH dump request iproute2 sends: ifinfomsg + IFLA_MASTER. */
static struct nlmsghdr *fdb_request(char *buf, int br_idx, int port_idx)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct ifinfomsg *ifi;

	nlh->nlmsg_type = RTM_GETNEIGH;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));
	ifi->ifi_family = AF_BRIDGE;
	ifi->ifi_index = port_idx;
	if (br_idx)
		mnl_attr_put_u32(nlh, IFLA_MASTER, (uint32_t)br_idx);
	return nlh;
}

static int fdb_show(struct unet_nl *nl, struct fdb_args *a)
{
	char buf[256], msg[512];
	struct unet_links links = {0};
	int br_idx = 0, err, rc = UNET_EXIT_OK;

	memset(buf, 0, sizeof(buf));
	err = unet_nl_dump_links(nl, collect, &links);
	if (err) {
		unet_print_rtnl_error(err, NULL);
		unet_links_free(&links);
		return UNET_EXIT_RTNL;
	}
	a->f.links = &links;
	a->f.first = true;
	if (a->br && !(br_idx = by_name(&links, a->br))) {
		fprintf(stderr, "Cannot find bridge device \"%s\"\n", a->br);
		rc = UNET_EXIT_USAGE;
	} else if (a->port && !(a->f.port_idx = by_name(&links, a->port))) {
		fprintf(stderr, "Cannot find device \"%s\"\n", a->port);
		rc = UNET_EXIT_USAGE;
	}
	if (rc == UNET_EXIT_OK) {
		if (unet_opts.json)
			printf("[");
		err = unet_nl_talk(nl, fdb_request(buf, br_idx, a->f.port_idx), print_fdb, &a->f,
				   msg, sizeof(msg));
		if (unet_opts.json)
			printf("]\n");
		if (err) {
			unet_print_rtnl_error(err, msg);
			rc = UNET_EXIT_RTNL;
		}
	}
	unet_links_free(&links);
	return rc;
}

int unet_do_bridge(int argc, char **argv)
{
	struct fdb_args a = {0};
	struct unet_nl nl;
	int ret;

	if (argc == 0 || unet_matches(argv[0], "help") || !strcmp(argv[0], "--help")) {
		bridge_usage(argc == 0 ? stderr : stdout);
		return argc == 0 ? UNET_EXIT_USAGE : UNET_EXIT_OK;
	}
	if (!unet_matches(argv[0], "fdb")) {
		fprintf(stderr, "Object \"%s\" is unknown, try \"unet bridge help\".\n", argv[0]);
		return UNET_EXIT_USAGE;
	}
	argc--, argv++;
	if (argc > 0 && !unet_matches(argv[0], "show") && !unet_matches(argv[0], "list") &&
	    !unet_matches(argv[0], "help")) {
		fprintf(stderr, "Command \"%s\" is unknown, try \"unet bridge fdb help\".\n",
			argv[0]);
		return UNET_EXIT_USAGE;
	}
	if (argc > 0 && !unet_matches(argv[0], "help"))
		argc--, argv++;
	ret = parse_show(argc, argv, &a);
	if (ret >= 0)
		return ret;
	if (unet_nl_open(&nl))
		return UNET_EXIT_FAIL;
	ret = fdb_show(&nl, &a);
	unet_nl_close(&nl);
	return ret;
}
