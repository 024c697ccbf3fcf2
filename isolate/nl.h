/* SPDX-License-Identifier: MIT */
/* isolate/nl.h: rtnetlink over libmnl: one socket, one request at a time, and errors that
 * carry the kernel's own reason (extended acks). */
#ifndef ISO_NL_H
#define ISO_NL_H

#include <libmnl/libmnl.h>
#include <netinet/in.h>
#include <stdint.h>

#include "mv_err.h"

#define ISO_NL_BUF 32768 /* receive buffer: a dump's batch fits (the kernel sends <= 16 KiB) */
#define ISO_NL_WHY 128   /* room for the kernel's reason */

struct iso_nl {
	struct mnl_socket *sock;
	unsigned portid; /* our netlink address, to check answers against */
	unsigned seq;    /* sequence number of the last request */
};

/* iso_nl_open: a NETLINK_ROUTE socket in the caller's network namespace. Returns 0, or -1
 * with a reason in err. iso_nl_close: closes it (also when not open). */
int iso_nl_open(struct iso_nl *nl, struct mv_err *err);
void iso_nl_close(struct iso_nl *nl);

/* iso_nl_msg: starts a request of type (RTM_*) in buf with NLM_F_REQUEST | flags. */
struct nlmsghdr *iso_nl_msg(char *buf, uint16_t type, uint16_t flags);

/* iso_nl_talk: sends the request nlh and reads answers until its ACK (or a dump's end),
 * passing each data message to cb(nlh, data) when cb is set. Returns 0, or -errno with the
 * kernel's reason, if it gave one, in why (empty otherwise). */
int iso_nl_talk(struct iso_nl *nl, struct nlmsghdr *nlh, mnl_cb_t cb, void *data,
		struct mv_err *why);

/* iso_nl_seterr: "WHAT: strerror(-r) (why)" into err, WHAT from fmt;
 * returns -1. */
__attribute__((format(printf, 4, 5))) int
iso_nl_seterr(struct mv_err *err, int r, const struct mv_err *why, const char *fmt, ...);

/* iso_nl_link_up: RTM_NEWLINK setting IFF_UP on the link named name (or, name NULL, with
 * ifindex index). iso_nl_add_addr: RTM_NEWADDR ip/prefix (ip in network byte order) on
 * link index; iso_nl_del_addr: RTM_DELADDR of it. iso_nl_del_link: RTM_DELLINK of the link
 * named name. Each returns 0, or -errno with the kernel's reason in why. */
int iso_nl_link_up(struct iso_nl *nl, const char *name, int index, struct mv_err *why);
int iso_nl_add_addr(struct iso_nl *nl, int index, struct in_addr ip, int prefix,
		    struct mv_err *why);
int iso_nl_del_addr(struct iso_nl *nl, int index, struct in_addr ip, int prefix,
		    struct mv_err *why);
int iso_nl_del_link(struct iso_nl *nl, const char *name, struct mv_err *why);

/* iso_nl_oper_up: 1 when link index is operationally up (RFC 2863's state, which the
 * kernel's link watch sets), 0 when not yet, or -errno with the kernel's reason in why. */
int iso_nl_oper_up(struct iso_nl *nl, int index, struct mv_err *why);

#endif
