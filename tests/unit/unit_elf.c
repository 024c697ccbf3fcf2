/* SPDX-License-Identifier: MIT */
/* tests/unit/unit_elf.c: elf_load over ELF images built in memory from <elf.h>: valid
 * 64- and 32-bit images land at their addresses with their bss zeroed, and every broken
 * or hostile header field is refused with a message that says why. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <elf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "elf_loader.h"
#include "gmem_fixture.h"

#define MEM_SIZE 0x100000ull /* 1 MiB of guest memory */
#define LIMIT 0x80000ull     /* segments must end at or below this */
#define POISON 0xcc          /* guest memory before a load */
#define IMG_MAX 0x4000       /* the largest image built here */
#define DATA_OFF 0x1000ull   /* where segment data starts in a built image */

struct seg {
	uint32_t type;
	uint64_t vaddr, filesz, memsz;
};

struct fixture {
	struct gmem mem;
	uint8_t img[IMG_MAX];
	size_t size; /* of the image in img */
	int bits;    /* its class */
	struct elf_loaded out;
	struct mv_err err;
};

static int fx_setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	if (!f || gmem_fixture_new(&f->mem, MEM_SIZE, POISON)) {
		free(f);
		return -1;
	}
	*state = f;
	return 0;
}

/* The byte at offset i of segment s's file data. */
static uint8_t seg_byte(unsigned s, uint64_t i)
{
	return (uint8_t)(0x10 * (s + 1) + i * 3 + (i >> 8));
}

/* Builds an ELF executable of class bits with segs (their data from DATA_OFF on, in
 * order) and entry into f->img; the program headers follow the ELF header. */
static void build(struct fixture *f, int bits, uint64_t entry, const struct seg *segs, unsigned n)
{
	const size_t ehsize = bits == 64 ? sizeof(Elf64_Ehdr) : sizeof(Elf32_Ehdr);
	const size_t phsize = bits == 64 ? sizeof(Elf64_Phdr) : sizeof(Elf32_Phdr);
	uint64_t off = DATA_OFF;

	memset(f->img, 0, sizeof(f->img));
	f->bits = bits;
	assert_true(ehsize + n * phsize <= DATA_OFF);
	memcpy(f->img, ELFMAG, SELFMAG);
	f->img[EI_CLASS] = bits == 64 ? ELFCLASS64 : ELFCLASS32;
	f->img[EI_DATA] = ELFDATA2LSB;
	f->img[EI_VERSION] = EV_CURRENT;
	if (bits == 64) {
		Elf64_Ehdr h;

		memcpy(&h, f->img, sizeof(h));
		h.e_type = ET_EXEC;
		h.e_machine = EM_X86_64;
		h.e_version = EV_CURRENT;
		h.e_entry = entry;
		h.e_phoff = ehsize;
		h.e_ehsize = (uint16_t)ehsize;
		h.e_phentsize = (uint16_t)phsize;
		h.e_phnum = (uint16_t)n;
		memcpy(f->img, &h, sizeof(h));
	} else {
		Elf32_Ehdr h;

		memcpy(&h, f->img, sizeof(h));
		h.e_type = ET_EXEC;
		h.e_machine = EM_386;
		h.e_version = EV_CURRENT;
		h.e_entry = (uint32_t)entry;
		h.e_phoff = (uint32_t)ehsize;
		h.e_ehsize = (uint16_t)ehsize;
		h.e_phentsize = (uint16_t)phsize;
		h.e_phnum = (uint16_t)n;
		memcpy(f->img, &h, sizeof(h));
	}
	for (unsigned i = 0; i < n; i++) {
		const uint64_t at = ehsize + i * phsize;

		assert_true(off + segs[i].filesz <= IMG_MAX);
		if (bits == 64) {
			Elf64_Phdr p = { .p_type = segs[i].type,
					 .p_flags = PF_R | PF_X,
					 .p_offset = off,
					 .p_vaddr = segs[i].vaddr,
					 .p_paddr = segs[i].vaddr,
					 .p_filesz = segs[i].filesz,
					 .p_memsz = segs[i].memsz,
					 .p_align = 0x1000 };

			memcpy(f->img + at, &p, sizeof(p));
		} else {
			Elf32_Phdr p = { .p_type = segs[i].type,
					 .p_flags = PF_R | PF_X,
					 .p_offset = (uint32_t)off,
					 .p_vaddr = (uint32_t)segs[i].vaddr,
					 .p_paddr = (uint32_t)segs[i].vaddr,
					 .p_filesz = (uint32_t)segs[i].filesz,
					 .p_memsz = (uint32_t)segs[i].memsz,
					 .p_align = 0x1000 };

			memcpy(f->img + at, &p, sizeof(p));
		}
		for (uint64_t j = 0; j < segs[i].filesz; j++)
			f->img[off + j] = seg_byte(i, j);
		off += segs[i].filesz;
	}
	f->size = off;
}

/* The one-segment image most refusals start from: 0x100 bytes of file, 0x200 of memory
 * at 0x1000, entry at its start. */
static void build_simple(struct fixture *f, int bits)
{
	const struct seg s = { PT_LOAD, 0x1000, 0x100, 0x200 };

	build(f, bits, 0x1000, &s, 1);
}

/* Header fields, read and written whatever the class (the 32-bit ones truncated). */
enum field {
	E_TYPE,
	E_MACHINE,
	E_ENTRY,
	E_PHOFF,
	E_PHENTSIZE,
	E_PHNUM
};

static void set_eh(struct fixture *f, enum field which, uint64_t v)
{
	if (f->bits == 64) {
		Elf64_Ehdr h;

		memcpy(&h, f->img, sizeof(h));
		switch (which) {
		case E_TYPE: h.e_type = (uint16_t)v; break;
		case E_MACHINE: h.e_machine = (uint16_t)v; break;
		case E_ENTRY: h.e_entry = v; break;
		case E_PHOFF: h.e_phoff = v; break;
		case E_PHENTSIZE: h.e_phentsize = (uint16_t)v; break;
		case E_PHNUM: h.e_phnum = (uint16_t)v; break;
		}
		memcpy(f->img, &h, sizeof(h));
	} else {
		Elf32_Ehdr h;

		memcpy(&h, f->img, sizeof(h));
		switch (which) {
		case E_TYPE: h.e_type = (uint16_t)v; break;
		case E_MACHINE: h.e_machine = (uint16_t)v; break;
		case E_ENTRY: h.e_entry = (uint32_t)v; break;
		case E_PHOFF: h.e_phoff = (uint32_t)v; break;
		case E_PHENTSIZE: h.e_phentsize = (uint16_t)v; break;
		case E_PHNUM: h.e_phnum = (uint16_t)v; break;
		}
		memcpy(f->img, &h, sizeof(h));
	}
}

enum pfield {
	P_TYPE,
	P_OFFSET,
	P_VADDR,
	P_FILESZ,
	P_MEMSZ
};

/* Sets a field of program header i (at the place e_phoff says). */
static void set_ph(struct fixture *f, unsigned i, enum pfield which, uint64_t v)
{
	const size_t ehsize = f->bits == 64 ? sizeof(Elf64_Ehdr) : sizeof(Elf32_Ehdr);

	if (f->bits == 64) {
		Elf64_Phdr p;
		uint8_t *at = f->img + ehsize + i * sizeof(p);

		memcpy(&p, at, sizeof(p));
		switch (which) {
		case P_TYPE: p.p_type = (uint32_t)v; break;
		case P_OFFSET: p.p_offset = v; break;
		case P_VADDR: p.p_vaddr = v; break;
		case P_FILESZ: p.p_filesz = v; break;
		case P_MEMSZ: p.p_memsz = v; break;
		}
		memcpy(at, &p, sizeof(p));
	} else {
		Elf32_Phdr p;
		uint8_t *at = f->img + ehsize + i * sizeof(p);

		memcpy(&p, at, sizeof(p));
		switch (which) {
		case P_TYPE: p.p_type = (uint32_t)v; break;
		case P_OFFSET: p.p_offset = (uint32_t)v; break;
		case P_VADDR: p.p_vaddr = (uint32_t)v; break;
		case P_FILESZ: p.p_filesz = (uint32_t)v; break;
		case P_MEMSZ: p.p_memsz = (uint32_t)v; break;
		}
		memcpy(at, &p, sizeof(p));
	}
}

static enum cpu_mode mode_for(int bits)
{
	return bits == 64 ? MODE_LONG : MODE_PROT;
}

static int load(struct fixture *f, enum cpu_mode mode, uint64_t limit)
{
	memset(&f->err, 0, sizeof(f->err));
	return elf_load(&f->mem, f->img, f->size, mode, limit, &f->out, &f->err);
}

/* Loading the image in mode is refused with a one-line message holding each keyword. */
static void refused_in(struct fixture *f, enum cpu_mode mode, uint64_t limit, int line,
		       const char *kw1, const char *kw2)
{
	if (load(f, mode, limit) != -1)
		fail_msg("line %d: loaded, want a refusal mentioning '%s'", line, kw1);
	if (!f->err.msg[0] || strchr(f->err.msg, '\n') || !strstr(f->err.msg, kw1) ||
	    (kw2 && !strstr(f->err.msg, kw2)))
		fail_msg("line %d: message \"%s\", want '%s'%s%s", line, f->err.msg, kw1,
			 kw2 ? " and " : "", kw2 ? kw2 : "");
}

#define REFUSED(f, kw) refused_in(f, mode_for((f)->bits), LIMIT, __LINE__, kw, NULL)
#define REFUSED2(f, mode, kw1, kw2) refused_in(f, mode, LIMIT, __LINE__, kw1, kw2)

static int poisoned(const struct fixture *f, uint64_t from, uint64_t to)
{
	for (uint64_t a = from; a < to; a++)
		if (f->mem.host[a] != POISON)
			return 0;
	return 1;
}

/* ---- valid images ---- */

static void check_valid(struct fixture *f, int bits, enum cpu_mode mode)
{
	const struct seg segs[] = {
		{ PT_LOAD, 0x1000, 0x300, 0x300 },  /* text */
		{ PT_NOTE, 0x0, 0x10, 0x10 },       /* not loaded */
		{ PT_LOAD, 0x4000, 0x100, 0x2800 }, /* data and bss */
		{ PT_LOAD, 0x9000, 0, 0 },          /* empty: skipped */
		{ PT_GNU_STACK, 0, 0, 0 },
		{ PT_LOAD, LIMIT - 0x20, 0x8, 0x20 }, /* up to the limit exactly */
	};

	build(f, bits, 0x1010, segs, 6);
	assert_int_equal(load(f, mode, LIMIT), 0);
	assert_string_equal(f->err.msg, "");
	assert_int_equal(f->out.bits, bits);
	assert_int_equal(f->out.entry, 0x1010);
	assert_int_equal(f->out.start, 0x1000);
	assert_int_equal(f->out.end, LIMIT);
	assert_int_equal(f->out.segments, 3);
	for (uint64_t i = 0; i < 0x300; i++)
		assert_int_equal(f->mem.host[0x1000 + i], seg_byte(0, i));
	for (uint64_t i = 0; i < 0x100; i++)
		assert_int_equal(f->mem.host[0x4000 + i], seg_byte(2, i));
	for (uint64_t i = 0; i < 8; i++)
		assert_int_equal(f->mem.host[LIMIT - 0x20 + i], seg_byte(5, i));
	/* bss zeroed; everything outside the segments untouched. */
	for (uint64_t a = 0x4100; a < 0x6800; a++)
		assert_int_equal(f->mem.host[a], 0);
	for (uint64_t a = LIMIT - 0x18; a < LIMIT; a++)
		assert_int_equal(f->mem.host[a], 0);
	assert_true(poisoned(f, 0, 0x1000));
	assert_true(poisoned(f, 0x1300, 0x4000));
	assert_true(poisoned(f, 0x6800, LIMIT - 0x20));
	assert_true(poisoned(f, LIMIT, MEM_SIZE));
}

static void test_valid_64(void **state)
{
	check_valid(*state, 64, MODE_LONG);
}

static void test_valid_32_prot(void **state)
{
	check_valid(*state, 32, MODE_PROT);
}

static void test_valid_32_paged(void **state)
{
	check_valid(*state, 32, MODE_PAGED32);
}

static void test_valid_32_real(void **state)
{
	check_valid(*state, 32, MODE_REAL);
}

/* Edges that are still valid: the entry on a segment's last (bss) byte, program headers
 * ending with the file, a segment's data ending with the file, 64 program headers. */
static void test_valid_edges(void **state)
{
	struct fixture *f = *state;
	struct seg many[64];
	const size_t ph64 = sizeof(Elf64_Phdr);

	build_simple(f, 64);
	set_eh(f, E_ENTRY, 0x11ff);
	assert_int_equal(load(f, MODE_LONG, LIMIT), 0);
	assert_int_equal(f->out.entry, 0x11ff);

	/* The program header moved to the very end of the file. */
	build_simple(f, 64);
	memcpy(f->img + f->size, f->img + sizeof(Elf64_Ehdr), ph64);
	set_eh(f, E_PHOFF, f->size);
	f->size += ph64;
	assert_int_equal(load(f, MODE_LONG, LIMIT), 0);
	f->size--; /* one byte short */
	REFUSED(f, "outside the file");

	/* 64 headers: one PT_LOAD and 63 PT_NULL. */
	memset(many, 0, sizeof(many));
	many[63] = (struct seg){ PT_LOAD, 0x2000, 0x10, 0x10 };
	build(f, 64, 0x2000, many, 64);
	assert_int_equal(load(f, MODE_LONG, LIMIT), 0);
	assert_int_equal(f->out.segments, 1);
	build(f, 32, 0x2000, many, 64);
	assert_int_equal(load(f, MODE_PROT, LIMIT), 0);
	assert_int_equal(f->out.bits, 32);
}

static void test_is_elf(void **state)
{
	(void)state;
	assert_true(elf_is_elf((const uint8_t *)"\x7f"
						"ELF",
			       4));
	assert_true(elf_is_elf((const uint8_t *)"\x7f"
						"ELF\x02\x01",
			       6));
	assert_false(elf_is_elf((const uint8_t *)"\x7f"
						 "EL",
				3));
	assert_false(elf_is_elf((const uint8_t *)"", 0));
	assert_false(elf_is_elf((const uint8_t *)"MZ\x90\x00", 4));
	assert_false(elf_is_elf((const uint8_t *)"\x7f"
						 "elf",
				4));
	assert_false(elf_is_elf((const uint8_t *)"#!/bin/sh\n", 10));
}

/* ---- refusals of the ELF header ---- */

static void test_not_elf(void **state)
{
	struct fixture *f = *state;

	memset(f->img, 0, 64);
	memcpy(f->img, "MZ\x90\x00", 4);
	f->size = 64;
	REFUSED2(f, MODE_LONG, "not an ELF", NULL);
	f->size = 0;
	REFUSED2(f, MODE_LONG, "not an ELF", NULL);
	/* The magic alone, or the identification cut short. */
	build_simple(f, 64);
	f->size = 4;
	REFUSED2(f, MODE_LONG, "ELF", NULL);
	f->size = EI_NIDENT - 1;
	REFUSED2(f, MODE_LONG, "ELF", NULL);
}

static void test_truncated(void **state)
{
	struct fixture *f = *state;

	build_simple(f, 64);
	f->size = sizeof(Elf64_Ehdr) - 1;
	REFUSED(f, "truncated");
	f->size = EI_NIDENT;
	REFUSED(f, "truncated");
	build_simple(f, 32);
	f->size = sizeof(Elf32_Ehdr) - 1;
	REFUSED(f, "truncated");
	/* The header complete, the program headers cut off. */
	f->size = sizeof(Elf32_Ehdr);
	REFUSED(f, "outside the file");
}

static void test_ident(void **state)
{
	struct fixture *f = *state;

	build_simple(f, 64);
	f->img[EI_DATA] = ELFDATA2MSB;
	REFUSED(f, "little-endian");
	f->img[EI_DATA] = ELFDATANONE;
	REFUSED(f, "little-endian");
	build_simple(f, 32);
	f->img[EI_DATA] = ELFDATA2MSB;
	REFUSED(f, "little-endian");
	build_simple(f, 64);
	f->img[EI_CLASS] = ELFCLASSNONE;
	REFUSED(f, "class");
	f->img[EI_CLASS] = 3;
	REFUSED(f, "class 3");
}

static void test_wrong_class_for_mode(void **state)
{
	struct fixture *f = *state;

	build_simple(f, 64);
	REFUSED2(f, MODE_PROT, "64-bit", "use -l");
	REFUSED2(f, MODE_PAGED32, "64-bit", "use -l");
	REFUSED2(f, MODE_REAL, "64-bit", "use -l");
	build_simple(f, 32);
	REFUSED2(f, MODE_LONG, "32-bit", "-s");
	assert_non_null(strstr(f->err.msg, "-p"));
	assert_non_null(strstr(f->err.msg, "-r"));
}

static void test_wrong_machine(void **state)
{
	struct fixture *f = *state;

	build_simple(f, 64);
	set_eh(f, E_MACHINE, EM_386);
	REFUSED(f, "machine 3");
	set_eh(f, E_MACHINE, EM_AARCH64);
	REFUSED(f, "machine 183");
	build_simple(f, 32);
	set_eh(f, E_MACHINE, EM_X86_64);
	REFUSED(f, "machine 62");
	set_eh(f, E_MACHINE, EM_ARM);
	REFUSED(f, "machine");
}

static void test_wrong_type(void **state)
{
	struct fixture *f = *state;

	for (int bits = 32; bits <= 64; bits += 32) {
		build_simple(f, bits);
		set_eh(f, E_TYPE, ET_DYN);
		REFUSED(f, "-static -no-pie");
		set_eh(f, E_TYPE, ET_REL);
		REFUSED(f, "not an executable");
		set_eh(f, E_TYPE, ET_CORE);
		REFUSED(f, "not an executable");
		set_eh(f, E_TYPE, ET_NONE);
		REFUSED(f, "not an executable");
	}
}

static void test_phentsize(void **state)
{
	struct fixture *f = *state;
	static const uint64_t bad64[] = { 0, 32, 55, 57, 64, 0xffff };
	static const uint64_t bad32[] = { 0, 31, 33, 56, 0xffff };

	build_simple(f, 64);
	for (size_t i = 0; i < sizeof(bad64) / sizeof(bad64[0]); i++) {
		set_eh(f, E_PHENTSIZE, bad64[i]);
		REFUSED(f, "program header size");
	}
	build_simple(f, 32);
	for (size_t i = 0; i < sizeof(bad32) / sizeof(bad32[0]); i++) {
		set_eh(f, E_PHENTSIZE, bad32[i]);
		REFUSED(f, "program header size");
	}
}

static void test_phnum(void **state)
{
	struct fixture *f = *state;

	for (int bits = 32; bits <= 64; bits += 32) {
		build_simple(f, bits);
		set_eh(f, E_PHNUM, 0);
		REFUSED(f, "program headers");
		set_eh(f, E_PHNUM, ELF_MAX_PHDRS + 1);
		REFUSED(f, "65 program headers");
		set_eh(f, E_PHNUM, 0xffff); /* PN_XNUM: the count would be elsewhere */
		REFUSED(f, "program headers");
	}
}

static void test_phoff(void **state)
{
	struct fixture *f = *state;

	build_simple(f, 64);
	set_eh(f, E_PHOFF, f->size);
	REFUSED(f, "program headers lie outside the file");
	set_eh(f, E_PHOFF, f->size - 1);
	REFUSED(f, "outside the file");
	set_eh(f, E_PHOFF, f->size + 0x1000);
	REFUSED(f, "outside the file");
	set_eh(f, E_PHOFF, UINT64_MAX);
	REFUSED(f, "outside the file");
	/* phoff + phnum * phentsize wraps past 2^64 to a small number. */
	set_eh(f, E_PHOFF, UINT64_MAX - sizeof(Elf64_Phdr) + 1);
	REFUSED(f, "outside the file");
	set_eh(f, E_PHOFF, 0xffffffffffffff00ull);
	set_eh(f, E_PHNUM, 8);
	REFUSED(f, "outside the file");
	/* In the file, but the table runs past its end. */
	set_eh(f, E_PHOFF, f->size - 8);
	set_eh(f, E_PHNUM, 2);
	REFUSED(f, "outside the file");
	build_simple(f, 32);
	set_eh(f, E_PHOFF, 0xffffffffu);
	REFUSED(f, "outside the file");
	set_eh(f, E_PHOFF, f->size - sizeof(Elf32_Phdr) + 1);
	REFUSED(f, "outside the file");
}

/* ---- refusals of a segment ---- */

static void test_seg_file_range(void **state)
{
	struct fixture *f = *state;

	for (int bits = 32; bits <= 64; bits += 32) {
		build_simple(f, bits);
		set_ph(f, 0, P_OFFSET, f->size - 0xff); /* one byte past the end */
		REFUSED(f, "data lies outside the file");
		set_ph(f, 0, P_OFFSET, f->size - 0x100); /* exactly to the end: fine */
		assert_int_equal(load(f, mode_for(bits), LIMIT), 0);
		set_ph(f, 0, P_OFFSET, f->size);
		REFUSED(f, "outside the file");
		set_ph(f, 0, P_OFFSET, bits == 64 ? UINT64_MAX : 0xffffffffu);
		REFUSED(f, "outside the file");
	}
	/* 64-bit: offset + filesz wraps past 2^64. */
	build_simple(f, 64);
	set_ph(f, 0, P_OFFSET, UINT64_MAX);
	set_ph(f, 0, P_FILESZ, 2);
	REFUSED(f, "outside the file");
	set_ph(f, 0, P_OFFSET, 0x10);
	set_ph(f, 0, P_FILESZ, UINT64_MAX - 0xf); /* 0x10 + this = 2^64 = 0 */
	set_ph(f, 0, P_MEMSZ, UINT64_MAX);
	REFUSED(f, "outside the file");
}

static void test_seg_filesz_above_memsz(void **state)
{
	struct fixture *f = *state;

	for (int bits = 32; bits <= 64; bits += 32) {
		build_simple(f, bits);
		set_ph(f, 0, P_MEMSZ, 0xff);
		REFUSED(f, "file size above memory size");
	}
}

static void test_seg_vaddr_range(void **state)
{
	struct fixture *f = *state;

	for (int bits = 32; bits <= 64; bits += 32) {
		/* Ends one byte past the limit; then exactly at it. */
		build_simple(f, bits);
		set_ph(f, 0, P_VADDR, LIMIT - 0x1ff);
		set_eh(f, E_ENTRY, LIMIT - 0x1ff);
		REFUSED(f, "does not fit below");
		assert_non_null(strstr(f->err.msg, "--mem"));
		set_ph(f, 0, P_VADDR, LIMIT - 0x200);
		set_eh(f, E_ENTRY, LIMIT - 0x200);
		assert_int_equal(load(f, mode_for(bits), LIMIT), 0);
		/* Starting at or above the limit. */
		set_ph(f, 0, P_VADDR, LIMIT);
		REFUSED(f, "does not fit");
		set_ph(f, 0, P_VADDR, bits == 64 ? UINT64_MAX - 0xff : 0xffffff00u);
		REFUSED(f, "does not fit");
		/* A huge memory size. */
		set_ph(f, 0, P_VADDR, 0x1000);
		set_ph(f, 0, P_MEMSZ, bits == 64 ? UINT64_MAX : 0xffffffffu);
		REFUSED(f, "does not fit");
	}
	/* vaddr + memsz wraps past 2^64 with a limit that would let the sum through. */
	build_simple(f, 64);
	set_ph(f, 0, P_VADDR, UINT64_MAX - 0xff);
	set_eh(f, E_ENTRY, UINT64_MAX - 0xff);
	refused_in(f, MODE_LONG, UINT64_MAX, __LINE__, "does not fit", NULL);
	set_ph(f, 0, P_VADDR, 0x1000);
	set_ph(f, 0, P_MEMSZ, UINT64_MAX - 0xfff); /* 0x1000 + this = 2^64 = 0 */
	set_eh(f, E_ENTRY, 0x1000);
	refused_in(f, MODE_LONG, UINT64_MAX, __LINE__, "does not fit", NULL);
	/* Below a limit beyond guest memory, but outside that memory. */
	build_simple(f, 64);
	set_ph(f, 0, P_VADDR, MEM_SIZE - 0x100);
	set_eh(f, E_ENTRY, MEM_SIZE - 0x100);
	refused_in(f, MODE_LONG, 2 * MEM_SIZE, __LINE__, "outside guest memory", NULL);
}

static void test_entry(void **state)
{
	struct fixture *f = *state;
	static const uint64_t bad[] = { 0, 0xfff, 0x1200, 0x2000, UINT64_MAX };

	for (int bits = 32; bits <= 64; bits += 32) {
		build_simple(f, bits);
		for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
			set_eh(f, E_ENTRY, bad[i]);
			REFUSED(f, "entry point");
		}
	}
	/* Inside a segment that is not loaded does not count. */
	{
		const struct seg segs[] = { { PT_NOTE, 0x5000, 0x10, 0x10 },
					    { PT_LOAD, 0x1000, 0x10, 0x10 } };

		build(f, 64, 0x5000, segs, 2);
		REFUSED(f, "entry point 0x5000");
	}
}

static void test_no_load(void **state)
{
	struct fixture *f = *state;

	for (int bits = 32; bits <= 64; bits += 32) {
		build_simple(f, bits);
		set_ph(f, 0, P_TYPE, PT_NOTE);
		REFUSED(f, "no loadable segment");
		set_ph(f, 0, P_TYPE, PT_NULL);
		REFUSED(f, "no loadable segment");
		set_ph(f, 0, P_TYPE, PT_LOAD);
		set_ph(f, 0, P_FILESZ, 0);
		set_ph(f, 0, P_MEMSZ, 0);
		REFUSED(f, "no loadable segment");
	}
}

#define FX(fn) cmocka_unit_test_setup_teardown(fn, fx_setup, gmem_fixture_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		FX(test_valid_64),
		FX(test_valid_32_prot),
		FX(test_valid_32_paged),
		FX(test_valid_32_real),
		FX(test_valid_edges),
		cmocka_unit_test(test_is_elf),
		FX(test_not_elf),
		FX(test_truncated),
		FX(test_ident),
		FX(test_wrong_class_for_mode),
		FX(test_wrong_machine),
		FX(test_wrong_type),
		FX(test_phentsize),
		FX(test_phnum),
		FX(test_phoff),
		FX(test_seg_file_range),
		FX(test_seg_filesz_above_memsz),
		FX(test_seg_vaddr_range),
		FX(test_entry),
		FX(test_no_load),
	};

	return cmocka_run_group_tests_name("elf", tests, NULL, NULL);
}
