/* SPDX-License-Identifier: MIT */
/*
 * The test harness: each test runs in its own forked child with a timeout,
 * results are printed as TAP, a failed ASSERT_* prints both values, and
 * every test ends with a leak check (no live net_device, skb, napi, module
 * or core allocation).
 *
 * Contract violations abort the test unless it calls expect_violations(),
 * which switches the checker to warn mode so the test can count them.
 *
 *   TEST(r_mtu_5_below_min_is_einval) { ... }
 *   SKIP_TEST(r_napi_10_budget, "needs the engine (datapath issue)");
 */
#ifndef UNETDEV_TEST_HARNESS_H
#define UNETDEV_TEST_HARNESS_H

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef void (*harness_fn)(void);

void harness_register(const char *name, harness_fn fn, const char *skip_reason, int timeout_s);
void harness_fail(const char *file, int line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4), noreturn));
/* Switch the contract checker to warn mode (counted, quiet) for this test. */
void expect_violations(void);
/* Skip the running test (e.g. no CAP_NET_ADMIN); prints the reason. */
void harness_skip(const char *reason) __attribute__((noreturn));
/* Leak check without exiting (tests that check in the middle). */
void harness_assert_no_leaks(const char *file, int line);

#define HARNESS_REG(name, reason, tmo)                                                             \
	static void test_##name(void);                                                             \
	__attribute__((constructor)) static void reg_##name(void)                                  \
	{                                                                                          \
		harness_register(#name, test_##name, reason, tmo);                                 \
	}
#define TEST(name)                                                                                 \
	HARNESS_REG(name, NULL, 0)                                                                 \
	static void test_##name(void)
#define TEST_TIMEOUT(name, secs)                                                                   \
	HARNESS_REG(name, NULL, secs)                                                              \
	static void test_##name(void)
/* A rule that is not met yet: listed, never silently left out. */
#define SKIP_TEST(name, reason)                                                                    \
	HARNESS_REG(name, reason, 0)                                                               \
	static void test_##name(void)                                                              \
	{                                                                                          \
	}

#define ASSERT_OP_(a, op, b, fmt, type)                                                            \
	do {                                                                                       \
		type a_ = (type)(a);                                                               \
		type b_ = (type)(b);                                                               \
		if (!(a_ op b_))                                                                   \
			harness_fail(__FILE__, __LINE__, "%s %s %s: " fmt " vs " fmt, #a, #op, #b, \
				     a_, b_);                                                      \
	} while (0)

#define ASSERT_EQ(a, b)	    ASSERT_OP_(a, ==, b, "%" PRIdMAX, intmax_t)
#define ASSERT_NE(a, b)	    ASSERT_OP_(a, !=, b, "%" PRIdMAX, intmax_t)
#define ASSERT_LT(a, b)	    ASSERT_OP_(a, <, b, "%" PRIdMAX, intmax_t)
#define ASSERT_LE(a, b)	    ASSERT_OP_(a, <=, b, "%" PRIdMAX, intmax_t)
#define ASSERT_GT(a, b)	    ASSERT_OP_(a, >, b, "%" PRIdMAX, intmax_t)
#define ASSERT_GE(a, b)	    ASSERT_OP_(a, >=, b, "%" PRIdMAX, intmax_t)
#define ASSERT_UEQ(a, b)    ASSERT_OP_(a, ==, b, "%" PRIuMAX, uintmax_t)
#define ASSERT_PTR_EQ(a, b) ASSERT_OP_(a, ==, b, "%p", const void *)
#define ASSERT_PTR_NE(a, b) ASSERT_OP_(a, !=, b, "%p", const void *)
#define ASSERT_TRUE(x)	    ASSERT_OP_(!!(x), ==, 1, "%d", int)
#define ASSERT_FALSE(x)	    ASSERT_OP_(!!(x), ==, 0, "%d", int)
#define ASSERT_NULL(p)	    ASSERT_PTR_EQ(p, NULL)
#define ASSERT_NOT_NULL(p)  ASSERT_PTR_NE(p, NULL)
#define ASSERT_STR_EQ(a, b)                                                                        \
	do {                                                                                       \
		const char *a_ = (a), *b_ = (b);                                                   \
		if (strcmp(a_, b_))                                                                \
			harness_fail(__FILE__, __LINE__, "%s == %s: \"%s\" vs \"%s\"", #a, #b, a_, \
				     b_);                                                          \
	} while (0)
#define ASSERT_CONTAINS(hay, needle)                                                               \
	do {                                                                                       \
		const char *h_ = (hay), *n_ = (needle);                                            \
		if (!strstr(h_, n_))                                                               \
			harness_fail(__FILE__, __LINE__, "\"%s\" does not contain \"%s\"", h_,     \
				     n_);                                                          \
	} while (0)
#define ASSERT_MEM_EQ(a, b, n)                                                                     \
	do {                                                                                       \
		if (memcmp((a), (b), (n)))                                                         \
			harness_fail(__FILE__, __LINE__, "memory %s != %s (%zu bytes)", #a, #b,    \
				     (size_t)(n));                                                 \
	} while (0)
#define FAIL(...)	  harness_fail(__FILE__, __LINE__, __VA_ARGS__)
#define ASSERT_NO_LEAKS() harness_assert_no_leaks(__FILE__, __LINE__)

#endif
