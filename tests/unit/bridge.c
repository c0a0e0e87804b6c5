// SPDX-License-Identifier: MIT
/*
 * Unit: the learning bridge (src/drivers/bridge.c) and the upper/lower links
 * under it (src/core/dev_upper.c).
 *
 *        a0        a1        a2       hosts: one end of a veth pair each
 *        |         |         |
 *        b0        b1        b2       ports: the other ends
 *         \        |        /
 *          +------br0------+          rx_handler on every port (R-RX-4)
 *
 * Learning, forwarding to the learned port only, flooding of unknown unicast,
 * broadcast and multicast, delivery to the bridge itself, the bridge's own
 * transmit, ageing with the manual clock, a port that goes down or loses its
 * carrier, unregistering a port or the bridge while traffic runs, counters,
 * the kernel's errors for bad enslaving, and R-K-21 for the upper links.
 */
#include <arpa/inet.h>
#include <pthread.h>
#include <unistd.h>
#include <unetdev/if_bridge.h>
#include <unetdev/timer.h>
#include <unetdev/unetdev.h>

#include "harness.h"

#define NPORTS 3

static const unsigned char bcast[ETH_ALEN] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff};
static const unsigned char mcast[ETH_ALEN] = {0x01, 0x00, 0x5e, 0x00, 0x00, 0x01};
static const unsigned char nobody[ETH_ALEN] = {0x02, 0x00, 0x00, 0x00, 0xee, 0xee};

struct topo {
	struct net_device *br;
	struct net_device *a[NPORTS], *b[NPORTS];
};

/* ---- receive counters: a protocol handler per host and one on the bridge ---- */

static int rx_count[NPORTS + 1]; /* index NPORTS: the bridge */
static unsigned char rx_pkt_type[NPORTS + 1];
static struct topo *cur;

static int slot_of(const struct net_device *dev)
{
	for (int i = 0; i < NPORTS; i++)
		if (cur->a[i] == dev)
			return i;
	return NPORTS;
}

static int count_rcv(struct sk_buff *skb, struct net_device *dev, struct packet_type *pt,
		     struct net_device *orig_dev)
{
	int s = slot_of(dev);

	__atomic_fetch_add(&rx_count[s], 1, __ATOMIC_RELAXED);
	__atomic_store_n(&rx_pkt_type[s], skb->pkt_type, __ATOMIC_RELAXED);
	consume_skb(skb);
	return NET_RX_SUCCESS;
}

static struct packet_type pts[NPORTS + 1];

static void reset_rx(void)
{
	for (int i = 0; i <= NPORTS; i++)
		__atomic_store_n(&rx_count[i], 0, __ATOMIC_RELAXED);
}

static int rx(int i)
{
	return __atomic_load_n(&rx_count[i], __ATOMIC_RELAXED);
}

/* Wait (up to 5 s) until slot @i saw @want frames. Delivery is synchronous
 * without engine threads; the deadline only guards a slow machine. */
static int wait_rx(int i, int want)
{
	for (int n = 0; n < 5000 && rx(i) < want; n++)
		usleep(1000);
	return rx(i);
}

/* ---- helpers ---- */

static struct sk_buff *frame(struct net_device *dev, const unsigned char *src,
			     const unsigned char *dst, unsigned int payload)
{
	struct sk_buff *skb = netdev_alloc_skb(dev, ETH_HLEN + payload);
	struct ethhdr *eth;

	ASSERT_NOT_NULL(skb);
	eth = skb_put(skb, ETH_HLEN);
	memcpy(eth->h_dest, dst, ETH_ALEN);
	memcpy(eth->h_source, src, ETH_ALEN);
	eth->h_proto = htons(ETH_P_IP);
	memset(skb_put(skb, payload), 0x5a, payload);
	return skb;
}

static void send_from(struct net_device *a, const unsigned char *dst)
{
	ASSERT_EQ(dev_queue_xmit(frame(a, a->dev_addr, dst, 46)), 0);
}

static void open_dev(struct net_device *dev)
{
	rtnl_lock();
	ASSERT_EQ(dev_open(dev, NULL), 0);
	rtnl_unlock();
}

static void close_dev(struct net_device *dev)
{
	rtnl_lock();
	dev_close(dev);
	rtnl_unlock();
	linkwatch_run_queue();
}

static int set_master(struct net_device *dev, struct net_device *master,
		      struct netlink_ext_ack *extack)
{
	int err;

	rtnl_lock();
	err = unetdev_dev_set_master(dev, master ? master->ifindex : 0, extack);
	rtnl_unlock();
	return err;
}

static int port_state(struct net_device *dev)
{
	int st;

	rtnl_lock();
	st = unetdev_br_port_state(dev);
	rtnl_unlock();
	return st;
}

static struct net_device *master_of(struct net_device *dev)
{
	struct net_device *m;

	rtnl_lock();
	m = netdev_master_upper_dev_get(dev);
	rtnl_unlock();
	return m;
}

static struct rtnl_link_stats64 stats(struct net_device *dev)
{
	struct rtnl_link_stats64 s;

	memset(&s, 0, sizeof(s));
	dev_get_stats(dev, &s);
	return s;
}

static struct unetdev_br_stats br_stats(struct net_device *br)
{
	struct unetdev_br_stats st;

	ASSERT_EQ(unetdev_br_get_stats(br, &st), 0);
	return st;
}

/* The port @addr was learned on (its ifindex), 0 when unknown. */
static int fdb_port(struct net_device *br, const unsigned char *addr)
{
	struct unetdev_br_fdb_info fi;

	return unetdev_br_fdb_lookup(br, addr, 0, &fi) ? 0 : fi.ifindex;
}

static int count_cb(const struct unetdev_br_fdb_info *fi, void *arg)
{
	(*(int *)arg)++;
	return 0;
}

/* Every entry of @br, expired or not. */
static int fdb_size(struct net_device *br)
{
	unsigned int idx = 0;
	int n = 0;

	rtnl_lock();
	ASSERT_EQ(unetdev_br_fdb_dump(br, br, &idx, count_cb, &n), 0);
	rtnl_unlock();
	ASSERT_EQ(idx, n);
	return n;
}

/* br0 with three veth ports, everything up and forwarding, handlers added. */
static void topo_up(struct topo *t)
{
	char an[IFNAMSIZ], bn[IFNAMSIZ];

	memset(t, 0, sizeof(*t));
	cur = t;
	ASSERT_EQ(unetdev_bridge_create(NULL, "br0", &t->br), 0);
	for (int i = 0; i < NPORTS; i++) {
		snprintf(an, sizeof(an), "a%d", i);
		snprintf(bn, sizeof(bn), "b%d", i);
		ASSERT_EQ(unetdev_veth_create(NULL, an, bn, &t->a[i], &t->b[i]), 0);
		ASSERT_EQ(set_master(t->b[i], t->br, NULL), 0);
		open_dev(t->a[i]);
		open_dev(t->b[i]);
	}
	open_dev(t->br);
	linkwatch_run_queue();
	for (int i = 0; i <= NPORTS; i++) {
		pts[i] = (struct packet_type){.type = htons(ETH_P_IP),
					      .dev = i < NPORTS ? t->a[i] : t->br,
					      .func = count_rcv};
		dev_add_pack(&pts[i]);
	}
	for (int i = 0; i < NPORTS; i++)
		ASSERT_EQ(port_state(t->b[i]), BR_STATE_FORWARDING);
	reset_rx();
}

static void topo_down(struct topo *t)
{
	for (int i = 0; i <= NPORTS; i++)
		if (pts[i].func)
			dev_remove_pack(&pts[i]);
	memset(pts, 0, sizeof(pts));
	if (t->br)
		unregister_netdev(t->br);
	for (int i = 0; i < NPORTS; i++)
		if (t->a[i])
			unregister_netdev(t->a[i]); /* takes b[i] with it */
}

/* ---- learning and forwarding ---- */

TEST(r_rx_4_bridge_ports_have_the_rx_handler_and_flags)
{
	struct topo t;

	topo_up(&t);
	for (int i = 0; i < NPORTS; i++) {
		ASSERT_NOT_NULL(t.b[i]->rx_handler);
		ASSERT_TRUE(netif_is_bridge_port(t.b[i]));
		ASSERT_PTR_EQ(master_of(t.b[i]), t.br);
		ASSERT_EQ(t.b[i]->promiscuity, 1);
		/* The rx_handler slot is taken: a second handler gets -EBUSY (R-RX-4). */
		rtnl_lock();
		ASSERT_EQ(netdev_rx_handler_register(t.b[i], t.b[i]->rx_handler, NULL), -EBUSY);
		rtnl_unlock();
	}
	ASSERT_TRUE(netif_is_bridge_master(t.br));
	ASSERT_TRUE(netif_carrier_ok(t.br));
	/* Unless set, the bridge's address is the lowest of its ports' (br_stp_if.c). */
	for (int i = 0; i < NPORTS; i++)
		ASSERT_LE(memcmp(t.br->dev_addr, t.b[i]->dev_addr, ETH_ALEN), 0);
	topo_down(&t);
}

TEST(bridge_learns_and_forwards_to_the_learned_port_only)
{
	struct topo t;

	topo_up(&t);
	/* a0 -> a1, a1 unknown: flooded to a1 and a2, a0's address learned on b0. */
	send_from(t.a[0], t.a[1]->dev_addr);
	ASSERT_EQ(wait_rx(1, 1), 1);
	ASSERT_EQ(wait_rx(2, 1), 1);
	ASSERT_EQ(rx(0), 0);
	ASSERT_EQ(rx(NPORTS), 0); /* not for the bridge: no local delivery */
	ASSERT_EQ(fdb_port(t.br, t.a[0]->dev_addr), t.b[0]->ifindex);
	/* a1 -> a0: known, forwarded to b0 only; a1 learned on b1. */
	send_from(t.a[1], t.a[0]->dev_addr);
	ASSERT_EQ(wait_rx(0, 1), 1);
	ASSERT_EQ(fdb_port(t.br, t.a[1]->dev_addr), t.b[1]->ifindex);
	/* a0 -> a1 again: now b1 only. */
	send_from(t.a[0], t.a[1]->dev_addr);
	ASSERT_EQ(wait_rx(1, 2), 2);
	usleep(10000);
	ASSERT_EQ(rx(2), 1);
	ASSERT_EQ(rx(0), 1);
	ASSERT_UEQ(br_stats(t.br).learned, 2);
	ASSERT_UEQ(br_stats(t.br).flooded, 1);
	ASSERT_UEQ(br_stats(t.br).forwarded, 2);
	/* Port counters: b0 received 2 and sent 1; b2 sent the one flood copy. */
	ASSERT_UEQ(stats(t.b[0]).rx_packets, 2);
	ASSERT_UEQ(stats(t.b[0]).tx_packets, 1);
	ASSERT_UEQ(stats(t.b[2]).tx_packets, 1);
	ASSERT_EQ(skb_live_count(), 0);
	topo_down(&t);
}

TEST(bridge_a_station_that_moves_is_relearned)
{
	struct topo t;

	topo_up(&t);
	send_from(t.a[0], bcast);
	ASSERT_EQ(fdb_port(t.br, t.a[0]->dev_addr), t.b[0]->ifindex);
	/* The same source address now arrives on b2. */
	ASSERT_EQ(dev_queue_xmit(frame(t.a[2], t.a[0]->dev_addr, bcast, 46)), 0);
	ASSERT_EQ(wait_rx(1, 2), 2);
	ASSERT_EQ(fdb_port(t.br, t.a[0]->dev_addr), t.b[2]->ifindex);
	ASSERT_UEQ(br_stats(t.br).learned, 1);
	topo_down(&t);
}

TEST(bridge_destination_on_the_source_port_is_dropped)
{
	struct topo t;

	topo_up(&t);
	send_from(t.a[0], bcast);
	ASSERT_EQ(wait_rx(2, 1), 1);
	/* a frame from b0's side to an address learned on b0: not sent back. */
	ASSERT_EQ(dev_queue_xmit(frame(t.a[0], nobody, t.a[0]->dev_addr, 46)), 0);
	ASSERT_UEQ(br_stats(t.br).dropped, 1);
	ASSERT_EQ(rx(0), 0);
	ASSERT_EQ(rx(1), 1);
	ASSERT_EQ(skb_live_count(), 0);
	topo_down(&t);
}

TEST(bridge_floods_broadcast_and_multicast_and_delivers_them_locally)
{
	struct topo t;

	topo_up(&t);
	send_from(t.a[0], bcast);
	ASSERT_EQ(wait_rx(1, 1), 1);
	ASSERT_EQ(wait_rx(2, 1), 1);
	ASSERT_EQ(wait_rx(NPORTS, 1), 1);
	ASSERT_EQ(rx_pkt_type[NPORTS], PACKET_BROADCAST);
	send_from(t.a[1], mcast);
	ASSERT_EQ(wait_rx(0, 1), 1);
	ASSERT_EQ(wait_rx(2, 2), 2);
	ASSERT_EQ(wait_rx(NPORTS, 2), 2);
	ASSERT_EQ(rx_pkt_type[NPORTS], PACKET_MULTICAST);
	ASSERT_EQ(rx(1), 1); /* never back to the sender */
	ASSERT_UEQ(br_stats(t.br).local_in, 2);
	ASSERT_UEQ(stats(t.br).rx_packets, 2);
	ASSERT_UEQ(stats(t.br).rx_bytes, 2 * (ETH_HLEN + 46));
	topo_down(&t);
}

TEST(bridge_frames_for_its_own_address_go_up_not_out)
{
	struct topo t;

	topo_up(&t);
	send_from(t.a[2], t.br->dev_addr);
	ASSERT_EQ(wait_rx(NPORTS, 1), 1);
	ASSERT_EQ(rx_pkt_type[NPORTS], PACKET_HOST);
	usleep(10000);
	ASSERT_EQ(rx(0) + rx(1) + rx(2), 0);
	ASSERT_UEQ(br_stats(t.br).local_in, 1);
	topo_down(&t);
}

TEST(bridge_xmit_floods_unknown_and_forwards_known)
{
	struct topo t;

	topo_up(&t);
	ASSERT_EQ(dev_queue_xmit(frame(t.br, t.br->dev_addr, t.a[1]->dev_addr, 46)), 0);
	for (int i = 0; i < NPORTS; i++)
		ASSERT_EQ(wait_rx(i, 1), 1); /* unknown: every port */
	send_from(t.a[1], t.br->dev_addr);   /* a1 is now known on b1 */
	ASSERT_EQ(dev_queue_xmit(frame(t.br, t.br->dev_addr, t.a[1]->dev_addr, 46)), 0);
	ASSERT_EQ(wait_rx(1, 2), 2);
	usleep(10000);
	ASSERT_EQ(rx(0), 1);
	ASSERT_EQ(rx(2), 1);
	ASSERT_UEQ(stats(t.br).tx_packets, 2);
	ASSERT_UEQ(stats(t.br).tx_bytes, 2 * (ETH_HLEN + 46));
	topo_down(&t);
}

TEST(bridge_drops_invalid_source_addresses)
{
	struct topo t;

	topo_up(&t);
	ASSERT_EQ(dev_queue_xmit(frame(t.a[0], bcast, t.a[1]->dev_addr, 46)), 0);
	ASSERT_UEQ(br_stats(t.br).dropped, 1);
	ASSERT_EQ(rx(1) + rx(2), 0);
	ASSERT_EQ(fdb_port(t.br, bcast), 0);
	ASSERT_EQ(skb_live_count(), 0);
	topo_down(&t);
}

/* ---- the forwarding database ---- */

TEST(bridge_fdb_has_permanent_local_entries)
{
	struct unetdev_br_fdb_info fi;
	struct topo t;

	topo_up(&t);
	for (int i = 0; i < NPORTS; i++) {
		ASSERT_EQ(unetdev_br_fdb_lookup(t.br, t.b[i]->dev_addr, 0, &fi), 0);
		ASSERT_TRUE(fi.is_local);
		ASSERT_TRUE(fi.is_static);
		ASSERT_EQ(fi.ifindex, t.b[i]->ifindex);
	}
	ASSERT_EQ(unetdev_br_fdb_lookup(t.br, t.br->dev_addr, 0, &fi), 0);
	ASSERT_TRUE(fi.is_local);
	/* The bridge took a port's address: the entry stays with that port. */
	ASSERT_EQ(fdb_size(t.br), NPORTS);
	ASSERT_EQ(unetdev_br_get_ageing_time(t.br), BR_DEFAULT_AGEING_TIME_SEC * USER_HZ);
	topo_down(&t);
}

TEST(bridge_fdb_ages_out_after_the_ageing_time)
{
	struct unetdev_br_fdb_info fi;
	unsigned long ageing;
	struct topo t;

	unetdev_clock_set_manual(true);
	topo_up(&t);
	ageing = (unsigned long)BR_DEFAULT_AGEING_TIME_SEC * HZ;
	send_from(t.a[0], bcast);
	ASSERT_EQ(fdb_port(t.br, t.a[0]->dev_addr), t.b[0]->ifindex);
	ASSERT_EQ(fdb_size(t.br), NPORTS + 1);
	unetdev_clock_advance(ageing - 1);
	ASSERT_EQ(unetdev_br_fdb_lookup(t.br, t.a[0]->dev_addr, 0, &fi), 0);
	ASSERT_FALSE(fi.is_local);
	ASSERT_UEQ(fi.updated, ageing - 1);
	unetdev_clock_advance(1);
	ASSERT_EQ(fdb_port(t.br, t.a[0]->dev_addr), 0);
	ASSERT_EQ(fdb_size(t.br), NPORTS); /* collected by the timer, local entries kept */
	ASSERT_UEQ(br_stats(t.br).aged, 1);
	/* Unknown again: flooded. */
	reset_rx();
	send_from(t.a[1], t.a[0]->dev_addr);
	ASSERT_EQ(wait_rx(0, 1), 1);
	ASSERT_EQ(wait_rx(2, 1), 1);
	topo_down(&t);
}

TEST(bridge_fdb_ageing_time_is_settable_and_refreshed_by_traffic)
{
	struct topo t;

	unetdev_clock_set_manual(true);
	topo_up(&t);
	rtnl_lock();
	ASSERT_EQ(unetdev_br_set_ageing_time(t.br, 10 * USER_HZ), 0);
	ASSERT_EQ(unetdev_br_set_ageing_time(t.a[0], 10 * USER_HZ), -EINVAL);
	rtnl_unlock();
	ASSERT_EQ(unetdev_br_get_ageing_time(t.br), 10 * USER_HZ);
	send_from(t.a[0], bcast);
	unetdev_clock_advance(6 * HZ);
	send_from(t.a[0], bcast); /* refreshes "updated" */
	unetdev_clock_advance(6 * HZ);
	ASSERT_EQ(fdb_port(t.br, t.a[0]->dev_addr), t.b[0]->ifindex);
	unetdev_clock_advance(4 * HZ);
	ASSERT_EQ(fdb_port(t.br, t.a[0]->dev_addr), 0);
	ASSERT_UEQ(br_stats(t.br).aged, 1);
	topo_down(&t);
}

/* ---- port state ---- */

TEST(bridge_port_down_stops_forwarding)
{
	struct topo t;

	topo_up(&t);
	send_from(t.a[2], bcast); /* a2 learned on b2 */
	ASSERT_EQ(fdb_port(t.br, t.a[2]->dev_addr), t.b[2]->ifindex);
	close_dev(t.b[2]);
	ASSERT_EQ(port_state(t.b[2]), BR_STATE_DISABLED);
	ASSERT_EQ(fdb_port(t.br, t.a[2]->dev_addr), 0); /* learned entries flushed */
	reset_rx();
	send_from(t.a[0], bcast);
	ASSERT_EQ(wait_rx(1, 1), 1);
	usleep(10000);
	ASSERT_EQ(rx(2), 0);
	open_dev(t.b[2]);
	linkwatch_run_queue();
	ASSERT_EQ(port_state(t.b[2]), BR_STATE_FORWARDING);
	send_from(t.a[0], bcast);
	ASSERT_EQ(wait_rx(2, 1), 1);
	topo_down(&t);
}

TEST(bridge_port_without_carrier_stops_forwarding)
{
	struct topo t;

	topo_up(&t);
	close_dev(t.a[1]); /* b1's peer down: b1 loses its carrier (NETDEV_CHANGE) */
	ASSERT_FALSE(netif_carrier_ok(t.b[1]));
	ASSERT_EQ(port_state(t.b[1]), BR_STATE_DISABLED);
	send_from(t.a[0], bcast);
	ASSERT_EQ(wait_rx(2, 1), 1);
	ASSERT_UEQ(stats(t.b[1]).tx_packets, 0);
	ASSERT_UEQ(stats(t.b[1]).tx_dropped, 0); /* never tried: not a forwarding port */
	topo_down(&t);
}

TEST(bridge_carrier_follows_its_forwarding_ports)
{
	struct topo t;

	topo_up(&t);
	ASSERT_TRUE(netif_carrier_ok(t.br));
	for (int i = 0; i < NPORTS; i++)
		close_dev(t.b[i]);
	ASSERT_FALSE(netif_carrier_ok(t.br));
	open_dev(t.b[0]);
	linkwatch_run_queue();
	ASSERT_TRUE(netif_carrier_ok(t.br));
	close_dev(t.br);
	ASSERT_EQ(port_state(t.b[0]), BR_STATE_DISABLED); /* the bridge is down */
	topo_down(&t);
}

/* ---- unregistering with traffic ---- */

static volatile int sender_stop;

static void *sender(void *arg)
{
	struct net_device *a = arg;

	while (!__atomic_load_n(&sender_stop, __ATOMIC_RELAXED))
		dev_queue_xmit(frame(a, a->dev_addr, bcast, 46));
	return NULL;
}

static void wait_traffic(int slot, int atleast)
{
	ASSERT_GE(wait_rx(slot, atleast), atleast);
}

static int port_cb(const struct unetdev_br_fdb_info *fi, void *arg)
{
	int *want = arg;

	if (fi->ifindex == want[0])
		want[1]++;
	return 0;
}

/* Entries whose port is @ifindex. */
static int fdb_count_port(struct net_device *br, int ifindex)
{
	int want[2] = {ifindex, 0};
	unsigned int idx = 0;

	rtnl_lock();
	ASSERT_EQ(unetdev_br_fdb_dump(br, br, &idx, port_cb, want), 0);
	rtnl_unlock();
	return want[1];
}

TEST(bridge_unregistering_a_port_under_traffic_releases_it)
{
	struct topo t;
	pthread_t th;
	int b2_index;

	topo_up(&t);
	b2_index = t.b[2]->ifindex;
	sender_stop = 0;
	ASSERT_EQ(pthread_create(&th, NULL, sender, t.a[0]), 0);
	wait_traffic(2, 10);
	dev_remove_pack(&pts[2]);
	pts[2].func = NULL;
	unregister_netdev(t.a[2]); /* and b2, a port: NETDEV_UNREGISTER -> br_del_if */
	t.a[2] = t.b[2] = NULL;
	reset_rx();
	wait_traffic(1, 10); /* the other port still gets the flood */
	__atomic_store_n(&sender_stop, 1, __ATOMIC_RELAXED);
	ASSERT_EQ(pthread_join(th, NULL), 0);
	/* b0 and b1's local entries and a0 learned; nothing left pointing at b2. */
	ASSERT_EQ(fdb_size(t.br), 3);
	ASSERT_EQ(fdb_count_port(t.br, b2_index), 0);
	ASSERT_NULL(dev_get_by_name(&init_net, "b2"));
	topo_down(&t);
}

TEST(bridge_unregistering_the_bridge_under_traffic_releases_every_port)
{
	struct topo t;
	pthread_t th;

	topo_up(&t);
	sender_stop = 0;
	ASSERT_EQ(pthread_create(&th, NULL, sender, t.a[0]), 0);
	wait_traffic(1, 10);
	dev_remove_pack(&pts[NPORTS]);
	pts[NPORTS].func = NULL;
	unregister_netdev(t.br);
	t.br = NULL;
	__atomic_store_n(&sender_stop, 1, __ATOMIC_RELAXED);
	ASSERT_EQ(pthread_join(th, NULL), 0);
	for (int i = 0; i < NPORTS; i++) {
		ASSERT_NULL(master_of(t.b[i]));
		ASSERT_NULL(t.b[i]->rx_handler);
		ASSERT_FALSE(netif_is_bridge_port(t.b[i]));
		ASSERT_EQ(t.b[i]->promiscuity, 0);
		ASSERT_TRUE(list_empty(&t.b[i]->adj_list.upper));
	}
	/* Without the handler, b1 delivers to nobody: counted as rx_dropped (R-RX-7). */
	reset_rx();
	send_from(t.a[0], bcast);
	ASSERT_EQ(rx(1), 0);
	topo_down(&t);
}

/* ---- enslaving: the kernel's errors ---- */

static int upper_events, upper_linking;

static int upper_cb(struct notifier_block *nb, unsigned long ev, void *ptr)
{
	const struct netdev_notifier_changeupper_info *info = ptr;

	if (ev == NETDEV_CHANGEUPPER) {
		upper_events++;
		upper_linking = info->linking && info->master;
	}
	return NOTIFY_DONE;
}

TEST(bridge_enslaving_errors_are_the_kernels)
{
	struct notifier_block nb = {.notifier_call = upper_cb};
	struct netlink_ext_ack extack = {0};
	struct net_device *br0, *br1, *a, *b, *lo, *null;

	ASSERT_EQ(unetdev_bridge_create(NULL, "br0", &br0), 0);
	ASSERT_EQ(unetdev_bridge_create(NULL, "br1", &br1), 0);
	ASSERT_EQ(unetdev_veth_create(NULL, "va", "vb", &a, &b), 0);
	ASSERT_EQ(unetdev_loopback_create(NULL, &lo), 0);
	ASSERT_EQ(unetdev_null_create(NULL, "null0", NULL, &null), 0);
	ASSERT_EQ(register_netdevice_notifier(&nb), 0);

	/* A bridge into a bridge, itself included: -ELOOP and the kernel's message. */
	ASSERT_EQ(set_master(br0, br0, &extack), -ELOOP);
	ASSERT_STR_EQ(extack._msg, "Can not enslave a bridge to a bridge");
	ASSERT_EQ(set_master(br1, br0, NULL), -ELOOP);
	/* Not Ethernet-like: -EINVAL. */
	ASSERT_EQ(set_master(lo, br0, NULL), -EINVAL);
	/* Not a master: -EOPNOTSUPP; no such master: -EINVAL (do_set_master). */
	ASSERT_EQ(set_master(a, null, NULL), -EOPNOTSUPP);
	rtnl_lock();
	ASSERT_EQ(unetdev_dev_set_master(a, 9999, NULL), -EINVAL);
	rtnl_unlock();

	upper_events = 0;
	ASSERT_EQ(set_master(a, br0, NULL), 0);
	ASSERT_EQ(upper_events, 1);
	ASSERT_EQ(upper_linking, 1);
	/* A second master while the first holds it: -EBUSY from the link and from br_add_if. */
	rtnl_lock();
	ASSERT_EQ(netdev_master_upper_dev_link(a, br1, NULL, NULL, NULL), -EBUSY);
	ASSERT_EQ(netdev_master_upper_dev_link(a, br0, NULL, NULL, NULL), -EEXIST);
	ASSERT_EQ(br1->netdev_ops->ndo_add_slave(br1, a, NULL), -EBUSY);
	/* del_slave of a device that is not its port. */
	ASSERT_EQ(br1->netdev_ops->ndo_del_slave(br1, a), -EINVAL);
	rtnl_unlock();
	/* do_set_master moves it: released from br0, then added to br1. */
	upper_events = 0;
	ASSERT_EQ(set_master(a, br1, NULL), 0);
	ASSERT_PTR_EQ(master_of(a), br1);
	ASSERT_EQ(upper_events, 2);
	ASSERT_EQ(set_master(a, br1, NULL), 0); /* same master: nothing to do */
	ASSERT_EQ(upper_events, 2);
	/* nomaster */
	ASSERT_EQ(set_master(a, NULL, NULL), 0);
	ASSERT_NULL(master_of(a));
	ASSERT_EQ(upper_linking, 0);
	ASSERT_FALSE(netif_is_bridge_port(a));

	ASSERT_EQ(unregister_netdevice_notifier(&nb), 0);
	unregister_netdev(a);
	unregister_netdev(null);
	unregister_netdev(lo);
	unregister_netdev(br1);
	unregister_netdev(br0);
}

/* ---- upper links (dev_upper.c) ---- */

TEST(r_k_21_upper_links_refuse_loops_duplicates_and_deep_stacks)
{
	struct net_device *d[MAX_NEST_DEV + 1];
	char name[IFNAMSIZ];

	for (int i = 0; i <= MAX_NEST_DEV; i++) {
		snprintf(name, sizeof(name), "n%d", i);
		ASSERT_EQ(unetdev_null_create(NULL, name, NULL, &d[i]), 0);
	}
	rtnl_lock();
	ASSERT_EQ(netdev_upper_dev_link(d[0], d[0], NULL), -EBUSY);
	for (int i = 0; i + 1 < MAX_NEST_DEV; i++)
		ASSERT_EQ(netdev_upper_dev_link(d[i], d[i + 1], NULL), 0);
	ASSERT_EQ(netdev_upper_dev_link(d[0], d[1], NULL), -EEXIST);
	ASSERT_EQ(netdev_upper_dev_link(d[3], d[0], NULL), -EBUSY); /* a loop */
	/* Eight levels are the limit: a ninth device on top is refused. */
	ASSERT_EQ(netdev_upper_dev_link(d[MAX_NEST_DEV - 1], d[MAX_NEST_DEV], NULL), -EMLINK);
	ASSERT_TRUE(netdev_has_upper_dev(d[0], d[MAX_NEST_DEV - 1]));
	ASSERT_NULL(netdev_master_upper_dev_get(d[0])); /* none of these is a master */
	for (int i = 0; i + 1 < MAX_NEST_DEV; i++)
		netdev_upper_dev_unlink(d[i], d[i + 1]);
	ASSERT_FALSE(netdev_has_any_upper_dev(d[0]));
	rtnl_unlock();
	for (int i = 0; i <= MAX_NEST_DEV; i++)
		unregister_netdev(d[i]);
}

TEST(bridge_create_rejects_bad_names)
{
	struct net_device *br = NULL;

	ASSERT_EQ(unetdev_bridge_create(NULL, "0123456789abcdefg", &br), -EINVAL);
	ASSERT_NULL(br);
	ASSERT_EQ(unetdev_bridge_create(NULL, NULL, &br), 0);
	ASSERT_STR_EQ(br->name, "br0");
	ASSERT_EQ(unetdev_bridge_create(NULL, "br0", NULL), -EEXIST);
	unregister_netdev(br);
}
