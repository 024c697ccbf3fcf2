#!/bin/sh
# SPDX-License-Identifier: MIT
# scripts/lint.sh: `make lint`: shellcheck on every script in the tree, cppcheck on the C
# sources, every C file as clang-format writes it (.clang-format), and clang-tidy's size and
# complexity bounds on the folders listed in $tidy_dirs; silent and status 0 when clean,
# else the findings and status 1.
# Usage: sh scripts/lint.sh   (from the top of the tree; needs shellcheck, cppcheck,
# clang-format and clang-tidy: sh scripts/deps.sh check)
set -u
cd "$(dirname "$0")/.." || exit 2
for tool in shellcheck cppcheck clang-format clang-tidy; do
	command -v "$tool" >/dev/null || { echo "lint: $tool is missing (sh scripts/deps.sh check)" >&2; exit 2; }
done

# Every script git knows (shell by name, or by its #! line), and the untracked ones.
scripts=$(git ls-files -co --exclude-standard 2>/dev/null | while read -r f; do
	case $f in
	*.sh | *.inc | .ci/run) echo "$f" ;;
	*.*) ;;
	*) [ -f "$f" ] && head -n 1 "$f" | grep -q '^#!.*sh$' && echo "$f" ;;
	esac
done)

# Shellcheck runs with warnings and errors (-S warning), as POSIX sh. Left out, and why:
#  info and style findings: the tests' `check && check || return 1` idiom (SC2015) and the
#    deliberate word splitting of option lists (SC2086) are how they are written;
#  SC2034 (variable appears unused): lib.sh's assertions read what the test files set
#    (RC, ERR, T_FILE, AS, ...), through a `. "$(dirname "$0")/../lib.sh"` shellcheck
#    cannot follow;
#  SC2089/SC2090 (quotes in a variable): the tests keep expected messages, quotes
#    included, in variables they compare, never in ones they evaluate;
#  SC2010 (ls | grep): only on folders a test made, whose names it chose.
rc=0
# $scripts: one name a line, none with a space, split on purpose.
# shellcheck disable=SC2086
shellcheck -s sh -S warning -e SC2034,SC2089,SC2090,SC2010 -f gcc $scripts || rc=1

# Cppcheck reads every C file of both tools, common/ and the guest SDK. Suppressed, and why:
#  uninitvar in isolate/run.c: `ps` is filled by read(), which cppcheck does not model;
#  duplicateAssignExpression in isolate/harden.c: keep and bound start equal on purpose.
cppcheck -q --std=c11 --enable=warning,portability,performance --error-exitcode=1 \
	-D_GNU_SOURCE -D__x86_64__ -Iinclude -Icommon \
	--suppress=uninitvar:isolate/run.c --suppress=duplicateAssignExpression:isolate/harden.c \
	common vmm isolate guest || rc=1

# The house style: every C file git knows is as clang-format writes it (isolate/gen/ is
# generated). A finding names the file and line; `clang-format -i FILE` fixes it.
# shellcheck disable=SC2046
clang-format --dry-run --Werror $(git ls-files -co --exclude-standard '*.c' '*.h' | grep -v '^isolate/gen/') || rc=1

# No function over 80 lines or over cognitive complexity 25 (clang-tidy's
# readability-function-size and readability-function-cognitive-complexity), so each reads
# as a short list of steps. Checked on the folders that meet it; a folder joins the list
# once it is clean. Each folder builds with its own include path, as in the Makefile.
# isolate/harden.c includes the generated filter, in build/isolate-obj (`make lint` makes it).
tidy_dirs="common vmm isolate"
tidy_opts="{CheckOptions: [{key: readability-function-cognitive-complexity.Threshold, value: 25}, \
{key: readability-function-size.LineThreshold, value: 80}]}"
for d in $tidy_dirs; do
	# shellcheck disable=SC2046
	clang-tidy -quiet --warnings-as-errors='*' --config="$tidy_opts" \
		--checks='-*,readability-function-cognitive-complexity,readability-function-size' \
		$(git ls-files -co --exclude-standard "$d/*.c") -- -std=c11 -D_GNU_SOURCE \
		-Icommon -Iinclude -I"$d" -Ibuild/isolate-obj -DMINIVIRT_VERSION='"lint"' 2>/dev/null || rc=1
done
exit $rc
