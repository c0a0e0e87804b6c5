// SPDX-License-Identifier: MIT
/*
 * Daemon suite: the backend link kinds through unetd ("unet link add NAME
 * type tap|af_packet|af_xdp|pcap ARGS", src/drivers/link_ops_backends.c).
 * As root each test runs in a private network namespace of its own, with
 * the kernel as the peer:
 *
 *   kernel ns:  ktap0 (TAP) <-> unetd t0          kv1 --veth-- kv0 <-> unetd p0 (AF_PACKET)
 *               frames sent by an AF_PACKET socket on ktap0 / kv1 arrive on t0 / p0
 *
 * Without root they skip; bad arguments and bad attributes need no root.
 */
#define _GNU_SOURCE /* unshare, pipe2 (kpeer.h) */
#include <stdlib.h>

#include "../integration/kpeer.h"
#include "daemon_util.h"

/* rx_packets of @dev from "unet -s -j link show @dev"; -1 when unreadable. */
static long long rx_packets(struct unetd_proc *d, const char *dev)
{
	struct unet_run r;
	const char *p;

	if (unet_run(d, &r, "-s", "-j", "link", "show", dev, (char *)NULL) != 0)
		return -1;
	p = strstr(r.out, "\"rx\":{\"bytes\":");
	p = p ? strstr(p, "\"packets\":") : NULL;
	return p ? atoll(p + 10) : -1;
}

/* Send @n broadcast frames on kernel interface @kif until @dev has counted them. */
static void traffic_reaches(struct unetd_proc *d, const char *kif, const char *dev, int n)
{
	static const uint8_t bcast[6] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff};
	static const uint8_t src[6] = {0x02, 0, 0, 0, 0, 0x42};
	long long before = rx_packets(d, dev), now = before;
	int fd = kp_pkt_open(kif);

	ASSERT_GE(before, 0);
	for (int i = 0; i < n; i++)
		ASSERT_EQ(kp_pkt_send(fd, bcast, src, 100, -1), 0);
	for (int i = 0; i < 1000 && now < before + n; i++) {
		sleep_ms(10);
		now = rx_packets(d, dev);
	}
	close(fd);
	ASSERT_GE(now, before + n);
}

static void wait_kif_gone(const char *kif)
{
	for (int i = 0; i < 1000 && if_nametoindex(kif); i++)
		sleep_ms(10);
	ASSERT_EQ(if_nametoindex(kif), 0u);
}

TEST(backend_tap_kind)
{
	struct unetd_proc d;

	kp_require_netns();
	kp_sh("sysctl -qw net.ipv6.conf.all.disable_ipv6=1");
	unetd_start(&d, unetd_lo_only, NULL);
	UNET_EXPECT(&d, 0, "", "", "link", "add", "t0", "type", "tap", "ifname", "ktap0", "queues",
		    "2");
	ASSERT_NE(if_nametoindex("ktap0"), 0u);
	ASSERT_EQ(access("/sys/class/net/ktap0/queues/tx-1", F_OK), 0); /* IFF_MULTI_QUEUE */
	UNET_EXPECT(&d, 2, "", "Error: Device name already in use.\n", "link", "add", "t0", "type",
		    "tap");
	UNET_EXPECT(&d, 0, "", "", "link", "set", "t0", "up");
	ASSERT_EQ(kp_sh("ip link set ktap0 up"), 0);
	traffic_reaches(&d, "ktap0", "t0", 5);
	UNET_EXPECT(&d, 0, "", "", "link", "del", "t0");
	wait_kif_gone("ktap0"); /* not persistent: the kernel TAP goes with it */
	unetd_stop_clean(&d);
}

/* Whether @dev shows LOWER_UP within 10 s. */
static bool carrier_eventually(struct unetd_proc *d, const char *dev)
{
	struct unet_run r;

	for (int i = 0; i < 1000; i++) {
		if (unet_run(d, &r, "link", "show", dev, (char *)NULL) == 0 &&
		    strstr(r.out, "LOWER_UP"))
			return true;
		sleep_ms(10);
	}
	return false;
}

/* A child in a network namespace of its own, alive until this process ends. */
static pid_t netns_holder(void)
{
	int ready[2], hold[2];
	pid_t pid;
	char c;

	ASSERT_EQ(pipe2(ready, O_CLOEXEC), 0);
	ASSERT_EQ(pipe2(hold, O_CLOEXEC), 0);
	pid = fork();
	ASSERT_GE(pid, 0);
	if (pid == 0) {
		close(hold[1]);
		if (unshare(CLONE_NEWNET))
			_exit(1);
		c = 1;
		if (write(ready[1], &c, 1) != 1)
			_exit(1);
		while (read(hold[0], &c, 1) < 0 && errno == EINTR)
			;
		_exit(0);
	}
	close(hold[0]); /* hold[1] stays open until this process ends */
	close(ready[1]);
	ASSERT_EQ(read(ready[0], &c, 1), 1);
	close(ready[0]);
	return pid;
}

/* "netns NS": the kernel TAP is created in another namespace and works there. */
TEST(backend_tap_kind_netns)
{
	struct unetd_proc d;
	char nspath[64];
	int self, other;

	kp_require_netns();
	kp_sh("sysctl -qw net.ipv6.conf.all.disable_ipv6=1");
	snprintf(nspath, sizeof(nspath), "/proc/%d/ns/net", (int)netns_holder());
	unetd_start(&d, unetd_lo_only, NULL);
	UNET_EXPECT(&d, 0, "", "", "link", "add", "t0", "type", "tap", "ifname", "ktapn",
		    "vnet_hdr", "on", "netns", nspath);
	ASSERT_EQ(if_nametoindex("ktapn"), 0u); /* not here */
	UNET_EXPECT(&d, 0, "", "", "link", "set", "t0", "up");
	self = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
	other = open(nspath, O_RDONLY | O_CLOEXEC);
	ASSERT_GE(self, 0);
	ASSERT_GE(other, 0);
	ASSERT_EQ(setns(other, CLONE_NEWNET), 0);
	ASSERT_NE(if_nametoindex("ktapn"), 0u); /* there */
	ASSERT_EQ(kp_sh("ip link set ktapn up"), 0);
	/* the link watcher is in that namespace too: it sees the kernel side come up */
	ASSERT_TRUE(carrier_eventually(&d, "t0"));
	traffic_reaches(&d, "ktapn", "t0", 5);
	UNET_EXPECT(&d, 0, "", "", "link", "del", "t0");
	wait_kif_gone("ktapn");
	ASSERT_EQ(setns(self, CLONE_NEWNET), 0);
	close(self);
	close(other);
	unetd_stop_clean(&d);
}

TEST(backend_af_packet_kind)
{
	struct unetd_proc d;

	kp_require_netns();
	kp_sh("sysctl -qw net.ipv6.conf.all.disable_ipv6=1");
	ASSERT_EQ(kp_sh("ip link add kv0 type veth peer name kv1 && ip link set kv0 up && "
			"ip link set kv1 up"),
		  0);
	unetd_start(&d, unetd_lo_only, NULL);
	UNET_EXPECT(&d, 0, "", "", "link", "add", "p0", "type", "af_packet", "link", "kv0",
		    "queues", "2");
	UNET_EXPECT(&d, 2, "", "Error: Kernel interface not found.\n", "link", "add", "p1", "type",
		    "af_packet", "link", "nokif0");
	UNET_EXPECT(&d, 0, "", "", "link", "set", "p0", "up");
	traffic_reaches(&d, "kv1", "p0", 5);
	UNET_EXPECT(&d, 0, "", "", "link", "del", "p0");
	ASSERT_NE(if_nametoindex("kv0"), 0u); /* the kernel interface is not ours */
	unetd_stop_clean(&d);
}

TEST(backend_af_xdp_kind)
{
	struct unetd_proc d;
	struct unet_run r;

	kp_require_netns();
	kp_sh("sysctl -qw net.ipv6.conf.all.disable_ipv6=1");
	ASSERT_EQ(kp_sh("ip link add kx0 type veth peer name kx1 && ip link set kx0 up && "
			"ip link set kx1 up"),
		  0);
	unetd_start(&d, unetd_lo_only, NULL);
	unet_run(&d, &r, "link", "add", "x0", "type", "af_xdp", "link", "kx0", "mode", "copy",
		 (char *)NULL);
	if (r.rc == 2 && strstr(r.err, "not available")) {
		unetd_stop_clean(&d);
		harness_skip("AF_XDP not available in this build or kernel");
	}
	ASSERT_STR_EQ(r.err, "");
	ASSERT_EQ(r.rc, 0);
	UNET_EXPECT(&d, 0, "", "", "link", "set", "x0", "up");
	traffic_reaches(&d, "kx1", "x0", 5);
	UNET_EXPECT(&d, 0, "", "", "link", "del", "x0");
	unetd_stop_clean(&d);
}

/* pcap needs no privileges: a file in, a file out. */
TEST(backend_pcap_kind_files)
{
	char in[160], out[160];
	struct unetd_proc d;
	struct unet_run r;

	unetd_start(&d, unetd_lo_only, NULL);
	snprintf(in, sizeof(in), "%s/text.pcap", d.dir);
	snprintf(out, sizeof(out), "%s/out.pcapng", d.dir);
	write_file(in, "not a capture file, but long enough to have a header\n");
	unet_run(&d, &r, "link", "add", "c0", "type", "pcap", "tx", out, "tx_format", "pcapng",
		 (char *)NULL);
	if (r.rc == 2 && strstr(r.err, "not available")) {
		unetd_stop_clean(&d);
		harness_skip("pcap backend not built");
	}
	ASSERT_STR_EQ(r.err, "");
	ASSERT_EQ(r.rc, 0);
	ASSERT_EQ(access(out, F_OK), 0);
	UNET_EXPECT(&d, 2, "", "Error: Capture file not found.\n", "link", "add", "c1", "type",
		    "pcap", "rx", "/nonexistent/in.pcap");
	UNET_EXPECT(&d, 2, "", "Error: Not a capture file, or a truncated one.\n", "link", "add",
		    "c1", "type", "pcap", "rx", in);
	UNET_EXPECT(&d, 1, "", "Device \"c1\" does not exist.\n", "link", "show", "c1");
	UNET_EXPECT(&d, 0, "", "", "link", "del", "c0");
	unetd_stop_clean(&d);
}

TEST(backend_kinds_bad_arguments)
{
	struct unetd_proc d;

	unetd_start(&d, unetd_lo_only, NULL);
	UNET_EXPECT(&d, 2, "", "Error: Kernel interface (link) is required.\n", "link", "add", "p0",
		    "type", "af_packet");
	UNET_EXPECT(&d, 2, "", "Error: Kernel interface (link) is required.\n", "link", "add", "x0",
		    "type", "af_xdp", "queues", "2");
	UNET_EXPECT(&d, 2, "", "Error: Invalid number of queues (1..64).\n", "link", "add", "t0",
		    "type", "tap", "queues", "0");
	UNET_EXPECT(&d, 2, "", "Error: Invalid number of queues (1..64).\n", "link", "add", "p0",
		    "type", "af_packet", "link", "lo", "queues", "65");
	UNET_EXPECT(&d, 255, "", "Error: argument \"bogus\" is wrong: Invalid \"mode\" value\n",
		    "link", "add", "x0", "type", "af_xdp", "link", "lo", "mode", "bogus");
	UNET_EXPECT(&d, 255, "",
		    "Error: argument of \"vnet_hdr\" must be \"on\" or \"off\", not \"maybe\"\n",
		    "link", "add", "t0", "type", "tap", "vnet_hdr", "maybe");
	UNET_EXPECT(&d, 255, "",
		    "Garbage instead of arguments \"frob ...\". Try \"unet link help\".\n", "link",
		    "add", "t0", "type", "tap", "frob");
	UNET_EXPECT(&d, 255, "", "Command line is not complete. Try option \"help\"\n", "link",
		    "add", "p0", "type", "af_packet", "link");
	UNET_EXPECT(&d, 2, "", "Error: Network namespace not found.\n", "link", "add", "t0", "type",
		    "tap", "netns", "ubench-no-such-ns");
	UNET_EXPECT(&d, 2, "", "Error: Not a network namespace.\n", "link", "add", "t0", "type",
		    "tap", "netns", "/dev/null");
	UNET_EXPECT(&d, 255, "",
		    "Error: argument \"waytoolongname0x\" is wrong: \"link\" not a valid ifname\n",
		    "link", "add", "p0", "type", "af_packet", "link", "waytoolongname0x");
	unetd_stop_clean(&d);
}

/* Attributes the CLI never sends: an out-of-range mode or format, a wrong size. */
TEST(backend_kinds_bad_attributes)
{
	static const struct {
		const char *kind;
		uint16_t attr;
		int err;
		const char *msg;
	} cases[] = {
	    {"af_xdp", IFLA_UNETDEV_XDP_MODE, -EINVAL, "Kernel interface (link) is required"},
	    {"pcap", IFLA_UNETDEV_PCAP_TX_FORMAT, -EINVAL, "Invalid capture file format"},
	    {"tap", IFLA_UNETDEV_TAP_QUEUES, -EINVAL, "Attribute failed policy validation"},
	};
	struct unetd_proc d;
	int fd;

	unetd_start(&d, unetd_lo_only, NULL);
	fd = raw_connect(d.sock);
	ASSERT_GE(fd, 0);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char buf[512];
		struct nlmsghdr *nlh = link_req(buf, RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL, 0);
		struct nlattr *li, *data;

		mnl_attr_put_strz(nlh, IFLA_IFNAME, "b0");
		li = mnl_attr_nest_start(nlh, IFLA_LINKINFO);
		mnl_attr_put_strz(nlh, IFLA_INFO_KIND, cases[i].kind);
		data = mnl_attr_nest_start(nlh, IFLA_INFO_DATA);
		mnl_attr_put_u8(nlh, cases[i].attr, 9);
		mnl_attr_nest_end(nlh, data);
		mnl_attr_nest_end(nlh, li);
		raw_expect(fd, buf, nlh->nlmsg_len, cases[i].err, cases[i].msg);
	}
	close(fd);
	unetd_stop_clean(&d);
}
