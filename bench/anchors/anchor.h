/* SPDX-License-Identifier: MIT */
/*
 * anchor.h - what the bare system-call loops of bench/anchors share:
 * clocks, CPU pinning, errors, the test frame and the measured window of
 * the two-thread mode. Standalone: no libunetdev.
 */
#ifndef BENCH_ANCHOR_H
#define BENCH_ANCHOR_H

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

/* Monotonic wall-clock seconds. */
double anchor_now(void);
/* CPU seconds of the calling thread (CLOCK_THREAD_CPUTIME_ID). */
double anchor_thread_cpu(void);
/* Pin the calling thread to @cpu (a warning when it cannot be). */
void anchor_pin(int cpu);
/* perror(@what) and exit 1. */
void anchor_die(const char *what);
/* "@what: strerror(@err)" (either sign) and exit 1. */
void anchor_fail(const char *what, int err);
/* @len bytes of test frame: to 02:00:00:00:00:02 from 02:00:00:00:00:01,
 * ethertype 0x88b5, payload byte i = i. */
void anchor_frame(uint8_t *frame, size_t len);
/* Set kernel interface @ifname up (SIOCSIFFLAGS); exits on failure. */
void anchor_if_up(const char *ifname);

/*
 * The measured window of the two-thread mode, whose threads wait for
 * @phase 1 (warm-up while 0) and stop at 2: one second of warm-up, then
 * @at_start(@arg) (a counter snapshot; may be NULL), @dur seconds measured.
 * Returns the window's length in seconds.
 */
double anchor_window(atomic_int *phase, int dur, void (*at_start)(void *), void *arg);

#endif
