// SPDX-License-Identifier: MIT
/* UNETDEV_TEST_THREADED: engine threads drive the backend, so the TSan build runs this too. */
/*
 * Integration: the af_packet driver's PACKET_TX_RING, PACKET_VNET_HDR and
 * PACKET_STATISTICS on a kernel veth pair, in a private network namespace.
 *
 *     test process (private netns)
 *   +-------------------------------------------------------------------+
 *   |  AF_PACKET socket on pa<pid> ==veth== pb<pid> <-- unetdev pkt dev |
 *   |  (the kernel peer: counts and checks)   (TX ring / vnet header)   |
 *   +-------------------------------------------------------------------+
 */
#define _GNU_SOURCE /* unshare, pipe2 */
#include <poll.h>

#include <unetdev/checksum.h>
#include <unetdev/skbuff_hdr.h>

#include "backend_util.h"

static char ka[16], kb[16];

static void setup(void)
{
	bk_setup_veth(ka, kb);
}

static struct net_device *afp_create(struct unetdev_af_packet_config *cfg, bool open)
{
	struct net_device *dev = NULL;

	cfg->sz = sizeof(*cfg);
	cfg->ifname = kb;
	ASSERT_EQ(unetdev_af_packet_create(NULL, NULL, cfg, &dev), 0);
	if (open)
		bk_open(dev, true);
	return dev;
}

/* A frame of @len bytes to @dst whose payload carries @seq. */
static void xmit_seq(struct net_device *dev, const u8 *dst, unsigned int len, u32 seq)
{
	struct sk_buff *skb = netdev_alloc_skb(dev, len);
	u8 *d = skb_put(skb, len);

	for (unsigned int i = 0; i < len; i++)
		d[i] = (u8)(seq + i);
	memcpy(d, dst, 6);
	memcpy(d + 6, dev->dev_addr, 6);
	d[12] = 0x88, d[13] = 0xb5;
	memcpy(d + 14, &seq, 4);
	skb->dev = dev;
	skb->protocol = htons(0x88b5);
	dev_queue_xmit(skb);
}

/* Read frames of ethertype 0x88b5 on the kernel peer; check seq and bytes. */
static unsigned int recv_seq(int fd, unsigned int len, u32 first, unsigned int n)
{
	u8 f[2048];
	unsigned int got = 0;

	while (got < n) {
		struct pollfd pfd = {.fd = fd, .events = POLLIN};
		ssize_t r;
		u32 seq;

		if (poll(&pfd, 1, 5000) != 1)
			break;
		r = recv(fd, f, sizeof(f), 0);
		if (r < 14 || f[12] != 0x88 || f[13] != 0xb5)
			continue;
		ASSERT_EQ(r, (ssize_t)len);
		memcpy(&seq, f + 14, 4);
		ASSERT_EQ(seq, first + got);
		for (unsigned int i = 18; i < len; i++)
			ASSERT_EQ(f[i], (u8)(seq + i));
		got++;
	}
	return got;
}

/* The TX ring wraps several times; every frame arrives once, in order, intact. */
TEST_TIMEOUT(afp_tx_ring_frames_arrive_intact, 60)
{
	struct unetdev_af_packet_config cfg = {.tx_ring = true, .tx_frame_nr = 16};
	struct net_device *dev;
	u8 amac[6];
	int fd;

	setup();
	dev = afp_create(&cfg, true);
	ASSERT_EQ(kp_mac(ka, amac), 0);
	fd = kp_pkt_open(ka);
	for (u32 round = 0; round < 8; round++) {
		for (u32 i = 0; i < 40; i++)
			xmit_seq(dev, amac, 300, round * 40 + i);
		ASSERT_EQ(recv_seq(fd, 300, round * 40, 40), 40);
	}
	ASSERT_TRUE(KP_WAIT(bk_stats(dev).tx_packets == 320, 2000));
	ASSERT_EQ(bk_stats(dev).tx_bytes, 320 * 300);
	ASSERT_EQ(bk_stats(dev).tx_errors, 0);
	close(fd);
	bk_teardown(dev);
}

/*
 * TX ring flow control: a slow kernel qdisc (tbf) holds the slots, the ring
 * fills, the queue stops; slots coming back (TP_STATUS_AVAILABLE) and
 * EPOLLOUT wake it. Every frame arrives in spite of the stalls.
 */
TEST_TIMEOUT(afp_tx_ring_full_stops_and_wakes, 60)
{
	struct unetdev_af_packet_config cfg = {.tx_ring = true, .tx_frame_nr = 8};
	struct net_device *dev;
	long long before;
	u8 amac[6];

	setup();
	ASSERT_EQ(kp_sh("tc qdisc add dev %s root tbf rate 20mbit burst 4kb limit 4mb", kb), 0);
	dev = afp_create(&cfg, true);
	ASSERT_EQ(kp_mac(ka, amac), 0);
	before = kp_sysfs(ka, "statistics/rx_packets");
	for (u32 i = 0; i < 200; i++)
		xmit_seq(dev, amac, 1000, i);
	ASSERT_TRUE(KP_WAIT(kp_sysfs(ka, "statistics/rx_packets") - before == 200, 10000));
	ASSERT_GT(bk_stats(dev).tx_busy, 0);
	ASSERT_GT(bk_stats(dev).tx_wakes, 0);
	ASSERT_EQ(bk_stats(dev).tx_packets, 200);
	ASSERT_EQ(bk_stats(dev).tx_errors, 0);
	bk_teardown(dev);
}

/* A frame larger than a TX slot is dropped with a message; smaller ones pass. */
TEST_TIMEOUT(afp_tx_frame_larger_than_ring_slot, 60)
{
	struct unetdev_af_packet_config cfg = {.tx_ring = true, .tx_frame_size = 512};
	struct rtnl_link_stats64 s;
	struct net_device *dev;
	u8 amac[6];
	int fd;

	setup();
	bk_log_capture();
	dev = afp_create(&cfg, true);
	ASSERT_EQ(kp_mac(ka, amac), 0);
	fd = kp_pkt_open(ka);
	xmit_seq(dev, amac, 1000, 0);
	xmit_seq(dev, amac, 400, 1);
	ASSERT_EQ(recv_seq(fd, 400, 1, 1), 1);
	ASSERT_EQ(bk_stats(dev).tx_errors, 1);
	ASSERT_EQ(bk_stats(dev).tx_packets, 1);
	dev_get_stats(dev, &s);
	ASSERT_EQ(s.tx_errors, 1);
	ASSERT_CONTAINS(bk_logbuf(), "larger than the TX ring slot");
	unetdev_log_set_fn(NULL, NULL);
	close(fd);
	bk_teardown(dev);
}

/* A TX slot too small for its own header: the kernel refuses the ring; nothing is left. */
TEST_TIMEOUT(afp_tx_ring_refused_is_einval, 60)
{
	struct unetdev_af_packet_config cfg = {
	    .sz = sizeof(cfg), .tx_ring = true, .tx_frame_size = 32};
	struct net_device *dev = NULL;

	setup();
	bk_log_capture();
	cfg.ifname = kb;
	ASSERT_EQ(unetdev_af_packet_create(NULL, NULL, &cfg, &dev), -EINVAL);
	ASSERT_CONTAINS(bk_logbuf(), "PACKET_TX_RING");
	ASSERT_NULL(dev);
	unetdev_log_set_fn(NULL, NULL);
	bk_teardown(NULL);
}

/* The default TX slot follows a jumbo kernel MTU: a 9000-byte frame fits. */
TEST_TIMEOUT(afp_tx_ring_default_slot_fits_kernel_mtu, 60)
{
	struct unetdev_af_packet_config cfg = {.tx_ring = true};
	struct net_device *dev;
	u8 amac[6];
	int fd;

	setup();
	ASSERT_EQ(kp_sh("ip link set %s mtu 9000 && ip link set %s mtu 9000", ka, kb), 0);
	dev = afp_create(&cfg, true);
	ASSERT_EQ(kp_mac(ka, amac), 0);
	fd = kp_pkt_open(ka);
	xmit_seq(dev, amac, 9014, 7);
	ASSERT_TRUE(KP_WAIT(bk_stats(dev).tx_packets == 1, 2000));
	ASSERT_EQ(bk_stats(dev).tx_errors, 0);
	close(fd);
	bk_teardown(dev);
}

/*
 * The kernel MTU drops underneath while frames flow: max_mtu and mtu follow,
 * frames within the new MTU still pass both ways, larger ones are dropped
 * and counted (TX ring: tx_errors; RX, once the kernel MTU is raised again
 * but this device's is not: rx_too_big and rx_length_errors).
 */
TEST_TIMEOUT(afp_kernel_mtu_changes_while_in_use, 60)
{
	struct unetdev_af_packet_config cfg = {.tx_ring = true};
	struct rtnl_link_stats64 s;
	struct net_device *dev;
	u8 amac[6];
	int fd;

	setup();
	dev = afp_create(&cfg, true);
	ASSERT_EQ(kp_mac(ka, amac), 0);
	fd = kp_pkt_open(ka);
	xmit_seq(dev, amac, 1400, 0);
	ASSERT_EQ(recv_seq(fd, 1400, 0, 1), 1);
	ASSERT_EQ(kp_sh("ip link set %s mtu 1000 && ip link set %s mtu 1000", ka, kb), 0);
	ASSERT_TRUE(KP_WAIT(READ_ONCE(dev->max_mtu) == 1000 && READ_ONCE(dev->mtu) == 1000, 2000));
	xmit_seq(dev, amac, 1400, 1); /* over the kernel MTU: refused */
	xmit_seq(dev, amac, 1014, 2);
	ASSERT_EQ(recv_seq(fd, 1014, 2, 1), 1);
	ASSERT_EQ(bk_stats(dev).tx_errors, 1);
	ASSERT_EQ(kp_pkt_send(fd, dev->dev_addr, amac, 1014, -1), 0);
	ASSERT_TRUE(KP_WAIT(bk_stats(dev).rx_packets == 1, 2000));
	/* The kernel MTU back up: max_mtu follows, mtu stays until the user raises it. */
	ASSERT_EQ(kp_sh("ip link set %s mtu 1500 && ip link set %s mtu 1500", ka, kb), 0);
	ASSERT_TRUE(KP_WAIT(READ_ONCE(dev->max_mtu) == 1500, 2000));
	ASSERT_EQ(dev->mtu, 1000);
	ASSERT_EQ(kp_pkt_send(fd, dev->dev_addr, amac, 1400, -1), 0);
	ASSERT_TRUE(KP_WAIT(bk_stats(dev).rx_too_big == 1, 2000));
	dev_get_stats(dev, &s);
	ASSERT_EQ(s.rx_length_errors, 1);
	close(fd);
	bk_teardown(dev);
}

/*
 * PACKET_STATISTICS: frames the kernel could not put into a full RX ring
 * (the device is down, nothing drains it) show as rx_missed_errors, not
 * rx_dropped; once up, the ring's frames are received.
 */
TEST_TIMEOUT(afp_ring_drops_are_rx_missed_errors, 60)
{
	struct unetdev_af_packet_config cfg = {.block_size = 4096, .block_nr = 2};
	struct rtnl_link_stats64 s;
	struct net_device *dev;
	u64 drops;
	int fd;

	setup();
	dev = afp_create(&cfg, false);
	fd = kp_pkt_open(ka);
	for (int i = 0; i < 40; i++)
		ASSERT_EQ(kp_pkt_send(fd, dev->dev_addr, dev->dev_addr, 1000, -1), 0);
	/* At most 3 frames of 1000 bytes fit a 4 KiB block: at least 34 are lost. */
	ASSERT_TRUE(KP_WAIT(bk_stats(dev).rx_ring_drops >= 34, 2000));
	drops = bk_stats(dev).rx_ring_drops;
	ASSERT_LE(drops, 40);
	ASSERT_GT(bk_stats(dev).rx_ring_freezes, 0);
	dev_get_stats(dev, &s);
	ASSERT_EQ(s.rx_missed_errors, drops);
	ASSERT_EQ(s.rx_dropped, 0);
	rtnl_lock();
	ASSERT_EQ(dev_open(dev, NULL), 0);
	rtnl_unlock();
	ASSERT_TRUE(KP_WAIT(bk_stats(dev).rx_packets == 40 - drops, 2000));
	close(fd);
	bk_teardown(dev);
}

/* A TCPv4 GSO skb (4 x 700 bytes, checksum partial) for @dst; payload byte i is i * 7. */
static struct sk_buff *tcp_gso_skb(struct net_device *dev, const u8 *dst)
{
	enum { PAY = 2800, HDRS = ETH_HLEN + 20 + 20 };
	struct sk_buff *skb = bk_tcp4_gso(dev, dst, PAY, 700, 4, 1000);

	for (unsigned int i = HDRS; i < HDRS + PAY; i++)
		skb->data[i] = (u8)(i * 7);
	return skb;
}

/* Segments on the kernel peer: 4 TCP segments, checksums right, payload in sequence. */
static void check_segments(int fd)
{
	unsigned int off = 0, n = 0;
	u8 f[2048];

	while (n < 4) {
		struct pollfd pfd = {.fd = fd, .events = POLLIN};
		const struct iphdr *iph = (const struct iphdr *)(f + ETH_HLEN);
		const struct tcphdr *th = (const struct tcphdr *)(f + ETH_HLEN + 20);
		unsigned int tl;
		ssize_t r;

		ASSERT_EQ(poll(&pfd, 1, 5000), 1);
		r = recv(fd, f, sizeof(f), 0);
		if (r < ETH_HLEN + 40 || f[12] != 0x08 || iph->protocol != 6)
			continue;
		ASSERT_EQ(r, ETH_HLEN + 40 + 700);
		tl = ntohs(iph->tot_len) - 20;
		ASSERT_EQ(ip_fast_csum(iph, 5), 0);
		ASSERT_EQ(
		    csum_tcpudp_magic(iph->saddr, iph->daddr, tl, 6, csum_partial(th, (int)tl, 0)),
		    0);
		ASSERT_EQ(ntohl(th->seq), 1000 + off);
		for (unsigned int i = 0; i < 700; i++)
			ASSERT_EQ(f[ETH_HLEN + 40 + i], (u8)((ETH_HLEN + 40 + off + i) * 7));
		off += 700;
		n++;
	}
}

/*
 * PACKET_VNET_HDR on TX (sendmmsg and TX ring): the GSO skb leaves whole with
 * a virtio_net_hdr and the kernel segments it; the peer interface has no
 * offloads, so the segments it receives carry finished checksums.
 */
static void vnet_tx_gso(bool ring)
{
	struct unetdev_af_packet_config cfg = {.vnet_hdr = true, .tx_ring = ring};
	struct net_device *dev;
	u8 amac[6];
	int fd;

	setup();
	ASSERT_EQ(kp_sh("ethtool -K %s tso off gso off tx off", kb), 0);
	dev = afp_create(&cfg, true);
	ASSERT_TRUE(dev->features & NETIF_F_TSO);
	ASSERT_TRUE(dev->features & NETIF_F_TSO6);
	ASSERT_TRUE(dev->features & NETIF_F_HW_CSUM);
	ASSERT_TRUE(dev->features & NETIF_F_SG);
	ASSERT_EQ(kp_mac(ka, amac), 0);
	fd = kp_pkt_open(ka);
	ASSERT_EQ(dev_queue_xmit(tcp_gso_skb(dev, amac)), NET_XMIT_SUCCESS);
	check_segments(fd);
	ASSERT_EQ(bk_stats(dev).tx_gso, 1);
	ASSERT_EQ(bk_stats(dev).tx_packets, 1);
	ASSERT_EQ(bk_stats(dev).tx_errors, 0);
	close(fd);
	bk_teardown(dev);
}

TEST_TIMEOUT(afp_vnet_hdr_tx_gso_whole_sendmmsg, 60)
{
	if (kp_sh("command -v ethtool"))
		harness_skip("ethtool is not installed");
	vnet_tx_gso(false);
}

TEST_TIMEOUT(afp_vnet_hdr_tx_gso_whole_tx_ring, 60)
{
	if (kp_sh("command -v ethtool"))
		harness_skip("ethtool is not installed");
	vnet_tx_gso(true);
}

/* Without a virtio_net_hdr the device offloads nothing: the core segments. */
TEST_TIMEOUT(afp_without_vnet_hdr_no_offloads, 60)
{
	struct unetdev_af_packet_config cfg = {0};
	struct net_device *dev;

	setup();
	dev = afp_create(&cfg, false);
	ASSERT_FALSE(dev->features & (NETIF_F_TSO | NETIF_F_TSO6 | NETIF_F_HW_CSUM));
	bk_teardown(dev);
}
