// SPDX-License-Identifier: MIT
/*
 * xmit_defer.c - the lock-based half of __dev_xmit_skb with the 6.18 defer
 * list (kernel net/core/dev.c, "net: dev_queue_xmit() llist adoption" and
 * "net: add net.core.qdisc_max_burst"). Rules R-TX-15, R-Q-2, R-Q-5, R-Q-6.
 *
 * A sender pushes its skb on q->defer_list (a lock-free LIFO linked through
 * skb->next, the kernel's skb->ll_node). The sender that found the list empty
 * takes the root lock, takes the whole list, and enqueues it in arrival
 * order (or sends a lone skb straight to the driver: the R-Q-5 bypass); a
 * sender that found it non-empty returns NET_XMIT_SUCCESS at once, because
 * the first one will handle its skb. The list holds at most 1 +
 * qdisc_max_burst skbs: q->defer_count counts the pushes onto a non-empty
 * list (at most one increment per sender), and a push that would make it
 * exceed the sysctl is dropped with NET_XMIT_DROP and
 * SKB_DROP_REASON_QDISC_BURST_DROP (not a qdisc drop: the qdisc never saw
 * it).
 *
 * Every qdisc here is lock-based (none is TCQ_F_NOLOCK), so this is the
 * path of every qdisc with an enqueue.
 *
 * Differences from the kernel:
 * - The builtin noop qdisc (shared by every device that is down) takes no
 *   skb on its list: the sender takes its lock. A first sender would
 *   otherwise drop, and count in skb->dev's tx_dropped, another device's skb
 *   after that device's own sender had returned. In the kernel the
 *   unregistration's RCU grace period waits for the first sender; here the
 *   transmit RCU domain is separate from the one unregistering a closed
 *   device waits for, so that device could already be freed. Noop drops
 *   everything: there is nothing to batch.
 * - For the single sender's cost, a sender that finds the list empty and the
 *   root lock free takes the lock at once (one compare-and-swap) instead of
 *   pushing its skb and popping it again under the lock, as the kernel does.
 *   What happens to its skb is the same (it is the whole batch); a sender
 *   that finds the lock taken goes through the list as above, and so does
 *   every sender while the list is not empty.
 *
 * Readers of the list are inside the transmit RCU section, so once
 * dev_deactivate's grace period has passed nobody still holds an skb on it.
 */
#include "sch_generic.h"

static int qdisc_max_burst = 1000; /* net.core.qdisc_max_burst */

int unetdev_sysctl_qdisc_max_burst(int v)
{
	if (v > 0)
		WRITE_ONCE(qdisc_max_burst, v);
	return READ_ONCE(qdisc_max_burst);
}

unsigned int unetdev_qdisc_defer_count(struct Qdisc *q)
{
	if (!q || !__atomic_load_n(&q->defer_list, __ATOMIC_RELAXED))
		return 0;
	return 1u + (unsigned int)__atomic_load_n(&q->defer_count, __ATOMIC_RELAXED);
}

/* llist_reverse_order: the LIFO as pushed becomes the arrival order. */
static struct sk_buff *defer_list_reverse(struct sk_buff *head)
{
	struct sk_buff *rev = NULL;

	while (head) {
		struct sk_buff *next = head->next;

		head->next = rev;
		rev = head;
		head = next;
	}
	return rev;
}

/*
 * The kernel's open-coded llist_add + the burst limit (defer_count is
 * incremented at most once, and only when the list is not empty), then, for
 * the first sender, the root lock and the whole list in arrival order.
 * Returns that batch with the lock held, or NULL when the skb was left for
 * the first sender or dropped (*rc set). Out of line: the uncontended
 * sender's path stays as small as it was.
 */
static __attribute__((noinline)) struct sk_buff *
defer_list_add(struct sk_buff *skb, struct Qdisc *q, int *rc) UNETDEV_NO_TSA
{
	struct sk_buff *first_n, *ll_list;
	unsigned long defer_count = 0;

	if (unlikely(q->flags & TCQ_F_BUILTIN)) { /* noop: never on the list (file comment) */
		spin_lock(&q->lock);
		skb->next = NULL;
		return skb;
	}
	first_n = __atomic_load_n(&q->defer_list, __ATOMIC_RELAXED);
	do {
		if (first_n && !defer_count) {
			defer_count = __atomic_add_fetch(&q->defer_count, 1, __ATOMIC_RELAXED);
			if (unlikely(defer_count > (unsigned long)READ_ONCE(qdisc_max_burst))) {
				kfree_skb_reason(skb, SKB_DROP_REASON_QDISC_BURST_DROP);
				*rc = NET_XMIT_DROP;
				return NULL;
			}
		}
		skb->next = first_n;
	} while (!__atomic_compare_exchange_n(&q->defer_list, &first_n, skb, true, __ATOMIC_RELEASE,
					      __ATOMIC_RELAXED));

	/* Not the first: the sender that found the list empty sends this one too. */
	if (first_n) {
		*rc = NET_XMIT_SUCCESS;
		return NULL;
	}
	spin_lock(&q->lock);
	ll_list = __atomic_exchange_n(&q->defer_list, NULL, __ATOMIC_ACQUIRE); /* llist_del_all */
	/* As in the kernel, not atomic with the exchange: a racing sender's
	 * increment may survive it, so the list may briefly exceed the limit. */
	__atomic_store_n(&q->defer_count, 0, __ATOMIC_RELAXED);
	return ll_list->next ? defer_list_reverse(ll_list) : ll_list;
}

/* Two or more skbs: drop them all (R-Q-2) or enqueue them in order, then run. */
static __attribute__((noinline)) int defer_list_enqueue(struct sk_buff *ll_list, struct Qdisc *q,
							struct sk_buff **to_free)
    UNETDEV_MUST_HOLD(q->lock)
{
	struct sk_buff *skb, *next;

	if (unlikely(test_bit(__QDISC_STATE_DEACTIVATED, &q->state))) {
		for (skb = ll_list; skb; skb = next) {
			next = skb->next;
			__qdisc_drop(skb, to_free);
		}
		return NET_XMIT_DROP;
	}
	for (skb = ll_list; skb; skb = next) {
		next = skb->next;
		skb->next = NULL; /* skb_mark_not_on_list */
		q->enqueue(skb, q, to_free);
	}
	unetdev__qdisc_run(q);	 /* R-Q-6: only if nobody else runs it */
	return NET_XMIT_SUCCESS; /* count != 1: the others were told it was sent */
}

int unetdev__dev_xmit_skb(struct sk_buff *skb, struct Qdisc *q, struct net_device *dev,
			  struct netdev_queue *txq) UNETDEV_NO_TSA /* conditional lock */
{
	struct sk_buff *to_free = NULL;
	int rc;

	/* Nobody waiting and the lock free: this skb alone is the batch (file comment). */
	if (likely(!__atomic_load_n(&q->defer_list, __ATOMIC_RELAXED)) &&
	    unetdev__spin_trylock(&q->lock)) {
		skb->next = NULL;
	} else {
		rc = NET_XMIT_SUCCESS; /* defer_list_add sets it when it returns NULL */
		skb = defer_list_add(skb, q, &rc);
		if (!skb)
			return rc;
		if (unlikely(skb->next)) {
			rc = defer_list_enqueue(skb, q, &to_free);
			goto unlock;
		}
	}

	/* One skb, as before the defer list (R-Q-2, R-Q-5, R-Q-6). */
	if (unlikely(test_bit(__QDISC_STATE_DEACTIVATED, &q->state))) {
		__qdisc_drop(skb, &to_free); /* R-Q-2 */
		rc = NET_XMIT_DROP;
	} else if ((q->flags & TCQ_F_CAN_BYPASS) && !q->qlen && qdisc_run_begin(q)) {
		/* R-Q-5: empty and idle, so straight to the driver; still counted. */
		qdisc_bstats_update(q, skb);
		if (unetdev__sch_direct_xmit(skb, q, dev, txq, true))
			unetdev__qdisc_run_locked(q); /* others enqueued meanwhile */
		qdisc_run_end(q);
		rc = NET_XMIT_SUCCESS;
	} else {
		rc = q->enqueue(skb, q, &to_free) & NET_XMIT_MASK; /* the code of a lone skb */
		unetdev__qdisc_run(q); /* R-Q-6: only if nobody else runs it */
	}
unlock:
	spin_unlock(&q->lock);
	unetdev__qdisc_free_list(to_free);
	return rc;
}
