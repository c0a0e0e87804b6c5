// SPDX-License-Identifier: MIT
/*
 * mod_nolicense.c - a shared object without MODULE_LICENSE(), hence without
 * a module descriptor: loading it fails with -ENOEXEC (tests/daemon/module.c).
 */
int mod_nolicense_init(void);

int mod_nolicense_init(void)
{
	return 0;
}
