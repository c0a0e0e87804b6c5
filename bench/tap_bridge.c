// SPDX-License-Identifier: MIT
/*
 * tap_bridge - P4 in-process: a two-port bridge made of the library alone.
 * A kernel TAP is opened inside each of two named network namespaces (with
 * IFF_VNET_HDR, so TSO/checksum offloads pass GSO skbs through whole); an
 * rx_handler on each unetdev tap device hands every frame to the other one.
 * This is not unetd's bridge link type: it is the library path that such a
 * bridge's ports would take (NAPI -> rx_handler -> dev_queue_xmit -> tap).
 *
 *   tap_bridge -A NETNS_A -a TAP_A -Z NETNS_B -z TAP_B [-c CPUS]
 *
 * Prints "ready" once both devices are up, then runs until SIGINT/SIGTERM,
 * and prints the devices' counters (JSON) when it ends.
 */
#define _GNU_SOURCE /* setns */
#include <fcntl.h>
#include <getopt.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <unetdev/backends.h>
#include <unetdev/engine.h>
#include <unetdev/etherdevice.h>
#include <unetdev/unetdev.h>

static rx_handler_result_t fwd_rx_handler(struct sk_buff **pskb)
{
	struct sk_buff *skb = *pskb;

	skb->dev = skb->dev->rx_handler_data;
	skb_push(skb, ETH_HLEN);
	dev_queue_xmit(skb);
	return RX_HANDLER_CONSUMED;
}

static void die(const char *what, int err)
{
	fprintf(stderr, "tap_bridge: %s: %s\n", what, unetdev_strerror(err));
	exit(err == -EPERM ? 77 : 1);
}

/* Open kernel TAP @tap inside netns @ns (ip netns name) and its unetdev device. */
static struct net_device *tap_in(const char *ns, const char *tap)
{
	struct unetdev_tap_config cfg = {.sz = sizeof(cfg), .ifname = tap, .vnet_hdr = true};
	struct net_device *dev = NULL;
	char path[128];
	int self, target, err;

	snprintf(path, sizeof(path), "/run/netns/%s", ns);
	self = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
	target = open(path, O_RDONLY | O_CLOEXEC);
	if (self < 0 || target < 0 || setns(target, CLONE_NEWNET))
		die(path, -errno);
	err = unetdev_tap_create(NULL, NULL, &cfg, &dev);
	if (setns(self, CLONE_NEWNET))
		die("setns back", -errno);
	close(self);
	close(target);
	if (err)
		die(tap, err);
	return dev;
}

static void port_up(struct net_device *dev, struct net_device *peer)
{
	int err;

	rtnl_lock();
	err = dev_open(dev, NULL);
	if (!err)
		err = dev_set_promiscuity(dev, 1);
	if (!err)
		err = netdev_rx_handler_register(dev, fwd_rx_handler, peer);
	rtnl_unlock();
	if (err)
		die(dev->name, err);
}

static void print_stats(const char *port, struct net_device *dev)
{
	struct unetdev_backend_stats st;

	unetdev_backend_stats(dev, &st);
	printf("\"%s\": {\"rx_packets\": %llu, \"tx_packets\": %llu, \"rx_gso\": %llu, "
	       "\"tx_gso\": %llu, \"tx_busy\": %llu}",
	       port, (unsigned long long)st.rx_packets, (unsigned long long)st.tx_packets,
	       (unsigned long long)st.rx_gso, (unsigned long long)st.tx_gso,
	       (unsigned long long)st.tx_busy);
}

int main(int argc, char **argv)
{
	struct unetdev_engine_config ec = {.sz = sizeof(ec), .ncpus = 1};
	const char *nsa = NULL, *nsb = NULL, *ta = NULL, *tb = NULL;
	struct net_device *a, *b;
	sigset_t set;
	int c, sig, err;

	while ((c = getopt(argc, argv, "A:a:Z:z:c:")) != -1) {
		switch (c) {
		case 'A':
			nsa = optarg;
			break;
		case 'a':
			ta = optarg;
			break;
		case 'Z':
			nsb = optarg;
			break;
		case 'z':
			tb = optarg;
			break;
		case 'c':
			ec.ncpus = (unsigned int)atoi(optarg);
			break;
		default:
			nsa = NULL;
			break;
		}
	}
	if (!nsa || !nsb || !ta || !tb) {
		fprintf(stderr,
			"usage: tap_bridge -A NETNS_A -a TAP_A -Z NETNS_B -z TAP_B [-c CPUS]\n");
		return 2;
	}
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &set, NULL); /* before the engine threads exist */
	err = unetdev_engine_start(&ec);
	if (err)
		die("engine", err);
	a = tap_in(nsa, ta);
	b = tap_in(nsb, tb);
	port_up(a, b);
	port_up(b, a);
	printf("ready\n");
	fflush(stdout);
	sigwait(&set, &sig);
	printf("{");
	print_stats("a", a);
	printf(", ");
	print_stats("b", b);
	printf("}\n");
	unregister_netdev(a);
	unregister_netdev(b);
	unetdev_engine_stop();
	return 0;
}
