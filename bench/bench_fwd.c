// SPDX-License-Identifier: MIT
/* bench_fwd.c - see bench_fwd.h. */
#include "bench_fwd.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static double clock_s(clockid_t clk)
{
	struct timespec ts;

	clock_gettime(clk, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

double bench_now_s(void)
{
	return clock_s(CLOCK_MONOTONIC);
}

double bench_cpu_s(void)
{
	return clock_s(CLOCK_PROCESS_CPUTIME_ID);
}

struct net_device *bench_null_create(const char *prog, const char *name, unsigned int txqs,
				     bool qdisc)
{
	return bench_null_create_weight(prog, name, txqs, qdisc, 0);
}

struct net_device *bench_null_create_weight(const char *prog, const char *name, unsigned int txqs,
					    bool qdisc, unsigned int weight)
{
	struct unetdev_null_config cfg = {
	    .sz = sizeof(cfg), .txqs = txqs, .rxqs = 1, .use_qdisc = qdisc, .rx_weight = weight};
	struct net_device *dev;
	int err = unetdev_null_create(NULL, name, &cfg, &dev);

	if (err) {
		fprintf(stderr, "%s: %s: %s\n", prog, name, unetdev_strerror(err));
		exit(1);
	}
	return dev;
}

/* io fwd: what one device receives leaves on the other. Consumes the skb. */
rx_handler_result_t bench_fwd_rx_handler(struct sk_buff **pskb)
{
	struct sk_buff *skb = *pskb;

	skb->dev = skb->dev->rx_handler_data;
	skb_push(skb, ETH_HLEN); /* eth_type_trans pulled it */
	dev_queue_xmit(skb);
	return RX_HANDLER_CONSUMED;
}

void bench_fwd_wire(const char *prog, struct net_device *a, struct net_device *b)
{
	rtnl_lock();
	if (dev_open(a, NULL) || netdev_rx_handler_register(a, bench_fwd_rx_handler, b)) {
		rtnl_unlock();
		fprintf(stderr, "%s: cannot open %s\n", prog, a->name);
		exit(1);
	}
	rtnl_unlock();
}

u64 bench_null_tx_packets(struct net_device *dev)
{
	struct unetdev_null_stats st;

	unetdev_null_stats(dev, &st);
	return st.tx_packets;
}

u64 bench_null_rx_done(struct net_device *dev)
{
	struct unetdev_null_stats st;

	unetdev_null_stats(dev, &st);
	return st.rx_packets + st.rx_dropped;
}
