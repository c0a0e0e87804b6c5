// SPDX-License-Identifier: MIT
/*
 * notifier.c - netdevice notifier chains (kernel net/core/dev.c,
 * kernel/notifier.c). Rules R-REG-21, R-REG-22, R-REG-23, R-SYNC-11.
 *
 * Two chains: the per-namespace chain runs first, then the global chain; a
 * NOTIFY_STOP in the namespace chain suppresses the global one. All calls
 * assert rtnl. Registration replays REGISTER (+UP) for existing devices.
 */
#include "internal.h"

static struct raw_notifier_head netdev_chain;

static void chain_register(struct raw_notifier_head *nh, struct notifier_block *n)
{
	struct notifier_block **nl = &nh->head;

	while (*nl && (*nl)->priority >= n->priority)
		nl = &(*nl)->next;
	n->next = *nl;
	*nl = n;
}

static int chain_unregister(struct raw_notifier_head *nh, struct notifier_block *n)
{
	for (struct notifier_block **nl = &nh->head; *nl; nl = &(*nl)->next) {
		if (*nl == n) {
			*nl = n->next;
			return 0;
		}
	}
	return -ENOENT;
}

static int chain_call(struct raw_notifier_head *nh, unsigned long val, void *v)
{
	int ret = NOTIFY_DONE;

	for (struct notifier_block *nb = nh->head; nb;) {
		struct notifier_block *next = nb->next;

		ret = nb->notifier_call(nb, val, v);
		if (ret & NOTIFY_STOP_MASK)
			break;
		nb = next;
	}
	return ret;
}

int call_netdevice_notifiers_info(unsigned long val, struct netdev_notifier_info *info)
{
	struct net *net = dev_net(info->dev);
	int ret;

	unetdev__check_rtnl("R-REG-23", info->dev, netdev_cmd_to_name((enum netdev_cmd)val));
	ret = chain_call(&net->netdev_chain, val, info);
	if (ret & NOTIFY_STOP_MASK)
		return ret;
	return chain_call(&netdev_chain, val, info);
}

int unetdev__call_notifiers_extack(unsigned long val, struct net_device *dev,
				   struct netlink_ext_ack *extack)
{
	struct netdev_notifier_info info = {.dev = dev, .extack = extack};

	return call_netdevice_notifiers_info(val, &info);
}

int call_netdevice_notifiers(unsigned long val, struct net_device *dev)
{
	return unetdev__call_notifiers_extack(val, dev, NULL);
}

int unetdev__call_notifiers_mtu(unsigned long val, struct net_device *dev, u32 arg)
{
	struct netdev_notifier_info_ext info = {.info.dev = dev, .ext.mtu = arg};

	return call_netdevice_notifiers_info(val, &info.info);
}

static int call_one(struct notifier_block *nb, unsigned long val, struct net_device *dev)
{
	struct netdev_notifier_info info = {.dev = dev};

	return nb->notifier_call(nb, val, &info);
}

void unetdev__notifier_rollback_one(struct notifier_block *nb, struct net_device *dev)
{
	if (dev->flags & IFF_UP) {
		call_one(nb, NETDEV_GOING_DOWN, dev);
		call_one(nb, NETDEV_DOWN, dev);
	}
	call_one(nb, NETDEV_UNREGISTER, dev);
}

/* Replay REGISTER (+UP) of every device of @net to @nb (R-REG-21). */
static int replay_net(struct notifier_block *nb, struct net *net, struct net_device **failed)
{
	struct net_device *dev;

	for_each_netdev (net, dev) {
		int err = notifier_to_errno(call_one(nb, NETDEV_REGISTER, dev));

		if (!err && (dev->flags & IFF_UP))
			err = notifier_to_errno(call_one(nb, NETDEV_UP, dev));
		if (err) {
			*failed = dev;
			return err;
		}
	}
	return 0;
}

/* Undo the replay in reverse order, up to (not including) @last in @net. */
static void rollback_net(struct notifier_block *nb, struct net *net, struct net_device *last)
{
	struct net_device *dev = last;

	if (!dev)
		dev = list_entry(&net->dev_base_head, struct net_device, dev_list);
	list_for_each_entry_continue_reverse (dev, &net->dev_base_head, dev_list)
		unetdev__notifier_rollback_one(nb, dev);
}

static int register_common(struct raw_notifier_head *nh, struct notifier_block *nb,
			   struct net *only) UNETDEV_MUST_HOLD(rtnl_mutex)
{
	struct net_device *failed = NULL;
	struct net *net, *failed_net = NULL;
	int err = 0;

	chain_register(nh, nb);
	for_each_net (net) {
		if (only && net != only)
			continue;
		err = replay_net(nb, net, &failed);
		if (err) {
			failed_net = net;
			break;
		}
	}
	if (!err)
		return 0;
	/* Roll back: the failed namespace first, then the earlier ones, newest first. */
	rollback_net(nb, failed_net, failed);
	for (net = list_prev_entry(failed_net, list); &net->list != &net_namespace_list;
	     net = list_prev_entry(net, list))
		if (!only || net == only)
			rollback_net(nb, net, NULL);
	chain_unregister(nh, nb);
	return err;
}

static void unregister_common(struct notifier_block *nb, struct net *only)
    UNETDEV_MUST_HOLD(rtnl_mutex)
{
	struct net *net;
	struct net_device *dev;

	for_each_net (net) {
		if (only && net != only)
			continue;
		for_each_netdev (net, dev)
			unetdev__notifier_rollback_one(nb, dev);
	}
}

int register_netdevice_notifier(struct notifier_block *nb)
{
	int err;

	rtnl_lock();
	err = register_common(&netdev_chain, nb, NULL);
	rtnl_unlock();
	return err;
}

int unregister_netdevice_notifier(struct notifier_block *nb)
{
	int err;

	rtnl_lock();
	err = chain_unregister(&netdev_chain, nb);
	if (!err)
		unregister_common(nb, NULL);
	rtnl_unlock();
	return err;
}

int register_netdevice_notifier_net(struct net *net, struct notifier_block *nb)
{
	int err;

	rtnl_lock();
	err = register_common(&net->netdev_chain, nb, net);
	rtnl_unlock();
	return err;
}

int unregister_netdevice_notifier_net(struct net *net, struct notifier_block *nb)
{
	int err;

	rtnl_lock();
	err = chain_unregister(&net->netdev_chain, nb);
	if (!err)
		unregister_common(nb, net);
	rtnl_unlock();
	return err;
}

const char *netdev_cmd_to_name(enum netdev_cmd cmd)
{
	static const char *const names[NETDEV_CMD_MAX] = {
	    [NETDEV_UP] = "NETDEV_UP",
	    [NETDEV_DOWN] = "NETDEV_DOWN",
	    [NETDEV_REBOOT] = "NETDEV_REBOOT",
	    [NETDEV_CHANGE] = "NETDEV_CHANGE",
	    [NETDEV_REGISTER] = "NETDEV_REGISTER",
	    [NETDEV_UNREGISTER] = "NETDEV_UNREGISTER",
	    [NETDEV_CHANGEMTU] = "NETDEV_CHANGEMTU",
	    [NETDEV_CHANGEADDR] = "NETDEV_CHANGEADDR",
	    [NETDEV_PRE_CHANGEADDR] = "NETDEV_PRE_CHANGEADDR",
	    [NETDEV_GOING_DOWN] = "NETDEV_GOING_DOWN",
	    [NETDEV_CHANGENAME] = "NETDEV_CHANGENAME",
	    [NETDEV_FEAT_CHANGE] = "NETDEV_FEAT_CHANGE",
	    [NETDEV_PRE_UP] = "NETDEV_PRE_UP",
	    [NETDEV_POST_INIT] = "NETDEV_POST_INIT",
	    [NETDEV_PRE_UNINIT] = "NETDEV_PRE_UNINIT",
	    [NETDEV_PRECHANGEMTU] = "NETDEV_PRECHANGEMTU",
	    [NETDEV_CHANGE_TX_QUEUE_LEN] = "NETDEV_CHANGE_TX_QUEUE_LEN",
	};

	if ((unsigned int)cmd < NETDEV_CMD_MAX && names[cmd])
		return names[cmd];
	return "UNKNOWN_NETDEV_EVENT";
}
