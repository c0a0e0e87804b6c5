// SPDX-License-Identifier: MIT
/*
 * libFuzzer sequence target: the input is a program of API calls on three
 * test-driver devices (src/drivers/testdrv.c), run by an interpreter that
 * models each device's state (empty, allocated, registered, up, unregistered,
 * references held, promiscuity, allmulti and address counts) and so knows
 * whether a call is legal now.
 *
 * Input: pairs [op][arg]; op bits 0-4 select the call, bits 5-7 the device
 * (mod 3). A legal call is made as a correct driver would (rtnl where the
 * rules want it) and must not trigger the contract checker (warn mode,
 * unetdev_check_count()); its result is checked against the model (e.g.
 * dev_set_mtu -EINVAL exactly outside min_mtu..max_mtu). When the call is
 * not legal in the device's state, its illegal form is made instead, if it
 * has one the core can refuse without harm, and the checker must report it
 * under its rule:
 *   register of a registered/unregistered device   R-REG-2   (refused)
 *   free_netdev of a registered device              R-ALLOC-23 (refused)
 *   unregister of a never-registered device         R-UNREG-2 (skipped)
 *   unregister of an unregistered device            R-UNREG-2 (refused)
 *   dev_set_mtu (to the same MTU) without rtnl      R-MTU-* ASSERT_RTNL
 *   dev_set_allmulti(dev, 0) without rtnl           ASSERT_RTNL
 *   rtnl_lock taken twice                           R-SYNC-14
 *   a name of IFNAMSIZ bytes at allocation          R-ALLOC-2 (NULL)
 * At the end every reference is put, every device unregistered and freed
 * (no report), and nothing is left alive.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unetdev/check.h>
#include <unetdev/drivers.h>
#include <unetdev/etherdevice.h>
#include <unetdev/unetdev.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond)                                                                                \
	do {                                                                                       \
		if (!(cond)) {                                                                     \
			fprintf(stderr, "api_fuzz: %s:%d: %s\n", __FILE__, __LINE__, #cond);       \
			abort();                                                                   \
		}                                                                                  \
	} while (0)

#define NDEV  3
#define NADDR 3

enum st { EMPTY, ALLOCATED, REGISTERED, UP, UNREGISTERED };

static struct slot {
	struct net_device *dev;
	enum st st;
	int holds, promisc, allmulti;
	int uc[NADDR], mc[NADDR];
	bool napi;
} slots[NDEV];

enum op {
	OP_ALLOC,
	OP_REGISTER,
	OP_OPEN,
	OP_CLOSE,
	OP_MTU,
	OP_PROMISC,
	OP_ALLMULTI,
	OP_UC,
	OP_MC,
	OP_XMIT,
	OP_NAPI,
	OP_HOLD,
	OP_PUT,
	OP_CARRIER,
	OP_QUEUES,
	OP_MAC,
	OP_UNREGISTER,
	OP_FREE,
	OP_MTU_NO_RTNL,
	OP_ALLMULTI_NO_RTNL,
	OP_RTNL_TWICE,
	OP_LONG_NAME,
	OP_NR
};

static bool verbose;

/* A legal call: no report. */
static unsigned long legal_begin(void)
{
	return unetdev_check_count(NULL);
}

static void legal_end(unsigned long before, const char *what)
{
	if (unetdev_check_count(NULL) != before) {
		fprintf(stderr, "api_fuzz: legal %s reported: %s\n", what, unetdev_check_last());
		abort();
	}
}

/* An illegal call: reported under @rule. */
static void illegal_end(const char *rule, unsigned long before, const char *what)
{
	if (unetdev_check_count(rule) <= before) {
		fprintf(stderr, "api_fuzz: illegal %s not reported under %s (last: %s)\n", what,
			rule, unetdev_check_last());
		abort();
	}
	if (verbose)
		fprintf(stderr, "api_fuzz: illegal %s reported: %s\n", what, unetdev_check_last());
}

static bool registered(const struct slot *s)
{
	return s->st == REGISTERED || s->st == UP;
}

static const u8 addrs[NADDR][ETH_ALEN] = {
    {0x02, 0, 0, 0, 0xaa, 1}, {0x02, 0, 0, 0, 0xaa, 2}, {0x33, 0x33, 0, 0, 0, 1}};
static const u8 mcaddrs[NADDR][ETH_ALEN] = {
    {0x01, 0, 0x5e, 0, 0, 1}, {0x01, 0, 0x5e, 0, 0, 2}, {0x33, 0x33, 0, 0, 0, 2}};

static void op_alloc(struct slot *s, u8 arg)
{
	struct unetdev_testdrv_config cfg = {.napi = arg & 8, .lltx = arg & 16};

	s->dev = unetdev_testdrv_alloc("fz%d", 1 + (arg & 3));
	CHECK(s->dev);
	unetdev_testdrv_configure(s->dev, &cfg);
	s->napi = cfg.napi;
	s->st = ALLOCATED;
}

static void op_mtu(struct slot *s, u8 arg)
{
	static const int mtus[] = {0, 67, 68, 576, 1280, 1500, 9000, 65535, 65536, -1};
	int mtu = mtus[arg % ARRAY_SIZE(mtus)], want, err;
	struct net_device *dev = s->dev;

	rtnl_lock();
	want = (mtu < (int)dev->min_mtu || (dev->max_mtu && mtu > (int)dev->max_mtu)) ? -EINVAL : 0;
	if ((unsigned int)mtu == dev->mtu && mtu >= 0)
		want = 0;
	err = dev_set_mtu(dev, mtu);
	CHECK(err == want);
	CHECK(err || dev->mtu == (unsigned int)mtu);
	rtnl_unlock();
}

static void op_count(struct slot *s, u8 arg, bool promisc)
{
	int *cnt = promisc ? &s->promisc : &s->allmulti;
	int inc = (arg & 1) && *cnt > 0 ? -1 : 1;

	rtnl_lock();
	CHECK((promisc ? dev_set_promiscuity(s->dev, inc) : dev_set_allmulti(s->dev, inc)) == 0);
	*cnt += inc;
	/* Unicast addresses without IFF_UNICAST_FLT add promiscuity of their own. */
	if (promisc)
		CHECK(*cnt == 0 || (s->dev->flags & IFF_PROMISC));
	else
		CHECK(!!(s->dev->flags & IFF_ALLMULTI) == (*cnt > 0));
	rtnl_unlock();
}

static void addr_change(struct slot *s, u8 arg, bool uc)
{
	unsigned int i = (arg >> 1) % NADDR;
	int *cnt = uc ? &s->uc[i] : &s->mc[i];
	const u8 *a = uc ? addrs[i] : mcaddrs[i];

	if ((arg & 1) && *cnt > 0) {
		CHECK((uc ? dev_uc_del(s->dev, a) : dev_mc_del(s->dev, a)) == 0);
		(*cnt)--;
	} else if (arg & 1) {
		CHECK((uc ? dev_uc_del(s->dev, a) : dev_mc_del(s->dev, a)) == -ENOENT);
	} else {
		CHECK((uc ? dev_uc_add(s->dev, a) : dev_mc_add(s->dev, a)) == 0);
		(*cnt)++;
	}
}

/* Unicast changes under rtnl (without unicast filtering they change
 * promiscuity, kernel __dev_set_rx_mode); multicast ones in any context. */
static void op_addr(struct slot *s, u8 arg, bool uc)
{
	if (!uc) {
		addr_change(s, arg, false);
		return;
	}
	rtnl_lock();
	addr_change(s, arg, true);
	rtnl_unlock();
}

static void op_xmit(struct slot *s, u8 arg)
{
	unsigned int len = 14 + (arg & 63);
	struct sk_buff *skb = netdev_alloc_skb(s->dev, len);
	int rc;

	CHECK(skb);
	memset(skb_put(skb, len), (int)arg, len);
	skb->dev = s->dev;
	skb->protocol = htons(0x88b5);
	rc = dev_queue_xmit(skb);
	CHECK(rc == NET_XMIT_SUCCESS || rc == NET_XMIT_DROP || rc == NET_XMIT_CN ||
	      rc == -ENETDOWN);
}

static void op_mac(struct slot *s, u8 arg)
{
	struct sockaddr_hw sa = {.sa_family = s->dev->type};

	memcpy(sa.sa_data, addrs[0], ETH_ALEN);
	sa.sa_data[5] = arg;
	rtnl_lock();
	CHECK(dev_set_mac_address(s->dev, &sa, NULL) == 0);
	CHECK(ether_addr_equal(s->dev->dev_addr, (const u8 *)sa.sa_data));
	rtnl_unlock();
}

static void op_unregister(struct slot *s)
{
	unregister_netdev(s->dev);
	CHECK(s->dev->reg_state == NETREG_UNREGISTERED);
	s->st = UNREGISTERED;
	memset(s->uc, 0, sizeof(s->uc));
	memset(s->mc, 0, sizeof(s->mc));
	s->promisc = s->allmulti = 0;
}

/* The legal form of @op on @s, when it has one in this state: true if made. */
static bool legal(enum op op, struct slot *s, u8 arg)
{
	switch (op) {
	case OP_ALLOC:
		if (s->st != EMPTY)
			return false;
		op_alloc(s, arg);
		return true;
	case OP_REGISTER:
		if (s->st != ALLOCATED)
			return false;
		CHECK(register_netdev(s->dev) == 0);
		s->st = REGISTERED;
		return true;
	case OP_OPEN:
		if (s->st != REGISTERED)
			return false;
		rtnl_lock();
		CHECK(dev_open(s->dev, NULL) == 0);
		rtnl_unlock();
		s->st = UP;
		return true;
	case OP_CLOSE:
		if (s->st != UP)
			return false;
		rtnl_lock();
		dev_close(s->dev);
		rtnl_unlock();
		s->st = REGISTERED;
		return true;
	case OP_MTU:
		if (!registered(s))
			return false;
		op_mtu(s, arg);
		return true;
	case OP_PROMISC:
	case OP_ALLMULTI:
		if (!registered(s))
			return false;
		op_count(s, arg, op == OP_PROMISC);
		return true;
	case OP_UC:
	case OP_MC:
		if (!registered(s))
			return false;
		op_addr(s, arg, op == OP_UC);
		return true;
	case OP_XMIT:
		if (!registered(s))
			return false;
		op_xmit(s, arg);
		return true;
	case OP_NAPI:
		if (s->st != UP || !s->napi)
			return false;
		unetdev_testdrv_napi_schedule(s->dev);
		return true;
	case OP_HOLD:
		if (!registered(s))
			return false;
		dev_hold(s->dev);
		s->holds++;
		return true;
	case OP_PUT:
		if (!s->holds)
			return false;
		dev_put(s->dev);
		s->holds--;
		return true;
	case OP_CARRIER:
		if (!registered(s))
			return false;
		if (arg & 1)
			netif_carrier_on(s->dev);
		else
			netif_carrier_off(s->dev);
		return true;
	case OP_QUEUES:
		if (s->st != UP)
			return false;
		if (arg & 1)
			netif_tx_wake_all_queues(s->dev);
		else
			netif_tx_stop_all_queues(s->dev);
		return true;
	case OP_MAC:
		if (!registered(s))
			return false;
		op_mac(s, arg);
		return true;
	case OP_UNREGISTER:
		if (!registered(s) || s->holds) /* with references it would wait forever */
			return false;
		op_unregister(s);
		return true;
	case OP_FREE:
		if (s->st != ALLOCATED && s->st != UNREGISTERED)
			return false;
		free_netdev(s->dev);
		s->dev = NULL;
		s->st = EMPTY;
		return true;
	default:
		return false;
	}
}

static void relock_rtnl(void) UNETDEV_NO_TSA
{
	rtnl_lock(); /* refused by the checker: rtnl is not recursive */
}

static int allmulti_without_rtnl(struct net_device *dev) UNETDEV_NO_TSA
{
	return dev_set_allmulti(dev, 0);
}

static int mtu_without_rtnl(struct net_device *dev, int mtu) UNETDEV_NO_TSA
{
	return dev_set_mtu(dev, mtu);
}

/* The illegal form of @op on @s, if it has a harmless one: true if made. */
static bool illegal(enum op op, struct slot *s)
{
	unsigned long before;

	switch (op) {
	case OP_REGISTER:
		if (!registered(s) && s->st != UNREGISTERED)
			return false;
		before = unetdev_check_count("R-REG-2");
		CHECK(register_netdev(s->dev) == -EINVAL);
		illegal_end("R-REG-2", before, "register_netdev twice");
		return true;
	case OP_FREE:
		if (!registered(s))
			return false;
		before = unetdev_check_count("R-ALLOC-23");
		free_netdev(s->dev);
		CHECK(s->dev->reg_state == NETREG_REGISTERED);
		illegal_end("R-ALLOC-23", before, "free_netdev of a registered device");
		return true;
	case OP_UNREGISTER:
		if (s->st != ALLOCATED && s->st != UNREGISTERED)
			return false;
		before = unetdev_check_count("R-UNREG-2");
		unregister_netdev(s->dev);
		illegal_end("R-UNREG-2", before, "unregister of a device not registered");
		return true;
	case OP_MTU_NO_RTNL:
		if (!registered(s))
			return false;
		before = unetdev_check_count(NULL);
		CHECK(mtu_without_rtnl(s->dev, (int)s->dev->mtu) == 0); /* same MTU: no change */
		illegal_end(NULL, before, "dev_set_mtu without rtnl");
		return true;
	case OP_ALLMULTI_NO_RTNL:
		if (!registered(s))
			return false;
		before = unetdev_check_count(NULL);
		CHECK(allmulti_without_rtnl(s->dev) == 0); /* no change */
		illegal_end(NULL, before, "dev_set_allmulti without rtnl");
		return true;
	case OP_RTNL_TWICE:
		before = unetdev_check_count("R-SYNC-14");
		rtnl_lock();
		relock_rtnl();
		illegal_end("R-SYNC-14", before, "rtnl_lock twice");
		rtnl_unlock();
		CHECK(!rtnl_held_by_me()); /* rtnl_is_locked(): linkwatch may hold it */
		return true;
	case OP_LONG_NAME:
		before = unetdev_check_count("R-ALLOC-2");
		CHECK(!unetdev_testdrv_alloc("fz0123456789abcd", 1));
		illegal_end("R-ALLOC-2", before, "a name of IFNAMSIZ bytes");
		return true;
	default:
		return false;
	}
}

static void cleanup(void)
{
	unsigned long before = legal_begin();
	struct unetdev_live live;

	for (int i = 0; i < NDEV; i++) {
		struct slot *s = &slots[i];

		for (; s->holds; s->holds--)
			dev_put(s->dev);
		if (registered(s))
			op_unregister(s);
		if (s->dev)
			free_netdev(s->dev);
		memset(s, 0, sizeof(*s));
	}
	legal_end(before, "cleanup");
	unetdev_live_objects(&live);
	if (live.netdevs || live.skbs || live.napis) {
		fprintf(stderr, "api_fuzz: alive: %ld devices, %ld skbs, %ld napis\n", live.netdevs,
			live.skbs, live.napis);
		abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static bool init;

	if (!init) {
		init = true;
		unetdev_log_set_level(0);
		unetdev_check_set_mode(UNETDEV_CHECK_WARN);
		unetdev_check_quiet(true);
		verbose = getenv("API_FUZZ_VERBOSE");
	}
	for (size_t i = 0; i + 1 < size && i < 512; i += 2) {
		enum op op = (enum op)((data[i] & 31) % OP_NR);
		struct slot *s = &slots[(data[i] >> 5) % NDEV];
		unsigned long before = legal_begin();

		if (legal(op, s, data[i + 1])) {
			legal_end(before, "call");
			if (verbose)
				fprintf(stderr, "api_fuzz: op %d on %s: legal\n", op,
					s->dev ? s->dev->name : "-");
		} else if (s->dev || op == OP_RTNL_TWICE || op == OP_LONG_NAME) {
			illegal(op, s);
		}
	}
	cleanup();
	return 0;
}
