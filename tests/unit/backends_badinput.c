// SPDX-License-Identifier: MIT
/*
 * Unit: bad input to the tap and af_packet constructors. Each error comes
 * back as a negative errno with a message in the log naming the cause, no
 * device is left registered, and nothing leaks (the harness checks).
 * Runs unprivileged where it can: as root, the permission tests first drop
 * to uid/gid 65534 in their own forked test process.
 */
#define _GNU_SOURCE /* setresuid */
#include <errno.h>
#include <unistd.h>

#include <unetdev/backends.h>
#include <unetdev/unetdev.h>

#include "harness.h"

static char logbuf[4096];

static void log_capture(int level, const char *line, void *ctx)
{
	size_t n = strlen(logbuf);

	snprintf(logbuf + n, sizeof(logbuf) - n, "%s\n", line);
}

static void capture(void)
{
	logbuf[0] = 0;
	unetdev_log_set_fn(log_capture, NULL);
}

static void drop_privileges(void)
{
	if (geteuid() == 0 && (setresgid(65534, 65534, 65534) || setresuid(65534, 65534, 65534)))
		harness_skip("cannot drop to uid 65534");
}

TEST(afp_nonexistent_interface_is_enodev)
{
	struct unetdev_af_packet_config cfg = {.sz = sizeof(cfg), .ifname = "nosuch0dev"};
	struct net_device *dev = NULL;

	capture();
	ASSERT_EQ(unetdev_af_packet_create(NULL, "pkt0", &cfg, &dev), -ENODEV);
	ASSERT_NULL(dev);
	ASSERT_CONTAINS(logbuf, "nosuch0dev does not exist");
	ASSERT_NULL(__dev_get_by_name(&init_net, "pkt0"));
}

TEST(afp_bad_config_is_einval)
{
	struct unetdev_af_packet_config cfg = {.sz = sizeof(cfg)};
	struct net_device *dev = NULL;

	ASSERT_EQ(unetdev_af_packet_create(NULL, NULL, NULL, &dev), -EINVAL);
	ASSERT_EQ(unetdev_af_packet_create(NULL, NULL, &cfg, &dev), -EINVAL); /* no ifname */
	cfg.ifname = "lo";
	cfg.queues = UNETDEV_BACKEND_MAX_QUEUES + 1;
	ASSERT_EQ(unetdev_af_packet_create(NULL, NULL, &cfg, &dev), -EINVAL);
	cfg.queues = 1;
	cfg.sz = 4; /* shorter than the fields every caller has */
	ASSERT_EQ(unetdev_af_packet_create(NULL, NULL, &cfg, &dev), -EINVAL);
	cfg.sz = sizeof(cfg);
	ASSERT_EQ(unetdev_af_packet_create(NULL, "a-name-far-too-long-for-ifnamsiz", &cfg, &dev),
		  -EINVAL);
	ASSERT_NULL(dev);
}

TEST(afp_non_ethernet_interface_is_refused)
{
	struct unetdev_af_packet_config cfg = {.sz = sizeof(cfg), .ifname = "lo"};
	struct net_device *dev = NULL;
	int err;

	if (geteuid() != 0)
		harness_skip("needs CAP_NET_RAW to get past the socket");
	capture();
	err = unetdev_af_packet_create(NULL, NULL, &cfg, &dev);
	ASSERT_EQ(err, -EPROTONOSUPPORT);
	ASSERT_CONTAINS(logbuf, "not an Ethernet interface");
	ASSERT_NULL(dev);
}

TEST(afp_without_cap_net_raw_is_eperm)
{
	struct unetdev_af_packet_config cfg = {.sz = sizeof(cfg), .ifname = "lo"};
	struct net_device *dev = NULL;
	int err;

	drop_privileges();
	capture();
	err = unetdev_af_packet_create(NULL, NULL, &cfg, &dev);
	ASSERT_TRUE(err == -EPERM || err == -EACCES);
	ASSERT_CONTAINS(logbuf, "CAP_NET_RAW");
	ASSERT_NULL(dev);
}

TEST(tap_without_cap_net_admin_is_eperm)
{
	struct unetdev_tap_config cfg = {.sz = sizeof(cfg), .ifname = "utapbad%d"};
	struct net_device *dev = NULL;
	int err;

	if (access("/dev/net/tun", F_OK))
		harness_skip("no /dev/net/tun");
	drop_privileges();
	capture();
	err = unetdev_tap_create(NULL, NULL, &cfg, &dev);
	ASSERT_TRUE(err == -EPERM || err == -EACCES);
	ASSERT_CONTAINS(logbuf, "tap:");
	ASSERT_NULL(dev);
}

TEST(tap_bad_config_is_einval)
{
	struct unetdev_tap_config cfg = {.sz = sizeof(cfg), .ifname = "kernel-name-too-long-x"};
	struct net_device *dev = NULL;

	ASSERT_EQ(unetdev_tap_create(NULL, NULL, &cfg, &dev), -EINVAL);
	cfg.ifname = NULL;
	cfg.queues = UNETDEV_BACKEND_MAX_QUEUES + 1;
	ASSERT_EQ(unetdev_tap_create(NULL, NULL, &cfg, &dev), -EINVAL);
	ASSERT_EQ(unetdev_tap_create(NULL, NULL, NULL, &dev), -EINVAL);
	ASSERT_NULL(dev);
}

TEST(backend_stats_of_other_device_is_einval)
{
	struct unetdev_backend_stats st;
	char buf[16];

	ASSERT_EQ(unetdev_backend_stats(NULL, &st), -EINVAL);
	ASSERT_EQ(unetdev_backend_kernel_ifname(NULL, buf, sizeof(buf)), -EINVAL);
}
