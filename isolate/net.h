/* SPDX-License-Identifier: MIT */
/* isolate/net.h: the container's network: loopback, and a veth pair to the host made over
 * rtnetlink (libmnl). The host side runs in isolate, the container side in PID 1. */
#ifndef ISO_NET_H
#define ISO_NET_H

#include <net/if.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <sys/types.h>

#include "mv_err.h"
#include "nl.h"
#include "options.h"

#define ISO_CONT_IF "eth0" /* the container's end: its own namespace, so no clash */

/* What the host side made; sent to the container through the sync pipe as it is. */
struct iso_net {
	bool veth;              /* a veth pair was made */
	char host_if[IFNAMSIZ]; /* the host end: "iso-PID" with isolate's PID */
	int host_index;         /* its ifindex on the host */
	int cont_index;         /* the container end's ifindex in its namespace */
	struct in_addr host_ip; /* the host end's address */
	struct in_addr cont_ip; /* the container end's address */
	int prefix;             /* prefix length of both */
};

/* iso_net_host_setup: run by isolate in the host's network namespace once the child exists.
 * For cfg->net auto or veth: picks the addresses (cfg's, or the first free 10.11.N.0/24,
 * under a lock), creates the veth pair with its container end in the network namespace of
 * process child, and brings up and addresses the host end. In auto mode, when isolate may
 * not (no CAP_NET_ADMIN on the host), says so in one line and makes nothing. Fills net.
 * Returns 0, or -1 with a reason in err, having removed what it made. */
int iso_net_host_setup(const struct iso_config *cfg, pid_t child, struct iso_net *net,
		       struct mv_err *err);

/* iso_net_host_undo: deletes the veth pair now (both ends go; about 30 ms): error paths. */
void iso_net_host_undo(struct iso_net *net);

/* iso_net_wait_gone: --wait-teardown: waits (bounded) for the kernel to remove the host end
 * once the container's network namespace is gone, deleting it after 2 s if still there. */
void iso_net_wait_gone(const struct iso_net *net);

/* The container's side, run by PID 1 in its new network namespace, in two steps: lo may
 * come up before the release (it takes CAP_NET_ADMIN in the container's own namespace, not
 * the maps), the veth end only once the host side made it.
 * iso_net_lo_up: brings lo up, with one ioctl (SIOCSIFFLAGS): no rtnetlink socket, no
 * allocation, so a run with --net none never opens one.
 * iso_net_container_veth: over nl (iso_nl_open in this namespace, which may come before the
 * release too), the veth end up and addressed with cont_ip/prefix when net->veth; closes
 * nl. Each returns 0, or -1 with a reason in err. */
int iso_net_lo_up(struct mv_err *err);

/* iso_net_lo_up_for: the same, run by isolate (root) for the container of process child,
 * from inside its network namespace (setns), and back: with --net none, while the child
 * sets up the rest. Returns 0, 1 when isolate could not come back to its own namespace
 * (it stays there: the child must do it), or -1 with a reason in err. */
int iso_net_lo_up_for(pid_t child, struct mv_err *err);
int iso_net_container_veth(struct iso_nl *nl, const struct iso_net *net, struct mv_err *err);

#endif
