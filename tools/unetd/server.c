// SPDX-License-Identifier: MIT
/*
 * server.c - the control socket: an AF_UNIX SOCK_SEQPACKET listener (mode
 * 0660), peers identified with SO_PEERCRED/SO_PEERGROUPS and refused unless
 * root or in the socket's group, one record per request, replies queued per
 * client and sent without blocking (kernel af_netlink.c: netlink_rcv_skb,
 * netlink_ack, netlink_dump). A client that stops reading only stops itself;
 * one that disconnects leaves nothing behind.
 */
#include <fcntl.h>
#include <grp.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "server.h"

#define MAX_CLIENTS 256

int unetd_queue(struct unetd_client *c, const void *data, size_t len)
{
	struct unetd_rec *rec = malloc(sizeof(*rec) + len);

	if (!rec)
		return -ENOMEM;
	memcpy(rec->data, data, len);
	rec->len = len;
	rec->next = NULL;
	*c->out_tail = rec;
	c->out_tail = &rec->next;
	c->nout++;
	return 0;
}

void unetd_client_free_queue(struct unetd_client *c)
{
	struct unetd_rec *rec, *next;

	for (rec = c->out; rec; rec = next) {
		next = rec->next;
		free(rec);
	}
	c->out = NULL;
	c->out_tail = &c->out;
	c->nout = 0;
}

/* netlink_ack: the request's header echoed (NLM_F_CAPPED), then NLMSGERR_ATTR_MSG. */
void unetd_send_error(struct unetd_client *c, const struct nlmsghdr *req, int err, const char *msg)
{
	char buf[1024]; /* header, nlmsgerr, a message of at most 256 bytes */
	struct nlmsghdr *nlh;
	struct nlmsgerr *e;

	memset(buf, 0, MNL_NLMSG_HDRLEN + sizeof(*e));
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = NLMSG_ERROR;
	nlh->nlmsg_flags = NLM_F_CAPPED;
	e = mnl_nlmsg_put_extra_header(nlh, sizeof(*e));
	e->error = err;
	if (req) {
		e->msg = *req;
		nlh->nlmsg_seq = req->nlmsg_seq;
		nlh->nlmsg_pid = req->nlmsg_pid;
	}
	if (msg && err) {
		nlh->nlmsg_flags |= NLM_F_ACK_TLVS;
		mnl_attr_put_strz_check(nlh, sizeof(buf), NLMSGERR_ATTR_MSG, msg);
	}
	unetd_queue(c, buf, nlh->nlmsg_len);
}

/* A malformed record: answered with what header there is. */
static void bad_record(struct unetd_client *c, const char *buf, size_t len, const char *msg)
{
	struct nlmsghdr hdr;

	memset(&hdr, 0, sizeof(hdr));
	memcpy(&hdr, buf, len < sizeof(hdr) ? len : sizeof(hdr));
	unetd_send_error(c, &hdr, -EINVAL, msg);
}

void unetd_handle_record(struct unetd_client *c, const char *buf, size_t len)
{
	const struct nlmsghdr *nlh = (const void *)buf;
	int rem = (int)len;

	if (len < sizeof(*nlh)) {
		bad_record(c, buf, len, "Message shorter than a netlink header");
		return;
	}
	for (; unet_nlmsg_ok(nlh, rem); nlh = mnl_nlmsg_next(nlh, &rem)) {
		if (!(nlh->nlmsg_flags & NLM_F_REQUEST) || nlh->nlmsg_type < NLMSG_MIN_TYPE) {
			/* netlink_rcv_skb: not a request, or a control message: only acked */
			if (nlh->nlmsg_flags & NLM_F_ACK)
				unetd_send_error(c, nlh, 0, NULL);
			continue;
		}
		unetd_rtnl_rcv_msg(c, nlh);
		if (c->dump.active)
			return; /* the rest of the record is dropped, as netlink_dump_start does */
	}
	if (rem > 0)
		bad_record(c, (const char *)nlh, (size_t)rem,
			   "Message length does not match the data received");
}

/* ---- listening socket ---- */

static int stale_socket(const char *path)
{
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	struct stat st;
	int fd, ret;

	if (lstat(path, &st) < 0)
		return 0;
	if (!S_ISSOCK(st.st_mode))
		return -EEXIST;
	fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", path);
	ret = connect(fd, (struct sockaddr *)&sa, sizeof(sa)) == 0 ? -EADDRINUSE : 0;
	close(fd);
	if (!ret)
		unlink(path); /* nobody answers: a leftover of a daemon that died */
	return ret;
}

int unetd_listen(const char *path)
{
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	int fd, err;

	if (strlen(path) >= sizeof(sa.sun_path))
		return -ENAMETOOLONG;
	err = stale_socket(path);
	if (err)
		return err;
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", path);
	fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0)
		return -errno;
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 || chmod(path, 0660) < 0 ||
	    listen(fd, 64) < 0) {
		err = -errno;
		close(fd);
		unlink(path);
		return err;
	}
	return fd;
}

/* ---- peers ---- */

static bool in_group(int fd, gid_t gid, const struct ucred *cr)
{
	gid_t groups[256];
	socklen_t len = sizeof(groups);

	if (cr->gid == gid)
		return true;
	if (getsockopt(fd, SOL_SOCKET, SO_PEERGROUPS, groups, &len) < 0)
		return false;
	for (size_t i = 0; i < len / sizeof(gid_t); i++)
		if (groups[i] == gid)
			return true;
	return false;
}

/* The peer may talk to us: root, or a member of the socket's group. */
static int peer_check(struct unetd_server *s, int fd, struct ucred *cr, char *msg, size_t len)
{
	socklen_t crlen = sizeof(*cr);

	if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, cr, &crlen) < 0)
		return -errno;
	if (cr->uid == 0 || in_group(fd, s->gid, cr))
		return 0;
	snprintf(msg, len, "uid %u is not root and not in group %u of %s", (unsigned int)cr->uid,
		 (unsigned int)s->gid, s->path);
	return -EPERM;
}

static void refuse(int fd, int err, const char *msg)
{
	struct unetd_client tmp = {.fd = fd};

	tmp.out_tail = &tmp.out;
	unetd_send_error(&tmp, NULL, err, msg);
	if (tmp.out)
		send(fd, tmp.out->data, tmp.out->len, MSG_DONTWAIT | MSG_NOSIGNAL);
	unetd_client_free_queue(&tmp);
	close(fd);
}

void unetd_accept(struct unetd_server *s)
{
	struct unetd_client *c;
	char msg[256];
	struct ucred cr;
	int fd, err;

	fd = accept4(s->lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
	if (fd < 0)
		return;
	err = peer_check(s, fd, &cr, msg, sizeof(msg));
	if (err || s->nclients >= MAX_CLIENTS) {
		if (!err)
			snprintf(msg, sizeof(msg), "too many clients");
		unetd_log(LOG_NOTICE, "refused a client: %s", msg);
		refuse(fd, err ? err : -EBUSY, msg);
		return;
	}
	c = calloc(1, sizeof(*c));
	if (!c) {
		close(fd);
		return;
	}
	c->fd = fd;
	c->pid = cr.pid;
	c->uid = cr.uid;
	c->out_tail = &c->out;
	c->next = s->clients;
	s->clients = c;
	s->nclients++;
}

void unetd_client_close(struct unetd_server *s, struct unetd_client *c)
{
	struct unetd_client **pp;

	for (pp = &s->clients; *pp; pp = &(*pp)->next) {
		if (*pp == c) {
			*pp = c->next;
			break;
		}
	}
	unetd_capture_release(c);
	unetd_client_free_queue(c);
	close(c->fd);
	free(c);
	s->nclients--;
}

/* Send what is queued; -1 when the peer is gone. */
int unetd_client_flush(struct unetd_client *c)
{
	while (c->out) {
		struct unetd_rec *rec = c->out;

		if (send(c->fd, rec->data, rec->len, MSG_DONTWAIT | MSG_NOSIGNAL) < 0)
			return errno == EAGAIN || errno == EWOULDBLOCK || errno == ENOBUFS ? 0 : -1;
		c->out = rec->next;
		if (!c->out)
			c->out_tail = &c->out;
		c->nout--;
		free(rec);
	}
	if (c->overrun) {
		c->overrun = false;
		unetd_send_error(c, NULL, -ENOBUFS, "Monitor queue overrun: messages lost");
		return unetd_client_flush(c);
	}
	return 0;
}

/* One record from @c; -1 when it is gone. */
int unetd_client_read(struct unetd_client *c)
{
	static char buf[UNETD_MSG_MAX];
	ssize_t n = recv(c->fd, buf, sizeof(buf), MSG_DONTWAIT | MSG_TRUNC);

	if (n == 0)
		return -1;
	if (n < 0)
		return errno == EAGAIN || errno == EINTR ? 0 : -1;
	if ((size_t)n > sizeof(buf)) {
		bad_record(c, buf, sizeof(buf), "Message too long");
		return 0;
	}
	unetd_handle_record(c, buf, (size_t)n);
	return 0;
}
