// SPDX-License-Identifier: MIT
/* link_watch.c - in progress */
#include "internal.h"
