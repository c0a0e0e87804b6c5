/* SPDX-License-Identifier: MIT */
/*
 * Driver modules (kernel linux/module.h). A driver built as a shared object
 * declares its init/exit functions with module_init()/module_exit(); the
 * loader (unetdev_module_load) finds them through the module descriptor.
 * A device outlives its module until its last reference is put (R-ALLOC-24).
 */
#ifndef UNETDEV_MODULE_H
#define UNETDEV_MODULE_H

#include <unetdev/compiler.h>

#define UNETDEV_MODULE_MAGIC 0x756e6d64u /* "unmd" */

struct unetdev_module_desc {
	unsigned int magic;
	int (*init)(void);
	void (*exit)(void);
	const char *license;
	const char *description;
	const char *author;
	struct module *self; /* set by the loader */
};

struct module; /* a loaded module, opaque */

#ifdef UNETDEV_MODULE
/* The descriptor every module shared object exports (default visibility). */
extern struct unetdev_module_desc unetdev_module_desc __attribute__((visibility("default")));
#define module_init(fn)                                                                            \
	__attribute__((constructor)) static void unetdev__modinit_##fn(void)                       \
	{                                                                                          \
		unetdev_module_desc.init = fn;                                                     \
	}
#define module_exit(fn)                                                                            \
	__attribute__((constructor)) static void unetdev__modexit_##fn(void)                       \
	{                                                                                          \
		unetdev_module_desc.exit = fn;                                                     \
	}
#define MODULE_LICENSE(s)                                                                          \
	struct unetdev_module_desc unetdev_module_desc                                             \
	    __attribute__((visibility("default"))) = {.magic = UNETDEV_MODULE_MAGIC, .license = s}
#define MODULE_DESCRIPTION(s)                                                                      \
	__attribute__((constructor)) static void unetdev__moddesc(void)                            \
	{                                                                                          \
		unetdev_module_desc.description = s;                                               \
	}
#define MODULE_AUTHOR(s) /* recorded in the source only */
#define THIS_MODULE	 (unetdev_module_desc.self)
#else
#define module_init(fn)
#define module_exit(fn)
#define MODULE_LICENSE(s)
#define MODULE_DESCRIPTION(s)
#define MODULE_AUTHOR(s)
#define THIS_MODULE ((struct module *)0)
#endif

#define unetdev_module_load   unetdev_module_load
#define unetdev_module_unload unetdev_module_unload
#define unetdev_module_find   unetdev_module_find

/**
 * unetdev_module_load - dlopen @path, check its descriptor, run its init.
 * Returns 0 and the module in *@out, or -ENOENT/-ENOEXEC/-EEXIST/init's error.
 * Context: process, rtnl not held.
 */
UNETDEV_API int unetdev_module_load(const char *path, struct module **out);
/** unetdev_module_unload - run exit, then dlclose. Context: process, rtnl not held. */
UNETDEV_API int unetdev_module_unload(struct module *mod);
UNETDEV_API struct module *unetdev_module_find(const char *name);
UNETDEV_API const char *unetdev_module_name(const struct module *mod);

#endif
