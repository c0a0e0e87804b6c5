/* SPDX-License-Identifier: MIT */
/*
 * unetd - the daemon that plays the kernel's role for processes that do not
 * embed unetdev: it hosts devices and drivers and answers rtnetlink requests
 * on an AF_UNIX SOCK_SEQPACKET socket (see docs/unetd.md).
 */
#ifndef UNETD_H
#define UNETD_H

#include "../common/uapi.h"

#include <stdarg.h>
#include <sys/types.h>
#include <syslog.h>
#include <unetdev/rtnl_link.h>
#include <unetdev/unetdev.h>

/* One queued datagram (a whole SOCK_SEQPACKET record). */
struct unetd_rec {
	struct unetd_rec *next;
	size_t len;
	char data[];
};

/* A dump in progress: the next ifindex to send (the kernel's cb->args). */
struct unetd_dump {
	bool active;
	u32 seq;
	int next_ifindex;
	bool stats;
};

struct unetd_client {
	struct unetd_client *next;
	int fd; /* -1: the in-process client of the configuration file */
	pid_t pid;
	uid_t uid;
	bool monitor; /* member of RTNLGRP_LINK */
	bool overrun; /* monitor records dropped: ENOBUFS is owed */
	struct unetd_rec *out, **out_tail;
	unsigned int nout;
	struct unetd_dump dump;
	struct unetd_capture *capture; /* capture.c: a running "unet capture" */
};

/* A handler that queued its replies itself (a dump): no ACK follows. */
#define UNETD_REPLIED 1

/* ---- log (main.c) ---- */
void unetd_log(int prio, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* ---- server.c ---- */
int unetd_queue(struct unetd_client *c, const void *data, size_t len);
/* NLMSG_ERROR for @req: @err 0 is an ACK; @msg the extended-ack text or NULL. */
void unetd_send_error(struct unetd_client *c, const struct nlmsghdr *req, int err, const char *msg);
/* Handle every message in one received record. */
void unetd_handle_record(struct unetd_client *c, const char *buf, size_t len);
void unetd_client_free_queue(struct unetd_client *c);

/* ---- rtnl_msg.c ---- */
/* RTM_NEWLINK/RTM_DELLINK for @dev into @buf; bytes used or -EMSGSIZE. */
int unetd_fill_link(char *buf, size_t len, struct net_device *dev, int type, u32 seq, u16 flags,
		    unsigned int change) UNETDEV_MUST_HOLD(rtnl_mutex);

/* ---- rtnl_ops.c ---- */
/* Handle one request of a link type; replies queued on @c. */
void unetd_rtnl_rcv_msg(struct unetd_client *c, const struct nlmsghdr *nlh)
    UNETDEV_EXCLUDES(rtnl_mutex);
/* Fill records for a dump in progress until the queue holds one; done when finished. */
void unetd_dump_continue(struct unetd_client *c) UNETDEV_EXCLUDES(rtnl_mutex);

/* ---- rtnl_neigh.c ---- */
/* RTM_GETNEIGH dump of the bridge FDB (rtnl_fdb_dump), queued whole with NLMSG_DONE. */
int unetd_fdb_dump(struct unetd_client *c, const struct nlmsghdr *nlh,
		   struct netlink_ext_ack *extack) UNETDEV_EXCLUDES(rtnl_mutex);

/* ---- pktgen.c ---- */
/* UNETD_MSG_PKTGEN: transmit test frames on a device. 0 or -errno. */
int unetd_pktgen(const struct nlmsghdr *nlh, struct netlink_ext_ack *extack)
    UNETDEV_EXCLUDES(rtnl_mutex);

/* ---- notify.c ---- */
int unetd_notify_init(void);
void unetd_notify_fini(void);
int unetd_notify_fd(void);
/* Move pending link messages to every monitor client of @clients. */
void unetd_notify_flush(struct unetd_client *clients);

/* ---- modules.c: UNETD_MSG_{NEW,DEL,GET}MODULE ---- */
struct unetd_module;
/* 0, UNETD_REPLIED (a dump) or -errno with @extack set. */
int unetd_module_rcv_msg(struct unetd_client *c, const struct nlmsghdr *nlh,
			 struct netlink_ext_ack *extack) UNETDEV_EXCLUDES(rtnl_mutex);
/* The loaded module whose code @dev runs, or NULL. Main thread. */
struct unetd_module *unetd_module_of_dev(const struct net_device *dev);
void unetd_module_get(struct unetd_module *m);
void unetd_module_put(struct unetd_module *m);
void unetd_modules_fini(void) UNETDEV_EXCLUDES(rtnl_mutex);

/* ---- capture.c: UNETD_MSG_CAPTURE ---- */
int unetd_capture_init(void) UNETDEV_EXCLUDES(rtnl_mutex);
void unetd_capture_fini(void) UNETDEV_EXCLUDES(rtnl_mutex);
int unetd_capture_start(struct unetd_client *c, const struct nlmsghdr *nlh,
			struct netlink_ext_ack *extack) UNETDEV_EXCLUDES(rtnl_mutex);
/* Move captured frames to @c's queue while it keeps up. Main thread. */
void unetd_capture_pull(struct unetd_client *c) UNETDEV_EXCLUDES(rtnl_mutex);
void unetd_capture_release(struct unetd_client *c) UNETDEV_EXCLUDES(rtnl_mutex);

/* ---- config.c ---- */
/* Apply @path (NULL: the embedded default). 0 or -errno, with a log line. */
int unetd_config_apply(const char *path);

#endif
