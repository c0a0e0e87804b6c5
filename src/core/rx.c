// SPDX-License-Identifier: MIT
/*
 * rx.c - receive dispatch (kernel net/core/dev.c: __netif_receive_skb_core,
 * deliver_skb, deliver_ptype_list_skb, dev_add_pack, dev_remove_pack,
 * netdev_rx_handler_register, netif_rx, dev_forward_skb,
 * dev_queue_xmit_nit). Rules R-RX-1..4, R-RX-6..9, R-BL-2, R-MTU-13,
 * R-TX-12, R-K-20.
 *
 * Control-plane era: netif_rx() delivers synchronously through
 * netif_receive_skb() with BHs disabled. The per-CPU backlog (R-BL-1,3..6),
 * RPS, GRO, VLAN untagging (R-RX-5) and generic XDP/ingress hooks arrive
 * with the datapath engine; they slot into netif_rx() and the round of
 * __netif_receive_skb_core() without changing the delivery order below.
 *
 * RCU stand-in: the handler lists and dev->rx_handler are read inside
 * ptype_lock held for reading (reader-preferring, so nested receives on one
 * thread are fine) and changed under it held for writing, which also waits
 * for every reader (the grace period of dev_remove_pack and
 * netdev_rx_handler_unregister). A handler must therefore not add or remove
 * handlers itself, as in the kernel where that would sleep in an RCU read
 * section.
 */
#include <arpa/inet.h>
#include <pthread.h>

#include "internal.h"

#define PTYPE_HASH_MASK (PTYPE_HASH_SIZE - 1)

static pthread_rwlock_t ptype_lock = PTHREAD_RWLOCK_INITIALIZER;
static struct list_head ptype_base[PTYPE_HASH_SIZE];

__attribute__((constructor)) static void ptype_base_init(void)
{
	for (int i = 0; i < PTYPE_HASH_SIZE; i++)
		INIT_LIST_HEAD(&ptype_base[i]);
}

static void rx_read_lock(void)
{
	pthread_rwlock_rdlock(&ptype_lock);
}

static void rx_read_unlock(void)
{
	pthread_rwlock_unlock(&ptype_lock);
}

/* ---- handler lists (R-RX-9) ---- */

/* ptype_head: where @pt lives, NULL for a tap bound to nothing. */
static struct list_head *ptype_head(const struct packet_type *pt)
{
	if (pt->type == htons(ETH_P_ALL)) {
		if (!pt->af_packet_net && !pt->dev)
			return NULL;
		return pt->dev ? &pt->dev->ptype_all : &pt->af_packet_net->ptype_all;
	}
	if (pt->dev)
		return &pt->dev->ptype_specific;
	return pt->af_packet_net ? &pt->af_packet_net->ptype_specific
				 : &ptype_base[ntohs(pt->type) & PTYPE_HASH_MASK];
}

void dev_add_pack(struct packet_type *pt)
{
	struct list_head *head = ptype_head(pt);

	if (!head) {
		UNETDEV_WARN("R-RX-9", pt->dev, "dev_add_pack",
			     "ETH_P_ALL handler without a device or namespace");
		return;
	}
	pthread_rwlock_wrlock(&ptype_lock);
	list_add(&pt->list, head);
	pthread_rwlock_unlock(&ptype_lock);
}

/* No grace period in the kernel; taking the write lock already waits here. */
void __dev_remove_pack(struct packet_type *pt)
{
	struct list_head *head = ptype_head(pt);
	struct packet_type *p;

	if (!head)
		return;
	pthread_rwlock_wrlock(&ptype_lock);
	list_for_each_entry (p, head, list) {
		if (p == pt) {
			list_del(&pt->list);
			goto out;
		}
	}
	unetdev__log(4, "dev_remove_pack: %p not found", (void *)pt);
out:
	pthread_rwlock_unlock(&ptype_lock);
}

void dev_remove_pack(struct packet_type *pt)
{
	__dev_remove_pack(pt);
	synchronize_net();
}

/* ---- rx_handler (R-RX-4) ---- */

int netdev_rx_handler_register(struct net_device *dev, rx_handler_func_t *handler, void *data)
{
	unetdev__check_rtnl("R-RX-4", dev, "netdev_rx_handler_register");
	if (READ_ONCE(dev->rx_handler))
		return -EBUSY;
	if (dev->priv_flags & IFF_NO_RX_HANDLER)
		return -EINVAL;
	pthread_rwlock_wrlock(&ptype_lock);
	dev->rx_handler_data = data;
	dev->rx_handler = handler;
	pthread_rwlock_unlock(&ptype_lock);
	return 0;
}

void netdev_rx_handler_unregister(struct net_device *dev)
{
	unetdev__check_rtnl("R-RX-4", dev, "netdev_rx_handler_unregister");
	/* The write lock waits for the receivers still using the handler (the
	 * kernel's synchronize_net() between the two stores). */
	pthread_rwlock_wrlock(&ptype_lock);
	dev->rx_handler = NULL;
	dev->rx_handler_data = NULL;
	pthread_rwlock_unlock(&ptype_lock);
}

/* ---- delivery (R-RX-2, R-RX-3, R-RX-6, R-RX-8) ---- */

/* deliver_skb: every handler but the last gets an extra reference. */
static int deliver_skb(struct sk_buff *skb, struct packet_type *pt, struct net_device *orig_dev)
{
	skb_get(skb);
	return pt->func(skb, skb->dev, pt, orig_dev);
}

static void deliver_ptype_list_skb(struct sk_buff *skb, struct packet_type **pt_prev,
				   struct net_device *orig_dev, __be16 type, struct list_head *list)
{
	struct packet_type *pt;

	list_for_each_entry (pt, list, list) {
		if (pt->type != type)
			continue;
		if (*pt_prev)
			deliver_skb(skb, *pt_prev, orig_dev);
		*pt_prev = pt;
	}
}

static void deliver_taps(struct sk_buff *skb, struct packet_type **pt_prev,
			 struct net_device *orig_dev)
{
	struct packet_type *pt;

	list_for_each_entry (pt, &dev_net(skb->dev)->ptype_all, list) {
		if (*pt_prev)
			deliver_skb(skb, *pt_prev, orig_dev);
		*pt_prev = pt;
	}
	list_for_each_entry (pt, &skb->dev->ptype_all, list) {
		if (*pt_prev)
			deliver_skb(skb, *pt_prev, orig_dev);
		*pt_prev = pt;
	}
}

/* The protocol handlers for skb->protocol (R-RX-6). */
static void deliver_protocols(struct sk_buff *skb, struct packet_type **pt_prev,
			      struct net_device *orig_dev, bool exact)
{
	__be16 type = skb->protocol;

	if (!exact) {
		deliver_ptype_list_skb(skb, pt_prev, orig_dev, type,
				       &ptype_base[ntohs(type) & PTYPE_HASH_MASK]);
		deliver_ptype_list_skb(skb, pt_prev, orig_dev, type,
				       &dev_net(skb->dev)->ptype_specific);
	}
	deliver_ptype_list_skb(skb, pt_prev, orig_dev, type, &orig_dev->ptype_specific);
	if (unlikely(skb->dev != orig_dev))
		deliver_ptype_list_skb(skb, pt_prev, orig_dev, type, &skb->dev->ptype_specific);
}

/* __netif_receive_skb_core, one round per rx_handler ANOTHER. Consumes @skb. */
static int __netif_receive_skb_core(struct sk_buff *skb)
{
	struct net_device *orig_dev = skb->dev;
	struct packet_type *pt_prev = NULL;
	rx_handler_func_t *rx_handler;
	bool exact = false;

	skb_reset_network_header(skb);
another_round:
	skb->skb_iif = skb->dev->ifindex;
	/* Later: generic XDP, VLAN tag pull, ingress hooks (R-RX-2). */
	deliver_taps(skb, &pt_prev, orig_dev);

	rx_handler = READ_ONCE(skb->dev->rx_handler);
	if (rx_handler) {
		if (pt_prev) {
			deliver_skb(skb, pt_prev, orig_dev);
			pt_prev = NULL;
		}
		switch (rx_handler(&skb)) {
		case RX_HANDLER_CONSUMED:
			return NET_RX_SUCCESS;
		case RX_HANDLER_ANOTHER:
			goto another_round;
		case RX_HANDLER_EXACT:
			exact = true;
			break;
		case RX_HANDLER_PASS:
			break;
		}
	}

	deliver_protocols(skb, &pt_prev, orig_dev, exact);
	if (pt_prev)
		return pt_prev->func(skb, skb->dev, pt_prev, orig_dev);

	/* R-RX-7: nobody wanted it. */
	if (!exact)
		dev_core_stats_rx_dropped_inc(skb->dev);
	else
		dev_core_stats_rx_nohandler_inc(skb->dev);
	kfree_skb_reason(skb, SKB_DROP_REASON_UNHANDLED_PROTO);
	return NET_RX_DROP;
}

int netif_receive_skb(struct sk_buff *skb)
{
	int ret;

	if (unlikely(!skb))
		return NET_RX_DROP;
	if (unlikely(!skb->dev)) {
		kfree_skb(skb);
		return NET_RX_DROP;
	}
	local_bh_disable();
	rx_read_lock();
	ret = __netif_receive_skb_core(skb);
	rx_read_unlock();
	local_bh_enable();
	return ret;
}

/*
 * netif_rx (R-BL-1/2). For now the skb is processed at once, with BHs
 * disabled, instead of being queued to this CPU's backlog; the return value
 * already has the backlog's meaning (accepted or not, not delivered or not).
 */
int netif_rx(struct sk_buff *skb)
{
	if (unlikely(!skb))
		return NET_RX_DROP;
	if (unlikely(!skb->dev || !netif_running(skb->dev))) {
		if (skb->dev)
			dev_core_stats_rx_dropped_inc(skb->dev);
		kfree_skb_reason(skb, SKB_DROP_REASON_DEV_READY);
		return NET_RX_DROP;
	}
	netif_receive_skb(skb);
	return NET_RX_SUCCESS;
}

/* skb_scrub_packet: forget what belonged to the sending side. */
static void skb_scrub_packet(struct sk_buff *skb, bool xnet)
{
	skb->pkt_type = PACKET_HOST;
	skb->skb_iif = 0;
	if (xnet)
		skb->mark = 0;
}

/* dev_forward_skb (R-MTU-13): hand @skb to @dev's receive path. Consumes @skb. */
int dev_forward_skb(struct net_device *dev, struct sk_buff *skb)
{
	if (unlikely(!is_skb_forwardable(dev, skb))) {
		dev_core_stats_rx_dropped_inc(dev);
		kfree_skb(skb);
		return NET_RX_DROP;
	}
	skb_scrub_packet(skb, skb->dev && dev_net(dev) != dev_net(skb->dev));
	skb->priority = 0;
	skb->protocol = eth_type_trans(skb, dev);
	return netif_rx(skb);
}

/* ---- transmit taps (R-TX-12) ---- */

bool unetdev__dev_nit_active(const struct net_device *dev)
{
	return !list_empty(&dev_net(dev)->ptype_all) || !list_empty(&dev->ptype_all);
}

static void nit_list(struct sk_buff **skb2, struct sk_buff *skb, struct packet_type **pt_prev,
		     struct list_head *list)
{
	struct packet_type *pt;

	list_for_each_entry (pt, list, list) {
		if (pt->ignore_outgoing)
			continue;
		if (*pt_prev) {
			deliver_skb(*skb2, *pt_prev, skb->dev);
			*pt_prev = pt;
			continue;
		}
		/* One clone for all taps, made only when a tap wants it. */
		*skb2 = skb_clone(skb, GFP_ATOMIC);
		if (!*skb2)
			return;
		skb_reset_network_header(*skb2);
		(*skb2)->pkt_type = PACKET_OUTGOING;
		*pt_prev = pt;
	}
}

/* dev_queue_xmit_nit. Borrows @skb. */
void unetdev__dev_queue_xmit_nit(struct sk_buff *skb, struct net_device *dev)
{
	struct packet_type *pt_prev = NULL;
	struct sk_buff *skb2 = NULL;

	rx_read_lock();
	nit_list(&skb2, skb, &pt_prev, &dev_net(dev)->ptype_all);
	nit_list(&skb2, skb, &pt_prev, &dev->ptype_all);
	if (pt_prev)
		pt_prev->func(skb2, skb2->dev, pt_prev, skb->dev);
	rx_read_unlock();
}
