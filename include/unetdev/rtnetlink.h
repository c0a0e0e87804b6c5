/* SPDX-License-Identifier: MIT */
/*
 * The rtnl mutex (kernel linux/rtnetlink.h): one global, non-recursive
 * control lock. rtnl_unlock() runs the deferred unregister work (R-UNREG-10).
 */
#ifndef UNETDEV_RTNETLINK_H
#define UNETDEV_RTNETLINK_H

#include <unetdev/spinlock.h>

#define rtnl_mutex	unetdev_rtnl_mutex
#define rtnl_lock	unetdev_rtnl_lock
#define rtnl_unlock	unetdev_rtnl_unlock
#define rtnl_trylock	unetdev_rtnl_trylock
#define rtnl_is_locked	unetdev_rtnl_is_locked
#define rtnl_held_by_me unetdev_rtnl_held_by_me
#define __rtnl_unlock	unetdev___rtnl_unlock

UNETDEV_API extern struct mutex rtnl_mutex;

/** rtnl_lock - take the control lock. Context: process. */
UNETDEV_API void rtnl_lock(void) UNETDEV_ACQUIRE(rtnl_mutex);
/** rtnl_unlock - run the unregister todo list, then release (R-UNREG-10, R-SYNC-12). */
UNETDEV_API void rtnl_unlock(void) UNETDEV_RELEASE(rtnl_mutex);
/** __rtnl_unlock - release without running the todo list. */
UNETDEV_API void __rtnl_unlock(void) UNETDEV_RELEASE(rtnl_mutex);
UNETDEV_API bool rtnl_trylock(void) UNETDEV_TRY_ACQUIRE(true, rtnl_mutex);
UNETDEV_API bool rtnl_is_locked(void);
UNETDEV_API bool rtnl_held_by_me(void);

/** ASSERT_RTNL - contract check: the caller holds rtnl (reported as R-SYNC-10). */
#define ASSERT_RTNL() unetdev_assert_rtnl(__func__)
UNETDEV_API void unetdev_assert_rtnl(const char *fn) UNETDEV_ASSERT_HELD(rtnl_mutex);

#endif
