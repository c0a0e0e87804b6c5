// SPDX-License-Identifier: MIT
/*
 * Conformance: deferred TX doorbells (include/unetdev/xmit_flush.h) on a
 * local driver whose doorbell is counted: frames collect in a batch of
 * BATCH, the doorbell rings at once when the batch is full and is deferred
 * with netdev_xmit_flush_defer() when !netdev_xmit_more() (R-TX-13: the
 * driver rings when no more follow). The core runs the deferred doorbell
 * when local_bh_enable() ends the section and at the end of an engine
 * CPU's softirq round, under the queue's xmit lock.
 */
#include <pthread.h>
#include <sys/eventfd.h>
#include <unistd.h>
#include <unetdev/engine.h>
#include <unetdev/etherdevice.h>
#include <unetdev/unetdev.h>
#include <unetdev/xmit_flush.h>

#include "harness.h"

#define BATCH 32
#define MAXF  256

struct fpriv {
	struct netdev_xmit_flush flush;
	struct napi_struct napi;
	unsigned int nbatch, nsent, doorbells, napi_frames;
	u32 batch[BATCH], sent[MAXF];
	bool bell_locked, bell_softirq, bell_bh;
	unsigned long bell_token;
};

static struct fpriv *F(struct net_device *dev)
{
	return netdev_priv(dev);
}

/* The doorbell: the batch "reaches the wire". Context: the queue's xmit lock. */
static void f_doorbell(struct netdev_xmit_flush *fl)
{
	struct fpriv *p = container_of(fl, struct fpriv, flush);

	p->bell_locked = spin_held_by_me(&fl->txq->_xmit_lock);
	p->bell_softirq = in_serving_softirq();
	p->bell_bh = in_softirq();
	p->bell_token = unetdev_thread_token();
	for (unsigned int i = 0; i < p->nbatch && p->nsent < MAXF; i++)
		p->sent[p->nsent++] = p->batch[i];
	p->nbatch = 0;
	__atomic_add_fetch(&p->doorbells, 1, __ATOMIC_RELEASE);
}

static netdev_tx_t f_xmit(struct sk_buff *skb, struct net_device *dev)
{
	struct fpriv *p = F(dev);

	p->batch[p->nbatch++] = skb->mark;
	consume_skb(skb);
	if (p->nbatch == BATCH)
		f_doorbell(&p->flush);
	else if (!netdev_xmit_more())
		netdev_xmit_flush_defer(&p->flush);
	return NETDEV_TX_OK;
}

static int f_stop(struct net_device *dev)
{
	netdev_xmit_flush_sync(&F(dev)->flush);
	return 0;
}

static const struct net_device_ops f_ops = {
    .ndo_start_xmit = f_xmit,
    .ndo_stop = f_stop,
};

static void f_setup(struct net_device *dev)
{
	ether_setup(dev);
	dev->netdev_ops = &f_ops;
	dev->priv_flags |= IFF_NO_QUEUE; /* noqueue: every skb alone, xmit_more never set */
}

static struct net_device *f_new(void)
{
	struct net_device *dev = alloc_netdev(sizeof(struct fpriv), "xf%d", NET_NAME_USER, f_setup);

	ASSERT_NOT_NULL(dev);
	netdev_xmit_flush_init(&F(dev)->flush, netdev_get_tx_queue(dev, 0), f_doorbell);
	ASSERT_EQ(register_netdev(dev), 0);
	rtnl_lock();
	ASSERT_EQ(dev_open(dev, NULL), 0);
	rtnl_unlock();
	return dev;
}

static void f_del(struct net_device *dev)
{
	unregister_netdev(dev);
	free_netdev(dev);
}

static void f_send(struct net_device *dev, u32 mark)
{
	struct sk_buff *skb = netdev_alloc_skb(dev, 64);

	ASSERT_NOT_NULL(skb);
	memset(skb_put(skb, 64), 0, 64);
	skb->mark = mark;
	skb->dev = dev;
	ASSERT_EQ(dev_queue_xmit(skb), NET_XMIT_SUCCESS);
}

static void expect_in_order(const struct fpriv *p, unsigned int n)
{
	ASSERT_EQ(p->nsent, n);
	for (unsigned int i = 0; i < n; i++)
		ASSERT_EQ(p->sent[i], i);
}

/* A lone frame from process context: rung before dev_queue_xmit returns. */
TEST(xmit_flush_process_context_single_frame_rings_at_once)
{
	struct net_device *dev = f_new();
	struct fpriv *p = F(dev);

	f_send(dev, 0);
	ASSERT_EQ(p->doorbells, 1);
	expect_in_order(p, 1);
	ASSERT_TRUE(p->bell_locked); /* under the queue's xmit lock */
	ASSERT_FALSE(p->flush.queued);
	f_del(dev);
}

/* A burst with BHs disabled: one doorbell, at local_bh_enable, frames in order. */
TEST(xmit_flush_bh_section_rings_once_at_local_bh_enable)
{
	struct net_device *dev = f_new();
	struct fpriv *p = F(dev);

	local_bh_disable();
	for (u32 i = 0; i < 20; i++)
		f_send(dev, i);
	ASSERT_EQ(p->doorbells, 0); /* deferred, once */
	ASSERT_TRUE(p->flush.queued);
	local_bh_disable(); /* nested: the inner enable does not flush */
	local_bh_enable();
	ASSERT_EQ(p->doorbells, 0);
	local_bh_enable();
	ASSERT_EQ(p->doorbells, 1);
	expect_in_order(p, 20);
	ASSERT_TRUE(p->bell_locked);
	ASSERT_FALSE(p->flush.queued);
	f_del(dev);
}

/* A full batch rings at once; only the remainder waits for the end of the section. */
TEST(xmit_flush_full_batch_rings_at_once_remainder_at_enable)
{
	struct net_device *dev = f_new();
	struct fpriv *p = F(dev);

	local_bh_disable();
	for (u32 i = 0; i < 2 * BATCH + 6; i++)
		f_send(dev, i);
	ASSERT_EQ(p->doorbells, 2);
	ASSERT_EQ(p->nsent, 2 * BATCH);
	local_bh_enable();
	ASSERT_EQ(p->doorbells, 3);
	expect_in_order(p, 2 * BATCH + 6);
	f_del(dev);
}

/* The poll of an engine CPU transmits; nothing else happens afterwards. */
static int f_poll(struct napi_struct *napi, int budget)
{
	struct fpriv *p = container_of(napi, struct fpriv, napi);

	for (u32 i = 0; i < p->napi_frames; i++)
		f_send(napi->dev, i);
	p->napi_frames = 0;
	napi_complete_done(napi, 0);
	(void)budget;
	return 0;
}

static int efd = -1;

static void f_irq_efd(void *ctx, u32 rev)
{
	u64 v;

	(void)rev;
	if (read(efd, &v, sizeof(v)) < 0)
		v = 0;
	napi_schedule(&((struct fpriv *)ctx)->napi);
}

static bool wait_doorbells(struct fpriv *p, unsigned int n)
{
	for (int i = 0; i < 20000; i++) { /* up to 20 s under load */
		if (__atomic_load_n(&p->doorbells, __ATOMIC_ACQUIRE) >= n)
			return true;
		usleep(1000);
	}
	return false;
}

/* A NAPI poll's frames go with the end of the softirq round, before the engine sleeps. */
TEST_TIMEOUT(xmit_flush_napi_poll_rings_at_end_of_round, 60)
{
	struct unetdev_engine_config ec = {.sz = sizeof(ec), .ncpus = 1};
	struct unetdev_irq *irq = NULL;
	struct net_device *dev;
	struct fpriv *p;
	u64 one = 1;

	ASSERT_EQ(unetdev_engine_start(&ec), 0);
	dev = f_new();
	p = F(dev);
	netif_napi_add(dev, &p->napi, f_poll);
	napi_enable(&p->napi);
	efd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	ASSERT_GE(efd, 0);
	ASSERT_EQ(unetdev_irq_request(0, efd, 0x001 /* EPOLLIN */, f_irq_efd, p, &irq), 0);
	p->napi_frames = 5;
	ASSERT_EQ(write(efd, &one, sizeof(one)), (ssize_t)sizeof(one));
	ASSERT_TRUE(wait_doorbells(p, 1)); /* no further traffic, no other wake-up */
	ASSERT_EQ(p->doorbells, 1);	   /* one doorbell for the poll's 5 frames */
	expect_in_order(p, 5);
	ASSERT_TRUE(p->bell_locked);
	ASSERT_TRUE(p->bell_softirq); /* the end of the softirq round */
	ASSERT_NE(p->bell_token, unetdev_thread_token());
	unetdev_irq_free(irq);
	close(efd);
	napi_disable(&p->napi);
	netif_napi_del(&p->napi);
	f_del(dev);
	unetdev_engine_stop();
}

/* Another thread's section holds the entry: a transmit here leaves it queued there. */
static struct net_device *tdev;
static int tstage;

static void *holder(void *arg)
{
	(void)arg;
	local_bh_disable();
	f_send(tdev, 0);
	__atomic_store_n(&tstage, 1, __ATOMIC_RELEASE);
	while (__atomic_load_n(&tstage, __ATOMIC_ACQUIRE) != 2)
		usleep(100);
	local_bh_enable(); /* rings for both threads' frames */
	return NULL;
}

TEST_TIMEOUT(xmit_flush_queued_on_another_cpu_is_rung_by_it_and_sync_waits, 60)
{
	struct fpriv *p;
	pthread_t t;

	tdev = f_new();
	p = F(tdev);
	ASSERT_EQ(pthread_create(&t, NULL, holder, NULL), 0);
	while (__atomic_load_n(&tstage, __ATOMIC_ACQUIRE) != 1)
		usleep(100);
	ASSERT_TRUE(__atomic_load_n(&p->flush.queued, __ATOMIC_ACQUIRE));
	f_send(tdev, 1); /* process context here, but the entry is the other thread's */
	ASSERT_EQ(__atomic_load_n(&p->doorbells, __ATOMIC_ACQUIRE), 0);
	__atomic_store_n(&tstage, 2, __ATOMIC_RELEASE);
	netdev_xmit_flush_sync(&p->flush); /* returns once the holder has rung */
	ASSERT_EQ(__atomic_load_n(&p->doorbells, __ATOMIC_ACQUIRE), 1);
	ASSERT_EQ(pthread_join(t, NULL), 0);
	expect_in_order(p, 2);
	f_del(tdev);
}

/*
 * Close while the doorbell is deferred on another CPU: ndo_stop
 * (netdev_xmit_flush_sync) returns only after that CPU rang it, so the frame
 * is not lost. Whichever comes first, the close or the holder's
 * local_bh_enable, the frame has been rung when dev_close returns.
 */
static void *holder_close(void *arg)
{
	(void)arg;
	local_bh_disable();
	f_send(tdev, 7);
	__atomic_store_n(&tstage, 1, __ATOMIC_RELEASE);
	while (__atomic_load_n(&tstage, __ATOMIC_ACQUIRE) != 2)
		usleep(100);
	usleep(20000); /* most likely after dev_close has started waiting */
	local_bh_enable();
	return NULL;
}

TEST_TIMEOUT(xmit_flush_close_waits_for_a_doorbell_deferred_elsewhere, 60)
{
	struct fpriv *p;
	pthread_t t;

	tstage = 0;
	tdev = f_new();
	p = F(tdev);
	ASSERT_EQ(pthread_create(&t, NULL, holder_close, NULL), 0);
	while (__atomic_load_n(&tstage, __ATOMIC_ACQUIRE) != 1)
		usleep(100);
	__atomic_store_n(&tstage, 2, __ATOMIC_RELEASE);
	rtnl_lock();
	dev_close(tdev);
	rtnl_unlock();
	ASSERT_EQ(__atomic_load_n(&p->doorbells, __ATOMIC_ACQUIRE), 1);
	ASSERT_EQ(p->nsent, 1);
	ASSERT_EQ(p->sent[0], 7);
	ASSERT_FALSE(__atomic_load_n(&p->flush.queued, __ATOMIC_ACQUIRE));
	ASSERT_EQ(pthread_join(t, NULL), 0);
	f_del(tdev);
}
