/* SPDX-License-Identifier: MIT */
/* isolate/oci_cli.c: the OCI front end's command line: which argv is an OCI one, the global
 * options (runc's and crun's), the log (--log, --log-format) and the command table. */
#include "oci.h"

#include <errno.h>
#include <limits.h>
#include <fcntl.h>
#include <linux/close_range.h>
#include <stdarg.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

static const char default_root[] = OCI_DEFAULT_ROOT;
static char user_root[PATH_MAX];
struct oci_globals oci_g = { .root = default_root };

static const struct {
	const char *name;
	int (*fn)(int argc, char **argv);
} commands[] = {
	{ "create", oci_cmd_create },     { "start", oci_cmd_start }, { "run", oci_cmd_run },
	{ "state", oci_cmd_state },       { "kill", oci_cmd_kill },   { "delete", oci_cmd_delete },
	{ "list", oci_cmd_list },         { "exec", oci_cmd_exec },   { "spec", oci_cmd_spec },
	{ "features", oci_cmd_features },
};

/* The global options; those with a value take it as the next word or after '='. */
static const struct {
	const char *name;
	bool value;
} globals[] = {
	{ "--root", true },
	{ "--log", true },
	{ "--log-format", true },
	{ "--debug", false },
	{ "--systemd-cgroup", false },
	{ "--cgroup-manager", true },
	{ "--rootless", true },
};

/* Which global option arg is (its index), or -1; *inline_value: "--opt=value". */
static int global_of(const char *arg, const char **inline_value)
{
	*inline_value = NULL;
	for (size_t i = 0; i < sizeof(globals) / sizeof(globals[0]); i++) {
		size_t n = strlen(globals[i].name);

		if (strncmp(arg, globals[i].name, n))
			continue;
		if (!arg[n])
			return (int)i;
		if (arg[n] == '=' && globals[i].value) {
			*inline_value = arg + n + 1;
			return (int)i;
		}
	}
	return -1;
}

/* Walks the global options from argv[*i]: returns the next one's index in globals, with
 * *i past it (and past its value when that is the next argument: *v then NULL), or -1 at
 * the first argument that is not one. */
static int next_global(int argc, char **argv, int *i, const char **v)
{
	int g = *i < argc ? global_of(argv[*i], v) : -1;

	if (g >= 0)
		*i += globals[g].value && !*v ? 2 : 1;
	return g;
}

bool oci_wants(int argc, char **argv)
{
	const char *v;
	int i = 1;

	while (next_global(argc, argv, &i, &v) >= 0)
		;
	if (i >= argc)
		return i > 1; /* global options alone: the OCI usage */
	for (size_t c = 0; c < sizeof(commands) / sizeof(commands[0]); c++)
		if (!strcmp(argv[i], commands[c].name))
			return true;
	return false;
}

/* --log's file, opened once: exec joins the container's namespaces, where its path is
 * not the same file. */
static int log_fd = -1;

static void log_entry(const char *level, const char *msg)
{
	FILE *f;

	if (log_fd < 0)
		return;
	f = fdopen(dup(log_fd), "a");
	if (!f)
		return; /* the message went to stderr: nothing better to do */
	if (oci_g.log_json) {
		char t[64];
		time_t now = time(NULL);
		json_t *o;
		char *s;

		strftime(t, sizeof(t), "%Y-%m-%dT%H:%M:%SZ", gmtime(&now));
		o = json_pack("{s:s, s:s, s:s}", "level", level, "msg", msg, "time", t);
		s = o ? json_dumps(o, JSON_COMPACT) : NULL;
		if (s)
			fprintf(f, "%s\n", s);
		free(s);
		json_decref(o);
	} else {
		fprintf(f, "%s: %s\n", level, msg);
	}
	fclose(f);
}

/* One message: on stderr with its prefix, and in the --log file at its level. */
__attribute__((format(printf, 3, 0))) static void say(const char *level, const char *prefix,
						      const char *fmt, va_list ap)
{
	char msg[1024];

	vsnprintf(msg, sizeof(msg), fmt, ap);
	fprintf(stderr, "isolate: %s%s\n", prefix, msg);
	log_entry(level, msg);
}

int oci_fail(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	say("error", "", fmt, ap);
	va_end(ap);
	return OCI_FAIL;
}

void oci_warn(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	say("warning", "warning: ", fmt, ap);
	va_end(ap);
}

void oci_debug(const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	if (!oci_g.debug)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	fprintf(stderr, "isolate: debug: %s\n", msg);
	log_entry("debug", msg);
}

const char oci_usage[] =
	"Usage: isolate [GLOBAL OPTIONS] COMMAND [OPTIONS] [ID]\n"
	"isolate as an OCI runtime (docs/oci.md); `isolate PROGRAM` is the other front end.\n"
	"\n"
	"Commands:\n"
	"  create [--bundle DIR] [--pid-file F] [--console-socket S] [--preserve-fds N] ID\n"
	"  start ID           run the created container's process\n"
	"  run [create's options] [--detach] ID\n"
	"  state ID           the container's state (JSON)\n"
	"  kill [--all] ID [SIGNAL]   SIGNAL: a name (TERM, SIGKILL) or number (15)\n"
	"  delete [--force] ID\n"
	"  exec [--process F] [--detach] [--pid-file F] [--console-socket S] [-t, --tty]\n"
	"       [--cwd DIR] ID [ARGS]\n"
	"  list [--quiet] [--format table|json]\n"
	"  spec [--bundle DIR] [--rootless]   write a default config.json\n"
	"  features           what this runtime supports (JSON)\n"
	"\n"
	"Global options:\n"
	"  --root DIR         state folder, one subfolder per container (default " OCI_DEFAULT_ROOT
	";\n"
	"                     without root: $XDG_RUNTIME_DIR/isolate-oci)\n"
	"  --log FILE         also append errors there\n"
	"  --log-format text|json\n"
	"  --debug            print each step\n"
	"  --systemd-cgroup, --cgroup-manager M, --rootless V: accepted and ignored\n"
	"\n"
	"Exit status: 0; 1 failed (one line); 2 usage error; run and exec: the process's own.\n";

/* One global option's value into oci_g (--systemd-cgroup, --cgroup-manager, --rootless: no
 * cgroup manager here, accepted and ignored). Returns OCI_OK or OCI_USAGE. */
static int set_global(const char *name, const char *v)
{
	if (!strcmp(name, "--root")) {
		oci_g.root = v;
	} else if (!strcmp(name, "--log")) {
		oci_g.log = v;
	} else if (!strcmp(name, "--debug")) {
		oci_g.debug = true;
	} else if (!strcmp(name, "--log-format")) {
		if (strcmp(v, "json") && strcmp(v, "text")) {
			fprintf(stderr, "isolate: --log-format: '%s' is not text or json\n", v);
			return OCI_USAGE;
		}
		oci_g.log_json = !strcmp(v, "json");
	}
	return OCI_OK;
}

/* The global options before the command; *cmd: the command's index. */
static int parse_globals(int argc, char **argv, int *cmd)
{
	const char *v;
	int i = 1, g;

	while ((g = next_global(argc, argv, &i, &v)) >= 0) {
		if (globals[g].value && !v) {
			if (i > argc) {
				fprintf(stderr, "isolate: %s needs a value\n%s", globals[g].name,
					oci_usage);
				return OCI_USAGE;
			}
			v = argv[i - 1];
		}
		if (set_global(globals[g].name, v))
			return OCI_USAGE;
	}
	if (i >= argc) {
		fputs(oci_usage, stderr);
		return OCI_USAGE;
	}
	*cmd = i;
	return OCI_OK;
}

int oci_main(int argc, char **argv)
{
	int i, r = parse_globals(argc, argv, &i);

	if (r)
		return r;
	/* What the caller left open past 2 (an engine's sockets, a folder) reaches no hook and
	 * no container process: close-on-exec, but 3..N+2 of --preserve-fds, which create and
	 * exec clear again just before their process's exec. */
	close_range(3, ~0u, CLOSE_RANGE_CLOEXEC);
	/* Without root, the state goes where the user's runtime files go, as runc's does. */
	if (geteuid() != 0 && oci_g.root == default_root && getenv("XDG_RUNTIME_DIR") &&
	    getenv("XDG_RUNTIME_DIR")[0] == '/') {
		snprintf(user_root, sizeof(user_root), "%s/isolate-oci", getenv("XDG_RUNTIME_DIR"));
		oci_g.root = user_root;
	}
	if (oci_g.log) {
		log_fd = open(oci_g.log, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
		if (log_fd < 0)
			return oci_fail("--log %s: %s", oci_g.log, strerror(errno));
	}
	if (!oci_g.root[0] || oci_g.root[0] != '/')
		return oci_fail("--root %s: not an absolute path", oci_g.root);
	for (size_t c = 0; c < sizeof(commands) / sizeof(commands[0]); c++)
		if (!strcmp(argv[i], commands[c].name))
			return commands[c].fn(argc - i, argv + i);
	fputs(oci_usage, stderr);
	return OCI_USAGE;
}
