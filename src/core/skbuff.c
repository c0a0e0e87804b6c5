// SPDX-License-Identifier: MIT
/* skbuff.c - in progress */
#include "internal.h"
