// SPDX-License-Identifier: MIT
/*
 * Unit: the pcap backend (src/drivers/pcap.c). No privileges needed.
 *
 *  - what unetdev transmits is written to a pcap / pcapng file that libpcap,
 *    `tcpdump -r` and `tshark -r` read back with identical frames (the
 *    tools' parts skip when they are not installed);
 *  - a capture made with libpcap's pcap_dump (and re-written by tcpdump when
 *    installed) is received, at full speed or at the recorded pace, once
 *    (carrier off at the end) or looping;
 *  - missing, truncated, corrupt and non-Ethernet files: a clear message,
 *    a negative errno, no device (or, for a record cut short, carrier off).
 *
 * libpcap is reached with dlopen() so this program builds without it; the
 * whole file skips when the library was built without the pcap backend.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <unetdev/backends.h>
#include <unetdev/engine.h>
#include <unetdev/etherdevice.h>
#include <unetdev/unetdev.h>

#include "harness.h"

/* ---- libpcap through dlopen ---- */
struct lp_hdr {
	struct timeval ts;
	unsigned int caplen, len;
};

static struct {
	void *(*open_offline)(const char *, char *);
	int (*next_ex)(void *, struct lp_hdr **, const unsigned char **);
	void (*close)(void *);
	void *(*open_dead)(int, int);
	void *(*dump_open)(void *, const char *);
	void (*dump)(unsigned char *, const struct lp_hdr *, const unsigned char *);
	void (*dump_close)(void *);
	void *so;
} lp;

static char dir[64], logbuf[8192];

static void log_capture(int level, const char *line, void *ctx)
{
	size_t n = strlen(logbuf);

	snprintf(logbuf + n, sizeof(logbuf) - n, "%s\n", line);
}

/* rm -rf @dir once this test process is gone, however it ends. */
static void reaper(void)
{
	int p[2];
	pid_t pid;

	ASSERT_EQ(pipe2(p, O_CLOEXEC), 0);
	pid = fork();
	ASSERT_GE(pid, 0);
	if (pid == 0) {
		char c, cmd[128];

		close(p[1]);
		setsid();
		while (read(p[0], &c, 1) < 0 && errno == EINTR)
			;
		snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
		if (system(cmd))
			_exit(1);
		_exit(0);
	}
	close(p[0]);
}

static void setup(bool engine)
{
	static const char *const names[] = {"libpcap.so.0.8", "libpcap.so.1", "libpcap.so"};

	if (!unetdev_backend_available("pcap"))
		harness_skip("built without libpcap (the pcap backend)");
	for (unsigned int i = 0; i < 3 && !lp.so; i++)
		lp.so = dlopen(names[i], RTLD_NOW);
	if (!lp.so)
		harness_skip("libpcap not loadable");
	*(void **)&lp.open_offline = dlsym(lp.so, "pcap_open_offline");
	*(void **)&lp.next_ex = dlsym(lp.so, "pcap_next_ex");
	*(void **)&lp.close = dlsym(lp.so, "pcap_close");
	*(void **)&lp.open_dead = dlsym(lp.so, "pcap_open_dead");
	*(void **)&lp.dump_open = dlsym(lp.so, "pcap_dump_open");
	*(void **)&lp.dump = dlsym(lp.so, "pcap_dump");
	*(void **)&lp.dump_close = dlsym(lp.so, "pcap_dump_close");
	ASSERT_NOT_NULL(lp.dump_close);
	snprintf(dir, sizeof(dir), "/tmp/unetdev-pcap-XXXXXX");
	ASSERT_NOT_NULL(mkdtemp(dir));
	reaper();
	logbuf[0] = 0;
	unetdev_log_set_fn(log_capture, NULL);
	if (engine) {
		struct unetdev_engine_config ec = {.sz = sizeof(ec), .ncpus = 1};

		ASSERT_EQ(unetdev_engine_start(&ec), 0);
	}
}

static const char *path(const char *name)
{
	static char buf[4][128];
	static unsigned int k;
	char *b = buf[k++ % 4];

	snprintf(b, 128, "%s/%s", dir, name);
	return b;
}

static bool have(const char *tool)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "command -v %s >/dev/null 2>&1", tool);
	return system(cmd) == 0;
}

static int sh(const char *cmd)
{
	int st = system(cmd);

	st = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
	if (st)
		fprintf(stderr, "# exit status %d: %s\n", st, cmd);
	return st;
}

/* Frame i: @len(i) bytes, to @dst, ethertype 0x88b5, payload a pattern of i. */
static unsigned int frame_len(unsigned int i)
{
	return 60 + (i * 37) % 1400;
}

static void frame(unsigned int i, unsigned char *f, const unsigned char *dst)
{
	static const unsigned char src[6] = {0x02, 0, 0, 0, 0, 0x10};
	unsigned int len = frame_len(i);

	memcpy(f, dst, 6);
	memcpy(f + 6, src, 6);
	f[12] = 0x88, f[13] = 0xb5;
	for (unsigned int k = 14; k < len; k++)
		f[k] = (unsigned char)(i * 7 + k);
}

static const unsigned char bcast[6] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff};

/* Write @n frames with libpcap, @gap_us apart; @linktype 1 = Ethernet. */
static void make_capture(const char *file, unsigned int n, unsigned int gap_us, int linktype)
{
	void *dead = lp.open_dead(linktype, 65535);
	void *d = lp.dump_open(dead, file);
	unsigned char f[1500];

	ASSERT_NOT_NULL(d);
	for (unsigned int i = 0; i < n; i++) {
		struct lp_hdr h = {.caplen = frame_len(i), .len = frame_len(i)};
		unsigned long long t = 1700000000ull * 1000000 + (unsigned long long)i * gap_us;

		h.ts.tv_sec = (time_t)(t / 1000000);
		h.ts.tv_usec = (suseconds_t)(t % 1000000);
		frame(i, f, bcast);
		lp.dump((unsigned char *)d, &h, f);
	}
	lp.dump_close(d);
	lp.close(dead);
}

/* Read @file with libpcap and check it holds frames 0..n-1 to @dst. */
static void check_capture(const char *file, unsigned int n, const unsigned char *dst)
{
	char eb[512];
	void *pc = lp.open_offline(file, eb);
	const unsigned char *data;
	struct lp_hdr *h;
	unsigned char f[1500];
	unsigned int i = 0;

	if (!pc)
		FAIL("libpcap cannot read %s: %s", file, eb);
	while (lp.next_ex(pc, &h, &data) == 1) {
		ASSERT_LT(i, n);
		ASSERT_EQ(h->len, frame_len(i));
		ASSERT_EQ(h->caplen, frame_len(i));
		frame(i, f, dst);
		ASSERT_MEM_EQ(data, f, frame_len(i));
		i++;
	}
	ASSERT_EQ(i, n);
	lp.close(pc);
}

static struct net_device *pcap_new(const struct unetdev_pcap_config *cfg)
{
	struct net_device *dev = NULL;

	ASSERT_EQ(unetdev_pcap_create(NULL, NULL, cfg, &dev), 0);
	ASSERT_NOT_NULL(dev);
	return dev;
}

static void up(struct net_device *dev)
{
	rtnl_lock();
	ASSERT_EQ(dev_open(dev, NULL), 0);
	rtnl_unlock();
}

static struct unetdev_pcap_stats pst(struct net_device *dev)
{
	struct unetdev_pcap_stats st;

	ASSERT_EQ(unetdev_pcap_stats(dev, &st), 0);
	return st;
}

static bool wait_for(bool (*cond)(struct net_device *), struct net_device *dev, int ms)
{
	for (int t = 0; t < ms; t += 5) {
		if (cond(dev))
			return true;
		usleep(5000);
	}
	return cond(dev);
}

static bool at_eof(struct net_device *dev)
{
	return pst(dev).rx_eof == 1;
}

static bool failed(struct net_device *dev)
{
	return pst(dev).rx_error != 0;
}

static bool looped_twice(struct net_device *dev)
{
	return pst(dev).rx_loops >= 2;
}

/* Received frames, as they left eth_type_trans (mac header back on). */
static unsigned char rx_buf[64][1500];
static unsigned int rx_len[64], rx_n;

static rx_handler_result_t record(struct sk_buff **pskb)
{
	struct sk_buff *skb = *pskb;
	unsigned int i = __atomic_load_n(&rx_n, __ATOMIC_ACQUIRE);

	if (i < 64 && skb->len + ETH_HLEN <= 1500) {
		memcpy(rx_buf[i], skb_mac_header(skb), skb->len + ETH_HLEN);
		rx_len[i] = skb->len + ETH_HLEN;
	}
	__atomic_store_n(&rx_n, i + 1, __ATOMIC_RELEASE);
	consume_skb(skb);
	return RX_HANDLER_CONSUMED;
}

static void teardown(struct net_device *dev)
{
	if (dev)
		unregister_netdev(dev);
	unetdev_engine_stop();
}

static void xmit_frames(struct net_device *dev, unsigned int n, const unsigned char *dst)
{
	for (unsigned int i = 0; i < n; i++) {
		struct sk_buff *skb = netdev_alloc_skb(dev, frame_len(i));

		frame(i, skb_put(skb, frame_len(i)), dst);
		skb->dev = dev;
		skb->protocol = htons(0x88b5);
		ASSERT_EQ(dev_queue_xmit(skb), NET_XMIT_SUCCESS);
	}
}

static void tx_then_read_back(enum unetdev_pcap_format fmt)
{
	struct unetdev_pcap_config cfg = {.sz = sizeof(cfg), .tx_format = fmt};
	static const unsigned char dst[6] = {0x02, 0x11, 0x22, 0x33, 0x44, 0x55};
	struct net_device *dev;
	char cmd[512];

	setup(true);
	cfg.tx_file = path("tx.cap");
	dev = pcap_new(&cfg);
	up(dev);
	xmit_frames(dev, 20, dst);
	ASSERT_EQ(pst(dev).tx_packets, 20);
	ASSERT_EQ(pst(dev).tx_errors, 0);
	check_capture(cfg.tx_file, 20, dst); /* flushed while the device is still up */
	teardown(dev);
	check_capture(cfg.tx_file, 20, dst);
	if (have("tcpdump")) {
		/* tcpdump reads it and writes the same frames back out. */
		snprintf(cmd, sizeof(cmd), "tcpdump -r '%s' -w '%s' >/dev/null 2>&1", cfg.tx_file,
			 path("tcpdump.pcap"));
		ASSERT_EQ(sh(cmd), 0);
		check_capture(path("tcpdump.pcap"), 20, dst);
		snprintf(cmd, sizeof(cmd),
			 "test $(tcpdump -nn -r '%s' 2>/dev/null | grep -c '0x88b5') = 20",
			 cfg.tx_file);
		ASSERT_EQ(sh(cmd), 0);
	} else {
		fprintf(stderr, "# tcpdump not installed: tcpdump -r part skipped\n");
	}
	if (have("tshark")) {
		snprintf(
		    cmd, sizeof(cmd),
		    "test \"$(tshark -r '%s' -T fields -e frame.len 2>/dev/null | tr '\\n' ' ')\" ="
		    " \"60 97 134 171 208 245 282 319 356 393 430 467 504 541 578 615 652 689 726 "
		    "763 \"",
		    cfg.tx_file);
		ASSERT_EQ(sh(cmd), 0);
	} else {
		fprintf(stderr, "# tshark not installed: tshark -r part skipped\n");
	}
}

TEST_TIMEOUT(pcap_tx_written_as_pcap_is_read_back_identically, 60)
{
	tx_then_read_back(UNETDEV_PCAP_FMT_PCAP);
}

TEST_TIMEOUT(pcap_tx_written_as_pcapng_is_read_back_identically, 60)
{
	tx_then_read_back(UNETDEV_PCAP_FMT_PCAPNG);
}

TEST_TIMEOUT(pcap_replay_delivers_every_frame_then_carrier_off, 60)
{
	struct unetdev_pcap_config cfg = {.sz = sizeof(cfg)};
	struct net_device *dev;
	unsigned char f[1500];
	char cmd[512];

	setup(true);
	make_capture(path("gen.pcap"), 40, 1000, 1);
	cfg.rx_file = path("gen.pcap");
	if (have("tcpdump")) { /* replay what tcpdump wrote */
		snprintf(cmd, sizeof(cmd), "tcpdump -r '%s' -w '%s' >/dev/null 2>&1",
			 path("gen.pcap"), path("bytcpdump.pcap"));
		ASSERT_EQ(sh(cmd), 0);
		cfg.rx_file = path("bytcpdump.pcap");
	}
	dev = pcap_new(&cfg);
	ASSERT_TRUE(netif_carrier_ok(dev));
	rtnl_lock();
	ASSERT_EQ(netdev_rx_handler_register(dev, record, NULL), 0);
	rtnl_unlock();
	up(dev);
	ASSERT_TRUE(wait_for(at_eof, dev, 5000));
	ASSERT_FALSE(netif_carrier_ok(dev));
	ASSERT_EQ(pst(dev).rx_packets, 40);
	ASSERT_EQ(pst(dev).rx_error, 0);
	ASSERT_EQ(__atomic_load_n(&rx_n, __ATOMIC_ACQUIRE), 40);
	for (unsigned int i = 0; i < 40; i++) {
		frame(i, f, bcast);
		ASSERT_EQ(rx_len[i], frame_len(i));
		ASSERT_MEM_EQ(rx_buf[i], f, frame_len(i));
	}
	/* Down and up again after the end: the file is replayed from the start. */
	rtnl_lock();
	dev_close(dev);
	rtnl_unlock();
	up(dev);
	ASSERT_TRUE(wait_for(at_eof, dev, 5000));
	ASSERT_EQ(pst(dev).rx_packets, 80);
	rtnl_lock();
	netdev_rx_handler_unregister(dev);
	rtnl_unlock();
	teardown(dev);
}

TEST_TIMEOUT(pcap_replay_at_recorded_pace, 60)
{
	struct unetdev_pcap_config cfg = {.sz = sizeof(cfg), .pace = true};
	struct net_device *dev;
	struct timespec t0, t1;
	double el;
	u64 n;

	setup(true);
	make_capture(path("paced.pcap"), 5, 100000, 1); /* 0, 100, ..., 400 ms */
	cfg.rx_file = path("paced.pcap");
	dev = pcap_new(&cfg);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	up(dev);
	usleep(150000);
	n = pst(dev).rx_packets; /* read before the clock: never more than were due */
	clock_gettime(CLOCK_MONOTONIC, &t1);
	el = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) * 1e-9;
	ASSERT_LE(n, (u64)(el * 10) + 1); /* one frame per 100 ms, the first at once */
	ASSERT_TRUE(wait_for(at_eof, dev, 5000));
	clock_gettime(CLOCK_MONOTONIC, &t1);
	el = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) * 1e-9;
	ASSERT_GE(el * 1000, 390);
	ASSERT_EQ(pst(dev).rx_packets, 5);
	ASSERT_GE(pst(dev).rx_irqs, 5); /* one timer expiry per frame */
	teardown(dev);
}

TEST_TIMEOUT(pcap_loop_keeps_carrier_on, 60)
{
	struct unetdev_pcap_config cfg = {.sz = sizeof(cfg), .loop = true, .pace = true};
	struct net_device *dev;

	setup(true);
	make_capture(path("loop.pcap"), 3, 10000, 1);
	cfg.rx_file = path("loop.pcap");
	dev = pcap_new(&cfg);
	up(dev);
	ASSERT_TRUE(wait_for(looped_twice, dev, 5000));
	ASSERT_TRUE(netif_carrier_ok(dev));
	ASSERT_EQ(pst(dev).rx_eof, 0);
	ASSERT_GE(pst(dev).rx_packets, 6);
	teardown(dev);
}

TEST_TIMEOUT(pcap_record_cut_short_is_an_error_with_carrier_off, 60)
{
	struct unetdev_pcap_config cfg = {.sz = sizeof(cfg)};
	struct net_device *dev;
	struct stat sb;

	setup(true);
	make_capture(path("cut.pcap"), 10, 1000, 1);
	ASSERT_EQ(stat(path("cut.pcap"), &sb), 0);
	ASSERT_EQ(truncate(path("cut.pcap"), sb.st_size - 100), 0); /* inside the last record */
	cfg.rx_file = path("cut.pcap");
	dev = pcap_new(&cfg);
	up(dev);
	ASSERT_TRUE(wait_for(failed, dev, 5000));
	ASSERT_EQ(pst(dev).rx_error, -EBADMSG);
	ASSERT_EQ(pst(dev).rx_packets, 9);
	ASSERT_FALSE(netif_carrier_ok(dev));
	ASSERT_CONTAINS(logbuf, "truncated");
	ASSERT_CONTAINS(logbuf, "carrier off");
	teardown(dev);
}

static void write_file(const char *file, const void *data, size_t len)
{
	FILE *f = fopen(file, "wb");

	ASSERT_NOT_NULL(f);
	ASSERT_EQ(fwrite(data, 1, len, f), len);
	ASSERT_EQ(fclose(f), 0);
}

static void expect_create_error(const struct unetdev_pcap_config *cfg, int err, const char *msg)
{
	struct net_device *dev = NULL;

	logbuf[0] = 0;
	ASSERT_EQ(unetdev_pcap_create(NULL, "pcapbad", cfg, &dev), err);
	ASSERT_NULL(dev);
	ASSERT_NULL(__dev_get_by_name(&init_net, "pcapbad"));
	if (msg)
		ASSERT_CONTAINS(logbuf, msg);
}

TEST(pcap_bad_files_are_refused_with_errno_and_message)
{
	static const char garbage[] = "this is not a capture file at all, just some text\n";
	struct unetdev_pcap_config cfg = {.sz = sizeof(cfg)};
	struct stat sb;

	setup(false);
	cfg.rx_file = path("nosuch.pcap");
	expect_create_error(&cfg, -ENOENT, "No such file or directory");
	write_file(path("garbage.pcap"), garbage, sizeof(garbage));
	cfg.rx_file = path("garbage.pcap");
	expect_create_error(&cfg, -EBADMSG, "not a readable capture");
	make_capture(path("short.pcap"), 1, 0, 1);
	ASSERT_EQ(truncate(path("short.pcap"), 10), 0); /* inside the file header */
	cfg.rx_file = path("short.pcap");
	expect_create_error(&cfg, -EBADMSG, "truncated");
	write_file(path("empty.pcap"), "", 0);
	cfg.rx_file = path("empty.pcap");
	expect_create_error(&cfg, -EBADMSG, "empty.pcap");
	make_capture(path("raw.pcap"), 2, 0, 12 /* DLT_RAW */);
	cfg.rx_file = path("raw.pcap");
	expect_create_error(&cfg, -EPROTONOSUPPORT, "not Ethernet");
	cfg.rx_file = NULL;
	cfg.tx_file = path("no/such/dir/tx.pcap");
	expect_create_error(&cfg, -ENOENT, "tx_file");
	cfg.tx_file = path("tx.pcap");
	cfg.tx_format = (enum unetdev_pcap_format)7;
	expect_create_error(&cfg, -EINVAL, "tx_format");
	ASSERT_NE(stat(path("tx.pcap"), &sb), 0); /* refused before anything was created */
	cfg.tx_format = UNETDEV_PCAP_FMT_PCAP;
	cfg.sz = 4;
	expect_create_error(&cfg, -EINVAL, NULL);
	ASSERT_EQ(unetdev_pcap_create(NULL, NULL, NULL, NULL), -EINVAL);
}

TEST(pcap_stats_of_other_device_is_einval)
{
	struct unetdev_pcap_stats st;

	if (!unetdev_backend_available("pcap"))
		harness_skip("built without libpcap (the pcap backend)");
	ASSERT_EQ(unetdev_pcap_stats(NULL, &st), -EINVAL);
	ASSERT_TRUE(unetdev_backend_available("tap"));
	ASSERT_FALSE(unetdev_backend_available("nosuch"));
}

TEST(pcap_without_rx_file_is_a_tx_sink_with_carrier_on)
{
	struct unetdev_pcap_config cfg = {.sz = sizeof(cfg)};
	struct net_device *dev;

	setup(true);
	dev = pcap_new(&cfg);
	up(dev);
	ASSERT_TRUE(netif_carrier_ok(dev));
	xmit_frames(dev, 3, bcast);
	ASSERT_EQ(pst(dev).tx_dropped, 3);
	ASSERT_EQ(pst(dev).tx_packets, 0);
	teardown(dev);
}
