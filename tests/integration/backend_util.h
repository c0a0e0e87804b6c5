/* SPDX-License-Identifier: MIT */
/*
 * backend_util.h - the fixture the backend tests (backend_*.c) share: a
 * private network namespace with IPv6 off, one engine CPU, kernel veth
 * pairs, opening a backend device, its counters, 0x88b5 frames in both
 * directions and a captured log. Not a test itself.
 *
 *   bk_setup()              private netns, IPv6 off, one engine CPU
 *   bk_setup_veth(a, b)     the same around a veth pair pa<pid> -- pb<pid>
 *   bk_veth_pair(a, b)      a kernel veth pair, both ends up
 *   bk_open(dev, carrier)   dev_open(); with @carrier, wait for carrier and linkwatch
 *   bk_teardown(dev)        unregister the device (may be NULL), stop the engine
 */
#ifndef UNETDEV_TEST_BACKEND_UTIL_H
#define UNETDEV_TEST_BACKEND_UTIL_H

#include <unetdev/backends.h>
#include <unetdev/checksum.h>
#include <unetdev/engine.h>
#include <unetdev/etherdevice.h>
#include <unetdev/skbuff_hdr.h>
#include <unetdev/unetdev.h>

#include "kpeer.h"

/*
 * Skip without the rights, move into a private network namespace with IPv6
 * off (the kernel then sends nothing of its own). bk_engine_start() is the
 * second half, once the kernel side exists.
 */
static inline void bk_netns(void)
{
	kp_require_netns();
	kp_sh("sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1");
}

/* One engine CPU: the backends' events and softirqs run there. */
static inline void bk_engine_start(void)
{
	struct unetdev_engine_config ec = {.sz = sizeof(ec), .ncpus = 1};

	ASSERT_EQ(unetdev_engine_start(&ec), 0);
}

static inline void bk_setup(void)
{
	bk_netns();
	bk_engine_start();
}

/* @buf (16 bytes) = @prefix followed by this process's id: unique per test. */
static inline void bk_ifname(char *buf, const char *prefix)
{
	snprintf(buf, 16, "%s%d", prefix, getpid() % 100000);
}

/* A kernel veth pair @a -- @b, both up. Returns the exit status of "ip link add" (0 = made). */
static inline int bk_veth_pair(const char *a, const char *b)
{
	int err = kp_sh("ip link add %s type veth peer name %s", a, b);

	if (err)
		return err;
	ASSERT_EQ(kp_sh("ip link set %s up && ip link set %s up", a, b), 0);
	return 0;
}

/* bk_setup() around a kernel veth pair @a = pa<pid> -- @b = pb<pid> (16 bytes each). */
static inline void bk_setup_veth(char *a, char *b)
{
	bk_netns();
	bk_ifname(a, "pa");
	bk_ifname(b, "pb");
	ASSERT_EQ(bk_veth_pair(a, b), 0);
	bk_engine_start();
}

/*
 * Open @dev under rtnl. With @carrier, transmit only once the carrier is on
 * and the qdisc active (not noop): wait for it and run linkwatch.
 */
static inline void bk_open(struct net_device *dev, bool carrier)
{
	rtnl_lock();
	ASSERT_EQ(dev_open(dev, NULL), 0);
	rtnl_unlock();
	if (carrier) {
		ASSERT_TRUE(KP_WAIT(netif_carrier_ok(dev), 2000));
		linkwatch_run_queue();
	}
}

static inline void bk_teardown(struct net_device *dev)
{
	if (dev)
		unregister_netdev(dev);
	unetdev_engine_stop();
}

/* The tap / af_packet driver's counters. */
static inline struct unetdev_backend_stats bk_stats(struct net_device *dev)
{
	struct unetdev_backend_stats st;

	ASSERT_EQ(unetdev_backend_stats(dev, &st), 0);
	return st;
}

/* The kernel peer sends @n frames of @len bytes to @dst on packet socket @fd. */
static inline void bk_send_n(int fd, const u8 *dst, unsigned int n, unsigned int len)
{
	static const u8 src[6] = {0x02, 0, 0, 0, 0, 0x10};

	for (unsigned int i = 0; i < n; i++)
		ASSERT_EQ(kp_pkt_send(fd, dst, src, len, -1), 0);
}

/* A zero-filled frame of @len bytes from @dev to @dst, ethertype 0x88b5. */
static inline struct sk_buff *bk_frame(struct net_device *dev, const u8 *dst, unsigned int len)
{
	struct sk_buff *skb = netdev_alloc_skb(dev, len);
	u8 *d;

	ASSERT_NOT_NULL(skb);
	d = skb_put(skb, len);
	memset(d, 0, len);
	memcpy(d, dst, 6);
	memcpy(d + 6, dev->dev_addr, 6);
	d[12] = 0x88, d[13] = 0xb5;
	skb->dev = dev;
	skb->protocol = htons(0x88b5);
	return skb;
}

/* Transmit one 64-byte frame to @dst; the dev_queue_xmit code. */
static inline int bk_xmit(struct net_device *dev, const u8 *dst)
{
	return dev_queue_xmit(bk_frame(dev, dst, 64));
}

/*
 * A TCPv4 GSO skb from @dev to @dst: @pay zero bytes of payload after a
 * 20-byte IP and TCP header (sequence number @seq), @segs segments of
 * @gso_size, checksum partial (the pseudo-header sum in th->check).
 */
static inline struct sk_buff *bk_tcp4_gso(struct net_device *dev, const u8 *dst, unsigned int pay,
					  unsigned short gso_size, unsigned short segs, u32 seq)
{
	unsigned int len = ETH_HLEN + 20 + 20 + pay;
	struct sk_buff *skb = bk_frame(dev, dst, len);
	struct iphdr *iph = (struct iphdr *)(skb->data + ETH_HLEN);
	struct tcphdr *th = (struct tcphdr *)(iph + 1);

	skb->data[12] = 0x08, skb->data[13] = 0x00;
	iph->version = 4, iph->ihl = 5, iph->ttl = 64, iph->protocol = 6;
	iph->tot_len = htons((u16)(len - ETH_HLEN));
	iph->saddr = htonl(0x0a090002), iph->daddr = htonl(0x0a090001);
	iph->check = ip_fast_csum(iph, 5);
	th->source = htons(1234), th->dest = htons(9), th->doff = 5, th->ack = 1;
	th->seq = htonl(seq);
	th->check = ~csum_tcpudp_magic(iph->saddr, iph->daddr, 20 + pay, 6, 0);
	skb_set_network_header(skb, ETH_HLEN);
	skb_set_transport_header(skb, ETH_HLEN + 20);
	skb->ip_summed = CHECKSUM_PARTIAL;
	skb->csum_start = (u16)(skb_headroom(skb) + ETH_HLEN + 20);
	skb->csum_offset = 16;
	skb_shinfo(skb)->gso_type = SKB_GSO_TCPV4;
	skb_shinfo(skb)->gso_size = gso_size;
	skb_shinfo(skb)->gso_segs = segs;
	skb->protocol = htons(ETH_P_IP);
	return skb;
}

/* rx_handler: each frame goes back out of the device it came in on, from the NAPI poll. */
static inline rx_handler_result_t bk_reflect(struct sk_buff **pskb)
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

/* The library's log lines, captured (bk_log_capture()) for ASSERT_CONTAINS. */
static inline char *bk_logbuf(void)
{
	static char buf[8192];

	return buf;
}

static inline void bk_log_line(int level, const char *line, void *ctx)
{
	char *buf = bk_logbuf();
	size_t n = strlen(buf);

	(void)level, (void)ctx;
	snprintf(buf + n, 8192 - n, "%s\n", line);
}

/* Start capturing from an empty buffer. */
static inline void bk_log_capture(void)
{
	bk_logbuf()[0] = 0;
	unetdev_log_set_fn(bk_log_line, NULL);
}

#endif /* UNETDEV_TEST_BACKEND_UTIL_H */
