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
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>

#include "addr.h"
#include "nl.h"
#include "util.h"

/* Held while a host address is chosen and assigned, so concurrent isolates pick
 * different subnets: in the first of these folders that exists (every isolate on a host
 * picks the same). Only the flock matters, never the file's contents. */
static const char *const lock_dirs[] = { "/run/lock", "/run", "/tmp" };
#define ISO_LOCK_NAME "minivirt-isolate.lock"
#define WAIT_GONE_MS 2000     /* --wait-teardown: how long the kernel gets */

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
static int plan_addresses(struct iso_nl *nl, const struct iso_config *cfg, struct iso_net *net,
			  char *err)
{
	struct addr_list l = { 0 };
	char buf[512], why[ISO_NL_WHY], a[INET_ADDRSTRLEN];
	struct nlmsghdr *nlh = iso_nl_msg(buf, RTM_GETADDR, NLM_F_DUMP);
	struct ifaddrmsg *ifa = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifa));
	uint32_t host, cont;
	int r, sub;

	ifa->ifa_family = AF_INET;
	r = iso_nl_talk(nl, nlh, on_addr, &l, why);
	if (r < 0 || l.oom) {
		free(l.a);
		return l.oom ? iso_seterr(err, ENOMEM, "cannot list the host's addresses")
			     : iso_nl_seterr(err, r, why, "cannot list the host's addresses (RTM_GETADDR)");
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
static int create_veth(struct iso_nl *nl, const struct iso_net *net, pid_t child, char *why)
{
	char buf[1024];
	struct nlmsghdr *nlh = iso_nl_msg(buf, RTM_NEWLINK, NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL);
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
	return iso_nl_talk(nl, nlh, NULL, NULL, why);
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

static int get_link(struct iso_nl *nl, struct iso_net *net, char *why)
{
	char buf[512];
	struct nlmsghdr *nlh = iso_nl_msg(buf, RTM_GETLINK, NLM_F_ACK);
	struct ifinfomsg *ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));

	ifi->ifi_family = AF_UNSPEC;
	mnl_attr_put_strz(nlh, IFLA_IFNAME, net->host_if);
	mnl_attr_put_u32(nlh, IFLA_EXT_MASK, RTEXT_FILTER_SKIP_STATS);
	return iso_nl_talk(nl, nlh, on_link, net, why);
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
	struct iso_nl nl = { 0 };
	char why[ISO_NL_WHY], h[INET_ADDRSTRLEN], c[INET_ADDRSTRLEN], lock_path[PATH_MAX];
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
		iso_nl_seterr(err, r, why, "cannot create the veth pair %s <-> %s", net->host_if,
			  ISO_CONT_IF);
		goto out;
	}
	iso_step("host", "rtnetlink RTM_NEWLINK: veth pair %s (host, up) <-> %s, created in the "
		 "network namespace of pid %d (IFLA_NET_NS_PID)", net->host_if, ISO_CONT_IF,
		 (int)child);
	r = get_link(&nl, net, why);
	if (r < 0 || !net->host_index || !net->cont_index) {
		iso_nl_seterr(err, r < 0 ? r : -ENODEV, why, "cannot find the veth %s", net->host_if);
		goto undo;
	}
	r = iso_nl_add_addr(&nl, net->host_index, net->host_ip, net->prefix, why);
	inet_ntop(AF_INET, &net->host_ip, h, sizeof(h));
	inet_ntop(AF_INET, &net->cont_ip, c, sizeof(c));
	if (r < 0) {
		iso_nl_seterr(err, r, why, "cannot add %s/%d to %s", h, net->prefix, net->host_if);
		goto undo;
	}
	iso_step("host", "rtnetlink RTM_NEWADDR: %s/%d on %s (ifindex %d); the container's %s is "
		 "ifindex %d there and gets %s/%d", h, net->prefix, net->host_if, net->host_index,
		 ISO_CONT_IF, net->cont_index, c, net->prefix);
	net->veth = true;
	ret = 0;
	goto out;
undo:
	if (iso_nl_del_link(&nl, net->host_if, why) == 0)
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
	char err[ISO_ERR_LEN], why[ISO_NL_WHY];
	int r;

	if (!net->veth)
		return;
	net->veth = false;
	if (iso_nl_open(&nl, err)) {
		iso_msg("cannot delete the veth %s: %s", net->host_if, err);
		return;
	}
	r = iso_nl_del_link(&nl, net->host_if, why);
	if (r < 0 && r != -ENODEV) {
		iso_nl_seterr(err, r, why, "cannot delete the veth %s", net->host_if);
		iso_msg("%s", err);
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

void iso_net_wait_gone(const struct iso_net *net)
{
	struct iso_nl nl = { 0 }, ev = { 0 };
	char err[ISO_ERR_LEN], why[ISO_NL_WHY], buf[ISO_NL_BUF];
	long deadline = now_ms() + WAIT_GONE_MS, n;
	struct iso_net probe = *net;
	int r;

	if (!net->veth)
		return;
	/* Listen first, then look: a removal between the two is seen either way. */
	ev.sock = mnl_socket_open2(NETLINK_ROUTE, SOCK_CLOEXEC);
	if (!ev.sock || mnl_socket_bind(ev.sock, RTMGRP_LINK, MNL_SOCKET_AUTOPID) < 0 ||
	    iso_nl_open(&nl, err))
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
	iso_nl_close(&nl);
	if (!iso_nl_open(&nl, err)) {
		r = iso_nl_del_link(&nl, net->host_if, why);
		if (r == 0)
			iso_msg("%s outlived the container's network namespace: deleted it",
				net->host_if);
	}
out:
	iso_nl_close(&nl);
	iso_nl_close(&ev);
}

int iso_net_container_setup(const struct iso_net *net, char *err)
{
	struct iso_nl nl;
	char why[ISO_NL_WHY], c[INET_ADDRSTRLEN];
	int r;

	if (iso_nl_open(&nl, err))
		return -1;
	r = iso_nl_link_up(&nl, "lo", 0, why);
	if (r < 0) {
		iso_nl_close(&nl);
		return iso_nl_seterr(err, r, why, "cannot bring lo up");
	}
	iso_step("pid 1", "rtnetlink RTM_NEWLINK: lo up (127.0.0.1, in this network namespace)");
	if (net->veth) {
		inet_ntop(AF_INET, &net->cont_ip, c, sizeof(c));
		r = iso_nl_link_up(&nl, NULL, net->cont_index, why);
		if (r == 0)
			r = iso_nl_add_addr(&nl, net->cont_index, net->cont_ip, net->prefix, why);
		if (r < 0) {
			iso_nl_close(&nl);
			return iso_nl_seterr(err, r, why, "cannot add %s/%d to %s", c, net->prefix,
					 ISO_CONT_IF);
		}
		iso_step("pid 1", "rtnetlink RTM_NEWLINK + RTM_NEWADDR: %s (ifindex %d) up with "
			 "%s/%d; no default route: only the host end is reachable", ISO_CONT_IF,
			 net->cont_index, c, net->prefix);
	}
	iso_nl_close(&nl);
	return 0;
}
