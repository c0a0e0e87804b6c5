// SPDX-License-Identifier: MIT
/*
 * Stress: the storm across a learning bridge (the reliability issue, part 1,
 * extended to src/drivers/bridge.c; docs/bridge.md, docs/reliability.md).
 *
 *   engine CPU 0/1 (eventfd "NIC interrupt")     generator threads (process)
 *        | unetdev_null_rx_burst(bn*)               | dev_queue_xmit: on veth b
 *        v                                          v ends, and on the bridge
 *   bn* (null ports) ---+                      bv*b === bv*a (veth ports) --+
 *                       +---- sbr* (bridge: learn, forward, flood, local) --+
 *   port TX: null consumes; veth a -> b -> pt "deliver"; local -> pt "deliver"
 *
 * Chaos threads, in an order drawn from the seed, enslave and release ports
 * (unetdev_dev_set_master: do_set_master -> ndo_add_slave / ndo_del_slave
 * through the core's wrappers), bring ports and the bridge up and down,
 * change their MTU, turn a null port's carrier off and on (NETDEV_CHANGE:
 * port disabled, FDB flushed), change the ageing time (0: never learn),
 * hold references, unregister ports while traffic flows (R-UNREG-6/7) and
 * delete and re-create the bridge itself (at most every 2 s). Stations come
 * and go (the generators' source addresses rotate), so the ageing timer on
 * jiffies removes the entries of the one port left alone while the storm runs. A sampler checks
 * that the device counters and the bridge's own counters never go backwards.
 *
 * Accounting at the end, every device unregistered and the engine stopped
 * (each skb, original or clone, is freed exactly once: skb_live_count() == 0):
 *   created + null RX + clones == consumed + drops by reason
 *   consumed == delivered + null TX + floods that found no port
 * where clones (br_flood copies, the local copy of a multicast frame) and the
 * floods without a port are what the bridge's counters bound:
 *   0 <= floods without a port <= flooded
 *   0 <= clones <= local_in + flooded * (ports - 1)
 * and the bridge device's rx_packets equals the bridge's local_in.
 */
#include <arpa/inet.h>
#include <pthread.h>
#include <sys/eventfd.h>
#include <unistd.h>
#include <unetdev/engine.h>
#include <unetdev/if_bridge.h>
#include <unetdev/unetdev.h>

#include "harness.h"
#include "storm_util.h"
#include "storm_netdev.h"

#define BS_NULLS	 3
#define BS_VETHS	 2
#define BS_PORTS	 (BS_NULLS + BS_VETHS)
#define BS_GENS		 2
#define BS_CHAOS	 2
#define BS_CPUS		 2
#define BS_AGEING_CS	 100 /* 1 s: stations idle for longer are aged out */
#define BS_BRIDGE_MIN_MS 1000
/* The last veth port is left alone (but for holds, re-enslaving and the
 * bridge going): every other change flushes a port's entries long before
 * they could age. */
#define BS_STABLE	 (BS_PORTS - 1)
#define ETH_P_BS_NULL	 0x88b5 /* what the null driver's RX makes */
#define ETH_P_BS	 0x88b6 /* what the generators send */

enum bs_op {
	OP_ENSLAVE,
	OP_RELEASE,
	OP_UPDOWN,
	OP_MTU,
	OP_CARRIER,
	OP_AGEING,
	OP_HOLD,
	OP_REPLACE_PORT,
	OP_REPLACE_BRIDGE,
	OP_MAX
};
static const char *const op_names[OP_MAX] = {
    "enslave", "release", "up_down", "mtu", "carrier", "ageing", "hold", "port_del", "bridge_del"};

struct port {
	bool veth;
	int ifindex;		/* atomic; the port (null, or veth a); 0 while replaced */
	int peer_ifindex;	/* atomic; veth b, the host end the generators use */
	struct storm_seen seen; /* sampler only */
};

static struct port ports[BS_PORTS];
static int br_ifindex;	   /* atomic; 0 while the bridge is being re-created */
static long br_born_ms;	   /* atomic: when the bridge was created or last opened */
static long br_created_ms; /* atomic: when the bridge was created */
static struct storm_seen br_seen;
static struct unetdev_br_stats brst_seen;
static bool stop_flag;
static u64 created, delivered, delivered_local, null_tx, null_rx;
static u64 br_learned, br_aged, br_forwarded, br_flooded, br_local_in, br_dropped, br_dev_rx;
static u64 ops[OP_MAX], samples, bridges_deleted;
static struct storm_mono mono;

static bool stopping(void)
{
	return __atomic_load_n(&stop_flag, __ATOMIC_ACQUIRE);
}

/* ---- the datapath ends ---- */

/* Every frame that reaches a protocol handler ends here: on a veth b end (out
 * of the bridge), on the bridge device (local delivery), on a device that is
 * no port at the moment, or a link-local frame left on its port. Consumes. */
static int bs_deliver(struct sk_buff *skb, struct net_device *dev, struct packet_type *pt,
		      struct net_device *orig_dev)
{
	/* By name: priv_flags is rtnl's (a port's IFF_BRIDGE_PORT changes under us). */
	storm_add(!strncmp(dev->name, "sbr", 3) ? &delivered_local : &delivered, 1);
	consume_skb(skb);
	return NET_RX_SUCCESS;
}

static struct packet_type pt_gen = {.func = bs_deliver};
static struct packet_type pt_null = {.func = bs_deliver};

/*
 * Counters die with their device: read them as it is unregistered. A bridge's
 * are final only once its last port is gone (frames in flight through a port
 * still reach it until del_nbp has waited for them), so they are read at its
 * NETDEV_UNREGISTER when it has no port, else at the NETDEV_CHANGEUPPER that
 * unlinks its last port. The notifier runs under rtnl: the table needs no lock.
 */
struct br_track {
	int ifindex;
	int ports;
	bool dying;
};
static struct br_track tracks[8];

static struct br_track *track_of(const struct net_device *br)
{
	struct br_track *free = NULL;

	for (size_t i = 0; i < sizeof(tracks) / sizeof(tracks[0]); i++) {
		if (tracks[i].ifindex == br->ifindex)
			return &tracks[i];
		if (!tracks[i].ifindex && !free)
			free = &tracks[i];
	}
	if (!free)
		FAIL("more than 8 bridges alive");
	*free = (struct br_track){.ifindex = br->ifindex};
	return free;
}

static void bs_collect_bridge(struct net_device *dev, struct br_track *t)
{
	struct unetdev_br_stats st;
	struct rtnl_link_stats64 s;

	ASSERT_EQ(unetdev_br_get_stats(dev, &st), 0);
	storm_add(&br_learned, st.learned);
	storm_add(&br_aged, st.aged);
	storm_add(&br_forwarded, st.forwarded);
	storm_add(&br_flooded, st.flooded);
	storm_add(&br_local_in, st.local_in);
	storm_add(&br_dropped, st.dropped);
	memset(&s, 0, sizeof(s));
	dev_get_stats(dev, &s);
	storm_add(&br_dev_rx, s.rx_packets);
	t->ifindex = 0;
}

static void bs_changeupper(const struct netdev_notifier_changeupper_info *info)
{
	struct net_device *br = info->upper_dev;
	struct br_track *t;

	if (!netif_is_bridge_master(br))
		return;
	t = track_of(br);
	t->ports += info->linking ? 1 : -1;
	if (!info->linking && !t->ports && t->dying)
		bs_collect_bridge(br, t);
}

static int bs_notify(struct notifier_block *nb, unsigned long event, void *ptr)
{
	struct net_device *dev = netdev_notifier_info_to_dev(ptr);
	struct unetdev_null_stats st;
	struct br_track *t;

	if (event == NETDEV_CHANGEUPPER)
		bs_changeupper(ptr);
	/* Once: a NETDEV_UNREGISTER rebroadcast by the reference wait comes later. */
	if (event != NETDEV_UNREGISTER || dev->reg_state != NETREG_UNREGISTERING)
		return NOTIFY_DONE;
	if (unetdev_null_stats(dev, &st) == 0) {
		storm_add(&null_tx, st.tx_packets);
		storm_add(&null_rx, st.rx_packets);
	}
	if (netif_is_bridge_master(dev)) {
		t = track_of(dev);
		t->dying = true;
		if (!t->ports)
			bs_collect_bridge(dev, t);
	}
	return NOTIFY_DONE;
}
static struct notifier_block bs_nb = {.notifier_call = bs_notify};

/* ---- engine CPUs: an eventfd per CPU is the interrupt line ---- */

static struct storm_line lines[BS_CPUS];

/* Hardirq: every null port receives a burst (dst 02:00:00:00:00:02). */
static void bs_irq(void *ctx, u32 revents)
{
	if (!storm_line_ack(ctx))
		return;
	for (int i = 0; i < BS_NULLS; i++) {
		struct net_device *dev = dev_get_by_index(&init_net, storm_ld(&ports[i].ifindex));

		if (!dev)
			continue;
		unetdev_null_rx_burst(dev, 16, 0); /* -ENETDOWN while down: fine */
		dev_put(dev);
	}
}

/* ---- devices ---- */

static void open_locked(struct net_device *dev) UNETDEV_MUST_HOLD(rtnl_mutex)
{
	if (!(dev->flags & IFF_UP))
		dev_open(dev, NULL);
}

static int bridge_create(void)
{
	struct net_device *br;
	int err = unetdev_bridge_create(&init_net, "sbr%d", &br);

	if (err)
		return err;
	rtnl_lock();
	err = unetdev_br_set_ageing_time(br, BS_AGEING_CS);
	open_locked(br);
	__atomic_store_n(&br_born_ms, storm_now_ms(), __ATOMIC_RELAXED);
	__atomic_store_n(&br_created_ms, storm_now_ms(), __ATOMIC_RELAXED);
	__atomic_store_n(&br_ifindex, br->ifindex, __ATOMIC_RELEASE);
	rtnl_unlock();
	return err;
}

/* Port @p gets a new device (veth: a pair), up, enslaved to the bridge when there is one. */
static int port_create(struct port *p)
{
	struct net_device *a = NULL, *b = NULL, *br;
	int err;

	if (p->veth)
		err = unetdev_veth_create(&init_net, NULL, NULL, &a, &b);
	else
		err = unetdev_null_create(&init_net, "bn%d", NULL, &a);
	if (err)
		return err;
	rtnl_lock();
	open_locked(a);
	if (b)
		open_locked(b);
	br = __dev_get_by_index(&init_net, storm_ld(&br_ifindex));
	if (br)
		unetdev_dev_set_master(a, br->ifindex, NULL);
	__atomic_store_n(&p->peer_ifindex, b ? b->ifindex : 0, __ATOMIC_RELEASE);
	__atomic_store_n(&p->ifindex, a->ifindex, __ATOMIC_RELEASE);
	rtnl_unlock();
	linkwatch_run_queue();
	return 0;
}

static void op_replace_port(struct port *p)
{
	int idx = __atomic_exchange_n(&p->ifindex, 0, __ATOMIC_ACQ_REL);

	if (!idx)
		return; /* the other chaos thread is replacing it */
	__atomic_store_n(&p->peer_ifindex, 0, __ATOMIC_RELEASE);
	storm_unregister_ifindex(idx);
	if (port_create(p))
		FAIL("re-creating a port failed");
}

/* Delete the bridge under traffic (every port released) and make a new one;
 * a bridge lives at least BS_BRIDGE_MIN_MS, long enough to age entries out.
 * Counted from its creation, not from its last open: a close and re-open
 * near the deadline must not postpone every deletion past a short run. */
static void op_replace_bridge(void)
{
	int idx;

	if (storm_now_ms() - __atomic_load_n(&br_created_ms, __ATOMIC_RELAXED) < BS_BRIDGE_MIN_MS)
		return;
	idx = __atomic_exchange_n(&br_ifindex, 0, __ATOMIC_ACQ_REL);
	if (!idx)
		return;
	storm_unregister_ifindex(idx);
	storm_add(&bridges_deleted, 1);
	if (bridge_create())
		FAIL("re-creating the bridge failed");
	linkwatch_run_queue();
}

/* One rtnl operation on port @p (or, for up/down and MTU, sometimes the bridge). */
static void op_rtnl(enum bs_op op, struct port *p, u64 r)
{
	struct net_device *dev, *br;

	rtnl_lock();
	br = __dev_get_by_index(&init_net, storm_ld(&br_ifindex));
	dev = (r & 0x100) && br ? br : __dev_get_by_index(&init_net, storm_ld(&p->ifindex));
	switch (op) {
	case OP_ENSLAVE:
		dev = __dev_get_by_index(&init_net, storm_ld(&p->ifindex));
		if (dev && br) /* -EBUSY when already a port: an answer too */
			unetdev_dev_set_master(dev, br->ifindex, NULL);
		break;
	case OP_RELEASE:
		dev = __dev_get_by_index(&init_net, storm_ld(&p->ifindex));
		if (dev)
			unetdev_dev_set_master(dev, 0, NULL);
		break;
	case OP_UPDOWN:
		if (dev && (dev->flags & IFF_UP) && (r & 0x10000) &&
		    (dev != br || storm_now_ms() - __atomic_load_n(&br_born_ms, __ATOMIC_RELAXED) >
				      BS_BRIDGE_MIN_MS)) {
			dev_close(dev);
		} else if (dev && !(dev->flags & IFF_UP)) {
			open_locked(dev);
			if (dev == br) /* a bridge going down flushes every port's entries */
				__atomic_store_n(&br_born_ms, storm_now_ms(), __ATOMIC_RELAXED);
		}
		break;
	case OP_MTU:
		if (dev) /* frames stay <= 64 B: every MTU from 68 forwards them */
			dev_set_mtu(dev, (int)(68 + (r >> 20) % 9000));
		break;
	case OP_AGEING:
		if (br) /* mostly 1 s; sometimes 0 (flood only) or 0.5 s */
			unetdev_br_set_ageing_time(br, (r >> 20) % 8 == 0   ? 0
						       : (r >> 20) % 8 == 1 ? 50
									    : BS_AGEING_CS);
		break;
	default:
		break;
	}
	rtnl_unlock();
}

/* Reference-only operations: carrier off/on on a null port, hold a while. */
static void op_ref(enum bs_op op, struct port *p, u64 r)
{
	struct net_device *dev = dev_get_by_index(&init_net, storm_ld(&p->ifindex));

	if (!dev)
		return;
	if (op == OP_CARRIER && !p->veth) {
		netif_carrier_off(dev); /* linkwatch: NETDEV_CHANGE, port disabled */
		linkwatch_run_queue();
		usleep((useconds_t)((r >> 8) % 2000));
		netif_carrier_on(dev);
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
		enum bs_op op = (enum bs_op)(r % OP_MAX);
		struct port *p = &ports[(r >> 4) % BS_PORTS];

		if (op == OP_REPLACE_PORT && (r >> 32) % 3) /* heavy: 1 in 3 draws */
			op = OP_ENSLAVE;
		if (op == OP_RELEASE && (r >> 40) % 2) /* ports enslaved most of the time */
			op = OP_ENSLAVE;
		if (p == &ports[BS_STABLE] && op != OP_ENSLAVE && op != OP_AGEING &&
		    op != OP_REPLACE_BRIDGE)
			op = OP_HOLD; /* its stations stay until they age out */
		if (op == OP_REPLACE_PORT)
			op_replace_port(p);
		else if (op == OP_REPLACE_BRIDGE)
			op_replace_bridge();
		else if (op == OP_CARRIER || op == OP_HOLD)
			op_ref(op, p, r);
		else
			op_rtnl(op, p, r);
		linkwatch_run_queue();
		storm_add(&ops[op], 1);
		usleep((useconds_t)((r >> 48) % 300));
	}
	drain_own_cpu();
	return NULL;
}

/* ---- generators ---- */

/*
 * Stations: 32 addresses 02:5a:00:00:00:xx, used 8 at a time; the set moves
 * every 1.5 s, so a station is silent for 4.5 s and ages out (1 s). Station
 * 02:00:00:00:00:02 (the null RX destination) is one of them, so the nulls'
 * frames are forwarded when it was learned and flooded when not.
 */
static void station(unsigned char *a, u64 r)
{
	unsigned int set = (unsigned int)(storm_now_ms() / 1500 % 4);
	unsigned int n = set * 8 + (unsigned int)(r % 8);

	if (n == 5) {
		static const unsigned char nulldst[ETH_ALEN] = {0x02, 0, 0, 0, 0, 0x02};

		memcpy(a, nulldst, ETH_ALEN);
		return;
	}
	a[0] = 0x02;
	a[1] = 0x5a;
	a[2] = a[3] = a[4] = 0;
	a[5] = (unsigned char)n;
}

/* A frame for the bridge: broadcast (1/4), link-local (1/16), invalid source
 * (1/16), else unicast to a station (learned, aged or never seen). */
static struct sk_buff *bs_frame(struct net_device *dev, u64 r)
{
	struct sk_buff *skb = netdev_alloc_skb(dev, ETH_HLEN + 60);
	unsigned int kind = (unsigned int)(r >> 40) % 16;
	struct ethhdr *eth;

	if (!skb)
		return NULL;
	eth = skb_put(skb, ETH_HLEN);
	station(eth->h_source, r >> 8);
	station(eth->h_dest, r >> 16);
	if (kind < 4) {
		memset(eth->h_dest, 0xff, ETH_ALEN);
	} else if (kind == 4) {
		static const unsigned char ll[ETH_ALEN] = {0x01, 0x80, 0xc2, 0, 0, 0x0e};

		memcpy(eth->h_dest, ll, ETH_ALEN);
	} else if (kind == 5) {
		memset(eth->h_source, 0, ETH_ALEN);
	}
	eth->h_proto = htons(ETH_P_BS);
	memset(skb_put(skb, 46), 0x5a, 46);
	return skb;
}

static void *gen_thread(void *arg)
{
	u64 st = (u64)(uintptr_t)arg, one = 1;

	for (unsigned long n = 0; !stopping(); n++) {
		u64 r = storm_rnd(&st);
		unsigned int which = (unsigned int)(r % (BS_VETHS + 1));
		int idx = which < BS_VETHS ? storm_ld(&ports[BS_NULLS + which].peer_ifindex)
					   : storm_ld(&br_ifindex); /* br_dev_xmit */
		struct net_device *dev = dev_get_by_index(&init_net, idx);
		unsigned int burst = 1 + (unsigned int)((r >> 56) % 16);

		if (n % 8 == 0 && write(lines[n / 8 % BS_CPUS].fd, &one, sizeof(one)) < 0)
			FAIL("eventfd write");
		if (!dev)
			continue;
		for (unsigned int i = 0; i < burst; i++) {
			struct sk_buff *skb = bs_frame(dev, storm_rnd(&st));

			if (!skb)
				break;
			storm_add(&created, 1);
			dev_queue_xmit(skb);
		}
		dev_put(dev);
		if (n % 32 == 0)
			sched_yield();
	}
	drain_own_cpu();
	return NULL;
}

/* Learned entries in the FDB of @br (expired ones too: only the timer removes them). */
static int count_learned(const struct unetdev_br_fdb_info *fi, void *arg)
{
	if (!fi->is_local && !fi->is_static)
		(*(unsigned int *)arg)++;
	return 0;
}

static unsigned int fdb_learned(struct net_device *br)
{
	unsigned int idx = 0, n = 0;

	rtnl_lock();
	unetdev_br_fdb_dump(br, br, &idx, count_learned, &n);
	rtnl_unlock();
	return n;
}

/*
 * After the storm (traffic stopped), on the bridge that is left: the ageing
 * timer empties the FDB of learned entries; then a station that speaks once
 * through the stable port is learned and removed again by the timer (aged
 * grows by one, the dump no longer has it). Polls with a generous deadline:
 * ASan and TSan on two busy cores are slow.
 */
static void bs_age_one_station(void)
{
	static const unsigned char sta[ETH_ALEN] = {0x02, 0x5a, 0, 0, 0x01, 0};
	struct unetdev_br_fdb_info fi;
	struct unetdev_br_stats st;
	struct net_device *br, *port, *host;
	long deadline = storm_now_ms() + 30000;
	u64 aged;
	bool learned = false;

	rtnl_lock();
	br = __dev_get_by_index(&init_net, storm_ld(&br_ifindex));
	port = __dev_get_by_index(&init_net, storm_ld(&ports[BS_STABLE].ifindex));
	host = __dev_get_by_index(&init_net, storm_ld(&ports[BS_STABLE].peer_ifindex));
	ASSERT_TRUE(br && port && host);
	open_locked(br);
	unetdev_dev_set_master(port, br->ifindex, NULL); /* -EBUSY: it is already */
	ASSERT_EQ(unetdev_br_set_ageing_time(br, BS_AGEING_CS / 2), 0);
	dev_hold(br);
	dev_hold(host);
	rtnl_unlock();
	while (fdb_learned(br) && storm_now_ms() < deadline)
		usleep(20000);
	ASSERT_EQ(fdb_learned(br), 0);
	ASSERT_EQ(unetdev_br_get_stats(br, &st), 0);
	aged = st.aged;
	while (!learned && storm_now_ms() < deadline) { /* until linkwatch made the port forward */
		struct sk_buff *skb = bs_frame(host, 0);

		linkwatch_run_queue();
		if (skb) {
			memcpy(((struct ethhdr *)skb->data)->h_source, sta, ETH_ALEN);
			storm_add(&created, 1);
			dev_queue_xmit(skb);
		}
		usleep(10000);
		learned = unetdev_br_fdb_lookup(br, sta, 0, &fi) == 0;
	}
	ASSERT_TRUE(learned);
	ASSERT_EQ(fi.ifindex, ports[BS_STABLE].ifindex);
	while (fdb_learned(br) && storm_now_ms() < deadline)
		usleep(20000);
	ASSERT_EQ(fdb_learned(br), 0);
	ASSERT_EQ(unetdev_br_get_stats(br, &st), 0);
	ASSERT_UEQ(st.aged, aged + 1);
	dev_put(host);
	dev_put(br);
}

/* ---- counters are monotonic (R-STAT-*) ---- */

/* A bridge's own counters (unetdev_br_get_stats) as well. Context: dev_base_lock. */
static void sample_bridge(struct storm_mono *m, struct net_device *dev, bool same)
{
	struct unetdev_br_stats bs;

	if (unetdev_br_get_stats(dev, &bs))
		return;
	if (same) {
		storm_mono(m, dev->name, "learned", brst_seen.learned, bs.learned);
		storm_mono(m, dev->name, "aged", brst_seen.aged, bs.aged);
		storm_mono(m, dev->name, "forwarded", brst_seen.forwarded, bs.forwarded);
		storm_mono(m, dev->name, "flooded", brst_seen.flooded, bs.flooded);
		storm_mono(m, dev->name, "local_in", brst_seen.local_in, bs.local_in);
		storm_mono(m, dev->name, "dropped", brst_seen.dropped, bs.dropped);
	}
	brst_seen = bs;
}

static void sample_dev(int idx, struct storm_seen *seen)
{
	if (storm_sample(&mono, idx, seen, true, sample_bridge))
		storm_add(&samples, 1);
}

static void *sampler_thread(void *arg)
{
	(void)arg;
	while (!stopping()) {
		for (int i = 0; i < BS_PORTS; i++)
			sample_dev(storm_ld(&ports[i].ifindex), &ports[i].seen);
		sample_dev(storm_ld(&br_ifindex), &br_seen);
		usleep(1000);
	}
	return NULL;
}

/* ---- the run ---- */

static struct storm_drops drops_base;

static void bs_setup(void)
{
	struct unetdev_engine_config ec = {.sz = sizeof(ec), .ncpus = BS_CPUS};

	unetdev_log_set_level(4); /* warnings only: port and promisc lines are noise here */
	storm_drops_mark(&drops_base);
	ASSERT_EQ(register_netdevice_notifier(&bs_nb), 0);
	pt_gen.type = htons(ETH_P_BS);
	pt_null.type = htons(ETH_P_BS_NULL);
	dev_add_pack(&pt_gen);
	dev_add_pack(&pt_null);
	ASSERT_EQ(unetdev_engine_start(&ec), 0);
	storm_lines_request(lines, BS_CPUS, bs_irq);
	ASSERT_EQ(bridge_create(), 0);
	for (int i = 0; i < BS_PORTS; i++) {
		ports[i] = (struct port){.veth = i >= BS_NULLS};
		ASSERT_EQ(port_create(&ports[i]), 0);
	}
}

static void bs_teardown(void)
{
	int idx = __atomic_exchange_n(&br_ifindex, 0, __ATOMIC_ACQ_REL);

	if (idx)
		storm_unregister_ifindex(idx);
	for (int i = 0; i < BS_PORTS; i++) {
		idx = __atomic_exchange_n(&ports[i].ifindex, 0, __ATOMIC_ACQ_REL);
		if (idx)
			storm_unregister_ifindex(idx);
	}
	storm_lines_free(lines, BS_CPUS);
	unetdev_engine_stop();
	dev_remove_pack(&pt_gen);
	dev_remove_pack(&pt_null);
	ASSERT_EQ(unregister_netdevice_notifier(&bs_nb), 0);
	unetdev_log_set_level(6);
}

static void bs_check_accounting(void)
{
	unsigned long drops, consumed;
	u64 in, out, clones, unflooded;

	drops = storm_drops_since(&drops_base, &consumed);
	in = storm_rd(&created) + storm_rd(&null_rx);
	out = consumed + drops;
	printf("# created %llu + null rx %llu; consumed %lu (delivered %llu, local %llu, null tx "
	       "%llu) + drops %lu\n",
	       (unsigned long long)storm_rd(&created), (unsigned long long)storm_rd(&null_rx),
	       consumed, (unsigned long long)storm_rd(&delivered),
	       (unsigned long long)storm_rd(&delivered_local),
	       (unsigned long long)storm_rd(&null_tx), drops);
	printf("# bridge: learned %llu aged %llu forwarded %llu flooded %llu local_in %llu "
	       "dropped %llu; bridge devices rx %llu\n",
	       (unsigned long long)storm_rd(&br_learned), (unsigned long long)storm_rd(&br_aged),
	       (unsigned long long)storm_rd(&br_forwarded),
	       (unsigned long long)storm_rd(&br_flooded),
	       (unsigned long long)storm_rd(&br_local_in),
	       (unsigned long long)storm_rd(&br_dropped), (unsigned long long)storm_rd(&br_dev_rx));
	fflush(stdout);
	ASSERT_EQ(skb_live_count(), 0); /* every skb and clone freed */
	ASSERT_GE(out, in);		/* the surplus is the clones */
	clones = out - in;
	ASSERT_GE(consumed, storm_rd(&delivered) + storm_rd(&delivered_local) + storm_rd(&null_tx));
	unflooded =
	    consumed - storm_rd(&delivered) - storm_rd(&delivered_local) - storm_rd(&null_tx);
	printf("# clones %llu, floods that found no port %llu\n", (unsigned long long)clones,
	       (unsigned long long)unflooded);
	ASSERT_LE(unflooded, storm_rd(&br_flooded));
	ASSERT_LE(clones, storm_rd(&br_local_in) + storm_rd(&br_flooded) * (BS_PORTS - 1));
	ASSERT_UEQ(storm_rd(&br_dev_rx), storm_rd(&br_local_in));
	ASSERT_LE(storm_rd(&delivered_local), storm_rd(&br_local_in));
	/* The storm did what it is for. */
	ASSERT_GT(storm_rd(&delivered), 0);
	ASSERT_GT(storm_rd(&delivered_local), 0);
	ASSERT_GT(storm_rd(&null_tx), 0);
	ASSERT_GT(clones, 0);
	ASSERT_GT(storm_rd(&br_learned), 0);
	ASSERT_GT(storm_rd(&br_forwarded), 0);
	ASSERT_GT(storm_rd(&br_dropped), 0);
	ASSERT_GT(storm_rd(&br_aged), 0); /* the ageing timer ran on jiffies */
}

static void test_storm_bridge_under_traffic(void)
{
	unsigned long seed = storm_seed();
	unsigned long secs = storm_seconds(STORM_TSAN ? 3 : 4);
	unsigned long total_ops = 0;

	printf("# seed %lu (replay: UNETDEV_STORM_SEED=%lu), %lu s\n", seed, seed, secs);
	fflush(stdout);
	bs_setup();
	storm_run(&(struct storm_threads){BS_GENS, BS_CHAOS, gen_thread, chaos_thread,
					  sampler_thread, &stop_flag},
		  seed, secs);
	printf("# aged during the storm: %llu (so far, bridges deleted)\n",
	       (unsigned long long)storm_rd(&br_aged));
	bs_age_one_station();
	bs_teardown();
	for (int op = 0; op < OP_MAX; op++) {
		printf("# op %-10s %llu\n", op_names[op], (unsigned long long)storm_rd(&ops[op]));
		total_ops += storm_rd(&ops[op]);
	}
	printf("# %lu control operations (%llu bridges deleted), %llu stat samples\n", total_ops,
	       (unsigned long long)storm_rd(&bridges_deleted),
	       (unsigned long long)storm_rd(&samples));
	if (__atomic_load_n(&mono.bad, __ATOMIC_RELAXED))
		FAIL("counter not monotonic: %s", mono.err);
	bs_check_accounting();
	ASSERT_GT(storm_rd(&ops[OP_REPLACE_PORT]), 0);
	ASSERT_GT(storm_rd(&bridges_deleted), 0);
}

/* Registered by hand: the timeout follows UNETDEV_STORM_SECONDS. */
__attribute__((constructor)) static void reg_storm_bridge(void)
{
	int secs = (int)storm_seconds(4);

	harness_register("storm_bridge_under_traffic", test_storm_bridge_under_traffic, NULL,
			 2 * secs + 120);
}
