#!/bin/sh
# SPDX-License-Identifier: MIT
# tests/fuzz/mkseeds.sh: writes the hand-made seed inputs of fuzz_hc into tests/fuzz/seeds/
# (the input layout is described at the top of fuzz_hc.c). Each seed is a working call
# sequence the fuzzer can mutate from: console calls with paging off, 32-bit and 4-level
# tables, and file calls on the fuzzer's shared folder (a.txt, d/b.txt, in, up, abs).
# Usage: sh tests/fuzz/mkseeds.sh   (the seeds are committed; rerun after changing this)
set -eu
out=$(cd "$(dirname "$0")" && pwd)/seeds
tmp=$(mktemp -d "${TMPDIR:-/tmp}/mkseeds.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$out"

poke() { # poke FILE OFFSET VALUE BYTES: VALUE little-endian at OFFSET (file grows as needed)
	f=$1 off=$2 v=$3 n=$4 s=""
	while [ "$n" -gt 0 ]; do
		s="$s\\$(printf %03o $((v & 255)))"
		v=$((v >> 8)) n=$((n - 1))
	done
	# shellcheck disable=SC2059
	printf "$s" | dd of="$f" bs=1 seek="$off" conv=notrunc status=none
}
str() { # str OFFSET TEXT: TEXT and its NUL in guest memory
	printf '%s\000' "$2" | dd of="$tmp/mem" bs=1 seek="$1" conv=notrunc status=none
}
mem() { poke "$tmp/mem" "$@"; }

# begin FLAGS CR3: a new seed; paging per FLAGS (see fuzz_hc.c), no calls yet.
begin() {
	head -c 56 /dev/zero >"$tmp/hdr"
	: >"$tmp/mem"
	calls=0
	poke "$tmp/hdr" 0 "$1" 1
	poke "$tmp/hdr" 8 "$2" 8
	poke "$tmp/hdr" 4 7 4 # exits
}
call() { # call NR REQ
	poke "$tmp/hdr" $((16 + 10 * calls)) "$1" 1
	poke "$tmp/hdr" $((18 + 10 * calls)) "$2" 8
	calls=$((calls + 1))
	poke "$tmp/hdr" 1 $((calls - 1)) 1
}
finish() { cat "$tmp/hdr" "$tmp/mem" >"$out/$1"; }

# Hypercall numbers and flags (include/minivirt/hc.h).
PRINT_VAL=1 GET_NUM_EXITS=2 DISPLAY=3 EXIT=4 REPORT=5 OPEN=6 CLOSE=7 READ=8 WRITE=9
LSEEK=10 FSTAT=11 UNLINK=12 MKDIR=13 READDIR=14
O_DIRECTORY=65536

begin 0 0
mem 256 42 4; call $PRINT_VAL 256
mem 320 0 8; call $GET_NUM_EXITS 320
finish print_val

begin 0 0
mem 256 512 8; str 512 "hello, fuzz"; call $DISPLAY 256
finish display

begin 0 0
mem 256 512 8; mem 264 768 8; mem 272 7 4; mem 276 1 4
str 512 "guest.c"; str 768 "x == 42"
call $REPORT 256
finish report

begin 0 0
mem 256 259 4; call $EXIT 256
finish exit

# 4-level: PML4 0x1000 -> PDPT 0x2000 -> PD 0x3000, whose entry 0 is a 2 MiB page at 0.
begin 2 4096
mem 4096 $((0x2000 | 3)) 8; mem 8192 $((0x3000 | 3)) 8; mem 12288 $((0x83)) 8
mem 256 512 8; str 512 "paged, 4-level"; call $DISPLAY 256
mem 384 9 4; call $PRINT_VAL 384
call $GET_NUM_EXITS 448
finish paged64

# 32-bit: PD 0x1000, entry 0 a 4 MiB page at 0.
begin 1 4096
mem 4096 $((0x83)) 4
mem 256 512 8; str 512 "paged, 32-bit"; call $DISPLAY 256
finish paged32

# Files: open a.txt (fd 3), read it, open d as a directory (fd 4), read its entries.
begin 0 0
str 1024 "a.txt"; str 1088 "d"
mem 256 1024 8; call $OPEN 256
mem 320 3 4; mem 328 2048 8; mem 336 64 8; mem 344 -1 8; call $READ 320
mem 384 1088 8; mem 392 $O_DIRECTORY 4; call $OPEN 384
mem 448 4 4; mem 456 2304 8; mem 464 512 8; call $READDIR 448
finish files

# Files: a symlink inside (in), one out (up/..), fstat and lseek on fd 3.
begin 0 0
str 1024 "in"; str 1088 "up/a.txt"
mem 256 1024 8; call $OPEN 256
mem 320 1088 8; call $OPEN 320
mem 384 3 4; call $FSTAT 384
mem 448 3 4; mem 452 2 4; mem 456 -3 8; call $LSEEK 448
finish files2

# Writes to the console, mkdir and unlink refused (read-only folder), close.
begin 0 0
str 512 "console"; str 1024 "newdir"
mem 256 1 4; mem 264 512 8; mem 272 7 8; mem 280 -1 8; call $WRITE 256
mem 320 1024 8; call $MKDIR 320
mem 384 1024 8; call $UNLINK 384
mem 448 1 4; call $CLOSE 448
finish files3

# user_tables: the 4-level tables of the ring-3 seeds: PML4 0x1000 -> PDPT 0x2000 -> PD
# 0x3000 -> PT 0x4000 mapping pages 0-15 identically, U/S on all but the tables (1-4) and
# page 8.
user_tables() {
	mem 4096 $((0x2000 | 7)) 8; mem 8192 $((0x3000 | 7)) 8; mem 12288 $((0x4000 | 7)) 8
	p=0
	while [ $p -lt 16 ]; do
		case $p in 1|2|3|4|8) fl=3 ;; *) fl=7 ;; esac
		mem $((16384 + 8 * p)) $((p * 4096 | fl)) 8
		p=$((p + 1))
	done
}

# Ring 3, 4-level: user tables (U/S at every level) over 4 KiB pages: PML4 0x1000 -> PDPT
# 0x2000 -> PD 0x3000 -> PT 0x4000 mapping pages 0-15 identically, U/S on all but the
# tables (1-4) and page 8; then open a.txt, read it into user page 5 and into page 8,
# get_num_exits on the PT itself and on user page 6.
begin $((2 | 16)) 4096
user_tables
str 1024 "a.txt"
mem 256 1024 8; call $OPEN 256
mem 320 3 4; mem 328 20480 8; mem 336 64 8; mem 344 0 8; call $READ 320
mem 384 3 4; mem 392 32768 8; mem 400 64 8; mem 408 0 8; call $READ 384
call $GET_NUM_EXITS 16384
finish ring3

# Ring 3, paging off: a display from the VMM's regions, a read into them.
begin 16 0
str 33000 "sys"; mem 256 33000 8; call $DISPLAY 256
str 1024 "a.txt"; mem 320 1024 8; call $OPEN 320
mem 384 3 4; mem 392 32768 8; mem 400 64 8; mem 408 0 8; call $READ 384
finish ring3flat

# --- fuzz_vq's seeds, in tests/fuzz/seeds-vq/ (the input layout is at the top of fuzz_vq.c):
# a queue of 8 descriptors at 0x1000 (desc), 0x1400 (avail), 0x1600 (used), unless a seed
# moves it, each with working chains to mutate from.
out=$out-vq
mkdir -p "$out"
VQ_READ=1 VQ_WRITE=2 F_NEXT=1 F_WRITE=2
vqbegin() { # vqbegin FLAGS AVAIL_ADD CR3 [DESC AVAIL USED]
	head -c 16 /dev/zero >"$tmp/hdr"
	: >"$tmp/mem"
	poke "$tmp/hdr" 0 "$1" 1
	poke "$tmp/hdr" 1 3 1 # 8 descriptors
	poke "$tmp/hdr" 2 "$2" 2
	poke "$tmp/hdr" 4 "$3" 4
	qd=${4:-4096} qa=${5:-5120} qu=${6:-5632}
	poke "$tmp/hdr" 8 "$qd" 2
	poke "$tmp/hdr" 10 "$qa" 2
	poke "$tmp/hdr" 12 "$qu" 2
	heads=0
}
desc() { # desc I ADDR LEN FLAGS NEXT
	mem $((qd + 16 * $1)) "$2" 8; mem $((qd + 16 * $1 + 8)) "$3" 4
	mem $((qd + 16 * $1 + 12)) "$4" 2; mem $((qd + 16 * $1 + 14)) "$5" 2
}
req() { mem "$1" "$2" 4; mem $(($1 + 4)) "$3" 4; mem $(($1 + 8)) "$4" 8; } # req AT OP FD OFF
head_at() { # head_at HEAD [SECOND]: publishes HEAD (avail.idx counts it unless SECOND)
	mem $((qa + 4 + 2 * heads)) "$1" 2
	heads=$((heads + 1))
	[ -n "${2:-}" ] || mem $((qa + 2)) "$heads" 2
}

# A console write of 7 bytes; then a read of fd 0 into two buffers, published for the
# second serve.
vqbegin 0 1 0
req 8192 $VQ_WRITE 1 -1; str 12288 "console"
desc 0 8192 16 $F_NEXT 1; desc 1 12288 7 $F_NEXT 2; desc 2 10240 8 $F_WRITE 0
head_at 0
req 8208 $VQ_READ 0 -1
desc 3 8208 16 $F_NEXT 5; desc 5 12544 4 $((F_NEXT | F_WRITE)) 4
desc 4 12800 4 $((F_NEXT | F_WRITE)) 6; desc 6 10248 8 $F_WRITE 0
head_at 3 second
finish write_read

# Ring 3, 4-level paging over 4 KiB pages (as ring3 above: pages 1-4 and 8 supervisor),
# the queue in user page 5, a read whose buffer is in page 8 (-EFAULT) and a write of
# fd 2.
vqbegin 1 0 4096 20480 21504 22016
user_tables
req 24576 $VQ_READ 0 0; req 24592 $VQ_WRITE 2 -1; str 28672 "stderr"
desc 0 24576 16 $F_NEXT 1; desc 1 32768 16 $((F_NEXT | F_WRITE)) 2; desc 2 25600 8 $F_WRITE 0
desc 3 24592 16 $F_NEXT 4; desc 4 28672 6 $F_NEXT 7; desc 7 25608 8 $F_WRITE 0
head_at 0; head_at 3
finish ring3
