// SPDX-License-Identifier: MIT
/*
 * ndo.c - one wrapper per net_device_ops member (rules section 18, R-SYNC).
 *
 * Each wrapper: 1) refuses to enter driver code for a device whose
 * unregistration has completed (its module may be gone, R-ALLOC-24);
 * 2) checks the documented context; 3) calls the op or the kernel default;
 * 4) checks the result.
 */
#include "ndo.h"

/* Driver code may be unloaded once unregistration has completed. */
static UNETDEV_HOT_INLINE bool dead(const struct net_device *dev, const char *op)
{
	unsigned char st = READ_ONCE(dev->reg_state); /* unregister writes it concurrently */

	if (likely(st <= NETREG_UNREGISTERING))
		return false;
	return unetdev_check_report("R-ALLOC-24", UNETDEV_SEV_BUG, dev, op,
				    "driver op called on an unregistered device (reg_state %d)",
				    st);
}

int unetdev__ndo_init(struct net_device *dev)
{
	int err;

	unetdev__check_rtnl("R-SYNC-9", dev, "ndo_init");
	unetdev__check_process("R-SYNC-9", dev, "ndo_init");
	if (!ndo_has(dev, ndo_init))
		return 0;
	err = dev->netdev_ops->ndo_init(dev);
	/* R-REG-5: a positive return is converted to -EIO. */
	return err > 0 ? -EIO : err;
}

void unetdev__ndo_uninit(struct net_device *dev)
{
	unetdev__check_rtnl("R-SYNC-9", dev, "ndo_uninit");
	unetdev__check_process("R-SYNC-9", dev, "ndo_uninit");
	if (ndo_has(dev, ndo_uninit))
		dev->netdev_ops->ndo_uninit(dev);
}

int unetdev__ndo_open(struct net_device *dev)
{
	if (dead(dev, "ndo_open"))
		return -ENODEV;
	unetdev__check_rtnl("R-SYNC-1", dev, "ndo_open");
	unetdev__check_process("R-SYNC-1", dev, "ndo_open");
	if (!netif_running(dev))
		UNETDEV_WARN("R-UP-4", dev, "ndo_open", "netif_running() false in ndo_open");
	if (!ndo_has(dev, ndo_open))
		return 0;
	return dev->netdev_ops->ndo_open(dev);
}

void unetdev__ndo_stop(struct net_device *dev)
{
	if (dead(dev, "ndo_stop"))
		return;
	unetdev__check_rtnl("R-SYNC-2", dev, "ndo_stop");
	unetdev__check_process("R-SYNC-2", dev, "ndo_stop");
	if (netif_running(dev))
		UNETDEV_WARN("R-SYNC-2", dev, "ndo_stop", "netif_running() true in ndo_stop");
	/* R-UP-12: the return value is ignored; close cannot fail. */
	if (ndo_has(dev, ndo_stop))
		(void)dev->netdev_ops->ndo_stop(dev);
}

int unetdev__ndo_validate_addr(struct net_device *dev)
{
	if (dead(dev, "ndo_validate_addr"))
		return -ENODEV;
	unetdev__check_rtnl("R-SYNC-10", dev, "ndo_validate_addr");
	if (!ndo_has(dev, ndo_validate_addr))
		return 0;
	return dev->netdev_ops->ndo_validate_addr(dev);
}

void unetdev__ndo_change_rx_flags(struct net_device *dev, int flags)
{
	if (dead(dev, "ndo_change_rx_flags"))
		return;
	unetdev__check_rtnl("R-SYNC-10", dev, "ndo_change_rx_flags");
	if (ndo_has(dev, ndo_change_rx_flags))
		dev->netdev_ops->ndo_change_rx_flags(dev, flags);
}

void unetdev__ndo_set_rx_mode(struct net_device *dev)
{
	if (dead(dev, "ndo_set_rx_mode"))
		return;
	if (unetdev__check_enabled()) {
		if (!spin_held_by_me(&dev->addr_list_lock))
			UNETDEV_WARN("R-SYNC-7", dev, "ndo_set_rx_mode",
				     "netif_addr_lock not held");
		unetdev__check_bh_off("R-SYNC-7", dev, "ndo_set_rx_mode");
	}
	if (ndo_has(dev, ndo_set_rx_mode))
		dev->netdev_ops->ndo_set_rx_mode(dev);
}

bool unetdev__ndo_has_change_mtu(const struct net_device *dev)
{
	return ndo_has(dev, ndo_change_mtu);
}

int unetdev__ndo_change_mtu(struct net_device *dev, int new_mtu)
{
	if (dead(dev, "ndo_change_mtu"))
		return -ENODEV;
	unetdev__check_rtnl("R-SYNC-10", dev, "ndo_change_mtu");
	if (!ndo_has(dev, ndo_change_mtu)) {
		WRITE_ONCE(dev->mtu, (unsigned int)new_mtu);
		return 0;
	}
	return dev->netdev_ops->ndo_change_mtu(dev, new_mtu);
}

int unetdev__ndo_set_mac_address(struct net_device *dev, void *addr)
{
	if (dead(dev, "ndo_set_mac_address"))
		return -ENODEV;
	unetdev__check_rtnl("R-SYNC-10", dev, "ndo_set_mac_address");
	if (!ndo_has(dev, ndo_set_mac_address))
		return -EOPNOTSUPP;
	return dev->netdev_ops->ndo_set_mac_address(dev, addr);
}

int unetdev__ndo_do_ioctl(struct net_device *dev, struct ifreq *ifr, int cmd)
{
	if (dead(dev, "ndo_do_ioctl"))
		return -ENODEV;
	unetdev__check_rtnl("R-SYNC-3", dev, "ndo_do_ioctl");
	unetdev__check_process("R-SYNC-3", dev, "ndo_do_ioctl");
	if (!ndo_has(dev, ndo_do_ioctl))
		return -EOPNOTSUPP;
	return dev->netdev_ops->ndo_do_ioctl(dev, ifr, cmd);
}

void unetdev__ndo_get_stats64(struct net_device *dev, struct rtnl_link_stats64 *s)
{
	if (dead(dev, "ndo_get_stats64"))
		return;
	dev->netdev_ops->ndo_get_stats64(dev, s);
}

struct net_device_stats *unetdev__ndo_get_stats(struct net_device *dev)
{
	if (dead(dev, "ndo_get_stats"))
		return &dev->stats;
	/* R-SYNC-4 / R-STAT-6 (D13): under dev_base_lock for reading. */
	if (unetdev__check_enabled() && !rwlock_read_held(&dev_base_lock))
		UNETDEV_WARN("R-STAT-6", dev, "ndo_get_stats", "dev_base_lock not held");
	return dev->netdev_ops->ndo_get_stats(dev);
}

int unetdev__ndo_change_carrier(struct net_device *dev, bool on)
{
	if (dead(dev, "ndo_change_carrier"))
		return -ENODEV;
	unetdev__check_rtnl("R-SYNC-10", dev, "ndo_change_carrier");
	if (!ndo_has(dev, ndo_change_carrier))
		return -EOPNOTSUPP;
	return dev->netdev_ops->ndo_change_carrier(dev, on);
}

int unetdev__ndo_get_iflink(const struct net_device *dev)
{
	if (dead(dev, "ndo_get_iflink") || !ndo_has(dev, ndo_get_iflink))
		return READ_ONCE(dev->ifindex);
	return dev->netdev_ops->ndo_get_iflink(dev);
}

netdev_features_t unetdev__ndo_fix_features(struct net_device *dev, netdev_features_t f)
{
	if (dead(dev, "ndo_fix_features"))
		return f;
	unetdev__check_rtnl("R-SYNC-10", dev, "ndo_fix_features");
	if (!ndo_has(dev, ndo_fix_features))
		return f;
	return dev->netdev_ops->ndo_fix_features(dev, f);
}

int unetdev__ndo_set_features(struct net_device *dev, netdev_features_t f)
{
	if (dead(dev, "ndo_set_features"))
		return -ENODEV;
	unetdev__check_rtnl("R-SYNC-10", dev, "ndo_set_features");
	if (!ndo_has(dev, ndo_set_features))
		return 0;
	return dev->netdev_ops->ndo_set_features(dev, f);
}

void unetdev__ndo_tx_timeout(struct net_device *dev, unsigned int txq)
{
	if (dead(dev, "ndo_tx_timeout"))
		return;
	if (unetdev__check_enabled()) {
		if (!spin_held_by_me(&dev->tx_global_lock))
			UNETDEV_WARN("R-SYNC-6", dev, "ndo_tx_timeout", "netif_tx_lock not held");
		for (unsigned int i = 0; i < dev->num_tx_queues; i++)
			if (!test_bit(__QUEUE_STATE_FROZEN, &dev->_tx[i].state)) {
				UNETDEV_WARN("R-SYNC-6", dev, "ndo_tx_timeout",
					     "queue %u not frozen", i);
				break;
			}
		unetdev__check_bh_off("R-SYNC-6", dev, "ndo_tx_timeout");
	}
	if (ndo_has(dev, ndo_tx_timeout))
		dev->netdev_ops->ndo_tx_timeout(dev, txq);
}

/* The cold halves of the inline unetdev__ndo_start_xmit (ndo.h). */
bool unetdev__ndo_xmit_dead(const struct net_device *dev)
{
	return dead(dev, "ndo_start_xmit");
}

void unetdev__ndo_xmit_check_ctx(const struct net_device *dev, const struct netdev_queue *txq)
{
	if (!netif_is_lltx(dev) &&
	    __atomic_load_n(&txq->_xmit_lock.owner, __ATOMIC_RELAXED) != unetdev__this_ctx()->token)
		UNETDEV_WARN("R-SYNC-5", dev, "ndo_start_xmit", "queue %u _xmit_lock not held",
			     txq->queue_index);
	if (!unetdev__in_softirq())
		unetdev__check_bh_off("R-SYNC-5", dev, "ndo_start_xmit");
}

netdev_tx_t unetdev__ndo_xmit_check_rc(struct sk_buff *skb, struct net_device *dev, netdev_tx_t rc)
{
	/* BUSY means "not consumed": a driver that freed the skb anyway would have
	 * the core requeue freed memory (seen when the checker poisons freed skbs). */
	if ((rc == NETDEV_TX_BUSY || rc == NETDEV_TX_LOCKED) && unetdev__skb_is_poisoned(skb)) {
		UNETDEV_WARN("R-TX-11", dev, "ndo_start_xmit", "returned %s after freeing the skb",
			     rc == NETDEV_TX_BUSY ? "NETDEV_TX_BUSY" : "NETDEV_TX_LOCKED");
		return NETDEV_TX_OK; /* consumed after all: never requeued */
	}
	if (rc == NETDEV_TX_LOCKED && !netif_is_lltx(dev))
		UNETDEV_WARN("R-TX-11", dev, "ndo_start_xmit",
			     "NETDEV_TX_LOCKED from a device that is not LLTX");
	return rc;
}

u16 unetdev__ndo_select_queue(struct net_device *dev, struct sk_buff *skb)
{
	return dev->netdev_ops->ndo_select_queue(dev, skb, NULL);
}

netdev_features_t unetdev__ndo_features_check(struct sk_buff *skb, struct net_device *dev,
					      netdev_features_t features)
{
	if (!ndo_has(dev, ndo_features_check) || dead(dev, "ndo_features_check"))
		return features; /* dflt_features_check: single VLAN tags only here */
	return dev->netdev_ops->ndo_features_check(skb, dev, features);
}

int unetdev__ndo_add_slave(struct net_device *dev, struct net_device *slave,
			   struct netlink_ext_ack *extack)
{
	if (dead(dev, "ndo_add_slave"))
		return -ENODEV;
	unetdev__check_rtnl("R-SYNC-10", dev, "ndo_add_slave");
	if (!ndo_has(dev, ndo_add_slave))
		return -EOPNOTSUPP; /* do_set_master: not a master device */
	return dev->netdev_ops->ndo_add_slave(dev, slave, extack);
}

int unetdev__ndo_del_slave(struct net_device *dev, struct net_device *slave)
{
	if (dead(dev, "ndo_del_slave"))
		return -ENODEV;
	unetdev__check_rtnl("R-SYNC-10", dev, "ndo_del_slave");
	if (!ndo_has(dev, ndo_del_slave))
		return -EOPNOTSUPP;
	return dev->netdev_ops->ndo_del_slave(dev, slave);
}
