// SPDX-License-Identifier: MIT
/*
 * Conformance: devices outlive their driver module (R-ALLOC-23, R-ALLOC-24).
 *
 * The pathological case of the 2013 text: a reader holds a sysfs attribute
 * of a device open while the driver module is unloaded. Here the module is
 * tests/modules/mod_dummy.so (ops, setup and priv_destructor inside it) and
 * the reader is an attribute handle. After the unload the code is unmapped
 * (dlclose); reads fail with -ENODEV without calling into it, and closing
 * the handle releases the memory (the harness leak check and ASan prove it).
 */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <unetdev/unetdev.h>

#include "harness.h"

static const char *mod_path(void)
{
	const char *p = getenv("UNETDEV_TEST_MODULE_MOD_DUMMY"); // NOLINT(concurrency-mt-unsafe)

	if (!p || !*p)
		harness_skip("UNETDEV_TEST_MODULE_MOD_DUMMY not set (run through meson test)");
	return p;
}

static struct module *load_dummy(void)
{
	struct module *mod = NULL;

	ASSERT_EQ(unetdev_module_load(mod_path(), &mod), 0);
	ASSERT_NOT_NULL(mod);
	return mod;
}

static long live_netdevs(void)
{
	struct unetdev_live l;

	unetdev_live_objects(&l);
	return l.netdevs;
}

static long live_modules(void)
{
	struct unetdev_live l;

	unetdev_live_objects(&l);
	return l.modules;
}

TEST(r_alloc_24_module_registers_device)
{
	struct module *mod = load_dummy();
	struct net_device *dev;

	ASSERT_STR_EQ(unetdev_module_name(mod), "mod_dummy");
	ASSERT_PTR_EQ(unetdev_module_find("mod_dummy"), mod);
	ASSERT_EQ(live_modules(), 1);
	dev = dev_get_by_name(&init_net, "moddummy0");
	ASSERT_NOT_NULL(dev);
	dev_put(dev);
	ASSERT_EQ(unetdev_module_unload(mod), 0);
	ASSERT_NULL(unetdev_module_find("mod_dummy"));
	ASSERT_NULL(dev_get_by_name(&init_net, "moddummy0"));
}

TEST(r_alloc_24_attr_read_after_unload_is_enodev)
{
	struct module *mod = load_dummy();
	struct unetdev_attr *a = NULL;
	char buf[64];

	ASSERT_EQ(unetdev_attr_open(&init_net, "moddummy0", "mtu", &a), 0);
	ASSERT_EQ(unetdev_attr_read(a, buf, sizeof(buf)), 5);
	ASSERT_STR_EQ(buf, "1500\n");

	/* exit unregisters and frees the device; dlclose unmaps the code. */
	ASSERT_EQ(unetdev_module_unload(mod), 0);
	ASSERT_EQ(unetdev_attr_read(a, buf, sizeof(buf)), -ENODEV);
	ASSERT_EQ(unetdev_attr_read(a, buf, sizeof(buf)), -ENODEV);
	unetdev_attr_close(a);
}

TEST(r_alloc_23_memory_released_at_last_handle)
{
	struct module *mod = load_dummy();
	struct unetdev_attr *a = NULL, *b = NULL;
	char buf[64];

	ASSERT_EQ(unetdev_attr_open(&init_net, "moddummy0", "ifindex", &a), 0);
	ASSERT_EQ(unetdev_attr_open(&init_net, "moddummy0", "address", &b), 0);
	ASSERT_EQ(unetdev_module_unload(mod), 0);
	/* Freed by the driver, but the memory stays for the open handles. */
	ASSERT_EQ(live_netdevs(), 1);
	ASSERT_EQ(live_modules(), 0);
	unetdev_attr_close(a);
	ASSERT_EQ(live_netdevs(), 1);
	ASSERT_EQ(unetdev_attr_read(b, buf, sizeof(buf)), -ENODEV);
	unetdev_attr_close(b);
	ASSERT_EQ(live_netdevs(), 0);
}

TEST(r_alloc_24_every_attr_fails_after_unload)
{
	static const char *const names[] = {"mtu",     "ifindex",      "operstate", "flags",
					    "carrier", "tx_queue_len", "address"};
	struct unetdev_attr *a[7];
	struct module *mod = load_dummy();
	char buf[64];

	for (int i = 0; i < 7; i++)
		ASSERT_EQ(unetdev_attr_open(&init_net, "moddummy0", names[i], &a[i]), 0);
	ASSERT_EQ(unetdev_attr_read(a[2], buf, sizeof(buf)), 5);
	ASSERT_STR_EQ(buf, "down\n"); /* registered, never opened */
	ASSERT_EQ(unetdev_attr_read(a[4], buf, sizeof(buf)), -EINVAL); /* carrier: not running */
	ASSERT_GT(unetdev_attr_read(a[6], buf, sizeof(buf)), 0);
	ASSERT_EQ(strlen(buf), 18u); /* aa:bb:cc:dd:ee:ff\n */
	ASSERT_EQ(unetdev_module_unload(mod), 0);
	for (int i = 0; i < 7; i++) {
		ASSERT_EQ(unetdev_attr_read(a[i], buf, sizeof(buf)), -ENODEV);
		unetdev_attr_close(a[i]);
	}
}

TEST(r_alloc_24_attr_open_unknown)
{
	struct module *mod = load_dummy();
	struct unetdev_attr *a = NULL;

	ASSERT_EQ(unetdev_attr_open(&init_net, "moddummy0", "no_such_attr", &a), -ENOENT);
	ASSERT_EQ(unetdev_attr_open(&init_net, "nosuchdev0", "mtu", &a), -ENODEV);
	ASSERT_EQ(unetdev_module_unload(mod), 0);
	ASSERT_EQ(unetdev_attr_open(&init_net, "moddummy0", "mtu", &a), -ENODEV);
}

TEST(r_alloc_24_load_missing_path_is_enoent)
{
	struct module *mod = NULL;

	ASSERT_EQ(unetdev_module_load("/nonexistent/dir/mod_none.so", &mod), -ENOENT);
	ASSERT_NULL(mod);
	ASSERT_EQ(unetdev_module_load("", &mod), -EINVAL);
	ASSERT_EQ(unetdev_module_load(NULL, &mod), -EINVAL);
}

TEST(r_alloc_24_load_not_a_module_is_enoexec)
{
	char path[] = "/tmp/unetdev-notamodule-XXXXXX";
	struct module *mod = NULL;
	int fd = mkstemp(path);

	ASSERT_GE(fd, 0);
	ASSERT_EQ(write(fd, "not an ELF object\n", 18), 18);
	close(fd);
	ASSERT_EQ(unetdev_module_load(path, &mod), -ENOEXEC);
	unlink(path);
	ASSERT_EQ(unetdev_module_load("/tmp", &mod), -ENOEXEC); /* a directory */
	ASSERT_EQ(live_modules(), 0);
}

TEST(r_alloc_24_load_twice_is_eexist)
{
	struct module *mod = load_dummy(), *again = NULL;

	ASSERT_EQ(unetdev_module_load(mod_path(), &again), -EEXIST);
	ASSERT_NULL(again);
	ASSERT_EQ(live_modules(), 1);
	ASSERT_EQ(unetdev_module_unload(mod), 0);
	/* Unloaded: it can be loaded again. */
	mod = load_dummy();
	ASSERT_EQ(unetdev_module_unload(mod), 0);
}

TEST(r_alloc_24_init_failure_unloads)
{
	struct module *mod = NULL;

	setenv("UNETDEV_MOD_DUMMY_FAIL_INIT", "1", 1); // NOLINT(concurrency-mt-unsafe)
	ASSERT_EQ(unetdev_module_load(mod_path(), &mod), -ENODEV);
	unsetenv("UNETDEV_MOD_DUMMY_FAIL_INIT"); // NOLINT(concurrency-mt-unsafe)
	ASSERT_NULL(mod);
	ASSERT_NULL(unetdev_module_find("mod_dummy"));
	ASSERT_EQ(live_modules(), 0);
	mod = load_dummy();
	ASSERT_EQ(unetdev_module_unload(mod), 0);
}
