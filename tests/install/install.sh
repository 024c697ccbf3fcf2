# SPDX-License-Identifier: MIT
# tests/install/install.sh: make install into a temporary DESTDIR, then use what was
# installed as a user would: the tools, the manual pages, the SDK for a guest built out of
# the tree with the documented compiler command; make uninstall leaves nothing.
. "$(dirname "$0")/../lib.sh"

D=$T_TMP/dest
P=/usr

t_install() {
	run make -s -C "$T_ROOT" install BUILD="$T_BUILD" DESTDIR="$D" PREFIX="$P"
	expect_rc 0 || return 1
	for f in bin/kvm-hello-world bin/isolate include/minivirt/hc.h include/minivirt/guest.h \
		include/minivirt/posix.h \
		lib/minivirt/guest.ld lib/minivirt/libguest-64.a lib/minivirt/libguest-32.a \
		lib/minivirt/libguest-16.a lib/minivirt/guests/64/hello.elf \
		share/man/man1/kvm-hello-world.1 share/man/man1/isolate.1 share/man/man7/minivirt-guest.7; do
		[ -f "$D$P/$f" ] || { fail "$P/$f not installed"; return 1; }
	done
}

t_installed_tools() {
	need_kvm
	run "$D$P/bin/kvm-hello-world" --version
	expect_rc 0 && expect_out "kvm-hello-world 0." || return 1
	run "$D$P/bin/isolate" --version
	expect_rc 0 && expect_out "isolate 0." || return 1
	run "$D$P/bin/kvm-hello-world" "$D$P/lib/minivirt/guests/64/hello.elf"
	expect_rc 0 && expect_eq "stdout" "$OUT" "Hello, world!"
}

# The command minivirt-guest(7) documents, with PREFIX set to the installation.
build_guest() { # build_guest NAME: $T_TMP/mine/NAME.c into NAME.elf
	PREFIX=$D$P
	run gcc -m64 -ffreestanding -nostdlib -static -no-pie -fno-pic -mno-red-zone \
		-fno-stack-protector -mgeneral-regs-only -I"$PREFIX/include" \
		-T "$PREFIX/lib/minivirt/guest.ld" -Wl,-z,max-page-size=4096 -Wl,--build-id=none \
		-o "$T_TMP/mine/$1.elf" "$T_TMP/mine/$1.c" "$PREFIX/lib/minivirt/libguest-64.a"
	expect_rc 0
}

t_out_of_tree_guest() {
	need_kvm
	mkdir -p "$T_TMP/mine" && cat >"$T_TMP/mine/hello.c" <<'C'
#include <minivirt/guest.h>

int main(int argc, char **argv)
{
	mv_printf("Hello from %s, %d argument(s)\n", argv[0], argc - 1);
	return 0;
}
C
	build_guest hello || return 1
	run "$D$P/bin/kvm-hello-world" "$T_TMP/mine/hello.elf" one two
	expect_rc 0 && expect_eq "stdout" "$OUT" "Hello from $T_TMP/mine/hello.elf, 2 argument(s)"
}

# Every symbol libguest defines is namespaced: mv_* (mv__* internal), sdk_* (what its files
# share), _start, and the four the compiler calls by their standard names.
t_sdk_symbols() {
	for b in 16 32 64; do
		syms=$(nm -g --defined-only "$D$P/lib/minivirt/libguest-$b.a" | awk 'NF == 3 { print $3 }')
		[ -n "$syms" ] || { fail "libguest-$b.a: no symbols read"; return 1; }
		bad=$(printf '%s\n' "$syms" | grep -vE '^(mv_[a-z0-9_]+|sdk_[a-z0-9_]+|_start|memcpy|memmove|memset|memcmp)$')
		expect_eq "libguest-$b.a symbols outside the namespace" "$bad" "" || return 1
	done
}

# The SDK takes no name of libc's: a guest may define its own open, read, printf and exit
# (a clash would fail the link), and gets the short ones only from <minivirt/posix.h>.
t_names_are_the_guests() {
	need_kvm
	mkdir -p "$T_TMP/mine" && cat >"$T_TMP/mine/own.c" <<'C'
#include <minivirt/guest.h>

int open(void);
long read(long n);
int printf(int n);
void exit(void);

int open(void) { return 3; }
long read(long n) { return n + 1; }
int printf(int n) { return n * 2; }
void exit(void) { mv_exit(7); }

int main(int argc, char **argv)
{
	int fd = mv_open("nothing-here", HC_O_RDONLY, 0);

	(void)argv;
	mv_printf("own: %d %ld %d; mv_open: %s\n", open(), read(argc), printf(21),
		  mv_strerror(-fd));
	exit();
}
C
	cat >"$T_TMP/mine/port.c" <<'C'
#include <minivirt/posix.h>

int main(int argc, char **argv)
{
	char buf[32];
	int fd = open(argc > 1 ? argv[1] : "/", O_RDONLY);

	if (fd < 0) {
		snprintf(buf, sizeof(buf), "%s", strerror(-fd));
		printf("port: %s, %d\n", buf, (int)strlen(buf));
		exit(3);
	}
	printf("port: fd %d\n", fd);
	close(fd);
	if (argc > 2) { /* the mode, only with O_CREAT, as in POSIX */
		fd = open(argv[2], O_WRONLY | O_CREAT | O_EXCL, 0640);
		printf("port: created fd %d, wrote %ld\n", fd, write(fd, "made\n", 5));
	}
	return 0;
}
C
	build_guest own && build_guest port || return 1
	run "$D$P/bin/kvm-hello-world" "$T_TMP/mine/own.elf"
	expect_rc 7 && expect_eq "stdout" "$OUT" "own: 3 2 42; mv_open: Permission denied" || return 1
	run "$D$P/bin/kvm-hello-world" "$T_TMP/mine/port.elf" nothing-here
	expect_rc 3 && expect_eq "stdout" "$OUT" "port: Permission denied, 17" || return 1
	run "$D$P/bin/kvm-hello-world" --dir "$T_TMP/mine" "$T_TMP/mine/port.elf" own.c made.txt
	expect_rc 0 && expect_eq "stdout" "$OUT" "port: fd 3
port: created fd 3, wrote 5" || return 1
	expect_eq "made.txt" "$(stat -c '%a %s' "$T_TMP/mine/made.txt")" "640 5"
}

t_manuals() { # every page renders without a warning from groff
	for page in man1/kvm-hello-world.1 man1/isolate.1 man7/minivirt-guest.7; do
		run man --warnings -l "$D$P/share/man/$page"
		expect_rc 0 && expect_eq "$page warnings" "$ERR" "" || return 1
		printf '%s\n' "$OUT" | grep -q "EXIT STATUS\|FILES" || { fail "$page is empty"; return 1; }
	done
}

# Long options in TEXT, one per line, sorted.
long_opts() { printf '%s\n' "$1" | grep -oE -- '--[a-z][a-z-]*[a-z]' | sort -u; }

same_options() { # same_options TOOL PAGE: --help and the manual name the same options
	help=$("$D$P/bin/$1" --help)
	man=$(MANWIDTH=200 man -l "$D$P/share/man/$2" 2>/dev/null | sed 's/.\x08//g')
	a=$(long_opts "$help")
	b=$(long_opts "$man")
	[ "$a" = "$b" ] || {
		fail "$1: only in --help: $(printf '%s\n' "$a" | grep -vxF -e "$b" | tr '\n' ' ')"
		fail "$1: only in $2: $(printf '%s\n' "$b" | grep -vxF -e "$a" | tr '\n' ' ')"
		return 1
	}
	for s in $(printf '%s\n' "$help" | grep -oE '^ +-[a-zA-Z],' | tr -d ' ,'); do
		printf '%s\n' "$man" | grep -qE -- "^ +$s, --" || { fail "$1: $s not in $2"; return 1; }
	done
}
t_options_in_sync() {
	same_options kvm-hello-world man1/kvm-hello-world.1 &&
		same_options isolate man1/isolate.1
}

t_uninstall() { # exactly what was installed goes: no file is left
	run make -s -C "$T_ROOT" uninstall BUILD="$T_BUILD" DESTDIR="$D" PREFIX="$P"
	expect_rc 0 || return 1
	left=$(find "$D" -type f | head -n 5)
	expect_eq "files left" "$left" "" && [ ! -d "$D$P/lib/minivirt" ] && [ ! -d "$D$P/include/minivirt" ]
}

t "make install into DESTDIR puts every file in place" t_install
t "the installed tools run: --version, the example hello" t_installed_tools
t "a guest built out of the tree against the installed SDK runs" t_out_of_tree_guest
t "libguest defines only mv_*, sdk_*, _start and the compiler's memcpy/memmove/memset/memcmp" t_sdk_symbols
t "the SDK leaves libc's names to the guest; <minivirt/posix.h> gives them on request" t_names_are_the_guests
t "the manual pages render without warnings" t_manuals
t "--help and the manual pages list the same options" t_options_in_sync
t "make uninstall removes exactly what was installed" t_uninstall
done_testing
