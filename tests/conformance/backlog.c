// SPDX-License-Identifier: MIT
/*
 * Conformance: netif_rx and the per-CPU backlog (R-BL-1..7, R-NAPI-16),
 * on the calling thread's own softnet and on engine CPUs (netif_rx from
 * hardirq handlers of interrupt lines), and unregistration while packets sit
 * in an engine CPU's backlog (R-BL-6 / R-UNREG-6).
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <pthread.h>
#include <sys/eventfd.h>
#include <unistd.h>
#include <unetdev/engine.h>
#include <unetdev/unetdev.h>

#include "harness.h"
#include "netdev_util.h"

static int delivered, delivered_b;
static struct net_device *dev_a;
static volatile int block_first;

static int h_count(struct sk_buff *skb, struct net_device *dev, struct packet_type *pt,
		   struct net_device *orig)
{
	if (skb->dev == dev_a) {
		__atomic_fetch_add(&delivered, 1, __ATOMIC_RELEASE);
		while (__atomic_load_n(&block_first, __ATOMIC_ACQUIRE))
			usleep(1000);
	} else {
		__atomic_fetch_add(&delivered_b, 1, __ATOMIC_RELAXED);
	}
	consume_skb(skb);
	return NET_RX_SUCCESS;
}

static struct packet_type ip_pt = {.func = h_count}; /* .type set in mkdev() */

static struct net_device *mkdev(const char *name)
{
	ip_pt.type = htons(ETH_P_IP);
	return tu_null_up(name);
}

static struct sk_buff *frame(struct net_device *dev)
{
	struct sk_buff *skb = netdev_alloc_skb(dev, 60);
	struct ethhdr *eth = skb_put(skb, ETH_HLEN);

	memcpy(eth->h_dest, dev->dev_addr, ETH_ALEN);
	memset(eth->h_source, 0x02, ETH_ALEN);
	eth->h_proto = htons(ETH_P_IP);
	memset(skb_put(skb, 46), 0, 46);
	skb->protocol = eth_type_trans(skb, dev);
	return skb;
}

static void drain(int want)
{
	for (int i = 0; i < 10000 && __atomic_load_n(&delivered, __ATOMIC_ACQUIRE) < want; i++) {
		unetdev_cpu_run(0);
		usleep(100);
	}
}

TEST(r_bl_1_netif_rx_queues_never_inline)
{
	struct net_device *dev = mkdev("bl1");

	dev_a = dev;
	__atomic_store_n(&delivered, 0, __ATOMIC_RELAXED);
	dev_add_pack(&ip_pt);
	local_bh_disable(); /* as in softirq: the backlog runs later */
	ASSERT_EQ(netif_rx(frame(dev)), NET_RX_SUCCESS);
	ASSERT_EQ(netif_rx(frame(dev)), NET_RX_SUCCESS);
	ASSERT_EQ(__atomic_load_n(&delivered, __ATOMIC_ACQUIRE), 0);
	local_bh_enable(); /* R-BL-4: the backlog NAPI was scheduled; NET_RX runs now */
	ASSERT_EQ(__atomic_load_n(&delivered, __ATOMIC_ACQUIRE), 2);
	dev_remove_pack(&ip_pt);
	unregister_netdev(dev);
}

static void bl3_fill(struct net_device *dev, int n, int *ok, int *drop)
{
	*ok = *drop = 0;
	local_bh_disable();
	for (int i = 0; i < n; i++) {
		if (netif_rx(frame(dev)) == NET_RX_SUCCESS)
			(*ok)++;
		else
			(*drop)++;
	}
	local_bh_enable();
}

TEST(r_bl_3_admits_max_backlog_plus_one)
{
	struct net_device *dev = mkdev("bl3");
	struct unetdev_softnet_stat a, b;
	int ok, drop;

	dev_a = dev;
	__atomic_store_n(&delivered, 0, __ATOMIC_RELAXED);
	dev_add_pack(&ip_pt);
	ASSERT_EQ(unetdev_sysctl_netdev_max_backlog(0), 1000);
	unetdev_softnet_stat(&a);
	bl3_fill(dev, 1005, &ok, &drop);
	ASSERT_EQ(ok, 1001);
	ASSERT_EQ(drop, 4);
	drain(1001);
	ASSERT_EQ(__atomic_load_n(&delivered, __ATOMIC_ACQUIRE), 1001);
	unetdev_softnet_stat(&b);
	ASSERT_EQ(b.dropped - a.dropped, 4); /* R-BL-7: per-CPU and per-device */
	ASSERT_EQ(tu_stats(dev).rx_dropped, 4);
	unetdev_sysctl_netdev_max_backlog(10);
	__atomic_store_n(&delivered, 0, __ATOMIC_RELAXED);
	bl3_fill(dev, 20, &ok, &drop);
	ASSERT_EQ(ok, 11);
	drain(11);
	unetdev_sysctl_netdev_max_backlog(1000);
	dev_remove_pack(&ip_pt);
	unregister_netdev(dev);
}

TEST(r_bl_2_stopped_device_dropped_before_queueing)
{
	struct net_device *dev = mkdev("bl2");
	unsigned long ready = skb_drop_count(SKB_DROP_REASON_DEV_READY);

	rtnl_lock();
	dev_close(dev);
	rtnl_unlock();
	ASSERT_EQ(netif_rx(frame(dev)), NET_RX_DROP);
	ASSERT_EQ(skb_drop_count(SKB_DROP_REASON_DEV_READY), ready + 1);
	ASSERT_EQ(tu_stats(dev).rx_dropped, 1);
	unregister_netdev(dev);
}

/* R-BL-5 / R-NAPI-16: with netdev_budget 1 each NET_RX round polls the backlog
 * once; it drains dev_rx_weight (64) skbs per poll: 200 skbs = 4 polls. */
TEST(r_napi_16_backlog_weight_64)
{
	struct net_device *dev = mkdev("bl16");
	struct unetdev_softnet_stat a, b;
	int ok, drop;

	dev_a = dev;
	__atomic_store_n(&delivered, 0, __ATOMIC_RELAXED);
	dev_add_pack(&ip_pt);
	unetdev_sysctl_netdev_budget(1);
	unetdev_softnet_stat(&a);
	bl3_fill(dev, 200, &ok, &drop);
	drain(200);
	unetdev_softnet_stat(&b);
	unetdev_sysctl_netdev_budget(300);
	ASSERT_EQ(__atomic_load_n(&delivered, __ATOMIC_ACQUIRE), 200);
	ASSERT_EQ(b.time_squeeze - a.time_squeeze, 4);
	dev_remove_pack(&ip_pt);
	unregister_netdev(dev);
}

/* ---- engine CPUs: netif_rx in hardirq context ---- */

struct line {
	int fd;
	struct unetdev_irq *irq;
	struct net_device *dev;
	int per_event;
	int b_per_event;
	struct net_device *dev_b;
};

static void line_irq(void *ctx, u32 revents)
{
	struct line *l = ctx;
	u64 v;

	if (read(l->fd, &v, sizeof(v)) != sizeof(v))
		return;
	for (u64 e = 0; e < v; e++) {
		for (int i = 0; i < l->per_event; i++)
			netif_rx(frame(l->dev));
		for (int i = 0; i < l->b_per_event; i++)
			netif_rx(frame(l->dev_b));
	}
}

static void *kicker(void *arg)
{
	struct line *l = arg;
	u64 one = 1;

	for (int i = 0; i < 50; i++) {
		if (write(l->fd, &one, sizeof(one)) != sizeof(one))
			break;
		usleep(200);
	}
	return NULL;
}

TEST_TIMEOUT(r_bl_1_netif_rx_from_hardirq_on_engine_cpus, 60)
{
	struct unetdev_engine_config cfg = {.sz = sizeof(cfg), .ncpus = 2};
	struct net_device *dev = mkdev("blh");
	struct line l[2];
	pthread_t t[4];

	dev_a = dev;
	__atomic_store_n(&delivered, 0, __ATOMIC_RELAXED);
	dev_add_pack(&ip_pt);
	ASSERT_EQ(unetdev_engine_start(&cfg), 0);
	for (int i = 0; i < 2; i++) {
		l[i] = (struct line){
		    .fd = eventfd(0, EFD_NONBLOCK), .dev = dev, .per_event = 10, .dev_b = dev};
		ASSERT_EQ(unetdev_irq_request((unsigned int)i, l[i].fd, 0x001 /* EPOLLIN */,
					      line_irq, &l[i], &l[i].irq),
			  0);
	}
	for (int i = 0; i < 4; i++)
		pthread_create(&t[i], NULL, kicker, &l[i % 2]);
	for (int i = 0; i < 4; i++)
		pthread_join(t[i], NULL);
	for (int i = 0; i < 20000 && __atomic_load_n(&delivered, __ATOMIC_ACQUIRE) < 2000; i++)
		usleep(500);
	ASSERT_EQ(__atomic_load_n(&delivered, __ATOMIC_ACQUIRE), 4 * 50 * 10);
	for (int i = 0; i < 2; i++) {
		unetdev_irq_free(l[i].irq);
		close(l[i].fd);
	}
	unetdev_engine_stop();
	dev_remove_pack(&ip_pt);
	unregister_netdev(dev);
}

static void *unblock_when_unregistering(void *arg)
{
	struct net_device *dev = arg;

	while (READ_ONCE(dev->reg_state) != NETREG_UNREGISTERING)
		usleep(200);
	usleep(20000); /* let the flush reach the engine CPU's queues */
	__atomic_store_n(&block_first, 0, __ATOMIC_RELEASE);
	return NULL;
}

/* R-BL-6: 20 skbs of A and 10 of B sit in engine CPU 0's backlog while its
 * thread is stuck delivering A's first; unregistering A purges the other 19. */
TEST_TIMEOUT(r_bl_6_unregister_purges_engine_backlog, 60)
{
	struct unetdev_engine_config cfg = {.sz = sizeof(cfg), .ncpus = 1};
	struct net_device *a = mkdev("bl6a"), *b = mkdev("bl6b");
	unsigned long ready = skb_drop_count(SKB_DROP_REASON_DEV_READY);
	struct line l;
	pthread_t t;
	u64 one = 1;

	dev_a = a;
	__atomic_store_n(&delivered, 0, __ATOMIC_RELAXED);
	__atomic_store_n(&delivered_b, 0, __ATOMIC_RELAXED);
	block_first = 1;
	dev_add_pack(&ip_pt);
	ASSERT_EQ(unetdev_engine_start(&cfg), 0);
	l = (struct line){.fd = eventfd(0, EFD_NONBLOCK),
			  .dev = a,
			  .per_event = 20,
			  .dev_b = b,
			  .b_per_event = 10};
	ASSERT_EQ(unetdev_irq_request(0, l.fd, 0x001, line_irq, &l, &l.irq), 0);
	ASSERT_EQ(write(l.fd, &one, sizeof(one)), sizeof(one));
	while (!__atomic_load_n(&delivered, __ATOMIC_ACQUIRE))
		usleep(200);
	pthread_create(&t, NULL, unblock_when_unregistering, a);
	unregister_netdev(a);
	pthread_join(t, NULL);
	for (int i = 0; i < 10000 && __atomic_load_n(&delivered_b, __ATOMIC_RELAXED) < 10; i++)
		usleep(500);
	ASSERT_EQ(__atomic_load_n(&delivered, __ATOMIC_ACQUIRE), 1);
	ASSERT_EQ(__atomic_load_n(&delivered_b, __ATOMIC_RELAXED), 10);
	ASSERT_EQ(skb_drop_count(SKB_DROP_REASON_DEV_READY), ready + 19);
	unetdev_irq_free(l.irq);
	close(l.fd);
	unetdev_engine_stop();
	dev_remove_pack(&ip_pt);
	unregister_netdev(b);
}

/* A thread acting as engine CPU 0 queues frames and goes away without running them. */
static void *queue_and_vanish(void *arg)
{
	struct net_device *dev = arg;

	if (unetdev_cpu_attach(0))
		return (void *)1;
	local_bh_disable(); /* NET_RX stays pending on CPU 0 */
	for (int i = 0; i < 5; i++)
		netif_rx(frame(dev));
	return NULL; /* the thread ends: CPU 0 goes offline with a full backlog */
}

TEST_TIMEOUT(r_bl_6_offline_cpu_reinjects_backlog, 30)
{
	struct unetdev_engine_config cfg = {.sz = sizeof(cfg), .ncpus = 1, .no_threads = true};
	pthread_t th;
	void *ret;

	dev_a = mkdev("off%d");
	dev_add_pack(&ip_pt);
	__atomic_store_n(&delivered, 0, __ATOMIC_RELAXED);
	ASSERT_EQ(unetdev_engine_start(&cfg), 0);
	ASSERT_EQ(pthread_create(&th, NULL, queue_and_vanish, dev_a), 0);
	pthread_join(th, &ret);
	ASSERT_NULL(ret);
	ASSERT_EQ(__atomic_load_n(&delivered, __ATOMIC_ACQUIRE), 0);
	unetdev_engine_stop(); /* dev_cpu_dead: re-injected with netif_rx on this thread */
	ASSERT_EQ(__atomic_load_n(&delivered, __ATOMIC_ACQUIRE), 5);
	dev_remove_pack(&ip_pt);
	unregister_netdev(dev_a);
}
