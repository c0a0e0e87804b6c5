// SPDX-License-Identifier: MIT
/*
 * backend_pps - packets per second through a kernel-backed backend (tap,
 * af_packet, af_xdp) used through the library API, on one engine CPU driven
 * inline by this thread. Two unetdev devices A and B sit on two kernel
 * interfaces that the caller has joined (a veth pair, or two TAPs looped
 * with tc mirred).
 *
 *   -m oneway  A transmits 64 B frames (netdev_alloc_skb + dev_queue_xmit,
 *              bursts of -b, then one engine round); B receives them through
 *              its NAPI poll; the figure is B's rx packets per second. The
 *              bare twin is bench/anchors/{afpacket_veth,tap_pps,afxdp_veth}.c:
 *              the same system calls in a plain loop.
 *   -m fwd     testpmd io-fwd: both devices promiscuous, an rx_handler sends
 *              what A receives out of B and the other way round; each device
 *              is seeded with -s frames, which then circulate through the
 *              kernel. The figure is the sum of both devices' tx packets per
 *              second, as testpmd's sum of both ports' Rx-pps.
 *
 *   -d DEFER -g NS  napi_defer_hard_irqs and gro_flush_timeout (ns) of both
 *              devices (default 0 and 0: an interrupt per poll, masked lazily)
 *   -P         the engine CPU busy-polls deferred NAPIs instead of waiting
 *              (unetdev_engine_config.busy_poll; it spins)
 *
 *   backend_pps -B tap|af_packet|af_xdp -a IFA -z IFB [-m oneway|fwd]
 *               [-b BURST] [-s SEED] [-t SECONDS] [-d DEFER -g NS] [-P] [-j]
 *
 * The output names the NAPI mode of the run: "irq" (no deferral), "defer"
 * (deferral, waiting for the timer) or "busy" (deferral and busy polling).
 *
 * Prints one line (JSON with -j). Exit 77 with "skipped: ..." when the
 * backend is not built or the caller lacks the privileges.
 */
#include <arpa/inet.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unetdev/backends.h>
#include <unetdev/engine.h>
#include <unetdev/etherdevice.h>
#include <unetdev/unetdev.h>

#include "bench_fwd.h"

struct opts {
	const char *backend, *ifa, *ifb, *mode;
	unsigned int burst, seed, defer;
	unsigned long gro_flush_ns;
	double seconds;
	bool json, busy;
};

static const char *napi_mode(const struct opts *o)
{
	if (!o->defer || !o->gro_flush_ns)
		return "irq";
	return o->busy ? "busy" : "defer";
}

static int mkdev(const struct opts *o, const char *ifname, struct net_device **out)
{
	if (!strcmp(o->backend, "tap")) {
		struct unetdev_tap_config c = {.sz = sizeof(c), .ifname = ifname};

		return unetdev_tap_create(NULL, NULL, &c, out);
	}
	if (!strcmp(o->backend, "af_packet")) {
		struct unetdev_af_packet_config c = {
		    .sz = sizeof(c), .ifname = ifname, .qdisc_bypass = true};

		return unetdev_af_packet_create(NULL, NULL, &c, out);
	}
	if (!strcmp(o->backend, "af_xdp")) {
		struct unetdev_af_xdp_config c = {
		    .sz = sizeof(c), .ifname = ifname, .mode = UNETDEV_XDP_COPY};

		return unetdev_af_xdp_create(NULL, NULL, &c, out);
	}
	return -EINVAL;
}

static struct unetdev_backend_stats stats(const struct opts *o, struct net_device *dev)
{
	struct unetdev_backend_stats st = {0};

	if (!strcmp(o->backend, "af_xdp"))
		unetdev_af_xdp_stats(dev, &st, NULL);
	else
		unetdev_backend_stats(dev, &st);
	return st;
}

/*
 * One burst of @n frames, handed to dev_queue_xmit() one at a time with BHs
 * disabled around the burst, as the kernel's pktgen transmits: the driver's
 * doorbell (sendmmsg, ring kick) is deferred to local_bh_enable(), so the
 * burst is one system call as in the bare loop (include/unetdev/xmit_flush.h).
 */
static void xmit_burst(struct net_device *from, const u8 *dst, unsigned int n)
{
	local_bh_disable();
	for (unsigned int i = 0; i < n; i++) {
		struct sk_buff *skb = netdev_alloc_skb(from, 64);
		u8 *d;

		if (!skb)
			break;
		d = skb_put(skb, 64);
		memset(d, 0, 64);
		memcpy(d, dst, ETH_ALEN);
		memcpy(d + ETH_ALEN, from->dev_addr, ETH_ALEN);
		d[12] = 0x88, d[13] = 0xb5; /* IEEE local experimental: the kernel drops it */
		skb->protocol = htons(0x88b5);
		skb->dev = from;
		dev_queue_xmit(skb);
	}
	local_bh_enable();
}

static void usage(void)
{
	fprintf(stderr, "usage: backend_pps -B tap|af_packet|af_xdp -a IFA -z IFB "
			"[-m oneway|fwd] [-b BURST] [-s SEED] [-t SECONDS] [-d DEFER -g NS] "
			"[-P] [-j]\n");
	exit(2);
}

static void parse(int argc, char **argv, struct opts *o)
{
	int c;

	*o = (struct opts){.mode = "oneway", .burst = 32, .seed = 256, .seconds = 2.0};
	while ((c = getopt(argc, argv, "B:a:z:m:b:s:t:d:g:Pj")) != -1) {
		switch (c) {
		case 'B':
			o->backend = optarg;
			break;
		case 'a':
			o->ifa = optarg;
			break;
		case 'z':
			o->ifb = optarg;
			break;
		case 'm':
			o->mode = optarg;
			break;
		case 'b':
			o->burst = (unsigned int)atoi(optarg);
			break;
		case 's':
			o->seed = (unsigned int)atoi(optarg);
			break;
		case 't':
			o->seconds = atof(optarg);
			break;
		case 'd':
			o->defer = (unsigned int)atoi(optarg);
			break;
		case 'g':
			o->gro_flush_ns = strtoul(optarg, NULL, 0);
			break;
		case 'P':
			o->busy = true;
			break;
		case 'j':
			o->json = true;
			break;
		default:
			usage();
		}
	}
	if (!o->backend || !o->ifa || !o->ifb || !o->burst || o->burst > 1024 ||
	    (strcmp(o->mode, "oneway") && strcmp(o->mode, "fwd")))
		usage();
}

static void open_dev(const struct opts *o, struct net_device *dev, struct net_device *peer,
		     bool fwd)
{
	int err;

	rtnl_lock();
	err = netdev_set_defer_hard_irqs(dev, o->defer);
	if (!err)
		err = netdev_set_gro_flush_timeout(dev, o->gro_flush_ns);
	if (!err)
		err = dev_open(dev, NULL);
	if (!err && fwd)
		err = dev_set_promiscuity(dev, 1);
	if (!err && fwd)
		err = netdev_rx_handler_register(dev, bench_fwd_rx_handler, peer);
	rtnl_unlock();
	if (err) {
		fprintf(stderr, "backend_pps: cannot open %s: %s\n", dev->name,
			unetdev_strerror(err));
		exit(1);
	}
}

/* Wait until both devices have carrier (the kernel side is up). */
static void wait_carrier(struct net_device *a, struct net_device *b)
{
	double t0 = bench_now_s();

	while (!(netif_carrier_ok(a) && netif_carrier_ok(b)) && bench_now_s() - t0 < 10.0)
		unetdev_cpu_run(10);
}

static double run_oneway(const struct opts *o, struct net_device *a, struct net_device *b,
			 u64 *count, double *cpu)
{
	double t0, t, warm = bench_now_s();
	u64 rx0;

	while (bench_now_s() - warm < 0.5) { /* warm-up */
		xmit_burst(a, b->dev_addr, o->burst);
		unetdev_cpu_run(0);
	}
	rx0 = stats(o, b).rx_packets;
	*cpu = bench_cpu_s();
	t0 = bench_now_s();
	do {
		for (int i = 0; i < 64; i++) {
			xmit_burst(a, b->dev_addr, o->burst);
			unetdev_cpu_run(0);
		}
		t = bench_now_s();
	} while (t - t0 < o->seconds);
	*cpu = bench_cpu_s() - *cpu;
	*count = stats(o, b).rx_packets - rx0;
	return t - t0;
}

static double run_fwd(const struct opts *o, struct net_device *a, struct net_device *b, u64 *count,
		      double *cpu)
{
	double t0, t, warm;
	u64 tx0;

	xmit_burst(a, b->dev_addr, o->seed);
	xmit_burst(b, a->dev_addr, o->seed);
	warm = bench_now_s();
	while (bench_now_s() - warm < 0.5)
		unetdev_cpu_run(1);
	tx0 = stats(o, a).tx_packets + stats(o, b).tx_packets;
	*cpu = bench_cpu_s();
	t0 = bench_now_s();
	do {
		for (int i = 0; i < 256; i++)
			unetdev_cpu_run(1);
		t = bench_now_s();
	} while (t - t0 < o->seconds);
	*cpu = bench_cpu_s() - *cpu;
	*count = stats(o, a).tx_packets + stats(o, b).tx_packets - tx0;
	return t - t0;
}

int main(int argc, char **argv)
{
	struct unetdev_engine_config ec = {.sz = sizeof(ec), .ncpus = 1, .no_threads = true};
	struct net_device *a = NULL, *b = NULL;
	struct unetdev_backend_stats sa, sb;
	struct opts o;
	double secs, cpu;
	bool fwd;
	u64 n;
	int err;

	parse(argc, argv, &o);
	ec.busy_poll = o.busy;
	fwd = !strcmp(o.mode, "fwd");
	if (!unetdev_backend_available(o.backend)) {
		printf("skipped: backend %s not built or not supported by the kernel\n", o.backend);
		return 77;
	}
	if (unetdev_engine_start(&ec) || unetdev_cpu_attach(0)) {
		fprintf(stderr, "backend_pps: cannot start the engine\n");
		return 1;
	}
	err = mkdev(&o, o.ifa, &a);
	if (!err)
		err = mkdev(&o, o.ifb, &b);
	if (err == -EPERM || err == -EACCES) {
		printf("skipped: %s needs CAP_NET_ADMIN/CAP_NET_RAW (%s)\n", o.backend,
		       unetdev_strerror(err));
		return 77;
	}
	if (err) {
		fprintf(stderr, "backend_pps: %s on %s/%s: %s\n", o.backend, o.ifa, o.ifb,
			unetdev_strerror(err));
		return 1;
	}
	open_dev(&o, a, b, fwd);
	open_dev(&o, b, a, fwd);
	wait_carrier(a, b);
	secs = fwd ? run_fwd(&o, a, b, &n, &cpu) : run_oneway(&o, a, b, &n, &cpu);
	sa = stats(&o, a);
	sb = stats(&o, b);
	if (o.json)
		printf("{\"backend\": \"%s\", \"mode\": \"%s\", \"napi\": \"%s\", "
		       "\"defer_hard_irqs\": %u, \"gro_flush_timeout\": %lu, "
		       "\"burst\": %u, \"packets\": %llu, "
		       "\"seconds\": %.3f, \"mpps\": %.4f, \"cpu_s\": %.3f, \"cpu_mpps\": %.4f, "
		       "\"tx_busy\": %llu, \"tx_errors\": %llu, "
		       "\"rx_filtered\": %llu}\n",
		       o.backend, o.mode, napi_mode(&o), o.defer, o.gro_flush_ns, o.burst,
		       (unsigned long long)n, secs, (double)n / secs / 1e6, cpu,
		       cpu > 0 ? (double)n / cpu / 1e6 : 0.0,
		       (unsigned long long)(sa.tx_busy + sb.tx_busy),
		       (unsigned long long)(sa.tx_errors + sb.tx_errors),
		       (unsigned long long)(sa.rx_filtered + sb.rx_filtered));
	else
		printf(
		    "backend_pps %s %s napi %s burst %u: %.3f Mpps, %.3f Mpps/cpu-s (%llu packets "
		    "in %.2f s)\n",
		    o.backend, o.mode, napi_mode(&o), o.burst, (double)n / secs / 1e6,
		    cpu > 0 ? (double)n / cpu / 1e6 : 0.0, (unsigned long long)n, secs);
	unregister_netdev(a);
	unregister_netdev(b);
	unetdev_cpu_detach();
	unetdev_engine_stop();
	return 0;
}
