// SPDX-License-Identifier: MIT
/*
 * Unit: the name and ifindex tables (src/core/dev_hash.c). They start as
 * the kernel's 256 buckets (R-K-20), grow while devices are registered and
 * shrink back as they go; every lookup finds every name (altnames and
 * renames included) and every ifindex at every size, and an empty namespace
 * is back on the embedded buckets with nothing allocated (the harness's leak
 * check).
 */
#include <stdio.h>
#include <unetdev/unetdev.h>

#include "harness.h"

#define NDEV 3000

static struct net_device *devs[NDEV];

static void check_all(struct net *net, int from, int to)
{
	char name[IFNAMSIZ];

	rtnl_lock();
	for (int i = from; i < to; i++) {
		snprintf(name, sizeof(name), "h%d", i);
		ASSERT_PTR_EQ(__dev_get_by_name(net, name), devs[i]);
		ASSERT_PTR_EQ(__dev_get_by_index(net, devs[i]->ifindex), devs[i]);
		if (i % 10 == 0) {
			snprintf(name, sizeof(name), "alt%d", i);
			ASSERT_PTR_EQ(__dev_get_by_name(net, name), devs[i]);
		}
	}
	rtnl_unlock();
}

TEST(r_k_20_name_and_index_tables_grow_and_shrink_back)
{
	struct net *net = unetdev_net_create("hash");
	char name[IFNAMSIZ];
	LIST_HEAD(kill);

	ASSERT_NOT_NULL(net);
	ASSERT_EQ(net->name_hash.mask + 1, UNETDEV_NET_HASHENTRIES); /* the kernel's, at first */
	for (int i = 0; i < NDEV; i++) {
		snprintf(name, sizeof(name), "h%d", i);
		ASSERT_EQ(unetdev_null_create(net, name, NULL, &devs[i]), 0);
		if (i % 10 == 0) {
			snprintf(name, sizeof(name), "alt%d", i);
			rtnl_lock();
			ASSERT_EQ(netdev_name_node_alt_create(devs[i], name), 0);
			rtnl_unlock();
		}
	}
	ASSERT_GT(net->name_hash.mask + 1, UNETDEV_NET_HASHENTRIES);
	ASSERT_GT(net->index_hash.mask + 1, UNETDEV_NET_HASHENTRIES);
	ASSERT_LE(net->name_hash.count, 2 * (net->name_hash.mask + 1));
	ASSERT_EQ(net->name_hash.count, NDEV + NDEV / 10);
	ASSERT_EQ(net->index_hash.count, NDEV);
	check_all(net, 0, NDEV);
	/* a rename moves between buckets of the grown table; the old name is gone */
	rtnl_lock();
	ASSERT_EQ(dev_change_name(devs[7], "renamed7"), 0);
	ASSERT_PTR_EQ(__dev_get_by_name(net, "renamed7"), devs[7]);
	ASSERT_NULL(__dev_get_by_name(net, "h7"));
	ASSERT_EQ(dev_change_name(devs[7], "h7"), 0);
	ASSERT_EQ(netdev_name_node_alt_destroy(devs[10], "alt10"), 0);
	ASSERT_NULL(__dev_get_by_name(net, "alt10"));
	ASSERT_EQ(netdev_name_node_alt_create(devs[10], "alt10"), 0);
	rtnl_unlock();
	/* the first 2,900 go in one batch: the tables shrink under the rest */
	rtnl_lock();
	for (int i = 0; i < NDEV - 100; i++)
		unregister_netdevice_queue(devs[i], &kill);
	unregister_netdevice_many(&kill);
	rtnl_unlock();
	ASSERT_EQ(net->index_hash.count, 100);
	ASSERT_LT(net->name_hash.mask + 1, 2048);
	check_all(net, NDEV - 100, NDEV);
	rtnl_lock();
	ASSERT_NULL(__dev_get_by_name(net, "h0"));
	ASSERT_NULL(__dev_get_by_name(net, "alt0"));
	for (int i = NDEV - 100; i < NDEV; i++)
		unregister_netdevice_queue(devs[i], &kill);
	unregister_netdevice_many(&kill);
	rtnl_unlock();
	ASSERT_PTR_EQ(net->name_hash.heads, net->dev_name_head); /* embedded again */
	ASSERT_PTR_EQ(net->index_hash.heads, net->dev_index_head);
	ASSERT_EQ(net->name_hash.count + net->index_hash.count, 0);
	unetdev_net_destroy(net);
}
