#!/bin/sh
# SPDX-License-Identifier: MIT
# tests/isolate/cli.sh: isolate's command line: help, version, usage errors, PROGRAM's own
# options, the statuses of isolate's own failures (126, 127, 125), one line each, and the
# sandbox options' bad values (125, one line, nothing made).
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/iso.inc"

t_help() {
	need_isolate || return 1
	run "$ISO" --help
	expect_rc 0 && expect_out "Usage: isolate [OPTIONS] PROGRAM [ARGS...]" &&
		expect_out "--net-addr" && expect_out "125 setup failed" || return 1
	for o in --init --cpu-time --wall-time --memory --processes --file-size --open-files \
		--stack --report --root --root-rw --bind --ro-bind --tmpfs --cap-add --cap-drop \
		--seccomp --no-harden --map-host-root --preserve-fds; do
		expect_out "$o" || return 1
	done
	# what the two unsafe options give away, said where they are
	expect_out "may then remount read-only mounts (--root, --ro-bind," &&
		expect_out "mapping). UNSAFE: PROGRAM writes what host root may where"
}
t "--help prints the usage (and what --no-harden and --map-host-root give away), exit 0" t_help

t_version() {
	need_isolate || return 1
	run "$ISO" --version
	expect_rc 0 && expect_out "isolate 0." && expect_eq "stderr" "$ERR" ""
}
t "--version prints the version, exit 0" t_version

t_no_program() {
	need_isolate || return 1
	run "$ISO"
	expect_rc 2 && expect_err "isolate: no PROGRAM given" && expect_err "Usage: isolate" || return 1
	run "$ISO" --verbose --hostname x
	expect_rc 2 && expect_err "no PROGRAM given"
}
t "no PROGRAM: the usage, exit 2" t_no_program

t_bad_options() {
	need_isolate || return 1
	run "$ISO" --bogus true
	expect_rc 2 && expect_err "unknown option '--bogus'" || return 1
	run "$ISO" --hostname
	expect_rc 2 && expect_err "needs a value" || return 1
	run "$ISO" ""
	expect_rc 2 && expect_err "isolate: PROGRAM is an empty string" &&
		expect_eq "first line" "$(printf '%s\n' "$ERR" | head -n 1)" \
			"isolate: PROGRAM is an empty string"
}
t "usage errors (unknown option, no value, no or an empty PROGRAM): the reason, the usage, exit 2" \
	t_bad_options

t_program_options() {
	need_isolate || return 1
	# after PROGRAM, even isolate's own options belong to PROGRAM
	run "$ISO" --net none sh -c 'echo "$*"' sh -v --help --net x
	expect_rc 0 && expect_eq "PROGRAM's arguments" "$OUT" "-v --help --net x"
}
t "PROGRAM's options are its own (options stop at PROGRAM)" t_program_options

t_not_found() {
	need_isolate || return 1
	run "$ISO" --net none no-such-program-xyz arg
	expect_rc 127 && expect_err "no-such-program-xyz: command not found" && expect_one_line ||
		return 1
	run "$ISO" --net none /nonexistent/prog
	expect_rc 127 && expect_err "cannot execute /nonexistent/prog: No such file or directory" &&
		expect_one_line
}
t "PROGRAM not found: one line, exit 127" t_not_found

t_not_executable() {
	need_isolate || return 1
	printf 'echo should not run\n' >"$T_TMP/plain"
	chmod 644 "$T_TMP/plain"
	run "$ISO" --net none "$T_TMP/plain"
	expect_rc 126 && expect_err "cannot execute $T_TMP/plain: Permission denied" &&
		expect_one_line || return 1
	run "$ISO" --net none "$T_TMP"
	expect_rc 126 && expect_one_line
}
t "PROGRAM not executable (a plain file, a directory): one line, exit 126" t_not_executable

t_exit_status() {
	need_isolate || return 1
	for s in 0 1 7 125 255; do
		run "$ISO" --net none sh -c "exit $s"
		expect_rc "$s" || return 1
	done
	run "$ISO" false
	expect_rc 1
}
t "PROGRAM's exit status is isolate's (0 1 7 125 255)" t_exit_status

t_verbose() {
	need_isolate || return 1
	run "$ISO" true
	expect_rc 0 && expect_eq "stderr without --verbose" "$ERR" "" || return 1
	run "$ISO" --verbose --hostname vbox true
	expect_rc 0 || return 1
	for n in user uts ipc net pid mnt; do
		expect_err "new $n:[" || return 1
	done
	if [ "$(id -u)" -eq 0 ]; then
		expect_slot_map "$(printf '%s\n' "$ERR" | sed -n 's/.*uid_map: //p')" &&
			expect_slot_map "$(printf '%s\n' "$ERR" | sed -n 's/.*gid_map: //p')" &&
			expect_err "ids: slot " || return 1
	else
		expect_err "setgroups: deny" && expect_err "uid_map: 0 $(id -u) 1" &&
			expect_err "gid_map: 0 $(id -g) 1" || return 1
	fi
	expect_err "made private (MS_REC|MS_PRIVATE)" &&
		expect_err "new proc on /proc" && expect_err 'sethostname("vbox")' &&
		expect_err "lo up" && expect_err 'execvp("true")' &&
		expect_err "PID 1 exited with status 0" || return 1
	# the network: a veth pair as root; unprivileged, loopback only, said in one line
	if [ "$(id -u)" -eq 0 ]; then
		expect_err "RTM_NEWLINK: veth pair iso-" && expect_err "RTM_NEWADDR: 10.11." &&
			expect_err "eth0 (ifindex"
	else
		expect_err "networking is loopback only: a veth pair needs CAP_NET_ADMIN" &&
			! expect_err "RTM_NEWLINK" >/dev/null
	fi
}
t "--verbose: namespaces, maps, mounts, hostname, links and addresses, exec; else silent" \
	t_verbose

t_bad_values() {
	need_isolate || return 1
	if [ "$(id -u)" -eq 0 ]; then links=$(quiet_links); else links=$(host_links); fi
	mounts=$(host_mounts)
	mark="iso-bad-value-$$"
	for a in "--cpu-time 1.5:--cpu-time '1.5': expected whole seconds" \
		"--wall-time soon:--wall-time 'soon': expected seconds" \
		"--memory 0:--memory 0: out of range" \
		"--processes -1:--processes '-1': expected a number" \
		"--file-size 1X:--file-size '1X': expected a size" \
		"--open-files 99999999:--open-files 99999999: above" \
		"--stack 1:--stack 1: out of range" \
		"--cap-add net_rawr:--cap-add: unknown capability 'net_rawr'" \
		"--seccomp off:--seccomp: unknown mode 'off'" \
		"--bind relative:--bind 'relative': DST must be an absolute path" \
		"--net bridge:--net: unknown mode 'bridge' (auto, veth, none)" \
		"--net-addr 10.0.0.1/24,10.0.1.2:--net-addr: 10.0.0.1 and 10.0.1.2 are not in one /24 subnet" \
		"--net none --net-addr 10.0.0.1/24,10.0.0.2:--net-addr and --net none contradict" \
		"--hostname $(printf 'h%.0s' $(seq 300)):--hostname: 300 characters ('hhhhhhhhhhhhhhhh...'); a hostname has 1 to 64" \
		"--preserve-fds many:--preserve-fds 'many': expected a number 0..1024" \
		"--report /dev/null:--report /dev/null: a device; the report goes only to a regular file" \
		"--root /:--root /: that is the host's own root; leave out --root"; do
		run "$ISO" ${a%%:*} sh -c ": $mark"
		expect_rc 125 && expect_err "isolate: ${a#*:}" && expect_one_line || return 1
	done
	# nothing was made: no process ran, no link, no mount
	expect_links "$links" && expect_mounts "$mounts" && expect_no_procs "$mark"
}
t "bad values (limits, modes, names, addresses, paths): one line, exit 125 (no usage), nothing made" \
	t_bad_values

t_userns_disabled() {
	need_isolate || return 1
	need_root
	# max_user_namespaces is per user namespace: 0 in a throwaway one leaves the host's
	# alone and forbids isolate, run inside it, its own.
	# (--map-host-root: that namespace maps root alone, none of the ids isolate would give
	# the container, which is said before anything is made; see hostile_root.sh)
	run unshare --user --map-root-user sh -c \
		"echo 0 >/proc/sys/user/max_user_namespaces && exec $ISO --map-host-root true"
	expect_rc 125 && expect_err "cannot create the namespaces" &&
		expect_err "max_user_namespaces" && expect_one_line
}
t "user namespaces disabled: one line naming max_user_namespaces, exit 125" t_userns_disabled

done_testing
