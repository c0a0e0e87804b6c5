// SPDX-License-Identifier: MIT
/* UNETDEV_TEST_THREADED: engine threads drive the backend, so the TSan build runs this too. */
/*
 * Integration: the af_xdp driver on a veth pair, in a private network
 * namespace of the test's own (unshare(CLONE_NEWNET)).
 *
 *     test process (private netns)
 *   +-----------------------------------------------------------------+
 *   |  AF_PACKET socket --> xb ==veth==> xa --XDP redirect--> XSK      |
 *   |  /sys/.../xb/statistics <--      xa <-- XSK TX <-- unetdev xmit  |
 *   +-----------------------------------------------------------------+
 *
 * The kernel sends raw frames out of xb; unetdev receives them on xa's
 * queue 0 through libxdp's redirect program (veth: copy mode). unetdev
 * transmits and xb's rx counters move. Removing the device removes the
 * XDP program (`ip link show` shows none). Zero-copy on veth is refused
 * with -EOPNOTSUPP and leaves nothing behind. Skips without root or when
 * the library was built without libxdp.
 */
#define _GNU_SOURCE /* unshare, pipe2, setresuid */
#include "backend_util.h"

static void setup(void)
{
	if (!unetdev_backend_available("af_xdp"))
		harness_skip("built without libxdp/libbpf, or the kernel has no AF_XDP");
	bk_netns();
	if (bk_veth_pair("xa", "xb"))
		harness_skip("cannot create a veth pair");
	bk_log_capture();
	bk_engine_start();
}

/* True when kernel interface @ifname has an XDP program attached. */
static bool has_xdp(const char *ifname)
{
	return kp_sh("ip link show dev %s | grep -q xdp", ifname) == 0;
}

static struct net_device *xdp_new(enum unetdev_af_xdp_mode mode)
{
	struct unetdev_af_xdp_config cfg = {
	    .sz = sizeof(cfg), .ifname = "xa", .mode = mode, .frames = 1024};
	struct net_device *dev = NULL;
	int err = unetdev_af_xdp_create(NULL, NULL, &cfg, &dev);

	if (err == -EPERM || err == -EOPNOTSUPP)
		harness_skip("AF_XDP refused here (no CAP_BPF or no XDP on veth)");
	ASSERT_EQ(err, 0);
	bk_open(dev, false);
	return dev;
}

static struct unetdev_backend_stats bst(struct net_device *dev)
{
	struct unetdev_backend_stats st;

	ASSERT_EQ(unetdev_af_xdp_stats(dev, &st, NULL), 0);
	return st;
}

TEST_TIMEOUT(af_xdp_rx_tx_on_veth_and_program_removed, 120)
{
	static const u8 bcast[6] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff};
	static const u8 other[6] = {0x02, 0x11, 0x22, 0x33, 0x44, 0x55};
	struct net_device *dev;
	long long before;
	bool zc = true;
	u8 kmac[6];
	int fd;

	setup();
	dev = xdp_new(UNETDEV_XDP_AUTO);
	ASSERT_TRUE(has_xdp("xa"));
	ASSERT_EQ(unetdev_af_xdp_stats(dev, &(struct unetdev_backend_stats){0}, &zc), 0);
	ASSERT_FALSE(zc); /* veth: copy mode */
	ASSERT_TRUE(KP_WAIT(netif_carrier_ok(dev), 2000));

	/* RX: the kernel sends out of xb, unetdev receives on xa. */
	fd = kp_pkt_open("xb");
	bk_send_n(fd, dev->dev_addr, 20, 60);
	bk_send_n(fd, bcast, 5, 200);
	ASSERT_TRUE(KP_WAIT(bst(dev).rx_packets == 25, 5000));
	bk_send_n(fd, other, 3, 60); /* not ours: the software filter drops them */
	ASSERT_TRUE(KP_WAIT(bst(dev).rx_filtered == 3, 5000));
	close(fd);

	/* TX: unetdev transmits on xa, the kernel counts on xb. */
	ASSERT_EQ(kp_mac("xb", kmac), 0);
	before = kp_sysfs("xb", "statistics/rx_packets");
	for (int i = 0; i < 50; i++)
		ASSERT_EQ(bk_xmit(dev, kmac), NET_XMIT_SUCCESS);
	ASSERT_TRUE(KP_WAIT(kp_sysfs("xb", "statistics/rx_packets") - before == 50, 5000));
	ASSERT_EQ(bst(dev).tx_packets, 50);
	ASSERT_EQ(bst(dev).tx_errors, 0);

	/* Teardown removes the XDP program. */
	bk_teardown(dev);
	ASSERT_FALSE(has_xdp("xa"));
	ASSERT_EQ(kp_sh("ip link show dev xa"), 0);
}

TEST_TIMEOUT(af_xdp_carrier_follows_kernel_link, 120)
{
	struct net_device *dev;

	setup();
	dev = xdp_new(UNETDEV_XDP_COPY);
	ASSERT_TRUE(KP_WAIT(netif_carrier_ok(dev), 2000));
	ASSERT_EQ(kp_sh("ip link set xb down"), 0); /* veth: xa loses carrier */
	ASSERT_TRUE(KP_WAIT(!netif_carrier_ok(dev), 2000));
	ASSERT_EQ(kp_sh("ip link set xb up"), 0);
	ASSERT_TRUE(KP_WAIT(netif_carrier_ok(dev), 2000));
	bk_teardown(dev);
	ASSERT_FALSE(has_xdp("xa"));
}

TEST_TIMEOUT(af_xdp_zerocopy_on_veth_is_eopnotsupp_and_leaves_nothing, 120)
{
	struct unetdev_af_xdp_config cfg = {
	    .sz = sizeof(cfg), .ifname = "xa", .mode = UNETDEV_XDP_ZEROCOPY, .frames = 256};
	struct net_device *dev = NULL;

	setup();
	ASSERT_EQ(unetdev_af_xdp_create(NULL, "xdpzc", &cfg, &dev), -EOPNOTSUPP);
	ASSERT_NULL(dev);
	ASSERT_NULL(__dev_get_by_name(&init_net, "xdpzc"));
	ASSERT_CONTAINS(bk_logbuf(), "zero-copy");
	ASSERT_CONTAINS(bk_logbuf(), "not supported by the kernel driver");
	ASSERT_FALSE(has_xdp("xa"));
	/* And copy mode still works on the same queue afterwards. */
	dev = xdp_new(UNETDEV_XDP_COPY);
	bk_teardown(dev);
	ASSERT_FALSE(has_xdp("xa"));
}

TEST_TIMEOUT(af_xdp_bad_config_and_missing_interface, 60)
{
	struct unetdev_af_xdp_config cfg = {.sz = sizeof(cfg), .ifname = "nosuch0xdp"};
	struct net_device *dev = NULL;

	if (!unetdev_backend_available("af_xdp"))
		harness_skip("built without libxdp/libbpf, or the kernel has no AF_XDP");
	bk_log_capture();
	ASSERT_EQ(unetdev_af_xdp_create(NULL, NULL, &cfg, &dev), -ENODEV);
	ASSERT_CONTAINS(bk_logbuf(), "nosuch0xdp");
	cfg.ifname = NULL;
	ASSERT_EQ(unetdev_af_xdp_create(NULL, NULL, &cfg, &dev), -EINVAL);
	cfg.ifname = "lo";
	cfg.mode = (enum unetdev_af_xdp_mode)9;
	ASSERT_EQ(unetdev_af_xdp_create(NULL, NULL, &cfg, &dev), -EINVAL);
	cfg.mode = UNETDEV_XDP_COPY;
	cfg.queues = UNETDEV_BACKEND_MAX_QUEUES + 1;
	ASSERT_EQ(unetdev_af_xdp_create(NULL, NULL, &cfg, &dev), -EINVAL);
	ASSERT_NULL(dev);
}

/* Permission denied: a clear -EPERM naming the capabilities, nothing attached or leaked. */
TEST_TIMEOUT(af_xdp_without_privileges_is_eperm, 60)
{
	struct unetdev_af_xdp_config cfg = {.sz = sizeof(cfg), .ifname = "xa", .frames = 1024};
	struct net_device *dev = NULL;

	setup();
	if (setresgid(65534, 65534, 65534) || setresuid(65534, 65534, 65534))
		harness_skip("cannot drop to uid 65534");
	ASSERT_EQ(unetdev_af_xdp_create(NULL, NULL, &cfg, &dev), -EPERM);
	ASSERT_CONTAINS(bk_logbuf(), "needs CAP_NET_ADMIN");
	ASSERT_NULL(dev);
	ASSERT_FALSE(has_xdp("xa"));
	bk_teardown(NULL);
}

/* Two queues on a two-queue veth: one XSK each, one UMEM; every frame arrives once. */
TEST_TIMEOUT(af_xdp_two_queues_share_one_umem, 120)
{
	struct unetdev_af_xdp_config cfg = {
	    .sz = sizeof(cfg), .ifname = "ya", .queues = 2, .frames = 1024};
	struct net_device *dev = NULL;
	int fd, err;

	setup();
	if (kp_sh("ip link add ya numtxqueues 2 numrxqueues 2 type veth peer name yb "
		  "numtxqueues 2 numrxqueues 2"))
		harness_skip("cannot create a two-queue veth pair");
	ASSERT_EQ(kp_sh("ip link set ya up && ip link set yb up"), 0);
	err = unetdev_af_xdp_create(NULL, NULL, &cfg, &dev);
	if (err == -EPERM || err == -EOPNOTSUPP)
		harness_skip("AF_XDP refused here");
	ASSERT_EQ(err, 0);
	ASSERT_EQ(dev->real_num_tx_queues, 2);
	bk_open(dev, false);
	fd = kp_pkt_open("yb");
	bk_send_n(fd, dev->dev_addr, 64, 60);
	ASSERT_TRUE(KP_WAIT(bst(dev).rx_packets == 64, 5000));
	close(fd);
	bk_teardown(dev);
	ASSERT_FALSE(has_xdp("ya"));
}

/*
 * Deferred kicks (R-TX-13, include/unetdev/xmit_flush.h): a lone frame from
 * this thread, and one sent back from the NAPI poll by an rx_handler, both
 * reach the kernel peer with no further traffic; a burst of 100 in one
 * BH-disabled section (kicked per 32 and at the end) arrives whole.
 */
TEST_TIMEOUT(af_xdp_lone_frames_reach_the_kernel_without_more_traffic, 120)
{
	struct net_device *dev;
	long long before;
	u8 kmac[6];
	int fd;

	setup();
	dev = xdp_new(UNETDEV_XDP_COPY);
	ASSERT_TRUE(KP_WAIT(netif_carrier_ok(dev), 2000));
	ASSERT_EQ(kp_mac("xb", kmac), 0);
	fd = kp_pkt_open("xb");
	before = kp_sysfs("xb", "statistics/rx_packets");
	/* Until linkwatch activates the qdisc a frame is dropped (noop): try again. */
	ASSERT_TRUE(KP_WAIT(bk_xmit(dev, kmac) == NET_XMIT_SUCCESS, 5000));
	ASSERT_TRUE(KP_WAIT(kp_sysfs("xb", "statistics/rx_packets") - before == 1, 5000));
	rtnl_lock();
	ASSERT_EQ(netdev_rx_handler_register(dev, bk_reflect, NULL), 0);
	rtnl_unlock();
	bk_send_n(fd, dev->dev_addr, 1, 60);
	ASSERT_TRUE(KP_WAIT(kp_sysfs("xb", "statistics/rx_packets") - before == 2, 5000));
	local_bh_disable();
	for (int i = 0; i < 100; i++)
		ASSERT_EQ(bk_xmit(dev, kmac), NET_XMIT_SUCCESS);
	local_bh_enable();
	ASSERT_TRUE(KP_WAIT(kp_sysfs("xb", "statistics/rx_packets") - before == 102, 5000));
	ASSERT_EQ(bst(dev).tx_packets, 102);
	ASSERT_EQ(bst(dev).tx_errors, 0);
	close(fd);
	bk_teardown(dev);
}
