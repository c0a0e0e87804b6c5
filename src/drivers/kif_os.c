// SPDX-License-Identifier: MIT
/*
 * kif_os.c - the system calls of the tap and af_packet drivers (see
 * kif_os.h). Linux's headers only. References: Documentation/networking/
 * tuntap.rst (TUNSETIFF, IFF_MULTI_QUEUE, TUNSETOFFLOAD),
 * packet_mmap.rst (TPACKET_V3 block ring), rtnetlink(7).
 */
#define _GNU_SOURCE /* sendmmsg */
#include <errno.h>
#include <fcntl.h>
#include <linux/if_packet.h>
#include <linux/if_tun.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <arpa/inet.h>
#include <net/ethernet.h>
#include <net/if_arp.h>
#include <net/if.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <unistd.h>

/* From <unetdev/unetdev.h>, which clashes with the Linux uapi headers used here. */
const char *unetdev_strerror(int err);

#include "kif_os.h"

#ifndef TUN_F_USO4
#define TUN_F_USO4 0x20
#define TUN_F_USO6 0x40
#endif
#ifndef PACKET_IGNORE_OUTGOING
#define PACKET_IGNORE_OUTGOING 23
#endif

__attribute__((format(printf, 3, 4))) static int kif_fail(struct kif_err *e, int err,
							  const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	// NOLINTNEXTLINE(clang-analyzer-valist.Uninitialized): va_start is above
	n = vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
	va_end(ap);
	if (n >= 0 && (size_t)n < sizeof(e->msg))
		snprintf(e->msg + n, sizeof(e->msg) - (size_t)n, ": %s", unetdev_strerror(err));
	return err;
}

/* ---- interface lookup ---- */

static int kif_ioctl(int s, unsigned long req, struct ifreq *ifr)
{
	return ioctl(s, req, ifr) < 0 ? -errno : 0;
}

int kif_os_link_get(const char *ifname, struct kif_linkinfo *li, struct kif_err *e)
{
	struct ifreq ifr;
	int s, err;

	if (!ifname || !*ifname || strlen(ifname) >= IFNAMSIZ)
		return kif_fail(e, -EINVAL, "interface name \"%s\" is empty or too long",
				ifname ? ifname : "(null)");
	s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (s < 0)
		return kif_fail(e, -errno, "%s: socket(AF_INET)", ifname);
	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", ifname);
	err = kif_ioctl(s, SIOCGIFINDEX, &ifr);
	if (err) {
		close(s);
		if (err == -ENODEV)
			return kif_fail(e, err, "kernel interface %s does not exist", ifname);
		return kif_fail(e, err, "%s: SIOCGIFINDEX", ifname);
	}
	li->ifindex = ifr.ifr_ifindex;
	err = kif_ioctl(s, SIOCGIFFLAGS, &ifr);
	if (!err) {
		li->up = ifr.ifr_flags & IFF_UP;
		li->running = ifr.ifr_flags & IFF_RUNNING;
		err = kif_ioctl(s, SIOCGIFMTU, &ifr);
	}
	if (!err) {
		li->mtu = (unsigned int)ifr.ifr_mtu;
		err = kif_ioctl(s, SIOCGIFHWADDR, &ifr);
	}
	close(s);
	if (err)
		return kif_fail(e, err, "%s: SIOCGIF*", ifname);
	li->type = ifr.ifr_hwaddr.sa_family;
	memcpy(li->mac, ifr.ifr_hwaddr.sa_data, 6);
	return 0;
}

int kif_os_link_by_index(int ifindex, struct kif_linkinfo *li, struct kif_err *e)
{
	char name[IF_NAMESIZE];

	if (!if_indextoname((unsigned int)ifindex, name))
		return kif_fail(e, -ENODEV, "kernel interface %d is gone", ifindex);
	return kif_os_link_get(name, li, e);
}

int kif_os_link_check_ether(const char *ifname, const struct kif_linkinfo *li, struct kif_err *e)
{
	if (li->type != ARPHRD_ETHER)
		return kif_fail(e, -EPROTONOSUPPORT, "%s is not an Ethernet interface (type %u)",
				ifname, li->type);
	return 0;
}

/* ---- TAP ---- */

/* TUNSETOFFLOAD: what the kernel may hand us; USO needs 6.2, so retry without. */
static unsigned int kif_tap_offload(int fd)
{
	unsigned int off = TUN_F_CSUM | TUN_F_TSO4 | TUN_F_TSO6 | TUN_F_TSO_ECN;

	if (ioctl(fd, TUNSETOFFLOAD, (unsigned long)(off | TUN_F_USO4 | TUN_F_USO6)) == 0)
		return off | TUN_F_USO4 | TUN_F_USO6;
	if (ioctl(fd, TUNSETOFFLOAD, (unsigned long)off) == 0)
		return off;
	return 0;
}

static int kif_tap_queue(const struct kif_tap_req *r, const char *name, char out[KIF_NAMSIZ],
			 struct kif_err *e)
{
	struct ifreq ifr;
	int fd, err;

	fd = open("/dev/net/tun", O_RDWR | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return kif_fail(e, -errno, "open /dev/net/tun");
	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, IFNAMSIZ, "%s", name);
	ifr.ifr_flags = IFF_TAP | IFF_NO_PI;
	if (r->vnet_hdr)
		ifr.ifr_flags |= IFF_VNET_HDR;
	if (r->queues > 1)
		ifr.ifr_flags |= IFF_MULTI_QUEUE;
	if (ioctl(fd, TUNSETIFF, &ifr) < 0) {
		err = -errno;
		close(fd);
		if (err == -EPERM)
			return kif_fail(e, err, "TUNSETIFF %s (needs CAP_NET_ADMIN)", name);
		return kif_fail(e, err, "TUNSETIFF %s (an existing device with other flags?)",
				name);
	}
	memcpy(out, ifr.ifr_name, KIF_NAMSIZ);
	out[KIF_NAMSIZ - 1] = 0;
	return fd;
}

int kif_os_tap_open(const struct kif_tap_req *r, int *fds, char name[KIF_NAMSIZ],
		    unsigned int *offloads, struct kif_err *e)
{
	unsigned int i;
	int fd;

	if (r->queues < 1 || r->queues > KIF_MAX_QUEUES)
		return kif_fail(e, -EINVAL, "%u TAP queues (1..%d)", r->queues, KIF_MAX_QUEUES);
	for (i = 0; i < r->queues; i++) {
		fd = kif_tap_queue(r, i ? name : r->ifname, name, e);
		if (fd < 0)
			goto fail;
		fds[i] = fd;
	}
	*offloads = r->vnet_hdr ? kif_tap_offload(fds[0]) : 0;
	for (i = 1; i < r->queues && r->vnet_hdr; i++)
		kif_tap_offload(fds[i]);
	/* Only ever set: clearing it would take away a device someone else made persistent. */
	if (r->persist && ioctl(fds[0], TUNSETPERSIST, 1UL) < 0) {
		fd = kif_fail(e, -errno, "TUNSETPERSIST %s", name);
		goto fail;
	}
	return 0;
fail:
	kif_os_tap_close(fds, i);
	return fd;
}

void kif_os_tap_close(int *fds, unsigned int n)
{
	for (unsigned int i = 0; i < n; i++) {
		if (fds[i] >= 0)
			close(fds[i]);
		fds[i] = -1;
	}
}

/* ---- AF_PACKET ---- */

/* The TX ring's geometry: one frame per slot, slots packed into page-multiple blocks. */
static void kif_txring_geometry(const struct kif_packet_req *r, struct kif_txring *t,
				struct tpacket_req3 *req)
{
	long page = sysconf(_SC_PAGESIZE);
	unsigned int fsz = TPACKET_ALIGN(r->tx_frame_size);
	unsigned int bsz = (fsz + (unsigned int)page - 1) / (unsigned int)page * (unsigned int)page;

	t->frame_size = fsz;
	t->block_size = bsz;
	t->frames_per_block = bsz / fsz;
	t->frame_nr =
	    (r->tx_frame_nr + t->frames_per_block - 1) / t->frames_per_block * t->frames_per_block;
	t->max_len = fsz - (unsigned int)TPACKET_ALIGN(sizeof(struct tpacket3_hdr));
	memset(req, 0, sizeof(*req));
	req->tp_block_size = bsz;
	req->tp_block_nr = t->frame_nr / t->frames_per_block;
	req->tp_frame_size = fsz;
	req->tp_frame_nr = t->frame_nr;
}

/* The RX ring (TPACKET_V3 blocks) of the receiving socket. */
static int kif_packet_rx_ring(int fd, const struct kif_packet_req *r, struct kif_ring *ring,
			      struct kif_err *e)
{
	struct tpacket_req3 req = {
	    .tp_block_size = r->block_size,
	    .tp_block_nr = r->block_nr,
	    .tp_frame_size = r->frame_size,
	    .tp_frame_nr = (unsigned int)((size_t)r->block_size * r->block_nr / r->frame_size),
	    .tp_retire_blk_tov = r->timeout_ms,
	};
	int v = TPACKET_V3;

	if (setsockopt(fd, SOL_PACKET, PACKET_VERSION, &v, sizeof(v)) < 0)
		return kif_fail(e, -errno, "PACKET_VERSION TPACKET_V3");
	if (setsockopt(fd, SOL_PACKET, PACKET_RX_RING, &req, sizeof(req)) < 0)
		return kif_fail(e, -errno, "PACKET_RX_RING %u blocks of %u bytes", r->block_nr,
				r->block_size);
	ring->map_len = (size_t)r->block_size * r->block_nr;
	ring->map =
	    mmap(NULL, ring->map_len, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE, fd, 0);
	if (ring->map == MAP_FAILED) {
		ring->map = NULL;
		return kif_fail(e, -errno, "mmap of the RX ring (%zu bytes)", ring->map_len);
	}
	ring->block_size = r->block_size;
	ring->block_nr = r->block_nr;
	ring->cur = 0;
	ring->left = 0;
	ring->in_block = false;
	ring->vnet_hdr = r->vnet_hdr;
	return 0;
}

/* The TX ring of the transmitting socket, when asked for. */
static int kif_packet_tx_ring(int fd, const struct kif_packet_req *r, struct kif_txring *tx,
			      struct kif_err *e)
{
	struct tpacket_req3 treq;
	int v = TPACKET_V3;
	void *map;

	if (!r->tx_frame_nr)
		return 0;
	if (setsockopt(fd, SOL_PACKET, PACKET_VERSION, &v, sizeof(v)) < 0)
		return kif_fail(e, -errno, "PACKET_VERSION TPACKET_V3");
	kif_txring_geometry(r, tx, &treq);
	if (setsockopt(fd, SOL_PACKET, PACKET_TX_RING, &treq, sizeof(treq)) < 0)
		return kif_fail(e, -errno, "PACKET_TX_RING %u slots of %u bytes", treq.tp_frame_nr,
				treq.tp_frame_size);
	tx->map_len = (size_t)treq.tp_block_size * treq.tp_block_nr;
	map = mmap(NULL, tx->map_len, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE, fd, 0);
	if (map == MAP_FAILED)
		return kif_fail(e, -errno, "mmap of the TX ring (%zu bytes)", tx->map_len);
	tx->map = map;
	return 0;
}

/* Options of the receiving socket. Before the ring exists (EBUSY after). */
static int kif_packet_rx_opts(int fd, const struct kif_packet_req *r, struct kif_err *e)
{
	int one = 1;

	/* Frames the TX socket sends would come back as PACKET_OUTGOING: not wanted. */
	(void)setsockopt(fd, SOL_PACKET, PACKET_IGNORE_OUTGOING, &one, sizeof(one));
	if (r->vnet_hdr && setsockopt(fd, SOL_PACKET, PACKET_VNET_HDR, &one, sizeof(one)) < 0)
		return kif_fail(e, -errno, "PACKET_VNET_HDR");
	return 0;
}

/* Options of the transmitting socket. Before the ring exists (EBUSY after). */
static int kif_packet_tx_opts(int fd, const struct kif_packet_req *r, struct kif_err *e)
{
	int one = 1;

	if (r->vnet_hdr && setsockopt(fd, SOL_PACKET, PACKET_VNET_HDR, &one, sizeof(one)) < 0)
		return kif_fail(e, -errno, "PACKET_VNET_HDR");
	/* A slot the kernel refuses is marked AVAILABLE and skipped, not left WRONG_FORMAT
	 * with the kernel's ring head stuck on it. */
	if (r->tx_frame_nr && setsockopt(fd, SOL_PACKET, PACKET_LOSS, &one, sizeof(one)) < 0)
		return kif_fail(e, -errno, "PACKET_LOSS");
	if (r->sndbuf && setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &r->sndbuf, sizeof(r->sndbuf)) < 0)
		return kif_fail(e, -errno, "SO_SNDBUF %u", r->sndbuf);
	if (r->qdisc_bypass &&
	    setsockopt(fd, SOL_PACKET, PACKET_QDISC_BYPASS, &one, sizeof(one)) < 0)
		return kif_fail(e, -errno, "PACKET_QDISC_BYPASS");
	return 0;
}

/* Bind to the interface: ETH_P_ALL (and the fanout group) to receive, protocol 0 to only send. */
static int kif_packet_bind(int fd, const struct kif_packet_req *r, bool rx, struct kif_err *e)
{
	struct sockaddr_ll sll = {
	    .sll_family = AF_PACKET,
	    .sll_protocol = rx ? htons(ETH_P_ALL) : 0,
	    .sll_ifindex = r->ifindex,
	};
	int fanout;

	if (bind(fd, (struct sockaddr *)&sll, sizeof(sll)) < 0)
		return kif_fail(e, -errno, "bind AF_PACKET to ifindex %d", r->ifindex);
	if (!rx || r->fanout_id < 0)
		return 0;
	fanout = (r->fanout_id & 0xffff) | (PACKET_FANOUT_HASH << 16);
	if (setsockopt(fd, SOL_PACKET, PACKET_FANOUT, &fanout, sizeof(fanout)) < 0)
		return kif_fail(e, -errno, "PACKET_FANOUT hash group %d", r->fanout_id & 0xffff);
	return 0;
}

/* Protocol 0 first: nothing is queued before the ring exists; bind sets ETH_P_ALL. */
static int kif_packet_socket(int *fdp, struct kif_err *e)
{
	int err, fd = socket(AF_PACKET, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);

	if (fd >= 0) {
		*fdp = fd;
		return 0;
	}
	err = -errno;
	if (err == -EPERM || err == -EACCES)
		return kif_fail(e, err, "socket(AF_PACKET) (needs CAP_NET_RAW)");
	return kif_fail(e, err, "socket(AF_PACKET)");
}

int kif_os_packet_open(const struct kif_packet_req *r, int *fdp, int *txfdp, struct kif_ring *ring,
		       struct kif_err *e)
{
	int fd = -1, txfd = -1, err;

	memset(ring, 0, sizeof(*ring));
	err = kif_packet_socket(&fd, e);
	if (!err)
		err = kif_packet_rx_opts(fd, r, e);
	if (!err)
		err = kif_packet_rx_ring(fd, r, ring, e);
	if (!err)
		err = kif_packet_bind(fd, r, true, e);
	if (!err)
		err = kif_packet_socket(&txfd, e);
	if (!err)
		err = kif_packet_tx_opts(txfd, r, e);
	if (!err)
		err = kif_packet_tx_ring(txfd, r, &ring->tx, e);
	if (!err)
		err = kif_packet_bind(txfd, r, false, e);
	if (err) {
		kif_os_packet_close(fd, txfd, ring);
		return err;
	}
	*fdp = fd;
	*txfdp = txfd;
	return 0;
}

void kif_os_packet_close(int fd, int txfd, struct kif_ring *ring)
{
	if (ring->map)
		munmap(ring->map, ring->map_len);
	ring->map = NULL;
	if (ring->tx.map)
		munmap(ring->tx.map, ring->tx.map_len);
	ring->tx.map = NULL;
	if (fd >= 0)
		close(fd);
	if (txfd >= 0)
		close(txfd);
}

int kif_os_packet_membership(int fd, int ifindex, enum kif_mr type, const unsigned char *addr,
			     bool add)
{
	static const int types[] = {[KIF_MR_MULTICAST] = PACKET_MR_MULTICAST,
				    [KIF_MR_PROMISC] = PACKET_MR_PROMISC,
				    [KIF_MR_ALLMULTI] = PACKET_MR_ALLMULTI};
	struct packet_mreq mr = {.mr_ifindex = ifindex, .mr_type = (unsigned short)types[type]};

	if (addr) {
		mr.mr_alen = 6;
		memcpy(mr.mr_address, addr, 6);
	}
	if (setsockopt(fd, SOL_PACKET, add ? PACKET_ADD_MEMBERSHIP : PACKET_DROP_MEMBERSHIP, &mr,
		       sizeof(mr)) < 0)
		return -errno;
	return 0;
}

long kif_os_packet_send(int fd, const void *buf, size_t len)
{
	ssize_t n = send(fd, buf, len, MSG_DONTWAIT);

	return n < 0 ? -errno : n;
}

int kif_os_packet_sendmmsg(int fd, void *const *bufs, const unsigned int *lens, unsigned int n,
			   const void *hdrs, unsigned int hdr_len)
{
	struct mmsghdr m[64];
	struct iovec iov[64][2];
	int r;

	if (n > 64)
		n = 64;
	memset(m, 0, sizeof(m[0]) * n);
	for (unsigned int i = 0; i < n; i++) {
		struct iovec *v = iov[i];

		if (hdrs)
			*v++ = (struct iovec){(char *)hdrs + (size_t)i * hdr_len, hdr_len};
		*v = (struct iovec){bufs[i], lens[i]};
		m[i].msg_hdr.msg_iov = iov[i];
		m[i].msg_hdr.msg_iovlen = hdrs ? 2 : 1;
	}
	do
		r = sendmmsg(fd, m, n, MSG_DONTWAIT);
	while (r < 0 && errno == EINTR);
	return r < 0 ? -errno : r;
}

int kif_os_packet_kick(int fd)
{
	ssize_t r;

	do
		r = send(fd, NULL, 0, MSG_DONTWAIT);
	while (r < 0 && errno == EINTR);
	return r < 0 ? -errno : 0;
}

int kif_os_packet_stats(int fd, struct kif_packet_stats *st)
{
	struct tpacket_stats_v3 s3;
	socklen_t len = sizeof(s3);

	memset(st, 0, sizeof(*st));
	if (getsockopt(fd, SOL_PACKET, PACKET_STATISTICS, &s3, &len) < 0)
		return -errno;
	st->packets = s3.tp_packets;
	st->drops = s3.tp_drops;
	st->freezes = s3.tp_freeze_q_cnt;
	return 0;
}

static struct tpacket3_hdr *kif_txslot(const struct kif_txring *t, unsigned int i)
{
	return (struct tpacket3_hdr *)(t->map + (size_t)(i / t->frames_per_block) * t->block_size +
				       (size_t)(i % t->frames_per_block) * t->frame_size);
}

enum kif_tx_state kif_txslot_state(const struct kif_txring *t, unsigned int i)
{
	unsigned int st = __atomic_load_n(&kif_txslot(t, i)->tp_status, __ATOMIC_ACQUIRE);

	if (st & TP_STATUS_SEND_REQUEST)
		return KIF_TX_QUEUED;
	if (st & TP_STATUS_SENDING)
		return KIF_TX_SENDING;
	if (st & TP_STATUS_WRONG_FORMAT)
		return KIF_TX_BAD;
	return KIF_TX_FREE; /* TP_STATUS_AVAILABLE, maybe with timestamp bits */
}

unsigned char *kif_txslot_data(const struct kif_txring *t, unsigned int i)
{
	/* tpacket_parse_header() without PACKET_TX_HAS_OFF: tp_hdrlen - sizeof(sockaddr_ll) */
	return (unsigned char *)kif_txslot(t, i) + TPACKET_ALIGN(sizeof(struct tpacket3_hdr));
}

void kif_txslot_post(const struct kif_txring *t, unsigned int i, unsigned int len)
{
	struct tpacket3_hdr *h = kif_txslot(t, i);

	h->tp_next_offset = 0;
	h->tp_len = len;
	h->tp_snaplen = len;
	__atomic_store_n(&h->tp_status, TP_STATUS_SEND_REQUEST, __ATOMIC_RELEASE);
}

void kif_txslot_cancel(const struct kif_txring *t, unsigned int i)
{
	__atomic_store_n(&kif_txslot(t, i)->tp_status, TP_STATUS_AVAILABLE, __ATOMIC_RELEASE);
}

static struct tpacket_block_desc *kif_block(const struct kif_ring *r, unsigned int i)
{
	return (struct tpacket_block_desc *)(r->map + (size_t)i * r->block_size);
}

bool kif_ring_pending(const struct kif_ring *r)
{
	struct tpacket_block_desc *b = kif_block(r, r->cur);

	return r->in_block ||
	       (__atomic_load_n(&b->hdr.bh1.block_status, __ATOMIC_ACQUIRE) & TP_STATUS_USER);
}

/* Hand the current block back to the kernel and move to the next one. */
static void kif_block_release(struct kif_ring *r)
{
	__atomic_store_n(&kif_block(r, r->cur)->hdr.bh1.block_status, TP_STATUS_KERNEL,
			 __ATOMIC_RELEASE);
	r->cur = (r->cur + 1) % r->block_nr;
	r->in_block = false;
}

bool kif_ring_next(struct kif_ring *r, struct kif_pkt *p)
{
	const struct tpacket3_hdr *h;

	while (!r->left) {
		struct tpacket_block_desc *b;

		if (r->in_block)
			kif_block_release(r);
		b = kif_block(r, r->cur);
		if (!(__atomic_load_n(&b->hdr.bh1.block_status, __ATOMIC_ACQUIRE) & TP_STATUS_USER))
			return false;
		r->in_block = true;
		r->left = b->hdr.bh1.num_pkts;
		r->next = (unsigned char *)b + b->hdr.bh1.offset_to_first_pkt;
	}
	h = (const struct tpacket3_hdr *)r->next;
	p->data = r->next + h->tp_mac;
	/* tpacket_rcv() puts the virtio_net_hdr just before the MAC header. */
	p->vnet = r->vnet_hdr && h->tp_mac >= KIF_VNET_HDR_LEN ? p->data - KIF_VNET_HDR_LEN : NULL;
	p->len = h->tp_len;
	p->snaplen = h->tp_snaplen;
	p->status = h->tp_status;
	p->vlan_tci = (uint16_t)h->hv1.tp_vlan_tci;
	p->vlan_tpid = (uint16_t)h->hv1.tp_vlan_tpid;
	p->pkttype =
	    ((const struct sockaddr_ll *)(r->next + TPACKET_ALIGN(sizeof(*h))))->sll_pkttype;
	r->next += h->tp_next_offset;
	r->left--;
	return true;
}

/* ---- NETLINK_ROUTE ---- */

int kif_os_nl_open(int *fdp, struct kif_err *e)
{
	struct sockaddr_nl sa = {.nl_family = AF_NETLINK, .nl_groups = RTMGRP_LINK};
	int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, NETLINK_ROUTE);

	if (fd < 0)
		return kif_fail(e, -errno, "socket(NETLINK_ROUTE)");
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		int err = -errno;

		close(fd);
		return kif_fail(e, err, "bind NETLINK_ROUTE RTMGRP_LINK");
	}
	*fdp = fd;
	return 0;
}

static int kif_nl_msg(const struct nlmsghdr *nh, int ifindex, struct kif_nl_state *st)
{
	const struct ifinfomsg *ifi = NLMSG_DATA(nh);
	const struct rtattr *rta;
	int len;

	if ((nh->nlmsg_type != RTM_NEWLINK && nh->nlmsg_type != RTM_DELLINK) ||
	    nh->nlmsg_len < NLMSG_LENGTH(sizeof(*ifi)) || ifi->ifi_index != ifindex)
		return 0;
	if (nh->nlmsg_type == RTM_DELLINK)
		return KIF_NL_DEL;
	st->up = ifi->ifi_flags & IFF_UP;
	st->running = ifi->ifi_flags & IFF_RUNNING;
	len = (int)IFLA_PAYLOAD(nh);
	for (rta = IFLA_RTA(ifi); RTA_OK(rta, len); rta = RTA_NEXT(rta, len))
		if (rta->rta_type == IFLA_MTU && RTA_PAYLOAD(rta) >= 4)
			memcpy(&st->mtu, RTA_DATA(rta), 4);
	return KIF_NL_NEW;
}

int kif_os_nl_read(int fd, int ifindex, struct kif_nl_state *st)
{
	char buf[16384] __attribute__((aligned(4)));
	int what = 0;

	for (;;) {
		ssize_t n = recv(fd, buf, sizeof(buf), MSG_DONTWAIT);
		const struct nlmsghdr *nh;
		int len;

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == ENOBUFS) {
			what |= KIF_NL_LOST;
			continue;
		}
		if (n <= 0)
			return what;
		len = (int)n;
		for (nh = (const struct nlmsghdr *)buf; NLMSG_OK(nh, (unsigned int)len);
		     nh = NLMSG_NEXT(nh, len))
			what |= kif_nl_msg(nh, ifindex, st);
	}
}
