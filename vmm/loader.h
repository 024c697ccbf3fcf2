/* vmm/loader.h: the built-in guest images, and loading one into guest memory. */
#ifndef VMM_LOADER_H
#define VMM_LOADER_H

#include <stdbool.h>
#include <stddef.h>

#include "gmem.h"
#include "layout.h"

struct guest_image {
	const char *name;        /* "hello", "fault", "spin", "badport" */
	const char *what;        /* one line for --help and --layout */
	bool checks_result;      /* true: the VMM checks the two 42s after the HLT */
	const unsigned char *start[4], *end[4]; /* image per enum cpu_mode (real, 32, 32, 64) */
};

/* loader_find: the built-in guest called name, or NULL. */
const struct guest_image *loader_find(const char *name);

/* loader_names: "hello, fault, spin, badport", for messages. */
const char *loader_names(void);

/* loader_load: copies img's build for l->mode to the code region. Returns the image size,
 * or 0 when it does not fit there (a build error, checked anyway). */
size_t loader_load(struct gmem *g, const struct guest_image *img, const struct layout *l);

#endif
