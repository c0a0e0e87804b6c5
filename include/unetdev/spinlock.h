/* SPDX-License-Identifier: MIT */
/*
 * Spinlocks, rwlocks and mutexes with owner tracking (kernel
 * linux/spinlock.h, linux/mutex.h). The owner field lets the contract checker
 * assert "held by me" at run time (lockdep_assert_held()).
 *
 * spinlock_t is a futex word: taken with one compare-and-swap, released with
 * one exchange; a contended locker spins briefly, then sleeps in the kernel
 * (a holder preempted on a busy machine does not make waiters burn their time
 * slices). Acquire/release atomics, so ThreadSanitizer sees the ordering.
 * rwlock_t and struct mutex are pthread primitives.
 */
#ifndef UNETDEV_SPINLOCK_H
#define UNETDEV_SPINLOCK_H

#include <pthread.h>
#include <unetdev/preempt.h>
#include <unetdev/types.h>

typedef struct UNETDEV_CAPABILITY("spinlock") spinlock {
	unsigned int state;	    /* futex word: 0 free, 1 held, 2 held with sleepers (atomic) */
	unsigned long owner;	    /* thread token of the holder, 0 when free */
	unsigned long reserved_[4]; /* the size of the former pthread_mutex_t based lock */
} spinlock_t;
_Static_assert(sizeof(spinlock_t) == 48, "spinlock_t keeps its size (structure layouts)");

typedef struct UNETDEV_CAPABILITY("rwlock") rwlock {
	pthread_rwlock_t rw;
	unsigned long writer;
	int readers;
} rwlock_t;

struct UNETDEV_CAPABILITY("mutex") mutex {
	pthread_mutex_t m;
	unsigned long owner;
};

#define spin_lock_init		unetdev_spin_lock_init
#define spin_lock		unetdev_spin_lock
#define spin_unlock		unetdev_spin_unlock
#define spin_trylock		unetdev_spin_trylock
#define spin_lock_bh		unetdev_spin_lock_bh
#define spin_unlock_bh		unetdev_spin_unlock_bh
#define spin_is_locked		unetdev_spin_is_locked
#define spin_held_by_me		unetdev_spin_held_by_me
#define spin_lock_destroy	unetdev_spin_lock_destroy
#define rwlock_init		unetdev_rwlock_init
#define read_lock		unetdev_read_lock
#define read_unlock		unetdev_read_unlock
#define write_lock		unetdev_write_lock
#define write_unlock		unetdev_write_unlock
#define write_lock_bh		unetdev_write_lock_bh
#define write_unlock_bh		unetdev_write_unlock_bh
#define rwlock_read_held	unetdev_rwlock_read_held
#define rwlock_write_held_by_me unetdev_rwlock_write_held_by_me
#define rwlock_destroy		unetdev_rwlock_destroy
#define mutex_init		unetdev_mutex_init
#define mutex_lock		unetdev_mutex_lock
#define mutex_unlock		unetdev_mutex_unlock
#define mutex_trylock		unetdev_mutex_trylock
#define mutex_held_by_me	unetdev_mutex_held_by_me
#define mutex_destroy		unetdev_mutex_destroy
#define unetdev_thread_token	unetdev_thread_token

/** unetdev_thread_token - a non-zero id for the calling thread. */
UNETDEV_API unsigned long unetdev_thread_token(void);

UNETDEV_API void spin_lock_init(spinlock_t *l);
UNETDEV_API void spin_lock_destroy(spinlock_t *l);
UNETDEV_API void spin_lock(spinlock_t *l) UNETDEV_ACQUIRE(*l);
UNETDEV_API void spin_unlock(spinlock_t *l) UNETDEV_RELEASE(*l);
UNETDEV_API bool spin_trylock(spinlock_t *l) UNETDEV_TRY_ACQUIRE(true, *l);
/** spin_lock_bh - local_bh_disable() then lock. */
UNETDEV_API void spin_lock_bh(spinlock_t *l) UNETDEV_ACQUIRE(*l);
UNETDEV_API void spin_unlock_bh(spinlock_t *l) UNETDEV_RELEASE(*l);
UNETDEV_API bool spin_is_locked(spinlock_t *l);
UNETDEV_API bool spin_held_by_me(const spinlock_t *l);

UNETDEV_API void rwlock_init(rwlock_t *l);
UNETDEV_API void rwlock_destroy(rwlock_t *l);
UNETDEV_API void read_lock(rwlock_t *l) UNETDEV_ACQUIRE_SHARED(*l);
UNETDEV_API void read_unlock(rwlock_t *l) UNETDEV_RELEASE_SHARED(*l);
UNETDEV_API void write_lock(rwlock_t *l) UNETDEV_ACQUIRE(*l);
UNETDEV_API void write_unlock(rwlock_t *l) UNETDEV_RELEASE(*l);
UNETDEV_API void write_lock_bh(rwlock_t *l) UNETDEV_ACQUIRE(*l);
UNETDEV_API void write_unlock_bh(rwlock_t *l) UNETDEV_RELEASE(*l);
/** rwlock_read_held - some thread holds it for reading (or I hold it for writing). */
UNETDEV_API bool rwlock_read_held(rwlock_t *l);
UNETDEV_API bool rwlock_write_held_by_me(const rwlock_t *l);

UNETDEV_API void mutex_init(struct mutex *m);
UNETDEV_API void mutex_destroy(struct mutex *m);
UNETDEV_API void mutex_lock(struct mutex *m) UNETDEV_ACQUIRE(*m);
UNETDEV_API void mutex_unlock(struct mutex *m) UNETDEV_RELEASE(*m);
UNETDEV_API bool mutex_trylock(struct mutex *m) UNETDEV_TRY_ACQUIRE(true, *m);
UNETDEV_API bool mutex_held_by_me(const struct mutex *m);

/* lockdep_assert_held() equivalents, reported through the contract checker. */
#define lockdep_assert_held(l) unetdev_lockdep_assert_held_spin((l), #l, __func__)
UNETDEV_API void unetdev_lockdep_assert_held_spin(const spinlock_t *l, const char *what,
						  const char *fn);

#endif
