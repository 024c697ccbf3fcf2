# SPDX-License-Identifier: MIT
# tests/docs/refs.awk: lists the code references of a Markdown page, for tests/docs/refs.sh.
#
# A page names code in three ways; each becomes one output line "LINE KIND WHAT [FILE]":
#   path  PATH          a file or folder of the tree (vmm/layout.c, isolate/, vmm/hc_*.c)
#   func  NAME          a function named as NAME() anywhere (in prose, tables, pictures)
#   pair  NAME FILE     a function tied to its file: "`f()` (vmm/x.c)", "`f()`, vmm/x.c",
#                       "`f()` in `vmm/x.c`", "`f()`/`g()` (vmm/x.c)", or a file followed by
#                       its functions, "`vmm/x.c` `f` -> `g`", as docs/hacking.md's map does
# The text is read by units: a paragraph (its lines joined), a table row, a line of a
# ```text picture; command examples (plain and ```sh fences) are outputs, not references.

function emit(kind, what, file) {
	print unitline, kind, what (file == "" ? "" : " " file)
}

# unit(s): the references of one unit of text
function unit(s,    toks, n, i, j, seps, t, sep, m, run, k) {
	n = 0
	# tokens: a function "name()", a path "dir/file", a bare `name` in backquotes
	# (after a character that cannot end a path or a name: /run/isolate/net.lock is no path
	# of the tree, build/tests/unit_gva none either)
	s = " " s
	while (match(s, /[^A-Za-z0-9_](`?[A-Za-z_][A-Za-z0-9_]*\(\)`?|`[A-Za-z_][A-Za-z0-9_]*`)|[^A-Za-z0-9_.\/-]`?(vmm|isolate|common|guest|include|tests|scripts|kmod|bench|docs|man)\/[A-Za-z0-9_.*\/-]*[A-Za-z0-9_*\/]`?/)) {
		seps[++n] = substr(s, 1, RSTART)
		gsub(/`/, "", seps[n])
		t = substr(s, RSTART + 1, RLENGTH - 1)
		s = substr(s, RSTART + RLENGTH)
		if (substr(s, 1, 1) == "<") { n--; continue } # vmm/hc_<area>.c: a placeholder
		bq[n] = t ~ /^`/
		gsub(/`/, "", t)
		if (t ~ /\(\)$/) { kind[n] = "func"; sub(/\(\)$/, "", t) }
		else if (t ~ /\//) kind[n] = "path"
		else kind[n] = "ident"
		tok[n] = t
	}
	for (i = 1; i <= n; i++) {
		if (kind[i] == "path") emit("path", tok[i])
		else if (kind[i] == "func") emit("func", tok[i])
	}
	# "f() (FILE", "f(), FILE", "f() in FILE", with f() (or `f`) a run joined by , / and or
	for (i = 1; i <= n; i++) {
		if (kind[i] != "func" && kind[i] != "ident") continue
		run = i
		for (j = i + 1; j <= n && (kind[j] == "func" || kind[j] == "ident") && seps[j] ~ /^ *(,|\/|and|or|,? *and) *$/; j++) ;
		if (j <= n && kind[j] == "path" && tok[j] ~ /\.[ch]$/ && seps[j] ~ /^ *(\(|,|in) *$/)
			for (k = run; k < j; k++) emit("pair", tok[k], tok[j])
		i = j - 1
	}
	# "`FILE` `f` -> `g`, `h` / `i`": a backquoted file, then its names
	for (i = 1; i < n; i++) {
		if (kind[i] != "path" || !bq[i] || tok[i] !~ /\.[ch]$/) continue
		for (j = i + 1; j <= n && (kind[j] == "ident" || kind[j] == "func"); j++) {
			sep = seps[j]
			if (j == i + 1 ? sep !~ /^ +$/ : sep !~ /^ *(->|,|\/|:|and) *$/) break
			emit("pair", tok[j], tok[i])
		}
	}
}

function flush() {
	if (para != "") unit(para)
	para = ""
}

/^```/ {
	flush()
	if (!fence) { fence = 1; picture = ($0 == "```text") } else fence = 0
	next
}
fence { if (picture) { unitline = FNR; unit($0) } next }
/^ *$/ { flush(); next }
/^\|/ { flush(); unitline = FNR; unit($0); next }
{ if (para == "") { unitline = FNR; para = $0 } else para = para " " $0 }
END { flush() }
