/* SPDX-License-Identifier: MIT */
/* The control socket and its clients (server.c) and the event loop (loop.c). */
#ifndef UNETD_SERVER_H
#define UNETD_SERVER_H

#include <signal.h>
#include <syslog.h>

#include "unetd.h"

struct unetd_server {
	const char *path;
	int lfd;
	gid_t gid; /* the socket's group: its members may connect */
	struct unetd_client *clients;
	unsigned int nclients;
};

/* Bind @path (mode 0660), replacing a stale socket; the fd or -errno. */
int unetd_listen(const char *path);
void unetd_accept(struct unetd_server *s);
void unetd_client_close(struct unetd_server *s, struct unetd_client *c);
int unetd_client_flush(struct unetd_client *c);
int unetd_client_read(struct unetd_client *c);

/* Serve until *@stop; SIGTERM/SIGINT must be blocked (they are let in only while waiting). */
int unetd_loop(struct unetd_server *s, volatile sig_atomic_t *stop);
void unetd_close_all(struct unetd_server *s);

#endif
