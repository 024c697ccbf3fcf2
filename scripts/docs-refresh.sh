#!/bin/sh
# SPDX-License-Identifier: MIT
# scripts/docs-refresh.sh: `make docs-refresh`: runs the command examples of the given pages
# (default: README.md and docs/*.md) as tests/docs/examples.sh does, and writes each
# example's real output back into its page, in place. cram does the running and the
# merging (`cram3 -i -y` takes every line that no longer matches into the test file); this
# script only turns that file's blocks back into the page's, keeping the page's own text
# for every line that still matches (so host addresses and pids do not churn). Then
# `git diff` shows what changed. Run it as
# root, from anywhere; like the tests, it runs in a network namespace of its own.
set -eu
ROOT=$(cd "$(dirname "$0")/.." && pwd)
if [ "$(id -u)" -eq 0 ] && [ -z "${DOCS_REFRESH_NETNS:-}" ]; then
	exec unshare --net env DOCS_REFRESH_NETNS=1 sh -c 'ip link set lo up && exec sh "$0" "$@"' "$0" "$@"
fi
CRAM=$(command -v cram3 || command -v cram) || { echo "docs-refresh.sh: no cram (apt-get install python3-cram)" >&2; exit 1; }
tmp=$(mktemp -d "${TMPDIR:-/tmp}/docs-refresh.XXXXXX")
trap '[ -n "${DOCS_REFRESH_KEEP:-}" ] || rm -rf "$tmp"' EXIT
cd "$ROOT"
[ $# -gt 0 ] || set -- README.md docs/*.md
for page in "$@"; do
	case $page in *.md) ;; *) echo "docs-refresh.sh: $page: only Markdown pages are refreshed" >&2; continue ;; esac
	work=$tmp/work
	rm -rf "$work" && mkdir -p "$work" && ln -s "$ROOT/build" "$work/build" && ln -s "$ROOT/scripts" "$work/scripts"
	t=$tmp/page.t
	setup="  \$ cd \"$work\" && PATH=\"$ROOT/build:\$PATH\" TMPDIR=/tmp LC_ALL=C.UTF-8 && export PATH TMPDIR LC_ALL && unset COLUMNS"
	# the masked test (what examples.sh runs) and, line for line, the page's own text
	{ echo "setup:"; echo "$setup"; awk -f tests/docs/doc2t.awk "$page"; } >"$t"
	{ echo "setup:"; echo "$setup"; awk -v plain=1 -f tests/docs/doc2t.awk "$page"; } >"$tmp/plain.t"
	grep -q "^$page:" "$t" || continue
	cp "$t" "$tmp/pre.t"
	(cd "$tmp" && "$CRAM" -i -y --shell=/bin/sh page.t </dev/null >"$tmp/cram.log" 2>&1) || true
	# splice: each "PAGE:LINE:" block of the merged test replaces the block at LINE in the
	# page. A line cram kept (it still matches) keeps the page's text; a line it changed
	# is the new output (unescaped from cram's "(esc)" form).
	awk '
		FNR == 1 { cur = 0 }
		function marker(l,    a, n) { if (l !~ /^[^ ].*:[0-9]+:$/) return 0; n = split(l, a, ":"); return a[n - 1] + 0 }
		FILENAME == ARGV[1] { if ((m = marker($0))) cur = m; else if (cur && substr($0, 1, 2) == "  ") { pre[cur, ++np[cur]] = $0 }; next }
		FILENAME == ARGV[2] { if ((m = marker($0))) cur = m; else if (cur && substr($0, 1, 2) == "  ") { txt[cur, ++nt[cur]] = substr($0, 3) }; next }
		FILENAME == ARGV[3] {
			if ((m = marker($0))) { cur = m; ptr[cur] = 1; has[cur] = 1; next }
			if (!cur || substr($0, 1, 2) != "  ") next
			for (k = ptr[cur]; k <= np[cur] && pre[cur, k] != $0; k++) ;
			if (k <= np[cur]) { l = txt[cur, k]; ptr[cur] = k + 1 }
			else {
				l = substr($0, 3)
				if (l ~ / \(esc\)$/) { sub(/ \(esc\)$/, "", l); gsub(/\\t/, "\t", l) }
			}
			sub(/[ \t]+$/, "", l)
			body[cur] = body[cur] l "\n"
			next
		}
		skip && /^```/ { skip = 0; print; next }
		skip { next }
		(FNR in has) { printf "%s", body[FNR]; skip = 1; next }
		{ print }
	' "$tmp/pre.t" "$tmp/plain.t" "$t" "$page" >"$tmp/page.new"
	cp "$tmp/page.new" "$page"
	echo "docs-refresh.sh: $page: $(grep -c '^  \$ ' "$t") example(s) run"
done
