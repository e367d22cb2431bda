// SPDX-License-Identifier: GPL-2.0-only
/*
 * Host model of KUnit's executor (see tools/include/kunit/test.h): every
 * registered suite, every case in a context of its own, KTAP on stdout as
 * the kernel prints it, and the count of cases that passed and failed
 * (skipped cases count as passed: their reason is in the KTAP).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <kunit/test.h>
#include <linux/slab.h>

#define HOST_KUNIT_MAX_SUITES	8

struct host_kunit_alloc {
	struct host_kunit_alloc *next;
	void *p;
};

static struct kunit_suite *host_suites[HOST_KUNIT_MAX_SUITES];
static unsigned int host_nr_suites;
static char host_msg[512];

void host_kunit_register(struct kunit_suite **suites)
{
	for (; *suites; suites++) {
		if (host_nr_suites == HOST_KUNIT_MAX_SUITES) {
			fprintf(stderr, "kunit shim: more than %d suites\n",
				HOST_KUNIT_MAX_SUITES);
			abort();
		}
		host_suites[host_nr_suites++] = *suites;
	}
}

void *kunit_kmalloc_array(struct kunit *test, size_t n, size_t size, gfp_t gfp)
{
	struct host_kunit_alloc *a = malloc(sizeof(*a));
	void *p = kmalloc_array(n, size, gfp);

	if (!a || !p) {
		free(a);
		kfree(p);
		return NULL;
	}
	a->p = p;
	a->next = test->allocs;
	test->allocs = a;
	return p;
}

const char *host_kunit_msg(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(host_msg, sizeof(host_msg), fmt, ap);
	va_end(ap);
	return host_msg;
}

static void host_kunit_failed(struct kunit *test, bool assert, const char *file,
			      int line, const char *what, const char *msg)
{
	printf("    # %s: %s FAILED at %s:%d\n    %s\n", test->name,
	       assert ? "ASSERTION" : "EXPECTATION", file, line, what);
	if (msg && *msg)
		printf("    %s\n", msg);
	test->status = KUNIT_FAILURE;
	if (assert)
		longjmp(test->abort, 1);
}

void host_kunit_check(struct kunit *test, bool ok, bool assert, const char *file,
		      int line, const char *what, const char *fmt, ...)
{
	char expr[256], msg[512];
	va_list ap;

	if (ok)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	snprintf(expr, sizeof(expr), "Expected %s to be true, but is false", what);
	host_kunit_failed(test, assert, file, line, expr, msg);
}

void host_kunit_binary(struct kunit *test, bool ok, bool assert, const char *file,
		       int line, const char *expr, long long l, long long r,
		       const char *msg)
{
	char what[512];

	if (ok)
		return;
	snprintf(what, sizeof(what), "Expected %s, but\n        left == %lld (%#llx)\n        right == %lld (%#llx)",
		 expr, l, (unsigned long long)l, r, (unsigned long long)r);
	host_kunit_failed(test, assert, file, line, what, msg);
}

void kunit_skip(struct kunit *test, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(test->status_comment, sizeof(test->status_comment), fmt, ap);
	va_end(ap);
	test->status = KUNIT_SKIPPED;
	longjmp(test->abort, 1);
}

/* one case: init, the case, exit (even after an abort), then the frees */
enum kunit_status host_kunit_case(struct kunit_suite *suite,
					 struct kunit_case *c, char *comment)
{
	/* static: what the case changes survives its longjmp() */
	static struct kunit test;
	struct host_kunit_alloc *a;
	int ret;

	memset(&test, 0, sizeof(test));
	test.name = c->name;

	if (!setjmp(test.abort)) {
		ret = suite->init ? suite->init(&test) : 0;
		if (ret) {
			printf("    # %s: initialization failed (%d)\n", c->name, ret);
			test.status = KUNIT_FAILURE;
		} else {
			c->run_case(&test);
		}
	}
	if (suite->exit && !setjmp(test.abort))
		suite->exit(&test);
	while ((a = test.allocs)) {
		test.allocs = a->next;
		kfree(a->p);
		free(a);
	}
	strcpy(comment, test.status_comment);
	return test.status;
}

void host_kunit_run(unsigned int *passed, unsigned int *failed)
{
	unsigned int s, i, n, skipped;
	char comment[256];

	printf("KTAP version 1\n1..%u\n", host_nr_suites);
	for (s = 0; s < host_nr_suites; s++) {
		struct kunit_suite *suite = host_suites[s];
		enum kunit_status st;
		bool bad = false;

		for (n = 0; suite->test_cases[n].run_case; n++)
			;
		printf("    KTAP version 1\n    # Subtest: %s\n    1..%u\n", suite->name, n);
		skipped = 0;
		for (i = 0; i < n; i++) {
			st = host_kunit_case(suite, &suite->test_cases[i], comment);
			printf("    %s %u %s%s%s\n", st == KUNIT_FAILURE ? "not ok" : "ok",
			       i + 1, suite->test_cases[i].name,
			       st == KUNIT_SKIPPED ? " # SKIP " : "",
			       st == KUNIT_SKIPPED ? comment : "");
			if (st == KUNIT_FAILURE) {
				(*failed)++;
				bad = true;
			} else {
				(*passed)++;
				skipped += st == KUNIT_SKIPPED;
			}
		}
		printf("%s %u %s%s\n", bad ? "not ok" : "ok", s + 1, suite->name,
		       !bad && skipped == n ? " # SKIP" : "");
	}
}
