// SPDX-License-Identifier: MIT
/*
 * dev_mtu.c - MTU, tx_queue_len, MAC address and carrier changes (kernel
 * net/core/dev.c: dev_validate_mtu, dev_set_mtu_ext, dev_set_mtu,
 * dev_change_tx_queue_len, dev_set_mac_address, dev_change_carrier,
 * is_skb_forwardable). Rules R-MTU-2, R-MTU-4..11, R-MTU-13, R-MTU-16,
 * R-ADDR-12, R-LINK-12.
 *
 * Each change follows the DPDK/kernel order: validate, check presence, let
 * the notifier chain veto, call the driver through its wrapper, commit or
 * roll back.
 */
#include <string.h>

#include "internal.h"
#include "ndo.h"

/* R-MTU-5/6: the central range check (≈v4.10). max_mtu 0 means "no upper bound". */
int dev_validate_mtu(struct net_device *dev, int new_mtu, struct netlink_ext_ack *extack)
{
	if (new_mtu < 0 || (unsigned int)new_mtu < dev->min_mtu) {
		NL_SET_ERR_MSG(extack, "mtu less than device minimum");
		return -EINVAL;
	}
	if (dev->max_mtu > 0 && (unsigned int)new_mtu > dev->max_mtu) {
		NL_SET_ERR_MSG(extack, "mtu greater than device maximum");
		return -EINVAL;
	}
	return 0;
}

/*
 * __dev_set_mtu: the wrapper writes dev->mtu only when the driver has no
 * ndo_change_mtu; a driver that has one must write it itself (R-MTU-9).
 */
static int __dev_set_mtu(struct net_device *dev, int new_mtu) UNETDEV_MUST_HOLD(rtnl_mutex)
{
	return unetdev__ndo_change_mtu(dev, new_mtu);
}

/* An MTU notification carrying @mtu in the extended info; the veto as an errno. */
static int mtu_notify(struct net_device *dev, unsigned long event, int mtu)
    UNETDEV_MUST_HOLD(rtnl_mutex)
{
	return notifier_to_errno(unetdev__call_notifiers_mtu(event, dev, (u32)mtu));
}

int dev_set_mtu_ext(struct net_device *dev, int new_mtu, struct netlink_ext_ack *extack)
{
	int err, orig_mtu;

	ASSERT_RTNL();
	if ((unsigned int)new_mtu == dev->mtu && new_mtu >= 0)
		return 0; /* R-MTU-4: no notifier, no driver call */

	/* R-MTU-7: the range check comes before the presence check. */
	err = dev_validate_mtu(dev, new_mtu, extack);
	if (err)
		return err;
	if (!netif_device_present(dev))
		return -ENODEV;

	/* R-MTU-8: a PRECHANGEMTU veto leaves everything untouched. */
	err = mtu_notify(dev, NETDEV_PRECHANGEMTU, new_mtu);
	if (err)
		return err;

	orig_mtu = (int)dev->mtu;
	err = __dev_set_mtu(dev, new_mtu);
	if (err)
		return err; /* R-MTU-9: driver error, no CHANGEMTU */

	/* R-MTU-10: CHANGEMTU carries the old MTU. */
	err = mtu_notify(dev, NETDEV_CHANGEMTU, orig_mtu);
	if (err) {
		/* Set the MTU back and tell everyone again (carrying the
		 * rejected value) so that they can revert their changes. */
		__dev_set_mtu(dev, orig_mtu);
		mtu_notify(dev, NETDEV_CHANGEMTU, new_mtu);
	}
	return err;
}

int dev_set_mtu(struct net_device *dev, int new_mtu)
{
	struct netlink_ext_ack extack = {0};
	int err;

	err = dev_set_mtu_ext(dev, new_mtu, &extack);
	if (err && extack._msg) /* R-MTU-11: net_err_ratelimited() */
		unetdev__log_ratelimited(3, "%s: %s", dev->name, extack._msg);
	return err;
}

/* R-MTU-16: the qdiscs' rings follow tx_queue_len (sch_generic.c). */
static int dev_qdisc_change_tx_queue_len(struct net_device *dev) UNETDEV_MUST_HOLD(rtnl_mutex)
{
	return unetdev__dev_qdisc_change_tx_queue_len(dev);
}

int dev_change_tx_queue_len(struct net_device *dev, unsigned long new_len)
{
	unsigned int orig_len = dev->tx_queue_len;
	int res;

	ASSERT_RTNL();
	if (new_len != (unsigned int)new_len)
		return -ERANGE;
	if (new_len == orig_len)
		return 0;

	WRITE_ONCE(dev->tx_queue_len, (unsigned int)new_len);
	res = notifier_to_errno(call_netdevice_notifiers(NETDEV_CHANGE_TX_QUEUE_LEN, dev));
	if (res)
		goto err_rollback;
	res = dev_qdisc_change_tx_queue_len(dev);
	if (res)
		goto err_rollback;
	return 0;

err_rollback:
	netdev_err(dev, "refused to change device tx_queue_len");
	WRITE_ONCE(dev->tx_queue_len, orig_len);
	return res;
}

/* NETDEV_PRE_CHANGEADDR: lets listeners veto an address before it is set. */
int unetdev__dev_pre_changeaddr_notify(struct net_device *dev, const unsigned char *addr,
				       struct netlink_ext_ack *extack)
{
	struct netdev_notifier_pre_changeaddr_info info = {
	    .info.dev = dev,
	    .info.extack = extack,
	    .dev_addr = addr,
	};

	return notifier_to_errno(call_netdevice_notifiers_info(NETDEV_PRE_CHANGEADDR, &info.info));
}

/* R-ADDR-12, in the kernel's order of checks. */
int dev_set_mac_address(struct net_device *dev, const struct sockaddr_hw *sa,
			struct netlink_ext_ack *extack)
{
	int err;

	ASSERT_RTNL();
	if (!ndo_has(dev, ndo_set_mac_address))
		return -EOPNOTSUPP;
	if (sa->sa_family != dev->type)
		return -EINVAL;
	if (!netif_device_present(dev))
		return -ENODEV;
	err = unetdev__dev_pre_changeaddr_notify(dev, sa->sa_data, extack);
	if (err)
		return err;
	/* The driver is only bothered when the address really changes. */
	if (memcmp(dev->dev_addr, sa->sa_data, dev->addr_len) != 0) {
		err = unetdev__ndo_set_mac_address(dev, (void *)sa);
		if (err)
			return err;
	}
	dev->addr_assign_type = NET_ADDR_SET;
	call_netdevice_notifiers(NETDEV_CHANGEADDR, dev);
	return 0;
}

/* R-LINK-12: soft devices only; the op decides what carrier means. */
int dev_change_carrier(struct net_device *dev, bool new_carrier)
{
	ASSERT_RTNL();
	if (!ndo_has(dev, ndo_change_carrier))
		return -EOPNOTSUPP;
	if (!netif_device_present(dev))
		return -ENODEV;
	return unetdev__ndo_change_carrier(dev, new_carrier);
}

/*
 * R-MTU-2: the kernel leaves oversize receive handling to drivers and
 * prefers dropping; this is the helper they use. MTU + link header + one
 * VLAN tag must fit (1518 bytes for Ethernet at MTU 1500).
 */
bool netdev_rx_frame_fits(struct net_device *dev, unsigned int len)
{
	unsigned long limit = (unsigned long)READ_ONCE(dev->mtu) + dev->hard_header_len + VLAN_HLEN;

	if (likely(len <= limit))
		return true;
	__atomic_fetch_add(&dev->core_stats[smp_processor_id()].rx_length_errors, 1,
			   __ATOMIC_RELAXED);
	return false;
}

/* R-MTU-13: __is_skb_forwardable(dev, skb, check_mtu = true). */
bool is_skb_forwardable(const struct net_device *dev, const struct sk_buff *skb)
{
	unsigned long len;

	if (!(READ_ONCE(dev->flags) & IFF_UP))
		return false;
	len = (unsigned long)READ_ONCE(dev->mtu) + dev->hard_header_len + VLAN_HLEN;
	if (skb->len <= len)
		return true;
	/* A GSO skb is segmented later, so its total length does not matter. */
	return skb_is_gso(skb);
}
