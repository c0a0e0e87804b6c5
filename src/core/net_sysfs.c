// SPDX-License-Identifier: MIT
/*
 * net_sysfs.c - attribute handles, the userspace stand-in for open sysfs
 * attribute files (kernel net/core/net-sysfs.c: netdev_show, dev_isalive,
 * the *_show functions, netdev_store). Rules R-ALLOC-23, R-ALLOC-24, R-DOC-5.
 *
 * A handle holds a device-model reference (the kernel's kobject reference
 * held by an open sysfs file), never a dev_hold(): it does not delay
 * unregistration, it only keeps the memory. Reads run under dev_base_lock
 * and check dev_isalive() first, so after unregistration they fail with
 * -ENODEV without touching driver code or driver data; the module that
 * created the device may be gone by then (R-ALLOC-24).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

struct unetdev_attr;
typedef int (*attr_show_t)(const struct net_device *dev, char *buf, size_t len);
/* A store: the value parsed as kstrtoul does, applied under rtnl. */
typedef int (*attr_store_t)(struct net_device *dev, unsigned long val);

struct unetdev_attr {
	struct net_device *dev; /* device-model reference */
	attr_show_t show;
	attr_store_t store; /* NULL: read-only */
};

static const char *const operstates[] = {
    "unknown", "notpresent", "down", "lowerlayerdown", "testing", "dormant", "up",
};

static int mtu_show(const struct net_device *dev, char *buf, size_t len)
{
	return snprintf(buf, len, "%u\n", READ_ONCE(dev->mtu));
}

static int ifindex_show(const struct net_device *dev, char *buf, size_t len)
{
	return snprintf(buf, len, "%d\n", READ_ONCE(dev->ifindex));
}

static int flags_show(const struct net_device *dev, char *buf, size_t len)
{
	return snprintf(buf, len, "0x%x\n", READ_ONCE(dev->flags));
}

static int tx_queue_len_show(const struct net_device *dev, char *buf, size_t len)
{
	return snprintf(buf, len, "%u\n", READ_ONCE(dev->tx_queue_len));
}

/* A device that is not running reports "down" whatever its operstate. */
static int operstate_show(const struct net_device *dev, char *buf, size_t len)
{
	unsigned char op = READ_ONCE(dev->operstate);

	if (!netif_running(dev))
		op = IF_OPER_DOWN;
	if (op >= ARRAY_SIZE(operstates))
		op = IF_OPER_UNKNOWN;
	return snprintf(buf, len, "%s\n", operstates[op]);
}

/* Carrier is only meaningful while the device runs (-EINVAL otherwise). */
static int carrier_show(const struct net_device *dev, char *buf, size_t len)
{
	if (!netif_running(dev))
		return -EINVAL;
	return snprintf(buf, len, "%d\n", netif_carrier_ok(dev) ? 1 : 0);
}

static int address_show(const struct net_device *dev, char *buf, size_t len)
{
	size_t n = 0;

	if (!dev->addr_len || !dev->dev_addr)
		return snprintf(buf, len, "\n");
	for (unsigned int i = 0; i < dev->addr_len && n < len; i++)
		n += (size_t)snprintf(buf + n, len - n, i ? ":%02x" : "%02x", dev->dev_addr[i]);
	if (n < len)
		n += (size_t)snprintf(buf + n, len - n, "\n");
	return (int)n;
}

static int defer_show(const struct net_device *dev, char *buf, size_t len)
{
	return snprintf(buf, len, "%u\n", READ_ONCE(dev->napi_defer_hard_irqs));
}

static int defer_store(struct net_device *dev, unsigned long val) UNETDEV_NO_TSA
{
	if (val > (unsigned long)INT32_MAX) /* change_napi_defer_hard_irqs: S32_MAX */
		return -ERANGE;
	return netdev_set_defer_hard_irqs(dev, (u32)val);
}

static int gro_flush_timeout_show(const struct net_device *dev, char *buf, size_t len)
{
	return snprintf(buf, len, "%lu\n", READ_ONCE(dev->gro_flush_timeout));
}

static int gro_flush_timeout_store(struct net_device *dev, unsigned long val) UNETDEV_NO_TSA
{
	return netdev_set_gro_flush_timeout(dev, val);
}

static const struct attr_def {
	const char *name;
	attr_show_t show;
	attr_store_t store;
} attrs[] = {
    {"mtu", mtu_show, NULL},
    {"ifindex", ifindex_show, NULL},
    {"operstate", operstate_show, NULL},
    {"flags", flags_show, NULL},
    {"carrier", carrier_show, NULL},
    {"tx_queue_len", tx_queue_len_show, NULL},
    {"address", address_show, NULL},
    {"napi_defer_hard_irqs", defer_show, defer_store},
    {"gro_flush_timeout", gro_flush_timeout_show, gro_flush_timeout_store},
};

static const struct attr_def *attr_lookup(const char *name)
{
	for (size_t i = 0; i < ARRAY_SIZE(attrs); i++)
		if (!strcmp(attrs[i].name, name))
			return &attrs[i];
	return NULL;
}

int unetdev_attr_open(struct net *net, const char *name, const char *attr,
		      struct unetdev_attr **out)
{
	const struct attr_def *def;
	struct unetdev_attr *a;
	struct net_device *dev;

	if (!name || !attr || !out)
		return -EINVAL;
	def = attr_lookup(attr);
	if (!def)
		return -ENOENT; /* no such file */
	a = unetdev__kzalloc(sizeof(*a), "kmalloc");
	if (!a)
		return -ENOMEM;
	rtnl_lock();
	dev = __dev_get_by_name(net ? net : &init_net, name);
	if (dev)
		unetdev__devmodel_get(dev);
	rtnl_unlock();
	if (!dev) {
		unetdev__kfree(a);
		return -ENODEV;
	}
	a->dev = dev;
	a->show = def->show;
	a->store = def->store;
	*out = a;
	return 0;
}

/* netdev_show: the text of the attribute, or -ENODEV once unregistered. */
int unetdev_attr_read(struct unetdev_attr *a, char *buf, size_t len)
{
	int ret = -ENODEV;

	if (!a || !buf || !len)
		return -EINVAL;
	read_lock(&dev_base_lock);
	if (unetdev__dev_isalive(a->dev))
		ret = a->show(a->dev, buf, len);
	read_unlock(&dev_base_lock);
	if (ret >= (int)len)
		ret = (int)len - 1; /* truncated, as a short read */
	return ret;
}

/*
 * netdev_store: @buf parsed as kstrtoul(buf, 0) (one trailing newline
 * allowed), applied under rtnl while the device is alive. Returns the bytes
 * consumed, -EACCES for a read-only attribute, -EINVAL for bad text,
 * -ENODEV once unregistered, or the setter's error.
 */
int unetdev_attr_write(struct unetdev_attr *a, const char *buf, size_t len)
{
	char text[32], *end;
	unsigned long val;
	int ret = -ENODEV;

	if (!a || !buf || !len || len >= sizeof(text))
		return -EINVAL;
	if (!a->store)
		return -EACCES;
	memcpy(text, buf, len);
	text[len] = '\0';
	if (text[len - 1] == '\n')
		text[len - 1] = '\0';
	errno = 0;
	val = strtoul(text, &end, 0);
	if (errno || end == text || *end || text[0] == '-')
		return -EINVAL;
	rtnl_lock();
	if (unetdev__dev_isalive(a->dev)) {
		ret = a->store(a->dev, val);
		if (!ret)
			ret = (int)len;
	}
	rtnl_unlock();
	return ret;
}

/* The last device-model reference releases the memory (R-ALLOC-23). */
void unetdev_attr_close(struct unetdev_attr *a)
{
	if (!a)
		return;
	unetdev__devmodel_put(a->dev);
	unetdev__kfree(a);
}
