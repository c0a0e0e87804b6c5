// SPDX-License-Identifier: MIT
/* module.c - in progress */
#include "internal.h"
