// SPDX-License-Identifier: MIT
/*
 * Conformance: the qdisc layer and pfifo_fast (R-Q-1..12), the qdisc parts of
 * R-MTU-16 (resize) and R-MTU-17 (flush above real_num_tx_queues), on a local
 * recording driver: it records what it is handed and
 * the context of each call, and can return a code once, stopping its queue
 * first as a correct driver does.
 */
#include <unetdev/engine.h>
#include <unetdev/unetdev.h>

#include "harness.h"

#define MAXREC 4096

struct tpriv {
	int ret_once;	  /* returned (skb kept) by the next call, 0 = none */
	bool stop_on_ret; /* stop the queue before returning ret_once */
	int n;		  /* calls that consumed an skb */
	u32 mark[MAXREC];
	bool more[MAXREC], softirq[MAXREC];
};

static netdev_tx_t t_xmit(struct sk_buff *skb, struct net_device *dev)
{
	struct tpriv *p = netdev_priv(dev);
	int ret = p->ret_once;
	int i;

	if (ret) {
		p->ret_once = 0;
		if (p->stop_on_ret)
			netif_tx_stop_queue(netdev_get_tx_queue(dev, skb_get_queue_mapping(skb)));
		return (netdev_tx_t)ret;
	}
	i = p->n++;
	if (i < MAXREC) {
		p->mark[i] = skb->mark;
		p->more[i] = netdev_xmit_more();
		p->softirq[i] = in_serving_softirq();
	}
	consume_skb(skb);
	return NETDEV_TX_OK;
}

static const struct net_device_ops t_ops = {.ndo_start_xmit = t_xmit};

static void t_setup(struct net_device *dev)
{
	ether_setup(dev);
	dev->netdev_ops = &t_ops;
}

static struct net_device *mk(unsigned int txqs, unsigned int qlen)
{
	struct net_device *dev =
	    alloc_netdev_mqs(sizeof(struct tpriv), "q%d", NET_NAME_ENUM, t_setup, txqs, txqs);

	ASSERT_NOT_NULL(dev);
	if (qlen)
		dev->tx_queue_len = qlen;
	ASSERT_EQ(register_netdev(dev), 0);
	rtnl_lock();
	ASSERT_EQ(dev_open(dev, NULL), 0);
	rtnl_unlock();
	return dev;
}

static void rm(struct net_device *dev)
{
	unregister_netdev(dev);
	free_netdev(dev);
}

static struct tpriv *P(struct net_device *dev)
{
	return netdev_priv(dev);
}

static struct netdev_queue *txq0(struct net_device *dev)
{
	return netdev_get_tx_queue(dev, 0);
}

static struct sk_buff *frame(struct net_device *dev, u32 prio, u32 mark, unsigned int len)
{
	struct sk_buff *skb = alloc_skb(NET_SKB_PAD + len, GFP_ATOMIC);

	ASSERT_NOT_NULL(skb);
	skb_reserve(skb, NET_SKB_PAD);
	memset(skb_put(skb, len), 0, len);
	skb->dev = dev;
	skb->priority = prio;
	skb->mark = mark;
	return skb;
}

static struct unetdev_qdisc_stats qstats(struct Qdisc *q)
{
	struct unetdev_qdisc_stats st;

	ASSERT_EQ(unetdev_qdisc_stats(q, &st), 0);
	return st;
}

static u64 core_tx_dropped(struct net_device *dev)
{
	struct rtnl_link_stats64 s;

	dev_get_stats(dev, &s);
	return s.tx_dropped;
}

static char logbuf[4096];

static void capture(int level, const char *line, void *ctx)
{
	strncat(logbuf, line, sizeof(logbuf) - strlen(logbuf) - 2);
	strcat(logbuf, "\n");
}

/*
 * Stop queue 0 and send one skb: an empty qdisc is bypassed (R-Q-5) even
 * when the queue is stopped, so that skb is requeued (R-Q-9) and leaves the
 * bands empty for what the test queues next. It is sent first on wake.
 */
static void stop_and_plug(struct net_device *dev)
{
	netif_tx_stop_queue(txq0(dev));
	ASSERT_EQ(dev_queue_xmit(frame(dev, 0, 1000, 60)), NET_XMIT_SUCCESS);
	ASSERT_EQ(qstats(dev->qdisc).requeues, 1);
}

/* ---- R-Q-1 / R-Q-2 ---- */

TEST(r_q_1_noop_drops_and_reports_congestion_while_down)
{
	struct net_device *dev =
	    alloc_netdev_mqs(sizeof(struct tpriv), "q%d", NET_NAME_ENUM, t_setup, 1, 1);

	ASSERT_EQ(register_netdev(dev), 0);
	ASSERT_STR_EQ(unetdev_qdisc_id(txq0(dev)->qdisc), "noop");
	ASSERT_EQ(dev_queue_xmit(frame(dev, 0, 1, 60)), NET_XMIT_CN);
	ASSERT_EQ(core_tx_dropped(dev), 1);
	ASSERT_EQ(P(dev)->n, 0);
	ASSERT_EQ(skb_live_count(), 0);
	rm(dev);
}

TEST(r_q_1_noop_while_carrier_is_down)
{
	struct net_device *dev = mk(1, 0);

	netif_carrier_off(dev);
	linkwatch_run_queue(); /* deactivates: queues point at noop */
	ASSERT_STR_EQ(unetdev_qdisc_id(txq0(dev)->qdisc), "noop");
	ASSERT_EQ(dev_queue_xmit(frame(dev, 0, 1, 60)), NET_XMIT_CN);
	ASSERT_EQ(P(dev)->n, 0);
	netif_carrier_on(dev);
	linkwatch_run_queue();
	ASSERT_STR_EQ(unetdev_qdisc_id(txq0(dev)->qdisc), "pfifo_fast");
	ASSERT_EQ(dev_queue_xmit(frame(dev, 0, 2, 60)), NET_XMIT_SUCCESS);
	ASSERT_EQ(P(dev)->n, 1);
	rm(dev);
}

/*
 * A transmitter that read txq->qdisc just before dev_deactivate swapped in
 * noop still reaches the old qdisc: it is DEACTIVATED and drops. The test
 * plays that transmitter by putting the old pointer back for one call.
 */
TEST(r_q_2_deactivated_qdisc_drops_with_net_xmit_drop)
{
	struct net_device *dev = mk(1, 0);
	struct Qdisc *old = txq0(dev)->qdisc, *noop;

	rtnl_lock();
	dev_close(dev);
	rtnl_unlock();
	noop = txq0(dev)->qdisc;
	ASSERT_STR_EQ(unetdev_qdisc_id(noop), "noop");
	txq0(dev)->qdisc = old;
	ASSERT_EQ(dev_queue_xmit(frame(dev, 0, 1, 60)), NET_XMIT_DROP);
	txq0(dev)->qdisc = noop;
	rtnl_lock();
	ASSERT_EQ(dev_open(dev, NULL), 0); /* reactivation restores the pointer */
	rtnl_unlock();
	ASSERT_PTR_EQ(txq0(dev)->qdisc, old);
	ASSERT_EQ(P(dev)->n, 0);
	ASSERT_EQ(skb_live_count(), 0);
	rm(dev);
}

/* ---- R-Q-3 / R-Q-4 (pfifo_fast) ---- */

TEST(r_q_3_band_0_before_1_before_2_fifo_within_a_band)
{
	static const u32 prio[] = {1, 0, 6, 2, 4, 7, 8, 3, 15, 5};
	static const u32 want[] = {2, 5, 1, 4, 6, 8, 0, 3, 7, 9}; /* indices by band, FIFO */
	struct net_device *dev = mk(1, 0);

	stop_and_plug(dev);
	for (u32 i = 0; i < ARRAY_SIZE(prio); i++)
		ASSERT_EQ(dev_queue_xmit(frame(dev, prio[i], i, 60)), NET_XMIT_SUCCESS);
	ASSERT_EQ(P(dev)->n, 0);
	ASSERT_TRUE(unetdev_qdisc_check(dev->qdisc));
	netif_tx_wake_queue(txq0(dev));
	ASSERT_EQ(P(dev)->n, 1 + ARRAY_SIZE(prio));
	ASSERT_EQ(P(dev)->mark[0], 1000);
	for (u32 i = 0; i < ARRAY_SIZE(want); i++)
		ASSERT_EQ(P(dev)->mark[1 + i], want[i]);
	rm(dev);
}

TEST(r_q_4_each_band_is_a_ring_of_tx_queue_len)
{
	struct net_device *dev = mk(1, 4);
	struct unetdev_qdisc_stats st;

	stop_and_plug(dev);
	ASSERT_EQ(qstats(dev->qdisc).qlen, 1); /* a requeued skb is still part of the queue */
	for (u32 i = 0; i < 4; i++)
		ASSERT_EQ(dev_queue_xmit(frame(dev, 0, i, 100)), NET_XMIT_SUCCESS); /* band 1 */
	ASSERT_EQ(dev_queue_xmit(frame(dev, 0, 99, 100)), NET_XMIT_DROP);	    /* full */
	for (u32 i = 0; i < 4; i++) {
		ASSERT_EQ(dev_queue_xmit(frame(dev, 6, 10 + i, 100)),
			  NET_XMIT_SUCCESS); /* band 0 */
		ASSERT_EQ(dev_queue_xmit(frame(dev, 1, 20 + i, 100)),
			  NET_XMIT_SUCCESS); /* band 2 */
	}
	st = qstats(dev->qdisc);
	ASSERT_EQ(st.qlen, 1 + 12); /* 3 x tx_queue_len in the bands */
	ASSERT_EQ(st.backlog, 60 + 1200);
	ASSERT_EQ(st.drops, 1);
	ASSERT_EQ(skb_drop_count(SKB_DROP_REASON_QDISC_DROP), 1);
	ASSERT_TRUE(unetdev_qdisc_check(dev->qdisc));
	netif_tx_wake_queue(txq0(dev));
	ASSERT_EQ(P(dev)->n, 13);
	st = qstats(dev->qdisc);
	ASSERT_EQ(st.qlen, 0);
	ASSERT_EQ(st.backlog, 0);
	ASSERT_UEQ(st.packets, 13); /* the bypassed one counted once, not again on requeue */
	ASSERT_UEQ(st.bytes, 60 + 1200);
	rm(dev);
}

/* ---- R-Q-5 .. R-Q-7 ---- */

TEST(r_q_5_empty_idle_qdisc_is_bypassed_and_still_counted)
{
	struct net_device *dev = mk(1, 0);
	struct unetdev_qdisc_stats st;

	ASSERT_EQ(dev_queue_xmit(frame(dev, 0, 7, 80)), NET_XMIT_SUCCESS);
	ASSERT_EQ(P(dev)->n, 1);
	ASSERT_FALSE(P(dev)->softirq[0]); /* sent inside dev_queue_xmit itself */
	st = qstats(dev->qdisc);
	ASSERT_UEQ(st.packets, 1);
	ASSERT_UEQ(st.bytes, 80);
	ASSERT_EQ(st.qlen, 0);
	rm(dev);
}

/*
 * R-Q-7: the runner sends 64 packets, then reschedules itself; the rest goes
 * out from the TX softirq when this thread re-enables BHs.
 */
TEST(r_q_7_quota_of_64_then_the_tx_softirq_continues)
{
	struct net_device *dev = mk(1, 0);
	int direct = 0;

	netif_tx_stop_queue(txq0(dev));
	for (u32 i = 0; i < 200; i++)
		ASSERT_EQ(dev_queue_xmit(frame(dev, 0, i, 60)), NET_XMIT_SUCCESS);
	local_bh_disable();
	netif_tx_start_queue(txq0(dev)); /* no reschedule (R-TXQ-2) */
	ASSERT_EQ(dev_queue_xmit(frame(dev, 0, 200, 60)), NET_XMIT_SUCCESS); /* runs the qdisc */
	ASSERT_EQ(P(dev)->n, 64);
	local_bh_enable();
	ASSERT_EQ(P(dev)->n, 201);
	for (int i = 0; i < 201; i++) {
		ASSERT_EQ(P(dev)->mark[i], i);
		direct += !P(dev)->softirq[i];
	}
	ASSERT_EQ(direct, 64);
	rm(dev);
}

/*
 * On an engine CPU a rescheduled qdisc waits for the next softirq round (the
 * kernel's restart loop, then ksoftirqd): one wake sends whole quotas only,
 * and later rounds of the CPU's loop send the rest.
 */
TEST(r_q_7_engine_cpu_continues_in_later_softirq_rounds)
{
	struct unetdev_engine_config cfg = {.sz = sizeof(cfg), .ncpus = 1, .no_threads = true};
	struct net_device *dev = mk(1, 0);
	int sent;

	ASSERT_EQ(unetdev_engine_start(&cfg), 0);
	ASSERT_EQ(unetdev_cpu_attach(0), 0);
	netif_tx_stop_queue(txq0(dev));
	for (u32 i = 0; i < 1000; i++)
		ASSERT_EQ(dev_queue_xmit(frame(dev, 0, i, 60)), NET_XMIT_SUCCESS);
	netif_tx_wake_queue(txq0(dev));
	sent = P(dev)->n;
	ASSERT_EQ(sent % 64, 0);
	ASSERT_LT(sent, 1000); /* at most 10 restarts x 64 in one go */
	for (int i = 0; i < 100 && P(dev)->n < 1000; i++)
		unetdev_cpu_run(0);
	ASSERT_EQ(P(dev)->n, 1000);
	for (int i = 0; i < 1000; i++)
		ASSERT_EQ(P(dev)->mark[i], i);
	unetdev_cpu_detach();
	unetdev_engine_stop();
	rm(dev);
}

/* ---- R-Q-8 .. R-Q-9 ---- */

TEST(r_q_8_stopped_queue_is_not_dequeued_requeued_skb_goes_first)
{
	struct net_device *dev = mk(1, 0);
	struct unetdev_qdisc_stats st;

	P(dev)->ret_once = NETDEV_TX_BUSY;
	P(dev)->stop_on_ret = true;
	ASSERT_EQ(dev_queue_xmit(frame(dev, 0, 1, 60)), NET_XMIT_SUCCESS); /* bypass, BUSY */
	ASSERT_TRUE(netif_tx_queue_stopped(txq0(dev)));
	ASSERT_EQ(dev_queue_xmit(frame(dev, 6, 2, 60)), NET_XMIT_SUCCESS); /* band 0 */
	ASSERT_EQ(P(dev)->n, 0);
	st = qstats(dev->qdisc);
	ASSERT_EQ(st.qlen, 2);
	ASSERT_EQ(st.requeues, 1);
	ASSERT_TRUE(unetdev_qdisc_check(dev->qdisc));
	netif_tx_wake_queue(txq0(dev));
	ASSERT_EQ(P(dev)->n, 2);
	ASSERT_EQ(P(dev)->mark[0], 1); /* the requeued one, although band 0 waits */
	ASSERT_EQ(P(dev)->mark[1], 2);
	rm(dev);
}

/* Bulk dequeue: chained (xmit_more) only while BQL's byte budget allows. */
TEST(r_q_8_bulk_dequeue_is_bounded_by_bql_budget)
{
	struct net_device *dev = mk(1, 0);

	netif_tx_stop_queue(txq0(dev));
	for (u32 i = 0; i < 4; i++)
		ASSERT_EQ(dev_queue_xmit(frame(dev, 0, i, 100)), NET_XMIT_SUCCESS);
	netif_tx_wake_queue(txq0(dev)); /* fresh DQL: limit 0, no bulk */
	for (int i = 0; i < 4; i++)
		ASSERT_FALSE(P(dev)->more[i]);

	txq0(dev)->dql.adj_limit = 250; /* room for 250 bytes: this skb + 2 more */
	netif_tx_stop_queue(txq0(dev));
	for (u32 i = 0; i < 5; i++) /* the first is bypassed, hits the stop, requeued */
		ASSERT_EQ(dev_queue_xmit(frame(dev, 0, 10 + i, 100)), NET_XMIT_SUCCESS);
	netif_tx_wake_queue(txq0(dev));
	ASSERT_EQ(P(dev)->n, 9);
	ASSERT_FALSE(P(dev)->more[4]); /* a requeued skb goes alone */
	ASSERT_TRUE(P(dev)->more[5]);  /* 250 - 100 = 150 > 0: chain */
	ASSERT_TRUE(P(dev)->more[6]);  /* 150 - 100 = 50 > 0: chain */
	ASSERT_FALSE(P(dev)->more[7]); /* -50: the batch of three ends */
	ASSERT_FALSE(P(dev)->more[8]);
	txq0(dev)->dql.adj_limit = 0;
	rm(dev);
}

TEST(r_q_9_busy_requeues_counts_and_reschedules)
{
	struct net_device *dev = mk(1, 0);

	P(dev)->ret_once = NETDEV_TX_BUSY;
	P(dev)->stop_on_ret = true;
	ASSERT_EQ(dev_queue_xmit(frame(dev, 0, 1, 60)), NET_XMIT_SUCCESS);
	ASSERT_EQ(qstats(dev->qdisc).requeues, 1);
	ASSERT_EQ(qstats(dev->qdisc).qlen, 1);
	netif_tx_wake_queue(txq0(dev)); /* R-TXQ-3: reschedules; the softirq sends it */
	ASSERT_EQ(P(dev)->n, 1);
	ASSERT_EQ(qstats(dev->qdisc).qlen, 0);
	rm(dev);
}

TEST(r_q_9_unexpected_code_logs_bug_and_requeues)
{
	struct net_device *dev = mk(1, 0);
	char want[80];

	unetdev_log_set_fn(capture, NULL);
	P(dev)->ret_once = 0x40; /* not complete, not BUSY */
	ASSERT_EQ(dev_queue_xmit(frame(dev, 0, 1, 60)), NET_XMIT_SUCCESS);
	unetdev_log_set_fn(NULL, NULL);
	snprintf(want, sizeof(want), "BUG %s code %d qlen %d", dev->name, 0x40, 0);
	ASSERT_CONTAINS(logbuf, want);
	ASSERT_EQ(qstats(dev->qdisc).requeues, 1);
	ASSERT_EQ(P(dev)->n, 1); /* the requeue rescheduled it: sent on the retry */
	rm(dev);
}

/* ---- R-Q-10 ---- */

TEST(r_q_10_wake_schedules_and_the_softirq_runs_at_bh_enable)
{
	struct net_device *dev = mk(1, 0);

	netif_tx_stop_queue(txq0(dev));
	ASSERT_EQ(dev_queue_xmit(frame(dev, 0, 1, 60)), NET_XMIT_SUCCESS);
	local_bh_disable();
	netif_tx_wake_queue(txq0(dev));
	netif_tx_wake_queue(txq0(dev)); /* not stopped any more: nothing */
	ASSERT_EQ(P(dev)->n, 0);	/* only raised */
	local_bh_enable();
	ASSERT_EQ(P(dev)->n, 1);
	ASSERT_TRUE(P(dev)->softirq[0]);
	rm(dev);
}

TEST(r_q_10_tx_softirq_frees_the_completion_queue)
{
	struct sk_buff *skb = alloc_skb(64, GFP_ATOMIC);
	unsigned long consumed = skb_drop_count(SKB_CONSUMED);

	local_bh_disable();
	dev_kfree_skb_irq(skb);
	ASSERT_EQ(skb_live_count(), 1); /* queued for NET_TX */
	local_bh_enable();
	ASSERT_EQ(skb_live_count(), 0);
	ASSERT_UEQ(skb_drop_count(SKB_CONSUMED), consumed + 1);
}

/* ---- R-Q-11 / R-Q-12 ---- */

TEST(r_q_11_deactivate_frees_queued_and_requeued_skbs)
{
	struct net_device *dev = mk(1, 0);
	struct unetdev_qdisc_stats st;

	P(dev)->ret_once = NETDEV_TX_BUSY;
	P(dev)->stop_on_ret = true;
	for (u32 i = 0; i < 5; i++)
		ASSERT_EQ(dev_queue_xmit(frame(dev, 0, i, 60)), NET_XMIT_SUCCESS);
	ASSERT_EQ(qstats(dev->qdisc).qlen, 5);
	ASSERT_EQ(skb_live_count(), 5);
	rtnl_lock();
	dev_close(dev);
	rtnl_unlock();
	ASSERT_EQ(skb_live_count(), 0);
	st = qstats(txq0(dev)->qdisc_sleeping);
	ASSERT_EQ(st.qlen, 0);
	ASSERT_EQ(st.backlog, 0);
	ASSERT_TRUE(unetdev_qdisc_check(txq0(dev)->qdisc_sleeping));
	ASSERT_EQ(P(dev)->n, 0);
	rm(dev);
}

TEST(r_q_12_unregister_releases_qdiscs_with_queued_skbs)
{
	struct net_device *dev = mk(4, 0);

	ASSERT_STR_EQ(unetdev_qdisc_id(dev->qdisc), "mq");
	for (unsigned int i = 0; i < 4; i++)
		netif_tx_stop_queue(netdev_get_tx_queue(dev, i));
	for (u32 i = 0; i < 16; i++) {
		struct sk_buff *skb = frame(dev, 0, i, 60);

		skb->hash = i * 0x10000000u;
		ASSERT_EQ(dev_queue_xmit(skb), NET_XMIT_SUCCESS);
	}
	ASSERT_EQ(qstats(dev->qdisc).qlen, 16); /* mq sums its children */
	ASSERT_TRUE(unetdev_qdisc_check(dev->qdisc));
	rm(dev); /* leak check at the end of the test covers the skbs */
}

/* ---- R-MTU-16 (the qdisc part) ---- */

TEST(r_mtu_16_tx_queue_len_change_resizes_the_bands)
{
	struct net_device *dev = mk(1, 2);

	stop_and_plug(dev);
	ASSERT_EQ(dev_queue_xmit(frame(dev, 0, 1, 60)), NET_XMIT_SUCCESS);
	ASSERT_EQ(dev_queue_xmit(frame(dev, 0, 2, 60)), NET_XMIT_SUCCESS);
	ASSERT_EQ(dev_queue_xmit(frame(dev, 0, 3, 60)), NET_XMIT_DROP);
	rtnl_lock();
	ASSERT_EQ(dev_change_tx_queue_len(dev, 5), 0); /* up: deactivated around it */
	rtnl_unlock();
	ASSERT_EQ(skb_live_count(), 0); /* the deactivation flushed the queue */
	netif_tx_stop_queue(txq0(dev));
	ASSERT_EQ(dev_queue_xmit(frame(dev, 0, 1000, 60)), NET_XMIT_SUCCESS); /* requeued */
	for (u32 i = 0; i < 5; i++)
		ASSERT_EQ(dev_queue_xmit(frame(dev, 0, 10 + i, 60)), NET_XMIT_SUCCESS);
	ASSERT_EQ(dev_queue_xmit(frame(dev, 0, 20, 60)), NET_XMIT_DROP);
	ASSERT_TRUE(unetdev_qdisc_check(dev->qdisc));
	netif_tx_wake_queue(txq0(dev));
	ASSERT_EQ(P(dev)->n, 6);
	rm(dev);
}

/* ---- R-MTU-17 (the qdisc part) ---- */

TEST(r_mtu_17_shrinking_real_tx_queues_flushes_the_queues_above)
{
	struct net_device *dev = mk(4, 0);
	struct netdev_queue *q3 = netdev_get_tx_queue(dev, 3);

	netif_tx_stop_queue(q3);
	for (u32 i = 0; i < 3; i++) {
		struct sk_buff *skb = frame(dev, 0, i, 60);

		skb->hash = 0xffffffffu; /* (hash * 4) >> 32 = queue 3 */
		ASSERT_EQ(dev_queue_xmit(skb), NET_XMIT_SUCCESS);
	}
	ASSERT_EQ(qstats(q3->qdisc).qlen, 3);
	rtnl_lock();
	ASSERT_EQ(netif_set_real_num_tx_queues(dev, 2), 0);
	rtnl_unlock();
	ASSERT_EQ(qstats(q3->qdisc).qlen, 0);
	ASSERT_EQ(skb_live_count(), 0);
	netif_tx_start_queue(q3);
	rm(dev);
}
