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
t_out_of_tree_guest() {
	need_kvm
	mkdir -p "$T_TMP/mine" && cat >"$T_TMP/mine/hello.c" <<'C'
#include <minivirt/guest.h>

int main(int argc, char **argv)
{
	printf("Hello from %s, %d argument(s)\n", argv[0], argc - 1);
	return 0;
}
C
	PREFIX=$D$P
	run gcc -m64 -ffreestanding -nostdlib -static -no-pie -fno-pic -mno-red-zone \
		-fno-stack-protector -mgeneral-regs-only -I"$PREFIX/include" \
		-T "$PREFIX/lib/minivirt/guest.ld" -Wl,-z,max-page-size=4096 -Wl,--build-id=none \
		-o "$T_TMP/mine/hello.elf" "$T_TMP/mine/hello.c" "$PREFIX/lib/minivirt/libguest-64.a"
	expect_rc 0 || return 1
	run "$D$P/bin/kvm-hello-world" "$T_TMP/mine/hello.elf" one two
	expect_rc 0 && expect_eq "stdout" "$OUT" "Hello from $T_TMP/mine/hello.elf, 2 argument(s)"
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
t "the manual pages render without warnings" t_manuals
t "--help and the manual pages list the same options" t_options_in_sync
t "make uninstall removes exactly what was installed" t_uninstall
done_testing
