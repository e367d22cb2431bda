/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Host look-alike of <kunit/test.h>: the part of KUnit the series' suites
 * use, with the kernel's semantics.  A suite registers itself at program
 * start; host_kunit_run() (tools/shim/kunit.c) runs every case of every
 * suite in its own context with the suite's init and exit, prints KTAP as
 * the kernel does, and frees what kunit_kzalloc() handed out after the
 * case's exit.  A failed EXPECT marks the case failed and goes on; a
 * failed ASSERT and kunit_skip() end the case (longjmp, where the kernel
 * ends the case's thread).
 */
#ifndef _HOST_KUNIT_TEST_H
#define _HOST_KUNIT_TEST_H

#include <setjmp.h>
#include <linux/err.h>
#include <linux/gfp.h>
#include <linux/types.h>

enum kunit_status { KUNIT_SUCCESS, KUNIT_FAILURE, KUNIT_SKIPPED };

struct kunit {
	const char *name;
	void *priv;
	enum kunit_status status;
	char status_comment[256];
	jmp_buf abort;
	struct host_kunit_alloc *allocs;
};

struct kunit_case {
	void (*run_case)(struct kunit *test);
	const char *name;
};

struct kunit_suite {
	const char name[256];
	int (*init)(struct kunit *test);
	void (*exit)(struct kunit *test);
	struct kunit_case *test_cases;
};

#define KUNIT_CASE(fn)	{ .run_case = fn, .name = #fn }

void host_kunit_register(struct kunit_suite **suites);
void host_kunit_run(unsigned int *passed, unsigned int *failed);
/* one case of @suite as host_kunit_run() runs it; @comment gets the skip reason */
enum kunit_status host_kunit_case(struct kunit_suite *suite, struct kunit_case *c,
				  char *comment);

#define kunit_test_suites(...)						\
	static struct kunit_suite *host_kunit_suites[] = { __VA_ARGS__, NULL }; \
	__attribute__((constructor)) static void host_kunit_init(void)	\
	{								\
		host_kunit_register(host_kunit_suites);			\
	}
#define kunit_test_suite(suite)	kunit_test_suites(&suite)
/* the host has no init section to free */
#define kunit_test_init_section_suites(...)	kunit_test_suites(__VA_ARGS__)

void *kunit_kmalloc_array(struct kunit *test, size_t n, size_t size, gfp_t gfp);

static inline void *kunit_kzalloc(struct kunit *test, size_t size, gfp_t gfp)
{
	return kunit_kmalloc_array(test, 1, size, gfp | __GFP_ZERO);
}

static inline void *kunit_kcalloc(struct kunit *test, size_t n, size_t size, gfp_t gfp)
{
	return kunit_kmalloc_array(test, n, size, gfp | __GFP_ZERO);
}

/*
 * A check: on failure, @what (the condition, or the comparison with both
 * sides' values) and the message, if any, go to the case's log.
 */
void host_kunit_check(struct kunit *test, bool ok, bool assert, const char *file,
		      int line, const char *what, const char *fmt, ...);
void host_kunit_binary(struct kunit *test, bool ok, bool assert, const char *file,
		       int line, const char *expr, long long l, long long r,
		       const char *msg);
__attribute__((noreturn, format(printf, 2, 3)))
void kunit_skip(struct kunit *test, const char *fmt, ...);
/*
 * The message of a _MSG check, formatted only on failure.  Neither this
 * nor host_kunit_check() is marked printf-like: a check without a
 * message passes "", which -Wformat-zero-length refuses; the kernel's
 * build checks the suites' formats.
 */
const char *host_kunit_msg(const char *fmt, ...);

#define HOST_KUNIT_BINARY(test, l, op, r, assert, ...)			\
	do {								\
		long long __l = (long long)(l), __r = (long long)(r);	\
		host_kunit_binary(test, __l op __r, assert, __FILE__, __LINE__, \
				  #l " " #op " " #r, __l, __r,		\
				  __l op __r ? NULL : host_kunit_msg("" __VA_ARGS__)); \
	} while (0)
#define HOST_KUNIT_TRUE(test, cond, assert, ...)			\
	do {								\
		bool __ok = (cond);					\
		host_kunit_check(test, __ok, assert, __FILE__, __LINE__, #cond, \
				 "" __VA_ARGS__);			\
	} while (0)

#define KUNIT_EXPECT_EQ(t, l, r)	HOST_KUNIT_BINARY(t, l, ==, r, false)
#define KUNIT_EXPECT_NE(t, l, r)	HOST_KUNIT_BINARY(t, l, !=, r, false)
#define KUNIT_EXPECT_EQ_MSG(t, l, r, ...) \
	HOST_KUNIT_BINARY(t, l, ==, r, false, __VA_ARGS__)
#define KUNIT_EXPECT_PTR_EQ(t, l, r) \
	HOST_KUNIT_TRUE(t, (const void *)(l) == (const void *)(r), false)
#define KUNIT_EXPECT_TRUE(t, c)		HOST_KUNIT_TRUE(t, c, false)
#define KUNIT_ASSERT_EQ(t, l, r)	HOST_KUNIT_BINARY(t, l, ==, r, true)
#define KUNIT_ASSERT_NOT_ERR_OR_NULL(t, p) \
	HOST_KUNIT_TRUE(t, !IS_ERR_OR_NULL(p), true)

#endif
