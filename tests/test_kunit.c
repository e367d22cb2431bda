// SPDX-License-Identifier: GPL-2.0-only
/*
 * The kernel's KUnit suites that need no Xen, run on the host against the
 * look-alike headers: arch/arm/xen/extended-regions-test.c with the very
 * parser it tests.  First the KUnit model itself (tools/shim/kunit.c)
 * against KUnit's semantics, then the suites' KTAP; "N passed, M failed"
 * counts both.
 */
#include <stdio.h>
#include <string.h>

#include <host/model.h>
#include <kunit/test.h>
#include <linux/errno.h>
#include <linux/slab.h>

static unsigned int passed, failed;
static int exits, after_assert, after_expect;

static void check(const char *name, bool ok)
{
	printf("%s kunit-shim/%s\n", ok ? "PASS" : "FAIL", name);
	if (ok)
		passed++;
	else
		failed++;
}

static int shim_init(struct kunit *test)
{
	test->priv = kunit_kzalloc(test, 64, GFP_KERNEL);
	return test->priv ? 0 : -ENOMEM;
}

static void shim_exit(struct kunit *test)
{
	exits++;
}

static void shim_ok(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, 1 + 1, 2);
	KUNIT_EXPECT_TRUE(test, test->priv);
}

static void shim_expect(struct kunit *test)
{
	KUNIT_EXPECT_EQ_MSG(test, 1, 2, "goes on (%d)", 1);
	after_expect = 1;
}

static void shim_assert(struct kunit *test)
{
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, ERR_PTR(-EINVAL));
	after_assert = 1;
}

static void shim_skip(struct kunit *test)
{
	kunit_skip(test, "because %s", "told to");
}

static struct kunit_case shim_cases[] = {
	KUNIT_CASE(shim_ok),
	KUNIT_CASE(shim_expect),
	KUNIT_CASE(shim_assert),
	KUNIT_CASE(shim_skip),
	{}
};

static struct kunit_suite shim_suite = {
	.name = "shim",
	.init = shim_init,
	.exit = shim_exit,
	.test_cases = shim_cases,
};

int main(void)
{
	char why[256];
	long live;

	live = host_slab_live();
	check("ok", host_kunit_case(&shim_suite, &shim_cases[0], why) == KUNIT_SUCCESS);
	check("expect-fails-and-goes-on",
	      host_kunit_case(&shim_suite, &shim_cases[1], why) == KUNIT_FAILURE &&
	      after_expect);
	check("assert-fails-and-ends-the-case",
	      host_kunit_case(&shim_suite, &shim_cases[2], why) == KUNIT_FAILURE &&
	      !after_assert);
	check("skip-with-reason",
	      host_kunit_case(&shim_suite, &shim_cases[3], why) == KUNIT_SKIPPED &&
	      !strcmp(why, "because told to"));
	check("exit-after-every-case", exits == 4);
	check("kunit_kzalloc-freed", host_slab_live() == live);

	host_kunit_run(&passed, &failed);
	printf("%u passed, %u failed\n", passed, failed);
	return failed ? 1 : 0;
}
