// SPDX-License-Identifier: MIT
/*
 * mod_noinit.c - a module with MODULE_LICENSE but no module_init(): the
 * daemon refuses it as a driver module (tests/daemon/module.c).
 */
#include <unetdev/module.h>

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("unetdev test module: no module_init");
