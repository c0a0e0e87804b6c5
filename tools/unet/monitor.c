// SPDX-License-Identifier: MIT
/*
 * monitor.c - "unet monitor [link]" (iproute2 ip/ipmonitor.c): join
 * RTNLGRP_LINK (unetd's setsockopt message) and print every link message as
 * "ip monitor link" does; "Deleted " marks RTM_DELLINK. The link table is
 * dumped first and kept current, so a veth shows its peer's name.
 */
#include <string.h>

#include "unet.h"

struct mon {
	struct unet_links links;
};

static void monitor_usage(FILE *f)
{
	fprintf(f, "Usage: unet monitor [ link ]\n"
		   "       unet -j monitor [ link ]\n"
		   "Prints every link change as \"ip monitor link\" does; with -j one JSON\n"
		   "object per line (\"deleted\":true for a removed link).\n");
}

static int subscribe(struct unet_nl *nl)
{
	char buf[MNL_NLMSG_HDRLEN + sizeof(struct unetd_sockopt)], msg[256];
	struct unetd_sockopt *opt;
	struct nlmsghdr *nlh;
	int err;

	memset(buf, 0, sizeof(buf));
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = UNETD_MSG_SETSOCKOPT;
	nlh->nlmsg_flags = NLM_F_REQUEST;
	opt = mnl_nlmsg_put_extra_header(nlh, sizeof(*opt));
	*opt = (struct unetd_sockopt){SOL_NETLINK, NETLINK_ADD_MEMBERSHIP, RTNLGRP_LINK};
	err = unet_nl_talk(nl, nlh, NULL, NULL, msg, sizeof(msg));
	if (err)
		unet_print_rtnl_error(err, msg);
	return err;
}

static int collect(const struct nlmsghdr *nlh, void *ctx)
{
	return nlh->nlmsg_type == RTM_NEWLINK ? unet_links_add(ctx, nlh) : 0;
}

/* Replace or add @nlh's link in the table; print it. */
static int on_event(const struct nlmsghdr *nlh, void *ctx)
{
	struct mon *m = ctx;
	struct unet_links one = {0};

	if (nlh->nlmsg_type != RTM_NEWLINK && nlh->nlmsg_type != RTM_DELLINK)
		return 0;
	if (unet_links_add(&one, nlh) || one.n != 1)
		goto out;
	for (size_t i = 0; i < m->links.n; i++) {
		if (m->links.v[i].ifindex == one.v[0].ifindex) {
			free(m->links.v[i].nlh);
			m->links.v[i] = m->links.v[--m->links.n];
			break;
		}
	}
	if (nlh->nlmsg_type == RTM_NEWLINK)
		unet_links_add(&m->links, nlh);
	if (unet_opts.json) {
		/* One JSON object per line, as "ip -j monitor link". */
		unet_print_link_json_ex(stdout, &one.v[0], &m->links, true,
					nlh->nlmsg_type == RTM_DELLINK);
		printf("\n");
	} else {
		unet_print_link(stdout, &one.v[0], &m->links, true, nlh->nlmsg_type == RTM_DELLINK);
	}
	fflush(stdout);
out:
	unet_links_free(&one);
	return 0;
}

int unet_do_monitor(int argc, char **argv)
{
	struct mon m = {{0}};
	struct unet_nl nl;
	int err;

	if (argc > 0 && unet_is_help(argv[0])) {
		monitor_usage(stdout);
		return UNET_EXIT_OK;
	}
	if (argc > 1 || (argc == 1 && !unet_matches(argv[0], "link"))) {
		fprintf(stderr, "Argument \"%s\" is unknown, try \"unet monitor help\".\n",
			argv[argc > 1 ? 1 : 0]);
		return UNET_EXIT_USAGE;
	}
	if (unet_nl_open(&nl))
		return UNET_EXIT_FAIL;
	err = subscribe(&nl);
	if (!err)
		err = unet_nl_dump_links(&nl, collect, &m.links);
	if (!err) {
		do
			err = unet_nl_recv(&nl, on_event, &m);
		while (!err || err == -ENOBUFS);
	}
	unet_links_free(&m.links);
	unet_nl_close(&nl);
	return err == -ECONNRESET ? UNET_EXIT_OK : UNET_EXIT_RTNL;
}
