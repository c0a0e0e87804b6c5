// SPDX-License-Identifier: MIT
/* dev_mtu.c - in progress */
#include "internal.h"
