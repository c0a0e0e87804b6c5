// SPDX-License-Identifier: MIT
/*
 * nlclient.c - unet's side of the socket (iproute2 lib/libnetlink.c:
 * rtnl_open, rtnl_talk, rtnl_dump_filter, nl_dump_ext_ack), with libmnl.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "unet.h"

int unet_nl_open(struct unet_nl *nl)
{
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	char path[256];
	const char *p =
	    unet_opts.socket ? unet_opts.socket : unet_default_socket(path, sizeof(path));

	nl->seq = 1;
	nl->buf = malloc(UNETD_MSG_MAX);
	nl->fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
	if (!nl->buf || nl->fd < 0 || strlen(p) >= sizeof(sa.sun_path)) {
		fprintf(stderr, "Cannot open netlink socket: %s\n",
			strerror(errno ? errno : EINVAL));
		goto fail;
	}
	memcpy(sa.sun_path, p, strlen(p) + 1);
	if (connect(nl->fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		fprintf(stderr, "Cannot connect to unetd at %s: %s\n", p, strerror(errno));
		goto fail;
	}
	return 0;
fail:
	unet_nl_close(nl);
	return -1;
}

void unet_nl_close(struct unet_nl *nl)
{
	if (nl->fd >= 0)
		close(nl->fd);
	free(nl->buf);
	nl->fd = -1;
	nl->buf = NULL;
}

void unet_print_rtnl_error(int err, const char *msg)
{
	if (msg && *msg) {
		size_t n = strlen(msg);

		fprintf(stderr, "Error: %s%s\n", msg, msg[n - 1] == '.' ? "" : ".");
	} else {
		fprintf(stderr, "RTNETLINK answers: %s\n", strerror(-err));
	}
}

struct talk {
	unet_msg_fn fn;
	void *ctx;
	int err;
	bool done;
	char *msg;
	size_t msglen;
};

static void ext_ack_msg(const struct nlmsghdr *nlh, char *msg, size_t len)
{
	const struct nlmsgerr *e = mnl_nlmsg_get_payload(nlh);
	size_t off = sizeof(*e);
	const struct nlattr *attr;

	if (!msg || !(nlh->nlmsg_flags & NLM_F_ACK_TLVS))
		return;
	if (!(nlh->nlmsg_flags & NLM_F_CAPPED))
		off += e->msg.nlmsg_len - sizeof(e->msg);
	mnl_attr_for_each_payload((const void *)((const char *)e + off),
				  mnl_nlmsg_get_payload_len(nlh) - off)
	{
		if (mnl_attr_get_type(attr) == NLMSGERR_ATTR_MSG &&
		    mnl_attr_validate(attr, MNL_TYPE_NUL_STRING) == 0)
			snprintf(msg, len, "%s", mnl_attr_get_str(attr));
	}
}

static int talk_cb(const struct nlmsghdr *nlh, void *data)
{
	struct talk *t = data;

	if (nlh->nlmsg_type == NLMSG_ERROR) {
		const struct nlmsgerr *e = mnl_nlmsg_get_payload(nlh);

		if (mnl_nlmsg_get_payload_len(nlh) < sizeof(*e))
			t->err = -EBADMSG;
		else
			t->err = e->error;
		ext_ack_msg(nlh, t->msg, t->msglen);
		t->done = true;
		return MNL_CB_STOP;
	}
	if (nlh->nlmsg_type == NLMSG_DONE) {
		t->done = true;
		return MNL_CB_STOP;
	}
	if (nlh->nlmsg_type < NLMSG_MIN_TYPE)
		return MNL_CB_OK;
	return t->fn ? (t->fn(nlh, t->ctx) < 0 ? MNL_CB_ERROR : MNL_CB_OK) : MNL_CB_OK;
}

static int run_record(struct unet_nl *nl, struct talk *t, ssize_t n)
{
	const struct nlmsghdr *nlh = (const void *)nl->buf;
	int rem = (int)n;

	for (; unet_nlmsg_ok(nlh, rem); nlh = mnl_nlmsg_next(nlh, &rem))
		if (talk_cb(nlh, t) != MNL_CB_OK)
			break;
	return 0;
}

static int talk_loop(struct unet_nl *nl, struct talk *t)
{
	while (!t->done) {
		ssize_t n = recv(nl->fd, nl->buf, UNETD_MSG_MAX, 0);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return n < 0 ? -errno : -ECONNRESET;
		run_record(nl, t, n);
	}
	return t->err;
}

int unet_nl_talk(struct unet_nl *nl, struct nlmsghdr *req, unet_msg_fn fn, void *ctx, char *msg,
		 size_t msglen)
{
	struct talk t = {.fn = fn, .ctx = ctx, .msg = msg, .msglen = msglen};

	if (msg)
		msg[0] = 0;
	req->nlmsg_seq = ++nl->seq;
	req->nlmsg_flags |= NLM_F_ACK;
	if (send(nl->fd, req, req->nlmsg_len, 0) < 0)
		return -errno;
	return talk_loop(nl, &t);
}

int unet_nl_dump_links(struct unet_nl *nl, unet_msg_fn fn, void *ctx)
{
	char buf[MNL_NLMSG_HDRLEN + MNL_ALIGN(sizeof(struct ifinfomsg))];
	struct talk t = {.fn = fn, .ctx = ctx};
	struct nlmsghdr *nlh;
	struct ifinfomsg *ifi;

	memset(buf, 0, sizeof(buf));
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = RTM_GETLINK;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	nlh->nlmsg_seq = ++nl->seq;
	ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));
	ifi->ifi_family = AF_UNSPEC;
	if (send(nl->fd, nlh, nlh->nlmsg_len, 0) < 0)
		return -errno;
	return talk_loop(nl, &t);
}

int unet_nl_recv(struct unet_nl *nl, unet_msg_fn fn, void *ctx)
{
	struct talk t = {.fn = fn, .ctx = ctx};
	ssize_t n = recv(nl->fd, nl->buf, UNETD_MSG_MAX, 0);

	if (n <= 0)
		return n < 0 ? -errno : -ECONNRESET;
	run_record(nl, &t, n);
	return t.err;
}
