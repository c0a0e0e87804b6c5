// SPDX-License-Identifier: MIT
/* dev_ioctl.c - in progress */
#include "internal.h"
