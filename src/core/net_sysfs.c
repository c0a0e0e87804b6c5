// SPDX-License-Identifier: MIT
/* net_sysfs.c - in progress */
#include "internal.h"
