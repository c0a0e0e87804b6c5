/* SPDX-License-Identifier: MIT */
/*
 * netdev_util.h - small device helpers shared by the unit and conformance tests.
 *
 * Each helper asserts (through the harness) instead of returning errors: a test
 * that cannot build its fixture fails at the line that could not.
 */
#ifndef UNETDEV_TEST_NETDEV_UTIL_H
#define UNETDEV_TEST_NETDEV_UTIL_H

#include <string.h>

#include <unetdev/unetdev.h>

#include "harness.h"

/* The 64-bit counters as `ip -s link` would read them (dev_get_stats). */
static inline struct rtnl_link_stats64 tu_stats(struct net_device *dev)
{
	struct rtnl_link_stats64 s;

	memset(&s, 0, sizeof(s));
	dev_get_stats(dev, &s);
	return s;
}

/* Bring @dev up under rtnl, asserting success. */
static inline void tu_open(struct net_device *dev)
{
	rtnl_lock();
	ASSERT_EQ(dev_open(dev, NULL), 0);
	rtnl_unlock();
}

/* A registered null device, up. */
static inline struct net_device *tu_null_up(const char *name)
{
	struct net_device *dev = NULL;

	ASSERT_EQ(unetdev_null_create(NULL, name, NULL, &dev), 0);
	tu_open(dev);
	return dev;
}

/*
 * A registered recording test device (one TX queue), configured with @cfg when
 * not NULL, optionally up, with its call record cleared.
 */
static inline struct net_device *tu_td_new(const char *name,
					   const struct unetdev_testdrv_config *cfg, bool up)
{
	struct net_device *dev = unetdev_testdrv_alloc(name, 1);

	ASSERT_NOT_NULL(dev);
	if (cfg)
		unetdev_testdrv_configure(dev, cfg);
	ASSERT_EQ(register_netdev(dev), 0);
	if (up)
		tu_open(dev);
	unetdev_testdrv_clear(dev);
	return dev;
}

/* Unregister and free a device made by tu_td_new() (or any register_netdev'd one). */
static inline void tu_del(struct net_device *dev)
{
	unregister_netdev(dev);
	free_netdev(dev);
}

#endif /* UNETDEV_TEST_NETDEV_UTIL_H */
