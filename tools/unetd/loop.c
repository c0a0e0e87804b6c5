// SPDX-License-Identifier: MIT
/*
 * loop.c - the event loop: one ppoll over the listener, the notification
 * eventfd and every client. A client is read only when it has nothing queued
 * and no dump in progress, so a peer that does not read cannot make the
 * daemon buffer without bound; a dump is continued one record at a time as
 * the peer drains it (netlink_dump).
 */
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "server.h"

#define MAX_FDS 260

static short client_events(const struct unetd_client *c)
{
	if (c->out || c->dump.active || c->overrun)
		return POLLOUT;
	return POLLIN;
}

/* Serve one client after poll; -1 when it must be closed. */
static int serve_client(struct unetd_client *c, short revents)
{
	if (revents & (POLLERR | POLLNVAL))
		return -1;
	if ((revents & POLLOUT) || c->out) {
		if (unetd_client_flush(c) < 0)
			return -1;
		unetd_capture_pull(c); /* the client drained: room for more frames */
		if (unetd_client_flush(c) < 0)
			return -1;
		while (!c->out && c->dump.active) {
			unetd_dump_continue(c);
			if (unetd_client_flush(c) < 0)
				return -1;
		}
	}
	if (revents & POLLIN) {
		if (unetd_client_read(c) < 0)
			return -1;
		if (unetd_client_flush(c) < 0)
			return -1;
	} else if (revents & POLLHUP) {
		return -1;
	}
	return 0;
}

static void serve_clients(struct unetd_server *s, struct pollfd *pfd, int n)
{
	struct unetd_client *c = s->clients, *next;

	/* The fds were laid out in list order; new clients are added at the head. */
	for (int i = 2; c && i < n; c = next, i++) {
		next = c->next;
		if (pfd[i].fd != c->fd)
			break;
		if (serve_client(c, pfd[i].revents) < 0)
			unetd_client_close(s, c);
	}
}

static void flush_monitors(struct unetd_server *s)
{
	struct unetd_client *c, *next;

	unetd_notify_flush(s->clients);
	for (c = s->clients; c; c = next) {
		next = c->next;
		unetd_capture_pull(c);
		if (c->out && unetd_client_flush(c) < 0)
			unetd_client_close(s, c);
	}
}

int unetd_loop(struct unetd_server *s, volatile sig_atomic_t *stop)
{
	struct pollfd pfd[MAX_FDS];
	sigset_t waitmask;
	int n;

	sigemptyset(&waitmask);
	while (!*stop) {
		pfd[0] = (struct pollfd){.fd = s->lfd, .events = POLLIN};
		pfd[1] = (struct pollfd){.fd = unetd_notify_fd(), .events = POLLIN};
		n = 2;
		for (struct unetd_client *c = s->clients; c && n < MAX_FDS; c = c->next)
			pfd[n++] = (struct pollfd){.fd = c->fd, .events = client_events(c)};
		if (ppoll(pfd, (nfds_t)n, NULL, &waitmask) < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		serve_clients(s, pfd, n);
		if (pfd[1].revents & POLLIN)
			flush_monitors(s);
		if (pfd[0].revents & POLLIN)
			unetd_accept(s);
	}
	return 0;
}

void unetd_close_all(struct unetd_server *s)
{
	while (s->clients)
		unetd_client_close(s, s->clients);
	if (s->lfd >= 0) {
		close(s->lfd);
		unlink(s->path);
		s->lfd = -1;
	}
}
