// SPDX-License-Identifier: MIT
/*
 * napi_threaded.c - threaded NAPI (kernel net/core/dev.c: napi_kthread_create,
 * napi_threaded_poll, dev_set_threaded). Rule R-NAPI-14.
 *
 * Each instance of a threaded device gets a thread named
 * "napi/<dev>-<id>". Scheduling sets SCHED_THREADED and wakes it; the thread
 * polls with BHs disabled until no re-poll is needed.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdio.h>
#include <time.h>

#include "softnet.h"

struct unetdev__napi_thread {
	pthread_t th;
	pthread_mutex_t m;
	pthread_cond_t c;
	bool stop;
	struct napi_struct *napi;
};

static bool thread_wait(struct unetdev__napi_thread *t)
{
	bool run;

	pthread_mutex_lock(&t->m);
	while (!t->stop && !test_bit(NAPI_STATE_SCHED_THREADED, &t->napi->state))
		pthread_cond_wait(&t->c, &t->m);
	run = !t->stop;
	pthread_mutex_unlock(&t->m);
	return run;
}

static void *napi_threaded_poll(void *arg)
{
	struct unetdev__napi_thread *t = arg;
	char name[16];

	snprintf(name, sizeof(name), "napi/%.5s-%u", t->napi->dev->name, t->napi->napi_id);
	pthread_setname_np(pthread_self(), name);
	while (thread_wait(t)) {
		bool repoll;

		do {
			repoll = false;
			local_bh_disable();
			unetdev__napi_poll(t->napi, &repoll);
			local_bh_enable();
		} while (repoll);
	}
	return NULL;
}

int unetdev__napi_thread_create(struct napi_struct *n)
{
	struct unetdev__napi_thread *t;

	if (n->thread)
		return 0;
	t = unetdev__kzalloc(sizeof(*t), "kmalloc");
	if (!t)
		return -ENOMEM;
	t->napi = n;
	pthread_mutex_init(&t->m, NULL);
	pthread_cond_init(&t->c, NULL);
	if (!n->napi_id)
		n->napi_id = (unsigned int)(uintptr_t)n & 0xffff;
	if (pthread_create(&t->th, NULL, napi_threaded_poll, t)) {
		pthread_mutex_destroy(&t->m);
		pthread_cond_destroy(&t->c);
		unetdev__kfree(t);
		return -ENOMEM;
	}
	n->thread = t;
	return 0;
}

void unetdev__napi_thread_wake(struct napi_struct *n)
{
	struct unetdev__napi_thread *t = n->thread;

	pthread_mutex_lock(&t->m);
	pthread_cond_signal(&t->c);
	pthread_mutex_unlock(&t->m);
}

void unetdev__napi_thread_stop(struct napi_struct *n)
{
	struct unetdev__napi_thread *t = n->thread;

	if (!t)
		return;
	pthread_mutex_lock(&t->m);
	t->stop = true;
	pthread_cond_signal(&t->c);
	pthread_mutex_unlock(&t->m);
	pthread_join(t->th, NULL);
	pthread_mutex_destroy(&t->m);
	pthread_cond_destroy(&t->c);
	n->thread = NULL;
	unetdev__kfree(t);
}

/* R-NAPI-14: switching off waits (20 ms sleeps) until the thread no longer owns the instance. */
static void napi_set_threaded(struct napi_struct *n, bool threaded)
{
	if (threaded) {
		if (!test_bit(NAPI_STATE_NPSVC, &n->state)) /* enabled */
			set_bit(NAPI_STATE_THREADED, &n->state);
		return;
	}
	clear_bit(NAPI_STATE_THREADED, &n->state);
	while (test_bit(NAPI_STATE_SCHED_THREADED, &n->state)) {
		struct timespec ts = {0, 20000000};

		nanosleep(&ts, NULL);
	}
}

int dev_set_threaded(struct net_device *dev, bool threaded)
{
	struct napi_struct *n;
	int err = 0;

	ASSERT_RTNL();
	if (READ_ONCE(dev->threaded) == threaded)
		return 0;
	if (threaded) {
		list_for_each_entry (n, &dev->napi_list, dev_list) {
			err = unetdev__napi_thread_create(n);
			if (err) {
				threaded = false;
				break;
			}
		}
	}
	WRITE_ONCE(dev->threaded, threaded);
	list_for_each_entry (n, &dev->napi_list, dev_list)
		napi_set_threaded(n, threaded);
	if (!threaded)
		list_for_each_entry (n, &dev->napi_list, dev_list)
			unetdev__napi_thread_stop(n);
	return err;
}
