// SPDX-License-Identifier: MIT
/*
 * slab.c - accounted allocation with fault injection (the kernel's
 * mm/slab + mm/vmalloc + failslab, reduced to what unetdev needs).
 *
 * Every core allocation goes through here so that tests can (a) see that
 * nothing is left at teardown and (b) make the Nth allocation, or every
 * allocation at a named site, fail.
 */
#include <pthread.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "internal.h"

/* A header in front of each heap block records its size and site. */
struct slab_hdr {
	size_t size;
	size_t align_pad; /* bytes between the malloc'd base and this header */
	unsigned long magic;
};
#define SLAB_MAGIC 0x736c6162u /* "slab" */
#define SLAB_HDR   ALIGN(sizeof(struct slab_hdr), 64)
_Static_assert(SLAB_HDR == 64 && offsetof(struct slab_hdr, size) == 0,
	       "unetdev__ksize (internal.h) reads the size 64 bytes before the block");

/* Per-thread counters (internal.h): the registered threads, and what exited
 * threads (and threads past their exit fold) added. */
UNETDEV_TLS struct unetdev__counters unetdev__cnt;
static pthread_mutex_t cnt_lock = PTHREAD_MUTEX_INITIALIZER;
static struct unetdev__counters *cnt_threads;
static long cnt_global[UNETDEV_CNT_MAX]; /* atomic */
static pthread_key_t cnt_key;
static pthread_once_t cnt_once = PTHREAD_ONCE_INIT;

/* Thread exit: fold this thread's counts into the global ones. */
static void cnt_fold(void *arg)
{
	struct unetdev__counters *c = arg, **pp;

	pthread_mutex_lock(&cnt_lock);
	for (int i = 0; i < UNETDEV_CNT_MAX; i++) {
		__atomic_fetch_add(&cnt_global[i], __atomic_load_n(&c->v[i], __ATOMIC_RELAXED),
				   __ATOMIC_RELAXED);
		__atomic_store_n(&c->v[i], 0, __ATOMIC_RELAXED);
	}
	for (pp = &cnt_threads; *pp; pp = &(*pp)->next)
		if (*pp == c) {
			*pp = c->next;
			break;
		}
	c->state = 2; /* later adds (other exit handlers) go to the global counts */
	pthread_mutex_unlock(&cnt_lock);
}

static void cnt_key_init(void)
{
	pthread_key_create(&cnt_key, cnt_fold);
}

void unetdev__cnt_add_slow(enum unetdev__cnt_idx i, long n)
{
	struct unetdev__counters *c = &unetdev__cnt;

	if (c->state == 2) {
		__atomic_fetch_add(&cnt_global[i], n, __ATOMIC_RELAXED);
		return;
	}
	pthread_once(&cnt_once, cnt_key_init);
	pthread_mutex_lock(&cnt_lock);
	c->next = cnt_threads;
	cnt_threads = c;
	c->state = 1;
	pthread_mutex_unlock(&cnt_lock);
	pthread_setspecific(cnt_key, c);
	unetdev__cnt_add(i, n);
}

long unetdev__cnt_sum(enum unetdev__cnt_idx i)
{
	long sum;

	pthread_mutex_lock(&cnt_lock);
	sum = __atomic_load_n(&cnt_global[i], __ATOMIC_RELAXED);
	for (struct unetdev__counters *c = cnt_threads; c; c = c->next)
		sum += __atomic_load_n(&c->v[i], __ATOMIC_RELAXED);
	pthread_mutex_unlock(&cnt_lock);
	return sum;
}
static unsigned long injected;

static pthread_mutex_t fault_lock = PTHREAD_MUTEX_INITIALIZER;
static char fault_site[32];
static unsigned long fault_nth; /* countdown, 0 = off */
static bool fault_every;	/* fail every allocation at fault_site */
bool unetdev__fault_armed;	/* fault_nth || fault_every: the fast path's one load */

/* "name" matches exactly; "prefix*" matches every site starting with prefix. */
static bool site_matches(const char *pattern, const char *site)
{
	size_t n = strlen(pattern);

	if (n && pattern[n - 1] == '*')
		return !strncmp(pattern, site, n - 1);
	return !strcmp(pattern, site);
}

bool unetdev__should_fail(const char *site)
{
	bool fail = false;

	unetdev__cnt_add(UNETDEV_CNT_ATTEMPTS, 1);
	if (likely(!__atomic_load_n(&unetdev__fault_armed, __ATOMIC_RELAXED)))
		return false;
	pthread_mutex_lock(&fault_lock);
	if (fault_site[0] && !site_matches(fault_site, site))
		goto out;
	fail = fault_every || (fault_nth && --fault_nth == 0);
	if (fault_nth == 0 && !fault_every)
		__atomic_store_n(&unetdev__fault_armed, false, __ATOMIC_RELAXED);
out:
	pthread_mutex_unlock(&fault_lock);
	if (fail)
		__atomic_fetch_add(&injected, 1, __ATOMIC_RELAXED);
	return fail;
}

bool unetdev__should_fail_armed(const char *site, unsigned int n)
{
	bool fail = false;

	for (unsigned int i = 0; i < n; i++)
		fail |= unetdev__should_fail(site);
	return fail;
}

void unetdev_fault_fail_nth(const char *site, unsigned long nth)
{
	pthread_mutex_lock(&fault_lock);
	snprintf(fault_site, sizeof(fault_site), "%s", site ? site : "");
	fault_every = false;
	__atomic_store_n(&fault_nth, nth, __ATOMIC_RELAXED);
	__atomic_store_n(&unetdev__fault_armed, nth != 0, __ATOMIC_RELAXED);
	pthread_mutex_unlock(&fault_lock);
}

void unetdev_fault_fail_site(const char *site)
{
	pthread_mutex_lock(&fault_lock);
	snprintf(fault_site, sizeof(fault_site), "%s", site ? site : "");
	__atomic_store_n(&fault_every, site != NULL, __ATOMIC_RELAXED);
	fault_nth = 0;
	__atomic_store_n(&unetdev__fault_armed, site != NULL, __ATOMIC_RELAXED);
	pthread_mutex_unlock(&fault_lock);
}

void unetdev_fault_clear(void)
{
	unetdev_fault_fail_site(NULL);
}

unsigned long unetdev_fault_injected(void)
{
	return __atomic_load_n(&injected, __ATOMIC_RELAXED);
}

unsigned long unetdev_alloc_count(void)
{
	return (unsigned long)unetdev__cnt_sum(UNETDEV_CNT_ATTEMPTS);
}

void *unetdev__kzalloc_aligned(size_t align, size_t size, const char *site)
{
	unsigned char *base, *p;
	struct slab_hdr *h;
	size_t pad;

	if (align < 64)
		align = 64;
	if (unetdev__should_fail(site) || size > ((size_t)1 << 40))
		return NULL;
	base = malloc(size + SLAB_HDR + align);
	if (!base)
		return NULL;
	p = base + (ALIGN((uintptr_t)base + SLAB_HDR, align) - (uintptr_t)base);
	pad = (size_t)(p - base) - SLAB_HDR;
	memset(p, 0, size);
	h = (struct slab_hdr *)(p - SLAB_HDR);
	h->size = size;
	h->align_pad = pad;
	h->magic = SLAB_MAGIC;
	unetdev__cnt_add(UNETDEV_CNT_ALLOCS, 1);
	return p;
}

void *unetdev__kzalloc(size_t size, const char *site)
{
	return unetdev__kzalloc_aligned(64, size, site);
}

void *unetdev__kmalloc(size_t size, const char *site)
{
	return unetdev__kzalloc_aligned(64, size, site);
}

void *unetdev__kcalloc(size_t n, size_t size, const char *site)
{
	if (size && n > SIZE_MAX / size)
		return NULL;
	return unetdev__kzalloc(n * size, site);
}

void unetdev__kfree(void *p)
{
	struct slab_hdr *h;

	if (!p)
		return;
	h = (struct slab_hdr *)((unsigned char *)p - SLAB_HDR);
	if (h->magic != SLAB_MAGIC) {
		unetdev_check_report("R-ALLOC-21", UNETDEV_SEV_BUG, NULL, "kfree",
				     "freeing %p which is not a live core allocation", p);
		return;
	}
	h->magic = 0;
	unetdev__cnt_add(UNETDEV_CNT_ALLOCS, -1);
	free((unsigned char *)h - h->align_pad);
}

void *unetdev__vzalloc(size_t size, const char *site)
{
	void *p;

	if (unetdev__should_fail(site))
		return NULL;
	p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		return NULL;
	unetdev__cnt_add(UNETDEV_CNT_ALLOCS, 1);
	return p;
}

void unetdev__vfree(void *p, size_t size)
{
	if (!p)
		return;
	munmap(p, size);
	unetdev__cnt_add(UNETDEV_CNT_ALLOCS, -1);
}

void unetdev_live_objects(struct unetdev_live *live)
{
	live->allocations = unetdev__cnt_sum(UNETDEV_CNT_ALLOCS);
	live->netdevs = unetdev__cnt_sum(UNETDEV_CNT_NETDEV);
	live->skbs = unetdev__cnt_sum(UNETDEV_CNT_SKB);
	live->napis = unetdev__cnt_sum(UNETDEV_CNT_NAPI);
	live->modules = unetdev__cnt_sum(UNETDEV_CNT_MODULE);
	live->refwaits = unetdev__refwaiters();
}
