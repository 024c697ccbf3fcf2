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
#define ADDR_MASK_64 0x000ffffffffff000ull

int pt_levels(enum pt_format fmt)
{
	return fmt == PT_32BIT ? 2 : fmt == PT_4LEVEL ? 4 : 0;
}

uint64_t pt_large_page(enum pt_format fmt)
{
	return fmt == PT_32BIT ? (4ull << 20) : (2ull << 20);
}

static uint64_t div_up(uint64_t a, uint64_t b)
{
	return a / b + (a % b != 0);
}

unsigned pt_tables_needed(enum pt_format fmt, uint64_t map_size)
{
	int tail = map_size % pt_large_page(fmt) != 0;

	if (fmt == PT_32BIT)
		return 1 + tail;                        /* PD (+ one PT) */
	if (fmt == PT_4LEVEL)
		return 2 + (unsigned)div_up(map_size, 1ull << 30) + tail; /* PML4, PDPT, PDs, PT */
	return 0;
}

/* Hands out zeroed 4 KiB tables from [next, limit). */
struct table_alloc {
	struct gmem *g;
	uint64_t next, limit;
	unsigned count;
};

static int table_new(struct table_alloc *a, uint64_t *gpa)
{
	void *p;

	if (a->next > a->limit || a->limit - a->next < PAGE_SIZE)
		return -ENOSPC;
	p = gmem_ptr(a->g, a->next, PAGE_SIZE);
	if (!p)
		return -EFAULT;
	memset(p, 0, PAGE_SIZE);
	*gpa = a->next;
	a->next += PAGE_SIZE;
	a->count++;
	return 0;
}

static void put32(struct gmem *g, uint64_t table, unsigned i, uint64_t val)
{
	gmem_write32(g, table + 4ull * i, (uint32_t)val); /* table checked by table_new */
}

static void put64(struct gmem *g, uint64_t table, unsigned i, uint64_t val)
{
	gmem_write64(g, table + 8ull * i, val);
}

/* Maps [base, base + size) of one large-page slot with 4 KiB pages in a new table. */
static int build_tail(struct table_alloc *a, uint64_t base, uint64_t size, int wide,
		      uint64_t *table, struct pt_built *out)
{
	int err = table_new(a, table);

	if (err)
		return err;
	for (uint64_t off = 0; off < size; off += PAGE_SIZE) {
		unsigned i = (unsigned)(off / PAGE_SIZE);

		if (wide)
			put64(a->g, *table, i, (base + off) | PTE_P | PTE_RW);
		else
			put32(a->g, *table, i, (base + off) | PTE_P | PTE_RW);
		out->small++;
	}
	return 0;
}

static int build_32(struct table_alloc *a, uint64_t map_size, struct pt_built *out)
{
	const uint64_t large = pt_large_page(PT_32BIT);
	uint64_t pd, pt;
	int err = table_new(a, &pd);

	if (err)
		return err;
	out->root = pd;
	for (uint64_t base = 0; base < map_size; base += large) {
		unsigned i = (unsigned)(base / large);

		if (map_size - base >= large) {
			put32(a->g, pd, i, base | PTE_P | PTE_RW | PTE_PS);
			out->large++;
			continue;
		}
		err = build_tail(a, base, map_size - base, 0, &pt, out);
		if (err)
			return err;
		put32(a->g, pd, i, pt | PTE_P | PTE_RW);
	}
	return 0;
}

static int build_4level(struct table_alloc *a, uint64_t map_size, struct pt_built *out)
{
	const uint64_t large = pt_large_page(PT_4LEVEL);
	uint64_t pml4, pdpt, pd = 0, pt;
	int err;

	if ((err = table_new(a, &pml4)) || (err = table_new(a, &pdpt)))
		return err;
	out->root = pml4;
	put64(a->g, pml4, 0, pdpt | PTE_P | PTE_RW);
	for (uint64_t base = 0; base < map_size; base += large) {
		unsigned pd_i = (unsigned)((base >> 21) & 511);

		if (pd_i == 0) { /* a new GiB: a new page directory */
			if ((err = table_new(a, &pd)))
				return err;
			put64(a->g, pdpt, (unsigned)(base >> 30), pd | PTE_P | PTE_RW);
		}
		if (map_size - base >= large) {
			put64(a->g, pd, pd_i, base | PTE_P | PTE_RW | PTE_PS);
			out->large++;
			continue;
		}
		err = build_tail(a, base, map_size - base, 1, &pt, out);
		if (err)
			return err;
		put64(a->g, pd, pd_i, pt | PTE_P | PTE_RW);
	}
	return 0;
}

int pt_build(struct gmem *g, enum pt_format fmt, uint64_t map_size, uint64_t table_gpa,
	     uint64_t table_limit, struct pt_built *out)
{
	struct table_alloc a = { .g = g, .next = table_gpa, .limit = table_limit };
	int err;

	memset(out, 0, sizeof(*out));
	if (map_size == 0 || map_size % PAGE_SIZE || table_gpa % PAGE_SIZE)
		return -EINVAL;
	if (fmt == PT_32BIT && map_size <= (4ull << 30))
		err = build_32(&a, map_size, out);
	else if (fmt == PT_4LEVEL && map_size <= (512ull << 30))
		err = build_4level(&a, map_size, out);
	else
		return -EINVAL;
	out->tables = a.count;
	out->tables_end = a.next;
	return err;
}

static int read_entry(const struct gmem *g, enum pt_format fmt, uint64_t table,
		      unsigned i, uint64_t *entry)
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
		return e & ADDR_MASK_64 & ~(size - 1);
	return l == 1 ? e & 0xfffff000ull : pde32_large_base(e);
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
			table &= 0xfffff000ull;
		else
			table &= ADDR_MASK_64;
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
	} names[] = { { PTE_P, "P" },  { PTE_RW, "RW" }, { PTE_US, "US" }, { PTE_A, "A" },
		      { PTE_D, "D" },  { PTE_PS, "PS" }, { PTE_NX, "NX" } };
	size_t n = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if ((e & names[i].bit) && n < len)
			n += (size_t)snprintf(buf + n, len - n, "%s%s", n ? " " : "", names[i].name);
	return buf;
}

static const char *level_name(enum pt_format fmt, int l)
{
	static const char *const n4[] = { "PML4", "PDPT", "PD", "PT" };
	static const char *const n2[] = { "PD", "PT" };

	return fmt == PT_4LEVEL ? n4[l] : n2[l];
}

/* Prints one table at level l covering guest-virtual from va_base, then its children. */
static void dump_table(FILE *f, const struct gmem *g, enum pt_format fmt, uint64_t table,
		       int l, uint64_t va_base, int depth)
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
	fprintf(f, "%*s%s at gpa 0x%" PRIx64 " (hva %p): %u of %u entries present\n", depth * 2,
		"", level_name(fmt, l), table, host, present, n);
	if (!host)
		return;
	for (unsigned i = 0; i < n; i++) {
		uint64_t e = 0, e2, pa, va = va_base + i * span;
		unsigned j = i;

		read_entry(g, fmt, table, i, &e);
		if (!(e & PTE_P))
			continue;
		if (!is_leaf(fmt, l, e)) {
			uint64_t child = fmt == PT_4LEVEL ? e & ADDR_MASK_64 : e & 0xfffff000ull;

			fprintf(f, "%*s[%u] -> %s at gpa 0x%" PRIx64 "  %s\n", depth * 2 + 2, "", i,
				level_name(fmt, l + 1), child, pt_flags_str(e, flags, sizeof(flags)));
			dump_table(f, g, fmt, child, l + 1, va, depth + 2);
			continue;
		}
		/* A run of leaves mapping contiguous pages with equal flags is one line. */
		while (j + 1 < n && !read_entry(g, fmt, table, j + 1, &e2) &&
		       e2 == e + (uint64_t)(j + 1 - i) * span)
			j++;
		pa = leaf_base(fmt, l, e, span);
		fmt_size(span, sz, sizeof(sz));
		fprintf(f, "%*s[%u-%u] %u x %s pages: gva 0x%" PRIx64 "-0x%" PRIx64
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
