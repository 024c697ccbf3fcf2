#!/bin/sh
# SPDX-License-Identifier: MIT
# tests/isolate/session.sh: PROGRAM's own session, as a hostile program sees it, as root and
# as nobody: kill(0) does not reach the caller's process group; TIOCSTI never types into
# the caller's terminal (through a real terminal: util-linux script(1)), with the seccomp
# filter and without; TIOCLINUX is denied; and an interactive `isolate sh` in a terminal
# has job control, its exact exit status, and leaves the terminal as it found it.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/iso.inc"

# as_user WHO CMD...: runs CMD as root or as nobody (setpriv)
as_user() {
	_who=$1
	shift
	if [ "$_who" = nobody ]; then $AS_NOBODY "$@"; else "$@"; fi
}
# for_users FUNC: FUNC root, then FUNC nobody
for_users() { "$1" root && "$1" nobody; }

# A caller's process group with a USR1 trap; PROGRAM sends USR1 to its own group
# (kill(0, SIGUSR1)). The trap firing means the signal got out.
kill0_as() {
	pub_dir || return 1
	for opt in "" --init --no-harden; do
		as_user "$1" setsid sh -c "trap 'echo CALLER-HIT' USR1; \"$ISO\" --net none $opt \
			\"$PROGS/killzero\" 10; echo rc=\$?" >"$PUB/out" 2>&1
		grep -q "killzero: sent" "$PUB/out" || { fail "$1 $opt: killzero did not run"; cat "$PUB/out"; return 1; }
		if grep -q CALLER-HIT "$PUB/out"; then
			fail "$1 $opt: kill(0, SIGUSR1) in the container reached the caller's process group"
			return 1
		fi
	done
}
t_kill0() { need_isolate && need_progs && for_users kill0_as; }
t "kill(0) from PROGRAM never reaches the caller's process group (root, nobody; --init, --no-harden)" t_kill0

# in_terminal CMD: runs CMD (a sh command line) with a terminal as its caller's, a pty that
# script(1) makes; after CMD, the caller reads whatever is waiting in its terminal's input
# (non-blocking) and prints it as "caller-got:[...]". Output in $T_TMP/term.
in_terminal() {
	cat >"$PUB/term.sh" <<EOF
$1
stty -icanon min 0 time 0
printf 'caller-got:[%s]\n' "\$(dd bs=256 count=1 2>/dev/null)"
EOF
	as_user "$WHO" timeout -k 5 60 script -qec "sh $PUB/term.sh" /dev/null </dev/null >"$T_TMP/term" 2>&1
}
# (printable characters only: script(1) itself may put a control character, its EOF, into
# the terminal's input when its stdin ends; the marker typed is letters)
caller_got() { sed -n 's/.*caller-got:\[\(.*\)\].*/\1/p' "$T_TMP/term" | tr -d '\000-\037\177'; }

tiocsti_as() {
	WHO=$1
	pub_dir || return 1
	# the control: outside isolate, TIOCSTI on the terminal works, and the caller reads it
	in_terminal "\"$PROGS/tiocsti\" 1 QZQ </dev/null"
	expect_eq "$WHO: control: what the caller read" "$(caller_got)" QZQ || return 1
	# stdin not a terminal, stdout the caller's: no pty; the program holds the caller's
	# terminal on fd 1, but it is not its controlling terminal (own session), and the filter
	# denies the ioctl; the high-bits request too
	for opt in "" "--seccomp none" "--no-harden"; do
		for hi in "" high; do
			in_terminal "\"$ISO\" --net none $opt \"$PROGS/tiocsti\" 1 QZQ $hi </dev/null"
			grep -q "tiocsti: Operation not permitted" "$T_TMP/term" ||
				{ fail "$WHO $opt $hi: TIOCSTI on the caller's terminal was not refused"; cat "$T_TMP/term"; return 1; }
			expect_eq "$WHO $opt $hi: what the caller read" "$(caller_got)" "" || return 1
		done
	done
	# stdin a terminal: the container's own pty; the filter denies TIOCSTI there too...
	in_terminal "\"$ISO\" --net none \"$PROGS/tiocsti\" 0 QZQ high"
	grep -q "tiocsti: Operation not permitted" "$T_TMP/term" ||
		{ fail "$WHO: TIOCSTI on the container's pty was not refused"; cat "$T_TMP/term"; return 1; }
	# ...and without it, what it types stays in its own terminal
	in_terminal "\"$ISO\" --net none --no-harden \"$PROGS/tiocsti\" 0 QZQ"
	grep -q "tiocsti: injected" "$T_TMP/term" ||
		{ fail "$WHO --no-harden: TIOCSTI on its own pty failed"; cat "$T_TMP/term"; return 1; }
	expect_eq "$WHO --no-harden: what the caller read" "$(caller_got)" ""
}
t_tiocsti() {
	need_isolate && need_progs || return 1
	command -v script >/dev/null || { fail "no script(1) (util-linux; scripts/deps.sh check)"; return 1; }
	for_users tiocsti_as
}
t "TIOCSTI never types into the caller's terminal: refused (filter, no controlling terminal) or kept in the container's own pty" t_tiocsti

t_tioclinux() {
	need_isolate && need_progs || return 1
	run "$ISO" --net none "$PROGS/tiocsti" 1 x linux
	expect_rc 1 && expect_out "tiocsti: Operation not permitted" || return 1
	# the control: without the filter the kernel answers (not a console: not EPERM)
	run "$ISO" --net none --seccomp none "$PROGS/tiocsti" 1 x linux
	expect_rc 1 || return 1
	printf '%s\n' "$OUT" | grep -q "Operation not permitted" &&
		{ fail "TIOCLINUX refused even without the filter: the test proves nothing"; return 1; }
	return 0
}
t "TIOCLINUX is denied by the seccomp filter" t_tioclinux

# An interactive shell through a terminal: commands typed into the caller's terminal (a
# pipe into script). Job control: a background job is a process group of its own (with
# none, it stays in the shell's); `exit 7` is isolate's 7; the terminal's settings are the
# same after as before.
interactive_as() {
	WHO=$1
	pub_dir && chmod 1777 "$PUB" || return 1 # the shell records the terminal's settings here
	for opt in "" --init; do
		cat >"$PUB/inter.sh" <<EOF
stty -g >"$PUB/before"
"$ISO" --net none $opt sh -i
echo "isolate-rc=\$?"
stty -g >"$PUB/after"
EOF
		printf '%s\n' 'sleep 30 &' \
			'[ "$(ps -o pgid= -p $!)" -eq $! ] && echo "JOB-PGID-OWN" || echo "JOB-PGID-SHARED"' \
			'kill %1' 'exit 7' |
			as_user "$WHO" timeout -k 5 60 script -qec "sh $PUB/inter.sh" /dev/null >"$T_TMP/inter" 2>&1
		tr -d '\r' <"$T_TMP/inter" >"$T_TMP/inter.txt"
		if grep -qi "job control turned off\|cannot set tty process group\|can't access tty" "$T_TMP/inter.txt"; then
			fail "$WHO $opt: the shell has no job control"; sed 's/^/#   /' "$T_TMP/inter.txt"; return 1
		fi
		# (the typed line is echoed too: the answer is the line without the echo command)
		grep "JOB-PGID-OWN" "$T_TMP/inter.txt" | grep -qv echo ||
			{ fail "$WHO $opt: a background job is not a process group of its own"; sed 's/^/#   /' "$T_TMP/inter.txt"; return 1; }
		grep -q "isolate-rc=7" "$T_TMP/inter.txt" ||
			{ fail "$WHO $opt: exit 7 did not give 7"; sed 's/^/#   /' "$T_TMP/inter.txt"; return 1; }
		[ -s "$PUB/before" ] && cmp -s "$PUB/before" "$PUB/after" ||
			{ fail "$WHO $opt: the terminal's settings changed: $(cat "$PUB/before") -> $(cat "$PUB/after")"; return 1; }
	done
}
t_interactive() {
	need_isolate || return 1
	command -v script >/dev/null || { fail "no script(1) (util-linux)"; return 1; }
	for_users interactive_as
}
t "isolate sh in a terminal: job control, exit 7 gives 7, the terminal restored (root, nobody; --init)" t_interactive

# The terminal restored on the other ways out: a setup failure after the pty was made
# (PROGRAM not found) and a container killed by a signal.
t_restored() {
	need_isolate || return 1
	pub_dir || return 1
	cat >"$PUB/ways.sh" <<EOF
stty -g >"$PUB/before"
"$ISO" --net none /nonexistent/program
echo "rc1=\$?"
"$ISO" --net none --init sh -c 'kill -9 \$\$'
echo "rc2=\$?"
stty -g >"$PUB/after"
EOF
	timeout -k 5 60 script -qec "sh $PUB/ways.sh" /dev/null </dev/null >"$T_TMP/ways" 2>&1
	tr -d '\r' <"$T_TMP/ways" >"$T_TMP/ways.txt"
	grep -q "rc1=127" "$T_TMP/ways.txt" && grep -q "rc2=137" "$T_TMP/ways.txt" ||
		{ fail "unexpected statuses"; sed 's/^/#   /' "$T_TMP/ways.txt"; return 1; }
	[ -s "$PUB/before" ] && cmp -s "$PUB/before" "$PUB/after" ||
		{ fail "the terminal's settings changed: $(cat "$PUB/before") -> $(cat "$PUB/after")"; return 1; }
}
t "the caller's terminal is restored after a setup failure and after a death by signal" t_restored

# isolate as a background job (job control on) with the terminal on stdin: no pty, no raw
# mode (which would stop it with SIGTTOU): PROGRAM gets the caller's terminal as it is.
t_background() {
	need_isolate || return 1
	pub_dir || return 1
	cat >"$PUB/bg.sh" <<EOF
set -m
echo "caller \$(tty)"
"$ISO" --net none sh -c 'echo "inside \$(tty)"' &
wait \$!
echo "rc=\$?"
EOF
	timeout -k 5 60 script -qec "sh $PUB/bg.sh" /dev/null </dev/null >"$T_TMP/bg" 2>&1
	tr -d '\r' <"$T_TMP/bg" >"$T_TMP/bg.txt"
	caller=$(sed -n 's/.*caller //p' "$T_TMP/bg.txt")
	grep -q "rc=0" "$T_TMP/bg.txt" && [ -n "$caller" ] && grep -q "inside $caller\$" "$T_TMP/bg.txt" ||
		{ fail "in the background:"; sed 's/^/#   /' "$T_TMP/bg.txt"; return 1; }
}
t "isolate in the background: no pty, not stopped; PROGRAM has the caller's terminal" t_background

# The caller's terminal goes away (script(1) killed: its pty hangs up) while a shell runs
# in the container, interactive (it handles SIGHUP) or not (it has no handler, as PID 1):
# isolate hangs up the container's terminal too, and ends a PID 1 that would ignore the
# SIGHUP; nothing is left.
t_hangup() {
	need_isolate || return 1
	pub_dir && chmod 1777 "$PUB" || return 1
	for i in -i ""; do
		mark="iso-hangup-$$-x$i"
		rm -f "$PUB/ready"
		cat >"$PUB/hup.sh" <<EOF
"$ISO" --net none sh $i -c ": $mark; : >$PUB/ready; while :; do sleep 0.05; done"
EOF
		script -qec "sh $PUB/hup.sh" /dev/null </dev/null >"$T_TMP/hup" 2>&1 &
		spid=$!
		poll 100 test -e "$PUB/ready" || { fail "sh $i did not start"; kill -9 "$spid"; return 1; }
		kill -KILL "$spid"
		wait "$spid" 2>/dev/null
		expect_no_procs "$mark" || { fail "sh $i"; return 1; }
	done
}
t "the caller's terminal hangs up: the container's does too, nothing is left (sh -i, sh)" t_hangup

# isolate's own lines while the caller's terminal is raw end with "\r\n" (the terminal no
# longer adds the carriage return): a word on a dropped SIGUSR1, in the middle of a run.
t_crlf() {
	need_isolate || return 1
	pub_dir && chmod 1777 "$PUB" || return 1
	mark="iso-crlf-$$"
	cat >"$PUB/crlf.sh" <<EOF
(n=0; while [ ! -e "$PUB/ready" ] && [ \$n -lt 300 ]; do sleep 0.05; n=\$((n + 1)); done
	kill -USR1 \$(pgrep -o -f "$mark"); : >"$PUB/done") &
"$ISO" --net none sh -c ": $mark; : >$PUB/ready; while [ ! -e $PUB/done ]; do sleep 0.05; done"
EOF
	timeout -k 5 60 script -qec "sh $PUB/crlf.sh" /dev/null </dev/null >"$T_TMP/crlf" 2>&1
	cr=$(printf '\r')
	grep -q "no handler for SIGUSR1, so the kernel drops it$cr\$" "$T_TMP/crlf" ||
		{ fail "isolate's line in raw mode:"; od -c "$T_TMP/crlf" | tail -n 8 | sed 's/^/#   /'; return 1; }
}
t "isolate's own lines end with CR LF while the caller's terminal is raw" t_crlf

# The window size reaches the container's pty, at the start and when the caller's terminal
# is resized (SIGWINCH to isolate, the new size to the pty, the kernel's SIGWINCH inside).
t_winsize() {
	need_isolate || return 1
	pub_dir && chmod 1777 "$PUB" || return 1 # the container's root writes "ready" there
	cat >"$PUB/prog.sh" <<'EOF'
echo "start $(stty size)"
trap 'echo "winch $(stty size)"; exit 0' WINCH
: >"$1/ready"
while :; do sleep 0.05; done
EOF
	cat >"$PUB/win.sh" <<EOF
stty rows 33 cols 91
(n=0; while [ ! -e "$PUB/ready" ] && [ \$n -lt 300 ]; do sleep 0.05; n=\$((n + 1)); done; stty rows 40 cols 100 </dev/tty) &
"$ISO" --net none sh "$PUB/prog.sh" "$PUB"
echo "rc=\$?"
EOF
	timeout -k 5 60 script -qec "sh $PUB/win.sh" /dev/null </dev/null >"$T_TMP/win" 2>&1
	tr -d '\r' <"$T_TMP/win" >"$T_TMP/win.txt"
	grep -q "start 33 91" "$T_TMP/win.txt" && grep -q "winch 40 100" "$T_TMP/win.txt" &&
		grep -q "rc=0" "$T_TMP/win.txt" ||
		{ fail "the container's terminal size:"; sed 's/^/#   /' "$T_TMP/win.txt"; return 1; }
}
t "the container's pty has the caller's window size, and follows it (SIGWINCH)" t_winsize

done_testing
