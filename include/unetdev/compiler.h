/* SPDX-License-Identifier: MIT */
/*
 * Compiler helpers: visibility, clang thread-safety annotations, kernel
 * idioms (container_of, likely, BIT, READ_ONCE).
 */
#ifndef UNETDEV_COMPILER_H
#define UNETDEV_COMPILER_H

#include <stddef.h>
#include <stdint.h>

#define UNETDEV_API __attribute__((visibility("default")))

/* clang -Wthread-safety; gcc sees nothing. */
#if defined(__clang__)
#define UNETDEV_TSA(x) __attribute__((x))
#else
#define UNETDEV_TSA(x)
#endif
#define UNETDEV_CAPABILITY(x)	      UNETDEV_TSA(capability(x))
#define UNETDEV_ACQUIRE(...)	      UNETDEV_TSA(acquire_capability(__VA_ARGS__))
#define UNETDEV_ACQUIRE_SHARED(...)   UNETDEV_TSA(acquire_shared_capability(__VA_ARGS__))
#define UNETDEV_RELEASE(...)	      UNETDEV_TSA(release_capability(__VA_ARGS__))
#define UNETDEV_RELEASE_SHARED(...)   UNETDEV_TSA(release_shared_capability(__VA_ARGS__))
#define UNETDEV_TRY_ACQUIRE(...)      UNETDEV_TSA(try_acquire_capability(__VA_ARGS__))
#define UNETDEV_MUST_HOLD(...)	      UNETDEV_TSA(requires_capability(__VA_ARGS__))
#define UNETDEV_MUST_HOLD_SHARED(...) UNETDEV_TSA(requires_shared_capability(__VA_ARGS__))
#define UNETDEV_EXCLUDES(...)	      UNETDEV_TSA(locks_excluded(__VA_ARGS__))
#define UNETDEV_GUARDED_BY(x)	      UNETDEV_TSA(guarded_by(x))
#define UNETDEV_ASSERT_HELD(...)      UNETDEV_TSA(assert_capability(__VA_ARGS__))
#define UNETDEV_NO_TSA		      UNETDEV_TSA(no_thread_safety_analysis)

#ifndef container_of
#define container_of(ptr, type, member)                                                            \
	({                                                                                         \
		const __typeof__(((type *)0)->member) *__mptr = (ptr);                             \
		(type *)((char *)__mptr - offsetof(type, member));                                 \
	})
#endif

#define likely(x)   __builtin_expect(!!(x), 1)
#define unlikely(x) __builtin_expect(!!(x), 0)

#define BIT(n)		   (1UL << (n))
#define ARRAY_SIZE(a)	   (sizeof(a) / sizeof((a)[0]))
#define ALIGN(x, a)	   (((x) + ((a)-1)) & ~((__typeof__(x))(a)-1))
#define DIV_ROUND_UP(n, d) (((n) + (d)-1) / (d))

#define READ_ONCE(x)	 __atomic_load_n(&(x), __ATOMIC_RELAXED)
#define WRITE_ONCE(x, v) __atomic_store_n(&(x), (v), __ATOMIC_RELAXED)
#define smp_mb()	 __atomic_thread_fence(__ATOMIC_SEQ_CST)
#define smp_rmb()	 __atomic_thread_fence(__ATOMIC_ACQUIRE)
#define smp_wmb()	 __atomic_thread_fence(__ATOMIC_RELEASE)

#define __maybe_unused __attribute__((unused))
#define __printf(a, b) __attribute__((format(printf, a, b)))
#define __noreturn     __attribute__((noreturn))

#ifndef min
#define min(a, b) ((a) < (b) ? (a) : (b))
#define max(a, b) ((a) > (b) ? (a) : (b))
#endif
#define min_t(t, a, b) ((t)(a) < (t)(b) ? (t)(a) : (t)(b))
#define max_t(t, a, b) ((t)(a) > (t)(b) ? (t)(a) : (t)(b))

#endif
