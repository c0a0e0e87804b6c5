// SPDX-License-Identifier: MIT
/*
 * libFuzzer target for the pcap backend's reader (src/drivers/pcap.c): the
 * input is a capture file (pcap or pcapng, any byte order, truncated or
 * corrupt) that a pcap device receives from, through its timerfd interrupt,
 * NAPI poll and GRO, on one engine CPU.
 *
 * Input: one control byte, then the file.
 *   bit 0: loop (start the file again at its end), bit 1: an rx_handler
 *   consumes what arrives (else it goes to the protocol handlers / drop).
 *
 * The same bytes are read independently with libpcap (fmemopen): create must
 * fail with -EBADMSG exactly when libpcap cannot open them, -EPROTONOSUPPORT
 * when the link type is not Ethernet; otherwise every record libpcap returns
 * must be received or dropped and counted (rx_packets + rx_truncated +
 * rx_too_big + rx_nomem), and the replay must end with carrier off and
 * rx_eof when libpcap reached the end, rx_error when it reported an error.
 * A replay that does not end within 20 s aborts (a hang). Everything is
 * freed after unregistration: no skb, device or NAPI alive.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include <pcap/pcap.h>

#include <unetdev/backends.h>
#include <unetdev/engine.h>
#include <unetdev/unetdev.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond)                                                                                \
	do {                                                                                       \
		if (!(cond)) {                                                                     \
			fprintf(stderr, "pcap_fuzz: %s:%d: %s\n", __FILE__, __LINE__, #cond);      \
			abort();                                                                   \
		}                                                                                  \
	} while (0)

struct expect {
	int open_err; /* 0, -EBADMSG, -EPROTONOSUPPORT */
	unsigned long records;
	int end; /* PCAP_ERROR_BREAK (end of file) or PCAP_ERROR */
};

/* What libpcap itself makes of the bytes. */
static void expect_of(const uint8_t *data, size_t size, struct expect *e)
{
	char eb[PCAP_ERRBUF_SIZE];
	struct pcap_pkthdr *h;
	const u_char *d;
	FILE *f;
	pcap_t *pc;
	int r;

	memset(e, 0, sizeof(*e));
	f = size ? fmemopen((void *)data, size, "rb") : fopen("/dev/null", "rb");
	CHECK(f);
	pc = pcap_fopen_offline_with_tstamp_precision(f, PCAP_TSTAMP_PRECISION_NANO, eb);
	if (!pc) {
		fclose(f);
		e->open_err = -EBADMSG;
		return;
	}
	if (pcap_datalink(pc) != DLT_EN10MB) {
		e->open_err = -EPROTONOSUPPORT;
		pcap_close(pc);
		return;
	}
	while ((r = pcap_next_ex(pc, &h, &d)) == 1)
		e->records++;
	e->end = r;
	pcap_close(pc);
}

static unsigned long delivered;

static rx_handler_result_t consume(struct sk_buff **pskb)
{
	__atomic_fetch_add(&delivered, 1, __ATOMIC_RELAXED);
	consume_skb(*pskb);
	return RX_HANDLER_CONSUMED;
}

static struct unetdev_pcap_stats stats(struct net_device *dev)
{
	struct unetdev_pcap_stats st;

	CHECK(unetdev_pcap_stats(dev, &st) == 0);
	return st;
}

static bool finished(struct net_device *dev, bool loop)
{
	struct unetdev_pcap_stats st = stats(dev);

	return st.rx_eof || st.rx_error || (loop && st.rx_loops >= 2);
}

static u64 now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (u64)ts.tv_sec * 1000 + (u64)ts.tv_nsec / 1000000;
}

static void init_once(void)
{
	static bool done;
	struct unetdev_engine_config ec = {.sz = sizeof(ec), .ncpus = 1};

	if (done)
		return;
	done = true;
	unetdev_log_set_level(0);
	CHECK(unetdev_engine_start(&ec) == 0);
}

static void replay(struct net_device *dev, const struct expect *e, bool loop, bool handler)
{
	struct unetdev_pcap_stats st;
	u64 deadline = now_ms() + 20000;

	rtnl_lock();
	if (handler)
		CHECK(netdev_rx_handler_register(dev, consume, NULL) == 0);
	CHECK(dev_open(dev, NULL) == 0);
	rtnl_unlock();
	while (!finished(dev, loop)) {
		if (now_ms() > deadline) {
			fprintf(stderr, "pcap_fuzz: replay did not end in 20 s\n");
			abort();
		}
		usleep(50);
	}
	rtnl_lock();
	dev_close(dev); /* the poll is over: the counters are final */
	rtnl_unlock();
	st = stats(dev);
	if (!loop || !st.rx_loops) {
		unsigned long got = st.rx_packets + st.rx_truncated + st.rx_too_big + st.rx_nomem;

		if (got != e->records || (e->end == PCAP_ERROR_BREAK) != (st.rx_eof == 1) ||
		    (e->end == PCAP_ERROR) != (st.rx_error != 0)) {
			fprintf(stderr,
				"pcap_fuzz: libpcap: %lu records, end %d; device: %lu received or "
				"dropped, eof %lu, error %ld\n",
				e->records, e->end, got, (unsigned long)st.rx_eof,
				(long)st.rx_error);
			abort();
		}
	}
	CHECK(!netif_carrier_ok(dev) || (loop && st.rx_loops >= 2));
	CHECK(__atomic_load_n(&delivered, __ATOMIC_RELAXED) <= st.rx_packets);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct unetdev_pcap_config cfg = {.sz = sizeof(cfg)};
	struct unetdev_live live;
	struct net_device *dev = NULL;
	struct expect e;
	char path[64];
	bool loop, handler;
	int fd, err;

	if (size < 1 || size > 1 << 20)
		return 0;
	init_once();
	loop = data[0] & 1;
	handler = data[0] & 2;
	data++;
	size--;
	expect_of(data, size, &e);
	fd = memfd_create("pcap_fuzz", MFD_CLOEXEC);
	CHECK(fd >= 0);
	CHECK(write(fd, data, size) == (ssize_t)size);
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	cfg.rx_file = path;
	cfg.loop = loop;
	delivered = 0;
	err = unetdev_pcap_create(NULL, "fzpcap%d", &cfg, &dev);
	if (err != e.open_err) {
		fprintf(stderr, "pcap_fuzz: create: %d, libpcap says %d\n", err, e.open_err);
		abort();
	}
	if (!err) {
		replay(dev, &e, loop, handler);
		if (handler) {
			rtnl_lock();
			netdev_rx_handler_unregister(dev);
			rtnl_unlock();
		}
		unregister_netdev(dev);
	}
	close(fd);
	unetdev_live_objects(&live);
	if (live.netdevs || live.skbs || live.napis) {
		fprintf(stderr, "pcap_fuzz: alive: %ld devices, %ld skbs, %ld napis\n",
			live.netdevs, live.skbs, live.napis);
		abort();
	}
	return 0;
}
