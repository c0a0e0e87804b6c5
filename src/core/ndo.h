/* SPDX-License-Identifier: MIT */
/*
 * ndo.h - the one wrapper per driver op (contract checker, rules section 18).
 *
 * The core never calls dev->netdev_ops->ndo_x directly: it calls
 * unetdev__ndo_x(), which asserts the documented context, supplies the
 * kernel's default when the op is NULL, checks the return value and reports
 * a violation naming the rule, device and op.
 */
#ifndef UNETDEV_NDO_H
#define UNETDEV_NDO_H

#include "internal.h"

UNETDEV_INTERNAL int unetdev__ndo_init(struct net_device *dev) UNETDEV_MUST_HOLD(rtnl_mutex);
UNETDEV_INTERNAL void unetdev__ndo_uninit(struct net_device *dev) UNETDEV_MUST_HOLD(rtnl_mutex);
UNETDEV_INTERNAL int unetdev__ndo_open(struct net_device *dev) UNETDEV_MUST_HOLD(rtnl_mutex);
UNETDEV_INTERNAL void unetdev__ndo_stop(struct net_device *dev) UNETDEV_MUST_HOLD(rtnl_mutex);
UNETDEV_INTERNAL int unetdev__ndo_validate_addr(struct net_device *dev)
    UNETDEV_MUST_HOLD(rtnl_mutex);
UNETDEV_INTERNAL void unetdev__ndo_change_rx_flags(struct net_device *dev, int flags)
    UNETDEV_MUST_HOLD(rtnl_mutex);
UNETDEV_INTERNAL void unetdev__ndo_set_rx_mode(struct net_device *dev)
    UNETDEV_MUST_HOLD(dev->addr_list_lock);
UNETDEV_INTERNAL bool unetdev__ndo_has_change_mtu(const struct net_device *dev);
UNETDEV_INTERNAL int unetdev__ndo_change_mtu(struct net_device *dev, int new_mtu)
    UNETDEV_MUST_HOLD(rtnl_mutex);
UNETDEV_INTERNAL int unetdev__ndo_set_mac_address(struct net_device *dev, void *addr)
    UNETDEV_MUST_HOLD(rtnl_mutex);
UNETDEV_INTERNAL int unetdev__ndo_do_ioctl(struct net_device *dev, struct ifreq *ifr, int cmd)
    UNETDEV_MUST_HOLD(rtnl_mutex);
UNETDEV_INTERNAL void unetdev__ndo_get_stats64(struct net_device *dev, struct rtnl_link_stats64 *s);
UNETDEV_INTERNAL struct net_device_stats *unetdev__ndo_get_stats(struct net_device *dev)
    UNETDEV_MUST_HOLD_SHARED(dev_base_lock);
UNETDEV_INTERNAL int unetdev__ndo_change_carrier(struct net_device *dev, bool on)
    UNETDEV_MUST_HOLD(rtnl_mutex);
UNETDEV_INTERNAL int unetdev__ndo_get_iflink(const struct net_device *dev);
UNETDEV_INTERNAL netdev_features_t unetdev__ndo_fix_features(struct net_device *dev,
							     netdev_features_t f)
    UNETDEV_MUST_HOLD(rtnl_mutex);
UNETDEV_INTERNAL int unetdev__ndo_set_features(struct net_device *dev, netdev_features_t f)
    UNETDEV_MUST_HOLD(rtnl_mutex);
UNETDEV_INTERNAL void unetdev__ndo_tx_timeout(struct net_device *dev, unsigned int txq)
    UNETDEV_MUST_HOLD(dev->tx_global_lock);
/* Datapath: queue lock held unless LLTX, BHs disabled (R-SYNC-5). */
UNETDEV_INTERNAL bool unetdev__ndo_xmit_dead(const struct net_device *dev);
UNETDEV_INTERNAL void unetdev__ndo_xmit_check_ctx(const struct net_device *dev,
						  const struct netdev_queue *txq);
UNETDEV_INTERNAL netdev_tx_t unetdev__ndo_xmit_check_rc(struct sk_buff *skb, struct net_device *dev,
							netdev_tx_t rc);
/* Inline in the transmit path (the packet's hot path); the checks and reports
 * are out of line in ndo.c and run whenever the checker is on. */
/* @me: the caller's unetdev__this_ctx()->token, read once by the caller. */
static UNETDEV_HOT_INLINE netdev_tx_t unetdev__ndo_start_xmit_me(struct sk_buff *skb,
								 struct net_device *dev,
								 struct netdev_queue *txq,
								 bool lltx, unsigned long me)
{
	netdev_tx_t rc;

	/* R-ALLOC-24: no driver op on an unregistered device */
	if (unlikely(READ_ONCE(dev->reg_state) > NETREG_UNREGISTERING) &&
	    unetdev__ndo_xmit_dead(dev)) {
		kfree_skb(skb);
		return NETDEV_TX_OK;
	}
	if (unetdev__check_enabled() &&
	    unlikely((!lltx && __atomic_load_n(&txq->_xmit_lock.owner, __ATOMIC_RELAXED) != me) ||
		     !unetdev__in_softirq()))
		unetdev__ndo_xmit_check_ctx(dev, txq);
	rc = dev->netdev_ops->ndo_start_xmit(skb, dev);
	if (unlikely(rc != NETDEV_TX_OK))
		rc = unetdev__ndo_xmit_check_rc(skb, dev, rc);
	return rc;
}

static UNETDEV_HOT_INLINE netdev_tx_t unetdev__ndo_start_xmit_lltx(struct sk_buff *skb,
								   struct net_device *dev,
								   struct netdev_queue *txq,
								   bool lltx)
{
	return unetdev__ndo_start_xmit_me(skb, dev, txq, lltx, unetdev__this_ctx()->token);
}

/* The same with @lltx read here (netif_is_lltx). */
static UNETDEV_HOT_INLINE netdev_tx_t unetdev__ndo_start_xmit(struct sk_buff *skb,
							      struct net_device *dev,
							      struct netdev_queue *txq)
{
	return unetdev__ndo_start_xmit_lltx(skb, dev, txq, netif_is_lltx(dev));
}
UNETDEV_INTERNAL u16 unetdev__ndo_select_queue(struct net_device *dev, struct sk_buff *skb);
/* R-TX-8: the driver's per-skb feature mask; @features unchanged when the op is NULL. */
UNETDEV_INTERNAL netdev_features_t unetdev__ndo_features_check(struct sk_buff *skb,
							       struct net_device *dev,
							       netdev_features_t features);

/* Master devices (do_set_master): -EOPNOTSUPP when the op is NULL. */
UNETDEV_INTERNAL int unetdev__ndo_add_slave(struct net_device *dev, struct net_device *slave,
					    struct netlink_ext_ack *extack)
    UNETDEV_MUST_HOLD(rtnl_mutex);
UNETDEV_INTERNAL int unetdev__ndo_del_slave(struct net_device *dev, struct net_device *slave)
    UNETDEV_MUST_HOLD(rtnl_mutex);

/* True when the op table has the member (NULL-safe). */
#define ndo_has(dev, op) ((dev)->netdev_ops && (dev)->netdev_ops->op)

#endif
