// SPDX-License-Identifier: MIT
/* loopback driver - in progress */
#include <unetdev/netdevice.h>
