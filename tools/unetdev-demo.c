// SPDX-License-Identifier: MIT
/*
 * unetdev-demo - a guided tour of the library: register a null device, a
 * loopback, a veth pair and a recording test device; watch the notifier
 * events; bring everything up; change MTUs (one accepted, one out of range,
 * one vetoed by a notifier); send packets; print statistics and an
 * `ip link`-like table; unregister everything and check nothing leaked.
 */
#include <arpa/inet.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unetdev/unetdev.h>

static bool show_events = true;
static int veth_rx;

static void usage(FILE *f, const char *prog)
{
	fprintf(f,
		"Usage: %s [options]\n"
		"\n"
		"Walk through the unetdev device model: create null, loopback, veth and\n"
		"test devices, bring them up, change MTUs, send packets, print statistics\n"
		"and an `ip link`-like table, then tear everything down and check for leaks.\n"
		"\n"
		"Options:\n"
		"  -q, --quiet    do not print notifier events as they happen\n"
		"  -h, --help     show this help and exit\n",
		prog);
}

/* ---- notifiers: one prints, one vetoes MTU 1280 on null devices ---- */

static int print_event(struct notifier_block *nb, unsigned long event, void *ptr)
{
	struct net_device *dev = netdev_notifier_info_to_dev(ptr);

	if (show_events)
		printf("  event %-22s %s\n", netdev_cmd_to_name((enum netdev_cmd)event), dev->name);
	return NOTIFY_DONE;
}

static int veto_mtu(struct notifier_block *nb, unsigned long event, void *ptr)
{
	const struct netdev_notifier_info_ext *info = ptr;

	if (event == NETDEV_PRECHANGEMTU && !strncmp(info->info.dev->name, "null", 4) &&
	    info->ext.mtu == 1280)
		return notifier_from_errno(-EPERM);
	return NOTIFY_DONE;
}

static struct notifier_block printer = {.notifier_call = print_event};
static struct notifier_block vetoer = {.notifier_call = veto_mtu};

/* ---- packets ---- */

static int veth_rcv(struct sk_buff *skb, struct net_device *dev, struct packet_type *pt,
		    struct net_device *orig_dev)
{
	veth_rx++;
	consume_skb(skb);
	return NET_RX_SUCCESS;
}

static int send_frames(struct net_device *dev, const unsigned char *dst, int n, unsigned int len)
{
	int sent = 0;

	for (int i = 0; i < n; i++) {
		struct sk_buff *skb = netdev_alloc_skb(dev, ETH_HLEN + len);
		struct ethhdr *eth;

		if (!skb)
			return -ENOMEM;
		eth = skb_put(skb, ETH_HLEN);
		memcpy(eth->h_dest, dst, ETH_ALEN);
		memcpy(eth->h_source, dev->dev_addr, ETH_ALEN);
		eth->h_proto = htons(ETH_P_IP);
		memset(skb_put(skb, len), 0, len);
		if (dev_queue_xmit(skb) == NET_XMIT_SUCCESS) /* consumes skb either way */
			sent++;
	}
	return sent;
}

/* ---- the `ip link` table ---- */

static void print_flags(unsigned int flags)
{
	static const struct {
		unsigned int bit;
		const char *name;
	} names[] = {
	    {IFF_LOOPBACK, "LOOPBACK"},
	    {IFF_BROADCAST, "BROADCAST"},
	    {IFF_POINTOPOINT, "POINTOPOINT"},
	    {IFF_MULTICAST, "MULTICAST"},
	    {IFF_NOARP, "NOARP"},
	    {IFF_ALLMULTI, "ALLMULTI"},
	    {IFF_PROMISC, "PROMISC"},
	    {IFF_UP, "UP"},
	    {IFF_LOWER_UP, "LOWER_UP"},
	    {IFF_DORMANT, "DORMANT"},
	};
	const char *sep = "";

	putchar('<');
	if ((flags & IFF_UP) && !(flags & IFF_RUNNING)) {
		fputs("NO-CARRIER", stdout);
		sep = ",";
	}
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (flags & names[i].bit) {
			printf("%s%s", sep, names[i].name);
			sep = ",";
		}
	}
	putchar('>');
}

static void print_link(struct net_device *dev)
{
	struct net_device *peer = unetdev_veth_peer(dev);

	printf("%d: %s", dev->ifindex, dev->name);
	if (peer)
		printf("@%s", peer->name);
	printf(": ");
	print_flags(dev_get_flags(dev));
	printf(" mtu %u qdisc %s state %s qlen %u\n", dev->mtu,
	       dev->priv_flags & IFF_NO_QUEUE ? "noqueue" : "pfifo_fast",
	       unetdev_operstate_name(dev->operstate), dev->tx_queue_len);
	printf("    link/%s ", dev->flags & IFF_LOOPBACK ? "loopback" : "ether");
	for (unsigned int i = 0; i < dev->addr_len; i++)
		printf(i ? ":%02x" : "%02x", dev->dev_addr[i]);
	printf(" brd ");
	for (unsigned int i = 0; i < dev->addr_len; i++)
		printf(i ? ":%02x" : "%02x", dev->broadcast[i]);
	putchar('\n');
}

static void print_table(void)
{
	struct net_device *dev;

	linkwatch_run_queue(); /* settle carrier/operstate before looking */
	rtnl_lock();
	for_each_netdev (&init_net, dev)
		print_link(dev);
	rtnl_unlock();
}

static void print_stats(void)
{
	struct net_device *dev;

	printf("%-10s %8s %10s %8s %8s %10s %8s\n", "device", "rx_pkts", "rx_bytes", "rx_drop",
	       "tx_pkts", "tx_bytes", "tx_drop");
	rtnl_lock();
	for_each_netdev (&init_net, dev) {
		struct rtnl_link_stats64 s;

		memset(&s, 0, sizeof(s));
		dev_get_stats(dev, &s);
		printf("%-10s %8llu %10llu %8llu %8llu %10llu %8llu\n", dev->name,
		       (unsigned long long)s.rx_packets, (unsigned long long)s.rx_bytes,
		       (unsigned long long)s.rx_dropped, (unsigned long long)s.tx_packets,
		       (unsigned long long)s.tx_bytes, (unsigned long long)s.tx_dropped);
	}
	rtnl_unlock();
}

/* ---- the tour ---- */

struct devices {
	struct net_device *null, *lo, *va, *vb, *td;
};

static int create_all(struct devices *d)
{
	int err;

	err = unetdev_null_create(&init_net, "null%d", NULL, &d->null);
	if (!err)
		err = unetdev_loopback_create(&init_net, &d->lo);
	if (!err)
		err = unetdev_veth_create(&init_net, "veth0", "veth1", &d->va, &d->vb);
	if (err)
		return err;
	d->td = unetdev_testdrv_alloc("td0", 1);
	if (!d->td)
		return -ENOMEM;
	d->td->needs_free_netdev = true; /* freed by unregister, like the others */
	err = register_netdev(d->td);
	if (err) {
		free_netdev(d->td);
		d->td = NULL;
	}
	return err;
}

static void up_all(const struct devices *d)
{
	struct net_device *all[] = {d->null, d->lo, d->va, d->vb, d->td};

	rtnl_lock();
	for (size_t i = 0; i < 5; i++) {
		int err = all[i] ? dev_open(all[i], NULL) : 0;

		if (err)
			printf("  dev_open(%s): %s\n", all[i]->name, unetdev_strerror(err));
	}
	rtnl_unlock();
	/* veth's carrier came on with its second end: linkwatch swaps the noop
	 * qdisc for the real one (the kernel runs it shortly after; now here). */
	linkwatch_run_queue();
}

static void try_mtu(struct net_device *dev, int mtu)
{
	int err;

	rtnl_lock();
	err = dev_set_mtu(dev, mtu);
	rtnl_unlock();
	printf("  dev_set_mtu(%s, %d) = %d%s%s -> mtu %u\n", dev->name, mtu, err, err ? " " : "",
	       err ? unetdev_strerror(err) : "", dev->mtu);
}

static void traffic(const struct devices *d)
{
	struct packet_type pt = {.type = htons(ETH_P_IP), .dev = d->vb, .func = veth_rcv};
	static const unsigned char bcast[ETH_ALEN] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff};
	int sent;

	dev_add_pack(&pt);
	printf("  veth0 -> veth1: sent %d, ", send_frames(d->va, d->vb->dev_addr, 5, 100));
	printf("veth1 received %d\n", veth_rx);
	dev_remove_pack(&pt);
	printf("  null0: sent %d\n", send_frames(d->null, bcast, 3, 64));
	printf("  lo: sent %d (no IPv4 handler here: counted as rx_dropped, R-RX-7)\n",
	       send_frames(d->lo, bcast, 2, 32));
	sent = send_frames(d->td, bcast, 4, 60);
	printf("  td0: sent %d (the driver saw %d ndo_start_xmit calls)\n", sent,
	       unetdev_testdrv_count(d->td, "ndo_start_xmit"));
}

static void unregister_all(const struct devices *d)
{
	/* veth1 goes with veth0 (the pair is removed as a whole). */
	struct net_device *all[] = {d->td, d->va, d->lo, d->null};

	for (size_t i = 0; i < 4; i++)
		if (all[i])
			unregister_netdev(all[i]);
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
	    {"quiet", no_argument, NULL, 'q'},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	struct devices d = {0};
	struct unetdev_live live;
	int c, err;

	while ((c = getopt_long(argc, argv, "qh", opts, NULL)) != -1) {
		switch (c) {
		case 'q':
			show_events = false;
			break;
		case 'h':
			usage(stdout, argv[0]);
			return 0;
		default:
			usage(stderr, argv[0]);
			return 2;
		}
	}
	if (optind < argc) {
		usage(stderr, argv[0]);
		return 2;
	}

	printf("unetdev %s demo\n\n== register ==\n", UNETDEV_VERSION);
	register_netdevice_notifier(&printer);
	register_netdevice_notifier(&vetoer);
	err = create_all(&d);
	if (err)
		fprintf(stderr, "creating devices: %s\n", unetdev_strerror(err));

	if (!err) {
		printf("\n== bring up ==\n");
		up_all(&d);
		printf("\n== MTU ==\n");
		try_mtu(d.va, 9000);   /* veth: up to 65535 */
		try_mtu(d.td, 9000);   /* Ethernet: max 1500 -> -EINVAL */
		try_mtu(d.null, 1280); /* vetoed by a notifier -> -EPERM */
		try_mtu(d.null, 1400);
		printf("\n== traffic ==\n");
		traffic(&d);
		printf("\n== statistics ==\n");
		print_stats();
		printf("\n== ip link ==\n");
		print_table();
	}

	printf("\n== unregister ==\n");
	unregister_all(&d);
	unregister_netdevice_notifier(&vetoer);
	unregister_netdevice_notifier(&printer);

	unetdev_live_objects(&live);
	printf("\nlive objects: %ld allocations, %ld net_device, %ld skb\n", live.allocations,
	       live.netdevs, live.skbs);
	if (live.allocations || live.netdevs || live.skbs) {
		fprintf(stderr, "leak detected\n");
		return 1;
	}
	return err ? 1 : 0;
}
