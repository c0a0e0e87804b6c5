// SPDX-License-Identifier: MIT
/*
 * capture.c - "unet capture DEV [-w FILE] [-c COUNT] [-s SNAPLEN]": ask
 * unetd for a tap on DEV and write what it streams as a classic pcap file
 * (nanosecond timestamps, LINKTYPE_ETHERNET) to FILE or stdout, flushed per
 * record, so "unet capture veth0 | tcpdump -r -" works. Stops after COUNT
 * frames, when the device goes away, or on SIGINT/SIGTERM, then prints
 * tcpdump's summary line on stderr.
 */
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>

#include "unet.h"

#define PCAP_MAGIC_NSEC	    0xa1b23c4du
#define PCAP_LINKTYPE_ETHER 1

struct cap {
	FILE *out;
	unsigned long packets;
	unsigned int drops;
	bool done;
	int end_err;
};

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	stop = 1;
}

static void capture_usage(FILE *f)
{
	fprintf(f, "Usage: unet capture [ dev ] DEVICE [ -w FILE ] [ -c COUNT ] [ -s SNAPLEN ]\n"
		   "       unet capture help\n"
		   "Writes a pcap of DEVICE's traffic, both directions, to FILE (\"-\" or\n"
		   "none: stdout), e.g. \"unet capture veth0 | tcpdump -r -\".\n");
}

static void write_header(FILE *f, unsigned int snaplen)
{
	const uint32_t hdr[6] = {PCAP_MAGIC_NSEC, 2 | (4u << 16),     0, 0,
				 snaplen,	  PCAP_LINKTYPE_ETHER};

	fwrite(hdr, sizeof(hdr), 1, f);
	fflush(f);
}

static int frame_attr(const struct nlattr *a, void *data)
{
	const struct nlattr **tb = data;

	if (mnl_attr_get_type(a) <= UNETD_CAPA_MAX)
		tb[mnl_attr_get_type(a)] = a;
	return MNL_CB_OK;
}

static void write_frame(struct cap *c, const struct nlmsghdr *nlh)
{
	const struct nlattr *tb[UNETD_CAPA_MAX + 1] = {NULL};
	uint64_t ts;
	uint32_t rec[4];

	mnl_attr_parse(nlh, 0, frame_attr, tb);
	if (!tb[UNETD_CAPA_TSTAMP] || !tb[UNETD_CAPA_DATA] || !tb[UNETD_CAPA_LEN])
		return;
	ts = mnl_attr_get_u64(tb[UNETD_CAPA_TSTAMP]);
	rec[0] = (uint32_t)(ts / 1000000000u);
	rec[1] = (uint32_t)(ts % 1000000000u);
	rec[2] = mnl_attr_get_payload_len(tb[UNETD_CAPA_DATA]);
	rec[3] = mnl_attr_get_u32(tb[UNETD_CAPA_LEN]);
	fwrite(rec, sizeof(rec), 1, c->out);
	fwrite(mnl_attr_get_payload(tb[UNETD_CAPA_DATA]), rec[2], 1, c->out);
	c->packets++;
}

static void on_done(struct cap *c, const struct nlmsghdr *nlh)
{
	const struct nlattr *tb[UNETD_CAPA_MAX + 1] = {NULL};

	c->done = true;
	if (mnl_nlmsg_get_payload_len(nlh) < sizeof(int))
		return;
	c->end_err = *(const int *)mnl_nlmsg_get_payload(nlh);
	mnl_attr_parse(nlh, sizeof(int), frame_attr, tb);
	if (tb[UNETD_CAPA_DROPS])
		c->drops = mnl_attr_get_u32(tb[UNETD_CAPA_DROPS]);
}

/* One record of frames; false when the stream ended or broke. */
static bool read_record(struct unet_nl *nl, struct cap *c)
{
	ssize_t n = recv(nl->fd, nl->buf, UNETD_MSG_MAX, 0);
	const struct nlmsghdr *nlh = (const void *)nl->buf;
	int rem = (int)n;

	if (n <= 0) {
		if (n < 0 && errno == EINTR)
			return !stop;
		c->end_err = n < 0 ? -errno : -ECONNRESET;
		return false;
	}
	for (; unet_nlmsg_ok(nlh, rem); nlh = mnl_nlmsg_next(nlh, &rem)) {
		if (nlh->nlmsg_type == UNETD_MSG_CAPTURE) {
			write_frame(c, nlh);
		} else if (nlh->nlmsg_type == NLMSG_DONE) {
			on_done(c, nlh);
		} else if (nlh->nlmsg_type == NLMSG_ERROR) {
			const struct nlmsgerr *e = mnl_nlmsg_get_payload(nlh);

			c->end_err = e->error;
			c->done = true;
		}
	}
	if (fflush(c->out) != 0)
		return false; /* the reader went away (tcpdump -c N) */
	return !c->done && !stop;
}

struct cap_args {
	const char *dev, *file;
	unsigned int count, snaplen;
};

static int parse_args(int argc, char **argv, struct cap_args *a)
{
	for (int i = 0; i < argc; i++) {
		bool has = i + 1 < argc;

		if (!strcmp(argv[i], "-w") || !strcmp(argv[i], "-c") || !strcmp(argv[i], "-s")) {
			unsigned int *v = argv[i][1] == 'c' ? &a->count : &a->snaplen;

			if (!has) {
				fprintf(stderr,
					"Command line is not complete. Try option \"help\"\n");
				return -1;
			}
			if (argv[i][1] == 'w') {
				a->file = argv[++i];
			} else if (unet_parse_u32(argv[++i], v)) {
				fprintf(stderr,
					"Error: argument \"%s\" is wrong: Invalid \"%s\" value\n",
					argv[i], argv[i - 1]);
				return -1;
			}
		} else if (!strcmp(argv[i], "dev") && has && !a->dev) {
			a->dev = argv[++i];
		} else if (!a->dev) {
			a->dev = argv[i];
		} else {
			fprintf(stderr,
				"Error: either \"dev\" is duplicate, or \"%s\" is a garbage.\n",
				argv[i]);
			return -1;
		}
	}
	if (!a->dev) {
		fprintf(stderr, "Not enough information: \"dev\" argument is required.\n");
		return -1;
	}
	return 0;
}

static int start(struct unet_nl *nl, const struct cap_args *a)
{
	char buf[MNL_NLMSG_HDRLEN + 64], msg[512];
	struct nlmsghdr *nlh;
	int err;

	memset(buf, 0, MNL_NLMSG_HDRLEN);
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = UNETD_MSG_CAPTURE;
	nlh->nlmsg_flags = NLM_F_REQUEST;
	mnl_attr_put_strz(nlh, UNETD_CAPA_IFNAME, a->dev);
	if (a->count)
		mnl_attr_put_u32(nlh, UNETD_CAPA_COUNT, a->count);
	if (a->snaplen)
		mnl_attr_put_u32(nlh, UNETD_CAPA_SNAPLEN, a->snaplen);
	err = unet_nl_talk(nl, nlh, NULL, NULL, msg, sizeof(msg));
	if (err == -ENODEV) {
		fprintf(stderr, "Device \"%s\" does not exist.\n", a->dev);
		return UNET_EXIT_FAIL;
	}
	if (err) {
		unet_print_rtnl_error(err, msg);
		return UNET_EXIT_RTNL;
	}
	return 0;
}

static void catch_signals(void)
{
	struct sigaction sa = {.sa_handler = on_signal}; /* no SA_RESTART: recv returns */

	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
}

static int finish(struct cap *c, const struct cap_args *a)
{
	fprintf(stderr, "%lu packet%s captured\n", c->packets, c->packets == 1 ? "" : "s");
	if (c->drops)
		fprintf(stderr, "%u packet%s dropped by unetd\n", c->drops,
			c->drops == 1 ? "" : "s");
	if (c->end_err == -ENODEV) {
		fprintf(stderr, "Device \"%s\" went away.\n", a->dev);
		return UNET_EXIT_FAIL;
	}
	return UNET_EXIT_OK;
}

int unet_do_capture(int argc, char **argv)
{
	struct cap_args a = {0};
	struct cap c = {0};
	struct unet_nl nl;
	int rc;

	if (argc > 0 && unet_is_help(argv[0])) {
		capture_usage(stdout);
		return UNET_EXIT_OK;
	}
	if (parse_args(argc, argv, &a))
		return UNET_EXIT_USAGE;
	if (unet_nl_open(&nl))
		return UNET_EXIT_FAIL;
	rc = start(&nl, &a);
	if (rc) {
		unet_nl_close(&nl);
		return rc;
	}
	c.out = a.file && strcmp(a.file, "-") != 0 ? fopen(a.file, "wb") : stdout;
	if (!c.out) {
		fprintf(stderr, "%s: %s\n", a.file, strerror(errno));
		unet_nl_close(&nl);
		return UNET_EXIT_FAIL;
	}
	catch_signals();
	write_header(c.out, a.snaplen && a.snaplen < UNETD_CAPTURE_SNAPLEN ? a.snaplen
									   : UNETD_CAPTURE_SNAPLEN);
	while (read_record(&nl, &c))
		;
	unet_nl_close(&nl);
	if (c.out != stdout)
		fclose(c.out);
	return finish(&c, &a);
}
