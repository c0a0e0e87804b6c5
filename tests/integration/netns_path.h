/* SPDX-License-Identifier: MIT */
/*
 * netns_path.h - two network namespaces whose only path runs through
 * unetdev: kernel veth -> af_packet -> an rx_handler that forwards -> tap
 * -> kernel. Shared by netns_ping.c and netns_iperf3.c (not a test itself).
 *
 *   netns uA-<pid>           test process (private netns)            netns uB-<pid>
 *  +---------------+       +----------------------------------+     +---------------+
 *  | vA<pid>       |       | vB<pid>   (kernel veth end)      |     | ut<pid>       |
 *  | 10.0.0.1/24   |=veth==|   |  AF_PACKET ring / send()     |     | 10.0.0.2/24   |
 *  | fd00::1/64    |       | pkt0 <--- rx_handler fwd ---> tap0 |=fd=>| fd00::2/64    |
 *  +---------------+       |           (TAP opened inside uB) |     +---------------+
 *                          +----------------------------------+
 *
 * The namespaces are named (ip netns) and private to the test's mount
 * namespace; a reaper process deletes them even if the test dies.
 */
#ifndef UNETDEV_TEST_NETNS_PATH_H
#define UNETDEV_TEST_NETNS_PATH_H

#include <sched.h>

#include <unetdev/backends.h>
#include <unetdev/engine.h>
#include <unetdev/etherdevice.h>
#include <unetdev/unetdev.h>

#include "kpeer.h"

struct np_path {
	char nsa[32], nsb[32], va[16], vb[16], ut[16];
	struct net_device *pkt, *tap;
};

/* Hand every frame to the other port unchanged (a two-port bridge). Context: NAPI. */
static rx_handler_result_t np_fwd(struct sk_buff **pskb)
{
	struct sk_buff *skb = *pskb;
	struct net_device *to = skb->dev->rx_handler_data;

	skb_push(skb, ETH_HLEN);
	skb->dev = to;
	dev_queue_xmit(skb);
	return RX_HANDLER_CONSUMED;
}

/* Create the kernel TAP and its unetdev device from inside netns @p->nsb. */
static inline struct net_device *np_tap_in_netns(struct np_path *p, bool vnet_hdr)
{
	struct unetdev_tap_config cfg = {.sz = sizeof(cfg), .ifname = p->ut, .vnet_hdr = vnet_hdr};
	struct net_device *dev = NULL;
	char path[64];
	int self, target, err;

	snprintf(path, sizeof(path), "/run/netns/%s", p->nsb);
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

static inline void np_kernel_side(struct np_path *p)
{
	int pid = getpid() % 100000;
	char reap[256];

	snprintf(p->nsa, sizeof(p->nsa), "uA-%d", pid);
	snprintf(p->nsb, sizeof(p->nsb), "uB-%d", pid);
	snprintf(p->va, sizeof(p->va), "vA%d", pid);
	snprintf(p->vb, sizeof(p->vb), "vB%d", pid);
	snprintf(p->ut, sizeof(p->ut), "ut%d", pid);
	snprintf(reap, sizeof(reap), "ip netns del %s; ip netns del %s", p->nsa, p->nsb);
	kp_reaper(reap);
	ASSERT_EQ(kp_sh("ip netns add %s && ip netns add %s", p->nsa, p->nsb), 0);
	ASSERT_EQ(kp_sh("ip link add %s type veth peer name %s netns %s", p->vb, p->va, p->nsa), 0);
	kp_sh("sysctl -qw net.ipv6.conf.%s.disable_ipv6=1", p->vb);
	ASSERT_EQ(kp_sh("ip link set %s up", p->vb), 0);
	ASSERT_EQ(kp_sh("ip -n %s link set lo up && ip -n %s link set %s up && "
			"ip -n %s addr add 10.0.0.1/24 dev %s && "
			"ip -n %s addr add fd00::1/64 dev %s nodad",
			p->nsa, p->nsa, p->va, p->nsa, p->va, p->nsa, p->va),
		  0);
}

static inline void np_addr_tap_side(const struct np_path *p)
{
	ASSERT_EQ(kp_sh("ip -n %s link set lo up && ip -n %s link set %s up && "
			"ip -n %s addr add 10.0.0.2/24 dev %s && "
			"ip -n %s addr add fd00::2/64 dev %s nodad",
			p->nsb, p->nsb, p->ut, p->nsb, p->ut, p->nsb, p->ut),
		  0);
}

static inline void np_port_up(struct net_device *dev, struct net_device *peer)
{
	rtnl_lock();
	ASSERT_EQ(netdev_rx_handler_register(dev, np_fwd, peer), 0);
	ASSERT_EQ(dev_set_promiscuity(dev, 1), 0);
	ASSERT_EQ(dev_open(dev, NULL), 0);
	rtnl_unlock();
}

/*
 * Build the whole path: namespaces, veth, the tap in uB (IFF_VNET_HDR when
 * @tap_vnet), pkt0 on vB with @pc (its ifname is filled in), an engine of
 * two CPUs, both ports forwarding to each other.
 */
static inline void np_build(struct np_path *p, bool tap_vnet, struct unetdev_af_packet_config *pc)
{
	struct unetdev_engine_config ec = {.sz = sizeof(ec), .ncpus = 2};

	np_kernel_side(p);
	p->tap = np_tap_in_netns(p, tap_vnet);
	np_addr_tap_side(p);
	pc->sz = sizeof(*pc);
	pc->ifname = p->vb;
	ASSERT_EQ(unetdev_af_packet_create(NULL, "pkt0", pc, &p->pkt), 0);
	ASSERT_EQ(unetdev_engine_start(&ec), 0);
	np_port_up(p->pkt, p->tap);
	np_port_up(p->tap, p->pkt);
}

static inline void np_teardown(struct np_path *p)
{
	rtnl_lock();
	netdev_rx_handler_unregister(p->pkt);
	netdev_rx_handler_unregister(p->tap);
	rtnl_unlock();
	unregister_netdev(p->tap);
	unregister_netdev(p->pkt);
	unetdev_engine_stop();
	kp_sh("ip netns del %s; ip netns del %s", p->nsa, p->nsb);
}

#endif
