// SPDX-License-Identifier: MIT
/* xmit.c - in progress */
#include "internal.h"
