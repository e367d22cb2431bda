// SPDX-License-Identifier: GPL-2.0-only
/*
 * libFuzzer target: arbitrary text through the tool's parser of Xen's boot
 * log, xen_log_parse().  The last input byte, when the input ends with
 * "\n#" and one more byte, picks the domain (0-3); otherwise dom0.  The
 * seed corpus is dts/logs/.
 *
 * Checked: the parse succeeds (any text is acceptable input), at most
 * XEN_LOG_MAX_REGIONS regions, each with start <= end, an array exactly
 * when there are regions, no more regions than lines about them, a second
 * parse of the same text gives the same result, and free leaves nothing.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <linux/kernel.h>

#include "../../tools/xen-extregions/xenlog.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FAIL(...) do {							\
	fprintf(stderr, "fuzz_xenlog: " __VA_ARGS__);			\
	fputc('\n', stderr);						\
	abort();							\
} while (0)

static void check(const struct xen_log *log)
{
	unsigned int i;

	if (log->nr > XEN_LOG_MAX_REGIONS)
		FAIL("%u regions", log->nr);
	if (log->nr && !log->regions)
		FAIL("%u regions without an array", log->nr);
	if (log->nr > log->lines)
		FAIL("%u regions from %u lines", log->nr, log->lines);
	if (log->disabled && !log->lines)
		FAIL("disabled without a line saying so");
	for (i = 0; i < log->nr; i++)
		if (log->regions[i].start > log->regions[i].end)
			FAIL("region %u: %#llx > %#llx", i,
			     log->regions[i].start, log->regions[i].end);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct xen_log a, b;
	unsigned int domid = 0;
	char *text;
	int ret;

	if (size >= 3 && data[size - 3] == '\n' && data[size - 2] == '#') {
		domid = data[size - 1] & 3;
		size -= 2;
	}
	/* An exact-size copy: ASan sees any read past the end. */
	text = malloc(size ? size : 1);
	if (!text)
		abort();
	memcpy(text, data, size);

	ret = xen_log_parse(text, size, domid, &a);
	if (ret)
		FAIL("parse returned %d", ret);
	check(&a);
	if (xen_log_parse(text, size, domid, &b))
		FAIL("second parse failed");
	if (a.nr != b.nr || a.disabled != b.disabled || a.lines != b.lines ||
	    (a.nr && memcmp(a.regions, b.regions, a.nr * sizeof(*a.regions))))
		FAIL("two parses of the same text differ");
	xen_log_free(&a);
	xen_log_free(&b);
	if (a.regions || a.nr)
		FAIL("free left regions");
	free(text);
	return 0;
}
