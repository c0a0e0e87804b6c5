// SPDX-License-Identifier: MIT
/*
 * Stress: the storm across the kernel-backed drivers (the reliability issue,
 * part 1, extended to the backends; docs/backend-*.md, docs/reliability.md).
 *
 *   pcap  (no privileges): rx_file, a generated capture replayed in a loop;
 *         tx_file, a capture per device instance, checked at the end
 *   root, in a private network namespace made by the test:
 *         af_packet on kernel veth kv0 === kv1 <- af_packet
 *         tap (the kernel TAP kt0 made by the driver)
 *
 *   backend RX (engine CPUs: the drivers' fds are the interrupt lines)
 *     -> pt 0x88b5 "hop": hops < 4 ? forward to a device chosen by the flow
 *        : deliver (consume)      a generator thread adds frames (hops 0)
 *
 * Chaos threads, in an order drawn from the seed, open and close the devices,
 * change their MTU, hold references, unregister them while traffic flows and
 * create new ones (a pcap device with a new tx_file, a new af_packet socket
 * pair, a new TAP), and take the kernel side's link down and up (carrier,
 * through the drivers' netlink watch).
 *
 * Accounting at the end, every device unregistered, the engine stopped:
 *   created + driver RX skbs + spare == consumed + drops by reason
 *   consumed == delivered + driver TX (tx_packets: written or sent) + spare
 *   skb_live_count() == 0, no leak;
 * where the driver RX skbs are rx_packets, and for the tap also the frames it
 * dropped after allocating their skb (rx_too_big, rx_truncated, rx_filtered),
 * and spare is the skb the tap allocates before a readv() and consumes unused
 * when the read finds nothing (tap.c): 0 without a TAP, at most one per poll.
 * every tx_file is a valid pcap file (magic, version, link type 1, whole
 * records to the last byte) and their records add up to the pcap devices'
 * tx_packets; the replay looped; counters were monotonic.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* pipe2, unshare */
#endif
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <linux/netlink.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <unetdev/backends.h>
#include <unetdev/engine.h>
#include <unetdev/unetdev.h>

#include "harness.h"
#include "storm_util.h"
#include "storm_netdev.h"

#define SB_PCAPS   3
#define SB_KERNEL  3 /* af_packet kv0, af_packet kv1, tap kt0 */
#define SB_SLOTS   (SB_PCAPS + SB_KERNEL)
#define SB_CHAOS   2
#define SB_CPUS	   2
#define SB_HOPS	   4
#define SB_RX_RECS 32
#define ETH_P_SB   0x88b5

enum sb_kind { K_PCAP, K_AFP, K_TAP };

enum sb_op { OP_OPEN, OP_CLOSE, OP_MTU, OP_HOLD, OP_REPLACE, OP_KLINK, OP_MAX };
static const char *const op_names[OP_MAX] = {"open", "close",	"mtu",
					     "hold", "replace", "kernel_link"};

struct slot {
	enum sb_kind kind;
	const char *kif; /* kernel interface (af_packet, tap) */
	int ifindex;	 /* atomic; 0 while replaced or absent */
	unsigned int gen;
	struct storm_seen seen; /* sampler only */
};

static struct slot slots[SB_SLOTS];
static int nslots;
static bool stop_flag;
static char dir[64];
static u64 created, delivered, forwarded, fwd_nodev;
static u64 rx_skbs, tx_pkts, pcap_tx, pcap_loops, kernel_rx, instances, tap_polls;
static u64 ops[OP_MAX], samples;
static struct storm_mono mono;

static bool stopping(void)
{
	return __atomic_load_n(&stop_flag, __ATOMIC_ACQUIRE);
}

/* ---- pcap files by hand (no libpcap in the test: the format is the check) ---- */

struct pcap_ghdr {
	u32 magic;
	u16 major, minor;
	s32 zone;
	u32 sigfigs, snaplen, linktype;
};
struct pcap_rhdr {
	u32 sec, frac, caplen, len;
};

static void write_rx_capture(const char *file)
{
	struct pcap_ghdr g = {0xa1b2c3d4, 2, 4, 0, 0, 65535, 1};
	unsigned char f[128];
	FILE *fp = fopen(file, "wb");

	ASSERT_NOT_NULL(fp);
	ASSERT_EQ(fwrite(&g, sizeof(g), 1, fp), 1);
	for (unsigned int i = 0; i < SB_RX_RECS; i++) {
		unsigned int len = 60 + i;
		struct pcap_rhdr r = {1700000000 + i, 0, len, len};

		memset(f, 0xff, 6);
		memcpy(f + 6, "\x02\x00\x00\x00\x00\x10", 6);
		f[12] = ETH_P_SB >> 8;
		f[13] = ETH_P_SB & 0xff;
		memset(f + 14, (int)i, len - 14);
		f[14] = i % 4 ? 0 : SB_HOPS; /* hops: a quarter is delivered at once */
		ASSERT_EQ(fwrite(&r, sizeof(r), 1, fp), 1);
		ASSERT_EQ(fwrite(f, len, 1, fp), 1);
	}
	ASSERT_EQ(fclose(fp), 0);
}

/* A valid classic pcap (either resolution), Ethernet, whole records; returns the count. */
static u64 check_tx_capture(const char *file)
{
	struct pcap_ghdr g;
	struct pcap_rhdr r;
	unsigned char buf[65536];
	FILE *fp = fopen(file, "rb");
	u64 n = 0;
	size_t got;

	if (!fp)
		FAIL("%s: %s", file, strerror(errno));
	if (fread(&g, sizeof(g), 1, fp) != 1)
		FAIL("%s: no pcap header", file);
	if (g.magic != 0xa1b2c3d4 && g.magic != 0xa1b23c4d)
		FAIL("%s: magic %#x", file, g.magic);
	ASSERT_EQ(g.major, 2);
	ASSERT_EQ(g.minor, 4);
	ASSERT_EQ(g.linktype, 1);
	while ((got = fread(&r, 1, sizeof(r), fp)) == sizeof(r)) {
		ASSERT_TRUE(r.caplen >= ETH_HLEN && r.caplen <= g.snaplen && r.caplen == r.len);
		if (fread(buf, 1, r.caplen, fp) != r.caplen)
			FAIL("%s: record %llu cut short", file, (unsigned long long)n);
		ASSERT_EQ(buf[12] << 8 | buf[13], ETH_P_SB);
		n++;
	}
	if (got != 0)
		FAIL("%s: %zu stray bytes after record %llu", file, got, (unsigned long long)n);
	fclose(fp);
	return n;
}

/* ---- the datapath ---- */

/* 0x88b5: forward while hops < SB_HOPS (to the device the flow picks), else deliver. */
static int sb_hop(struct sk_buff *skb, struct net_device *dev, struct packet_type *pt,
		  struct net_device *orig_dev)
{
	struct slot *s;

	if (skb->len < 1 || skb->data[0] >= SB_HOPS) {
		storm_add(&delivered, 1);
		consume_skb(skb);
		return NET_RX_SUCCESS;
	}
	s = &slots[(skb->data[0] + skb->len + (u32)dev->ifindex) % (u32)nslots];
	skb->data[0]++;
	skb_push(skb, ETH_HLEN);
	return storm_xmit_to(skb, storm_ld(&s->ifindex), &forwarded, &fwd_nodev);
}
static struct packet_type pt_hop = {.func = sb_hop};

/* A device's counters, read as it is unregistered (after dev_close: final). */
static int sb_notify(struct notifier_block *nb, unsigned long event, void *ptr)
{
	struct net_device *dev = netdev_notifier_info_to_dev(ptr);
	struct unetdev_backend_stats bs;
	struct unetdev_pcap_stats ps;

	if (event != NETDEV_UNREGISTER || dev->reg_state != NETREG_UNREGISTERING)
		return NOTIFY_DONE;
	if (unetdev_pcap_stats(dev, &ps) == 0) {
		storm_add(&rx_skbs, ps.rx_packets);
		storm_add(&tx_pkts, ps.tx_packets);
		storm_add(&pcap_tx, ps.tx_packets);
		storm_add(&pcap_loops, ps.rx_loops);
	} else if (unetdev_backend_stats(dev, &bs) == 0) {
		storm_add(&rx_skbs, bs.rx_packets);
		storm_add(&tx_pkts, bs.tx_packets);
		storm_add(&kernel_rx, bs.rx_packets);
		if (!strncmp(dev->name, "st", 2)) { /* tap: skbs allocated before the read */
			storm_add(&rx_skbs, bs.rx_too_big + bs.rx_truncated + bs.rx_filtered);
			storm_add(&tap_polls, bs.rx_polls);
		}
	}
	return NOTIFY_DONE;
}
static struct notifier_block sb_nb = {.notifier_call = sb_notify};

/* ---- devices ---- */

static int sb_sh(const char *cmd)
{
	int st = system(cmd); // NOLINT(concurrency-mt-unsafe,cert-env33-c): ip(8) in the netns

	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/*
 * The kernel interface @name up or down, by an RTM_NEWLINK of our own: no
 * fork (a child would inherit the TAP's fd until its exec, and keep the
 * kernel TAP alive under a re-create). Returns 0 or a negative errno.
 */
static int klink_set(const char *name, bool up)
{
	struct {
		struct nlmsghdr nh;
		struct {
			unsigned char family, pad;
			unsigned short type;
			int index;
			unsigned int flags, change;
		} ifi;
		struct nlattr name_attr;
		char name[16];
	} req;
	struct {
		struct nlmsghdr nh;
		int error;
		char rest[256];
	} ack;
	int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
	int err = -EIO;

	if (fd < 0)
		return -errno;
	memset(&req, 0, sizeof(req));
	req.nh.nlmsg_len = sizeof(req);
	req.nh.nlmsg_type = 16; /* RTM_NEWLINK on an existing link: change it */
	req.nh.nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
	req.ifi.flags = up ? IFF_UP : 0;
	req.ifi.change = IFF_UP;
	req.name_attr.nla_len = (unsigned short)(sizeof(req.name_attr) + sizeof(req.name));
	req.name_attr.nla_type = 3; /* IFLA_IFNAME */
	snprintf(req.name, sizeof(req.name), "%s", name);
	if (send(fd, &req, sizeof(req), 0) == (ssize_t)sizeof(req) &&
	    recv(fd, &ack, sizeof(ack), 0) >= (ssize_t)(sizeof(ack.nh) + sizeof(int)))
		err = ack.nh.nlmsg_type == NLMSG_ERROR ? ack.error : -EIO;
	close(fd);
	return err;
}

static int slot_create(struct slot *s)
{
	struct net_device *dev = NULL;
	char rx[96], tx[96];
	int err;

	switch (s->kind) {
	case K_PCAP: {
		struct unetdev_pcap_config c = {
		    .sz = sizeof(c), .rx_file = rx, .tx_file = tx, .loop = true};

		snprintf(rx, sizeof(rx), "%s/rx.pcap", dir);
		snprintf(tx, sizeof(tx), "%s/tx-%d-%u.pcap", dir, (int)(s - slots), s->gen++);
		err = unetdev_pcap_create(&init_net, "sp%d", &c, &dev);
		break;
	}
	case K_AFP: {
		struct unetdev_af_packet_config c = {.sz = sizeof(c), .ifname = s->kif};

		err = unetdev_af_packet_create(&init_net, "sk%d", &c, &dev);
		break;
	}
	default: {
		struct unetdev_tap_config c = {.sz = sizeof(c), .ifname = s->kif};

		err = unetdev_tap_create(&init_net, "st%d", &c, &dev);
		if (!err && klink_set(s->kif, true)) /* the kernel side's carrier */
			FAIL("cannot set %s up", s->kif);
		break;
	}
	}
	if (err)
		return err;
	storm_add(&instances, 1);
	rtnl_lock();
	if (!(dev->flags & IFF_UP))
		dev_open(dev, NULL);
	__atomic_store_n(&s->ifindex, dev->ifindex, __ATOMIC_RELEASE);
	rtnl_unlock();
	return 0;
}

static void op_replace(struct slot *s)
{
	int idx = __atomic_exchange_n(&s->ifindex, 0, __ATOMIC_ACQ_REL);

	if (!idx)
		return;
	storm_unregister_ifindex(idx); /* returns once freed: the TAP and sockets are closed */
	if (slot_create(s))
		FAIL("re-creating a %s device failed", s->kind == K_PCAP ? "pcap" : "kernel");
}

static void op_rtnl(enum sb_op op, struct slot *s, u64 r)
{
	struct net_device *dev;

	rtnl_lock();
	dev = __dev_get_by_index(&init_net, storm_ld(&s->ifindex));
	if (dev && op == OP_OPEN && !(dev->flags & IFF_UP))
		dev_open(dev, NULL);
	else if (dev && op == OP_CLOSE)
		dev_close(dev);
	else if (dev && op == OP_MTU) /* frames stay < 100 B; af_packet's max is the kernel's */
		dev_set_mtu(dev, (int)(100 + (r >> 20) % 1400));
	rtnl_unlock();
}

/* The kernel side's link goes down and comes back: carrier off and on. */
static void op_klink(struct slot *s, u64 r)
{
	if (!s->kif)
		return;
	klink_set(s->kif, false); /* -ENODEV while a TAP is re-created: fine */
	usleep((useconds_t)((r >> 8) % 2000));
	klink_set(s->kif, true);
}

static void op_hold(struct slot *s, u64 r)
{
	struct net_device *dev = dev_get_by_index(&init_net, storm_ld(&s->ifindex));

	if (!dev)
		return;
	usleep((useconds_t)((r >> 8) % 500));
	dev_put(dev);
}

static void *chaos_thread(void *arg)
{
	u64 st = (u64)(uintptr_t)arg;

	while (!stopping()) {
		u64 r = storm_rnd(&st);
		enum sb_op op = (enum sb_op)(r % OP_MAX);
		struct slot *s = &slots[(r >> 4) % (u64)nslots];

		if (op == OP_REPLACE && (r >> 32) % 4)
			op = OP_HOLD;
		if (op == OP_CLOSE && (r >> 40) % 2)
			op = OP_OPEN;
		if (op == OP_REPLACE)
			op_replace(s);
		else if (op == OP_KLINK)
			op_klink(s, r);
		else if (op == OP_HOLD)
			op_hold(s, r);
		else
			op_rtnl(op, s, r);
		linkwatch_run_queue();
		storm_add(&ops[op], 1);
		usleep((useconds_t)(200 + (r >> 48) % 800));
	}
	drain_own_cpu();
	return NULL;
}

static void *gen_thread(void *arg)
{
	u64 st = (u64)(uintptr_t)arg;

	for (unsigned long n = 0; !stopping(); n++) {
		u64 r = storm_rnd(&st);
		struct slot *s = &slots[r % (u64)nslots];
		struct net_device *dev = dev_get_by_index(&init_net, storm_ld(&s->ifindex));
		unsigned int burst = 1 + (unsigned int)((r >> 16) % 16);

		if (!dev) {
			usleep(100);
			continue;
		}
		for (unsigned int i = 0; i < burst; i++) {
			struct sk_buff *skb = netdev_alloc_skb(dev, 64);
			unsigned char *f;

			if (!skb)
				break;
			f = skb_put(skb, 64);
			memset(f, 0xff, ETH_ALEN);
			memcpy(f + 6, dev->dev_addr, ETH_ALEN);
			f[12] = ETH_P_SB >> 8;
			f[13] = ETH_P_SB & 0xff;
			memset(f + 14, 0x5a, 50);
			f[14] = 0;
			storm_add(&created, 1);
			dev_queue_xmit(skb);
		}
		dev_put(dev);
		usleep(50); /* the kernel sockets have finite buffers: a steady flow */
	}
	drain_own_cpu();
	return NULL;
}

/* ---- monotonic counters (R-STAT-*): packets and drops ---- */

static void *sampler_thread(void *arg)
{
	(void)arg;
	while (!stopping()) {
		for (int i = 0; i < nslots; i++)
			if (storm_sample(&mono, storm_ld(&slots[i].ifindex), &slots[i].seen, false,
					 NULL))
				storm_add(&samples, 1);
		usleep(2000);
	}
	return NULL;
}

/* ---- the run ---- */

static struct storm_drops drops_base;

/* rm -rf the capture directory once this test process is gone, however it ends. */
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
		_exit(sb_sh(cmd) ? 1 : 0);
	}
	close(p[0]);
}

/* Root only: a private network namespace with kernel veth kv0 === kv1; NULL or why not. */
static const char *kernel_setup(void)
{
	if (geteuid() != 0)
		return "not root (CAP_NET_ADMIN)";
	if (access("/dev/net/tun", R_OK | W_OK))
		return "no /dev/net/tun";
	if (sb_sh("ip -V >/dev/null 2>&1"))
		return "iproute2 (ip) is not installed";
	if (unshare(CLONE_NEWNET))
		return "unshare(CLONE_NEWNET) refused";
	if (sb_sh("ip link set lo up && ip link add kv0 type veth peer name kv1 && "
		  "ip link set kv0 up && ip link set kv1 up"))
		FAIL("cannot make the kernel veth pair in the private namespace");
	return NULL;
}

static void sb_setup(bool kernel)
{
	struct unetdev_engine_config ec = {.sz = sizeof(ec), .ncpus = SB_CPUS};
	char rx[96];

	if (!unetdev_backend_available("pcap"))
		harness_skip("built without libpcap (the pcap backend)");
	unetdev_log_set_level(3); /* errors only: carrier and promisc lines are noise here */
	snprintf(dir, sizeof(dir), "/tmp/unetdev-storm-XXXXXX");
	ASSERT_NOT_NULL(mkdtemp(dir));
	reaper();
	snprintf(rx, sizeof(rx), "%s/rx.pcap", dir);
	write_rx_capture(rx);
	storm_drops_mark(&drops_base);
	ASSERT_EQ(register_netdevice_notifier(&sb_nb), 0);
	pt_hop.type = htons(ETH_P_SB);
	dev_add_pack(&pt_hop);
	ASSERT_EQ(unetdev_engine_start(&ec), 0);
	nslots = 0;
	for (int i = 0; i < SB_PCAPS; i++)
		slots[nslots++] = (struct slot){.kind = K_PCAP};
	if (kernel) {
		slots[nslots++] = (struct slot){.kind = K_AFP, .kif = "kv0"};
		slots[nslots++] = (struct slot){.kind = K_AFP, .kif = "kv1"};
		slots[nslots++] = (struct slot){.kind = K_TAP, .kif = "kt0"};
	}
	for (int i = 0; i < nslots; i++)
		ASSERT_EQ(slot_create(&slots[i]), 0);
}

static void sb_teardown(void)
{
	for (int i = 0; i < nslots; i++) {
		int idx = __atomic_exchange_n(&slots[i].ifindex, 0, __ATOMIC_ACQ_REL);

		if (idx)
			storm_unregister_ifindex(idx);
	}
	unetdev_engine_stop();
	dev_remove_pack(&pt_hop);
	ASSERT_EQ(unregister_netdevice_notifier(&sb_nb), 0);
	unetdev_log_set_level(6);
}

static void sb_check_files(void)
{
	u64 records = 0;
	unsigned int files = 0;
	char file[128];

	for (int i = 0; i < SB_PCAPS; i++) {
		for (unsigned int g = 0; g < slots[i].gen; g++) {
			snprintf(file, sizeof(file), "%s/tx-%d-%u.pcap", dir, i, g);
			records += check_tx_capture(file);
			files++;
		}
	}
	printf("# %u tx_files, all valid pcap: %llu records (pcap tx_packets %llu)\n", files,
	       (unsigned long long)records, (unsigned long long)storm_rd(&pcap_tx));
	fflush(stdout);
	ASSERT_UEQ(records, storm_rd(&pcap_tx));
}

static void sb_check_accounting(bool kernel)
{
	unsigned long drops, consumed;
	u64 in, spare;

	drops = storm_drops_since(&drops_base, &consumed);
	printf("# created %llu + driver rx %llu (kernel backends %llu); delivered %llu + driver tx "
	       "%llu + drops %lu; forwarded %llu (no device %llu); %llu device instances, pcap "
	       "loops %llu\n",
	       (unsigned long long)storm_rd(&created), (unsigned long long)storm_rd(&rx_skbs),
	       (unsigned long long)storm_rd(&kernel_rx), (unsigned long long)storm_rd(&delivered),
	       (unsigned long long)storm_rd(&tx_pkts), drops,
	       (unsigned long long)storm_rd(&forwarded), (unsigned long long)storm_rd(&fwd_nodev),
	       (unsigned long long)storm_rd(&instances), (unsigned long long)storm_rd(&pcap_loops));
	fflush(stdout);
	ASSERT_EQ(skb_live_count(), 0);
	in = storm_rd(&created) + storm_rd(&rx_skbs);
	ASSERT_GE(consumed + drops, in);
	spare = consumed + drops - in;
	printf("# spare tap skbs %llu (tap polls %llu)\n", (unsigned long long)spare,
	       (unsigned long long)storm_rd(&tap_polls));
	fflush(stdout);
	ASSERT_LE(spare, storm_rd(&tap_polls));
	ASSERT_UEQ(consumed, storm_rd(&delivered) + storm_rd(&tx_pkts) + spare);
	ASSERT_GT(storm_rd(&delivered), 0);
	ASSERT_GT(storm_rd(&forwarded), 0);
	ASSERT_GT(storm_rd(&pcap_loops), 0);
	if (kernel)
		ASSERT_GT(storm_rd(&kernel_rx), 0); /* frames came back through the kernel */
}

static void storm_backends(bool kernel, unsigned long secs)
{
	unsigned long seed = storm_seed();
	unsigned long total_ops = 0;

	printf("# seed %lu (replay: UNETDEV_STORM_SEED=%lu), %lu s\n", seed, seed, secs);
	fflush(stdout);
	sb_setup(kernel);
	storm_run(&(struct storm_threads){1, SB_CHAOS, gen_thread, chaos_thread, sampler_thread,
					  &stop_flag},
		  seed, secs);
	sb_teardown();
	for (int op = 0; op < OP_MAX; op++) {
		printf("# op %-11s %llu\n", op_names[op], (unsigned long long)storm_rd(&ops[op]));
		total_ops += storm_rd(&ops[op]);
	}
	printf("# %lu control operations, %llu stat samples\n", total_ops,
	       (unsigned long long)storm_rd(&samples));
	if (__atomic_load_n(&mono.bad, __ATOMIC_RELAXED))
		FAIL("counter not monotonic: %s", mono.err);
	sb_check_accounting(kernel);
	sb_check_files();
	ASSERT_GT(storm_rd(&ops[OP_REPLACE]), 0);
}

static void test_storm_pcap_under_traffic(void)
{
	storm_backends(false, storm_seconds(STORM_TSAN ? 1 : 2));
}

static void test_storm_kernel_backends_under_traffic(void)
{
	const char *why = kernel_setup();

	if (why)
		harness_skip(why);
	storm_backends(true, storm_seconds(2));
}

/* Registered by hand: the timeouts follow UNETDEV_STORM_SECONDS. */
__attribute__((constructor)) static void reg_storm_backends(void)
{
	int secs = (int)storm_seconds(3);

	harness_register("storm_pcap_under_traffic", test_storm_pcap_under_traffic, NULL,
			 2 * secs + 120);
	harness_register("storm_kernel_backends_under_traffic",
			 test_storm_kernel_backends_under_traffic, NULL, 2 * secs + 120);
}
