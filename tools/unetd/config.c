// SPDX-License-Identifier: MIT
/*
 * config.c - the configuration file: one unet command per line, without the
 * leading "unet" ("link add veth0 type veth peer veth1", "link set veth0 up"),
 * '#' starts a comment. Each line goes through the CLI's argument parser and
 * then through the same request handler as a socket client, so a file means
 * exactly what the commands would.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../common/linkargs.h"
#include "unetd.h"

#define MAX_TOKENS 32

/* With no file: a loopback, a veth pair and a null device; lo is up. */
static const char default_config[] = "link add lo type loopback\n"
				     "link set lo up\n"
				     "link add veth0 type veth peer veth1\n"
				     "link add null0 type null\n";

static int resolve(const char *name, void *ctx) UNETDEV_EXCLUDES(rtnl_mutex)
{
	struct net_device *dev;
	int idx;

	rtnl_lock();
	dev = __dev_get_by_name(&init_net, name);
	idx = dev ? dev->ifindex : 0;
	rtnl_unlock();
	return idx;
}

/* The first NLMSG_ERROR's errno in @c's queue, with its message. */
static int reply_status(struct unetd_client *c, const char **msg)
{
	for (struct unetd_rec *rec = c->out; rec; rec = rec->next) {
		const struct nlmsghdr *nlh = (const void *)rec->data;
		const struct nlmsgerr *e = mnl_nlmsg_get_payload(nlh);

		if (nlh->nlmsg_type != NLMSG_ERROR || !e->error)
			continue;
		*msg = NULL;
		if (nlh->nlmsg_flags & NLM_F_ACK_TLVS) {
			const struct nlattr *a = (const void *)((const char *)e + sizeof(*e));

			if (mnl_attr_get_type(a) == NLMSGERR_ATTR_MSG)
				*msg = mnl_attr_get_str(a);
		}
		return e->error;
	}
	return 0;
}

static int run_line(char *line, const char *where, int lineno)
{
	struct unetd_client local = {.fd = -1};
	char *argv[MAX_TOKENS], *save = NULL, err[256], *buf;
	struct nlmsghdr *nlh;
	const char *msg = NULL;
	int argc = 0, ret;

	for (char *t = strtok_r(line, " \t\r\n", &save); t && *t != '#';
	     t = strtok_r(NULL, " \t\r\n", &save)) {
		if (argc == MAX_TOKENS) {
			unetd_log(LOG_ERR, "%s:%d: too many words", where, lineno);
			return -EINVAL;
		}
		argv[argc++] = t;
	}
	if (argc == 0)
		return 0;
	if (strcmp(argv[0], "link") != 0) {
		unetd_log(LOG_ERR, "%s:%d: unknown object \"%s\"", where, lineno, argv[0]);
		return -EINVAL;
	}
	buf = calloc(1, UNETD_MSG_MAX);
	if (!buf)
		return -ENOMEM;
	local.out_tail = &local.out;
	ret = unet_link_build(argc - 1, argv + 1, buf, resolve, NULL, &nlh, err, sizeof(err));
	if (ret) {
		unetd_log(LOG_ERR, "%s:%d: %s", where, lineno, err);
		free(buf);
		return -EINVAL;
	}
	unetd_rtnl_rcv_msg(&local, nlh);
	ret = reply_status(&local, &msg);
	if (ret)
		unetd_log(LOG_ERR, "%s:%d: %s%s", where, lineno,
			  msg ? "Error: " : "RTNETLINK answers: ", msg ? msg : strerror(-ret));
	unetd_client_free_queue(&local);
	free(buf);
	return ret;
}

static int run_stream(FILE *f, const char *where)
{
	char line[1024];
	int lineno = 0, err;

	while (fgets(line, sizeof(line), f)) {
		lineno++;
		err = run_line(line, where, lineno);
		if (err)
			return err;
	}
	return 0;
}

int unetd_config_apply(const char *path)
{
	FILE *f;
	int err;

	if (!path) {
		f = fmemopen((void *)default_config, sizeof(default_config) - 1, "r");
		path = "(default configuration)";
	} else {
		f = fopen(path, "re");
	}
	if (!f) {
		err = -errno;
		unetd_log(LOG_ERR, "%s: %s", path, strerror(errno));
		return err;
	}
	err = run_stream(f, path);
	fclose(f);
	return err;
}
