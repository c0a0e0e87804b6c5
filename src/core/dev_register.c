// SPDX-License-Identifier: MIT
/*
 * dev_register.c - registration, unregistration and the todo list (kernel
 * net/core/dev.c: register_netdevice, unregister_netdevice_many,
 * netdev_run_todo, netdev_wait_allrefs_any, dev_get_valid_name).
 * Rules R-REG, R-UNREG, R-SYNC-9, R-SYNC-12, R-SYNC-13.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "internal.h"
#include "ndo.h"

static LIST_HEAD(net_todo_list);
static unsigned int unregister_timeout_secs = 10; /* R-K-10 */

#define WAIT_REFS_MIN_MSECS 1
#define WAIT_REFS_MAX_MSECS 250

unsigned int unetdev_set_unregister_timeout(unsigned int secs)
{
	if (!secs)
		return __atomic_load_n(&unregister_timeout_secs, __ATOMIC_RELAXED);
	return __atomic_exchange_n(&unregister_timeout_secs, secs, __ATOMIC_RELAXED);
}

/* ---- names (R-REG-3, R-REG-4) ---- */

bool dev_valid_name(const char *name)
{
	if (!name || *name == '\0')
		return false;
	if (strnlen(name, IFNAMSIZ) == IFNAMSIZ)
		return false;
	if (!strcmp(name, ".") || !strcmp(name, ".."))
		return false;
	for (; *name; name++)
		if (*name == '/' || *name == ':' || isspace((unsigned char)*name))
			return false;
	return true;
}

/*
 * The unit @candidate yields for template "<pre>%d<post>", or -1. A name
 * counts only if it round-trips: formatting the unit gives the same name.
 */
static int template_unit(const char *tmpl, const char *candidate)
{
	const char *pct = strchr(tmpl, '%');
	size_t pre = (size_t)(pct - tmpl), post = strlen(pct + 2), len = strlen(candidate);
	char buf[IFNAMSIZ + 16];
	long unit = 0;

	if (len <= pre + post || strncmp(candidate, tmpl, pre) != 0 ||
	    strcmp(candidate + len - post, pct + 2) != 0)
		return -1;
	for (size_t i = pre; i < len - post; i++) {
		if (!isdigit((unsigned char)candidate[i]) || unit > NETDEV_UNIT_MAX)
			return -1;
		unit = unit * 10 + (candidate[i] - '0');
	}
	if (unit >= NETDEV_UNIT_MAX)
		return -1;
	snprintf(buf, sizeof(buf), "%.*s%ld%s", (int)pre, tmpl, unit, pct + 2);
	return strncmp(buf, candidate, IFNAMSIZ) ? -1 : (int)unit;
}

static int alloc_name_unit(struct net *net, const char *tmpl, char *res)
{
	const char *p = strchr(tmpl, '%');
	char buf[IFNAMSIZ + 16];
	unsigned long *inuse;
	struct net_device *d;
	struct netdev_name_node *alt;
	int i;

	if (!p || p[1] != 'd' || strchr(p + 2, '%'))
		return -EINVAL;
	inuse = unetdev__kcalloc(NETDEV_UNIT_MAX / 64, sizeof(unsigned long), "kmalloc");
	if (!inuse)
		return -ENOMEM;
	for_each_netdev (net, d) {
		int u = template_unit(tmpl, d->name);

		if (u >= 0)
			inuse[u / 64] |= 1UL << (u % 64);
		list_for_each_entry (alt, &d->altnames, list) {
			u = template_unit(tmpl, alt->name);
			if (u >= 0)
				inuse[u / 64] |= 1UL << (u % 64);
		}
	}
	for (i = 0; i < NETDEV_UNIT_MAX; i++)
		if (!(inuse[i / 64] & (1UL << (i % 64))))
			break;
	unetdev__kfree(inuse);
	if (i == NETDEV_UNIT_MAX)
		return -ENFILE;
	/* No room left for the digits (a truncated name would alias another unit). */
	if (snprintf(buf, sizeof(buf), "%.*s%d%s", (int)(p - tmpl), tmpl, i, p + 2) >= IFNAMSIZ ||
	    unetdev__name_node_lookup(net, buf))
		return -ENFILE;
	memcpy(res, buf, IFNAMSIZ);
	return i;
}

static int dev_prep_valid_name(struct net *net, const char *want, char *out, int dup_errno)
{
	if (!dev_valid_name(want))
		return -EINVAL;
	if (strchr(want, '%'))
		return alloc_name_unit(net, want, out);
	if (unetdev__name_node_lookup(net, want))
		return -dup_errno;
	if (out != want)
		snprintf(out, IFNAMSIZ, "%s", want);
	return 0;
}

int dev_alloc_name(struct net_device *dev, const char *name)
{
	char buf[IFNAMSIZ];
	int ret;

	ASSERT_RTNL();
	ret = dev_prep_valid_name(dev_net(dev), name, buf, ENFILE);
	if (ret >= 0)
		memcpy(dev->name, buf, IFNAMSIZ);
	return ret;
}

int unetdev__dev_get_valid_name(struct net *net, struct net_device *dev, const char *name)
{
	char buf[IFNAMSIZ];
	int ret;

	snprintf(buf, sizeof(buf), "%s", name);
	ret = dev_prep_valid_name(net, buf, dev->name, EEXIST);
	return ret < 0 ? ret : 0;
}

/* ---- the device list (R-REG-15, R-SYNC-13) ---- */

static void list_netdevice(struct net_device *dev) UNETDEV_MUST_HOLD(rtnl_mutex)
{
	struct net *net = dev_net(dev);
	struct netdev_name_node *alt;

	write_lock(&dev_base_lock);
	list_add_tail(&dev->dev_list, &net->dev_base_head);
	snprintf(dev->name_node.name, IFNAMSIZ, "%s", dev->name);
	unetdev__name_hash_add(net, &dev->name_node);
	list_for_each_entry (alt, &dev->altnames, list)
		unetdev__name_hash_add(net, alt);
	unetdev__index_hash_add(net, dev);
	net->dev_base_seq++;
	write_unlock(&dev_base_lock);
}

static void unlist_netdevice(struct net_device *dev) UNETDEV_MUST_HOLD(rtnl_mutex)
{
	struct netdev_name_node *alt;
	struct net *net = dev_net(dev);

	write_lock(&dev_base_lock);
	list_del_init(&dev->dev_list);
	unetdev__name_hash_del(net, &dev->name_node);
	list_for_each_entry (alt, &dev->altnames, list)
		unetdev__name_hash_del(net, alt);
	unetdev__index_hash_del(net, dev);
	dev_net(dev)->dev_base_seq++;
	write_unlock(&dev_base_lock);
}

int netdev_name_node_alt_create(struct net_device *dev, const char *name)
{
	struct net *net = dev_net(dev);
	struct netdev_name_node *node;

	ASSERT_RTNL();
	if (!dev_valid_name(name) || strchr(name, '%'))
		return -EINVAL;
	if (unetdev__name_node_lookup(net, name))
		return -EEXIST;
	node = unetdev__kzalloc(sizeof(*node), "kmalloc");
	if (!node)
		return -ENOMEM;
	node->dev = dev;
	snprintf(node->name, IFNAMSIZ, "%s", name);
	INIT_LIST_HEAD(&node->hlist);
	list_add_tail(&node->list, &dev->altnames);
	if (dev->reg_state == NETREG_REGISTERED) {
		write_lock(&dev_base_lock);
		unetdev__name_hash_add(net, node);
		write_unlock(&dev_base_lock);
	}
	return 0;
}

static void name_node_free(struct netdev_name_node *node)
{
	write_lock(&dev_base_lock);
	unetdev__name_hash_del(dev_net(node->dev), node);
	write_unlock(&dev_base_lock);
	list_del(&node->list);
	unetdev__kfree(node);
}

int netdev_name_node_alt_destroy(struct net_device *dev, const char *name)
{
	struct netdev_name_node *node;

	ASSERT_RTNL();
	list_for_each_entry (node, &dev->altnames, list) {
		if (!strncmp(node->name, name, IFNAMSIZ)) {
			name_node_free(node);
			return 0;
		}
	}
	return -ENOENT;
}

static void altnames_flush(struct net_device *dev)
{
	struct netdev_name_node *node, *n;

	list_for_each_entry_safe (node, n, &dev->altnames, list)
		name_node_free(node);
}

int dev_change_name(struct net_device *dev, const char *newname)
{
	char oldname[IFNAMSIZ];
	struct net *net = dev_net(dev);
	int err;

	ASSERT_RTNL();
	if ((dev->flags & IFF_UP) && !(dev->priv_flags & IFF_LIVE_ADDR_CHANGE))
		return -EBUSY;
	if (!strncmp(newname, dev->name, IFNAMSIZ))
		return 0;
	memcpy(oldname, dev->name, IFNAMSIZ);
	write_lock(&dev_base_lock);
	unetdev__name_hash_del(net, &dev->name_node);
	write_unlock(&dev_base_lock);
	err = unetdev__dev_get_valid_name(net, dev, newname);
	if (!err)
		dev->name_assign_type = NET_NAME_RENAMED;
	write_lock(&dev_base_lock);
	snprintf(dev->name_node.name, IFNAMSIZ, "%s", dev->name);
	unetdev__name_hash_add(net, &dev->name_node);
	write_unlock(&dev_base_lock);
	if (err)
		return err;
	err = notifier_to_errno(call_netdevice_notifiers(NETDEV_CHANGENAME, dev));
	if (err) {
		/* Roll back to the old name, as the kernel does. */
		write_lock(&dev_base_lock);
		unetdev__name_hash_del(net, &dev->name_node);
		memcpy(dev->name, oldname, IFNAMSIZ);
		snprintf(dev->name_node.name, IFNAMSIZ, "%s", dev->name);
		unetdev__name_hash_add(net, &dev->name_node);
		write_unlock(&dev_base_lock);
		return err;
	}
	unetdev__rtmsg_ifinfo(RTM_NEWLINK, dev, 0);
	return 0;
}

/* ---- ifindex (R-REG-7, R-K-12) ---- */

static int dev_index_reserve(struct net *net, int ifindex)
{
	if (ifindex < 0)
		return -EINVAL;
	if (ifindex > 0)
		return __dev_get_by_index(net, ifindex) ? -EBUSY : ifindex;
	/* Cyclic: the first free index after the last one handed out, wrapping to 1. */
	for (long tries = 0; tries < INT32_MAX; tries++) {
		int next = net->ifindex >= INT32_MAX ? 1 : net->ifindex + 1;

		net->ifindex = next;
		if (!__dev_get_by_index(net, next))
			return next;
	}
	return -ENOSPC;
}

/* ---- features (R-REG-8, R-REG-11) ---- */

static void register_features(struct net_device *dev)
{
	dev->hw_features |= NETIF_F_SOFT_FEATURES;
	dev->features |= NETIF_F_SOFT_FEATURES;
	dev->wanted_features = dev->features & dev->hw_features;
	if (dev->hw_features & NETIF_F_TSO)
		dev->hw_features |= NETIF_F_TSO_MANGLEID;
	if (dev->vlan_features & NETIF_F_TSO)
		dev->vlan_features |= NETIF_F_TSO_MANGLEID;
	dev->vlan_features |= NETIF_F_HIGHDMA;
	dev->hw_enc_features |= NETIF_F_SG | NETIF_F_GSO_PARTIAL;
	dev->mpls_features |= NETIF_F_SG;
}

/* ---- register ---- */

/* sysfs/kobject registration: here only an allocation point that can fail. */
static int netdev_register_kobject(struct net_device *dev)
{
	if (unetdev__should_fail("kobject"))
		return -ENOMEM;
	unetdev__devmodel_get(dev); /* device_add's reference, put by run_todo */
	return 0;
}

static void call_priv_destructor(struct net_device *dev)
{
	if (dev->priv_destructor)
		dev->priv_destructor(dev);
}

int register_netdevice(struct net_device *dev)
{
	struct net *net = dev_net(dev);
	int ifindex_wanted = dev->ifindex;
	int ret;

	unetdev__check_rtnl("R-REG-1", dev, "register_netdevice");
	if (dev->reg_state != NETREG_UNINITIALIZED) {
		/* R-REG-2: BUG_ON(dev->reg_state != NETREG_UNINITIALIZED) */
		UNETDEV_BUG("R-REG-2", dev, "register_netdevice",
			    "registering a device in reg_state %d", dev->reg_state);
		return -EINVAL;
	}
	if (!dev->netdev_ops) {
		UNETDEV_WARN("R-REG-2", dev, "register_netdevice", "device has no netdev_ops");
		return -EINVAL;
	}

	ret = unetdev__dev_get_valid_name(net, dev, dev->name); /* R-REG-3 */
	if (ret < 0)
		return ret;

	ret = unetdev__ndo_init(dev); /* R-REG-5 */
	if (ret)
		return ret; /* neither ndo_uninit nor priv_destructor */

	ret = -EINVAL; /* R-REG-6 */
	if (((dev->hw_features | dev->features) & NETIF_F_HW_VLAN_CTAG_FILTER) &&
	    (!ndo_has(dev, ndo_vlan_rx_add_vid) || !ndo_has(dev, ndo_vlan_rx_kill_vid))) {
		netdev_warn(dev, "Buggy VLAN acceleration in driver!");
		goto err_uninit;
	}
	ret = unetdev__dev_alloc_pcpu_stats(dev); /* R-STAT-9 */
	if (ret)
		goto err_uninit;
	ret = dev_index_reserve(net, dev->ifindex); /* R-REG-7 */
	if (ret < 0)
		goto err_free_pcpu;
	dev->ifindex = ret;

	register_features(dev); /* R-REG-8 */

	ret = notifier_to_errno(call_netdevice_notifiers(NETDEV_POST_INIT, dev)); /* R-REG-9 */
	if (ret)
		goto err_ifindex_release;

	ret = netdev_register_kobject(dev); /* R-REG-10 */
	write_lock(&dev_base_lock);
	WRITE_ONCE(dev->reg_state, ret ? NETREG_UNREGISTERED : NETREG_REGISTERED);
	write_unlock(&dev_base_lock);
	if (ret)
		goto err_uninit_notify;

	unetdev__netdev_update_features(dev);	    /* R-REG-11, no NETDEV_FEAT_CHANGE */
	set_bit(__LINK_STATE_PRESENT, &dev->state); /* R-REG-12 */
	unetdev__linkwatch_init_dev(dev);	    /* R-REG-13 */
	unetdev__dev_init_scheduler(dev);	    /* R-REG-14 */
	dev_hold(dev);				    /* R-REG-15: the registered reference */
	list_netdevice(dev);
	if (dev->addr_assign_type == NET_ADDR_PERM) /* R-REG-16 */
		memcpy(dev->perm_addr, dev->dev_addr, dev->addr_len);

	ret = notifier_to_errno(call_netdevice_notifiers(NETDEV_REGISTER, dev)); /* R-REG-17 */
	if (ret) {
		dev->needs_free_netdev = false; /* the caller must free_netdev() */
		unregister_netdevice_queue(dev, NULL);
		return ret;
	}
	unetdev__rtmsg_ifinfo(RTM_NEWLINK, dev, ~0U); /* R-REG-18 */
	return 0;

err_uninit_notify:
	call_netdevice_notifiers(NETDEV_PRE_UNINIT, dev);
err_ifindex_release:
	dev->ifindex = ifindex_wanted;
err_free_pcpu:
	unetdev__dev_free_pcpu_stats(dev);
err_uninit:
	unetdev__ndo_uninit(dev);
	call_priv_destructor(dev); /* R-UNREG-14 */
	return ret;
}

int register_netdev(struct net_device *dev)
{
	int err;

	rtnl_lock();
	err = register_netdevice(dev);
	rtnl_unlock();
	return err;
}

/* ---- unregister (R-UNREG-1..9) ---- */

void unregister_netdevice_queue(struct net_device *dev, struct list_head *head)
{
	unetdev__check_rtnl("R-UNREG-1", dev, "unregister_netdevice");
	if (head) {
		list_move_tail(&dev->unreg_list, head);
	} else {
		LIST_HEAD(single);

		list_add(&dev->unreg_list, &single);
		unregister_netdevice_many(&single);
	}
}

static void unregister_one(struct net_device *dev) UNETDEV_MUST_HOLD(rtnl_mutex)
{
	/* R-UNREG-7, in the kernel's order. */
	unetdev__dev_shutdown(dev);
	call_netdevice_notifiers(NETDEV_UNREGISTER, dev);
	dev_uc_flush(dev); /* R-ADDR-13: no driver callback */
	dev_mc_flush(dev);
	altnames_flush(dev);
	call_netdevice_notifiers(NETDEV_PRE_UNINIT, dev);
	unetdev__ndo_uninit(dev);
	unetdev__rtmsg_ifinfo(RTM_DELLINK, dev, 0);
}

void unregister_netdevice_many(struct list_head *head)
{
	struct net_device *dev, *tmp;
	LIST_HEAD(close_head);

	unetdev__check_rtnl("R-UNREG-1", NULL, "unregister_netdevice_many");
	if (list_empty(head))
		return;
	list_for_each_entry_safe (dev, tmp, head, unreg_list) {
		if (dev->reg_state == NETREG_UNINITIALIZED) { /* R-UNREG-2 */
			UNETDEV_WARN("R-UNREG-2", dev, "unregister_netdevice",
				     "device %s/%p never was registered", dev->name, (void *)dev);
			list_del_init(&dev->unreg_list);
			continue;
		}
		if (dev->reg_state != NETREG_REGISTERED) {
			UNETDEV_BUG("R-UNREG-2", dev, "unregister_netdevice",
				    "unregistering a device in reg_state %d", dev->reg_state);
			list_del_init(&dev->unreg_list);
			continue;
		}
		dev->dismantle = true; /* R-UNREG-3 */
	}
	if (list_empty(head))
		return;

	list_for_each_entry (dev, head, unreg_list) /* R-UNREG-4 */
		list_add_tail(&dev->close_list, &close_head);
	dev_close_many(&close_head, true);

	list_for_each_entry (dev, head, unreg_list) { /* R-UNREG-5 */
		unlist_netdevice(dev);
		write_lock(&dev_base_lock);
		WRITE_ONCE(dev->reg_state, NETREG_UNREGISTERING);
		write_unlock(&dev_base_lock);
	}
	unetdev__flush_all_backlogs(NULL); /* R-UNREG-6: every UNREGISTERING device */
	synchronize_net();

	list_for_each_entry (dev, head, unreg_list)
		unregister_one(dev);
	synchronize_net();

	list_for_each_entry_safe (dev, tmp, head, unreg_list) { /* R-UNREG-8 */
		dev_put(dev);
		list_del_init(&dev->unreg_list);
		list_add_tail(&dev->todo_list, &net_todo_list);
	}
	INIT_LIST_HEAD(head);
}

void unregister_netdev(struct net_device *dev)
{
	rtnl_lock();
	unregister_netdevice(dev);
	rtnl_unlock();
}

/* ---- run_todo and the reference wait (R-UNREG-10..13) ---- */

static void rebroadcast(struct list_head *list) UNETDEV_EXCLUDES(rtnl_mutex)
{
	struct net_device *dev;
	bool pending = false;

	rtnl_lock();
	list_for_each_entry (dev, list, todo_list)
		call_netdevice_notifiers(NETDEV_UNREGISTER, dev);
	list_for_each_entry (dev, list, todo_list)
		pending |= test_bit(__LINK_STATE_LINKWATCH_PENDING, &dev->state);
	__rtnl_unlock();
	synchronize_net();
	if (pending)
		linkwatch_run_queue();
}

/* Threads inside the reference wait, past reading its start time (unetdev_live). */
static long refwaiters;

long unetdev__refwaiters(void)
{
	return __atomic_load_n(&refwaiters, __ATOMIC_ACQUIRE);
}

static struct net_device *wait_allrefs_loop(struct list_head *list, unsigned long start)
    UNETDEV_EXCLUDES(rtnl_mutex)
{
	unsigned long rebroadcast_time = start, warning_time = start;
	struct net_device *dev;
	unsigned int wait = 0;

	list_for_each_entry (dev, list, todo_list)
		if (netdev_refcnt_read(dev) <= 1) /* < 1 is an underflow, reported by the caller */
			return dev;
	for (;;) {
		if (time_after(jiffies, rebroadcast_time + (unsigned long)HZ)) {
			rebroadcast(list);
			rebroadcast_time = jiffies;
		}
		if (!wait) {
			synchronize_net();
			wait = WAIT_REFS_MIN_MSECS;
		} else {
			unetdev__msleep(wait);
			wait = min(wait << 1, WAIT_REFS_MAX_MSECS);
		}
		list_for_each_entry (dev, list, todo_list)
			if (netdev_refcnt_read(dev) <= 1)
				return dev;
		if (time_after(jiffies, warning_time +
					    (unsigned long)__atomic_load_n(&unregister_timeout_secs,
									   __ATOMIC_RELAXED) *
						HZ)) {
			list_for_each_entry (dev, list, todo_list)
				unetdev__log(0,
					     "unregister_netdevice: waiting for %s to become free. "
					     "Usage count = %d",
					     dev->name, netdev_refcnt_read(dev));
			warning_time = jiffies;
		}
	}
}

static struct net_device *netdev_wait_allrefs_any(struct list_head *list)
    UNETDEV_EXCLUDES(rtnl_mutex)
{
	unsigned long start = jiffies;
	struct net_device *dev;

	__atomic_add_fetch(&refwaiters, 1, __ATOMIC_RELEASE);
	dev = wait_allrefs_loop(list, start);
	__atomic_sub_fetch(&refwaiters, 1, __ATOMIC_RELEASE);
	return dev;
}

void unetdev__netdev_run_todo(void) UNETDEV_NO_TSA
{
	struct net_device *dev, *tmp;
	LIST_HEAD(list);

	list_splice_init(&net_todo_list, &list);
	__rtnl_unlock();
	if (list_empty(&list))
		return;
	synchronize_net();

	list_for_each_entry_safe (dev, tmp, &list, todo_list) {
		if (dev->reg_state != NETREG_UNREGISTERING) {
			UNETDEV_WARN("R-UNREG-10", dev, "netdev_run_todo",
				     "run_todo but not unregistering");
			list_del_init(&dev->todo_list);
			continue;
		}
		write_lock(&dev_base_lock);
		WRITE_ONCE(dev->reg_state, NETREG_UNREGISTERED);
		write_unlock(&dev_base_lock);
		unetdev__linkwatch_sync_dev(dev); /* R-LINK-11 */
	}

	while (!list_empty(&list)) {
		dev = netdev_wait_allrefs_any(&list);
		list_del_init(&dev->todo_list);
		if (netdev_refcnt_read(dev) != 1)
			UNETDEV_WARN("R-UNREG-18", dev, "netdev_run_todo",
				     "reference count %d after the wait (dev_put without dev_hold)",
				     netdev_refcnt_read(dev));
		unetdev__dev_free_pcpu_stats(dev);
		call_priv_destructor(dev); /* R-UNREG-13 */
		if (dev->needs_free_netdev)
			unetdev__free_netdev_core(dev); /* not a driver's free (R-UNREG-17) */
		unetdev__devmodel_put(dev);		/* kobject_put: device_add's reference */
	}
}

void synchronize_net(void)
{
	/* Readers of the device list hold dev_base_lock (R-SYNC-13 [C13]): a write
	 * lock cycle waits for every reader that started before it. */
	write_lock(&dev_base_lock);
	write_unlock(&dev_base_lock);
}
