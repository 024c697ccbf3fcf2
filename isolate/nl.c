/* SPDX-License-Identifier: MIT */
/* isolate/nl.c: rtnetlink requests and answers over libmnl, with the kernel's reasons. */
#include "nl.h"

#include <linux/if_link.h>
#include <linux/rtnetlink.h>
#include <linux/if.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "base.h"

/* One request's answers. */
struct nl_answer {
	int error;            /* the kernel's errno for the request, or 0 */
	char msg[ISO_NL_WHY]; /* its extended-ack message (why), or "" */
	mnl_cb_t cb;          /* called for each data message (dumps, GET replies), or NULL */
	void *data;           /* cb's argument */
};

int iso_nl_open(struct iso_nl *nl, struct mv_err *err)
{
	int one = 1;

	nl->seq = 0;
	nl->sock = mnl_socket_open2(NETLINK_ROUTE, SOCK_CLOEXEC);
	if (!nl->sock)
		return mv_seterr(err, errno, "cannot open a rtnetlink socket");
	/* Best effort: the kernel's own reason for an error, and acks without our request. */
	mnl_socket_setsockopt(nl->sock, NETLINK_EXT_ACK, &one, sizeof(one));
	mnl_socket_setsockopt(nl->sock, NETLINK_CAP_ACK, &one, sizeof(one));
	if (mnl_socket_bind(nl->sock, 0, MNL_SOCKET_AUTOPID) < 0) {
		mv_seterr(err, errno, "cannot bind a rtnetlink socket");
		mnl_socket_close(nl->sock);
		nl->sock = NULL;
		return -1;
	}
	nl->portid = mnl_socket_get_portid(nl->sock);
	return 0;
}

void iso_nl_close(struct iso_nl *nl)
{
	if (nl->sock)
		mnl_socket_close(nl->sock);
	nl->sock = NULL;
}

static int ext_ack_attr(const struct nlattr *a, void *data)
{
	struct nl_answer *ans = data;

	if (mnl_attr_get_type(a) == NLMSGERR_ATTR_MSG &&
	    mnl_attr_validate(a, MNL_TYPE_NUL_STRING) == 0)
		snprintf(ans->msg, sizeof(ans->msg), "%s", mnl_attr_get_str(a));
	return MNL_CB_OK;
}

/* NLMSG_ERROR: error 0 is the ACK that ends a request; otherwise keep the errno and the
 * kernel's message, which follows the struct (and our request, unless capped). */
static int on_error(const struct nlmsghdr *nlh, void *data)
{
	struct nl_answer *ans = data;
	const struct nlmsgerr *e = mnl_nlmsg_get_payload(nlh);
	size_t off = sizeof(*e);

	if (nlh->nlmsg_len < mnl_nlmsg_size(sizeof(*e))) {
		ans->error = EBADMSG;
		return MNL_CB_ERROR;
	}
	if (e->error == 0)
		return MNL_CB_STOP;
	ans->error = e->error < 0 ? -e->error : EPROTO;
	if (nlh->nlmsg_flags & NLM_F_ACK_TLVS) {
		if (!(nlh->nlmsg_flags & NLM_F_CAPPED))
			off += e->msg.nlmsg_len - sizeof(struct nlmsghdr);
		mnl_attr_parse(nlh, MNL_ALIGN(off), ext_ack_attr, ans);
	}
	return MNL_CB_ERROR;
}

/* NLMSG_DONE: a dump's end. (With a control table, libmnl leaves types we omit to us.) */
static int on_done(const struct nlmsghdr *nlh, void *data)
{
	(void)nlh;
	(void)data;
	return MNL_CB_STOP;
}

static int on_data(const struct nlmsghdr *nlh, void *data)
{
	struct nl_answer *ans = data;

	return ans->cb ? ans->cb(nlh, ans->data) : MNL_CB_OK;
}

/* The header says what iso_nl_talk does. A control table covers NLMSG_ERROR and
 * NLMSG_DONE; the receive buffer is static: one request at a time, one thread. */
int iso_nl_talk(struct iso_nl *nl, struct nlmsghdr *nlh, mnl_cb_t cb, void *data,
		struct mv_err *why)
{
	static mnl_cb_t ctl[NLMSG_MIN_TYPE] = { [NLMSG_ERROR] = on_error, [NLMSG_DONE] = on_done };
	struct nl_answer ans = { .cb = cb, .data = data };
	static char buf[ISO_NL_BUF];
	long n;
	int r;

	why->msg[0] = '\0';
	nlh->nlmsg_seq = ++nl->seq;
	if (mnl_socket_sendto(nl->sock, nlh, nlh->nlmsg_len) < 0)
		return -errno;
	for (;;) {
		n = RETRY_EINTR(mnl_socket_recvfrom(nl->sock, buf, sizeof(buf)));
		if (n < 0)
			return -errno;
		r = mnl_cb_run2(buf, (size_t)n, nl->seq, nl->portid, on_data, &ans, ctl,
				ARRAY_SIZE(ctl));
		if (r == MNL_CB_ERROR) {
			mv_seterr(why, 0, "%s", ans.msg);
			return ans.error ? -ans.error : -errno;
		}
		if (r == MNL_CB_STOP)
			return 0;
	}
}

__attribute__((format(printf, 4, 5))) int
iso_nl_seterr(struct mv_err *err, int r, const struct mv_err *why, const char *fmt, ...)
{
	char what[MV_ERR_LEN];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	if (why->msg[0])
		return mv_seterr(err, 0, "%s: %s (%s)", what, strerror(-r), why->msg);
	return mv_seterr(err, -r, "%s", what);
}

struct nlmsghdr *iso_nl_msg(char *buf, uint16_t type, uint16_t flags)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);

	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = NLM_F_REQUEST | flags;
	return nlh;
}

/* RTM_NEWLINK on an existing link (found by name or index): set IFF_UP. */
int iso_nl_link_up(struct iso_nl *nl, const char *name, int index, struct mv_err *why)
{
	char buf[512];
	struct nlmsghdr *nlh = iso_nl_msg(buf, RTM_NEWLINK, NLM_F_ACK);
	struct ifinfomsg *ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));

	ifi->ifi_family = AF_UNSPEC;
	ifi->ifi_index = index;
	ifi->ifi_flags = IFF_UP;
	ifi->ifi_change = IFF_UP;
	if (name)
		mnl_attr_put_strz(nlh, IFLA_IFNAME, name);
	return iso_nl_talk(nl, nlh, NULL, NULL, why);
}

static int oper_attr(const struct nlattr *a, void *data)
{
	if (mnl_attr_get_type(a) == IFLA_OPERSTATE && mnl_attr_validate(a, MNL_TYPE_U8) == 0)
		*(int *)data = mnl_attr_get_u8(a);
	return MNL_CB_OK;
}

static int on_oper(const struct nlmsghdr *nlh, void *data)
{
	if (nlh->nlmsg_type == RTM_NEWLINK)
		mnl_attr_parse(nlh, sizeof(struct ifinfomsg), oper_attr, data);
	return MNL_CB_OK;
}

/* RTM_GETLINK of link index: whether its IFLA_OPERSTATE says up. */
int iso_nl_oper_up(struct iso_nl *nl, int index, struct mv_err *why)
{
	char buf[512];
	struct nlmsghdr *nlh = iso_nl_msg(buf, RTM_GETLINK, NLM_F_ACK);
	struct ifinfomsg *ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));
	int state = IF_OPER_UNKNOWN, r;

	ifi->ifi_family = AF_UNSPEC;
	ifi->ifi_index = index;
	mnl_attr_put_u32(nlh, IFLA_EXT_MASK, RTEXT_FILTER_SKIP_STATS);
	r = iso_nl_talk(nl, nlh, on_oper, &state, why);
	return r < 0 ? r : state == IF_OPER_UP;
}

/* RTM_NEWADDR: ip/prefix on link index (ip in network byte order). */
int iso_nl_add_addr(struct iso_nl *nl, int index, struct in_addr ip, int prefix, struct mv_err *why)
{
	char buf[512];
	struct nlmsghdr *nlh = iso_nl_msg(buf, RTM_NEWADDR, NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL);
	struct ifaddrmsg *ifa = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifa));

	ifa->ifa_family = AF_INET;
	ifa->ifa_prefixlen = (unsigned char)prefix;
	ifa->ifa_scope = RT_SCOPE_UNIVERSE;
	ifa->ifa_index = (unsigned)index;
	mnl_attr_put(nlh, IFA_LOCAL, sizeof(ip), &ip);
	mnl_attr_put(nlh, IFA_ADDRESS, sizeof(ip), &ip);
	return iso_nl_talk(nl, nlh, NULL, NULL, why);
}

int iso_nl_del_addr(struct iso_nl *nl, int index, struct in_addr ip, int prefix, struct mv_err *why)
{
	char buf[512];
	struct nlmsghdr *nlh = iso_nl_msg(buf, RTM_DELADDR, NLM_F_ACK);
	struct ifaddrmsg *ifa = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifa));

	ifa->ifa_family = AF_INET;
	ifa->ifa_prefixlen = (unsigned char)prefix;
	ifa->ifa_index = (unsigned)index;
	mnl_attr_put(nlh, IFA_LOCAL, sizeof(ip), &ip);
	return iso_nl_talk(nl, nlh, NULL, NULL, why);
}

/* RTM_DELLINK of the host end, by name: the kernel deletes its peer with it. */
int iso_nl_del_link(struct iso_nl *nl, const char *name, struct mv_err *why)
{
	char buf[512];
	struct nlmsghdr *nlh = iso_nl_msg(buf, RTM_DELLINK, NLM_F_ACK);
	struct ifinfomsg *ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));

	ifi->ifi_family = AF_UNSPEC;
	mnl_attr_put_strz(nlh, IFLA_IFNAME, name);
	return iso_nl_talk(nl, nlh, NULL, NULL, why);
}
