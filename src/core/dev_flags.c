// SPDX-License-Identifier: MIT
/*
 * dev_flags.c - open, close and interface flags (kernel net/core/dev.c:
 * __dev_open, dev_open, __dev_close_many, dev_close_many, dev_close,
 * __dev_change_flags, __dev_notify_flags, dev_get_flags,
 * __dev_set_promiscuity, __dev_set_allmulti, netdev_state_change,
 * netif_device_detach/attach). Rules R-UP-1..18, R-ADDR-7..9, R-SYNC-1/2.
 *
 * Driver ops are reached only through the ndo.c wrappers, which check the
 * context (rtnl, process, netif_running()) of every call.
 */
#include "internal.h"
#include "ndo.h"

/* The flags a user may set directly (R-UP-15). */
#define IFF_USER_SETTABLE                                                                          \
	(IFF_DEBUG | IFF_NOTRAILERS | IFF_NOARP | IFF_DYNAMIC | IFF_MULTICAST | IFF_PORTSEL |      \
	 IFF_AUTOMEDIA)
/* The flags the kernel keeps, whatever the request says. */
#define IFF_KERNEL_OWNED (IFF_UP | IFF_VOLATILE | IFF_PROMISC | IFF_ALLMULTI)

static void netif_set_up(struct net_device *dev, bool up)
{
	unsigned int flags = READ_ONCE(dev->flags);

	WRITE_ONCE(dev->flags, up ? flags | IFF_UP : flags & ~IFF_UP);
}

/* ---- open (R-UP-1..9) ---- */

/*
 * Everything but the announcement: dev_open() and dev_change_flags() send
 * their own RTM_NEWLINK / NETDEV_UP.
 */
static int __dev_open(struct net_device *dev, struct netlink_ext_ack *extack)
    UNETDEV_MUST_HOLD(rtnl_mutex)
{
	int ret;

	unetdev__check_rtnl("R-UP-2", dev, "dev_open");
	/* R-DOC-5: once unregistering, every operation fails (and its driver may be gone). */
	if (!unetdev__dev_isalive(dev))
		return -ENODEV;
	if (!netif_device_present(dev))
		return -ENODEV; /* R-UP-2 (no parent to runtime-resume here) */

	ret = notifier_to_errno(unetdev__call_notifiers_extack(NETDEV_PRE_UP, dev, extack));
	if (ret)
		return ret; /* R-UP-3: vetoed, nothing changed */

	/* R-UP-4: netif_running() is already true inside ndo_open. */
	set_bit(__LINK_STATE_START, &dev->state);
	ret = unetdev__ndo_validate_addr(dev); /* R-UP-5 */
	if (!ret)
		ret = unetdev__ndo_open(dev);
	if (ret) {
		clear_bit(__LINK_STATE_START, &dev->state); /* R-UP-6 */
		return ret;
	}

	netif_set_up(dev, true); /* R-UP-7, in the kernel's order */
	dev_set_rx_mode(dev);
	unetdev__dev_activate(dev);
	return 0;
}

int dev_open(struct net_device *dev, struct netlink_ext_ack *extack)
{
	int ret;

	if (READ_ONCE(dev->flags) & IFF_UP)
		return 0; /* R-UP-1 */
	ret = __dev_open(dev, extack);
	if (ret)
		return ret;
	unetdev__rtmsg_ifinfo(RTM_NEWLINK, dev, IFF_UP | IFF_RUNNING);
	/* "for now you can't veto a device up/down": the result is ignored. */
	call_netdevice_notifiers(NETDEV_UP, dev);
	return 0;
}

/* ---- close (R-UP-10..14) ---- */

/*
 * The close protocol for a batch linked through close_list, every device up:
 * a) every device: GOING_DOWN, clear START, full barrier;
 * b) dev_deactivate_many: queues to noop, watchdog off, one grace period,
 *    qdiscs reset, wait until none runs (R-UP-13: what ndo_stop may rely on);
 * c) every device: ndo_stop with netif_running() false, IFF_UP cleared.
 * Announcing the change is the caller's job.
 */
void unetdev__dev_close_many(struct list_head *head)
{
	struct net_device *dev;

	unetdev__check_rtnl("R-SYNC-2", NULL, "dev_close_many");
	might_sleep();

	list_for_each_entry (dev, head, close_list) {
		call_netdevice_notifiers(NETDEV_GOING_DOWN, dev);
		clear_bit(__LINK_STATE_START, &dev->state);
		smp_mb(); /* commit netif_running() before the queues are touched */
	}

	unetdev__dev_deactivate_many(head);

	list_for_each_entry (dev, head, close_list) {
		/* R-UP-12: cannot fail; called even for a detached device. */
		unetdev__ndo_stop(dev);
		netif_set_up(dev, false);
	}
}

void dev_close_many(struct list_head *head, bool unlink)
{
	struct net_device *dev, *tmp;

	/* R-UP-10: devices that are not up are left alone. */
	list_for_each_entry_safe (dev, tmp, head, close_list)
		if (!(dev->flags & IFF_UP))
			list_del_init(&dev->close_list);

	unetdev__dev_close_many(head);

	list_for_each_entry_safe (dev, tmp, head, close_list) {
		unetdev__rtmsg_ifinfo(RTM_NEWLINK, dev, IFF_UP | IFF_RUNNING);
		call_netdevice_notifiers(NETDEV_DOWN, dev);
		if (unlink)
			list_del_init(&dev->close_list);
	}
}

void dev_close(struct net_device *dev)
{
	LIST_HEAD(single);

	if (!(READ_ONCE(dev->flags) & IFF_UP))
		return; /* R-UP-10 */
	list_add(&dev->close_list, &single);
	dev_close_many(&single, true);
	list_del(&single);
}

static void __dev_close(struct net_device *dev) UNETDEV_MUST_HOLD(rtnl_mutex)
{
	LIST_HEAD(single);

	list_add(&dev->close_list, &single);
	unetdev__dev_close_many(&single);
	list_del_init(&dev->close_list);
}

/* ---- promiscuity and allmulti (R-ADDR-7..9) ---- */

/*
 * The counters are unsigned: only the upward wrap is refused; 0 - 1 wraps to
 * UINT_MAX and turns the mode on (R-ADDR-8, surprising #9).
 */
int unetdev__dev_set_promiscuity(struct net_device *dev, int inc, bool notify)
{
	unsigned int old_flags = dev->flags, flags, promiscuity;

	ASSERT_RTNL();
	promiscuity = dev->promiscuity + (unsigned int)inc;
	if (promiscuity == 0) {
		if (unlikely(inc > 0)) {
			netdev_warn(dev, "promiscuity touches roof, set promiscuity failed. "
					 "promiscuity feature of device might be broken.");
			return -EOVERFLOW;
		}
		flags = old_flags & ~IFF_PROMISC;
	} else {
		flags = old_flags | IFF_PROMISC;
	}
	WRITE_ONCE(dev->promiscuity, promiscuity);
	if (flags != old_flags) {
		WRITE_ONCE(dev->flags, flags);
		netdev_info(dev, "%s promiscuous mode", flags & IFF_PROMISC ? "entered" : "left");
		unetdev__ndo_change_rx_flags(dev, IFF_PROMISC);
	}
	if (notify)
		unetdev__dev_notify_flags(dev, old_flags, IFF_PROMISC);
	return 0;
}

int dev_set_promiscuity(struct net_device *dev, int inc)
{
	unsigned int old_flags = dev->flags;
	int err;

	err = unetdev__dev_set_promiscuity(dev, inc, true);
	if (err < 0)
		return err;
	if (dev->flags != old_flags)
		dev_set_rx_mode(dev);
	return err;
}

static int __dev_set_allmulti(struct net_device *dev, int inc, bool notify)
    UNETDEV_MUST_HOLD(rtnl_mutex)
{
	unsigned int old_flags = dev->flags, old_gflags = dev->gflags, flags, allmulti;

	ASSERT_RTNL();
	allmulti = dev->allmulti + (unsigned int)inc;
	if (allmulti == 0) {
		if (unlikely(inc > 0)) {
			netdev_warn(dev, "allmulti touches roof, set allmulti failed. "
					 "allmulti feature of device might be broken.");
			return -EOVERFLOW;
		}
		flags = old_flags & ~IFF_ALLMULTI;
	} else {
		flags = old_flags | IFF_ALLMULTI;
	}
	WRITE_ONCE(dev->allmulti, allmulti);
	if (flags == old_flags)
		return 0;
	WRITE_ONCE(dev->flags, flags);
	netdev_info(dev, "%s allmulticast mode", flags & IFF_ALLMULTI ? "entered" : "left");
	unetdev__ndo_change_rx_flags(dev, IFF_ALLMULTI);
	dev_set_rx_mode(dev);
	/* Only a user (gflags) change is announced, as in the kernel. */
	if (notify)
		unetdev__dev_notify_flags(dev, old_flags, dev->gflags ^ old_gflags);
	return 0;
}

int dev_set_allmulti(struct net_device *dev, int inc)
{
	return __dev_set_allmulti(dev, inc, true);
}

/* ---- change flags and announce (R-UP-15/16) ---- */

static void dev_change_user_promisc(struct net_device *dev, unsigned int flags)
    UNETDEV_MUST_HOLD(rtnl_mutex)
{
	if ((flags ^ dev->gflags) & IFF_PROMISC) {
		int inc = (flags & IFF_PROMISC) ? 1 : -1;
		unsigned int old_flags = dev->flags;

		dev->gflags ^= IFF_PROMISC;
		if (unetdev__dev_set_promiscuity(dev, inc, false) >= 0 && dev->flags != old_flags)
			dev_set_rx_mode(dev);
	}
	/* After PROMISC: some drivers set PROMISC when asked for ALLMULTI. */
	if ((flags ^ dev->gflags) & IFF_ALLMULTI) {
		int inc = (flags & IFF_ALLMULTI) ? 1 : -1;

		dev->gflags ^= IFF_ALLMULTI;
		__dev_set_allmulti(dev, inc, false);
	}
}

static int __dev_change_flags(struct net_device *dev, unsigned int flags,
			      struct netlink_ext_ack *extack) UNETDEV_MUST_HOLD(rtnl_mutex)
{
	unsigned int old_flags = dev->flags;
	int ret = 0;

	ASSERT_RTNL();
	WRITE_ONCE(dev->flags, (flags & IFF_USER_SETTABLE) | (old_flags & IFF_KERNEL_OWNED));
	if ((old_flags ^ flags) & IFF_MULTICAST)
		unetdev__ndo_change_rx_flags(dev, IFF_MULTICAST);
	dev_set_rx_mode(dev);

	/* IFF_UP follows the request through open/close, never by copying. */
	if ((old_flags ^ flags) & IFF_UP) {
		if (old_flags & IFF_UP)
			__dev_close(dev);
		else
			ret = __dev_open(dev, extack);
	}
	dev_change_user_promisc(dev, flags);
	return ret;
}

int dev_change_flags(struct net_device *dev, unsigned int flags, struct netlink_ext_ack *extack)
{
	unsigned int old_flags = dev->flags, old_gflags = dev->gflags, changes;
	int ret;

	ret = __dev_change_flags(dev, flags, extack);
	if (ret < 0)
		return ret;
	changes = (old_flags ^ dev->flags) | (old_gflags ^ dev->gflags);
	unetdev__dev_notify_flags(dev, old_flags, changes);
	return ret;
}

void unetdev__dev_notify_flags(struct net_device *dev, unsigned int old_flags,
			       unsigned int gchanges)
{
	unsigned int changes = dev->flags ^ old_flags;

	if (gchanges)
		unetdev__rtmsg_ifinfo(RTM_NEWLINK, dev, gchanges);
	if (changes & IFF_UP)
		call_netdevice_notifiers(dev->flags & IFF_UP ? NETDEV_UP : NETDEV_DOWN, dev);
	if ((dev->flags & IFF_UP) &&
	    (changes & ~(IFF_UP | IFF_PROMISC | IFF_ALLMULTI | IFF_VOLATILE))) {
		struct netdev_notifier_change_info info = {
		    .info.dev = dev,
		    .flags_changed = changes,
		};

		call_netdevice_notifiers_info(NETDEV_CHANGE, &info.info);
	}
}

/* R-UP-17: what userspace sees. */
unsigned int dev_get_flags(const struct net_device *dev)
{
	unsigned int flags;

	flags = (READ_ONCE(dev->flags) &
		 ~(IFF_PROMISC | IFF_ALLMULTI | IFF_RUNNING | IFF_LOWER_UP | IFF_DORMANT)) |
		(READ_ONCE(dev->gflags) & (IFF_PROMISC | IFF_ALLMULTI));
	if (netif_running(dev)) {
		if (netif_oper_up(dev))
			flags |= IFF_RUNNING;
		if (netif_carrier_ok(dev))
			flags |= IFF_LOWER_UP;
		if (netif_dormant(dev))
			flags |= IFF_DORMANT;
	}
	return flags;
}

void netdev_state_change(struct net_device *dev)
{
	if (dev->flags & IFF_UP) {
		struct netdev_notifier_change_info info = {.info.dev = dev};

		call_netdevice_notifiers_info(NETDEV_CHANGE, &info.info);
		unetdev__rtmsg_ifinfo(RTM_NEWLINK, dev, 0);
	}
}

/* ---- hot-plug presence (R-UP-18) ---- */

void netif_device_detach(struct net_device *dev)
{
	if (test_and_clear_bit(__LINK_STATE_PRESENT, &dev->state) && netif_running(dev))
		netif_tx_stop_all_queues(dev);
}

void netif_device_attach(struct net_device *dev)
{
	if (!test_and_set_bit(__LINK_STATE_PRESENT, &dev->state) && netif_running(dev)) {
		netif_tx_wake_all_queues(dev);
		unetdev__dev_watchdog_up(dev);
	}
}
