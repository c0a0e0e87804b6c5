// SPDX-License-Identifier: MIT
/* sch_generic.c - in progress */
#include "internal.h"
