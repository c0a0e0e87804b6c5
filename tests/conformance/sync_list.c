// SPDX-License-Identifier: MIT
/*
 * Conformance: the device list (R-SYNC-13) and the ops-locked devices of
 * section 19 (R-SYNC-15, second phase).
 */
#include <pthread.h>
#include <unetdev/unetdev.h>

#include "harness.h"

static netdev_tx_t s_xmit(struct sk_buff *skb, struct net_device *dev)
{
	consume_skb(skb);
	return NETDEV_TX_OK;
}

static const struct net_device_ops s_ops = {.ndo_start_xmit = s_xmit};

static void s_setup(struct net_device *dev)
{
	ether_setup(dev);
	dev->netdev_ops = &s_ops;
}

static volatile bool stop;
static unsigned long found;

static void *reader(void *arg)
{
	while (!__atomic_load_n(&stop, __ATOMIC_ACQUIRE)) {
		struct net_device *dev = dev_get_by_name(&init_net, "sl0");

		if (dev) {
			/* a reference keeps the device valid after the lookup */
			if (strcmp(dev->name, "sl0"))
				FAIL("lookup returned %s", dev->name);
			__atomic_fetch_add(&found, 1, __ATOMIC_RELAXED);
			dev_put(dev);
		}
	}
	return NULL;
}

TEST_TIMEOUT(r_sync_13_lookups_race_registration_safely, 60)
{
	pthread_t th[2];

	for (int i = 0; i < 2; i++)
		ASSERT_EQ(pthread_create(&th[i], NULL, reader, NULL), 0);
	for (int round = 0; round < 200; round++) {
		struct net_device *dev = alloc_netdev(0, "sl0", NET_NAME_USER, s_setup);

		ASSERT_EQ(register_netdev(dev), 0);
		unregister_netdev(dev); /* waits for the readers' references */
		free_netdev(dev);
	}
	__atomic_store_n(&stop, true, __ATOMIC_RELEASE);
	for (int i = 0; i < 2; i++)
		pthread_join(th[i], NULL);
}

TEST(r_sync_13_writers_hold_rtnl_and_base_lock)
{
	struct net_device *dev = alloc_netdev(0, "sl1", NET_NAME_USER, s_setup);

	/* A reader holding dev_base_lock blocks listing: registration waits for it. */
	read_lock(&dev_base_lock);
	ASSERT_NULL(__dev_get_by_name(&init_net, "sl1"));
	read_unlock(&dev_base_lock);
	ASSERT_EQ(register_netdev(dev), 0);
	read_lock(&dev_base_lock);
	ASSERT_PTR_EQ(__dev_get_by_name(&init_net, "sl1"), dev);
	read_unlock(&dev_base_lock);
	unregister_netdev(dev);
	free_netdev(dev);
}

SKIP_TEST(r_sync_15_ops_locked_devices,
	  "the netdev instance lock (rules section 19) is the documented second phase")
