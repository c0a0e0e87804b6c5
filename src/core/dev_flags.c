// SPDX-License-Identifier: MIT
/* dev_flags.c - in progress */
#include "internal.h"
