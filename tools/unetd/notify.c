// SPDX-License-Identifier: MIT
/*
 * notify.c - link change multicast (kernel rtnetlink.c: rtmsg_ifinfo to
 * RTNLGRP_LINK). The library calls the listener under rtnl, possibly from its
 * own threads (link watch); the message is built there, while the device is
 * valid, and handed to the main loop through a mutex-protected list and an
 * eventfd. The main loop copies it to every member of RTNLGRP_LINK.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "unetd.h"

static pthread_mutex_t pending_lock = PTHREAD_MUTEX_INITIALIZER;
static struct unetd_rec *pending, **pending_tail = &pending;
static int efd = -1;

#define UNETD_MONITOR_QUEUE 256 /* records a monitor may have unread */

static void link_event(int type, struct net_device *dev, unsigned int change, void *ctx)
    UNETDEV_MUST_HOLD(rtnl_mutex)
{
	struct unetd_rec *rec = malloc(sizeof(*rec) + UNETD_MSG_MAX);
	u64 one = 1;
	int n;

	if (!rec)
		return;
	n = unetd_fill_link(rec->data, UNETD_MSG_MAX, dev, type, 0, 0, change);
	if (n < 0) {
		free(rec);
		return;
	}
	rec->len = (size_t)n;
	rec->next = NULL;
	pthread_mutex_lock(&pending_lock);
	*pending_tail = rec;
	pending_tail = &rec->next;
	pthread_mutex_unlock(&pending_lock);
	if (write(efd, &one, sizeof(one)) < 0) {
		/* the counter is saturated: a wakeup is pending anyway */
	}
}

/*
 * rtnetlink_event: the changes the core announces only as netdev notifier
 * events become RTM_NEWLINK too (the core itself sends flags, register,
 * rename and unregister messages through the listener).
 */
static int netdev_event(struct notifier_block *nb, unsigned long event, void *ptr)
    UNETDEV_MUST_HOLD(rtnl_mutex)
{
	switch (event) {
	case NETDEV_CHANGEMTU:
	case NETDEV_CHANGEADDR:
	case NETDEV_CHANGE_TX_QUEUE_LEN:
	case NETDEV_FEAT_CHANGE:
	case NETDEV_CHANGEINFODATA:
	case NETDEV_NOTIFY_PEERS:
	case NETDEV_CHANGELOWERSTATE:
		link_event(RTM_NEWLINK, netdev_notifier_info_to_dev(ptr), 0, NULL);
		break;
	default:
		break;
	}
	return NOTIFY_DONE;
}

static struct notifier_block netdev_nb = {.notifier_call = netdev_event};

int unetd_notify_init(void)
{
	int err;

	efd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	if (efd < 0)
		return -errno;
	err = register_netdevice_notifier(&netdev_nb);
	if (!err)
		err = unetdev_link_listener_add(link_event, NULL);
	return err;
}

int unetd_notify_fd(void)
{
	return efd;
}

static struct unetd_rec *take_pending(void)
{
	struct unetd_rec *list;
	u64 v;

	if (read(efd, &v, sizeof(v)) < 0) {
		/* nothing signalled: the list may still hold records */
	}
	pthread_mutex_lock(&pending_lock);
	list = pending;
	pending = NULL;
	pending_tail = &pending;
	pthread_mutex_unlock(&pending_lock);
	return list;
}

void unetd_notify_flush(struct unetd_client *clients)
{
	struct unetd_rec *rec = take_pending(), *next;

	for (; rec; rec = next) {
		next = rec->next;
		for (struct unetd_client *c = clients; c; c = c->next)
			if (c->monitor && c->nout >= UNETD_MONITOR_QUEUE)
				c->overrun = true; /* a monitor that does not read: ENOBUFS */
			else if (c->monitor)
				unetd_queue(c, rec->data, rec->len);
		free(rec);
	}
}

void unetd_notify_fini(void)
{
	struct unetd_rec *rec, *next;

	if (efd < 0)
		return;
	unetdev_link_listener_del(link_event, NULL);
	unregister_netdevice_notifier(&netdev_nb);
	for (rec = take_pending(); rec; rec = next) {
		next = rec->next;
		free(rec);
	}
	close(efd);
	efd = -1;
}
