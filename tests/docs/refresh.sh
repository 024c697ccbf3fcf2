#!/bin/sh
# tests/docs/refresh.sh: `make docs-refresh`: runs the command examples of the given pages
# (default: README.md and docs/*.md) as tests/docs/examples.sh does, and writes each
# example's real output back into its page, in place. cram does the running and the
# merging (`cram3 -y` takes every new output into the test file); this script only turns
# that file's blocks back into the page's. Then `git diff` shows what changed. Run it as
# root, from anywhere; like the tests, it runs in a network namespace of its own.
set -eu
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
if [ "$(id -u)" -eq 0 ] && [ -z "${DOCS_REFRESH_NETNS:-}" ]; then
	exec unshare --net env DOCS_REFRESH_NETNS=1 sh -c 'ip link set lo up && exec sh "$0" "$@"' "$0" "$@"
fi
CRAM=$(command -v cram3 || command -v cram) || { echo "refresh.sh: no cram (apt-get install python3-cram)" >&2; exit 1; }
tmp=$(mktemp -d "${TMPDIR:-/tmp}/docs-refresh.XXXXXX")
trap '[ -n "${DOCS_REFRESH_KEEP:-}" ] || rm -rf "$tmp"' EXIT
cd "$ROOT"
[ $# -gt 0 ] || set -- README.md docs/*.md
for page in "$@"; do
	case $page in *.md) ;; *) echo "refresh.sh: $page: only Markdown pages are refreshed" >&2; continue ;; esac
	work=$tmp/work
	rm -rf "$work" && mkdir -p "$work" && ln -s "$ROOT/build" "$work/build" && ln -s "$ROOT/scripts" "$work/scripts"
	t=$tmp/page.t
	{
		echo "setup:"
		echo "  \$ cd \"$work\" && PATH=\"$ROOT/build:\$PATH\" TMPDIR=/tmp LC_ALL=C.UTF-8 && export PATH TMPDIR LC_ALL && unset COLUMNS"
		awk -v plain=1 -f tests/docs/doc2t.awk "$page"
	} >"$t"
	grep -q "^$page:" "$t" || continue
	(cd "$tmp" && "$CRAM" -i -y --shell=/bin/sh page.t </dev/null >"$tmp/cram.log" 2>&1) || true
	# splice: each "PAGE:LINE:" block of the test replaces the block at LINE in the page
	awk -v page="$page" '
		FNR == NR {
			if ($0 ~ /^[^ ].*:[0-9]+:$/) { n = split($0, a, ":"); cur = a[n - 1] + 0; next }
			if (cur && substr($0, 1, 2) == "  ") { l = substr($0, 3); sub(/[ \t]+$/, "", l); body[cur] = body[cur] l "\n" }
			next
		}
		skip && /^```/ { skip = 0; print; next }
		skip { next }
		(FNR in body) { printf "%s", body[FNR]; skip = 1; next }
		{ print }
	' "$t" "$page" >"$tmp/page.new"
	cp "$tmp/page.new" "$page"
	echo "refresh.sh: $page: $(grep -c '^  \$ ' "$t") example(s) run"
done
