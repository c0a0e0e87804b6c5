/* SPDX-License-Identifier: MIT */
/*
 * Link kinds of the kernel-backed drivers (<unetdev/backends.h>): "tap",
 * "af_packet", "af_xdp" and "pcap", each with its own IFLA_INFO_DATA
 * attributes (the kernel has none for these userspace backends; the tap ones
 * follow IFLA_TUN_*). Registered by unetdev_link_ops_register_backends();
 * creation calls the backend's public create function, so the device is the
 * same as one made through the C API. The attributes are in
 * <unetdev/if_link_backends.h>; see docs/unetd.md.
 */
#ifndef UNETDEV_LINK_BACKENDS_H
#define UNETDEV_LINK_BACKENDS_H

#include <unetdev/if_link_backends.h>
#include <unetdev/rtnl_link.h>

/**
 * unetdev_link_ops_register_backends - register the kinds tap, af_packet,
 * af_xdp and pcap (also when a backend is not built: creating one then fails
 * with -EOPNOTSUPP). Context: process, rtnl not held.
 */
UNETDEV_API int unetdev_link_ops_register_backends(void) UNETDEV_EXCLUDES(rtnl_mutex);
/** unetdev_link_ops_unregister_backends - unregister them, deleting their devices. */
UNETDEV_API void unetdev_link_ops_unregister_backends(void) UNETDEV_EXCLUDES(rtnl_mutex);

#endif
