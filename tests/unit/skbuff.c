// SPDX-License-Identifier: MIT
/*
 * Unit: socket buffers (src/core/skbuff.c): geometry, data operations,
 * clones sharing data, copies owning theirs, drop-reason accounting.
 */
#include <unetdev/unetdev.h>

#include "harness.h"

TEST(skb_alloc_geometry)
{
	struct sk_buff *skb = alloc_skb(100, GFP_KERNEL);

	ASSERT_NOT_NULL(skb);
	ASSERT_EQ(skb->len, 0);
	ASSERT_EQ(skb_headroom(skb), 0);
	ASSERT_GE(skb_tailroom(skb), 100);
	ASSERT_EQ(skb->users, 1);
	ASSERT_EQ(skb_shinfo(skb)->dataref, 1);
	ASSERT_FALSE(skb_is_gso(skb));
	ASSERT_EQ(skb_live_count(), 1);
	consume_skb(skb);
	ASSERT_EQ(skb_live_count(), 0);
}

TEST(skb_netdev_alloc_reserves_pad)
{
	struct sk_buff *skb = __netdev_alloc_skb(NULL, 60, GFP_ATOMIC);

	ASSERT_NOT_NULL(skb);
	ASSERT_EQ(skb_headroom(skb), NET_SKB_PAD);
	ASSERT_GE(skb_tailroom(skb), 60);
	kfree_skb(skb);
}

TEST(skb_put_push_pull_trim)
{
	struct sk_buff *skb = alloc_skb(128, GFP_KERNEL);
	unsigned char *p;

	skb_reserve(skb, 16);
	p = skb_put(skb, 10);
	ASSERT_PTR_EQ(p, skb->data);
	memset(p, 0xaa, 10);
	ASSERT_EQ(skb->len, 10);
	p = skb_push(skb, 4);
	ASSERT_EQ(skb->len, 14);
	ASSERT_EQ(skb_headroom(skb), 12);
	ASSERT_PTR_EQ(p, skb->data);
	ASSERT_NOT_NULL(skb_pull(skb, 4));
	ASSERT_EQ(skb->data[0], 0xaa);
	ASSERT_NULL(skb_pull(skb, 11)); /* more than len: refused, unchanged */
	ASSERT_EQ(skb->len, 10);
	skb_trim(skb, 3);
	ASSERT_EQ(skb->len, 3);
	ASSERT_PTR_EQ(skb->tail, skb->data + 3);
	skb_trim(skb, 50); /* longer than len: no-op */
	ASSERT_EQ(skb->len, 3);
	consume_skb(skb);
}

TEST(skb_put_over_limit_is_bug)
{
	struct sk_buff *skb = alloc_skb(64, GFP_KERNEL);

	expect_violations();
	ASSERT_NULL(skb_put(skb, (unsigned int)skb_tailroom(skb) + 1));
	ASSERT_EQ(unetdev_check_count("R-SKB-1"), 1);
	ASSERT_EQ(skb->len, 0);
	ASSERT_NULL(skb_push(skb, 1));
	ASSERT_EQ(unetdev_check_count("R-SKB-2"), 1);
	consume_skb(skb);
}

TEST(skb_clone_shares_data)
{
	struct sk_buff *skb = alloc_skb(64, GFP_KERNEL), *c;

	skb_put_data(skb, "hello", 5);
	c = skb_clone(skb, GFP_ATOMIC);
	ASSERT_NOT_NULL(c);
	ASSERT_PTR_EQ(c->data, skb->data);
	ASSERT_TRUE(c->cloned);
	ASSERT_TRUE(skb->cloned);
	ASSERT_EQ(skb_shinfo(skb)->dataref, 2);
	ASSERT_EQ(skb_live_count(), 2);
	kfree_skb(skb); /* data stays for the clone */
	ASSERT_MEM_EQ(c->data, "hello", 5);
	ASSERT_EQ(skb_shinfo(c)->dataref, 1);
	consume_skb(c);
	ASSERT_EQ(skb_live_count(), 0);
}

TEST(skb_copy_owns_data)
{
	struct sk_buff *skb = alloc_skb(64, GFP_KERNEL), *c;

	skb_reserve(skb, 8);
	skb_put_data(skb, "abcdef", 6);
	skb->protocol = 0x0008;
	c = skb_copy(skb, GFP_ATOMIC);
	ASSERT_NOT_NULL(c);
	ASSERT_PTR_NE(c->data, skb->data);
	ASSERT_EQ(skb_headroom(c), 8);
	ASSERT_EQ(c->len, 6);
	ASSERT_EQ(c->protocol, 0x0008);
	ASSERT_FALSE(c->cloned);
	skb->data[0] = 'X';
	ASSERT_EQ(c->data[0], 'a');
	consume_skb(skb);
	consume_skb(c);
}

TEST(skb_users_and_drop_reasons)
{
	unsigned long consumed = skb_drop_count(SKB_CONSUMED);
	unsigned long unspec = skb_drop_count(SKB_DROP_REASON_NOT_SPECIFIED);
	unsigned long proto = skb_drop_count(SKB_DROP_REASON_UNHANDLED_PROTO);
	struct sk_buff *skb = alloc_skb(32, GFP_KERNEL);

	skb_get(skb);
	ASSERT_TRUE(skb_shared(skb));
	kfree_skb_reason(skb, SKB_DROP_REASON_UNHANDLED_PROTO); /* not the last user */
	ASSERT_EQ(skb_drop_count(SKB_DROP_REASON_UNHANDLED_PROTO), proto);
	ASSERT_EQ(skb_live_count(), 1);
	consume_skb(skb);
	ASSERT_EQ(skb_drop_count(SKB_CONSUMED), consumed + 1);
	kfree_skb(alloc_skb(16, GFP_KERNEL));
	ASSERT_EQ(skb_drop_count(SKB_DROP_REASON_NOT_SPECIFIED), unspec + 1);
	kfree_skb(NULL);
	consume_skb(NULL);
}

TEST(skb_alloc_failure_is_null)
{
	unetdev_fault_fail_nth("skb", 1);
	ASSERT_NULL(alloc_skb(64, GFP_KERNEL));
	unetdev_fault_fail_nth("skb", 2); /* the data block */
	ASSERT_NULL(alloc_skb(64, GFP_KERNEL));
	unetdev_fault_clear();
	ASSERT_EQ(skb_live_count(), 0);
}
