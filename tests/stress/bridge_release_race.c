// SPDX-License-Identifier: MIT
/*
 * Regression (found by tests/stress/storm_bridge.c under ASan): a port
 * released while the host transmits on the bridge to a station learned on
 * it. del_nbp() took the port off the list under port_lock but deleted its
 * FDB entries only after dropping the lock, and then freed the port: a
 * br_dev_xmit() that took port_lock in between found the port through the
 * FDB and used it after the free (heap-use-after-free in br_push_xmit). The
 * entries must be gone, under port_lock written, before the port is freed
 * (the kernel frees it after an RCU grace period instead: del_nbp,
 * destroy_nbp_rcu).
 *
 *   sender threads: dev_queue_xmit(br0) to station S, in a loop
 *   main thread: enslave veth a; S speaks through veth b (learned on a);
 *                release a; again
 *
 * A race: each cycle opens the window once; the ASan build reports the use
 * after free when it is hit: with the old order, 2 of 3 runs of 3,000 cycles
 * with eight senders failed (20,000 by default). Then every frame is accounted
 * for.
 */
#include <arpa/inet.h>
#include <pthread.h>
#include <unistd.h>
#include <unetdev/engine.h>
#include <unetdev/if_bridge.h>
#include <unetdev/unetdev.h>

#include "harness.h"
#include "storm_util.h"

#define SENDERS	   8
#define ETH_P_RACE 0x88b6

static const unsigned char station[ETH_ALEN] = {0x02, 0x5a, 0, 0, 0x02, 0x01};
static const unsigned char host[ETH_ALEN] = {0x02, 0x5a, 0,
					     0,	   0x02, 0x02}; /* not br0's: that moves */
static struct net_device *br, *va, *vb;
static bool stop_flag;
static u64 sent, delivered;

static struct sk_buff *frame(struct net_device *dev, const unsigned char *dst,
			     const unsigned char *src)
{
	struct sk_buff *skb = netdev_alloc_skb(dev, 64);
	unsigned char *f;

	if (!skb)
		return NULL;
	f = skb_put(skb, 64);
	memcpy(f, dst, ETH_ALEN);
	memcpy(f + ETH_ALEN, src, ETH_ALEN);
	f[12] = ETH_P_RACE >> 8;
	f[13] = ETH_P_RACE & 0xff;
	memset(f + 14, 0, 50);
	return skb;
}

static int race_deliver(struct sk_buff *skb, struct net_device *dev, struct packet_type *pt,
			struct net_device *orig_dev)
{
	storm_add(&delivered, 1);
	consume_skb(skb);
	return NET_RX_SUCCESS;
}
static struct packet_type pt_race = {.func = race_deliver};

/* The host sends to the station on the bridge: br_dev_xmit looks it up in the FDB. */
static void *sender(void *arg)
{
	(void)arg;
	while (!__atomic_load_n(&stop_flag, __ATOMIC_ACQUIRE)) {
		struct sk_buff *skb = frame(br, station, host);

		if (!skb)
			continue;
		storm_add(&sent, 1);
		dev_queue_xmit(skb);
	}
	for (int i = 0; i < 100; i++)
		unetdev_cpu_run(0);
	return NULL;
}

TEST_TIMEOUT(bridge_port_release_while_host_transmits_to_it, 180)
{
	struct unetdev_engine_config ec = {.sz = sizeof(ec), .ncpus = 1};
	unsigned long drops_base = 0, consumed_base = skb_drop_count(SKB_CONSUMED), drops = 0;
	unsigned long cycles = storm_env_ul("UNETDEV_RACE_CYCLES", STORM_TSAN ? 1000 : 20000);
	pthread_t th[SENDERS];
	unsigned long learned = 0;

	for (int r = SKB_DROP_REASON_NOT_SPECIFIED; r < SKB_DROP_REASON_MAX; r++)
		drops_base += skb_drop_count((enum skb_drop_reason)r);
	unetdev_log_set_level(3);
	pt_race.type = htons(ETH_P_RACE);
	dev_add_pack(&pt_race);
	ASSERT_EQ(unetdev_engine_start(&ec), 0);
	ASSERT_EQ(unetdev_bridge_create(&init_net, "br0", &br), 0);
	ASSERT_EQ(unetdev_veth_create(&init_net, NULL, NULL, &va, &vb), 0);
	rtnl_lock();
	ASSERT_EQ(dev_open(br, NULL), 0);
	ASSERT_EQ(dev_open(va, NULL), 0);
	ASSERT_EQ(dev_open(vb, NULL), 0);
	rtnl_unlock();
	linkwatch_run_queue();
	for (int i = 0; i < SENDERS; i++)
		ASSERT_EQ(pthread_create(&th[i], NULL, sender, NULL), 0);
	for (unsigned long c = 0; c < cycles; c++) {
		struct unetdev_br_fdb_info fi;
		struct sk_buff *skb;

		rtnl_lock();
		ASSERT_EQ(unetdev_dev_set_master(va, br->ifindex, NULL), 0);
		rtnl_unlock();
		linkwatch_run_queue(); /* the port forwards once its oper state is seen */
		skb = frame(vb, br->dev_addr, station); /* S speaks: learned on va */
		if (skb) {
			storm_add(&sent, 1);
			dev_queue_xmit(skb);
		}
		learned += unetdev_br_fdb_lookup(br, station, 0, &fi) == 0;
		rtnl_lock();
		ASSERT_EQ(unetdev_dev_set_master(va, 0, NULL), 0);
		rtnl_unlock();
	}
	__atomic_store_n(&stop_flag, true, __ATOMIC_RELEASE);
	for (int i = 0; i < SENDERS; i++)
		pthread_join(th[i], NULL);
	unregister_netdev(br);
	unregister_netdev(va);
	unetdev_engine_stop();
	dev_remove_pack(&pt_race);
	for (int r = SKB_DROP_REASON_NOT_SPECIFIED; r < SKB_DROP_REASON_MAX; r++)
		drops += skb_drop_count((enum skb_drop_reason)r);
	printf("# %lu release cycles, station learned in %lu; %llu frames sent, %llu delivered\n",
	       cycles, learned, (unsigned long long)storm_rd(&sent),
	       (unsigned long long)storm_rd(&delivered));
	fflush(stdout);
	ASSERT_GT(learned, 0); /* the window was there to hit */
	ASSERT_EQ(skb_live_count(), 0);
	/* No flood here copies a frame to two ports (one port at most): no clones. */
	ASSERT_UEQ(storm_rd(&sent),
		   (skb_drop_count(SKB_CONSUMED) - consumed_base) + (drops - drops_base));
	unetdev_log_set_level(6);
}
