/* SPDX-License-Identifier: MIT */
/* isolate/child.h: the container's side of `isolate PROGRAM`: what its first process does in
 * its new namespaces (mounts, hostname, network, protections, hardening), then PROGRAM's
 * exec as PID 1, or under isolate's --init. */
#ifndef ISO_CHILD_H
#define ISO_CHILD_H

#include <signal.h>
#include <stdbool.h>

#include "net.h"
#include "options.h"
#include "pty_relay.h"

/* isolate's first release of the child, once the maps exist: whether uid 0 is mapped to
 * another uid than isolate's (a slot of root's range: the child follows it). The second,
 * once the veth exists, is the struct iso_net of what the host side made. */
struct iso_ids_msg {
	bool switch_ids;
	bool lo_up; /* isolate brought lo up (c->lo_by_host): else the child does */
};

/* What the child takes from isolate across the clone. */
struct iso_child {
	const struct iso_config *cfg;
	int go_fd;           /* read end: isolate's struct iso_net once maps and veth exist */
	int report_fd;       /* write end of the report pipe (struct iso_spawn_msg) */
	int status_fd;       /* --init: write end of the status pipe, else -1 */
	int watch_fd;        /* the socket PROGRAM sends its watch listener on, or -1 */
	sigset_t mask;       /* the signal mask to give PROGRAM: isolate's original one */
	sigset_t init_set;   /* init's: the signals isolate forwards, SIGCHLD, ISO_INIT_KILL */
	bool cgroup;         /* memory and processes are limited by a cgroup */
	bool switch_ids;     /* known before the clone (the user's mounts): as iso_ids_msg's */
	bool lo_by_host;     /* isolate tries to bring lo up (iso_net_lo_up_for): iso_ids_msg's */
	struct iso_pty *pty; /* the container's pseudo-terminal, when stdin is a terminal */
};

/* iso_child_main: run by the cloned child: dies with isolate, takes a session of its own,
 * sets up the container (early, or once released by the go pipe), hardens it, then execs
 * PROGRAM (with --init: forks it and stays PID 1). Any failure goes to isolate on the
 * report pipe, with the exit status it stands for. Never returns. */
__attribute__((noreturn)) void iso_child_main(const struct iso_child *c);

#endif
