// SPDX-License-Identifier: MIT
/*
 * minimal_app - the smallest application: create a veth pair and a null
 * device, bring them up, send packets, print the counters, tear down.
 *
 *   cc minimal_app.c $(pkg-config --cflags --libs unetdev)
 *
 * Without an engine every thread is its own "CPU": the softirq work a
 * transmit raises (here the veth peer's NAPI poll) runs on the calling
 * thread when dev_queue_xmit() re-enables bottom halves.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>
#include <unetdev/unetdev.h>

/* A 64-byte Ethernet frame from @dev to @dst. Returns a new skb or NULL. */
static struct sk_buff *make_frame(struct net_device *dev, const unsigned char *dst)
{
	struct sk_buff *skb = netdev_alloc_skb(dev, 64);
	struct ethhdr *eth;

	if (!skb)
		return NULL;
	eth = skb_put(skb, 64);
	memset(eth, 0, 64);
	memcpy(eth->h_dest, dst, ETH_ALEN);
	memcpy(eth->h_source, dev->dev_addr, ETH_ALEN);
	eth->h_proto = htons(0x88b5);
	return skb;
}

static void print_stats(struct net_device *dev)
{
	struct rtnl_link_stats64 s;

	memset(&s, 0, sizeof(s));
	dev_get_stats(dev, &s);
	printf("%-6s rx %llu pkts %llu bytes, tx %llu pkts %llu bytes, dropped rx %llu tx %llu\n",
	       dev->name, (unsigned long long)s.rx_packets, (unsigned long long)s.rx_bytes,
	       (unsigned long long)s.tx_packets, (unsigned long long)s.tx_bytes,
	       (unsigned long long)s.rx_dropped, (unsigned long long)s.tx_dropped);
}

int main(void)
{
	struct net_device *va, *vb, *null;
	int err;

	/* 1) Create: drivers register their devices (needs_free_netdev). */
	err = unetdev_veth_create(&init_net, "va", "vb", &va, &vb);
	if (!err)
		err = unetdev_null_create(&init_net, "null%d", NULL, &null);
	if (err) {
		fprintf(stderr, "create: %s\n", unetdev_strerror(err));
		return 1;
	}
	/* 2) Bring up: dev_open under rtnl, as `ip link set up`. */
	rtnl_lock();
	dev_open(va, NULL);
	dev_open(vb, NULL);
	dev_open(null, NULL);
	rtnl_unlock();
	/* veth's carrier came on when both ends were up; the qdisc is switched
	 * from noop by linkwatch, which the kernel runs shortly after. Now. */
	linkwatch_run_queue();
	/* 3) Send: dev_queue_xmit consumes the skb whatever it returns. */
	for (int i = 0; i < 10; i++) {
		dev_queue_xmit(make_frame(va, vb->dev_addr));
		dev_queue_xmit(make_frame(null, vb->dev_addr));
	}
	/* 4) Look: vb received what va sent (nobody listened, so rx_dropped too). */
	print_stats(va);
	print_stats(vb);
	print_stats(null);
	/* 5) Tear down: the peer goes with its end; unregister waits for references. */
	unregister_netdev(va);
	unregister_netdev(null);
	return 0;
}
