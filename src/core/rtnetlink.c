// SPDX-License-Identifier: MIT
/*
 * rtnetlink.c - link change messages (kernel net/core/rtnetlink.c:
 * rtmsg_ifinfo). The core announces RTM_NEWLINK/RTM_DELLINK to listeners
 * registered here; the daemon turns them into rtnetlink multicast messages.
 * Listeners run with rtnl held and must not sleep on rtnl.
 */
#include "internal.h"

#define MAX_LISTENERS 16

struct listener {
	unetdev_link_event_fn fn;
	void *ctx;
};

static struct listener listeners[MAX_LISTENERS];

int unetdev_link_listener_add(unetdev_link_event_fn fn, void *ctx)
{
	int ret = -ENOSPC;

	rtnl_lock();
	for (int i = 0; i < MAX_LISTENERS; i++) {
		if (!listeners[i].fn) {
			listeners[i] = (struct listener){fn, ctx};
			ret = 0;
			break;
		}
	}
	rtnl_unlock();
	return ret;
}

int unetdev_link_listener_del(unetdev_link_event_fn fn, void *ctx)
{
	int ret = -ENOENT;

	rtnl_lock();
	for (int i = 0; i < MAX_LISTENERS; i++) {
		if (listeners[i].fn == fn && listeners[i].ctx == ctx) {
			listeners[i] = (struct listener){NULL, NULL};
			ret = 0;
			break;
		}
	}
	rtnl_unlock();
	return ret;
}

void unetdev__rtmsg_ifinfo(int type, struct net_device *dev, unsigned int change)
{
	ASSERT_RTNL();
	for (int i = 0; i < MAX_LISTENERS; i++)
		if (listeners[i].fn)
			listeners[i].fn(type, dev, change, listeners[i].ctx);
}
