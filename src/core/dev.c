// SPDX-License-Identifier: MIT
/*
 * dev.c - allocation, references and lookup of struct net_device
 * (kernel net/core/dev.c: alloc_netdev_mqs, free_netdev, dev_hold/dev_put,
 * dev_get_by_*). Rules R-K, R-ALLOC, R-UNREG-18.
 *
 * One zeroed allocation holds the device and its private area: heap first,
 * an anonymous page mapping as fallback (the 2013 kmalloc -> vmalloc rule).
 * Memory lives until the last device-model reference is put after
 * free_netdev() (R-ALLOC-23/24).
 */
#include <string.h>

#include "internal.h"
#include "ndo.h"

rwlock_t dev_base_lock;

__attribute__((constructor)) static void dev_base_lock_setup(void)
{
	rwlock_init(&dev_base_lock);
}

static size_t netdev_alloc_size(int sizeof_priv)
{
	return ALIGN(sizeof(struct net_device), NETDEV_ALIGN) + (size_t)sizeof_priv;
}

/* kvzalloc: the heap, then pages (R-ALLOC-4). */
static struct net_device *netdev_mem_alloc(size_t size)
{
	struct net_device *dev = unetdev__kzalloc_aligned(NETDEV_ALIGN, size, "netdev_heap");

	if (dev) {
		dev->alloc_kind = UNETDEV_ALLOC_HEAP;
	} else {
		dev = unetdev__vzalloc(size, "netdev_pages");
		if (!dev)
			return NULL;
		dev->alloc_kind = UNETDEV_ALLOC_PAGES;
	}
	dev->alloc_size = size;
	return dev;
}

static void netdev_mem_free(struct net_device *dev)
{
	if (dev->alloc_kind == UNETDEV_ALLOC_PAGES)
		unetdev__vfree(dev, dev->alloc_size);
	else
		unetdev__kfree(dev);
}

enum unetdev_alloc_kind unetdev_netdev_alloc_kind(const struct net_device *dev)
{
	return dev->alloc_kind;
}

static int netif_alloc_netdev_queues(struct net_device *dev, unsigned int count)
{
	struct netdev_queue *tx;

	if (count < 1 || count > 0xffff)
		return -EINVAL;
	tx = unetdev__kcalloc(count, sizeof(*tx), "txq");
	if (!tx)
		return -ENOMEM;
	dev->_tx = tx;
	for (unsigned int i = 0; i < count; i++) {
		struct netdev_queue *q = &tx[i];

		q->dev = dev;
		q->queue_index = i;
		q->xmit_lock_owner = -1;
		spin_lock_init(&q->_xmit_lock);
		/* R-BQL-1: dql_init(HZ) */
		q->dql.max_limit = UINT32_MAX / 2 - UINT32_MAX / 16;
		q->dql.slack_hold_time = HZ;
		q->dql.lowest_slack = UINT32_MAX;
		q->dql.slack_start_time = jiffies;
	}
	spin_lock_init(&dev->tx_global_lock);
	return 0;
}

static int netif_alloc_rx_queues(struct net_device *dev, unsigned int count)
{
	struct netdev_rx_queue *rx;

	if (count < 1 || count > 0xffff)
		return -EINVAL;
	rx = unetdev__kcalloc(count, sizeof(*rx), "rxq");
	if (!rx)
		return -ENOMEM;
	for (unsigned int i = 0; i < count; i++) {
		rx[i].dev = dev;
		rx[i].queue_index = i;
	}
	dev->_rx = rx;
	return 0;
}

static void netif_free_queues(struct net_device *dev)
{
	if (dev->_tx) {
		for (unsigned int i = 0; i < dev->num_tx_queues; i++)
			spin_lock_destroy(&dev->_tx[i]._xmit_lock);
		spin_lock_destroy(&dev->tx_global_lock);
	}
	unetdev__kfree(dev->_tx);
	unetdev__kfree(dev->_rx);
	dev->_tx = NULL;
	dev->_rx = NULL;
}

/* R-ALLOC-9: defaults set before setup(). */
static void netdev_early_defaults(struct net_device *dev)
{
	dev->gso_max_size = GSO_LEGACY_MAX_SIZE;
	dev->gso_max_segs = GSO_MAX_SEGS;
	dev->gro_max_size = GRO_LEGACY_MAX_SIZE;
	dev->gso_ipv4_max_size = GSO_LEGACY_MAX_SIZE;
	dev->gro_ipv4_max_size = GRO_LEGACY_MAX_SIZE;
	dev->tso_max_size = TSO_LEGACY_MAX_SIZE;
	dev->tso_max_segs = TSO_MAX_SEGS;
	dev->priv_flags = IFF_XMIT_DST_RELEASE | IFF_XMIT_DST_RELEASE_PERM;
	INIT_LIST_HEAD(&dev->napi_list);
	INIT_LIST_HEAD(&dev->unreg_list);
	INIT_LIST_HEAD(&dev->close_list);
	INIT_LIST_HEAD(&dev->link_watch_list);
	INIT_LIST_HEAD(&dev->ptype_all);
	INIT_LIST_HEAD(&dev->ptype_specific);
	INIT_LIST_HEAD(&dev->todo_list);
	INIT_LIST_HEAD(&dev->dev_list);
	INIT_LIST_HEAD(&dev->name_node.hlist);
	INIT_LIST_HEAD(&dev->altnames);
	dev->name_node.dev = dev;
	INIT_LIST_HEAD(&dev->index_hlist);
	INIT_LIST_HEAD(&dev->adj_list.upper);
	INIT_LIST_HEAD(&dev->adj_list.lower);
	spin_lock_init(&dev->addr_list_lock);
	dev->nd_net = &init_net; /* R-ALLOC-8 */
}

struct net_device *alloc_netdev_mqs(int sizeof_priv, const char *name,
				    unsigned char name_assign_type,
				    void (*setup)(struct net_device *), unsigned int txqs,
				    unsigned int rxqs)
{
	struct net_device *dev;

	if (!name || !setup || sizeof_priv < 0) {
		unetdev__log(3, "alloc_netdev: invalid arguments");
		return NULL;
	}
	if (strnlen(name, IFNAMSIZ) >= IFNAMSIZ) {
		/* R-ALLOC-2: BUG_ON(strlen(name) >= sizeof(dev->name)) */
		UNETDEV_BUG("R-ALLOC-2", NULL, "alloc_netdev_mqs",
			    "name \"%.20s...\" is %zu bytes, IFNAMSIZ is %d", name, strlen(name),
			    IFNAMSIZ);
		return NULL;
	}
	if (txqs < 1 || txqs > 0xffff) {
		unetdev__log(3, "alloc_netdev: Unable to allocate device with zero queues");
		return NULL; /* R-ALLOC-3, R-ALLOC-13 */
	}
	if (rxqs < 1 || rxqs > 0xffff) {
		unetdev__log(3, "alloc_netdev: Unable to allocate device with zero RX queues");
		return NULL;
	}

	dev = netdev_mem_alloc(netdev_alloc_size(sizeof_priv));
	if (!dev)
		return NULL;
	dev->priv_len = (size_t)sizeof_priv;
	dev->dev.refcount = 1;
	/* R-ALLOC-6: modern semantics, one reference held by the allocation. */
	dev->pcpu_refcnt[smp_processor_id()] = 1;

	netdev_early_defaults(dev);
	unetdev__addr_lists_init(dev);
	if (unetdev__dev_addr_init(dev))
		goto free_all;

	setup(dev); /* R-ALLOC-10: no queues, no name yet */

	if (!dev->tx_queue_len) { /* R-ALLOC-11 */
		dev->priv_flags |= IFF_NO_QUEUE;
		dev->tx_queue_len = DEFAULT_TX_QUEUE_LEN;
	}
	dev->num_tx_queues = txqs;
	dev->real_num_tx_queues = txqs;
	if (netif_alloc_netdev_queues(dev, txqs))
		goto free_all;
	dev->num_rx_queues = rxqs;
	dev->real_num_rx_queues = rxqs;
	if (netif_alloc_rx_queues(dev, rxqs))
		goto free_all;

	memcpy(dev->name, name, strlen(name) + 1); /* R-ALLOC-15 */
	dev->name_assign_type = name_assign_type;
	dev->group = 0;
	unetdev__live_add(UNETDEV_LIVE_NETDEV, 1);
	return dev;

free_all: /* R-ALLOC-18 */
	unetdev__dev_addr_flush(dev);
	netif_free_queues(dev);
	spin_lock_destroy(&dev->addr_list_lock);
	netdev_mem_free(dev);
	return NULL;
}

void unetdev__devmodel_get(struct net_device *dev)
{
	__atomic_fetch_add(&dev->dev.refcount, 1, __ATOMIC_RELAXED);
}

/* The final release (the kernel's netdev_release via put_device). */
void unetdev__devmodel_put(struct net_device *dev)
{
	if (__atomic_sub_fetch(&dev->dev.refcount, 1, __ATOMIC_ACQ_REL) != 0)
		return;
	if (dev->reg_state != NETREG_RELEASED && dev->reg_state != NETREG_UNINITIALIZED &&
	    dev->reg_state != NETREG_DUMMY) {
		UNETDEV_BUG("R-ALLOC-23", dev, "put_device",
			    "last device reference dropped in reg_state %d", dev->reg_state);
		return;
	}
	unetdev__netdev_release(dev);
}

void unetdev__netdev_release(struct net_device *dev)
{
	unetdev__live_add(UNETDEV_LIVE_NETDEV, -1);
	netdev_mem_free(dev);
}

static void free_netdev_resources(struct net_device *dev)
{
	int refs = netdev_refcnt_read(dev);

	/* R-UNREG-18: only the allocation's own reference may remain. */
	if (refs != 1)
		UNETDEV_WARN("R-UNREG-18", dev, "free_netdev",
			     "reference count %d at free_netdev (expected 1): %s", refs,
			     refs < 1 ? "dev_put without dev_hold" : "references still held");
	/* R-ALLOC-21: queues, addresses, NAPIs still listed, per-CPU stats. */
	unetdev__napi_del_all(dev);
	netif_free_queues(dev);
	unetdev__dev_addr_flush(dev);
	unetdev__dev_free_pcpu_stats(dev);
	spin_lock_destroy(&dev->addr_list_lock);
}

/* The core's own free (run_todo, rtnl_link.c): no R-UNREG-17 check. */
void unetdev__free_netdev_core(struct net_device *dev)
{
	if (!dev)
		return;
	might_sleep(); /* R-ALLOC-19 */
	switch (dev->reg_state) {
	case NETREG_UNREGISTERING:
		/* R-ALLOC-20: the todo list frees it at rtnl_unlock(). */
		dev->needs_free_netdev = true;
		return;
	case NETREG_UNINITIALIZED:
	case NETREG_DUMMY:
		/* R-ALLOC-22: never registered: released now. */
		free_netdev_resources(dev);
		WRITE_ONCE(dev->reg_state, NETREG_RELEASED);
		unetdev__devmodel_put(dev);
		return;
	case NETREG_UNREGISTERED:
		break;
	case NETREG_RELEASED:
		UNETDEV_BUG("R-ALLOC-23", dev, "free_netdev", "free_netdev called twice");
		return;
	case NETREG_REGISTERED:
	default:
		UNETDEV_BUG("R-ALLOC-23", dev, "free_netdev",
			    "free_netdev on a registered device (reg_state %d)", dev->reg_state);
		return;
	}
	/* R-ALLOC-23: UNREGISTERED -> RELEASED, memory at the last device reference. */
	free_netdev_resources(dev);
	WRITE_ONCE(dev->reg_state, NETREG_RELEASED);
	unetdev__devmodel_put(dev);
}

/*
 * free_netdev as drivers call it. R-UNREG-17 (rtnl_link.c, daemon issue): a
 * device created through rtnl_link_ops belongs to the rtnl core once it has
 * been registered; a driver's free is reported and refused (the core frees it).
 */
void free_netdev(struct net_device *dev)
{
	if (dev && dev->rtnl_link_ops && dev->reg_state != NETREG_UNINITIALIZED &&
	    dev->reg_state != NETREG_DUMMY &&
	    UNETDEV_BUG("R-UNREG-17", dev, "free_netdev",
			"free_netdev by the driver of rtnl_link_ops device %s (kind %s)", dev->name,
			unetdev__rtnl_link_kind(dev))) {
		dev->needs_free_netdev = true;
		return;
	}
	unetdev__free_netdev_core(dev);
}

void dev_hold(struct net_device *dev)
{
	if (dev)
		__atomic_fetch_add(&dev->pcpu_refcnt[smp_processor_id()], 1, __ATOMIC_RELAXED);
}

void dev_put(struct net_device *dev)
{
	/* Per-CPU counters cannot be checked here: a sum taken while others
	 * hold and put on other CPUs is not a value. Underflow is reported at
	 * the quiescent points instead (reference wait, free_netdev). */
	if (dev)
		__atomic_fetch_sub(&dev->pcpu_refcnt[smp_processor_id()], 1, __ATOMIC_RELEASE);
}

int netdev_refcnt_read(const struct net_device *dev)
{
	int sum = 0;

	for (int i = 0; i < UNETDEV_MAX_CPUS; i++)
		sum += __atomic_load_n(&dev->pcpu_refcnt[i], __ATOMIC_ACQUIRE);
	return sum;
}

bool unetdev__dev_isalive(const struct net_device *dev)
{
	return READ_ONCE(dev->reg_state) <= NETREG_REGISTERED;
}

/* ---- lookups (R-REG-15, R-UNREG-18) ---- */

struct netdev_name_node *unetdev__name_node_lookup(struct net *net, const char *name)
{
	struct list_head *head = unetdev__name_bucket(net, name);
	struct netdev_name_node *node;

	list_for_each_entry (node, head, hlist)
		if (!strncmp(node->name, name, IFNAMSIZ))
			return node;
	return NULL;
}

struct net_device *__dev_get_by_name(struct net *net, const char *name)
{
	struct netdev_name_node *node = unetdev__name_node_lookup(net, name);

	return node ? node->dev : NULL;
}

struct net_device *dev_get_by_name(struct net *net, const char *name)
{
	struct net_device *dev;

	read_lock(&dev_base_lock);
	dev = __dev_get_by_name(net, name);
	dev_hold(dev);
	read_unlock(&dev_base_lock);
	return dev;
}

struct net_device *__dev_get_by_index(struct net *net, int ifindex)
{
	struct list_head *head = unetdev__index_bucket(net, ifindex);
	struct net_device *dev;

	list_for_each_entry (dev, head, index_hlist)
		if (dev->ifindex == ifindex)
			return dev;
	return NULL;
}

struct net_device *dev_get_by_index(struct net *net, int ifindex)
{
	struct net_device *dev;

	read_lock(&dev_base_lock);
	dev = __dev_get_by_index(net, ifindex);
	dev_hold(dev);
	read_unlock(&dev_base_lock);
	return dev;
}

/* ---- queue counts, TSO limits, alias ---- */

int netif_set_real_num_tx_queues(struct net_device *dev, unsigned int txq)
{
	bool disabling;

	if (txq < 1 || txq > dev->num_tx_queues)
		return -EINVAL; /* R-MTU-17 */
	if (dev->reg_state == NETREG_REGISTERED)
		ASSERT_RTNL();
	disabling = txq < dev->real_num_tx_queues;
	WRITE_ONCE(dev->real_num_tx_queues, txq);
	if (disabling && dev->reg_state == NETREG_REGISTERED)
		unetdev__qdisc_reset_all_tx_gt(dev, txq); /* R-MTU-17 */
	return 0;
}

int netif_set_real_num_rx_queues(struct net_device *dev, unsigned int rxq)
{
	if (rxq < 1 || rxq > dev->num_rx_queues)
		return -EINVAL;
	if (dev->reg_state == NETREG_REGISTERED)
		ASSERT_RTNL();
	WRITE_ONCE(dev->real_num_rx_queues, rxq);
	return 0;
}

void netif_set_tso_max_size(struct net_device *dev, unsigned int size)
{
	dev->tso_max_size = min(GSO_MAX_SIZE, size); /* R-MTU-15 */
	if (size < dev->gso_max_size)
		dev->gso_max_size = size;
	if (size < dev->gso_ipv4_max_size)
		dev->gso_ipv4_max_size = size;
}

void netif_set_tso_max_segs(struct net_device *dev, unsigned int segs)
{
	dev->tso_max_segs = (u16)min(segs, TSO_MAX_SEGS);
	if (segs < dev->gso_max_segs)
		dev->gso_max_segs = (u16)segs;
}

int dev_set_alias(struct net_device *dev, const char *alias, size_t len)
{
	if (len >= IFALIASZ)
		return -EINVAL; /* R-K-2 */
	memcpy(dev->ifalias, alias, len);
	dev->ifalias[len] = 0;
	return (int)len;
}
