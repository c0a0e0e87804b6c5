// SPDX-License-Identifier: MIT
/*
 * Conformance: TX queue flow control, control-plane part (R-TXQ-1..8):
 * the DRV_XOFF / STACK_XOFF / FROZEN bits, their predicates, netif_tx_disable
 * and netif_tx_lock, and the queue lock owner; wake rescheduling the qdisc.
 */
#include <pthread.h>
#include <unistd.h>
#include <unetdev/unetdev.h>

#include "harness.h"

#define NQ 4

static netdev_tx_t q_xmit(struct sk_buff *skb, struct net_device *dev)
{
	consume_skb(skb);
	return NETDEV_TX_OK;
}

static const struct net_device_ops q_ops = {.ndo_start_xmit = q_xmit};

static void q_setup(struct net_device *dev)
{
	ether_setup(dev);
	dev->netdev_ops = &q_ops;
}

/* Queue state does not need registration: allocated queues are enough. */
static struct net_device *mk(void)
{
	struct net_device *dev = alloc_netdev_mqs(0, "q0", NET_NAME_USER, q_setup, NQ, NQ);

	ASSERT_NOT_NULL(dev);
	return dev;
}

static struct netdev_queue *txq(struct net_device *dev, unsigned int i)
{
	return netdev_get_tx_queue(dev, i);
}

#define XOFF   BIT(__QUEUE_STATE_DRV_XOFF)
#define STACK  BIT(__QUEUE_STATE_STACK_XOFF)
#define FROZEN BIT(__QUEUE_STATE_FROZEN)

TEST(r_txq_1_stop_records_trans_start_then_sets_drv_xoff)
{
	struct net_device *dev = mk();

	unetdev_clock_set_manual(true);
	unetdev_clock_advance(7);
	txq(dev, 1)->trans_start = 1;
	netif_tx_stop_queue(txq(dev, 1));
	ASSERT_UEQ(txq(dev, 1)->trans_start, jiffies);
	ASSERT_UEQ(txq(dev, 1)->state, XOFF);
	ASSERT_UEQ(txq(dev, 0)->state, 0);
	free_netdev(dev);
}

TEST(r_txq_2_start_clears_drv_xoff_only)
{
	struct net_device *dev = mk();

	txq(dev, 0)->state = XOFF | STACK;
	txq(dev, 0)->trans_start = 42;
	netif_tx_start_queue(txq(dev, 0));
	ASSERT_UEQ(txq(dev, 0)->state, STACK);
	ASSERT_UEQ(txq(dev, 0)->trans_start, 42);
	txq(dev, 0)->state = 0;
	free_netdev(dev);
}

TEST(r_txq_3_wake_clears_drv_xoff_and_leaves_other_bits)
{
	struct net_device *dev = mk();

	txq(dev, 0)->state = STACK;
	netif_tx_wake_queue(txq(dev, 0)); /* not stopped: nothing happens */
	ASSERT_UEQ(txq(dev, 0)->state, STACK);
	txq(dev, 0)->state = XOFF | STACK;
	netif_tx_wake_queue(txq(dev, 0));
	ASSERT_UEQ(txq(dev, 0)->state, STACK);
	txq(dev, 0)->state = 0;
	free_netdev(dev);
}

static int w_sent;

static netdev_tx_t w_xmit(struct sk_buff *skb, struct net_device *dev)
{
	w_sent++;
	consume_skb(skb);
	return NETDEV_TX_OK;
}

static const struct net_device_ops w_ops = {.ndo_start_xmit = w_xmit};

static void w_setup(struct net_device *dev)
{
	ether_setup(dev);
	dev->netdev_ops = &w_ops;
}

static void w_send(struct net_device *dev)
{
	struct sk_buff *skb = alloc_skb(64, GFP_KERNEL);

	ASSERT_NOT_NULL(skb);
	skb_put(skb, 60);
	skb->dev = dev;
	ASSERT_EQ(dev_queue_xmit(skb), NET_XMIT_SUCCESS);
}

TEST(r_txq_3_wake_reschedules_the_qdisc)
{
	struct net_device *dev = alloc_netdev(0, "w0", NET_NAME_USER, w_setup);

	ASSERT_NOT_NULL(dev);
	ASSERT_EQ(register_netdev(dev), 0);
	rtnl_lock();
	ASSERT_EQ(dev_open(dev, NULL), 0);
	rtnl_unlock();
	netif_stop_queue(dev);
	w_send(dev);
	w_send(dev);
	ASSERT_EQ(w_sent, 0); /* held by the qdisc while DRV_XOFF is set */
	netif_tx_start_queue(txq(dev, 0));
	ASSERT_EQ(w_sent, 0); /* R-TXQ-2: start does not reschedule */
	netif_stop_queue(dev);
	netif_wake_queue(dev);
	ASSERT_EQ(w_sent, 2);  /* wake did: the TX softirq sent both */
	netif_wake_queue(dev); /* not stopped: nothing to do */
	ASSERT_EQ(w_sent, 2);
	unregister_netdev(dev);
	free_netdev(dev);
}

TEST(r_txq_4_predicates_test_their_bits)
{
	static const struct {
		unsigned long state;
		bool stopped, xmit_stopped, frozen_or_stopped, frozen_or_drv_stopped;
	} cases[] = {
	    {0, false, false, false, false},
	    {XOFF, true, true, true, true},
	    {STACK, false, true, true, false},
	    {FROZEN, false, false, true, true},
	    {XOFF | STACK | FROZEN, true, true, true, true},
	};
	struct net_device *dev = mk();

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		struct netdev_queue *q = txq(dev, 0);

		q->state = cases[i].state;
		ASSERT_EQ(netif_tx_queue_stopped(q), cases[i].stopped);
		ASSERT_EQ(netif_queue_stopped(dev), cases[i].stopped);
		ASSERT_EQ(netif_xmit_stopped(q), cases[i].xmit_stopped);
		ASSERT_EQ(netif_xmit_frozen_or_stopped(q), cases[i].frozen_or_stopped);
		ASSERT_EQ(netif_xmit_frozen_or_drv_stopped(q), cases[i].frozen_or_drv_stopped);
	}
	txq(dev, 0)->state = 0;
	free_netdev(dev);
}

TEST(r_txq_5_device_helpers_use_queue_0_all_helpers_use_num_tx_queues)
{
	struct net_device *dev = mk();

	ASSERT_EQ(netif_set_real_num_tx_queues(dev, 2), 0);
	netif_stop_queue(dev);
	ASSERT_TRUE(netif_queue_stopped(dev));
	ASSERT_FALSE(netif_tx_queue_stopped(txq(dev, 1)));
	netif_wake_queue(dev);
	ASSERT_FALSE(netif_queue_stopped(dev));

	netif_stop_subqueue(dev, 3);
	ASSERT_TRUE(__netif_subqueue_stopped(dev, 3));
	ASSERT_FALSE(__netif_subqueue_stopped(dev, 2));
	netif_start_subqueue(dev, 3);
	ASSERT_FALSE(__netif_subqueue_stopped(dev, 3));

	netif_tx_stop_all_queues(dev); /* beyond real_num_tx_queues too */
	for (unsigned int i = 0; i < NQ; i++)
		ASSERT_TRUE(netif_tx_queue_stopped(txq(dev, i)));
	netif_tx_wake_all_queues(dev);
	for (unsigned int i = 0; i < NQ; i++)
		ASSERT_FALSE(netif_tx_queue_stopped(txq(dev, i)));
	netif_tx_stop_all_queues(dev);
	netif_tx_start_all_queues(dev);
	for (unsigned int i = 0; i < NQ; i++)
		ASSERT_FALSE(netif_tx_queue_stopped(txq(dev, i)));
	free_netdev(dev);
}

TEST(r_txq_6_tx_disable_stops_every_queue)
{
	struct net_device *dev = mk();

	unetdev_clock_set_manual(true);
	netif_tx_disable(dev);
	for (unsigned int i = 0; i < NQ; i++) {
		ASSERT_TRUE(netif_tx_queue_stopped(txq(dev, i)));
		ASSERT_UEQ(txq(dev, i)->trans_start, jiffies);
		ASSERT_EQ(txq(dev, i)->xmit_lock_owner, -1);
	}
	ASSERT_FALSE(spin_is_locked(&dev->tx_global_lock));
	ASSERT_FALSE(in_softirq()); /* BHs re-enabled */
	free_netdev(dev);
}

/* A transmitter inside ndo_start_xmit: holds queue @i's lock until released. */
struct holder {
	struct net_device *dev;
	unsigned int queue;
	int held, release;
	pthread_t th;
};

static void *hold_queue(void *arg)
{
	struct holder *h = arg;
	struct netdev_queue *q = netdev_get_tx_queue(h->dev, h->queue);

	__netif_tx_lock(q, (int)smp_processor_id());
	__atomic_store_n(&h->held, 1, __ATOMIC_RELEASE);
	while (!__atomic_load_n(&h->release, __ATOMIC_ACQUIRE))
		usleep(1000);
	__netif_tx_unlock(q);
	return NULL;
}

static void holder_start(struct holder *h, struct net_device *dev, unsigned int queue)
{
	*h = (struct holder){.dev = dev, .queue = queue};
	ASSERT_EQ(pthread_create(&h->th, NULL, hold_queue, h), 0);
	while (!__atomic_load_n(&h->held, __ATOMIC_ACQUIRE))
		usleep(1000);
}

static void holder_release(struct holder *h)
{
	__atomic_store_n(&h->release, 1, __ATOMIC_RELEASE);
	pthread_join(h->th, NULL);
}

/* Poll for a state another thread reaches (no fixed sleep: robust under load). */
#define WAIT_FOR(cond)                                                                             \
	for (int wait_ms_ = 0; !(cond) && wait_ms_ < 20000; wait_ms_++)                            \
	usleep(1000)

struct caller {
	struct net_device *dev;
	int done;
	pthread_t th;
};

static void *call_tx_disable(void *arg)
{
	struct caller *c = arg;

	netif_tx_disable(c->dev);
	__atomic_store_n(&c->done, 1, __ATOMIC_RELEASE);
	return NULL;
}

static void *call_tx_lock(void *arg)
{
	struct caller *c = arg;

	netif_tx_lock(c->dev);
	__atomic_store_n(&c->done, 1, __ATOMIC_RELEASE);
	netif_tx_unlock(c->dev);
	return NULL;
}

TEST(r_txq_6_tx_disable_waits_for_a_transmit_in_progress)
{
	struct net_device *dev = mk();
	struct holder h;
	struct caller c = {.dev = dev};

	holder_start(&h, dev, 2);
	ASSERT_EQ(pthread_create(&c.th, NULL, call_tx_disable, &c), 0);
	WAIT_FOR(netif_tx_queue_stopped(txq(dev, 1)));
	ASSERT_FALSE(__atomic_load_n(&c.done, __ATOMIC_ACQUIRE));
	ASSERT_TRUE(netif_tx_queue_stopped(txq(dev, 1)));  /* queues before 2: done */
	ASSERT_FALSE(netif_tx_queue_stopped(txq(dev, 2))); /* waits for the transmitter */
	holder_release(&h);
	pthread_join(c.th, NULL);
	ASSERT_TRUE(c.done);
	for (unsigned int i = 0; i < NQ; i++)
		ASSERT_TRUE(netif_tx_queue_stopped(txq(dev, i)));
	free_netdev(dev);
}

TEST(r_txq_7_tx_lock_freezes_every_queue_unlock_thaws)
{
	struct net_device *dev = mk();

	netif_tx_stop_queue(txq(dev, 3));
	netif_tx_lock(dev);
	ASSERT_TRUE(spin_held_by_me(&dev->tx_global_lock));
	for (unsigned int i = 0; i < NQ; i++) {
		struct netdev_queue *q = txq(dev, i);

		ASSERT_TRUE(test_bit(__QUEUE_STATE_FROZEN, &q->state));
		ASSERT_TRUE(netif_xmit_frozen_or_stopped(q));
		ASSERT_EQ(netif_xmit_stopped(q), i == 3);     /* frozen is not "stopped" */
		ASSERT_FALSE(spin_is_locked(&q->_xmit_lock)); /* taken and released */
	}
	netif_tx_unlock(dev);
	ASSERT_FALSE(spin_is_locked(&dev->tx_global_lock));
	for (unsigned int i = 0; i < NQ; i++)
		ASSERT_FALSE(test_bit(__QUEUE_STATE_FROZEN, &txq(dev, i)->state));
	ASSERT_TRUE(netif_tx_queue_stopped(txq(dev, 3))); /* other reasons stay */
	free_netdev(dev);
}

/* R-TXQ-7 with R-SYNC-14's order: tx_global_lock first, then each queue lock. */
TEST(r_txq_7_tx_lock_takes_the_global_lock_then_each_queue_lock)
{
	struct net_device *dev = mk();
	struct holder h;
	struct caller c = {.dev = dev};

	holder_start(&h, dev, 1);
	ASSERT_EQ(pthread_create(&c.th, NULL, call_tx_lock, &c), 0);
	WAIT_FOR(spin_is_locked(&dev->tx_global_lock) &&
		 test_bit(__QUEUE_STATE_FROZEN, &txq(dev, 0)->state));
	ASSERT_FALSE(__atomic_load_n(&c.done, __ATOMIC_ACQUIRE));
	ASSERT_TRUE(spin_is_locked(&dev->tx_global_lock));
	ASSERT_TRUE(test_bit(__QUEUE_STATE_FROZEN, &txq(dev, 0)->state));
	ASSERT_FALSE(test_bit(__QUEUE_STATE_FROZEN, &txq(dev, 1)->state));
	holder_release(&h);
	pthread_join(c.th, NULL);
	ASSERT_TRUE(c.done);
	for (unsigned int i = 0; i < NQ; i++)
		ASSERT_FALSE(test_bit(__QUEUE_STATE_FROZEN, &txq(dev, i)->state));
	free_netdev(dev);
}

TEST(r_txq_7_bh_variants_disable_bottom_halves_while_held)
{
	struct net_device *dev = mk();

	netif_tx_lock_bh(dev);
	ASSERT_TRUE(in_softirq());
	ASSERT_TRUE(netif_xmit_frozen_or_stopped(txq(dev, 2)));
	netif_tx_unlock_bh(dev);
	ASSERT_FALSE(in_softirq());
	ASSERT_FALSE(netif_xmit_frozen_or_stopped(txq(dev, 2)));
	free_netdev(dev);
}

static void *try_queue_lock(void *arg)
{
	struct netdev_queue *q = arg;
	bool got = __netif_tx_trylock(q);

	if (got)
		__netif_tx_unlock(q);
	return got ? q : NULL;
}

TEST(r_txq_8_tx_owned_is_the_lock_owner_cpu)
{
	struct net_device *dev = mk();
	struct netdev_queue *q = txq(dev, 0);
	unsigned int me = smp_processor_id();
	void *res;
	pthread_t th;

	ASSERT_EQ(q->xmit_lock_owner, -1);
	__netif_tx_lock(q, 5);
	ASSERT_TRUE(netif_tx_owned(q, 5));
	ASSERT_FALSE(netif_tx_owned(q, 6));
	ASSERT_EQ(pthread_create(&th, NULL, try_queue_lock, q), 0);
	pthread_join(th, &res);
	ASSERT_NULL(res); /* held: the trylock fails */
	__netif_tx_unlock(q);
	ASSERT_FALSE(netif_tx_owned(q, 5));
	ASSERT_EQ(q->xmit_lock_owner, -1);

	if (!__netif_tx_trylock(q))
		FAIL("trylock of a free queue lock failed");
	ASSERT_TRUE(netif_tx_owned(q, me)); /* trylock records smp_processor_id() */
	__netif_tx_unlock(q);
	ASSERT_EQ(pthread_create(&th, NULL, try_queue_lock, q), 0);
	pthread_join(th, &res);
	ASSERT_PTR_EQ(res, q);
	free_netdev(dev);
}
