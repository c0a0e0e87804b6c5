/* SPDX-License-Identifier: MIT */
/*
 * Helpers shared by the storm variants (storm_bridge.c, storm_backends.c,
 * storm_daemon.c): per-thread random streams drawn from one seed, relaxed
 * atomic counters, the run length from the environment. Static inline: each
 * test program uses a part.
 *
 * UNETDEV_STORM_SEED replays each thread's operation sequence (not the thread
 * interleaving: that is what is being tested); UNETDEV_STORM_SECONDS sets the
 * length of every variant.
 */
#ifndef UNETDEV_STORM_UTIL_H
#define UNETDEV_STORM_UTIL_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/eventfd.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>
#include <unetdev/engine.h>
#include <unetdev/types.h>

/* The TSan build runs the threaded storms for a shorter default time (CI budget). */
#if defined(__SANITIZE_THREAD__)
#define STORM_TSAN 1
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define STORM_TSAN 1
#endif
#endif
#ifndef STORM_TSAN
#define STORM_TSAN 0
#endif

static inline u64 storm_rd(const u64 *p)
{
	return __atomic_load_n(p, __ATOMIC_RELAXED);
}

static inline void storm_add(u64 *p, u64 v)
{
	__atomic_fetch_add(p, v, __ATOMIC_RELAXED);
}

/* xorshift64*: one stream per thread, derived from the run's seed. */
static inline u64 storm_rnd(u64 *s)
{
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return *s * 0x2545f4914f6cdd1dull;
}

static inline u64 storm_stream(u64 seed, u64 id)
{
	u64 s = seed ^ (0x9e3779b97f4a7c15ull * (id + 1));

	return s ? s : 1;
}

static inline unsigned long storm_env_ul(const char *name, unsigned long dflt)
{
	const char *v = getenv(name); // NOLINT(concurrency-mt-unsafe): read before threads start

	return v && *v ? strtoul(v, NULL, 0) : dflt;
}

static inline unsigned long storm_seed(void)
{
	return storm_env_ul("UNETDEV_STORM_SEED", (unsigned long)time(NULL));
}

/* The variant's length: UNETDEV_STORM_SECONDS, else @dflt. */
static inline unsigned long storm_seconds(unsigned long dflt)
{
	return storm_env_ul("UNETDEV_STORM_SECONDS", dflt);
}

/* Monotonic time in ms, for deadlines. */
static inline long storm_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Finish any NAPI poll this thread's own softnet still owns before it exits:
 * a poll left scheduled on a vanished thread would block napi_disable(). */
static inline void drain_own_cpu(void)
{
	for (int i = 0; i < 100; i++)
		unetdev_cpu_run(0);
}

/* The threads of a storm variant: @ngen generators (random streams 0..),
 * @nchaos control-plane threads (streams 100..) and one sampler, for @secs
 * seconds; then *@stop is set and every thread joined. Needs harness.h. */
struct storm_threads {
	int ngen, nchaos;
	void *(*gen)(void *);
	void *(*chaos)(void *);
	void *(*sampler)(void *);
	bool *stop;
};

static inline void storm_run(const struct storm_threads *t, unsigned long seed, unsigned long secs)
{
	pthread_t th[32], sampler;
	int n = 0;

	ASSERT_LE(t->ngen + t->nchaos, 32);
	for (int i = 0; i < t->ngen; i++, n++)
		ASSERT_EQ(pthread_create(&th[n], NULL, t->gen,
					 (void *)(uintptr_t)storm_stream(seed, (u64)i)),
			  0);
	for (int i = 0; i < t->nchaos; i++, n++)
		ASSERT_EQ(pthread_create(&th[n], NULL, t->chaos,
					 (void *)(uintptr_t)storm_stream(seed, 100 + (u64)i)),
			  0);
	ASSERT_EQ(pthread_create(&sampler, NULL, t->sampler, NULL), 0);
	sleep((unsigned int)secs);
	__atomic_store_n(t->stop, true, __ATOMIC_RELEASE);
	for (int i = 0; i < n; i++)
		pthread_join(th[i], NULL);
	pthread_join(sampler, NULL);
}

/* An engine CPU's "NIC interrupt": an eventfd per CPU whose readiness runs
 * @irq in hardirq context there (unetdev_irq_request). */
struct storm_line {
	int fd;
	struct unetdev_irq *irq;
};

static inline void storm_lines_request(struct storm_line *l, unsigned int ncpus,
				       void (*irq)(void *, u32))
{
	for (unsigned int c = 0; c < ncpus; c++) {
		l[c].fd = eventfd(0, EFD_NONBLOCK);
		ASSERT_GE(l[c].fd, 0);
		ASSERT_EQ(
		    unetdev_irq_request(c, l[c].fd, 0x001 /* EPOLLIN */, irq, &l[c], &l[c].irq), 0);
	}
}

static inline void storm_lines_free(struct storm_line *l, unsigned int ncpus)
{
	for (unsigned int c = 0; c < ncpus; c++) {
		unetdev_irq_free(l[c].irq);
		close(l[c].fd);
	}
}

/* In the handler: consume the event; false when there was none. */
static inline bool storm_line_ack(struct storm_line *l)
{
	u64 v;

	return read(l->fd, &v, sizeof(v)) == sizeof(v);
}

#endif
