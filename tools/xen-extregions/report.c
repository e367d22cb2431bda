// SPDX-License-Identifier: GPL-2.0-only
/* xen-extregions: the human and the JSON report. */
#include <stdio.h>
#include <string.h>

#include <linux/kernel.h>
#include <host/model.h>

#include "tool.h"

static void size_str(u64 bytes, char *buf, size_t len)
{
	static const char *const units[] = { "B", "KiB", "MiB", "GiB", "TiB",
					     "PiB", "EiB" };
	unsigned int u = 0;

	while (u < 6 && bytes >= 1024 && !(bytes & 1023)) {
		bytes >>= 10;
		u++;
	}
	snprintf(buf, len, "%llu %s", bytes, units[u]);
}

static void human_range(const char *label, const struct range *rg)
{
	char sz[32];

	size_str(rg->end - rg->start + 1, sz, sizeof(sz));
	printf("%s0x%llx-0x%llx (%s)\n", label, rg->start, rg->end, sz);
}

static void human_log(const struct report *r)
{
	unsigned int i;

	printf("\nXen log: %u region(s)%s\n", r->log->nr,
	       r->log->disabled ? ", extended regions disabled" : "");
	for (i = 0; i < r->log->nr; i++) {
		printf("  log region %u: ", i);
		human_range("", &r->log->regions[i]);
	}
	printf("  %s\n", r->log_match ? "matches the device tree" :
	       "DOES NOT MATCH the device tree");
}

static void human_carved(const struct range *rg, unsigned int n,
			 const char *what, bool metadata)
{
	unsigned int j;
	char sz[32];

	for (j = 0; j < n; j++) {
		u64 pages = (rg[j].end - rg[j].start + 1) >> host_arm64.page_shift;

		printf("    %s 0x%llx-0x%llx", what, rg[j].start, rg[j].end);
		if (metadata) {
			size_str(pages * 64, sz, sizeof(sz));
			printf(", page metadata %s of RAM", sz);
		}
		printf("\n");
	}
}

static void human_steps(const struct report *r)
{
	unsigned int i;

	if (!r->nr_steps)
		return;
	printf("\nallocations:\n");
	for (i = 0; i < r->nr_steps; i++) {
		const struct step *st = &r->steps[i];

		switch (st->op) {
		case STEP_ALLOC:
			printf("  alloc %lu page(s): %s", st->pages, st->result);
			if (st->err)
				printf(" (%s)", strerror(-st->err));
			else if (st->balloon_pages)
				printf(", %lu ballooned", st->balloon_pages);
			printf("\n");
			break;
		case STEP_FREE:
			printf("  free %lu page(s)\n", st->pages);
			break;
		case STEP_RECLAIM:
			printf("  reclaim: %u range(s), %lu page(s) given back\n",
			       st->nr_released, st->pages);
			break;
		case STEP_SPARE:
			printf("  spare %lu page(s)\n", st->arg);
			break;
		case STEP_ALLOC_CONTIG:
			printf("  alloc-contig %lu page(s): %s", st->pages,
			       st->result);
			if (st->err)
				printf(" (%s)\n", strerror(-st->err));
			else
				printf(", 0x%llx-0x%llx%s\n", st->block.start,
				       st->block.end, st->nr_runs == 1 ? "" :
				       ", NOT CONTIGUOUS");
			break;
		case STEP_FREE_CONTIG:
			printf("  free-contig #%lu: %lu page(s), 0x%llx-0x%llx\n",
			       st->arg, st->pages, st->block.start,
			       st->block.end);
			break;
		}
		human_carved(st->carved, st->nr_carved, "carved", true);
		human_carved(st->released, st->nr_released, "released", false);
	}
}

static void human_view(const struct report *r)
{
	const char *p = r->view, *nl;

	if (!p)
		return;
	printf("\ndebugfs xen/unpopulated:\n");
	for (; *p; p = nl + 1) {
		nl = strchr(p, '\n');
		if (!nl)
			nl = p + strlen(p) - 1;
		printf("  %.*s\n", (int)(nl - p), p);
	}
}

static void human_kernel_log(void)
{
	unsigned int i, n = host_log_count();
	int level;

	printf("\nkernel log:\n");
	for (i = 0; i < n; i++) {
		const char *line = host_log_line(i, &level);

		printf("  <%d>%s%s", level, line,
		       line[0] && line[strlen(line) - 1] == '\n' ? "" : "\n");
	}
}

void report_human(const struct report *r)
{
	const struct xen_ext_regions *er = r->er;
	unsigned int i;
	char sz[32];

	printf("device tree:  %s\n", r->source);
	if (er->node >= 0) {
		printf("hypervisor:   %s, #address-cells %u, #size-cells %u\n",
		       r->node_path, er->addr_cells, er->size_cells);
		if (er->has_gnttab)
			human_range("grant table:  ", &er->gnttab);
	}
	printf("regions:      %u extended region(s)\n", er->nr);
	for (i = 0; i < er->nr; i++) {
		printf("  region %u:   ", i);
		human_range("", &er->regions[i]);
	}
	size_str(1ULL << host_arm64.section_bits, sz, sizeof(sz));
	printf("arm64:        %uK pages, %u-bit VA, %u-bit PA, PHYS_OFFSET 0x%llx%s, %s sections%s\n",
	       1u << (host_arm64.page_shift - 10), host_arm64.va_bits,
	       host_arm64.pa_bits, host_arm64.phys_offset,
	       r->phys_offset_default ? " (no memory node)" : "", sz,
	       host_arm64.kasan_shift ? ", KASAN shadow" : "");
	human_range("pluggable:    ", &r->pluggable);
	if (r->fallback) {
		printf("FALLBACK:     %s: ballooned pages will be used\n",
		       er->reason);
	} else {
		human_range("resource:     ", &r->resource);
		for (i = 0; i < r->nr_holes; i++)
			human_range(i ? "              " : "busy holes:   ",
				    &r->holes[i]);
		size_str(r->usable_bytes, sz, sizeof(sz));
		printf("usable:       %s in whole aligned %s\n", sz,
		       strcmp(r->granularity, "subsection") ? "sections" :
							       "2 MiB sub-sections");
	}
	human_steps(r);
	human_view(r);
	if (r->log)
		human_log(r);
	human_kernel_log();
}

/* A JSON string of @s, without a trailing newline. */
static void json_str(const char *s)
{
	size_t n = strlen(s);

	if (n && s[n - 1] == '\n')
		n--;
	putchar('"');
	for (; n--; s++) {
		unsigned char c = *s;

		if (c == '"' || c == '\\')
			printf("\\%c", c);
		else if (c < 0x20 || c >= 0x7f)
			printf("\\u%04x", c);
		else
			putchar(c);
	}
	putchar('"');
}

static void json_range(const struct range *rg)
{
	printf("[\"0x%llx\", \"0x%llx\"]", rg->start, rg->end);
}

static void json_ranges(const struct range *rg, unsigned int n)
{
	unsigned int i;

	putchar('[');
	for (i = 0; i < n; i++) {
		if (i)
			printf(", ");
		json_range(&rg[i]);
	}
	putchar(']');
}

static const char *const op_names[] = {
	[STEP_ALLOC] = "alloc", [STEP_FREE] = "free",
	[STEP_RECLAIM] = "reclaim", [STEP_SPARE] = "spare",
	[STEP_ALLOC_CONTIG] = "alloc-contig", [STEP_FREE_CONTIG] = "free-contig",
};

static void json_alloc_fields(const struct step *st)
{
	printf("\"result\": \"%s\", \"balloon_pages\": %lu, \"carved\": ",
	       st->result, st->balloon_pages);
	json_ranges(st->carved, st->nr_carved);
}

/* A contiguous block, or null when the allocation failed. */
static void json_block(const struct step *st)
{
	if (st->has_block)
		json_range(&st->block);
	else
		printf("null");
}

static void json_steps(const struct report *r)
{
	unsigned int i, n = 0;

	printf("  \"allocs\": [");
	for (i = 0; i < r->nr_steps; i++) {
		const struct step *st = &r->steps[i];

		if (st->op != STEP_ALLOC)
			continue;
		printf("%s\n    {\"pages\": %lu, ", n++ ? "," : "", st->pages);
		json_alloc_fields(st);
		printf("}");
	}
	printf("%s],\n", n ? "\n  " : "");

	printf("  \"steps\": [");
	for (i = n = 0; i < r->nr_steps; i++) {
		const struct step *st = &r->steps[i];

		if (st->op == STEP_SPARE)
			continue;
		printf("%s\n    {\"op\": \"%s\", \"pages\": %lu", n++ ? "," : "",
		       op_names[st->op], st->pages);
		switch (st->op) {
		case STEP_ALLOC:
			printf(", ");
			json_alloc_fields(st);
			printf(", \"runs\": ");
			json_ranges(st->runs, st->nr_runs);
			break;
		case STEP_RECLAIM:
			printf(", \"released\": ");
			json_ranges(st->released, st->nr_released);
			break;
		case STEP_ALLOC_CONTIG:
			printf(", \"result\": \"%s\", \"range\": ", st->result);
			json_block(st);
			printf(", \"carved\": ");
			json_ranges(st->carved, st->nr_carved);
			printf(", \"runs\": ");
			json_ranges(st->runs, st->nr_runs);
			break;
		case STEP_FREE_CONTIG:
			printf(", \"index\": %lu, \"range\": ", st->arg);
			json_block(st);
			break;
		default:
			break;
		}
		printf("}");
	}
	printf("%s],\n", n ? "\n  " : "");
	printf("  \"stats\": {\"ranges\": %u, \"pages\": %lu, ",
	       r->stats.nr_ranges, r->stats.pages);
	printf("\"free\": %lu, \"balloon_pages\": %lu,\n", r->stats.free,
	       r->stats.balloon_out);
	printf("            \"contiguous\": %lu},\n", r->stats.contig_served);
}

static void json_log(const struct report *r)
{
	unsigned int i, n = host_log_count();
	const char *line;
	int level;

	printf("  \"log\": [");
	for (i = 0; i < n; i++) {
		line = host_log_line(i, &level);
		printf("%s\n    {\"level\": %d, \"text\": ", i ? "," : "",
		       level);
		json_str(line);
		putchar('}');
	}
	printf("%s]", n ? "\n  " : "");
}

void report_json(const struct report *r)
{
	const struct xen_ext_regions *er = r->er;

	printf("{\n  \"source\": ");
	json_str(r->source);
	printf(",\n  \"hypervisor_node\": ");
	if (er->node >= 0)
		json_str(r->node_path);
	else
		printf("null");
	printf(",\n  \"address_cells\": %u,\n  \"size_cells\": %u,\n",
	       er->addr_cells, er->size_cells);
	printf("  \"grant_table\": ");
	if (er->has_gnttab)
		json_range(&er->gnttab);
	else
		printf("null");
	printf(",\n  \"regions\": ");
	json_ranges(er->regions, er->nr);
	printf(",\n  \"arm64\": {\"page_size\": %u, \"va_bits\": %u, \"pa_bits\": %u, \"phys_offset\": \"0x%llx\", \"section_size\": \"0x%llx\", \"kasan_shadow_scale_shift\": %u},\n",
	       1u << host_arm64.page_shift, host_arm64.va_bits,
	       host_arm64.pa_bits, host_arm64.phys_offset,
	       1ULL << host_arm64.section_bits, host_arm64.kasan_shift);
	printf("  \"pluggable\": ");
	json_range(&r->pluggable);
	printf(",\n  \"resource\": ");
	if (r->fallback)
		printf("null");
	else
		json_range(&r->resource);
	printf(",\n  \"holes\": ");
	json_ranges(r->holes, r->nr_holes);
	printf(",\n  \"granularity\": \"%s\",\n  \"usable_bytes\": %llu,\n",
	       r->granularity, r->usable_bytes);
	printf("  \"fallback\": %s,\n  \"reason\": ",
	       r->fallback ? "true" : "false");
	if (r->fallback)
		json_str(er->reason);
	else
		printf("null");
	printf(",\n");
	json_steps(r);
	if (r->log) {
		printf("  \"xen_log\": {\"regions\": ");
		json_ranges(r->log->regions, r->log->nr);
		printf(", \"disabled\": %s, \"match\": %s},\n",
		       r->log->disabled ? "true" : "false",
		       r->log_match ? "true" : "false");
	}
	json_log(r);
	printf("\n}\n");
}
