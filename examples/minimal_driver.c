// SPDX-License-Identifier: MIT
/*
 * minimal_driver - the smallest complete unetdev driver, written as a Linux
 * driver is: "mini", an Ethernet device with one TX ring and one RX queue.
 *
 *   TX: ndo_start_xmit puts the skb on a ring of MINI_RING slots, reports
 *       its bytes to BQL and stops the queue when the ring is full. The
 *       "hardware" sends instantly; its completion interrupt is simulated by
 *       scheduling NAPI, whose poll frees the sent skbs, reports them to
 *       BQL and wakes the queue (the usual TX-completion-in-NAPI pattern).
 *   RX: mini_rx() is the "hardware" receiving a frame: it queues it and
 *       schedules NAPI; the poll hands frames to the stack with
 *       napi_gro_receive() within its budget.
 *
 * Build (outside the tree): cc minimal_driver.c $(pkg-config --cflags --libs unetdev)
 * It runs itself: main() registers one device, sends 8 frames and prints
 * what came back through the loop the "hardware" wires TX to RX.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>
#include <unetdev/etherdevice.h>
#include <unetdev/netdevice.h>

#define MINI_RING 64

/* The driver's private area (netdev_priv). */
struct mini_priv {
	struct napi_struct napi;
	/* TX ring: written by ndo_start_xmit under the queue's _xmit_lock,
	 * emptied by the NAPI poll; `tx_head`/`tx_tail` are the two ends. */
	struct sk_buff *tx_ring[MINI_RING];
	unsigned int tx_head, tx_tail; /* atomics: producer / consumer index */
	/* The "wire": what was sent comes back as received (a loopback NIC).
	 * Only the poll touches it: the NAPI SCHED bit is its lock. */
	struct sk_buff *rx_ring[MINI_RING];
	unsigned int rx_head, rx_tail;
};

static unsigned int ring_used(unsigned int head, unsigned int tail)
{
	return head - tail;
}

/* NAPI poll: TX completions first (as most NICs), then up to @budget received frames. */
static int mini_poll(struct napi_struct *napi, int budget)
{
	struct mini_priv *p = container_of(napi, struct mini_priv, napi);
	struct net_device *dev = napi->dev;
	unsigned int pkts = 0, bytes = 0, tail;
	int work = 0;

	/* a) TX completion: the "hardware" sent everything, loop it to RX. */
	tail = p->tx_tail;
	while (tail != __atomic_load_n(&p->tx_head, __ATOMIC_ACQUIRE)) {
		struct sk_buff *skb = p->tx_ring[tail % MINI_RING];

		pkts++;
		bytes += skb->len;
		if (ring_used(p->rx_head, p->rx_tail) < MINI_RING)
			p->rx_ring[p->rx_head++ % MINI_RING] = skb; /* ownership moves to RX */
		else
			dev_kfree_skb_any(skb);
		tail++;
	}
	__atomic_store_n(&p->tx_tail, tail, __ATOMIC_RELEASE);
	netdev_completed_queue(dev, pkts, bytes); /* BQL: once per round (R-BQL-5) */
	if (pkts && netif_queue_stopped(dev))
		netif_wake_queue(dev);

	/* b) RX: hand frames to the stack, never more than the budget. */
	while (work < budget) {
		struct sk_buff *skb;

		if (p->rx_tail == p->rx_head)
			break;
		skb = p->rx_ring[p->rx_tail++ % MINI_RING];
		skb->protocol = eth_type_trans(skb, dev);
		napi_gro_receive(napi, skb); /* consumes skb */
		work++;
	}
	/* c) Done below budget: leave polling mode ("re-enable the interrupt"). */
	if (work < budget)
		napi_complete_done(napi, work);
	return work;
}

/*
 * ndo_start_xmit. Context: the queue's _xmit_lock held, BHs disabled.
 * Consumes @skb (NETDEV_TX_OK); returns NETDEV_TX_BUSY only if the ring is
 * full, which flow control below makes a "should not happen".
 */
static netdev_tx_t mini_start_xmit(struct sk_buff *skb, struct net_device *dev)
{
	struct mini_priv *p = netdev_priv(dev);
	unsigned int head = p->tx_head;

	if (ring_used(head, __atomic_load_n(&p->tx_tail, __ATOMIC_ACQUIRE)) >= MINI_RING) {
		netif_stop_queue(dev);
		return NETDEV_TX_BUSY;
	}
	p->tx_ring[head % MINI_RING] = skb;
	__atomic_store_n(&p->tx_head, head + 1, __ATOMIC_RELEASE);
	netdev_sent_queue(dev, skb->len); /* BQL may stop the queue (STACK_XOFF) */
	/* Stop while there is still room for nothing more: never return BUSY. */
	if (ring_used(head + 1, __atomic_load_n(&p->tx_tail, __ATOMIC_ACQUIRE)) >= MINI_RING)
		netif_stop_queue(dev);
	napi_schedule(&p->napi); /* the "TX done" interrupt */
	return NETDEV_TX_OK;
}

/* Context: rtnl held. NAPI on, then the queue. */
static int mini_open(struct net_device *dev)
{
	struct mini_priv *p = netdev_priv(dev);

	napi_enable(&p->napi);
	netif_start_queue(dev);
	return 0;
}

/* Context: rtnl held; netif_running() is false. NAPI off (R-UP-13), rings emptied. */
static int mini_stop(struct net_device *dev)
{
	struct mini_priv *p = netdev_priv(dev);

	netif_stop_queue(dev);
	napi_disable(&p->napi);
	while (p->tx_tail != p->tx_head)
		dev_kfree_skb_any(p->tx_ring[p->tx_tail++ % MINI_RING]);
	while (p->rx_tail != p->rx_head)
		dev_kfree_skb_any(p->rx_ring[p->rx_tail++ % MINI_RING]);
	netdev_reset_queue(dev); /* R-BQL-8 */
	return 0;
}

static const struct net_device_ops mini_netdev_ops = {
    .ndo_open = mini_open,
    .ndo_stop = mini_stop,
    .ndo_start_xmit = mini_start_xmit,
    .ndo_set_mac_address = eth_mac_addr,
    .ndo_validate_addr = eth_validate_addr,
};

/* alloc_netdev's setup: Ethernet defaults, our ops, freed by the core. */
static void mini_setup(struct net_device *dev)
{
	struct mini_priv *p = netdev_priv(dev);

	ether_setup(dev);
	dev->netdev_ops = &mini_netdev_ops;
	dev->needs_free_netdev = true; /* unregister_netdev() also frees it */
	eth_hw_addr_random(dev);
	netif_napi_add(dev, &p->napi, mini_poll); /* created disabled; free_netdev deletes it */
}

/* ---- a tiny host for the driver ---- */

static int received;

static int mini_rcv(struct sk_buff *skb, struct net_device *dev, struct packet_type *pt,
		    struct net_device *orig_dev)
{
	received++;
	consume_skb(skb);
	return NET_RX_SUCCESS;
}

int main(void)
{
	struct packet_type pt = {.type = htons(0x88b5), .func = mini_rcv};
	struct net_device *dev =
	    alloc_netdev(sizeof(struct mini_priv), "mini%d", NET_NAME_USER, mini_setup);

	if (!dev || register_netdev(dev)) {
		free_netdev(dev);
		return 1;
	}
	rtnl_lock();
	dev_open(dev, NULL);
	rtnl_unlock();
	pt.dev = dev;
	dev_add_pack(&pt);
	for (int i = 0; i < 8; i++) {
		struct sk_buff *skb = netdev_alloc_skb(dev, 64);
		struct ethhdr *eth = skb_put(skb, 64);

		memset(eth, 0, 64);
		memcpy(eth->h_dest, dev->dev_addr, ETH_ALEN);
		memcpy(eth->h_source, dev->dev_addr, ETH_ALEN);
		eth->h_proto = htons(0x88b5);
		dev_queue_xmit(skb); /* consumes skb whatever it returns */
	}
	printf("%s: sent 8, received %d\n", dev->name, received);
	dev_remove_pack(&pt);
	unregister_netdev(dev);
	return received == 8 ? 0 : 1;
}
