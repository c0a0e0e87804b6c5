// SPDX-License-Identifier: MIT
/*
 * Stress: the storm through the daemon (the reliability issue, part 1,
 * extended to unetd; docs/unetd.md, docs/reliability.md). UNETDEV_TEST_THREADED:
 * the TSan build runs it too (the daemon's engine threads are instrumented).
 *
 *   worker processes (unet commands, in an order drawn from the seed)
 *     link add/del of dummy, null, veth and bridge devices; set up/down, mtu,
 *     master/nomaster (never both ends of a veth pair: no layer-2 loop, see
 *     OP_MASTER); link show, -s, -j, bridge fdb show
 *   a pktgen process: unet pktgen on whatever exists, frames in bursts
 *   a raw client process: RTNLGRP_LINK subscriptions and dumps, left mid-dump
 *   one `unet monitor` that reads every notification until the end
 *                 \          |          /
 *                  unetd (started by the test, its own socket)
 *
 * Checked: no unet run dies by a signal or a usage error (each exits 0, 1
 * "no such device" or 2 "RTNETLINK answers"; 255 only for "master BR" when
 * there is no BR, as iproute2), unetd is alive at the end;
 * its state is consistent: every device a dump lists answers RTM_GETLINK by
 * index with the same name and `unet link show NAME`, a veth is never
 * listed without its peer, a port's IFLA_MASTER is a listed bridge; and
 * unetd exits 0 on SIGTERM: everything freed, no "leak at exit" report (and
 * LeakSanitizer clean in the ASan build).
 */
#include <sys/mman.h>

#include "../daemon/daemon_util.h"
#include "storm_util.h"

#define SD_WORKERS 3
#define SD_NAMES   14

enum sd_op { OP_ADD, OP_DEL, OP_UPDOWN, OP_MTU, OP_MASTER, OP_SHOW, OP_MAX };
static const char *const op_names[OP_MAX] = {"add", "del", "up_down", "mtu", "master", "show"};

/* The names the workers fight over: dummies/nulls, veth pairs, bridges. */
static const char *const names[SD_NAMES] = {"sd0", "sd1", "sd2",  "sd3",  "sd4",  "sd5", "sv0",
					    "sv1", "sv2", "svp0", "svp1", "svp2", "sb0", "sb1"};

/* Shared with the worker processes (MAP_SHARED). */
struct sd_shared {
	u64 ops[OP_MAX];
	u64 rc[3];     /* exit 0, 1, 2 */
	u64 no_master; /* "master BR" with no BR: exit 255 */
	u64 pktgen_runs, pktgen_ok, dumps, dumps_left;
	char bad[256]; /* the first unexpected exit */
};
static struct sd_shared *sh;

static void sd_bad(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void sd_bad(const char *fmt, ...)
{
	va_list ap;

	if (sh->bad[0])
		return;
	va_start(ap, fmt);
	vsnprintf(sh->bad, sizeof(sh->bad), fmt, ap);
	va_end(ap);
}

/* Run unet with @argv (NULL-terminated, argv[0] unused), output discarded; its exit code. */
static int sd_unet(struct unetd_proc *d, char **argv)
{
	const char *bin = tool_path("UNETD_TEST_UNET");
	int status;
	pid_t pid = fork();

	if (pid < 0)
		return -1;
	if (pid == 0) {
		int null = open("/dev/null", O_WRONLY);

		dup2(null, 1);
		dup2(null, 2);
		setenv("UNETD_SOCKET", d->sock, 1);
		argv[0] = (char *)bin;
		execv(bin, argv);
		_exit(127);
	}
	if (waitpid(pid, &status, 0) != pid)
		return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

static void sd_count(int rc, char **argv)
{
	char line[160] = "";

	if (rc >= 0 && rc <= 2) {
		__atomic_fetch_add(&sh->rc[rc], 1, __ATOMIC_RELAXED);
		return;
	}
	/* iproute2 exits -1 when the master named does not exist (invarg): so does unet. */
	if (rc == 255 && argv[4] && !strcmp(argv[4], "master")) {
		__atomic_fetch_add(&sh->no_master, 1, __ATOMIC_RELAXED);
		return;
	}
	for (int i = 1; argv[i]; i++)
		snprintf(line + strlen(line), sizeof(line) - strlen(line), " %s", argv[i]);
	sd_bad("unet%s: exit %d", line, rc);
}

#define UNET(d, ...)                                                                               \
	do {                                                                                       \
		char *argv_[] = {NULL, __VA_ARGS__, NULL};                                         \
		sd_count(sd_unet(d, argv_), argv_);                                                \
	} while (0)

static const char *pick(u64 r)
{
	return names[r % SD_NAMES];
}

static void op_add(struct unetd_proc *d, u64 r)
{
	char name[8], peer[8], age[16];
	unsigned int k = (unsigned int)(r % 4);
	unsigned int n = (unsigned int)((r >> 8) % 6);

	if (k <= 1) {
		snprintf(name, sizeof(name), "sd%u", n);
		UNET(d, "link", "add", name, "type", k ? "null" : "dummy");
	} else if (k == 2) {
		snprintf(name, sizeof(name), "sv%u", n % 3);
		snprintf(peer, sizeof(peer), "svp%u", n % 3);
		UNET(d, "link", "add", name, "type", "veth", "peer", "name", peer);
	} else {
		snprintf(name, sizeof(name), "sb%u", n % 2);
		snprintf(age, sizeof(age), "%u", (unsigned int)(r >> 16) % 300);
		UNET(d, "link", "add", name, "type", "bridge", "ageing_time", age);
	}
}

static void op_one(struct unetd_proc *d, enum sd_op op, u64 r)
{
	char mtu[16], end[8], *dev = (char *)pick(r >> 16);

	switch (op) {
	case OP_ADD:
		op_add(d, r >> 20);
		break;
	case OP_DEL:
		UNET(d, "link", "del", dev);
		break;
	case OP_UPDOWN:
		UNET(d, "link", "set", dev, (r >> 40) % 3 ? "up" : "down");
		break;
	case OP_MTU:
		snprintf(mtu, sizeof(mtu), "%u", 68 + (unsigned int)((r >> 32) % 9000));
		UNET(d, "link", "set", dev, "mtu", mtu);
		break;
	case OP_MASTER:
		/* Never a veth's svp end: with both ends in bridges a broadcast loops
		 * for ever (no STP), and unetd's own thread, transmitting into the
		 * loop, spends its 1-s softirq bound per frame (docs/reliability.md;
		 * stress/bridge_loop covers the loop). */
		if (!strncmp(dev, "svp", 3)) { /* its sv end instead */
			snprintf(end, sizeof(end), "sv%s", dev + 3);
			dev = end;
		}
		if ((r >> 40) % 3)
			UNET(d, "link", "set", dev, "master", (r >> 44) % 2 ? "sb0" : "sb1");
		else
			UNET(d, "link", "set", dev, "nomaster");
		break;
	default:
		switch ((r >> 40) % 4) {
		case 0:
			UNET(d, "link", "show");
			break;
		case 1:
			UNET(d, "-s", "link", "show", dev);
			break;
		case 2:
			UNET(d, "-j", "link", "show");
			break;
		default:
			UNET(d, "bridge", "fdb", "show");
			break;
		}
		break;
	}
	__atomic_fetch_add(&sh->ops[op], 1, __ATOMIC_RELAXED);
}

static void worker(struct unetd_proc *d, u64 st, long end)
{
	while (storm_now_ms() < end) {
		u64 r = storm_rnd(&st);

		op_one(d, (enum sd_op)(r % OP_MAX), r);
	}
}

/* unet pktgen on whatever exists (first and then 1 in 4 on a device of its
 * own, which nobody else touches, so that some bursts surely go; TSan's unet
 * takes half a second to start): up to 5,000 frames. */
static void pktgen_worker(struct unetd_proc *d, u64 st, long end)
{
	UNET(d, "link", "add", "sdpk", "type", "dummy");
	UNET(d, "link", "set", "sdpk", "up");
	for (bool first = true; first || storm_now_ms() < end; first = false) {
		u64 r = storm_rnd(&st);
		char count[16];
		char *argv[] = {
		    NULL,    "pktgen", (char *)(r % 4 && !first ? pick(r >> 2) : "sdpk"),
		    "count", count,    NULL};
		int rc;

		snprintf(count, sizeof(count), "%u", 1 + (unsigned int)((r >> 16) % 5000));
		rc = sd_unet(d, argv);
		sd_count(rc, argv);
		__atomic_fetch_add(&sh->pktgen_runs, 1, __ATOMIC_RELAXED);
		if (rc == 0)
			__atomic_fetch_add(&sh->pktgen_ok, 1, __ATOMIC_RELAXED);
	}
}

/* Join RTNLGRP_LINK (the daemon's SOL_NETLINK setsockopt request); the reply is not read. */
static void raw_subscribe(int fd)
{
	char buf[64];
	struct nlmsghdr *nlh;
	struct unetd_sockopt *opt;

	memset(buf, 0, sizeof(buf));
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = UNETD_MSG_SETSOCKOPT;
	nlh->nlmsg_flags = NLM_F_REQUEST;
	opt = mnl_nlmsg_put_extra_header(nlh, sizeof(*opt));
	*opt = (struct unetd_sockopt){SOL_NETLINK, NETLINK_ADD_MEMBERSHIP, RTNLGRP_LINK};
	if (send(fd, buf, nlh->nlmsg_len, MSG_NOSIGNAL) < 0)
		sd_bad("subscribe: %s", strerror(errno));
}

/* Monitors that subscribe, ask for a dump, read a part of it (or nothing) and leave. */
static void raw_worker(struct unetd_proc *d, u64 st, long end)
{
	char buf[UNETD_MSG_MAX];

	while (storm_now_ms() < end) {
		u64 r = storm_rnd(&st);
		struct nlmsghdr *nlh;
		int fd = raw_connect(d->sock);
		unsigned int reads = (unsigned int)(r % 4);

		if (fd < 0) {
			sd_bad("connect: %s", strerror(errno));
			return;
		}
		struct timeval tv = {0, 100000}; /* a short dump has fewer records than reads */

		setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
		if (r & 0x100)
			raw_subscribe(fd);
		nlh = link_req(buf, RTM_GETLINK, NLM_F_DUMP, 0);
		nlh->nlmsg_flags &= (unsigned short)~NLM_F_ACK;
		if (send(fd, buf, nlh->nlmsg_len, MSG_NOSIGNAL) < 0)
			sd_bad("dump request: %s", strerror(errno));
		for (unsigned int i = 0; i < reads; i++)
			if (recv(fd, buf, sizeof(buf), 0) <= 0)
				break;
		__atomic_fetch_add(&sh->dumps, 1, __ATOMIC_RELAXED);
		if (reads < 3)
			__atomic_fetch_add(&sh->dumps_left, 1, __ATOMIC_RELAXED);
		close(fd);
		usleep((useconds_t)((r >> 8) % 5000));
	}
}

static pid_t spawn(void (*fn)(struct unetd_proc *, u64, long), struct unetd_proc *d, u64 st,
		   long end)
{
	pid_t pid = fork();

	ASSERT_GE(pid, 0);
	if (pid == 0) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		fn(d, st, end);
		_exit(0);
	}
	return pid;
}

/* ---- the state at the end ---- */

struct sd_link {
	int ifindex, master;
	char name[16];
};

/* A link dump over a raw socket: up to @max links. */
static int dump_links(struct unetd_proc *d, struct sd_link *out, int max)
{
	char buf[UNETD_MSG_MAX];
	struct nlmsghdr *nlh;
	int fd = raw_connect(d->sock), n = 0;

	ASSERT_GE(fd, 0);
	nlh = link_req(buf, RTM_GETLINK, NLM_F_DUMP, 0);
	nlh->nlmsg_flags &= (unsigned short)~NLM_F_ACK;
	ASSERT_EQ(send(fd, buf, nlh->nlmsg_len, 0), (ssize_t)nlh->nlmsg_len);
	for (;;) {
		ssize_t len = recv(fd, buf, sizeof(buf), 0);
		int rem = (int)len;

		ASSERT_GT(len, 0);
		for (nlh = (void *)buf; unet_nlmsg_ok(nlh, rem); nlh = mnl_nlmsg_next(nlh, &rem)) {
			const struct ifinfomsg *ifi = mnl_nlmsg_get_payload(nlh);
			const struct nlattr *a;

			if (nlh->nlmsg_type == NLMSG_DONE) {
				close(fd);
				return n;
			}
			ASSERT_EQ(nlh->nlmsg_type, RTM_NEWLINK);
			ASSERT_LT(n, max);
			out[n] = (struct sd_link){.ifindex = ifi->ifi_index};
			mnl_attr_for_each(a, nlh, sizeof(*ifi))
			{
				if (mnl_attr_get_type(a) == IFLA_IFNAME)
					snprintf(out[n].name, sizeof(out[n].name), "%s",
						 mnl_attr_get_str(a));
				if (mnl_attr_get_type(a) == IFLA_MASTER)
					out[n].master = (int)mnl_attr_get_u32(a);
			}
			n++;
		}
	}
}

static const struct sd_link *by_name(const struct sd_link *l, int n, const char *name)
{
	for (int i = 0; i < n; i++)
		if (!strcmp(l[i].name, name))
			return &l[i];
	return NULL;
}

static const struct sd_link *by_index(const struct sd_link *l, int n, int ifindex)
{
	for (int i = 0; i < n; i++)
		if (l[i].ifindex == ifindex)
			return &l[i];
	return NULL;
}

static void check_state(struct unetd_proc *d)
{
	struct sd_link links[64];
	int n = dump_links(d, links, 64), fd = raw_connect(d->sock);
	char buf[UNETD_MSG_MAX];

	ASSERT_GE(fd, 0);
	printf("# %d links at the end:", n);
	for (int i = 0; i < n; i++)
		printf(" %s", links[i].name);
	printf("\n");
	for (int i = 0; i < n; i++) {
		const struct sd_link *l = &links[i];
		struct nlmsghdr *nlh = link_req(buf, RTM_GETLINK, 0, l->ifindex);
		char *show[] = {NULL, "link", "show", (char *)l->name, NULL};
		struct nl_reply rep;

		nlh->nlmsg_flags &= (unsigned short)~NLM_F_ACK;
		ASSERT_EQ(send(fd, buf, nlh->nlmsg_len, 0), (ssize_t)nlh->nlmsg_len);
		ASSERT_GT(raw_recv(fd, &rep, buf, sizeof(buf)), 0);
		ASSERT_EQ(rep.type, RTM_NEWLINK);
		ASSERT_EQ(sd_unet(d, show), 0);
		if (!strncmp(l->name, "sv", 2)) { /* a veth end: its peer is there too */
			char peer[16];

			snprintf(peer, sizeof(peer), l->name[2] == 'p' ? "sv%s" : "svp%s",
				 l->name + (l->name[2] == 'p' ? 3 : 2));
			if (!by_name(links, n, peer))
				FAIL("%s is listed without its peer %s", l->name, peer);
		}
		if (l->master) {
			const struct sd_link *m = by_index(links, n, l->master);

			if (!m || strncmp(m->name, "sb", 2))
				FAIL("%s: master %d is not a listed bridge", l->name, l->master);
		}
	}
	close(fd);
}

static void test_storm_daemon_under_clients(void)
{
	unsigned long seed = storm_seed();
	unsigned long secs = storm_seconds(STORM_TSAN ? 4 : 3);
	struct unetd_proc d;
	char monp[160];
	pid_t pids[SD_WORKERS + 2], mon;
	long end;
	int status;
	u64 total = 0;

	printf("# seed %lu (replay: UNETDEV_STORM_SEED=%lu), %lu s\n", seed, seed, secs);
	fflush(stdout);
	sh = mmap(NULL, sizeof(*sh), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	ASSERT_TRUE(sh != MAP_FAILED);
	memset(sh, 0, sizeof(*sh));
	unetd_start(&d, unetd_lo_only, NULL);
	mon = unet_monitor_start(&d, monp, sizeof(monp), false);
	end = storm_now_ms() + (long)secs * 1000;
	for (int i = 0; i < SD_WORKERS; i++)
		pids[i] = spawn(worker, &d, storm_stream(seed, (u64)i), end);
	pids[SD_WORKERS] = spawn(pktgen_worker, &d, storm_stream(seed, 50), end);
	pids[SD_WORKERS + 1] = spawn(raw_worker, &d, storm_stream(seed, 60), end);
	for (int i = 0; i < SD_WORKERS + 2; i++) {
		ASSERT_EQ(waitpid(pids[i], &status, 0), pids[i]);
		ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	}
	ASSERT_EQ(waitpid(d.pid, &status, WNOHANG), 0); /* unetd is alive */
	kill(mon, SIGTERM);
	waitpid(mon, NULL, 0);
	for (int op = 0; op < OP_MAX; op++) {
		printf("# op %-8s %llu\n", op_names[op], (unsigned long long)sh->ops[op]);
		total += sh->ops[op];
	}
	printf("# %llu unet commands (exit 0: %llu, 1: %llu, 2: %llu, 255 no master: %llu); pktgen "
	       "%llu runs, %llu "
	       "sent; %llu raw dumps, %llu left early; monitor read %zu bytes\n",
	       (unsigned long long)total, (unsigned long long)sh->rc[0],
	       (unsigned long long)sh->rc[1], (unsigned long long)sh->rc[2],
	       (unsigned long long)sh->no_master, (unsigned long long)sh->pktgen_runs,
	       (unsigned long long)sh->pktgen_ok, (unsigned long long)sh->dumps,
	       (unsigned long long)sh->dumps_left, strlen(read_file(monp)));
	fflush(stdout);
	if (sh->bad[0])
		FAIL("%s", sh->bad);
	ASSERT_GT(sh->rc[0], 0);
	ASSERT_GT(sh->pktgen_ok, 0);
	check_state(&d);
	unetd_stop_clean(&d); /* exit 0: everything freed, no leak report */
	munmap(sh, sizeof(*sh));
}

/* Registered by hand: the timeout follows UNETDEV_STORM_SECONDS. */
__attribute__((constructor)) static void reg_storm_daemon(void)
{
	int secs = (int)storm_seconds(3);

	harness_register("storm_daemon_under_clients", test_storm_daemon_under_clients, NULL,
			 3 * secs + 120);
}
