/* SPDX-License-Identifier: MIT */
/*
 * unet - the `ip link` of unetd: shows and changes the links unetd hosts
 * through rtnetlink messages on unetd's UNIX socket.
 */
#ifndef UNET_H
#define UNET_H

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>

#include "../common/linkargs.h"

/* Exit codes, as iproute2's. */
#define UNET_EXIT_OK	0
#define UNET_EXIT_FAIL	1   /* no such device, cannot connect */
#define UNET_EXIT_RTNL	2   /* the daemon refused: "RTNETLINK answers: ..." */
#define UNET_EXIT_USAGE 255 /* bad arguments (iproute2's exit(-1)) */

struct unet_opts {
	int stats;   /* -s, repeatable */
	bool json;   /* -j */
	bool pretty; /* -p */
	const char *socket;
};
extern struct unet_opts unet_opts;

/* ---- nlclient.c: one connection to unetd ---- */
struct unet_nl {
	int fd;
	unsigned int seq;
	char *buf; /* UNETD_MSG_MAX */
};

typedef int (*unet_msg_fn)(const struct nlmsghdr *nlh, void *ctx);

/* Connect; prints the reason and returns -1 on failure. */
int unet_nl_open(struct unet_nl *nl);
void unet_nl_close(struct unet_nl *nl);
/* Send @req and wait for its answer; replies other than the ACK go to @fn.
 * Returns 0 or -errno; @msg (may be NULL) receives the extended-ack text. */
int unet_nl_talk(struct unet_nl *nl, struct nlmsghdr *req, unet_msg_fn fn, void *ctx, char *msg,
		 size_t msglen);
/* RTM_GETLINK dump: @fn for every link. 0 or -errno. */
int unet_nl_dump_links(struct unet_nl *nl, unet_msg_fn fn, void *ctx);
/* Receive one record and run @fn on its messages; 0, or -errno. */
int unet_nl_recv(struct unet_nl *nl, unet_msg_fn fn, void *ctx);
/* Print the daemon's error as ip does ("Error: msg." or "RTNETLINK answers: ..."). */
void unet_print_rtnl_error(int err, const char *msg);

/* ---- print.c ---- */
struct unet_link {
	int ifindex;
	unsigned short type;
	unsigned int flags;
	const struct nlattr *tb[IFLA_MAX + 1];
	struct nlmsghdr *nlh; /* owned copy */
};

struct unet_links {
	struct unet_link *v;
	size_t n, cap;
};

int unet_links_add(struct unet_links *l, const struct nlmsghdr *nlh);
void unet_links_free(struct unet_links *l);
const struct unet_link *unet_links_find(const struct unet_links *l, int ifindex);
const struct unet_link *unet_links_by_name(const struct unet_links *l, const char *name);
/* One link, as "ip link show" (@monitor: as "ip monitor link", @deleted: "Deleted "). */
void unet_print_link(FILE *f, const struct unet_link *k, const struct unet_links *all, bool monitor,
		     bool deleted);
/* The JSON object of one link (no separator). */
void unet_print_link_json(FILE *f, const struct unet_link *k, const struct unet_links *all);
/* The same for "ip -j monitor": no linkmode/txqlen/stats, "deleted":true first for RTM_DELLINK. */
void unet_print_link_json_ex(FILE *f, const struct unet_link *k, const struct unet_links *all,
			     bool monitor, bool deleted);

/* ---- link.c, monitor.c ---- */
int unet_do_link(int argc, char **argv);
int unet_do_monitor(int argc, char **argv);
/* ---- bridge.c ---- */
int unet_do_bridge(int argc, char **argv);
/* ---- pktgen.c ---- */
int unet_do_pktgen(int argc, char **argv);
/* ---- module.c, capture.c ---- */
int unet_do_module(int argc, char **argv);
int unet_do_capture(int argc, char **argv);
/* "help", "--help" or "-h": the subcommand's usage is wanted. */
bool unet_is_help(const char *arg);
bool unet_matches(const char *arg, const char *word);

#endif
