// SPDX-License-Identifier: MIT
/* UNETDEV_TEST_THREADED: engine threads drive the backend, so the TSan build runs this too. */
/*
 * Integration: the tap driver against the kernel's TAP, in a private
 * network namespace of the test's own (unshare(CLONE_NEWNET)).
 *
 *     test process (private netns)
 *   +--------------------------------------------------------------+
 *   |  AF_PACKET socket --> kernel TAP ut<pid> == fd ==> unetdev tap |
 *   |  /sys/.../statistics <--                  <==  dev_queue_xmit |
 *   +--------------------------------------------------------------+
 *
 * The kernel side sends raw frames on its TAP with a packet socket; the
 * unetdev side counts them (and filters them as ndo_set_rx_mode says).
 * unetdev transmits and the kernel TAP's rx counters move. IPv6 is off in
 * the namespace so the kernel sends nothing of its own.
 */
#define _GNU_SOURCE /* unshare, pipe2 */
#include <unetdev/checksum.h>
#include <unetdev/skbuff_hdr.h>

#include "backend_util.h"

static char kname[16];

static void setup(void)
{
	bk_netns();
	bk_ifname(kname, "ut");
	bk_engine_start();
}

static struct net_device *tap_new(unsigned int queues, bool vnet)
{
	struct unetdev_tap_config cfg = {
	    .sz = sizeof(cfg), .ifname = kname, .queues = queues, .vnet_hdr = vnet};
	struct net_device *dev = NULL;

	ASSERT_EQ(unetdev_tap_create(NULL, NULL, &cfg, &dev), 0);
	ASSERT_EQ(kp_sh("ip link set %s up", kname), 0);
	bk_open(dev, true);
	return dev;
}

static struct rtnl_link_stats64 stats64(struct net_device *dev)
{
	struct rtnl_link_stats64 s;

	dev_get_stats(dev, &s);
	return s;
}

TEST_TIMEOUT(tap_rx_from_kernel_with_software_rx_mode, 60)
{
	static const u8 other[6] = {0x02, 0x11, 0x22, 0x33, 0x44, 0x55};
	static const u8 mcast[6] = {0x01, 0x00, 0x5e, 0x00, 0x00, 0xfb};
	static const u8 bcast[6] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff};
	struct net_device *dev;
	int fd;

	setup();
	dev = tap_new(1, false);
	fd = kp_pkt_open(kname);
	bk_send_n(fd, dev->dev_addr, 10, 60);
	bk_send_n(fd, bcast, 2, 60);
	ASSERT_TRUE(KP_WAIT(bk_stats(dev).rx_packets == 12, 2000));
	/* Not ours: dropped and counted, until promiscuous. */
	bk_send_n(fd, other, 3, 60);
	ASSERT_TRUE(KP_WAIT(bk_stats(dev).rx_filtered == 3, 2000));
	rtnl_lock();
	ASSERT_EQ(dev_set_promiscuity(dev, 1), 0);
	rtnl_unlock();
	bk_send_n(fd, other, 3, 60);
	ASSERT_TRUE(KP_WAIT(bk_stats(dev).rx_packets == 15, 2000));
	rtnl_lock();
	ASSERT_EQ(dev_set_promiscuity(dev, -1), 0);
	rtnl_unlock();
	/* A multicast group reaches the device only after dev_mc_add. */
	bk_send_n(fd, mcast, 2, 60);
	ASSERT_TRUE(KP_WAIT(bk_stats(dev).rx_filtered == 5, 2000));
	ASSERT_EQ(dev_mc_add(dev, mcast), 0);
	bk_send_n(fd, mcast, 2, 60);
	ASSERT_TRUE(KP_WAIT(bk_stats(dev).rx_packets == 17, 2000));
	ASSERT_EQ(bk_stats(dev).rx_filtered, 5);
	ASSERT_EQ(dev_mc_del(dev, mcast), 0);
	close(fd);
	bk_teardown(dev);
}

TEST_TIMEOUT(tap_tx_reaches_kernel, 60)
{
	struct net_device *dev;
	long long before;
	u8 kmac[6];

	setup();
	dev = tap_new(1, false);
	ASSERT_EQ(kp_mac(kname, kmac), 0);
	before = kp_sysfs(kname, "statistics/rx_packets");
	for (int i = 0; i < 20; i++)
		ASSERT_EQ(bk_xmit(dev, kmac), NET_XMIT_SUCCESS);
	ASSERT_TRUE(KP_WAIT(kp_sysfs(kname, "statistics/rx_packets") - before == 20, 2000));
	ASSERT_EQ(bk_stats(dev).tx_packets, 20);
	ASSERT_EQ(bk_stats(dev).tx_errors, 0);
	bk_teardown(dev);
}

TEST_TIMEOUT(tap_carrier_follows_kernel_link, 60)
{
	struct net_device *dev;

	setup();
	dev = tap_new(1, false);
	ASSERT_TRUE(KP_WAIT(netif_carrier_ok(dev), 2000));
	ASSERT_EQ(kp_sh("ip link set %s down", kname), 0);
	ASSERT_TRUE(KP_WAIT(!netif_carrier_ok(dev), 2000));
	linkwatch_run_queue();
	ASSERT_EQ(READ_ONCE(dev->operstate), IF_OPER_DOWN);
	ASSERT_EQ(kp_sh("ip link set %s up", kname), 0);
	ASSERT_TRUE(KP_WAIT(netif_carrier_ok(dev), 2000));
	linkwatch_run_queue();
	ASSERT_EQ(READ_ONCE(dev->operstate), IF_OPER_UP);
	bk_teardown(dev);
}

/* R-MTU-2: MTU + 14 (+ 4 for a VLAN tag) is received; larger is dropped and counted. */
TEST_TIMEOUT(tap_mtu_rx_limit, 60)
{
	struct rtnl_link_stats64 s;
	struct net_device *dev;
	int fd;

	setup();
	dev = tap_new(1, false);
	rtnl_lock();
	ASSERT_EQ(dev_set_mtu(dev, 1400), 0);
	rtnl_unlock();
	fd = kp_pkt_open(kname);
	ASSERT_EQ(kp_pkt_send(fd, dev->dev_addr, dev->dev_addr, 1414, -1), 0);
	ASSERT_EQ(kp_pkt_send(fd, dev->dev_addr, dev->dev_addr, 1418, 5), 0);
	ASSERT_TRUE(KP_WAIT(bk_stats(dev).rx_packets == 2, 2000));
	ASSERT_EQ(kp_pkt_send(fd, dev->dev_addr, dev->dev_addr, 1419, 5), 0);
	ASSERT_TRUE(KP_WAIT(bk_stats(dev).rx_too_big == 1, 2000));
	dev_get_stats(dev, &s);
	ASSERT_EQ(s.rx_length_errors, 1);
	ASSERT_EQ(bk_stats(dev).rx_packets, 2);
	close(fd);
	bk_teardown(dev);
}

TEST_TIMEOUT(tap_multiqueue_vnet_hdr, 60)
{
	struct net_device *dev;
	int fd;

	setup();
	dev = tap_new(2, true);
	ASSERT_EQ(dev->real_num_tx_queues, 2);
	ASSERT_TRUE(dev->features & NETIF_F_HW_CSUM);
	ASSERT_TRUE(dev->features & NETIF_F_TSO);
	fd = kp_pkt_open(kname);
	bk_send_n(fd, dev->dev_addr, 16, 60);
	ASSERT_TRUE(KP_WAIT(bk_stats(dev).rx_packets == 16, 2000));
	ASSERT_EQ(stats64(dev).rx_packets, 16); /* summed over both queues */
	close(fd);
	bk_teardown(dev);
}

TEST_TIMEOUT(tap_kernel_device_deleted_underneath, 60)
{
	struct net_device *dev;

	setup();
	dev = tap_new(1, false);
	ASSERT_TRUE(KP_WAIT(netif_carrier_ok(dev), 2000));
	ASSERT_EQ(kp_sh("ip link del %s", kname), 0);
	ASSERT_TRUE(KP_WAIT(!netif_carrier_ok(dev), 2000));
	ASSERT_TRUE(KP_WAIT(bk_stats(dev).kernel_gone == 1, 2000));
	rtnl_lock();
	dev_close(dev);
	ASSERT_EQ(dev_open(dev, NULL), -ENODEV);
	rtnl_unlock();
	bk_teardown(dev);
}

/* A TCPv4 GSO skb of 3 x 1000 bytes leaves whole through the virtio_net_hdr. */
TEST_TIMEOUT(tap_vnet_hdr_tx_gso_whole, 60)
{
	enum { PAY = 3000, L = ETH_HLEN + 20 + 20 + PAY };
	struct net_device *dev;
	long long pkts, bytes;
	u8 kmac[6];

	setup();
	dev = tap_new(1, true);
	ASSERT_EQ(kp_mac(kname, kmac), 0);
	pkts = kp_sysfs(kname, "statistics/rx_packets");
	bytes = kp_sysfs(kname, "statistics/rx_bytes");
	ASSERT_EQ(dev_queue_xmit(bk_tcp4_gso(dev, kmac, PAY, 1000, 3, 0)), NET_XMIT_SUCCESS);
	ASSERT_TRUE(KP_WAIT(kp_sysfs(kname, "statistics/rx_bytes") - bytes >= L, 2000));
	ASSERT_EQ(kp_sysfs(kname, "statistics/rx_packets") - pkts, 1); /* one write, whole */
	ASSERT_EQ(bk_stats(dev).tx_gso, 1);
	ASSERT_EQ(bk_stats(dev).tx_errors, 0);
	bk_teardown(dev);
}
