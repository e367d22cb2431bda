// SPDX-License-Identifier: GPL-2.0
/*
 * iomemcheck [SECTION_MIB [FILE]]: list the "Xen scratch" ranges of /proc/iomem
 * (the unpopulated-memory allocator's address-space reservations) and check
 * that each one starts and ends on a memory-section boundary (128 MiB by
 * default) and overlaps no other top-level entry. FILE (default /proc/iomem)
 * lets the parser be tried on a saved copy.
 *
 * Output: one "scratch START-END" line per range, then
 *   iomemcheck: PASS ranges=N    or    iomemcheck: FAIL <reason>...
 * Exit status 0 only if every range passed (also when there are none).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_ENTRIES 1024

struct entry {
	uint64_t start, end;	/* inclusive, as printed by the kernel */
	int scratch;
};

static struct entry top[MAX_ENTRIES];

int main(int argc, char **argv)
{
	uint64_t sect = (argc > 1 ? strtoull(argv[1], NULL, 0) : 128) << 20;
	char line[256];
	int ntop = 0, nscratch = 0, fails = 0, i, j;
	const char *path = argc > 2 ? argv[2] : "/proc/iomem";
	FILE *f = fopen(path, "r");

	if (!f) {
		printf("iomemcheck: FAIL cannot open %s\n", path);
		return 1;
	}
	while (fgets(line, sizeof(line), f)) {
		unsigned long long s, e;
		int name_at = 0;
		int nested = line[0] == ' ';
		char *name;

		if (sscanf(line, " %llx-%llx : %n", &s, &e, &name_at) != 2 || !name_at)
			continue;
		name = line + name_at;
		name[strcspn(name, "\n")] = 0;
		if (!strcmp(name, "Xen scratch")) {
			printf("scratch %08llx-%08llx%s\n", s, e, nested ? " (nested)" : "");
			nscratch++;
			if (s % sect || (e + 1) % sect) {
				printf("iomemcheck: FAIL %llx-%llx not aligned to %llu MiB\n",
				       s, e, (unsigned long long)(sect >> 20));
				fails++;
			}
			if (nested) {
				printf("iomemcheck: FAIL %llx-%llx is not a top-level entry\n", s, e);
				fails++;
			}
		}
		if (!nested && ntop < MAX_ENTRIES) {
			top[ntop].start = s;
			top[ntop].end = e;
			top[ntop].scratch = !strcmp(name, "Xen scratch");
			ntop++;
		}
	}
	fclose(f);

	for (i = 0; i < ntop && !top[i].end; i++)
		;
	if (ntop && i == ntop) {
		printf("iomemcheck: FAIL addresses hidden (not root?)\n");
		return 1;
	}

	for (i = 0; i < ntop; i++) {
		if (!top[i].scratch)
			continue;
		for (j = 0; j < ntop; j++) {
			if (j == i || top[j].start > top[i].end || top[j].end < top[i].start)
				continue;
			printf("iomemcheck: FAIL scratch %llx-%llx overlaps %llx-%llx\n",
			       (unsigned long long)top[i].start,
			       (unsigned long long)top[i].end,
			       (unsigned long long)top[j].start,
			       (unsigned long long)top[j].end);
			fails++;
		}
	}

	if (fails)
		return 1;
	printf("iomemcheck: PASS ranges=%d\n", nscratch);
	return 0;
}
