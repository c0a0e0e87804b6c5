// SPDX-License-Identifier: MIT
/*
 * rx.c - receive dispatch (kernel net/core/dev.c: __netif_receive_skb_core,
 * netif_receive_skb, netif_receive_skb_list, deliver_skb,
 * deliver_ptype_list_skb, dev_add_pack, dev_remove_pack,
 * netdev_rx_handler_register, netif_rx, dev_forward_skb, dev_queue_xmit_nit;
 * net/core/skbuff.c skb_vlan_untag; net/8021q/vlan_core.c). Rules R-RX-1..9,
 * R-BL-1/2, R-STAT-5, R-MTU-13, R-TX-12, R-K-20.
 *
 * netif_rx() queues to the calling thread's per-CPU backlog (napi.c); the
 * backlog NAPI, driver NAPIs (through GRO's delivery batch) and direct
 * callers reach __netif_receive_skb_core(). No RPS (every skb is processed
 * on the CPU that received it), no generic XDP, no ingress hooks, and no
 * VLAN devices: a VLAN tag is pulled into the skb metadata and then handled
 * as "no VLAN device took it" (R-RX-5).
 *
 * Bad input is dropped and counted in rx_dropped: a runt Ethernet frame
 * (eth_type_trans() leaves protocol 0 and the frame unpulled) with
 * SKB_DROP_REASON_PKT_TOO_SMALL, a truncated VLAN header with
 * SKB_DROP_REASON_VLAN, an unhandled protocol with UNHANDLED_PROTO (R-RX-7).
 *
 * RCU: the handler lists and dev->rx_handler are read lock-free inside an
 * RCU read section (a per-thread counter: one atomic increment and fence for
 * the outermost section, a plain increment when nested), with acquire loads for every
 * pointer followed (rcu_dereference). Writers serialise on ptype_lock
 * (the kernel's ptype_lock / rtnl), publish with release stores
 * (list_add_rcu, rcu_assign_pointer), and wait for readers before an entry
 * may be reused or handler data cleared: dev_remove_pack and
 * netdev_rx_handler_unregister wait a grace period; __dev_remove_pack waits
 * too, where the kernel leaves that to its caller. A handler must not add or
 * remove handlers itself (its own read section is never waited for).
 */
#include <arpa/inet.h>
#include <linux/membarrier.h>
#include <pthread.h>
#include <sched.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <unetdev/if_vlan.h>

#include "gro.h"
#include "softnet.h"

#define PTYPE_HASH_MASK (PTYPE_HASH_SIZE - 1)

static pthread_mutex_t ptype_lock = PTHREAD_MUTEX_INITIALIZER; /* writers */
static struct list_head ptype_base[PTYPE_HASH_SIZE];

__attribute__((constructor)) static void ptype_base_init(void)
{
	for (int i = 0; i < PTYPE_HASH_SIZE; i++)
		INIT_LIST_HEAD(&ptype_base[i]);
}

/*
 * The receive RCU domain, apart from the transmit one (qdisc_run.c) so that
 * dev_deactivate's grace period never waits for a receive handler, as it did
 * not wait for the old reader lock. Same scheme: a per-thread counter, odd
 * inside a section; a grace period waits until every odd counter moved.
 */
struct rx_rcu_reader {
	struct rx_rcu_reader *next;
	unsigned long ctr; /* atomic */
	int nest;
	bool registered;
	bool asym; /* registered, and rx_rcu_asym: the section needs no fence */
};

static pthread_mutex_t rx_rcu_lock = PTHREAD_MUTEX_INITIALIZER; /* the reader list */
static struct rx_rcu_reader *rx_rcu_readers;
static pthread_key_t rx_rcu_key;
static pthread_once_t rx_rcu_once = PTHREAD_ONCE_INIT;
static UNETDEV_TLS struct rx_rcu_reader rx_rcu_me;

static void rx_rcu_unregister(void *arg)
{
	struct rx_rcu_reader **pp;

	pthread_mutex_lock(&rx_rcu_lock);
	for (pp = &rx_rcu_readers; *pp; pp = &(*pp)->next)
		if (*pp == arg) {
			*pp = (*pp)->next;
			break;
		}
	pthread_mutex_unlock(&rx_rcu_lock);
}

/* Readers skip their fence when grace periods use membarrier (qdisc_run.c has
 * the same for the transmit domain). */
static bool rx_rcu_asym;

static void rx_rcu_key_init(void)
{
	pthread_key_create(&rx_rcu_key, rx_rcu_unregister);
	if (syscall(SYS_membarrier, MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED, 0, 0) == 0)
		__atomic_store_n(&rx_rcu_asym, true, __ATOMIC_RELAXED);
}

static __attribute__((noinline)) void rx_rcu_register(struct rx_rcu_reader *r)
{
	pthread_once(&rx_rcu_once, rx_rcu_key_init);
	pthread_mutex_lock(&rx_rcu_lock);
	r->next = rx_rcu_readers;
	rx_rcu_readers = r;
	pthread_mutex_unlock(&rx_rcu_lock);
	pthread_setspecific(rx_rcu_key, r);
	r->registered = true;
	/* rx_rcu_asym is settled (pthread_once) before the first registration */
	r->asym = __atomic_load_n(&rx_rcu_asym, __ATOMIC_RELAXED);
}

/* The outermost section's entry for a reader that is not r->asym. */
static __attribute__((noinline)) void rx_read_enter_slow(struct rx_rcu_reader *r)
{
	if (!r->registered)
		rx_rcu_register(r);
	unetdev__owner_add((long *)&r->ctr, 1);
	if (r->asym)
		__atomic_signal_fence(__ATOMIC_SEQ_CST);
	else
		__atomic_thread_fence(__ATOMIC_SEQ_CST);
}

static inline void rx_read_lock(void)
{
	struct rx_rcu_reader *r = &rx_rcu_me;

	if (r->nest++ == 0) {
		/* Only this thread writes ctr: one add, ordered before the reads of
		 * the lists by the grace period's membarrier when r->asym, else by
		 * a full fence (the slow path, which also registers the reader). */
		if (likely(r->asym)) {
			unetdev__owner_add((long *)&r->ctr, 1);
			__atomic_signal_fence(__ATOMIC_SEQ_CST);
		} else {
			rx_read_enter_slow(r);
		}
	}
}

static void rx_read_unlock(void)
{
	struct rx_rcu_reader *r = &rx_rcu_me;

	if (--r->nest == 0)
		unetdev__owner_add_release((long *)&r->ctr, 1);
}

/* synchronize_rcu for the receive side; the caller's own section is not waited for. */
static void rx_synchronize_rcu(void)
{
	pthread_mutex_lock(&rx_rcu_lock);
	/* After the writer's pointer updates, before reading the counters; with
	 * membarrier on every running thread too (readers on the list registered
	 * after rx_rcu_asym was set, under this lock). */
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	if (__atomic_load_n(&rx_rcu_asym, __ATOMIC_RELAXED) &&
	    syscall(SYS_membarrier, MEMBARRIER_CMD_PRIVATE_EXPEDITED, 0, 0) != 0) {
		/* cannot fail once registered; readers rely on it, so never go on */
		unetdev__log(0, "rx rcu: membarrier failed after registration");
		abort();
	}
	for (struct rx_rcu_reader *r = rx_rcu_readers; r; r = r->next) {
		unsigned long c = __atomic_load_n(&r->ctr, __ATOMIC_ACQUIRE);

		if (r == &rx_rcu_me)
			continue;
		while ((c & 1) && __atomic_load_n(&r->ctr, __ATOMIC_ACQUIRE) == c)
			sched_yield();
	}
	pthread_mutex_unlock(&rx_rcu_lock);
}

/* ---- RCU lists (kernel linux/rculist.h) ---- */

static struct list_head *list_next_rcu(const struct list_head *p)
{
	return __atomic_load_n(&p->next, __ATOMIC_ACQUIRE);
}

#define list_for_each_entry_rcu(pos, head, member)                                                 \
	for (pos = list_entry(list_next_rcu(head), typeof(*pos), member); &pos->member != (head);  \
	     pos = list_entry(list_next_rcu(&pos->member), typeof(*pos), member))

/* Readers may be walking @head: publish @n only once it is complete. */
static void list_add_rcu(struct list_head *n, struct list_head *head)
{
	struct list_head *next = head->next;

	n->next = next;
	n->prev = head;
	__atomic_store_n(&head->next, n, __ATOMIC_RELEASE);
	next->prev = n;
}

/* Unlink @e; a reader standing on it still finds its way on through e->next. */
static void list_del_rcu(struct list_head *e)
{
	e->next->prev = e->prev;
	__atomic_store_n(&e->prev->next, e->next, __ATOMIC_RELEASE);
	e->prev = NULL;
}

/* ---- handler lists (R-RX-9) ---- */

/* ptype_head: where @pt lives, NULL for a tap bound to nothing. */
static struct list_head *ptype_head(const struct packet_type *pt)
{
	if (pt->type == htons(ETH_P_ALL)) {
		if (!pt->af_packet_net && !pt->dev)
			return NULL;
		return pt->dev ? &pt->dev->ptype_all : &pt->af_packet_net->ptype_all;
	}
	if (pt->dev)
		return &pt->dev->ptype_specific;
	return pt->af_packet_net ? &pt->af_packet_net->ptype_specific
				 : &ptype_base[ntohs(pt->type) & PTYPE_HASH_MASK];
}

void dev_add_pack(struct packet_type *pt)
{
	struct list_head *head = ptype_head(pt);

	if (!head) {
		UNETDEV_WARN("R-RX-9", pt->dev, "dev_add_pack",
			     "ETH_P_ALL handler without a device or namespace");
		return;
	}
	pthread_mutex_lock(&ptype_lock);
	list_add_rcu(&pt->list, head);
	pthread_mutex_unlock(&ptype_lock);
}

/* The kernel leaves the grace period to the caller; here it is waited for. */
void __dev_remove_pack(struct packet_type *pt)
{
	struct list_head *head = ptype_head(pt);
	struct packet_type *p;

	if (!head)
		return;
	pthread_mutex_lock(&ptype_lock);
	list_for_each_entry (p, head, list) {
		if (p == pt) {
			list_del_rcu(&pt->list);
			goto out;
		}
	}
	unetdev__log(4, "dev_remove_pack: %p not found", (void *)pt);
out:
	pthread_mutex_unlock(&ptype_lock);
	rx_synchronize_rcu();
}

void dev_remove_pack(struct packet_type *pt)
{
	__dev_remove_pack(pt);
	synchronize_net();
}

/* ---- rx_handler (R-RX-4) ---- */

int netdev_rx_handler_register(struct net_device *dev, rx_handler_func_t *handler, void *data)
{
	unetdev__check_rtnl("R-RX-4", dev, "netdev_rx_handler_register");
	if (READ_ONCE(dev->rx_handler))
		return -EBUSY;
	if (dev->priv_flags & IFF_NO_RX_HANDLER)
		return -EINVAL;
	pthread_mutex_lock(&ptype_lock);
	dev->rx_handler_data = data;
	__atomic_store_n(&dev->rx_handler, handler, __ATOMIC_RELEASE); /* rcu_assign_pointer */
	pthread_mutex_unlock(&ptype_lock);
	return 0;
}

void netdev_rx_handler_unregister(struct net_device *dev)
{
	unetdev__check_rtnl("R-RX-4", dev, "netdev_rx_handler_unregister");
	/* The kernel's synchronize_net() between the two stores: receivers still
	 * running the handler keep seeing its data. */
	pthread_mutex_lock(&ptype_lock);
	WRITE_ONCE(dev->rx_handler, NULL);
	rx_synchronize_rcu();
	dev->rx_handler_data = NULL;
	pthread_mutex_unlock(&ptype_lock);
}

/* ---- delivery (R-RX-2, R-RX-3, R-RX-6, R-RX-8) ---- */

/* deliver_skb: every handler but the last gets an extra reference. */
static int deliver_skb(struct sk_buff *skb, struct packet_type *pt, struct net_device *orig_dev)
{
	skb_get(skb);
	return pt->func(skb, skb->dev, pt, orig_dev);
}

static void deliver_ptype_list_skb(struct sk_buff *skb, struct packet_type **pt_prev,
				   struct net_device *orig_dev, __be16 type, struct list_head *list)
{
	struct packet_type *pt;

	list_for_each_entry_rcu(pt, list, list)
	{
		if (pt->type != type)
			continue;
		if (*pt_prev)
			deliver_skb(skb, *pt_prev, orig_dev);
		*pt_prev = pt;
	}
}

static void deliver_taps(struct sk_buff *skb, struct packet_type **pt_prev,
			 struct net_device *orig_dev)
{
	struct packet_type *pt;

	list_for_each_entry_rcu(pt, &dev_net(skb->dev)->ptype_all, list)
	{
		if (*pt_prev)
			deliver_skb(skb, *pt_prev, orig_dev);
		*pt_prev = pt;
	}
	list_for_each_entry_rcu(pt, &skb->dev->ptype_all, list)
	{
		if (*pt_prev)
			deliver_skb(skb, *pt_prev, orig_dev);
		*pt_prev = pt;
	}
}

/* The protocol handlers for skb->protocol (R-RX-6). */
static void deliver_protocols(struct sk_buff *skb, struct packet_type **pt_prev,
			      struct net_device *orig_dev, bool exact)
{
	__be16 type = skb->protocol;

	if (!exact) {
		deliver_ptype_list_skb(skb, pt_prev, orig_dev, type,
				       &ptype_base[ntohs(type) & PTYPE_HASH_MASK]);
		deliver_ptype_list_skb(skb, pt_prev, orig_dev, type,
				       &dev_net(skb->dev)->ptype_specific);
	}
	deliver_ptype_list_skb(skb, pt_prev, orig_dev, type, &orig_dev->ptype_specific);
	if (unlikely(skb->dev != orig_dev))
		deliver_ptype_list_skb(skb, pt_prev, orig_dev, type, &skb->dev->ptype_specific);
}

/* ---- VLAN (R-RX-2, R-RX-5) ---- */

/* vlan_set_encap_proto: the type after the tag; below 0x0600 it is a length. */
static void vlan_set_encap_proto(struct sk_buff *skb, const struct vlan_hdr *vhdr)
{
	__be16 proto = vhdr->h_vlan_encapsulated_proto;
	const u8 *rawp = (const u8 *)(vhdr + 1);

	if (ntohs(proto) >= ETH_P_802_3_MIN)
		skb->protocol = proto;
	else if (rawp[0] == 0xFF && rawp[1] == 0xFF)
		skb->protocol = htons(ETH_P_802_3); /* Novell raw 802.3 */
	else
		skb->protocol = htons(ETH_P_802_2);
}

/* skb_reorder_vlan_header: move the MAC addresses up over the pulled tag. */
static void skb_reorder_vlan_header(struct sk_buff *skb)
{
	int mac_len = (int)(skb->data - skb_mac_header(skb));

	if (mac_len < VLAN_HLEN)
		return; /* no MAC header in front of the tag */
	if (mac_len > VLAN_HLEN + ETH_TLEN)
		memmove(skb_mac_header(skb) + VLAN_HLEN, skb_mac_header(skb),
			(size_t)(mac_len - VLAN_HLEN - ETH_TLEN));
	skb->mac_header = (u16)(skb->mac_header + VLAN_HLEN);
}

struct sk_buff *skb_vlan_untag(struct sk_buff *skb)
{
	const struct vlan_hdr *vhdr;

	if (unlikely(!skb) || unlikely(skb_vlan_tag_present(skb)))
		return skb;
	if (unlikely(skb_shared(skb) || skb->cloned)) { /* skb_share_check + skb_cow */
		struct sk_buff *n = skb_copy(skb, GFP_ATOMIC);

		if (!n) {
			kfree_skb_reason(skb, SKB_DROP_REASON_NOMEM);
			return NULL;
		}
		consume_skb(skb);
		skb = n;
	}
	/* The tag, and the two bytes after it vlan_set_encap_proto may read. */
	if (unlikely(skb->len < VLAN_HLEN + sizeof(__be16))) {
		kfree_skb_reason(skb, SKB_DROP_REASON_VLAN);
		return NULL;
	}
	vhdr = (const struct vlan_hdr *)skb->data;
	__vlan_hwaccel_put_tag(skb, skb->protocol, ntohs(vhdr->h_vlan_TCI));
	skb_pull(skb, VLAN_HLEN);
	vlan_set_encap_proto(skb, vhdr);
	skb_reorder_vlan_header(skb);
	skb_reset_network_header(skb);
	return skb;
}

/*
 * R-RX-5: a tag no VLAN device took. VID != 0 → PACKET_OTHERHOST; VID 0 (a
 * priority tag) over an inner 802.1Q/AD header → strip it and look at the
 * inner tag; then clear the tag (priority bits ignored). NULL when the inner
 * header was bad (the skb is freed).
 */
static struct sk_buff *vlan_leftover(struct sk_buff *skb)
{
	while (skb_vlan_tag_present(skb)) {
		if (skb_vlan_tag_get_id(skb)) {
			skb->pkt_type = PACKET_OTHERHOST;
			break;
		}
		if (!eth_type_vlan(skb->protocol))
			break;
		__vlan_hwaccel_clear_tag(skb);
		skb = skb_vlan_untag(skb);
		if (!skb)
			return NULL;
	}
	__vlan_hwaccel_clear_tag(skb);
	return skb;
}

/* ---- __netif_receive_skb_core (R-RX-2..8) ---- */

static void rx_count_drop(struct net_device *dev, struct sk_buff *skb, enum skb_drop_reason why)
{
	dev_core_stats_rx_dropped_inc(dev);
	if (skb)
		kfree_skb_reason(skb, why);
}

/* A runt left by eth_type_trans(): protocol 0, shorter than the link header. */
static bool rx_is_runt(const struct sk_buff *skb)
{
	return unlikely(!skb->protocol) && skb->len < skb->dev->hard_header_len;
}

/* rx_handler step (R-RX-4). Returns -1 to continue, or the final NET_RX_* value;
 * sets *@another for ANOTHER and *@exact for EXACT. */
static int rx_run_handler(struct sk_buff **pskb, struct packet_type **pt_prev,
			  struct net_device *orig_dev, bool *another, bool *exact)
{
	rx_handler_func_t *rx_handler =
	    __atomic_load_n(&(*pskb)->dev->rx_handler, __ATOMIC_ACQUIRE); /* rcu_dereference */

	if (!rx_handler)
		return -1;
	if (*pt_prev) {
		deliver_skb(*pskb, *pt_prev, orig_dev);
		*pt_prev = NULL;
	}
	switch (rx_handler(pskb)) {
	case RX_HANDLER_CONSUMED:
		return NET_RX_SUCCESS;
	case RX_HANDLER_ANOTHER:
		*another = true;
		break;
	case RX_HANDLER_EXACT:
		*exact = true;
		break;
	case RX_HANDLER_PASS:
		break;
	}
	return -1;
}

/* Protocol delivery (R-RX-6) and the unhandled case (R-RX-7). Consumes @skb. */
static int rx_deliver_final(struct sk_buff *skb, struct packet_type *pt_prev,
			    struct net_device *orig_dev, bool exact)
{
	deliver_protocols(skb, &pt_prev, orig_dev, exact);
	if (pt_prev)
		return pt_prev->func(skb, skb->dev, pt_prev, orig_dev);
	if (!exact)
		dev_core_stats_rx_dropped_inc(skb->dev);
	else
		dev_core_stats_rx_nohandler_inc(skb->dev);
	kfree_skb_reason(skb, SKB_DROP_REASON_UNHANDLED_PROTO);
	return NET_RX_DROP;
}

/* __netif_receive_skb_core, one round per rx_handler ANOTHER. Consumes @skb. */
static int __netif_receive_skb_core(struct sk_buff *skb)
{
	struct softnet_data *sd = unetdev__this_softnet();
	struct net_device *orig_dev = skb->dev, *dev;
	struct packet_type *pt_prev;
	bool exact = false, another;
	int ret;

	if (rx_is_runt(skb)) {
		rx_count_drop(skb->dev, skb, SKB_DROP_REASON_PKT_TOO_SMALL);
		return NET_RX_DROP;
	}
	skb_reset_network_header(skb);
another_round:
	pt_prev = NULL;
	another = false;
	skb->skb_iif = skb->dev->ifindex;
	unetdev__owner_add((long *)&sd->processed, 1); /* owner-only: no locked RMW */
	if (eth_type_vlan(skb->protocol)) {
		dev = skb->dev;
		skb = skb_vlan_untag(skb);
		if (unlikely(!skb)) {
			rx_count_drop(dev, NULL, SKB_DROP_REASON_VLAN);
			return NET_RX_DROP;
		}
	}
	deliver_taps(skb, &pt_prev, orig_dev);
	if (skb_vlan_tag_present(skb) && pt_prev) {
		/* vlan_do_receive comes next; no VLAN device takes the tag here. */
		deliver_skb(skb, pt_prev, orig_dev);
		pt_prev = NULL;
	}
	ret = rx_run_handler(&skb, &pt_prev, orig_dev, &another, &exact);
	if (ret >= 0)
		return ret;
	if (another)
		goto another_round;
	if (unlikely(skb_vlan_tag_present(skb))) {
		dev = skb->dev;
		skb = vlan_leftover(skb);
		if (unlikely(!skb)) {
			rx_count_drop(dev, NULL, SKB_DROP_REASON_VLAN);
			return NET_RX_DROP;
		}
	}
	return rx_deliver_final(skb, pt_prev, orig_dev, exact);
}

/* One skb, with BHs off and the handler lists held. Consumes @skb. */
static int netif_receive_one(struct sk_buff *skb)
{
	if (unetdev__skb_used_after_free(skb, "netif_receive_skb"))
		return NET_RX_DROP;
	if (unlikely(!skb->dev)) {
		kfree_skb(skb);
		return NET_RX_DROP;
	}
	return __netif_receive_skb_core(skb);
}

/* R-RX-1: no RPS here, so always processed now, on this CPU. */
int netif_receive_skb(struct sk_buff *skb)
{
	int ret;

	if (unlikely(!skb))
		return NET_RX_DROP;
	local_bh_disable();
	rx_read_lock();
	ret = netif_receive_one(skb);
	rx_read_unlock();
	local_bh_enable();
	return ret;
}

void unetdev__netif_receive_skb_chain(struct sk_buff *skb)
{
	local_bh_disable();
	rx_read_lock();
	while (skb) {
		struct sk_buff *next = skb->next;

		skb->next = NULL;
		netif_receive_one(skb);
		skb = next;
	}
	rx_read_unlock();
	local_bh_enable();
}

void netif_receive_skb_list(struct list_head *head)
{
	struct sk_buff *skb, *tmp;

	if (unlikely(!head) || list_empty(head))
		return;
	local_bh_disable();
	rx_read_lock();
	list_for_each_entry_safe (skb, tmp, head, list) {
		skb->next = skb->prev = NULL; /* skb_list_del_init */
		netif_receive_one(skb);
	}
	INIT_LIST_HEAD(head);
	rx_read_unlock();
	local_bh_enable();
}

/*
 * netif_rx (R-BL-1/2/3/7): queue @skb to this thread's CPU backlog with BHs
 * disabled; it is delivered by the backlog NAPI in NET_RX (for a process-context
 * caller: when BHs are enabled again, before this returns). Consumes @skb.
 * Context: hardirq, softirq or process.
 */
int netif_rx(struct sk_buff *skb)
{
	int ret;

	if (unlikely(!skb) || unetdev__skb_used_after_free(skb, "netif_rx"))
		return NET_RX_DROP;
	if (unlikely(!skb->dev)) {
		kfree_skb_reason(skb, SKB_DROP_REASON_DEV_READY);
		return NET_RX_DROP;
	}
	local_bh_disable();
	ret = unetdev__enqueue_to_backlog(skb, unetdev__this_softnet());
	local_bh_enable();
	return ret;
}

/* skb_scrub_packet: forget what belonged to the sending side. */
static void skb_scrub_packet(struct sk_buff *skb, bool xnet)
{
	skb->pkt_type = PACKET_HOST;
	skb->skb_iif = 0;
	if (xnet)
		skb->mark = 0;
}

/* dev_forward_skb (R-MTU-13): hand @skb to @dev's receive path. Consumes @skb. */
int dev_forward_skb(struct net_device *dev, struct sk_buff *skb)
{
	if (unlikely(!is_skb_forwardable(dev, skb))) {
		dev_core_stats_rx_dropped_inc(dev);
		kfree_skb(skb);
		return NET_RX_DROP;
	}
	skb_scrub_packet(skb, skb->dev && dev_net(dev) != dev_net(skb->dev));
	skb->priority = 0;
	skb->protocol = eth_type_trans(skb, dev);
	return netif_rx(skb);
}

/* ---- transmit taps (R-TX-12) ---- */

static void nit_list(struct sk_buff **skb2, struct sk_buff *skb, struct packet_type **pt_prev,
		     struct list_head *list)
{
	struct packet_type *pt;

	list_for_each_entry_rcu(pt, list, list)
	{
		if (pt->ignore_outgoing)
			continue;
		if (*pt_prev) {
			deliver_skb(*skb2, *pt_prev, skb->dev);
			*pt_prev = pt;
			continue;
		}
		/* One clone for all taps, made only when a tap wants it. */
		*skb2 = skb_clone(skb, GFP_ATOMIC);
		if (!*skb2)
			return;
		skb_reset_network_header(*skb2);
		(*skb2)->pkt_type = PACKET_OUTGOING;
		*pt_prev = pt;
	}
}

/* dev_queue_xmit_nit. Borrows @skb. */
void unetdev__dev_queue_xmit_nit(struct sk_buff *skb, struct net_device *dev)
{
	struct packet_type *pt_prev = NULL;
	struct sk_buff *skb2 = NULL;

	rx_read_lock();
	nit_list(&skb2, skb, &pt_prev, &dev_net(dev)->ptype_all);
	nit_list(&skb2, skb, &pt_prev, &dev->ptype_all);
	if (pt_prev)
		pt_prev->func(skb2, skb2->dev, pt_prev, skb->dev);
	rx_read_unlock();
}
