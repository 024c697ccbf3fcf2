/* SPDX-License-Identifier: MIT */
/* tests/unit/unit_isooci.c: the OCI config.json parser (isolate/oci_spec.c): every field it
 * reads, and for each bad value the one line that names the field. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/resource.h>

#include "../../isolate/oci_spec.h"

static struct mv_err err;

/* A whole config: every field this runtime reads. */
static const char full[] =
	"{\"ociVersion\": \"1.0.2\","
	" \"root\": {\"path\": \"rootfs\", \"readonly\": true},"
	" \"hostname\": \"box\","
	" \"process\": {\"terminal\": true, \"consoleSize\": {\"height\": 25, \"width\": 80},"
	"   \"user\": {\"uid\": 1000, \"gid\": 100, \"umask\": 18, \"additionalGids\": [5, 6]},"
	"   \"args\": [\"sh\", \"-c\", \"true\"], \"env\": [\"PATH=/bin\", \"A=b=c\"],"
	"   \"cwd\": \"/tmp\","
	"   \"rlimits\": [{\"type\": \"RLIMIT_NOFILE\", \"hard\": 1024, \"soft\": 512}],"
	"   \"capabilities\": {\"bounding\": [\"CAP_KILL\", \"CAP_CHOWN\"],"
	"     \"effective\": [\"CAP_KILL\"], \"permitted\": [\"CAP_KILL\"],"
	"     \"inheritable\": [], \"ambient\": [\"CAP_KILL\"]},"
	"   \"noNewPrivileges\": true, \"oomScoreAdj\": -17},"
	" \"mounts\": [{\"destination\": \"/proc\", \"type\": \"proc\", \"source\": \"proc\"},"
	"   {\"destination\": \"/dev\", \"type\": \"tmpfs\", \"source\": \"tmpfs\","
	"    \"options\": [\"nosuid\", \"strictatime\", \"mode=755\", \"size=65536k\"]},"
	"   {\"destination\": \"/data\", \"source\": \"/srv\","
	"    \"options\": [\"rbind\", \"ro\", \"rslave\", \"rw\", \"nodev\"]}],"
	" \"linux\": {\"namespaces\": [{\"type\": \"pid\"}, {\"type\": \"network\","
	"    \"path\": \"/run/netns/x\"}, {\"type\": \"mount\"}, {\"type\": \"uts\"},"
	"    {\"type\": \"user\"}],"
	"   \"uidMappings\": [{\"containerID\": 0, \"hostID\": 100000, \"size\": 65536}],"
	"   \"gidMappings\": [{\"containerID\": 0, \"hostID\": 200000, \"size\": 1}],"
	"   \"maskedPaths\": [\"/proc/kcore\"], \"readonlyPaths\": [\"/proc/sys\", \"/sys\"],"
	"   \"devices\": [{\"path\": \"/dev/fuse\", \"type\": \"c\", \"major\": 10,"
	"     \"minor\": 229, \"fileMode\": 438, \"uid\": 0, \"gid\": 0},"
	"     {\"path\": \"/dev/p\", \"type\": \"p\"}],"
	"   \"sysctl\": {\"net.ipv4.ip_forward\": \"1\"},"
	"   \"rootfsPropagation\": \"rslave\","
	"   \"resources\": {\"memory\": {\"limit\": 1000000}},"
	"   \"seccomp\": {\"defaultAction\": \"SCMP_ACT_ALLOW\", \"defaultErrnoRet\": 1,"
	"     \"architectures\": [\"SCMP_ARCH_X86_64\"],"
	"     \"syscalls\": [{\"names\": [\"mkdir\", \"chdir\"], \"action\": \"SCMP_ACT_ERRNO\","
	"       \"errnoRet\": 13, \"args\": [{\"index\": 1, \"value\": 448, \"valueTwo\": 0,"
	"       \"op\": \"SCMP_CMP_EQ\"}]},"
	"      {\"names\": [\"kill\"], \"action\": \"SCMP_ACT_KILL\"}]}},"
	" \"hooks\": {\"prestart\": [{\"path\": \"/bin/true\", \"args\": [\"true\", \"x\"],"
	"   \"env\": [\"K=V\"], \"timeout\": 5}], \"poststop\": [{\"path\": \"/bin/false\"}]},"
	" \"annotations\": {\"org.example.key\": \"value\"},"
	" \"unknownField\": {\"ignored\": true}}";

static void test_full(void **state)
{
	struct oci_spec s;
	const struct oci_process *p = &s.process;

	(void)state;
	assert_int_equal(oci_spec_parse(full, strlen(full), &s, &err), 0);
	assert_string_equal(s.version, "1.0.2");
	assert_string_equal(s.root, "rootfs");
	assert_true(s.root_readonly);
	assert_string_equal(s.hostname, "box");
	assert_true(s.has_process);
	assert_true(p->terminal);
	assert_int_equal(p->cons_height, 25);
	assert_int_equal(p->cons_width, 80);
	assert_int_equal(p->uid, 1000);
	assert_int_equal(p->gid, 100);
	assert_int_equal(p->umask, 18);
	assert_int_equal(p->n_gids, 2);
	assert_int_equal(p->gids[1], 6);
	assert_string_equal(p->args[0], "sh");
	assert_string_equal(p->args[2], "true");
	assert_null(p->args[3]);
	assert_string_equal(p->env[1], "A=b=c");
	assert_null(p->env[2]);
	assert_string_equal(p->cwd, "/tmp");
	assert_int_equal(p->n_rlimits, 1);
	assert_int_equal(p->rlimits[0].resource, RLIMIT_NOFILE);
	assert_int_equal(p->rlimits[0].soft, 512);
	assert_int_equal(p->rlimits[0].hard, 1024);
	assert_true(p->caps_set);
	assert_int_equal(p->caps[OCI_CAP_BOUNDING], (1ull << 5) | 1ull);
	assert_int_equal(p->caps[OCI_CAP_EFFECTIVE], 1ull << 5);
	assert_int_equal(p->caps[OCI_CAP_INHERITABLE], 0);
	assert_int_equal(p->caps[OCI_CAP_AMBIENT], 1ull << 5);
	assert_true(p->no_new_privs);
	assert_true(p->has_oom_score);
	assert_int_equal(p->oom_score_adj, -17);

	assert_int_equal(s.n_mounts, 3);
	assert_string_equal(s.mounts[0].type, "proc");
	assert_false(s.mounts[0].bind);
	assert_string_equal(s.mounts[0].data, "");
	assert_int_equal(s.mounts[1].flags, MS_NOSUID | MS_STRICTATIME);
	assert_string_equal(s.mounts[1].data, "mode=755,size=65536k");
	assert_true(s.mounts[2].bind);
	assert_true(s.mounts[2].recursive);
	assert_null(s.mounts[2].type);
	assert_string_equal(s.mounts[2].source, "/srv");
	assert_int_equal(s.mounts[2].flags, MS_NODEV); /* "rw" cleared "ro" */
	assert_int_equal(s.mounts[2].propagation, MS_SLAVE | MS_REC);

	assert_true(s.ns[OCI_NS_PID].set);
	assert_null(s.ns[OCI_NS_PID].path);
	assert_string_equal(s.ns[OCI_NS_NET].path, "/run/netns/x");
	assert_false(s.ns[OCI_NS_IPC].set);
	assert_false(s.ns[OCI_NS_CGROUP].set);
	assert_true(s.ns[OCI_NS_USER].set);
	assert_int_equal(s.n_uid_maps, 1);
	assert_int_equal(s.uid_maps[0].host, 100000);
	assert_int_equal(s.uid_maps[0].size, 65536);
	assert_int_equal(s.gid_maps[0].host, 200000);
	assert_string_equal(s.masked[0], "/proc/kcore");
	assert_null(s.masked[1]);
	assert_string_equal(s.readonly[1], "/sys");
	assert_int_equal(s.n_devices, 2);
	assert_int_equal(s.devices[0].type, 'c');
	assert_int_equal(s.devices[0].major, 10);
	assert_int_equal(s.devices[0].minor, 229);
	assert_int_equal(s.devices[0].mode, 0666);
	assert_int_equal(s.devices[1].type, 'p');
	assert_int_equal(s.n_sysctl, 1);
	assert_string_equal(s.sysctl[0].key, "net.ipv4.ip_forward");
	assert_string_equal(s.sysctl[0].value, "1");
	assert_int_equal(s.rootfs_propagation, MS_SLAVE | MS_REC);
	assert_true(s.resources.set);
	assert_int_equal(s.resources.n, 1);
	assert_string_equal(s.resources.w[0].file, "memory.max");
	assert_string_equal(s.resources.w[0].value, "1000000");
	assert_string_equal(s.resources.ignored, "");

	assert_true(s.seccomp.set);
	assert_int_equal(s.seccomp.default_action, OCI_ACT_ALLOW);
	assert_int_equal(s.seccomp.default_errno, 1);
	assert_string_equal(s.seccomp.archs[0], "SCMP_ARCH_X86_64");
	assert_int_equal(s.seccomp.n_rules, 2);
	assert_string_equal(s.seccomp.rules[0].names[1], "chdir");
	assert_int_equal(s.seccomp.rules[0].action, OCI_ACT_ERRNO);
	assert_int_equal(s.seccomp.rules[0].errno_ret, 13);
	assert_int_equal(s.seccomp.rules[0].n_args, 1);
	assert_int_equal(s.seccomp.rules[0].args[0].index, 1);
	assert_int_equal(s.seccomp.rules[0].args[0].value, 448);
	assert_int_equal(s.seccomp.rules[0].args[0].op, OCI_CMP_EQ);
	assert_int_equal(s.seccomp.rules[1].action, OCI_ACT_KILL_THREAD);
	assert_int_equal(s.seccomp.rules[1].errno_ret, EPERM);

	assert_int_equal(s.n_hooks[OCI_HOOK_PRESTART], 1);
	assert_string_equal(s.hooks[OCI_HOOK_PRESTART][0].path, "/bin/true");
	assert_string_equal(s.hooks[OCI_HOOK_PRESTART][0].args[1], "x");
	assert_string_equal(s.hooks[OCI_HOOK_PRESTART][0].env[0], "K=V");
	assert_int_equal(s.hooks[OCI_HOOK_PRESTART][0].timeout, 5);
	assert_int_equal(s.n_hooks[OCI_HOOK_POSTSTOP], 1);
	assert_null(s.hooks[OCI_HOOK_POSTSTOP][0].args);
	assert_int_equal(s.n_hooks[OCI_HOOK_POSTSTART], 0);
	assert_int_equal(s.n_annotations, 1);
	assert_string_equal(s.annotations[0].key, "org.example.key");
	oci_spec_free(&s);
	assert_null(s.json);
}

static void test_minimal(void **state)
{
	static const char min[] = "{\"ociVersion\": \"1.1.0\", \"root\": {\"path\": \"/r\"}}";
	struct oci_spec s;

	(void)state;
	assert_int_equal(oci_spec_parse(min, strlen(min), &s, &err), 0);
	assert_false(s.has_process);
	assert_false(s.root_readonly);
	assert_null(s.hostname);
	assert_int_equal(s.n_mounts, 0);
	assert_false(s.seccomp.set);
	for (int n = 0; n < OCI_NS_COUNT; n++)
		assert_false(s.ns[n].set);
	oci_spec_free(&s);
}

/* A config with one field replaced: "{...}" made from a base and a fragment. */
#define BASE_HEAD "{\"ociVersion\": \"1.0.2\", \"root\": {\"path\": \"rootfs\"},"
#define PROC(user, rest)                                         \
	"\"process\": {\"user\": " user ", \"args\": [\"sh\"], " \
	"\"cwd\": \"/\"" rest "}"
#define GOOD_PROC PROC("{\"uid\": 0, \"gid\": 0}", "")

/* linux.resources -> the cgroup v2 files, as runc converts them. */
static void test_resources(void **unused)
{
	static const char text[] = BASE_HEAD
		"\"linux\": {\"resources\": {"
		"\"memory\": {\"limit\": 67108864, \"reservation\": -1, \"swap\": 100663296,"
		"  \"swappiness\": 10, \"kernel\": null},"
		"\"cpu\": {\"shares\": 1024, \"quota\": 50000, \"period\": 100000, \"cpus\": \"0\"},"
		"\"pids\": {\"limit\": 20},"
		"\"devices\": [{\"allow\": false, \"access\": \"rwm\"}], \"blockIO\": {},"
		"\"unified\": {\"io.weight\": \"50\"}}}}";
	static const char *const want[][2] = {
		{ "memory.max", "67108864" },      { "memory.low", "max" },
		{ "memory.swap.max", "33554432" }, { "cpu.weight", "39" },
		{ "cpu.max", "50000 100000" },     { "pids.max", "20" },
	};
	struct oci_spec s;

	(void)unused;
	assert_int_equal(oci_spec_parse(text, sizeof(text) - 1, &s, &err), 0);
	assert_true(s.resources.set);
	assert_int_equal(s.resources.n, 6);
	for (size_t i = 0; i < 6; i++) {
		assert_string_equal(s.resources.w[i].file, want[i][0]);
		assert_string_equal(s.resources.w[i].value, want[i][1]);
	}
	assert_string_equal(s.resources.ignored, "memory.swappiness, cpu.cpus, devices, unified");
	oci_spec_free(&s);
	/* the edges: unlimited, no quota with a period, the least and most shares */
	static const char edges[] =
		BASE_HEAD "\"linux\": {\"resources\": {\"memory\": {\"limit\": -1, \"swap\": -1},"
			  "\"cpu\": {\"shares\": 2, \"quota\": -1, \"period\": 250000},"
			  "\"pids\": {\"limit\": 0}}}}";
	static const char *const want2[][2] = {
		{ "memory.max", "max" },     { "memory.swap.max", "max" }, { "cpu.weight", "1" },
		{ "cpu.max", "max 250000" }, { "pids.max", "max" },
	};
	assert_int_equal(oci_spec_parse(edges, sizeof(edges) - 1, &s, &err), 0);
	assert_int_equal(s.resources.n, 5);
	for (size_t i = 0; i < 5; i++) {
		assert_string_equal(s.resources.w[i].file, want2[i][0]);
		assert_string_equal(s.resources.w[i].value, want2[i][1]);
	}
	oci_spec_free(&s);
	static const char most[] =
		BASE_HEAD "\"linux\": {\"resources\": {\"cpu\": {\"shares\": 262144}}}}";
	assert_int_equal(oci_spec_parse(most, sizeof(most) - 1, &s, &err), 0);
	assert_string_equal(s.resources.w[0].value, "10000");
	oci_spec_free(&s);
}

static const struct {
	const char *json;
	const char *want; /* the error line, exactly */
} bad[] = {
	{ "{\"ociVersion\": ", "not valid JSON: line 1, column 15: unexpected token near end "
			       "of file" },
	{ "[1]", "must be a JSON object, not an array" },
	{ "{\"root\": {\"path\": \"r\"}}", "ociVersion: missing" },
	{ "{\"ociVersion\": \"2.0\", \"root\": {\"path\": \"r\"}}",
	  "ociVersion: '2.0' is not a 1.x version" },
	{ "{\"ociVersion\": \"1.0\"}", "root: missing" },
	{ "{\"ociVersion\": \"1.0\", \"root\": {\"path\": 5}}",
	  "root.path: must be a string, not an integer" },
	{ "{\"ociVersion\": \"1.0\", \"root\": {\"path\": \"\"}}", "root.path: empty" },
	{ BASE_HEAD "\"ociVersion\": \"1.0\"}", "not valid JSON: line 1, column 63: duplicate "
						"object key near '\"ociVersion\"'" },
	{ "{\"ociVersion\": \"1.0\", \"root\": {\"path\": \"r\", \"readonly\": \"yes\"}}",
	  "root.readonly: must be a boolean, not a string" },
	{ BASE_HEAD PROC("{\"uid\": -1, \"gid\": 0}", "") "}",
	  "process.user.uid: -1 is out of range (0..4294967294)" },
	{ BASE_HEAD PROC("{\"gid\": 0}", "") "}", "process.user.uid: missing" },
	{ BASE_HEAD PROC("{\"uid\": 0, \"gid\": \"0\"}", "") "}",
	  "process.user.gid: must be an integer, not a string" },
	{ BASE_HEAD PROC("{\"uid\": 0, \"gid\": 0, \"umask\": 512}", "") "}",
	  "process.user.umask: 512 is out of range (0..511)" },
	{ BASE_HEAD PROC("{\"uid\": 0, \"gid\": 0, \"additionalGids\": [1, \"x\"]}", "") "}",
	  "process.user.additionalGids[1]: must be an integer, not a string" },
	{ BASE_HEAD "\"process\": {\"user\": {\"uid\": 0, \"gid\": 0}, \"args\": [], "
		    "\"cwd\": \"/\"}}",
	  "process.args: empty: at least the program to run" },
	{ BASE_HEAD "\"process\": {\"user\": {\"uid\": 0, \"gid\": 0}, \"cwd\": \"/\"}}",
	  "process.args: missing" },
	{ BASE_HEAD PROC("{\"uid\": 0, \"gid\": 0}", ", \"env\": [\"NOEQUALS\"]") "}",
	  "process.env[0]: 'NOEQUALS' is not NAME=VALUE" },
	{ BASE_HEAD "\"process\": {\"user\": {\"uid\": 0, \"gid\": 0}, \"args\": [\"sh\"], "
		    "\"cwd\": \"tmp\"}}",
	  "process.cwd: 'tmp' is not an absolute path" },
	{ BASE_HEAD PROC("{\"uid\": 0, \"gid\": 0}", ", \"terminal\": 1") "}",
	  "process.terminal: must be a boolean, not an integer" },
	{ BASE_HEAD PROC("{\"uid\": 0, \"gid\": 0}", ", \"consoleSize\": {\"height\": 2}") "}",
	  "process.consoleSize.width: missing" },
	{ BASE_HEAD PROC("{\"uid\": 0, \"gid\": 0}",
			 ", \"rlimits\": [{\"type\": "
			 "\"RLIMIT_FOO\", \"soft\": 1, \"hard\": 1}]") "}",
	  "process.rlimits[0].type: unknown rlimit 'RLIMIT_FOO'" },
	{ BASE_HEAD PROC("{\"uid\": 0, \"gid\": 0}",
			 ", \"rlimits\": [{\"type\": "
			 "\"RLIMIT_CPU\", \"soft\": 2, \"hard\": 1}]") "}",
	  "process.rlimits[0].soft: 2 is above hard (1)" },
	{ BASE_HEAD PROC("{\"uid\": 0, \"gid\": 0}", ", \"rlimits\": [{\"type\": "
						     "\"RLIMIT_CPU\", \"soft\": 1}]") "}",
	  "process.rlimits[0].hard: missing" },
	{ BASE_HEAD PROC("{\"uid\": 0, \"gid\": 0}", ", \"capabilities\": {\"effective\": "
						     "[\"CAP_KILL\", \"CAP_FLY\"]}") "}",
	  "process.capabilities.effective[1]: unknown capability 'CAP_FLY'" },
	{ BASE_HEAD PROC("{\"uid\": 0, \"gid\": 0}", ", \"noNewPrivileges\": \"true\"") "}",
	  "process.noNewPrivileges: must be a boolean, not a string" },
	{ BASE_HEAD PROC("{\"uid\": 0, \"gid\": 0}", ", \"oomScoreAdj\": 1001") "}",
	  "process.oomScoreAdj: 1001 is out of range (-1000..1000)" },
	{ BASE_HEAD "\"hostname\": \"h\"}", "hostname: set without a new uts namespace" },
	{ BASE_HEAD "\"mounts\": [{\"destination\": \"proc\", \"type\": \"proc\"}]}",
	  "mounts[0].destination: 'proc' is not an absolute path" },
	{ BASE_HEAD "\"mounts\": [{\"destination\": \"/x\"}]}",
	  "mounts[0].type: missing (and no bind option)" },
	{ BASE_HEAD "\"mounts\": [{\"destination\": \"/x\", \"options\": [\"bind\"]}]}",
	  "mounts[0].source: missing for a bind mount" },
	{ BASE_HEAD "\"mounts\": [{\"destination\": \"/x\", \"type\": \"tmpfs\", \"options\": "
		    "[\"ro\", 7]}]}",
	  "mounts[0].options[1]: must be a string, not an integer" },
	{ BASE_HEAD "\"mounts\": [{\"destination\": \"/x\", \"type\": \"bind\", \"source\": "
		    "\"/y\", \"options\": [\"idmap\"]}]}",
	  "mounts[0].options[0]: 'idmap' (id-mapped mounts) is not supported by isolate" },
	{ BASE_HEAD "\"linux\": {\"namespaces\": [{\"type\": \"pid\"}, {\"type\": \"bogus\"}]}}",
	  "linux.namespaces[1].type: unknown namespace type 'bogus' (user, pid, network, ipc, "
	  "uts, mount, cgroup)" },
	{ BASE_HEAD "\"linux\": {\"namespaces\": [{\"type\": \"pid\"}, {\"type\": \"pid\"}]}}",
	  "linux.namespaces[1].type: 'pid' given twice" },
	{ BASE_HEAD "\"linux\": {\"namespaces\": [{\"type\": \"time\"}]}}",
	  "linux.namespaces[0].type: 'time' namespaces are not supported by isolate" },
	{ BASE_HEAD "\"linux\": {\"namespaces\": [{\"type\": \"net\"}]}}",
	  "linux.namespaces[0].type: unknown namespace type 'net' (user, pid, network, ipc, uts, "
	  "mount, cgroup)" },
	{ BASE_HEAD "\"linux\": {\"namespaces\": [{\"type\": \"network\", \"path\": \"x\"}]}}",
	  "linux.namespaces[0].path: 'x' is not an absolute path" },
	{ BASE_HEAD "\"linux\": {\"namespaces\": [{\"type\": \"user\"}], \"uidMappings\": "
		    "[{\"containerID\": 0, \"hostID\": 1000, \"size\": 0}]}}",
	  "linux.uidMappings[0].size: 0 is out of range (1..4294967295)" },
	{ BASE_HEAD "\"linux\": {\"namespaces\": [{\"type\": \"user\"}], \"uidMappings\": "
		    "[{\"containerID\": 0, \"hostID\": 1000, \"size\": 1}]}}",
	  "linux.gidMappings: missing: a new user namespace needs both maps" },
	{ BASE_HEAD "\"linux\": {\"uidMappings\": [{\"containerID\": 0, \"hostID\": 1000, "
		    "\"size\": 1}]}}",
	  "linux.uidMappings: given without a user namespace" },
	{ BASE_HEAD "\"linux\": {\"namespaces\": [{\"type\": \"user\"}], \"uidMappings\": "
		    "[{\"hostID\": 1000, \"size\": 1}], \"gidMappings\": []}}",
	  "linux.uidMappings[0].containerID: missing" },
	{ BASE_HEAD "\"linux\": {\"maskedPaths\": [\"/a\", \"b\"]}}",
	  "linux.maskedPaths[1]: 'b' is not an absolute path" },
	{ BASE_HEAD "\"linux\": {\"readonlyPaths\": \"/a\"}}",
	  "linux.readonlyPaths: must be an array, not a string" },
	{ BASE_HEAD "\"linux\": {\"devices\": [{\"path\": \"/dev/x\", \"type\": \"q\"}]}}",
	  "linux.devices[0].type: 'q' is not c, b, u or p" },
	{ BASE_HEAD "\"linux\": {\"devices\": [{\"path\": \"/dev/x\", \"type\": \"c\", "
		    "\"major\": 1}]}}",
	  "linux.devices[0].minor: missing" },
	{ BASE_HEAD "\"linux\": {\"sysctl\": {\"kernel.x\": 1}}}",
	  "linux.sysctl.kernel.x: must be a string, not an integer" },
	{ BASE_HEAD "\"linux\": {\"rootfsPropagation\": \"sideways\"}}",
	  "linux.rootfsPropagation: unknown propagation 'sideways'" },
	{ BASE_HEAD "\"linux\": {\"seccomp\": {\"defaultAction\": \"SCMP_ACT_MAYBE\"}}}",
	  "linux.seccomp.defaultAction: unknown action 'SCMP_ACT_MAYBE'" },
	{ BASE_HEAD "\"linux\": {\"seccomp\": {\"defaultAction\": \"SCMP_ACT_NOTIFY\"}}}",
	  "linux.seccomp.defaultAction: SCMP_ACT_NOTIFY (a seccomp agent) is not supported by "
	  "isolate" },
	{ BASE_HEAD "\"linux\": {\"seccomp\": {\"defaultAction\": \"SCMP_ACT_ALLOW\", "
		    "\"architectures\": [\"x86_64\"]}}}",
	  "linux.seccomp.architectures[0]: 'x86_64' is not an SCMP_ARCH_ name" },
	{ BASE_HEAD "\"linux\": {\"seccomp\": {\"defaultAction\": \"SCMP_ACT_ALLOW\", "
		    "\"syscalls\": [{\"names\": [], \"action\": \"SCMP_ACT_ERRNO\"}]}}}",
	  "linux.seccomp.syscalls[0].names: empty" },
	{ BASE_HEAD
	  "\"linux\": {\"seccomp\": {\"defaultAction\": \"SCMP_ACT_ALLOW\", "
	  "\"syscalls\": [{\"names\": [\"read\"], \"action\": \"SCMP_ACT_ERRNO\", \"args\": "
	  "[{\"index\": 6, \"value\": 1, \"op\": \"SCMP_CMP_EQ\"}]}]}}}",
	  "linux.seccomp.syscalls[0].args[0].index: 6 is out of range (0..5)" },
	{ BASE_HEAD
	  "\"linux\": {\"seccomp\": {\"defaultAction\": \"SCMP_ACT_ALLOW\", "
	  "\"syscalls\": [{\"names\": [\"read\"], \"action\": \"SCMP_ACT_ERRNO\", \"args\": "
	  "[{\"index\": 0, \"value\": 1, \"op\": \"SCMP_CMP_ABOUT\"}]}]}}}",
	  "linux.seccomp.syscalls[0].args[0].op: unknown comparison 'SCMP_CMP_ABOUT'" },
	{ BASE_HEAD "\"hooks\": {\"prestart\": [{\"path\": \"hook\"}]}}",
	  "hooks.prestart[0]: 'hook' is not an absolute path" },
	{ BASE_HEAD "\"hooks\": {\"poststop\": [{\"path\": \"/h\", \"timeout\": 0}]}}",
	  "hooks.poststop[0].timeout: 0 is out of range (1..86400)" },
	{ BASE_HEAD "\"annotations\": {\"a\": [\"b\"]}}",
	  "annotations.a: must be a string, not an array" },
	{ BASE_HEAD "\"mounts\": {}}", "mounts: must be an array, not an object" },
	{ BASE_HEAD "\"linux\": {\"resources\": {\"memory\": {\"limit\": -2}}}}",
	  "linux.resources.memory.limit: -2 is out of range (-1..9223372036854775807)" },
	{ BASE_HEAD "\"linux\": {\"resources\": {\"memory\": {\"swap\": 100}}}}",
	  "linux.resources.memory.swap: needs memory.limit (it is memory plus swap)" },
	{ BASE_HEAD "\"linux\": {\"resources\": {\"memory\": {\"limit\": 200, "
		    "\"swap\": 100}}}}",
	  "linux.resources.memory.swap: 100 is below memory.limit (200): it is memory plus swap" },
	{ BASE_HEAD "\"linux\": {\"resources\": {\"cpu\": {\"shares\": 1}}}}",
	  "linux.resources.cpu.shares: 1 is out of range (2..262144)" },
	{ BASE_HEAD "\"linux\": {\"resources\": {\"cpu\": {\"quota\": 999}}}}",
	  "linux.resources.cpu.quota: 999 is below the kernel's least (1000 microseconds)" },
	{ BASE_HEAD "\"linux\": {\"resources\": {\"cpu\": {\"period\": 2000000}}}}",
	  "linux.resources.cpu.period: 2000000 is out of range (0..1000000)" },
	{ BASE_HEAD "\"linux\": {\"resources\": {\"pids\": {\"limit\": \"9\"}}}}",
	  "linux.resources.pids.limit: must be an integer, not a string" },
	{ BASE_HEAD "\"linux\": {\"resources\": []}}",
	  "linux.resources: must be an object, not an array" },
};

static void test_bad(void **state)
{
	int wrong = 0;

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct oci_spec s;

		strcpy(err.msg, "(untouched)");
		if (oci_spec_parse(bad[i].json, strlen(bad[i].json), &s, &err) != -1 ||
		    strcmp(err.msg, bad[i].want)) {
			print_error("case %zu: %s\n  got:  %s\n  want: %s\n", i, bad[i].json,
				    err.msg, bad[i].want);
			wrong++;
		}
		oci_spec_free(&s);
	}
	assert_int_equal(wrong, 0);
}

static void test_good_variants(void **state)
{
	static const char *const good[] = {
		/* a user namespace joined by path needs no maps */
		BASE_HEAD "\"linux\": {\"namespaces\": [{\"type\": \"user\", \"path\": "
			  "\"/proc/1/ns/user\"}]}}",
		/* null is "not given" */
		BASE_HEAD "\"hostname\": null, \"mounts\": null}",
		BASE_HEAD GOOD_PROC "}",
	};
	struct oci_spec s;

	(void)state;
	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		if (oci_spec_parse(good[i], strlen(good[i]), &s, &err)) {
			print_error("case %zu: %s\n", i, err.msg);
			fail();
		}
		oci_spec_free(&s);
	}
}

static void test_process_alone(void **state)
{
	static const char proc[] = "{\"user\": {\"uid\": 3, \"gid\": 4}, \"args\": [\"ls\"], "
				   "\"cwd\": \"/\", \"terminal\": false}";
	static const char bad_proc[] = "{\"user\": {\"uid\": 3, \"gid\": 4}, \"args\": [\"ls\"]}";
	struct oci_process p;
	void *json;

	(void)state;
	assert_int_equal(oci_process_parse(proc, strlen(proc), &p, &json, &err), 0);
	assert_int_equal(p.uid, 3);
	assert_string_equal(p.args[0], "ls");
	assert_null(p.env[0]);
	oci_process_free(&p, json);
	assert_int_equal(oci_process_parse(bad_proc, strlen(bad_proc), &p, &json, &err), -1);
	assert_string_equal(err.msg, "process.cwd: missing");
	oci_process_free(&p, json);
}

static void test_names(void **state)
{
	(void)state;
	assert_string_equal(oci_ns_name(OCI_NS_NET), "network");
	assert_null(oci_ns_name(OCI_NS_COUNT));
	assert_string_equal(oci_hook_name(OCI_HOOK_CREATE_RUNTIME), "createRuntime");
	assert_string_equal(oci_scmp_act_name(OCI_ACT_KILL_PROCESS), "SCMP_ACT_KILL_PROCESS");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_full),          cmocka_unit_test(test_minimal),
		cmocka_unit_test(test_resources),     cmocka_unit_test(test_bad),
		cmocka_unit_test(test_good_variants), cmocka_unit_test(test_process_alone),
		cmocka_unit_test(test_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
