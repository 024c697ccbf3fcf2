/* SPDX-License-Identifier: MIT */
/* common/parse.h: the one grammar for the sizes, counts and durations users type, shared by
 * kvm-hello-world and isolate (README.md, "Numbers on the command line", documents it). */
#ifndef MINIVIRT_PARSE_H
#define MINIVIRT_PARSE_H

#include <stdint.h>

/* parse_size: a size in bytes into *bytes: decimal digits or 0x-hex (never octal, so "010"
 * is ten), then an optional binary unit K, M, G or T in either case (K = 1024), which an
 * "iB" or "B" may follow: "4096", "64k", "64M", "64MiB", "2GB", "0x200000". Returns 0, or
 * -1 (*bytes untouched) when s is not such a size or does not fit in 64 bits. */
int parse_size(const char *s, uint64_t *bytes);

/* parse_count: a count into *out: decimal digits only ("64"; no sign, unit or space).
 * Returns 0, or -1 (*out untouched) when s is not a count or does not fit in 64 bits. */
int parse_count(const char *s, uint64_t *out);

/* parse_duration_ms: a duration into *ms: seconds with at most 3 decimals ("2", "0.5",
 * "1.125"; a digit comes first, so never ".5"), optionally followed by "s" ("2s"), or whole milliseconds followed by
 * "ms" ("500ms"). No sign, exponent or space. Returns 0, or -1 (*ms untouched). */
int parse_duration_ms(const char *s, uint64_t *ms);

#endif
