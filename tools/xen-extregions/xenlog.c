// SPDX-License-Identifier: GPL-2.0-only
/* Parser of Xen's "extended region" boot lines; bounded, any input is safe. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <linux/kernel.h>

#include "xenlog.h"

struct cursor {
	const char *p, *end;
};

static bool skip_str(struct cursor *c, const char *s)
{
	size_t n = strlen(s);

	if ((size_t)(c->end - c->p) < n || memcmp(c->p, s, n))
		return false;
	c->p += n;
	return true;
}

static void skip_spaces(struct cursor *c)
{
	while (c->p < c->end && (*c->p == ' ' || *c->p == '\t'))
		c->p++;
}

static int hexval(char ch)
{
	if (ch >= '0' && ch <= '9')
		return ch - '0';
	if (ch >= 'a' && ch <= 'f')
		return ch - 'a' + 10;
	if (ch >= 'A' && ch <= 'F')
		return ch - 'A' + 10;
	return -1;
}

/* A number in @base (10 or 16, "0x" optional for 16); false on overflow. */
static bool parse_num(struct cursor *c, unsigned int base, u64 *val)
{
	const char *start;
	int d;

	if (base == 16 && c->end - c->p >= 2 && c->p[0] == '0' &&
	    (c->p[1] == 'x' || c->p[1] == 'X'))
		c->p += 2;
	start = c->p;
	*val = 0;
	while (c->p < c->end && (d = hexval(*c->p)) >= 0 && d < (int)base) {
		if (*val > (U64_MAX - d) / base)
			return false;
		*val = *val * base + d;
		c->p++;
	}
	return c->p > start;
}

/* After "(XEN)": optional timestamp, optional "dN: ", then the message. */
static bool parse_prefix(struct cursor *c, u64 *dom, bool *new_form)
{
	skip_spaces(c);
	if (c->p < c->end && *c->p == '[') {
		const char *close = memchr(c->p, ']', c->end - c->p);

		if (!close)
			return false;
		c->p = close + 1;
		skip_spaces(c);
	}
	*dom = 0;
	*new_form = false;
	if (c->p < c->end && *c->p == 'd') {
		c->p++;
		if (!parse_num(c, 10, dom) || !skip_str(c, ":"))
			return false;
		skip_spaces(c);
		*new_form = true;
	}
	return true;
}

static int add_region(struct xen_log *log, u64 index, u64 start, u64 end)
{
	struct range *r;

	if (index == 0)
		log->nr = 0;	/* a new boot starts its list again */
	if (log->nr >= XEN_LOG_MAX_REGIONS)
		return 0;
	r = realloc(log->regions, (log->nr + 1) * sizeof(*r));
	if (!r)
		return -ENOMEM;
	log->regions = r;
	r[log->nr].start = start;
	r[log->nr].end = end - 1;
	log->nr++;
	return 0;
}

static int parse_line(struct cursor *c, unsigned int domid,
		      struct xen_log *log)
{
	const char *tag = c->end - c->p >= 5 ?
			  memmem(c->p, c->end - c->p, "(XEN)", 5) : NULL;
	u64 dom, index, start, end;
	bool new_form;

	if (!tag)
		return 0;
	c->p = tag + 5;
	if (!parse_prefix(c, &dom, &new_form) || dom != domid)
		return 0;
	if (new_form && skip_str(c, "extended regions support is disabled")) {
		log->disabled = true;
		log->nr = 0;
		log->lines++;
		return 0;
	}
	if (!skip_str(c, new_form ? "extended region " : "Extended region "))
		return 0;
	if (!parse_num(c, 10, &index) || !skip_str(c, ":"))
		return 0;
	skip_spaces(c);
	if (!parse_num(c, 16, &start) || !skip_str(c, "->") ||
	    !parse_num(c, 16, &end) || end <= start)
		return 0;
	log->lines++;
	return add_region(log, index, start, end);
}

int xen_log_parse(const char *text, size_t len, unsigned int domid,
		  struct xen_log *log)
{
	const char *end = text + len;
	int ret = 0;

	memset(log, 0, sizeof(*log));
	while (text < end && !ret) {
		const char *nl = memchr(text, '\n', end - text);
		struct cursor c = { text, nl ? nl : end };

		ret = parse_line(&c, domid, log);
		text = nl ? nl + 1 : end;
	}
	if (ret)
		xen_log_free(log);
	return ret;
}

void xen_log_free(struct xen_log *log)
{
	free(log->regions);
	log->regions = NULL;
	log->nr = 0;
}
