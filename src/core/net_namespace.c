// SPDX-License-Identifier: MIT
/*
 * net_namespace.c - struct net (kernel net/core/net_namespace.c): the device
 * list, name and ifindex hash tables (R-K-20: 256 buckets, grown in
 * dev_hash.c) and the
 * per-namespace notifier chain of each namespace.
 */
#include <stdio.h>
#include <string.h>

#include "internal.h"

static void net_init(struct net *net, const char *name)
{
	INIT_LIST_HEAD(&net->dev_base_head);
	unetdev__dev_hash_init(&net->name_hash, net->dev_name_head);
	unetdev__dev_hash_init(&net->index_hash, net->dev_index_head);
	INIT_LIST_HEAD(&net->ptype_all);
	INIT_LIST_HEAD(&net->ptype_specific);
	net->ifindex = 0;
	net->netdev_chain.head = NULL;
	snprintf(net->name, sizeof(net->name), "%s", name);
}

LIST_HEAD(net_namespace_list);
struct net init_net;

__attribute__((constructor)) static void init_net_setup(void)
{
	net_init(&init_net, "init_net");
	list_add_tail(&init_net.list, &net_namespace_list);
}

struct net *unetdev_net_create(const char *name)
{
	struct net *net = unetdev__kzalloc(sizeof(*net), "net");

	if (!net)
		return NULL;
	net_init(net, name ? name : "");
	rtnl_lock();
	list_add_tail(&net->list, &net_namespace_list);
	rtnl_unlock();
	return net;
}

void unetdev_net_destroy(struct net *net)
{
	struct net_device *dev, *n;
	LIST_HEAD(kill);

	if (!net || net == &init_net)
		return;
	rtnl_lock();
	for_each_netdev_safe (net, dev, n)
		unregister_netdevice_queue(dev, &kill);
	unregister_netdevice_many(&kill);
	list_del(&net->list);
	rtnl_unlock();
	unetdev__kfree(net);
}
