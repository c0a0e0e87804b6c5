// SPDX-License-Identifier: MIT
/*
 * Conformance: MTU, frame sizes and queue limits (R-MTU-1..17).
 *
 * Devices are recording test drivers (Ethernet: mtu 1500, min 68, max 1500)
 * unless a rule needs a particular driver; a capturing notifier checks the
 * exact PRECHANGEMTU / CHANGEMTU sequences and the MTU each one carries.
 */
#include <limits.h>
#include <netinet/in.h>
#include <unetdev/checksum.h>
#include <unetdev/unetdev.h>

#include "harness.h"
#include "netdev_util.h"

/* ---- devices ---- */

static int set_mtu(struct net_device *dev, int mtu)
{
	int err;

	rtnl_lock();
	err = dev_set_mtu(dev, mtu);
	rtnl_unlock();
	return err;
}

static void dev_up(struct net_device *dev)
{
	int err;

	rtnl_lock();
	err = dev_open(dev, NULL);
	rtnl_unlock();
	ASSERT_EQ(err, 0);
}

/* ---- a notifier recording MTU events for one device ---- */

#define MAX_EV 32
static struct {
	unsigned long ev;
	u32 mtu; /* the extended info of PRECHANGEMTU / CHANGEMTU */
} evs[MAX_EV];
static int nev;
static struct net_device *watched;
static unsigned long veto_event;
static int veto_err;

static int rec_cb(struct notifier_block *nb, unsigned long event, void *ptr)
{
	if (netdev_notifier_info_to_dev(ptr) != watched)
		return NOTIFY_DONE;
	if (nev < MAX_EV) {
		evs[nev].ev = event;
		if (event == NETDEV_PRECHANGEMTU || event == NETDEV_CHANGEMTU)
			evs[nev].mtu = ((struct netdev_notifier_info_ext *)ptr)->ext.mtu;
		nev++;
	}
	if (event == veto_event)
		return notifier_from_errno(veto_err);
	return NOTIFY_DONE;
}

static struct notifier_block rec_nb = {.notifier_call = rec_cb};

static void rec_start(struct net_device *dev)
{
	watched = dev;
	veto_event = 0;
	ASSERT_EQ(register_netdevice_notifier(&rec_nb), 0);
	nev = 0;
}

static void rec_stop(void)
{
	veto_event = 0;
	ASSERT_EQ(unregister_netdevice_notifier(&rec_nb), 0);
	watched = NULL;
}

static int ev_count(unsigned long ev)
{
	int n = 0;

	for (int i = 0; i < nev; i++)
		n += evs[i].ev == ev;
	return n;
}

/* ---- R-MTU-1 .. 3: frame sizes ---- */

TEST(r_mtu_1_ethernet_mtu_excludes_link_header)
{
	struct net_device *dev = alloc_etherdev(0);

	ASSERT_NOT_NULL(dev);
	ASSERT_EQ(dev->mtu, ETH_DATA_LEN);
	ASSERT_EQ(dev->hard_header_len, ETH_HLEN);
	ASSERT_EQ(dev->mtu + dev->hard_header_len, ETH_FRAME_LEN); /* 1514 */
	ASSERT_EQ(dev->mtu + dev->hard_header_len + VLAN_HLEN, 1518);
	free_netdev(dev);
}

TEST(r_mtu_2_rx_accepts_mtu_plus_header_plus_vlan)
{
	struct net_device *dev = alloc_etherdev(0);
	struct rtnl_link_stats64 s;

	ASSERT_NOT_NULL(dev);
	ASSERT_TRUE(netdev_rx_frame_fits(dev, 1518));
	ASSERT_FALSE(netdev_rx_frame_fits(dev, 1519)); /* dropping is preferred */
	dev->mtu = 9000;
	ASSERT_TRUE(netdev_rx_frame_fits(dev, 9018));
	ASSERT_FALSE(netdev_rx_frame_fits(dev, 9019));
	dev_get_stats(dev, &s);
	ASSERT_UEQ(s.rx_length_errors, 2);
	ASSERT_UEQ(s.rx_errors, 2);
	free_netdev(dev);
}

TEST(r_mtu_3_gso_skb_may_exceed_mtu)
{
	struct net_device *dev = tu_td_new("mtu%d", NULL, false);
	struct sk_buff *skb = alloc_skb(4000, GFP_KERNEL);

	ASSERT_NOT_NULL(skb);
	dev_up(dev);
	skb_put(skb, 3000);
	ASSERT_FALSE(is_skb_forwardable(dev, skb));
	skb_shinfo(skb)->gso_size = 1448;
	skb_shinfo(skb)->gso_segs = 3;
	ASSERT_TRUE(is_skb_forwardable(dev, skb));
	kfree_skb(skb);
	tu_del(dev);
}

/* ---- R-MTU-4 .. 11: dev_set_mtu ---- */

TEST(r_mtu_4_same_mtu_no_notifier_no_driver_call)
{
	struct net_device *dev = tu_td_new("mtu%d", NULL, false);

	rec_start(dev);
	ASSERT_EQ(set_mtu(dev, 1500), 0);
	ASSERT_EQ(nev, 0);
	ASSERT_EQ(unetdev_testdrv_count(dev, "ndo_change_mtu"), 0);
	rec_stop();
	tu_del(dev);
}

TEST(r_mtu_5_below_min_is_einval)
{
	struct net_device *dev = tu_td_new("mtu%d", NULL, false);
	struct netlink_ext_ack extack = {0};

	rec_start(dev);
	ASSERT_EQ(set_mtu(dev, 67), -EINVAL);
	ASSERT_EQ(set_mtu(dev, -1), -EINVAL);
	rtnl_lock();
	ASSERT_EQ(dev_set_mtu_ext(dev, 10, &extack), -EINVAL);
	rtnl_unlock();
	ASSERT_NOT_NULL(extack._msg);
	ASSERT_STR_EQ(extack._msg, "mtu less than device minimum");
	ASSERT_EQ(dev->mtu, 1500);
	ASSERT_EQ(nev, 0);
	ASSERT_EQ(unetdev_testdrv_count(dev, "ndo_change_mtu"), 0);
	ASSERT_EQ(set_mtu(dev, 68), 0); /* the minimum itself is fine */
	ASSERT_EQ(dev->mtu, 68);
	rec_stop();
	tu_del(dev);
}

TEST(r_mtu_6_above_max_is_einval_zero_max_unbounded)
{
	struct net_device *dev = tu_td_new("mtu%d", NULL, false);
	struct netlink_ext_ack extack = {0};

	rtnl_lock();
	ASSERT_EQ(dev_set_mtu_ext(dev, 1501, &extack), -EINVAL);
	rtnl_unlock();
	ASSERT_STR_EQ(extack._msg, "mtu greater than device maximum");
	ASSERT_EQ(dev->mtu, 1500);
	ASSERT_EQ(dev_validate_mtu(dev, 1500, NULL), 0);

	dev->max_mtu = 0; /* no upper bound */
	ASSERT_EQ(set_mtu(dev, 65535), 0);
	ASSERT_EQ(dev->mtu, 65535);
	ASSERT_EQ(dev_validate_mtu(dev, INT_MAX, NULL), 0);
	tu_del(dev);
}

TEST(r_mtu_7_range_check_before_presence_check)
{
	struct net_device *dev = tu_td_new("mtu%d", NULL, false);

	netif_device_detach(dev);
	ASSERT_EQ(set_mtu(dev, 10), -EINVAL);
	ASSERT_EQ(set_mtu(dev, 1501), -EINVAL);
	ASSERT_EQ(set_mtu(dev, 1400), -ENODEV);
	ASSERT_EQ(dev->mtu, 1500);
	ASSERT_EQ(unetdev_testdrv_count(dev, "ndo_change_mtu"), 0);
	netif_device_attach(dev);
	ASSERT_EQ(set_mtu(dev, 1400), 0);
	tu_del(dev);
}

TEST(r_mtu_8_prechangemtu_veto)
{
	struct net_device *dev = tu_td_new("mtu%d", NULL, false);

	rec_start(dev);
	veto_event = NETDEV_PRECHANGEMTU;
	veto_err = -EBUSY;
	ASSERT_EQ(set_mtu(dev, 1400), -EBUSY);
	ASSERT_EQ(dev->mtu, 1500);
	ASSERT_EQ(unetdev_testdrv_count(dev, "ndo_change_mtu"), 0);
	ASSERT_EQ(nev, 1);
	ASSERT_EQ(evs[0].ev, NETDEV_PRECHANGEMTU);
	ASSERT_EQ(evs[0].mtu, 1400); /* carries the new MTU */
	rec_stop();
	tu_del(dev);
}

TEST(r_mtu_9_driver_writes_mtu_core_does_not)
{
	struct unetdev_testdrv_config cfg = {.mtu_ignore = true};
	struct net_device *dev = tu_td_new("mtu%d", &cfg, false);

	rec_start(dev);
	ASSERT_EQ(set_mtu(dev, 1400), 0);
	ASSERT_EQ(dev->mtu, 1500); /* the driver chose not to write it */
	ASSERT_EQ(unetdev_testdrv_count(dev, "ndo_change_mtu"), 1);
	ASSERT_EQ(unetdev_testdrv_last(dev, "ndo_change_mtu")->arg, 1400);
	ASSERT_EQ(ev_count(NETDEV_CHANGEMTU), 1);
	rec_stop();
	tu_del(dev);
}

TEST(r_mtu_9_driver_error_returned_no_changemtu)
{
	struct unetdev_testdrv_config cfg = {.change_mtu_ret = -EIO};
	struct net_device *dev = tu_td_new("mtu%d", &cfg, false);

	rec_start(dev);
	ASSERT_EQ(set_mtu(dev, 1400), -EIO);
	ASSERT_EQ(dev->mtu, 1500);
	ASSERT_EQ(ev_count(NETDEV_PRECHANGEMTU), 1);
	ASSERT_EQ(ev_count(NETDEV_CHANGEMTU), 0);
	rec_stop();
	tu_del(dev);
}

TEST(r_mtu_9_without_op_core_writes_mtu)
{
	struct unetdev_testdrv_config cfg = {.no_change_mtu = true};
	struct net_device *dev = tu_td_new("mtu%d", &cfg, false);

	ASSERT_EQ(set_mtu(dev, 1280), 0);
	ASSERT_EQ(dev->mtu, 1280);
	ASSERT_EQ(unetdev_testdrv_count(dev, "ndo_change_mtu"), 0);
	tu_del(dev);
}

TEST(r_mtu_10_changemtu_carries_old_mtu)
{
	struct net_device *dev = tu_td_new("mtu%d", NULL, false);

	rec_start(dev);
	ASSERT_EQ(set_mtu(dev, 1400), 0);
	ASSERT_EQ(dev->mtu, 1400);
	ASSERT_EQ(nev, 2);
	ASSERT_EQ(evs[0].ev, NETDEV_PRECHANGEMTU);
	ASSERT_EQ(evs[0].mtu, 1400);
	ASSERT_EQ(evs[1].ev, NETDEV_CHANGEMTU);
	ASSERT_EQ(evs[1].mtu, 1500); /* the old MTU */
	rec_stop();
	tu_del(dev);
}

TEST(r_mtu_10_changemtu_veto_restores_and_renotifies)
{
	struct net_device *dev = tu_td_new("mtu%d", NULL, false);

	rec_start(dev);
	veto_event = NETDEV_CHANGEMTU;
	veto_err = -ERANGE;
	ASSERT_EQ(set_mtu(dev, 1400), -ERANGE);
	ASSERT_EQ(dev->mtu, 1500);
	/* The driver set the new value, then the old one back. */
	ASSERT_EQ(unetdev_testdrv_count(dev, "ndo_change_mtu"), 2);
	ASSERT_EQ(unetdev_testdrv_call(dev, 0)->arg, 1400);
	ASSERT_EQ(unetdev_testdrv_call(dev, 1)->arg, 1500);
	ASSERT_EQ(nev, 3);
	ASSERT_EQ(evs[0].ev, NETDEV_PRECHANGEMTU);
	ASSERT_EQ(evs[1].ev, NETDEV_CHANGEMTU);
	ASSERT_EQ(evs[1].mtu, 1500);
	ASSERT_EQ(evs[2].ev, NETDEV_CHANGEMTU);
	ASSERT_EQ(evs[2].mtu, 1400); /* the rejected value */
	rec_stop();
	tu_del(dev);
}

static char log_lines[4][256];
static int nlog;

static void log_cap(int level, const char *line, void *ctx)
{
	if (strstr(line, "mtu") && nlog < 4)
		snprintf(log_lines[nlog++], sizeof(log_lines[0]), "%s", line);
}

TEST(r_mtu_11_failure_logged_ratelimited)
{
	struct net_device *dev = tu_td_new("mtu%d", NULL, false);
	char want[64];

	unetdev_log_set_fn(log_cap, NULL);
	ASSERT_EQ(set_mtu(dev, 10), -EINVAL);
	ASSERT_EQ(set_mtu(dev, 20), -EINVAL); /* within the same second: suppressed */
	unetdev_log_set_fn(NULL, NULL);
	ASSERT_EQ(nlog, 1);
	snprintf(want, sizeof(want), "%s: mtu less than device minimum", dev->name);
	ASSERT_STR_EQ(log_lines[0], want);
	tu_del(dev);
}

/* ---- R-MTU-12: the 2013 driver-side check ---- */

static netdev_tx_t e13_xmit(struct sk_buff *skb, struct net_device *dev)
{
	consume_skb(skb);
	return NETDEV_TX_OK;
}

static const struct net_device_ops e13_ops = {
    .ndo_start_xmit = e13_xmit,
    .ndo_change_mtu = eth_change_mtu,
};

/* A 2013 Ethernet driver: no central bounds, eth_change_mtu enforces them. */
static void e13_setup(struct net_device *dev)
{
	ether_setup(dev);
	dev->min_mtu = 0;
	dev->max_mtu = 0;
	dev->netdev_ops = &e13_ops;
}

TEST(r_mtu_12_eth_change_mtu_enforces_68_to_1500)
{
	struct net_device *dev = alloc_netdev(0, "e13_%d", NET_NAME_USER, e13_setup);

	ASSERT_NOT_NULL(dev);
	ASSERT_EQ(register_netdev(dev), 0);
	ASSERT_EQ(set_mtu(dev, -1), -EINVAL); /* the 2013 core rejected negatives itself */
	ASSERT_EQ(set_mtu(dev, 67), -EINVAL); /* the driver refuses */
	ASSERT_EQ(set_mtu(dev, 1501), -EINVAL);
	ASSERT_EQ(dev->mtu, 1500);
	ASSERT_EQ(set_mtu(dev, 68), 0);
	ASSERT_EQ(dev->mtu, 68);
	ASSERT_EQ(set_mtu(dev, 576), 0);
	ASSERT_EQ(dev->mtu, 576);
	ASSERT_EQ(ETH_MIN_MTU, 68);
	ASSERT_EQ(ETH_MAX_MTU, 65535);
	unregister_netdev(dev);
	free_netdev(dev);
}

/* ---- R-MTU-13 .. 17 ---- */

TEST(r_mtu_13_is_skb_forwardable)
{
	struct net_device *dev = tu_td_new("mtu%d", NULL, false);
	struct sk_buff *skb = alloc_skb(2048, GFP_KERNEL);

	struct sk_buff *fwd = alloc_skb(128, GFP_KERNEL);
	struct rtnl_link_stats64 s;

	ASSERT_NOT_NULL(skb);
	ASSERT_NOT_NULL(fwd);
	skb_put(skb, 100);
	ASSERT_FALSE(is_skb_forwardable(dev, skb)); /* target not IFF_UP */
	skb_put(fwd, 60);
	ASSERT_EQ(dev_forward_skb(dev, fwd), NET_RX_DROP); /* dropped and counted */
	dev_get_stats(dev, &s);
	ASSERT_UEQ(s.rx_dropped, 1);
	dev_up(dev);
	ASSERT_TRUE(is_skb_forwardable(dev, skb));
	skb_put(skb, 1418); /* 1518 = mtu + hard_header_len + VLAN_HLEN */
	ASSERT_TRUE(is_skb_forwardable(dev, skb));
	skb_put(skb, 1);
	ASSERT_FALSE(is_skb_forwardable(dev, skb));
	skb_shinfo(skb)->gso_size = 1000;
	ASSERT_TRUE(is_skb_forwardable(dev, skb)); /* GSO: length does not matter */
	kfree_skb(skb);
	tu_del(dev);
}

/* R-MTU-14: a local driver that records whether each skb it gets is GSO. */
static int m14_gso, m14_plain;

static netdev_tx_t m14_xmit(struct sk_buff *skb, struct net_device *dev)
{
	if (skb_is_gso(skb))
		m14_gso++;
	else
		m14_plain++;
	consume_skb(skb);
	return NETDEV_TX_OK;
}

static const struct net_device_ops m14_ops = {.ndo_start_xmit = m14_xmit};

static void m14_setup(struct net_device *dev)
{
	ether_setup(dev);
	dev->netdev_ops = &m14_ops;
}

static void m14_put16(unsigned char *p, unsigned int v)
{
	p[0] = (unsigned char)(v >> 8);
	p[1] = (unsigned char)v;
}

/* Ethernet + IPv4 + TCP with @payload bytes, GSO in @mss segments, CHECKSUM_PARTIAL. */
static struct sk_buff *m14_tcp4(struct net_device *dev, unsigned int payload, unsigned int mss)
{
	unsigned int l3 = 40 + payload, total = ETH_HLEN + l3;
	struct sk_buff *skb = alloc_skb(NET_SKB_PAD + total, GFP_ATOMIC);
	unsigned char *p, *ip;
	u32 saddr, daddr;
	__sum16 sum;

	ASSERT_NOT_NULL(skb);
	skb_reserve(skb, NET_SKB_PAD);
	p = skb_put(skb, total);
	memset(p, 0, total);
	m14_put16(p + 12, ETH_P_IP);
	ip = p + ETH_HLEN;
	ip[0] = 0x45;
	m14_put16(ip + 2, l3);
	m14_put16(ip + 6, 0x4000); /* DF */
	ip[8] = 64;
	ip[9] = 6; /* TCP */
	memcpy(ip + 12, "\x0a\x00\x00\x01\x0a\x00\x00\x02", 8);
	sum = ip_fast_csum(ip, 5);
	memcpy(ip + 10, &sum, 2);
	ip[20 + 12] = 5 << 4;
	ip[20 + 13] = 0x10;
	memcpy(&saddr, ip + 12, 4);
	memcpy(&daddr, ip + 16, 4);
	sum = (__sum16)~csum_tcpudp_magic(saddr, daddr, 20 + payload, 6, 0);
	memcpy(ip + 20 + 16, &sum, 2);
	skb->dev = dev;
	skb->protocol = htons(ETH_P_IP);
	skb->network_header = (u16)(skb->data - skb->head + ETH_HLEN);
	skb->transport_header = (u16)(skb->network_header + 20);
	skb->ip_summed = CHECKSUM_PARTIAL;
	skb->csum_start = skb->transport_header;
	skb->csum_offset = 16;
	skb_shinfo(skb)->gso_size = (unsigned short)mss;
	skb_shinfo(skb)->gso_segs = (unsigned short)((payload + mss - 1) / mss);
	skb_shinfo(skb)->gso_type = SKB_GSO_TCPV4;
	return skb;
}

TEST(r_mtu_14_gso_limits_mask_features)
{
	struct net_device *dev = alloc_netdev(0, "m14", NET_NAME_USER, m14_setup);

	ASSERT_NOT_NULL(dev);
	ASSERT_EQ(register_netdev(dev), 0);
	rtnl_lock();
	ASSERT_EQ(dev_open(dev, NULL), 0);
	rtnl_unlock();
	dev->features |= NETIF_F_SG | NETIF_F_HW_CSUM | NETIF_F_TSO;
	ASSERT_EQ(dev_queue_xmit(m14_tcp4(dev, 4000, 1000)), NET_XMIT_SUCCESS);
	ASSERT_EQ(m14_gso, 1); /* within the limits: the device segments */
	dev->gso_max_segs = 3;
	ASSERT_EQ(dev_queue_xmit(m14_tcp4(dev, 4000, 1000)), NET_XMIT_SUCCESS);
	ASSERT_EQ(m14_gso, 1); /* 4 segments > gso_max_segs: software GSO */
	ASSERT_EQ(m14_plain, 4);
	dev->gso_max_segs = GSO_MAX_SEGS;
	dev->gso_ipv4_max_size = 4000; /* IPv4 uses gso_ipv4_max_size */
	ASSERT_EQ(dev_queue_xmit(m14_tcp4(dev, 4000, 1000)), NET_XMIT_SUCCESS);
	ASSERT_EQ(m14_gso, 1); /* len >= gso_ipv4_max_size */
	ASSERT_EQ(m14_plain, 8);
	unregister_netdev(dev);
	free_netdev(dev);
}

TEST(r_mtu_15_tso_max_lowers_gso_limits)
{
	struct net_device *dev = unetdev_testdrv_alloc("tso%d", 1);

	ASSERT_NOT_NULL(dev);
	netif_set_tso_max_size(dev, 32768);
	ASSERT_EQ(dev->tso_max_size, 32768);
	ASSERT_EQ(dev->gso_max_size, 32768);
	ASSERT_EQ(dev->gso_ipv4_max_size, 32768);
	netif_set_tso_max_size(dev, UINT_MAX);
	ASSERT_UEQ(dev->tso_max_size, GSO_MAX_SIZE); /* min(GSO_MAX_SIZE, size) */
	ASSERT_EQ(dev->gso_max_size, 32768);	     /* only ever lowered */
	netif_set_tso_max_segs(dev, 100);
	ASSERT_EQ(dev->tso_max_segs, 100);
	ASSERT_EQ(dev->gso_max_segs, 100);
	netif_set_tso_max_segs(dev, 1000);
	ASSERT_EQ(dev->gso_max_segs, 100);
	free_netdev(dev);
}

static int set_txqlen(struct net_device *dev, unsigned long len)
{
	int err;

	rtnl_lock();
	err = dev_change_tx_queue_len(dev, len);
	rtnl_unlock();
	return err;
}

TEST(r_mtu_16_tx_queue_len_change)
{
	struct net_device *dev = tu_td_new("mtu%d", NULL, false);

	rec_start(dev);
	if (sizeof(unsigned long) > sizeof(unsigned int))
		ASSERT_EQ(set_txqlen(dev, (unsigned long)UINT_MAX + 1), -ERANGE);
	ASSERT_EQ(set_txqlen(dev, 1000), 0); /* unchanged: nothing happens */
	ASSERT_EQ(nev, 0);
	ASSERT_EQ(set_txqlen(dev, 500), 0);
	ASSERT_EQ(dev->tx_queue_len, 500);
	ASSERT_EQ(ev_count(NETDEV_CHANGE_TX_QUEUE_LEN), 1);

	veto_event = NETDEV_CHANGE_TX_QUEUE_LEN;
	veto_err = -EPERM;
	unetdev_log_set_level(0); /* netdev_err() reports the refusal */
	ASSERT_EQ(set_txqlen(dev, 10), -EPERM);
	ASSERT_EQ(dev->tx_queue_len, 500); /* the old value is restored */
	rec_stop();
	tu_del(dev);
}

TEST(r_mtu_17_real_num_queues_range)
{
	struct net_device *dev = unetdev_testdrv_alloc("rq%d", 4);

	ASSERT_NOT_NULL(dev);
	ASSERT_EQ(netif_set_real_num_tx_queues(dev, 0), -EINVAL);
	ASSERT_EQ(netif_set_real_num_tx_queues(dev, 5), -EINVAL);
	ASSERT_EQ(netif_set_real_num_rx_queues(dev, 0), -EINVAL);
	ASSERT_EQ(netif_set_real_num_rx_queues(dev, 5), -EINVAL);
	ASSERT_EQ(netif_set_real_num_tx_queues(dev, 2), 0); /* before registration: no rtnl */
	ASSERT_EQ(dev->real_num_tx_queues, 2);
	ASSERT_EQ(register_netdev(dev), 0);
	rtnl_lock();
	ASSERT_EQ(netif_set_real_num_tx_queues(dev, 4), 0);
	ASSERT_EQ(netif_set_real_num_rx_queues(dev, 1), 0);
	rtnl_unlock();
	ASSERT_EQ(dev->real_num_tx_queues, 4);
	ASSERT_EQ(dev->real_num_rx_queues, 1);
	tu_del(dev);
}
