// SPDX-License-Identifier: MIT
/* UNETDEV_TEST_THREADED: engine threads drive the backend, so the TSan build runs this too. */
/*
 * Integration: the af_packet driver on a kernel veth pair, in a private
 * network namespace of the test's own (unshare(CLONE_NEWNET)).
 *
 *     test process (private netns)
 *   +----------------------------------------------------------------+
 *   |  AF_PACKET socket on pa<pid> ==veth== pb<pid> <-- unetdev pkt0 |
 *   |  (the kernel peer)                    (TPACKET_V3 ring, send()) |
 *   +----------------------------------------------------------------+
 *
 * IPv6 is off in the namespace so the kernel sends nothing of its own.
 */
#define _GNU_SOURCE /* unshare, pipe2 */
#include "backend_util.h"

static char ka[16], kb[16];

static void setup(void)
{
	bk_setup_veth(ka, kb);
}

static struct net_device *afp_new_cfg(struct unetdev_af_packet_config *cfg)
{
	struct net_device *dev = NULL;

	cfg->sz = sizeof(*cfg);
	cfg->ifname = kb;
	ASSERT_EQ(unetdev_af_packet_create(NULL, NULL, cfg, &dev), 0);
	bk_open(dev, false);
	return dev;
}

static struct net_device *afp_new(void)
{
	struct unetdev_af_packet_config cfg = {.qdisc_bypass = true};

	return afp_new_cfg(&cfg);
}

static const u8 src[6] = {0x02, 0, 0, 0, 0, 0x10};

static void xmit_n(struct net_device *dev, const u8 *dst, unsigned int n, bool must_pass)
{
	for (unsigned int i = 0; i < n; i++) {
		int rc = bk_xmit(dev, dst);

		if (must_pass)
			ASSERT_EQ(rc, NET_XMIT_SUCCESS);
	}
}

TEST_TIMEOUT(afp_rx_tx_with_kernel_veth, 60)
{
	struct net_device *dev;
	long long before;
	u8 amac[6], bmac[6];
	int fd;

	setup();
	dev = afp_new();
	ASSERT_EQ(kp_mac(kb, bmac), 0);
	ASSERT_MEM_EQ(dev->dev_addr, bmac, 6); /* the device is the kernel NIC's MAC */
	ASSERT_EQ(dev->mtu, 1500);
	ASSERT_EQ(dev->max_mtu, 1500);
	fd = kp_pkt_open(ka);
	bk_send_n(fd, bmac, 10, 60);
	ASSERT_TRUE(KP_WAIT(bk_stats(dev).rx_packets == 10, 2000));
	ASSERT_EQ(kp_mac(ka, amac), 0);
	before = kp_sysfs(ka, "statistics/rx_packets");
	xmit_n(dev, amac, 10, true);
	ASSERT_TRUE(KP_WAIT(kp_sysfs(ka, "statistics/rx_packets") - before == 10, 2000));
	ASSERT_EQ(bk_stats(dev).tx_packets, 10);
	usleep(20000);
	ASSERT_EQ(bk_stats(dev).rx_packets, 10); /* our own transmissions do not come back */
	close(fd);
	bk_teardown(dev);
}

/* rx_mode: software filter plus PACKET_ADD_MEMBERSHIP on the kernel interface. */
TEST_TIMEOUT(afp_rx_mode_membership, 60)
{
	static const u8 other[6] = {0x02, 0x11, 0x22, 0x33, 0x44, 0x55};
	static const u8 mcast[6] = {0x01, 0x00, 0x5e, 0x01, 0x02, 0x03};
	struct net_device *dev;
	int fd;

	setup();
	dev = afp_new();
	fd = kp_pkt_open(ka);
	bk_send_n(fd, mcast, 2, 60);
	ASSERT_TRUE(KP_WAIT(bk_stats(dev).rx_filtered == 2, 2000));
	ASSERT_NE(kp_sh("ip maddr show dev %s | grep -q 01:00:5e:01:02:03", kb), 0);
	ASSERT_EQ(dev_mc_add(dev, mcast), 0);
	ASSERT_EQ(kp_sh("ip maddr show dev %s | grep -q 01:00:5e:01:02:03", kb), 0);
	bk_send_n(fd, mcast, 2, 60);
	ASSERT_TRUE(KP_WAIT(bk_stats(dev).rx_packets == 2, 2000));
	ASSERT_EQ(dev_mc_del(dev, mcast), 0);
	ASSERT_NE(kp_sh("ip maddr show dev %s | grep -q 01:00:5e:01:02:03", kb), 0);
	/* Promiscuous: every frame, and the kernel interface is promiscuous too. */
	bk_send_n(fd, other, 3, 60);
	ASSERT_TRUE(KP_WAIT(bk_stats(dev).rx_filtered == 5, 2000));
	rtnl_lock();
	ASSERT_EQ(dev_set_promiscuity(dev, 1), 0);
	rtnl_unlock();
	/* A socket's promiscuity shows in the count, not in the user-set PROMISC flag. */
	ASSERT_EQ(kp_sh("ip -d link show %s | grep -q 'promiscuity 1'", kb), 0);
	bk_send_n(fd, other, 3, 60);
	ASSERT_TRUE(KP_WAIT(bk_stats(dev).rx_packets == 5, 2000));
	rtnl_lock();
	ASSERT_EQ(dev_set_promiscuity(dev, -1), 0);
	rtnl_unlock();
	ASSERT_EQ(kp_sh("ip -d link show %s | grep -q 'promiscuity 0'", kb), 0);
	close(fd);
	bk_teardown(dev);
}

/* The kernel takes the tag out; the driver puts it back as skb->vlan_tci. MTU + 14 + 4. */
TEST_TIMEOUT(afp_vlan_and_mtu_rx_limit, 60)
{
	struct rtnl_link_stats64 s;
	struct net_device *dev;
	int fd;

	setup();
	dev = afp_new();
	rtnl_lock();
	ASSERT_EQ(dev_set_mtu(dev, 1400), 0);
	rtnl_unlock();
	fd = kp_pkt_open(ka);
	ASSERT_EQ(kp_pkt_send(fd, dev->dev_addr, src, 1414, -1), 0);
	ASSERT_EQ(kp_pkt_send(fd, dev->dev_addr, src, 1418, 7), 0);
	ASSERT_TRUE(KP_WAIT(bk_stats(dev).rx_packets == 2, 2000));
	ASSERT_EQ(bk_stats(dev).rx_vlan, 1);
	ASSERT_EQ(kp_pkt_send(fd, dev->dev_addr, src, 1419, 7), 0);
	ASSERT_EQ(kp_pkt_send(fd, dev->dev_addr, src, 1419, -1), 0);
	ASSERT_TRUE(KP_WAIT(bk_stats(dev).rx_too_big == 2, 2000));
	dev_get_stats(dev, &s);
	ASSERT_EQ(s.rx_length_errors, 2);
	ASSERT_EQ(bk_stats(dev).rx_packets, 2);
	close(fd);
	bk_teardown(dev);
}

TEST_TIMEOUT(afp_mtu_follows_kernel, 60)
{
	struct net_device *dev;

	setup();
	dev = afp_new();
	ASSERT_EQ(kp_sh("ip link set %s mtu 1300", kb), 0);
	ASSERT_TRUE(KP_WAIT(READ_ONCE(dev->max_mtu) == 1300 && READ_ONCE(dev->mtu) == 1300, 2000));
	rtnl_lock();
	ASSERT_EQ(dev_set_mtu(dev, 1400), -EINVAL);
	rtnl_unlock();
	ASSERT_EQ(kp_sh("ip link set %s mtu 1500", kb), 0);
	ASSERT_TRUE(KP_WAIT(READ_ONCE(dev->max_mtu) == 1500, 2000));
	ASSERT_EQ(dev->mtu, 1300); /* raised only by the user */
	bk_teardown(dev);
}

TEST_TIMEOUT(afp_carrier_follows_kernel_link, 60)
{
	struct net_device *dev;

	setup();
	dev = afp_new();
	ASSERT_TRUE(KP_WAIT(netif_carrier_ok(dev), 2000));
	ASSERT_EQ(kp_sh("ip link set %s down", ka), 0); /* the peer: kb loses carrier */
	ASSERT_TRUE(KP_WAIT(!netif_carrier_ok(dev), 2000));
	linkwatch_run_queue();
	ASSERT_EQ(READ_ONCE(dev->operstate), IF_OPER_DOWN);
	ASSERT_EQ(kp_sh("ip link set %s up", ka), 0);
	ASSERT_TRUE(KP_WAIT(netif_carrier_ok(dev), 2000));
	linkwatch_run_queue();
	ASSERT_EQ(READ_ONCE(dev->operstate), IF_OPER_UP);
	bk_teardown(dev);
}

TEST_TIMEOUT(afp_kernel_interface_vanishes, 60)
{
	struct net_device *dev;
	int fd;

	setup();
	dev = afp_new();
	fd = kp_pkt_open(ka);
	bk_send_n(fd, dev->dev_addr, 5, 60);
	ASSERT_TRUE(KP_WAIT(bk_stats(dev).rx_packets == 5, 2000));
	close(fd);
	ASSERT_EQ(kp_sh("ip link del %s", kb), 0);
	ASSERT_TRUE(KP_WAIT(!netif_carrier_ok(dev), 2000));
	ASSERT_TRUE(KP_WAIT(bk_stats(dev).kernel_gone == 1, 2000));
	linkwatch_run_queue();
	ASSERT_EQ(READ_ONCE(dev->operstate), IF_OPER_DOWN);
	xmit_n(dev, dev->dev_addr, 1, false); /* carrier off: dropped, nothing crashes */
	rtnl_lock();
	dev_close(dev);
	ASSERT_EQ(dev_open(dev, NULL), -ENODEV);
	rtnl_unlock();
	bk_teardown(dev);
}

/* A frame longer than a TPACKET_V3 block is truncated by the kernel: dropped, counted. */
TEST_TIMEOUT(afp_frame_larger_than_ring_slot, 60)
{
	struct unetdev_af_packet_config cfg = {.block_size = 4096, .block_nr = 4};
	struct net_device *dev;
	int fd;

	setup();
	ASSERT_EQ(kp_sh("ip link set %s mtu 9000 && ip link set %s mtu 9000", ka, kb), 0);
	dev = afp_new_cfg(&cfg);
	ASSERT_EQ(dev->max_mtu, 9000);
	fd = kp_pkt_open(ka);
	ASSERT_EQ(kp_pkt_send(fd, dev->dev_addr, src, 6000, -1), 0);
	ASSERT_EQ(kp_pkt_send(fd, dev->dev_addr, src, 1000, -1), 0);
	ASSERT_TRUE(
	    KP_WAIT(bk_stats(dev).rx_truncated == 1 && bk_stats(dev).rx_packets == 1, 2000));
	close(fd);
	bk_teardown(dev);
}

TEST_TIMEOUT(afp_fanout_queues, 60)
{
	struct unetdev_af_packet_config cfg = {.queues = 2};
	struct net_device *dev;
	int fd;

	setup();
	dev = afp_new_cfg(&cfg);
	ASSERT_EQ(dev->real_num_rx_queues, 2);
	fd = kp_pkt_open(ka);
	for (int i = 0; i < 32; i++) {
		u8 s[6] = {0x02, 0, 0, 0, (u8)i, 0x10};

		ASSERT_EQ(kp_pkt_send(fd, dev->dev_addr, s, 60, -1), 0);
	}
	ASSERT_TRUE(KP_WAIT(bk_stats(dev).rx_packets == 32, 2000));
	close(fd);
	bk_teardown(dev);
}

/*
 * TX flow control: a slow kernel qdisc (tbf) keeps the socket's buffer
 * full, sendmmsg meets EAGAIN, the queue stops; EPOLLOUT finishes the
 * batch and wakes it. Every frame arrives, in spite of the stalls.
 */
TEST_TIMEOUT(afp_tx_flow_control_stops_and_wakes, 60)
{
	struct unetdev_af_packet_config cfg = {.sndbuf = 4096};
	struct net_device *dev;
	long long before;
	u8 amac[6];

	setup();
	ASSERT_EQ(kp_sh("tc qdisc add dev %s root tbf rate 20mbit burst 4kb limit 4mb", kb), 0);
	dev = afp_new_cfg(&cfg);
	ASSERT_EQ(kp_mac(ka, amac), 0);
	before = kp_sysfs(ka, "statistics/rx_packets");
	for (int i = 0; i < 200; i++)
		dev_queue_xmit(bk_frame(dev, amac, 1000));
	ASSERT_TRUE(KP_WAIT(kp_sysfs(ka, "statistics/rx_packets") - before == 200, 5000));
	ASSERT_GT(bk_stats(dev).tx_busy, 0);
	ASSERT_GT(bk_stats(dev).tx_wakes, 0);
	ASSERT_EQ(bk_stats(dev).tx_packets, 200);
	ASSERT_EQ(bk_stats(dev).tx_errors, 0);
	bk_teardown(dev);
}

/*
 * Deferred doorbells (R-TX-13, include/unetdev/xmit_flush.h): the sendmmsg
 * or ring kick of a frame sent alone waits only for the end of its section.
 * A lone frame from this thread, and one sent back from the NAPI poll by an
 * rx_handler, both reach the kernel peer with no further traffic; batch and
 * TX ring alike.
 */
TEST_TIMEOUT(afp_lone_frames_reach_the_kernel_without_more_traffic, 60)
{
	u8 amac[6], bmac[6];
	int fd;

	setup();
	ASSERT_EQ(kp_mac(ka, amac), 0);
	ASSERT_EQ(kp_mac(kb, bmac), 0);
	fd = kp_pkt_open(ka);
	for (int ring = 0; ring < 2; ring++) {
		struct unetdev_af_packet_config cfg = {.qdisc_bypass = true, .tx_ring = ring};
		struct net_device *dev = afp_new_cfg(&cfg);
		long long before = kp_sysfs(ka, "statistics/rx_packets");

		/* Process context; until linkwatch activates the qdisc a frame is dropped (noop).
		 */
		ASSERT_TRUE(KP_WAIT(bk_xmit(dev, amac) == NET_XMIT_SUCCESS, 5000));
		ASSERT_TRUE(KP_WAIT(kp_sysfs(ka, "statistics/rx_packets") - before == 1, 5000));
		rtnl_lock();
		ASSERT_EQ(netdev_rx_handler_register(dev, bk_reflect, NULL), 0);
		rtnl_unlock();
		bk_send_n(fd, bmac, 1, 60); /* comes back from the poll */
		ASSERT_TRUE(KP_WAIT(kp_sysfs(ka, "statistics/rx_packets") - before == 2, 5000));
		ASSERT_EQ(bk_stats(dev).tx_packets, 2);
		ASSERT_EQ(bk_stats(dev).tx_errors, 0);
		unregister_netdev(dev);
	}
	close(fd);
	bk_teardown(NULL);
}
