// SPDX-License-Identifier: MIT
/*
 * Daemon suite: driver modules through unetd (R-ALLOC-23, R-ALLOC-24).
 * "unet module load/unload/list" with exact output, a module's link kind
 * ("moddummy" of tests/modules/mod_dummy.so) used by "unet link add", the
 * unload of a module whose device is held by an open capture (the device is
 * unregistered at once, its memory stays until the capture is closed, and the
 * daemon then exits clean: no device, skb or allocation left, under ASan
 * too), and every bad input with its errno and message.
 */
#include <limits.h>
#include <stdlib.h>

#include "daemon_util.h"

#define LIST_HEADER "Module               State     Refs  Devices\n"

TEST(module_load_list_unload)
{
	const char *path = test_module_path("MOD_DUMMY");
	struct unetd_proc d;
	struct unet_run r;
	char json[PATH_MAX + 256], abs[PATH_MAX];

	ASSERT_NOT_NULL(realpath(path, abs));
	unetd_start(&d, unetd_lo_only, NULL);
	UNET_EXPECT(&d, 0, LIST_HEADER, "", "module", "list");
	UNET_EXPECT(&d, 0, "", "", "module", "load", path);
	/* The module's init registered moddummy0; its kind makes md1. */
	UNET_EXPECT(&d, 0, "", "", "link", "add", "md1", "type", "moddummy");
	UNET_EXPECT(&d, 0, LIST_HEADER "mod_dummy            live         0  moddummy0 md1\n", "",
		    "module");
	snprintf(json, sizeof(json),
		 "[{\"name\":\"mod_dummy\",\"path\":\"%s\",\"state\":\"live\",\"refs\":0,"
		 "\"devices\":[\"moddummy0\",\"md1\"]}]\n",
		 abs);
	UNET_EXPECT(&d, 0, json, "", "-j", "module", "show");
	ASSERT_EQ(unet_run(&d, &r, "link", "show", "md1", (char *)NULL), 0);
	ASSERT_CONTAINS(r.out, "3: md1: <BROADCAST,MULTICAST> mtu 1500 qdisc noop state DOWN mode "
			       "DEFAULT group default qlen 1000\n    link/ether ");
	UNET_EXPECT(&d, 0, "", "", "module", "unload", "mod_dummy");
	UNET_EXPECT(&d, 1, "", "Device \"md1\" does not exist.\n", "link", "show", "md1");
	UNET_EXPECT(&d, 1, "", "Device \"moddummy0\" does not exist.\n", "link", "show",
		    "moddummy0");
	UNET_EXPECT(&d, 2, "", "Error: Unknown device type.\n", "link", "add", "md2", "type",
		    "moddummy");
	UNET_EXPECT(&d, 0, LIST_HEADER, "", "module", "list");
	/* Unloaded: it loads again, under a name of our choosing. */
	UNET_EXPECT(&d, 0, "", "", "module", "load", path, "dummy2");
	UNET_EXPECT(&d, 0, LIST_HEADER "dummy2               live         0  moddummy0\n", "",
		    "module");
	unetd_stop_clean(&d); /* the daemon unloads what is left */
}

/* An open capture on md1: a client that sent UNETD_MSG_CAPTURE and keeps its socket. */
static int open_capture(const struct unetd_proc *d, const char *dev)
{
	char buf[UNETD_MSG_MAX];
	struct nlmsghdr *nlh;
	struct nl_reply rep;
	int fd = raw_connect(d->sock);

	ASSERT_GE(fd, 0);
	memset(buf, 0, MNL_NLMSG_HDRLEN);
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = UNETD_MSG_CAPTURE;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
	nlh->nlmsg_seq = 7;
	mnl_attr_put_strz(nlh, UNETD_CAPA_IFNAME, dev);
	ASSERT_EQ(send(fd, buf, nlh->nlmsg_len, 0), (ssize_t)nlh->nlmsg_len);
	ASSERT_GT(raw_recv(fd, &rep, buf, sizeof(buf)), 0);
	ASSERT_EQ(rep.type, NLMSG_ERROR);
	ASSERT_EQ(rep.error, 0);
	return fd;
}

TEST(r_alloc_24_unload_with_device_held_by_capture)
{
	const char *path = test_module_path("MOD_DUMMY");
	char buf[UNETD_MSG_MAX];
	struct unetd_proc d;
	ssize_t n;
	int fd;

	unetd_start(&d, unetd_lo_only, NULL);
	UNET_EXPECT(&d, 0, "", "", "module", "load", path);
	UNET_EXPECT(&d, 0, "", "", "link", "add", "md1", "type", "moddummy");
	fd = open_capture(&d, "md1");
	UNET_EXPECT(&d, 0, LIST_HEADER "mod_dummy            live         1  moddummy0 md1\n", "",
		    "module", "list");
	/* exit runs: the devices are unregistered now, not when the capture ends */
	UNET_EXPECT(&d, 0, "", "", "module", "unload", "mod_dummy");
	UNET_EXPECT(&d, 1, "", "Device \"md1\" does not exist.\n", "link", "show", "md1");
	UNET_EXPECT(&d, 0, LIST_HEADER "mod_dummy            unloading    1 \n", "", "module",
		    "list");
	UNET_EXPECT(&d, 2, "", "Error: Module is already unloading.\n", "module", "unload",
		    "mod_dummy");
	/* The capture learns that its device went away: NLMSG_DONE -ENODEV. */
	n = recv(fd, buf, sizeof(buf), 0);
	ASSERT_GE(n, (ssize_t)(MNL_NLMSG_HDRLEN + sizeof(int)));
	ASSERT_EQ(((struct nlmsghdr *)buf)->nlmsg_type, NLMSG_DONE);
	ASSERT_EQ(*(int *)mnl_nlmsg_get_payload((struct nlmsghdr *)buf), -ENODEV);
	/* The last reference is put: the record and the device memory go. */
	close(fd);
	UNET_EXPECT_EVENTUALLY(&d, 0, LIST_HEADER, "", "module", "list");
	ASSERT_CONTAINS(read_file(d.log), "module mod_dummy: last reference put, gone");
	unetd_stop_clean(&d); /* exit 0: no device or allocation left (ASan: no leak) */
}

TEST(module_bad_input)
{
	char notso[160], dir[160];
	struct unetd_proc d;

	unetd_start(&d, unetd_lo_only, NULL);
	snprintf(notso, sizeof(notso), "%s/notamodule.so", d.dir);
	write_file(notso, "not an ELF object\n");
	snprintf(dir, sizeof(dir), "%s/", d.dir);
	UNET_EXPECT(&d, 2, "", "Error: Module file not found.\n", "module", "load",
		    "/nonexistent/mod_none.so");
	UNET_EXPECT(&d, 2, "", "Error: Not a shared object (no ELF header).\n", "module", "load",
		    notso);
	UNET_EXPECT(&d, 2, "", "Error: Module path is not a regular file.\n", "module", "load",
		    dir);
	UNET_EXPECT(&d, 2, "", "Error: Not a unetdev module: no MODULE_LICENSE().\n", "module",
		    "load", test_module_path("MOD_NOLICENSE"));
	UNET_EXPECT(&d, 2, "", "Error: Not a driver module: no module_init().\n", "module", "load",
		    test_module_path("MOD_NOINIT"));
	UNET_EXPECT(&d, 0, "", "", "module", "load", test_module_path("MOD_DUMMY"));
	UNET_EXPECT(&d, 2, "", "Error: Module already loaded.\n", "module", "load",
		    test_module_path("MOD_DUMMY"));
	UNET_EXPECT(&d, 2, "", "Error: Module already loaded.\n", "module", "load",
		    test_module_path("MOD_DUMMY"), "other");
	UNET_EXPECT(&d, 2, "", "Error: Module not loaded.\n", "module", "unload", "nosuch");
	UNET_EXPECT(&d, 255, "", "Not enough information: module PATH is required.\n", "module",
		    "load");
	UNET_EXPECT(&d, 255, "", "Not enough information: module NAME is required.\n", "module",
		    "unload");
	UNET_EXPECT(&d, 255, "", "Command \"frob\" is unknown, try \"unet module help\".\n",
		    "module", "frob");
	UNET_EXPECT(&d, 0, LIST_HEADER "mod_dummy            live         0  moddummy0\n", "",
		    "module");
	unetd_stop_clean(&d);
}

/* The raw messages: missing attributes, a get without NLM_F_DUMP, an over-long name. */
TEST(module_bad_messages)
{
	char buf[512], name[100];
	struct nlmsghdr *nlh;
	struct unetd_proc d;
	int fd;

	unetd_start(&d, unetd_lo_only, NULL);
	fd = raw_connect(d.sock);
	ASSERT_GE(fd, 0);
	memset(buf, 0, sizeof(buf));
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = UNETD_MSG_NEWMODULE;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
	raw_expect(fd, buf, nlh->nlmsg_len, -EINVAL, "Module path (UNETD_MODA_PATH) missing");
	nlh->nlmsg_type = UNETD_MSG_DELMODULE;
	raw_expect(fd, buf, nlh->nlmsg_len, -EINVAL, "Module name (UNETD_MODA_NAME) missing");
	nlh->nlmsg_type = UNETD_MSG_GETMODULE;
	raw_expect(fd, buf, nlh->nlmsg_len, -EOPNOTSUPP, "NLM_F_DUMP");
	memset(name, 'm', sizeof(name) - 1);
	name[sizeof(name) - 1] = 0;
	nlh->nlmsg_type = UNETD_MSG_DELMODULE;
	mnl_attr_put_strz(nlh, UNETD_MODA_NAME, name);
	raw_expect(fd, buf, nlh->nlmsg_len, -ERANGE, "Attribute failed policy validation");
	close(fd);
	unetd_stop_clean(&d);
}

TEST(module_help)
{
	struct unetd_proc d;

	unetd_start(&d, unetd_lo_only, NULL);
	UNET_EXPECT(&d, 0,
		    "Usage: unet module load PATH [ NAME ]\n"
		    "       unet module { unload | del } NAME\n"
		    "       unet [ -j ] module [ list | show ]\n"
		    "       unet module help\n",
		    "", "module", "help");
	unetd_stop_clean(&d);
}
