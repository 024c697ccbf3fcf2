/* SPDX-License-Identifier: MIT */
/* vmm/loader.c: built-in guests (embedded by guests.S) and guests from files. */
#include "loader.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "elf_loader.h"
#include "util.h"

/* A guest file larger than this is refused before reading: ELF files carry debug data,
 * so it is above the largest guest memory, but it bounds the VMM's own allocation. */
#define LOADER_FILE_MAX (256ull << 20)

#define EXTERN_GUEST(n)                                                               \
	extern const unsigned char guest_##n##16_start [], guest_##n##16_end [],      \
		guest_##n##32_start [], guest_##n##32_end [], guest_##n##64_start [], \
		guest_##n##64_end []
#define IMAGES(n)                                                                 \
	.start = { guest_##n##16_start, guest_##n##32_start, guest_##n##32_start, \
		   guest_##n##64_start },                                         \
	.end = { guest_##n##16_end, guest_##n##32_end, guest_##n##32_end, guest_##n##64_end }

EXTERN_GUEST(hello);
EXTERN_GUEST(fault);
EXTERN_GUEST(spin);
EXTERN_GUEST(badport);
EXTERN_GUEST(wrong);

static const struct guest_image images[] = {
	{ "hello", "prints 'Hello, world!' on port 0xE9, writes 42 to 0x400, halts with 42", true,
	  IMAGES(hello) },
	{ "fault", "triple-faults on purpose (ud2 with an empty IDT)", false, IMAGES(fault) },
	{ "spin", "loops forever without an exit (for --timeout)", false, IMAGES(spin) },
	{ "badport", "writes to port 0x1234, which the VMM does not handle", false,
	  IMAGES(badport) },
	{ "wrong", "greets, but writes 7 instead of 42 to 0x400 (the check must fail)", true,
	  IMAGES(wrong) },
};

const struct guest_image *loader_find(const char *name)
{
	for (size_t i = 0; i < ARRAY_SIZE(images); i++)
		if (!strcmp(images[i].name, name))
			return &images[i];
	return NULL;
}

const char *loader_names(void)
{
	return "hello, fault, spin, badport, wrong";
}

/* A flat image: the bytes at guest address 0, entered at 0. */
static int load_flat(struct gmem *g, const uint8_t *buf, size_t size, const struct layout *l,
		     struct loaded *out, struct mv_err *err)
{
	void *dst;

	if (size == 0) {
		return mv_seterr(err, 0, "the image is empty");
	}
	if (size > l->image_limit || !(dst = gmem_ptr(g, LAYOUT_IMAGE_GPA, size))) {
		return mv_seterr(err, 0,
				 "the %zu-byte image does not fit below 0x%" PRIx64
				 " in guest memory; try a larger --mem",
				 size, l->image_limit);
	}
	memcpy(dst, buf, size);
	out->start = LAYOUT_IMAGE_GPA;
	out->end = LAYOUT_IMAGE_GPA + size;
	out->entry = LAYOUT_IMAGE_GPA;
	out->segments = 1;
	return 0;
}

int loader_builtin(struct gmem *g, const struct guest_image *img, const struct layout *l,
		   struct loaded *out, struct mv_err *err)
{
	memset(out, 0, sizeof(*out));
	snprintf(out->what, sizeof(out->what), "built-in '%s'", img->name);
	out->classic = img->classic;
	return load_flat(g, img->start[l->mode], (size_t)(img->end[l->mode] - img->start[l->mode]),
			 l, out, err);
}

/* Reads all of fd into a new buffer (at most LOADER_FILE_MAX bytes). */
static uint8_t *read_all(int fd, size_t *size, struct mv_err *err)
{
	struct stat st;
	uint8_t *buf;
	size_t got = 0;

	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		mv_seterr(err, 0, "not a regular file");
		return NULL;
	}
	if ((uint64_t)st.st_size > LOADER_FILE_MAX) {
		mv_seterr(err, 0, "file of %lld bytes is larger than %llu MiB",
			  (long long)st.st_size, LOADER_FILE_MAX >> 20);
		return NULL;
	}
	buf = xcalloc(1, (size_t)st.st_size + 1);
	while (got < (size_t)st.st_size) {
		ssize_t n = RETRY_EINTR(read(fd, buf + got, (size_t)st.st_size - got));

		if (n <= 0) { /* shrank while we read, or an I/O error */
			mv_seterr(err, n < 0 ? errno : 0,
				  n < 0 ? "cannot read" : "cannot read: file shrank");
			free(buf);
			return NULL;
		}
		got += (size_t)n;
	}
	*size = got;
	return buf;
}

int loader_file_check(const char *path, struct mv_err *err)
{
	struct stat st;
	const char *kind;

	if (stat(path, &st) < 0) {
		int e = errno;

		mv_seterr(err, e, "guest '%s'", path);
		return e == ENOENT ? -ENOENT : -EINVAL;
	}
	if (S_ISREG(st.st_mode))
		return 0;
	kind = S_ISFIFO(st.st_mode)   ? "a FIFO"
	       : S_ISSOCK(st.st_mode) ? "a socket"
	       : S_ISCHR(st.st_mode)  ? "a character device"
	       : S_ISBLK(st.st_mode)  ? "a block device"
	       : S_ISDIR(st.st_mode)  ? "a directory"
				      : "not a regular file";
	mv_seterr(err, 0, "guest '%s' is %s, not a regular file", path, kind);
	return -EINVAL;
}

int loader_file(struct gmem *g, const char *path, const struct layout *l, struct loaded *out,
		struct mv_err *err)
{
	/* O_NONBLOCK: should path become a FIFO after loader_file_check, this open still
	 * returns, and read_all refuses it. */
	cleanup_fd int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	cleanup_free uint8_t *buf = NULL;
	struct elf_loaded e;
	size_t size = 0;

	memset(out, 0, sizeof(*out));
	if (fd < 0) {
		int saved = errno;

		mv_seterr(err, saved, "guest '%s'", path);
		return saved == ENOENT ? -ENOENT : -EINVAL;
	}
	if (!(buf = read_all(fd, &size, err))) {
		mv_errprefix(err, "guest '%s'", path);
		return -EINVAL;
	}
	if (!elf_is_elf(buf, size)) {
		snprintf(out->what, sizeof(out->what), "flat image '%s'", path);
		out->classic = true;
		if (load_flat(g, buf, size, l, out, err)) {
			mv_errprefix(err, "guest '%s'", path);
			return -EINVAL;
		}
		return 0;
	}
	if (elf_load(g, buf, size, l->mode, l->image_limit, &e, err)) {
		mv_errprefix(err, "guest '%s'", path);
		return -EINVAL;
	}
	snprintf(out->what, sizeof(out->what), "ELF%d file '%s'", e.bits, path);
	out->start = e.start;
	out->end = e.end;
	out->entry = e.entry;
	out->segments = e.segments;
	return 0;
}
