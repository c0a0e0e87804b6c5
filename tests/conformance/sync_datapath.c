// SPDX-License-Identifier: MIT
/*
 * Conformance: datapath synchronisation (R-SYNC-5, R-Q-6, R-Q-11, R-TXQ-3/7
 * with BQL) with several threads: transmitters racing on one device, a
 * completion thread that stops and wakes the queue, close while transmitting.
 * Runs under TSan too (suite "threaded").
 */
#include <pthread.h>
#include <unistd.h>
#include <unetdev/engine.h>
#include <unetdev/unetdev.h>

#include "harness.h"

#define RING 16

struct tpriv {
	/* context seen by ndo_start_xmit */
	int calls, bad_lock, bad_bh, inflight, max_inflight;
	/* ring mode: skbs wait for the completion thread */
	bool ring_mode;
	pthread_mutex_t ring_lock;
	struct sk_buff *ring[RING];
	int ring_n;
	long delivered;
	unsigned long burst0; /* SKB_DROP_REASON_QDISC_BURST_DROP count when made */
};

static struct tpriv *P(struct net_device *dev)
{
	return netdev_priv(dev);
}

static void ring_put(struct net_device *dev, struct sk_buff *skb, struct netdev_queue *txq)
{
	struct tpriv *p = P(dev);

	pthread_mutex_lock(&p->ring_lock);
	p->ring[p->ring_n++] = skb;
	netdev_tx_sent_queue(txq, skb->len); /* BQL: may set STACK_XOFF */
	if (p->ring_n == RING)
		netif_tx_stop_queue(txq); /* full: stop before the next one (R-TX-11) */
	pthread_mutex_unlock(&p->ring_lock);
}

static netdev_tx_t t_xmit(struct sk_buff *skb, struct net_device *dev)
{
	struct tpriv *p = P(dev);
	struct netdev_queue *txq = netdev_get_tx_queue(dev, skb_get_queue_mapping(skb));
	int now = __atomic_add_fetch(&p->inflight, 1, __ATOMIC_ACQ_REL);
	int max = __atomic_load_n(&p->max_inflight, __ATOMIC_RELAXED);

	while (now > max && !__atomic_compare_exchange_n(&p->max_inflight, &max, now, false,
							 __ATOMIC_RELAXED, __ATOMIC_RELAXED))
		;
	__atomic_add_fetch(&p->calls, 1, __ATOMIC_RELAXED);
	if (!(dev->features & NETIF_F_LLTX) && !spin_held_by_me(&txq->_xmit_lock))
		__atomic_add_fetch(&p->bad_lock, 1, __ATOMIC_RELAXED);
	if (!in_softirq())
		__atomic_add_fetch(&p->bad_bh, 1, __ATOMIC_RELAXED);
	if (p->ring_mode) {
		ring_put(dev, skb, txq);
	} else {
		__atomic_add_fetch(&p->delivered, 1, __ATOMIC_RELAXED);
		consume_skb(skb);
	}
	__atomic_sub_fetch(&p->inflight, 1, __ATOMIC_ACQ_REL);
	return NETDEV_TX_OK;
}

static const struct net_device_ops t_ops = {.ndo_start_xmit = t_xmit};

static void t_setup(struct net_device *dev)
{
	ether_setup(dev);
	dev->netdev_ops = &t_ops;
}

static struct net_device *mk(unsigned int txqs, netdev_features_t features, bool noqueue)
{
	struct net_device *dev =
	    alloc_netdev_mqs(sizeof(struct tpriv), "s%d", NET_NAME_ENUM, t_setup, txqs, txqs);

	ASSERT_NOT_NULL(dev);
	pthread_mutex_init(&P(dev)->ring_lock, NULL);
	P(dev)->burst0 = skb_drop_count(SKB_DROP_REASON_QDISC_BURST_DROP);
	dev->features |= features;
	if (noqueue)
		dev->priv_flags |= IFF_NO_QUEUE;
	ASSERT_EQ(register_netdev(dev), 0);
	rtnl_lock();
	ASSERT_EQ(dev_open(dev, NULL), 0);
	rtnl_unlock();
	return dev;
}

static void rm(struct net_device *dev)
{
	pthread_mutex_destroy(&P(dev)->ring_lock);
	unregister_netdev(dev);
	free_netdev(dev);
}

static struct sk_buff *frame(struct net_device *dev, u32 hash)
{
	struct sk_buff *skb = alloc_skb(128, GFP_ATOMIC);

	ASSERT_NOT_NULL(skb);
	memset(skb_put(skb, 60), 0, 60);
	skb->dev = dev;
	skb->hash = hash;
	return skb;
}

/*
 * Skbs the qdisc layer dropped: the qdisc's own drops (a full band) and, since
 * the device was made, those dropped on a full defer list (R-TX-15: a
 * preempted first sender lets unthrottled senders fill it).
 */
static unsigned long qdrops(struct net_device *dev)
{
	struct unetdev_qdisc_stats st;

	ASSERT_EQ(unetdev_qdisc_stats(dev->qdisc, &st), 0);
	return st.drops + skb_drop_count(SKB_DROP_REASON_QDISC_BURST_DROP) - P(dev)->burst0;
}

struct sender {
	struct net_device *dev;
	int count; /* packets to send; 0 = until stop */
	int *stop;
	long sent;
	unsigned int seed;
};

static void *send_fn(void *arg)
{
	struct sender *s = arg;

	for (int i = 0; s->count ? i < s->count : !__atomic_load_n(s->stop, __ATOMIC_ACQUIRE);
	     i++) {
		s->seed = s->seed * 1103515245u + 12345u;
		dev_queue_xmit(frame(s->dev, s->seed));
		s->sent++;
	}
	return NULL;
}

static void run_senders(struct sender *s, int n)
{
	pthread_t th[8];

	for (int i = 0; i < n; i++)
		ASSERT_EQ(pthread_create(&th[i], NULL, send_fn, &s[i]), 0);
	for (int i = 0; i < n; i++)
		pthread_join(th[i], NULL);
}

/* ---- R-SYNC-5 ---- */

TEST(r_sync_5_start_xmit_under_queue_lock_with_bh_off_on_every_path)
{
	struct net_device *q = mk(1, 0, false), *v = mk(1, 0, true),
			  *l = mk(1, NETIF_F_LLTX, false);

	dev_queue_xmit(frame(q, 0)); /* bypass */
	netif_tx_stop_queue(netdev_get_tx_queue(q, 0));
	dev_queue_xmit(frame(q, 0));			/* requeued */
	dev_queue_xmit(frame(q, 0));			/* queued */
	netif_tx_wake_queue(netdev_get_tx_queue(q, 0)); /* TX softirq */
	dev_queue_xmit(frame(v, 0));			/* noqueue */
	dev_direct_xmit(frame(q, 0), 0);
	dev_queue_xmit(frame(l, 0)); /* LLTX: no core lock, BHs still off */
	ASSERT_EQ(P(q)->calls, 4);
	ASSERT_EQ(P(v)->calls, 1);
	ASSERT_EQ(P(l)->calls, 1);
	ASSERT_EQ(P(q)->bad_lock + P(v)->bad_lock + P(q)->bad_bh + P(v)->bad_bh + P(l)->bad_bh, 0);
	ASSERT_EQ(unetdev_check_count("R-SYNC-5"), 0);
	rm(q);
	rm(v);
	rm(l);
}

TEST(r_sync_5_threads_transmitting_on_one_multiqueue_device)
{
	struct net_device *dev = mk(4, 0, false);
	struct sender s[4];

	for (int i = 0; i < 4; i++)
		s[i] = (struct sender){.dev = dev, .count = 3000, .seed = (unsigned int)i + 1};
	run_senders(s, 4);
	ASSERT_EQ(P(dev)->delivered + (long)qdrops(dev), 4 * 3000);
	ASSERT_EQ(P(dev)->bad_lock + P(dev)->bad_bh, 0);
	ASSERT_TRUE(unetdev_qdisc_check(dev->qdisc));
	rm(dev);
}

/* ---- R-Q-6 ---- */

/* An LLTX driver is not serialised by the core's queue lock: only the qdisc's
 * single runner keeps its calls from overlapping. */
TEST(r_q_6_one_runner_per_qdisc_under_concurrent_senders)
{
	struct net_device *dev = mk(1, NETIF_F_LLTX, false);
	struct sender s[4];

	for (int i = 0; i < 4; i++)
		s[i] = (struct sender){.dev = dev, .count = 3000};
	run_senders(s, 4);
	ASSERT_EQ(P(dev)->max_inflight, 1);
	ASSERT_EQ(P(dev)->delivered + (long)qdrops(dev), 4 * 3000);
	rm(dev);
}

/* ---- R-TXQ-3 + R-BQL-5 from a completion thread ---- */

struct completer {
	struct net_device *dev;
	int *stop;
};

static void *complete_fn(void *arg)
{
	struct completer *c = arg;
	struct tpriv *p = P(c->dev);
	struct netdev_queue *txq = netdev_get_tx_queue(c->dev, 0);

	while (!__atomic_load_n(c->stop, __ATOMIC_ACQUIRE)) {
		struct sk_buff *done[RING];
		unsigned int bytes = 0;
		int n;

		pthread_mutex_lock(&p->ring_lock);
		n = p->ring_n;
		memcpy(done, p->ring, sizeof(done));
		p->ring_n = 0;
		for (int i = 0; i < n; i++)
			bytes += done[i]->len;
		pthread_mutex_unlock(&p->ring_lock);
		/*
		 * Outside the ring lock: a wake runs the qdisc, and so our xmit, right
		 * here once BHs are back on. Under the queue lock, as many drivers do:
		 * the kernel also allows completion concurrent with dql_queued(), but
		 * dql_completed() reads last_obj_cnt with a plain load (dql.c), which
		 * TSan reports; lockless completion waits for that fix.
		 */
		local_bh_disable();
		__netif_tx_lock(txq, 0);
		netdev_tx_completed_queue(txq, (unsigned int)n, bytes);
		__netif_tx_unlock(txq);
		local_bh_enable();
		for (int i = 0; i < n; i++)
			consume_skb(done[i]);
		__atomic_add_fetch(&p->delivered, n, __ATOMIC_RELAXED);
		if (netif_tx_queue_stopped(txq)) { /* nothing transmits now: check for room */
			bool room;

			pthread_mutex_lock(&p->ring_lock);
			room = p->ring_n < RING;
			pthread_mutex_unlock(&p->ring_lock);
			if (room)
				netif_tx_wake_queue(txq); /* reschedules the qdisc (R-TXQ-3) */
		}
		if (!n)
			usleep(50);
	}
	return NULL;
}

TEST_TIMEOUT(r_txq_3_queue_stopped_by_xmit_woken_by_another_thread, 120)
{
	struct net_device *dev = mk(1, 0, false);
	int stop = 0;
	struct completer c = {.dev = dev, .stop = &stop};
	struct sender s[2];
	pthread_t th;

	P(dev)->ring_mode = true;
	ASSERT_EQ(pthread_create(&th, NULL, complete_fn, &c), 0);
	for (int i = 0; i < 2; i++)
		s[i] = (struct sender){.dev = dev, .count = 5000};
	run_senders(s, 2);
	for (int i = 0; i < 20000; i++) {
		if (__atomic_load_n(&P(dev)->delivered, __ATOMIC_RELAXED) + (long)qdrops(dev) ==
		    2 * 5000)
			break;
		unetdev_cpu_run(0);
		usleep(100);
	}
	__atomic_store_n(&stop, 1, __ATOMIC_RELEASE);
	pthread_join(th, NULL);
	ASSERT_EQ(P(dev)->delivered + (long)qdrops(dev), 2 * 5000);
	ASSERT_EQ(P(dev)->bad_lock + P(dev)->bad_bh, 0);
	ASSERT_TRUE(unetdev_qdisc_check(dev->qdisc));
	rm(dev);
}

/* ---- R-TXQ-7 across threads ---- */

static int tx_lock_sent; /* the main thread transmitted while the queues were frozen */

static void *tx_lock_fn(void *arg)
{
	struct net_device *dev = arg;

	netif_tx_lock_bh(dev);
	/* Held until the other thread has transmitted (not a fixed time: under
	 * load it may not run at all within one). */
	for (int ms = 0; !__atomic_load_n(&tx_lock_sent, __ATOMIC_ACQUIRE) && ms < 20000; ms++)
		usleep(1000);
	netif_tx_unlock_bh(dev); /* unfreeze reschedules on this thread */
	return NULL;
}

TEST(r_txq_7_netif_tx_lock_in_another_thread_holds_the_qdisc_path)
{
	struct net_device *dev = mk(1, 0, false);
	pthread_t th;

	__atomic_store_n(&tx_lock_sent, 0, __ATOMIC_RELAXED);
	ASSERT_EQ(pthread_create(&th, NULL, tx_lock_fn, dev), 0);
	while (!test_bit(__QUEUE_STATE_FROZEN, &netdev_get_tx_queue(dev, 0)->state))
		usleep(100);
	dev_queue_xmit(frame(dev, 0));
	dev_queue_xmit(frame(dev, 0));
	__atomic_store_n(&tx_lock_sent, 1, __ATOMIC_RELEASE);
	pthread_join(th, NULL);
	ASSERT_EQ(P(dev)->calls, 2);
	rm(dev);
}

/* ---- R-Q-11 ---- */

TEST(r_q_11_close_while_threads_transmit)
{
	struct net_device *dev = mk(2, 0, false);
	int stop = 0;
	struct sender s[3];
	pthread_t th[3];
	int calls;

	for (int i = 0; i < 3; i++) {
		s[i] = (struct sender){.dev = dev, .stop = &stop, .seed = (unsigned int)i};
		ASSERT_EQ(pthread_create(&th[i], NULL, send_fn, &s[i]), 0);
	}
	usleep(20000);
	rtnl_lock();
	dev_close(dev); /* returns with no qdisc running or scheduled */
	rtnl_unlock();
	calls = __atomic_load_n(&P(dev)->calls, __ATOMIC_ACQUIRE);
	usleep(20000);
	ASSERT_EQ(__atomic_load_n(&P(dev)->calls, __ATOMIC_ACQUIRE), calls);
	__atomic_store_n(&stop, 1, __ATOMIC_RELEASE);
	for (int i = 0; i < 3; i++)
		pthread_join(th[i], NULL);
	ASSERT_TRUE(unetdev_qdisc_check(dev->qdisc));
	rm(dev);
}
