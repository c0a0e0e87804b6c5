// SPDX-License-Identifier: MIT
/*
 * mod_dummy.c - a driver module built as a shared object for the R-ALLOC-24
 * tests (tests/conformance/module.c). Its init registers "moddummy0" whose
 * ops table and priv_destructor live in this object; its exit unregisters
 * and frees the device. Once the loader has dlclose()d the object, nothing
 * may call into it even though the device memory can outlive it.
 *
 * It also registers the link kind "moddummy" (rtnl_link_ops in this object),
 * so that a daemon can create devices of it; exit unregisters the kind, which
 * deletes those devices (tests/daemon/module.c).
 *
 * Set UNETDEV_MOD_DUMMY_FAIL_INIT=1 to make init fail with -ENODEV.
 */
#include <stdlib.h>

#include <unetdev/etherdevice.h>
#include <unetdev/module.h>
#include <unetdev/netdevice.h>
#include <unetdev/rtnl_link.h>

static struct net_device *moddummy_dev;

/* Consumes @skb. */
static netdev_tx_t moddummy_xmit(struct sk_buff *skb, struct net_device *dev)
{
	dev->stats.tx_packets++;
	dev->stats.tx_bytes += skb->len;
	consume_skb(skb);
	return NETDEV_TX_OK;
}

static const struct net_device_ops moddummy_ops = {
    .ndo_start_xmit = moddummy_xmit,
    .ndo_set_mac_address = eth_mac_addr,
};

static void moddummy_destructor(struct net_device *dev)
{
	/* Runs before exit returns: the todo list completes in unregister_netdev. */
}

static void moddummy_setup(struct net_device *dev)
{
	ether_setup(dev);
	dev->netdev_ops = &moddummy_ops;
	dev->priv_destructor = moddummy_destructor;
}

/* Context: rtnl held (rtnl_newlink). */
static int moddummy_newlink(struct net *src_net, struct net_device *dev, struct nlattr *tb[],
			    struct nlattr *data[], struct netlink_ext_ack *extack)
    UNETDEV_MUST_HOLD(rtnl_mutex)
{
	return register_netdevice(dev);
}

static struct rtnl_link_ops moddummy_link_ops = {
    .kind = "moddummy",
    .setup = moddummy_setup,
    .newlink = moddummy_newlink,
};

static int moddummy_init(void)
{
	const char *fail = getenv("UNETDEV_MOD_DUMMY_FAIL_INIT"); // NOLINT(concurrency-mt-unsafe)
	int err;

	if (fail && *fail == '1')
		return -ENODEV;
	moddummy_dev = alloc_netdev(0, "moddummy0", NET_NAME_USER, moddummy_setup);
	if (!moddummy_dev)
		return -ENOMEM;
	err = register_netdev(moddummy_dev);
	if (err) {
		free_netdev(moddummy_dev);
		moddummy_dev = NULL;
		return err;
	}
	err = rtnl_link_register(&moddummy_link_ops);
	if (err) {
		unregister_netdev(moddummy_dev);
		free_netdev(moddummy_dev);
		moddummy_dev = NULL;
	}
	return err;
}

static void moddummy_exit(void)
{
	rtnl_link_unregister(&moddummy_link_ops); /* deletes the devices of the kind */
	unregister_netdev(moddummy_dev);
	free_netdev(moddummy_dev);
	moddummy_dev = NULL;
}

module_init(moddummy_init);
module_exit(moddummy_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("unetdev test module: one Ethernet device");
