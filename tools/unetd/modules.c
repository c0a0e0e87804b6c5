// SPDX-License-Identifier: MIT
/*
 * modules.c - driver modules through the control socket (kernel
 * kernel/module/main.c: init_module/finit_module, delete_module, and what
 * /proc/modules shows), on top of unetdev_module_load/unload.
 *
 * The daemon keeps one record per module it loaded: the name clients use
 * (the file's name, or the one given at load), the resolved path, and the
 * references the daemon itself holds on the module's devices (open
 * captures). Unloading runs the module's exit, which unregisters its devices
 * (R-ALLOC-24: the memory of a device stays until its last reference is put);
 * while the daemon still holds such references the record stays, shown as
 * "unloading", and goes with the last of them.
 *
 * A device belongs to a module when its netdev_ops live in the module's
 * shared object (dladdr), as the kernel finds a driver's owner.
 */
#include <dlfcn.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "unetd.h"

#define MODULE_NAME_MAX 56

struct unetd_module {
	struct unetd_module *next;
	struct module *mod; /* NULL once unloaded */
	char name[MODULE_NAME_MAX];
	char path[PATH_MAX];
	unsigned int refs; /* unetd_module_get() holders */
};

static struct unetd_module *modules; /* the main thread's */
static char errbuf[320];	     /* extack text that is not a literal */

static struct unetd_module *module_by_name(const char *name)
{
	for (struct unetd_module *m = modules; m; m = m->next)
		if (!strcmp(m->name, name))
			return m;
	return NULL;
}

static void module_free(struct unetd_module *m)
{
	struct unetd_module **pp;

	for (pp = &modules; *pp; pp = &(*pp)->next) {
		if (*pp == m) {
			*pp = m->next;
			break;
		}
	}
	free(m);
}

struct unetd_module *unetd_module_of_dev(const struct net_device *dev)
{
	Dl_info info;

	if (!dev->netdev_ops || !dladdr(dev->netdev_ops, &info) || !info.dli_fname)
		return NULL;
	for (struct unetd_module *m = modules; m; m = m->next)
		if (m->mod && !strcmp(m->path, info.dli_fname))
			return m;
	return NULL;
}

void unetd_module_get(struct unetd_module *m)
{
	if (m)
		m->refs++;
}

void unetd_module_put(struct unetd_module *m)
{
	if (m && !--m->refs && !m->mod) {
		unetd_log(LOG_INFO, "module %s: last reference put, gone", m->name);
		module_free(m);
	}
}

/* ---- load: check the file first, so that each bad input has its own message ---- */

static int check_elf(const char *path, struct netlink_ext_ack *extack)
{
	unsigned char magic[4] = {0};
	struct stat st;
	int fd;

	if (stat(path, &st) < 0) {
		NL_SET_ERR_MSG(extack, "Module file not found");
		return -ENOENT;
	}
	if (!S_ISREG(st.st_mode)) {
		NL_SET_ERR_MSG(extack, "Module path is not a regular file");
		return -ENOEXEC;
	}
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		NL_SET_ERR_MSG(extack, "Cannot open the module file");
		return -errno;
	}
	if (read(fd, magic, sizeof(magic)) != (ssize_t)sizeof(magic) ||
	    memcmp(magic, "\177ELF", 4) != 0) {
		close(fd);
		NL_SET_ERR_MSG(extack, "Not a shared object (no ELF header)");
		return -ENOEXEC;
	}
	close(fd);
	return 0;
}

/* dlopen it once (constructors only, no init) and read its descriptor. */
static int check_descriptor(const char *path, struct netlink_ext_ack *extack)
{
	const struct unetdev_module_desc *desc;
	void *h = dlopen(path, RTLD_NOW | RTLD_LOCAL);
	int err = 0;

	if (!h) {
		// NOLINTNEXTLINE(concurrency-mt-unsafe): only the main thread loads modules
		snprintf(errbuf, sizeof(errbuf), "Cannot load the shared object: %s", dlerror());
		NL_SET_ERR_MSG(extack, errbuf);
		return -ENOEXEC;
	}
	desc = dlsym(h, "unetdev_module_desc");
	if (!desc || desc->magic != UNETDEV_MODULE_MAGIC || !desc->license) {
		NL_SET_ERR_MSG(extack, "Not a unetdev module: no MODULE_LICENSE()");
		err = -ENOEXEC;
	} else if (!desc->init) {
		NL_SET_ERR_MSG(extack, "Not a driver module: no module_init()");
		err = -ENOEXEC;
	}
	dlclose(h);
	return err;
}

/* "dir/mod_dummy.so" -> "mod_dummy", as the library names it. */
static void name_from_path(const char *path, char *name)
{
	const char *base = strrchr(path, '/');
	size_t len;

	base = base ? base + 1 : path;
	len = strcspn(base, ".");
	if (len >= MODULE_NAME_MAX)
		len = MODULE_NAME_MAX - 1;
	memcpy(name, base, len);
	name[len] = 0;
}

static int load_error(int err, struct netlink_ext_ack *extack)
{
	switch (err) {
	case -EEXIST:
		NL_SET_ERR_MSG(extack, "Module already loaded");
		break;
	case -ENOEXEC:
		NL_SET_ERR_MSG(extack, "Not a unetdev module");
		break;
	default:
		snprintf(errbuf, sizeof(errbuf), "Module init failed: %s", strerrordesc_np(-err));
		NL_SET_ERR_MSG(extack, errbuf);
		break;
	}
	return err;
}

static int module_load(struct nlattr **tb, struct netlink_ext_ack *extack)
{
	struct unetd_module *m;
	char path[PATH_MAX];
	int err;

	if (!tb[UNETD_MODA_PATH]) {
		NL_SET_ERR_MSG(extack, "Module path (UNETD_MODA_PATH) missing");
		return -EINVAL;
	}
	if (!realpath(mnl_attr_get_str(tb[UNETD_MODA_PATH]), path)) {
		NL_SET_ERR_MSG(extack, "Module file not found");
		return -ENOENT;
	}
	err = check_elf(path, extack);
	if (!err)
		err = check_descriptor(path, extack);
	if (err)
		return err;
	m = calloc(1, sizeof(*m));
	if (!m)
		return -ENOMEM;
	snprintf(m->path, sizeof(m->path), "%s", path);
	if (tb[UNETD_MODA_NAME])
		snprintf(m->name, sizeof(m->name), "%s", mnl_attr_get_str(tb[UNETD_MODA_NAME]));
	else
		name_from_path(path, m->name);
	if (!m->name[0] || module_by_name(m->name)) {
		err = m->name[0] ? -EEXIST : -EINVAL;
		free(m);
		NL_SET_ERR_MSG(extack,
			       err == -EEXIST ? "Module already loaded" : "Invalid module name");
		return err;
	}
	err = unetdev_module_load(path, &m->mod);
	if (err) {
		free(m);
		return load_error(err, extack);
	}
	m->next = modules;
	modules = m;
	unetd_log(LOG_INFO, "module %s loaded from %s", m->name, m->path);
	return 0;
}

static int module_unload(struct nlattr **tb, struct netlink_ext_ack *extack)
{
	struct unetd_module *m;
	int err;

	if (!tb[UNETD_MODA_NAME]) {
		NL_SET_ERR_MSG(extack, "Module name (UNETD_MODA_NAME) missing");
		return -EINVAL;
	}
	m = module_by_name(mnl_attr_get_str(tb[UNETD_MODA_NAME]));
	if (!m || !m->mod) {
		NL_SET_ERR_MSG(extack, m ? "Module is already unloading" : "Module not loaded");
		return -ENOENT;
	}
	err = unetdev_module_unload(m->mod); /* exit: its devices are unregistered */
	if (err) {
		NL_SET_ERR_MSG(extack, "Module is in use");
		return err;
	}
	m->mod = NULL;
	unetd_log(LOG_INFO, "module %s unloaded (%u reference(s) to its devices held)", m->name,
		  m->refs);
	if (!m->refs)
		module_free(m);
	return 0;
}

/* ---- dump: one UNETD_MSG_NEWMODULE per module, then NLMSG_DONE ---- */

static void put_devices(struct nlmsghdr *nlh, size_t len, const struct unetd_module *m)
    UNETDEV_EXCLUDES(rtnl_mutex)
{
	struct nlattr *nest = mnl_attr_nest_start_check(nlh, len, UNETD_MODA_DEVICES);
	struct net_device *dev;

	if (!nest)
		return;
	rtnl_lock();
	for_each_netdev (&init_net, dev)
		if (m->mod && unetd_module_of_dev(dev) == m &&
		    !mnl_attr_put_strz_check(nlh, len, UNETD_MODA_DEVICE, dev->name))
			break;
	rtnl_unlock();
	mnl_attr_nest_end(nlh, nest);
}

static int fill_module(char *buf, size_t len, const struct unetd_module *m, u32 seq)
{
	struct nlmsghdr *nlh;

	memset(buf, 0, MNL_NLMSG_HDRLEN);
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = UNETD_MSG_NEWMODULE;
	nlh->nlmsg_flags = NLM_F_MULTI;
	nlh->nlmsg_seq = seq;
	mnl_attr_put_strz(nlh, UNETD_MODA_NAME, m->name);
	mnl_attr_put_strz_check(nlh, len, UNETD_MODA_PATH, m->path);
	mnl_attr_put_u8(nlh, UNETD_MODA_STATE, m->mod ? UNETD_MODULE_LIVE : UNETD_MODULE_UNLOADING);
	mnl_attr_put_u32(nlh, UNETD_MODA_REFS, m->refs);
	put_devices(nlh, len, m);
	return (int)nlh->nlmsg_len;
}

static int module_dump(struct unetd_client *c, const struct nlmsghdr *req)
{
	char *buf = malloc(UNETD_MSG_MAX);
	struct nlmsghdr *nlh;
	int n;

	if (!buf)
		return -ENOMEM;
	for (const struct unetd_module *m = modules; m; m = m->next) {
		n = fill_module(buf, UNETD_MSG_MAX, m, req->nlmsg_seq);
		unetd_queue(c, buf, (size_t)n);
	}
	memset(buf, 0, MNL_NLMSG_HDRLEN + sizeof(int));
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = NLMSG_DONE;
	nlh->nlmsg_flags = NLM_F_MULTI;
	nlh->nlmsg_seq = req->nlmsg_seq;
	mnl_nlmsg_put_extra_header(nlh, sizeof(int));
	unetd_queue(c, buf, nlh->nlmsg_len);
	free(buf);
	return UNETD_REPLIED;
}

/* ---- requests ---- */

struct mod_parse {
	struct nlattr **tb;
	int err;
};

static int mod_attr_cb(const struct nlattr *a, void *data)
{
	struct mod_parse *p = data;
	unsigned int type = mnl_attr_get_type(a);

	if (type > UNETD_MODA_MAX)
		return MNL_CB_OK;
	if ((type == UNETD_MODA_NAME || type == UNETD_MODA_PATH) &&
	    (mnl_attr_validate(a, MNL_TYPE_NUL_STRING) < 0 ||
	     mnl_attr_get_payload_len(a) >
		 (type == UNETD_MODA_NAME ? MODULE_NAME_MAX : PATH_MAX))) {
		p->err = -ERANGE;
		return MNL_CB_ERROR;
	}
	p->tb[type] = (struct nlattr *)a;
	return MNL_CB_OK;
}

int unetd_module_rcv_msg(struct unetd_client *c, const struct nlmsghdr *nlh,
			 struct netlink_ext_ack *extack)
{
	struct nlattr *tb[UNETD_MODA_MAX + 1] = {NULL};
	struct mod_parse p = {tb, 0};

	if (mnl_attr_parse(nlh, 0, mod_attr_cb, &p) < 0 || p.err) {
		NL_SET_ERR_MSG(extack, p.err ? "Attribute failed policy validation"
					     : "bytes leftover after parsing attributes");
		return p.err ? p.err : -EINVAL;
	}
	switch (nlh->nlmsg_type) {
	case UNETD_MSG_NEWMODULE:
		return module_load(tb, extack);
	case UNETD_MSG_DELMODULE:
		return module_unload(tb, extack);
	default:
		if (!(nlh->nlmsg_flags & NLM_F_DUMP)) {
			NL_SET_ERR_MSG(extack, "Module requests are dumps (NLM_F_DUMP)");
			return -EOPNOTSUPP;
		}
		return module_dump(c, nlh);
	}
}

/* At exit: unload what is left, newest first (the kernel has no such step; a daemon does). */
void unetd_modules_fini(void)
{
	while (modules) {
		struct unetd_module *m = modules;

		if (m->mod && unetdev_module_unload(m->mod))
			unetd_log(LOG_WARNING, "module %s: cannot unload", m->name);
		module_free(m);
	}
}
