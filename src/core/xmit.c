// SPDX-License-Identifier: MIT
/*
 * xmit.c - the transmit entry point (kernel net/core/dev.c:
 * __dev_queue_xmit, netdev_core_pick_tx, skb_tx_hash, dev_hard_start_xmit,
 * the "noqueue" branch). Rules R-TX-1, R-TX-2, R-TX-3, R-TX-5, R-TX-6 (hash
 * part), R-TX-7 (noqueue), R-TX-10, R-TX-11, R-TX-12 (taps), R-K-8.
 *
 * Control-plane era: every device takes the noqueue path of R-TX-7, as
 * software devices do in the kernel. The qdisc path (R-TX-7 first branch,
 * section 8), validate_xmit_skb/GSO (R-TX-8/9), xmit_more batching (R-TX-13)
 * and the per-CPU engine state arrive with the datapath issue; they slot in
 * at the marked points of dev_queue_xmit() without changing its contract.
 */
#include "internal.h"
#include "ndo.h"

/*
 * The kernel's per-CPU softnet_data.xmit.recursion. A "CPU" is a thread
 * here, and the counter follows the thread that nests the calls.
 */
static __thread int xmit_recursion;

static bool dev_xmit_recursion(void)
{
	return unlikely(xmit_recursion > XMIT_RECURSION_LIMIT);
}

/* skb_tx_hash: the recorded RX queue, else the flow hash scaled (R-TX-6). */
static u16 skb_tx_hash(const struct net_device *dev, const struct sk_buff *skb)
{
	unsigned int qcount = dev->real_num_tx_queues;

	if (skb->rx_queue) {
		unsigned int hash = skb->rx_queue - 1u;

		while (unlikely(hash >= qcount))
			hash -= qcount;
		return (u16)hash;
	}
	return (u16)(((u64)skb->hash * qcount) >> 32);
}

/* netdev_core_pick_tx (R-TX-5). */
static struct netdev_queue *netdev_core_pick_tx(struct net_device *dev, struct sk_buff *skb)
{
	unsigned int real = READ_ONCE(dev->real_num_tx_queues);
	unsigned int index = 0;

	if (real != 1) {
		if (ndo_has(dev, ndo_select_queue))
			index = unetdev__ndo_select_queue(dev, skb);
		else
			index = skb_tx_hash(dev, skb);
		if (unlikely(index >= real)) {
			unetdev__log_ratelimited(4,
						 "%s selects TX queue %u, but real number of TX "
						 "queues is %u",
						 dev->name, index, real);
			index = 0;
		}
	}
	skb_set_queue_mapping(skb, (u16)index);
	return netdev_get_tx_queue(dev, index);
}

/* HARD_TX_LOCK / HARD_TX_UNLOCK (R-TX-10): LLTX drivers lock themselves. */
static void hard_tx_lock(struct net_device *dev, struct netdev_queue *txq, int cpu) UNETDEV_NO_TSA
{
	if (!netif_is_lltx(dev))
		__netif_tx_lock(txq, cpu);
}

static void hard_tx_unlock(struct net_device *dev, struct netdev_queue *txq) UNETDEV_NO_TSA
{
	if (!netif_is_lltx(dev))
		__netif_tx_unlock(txq);
}

/* netdev_start_xmit + txq_trans_update (R-TX-11). */
static int xmit_one(struct sk_buff *skb, struct net_device *dev, struct netdev_queue *txq)
{
	netdev_tx_t rc;

	if (unetdev__dev_nit_active(dev))
		unetdev__dev_queue_xmit_nit(skb, dev); /* R-TX-12 */
	rc = unetdev__ndo_start_xmit(skb, dev, txq);
	if (rc == NETDEV_TX_OK && !netif_is_lltx(dev))
		WRITE_ONCE(txq->trans_start, jiffies);
	return (int)rc;
}

/*
 * The noqueue branch of __dev_queue_xmit. Returns true with the driver's
 * code in *@rc when the driver consumed the skb; false (after logging why)
 * when the skb is still ours to drop.
 */
static bool noqueue_xmit(struct sk_buff *skb, struct net_device *dev, struct netdev_queue *txq,
			 int *rc)
{
	int cpu = (int)smp_processor_id();

	if (!(READ_ONCE(dev->flags) & IFF_UP))
		return false;
	/* The kernel compares xmit_lock_owner with this CPU; threads stand for
	 * CPUs here, so "this CPU owns the queue" is "this thread holds it". */
	if (spin_held_by_me(&txq->_xmit_lock) || dev_xmit_recursion()) {
		unetdev__log_ratelimited(2, "Dead loop on virtual device %s, fix it urgently!",
					 dev->name);
		return false;
	}
	/* Later: validate_xmit_skb (features, GSO, checksum; R-TX-8). */
	hard_tx_lock(dev, txq, cpu);
	if (!netif_xmit_stopped(txq)) {
		xmit_recursion++;
		*rc = xmit_one(skb, dev, txq);
		xmit_recursion--;
		if (dev_xmit_complete(*rc)) {
			hard_tx_unlock(dev, txq);
			return true;
		}
	}
	hard_tx_unlock(dev, txq);
	unetdev__log_ratelimited(2, "Virtual device %s asks to queue packet!", dev->name);
	return false;
}

int dev_queue_xmit(struct sk_buff *skb)
{
	struct net_device *dev;
	struct netdev_queue *txq;
	int rc;

	if (unlikely(!skb))
		return -EINVAL;
	dev = skb->dev;
	if (unlikely(!dev)) {
		kfree_skb(skb); /* R-TX-1: consumed whatever happens */
		return -EINVAL;
	}
	skb_reset_mac_header(skb);
	local_bh_disable(); /* R-TX-3 */
	txq = netdev_core_pick_tx(dev, skb);
	/* Later: if txq's qdisc has an enqueue function, the qdisc path (R-Q). */
	if (!noqueue_xmit(skb, dev, txq, &rc)) {
		/* Down, looping, stopped or BUSY: dropped (R-TX-2: -ENETDOWN). */
		rc = -ENETDOWN;
		dev_core_stats_tx_dropped_inc(dev);
		kfree_skb(skb);
	}
	local_bh_enable();
	return rc;
}
