// SPDX-License-Identifier: MIT
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
#include <unetdev/backends.h>
#include <unetdev/engine.h>
#include <unetdev/etherdevice.h>
#include <unetdev/unetdev.h>

#include "kpeer.h"

static char ka[16], kb[16];

static void setup(void)
{
	struct unetdev_engine_config ec = {.sz = sizeof(ec), .ncpus = 1};

	kp_require_netns();
	kp_sh("sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1");
	snprintf(ka, sizeof(ka), "pa%d", getpid() % 100000);
	snprintf(kb, sizeof(kb), "pb%d", getpid() % 100000);
	ASSERT_EQ(kp_sh("ip link add %s type veth peer name %s", ka, kb), 0);
	ASSERT_EQ(kp_sh("ip link set %s up && ip link set %s up", ka, kb), 0);
	ASSERT_EQ(unetdev_engine_start(&ec), 0);
}

static void teardown(struct net_device *dev)
{
	if (dev)
		unregister_netdev(dev);
	unetdev_engine_stop();
}

static struct net_device *afp_new_cfg(struct unetdev_af_packet_config *cfg)
{
	struct net_device *dev = NULL;

	cfg->sz = sizeof(*cfg);
	cfg->ifname = kb;
	ASSERT_EQ(unetdev_af_packet_create(NULL, NULL, cfg, &dev), 0);
	rtnl_lock();
	ASSERT_EQ(dev_open(dev, NULL), 0);
	rtnl_unlock();
	return dev;
}

static struct net_device *afp_new(void)
{
	struct unetdev_af_packet_config cfg = {.qdisc_bypass = true};

	return afp_new_cfg(&cfg);
}

static struct unetdev_backend_stats bst(struct net_device *dev)
{
	struct unetdev_backend_stats st;

	ASSERT_EQ(unetdev_backend_stats(dev, &st), 0);
	return st;
}

static const u8 src[6] = {0x02, 0, 0, 0, 0, 0x10};

static void send_n(int fd, const u8 *dst, unsigned int n, unsigned int len)
{
	for (unsigned int i = 0; i < n; i++)
		ASSERT_EQ(kp_pkt_send(fd, dst, src, len, -1), 0);
}

static void xmit_n(struct net_device *dev, const u8 *dst, unsigned int n, bool must_pass)
{
	for (unsigned int i = 0; i < n; i++) {
		struct sk_buff *skb = netdev_alloc_skb(dev, 64);
		u8 *d = skb_put(skb, 64);

		memset(d, 0, 64);
		memcpy(d, dst, 6);
		memcpy(d + 6, dev->dev_addr, 6);
		d[12] = 0x88, d[13] = 0xb5;
		skb->dev = dev;
		skb->protocol = htons(0x88b5);
		if (must_pass)
			ASSERT_EQ(dev_queue_xmit(skb), NET_XMIT_SUCCESS);
		else
			dev_queue_xmit(skb);
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
	send_n(fd, bmac, 10, 60);
	ASSERT_TRUE(KP_WAIT(bst(dev).rx_packets == 10, 2000));
	ASSERT_EQ(kp_mac(ka, amac), 0);
	before = kp_sysfs(ka, "statistics/rx_packets");
	xmit_n(dev, amac, 10, true);
	ASSERT_TRUE(KP_WAIT(kp_sysfs(ka, "statistics/rx_packets") - before == 10, 2000));
	ASSERT_EQ(bst(dev).tx_packets, 10);
	usleep(20000);
	ASSERT_EQ(bst(dev).rx_packets, 10); /* our own transmissions do not come back */
	close(fd);
	teardown(dev);
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
	send_n(fd, mcast, 2, 60);
	ASSERT_TRUE(KP_WAIT(bst(dev).rx_filtered == 2, 2000));
	ASSERT_NE(kp_sh("ip maddr show dev %s | grep -q 01:00:5e:01:02:03", kb), 0);
	ASSERT_EQ(dev_mc_add(dev, mcast), 0);
	ASSERT_EQ(kp_sh("ip maddr show dev %s | grep -q 01:00:5e:01:02:03", kb), 0);
	send_n(fd, mcast, 2, 60);
	ASSERT_TRUE(KP_WAIT(bst(dev).rx_packets == 2, 2000));
	ASSERT_EQ(dev_mc_del(dev, mcast), 0);
	ASSERT_NE(kp_sh("ip maddr show dev %s | grep -q 01:00:5e:01:02:03", kb), 0);
	/* Promiscuous: every frame, and the kernel interface is promiscuous too. */
	send_n(fd, other, 3, 60);
	ASSERT_TRUE(KP_WAIT(bst(dev).rx_filtered == 5, 2000));
	rtnl_lock();
	ASSERT_EQ(dev_set_promiscuity(dev, 1), 0);
	rtnl_unlock();
	/* A socket's promiscuity shows in the count, not in the user-set PROMISC flag. */
	ASSERT_EQ(kp_sh("ip -d link show %s | grep -q 'promiscuity 1'", kb), 0);
	send_n(fd, other, 3, 60);
	ASSERT_TRUE(KP_WAIT(bst(dev).rx_packets == 5, 2000));
	rtnl_lock();
	ASSERT_EQ(dev_set_promiscuity(dev, -1), 0);
	rtnl_unlock();
	ASSERT_EQ(kp_sh("ip -d link show %s | grep -q 'promiscuity 0'", kb), 0);
	close(fd);
	teardown(dev);
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
	ASSERT_TRUE(KP_WAIT(bst(dev).rx_packets == 2, 2000));
	ASSERT_EQ(bst(dev).rx_vlan, 1);
	ASSERT_EQ(kp_pkt_send(fd, dev->dev_addr, src, 1419, 7), 0);
	ASSERT_EQ(kp_pkt_send(fd, dev->dev_addr, src, 1419, -1), 0);
	ASSERT_TRUE(KP_WAIT(bst(dev).rx_too_big == 2, 2000));
	dev_get_stats(dev, &s);
	ASSERT_EQ(s.rx_length_errors, 2);
	ASSERT_EQ(bst(dev).rx_packets, 2);
	close(fd);
	teardown(dev);
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
	teardown(dev);
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
	teardown(dev);
}

TEST_TIMEOUT(afp_kernel_interface_vanishes, 60)
{
	struct net_device *dev;
	int fd;

	setup();
	dev = afp_new();
	fd = kp_pkt_open(ka);
	send_n(fd, dev->dev_addr, 5, 60);
	ASSERT_TRUE(KP_WAIT(bst(dev).rx_packets == 5, 2000));
	close(fd);
	ASSERT_EQ(kp_sh("ip link del %s", kb), 0);
	ASSERT_TRUE(KP_WAIT(!netif_carrier_ok(dev), 2000));
	ASSERT_TRUE(KP_WAIT(bst(dev).kernel_gone == 1, 2000));
	linkwatch_run_queue();
	ASSERT_EQ(READ_ONCE(dev->operstate), IF_OPER_DOWN);
	xmit_n(dev, dev->dev_addr, 1, false); /* carrier off: dropped, nothing crashes */
	rtnl_lock();
	dev_close(dev);
	ASSERT_EQ(dev_open(dev, NULL), -ENODEV);
	rtnl_unlock();
	teardown(dev);
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
	ASSERT_TRUE(KP_WAIT(bst(dev).rx_truncated == 1 && bst(dev).rx_packets == 1, 2000));
	close(fd);
	teardown(dev);
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
	ASSERT_TRUE(KP_WAIT(bst(dev).rx_packets == 32, 2000));
	close(fd);
	teardown(dev);
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
	for (int i = 0; i < 200; i++) {
		struct sk_buff *skb = netdev_alloc_skb(dev, 1000);
		u8 *d = skb_put(skb, 1000);

		memset(d, 0, 1000);
		memcpy(d, amac, 6);
		memcpy(d + 6, dev->dev_addr, 6);
		d[12] = 0x88, d[13] = 0xb5;
		skb->dev = dev;
		skb->protocol = htons(0x88b5);
		dev_queue_xmit(skb);
	}
	ASSERT_TRUE(KP_WAIT(kp_sysfs(ka, "statistics/rx_packets") - before == 200, 5000));
	ASSERT_GT(bst(dev).tx_busy, 0);
	ASSERT_GT(bst(dev).tx_wakes, 0);
	ASSERT_EQ(bst(dev).tx_packets, 200);
	ASSERT_EQ(bst(dev).tx_errors, 0);
	teardown(dev);
}

/* One frame; the dev_queue_xmit code. */
static int xmit_try(struct net_device *dev, const u8 *dst)
{
	struct sk_buff *skb = netdev_alloc_skb(dev, 64);
	u8 *d = skb_put(skb, 64);

	memset(d, 0, 64);
	memcpy(d, dst, 6);
	memcpy(d + 6, dev->dev_addr, 6);
	d[12] = 0x88, d[13] = 0xb5;
	skb->dev = dev;
	skb->protocol = htons(0x88b5);
	return dev_queue_xmit(skb);
}

/* rx_handler: each frame goes back out of the device it came in on, from the NAPI poll. */
static rx_handler_result_t reflect(struct sk_buff **pskb)
{
	struct sk_buff *skb = *pskb;
	u8 *d, tmp[6];

	skb_push(skb, ETH_HLEN);
	d = skb->data;
	memcpy(tmp, d, 6);
	memcpy(d, d + 6, 6);
	memcpy(d + 6, tmp, 6);
	dev_queue_xmit(skb);
	return RX_HANDLER_CONSUMED;
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
		ASSERT_TRUE(KP_WAIT(xmit_try(dev, amac) == NET_XMIT_SUCCESS, 5000));
		ASSERT_TRUE(KP_WAIT(kp_sysfs(ka, "statistics/rx_packets") - before == 1, 5000));
		rtnl_lock();
		ASSERT_EQ(netdev_rx_handler_register(dev, reflect, NULL), 0);
		rtnl_unlock();
		send_n(fd, bmac, 1, 60); /* comes back from the poll */
		ASSERT_TRUE(KP_WAIT(kp_sysfs(ka, "statistics/rx_packets") - before == 2, 5000));
		ASSERT_EQ(bst(dev).tx_packets, 2);
		ASSERT_EQ(bst(dev).tx_errors, 0);
		unregister_netdev(dev);
	}
	close(fd);
	teardown(NULL);
}
