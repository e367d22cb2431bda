/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A small test harness: cases are silent when they pass; each failed
 * check prints a FAIL line; the program ends with "N passed, M failed"
 * and exits non-zero when anything failed.
 */
#ifndef HARNESS_H
#define HARNESS_H

#include <stdio.h>
#include <stdlib.h>

static const char *h_case = "?";
static unsigned int h_passed, h_failed, h_case_failures;

#define CHECK(cond, fmt, ...) do {					\
	if (!(cond)) {							\
		h_case_failures++;					\
		printf("FAIL %s: %s:%d: %s: " fmt "\n", h_case,	\
		       __FILE__, __LINE__, #cond, ##__VA_ARGS__);	\
	}								\
} while (0)

#define CHECK_EQ(a, b) do {						\
	unsigned long long _a = (a), _b = (b);				\
	CHECK(_a == _b, "0x%llx != 0x%llx", _a, _b);			\
} while (0)

static inline void h_begin(const char *name)
{
	h_case = name;
	h_case_failures = 0;
}

static inline void h_end(void)
{
	if (h_case_failures)
		h_failed++;
	else
		h_passed++;
}

static inline int h_finish(void)
{
	printf("%u passed, %u failed\n", h_passed, h_failed);
	return h_failed ? 1 : 0;
}

#endif
