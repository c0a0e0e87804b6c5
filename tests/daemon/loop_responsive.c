// SPDX-License-Identifier: MIT
/*
 * Daemon suite: unetd stays responsive while its own pktgen feeds a layer-2
 * loop. The control thread is not an engine CPU: the softirq work its
 * `unet pktgen` raises runs within the kernel's __do_softirq limits (10
 * rounds, 2 ms) and the rest goes to its engine CPU (ksoftirqd,
 * docs/runtime-model.md), so the next request is answered at once instead of
 * after a second per frame.
 *
 *   veth1 --- veth0 --+
 *                     br0 --- va === vb --- br0     (va and vb both ports: the loop)
 */
#include <time.h>

#include "daemon_util.h"

static const char loop_config[] = "link add lo type loopback\n"
				  "link set lo up\n"
				  "link add veth0 type veth peer veth1\n"
				  "link add va type veth peer vb\n"
				  "link add br0 type bridge\n"
				  "link set veth0 master br0\n"
				  "link set va master br0\n"
				  "link set vb master br0\n"
				  "link set br0 up\n"
				  "link set veth0 up\n"
				  "link set veth1 up\n"
				  "link set va up\n"
				  "link set vb up\n";

static double ms_since(const struct timespec *t0)
{
	struct timespec t1;

	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (double)(t1.tv_sec - t0->tv_sec) * 1e3 + (double)(t1.tv_nsec - t0->tv_nsec) / 1e6;
}

TEST(daemon_answers_while_pktgen_feeds_a_layer2_loop)
{
	struct unetd_proc d;
	struct unet_run r;
	struct timespec t0;
	double pktgen_ms, show_ms, worst = 0;

	unetd_start(&d, loop_config, NULL);
	/* The ports forward once linkwatch has seen them up. */
	for (int i = 0; i < 1000; i++) {
		unet_run(&d, &r, "link", "show", "vb", (char *)NULL);
		if (strstr(r.out, "master br0 state UP"))
			break;
		sleep_ms(10);
	}
	ASSERT_CONTAINS(r.out, "master br0 state UP");
	clock_gettime(CLOCK_MONOTONIC, &t0);
	UNET_EXPECT(&d, 0, "", "", "pktgen", "veth1", "count", "10");
	pktgen_ms = ms_since(&t0);
	/* The loop runs on the engine; every request is still answered. */
	for (int i = 0; i < 10; i++) {
		clock_gettime(CLOCK_MONOTONIC, &t0);
		UNET_EXPECT(&d, 0, NULL, "", "link", "show", "br0");
		show_ms = ms_since(&t0);
		if (show_ms > worst)
			worst = show_ms;
	}
	/* It does loop: vb keeps receiving what it floods back. */
	for (int i = 0; i < 500; i++) {
		const char *p;

		unet_run(&d, &r, "-j", "-s", "link", "show", "vb", (char *)NULL);
		p = strstr(r.out, "\"rx\":{\"bytes\":");
		p = p ? strstr(p, "\"packets\":") : NULL;
		if (p && strtoul(p + 10, NULL, 10) > 1000)
			break;
		p = NULL;
		sleep_ms(10);
	}
	ASSERT_CONTAINS(r.out, "\"packets\":");
	ASSERT_GT(
	    strtoul(strstr(strstr(r.out, "\"rx\":{\"bytes\":"), "\"packets\":") + 10, NULL, 10),
	    1000UL);
	printf("# pktgen of 10 frames into the loop answered in %.1f ms; link show at worst %.1f "
	       "ms\n",
	       pktgen_ms, worst);
	/* Before: about 1 s per frame on the control thread. Generous for ASan on busy cores. */
	ASSERT_LT(pktgen_ms, 5000.0);
	ASSERT_LT(worst, 5000.0);
	UNET_EXPECT(&d, 0, "", "", "link", "set", "vb", "nomaster"); /* the loop is broken */
	unetd_stop_clean(&d);
}
