#!/bin/sh
# SPDX-License-Identifier: MIT
# tests/docs/options.sh: the docs and the tools agree on the options. Every option that
# `kvm-hello-world --help` and `isolate --help` list is in README.md's option table and in
# the tool's manual page (the OCI runtime's global options in docs/oci.md and isolate(1)),
# and every option README.md's tables name is one the tool lists: an option added, renamed
# or removed without its docs fails here.
. "$(dirname "$0")/../lib.sh"

cd "$T_ROOT" || exit 1

# help_opts BINARY [FIRST|OCI]: the options a --help lists ("-m", "--mem"), one a line; for
# isolate, those of `isolate PROGRAM` (FIRST) or of the OCI runtime's global options (OCI)
help_opts() {
	"$T_BUILD/$1" --help 2>&1 | awk -v part="${2:-FIRST}" '
		/^Usage: isolate \[GLOBAL/ { oci = 1 }
		(part == "OCI") != (oci == 1) { next }
		part == "OCI" && !/^Global options/ && !g { next }
		/^Global options/ { g = 1; next }
		/^ +-/ {
			s = $0
			sub(/^ +/, "", s)
			while (match(s, /^-(-[a-z][a-z-]*|[a-zA-Z])/)) {
				print substr(s, 1, RLENGTH)
				s = substr(s, RLENGTH + 1)
				sub(/^[^,]*, */, "", s)
				if (s !~ /^-/) break
			}
		}' | sort -u
}

# table_opts FILE FROM TO: the options in the first column of the Markdown table rows of
# FILE between the lines matching FROM and TO
table_opts() {
	awk -v from="$2" -v to="$3" '$0 ~ from { on = 1 } on && $0 ~ to { on = 0 } on && /^\| `-/ {
		line = $0
		gsub(/\\\|/, "", line) # an escaped | inside a cell
		split(line, c, "|")
		s = c[2]
		while (match(s, /`-(-[a-z][a-z-]*|[a-zA-Z])/)) {
			print substr(s, RSTART + 1, RLENGTH - 1)
			s = substr(s, RSTART + RLENGTH)
		}
	}' "$1" | sort -u
}

# in_man PAGE OPTION: the page names the option (roff writes "-" as "\-")
in_man() { grep -qF -- "$(printf '%s' "$2" | sed 's/-/\\-/g')" "$1"; }

# agree WHAT HELP_LIST TABLE_LIST MAN: both lists are the same, and each option is in MAN
agree() {
	printf '%s\n' "$2" >"$T_TMP/help"
	printf '%s\n' "$3" >"$T_TMP/table"
	[ "$(wc -l <"$T_TMP/help")" -ge 3 ] || { fail "$1: --help lists no options"; return 1; }
	bad=
	missing=$(comm -23 "$T_TMP/help" "$T_TMP/table" | tr '\n' ' ')
	stale=$(comm -13 "$T_TMP/help" "$T_TMP/table" | tr '\n' ' ')
	[ -z "$missing" ] || bad="$bad; not in the docs' table: $missing"
	[ -z "$stale" ] || bad="$bad; in the docs' table, not in --help: $stale"
	for o in $2; do
		in_man "$4" "$o" || bad="$bad; not in $4: $o"
	done
	[ -z "$bad" ] || fail "$1$bad"
}

t_vmm() {
	agree "kvm-hello-world" "$(help_opts kvm-hello-world)" \
		"$(table_opts README.md '^## kvm-hello-world' '^Exit status')" man/kvm-hello-world.1
}
t "kvm-hello-world: --help, README.md's option table and kvm-hello-world(1) list the same options" t_vmm

t_iso() {
	agree "isolate" "$(help_opts isolate FIRST)" \
		"$(table_opts README.md '^## isolate' '^### isolate as an OCI')" man/isolate.1
}
t "isolate PROGRAM: --help, README.md's option table and isolate(1) list the same options" t_iso

t_oci() {
	bad=
	for o in $(help_opts isolate OCI); do
		grep -qF -- "\`$o" docs/oci.md || bad="$bad docs/oci.md:$o"
		in_man man/isolate.1 "$o" || bad="$bad isolate.1:$o"
	done
	[ -n "$(help_opts isolate OCI)" ] || bad=" (--help lists no global option)"
	[ -z "$bad" ] || fail "the OCI runtime's global options missing from:$bad"
}
t "isolate's OCI global options are in docs/oci.md and isolate(1)" t_oci

done_testing
