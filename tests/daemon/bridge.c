// SPDX-License-Identifier: MIT
/*
 * Daemon suite: the bridge through unetd. Ports join and leave with
 * `unet link set DEV master BR | nomaster` and raw RTM_SETLINK IFLA_MASTER;
 * `unet link show` prints "master br0" where iproute2 6.1 does; `unet bridge
 * fdb show` (text, JSON, filters) prints the RTM_GETNEIGH dump of AF_BRIDGE
 * neighbours as `bridge fdb show` does; bad enslaving gets the kernel's errno
 * and message; the daemon shuts down cleanly with ports enslaved.
 *
 *   veth1 --- veth0 --+
 *                     br0        test traffic: unet pktgen on veth1 / vb
 *      vb ---    va --+
 */
#include <linux/neighbour.h>
#include <net/if.h>

#include "daemon_util.h"

static const char bridge_config[] = "link add lo type loopback\n"
				    "link set lo up\n"
				    "link add veth0 type veth peer veth1\n"
				    "link set veth0 address 02:00:00:00:00:10\n"
				    "link set veth1 address 02:00:00:00:00:11\n"
				    "link add va type veth peer vb\n"
				    "link set va address 02:00:00:00:00:20\n"
				    "link set vb address 02:00:00:00:00:21\n"
				    "link add br0 type bridge\n"
				    "link set veth0 master br0\n"
				    "link set va master br0\n"
				    "link set br0 up\n"
				    "link set veth0 up\n"
				    "link set veth1 up\n"
				    "link set va up\n"
				    "link set vb up\n";

#define VETH0_UP(master)                                                                           \
	"3: veth0@veth1: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue " master         \
	"state UP mode DEFAULT group default qlen 1000\n"                                          \
	"    link/ether 02:00:00:00:00:10 brd ff:ff:ff:ff:ff:ff\n"
#define BR0_UP                                                                                     \
	"6: br0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue state UP mode DEFAULT "  \
	"group default qlen 1000\n"                                                                \
	"    link/ether 02:00:00:00:00:10 brd ff:ff:ff:ff:ff:ff\n"

#define FDB_LOCAL_ONLY                                                                             \
	"02:00:00:00:00:10 dev veth0 master br0 permanent\n"                                       \
	"02:00:00:00:00:20 dev va master br0 permanent\n"

/* Two hosts behind the two ports send; the bridge learns both. */
static void learn_two_hosts(struct unetd_proc *d)
{
	UNET_EXPECT(d, 0, "", "", "pktgen", "veth1", "src", "02:00:00:00:00:99", "count", "2");
	UNET_EXPECT(d, 0, "", "", "pktgen", "vb", "src", "02:00:00:00:00:98", "dst",
		    "02:00:00:00:00:99");
}

TEST(daemon_bridge_link_show_prints_master)
{
	struct unetd_proc d;

	unetd_start(&d, bridge_config, NULL);
	/* ip link: "... qdisc noqueue master br0 state UP ..." once linkwatch has run. */
	UNET_EXPECT_EVENTUALLY(&d, 0, VETH0_UP("master br0 "), "", "link", "show", "veth0");
	UNET_EXPECT_EVENTUALLY(&d, 0, BR0_UP, "", "link", "show", "br0");
	UNET_EXPECT(&d, 0,
		    "[{\"ifindex\":3,\"link\":\"veth1\",\"ifname\":\"veth0\",\"flags\":["
		    "\"BROADCAST\",\"MULTICAST\",\"UP\",\"LOWER_UP\"],\"mtu\":1500,\"qdisc\":"
		    "\"noqueue\",\"master\":\"br0\",\"operstate\":\"UP\",\"linkmode\":\"DEFAULT\","
		    "\"group\":\"default\",\"txqlen\":1000,\"link_type\":\"ether\",\"address\":"
		    "\"02:00:00:00:00:10\",\"broadcast\":\"ff:ff:ff:ff:ff:ff\"}]\n",
		    "", "-j", "link", "show", "veth0");
	/* nomaster: the attribute goes, and so does the port's FDB entry. */
	UNET_EXPECT(&d, 0, "", "", "link", "set", "veth0", "nomaster");
	UNET_EXPECT(&d, 0, VETH0_UP(""), "", "link", "show", "veth0");
	UNET_EXPECT(&d, 0, "02:00:00:00:00:20 dev va master br0 permanent\n", "", "bridge", "fdb",
		    "show");
	UNET_EXPECT(&d, 0, "", "", "link", "set", "dev", "veth0", "master", "br0");
	UNET_EXPECT(&d, 0, VETH0_UP("master br0 "), "", "link", "show", "veth0");
	unetd_stop_clean(&d);
}

TEST(daemon_bridge_fdb_show_text_and_json)
{
	struct unetd_proc d;

	unetd_start(&d, bridge_config, NULL);
	UNET_EXPECT_EVENTUALLY(&d, 0, VETH0_UP("master br0 "), "", "link", "show", "veth0");
	UNET_EXPECT(&d, 0, FDB_LOCAL_ONLY, "", "bridge", "fdb", "show");
	learn_two_hosts(&d);
	/* Learned entries have no state word (NUD_REACHABLE), as in iproute2. */
	UNET_EXPECT(&d, 0,
		    "02:00:00:00:00:10 dev veth0 master br0 permanent\n"
		    "02:00:00:00:00:99 dev veth0 master br0 \n"
		    "02:00:00:00:00:98 dev va master br0 \n"
		    "02:00:00:00:00:20 dev va master br0 permanent\n",
		    "", "bridge", "fdb", "show");
	UNET_EXPECT(&d, 0,
		    "02:00:00:00:00:98 master br0 \n02:00:00:00:00:20 master br0 permanent\n", "",
		    "bridge", "fdb", "show", "br", "br0", "brport", "va");
	UNET_EXPECT(&d, 0, FDB_LOCAL_ONLY, "", "bridge", "fdb", "show", "state", "permanent");
	UNET_EXPECT(&d, 0,
		    "[{\"mac\":\"02:00:00:00:00:10\",\"ifname\":\"veth0\",\"flags\":[],\"master\":"
		    "\"br0\",\"state\":\"permanent\"},{\"mac\":\"02:00:00:00:00:99\",\"ifname\":"
		    "\"veth0\",\"flags\":[],\"master\":\"br0\",\"state\":\"\"},{\"mac\":"
		    "\"02:00:00:00:00:98\",\"ifname\":\"va\",\"flags\":[],\"master\":\"br0\","
		    "\"state\":\"\"},{\"mac\":\"02:00:00:00:00:20\",\"ifname\":\"va\",\"flags\":[],"
		    "\"master\":\"br0\",\"state\":\"permanent\"}]\n",
		    "", "-j", "bridge", "fdb", "show");
	/* -s adds "used USED/UPDATED" in seconds: 0 unless the machine is busy. */
	{
		struct unet_run r;
		unsigned int used = ~0u, updated = ~0u;
		int end = 0;

		ASSERT_EQ(unet_run(&d, &r, "-s", "bridge", "fdb", "show", "brport", "va", "state",
				   "reachable", (char *)NULL),
			  0);
		ASSERT_EQ(sscanf(r.out, "02:00:00:00:00:98 used %u/%u master br0 \n%n", &used,
				 &updated, &end),
			  2);
		ASSERT_EQ((size_t)end, strlen(r.out)); /* one line, nothing after it */
		ASSERT_LE(used, 30);
		ASSERT_LE(updated, 30);
	}
	/* The 2 + 1 frames: veth1's two broadcasts went to va and up to br0; vb's one to veth0. */
	UNET_EXPECT(&d, 0, "", "", "pktgen", "veth1", "count", "3", "dst", "02:00:00:00:00:98");
	UNET_EXPECT(&d, 255, "", "Cannot find bridge device \"nosuch\"\n", "bridge", "fdb", "show",
		    "br", "nosuch");
	UNET_EXPECT(&d, 255, "", "Cannot find device \"nosuch\"\n", "bridge", "fdb", "show",
		    "brport", "nosuch");
	unetd_stop_clean(&d);
}

TEST(daemon_bridge_counters_through_unet)
{
	struct unetd_proc d;
	struct unet_run r;

	unetd_start(&d, bridge_config, NULL);
	UNET_EXPECT_EVENTUALLY(&d, 0, VETH0_UP("master br0 "), "", "link", "show", "veth0");
	learn_two_hosts(&d);
	/* vb sent 1 known-unicast frame: forwarded to veth0 only, so veth1 received it. */
	unet_run(&d, &r, "-j", "-s", "link", "show", "veth1", (char *)NULL);
	ASSERT_EQ(r.rc, 0);
	ASSERT_CONTAINS(r.out, "\"rx\":{\"bytes\":60,\"packets\":1,");
	ASSERT_CONTAINS(r.out, "\"tx\":{\"bytes\":120,\"packets\":2,");
	/* The two broadcasts were flooded to va (vb received them) and went up to br0. */
	unet_run(&d, &r, "-j", "-s", "link", "show", "vb", (char *)NULL);
	ASSERT_CONTAINS(r.out, "\"rx\":{\"bytes\":120,\"packets\":2,");
	unet_run(&d, &r, "-j", "-s", "link", "show", "br0", (char *)NULL);
	ASSERT_CONTAINS(r.out, "\"rx\":{\"bytes\":120,\"packets\":2,");
	unetd_stop_clean(&d);
}

TEST(daemon_bridge_bad_enslaving_gets_the_kernels_errors)
{
	struct unetd_proc d;

	unetd_start(&d, bridge_config, NULL);
	UNET_EXPECT(&d, 0, "", "", "link", "add", "br1", "type", "bridge", "ageing_time", "1000");
	/* A bridge into a bridge (itself included): -ELOOP with br_add_if's message. */
	UNET_EXPECT(&d, 2, "", "Error: Can not enslave a bridge to a bridge.\n", "link", "set",
		    "br0", "master", "br0");
	UNET_EXPECT(&d, 2, "", "Error: Can not enslave a bridge to a bridge.\n", "link", "set",
		    "br1", "master", "br0");
	/* Not Ethernet-like (br_add_if): -EINVAL. Not a master (do_set_master): -EOPNOTSUPP. */
	UNET_EXPECT(&d, 2, "", "RTNETLINK answers: Invalid argument\n", "link", "set", "lo",
		    "master", "br0");
	UNET_EXPECT(&d, 2, "", "RTNETLINK answers: Operation not supported\n", "link", "set", "vb",
		    "master", "veth1");
	/* iproute2 resolves the name itself. */
	UNET_EXPECT(&d, 255, "", "Error: argument \"nosuch\" is wrong: Device does not exist\n",
		    "link", "set", "veth0", "master", "nosuch");
	UNET_EXPECT(&d, 255, "", "Command line is not complete. Try option \"help\"\n", "link",
		    "set", "veth0", "master");
	/* A port of br0 asked into br1: do_set_master releases it from br0 first, so it moves
	 * (the -EBUSY of a second master is br_add_if's and the upper link's, reached only
	 * without the release: tests/unit/bridge.c). */
	UNET_EXPECT(&d, 0, "", "", "link", "set", "veth0", "master", "br1");
	UNET_EXPECT_EVENTUALLY(&d, 0, VETH0_UP("master br1 "), "", "link", "show", "veth0");
	unetd_stop_clean(&d);
}

static int index_of(struct unetd_proc *d, const char *name)
{
	struct unet_run r;
	const char *p;

	unet_run(d, &r, "-j", "link", "show", name, (char *)NULL);
	p = strstr(r.out, "\"ifindex\":");
	return p ? atoi(p + 10) : 0;
}

TEST(daemon_bridge_raw_ifla_master)
{
	char buf[512];
	struct unetd_proc d;
	struct nlmsghdr *nlh;
	int fd, br0, veth0, lo;

	unetd_start(&d, bridge_config, NULL);
	br0 = index_of(&d, "br0");
	veth0 = index_of(&d, "veth0");
	lo = index_of(&d, "lo");
	ASSERT_GT(br0, 0);
	fd = raw_connect(d.sock);
	/* do_set_master: an ifindex that names no device is -EINVAL, not -ENODEV. */
	nlh = link_req(buf, RTM_SETLINK, 0, veth0);
	mnl_attr_put_u32(nlh, IFLA_MASTER, 9999);
	raw_expect(fd, buf, nlh->nlmsg_len, -EINVAL, NULL);
	/* ... after releasing it from br0, as the kernel does. */
	nlh = link_req(buf, RTM_SETLINK, 0, br0);
	mnl_attr_put_u32(nlh, IFLA_MASTER, (uint32_t)br0);
	raw_expect(fd, buf, nlh->nlmsg_len, -ELOOP, "Can not enslave a bridge to a bridge");
	nlh = link_req(buf, RTM_SETLINK, 0, lo);
	mnl_attr_put_u32(nlh, IFLA_MASTER, (uint32_t)br0);
	raw_expect(fd, buf, nlh->nlmsg_len, -EINVAL, NULL);
	/* IFLA_MASTER of the wrong size fails the policy. */
	nlh = link_req(buf, RTM_SETLINK, 0, veth0);
	mnl_attr_put_u16(nlh, IFLA_MASTER, 1);
	raw_expect(fd, buf, nlh->nlmsg_len, -ERANGE, "Attribute failed policy validation");
	/* Back in br0 by index, then out with 0. */
	nlh = link_req(buf, RTM_SETLINK, 0, veth0);
	mnl_attr_put_u32(nlh, IFLA_MASTER, (uint32_t)br0);
	raw_expect(fd, buf, nlh->nlmsg_len, 0, NULL);
	UNET_EXPECT_EVENTUALLY(&d, 0, VETH0_UP("master br0 "), "", "link", "show", "veth0");
	nlh = link_req(buf, RTM_SETLINK, 0, veth0);
	mnl_attr_put_u32(nlh, IFLA_MASTER, 0);
	raw_expect(fd, buf, nlh->nlmsg_len, 0, NULL);
	UNET_EXPECT(&d, 0, VETH0_UP(""), "", "link", "show", "veth0");
	/* RTM_GETNEIGH: only dumps; a dump filtered by a bridge that does not exist: -ENODEV. */
	nlh = link_req(buf, RTM_GETNEIGH, 0, 0);
	raw_expect(fd, buf, nlh->nlmsg_len, -EOPNOTSUPP, "Only dumps");
	nlh = link_req(buf, RTM_GETNEIGH, NLM_F_DUMP, 0);
	((struct ifinfomsg *)mnl_nlmsg_get_payload(nlh))->ifi_family = AF_BRIDGE;
	mnl_attr_put_u32(nlh, IFLA_MASTER, 9999);
	raw_expect(fd, buf, nlh->nlmsg_len, -ENODEV, "Bridge device not found");
	nlh = link_req(buf, RTM_GETNEIGH, NLM_F_DUMP, 0);
	nlh->nlmsg_len = MNL_NLMSG_HDRLEN + 4; /* shorter than an ndmsg */
	raw_expect(fd, buf, nlh->nlmsg_len, -EINVAL, "Invalid header for fdb dump request");
	close(fd);
	unetd_stop_clean(&d);
}

TEST(daemon_bridge_raw_fdb_dump_messages)
{
	char buf[UNETD_MSG_MAX];
	struct unetd_proc d;
	struct nlmsghdr *nlh;
	const struct nlmsghdr *m;
	int fd, rem, n, br0, va, entries = 0, done = 0;

	unetd_start(&d, bridge_config, NULL);
	br0 = index_of(&d, "br0");
	va = index_of(&d, "va");
	fd = raw_connect(d.sock);
	/* The ndmsg form of the request, filtered to port va. */
	memset(buf, 0, 64);
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = RTM_GETNEIGH;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	nlh->nlmsg_seq = 7;
	((struct ndmsg *)mnl_nlmsg_put_extra_header(nlh, sizeof(struct ndmsg)))->ndm_family =
	    AF_BRIDGE;
	((struct ndmsg *)mnl_nlmsg_get_payload(nlh))->ndm_ifindex = va;
	ASSERT_EQ(send(fd, buf, nlh->nlmsg_len, 0), (ssize_t)nlh->nlmsg_len);
	while (!done) {
		n = (int)recv(fd, buf, sizeof(buf), 0);
		ASSERT_GT(n, 0);
		rem = n;
		for (m = (const void *)buf; mnl_nlmsg_ok(m, rem); m = mnl_nlmsg_next(m, &rem)) {
			const struct ndmsg *ndm = mnl_nlmsg_get_payload(m);
			const struct nlattr *a;
			int master = 0, lladdr = 0, ci = 0;

			ASSERT_EQ(m->nlmsg_seq, 7);
			if (m->nlmsg_type == NLMSG_DONE) {
				done = 1;
				break;
			}
			ASSERT_EQ(m->nlmsg_type, RTM_NEWNEIGH);
			ASSERT_TRUE(m->nlmsg_flags & NLM_F_MULTI);
			ASSERT_EQ(ndm->ndm_family, AF_BRIDGE);
			ASSERT_EQ(ndm->ndm_ifindex, va);
			ASSERT_EQ(ndm->ndm_state, NUD_PERMANENT);
			ASSERT_EQ(ndm->ndm_flags, 0); /* NTF_SELF only for a device's own list */
			mnl_attr_for_each(a, m, sizeof(*ndm))
			{
				if (mnl_attr_get_type(a) == NDA_MASTER)
					master = (int)mnl_attr_get_u32(a);
				lladdr |= mnl_attr_get_type(a) == NDA_LLADDR &&
					  mnl_attr_get_payload_len(a) == 6;
				ci |= mnl_attr_get_type(a) == NDA_CACHEINFO;
			}
			ASSERT_EQ(master, br0);
			ASSERT_TRUE(lladdr && ci);
			entries++;
		}
	}
	ASSERT_EQ(entries, 1);
	close(fd);
	unetd_stop_clean(&d);
}

/* The name after "@" in "N: NAME@PEER: ..." (a veth's default-named peer). */
static void peer_of(struct unetd_proc *d, const char *name, char *peer)
{
	struct unet_run r;
	const char *at, *end;

	unet_run(d, &r, "link", "show", name, (char *)NULL);
	at = strchr(r.out, '@');
	ASSERT_NOT_NULL(at);
	end = strchr(at, ':');
	ASSERT_NOT_NULL(end);
	ASSERT_LT(end - at - 1, IFNAMSIZ);
	snprintf(peer, IFNAMSIZ, "%.*s", (int)(end - at - 1), at + 1);
}

TEST(daemon_bridge_empty_has_no_carrier_and_delete_releases_ports)
{
	struct unetd_proc d;
	char buf[512];
	struct nlmsghdr *nlh;
	struct nlattr *li;
	char peer[IFNAMSIZ];
	int fd, br1;

	unetd_start(&d, bridge_config, NULL);
	UNET_EXPECT(&d, 0, "", "", "link", "add", "br1", "type", "bridge");
	UNET_EXPECT(&d, 0, "", "", "link", "set", "br1", "up", "address", "02:00:00:00:00:30");
	/* A bridge without forwarding ports has no carrier (br_stp_if.c). */
	UNET_EXPECT(&d, 0,
		    "7: br1: <NO-CARRIER,BROADCAST,MULTICAST,UP> mtu 1500 qdisc noqueue state DOWN "
		    "mode DEFAULT group default qlen 1000\n"
		    "    link/ether 02:00:00:00:00:30 brd ff:ff:ff:ff:ff:ff\n",
		    "", "link", "show", "br1");
	UNET_EXPECT(&d, 0, "02:00:00:00:00:30 dev br1 master br1 permanent\n", "", "bridge", "fdb",
		    "show", "br", "br1");
	/* RTM_NEWLINK with IFLA_MASTER: created and enslaved in one request. */
	br1 = index_of(&d, "br1");
	fd = raw_connect(d.sock);
	nlh = link_req(buf, RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL, 0);
	mnl_attr_put_strz(nlh, IFLA_IFNAME, "vc");
	mnl_attr_put_u32(nlh, IFLA_MASTER, (uint32_t)br1);
	li = mnl_attr_nest_start(nlh, IFLA_LINKINFO);
	mnl_attr_put_strz(nlh, IFLA_INFO_KIND, "veth");
	mnl_attr_nest_end(nlh, li);
	raw_expect(fd, buf, nlh->nlmsg_len, 0, NULL);
	/* ... and one whose IFLA_MASTER fails is not left behind. */
	nlh = link_req(buf, RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL, 0);
	mnl_attr_put_strz(nlh, IFLA_IFNAME, "brx");
	mnl_attr_put_u32(nlh, IFLA_MASTER, (uint32_t)br1);
	li = mnl_attr_nest_start(nlh, IFLA_LINKINFO);
	mnl_attr_put_strz(nlh, IFLA_INFO_KIND, "bridge");
	mnl_attr_nest_end(nlh, li);
	raw_expect(fd, buf, nlh->nlmsg_len, -ELOOP, "Can not enslave a bridge to a bridge");
	close(fd);
	UNET_EXPECT(&d, 1, "", "Device \"brx\" does not exist.\n", "link", "show", "brx");
	UNET_EXPECT(&d, 0, "", "", "link", "set", "vc", "up");
	peer_of(&d, "vc", peer);
	UNET_EXPECT(&d, 0, "", "", "link", "set", peer, "up");
	UNET_EXPECT_EVENTUALLY(&d, 0,
			       "7: br1: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue "
			       "state UP mode DEFAULT group default qlen 1000\n"
			       "    link/ether 02:00:00:00:00:30 brd ff:ff:ff:ff:ff:ff\n",
			       "", "link", "show", "br1");
	/* Deleting br0 releases its ports: no master, no FDB entries left for them. */
	UNET_EXPECT(&d, 0, "", "", "link", "del", "br0");
	UNET_EXPECT(&d, 0, VETH0_UP(""), "", "link", "show", "veth0");
	UNET_EXPECT(&d, 0, "", "", "bridge", "fdb", "show", "brport", "veth0");
	UNET_EXPECT(&d, 0, "", "", "link", "set", "veth0", "master", "br1");
	UNET_EXPECT(&d, 0, VETH0_UP("master br1 "), "", "link", "show", "veth0");
	unetd_stop_clean(&d);
}
