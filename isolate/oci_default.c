/* SPDX-License-Identifier: MIT */
/* isolate/oci_default.c: `isolate spec` (a default config.json, as `runc spec` writes one,
 * and its --rootless variant) and `isolate features` (what this runtime supports). */
#include <fcntl.h>
#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "options.h" /* iso_cap_name */
#include "oci.h"
#include "oci_spec.h"
#include "base.h"

/* The default: a busybox-style shell in new pid, network, ipc, uts and mount namespaces, a
 * read-only root, a tmpfs /dev with devpts, shm and mqueue, a read-only sysfs, runc's
 * masked and read-only paths, and runc's three capabilities. Unlike runc's, "terminal" is
 * false (isolate relays no terminal itself: `run` would need --console-socket) and there
 * is no cgroup mount (isolate never touches cgroups here). */
static const char default_spec[] =
	"{\"ociVersion\": \"1.0.2\","
	" \"process\": {\"terminal\": false, \"user\": {\"uid\": 0, \"gid\": 0},"
	"  \"args\": [\"sh\"], \"env\": [\"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:"
	"/usr/bin:/sbin:/bin\", \"TERM=xterm\"], \"cwd\": \"/\","
	"  \"capabilities\": {\"bounding\": [\"CAP_AUDIT_WRITE\", \"CAP_KILL\","
	"   \"CAP_NET_BIND_SERVICE\"], \"effective\": [\"CAP_AUDIT_WRITE\", \"CAP_KILL\","
	"   \"CAP_NET_BIND_SERVICE\"], \"permitted\": [\"CAP_AUDIT_WRITE\", \"CAP_KILL\","
	"   \"CAP_NET_BIND_SERVICE\"], \"ambient\": [\"CAP_AUDIT_WRITE\", \"CAP_KILL\","
	"   \"CAP_NET_BIND_SERVICE\"]},"
	"  \"rlimits\": [{\"type\": \"RLIMIT_NOFILE\", \"hard\": 1024, \"soft\": 1024}],"
	"  \"noNewPrivileges\": true},"
	" \"root\": {\"path\": \"rootfs\", \"readonly\": true},"
	" \"hostname\": \"isolate\","
	" \"mounts\": ["
	"  {\"destination\": \"/proc\", \"type\": \"proc\", \"source\": \"proc\"},"
	"  {\"destination\": \"/dev\", \"type\": \"tmpfs\", \"source\": \"tmpfs\","
	"   \"options\": [\"nosuid\", \"strictatime\", \"mode=755\", \"size=65536k\"]},"
	"  {\"destination\": \"/dev/pts\", \"type\": \"devpts\", \"source\": \"devpts\","
	"   \"options\": [\"nosuid\", \"noexec\", \"newinstance\", \"ptmxmode=0666\","
	"   \"mode=0620\", \"gid=5\"]},"
	"  {\"destination\": \"/dev/shm\", \"type\": \"tmpfs\", \"source\": \"shm\","
	"   \"options\": [\"nosuid\", \"noexec\", \"nodev\", \"mode=1777\", \"size=65536k\"]},"
	"  {\"destination\": \"/dev/mqueue\", \"type\": \"mqueue\", \"source\": \"mqueue\","
	"   \"options\": [\"nosuid\", \"noexec\", \"nodev\"]},"
	"  {\"destination\": \"/sys\", \"type\": \"sysfs\", \"source\": \"sysfs\","
	"   \"options\": [\"nosuid\", \"noexec\", \"nodev\", \"ro\"]}],"
	" \"linux\": {"
	"  \"namespaces\": [{\"type\": \"pid\"}, {\"type\": \"network\"}, {\"type\": \"ipc\"},"
	"   {\"type\": \"uts\"}, {\"type\": \"mount\"}],"
	"  \"maskedPaths\": [\"/proc/acpi\", \"/proc/asound\", \"/proc/kcore\", \"/proc/keys\","
	"   \"/proc/latency_stats\", \"/proc/timer_list\", \"/proc/timer_stats\","
	"   \"/proc/sched_debug\", \"/sys/firmware\", \"/proc/scsi\"],"
	"  \"readonlyPaths\": [\"/proc/bus\", \"/proc/fs\", \"/proc/irq\", \"/proc/sys\","
	"   \"/proc/sysrq-trigger\"]}}";

/* --rootless: runc's changes: a user namespace mapping the caller's ids to 0, no network
 * namespace (so the host's /sys is bound, read-only, instead of a new sysfs) and no gid=5
 * for devpts (gid 5 is not mapped). */
static void make_rootless(json_t *spec)
{
	json_t *linux = json_object_get(spec, "linux");
	json_t *ns = json_object_get(linux, "namespaces"),
	       *mounts = json_object_get(spec, "mounts");
	size_t i;
	json_t *v;

	json_array_foreach(ns, i,
			   v) if (!strcmp(json_string_value(json_object_get(v, "type")), "network"))
	{
		json_array_remove(ns, i);
		break;
	}
	json_array_append_new(ns, json_pack("{s:s}", "type", "user"));
	json_object_set_new(linux, "uidMappings",
			    json_pack("[{s:i, s:I, s:i}]", "containerID", 0, "hostID",
				      (json_int_t)getuid(), "size", 1));
	json_object_set_new(linux, "gidMappings",
			    json_pack("[{s:i, s:I, s:i}]", "containerID", 0, "hostID",
				      (json_int_t)getgid(), "size", 1));
	json_array_foreach(mounts, i, v)
	{
		const char *dest = json_string_value(json_object_get(v, "destination"));

		if (!strcmp(dest, "/sys")) {
			json_array_set_new(mounts, i,
					   json_pack("{s:s, s:s, s:s, s:[s, s, s, s, s]}",
						     "destination", "/sys", "type", "none",
						     "source", "/sys", "options", "rbind", "nosuid",
						     "noexec", "nodev", "ro"));
		} else if (!strcmp(dest, "/dev/pts")) {
			json_t *opts = json_object_get(v, "options");
			size_t k;
			json_t *o;

			json_array_foreach(opts, k, o) if (!strcmp(json_string_value(o), "gid=5"))
			{
				json_array_remove(opts, k);
				break;
			}
		}
	}
}

int oci_cmd_spec(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "bundle", required_argument, NULL, 'b' },
		{ "rootless", no_argument, NULL, 'r' },
		{ NULL, 0, NULL, 0 },
	};
	const char *bundle = ".";
	bool rootless = false;
	cleanup_free char *text = NULL;
	cleanup_fd int dir = -1, fd = -1;
	json_error_t je;
	json_t *spec;
	int c;

	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "+b:", opts, NULL)) != -1) {
		if (c == 'b')
			bundle = optarg;
		else if (c == 'r')
			rootless = true;
		else
			return oci_fail("spec: unknown option %s (--bundle DIR, --rootless)",
					argv[optind - 1]);
	}
	if (optind < argc)
		return oci_fail("spec: unexpected argument '%s'", argv[optind]);
	spec = json_loads(default_spec, 0, &je);
	if (!spec)
		return oci_fail("spec: the built-in config: %s", je.text); /* cannot happen */
	if (rootless)
		make_rootless(spec);
	text = json_dumps(spec, JSON_INDENT(8) | JSON_PRESERVE_ORDER);
	json_decref(spec);
	dir = (int)RETRY_EINTR(open(bundle, O_PATH | O_DIRECTORY | O_CLOEXEC));
	if (dir < 0)
		return oci_fail("spec: --bundle %s: %s", bundle, strerror(errno));
	fd = (int)RETRY_EINTR(
		openat(dir, "config.json", O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644));
	if (fd < 0)
		return oci_fail("spec: %s/config.json: %s", bundle,
				errno == EEXIST ? "exists already (remove it first)"
						: strerror(errno));
	if (dprintf(fd, "%s\n", text) < 0)
		return oci_fail("spec: %s/config.json: %s", bundle, strerror(errno));
	return OCI_OK;
}

int oci_cmd_features(int argc, char **argv)
{
	static const char *const mount_opts[] = {
		"async",      "atime",     "bind",       "defaults",      "dev",
		"diratime",   "dirsync",   "exec",       "lazytime",      "loud",
		"mand",       "noatime",   "nodev",      "nodiratime",    "noexec",
		"nolazytime", "nomand",    "norelatime", "nostrictatime", "nosuid",
		"private",    "rbind",     "relatime",   "remount",       "ro",
		"rprivate",   "rshared",   "rslave",     "runbindable",   "rw",
		"shared",     "silent",    "slave",      "strictatime",   "suid",
		"sync",       "tmpcopyup", "unbindable",
	};
	json_t *f, *caps = json_array(), *mo = json_array(), *ns = json_array(),
		   *hooks = json_array(), *acts = json_array();
	cleanup_free char *text = NULL;

	(void)argv;
	if (argc > 1)
		return oci_fail("features: unexpected argument '%s'", argv[1]);
	for (int c = 0; iso_cap_name(c); c++)
		json_array_append_new(caps, json_string(iso_cap_name(c)));
	for (size_t i = 0; i < ARRAY_SIZE(mount_opts); i++)
		json_array_append_new(mo, json_string(mount_opts[i]));
	for (int n = 0; oci_ns_name((enum oci_ns)n); n++)
		json_array_append_new(ns, json_string(oci_ns_name((enum oci_ns)n)));
	for (int k = 0; oci_hook_name((enum oci_hook_kind)k); k++)
		json_array_append_new(hooks, json_string(oci_hook_name((enum oci_hook_kind)k)));
	for (int a = 0; oci_scmp_act_name((enum oci_scmp_act)a); a++)
		json_array_append_new(acts, json_string(oci_scmp_act_name((enum oci_scmp_act)a)));
	json_array_append_new(acts, json_string("SCMP_ACT_KILL"));
	f = json_pack("{s:s, s:s, s:o, s:o, s:{s:o, s:o, s:{s:b, s:b, s:b}, s:{s:b, s:o, s:[s, s, "
		      "s, s, s, s, s], s:[s, s, s]}, s:{s:b}, s:{s:b}}, s:{s:s}}",
		      "ociVersionMin", "1.0.0", "ociVersionMax", "1.1.0", "hooks", hooks,
		      "mountOptions", mo, "linux", "namespaces", ns, "capabilities", caps, "cgroup",
		      "v1", false, "v2", true, "systemd", false, "seccomp", "enabled", true,
		      "actions", acts, "operators", "SCMP_CMP_NE", "SCMP_CMP_LT", "SCMP_CMP_LE",
		      "SCMP_CMP_EQ", "SCMP_CMP_GE", "SCMP_CMP_GT", "SCMP_CMP_MASKED_EQ", "archs",
		      "SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32", "apparmor", "enabled",
		      false, "selinux", "enabled", false, "annotations",
		      "org.minivirt.isolate.version", MINIVIRT_VERSION);
	text = f ? json_dumps(f, JSON_INDENT(4) | JSON_PRESERVE_ORDER) : NULL;
	json_decref(f);
	if (!text)
		return oci_fail("features: out of memory");
	printf("%s\n", text);
	return OCI_OK;
}
