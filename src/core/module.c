// SPDX-License-Identifier: MIT
/*
 * module.c - driver modules as shared objects (kernel kernel/module/main.c:
 * load_module, do_init_module, delete_module, find_module). Supports
 * R-ALLOC-24: a device outlives the module that created it; the ndo
 * wrappers refuse ops on devices whose unregistration completed, so nothing
 * jumps into unmapped code after unetdev_module_unload().
 *
 * Life of a module:
 *   1) reserve its name on the list (COMING), so a concurrent load of the
 *      same module fails with -EEXIST;
 *   2) dlopen(RTLD_NOW | RTLD_LOCAL), find and check the descriptor;
 *   3) run init without any core lock held (it registers devices);
 *   4) LIVE until unload: exit runs, then dlclose unmaps the code.
 */
#include <dlfcn.h>
#include <limits.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "internal.h"

#define MODULE_NAME_LEN 56

enum module_state {
	MODULE_STATE_COMING,
	MODULE_STATE_LIVE,
	MODULE_STATE_GOING,
};

struct module {
	struct list_head list;
	char name[MODULE_NAME_LEN];
	char path[PATH_MAX];
	void *handle;
	struct unetdev_module_desc *desc;
	enum module_state state;
	int refcnt; /* atomic: unetdev__module_get() holders */
};

static pthread_mutex_t module_mutex = PTHREAD_MUTEX_INITIALIZER;
static LIST_HEAD(modules);

/* "dir/mod_dummy.so" -> "mod_dummy" */
static void module_name_from_path(const char *path, char *name)
{
	const char *base = strrchr(path, '/');
	size_t len;

	base = base ? base + 1 : path;
	len = strcspn(base, ".");
	if (len >= MODULE_NAME_LEN)
		len = MODULE_NAME_LEN - 1;
	memcpy(name, base, len);
	name[len] = '\0';
}

static struct module *find_module_all(const char *name,
				      const char *path) UNETDEV_NO_TSA /* module_mutex held */
{
	struct module *mod;

	list_for_each_entry (mod, &modules, list)
		if (!strcmp(mod->name, name) || (path && !strcmp(mod->path, path)))
			return mod;
	return NULL;
}

/* Step 1: a COMING entry, or -EEXIST / -ENOMEM. */
static int module_reserve(const char *path, struct module **out)
{
	struct module *mod = unetdev__kzalloc(sizeof(*mod), "module");

	if (!mod)
		return -ENOMEM;
	if (!realpath(path, mod->path)) {
		unetdev__kfree(mod);
		return -ENOENT;
	}
	module_name_from_path(mod->path, mod->name);
	pthread_mutex_lock(&module_mutex);
	if (find_module_all(mod->name, mod->path)) {
		pthread_mutex_unlock(&module_mutex);
		unetdev__kfree(mod);
		return -EEXIST;
	}
	list_add_tail(&mod->list, &modules);
	pthread_mutex_unlock(&module_mutex);
	*out = mod;
	return 0;
}

static void module_unreserve(struct module *mod)
{
	pthread_mutex_lock(&module_mutex);
	list_del(&mod->list);
	pthread_mutex_unlock(&module_mutex);
	unetdev__kfree(mod);
}

/* Step 2: the shared object and its descriptor. */
static int module_open(struct module *mod)
{
	struct unetdev_module_desc *desc;

	mod->handle = dlopen(mod->path, RTLD_NOW | RTLD_LOCAL);
	if (!mod->handle) {
		unetdev__log(3, "module %s: %s", mod->name,
			     dlerror()); // NOLINT(concurrency-mt-unsafe): glibc keeps dlerror state
					 // per thread
		return -ENOEXEC;
	}
	desc = dlsym(mod->handle, "unetdev_module_desc");
	if (!desc || desc->magic != UNETDEV_MODULE_MAGIC) {
		unetdev__log(3, "module %s: no module descriptor", mod->name);
		goto bad;
	}
	if (!desc->license) {
		unetdev__log(3, "module %s: no MODULE_LICENSE", mod->name);
		goto bad;
	}
	mod->desc = desc;
	desc->self = mod;
	return 0;
bad:
	dlclose(mod->handle);
	mod->handle = NULL;
	return -ENOEXEC;
}

int unetdev_module_load(const char *path, struct module **out)
{
	struct module *mod;
	struct stat st;
	int err;

	if (!path || !*path)
		return -EINVAL;
	if (stat(path, &st))
		return -errno;
	if (!S_ISREG(st.st_mode))
		return -ENOEXEC;
	err = module_reserve(path, &mod);
	if (err)
		return err;
	err = module_open(mod);
	if (err)
		goto err_unreserve;
	if (mod->desc->init) {
		err = mod->desc->init(); /* step 3: no lock held */
		if (err > 0)
			err = -EINVAL;
		if (err)
			goto err_close;
	}
	pthread_mutex_lock(&module_mutex);
	mod->state = MODULE_STATE_LIVE;
	pthread_mutex_unlock(&module_mutex);
	unetdev__live_add(UNETDEV_LIVE_MODULE, 1);
	if (out)
		*out = mod;
	return 0;

err_close:
	mod->desc->self = NULL;
	dlclose(mod->handle);
err_unreserve:
	module_unreserve(mod);
	return err;
}

/* delete_module: a module in use, or one with init but no exit, stays. */
int unetdev_module_unload(struct module *mod)
{
	if (!mod)
		return -EINVAL;
	pthread_mutex_lock(&module_mutex);
	if (mod->state != MODULE_STATE_LIVE || __atomic_load_n(&mod->refcnt, __ATOMIC_ACQUIRE) ||
	    (mod->desc->init && !mod->desc->exit)) {
		pthread_mutex_unlock(&module_mutex);
		return -EBUSY;
	}
	mod->state = MODULE_STATE_GOING;
	pthread_mutex_unlock(&module_mutex);

	if (mod->desc->exit)
		mod->desc->exit();
	mod->desc->self = NULL;
	dlclose(mod->handle); /* the code is gone from here on (R-ALLOC-24) */
	unetdev__live_add(UNETDEV_LIVE_MODULE, -1);
	module_unreserve(mod);
	return 0;
}

struct module *unetdev_module_find(const char *name)
{
	struct module *mod;

	if (!name)
		return NULL;
	pthread_mutex_lock(&module_mutex);
	mod = find_module_all(name, NULL);
	if (mod && mod->state != MODULE_STATE_LIVE)
		mod = NULL;
	pthread_mutex_unlock(&module_mutex);
	return mod;
}

const char *unetdev_module_name(const struct module *mod)
{
	return mod ? mod->name : NULL;
}

/* try_module_get/module_put: a held module cannot be unloaded. */
void unetdev__module_get(struct module *mod)
{
	if (mod)
		__atomic_fetch_add(&mod->refcnt, 1, __ATOMIC_RELAXED);
}

void unetdev__module_put(struct module *mod)
{
	if (mod)
		__atomic_fetch_sub(&mod->refcnt, 1, __ATOMIC_RELEASE);
}
