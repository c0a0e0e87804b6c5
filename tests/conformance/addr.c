// SPDX-License-Identifier: MIT
/*
 * Conformance: hardware address lists, rx_mode and MAC changes
 * (R-ADDR-1..6, R-ADDR-10..13; R-ADDR-7..9 promiscuity/allmulti are in up.c).
 *
 * Entries are inspected through the public list macros
 * (netdev_for_each_uc_addr, netdev_uc_count); driver calls through the
 * recording test driver.
 */
#include <unetdev/unetdev.h>

#include "harness.h"
#include "netdev_util.h"

static const unsigned char A[MAX_ADDR_LEN] = {0x02, 0, 0, 0, 0, 0xa1};
static const unsigned char B[MAX_ADDR_LEN] = {0x02, 0, 0, 0, 0, 0xb2};
static const unsigned char M[MAX_ADDR_LEN] = {0x01, 0x00, 0x5e, 0, 0, 0x01};

/* ---- devices ---- */

static struct net_device *td_alloc(const char *name)
{
	struct net_device *dev = unetdev_testdrv_alloc(name, 1);

	ASSERT_NOT_NULL(dev);
	return dev;
}

/* A device that never was registered keeps its lists: empty them first. */
static void td_free_unregistered(struct net_device *dev)
{
	dev_uc_flush(dev);
	dev_mc_flush(dev);
	free_netdev(dev);
}

static struct netdev_hw_addr *find(struct netdev_hw_addr_list *l, const unsigned char *addr)
{
	struct netdev_hw_addr *ha;

	netdev_hw_addr_list_for_each (ha, l)
		if (!memcmp(ha->addr, addr, ETH_ALEN))
			return ha;
	return NULL;
}

static int rx_mode_calls(struct net_device *dev)
{
	return unetdev_testdrv_count(dev, "ndo_set_rx_mode");
}

/* ---- a notifier counting address events of one device ---- */

static struct net_device *watched;
static int n_changeaddr, n_prechangeaddr;
static int veto_pre_err;

static int addr_cb(struct notifier_block *nb, unsigned long event, void *ptr)
{
	if (netdev_notifier_info_to_dev(ptr) != watched)
		return NOTIFY_DONE;
	if (event == NETDEV_CHANGEADDR)
		n_changeaddr++;
	if (event == NETDEV_PRE_CHANGEADDR) {
		n_prechangeaddr++;
		if (veto_pre_err)
			return notifier_from_errno(veto_pre_err);
	}
	return NOTIFY_DONE;
}

static struct notifier_block addr_nb = {.notifier_call = addr_cb};

static void watch(struct net_device *dev)
{
	watched = dev;
	n_changeaddr = n_prechangeaddr = veto_pre_err = 0;
	ASSERT_EQ(register_netdevice_notifier(&addr_nb), 0);
}

static void unwatch(void)
{
	ASSERT_EQ(unregister_netdevice_notifier(&addr_nb), 0);
	watched = NULL;
}

/* ---- R-ADDR-1 .. 4: list operations ---- */

TEST(r_addr_1_uc_add_refcounts_identical_bytes)
{
	struct net_device *dev = tu_td_new("ua%d", NULL, true);
	unsigned char a2[MAX_ADDR_LEN];

	/* Identical over addr_len (6): bytes past it do not matter. */
	memcpy(a2, A, sizeof(a2));
	a2[7] = 0x77;
	rtnl_lock(); /* unicast changes may switch promiscuity: rtnl (R-ADDR-5) */
	ASSERT_EQ(dev_uc_add(dev, A), 0);
	ASSERT_EQ(netdev_uc_count(dev), 1);
	ASSERT_EQ(find(&dev->uc, A)->refcount, 1);
	ASSERT_EQ(find(&dev->uc, A)->type, NETDEV_HW_ADDR_T_UNICAST);
	ASSERT_EQ(dev_uc_add(dev, a2), 0);
	ASSERT_EQ(netdev_uc_count(dev), 1);
	ASSERT_EQ(find(&dev->uc, A)->refcount, 2);
	ASSERT_EQ(dev_uc_add(dev, B), 0);
	ASSERT_EQ(netdev_uc_count(dev), 2);
	rtnl_unlock();
	ASSERT_EQ(rx_mode_calls(dev), 3); /* __dev_set_rx_mode after each change */
	tu_del(dev);
}

TEST(r_addr_1_addr_len_over_max_is_einval)
{
	struct net_device *dev = td_alloc("ul%d");

	dev->addr_len = MAX_ADDR_LEN + 1;
	ASSERT_EQ(dev_uc_add(dev, A), -EINVAL);
	ASSERT_EQ(dev_mc_add(dev, M), -EINVAL);
	ASSERT_EQ(dev_uc_add_excl(dev, A), -EINVAL);
	ASSERT_EQ(dev_mc_add_global(dev, M), -EINVAL);
	ASSERT_EQ(netdev_uc_count(dev), 0);
	ASSERT_EQ(netdev_mc_count(dev), 0);
	dev->addr_len = MAX_ADDR_LEN; /* the largest legal length */
	ASSERT_EQ(dev_uc_add(dev, A), 0);
	dev->addr_len = ETH_ALEN;
	td_free_unregistered(dev);
}

TEST(r_addr_2_uc_del)
{
	struct net_device *dev = td_alloc("ud%d");

	ASSERT_EQ(dev_uc_del(dev, A), -ENOENT);
	ASSERT_EQ(dev_uc_add(dev, A), 0);
	ASSERT_EQ(dev_uc_add(dev, A), 0);
	ASSERT_EQ(dev_uc_del(dev, A), 0);
	ASSERT_EQ(netdev_uc_count(dev), 1);
	ASSERT_EQ(find(&dev->uc, A)->refcount, 1);
	ASSERT_EQ(dev_uc_del(dev, A), 0);
	ASSERT_EQ(netdev_uc_count(dev), 0);
	ASSERT_NULL(find(&dev->uc, A));
	ASSERT_EQ(dev_uc_del(dev, A), -ENOENT);
	/* A multicast entry is not found on the unicast list. */
	ASSERT_EQ(dev_mc_add(dev, A), 0);
	ASSERT_EQ(dev_uc_del(dev, A), -ENOENT);
	td_free_unregistered(dev);
}

TEST(r_addr_3_add_excl_is_eexist_when_present)
{
	struct net_device *dev = td_alloc("ux%d");

	ASSERT_EQ(dev_uc_add_excl(dev, A), 0);
	ASSERT_TRUE(find(&dev->uc, A)->global_use);
	ASSERT_EQ(dev_uc_add_excl(dev, A), -EEXIST);
	ASSERT_EQ(find(&dev->uc, A)->refcount, 1);
	ASSERT_EQ(dev_uc_add(dev, B), 0);
	ASSERT_EQ(dev_uc_add_excl(dev, B), -EEXIST);
	ASSERT_EQ(dev_mc_add_excl(dev, M), 0);
	ASSERT_EQ(dev_mc_add_excl(dev, M), -EEXIST);
	ASSERT_EQ(netdev_mc_count(dev), 1);
	td_free_unregistered(dev);
}

TEST(r_addr_4_mc_lists_and_global_users)
{
	struct net_device *dev = td_alloc("um%d");
	struct netdev_hw_addr *ha;

	ASSERT_EQ(dev_mc_add(dev, M), 0);
	ASSERT_EQ(dev_mc_add(dev, M), 0);
	ha = find(&dev->mc, M);
	ASSERT_EQ(ha->type, NETDEV_HW_ADDR_T_MULTICAST);
	ASSERT_EQ(ha->refcount, 2);
	ASSERT_EQ(dev_mc_del_global(dev, M), -ENOENT); /* not a global entry */
	ASSERT_EQ(dev_mc_add_global(dev, M), 0);
	ASSERT_EQ(ha->refcount, 3);
	ASSERT_EQ(dev_mc_add_global(dev, M), 0); /* a second global add: no new reference */
	ASSERT_EQ(ha->refcount, 3);
	ASSERT_EQ(dev_mc_del_global(dev, M), 0);
	ASSERT_EQ(ha->refcount, 2);
	ASSERT_FALSE(ha->global_use);
	ASSERT_EQ(dev_mc_del_global(dev, M), -ENOENT);
	ASSERT_EQ(dev_mc_del(dev, M), 0);
	ASSERT_EQ(dev_mc_del(dev, M), 0);
	ASSERT_EQ(netdev_mc_count(dev), 0);
	ASSERT_EQ(dev_mc_del(dev, M), -ENOENT);
	td_free_unregistered(dev);
}

/* ---- R-ADDR-5 / 6: __dev_set_rx_mode ---- */

TEST(r_addr_5_no_unicast_filter_falls_back_to_promisc)
{
	struct net_device *dev = tu_td_new("up%d", NULL, true);
	const struct unetdev_testdrv_call *c;

	rtnl_lock();
	ASSERT_EQ(dev_uc_add(dev, A), 0);
	ASSERT_TRUE(dev->uc_promisc);
	ASSERT_EQ(dev->promiscuity, 1);
	ASSERT_TRUE(dev->flags & IFF_PROMISC);
	c = unetdev_testdrv_last(dev, "ndo_change_rx_flags");
	ASSERT_NOT_NULL(c);
	ASSERT_EQ(c->arg, IFF_PROMISC);
	ASSERT_EQ(dev_uc_add(dev, B), 0); /* already promiscuous: counted once */
	ASSERT_EQ(dev->promiscuity, 1);
	ASSERT_EQ(dev_uc_del(dev, A), 0);
	ASSERT_EQ(dev->promiscuity, 1);
	ASSERT_EQ(dev_uc_del(dev, B), 0); /* empty list: back to normal */
	ASSERT_FALSE(dev->uc_promisc);
	ASSERT_EQ(dev->promiscuity, 0);
	ASSERT_FALSE(dev->flags & IFF_PROMISC);
	rtnl_unlock();
	tu_del(dev);
}

TEST(r_addr_5_unicast_filter_needs_no_promisc)
{
	struct net_device *dev = td_alloc("uf%d");

	dev->priv_flags |= IFF_UNICAST_FLT;
	ASSERT_EQ(register_netdev(dev), 0);
	rtnl_lock();
	ASSERT_EQ(dev_open(dev, NULL), 0);
	unetdev_testdrv_clear(dev);
	ASSERT_EQ(dev_uc_add(dev, A), 0);
	rtnl_unlock();
	ASSERT_FALSE(dev->uc_promisc);
	ASSERT_EQ(dev->promiscuity, 0);
	ASSERT_EQ(rx_mode_calls(dev), 1); /* the driver filters it itself */
	tu_del(dev);
}

TEST(r_addr_5_down_or_absent_device_is_skipped)
{
	struct net_device *dev = tu_td_new("us%d", NULL, false);

	rtnl_lock();
	ASSERT_EQ(dev_uc_add(dev, A), 0); /* down: nothing reaches the driver */
	ASSERT_EQ(dev_mc_add(dev, M), 0);
	ASSERT_EQ(rx_mode_calls(dev), 0);
	ASSERT_EQ(dev->promiscuity, 0);
	/* dev_open() replays the lists (R-UP-7). */
	ASSERT_EQ(dev_open(dev, NULL), 0);
	ASSERT_EQ(rx_mode_calls(dev), 1);
	ASSERT_EQ(dev->promiscuity, 1);
	netif_device_detach(dev);
	ASSERT_EQ(dev_mc_add(dev, B), 0);
	ASSERT_EQ(rx_mode_calls(dev), 1); /* not present: skipped */
	netif_device_attach(dev);
	dev_set_rx_mode(dev);
	ASSERT_EQ(rx_mode_calls(dev), 2);
	rtnl_unlock();
	tu_del(dev);
}

TEST(r_addr_6_set_rx_mode_under_addr_lock_bh_disabled)
{
	struct net_device *dev = tu_td_new("ur%d", NULL, true);
	const struct unetdev_testdrv_call *c;

	dev_mc_add(dev, M);
	c = unetdev_testdrv_last(dev, "ndo_set_rx_mode");
	ASSERT_NOT_NULL(c);
	ASSERT_TRUE(c->addr_lock);
	ASSERT_TRUE(c->bh_off);
	ASSERT_EQ(c->arg, 1); /* the driver saw the new list */
	unetdev_testdrv_clear(dev);
	dev_set_rx_mode(dev);
	c = unetdev_testdrv_last(dev, "ndo_set_rx_mode");
	ASSERT_NOT_NULL(c);
	ASSERT_TRUE(c->addr_lock && c->bh_off);
	ASSERT_FALSE(in_softirq()); /* BHs enabled again afterwards */
	tu_del(dev);
}

/* ---- R-ADDR-10: sync between layered devices ---- */

TEST(r_addr_10_uc_sync_pushes_and_removes)
{
	struct net_device *upper = td_alloc("sa%d"), *lower = td_alloc("sb%d");
	struct netdev_hw_addr *ha;

	ASSERT_EQ(dev_uc_add(upper, A), 0);
	ASSERT_EQ(dev_uc_sync(lower, upper), 0);
	ha = find(&lower->uc, A);
	ASSERT_NOT_NULL(ha);
	ASSERT_EQ(ha->refcount, 1);
	ASSERT_EQ(ha->synced, 1);
	ASSERT_EQ(find(&upper->uc, A)->sync_cnt, 1);
	ASSERT_EQ(find(&upper->uc, A)->refcount, 2); /* the sync's own reference */

	ASSERT_EQ(dev_uc_sync(lower, upper), 0); /* a repeat changes nothing */
	ASSERT_EQ(find(&lower->uc, A)->refcount, 1);
	ASSERT_EQ(find(&upper->uc, A)->refcount, 2);

	/* The owner deletes it: only the sync still uses it, so the next sync
	 * removes it from both lists. */
	ASSERT_EQ(dev_uc_del(upper, A), 0);
	ASSERT_EQ(netdev_uc_count(upper), 1);
	ASSERT_EQ(dev_uc_sync(lower, upper), 0);
	ASSERT_EQ(netdev_uc_count(upper), 0);
	ASSERT_EQ(netdev_uc_count(lower), 0);
	td_free_unregistered(upper);
	td_free_unregistered(lower);
}

TEST(r_addr_10_unsync_removes_only_synced_users)
{
	struct net_device *upper = td_alloc("sc%d"), *lower = td_alloc("sd%d");

	ASSERT_EQ(dev_mc_add(lower, M), 0); /* the lower device's own user */
	ASSERT_EQ(dev_mc_add(upper, M), 0);
	ASSERT_EQ(dev_mc_add(upper, B), 0);
	ASSERT_EQ(dev_mc_sync(lower, upper), 0);
	ASSERT_EQ(netdev_mc_count(lower), 2);
	ASSERT_EQ(find(&lower->mc, M)->refcount, 2);
	dev_mc_unsync(lower, upper);
	ASSERT_EQ(netdev_mc_count(lower), 1);
	ASSERT_EQ(find(&lower->mc, M)->refcount, 1);
	ASSERT_EQ(find(&upper->mc, M)->refcount, 1);
	ASSERT_EQ(find(&upper->mc, M)->sync_cnt, 0);
	td_free_unregistered(upper);
	td_free_unregistered(lower);
}

TEST(r_addr_10_sync_needs_equal_addr_len)
{
	struct net_device *upper = td_alloc("se%d"), *lower = td_alloc("sf%d");

	lower->addr_len = 8;
	ASSERT_EQ(dev_uc_add(upper, A), 0);
	ASSERT_EQ(dev_uc_sync(lower, upper), -EINVAL);
	ASSERT_EQ(dev_mc_sync(lower, upper), -EINVAL);
	dev_uc_unsync(lower, upper); /* a no-op */
	ASSERT_EQ(netdev_uc_count(lower), 0);
	lower->addr_len = ETH_ALEN;
	td_free_unregistered(upper);
	td_free_unregistered(lower);
}

/* ---- R-ADDR-11: device addresses ---- */

TEST(r_addr_11_dev_addr_primary_kept_changeaddr_sent)
{
	struct net_device *dev = tu_td_new("uk%d", NULL, false);
	unsigned char primary[MAX_ADDR_LEN] = {0};

	memcpy(primary, dev->dev_addr, ETH_ALEN);
	watch(dev);
	rtnl_lock();
	ASSERT_EQ(dev_addr_del(dev, primary, NETDEV_HW_ADDR_T_LAN), -ENOENT);
	ASSERT_EQ(n_changeaddr, 0);
	ASSERT_EQ(dev_addr_add(dev, B, NETDEV_HW_ADDR_T_SAN), 0);
	ASSERT_EQ(n_changeaddr, 1);
	ASSERT_EQ(dev->dev_addrs.count, 2);
	ASSERT_EQ(dev_addr_del(dev, B, NETDEV_HW_ADDR_T_LAN), -ENOENT); /* type matters */
	ASSERT_EQ(dev_addr_del(dev, B, NETDEV_HW_ADDR_T_SAN), 0);
	ASSERT_EQ(n_changeaddr, 2);
	/* A second user of the primary entry may go again. */
	ASSERT_EQ(dev_addr_add(dev, primary, NETDEV_HW_ADDR_T_LAN), 0);
	ASSERT_EQ(dev->dev_addrs.count, 1);
	ASSERT_EQ(dev_addr_del(dev, primary, NETDEV_HW_ADDR_T_LAN), 0);
	ASSERT_EQ(dev_addr_del(dev, primary, NETDEV_HW_ADDR_T_LAN), -ENOENT);
	ASSERT_MEM_EQ(dev->dev_addr, primary, ETH_ALEN);
	rtnl_unlock();
	unwatch();
	tu_del(dev);
}

/* ---- R-ADDR-12: dev_set_mac_address ---- */

static int set_mac(struct net_device *dev, unsigned short family, const unsigned char *addr)
{
	struct sockaddr_hw sa = {.sa_family = family};
	int err;

	memcpy(sa.sa_data, addr, ETH_ALEN);
	rtnl_lock();
	err = dev_set_mac_address(dev, &sa, NULL);
	rtnl_unlock();
	return err;
}

TEST(r_addr_12_set_mac_checks_in_order)
{
	struct unetdev_testdrv_config nomac = {.no_set_mac = true};
	struct net_device *dev = td_alloc("um%d"), *dev2 = tu_td_new("un%d", NULL, false);

	unetdev_testdrv_configure(dev2, &nomac);
	ASSERT_EQ(set_mac(dev2, ARPHRD_ETHER, A), -EOPNOTSUPP);
	ASSERT_EQ(set_mac(dev, ARPHRD_NONE, A), -EINVAL);  /* family != dev->type */
	ASSERT_EQ(set_mac(dev, ARPHRD_ETHER, A), -ENODEV); /* not present */
	ASSERT_EQ(unetdev_testdrv_count(dev, "ndo_set_mac_address"), 0);
	free_netdev(dev);
	tu_del(dev2);
}

TEST(r_addr_12_pre_changeaddr_veto)
{
	struct net_device *dev = tu_td_new("uv%d", NULL, false);

	watch(dev);
	veto_pre_err = -EADDRINUSE;
	ASSERT_EQ(set_mac(dev, ARPHRD_ETHER, A), -EADDRINUSE);
	ASSERT_EQ(n_prechangeaddr, 1);
	ASSERT_EQ(n_changeaddr, 0);
	ASSERT_EQ(unetdev_testdrv_count(dev, "ndo_set_mac_address"), 0);
	unwatch();
	tu_del(dev);
}

TEST(r_addr_12_driver_called_only_when_address_differs)
{
	struct net_device *dev = tu_td_new("uw%d", NULL, false);
	unsigned char same[ETH_ALEN];

	memcpy(same, dev->dev_addr, ETH_ALEN);
	ASSERT_EQ(dev->addr_assign_type, NET_ADDR_PERM);
	watch(dev);
	ASSERT_EQ(set_mac(dev, ARPHRD_ETHER, same), 0);
	ASSERT_EQ(unetdev_testdrv_count(dev, "ndo_set_mac_address"), 0);
	ASSERT_EQ(dev->addr_assign_type, NET_ADDR_SET);
	ASSERT_EQ(n_changeaddr, 1);
	ASSERT_EQ(set_mac(dev, ARPHRD_ETHER, A), 0);
	ASSERT_EQ(unetdev_testdrv_count(dev, "ndo_set_mac_address"), 1);
	ASSERT_TRUE(unetdev_testdrv_last(dev, "ndo_set_mac_address")->rtnl);
	ASSERT_MEM_EQ(dev->dev_addr, A, ETH_ALEN);
	ASSERT_EQ(n_changeaddr, 2);
	unwatch();
	tu_del(dev);
}

/* ---- R-ADDR-13 ---- */

TEST(r_addr_13_unregister_flushes_lists_without_driver)
{
	struct net_device *dev = tu_td_new("uz%d", NULL, true);
	int calls;

	rtnl_lock();
	ASSERT_EQ(dev_uc_add(dev, A), 0);
	ASSERT_EQ(dev_mc_add(dev, M), 0);
	rtnl_unlock();
	calls = rx_mode_calls(dev);
	unregister_netdev(dev);
	ASSERT_EQ(netdev_uc_count(dev), 0);
	ASSERT_EQ(netdev_mc_count(dev), 0);
	ASSERT_EQ(rx_mode_calls(dev), calls);
	free_netdev(dev);
}
