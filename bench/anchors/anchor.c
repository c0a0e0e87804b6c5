// SPDX-License-Identifier: MIT
/* anchor.c - see anchor.h. */
#define _GNU_SOURCE /* pthread_setaffinity_np */
#include "anchor.h"

#include <errno.h>
#include <net/if.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static double clock_s(clockid_t clk)
{
	struct timespec ts;

	clock_gettime(clk, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

double anchor_now(void)
{
	return clock_s(CLOCK_MONOTONIC);
}

double anchor_thread_cpu(void)
{
	return clock_s(CLOCK_THREAD_CPUTIME_ID);
}

void anchor_pin(int cpu)
{
	cpu_set_t s;
	int err;

	CPU_ZERO(&s);
	CPU_SET(cpu, &s);
	err = pthread_setaffinity_np(pthread_self(), sizeof(s), &s);
	if (err)
		fprintf(stderr, "pthread_setaffinity_np(%d): %s\n", cpu, strerror(err));
}

void anchor_die(const char *what)
{
	perror(what);
	exit(1);
}

void anchor_fail(const char *what, int err)
{
	fprintf(stderr, "%s: %s\n", what, strerror(err < 0 ? -err : err));
	exit(1);
}

void anchor_frame(uint8_t *frame, size_t len)
{
	static const uint8_t hdr[14] = {2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1, 0x88, 0xb5};

	memcpy(frame, hdr, sizeof(hdr));
	for (size_t i = sizeof(hdr); i < len; i++)
		frame[i] = (uint8_t)i;
}

void anchor_if_up(const char *ifname)
{
	struct ifreq f = {0};
	int s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);

	if (s < 0)
		anchor_die("socket");
	snprintf(f.ifr_name, sizeof(f.ifr_name), "%s", ifname);
	if (ioctl(s, SIOCGIFFLAGS, &f))
		anchor_die("SIOCGIFFLAGS");
	f.ifr_flags |= IFF_UP;
	if (ioctl(s, SIOCSIFFLAGS, &f))
		anchor_die("SIOCSIFFLAGS");
	close(s);
}

double anchor_window(atomic_int *phase, int dur, void (*at_start)(void *), void *arg)
{
	double t0;

	usleep(1000000);
	if (at_start)
		at_start(arg);
	t0 = anchor_now();
	atomic_store(phase, 1);
	usleep((useconds_t)dur * 1000000);
	atomic_store(phase, 2);
	return anchor_now() - t0;
}
