#!/bin/sh
# SPDX-License-Identifier: MIT
# tests/docs/refs.sh: the code the docs point to is there. Every file or folder that README.md
# and docs/*.md name exists; every function they tie to a file ("`x86_build()`
# (vmm/x86_modes.c)", docs/hacking.md's "`vmm/config.c` `config_parse`") is defined in that
# file (declared, for a header); every function they name as NAME() is defined somewhere in
# the tree, or is one of the few named on purpose that live elsewhere (below); every
# snake_case name they quote (`wait_release`, `go_fd`) is a word of the tree; and every mv_
# function of minivirt-guest(7) is declared in the SDK's headers. A rename or a move that
# leaves a page behind fails here, with the page and line. tests/docs/refs.awk finds the
# references.
. "$(dirname "$0")/../lib.sh"

cd "$T_ROOT" || exit 1
PAGES="README.md docs/*.md"
# NAME() the pages name that the tree does not define: C library and system calls, Linux's
# own, dpw/kvm-hello-world's (the classic program docs/questions.md sets beside minivirt) and
# the namespace exercise's skeleton's
OUTSIDE="clone3 fork getppid kill poll read setns sethostname setsid sigwaitinfo waitpid
kvm_emulate_hypercall
vm_init vcpu_init run_vm run_long_mode setup_long_mode setup_64bit_code_segment
setup_userns setup_netns setup_mntns setup_utsns child_func"

# defines FILE NAME: FILE defines NAME at the start of a line (the house style: the return
# type and the name on one line), or as a macro; a header may only declare it
defines() {
	case $1 in
	*.h) grep -Eq "^([A-Za-z_].*[^A-Za-z0-9_])?$2\(|^#define $2\(" "$1" ;;
	*) grep -Eq "^([A-Za-z_].*[^A-Za-z0-9_])?$2\(([^;]*|.*\)[^;]*)\$|^#define $2\(" "$1" ;;
	esac
}

# refs: every page's references, "PAGE:LINE KIND WHAT [FILE]"
for page in $PAGES; do
	awk -f tests/docs/refs.awk "$page" | sed "s|^|$page:|"
done >"$T_TMP/refs"

t_found() {
	n=$(grep -c ' pair ' "$T_TMP/refs")
	[ "$n" -ge 100 ] || fail "only $n file-function pairs found: tests/docs/refs.awk no longer reads the pages"
}
t "the pages' references are read: at least 100 file-function pairs" t_found

t_paths() {
	bad=
	while read -r where _ path; do
		# a placeholder (guest/examples/NAME.c) stands for no one file
		case $path in *[A-Z][A-Z][A-Z]*) continue ;; esac
		# shellcheck disable=SC2086
		ls -d $path >/dev/null 2>&1 || bad="$bad$where: $path
"
	done <<EOF
$(grep ' path ' "$T_TMP/refs")
EOF
	fail_list "files or folders the pages name that are not in the tree:" "$bad"
}
t "every file and folder the pages name exists" t_paths

t_pairs() {
	bad=
	while read -r where _ name file; do
		if [ ! -f "$file" ]; then
			bad="$bad$where: $file (for $name) is not a file
"
		elif ! defines "$file" "$name"; then
			bad="$bad$where: $name is not defined in $file
"
		fi
	done <<EOF
$(grep ' pair ' "$T_TMP/refs")
EOF
	fail_list "functions the pages place in a file that does not define them:" "$bad"
}
t "every function tied to a file is defined in that file" t_pairs

# defined: every name the tree's C defines or declares at the start of a line, or as a
# macro with arguments: one a line (a superset of what defines finds, made in one pass)
defined() {
	git ls-files '*.c' '*.h' 2>/dev/null | xargs awk '
		/^#define [A-Za-z_][A-Za-z0-9_]*\(/ { s = $2; sub(/\(.*/, "", s); print s; next }
		/^[A-Za-z_]/ {
			s = $0
			while (match(s, /[A-Za-z_][A-Za-z0-9_]*\(/)) {
				print substr(s, RSTART, RLENGTH - 1)
				s = substr(s, RSTART + RLENGTH)
			}
		}' | sort -u
}

t_funcs() {
	bad=
	defined >"$T_TMP/defined"
	[ "$(wc -l <"$T_TMP/defined")" -ge 500 ] || { fail "only $(wc -l <"$T_TMP/defined") names found defined in the tree"; return 1; }
	outside=" $(printf '%s' "$OUTSIDE" | tr '\n' ' ') "
	for name in $(grep ' func ' "$T_TMP/refs" | awk '{ print $3 }' | sort -u); do
		case $outside in *" $name "*) continue ;; esac
		grep -qx "$name" "$T_TMP/defined" ||
			bad="$bad$(grep " func $name\$" "$T_TMP/refs" | cut -d' ' -f1 | tr '\n' ' ')$name()
"
	done
	fail_list "functions the pages name that no file defines (renamed? else list them in OUTSIDE):" "$bad"
}
t "every NAME() the pages name is defined in the tree, or is named as outside it" t_funcs

# names in backquotes with an underscore (`wait_release`, `struct iso_net`'s `go_fd`): a
# function, field, variable or constant of the tree, unless named here as outside it (a
# capability's name, podman's settings, Linux's, the exercise's skeleton); a prefix
# (`gmem_`) is none
QUOTED_OUTSIDE="copy_to_user copy_from_user sys_admin runtime_supports_nocgroup
runtime_supports_nocgroups child_func"
t_quoted() {
	git ls-files '*.c' '*.h' '*.S' '*.sh' '*.inc' '*.awk' Makefile 2>/dev/null | xargs grep -ho '[A-Za-z_][A-Za-z0-9_]*' |
		sort -u >"$T_TMP/words"
	bad=
	for page in $PAGES; do
		for name in $(grep -o '`[a-z][a-z0-9]*_[a-z0-9_]*[a-z0-9]`' "$page" | tr -d '`' | sort -u); do
			case " $(printf '%s' "$QUOTED_OUTSIDE" | tr '\n' ' ') " in *" $name "*) continue ;; esac
			grep -qx "$name" "$T_TMP/words" || bad="$bad $page:$name"
		done
	done
	[ -z "$bad" ] || fail "names the pages quote that the tree no longer has:$bad"
}
t "every snake_case name the pages quote is in the tree, or is named as outside it" t_quoted

t_guest_man() {
	bad=
	for name in $(grep -o 'mv_[a-z0-9_]*(' man/minivirt-guest.7 | tr -d '(' | sort -u); do
		found=
		for h in guest/sdk/include/minivirt/*.h; do
			defines "$h" "$name" && { found=1; break; }
		done
		[ -n "$found" ] || bad="$bad $name"
	done
	[ -z "$bad" ] || fail "minivirt-guest(7) names functions no SDK header declares:$bad"
}
t "every mv_ function of minivirt-guest(7) is declared in the SDK's headers" t_guest_man

# the check itself: a page naming a function that is gone, or a file that is gone, fails
t_catches() {
	mkdir -p "$T_TMP/tree/docs" "$T_TMP/tree/vmm"
	printf '%s\n' 'int layout_plan(int x)' '{' '	return x;' '}' 'int layout_plan_ex(int x);' \
		>"$T_TMP/tree/vmm/layout.c"
	printf '%s\n' 'Planned by `layout_plan()` (vmm/layout.c),' 'or by `layout_plan_ex()` (vmm/layout.c),' \
		'and `vmm/layout.c` `layout_plan`, `layout_gone`; see vmm/gone.c.' >"$T_TMP/tree/docs/p.md"
	got=$(cd "$T_TMP/tree" && awk -f "$T_ROOT/tests/docs/refs.awk" docs/p.md | while read -r where kind name file; do
		case $kind in
		pair) defines "$file" "$name" || echo "$name" ;;
		path) [ -e "$name" ] || echo "$name" ;;
		esac
	done | tr '\n' ' ')
	expect_eq "the references refused" "$got" "vmm/gone.c layout_plan_ex layout_gone "
}
t "a function only declared, or gone, and a file gone are caught" t_catches

done_testing
