// SPDX-License-Identifier: MIT
/*
 * locking.c - spinlocks, rwlocks, mutexes with owner tracking, and rtnl
 * (kernel net/core/rtnetlink.c: rtnl_lock/rtnl_unlock).
 *
 * The lock functions themselves are the annotated primitives; clang's
 * analysis is switched off inside them.
 */
#define _GNU_SOURCE /* pthread_rwlockattr_setkind_np */
#include <linux/futex.h>
#include <pthread.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "internal.h"

void spin_lock_init(spinlock_t *l)
{
	__atomic_store_n(&l->state, 0, __ATOMIC_RELAXED);
	l->owner = 0;
}

void spin_lock_destroy(spinlock_t *l)
{
	(void)l; /* a futex word holds no resources */
#ifdef UNETDEV_TSAN_LOCKS
	__tsan_mutex_destroy(l, 0);
#endif
}

#define SPIN_TRIES    128    /* compare-and-swap attempts before sleeping */
#define SPIN_SLEEP_NS 200000 /* a sleeper's timeout: see unetdev__spin_unlock */

static void futex_op(unsigned int *uaddr, int op, unsigned int val)
{
	syscall(SYS_futex, uaddr, op, val, NULL, NULL, 0);
}

/* FUTEX_WAIT while *@uaddr is @val, for at most SPIN_SLEEP_NS. */
static void futex_wait_timeout(unsigned int *uaddr, unsigned int val)
{
	struct timespec ts = {.tv_sec = 0, .tv_nsec = SPIN_SLEEP_NS};

	syscall(SYS_futex, uaddr, FUTEX_WAIT_PRIVATE, val, &ts, NULL, 0);
}

/* Contended: spin a little, then mark the word "sleepers" and wait on it. The
 * unlock is a plain store that reads the mark just before it (internal.h):
 * a mark set in between is missed, so the wait has a timeout. */
void unetdev__spin_lock_slow(spinlock_t *l) UNETDEV_NO_TSA
{
	for (int i = 0; i < SPIN_TRIES; i++) {
		unsigned int z = 0;

		if (__atomic_load_n(&l->state, __ATOMIC_RELAXED) == 0 &&
		    __atomic_compare_exchange_n(&l->state, &z, 1, false, __ATOMIC_ACQUIRE,
						__ATOMIC_RELAXED))
			return;
		__builtin_ia32_pause();
	}
	while (__atomic_exchange_n(&l->state, 2, __ATOMIC_ACQUIRE) != 0)
		futex_wait_timeout(&l->state, 2);
}

void unetdev__spin_unlock_wake(spinlock_t *l)
{
	futex_op(&l->state, FUTEX_WAKE_PRIVATE, 1);
}

void spin_lock(spinlock_t *l) UNETDEV_NO_TSA
{
	unetdev__spin_lock(l);
}

void spin_unlock(spinlock_t *l) UNETDEV_NO_TSA
{
	unetdev__spin_unlock(l);
}

bool spin_trylock(spinlock_t *l) UNETDEV_NO_TSA
{
	return unetdev__spin_trylock(l);
}

void spin_lock_bh(spinlock_t *l) UNETDEV_NO_TSA
{
	local_bh_disable();
	spin_lock(l);
}

void spin_unlock_bh(spinlock_t *l) UNETDEV_NO_TSA
{
	spin_unlock(l);
	local_bh_enable();
}

bool spin_is_locked(spinlock_t *l)
{
	return __atomic_load_n(&l->owner, __ATOMIC_RELAXED) != 0;
}

bool spin_held_by_me(const spinlock_t *l)
{
	return __atomic_load_n(&l->owner, __ATOMIC_RELAXED) == unetdev__this_ctx()->token;
}

void unetdev_lockdep_assert_held_spin(const spinlock_t *l, const char *what, const char *fn)
{
	if (!spin_held_by_me(l))
		unetdev_check_report("R-SYNC-14", UNETDEV_SEV_WARN, NULL, fn, "lock %s not held",
				     what);
}

/*
 * rwlock_t is the kernel's queued rwlock: a reader in process context waits
 * behind a waiting writer, so a stream of lookups (dev_get_by_name) cannot
 * starve register/unregister's write_lock(&dev_base_lock). glibc's default
 * rwlock prefers readers; two lookup loops held the writer off for minutes
 * under valgrind (conformance/sync_list). A thread that already holds the
 * lock for reading may take it again (a sysfs read that gets the stats): the
 * nested read is counted here and never waits.
 */
#define RW_NEST_MAX 4
static __thread struct {
	const rwlock_t *l;
	int depth;
} rw_nest[RW_NEST_MAX];

/* This thread's read depth of @l; a free slot when @add (NULL if none). */
static int *rw_depth(const rwlock_t *l, bool add)
{
	int i;

	for (i = 0; i < RW_NEST_MAX; i++)
		if (rw_nest[i].l == l)
			return &rw_nest[i].depth;
	for (i = 0; add && i < RW_NEST_MAX; i++)
		if (!rw_nest[i].l) {
			rw_nest[i].l = l;
			rw_nest[i].depth = 0;
			return &rw_nest[i].depth;
		}
	return NULL;
}

void rwlock_init(rwlock_t *l)
{
	pthread_rwlockattr_t a;

	pthread_rwlockattr_init(&a);
	pthread_rwlockattr_setkind_np(&a, PTHREAD_RWLOCK_PREFER_WRITER_NONRECURSIVE_NP);
	pthread_rwlock_init(&l->rw, &a);
	pthread_rwlockattr_destroy(&a);
	l->writer = 0;
	l->readers = 0;
}

void rwlock_destroy(rwlock_t *l)
{
	pthread_rwlock_destroy(&l->rw);
}

void read_lock(rwlock_t *l) UNETDEV_NO_TSA
{
	int *depth = rw_depth(l, true);

	if (!depth || !*depth)
		pthread_rwlock_rdlock(&l->rw);
	if (depth)
		(*depth)++;
	__atomic_fetch_add(&l->readers, 1, __ATOMIC_RELAXED);
}

void read_unlock(rwlock_t *l) UNETDEV_NO_TSA
{
	int *depth = rw_depth(l, false);

	__atomic_fetch_sub(&l->readers, 1, __ATOMIC_RELAXED);
	if (depth && --*depth > 0)
		return; /* a nested read */
	if (depth)
		container_of(depth, typeof(rw_nest[0]), depth)->l = NULL;
	pthread_rwlock_unlock(&l->rw);
}

void write_lock(rwlock_t *l) UNETDEV_NO_TSA
{
	pthread_rwlock_wrlock(&l->rw);
	__atomic_store_n(&l->writer, unetdev__this_ctx()->token, __ATOMIC_RELAXED);
}

void write_unlock(rwlock_t *l) UNETDEV_NO_TSA
{
	__atomic_store_n(&l->writer, 0, __ATOMIC_RELAXED);
	pthread_rwlock_unlock(&l->rw);
}

void write_lock_bh(rwlock_t *l) UNETDEV_NO_TSA
{
	local_bh_disable();
	write_lock(l);
}

void write_unlock_bh(rwlock_t *l) UNETDEV_NO_TSA
{
	write_unlock(l);
	local_bh_enable();
}

bool rwlock_read_held(rwlock_t *l)
{
	return __atomic_load_n(&l->readers, __ATOMIC_RELAXED) > 0 || rwlock_write_held_by_me(l);
}

bool rwlock_write_held_by_me(const rwlock_t *l)
{
	return __atomic_load_n(&l->writer, __ATOMIC_RELAXED) == unetdev__this_ctx()->token;
}

void mutex_init(struct mutex *m)
{
	pthread_mutex_init(&m->m, NULL);
	m->owner = 0;
}

void mutex_destroy(struct mutex *m)
{
	pthread_mutex_destroy(&m->m);
}

void mutex_lock(struct mutex *m) UNETDEV_NO_TSA
{
	might_sleep();
	pthread_mutex_lock(&m->m);
	__atomic_store_n(&m->owner, unetdev__this_ctx()->token, __ATOMIC_RELAXED);
}

void mutex_unlock(struct mutex *m) UNETDEV_NO_TSA
{
	__atomic_store_n(&m->owner, 0, __ATOMIC_RELAXED);
	pthread_mutex_unlock(&m->m);
}

bool mutex_trylock(struct mutex *m) UNETDEV_NO_TSA
{
	if (pthread_mutex_trylock(&m->m) != 0)
		return false;
	__atomic_store_n(&m->owner, unetdev__this_ctx()->token, __ATOMIC_RELAXED);
	return true;
}

bool mutex_held_by_me(const struct mutex *m)
{
	return __atomic_load_n(&m->owner, __ATOMIC_RELAXED) == unetdev__this_ctx()->token;
}

/* ---- rtnl ---- */

struct mutex rtnl_mutex = {.m = PTHREAD_MUTEX_INITIALIZER, .owner = 0};

void rtnl_lock(void) UNETDEV_NO_TSA
{
	if (mutex_held_by_me(&rtnl_mutex)) {
		/* The kernel would deadlock; refuse instead of hanging the test. */
		unetdev_check_report("R-SYNC-14", UNETDEV_SEV_BUG, NULL, "rtnl_lock",
				     "rtnl_lock() while already holding rtnl (deadlock)");
		return;
	}
	mutex_lock(&rtnl_mutex);
}

void __rtnl_unlock(void) UNETDEV_NO_TSA
{
	mutex_unlock(&rtnl_mutex);
}

void rtnl_unlock(void) UNETDEV_NO_TSA
{
	/* netdev_run_todo() releases rtnl itself (R-UNREG-10). */
	unetdev__netdev_run_todo();
}

bool rtnl_trylock(void) UNETDEV_NO_TSA
{
	return mutex_trylock(&rtnl_mutex);
}

bool rtnl_is_locked(void)
{
	return __atomic_load_n(&rtnl_mutex.owner, __ATOMIC_RELAXED) != 0;
}

bool rtnl_held_by_me(void)
{
	return mutex_held_by_me(&rtnl_mutex);
}

void unetdev_assert_rtnl(const char *fn) UNETDEV_NO_TSA
{
	if (!rtnl_held_by_me())
		unetdev_check_report("R-SYNC-10", UNETDEV_SEV_WARN, NULL, fn,
				     "RTNL: assertion failed (rtnl not held)");
}
