/* SPDX-License-Identifier: MIT */
/*
 * The engine: kernel CPUs as threads (DESIGN.md "Runtime model").
 *
 * Each engine thread is a CPU with its own softnet data (poll list, backlog,
 * output queue). Backend file descriptors are "interrupt lines": their
 * handlers run in hardirq context on the CPU that owns them and typically
 * call napi_schedule(). After handlers, the CPU runs its pending softirqs
 * (NET_TX, then NET_RX) with the kernel's budgets.
 *
 * Any other thread is process context on a CPU of its own: softirqs it
 * raises (netif_rx, napi_schedule, __netif_schedule) run when it re-enables
 * bottom halves, as the kernel runs them at local_bh_enable(), within the
 * kernel's limits (10 rounds, 2 ms); what is left then continues on a
 * ksoftirqd (its engine CPU, or the process's ksoftirqd thread) and the
 * call returns. An application that wants run-to-completion attaches its thread to an engine
 * CPU with unetdev_cpu_attach() and drives it with unetdev_cpu_run().
 */
#ifndef UNETDEV_ENGINE_H
#define UNETDEV_ENGINE_H

#include <unetdev/types.h>

enum { HI_SOFTIRQ = 0, TIMER_SOFTIRQ, NET_TX_SOFTIRQ, NET_RX_SOFTIRQ, NR_SOFTIRQS };

struct unetdev_engine_config {
	size_t sz;	    /* sizeof(struct unetdev_engine_config) */
	unsigned int ncpus; /* engine CPUs; 0 = online cores */
	bool no_threads;    /* create the CPUs but start no threads (inline mode) */
	/*
	 * Busy polling of deferred NAPIs (the kernel's prefer_busy_poll and threaded
	 * busy poll): a CPU with NAPI instances whose interrupts are deferred
	 * (napi_defer_hard_irqs and gro_flush_timeout set) re-polls them at once
	 * instead of waiting in epoll_wait for their timers, until their defer counts
	 * run out. It spins: a CPU at 100 % while traffic flows and for
	 * napi_defer_hard_irqs empty polls after. No effect without deferral.
	 */
	bool busy_poll;
};

#define raise_softirq unetdev_raise_softirq

/** unetdev_engine_start - create the CPUs and start one thread each. Context: process. */
UNETDEV_API int unetdev_engine_start(const struct unetdev_engine_config *cfg);
/** unetdev_engine_stop - stop the threads after draining their pending softirqs. */
UNETDEV_API void unetdev_engine_stop(void);
UNETDEV_API unsigned int unetdev_engine_ncpus(void);

/** unetdev_cpu_attach - the calling thread becomes engine CPU @cpu (inline mode). */
UNETDEV_API int unetdev_cpu_attach(unsigned int cpu);
UNETDEV_API void unetdev_cpu_detach(void);
/**
 * unetdev_cpu_run - on the attached CPU (or the calling thread's own softnet):
 * wait up to @timeout_ms for events (0 = don't wait, -1 = forever), run
 * hardirq handlers, then pending softirqs. Returns the number of handlers
 * and softirq rounds run.
 */
UNETDEV_API int unetdev_cpu_run(int timeout_ms);

/** raise_softirq - mark softirq @nr pending on this CPU (and kick its thread). */
UNETDEV_API void raise_softirq(unsigned int nr);

/* ---- interrupt lines: file descriptors whose readiness runs a hardirq handler ---- */
struct unetdev_irq;
typedef void (*unetdev_irq_handler_t)(void *ctx, u32 revents);

/**
 * unetdev_irq_request - run @fn on engine CPU @cpu in hardirq context when
 * @fd is ready for @events (EPOLLIN/EPOLLOUT). Returns 0 and *@out.
 */
UNETDEV_API int unetdev_irq_request(unsigned int cpu, int fd, u32 events, unetdev_irq_handler_t fn,
				    void *ctx, struct unetdev_irq **out);
UNETDEV_API int unetdev_irq_set_events(struct unetdev_irq *irq, u32 events);
/** unetdev_irq_free - stop delivering; returns after a running handler has finished. */
UNETDEV_API void unetdev_irq_free(struct unetdev_irq *irq);

/**
 * unetdev_sysctl_netdev_budget / _netdev_max_backlog - read (v <= 0) or set
 * net.core.netdev_budget (300) and net.core.netdev_max_backlog (1000).
 */
UNETDEV_API int unetdev_sysctl_netdev_budget(int v);
UNETDEV_API int unetdev_sysctl_netdev_max_backlog(int v);
/**
 * unetdev_sysctl_qdisc_max_burst - read (v <= 0) or set net.core.qdisc_max_burst
 * (1000): how many skbs may wait on a qdisc's defer list behind the sender that
 * takes the root lock; beyond it a sender's skb is dropped with NET_XMIT_DROP
 * and SKB_DROP_REASON_QDISC_BURST_DROP (R-TX-15).
 */
UNETDEV_API int unetdev_sysctl_qdisc_max_burst(int v);

/** unetdev_softnet_stat - per-CPU counters (processed, dropped, time_squeeze). */
struct unetdev_softnet_stat {
	unsigned long processed, dropped, time_squeeze;
};
UNETDEV_API void unetdev_softnet_stat(struct unetdev_softnet_stat *sum);

#endif
