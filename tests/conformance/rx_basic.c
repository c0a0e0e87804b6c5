// SPDX-License-Identifier: MIT
/*
 * Conformance: receive dispatch (R-RX-3, R-RX-4, R-RX-7, R-RX-8, R-RX-9),
 * netif_rx on a stopped device (R-BL-2) and transmit taps (R-TX-12).
 * Packets enter through netif_receive_skb()/netif_rx() on null devices.
 */
#include <arpa/inet.h>
#include <unetdev/unetdev.h>

#include "harness.h"
#include "netdev_util.h"

#define MAX_LOG 16
static char order[MAX_LOG][16];
static int users_seen[MAX_LOG];
static struct net_device *dev_seen[MAX_LOG], *orig_seen[MAX_LOG];
static unsigned char type_seen[MAX_LOG];
static int nlog;

static void log_call(const char *who, struct sk_buff *skb, struct net_device *orig)
{
	if (nlog >= MAX_LOG)
		return;
	snprintf(order[nlog], sizeof(order[0]), "%s", who);
	users_seen[nlog] = skb->users;
	dev_seen[nlog] = skb->dev;
	orig_seen[nlog] = orig;
	type_seen[nlog] = skb->pkt_type;
	nlog++;
}

static int tap_rcv(struct sk_buff *skb, struct net_device *dev, struct packet_type *pt,
		   struct net_device *orig)
{
	log_call("tap", skb, orig);
	kfree_skb(skb);
	return NET_RX_SUCCESS;
}

static int ip_rcv(struct sk_buff *skb, struct net_device *dev, struct packet_type *pt,
		  struct net_device *orig)
{
	log_call(pt->dev ? "ip_dev" : "ip_any", skb, orig);
	consume_skb(skb);
	return NET_RX_SUCCESS;
}

static rx_handler_result_t rxh_result;
static struct net_device *rxh_redirect;

static rx_handler_result_t rxh(struct sk_buff **pskb)
{
	log_call("rx_handler", *pskb, NULL);
	if (rxh_result == RX_HANDLER_CONSUMED)
		consume_skb(*pskb);
	if (rxh_result == RX_HANDLER_ANOTHER) {
		(*pskb)->dev = rxh_redirect;
		rxh_redirect = NULL;
		return RX_HANDLER_ANOTHER;
	}
	return rxh_result;
}

static struct net_device *mkdev(const char *name)
{
	struct net_device *dev = tu_null_up(name);

	nlog = 0;
	return dev;
}

/* A received IPv4 frame: header pulled, protocol set, skb->dev = @dev. */
static struct sk_buff *rx_frame(struct net_device *dev, __be16 proto)
{
	struct sk_buff *skb = netdev_alloc_skb(dev, 64);
	struct ethhdr *eth = skb_put(skb, ETH_HLEN);

	memcpy(eth->h_dest, dev->dev_addr, ETH_ALEN);
	memset(eth->h_source, 0x02, ETH_ALEN);
	eth->h_proto = proto;
	memset(skb_put(skb, 46), 0, 46);
	skb->protocol = eth_type_trans(skb, dev);
	return skb;
}

static void set_rx_handler(struct net_device *dev, rx_handler_result_t r)
{
	rxh_result = r;
	rtnl_lock();
	ASSERT_EQ(netdev_rx_handler_register(dev, rxh, NULL), 0);
	rtnl_unlock();
}

static void clear_rx_handler(struct net_device *dev)
{
	rtnl_lock();
	netdev_rx_handler_unregister(dev);
	rtnl_unlock();
}

TEST(r_rx_3_taps_first_and_one_behind)
{
	struct net_device *dev = mkdev("rx0");
	struct packet_type tap = {.type = htons(ETH_P_ALL), .dev = dev, .func = tap_rcv};
	struct packet_type ip = {.type = htons(ETH_P_IP), .dev = dev, .func = ip_rcv};

	dev_add_pack(&ip);
	dev_add_pack(&tap);
	ASSERT_EQ(netif_receive_skb(rx_frame(dev, htons(ETH_P_IP))), NET_RX_SUCCESS);
	ASSERT_EQ(nlog, 2);
	ASSERT_STR_EQ(order[0], "tap");
	ASSERT_EQ(users_seen[0], 2); /* another handler follows: extra reference */
	ASSERT_STR_EQ(order[1], "ip_dev");
	ASSERT_EQ(users_seen[1], 1); /* the last one gets it without */
	dev_remove_pack(&tap);
	dev_remove_pack(&ip);
	unregister_netdev(dev);
}

TEST(r_rx_3_single_handler_not_shared)
{
	struct net_device *dev = mkdev("rx0");
	struct packet_type ip = {.type = htons(ETH_P_IP), .func = ip_rcv};

	dev_add_pack(&ip); /* global hash */
	netif_receive_skb(rx_frame(dev, htons(ETH_P_IP)));
	ASSERT_EQ(nlog, 1);
	ASSERT_STR_EQ(order[0], "ip_any");
	ASSERT_EQ(users_seen[0], 1);
	dev_remove_pack(&ip);
	unregister_netdev(dev);
}

TEST(r_rx_4_one_handler_per_device)
{
	struct net_device *dev = mkdev("rx0");

	set_rx_handler(dev, RX_HANDLER_PASS);
	rtnl_lock();
	ASSERT_EQ(netdev_rx_handler_register(dev, rxh, NULL), -EBUSY);
	netdev_rx_handler_unregister(dev);
	dev->priv_flags |= IFF_NO_RX_HANDLER;
	ASSERT_EQ(netdev_rx_handler_register(dev, rxh, NULL), -EINVAL);
	dev->priv_flags &= ~IFF_NO_RX_HANDLER;
	rtnl_unlock();
	unregister_netdev(dev);
}

TEST(r_rx_4_taps_before_handler_consumed_stops)
{
	struct net_device *dev = mkdev("rx0");
	struct packet_type tap = {.type = htons(ETH_P_ALL), .dev = dev, .func = tap_rcv};
	struct packet_type ip = {.type = htons(ETH_P_IP), .dev = dev, .func = ip_rcv};

	dev_add_pack(&tap);
	dev_add_pack(&ip);
	set_rx_handler(dev, RX_HANDLER_CONSUMED);
	ASSERT_EQ(netif_receive_skb(rx_frame(dev, htons(ETH_P_IP))), NET_RX_SUCCESS);
	ASSERT_EQ(nlog, 2);
	ASSERT_STR_EQ(order[0], "tap");
	ASSERT_STR_EQ(order[1], "rx_handler");
	clear_rx_handler(dev);
	dev_remove_pack(&ip);
	dev_remove_pack(&tap);
	unregister_netdev(dev);
}

TEST(r_rx_4_exact_skips_wildcard_handlers)
{
	struct net_device *dev = mkdev("rx0");
	struct packet_type any = {.type = htons(ETH_P_IP), .func = ip_rcv};
	struct packet_type own = {.type = htons(ETH_P_IP), .dev = dev, .func = ip_rcv};

	dev_add_pack(&any);
	dev_add_pack(&own);
	set_rx_handler(dev, RX_HANDLER_EXACT);
	netif_receive_skb(rx_frame(dev, htons(ETH_P_IP)));
	ASSERT_EQ(nlog, 2);
	ASSERT_STR_EQ(order[1], "ip_dev");
	clear_rx_handler(dev);
	nlog = 0;
	netif_receive_skb(rx_frame(dev, htons(ETH_P_IP)));
	ASSERT_EQ(nlog, 2); /* PASS-equivalent: both */
	dev_remove_pack(&own);
	dev_remove_pack(&any);
	unregister_netdev(dev);
}

TEST(r_rx_8_another_round_keeps_orig_dev)
{
	struct net_device *lower = mkdev("rxl0"), *upper = mkdev("rxu0");
	struct packet_type ip = {.type = htons(ETH_P_IP), .dev = upper, .func = ip_rcv};

	dev_add_pack(&ip);
	rxh_redirect = upper;
	set_rx_handler(lower, RX_HANDLER_ANOTHER);
	nlog = 0;
	netif_receive_skb(rx_frame(lower, htons(ETH_P_IP)));
	ASSERT_EQ(nlog, 2);
	ASSERT_STR_EQ(order[1], "ip_dev");
	ASSERT_PTR_EQ(dev_seen[1], upper);
	ASSERT_PTR_EQ(orig_seen[1], lower);
	clear_rx_handler(lower);
	dev_remove_pack(&ip);
	unregister_netdev(upper);
	unregister_netdev(lower);
}

TEST(r_rx_7_unhandled_counts_rx_dropped)
{
	struct net_device *dev = mkdev("rx0");
	unsigned long proto = skb_drop_count(SKB_DROP_REASON_UNHANDLED_PROTO);

	ASSERT_EQ(netif_receive_skb(rx_frame(dev, htons(ETH_P_ARP))), NET_RX_DROP);
	ASSERT_EQ(tu_stats(dev).rx_dropped, 1);
	ASSERT_EQ(tu_stats(dev).rx_nohandler, 0);
	ASSERT_EQ(skb_drop_count(SKB_DROP_REASON_UNHANDLED_PROTO), proto + 1);
	unregister_netdev(dev);
}

TEST(r_rx_7_exact_counts_rx_nohandler)
{
	struct net_device *dev = mkdev("rx0");
	struct packet_type any = {.type = htons(ETH_P_IP), .func = ip_rcv};

	dev_add_pack(&any);
	set_rx_handler(dev, RX_HANDLER_EXACT);
	ASSERT_EQ(netif_receive_skb(rx_frame(dev, htons(ETH_P_IP))), NET_RX_DROP);
	ASSERT_EQ(nlog, 1); /* only the rx_handler */
	ASSERT_EQ(tu_stats(dev).rx_nohandler, 1);
	ASSERT_EQ(tu_stats(dev).rx_dropped, 0);
	clear_rx_handler(dev);
	dev_remove_pack(&any);
	unregister_netdev(dev);
}

TEST(r_rx_9_unbound_tap_refused)
{
	struct packet_type tap = {.type = htons(ETH_P_ALL), .func = tap_rcv};

	expect_violations();
	dev_add_pack(&tap);
	ASSERT_EQ(unetdev_check_count("R-RX-9"), 1);
}

TEST(r_rx_9_namespace_tap_sees_every_device)
{
	struct net_device *a = mkdev("rxa0"), *b = mkdev("rxb0");
	struct packet_type tap = {
	    .type = htons(ETH_P_ALL), .af_packet_net = &init_net, .func = tap_rcv};

	dev_add_pack(&tap);
	netif_receive_skb(rx_frame(a, htons(ETH_P_ARP)));
	netif_receive_skb(rx_frame(b, htons(ETH_P_ARP)));
	ASSERT_EQ(nlog, 2);
	ASSERT_PTR_EQ(dev_seen[0], a);
	ASSERT_PTR_EQ(dev_seen[1], b);
	/* The tap took the packet: nothing counts as dropped. */
	ASSERT_EQ(tu_stats(a).rx_dropped, 0);
	dev_remove_pack(&tap);
	unregister_netdev(b);
	unregister_netdev(a);
}

TEST(r_bl_2_netif_rx_needs_running)
{
	struct net_device *dev = mkdev("rx0");
	struct packet_type ip = {.type = htons(ETH_P_IP), .func = ip_rcv};

	dev_add_pack(&ip);
	ASSERT_EQ(netif_rx(rx_frame(dev, htons(ETH_P_IP))), NET_RX_SUCCESS);
	ASSERT_EQ(nlog, 1);
	rtnl_lock();
	dev_close(dev);
	rtnl_unlock();
	ASSERT_EQ(netif_rx(rx_frame(dev, htons(ETH_P_IP))), NET_RX_DROP);
	ASSERT_EQ(nlog, 1);
	ASSERT_EQ(tu_stats(dev).rx_dropped, 1);
	dev_remove_pack(&ip);
	unregister_netdev(dev);
}

TEST(r_tx_12_taps_see_outgoing_copies)
{
	struct net_device *dev = mkdev("tx0");
	struct packet_type tap = {.type = htons(ETH_P_ALL), .dev = dev, .func = tap_rcv};
	struct packet_type quiet = {
	    .type = htons(ETH_P_ALL), .dev = dev, .func = tap_rcv, .ignore_outgoing = true};
	struct sk_buff *skb = netdev_alloc_skb(dev, 64);

	dev_add_pack(&tap);
	dev_add_pack(&quiet);
	memset(skb_put(skb, 60), 0xff, 60);
	ASSERT_EQ(dev_queue_xmit(skb), 0);
	ASSERT_EQ(nlog, 1);
	ASSERT_EQ(type_seen[0], PACKET_OUTGOING);
	ASSERT_EQ(tu_stats(dev).tx_packets, 1);
	dev_remove_pack(&quiet);
	dev_remove_pack(&tap);
	unregister_netdev(dev);
}

/* R-RX-1, R-RX-5 and the backlog: tests/conformance/rx.c and backlog.c. */
