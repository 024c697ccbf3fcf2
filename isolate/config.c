/* isolate/config.c: isolate's command line -> struct iso_config. */
#include "config.h"

#include <arpa/inet.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ISO_HOSTNAME_MAX 64 /* HOST_NAME_MAX: sethostname refuses longer names */

const char iso_usage[] =
	"Usage: isolate [OPTIONS] PROGRAM [ARGS...]\n"
	"Runs PROGRAM in new user, UTS, IPC, network, PID and mount namespaces, sharing the\n"
	"host's root filesystem; PROGRAM is PID 1 and uid 0 there (your own uid outside).\n"
	"\n"
	"  -n, --hostname NAME   the container's hostname (default: isolated)\n"
	"      --net MODE        auto (default): a veth pair to the host when isolate has\n"
	"                          CAP_NET_ADMIN, else loopback only, said in one line;\n"
	"                        veth: a veth pair or fail; none: loopback only\n"
	"      --net-addr HOST_IP/PREFIX,CONTAINER_IP\n"
	"                        the veth's addresses, e.g. 10.0.0.1/24,10.0.0.2 (default: the\n"
	"                          first free 10.11.N.0/24 from N=12: 10.11.N.13 on the host,\n"
	"                          10.11.N.14 in the container)\n"
	"      --wait-teardown   return only once the kernel has removed the veth pair\n"
	"                          (otherwise it goes away a few ms after isolate returns)\n"
	"  -v, --verbose         print each step as it happens\n"
	"  -h, --help            print this help and exit\n"
	"  -V, --version         print the version and exit\n"
	"\n"
	"Exit status: PROGRAM's own; 128+N if it died of signal N; 2 usage error;\n"
	"125 setup failed; 126 PROGRAM not executable; 127 PROGRAM not found.\n"
	"Signals sent to isolate (HUP INT QUIT USR1 USR2 ALRM TERM WINCH) are forwarded to\n"
	"PROGRAM; as PID 1 it only receives those it has a handler for. When it has none\n"
	"for SIGINT, a second SIGINT (Ctrl-C twice) kills the container.\n";

static int seterr(char *err, size_t len, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static int seterr(char *err, size_t len, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, len, fmt, ap);
	va_end(ap);
	return -1;
}

int iso_parse_net_addr(const char *s, struct in_addr *host, struct in_addr *cont, int *prefix,
		       char *err, size_t errlen)
{
	char hbuf[INET_ADDRSTRLEN], pbuf[4];
	const char *slash = strchr(s, '/'), *comma = strchr(s, ',');
	uint32_t h, c, mask;
	char *end;
	long p;

	if (!slash || !comma || comma < slash)
		return seterr(err, errlen, "--net-addr '%s': expected HOST_IP/PREFIX,CONTAINER_IP", s);
	if ((size_t)(slash - s) >= sizeof(hbuf) || (size_t)(comma - slash - 1) >= sizeof(pbuf) ||
	    comma == slash + 1)
		return seterr(err, errlen, "--net-addr '%s': expected HOST_IP/PREFIX,CONTAINER_IP", s);
	memcpy(hbuf, s, (size_t)(slash - s));
	hbuf[slash - s] = '\0';
	memcpy(pbuf, slash + 1, (size_t)(comma - slash - 1));
	pbuf[comma - slash - 1] = '\0';
	if (inet_pton(AF_INET, hbuf, host) != 1)
		return seterr(err, errlen, "--net-addr: '%s' is not an IPv4 address", hbuf);
	if (inet_pton(AF_INET, comma + 1, cont) != 1)
		return seterr(err, errlen, "--net-addr: '%s' is not an IPv4 address", comma + 1);
	p = strtol(pbuf, &end, 10);
	if (*end || pbuf[0] < '0' || pbuf[0] > '9' || p < 8 || p > 30)
		return seterr(err, errlen, "--net-addr: prefix '/%s' is not a number in 8..30", pbuf);
	*prefix = (int)p;
	h = ntohl(host->s_addr);
	c = ntohl(cont->s_addr);
	mask = ~0u << (32 - p);
	if ((h & mask) != (c & mask))
		return seterr(err, errlen, "--net-addr: %s and %s are not in one /%ld subnet",
			      hbuf, comma + 1, p);
	if (h == c)
		return seterr(err, errlen, "--net-addr: the host and container addresses are both %s",
			      hbuf);
	if ((h & ~mask) == 0 || (h & ~mask) == ~mask || (c & ~mask) == 0 || (c & ~mask) == ~mask)
		return seterr(err, errlen,
			      "--net-addr: %s: an address is the subnet's network or broadcast address",
			      s);
	if ((h >> 24) == 127 || (h >> 28) >= 14)
		return seterr(err, errlen,
			      "--net-addr: %s is a loopback, multicast or reserved address", hbuf);
	return 0;
}

static int parse_hostname(const char *s, char *err, size_t errlen)
{
	size_t n = strlen(s);

	if (n == 0 || n > ISO_HOSTNAME_MAX)
		return seterr(err, errlen, "--hostname: '%s' must have 1 to %d characters", s,
			      ISO_HOSTNAME_MAX);
	return 0;
}

enum iso_config_result iso_config_parse(int argc, char **argv, struct iso_config *cfg,
					char *err, size_t errlen)
{
	enum { OPT_NET = 256, OPT_NET_ADDR, OPT_WAIT_TEARDOWN };
	static const struct option longopts[] = {
		{ "hostname", required_argument, NULL, 'n' },
		{ "net", required_argument, NULL, OPT_NET },
		{ "net-addr", required_argument, NULL, OPT_NET_ADDR },
		{ "wait-teardown", no_argument, NULL, OPT_WAIT_TEARDOWN },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	bool net_set = false;
	int c;

	memset(cfg, 0, sizeof(*cfg));
	cfg->hostname = "isolated";
	cfg->net = ISO_NET_AUTO;
	err[0] = '\0';
	optind = 0; /* 0, not 1: also resets glibc's internal state */
	opterr = 0;
	/* "+": stop at the first non-option, PROGRAM; ":" tells a missing value from an
	 * unknown option. */
	while ((c = getopt_long(argc, argv, "+:n:vhV", longopts, NULL)) != -1) {
		switch (c) {
		case 'n':
			if (parse_hostname(optarg, err, errlen))
				return ISO_CONFIG_ERROR;
			cfg->hostname = optarg;
			break;
		case OPT_NET:
			if (!strcmp(optarg, "auto"))
				cfg->net = ISO_NET_AUTO;
			else if (!strcmp(optarg, "veth"))
				cfg->net = ISO_NET_VETH;
			else if (!strcmp(optarg, "none"))
				cfg->net = ISO_NET_NONE;
			else {
				seterr(err, errlen, "--net: unknown mode '%s' (auto, veth, none)", optarg);
				return ISO_CONFIG_ERROR;
			}
			net_set = true;
			break;
		case OPT_NET_ADDR:
			if (iso_parse_net_addr(optarg, &cfg->host_ip, &cfg->cont_ip, &cfg->prefix, err,
					       errlen))
				return ISO_CONFIG_ERROR;
			cfg->addr_set = true;
			break;
		case OPT_WAIT_TEARDOWN:
			cfg->wait_teardown = true;
			break;
		case 'v':
			cfg->verbose = true;
			break;
		case 'h':
			return ISO_CONFIG_HELP;
		case 'V':
			return ISO_CONFIG_VERSION;
		case ':':
			seterr(err, errlen, "option '%s' needs a value", argv[optind - 1]);
			return ISO_CONFIG_ERROR;
		default:
			if (optopt)
				seterr(err, errlen, "unknown option '-%c'", optopt);
			else
				seterr(err, errlen, "unknown option '%s'", argv[optind - 1]);
			return ISO_CONFIG_ERROR;
		}
	}
	if (cfg->addr_set) {
		/* --net-addr asks for a veth: an explicit --net none contradicts it */
		if (net_set && cfg->net == ISO_NET_NONE) {
			seterr(err, errlen, "--net-addr and --net none contradict each other");
			return ISO_CONFIG_ERROR;
		}
		cfg->net = ISO_NET_VETH;
	}
	if (optind >= argc) {
		seterr(err, errlen, "no PROGRAM given");
		return ISO_CONFIG_ERROR;
	}
	cfg->argv = argv + optind;
	return ISO_CONFIG_RUN;
}
