/* SPDX-License-Identifier: GPL-2.0-only */
/* Host look-alike of <linux/bitmap.h> and the bit operations it brings. */
#ifndef _HOST_LINUX_BITMAP_H
#define _HOST_LINUX_BITMAP_H

#include <linux/bits.h>
#include <linux/slab.h>
#include <linux/string.h>

#define BITS_TO_LONGS(n)	(((n) + BITS_PER_LONG - 1) / BITS_PER_LONG)

static inline unsigned long *bitmap_zalloc(unsigned int nbits, gfp_t flags)
{
	return kcalloc(BITS_TO_LONGS(nbits), sizeof(unsigned long), flags);
}

static inline void bitmap_free(const unsigned long *bitmap)
{
	kfree(bitmap);
}

static inline void bitmap_copy(unsigned long *dst, const unsigned long *src,
			       unsigned int nbits)
{
	memcpy(dst, src, BITS_TO_LONGS(nbits) * sizeof(unsigned long));
}

/*
 * A bitmap word is read and written whole, as the kernel's aligned word
 * accesses are (single-copy atomic: KCSAN assumes as much of plain
 * writes): relaxed atomic loads and stores, the same instructions as
 * plain ones, so that ThreadSanitizer sees a lockless test_bit() next to
 * a locked __set_bit() as the kernel has it.  The read-modify-writes of
 * the non-atomic operations stay non-atomic: two at once lose one.
 */
static inline unsigned long host_word(const unsigned long *w)
{
	return __atomic_load_n(w, __ATOMIC_RELAXED);
}

static inline void host_word_set(unsigned long *w, unsigned long v)
{
	__atomic_store_n(w, v, __ATOMIC_RELAXED);
}

static inline void __set_bit(unsigned long nr, unsigned long *addr)
{
	unsigned long *w = addr + nr / BITS_PER_LONG;

	host_word_set(w, host_word(w) | 1UL << (nr % BITS_PER_LONG));
}

static inline void __clear_bit(unsigned long nr, unsigned long *addr)
{
	unsigned long *w = addr + nr / BITS_PER_LONG;

	host_word_set(w, host_word(w) & ~(1UL << (nr % BITS_PER_LONG)));
}

/* The atomic ones: one locked read-modify-write of the word each. */
static inline bool test_and_set_bit(unsigned long nr, unsigned long *addr)
{
	unsigned long m = 1UL << (nr % BITS_PER_LONG);

	return __atomic_fetch_or(addr + nr / BITS_PER_LONG, m,
				 __ATOMIC_SEQ_CST) & m;
}

static inline void set_bit(unsigned long nr, unsigned long *addr)
{
	__atomic_fetch_or(addr + nr / BITS_PER_LONG,
			  1UL << (nr % BITS_PER_LONG), __ATOMIC_RELAXED);
}

static inline void clear_bit(unsigned long nr, unsigned long *addr)
{
	__atomic_fetch_and(addr + nr / BITS_PER_LONG,
			   ~(1UL << (nr % BITS_PER_LONG)), __ATOMIC_RELAXED);
}

static inline bool test_bit(unsigned long nr, const unsigned long *addr)
{
	return host_word(addr + nr / BITS_PER_LONG) &
	       (1UL << (nr % BITS_PER_LONG));
}

/*
 * The first bit at or after @offset that is set (@invert 0) or clear
 * (@invert ~0UL), or @size when there is none; a word at a time.
 */
static inline unsigned long host_find_next(const unsigned long *addr,
					   unsigned long size,
					   unsigned long offset,
					   unsigned long invert)
{
	unsigned long word;

	while (offset < size) {
		word = (host_word(addr + offset / BITS_PER_LONG) ^ invert) >>
		       (offset % BITS_PER_LONG);
		if (word) {
			offset += __builtin_ctzl(word);
			return offset < size ? offset : size;
		}
		offset = (offset | (BITS_PER_LONG - 1)) + 1;
	}
	return size;
}

static inline unsigned long find_next_zero_bit(const unsigned long *addr,
					       unsigned long size,
					       unsigned long offset)
{
	return host_find_next(addr, size, offset, ~0UL);
}

static inline unsigned long find_next_bit(const unsigned long *addr,
					  unsigned long size,
					  unsigned long offset)
{
	return host_find_next(addr, size, offset, 0);
}

static inline unsigned long find_first_bit(const unsigned long *addr,
					   unsigned long size)
{
	return find_next_bit(addr, size, 0);
}

/* Mask of bits @start.. of one word, up to @nbits of them. */
static inline unsigned long host_bitmap_mask(unsigned long start,
					     unsigned long nbits)
{
	unsigned long lo = start % BITS_PER_LONG;
	unsigned long n = nbits < BITS_PER_LONG - lo ? nbits : BITS_PER_LONG - lo;

	return (n == BITS_PER_LONG ? ~0UL : ((1UL << n) - 1)) << lo;
}

/* Sets (@set) or clears @nbits bits from @start, a word at a time. */
static inline void host_bitmap_apply(unsigned long *map, unsigned int start,
				     unsigned int nbits, bool set)
{
	unsigned long m, *w;
	unsigned int n;

	while (nbits) {
		n = BITS_PER_LONG - start % BITS_PER_LONG;
		n = n < nbits ? n : nbits;
		m = host_bitmap_mask(start, n);
		w = map + start / BITS_PER_LONG;
		host_word_set(w, set ? host_word(w) | m : host_word(w) & ~m);
		start += n;
		nbits -= n;
	}
}

static inline void bitmap_set(unsigned long *map, unsigned int start,
			      unsigned int nbits)
{
	host_bitmap_apply(map, start, nbits, true);
}

static inline void bitmap_clear(unsigned long *map, unsigned int start,
				unsigned int nbits)
{
	host_bitmap_apply(map, start, nbits, false);
}

static inline unsigned int bitmap_weight(const unsigned long *map,
					 unsigned int nbits)
{
	unsigned int i, w = 0;

	for (i = 0; i < nbits / BITS_PER_LONG; i++)
		w += __builtin_popcountl(map[i]);
	if (nbits % BITS_PER_LONG)
		w += __builtin_popcountl(map[i] &
					 ((1UL << (nbits % BITS_PER_LONG)) - 1));
	return w;
}

/*
 * The first index, at or after @start, of @nr clear bits in a row such
 * that index + @align_offset is a multiple of @align_mask + 1; as in the
 * kernel, a value past @size - @nr when there is none.
 */
static inline unsigned long
bitmap_find_next_zero_area_off(unsigned long *map, unsigned long size,
			       unsigned long start, unsigned int nr,
			       unsigned long align_mask,
			       unsigned long align_offset)
{
	unsigned long idx, end, set;

	for (;;) {
		idx = find_next_zero_bit(map, size, start);
		idx = ((idx + align_offset + align_mask) & ~align_mask) -
		      align_offset;
		end = idx + nr;
		if (end > size)
			return end;
		set = find_next_bit(map, end, idx);
		if (set >= end)
			return idx;
		start = set + 1;
	}
}

static inline unsigned long
bitmap_find_next_zero_area(unsigned long *map, unsigned long size,
			   unsigned long start, unsigned int nr,
			   unsigned long align_mask)
{
	return bitmap_find_next_zero_area_off(map, size, start, nr,
					      align_mask, 0);
}

static inline unsigned long find_first_zero_bit(const unsigned long *addr,
						unsigned long size)
{
	return find_next_zero_bit(addr, size, 0);
}

#endif
