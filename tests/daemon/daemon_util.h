/* SPDX-License-Identifier: MIT */
/*
 * Helpers of the daemon suite: start unetd on a private socket in a
 * temporary directory, run unet with its output captured, talk raw netlink.
 * The binaries come from the environment meson sets (UNETD_TEST_UNETD,
 * UNETD_TEST_UNET). Everything is static inline: each test file uses a part.
 */
#ifndef UNETD_TEST_UTIL_H
#define UNETD_TEST_UTIL_H

#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* struct ucred */
#endif
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "../../tools/common/uapi.h"
#include "harness.h"

struct unetd_proc {
	pid_t pid;
	char dir[64];
	char sock[128];
	char log[128];
};

static inline const char *tool_path(const char *env)
{
	const char *p = getenv(env);

	if (!p || access(p, X_OK))
		harness_skip("unetd/unet not built (run through meson test)");
	return p;
}

static inline void sleep_ms(int ms)
{
	struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};

	nanosleep(&ts, NULL);
}

static inline int raw_connect(const char *path)
{
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	int fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);

	if (strlen(path) >= sizeof(sa.sun_path))
		return -1;
	memcpy(sa.sun_path, path, strlen(path) + 1);
	if (fd >= 0 && connect(fd, (struct sockaddr *)&sa, sizeof(sa)) == 0)
		return fd;
	if (fd >= 0)
		close(fd);
	return -1;
}

static inline void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	ASSERT_NOT_NULL(f);
	fputs(text, f);
	fclose(f);
}

static inline char *read_file(const char *path)
{
	static char buf[65536];
	FILE *f = fopen(path, "r");
	size_t n = 0;

	buf[0] = 0;
	if (f) {
		n = fread(buf, 1, sizeof(buf) - 1, f);
		fclose(f);
	}
	buf[n] = 0;
	return buf;
}

/* Start unetd with @config (NULL: the embedded default), @extra an option or NULL. */
static inline void unetd_start(struct unetd_proc *d, const char *config, const char *extra)
{
	const char *bin = tool_path("UNETD_TEST_UNETD");
	char cfg[128];

	snprintf(d->dir, sizeof(d->dir), "/tmp/unetd-test-XXXXXX");
	ASSERT_NOT_NULL(mkdtemp(d->dir));
	chmod(d->dir, 0755);
	snprintf(d->sock, sizeof(d->sock), "%s/sock", d->dir);
	snprintf(d->log, sizeof(d->log), "%s/log", d->dir);
	snprintf(cfg, sizeof(cfg), "%s/unetd.conf", d->dir);
	if (config)
		write_file(cfg, config);
	d->pid = fork();
	ASSERT_GE(d->pid, 0);
	if (d->pid == 0) {
		int fd = open(d->log, O_WRONLY | O_CREAT | O_TRUNC, 0644);

		/* Never outlive a failed test, never hold the TAP pipe open. */
		prctl(PR_SET_PDEATHSIG, SIGTERM);
		dup2(fd, 1);
		dup2(fd, 2);
		if (config)
			execl(bin, bin, "-f", "-s", d->sock, "-c", cfg, extra, (char *)NULL);
		else
			execl(bin, bin, "-f", "-s", d->sock, extra, (char *)NULL);
		_exit(127);
	}
	for (int i = 0; i < 500; i++) {
		int fd = raw_connect(d->sock);

		if (fd >= 0) {
			close(fd);
			return;
		}
		if (waitpid(d->pid, NULL, WNOHANG) == d->pid)
			FAIL("unetd exited at start: %s", read_file(d->log));
		sleep_ms(10);
	}
	FAIL("unetd did not start: %s", read_file(d->log));
}

/* SIGTERM; returns the wait status. */
static inline int unetd_stop(struct unetd_proc *d)
{
	int status = -1;

	kill(d->pid, SIGTERM);
	for (int i = 0; i < 1000 && waitpid(d->pid, &status, WNOHANG) == 0; i++)
		sleep_ms(10);
	return status;
}

static inline void unetd_cleanup(struct unetd_proc *d)
{
	char cmd[160];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", d->dir);
	if (system(cmd) != 0)
		fprintf(stderr, "# cannot remove %s\n", d->dir);
}

/* Stop, and require a clean exit (0: no leaks under ASan, everything freed). */
static inline void unetd_stop_clean(struct unetd_proc *d)
{
	int status = unetd_stop(d);

	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		FAIL("unetd did not exit cleanly (status 0x%x): %s", status, read_file(d->log));
	ASSERT_NE(access(d->sock, F_OK), 0);
	unetd_cleanup(d);
}

struct unet_run {
	int rc;
	char out[32768];
	char err[4096];
};

/* Run unet with NULL-terminated arguments; output captured in @r. */
static inline int unet_run(struct unetd_proc *d, struct unet_run *r, ...)
{
	const char *bin = tool_path("UNETD_TEST_UNET");
	char *argv[32], outp[160], errp[160];
	va_list ap;
	int n = 0, status;
	pid_t pid;

	argv[n++] = (char *)bin;
	va_start(ap, r);
	while (n < 31 && (argv[n] = va_arg(ap, char *)))
		n++;
	va_end(ap);
	argv[n] = NULL;
	snprintf(outp, sizeof(outp), "%s/out", d->dir);
	snprintf(errp, sizeof(errp), "%s/err", d->dir);
	pid = fork();
	ASSERT_GE(pid, 0);
	if (pid == 0) {
		dup2(open(outp, O_WRONLY | O_CREAT | O_TRUNC, 0644), 1);
		dup2(open(errp, O_WRONLY | O_CREAT | O_TRUNC, 0644), 2);
		setenv("UNETD_SOCKET", d->sock, 1);
		execv(bin, argv);
		_exit(127);
	}
	waitpid(pid, &status, 0);
	r->rc = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
	snprintf(r->out, sizeof(r->out), "%s", read_file(outp));
	snprintf(r->err, sizeof(r->err), "%s", read_file(errp));
	return r->rc;
}

/* Run unet and require exit code @rc, stdout @out and stderr @err (NULL: not checked). */
#define UNET_EXPECT(d, rc_, out_, err_, ...)                                                       \
	do {                                                                                       \
		struct unet_run r_;                                                                \
		unet_run(d, &r_, __VA_ARGS__, (char *)NULL);                                       \
		if ((out_) != NULL)                                                                \
			ASSERT_STR_EQ(r_.out, (const char *)(out_));                               \
		if ((err_) != NULL)                                                                \
			ASSERT_STR_EQ(r_.err, (const char *)(err_));                               \
		ASSERT_EQ(r_.rc, rc_);                                                             \
	} while (0)

/* UNET_EXPECT for state that settles asynchronously (linkwatch): retried for up to 10 s. */
#define UNET_EXPECT_EVENTUALLY(d, rc_, out_, err_, ...)                                            \
	do {                                                                                       \
		struct unet_run r_;                                                                \
		for (int try_ = 0; try_ < 1000; try_++) {                                          \
			unet_run(d, &r_, __VA_ARGS__, (char *)NULL);                               \
			if (r_.rc == (rc_) && strcmp(r_.out, (out_)) == 0 &&                       \
			    strcmp(r_.err, (err_)) == 0)                                           \
				break;                                                             \
			sleep_ms(10);                                                              \
		}                                                                                  \
		ASSERT_STR_EQ(r_.out, (const char *)(out_));                                       \
		ASSERT_STR_EQ(r_.err, (const char *)(err_));                                       \
		ASSERT_EQ(r_.rc, rc_);                                                             \
	} while (0)

/* A configuration with only the loopback device, up. */
static const char *const unetd_lo_only = "link add lo type loopback\nlink set lo up\n";

/* The path of test module @name (meson passes UNETDEV_TEST_MODULE_<name>); skips without. */
static inline const char *test_module_path(const char *name)
{
	char env[64];
	const char *p;

	snprintf(env, sizeof(env), "UNETDEV_TEST_MODULE_%s", name);
	p = getenv(env); // NOLINT(concurrency-mt-unsafe): the test is single-threaded
	if (!p || !*p)
		harness_skip("test modules not built (run through meson test)");
	return p;
}

/*
 * Start `unet [-j] monitor link` writing to @outp (a file in the daemon's
 * directory) and return once it is subscribed: lo's MTU is poked until a
 * change shows (no fixed sleep). The caller kills and reaps the pid.
 */
static inline pid_t unet_monitor_start(struct unetd_proc *d, char *outp, size_t len, bool json)
{
	const char *probe = json ? "\"ifname\":\"lo\"" : "1: lo: ";
	const char *got = "";
	struct unet_run r;
	pid_t mon;

	snprintf(outp, len, "%s/monitor", d->dir);
	mon = fork();
	ASSERT_GE(mon, 0);
	if (mon == 0) {
		const char *bin = tool_path("UNETD_TEST_UNET");

		prctl(PR_SET_PDEATHSIG, SIGTERM);
		dup2(open(outp, O_WRONLY | O_CREAT | O_TRUNC, 0644), 1);
		setenv("UNETD_SOCKET", d->sock, 1);
		if (json)
			execl(bin, bin, "-j", "monitor", (char *)NULL);
		else
			execl(bin, bin, "monitor", "link", (char *)NULL);
		_exit(127);
	}
	for (int i = 0; i < 1000 && !strstr(got, probe); i++) {
		unet_run(d, &r, "link", "set", "lo", "mtu", i % 2 ? "65535" : "65536",
			 (char *)NULL);
		ASSERT_EQ(r.rc, 0);
		sleep_ms(20);
		got = read_file(outp);
	}
	ASSERT_CONTAINS(got, probe);
	return mon;
}

/* ---- raw netlink ---- */

struct nl_reply {
	int error;     /* NLMSG_ERROR's error, 1 for a non-error message */
	char msg[256]; /* NLMSGERR_ATTR_MSG */
	unsigned int seq;
	int type;
};

/* Receive one record and decode its first message. -1 on EOF. */
static inline int raw_recv(int fd, struct nl_reply *rep, char *buf, size_t len)
{
	ssize_t n = recv(fd, buf, len, 0);
	const struct nlmsghdr *nlh = (const void *)buf;

	memset(rep, 0, sizeof(*rep));
	if (n < (ssize_t)sizeof(*nlh))
		return -1;
	rep->type = nlh->nlmsg_type;
	rep->seq = nlh->nlmsg_seq;
	rep->error = 1;
	if (nlh->nlmsg_type == NLMSG_ERROR) {
		const struct nlmsgerr *e = mnl_nlmsg_get_payload(nlh);
		const struct nlattr *attr;

		rep->error = e->error;
		mnl_attr_for_each(attr, nlh, sizeof(*e))
		{
			if (mnl_attr_get_type(attr) == NLMSGERR_ATTR_MSG)
				snprintf(rep->msg, sizeof(rep->msg), "%s", mnl_attr_get_str(attr));
		}
	}
	return (int)n;
}

/* Send @len bytes and expect NLMSG_ERROR @err with a message containing @msg. */
static inline void raw_expect(int fd, const void *req, size_t len, int err, const char *msg)
{
	char buf[UNETD_MSG_MAX];
	struct nl_reply rep;

	ASSERT_EQ(send(fd, req, len, 0), (ssize_t)len);
	ASSERT_GT(raw_recv(fd, &rep, buf, sizeof(buf)), 0);
	ASSERT_EQ(rep.type, NLMSG_ERROR);
	ASSERT_EQ(rep.error, err);
	if (msg)
		ASSERT_CONTAINS(rep.msg, msg);
}

/* A link request in @buf: header + ifinfomsg; attributes are added with mnl. */
static inline struct nlmsghdr *link_req(char *buf, int type, int flags, int ifindex)
{
	struct nlmsghdr *nlh;
	struct ifinfomsg *ifi;

	memset(buf, 0, MNL_NLMSG_HDRLEN + sizeof(*ifi));
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = (unsigned short)type;
	nlh->nlmsg_flags = (unsigned short)(NLM_F_REQUEST | NLM_F_ACK | flags);
	nlh->nlmsg_seq = 42;
	ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));
	ifi->ifi_index = ifindex;
	return nlh;
}

#endif
