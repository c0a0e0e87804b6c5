// SPDX-License-Identifier: MIT
/*
 * Regression (found by tests/stress/storm_backends.c under TSan): a driver's
 * thread turns the carrier on (the backends' kernel-link watcher does, from
 * its own thread: kif.c) while another opens and closes the device. The
 * carrier event asks linkwatch_urgent_event() whether the TX queues' qdiscs
 * are changing (R-LINK-5), reading qdisc_sleeping with READ_ONCE; dev_open's
 * default-qdisc attachment wrote it plainly under rtnl: a data race. The
 * writes are WRITE_ONCE now, as the kernel's rcu_assign_pointer. The TSan
 * build reports the race with the old code; every build checks the device
 * ends consistent.
 */
#include <pthread.h>
#include <unistd.h>
#include <unetdev/unetdev.h>

#include "harness.h"

static struct net_device *dev;
static bool stop_flag;
static unsigned long toggles;

/* A driver's link thread: carrier follows a kernel interface going up and down. */
static void *carrier_thread(void *arg)
{
	(void)arg;
	while (!__atomic_load_n(&stop_flag, __ATOMIC_ACQUIRE)) {
		netif_carrier_off(dev);
		netif_carrier_on(dev);
		__atomic_fetch_add(&toggles, 1, __ATOMIC_RELAXED);
	}
	return NULL;
}

/*
 * The thread starts before the device is first opened, as the backends'
 * watcher starts at create: nothing orders the open's qdisc writes before its
 * reads but the accesses themselves (a later close would, through linkwatch's
 * lock, and hide the race from TSan).
 */
TEST_TIMEOUT(carrier_event_while_opening_reads_qdiscs_safely, 120)
{
	unetdev_log_set_level(3);
	for (int i = 0; i < 50; i++) {
		pthread_t th;
		unsigned long seen;

		ASSERT_EQ(unetdev_null_create(&init_net, "cv%d", NULL, &dev), 0);
		__atomic_store_n(&stop_flag, false, __ATOMIC_RELEASE);
		ASSERT_EQ(pthread_create(&th, NULL, carrier_thread, NULL), 0);
		rtnl_lock();
		ASSERT_EQ(dev_open(dev, NULL), 0); /* attaches the default qdiscs */
		rtnl_unlock();
		seen = __atomic_load_n(&toggles, __ATOMIC_RELAXED);
		while (__atomic_load_n(&toggles, __ATOMIC_RELAXED) < seen + 100)
			usleep(100); /* carrier events while the device runs */
		__atomic_store_n(&stop_flag, true, __ATOMIC_RELEASE);
		pthread_join(th, NULL);
		netif_carrier_on(dev);
		linkwatch_run_queue();
		ASSERT_TRUE(netif_carrier_ok(dev));
		ASSERT_TRUE(netif_running(dev));
		unregister_netdev(dev);
	}
	unetdev_log_set_level(6);
}
