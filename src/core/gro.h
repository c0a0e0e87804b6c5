/* SPDX-License-Identifier: MIT */
/*
 * gro.h - the GRO engine (gro.c) and the NAPI delivery batch it feeds
 * (napi.c). Internal; never installed. Rules R-NAPI-9/17, R-K-19.
 */
#ifndef UNETDEV_GRO_INTERNAL_H
#define UNETDEV_GRO_INTERNAL_H

#include "internal.h"

/* gro.c: dev_gro_receive. Consumes @skb; returns a gro_result_t. Context: the poll. */
UNETDEV_INTERNAL int unetdev__gro_receive(struct napi_struct *n, struct sk_buff *skb);
/* napi_gro_flush(n, flush_old): complete held skbs onto the batch; with
 * @flush_old only those held since before this jiffy. */
UNETDEV_INTERNAL void unetdev__gro_flush(struct napi_struct *n, bool flush_old);
/* Free every held skb (netif_napi_del, R-NAPI-15). */
UNETDEV_INTERNAL void unetdev__gro_free(struct napi_struct *n);

/* napi.c: gro_normal_one - append @skb (@segs segments) to the delivery batch. */
UNETDEV_INTERNAL void unetdev__gro_normal_one(struct napi_struct *n, struct sk_buff *skb, int segs);

/* rx.c: deliver a chain linked through skb->next (the batch), one lock round. */
UNETDEV_INTERNAL void unetdev__netif_receive_skb_chain(struct sk_buff *skb);

#endif
