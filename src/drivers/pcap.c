// SPDX-License-Identifier: MIT
/*
 * pcap.c - a unetdev Ethernet device whose wire is a pair of capture files
 * (libpcap reads them; docs/backend-pcap.md). One TX and one RX queue.
 *
 *  RX   a timerfd is the interrupt line. ndo_open arms it to fire at once;
 *       the handler reads it (the "ack") and schedules NAPI; the poll reads
 *       frames with pcap_next_ex() into skbs and hands them to
 *       napi_gro_receive(). Without pacing it keeps the budget and is
 *       repolled until the file ends; with pacing, a frame that is not yet
 *       due stays pending, the timer is armed for its due time and the poll
 *       completes. At the end of the file: carrier off (or, with loop, the
 *       file is opened again and replay continues). A read error (a
 *       truncated or corrupt record) is logged, kept as rx_error, and turns
 *       carrier off too. ndo_open after the end or an error replays from the
 *       start (carrier on again).
 *  TX   every frame is appended to tx_file, pcap (pcap_dump, nanosecond
 *       timestamps) or pcapng (written here: SHB, one IDB, EPBs); stdio is
 *       flushed when the core has no more frames for us (netdev_xmit_more).
 *       A file never pushes back, so the queue is never stopped; a failed
 *       write drops and counts (tx_errors).
 *
 * Lifetime: files are opened at create (so that a bad file is an error of
 * create) and closed by priv_destructor when the device is freed.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

#include <pcap/pcap.h>

#include <unetdev/unetdev.h>
#include <unetdev/backends.h>
#include <unetdev/engine.h>
#include <unetdev/etherdevice.h>
#include <unetdev/if_vlan.h>
#include <unetdev/skbuff_hdr.h>

#include "backend_cfg.h"

#define PCAP_SNAPLEN 262144 /* tcpdump's default */

enum pcapdev_stat {
	PS_RX_PACKETS,
	PS_RX_BYTES,
	PS_TX_PACKETS,
	PS_TX_BYTES,
	PS_RX_TOO_BIG,
	PS_RX_TRUNCATED,
	PS_RX_NOMEM,
	PS_RX_IRQS,
	PS_RX_POLLS,
	PS_RX_LOOPS,
	PS_NR
};

struct pcap_priv {
	struct net_device *dev;
	struct napi_struct napi;
	bool napi_on;		 /* rtnl */
	int tfd;		 /* timerfd: the RX interrupt line */
	struct unetdev_irq *irq; /* rtnl; NULL while down */
	bool pace, loop;
	/* RX reader: owned by the NAPI poll while up, by rtnl while down. */
	char *rx_path;
	pcap_t *rx;
	bool rx_fresh; /* nothing read since the file was opened */
	bool rx_ended; /* end of file or error: the next ndo_open replays */
	bool pending;  /* pend_hdr/pend_data: read, not yet due */
	struct pcap_pkthdr pend_hdr;
	const u_char *pend_data; /* valid until the next pcap_next_ex */
	u64 round_pkts;		 /* frames read since the file was (re)opened */
	bool have_base;
	u64 base_mono, base_ts, last_due; /* pacing, ns */
	/* TX writer: the single TX queue's xmit lock, or rtnl while down. */
	char *tx_path;
	enum unetdev_pcap_format fmt;
	FILE *txf;			   /* pcapng, or the dumper's file */
	pcap_t *tx_dead;		   /* pcap: the handle pcap_dump_fopen needs */
	pcap_dumper_t *dumper;		   /* pcap */
	bool tx_dirty;			   /* written since the last fflush */
	bool tx_failed;			   /* logged once */
	u64 st[PS_NR];			   /* atomic adds */
	u64 rx_eof, tx_errors, tx_dropped; /* atomic */
	s64 rx_error;			   /* atomic */
};

static const struct net_device_ops pcap_netdev_ops;

static struct pcap_priv *pcap_priv(const struct net_device *dev)
{
	return netdev_priv(dev);
}

static void ps_add(u64 *c, u64 n)
{
	__atomic_fetch_add(c, n, __ATOMIC_RELAXED);
}

static u64 ps_get(const u64 *c)
{
	return __atomic_load_n(c, __ATOMIC_RELAXED);
}

static u64 mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (u64)ts.tv_sec * 1000000000ull + (u64)ts.tv_nsec;
}

/* Arm the line to fire at CLOCK_MONOTONIC @ns (0 = at once). */
static void pcap_arm(struct pcap_priv *p, u64 ns)
{
	struct itimerspec its = {0};

	if (!ns) {
		its.it_value.tv_nsec = 1; /* relative: now */
		timerfd_settime(p->tfd, 0, &its, NULL);
		return;
	}
	its.it_value.tv_sec = (time_t)(ns / 1000000000ull);
	its.it_value.tv_nsec = (long)(ns % 1000000000ull);
	timerfd_settime(p->tfd, TFD_TIMER_ABSTIME, &its, NULL);
}

static void pcap_disarm(struct pcap_priv *p)
{
	struct itimerspec its = {0};
	u64 n;

	timerfd_settime(p->tfd, 0, &its, NULL);
	if (read(p->tfd, &n, sizeof(n)) < 0)
		(void)0; /* EAGAIN: it had not fired */
}

/* ---- RX file ---- */

/*
 * Open @path for reading: 0, or a negative errno with @msg set. libpcap
 * reports a bad file only as text, so the file is opened here first (its
 * errno is the open's) and anything libpcap refuses is -EBADMSG.
 */
static int pcap_rx_open(const char *path, pcap_t **out, char *msg, size_t len)
{
	char eb[PCAP_ERRBUF_SIZE] = "";
	FILE *f = fopen(path, "rbe");
	pcap_t *pc;
	int err;

	if (!f) {
		err = -errno;
		snprintf(msg, len, "rx_file %s: %s", path, unetdev_strerror(err));
		return err;
	}
	pc = pcap_fopen_offline_with_tstamp_precision(f, PCAP_TSTAMP_PRECISION_NANO, eb);
	if (!pc) {
		fclose(f); /* not taken on failure */
		snprintf(msg, len, "rx_file %s: not a readable capture: %s", path, eb);
		return -EBADMSG;
	}
	if (pcap_datalink(pc) != DLT_EN10MB) {
		snprintf(msg, len, "rx_file %s: link type %s is not Ethernet", path,
			 pcap_datalink_val_to_name(pcap_datalink(pc))
			     ? pcap_datalink_val_to_name(pcap_datalink(pc))
			     : "?");
		pcap_close(pc);
		return -EPROTONOSUPPORT;
	}
	*out = pc;
	return 0;
}

/* Start the file again. Context: NAPI poll or rtnl (the reader's owner). */
static int pcap_rx_rewind(struct pcap_priv *p)
{
	char msg[PCAP_ERRBUF_SIZE + 256];
	pcap_t *pc = NULL;
	int err;

	err = pcap_rx_open(p->rx_path, &pc, msg, sizeof(msg));
	if (err) {
		netdev_err(p->dev, "pcap: %s", msg);
		return err;
	}
	pcap_close(p->rx);
	p->rx = pc;
	p->rx_fresh = true;
	p->pending = false;
	p->round_pkts = 0;
	return 0;
}

/* The file ended or failed: carrier off (kernel: the cable was pulled). */
static void pcap_rx_end(struct pcap_priv *p, int err)
{
	p->rx_ended = true;
	p->pending = false;
	if (err)
		__atomic_store_n(&p->rx_error, (s64)err, __ATOMIC_RELAXED);
	else
		__atomic_store_n(&p->rx_eof, 1, __ATOMIC_RELAXED);
	netif_carrier_off(p->dev);
}

/* The next frame into pend_*: 1, 0 at the end (nothing more ever), or -errno. */
static int pcap_rx_next(struct pcap_priv *p)
{
	const u_char *data;
	struct pcap_pkthdr *h;
	int r;

	if (p->pending)
		return 1;
	for (;;) {
		r = pcap_next_ex(p->rx, &h, &data);
		if (r == 1) {
			p->rx_fresh = false;
			p->pend_hdr = *h;
			p->pend_data = data;
			p->pending = true;
			p->round_pkts++;
			return 1;
		}
		if (r == PCAP_ERROR_BREAK && p->loop && p->round_pkts) {
			/* Pacing continues from the last frame's due time. */
			if (pcap_rx_rewind(p))
				return -EIO;
			p->have_base = false;
			ps_add(&p->st[PS_RX_LOOPS], 1);
			continue;
		}
		if (r == PCAP_ERROR_BREAK)
			return 0;
		netdev_err(p->dev, "pcap: rx_file %s: %s: carrier off", p->rx_path,
			   pcap_geterr(p->rx));
		return -EBADMSG;
	}
}

/* The pending frame's due time on CLOCK_MONOTONIC. */
static u64 pcap_due(struct pcap_priv *p, u64 now)
{
	u64 ts = (u64)p->pend_hdr.ts.tv_sec * 1000000000ull + (u64)p->pend_hdr.ts.tv_usec;
	u64 due;

	if (!p->have_base) {
		p->base_mono = p->last_due ? p->last_due : now;
		p->base_ts = ts;
		p->have_base = true;
	}
	due = p->base_mono + (ts > p->base_ts ? ts - p->base_ts : 0);
	if (due < p->last_due) /* out-of-order timestamps: never go back */
		due = p->last_due;
	return due;
}

/* Deliver (or drop and count) the pending frame. */
static void pcap_rx_deliver(struct pcap_priv *p)
{
	struct net_device *dev = p->dev;
	unsigned int caplen = p->pend_hdr.caplen, len = p->pend_hdr.len;
	struct sk_buff *skb;

	p->pending = false;
	if (caplen < len || caplen < ETH_HLEN) {
		ps_add(&p->st[PS_RX_TRUNCATED], 1);
		dev_core_stats_rx_dropped_inc(dev);
		return;
	}
	if (!netdev_rx_frame_fits(dev, len)) { /* counts rx_length_errors */
		ps_add(&p->st[PS_RX_TOO_BIG], 1);
		return;
	}
	skb = netdev_alloc_skb(dev, len);
	if (!skb) {
		ps_add(&p->st[PS_RX_NOMEM], 1);
		dev_core_stats_rx_dropped_inc(dev);
		return;
	}
	skb_put_data(skb, p->pend_data, len);
	ps_add(&p->st[PS_RX_PACKETS], 1);
	ps_add(&p->st[PS_RX_BYTES], len);
	skb->protocol = eth_type_trans(skb, dev);
	napi_gro_receive(&p->napi, skb);
}

/* The NAPI poll. Context: softirq, SCHED owned. */
static int pcap_poll(struct napi_struct *napi, int budget)
{
	struct pcap_priv *p = container_of(napi, struct pcap_priv, napi);
	u64 wake = 0;
	int done = 0, r;

	ps_add(&p->st[PS_RX_POLLS], 1);
	while (done < budget && !p->rx_ended) {
		r = pcap_rx_next(p);
		if (r <= 0) {
			pcap_rx_end(p, r);
			break;
		}
		if (p->pace) {
			u64 now = mono_ns(), due = pcap_due(p, now);

			if (due > now) {
				wake = due;
				break;
			}
			p->last_due = due;
		}
		pcap_rx_deliver(p);
		done++;
	}
	if (done < budget) {
		/* Armed before completing: an early expiry marks the NAPI missed, not lost. */
		if (wake)
			pcap_arm(p, wake);
		napi_complete_done(napi, done);
	}
	return done;
}

/* The interrupt handler: ack the timer, schedule NAPI. Context: hardirq. */
static void pcap_irq(void *ctx, u32 rev)
{
	struct pcap_priv *p = ctx;
	u64 n;

	if (read(p->tfd, &n, sizeof(n)) < 0)
		return; /* spurious: already acked */
	ps_add(&p->st[PS_RX_IRQS], 1);
	napi_schedule(&p->napi);
}

/* ---- TX file ---- */

static int pcapng_write(FILE *f, const void *a, size_t alen, const void *b, size_t blen)
{
	static const u8 zero[4];
	u32 pad = (u32)((4 - (blen & 3)) & 3);

	if (fwrite(a, 1, alen, f) != alen || (blen && fwrite(b, 1, blen, f) != blen) ||
	    (pad && fwrite(zero, 1, pad, f) != pad))
		return -1;
	return 0;
}

/* Section header and the one interface (Ethernet, nanosecond timestamps). */
static int pcapng_header(FILE *f)
{
	const u32 shb[7] = {0x0A0D0D0A, 28, 0x1A2B3C4D, 1 /* v1.0 */, 0xffffffff, 0xffffffff, 28};
	u32 idb[8] = {1, 32, 1 /* LINKTYPE_ETHERNET */, PCAP_SNAPLEN, 0, 0, 0, 32};

	/* if_tsresol (9) = 9: 10^-9 s, then opt_endofopt. */
	idb[4] = 9 | (1u << 16);
	idb[5] = 9;
	return pcapng_write(f, shb, sizeof(shb), NULL, 0) ||
		       pcapng_write(f, idb, sizeof(idb), NULL, 0)
		   ? -1
		   : 0;
}

static int pcap_tx_write(struct pcap_priv *p, const u8 *data, unsigned int len)
{
	unsigned int cap = len < PCAP_SNAPLEN ? len : PCAP_SNAPLEN;
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	if (p->fmt == UNETDEV_PCAP_FMT_PCAP) {
		struct pcap_pkthdr h = {.caplen = cap, .len = len};

		h.ts.tv_sec = ts.tv_sec;
		h.ts.tv_usec = ts.tv_nsec; /* nanosecond dumper: tv_usec holds ns */
		pcap_dump((u_char *)p->dumper, &h, data);
		return ferror(p->txf) ? -EIO : 0;
	} else {
		u64 t = (u64)ts.tv_sec * 1000000000ull + (u64)ts.tv_nsec;
		u32 epb[7] = {6, 32 + ((cap + 3) & ~3u), 0, (u32)(t >> 32), (u32)t, cap, len};
		u32 tail = epb[1];

		if (pcapng_write(p->txf, epb, sizeof(epb), data, cap) ||
		    fwrite(&tail, sizeof(tail), 1, p->txf) != 1)
			return -EIO;
		return 0;
	}
}

static void pcap_tx_flush(struct pcap_priv *p)
{
	if (p->txf && p->tx_dirty && fflush(p->txf) && !p->tx_failed) {
		p->tx_failed = true;
		netdev_err(p->dev, "pcap: tx_file %s: %s", p->tx_path, unetdev_strerror(errno));
	}
	p->tx_dirty = false;
}

/* Consumes @skb. Context: the TX queue's xmit lock held, BHs disabled. */
static netdev_tx_t pcap_xmit(struct sk_buff *skb, struct net_device *dev)
{
	struct pcap_priv *p = pcap_priv(dev);
	unsigned int len = skb->len;

	if (!p->txf) {
		ps_add(&p->tx_dropped, 1);
		dev_kfree_skb_any(skb);
		return NETDEV_TX_OK;
	}
	if (pcap_tx_write(p, skb->data, len)) {
		ps_add(&p->tx_errors, 1);
		if (!p->tx_failed) {
			p->tx_failed = true;
			netdev_err(dev, "pcap: writing tx_file %s failed: frames dropped",
				   p->tx_path);
		}
		kfree_skb_reason(skb, SKB_DROP_REASON_TX_ERROR);
		return NETDEV_TX_OK;
	}
	p->tx_dirty = true;
	if (!netdev_xmit_more())
		pcap_tx_flush(p);
	ps_add(&p->st[PS_TX_PACKETS], 1);
	ps_add(&p->st[PS_TX_BYTES], len);
	consume_skb(skb);
	return NETDEV_TX_OK;
}

/* ---- control ---- */

static int pcapdev_open(struct net_device *dev) UNETDEV_MUST_HOLD(rtnl_mutex)
{
	struct pcap_priv *p = pcap_priv(dev);
	unsigned int ncpus = unetdev_engine_ncpus();
	int err;

	if (p->rx) {
		if (!ncpus) {
			netdev_err(dev, "pcap: no engine CPU; call unetdev_engine_start() first");
			return -ENXIO;
		}
		if (p->rx_ended) {
			err = pcap_rx_rewind(p);
			if (err)
				return err;
			p->rx_ended = false;
			__atomic_store_n(&p->rx_eof, 0, __ATOMIC_RELAXED);
			__atomic_store_n(&p->rx_error, 0, __ATOMIC_RELAXED);
		}
		p->have_base = false;
		p->last_due = 0;
		netif_napi_add(dev, &p->napi, pcap_poll);
		napi_enable(&p->napi);
		p->napi_on = true;
		err = unetdev_irq_request(0, p->tfd, EPOLLIN, pcap_irq, p, &p->irq);
		if (err) {
			netdev_err(dev, "pcap: unetdev_irq_request(timerfd): %s",
				   unetdev_strerror(err));
			napi_disable(&p->napi);
			netif_napi_del(&p->napi);
			p->napi_on = false;
			return err;
		}
		netif_carrier_on(dev);
		pcap_arm(p, 0);
	}
	netif_tx_start_all_queues(dev);
	return 0;
}

static int pcapdev_stop(struct net_device *dev) UNETDEV_MUST_HOLD(rtnl_mutex)
{
	struct pcap_priv *p = pcap_priv(dev);

	netif_tx_stop_all_queues(dev);
	/* In order: no interrupts, no poll running or to come, unlisted. */
	if (p->irq)
		unetdev_irq_free(p->irq);
	p->irq = NULL;
	if (p->napi_on) {
		napi_disable(&p->napi);
		netif_napi_del(&p->napi);
		p->napi_on = false;
	}
	if (p->tfd >= 0)
		pcap_disarm(p);
	p->pending = false; /* paced replay restarts its clock at the next open */
	pcap_tx_flush(p);
	return 0;
}

static void pcap_get_stats64(struct net_device *dev, struct rtnl_link_stats64 *s)
{
	struct pcap_priv *p = pcap_priv(dev);

	s->rx_packets = ps_get(&p->st[PS_RX_PACKETS]);
	s->rx_bytes = ps_get(&p->st[PS_RX_BYTES]);
	s->tx_packets = ps_get(&p->st[PS_TX_PACKETS]);
	s->tx_bytes = ps_get(&p->st[PS_TX_BYTES]);
	s->rx_errors = ps_get(&p->st[PS_RX_TRUNCATED]) +
		       (__atomic_load_n(&p->rx_error, __ATOMIC_RELAXED) ? 1 : 0);
	s->rx_dropped = ps_get(&p->st[PS_RX_NOMEM]);
	s->tx_errors = ps_get(&p->tx_errors);
	s->tx_dropped = ps_get(&p->tx_dropped);
}

static const struct net_device_ops pcap_netdev_ops = {
    .ndo_open = pcapdev_open,
    .ndo_stop = pcapdev_stop,
    .ndo_start_xmit = pcap_xmit,
    .ndo_get_stats64 = pcap_get_stats64,
    .ndo_set_mac_address = eth_mac_addr,
    .ndo_validate_addr = eth_validate_addr,
};

/* Close both files. Idempotent: priv_destructor and the create error path. */
static void pcap_release(struct net_device *dev)
{
	struct pcap_priv *p = pcap_priv(dev);

	if (p->rx)
		pcap_close(p->rx);
	p->rx = NULL;
	if (p->dumper) {
		pcap_dump_close(p->dumper); /* flushes and closes txf */
		p->txf = NULL;
	} else if (p->txf) {
		fclose(p->txf);
	}
	p->dumper = NULL;
	p->txf = NULL;
	if (p->tx_dead)
		pcap_close(p->tx_dead);
	p->tx_dead = NULL;
	if (p->tfd >= 0)
		close(p->tfd);
	p->tfd = -1;
	free(p->rx_path);
	free(p->tx_path);
	p->rx_path = p->tx_path = NULL;
}

static void pcap_setup(struct net_device *dev)
{
	ether_setup(dev);
	dev->priv_flags |= IFF_LIVE_ADDR_CHANGE;
	dev->netdev_ops = &pcap_netdev_ops;
	dev->needs_free_netdev = true;
	dev->priv_destructor = pcap_release;
	dev->max_mtu = 65535 - ETH_HLEN - VLAN_HLEN;
}

static int pcap_tx_open(struct net_device *dev, const struct unetdev_pcap_config *cfg)
{
	struct pcap_priv *p = pcap_priv(dev);

	p->txf = fopen(cfg->tx_file, "wbe");
	if (!p->txf) {
		int err = -errno;

		netdev_err(dev, "pcap: tx_file %s: %s", cfg->tx_file, unetdev_strerror(err));
		return err;
	}
	if (p->fmt == UNETDEV_PCAP_FMT_PCAPNG) {
		if (pcapng_header(p->txf) || fflush(p->txf)) {
			netdev_err(dev, "pcap: tx_file %s: %s", cfg->tx_file,
				   unetdev_strerror(errno));
			return -EIO;
		}
		return 0;
	}
	p->tx_dead = pcap_open_dead_with_tstamp_precision(DLT_EN10MB, PCAP_SNAPLEN,
							  PCAP_TSTAMP_PRECISION_NANO);
	if (!p->tx_dead)
		return -ENOMEM;
	p->dumper = pcap_dump_fopen(p->tx_dead, p->txf); /* writes the file header */
	if (!p->dumper || fflush(p->txf)) {
		netdev_err(dev, "pcap: tx_file %s: %s", cfg->tx_file, pcap_geterr(p->tx_dead));
		return -EIO;
	}
	return 0;
}

static int pcap_files_open(struct net_device *dev, const struct unetdev_pcap_config *cfg)
{
	struct pcap_priv *p = pcap_priv(dev);
	char msg[PCAP_ERRBUF_SIZE + 256];
	int err;

	p->tfd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
	if (p->tfd < 0) {
		err = -errno;
		netdev_err(dev, "pcap: timerfd_create: %s", unetdev_strerror(err));
		return err;
	}
	if (cfg->rx_file) {
		p->rx_path = strdup(cfg->rx_file);
		if (!p->rx_path)
			return -ENOMEM;
		err = pcap_rx_open(cfg->rx_file, &p->rx, msg, sizeof(msg));
		if (err) {
			netdev_err(dev, "pcap: %s", msg);
			return err;
		}
		p->rx_fresh = true;
	}
	if (cfg->tx_file) {
		p->tx_path = strdup(cfg->tx_file);
		if (!p->tx_path)
			return -ENOMEM;
		return pcap_tx_open(dev, cfg);
	}
	return 0;
}

int unetdev_pcap_create(struct net *net, const char *name, const struct unetdev_pcap_config *ucfg,
			struct net_device **out)
{
	struct unetdev_pcap_config cfg = {0};
	struct net_device *dev;
	struct pcap_priv *p;
	int err;

	if (!ucfg || !out || (name && strnlen(name, IFNAMSIZ) >= IFNAMSIZ) ||
	    backend_cfg_copy(&cfg, sizeof(cfg), ucfg,
			     offsetof(struct unetdev_pcap_config, tx_format)))
		return -EINVAL;
	if (cfg.tx_format != UNETDEV_PCAP_FMT_PCAP && cfg.tx_format != UNETDEV_PCAP_FMT_PCAPNG) {
		netdev_err(NULL, "pcap: tx_format %d is neither pcap (0) nor pcapng (1)",
			   (int)cfg.tx_format);
		return -EINVAL;
	}
	dev = alloc_netdev_mqs((int)sizeof(*p), name ? name : "pcap%d", NET_NAME_USER, pcap_setup,
			       1, 1);
	if (!dev)
		return -ENOMEM;
	p = pcap_priv(dev);
	p->dev = dev;
	p->tfd = -1;
	p->pace = cfg.pace;
	p->loop = cfg.loop;
	p->fmt = cfg.tx_format;
	eth_hw_addr_random(dev);
	if (net)
		dev->nd_net = net; /* dev_net_set */
	err = pcap_files_open(dev, &cfg);
	if (err)
		goto err_free;
	err = register_netdev(dev);
	if (err)
		goto err_free;
	*out = dev;
	return 0;
err_free:
	pcap_release(dev);
	free_netdev(dev);
	return err;
}

int unetdev_pcap_stats(struct net_device *dev, struct unetdev_pcap_stats *st)
{
	struct pcap_priv *p;

	if (!dev || !st || dev->netdev_ops != &pcap_netdev_ops)
		return -EINVAL;
	p = pcap_priv(dev);
	memset(st, 0, sizeof(*st));
	st->rx_packets = ps_get(&p->st[PS_RX_PACKETS]);
	st->rx_bytes = ps_get(&p->st[PS_RX_BYTES]);
	st->tx_packets = ps_get(&p->st[PS_TX_PACKETS]);
	st->tx_bytes = ps_get(&p->st[PS_TX_BYTES]);
	st->rx_too_big = ps_get(&p->st[PS_RX_TOO_BIG]);
	st->rx_truncated = ps_get(&p->st[PS_RX_TRUNCATED]);
	st->rx_nomem = ps_get(&p->st[PS_RX_NOMEM]);
	st->rx_irqs = ps_get(&p->st[PS_RX_IRQS]);
	st->rx_polls = ps_get(&p->st[PS_RX_POLLS]);
	st->rx_loops = ps_get(&p->st[PS_RX_LOOPS]);
	st->rx_eof = ps_get(&p->rx_eof);
	st->rx_error = __atomic_load_n(&p->rx_error, __ATOMIC_RELAXED);
	st->tx_errors = ps_get(&p->tx_errors);
	st->tx_dropped = ps_get(&p->tx_dropped);
	return 0;
}
