#!/bin/sh
# SPDX-License-Identifier: MIT
# tests/isolate/report.sh: --report FILE: JSON (jq reads it), written atomically (a temporary
# file renamed over FILE), on every path: a normal run, PROGRAM's failures, isolate's own
# (setup, usage, a bad value); "-" is stderr; a FILE that cannot be written is one line,
# exit 125, before anything is made.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/iso.inc"

KEYS="accounting approximate cpu_time exit_code isolate_exit limit limit_exact limits limits_hit message peak_processes peak_rss_kib signal signal_name status system_time user_time wall_time"

t_fields() {
	need_isolate || return 1
	mkdir "$T_TMP/d"
	run "$ISO" --net none --report "$T_TMP/d/r.json" sh -c 'sleep 0.3; echo out; exit 0'
	expect_rc 0 && expect_eq "stdout" "$OUT" out || return 1
	expect_eq "keys" "$(jf "$T_TMP/d/r.json" 'keys | join(" ")')" "$KEYS" || return 1
	expect_jf "$T_TMP/d/r.json" .status ok && expect_jf "$T_TMP/d/r.json" .exit_code 0 &&
		expect_jf "$T_TMP/d/r.json" .signal null && expect_jf "$T_TMP/d/r.json" .limit null &&
		expect_jf "$T_TMP/d/r.json" .isolate_exit 0 && expect_jf "$T_TMP/d/r.json" .message null &&
		expect_jf "$T_TMP/d/r.json" .accounting rlimit || return 1
	wall=$(jf "$T_TMP/d/r.json" .wall_time) && in_range wall_time "$wall" 0.3 5 || return 1
	rss=$(jf "$T_TMP/d/r.json" .peak_rss_kib) && in_range peak_rss_kib "$rss" 100 100000 || return 1
	# the folder holds the report alone: the temporary file was renamed
	expect_eq "folder" "$(ls -A "$T_TMP/d")" r.json
}
t "--report: every field, status ok, figures that fit a 0.3 s sleep" t_fields

t_statuses() {
	need_isolate || return 1
	R=$T_TMP/r.json
	run "$ISO" --net none --report "$R" sh -c 'exit 7'
	expect_rc 7 && expect_jf "$R" .status "runtime error" && expect_jf "$R" .exit_code 7 || return 1
	# (under --init: a PID 1 cannot die of its own signals)
	run "$ISO" --init --net none --report "$R" sh -c 'kill -KILL $$'
	expect_rc 137 && expect_jf "$R" .status "killed by signal" && expect_jf "$R" .signal 9 &&
		expect_jf "$R" .signal_name SIGKILL && expect_jf "$R" .exit_code null || return 1
	echo old >"$R"
	run "$ISO" --net none --report "$R" no-such-program-xyz
	expect_rc 127 && expect_one_line && expect_jf "$R" .status "internal error" &&
		expect_jf "$R" .isolate_exit 127 &&
		expect_jf "$R" .message "no-such-program-xyz: command not found (in PATH)" || return 1
	run "$ISO" --net none --report "$R" "$T_TMP"
	expect_rc 126 && expect_jf "$R" .status "internal error" && expect_jf "$R" .isolate_exit 126
}
t "--report: runtime error, killed by signal, and PROGRAM not found (126, 127)" t_statuses

t_setup_failures() {
	need_isolate || return 1
	R=$T_TMP/r.json
	run "$ISO" --net none --report "$R" --root "$T_TMP/nope" true
	expect_rc 125 && expect_one_line && expect_jf "$R" .status "internal error" &&
		expect_jf "$R" .isolate_exit 125 &&
		expect_jf "$R" .message "--root $T_TMP/nope: No such file or directory" || return 1
	rm -f "$R"
	# a bad value before --report: parsing goes on, the report is still written
	run "$ISO" --memory lots --report "$R" true
	expect_rc 125 && expect_one_line && expect_jf "$R" .status "internal error" &&
		expect_jf "$R" .message "--memory 'lots': expected a size: bytes, or with K, M, G, T" ||
		return 1
	rm -f "$R"
	run "$ISO" --report "$R" --bogus true
	expect_rc 2 && expect_jf "$R" .status "internal error" && expect_jf "$R" .isolate_exit 2 &&
		expect_jf "$R" .message "unknown option '--bogus'"
}
t "--report on setup failures (125), bad values (125) and usage errors (2)" t_setup_failures

t_stderr() {
	need_isolate || return 1
	run "$ISO" --net none --report - sh -c 'echo out; echo err >&2; exit 3'
	expect_rc 3 && expect_eq "stdout" "$OUT" out || return 1
	expect_eq "stderr's first line" "$(printf '%s\n' "$ERR" | head -n 1)" err &&
		expect_eq "the report on stderr" "$(printf '%s\n' "$ERR" | sed 1d | jq -r .exit_code)" 3
}
t "--report -: the JSON on stderr, after PROGRAM's own output" t_stderr

t_unwritable() {
	need_isolate || return 1
	if [ "$(id -u)" -eq 0 ]; then links=$(quiet_links); else links=$(host_links); fi
	mounts=$(host_mounts)
	mark="iso-report-bad-$$"
	run "$ISO" --report "$T_TMP/nope/r.json" sh -c ": $mark"
	expect_rc 125 && expect_one_line &&
		expect_err "--report $T_TMP/nope/r.json: cannot write the report in $T_TMP/nope: No such file or directory" ||
		return 1
	run "$ISO" --report "$T_TMP" true
	expect_rc 125 && expect_one_line && expect_err "--report $T_TMP: a folder;" || return 1
	if [ "$(id -u)" -eq 0 ]; then
		pub_dir || return 1
		cp "$ISO" "$PUB/isolate" && chmod 755 "$PUB/isolate"
		run $AS_NOBODY "$PUB/isolate" --report /root/r.json true
		expect_rc 125 && expect_one_line && expect_err "Permission denied" || return 1
	fi
	# before anything was made: no process ran, no link or mount, no file
	expect_eq "files" "$(ls -A "$T_TMP" | grep -c isolate-report)" 0 &&
		expect_links "$links" && expect_mounts "$mounts" && expect_no_procs "$mark"
}
t "a report FILE that cannot be written: one line, exit 125, nothing made" t_unwritable

t_escaping() {
	need_isolate || return 1
	R=$T_TMP/r.json
	prog=$(printf 'no"such\\prog\tx\377y')
	run "$ISO" --net none --report "$R" "$prog"
	expect_rc 127 || return 1
	expect_eq "message" "$(jf "$R" .message)" \
		"$(printf 'no"such\\prog\tx\357\277\275y: command not found (in PATH)')"
}
t "--report: quotes, backslashes, tabs and invalid UTF-8 are escaped (jq reads it back)" \
	t_escaping

t_replace() {
	need_isolate || return 1
	R=$T_TMP/r.json
	echo '{"old": true}' >"$R"
	ln "$R" "$T_TMP/other-name"
	run "$ISO" --net none --report "$R" true
	expect_rc 0 && expect_jf "$R" .status ok || return 1
	# a new file (renamed over the old one): the old one's other name keeps the old text
	expect_eq "the old file" "$(cat "$T_TMP/other-name")" '{"old": true}'
}
t "--report replaces an existing FILE by renaming a new one over it" t_replace

done_testing
