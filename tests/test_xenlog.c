// SPDX-License-Identifier: GPL-2.0-only
/* The Xen boot-log parser of xen-extregions, one row per kind of line. */
#include <string.h>

#include <linux/kernel.h>

#include "../tools/xen-extregions/xenlog.h"
#include "harness.h"

struct row {
	const char *name;
	const char *text;
	size_t len;			/* 0: strlen(text) */
	unsigned int domid;
	unsigned int nr;
	struct range regions[3];
	bool disabled;
};

#define NUL_TEXT "(XEN) d0: ext\0nded region 0: 0x1->0x2\n" \
		 "(XEN) d0: extended region 0: 0x10000->0x20000"

static const struct row rows[] = {
	{ "4.17 form", "(XEN) d0: extended region 0: 0x40400000->0x60000000\n"
	  "(XEN) d0: extended region 1: 0x80000000->0xc0000000\n", 0, 0, 2,
	  { { 0x40400000, 0x5fffffff }, { 0x80000000, 0xbfffffff } } },
	{ "4.16 form with timestamps and CRLF",
	  "(XEN) [    0.84] Extended region 0: 0x0->0x8000000\r\n"
	  "(XEN) [    0.85] Extended region 1: 0xc000000->0x30000000\r\n",
	  0, 0, 2, { { 0, 0x7ffffff }, { 0xc000000, 0x2fffffff } } },
	{ "serial prefix, other domains and noise",
	  "boot: (XEN) d1: extended region 0: 0x10000000->0x20000000\n"
	  "(XEN) d0: extended region 0: 0x40000000->0x50000000\n"
	  "(XEN) d0: something else 0: 0x1->0x2\n"
	  "Extended region 1: 0x60000000->0x70000000\n", 0, 0, 1,
	  { { 0x40000000, 0x4fffffff } } },
	{ "domain 1 chosen", "(XEN) d1: extended region 0: 0x10000000->0x20000000\n"
	  "(XEN) d0: extended region 0: 0x40000000->0x50000000", 0, 1, 1,
	  { { 0x10000000, 0x1fffffff } } },
	{ "malformed lines ignored",
	  "(XEN) d0: extended region 0: 0x50000000->0x40000000\n"
	  "(XEN) d0: extended region 1: 0x50000000-0x60000000\n"
	  "(XEN) d0: extended region 2: 0x1ffffffffffffffff->0x2\n"
	  "(XEN) d0: extended region x: 0x1->0x2\n"
	  "(XEN) [ 1.0 d0: extended region 3: 0x1->0x2\n"
	  "(XEN) d0: extended region 4: 0x1000->0x2000", 0, 0, 1,
	  { { 0x1000, 0x1fff } } },
	{ "a second boot replaces the first",
	  "(XEN) d0: extended region 0: 0x1000->0x2000\n"
	  "(XEN) d0: extended region 1: 0x3000->0x4000\n"
	  "(XEN) d0: extended region 0: 0x5000->0x6000\n", 0, 0, 1,
	  { { 0x5000, 0x5fff } } },
	{ "disabled", "(XEN) d0: extended regions support is disabled\n",
	  0, 0, 0, { { 0 } }, true },
	{ "NUL bytes and no final newline", NUL_TEXT, sizeof(NUL_TEXT) - 1,
	  0, 1,
	  { { 0x10000, 0x1ffff } } },
	{ "end at 2^64 - 1 exclusive",
	  "(XEN) d0: extended region 0: 0x1000->0xffffffffffffffff", 0, 0, 1,
	  { { 0x1000, 0xfffffffffffffffe } } },
};

int main(void)
{
	unsigned int i, j;

	for (i = 0; i < ARRAY_SIZE(rows); i++) {
		const struct row *t = &rows[i];
		struct xen_log log;
		size_t len = t->len ? t->len : strlen(t->text);

		h_begin(t->name);
		CHECK(!xen_log_parse(t->text, len, t->domid, &log), "parse");
		CHECK(log.nr == t->nr, "%u regions, want %u", log.nr, t->nr);
		for (j = 0; j < t->nr && j < log.nr; j++) {
			CHECK_EQ(log.regions[j].start, t->regions[j].start);
			CHECK_EQ(log.regions[j].end, t->regions[j].end);
		}
		CHECK(log.disabled == t->disabled, "disabled");
		xen_log_free(&log);
		h_end();
	}
	return h_finish();
}
