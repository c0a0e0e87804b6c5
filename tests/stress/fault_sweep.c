// SPDX-License-Identifier: MIT
/*
 * Stress: failslab sweep (the reliability issue, part 2).
 *
 * A scripted scenario touches every allocation path of a device's life:
 *   A) testdrv: alloc_netdev_mqs, register_netdev, dev_open, transmit,
 *      dev_set_mtu, dev_uc_add/dev_mc_add, unregister_netdev, free_netdev;
 *   B) null: unetdev_null_create, open (NAPI add), RX burst through NAPI,
 *      transmit, MTU, unregister;
 *   C) veth: unetdev_veth_create, open both ends, A -> B through the peer's
 *      NAPI, MTU, unregister of one end (takes the pair).
 * Every step checks its return and unwinds. The sweep first counts the
 * scenario's allocation points (unetdev_alloc_count deltas, which must be the
 * same on every clean run), then runs it once per point n with the n-th
 * allocation failing, and once per named site with every allocation there
 * failing. After each run: exactly the planned faults were injected, every
 * error was a negative errno, nothing is leaked (R-ALLOC-*), and each device
 * is either fully registered (findable by name, NETREG_REGISTERED) or not at
 * all (not findable, not NETREG_REGISTERED, R-REG-16/17).
 */
#include <arpa/inet.h>
#include <unetdev/engine.h>
#include <unetdev/unetdev.h>

#include "harness.h"

#define SWEEP_FRAMES 8

/* What one run of the scenario did. */
struct outcome {
	int errors;    /* steps that returned an error */
	int first_err; /* the first of them, 0 if none */
	int completed; /* devices that went through the whole script */
};

static const unsigned char bcast[ETH_ALEN] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff};

/* Record @err of a step; every error the API returns is a negative errno. */
static int step(struct outcome *o, int err)
{
	if (!err)
		return 0;
	if (err > 0 || err < -4095)
		FAIL("an API step returned %d, not a negative errno", err);
	if (!o->first_err)
		o->first_err = err;
	o->errors++;
	return err;
}

static bool findable(const char *name)
{
	bool found;

	rtnl_lock();
	found = __dev_get_by_name(&init_net, name) != NULL;
	rtnl_unlock();
	return found;
}

/* A device is registered all the way or not at all. */
static void assert_registered(struct net_device *dev, const char *name)
{
	ASSERT_TRUE(findable(name));
	ASSERT_EQ(dev->reg_state, NETREG_REGISTERED);
	ASSERT_GT(dev->ifindex, 0);
}

static void assert_absent(const char *name)
{
	ASSERT_FALSE(findable(name));
}

static bool leaked(void)
{
	struct unetdev_live l;

	unetdev_live_objects(&l);
	return l.allocations || l.netdevs || l.skbs || l.napis;
}

static void xmit_some(struct net_device *dev)
{
	for (int i = 0; i < SWEEP_FRAMES; i++) {
		struct sk_buff *skb = netdev_alloc_skb(dev, ETH_HLEN + 46);
		struct ethhdr *eth;

		if (!skb)
			continue; /* failed skb allocation: the sender's problem, not a leak */
		eth = skb_put(skb, ETH_HLEN);
		memcpy(eth->h_dest, bcast, ETH_ALEN);
		memcpy(eth->h_source, dev->dev_addr, ETH_ALEN);
		eth->h_proto = htons(ETH_P_IP);
		memset(skb_put(skb, 46), 0, 46);
		dev_queue_xmit(skb);
	}
	unetdev_cpu_run(0);
}

static int open_dev(struct outcome *o, struct net_device *dev)
{
	int err;

	rtnl_lock();
	err = dev_open(dev, NULL);
	rtnl_unlock();
	if (err)
		ASSERT_FALSE(dev->flags & IFF_UP); /* a failed open leaves it down */
	linkwatch_run_queue();
	return step(o, err);
}

/* MTU and address changes commit only on success (R-MTU-*, R-ADDR-*). */
static void reconfigure(struct outcome *o, struct net_device *dev)
{
	const unsigned char uc[ETH_ALEN] = {0x02, 0xaa, 0, 0, 0, 1};
	const unsigned char mc[ETH_ALEN] = {0x01, 0x00, 0x5e, 0, 0, 1};
	unsigned int old = dev->mtu;
	int err;

	rtnl_lock();
	err = dev_set_mtu(dev, 1400);
	ASSERT_EQ(dev->mtu, err ? old : 1400);
	step(o, err);
	step(o, dev_uc_add(dev, uc));
	step(o, dev_mc_add(dev, mc));
	rtnl_unlock();
}

static void scenario_testdrv(struct outcome *o)
{
	struct net_device *dev = unetdev_testdrv_alloc("fsA", 2);

	if (!dev) {
		step(o, -ENOMEM);
		assert_absent("fsA");
		return;
	}
	if (step(o, register_netdev(dev))) {
		assert_absent("fsA");
		/* UNINITIALIZED, or UNREGISTERED after a late (kobject) failure, as the kernel */
		ASSERT_NE(dev->reg_state, NETREG_REGISTERED);
		free_netdev(dev);
		return;
	}
	assert_registered(dev, "fsA");
	if (!open_dev(o, dev)) {
		xmit_some(dev);
		reconfigure(o, dev);
		xmit_some(dev);
		o->completed++;
	}
	unregister_netdev(dev);
	assert_absent("fsA");
	free_netdev(dev);
}

static void scenario_null(struct outcome *o)
{
	struct net_device *dev = NULL;

	if (step(o, unetdev_null_create(&init_net, "fsB", NULL, &dev))) {
		ASSERT_NULL(dev);
		assert_absent("fsB");
		return;
	}
	assert_registered(dev, "fsB");
	if (!open_dev(o, dev)) {
		ASSERT_EQ(unetdev_null_rx_burst(dev, SWEEP_FRAMES, 0), 0);
		unetdev_cpu_run(0); /* the poll allocates the frames: skb faults land here */
		xmit_some(dev);
		reconfigure(o, dev);
		o->completed++;
	}
	unregister_netdev(dev); /* needs_free_netdev */
	assert_absent("fsB");
}

static void scenario_veth(struct outcome *o)
{
	struct net_device *a = NULL, *b = NULL;

	if (step(o, unetdev_veth_create(&init_net, "fsC", "fsD", &a, &b))) {
		assert_absent("fsC");
		assert_absent("fsD"); /* never half a pair */
		return;
	}
	assert_registered(a, "fsC");
	assert_registered(b, "fsD");
	if (!open_dev(o, a) && !open_dev(o, b)) {
		xmit_some(a);
		reconfigure(o, b);
		xmit_some(a);
		o->completed++;
	}
	unregister_netdev(a); /* takes fsD with it */
	assert_absent("fsC");
	assert_absent("fsD");
}

static struct outcome scenario(void)
{
	struct outcome o = {0};

	scenario_testdrv(&o);
	scenario_null(&o);
	scenario_veth(&o);
	return o;
}

/* Allocation attempts of one clean run; two runs must agree. */
static unsigned long count_points(void)
{
	unsigned long before, first, second;
	struct outcome o;

	unetdev_log_set_level(4); /* warnings only: "entered promiscuous mode" x 1000 is noise */
	before = unetdev_alloc_count();
	o = scenario();
	first = unetdev_alloc_count() - before;
	ASSERT_EQ(o.errors, 0);
	ASSERT_EQ(o.completed, 3);
	ASSERT_NO_LEAKS();
	before = unetdev_alloc_count();
	scenario();
	second = unetdev_alloc_count() - before;
	ASSERT_UEQ(first, second);
	ASSERT_NO_LEAKS();
	return first;
}

TEST_TIMEOUT(fault_sweep_every_allocation_point, 240)
{
	unsigned long points = count_points(), errored = 0, absorbed = 0;

	ASSERT_GT(points, 10);
	for (unsigned long n = 1; n <= points; n++) {
		unsigned long inj = unetdev_fault_injected();
		struct outcome o;

		unetdev_fault_fail_nth(NULL, n);
		o = scenario();
		unetdev_fault_clear();
		if (leaked())
			FAIL("allocation point %lu: leak", n);
		if (unetdev_fault_injected() - inj != 1)
			FAIL("point %lu: %lu faults injected, want 1", n,
			     unetdev_fault_injected() - inj);
		if (o.errors) {
			errored++;
		} else {
			absorbed++; /* e.g. an skb: counted as a drop, the API call succeeds */
		}
		ASSERT_NO_LEAKS();
	}
	/* A clean run still works after the sweep: nothing was left half-done. */
	ASSERT_EQ(scenario().completed, 3);
	printf("# %lu allocation points swept: %lu returned an error, %lu absorbed (dropped "
	       "frame / retried)\n",
	       points, errored, absorbed);
}

/* Every allocation at one site fails for a whole run ("prefix*" patterns too). */
TEST_TIMEOUT(fault_sweep_every_site, 120)
{
	static const char *const sites[] = {
	    "netdev_heap", "netdev_pages", "netdev_*", "txq",  "rxq", "hw_addr", "kmalloc",
	    "skb",	   "percpu",	   "kobject",  "napi", "net", "module"};
	unsigned long points = count_points();

	for (size_t i = 0; i < sizeof(sites) / sizeof(sites[0]); i++) {
		unsigned long inj = unetdev_fault_injected();
		struct outcome o;

		unetdev_fault_fail_site(sites[i]);
		o = scenario();
		unetdev_fault_clear();
		printf("# site %-12s %3lu injected, %d errors, first %d (%s), %d/3 completed\n",
		       sites[i], unetdev_fault_injected() - inj, o.errors, o.first_err,
		       o.first_err ? unetdev_strerror(o.first_err) : "-", o.completed);
		fflush(stdout);
		ASSERT_NO_LEAKS();
	}
	ASSERT_EQ(scenario().completed, 3);
	printf("# %zu sites swept over a %lu-point scenario\n", sizeof(sites) / sizeof(sites[0]),
	       points);
}

/* The n-th allocation at one site only (the site-filtered counter). */
TEST_TIMEOUT(fault_sweep_nth_at_each_site, 120)
{
	static const char *const sites[] = {"netdev_heap", "netdev_pages", "txq",
					    "rxq",	   "hw_addr",	   "kmalloc",
					    "skb",	   "percpu",	   "kobject"};
	unsigned long runs = 0;

	count_points();
	for (size_t i = 0; i < sizeof(sites) / sizeof(sites[0]); i++) {
		for (unsigned long n = 1; n < 64; n++) {
			unsigned long inj = unetdev_fault_injected();

			unetdev_fault_fail_nth(sites[i], n);
			scenario();
			unetdev_fault_clear();
			if (leaked())
				FAIL("site %s, allocation %lu: leak", sites[i], n);
			runs++;
			if (unetdev_fault_injected() == inj)
				break; /* the site has fewer than n allocations */
		}
	}
	printf("# %lu site-filtered runs\n", runs);
}
