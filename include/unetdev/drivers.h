/* SPDX-License-Identifier: MIT */
/*
 * Built-in drivers: null, loopback, veth, and the recording test driver.
 * Each create function allocates and registers a device (taking rtnl
 * itself) and returns it without an extra reference; remove it with
 * unregister_netdev() (the drivers set needs_free_netdev, so the core frees
 * it when the last reference is gone).
 */
#ifndef UNETDEV_DRIVERS_H
#define UNETDEV_DRIVERS_H

#include <unetdev/netdevice.h>

/* ---- null: TX counts and frees ---- */
struct unetdev_null_config {
	size_t sz;		/* sizeof(struct unetdev_null_config) */
	unsigned int txqs, rxqs; /* 0 = 1 */
	bool lltx;
};
/** unetdev_null_create - register a null device @name (template allowed). Context: no rtnl. */
UNETDEV_API int unetdev_null_create(struct net *net, const char *name,
				    const struct unetdev_null_config *cfg, struct net_device **out);

/* ---- loopback: TX comes back on RX ---- */
UNETDEV_API int unetdev_loopback_create(struct net *net, struct net_device **out);

/* ---- veth: a pair; TX on one end arrives on the other ---- */
UNETDEV_API int unetdev_veth_create(struct net *net, const char *name, const char *peer_name,
				    struct net_device **a, struct net_device **b);
/** unetdev_veth_peer - the other end (no reference taken), NULL once it is gone. */
UNETDEV_API struct net_device *unetdev_veth_peer(struct net_device *dev);

/* ---- testdrv: records the context of every callback ---- */
#define UNETDEV_TESTDRV_MAX_CALLS 256

struct unetdev_testdrv_call {
	char op[24];	      /* "ndo_open", "ndo_stop", "ndo_set_rx_mode", ... */
	bool rtnl;	      /* rtnl held by the calling thread */
	bool addr_lock;	      /* netif_addr_lock held by the calling thread */
	bool tx_lock;	      /* the xmit lock of the skb's queue held (start_xmit) */
	bool tx_global_lock;  /* netif_tx_lock held */
	bool all_frozen;      /* every TX queue FROZEN */
	bool base_lock_read;  /* dev_base_lock held for reading */
	bool bh_off;	      /* in_softirq(): BHs disabled or serving a softirq */
	bool in_task;	      /* process context */
	bool running;	      /* netif_running(dev) */
	bool present;	      /* netif_device_present(dev) */
	bool up;	      /* dev->flags & IFF_UP */
	int arg;	      /* op argument: new mtu, ioctl cmd, rx flags, txqueue */
};

/* Behaviour switches; zero means "succeed". */
struct unetdev_testdrv_config {
	int init_ret, open_ret, validate_ret, change_mtu_ret, set_mac_ret, ioctl_ret;
	bool no_change_mtu;	 /* leave ndo_change_mtu NULL (core writes dev->mtu) */
	bool no_set_mac;	 /* leave ndo_set_mac_address NULL */
	bool no_get_stats64;	 /* use ndo_get_stats instead */
	bool no_get_stats;	 /* neither: the core reads dev->stats */
	bool carrier_off_at_init; /* netif_carrier_off() before registration */
	bool mtu_ignore;	 /* ndo_change_mtu returns 0 without writing dev->mtu */
};

/**
 * unetdev_testdrv_alloc - allocate (not register) an Ethernet test device
 * with @txqs queues whose ops record every call. Returns a new device or NULL.
 * needs_free_netdev is false: free_netdev() it after unregister_netdev() (or
 * set it before registering). A NULL @name means "td%d".
 */
UNETDEV_API struct net_device *unetdev_testdrv_alloc(const char *name, unsigned int txqs);
UNETDEV_API void unetdev_testdrv_configure(struct net_device *dev,
					   const struct unetdev_testdrv_config *cfg);
/** unetdev_testdrv_calls - how many calls were recorded; the record of call @i. */
UNETDEV_API int unetdev_testdrv_ncalls(const struct net_device *dev);
UNETDEV_API const struct unetdev_testdrv_call *unetdev_testdrv_call(const struct net_device *dev,
								   int i);
/** unetdev_testdrv_count - calls of @op; unetdev_testdrv_last - the latest of them or NULL. */
UNETDEV_API int unetdev_testdrv_count(const struct net_device *dev, const char *op);
UNETDEV_API const struct unetdev_testdrv_call *unetdev_testdrv_last(const struct net_device *dev,
								   const char *op);
UNETDEV_API void unetdev_testdrv_clear(struct net_device *dev);
/** unetdev_testdrv_destructor_calls - priv_destructor invocations (process-wide). */
UNETDEV_API int unetdev_testdrv_destructor_calls(void);

#endif
