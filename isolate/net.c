/* isolate/net.c: the container's network over rtnetlink (libmnl): a veth pair with one end
 * in the container's namespace, the address scheme's lock and lookup, lo up. */
#include "net.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <libmnl/libmnl.h>
#include <linux/capability.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>
#include <linux/veth.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <limits.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>

#include "addr.h"
#include "util.h"

/* Held while a host address is chosen and assigned, so concurrent isolates pick
 * different subnets: in the first of these folders that exists (every isolate on a host
 * picks the same). Only the flock matters, never the file's contents. */
static const char *const lock_dirs[] = { "/run/lock", "/run", "/tmp" };
#define ISO_LOCK_NAME "minivirt-isolate.lock"
#define NL_BUF 32768          /* a dump's batch fits (the kernel sends at most ~16 KiB) */
#define WAIT_GONE_MS 2000     /* --wait-teardown: how long the kernel gets */

struct nl {
	struct mnl_socket *sock;
	unsigned portid;      /* our netlink address, to check answers against */
	unsigned seq;         /* sequence number of the last request */
};

/* One request's answers. */
struct nl_answer {
	int error;            /* the kernel's errno for the request, or 0 */
	char msg[128];        /* its extended-ack message (why), or "" */
	mnl_cb_t cb;          /* called for each data message (dumps, GET replies), or NULL */
	void *data;           /* cb's argument */
};

static int nl_open(struct nl *nl, char *err)
{
	int one = 1;

	nl->seq = 0;
	nl->sock = mnl_socket_open2(NETLINK_ROUTE, SOCK_CLOEXEC);
	if (!nl->sock)
		return iso_seterr(err, errno, "cannot open a rtnetlink socket");
	/* Best effort: the kernel's own reason for an error, and acks without our request. */
	mnl_socket_setsockopt(nl->sock, NETLINK_EXT_ACK, &one, sizeof(one));
	mnl_socket_setsockopt(nl->sock, NETLINK_CAP_ACK, &one, sizeof(one));
	if (mnl_socket_bind(nl->sock, 0, MNL_SOCKET_AUTOPID) < 0) {
		iso_seterr(err, errno, "cannot bind a rtnetlink socket");
		mnl_socket_close(nl->sock);
		nl->sock = NULL;
		return -1;
	}
	nl->portid = mnl_socket_get_portid(nl->sock);
	return 0;
}

static void nl_close(struct nl *nl)
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

/* nl_talk: sends the request nlh and reads answers until its ACK (or a dump's end), passing
 * data messages to cb(nlh, data). Returns 0, or -errno with the kernel's reason, if any,
 * in why (128 bytes). */
static int nl_talk(struct nl *nl, struct nlmsghdr *nlh, mnl_cb_t cb, void *data, char *why)
{
	static mnl_cb_t ctl[NLMSG_MIN_TYPE] = { [NLMSG_ERROR] = on_error, [NLMSG_DONE] = on_done };
	struct nl_answer ans = { .cb = cb, .data = data };
	static char buf[NL_BUF];
	long n;
	int r;

	why[0] = '\0';
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
			snprintf(why, 128, "%s", ans.msg);
			return ans.error ? -ans.error : -errno;
		}
		if (r == MNL_CB_STOP)
			return 0;
	}
}

/* nl_seterr: "WHAT: strerror (the kernel's reason)" into err; returns -1. */
__attribute__((format(printf, 4, 5)))
static int nl_seterr(char *err, int r, const char *why, const char *fmt, ...)
{
	char what[ISO_ERR_LEN];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	if (why[0])
		return iso_seterr(err, 0, "%s: %s (%s)", what, strerror(-r), why);
	return iso_seterr(err, -r, "%s", what);
}

static struct nlmsghdr *new_msg(char *buf, uint16_t type, uint16_t flags)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);

	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = NLM_F_REQUEST | flags;
	return nlh;
}

/* RTM_NEWLINK on an existing link (found by name or index): set IFF_UP. */
static int link_up(struct nl *nl, const char *name, int index, char *why)
{
	char buf[512];
	struct nlmsghdr *nlh = new_msg(buf, RTM_NEWLINK, NLM_F_ACK);
	struct ifinfomsg *ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));

	ifi->ifi_family = AF_UNSPEC;
	ifi->ifi_index = index;
	ifi->ifi_flags = IFF_UP;
	ifi->ifi_change = IFF_UP;
	if (name)
		mnl_attr_put_strz(nlh, IFLA_IFNAME, name);
	return nl_talk(nl, nlh, NULL, NULL, why);
}

/* RTM_NEWADDR: ip/prefix on link index (ip in network byte order). */
static int add_addr(struct nl *nl, int index, struct in_addr ip, int prefix, char *why)
{
	char buf[512];
	struct nlmsghdr *nlh = new_msg(buf, RTM_NEWADDR, NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL);
	struct ifaddrmsg *ifa = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifa));

	ifa->ifa_family = AF_INET;
	ifa->ifa_prefixlen = (unsigned char)prefix;
	ifa->ifa_scope = RT_SCOPE_UNIVERSE;
	ifa->ifa_index = (unsigned)index;
	mnl_attr_put(nlh, IFA_LOCAL, sizeof(ip), &ip);
	mnl_attr_put(nlh, IFA_ADDRESS, sizeof(ip), &ip);
	return nl_talk(nl, nlh, NULL, NULL, why);
}

/* RTM_DELLINK of the host end, by name: the kernel deletes its peer with it. */
static int del_link(struct nl *nl, const char *name, char *why)
{
	char buf[512];
	struct nlmsghdr *nlh = new_msg(buf, RTM_DELLINK, NLM_F_ACK);
	struct ifinfomsg *ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));

	ifi->ifi_family = AF_UNSPEC;
	mnl_attr_put_strz(nlh, IFLA_IFNAME, name);
	return nl_talk(nl, nlh, NULL, NULL, why);
}

/* The host's IPv4 addresses, from an RTM_GETADDR dump. */
struct addr_list {
	struct iso_host_addr *a;
	size_t n, cap;
	int oom;
};

static int addr_attr(const struct nlattr *a, void *data)
{
	uint32_t *ip = data;

	/* IFA_LOCAL is the interface's own address; IFA_ADDRESS the peer's on
	 * point-to-point links. Keep the local one when both come. */
	if ((mnl_attr_get_type(a) == IFA_LOCAL || (mnl_attr_get_type(a) == IFA_ADDRESS && !*ip)) &&
	    mnl_attr_get_payload_len(a) == 4)
		memcpy(ip, mnl_attr_get_payload(a), 4);
	return MNL_CB_OK;
}

static int on_addr(const struct nlmsghdr *nlh, void *data)
{
	struct addr_list *l = data;
	const struct ifaddrmsg *ifa = mnl_nlmsg_get_payload(nlh);
	uint32_t ip = 0;

	if (nlh->nlmsg_type != RTM_NEWADDR || ifa->ifa_family != AF_INET)
		return MNL_CB_OK;
	mnl_attr_parse(nlh, sizeof(*ifa), addr_attr, &ip);
	if (l->n == l->cap) {
		size_t cap = l->cap ? 2 * l->cap : 16;
		struct iso_host_addr *p = realloc(l->a, cap * sizeof(*p));

		if (!p) {
			l->oom = 1;
			return MNL_CB_ERROR;
		}
		l->a = p;
		l->cap = cap;
	}
	l->a[l->n].addr = ntohl(ip);
	l->a[l->n].prefix = ifa->ifa_prefixlen;
	l->n++;
	return MNL_CB_OK;
}

/* Chooses the veth's addresses: cfg's (refused when the host already has the host-side
 * one), or the first free 10.11.N.0/24. Run under the lock. */
static int plan_addresses(struct nl *nl, const struct iso_config *cfg, struct iso_net *net,
			  char *err)
{
	struct addr_list l = { 0 };
	char buf[512], why[128], a[INET_ADDRSTRLEN];
	struct nlmsghdr *nlh = new_msg(buf, RTM_GETADDR, NLM_F_DUMP);
	struct ifaddrmsg *ifa = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifa));
	uint32_t host, cont;
	int r, sub;

	ifa->ifa_family = AF_INET;
	r = nl_talk(nl, nlh, on_addr, &l, why);
	if (r < 0 || l.oom) {
		free(l.a);
		return l.oom ? iso_seterr(err, ENOMEM, "cannot list the host's addresses")
			     : nl_seterr(err, r, why, "cannot list the host's addresses (RTM_GETADDR)");
	}
	if (cfg->addr_set) {
		net->host_ip = cfg->host_ip;
		net->cont_ip = cfg->cont_ip;
		net->prefix = cfg->prefix;
		r = iso_addr_in_use(l.a, l.n, ntohl(cfg->host_ip.s_addr));
		free(l.a);
		if (r)
			return iso_seterr(err, 0, "--net-addr: %s is already in use on this host",
					  inet_ntop(AF_INET, &net->host_ip, a, sizeof(a)));
		iso_step("host", "address plan: --net-addr, %s is free on the host",
			 inet_ntop(AF_INET, &net->host_ip, a, sizeof(a)));
		return 0;
	}
	sub = iso_pick_subnet(l.a, l.n, &host, &cont);
	free(l.a);
	if (sub < 0)
		return iso_seterr(err, 0, "no free subnet 10.11.%d.0/24 .. 10.11.255.0/24 on this host: "
				  "choose one with --net-addr", ISO_SUBNET_FIRST);
	net->host_ip.s_addr = htonl(host);
	net->cont_ip.s_addr = htonl(cont);
	net->prefix = ISO_SUBNET_PREFIX;
	iso_step("host", "address plan: 10.11.%d.0/24 holds no host address (RTM_GETADDR dump, "
		 "under a lock)", sub);
	return 0;
}

/* RTM_NEWLINK, kind veth: both ends at once, the host end up. The peer's own ifinfomsg and
 * attributes nest in VETH_INFO_PEER, with IFLA_NET_NS_PID so the kernel creates it
 * directly in the child's network namespace (no move, no name clash with the host). The
 * peer cannot be brought up here: the kernel opens it before pairing it (ENOTCONN). */
static int create_veth(struct nl *nl, const struct iso_net *net, pid_t child, char *why)
{
	char buf[1024];
	struct nlmsghdr *nlh = new_msg(buf, RTM_NEWLINK, NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL);
	struct ifinfomsg *ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));
	struct nlattr *linkinfo, *data, *peer;
	struct ifinfomsg *pifi;

	ifi->ifi_family = AF_UNSPEC;
	ifi->ifi_flags = IFF_UP;
	ifi->ifi_change = IFF_UP;
	mnl_attr_put_strz(nlh, IFLA_IFNAME, net->host_if);
	linkinfo = mnl_attr_nest_start(nlh, IFLA_LINKINFO);
	mnl_attr_put_strz(nlh, IFLA_INFO_KIND, "veth");
	data = mnl_attr_nest_start(nlh, IFLA_INFO_DATA);
	peer = mnl_attr_nest_start(nlh, VETH_INFO_PEER);
	pifi = mnl_nlmsg_get_payload_tail(nlh);
	memset(pifi, 0, sizeof(*pifi));
	nlh->nlmsg_len += MNL_ALIGN(sizeof(*pifi));
	pifi->ifi_family = AF_UNSPEC;
	mnl_attr_put_strz(nlh, IFLA_IFNAME, ISO_CONT_IF);
	mnl_attr_put_u32(nlh, IFLA_NET_NS_PID, (uint32_t)child);
	mnl_attr_nest_end(nlh, peer);
	mnl_attr_nest_end(nlh, data);
	mnl_attr_nest_end(nlh, linkinfo);
	return nl_talk(nl, nlh, NULL, NULL, why);
}

/* RTM_GETLINK's answer for the host end: its index, and in IFLA_LINK its peer's index
 * (a veth reports its peer there, numbered in the peer's namespace). */
static int link_attr(const struct nlattr *a, void *data)
{
	int *peer = data;

	if (mnl_attr_get_type(a) == IFLA_LINK && mnl_attr_validate(a, MNL_TYPE_U32) == 0)
		*peer = (int)mnl_attr_get_u32(a);
	return MNL_CB_OK;
}

static int on_link(const struct nlmsghdr *nlh, void *data)
{
	struct iso_net *net = data;
	const struct ifinfomsg *ifi = mnl_nlmsg_get_payload(nlh);

	if (nlh->nlmsg_type == RTM_NEWLINK) {
		net->host_index = ifi->ifi_index;
		mnl_attr_parse(nlh, sizeof(*ifi), link_attr, &net->cont_index);
	}
	return MNL_CB_OK;
}

static int get_link(struct nl *nl, struct iso_net *net, char *why)
{
	char buf[512];
	struct nlmsghdr *nlh = new_msg(buf, RTM_GETLINK, NLM_F_ACK);
	struct ifinfomsg *ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));

	ifi->ifi_family = AF_UNSPEC;
	mnl_attr_put_strz(nlh, IFLA_IFNAME, net->host_if);
	mnl_attr_put_u32(nlh, IFLA_EXT_MASK, RTEXT_FILTER_SKIP_STATS);
	return nl_talk(nl, nlh, on_link, net, why);
}

/* Whether isolate has CAP_NET_ADMIN: without it a veth on the host is out of reach. */
static bool have_net_admin(void)
{
	struct __user_cap_header_struct h = { .version = _LINUX_CAPABILITY_VERSION_3 };
	struct __user_cap_data_struct d[2];

	if (syscall(SYS_capget, &h, d))
		return false;
	return d[CAP_NET_ADMIN / 32].effective & (1u << (CAP_NET_ADMIN % 32));
}

/* No veth: an error for --net veth, a one-line notice for --net auto. */
static int no_veth(const struct iso_config *cfg, char *err)
{
	if (cfg->net == ISO_NET_VETH)
		return iso_seterr(err, 0, "--net veth: a veth pair needs CAP_NET_ADMIN in the "
				  "host's network namespace (run isolate as root)");
	iso_msg("networking is loopback only: a veth pair needs CAP_NET_ADMIN in the host's "
		"network namespace (root); --net none silences this");
	return 0;
}

/* Opens and locks the lock file (its path into path, PATH_MAX bytes); returns the fd or
 * -errno. */
static int lock_plan(char *path)
{
	struct stat st;
	int fd;

	snprintf(path, PATH_MAX, "/tmp/" ISO_LOCK_NAME);
	for (size_t i = 0; i < ARRAY_SIZE(lock_dirs); i++) {
		if (stat(lock_dirs[i], &st) == 0 && S_ISDIR(st.st_mode)) {
			snprintf(path, PATH_MAX, "%s/" ISO_LOCK_NAME, lock_dirs[i]);
			break;
		}
	}
	fd = RETRY_EINTR(open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0644));
	if (fd < 0) /* someone else's file (a sticky /tmp): reading is enough to lock */
		fd = RETRY_EINTR(open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW));
	if (fd < 0)
		return -errno;
	if (RETRY_EINTR(flock(fd, LOCK_EX)) < 0) {
		int e = errno;

		close(fd);
		return -e;
	}
	iso_step("host", "flock(%s): exclusive, until the host end has its address", path);
	return fd;
}

int iso_net_host_setup(const struct iso_config *cfg, pid_t child, struct iso_net *net, char *err)
{
	struct nl nl = { 0 };
	char why[128], h[INET_ADDRSTRLEN], c[INET_ADDRSTRLEN], lock_path[PATH_MAX];
	int lock = -1, r, ret = -1;

	memset(net, 0, sizeof(*net));
	if (cfg->net == ISO_NET_NONE) {
		iso_step("host", "network: --net none: loopback only, no veth");
		return 0;
	}
	if (!have_net_admin())
		return no_veth(cfg, err);
	snprintf(net->host_if, sizeof(net->host_if), "iso-%d", (int)getpid());
	if (nl_open(&nl, err))
		return -1;
	lock = lock_plan(lock_path);
	if (lock < 0) {
		iso_seterr(err, -lock, "cannot lock %s", lock_path);
		goto out;
	}
	if (plan_addresses(&nl, cfg, net, err))
		goto out;
	r = create_veth(&nl, net, child, why);
	if (r == -EPERM) {
		/* capable, but not over the host's network namespace (isolate itself runs
		 * in a user namespace that does not own it) */
		ret = no_veth(cfg, err);
		goto out;
	}
	if (r < 0) {
		if (r == -EEXIST && !why[0])
			snprintf(why, sizeof(why), "the host has an interface named %s", net->host_if);
		nl_seterr(err, r, why, "cannot create the veth pair %s <-> %s", net->host_if,
			  ISO_CONT_IF);
		goto out;
	}
	iso_step("host", "rtnetlink RTM_NEWLINK: veth pair %s (host, up) <-> %s, created in the "
		 "network namespace of pid %d (IFLA_NET_NS_PID)", net->host_if, ISO_CONT_IF,
		 (int)child);
	r = get_link(&nl, net, why);
	if (r < 0 || !net->host_index || !net->cont_index) {
		nl_seterr(err, r < 0 ? r : -ENODEV, why, "cannot find the veth %s", net->host_if);
		goto undo;
	}
	r = add_addr(&nl, net->host_index, net->host_ip, net->prefix, why);
	inet_ntop(AF_INET, &net->host_ip, h, sizeof(h));
	inet_ntop(AF_INET, &net->cont_ip, c, sizeof(c));
	if (r < 0) {
		nl_seterr(err, r, why, "cannot add %s/%d to %s", h, net->prefix, net->host_if);
		goto undo;
	}
	iso_step("host", "rtnetlink RTM_NEWADDR: %s/%d on %s (ifindex %d); the container's %s is "
		 "ifindex %d there and gets %s/%d", h, net->prefix, net->host_if, net->host_index,
		 ISO_CONT_IF, net->cont_index, c, net->prefix);
	net->veth = true;
	ret = 0;
	goto out;
undo:
	if (del_link(&nl, net->host_if, why) == 0)
		iso_step("host", "rtnetlink RTM_DELLINK: %s and its peer deleted", net->host_if);
out:
	if (lock >= 0)
		close(lock); /* releases the lock: the address is on the host for all to see */
	nl_close(&nl);
	return ret;
}

void iso_net_host_undo(struct iso_net *net)
{
	struct nl nl;
	char err[ISO_ERR_LEN], why[128];
	int r;

	if (!net->veth)
		return;
	net->veth = false;
	if (nl_open(&nl, err)) {
		iso_msg("cannot delete the veth %s: %s", net->host_if, err);
		return;
	}
	r = del_link(&nl, net->host_if, why);
	if (r < 0 && r != -ENODEV) {
		nl_seterr(err, r, why, "cannot delete the veth %s", net->host_if);
		iso_msg("%s", err);
	} else {
		iso_step("host", "rtnetlink RTM_DELLINK: %s and its peer deleted", net->host_if);
	}
	nl_close(&nl);
}

static int on_dellink(const struct nlmsghdr *nlh, void *data)
{
	const struct iso_net *net = data;
	const struct ifinfomsg *ifi = mnl_nlmsg_get_payload(nlh);

	if (nlh->nlmsg_type == RTM_DELLINK && ifi->ifi_index == net->host_index)
		return MNL_CB_STOP;
	return MNL_CB_OK;
}

static long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void iso_net_wait_gone(const struct iso_net *net)
{
	struct nl nl = { 0 }, ev = { 0 };
	char err[ISO_ERR_LEN], why[128], buf[NL_BUF];
	long deadline = now_ms() + WAIT_GONE_MS, n;
	struct iso_net probe = *net;
	int r;

	if (!net->veth)
		return;
	/* Listen first, then look: a removal between the two is seen either way. */
	ev.sock = mnl_socket_open2(NETLINK_ROUTE, SOCK_CLOEXEC);
	if (!ev.sock || mnl_socket_bind(ev.sock, RTMGRP_LINK, MNL_SOCKET_AUTOPID) < 0 ||
	    nl_open(&nl, err))
		goto fallback;
	probe.host_index = 0;
	r = get_link(&nl, &probe, why);
	if (r == -ENODEV || (r == 0 && probe.host_index != net->host_index))
		goto gone;
	for (;;) {
		struct pollfd p = { .fd = mnl_socket_get_fd(ev.sock), .events = POLLIN };
		long left = deadline - now_ms();

		if (left <= 0 || RETRY_EINTR(poll(&p, 1, (int)left)) <= 0)
			goto fallback;
		n = RETRY_EINTR(mnl_socket_recvfrom(ev.sock, buf, sizeof(buf)));
		if (n < 0)
			goto fallback;
		if (mnl_cb_run(buf, (size_t)n, 0, 0, on_dellink, (void *)net) == MNL_CB_STOP)
			goto gone;
	}
gone:
	iso_step("host", "rtnetlink RTM_DELLINK seen: %s is gone with the container's network "
		 "namespace", net->host_if);
	goto out;
fallback:
	/* Still there (something else holds the namespace), or we could not watch: delete. */
	nl_close(&nl);
	if (!nl_open(&nl, err)) {
		r = del_link(&nl, net->host_if, why);
		if (r == 0)
			iso_msg("%s outlived the container's network namespace: deleted it",
				net->host_if);
	}
out:
	nl_close(&nl);
	nl_close(&ev);
}

int iso_net_container_setup(const struct iso_net *net, char *err)
{
	struct nl nl;
	char why[128], c[INET_ADDRSTRLEN];
	int r;

	if (nl_open(&nl, err))
		return -1;
	r = link_up(&nl, "lo", 0, why);
	if (r < 0) {
		nl_close(&nl);
		return nl_seterr(err, r, why, "cannot bring lo up");
	}
	iso_step("pid 1", "rtnetlink RTM_NEWLINK: lo up (127.0.0.1, in this network namespace)");
	if (net->veth) {
		inet_ntop(AF_INET, &net->cont_ip, c, sizeof(c));
		r = link_up(&nl, NULL, net->cont_index, why);
		if (r == 0)
			r = add_addr(&nl, net->cont_index, net->cont_ip, net->prefix, why);
		if (r < 0) {
			nl_close(&nl);
			return nl_seterr(err, r, why, "cannot add %s/%d to %s", c, net->prefix,
					 ISO_CONT_IF);
		}
		iso_step("pid 1", "rtnetlink RTM_NEWLINK + RTM_NEWADDR: %s (ifindex %d) up with "
			 "%s/%d; no default route: only the host end is reachable", ISO_CONT_IF,
			 net->cont_index, c, net->prefix);
	}
	nl_close(&nl);
	return 0;
}
