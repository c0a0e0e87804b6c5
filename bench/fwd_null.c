// SPDX-License-Identifier: MIT
/*
 * fwd_null - forwarding between two null devices through the full path, on
 * one engine CPU driven inline, the unetdev counterpart of DPDK testpmd
 * io-forwarding between two net_null ports (DESIGN.md "Performance targets").
 *
 * One packet's path (both directions, as testpmd io fwd):
 *
 *   null0 NAPI poll: netdev_alloc_skb + 14 B header + eth_type_trans
 *     -> napi_gro_receive -> netif_receive_skb -> rx_handler of null0
 *     -> skb->dev = null1, skb_push(ETH_HLEN), dev_queue_xmit
 *     -> netdev_core_pick_tx -> noqueue, or pfifo_fast (mq with several queues)
 *     -> null1 ndo_start_xmit: count, consume_skb
 *
 * Each round asks each device for a burst (unetdev_null_rx_burst: the NAPI
 * "interrupt"); the softirq runs the poll at once on this CPU.
 *
 *   fwd_null [-b BURST] [-q TXQS] [-Q noqueue|pfifo_fast] [-t SECONDS | -n PACKETS] [-j]
 *
 * With -n the run forwards a fixed number of packets; fwd_loop() is the only
 * function to count under `valgrind --tool=callgrind --collect-atstart=no
 * --toggle-collect=fwd_loop`, so that Ir / packets is instructions per packet.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unetdev/engine.h>
#include <unetdev/unetdev.h>

#include "bench_fwd.h"

struct opts {
	unsigned int burst, txqs;
	bool qdisc, json;
	double seconds;
	unsigned long packets; /* 0: run for seconds */
};

/* The measured loop: @rounds rounds of one burst per port. */
__attribute__((noinline)) void fwd_loop(struct net_device *a, struct net_device *b,
					unsigned long rounds, unsigned int burst);
__attribute__((noinline)) void fwd_loop(struct net_device *a, struct net_device *b,
					unsigned long rounds, unsigned int burst)
{
	for (unsigned long i = 0; i < rounds; i++) {
		unetdev_null_rx_burst(a, burst, 64);
		unetdev_null_rx_burst(b, burst, 64);
	}
}

static void usage(void)
{
	fprintf(stderr, "usage: fwd_null [-b BURST] [-q TXQS] [-Q noqueue|pfifo_fast] "
			"[-t SECONDS | -n PACKETS] [-j]\n");
	exit(2);
}

static void parse(int argc, char **argv, struct opts *o)
{
	int c;

	*o = (struct opts){.burst = 32, .txqs = 1, .seconds = 2.0};
	while ((c = getopt(argc, argv, "b:q:Q:t:n:jh")) != -1) {
		switch (c) {
		case 'b':
			o->burst = (unsigned int)atoi(optarg);
			break;
		case 'q':
			o->txqs = (unsigned int)atoi(optarg);
			break;
		case 'Q':
			o->qdisc = !strcmp(optarg, "pfifo_fast");
			break;
		case 't':
			o->seconds = atof(optarg);
			break;
		case 'n':
			o->packets = strtoul(optarg, NULL, 0);
			break;
		case 'j':
			o->json = true;
			break;
		default:
			usage();
		}
	}
	if (!o->burst || o->burst > 256 || !o->txqs || o->txqs > 4096)
		usage();
}

/* Run until the time is up, in slices; returns the elapsed seconds. */
static double run_timed(struct net_device *a, struct net_device *b, const struct opts *o)
{
	unsigned long slice = 1 + 200000 / o->burst;
	double t0 = bench_now_s(), t;

	do {
		fwd_loop(a, b, slice, o->burst);
		unetdev_cpu_run(0); /* timers and anything left pending */
		t = bench_now_s();
	} while (t - t0 < o->seconds);
	return t - t0;
}

static void report(const struct opts *o, u64 fwd, u64 rx, double secs)
{
	double mpps = (double)fwd / secs / 1e6, ns = secs * 1e9 / (double)fwd;
	const char *q = o->qdisc ? (o->txqs > 1 ? "mq+pfifo_fast" : "pfifo_fast") : "noqueue";

	if (o->json)
		printf("{\"burst\": %u, \"txqs\": %u, \"qdisc\": \"%s\", \"packets\": %llu, "
		       "\"seconds\": %.3f, \"mpps\": %.3f, \"ns_per_pkt\": %.2f, \"lost\": %lld}\n",
		       o->burst, o->txqs, q, (unsigned long long)fwd, secs, mpps, ns,
		       (long long)(rx - fwd));
	else
		printf("fwd_null burst %-3u txqs %-3u %-14s %8.2f Mpps %7.2f ns/pkt (%llu pkts)\n",
		       o->burst, o->txqs, q, mpps, ns, (unsigned long long)fwd);
}

int main(int argc, char **argv)
{
	struct unetdev_engine_config ec = {.sz = sizeof(ec), .ncpus = 1, .no_threads = true};
	struct net_device *a, *b;
	struct unetdev_null_stats sa, sb;
	struct opts o;
	double secs;
	u64 fwd;

	parse(argc, argv, &o);
	if (unetdev_engine_start(&ec) || unetdev_cpu_attach(0)) {
		fprintf(stderr, "fwd_null: cannot start the engine\n");
		return 1;
	}
	a = bench_null_create("fwd_null", "fwd0", o.txqs, o.qdisc);
	b = bench_null_create("fwd_null", "fwd1", o.txqs, o.qdisc);
	bench_fwd_wire("fwd_null", a, b);
	bench_fwd_wire("fwd_null", b, a);
	if (!o.packets) { /* warm the caches and the skb allocator (not under callgrind) */
		for (int i = 0; i < 1000; i++) {
			unetdev_null_rx_burst(a, o.burst, 64);
			unetdev_null_rx_burst(b, o.burst, 64);
		}
	}
	fwd = bench_null_tx_packets(a) + bench_null_tx_packets(b);
	if (o.packets) {
		double t0 = bench_now_s();

		fwd_loop(a, b, (o.packets + 2 * o.burst - 1) / (2 * o.burst), o.burst);
		unetdev_cpu_run(0);
		secs = bench_now_s() - t0;
	} else {
		secs = run_timed(a, b, &o);
	}
	unetdev_null_stats(a, &sa);
	unetdev_null_stats(b, &sb);
	report(&o, sa.tx_packets + sb.tx_packets - fwd, sa.rx_packets + sb.rx_packets - fwd, secs);
	unregister_netdev(a); /* rx_handler goes with the device */
	unregister_netdev(b);
	unetdev_cpu_detach();
	unetdev_engine_stop();
	return 0;
}
