// SPDX-License-Identifier: MIT
/* veth driver - in progress */
#include <unetdev/netdevice.h>
