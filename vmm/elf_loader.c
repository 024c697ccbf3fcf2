/* SPDX-License-Identifier: MIT */
/* vmm/elf_loader.c: a small, strict ELF loader for static guests (System V gABI, ch. 4-5). */
#include "elf_loader.h"

#include <elf.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

/* The fields we use, from either class. */
struct phdr {
	uint32_t type;
	uint64_t offset, vaddr, filesz, memsz;
};

int elf_is_elf(const uint8_t *buf, size_t size)
{
	return size >= SELFMAG && !memcmp(buf, ELFMAG, SELFMAG);
}

/* Reads program header i (bounds already checked by the caller). */
static struct phdr read_phdr(const uint8_t *buf, uint64_t off, int bits)
{
	struct phdr p;

	if (bits == 64) {
		Elf64_Phdr h;

		memcpy(&h, buf + off, sizeof(h));
		p = (struct phdr){ h.p_type, h.p_offset, h.p_vaddr, h.p_filesz, h.p_memsz };
	} else {
		Elf32_Phdr h;

		memcpy(&h, buf + off, sizeof(h));
		p = (struct phdr){ h.p_type, h.p_offset, h.p_vaddr, h.p_filesz, h.p_memsz };
	}
	return p;
}

/* The fields of the ELF header (of bits 32 or 64) that the loader uses. */
static void read_ehdr(const uint8_t *buf, int bits, uint16_t *type, uint16_t *machine,
		      uint16_t *phentsize, uint64_t *entry, uint64_t *phoff, unsigned *phnum)
{
	if (bits == 64) {
		Elf64_Ehdr h;

		memcpy(&h, buf, sizeof(h));
		*type = h.e_type, *machine = h.e_machine, *phentsize = h.e_phentsize;
		*entry = h.e_entry, *phoff = h.e_phoff, *phnum = h.e_phnum;
	} else {
		Elf32_Ehdr h;

		memcpy(&h, buf, sizeof(h));
		*type = h.e_type, *machine = h.e_machine, *phentsize = h.e_phentsize;
		*entry = h.e_entry, *phoff = h.e_phoff, *phnum = h.e_phnum;
	}
}

/* Checks the ELF header and returns the program header table's place and shape. */
static int check_header(const uint8_t *buf, size_t size, enum cpu_mode mode, int *bits,
			uint64_t *entry, uint64_t *phoff, unsigned *phnum, struct mv_err *err)
{
	const int want = mode == MODE_LONG ? 64 : 32;
	uint16_t type, machine, phentsize;

	if (size < EI_NIDENT || !elf_is_elf(buf, size))
		return mv_seterr(err, 0, "not an ELF file");
	if (buf[EI_CLASS] != ELFCLASS32 && buf[EI_CLASS] != ELFCLASS64)
		return mv_seterr(err, 0, "unknown ELF class %u", buf[EI_CLASS]);
	*bits = buf[EI_CLASS] == ELFCLASS64 ? 64 : 32;
	if (buf[EI_DATA] != ELFDATA2LSB)
		return mv_seterr(err, 0, "not a little-endian ELF");
	if (size < (*bits == 64 ? sizeof(Elf64_Ehdr) : sizeof(Elf32_Ehdr)))
		return mv_seterr(err, 0, "truncated ELF header");
	read_ehdr(buf, *bits, &type, &machine, &phentsize, entry, phoff, phnum);
	if (machine != (*bits == 64 ? EM_X86_64 : EM_386))
		return mv_seterr(err, 0, "ELF for machine %u, not x86 (%s)", machine,
				 *bits == 64 ? "x86-64" : "i386");
	if (*bits != want)
		return mv_seterr(err, 0, "a %d-bit ELF cannot run in %s mode; use %s", *bits,
				 mode_name(mode), *bits == 64 ? "-l" : "-s, -p or -r");
	if (type == ET_DYN)
		return mv_seterr(err, 0,
				 "a position-independent ELF: link the guest -static -no-pie");
	if (type != ET_EXEC)
		return mv_seterr(err, 0, "ELF type %u is not an executable", type);
	if (phentsize != (*bits == 64 ? sizeof(Elf64_Phdr) : sizeof(Elf32_Phdr)))
		return mv_seterr(err, 0, "unexpected program header size %u", phentsize);
	if (*phnum == 0 || *phnum > ELF_MAX_PHDRS)
		return mv_seterr(err, 0, "%u program headers (1..%d expected)", *phnum,
				 ELF_MAX_PHDRS);
	if (*phoff > size || (uint64_t)*phnum * phentsize > size - *phoff)
		return mv_seterr(err, 0, "program headers lie outside the file");
	return 0;
}

/* Copies loadable segment number i, p, into guest memory below limit, zeroing its tail. */
static int load_segment(struct gmem *g, const uint8_t *buf, size_t size, uint64_t limit,
			const struct phdr *p, unsigned i, struct mv_err *err)
{
	uint8_t *dst;

	if (p->filesz > p->memsz)
		return mv_seterr(err, 0, "segment %u: file size above memory size", i);
	if (p->offset > size || p->filesz > size - p->offset)
		return mv_seterr(err, 0, "segment %u: data lies outside the file", i);
	if (p->vaddr > limit || p->memsz > limit - p->vaddr)
		return mv_seterr(err, 0,
				 "segment %u (0x%" PRIx64 "-0x%" PRIx64
				 ") does not fit below 0x%" PRIx64
				 " in guest memory; try a larger --mem",
				 i, p->vaddr, p->vaddr + (p->memsz - 1), limit);
	if (!(dst = gmem_ptr(g, p->vaddr, p->memsz)))
		return mv_seterr(err, 0, "segment %u: outside guest memory", i);
	memcpy(dst, buf + p->offset, p->filesz);
	memset(dst + p->filesz, 0, p->memsz - p->filesz);
	return 0;
}

int elf_load(struct gmem *g, const uint8_t *buf, size_t size, enum cpu_mode mode, uint64_t limit,
	     struct elf_loaded *out, struct mv_err *err)
{
	uint64_t phoff = 0, entry = 0;
	unsigned phnum = 0;
	bool entry_ok = false;
	int bits = 0;

	memset(out, 0, sizeof(*out));
	if (check_header(buf, size, mode, &bits, &entry, &phoff, &phnum, err))
		return -1;
	out->bits = bits;
	out->entry = entry;
	out->start = UINT64_MAX;
	for (unsigned i = 0; i < phnum; i++) {
		uint64_t off = phoff +
			       (uint64_t)i * (bits == 64 ? sizeof(Elf64_Phdr) : sizeof(Elf32_Phdr));
		struct phdr p = read_phdr(buf, off, bits);

		if (p.type != PT_LOAD || p.memsz == 0)
			continue;
		if (load_segment(g, buf, size, limit, &p, i, err))
			return -1;
		out->segments++;
		if (p.vaddr < out->start)
			out->start = p.vaddr;
		if (p.vaddr + p.memsz > out->end)
			out->end = p.vaddr + p.memsz;
		if (entry >= p.vaddr && entry - p.vaddr < p.memsz)
			entry_ok = true;
	}
	if (!out->segments)
		return mv_seterr(err, 0, "no loadable segment");
	if (!entry_ok)
		return mv_seterr(err, 0, "entry point 0x%" PRIx64 " is outside the loaded segments",
				 entry);
	return 0;
}
