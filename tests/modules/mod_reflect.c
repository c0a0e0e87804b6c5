// SPDX-License-Identifier: MIT
/*
 * mod_reflect.c - a driver module for the capture tests (tests/daemon/
 * capture.c): every device whose name starts with "refl" gets an rx_handler
 * that sends each received frame of ethertype 0x88b5 (IEEE local
 * experimental) back out of the same device, unchanged; others are dropped.
 * So a pcap device "refl0" reading a capture file transmits the same frames,
 * and a capture on it sees each frame twice: received, then sent.
 */
#include <arpa/inet.h>
#include <string.h>

#include <unetdev/module.h>
#include <unetdev/netdevice.h>
#include <unetdev/rtnetlink.h>

/* Consumes *@pskb: a private copy, from its MAC header, goes out again. */
static rx_handler_result_t reflect_rx(struct sk_buff **pskb)
{
	struct sk_buff *skb = *pskb, *out;
	const unsigned char *mac = skb_mac_header(skb);
	unsigned int len = (unsigned int)(skb->data - mac) + skb->len;

	out = skb->protocol == htons(0x88b5) ? alloc_skb(len, GFP_ATOMIC) : NULL;
	if (out) {
		skb_put_data(out, mac, len);
		out->dev = skb->dev;
		dev_queue_xmit(out);
	}
	consume_skb(skb);
	return RX_HANDLER_CONSUMED;
}

static int reflect_event(struct notifier_block *nb, unsigned long event, void *ptr)
    UNETDEV_MUST_HOLD(rtnl_mutex)
{
	struct net_device *dev = netdev_notifier_info_to_dev(ptr);

	if (strncmp(dev->name, "refl", 4) != 0)
		return NOTIFY_DONE;
	if (event == NETDEV_REGISTER)
		netdev_rx_handler_register(dev, reflect_rx, NULL);
	else if (event == NETDEV_UNREGISTER && dev->rx_handler == reflect_rx)
		netdev_rx_handler_unregister(dev);
	return NOTIFY_DONE;
}

static struct notifier_block reflect_nb = {.notifier_call = reflect_event};

static int reflect_init(void)
{
	return register_netdevice_notifier(&reflect_nb);
}

/* Nothing may call into this object once it is unmapped. */
static void reflect_exit(void)
{
	struct net_device *dev;

	unregister_netdevice_notifier(&reflect_nb);
	rtnl_lock();
	for_each_netdev (&init_net, dev)
		if (dev->rx_handler == reflect_rx)
			netdev_rx_handler_unregister(dev);
	rtnl_unlock();
}

module_init(reflect_init);
module_exit(reflect_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("unetdev test module: refl* devices send back what they receive");
