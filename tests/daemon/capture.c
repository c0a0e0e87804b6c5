// SPDX-License-Identifier: MIT
/*
 * Daemon suite: "unet capture" (a ptype_all tap in unetd streamed to the
 * client, R-RX-9 for the tap, R-TX-12 for the transmit side).
 *
 * Traffic without privileges: a pcap device "refl0" receives the frames of a
 * capture file the test writes, and tests/modules/mod_reflect.so sends each
 * received frame back out of refl0 (into its tx file). A capture on refl0
 * therefore sees every frame twice, received then sent; the test parses the
 * pcap it gets and reads it with tcpdump when tcpdump is installed.
 *
 *   in.pcap --rx--> [ refl0 ] --tx--> out.pcap
 *                      |  ^ mod_reflect
 *                 ptype_all tap --> unet capture --> cap.pcap / stdout
 */
#include <stdint.h>
#include <stdlib.h>

#include "daemon_util.h"

#define NFRAMES	 3
#define CAPTURED (1 + 2 * NFRAMES) /* the warm-up, then each frame in and out */

/*
 * Frame i: to 02:00:00:00:00:1i from 02:00:00:00:00:01, ethertype 0x88b5,
 * 60 + 10i bytes of 0x40 + i. Frame -1, the warm-up, has ethertype 0x88b6.
 */
static size_t make_frame(int i, unsigned char *f)
{
	static const unsigned char src[6] = {2, 0, 0, 0, 0, 1};
	size_t len = 14 + 60 + 10 * (size_t)(i < 0 ? 0 : i);

	memset(f, 0, 6);
	f[0] = 2;
	f[5] = (unsigned char)(0x10 + i);
	memcpy(f + 6, src, 6);
	f[12] = 0x88;
	f[13] = i < 0 ? 0xb6 : 0xb5;
	memset(f + 14, 0x40 + i, len - 14);
	return len;
}

static void write_input(const char *path)
{
	const uint32_t hdr[6] = {0xa1b2c3d4u, 2 | (4u << 16), 0, 0, 65535, 1};
	unsigned char frame[256];
	FILE *f = fopen(path, "wb");

	ASSERT_NOT_NULL(f);
	fwrite(hdr, sizeof(hdr), 1, f);
	/*
	 * First a warm-up frame of another ethertype, which mod_reflect leaves
	 * alone: it is received as the device opens, before its qdisc is attached
	 * (__dev_open: ndo_open, then dev_activate), when a reflected frame would
	 * be dropped. The test frames follow 500 ms later, 10 ms apart, then one
	 * more 60 s later, so that the carrier stays on meanwhile (end of file is
	 * carrier off, which would stop the reflected frames).
	 */
	for (int i = -1; i <= NFRAMES; i++) {
		uint32_t len = (uint32_t)make_frame(i, frame);
		uint32_t rec[4] = {i < NFRAMES ? 1000u : 1060u,
				   i < 0 ? 0 : 500000u + (uint32_t)i * 10000u, len, len};

		fwrite(rec, sizeof(rec), 1, f);
		fwrite(frame, len, 1, f);
	}
	fclose(f);
}

/* Poll the daemon's log for @text (a capture attached, a client gone). */
static void wait_log(const struct unetd_proc *d, const char *text)
{
	for (int i = 0; i < 1000; i++) {
		if (strstr(read_file(d->log), text))
			return;
		sleep_ms(10);
	}
	FAIL("\"%s\" never appeared in the daemon's log: %s", text, read_file(d->log));
}

/* Run "sh -c @cmd" in the background with UNETD_SOCKET set; its pid. */
static pid_t spawn_sh(const struct unetd_proc *d, const char *cmd)
{
	pid_t pid = fork();

	ASSERT_GE(pid, 0);
	if (pid == 0) {
		prctl(PR_SET_PDEATHSIG, SIGTERM);
		setenv("UNETD_SOCKET", d->sock, 1);
		execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
		_exit(127);
	}
	return pid;
}

/* Wait up to 30 s for @pid; its exit code. On a timeout, what @dev counted. */
static int wait_exit(struct unetd_proc *d, pid_t pid, const char *dev)
{
	struct unet_run r;
	int status;

	for (int i = 0; i < 3000; i++) {
		if (waitpid(pid, &status, WNOHANG) == pid)
			return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
		sleep_ms(10);
	}
	kill(pid, SIGKILL);
	waitpid(pid, &status, 0);
	unet_run(d, &r, "-s", "-s", "link", "show", dev, (char *)NULL);
	FAIL("the capture did not finish: %s%s", r.out, read_file(d->log));
}

/* refl0: pcap device on in.pcap, reflecting; skipped when the pcap backend is not built. */
static void setup_reflector(struct unetd_proc *d, const char *name)
{
	char in[160], out[160];
	struct unet_run r;

	snprintf(in, sizeof(in), "%s/in.pcap", d->dir);
	snprintf(out, sizeof(out), "%s/out-%s.pcap", d->dir, name);
	write_input(in);
	UNET_EXPECT(d, 0, "", "", "module", "load", test_module_path("MOD_REFLECT"));
	unet_run(d, &r, "link", "add", name, "type", "pcap", "rx", in, "tx", out, "pace",
		 (char *)NULL);
	if (r.rc == 2 && strstr(r.err, "Backend not available")) {
		unetd_stop_clean(d);
		harness_skip("pcap backend not built");
	}
	ASSERT_STR_EQ(r.err, "");
	ASSERT_EQ(r.rc, 0);
}

/* Which input frame @p (@len bytes) is, or -1. */
static int frame_index(const unsigned char *p, size_t len)
{
	unsigned char want[256];

	for (int i = -1; i < NFRAMES; i++)
		if (make_frame(i, want) == len && !memcmp(p, want, len))
			return i;
	return -1;
}

/*
 * The pcap @path holds every frame twice, received and sent, byte for byte.
 * The reflected copy of frame i may follow frame i + 1 on a busy machine,
 * so the frames are counted, not ordered.
 */
static void check_capture(const char *path)
{
	int seen[NFRAMES + 1] = {0}; /* [0]: the warm-up frame */
	uint32_t hdr[6], rec[4];
	unsigned char *buf;
	FILE *f = fopen(path, "rb");

	ASSERT_NOT_NULL(f);
	ASSERT_EQ(fread(hdr, sizeof(hdr), 1, f), 1u);
	ASSERT_EQ(hdr[0], 0xa1b23c4du); /* nanosecond pcap */
	ASSERT_EQ(hdr[5], 1u);		/* LINKTYPE_ETHERNET */
	buf = malloc(65536);
	ASSERT_NOT_NULL(buf);
	for (int i = 0; i < CAPTURED; i++) {
		int k;

		ASSERT_EQ(fread(rec, sizeof(rec), 1, f), 1u);
		ASSERT_EQ(rec[2], rec[3]); /* captured whole */
		ASSERT_LT(rec[1], 1000000000u);
		ASSERT_LE(rec[2], 256u);
		ASSERT_EQ(fread(buf, rec[2], 1, f), 1u);
		k = frame_index(buf, rec[2]);
		ASSERT_GE(k, -1);
		seen[k + 1]++;
	}
	ASSERT_EQ(seen[0], 1); /* received only */
	for (int i = 1; i <= NFRAMES; i++)
		ASSERT_EQ(seen[i], 2);
	ASSERT_EQ(fread(rec, 1, sizeof(rec), f), 0u); /* nothing more */
	free(buf);
	fclose(f);
}

TEST(capture_both_directions_to_file)
{
	char cmd[512], cap[160];
	struct unetd_proc d;
	pid_t pid;

	unetd_start(&d, unetd_lo_only, NULL);
	setup_reflector(&d, "refl0");
	snprintf(cap, sizeof(cap), "%s/cap.pcap", d.dir);
	snprintf(cmd, sizeof(cmd), "exec '%s' capture refl0 -c %d -w '%s' 2>'%s/cap.err'",
		 tool_path("UNETD_TEST_UNET"), CAPTURED, cap, d.dir);
	pid = spawn_sh(&d, cmd);
	wait_log(&d, "capture on refl0 started");
	UNET_EXPECT(&d, 0, "", "", "link", "set", "refl0", "up");
	ASSERT_EQ(wait_exit(&d, pid, "refl0"), 0);
	snprintf(cmd, sizeof(cmd), "%s/cap.err", d.dir);
	ASSERT_STR_EQ(read_file(cmd), "7 packets captured\n");
	check_capture(cap);
	/* The tap was removed after COUNT frames; the client is gone. */
	wait_log(&d, "ended: 7 frames sent, 0 dropped");
	if (system("command -v tcpdump >/dev/null 2>&1") == 0) {
		snprintf(cmd, sizeof(cmd), "tcpdump -nn -r '%s' 2>/dev/null | grep -c 0x88b5", cap);
		snprintf(cmd + strlen(cmd), sizeof(cmd) - strlen(cmd), " >'%s/n'", d.dir);
		ASSERT_EQ(system(cmd), 0);
		snprintf(cmd, sizeof(cmd), "%s/n", d.dir);
		ASSERT_STR_EQ(read_file(cmd), "6\n");
	}
	unetd_stop_clean(&d);
}

TEST(capture_to_stdout_piped_into_tcpdump)
{
	char cmd[768], path[160];
	struct unetd_proc d;
	pid_t pid;

	if (system("command -v tcpdump >/dev/null 2>&1") != 0)
		harness_skip("tcpdump not installed");
	unetd_start(&d, unetd_lo_only, NULL);
	setup_reflector(&d, "refl1");
	snprintf(cmd, sizeof(cmd),
		 "'%s' capture refl1 -c %d 2>'%s/cap.err' | tcpdump -nn -e -r - 2>/dev/null "
		 "| grep 0x88b5 | sed 's/^[0-9:.]* //' | sort >'%s/dump'",
		 tool_path("UNETD_TEST_UNET"), CAPTURED, d.dir, d.dir);
	pid = spawn_sh(&d, cmd);
	wait_log(&d, "capture on refl1 started");
	UNET_EXPECT(&d, 0, "", "", "link", "set", "refl1", "up");
	ASSERT_EQ(wait_exit(&d, pid, "refl1"), 0);
	snprintf(path, sizeof(path), "%s/dump", d.dir);
	ASSERT_STR_EQ(
	    read_file(path),
	    "02:00:00:00:00:01 > 02:00:00:00:00:10, ethertype Unknown (0x88b5), length 74: \n"
	    "02:00:00:00:00:01 > 02:00:00:00:00:10, ethertype Unknown (0x88b5), length 74: \n"
	    "02:00:00:00:00:01 > 02:00:00:00:00:11, ethertype Unknown (0x88b5), length 84: \n"
	    "02:00:00:00:00:01 > 02:00:00:00:00:11, ethertype Unknown (0x88b5), length 84: \n"
	    "02:00:00:00:00:01 > 02:00:00:00:00:12, ethertype Unknown (0x88b5), length 94: \n"
	    "02:00:00:00:00:01 > 02:00:00:00:00:12, ethertype Unknown (0x88b5), length 94: \n");
	unetd_stop_clean(&d);
}

/* The device goes away under a running capture: the stream ends, unet exits 1. */
TEST(capture_ends_when_device_goes)
{
	char cmd[512], path[160];
	struct unetd_proc d;
	pid_t pid;

	unetd_start(&d, "link add n0 type null\n", NULL);
	snprintf(cmd, sizeof(cmd), "exec '%s' capture dev n0 -w '%s/c.pcap' 2>'%s/cap.err'",
		 tool_path("UNETD_TEST_UNET"), d.dir, d.dir);
	pid = spawn_sh(&d, cmd);
	wait_log(&d, "capture on n0 started");
	UNET_EXPECT(&d, 0, "", "", "link", "del", "n0");
	ASSERT_EQ(wait_exit(&d, pid, "lo"), 1);
	snprintf(path, sizeof(path), "%s/cap.err", d.dir);
	ASSERT_STR_EQ(read_file(path), "0 packets captured\nDevice \"n0\" went away.\n");
	snprintf(path, sizeof(path), "%s/c.pcap", d.dir);
	ASSERT_EQ(strlen(read_file(path)) > 0, true); /* the pcap header was written */
	unetd_stop_clean(&d);
}

/* A client that disconnects mid-capture leaves nothing: the device deletes at once. */
TEST(capture_client_disconnect_removes_tap)
{
	char buf[UNETD_MSG_MAX];
	struct nlmsghdr *nlh;
	struct nl_reply rep;
	struct unetd_proc d;
	int fd;

	unetd_start(&d, unetd_lo_only, NULL);
	UNET_EXPECT(&d, 0, "", "", "link", "add", "va", "type", "veth", "peer", "vb");
	fd = raw_connect(d.sock);
	ASSERT_GE(fd, 0);
	memset(buf, 0, MNL_NLMSG_HDRLEN);
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = UNETD_MSG_CAPTURE;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
	mnl_attr_put_strz(nlh, UNETD_CAPA_IFNAME, "va");
	ASSERT_EQ(send(fd, buf, nlh->nlmsg_len, 0), (ssize_t)nlh->nlmsg_len);
	ASSERT_GT(raw_recv(fd, &rep, buf, sizeof(buf)), 0);
	ASSERT_EQ(rep.error, 0);
	/* A second capture on the same socket is refused. */
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = UNETD_MSG_CAPTURE;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
	mnl_attr_put_strz(nlh, UNETD_CAPA_IFNAME, "vb");
	raw_expect(fd, buf, nlh->nlmsg_len, -EBUSY, "already running");
	close(fd);
	wait_log(&d, "ended: 0 frames sent");
	UNET_EXPECT(&d, 0, "", "", "link", "del", "va");
	unetd_stop_clean(&d);
}

TEST(capture_bad_input)
{
	char buf[256];
	struct nlmsghdr *nlh;
	struct unetd_proc d;
	int fd;

	unetd_start(&d, unetd_lo_only, NULL);
	UNET_EXPECT(&d, 1, "", "Device \"nope\" does not exist.\n", "capture", "nope");
	UNET_EXPECT(&d, 255, "", "Not enough information: \"dev\" argument is required.\n",
		    "capture");
	UNET_EXPECT(&d, 255, "", "Error: argument \"x\" is wrong: Invalid \"-c\" value\n",
		    "capture", "lo", "-c", "x");
	UNET_EXPECT(&d, 255, "", "Command line is not complete. Try option \"help\"\n", "capture",
		    "lo", "-w");
	UNET_EXPECT(&d, 255, "", "Error: either \"dev\" is duplicate, or \"lo2\" is a garbage.\n",
		    "capture", "lo", "lo2");
	fd = raw_connect(d.sock);
	ASSERT_GE(fd, 0);
	memset(buf, 0, sizeof(buf));
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = UNETD_MSG_CAPTURE;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
	raw_expect(fd, buf, nlh->nlmsg_len, -EINVAL, "Device name (UNETD_CAPA_IFNAME) missing");
	mnl_attr_put_u8(nlh, UNETD_CAPA_COUNT, 1); /* a u32 attribute of the wrong size */
	raw_expect(fd, buf, nlh->nlmsg_len, -ERANGE, "Attribute failed policy validation");
	close(fd);
	UNET_EXPECT(&d, 0,
		    "Usage: unet capture [ dev ] DEVICE [ -w FILE ] [ -c COUNT ] [ -s SNAPLEN ]\n"
		    "       unet capture help\n"
		    "Writes a pcap of DEVICE's traffic, both directions, to FILE (\"-\" or\n"
		    "none: stdout), e.g. \"unet capture veth0 | tcpdump -r -\".\n",
		    "", "capture", "help");
	unetd_stop_clean(&d);
}
