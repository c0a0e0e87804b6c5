// SPDX-License-Identifier: MIT
/*
 * link_watch.c - carrier, dormant/testing, RFC 2863 operstate and the
 * linkwatch event queue (kernel net/core/link_watch.c, the carrier functions
 * of net/sched/sch_generic.c). Rules R-LINK, R-K-18, R-REG-13, R-UNREG-11.
 *
 * Events are processed by deferred work under rtnl. Non-urgent events run at
 * most once per HZ; urgent ones (a running stacked device, or carrier on
 * while the qdisc is still transitioning from noop) run at once.
 */
#include "internal.h"
#include "ndo.h"

#define MAX_DO_DEV_PER_LOOP 100 /* R-K-18 */

static spinlock_t lweventlist_lock;
static LIST_HEAD(lweventlist);
static unsigned long linkwatch_nextevent;
static unsigned long linkwatch_urgent; /* LW_URGENT bit 0 */
static struct unetdev__work linkwatch_work;

static void linkwatch_event(struct unetdev__work *w);

__attribute__((constructor)) static void linkwatch_setup(void)
{
	spin_lock_init(&lweventlist_lock);
	unetdev__work_init(&linkwatch_work, linkwatch_event);
}

int dev_get_iflink(const struct net_device *dev)
{
	return unetdev__ndo_get_iflink(dev);
}

const char *unetdev_operstate_name(unsigned char operstate)
{
	static const char *const names[] = {
	    [IF_OPER_UNKNOWN] = "UNKNOWN", [IF_OPER_NOTPRESENT] = "NOTPRESENT",
	    [IF_OPER_DOWN] = "DOWN",	   [IF_OPER_LOWERLAYERDOWN] = "LOWERLAYERDOWN",
	    [IF_OPER_TESTING] = "TESTING", [IF_OPER_DORMANT] = "DORMANT",
	    [IF_OPER_UP] = "UP",
	};

	return operstate < ARRAY_SIZE(names) ? names[operstate] : "?";
}

/* R-LINK-7 */
unsigned char unetdev__default_operstate(const struct net_device *dev)
{
	if (netif_testing(dev))
		return IF_OPER_TESTING;
	if (!netif_carrier_ok(dev)) {
		struct net_device *peer;
		int iflink;

		/* From run_todo the device is unlisted and rtnl is not held. */
		iflink = READ_ONCE(dev->reg_state) <= NETREG_REGISTERED ? dev_get_iflink(dev)
									: dev->ifindex;
		if (iflink == dev->ifindex)
			return IF_OPER_DOWN;
		ASSERT_RTNL();
		peer = __dev_get_by_index(dev_net(dev), iflink);
		if (!peer)
			return IF_OPER_DOWN;
		return netif_carrier_ok(peer) ? IF_OPER_DOWN : IF_OPER_LOWERLAYERDOWN;
	}
	if (netif_dormant(dev))
		return IF_OPER_DORMANT;
	return IF_OPER_UP;
}

static void rfc2863_policy(struct net_device *dev)
{
	unsigned char operstate = unetdev__default_operstate(dev);

	if (operstate == READ_ONCE(dev->operstate))
		return;
	if (operstate == IF_OPER_UP && dev->link_mode == IF_LINK_MODE_TESTING)
		operstate = IF_OPER_TESTING;
	else if (operstate == IF_OPER_UP && dev->link_mode == IF_LINK_MODE_DORMANT)
		operstate = IF_OPER_DORMANT;
	WRITE_ONCE(dev->operstate, operstate);
}

/* R-REG-13: pre-registration state changes are applied without an event. */
void unetdev__linkwatch_init_dev(struct net_device *dev)
{
	if (!netif_carrier_ok(dev) || netif_dormant(dev) || netif_testing(dev))
		rfc2863_policy(dev);
}

static bool qdisc_tx_changing(const struct net_device *dev)
{
	for (unsigned int i = 0; i < dev->num_tx_queues; i++)
		if (READ_ONCE(dev->_tx[i].qdisc) != READ_ONCE(dev->_tx[i].qdisc_sleeping))
			return true;
	return false;
}

/* R-LINK-5 (no LAG devices exist here). */
static bool linkwatch_urgent_event(struct net_device *dev)
{
	if (!netif_running(dev))
		return false;
	if (dev->ifindex != dev_get_iflink(dev))
		return true;
	return netif_carrier_ok(dev) && qdisc_tx_changing(dev);
}

static void linkwatch_add_event(struct net_device *dev)
{
	spin_lock_bh(&lweventlist_lock);
	if (list_empty(&dev->link_watch_list)) {
		list_add_tail(&dev->link_watch_list, &lweventlist);
		dev_hold(dev); /* R-UNREG-19: the queued event holds a reference */
	}
	spin_unlock_bh(&lweventlist_lock);
}

static void linkwatch_schedule_work(bool urgent)
{
	unsigned long delay = READ_ONCE(linkwatch_nextevent) - jiffies;

	if (test_bit(0, &linkwatch_urgent))
		return;
	if (urgent) {
		if (test_and_set_bit(0, &linkwatch_urgent))
			return;
		delay = 0;
	}
	if (delay > HZ) /* wrapped: at most HZ late */
		delay = 0;
	if (test_bit(0, &linkwatch_urgent))
		unetdev__schedule_delayed_work(&linkwatch_work, 0); /* mod_delayed_work */
	else if (!timer_pending(&linkwatch_work.timer))
		unetdev__schedule_delayed_work(&linkwatch_work, delay); /* queue_delayed_work */
}

/* R-LINK-6. Drops the event's reference. */
static void linkwatch_do_dev(struct net_device *dev)
{
	smp_mb();
	clear_bit(__LINK_STATE_LINKWATCH_PENDING, &dev->state);
	rfc2863_policy(dev);
	if (dev->flags & IFF_UP) {
		ASSERT_RTNL();
		if (netif_carrier_ok(dev))
			unetdev__dev_activate(dev);
		else
			unetdev__dev_deactivate(dev);
		netdev_state_change(dev);
	}
	dev_put(dev);
}

static void __linkwatch_run_queue(bool urgent_only) UNETDEV_MUST_HOLD(rtnl_mutex)
{
	int do_dev = MAX_DO_DEV_PER_LOOP;
	LIST_HEAD(wrk);

	if (urgent_only)
		do_dev += MAX_DO_DEV_PER_LOOP;
	/* At most one non-urgent run per second (R-LINK-4). */
	if (!urgent_only)
		WRITE_ONCE(linkwatch_nextevent, jiffies + HZ);
	else if (time_after(READ_ONCE(linkwatch_nextevent), jiffies + HZ))
		WRITE_ONCE(linkwatch_nextevent, jiffies);
	clear_bit(0, &linkwatch_urgent);

	spin_lock_bh(&lweventlist_lock);
	list_splice_init(&lweventlist, &wrk);
	while (!list_empty(&wrk) && do_dev > 0) {
		struct net_device *dev = list_first_entry(&wrk, struct net_device, link_watch_list);

		list_del_init(&dev->link_watch_list);
		if (!netif_device_present(dev) || (urgent_only && !linkwatch_urgent_event(dev))) {
			list_add_tail(&dev->link_watch_list, &lweventlist);
			continue;
		}
		spin_unlock_bh(&lweventlist_lock);
		linkwatch_do_dev(dev);
		do_dev--;
		spin_lock_bh(&lweventlist_lock);
	}
	list_splice_init(&wrk, &lweventlist);
	if (!list_empty(&lweventlist))
		linkwatch_schedule_work(false);
	spin_unlock_bh(&lweventlist_lock);
}

static void linkwatch_event(struct unetdev__work *w)
{
	(void)w;
	rtnl_lock();
	__linkwatch_run_queue(time_after(READ_ONCE(linkwatch_nextevent), jiffies));
	rtnl_unlock();
}

void linkwatch_run_queue(void)
{
	rtnl_lock();
	__linkwatch_run_queue(false);
	rtnl_unlock();
}

/* R-LINK-11: the unregister path handles a pending event at once. */
void unetdev__linkwatch_sync_dev(struct net_device *dev)
{
	bool clean = false;

	spin_lock_bh(&lweventlist_lock);
	if (!list_empty(&dev->link_watch_list)) {
		list_del_init(&dev->link_watch_list);
		clean = true;
	}
	spin_unlock_bh(&lweventlist_lock);
	if (clean)
		linkwatch_do_dev(dev);
}

void unetdev__linkwatch_forget_dev(struct net_device *dev)
{
	bool clean = false;

	spin_lock_bh(&lweventlist_lock);
	if (!list_empty(&dev->link_watch_list)) {
		list_del_init(&dev->link_watch_list);
		clean = true;
	}
	spin_unlock_bh(&lweventlist_lock);
	if (clean) {
		clear_bit(__LINK_STATE_LINKWATCH_PENDING, &dev->state);
		dev_put(dev);
	}
}

/* R-LINK-4 */
void linkwatch_fire_event(struct net_device *dev)
{
	bool urgent = linkwatch_urgent_event(dev);

	if (!test_and_set_bit(__LINK_STATE_LINKWATCH_PENDING, &dev->state))
		linkwatch_add_event(dev);
	else if (!urgent)
		return;
	linkwatch_schedule_work(urgent);
}

/* ---- carrier (R-LINK-1..3) ---- */

void netif_carrier_on(struct net_device *dev)
{
	if (!test_and_clear_bit(__LINK_STATE_NOCARRIER, &dev->state))
		return;
	if (READ_ONCE(dev->reg_state) == NETREG_UNINITIALIZED)
		return;
	__atomic_fetch_add(&dev->carrier_up_count, 1, __ATOMIC_RELAXED);
	linkwatch_fire_event(dev);
	if (netif_running(dev))
		unetdev__dev_watchdog_up(dev);
}

void netif_carrier_off(struct net_device *dev)
{
	if (test_and_set_bit(__LINK_STATE_NOCARRIER, &dev->state))
		return;
	if (READ_ONCE(dev->reg_state) == NETREG_UNINITIALIZED)
		return;
	__atomic_fetch_add(&dev->carrier_down_count, 1, __ATOMIC_RELAXED);
	linkwatch_fire_event(dev);
}

void netif_carrier_event(struct net_device *dev)
{
	if (READ_ONCE(dev->reg_state) == NETREG_UNINITIALIZED)
		return;
	__atomic_fetch_add(&dev->carrier_up_count, 1, __ATOMIC_RELAXED);
	__atomic_fetch_add(&dev->carrier_down_count, 1, __ATOMIC_RELAXED);
	linkwatch_fire_event(dev);
}

/*
 * R-LINK-9: edge-triggered. Before registration only the bit flips (as for
 * carrier): an event would hold a reference on a device that may be freed
 * without ever being registered.
 */
static void state_bit_event(struct net_device *dev, unsigned int bit, bool on)
{
	bool changed =
	    on ? !test_and_set_bit(bit, &dev->state) : test_and_clear_bit(bit, &dev->state);

	if (changed && READ_ONCE(dev->reg_state) != NETREG_UNINITIALIZED)
		linkwatch_fire_event(dev);
}

void netif_dormant_on(struct net_device *dev)
{
	state_bit_event(dev, __LINK_STATE_DORMANT, true);
}

void netif_dormant_off(struct net_device *dev)
{
	state_bit_event(dev, __LINK_STATE_DORMANT, false);
}

void netif_testing_on(struct net_device *dev)
{
	state_bit_event(dev, __LINK_STATE_TESTING, true);
}

void netif_testing_off(struct net_device *dev)
{
	state_bit_event(dev, __LINK_STATE_TESTING, false);
}

/* R-LINK-10 */
void netif_stacked_transfer_operstate(const struct net_device *rootdev, struct net_device *dev)
{
	if (READ_ONCE(rootdev->operstate) == IF_OPER_DORMANT)
		netif_dormant_on(dev);
	else
		netif_dormant_off(dev);
	if (READ_ONCE(rootdev->operstate) == IF_OPER_TESTING)
		netif_testing_on(dev);
	else
		netif_testing_off(dev);
	if (netif_carrier_ok(rootdev))
		netif_carrier_on(dev);
	else
		netif_carrier_off(dev);
}
