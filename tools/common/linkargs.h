/* SPDX-License-Identifier: MIT */
/*
 * The "link add|set|del" argument parser shared by unet (the CLI) and unetd
 * (its configuration file): argv in, one rtnetlink request out. Names are
 * resolved to ifindex through a callback, as `ip` does, so a rename carries
 * the new name in IFLA_IFNAME.
 */
#ifndef UNET_LINKARGS_H
#define UNET_LINKARGS_H

#include <stddef.h>

#include "uapi.h"

/* Returns the ifindex of @name, 0 when there is none. */
typedef int (*unet_resolve_fn)(const char *name, void *ctx);

enum unet_args_status {
	UNET_ARGS_OK = 0,
	UNET_ARGS_USAGE = -1,	/* malformed: @err holds the message (exit 255) */
	UNET_ARGS_NODEV = -2,	/* a device that does not exist: @err holds it (exit 1) */
	UNET_ARGS_NOT_MINE = 1, /* unet_kind_args: not a kind it knows */
};

/**
 * unet_link_build - build the request for argv[0] = "add" | "set" | "del" |
 * "delete" and its arguments into @buf (UNETD_MSG_MAX bytes).
 * Returns UNET_ARGS_OK and the message in *@out, or an error with @err set.
 */
int unet_link_build(int argc, char **argv, char *buf, unet_resolve_fn resolve, void *ctx,
		    struct nlmsghdr **out, char *err, size_t errlen);

/**
 * unet_kind_args - the ARGS of "type TYPE ARGS" for the backend kinds (tap,
 * af_packet, af_xdp, pcap) as IFLA_INFO_DATA, inside the caller's open
 * IFLA_LINKINFO nest (kindargs.c). UNET_ARGS_NOT_MINE for other kinds.
 */
int unet_kind_args(struct nlmsghdr *nlh, const char *type, int argc, char **argv, char *err,
		   size_t errlen);

/* Helpers shared with the printer and the tests. */
int unet_parse_mac(const char *s, unsigned char *mac, int max);
int unet_parse_u32(const char *s, unsigned int *v);
/* The default socket path: $UNETD_SOCKET, /run/unetd.sock (root), $XDG_RUNTIME_DIR/unetd.sock,
 * /tmp/unetd-UID.sock. */
const char *unet_default_socket(char *buf, size_t len);

#endif
