// SPDX-License-Identifier: MIT
/*
 * Conformance: NAPI interrupt deferral (R-NAPI-7's napi_defer_hard_irqs /
 * gro_flush_timeout, the watchdog timer of R-NAPI-0; R-NAPI-4 and R-NAPI-15
 * cancel it) and the engine's busy polling of deferred instances. Inline
 * engine CPU on the test thread, manual clock: the timer fires when the test
 * moves time and runs a round, never on its own. The last test runs an engine
 * thread (UNETDEV_TEST_THREADED: the TSan build runs this file).
 */
#define _GNU_SOURCE
#include <stdlib.h>
#include <unistd.h>
#include <unetdev/engine.h>
#include <unetdev/unetdev.h>

#include "harness.h"

#define FLUSH_NS 500000 /* 0.5 ms: one manual jiffy (HZ 1000) expires it */

struct dnapi {
	struct napi_struct napi;
	int polls;
	int work;	  /* what the next poll reports (then 0) */
	bool last_ret;	  /* napi_complete_done's answer */
	int count_after;  /* defer_hard_irqs_count after the completion */
	bool armed_after; /* the timer after the completion */
	bool remote;	  /* polled on an engine thread too: no reads after completing */
};

static int d_poll(struct napi_struct *napi, int budget)
{
	struct dnapi *d = container_of(napi, struct dnapi, napi);
	int work = __atomic_exchange_n(&d->work, 0, __ATOMIC_ACQ_REL); /* one poll's worth */
	bool ret = napi_complete_done(napi, work);

	/* The instance may be polled elsewhere from here on (an engine thread):
	 * its count is only read when this thread is the one polling it. */
	if (!d->remote) {
		d->count_after = napi->defer_hard_irqs_count;
		d->armed_after = napi_timer_armed(napi);
	}
	__atomic_store_n(&d->last_ret, ret, __ATOMIC_RELAXED);
	__atomic_fetch_add(&d->polls, 1, __ATOMIC_RELEASE); /* last: the test reads the rest */
	return work;
}

static int d_open(struct net_device *dev);
static int d_stop(struct net_device *dev);

static netdev_tx_t d_xmit(struct sk_buff *skb, struct net_device *dev)
{
	consume_skb(skb);
	return NETDEV_TX_OK;
}

static const struct net_device_ops d_ops = {
    .ndo_open = d_open, .ndo_stop = d_stop, .ndo_start_xmit = d_xmit};

static int d_open(struct net_device *dev)
{
	napi_enable(&((struct dnapi *)netdev_priv(dev))->napi);
	return 0;
}

static int d_stop(struct net_device *dev)
{
	napi_disable(&((struct dnapi *)netdev_priv(dev))->napi); /* R-UP-13 */
	return 0;
}

static void d_setup(struct net_device *dev)
{
	ether_setup(dev);
	dev->netdev_ops = &d_ops;
}

/* A device whose priv is one NAPI instance, deferral @defer / FLUSH_NS set
 * before the instance is added (it inherits them), opened. */
static struct net_device *d_dev(u32 defer, unsigned long flush)
{
	struct net_device *dev = alloc_netdev(sizeof(struct dnapi), "nd%d", NET_NAME_ENUM, d_setup);
	struct dnapi *d = netdev_priv(dev);

	ASSERT_EQ(register_netdev(dev), 0);
	rtnl_lock();
	ASSERT_EQ(netdev_set_defer_hard_irqs(dev, defer), 0);
	ASSERT_EQ(netdev_set_gro_flush_timeout(dev, flush), 0);
	netif_napi_add(dev, &d->napi, d_poll);
	ASSERT_EQ(dev_open(dev, NULL), 0);
	rtnl_unlock();
	return dev;
}

static void d_del(struct net_device *dev)
{
	struct dnapi *d = netdev_priv(dev);

	rtnl_lock();
	dev_close(dev);
	netif_napi_del(&d->napi);
	rtnl_unlock();
	unregister_netdev(dev);
	free_netdev(dev);
}

static void engine_up(bool busy)
{
	struct unetdev_engine_config c = {
	    .sz = sizeof(c), .ncpus = 1, .no_threads = true, .busy_poll = busy};

	ASSERT_EQ(unetdev_engine_start(&c), 0);
	ASSERT_EQ(unetdev_cpu_attach(0), 0);
	unetdev_clock_set_manual(true);
}

static void engine_down(void)
{
	unetdev_cpu_detach();
	unetdev_engine_stop();
	unetdev_clock_set_manual(false);
}

/* One jiffy later, one round of the CPU: the expired timers fire and poll. */
static void tick(void)
{
	unetdev_clock_advance(1);
	unetdev_cpu_run(0);
}

TEST(r_napi_7_defaults_no_deferral)
{
	struct net_device *dev;
	struct dnapi *d;

	engine_up(false);
	dev = d_dev(0, 0);
	d = netdev_priv(dev);
	ASSERT_EQ(napi_get_defer_hard_irqs(&d->napi), 0);
	ASSERT_UEQ(napi_get_gro_flush_timeout(&d->napi), 0);
	d->work = 3;
	napi_schedule(&d->napi); /* process context on the attached CPU: polled now */
	ASSERT_EQ(d->polls, 1);
	ASSERT_TRUE(d->last_ret);
	ASSERT_FALSE(d->armed_after);
	d_del(dev);
	engine_down();
}

TEST(r_napi_7_defer_answers_false_and_the_timer_repolls)
{
	struct net_device *dev;
	struct dnapi *d;

	engine_up(false);
	dev = d_dev(2, FLUSH_NS);
	d = netdev_priv(dev);
	ASSERT_EQ(napi_get_defer_hard_irqs(&d->napi), 2); /* inherited at netif_napi_add */
	ASSERT_UEQ(napi_get_gro_flush_timeout(&d->napi), FLUSH_NS);
	d->work = 5;
	napi_schedule(&d->napi);
	ASSERT_EQ(d->polls, 1);
	ASSERT_FALSE(d->last_ret);    /* keep the interrupt masked */
	ASSERT_EQ(d->count_after, 1); /* reloaded to 2 by the work, one used */
	ASSERT_TRUE(d->armed_after);
	ASSERT_FALSE(napi_is_scheduled(&d->napi)); /* SCHED released all the same */
	unetdev_cpu_run(0);			   /* time has not moved: no poll */
	ASSERT_EQ(d->polls, 1);
	d->work = 0;
	tick(); /* the watchdog schedules it: an empty poll uses the last deferral */
	ASSERT_EQ(d->polls, 2);
	ASSERT_FALSE(d->last_ret);
	ASSERT_EQ(d->count_after, 0);
	ASSERT_TRUE(d->armed_after);
	tick(); /* the count has run out: the driver may unmask */
	ASSERT_EQ(d->polls, 3);
	ASSERT_TRUE(d->last_ret);
	ASSERT_FALSE(d->armed_after);
	tick();
	tick();
	ASSERT_EQ(d->polls, 3); /* nothing armed, nothing polled */
	d_del(dev);
	engine_down();
}

TEST(r_napi_7_work_reloads_the_count)
{
	struct net_device *dev;
	struct dnapi *d;

	engine_up(false);
	dev = d_dev(3, FLUSH_NS);
	d = netdev_priv(dev);
	d->work = 1;
	napi_schedule(&d->napi);
	ASSERT_EQ(d->count_after, 2);
	d->work = 0;
	tick();
	ASSERT_EQ(d->count_after, 1);
	d->work = 7; /* traffic again: back to defer_hard_irqs - 1 */
	tick();
	ASSERT_EQ(d->count_after, 2);
	ASSERT_FALSE(d->last_ret);
	d->work = 0;
	for (int i = 0; i < 3; i++) /* two deferring empty polls, then the one answering true */
		tick();
	ASSERT_EQ(d->polls, 6);
	ASSERT_TRUE(d->last_ret);
	d_del(dev);
	engine_down();
}

TEST(r_napi_7_no_timeout_no_deferral)
{
	struct net_device *dev;
	struct dnapi *d;

	engine_up(false);
	dev = d_dev(4, 0); /* defer_hard_irqs without gro_flush_timeout: no deferral */
	d = netdev_priv(dev);
	d->work = 2;
	napi_schedule(&d->napi);
	ASSERT_TRUE(d->last_ret);
	ASSERT_FALSE(d->armed_after);
	ASSERT_EQ(d->count_after, 3); /* the count still moves, as in the kernel */
	d_del(dev);
	engine_down();
}

TEST(r_napi_7_device_setters_reach_listed_instances)
{
	struct net_device *dev;
	struct dnapi *d;

	engine_up(false);
	dev = d_dev(0, 0);
	d = netdev_priv(dev);
	rtnl_lock();
	ASSERT_EQ(netdev_set_defer_hard_irqs(dev, 1), 0);
	ASSERT_EQ(netdev_set_gro_flush_timeout(dev, FLUSH_NS), 0);
	ASSERT_EQ(netdev_set_defer_hard_irqs(dev, 0x80000000u), -ERANGE);
	rtnl_unlock();
	ASSERT_EQ(napi_get_defer_hard_irqs(&d->napi), 1);
	ASSERT_UEQ(napi_get_gro_flush_timeout(&d->napi), FLUSH_NS);
	d->work = 1;
	napi_schedule(&d->napi);
	ASSERT_FALSE(d->last_ret);
	ASSERT_TRUE(d->armed_after);
	d->work = 0;
	tick();
	ASSERT_TRUE(d->last_ret);
	d_del(dev);
	engine_down();
}

TEST(r_napi_4_disable_cancels_a_pending_timer)
{
	struct net_device *dev;
	struct dnapi *d;

	engine_up(false);
	dev = d_dev(5, FLUSH_NS);
	d = netdev_priv(dev);
	d->work = 1;
	napi_schedule(&d->napi);
	ASSERT_TRUE(napi_timer_armed(&d->napi));
	rtnl_lock();
	dev_close(dev); /* ndo_stop: napi_disable with the timer pending returns */
	rtnl_unlock();
	ASSERT_FALSE(napi_timer_armed(&d->napi));
	tick();
	ASSERT_EQ(d->polls, 1); /* the cancelled timer never fires */
	rtnl_lock();
	ASSERT_EQ(dev_open(dev, NULL), 0); /* and the instance works again */
	rtnl_unlock();
	d->work = 0;
	napi_schedule(&d->napi);
	ASSERT_EQ(d->polls, 2);
	d_del(dev); /* the leak check covers the timer bookkeeping */
	engine_down();
}

/*
 * A driver that deletes an instance without disabling it (reported, R-NAPI-15)
 * while its deferral timer is pending: netif_napi_del cancels the timer, so
 * the instance's memory can go (ASan would see the watchdog touch it).
 */
TEST(r_napi_15_del_cancels_the_timer)
{
	struct net_device *dev;
	struct dnapi *d;
	engine_up(false);
	dev = d_dev(0, 0);
	d = calloc(1, sizeof(*d));
	ASSERT_NOT_NULL(d);
	rtnl_lock();
	ASSERT_EQ(netdev_set_defer_hard_irqs(dev, 5), 0);
	ASSERT_EQ(netdev_set_gro_flush_timeout(dev, FLUSH_NS), 0);
	rtnl_unlock();
	netif_napi_add(dev, &d->napi, d_poll);
	napi_enable(&d->napi);
	d->work = 1;
	napi_schedule(&d->napi);
	ASSERT_TRUE(napi_timer_armed(&d->napi));
	expect_violations();
	netif_napi_del(&d->napi); /* still enabled */
	ASSERT_EQ(unetdev_check_count("R-NAPI-15"), 1);
	ASSERT_FALSE(napi_timer_armed(&d->napi));
	free(d);
	tick(); /* nothing left to fire: no use of the freed instance (ASan) */
	d_del(dev);
	engine_down();
}

/* Busy polling: no waiting for the timer; the deferred instance is re-polled
 * round after round until its count runs out, then left to its interrupt. */
TEST(r_napi_18_engine_busy_poll_repolls_until_the_count_runs_out)
{
	struct net_device *dev;
	struct dnapi *d;

	engine_up(true);
	dev = d_dev(3, 1000000000ul); /* a 1 s timer: only busy polling can be this quick */
	d = netdev_priv(dev);
	d->work = 4;
	napi_schedule(&d->napi);
	ASSERT_EQ(d->polls, 1);
	ASSERT_FALSE(d->last_ret);
	d->work = 0;
	unetdev_cpu_run(0); /* the clock stands still: only busy polling polls */
	ASSERT_EQ(d->polls, 2);
	ASSERT_EQ(d->count_after, 1);
	d->work = 2; /* traffic while busy polling reloads the count */
	unetdev_cpu_run(0);
	ASSERT_EQ(d->count_after, 2);
	d->work = 0;
	for (int i = 0; i < 10; i++)
		unetdev_cpu_run(0);
	ASSERT_EQ(d->polls, 6); /* two more deferring polls, then the one that answers true */
	ASSERT_TRUE(d->last_ret);
	ASSERT_FALSE(napi_timer_armed(&d->napi));
	d_del(dev);
	engine_down();
}

/* The timer on an engine thread, real clock: epoll_pwait2 wakes for it. */
TEST_TIMEOUT(r_napi_7_timer_wakes_an_engine_thread, 30)
{
	struct unetdev_engine_config c = {.sz = sizeof(c), .ncpus = 1};
	struct net_device *dev;
	struct dnapi *d;
	int polls = 0;

	ASSERT_EQ(unetdev_engine_start(&c), 0);
	dev = d_dev(2, 200000); /* 0.2 ms */
	d = netdev_priv(dev);
	d->remote = true;
	d->work = 1;
	/* Polled here, on this thread's own softnet; its timer has no CPU of this
	 * thread to run on and goes to engine CPU 0, whose thread wakes for it and
	 * polls there. */
	local_bh_disable();
	napi_schedule(&d->napi);
	local_bh_enable(); /* the first poll ran here; the others come 0.2 ms apart */
	for (int i = 0; i < 10000 && polls < 3; i++) {
		polls = __atomic_load_n(&d->polls, __ATOMIC_ACQUIRE);
		usleep(1000);
	}
	ASSERT_EQ(polls, 3); /* the work poll, then two timer-driven empty polls */
	ASSERT_TRUE(__atomic_load_n(&d->last_ret, __ATOMIC_RELAXED)); /* before the count */
	usleep(5000);
	ASSERT_EQ(__atomic_load_n(&d->polls, __ATOMIC_ACQUIRE), 3);
	unetdev_engine_stop();
	d_del(dev);
}

/* Stopping the engine with a timer armed: the timer is not left on the freed
 * CPU; it fires on the stopping thread, and the instance, with no engine CPU
 * for a timer any more, completes without deferring (ASan: no use of the
 * freed CPU afterwards). */
TEST(r_napi_7_engine_stop_fires_pending_timers)
{
	struct net_device *dev;
	struct dnapi *d;

	engine_up(false);
	dev = d_dev(4, FLUSH_NS);
	d = netdev_priv(dev);
	d->work = 1;
	napi_schedule(&d->napi);
	ASSERT_TRUE(napi_timer_armed(&d->napi));
	engine_down();
	ASSERT_FALSE(napi_timer_armed(&d->napi));
	ASSERT_EQ(d->polls, 2); /* the work poll, then the timer's: nothing to defer to */
	ASSERT_TRUE(d->last_ret);
	ASSERT_EQ(d->count_after, 2); /* the count moved all the same */
	ASSERT_FALSE(napi_is_scheduled(&d->napi));
	d_del(dev); /* napi_disable's cancel finds nothing to touch */
}

/* No engine CPU at all (a thread's own softnet polls): no timer could run,
 * so nothing is deferred and the completion answers true. */
TEST(r_napi_7_no_engine_no_deferral)
{
	struct net_device *dev = d_dev(3, FLUSH_NS);
	struct dnapi *d = netdev_priv(dev);

	d->work = 2;
	local_bh_disable();
	napi_schedule(&d->napi);
	local_bh_enable(); /* polled here */
	ASSERT_EQ(d->polls, 1);
	ASSERT_TRUE(d->last_ret);
	ASSERT_FALSE(d->armed_after);
	d_del(dev);
}
