// SPDX-License-Identifier: MIT
/*
 * libFuzzer target for the receive path (src/core/rx.c, gro.c, napi.c):
 * frames made by eth_type_trans() on one of two null devices, delivered with
 * netif_receive_skb, netif_receive_skb_list, netif_rx (the backlog NAPI) or
 * napi_gro_receive inside a NAPI poll, to a ptype_all tap, an rx_handler and
 * protocol handlers (dev_add_pack). Rules R-RX-1..9, R-BL-2, R-NAPI-17, R-MTU-2.
 *
 * Input: a 4-byte control header, then frames, each [len][flags][len bytes].
 *   [0] bits 0-1 path: netif_receive_skb, netif_rx, NAPI + GRO, list
 *       bit 2 promisc on dev0, bit 3 rx_handler on dev0, bits 4-5 its
 *       verdict (CONSUMED, PASS, EXACT, ANOTHER with skb->dev = dev1),
 *       bit 6 ETH_P_ALL tap on dev0, bit 7 ETH_P_ALL tap on the namespace
 *   [1] bit 0 global IPv4 handler, bit 1 global IPv6 handler, bit 2 ARP
 *       handler bound to dev0, bit 3 0x88b5 handler bound to dev1, bit 4
 *       global 802.2 handler, bit 5 dev0 up, bit 6 dev1 up, bit 7 GRO off
 *   [2..3] MTU of dev0 (little endian; refused values leave it unchanged)
 *   frame: len = byte0 | (flags & 7) << 8; flags bit 3: destination = dev's
 *   address, bit 4: recompute IPv4 and TCP/IPv6 checksums (so that GRO
 *   merges), bit 5: the fuzzer keeps a reference (a shared skb; path 0 only),
 *   bit 6: received on dev1 instead of dev0.
 *
 * Invariants (abort on violation): every skb freed exactly once (ASan, and
 * skb_live_count() == 0 after each input); a handler sees a consistent skb
 * on one of the two devices; every frame the "driver" hands to the core ends
 * either in exactly one final delivery (weighted by gso_segs for GRO merges)
 * or in one rx_dropped / rx_nohandler count; oversize frames count
 * rx_length_errors; nothing is alive after the devices are unregistered.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unetdev/checksum.h>
#include <unetdev/drivers.h>
#include <unetdev/if_vlan.h>
#include <unetdev/skbuff_hdr.h>
#include <unetdev/unetdev.h>

#define CTRL	   4
#define MAX_FRAMES 64

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond)                                                                                \
	do {                                                                                       \
		if (!(cond)) {                                                                     \
			fprintf(stderr, "rx_fuzz: %s:%d: %s\n", __FILE__, __LINE__, #cond);        \
			abort();                                                                   \
		}                                                                                  \
	} while (0)

static struct net_device *devs[2];
static struct sk_buff *held[MAX_FRAMES];
static unsigned int nheld, verdict;
static unsigned long finals, handler_calls, gro_merged;

static bool is_held(const struct sk_buff *skb)
{
	for (unsigned int i = 0; i < nheld; i++)
		if (held[i] == skb)
			return true;
	return false;
}

/* What every handler may rely on. */
static void check_skb(const struct sk_buff *skb, const struct net_device *orig)
{
	CHECK(skb->dev == devs[0] || skb->dev == devs[1]);
	CHECK(orig == devs[0] || orig == devs[1]);
	CHECK(skb->head <= skb->data && skb->data <= skb->tail && skb->tail <= skb->end);
	CHECK((unsigned int)(skb->tail - skb->data) == skb->len);
	CHECK(skb->head + skb->mac_header <= skb->data);
	CHECK(__atomic_load_n(&skb->users, __ATOMIC_RELAXED) >= 1);
}

/* A final delivery holds the only reference (others hold one more each). */
static void account(struct sk_buff *skb)
{
	int users = __atomic_load_n(&skb->users, __ATOMIC_RELAXED) - (is_held(skb) ? 1 : 0);
	unsigned int segs = skb_shinfo(skb)->gso_segs;

	handler_calls++;
	if (users == 1)
		finals += segs ? segs : 1;
	if (users == 1 && segs > 1)
		gro_merged += segs - 1;
}

/* A GRO merge (R-NAPI-17): a TCP super-packet whose headers were fixed up. */
static void check_gro_merge(const struct sk_buff *skb)
{
	const u8 *nh = skb->data;
	unsigned int segs = skb_shinfo(skb)->gso_segs, size = skb_shinfo(skb)->gso_size;

	CHECK(size > 0 && skb->ip_summed == CHECKSUM_UNNECESSARY);
	if (skb->protocol == htons(ETH_P_IP)) {
		unsigned int ihl = (nh[0] & 15u) * 4;

		CHECK(skb_shinfo(skb)->gso_type & SKB_GSO_TCPV4);
		CHECK(skb->len >= ihl + 20 && (unsigned int)(nh[2] << 8 | nh[3]) == skb->len);
		CHECK(ip_fast_csum(nh, ihl / 4) == 0);
	} else {
		CHECK(skb->protocol == htons(ETH_P_IPV6));
		CHECK(skb_shinfo(skb)->gso_type & SKB_GSO_TCPV6);
		CHECK(skb->len >= 60 && (unsigned int)(nh[4] << 8 | nh[5]) + 40 == skb->len);
	}
	/* Every segment but the last carried exactly gso_size bytes of payload. */
	CHECK(skb->len > (segs - 1) * size);
}

static int h_rcv(struct sk_buff *skb, struct net_device *dev, struct packet_type *pt,
		 struct net_device *orig)
{
	check_skb(skb, orig);
	CHECK(dev == skb->dev);
	if (pt->type != htons(ETH_P_ALL)) { /* R-RX-5: no VLAN device took the tag: cleared */
		CHECK(skb->protocol == pt->type);
		CHECK(!skb_vlan_tag_present(skb));
	}
	if (pt->type != htons(ETH_P_ALL) && skb_shinfo(skb)->gso_segs > 1)
		check_gro_merge(skb);
	account(skb);
	consume_skb(skb);
	return NET_RX_SUCCESS;
}

static rx_handler_result_t rx_handler(struct sk_buff **pskb)
{
	struct sk_buff *skb = *pskb;

	check_skb(skb, skb->dev);
	CHECK(skb->dev == devs[0]);
	CHECK(skb->dev->rx_handler_data == &verdict);
	switch (verdict) {
	case 0:
		account(skb);
		consume_skb(skb);
		return RX_HANDLER_CONSUMED;
	case 1:
		return RX_HANDLER_PASS;
	case 2:
		return RX_HANDLER_EXACT;
	default:
		skb->dev = devs[1]; /* as a bridge port or bond slave hands it up */
		return RX_HANDLER_ANOTHER;
	}
}

/* Always there: IPv4/IPv6 bound to each device, so a GRO-merged skb always
 * reaches a final handler (its gso_segs weight is seen). */
static struct packet_type pt_bound[2][2];
static struct packet_type pt_tap_dev, pt_tap_net, pt_ip, pt_ip6, pt_arp, pt_88b5, pt_8022;

/* ---- the "driver" side ---- */

struct frame_in {
	const u8 *p;
	unsigned int len, flags;
};

static void fix_checksums(u8 *f, unsigned int len)
{
	unsigned int off = ETH_HLEN;
	u16 type;

	if (len < ETH_HLEN)
		return;
	type = (u16)(f[12] << 8 | f[13]);
	if (type == ETH_P_8021Q && len >= ETH_HLEN + 4) {
		type = (u16)(f[16] << 8 | f[17]);
		off += 4;
	}
	if (type == ETH_P_IP && len >= off + 20 && (f[off] >> 4) == 4) {
		u8 *ip = f + off;
		unsigned int ihl = (ip[0] & 15u) * 4, tot = (unsigned int)(ip[2] << 8 | ip[3]);

		if (ihl < 20 || tot < ihl || off + tot > len)
			return;
		ip[10] = ip[11] = 0;
		*(__sum16 *)(ip + 10) = ip_fast_csum(ip, ihl / 4);
		if (ip[9] == IPPROTO_TCP && tot >= ihl + 20) {
			u8 *th = ip + ihl;
			__be32 s, d;

			memcpy(&s, ip + 12, 4);
			memcpy(&d, ip + 16, 4);
			th[16] = th[17] = 0;
			*(__sum16 *)(th + 16) = csum_tcpudp_magic(
			    s, d, tot - ihl, IPPROTO_TCP, csum_partial(th, (int)(tot - ihl), 0));
		}
	} else if (type == ETH_P_IPV6 && len >= off + 60 && f[off + 6] == IPPROTO_TCP) {
		u8 *ip = f + off, *th = ip + 40;
		unsigned int plen = (unsigned int)(ip[4] << 8 | ip[5]);
		struct in6_addr s, d;

		if (plen < 20 || off + 40 + plen > len)
			return;
		memcpy(&s, ip + 8, 16);
		memcpy(&d, ip + 24, 16);
		th[16] = th[17] = 0;
		*(__sum16 *)(th + 16) =
		    csum_ipv6_magic(&s, &d, plen, IPPROTO_TCP, csum_partial(th, (int)plen, 0));
	}
}

/* Make the skb as a driver does; NULL (counted) when it does not fit the MTU. */
static struct sk_buff *make_skb(const struct frame_in *fr, unsigned long *too_big)
{
	struct net_device *dev = devs[(fr->flags >> 6) & 1];
	struct sk_buff *skb;
	u8 *p;

	if (!netdev_rx_frame_fits(dev, fr->len)) {
		(*too_big)++;
		return NULL;
	}
	skb = netdev_alloc_skb(dev, fr->len);
	CHECK(skb);
	p = skb_put_data(skb, fr->p, fr->len);
	if ((fr->flags & 8) && fr->len >= ETH_ALEN)
		memcpy(p, dev->dev_addr, ETH_ALEN);
	if (fr->flags & 16)
		fix_checksums(p, fr->len);
	skb->protocol = eth_type_trans(skb, dev);
	return skb;
}

static struct frame_in frames[MAX_FRAMES];
static unsigned int nframes, next_frame;
static unsigned long too_big_count;

/* The NAPI poll: up to @budget frames per round, then complete (R-NAPI-8). */
static int gro_poll(struct napi_struct *napi, int budget)
{
	int done = 0;

	while (done < budget && next_frame < nframes) {
		struct sk_buff *skb = make_skb(&frames[next_frame++], &too_big_count);

		if (skb)
			napi_gro_receive(napi, skb);
		done++;
	}
	CHECK(napi_gro_check(napi));
	if (done < budget)
		napi_complete_done(napi, done);
	return done;
}

static void run_path(unsigned int path)
{
	struct napi_struct napi;
	LIST_HEAD(list);

	switch (path) {
	case 0:
		for (unsigned int i = 0; i < nframes; i++) {
			struct sk_buff *skb = make_skb(&frames[i], &too_big_count);

			if (!skb)
				continue;
			if (frames[i].flags & 32)
				held[nheld++] = skb_get(skb);
			netif_receive_skb(skb);
		}
		break;
	case 1:
		for (unsigned int i = 0; i < nframes; i++) {
			struct sk_buff *skb = make_skb(&frames[i], &too_big_count);

			if (skb)
				netif_rx(skb);
		}
		break;
	case 2:
		memset(&napi, 0, sizeof(napi));
		next_frame = 0;
		netif_napi_add(devs[0], &napi, gro_poll);
		napi_enable(&napi);
		napi_schedule(&napi);
		/* More frames than the budget: repolled until complete (R-NAPI-8). */
		CHECK(napi.gro_bitmask == 0);
		napi_disable(&napi);
		netif_napi_del(&napi);
		break;
	default:
		for (unsigned int i = 0; i < nframes; i++) {
			struct sk_buff *skb = make_skb(&frames[i], &too_big_count);

			if (skb)
				list_add_tail(&skb->list, &list);
		}
		netif_receive_skb_list(&list);
		CHECK(list_empty(&list));
		break;
	}
	for (unsigned int i = 0; i < nheld; i++) {
		CHECK(held[i]->users == 1); /* the core's references are all gone */
		consume_skb(held[i]);
	}
	nheld = 0;
}

static unsigned long drop_counters(void)
{
	unsigned long n = 0;

	for (int i = 0; i < 2; i++) {
		struct rtnl_link_stats64 st;

		memset(&st, 0, sizeof(st));
		dev_get_stats(devs[i], &st);
		n += st.rx_dropped + st.rx_nohandler;
	}
	return n;
}

static unsigned long length_errors(void)
{
	unsigned long n = 0;

	for (int i = 0; i < 2; i++) {
		struct rtnl_link_stats64 st;

		memset(&st, 0, sizeof(st));
		dev_get_stats(devs[i], &st);
		n += st.rx_length_errors;
	}
	return n;
}

static void init_pt(struct packet_type *pt, u16 type, struct net_device *dev)
{
	memset(pt, 0, sizeof(*pt));
	pt->type = htons(type);
	pt->dev = dev;
	pt->func = h_rcv;
}

static void setup(const uint8_t *c)
{
	for (int i = 0; i < 2; i++)
		CHECK(unetdev_null_create(NULL, i ? "fzb%d" : "fza%d", NULL, &devs[i]) == 0);
	rtnl_lock();
	for (int i = 0; i < 2; i++) {
		init_pt(&pt_bound[i][0], ETH_P_IP, devs[i]);
		init_pt(&pt_bound[i][1], ETH_P_IPV6, devs[i]);
		dev_add_pack(&pt_bound[i][0]);
		dev_add_pack(&pt_bound[i][1]);
		if (c[1] & (32 << i))
			CHECK(dev_open(devs[i], NULL) == 0);
	}
	if (c[1] & 128)
		devs[0]->features &= ~NETIF_F_GRO;
	CHECK(dev_set_promiscuity(devs[0], (c[0] & 4) ? 1 : 0) == 0);
	{
		int mtu = c[2] | c[3] << 8, err = dev_set_mtu(devs[0], mtu);

		CHECK(err == 0 || err == -EINVAL);
	}
	verdict = (c[0] >> 4) & 3;
	if (c[0] & 8)
		CHECK(netdev_rx_handler_register(devs[0], rx_handler, &verdict) == 0);
	rtnl_unlock();
	init_pt(&pt_tap_dev, ETH_P_ALL, devs[0]);
	init_pt(&pt_tap_net, ETH_P_ALL, NULL);
	pt_tap_net.af_packet_net = dev_net(devs[0]);
	init_pt(&pt_ip, ETH_P_IP, NULL);
	init_pt(&pt_ip6, ETH_P_IPV6, NULL);
	init_pt(&pt_arp, ETH_P_ARP, devs[0]);
	init_pt(&pt_88b5, 0x88b5, devs[1]);
	init_pt(&pt_8022, ETH_P_802_2, NULL);
	if (c[0] & 64)
		dev_add_pack(&pt_tap_dev);
	if (c[0] & 128)
		dev_add_pack(&pt_tap_net);
	if (c[1] & 1)
		dev_add_pack(&pt_ip);
	if (c[1] & 2)
		dev_add_pack(&pt_ip6);
	if (c[1] & 4)
		dev_add_pack(&pt_arp);
	if (c[1] & 8)
		dev_add_pack(&pt_88b5);
	if (c[1] & 16)
		dev_add_pack(&pt_8022);
}

static void teardown(const uint8_t *c)
{
	struct unetdev_live live;
	struct packet_type *opt[] = {&pt_tap_dev, &pt_tap_net, &pt_ip,	&pt_ip6,
				     &pt_arp,	  &pt_88b5,    &pt_8022};
	bool on[] = {c[0] & 64, c[0] & 128, c[1] & 1, c[1] & 2, c[1] & 4, c[1] & 8, c[1] & 16};

	for (size_t i = 0; i < ARRAY_SIZE(opt); i++)
		if (on[i])
			dev_remove_pack(opt[i]);
	for (int i = 0; i < 2; i++) {
		dev_remove_pack(&pt_bound[i][0]);
		dev_remove_pack(&pt_bound[i][1]);
	}
	if (c[0] & 8) {
		rtnl_lock();
		netdev_rx_handler_unregister(devs[0]);
		rtnl_unlock();
	}
	unregister_netdev(devs[1]);
	unregister_netdev(devs[0]);
	unetdev_live_objects(&live);
	if (live.netdevs || live.skbs || live.napis) {
		fprintf(stderr, "rx_fuzz: alive after teardown: %ld devices, %ld skbs, %ld napis\n",
			live.netdevs, live.skbs, live.napis);
		abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	unsigned long drops0, len_err0, frames_in;
	const uint8_t *p = data + CTRL, *end = data + size;

	if (size < CTRL)
		return 0;
	unetdev_log_set_level(0);
	nframes = 0;
	while (end - p >= 2 && nframes < MAX_FRAMES) {
		unsigned int len = p[0] | (p[1] & 7u) << 8, flags = p[1];

		p += 2;
		if (len > (unsigned int)(end - p))
			len = (unsigned int)(end - p);
		frames[nframes++] = (struct frame_in){.p = p, .len = len, .flags = flags};
		p += len;
	}
	setup(data);
	finals = handler_calls = too_big_count = gro_merged = 0;
	drops0 = drop_counters();
	len_err0 = length_errors();
	run_path(data[0] & 3);
	CHECK(skb_live_count() == 0);
	frames_in = nframes - too_big_count;
	if (finals + drop_counters() - drops0 != frames_in) {
		fprintf(stderr, "rx_fuzz: %lu frames in, %lu final deliveries, %lu drops\n",
			frames_in, finals, drop_counters() - drops0);
		abort();
	}
	CHECK(length_errors() - len_err0 == too_big_count);
	if (getenv("RX_FUZZ_VERBOSE"))
		fprintf(stderr,
			"rx_fuzz: %u frames, %lu too big, %lu final (weighted), %lu drops, "
			"%lu handler calls, %lu GRO merges\n",
			nframes, too_big_count, finals, drop_counters() - drops0, handler_calls,
			gro_merged);
	teardown(data);
	return 0;
}
