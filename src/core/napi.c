// SPDX-License-Identifier: MIT
/*
 * napi.c - NAPI (kernel net/core/dev.c: netif_napi_add, napi_schedule,
 * napi_complete_done, net_rx_action). Rules R-NAPI.
 *
 * The NAPI API arrives with the datapath; until then no instance can be
 * listed on a device, and free_netdev() only verifies that.
 */
#include "internal.h"

void unetdev__napi_del_all(struct net_device *dev)
{
	if (!list_empty(&dev->napi_list))
		UNETDEV_WARN("R-ALLOC-21", dev, "free_netdev", "NAPI instances still listed");
}
