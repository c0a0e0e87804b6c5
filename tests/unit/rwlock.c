// SPDX-License-Identifier: MIT
/*
 * Unit: rwlock_t (src/core/locking.c) behaves as the kernel's queued rwlock
 * for process-context users: a new reader waits behind a waiting writer, so
 * readers cannot starve a writer (dev_base_lock: lookups against
 * register/unregister, R-SYNC-13); a thread holding the lock for reading may
 * take it again while a writer waits, without deadlock.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include <unetdev/unetdev.h>

#include "harness.h"

static rwlock_t lock;
static int seq, writer_at, reader_at; /* order of acquisition, 1-based */
static pid_t writer_tid, reader_tid;

static int next_seq(void)
{
	return __atomic_add_fetch(&seq, 1, __ATOMIC_SEQ_CST);
}

static void *writer(void *arg)
{
	__atomic_store_n(&writer_tid, (pid_t)syscall(SYS_gettid), __ATOMIC_RELEASE);
	write_lock(&lock);
	__atomic_store_n(&writer_at, next_seq(), __ATOMIC_RELEASE);
	write_unlock(&lock);
	return NULL;
}

static void *reader(void *arg)
{
	__atomic_store_n(&reader_tid, (pid_t)syscall(SYS_gettid), __ATOMIC_RELEASE);
	read_lock(&lock);
	__atomic_store_n(&reader_at, next_seq(), __ATOMIC_RELEASE);
	read_unlock(&lock);
	return NULL;
}

/* Thread @tid of this process is asleep (blocked in the lock's futex). */
static bool sleeping(pid_t tid)
{
	char path[64], buf[256], *p;
	FILE *f;
	size_t n;

	snprintf(path, sizeof(path), "/proc/self/task/%d/stat", (int)tid);
	f = fopen(path, "r");
	if (!f)
		return false;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = 0;
	p = strrchr(buf, ')'); /* "pid (comm) S ..." */
	return p && p[1] == ' ' && p[2] == 'S';
}

/* Poll (generous deadline, no fixed sleep) until @tid blocks or @done is set. */
static void wait_blocked(pid_t *tid, int *done)
{
	struct timespec ts = {0, 1000000};

	for (int i = 0; i < 30000; i++) {
		pid_t t = __atomic_load_n(tid, __ATOMIC_ACQUIRE);

		if (__atomic_load_n(done, __ATOMIC_ACQUIRE) || (t && sleeping(t)))
			return;
		nanosleep(&ts, NULL);
	}
	FAIL("thread did not block within 30 s");
}

static void read_nested(void) UNETDEV_NO_TSA
{
	read_lock(&lock); /* this thread holds it already: must not wait for the writer */
	read_unlock(&lock);
}

TEST(rwlock_reader_queues_behind_waiting_writer_and_nested_read_proceeds)
{
	pthread_t w, r;

	rwlock_init(&lock);
	read_lock(&lock);
	ASSERT_EQ(pthread_create(&w, NULL, writer, NULL), 0);
	wait_blocked(&writer_tid, &writer_at);
	ASSERT_EQ(__atomic_load_n(&writer_at, __ATOMIC_ACQUIRE), 0); /* we still read-hold it */
	read_nested();
	ASSERT_TRUE(rwlock_read_held(&lock));
	ASSERT_EQ(pthread_create(&r, NULL, reader, NULL), 0);
	wait_blocked(&reader_tid, &reader_at);
	/* A reader-preferring lock lets the new reader in ahead of the writer. */
	ASSERT_EQ(__atomic_load_n(&reader_at, __ATOMIC_ACQUIRE), 0);
	read_unlock(&lock);
	ASSERT_EQ(pthread_join(w, NULL), 0);
	ASSERT_EQ(pthread_join(r, NULL), 0);
	ASSERT_EQ(writer_at, 1);
	ASSERT_EQ(reader_at, 2);
	ASSERT_FALSE(rwlock_read_held(&lock));
	rwlock_destroy(&lock);
}
