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
 * Two ways to feed the receive side:
 *
 *   interrupt (default): each round asks each device for one burst
 *     (unetdev_null_rx_burst: the NAPI "interrupt"); the softirq runs the
 *     poll at once on this CPU, the poll makes the burst and completes. Every
 *     burst pays a whole interrupt + softirq round.
 *   polled (-p): testpmd's model in NAPI terms. Each device has a standing
 *     supply of frames (a ring that never runs dry within the window) and a
 *     NAPI weight equal to the burst (netif_napi_add_weight), so each poll
 *     call makes one burst, returns its budget and stays on the poll list:
 *     net_rx_action polls each device once per call and re-raises NET_RX,
 *     the softirq restarts, and this thread runs the rounds as ksoftirqd
 *     does (local_bh_enable). No interrupt per burst; budget 300 per
 *     net_rx_action and time_squeeze as the kernel counts them.
 *
 *   fwd_null [-p] [-b BURST] [-q TXQS] [-Q noqueue|pfifo_fast] [-t SECONDS | -n PACKETS] [-j]
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
	bool qdisc, json, polled;
	double seconds;
	unsigned long packets; /* 0: run for seconds */
};

/* Polled: @frames frames stand in each device's ring; run softirq rounds
 * until both polls have made them all. */
static void fwd_polled(struct net_device *a, struct net_device *b, unsigned long frames)
{
	u64 until = bench_null_rx_done(a) + bench_null_rx_done(b) + 2 * (u64)frames;

	local_bh_disable(); /* both on the poll list before the first round */
	unetdev_null_rx_burst(a, (unsigned int)frames, 64);
	unetdev_null_rx_burst(b, (unsigned int)frames, 64);
	local_bh_enable(); /* the softirq runs here */
	while (bench_null_rx_done(a) + bench_null_rx_done(b) < until) {
		local_bh_disable(); /* ksoftirqd: the rounds left pending */
		local_bh_enable();
	}
}

/* The measured loop: @rounds rounds of one burst per port. */
__attribute__((noinline)) void fwd_loop(struct net_device *a, struct net_device *b,
					unsigned long rounds, unsigned int burst, bool polled);
__attribute__((noinline)) void fwd_loop(struct net_device *a, struct net_device *b,
					unsigned long rounds, unsigned int burst, bool polled)
{
	if (polled) {
		fwd_polled(a, b, rounds * burst);
		return;
	}
	for (unsigned long i = 0; i < rounds; i++) {
		unetdev_null_rx_burst(a, burst, 64);
		unetdev_null_rx_burst(b, burst, 64);
	}
}

static void usage(void)
{
	fprintf(stderr, "usage: fwd_null [-p] [-b BURST] [-q TXQS] [-Q noqueue|pfifo_fast] "
			"[-t SECONDS | -n PACKETS] [-j]\n");
	exit(2);
}

static void parse(int argc, char **argv, struct opts *o)
{
	int c;

	*o = (struct opts){.burst = 32, .txqs = 1, .seconds = 2.0};
	while ((c = getopt(argc, argv, "pb:q:Q:t:n:jh")) != -1) {
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
		case 'p':
			o->polled = true;
			break;
		default:
			usage();
		}
	}
	if (!o->burst || o->burst > (o->polled ? NAPI_POLL_WEIGHT : 256) || !o->txqs ||
	    o->txqs > 4096)
		usage();
}

/* Run until the time is up, in slices; returns the elapsed seconds. */
static double run_timed(struct net_device *a, struct net_device *b, const struct opts *o)
{
	unsigned long slice = 1 + 200000 / o->burst;
	double t0 = bench_now_s(), t;

	do {
		fwd_loop(a, b, slice, o->burst, o->polled);
		unetdev_cpu_run(0); /* timers and anything left pending */
		t = bench_now_s();
	} while (t - t0 < o->seconds);
	return t - t0;
}

static void report(const struct opts *o, u64 fwd, u64 rx, double secs)
{
	double mpps = (double)fwd / secs / 1e6, ns = secs * 1e9 / (double)fwd;
	const char *q = o->qdisc ? (o->txqs > 1 ? "mq+pfifo_fast" : "pfifo_fast") : "noqueue";
	const char *mode = o->polled ? "polled" : "irq";

	if (o->json)
		printf(
		    "{\"burst\": %u, \"mode\": \"%s\", \"txqs\": %u, \"qdisc\": \"%s\", "
		    "\"packets\": %llu, \"seconds\": %.3f, \"mpps\": %.3f, \"ns_per_pkt\": %.2f, "
		    "\"lost\": %lld}\n",
		    o->burst, mode, o->txqs, q, (unsigned long long)fwd, secs, mpps, ns,
		    (long long)(rx - fwd));
	else
		printf("fwd_null burst %-3u %-6s txqs %-3u %-14s %8.2f Mpps %7.2f ns/pkt (%llu "
		       "pkts)\n",
		       o->burst, mode, o->txqs, q, mpps, ns, (unsigned long long)fwd);
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
	a = bench_null_create_weight("fwd_null", "fwd0", o.txqs, o.qdisc, o.polled ? o.burst : 0);
	b = bench_null_create_weight("fwd_null", "fwd1", o.txqs, o.qdisc, o.polled ? o.burst : 0);
	bench_fwd_wire("fwd_null", a, b);
	bench_fwd_wire("fwd_null", b, a);
	if (!o.packets) { /* warm the caches and the skb allocator (not under callgrind) */
		fwd_loop(a, b, 1000, o.burst, o.polled);
	}
	fwd = bench_null_tx_packets(a) + bench_null_tx_packets(b);
	if (o.packets) {
		double t0 = bench_now_s();

		fwd_loop(a, b, (o.packets + 2 * o.burst - 1) / (2 * o.burst), o.burst, o.polled);
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
