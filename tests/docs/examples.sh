#!/bin/sh
# SPDX-License-Identifier: MIT
# tests/docs/examples.sh: every command example shown in README.md, docs/*.md and the manual
# pages' EXAMPLES is run, and its output must be what the page shows, but for what changes
# from run to run (host addresses, pids, namespace inodes, interface indexes, MAC addresses,
# times, temporary paths). One test per page that has examples.
#
# The tool is cram (Debian's python3-cram, `cram3`): it runs a transcript of shell commands
# and diffs their output against the expected lines, which may be regular expressions. A
# transcript is exactly what a page shows, so cram needs no test code restating each output
# (bats would, one assertion at a time), and its diff is the reader's view. The pages stay
# plain Markdown and roff: tests/docs/doc2t.awk turns each page's examples into a cram test
# (the masks are there). `make docs-refresh` runs them and writes the real output back.
#
# The examples are run as root, from a scratch folder where build/ and scripts/ are the
# repository's (so `mkdir share` and the like land there), with build/ first on the PATH,
# as README.md says to run them; and, like the isolate tests, in a network namespace of their
# own, where the veth pairs of isolate's examples live and die.
# time-limit: 600
. "$(dirname "$0")/../lib.sh"
. "$T_ROOT/scripts/netns.sh"
netns_own "$0" "$@"
netns_guard "not ok 1 - $T_FILE" || exit 1
# The OCI examples use isolate's default state folder, /run/isolate-oci, as a reader would;
# other runs on the machine (another checkout's examples, an engine's containers) use it
# too, and `isolate list` would show theirs. As root the examples get a fresh one: a tmpfs
# over it, in a mount namespace of their own.
if [ "$(id -u)" -eq 0 ] && [ "${MINIVIRT_OCI_STATE_OWN:-}" != 1 ]; then
	mkdir -p /run/isolate-oci || exit 1
	MINIVIRT_OCI_STATE_OWN=1 unshare --mount --propagation private -- sh -c \
		'mount -t tmpfs -o mode=0700 isolate-oci /run/isolate-oci && exec sh "$0" "$@"' "$0" "$@"
	exit
fi

CRAM=$(command -v cram3 || command -v cram)

# doc_test PAGE: runs PAGE's examples; fails with cram's diff
doc_test() {
	page=$1
	[ -n "$CRAM" ] || { fail "no cram (sh scripts/deps.sh check installs python3-cram)"; return 1; }
	[ "$(id -u)" -eq 0 ] || skip "the examples are shown as root runs them"
	t=$T_TMP/$(echo "$page" | tr / _).t
	work=$T_TMP/work.$(echo "$page" | tr / _)
	mkdir -p "$work" && ln -sfn "$T_ROOT/build" "$work/build" && ln -sfn "$T_ROOT/scripts" "$work/scripts"
	{
		echo "The scratch folder, build/ on the PATH, as README.md runs the examples:"
		echo ""
		echo "  \$ cd \"$work\" && PATH=\"$T_ROOT/build:\$PATH\" TMPDIR=/tmp LC_ALL=C.UTF-8 && export PATH TMPDIR LC_ALL && unset COLUMNS"
		echo ""
		awk -f "$T_ROOT/tests/docs/doc2t.awk" "${DOC_ROOT:-$T_ROOT}/$page"
	} >"$t"
	n=$(grep -c '^  \$ ' "$t")
	(cd "$T_TMP" && "$CRAM" --shell=/bin/sh "$t") >"$T_TMP/cram.out" 2>&1 && return 0
	fail "$page: an example's output differs from the page ($((n - 1)) examples; cram's diff, - page, + now):"
	sed 's/^/#   /' "$T_TMP/cram.out" | head -n 60
	# what was printed instead, in case the diff's head did not reach it
	echo "#   the lines printed instead (+):"
	grep '^+  ' "$T_TMP/cram.out" | head -n 30 | sed 's/^/#   /'
	return 1
}

# plain_blocks PAGE: the blocks of a Markdown page that show output without being run
# ("LINE: first line"). A plain ``` block must be a run example; a block that is not a
# command's output says what it is instead (```sh, ```c, ```text); and a ```text block
# that holds output all the same (a "$ " command line, a line of the tools, of make bench or
# of ctr) is output that cannot be run here, and says why on the line before its fence:
# "<!-- not run: REASON -->". So pasted output cannot slip in unchecked.
plain_blocks() {
	awk '/^```/ {
			if (!f) { f = 1; p = ($0 == "```"); first = 1; start = FNR; why = (prev ~ /^<!-- not run: .+ -->$/); shown = 0 }
			else { f = 0; if (shown && !why) print start ": output not run, no <!-- not run: REASON --> before it" }
			prev = $0; next
		}
		f && first { if (p && $0 !~ /^\$ /) print FNR ": " $0; first = 0 }
		f && !p && /^(\$ |(isolate|kvm-hello-world|bench|goal|ctr): |\[(host|pid 1|parent|child |vcpu[0-9]+)\] )/ { shown = 1 }
		{ prev = $0 }' "$T_ROOT/$1"
}
t_all_run() {
	bad=
	for page in README.md docs/*.md; do
		b=$(plain_blocks "$page")
		[ -z "$b" ] || bad="$bad$(printf '%s\n' "$b" | sed "s|^|$page:|")
"
	done
	fail_list "blocks that show output but are not run examples (start them with \"\$ COMMAND\"; mark a picture \`\`\`text; output that cannot run here \`\`\`text with <!-- not run: REASON --> before it):" "$bad"
}
t "every block of README.md and docs/*.md that shows output is a run example, or says why not" t_all_run

# The check itself, on pages of its own: what varies from run to run (a pid, a host address)
# passes; a changed greeting, a guest address or a status fails.
t_catches() {
	[ -n "$CRAM" ] && [ "$(id -u)" -eq 0 ] || { doc_test README.md; return; }
	mkdir -p "$T_TMP/self"
	page() { printf '%s\n' '```' "\$ $1" "$2" '```' >"$T_TMP/self/$3.md"; }
	page "printf 'pid %s at %s\\n' \$\$ 0x7f0000001000" "pid 4242 at 0x7fffdead0000" same
	page "kvm-hello-world" "Hello, World!" greeting
	page "echo 'page tables gpa 0x1f6000'" "page tables gpa 0x1f7000" gpa
	page "kvm-hello-world --guest wrong >/dev/null 2>&1; echo \"status \$?\"" "status 0" status
	DOC_ROOT=$T_TMP/self doc_test same.md >"$T_TMP/self.out" 2>&1 ||
		{ fail "a pid and a host address that differ should pass:"; sed 's/^/#   /' "$T_TMP/self.out"; return 1; }
	for p in greeting gpa status; do
		! DOC_ROOT=$T_TMP/self doc_test "$p.md" >"$T_TMP/self.out" 2>&1 ||
			{ fail "$p.md: a changed output passed"; return 1; }
	done
}
t "the check passes what varies from run to run and fails a changed output" t_catches

for page in README.md docs/*.md man/*.[0-9]; do
	awk -f "$T_ROOT/tests/docs/doc2t.awk" "$T_ROOT/$page" | grep -q '^  \$ ' || continue
	eval "t_$(echo "$page" | tr -c 'A-Za-z0-9\n' _)() { doc_test '$page'; }"
	t "$page: every example prints what the page shows" "t_$(echo "$page" | tr -c 'A-Za-z0-9\n' _)"
done

done_testing
