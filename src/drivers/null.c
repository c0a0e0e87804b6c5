// SPDX-License-Identifier: MIT
/* null driver - in progress */
#include <unetdev/netdevice.h>
