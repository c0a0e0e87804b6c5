/* SPDX-License-Identifier: MIT */
/*
 * kpeer.h - the kernel as the test peer: private network namespaces,
 * shell commands (iproute2), raw frames sent and counted on kernel
 * interfaces. Shared by the tests of tests/integration/ (not a test itself).
 *
 * Only Linux's own headers besides libc: <net/if.h> would clash with
 * unetdev's struct ifreq, so if_nametoindex is declared here.
 */
#ifndef UNETDEV_TEST_KPEER_H
#define UNETDEV_TEST_KPEER_H

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/if_packet.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "harness.h"

extern unsigned int if_nametoindex(const char *ifname);

/* Run a shell command (quiet unless KPEER_VERBOSE); returns its exit status. */
__attribute__((format(printf, 1, 2))) static inline int kp_sh(const char *fmt, ...)
{
	char cmd[1024];
	va_list ap;
	int st;

	va_start(ap, fmt);
	vsnprintf(cmd + 2, sizeof(cmd) - 2, fmt, ap);
	va_end(ap);
	cmd[0] = '(', cmd[1] = ' ';
	strncat(cmd, " )", sizeof(cmd) - strlen(cmd) - 1);
	if (!getenv("KPEER_VERBOSE"))
		strncat(cmd, " >/dev/null 2>&1", sizeof(cmd) - strlen(cmd) - 1);
	else
		fprintf(stderr, "# $ %s\n", cmd);
	st = system(cmd);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/*
 * Skip unless this process may create network namespaces and TAPs, then
 * move it into a fresh private network namespace of its own (freed when it
 * exits), with a private mount namespace whose /sys shows it.
 */
static inline void kp_require_netns(void)
{
	if (geteuid() != 0)
		harness_skip("needs root (CAP_NET_ADMIN) for network namespaces");
	if (access("/dev/net/tun", R_OK | W_OK))
		harness_skip("no /dev/net/tun");
	if (kp_sh("ip -V"))
		harness_skip("iproute2 (ip) is not installed");
	if (unshare(CLONE_NEWNET | CLONE_NEWNS))
		harness_skip("unshare(CLONE_NEWNET) refused: no CAP_NET_ADMIN");
	/* Our own /sys, showing this namespace's interfaces (as `ip netns exec` does). */
	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) || umount2("/sys", MNT_DETACH) ||
	    mount("sysfs", "/sys", "sysfs", 0, NULL))
		FAIL("remounting /sys in the private namespace: %s", strerror(errno));
	kp_sh("ip link set lo up");
}

/*
 * Cleanup that survives a failed or killed test: a child waits for this
 * process's end (the pipe closes) and then runs @cmd. Call before creating
 * anything global (named namespaces).
 */
static inline void kp_reaper(const char *cmd)
{
	int p[2];
	pid_t pid;

	if (pipe2(p, O_CLOEXEC))
		FAIL("pipe: %s", strerror(errno));
	pid = fork();
	if (pid < 0)
		FAIL("fork: %s", strerror(errno));
	if (pid == 0) {
		char c;

		close(p[1]);
		setsid(); /* out of the harness's way */
		while (read(p[0], &c, 1) < 0 && errno == EINTR)
			;
		kp_sh("%s", cmd);
		_exit(0);
	}
	close(p[0]); /* p[1] stays open (close-on-exec) until this process ends */
}

/* A raw AF_PACKET socket bound to kernel interface @ifname. */
static inline int kp_pkt_open(const char *ifname)
{
	struct sockaddr_ll sll = {.sll_family = AF_PACKET, .sll_protocol = htons(0x0003)};
	int fd = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, htons(0x0003));

	if (fd < 0)
		FAIL("socket(AF_PACKET): %s", strerror(errno));
	sll.sll_ifindex = (int)if_nametoindex(ifname);
	if (!sll.sll_ifindex || bind(fd, (struct sockaddr *)&sll, sizeof(sll)))
		FAIL("bind to %s: %s", ifname, strerror(errno));
	return fd;
}

/* Send one frame of @len bytes (ethertype 0x88b5, or 802.1Q-tagged when @vid). */
static inline int kp_pkt_send(int fd, const uint8_t *dst, const uint8_t *src, unsigned int len,
			      int vid)
{
	uint8_t f[10000];
	unsigned int off = 12;

	if (len > sizeof(f) || len < 18)
		return -EINVAL;
	memset(f, 0xab, len);
	memcpy(f, dst, 6);
	memcpy(f + 6, src, 6);
	if (vid >= 0) {
		f[off++] = 0x81, f[off++] = 0x00;
		f[off++] = (uint8_t)(vid >> 8), f[off++] = (uint8_t)vid;
	}
	f[off++] = 0x88, f[off++] = 0xb5;
	return send(fd, f, len, 0) == (ssize_t)len ? 0 : -errno;
}

/* /sys/class/net/@ifname/@attr as a number (-1 when unreadable). */
static inline long long kp_sysfs(const char *ifname, const char *attr)
{
	char path[256];
	long long v = -1;
	FILE *f;

	snprintf(path, sizeof(path), "/sys/class/net/%s/%s", ifname, attr);
	f = fopen(path, "r");
	if (!f)
		return -1;
	if (fscanf(f, "%lld", &v) != 1)
		v = -1;
	fclose(f);
	return v;
}

static inline int kp_mac(const char *ifname, uint8_t mac[6])
{
	char path[256];
	unsigned int m[6];
	FILE *f;
	int n;

	snprintf(path, sizeof(path), "/sys/class/net/%s/address", ifname);
	f = fopen(path, "r");
	if (!f)
		return -errno;
	n = fscanf(f, "%x:%x:%x:%x:%x:%x", &m[0], &m[1], &m[2], &m[3], &m[4], &m[5]);
	fclose(f);
	for (int i = 0; i < 6; i++)
		mac[i] = (uint8_t)m[i];
	return n == 6 ? 0 : -EINVAL;
}

static inline uint64_t kp_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/* Poll @cond every millisecond for up to @ms; true once it holds. */
#define KP_WAIT(cond, ms)                                                                          \
	({                                                                                         \
		uint64_t end_ = kp_now_ms() + (ms);                                                \
		bool ok_;                                                                          \
		while (!(ok_ = (cond)) && kp_now_ms() < end_)                                      \
			usleep(1000);                                                              \
		ok_;                                                                               \
	})

#endif
