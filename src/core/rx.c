// SPDX-License-Identifier: MIT
/* rx.c - in progress */
#include "internal.h"
