// SPDX-License-Identifier: MIT
/* eth.c - in progress */
#include "internal.h"
