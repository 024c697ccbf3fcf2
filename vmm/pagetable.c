/* SPDX-License-Identifier: MIT */
/* vmm/pagetable.c: identity page tables for 32-bit and 4-level paging, a software
 * walker and a printer. Pure code over struct gmem: no KVM, unit-tested. */
#include "pagetable.h"
#include "util.h"

#include <errno.h>
#include <inttypes.h>
#include <string.h>

#define ENTRIES_32 1024u
#define ENTRIES_64 512u
/* Physical-address bits of a 4-level entry: 51:12 (bits 62:52 are ignored/keys). */

int pt_levels(enum pt_format fmt)
{
	return fmt == PT_32BIT ? 2 : fmt == PT_4LEVEL ? 4 : 0;
}

uint64_t pt_large_page(enum pt_format fmt)
{
	return fmt == PT_32BIT ? (4ull << 20) : (2ull << 20);
}

/* Hands out zeroed 4 KiB tables from [next, limit) of g, or only counts them when g is
 * NULL (a dry run, to size the tables region). */
struct builder {
	struct gmem *g;
	const struct pt_spec *s;
	uint64_t next, limit;
	unsigned count;
	struct pt_built *out;
};

static int table_new(struct builder *b, uint64_t *gpa)
{
	void *p = NULL;

	if (b->next > b->limit || b->limit - b->next < PAGE_SIZE)
		return -ENOSPC;
	if (b->g && !(p = gmem_ptr(b->g, b->next, PAGE_SIZE)))
		return -EFAULT;
	if (p)
		memset(p, 0, PAGE_SIZE);
	*gpa = b->next;
	b->next += PAGE_SIZE;
	b->count++;
	return 0;
}

/* Writes entry i of the table at local address table (checked by table_new). */
static void put(struct builder *b, uint64_t table, unsigned i, uint64_t val)
{
	if (!b->g)
		return;
	if (b->s->fmt == PT_4LEVEL)
		gmem_write64(b->g, table + 8ull * i, val);
	else
		gmem_write32(b->g, table + 4ull * i, (uint32_t)val);
}

static bool in_kernel(const struct pt_spec *s, uint64_t va, uint64_t len)
{
	return va < s->kernel_end && s->kernel_start < va + len;
}

/* Flags of an entry pointing to a table: user-accessible when anything below may be. */
static uint64_t dir_flags(const struct pt_spec *s)
{
	return PTE_P | PTE_RW | (s->user ? PTE_US : 0);
}

/* Flags of a leaf mapping guest-virtual [va, va + len). */
static uint64_t leaf_flags(const struct pt_spec *s, uint64_t va, uint64_t len)
{
	return PTE_P | PTE_RW | (s->user && !in_kernel(s, va, len) ? PTE_US : 0);
}

/* Entry pointing to a table at local address t: the CPU needs its guest-physical one. */
static uint64_t table_entry(const struct builder *b, uint64_t t)
{
	return (b->s->phys + t) | dir_flags(b->s);
}

/* One large-page slot at guest-virtual base: a large page when it can be one (whole,
 * aligned, not straddling the supervisor-only range), else a table of 4 KiB pages. */
static int map_slot(struct builder *b, uint64_t dir, unsigned i, uint64_t base)
{
	const struct pt_spec *s = b->s;
	const uint64_t large = pt_large_page(s->fmt);
	const uint64_t len = s->size - base < large ? s->size - base : large;
	uint64_t pt;
	int err;

	if (len == large && !(s->user && in_kernel(s, base, large) &&
			      !(s->kernel_start <= base && base + large <= s->kernel_end))) {
		put(b, dir, i, (s->phys + base) | leaf_flags(s, base, large) | PTE_PS);
		b->out->large++;
		return 0;
	}
	if ((err = table_new(b, &pt)))
		return err;
	for (uint64_t off = 0; off < len; off += PAGE_SIZE) {
		put(b, pt, (unsigned)(off / PAGE_SIZE),
		    (s->phys + base + off) | leaf_flags(s, base + off, PAGE_SIZE));
		b->out->small++;
	}
	put(b, dir, i, table_entry(b, pt));
	return 0;
}

static int build_32(struct builder *b)
{
	const uint64_t large = pt_large_page(PT_32BIT);
	uint64_t pd;
	int err = table_new(b, &pd);

	if (err)
		return err;
	b->out->root = b->s->phys + pd;
	for (uint64_t base = 0; base < b->s->size; base += large)
		if ((err = map_slot(b, pd, (unsigned)(base / large), base)))
			return err;
	return 0;
}

static int build_4level(struct builder *b)
{
	const uint64_t large = pt_large_page(PT_4LEVEL);
	uint64_t pml4, pdpt, pd = 0;
	int err;

	if ((err = table_new(b, &pml4)) || (err = table_new(b, &pdpt)))
		return err;
	b->out->root = b->s->phys + pml4;
	put(b, pml4, 0, table_entry(b, pdpt));
	for (uint64_t base = 0; base < b->s->size; base += large) {
		unsigned pd_i = (unsigned)((base >> 21) & 511);

		if (pd_i == 0) { /* a new GiB: a new page directory */
			if ((err = table_new(b, &pd)))
				return err;
			put(b, pdpt, (unsigned)(base >> 30), table_entry(b, pd));
		}
		if ((err = map_slot(b, pd, pd_i, base)))
			return err;
	}
	return 0;
}

static int build(struct gmem *g, const struct pt_spec *s, uint64_t table_gpa, uint64_t table_limit,
		 struct pt_built *out)
{
	struct builder b = { .g = g, .s = s, .next = table_gpa, .limit = table_limit, .out = out };
	int err;

	memset(out, 0, sizeof(*out));
	if (s->size == 0 || s->size % PAGE_SIZE || table_gpa % PAGE_SIZE ||
	    (s->fmt != PT_NONE && s->phys % pt_large_page(s->fmt)))
		return -EINVAL;
	if (s->fmt == PT_32BIT && s->size <= (4ull << 30) && s->phys + s->size <= (4ull << 30))
		err = build_32(&b);
	else if (s->fmt == PT_4LEVEL && s->size <= (512ull << 30))
		err = build_4level(&b);
	else
		return -EINVAL;
	out->tables = b.count;
	out->tables_end = b.next;
	return err;
}

int pt_build_spec(struct gmem *g, const struct pt_spec *s, uint64_t table_gpa, uint64_t table_limit,
		  struct pt_built *out)
{
	return build(g, s, table_gpa, table_limit, out);
}

unsigned pt_tables_for(const struct pt_spec *s)
{
	struct pt_built out;

	if (s->fmt == PT_NONE || build(NULL, s, 0, UINT64_MAX - PAGE_SIZE, &out))
		return 0;
	return out.tables;
}

static int read_entry(const struct gmem *g, enum pt_format fmt, uint64_t table, unsigned i,
		      uint64_t *entry)
{
	uint32_t e32;

	if (fmt == PT_4LEVEL)
		return gmem_read64(g, table + 8ull * i, entry) ? 0 : -EFAULT;
	if (!gmem_read32(g, table + 4ull * i, &e32))
		return -EFAULT;
	*entry = e32;
	return 0;
}

/* Bits 39:32 of a 4 MiB page's address sit in PDE bits 20:13 (PSE-36). */
static uint64_t pde32_large_base(uint64_t e)
{
	return (e & 0xffc00000ull) | (((e >> 13) & 0xffull) << 32);
}

/* Whether entry e at level l maps a page: always at the last level; with PS set, in a
 * page directory (both formats) or a PDPT (a 1 GiB page, 4-level only). */
static int is_leaf(enum pt_format fmt, int l, uint64_t e)
{
	const int levels = pt_levels(fmt);

	if (l == levels - 1)
		return 1;
	return (e & PTE_PS) && (l == levels - 2 || (fmt == PT_4LEVEL && l == 1));
}

/* Guest-physical base of the page of size `size` that leaf entry e at level l maps. */
static uint64_t leaf_base(enum pt_format fmt, int l, uint64_t e, uint64_t size)
{
	if (fmt == PT_4LEVEL)
		return e & PTE_ADDR_MASK_64 & ~(size - 1);
	return l == 1 ? e & PTE_ADDR_MASK_32 : pde32_large_base(e);
}

int pt_walk(const struct gmem *g, enum pt_format fmt, uint64_t root, uint64_t gva,
	    struct pt_walk *w)
{
	const int levels = pt_levels(fmt);
	const int shift0 = fmt == PT_32BIT ? 22 : 39;
	const int bits = fmt == PT_32BIT ? 10 : 9;
	uint64_t table = root;

	memset(w, 0, sizeof(*w));
	if (!levels)
		return -EINVAL;
	if (fmt == PT_32BIT && gva > 0xffffffffull)
		return -ERANGE;
	/* Canonical: bits 63:47 all equal to bit 47. */
	if (fmt == PT_4LEVEL && ((int64_t)(gva << 16) >> 16) != (int64_t)gva)
		return -ERANGE;
	w->writable = w->user = 1;
	for (int l = 0; l < levels; l++) {
		const int shift = shift0 - l * bits;
		const unsigned i = (unsigned)((gva >> shift) & ((1u << bits) - 1));
		uint64_t e;
		int err;

		if (fmt == PT_32BIT)
			table &= PTE_ADDR_MASK_32;
		else
			table &= PTE_ADDR_MASK_64;
		if ((err = read_entry(g, fmt, table, i, &e)))
			return err;
		w->step[l] = (struct pt_step){ .table = table, .index = i, .entry = e };
		w->steps = l + 1;
		if (!(e & PTE_P))
			return -ENOENT;
		w->writable &= !!(e & PTE_RW);
		w->user &= !!(e & PTE_US);
		w->nx |= fmt == PT_4LEVEL && (e & PTE_NX);
		if (is_leaf(fmt, l, e)) {
			uint64_t size = 1ull << shift;

			w->page_size = size;
			w->gpa = leaf_base(fmt, l, e, size) | (gva & (size - 1));
			return 0;
		}
		table = e;
	}
	return -EINVAL; /* not reached: the last level is always a leaf */
}

const char *pt_flags_str(uint64_t e, char *buf, size_t len)
{
	static const struct {
		uint64_t bit;
		const char *name;
	} names[] = { { PTE_P, "P" }, { PTE_RW, "RW" }, { PTE_US, "US" }, { PTE_A, "A" },
		      { PTE_D, "D" }, { PTE_PS, "PS" }, { PTE_NX, "NX" } };
	size_t n = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if ((e & names[i].bit) && n < len)
			n += (size_t)snprintf(buf + n, len - n, "%s%s", n ? " " : "",
					      names[i].name);
	return buf;
}

static const char *level_name(enum pt_format fmt, int l)
{
	static const char *const n4[] = { "PML4", "PDPT", "PD", "PT" };
	static const char *const n2[] = { "PD", "PT" };

	return fmt == PT_4LEVEL ? n4[l] : n2[l];
}

/* Prints one table at level l covering guest-virtual from va_base, then its children. */
static void dump_table(FILE *f, const struct gmem *g, enum pt_format fmt, uint64_t table, int l,
		       uint64_t va_base, int depth)
{
	const unsigned n = fmt == PT_32BIT ? ENTRIES_32 : ENTRIES_64;
	const int shift = (fmt == PT_32BIT ? 22 : 39) - l * (fmt == PT_32BIT ? 10 : 9);
	const uint64_t span = 1ull << shift;
	const void *host = gmem_ptr(g, table, PAGE_SIZE);
	unsigned present = 0;
	char flags[40], sz[32];

	for (unsigned i = 0; i < n; i++) {
		uint64_t e = 0;

		read_entry(g, fmt, table, i, &e);
		present += (e & PTE_P) != 0;
	}
	fprintf(f, "%*s%s at gpa 0x%" PRIx64 " (hva %p): %u of %u entries present\n", depth * 2, "",
		level_name(fmt, l), table, host, present, n);
	if (!host)
		return;
	for (unsigned i = 0; i < n; i++) {
		uint64_t e = 0, e2, pa, va = va_base + i * span;
		unsigned j = i;

		read_entry(g, fmt, table, i, &e);
		if (!(e & PTE_P))
			continue;
		if (!is_leaf(fmt, l, e)) {
			uint64_t child =
				fmt == PT_4LEVEL ? e & PTE_ADDR_MASK_64 : e & PTE_ADDR_MASK_32;

			fprintf(f, "%*s[%u] -> %s at gpa 0x%" PRIx64 "  %s\n", depth * 2 + 2, "", i,
				level_name(fmt, l + 1), child,
				pt_flags_str(e, flags, sizeof(flags)));
			dump_table(f, g, fmt, child, l + 1, va, depth + 2);
			continue;
		}
		/* A run of leaves mapping contiguous pages with equal flags is one line. */
		while (j + 1 < n && !read_entry(g, fmt, table, j + 1, &e2) &&
		       e2 == e + (uint64_t)(j + 1 - i) * span)
			j++;
		pa = leaf_base(fmt, l, e, span);
		fmt_size(span, sz, sizeof(sz));
		fprintf(f,
			"%*s[%u-%u] %u x %s pages: gva 0x%" PRIx64 "-0x%" PRIx64
			" -> gpa 0x%" PRIx64 "-0x%" PRIx64 "  %s\n",
			depth * 2 + 2, "", i, j, j - i + 1, sz, va, va + (j - i + 1) * span - 1, pa,
			pa + (j - i + 1) * span - 1, pt_flags_str(e, flags, sizeof(flags)));
		i = j;
	}
}

void pt_dump(FILE *f, const struct gmem *g, enum pt_format fmt, uint64_t root)
{
	if (!pt_levels(fmt)) {
		fprintf(f, "no page tables: paging is off\n");
		return;
	}
	dump_table(f, g, fmt, root, 0, 0, 0);
}
