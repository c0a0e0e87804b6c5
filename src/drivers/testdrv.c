// SPDX-License-Identifier: MIT
/*
 * testdrv.c - the recording test driver (no kernel counterpart; the idea is
 * the "fake driver recording which locks are held" of rules section 22).
 *
 * An Ethernet device whose every op records the context it was called in:
 * rtnl, netif_addr_lock, the queue's _xmit_lock, netif_tx_lock, FROZEN bits,
 * dev_base_lock, BH/process context, running/present/IFF_UP. Conformance
 * tests of R-SYNC-*, R-UP-4/11, R-MTU-9, R-STAT-6, R-TX-* read the records.
 *
 * The ops tables are static const: the behaviour switches that remove an op
 * (no_change_mtu, no_set_mac, stats mode) select one of twelve tables, never
 * patch function pointers into the device.
 */
#include <pthread.h>
#include <string.h>

#include <unetdev/check.h>
#include <unetdev/drivers.h>
#include <unetdev/etherdevice.h>

/* Per-op counters and the last record keep working past the fixed array. */
enum testdrv_op {
	OP_INIT,
	OP_UNINIT,
	OP_OPEN,
	OP_STOP,
	OP_START_XMIT,
	OP_CHANGE_RX_FLAGS,
	OP_SET_RX_MODE,
	OP_SET_MAC,
	OP_VALIDATE_ADDR,
	OP_IOCTL,
	OP_CHANGE_MTU,
	OP_TX_TIMEOUT,
	OP_GET_STATS64,
	OP_GET_STATS,
	OP_VLAN_ADD,
	OP_VLAN_KILL,
	OP_FIX_FEATURES,
	OP_SET_FEATURES,
	OP_CHANGE_CARRIER,
	OP_NAPI_POLL,
	OP_MAX,
};

static const char *const op_names[OP_MAX] = {
    [OP_INIT] = "ndo_init",
    [OP_UNINIT] = "ndo_uninit",
    [OP_OPEN] = "ndo_open",
    [OP_STOP] = "ndo_stop",
    [OP_START_XMIT] = "ndo_start_xmit",
    [OP_CHANGE_RX_FLAGS] = "ndo_change_rx_flags",
    [OP_SET_RX_MODE] = "ndo_set_rx_mode",
    [OP_SET_MAC] = "ndo_set_mac_address",
    [OP_VALIDATE_ADDR] = "ndo_validate_addr",
    [OP_IOCTL] = "ndo_do_ioctl",
    [OP_CHANGE_MTU] = "ndo_change_mtu",
    [OP_TX_TIMEOUT] = "ndo_tx_timeout",
    [OP_GET_STATS64] = "ndo_get_stats64",
    [OP_GET_STATS] = "ndo_get_stats",
    [OP_VLAN_ADD] = "ndo_vlan_rx_add_vid",
    [OP_VLAN_KILL] = "ndo_vlan_rx_kill_vid",
    [OP_FIX_FEATURES] = "ndo_fix_features",
    [OP_SET_FEATURES] = "ndo_set_features",
    [OP_CHANGE_CARRIER] = "ndo_change_carrier",
    [OP_NAPI_POLL] = "napi_poll",
};

#define TESTDRV_MAGIC 0x74737464u /* "tstd" */

struct testdrv_priv {
	unsigned int magic;
	pthread_mutex_t lock; /* ops may run on several threads at once */
	struct unetdev_testdrv_config cfg;
	int ncalls; /* records in calls[] */
	struct unetdev_testdrv_call calls[UNETDEV_TESTDRV_MAX_CALLS];
	int count[OP_MAX];
	bool has_last[OP_MAX];
	struct unetdev_testdrv_call last[OP_MAX];
	u64 tx_packets, tx_bytes;
	struct napi_struct napi; /* cfg.napi: listed from ndo_open to ndo_stop */
	bool napi_added;	 /* rtnl */
};

static int destructor_calls;
static unsigned int addr_seq;

static struct testdrv_priv *tpriv(const struct net_device *dev)
{
	struct testdrv_priv *p = netdev_priv(dev);

	if (p->magic != TESTDRV_MAGIC)
		UNETDEV_WARN("R-ALLOC-5", dev, "testdrv", "not a test driver device");
	return p;
}

/* The queue whose _xmit_lock matters: @txq, or any queue when @txq < 0. */
static bool xmit_lock_held(const struct net_device *dev, int txq)
{
	if (!dev->_tx)
		return false;
	if (txq >= 0)
		return (unsigned int)txq < dev->num_tx_queues &&
		       spin_held_by_me(&dev->_tx[txq]._xmit_lock);
	for (unsigned int i = 0; i < dev->num_tx_queues; i++)
		if (spin_held_by_me(&dev->_tx[i]._xmit_lock))
			return true;
	return false;
}

static bool all_frozen(const struct net_device *dev)
{
	if (!dev->_tx || !dev->num_tx_queues)
		return false;
	for (unsigned int i = 0; i < dev->num_tx_queues; i++)
		if (!test_bit(__QUEUE_STATE_FROZEN, &dev->_tx[i].state))
			return false;
	return true;
}

/* Snapshot the context first (no lock of ours held), then store it. */
static void record(const struct net_device *dev, enum testdrv_op op, int arg, int txq)
{
	struct testdrv_priv *p = tpriv(dev);
	struct unetdev_testdrv_call c;

	memset(&c, 0, sizeof(c));
	strncpy(c.op, op_names[op], sizeof(c.op) - 1);
	c.rtnl = rtnl_held_by_me();
	c.addr_lock = spin_held_by_me(&dev->addr_list_lock);
	c.tx_lock = xmit_lock_held(dev, txq);
	c.tx_global_lock = dev->_tx && spin_held_by_me(&dev->tx_global_lock);
	c.all_frozen = all_frozen(dev);
	c.base_lock_read = rwlock_read_held(&dev_base_lock);
	c.bh_off = in_softirq();
	c.in_task = in_task();
	c.running = netif_running(dev);
	c.present = netif_device_present(dev);
	c.up = READ_ONCE(dev->flags) & IFF_UP;
	c.napi_sched = op == OP_NAPI_POLL && napi_is_scheduled(&p->napi);
	c.arg = arg;

	pthread_mutex_lock(&p->lock);
	if (p->ncalls < UNETDEV_TESTDRV_MAX_CALLS)
		p->calls[p->ncalls++] = c;
	p->count[op]++;
	p->last[op] = c;
	p->has_last[op] = true;
	pthread_mutex_unlock(&p->lock);
}

/* ---- the ops ---- */

static int testdrv_init(struct net_device *dev)
{
	struct testdrv_priv *p = tpriv(dev);

	record(dev, OP_INIT, 0, -1);
	if (p->cfg.init_ret)
		return p->cfg.init_ret;
	/* Carrier-managing drivers start with carrier off (R-LINK-8). */
	if (p->cfg.carrier_off_at_init)
		netif_carrier_off(dev);
	return 0;
}

static void testdrv_uninit(struct net_device *dev)
{
	record(dev, OP_UNINIT, 0, -1);
}

/* napi->poll: records its context and completes at once (R-NAPI-8). */
static int testdrv_poll(struct napi_struct *napi, int budget)
{
	record(napi->dev, OP_NAPI_POLL, budget, -1);
	napi_complete_done(napi, 0);
	return 0;
}

static int testdrv_open(struct net_device *dev)
{
	struct testdrv_priv *p = tpriv(dev);
	int ret;

	record(dev, OP_OPEN, 0, -1);
	ret = p->cfg.open_ret;
	if (!ret && p->cfg.napi) {
		netif_napi_add(dev, &p->napi, testdrv_poll);
		napi_enable(&p->napi);
		p->napi_added = true;
	}
	return ret;
}

/* NAPI off before returning (R-UP-13). */
static int testdrv_stop(struct net_device *dev)
{
	struct testdrv_priv *p = tpriv(dev);

	record(dev, OP_STOP, 0, -1);
	if (p->napi_added) {
		napi_disable(&p->napi);
		netif_napi_del(&p->napi);
		p->napi_added = false;
	}
	return 0;
}

/* Take one of the configured BUSY returns; stop the queue first unless told not to. */
static bool testdrv_take_busy(struct testdrv_priv *p, struct netdev_queue *txq)
{
	bool busy, stop;

	pthread_mutex_lock(&p->lock);
	busy = p->cfg.tx_busy > 0;
	if (busy)
		p->cfg.tx_busy--;
	stop = busy && !p->cfg.tx_busy_no_stop;
	pthread_mutex_unlock(&p->lock);
	if (stop)
		netif_tx_stop_queue(txq);
	return busy;
}

/* Consumes @skb (counts it and frees it as transmitted) unless it returns BUSY. */
static netdev_tx_t testdrv_start_xmit(struct sk_buff *skb, struct net_device *dev)
{
	struct testdrv_priv *p = tpriv(dev);
	u16 q = skb_get_queue_mapping(skb);

	record(dev, OP_START_XMIT, q, q);
	if (testdrv_take_busy(p, netdev_get_tx_queue(dev, q)))
		return NETDEV_TX_BUSY;
	pthread_mutex_lock(&p->lock);
	p->tx_packets++;
	p->tx_bytes += skb->len;
	dev->stats.tx_packets++;
	dev->stats.tx_bytes += skb->len;
	pthread_mutex_unlock(&p->lock);
	consume_skb(skb);
	return NETDEV_TX_OK;
}

static void testdrv_change_rx_flags(struct net_device *dev, int flags)
{
	record(dev, OP_CHANGE_RX_FLAGS, flags, -1);
}

/* Atomic context (R-SYNC-7): records only, never sleeps. */
static void testdrv_set_rx_mode(struct net_device *dev)
{
	record(dev, OP_SET_RX_MODE, netdev_mc_count(dev), -1);
}

static int testdrv_set_mac(struct net_device *dev, void *addr)
{
	const struct sockaddr_hw *sa = addr;
	int ret = tpriv(dev)->cfg.set_mac_ret;

	record(dev, OP_SET_MAC, 0, -1);
	if (ret)
		return ret;
	if (!is_valid_ether_addr(sa->sa_data))
		return -EADDRNOTAVAIL;
	eth_hw_addr_set(dev, sa->sa_data);
	return 0;
}

static int testdrv_validate_addr(struct net_device *dev)
{
	record(dev, OP_VALIDATE_ADDR, 0, -1);
	return tpriv(dev)->cfg.validate_ret;
}

static int testdrv_ioctl(struct net_device *dev, struct ifreq *ifr, int cmd)
{
	record(dev, OP_IOCTL, cmd, -1);
	return tpriv(dev)->cfg.ioctl_ret;
}

/* The driver writes dev->mtu itself (R-MTU-9) unless told to ignore it. */
static int testdrv_change_mtu(struct net_device *dev, int new_mtu)
{
	struct testdrv_priv *p = tpriv(dev);

	record(dev, OP_CHANGE_MTU, new_mtu, -1);
	if (p->cfg.change_mtu_ret)
		return p->cfg.change_mtu_ret;
	if (!p->cfg.mtu_ignore)
		WRITE_ONCE(dev->mtu, (unsigned int)new_mtu);
	return 0;
}

static void testdrv_tx_timeout(struct net_device *dev, unsigned int txqueue)
{
	record(dev, OP_TX_TIMEOUT, (int)txqueue, (int)txqueue);
}

static void testdrv_get_stats64(struct net_device *dev, struct rtnl_link_stats64 *s)
{
	struct testdrv_priv *p = tpriv(dev);

	record(dev, OP_GET_STATS64, 0, -1);
	pthread_mutex_lock(&p->lock);
	s->tx_packets = p->tx_packets;
	s->tx_bytes = p->tx_bytes;
	pthread_mutex_unlock(&p->lock);
}

static struct net_device_stats *testdrv_get_stats(struct net_device *dev)
{
	record(dev, OP_GET_STATS, 0, -1);
	return &dev->stats;
}

static int testdrv_vlan_add(struct net_device *dev, __be16 proto, u16 vid)
{
	record(dev, OP_VLAN_ADD, vid, -1);
	return 0;
}

static int testdrv_vlan_kill(struct net_device *dev, __be16 proto, u16 vid)
{
	record(dev, OP_VLAN_KILL, vid, -1);
	return 0;
}

static netdev_features_t testdrv_fix_features(struct net_device *dev, netdev_features_t f)
{
	record(dev, OP_FIX_FEATURES, 0, -1);
	return f;
}

static int testdrv_set_features(struct net_device *dev, netdev_features_t f)
{
	record(dev, OP_SET_FEATURES, 0, -1);
	return 0;
}

/* As the kernel's dummy driver: carrier follows the request. */
static int testdrv_change_carrier(struct net_device *dev, bool new_carrier)
{
	record(dev, OP_CHANGE_CARRIER, new_carrier, -1);
	if (new_carrier)
		netif_carrier_on(dev);
	else
		netif_carrier_off(dev);
	return 0;
}

/* ---- the tables: [no_change_mtu][no_set_mac][stats mode] ---- */

enum { STATS_64, STATS_LEGACY, STATS_NONE, STATS_MODES };

#define TESTDRV_OPS(mtu_fn, mac_fn, s64_fn, s_fn)                                                  \
	{                                                                                          \
		.ndo_init = testdrv_init, .ndo_uninit = testdrv_uninit, .ndo_open = testdrv_open,  \
		.ndo_stop = testdrv_stop, .ndo_start_xmit = testdrv_start_xmit,                    \
		.ndo_change_rx_flags = testdrv_change_rx_flags,                                    \
		.ndo_set_rx_mode = testdrv_set_rx_mode, .ndo_set_mac_address = mac_fn,             \
		.ndo_validate_addr = testdrv_validate_addr, .ndo_do_ioctl = testdrv_ioctl,         \
		.ndo_change_mtu = mtu_fn, .ndo_tx_timeout = testdrv_tx_timeout,                    \
		.ndo_get_stats64 = s64_fn, .ndo_get_stats = s_fn,                                  \
		.ndo_vlan_rx_add_vid = testdrv_vlan_add,                                           \
		.ndo_vlan_rx_kill_vid = testdrv_vlan_kill,                                         \
		.ndo_fix_features = testdrv_fix_features,                                          \
		.ndo_set_features = testdrv_set_features,                                          \
		.ndo_change_carrier = testdrv_change_carrier,                                      \
	}
#define TESTDRV_STATS_OPS(mtu_fn, mac_fn)                                                          \
	{                                                                                          \
		[STATS_64] = TESTDRV_OPS(mtu_fn, mac_fn, testdrv_get_stats64, NULL),               \
		[STATS_LEGACY] = TESTDRV_OPS(mtu_fn, mac_fn, NULL, testdrv_get_stats),             \
		[STATS_NONE] = TESTDRV_OPS(mtu_fn, mac_fn, NULL, NULL),                            \
	}

static const struct net_device_ops testdrv_ops[2][2][STATS_MODES] = {
    [0][0] = TESTDRV_STATS_OPS(testdrv_change_mtu, testdrv_set_mac),
    [0][1] = TESTDRV_STATS_OPS(testdrv_change_mtu, NULL),
    [1][0] = TESTDRV_STATS_OPS(NULL, testdrv_set_mac),
    [1][1] = TESTDRV_STATS_OPS(NULL, NULL),
};

static const struct net_device_ops *testdrv_select_ops(const struct unetdev_testdrv_config *cfg)
{
	int stats = cfg->no_get_stats ? STATS_NONE : cfg->no_get_stats64 ? STATS_LEGACY : STATS_64;

	return &testdrv_ops[cfg->no_change_mtu][cfg->no_set_mac][stats];
}

/* priv_destructor may run with or without rtnl (R-UNREG-14). */
static void testdrv_destructor(struct net_device *dev)
{
	__atomic_fetch_add(&destructor_calls, 1, __ATOMIC_RELAXED);
}

static void testdrv_setup(struct net_device *dev)
{
	struct testdrv_priv *p = netdev_priv(dev);

	ether_setup(dev);
	dev->netdev_ops = &testdrv_ops[0][0][STATS_64];
	dev->priv_destructor = testdrv_destructor;
	p->magic = TESTDRV_MAGIC;
	pthread_mutex_init(&p->lock, NULL);
}

/* ---- the API (include/unetdev/drivers.h) ---- */

struct net_device *unetdev_testdrv_alloc(const char *name, unsigned int txqs)
{
	unsigned char addr[ETH_ALEN] = {0x02, 0x74, 0x64, 0, 0, 0}; /* locally administered */
	unsigned int seq = __atomic_add_fetch(&addr_seq, 1, __ATOMIC_RELAXED);
	struct net_device *dev;

	dev = alloc_netdev_mqs(sizeof(struct testdrv_priv), name ? name : "td%d", NET_NAME_USER,
			       testdrv_setup, txqs ? txqs : 1, txqs ? txqs : 1);
	if (!dev)
		return NULL;
	addr[3] = (unsigned char)(seq >> 16);
	addr[4] = (unsigned char)(seq >> 8);
	addr[5] = (unsigned char)seq;
	eth_hw_addr_set(dev, addr);
	return dev;
}

void unetdev_testdrv_configure(struct net_device *dev, const struct unetdev_testdrv_config *cfg)
{
	struct testdrv_priv *p = tpriv(dev);

	pthread_mutex_lock(&p->lock);
	p->cfg = *cfg;
	pthread_mutex_unlock(&p->lock);
	dev->lltx = cfg->lltx;
	WRITE_ONCE(dev->netdev_ops, testdrv_select_ops(cfg));
}

int unetdev_testdrv_ncalls(const struct net_device *dev)
{
	struct testdrv_priv *p = tpriv(dev);
	int n;

	pthread_mutex_lock(&p->lock);
	n = p->ncalls;
	pthread_mutex_unlock(&p->lock);
	return n;
}

const struct unetdev_testdrv_call *unetdev_testdrv_call(const struct net_device *dev, int i)
{
	struct testdrv_priv *p = tpriv(dev);

	return i >= 0 && i < unetdev_testdrv_ncalls(dev) ? &p->calls[i] : NULL;
}

static int op_index(const char *op)
{
	for (int i = 0; i < OP_MAX; i++)
		if (op && !strcmp(op_names[i], op))
			return i;
	return -1;
}

int unetdev_testdrv_count(const struct net_device *dev, const char *op)
{
	struct testdrv_priv *p = tpriv(dev);
	int i = op_index(op), n;

	if (i < 0)
		return 0;
	pthread_mutex_lock(&p->lock);
	n = p->count[i];
	pthread_mutex_unlock(&p->lock);
	return n;
}

const struct unetdev_testdrv_call *unetdev_testdrv_last(const struct net_device *dev,
							const char *op)
{
	struct testdrv_priv *p = tpriv(dev);
	int i = op_index(op);
	bool has;

	if (i < 0)
		return NULL;
	pthread_mutex_lock(&p->lock);
	has = p->has_last[i];
	pthread_mutex_unlock(&p->lock);
	return has ? &p->last[i] : NULL;
}

void unetdev_testdrv_clear(struct net_device *dev)
{
	struct testdrv_priv *p = tpriv(dev);

	pthread_mutex_lock(&p->lock);
	p->ncalls = 0;
	memset(p->count, 0, sizeof(p->count));
	memset(p->has_last, 0, sizeof(p->has_last));
	pthread_mutex_unlock(&p->lock);
}

int unetdev_testdrv_destructor_calls(void)
{
	return __atomic_load_n(&destructor_calls, __ATOMIC_RELAXED);
}

bool unetdev_testdrv_napi_schedule(struct net_device *dev)
{
	struct testdrv_priv *p = tpriv(dev);
	bool ret = false;

	if (p->napi_added) {
		local_bh_disable(); /* as a hardirq handler would: the poll runs at enable */
		ret = napi_schedule(&p->napi);
		local_bh_enable();
	}
	return ret;
}
