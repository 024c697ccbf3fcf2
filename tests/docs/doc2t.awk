# SPDX-License-Identifier: MIT
# tests/docs/doc2t.awk: turns the command examples of one document into a cram test.
#
# A checked example is a block whose first line starts with "$ ": in Markdown a ``` fence
# (plain, no language), in a manual page a .nf/.fi block of its EXAMPLES section. Each
# "$ COMMAND" line is run; the lines after it, up to the next command or the block's end,
# are what it must print (stdout and stderr, as a terminal shows them). Every other block
# (code, pictures, formulas) is not an output and is left alone.
#
# What legitimately changes from run to run is masked: each expected line becomes a cram
# regular expression (" (re)") in which host addresses (0x7f...), pids, namespace inodes,
# interface indexes, MAC addresses, times, temporary paths, root's id slot and KVM's own
# total of exits (it counts exits KVM handled itself, as many as the host interrupted the
# guest) match any value, and
# trailing blanks are ignored; everything else must be exactly as shown.
#
# Usage: awk -v plain=0|1 -f doc2t.awk DOC > DOC.t  (plain=1: no masks, for refreshing)

function esc(s) { # a literal string as a Python regular expression
	gsub(/[][\\.^$*+?{}()|]/, "\\\\&", s)
	return s
}

# mask(s): s, escaped, with the varying parts replaced by patterns. The masks run on the
# escaped text: "\." is a literal dot there.
function mask(s,    t, pre, head, rest, out, num) {
	t = esc(s)
	# host-virtual addresses: the VMM's mmaps
	gsub(/0x7[0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f]/, "0x[0-9a-f]+", t)
	# namespace inodes (user:[4026531837], lsns's first column, grep for one)
	gsub(/40265[0-9][0-9][0-9][0-9][0-9]/, "[0-9]+", t)
	# pids where they are named as such
	gsub(/pid [0-9]+/, "pid [0-9]+", t)
	gsub(/\/proc\/[0-9]+\//, "/proc/[0-9]+/", t)
	gsub(/iso-[0-9]+/, "iso-[0-9]+", t)
	gsub(/ -[stp] [0-9]+/, " -[stp] [0-9]+", t)
	gsub(/kill (-KILL )?[0-9]+/, "kill (-KILL )?[0-9]+", t)
	gsub(/slot [0-9]+ of/, "slot [0-9]+ of", t)
	# the host ids of root's containers: a slot of an unprivileged range, chosen by pid
	gsub(/1[89][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9]/, "[0-9]+", t)
	# interface indexes, MAC addresses
	gsub(/ifindex [0-9]+/, "ifindex [0-9]+", t)
	gsub(/@if[0-9]+/, "@if[0-9]+", t)
	gsub(/[0-9a-f][0-9a-f]:[0-9a-f][0-9a-f]:[0-9a-f][0-9a-f]:[0-9a-f][0-9a-f]:[0-9a-f][0-9a-f]:[0-9a-f][0-9a-f]/, "[0-9a-f:]{17}", t)
	# times
	gsub(/time=[0-9]+\\\.[0-9]+ ms/, "time=[0-9.]+ ms", t)
	gsub(/time [0-9]+ms/, "time [0-9]+ms", t)
	gsub(/rtt min\/avg\/max\/mdev = .*/, "rtt min/avg/max/mdev = .*", t)
	gsub(/"(cpu|user|system|wall)_time": [0-9]+\\\.[0-9]+/, "\"[a-z]+_time\": [0-9.]+", t)
	gsub(/"peak_rss_kib": [0-9]+/, "\"peak_rss_kib\": [0-9]+", t)
	# temporary folders
	gsub(/\/tmp\/[A-Za-z0-9_.\\\/-]+/, "/tmp/[^ ]+", t)
	# KVM's own total of exits: it also counts those it handled itself, as many as the host
	# interrupted the guest (load), so it varies; the VMM's counts and the rest do not
	gsub(/ exits=[0-9]+ io_exits/, " exits=[0-9]+ io_exits", t)
	if (t ~ /^ *all exits /)
		sub(/KVM [0-9]+: agree.*$/, "KVM [0-9]+: agree.*", t)
	# ps's USER column, too narrow for those ids: "1883897+"
	gsub(/1[89][0-9][0-9][0-9][0-9][0-9]\\\+/, "[0-9]+\\\\+", t)
	# rows that start with one or two numbers and then a word (ps's PID and PPID, "PID
	# COMM"; maybe behind a "[who] " prefix): pids, but 0 and 1, facts in a PID namespace
	pre = ""
	if (match(t, /^\\\[[a-z ]+\\\] /)) { pre = substr(t, 1, RLENGTH); t = substr(t, RLENGTH + 1) }
	if (match(t, /^ *[0-9]+( +[0-9]+)? +[^ 0-9]/)) {
		head = substr(t, 1, RLENGTH - 1)
		rest = substr(t, RLENGTH)
		out = ""
		while (match(head, /[0-9]+/)) {
			num = substr(head, RSTART, RLENGTH)
			out = out substr(head, 1, RSTART - 1) (num == "0" || num == "1" ? num : "[0-9]+")
			head = substr(head, RSTART + RLENGTH)
		}
		head = out head
		sub(/^ +/, "", head)
		gsub(/ +/, " +", head)
		t = " *" head rest
	}
	return pre t
}

# cram shows an output line holding a tab or another control character escaped ("\t")
# and marked " (esc)": the pattern must match that form
function out_line(s,    t) {
	if (plain) { print "  " s; return }
	t = mask(s)
	if (s ~ /\t/) {
		gsub(/\t/, "\\\\\\\\t", t)
		print "  " t " \\(esc\\) (re)"
	} else
		print "  " t " * (re)"
}

BEGIN {
	man = ARGV[1] ~ /\.[0-9]$/
	print "Made by tests/docs/doc2t.awk from " ARGV[1] ": its command examples, in order."
	print ""
}

# --- manual pages: .nf/.fi blocks in the EXAMPLES section, roff escapes undone
man && /^\.SH / { examples = ($0 ~ /^\.SH EXAMPLES/) }
man && examples && /^\.nf/ { inblock = 1; first = 1; next }
man && inblock && /^\.fi/ { inblock = 0; next }
man && inblock {
	line = $0
	gsub(/\\-/, "-", line); gsub(/\\e/, "\\", line); gsub(/\\\(aq/, "'", line)
	if (first) { checked = line ~ /^\$ /; first = 0; if (checked) print ARGV[1] ":" FNR ":" }
	if (!checked) next
	if (line ~ /^\$ /) print "  " line
	else out_line(line)
	next
}
man { next }

# --- Markdown: plain ``` fences
/^```/ {
	if (!infence) { infence = 1; plainfence = ($0 == "```"); first = 1 }
	else infence = 0
	next
}
infence {
	if (first) {
		checked = plainfence && $0 ~ /^\$ /
		first = 0
		if (checked) print ARGV[1] ":" FNR ":"
	}
	if (!checked) next
	if ($0 ~ /^\$ /) print "  " $0
	else out_line($0)
}
