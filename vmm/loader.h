/* SPDX-License-Identifier: MIT */
/* vmm/loader.h: putting a guest into memory: a built-in image, or a file (static ELF, or
 * a flat binary loaded at 0 as the classic example does). */
#ifndef VMM_LOADER_H
#define VMM_LOADER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mv_err.h"
#include "gmem.h"
#include "layout.h"

struct guest_image {
	const char *name;                       /* "hello", "fault", "spin", "badport", "wrong" */
	const char *what;                       /* one line for --help and --layout */
	bool classic;                           /* true: the VMM checks the two 42s after the HLT */
	const unsigned char *start[4], *end[4]; /* image per enum cpu_mode (real, 32, 32, 64) */
};

struct loaded {
	char what[128];      /* "built-in 'hello'", "ELF64 file 'x'", "flat image 'x'" */
	uint64_t start, end; /* guest-physical extent [start, end) of the image */
	uint64_t entry;      /* first instruction */
	unsigned segments;   /* ELF PT_LOAD segments (1 for a flat image) */
	bool classic;        /* check the two 42s when the guest halts */
};

/* loader_find: the built-in guest called name, or NULL. */
const struct guest_image *loader_find(const char *name);

/* loader_names: "hello, fault, spin, badport, wrong", for messages. */
const char *loader_names(void);

/* loader_builtin: copies img's build for l->mode to guest address 0. Returns 0, or -1
 * with a reason in err when it does not fit below l->image_limit. */
int loader_builtin(struct gmem *g, const struct guest_image *img, const struct layout *l,
		   struct loaded *out, struct mv_err *err);

/* loader_file_check: whether path names a regular file, found with stat() alone, so a
 * FIFO, socket or device is never opened (opening a FIFO blocks, or releases its writer;
 * opening a device calls its driver). Returns 0; -ENOENT when it does not exist; -EINVAL
 * with a reason in err for anything else. */
int loader_file_check(const char *path, struct mv_err *err);

/* loader_file: loads the file at path: an ELF by its program headers (elf_loader.h),
 * anything else as a flat image at 0. Returns 0; -ENOENT when the file does not exist;
 * or -EINVAL for any other failure (unreadable, bad ELF, too large), with a reason in err. */
int loader_file(struct gmem *g, const char *path, const struct layout *l, struct loaded *out,
		struct mv_err *err);

#endif
