// SPDX-License-Identifier: MIT
/*
 * print.c - links as iproute2 6.1 prints them (ip/ipaddress.c:
 * print_linkinfo, print_link_flags, print_link_stats64; -j keys as json_print).
 */
#include <inttypes.h>
#include <linux/if.h>
#include <net/if_arp.h>
#include <stdlib.h>
#include <string.h>

#include "unet.h"

static const char *const oper_states[] = {"UNKNOWN", "NOTPRESENT", "DOWN", "LOWERLAYERDOWN",
					  "TESTING", "DORMANT",	   "UP"};
static const char *const link_modes[] = {"DEFAULT", "DORMANT", "TESTING"};

static const struct {
	unsigned int flag;
	const char *name;
} flag_names[] = {
    {IFF_LOOPBACK, "LOOPBACK"},	  {IFF_BROADCAST, "BROADCAST"},	  {IFF_POINTOPOINT, "POINTOPOINT"},
    {IFF_MULTICAST, "MULTICAST"}, {IFF_NOARP, "NOARP"},		  {IFF_ALLMULTI, "ALLMULTI"},
    {IFF_PROMISC, "PROMISC"},	  {IFF_MASTER, "MASTER"},	  {IFF_SLAVE, "SLAVE"},
    {IFF_DEBUG, "DEBUG"},	  {IFF_DYNAMIC, "DYNAMIC"},	  {IFF_AUTOMEDIA, "AUTOMEDIA"},
    {IFF_PORTSEL, "PORTSEL"},	  {IFF_NOTRAILERS, "NOTRAILERS"}, {IFF_UP, "UP"},
    {IFF_LOWER_UP, "LOWER_UP"},	  {IFF_DORMANT, "DORMANT"},	  {IFF_ECHO, "ECHO"},
};

/* ---- the link table ---- */

static int attr_cb(const struct nlattr *a, void *data)
{
	const struct nlattr **tb = data;

	if (mnl_attr_get_type(a) <= IFLA_MAX)
		tb[mnl_attr_get_type(a)] = a;
	return MNL_CB_OK;
}

int unet_links_add(struct unet_links *l, const struct nlmsghdr *nlh)
{
	const struct ifinfomsg *ifi = mnl_nlmsg_get_payload(nlh);
	struct unet_link *k;

	if (nlh->nlmsg_len < MNL_NLMSG_HDRLEN + sizeof(*ifi))
		return 0;
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 16;
		struct unet_link *v = realloc(l->v, cap * sizeof(*v));

		if (!v)
			return -1;
		l->v = v, l->cap = cap;
	}
	k = &l->v[l->n];
	memset(k, 0, sizeof(*k));
	k->nlh = malloc(nlh->nlmsg_len);
	if (!k->nlh)
		return -1;
	memcpy(k->nlh, nlh, nlh->nlmsg_len);
	ifi = mnl_nlmsg_get_payload(k->nlh);
	k->ifindex = ifi->ifi_index;
	k->type = ifi->ifi_type;
	k->flags = ifi->ifi_flags;
	mnl_attr_parse(k->nlh, sizeof(*ifi), attr_cb, k->tb);
	l->n++;
	return 0;
}

void unet_links_free(struct unet_links *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->v[i].nlh);
	free(l->v);
	memset(l, 0, sizeof(*l));
}

const struct unet_link *unet_links_find(const struct unet_links *l, int ifindex)
{
	for (size_t i = 0; i < l->n; i++)
		if (l->v[i].ifindex == ifindex)
			return &l->v[i];
	return NULL;
}

const struct unet_link *unet_links_by_name(const struct unet_links *l, const char *name)
{
	for (size_t i = 0; i < l->n; i++)
		if (l->v[i].tb[IFLA_IFNAME] &&
		    !strcmp(mnl_attr_get_str(l->v[i].tb[IFLA_IFNAME]), name))
			return &l->v[i];
	return NULL;
}

/* ---- pieces ---- */

static const char *str_attr(const struct unet_link *k, int type)
{
	return k->tb[type] ? mnl_attr_get_str(k->tb[type]) : "";
}

static unsigned int u32_attr(const struct unet_link *k, int type)
{
	return k->tb[type] ? mnl_attr_get_u32(k->tb[type]) : 0;
}

static const char *ll_type(unsigned short type, char *buf, size_t len)
{
	switch (type) {
	case ARPHRD_ETHER:
		return "ether";
	case ARPHRD_LOOPBACK:
		return "loopback";
	case ARPHRD_NONE:
		return "none";
	case ARPHRD_VOID:
		return "void";
	default:
		snprintf(buf, len, "[%u]", type);
		return buf;
	}
}

static const char *ll_addr(const struct nlattr *a, char *buf, size_t len)
{
	const unsigned char *p = mnl_attr_get_payload(a);
	size_t n = mnl_attr_get_payload_len(a), off = 0;

	buf[0] = 0;
	for (size_t i = 0; i < n && off + 4 < len; i++)
		off += (size_t)snprintf(buf + off, len - off, i ? ":%02x" : "%02x", p[i]);
	return buf;
}

static const char *oper_name(const struct unet_link *k, char *buf, size_t len)
{
	unsigned int s = k->tb[IFLA_OPERSTATE] ? mnl_attr_get_u8(k->tb[IFLA_OPERSTATE]) : 0;

	if (s < sizeof(oper_states) / sizeof(oper_states[0]))
		return oper_states[s];
	snprintf(buf, len, "%u", s);
	return buf;
}

static const char *group_name(const struct unet_link *k, char *buf, size_t len)
{
	unsigned int g = u32_attr(k, IFLA_GROUP);

	if (!g)
		return "default";
	snprintf(buf, len, "%u", g);
	return buf;
}

/* The "@peer" part: NULL without IFLA_LINK; M-DOWN when the peer is down. */
static const char *link_peer(const struct unet_link *k, const struct unet_links *all, bool *mdown,
			     char *buf, size_t len)
{
	const struct unet_link *p;
	unsigned int iflink;

	*mdown = false;
	if (!k->tb[IFLA_LINK])
		return NULL;
	iflink = mnl_attr_get_u32(k->tb[IFLA_LINK]);
	if (!iflink)
		return "NONE";
	p = unet_links_find(all, (int)iflink);
	if (!p) {
		snprintf(buf, len, "if%u", iflink);
		return buf;
	}
	*mdown = !(p->flags & IFF_UP);
	return str_attr(p, IFLA_IFNAME);
}

/* "master NAME": the name of IFLA_MASTER's link, "if%u" when it is not in @all. */
static const char *master_name(const struct unet_link *k, const struct unet_links *all, char *buf,
			       size_t len)
{
	const struct unet_link *m;
	unsigned int idx;

	if (!k->tb[IFLA_MASTER])
		return NULL;
	idx = mnl_attr_get_u32(k->tb[IFLA_MASTER]);
	m = all ? unet_links_find(all, (int)idx) : NULL;
	if (m && m->tb[IFLA_IFNAME])
		return mnl_attr_get_str(m->tb[IFLA_IFNAME]);
	snprintf(buf, len, "if%u", idx);
	return buf;
}

/* The flag names in order; "NO-CARRIER" first, "M-DOWN" last. Returns the count. */
static int flag_list(unsigned int flags, bool mdown, const char **names, char *hex, size_t len)
{
	int n = 0;

	if ((flags & IFF_UP) && !(flags & IFF_RUNNING))
		names[n++] = "NO-CARRIER";
	flags &= ~IFF_RUNNING;
	for (size_t i = 0; i < sizeof(flag_names) / sizeof(flag_names[0]); i++) {
		if (flags & flag_names[i].flag) {
			flags &= ~flag_names[i].flag;
			names[n++] = flag_names[i].name;
		}
	}
	if (flags) {
		snprintf(hex, len, "%x", flags);
		names[n++] = hex;
	}
	if (mdown)
		names[n++] = "M-DOWN";
	return n;
}

/* ---- statistics (print_link_stats64, one -s) ---- */

static void size_columns(unsigned int *cols, unsigned int n, const uint64_t *v)
{
	char buf[32];

	for (unsigned int i = 0; i < n; i++) {
		unsigned int w = (unsigned int)snprintf(buf, sizeof(buf), "%" PRIu64, v[i]);

		if (w > cols[i])
			cols[i] = w;
	}
}

static void print_num_row(FILE *f, const unsigned int *cols, const uint64_t *v, unsigned int n)
{
	fprintf(f, "    ");
	for (unsigned int i = 0; i < n; i++)
		fprintf(f, "%*" PRIu64 " ", (int)cols[i], v[i]);
	fprintf(f, "\n");
}

/* -s -s: "RX errors:" under the RX lines (iproute2 6.1 print_stats64). */
static void print_rx_errors(FILE *f, const unsigned int *cols, const uint64_t *rxe)
{
	fprintf(f, "    RX errors:%*s %*s %*s %*s %*s %*s%*s%*s\n", (int)cols[0] - 10, "",
		(int)cols[1], "length", (int)cols[2], "crc", (int)cols[3], "frame", (int)cols[4],
		"fifo", (int)cols[5], "overrun", rxe[6] ? (int)cols[6] + 1 : 0,
		rxe[6] ? " nohandler" : "", rxe[7] ? (int)cols[7] + 1 : 0,
		rxe[7] ? " otherhost" : "");
	fprintf(f, "%*s", (int)cols[0] + 5, "");
	for (unsigned int i = 1; i < 8; i++)
		if (i < 6 || rxe[i])
			fprintf(f, "%*" PRIu64 " ", (int)cols[i], rxe[i]);
	fprintf(f, "\n");
}

/* -s -s: "TX errors:"; transns (carrier changes) only when the link reports them. */
static void print_tx_errors(FILE *f, const unsigned int *cols, const uint64_t *txe, bool cc)
{
	fprintf(f, "    TX errors:%*s %*s %*s %*s %*s %*s\n", (int)cols[0] - 10, "", (int)cols[1],
		"aborted", (int)cols[2], "fifo", (int)cols[3], "window", (int)cols[4], "heartbt",
		(int)cols[5], cc ? "transns" : "");
	fprintf(f, "%*s", (int)cols[0] + 5, "");
	for (unsigned int i = 1; i < (cc ? 6u : 5u); i++)
		fprintf(f, "%*" PRIu64 " ", (int)cols[i], txe[i]);
	fprintf(f, "\n");
}

/* @cc: IFLA_CARRIER_CHANGES, or NULL. */
static void print_stats(FILE *f, const struct uapi_rtnl_link_stats64 *s, const struct nlattr *cc)
{
	unsigned int cols[] = {10, 7, 6, 7, 7, 7, 10, 9};
	uint64_t rx[] = {s->rx_bytes,	      s->rx_packets, s->rx_errors,    s->rx_dropped,
			 s->rx_missed_errors, s->multicast,  s->rx_compressed};
	uint64_t tx[] = {s->tx_bytes,	       s->tx_packets, s->tx_errors,    s->tx_dropped,
			 s->tx_carrier_errors, s->collisions, s->tx_compressed};
	uint64_t rxe[] = {0,
			  s->rx_length_errors,
			  s->rx_crc_errors,
			  s->rx_frame_errors,
			  s->rx_fifo_errors,
			  s->rx_over_errors,
			  s->rx_nohandler,
			  s->rx_otherhost_dropped};
	uint64_t txe[] = {0,
			  s->tx_aborted_errors,
			  s->tx_fifo_errors,
			  s->tx_window_errors,
			  s->tx_heartbeat_errors,
			  cc ? mnl_attr_get_u32(cc) : 0};
	bool errs = unet_opts.stats > 1;

	size_columns(cols, 7, rx);
	if (errs)
		size_columns(cols, 8, rxe);
	size_columns(cols, 7, tx);
	if (errs)
		size_columns(cols, 6, txe);
	fprintf(f, "    RX: %*s %*s %*s %*s %*s %*s %*s\n", (int)cols[0] - 4, "bytes", (int)cols[1],
		"packets", (int)cols[2], "errors", (int)cols[3], "dropped", (int)cols[4], "missed",
		(int)cols[5], "mcast", (int)cols[6], s->rx_compressed ? "compressed" : "");
	print_num_row(f, cols, rx, s->rx_compressed ? 7 : 6);
	if (errs)
		print_rx_errors(f, cols, rxe);
	fprintf(f, "    TX: %*s %*s %*s %*s %*s %*s %*s\n", (int)cols[0] - 4, "bytes", (int)cols[1],
		"packets", (int)cols[2], "errors", (int)cols[3], "dropped", (int)cols[4], "carrier",
		(int)cols[5], "collsns", (int)cols[6], s->tx_compressed ? "compressed" : "");
	print_num_row(f, cols, tx, s->tx_compressed ? 7 : 6);
	if (errs)
		print_tx_errors(f, cols, txe, cc != NULL);
}

static bool get_stats(const struct unet_link *k, struct uapi_rtnl_link_stats64 *s)
{
	const struct nlattr *a = k->tb[IFLA_STATS64];

	memset(s, 0, sizeof(*s));
	if (!a)
		return false;
	memcpy(s, mnl_attr_get_payload(a),
	       mnl_attr_get_payload_len(a) < sizeof(*s) ? mnl_attr_get_payload_len(a) : sizeof(*s));
	return true;
}

/* ---- text ---- */

void unet_print_link(FILE *f, const struct unet_link *k, const struct unet_links *all, bool monitor,
		     bool deleted)
{
	char b1[64], b2[128], hex[16];
	const char *names[32], *peer;
	struct uapi_rtnl_link_stats64 st;
	bool mdown;
	int n;

	peer = link_peer(k, all, &mdown, b1, sizeof(b1));
	fprintf(f, "%s%d: %s%s%s: <", deleted ? "Deleted " : "", k->ifindex,
		str_attr(k, IFLA_IFNAME), peer ? "@" : "", peer ? peer : "");
	n = flag_list(k->flags, mdown, names, hex, sizeof(hex));
	for (int i = 0; i < n; i++)
		fprintf(f, "%s%s", i ? "," : "", names[i]);
	fprintf(f, "> ");
	if (k->tb[IFLA_MTU])
		fprintf(f, "mtu %u ", u32_attr(k, IFLA_MTU));
	if (k->tb[IFLA_QDISC])
		fprintf(f, "qdisc %s ", str_attr(k, IFLA_QDISC));
	if (k->tb[IFLA_MASTER])
		fprintf(f, "master %s ", master_name(k, all, b1, sizeof(b1)));
	if (k->tb[IFLA_OPERSTATE])
		fprintf(f, "state %s ", oper_name(k, b1, sizeof(b1)));
	if (!monitor && k->tb[IFLA_LINKMODE]) {
		unsigned int m = mnl_attr_get_u8(k->tb[IFLA_LINKMODE]);

		fprintf(f, "mode %s ", m < 3 ? link_modes[m] : "UNKNOWN");
	}
	if (k->tb[IFLA_GROUP])
		fprintf(f, "group %s ", group_name(k, b1, sizeof(b1)));
	if (!monitor && u32_attr(k, IFLA_TXQLEN))
		fprintf(f, "qlen %u", u32_attr(k, IFLA_TXQLEN));
	fprintf(f, "\n    link/%s ", ll_type(k->type, b1, sizeof(b1)));
	if (k->tb[IFLA_ADDRESS])
		fprintf(f, "%s", ll_addr(k->tb[IFLA_ADDRESS], b2, sizeof(b2)));
	if (k->tb[IFLA_BROADCAST])
		fprintf(f, "%s%s", k->flags & IFF_POINTOPOINT ? " peer " : " brd ",
			ll_addr(k->tb[IFLA_BROADCAST], b2, sizeof(b2)));
	fprintf(f, "\n");
	if (!monitor && unet_opts.stats && get_stats(k, &st))
		print_stats(f, &st, k->tb[IFLA_CARRIER_CHANGES]);
}

/* ---- JSON ---- */

static void json_str(FILE *f, const char *key, const char *v)
{
	fprintf(f, ",\"%s\":\"", key);
	for (; *v; v++) {
		if (*v == '"' || *v == '\\')
			fprintf(f, "\\%c", *v);
		else if ((unsigned char)*v < 0x20)
			fprintf(f, "\\u%04x", (unsigned char)*v);
		else
			fputc(*v, f);
	}
	fputc('"', f);
}

/* -s -s: the error counters (iproute2 6.1 print_stats64, JSON). */
static void json_rx_errors(FILE *f, const struct uapi_rtnl_link_stats64 *s)
{
	fprintf(f,
		",\"length_errors\":%llu,\"crc_errors\":%llu,\"frame_errors\":%llu,"
		"\"fifo_errors\":%llu,\"missed_errors\":%llu",
		s->rx_length_errors, s->rx_crc_errors, s->rx_frame_errors, s->rx_fifo_errors,
		s->rx_missed_errors);
	if (s->rx_nohandler)
		fprintf(f, ",\"nohandler\":%llu", s->rx_nohandler);
	if (s->rx_otherhost_dropped)
		fprintf(f, ",\"otherhost\":%llu", s->rx_otherhost_dropped);
}

static void json_tx_errors(FILE *f, const struct uapi_rtnl_link_stats64 *s, const struct nlattr *cc)
{
	fprintf(f,
		",\"aborted_errors\":%llu,\"fifo_errors\":%llu,\"window_errors\":%llu,"
		"\"heartbeat_errors\":%llu",
		s->tx_aborted_errors, s->tx_fifo_errors, s->tx_window_errors,
		s->tx_heartbeat_errors);
	if (cc)
		fprintf(f, ",\"carrier_changes\":%u", mnl_attr_get_u32(cc));
}

static void json_stats(FILE *f, const struct uapi_rtnl_link_stats64 *s, const struct nlattr *cc)
{
	fprintf(f,
		",\"stats64\":{\"rx\":{\"bytes\":%llu,\"packets\":%llu,\"errors\":%llu,"
		"\"dropped\":%llu,\"over_errors\":%llu,\"multicast\":%llu",
		s->rx_bytes, s->rx_packets, s->rx_errors, s->rx_dropped, s->rx_over_errors,
		s->multicast);
	if (s->rx_compressed)
		fprintf(f, ",\"compressed\":%llu", s->rx_compressed);
	if (unet_opts.stats > 1)
		json_rx_errors(f, s);
	fprintf(f,
		"},\"tx\":{\"bytes\":%llu,\"packets\":%llu,\"errors\":%llu,\"dropped\":%llu,"
		"\"carrier_errors\":%llu,\"collisions\":%llu",
		s->tx_bytes, s->tx_packets, s->tx_errors, s->tx_dropped, s->tx_carrier_errors,
		s->collisions);
	if (s->tx_compressed)
		fprintf(f, ",\"compressed\":%llu", s->tx_compressed);
	if (unet_opts.stats > 1)
		json_tx_errors(f, s, cc);
	fprintf(f, "}}");
}

void unet_print_link_json(FILE *f, const struct unet_link *k, const struct unet_links *all)
{
	unet_print_link_json_ex(f, k, all, false, false);
}

void unet_print_link_json_ex(FILE *f, const struct unet_link *k, const struct unet_links *all,
			     bool monitor, bool deleted)
{
	char b1[64], b2[128], hex[16];
	const char *names[32], *peer;
	struct uapi_rtnl_link_stats64 st;
	bool mdown;
	int n;

	fprintf(f, "{%s\"ifindex\":%d", deleted ? "\"deleted\":true," : "", k->ifindex);
	peer = link_peer(k, all, &mdown, b1, sizeof(b1));
	if (peer && !strcmp(peer, "NONE") && !u32_attr(k, IFLA_LINK))
		fprintf(f, ",\"link\":null");
	else if (peer)
		json_str(f, "link", peer);
	json_str(f, "ifname", str_attr(k, IFLA_IFNAME));
	fprintf(f, ",\"flags\":[");
	n = flag_list(k->flags, mdown, names, hex, sizeof(hex));
	for (int i = 0; i < n; i++)
		fprintf(f, "%s\"%s\"", i ? "," : "", names[i]);
	fprintf(f, "]");
	if (k->tb[IFLA_MTU])
		fprintf(f, ",\"mtu\":%u", u32_attr(k, IFLA_MTU));
	if (k->tb[IFLA_QDISC])
		json_str(f, "qdisc", str_attr(k, IFLA_QDISC));
	if (k->tb[IFLA_MASTER])
		json_str(f, "master", master_name(k, all, b1, sizeof(b1)));
	if (k->tb[IFLA_OPERSTATE])
		json_str(f, "operstate", oper_name(k, b1, sizeof(b1)));
	if (!monitor && k->tb[IFLA_LINKMODE]) {
		unsigned int m = mnl_attr_get_u8(k->tb[IFLA_LINKMODE]);

		json_str(f, "linkmode", m < 3 ? link_modes[m] : "UNKNOWN");
	}
	if (k->tb[IFLA_GROUP])
		json_str(f, "group", group_name(k, b1, sizeof(b1)));
	if (!monitor && u32_attr(k, IFLA_TXQLEN))
		fprintf(f, ",\"txqlen\":%u", u32_attr(k, IFLA_TXQLEN));
	json_str(f, "link_type", ll_type(k->type, b1, sizeof(b1)));
	if (k->tb[IFLA_ADDRESS])
		json_str(f, "address", ll_addr(k->tb[IFLA_ADDRESS], b2, sizeof(b2)));
	if (k->tb[IFLA_BROADCAST])
		json_str(f, "broadcast", ll_addr(k->tb[IFLA_BROADCAST], b2, sizeof(b2)));
	if (!monitor && unet_opts.stats && get_stats(k, &st))
		json_stats(f, &st, k->tb[IFLA_CARRIER_CHANGES]);
	fprintf(f, "}");
}
