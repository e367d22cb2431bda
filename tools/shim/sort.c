// SPDX-License-Identifier: GPL-2.0-only
/* Host sort(): an in-place heapsort, unstable, like the kernel's. */
#include <string.h>

#include <linux/sort.h>

static void swap_bytes(void *a, void *b, int size)
{
	unsigned char *x = a, *y = b, t;

	while (size--) {
		t = *x;
		*x++ = *y;
		*y++ = t;
	}
}

static void sift_down(char *base, size_t root, size_t n, size_t size,
		      cmp_func_t cmp, swap_func_t swp)
{
	size_t child;

	while ((child = 2 * root + 1) < n) {
		if (child + 1 < n &&
		    cmp(base + child * size, base + (child + 1) * size) < 0)
			child++;
		if (cmp(base + root * size, base + child * size) >= 0)
			return;
		swp(base + root * size, base + child * size, (int)size);
		root = child;
	}
}

void sort(void *base, size_t num, size_t size, cmp_func_t cmp_func,
	  swap_func_t swap_func)
{
	char *b = base;
	size_t i;

	if (!swap_func)
		swap_func = swap_bytes;
	for (i = num / 2; i-- > 0;)
		sift_down(b, i, num, size, cmp_func, swap_func);
	for (i = num; i-- > 1;) {
		swap_func(b, b + i * size, (int)size);
		sift_down(b, 0, i, size, cmp_func, swap_func);
	}
}
