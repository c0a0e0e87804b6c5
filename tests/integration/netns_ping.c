// SPDX-License-Identifier: MIT
/* UNETDEV_TEST_THREADED: engine threads drive the backend, so the TSan build runs this too. */
/*
 * Integration: ping between two network namespaces whose only path runs
 * through unetdev: kernel veth -> af_packet -> an rx_handler that forwards
 * -> tap -> kernel, both directions, IPv4 and IPv6 (topology: netns_path.h).
 */
#define _GNU_SOURCE /* unshare, setns, pipe2 */
#include "netns_path.h"

static int ping(const char *ns, const char *fam, const char *addr)
{
	return kp_sh("ip netns exec %s ping %s -c 3 -i 0.2 -W 2 %s", ns, fam, addr);
}

TEST_TIMEOUT(ping_both_ways_through_af_packet_and_tap, 120)
{
	struct unetdev_af_packet_config pc = {0};
	struct unetdev_backend_stats st;
	struct np_path p;
	int r4a, r4b, r6a, r6b;

	kp_require_netns();
	if (kp_sh("command -v ping"))
		harness_skip("ping (iputils-ping) is not installed");
	np_build(&p, false, &pc);

	r4a = ping(p.nsa, "-4", "10.0.0.2");
	r4b = ping(p.nsb, "-4", "10.0.0.1");
	r6a = ping(p.nsa, "-6", "fd00::2");
	r6b = ping(p.nsb, "-6", "fd00::1");

	ASSERT_EQ(unetdev_backend_stats(p.tap, &st), 0);
	fprintf(stderr, "# tap rx %llu tx %llu\n", (unsigned long long)st.rx_packets,
		(unsigned long long)st.tx_packets);
	np_teardown(&p);
	ASSERT_EQ(r4a, 0);
	ASSERT_EQ(r4b, 0);
	ASSERT_EQ(r6a, 0);
	ASSERT_EQ(r6b, 0);
}
