// SPDX-License-Identifier: MIT
/*
 * module.c - "unet module": load, unload and list unetd's driver modules
 * (insmod, rmmod and lsmod over unetd's private module messages, see
 * docs/unetd.md). Errors print as ip prints rtnetlink errors.
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "unet.h"

static void module_usage(FILE *f)
{
	fprintf(f, "Usage: unet module load PATH [ NAME ]\n"
		   "       unet module { unload | del } NAME\n"
		   "       unet [ -j ] module [ list | show ]\n"
		   "       unet module help\n");
}

static int request(int type, const char *path, const char *name)
{
	char buf[MNL_NLMSG_HDRLEN + PATH_MAX + 128], msg[512];
	struct nlmsghdr *nlh;
	struct unet_nl nl;
	int err;

	memset(buf, 0, MNL_NLMSG_HDRLEN);
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = (unsigned short)type;
	nlh->nlmsg_flags = NLM_F_REQUEST;
	if (path)
		mnl_attr_put_strz(nlh, UNETD_MODA_PATH, path);
	if (name)
		mnl_attr_put_strz(nlh, UNETD_MODA_NAME, name);
	if (unet_nl_open(&nl))
		return UNET_EXIT_FAIL;
	err = unet_nl_talk(&nl, nlh, NULL, NULL, msg, sizeof(msg));
	unet_nl_close(&nl);
	if (err) {
		unet_print_rtnl_error(err, msg);
		return UNET_EXIT_RTNL;
	}
	return UNET_EXIT_OK;
}

static int module_load(int argc, char **argv)
{
	char abs[PATH_MAX];
	const char *path;

	if (argc < 1 || argc > 2) {
		fprintf(stderr,
			argc < 1 ? "Not enough information: module PATH is required.\n"
				 : "Error: either \"NAME\" is duplicate, or \"%s\" is a garbage.\n",
			argc > 2 ? argv[2] : "");
		return UNET_EXIT_USAGE;
	}
	/* The daemon has its own working directory: send an absolute path. */
	path = realpath(argv[0], abs) ? abs : argv[0];
	return request(UNETD_MSG_NEWMODULE, path, argc > 1 ? argv[1] : NULL);
}

static int module_unload(int argc, char **argv)
{
	if (argc != 1) {
		fprintf(stderr,
			argc < 1 ? "Not enough information: module NAME is required.\n"
				 : "Error: either \"NAME\" is duplicate, or \"%s\" is a garbage.\n",
			argc > 1 ? argv[1] : "");
		return UNET_EXIT_USAGE;
	}
	return request(UNETD_MSG_DELMODULE, NULL, argv[0]);
}

/* ---- list ---- */

struct mod_row {
	const struct nlattr *tb[UNETD_MODA_MAX + 1];
	bool first;
};

static int attr_cb(const struct nlattr *a, void *data)
{
	const struct nlattr **tb = data;

	if (mnl_attr_get_type(a) <= UNETD_MODA_MAX)
		tb[mnl_attr_get_type(a)] = a;
	return MNL_CB_OK;
}

static const char *str_or(const struct nlattr *a, const char *def)
{
	return a && mnl_attr_validate(a, MNL_TYPE_NUL_STRING) == 0 ? mnl_attr_get_str(a) : def;
}

/* A JSON string: quotes, backslashes and control characters escaped. */
static void json_puts(const char *v)
{
	putchar('"');
	for (; *v; v++) {
		if (*v == '"' || *v == '\\')
			printf("\\%c", *v);
		else if ((unsigned char)*v < 0x20)
			printf("\\u%04x", (unsigned char)*v);
		else
			putchar(*v);
	}
	putchar('"');
}

static void print_devices(const struct nlattr *devs, bool json)
{
	const struct nlattr *d;
	bool first = true;

	if (!devs)
		return;
	mnl_attr_for_each_nested(d, devs)
	{
		if (json) {
			printf("%s", first ? "" : ",");
			json_puts(str_or(d, ""));
		} else {
			printf(" %s", str_or(d, ""));
		}
		first = false;
	}
}

static int print_module(const struct nlmsghdr *nlh, void *ctx)
{
	struct mod_row *row = ctx;
	const struct nlattr *tb[UNETD_MODA_MAX + 1] = {NULL};
	bool unloading;
	unsigned int refs;

	if (nlh->nlmsg_type != UNETD_MSG_NEWMODULE)
		return 0;
	mnl_attr_parse(nlh, 0, attr_cb, tb);
	unloading = tb[UNETD_MODA_STATE] && mnl_attr_get_u8(tb[UNETD_MODA_STATE]);
	refs = tb[UNETD_MODA_REFS] ? mnl_attr_get_u32(tb[UNETD_MODA_REFS]) : 0;
	if (unet_opts.json) {
		printf("%s{\"name\":", row->first ? "" : ",");
		json_puts(str_or(tb[UNETD_MODA_NAME], ""));
		printf(",\"path\":");
		json_puts(str_or(tb[UNETD_MODA_PATH], ""));
		printf(",\"state\":\"%s\",\"refs\":%u,\"devices\":[",
		       unloading ? "unloading" : "live", refs);
		print_devices(tb[UNETD_MODA_DEVICES], true);
		printf("]}");
	} else {
		printf("%-20s %-9s %4u ", str_or(tb[UNETD_MODA_NAME], ""),
		       unloading ? "unloading" : "live", refs);
		print_devices(tb[UNETD_MODA_DEVICES], false);
		printf("\n");
	}
	row->first = false;
	return 0;
}

static int module_list(int argc, char **argv)
{
	char buf[MNL_NLMSG_HDRLEN];
	struct mod_row row = {.first = true};
	struct nlmsghdr *nlh;
	struct unet_nl nl;
	int err;

	if (argc > 0) {
		fprintf(stderr, "Error: either \"NAME\" is duplicate, or \"%s\" is a garbage.\n",
			argv[0]);
		return UNET_EXIT_USAGE;
	}
	memset(buf, 0, sizeof(buf));
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = UNETD_MSG_GETMODULE;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	if (unet_nl_open(&nl))
		return UNET_EXIT_FAIL;
	if (unet_opts.json)
		printf("[");
	else
		printf("Module               State     Refs  Devices\n");
	err = unet_nl_talk(&nl, nlh, print_module, &row, NULL, 0);
	if (unet_opts.json)
		printf("]\n");
	unet_nl_close(&nl);
	if (err) {
		unet_print_rtnl_error(err, NULL);
		return UNET_EXIT_RTNL;
	}
	return UNET_EXIT_OK;
}

int unet_do_module(int argc, char **argv)
{
	if (argc > 0 && unet_is_help(argv[0])) {
		module_usage(stdout);
		return UNET_EXIT_OK;
	}
	if (argc == 0 || unet_matches(argv[0], "list") || unet_matches(argv[0], "show"))
		return module_list(argc ? argc - 1 : 0, argv + 1);
	if (unet_matches(argv[0], "load") || !strcmp(argv[0], "add"))
		return module_load(argc - 1, argv + 1);
	if (unet_matches(argv[0], "unload") || !strcmp(argv[0], "del") ||
	    !strcmp(argv[0], "delete"))
		return module_unload(argc - 1, argv + 1);
	fprintf(stderr, "Command \"%s\" is unknown, try \"unet module help\".\n", argv[0]);
	return UNET_EXIT_USAGE;
}
