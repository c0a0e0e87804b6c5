// SPDX-License-Identifier: MIT
/*
 * dev_hash.c - the name and ifindex hash tables of a namespace (kernel
 * net/core/dev.c: dev_name_hash, dev_index_hash, netdev_name_node_add/del).
 *
 * Each table starts as the kernel's 256 buckets (R-K-20, embedded in
 * struct net). The kernel keeps 256 buckets however many devices there are,
 * so its lookups - two per registration: the name and the next free ifindex -
 * walk chains that grow with the count. Here a table doubles when it holds
 * more than two entries per bucket and goes back when it falls under one in
 * eight, so lookups stay O(1) and a rehash costs O(1) amortised per device.
 * A table that cannot grow (no memory) keeps its buckets: slower, still
 * correct; back at 256 buckets it uses the embedded array again, so an empty
 * namespace holds no allocation.
 *
 * Context: every change under rtnl and dev_base_lock written; lookups under
 * rtnl or dev_base_lock read, as before.
 */
#include "internal.h"

#define LOAD_MAX 2 /* entries per bucket before doubling */
#define LOAD_MIN 8 /* one entry per LOAD_MIN buckets before shrinking */

static unsigned int fnv1a(const char *name)
{
	unsigned int h = 2166136261u;

	for (; *name; name++)
		h = (h ^ (unsigned char)*name) * 16777619u;
	return h;
}

static unsigned int name_key(struct list_head *node)
{
	return fnv1a(list_entry(node, struct netdev_name_node, hlist)->name);
}

static unsigned int index_key(struct list_head *node)
{
	return (unsigned int)list_entry(node, struct net_device, index_hlist)->ifindex;
}

void unetdev__dev_hash_init(struct unetdev_dev_hash *t, struct list_head *embedded)
{
	for (unsigned int i = 0; i < UNETDEV_NET_HASHENTRIES; i++)
		INIT_LIST_HEAD(&embedded[i]);
	t->heads = embedded;
	t->embedded = embedded;
	t->mask = UNETDEV_NET_HASHENTRIES - 1;
	t->count = 0;
}

/* Move every entry into @size new buckets (the embedded ones for 256). */
static void rehash(struct unetdev_dev_hash *t, unsigned int size,
		   unsigned int (*key)(struct list_head *))
{
	struct list_head *heads = t->embedded, *old = t->heads;
	unsigned int old_size = t->mask + 1;

	if (size != UNETDEV_NET_HASHENTRIES) {
		heads = unetdev__kcalloc(size, sizeof(*heads), "dev_hash");
		if (!heads)
			return; /* keep the buckets there are */
		for (unsigned int i = 0; i < size; i++)
			INIT_LIST_HEAD(&heads[i]);
	}
	t->heads = heads;
	t->mask = size - 1;
	for (unsigned int i = 0; i < old_size; i++) {
		struct list_head *n, *next;

		for (n = old[i].next; n != &old[i]; n = next) {
			next = n->next;
			list_add_tail(n, &heads[key(n) & t->mask]);
		}
		if (old == t->embedded)
			INIT_LIST_HEAD(&old[i]);
	}
	if (old != t->embedded)
		unetdev__kfree(old);
}

static void table_add(struct unetdev_dev_hash *t, struct list_head *node, unsigned int h,
		      unsigned int (*key)(struct list_head *))
{
	list_add_tail(node, &t->heads[h & t->mask]);
	if (++t->count > LOAD_MAX * (t->mask + 1) && t->mask < INT32_MAX / 2)
		rehash(t, 2 * (t->mask + 1), key);
}

static void table_del(struct unetdev_dev_hash *t, struct list_head *node,
		      unsigned int (*key)(struct list_head *))
{
	unsigned int size = t->mask + 1;

	list_del_init(node);
	t->count--;
	if (size > UNETDEV_NET_HASHENTRIES && t->count < size / LOAD_MIN) {
		while (size > UNETDEV_NET_HASHENTRIES && t->count < size / LOAD_MIN)
			size /= 2;
		rehash(t, size, key);
	}
}

struct list_head *unetdev__name_bucket(struct net *net, const char *name)
{
	return &net->name_hash.heads[fnv1a(name) & net->name_hash.mask];
}

struct list_head *unetdev__index_bucket(struct net *net, int ifindex)
{
	return &net->index_hash.heads[(unsigned int)ifindex & net->index_hash.mask];
}

void unetdev__name_hash_add(struct net *net, struct netdev_name_node *node)
{
	table_add(&net->name_hash, &node->hlist, fnv1a(node->name), name_key);
}

void unetdev__name_hash_del(struct net *net, struct netdev_name_node *node)
{
	if (!list_empty(&node->hlist))
		table_del(&net->name_hash, &node->hlist, name_key);
}

void unetdev__index_hash_add(struct net *net, struct net_device *dev)
{
	table_add(&net->index_hash, &dev->index_hlist, (unsigned int)dev->ifindex, index_key);
}

void unetdev__index_hash_del(struct net *net, struct net_device *dev)
{
	if (!list_empty(&dev->index_hlist))
		table_del(&net->index_hash, &dev->index_hlist, index_key);
}
