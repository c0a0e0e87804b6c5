// SPDX-License-Identifier: MIT
/*
 * Conformance: NAPI (R-NAPI), on a thread's own softnet (softirqs run when the
 * thread raises them in process context) and on engine CPUs.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <sys/eventfd.h>
#include <unistd.h>
#include <unetdev/engine.h>
#include <unetdev/unetdev.h>

#include "harness.h"

static netdev_tx_t n_xmit(struct sk_buff *skb, struct net_device *dev)
{
	consume_skb(skb);
	return NETDEV_TX_OK;
}

static const struct net_device_ops n_ops = {.ndo_start_xmit = n_xmit};

static void n_setup(struct net_device *dev)
{
	ether_setup(dev);
	dev->netdev_ops = &n_ops;
}

static struct net_device *n_dev(void)
{
	struct net_device *dev = alloc_netdev(0, "np%d", NET_NAME_ENUM, n_setup);

	ASSERT_EQ(register_netdev(dev), 0);
	return dev;
}

static void n_del(struct net_device *dev)
{
	unregister_netdev(dev);
	free_netdev(dev);
}

/* A poll function scripted per instance. */
struct tnapi {
	struct napi_struct napi;
	int polls;
	int rounds_full; /* return budget this many times, then complete */
	int last_budget;
	bool complete;	  /* call napi_complete_done when finishing */
	int ret_override; /* if > 0: return this once instead */
	volatile int in_poll;
	volatile bool block; /* spin while set */
	unsigned long token;
	char tag;
};

static char seq[256];
static int nseq;

static int t_poll(struct napi_struct *napi, int budget)
{
	struct tnapi *t = container_of(napi, struct tnapi, napi);
	int work;

	if (__atomic_fetch_add(&t->in_poll, 1, __ATOMIC_ACQ_REL) != 0)
		FAIL("two polls of one instance at once (R-NAPI-11)");
	t->polls++;
	t->last_budget = budget;
	t->token = unetdev_thread_token();
	if (nseq < (int)sizeof(seq) - 1)
		seq[nseq++] = t->tag;
	while (__atomic_load_n(&t->block, __ATOMIC_ACQUIRE))
		usleep(100);
	if (t->ret_override > 0) { /* once: then the re-poll completes */
		work = t->ret_override;
		t->ret_override = 0;
	} else if (t->rounds_full > 0) {
		t->rounds_full--;
		work = budget;
	} else {
		work = 0;
		/* Leave before giving SCHED up: from then on another thread may poll. */
		__atomic_fetch_sub(&t->in_poll, 1, __ATOMIC_ACQ_REL);
		if (t->complete)
			napi_complete_done(napi, work);
		return work;
	}
	__atomic_fetch_sub(&t->in_poll, 1, __ATOMIC_ACQ_REL);
	return work;
}

static void t_add(struct net_device *dev, struct tnapi *t, char tag)
{
	memset(t, 0, sizeof(*t));
	t->complete = true;
	t->tag = tag;
	netif_napi_add(dev, &t->napi, t_poll);
}

TEST(r_napi_0_fields_after_add)
{
	struct net_device *dev = n_dev();
	struct tnapi t;

	t_add(dev, &t, 'a');
	ASSERT_EQ(t.napi.list_owner, -1);
	ASSERT_PTR_EQ(t.napi.dev, dev);
	ASSERT_TRUE(list_empty(&t.napi.poll_list));
	netif_napi_del(&t.napi);
	n_del(dev);
}

TEST(r_napi_1_add_creates_disabled_listed)
{
	struct net_device *dev = n_dev();
	struct tnapi t, big;
	struct napi_struct *pos;
	int n = 0;

	t_add(dev, &t, 'a');
	ASSERT_EQ(t.napi.weight, 64);
	ASSERT_TRUE(test_bit(NAPI_STATE_LISTED, &t.napi.state));
	ASSERT_TRUE(test_bit(NAPI_STATE_SCHED, &t.napi.state));
	ASSERT_TRUE(test_bit(NAPI_STATE_NPSVC, &t.napi.state));
	list_for_each_entry (pos, &dev->napi_list, dev_list)
		n += pos == &t.napi;
	ASSERT_EQ(n, 1);
	memset(&big, 0, sizeof(big));
	netif_napi_add_weight(dev, &big.napi, t_poll, 128); /* accepted, logged */
	ASSERT_EQ(big.napi.weight, 128);
	expect_violations();
	netif_napi_add(dev, &t.napi, t_poll); /* already listed */
	ASSERT_EQ(unetdev_check_count("R-NAPI-1"), 1);
	netif_napi_del(&big.napi);
	netif_napi_del(&t.napi);
	n_del(dev);
}

TEST(r_napi_2_tx_instances_not_busy_polled)
{
	struct net_device *dev = n_dev();
	struct napi_struct n;

	memset(&n, 0, sizeof(n));
	netif_napi_add_tx(dev, &n, t_poll);
	ASSERT_TRUE(test_bit(NAPI_STATE_NO_BUSY_POLL, &n.state));
	netif_napi_del(&n);
	n_del(dev);
}

TEST(r_napi_3_enable_clears_sched_npsvc)
{
	struct net_device *dev = n_dev();
	struct tnapi t;

	t_add(dev, &t, 'a');
	napi_enable(&t.napi);
	ASSERT_FALSE(test_bit(NAPI_STATE_SCHED, &t.napi.state));
	ASSERT_FALSE(test_bit(NAPI_STATE_NPSVC, &t.napi.state));
	expect_violations();
	napi_enable(&t.napi); /* BUG: not disabled */
	ASSERT_EQ(unetdev_check_count("R-NAPI-3"), 1);
	napi_disable(&t.napi);
	netif_napi_del(&t.napi);
	n_del(dev);
}

static void *disable_thread(void *arg)
{
	napi_disable(arg);
	return NULL;
}

static void *schedule_thread(void *arg)
{
	napi_schedule(arg);
	return NULL;
}

TEST_TIMEOUT(r_napi_4_disable_waits_for_running_poll, 30)
{
	struct net_device *dev = n_dev();
	struct tnapi t;
	pthread_t a, b;

	t_add(dev, &t, 'a');
	napi_enable(&t.napi);
	t.block = true;
	ASSERT_EQ(pthread_create(&a, NULL, schedule_thread, &t.napi), 0); /* poll runs there */
	while (!__atomic_load_n(&t.in_poll, __ATOMIC_ACQUIRE))
		usleep(100);
	ASSERT_EQ(pthread_create(&b, NULL, disable_thread, &t.napi), 0);
	/* Poll (no fixed sleep: robust under load); the poll is blocked meanwhile. */
	for (int ms = 0; !test_bit(NAPI_STATE_DISABLE, &t.napi.state) && ms < 20000; ms++)
		usleep(1000);
	ASSERT_TRUE(test_bit(NAPI_STATE_DISABLE, &t.napi.state)); /* still waiting */
	__atomic_store_n(&t.block, false, __ATOMIC_RELEASE);
	pthread_join(a, NULL);
	pthread_join(b, NULL);
	ASSERT_FALSE(test_bit(NAPI_STATE_DISABLE, &t.napi.state));
	ASSERT_TRUE(test_bit(NAPI_STATE_SCHED, &t.napi.state));
	ASSERT_TRUE(test_bit(NAPI_STATE_NPSVC, &t.napi.state));
	ASSERT_FALSE(napi_schedule(&t.napi)); /* none can be scheduled */
	ASSERT_EQ(t.polls, 1);
	netif_napi_del(&t.napi);
	n_del(dev);
}

TEST(r_napi_5_schedule_prep)
{
	struct net_device *dev = n_dev();
	struct tnapi t;

	t_add(dev, &t, 'a');
	napi_enable(&t.napi);
	ASSERT_TRUE(napi_schedule_prep(&t.napi));
	ASSERT_FALSE(test_bit(NAPI_STATE_MISSED, &t.napi.state));
	ASSERT_FALSE(napi_schedule_prep(&t.napi));
	ASSERT_TRUE(test_bit(NAPI_STATE_MISSED, &t.napi.state));
	/* hand the instance back: schedule it; it polls twice (MISSED) and completes */
	__napi_schedule(&t.napi);
	ASSERT_EQ(t.polls, 2);
	ASSERT_FALSE(napi_is_scheduled(&t.napi));
	set_bit(NAPI_STATE_DISABLE, &t.napi.state);
	ASSERT_FALSE(napi_schedule_prep(&t.napi));
	clear_bit(NAPI_STATE_DISABLE, &t.napi.state);
	napi_disable(&t.napi);
	netif_napi_del(&t.napi);
	n_del(dev);
}

TEST(r_napi_6_schedule_polls_on_this_cpu)
{
	struct net_device *dev = n_dev();
	struct tnapi t;

	t_add(dev, &t, 'a');
	napi_enable(&t.napi);
	local_bh_disable();
	ASSERT_TRUE(napi_schedule(&t.napi));
	ASSERT_EQ(t.napi.list_owner, (int)smp_processor_id()); /* queued here */
	ASSERT_FALSE(napi_schedule(&t.napi));		       /* already owned: marks MISSED */
	ASSERT_TRUE(test_bit(NAPI_STATE_MISSED, &t.napi.state));
	ASSERT_EQ(t.polls, 0); /* softirq runs at local_bh_enable */
	local_bh_enable();
	ASSERT_EQ(t.polls, 2); /* the missed event is polled too */
	ASSERT_EQ(t.token, unetdev_thread_token());
	ASSERT_EQ(t.last_budget, 64);
	napi_disable(&t.napi);
	netif_napi_del(&t.napi);
	n_del(dev);
}

static struct tnapi *cd_t;
static bool cd_ret1, cd_ret2;

static int complete_twice_poll(struct napi_struct *napi, int budget)
{
	cd_t->polls++;
	if (cd_t->polls == 1) {
		napi_schedule_prep(napi); /* an interrupt arrives during the poll: MISSED */
		cd_ret1 = napi_complete_done(napi, 1);
	} else {
		cd_ret2 = napi_complete_done(napi, 0);
	}
	return 1;
}

TEST(r_napi_7_complete_done_and_missed)
{
	struct net_device *dev = n_dev();
	struct tnapi t;

	t_add(dev, &t, 'a');
	t.napi.poll = complete_twice_poll;
	cd_t = &t;
	napi_enable(&t.napi);
	napi_schedule(&t.napi);
	ASSERT_EQ(t.polls, 2); /* rescheduled at once because of MISSED */
	ASSERT_FALSE(cd_ret1); /* must not re-enable interrupts */
	ASSERT_TRUE(cd_ret2);
	ASSERT_FALSE(napi_is_scheduled(&t.napi));
	ASSERT_FALSE(test_bit(NAPI_STATE_MISSED, &t.napi.state));
	napi_disable(&t.napi);
	/* disabled (NPSVC): complete is refused without a state change */
	ASSERT_FALSE(napi_complete_done(&t.napi, 0));
	ASSERT_TRUE(napi_is_scheduled(&t.napi));
	netif_napi_del(&t.napi);
	n_del(dev);
}

TEST(r_napi_8_budget_contract)
{
	struct net_device *dev = n_dev();
	struct tnapi t;

	t_add(dev, &t, 'a');
	napi_enable(&t.napi);
	t.rounds_full = 2; /* work == budget twice: the core keeps ownership and re-polls */
	napi_schedule(&t.napi);
	ASSERT_EQ(t.polls, 3);
	ASSERT_FALSE(napi_is_scheduled(&t.napi));
	expect_violations();
	t.ret_override = 100; /* more than the budget: logged and reported */
	napi_schedule(&t.napi);
	ASSERT_GE(unetdev_check_count("R-NAPI-8"), 1);
	ASSERT_FALSE(napi_is_scheduled(&t.napi)); /* re-polled once, completed */
	napi_complete_done(&t.napi, 0);		  /* outside its poll: reported */
	ASSERT_GE(unetdev_check_count("R-NAPI-8"), 2);
	napi_disable(&t.napi);
	netif_napi_del(&t.napi);
	n_del(dev);
}

static int disable_pending_poll(struct napi_struct *napi, int budget)
{
	set_bit(NAPI_STATE_DISABLE, &napi->state); /* napi_disable() starting elsewhere */
	return budget;
}

TEST(r_napi_9_round_robin_and_disable_pending)
{
	struct net_device *dev = n_dev();
	struct tnapi a, b;

	t_add(dev, &a, 'a');
	t_add(dev, &b, 'b');
	napi_enable(&a.napi);
	napi_enable(&b.napi);
	a.rounds_full = 2;
	b.rounds_full = 2;
	nseq = 0;
	local_bh_disable();
	napi_schedule(&a.napi);
	napi_schedule(&b.napi);
	local_bh_enable();
	seq[nseq] = 0;
	ASSERT_STR_EQ(seq, "ababab"); /* exhausted instances go to the tail */
	/* a full-budget poll with a disable pending is completed by the core */
	a.napi.poll = disable_pending_poll;
	napi_schedule(&a.napi);
	ASSERT_FALSE(napi_is_scheduled(&a.napi));
	clear_bit(NAPI_STATE_DISABLE, &a.napi.state);
	napi_disable(&a.napi);
	napi_disable(&b.napi);
	netif_napi_del(&a.napi);
	netif_napi_del(&b.napi);
	n_del(dev);
}

TEST(r_napi_10_budget_300_and_time_squeeze)
{
	struct net_device *dev = n_dev();
	struct tnapi t[5];
	struct unetdev_softnet_stat before, after;

	for (int i = 0; i < 5; i++) {
		t_add(dev, &t[i], (char)('a' + i));
		napi_enable(&t[i].napi);
		t[i].rounds_full = 3;
	}
	ASSERT_EQ(unetdev_sysctl_netdev_budget(0), 300);
	unetdev_softnet_stat(&before);
	nseq = 0;
	local_bh_disable();
	for (int i = 0; i < 5; i++)
		napi_schedule(&t[i].napi);
	local_bh_enable();
	unetdev_softnet_stat(&after);
	/* each round polls 5 x 64 = 320 > 300: squeezed, every instance gets its full weight */
	ASSERT_GE(after.time_squeeze - before.time_squeeze, 3);
	for (int i = 0; i < 5; i++) {
		ASSERT_EQ(t[i].polls, 4);
		ASSERT_EQ(t[i].last_budget, 64);
		napi_disable(&t[i].napi);
		netif_napi_del(&t[i].napi);
	}
	n_del(dev);
}

static int tick_poll(struct napi_struct *napi, int budget)
{
	struct tnapi *t = container_of(napi, struct tnapi, napi);

	t->polls++;
	if (t->polls == 1) { /* one call that takes two jiffies */
		unetdev_clock_advance(2);
		return budget;
	}
	napi_complete_done(napi, 0);
	return 0;
}

TEST(r_napi_10_two_jiffy_limit)
{
	struct net_device *dev = n_dev();
	struct tnapi a, b;
	struct unetdev_softnet_stat before, after;

	unetdev_clock_set_manual(true);
	t_add(dev, &a, 'a');
	t_add(dev, &b, 'b');
	a.napi.poll = tick_poll;
	napi_enable(&a.napi);
	napi_enable(&b.napi);
	unetdev_sysctl_netdev_budget(1000000);
	unetdev_softnet_stat(&before);
	nseq = 0;
	local_bh_disable();
	napi_schedule(&a.napi);
	napi_schedule(&b.napi);
	local_bh_enable();
	unetdev_softnet_stat(&after);
	ASSERT_EQ(after.time_squeeze - before.time_squeeze, 1); /* stopped on time, not budget */
	ASSERT_EQ(b.polls, 1);
	napi_disable(&a.napi);
	napi_disable(&b.napi);
	netif_napi_del(&a.napi);
	netif_napi_del(&b.napi);
	n_del(dev);
}

static void *hammer(void *arg)
{
	struct tnapi *t = arg;

	for (int i = 0; i < 2000; i++)
		napi_schedule(&t->napi);
	return NULL;
}

TEST_TIMEOUT(r_napi_11_one_poll_at_a_time, 60)
{
	struct net_device *dev = n_dev();
	struct tnapi t;
	pthread_t th[3];

	t_add(dev, &t, 'a');
	napi_enable(&t.napi);
	for (int i = 0; i < 3; i++)
		ASSERT_EQ(pthread_create(&th[i], NULL, hammer, &t), 0);
	for (int i = 0; i < 3; i++)
		pthread_join(th[i], NULL);
	/* t_poll FAILs on any overlap; each scheduling ran or was folded into MISSED */
	ASSERT_GT(t.polls, 0);
	napi_disable(&t.napi);
	netif_napi_del(&t.napi);
	n_del(dev);
}

static void *unblock_later(void *arg)
{
	usleep(30000);
	__atomic_store_n(&((struct tnapi *)arg)->block, false, __ATOMIC_RELEASE);
	return NULL;
}

TEST_TIMEOUT(r_napi_12_synchronize_waits_while_scheduled, 30)
{
	struct net_device *dev = n_dev();
	struct tnapi t;
	pthread_t a, b;

	t_add(dev, &t, 'a');
	napi_enable(&t.napi);
	t.block = true;
	ASSERT_EQ(pthread_create(&a, NULL, schedule_thread, &t.napi), 0);
	while (!__atomic_load_n(&t.in_poll, __ATOMIC_ACQUIRE))
		usleep(100);
	ASSERT_EQ(pthread_create(&b, NULL, unblock_later, &t), 0);
	napi_synchronize(&t.napi);
	ASSERT_FALSE(napi_is_scheduled(&t.napi));
	ASSERT_EQ(t.polls, 1);
	pthread_join(a, NULL);
	pthread_join(b, NULL);
	ASSERT_TRUE(napi_schedule(&t.napi)); /* not prevented afterwards */
	napi_disable(&t.napi);
	netif_napi_del(&t.napi);
	n_del(dev);
}

TEST(r_napi_13_mark_missed)
{
	struct net_device *dev = n_dev();
	struct tnapi t;

	t_add(dev, &t, 'a');
	napi_enable(&t.napi);
	ASSERT_FALSE(napi_if_scheduled_mark_missed(&t.napi)); /* idle */
	ASSERT_TRUE(napi_schedule_prep(&t.napi));
	ASSERT_TRUE(napi_if_scheduled_mark_missed(&t.napi));
	ASSERT_TRUE(test_bit(NAPI_STATE_MISSED, &t.napi.state));
	__napi_schedule(&t.napi);
	set_bit(NAPI_STATE_DISABLE, &t.napi.state);
	ASSERT_TRUE(napi_if_scheduled_mark_missed(&t.napi)); /* disable pending */
	clear_bit(NAPI_STATE_DISABLE, &t.napi.state);
	napi_disable(&t.napi);
	netif_napi_del(&t.napi);
	n_del(dev);
}

TEST_TIMEOUT(r_napi_14_threaded, 30)
{
	struct net_device *dev = n_dev();
	struct tnapi t;

	t_add(dev, &t, 'a');
	napi_enable(&t.napi);
	rtnl_lock();
	ASSERT_EQ(dev_set_threaded(dev, true), 0);
	rtnl_unlock();
	ASSERT_TRUE(test_bit(NAPI_STATE_THREADED, &t.napi.state));
	ASSERT_NOT_NULL(t.napi.thread);
	ASSERT_TRUE(napi_schedule(&t.napi));
	napi_synchronize(&t.napi);
	ASSERT_EQ(t.polls, 1);
	ASSERT_NE(t.token, unetdev_thread_token()); /* polled by the NAPI thread */
	rtnl_lock();
	ASSERT_EQ(dev_set_threaded(dev, false), 0);
	rtnl_unlock();
	ASSERT_FALSE(test_bit(NAPI_STATE_THREADED, &t.napi.state));
	ASSERT_NULL(t.napi.thread);
	napi_schedule(&t.napi);
	ASSERT_EQ(t.polls, 2);
	ASSERT_EQ(t.token, unetdev_thread_token()); /* back in softirq on this thread */
	napi_disable(&t.napi);
	netif_napi_del(&t.napi);
	n_del(dev);
}

TEST(r_napi_15_del_and_free_netdev_deletes)
{
	struct net_device *dev = n_dev();
	struct tnapi a, b;
	struct unetdev_live l;

	t_add(dev, &a, 'a');
	t_add(dev, &b, 'b');
	napi_enable(&a.napi);
	expect_violations();
	netif_napi_del(&a.napi); /* still enabled */
	ASSERT_EQ(unetdev_check_count("R-NAPI-15"), 1);
	ASSERT_FALSE(test_bit(NAPI_STATE_LISTED, &a.napi.state));
	unetdev_live_objects(&l);
	ASSERT_EQ(l.napis, 1);
	n_del(dev); /* free_netdev deletes b */
	unetdev_live_objects(&l);
	ASSERT_EQ(l.napis, 0);
}

static int gro_poll(struct napi_struct *napi, int budget)
{
	struct tnapi *t = container_of(napi, struct tnapi, napi);

	t->polls++;
	for (int i = 0; i < t->ret_override; i++) {
		struct sk_buff *skb = alloc_skb(64, GFP_ATOMIC);

		skb_put(skb, 60);
		skb->dev = napi->dev;
		skb->protocol = 0x1234; /* no handler: dropped and counted */
		napi_gro_receive(napi, skb);
	}
	napi_complete_done(napi, t->ret_override);
	return t->ret_override;
}

TEST(r_napi_16_backlog_weight)
{
	ASSERT_EQ(NAPI_POLL_WEIGHT, 64);
	/* process_backlog's quota is dev_rx_weight (64): see tests/conformance/backlog.c */
}

TEST(r_napi_17_normal_delivery_batched_and_flushed)
{
	struct net_device *dev = n_dev();
	struct rtnl_link_stats64 st;
	struct tnapi t;

	t_add(dev, &t, 'a');
	t.napi.poll = gro_poll;
	t.ret_override = 11; /* one batch of 8 plus 3 flushed at completion */
	napi_enable(&t.napi);
	napi_schedule(&t.napi);
	dev_get_stats(dev, &st);
	ASSERT_EQ(st.rx_dropped, 11);
	ASSERT_EQ(t.napi.rx_count, 0);
	napi_disable(&t.napi);
	netif_napi_del(&t.napi);
	n_del(dev);
}

#include <arpa/inet.h>

/* Three in-order TCP/IPv4 segments (hand-built, CHECKSUM_UNNECESSARY) merge. */
static unsigned int n17_len, n17_gso, n17_segs, n17_type;
static bool n17_payload_ok;
static int n17_rcv(struct sk_buff *skb, struct net_device *dev, struct packet_type *pt,
		   struct net_device *orig)
{
	n17_len = skb->len;
	n17_gso = skb_shinfo(skb)->gso_size;
	n17_segs = skb_shinfo(skb)->gso_segs;
	n17_type = skb_shinfo(skb)->gso_type;
	n17_payload_ok =
	    skb->len == 340 && skb->data[2] == 340 >> 8 && skb->data[3] == (340 & 0xff);
	for (unsigned int i = 40; n17_payload_ok && i < skb->len; i++)
		n17_payload_ok = skb->data[i] == (u8)(i - 40);
	consume_skb(skb);
	return NET_RX_SUCCESS;
}

static struct sk_buff *n17_seg(struct net_device *dev, unsigned int k)
{
	struct sk_buff *skb = netdev_alloc_skb(dev, 14 + 140);
	u8 *p = skb_put(skb, 14 + 140), *ip = p + 14, *th = ip + 20;
	u32 sum = 0, sq = 100 * k;

	memset(p, 0, 14 + 140);
	memcpy(p, dev->dev_addr, 6);
	p[12] = 0x08;
	ip[0] = 0x45, ip[3] = 140, ip[5] = (u8)k, ip[6] = 0x40, ip[8] = 64, ip[9] = 6;
	ip[12] = 10, ip[15] = 1, ip[16] = 10, ip[19] = 2;
	for (int i = 0; i < 20; i += 2)
		sum += (u32)(ip[i] << 8 | ip[i + 1]);
	sum = (sum & 0xffff) + (sum >> 16);
	sum = ~((sum & 0xffff) + (sum >> 16)) & 0xffff;
	ip[10] = (u8)(sum >> 8), ip[11] = (u8)sum;
	th[1] = 80, th[3] = 80, th[4] = (u8)(sq >> 24), th[5] = (u8)(sq >> 16);
	th[6] = (u8)(sq >> 8), th[7] = (u8)sq, th[11] = 1, th[12] = 0x50, th[13] = 0x10;
	th[15] = 0xff;
	for (unsigned int i = 0; i < 100; i++)
		th[20 + i] = (u8)(sq + i);
	skb->protocol = eth_type_trans(skb, dev);
	skb->ip_summed = CHECKSUM_UNNECESSARY;
	return skb;
}

static int n17_poll(struct napi_struct *napi, int budget)
{
	for (unsigned int k = 0; k < 3; k++)
		ASSERT_EQ(napi_gro_receive(napi, n17_seg(napi->dev, k)),
			  k ? GRO_MERGED_FREE : GRO_HELD);
	ASSERT_NE(napi->gro_bitmask, 0);
	ASSERT_TRUE(napi_gro_check(napi));
	napi_complete_done(napi, 3); /* flushes the held skb */
	return 3;
}

TEST(r_napi_17_tcp_gro_merge)
{
	struct net_device *dev = n_dev();
	struct packet_type ip = {.func = n17_rcv};
	struct tnapi t;

	ip.type = htons(ETH_P_IP);
	dev_add_pack(&ip);
	t_add(dev, &t, 'g');
	t.napi.poll = n17_poll;
	napi_enable(&t.napi);
	napi_schedule(&t.napi);
	ASSERT_EQ(n17_len, 20 + 20 + 300);
	ASSERT_EQ(n17_gso, 100);
	ASSERT_EQ(n17_segs, 3);
	ASSERT_EQ(n17_type, SKB_GSO_TCPV4);
	ASSERT_TRUE(n17_payload_ok);
	ASSERT_EQ(t.napi.gro_bitmask, 0);
	napi_disable(&t.napi);
	netif_napi_del(&t.napi);
	dev_remove_pack(&ip);
	n_del(dev);
}

static int bp_loops;
static bool bp_end(void *arg)
{
	return ++bp_loops >= 3;
}

static bool bp_complete_ret;
static int busy_poll(struct napi_struct *napi, int budget)
{
	struct tnapi *t = container_of(napi, struct tnapi, napi);

	t->polls++;
	bp_complete_ret = napi_complete_done(napi, 0);
	return 0;
}

TEST(r_napi_18_busy_poll_ownership)
{
	struct net_device *dev = n_dev();
	struct tnapi t;

	t_add(dev, &t, 'a');
	t.napi.poll = busy_poll;
	napi_enable(&t.napi);
	bp_loops = 0;
	ASSERT_TRUE(napi_busy_loop(&t.napi, bp_end, NULL, 8));
	ASSERT_EQ(t.polls, 4); /* 3 loops + the stop poll */
	ASSERT_FALSE(napi_is_scheduled(&t.napi));
	ASSERT_FALSE(test_bit(NAPI_STATE_IN_BUSY_POLL, &t.napi.state));
	ASSERT_TRUE(bp_complete_ret);		  /* the last (stop) poll may re-arm */
	ASSERT_TRUE(napi_schedule_prep(&t.napi)); /* owned elsewhere: busy poll refused */
	ASSERT_FALSE(napi_busy_loop(&t.napi, bp_end, NULL, 8));
	__napi_schedule(&t.napi);
	napi_disable(&t.napi);
	ASSERT_FALSE(napi_busy_loop(&t.napi, bp_end, NULL, 8));
	netif_napi_del(&t.napi);
	n_del(dev);
}

static bool inpoll_complete;
static int inbusy_poll(struct napi_struct *napi, int budget)
{
	/* IN_BUSY_POLL is tested before completing: after it, the state is the core's. */
	bool busy = test_bit(NAPI_STATE_IN_BUSY_POLL, &napi->state);
	bool ret = napi_complete_done(napi, 0);

	if (busy)
		inpoll_complete = ret;
	return 0;
}

TEST(r_napi_18_complete_false_while_busy_polling)
{
	struct net_device *dev = n_dev();
	struct tnapi t;

	t_add(dev, &t, 'a');
	t.napi.poll = inbusy_poll;
	napi_enable(&t.napi);
	inpoll_complete = true;
	bp_loops = 2;
	ASSERT_TRUE(napi_busy_loop(&t.napi, bp_end, NULL, 8));
	ASSERT_FALSE(inpoll_complete);
	napi_disable(&t.napi);
	netif_napi_del(&t.napi);
	n_del(dev);
}

/* ---- on engine CPUs ---- */

static int engine_poll(struct napi_struct *napi, int budget)
{
	struct tnapi *t = container_of(napi, struct tnapi, napi);

	t->token = unetdev_thread_token();
	t->last_budget = in_serving_softirq();
	__atomic_fetch_add(&t->polls, 1, __ATOMIC_RELEASE);
	napi_complete_done(napi, 0);
	return 0;
}

static void irq_handler(void *ctx, u32 revents)
{
	struct tnapi *t = ctx;
	u64 v;

	if (read(t->ret_override, &v, sizeof(v)) < 0)
		return;
	t->rounds_full = in_hardirq();
	napi_schedule(&t->napi);
}

TEST_TIMEOUT(r_sync_8_poll_in_softirq_on_the_engine_cpu, 30)
{
	struct unetdev_engine_config cfg = {.sz = sizeof(cfg), .ncpus = 2};
	struct net_device *dev = n_dev();
	struct unetdev_irq *irq;
	struct tnapi t;
	u64 one = 1;
	int efd;

	t_add(dev, &t, 'a');
	t.napi.poll = engine_poll;
	napi_enable(&t.napi);
	ASSERT_EQ(unetdev_engine_start(&cfg), 0);
	efd = eventfd(0, EFD_NONBLOCK);
	t.ret_override = efd;
	ASSERT_EQ(unetdev_irq_request(1, efd, 0x001 /* EPOLLIN */, irq_handler, &t, &irq), 0);
	ASSERT_EQ(write(efd, &one, sizeof(one)), 8);
	for (int i = 0; i < 3000 && !__atomic_load_n(&t.polls, __ATOMIC_ACQUIRE); i++)
		usleep(1000);
	ASSERT_EQ(t.polls, 1);
	ASSERT_EQ(t.rounds_full, 1); /* the handler ran in hardirq context */
	ASSERT_EQ(t.last_budget, 1); /* the poll in softirq context */
	ASSERT_NE(t.token, unetdev_thread_token());
	unetdev_irq_free(irq);
	unetdev_engine_stop();
	close(efd);
	napi_disable(&t.napi);
	netif_napi_del(&t.napi);
	n_del(dev);
}
