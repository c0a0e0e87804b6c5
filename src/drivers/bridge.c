// SPDX-License-Identifier: MIT
/*
 * bridge.c - the learning bridge, modelled on the kernel's net/bridge:
 * br_device.c (the bridge net_device, br_dev_xmit), br_if.c (br_add_if,
 * br_del_if, del_nbp, br_dev_delete), br_input.c (br_handle_frame, the
 * port's rx_handler), br_forward.c (br_forward, br_flood), br_stp_if.c
 * (port enable/disable and the bridge id without STP) and br.c
 * (br_device_event, the notifier). The forwarding database is br_fdb.c.
 *
 * Not here: STP (a port is FORWARDING when the bridge and the port are up and
 * the port is operationally up, DISABLED otherwise), VLAN filtering (every
 * entry has vid 0), multicast snooping (multicast is flooded), netfilter
 * hooks, hairpin mode, MTU auto-adjust, static entries added by the user.
 * Features follow the ports (br_features_recompute), as in br_if.c.
 *
 * Locking (RCU stand-ins):
 *   rtnl      - every change of the port list, the port states, the timer;
 *   port_lock - rwlock; the datapath (rx_handler, ndo_start_xmit) reads the
 *               port list under it, add/del take it for writing, which also
 *               waits for every frame still using a port being removed;
 *   hash_lock - the FDB hash; taken by the datapath (learning, lookup), the
 *               ageing timer (softirq) and the control path (with BHs off).
 * Order: rtnl -> port_lock -> hash_lock. A port's rx_handler itself is
 * removed with netdev_rx_handler_unregister(), whose write lock waits for the
 * receivers still running it.
 */
#include <pthread.h>
#include <string.h>

#include <unetdev/etherdevice.h>
#include <unetdev/gso.h>
#include <unetdev/timer.h>

#include "br_private.h"

static const struct net_device_ops br_netdev_ops;

#define BR_COMMON_FEATURES                                                                         \
	(NETIF_F_SG | NETIF_F_FRAGLIST | NETIF_F_HIGHDMA | NETIF_F_GSO_MASK | NETIF_F_HW_CSUM)

static struct net_bridge *br_of(const struct net_device *dev)
{
	if (!dev || dev->netdev_ops != &br_netdev_ops)
		return NULL;
	return netdev_priv(dev);
}

/* br_port_get_rtnl: the port behind @dev, or NULL. */
static struct net_bridge_port *br_port_get(const struct net_device *dev)
{
	return netif_is_bridge_port(dev) ? READ_ONCE(dev->rx_handler_data) : NULL;
}

/* ---- forwarding (br_forward.c) ---- */

/* should_deliver: not back out of the port it came in on; only a forwarding port. */
static bool should_deliver(const struct net_bridge_port *p, const struct net_device *in)
{
	return p->dev != in && READ_ONCE(p->state) == BR_STATE_FORWARDING;
}

/* br_dev_queue_push_xmit: @skb's data is past the Ethernet header. Consumes @skb. */
static void br_push_xmit(struct net_bridge_port *to, struct sk_buff *skb)
{
	skb->dev = to->dev;
	if (!is_skb_forwardable(to->dev, skb)) {
		kfree_skb_reason(skb, SKB_DROP_REASON_PKT_TOO_BIG);
		return;
	}
	skb_push(skb, ETH_HLEN);
	dev_queue_xmit(skb);
}

/* br_flood: every forwarding port but @in gets a copy; the last one the original.
 * Returns true when @skb was consumed. */
static bool br_flood(struct net_bridge *br, struct sk_buff *skb, const struct net_device *in)
    UNETDEV_MUST_HOLD_SHARED(br->port_lock)
{
	struct net_bridge_port *p, *prev = NULL;
	struct sk_buff *c;

	list_for_each_entry (p, &br->port_list, list) {
		if (!should_deliver(p, in))
			continue;
		if (prev) {
			c = skb_clone(skb, GFP_ATOMIC);
			if (!c) {
				dev_core_stats_tx_dropped_inc(br->dev);
				continue;
			}
			br_push_xmit(prev, c);
		}
		prev = p;
	}
	BR_STAT_INC(br, flooded);
	if (!prev)
		return false;
	br_push_xmit(prev, skb);
	return true;
}

/* ---- input (br_input.c) ---- */

static void br_tstats_add(struct net_device *dev, unsigned int len, bool rx)
{
	struct pcpu_sw_netstats *st = &dev->tstats[smp_processor_id()];

	__atomic_fetch_add(rx ? &st->rx_packets : &st->tx_packets, 1, __ATOMIC_RELAXED);
	__atomic_fetch_add(rx ? &st->rx_bytes : &st->tx_bytes, len, __ATOMIC_RELAXED);
}

/* br_pass_frame_up: deliver to the bridge device's own receive path. Consumes @skb. */
static void br_pass_frame_up(struct net_bridge *br, struct sk_buff *skb)
{
	br_tstats_add(br->dev, skb->len + ETH_HLEN, true);
	BR_STAT_INC(br, local_in);
	skb->dev = br->dev;
	netif_receive_skb(skb);
}

/* br_handle_frame_finish, after learning: forward, flood and/or deliver locally. */
static void br_handle_frame_finish(struct net_bridge *br, struct net_bridge_port *p,
				   struct sk_buff *skb, const unsigned char *dest)
    UNETDEV_MUST_HOLD_SHARED(br->port_lock)
{
	struct net_bridge_port *dst = NULL;
	bool local = false, found;
	struct sk_buff *copy;

	if (is_multicast_ether_addr(dest)) { /* broadcast and multicast: flood + local */
		copy = skb_clone(skb, GFP_ATOMIC);
		if (copy)
			br_pass_frame_up(br, copy);
		if (!br_flood(br, skb, p->dev))
			consume_skb(skb);
		return;
	}
	found = br_fdb_lookup(br, dest, 0, &local, &dst);
	if (found && local) {
		br_pass_frame_up(br, skb);
	} else if (found && dst) {
		if (should_deliver(dst, p->dev)) {
			BR_STAT_INC(br, forwarded);
			br_push_xmit(dst, skb);
		} else {
			BR_STAT_INC(br, dropped);
			kfree_skb(skb);
		}
	} else if (!br_flood(br, skb, p->dev)) { /* unknown unicast */
		kfree_skb(skb);
	}
}

static bool is_link_local_ether_addr(const unsigned char *a)
{
	static const unsigned char base[ETH_ALEN] = {0x01, 0x80, 0xc2, 0x00, 0x00, 0x00};

	return !memcmp(a, base, 5) && (a[5] & 0xf0) == 0;
}

/* br_handle_frame: the rx_handler of every port. Softirq context. */
static rx_handler_result_t br_handle_frame(struct sk_buff **pskb) UNETDEV_NO_TSA
{
	struct sk_buff *skb = *pskb;
	struct net_bridge_port *p = READ_ONCE(skb->dev->rx_handler_data);
	const struct ethhdr *eth = (const struct ethhdr *)skb_mac_header(skb);
	unsigned char dest[ETH_ALEN];
	struct net_bridge *br;

	if (!p || skb->pkt_type == PACKET_LOOPBACK)
		return RX_HANDLER_PASS;
	br = p->br;
	if (!is_valid_ether_addr(eth->h_source)) {
		BR_STAT_INC(br, dropped);
		kfree_skb(skb);
		return RX_HANDLER_CONSUMED;
	}
	memcpy(dest, eth->h_dest, ETH_ALEN);
	if (unlikely(is_link_local_ether_addr(dest)))
		return RX_HANDLER_PASS; /* no STP here: link-local frames stay on the port */
	if (READ_ONCE(p->state) != BR_STATE_FORWARDING) {
		BR_STAT_INC(br, dropped);
		kfree_skb(skb);
		return RX_HANDLER_CONSUMED;
	}
	if (br_addr_is_mine(br, dest))
		skb->pkt_type = PACKET_HOST;
	read_lock(&br->port_lock);
	br_fdb_update(br, p, eth->h_source, 0);
	br_handle_frame_finish(br, p, skb, dest);
	read_unlock(&br->port_lock);
	return RX_HANDLER_CONSUMED;
}

/* ---- the bridge device (br_device.c) ---- */

/* br_dev_xmit: what the host sends on the bridge goes out by the FDB. LLTX. */
static netdev_tx_t br_dev_xmit(struct sk_buff *skb, struct net_device *dev) UNETDEV_NO_TSA
{
	struct net_bridge *br = netdev_priv(dev);
	struct net_bridge_port *dst = NULL;
	unsigned char dest[ETH_ALEN];
	bool local = false;

	br_tstats_add(dev, skb->len, false);
	if (skb->len < ETH_HLEN) {
		dev_core_stats_tx_dropped_inc(dev);
		kfree_skb(skb);
		return NETDEV_TX_OK;
	}
	skb_reset_mac_header(skb);
	memcpy(dest, skb->data, ETH_ALEN);
	skb_pull(skb, ETH_HLEN);
	read_lock(&br->port_lock);
	if (!is_multicast_ether_addr(dest) && br_fdb_lookup(br, dest, 0, &local, &dst) && dst) {
		if (should_deliver(dst, dev)) { /* br_forward; the state may change under us */
			BR_STAT_INC(br, forwarded);
			br_push_xmit(dst, skb);
		} else {
			BR_STAT_INC(br, dropped);
			kfree_skb(skb);
		}
	} else if (!br_flood(br, skb, dev)) {
		kfree_skb(skb);
	}
	read_unlock(&br->port_lock);
	return NETDEV_TX_OK;
}

/* Port state without STP (br_stp_enable_port / br_stp_disable_port). */
static u8 port_target_state(const struct net_bridge_port *p)
{
	if (netif_running(p->br->dev) && netif_running(p->dev) && netif_oper_up(p->dev))
		return BR_STATE_FORWARDING;
	return BR_STATE_DISABLED;
}

/* br_port_carrier_check for every port, then the bridge's carrier: on while
 * any port forwards (br_stp_recalculate / netif_carrier_on in br_stp_if.c). */
static void br_update_ports(struct net_bridge *br) UNETDEV_MUST_HOLD(rtnl_mutex)
{
	struct net_bridge_port *p;
	bool any = false;

	list_for_each_entry (p, &br->port_list, list) {
		u8 st = port_target_state(p);

		if (st != p->state) {
			WRITE_ONCE(p->state, st);
			if (st ==
			    BR_STATE_DISABLED) /* br_stp_disable_port flushes learned entries */
				br_fdb_delete_by_port(br, p, false);
		}
		any |= st == BR_STATE_FORWARDING;
	}
	if (any && !netif_carrier_ok(br->dev))
		netif_carrier_on(br->dev);
	else if (!any && netif_carrier_ok(br->dev))
		netif_carrier_off(br->dev);
}

/* br_stp_recalculate_bridge_id: unless set by the user, the bridge's address is
 * the lowest of its ports' addresses. */
static void br_recalculate_addr(struct net_bridge *br) UNETDEV_MUST_HOLD(rtnl_mutex)
{
	const unsigned char *min = NULL;
	struct net_bridge_port *p;
	struct net_bridge_fdb_entry *f;

	if (br->dev->addr_assign_type == NET_ADDR_SET)
		return;
	list_for_each_entry (p, &br->port_list, list)
		if (!min || memcmp(p->dev->dev_addr, min, ETH_ALEN) < 0)
			min = p->dev->dev_addr;
	if (!min || ether_addr_equal(min, br->dev->dev_addr))
		return;
	spin_lock_bh(&br->hash_lock); /* br_fdb_change_mac_address */
	f = br_fdb_find(br, br->dev->dev_addr, 0);
	if (f && f->is_local && !f->dst)
		br_fdb_delete_local(br, NULL, f);
	br_fdb_insert(br, NULL, min);
	spin_unlock_bh(&br->hash_lock);
	eth_hw_addr_set(br->dev, min);
	br_addr_publish(br);
	br->dev->addr_assign_type = NET_ADDR_STOLEN;
	call_netdevice_notifiers(NETDEV_CHANGEADDR, br->dev);
}

static int br_dev_init(struct net_device *dev) UNETDEV_MUST_HOLD(rtnl_mutex)
{
	struct net_bridge *br = netdev_priv(dev);
	int err;

	br_addr_publish(br);
	spin_lock_bh(&br->hash_lock);
	err = br_fdb_insert(br, NULL, dev->dev_addr);
	spin_unlock_bh(&br->hash_lock);
	return err;
}

static int br_dev_open(struct net_device *dev) UNETDEV_MUST_HOLD(rtnl_mutex)
{
	struct net_bridge *br = netdev_priv(dev);

	netif_start_queue(dev);
	br_update_ports(br);
	mod_timer(&br->gc_timer, jiffies + HZ / 10);
	return 0;
}

static int br_dev_stop(struct net_device *dev) UNETDEV_MUST_HOLD(rtnl_mutex)
{
	struct net_bridge *br = netdev_priv(dev);

	del_timer_sync(&br->gc_timer);
	br_update_ports(br);
	netif_stop_queue(dev);
	return 0;
}

static int br_set_mac_address(struct net_device *dev, void *p) UNETDEV_MUST_HOLD(rtnl_mutex)
{
	struct net_bridge *br = netdev_priv(dev);
	const struct sockaddr_hw *sa = p;
	struct net_bridge_fdb_entry *f;

	if (!is_valid_ether_addr((const u8 *)sa->sa_data))
		return -EADDRNOTAVAIL;
	spin_lock_bh(&br->hash_lock);
	f = br_fdb_find(br, dev->dev_addr, 0);
	if (f && f->is_local && !f->dst)
		br_fdb_delete_local(br, NULL, f);
	br_fdb_insert(br, NULL, (const u8 *)sa->sa_data);
	spin_unlock_bh(&br->hash_lock);
	eth_hw_addr_set(dev, (const u8 *)sa->sa_data);
	br_addr_publish(br);
	return 0;
}

static void br_get_stats64(struct net_device *dev, struct rtnl_link_stats64 *s)
{
	netdev_stats_to_stats64(s, &dev->stats);
	for (int cpu = 0; cpu < UNETDEV_MAX_CPUS; cpu++) {
		const struct pcpu_sw_netstats *t = &dev->tstats[cpu];

		s->rx_packets += __atomic_load_n(&t->rx_packets, __ATOMIC_RELAXED);
		s->rx_bytes += __atomic_load_n(&t->rx_bytes, __ATOMIC_RELAXED);
		s->tx_packets += __atomic_load_n(&t->tx_packets, __ATOMIC_RELAXED);
		s->tx_bytes += __atomic_load_n(&t->tx_bytes, __ATOMIC_RELAXED);
	}
}

/* ---- ports (br_if.c) ---- */

static int find_portno(const struct net_bridge *br)
{
	unsigned char used[BR_MAX_PORTS / 8] = {0};
	const struct net_bridge_port *p;

	used[0] = 1; /* port 0 is reserved */
	list_for_each_entry (p, &br->port_list, list)
		used[p->port_no / 8] |= (unsigned char)(1u << (p->port_no % 8));
	for (int i = 1; i < BR_MAX_PORTS; i++)
		if (!(used[i / 8] & (1u << (i % 8))))
			return i;
	return -EXFULL;
}

static int br_add_if_checks(struct net_device *dev, struct netlink_ext_ack *extack)
    UNETDEV_MUST_HOLD(rtnl_mutex)
{
	/* Don't allow bridging non-ethernet like devices. */
	if ((dev->flags & IFF_LOOPBACK) || dev->type != ARPHRD_ETHER || dev->addr_len != ETH_ALEN ||
	    !is_valid_ether_addr(dev->dev_addr))
		return -EINVAL;
	if (dev->netdev_ops == &br_netdev_ops) { /* no bridging of bridges */
		NL_SET_ERR_MSG(extack, "Can not enslave a bridge to a bridge");
		return -ELOOP;
	}
	if (netdev_master_upper_dev_get(dev))
		return -EBUSY;
	if (dev->priv_flags & IFF_DONT_BRIDGE) {
		NL_SET_ERR_MSG(extack, "Device does not allow enslaving to a bridge");
		return -EOPNOTSUPP;
	}
	return 0;
}

/* br_add_if: the bridge's ndo_add_slave. */
static int br_add_if(struct net_device *brdev, struct net_device *dev,
		     struct netlink_ext_ack *extack) UNETDEV_MUST_HOLD(rtnl_mutex)
{
	struct net_bridge *br = netdev_priv(brdev);
	struct net_bridge_port *p;
	int err, no;

	err = br_add_if_checks(dev, extack);
	if (err)
		return err;
	no = find_portno(br);
	if (no < 0)
		return no;
	p = unetdev__kzalloc(sizeof(*p), "br_port");
	if (!p)
		return -ENOMEM;
	*p = (struct net_bridge_port){.br = br, .dev = dev, .port_no = (u16)no};
	call_netdevice_notifiers(NETDEV_JOIN, dev);
	err = dev_set_promiscuity(dev, 1);
	if (err)
		goto err_free;
	err = netdev_rx_handler_register(dev, br_handle_frame, p);
	if (err)
		goto err_promisc;
	dev->priv_flags |= IFF_BRIDGE_PORT;
	err = netdev_master_upper_dev_link(dev, brdev, NULL, NULL, extack);
	if (err)
		goto err_rx_handler;
	dev_hold(dev);
	write_lock_bh(&br->port_lock);
	list_add_tail(&p->list, &br->port_list);
	write_unlock_bh(&br->port_lock);
	spin_lock_bh(&br->hash_lock);
	err = br_fdb_insert(br, p, dev->dev_addr);
	spin_unlock_bh(&br->hash_lock);
	if (err)
		netdev_err(brdev, "failed insert local address bridge forwarding table");
	br_recalculate_addr(br);
	br_update_ports(br);
	netdev_update_features(brdev);
	return 0;

err_rx_handler:
	dev->priv_flags &= ~IFF_BRIDGE_PORT;
	netdev_rx_handler_unregister(dev);
err_promisc:
	dev_set_promiscuity(dev, -1);
err_free:
	unetdev__kfree(p);
	return err;
}

/* del_nbp, in the kernel's order. */
static void del_nbp(struct net_bridge_port *p) UNETDEV_MUST_HOLD(rtnl_mutex)
{
	struct net_bridge *br = p->br;
	struct net_device *dev = p->dev;

	dev_set_promiscuity(dev, -1);
	WRITE_ONCE(p->state, BR_STATE_DISABLED);
	write_lock_bh(&br->port_lock); /* waits for the frames still using the port */
	list_del(&p->list);
	write_unlock_bh(&br->port_lock);
	netdev_rx_handler_unregister(dev); /* no receiver learns on it any more */
	/* Its FDB entries go under port_lock written: a reader that found @p through
	 * one has finished, and none can find it once the lock is dropped (the
	 * kernel frees the port after an RCU grace period instead). */
	write_lock_bh(&br->port_lock);
	br_fdb_delete_by_port(br, p, true);
	write_unlock_bh(&br->port_lock);
	netdev_upper_dev_unlink(dev, br->dev);
	dev->priv_flags &= ~IFF_BRIDGE_PORT;
	dev_put(dev);
	unetdev__kfree(p);
}

/* br_del_if: the bridge's ndo_del_slave. */
static int br_del_if(struct net_device *brdev, struct net_device *dev) UNETDEV_MUST_HOLD(rtnl_mutex)
{
	struct net_bridge_port *p = br_port_get(dev);
	struct net_bridge *br = netdev_priv(brdev);

	if (!p || p->br != br)
		return -EINVAL;
	del_nbp(p);
	br_recalculate_addr(br);
	br_update_ports(br);
	netdev_update_features(brdev);
	return 0;
}

/* br_dev_delete's port part: unregistering the bridge releases every port. */
static void br_dev_uninit(struct net_device *dev) UNETDEV_MUST_HOLD(rtnl_mutex)
{
	struct net_bridge *br = netdev_priv(dev);
	struct net_bridge_port *p, *n;

	list_for_each_entry_safe (p, n, &br->port_list, list)
		del_nbp(p);
	del_timer_sync(&br->gc_timer);
	br_fdb_delete_by_port(br, NULL, true);
}

static void br_dev_free(struct net_device *dev)
{
	struct net_bridge *br = netdev_priv(dev);

	rwlock_destroy(&br->port_lock);
	spin_lock_destroy(&br->hash_lock);
}

/*
 * br_features_recompute (br_if.c), the bridge's ndo_fix_features: what one
 * port can do (SG, TSO, ...) the bridge offers, checksum offload is kept when
 * any port has it, and TSO always, since a port without it segments in
 * validate_xmit_skb. Without ports the features stay as they are.
 */
static netdev_features_t br_fix_features(struct net_device *dev, netdev_features_t features)
    UNETDEV_MUST_HOLD(rtnl_mutex)
{
	struct net_bridge *br = netdev_priv(dev);
	struct net_bridge_port *p;
	netdev_features_t mask;

	if (list_empty(&br->port_list))
		return features;
	mask = features;
	features &= ~NETIF_F_ONE_FOR_ALL;
	list_for_each_entry (p, &br->port_list, list)
		features = netdev_increment_features(features, p->dev->features, mask);
	return netdev_add_tso_features(features, mask);
}

static const struct net_device_ops br_netdev_ops = {
    .ndo_init = br_dev_init,
    .ndo_uninit = br_dev_uninit,
    .ndo_open = br_dev_open,
    .ndo_stop = br_dev_stop,
    .ndo_start_xmit = br_dev_xmit,
    .ndo_set_mac_address = br_set_mac_address,
    .ndo_get_stats64 = br_get_stats64,
    .ndo_fix_features = br_fix_features,
    .ndo_add_slave = br_add_if,
    .ndo_del_slave = br_del_if,
};

static void br_dev_setup(struct net_device *dev)
{
	struct net_bridge *br = netdev_priv(dev);

	ether_setup(dev);
	eth_hw_addr_random(dev);
	dev->netdev_ops = &br_netdev_ops;
	dev->needs_free_netdev = true;
	dev->priv_destructor = br_dev_free;
	dev->priv_flags |= IFF_EBRIDGE | IFF_NO_QUEUE;
	dev->priv_flags &= ~IFF_TX_SKB_SHARING;
	dev->lltx = true;
	/* the kernel's, without the VLAN tag insertion of its VLAN filtering */
	dev->features = BR_COMMON_FEATURES | NETIF_F_NETNS_LOCAL;
	dev->hw_features = BR_COMMON_FEATURES;
	dev->vlan_features = BR_COMMON_FEATURES;
	dev->pcpu_stat_type = NETDEV_PCPU_STAT_TSTATS;
	dev->max_mtu = ETH_MAX_MTU;
	br->dev = dev;
	rwlock_init(&br->port_lock);
	INIT_LIST_HEAD(&br->port_list);
	spin_lock_init(&br->hash_lock);
	for (int i = 0; i < BR_HASH_SIZE; i++)
		INIT_LIST_HEAD(&br->hash[i]);
	br->ageing_time = (unsigned long)BR_DEFAULT_AGEING_TIME_SEC * HZ;
	timer_setup(&br->gc_timer, br_fdb_cleanup, 0);
	netif_carrier_off(dev); /* on once a port forwards */
}

/* ---- the notifier (br.c: br_device_event) ---- */

static int br_device_event(struct notifier_block *nb, unsigned long event,
			   void *ptr) UNETDEV_NO_TSA /* every netdevice notifier runs under rtnl */
{
	struct net_device *dev = netdev_notifier_info_to_dev(ptr);
	struct net_bridge_port *p = br_port_get(dev);
	struct net_bridge *br;

	if (!p)
		return NOTIFY_DONE;
	br = p->br;
	switch (event) {
	case NETDEV_CHANGEADDR:
		br_fdb_changeaddr(br, p, dev->dev_addr);
		br_recalculate_addr(br);
		break;
	case NETDEV_UP:
	case NETDEV_DOWN:
	case NETDEV_CHANGE:
		br_update_ports(br);
		break;
	case NETDEV_FEAT_CHANGE:
		netdev_update_features(br->dev);
		break;
	case NETDEV_UNREGISTER:
		br_del_if(br->dev, dev);
		break;
	default:
		break;
	}
	return NOTIFY_DONE;
}

static struct notifier_block br_device_notifier = {.notifier_call = br_device_event};
static pthread_mutex_t br_init_lock = PTHREAD_MUTEX_INITIALIZER;
static bool br_notifier_registered;

/* br_init's notifier registration, on first use (built in, never unloaded). */
static int br_init_once(void) UNETDEV_EXCLUDES(rtnl_mutex)
{
	int err = 0;

	pthread_mutex_lock(&br_init_lock);
	if (!br_notifier_registered) {
		err = register_netdevice_notifier(&br_device_notifier);
		br_notifier_registered = !err;
	}
	pthread_mutex_unlock(&br_init_lock);
	return err;
}

/* ---- public ---- */

int unetdev_bridge_create(struct net *net, const char *name, struct net_device **out)
{
	struct net_device *dev;
	int err = br_init_once();

	if (out)
		*out = NULL;
	if (err)
		return err;
	if (name && !dev_valid_name(name) && !strchr(name, '%'))
		return -EINVAL;
	dev = alloc_netdev_mqs(sizeof(struct net_bridge), name ? name : "br%d", NET_NAME_USER,
			       br_dev_setup, 1, 1);
	if (!dev)
		return -ENOMEM;
	if (net)
		dev->nd_net = net; /* dev_net_set */
	rtnl_lock();
	err = register_netdevice(dev);
	rtnl_unlock();
	if (err) {
		free_netdev(dev);
		return err;
	}
	if (out)
		*out = dev;
	return 0;
}

int unetdev_br_set_ageing_time(struct net_device *dev, unsigned long clock_t)
{
	struct net_bridge *br = br_of(dev);

	if (!br)
		return -EINVAL;
	ASSERT_RTNL();
	__atomic_store_n(&br->ageing_time, clock_t * HZ / USER_HZ, __ATOMIC_RELAXED);
	if (netif_running(dev))
		mod_timer(&br->gc_timer, jiffies);
	return 0;
}

unsigned long unetdev_br_get_ageing_time(const struct net_device *dev)
{
	const struct net_bridge *br = br_of(dev);

	return br ? br_hold_time(br) * USER_HZ / HZ : 0;
}

int unetdev_br_port_state(struct net_device *dev)
{
	struct net_bridge_port *p;

	ASSERT_RTNL();
	p = br_port_get(dev);
	return p ? p->state : -ENODEV;
}

int unetdev_br_get_stats(const struct net_device *dev, struct unetdev_br_stats *st)
{
	const struct net_bridge *br = br_of(dev);

	if (!br)
		return -EINVAL;
	st->learned = __atomic_load_n(&br->st.learned, __ATOMIC_RELAXED);
	st->aged = __atomic_load_n(&br->st.aged, __ATOMIC_RELAXED);
	st->forwarded = __atomic_load_n(&br->st.forwarded, __ATOMIC_RELAXED);
	st->flooded = __atomic_load_n(&br->st.flooded, __ATOMIC_RELAXED);
	st->local_in = __atomic_load_n(&br->st.local_in, __ATOMIC_RELAXED);
	st->dropped = __atomic_load_n(&br->st.dropped, __ATOMIC_RELAXED);
	return 0;
}
