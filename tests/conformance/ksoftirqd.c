// SPDX-License-Identifier: MIT
/*
 * Conformance: softirq work raised by a thread that is not an engine CPU
 * (docs/runtime-model.md "ksoftirqd"). The thread runs it in
 * local_bh_enable() with the kernel's __do_softirq limits (10 rounds, 2 ms),
 * then hands what is left to a ksoftirqd and returns: the process's
 * ksoftirqd thread without engine threads, engine CPU (token % ncpus) with
 * them. R-NAPI-6/10/11 (SCHED ownership moves with the instance), R-BL-4
 * (the backlog is lent, nothing lost or reordered). UNETDEV_TEST_THREADED.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <time.h>
#include <unistd.h>
#include <unetdev/engine.h>
#include <unetdev/unetdev.h>

#include "harness.h"

static netdev_tx_t k_xmit(struct sk_buff *skb, struct net_device *dev)
{
	consume_skb(skb);
	return NETDEV_TX_OK;
}

static const struct net_device_ops k_ops = {.ndo_start_xmit = k_xmit};

static void k_setup(struct net_device *dev)
{
	ether_setup(dev);
	dev->netdev_ops = &k_ops;
}

static struct net_device *k_dev(void)
{
	struct net_device *dev = alloc_netdev(0, "ks%d", NET_NAME_ENUM, k_setup);

	ASSERT_EQ(register_netdev(dev), 0);
	rtnl_lock();
	ASSERT_EQ(dev_open(dev, NULL), 0);
	rtnl_unlock();
	return dev;
}

static u64 now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (u64)ts.tv_sec * 1000000000ull + (u64)ts.tv_nsec;
}

/* A NAPI that always uses its whole budget until @left frames were delivered. */
struct busy {
	struct napi_struct napi;
	int left;		 /* frames still to deliver (poll owner only) */
	unsigned long me;	 /* the scheduling thread's token */
	int polls_here;		 /* polls on the scheduling thread */
	int polls_there;	 /* polls elsewhere (owner: whoever holds SCHED) */
	int other_cpu;		 /* smp_processor_id() of the last poll elsewhere */
	unsigned long delivered; /* atomic */
	bool done;		 /* atomic: completed */
};

static int busy_poll(struct napi_struct *napi, int budget)
{
	struct busy *b = container_of(napi, struct busy, napi);
	int work = b->left < budget ? b->left : budget;

	if (!in_serving_softirq())
		FAIL("poll outside softirq context");
	if (unetdev_thread_token() == b->me) {
		b->polls_here++;
	} else {
		__atomic_fetch_add(&b->polls_there, 1, __ATOMIC_RELAXED);
		b->other_cpu = (int)smp_processor_id();
	}
	b->left -= work;
	__atomic_fetch_add(&b->delivered, (unsigned long)work, __ATOMIC_RELEASE);
	if (work < budget && napi_complete_done(napi, work))
		__atomic_store_n(&b->done, true, __ATOMIC_RELEASE);
	return work;
}

/* Schedule @b from this thread in a BH section; returns local_bh_enable()'s duration. */
static u64 schedule_from_here(struct busy *b)
{
	u64 t0;

	b->me = unetdev_thread_token();
	local_bh_disable();
	napi_schedule(&b->napi);
	t0 = now_ns();
	local_bh_enable();
	return now_ns() - t0;
}

static void wait_done(struct busy *b, unsigned long total)
{
	for (int i = 0; i < 60000 && !__atomic_load_n(&b->done, __ATOMIC_ACQUIRE); i++)
		usleep(500);
	ASSERT_TRUE(__atomic_load_n(&b->done, __ATOMIC_ACQUIRE));
	ASSERT_EQ(__atomic_load_n(&b->delivered, __ATOMIC_ACQUIRE), total);
}

#define FRAMES (64UL * 20000) /* 20000 full polls: far beyond 10 rounds of 300 */

/* Without engine threads: the process's ksoftirqd thread continues. */
TEST(ksoftirqd_napi_always_busy_hands_over_without_engine)
{
	struct net_device *dev = k_dev();
	struct busy b = {.left = (int)FRAMES};
	u64 ns;

	netif_napi_add(dev, &b.napi, busy_poll);
	napi_enable(&b.napi);
	ns = schedule_from_here(&b);
	printf("# local_bh_enable returned after %.3f ms, %d polls here\n", (double)ns / 1e6,
	       b.polls_here);
	/* 10 rounds of netdev_budget 300 = 5 polls of 64 each, at most; at least one round. */
	ASSERT_GE(b.polls_here, 1);
	ASSERT_LE(b.polls_here, 50);
	ASSERT_LT(ns, 500000000ull); /* 2 ms + one round in the kernel; generous under load */
	ASSERT_FALSE(__atomic_load_n(&b.done, __ATOMIC_ACQUIRE)); /* it went on elsewhere */
	wait_done(&b, FRAMES);
	ASSERT_GT(b.polls_there, 0);
	ASSERT_EQ(b.polls_here + b.polls_there, (int)(FRAMES / 64) + 1); /* + the completing poll */
	napi_disable(&b.napi); /* SCHED is free again (R-NAPI-3) */
	netif_napi_del(&b.napi);
	unregister_netdev(dev);
	free_netdev(dev);
}

/*
 * Every hand-over wakes the ksoftirqd thread at once, not only the first: its
 * kick is written again once the thread has taken the last one (a kick left
 * marked would leave the next hand-over to the thread's 1 s poll timeout).
 */
TEST(ksoftirqd_thread_is_woken_for_every_hand_over)
{
	struct net_device *dev = k_dev();

	for (int round = 0; round < 3; round++) {
		struct busy b = {.left = 64 * 100}; /* 100 full polls: beyond 10 rounds */
		u64 t0 = now_ns();

		netif_napi_add(dev, &b.napi, busy_poll);
		napi_enable(&b.napi);
		schedule_from_here(&b);
		wait_done(&b, 64 * 100);
		printf("# round %d: done after %.3f ms\n", round, (double)(now_ns() - t0) / 1e6);
		ASSERT_GT(__atomic_load_n(&b.polls_there, __ATOMIC_RELAXED), 0);
		ASSERT_LT(now_ns() - t0, 500000000ull); /* a missed wake-up costs 1 s */
		napi_disable(&b.napi);
		netif_napi_del(&b.napi);
	}
	unregister_netdev(dev);
	free_netdev(dev);
}

/* With engine threads: engine CPU token % ncpus continues, as smp_processor_id names it. */
TEST(ksoftirqd_napi_always_busy_goes_to_the_threads_engine_cpu)
{
	struct unetdev_engine_config cfg = {.ncpus = 3};
	struct net_device *dev;
	struct busy b = {.left = (int)FRAMES, .other_cpu = -1};
	u64 ns;

	ASSERT_EQ(unetdev_engine_start(&cfg), 0);
	dev = k_dev();
	netif_napi_add(dev, &b.napi, busy_poll);
	napi_enable(&b.napi);
	ns = schedule_from_here(&b);
	printf("# local_bh_enable returned after %.3f ms, %d polls here\n", (double)ns / 1e6,
	       b.polls_here);
	ASSERT_LE(b.polls_here, 50);
	ASSERT_LT(ns, 500000000ull);
	wait_done(&b, FRAMES);
	ASSERT_EQ(b.other_cpu, (int)(unetdev_thread_token() % 3));
	ASSERT_EQ(b.polls_here + b.polls_there, (int)(FRAMES / 64) + 1);
	napi_disable(&b.napi);
	netif_napi_del(&b.napi);
	unregister_netdev(dev);
	free_netdev(dev);
	unetdev_engine_stop();
}

/* napi_disable() from the scheduling thread while the ksoftirqd owns the instance. */
TEST(ksoftirqd_napi_disable_waits_for_the_ksoftirqd_poll)
{
	struct net_device *dev = k_dev();
	struct busy b = {.left = 1 << 30};

	netif_napi_add(dev, &b.napi, busy_poll);
	napi_enable(&b.napi);
	schedule_from_here(&b);
	for (int i = 0; i < 20000 && !__atomic_load_n(&b.polls_there, __ATOMIC_RELAXED); i++)
		usleep(500);
	napi_disable(&b.napi); /* the ksoftirqd's next poll sees DISABLE and completes */
	ASSERT_TRUE(test_bit(NAPI_STATE_SCHED, &b.napi.state));
	ASSERT_GT(__atomic_load_n(&b.polls_there, __ATOMIC_RELAXED), 0);
	netif_napi_del(&b.napi);
	unregister_netdev(dev);
	free_netdev(dev);
}

/* ---- the backlog: lent, never reordered or lost ---- */

static unsigned long rx_count, rx_bad_order, rx_next, rx_here, rx_here_token;

static int seq_rcv(struct sk_buff *skb, struct net_device *dev, struct packet_type *pt,
		   struct net_device *orig)
{
	unsigned long seq;

	memcpy(&seq, skb->data, sizeof(seq));
	if (seq != rx_next) /* one receiver at a time: the backlog's SCHED owner */
		rx_bad_order++;
	rx_next = seq + 1;
	if (unetdev_thread_token() == rx_here_token)
		rx_here++;
	__atomic_fetch_add(&rx_count, 1, __ATOMIC_RELEASE);
	consume_skb(skb);
	return NET_RX_SUCCESS;
}

static struct sk_buff *seq_frame(struct net_device *dev, unsigned long seq)
{
	struct sk_buff *skb = netdev_alloc_skb(dev, 64);
	unsigned char *p;

	ASSERT_NOT_NULL(skb);
	p = skb_put(skb, 64);
	memset(p, 0, 64);
	memset(p, 0xff, ETH_ALEN);
	memcpy(p + ETH_ALEN, dev->dev_addr, ETH_ALEN);
	p[12] = 0x88;
	p[13] = 0xb6;
	memcpy(p + 14, &seq, sizeof(seq));
	skb->protocol = eth_type_trans(skb, dev);
	return skb;
}

TEST(ksoftirqd_backlog_lent_keeps_order_and_loses_nothing)
{
	struct net_device *dev = k_dev();
	struct packet_type pt = {.type = htons(0x88b6), .func = seq_rcv, .dev = dev};
	const unsigned long per_burst = 20000, bursts = 5;
	unsigned long seq = 0, last = 0;

	rx_here_token = unetdev_thread_token();
	dev_add_pack(&pt);
	unetdev_sysctl_netdev_max_backlog(1000000);
	for (unsigned long k = 0; k < bursts; k++) {
		local_bh_disable();
		for (unsigned long i = 0; i < per_burst; i++)
			ASSERT_EQ(netif_rx(seq_frame(dev, seq++)), NET_RX_SUCCESS);
		local_bh_enable(); /* 10 rounds of 300 at most here; the rest on the ksoftirqd */
		if (k == 0)
			last = rx_here; /* delivered by this thread */
	}
	printf("# %lu of the first burst delivered by the sending thread\n", last);
	ASSERT_LE(last, 3000UL);
	for (int i = 0; i < 60000 && __atomic_load_n(&rx_count, __ATOMIC_ACQUIRE) < seq; i++)
		usleep(500);
	ASSERT_EQ(__atomic_load_n(&rx_count, __ATOMIC_ACQUIRE), per_burst * bursts);
	dev_remove_pack(&pt); /* synchronize_net: the last receiver has returned */
	ASSERT_EQ(rx_bad_order, 0UL);
	unetdev_sysctl_netdev_max_backlog(1000);
	unregister_netdev(dev);
	free_netdev(dev);
}

/* A thread that exits with its backlog lent waits for it; nothing is lost. */
static struct net_device *exit_dev;

static void *exiting_sender(void *arg)
{
	(void)arg;
	local_bh_disable();
	for (unsigned long i = 0; i < 30000; i++)
		netif_rx(seq_frame(exit_dev, i));
	local_bh_enable();
	return NULL;
}

TEST(ksoftirqd_thread_exit_with_lent_backlog_loses_nothing)
{
	struct net_device *dev = k_dev();
	struct packet_type pt = {.type = htons(0x88b6), .func = seq_rcv, .dev = dev};
	pthread_t th;

	exit_dev = dev;
	dev_add_pack(&pt);
	unetdev_sysctl_netdev_max_backlog(1000000);
	ASSERT_EQ(pthread_create(&th, NULL, exiting_sender, NULL), 0);
	pthread_join(th, NULL);
	for (int i = 0; i < 60000 && __atomic_load_n(&rx_count, __ATOMIC_ACQUIRE) < 30000; i++)
		usleep(500);
	ASSERT_EQ(__atomic_load_n(&rx_count, __ATOMIC_ACQUIRE), 30000UL);
	dev_remove_pack(&pt);
	ASSERT_EQ(rx_bad_order, 0UL);
	unetdev_sysctl_netdev_max_backlog(1000);
	unregister_netdev(dev);
	free_netdev(dev);
}
