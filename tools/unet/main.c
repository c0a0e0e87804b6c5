// SPDX-License-Identifier: MIT
/*
 * unet - show and change the links unetd hosts, with `ip`'s syntax, output
 * and exit codes (iproute2 ip/ip.c). See unet(8).
 */
#include <stdlib.h>
#include <string.h>

#include "unet.h"

struct unet_opts unet_opts;

static void usage(FILE *f)
{
	fprintf(f, "Usage: unet [ OPTIONS ] OBJECT { COMMAND | help }\n"
		   "where  OBJECT := { link | monitor | bridge | module | capture | pktgen }\n"
		   "       OPTIONS := { -s[tatistics] | -j[son] | -p[retty] |\n"
		   "                    --socket PATH | --help | -V[ersion] }\n"
		   "\n"
		   "unet talks to unetd over its UNIX socket (default: $UNETD_SOCKET,\n"
		   "/run/unetd.sock as root, else $XDG_RUNTIME_DIR/unetd.sock).\n");
}

/* iproute2's matches(): @arg is a prefix of @word. */
bool unet_matches(const char *arg, const char *word)
{
	size_t n = strlen(arg);

	return n && n <= strlen(word) && !strncmp(arg, word, n);
}

bool unet_is_help(const char *arg)
{
	return unet_matches(arg, "help") || !strcmp(arg, "--help") || !strcmp(arg, "-h");
}

/* Options before the object; the index of the first non-option or -1 (exit). */
static int parse_options(int argc, char **argv, int *rc)
{
	int i;

	for (i = 1; i < argc && argv[i][0] == '-'; i++) {
		const char *o = argv[i] + (argv[i][1] == '-' ? 2 : 1);

		if (!strcmp(o, "help") || !strcmp(o, "h")) {
			usage(stdout);
			*rc = UNET_EXIT_OK;
			return -1;
		} else if (!strcmp(o, "socket") && i + 1 < argc) {
			unet_opts.socket = argv[++i];
		} else if (unet_matches(o, "statistics") || !strcmp(o, "s")) {
			unet_opts.stats++;
		} else if (unet_matches(o, "json")) {
			unet_opts.json = true;
		} else if (unet_matches(o, "pretty")) {
			unet_opts.pretty = true;
		} else if (unet_matches(o, "Version")) {
			printf("unet utility, unetdev-%s\n", "0.1.0");
			*rc = UNET_EXIT_OK;
			return -1;
		} else {
			fprintf(stderr, "Option \"%s\" is unknown, try \"unet -help\".\n", argv[i]);
			*rc = UNET_EXIT_USAGE;
			return -1;
		}
	}
	return i;
}

int main(int argc, char **argv)
{
	int rc = UNET_EXIT_USAGE, i = parse_options(argc, argv, &rc);

	if (i < 0)
		return rc;
	if (i >= argc) {
		usage(stderr);
		return UNET_EXIT_USAGE;
	}
	if (unet_matches(argv[i], "link"))
		return unet_do_link(argc - i - 1, argv + i + 1);
	if (unet_matches(argv[i], "monitor"))
		return unet_do_monitor(argc - i - 1, argv + i + 1);
	if (unet_matches(argv[i], "bridge"))
		return unet_do_bridge(argc - i - 1, argv + i + 1);
	if (unet_matches(argv[i], "pktgen"))
		return unet_do_pktgen(argc - i - 1, argv + i + 1);
	if (unet_matches(argv[i], "module"))
		return unet_do_module(argc - i - 1, argv + i + 1);
	if (unet_matches(argv[i], "capture"))
		return unet_do_capture(argc - i - 1, argv + i + 1);
	if (unet_matches(argv[i], "help")) {
		usage(stdout);
		return UNET_EXIT_OK;
	}
	fprintf(stderr, "Object \"%s\" is unknown, try \"unet help\".\n", argv[i]);
	return UNET_EXIT_USAGE;
}
