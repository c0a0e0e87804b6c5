// SPDX-License-Identifier: MIT
/* UNETDEV_TEST_THREADED: engine threads drive the backend, so the TSan build runs this too. */
/*
 * Integration: interrupt deferral (napi_defer_hard_irqs, gro_flush_timeout;
 * R-NAPI-7) and engine busy polling on the kernel-backed drivers, with the
 * kernel as the peer, in a private network namespace of the test's own.
 *
 *     test process (private netns)
 *   +------------------------------------------------------------------+
 *   |  AF_PACKET socket on da<pid> ==veth== db<pid> <-- unetdev pkt0   |
 *   |  AF_PACKET socket on da<pid> ==veth== db<pid> <-- unetdev xdp0   |
 *   |  AF_PACKET socket on da<pid> (kernel TAP)     <-- unetdev tap0   |
 *   +------------------------------------------------------------------+
 *
 * Frames come in bursts with idle gaps longer than the deferral: each burst
 * must arrive whole, i.e. a deferring queue always unmasks its line again
 * once its count runs out, and never loses a frame that came while masked.
 */
#define _GNU_SOURCE /* unshare, pipe2 */
#include <unetdev/backends.h>
#include <unetdev/engine.h>
#include <unetdev/etherdevice.h>
#include <unetdev/unetdev.h>

#include "kpeer.h"

#define DEFER	 2
#define FLUSH_NS 50000 /* 50 us */

static char ka[16], kb[16];
static const u8 src[6] = {0x02, 0, 0, 0, 0, 0x10};

static void setup(bool busy)
{
	struct unetdev_engine_config ec = {.sz = sizeof(ec), .ncpus = 1, .busy_poll = busy};

	kp_require_netns();
	kp_sh("sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1");
	snprintf(ka, sizeof(ka), "da%d", getpid() % 100000);
	snprintf(kb, sizeof(kb), "db%d", getpid() % 100000);
	ASSERT_EQ(unetdev_engine_start(&ec), 0);
}

/* Deferral set through the attribute files, as `echo 2 > .../napi_defer_hard_irqs`. */
static void set_defer(struct net_device *dev)
{
	struct unetdev_attr *a;
	char buf[32];

	ASSERT_EQ(unetdev_attr_open(NULL, dev->name, "napi_defer_hard_irqs", &a), 0);
	ASSERT_EQ(unetdev_attr_write(a, "2\n", 2), 2);
	ASSERT_EQ(unetdev_attr_read(a, buf, sizeof(buf)), 2);
	ASSERT_STR_EQ(buf, "2\n");
	ASSERT_EQ(unetdev_attr_write(a, "-1", 2), -EINVAL);
	ASSERT_EQ(unetdev_attr_write(a, "2147483648", 10), -ERANGE);
	unetdev_attr_close(a);
	ASSERT_EQ(unetdev_attr_open(NULL, dev->name, "gro_flush_timeout", &a), 0);
	ASSERT_EQ(unetdev_attr_write(a, "50000", 5), 5);
	ASSERT_EQ(unetdev_attr_read(a, buf, sizeof(buf)), 6);
	ASSERT_STR_EQ(buf, "50000\n");
	unetdev_attr_close(a);
	ASSERT_EQ(unetdev_attr_open(NULL, dev->name, "mtu", &a), 0);
	ASSERT_EQ(unetdev_attr_write(a, "1400", 4), -EACCES); /* read-only here */
	unetdev_attr_close(a);
	ASSERT_EQ(dev->napi_defer_hard_irqs, DEFER);
	ASSERT_UEQ(dev->gro_flush_timeout, FLUSH_NS);
}

static void open_dev(struct net_device *dev)
{
	rtnl_lock();
	ASSERT_EQ(dev_open(dev, NULL), 0);
	rtnl_unlock();
}

static struct unetdev_backend_stats bst(struct net_device *dev)
{
	struct unetdev_backend_stats st;

	if (unetdev_backend_stats(dev, &st) == -EINVAL) /* af_xdp has its own */
		ASSERT_EQ(unetdev_af_xdp_stats(dev, &st, NULL), 0);
	return st;
}

static u64 rx_packets(struct net_device *dev)
{
	return bst(dev).rx_packets;
}

/* Bursts from the kernel side with gaps of 20 ms (400 deferral periods). */
static void bursts(struct net_device *dev, int fd, const u8 *dst)
{
	struct unetdev_backend_stats st;
	u64 want = 0;

	for (int b = 0; b < 6; b++) {
		unsigned int n = b % 2 ? 1 : 40; /* a lone frame after idle, and bursts */

		for (unsigned int i = 0; i < n; i++)
			ASSERT_EQ(kp_pkt_send(fd, dst, src, 60, -1), 0);
		want += n;
		ASSERT_TRUE(KP_WAIT(rx_packets(dev) == want, 5000));
		usleep(20000);
		ASSERT_UEQ(rx_packets(dev), want); /* nothing extra, nothing late */
	}
	/* The deferral did happen: after each burst's interrupt, DEFER polls come
	 * from the timer (or busy polling) with the line masked, not from it. */
	st = bst(dev);
	ASSERT_GE(st.rx_polls, st.rx_irqs + 6 * DEFER);
}

/* A kernel veth pair ka-kb; unetdev attaches to kb, the kernel sends on ka. */
static void veth_pair(void)
{
	ASSERT_EQ(kp_sh("ip link add %s type veth peer name %s", ka, kb), 0);
	ASSERT_EQ(kp_sh("ip link set %s up && ip link set %s up", ka, kb), 0);
}

/* Deferral on, open, bursts from ka to kb's address, then close with deferral on. */
static void veth_bursts(struct net_device *dev)
{
	u8 bmac[6];
	int fd;

	set_defer(dev);
	open_dev(dev);
	ASSERT_EQ(kp_mac(kb, bmac), 0);
	fd = kp_pkt_open(ka);
	bursts(dev, fd, bmac);
	close(fd);
	unregister_netdev(dev); /* ndo_stop with deferral on: no hang, no leak */
	unetdev_engine_stop();
}

static void afp_case(bool busy)
{
	struct unetdev_af_packet_config cfg = {.sz = sizeof(cfg), .qdisc_bypass = true};
	struct net_device *dev = NULL;

	setup(busy);
	veth_pair();
	cfg.ifname = kb;
	ASSERT_EQ(unetdev_af_packet_create(NULL, NULL, &cfg, &dev), 0);
	veth_bursts(dev);
}

static void xdp_case(bool busy)
{
	struct unetdev_af_xdp_config cfg = {
	    .sz = sizeof(cfg), .mode = UNETDEV_XDP_COPY, .frames = 1024};
	struct net_device *dev = NULL;
	int err;

	if (!unetdev_backend_available("af_xdp"))
		harness_skip("built without libxdp/libbpf, or the kernel has no AF_XDP");
	setup(busy);
	veth_pair();
	cfg.ifname = kb;
	err = unetdev_af_xdp_create(NULL, NULL, &cfg, &dev);
	if (err == -EPERM || err == -EOPNOTSUPP)
		harness_skip("AF_XDP refused here (no CAP_BPF or no XDP on veth)");
	ASSERT_EQ(err, 0);
	veth_bursts(dev);
}

static void tap_case(bool busy)
{
	struct unetdev_tap_config cfg = {.sz = sizeof(cfg)};
	struct net_device *dev = NULL;
	int fd;

	setup(busy);
	cfg.ifname = ka;
	ASSERT_EQ(unetdev_tap_create(NULL, NULL, &cfg, &dev), 0);
	ASSERT_EQ(kp_sh("ip link set %s up", ka), 0);
	set_defer(dev);
	open_dev(dev);
	ASSERT_TRUE(KP_WAIT(netif_carrier_ok(dev), 2000));
	fd = kp_pkt_open(ka); /* what the kernel sends on the TAP, unetdev reads */
	bursts(dev, fd, dev->dev_addr);
	close(fd);
	unregister_netdev(dev); /* the spare RX skb goes at ndo_stop (leak check) */
	unetdev_engine_stop();
}

TEST_TIMEOUT(r_napi_7_af_packet_deferral_delivers_every_burst, 60)
{
	afp_case(false);
}

TEST_TIMEOUT(r_napi_7_af_packet_busy_poll_delivers_every_burst, 60)
{
	afp_case(true);
}

TEST_TIMEOUT(r_napi_7_af_xdp_deferral_delivers_every_burst, 60)
{
	xdp_case(false);
}

TEST_TIMEOUT(r_napi_7_af_xdp_busy_poll_delivers_every_burst, 60)
{
	xdp_case(true);
}

TEST_TIMEOUT(r_napi_7_tap_deferral_delivers_every_burst, 60)
{
	tap_case(false);
}

TEST_TIMEOUT(r_napi_7_tap_busy_poll_delivers_every_burst, 60)
{
	tap_case(true);
}
