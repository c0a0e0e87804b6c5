// SPDX-License-Identifier: MIT
/*
 * dev_upper.c - upper and lower devices (kernel net/core/dev.c:
 * __netdev_upper_dev_link, netdev_master_upper_dev_link,
 * netdev_upper_dev_unlink, netdev_master_upper_dev_get, the adjacency lists;
 * net/core/rtnetlink.c: do_set_master). Rules R-K-21 (MAX_NEST_DEV),
 * R-SYNC-10 (rtnl around the master ops).
 *
 * Only direct neighbours are listed (the kernel also keeps the transitive
 * "all" lists for walks; here the walks follow the direct links). Every
 * list is changed and read under rtnl.
 *
 * Linking, in the kernel's order:
 *   a) refuse @dev == @upper, a loop (@dev already above @upper), a second
 *      master (-EBUSY), a duplicate (-EEXIST), a stack deeper than
 *      MAX_NEST_DEV (-EMLINK);
 *   b) NETDEV_PRECHANGEUPPER, which a notifier may veto;
 *   c) the adjacency entries on both devices, each holding a reference;
 *   d) NETDEV_CHANGEUPPER, and an RTM_NEWLINK for the lower device (the
 *      kernel's rtnetlink_event on CHANGEUPPER).
 * Unlinking runs b) to d) backwards and cannot fail.
 */
#include "internal.h"
#include "ndo.h"

struct netdev_adjacent {
	struct net_device *dev;
	bool master;
	void *private;
	struct list_head list;
};

static struct netdev_adjacent *adj_find(struct list_head *head, const struct net_device *dev)
{
	struct netdev_adjacent *adj;

	list_for_each_entry (adj, head, list)
		if (adj->dev == dev)
			return adj;
	return NULL;
}

/* Longest chain of uppers above @dev, counting @dev (the kernel's upper_level). */
static int upper_level(struct net_device *dev)
{
	struct netdev_adjacent *adj;
	int max = 0;

	list_for_each_entry (adj, &dev->adj_list.upper, list) {
		int l = upper_level(adj->dev);

		if (l > max)
			max = l;
	}
	return max + 1;
}

static int lower_level(struct net_device *dev)
{
	struct netdev_adjacent *adj;
	int max = 0;

	list_for_each_entry (adj, &dev->adj_list.lower, list) {
		int l = lower_level(adj->dev);

		if (l > max)
			max = l;
	}
	return max + 1;
}

/* __netdev_has_upper_dev: @upper anywhere above @dev. */
static bool has_upper_deep(struct net_device *dev, const struct net_device *upper)
{
	struct netdev_adjacent *adj;

	list_for_each_entry (adj, &dev->adj_list.upper, list)
		if (adj->dev == upper || has_upper_deep(adj->dev, upper))
			return true;
	return false;
}

bool netdev_has_upper_dev(struct net_device *dev, struct net_device *upper_dev)
{
	ASSERT_RTNL();
	return has_upper_deep(dev, upper_dev);
}

bool netdev_has_any_upper_dev(struct net_device *dev)
{
	ASSERT_RTNL();
	return !list_empty(&dev->adj_list.upper);
}

struct net_device *netdev_master_upper_dev_get(struct net_device *dev)
{
	struct netdev_adjacent *adj;

	ASSERT_RTNL();
	if (list_empty(&dev->adj_list.upper))
		return NULL;
	/* The master is always first on the list (__netdev_adjacent_dev_insert). */
	adj = list_first_entry(&dev->adj_list.upper, struct netdev_adjacent, list);
	return adj->master ? adj->dev : NULL;
}

void *netdev_lower_dev_get_private(struct net_device *dev, struct net_device *lower_dev)
{
	struct netdev_adjacent *adj;

	ASSERT_RTNL();
	adj = adj_find(&dev->adj_list.lower, lower_dev);
	return adj ? adj->private : NULL;
}

static int link_checks(struct net_device *dev, struct net_device *upper, bool master)
    UNETDEV_MUST_HOLD(rtnl_mutex)
{
	struct net_device *cur;

	if (dev == upper || has_upper_deep(upper, dev))
		return -EBUSY;
	if (lower_level(dev) + upper_level(upper) > MAX_NEST_DEV)
		return -EMLINK;
	if (!master)
		return adj_find(&dev->adj_list.upper, upper) ? -EEXIST : 0;
	cur = netdev_master_upper_dev_get(dev);
	if (cur)
		return cur == upper ? -EEXIST : -EBUSY;
	return 0;
}

static int notify_upper(unsigned long event, struct net_device *dev, struct net_device *upper,
			bool master, bool linking, void *upper_info, struct netlink_ext_ack *extack)
    UNETDEV_MUST_HOLD(rtnl_mutex)
{
	struct netdev_notifier_changeupper_info info = {
	    .info = {.dev = dev, .extack = extack},
	    .upper_dev = upper,
	    .master = master,
	    .linking = linking,
	    .upper_info = upper_info,
	};

	return notifier_to_errno(call_netdevice_notifiers_info(event, &info.info));
}

/* __netdev_adjacent_dev_insert for both directions; a reference per entry. */
static int adj_insert(struct net_device *dev, struct net_device *upper, bool master, void *priv)
{
	struct netdev_adjacent *up = unetdev__kzalloc(sizeof(*up), "netdev_adjacent");
	struct netdev_adjacent *low = unetdev__kzalloc(sizeof(*low), "netdev_adjacent");

	if (!up || !low) {
		unetdev__kfree(up);
		unetdev__kfree(low);
		return -ENOMEM;
	}
	*up = (struct netdev_adjacent){.dev = upper, .master = master};
	*low = (struct netdev_adjacent){.dev = dev, .private = priv};
	dev_hold(upper);
	dev_hold(dev);
	if (master)
		list_add(&up->list, &dev->adj_list.upper); /* the master goes first */
	else
		list_add_tail(&up->list, &dev->adj_list.upper);
	list_add_tail(&low->list, &upper->adj_list.lower);
	return 0;
}

static void adj_remove(struct net_device *dev, struct net_device *upper)
{
	struct netdev_adjacent *up = adj_find(&dev->adj_list.upper, upper);
	struct netdev_adjacent *low = adj_find(&upper->adj_list.lower, dev);

	if (up) {
		list_del(&up->list);
		unetdev__kfree(up);
		dev_put(upper);
	}
	if (low) {
		list_del(&low->list);
		unetdev__kfree(low);
		dev_put(dev);
	}
}

static int upper_dev_link(struct net_device *dev, struct net_device *upper, bool master,
			  void *upper_priv, void *upper_info, struct netlink_ext_ack *extack)
    UNETDEV_MUST_HOLD(rtnl_mutex)
{
	int err;

	ASSERT_RTNL();
	err = link_checks(dev, upper, master);
	if (err)
		return err;
	err = notify_upper(NETDEV_PRECHANGEUPPER, dev, upper, master, true, upper_info, extack);
	if (err)
		return err;
	err = adj_insert(dev, upper, master, upper_priv);
	if (err)
		return err;
	err = notify_upper(NETDEV_CHANGEUPPER, dev, upper, master, true, upper_info, extack);
	if (err) {
		adj_remove(dev, upper);
		return err;
	}
	unetdev__rtmsg_ifinfo(RTM_NEWLINK, dev, 0);
	return 0;
}

int netdev_master_upper_dev_link(struct net_device *dev, struct net_device *upper_dev,
				 void *upper_priv, void *upper_info, struct netlink_ext_ack *extack)
{
	return upper_dev_link(dev, upper_dev, true, upper_priv, upper_info, extack);
}

int netdev_upper_dev_link(struct net_device *dev, struct net_device *upper_dev,
			  struct netlink_ext_ack *extack)
{
	return upper_dev_link(dev, upper_dev, false, NULL, NULL, extack);
}

void netdev_upper_dev_unlink(struct net_device *dev, struct net_device *upper_dev)
{
	struct netdev_adjacent *adj;
	bool master;

	ASSERT_RTNL();
	adj = adj_find(&dev->adj_list.upper, upper_dev);
	if (!adj) {
		unetdev__log(4, "%s: %s is not an upper device", dev->name, upper_dev->name);
		return;
	}
	master = adj->master;
	notify_upper(NETDEV_PRECHANGEUPPER, dev, upper_dev, master, false, NULL, NULL);
	adj_remove(dev, upper_dev);
	notify_upper(NETDEV_CHANGEUPPER, dev, upper_dev, master, false, NULL, NULL);
	unetdev__rtmsg_ifinfo(RTM_NEWLINK, dev, 0);
}

/* do_set_master (net/core/rtnetlink.c). */
int unetdev_dev_set_master(struct net_device *dev, int ifindex, struct netlink_ext_ack *extack)
{
	struct net_device *upper = netdev_master_upper_dev_get(dev);
	int err;

	if (upper) {
		if (upper->ifindex == ifindex)
			return 0;
		err = unetdev__ndo_del_slave(upper, dev);
		if (err)
			return err;
	}
	if (!ifindex)
		return 0;
	upper = __dev_get_by_index(dev_net(dev), ifindex);
	if (!upper)
		return -EINVAL;
	return unetdev__ndo_add_slave(upper, dev, extack);
}
