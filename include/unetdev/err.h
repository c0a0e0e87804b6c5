/* SPDX-License-Identifier: MIT */
/*
 * Error values carried in pointers (kernel linux/err.h): the top MAX_ERRNO
 * addresses are never valid objects, so a function can return either an
 * object or ERR_PTR(-errno). Used by skb_gso_segment() (R-TX-9).
 */
#ifndef UNETDEV_ERR_H
#define UNETDEV_ERR_H

#include <unetdev/compiler.h>
#include <unetdev/types.h>

#define MAX_ERRNO 4095

#define IS_ERR_VALUE(x) unlikely((unsigned long)(void *)(x) >= (unsigned long)-MAX_ERRNO)

static inline void *ERR_PTR(long error)
{
	return (void *)error;
}
static inline long PTR_ERR(const void *ptr)
{
	return (long)ptr;
}
static inline bool IS_ERR(const void *ptr)
{
	return IS_ERR_VALUE((unsigned long)ptr);
}
static inline bool IS_ERR_OR_NULL(const void *ptr)
{
	return unlikely(!ptr) || IS_ERR_VALUE((unsigned long)ptr);
}
/* Pass an error pointer on as another pointer type. */
static inline void *ERR_CAST(const void *ptr)
{
	return (void *)ptr;
}
static inline int PTR_ERR_OR_ZERO(const void *ptr)
{
	return IS_ERR(ptr) ? (int)PTR_ERR(ptr) : 0;
}

#endif
