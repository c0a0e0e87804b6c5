// SPDX-License-Identifier: MIT
/*
 * scale - P5 scaling and memory figures.
 *
 *   scale fwd [-d DEVICES] [-q TXQS] [-Q noqueue|pfifo_fast] [-b BURST]
 *             [-t SECONDS | -n PACKETS] [-j]
 *       forwarding between two null devices (the P1 path; with pfifo_fast
 *       the default qdisc, mq+pfifo_fast when TXQS > 1) while DEVICES - 2 further null devices
 *       are registered (and down). scale_loop() is the function to count
 *       under callgrind (--toggle-collect=scale_loop).
 *   scale reg [-N DEVICES] [-q TXQS] [-j]
 *       register DEVICES null devices, then unregister them all (batched,
 *       unregister_netdevice_many, as `ip link del` of a group would); time
 *       and heap (mallinfo2) / RSS per device.
 *   scale mem [-j]
 *       struct sizes and what one 64 B skb costs (truesize).
 */
#define _GNU_SOURCE /* mallinfo2 */
#include <getopt.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unetdev/engine.h>
#include <unetdev/unetdev.h>

#include "bench_fwd.h"

struct opts {
	unsigned int devices, txqs, burst, regs;
	bool qdisc;
	double seconds;
	unsigned long packets;
	bool json;
};

/* malloc'd bytes in use, including chunks served by mmap (large ones). */
static size_t heap_bytes(void)
{
	struct mallinfo2 mi = mallinfo2();

	return mi.uordblks + mi.hblkhd;
}

static long rss_bytes(void)
{
	long pages = 0, rss = 0;
	FILE *f = fopen("/proc/self/statm", "r");

	if (f) {
		if (fscanf(f, "%ld %ld", &pages, &rss) != 2)
			rss = 0;
		fclose(f);
	}
	return rss * 4096;
}

__attribute__((noinline)) void scale_loop(struct net_device *a, struct net_device *b,
					  unsigned long rounds, unsigned int burst);
__attribute__((noinline)) void scale_loop(struct net_device *a, struct net_device *b,
					  unsigned long rounds, unsigned int burst)
{
	for (unsigned long i = 0; i < rounds; i++) {
		unetdev_null_rx_burst(a, burst, 64);
		unetdev_null_rx_burst(b, burst, 64);
	}
}

static int do_fwd(const struct opts *o)
{
	struct net_device **extra = calloc(o->devices, sizeof(*extra));
	struct net_device *a, *b;
	double t0, c0, secs, cpu;
	u64 base, fwd;
	char name[IFNAMSIZ];

	a = bench_null_create("scale", "fwd0", o->txqs, o->qdisc);
	b = bench_null_create("scale", "fwd1", o->txqs, o->qdisc);
	for (unsigned int i = 2; i < o->devices; i++) {
		snprintf(name, sizeof(name), "x%u", i);
		extra[i] = bench_null_create("scale", name, o->txqs, o->qdisc);
	}
	bench_fwd_wire("scale", a, b);
	bench_fwd_wire("scale", b, a);
	if (!o->packets)
		scale_loop(a, b, 1000, o->burst);
	base = bench_null_tx_packets(a) + bench_null_tx_packets(b);
	c0 = bench_cpu_s();
	t0 = bench_now_s();
	if (o->packets) {
		scale_loop(a, b, (o->packets + 2 * o->burst - 1) / (2 * o->burst), o->burst);
		unetdev_cpu_run(0);
	} else {
		do {
			scale_loop(a, b, 1 + 200000 / o->burst, o->burst);
			unetdev_cpu_run(0);
		} while (bench_now_s() - t0 < o->seconds);
	}
	secs = bench_now_s() - t0;
	cpu = bench_cpu_s() - c0;
	fwd = bench_null_tx_packets(a) + bench_null_tx_packets(b) - base;
	if (o->json)
		printf(
		    "{\"devices\": %u, \"txqs\": %u, \"qdisc\": %s, \"burst\": %u, "
		    "\"packets\": %llu, \"seconds\": %.3f, \"mpps\": %.3f, \"ns_per_pkt\": %.2f, "
		    "\"cpu_mpps\": %.3f}\n",
		    o->devices, o->txqs, o->qdisc ? "true" : "false", o->burst,
		    (unsigned long long)fwd, secs, (double)fwd / secs / 1e6,
		    secs * 1e9 / (double)fwd, cpu > 0 ? (double)fwd / cpu / 1e6 : 0.0);
	else
		printf("scale fwd devices %u txqs %u burst %u: %.2f Mpps %.2f ns/pkt\n", o->devices,
		       o->txqs, o->burst, (double)fwd / secs / 1e6, secs * 1e9 / (double)fwd);
	for (unsigned int i = 2; i < o->devices; i++)
		unregister_netdev(extra[i]);
	unregister_netdev(a);
	unregister_netdev(b);
	free(extra);
	return 0;
}

static int do_reg(const struct opts *o)
{
	struct net_device **devs = calloc(o->regs, sizeof(*devs));
	size_t heap0 = heap_bytes(), heap1;
	long rss0 = rss_bytes(), rss1;
	double t0 = bench_now_s(), c0 = bench_cpu_s(), t_reg, c_reg, t_unreg, c_unreg, n = o->regs;
	char name[IFNAMSIZ];
	LIST_HEAD(kill);

	for (unsigned int i = 0; i < o->regs; i++) {
		snprintf(name, sizeof(name), "r%u", i);
		devs[i] = bench_null_create("scale", name, o->txqs, false);
	}
	t_reg = bench_now_s() - t0;
	c_reg = bench_cpu_s() - c0;
	heap1 = heap_bytes();
	rss1 = rss_bytes();
	t0 = bench_now_s();
	c0 = bench_cpu_s();
	rtnl_lock();
	for (unsigned int i = 0; i < o->regs; i++)
		unregister_netdevice_queue(devs[i], &kill);
	unregister_netdevice_many(&kill);
	rtnl_unlock();
	t_unreg = bench_now_s() - t0;
	c_unreg = bench_cpu_s() - c0;
	free(devs);
	if (o->json)
		printf("{\"devices\": %u, \"txqs\": %u, \"register_us_per_dev\": %.2f, "
		       "\"unregister_us_per_dev\": %.2f, \"register_cpu_us_per_dev\": %.2f, "
		       "\"unregister_cpu_us_per_dev\": %.2f, \"heap_bytes_per_dev\": %.0f, "
		       "\"rss_bytes_per_dev\": %.0f, \"heap_after_free\": %lld}\n",
		       o->regs, o->txqs, t_reg * 1e6 / n, t_unreg * 1e6 / n, c_reg * 1e6 / n,
		       c_unreg * 1e6 / n, (double)(heap1 - heap0) / n, (double)(rss1 - rss0) / n,
		       (long long)heap_bytes() - (long long)heap0);
	else
		printf("scale reg %u devices txqs %u: register %.2f us/dev (cpu %.2f), unregister "
		       "%.2f us/dev (cpu %.2f), heap %.0f B/dev, rss %.0f B/dev\n",
		       o->regs, o->txqs, t_reg * 1e6 / n, c_reg * 1e6 / n, t_unreg * 1e6 / n,
		       c_unreg * 1e6 / n, (double)(heap1 - heap0) / n, (double)(rss1 - rss0) / n);
	return 0;
}

static int do_mem(const struct opts *o)
{
	struct net_device *dev = bench_null_create("scale", "mem0", 1, false);
	size_t h0 = heap_bytes(), h1;
	struct sk_buff *skb = netdev_alloc_skb(dev, 64);
	unsigned int truesize = skb ? skb->truesize : 0;

	h1 = heap_bytes();
	kfree_skb(skb);
	if (o->json)
		printf("{\"sizeof_net_device\": %zu, \"sizeof_netdev_queue\": %zu, "
		       "\"sizeof_netdev_rx_queue\": %zu, \"sizeof_sk_buff\": %zu, "
		       "\"skb64_truesize\": %u, \"skb64_heap_bytes\": %zu}\n",
		       sizeof(struct net_device), sizeof(struct netdev_queue),
		       sizeof(struct netdev_rx_queue), sizeof(struct sk_buff), truesize, h1 - h0);
	else
		printf("sizeof net_device %zu, netdev_queue %zu, netdev_rx_queue %zu, sk_buff %zu; "
		       "64 B skb truesize %u, heap %zu B (0 when served from a cache)\n",
		       sizeof(struct net_device), sizeof(struct netdev_queue),
		       sizeof(struct netdev_rx_queue), sizeof(struct sk_buff), truesize, h1 - h0);
	unregister_netdev(dev);
	return 0;
}

static void usage(void)
{
	fprintf(
	    stderr,
	    "usage: scale fwd [-d DEVICES] [-q TXQS] [-Q QDISC] [-b BURST] [-t S | -n PKTS] [-j]\n"
	    "       scale reg [-N DEVICES] [-q TXQS] [-j]\n"
	    "       scale mem [-j]\n");
	exit(2);
}

int main(int argc, char **argv)
{
	struct unetdev_engine_config ec = {.sz = sizeof(ec), .ncpus = 1, .no_threads = true};
	struct opts o = {.devices = 2, .txqs = 1, .burst = 32, .regs = 100000, .seconds = 1.0};
	const char *what;
	int c, ret = 2;

	if (argc < 2)
		usage();
	what = argv[1];
	optind = 2;
	while ((c = getopt(argc, argv, "d:q:Q:b:t:n:N:j")) != -1) {
		switch (c) {
		case 'd':
			o.devices = (unsigned int)atoi(optarg);
			break;
		case 'q':
			o.txqs = (unsigned int)atoi(optarg);
			break;
		case 'Q':
			o.qdisc = !strcmp(optarg, "pfifo_fast");
			break;
		case 'b':
			o.burst = (unsigned int)atoi(optarg);
			break;
		case 't':
			o.seconds = atof(optarg);
			break;
		case 'n':
			o.packets = strtoul(optarg, NULL, 0);
			break;
		case 'N':
			o.regs = (unsigned int)atoi(optarg);
			break;
		case 'j':
			o.json = true;
			break;
		default:
			usage();
		}
	}
	if (o.devices < 2 || !o.txqs || o.txqs > 4096 || !o.burst || !o.regs)
		usage();
	if (unetdev_engine_start(&ec) || unetdev_cpu_attach(0)) {
		fprintf(stderr, "scale: cannot start the engine\n");
		return 1;
	}
	if (!strcmp(what, "fwd"))
		ret = do_fwd(&o);
	else if (!strcmp(what, "reg"))
		ret = do_reg(&o);
	else if (!strcmp(what, "mem"))
		ret = do_mem(&o);
	else
		usage();
	unetdev_cpu_detach();
	unetdev_engine_stop();
	return ret;
}
