// SPDX-License-Identifier: MIT
/*
 * Unit: the shared library exports only unetdev_-prefixed symbols, so it can
 * be linked beside libnl, libbpf or DPDK without clashes (DESIGN.md "The API").
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <unetdev/unetdev.h>

#include "harness.h"

TEST(exported_symbols_are_prefixed)
{
	char cmd[4200], line[512];
	int total = 0, bad = 0;
	Dl_info info;
	FILE *p;

	ASSERT_TRUE(dladdr((void *)&unetdev_dev_hold, &info));
	ASSERT_NOT_NULL(info.dli_fname);
	snprintf(cmd, sizeof(cmd), "nm -D --defined-only '%s'", info.dli_fname);
	p = popen(cmd, "r");
	ASSERT_NOT_NULL(p);
	while (fgets(line, sizeof(line), p)) {
		char addr[64], type[8], name[400];

		if (sscanf(line, "%63s %7s %399s", addr, type, name) != 3)
			continue;
		total++;
		if (strncmp(name, "unetdev_", 8) != 0) {
			fprintf(stderr, "# unprefixed export: %s", line);
			bad++;
		}
	}
	ASSERT_EQ(pclose(p), 0);
	ASSERT_GT(total, 100);
	ASSERT_EQ(bad, 0);
}

TEST(kernel_names_map_to_prefixed_symbols)
{
	/* The header's #defines route the kernel name to the exported symbol. */
	ASSERT_PTR_EQ((void *)&register_netdev, (void *)&unetdev_register_netdev);
	ASSERT_PTR_EQ((void *)&init_net, (void *)&unetdev_init_net);
}
