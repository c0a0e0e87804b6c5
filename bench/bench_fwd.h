/* SPDX-License-Identifier: MIT */
/*
 * bench_fwd.h - what the library benchmarks share: clocks and the testpmd
 * io-forwarding pair of null devices (each one's rx_handler sends what it
 * receives out of the other), as fwd_null.c and scale.c build it; the
 * forwarding rx_handler also serves backend_pps.c.
 */
#ifndef BENCH_FWD_H
#define BENCH_FWD_H

#include <unetdev/unetdev.h>

/* Monotonic wall-clock seconds. */
double bench_now_s(void);
/* CPU seconds of the whole process (CLOCK_PROCESS_CPUTIME_ID). */
double bench_cpu_s(void);
/* A registered null device (down), or exit 1 with "@prog: @name: error". */
struct net_device *bench_null_create(const char *prog, const char *name, unsigned int txqs,
				     bool qdisc);
/* The same with RX NAPI weight @weight (frames per poll call; 0 = 64). */
struct net_device *bench_null_create_weight(const char *prog, const char *name, unsigned int txqs,
					    bool qdisc, unsigned int weight);
/* io fwd: what a device receives leaves on the device in its rx_handler_data. */
rx_handler_result_t bench_fwd_rx_handler(struct sk_buff **pskb);
/* Open @a and make it forward everything it receives out of @b; exit 1 on failure. */
void bench_fwd_wire(const char *prog, struct net_device *a, struct net_device *b);
/* Frames null device @dev has transmitted. */
u64 bench_null_tx_packets(struct net_device *dev);
/* Frames null device @dev has received or dropped (made by its NAPI poll). */
u64 bench_null_rx_done(struct net_device *dev);

#endif
