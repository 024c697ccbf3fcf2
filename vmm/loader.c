/* vmm/loader.c: built-in guests (embedded by guests.S) and their loading. */
#include "loader.h"

#include <string.h>

#define EXTERN_GUEST(n) \
	extern const unsigned char guest_##n##16_start[], guest_##n##16_end[], \
		guest_##n##32_start[], guest_##n##32_end[], guest_##n##64_start[], \
		guest_##n##64_end[]
#define IMAGES(n) \
	.start = { guest_##n##16_start, guest_##n##32_start, guest_##n##32_start, \
		   guest_##n##64_start }, \
	.end = { guest_##n##16_end, guest_##n##32_end, guest_##n##32_end, guest_##n##64_end }

EXTERN_GUEST(hello);
EXTERN_GUEST(fault);
EXTERN_GUEST(spin);
EXTERN_GUEST(badport);
EXTERN_GUEST(wrong);

static const struct guest_image images[] = {
	{ "hello", "prints 'Hello, world!' on port 0xE9, writes 42 to 0x400, halts with 42",
	  true, IMAGES(hello) },
	{ "fault", "triple-faults on purpose (ud2 with an empty IDT)", false, IMAGES(fault) },
	{ "spin", "loops forever without an exit (for --timeout)", false, IMAGES(spin) },
	{ "badport", "writes to port 0x1234, which the VMM does not handle", false,
	  IMAGES(badport) },
	{ "wrong", "greets, but writes 7 instead of 42 to 0x400 (the check must fail)", true,
	  IMAGES(wrong) },
};

const struct guest_image *loader_find(const char *name)
{
	for (size_t i = 0; i < sizeof(images) / sizeof(images[0]); i++)
		if (!strcmp(images[i].name, name))
			return &images[i];
	return NULL;
}

const char *loader_names(void)
{
	return "hello, fault, spin, badport, wrong";
}

size_t loader_load(struct gmem *g, const struct guest_image *img, const struct layout *l)
{
	const struct region *code = &l->reg[REG_CODE];
	size_t size = (size_t)(img->end[l->mode] - img->start[l->mode]);
	void *dst;

	if (size == 0 || size > code->size || !(dst = gmem_ptr(g, code->gpa, size)))
		return 0;
	memcpy(dst, img->start[l->mode], size);
	return size;
}
