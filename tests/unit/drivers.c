// SPDX-License-Identifier: MIT
/*
 * Unit: the built-in drivers (src/drivers): null counts and frees, a veth
 * pair delivers A -> B (protocol handler, rx_handler), carrier needs both
 * ends up, loopback returns what it sends, the test driver records the
 * context of its callbacks.
 */
#include <arpa/inet.h>
#include <unetdev/unetdev.h>

#include "harness.h"

static const unsigned char bcast[ETH_ALEN] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff};

/* An Ethernet frame of @payload bytes from @dev to @dst, ready for dev_queue_xmit. */
static struct sk_buff *frame(struct net_device *dev, const unsigned char *dst, unsigned int payload)
{
	struct sk_buff *skb = netdev_alloc_skb(dev, ETH_HLEN + payload);
	struct ethhdr *eth;

	ASSERT_NOT_NULL(skb);
	eth = skb_put(skb, ETH_HLEN);
	memcpy(eth->h_dest, dst, ETH_ALEN);
	memcpy(eth->h_source, dev->dev_addr, ETH_ALEN);
	eth->h_proto = htons(ETH_P_IP);
	memset(skb_put(skb, payload), 0x5a, payload);
	return skb;
}

static void up(struct net_device *dev)
{
	rtnl_lock();
	ASSERT_EQ(dev_open(dev, NULL), 0);
	rtnl_unlock();
}

static void down(struct net_device *dev)
{
	rtnl_lock();
	dev_close(dev);
	rtnl_unlock();
}

static struct rtnl_link_stats64 stats(struct net_device *dev)
{
	struct rtnl_link_stats64 s;

	memset(&s, 0, sizeof(s));
	dev_get_stats(dev, &s);
	return s;
}

/* ---- a protocol handler that counts what it gets ---- */

static int got;
static struct net_device *got_dev, *got_orig;
static unsigned int got_len;
static unsigned char got_type;

static int count_rcv(struct sk_buff *skb, struct net_device *dev, struct packet_type *pt,
		     struct net_device *orig_dev)
{
	got++;
	got_dev = dev;
	got_orig = orig_dev;
	got_len = skb->len;
	got_type = skb->pkt_type;
	consume_skb(skb);
	return NET_RX_SUCCESS;
}

static void reset_got(void)
{
	got = 0;
	got_dev = got_orig = NULL;
	got_len = 0;
	got_type = 0xff;
}

TEST(null_counts_and_frees)
{
	struct net_device *dev = NULL;

	ASSERT_EQ(unetdev_null_create(&init_net, "null%d", NULL, &dev), 0);
	ASSERT_STR_EQ(dev->name, "null0");
	up(dev);
	for (int i = 0; i < 3; i++)
		ASSERT_EQ(dev_queue_xmit(frame(dev, bcast, 100)), NET_XMIT_SUCCESS);
	ASSERT_EQ(stats(dev).tx_packets, 3);
	ASSERT_EQ(stats(dev).tx_bytes, 3 * (ETH_HLEN + 100));
	ASSERT_EQ(skb_live_count(), 0);
	unregister_netdev(dev); /* needs_free_netdev: freed here */
}

TEST(null_lltx_and_queues)
{
	struct unetdev_null_config cfg = {.sz = sizeof(cfg), .txqs = 4, .rxqs = 2, .lltx = true};
	struct net_device *dev = NULL;

	ASSERT_EQ(unetdev_null_create(NULL, NULL, &cfg, &dev), 0);
	ASSERT_EQ(dev->num_tx_queues, 4);
	ASSERT_EQ(dev->num_rx_queues, 2);
	ASSERT_TRUE(dev->lltx);
	up(dev);
	for (u32 h = 0; h < 8; h++) {
		struct sk_buff *skb = frame(dev, bcast, 10);

		skb->hash = h * 0x20000000u;
		ASSERT_EQ(dev_queue_xmit(skb), 0);
	}
	ASSERT_EQ(stats(dev).tx_packets, 8);
	unregister_netdev(dev);
}

TEST(null_down_drops_with_tx_dropped)
{
	struct net_device *dev = NULL;

	ASSERT_EQ(unetdev_null_create(NULL, "nulldown", NULL, &dev), 0);
	ASSERT_EQ(dev_queue_xmit(frame(dev, bcast, 10)), -ENETDOWN);
	ASSERT_EQ(stats(dev).tx_dropped, 1);
	ASSERT_EQ(stats(dev).tx_packets, 0);
	ASSERT_EQ(skb_live_count(), 0);
	unregister_netdev(dev);
}

TEST(null_create_bad_name)
{
	struct net_device *dev = NULL;

	ASSERT_EQ(unetdev_null_create(NULL, "a/b", NULL, &dev), -EINVAL);
	ASSERT_EQ(unetdev_null_create(NULL, "0123456789abcdefg", NULL, &dev), -EINVAL);
	ASSERT_NULL(dev);
}

TEST(veth_a_to_b_protocol_handler)
{
	struct packet_type pt = {.type = htons(ETH_P_IP), .func = count_rcv};
	struct net_device *a = NULL, *b = NULL;

	ASSERT_EQ(unetdev_veth_create(NULL, "va", "vb", &a, &b), 0);
	ASSERT_PTR_EQ(unetdev_veth_peer(a), b);
	ASSERT_PTR_EQ(unetdev_veth_peer(b), a);
	pt.dev = b;
	dev_add_pack(&pt);
	up(a);
	up(b);
	reset_got();
	ASSERT_EQ(dev_queue_xmit(frame(a, b->dev_addr, 50)), 0);
	ASSERT_EQ(got, 1);
	ASSERT_PTR_EQ(got_dev, b);
	ASSERT_PTR_EQ(got_orig, b);
	ASSERT_EQ(got_len, 50); /* eth_type_trans pulled the header */
	ASSERT_EQ(got_type, PACKET_HOST);
	ASSERT_EQ(stats(a).tx_packets, 1);
	ASSERT_EQ(stats(b).rx_packets, 1);
	ASSERT_EQ(stats(b).rx_bytes, ETH_HLEN + 50);
	dev_remove_pack(&pt);
	unregister_netdev(a); /* takes b with it (veth dellink) */
	ASSERT_NULL(dev_get_by_name(&init_net, "vb"));
}

static int rxh_calls;

static rx_handler_result_t consume_handler(struct sk_buff **pskb)
{
	rxh_calls++;
	consume_skb(*pskb);
	return RX_HANDLER_CONSUMED;
}

TEST(veth_a_to_b_rx_handler)
{
	struct net_device *a = NULL, *b = NULL;

	ASSERT_EQ(unetdev_veth_create(NULL, NULL, NULL, &a, &b), 0);
	up(a);
	up(b);
	rtnl_lock();
	ASSERT_EQ(netdev_rx_handler_register(b, consume_handler, NULL), 0);
	rtnl_unlock();
	rxh_calls = 0;
	ASSERT_EQ(dev_queue_xmit(frame(a, bcast, 20)), 0);
	ASSERT_EQ(dev_queue_xmit(frame(a, bcast, 20)), 0);
	ASSERT_EQ(rxh_calls, 2);
	ASSERT_EQ(stats(b).rx_dropped, 0);
	rtnl_lock();
	netdev_rx_handler_unregister(b);
	rtnl_unlock();
	/* Nobody wants it now: rx_dropped on b (R-RX-7). */
	ASSERT_EQ(dev_queue_xmit(frame(a, bcast, 20)), 0);
	ASSERT_EQ(rxh_calls, 2);
	ASSERT_EQ(stats(b).rx_dropped, 1);
	unregister_netdev(b);
}

TEST(veth_carrier_needs_both_ends_up)
{
	struct net_device *a = NULL, *b = NULL;

	ASSERT_EQ(unetdev_veth_create(NULL, NULL, NULL, &a, &b), 0);
	ASSERT_FALSE(netif_carrier_ok(a));
	ASSERT_FALSE(netif_carrier_ok(b));
	up(a);
	ASSERT_FALSE(netif_carrier_ok(a));
	up(b);
	ASSERT_TRUE(netif_carrier_ok(a));
	ASSERT_TRUE(netif_carrier_ok(b));
	down(a);
	ASSERT_FALSE(netif_carrier_ok(a));
	ASSERT_FALSE(netif_carrier_ok(b));
	ASSERT_EQ(dev_get_iflink(a), b->ifindex);
	ASSERT_EQ(dev_get_iflink(b), a->ifindex);
	unregister_netdev(a);
}

TEST(veth_peer_down_counts_drops)
{
	struct net_device *a = NULL, *b = NULL;

	ASSERT_EQ(unetdev_veth_create(NULL, NULL, NULL, &a, &b), 0);
	up(a);
	ASSERT_EQ(dev_queue_xmit(frame(a, bcast, 20)), 0); /* consumed by the driver */
	ASSERT_EQ(stats(a).tx_dropped, 1);
	ASSERT_EQ(stats(a).tx_packets, 0);
	ASSERT_EQ(stats(b).rx_dropped, 1); /* not forwardable: b is down (R-MTU-13) */
	ASSERT_EQ(skb_live_count(), 0);
	unregister_netdev(a);
}

TEST(veth_unregister_both_in_one_batch)
{
	struct net_device *a = NULL, *b = NULL;
	LIST_HEAD(kill);

	ASSERT_EQ(unetdev_veth_create(NULL, "vx0", "vx1", &a, &b), 0);
	up(a);
	up(b);
	rtnl_lock();
	unregister_netdevice_queue(a, &kill);
	unregister_netdevice_queue(b, &kill);
	unregister_netdevice_many(&kill);
	rtnl_unlock();
	ASSERT_NULL(dev_get_by_name(&init_net, "vx0"));
	ASSERT_NULL(dev_get_by_name(&init_net, "vx1"));
}

TEST(veth_create_name_clash_cleans_up)
{
	struct net_device *a = NULL, *b = NULL, *c = NULL, *d = NULL;

	ASSERT_EQ(unetdev_veth_create(NULL, "vc0", "vc1", &a, &b), 0);
	ASSERT_EQ(unetdev_veth_create(NULL, "vc2", "vc1", &c, &d), -EEXIST); /* peer clash */
	ASSERT_EQ(unetdev_veth_create(NULL, "vc0", "vc3", &c, &d), -EEXIST); /* end clash */
	ASSERT_NULL(dev_get_by_name(&init_net, "vc3"));
	ASSERT_NULL(c);
	unregister_netdev(a);
}

TEST(loopback_returns_what_it_sends)
{
	struct packet_type pt = {.type = htons(ETH_P_IP), .func = count_rcv};
	struct net_device *lo = NULL;

	ASSERT_EQ(unetdev_loopback_create(NULL, &lo), 0);
	ASSERT_STR_EQ(lo->name, "lo");
	ASSERT_TRUE(lo->flags & IFF_LOOPBACK);
	ASSERT_EQ(lo->mtu, 65536);
	pt.dev = lo;
	dev_add_pack(&pt);
	up(lo);
	reset_got();
	ASSERT_EQ(dev_queue_xmit(frame(lo, bcast, 30)), 0);
	ASSERT_EQ(got, 1);
	ASSERT_PTR_EQ(got_dev, lo);
	/* As in the kernel: lo has no broadcast address, so ff:ff.. is multicast. */
	ASSERT_EQ(got_type, PACKET_MULTICAST);
	ASSERT_EQ(stats(lo).rx_packets, 1);
	ASSERT_EQ(stats(lo).tx_packets, 1);
	ASSERT_EQ(unetdev_loopback_create(NULL, NULL), -EEXIST);
	dev_remove_pack(&pt);
	unregister_netdev(lo);
}

TEST(testdrv_records_context)
{
	struct net_device *dev = unetdev_testdrv_alloc("td0", 2);
	const struct unetdev_testdrv_call *c;
	int destructors = unetdev_testdrv_destructor_calls();

	ASSERT_NOT_NULL(dev);
	ASSERT_EQ(register_netdev(dev), 0);
	c = unetdev_testdrv_last(dev, "ndo_init");
	ASSERT_NOT_NULL(c);
	ASSERT_TRUE(c->rtnl);
	ASSERT_FALSE(c->present);
	up(dev);
	c = unetdev_testdrv_last(dev, "ndo_open");
	ASSERT_TRUE(c->rtnl);
	ASSERT_TRUE(c->running); /* R-UP-4 */
	ASSERT_TRUE(c->in_task);
	ASSERT_EQ(dev_queue_xmit(frame(dev, bcast, 10)), 0);
	c = unetdev_testdrv_last(dev, "ndo_start_xmit");
	ASSERT_NOT_NULL(c);
	ASSERT_TRUE(c->tx_lock);
	ASSERT_TRUE(c->bh_off);
	ASSERT_FALSE(c->rtnl);
	ASSERT_EQ(unetdev_testdrv_count(dev, "ndo_start_xmit"), 1);
	down(dev);
	c = unetdev_testdrv_last(dev, "ndo_stop");
	ASSERT_FALSE(c->running);
	ASSERT_GE(unetdev_testdrv_ncalls(dev), 4);
	ASSERT_STR_EQ(unetdev_testdrv_call(dev, 0)->op, "ndo_init");
	ASSERT_NULL(unetdev_testdrv_call(dev, 1000));
	unetdev_testdrv_clear(dev);
	ASSERT_EQ(unetdev_testdrv_ncalls(dev), 0);
	ASSERT_EQ(unetdev_testdrv_count(dev, "ndo_open"), 0);
	unregister_netdev(dev);
	ASSERT_EQ(unetdev_testdrv_destructor_calls(), destructors + 1);
	free_netdev(dev);
}

TEST(testdrv_switches_select_ops)
{
	struct unetdev_testdrv_config cfg = {.no_change_mtu = true,
					     .no_set_mac = true,
					     .no_get_stats = true,
					     .carrier_off_at_init = true};
	struct net_device *dev = unetdev_testdrv_alloc(NULL, 1);

	unetdev_testdrv_configure(dev, &cfg);
	ASSERT_NULL(dev->netdev_ops->ndo_change_mtu);
	ASSERT_NULL(dev->netdev_ops->ndo_set_mac_address);
	ASSERT_NULL(dev->netdev_ops->ndo_get_stats64);
	ASSERT_NULL(dev->netdev_ops->ndo_get_stats);
	ASSERT_EQ(register_netdev(dev), 0);
	ASSERT_FALSE(netif_carrier_ok(dev));
	rtnl_lock();
	ASSERT_EQ(dev_set_mtu(dev, 1400), 0);
	rtnl_unlock();
	ASSERT_EQ(dev->mtu, 1400);
	ASSERT_EQ(unetdev_testdrv_count(dev, "ndo_change_mtu"), 0);
	cfg = (struct unetdev_testdrv_config){.mtu_ignore = true, .no_get_stats64 = true};
	unetdev_testdrv_configure(dev, &cfg);
	ASSERT_NOT_NULL(dev->netdev_ops->ndo_get_stats);
	rtnl_lock();
	ASSERT_EQ(dev_set_mtu(dev, 1300), 0);
	rtnl_unlock();
	ASSERT_EQ(dev->mtu, 1400); /* the driver ignored it */
	ASSERT_EQ(unetdev_testdrv_last(dev, "ndo_change_mtu")->arg, 1300);
	unregister_netdev(dev);
	free_netdev(dev);
}
