// SPDX-License-Identifier: MIT
/*
 * The harness main(): forks each test with a timeout and prints TAP.
 *   test-foo            run every test
 *   test-foo NAME...    run the named tests
 *   test-foo --list     list the test names
 * Environment: UNETDEV_TEST_TIMEOUT (seconds, default 60), UNETDEV_TEST_TIMEOUT_SCALE
 * (multiplies every timeout, for slow runners such as valgrind).
 */
#include <signal.h>
#include <stdarg.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <unetdev/unetdev.h>

#include "harness.h"

#define MAX_TESTS 512

struct test {
	const char *name;
	harness_fn fn;
	const char *skip;
	int timeout;
};

static struct test tests[MAX_TESTS];
static int ntests;
static const char *current;
static int skip_fd = -1;

void harness_register(const char *name, harness_fn fn, const char *skip_reason, int timeout_s)
{
	if (ntests == MAX_TESTS) {
		fprintf(stderr, "harness: too many tests\n");
		exit(2);
	}
	tests[ntests++] = (struct test){name, fn, skip_reason, timeout_s};
}

void harness_fail(const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "# FAIL %s at %s:%d: ", current, file, line);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n");
	fflush(stderr);
	_exit(1);
}

void harness_skip(const char *reason)
{
	if (skip_fd >= 0 && write(skip_fd, reason, strlen(reason)) < 0)
		_exit(77);
	_exit(77);
}

void expect_violations(void)
{
	unetdev_check_set_mode(UNETDEV_CHECK_WARN);
	unetdev_check_quiet(true);
}

void harness_assert_no_leaks(const char *file, int line)
{
	struct unetdev_live l;

	unetdev_run_timers();
	unetdev_live_objects(&l);
	if (l.netdevs || l.skbs || l.napis || l.modules || l.allocations)
		harness_fail(
		    file, line,
		    "leak at teardown: %ld allocations, %ld net_device, %ld skb, %ld napi, "
		    "%ld modules still live",
		    l.allocations, l.netdevs, l.skbs, l.napis, l.modules);
	if (rtnl_is_locked())
		harness_fail(file, line, "rtnl still held at teardown");
}

static void run_child(const struct test *t)
{
	unetdev_check_set_mode(UNETDEV_CHECK_ABORT);
	current = t->name;
	t->fn();
	harness_assert_no_leaks(__FILE__, __LINE__);
	fflush(stdout);
	exit(0); /* exit, not _exit: LeakSanitizer runs at exit */
}

/* Returns 0 pass, 1 fail, 77 skip. */
static int run_one(const struct test *t, int default_timeout, char *reason, size_t rlen)
{
	const char *scale_env = getenv("UNETDEV_TEST_TIMEOUT_SCALE"); /* slow runners (valgrind) */
	int scale = scale_env && atoi(scale_env) > 0 ? atoi(scale_env) : 1;
	int timeout = (t->timeout ? t->timeout : default_timeout) * scale, status = 0, p[2];
	time_t start = time(NULL);
	pid_t pid;
	ssize_t got;

	fflush(stdout);
	if (pipe(p))
		return 1;
	pid = fork();
	if (pid < 0)
		return 1;
	if (pid == 0) {
		close(p[0]);
		skip_fd = p[1];
		run_child(t);
	}
	close(p[1]);
	for (;;) {
		pid_t r = waitpid(pid, &status, WNOHANG);

		if (r == pid)
			break;
		if (time(NULL) - start > timeout) {
			kill(pid, SIGKILL);
			waitpid(pid, &status, 0);
			fprintf(stderr, "# FAIL %s: timed out after %d s\n", t->name, timeout);
			return 1;
		}
		usleep(2000);
	}
	got = read(p[0], reason, rlen - 1);
	reason[got > 0 ? got : 0] = 0;
	close(p[0]);
	if (WIFEXITED(status))
		return WEXITSTATUS(status) == 77 ? 77 : (WEXITSTATUS(status) ? 1 : 0);
	fprintf(stderr, "# FAIL %s: killed by signal %d\n", t->name, WTERMSIG(status));
	return 1;
}

static bool selected(const char *name, int argc, char **argv)
{
	if (argc < 2)
		return true;
	for (int i = 1; i < argc; i++)
		if (!strcmp(argv[i], name))
			return true;
	return false;
}

int main(int argc, char **argv)
{
	const char *env = getenv("UNETDEV_TEST_TIMEOUT");
	int timeout = env ? atoi(env) : 60, n = 0, failed = 0;

	if (argc == 2 && !strcmp(argv[1], "--list")) {
		for (int i = 0; i < ntests; i++)
			printf("%s\n", tests[i].name);
		return 0;
	}
	for (int i = 0; i < ntests; i++)
		n += selected(tests[i].name, argc, argv);
	printf("1..%d\n", n);
	n = 0;
	for (int i = 0; i < ntests; i++) {
		const struct test *t = &tests[i];
		char reason[256];
		int r;

		if (!selected(t->name, argc, argv))
			continue;
		n++;
		if (t->skip) {
			printf("ok %d - %s # SKIP %s\n", n, t->name, t->skip);
			continue;
		}
		r = run_one(t, timeout, reason, sizeof(reason));
		if (r == 77)
			printf("ok %d - %s # SKIP %s\n", n, t->name, reason);
		else
			printf("%sok %d - %s\n", r ? "not " : "", n, t->name);
		failed += r == 1;
		fflush(stdout);
	}
	return failed ? 1 : 0;
}
