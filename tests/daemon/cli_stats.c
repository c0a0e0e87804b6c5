// SPDX-License-Identifier: MIT
/*
 * Daemon suite: "unet -s -s link" (iproute2 6.1's extra error lines, text
 * and JSON) and "unet -j monitor" (one JSON object per line), checked
 * against exact expected output.
 */
#include "daemon_util.h"

static const char config[] = "link add lo type loopback\n"
			     "link set lo up\n"
			     "link add null0 address 02:00:00:00:00:20 type null\n";

#define NULL0_HEAD                                                                                 \
	"2: null0: <BROADCAST,NOARP> mtu 1500 qdisc noop state DOWN mode DEFAULT group default "   \
	"qlen 1000\n"                                                                              \
	"    link/ether 02:00:00:00:00:20 brd ff:ff:ff:ff:ff:ff\n"

TEST(cli_stats_twice_adds_error_lines)
{
	struct unetd_proc d;

	unetd_start(&d, config, NULL);
	UNET_EXPECT(&d, 0,
		    NULL0_HEAD "    RX:  bytes packets errors dropped  missed   mcast           \n"
			       "             0       0      0       0       0       0 \n"
			       "    RX errors:  length    crc   frame    fifo overrun\n"
			       "                     0      0       0       0       0 \n"
			       "    TX:  bytes packets errors dropped carrier collsns           \n"
			       "             0       0      0       0       0       0 \n"
			       "    TX errors: aborted   fifo  window heartbt transns\n"
			       "                     0      0       0       0       0 \n",
		    "", "-s", "-s", "link", "show", "null0");
	/* One -s: no error lines. */
	UNET_EXPECT(&d, 0,
		    NULL0_HEAD "    RX:  bytes packets errors dropped  missed   mcast           \n"
			       "             0       0      0       0       0       0 \n"
			       "    TX:  bytes packets errors dropped carrier collsns           \n"
			       "             0       0      0       0       0       0 \n",
		    "", "-s", "link", "show", "null0");
	unetd_stop_clean(&d);
}

TEST(cli_stats_twice_json)
{
	struct unetd_proc d;

	unetd_start(&d, config, NULL);
	UNET_EXPECT(
	    &d, 0,
	    "[{\"ifindex\":2,\"ifname\":\"null0\",\"flags\":[\"BROADCAST\",\"NOARP\"],\"mtu\":1500,"
	    "\"qdisc\":\"noop\",\"operstate\":\"DOWN\",\"linkmode\":\"DEFAULT\",\"group\":"
	    "\"default\",\"txqlen\":1000,\"link_type\":\"ether\",\"address\":\"02:00:00:00:00:20\","
	    "\"broadcast\":\"ff:ff:ff:ff:ff:ff\",\"stats64\":{\"rx\":{\"bytes\":0,\"packets\":0,"
	    "\"errors\":0,\"dropped\":0,\"over_errors\":0,\"multicast\":0,\"length_errors\":0,"
	    "\"crc_errors\":0,\"frame_errors\":0,\"fifo_errors\":0,\"missed_errors\":0},\"tx\":{"
	    "\"bytes\":0,\"packets\":0,\"errors\":0,\"dropped\":0,\"carrier_errors\":0,"
	    "\"collisions\":0,\"aborted_errors\":0,\"fifo_errors\":0,\"window_errors\":0,"
	    "\"heartbeat_errors\":0,\"carrier_changes\":0}}}]\n",
	    "", "-s", "-s", "-j", "link", "show", "null0");
	unetd_stop_clean(&d);
}

TEST(cli_json_monitor_lines)
{
	char outp[160];
	struct unetd_proc d;
	const char *got = "";
	pid_t mon;

	unetd_start(&d, config, NULL);
	mon = unet_monitor_start(&d, outp, sizeof(outp), true);
	UNET_EXPECT(&d, 0, "", "", "link", "set", "null0", "mtu", "1400");
	UNET_EXPECT(&d, 0, "", "", "link", "del", "null0");
	for (int i = 0; i < 1000 && !strstr(got, "\"deleted\""); i++) {
		sleep_ms(10);
		got = read_file(outp);
	}
	kill(mon, SIGTERM);
	waitpid(mon, NULL, 0);
	ASSERT_CONTAINS(got, "\n{\"ifindex\":2,\"ifname\":\"null0\",\"flags\":[\"BROADCAST\","
			     "\"NOARP\"],\"mtu\":1400,\"qdisc\":\"noop\",\"operstate\":\"DOWN\","
			     "\"group\":\"default\",\"link_type\":\"ether\",\"address\":"
			     "\"02:00:00:00:00:20\",\"broadcast\":\"ff:ff:ff:ff:ff:ff\"}\n");
	ASSERT_CONTAINS(got, "\n{\"deleted\":true,\"ifindex\":2,\"ifname\":\"null0\",\"flags\":["
			     "\"BROADCAST\",\"NOARP\"],\"mtu\":1400,\"qdisc\":\"noop\","
			     "\"operstate\":\"DOWN\",\"group\":\"default\",\"link_type\":\"ether\","
			     "\"address\":\"02:00:00:00:00:20\",\"broadcast\":"
			     "\"ff:ff:ff:ff:ff:ff\"}\n");
	/* Every line is one object. */
	for (const char *p = got, *nl; *p; p = nl + 1) {
		nl = strchr(p, '\n');
		ASSERT_NOT_NULL(nl);
		ASSERT_EQ(*p, '{');
		ASSERT_EQ(nl[-1], '}');
	}
	unetd_stop_clean(&d);
}

/* --help for every subcommand, with its own usage. */
TEST(cli_help_every_subcommand)
{
	static const char *const objs[][2] = {
	    {"link", "Usage: unet link add"},
	    {"monitor", "Usage: unet monitor"},
	    {"module", "Usage: unet module load"},
	    {"capture", "Usage: unet capture"},
	};
	static const char *const forms[] = {"help", "--help", "-h"};
	struct unetd_proc d;
	struct unet_run r;

	unetd_start(&d, config, NULL);
	for (size_t i = 0; i < sizeof(objs) / sizeof(objs[0]); i++) {
		for (size_t j = 0; j < sizeof(forms) / sizeof(forms[0]); j++) {
			unet_run(&d, &r, objs[i][0], forms[j], (char *)NULL);
			ASSERT_EQ(r.rc, 0);
			ASSERT_STR_EQ(r.err, "");
			ASSERT_EQ(strncmp(r.out, objs[i][1], strlen(objs[i][1])), 0);
		}
	}
	UNET_EXPECT(&d, 0, NULL, "", "help");
	UNET_EXPECT(&d, 255, "", "Object \"frob\" is unknown, try \"unet help\".\n", "frob");
	unetd_stop_clean(&d);
}
