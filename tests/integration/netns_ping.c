// SPDX-License-Identifier: MIT
/*
 * Integration: ping between two network namespaces whose only path runs
 * through unetdev: kernel veth -> af_packet -> an rx_handler that forwards
 * -> tap -> kernel, both directions, IPv4 and IPv6.
 *
 *   netns uA-<pid>           test process (private netns)            netns uB-<pid>
 *  +---------------+       +----------------------------------+     +---------------+
 *  | vA<pid>       |       | vB<pid>   (kernel veth end)      |     | ut<pid>       |
 *  | 10.0.0.1/24   |=veth==|   |  AF_PACKET ring / send()     |     | 10.0.0.2/24   |
 *  | fd00::1/64    |       | pkt0 <--- rx_handler fwd ---> tap0 |=fd=>| fd00::2/64    |
 *  +---------------+       |           (TAP opened inside uB) |     +---------------+
 *                          +----------------------------------+
 *
 * The namespaces are named (ip netns) and private to this test's mount
 * namespace; a reaper process deletes them even if the test dies.
 */
#define _GNU_SOURCE /* unshare, setns, pipe2 */
#include <sched.h>

#include <unetdev/backends.h>
#include <unetdev/engine.h>
#include <unetdev/etherdevice.h>
#include <unetdev/unetdev.h>

#include "kpeer.h"

static char nsa[32], nsb[32], va[16], vb[16], ut[16];

/* Hand every frame to the other port unchanged (a two-port bridge). Context: NAPI. */
static rx_handler_result_t fwd(struct sk_buff **pskb)
{
	struct sk_buff *skb = *pskb;
	struct net_device *to = skb->dev->rx_handler_data;

	skb_push(skb, ETH_HLEN);
	skb->dev = to;
	dev_queue_xmit(skb);
	return RX_HANDLER_CONSUMED;
}

/* Create the kernel TAP and its unetdev device from inside netns @ns. */
static struct net_device *tap_in_netns(const char *ns)
{
	struct unetdev_tap_config cfg = {.sz = sizeof(cfg), .ifname = ut};
	struct net_device *dev = NULL;
	char path[64];
	int self, target, err;

	snprintf(path, sizeof(path), "/run/netns/%s", ns);
	self = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
	target = open(path, O_RDONLY | O_CLOEXEC);
	ASSERT_TRUE(self >= 0 && target >= 0);
	ASSERT_EQ(setns(target, CLONE_NEWNET), 0);
	err = unetdev_tap_create(NULL, "tap0", &cfg, &dev);
	ASSERT_EQ(setns(self, CLONE_NEWNET), 0);
	close(self);
	close(target);
	ASSERT_EQ(err, 0);
	return dev;
}

static void build_topology(void)
{
	int p = getpid() % 100000;
	char reap[256];

	snprintf(nsa, sizeof(nsa), "uA-%d", p);
	snprintf(nsb, sizeof(nsb), "uB-%d", p);
	snprintf(va, sizeof(va), "vA%d", p);
	snprintf(vb, sizeof(vb), "vB%d", p);
	snprintf(ut, sizeof(ut), "ut%d", p);
	snprintf(reap, sizeof(reap), "ip netns del %s; ip netns del %s", nsa, nsb);
	kp_reaper(reap);
	ASSERT_EQ(kp_sh("ip netns add %s && ip netns add %s", nsa, nsb), 0);
	ASSERT_EQ(kp_sh("ip link add %s type veth peer name %s netns %s", vb, va, nsa), 0);
	kp_sh("sysctl -qw net.ipv6.conf.%s.disable_ipv6=1", vb);
	ASSERT_EQ(kp_sh("ip link set %s up", vb), 0);
	ASSERT_EQ(kp_sh("ip -n %s link set lo up && ip -n %s link set %s up && "
			"ip -n %s addr add 10.0.0.1/24 dev %s && "
			"ip -n %s addr add fd00::1/64 dev %s nodad",
			nsa, nsa, va, nsa, va, nsa, va),
		  0);
}

static void addr_tap_side(void)
{
	ASSERT_EQ(kp_sh("ip -n %s link set lo up && ip -n %s link set %s up && "
			"ip -n %s addr add 10.0.0.2/24 dev %s && "
			"ip -n %s addr add fd00::2/64 dev %s nodad",
			nsb, nsb, ut, nsb, ut, nsb, ut),
		  0);
}

static void port_up(struct net_device *dev, struct net_device *peer)
{
	rtnl_lock();
	ASSERT_EQ(netdev_rx_handler_register(dev, fwd, peer), 0);
	ASSERT_EQ(dev_set_promiscuity(dev, 1), 0);
	ASSERT_EQ(dev_open(dev, NULL), 0);
	rtnl_unlock();
}

static int ping(const char *ns, const char *fam, const char *addr)
{
	return kp_sh("ip netns exec %s ping %s -c 3 -i 0.2 -W 2 %s", ns, fam, addr);
}

TEST_TIMEOUT(ping_both_ways_through_af_packet_and_tap, 120)
{
	struct unetdev_engine_config ec = {.sz = sizeof(ec), .ncpus = 2};
	struct unetdev_af_packet_config pc = {.sz = sizeof(pc)};
	struct net_device *pkt = NULL, *tap;
	struct unetdev_backend_stats st;
	int r4a, r4b, r6a, r6b;

	kp_require_netns();
	if (kp_sh("command -v ping"))
		harness_skip("ping (iputils-ping) is not installed");
	build_topology();
	tap = tap_in_netns(nsb);
	addr_tap_side();
	pc.ifname = vb;
	ASSERT_EQ(unetdev_af_packet_create(NULL, "pkt0", &pc, &pkt), 0);
	ASSERT_EQ(unetdev_engine_start(&ec), 0);
	port_up(pkt, tap);
	port_up(tap, pkt);

	r4a = ping(nsa, "-4", "10.0.0.2");
	r4b = ping(nsb, "-4", "10.0.0.1");
	r6a = ping(nsa, "-6", "fd00::2");
	r6b = ping(nsb, "-6", "fd00::1");

	ASSERT_EQ(unetdev_backend_stats(tap, &st), 0);
	fprintf(stderr, "# tap rx %llu tx %llu\n", (unsigned long long)st.rx_packets,
		(unsigned long long)st.tx_packets);
	rtnl_lock();
	netdev_rx_handler_unregister(pkt);
	netdev_rx_handler_unregister(tap);
	rtnl_unlock();
	unregister_netdev(tap);
	unregister_netdev(pkt);
	unetdev_engine_stop();
	kp_sh("ip netns del %s; ip netns del %s", nsa, nsb);
	ASSERT_EQ(r4a, 0);
	ASSERT_EQ(r4b, 0);
	ASSERT_EQ(r6a, 0);
	ASSERT_EQ(r6b, 0);
}
