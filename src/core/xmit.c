// SPDX-License-Identifier: MIT
/*
 * xmit.c - the transmit entry points (kernel net/core/dev.c:
 * __dev_queue_xmit, __dev_xmit_skb, netdev_core_pick_tx, skb_tx_hash,
 * validate_xmit_skb, dev_hard_start_xmit, __dev_direct_xmit, and
 * skb_checksum_help from net/core/skbuff.c). Rules R-TX-1..14, R-Q-1/2/5/6,
 * R-MTU-14, R-SYNC-5 (context of ndo_start_xmit, via ndo.c).
 *
 * Where this port differs from the kernel, and why:
 * - No sockets, cgroups, tc/netfilter egress hooks or XPS here (R-TX-4/6):
 *   skb priority is used as given, queue selection is ndo_select_queue or
 *   skb_tx_hash. Skbs carry no dst, so IFF_XMIT_DST_RELEASE has nothing to
 *   release (R-TX-4).
 * - rcu_read_lock_bh() is BHs off plus the TX RCU read section (qdisc_run.c)
 *   that dev_deactivate waits for, so dev_shutdown never frees a qdisc a
 *   transmitter still uses.
 * - A "CPU" is a thread: "this CPU owns the queue lock" is spin_held_by_me(),
 *   because application threads share smp_processor_id() slots.
 * - R-TX-2: on the noqueue path a device that is not IFF_UP returns the
 *   initial rc, -ENOMEM, as current kernel code does (the `rc = -ENETDOWN`
 *   that older kernels had after that block now sits in the loop and
 *   virtual-device branches only); a validation failure there returns -ENOMEM
 *   too. Loops and "asks to queue" return -ENETDOWN.
 */
#include <unetdev/checksum.h>
#include <unetdev/gso.h>
#include <unetdev/skbuff_hdr.h>

#include "ndo.h"
#include "sch_generic.h"

/*
 * The kernel's per-CPU softnet_data.xmit.{recursion,more}. A "CPU" is a
 * thread here, and the state follows the thread that nests the calls: they
 * live in the thread context (struct unetdev__ctx).
 */
#define xmit_recursion (unetdev__ctx_tls.xmit_recursion)
#define xmit_more      (unetdev__ctx_tls.xmit_more)

bool netdev_xmit_more(void)
{
	return xmit_more;
}

static bool dev_xmit_recursion(void)
{
	return unlikely(xmit_recursion > XMIT_RECURSION_LIMIT);
}

/* ---- queue selection (R-TX-5/6) ---- */

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

/* netdev_core_pick_tx (R-TX-5); no socket cache, no XPS (file comment). */
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
						 "%s selects TX queue %d, but real number of TX "
						 "queues is %d",
						 dev->name, (int)index, (int)real);
			index = 0;
		}
	}
	skb_set_queue_mapping(skb, (u16)index);
	return netdev_get_tx_queue(dev, index);
}

/* ---- validate_xmit_skb (R-TX-8, R-TX-9, R-MTU-14) ---- */

/* The L3 protocol, looking through one VLAN tag in the payload. */
static __be16 skb_network_protocol(const struct sk_buff *skb)
{
	__be16 type = skb->protocol;

	if ((type == htons(ETH_P_8021Q) || type == htons(ETH_P_8021AD)) &&
	    skb_headlen(skb) >= VLAN_ETH_HLEN)
		memcpy(&type, skb->data + ETH_HLEN + 2, sizeof(type));
	return type;
}

/* R-MTU-14: a GSO skb beyond the device's limits is segmented in software. */
static netdev_features_t gso_features_check(const struct sk_buff *skb, struct net_device *dev,
					    netdev_features_t features)
{
	if (!netif_skb_gso_limits_ok(dev, skb))
		return features & ~NETIF_F_GSO_MASK;
	if (!skb_shinfo(skb)->gso_type) /* skb_warn_bad_offload */
		return features & ~NETIF_F_GSO_MASK;
	return features;
}

static netdev_features_t netdev_intersect_features(netdev_features_t f1, netdev_features_t f2)
{
	if ((f1 ^ f2) & NETIF_F_HW_CSUM) {
		if (f1 & NETIF_F_HW_CSUM)
			f1 |= NETIF_F_IP_CSUM | NETIF_F_IPV6_CSUM;
		else
			f2 |= NETIF_F_IP_CSUM | NETIF_F_IPV6_CSUM;
	}
	return f1 & f2;
}

/* netif_skb_features: what the device can do for this skb. */
static netdev_features_t netif_skb_features(struct sk_buff *skb, struct net_device *dev)
{
	netdev_features_t features = READ_ONCE(dev->features);

	if (skb_is_gso(skb))
		features = gso_features_check(skb, dev, features);
	if (skb->vlan_present)
		features = netdev_intersect_features(features,
						     dev->vlan_features | NETIF_F_HW_VLAN_CTAG_TX);
	features &= unetdev__ndo_features_check(skb, dev, features);
	/* harmonize_features: no checksum offload for this protocol, no GSO either */
	if (skb->ip_summed != CHECKSUM_NONE &&
	    !can_checksum_protocol(features, skb_network_protocol(skb)))
		features &= ~(NETIF_F_CSUM_MASK | NETIF_F_GSO_MASK);
	return features;
}

/*
 * validate_xmit_vlan: put an accelerated tag into the payload when the device
 * cannot (__vlan_hwaccel_push_inside). Consumes @skb on failure.
 */
static struct sk_buff *validate_xmit_vlan(struct sk_buff *skb, netdev_features_t features)
{
	__be16 tci;

	if (!skb->vlan_present ||
	    (skb->vlan_proto == htons(ETH_P_8021Q) && (features & NETIF_F_HW_VLAN_CTAG_TX)))
		return skb;
	/* The kernel reallocates the head here; these linear skbs must have room. */
	if (skb_headroom(skb) < VLAN_HLEN || skb_headlen(skb) < (size_t)2 * ETH_ALEN ||
	    skb->data != skb_mac_header(skb)) {
		kfree_skb_reason(skb, SKB_DROP_REASON_VLAN);
		return NULL;
	}
	skb_push(skb, VLAN_HLEN);
	memmove(skb->data, skb->data + VLAN_HLEN, (size_t)2 * ETH_ALEN);
	memcpy(skb->data + (size_t)2 * ETH_ALEN, &skb->vlan_proto, sizeof(skb->vlan_proto));
	tci = htons(skb->vlan_tci);
	memcpy(skb->data + (size_t)2 * ETH_ALEN + 2, &tci, sizeof(tci));
	skb_reset_mac_header(skb);
	skb->protocol = skb->vlan_proto;
	skb->vlan_present = false;
	skb->vlan_tci = 0;
	return skb;
}

/* skb_checksum_help: complete a CHECKSUM_PARTIAL in software (linear skbs). */
static int skb_checksum_help(struct sk_buff *skb)
{
	int offset = skb_checksum_start_offset(skb);
	__sum16 csum;

	if (skb->ip_summed == CHECKSUM_COMPLETE)
		goto out_set_summed;
	if (offset < 0 || (unsigned int)offset >= skb_headlen(skb) ||
	    (unsigned int)offset + skb->csum_offset + sizeof(__sum16) > skb_headlen(skb))
		return -EINVAL;
	csum =
	    csum_fold(csum_partial(skb->data + offset, (int)(skb->len - (unsigned int)offset), 0));
	if (!csum)
		csum = CSUM_MANGLED_0;
	memcpy(skb->data + offset + skb->csum_offset, &csum, sizeof(csum));
out_set_summed:
	skb->ip_summed = CHECKSUM_NONE;
	return 0;
}

/* skb_csum_hwoffload_help: leave it to the device when it can, else help. */
static int skb_csum_hwoffload_help(struct sk_buff *skb, netdev_features_t features)
{
	if (features & NETIF_F_HW_CSUM)
		return 0;
	if (features & (NETIF_F_IP_CSUM | NETIF_F_IPV6_CSUM)) {
		if (skb_network_protocol(skb) == htons(ETH_P_IPV6) &&
		    skb_network_header_len(skb) != sizeof(struct ipv6hdr))
			return skb_checksum_help(skb); /* extension headers */
		if (skb->csum_offset == offsetof(struct tcphdr, check) ||
		    skb->csum_offset == offsetof(struct udphdr, check))
			return 0;
	}
	return skb_checksum_help(skb);
}

/* validate_xmit_skb (R-TX-8): returns a list to send, or NULL (freed, tx_dropped++). */
static struct sk_buff *validate_xmit_skb(struct sk_buff *skb, struct net_device *dev)
{
	netdev_features_t features;

	/* A plain skb (no GSO, no accelerated tag, no partial checksum) passes
	 * whatever the device can do: its features need not be computed, unless
	 * the driver's ndo_features_check wants to see it. */
	if (likely(!skb_is_gso(skb) && !skb->vlan_present && skb->ip_summed != CHECKSUM_PARTIAL &&
		   !ndo_has(dev, ndo_features_check)))
		return skb;
	features = netif_skb_features(skb, dev);
	skb = validate_xmit_vlan(skb, features);
	if (unlikely(!skb))
		goto out_null;
	if (netif_needs_gso(skb, features)) { /* R-TX-9 */
		struct sk_buff *segs = skb_gso_segment(skb, features);

		if (IS_ERR(segs))
			goto out_kfree_skb;
		if (segs) {
			consume_skb(skb);
			skb = segs;
		}
	} else if (skb->ip_summed == CHECKSUM_PARTIAL) {
		skb_set_transport_header(skb, skb_checksum_start_offset(skb));
		if (skb_csum_hwoffload_help(skb, features))
			goto out_kfree_skb;
	}
	return skb;

out_kfree_skb:
	kfree_skb_reason(skb,
			 skb_is_gso(skb) ? SKB_DROP_REASON_GSO : SKB_DROP_REASON_NOT_SPECIFIED);
out_null:
	dev_core_stats_tx_dropped_inc(dev);
	return NULL;
}

struct sk_buff *unetdev__validate_xmit_skb_list(struct sk_buff *skb, struct net_device *dev)
{
	struct sk_buff *head = NULL, *tail = NULL;

	while (skb) {
		struct sk_buff *next = skb->next;

		skb->next = NULL;
		skb = validate_xmit_skb(skb, dev);
		if (skb) {
			if (tail)
				tail->next = skb;
			else
				head = skb;
			for (tail = skb; tail->next; tail = tail->next)
				; /* a GSO skb became a list of segments */
		}
		skb = next;
	}
	return head;
}

/* ---- dev_hard_start_xmit (R-TX-11..13) ---- */

/* xmit_one: taps, then the driver with the "more" hint (netdev_start_xmit). */
static inline int xmit_one(struct sk_buff *skb, struct net_device *dev, struct netdev_queue *txq,
			   bool more, bool lltx, unsigned long me)
{
	bool saved_more = xmit_more; /* a driver may transmit from its xmit: nest */
	netdev_tx_t rc;

	if (unetdev__dev_nit_active(dev))
		unetdev__dev_queue_xmit_nit(skb, dev); /* R-TX-12 */
	xmit_more = more;
	rc = unetdev__ndo_start_xmit_me(skb, dev, txq, lltx, me);
	xmit_more = saved_more;
	if (rc == NETDEV_TX_OK && !lltx) { /* txq_trans_update (R-TX-11) */
		unsigned long now = unetdev__softirq_jiffies();

		if (READ_ONCE(txq->trans_start) != now)
			WRITE_ONCE(txq->trans_start, now);
	} else if (rc == NETDEV_TX_BUSY && !netif_xmit_stopped(txq))
		UNETDEV_WARN("R-TX-11", dev, "ndo_start_xmit",
			     "NETDEV_TX_BUSY while queue %u is awake (usually a bug)",
			     txq->queue_index);
	return (int)rc;
}

struct sk_buff *unetdev__dev_hard_start_xmit(struct sk_buff *first, struct net_device *dev,
					     struct netdev_queue *txq, int *ret)
{
	struct sk_buff *skb = first;
	int rc = NETDEV_TX_OK;
	bool lltx = netif_is_lltx(dev);
	unsigned long me = unetdev__this_ctx()->token;

	while (skb) {
		struct sk_buff *next = skb->next;

		skb->next = NULL;
		rc = xmit_one(skb, dev, txq, next != NULL, lltx, me);
		if (unlikely(!dev_xmit_complete(rc))) {
			skb->next = next; /* the driver kept it: hand back the rest */
			break;
		}
		skb = next;
		if (skb && netif_tx_queue_stopped(txq)) {
			rc = NETDEV_TX_BUSY;
			break;
		}
	}
	*ret = rc;
	return skb;
}

static void kfree_skb_list_reason(struct sk_buff *skb, enum skb_drop_reason reason)
{
	while (skb) {
		struct sk_buff *next = skb->next;

		skb->next = NULL;
		kfree_skb_reason(skb, reason);
		skb = next;
	}
}

/* ---- the qdisc path: __dev_xmit_skb (R-Q-1/2/5/6) ---- */

/* The lock-based qdisc path with the defer list (R-TX-15): xmit_defer.c. */
static inline int dev_xmit_skb(struct sk_buff *skb, struct Qdisc *q, struct net_device *dev,
			       struct netdev_queue *txq)
{
	return unetdev__dev_xmit_skb(skb, q, dev, txq);
}

/* ---- the noqueue path (R-TX-7) ---- */

static int noqueue_xmit(struct sk_buff *skb, struct net_device *dev, struct netdev_queue *txq)
{
	int rc = -ENOMEM; /* __dev_queue_xmit's initial value (R-TX-2) */
	bool is_list = false, lltx;
	unsigned long me; /* this thread's token: the lock owner, read once */

	if (unlikely(!(READ_ONCE(dev->flags) & IFF_UP))) {
		dev_core_stats_tx_dropped_inc(dev);
		kfree_skb_reason(skb, SKB_DROP_REASON_DEV_READY);
		return rc;
	}
	me = unetdev__this_ctx()->token;
	if (__atomic_load_n(&txq->_xmit_lock.owner, __ATOMIC_RELAXED) == me ||
	    dev_xmit_recursion()) { /* spin_held_by_me */
		unetdev__log_ratelimited(2, "Dead loop on virtual device %s, fix it urgently!",
					 dev->name);
		rc = -ENETDOWN;
		goto drop;
	}
	skb = validate_xmit_skb(skb, dev);
	if (!skb)
		return rc; /* dropped and counted by validation */
	lltx = netif_is_lltx(dev);
	unetdev__hard_tx_lock_me(txq, lltx, me);
	if (!netif_xmit_stopped(txq)) { /* FROZEN is not checked here (rules §21.11) */
		is_list = skb->next != NULL;
		xmit_recursion++;
		if (likely(!is_list)) { /* dev_hard_start_xmit of one skb */
			rc = xmit_one(skb, dev, txq, false, lltx, me);
			if (likely(dev_xmit_complete(rc)))
				skb = NULL;
		} else {
			skb = unetdev__dev_hard_start_xmit(skb, dev, txq, &rc);
			rc = NETDEV_TX_OK; /* TCP reads an error as "nothing was sent" */
		}
		xmit_recursion--;
	}
	unetdev__hard_tx_unlock_lltx(txq, lltx);
	if (!skb)
		return rc;
	unetdev__log_ratelimited(2, "Virtual device %s asks to queue packet!", dev->name);
	if (!is_list)
		rc = -ENETDOWN; /* NETDEV_TX_BUSY or queue stopped */
drop:
	dev_core_stats_tx_dropped_inc(dev);
	kfree_skb_list_reason(skb, SKB_DROP_REASON_TX_ERROR);
	return rc;
}

/* ---- entry points ---- */

int dev_queue_xmit(struct sk_buff *skb)
{
	struct net_device *dev;
	struct netdev_queue *txq;
	struct Qdisc *q;
	int rc;

	if (unlikely(!skb) || unetdev__skb_used_after_free(skb, "dev_queue_xmit"))
		return -EINVAL; /* a freed skb is not freed again */
	dev = skb->dev;
	if (unlikely(!dev)) {
		kfree_skb(skb); /* R-TX-1: consumed whatever happens */
		return -EINVAL;
	}
	skb_reset_mac_header(skb);
	if (unlikely(unetdev__in_hardirq())) /* local_bh_enable's WARN_ON_ONCE(in_hardirq()) */
		UNETDEV_WARN("R-TX-3", dev, "dev_queue_xmit", "called in hardirq context");
	unetdev__local_bh_disable(); /* R-TX-3: rcu_read_lock_bh() */
	unetdev__tx_rcu_read_lock();
	txq = netdev_core_pick_tx(dev, skb);
	q = __atomic_load_n(&txq->qdisc,
			    __ATOMIC_ACQUIRE); /* rcu_dereference_bh: a plain load on x86 */
	if (q->enqueue)
		rc = dev_xmit_skb(skb, q, dev, txq);
	else
		rc = noqueue_xmit(skb, dev, txq);
	unetdev__tx_rcu_read_unlock();
	unetdev__local_bh_enable(); /* runs the TX softirq if the qdisc was rescheduled */
	return rc;
}

/*
 * __dev_direct_xmit (R-TX-14): the AF_PACKET qdisc bypass. No qdisc, no taps.
 * Returns NET_XMIT_DROP (skb freed) when the device is not running, has no
 * carrier or the skb needs segmenting; NETDEV_TX_BUSY with @skb still the
 * caller's when the queue is frozen or driver-stopped (dev_direct_xmit frees
 * it); otherwise the driver's code.
 */
int __dev_direct_xmit(struct sk_buff *skb, u16 queue_id)
{
	struct net_device *dev = skb ? skb->dev : NULL;
	struct sk_buff *orig_skb = skb;
	struct netdev_queue *txq;
	int ret = NETDEV_TX_BUSY;

	if (unlikely(!dev)) {
		if (skb)
			kfree_skb(skb);
		return -EINVAL;
	}
	if (unlikely(!netif_running(dev) || !netif_carrier_ok(dev)))
		goto drop;
	skb = unetdev__validate_xmit_skb_list(skb, dev);
	if (skb != orig_skb)
		goto drop; /* dropped by validation, or became a segment list */
	if (unlikely(queue_id >= dev->num_tx_queues))
		queue_id = 0;
	skb_set_queue_mapping(skb, queue_id);
	txq = netdev_get_tx_queue(dev, queue_id);
	local_bh_disable();
	xmit_recursion++;
	unetdev__hard_tx_lock(dev, txq);
	if (!netif_xmit_frozen_or_drv_stopped(txq)) {
		ret = (int)unetdev__ndo_start_xmit(skb, dev, txq);
		if (ret == NETDEV_TX_OK && !netif_is_lltx(dev))
			WRITE_ONCE(txq->trans_start, jiffies);
	}
	unetdev__hard_tx_unlock(dev, txq);
	xmit_recursion--;
	local_bh_enable();
	return ret;
drop:
	dev_core_stats_tx_dropped_inc(dev);
	kfree_skb_list_reason(skb, SKB_DROP_REASON_DEV_READY);
	return NET_XMIT_DROP;
}
