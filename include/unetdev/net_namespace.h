/* SPDX-License-Identifier: MIT */
/*
 * Network namespaces (kernel net/core/net_namespace.c): each holds its own
 * device list, name and ifindex hash tables and notifier chain. init_net
 * always exists; tests may create their own with unetdev_net_create().
 */
#ifndef UNETDEV_NET_NAMESPACE_H
#define UNETDEV_NET_NAMESPACE_H

#include <unetdev/notifier.h>
#include <unetdev/types.h>

#define UNETDEV_NET_HASHENTRIES 256

/* A name or ifindex table: the embedded 256 buckets, or more once it is long
 * (src/core/dev_hash.c). Core-internal: look devices up with __dev_get_by_*. */
struct unetdev_dev_hash {
	struct list_head *heads; /* the buckets in use */
	struct list_head *embedded;
	unsigned int mask; /* buckets - 1 */
	unsigned int count;
};

struct net {
	struct list_head list;		/* net_namespace_list */
	struct list_head dev_base_head; /* devices in registration order (R-REG-15) */
	struct list_head dev_name_head[UNETDEV_NET_HASHENTRIES];
	struct list_head dev_index_head[UNETDEV_NET_HASHENTRIES];
	struct unetdev_dev_hash name_hash, index_hash; /* over the two above, grown past them */
	int ifindex;				       /* last index handed out (R-REG-7) */
	unsigned int dev_base_seq;
	struct raw_notifier_head netdev_chain; /* per-namespace chain (R-REG-23) */
	struct list_head ptype_all;	       /* namespace taps (R-RX-2) */
	struct list_head ptype_specific;
	char name[32];
};

#define init_net		unetdev_init_net
#define net_namespace_list	unetdev_net_namespace_list
#define for_each_net(net)	list_for_each_entry (net, &net_namespace_list, list)
#define for_each_netdev(net, d) list_for_each_entry (d, &(net)->dev_base_head, dev_list)
#define for_each_netdev_safe(net, d, n)                                                            \
	list_for_each_entry_safe (d, n, &(net)->dev_base_head, dev_list)

UNETDEV_API extern struct net init_net;
UNETDEV_API extern struct list_head net_namespace_list;

/** unetdev_net_create - a new empty namespace. Context: process, rtnl not held. */
UNETDEV_API struct net *unetdev_net_create(const char *name);
/**
 * unetdev_net_destroy - unregister every device of @net (freeing those with
 * needs_free_netdev) and release the namespace. Context: process, rtnl not held.
 */
UNETDEV_API void unetdev_net_destroy(struct net *net);

#endif
