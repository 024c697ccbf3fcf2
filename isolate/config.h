/* isolate/config.h: isolate's command line, parsed into a plan (struct iso_config) before
 * anything runs. Pure: no namespaces, no syscalls beyond parsing; unit-tested. */
#ifndef ISO_CONFIG_H
#define ISO_CONFIG_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>

enum iso_net_mode {
	ISO_NET_AUTO, /* a veth pair when isolate may make one (CAP_NET_ADMIN), else loopback */
	ISO_NET_VETH, /* a veth pair, or fail */
	ISO_NET_NONE, /* loopback only */
};

struct iso_config {
	const char *hostname;     /* --hostname: the container's hostname ("isolated") */
	enum iso_net_mode net;    /* --net */
	bool addr_set;            /* --net-addr given: use host_ip/cont_ip, no subnet search */
	struct in_addr host_ip;   /* --net-addr: the host end's address */
	struct in_addr cont_ip;   /* --net-addr: the container end's address */
	int prefix;               /* --net-addr: the prefix length of both */
	bool wait_teardown;       /* --wait-teardown: return only once the veth is gone */
	bool verbose;             /* --verbose: print each step */
	char **argv;              /* PROGRAM and its arguments, NULL-terminated */
};

enum iso_config_result { ISO_CONFIG_RUN, ISO_CONFIG_HELP, ISO_CONFIG_VERSION, ISO_CONFIG_ERROR };

/* iso_config_parse: parses argv (argc entries) into cfg, defaults first. Options stop at
 * PROGRAM, so PROGRAM's own options stay its own. On ISO_CONFIG_ERROR, err (errlen bytes)
 * holds a one-line reason. Resets getopt, so it may be called more than once. */
enum iso_config_result iso_config_parse(int argc, char **argv, struct iso_config *cfg,
					char *err, size_t errlen);

/* iso_parse_net_addr: parses "HOST_IP/PREFIX,CONTAINER_IP" (PREFIX 8..30, both addresses
 * in one subnet, distinct, neither its network nor its broadcast address) into host,
 * cont and prefix. Returns 0, or -1 with a reason in err (errlen bytes). */
int iso_parse_net_addr(const char *s, struct in_addr *host, struct in_addr *cont, int *prefix,
		       char *err, size_t errlen);

/* iso_usage: the --help text. */
extern const char iso_usage[];

#endif
