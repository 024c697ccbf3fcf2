/* SPDX-License-Identifier: MIT */
/* isolate/oci.h: isolate as an OCI runtime (create, start, state, kill, delete, run, exec,
 * list, spec, features): the global options, the log, and each command's entry point. */
#ifndef ISO_OCI_H
#define ISO_OCI_H

#include <stdbool.h>

/* The OCI commands' exit statuses (runc's): 0 done, 1 failed (one line on stderr and in
 * --log), 2 a usage error. `run` and `exec` without --detach return the process's own. */
enum {
	OCI_OK = 0,
	OCI_FAIL = 1,
	OCI_USAGE = 2
};

#define OCI_DEFAULT_ROOT "/run/isolate-oci" /* --root: root's state folder */

/* The global options, before the command: --root, --log, --log-format, --debug. */
struct oci_globals {
	const char *root; /* --root DIR: one folder per container (0700) */
	const char *log;  /* --log FILE: errors (and --debug steps) appended there */
	bool log_json;    /* --log-format json: one JSON object per line */
	bool debug;       /* --debug: steps on stderr and in the log */
};
extern struct oci_globals oci_g;

/* oci_usage: the OCI commands' usage (also the end of `isolate --help`). */
extern const char oci_usage[];

/* oci_wants: whether argv is an OCI command line: global options (--root, --log, ...), then
 * one of the command names. Anything else is `isolate PROGRAM`. */
bool oci_wants(int argc, char **argv);

/* oci_main: parses the global options and runs the command. Returns the exit status. */
int oci_main(int argc, char **argv);

/* oci_fail: "isolate: message" on stderr and, with --log, an error entry there. Returns
 * OCI_FAIL, so callers can `return oci_fail(...)`. */
__attribute__((format(printf, 1, 2))) int oci_fail(const char *fmt, ...);

/* oci_warn: a warning: on stderr and in the log. */
__attribute__((format(printf, 1, 2))) void oci_warn(const char *fmt, ...);

/* oci_debug: with --debug, a step on stderr and in the log. */
__attribute__((format(printf, 1, 2))) void oci_debug(const char *fmt, ...);

/* The commands: argc/argv start at the command's name; each returns an exit status. */
int oci_cmd_create(int argc, char **argv);
int oci_cmd_start(int argc, char **argv);
int oci_cmd_run(int argc, char **argv);
int oci_cmd_state(int argc, char **argv);
int oci_cmd_kill(int argc, char **argv);
int oci_cmd_delete(int argc, char **argv);
int oci_cmd_list(int argc, char **argv);
int oci_cmd_exec(int argc, char **argv);
int oci_cmd_spec(int argc, char **argv);
int oci_cmd_features(int argc, char **argv);

#endif
