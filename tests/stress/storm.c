// SPDX-License-Identifier: MIT
/*
 * Stress: a control-plane storm while traffic flows (the reliability issue,
 * part 1). The refcounted device lifetime (R-UNREG-*, R-ALLOC-*) must make
 * it safe to close, reconfigure and delete devices under load.
 *
 *   engine CPU 0/1 (hardirq: eventfd line)        generator threads (process)
 *        |  unetdev_null_rx_burst(sn*)                  | dev_queue_xmit(0x88b6)
 *        v                                               v
 *   sn* NAPI poll -> pt 0x88b5 "forward" -> dev_queue_xmit(0x88b6) -> veth a / sn*
 *                                                        |
 *   veth b NAPI poll -> pt 0x88b6 "deliver" (consume) <--+   sn*: TX consumes
 *
 * Meanwhile chaos threads, in a random order drawn from the seed, open and
 * close devices (NAPI add/del), change the MTU, add/delete unicast and
 * multicast addresses, move promiscuity +/-1 (balanced), stop/wake TX queues,
 * hold references for a while, and unregister devices and register new ones
 * in their place. A sampler checks that every device counter is monotonic.
 *
 * Accounting at the end, after every device is unregistered and the engine
 * stopped:
 *   created + null RX frames == consumed + sum of drops (every skb freed once)
 *   consumed == delivered + null TX           (only real deliveries consume)
 *   skb_live_count() == 0, no leak (the harness checks every allocation).
 *
 * UNETDEV_STORM_SEED replays a run's per-thread operation sequences (thread
 * interleaving is not replayed: it is the part being tested);
 * UNETDEV_STORM_SECONDS sets the duration (default 20; "meson compile -C
 * BUILD stress-long" runs 600).
 */
#include <arpa/inet.h>
#include <pthread.h>
#include <sys/eventfd.h>
#include <time.h>
#include <unistd.h>
#include <unetdev/engine.h>
#include <unetdev/unetdev.h>

#include "harness.h"
#include "storm_util.h"
#include "storm_netdev.h"

#define STORM_NULLS	3
#define STORM_VETHS	2
#define STORM_SLOTS	(STORM_NULLS + STORM_VETHS)
#define STORM_GENS	2
#define STORM_CHAOS	3
#define STORM_CPUS	2
#define ETH_P_STORM_FWD 0x88b5 /* what the null driver's RX generates */
#define ETH_P_STORM	0x88b6 /* terminal: counted as delivered */

enum storm_op {
	OP_OPEN,
	OP_CLOSE,
	OP_MTU,
	OP_UC,
	OP_MC,
	OP_PROMISC,
	OP_QUEUE,
	OP_HOLD,
	OP_REPLACE,
	OP_MAX
};
static const char *const op_names[OP_MAX] = {"open",	"close",     "mtu",  "uc_addr", "mc_addr",
					     "promisc", "stop_wake", "hold", "replace"};

/* A place for one device (null) or pair (veth a/b); the device changes on replace. */
struct slot {
	bool veth;
	int ifindex;		/* atomic; 0 while being replaced */
	int peer_ifindex;	/* atomic; veth b */
	int promisc;		/* rtnl: our +1s not yet undone on this device */
	struct storm_seen seen; /* the sampler's last view */
};

static struct slot slots[STORM_SLOTS];
static bool stop_flag;
static u64 created, delivered, forwarded, fwd_nodev, null_tx_final, null_rx_final;
static u64 ops[OP_MAX], samples;
static struct storm_mono mono; /* first violation the sampler saw */

static bool stopping(void)
{
	return __atomic_load_n(&stop_flag, __ATOMIC_ACQUIRE);
}

/* ---- the datapath ends ---- */

/* 0x88b6: a delivery. Consumes @skb. Context: softirq (any CPU). */
static int storm_deliver(struct sk_buff *skb, struct net_device *dev, struct packet_type *pt,
			 struct net_device *orig_dev)
{
	storm_add(&delivered, 1);
	consume_skb(skb);
	return NET_RX_SUCCESS;
}

/* 0x88b5 from a null device's RX: forward to the slot chosen by the flow hash,
 * looked up by ifindex with a reference held across the transmit. */
static int storm_forward(struct sk_buff *skb, struct net_device *dev, struct packet_type *pt,
			 struct net_device *orig_dev)
{
	struct slot *s = &slots[skb->hash % STORM_SLOTS];
	struct ethhdr *eth = skb_push(skb, ETH_HLEN);

	memset(eth->h_dest, 0xff, ETH_ALEN);
	eth->h_proto = htons(ETH_P_STORM);
	return storm_xmit_to(skb, storm_ld(&s->ifindex), &forwarded, &fwd_nodev);
}

static struct packet_type pt_deliver = {.func = storm_deliver};
static struct packet_type pt_forward = {.func = storm_forward};

/* A null device's counters die with it: read them as it is unregistered,
 * after dev_close() stopped its NAPI and transmitters (R-UNREG-3). */
static int storm_notify(struct notifier_block *nb, unsigned long event, void *ptr)
{
	struct net_device *dev = netdev_notifier_info_to_dev(ptr);
	struct unetdev_null_stats st;

	if (event == NETDEV_UNREGISTER && unetdev_null_stats(dev, &st) == 0) {
		storm_add(&null_tx_final, st.tx_packets);
		storm_add(&null_rx_final, st.rx_packets);
	}
	return NOTIFY_DONE;
}
static struct notifier_block storm_nb = {.notifier_call = storm_notify};

/* ---- engine CPUs: an eventfd per CPU is the "NIC interrupt" ---- */

static struct storm_line lines[STORM_CPUS];

/* Hardirq on an engine CPU: make each null device receive a burst. */
static void storm_irq(void *ctx, u32 revents)
{
	if (!storm_line_ack(ctx))
		return;
	for (int i = 0; i < STORM_SLOTS; i++) {
		struct net_device *dev;

		if (slots[i].veth)
			continue;
		dev = dev_get_by_index(&init_net,
				       __atomic_load_n(&slots[i].ifindex, __ATOMIC_ACQUIRE));
		if (!dev)
			continue;
		unetdev_null_rx_burst(dev, 16, 0); /* -ENETDOWN while closed: fine */
		dev_put(dev);
	}
}

/* ---- devices ---- */

/* Open @dev (rtnl held); carrier and qdisc follow at the next linkwatch run. */
static void open_locked(struct net_device *dev) UNETDEV_MUST_HOLD(rtnl_mutex)
{
	if (!(dev->flags & IFF_UP))
		dev_open(dev, NULL);
}

/* Fill slot @s with a new device (or pair), up. Returns 0 or a negative errno. */
static int slot_create(struct slot *s)
{
	struct net_device *a = NULL, *b = NULL;
	int err;

	if (s->veth)
		err = unetdev_veth_create(&init_net, NULL, NULL, &a, &b);
	else
		err = unetdev_null_create(&init_net, "sn%d", NULL, &a);
	if (err)
		return err;
	rtnl_lock();
	open_locked(a);
	if (b)
		open_locked(b);
	s->promisc = 0;
	__atomic_store_n(&s->peer_ifindex, b ? b->ifindex : 0, __ATOMIC_RELEASE);
	__atomic_store_n(&s->ifindex, a->ifindex, __ATOMIC_RELEASE);
	rtnl_unlock();
	linkwatch_run_queue();
	return 0;
}

/* Unregister what slot @s holds (the veth pair goes as one). Context: no rtnl;
 * returns after the device is freed, i.e. after every reference was put. */
static void slot_destroy(struct slot *s, int ifindex)
{
	struct net_device *dev;

	rtnl_lock();
	dev = __dev_get_by_index(&init_net, ifindex);
	if (dev)
		unregister_netdevice(dev);
	s->promisc = 0;
	rtnl_unlock();
}

/* Unregister while traffic flows, then register a replacement (R-UNREG-6/7). */
static void op_replace(struct slot *s)
{
	int idx = __atomic_exchange_n(&s->ifindex, 0, __ATOMIC_ACQ_REL);

	if (!idx)
		return; /* another chaos thread owns this slot right now */
	__atomic_store_n(&s->peer_ifindex, 0, __ATOMIC_RELEASE);
	slot_destroy(s, idx);
	if (slot_create(s))
		FAIL("re-creating a device failed");
}

/* A random end of slot @s (veth: a or b). */
static int slot_end(struct slot *s, u64 r)
{
	int key = s->veth && (r & 1) ? __atomic_load_n(&s->peer_ifindex, __ATOMIC_ACQUIRE)
				     : __atomic_load_n(&s->ifindex, __ATOMIC_ACQUIRE);
	return key;
}

/* One rtnl operation on a device of slot @s. */
static void op_rtnl(enum storm_op op, struct slot *s, u64 r)
{
	unsigned char addr[ETH_ALEN] = {0x02, 0xaa, 0, 0, 0, (unsigned char)(r >> 8) & 7};
	struct net_device *dev;

	rtnl_lock();
	dev = __dev_get_by_index(&init_net, slot_end(s, r));
	if (!dev)
		goto out;
	switch (op) {
	case OP_OPEN:
		open_locked(dev);
		break;
	case OP_CLOSE:
		dev_close(dev); /* NAPI disabled and deleted in ndo_stop (R-UP-13) */
		break;
	case OP_MTU:
		dev_set_mtu(dev, (int)(68 + (r >> 16) % 9000)); /* frames stay <= 64 B */
		break;
	case OP_UC:
		if (r & 0x10000)
			dev_uc_add(dev, addr);
		else
			dev_uc_del(dev, addr); /* -ENOENT is an answer too */
		break;
	case OP_MC:
		addr[0] = 0x01;
		addr[1] = 0x00;
		if (r & 0x10000)
			dev_mc_add(dev, addr);
		else
			dev_mc_del(dev, addr);
		break;
	case OP_PROMISC:
		/* Only the a end is tracked, so only it moves (balanced +/-1). */
		dev = __dev_get_by_index(&init_net, __atomic_load_n(&s->ifindex, __ATOMIC_ACQUIRE));
		if (!dev)
			break;
		if (s->promisc > 0 && (s->promisc >= 3 || (r & 0x10000))) {
			if (!dev_set_promiscuity(dev, -1))
				s->promisc--;
		} else if (!dev_set_promiscuity(dev, 1)) {
			s->promisc++;
		}
		break;
	default:
		break;
	}
out:
	rtnl_unlock();
}

/* Operations that need only a reference, no rtnl. */
static void op_ref(enum storm_op op, struct slot *s, u64 r)
{
	struct net_device *dev = dev_get_by_index(&init_net, slot_end(s, r));

	if (!dev)
		return;
	if (op == OP_QUEUE) {
		struct netdev_queue *txq = netdev_get_tx_queue(dev, 0);

		netif_tx_stop_queue(txq);
		usleep((useconds_t)((r >> 8) % 200));
		netif_tx_wake_queue(txq);
	} else {
		usleep((useconds_t)((r >> 8) % 500)); /* unregister waits for this put */
	}
	dev_put(dev);
}

static void *chaos_thread(void *arg)
{
	u64 st = (u64)(uintptr_t)arg;

	while (!stopping()) {
		u64 r = storm_rnd(&st);
		enum storm_op op = (enum storm_op)(r % OP_MAX);
		struct slot *s = &slots[(r >> 4) % STORM_SLOTS];

		if (op == OP_REPLACE && (r >> 32) % 4) /* replace is heavy: 1 in 4 draws */
			op = OP_HOLD;
		if (op == OP_CLOSE && (r >> 40) % 2)
			op = OP_OPEN; /* keep devices up most of the time */
		if (op == OP_REPLACE)
			op_replace(s);
		else if (op == OP_QUEUE || op == OP_HOLD)
			op_ref(op, s, r);
		else
			op_rtnl(op, s, r);
		if (op == OP_OPEN || op == OP_REPLACE)
			linkwatch_run_queue();
		storm_add(&ops[op], 1);
		usleep((useconds_t)((r >> 48) % 300));
	}
	drain_own_cpu();
	return NULL;
}

/* An Ethernet frame to everybody, ethertype 0x88b6, or NULL when out of memory. */
static struct sk_buff *storm_frame(struct net_device *dev, unsigned int payload)
{
	struct sk_buff *skb = netdev_alloc_skb(dev, ETH_HLEN + payload);
	struct ethhdr *eth;

	if (!skb)
		return NULL;
	eth = skb_put(skb, ETH_HLEN);
	memset(eth->h_dest, 0xff, ETH_ALEN);
	memcpy(eth->h_source, dev->dev_addr, ETH_ALEN);
	eth->h_proto = htons(ETH_P_STORM);
	memset(skb_put(skb, payload), 0x5a, payload);
	return skb;
}

static void *gen_thread(void *arg)
{
	u64 st = (u64)(uintptr_t)arg, one = 1;

	for (unsigned long n = 0; !stopping(); n++) {
		u64 r = storm_rnd(&st);
		struct slot *s = &slots[r % STORM_SLOTS];
		struct net_device *dev = dev_get_by_index(&init_net, slot_end(s, r >> 8));
		unsigned int burst = 1 + (unsigned int)((r >> 16) % 32);

		if (n % 16 == 0 && write(lines[n / 16 % STORM_CPUS].fd, &one, sizeof(one)) < 0)
			FAIL("eventfd write");
		if (!dev)
			continue;
		for (unsigned int i = 0; i < burst; i++) {
			struct sk_buff *skb = storm_frame(dev, 46 + (unsigned int)((r >> 24) % 15));

			if (!skb)
				break;
			storm_add(&created, 1);
			skb->hash = (u32)(r >> 32) + i;
			dev_queue_xmit(skb);
		}
		dev_put(dev);
		if (n % 64 == 0)
			sched_yield(); /* 2 cores: leave the engine CPUs some time */
	}
	drain_own_cpu();
	return NULL;
}

/* ---- counters are monotonic (R-STAT-*) ---- */

static void *sampler_thread(void *arg)
{
	(void)arg;
	while (!stopping()) {
		for (int i = 0; i < STORM_SLOTS; i++)
			if (storm_sample(&mono, storm_ld(&slots[i].ifindex), &slots[i].seen, true,
					 NULL))
				storm_add(&samples, 1);
		usleep(1000);
	}
	return NULL;
}

/* ---- the run ---- */

static struct storm_drops drops_base;

static void storm_setup(void)
{
	struct unetdev_engine_config ec = {.sz = sizeof(ec), .ncpus = STORM_CPUS};

	unetdev_log_set_level(4); /* warnings only: promisc on/off lines are noise here */
	storm_drops_mark(&drops_base);
	ASSERT_EQ(register_netdevice_notifier(&storm_nb), 0);
	pt_deliver.type = htons(ETH_P_STORM);
	pt_forward.type = htons(ETH_P_STORM_FWD);
	dev_add_pack(&pt_deliver);
	dev_add_pack(&pt_forward);
	ASSERT_EQ(unetdev_engine_start(&ec), 0);
	storm_lines_request(lines, STORM_CPUS, storm_irq);
	for (int i = 0; i < STORM_SLOTS; i++) {
		slots[i] = (struct slot){.veth = i >= STORM_NULLS};
		ASSERT_EQ(slot_create(&slots[i]), 0);
	}
}

static void storm_teardown(void)
{
	for (int i = 0; i < STORM_SLOTS; i++) {
		int idx = __atomic_exchange_n(&slots[i].ifindex, 0, __ATOMIC_ACQ_REL);

		if (idx)
			slot_destroy(&slots[i], idx);
	}
	storm_lines_free(lines, STORM_CPUS);
	unetdev_engine_stop();
	dev_remove_pack(&pt_deliver);
	dev_remove_pack(&pt_forward);
	ASSERT_EQ(unregister_netdevice_notifier(&storm_nb), 0); /* no device left to replay */
	unetdev_log_set_level(6);
}

static void storm_check_accounting(void)
{
	unsigned long drops, consumed;

	drops = storm_drops_since(&drops_base, &consumed);
	printf("# created %llu + null rx %llu; delivered %llu + null tx %llu + drops %lu; "
	       "forwarded %llu (no device %llu)\n",
	       (unsigned long long)storm_rd(&created), (unsigned long long)storm_rd(&null_rx_final),
	       (unsigned long long)storm_rd(&delivered),
	       (unsigned long long)storm_rd(&null_tx_final), drops,
	       (unsigned long long)storm_rd(&forwarded), (unsigned long long)storm_rd(&fwd_nodev));
	ASSERT_EQ(skb_live_count(), 0);
	ASSERT_UEQ(storm_rd(&created) + storm_rd(&null_rx_final), consumed + drops);
	ASSERT_UEQ(consumed, storm_rd(&delivered) + storm_rd(&null_tx_final));
	ASSERT_GT(storm_rd(&delivered), 0);
	ASSERT_GT(storm_rd(&forwarded), 0); /* the engine CPUs did forward */
}

static void test_storm_control_plane_under_traffic(void)
{
	unsigned long seed = storm_seed();
	unsigned long secs = storm_seconds(20);
	unsigned long total_ops = 0;

	printf("# seed %lu (replay: UNETDEV_STORM_SEED=%lu), %lu s\n", seed, seed, secs);
	fflush(stdout);
	storm_setup();
	storm_run(&(struct storm_threads){STORM_GENS, STORM_CHAOS, gen_thread, chaos_thread,
					  sampler_thread, &stop_flag},
		  seed, secs);
	storm_teardown();
	for (int op = 0; op < OP_MAX; op++) {
		printf("# op %-9s %llu\n", op_names[op], (unsigned long long)storm_rd(&ops[op]));
		total_ops += storm_rd(&ops[op]);
	}
	printf("# %lu control operations, %llu stat samples\n", total_ops,
	       (unsigned long long)storm_rd(&samples));
	if (__atomic_load_n(&mono.bad, __ATOMIC_RELAXED))
		FAIL("counter not monotonic: %s", mono.err);
	storm_check_accounting();
	ASSERT_GT(storm_rd(&ops[OP_REPLACE]), 0);
}

/* Registered by hand: the timeout follows UNETDEV_STORM_SECONDS. */
__attribute__((constructor)) static void reg_storm(void)
{
	int secs = (int)storm_seconds(20);

	harness_register("storm_control_plane_under_traffic",
			 test_storm_control_plane_under_traffic, NULL, 2 * secs + 120);
}
