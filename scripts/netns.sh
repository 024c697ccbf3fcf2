# SPDX-License-Identifier: MIT
# scripts/netns.sh: sourced by the isolate tests (tests/isolate/iso.inc) and bench/run.sh, never
# run: puts the calling script in a network namespace made for it, and the guard against the
# machine's initial one. Run as root, isolate makes a veth pair whose host end (10.11.N.13,
# with its route) lives in the caller's network namespace; a test or benchmark must never put
# that into, or send traffic through, the machine's own namespace.

# netns_self: this process's network namespace, "net:[INODE]".
netns_self() { readlink /proc/self/ns/net; }

# netns_initial: the machine's initial network namespace: pid 1's; where even root may not
# read pid 1's (some hosts deny it), the fixed inode Linux (6.18 on) gives the initial one,
# NET_NS_INIT_INO 0xEFFFFFF9. MINIVIRT_INITIAL_NETNS names another namespace file to treat
# as the initial one: the guard's own test (tests/isolate/netns.sh) uses it.
netns_initial() {
	readlink "${MINIVIRT_INITIAL_NETNS:-/proc/1/ns/net}" 2>/dev/null || echo "net:[4026531833]"
}

# netns_guard WHO: as root (the only one isolate makes a veth for), in the machine's initial
# network namespace: prints why on one line, on stdout, prefixed by WHO, and returns 1.
netns_guard() {
	[ "$(id -u)" -eq 0 ] && [ "$(netns_self)" = "$(netns_initial)" ] || return 0
	echo "$1: in the machine's initial network namespace ($(netns_self)), where isolate's veth would go: run it inside its own (unshare --net), as make check and make bench do"
	return 1
}

# netns_links: the iso-* interfaces of this network namespace, one a line, sorted.
netns_links() { ip -o link show | awk -F': ' '{ sub(/@.*/, "", $2); print $2 }' | grep '^iso-' | sort; }

# netns_own SCRIPT [ARGS...]: as root, unless already in the namespace made for it, runs
# `sh SCRIPT ARGS` again in a new network namespace (unshare --net) with its lo up, and exits
# with its status; MINIVIRT_NETNS then names that namespace, and MINIVIRT_OUTER_NETNS the
# one SCRIPT ran from (for downloads, which have no network in the new one). Afterwards, an
# iso-* link that appeared in the namespace SCRIPT ran from fails it (status 1, one line on
# stderr). Otherwise (not root: isolate makes no veth for it) it returns.
netns_own() {
	[ "$(id -u)" -eq 0 ] && [ "${MINIVIRT_NETNS:-}" != "$(netns_self)" ] || return 0
	_netns_before=$(netns_links)
	MINIVIRT_OUTER_NETNS=/proc/$$/ns/net
	export MINIVIRT_OUTER_NETNS
	_netns_rc=0
	unshare --net -- sh -c 'ip link set lo up && MINIVIRT_NETNS=$(readlink /proc/self/ns/net) &&
		export MINIVIRT_NETNS && exec sh "$0" "$@"' "$@" || _netns_rc=$?
	_netns_new=$(netns_links | grep -vxF -- "$_netns_before" | paste -sd ' ' -)
	if [ -n "$_netns_new" ]; then
		echo "$1: left iso-* links in the network namespace it ran from: $_netns_new" >&2
		exit 1
	fi
	exit "$_netns_rc"
}

# netns_outside CMD...: runs CMD in the network namespace the script ran from, when it runs
# in one netns_own made (debootstrap, apt-get: they need the network); else just CMD.
netns_outside() {
	if [ -n "${MINIVIRT_OUTER_NETNS:-}" ] && [ -e "$MINIVIRT_OUTER_NETNS" ]; then
		nsenter --net="$MINIVIRT_OUTER_NETNS" -- "$@"
	else
		"$@"
	fi
}
