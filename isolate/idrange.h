/* SPDX-License-Identifier: MIT */
/* isolate/idrange.h: where the container's ids go on the host when root runs isolate: a
 * pool of unprivileged ids (root's range in /etc/subuid and /etc/subgid, else a fixed
 * default) cut into slots, one slot per concurrent run. Pure: parsing and arithmetic. */
#ifndef ISO_IDRANGE_H
#define ISO_IDRANGE_H

#include <stdbool.h>

/* The default pool: 0x70000000.., 1024 slots of 65536 ids. Above systemd's container range
 * (0x00080000..0x6FFFFFFF), below its foreign range (0x7FFE0000) and 2^31 (ids some
 * programs take for negative); no distribution gives these ids to users or files. */
#define ISO_IDS_DEFAULT_BASE 1879048192u
#define ISO_IDS_SLOT 65536u /* ids per run: 0..65535 inside, as container runtimes map */
#define ISO_IDS_DEFAULT_SLOTS 1024u
#define ISO_IDS_MAX_SLOTS 65536u /* at most this many slots, whatever the pool's size */

/* A range of host ids: base, base+1, ..., base+count-1. */
struct iso_idrange {
	unsigned long long base;
	unsigned long long count;
};

/* iso_subid_find: the first line of text (the contents of /etc/subuid or /etc/subgid,
 * "NAME_OR_ID:START:COUNT" a line) for the user name or the numeric id, as a range in *r.
 * Returns 0; -1 when there is none or it is not a valid range (START 1 or more, COUNT 1
 * or more, the last id below 4294967295). */
int iso_subid_find(const char *text, const char *name, unsigned long id, struct iso_idrange *r);

/* iso_idrange_slots: how many slots pool holds, each of *slot_size ids (ISO_IDS_SLOT, or
 * the whole pool when it is smaller). */
unsigned iso_idrange_slots(const struct iso_idrange *pool, unsigned *slot_size);

#endif
