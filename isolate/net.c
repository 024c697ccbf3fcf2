/* SPDX-License-Identifier: MIT */
/* isolate/net.c: the container's network over rtnetlink (nl.c): a veth pair with one end
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
#include <sched.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <signal.h>
#include <stddef.h>
#include <sys/file.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <time.h>

#include "addr.h"
#include "nl.h"
#include "statedir.h"
#include "base.h"

/* Held while a host address is chosen and assigned, so concurrent isolates pick
 * different subnets. The host's root keeps it in its own /run/isolate (statedir.h): no
 * other user can hold, replace or redirect it. A root of a user namespace with a network
 * namespace of its own (unshare -Urn) cannot write there: it locks an abstract socket
 * name, which is per network namespace, as the subnets are. */
#define ISO_NET_LOCK "net.lock"
#define ISO_NET_LOCK_ABSTRACT "minivirt-isolate-net.lock"
#define LOCK_WAIT_MS 10000 /* the lock is held for a few ms: give up after 10 s */
#define LOCK_POLL_MS 2
#define WAIT_GONE_MS 2000 /* --wait-teardown: how long the kernel gets */

/* An address left on the host end of a finished run (see stale_owner). */
struct stale {
	int index;     /* the link's ifindex */
	uint32_t addr; /* the address, host byte order */
	int prefix;
};
#define MAX_STALE 16

/* The host's IPv4 addresses, from an RTM_GETADDR dump, less those of finished runs. */
struct addr_list {
	struct iso_host_addr *a;
	size_t n, cap;
	int oom;
	struct stale stale[MAX_STALE];
	size_t n_stale;
};

struct addr_attrs {
	uint32_t ip; /* network byte order */
	char label[IFNAMSIZ];
};

static int addr_attr(const struct nlattr *a, void *data)
{
	struct addr_attrs *at = data;

	/* IFA_LOCAL is the interface's own address; IFA_ADDRESS the peer's on
	 * point-to-point links. Keep the local one when both come. */
	if ((mnl_attr_get_type(a) == IFA_LOCAL ||
	     (mnl_attr_get_type(a) == IFA_ADDRESS && !at->ip)) &&
	    mnl_attr_get_payload_len(a) == 4)
		memcpy(&at->ip, mnl_attr_get_payload(a), 4);
	if (mnl_attr_get_type(a) == IFA_LABEL && mnl_attr_validate(a, MNL_TYPE_NUL_STRING) == 0)
		snprintf(at->label, sizeof(at->label), "%s", mnl_attr_get_str(a));
	return MNL_CB_OK;
}

/* Whether an address is the host end of a finished run: 10.11.N.13 on a link named
 * iso-PID (isolate's own name for it) whose isolate is gone. The kernel removes that link
 * with the container's network namespace, a few ms after the run; until then its address
 * would push the next run off the classic 10.11.12.13. (A PID in another PID namespace
 * looks gone: isolates that share a network namespace share a PID namespace too.) */
static bool stale_owner(const struct addr_attrs *at)
{
	uint32_t ip = ntohl(at->ip);
	char *end;
	long pid;

	if ((ip >> 16) != ((10u << 8) | 11u) || (ip & 0xff) != ISO_HOST_OCTET ||
	    strncmp(at->label, "iso-", 4))
		return false;
	pid = strtol(at->label + 4, &end, 10);
	if (*end || pid <= 0 || pid == getpid())
		return false;
	return kill((pid_t)pid, 0) < 0 && errno == ESRCH;
}

static int on_addr(const struct nlmsghdr *nlh, void *data)
{
	struct addr_list *l = data;
	const struct ifaddrmsg *ifa = mnl_nlmsg_get_payload(nlh);
	struct addr_attrs at = { 0 };

	if (nlh->nlmsg_type != RTM_NEWADDR || ifa->ifa_family != AF_INET)
		return MNL_CB_OK;
	mnl_attr_parse(nlh, sizeof(*ifa), addr_attr, &at);
	if (stale_owner(&at) && l->n_stale < MAX_STALE) {
		l->stale[l->n_stale++] =
			(struct stale){ (int)ifa->ifa_index, ntohl(at.ip), ifa->ifa_prefixlen };
		return MNL_CB_OK;
	}
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
	l->a[l->n].addr = ntohl(at.ip);
	l->a[l->n].prefix = ifa->ifa_prefixlen;
	l->n++;
	return MNL_CB_OK;
}

/* Takes the addresses of finished runs off their dying links (RTM_DELADDR: no link
 * delete's wait), so the subnets they held are free again. Run under the lock. */
static void reclaim(struct iso_nl *nl, const struct addr_list *l)
{
	struct mv_err why = { "" };
	char a[INET_ADDRSTRLEN];

	for (size_t i = 0; i < l->n_stale; i++) {
		struct in_addr ip = { htonl(l->stale[i].addr) };
		int r = iso_nl_del_addr(nl, l->stale[i].index, ip, l->stale[i].prefix, &why);

		/* gone meanwhile with its namespace: as good */
		iso_step("host", "reclaimed %s from the host end of a finished run (ifindex %d)%s",
			 inet_ntop(AF_INET, &ip, a, sizeof(a)), l->stale[i].index,
			 r < 0 ? ": it went away by itself" : ": RTM_DELADDR");
	}
}

/* Chooses the veth's addresses: cfg's (refused when the host already has the host-side
 * one), or the first free 10.11.N.0/24. Run under the lock. */
static int plan_addresses(struct iso_nl *nl, const struct iso_config *cfg, struct iso_net *net,
			  struct mv_err *err)
{
	struct addr_list l = { .n = 0 };
	struct mv_err why = { "" };
	char buf[512], a[INET_ADDRSTRLEN];
	struct nlmsghdr *nlh = iso_nl_msg(buf, RTM_GETADDR, NLM_F_DUMP);
	struct ifaddrmsg *ifa = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifa));
	uint32_t host, cont;
	int r, sub;

	ifa->ifa_family = AF_INET;
	r = iso_nl_talk(nl, nlh, on_addr, &l, &why);
	if (r < 0 || l.oom) {
		free(l.a);
		return l.oom ? mv_seterr(err, ENOMEM, "cannot list the host's addresses")
			     : iso_nl_seterr(err, r, &why,
					     "cannot list the host's addresses (RTM_GETADDR)");
	}
	reclaim(nl, &l);
	if (cfg->addr_set) {
		net->host_ip = cfg->host_ip;
		net->cont_ip = cfg->cont_ip;
		net->prefix = cfg->prefix;
		r = iso_addr_in_use(l.a, l.n, ntohl(cfg->host_ip.s_addr));
		free(l.a);
		if (r)
			return mv_seterr(err, 0, "--net-addr: %s is already in use on this host",
					 inet_ntop(AF_INET, &net->host_ip, a, sizeof(a)));
		iso_step("host", "address plan: --net-addr, %s is free on the host",
			 inet_ntop(AF_INET, &net->host_ip, a, sizeof(a)));
		return 0;
	}
	sub = iso_pick_subnet(l.a, l.n, &host, &cont);
	free(l.a);
	if (sub < 0)
		return mv_seterr(err, 0,
				 "no free subnet 10.11.%d.0/24 .. 10.11.255.0/24 on this host: "
				 "choose one with --net-addr",
				 ISO_SUBNET_FIRST);
	net->host_ip.s_addr = htonl(host);
	net->cont_ip.s_addr = htonl(cont);
	net->prefix = ISO_SUBNET_PREFIX;
	iso_step("host",
		 "address plan: 10.11.%d.0/24 holds no host address (RTM_GETADDR dump, "
		 "under a lock)",
		 sub);
	return 0;
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

static int get_link(struct iso_nl *nl, struct iso_net *net, struct mv_err *why)
{
	char buf[512];
	struct nlmsghdr *nlh = iso_nl_msg(buf, RTM_GETLINK, NLM_F_ACK);
	struct ifinfomsg *ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));

	ifi->ifi_family = AF_UNSPEC;
	mnl_attr_put_strz(nlh, IFLA_IFNAME, net->host_if);
	mnl_attr_put_u32(nlh, IFLA_EXT_MASK, RTEXT_FILTER_SKIP_STATS);
	return iso_nl_talk(nl, nlh, on_link, net, why);
}

/* RTM_NEWLINK, kind veth: both ends at once. The container's end is the new link itself,
 * made up, directly in the child's network namespace (IFLA_NET_NS_PID: no move, no name
 * clash with the host); the host end is its peer (VETH_INFO_PEER, its own ifinfomsg and
 * attributes), made in isolate's own namespace, down. Up comes the host end afterwards
 * (host_up): the end that comes up second finds its peer's carrier on and starts sending
 * at once, while the first waits for the kernel's link watch, a work item that may run
 * late on a busy machine and drops every packet the end sends until then. The container's
 * end, first, is the one that waits: its own process can see when it is ready
 * (iso_net_container_veth); isolate's answers to PROGRAM's first packets go at once. */
static int create_veth(struct iso_nl *nl, struct iso_net *net, pid_t child, struct mv_err *why)
{
	char buf[1024];
	struct nlmsghdr *nlh = iso_nl_msg(buf, RTM_NEWLINK, NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL);
	struct ifinfomsg *ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));
	struct nlattr *linkinfo, *data, *peer;
	struct ifinfomsg *pifi;

	ifi->ifi_family = AF_UNSPEC;
	ifi->ifi_flags = IFF_UP;
	ifi->ifi_change = IFF_UP;
	mnl_attr_put_strz(nlh, IFLA_IFNAME, ISO_CONT_IF);
	mnl_attr_put_u32(nlh, IFLA_NET_NS_PID, (uint32_t)child);
	linkinfo = mnl_attr_nest_start(nlh, IFLA_LINKINFO);
	mnl_attr_put_strz(nlh, IFLA_INFO_KIND, "veth");
	data = mnl_attr_nest_start(nlh, IFLA_INFO_DATA);
	peer = mnl_attr_nest_start(nlh, VETH_INFO_PEER);
	pifi = mnl_nlmsg_get_payload_tail(nlh);
	memset(pifi, 0, sizeof(*pifi));
	nlh->nlmsg_len += MNL_ALIGN(sizeof(*pifi));
	pifi->ifi_family = AF_UNSPEC;
	mnl_attr_put_strz(nlh, IFLA_IFNAME, net->host_if);
	mnl_attr_put_u32(nlh, IFLA_NET_NS_PID, (uint32_t)getpid());
	mnl_attr_nest_end(nlh, peer);
	mnl_attr_nest_end(nlh, data);
	mnl_attr_nest_end(nlh, linkinfo);
	return iso_nl_talk(nl, nlh, NULL, NULL, why);
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
static int no_veth(const struct iso_config *cfg, struct mv_err *err)
{
	if (cfg->net == ISO_NET_VETH)
		return mv_seterr(err, 0,
				 "--net veth: a veth pair needs CAP_NET_ADMIN in the "
				 "host's network namespace (run isolate as root)");
	warn_msg("networking is loopback only: a veth pair needs CAP_NET_ADMIN in the host's "
		 "network namespace (root); --net none silences this");
	return 0;
}

/* A signal that ends isolate (HUP, INT, QUIT, TERM), pending while setup blocks it. */
static int ending_signal(void)
{
	static const int sigs[] = { SIGHUP, SIGINT, SIGQUIT, SIGTERM };
	sigset_t p;

	if (sigpending(&p))
		return 0;
	for (size_t i = 0; i < ARRAY_SIZE(sigs); i++)
		if (sigismember(&p, sigs[i]) == 1)
			return sigs[i];
	return 0;
}

/* One try at the lock: 0 taken, 1 held by someone else, -1 with a reason in err. */
static int try_lock(int fd, bool abstract, struct mv_err *err)
{
	if (abstract) {
		struct sockaddr_un a = { .sun_family = AF_UNIX };
		socklen_t len = offsetof(struct sockaddr_un, sun_path) + 1 +
				sizeof(ISO_NET_LOCK_ABSTRACT) - 1;

		memcpy(a.sun_path + 1, ISO_NET_LOCK_ABSTRACT, sizeof(ISO_NET_LOCK_ABSTRACT) - 1);
		if (bind(fd, (struct sockaddr *)&a, len) == 0)
			return 0;
		if (errno == EADDRINUSE)
			return 1;
		return mv_seterr(err, errno, "cannot lock @%s", ISO_NET_LOCK_ABSTRACT);
	}
	if (flock(fd, LOCK_EX | LOCK_NB) == 0)
		return 0;
	if (errno == EWOULDBLOCK || errno == EINTR)
		return 1;
	return mv_seterr(err, errno, "cannot lock %s/%s", ISO_STATE_DIR, ISO_NET_LOCK);
}

/* The subnet lock's fd: the file in ISO_STATE_DIR, or (*abstract set) a socket to bind
 * to an abstract name when that folder is not ours. Returns -1 with a reason in err. */
static int open_lock(bool *abstract, struct mv_err *err)
{
	int fd = -1;

	*abstract = geteuid() != 0;
	if (!*abstract) {
		fd = iso_state_lock_open(ISO_NET_LOCK, err);
		/* no host root (a user namespace's): /run/isolate is not ours to write */
		*abstract = fd < 0 && (errno == EACCES || errno == EPERM || errno == EROFS ||
				       access(ISO_STATE_DIR, W_OK));
		if (fd < 0 && !*abstract)
			return -1;
	}
	if (*abstract)
		fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return mv_seterr(err, errno, "cannot make the subnet lock");
	return fd;
}

/* Takes the subnet lock, waiting at most LOCK_WAIT_MS, and no longer once a signal that
 * ends isolate is pending. Returns its fd (closing it releases the lock), or -1 with a
 * reason in err. */
static int lock_plan(struct mv_err *err)
{
	bool abstract;
	int fd = open_lock(&abstract, err), r, sig;
	long waited = 0;

	if (fd < 0)
		return -1;
	for (;;) {
		struct timespec ts = { 0, LOCK_POLL_MS * 1000000L };

		r = try_lock(fd, abstract, err);
		if (r <= 0)
			break;
		if ((sig = ending_signal())) {
			r = mv_seterr(err, 0, "SIG%s while waiting for the subnet lock: stopped",
				      sigabbrev_np(sig));
			break;
		}
		if (waited >= LOCK_WAIT_MS) {
			r = mv_seterr(err, 0,
				      "the subnet lock (%s%s%s) was held for %d s by "
				      "another isolate: giving up; --net none needs none",
				      abstract ? "@" : ISO_STATE_DIR "/",
				      abstract ? ISO_NET_LOCK_ABSTRACT : "",
				      abstract ? "" : ISO_NET_LOCK, LOCK_WAIT_MS / 1000);
			break;
		}
		nanosleep(&ts, NULL);
		waited += LOCK_POLL_MS;
	}
	if (r < 0) {
		close(fd);
		return -1;
	}
	iso_step("host", "subnet lock %s%s%s: held until the host end has its address",
		 abstract ? "@" : ISO_STATE_DIR "/", abstract ? ISO_NET_LOCK_ABSTRACT : "",
		 abstract ? " (abstract socket: this network namespace's)" : ISO_NET_LOCK);
	return fd;
}

int iso_net_host_setup(const struct iso_config *cfg, pid_t child, struct iso_net *net,
		       struct mv_err *err)
{
	struct iso_nl nl = { 0 };
	struct mv_err why = { "" };
	char h[INET_ADDRSTRLEN], c[INET_ADDRSTRLEN];
	int lock = -1, r, ret = -1;

	memset(net, 0, sizeof(*net));
	if (cfg->net == ISO_NET_NONE) {
		iso_step("host", "network: --net none: loopback only, no veth");
		return 0;
	}
	if (!have_net_admin())
		return no_veth(cfg, err);
	snprintf(net->host_if, sizeof(net->host_if), "iso-%d", (int)getpid());
	if (iso_nl_open(&nl, err))
		return -1;
	lock = lock_plan(err);
	if (lock < 0)
		goto out;
	if (plan_addresses(&nl, cfg, net, err))
		goto out;
	r = create_veth(&nl, net, child, &why);
	if (r == -EPERM) {
		/* capable, but not over the host's network namespace (isolate itself runs
		 * in a user namespace that does not own it) */
		ret = no_veth(cfg, err);
		goto out;
	}
	if (r < 0) {
		if (r == -EEXIST && !why.msg[0])
			mv_seterr(&why, 0, "the host has an interface named %s", net->host_if);
		iso_nl_seterr(err, r, &why, "cannot create the veth pair %s <-> %s", net->host_if,
			      ISO_CONT_IF);
		goto out;
	}
	iso_step("host",
		 "rtnetlink RTM_NEWLINK: veth pair %s (host) <-> %s (up), the latter created "
		 "in the network namespace of pid %d (IFLA_NET_NS_PID)",
		 net->host_if, ISO_CONT_IF, (int)child);
	r = get_link(&nl, net, &why);
	if (r < 0 || !net->host_index || !net->cont_index) {
		iso_nl_seterr(err, r < 0 ? r : -ENODEV, &why, "cannot find the veth %s",
			      net->host_if);
		goto undo;
	}
	r = iso_nl_link_up(&nl, NULL, net->host_index, &why);
	if (r < 0) {
		iso_nl_seterr(err, r, &why, "cannot bring %s up", net->host_if);
		goto undo;
	}
	iso_step("host", "rtnetlink RTM_NEWLINK: %s up, second: it sends at once", net->host_if);
	r = iso_nl_add_addr(&nl, net->host_index, net->host_ip, net->prefix, &why);
	inet_ntop(AF_INET, &net->host_ip, h, sizeof(h));
	inet_ntop(AF_INET, &net->cont_ip, c, sizeof(c));
	if (r < 0) {
		iso_nl_seterr(err, r, &why, "cannot add %s/%d to %s", h, net->prefix, net->host_if);
		goto undo;
	}
	iso_step("host",
		 "rtnetlink RTM_NEWADDR: %s/%d on %s (ifindex %d); the container's %s is "
		 "ifindex %d there and gets %s/%d",
		 h, net->prefix, net->host_if, net->host_index, ISO_CONT_IF, net->cont_index, c,
		 net->prefix);
	net->veth = true;
	ret = 0;
	goto out;
undo:
	if (iso_nl_del_link(&nl, net->host_if, &why) == 0)
		iso_step("host", "rtnetlink RTM_DELLINK: %s and its peer deleted", net->host_if);
out:
	if (lock >= 0)
		close(lock); /* releases the lock: the address is on the host for all to see */
	iso_nl_close(&nl);
	return ret;
}

void iso_net_host_undo(struct iso_net *net)
{
	struct iso_nl nl;
	struct mv_err err = { "" }, why = { "" };
	int r;

	if (!net->veth)
		return;
	net->veth = false;
	if (iso_nl_open(&nl, &err)) {
		warn_msg("cannot delete the veth %s: %s", net->host_if, err.msg);
		return;
	}
	r = iso_nl_del_link(&nl, net->host_if, &why);
	if (r < 0 && r != -ENODEV) {
		iso_nl_seterr(&err, r, &why, "cannot delete the veth %s", net->host_if);
		warn_msg("%s", err.msg);
	} else {
		iso_step("host", "rtnetlink RTM_DELLINK: %s and its peer deleted", net->host_if);
	}
	iso_nl_close(&nl);
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

/* Waits, until deadline (ms), for the RTM_DELLINK of net's host end on ev. */
static bool dellink_seen(const struct iso_nl *ev, const struct iso_net *net, long deadline)
{
	char buf[ISO_NL_BUF];
	long n;

	for (;;) {
		struct pollfd p = { .fd = mnl_socket_get_fd(ev->sock), .events = POLLIN };
		long left = deadline - now_ms();

		if (left <= 0 || RETRY_EINTR(poll(&p, 1, (int)left)) <= 0)
			return false;
		n = RETRY_EINTR(mnl_socket_recvfrom(ev->sock, buf, sizeof(buf)));
		if (n < 0)
			return false;
		if (mnl_cb_run(buf, (size_t)n, 0, 0, on_dellink, (void *)net) == MNL_CB_STOP)
			return true;
	}
}

void iso_net_wait_gone(const struct iso_net *net)
{
	struct iso_nl nl = { 0 }, ev = { 0 };
	struct mv_err err = { "" }, why = { "" };
	long deadline = now_ms() + WAIT_GONE_MS;
	struct iso_net probe = *net;
	int r;

	if (!net->veth)
		return;
	/* Listen first, then look: a removal between the two is seen either way. */
	ev.sock = mnl_socket_open2(NETLINK_ROUTE, SOCK_CLOEXEC);
	if (!ev.sock || mnl_socket_bind(ev.sock, RTMGRP_LINK, MNL_SOCKET_AUTOPID) < 0 ||
	    iso_nl_open(&nl, &err))
		goto fallback;
	probe.host_index = 0;
	r = get_link(&nl, &probe, &why);
	if (r != -ENODEV && !(r == 0 && probe.host_index != net->host_index) &&
	    !dellink_seen(&ev, net, deadline))
		goto fallback;
	iso_step("host",
		 "rtnetlink RTM_DELLINK seen: %s is gone with the container's network "
		 "namespace",
		 net->host_if);
	goto out;
fallback:
	/* Still there (something else holds the namespace), or we could not watch: delete. */
	iso_nl_close(&nl);
	if (!iso_nl_open(&nl, &err)) {
		r = iso_nl_del_link(&nl, net->host_if, &why);
		if (r == 0)
			warn_msg("%s outlived the container's network namespace: deleted it",
				 net->host_if);
	}
out:
	iso_nl_close(&nl);
	iso_nl_close(&ev);
}

int iso_net_lo_up(struct mv_err *err)
{
	struct ifreq ifr = { .ifr_name = "lo" };
	cleanup_fd int s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);

	if (s < 0 || ioctl(s, SIOCGIFFLAGS, &ifr))
		return mv_seterr(err, errno, "cannot bring lo up");
	ifr.ifr_flags |= IFF_UP;
	if (ioctl(s, SIOCSIFFLAGS, &ifr))
		return mv_seterr(err, errno, "cannot bring lo up");
	iso_step("pid 1", "ioctl SIOCSIFFLAGS: lo up (127.0.0.1, in this network namespace)");
	return 0;
}

int iso_net_lo_up_for(pid_t child, struct mv_err *err)
{
	char path[64];
	cleanup_fd int own = (int)RETRY_EINTR(open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC));
	cleanup_fd int theirs = -1;
	int r;

	snprintf(path, sizeof(path), "/proc/%d/ns/net", (int)child);
	theirs = (int)RETRY_EINTR(open(path, O_RDONLY | O_CLOEXEC));
	/* The way back first: a root of a user namespace that does not own isolate's own
	 * network namespace (unshare -r) could enter the container's and not come back. */
	if (own >= 0 && setns(own, CLONE_NEWNET) && errno == EPERM)
		return 1;
	if (own < 0 || theirs < 0 || setns(theirs, CLONE_NEWNET))
		return mv_seterr(err, errno, "cannot enter the container's network namespace");
	r = iso_net_lo_up(err);
	/* back, or stop: nothing isolate does next may run in the container's namespace */
	if (setns(own, CLONE_NEWNET))
		die(ISO_SETUP, "cannot return to the host's network namespace: %s",
		    strerror(errno));
	return r;
}

/* Waits (at most 2 s) for link index to be operationally up: the container's end came up
 * first (create_veth), so it sends only once the kernel's link watch has seen its carrier
 * and given it its queue; the same pass sets its operational state. */
static int wait_oper_up(struct iso_nl *nl, int index, struct mv_err *why)
{
	struct timespec pause = { 0, 50 * 1000 };
	int r;

	for (int i = 0; i < 40000; i++) {
		r = iso_nl_oper_up(nl, index, why);
		if (r != 0)
			return r < 0 ? r : 0;
		nanosleep(&pause, NULL);
	}
	mv_seterr(why, 0, "not up after 2 s");
	return -ETIMEDOUT;
}

int iso_net_container_veth(struct iso_nl *nl, const struct iso_net *net, struct mv_err *err)
{
	struct mv_err why = { "" };
	char c[INET_ADDRSTRLEN];
	int r = 0;

	if (net->veth) {
		inet_ntop(AF_INET, &net->cont_ip, c, sizeof(c));
		r = iso_nl_add_addr(nl, net->cont_index, net->cont_ip, net->prefix, &why);
		if (r < 0)
			iso_nl_seterr(err, r, &why, "cannot add %s/%d to %s", c, net->prefix,
				      ISO_CONT_IF);
		else if ((r = wait_oper_up(nl, net->cont_index, &why)) < 0)
			iso_nl_seterr(err, r, &why, "%s is not up", ISO_CONT_IF);
		else
			iso_step("pid 1",
				 "rtnetlink RTM_NEWADDR: %s (ifindex %d) has %s/%d, and is up "
				 "once the link watch has seen it (RTM_GETLINK); no default "
				 "route: only the host end is reachable",
				 ISO_CONT_IF, net->cont_index, c, net->prefix);
	}
	iso_nl_close(nl);
	return r < 0 ? -1 : 0;
}
