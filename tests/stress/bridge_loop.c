// SPDX-License-Identifier: MIT
/*
 * Regression (found by tests/stress/storm_daemon.c): a layer-2 loop, both
 * ends of a veth pair in one bridge (no STP here, docs/bridge.md), with a
 * frame whose source is one of the bridge's own addresses. Every pass of the
 * frame through a port hit br_fdb_update()'s warning "received packet on %s
 * with own address as source address", logged per frame: unetd wrote 1.4 GB
 * of log in three minutes and answered nothing else. The kernel says it under
 * net_ratelimit(); so does unetdev now (once a second).
 *
 *            +-- va === vb --+        (the loop)
 *   br0 -----+               +
 *            +---------------+
 *            +-- vc === vd   <- host: one broadcast with va's address as source
 *
 * The sending thread runs the loop in its own softirqs for up to its bound
 * (1 s, src/core/engine.c), then returns; the loop is broken by releasing vb.
 */
#include <arpa/inet.h>
#include <string.h>
#include <unistd.h>
#include <unetdev/engine.h>
#include <unetdev/if_bridge.h>
#include <unetdev/unetdev.h>

#include "harness.h"

static unsigned long own_source_lines, lines;

static void count_lines(int level, const char *line, void *ctx)
{
	(void)level;
	(void)ctx;
	__atomic_fetch_add(&lines, 1, __ATOMIC_RELAXED);
	if (strstr(line, "with own address as source address"))
		__atomic_fetch_add(&own_source_lines, 1, __ATOMIC_RELAXED);
}

static void enslave(struct net_device *br, struct net_device *dev)
{
	rtnl_lock();
	ASSERT_EQ(dev_open(dev, NULL), 0);
	ASSERT_EQ(unetdev_dev_set_master(dev, br->ifindex, NULL), 0);
	rtnl_unlock();
}

TEST_TIMEOUT(bridge_loop_own_source_warning_is_rate_limited, 60)
{
	struct net_device *br, *va, *vb, *vc, *vd;
	struct unetdev_br_stats st;
	struct sk_buff *skb;
	unsigned char *f;

	unetdev_log_set_fn(count_lines, NULL);
	ASSERT_EQ(unetdev_bridge_create(&init_net, "br0", &br), 0);
	ASSERT_EQ(unetdev_veth_create(&init_net, NULL, NULL, &va, &vb), 0);
	ASSERT_EQ(unetdev_veth_create(&init_net, NULL, NULL, &vc, &vd), 0);
	rtnl_lock();
	ASSERT_EQ(dev_open(br, NULL), 0);
	ASSERT_EQ(dev_open(vd, NULL), 0);
	rtnl_unlock();
	enslave(br, va);
	enslave(br, vb);
	enslave(br, vc);
	linkwatch_run_queue(); /* the ports forward once their oper state is seen */
	skb = netdev_alloc_skb(vd, 64);
	ASSERT_NOT_NULL(skb);
	f = skb_put(skb, 64);
	memset(f, 0xff, ETH_ALEN);
	memcpy(f + ETH_ALEN, va->dev_addr, ETH_ALEN); /* a local FDB entry of br0 */
	f[12] = 0x88;
	f[13] = 0xb5;
	memset(f + 14, 0, 50);
	dev_queue_xmit(skb); /* returns after this thread's softirq bound */
	ASSERT_EQ(unetdev_br_get_stats(br, &st), 0);
	printf("# flooded %llu times in the loop; %lu own-source warnings, %lu log lines\n",
	       (unsigned long long)st.flooded, own_source_lines, lines);
	fflush(stdout);
	ASSERT_GT(st.flooded, 1000); /* it did loop */
	ASSERT_GE(own_source_lines, 1);
	ASSERT_LE(own_source_lines, 3); /* once a second, as net_ratelimit() */
	rtnl_lock();
	ASSERT_EQ(unetdev_dev_set_master(vb, 0, NULL), 0); /* the loop is broken */
	rtnl_unlock();
	for (int i = 0; i < 100; i++)
		unetdev_cpu_run(0); /* what is left in flight ends */
	unregister_netdev(br);
	unregister_netdev(va);
	unregister_netdev(vc);
	ASSERT_EQ(skb_live_count(), 0);
	unetdev_log_set_fn(NULL, NULL);
}
