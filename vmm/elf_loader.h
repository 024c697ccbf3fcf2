/* SPDX-License-Identifier: MIT */
/* vmm/elf_loader.h: loading a static x86 ELF executable into guest memory, every header field
 * checked against the file and the guest's image area (overflow-safe). Pure: works on a
 * byte buffer, unit-tested. */
#ifndef VMM_ELF_LOADER_H
#define VMM_ELF_LOADER_H

#include <stddef.h>
#include <stdint.h>

#include "mv_err.h"
#include "gmem.h"
#include "layout.h"

#define ELF_MAX_PHDRS 64

struct elf_loaded {
	int bits;          /* 32 or 64 */
	uint64_t entry;    /* e_entry */
	uint64_t start;    /* lowest loaded guest address */
	uint64_t end;      /* just past the highest (bss included) */
	unsigned segments; /* PT_LOAD segments loaded */
};

/* elf_is_elf: whether the buffer starts with the ELF magic. */
int elf_is_elf(const uint8_t *buf, size_t size);

/* elf_load: loads the PT_LOAD segments of the ELF in buf[0..size) at their virtual
 * addresses (= guest-physical: the guest's memory is identity-mapped), zeroing their
 * bss, for a guest in mode (ELFCLASS64/x86-64 for long mode, ELFCLASS32/i386 for the
 * others). Segments must lie in [0, limit). Returns 0, or -1 with a one-line reason in err;
 * on failure guest memory may hold part of the image. */
int elf_load(struct gmem *g, const uint8_t *buf, size_t size, enum cpu_mode mode, uint64_t limit,
	     struct elf_loaded *out, struct mv_err *err);

#endif
