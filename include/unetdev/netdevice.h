/* SPDX-License-Identifier: MIT */
/*
 * struct net_device and the driver-facing API (kernel linux/netdevice.h).
 *
 * Kernel names map onto exported unetdev_ symbols through the #defines
 * below, as zlib's Z_PREFIX does. Every function documents its context and
 * what it does with the references it is handed.
 */
#ifndef UNETDEV_NETDEVICE_H
#define UNETDEV_NETDEVICE_H

#include <unetdev/dynamic_queue_limits.h>
#include <unetdev/if.h>
#include <unetdev/if_ether.h>
#include <unetdev/napi.h>
#include <unetdev/net_namespace.h>
#include <unetdev/notifier.h>
#include <unetdev/preempt.h>
#include <unetdev/rtnetlink.h>
#include <unetdev/skbuff.h>
#include <unetdev/spinlock.h>
#include <unetdev/timer.h>
#include <unetdev/types.h>

struct net_device;
struct net;
/*
 * The part of the kernel's struct netlink_ext_ack (linux/netlink.h) the core
 * uses: the error message an operation leaves for its caller (R-MTU-5/6/11).
 */
struct netlink_ext_ack {
	const char *_msg;
};
#define NL_SET_ERR_MSG(extack, msg)                                                                \
	do {                                                                                       \
		struct netlink_ext_ack *__extack = (extack);                                       \
		if (__extack)                                                                      \
			__extack->_msg = (msg);                                                    \
	} while (0)
struct ifreq;
struct Qdisc;
struct module;
struct rtnl_link_ops;
struct ethtool_ops;
struct header_ops;

/* R-K-4 .. R-K-21 */
#define NETDEV_ALIGN	     32
#define DEFAULT_TX_QUEUE_LEN 1000
#define NAPI_POLL_WEIGHT     64
#define XMIT_RECURSION_LIMIT 8
#define GSO_LEGACY_MAX_SIZE  65536u
#define GRO_LEGACY_MAX_SIZE  65536u
#define TSO_LEGACY_MAX_SIZE  65536u
#define GSO_MAX_SEGS	     65535u
#define TSO_MAX_SEGS	     65535u
#define GSO_MAX_SIZE	     (8u * 65535u)
#define GRO_MAX_SIZE	     (8u * 65535u)
#define TSO_MAX_SIZE	     UINT32_MAX
#define MAX_NEST_DEV	     8
#define NETDEV_HASHBITS	     8
#define NETDEV_HASHENTRIES   (1 << NETDEV_HASHBITS)
#define PTYPE_HASH_SIZE	     16
#define NETDEV_UNIT_MAX	     32768 /* R-K-11: 8 * PAGE_SIZE units */

/* R-K-15: transmit status codes. */
enum netdev_tx {
	NETDEV_TX_OK = 0x00,
	NETDEV_TX_BUSY = 0x10,
	NETDEV_TX_LOCKED = 0x20, /* D13: LLTX trylock failed, retry */
};
typedef enum netdev_tx netdev_tx_t;
#define NETDEV_TX_MASK	 0xf0
#define NET_XMIT_SUCCESS 0x00
#define NET_XMIT_DROP	 0x01
#define NET_XMIT_CN	 0x02
#define NET_XMIT_MASK	 0x0f
/* R-K-16 */
#define NET_RX_SUCCESS	 0
#define NET_RX_DROP	 1

static inline bool dev_xmit_complete(int rc)
{
	return rc < NET_XMIT_MASK;
}

/* R-K-22 */
enum netdev_reg_state {
	NETREG_UNINITIALIZED = 0,
	NETREG_REGISTERED,
	NETREG_UNREGISTERING,
	NETREG_UNREGISTERED,
	NETREG_RELEASED,
	NETREG_DUMMY,
};

/* R-K-23 */
enum netdev_state_t {
	__LINK_STATE_START,
	__LINK_STATE_PRESENT,
	__LINK_STATE_NOCARRIER,
	__LINK_STATE_LINKWATCH_PENDING,
	__LINK_STATE_DORMANT,
	__LINK_STATE_TESTING,
};

enum netdev_queue_state_t {
	__QUEUE_STATE_DRV_XOFF,
	__QUEUE_STATE_STACK_XOFF,
	__QUEUE_STATE_FROZEN,
};

/* R-K-27 */
#define NET_NAME_UNKNOWN     0
#define NET_NAME_ENUM	     1
#define NET_NAME_PREDICTABLE 2
#define NET_NAME_USER	     3
#define NET_NAME_RENAMED     4

#define NET_ADDR_PERM	0
#define NET_ADDR_RANDOM 1
#define NET_ADDR_STOLEN 2
#define NET_ADDR_SET	3

/* priv_flags */
#define IFF_802_1Q_VLAN		  (1ULL << 0)
#define IFF_EBRIDGE		  (1ULL << 1)
#define IFF_BONDING		  (1ULL << 2)
#define IFF_ISATAP		  (1ULL << 3)
#define IFF_WAN_HDLC		  (1ULL << 4)
#define IFF_XMIT_DST_RELEASE	  (1ULL << 5)
#define IFF_DONT_BRIDGE		  (1ULL << 6)
#define IFF_DISABLE_NETPOLL	  (1ULL << 7)
#define IFF_MACVLAN_PORT	  (1ULL << 8)
#define IFF_BRIDGE_PORT		  (1ULL << 9)
#define IFF_OVS_DATAPATH	  (1ULL << 10)
#define IFF_TX_SKB_SHARING	  (1ULL << 11)
#define IFF_UNICAST_FLT		  (1ULL << 12)
#define IFF_TEAM_PORT		  (1ULL << 13)
#define IFF_SUPP_NOFCS		  (1ULL << 14)
#define IFF_LIVE_ADDR_CHANGE	  (1ULL << 15)
#define IFF_MACVLAN		  (1ULL << 16)
#define IFF_XMIT_DST_RELEASE_PERM (1ULL << 17)
#define IFF_L3MDEV_MASTER	  (1ULL << 18)
#define IFF_NO_QUEUE		  (1ULL << 19)
#define IFF_OPENVSWITCH		  (1ULL << 20)
#define IFF_L3MDEV_SLAVE	  (1ULL << 21)
#define IFF_TEAM		  (1ULL << 22)
#define IFF_RXFH_CONFIGURED	  (1ULL << 23)
#define IFF_PHONY_HEADROOM	  (1ULL << 24)
#define IFF_MACSEC		  (1ULL << 25)
#define IFF_NO_RX_HANDLER	  (1ULL << 26)
#define IFF_FAILOVER		  (1ULL << 27)
#define IFF_FAILOVER_SLAVE	  (1ULL << 28)
#define IFF_L3MDEV_RX_HANDLER	  (1ULL << 29)
#define IFF_NO_ADDRCONF		  (1ULL << 30)
#define IFF_TX_SKB_NO_LINEAR	  (1ULL << 31)

/* Feature bits (a subset of linux/netdev_features.h with the same meaning). */
enum {
	NETIF_F_SG_BIT,
	NETIF_F_IP_CSUM_BIT,
	NETIF_F_HW_CSUM_BIT,
	NETIF_F_IPV6_CSUM_BIT,
	NETIF_F_HIGHDMA_BIT,
	NETIF_F_FRAGLIST_BIT,
	NETIF_F_HW_VLAN_CTAG_TX_BIT,
	NETIF_F_HW_VLAN_CTAG_RX_BIT,
	NETIF_F_HW_VLAN_CTAG_FILTER_BIT,
	NETIF_F_VLAN_CHALLENGED_BIT,
	NETIF_F_GSO_BIT,
	NETIF_F_LLTX_BIT, /* D13: lockless TX, a feature bit */
	NETIF_F_NETNS_LOCAL_BIT,
	NETIF_F_GRO_BIT,
	NETIF_F_LRO_BIT,
	NETIF_F_TSO_BIT,
	NETIF_F_GSO_ROBUST_BIT,
	NETIF_F_TSO_ECN_BIT,
	NETIF_F_TSO_MANGLEID_BIT,
	NETIF_F_TSO6_BIT,
	NETIF_F_GSO_PARTIAL_BIT,
	NETIF_F_GSO_UDP_L4_BIT,
	NETIF_F_RXCSUM_BIT,
	NETIF_F_LOOPBACK_BIT,
	NETIF_F_RXFCS_BIT,
	NETIF_F_RXALL_BIT,
	NETIF_F_GRO_HW_BIT,
};
#define __NETIF_F(name)		    ((netdev_features_t)1 << NETIF_F_##name##_BIT)
#define NETIF_F_SG		    __NETIF_F(SG)
#define NETIF_F_IP_CSUM		    __NETIF_F(IP_CSUM)
#define NETIF_F_HW_CSUM		    __NETIF_F(HW_CSUM)
#define NETIF_F_IPV6_CSUM	    __NETIF_F(IPV6_CSUM)
#define NETIF_F_HIGHDMA		    __NETIF_F(HIGHDMA)
#define NETIF_F_FRAGLIST	    __NETIF_F(FRAGLIST)
#define NETIF_F_HW_VLAN_CTAG_TX	    __NETIF_F(HW_VLAN_CTAG_TX)
#define NETIF_F_HW_VLAN_CTAG_RX	    __NETIF_F(HW_VLAN_CTAG_RX)
#define NETIF_F_HW_VLAN_CTAG_FILTER __NETIF_F(HW_VLAN_CTAG_FILTER)
#define NETIF_F_VLAN_CHALLENGED	    __NETIF_F(VLAN_CHALLENGED)
#define NETIF_F_GSO		    __NETIF_F(GSO)
#define NETIF_F_LLTX		    __NETIF_F(LLTX)
#define NETIF_F_NETNS_LOCAL	    __NETIF_F(NETNS_LOCAL)
#define NETIF_F_GRO		    __NETIF_F(GRO)
#define NETIF_F_LRO		    __NETIF_F(LRO)
#define NETIF_F_TSO		    __NETIF_F(TSO)
#define NETIF_F_GSO_ROBUST	    __NETIF_F(GSO_ROBUST)
#define NETIF_F_TSO_ECN		    __NETIF_F(TSO_ECN)
#define NETIF_F_TSO_MANGLEID	    __NETIF_F(TSO_MANGLEID)
#define NETIF_F_TSO6		    __NETIF_F(TSO6)
#define NETIF_F_GSO_PARTIAL	    __NETIF_F(GSO_PARTIAL)
#define NETIF_F_GSO_UDP_L4	    __NETIF_F(GSO_UDP_L4)
#define NETIF_F_RXCSUM		    __NETIF_F(RXCSUM)
#define NETIF_F_LOOPBACK	    __NETIF_F(LOOPBACK)
#define NETIF_F_RXFCS		    __NETIF_F(RXFCS)
#define NETIF_F_RXALL		    __NETIF_F(RXALL)
#define NETIF_F_GRO_HW		    __NETIF_F(GRO_HW)
#define NETIF_F_CSUM_MASK	    (NETIF_F_IP_CSUM | NETIF_F_IPV6_CSUM | NETIF_F_HW_CSUM)
#define NETIF_F_ALL_TSO		    (NETIF_F_TSO | NETIF_F_TSO6 | NETIF_F_TSO_ECN | NETIF_F_TSO_MANGLEID)
#define NETIF_F_GSO_SOFTWARE	    (NETIF_F_ALL_TSO | NETIF_F_GSO_UDP_L4)
#define NETIF_F_SOFT_FEATURES	    (NETIF_F_GSO | NETIF_F_GRO)
/* What one lower device having is enough for its master to have (netdev_increment_features). */
#define NETIF_F_ONE_FOR_ALL                                                                        \
	(NETIF_F_GSO_SOFTWARE | NETIF_F_GSO_ROBUST | NETIF_F_SG | NETIF_F_HIGHDMA |                \
	 NETIF_F_FRAGLIST | NETIF_F_VLAN_CHALLENGED)

/* R-STAT-1 */
struct rtnl_link_stats64 {
	u64 rx_packets, tx_packets, rx_bytes, tx_bytes, rx_errors, tx_errors, rx_dropped,
	    tx_dropped, multicast, collisions, rx_length_errors, rx_over_errors, rx_crc_errors,
	    rx_frame_errors, rx_fifo_errors, rx_missed_errors, tx_aborted_errors, tx_carrier_errors,
	    tx_fifo_errors, tx_heartbeat_errors, tx_window_errors, rx_compressed, tx_compressed,
	    rx_nohandler, rx_otherhost_dropped;
};

/* R-STAT-2: the legacy struct, 23 unsigned longs in the same order. */
struct net_device_stats {
	unsigned long rx_packets, tx_packets, rx_bytes, tx_bytes, rx_errors, tx_errors, rx_dropped,
	    tx_dropped, multicast, collisions, rx_length_errors, rx_over_errors, rx_crc_errors,
	    rx_frame_errors, rx_fifo_errors, rx_missed_errors, tx_aborted_errors, tx_carrier_errors,
	    tx_fifo_errors, tx_heartbeat_errors, tx_window_errors, rx_compressed, tx_compressed;
};

/* R-STAT-4: counters the core keeps itself, added on top of the driver's. */
struct net_device_core_stats {
	unsigned long rx_dropped, tx_dropped, rx_nohandler, rx_otherhost_dropped;
	unsigned long rx_length_errors; /* netdev_rx_frame_fits() rejections (R-MTU-2) */
};

/* Hardware address lists (R-ADDR). */
#define NETDEV_HW_ADDR_T_LAN	   1
#define NETDEV_HW_ADDR_T_SAN	   2
#define NETDEV_HW_ADDR_T_UNICAST   3
#define NETDEV_HW_ADDR_T_MULTICAST 4

struct netdev_hw_addr {
	struct list_head list;
	unsigned char addr[MAX_ADDR_LEN];
	unsigned char type;
	bool global_use;
	int sync_cnt;
	int refcount;
	int synced;
};

struct netdev_hw_addr_list {
	struct list_head list;
	int count;
};

#define netdev_hw_addr_list_count(l)	    ((l)->count)
#define netdev_hw_addr_list_empty(l)	    (netdev_hw_addr_list_count(l) == 0)
#define netdev_hw_addr_list_for_each(ha, l) list_for_each_entry (ha, &(l)->list, list)
#define netdev_uc_count(dev)		    netdev_hw_addr_list_count(&(dev)->uc)
#define netdev_uc_empty(dev)		    netdev_hw_addr_list_empty(&(dev)->uc)
#define netdev_for_each_uc_addr(ha, dev)    netdev_hw_addr_list_for_each (ha, &(dev)->uc)
#define netdev_mc_count(dev)		    netdev_hw_addr_list_count(&(dev)->mc)
#define netdev_mc_empty(dev)		    netdev_hw_addr_list_empty(&(dev)->mc)
#define netdev_for_each_mc_addr(ha, dev)    netdev_hw_addr_list_for_each (ha, &(dev)->mc)

/* Byte queue limits state (R-BQL): struct dql is in <unetdev/dynamic_queue_limits.h>. */

/* A transmit queue (R-ALLOC-13, R-TXQ). */
struct netdev_queue {
	struct net_device *dev;
	struct Qdisc *qdisc; /* active qdisc (noop until activation) */
	struct Qdisc *qdisc_sleeping;
	unsigned long state; /* __QUEUE_STATE_* bits */
	spinlock_t _xmit_lock;
	int xmit_lock_owner;	   /* CPU holding _xmit_lock, -1 if none (R-TXQ-8) */
	unsigned long trans_start; /* jiffies of the last transmit */
	unsigned long trans_timeout;
	unsigned int queue_index;
	struct dql dql;
} __attribute__((aligned(64)));

struct netdev_rx_queue {
	struct net_device *dev;
	unsigned int queue_index;
	struct napi_struct *napi;
} __attribute__((aligned(64)));

/* rx_handler results (R-RX-4) */
enum rx_handler_result {
	RX_HANDLER_CONSUMED,
	RX_HANDLER_ANOTHER,
	RX_HANDLER_EXACT,
	RX_HANDLER_PASS,
};
typedef enum rx_handler_result rx_handler_result_t;
typedef rx_handler_result_t rx_handler_func_t(struct sk_buff **pskb);

/* Protocol handler (R-RX-6, R-RX-9). */
struct packet_type {
	__be16 type; /* network byte order; htons(ETH_P_ALL) for taps */
	bool ignore_outgoing;
	struct net_device *dev;	   /* NULL = every device */
	struct net *af_packet_net; /* namespace-wide handler (R-RX-9); NULL = global */
	int (*func)(struct sk_buff *skb, struct net_device *dev, struct packet_type *pt,
		    struct net_device *orig_dev);
	void *af_packet_priv;
	struct list_head list;
};

/* The ioctl request the core hands ndo_do_ioctl (a struct ifreq lookalike). */
struct ifreq {
	char ifr_name[IFNAMSIZ];
	union {
		int ifru_ivalue;
		int ifru_mtu;
		short ifru_flags;
		void *ifru_data;
		unsigned char ifru_hwaddr[MAX_ADDR_LEN];
	} ifr_ifru;
};
#define SIOCDEVPRIVATE 0x89F0 /* 0x89F0 .. 0x89FF: device-private */
#define SIOCGIFMTU     0x8921
#define SIOCSIFMTU     0x8922
#define SIOCGIFFLAGS   0x8913
#define SIOCSIFFLAGS   0x8914
#define SIOCGIFINDEX   0x8933
#define SIOCGMIIPHY    0x8947
#define SIOCGMIIREG    0x8948
#define SIOCSMIIREG    0x8949

/**
 * struct net_device_ops - what a driver provides. Every member is called by
 * the core through a wrapper that checks the context below (check.c).
 */
struct net_device_ops {
	/** Context: rtnl held, process context (R-SYNC-9). Before the device is visible. */
	int (*ndo_init)(struct net_device *dev);
	/** Context: rtnl held, after close; other references may remain (R-SYNC-9). */
	void (*ndo_uninit)(struct net_device *dev);
	/** Context: rtnl held, process context; netif_running() is true (R-SYNC-1, R-UP-4). */
	int (*ndo_open)(struct net_device *dev);
	/** Context: rtnl held, process context; netif_running() is false (R-SYNC-2). */
	int (*ndo_stop)(struct net_device *dev);
	/**
	 * Context: queue _xmit_lock held (not for LLTX), BHs disabled (R-SYNC-5).
	 * Consumes @skb unless it returns NETDEV_TX_BUSY or NETDEV_TX_LOCKED.
	 */
	netdev_tx_t (*ndo_start_xmit)(struct sk_buff *skb, struct net_device *dev);
	/** Context: rtnl held; may not be called when only one TX queue exists (R-TX-5). */
	u16 (*ndo_select_queue)(struct net_device *dev, struct sk_buff *skb,
				struct net_device *sb_dev);
	/** Context: rtnl held (R-SYNC-10). */
	void (*ndo_change_rx_flags)(struct net_device *dev, int flags);
	/** Context: netif_addr_lock held, BHs disabled; must not sleep (R-SYNC-7). */
	void (*ndo_set_rx_mode)(struct net_device *dev);
	/** Context: rtnl held (R-SYNC-10). @addr is a struct sockaddr-like {family, data}. */
	int (*ndo_set_mac_address)(struct net_device *dev, void *addr);
	/** Context: rtnl held (R-SYNC-10, R-UP-5). */
	int (*ndo_validate_addr)(struct net_device *dev);
	/** Context: rtnl held, process context (R-SYNC-3). Device-private ioctls. */
	int (*ndo_do_ioctl)(struct net_device *dev, struct ifreq *ifr, int cmd);
	/** Context: rtnl held; the driver writes dev->mtu itself (R-MTU-9). */
	int (*ndo_change_mtu)(struct net_device *dev, int new_mtu);
	/** Context: netif_tx_lock held, all queues frozen, BHs disabled (R-SYNC-6). */
	void (*ndo_tx_timeout)(struct net_device *dev, unsigned int txqueue);
	/** Context: any; fills a zeroed @storage (R-STAT-3). */
	void (*ndo_get_stats64)(struct net_device *dev, struct rtnl_link_stats64 *storage);
	/** Context: dev_base_lock held for reading; must not sleep (R-SYNC-4, D13). */
	struct net_device_stats *(*ndo_get_stats)(struct net_device *dev);
	/** Context: rtnl held (R-SYNC-10). */
	int (*ndo_vlan_rx_add_vid)(struct net_device *dev, __be16 proto, u16 vid);
	int (*ndo_vlan_rx_kill_vid)(struct net_device *dev, __be16 proto, u16 vid);
	/** Context: rtnl held (R-SYNC-10). */
	netdev_features_t (*ndo_fix_features)(struct net_device *dev, netdev_features_t features);
	int (*ndo_set_features)(struct net_device *dev, netdev_features_t features);
	/** Context: rtnl held (R-LINK-12). */
	int (*ndo_change_carrier)(struct net_device *dev, bool new_carrier);
	/** Context: any; ifindex of the lower device (R-LINK-5/7). */
	int (*ndo_get_iflink)(const struct net_device *dev);
	/** Context: rtnl held. The peer of a pair device. */
	struct net_device *(*ndo_get_peer_dev)(struct net_device *dev);
	/** Context: process with BHs disabled (R-TX-8). */
	netdev_features_t (*ndo_features_check)(struct sk_buff *skb, struct net_device *dev,
						netdev_features_t features);
	/** Context: rtnl held. Enslave @slave_dev to the master @dev (bridge, bond). */
	int (*ndo_add_slave)(struct net_device *dev, struct net_device *slave_dev,
			     struct netlink_ext_ack *extack);
	/** Context: rtnl held. Release @slave_dev from the master @dev. */
	int (*ndo_del_slave)(struct net_device *dev, struct net_device *slave_dev);
};

enum netdev_stat_type {
	NETDEV_PCPU_STAT_NONE,
	NETDEV_PCPU_STAT_LSTATS,
	NETDEV_PCPU_STAT_TSTATS,
	NETDEV_PCPU_STAT_DSTATS,
};

/* Per-CPU software stats a device may ask the core for (R-STAT-9). */
struct pcpu_sw_netstats {
	u64 rx_packets, rx_bytes, tx_packets, tx_bytes;
} __attribute__((aligned(64)));

struct pcpu_dstats {
	u64 rx_packets, rx_bytes, rx_drops, tx_packets, tx_bytes, tx_drops;
} __attribute__((aligned(64)));

/* How the net_device memory was obtained (R-ALLOC-4). */
enum unetdev_alloc_kind {
	UNETDEV_ALLOC_HEAP = 1,	 /* kmalloc: the heap */
	UNETDEV_ALLOC_PAGES = 2, /* vmalloc: an anonymous page mapping */
};

/*
 * The device-model object (the kernel's struct device embedded in
 * net_device). Its reference count keeps the memory alive after
 * free_netdev() until the last holder (an open attribute handle, the
 * userspace stand-in for a sysfs file) lets go (R-ALLOC-23/24).
 */
struct unetdev_device {
	int refcount; /* atomic */
};

#define UNETDEV_MAX_CPUS 64

/* A name in the namespace's name hash: the device name or an alternative name. */
struct netdev_name_node {
	struct list_head hlist; /* hash bucket */
	struct list_head list;	/* dev->altnames */
	struct net_device *dev;
	char name[IFNAMSIZ];
};

struct net_device {
	/* Hot read-mostly fields first. */
	char name[IFNAMSIZ];
	const struct net_device_ops *netdev_ops;
	const struct ethtool_ops *ethtool_ops;
	const struct header_ops *header_ops;
	const struct rtnl_link_ops *rtnl_link_ops;
	struct net *nd_net;		 /* dev_net(): per packet on receive */
	enum netdev_reg_state reg_state; /* every ndo call checks it (R-ALLOC-24) */
	unsigned int flags;
	unsigned long long priv_flags;
	unsigned short gflags;
	unsigned short hard_header_len;
	unsigned short min_header_len;
	unsigned short needed_headroom;
	unsigned short needed_tailroom;
	unsigned char addr_len;
	unsigned char addr_assign_type;
	unsigned char perm_addr[MAX_ADDR_LEN];
	unsigned char broadcast[MAX_ADDR_LEN];
	const unsigned char *dev_addr; /* points into dev_addrs' first entry (R-ALLOC-7) */
	unsigned int mtu;
	unsigned int min_mtu;
	unsigned int max_mtu;
	unsigned short type;
	unsigned char name_assign_type;
	bool lltx; /* modern spelling of NETIF_F_LLTX; either one marks LLTX */
	int ifindex;
	int group;
	unsigned long state; /* __LINK_STATE_* */

	netdev_features_t features, hw_features, wanted_features, vlan_features, hw_enc_features,
	    mpls_features;

	/* TX */
	struct netdev_queue *_tx __attribute__((aligned(64))); /* the TX line */
	unsigned int num_tx_queues;
	unsigned int real_num_tx_queues;
	struct Qdisc *qdisc;
	unsigned int tx_queue_len;
	spinlock_t tx_global_lock;
	int watchdog_timeo;
	struct timer_list watchdog_timer;

	/* RX */
	struct netdev_rx_queue *_rx;
	unsigned int num_rx_queues;
	unsigned int real_num_rx_queues;
	rx_handler_func_t *rx_handler;
	void *rx_handler_data;
	struct list_head ptype_all;
	struct list_head ptype_specific;

	/* NAPI instances of this device (R-NAPI-1) */
	struct list_head napi_list;
	bool threaded; /* poll NAPIs in their own threads (R-NAPI-14) */
	/* Defaults of its NAPI instances (napi_defer.c; sysfs attributes of the same names). */
	u32 napi_defer_hard_irqs;
	unsigned long gro_flush_timeout;

	/* Addresses (R-ADDR) */
	struct netdev_hw_addr_list uc;
	struct netdev_hw_addr_list mc;
	struct netdev_hw_addr_list dev_addrs;
	spinlock_t addr_list_lock;
	unsigned int promiscuity;
	unsigned int allmulti;
	bool uc_promisc;

	/* Link state (R-LINK) */
	unsigned char operstate;
	unsigned char link_mode;
	unsigned int carrier_up_count;
	unsigned int carrier_down_count;
	struct list_head link_watch_list;

	/* Statistics (R-STAT) */
	struct net_device_stats stats;
	struct net_device_core_stats core_stats[UNETDEV_MAX_CPUS]; /* per CPU */
	enum netdev_stat_type pcpu_stat_type;
	union {
		struct pcpu_sw_netstats *tstats;
		struct pcpu_dstats *dstats;
	};

	/* GSO/GRO limits (R-ALLOC-9) */
	unsigned int gso_max_size, gso_ipv4_max_size, gro_max_size, gro_ipv4_max_size;
	unsigned int tso_max_size;
	u16 gso_max_segs, tso_max_segs, gso_min_segs;

	/* Lifetime (R-ALLOC, R-REG, R-UNREG); reg_state is with the hot fields */
	bool dismantle;
	bool needs_free_netdev;
	void (*priv_destructor)(struct net_device *dev);
	int pcpu_refcnt[UNETDEV_MAX_CPUS]; /* atomic per CPU (R-ALLOC-6) */
	struct unetdev_device dev;
	struct list_head dev_list;	   /* namespace list */
	struct netdev_name_node name_node; /* dev->name in the name hash */
	struct list_head altnames;	   /* alternative names (R-REG-3) */
	struct list_head index_hlist;	   /* ifindex hash bucket */
	struct list_head todo_list;	   /* run_todo */
	struct list_head unreg_list;	   /* unregister batch */
	struct list_head close_list;	   /* close batch */
	struct module *module;		   /* driver module that allocated it, if any */
	unsigned long unreg_last_bcast;	   /* jiffies of the last UNREGISTER rebroadcast */
	char ifalias[IFALIASZ];

	/* Memory bookkeeping (R-ALLOC-4): how and where this allocation lives. */
	enum unetdev_alloc_kind alloc_kind;
	size_t alloc_size;
	unsigned short padded;
	size_t priv_len;

	/* Upper/lower adjacency (dev_upper.c): struct netdev_adjacent lists, rtnl. */
	struct {
		struct list_head upper;
		struct list_head lower;
	} adj_list;

	/* The private area follows, 32-byte aligned (netdev_priv()). */
	unsigned char priv[] __attribute__((aligned(NETDEV_ALIGN)));
};

/*
 * Hot-path layout (docs/hot-path.md). First cache line: what every packet's
 * ndo call and dev_queue_xmit read (ops, namespace, reg_state, flags); the
 * TX group (_tx, queue count, qdisc) on one line; the RX
 * group (rx_handler, its data, the device taps) on one line.
 */
_Static_assert(offsetof(struct net_device, netdev_ops) < 64, "netdev_ops in line 0");
_Static_assert(offsetof(struct net_device, nd_net) < 64, "nd_net in line 0");
_Static_assert(offsetof(struct net_device, reg_state) < 64, "reg_state in line 0");
_Static_assert(offsetof(struct net_device, flags) < 64, "flags in line 0");
_Static_assert(offsetof(struct net_device, features) < 256, "features in lines 0-3");
_Static_assert(offsetof(struct net_device, _tx) / 64 ==
		   (offsetof(struct net_device, qdisc) + sizeof(void *) - 1) / 64,
	       "_tx, real_num_tx_queues and qdisc share a line");
_Static_assert(offsetof(struct net_device, rx_handler) / 64 ==
		   (offsetof(struct net_device, ptype_all) + sizeof(struct list_head) - 1) / 64,
	       "rx_handler, rx_handler_data and ptype_all share a line");

/** netdev_priv - the driver's private area, valid even when sizeof_priv is 0 (R-ALLOC-5). */
static inline void *netdev_priv(const struct net_device *dev)
{
	return (void *)dev->priv;
}

static inline struct net *dev_net(const struct net_device *dev)
{
	return dev->nd_net;
}

static inline bool netif_running(const struct net_device *dev)
{
	return test_bit(__LINK_STATE_START, &dev->state);
}
static inline bool netif_device_present(const struct net_device *dev)
{
	return test_bit(__LINK_STATE_PRESENT, &dev->state);
}
static inline bool netif_carrier_ok(const struct net_device *dev)
{
	return !test_bit(__LINK_STATE_NOCARRIER, &dev->state);
}
static inline bool netif_dormant(const struct net_device *dev)
{
	return test_bit(__LINK_STATE_DORMANT, &dev->state);
}
static inline bool netif_testing(const struct net_device *dev)
{
	return test_bit(__LINK_STATE_TESTING, &dev->state);
}
/** netif_oper_up - operationally up: UP or UNKNOWN (R-LINK-8). */
static inline bool netif_oper_up(const struct net_device *dev)
{
	unsigned char op = READ_ONCE(dev->operstate);

	return op == IF_OPER_UP || op == IF_OPER_UNKNOWN;
}
static inline bool netif_is_lltx(const struct net_device *dev)
{
	return dev->lltx || (dev->features & NETIF_F_LLTX);
}

static inline struct netdev_queue *netdev_get_tx_queue(const struct net_device *dev,
						       unsigned int index)
{
	return &dev->_tx[index];
}

static inline void *netdev_adjacent_get_private(void *p)
{
	return p;
}

/* ---- Transmit queue flow control (R-TXQ) ---- */

#define netif_tx_stop_queue	  unetdev_netif_tx_stop_queue
#define netif_tx_start_queue	  unetdev_netif_tx_start_queue
#define netif_tx_wake_queue	  unetdev_netif_tx_wake_queue
#define netif_tx_stop_all_queues  unetdev_netif_tx_stop_all_queues
#define netif_tx_start_all_queues unetdev_netif_tx_start_all_queues
#define netif_tx_wake_all_queues  unetdev_netif_tx_wake_all_queues
#define netif_tx_disable	  unetdev_netif_tx_disable
#define netif_tx_lock		  unetdev_netif_tx_lock
#define netif_tx_unlock		  unetdev_netif_tx_unlock
#define netif_tx_lock_bh	  unetdev_netif_tx_lock_bh
#define netif_tx_unlock_bh	  unetdev_netif_tx_unlock_bh
#define __netif_tx_lock		  unetdev___netif_tx_lock
#define __netif_tx_unlock	  unetdev___netif_tx_unlock
#define __netif_tx_trylock	  unetdev___netif_tx_trylock

/** netif_tx_stop_queue - records trans_start then sets DRV_XOFF (R-TXQ-1). Context: any. */
UNETDEV_API void netif_tx_stop_queue(struct netdev_queue *txq);
/** netif_tx_start_queue - clears DRV_XOFF without rescheduling (R-TXQ-2). */
UNETDEV_API void netif_tx_start_queue(struct netdev_queue *txq);
/** netif_tx_wake_queue - clears DRV_XOFF and reschedules the qdisc if it was set (R-TXQ-3). */
UNETDEV_API void netif_tx_wake_queue(struct netdev_queue *txq);
UNETDEV_API void netif_tx_stop_all_queues(struct net_device *dev);
UNETDEV_API void netif_tx_start_all_queues(struct net_device *dev);
UNETDEV_API void netif_tx_wake_all_queues(struct net_device *dev);
/** netif_tx_disable - stop every queue under its lock (R-TXQ-6). Context: process or BH. */
UNETDEV_API void netif_tx_disable(struct net_device *dev);
/** netif_tx_lock - global TX lock and all queues frozen (R-TXQ-7). */
UNETDEV_API void netif_tx_lock(struct net_device *dev) UNETDEV_ACQUIRE(dev->tx_global_lock);
UNETDEV_API void netif_tx_unlock(struct net_device *dev) UNETDEV_RELEASE(dev->tx_global_lock);
UNETDEV_API void netif_tx_lock_bh(struct net_device *dev) UNETDEV_ACQUIRE(dev->tx_global_lock);
UNETDEV_API void netif_tx_unlock_bh(struct net_device *dev) UNETDEV_RELEASE(dev->tx_global_lock);
/** __netif_tx_lock - the per-queue xmit lock, recording the owner CPU (R-TX-10). */
UNETDEV_API void __netif_tx_lock(struct netdev_queue *txq, int cpu)
    UNETDEV_ACQUIRE(txq->_xmit_lock);
UNETDEV_API void __netif_tx_unlock(struct netdev_queue *txq) UNETDEV_RELEASE(txq->_xmit_lock);
UNETDEV_API bool __netif_tx_trylock(struct netdev_queue *txq)
    UNETDEV_TRY_ACQUIRE(true, txq->_xmit_lock);

static inline bool netif_tx_queue_stopped(const struct netdev_queue *txq)
{
	return test_bit(__QUEUE_STATE_DRV_XOFF, &txq->state);
}
static inline bool netif_xmit_stopped(const struct netdev_queue *txq)
{
	return READ_ONCE(txq->state) &
	       (BIT(__QUEUE_STATE_DRV_XOFF) | BIT(__QUEUE_STATE_STACK_XOFF));
}
static inline bool netif_xmit_frozen_or_stopped(const struct netdev_queue *txq)
{
	return READ_ONCE(txq->state) & (BIT(__QUEUE_STATE_DRV_XOFF) |
					BIT(__QUEUE_STATE_STACK_XOFF) | BIT(__QUEUE_STATE_FROZEN));
}
static inline bool netif_xmit_frozen_or_drv_stopped(const struct netdev_queue *txq)
{
	return READ_ONCE(txq->state) & (BIT(__QUEUE_STATE_DRV_XOFF) | BIT(__QUEUE_STATE_FROZEN));
}
/** netif_tx_owned - the queue's xmit lock is held by @cpu (R-TXQ-8). */
static inline bool netif_tx_owned(const struct netdev_queue *txq, unsigned int cpu)
{
	return READ_ONCE(txq->xmit_lock_owner) == (int)cpu;
}
static inline void netif_start_queue(struct net_device *dev)
{
	netif_tx_start_queue(netdev_get_tx_queue(dev, 0));
}
static inline void netif_stop_queue(struct net_device *dev)
{
	netif_tx_stop_queue(netdev_get_tx_queue(dev, 0));
}
static inline void netif_wake_queue(struct net_device *dev)
{
	netif_tx_wake_queue(netdev_get_tx_queue(dev, 0));
}
static inline bool netif_queue_stopped(const struct net_device *dev)
{
	return netif_tx_queue_stopped(netdev_get_tx_queue(dev, 0));
}
static inline void netif_stop_subqueue(struct net_device *dev, u16 i)
{
	netif_tx_stop_queue(netdev_get_tx_queue(dev, i));
}
static inline void netif_start_subqueue(struct net_device *dev, u16 i)
{
	netif_tx_start_queue(netdev_get_tx_queue(dev, i));
}
static inline void netif_wake_subqueue(struct net_device *dev, u16 i)
{
	netif_tx_wake_queue(netdev_get_tx_queue(dev, i));
}
static inline bool __netif_subqueue_stopped(const struct net_device *dev, u16 i)
{
	return netif_tx_queue_stopped(netdev_get_tx_queue(dev, i));
}

/* ---- Byte queue limits (R-BQL, src/core/dql.c) ---- */

#define netdev_tx_sent_queue	  unetdev_netdev_tx_sent_queue
#define __netdev_tx_sent_queue	  unetdev___netdev_tx_sent_queue
#define netdev_tx_completed_queue unetdev_netdev_tx_completed_queue
#define netdev_tx_reset_queue	  unetdev_netdev_tx_reset_queue

/**
 * netdev_tx_sent_queue - report @bytes handed to the hardware on @txq
 * (R-BQL-3): sets STACK_XOFF (after trans_start = now) when over the limit.
 * A fresh queue's limit is 0, so the first report stops it (R-BQL-4).
 * @bytes > DQL_MAX_OBJECT is a BUG. Context: ndo_start_xmit (txq lock held).
 */
UNETDEV_API void netdev_tx_sent_queue(struct netdev_queue *txq, unsigned int bytes);
/**
 * __netdev_tx_sent_queue - xmit_more-aware variant (R-BQL-9): with @xmit_more
 * only accounts @bytes and returns whether the queue is driver-stopped;
 * otherwise netdev_tx_sent_queue() and true. True means "ring the doorbell".
 */
UNETDEV_API bool __netdev_tx_sent_queue(struct netdev_queue *txq, unsigned int bytes,
					bool xmit_more);
/**
 * netdev_tx_completed_queue - report @pkts/@bytes retired by the hardware
 * (R-BQL-5): recomputes the limit; when room appeared and STACK_XOFF was set,
 * clears it and reschedules the queue. @bytes 0 is a no-op; completing more
 * than was sent is a BUG. Call at most once per completion round.
 * Context: the driver's TX completion (NAPI poll or hardirq), serialised per queue.
 */
UNETDEV_API void netdev_tx_completed_queue(struct netdev_queue *txq, unsigned int pkts,
					   unsigned int bytes);
/** netdev_tx_reset_queue - clear STACK_XOFF and reset the DQL (R-BQL-8), e.g. ring flushed. */
UNETDEV_API void netdev_tx_reset_queue(struct netdev_queue *txq);

/* Queue-0 helpers for single-queue drivers. */
static inline void netdev_sent_queue(struct net_device *dev, unsigned int bytes)
{
	netdev_tx_sent_queue(netdev_get_tx_queue(dev, 0), bytes);
}
static inline bool __netdev_sent_queue(struct net_device *dev, unsigned int bytes, bool xmit_more)
{
	return __netdev_tx_sent_queue(netdev_get_tx_queue(dev, 0), bytes, xmit_more);
}
static inline void netdev_completed_queue(struct net_device *dev, unsigned int pkts,
					  unsigned int bytes)
{
	netdev_tx_completed_queue(netdev_get_tx_queue(dev, 0), pkts, bytes);
}
static inline void netdev_reset_queue(struct net_device *dev)
{
	netdev_tx_reset_queue(netdev_get_tx_queue(dev, 0));
}

/* ---- Allocation and lifetime (R-ALLOC) ---- */

#define alloc_netdev_mqs	     unetdev_alloc_netdev_mqs
#define free_netdev		     unetdev_free_netdev
#define dev_hold		     unetdev_dev_hold
#define dev_put			     unetdev_dev_put
#define netdev_hold		     unetdev_netdev_hold
#define netdev_put		     unetdev_netdev_put
#define netdev_refcnt_read	     unetdev_netdev_refcnt_read
#define netif_set_real_num_tx_queues unetdev_netif_set_real_num_tx_queues
#define netif_set_real_num_rx_queues unetdev_netif_set_real_num_rx_queues
#define netif_set_tso_max_size	     unetdev_netif_set_tso_max_size
#define netif_set_tso_max_segs	     unetdev_netif_set_tso_max_segs
#define dev_set_alias		     unetdev_dev_set_alias
#define netif_set_alias		     unetdev_dev_set_alias

/**
 * alloc_netdev_mqs - allocate a device and its private area in one zeroed
 * allocation (heap first, page mapping as fallback; R-ALLOC-4), call @setup
 * once (R-ALLOC-10), create @txqs TX and @rxqs RX queues.
 * Context: process. Returns a new device with one reference, or NULL.
 * A @name of IFNAMSIZ bytes or more is a BUG (R-ALLOC-2).
 */
UNETDEV_API struct net_device *alloc_netdev_mqs(int sizeof_priv, const char *name,
						unsigned char name_assign_type,
						void (*setup)(struct net_device *),
						unsigned int txqs, unsigned int rxqs);
#define alloc_netdev(sizeof_priv, name, name_assign_type, setup)                                   \
	alloc_netdev_mqs(sizeof_priv, name, name_assign_type, setup, 1, 1)
#define alloc_netdev_mq(sizeof_priv, name, name_assign_type, setup, count)                         \
	alloc_netdev_mqs(sizeof_priv, name, name_assign_type, setup, count, count)

/**
 * free_netdev - release a device (R-ALLOC-19..23). Context: process.
 * UNINITIALIZED/DUMMY: memory released now. UNREGISTERING: only sets
 * needs_free_netdev (the todo list frees it). UNREGISTERED: becomes RELEASED;
 * memory is released at the last device-model reference.
 */
UNETDEV_API void free_netdev(struct net_device *dev);
/** dev_hold - take a reference (per-CPU counter). Context: any. */
UNETDEV_API void dev_hold(struct net_device *dev);
/** dev_put - drop a reference; never frees (R-UNREG-18). Context: any. */
UNETDEV_API void dev_put(struct net_device *dev);
UNETDEV_API int netdev_refcnt_read(const struct net_device *dev);
UNETDEV_API int netif_set_real_num_tx_queues(struct net_device *dev, unsigned int txq);
UNETDEV_API int netif_set_real_num_rx_queues(struct net_device *dev, unsigned int rxq);
UNETDEV_API void netif_set_tso_max_size(struct net_device *dev, unsigned int size);
UNETDEV_API void netif_set_tso_max_segs(struct net_device *dev, unsigned int segs);
/** dev_set_alias - set ifalias; @len >= IFALIASZ is -EINVAL (R-K-2). Context: rtnl. */
UNETDEV_API int dev_set_alias(struct net_device *dev, const char *alias, size_t len);

/* ---- Registration (R-REG, R-UNREG) ---- */

#define register_netdevice	     unetdev_register_netdevice
#define register_netdev		     unetdev_register_netdev
#define unregister_netdevice_queue   unetdev_unregister_netdevice_queue
#define unregister_netdevice_many    unetdev_unregister_netdevice_many
#define unregister_netdev	     unetdev_unregister_netdev
#define dev_alloc_name		     unetdev_dev_alloc_name
#define dev_valid_name		     unetdev_dev_valid_name
#define dev_get_by_name		     unetdev_dev_get_by_name
#define __dev_get_by_name	     unetdev___dev_get_by_name
#define dev_get_by_name_rcu	     unetdev___dev_get_by_name
#define dev_get_by_index	     unetdev_dev_get_by_index
#define __dev_get_by_index	     unetdev___dev_get_by_index
#define dev_change_name		     unetdev_dev_change_name
#define netdev_name_node_alt_create  unetdev_netdev_name_node_alt_create
#define netdev_name_node_alt_destroy unetdev_netdev_name_node_alt_destroy
#define synchronize_net		     unetdev_synchronize_net

/** register_netdevice - make @dev visible (R-REG). Context: rtnl held, process. */
UNETDEV_API int register_netdevice(struct net_device *dev) UNETDEV_MUST_HOLD(rtnl_mutex);
/** register_netdev - rtnl_lock + register_netdevice + rtnl_unlock (R-REG-1). */
UNETDEV_API int register_netdev(struct net_device *dev) UNETDEV_EXCLUDES(rtnl_mutex);
/**
 * unregister_netdevice_queue - unregister @dev now (@head NULL) or queue it on
 * @head for unregister_netdevice_many(). Context: rtnl held. Completion is
 * deferred to rtnl_unlock() (R-UNREG-9/10).
 */
UNETDEV_API void unregister_netdevice_queue(struct net_device *dev, struct list_head *head)
    UNETDEV_MUST_HOLD(rtnl_mutex);
UNETDEV_API void unregister_netdevice_many(struct list_head *head) UNETDEV_MUST_HOLD(rtnl_mutex);
static inline void unregister_netdevice(struct net_device *dev) UNETDEV_MUST_HOLD(rtnl_mutex)
{
	unregister_netdevice_queue(dev, NULL);
}
/** unregister_netdev - takes rtnl, unregisters, waits for every reference (R-UNREG-16). */
UNETDEV_API void unregister_netdev(struct net_device *dev) UNETDEV_EXCLUDES(rtnl_mutex);
/** dev_alloc_name - pick a unit for template @name; returns it or -errno (R-REG-4). */
UNETDEV_API int dev_alloc_name(struct net_device *dev, const char *name)
    UNETDEV_MUST_HOLD(rtnl_mutex);
UNETDEV_API bool dev_valid_name(const char *name);
/** dev_get_by_name - returns a new reference (dev_put() it) or NULL. Context: any. */
UNETDEV_API struct net_device *dev_get_by_name(struct net *net, const char *name);
/** __dev_get_by_name - no reference taken. Context: rtnl held (or dev_base_lock). */
UNETDEV_API struct net_device *__dev_get_by_name(struct net *net, const char *name);
UNETDEV_API struct net_device *dev_get_by_index(struct net *net, int ifindex);
UNETDEV_API struct net_device *__dev_get_by_index(struct net *net, int ifindex);
/** dev_change_name - rename a device that is down (-EBUSY if up). Context: rtnl. */
UNETDEV_API int dev_change_name(struct net_device *dev, const char *newname)
    UNETDEV_MUST_HOLD(rtnl_mutex);
/** netdev_name_node_alt_create - add an alternative name (-EEXIST if taken). Context: rtnl. */
UNETDEV_API int netdev_name_node_alt_create(struct net_device *dev, const char *name)
    UNETDEV_MUST_HOLD(rtnl_mutex);
UNETDEV_API int netdev_name_node_alt_destroy(struct net_device *dev, const char *name)
    UNETDEV_MUST_HOLD(rtnl_mutex);
/** synchronize_net - wait for an RCU grace period. Context: process. */
UNETDEV_API void synchronize_net(void);

/* ---- Notifiers (R-REG-21..23) ---- */

enum netdev_cmd {
	NETDEV_UP = 1,
	NETDEV_DOWN,
	NETDEV_REBOOT,
	NETDEV_CHANGE,
	NETDEV_REGISTER,
	NETDEV_UNREGISTER,
	NETDEV_CHANGEMTU,
	NETDEV_CHANGEADDR,
	NETDEV_PRE_CHANGEADDR,
	NETDEV_GOING_DOWN,
	NETDEV_CHANGENAME,
	NETDEV_FEAT_CHANGE,
	NETDEV_BONDING_FAILOVER,
	NETDEV_PRE_UP,
	NETDEV_PRE_TYPE_CHANGE,
	NETDEV_POST_TYPE_CHANGE,
	NETDEV_POST_INIT,
	NETDEV_PRE_UNINIT,
	NETDEV_RELEASE,
	NETDEV_NOTIFY_PEERS,
	NETDEV_JOIN,
	NETDEV_CHANGEUPPER,
	NETDEV_RESEND_IGMP,
	NETDEV_PRECHANGEMTU,
	NETDEV_CHANGEINFODATA,
	NETDEV_BONDING_INFO,
	NETDEV_PRECHANGEUPPER,
	NETDEV_CHANGELOWERSTATE,
	NETDEV_UDP_TUNNEL_PUSH_INFO,
	NETDEV_UDP_TUNNEL_DROP_INFO,
	NETDEV_CHANGE_TX_QUEUE_LEN,
	NETDEV_CVLAN_FILTER_PUSH_INFO,
	NETDEV_CVLAN_FILTER_DROP_INFO,
	NETDEV_SVLAN_FILTER_PUSH_INFO,
	NETDEV_SVLAN_FILTER_DROP_INFO,
	NETDEV_OFFLOAD_XSTATS_ENABLE,
	NETDEV_OFFLOAD_XSTATS_DISABLE,
	NETDEV_OFFLOAD_XSTATS_REPORT_USED,
	NETDEV_OFFLOAD_XSTATS_REPORT_DELTA,
	NETDEV_XDP_FEAT_CHANGE,
	NETDEV_CMD_MAX
};

struct netdev_notifier_info {
	struct net_device *dev;
	struct netlink_ext_ack *extack;
};

struct netdev_notifier_info_ext {
	struct netdev_notifier_info info;
	union {
		u32 mtu;
	} ext;
};

struct netdev_notifier_change_info {
	struct netdev_notifier_info info;
	unsigned int flags_changed;
};

struct netdev_notifier_pre_changeaddr_info {
	struct netdev_notifier_info info;
	const unsigned char *dev_addr;
};

static inline struct net_device *netdev_notifier_info_to_dev(const void *ptr)
{
	return ((const struct netdev_notifier_info *)ptr)->dev;
}

#define register_netdevice_notifier	  unetdev_register_netdevice_notifier
#define unregister_netdevice_notifier	  unetdev_unregister_netdevice_notifier
#define register_netdevice_notifier_net	  unetdev_register_netdevice_notifier_net
#define unregister_netdevice_notifier_net unetdev_unregister_netdevice_notifier_net
#define call_netdevice_notifiers	  unetdev_call_netdevice_notifiers
#define call_netdevice_notifiers_info	  unetdev_call_netdevice_notifiers_info
#define netdev_cmd_to_name		  unetdev_netdev_cmd_to_name

/** register_netdevice_notifier - add @nb to the global chain and replay (R-REG-21). */
UNETDEV_API int register_netdevice_notifier(struct notifier_block *nb) UNETDEV_EXCLUDES(rtnl_mutex);
/** unregister_netdevice_notifier - remove @nb after sending it DOWN/UNREGISTER (R-REG-22). */
UNETDEV_API int unregister_netdevice_notifier(struct notifier_block *nb)
    UNETDEV_EXCLUDES(rtnl_mutex);
UNETDEV_API int register_netdevice_notifier_net(struct net *net, struct notifier_block *nb)
    UNETDEV_EXCLUDES(rtnl_mutex);
UNETDEV_API int unregister_netdevice_notifier_net(struct net *net, struct notifier_block *nb)
    UNETDEV_EXCLUDES(rtnl_mutex);
/** call_netdevice_notifiers - namespace chain, then global chain (R-REG-23). Context: rtnl. */
UNETDEV_API int call_netdevice_notifiers(unsigned long val, struct net_device *dev)
    UNETDEV_MUST_HOLD(rtnl_mutex);
UNETDEV_API int call_netdevice_notifiers_info(unsigned long val, struct netdev_notifier_info *info)
    UNETDEV_MUST_HOLD(rtnl_mutex);
UNETDEV_API const char *netdev_cmd_to_name(enum netdev_cmd cmd);

#define netdev_update_features	  unetdev_netdev_update_features
#define netdev_features_change	  unetdev_netdev_features_change
#define netdev_increment_features unetdev_netdev_increment_features

/**
 * netdev_update_features - recompute @dev's features: (features not
 * changeable) | wanted_features, through ndo_fix_features and
 * ndo_set_features; NETDEV_FEAT_CHANGE when they changed. Context: rtnl held.
 */
UNETDEV_API void netdev_update_features(struct net_device *dev) UNETDEV_MUST_HOLD(rtnl_mutex);
/** netdev_features_change - send NETDEV_FEAT_CHANGE for @dev. Context: rtnl held. */
UNETDEV_API void netdev_features_change(struct net_device *dev) UNETDEV_MUST_HOLD(rtnl_mutex);
/**
 * netdev_increment_features - add the features of lower device @one to @all,
 * the features of a master so far, within @mask: what one lower device has
 * (NETIF_F_ONE_FOR_ALL) and its checksum features are added. Context: any.
 */
UNETDEV_API netdev_features_t netdev_increment_features(netdev_features_t all,
							netdev_features_t one,
							netdev_features_t mask);
/** netdev_add_tso_features - a master that can always segment in software offers TSO. */
static inline netdev_features_t netdev_add_tso_features(netdev_features_t features,
							netdev_features_t mask)
{
	return netdev_increment_features(features, NETIF_F_ALL_TSO, mask);
}

/* ---- Open, close, flags (R-UP) ---- */

#define dev_open	    unetdev_dev_open
#define dev_close	    unetdev_dev_close
#define dev_close_many	    unetdev_dev_close_many
#define dev_change_flags    unetdev_dev_change_flags
#define dev_get_flags	    unetdev_dev_get_flags
#define netif_get_flags	    unetdev_dev_get_flags
#define netif_device_detach unetdev_netif_device_detach
#define netif_device_attach unetdev_netif_device_attach
#define dev_set_promiscuity unetdev_dev_set_promiscuity
#define dev_set_allmulti    unetdev_dev_set_allmulti
#define netdev_state_change unetdev_netdev_state_change

/** dev_open - bring @dev up (R-UP-1..9). Context: rtnl held, process. */
UNETDEV_API int dev_open(struct net_device *dev, struct netlink_ext_ack *extack)
    UNETDEV_MUST_HOLD(rtnl_mutex);
/** dev_close - bring @dev down (R-UP-10..14). Context: rtnl held, process. */
UNETDEV_API void dev_close(struct net_device *dev) UNETDEV_MUST_HOLD(rtnl_mutex);
/** dev_close_many - close a batch linked through close_list (R-UP-11, R-UP-14). */
UNETDEV_API void dev_close_many(struct list_head *head, bool unlink) UNETDEV_MUST_HOLD(rtnl_mutex);
/** dev_change_flags - R-UP-15/16. Context: rtnl held. */
UNETDEV_API int dev_change_flags(struct net_device *dev, unsigned int flags,
				 struct netlink_ext_ack *extack) UNETDEV_MUST_HOLD(rtnl_mutex);
/** dev_get_flags - the flags userspace sees (R-UP-17). Context: any. */
UNETDEV_API unsigned int dev_get_flags(const struct net_device *dev);
UNETDEV_API void netif_device_detach(struct net_device *dev);
UNETDEV_API void netif_device_attach(struct net_device *dev);
/** dev_set_promiscuity - R-ADDR-7/8. Context: rtnl held. */
UNETDEV_API int dev_set_promiscuity(struct net_device *dev, int inc) UNETDEV_MUST_HOLD(rtnl_mutex);
/** dev_set_allmulti - R-ADDR-9. Context: rtnl held. */
UNETDEV_API int dev_set_allmulti(struct net_device *dev, int inc) UNETDEV_MUST_HOLD(rtnl_mutex);
/** netdev_state_change - NETDEV_CHANGE + link message if the device is up. Context: rtnl. */
UNETDEV_API void netdev_state_change(struct net_device *dev) UNETDEV_MUST_HOLD(rtnl_mutex);

/* ---- MTU, tx_queue_len, MAC (R-MTU, R-ADDR-12) ---- */

#define dev_set_mtu		unetdev_dev_set_mtu
#define dev_set_mtu_ext		unetdev_dev_set_mtu_ext
#define dev_validate_mtu	unetdev_dev_validate_mtu
#define dev_change_tx_queue_len unetdev_dev_change_tx_queue_len
#define dev_set_mac_address	unetdev_dev_set_mac_address
#define dev_change_carrier	unetdev_dev_change_carrier
#define netdev_rx_frame_fits	unetdev_netdev_rx_frame_fits
#define is_skb_forwardable	unetdev_is_skb_forwardable

/** dev_set_mtu - R-MTU-4..11. Context: rtnl held. */
UNETDEV_API int dev_set_mtu(struct net_device *dev, int new_mtu) UNETDEV_MUST_HOLD(rtnl_mutex);
UNETDEV_API int dev_set_mtu_ext(struct net_device *dev, int new_mtu, struct netlink_ext_ack *extack)
    UNETDEV_MUST_HOLD(rtnl_mutex);
UNETDEV_API int dev_validate_mtu(struct net_device *dev, int new_mtu,
				 struct netlink_ext_ack *extack);
/** dev_change_tx_queue_len - R-MTU-16. Context: rtnl held. */
UNETDEV_API int dev_change_tx_queue_len(struct net_device *dev, unsigned long new_len)
    UNETDEV_MUST_HOLD(rtnl_mutex);

/* What ndo_set_mac_address receives: the kernel's struct sockaddr. */
struct sockaddr_hw {
	unsigned short sa_family; /* the device type, e.g. ARPHRD_ETHER */
	unsigned char sa_data[MAX_ADDR_LEN];
};
/** dev_set_mac_address - R-ADDR-12. Context: rtnl held. */
UNETDEV_API int dev_set_mac_address(struct net_device *dev, const struct sockaddr_hw *sa,
				    struct netlink_ext_ack *extack) UNETDEV_MUST_HOLD(rtnl_mutex);
/** dev_change_carrier - R-LINK-12. Context: rtnl held. */
UNETDEV_API int dev_change_carrier(struct net_device *dev, bool new_carrier)
    UNETDEV_MUST_HOLD(rtnl_mutex);
/**
 * netdev_rx_frame_fits - the receive-size helper drivers use (R-MTU-2): true
 * when @len <= mtu + hard_header_len + VLAN_HLEN; otherwise counts
 * rx_length_errors (core counter) and returns false. Context: any.
 */
UNETDEV_API bool netdev_rx_frame_fits(struct net_device *dev, unsigned int len);
/** is_skb_forwardable - R-MTU-13. */
UNETDEV_API bool is_skb_forwardable(const struct net_device *dev, const struct sk_buff *skb);

/* ---- Carrier, operstate, linkwatch (R-LINK) ---- */

#define netif_carrier_on		 unetdev_netif_carrier_on
#define netif_carrier_off		 unetdev_netif_carrier_off
#define netif_carrier_event		 unetdev_netif_carrier_event
#define netif_dormant_on		 unetdev_netif_dormant_on
#define netif_dormant_off		 unetdev_netif_dormant_off
#define netif_testing_on		 unetdev_netif_testing_on
#define netif_testing_off		 unetdev_netif_testing_off
#define netif_stacked_transfer_operstate unetdev_netif_stacked_transfer_operstate
#define linkwatch_fire_event		 unetdev_linkwatch_fire_event
#define linkwatch_run_queue		 unetdev_linkwatch_run_queue
#define dev_get_iflink			 unetdev_dev_get_iflink

/** netif_carrier_on - edge-triggered (R-LINK-1..3). Context: any. */
UNETDEV_API void netif_carrier_on(struct net_device *dev);
UNETDEV_API void netif_carrier_off(struct net_device *dev);
UNETDEV_API void netif_carrier_event(struct net_device *dev);
UNETDEV_API void netif_dormant_on(struct net_device *dev);
UNETDEV_API void netif_dormant_off(struct net_device *dev);
UNETDEV_API void netif_testing_on(struct net_device *dev);
UNETDEV_API void netif_testing_off(struct net_device *dev);
UNETDEV_API void netif_stacked_transfer_operstate(const struct net_device *rootdev,
						  struct net_device *dev);
/** linkwatch_fire_event - queue a link event (R-LINK-4). Takes its own reference. */
UNETDEV_API void linkwatch_fire_event(struct net_device *dev);
/** linkwatch_run_queue - process every pending event now. Context: process, rtnl not held. */
UNETDEV_API void linkwatch_run_queue(void) UNETDEV_EXCLUDES(rtnl_mutex);
UNETDEV_API int dev_get_iflink(const struct net_device *dev);

/* ---- Address lists and rx_mode (R-ADDR) ---- */

#define dev_uc_add	     unetdev_dev_uc_add
#define dev_uc_add_excl	     unetdev_dev_uc_add_excl
#define dev_uc_del	     unetdev_dev_uc_del
#define dev_mc_add	     unetdev_dev_mc_add
#define dev_mc_add_excl	     unetdev_dev_mc_add_excl
#define dev_mc_add_global    unetdev_dev_mc_add_global
#define dev_mc_del	     unetdev_dev_mc_del
#define dev_mc_del_global    unetdev_dev_mc_del_global
#define dev_uc_sync	     unetdev_dev_uc_sync
#define dev_uc_unsync	     unetdev_dev_uc_unsync
#define dev_mc_sync	     unetdev_dev_mc_sync
#define dev_mc_unsync	     unetdev_dev_mc_unsync
#define dev_uc_flush	     unetdev_dev_uc_flush
#define dev_mc_flush	     unetdev_dev_mc_flush
#define dev_addr_add	     unetdev_dev_addr_add
#define dev_addr_del	     unetdev_dev_addr_del
#define dev_addr_set	     unetdev_dev_addr_set
#define dev_set_rx_mode	     unetdev_dev_set_rx_mode
#define __dev_set_rx_mode    unetdev___dev_set_rx_mode
#define netif_addr_lock	     unetdev_netif_addr_lock
#define netif_addr_unlock    unetdev_netif_addr_unlock
#define netif_addr_lock_bh   unetdev_netif_addr_lock_bh
#define netif_addr_unlock_bh unetdev_netif_addr_unlock_bh

UNETDEV_API int dev_uc_add(struct net_device *dev, const unsigned char *addr);
UNETDEV_API int dev_uc_add_excl(struct net_device *dev, const unsigned char *addr);
UNETDEV_API int dev_uc_del(struct net_device *dev, const unsigned char *addr);
UNETDEV_API int dev_mc_add(struct net_device *dev, const unsigned char *addr);
UNETDEV_API int dev_mc_add_excl(struct net_device *dev, const unsigned char *addr);
UNETDEV_API int dev_mc_add_global(struct net_device *dev, const unsigned char *addr);
UNETDEV_API int dev_mc_del(struct net_device *dev, const unsigned char *addr);
UNETDEV_API int dev_mc_del_global(struct net_device *dev, const unsigned char *addr);
UNETDEV_API int dev_uc_sync(struct net_device *to, struct net_device *from);
UNETDEV_API void dev_uc_unsync(struct net_device *to, struct net_device *from);
UNETDEV_API int dev_mc_sync(struct net_device *to, struct net_device *from);
UNETDEV_API void dev_mc_unsync(struct net_device *to, struct net_device *from);
UNETDEV_API void dev_uc_flush(struct net_device *dev);
UNETDEV_API void dev_mc_flush(struct net_device *dev);
UNETDEV_API int dev_addr_add(struct net_device *dev, const unsigned char *addr,
			     unsigned char addr_type) UNETDEV_MUST_HOLD(rtnl_mutex);
UNETDEV_API int dev_addr_del(struct net_device *dev, const unsigned char *addr,
			     unsigned char addr_type) UNETDEV_MUST_HOLD(rtnl_mutex);
/** dev_addr_set - write the primary hardware address (dev->dev_addr is read-only). */
UNETDEV_API void dev_addr_set(struct net_device *dev, const unsigned char *addr);
/** dev_set_rx_mode - netif_addr_lock_bh + __dev_set_rx_mode (R-ADDR-5/6). */
UNETDEV_API void dev_set_rx_mode(struct net_device *dev);
UNETDEV_API void __dev_set_rx_mode(struct net_device *dev) UNETDEV_MUST_HOLD(dev->addr_list_lock);
UNETDEV_API void netif_addr_lock(struct net_device *dev) UNETDEV_ACQUIRE(dev->addr_list_lock);
UNETDEV_API void netif_addr_unlock(struct net_device *dev) UNETDEV_RELEASE(dev->addr_list_lock);
UNETDEV_API void netif_addr_lock_bh(struct net_device *dev) UNETDEV_ACQUIRE(dev->addr_list_lock);
UNETDEV_API void netif_addr_unlock_bh(struct net_device *dev) UNETDEV_RELEASE(dev->addr_list_lock);

/* ---- Statistics (R-STAT) ---- */

#define dev_get_stats				unetdev_dev_get_stats
#define dev_core_stats_rx_dropped_inc		unetdev_dev_core_stats_rx_dropped_inc
#define dev_core_stats_tx_dropped_inc		unetdev_dev_core_stats_tx_dropped_inc
#define dev_core_stats_rx_nohandler_inc		unetdev_dev_core_stats_rx_nohandler_inc
#define dev_core_stats_rx_otherhost_dropped_inc unetdev_dev_core_stats_rx_otherhost_dropped_inc
#define netdev_stats_to_stats64			unetdev_netdev_stats_to_stats64
#define dev_base_lock				unetdev_dev_base_lock

/** dev_base_lock - the 2013 device-list rwlock; ndo_get_stats runs under it (R-STAT-6). */
UNETDEV_API extern rwlock_t dev_base_lock;

/** dev_get_stats - driver stats plus core drop counters (R-STAT-3/4). Context: any. */
UNETDEV_API struct rtnl_link_stats64 *dev_get_stats(struct net_device *dev,
						    struct rtnl_link_stats64 *storage);
UNETDEV_API void netdev_stats_to_stats64(struct rtnl_link_stats64 *stats64,
					 const struct net_device_stats *netdev_stats);
UNETDEV_API void dev_core_stats_rx_dropped_inc(struct net_device *dev);
UNETDEV_API void dev_core_stats_tx_dropped_inc(struct net_device *dev);
UNETDEV_API void dev_core_stats_rx_nohandler_inc(struct net_device *dev);
UNETDEV_API void dev_core_stats_rx_otherhost_dropped_inc(struct net_device *dev);

/* ---- ioctl (R-SYNC-3) ---- */

#define dev_ioctl unetdev_dev_ioctl
/**
 * dev_ioctl - SIOC[GS]IFMTU / FLAGS / INDEX handled by the core; device-private
 * commands (SIOCDEVPRIVATE.., SIOCxMII*) go to ndo_do_ioctl under rtnl in
 * process context; anything else is -EOPNOTSUPP (unknown) or -ENODEV (no such
 * device). Context: process, rtnl not held.
 */
UNETDEV_API int dev_ioctl(struct net *net, unsigned int cmd, struct ifreq *ifr)
    UNETDEV_EXCLUDES(rtnl_mutex);

/* ---- Receive and transmit (the datapath, R-TX/R-RX) ---- */

#define dev_queue_xmit		     unetdev_dev_queue_xmit
#define netif_rx		     unetdev_netif_rx
#define netif_receive_skb	     unetdev_netif_receive_skb
#define netif_receive_skb_list	     unetdev_netif_receive_skb_list
#define dev_add_pack		     unetdev_dev_add_pack
#define dev_remove_pack		     unetdev_dev_remove_pack
#define __dev_remove_pack	     unetdev___dev_remove_pack
#define netdev_rx_handler_register   unetdev_netdev_rx_handler_register
#define netdev_rx_handler_unregister unetdev_netdev_rx_handler_unregister
#define dev_forward_skb		     unetdev_dev_forward_skb
#define netif_trans_update	     unetdev_netif_trans_update
#define dev_trans_start		     unetdev_dev_trans_start

/** dev_queue_xmit - transmit; always consumes @skb (R-TX-1). Context: process or BH. */
UNETDEV_API int dev_queue_xmit(struct sk_buff *skb);
#define __dev_direct_xmit unetdev___dev_direct_xmit
#define netdev_xmit_more  unetdev_netdev_xmit_more
/**
 * __dev_direct_xmit - send @skb on queue @queue_id, bypassing the qdisc
 * (AF_PACKET qdisc bypass, R-TX-14). Returns NET_XMIT_DROP (skb freed) when
 * the device is not running or has no carrier; NETDEV_TX_BUSY without
 * transmitting, @skb still the caller's, when the queue is frozen or
 * driver-stopped; else the driver's code. Context: process or BH.
 */
UNETDEV_API int __dev_direct_xmit(struct sk_buff *skb, u16 queue_id);
/** dev_direct_xmit - __dev_direct_xmit that always consumes @skb. */
static inline int dev_direct_xmit(struct sk_buff *skb, u16 queue_id)
{
	int ret = __dev_direct_xmit(skb, queue_id);

	if (!dev_xmit_complete(ret))
		kfree_skb(skb);
	return ret;
}
/**
 * netdev_xmit_more - inside ndo_start_xmit: true when the core will
 * immediately send another skb on this queue, so the doorbell may wait (R-TX-13).
 */
UNETDEV_API bool netdev_xmit_more(void);
/** netif_rx - queue @skb for receive processing (R-BL-1). Consumes @skb. */
UNETDEV_API int netif_rx(struct sk_buff *skb);
/** netif_receive_skb - deliver @skb now (R-RX-1). Consumes @skb. Context: BH. */
UNETDEV_API int netif_receive_skb(struct sk_buff *skb);
/**
 * netif_receive_skb_list - deliver every skb on @head (linked through skb->list)
 * now, in order, as netif_receive_skb() would; @head is left empty. Consumes the
 * skbs. Context: BH (disabled by the function itself when needed).
 */
UNETDEV_API void netif_receive_skb_list(struct list_head *head);
UNETDEV_API void dev_add_pack(struct packet_type *pt);
UNETDEV_API void dev_remove_pack(struct packet_type *pt);
UNETDEV_API void __dev_remove_pack(struct packet_type *pt);
/** netdev_rx_handler_register - R-RX-4. Context: rtnl held. */
UNETDEV_API int netdev_rx_handler_register(struct net_device *dev, rx_handler_func_t *handler,
					   void *data) UNETDEV_MUST_HOLD(rtnl_mutex);
UNETDEV_API void netdev_rx_handler_unregister(struct net_device *dev) UNETDEV_MUST_HOLD(rtnl_mutex);
/** dev_forward_skb - hand @skb to @dev's receive path (R-MTU-13). Consumes @skb. */
UNETDEV_API int dev_forward_skb(struct net_device *dev, struct sk_buff *skb);
UNETDEV_API void netif_trans_update(struct net_device *dev);
UNETDEV_API unsigned long dev_trans_start(struct net_device *dev);

/* ---- Upper and lower devices (net/core/dev.c adjacency; dev_upper.c) ---- */

/* What NETDEV_PRECHANGEUPPER / NETDEV_CHANGEUPPER carry. */
struct netdev_notifier_changeupper_info {
	struct netdev_notifier_info info; /* info.dev: the lower device */
	struct net_device *upper_dev;
	bool master;
	bool linking; /* true: being linked; false: unlinked */
	void *upper_info;
};

#define netdev_master_upper_dev_link unetdev_netdev_master_upper_dev_link
#define netdev_upper_dev_link	     unetdev_netdev_upper_dev_link
#define netdev_upper_dev_unlink	     unetdev_netdev_upper_dev_unlink
#define netdev_master_upper_dev_get  unetdev_netdev_master_upper_dev_get
#define netdev_has_upper_dev	     unetdev_netdev_has_upper_dev
#define netdev_has_any_upper_dev     unetdev_netdev_has_any_upper_dev
#define netdev_lower_dev_get_private unetdev_netdev_lower_dev_get_private

/**
 * netdev_master_upper_dev_link - make @upper_dev the master of @dev, with
 * @upper_priv as the link's private data (netdev_lower_dev_get_private()).
 * NETDEV_PRECHANGEUPPER may veto; NETDEV_CHANGEUPPER follows. Returns 0,
 * -EBUSY (@dev == @upper_dev, a loop, or @dev already has another master),
 * -EEXIST (already linked), -EMLINK (deeper than MAX_NEST_DEV) or a notifier's
 * errno. Context: rtnl held.
 */
UNETDEV_API int netdev_master_upper_dev_link(struct net_device *dev, struct net_device *upper_dev,
					     void *upper_priv, void *upper_info,
					     struct netlink_ext_ack *extack)
    UNETDEV_MUST_HOLD(rtnl_mutex);
/** netdev_upper_dev_link - as above, a non-master upper (e.g. a VLAN). Context: rtnl held. */
UNETDEV_API int netdev_upper_dev_link(struct net_device *dev, struct net_device *upper_dev,
				      struct netlink_ext_ack *extack) UNETDEV_MUST_HOLD(rtnl_mutex);
/** netdev_upper_dev_unlink - remove the link, with NETDEV_CHANGEUPPER. Context: rtnl held. */
UNETDEV_API void netdev_upper_dev_unlink(struct net_device *dev, struct net_device *upper_dev)
    UNETDEV_MUST_HOLD(rtnl_mutex);
/** netdev_master_upper_dev_get - @dev's master or NULL (no reference). Context: rtnl held. */
UNETDEV_API struct net_device *netdev_master_upper_dev_get(struct net_device *dev)
    UNETDEV_MUST_HOLD(rtnl_mutex);
UNETDEV_API bool netdev_has_upper_dev(struct net_device *dev, struct net_device *upper_dev)
    UNETDEV_MUST_HOLD(rtnl_mutex);
UNETDEV_API bool netdev_has_any_upper_dev(struct net_device *dev) UNETDEV_MUST_HOLD(rtnl_mutex);
UNETDEV_API void *netdev_lower_dev_get_private(struct net_device *dev, struct net_device *lower_dev)
    UNETDEV_MUST_HOLD(rtnl_mutex);
/**
 * unetdev_dev_set_master - RTM_SETLINK's IFLA_MASTER (the kernel's
 * do_set_master): release @dev from its current master (ndo_del_slave), then,
 * when @ifindex is not 0, enslave it to device @ifindex (ndo_add_slave).
 * Returns 0, -EINVAL (no device @ifindex), -EOPNOTSUPP (not a master) or the
 * master's errno with a message in @extack. Context: rtnl held.
 */
UNETDEV_API int unetdev_dev_set_master(struct net_device *dev, int ifindex,
				       struct netlink_ext_ack *extack)
    UNETDEV_MUST_HOLD(rtnl_mutex);

/* ---- Logging ---- */

#define netdev_err(dev, ...)  unetdev_netdev_printk(3, dev, __VA_ARGS__)
#define netdev_warn(dev, ...) unetdev_netdev_printk(4, dev, __VA_ARGS__)
#define netdev_info(dev, ...) unetdev_netdev_printk(6, dev, __VA_ARGS__)
#define netdev_dbg(dev, ...)  unetdev_netdev_printk(7, dev, __VA_ARGS__)
UNETDEV_API void unetdev_netdev_printk(int level, const struct net_device *dev, const char *fmt,
				       ...) __printf(3, 4);

#endif
