// SPDX-License-Identifier: MIT
/*
 * unetd - host unetdev devices and drivers for processes that do not embed
 * the library, and answer rtnetlink requests on a UNIX socket (docs/unetd.md).
 *
 * Start-up, in order: 1) daemonize (before the library starts any thread);
 * 2) block SIGTERM/SIGINT (every thread inherits the mask; the main loop
 * lets them in only while it waits); 3) register the link types and the link
 * listener; 4) apply the configuration; 5) listen; 6) report readiness.
 * SIGTERM/SIGINT: clients closed, every device deleted (unregistering the
 * link types deletes their devices), listener removed, leak check, exit 0.
 */
#include <fcntl.h>
#include <getopt.h>
#include <grp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <unetdev/if_bridge.h>

#include "../common/linkargs.h"
#include "server.h"

#include <unetdev/engine.h>
#include <unetdev/link_backends.h>

struct options {
	const char *config;
	const char *socket;
	const char *group;
	bool daemonize;
	bool syslog;
	bool busy_poll;
	unsigned long defer_hard_irqs, gro_flush_timeout;
};

static bool use_syslog;
static volatile sig_atomic_t stop;

void unetd_log(int prio, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	if (use_syslog) {
		vsyslog(prio, fmt, ap);
	} else {
		fputs("unetd: ", stderr);
		vfprintf(stderr, fmt, ap);
		fputc('\n', stderr);
	}
	va_end(ap);
}

static void library_log(int level, const char *line, void *ctx)
{
	unetd_log(level < 0 || level > 7 ? LOG_INFO : level, "%s", line);
}

static void usage(FILE *f)
{
	fprintf(
	    f, "Usage: unetd [OPTIONS]\n"
	       "\n"
	       "Host unetdev network devices and answer rtnetlink requests (from unet)\n"
	       "on a UNIX socket. Without -c it creates lo (up), veth0/veth1 and null0.\n"
	       "\n"
	       "Options:\n"
	       "  -c, --config FILE   apply FILE (lines like \"link add veth0 type veth peer "
	       "veth1\")\n"
	       "  -s, --socket PATH   control socket (default: $UNETD_SOCKET, /run/unetd.sock as\n"
	       "                      root, else $XDG_RUNTIME_DIR/unetd.sock)\n"
	       "  -g, --group GROUP   group that may use the socket (default: the daemon's group)\n"
	       "  -f, --foreground    stay in the foreground (the default)\n"
	       "  -d, --daemon        detach; exits once the socket is ready\n"
	       "      --syslog        log through syslog instead of stderr (implied by -d)\n"
	       "      --napi-defer-hard-irqs N\n"
	       "                      napi_defer_hard_irqs of every device it hosts (default 0)\n"
	       "      --gro-flush-timeout NS\n"
	       "                      gro_flush_timeout of every device it hosts (default 0)\n"
	       "      --busy-poll     engine CPUs re-poll deferred NAPIs instead of sleeping\n"
	       "                      (spins while traffic flows)\n"
	       "  -h, --help          show this help\n"
	       "  -V, --version       show the version\n");
}

static int parse_ulong(const char *text, unsigned long *out)
{
	char *end;

	errno = 0;
	*out = strtoul(text, &end, 0);
	return errno || end == text || *end || text[0] == '-' ? -1 : 0;
}

static int parse_options(int argc, char **argv, struct options *o)
{
	static const struct option longopts[] = {
	    {"config", required_argument, NULL, 'c'},
	    {"socket", required_argument, NULL, 's'},
	    {"group", required_argument, NULL, 'g'},
	    {"foreground", no_argument, NULL, 'f'},
	    {"daemon", no_argument, NULL, 'd'},
	    {"syslog", no_argument, NULL, 'S'},
	    {"napi-defer-hard-irqs", required_argument, NULL, 'D'},
	    {"gro-flush-timeout", required_argument, NULL, 'G'},
	    {"busy-poll", no_argument, NULL, 'B'},
	    {"help", no_argument, NULL, 'h'},
	    {"version", no_argument, NULL, 'V'},
	    {NULL, 0, NULL, 0},
	};
	int ch;

	while ((ch = getopt_long(argc, argv, "c:s:g:fdhV", longopts, NULL)) != -1) {
		switch (ch) {
		case 'c':
			o->config = optarg;
			break;
		case 's':
			o->socket = optarg;
			break;
		case 'g':
			o->group = optarg;
			break;
		case 'f':
			o->daemonize = false;
			break;
		case 'd':
			o->daemonize = true;
			break;
		case 'S':
			o->syslog = true;
			break;
		case 'D':
		case 'G':
			if (parse_ulong(optarg,
					ch == 'D' ? &o->defer_hard_irqs : &o->gro_flush_timeout) ||
			    (ch == 'D' && o->defer_hard_irqs > INT32_MAX)) {
				fprintf(stderr, "unetd: bad number \"%s\"\n", optarg);
				return -1;
			}
			break;
		case 'B':
			o->busy_poll = true;
			break;
		case 'h':
			usage(stdout);
			exit(0);
		case 'V':
			printf("unetd %s\n", UNETDEV_VERSION);
			exit(0);
		default:
			usage(stderr);
			return -1;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "unetd: unexpected argument \"%s\"\n", argv[optind]);
		return -1;
	}
	return 0;
}

/* Fork; the parent waits for the child's readiness byte and exits with it. */
static int daemonize(int *ready_fd)
{
	int p[2], fd;
	char status = 1;
	pid_t pid;

	if (pipe2(p, O_CLOEXEC) < 0)
		return -errno;
	pid = fork();
	if (pid < 0)
		return -errno;
	if (pid > 0) {
		close(p[1]);
		if (read(p[0], &status, 1) != 1)
			status = 1;
		_exit(status);
	}
	close(p[0]);
	setsid();
	fd = open("/dev/null", O_RDWR);
	if (fd >= 0) {
		dup2(fd, 0), dup2(fd, 1), dup2(fd, 2);
		if (fd > 2)
			close(fd);
	}
	*ready_fd = p[1];
	return 0;
}

static void on_signal(int sig)
{
	stop = 1;
}

static void setup_signals(void)
{
	struct sigaction sa = {.sa_handler = on_signal};
	sigset_t set;

	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
}

static int socket_group(struct unetd_server *s, const char *group)
{
	struct group *gr;

	s->gid = getegid();
	if (!group)
		return 0;
	gr = getgrnam(group);
	if (!gr) {
		unetd_log(LOG_ERR, "unknown group \"%s\"", group);
		return -EINVAL;
	}
	s->gid = gr->gr_gid;
	if (chown(s->path, (uid_t)-1, s->gid) < 0)
		return -errno;
	return 0;
}

/* Interrupt deferral defaults (--napi-defer-hard-irqs, --gro-flush-timeout). */
static unsigned long napi_defer, napi_flush;

/* Each device gets them as it registers: its NAPIs are added at open and inherit them. */
static int defaults_event(struct notifier_block *nb, unsigned long event, void *ptr)
    UNETDEV_MUST_HOLD(rtnl_mutex)
{
	struct net_device *dev = netdev_notifier_info_to_dev(ptr);

	if (event != NETDEV_REGISTER)
		return NOTIFY_DONE;
	if (napi_defer)
		netdev_set_defer_hard_irqs(dev, (u32)napi_defer);
	if (napi_flush)
		netdev_set_gro_flush_timeout(dev, napi_flush);
	return NOTIFY_DONE;
}

static struct notifier_block defaults_nb = {.notifier_call = defaults_event};

/* The engine (CPUs as threads) runs the backends' interrupt lines and softirqs. */
static int start_datapath(const struct options *o)
{
	struct unetdev_engine_config ec = {.sz = sizeof(ec), .busy_poll = o->busy_poll};
	int err = unetdev_engine_start(&ec);

	if (err)
		unetd_log(LOG_ERR, "cannot start the engine: %s", strerror(-err));
	if (!err)
		err = unetdev_link_ops_register_builtin();
	if (!err)
		err = unetdev_link_ops_register_backends();
	napi_defer = o->defer_hard_irqs;
	napi_flush = o->gro_flush_timeout;
	if (!err && (napi_defer || napi_flush))
		err = register_netdevice_notifier(&defaults_nb);
	return err;
}

static int start(struct unetd_server *s, const struct options *o)
{
	int err = start_datapath(o);

	if (!err)
		err = unetdev_bridge_link_ops_register();
	if (!err)
		err = unetd_notify_init();
	if (!err)
		err = unetd_capture_init();
	if (!err)
		err = unetd_config_apply(o->config);
	if (err)
		return err;
	s->lfd = unetd_listen(s->path);
	if (s->lfd < 0) {
		unetd_log(LOG_ERR, "%s: %s", s->path, strerror(-s->lfd));
		return s->lfd;
	}
	return socket_group(s, o->group);
}

/* Everything the daemon made is gone: report what is not. */
static int shutdown_all(struct unetd_server *s)
{
	struct unetdev_live live;

	unetd_close_all(s);
	unetdev_bridge_link_ops_unregister(); /* bridges first: they release their ports */
	unetd_modules_fini();
	unetd_capture_fini();
	unetdev_link_ops_unregister_backends();
	unetdev_link_ops_unregister_builtin();
	unetd_notify_fini();
	unetdev_engine_stop();
	unetdev_live_objects(&live);
	if (live.netdevs || live.skbs || live.napis) {
		unetd_log(LOG_ERR, "leak at exit: %ld devices, %ld skbs, %ld napis", live.netdevs,
			  live.skbs, live.napis);
		return 1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	struct options o = {0};
	struct unetd_server s = {.lfd = -1};
	char path[256];
	int ready_fd = -1, err, rc;

	if (parse_options(argc, argv, &o))
		return 1;
	s.path = o.socket ? o.socket : unet_default_socket(path, sizeof(path));
	use_syslog = o.syslog || o.daemonize;
	if (use_syslog)
		openlog("unetd", LOG_PID, LOG_DAEMON);
	if (o.daemonize && daemonize(&ready_fd) < 0) {
		unetd_log(LOG_ERR, "cannot daemonize: %s", strerror(errno));
		return 1;
	}
	setup_signals();
	unetdev_log_set_fn(library_log, NULL);
	err = start(&s, &o);
	if (err) {
		shutdown_all(&s);
		return 1;
	}
	unetd_log(LOG_INFO, "listening on %s", s.path);
	if (ready_fd >= 0) {
		rc = 0;
		if (write(ready_fd, &rc, 1) != 1)
			unetd_log(LOG_WARNING, "cannot report readiness");
		close(ready_fd);
	}
	err = unetd_loop(&s, &stop);
	rc = shutdown_all(&s);
	unetd_log(LOG_INFO, "stopped");
	return err ? 1 : rc;
}
