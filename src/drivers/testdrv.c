// SPDX-License-Identifier: MIT
/* testdrv driver - in progress */
#include <unetdev/netdevice.h>
