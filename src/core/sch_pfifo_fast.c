// SPDX-License-Identifier: MIT
/*
 * sch_pfifo_fast.c - the default qdisc (kernel net/sched/sch_generic.c,
 * pfifo_fast_*). Rules R-Q-3, R-Q-4, R-K-14, R-MTU-16 (resize).
 *
 * Modern layout ([C], per-band rings since ~v4.16): each of the three bands
 * is a ring of tx_queue_len slots, so up to 3 x tx_queue_len packets fit and
 * a full band drops even while the others have room. The kernel guards each
 * ring with its own lock and runs the qdisc lockless; here the rings are
 * under the qdisc lock of the 2013 run loop (sch_generic.h). What the rules
 * observe - band choice, order, capacity, counters - is the same.
 */
#include "sch_generic.h"

#define PFIFO_FAST_BANDS 3
#define TC_PRIO_MAX	 15

/* R-K-14: priority -> band; band 0 is served first. */
static const u8 prio2band[TC_PRIO_MAX + 1] = {1, 2, 2, 2, 1, 2, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1};

struct skb_ring {
	struct sk_buff **slots;
	unsigned int size;  /* tx_queue_len at creation or last resize */
	unsigned int head;  /* oldest entry */
	unsigned int count; /* entries in use */
};

struct pfifo_fast_priv {
	struct skb_ring bands[PFIFO_FAST_BANDS];
};

static bool ring_produce(struct skb_ring *r, struct sk_buff *skb)
{
	if (r->count == r->size)
		return false;
	r->slots[(r->head + r->count) % r->size] = skb;
	r->count++;
	return true;
}

static struct sk_buff *ring_consume(struct skb_ring *r)
{
	struct sk_buff *skb;

	if (!r->count)
		return NULL;
	skb = r->slots[r->head];
	r->slots[r->head] = NULL;
	r->head = (r->head + 1) % r->size;
	r->count--;
	return skb;
}

static int ring_init(struct skb_ring *r, unsigned int size)
{
	// NOLINTNEXTLINE(bugprone-sizeof-expression): an array of pointers
	r->slots = unetdev__kcalloc(size, sizeof(*r->slots), "kmalloc");
	if (!r->slots)
		return -ENOMEM;
	r->size = size;
	r->head = r->count = 0;
	return 0;
}

/* R-Q-3/4: the band by priority; a full band drops and counts. */
static int pfifo_fast_enqueue(struct sk_buff *skb, struct Qdisc *q, struct sk_buff **to_free)
{
	struct pfifo_fast_priv *priv = qdisc_priv(q);
	struct skb_ring *r = &priv->bands[prio2band[skb->priority & TC_PRIO_MAX]];

	if (!ring_produce(r, skb))
		return qdisc_drop(skb, q, to_free);
	q->qlen++;
	q->backlog += skb->len;
	return NET_XMIT_SUCCESS;
}

/* R-Q-3: band 0 before 1 before 2, FIFO inside a band. */
static struct sk_buff *pfifo_fast_dequeue(struct Qdisc *q)
{
	struct pfifo_fast_priv *priv = qdisc_priv(q);

	for (int band = 0; band < PFIFO_FAST_BANDS; band++) {
		struct sk_buff *skb = ring_consume(&priv->bands[band]);

		if (skb) {
			q->qlen--;
			q->backlog -= skb->len;
			qdisc_bstats_update(q, skb);
			return skb;
		}
	}
	return NULL;
}

static void pfifo_fast_reset(struct Qdisc *q)
{
	struct pfifo_fast_priv *priv = qdisc_priv(q);

	for (int band = 0; band < PFIFO_FAST_BANDS; band++) {
		struct sk_buff *skb;

		while ((skb = ring_consume(&priv->bands[band])))
			kfree_skb(skb);
	}
}

static void pfifo_fast_destroy(struct Qdisc *q)
{
	struct pfifo_fast_priv *priv = qdisc_priv(q);

	for (int band = 0; band < PFIFO_FAST_BANDS; band++) {
		unetdev__kfree(priv->bands[band].slots);
		priv->bands[band].slots = NULL;
	}
}

static int pfifo_fast_init(struct Qdisc *q)
{
	struct pfifo_fast_priv *priv = qdisc_priv(q);
	unsigned int len = qdisc_dev(q)->tx_queue_len;

	if (!len)
		return -EINVAL; /* R-Q-4: guard against zero-length rings */
	for (int band = 0; band < PFIFO_FAST_BANDS; band++) {
		if (ring_init(&priv->bands[band], len)) {
			pfifo_fast_destroy(q); /* init cleans up after itself */
			return -ENOMEM;
		}
	}
	q->flags |= TCQ_F_CAN_BYPASS;
	return 0;
}

unsigned int unetdev__pfifo_fast_count(struct Qdisc *q, unsigned int *bytes)
{
	struct pfifo_fast_priv *priv = qdisc_priv(q);
	unsigned int n = 0;

	*bytes = 0;
	for (int band = 0; band < PFIFO_FAST_BANDS; band++) {
		const struct skb_ring *r = &priv->bands[band];

		for (unsigned int i = 0; i < r->count; i++)
			*bytes += r->slots[(r->head + i) % r->size]->len;
		n += r->count;
	}
	return n;
}

/*
 * R-MTU-16 (kernel pfifo_fast_change_tx_queue_len / ptr_ring_resize): new
 * rings of @len slots keep the oldest packets in order; what does not fit is
 * dropped. Context: rtnl held; the device is deactivated, so nobody runs q.
 */
int unetdev__pfifo_fast_change_tx_queue_len(struct Qdisc *q, unsigned int len)
{
	struct pfifo_fast_priv *priv = qdisc_priv(q);
	struct skb_ring fresh[PFIFO_FAST_BANDS] = {0};
	struct sk_buff *skb;

	if (!len)
		return -EINVAL;
	for (int band = 0; band < PFIFO_FAST_BANDS; band++) {
		if (ring_init(&fresh[band], len)) {
			while (band--)
				unetdev__kfree(fresh[band].slots);
			return -ENOMEM;
		}
	}
	spin_lock(&q->lock);
	for (int band = 0; band < PFIFO_FAST_BANDS; band++) {
		while ((skb = ring_consume(&priv->bands[band]))) {
			if (ring_produce(&fresh[band], skb))
				continue;
			q->qlen--;
			q->backlog -= skb->len;
			q->drops++;
			kfree_skb_reason(skb, SKB_DROP_REASON_QDISC_DROP);
		}
		unetdev__kfree(priv->bands[band].slots);
		priv->bands[band] = fresh[band];
	}
	spin_unlock(&q->lock);
	return 0;
}

const struct Qdisc_ops unetdev__pfifo_fast_ops = {
    .id = "pfifo_fast",
    .priv_size = sizeof(struct pfifo_fast_priv),
    .enqueue = pfifo_fast_enqueue,
    .dequeue = pfifo_fast_dequeue,
    .init = pfifo_fast_init,
    .reset = pfifo_fast_reset,
    .destroy = pfifo_fast_destroy,
};
