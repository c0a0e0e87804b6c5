/* SPDX-License-Identifier: MIT */
/*
 * backend_cfg.h - the backends' versioned configuration structures
 * (<unetdev/backends.h>: each begins with `size_t sz`, the caller's sizeof).
 */
#ifndef UNETDEV_DRIVERS_BACKEND_CFG_H
#define UNETDEV_DRIVERS_BACKEND_CFG_H

#include <errno.h>
#include <stddef.h>
#include <string.h>

/*
 * backend_cfg_copy - copy a caller's configuration @src into @dst (@dst_sz
 * bytes, zeroed by the caller): as much as both know, so an older caller's
 * missing fields stay zero and a newer caller's extra ones are ignored.
 * -EINVAL when the caller's structure is shorter than @min_sz.
 */
static inline int backend_cfg_copy(void *dst, size_t dst_sz, const void *src, size_t min_sz)
{
	size_t sz;

	memcpy(&sz, src, sizeof(sz));
	if (sz < min_sz)
		return -EINVAL;
	memcpy(dst, src, sz < dst_sz ? sz : dst_sz);
	return 0;
}

#endif /* UNETDEV_DRIVERS_BACKEND_CFG_H */
