// SPDX-License-Identifier: MIT
/*
 * Daemon suite: unetd driven through unet, output compared with the text
 * and JSON iproute2 6.1 prints for the same links (ip link, ip -s link,
 * ip -j link, ip monitor link), exit codes and error messages included.
 */
#include "daemon_util.h"

static const char test_config[] = "# links with fixed addresses, so the output is known\n"
				  "link add lo type loopback\n"
				  "link set lo up\n"
				  "link add veth0 type veth peer veth1\n"
				  "link set veth0 address 02:00:00:00:00:10\n"
				  "link set veth1 address 02:00:00:00:00:11\n"
				  "link add null0 address 02:00:00:00:00:20 type null\n";

#define LO_TEXT                                                                                    \
	"1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue state UNKNOWN mode DEFAULT group "  \
	"default qlen 1000\n"                                                                      \
	"    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00\n"
#define VETH1_TEXT                                                                                 \
	"2: veth1@veth0: <BROADCAST,MULTICAST,M-DOWN> mtu 1500 qdisc noop state DOWN mode "        \
	"DEFAULT "                                                                                 \
	"group default qlen 1000\n"                                                                \
	"    link/ether 02:00:00:00:00:11 brd ff:ff:ff:ff:ff:ff\n"
#define VETH0_TEXT                                                                                 \
	"3: veth0@veth1: <BROADCAST,MULTICAST,M-DOWN> mtu 1500 qdisc noop state DOWN mode "        \
	"DEFAULT "                                                                                 \
	"group default qlen 1000\n"                                                                \
	"    link/ether 02:00:00:00:00:10 brd ff:ff:ff:ff:ff:ff\n"
#define NULL0_TEXT                                                                                 \
	"4: null0: <BROADCAST,NOARP> mtu 1500 qdisc noop state DOWN mode DEFAULT group default "   \
	"qlen 1000\n"                                                                              \
	"    link/ether 02:00:00:00:00:20 brd ff:ff:ff:ff:ff:ff\n"
#define STATS_ZERO                                                                                 \
	"    RX:  bytes packets errors dropped  missed   mcast           \n"                       \
	"             0       0      0       0       0       0 \n"                                 \
	"    TX:  bytes packets errors dropped carrier collsns           \n"                       \
	"             0       0      0       0       0       0 \n"

TEST(cli_link_show_text)
{
	struct unetd_proc d;

	unetd_start(&d, test_config, NULL);
	UNET_EXPECT(&d, 0, LO_TEXT VETH1_TEXT VETH0_TEXT NULL0_TEXT, "", "link", "show");
	UNET_EXPECT(&d, 0, LO_TEXT VETH1_TEXT VETH0_TEXT NULL0_TEXT, "", "link");
	UNET_EXPECT(&d, 0, VETH0_TEXT, "", "link", "show", "veth0");
	UNET_EXPECT(&d, 0, NULL0_TEXT, "", "l", "sh", "dev", "null0");
	UNET_EXPECT(&d, 1, "", "Device \"nosuch\" does not exist.\n", "link", "show", "nosuch");
	unetd_stop_clean(&d);
}

TEST(cli_link_show_stats)
{
	struct unetd_proc d;

	unetd_start(&d, test_config, NULL);
	UNET_EXPECT(&d, 0, LO_TEXT STATS_ZERO, "", "-s", "link", "show", "lo");
	UNET_EXPECT(
	    &d, 0,
	    LO_TEXT STATS_ZERO VETH1_TEXT STATS_ZERO VETH0_TEXT STATS_ZERO NULL0_TEXT STATS_ZERO,
	    "", "-s", "link");
	unetd_stop_clean(&d);
}

TEST(cli_link_show_json)
{
	struct unetd_proc d;

	unetd_start(&d, test_config, NULL);
	UNET_EXPECT(
	    &d, 0,
	    "[{\"ifindex\":1,\"ifname\":\"lo\",\"flags\":[\"LOOPBACK\",\"UP\",\"LOWER_UP\"],"
	    "\"mtu\":65536,\"qdisc\":\"noqueue\",\"operstate\":\"UNKNOWN\",\"linkmode\":"
	    "\"DEFAULT\",\"group\":\"default\",\"txqlen\":1000,\"link_type\":\"loopback\","
	    "\"address\":\"00:00:00:00:00:00\",\"broadcast\":\"00:00:00:00:00:00\"}]\n",
	    "", "-j", "link", "show", "lo");
	UNET_EXPECT(
	    &d, 0,
	    "[{\"ifindex\":2,\"link\":\"veth0\",\"ifname\":\"veth1\",\"flags\":[\"BROADCAST\","
	    "\"MULTICAST\",\"M-DOWN\"],\"mtu\":1500,\"qdisc\":\"noop\",\"operstate\":\"DOWN\","
	    "\"linkmode\":\"DEFAULT\",\"group\":\"default\",\"txqlen\":1000,\"link_type\":"
	    "\"ether\",\"address\":\"02:00:00:00:00:11\",\"broadcast\":\"ff:ff:ff:ff:ff:ff\"}]\n",
	    "", "-j", "link", "show", "veth1");
	UNET_EXPECT(
	    &d, 0,
	    "[{\"ifindex\":4,\"ifname\":\"null0\",\"flags\":[\"BROADCAST\",\"NOARP\"],\"mtu\":"
	    "1500,\"qdisc\":\"noop\",\"operstate\":\"DOWN\",\"linkmode\":\"DEFAULT\",\"group\":"
	    "\"default\",\"txqlen\":1000,\"link_type\":\"ether\",\"address\":"
	    "\"02:00:00:00:00:20\",\"broadcast\":\"ff:ff:ff:ff:ff:ff\",\"stats64\":{\"rx\":{"
	    "\"bytes\":0,\"packets\":0,\"errors\":0,\"dropped\":0,\"over_errors\":0,"
	    "\"multicast\":0},\"tx\":{\"bytes\":0,\"packets\":0,\"errors\":0,\"dropped\":0,"
	    "\"carrier_errors\":0,\"collisions\":0}}}]\n",
	    "", "-j", "-s", "link", "show", "null0");
	unetd_stop_clean(&d);
}

TEST(cli_link_set)
{
	struct unetd_proc d;

	unetd_start(&d, test_config, NULL);
	UNET_EXPECT(&d, 0, "", "", "link", "set", "veth0", "up");
	UNET_EXPECT(&d, 0, "", "", "link", "set", "dev", "veth1", "up", "mtu", "9000");
	/* Carrier reaches operstate through the linkwatch work, asynchronously (R-LINK-4/6). */
	UNET_EXPECT_EVENTUALLY(
	    &d, 0,
	    "3: veth0@veth1: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue state "
	    "UP mode DEFAULT group default qlen 1000\n"
	    "    link/ether 02:00:00:00:00:10 brd ff:ff:ff:ff:ff:ff\n",
	    "", "link", "show", "veth0");
	UNET_EXPECT(&d, 0, "", "", "link", "set", "null0", "promisc", "on", "allmulticast", "on",
		    "txqueuelen", "500", "address", "02:00:00:00:00:21");
	UNET_EXPECT(&d, 0, "", "", "link", "set", "null0", "name", "null9");
	UNET_EXPECT(
	    &d, 0,
	    "4: null9: <BROADCAST,NOARP,ALLMULTI,PROMISC> mtu 1500 qdisc noop state DOWN mode "
	    "DEFAULT group default qlen 500\n"
	    "    link/ether 02:00:00:00:00:21 brd ff:ff:ff:ff:ff:ff\n",
	    "", "link", "show", "null9");
	UNET_EXPECT(&d, 0, "", "", "link", "set", "null9", "promisc", "off", "down");
	UNET_EXPECT(&d, 0, "", "", "link", "set", "veth0", "down");
	unetd_stop_clean(&d);
}

TEST(cli_link_add_del)
{
	struct unetd_proc d;

	unetd_start(&d, test_config, NULL);
	UNET_EXPECT(&d, 0, "", "", "link", "add", "va", "type", "veth", "peer", "name", "vb");
	UNET_EXPECT(&d, 0, "", "", "link", "add", "name", "d0", "mtu", "2000", "type", "dummy");
	UNET_EXPECT(&d, 0, "", "", "link", "add", "n1", "numtxqueues", "4", "type", "null");
	{
		struct unet_run r;

		unet_run(&d, &r, "-j", "link", "show", "vb", (char *)NULL);
		ASSERT_CONTAINS(r.out, "\"link\":\"va\",\"ifname\":\"vb\"");
		unet_run(&d, &r, "link", "show", "d0", (char *)NULL);
		ASSERT_CONTAINS(r.out, "7: d0: <BROADCAST,NOARP> mtu 2000 qdisc noop");
	}
	UNET_EXPECT(&d, 0, "", "", "link", "del", "va");
	UNET_EXPECT(&d, 1, "", "Device \"vb\" does not exist.\n", "link", "show", "vb");
	UNET_EXPECT(&d, 0, "", "", "link", "delete", "dev", "d0");
	UNET_EXPECT(&d, 0, "", "", "link", "del", "n1");
	UNET_EXPECT(&d, 0, LO_TEXT VETH1_TEXT VETH0_TEXT NULL0_TEXT, "", "link", "show");
	unetd_stop_clean(&d);
}

TEST(cli_errors_like_iproute2)
{
	struct unetd_proc d;

	unetd_start(&d, test_config, NULL);
	UNET_EXPECT(&d, 2, "", "Error: mtu less than device minimum.\n", "link", "set", "veth0",
		    "mtu", "10");
	UNET_EXPECT(&d, 2, "", "Error: mtu greater than device maximum.\n", "link", "set", "veth0",
		    "mtu", "70000");
	UNET_EXPECT(&d, 2, "", "Error: Device name already in use.\n", "link", "add", "veth0",
		    "type", "veth");
	UNET_EXPECT(&d, 2, "", "Error: Unknown device type.\n", "link", "add", "x0", "type",
		    "bogus");
	UNET_EXPECT(
	    &d, 255, "",
	    "Error: argument \"x123456789012345678\" is wrong: \"name\" not a valid ifname\n",
	    "link", "add", "x123456789012345678", "type", "null");
	UNET_EXPECT(&d, 1, "", "Cannot find device \"nosuch\"\n", "link", "set", "nosuch", "up");
	UNET_EXPECT(&d, 1, "", "Cannot find device \"nosuch\"\n", "link", "del", "nosuch");
	UNET_EXPECT(&d, 255, "", "Command \"foo\" is unknown, try \"unet link help\".\n", "link",
		    "foo");
	UNET_EXPECT(&d, 255, "", "Object \"bar\" is unknown, try \"unet help\".\n", "bar");
	UNET_EXPECT(&d, 255, "", "Error: argument \"abc\" is wrong: Invalid \"mtu\" value\n",
		    "link", "set", "veth0", "mtu", "abc");
	UNET_EXPECT(&d, 255, "",
		    "Error: argument of \"promisc\" must be \"on\" or \"off\", not \"x\"\n", "link",
		    "set", "veth0", "promisc", "x");
	UNET_EXPECT(&d, 255, "", "Not enough information: \"type\" argument is required\n", "link",
		    "add", "x0");
	/* Renaming onto a taken name: the core's -EEXIST, without a message. */
	UNET_EXPECT(&d, 2, "", "RTNETLINK answers: File exists\n", "link", "set", "null0", "name",
		    "veth0");
	unetd_stop_clean(&d);
}

TEST(cli_help)
{
	struct unetd_proc d;
	struct unet_run r;

	unetd_start(&d, test_config, NULL);
	unet_run(&d, &r, "--help", (char *)NULL);
	ASSERT_EQ(r.rc, 0);
	ASSERT_CONTAINS(r.out, "Usage: unet [ OPTIONS ] OBJECT");
	unet_run(&d, &r, "link", "help", (char *)NULL);
	ASSERT_EQ(r.rc, 0);
	ASSERT_CONTAINS(r.out, "unet link add [name] NAME");
	unet_run(&d, &r, "monitor", "--help", (char *)NULL);
	ASSERT_EQ(r.rc, 0);
	ASSERT_CONTAINS(r.out, "Usage: unet monitor");
	unet_run(&d, &r, (char *)NULL);
	ASSERT_EQ(r.rc, 255);
	unetd_stop_clean(&d);
}

TEST(cli_unetd_help_and_bad_options)
{
	const char *bin = tool_path("UNETD_TEST_UNETD");
	char cmd[512];

	snprintf(cmd, sizeof(cmd), "'%s' --help | grep -q 'Usage: unetd'", bin);
	ASSERT_EQ(system(cmd), 0);
	snprintf(cmd, sizeof(cmd), "'%s' --bogus 2>/dev/null", bin);
	ASSERT_EQ(WEXITSTATUS(system(cmd)), 1);
}

TEST(cli_monitor_sees_link_set_up)
{
	struct unetd_proc d;
	char outp[160];
	struct unet_run r;
	pid_t mon;
	const char *got = "";

	unetd_start(&d, test_config, NULL);
	mon = unet_monitor_start(&d, outp, sizeof(outp), false);
	unet_run(&d, &r, "link", "set", "null0", "up", (char *)NULL);
	ASSERT_EQ(r.rc, 0);
	unet_run(&d, &r, "link", "set", "null0", "mtu", "1400", (char *)NULL);
	unet_run(&d, &r, "link", "add", "q0", "type", "dummy", (char *)NULL);
	unet_run(&d, &r, "link", "del", "q0", (char *)NULL);
	for (int i = 0; i < 300 && !strstr(got, "Deleted"); i++) {
		sleep_ms(10);
		got = read_file(outp);
	}
	kill(mon, SIGTERM);
	waitpid(mon, NULL, 0);
	ASSERT_CONTAINS(got, "4: null0: <BROADCAST,NOARP,UP,LOWER_UP> mtu 1500 qdisc noqueue state "
			     "UNKNOWN group default \n"
			     "    link/ether 02:00:00:00:00:20 brd ff:ff:ff:ff:ff:ff\n");
	ASSERT_CONTAINS(got, "4: null0: <BROADCAST,NOARP,UP,LOWER_UP> mtu 1400 ");
	ASSERT_CONTAINS(got,
			"5: q0: <BROADCAST,NOARP> mtu 1500 qdisc noop state DOWN group default");
	ASSERT_CONTAINS(got, "Deleted 5: q0: ");
	unetd_stop_clean(&d);
}

TEST(daemon_default_config)
{
	struct unetd_proc d;
	struct unet_run r;

	unetd_start(&d, NULL, NULL);
	unet_run(&d, &r, "link", (char *)NULL);
	ASSERT_EQ(r.rc, 0);
	ASSERT_CONTAINS(r.out, "1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536");
	ASSERT_CONTAINS(r.out, "2: veth1@veth0: ");
	ASSERT_CONTAINS(r.out, "3: veth0@veth1: ");
	ASSERT_CONTAINS(r.out, "4: null0: ");
	unetd_stop_clean(&d);
}

TEST(daemon_bad_config_fails_cleanly)
{
	const char *bin = tool_path("UNETD_TEST_UNETD");
	char dir[] = "/tmp/unetd-cfg-XXXXXX", cfg[128], cmd[512];
	int status;

	ASSERT_NOT_NULL(mkdtemp(dir));
	snprintf(cfg, sizeof(cfg), "%s/c", dir);
	write_file(cfg, "link add a0 type null\nlink set a0 mtu abc\n");
	snprintf(cmd, sizeof(cmd), "'%s' -f -s %s/s -c %s 2>%s/log", bin, dir, cfg, dir);
	status = system(cmd);
	ASSERT_EQ(WEXITSTATUS(status), 1);
	snprintf(cfg, sizeof(cfg), "%s/log", dir);
	ASSERT_CONTAINS(read_file(cfg),
			"c:2: Error: argument \"abc\" is wrong: Invalid \"mtu\" value");
	write_file(cfg, "");
	snprintf(cfg, sizeof(cfg), "%s/c", dir);
	write_file(cfg, "link add a0 type veth peer a1\nlink add a1 type null\n");
	status = system(cmd);
	ASSERT_EQ(WEXITSTATUS(status), 1);
	snprintf(cfg, sizeof(cfg), "%s/log", dir);
	ASSERT_CONTAINS(read_file(cfg), "c:2: Error: Device name already in use");
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	ASSERT_EQ(system(cmd), 0);
}

TEST(daemon_daemonize_and_sigterm)
{
	const char *bin = tool_path("UNETD_TEST_UNETD");
	char dir[] = "/tmp/unetd-dmn-XXXXXX", sock[128], cmd[512];
	struct ucred cr;
	socklen_t len = sizeof(cr);
	int fd;

	ASSERT_NOT_NULL(mkdtemp(dir));
	snprintf(sock, sizeof(sock), "%s/s", dir);
	snprintf(cmd, sizeof(cmd), "'%s' -d -s %s", bin, sock);
	ASSERT_EQ(system(cmd), 0); /* returns once the socket is ready */
	fd = raw_connect(sock);
	ASSERT_GE(fd, 0);
	ASSERT_EQ(getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cr, &len), 0);
	close(fd);
	ASSERT_EQ(kill(cr.pid, SIGTERM), 0);
	for (int i = 0; i < 500 && access(sock, F_OK) == 0; i++)
		sleep_ms(10);
	ASSERT_NE(access(sock, F_OK), 0);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	ASSERT_EQ(system(cmd), 0);
}
