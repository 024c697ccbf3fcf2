/* SPDX-License-Identifier: MIT */
/* isolate/oci_spec.c: config.json -> struct oci_spec, with jansson; every bad value is one
 * line naming its field. Fields this runtime does not know are ignored, as runc does. */
#include "oci_spec.h"

#include <errno.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/resource.h>

#include "options.h" /* iso_cap_name */

#define FIELD_LEN 128

/* Field names and messages are cut to one line on purpose: a truncated name still says
 * where the bad value is. */
#pragma GCC diagnostic ignored "-Wformat-truncation"

static int fail(struct mv_err *err, const char *field, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int fail(struct mv_err *err, const char *field, const char *fmt, ...)
{
	char msg[MV_ERR_LEN];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return mv_seterr(err, 0, "%s: %s", field, msg);
}

/* "parent.key" (or "parent[i]" with key NULL) into buf. */
static const char *sub(char *buf, const char *parent, const char *key, size_t i)
{
	if (key)
		snprintf(buf, FIELD_LEN, "%s%s%s", parent, parent[0] ? "." : "", key);
	else
		snprintf(buf, FIELD_LEN, "%s[%zu]", parent, i);
	return buf;
}

static const char *type_name(const json_t *v)
{
	switch (json_typeof(v)) {
	case JSON_OBJECT: return "an object";
	case JSON_ARRAY: return "an array";
	case JSON_STRING: return "a string";
	case JSON_INTEGER: return "an integer";
	case JSON_REAL: return "a number";
	case JSON_TRUE:
	case JSON_FALSE: return "a boolean";
	default: return "null";
	}
}

/* The member key of obj, checked to be of type t; NULL when absent (or null). */
static int member(json_t *obj, const char *key, json_type t, const char *field, json_t **out,
		  struct mv_err *err)
{
	json_t *v = json_object_get(obj, key);
	static const char *const want[] = { "an object", "an array",  "a string",  "an integer",
					    "a number",  "a boolean", "a boolean", "null" };

	*out = NULL;
	if (!v || json_is_null(v))
		return 0;
	if (t == JSON_TRUE ? !json_is_boolean(v) : json_typeof(v) != t)
		return fail(err, field, "must be %s, not %s", want[t], type_name(v));
	*out = v;
	return 0;
}

static int get_str(json_t *obj, const char *key, const char *parent, bool required,
		   const char **out, struct mv_err *err)
{
	char f[FIELD_LEN];
	json_t *v;

	sub(f, parent, key, 0);
	if (member(obj, key, JSON_STRING, f, &v, err))
		return -1;
	if (!v && required)
		return fail(err, f, "missing");
	*out = v ? json_string_value(v) : NULL;
	if (v && strlen(*out) != json_string_length(v))
		return fail(err, f, "holds a NUL character");
	return 0;
}

static int get_bool(json_t *obj, const char *key, const char *parent, bool *out, struct mv_err *err)
{
	char f[FIELD_LEN];
	json_t *v;

	if (member(obj, key, JSON_TRUE, sub(f, parent, key, 0), &v, err))
		return -1;
	if (v)
		*out = json_is_true(v);
	return 0;
}

/* An integer in [min, max]; *given says whether it was there. */
static int int_value(json_t *v, const char *f, long long min, long long max, long long *out,
		     struct mv_err *err)
{
	if (!json_is_integer(v))
		return fail(err, f, "must be an integer, not %s", type_name(v));
	*out = json_integer_value(v);
	if (*out < min || *out > max)
		return fail(err, f, "%lld is out of range (%lld..%lld)", *out, min, max);
	return 0;
}

static int get_int(json_t *obj, const char *key, const char *parent, long long min, long long max,
		   bool *given, long long *out, struct mv_err *err)
{
	char f[FIELD_LEN];
	json_t *v = json_object_get(obj, key);

	*given = v && !json_is_null(v);
	if (!*given)
		return 0;
	return int_value(v, sub(f, parent, key, 0), min, max, out, err);
}

/* An unsigned 64-bit value (seccomp's "value"): jansson's integers are signed, so values
 * past INT64_MAX arrive as reals, or fail to parse. */
static int get_u64(json_t *obj, const char *key, const char *parent, uint64_t *out,
		   struct mv_err *err)
{
	char f[FIELD_LEN];
	json_t *v = json_object_get(obj, key);

	*out = 0;
	if (!v || json_is_null(v))
		return 0;
	sub(f, parent, key, 0);
	if (!json_is_integer(v) || json_integer_value(v) < 0)
		return fail(err, f, "must be a non-negative integer");
	*out = (uint64_t)json_integer_value(v);
	return 0;
}

/* An array of strings as a NULL-terminated array (the strings stay in the document). */
static int get_strv(json_t *obj, const char *key, const char *parent, bool required,
		    const char ***out, struct mv_err *err)
{
	char f[FIELD_LEN], e[FIELD_LEN];
	json_t *v, *item;
	size_t i;

	sub(f, parent, key, 0);
	*out = NULL;
	if (member(obj, key, JSON_ARRAY, f, &v, err))
		return -1;
	if (!v) {
		if (required)
			return fail(err, f, "missing");
		return 0;
	}
	*out = calloc(json_array_size(v) + 1, sizeof(char *));
	if (!*out)
		return fail(err, f, "out of memory");
	json_array_foreach(v, i, item)
	{
		if (!json_is_string(item))
			return fail(err, sub(e, f, NULL, i), "must be a string, not %s",
				    type_name(item));
		if (strlen(json_string_value(item)) != json_string_length(item))
			return fail(err, sub(e, f, NULL, i), "holds a NUL character");
		(*out)[i] = json_string_value(item);
	}
	return 0;
}

static int need_abs(const char *path, const char *f, struct mv_err *err)
{
	if (path && path[0] != '/')
		return fail(err, f, "'%s' is not an absolute path", path);
	return 0;
}

/* ---- process ---- */

static const struct {
	const char *name;
	int resource;
} rlimit_names[] = {
	{ "RLIMIT_AS", RLIMIT_AS },
	{ "RLIMIT_CORE", RLIMIT_CORE },
	{ "RLIMIT_CPU", RLIMIT_CPU },
	{ "RLIMIT_DATA", RLIMIT_DATA },
	{ "RLIMIT_FSIZE", RLIMIT_FSIZE },
	{ "RLIMIT_LOCKS", RLIMIT_LOCKS },
	{ "RLIMIT_MEMLOCK", RLIMIT_MEMLOCK },
	{ "RLIMIT_MSGQUEUE", RLIMIT_MSGQUEUE },
	{ "RLIMIT_NICE", RLIMIT_NICE },
	{ "RLIMIT_NOFILE", RLIMIT_NOFILE },
	{ "RLIMIT_NPROC", RLIMIT_NPROC },
	{ "RLIMIT_RSS", RLIMIT_RSS },
	{ "RLIMIT_RTPRIO", RLIMIT_RTPRIO },
	{ "RLIMIT_RTTIME", RLIMIT_RTTIME },
	{ "RLIMIT_SIGPENDING", RLIMIT_SIGPENDING },
	{ "RLIMIT_STACK", RLIMIT_STACK },
};

static int rlimit_resource(const char *name)
{
	for (size_t k = 0; k < sizeof(rlimit_names) / sizeof(rlimit_names[0]); k++)
		if (!strcmp(name, rlimit_names[k].name))
			return rlimit_names[k].resource;
	return -1;
}

/* process.rlimits[i] (field f) into p's next rlimit. */
static int parse_rlimit(json_t *item, const char *f, struct oci_process *p, struct mv_err *err)
{
	struct oci_rlimit *r = &p->rlimits[p->n_rlimits];
	char e[FIELD_LEN];
	const char *type;
	long long soft, hard;
	bool sg, hg;

	if (!json_is_object(item))
		return fail(err, f, "must be an object, not %s", type_name(item));
	if (get_str(item, "type", f, true, &type, err))
		return -1;
	r->resource = rlimit_resource(type);
	if (r->resource < 0)
		return fail(err, sub(e, f, "type", 0), "unknown rlimit '%s'", type);
	for (size_t j = 0; j < p->n_rlimits; j++)
		if (p->rlimits[j].resource == r->resource)
			return fail(err, sub(e, f, "type", 0), "'%s' given twice", type);
	if (get_int(item, "soft", f, 0, INT64_MAX, &sg, &soft, err) ||
	    get_int(item, "hard", f, 0, INT64_MAX, &hg, &hard, err))
		return -1;
	if (!sg || !hg)
		return fail(err, sub(e, f, sg ? "hard" : "soft", 0), "missing");
	if (soft > hard)
		return fail(err, sub(e, f, "soft", 0), "%lld is above hard (%lld)", soft, hard);
	r->soft = (unsigned long long)soft;
	r->hard = (unsigned long long)hard;
	p->n_rlimits++;
	return 0;
}

static int parse_rlimits(json_t *proc, struct oci_process *p, struct mv_err *err)
{
	char f[FIELD_LEN];
	json_t *v, *item;
	size_t i;

	if (member(proc, "rlimits", JSON_ARRAY, "process.rlimits", &v, err))
		return -1;
	if (!v)
		return 0;
	p->rlimits = calloc(json_array_size(v) + 1, sizeof(*p->rlimits));
	if (!p->rlimits)
		return fail(err, "process.rlimits", "out of memory");
	json_array_foreach(v, i, item)
	{
		if (parse_rlimit(item, sub(f, "process.rlimits", NULL, i), p, err))
			return -1;
	}
	return 0;
}

static int parse_caps(json_t *proc, struct oci_process *p, struct mv_err *err)
{
	static const char *const sets[OCI_CAP_COUNT] = { "bounding", "effective", "inheritable",
							 "permitted", "ambient" };
	char f[FIELD_LEN], e[FIELD_LEN];
	json_t *caps, *v, *item;
	size_t i;

	if (member(proc, "capabilities", JSON_OBJECT, "process.capabilities", &caps, err))
		return -1;
	if (!caps)
		return 0;
	p->caps_set = true;
	for (int s = 0; s < OCI_CAP_COUNT; s++) {
		sub(f, "process.capabilities", sets[s], 0);
		if (member(caps, sets[s], JSON_ARRAY, f, &v, err))
			return -1;
		if (!v)
			continue;
		json_array_foreach(v, i, item)
		{
			const char *name = json_string_value(item);
			int c;

			if (!name)
				return fail(err, sub(e, f, NULL, i), "must be a string, not %s",
					    type_name(item));
			for (c = 0; iso_cap_name(c); c++)
				if (!strcmp(name, iso_cap_name(c)))
					break;
			if (!iso_cap_name(c))
				return fail(err, sub(e, f, NULL, i), "unknown capability '%s'",
					    name);
			p->caps[s] |= 1ull << c;
		}
	}
	return 0;
}

static int parse_user(json_t *proc, struct oci_process *p, struct mv_err *err)
{
	char f[FIELD_LEN];
	json_t *user, *v, *item;
	long long n;
	bool given;
	size_t i;

	if (member(proc, "user", JSON_OBJECT, "process.user", &user, err))
		return -1;
	if (!user)
		return fail(err, "process.user", "missing");
	if (get_int(user, "uid", "process.user", 0, UINT32_MAX - 1, &given, &n, err))
		return -1;
	if (!given)
		return fail(err, "process.user.uid", "missing");
	p->uid = (uid_t)n;
	if (get_int(user, "gid", "process.user", 0, UINT32_MAX - 1, &given, &n, err))
		return -1;
	if (!given)
		return fail(err, "process.user.gid", "missing");
	p->gid = (gid_t)n;
	if (get_int(user, "umask", "process.user", 0, 0777, &given, &n, err))
		return -1;
	p->umask = given ? (int)n : -1;
	if (member(user, "additionalGids", JSON_ARRAY, "process.user.additionalGids", &v, err))
		return -1;
	if (!v)
		return 0;
	p->gids = calloc(json_array_size(v) + 1, sizeof(gid_t));
	if (!p->gids)
		return fail(err, "process.user.additionalGids", "out of memory");
	json_array_foreach(v, i, item)
	{
		if (int_value(item, sub(f, "process.user.additionalGids", NULL, i), 0,
			      UINT32_MAX - 1, &n, err))
			return -1;
		p->gids[p->n_gids++] = (gid_t)n;
	}
	return 0;
}

/* process.consoleSize: height and width, both required when it is given. */
static int parse_console(json_t *proc, struct oci_process *p, struct mv_err *err)
{
	json_t *cs;
	long long n;
	bool given;

	if (member(proc, "consoleSize", JSON_OBJECT, "process.consoleSize", &cs, err))
		return -1;
	if (!cs)
		return 0;
	if (get_int(cs, "height", "process.consoleSize", 0, 65535, &given, &n, err))
		return -1;
	if (!given)
		return fail(err, "process.consoleSize.height", "missing");
	p->cons_height = (unsigned)n;
	if (get_int(cs, "width", "process.consoleSize", 0, 65535, &given, &n, err))
		return -1;
	if (!given)
		return fail(err, "process.consoleSize.width", "missing");
	p->cons_width = (unsigned)n;
	return 0;
}

/* process.args (at least the program) and process.env (each NAME=VALUE; none: empty). */
static int parse_args_env(json_t *proc, struct oci_process *p, struct mv_err *err)
{
	char f[FIELD_LEN];

	if (get_strv(proc, "args", "process", true, &p->args, err))
		return -1;
	if (!p->args[0])
		return fail(err, "process.args", "empty: at least the program to run");
	if (!p->args[0][0])
		return fail(err, "process.args[0]", "empty");
	if (get_strv(proc, "env", "process", false, &p->env, err))
		return -1;
	if (!p->env && !(p->env = calloc(1, sizeof(char *))))
		return fail(err, "process.env", "out of memory");
	for (size_t i = 0; p->env[i]; i++)
		if (!strchr(p->env[i], '='))
			return fail(err, sub(f, "process.env", NULL, i), "'%s' is not NAME=VALUE",
				    p->env[i]);
	return 0;
}

static int parse_process_obj(json_t *proc, struct oci_process *p, struct mv_err *err)
{
	long long n;

	memset(p, 0, sizeof(*p));
	p->umask = -1;
	if (get_bool(proc, "terminal", "process", &p->terminal, err) ||
	    parse_console(proc, p, err) || parse_user(proc, p, err) || parse_args_env(proc, p, err))
		return -1;
	if (get_str(proc, "cwd", "process", true, &p->cwd, err) ||
	    need_abs(p->cwd, "process.cwd", err))
		return -1;
	if (parse_rlimits(proc, p, err) || parse_caps(proc, p, err) ||
	    get_bool(proc, "noNewPrivileges", "process", &p->no_new_privs, err))
		return -1;
	if (get_int(proc, "oomScoreAdj", "process", -1000, 1000, &p->has_oom_score, &n, err))
		return -1;
	p->oom_score_adj = (int)n;
	return 0;
}

void oci_process_free(struct oci_process *p, void *json)
{
	free(p->args);
	free(p->env);
	free(p->gids);
	free(p->rlimits);
	memset(p, 0, sizeof(*p));
	if (json)
		json_decref(json);
}

static json_t *load_text(const char *text, size_t len, struct mv_err *err)
{
	json_error_t je;
	json_t *root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &je);

	if (!root) {
		mv_seterr(err, 0, "not valid JSON: line %d, column %d: %s", je.line, je.column,
			  je.text);
		return NULL;
	}
	if (!json_is_object(root)) {
		mv_seterr(err, 0, "must be a JSON object, not %s", type_name(root));
		json_decref(root);
		return NULL;
	}
	return root;
}

int oci_process_parse(const char *text, size_t len, struct oci_process *p, void **json,
		      struct mv_err *err)
{
	json_t *root = load_text(text, len, err);

	memset(p, 0, sizeof(*p));
	*json = root;
	if (!root)
		return -1;
	return parse_process_obj(root, p, err);
}

/* ---- mounts ---- */

static const struct {
	const char *name;
	bool clear; /* the option clears the flag */
	unsigned long flag;
} mount_flags[] = {
	{ "ro", false, MS_RDONLY },
	{ "rw", true, MS_RDONLY },
	{ "nosuid", false, MS_NOSUID },
	{ "suid", true, MS_NOSUID },
	{ "nodev", false, MS_NODEV },
	{ "dev", true, MS_NODEV },
	{ "noexec", false, MS_NOEXEC },
	{ "exec", true, MS_NOEXEC },
	{ "sync", false, MS_SYNCHRONOUS },
	{ "async", true, MS_SYNCHRONOUS },
	{ "dirsync", false, MS_DIRSYNC },
	{ "noatime", false, MS_NOATIME },
	{ "atime", true, MS_NOATIME },
	{ "nodiratime", false, MS_NODIRATIME },
	{ "diratime", true, MS_NODIRATIME },
	{ "relatime", false, MS_RELATIME },
	{ "norelatime", true, MS_RELATIME },
	{ "strictatime", false, MS_STRICTATIME },
	{ "nostrictatime", true, MS_STRICTATIME },
	{ "mand", false, MS_MANDLOCK },
	{ "nomand", true, MS_MANDLOCK },
	{ "lazytime", false, MS_LAZYTIME },
	{ "nolazytime", true, MS_LAZYTIME },
	{ "silent", false, MS_SILENT },
	{ "loud", true, MS_SILENT },
};

static const struct {
	const char *name;
	unsigned long flags;
} propagations[] = {
	{ "private", MS_PRIVATE },       { "rprivate", MS_PRIVATE | MS_REC },
	{ "shared", MS_SHARED },         { "rshared", MS_SHARED | MS_REC },
	{ "slave", MS_SLAVE },           { "rslave", MS_SLAVE | MS_REC },
	{ "unbindable", MS_UNBINDABLE }, { "runbindable", MS_UNBINDABLE | MS_REC },
};

static int propagation_of(const char *name, unsigned long *flags)
{
	for (size_t i = 0; i < sizeof(propagations) / sizeof(propagations[0]); i++)
		if (!strcmp(name, propagations[i].name)) {
			*flags = propagations[i].flags;
			return 0;
		}
	return -1;
}

/* Applies o when it is bind or rbind, a propagation, a flag, or one with nothing to do;
 * returns whether it was one of those (else it is the filesystem's own). */
static bool mount_flag(const char *o, struct oci_mount *m)
{
	if (!strcmp(o, "bind") || !strcmp(o, "rbind")) {
		m->bind = true;
		m->recursive = o[0] == 'r';
		return true;
	}
	if (!propagation_of(o, &m->propagation))
		return true;
	if (!strcmp(o, "tmpcopyup") || !strcmp(o, "remount") || !strcmp(o, "defaults"))
		return true; /* crun's tmpfs copy-up, runc's remount: nothing to do here */
	for (size_t k = 0; k < sizeof(mount_flags) / sizeof(mount_flags[0]); k++) {
		if (strcmp(o, mount_flags[k].name))
			continue;
		if (mount_flags[k].clear)
			m->flags &= ~mount_flags[k].flag;
		else
			m->flags |= mount_flags[k].flag;
		return true;
	}
	return false;
}

static int parse_mount_options(json_t *opts, struct oci_mount *m, const char *f, struct mv_err *err)
{
	char e[FIELD_LEN];
	size_t i, len = 1, used = 0;
	json_t *item;

	json_array_foreach(opts, i, item) len +=
		json_is_string(item) ? json_string_length(item) + 1 : 0;
	m->data = calloc(len, 1);
	if (!m->data)
		return fail(err, f, "out of memory");
	json_array_foreach(opts, i, item)
	{
		const char *o = json_string_value(item);

		if (!o)
			return fail(err, sub(e, f, NULL, i), "must be a string, not %s",
				    type_name(item));
		if (!strcmp(o, "idmap") || !strcmp(o, "ridmap"))
			return fail(err, sub(e, f, NULL, i),
				    "'%s' (id-mapped mounts) is not "
				    "supported by isolate",
				    o);
		if (mount_flag(o, m))
			continue;
		/* the filesystem's own (mode=755, size=64k, newinstance, ...) */
		used += (size_t)snprintf(m->data + used, len - used, "%s%s", used ? "," : "", o);
	}
	return 0;
}

/* mounts[i] (field f) into m. */
static int parse_mount(json_t *item, const char *f, struct oci_mount *m, struct mv_err *err)
{
	char e[FIELD_LEN];
	json_t *opts;

	if (!json_is_object(item))
		return fail(err, f, "must be an object, not %s", type_name(item));
	if (get_str(item, "destination", f, true, &m->dest, err) ||
	    need_abs(m->dest, sub(e, f, "destination", 0), err) ||
	    get_str(item, "type", f, false, &m->type, err) ||
	    get_str(item, "source", f, false, &m->source, err) ||
	    member(item, "options", JSON_ARRAY, sub(e, f, "options", 0), &opts, err))
		return -1;
	if (opts && parse_mount_options(opts, m, e, err))
		return -1;
	if (!m->data && !(m->data = calloc(1, 1)))
		return fail(err, f, "out of memory");
	if (m->type && !strcmp(m->type, "bind"))
		m->bind = true;
	if (!m->bind && !m->type)
		return fail(err, sub(e, f, "type", 0), "missing (and no bind option)");
	if (m->bind && !m->source)
		return fail(err, sub(e, f, "source", 0), "missing for a bind mount");
	return 0;
}

static int parse_mounts(json_t *root, struct oci_spec *s, struct mv_err *err)
{
	char f[FIELD_LEN];
	json_t *v, *item;
	size_t i;

	if (member(root, "mounts", JSON_ARRAY, "mounts", &v, err))
		return -1;
	if (!v)
		return 0;
	s->mounts = calloc(json_array_size(v) + 1, sizeof(*s->mounts));
	if (!s->mounts)
		return fail(err, "mounts", "out of memory");
	json_array_foreach(v, i, item)
	{
		s->n_mounts = i + 1;
		if (parse_mount(item, sub(f, "mounts", NULL, i), &s->mounts[i], err))
			return -1;
	}
	return 0;
}

/* ---- linux ---- */

static const char *const ns_names[OCI_NS_COUNT] = { "user", "pid",   "network", "ipc",
						    "uts",  "mount", "cgroup" };

const char *oci_ns_name(enum oci_ns ns)
{
	return ns < OCI_NS_COUNT ? ns_names[ns] : NULL;
}

static int parse_namespaces(json_t *linux, struct oci_spec *s, struct mv_err *err)
{
	char f[FIELD_LEN], e[FIELD_LEN];
	json_t *v, *item;
	size_t i;

	if (member(linux, "namespaces", JSON_ARRAY, "linux.namespaces", &v, err))
		return -1;
	if (!v)
		return 0;
	json_array_foreach(v, i, item)
	{
		const char *type, *path;
		int n;

		sub(f, "linux.namespaces", NULL, i);
		if (!json_is_object(item))
			return fail(err, f, "must be an object, not %s", type_name(item));
		if (get_str(item, "type", f, true, &type, err) ||
		    get_str(item, "path", f, false, &path, err) ||
		    need_abs(path, sub(e, f, "path", 0), err))
			return -1;
		for (n = 0; n < OCI_NS_COUNT; n++)
			if (!strcmp(type, ns_names[n]))
				break;
		if (n == OCI_NS_COUNT) {
			if (!strcmp(type, "time"))
				return fail(err, sub(e, f, "type", 0),
					    "'time' namespaces are not "
					    "supported by isolate");
			return fail(err, sub(e, f, "type", 0),
				    "unknown namespace type '%s' (user, "
				    "pid, network, ipc, uts, mount, cgroup)",
				    type);
		}
		if (s->ns[n].set)
			return fail(err, sub(e, f, "type", 0), "'%s' given twice", type);
		s->ns[n].set = true;
		s->ns[n].path = path;
	}
	return 0;
}

static int parse_idmaps(json_t *linux, const char *key, struct oci_idmap **out, size_t *n,
			struct mv_err *err)
{
	static const char *const names[] = { "containerID", "hostID", "size" };
	char f[FIELD_LEN], e[FIELD_LEN];
	json_t *v, *item;
	size_t i;

	sub(f, "linux", key, 0);
	if (member(linux, key, JSON_ARRAY, f, &v, err))
		return -1;
	if (!v)
		return 0;
	*out = calloc(json_array_size(v) + 1, sizeof(**out));
	if (!*out)
		return fail(err, f, "out of memory");
	json_array_foreach(v, i, item)
	{
		uint32_t *vals[] = { &(*out)[i].container, &(*out)[i].host, &(*out)[i].size };

		sub(e, f, NULL, i);
		if (!json_is_object(item))
			return fail(err, e, "must be an object, not %s", type_name(item));
		for (size_t k = 0; k < 3; k++) {
			char g[FIELD_LEN];
			long long x;
			bool given;

			if (get_int(item, names[k], e, k == 2 ? 1 : 0, UINT32_MAX - (k != 2),
				    &given, &x, err))
				return -1;
			if (!given)
				return fail(err, sub(g, e, names[k], 0), "missing");
			*vals[k] = (uint32_t)x;
		}
		if ((unsigned long long)(*out)[i].container + (*out)[i].size > UINT32_MAX ||
		    (unsigned long long)(*out)[i].host + (*out)[i].size > UINT32_MAX)
			return fail(err, e, "the range passes 4294967295");
		*n = i + 1;
	}
	return 0;
}

/* An optional integer in [min, max], dflt when absent. */
static int get_int_or(json_t *obj, const char *key, const char *parent, long long max,
		      long long dflt, long long *out, struct mv_err *err)
{
	bool given;

	if (get_int(obj, key, parent, 0, max, &given, out, err))
		return -1;
	if (!given)
		*out = dflt;
	return 0;
}

/* linux.devices[i] (field f) into d. */
static int parse_device(json_t *item, const char *f, struct oci_device *d, struct mv_err *err)
{
	char e[FIELD_LEN];
	const char *type;
	long long mode, uid, gid;

	if (!json_is_object(item))
		return fail(err, f, "must be an object, not %s", type_name(item));
	if (get_str(item, "path", f, true, &d->path, err) ||
	    need_abs(d->path, sub(e, f, "path", 0), err) ||
	    get_str(item, "type", f, true, &type, err))
		return -1;
	if (strlen(type) != 1 || !strchr("cbup", type[0]))
		return fail(err, sub(e, f, "type", 0), "'%s' is not c, b, u or p", type);
	d->type = type[0] == 'u' ? 'c' : type[0];
	/* -1: not given (a FIFO needs no numbers) */
	if (get_int_or(item, "major", f, 0xfff, -1, &d->major, err) ||
	    get_int_or(item, "minor", f, 0xfffff, -1, &d->minor, err))
		return -1;
	if (d->type != 'p' && (d->major < 0 || d->minor < 0))
		return fail(err, sub(e, f, d->major < 0 ? "major" : "minor", 0), "missing");
	d->major = d->major < 0 ? 0 : d->major;
	d->minor = d->minor < 0 ? 0 : d->minor;
	if (get_int_or(item, "fileMode", f, 07777, 0666, &mode, err) ||
	    get_int_or(item, "uid", f, UINT32_MAX - 1, 0, &uid, err) ||
	    get_int_or(item, "gid", f, UINT32_MAX - 1, 0, &gid, err))
		return -1;
	d->mode = (unsigned)mode;
	d->uid = (uid_t)uid;
	d->gid = (gid_t)gid;
	return 0;
}

static int parse_devices(json_t *linux, struct oci_spec *s, struct mv_err *err)
{
	char f[FIELD_LEN];
	json_t *v, *item;
	size_t i;

	if (member(linux, "devices", JSON_ARRAY, "linux.devices", &v, err))
		return -1;
	if (!v)
		return 0;
	s->devices = calloc(json_array_size(v) + 1, sizeof(*s->devices));
	if (!s->devices)
		return fail(err, "linux.devices", "out of memory");
	json_array_foreach(v, i, item)
	{
		if (parse_device(item, sub(f, "linux.devices", NULL, i), &s->devices[i], err))
			return -1;
		s->n_devices = i + 1;
	}
	return 0;
}

/* A JSON object of strings (sysctl, annotations) as key/value pairs. */
static int parse_kv(json_t *obj, const char *key, const char *parent, struct oci_kv **out,
		    size_t *n, struct mv_err *err)
{
	char f[FIELD_LEN], e[FIELD_LEN];
	const char *k;
	json_t *v, *item;

	sub(f, parent, key, 0);
	if (member(obj, key, JSON_OBJECT, f, &v, err))
		return -1;
	if (!v)
		return 0;
	*out = calloc(json_object_size(v) + 1, sizeof(**out));
	if (!*out)
		return fail(err, f, "out of memory");
	json_object_foreach(v, k, item)
	{
		if (!json_is_string(item))
			return fail(err, sub(e, f, k, 0), "must be a string, not %s",
				    type_name(item));
		(*out)[*n].key = k;
		(*out)[*n].value = json_string_value(item);
		(*n)++;
	}
	return 0;
}

static const char *const act_names[] = {
	[OCI_ACT_KILL_THREAD] = "SCMP_ACT_KILL_THREAD",
	[OCI_ACT_KILL_PROCESS] = "SCMP_ACT_KILL_PROCESS",
	[OCI_ACT_TRAP] = "SCMP_ACT_TRAP",
	[OCI_ACT_ERRNO] = "SCMP_ACT_ERRNO",
	[OCI_ACT_TRACE] = "SCMP_ACT_TRACE",
	[OCI_ACT_ALLOW] = "SCMP_ACT_ALLOW",
	[OCI_ACT_LOG] = "SCMP_ACT_LOG",
};

const char *oci_scmp_act_name(enum oci_scmp_act a)
{
	return a <= OCI_ACT_LOG ? act_names[a] : NULL;
}

static int parse_action(json_t *obj, const char *key, const char *parent, enum oci_scmp_act *out,
			struct mv_err *err)
{
	char f[FIELD_LEN];
	const char *name;

	if (get_str(obj, key, parent, true, &name, err))
		return -1;
	if (!strcmp(name, "SCMP_ACT_KILL")) { /* the old name of KILL_THREAD */
		*out = OCI_ACT_KILL_THREAD;
		return 0;
	}
	for (size_t a = 0; a < sizeof(act_names) / sizeof(act_names[0]); a++)
		if (!strcmp(name, act_names[a])) {
			*out = (enum oci_scmp_act)a;
			return 0;
		}
	if (!strcmp(name, "SCMP_ACT_NOTIFY"))
		return fail(err, sub(f, parent, key, 0),
			    "SCMP_ACT_NOTIFY (a seccomp agent) is not "
			    "supported by isolate");
	return fail(err, sub(f, parent, key, 0), "unknown action '%s'", name);
}

static int parse_errno(json_t *obj, const char *key, const char *parent, int *out,
		       struct mv_err *err)
{
	long long x;
	bool given;

	if (get_int(obj, key, parent, 0, 4095, &given, &x, err))
		return -1;
	*out = given ? (int)x : EPERM;
	return 0;
}

static int parse_scmp_args(json_t *rule, struct oci_scmp_rule *r, const char *f, struct mv_err *err)
{
	static const char *const ops[] = { "SCMP_CMP_NE",       "SCMP_CMP_LT", "SCMP_CMP_LE",
					   "SCMP_CMP_EQ",       "SCMP_CMP_GE", "SCMP_CMP_GT",
					   "SCMP_CMP_MASKED_EQ" };
	char a[FIELD_LEN], e[FIELD_LEN];
	json_t *v, *item;
	size_t i;

	if (member(rule, "args", JSON_ARRAY, sub(a, f, "args", 0), &v, err))
		return -1;
	if (!v)
		return 0;
	r->args = calloc(json_array_size(v) + 1, sizeof(*r->args));
	if (!r->args)
		return fail(err, a, "out of memory");
	json_array_foreach(v, i, item)
	{
		struct oci_scmp_arg *g = &r->args[i];
		const char *op;
		long long x;
		bool given;
		size_t k;

		sub(e, a, NULL, i);
		if (!json_is_object(item))
			return fail(err, e, "must be an object, not %s", type_name(item));
		if (get_int(item, "index", e, 0, 5, &given, &x, err))
			return -1;
		if (!given) {
			char g2[FIELD_LEN];

			return fail(err, sub(g2, e, "index", 0), "missing");
		}
		g->index = (unsigned)x;
		if (get_u64(item, "value", e, &g->value, err) ||
		    get_u64(item, "valueTwo", e, &g->value2, err) ||
		    get_str(item, "op", e, true, &op, err))
			return -1;
		for (k = 0; k < sizeof(ops) / sizeof(ops[0]); k++)
			if (!strcmp(op, ops[k]))
				break;
		if (k == sizeof(ops) / sizeof(ops[0])) {
			char g2[FIELD_LEN];

			return fail(err, sub(g2, e, "op", 0), "unknown comparison '%s'", op);
		}
		g->op = (enum oci_scmp_op)k;
		r->n_args = i + 1;
	}
	return 0;
}

static int parse_seccomp(json_t *linux, struct oci_seccomp *sc, struct mv_err *err)
{
	char f[FIELD_LEN], e[FIELD_LEN];
	json_t *v, *calls, *item;
	size_t i;

	if (member(linux, "seccomp", JSON_OBJECT, "linux.seccomp", &v, err))
		return -1;
	if (!v)
		return 0;
	sc->set = true;
	if (parse_action(v, "defaultAction", "linux.seccomp", &sc->default_action, err) ||
	    parse_errno(v, "defaultErrnoRet", "linux.seccomp", &sc->default_errno, err) ||
	    get_strv(v, "architectures", "linux.seccomp", false, &sc->archs, err))
		return -1;
	for (i = 0; sc->archs && sc->archs[i]; i++)
		if (strncmp(sc->archs[i], "SCMP_ARCH_", 10))
			return fail(err, sub(e, "linux.seccomp.architectures", NULL, i),
				    "'%s' is not an SCMP_ARCH_ name", sc->archs[i]);
	if (json_object_get(v, "listenerPath"))
		return fail(err, "linux.seccomp.listenerPath",
			    "a seccomp agent is not supported "
			    "by isolate");
	if (member(v, "syscalls", JSON_ARRAY, "linux.seccomp.syscalls", &calls, err))
		return -1;
	if (!calls)
		return 0;
	sc->rules = calloc(json_array_size(calls) + 1, sizeof(*sc->rules));
	if (!sc->rules)
		return fail(err, "linux.seccomp.syscalls", "out of memory");
	json_array_foreach(calls, i, item)
	{
		struct oci_scmp_rule *r = &sc->rules[i];

		sub(f, "linux.seccomp.syscalls", NULL, i);
		sc->n_rules = i + 1;
		if (!json_is_object(item))
			return fail(err, f, "must be an object, not %s", type_name(item));
		if (get_strv(item, "names", f, true, &r->names, err) ||
		    parse_action(item, "action", f, &r->action, err) ||
		    parse_errno(item, "errnoRet", f, &r->errno_ret, err) ||
		    parse_scmp_args(item, r, f, err))
			return -1;
		if (!r->names[0])
			return fail(err, sub(e, f, "names", 0), "empty");
	}
	return 0;
}

/* ---- linux.resources ---- */

/* Adds "name" to the list of members given but not applied. */
static void not_applied(struct oci_resources *r, const char *name)
{
	size_t n = strlen(r->ignored);

	snprintf(r->ignored + n, sizeof(r->ignored) - n, "%s%s", n ? ", " : "", name);
}

/* Whether v holds anything (an empty object or array, null and false say nothing). */
static bool says_something(json_t *v)
{
	if (json_is_object(v))
		return json_object_size(v) > 0;
	if (json_is_array(v))
		return json_array_size(v) > 0;
	return !json_is_null(v) && !json_is_false(v);
}

/* Lists obj's members not in known[] (NULL-terminated) as "parent.key". */
static void others(struct oci_resources *r, json_t *obj, const char *parent,
		   const char *const *known)
{
	const char *k;
	json_t *v;

	json_object_foreach(obj, k, v)
	{
		char f[FIELD_LEN];
		size_t i = 0;

		while (known[i] && strcmp(known[i], k))
			i++;
		if (!known[i] && says_something(v))
			not_applied(r, sub(f, parent, k, 0));
	}
}

static void put(struct oci_resources *r, const char *file, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* One cgroup v2 file to write. */
static void put(struct oci_resources *r, const char *file, const char *fmt, ...)
{
	va_list ap;

	r->w[r->n].file = file;
	va_start(ap, fmt);
	vsnprintf(r->w[r->n].value, sizeof(r->w[r->n].value), fmt, ap);
	va_end(ap);
	r->n++;
}

/* A byte count of memory: -1 unlimited ("max"), 0 not given, else the number. */
static int put_bytes(struct oci_resources *r, json_t *mem, const char *key, const char *file,
		     long long *out, struct mv_err *err)
{
	bool given;

	if (get_int(mem, key, "linux.resources.memory", -1, INT64_MAX, &given, out, err))
		return -1;
	if (!given)
		*out = 0;
	if (*out == -1)
		put(r, file, "max");
	else if (*out > 0)
		put(r, file, "%lld", *out);
	return 0;
}

/* memory: limit -> memory.max, reservation -> memory.low, swap (memory plus swap, cgroup
 * v1's meaning) -> memory.swap.max = swap - limit, as runc converts them. */
static int parse_memory(json_t *res, struct oci_resources *r, struct mv_err *err)
{
	static const char *const known[] = { "limit", "reservation", "swap", NULL };
	long long limit, low, swap;
	bool given;
	json_t *mem;

	if (member(res, "memory", JSON_OBJECT, "linux.resources.memory", &mem, err))
		return -1;
	if (!mem)
		return 0;
	if (put_bytes(r, mem, "limit", "memory.max", &limit, err) ||
	    put_bytes(r, mem, "reservation", "memory.low", &low, err) ||
	    get_int(mem, "swap", "linux.resources.memory", -1, INT64_MAX, &given, &swap, err))
		return -1;
	if (!given)
		swap = 0;
	if (swap == -1) {
		put(r, "memory.swap.max", "max");
	} else if (swap > 0) {
		if (limit <= 0)
			return fail(err, "linux.resources.memory.swap",
				    "needs memory.limit (it is memory plus swap)");
		if (swap < limit)
			return fail(err, "linux.resources.memory.swap",
				    "%lld is below memory.limit (%lld): it is memory plus swap",
				    swap, limit);
		put(r, "memory.swap.max", "%lld", swap - limit);
	}
	others(r, mem, "memory", known);
	return 0;
}

/* cpu: shares -> cpu.weight (runc's 1 + (shares - 2) * 9999 / 262142), quota and period
 * -> cpu.max ("QUOTA PERIOD", "max" for no quota). */
static int parse_cpu(json_t *res, struct oci_resources *r, struct mv_err *err)
{
	static const char *const known[] = { "shares", "quota", "period", NULL };
	long long shares, quota, period;
	bool sg, qg, pg;
	json_t *cpu;

	if (member(res, "cpu", JSON_OBJECT, "linux.resources.cpu", &cpu, err))
		return -1;
	if (!cpu)
		return 0;
	if (get_int(cpu, "shares", "linux.resources.cpu", 0, 262144, &sg, &shares, err) ||
	    get_int(cpu, "quota", "linux.resources.cpu", -1, INT64_MAX, &qg, &quota, err) ||
	    get_int(cpu, "period", "linux.resources.cpu", 0, 1000000, &pg, &period, err))
		return -1;
	if (sg && shares == 1)
		return fail(err, "linux.resources.cpu.shares", "1 is out of range (2..262144)");
	if (sg && shares)
		put(r, "cpu.weight", "%llu", 1 + ((unsigned long long)shares - 2) * 9999 / 262142);
	if (qg && quota > 0 && quota < 1000)
		return fail(err, "linux.resources.cpu.quota",
			    "%lld is below the kernel's least (1000 microseconds)", quota);
	if (pg && period > 0 && period < 1000)
		return fail(err, "linux.resources.cpu.period",
			    "%lld is out of range (1000..1000000)", period);
	if ((qg && quota) || (pg && period)) {
		char q[24] = "max";

		if (qg && quota > 0)
			snprintf(q, sizeof(q), "%lld", quota);
		if (pg && period)
			put(r, "cpu.max", "%s %lld", q, period);
		else
			put(r, "cpu.max", "%s", q);
	}
	others(r, cpu, "cpu", known);
	return 0;
}

/* pids: limit -> pids.max ("max" when 0 or less, as runc). */
static int parse_pids(json_t *res, struct oci_resources *r, struct mv_err *err)
{
	static const char *const known[] = { "limit", NULL };
	long long limit;
	bool given;
	json_t *pids;

	if (member(res, "pids", JSON_OBJECT, "linux.resources.pids", &pids, err))
		return -1;
	if (!pids)
		return 0;
	if (get_int(pids, "limit", "linux.resources.pids", INT64_MIN, INT64_MAX, &given, &limit,
		    err))
		return -1;
	if (given && limit > 0)
		put(r, "pids.max", "%lld", limit);
	else if (given)
		put(r, "pids.max", "max");
	others(r, pids, "pids", known);
	return 0;
}

static int parse_resources(json_t *linux, struct oci_resources *r, struct mv_err *err)
{
	static const char *const known[] = { "memory", "cpu", "pids", NULL };
	json_t *res;

	if (member(linux, "resources", JSON_OBJECT, "linux.resources", &res, err))
		return -1;
	if (!res)
		return 0;
	r->set = true;
	if (parse_memory(res, r, err) || parse_cpu(res, r, err) || parse_pids(res, r, err))
		return -1;
	others(r, res, "", known);
	return 0;
}

static int parse_linux(json_t *root, struct oci_spec *s, struct mv_err *err)
{
	const char *prop;
	json_t *linux;

	if (member(root, "linux", JSON_OBJECT, "linux", &linux, err))
		return -1;
	if (!linux)
		return 0;
	if (parse_namespaces(linux, s, err) ||
	    parse_idmaps(linux, "uidMappings", &s->uid_maps, &s->n_uid_maps, err) ||
	    parse_idmaps(linux, "gidMappings", &s->gid_maps, &s->n_gid_maps, err) ||
	    get_strv(linux, "maskedPaths", "linux", false, &s->masked, err) ||
	    get_strv(linux, "readonlyPaths", "linux", false, &s->readonly, err) ||
	    parse_devices(linux, s, err) ||
	    parse_kv(linux, "sysctl", "linux", &s->sysctl, &s->n_sysctl, err) ||
	    get_str(linux, "rootfsPropagation", "linux", false, &prop, err) ||
	    parse_resources(linux, &s->resources, err) || parse_seccomp(linux, &s->seccomp, err))
		return -1;
	for (size_t i = 0; s->masked && s->masked[i]; i++) {
		char f[FIELD_LEN];

		if (need_abs(s->masked[i], sub(f, "linux.maskedPaths", NULL, i), err))
			return -1;
	}
	for (size_t i = 0; s->readonly && s->readonly[i]; i++) {
		char f[FIELD_LEN];

		if (need_abs(s->readonly[i], sub(f, "linux.readonlyPaths", NULL, i), err))
			return -1;
	}
	if (prop && propagation_of(prop, &s->rootfs_propagation))
		return fail(err, "linux.rootfsPropagation", "unknown propagation '%s'", prop);
	if ((s->n_uid_maps || s->n_gid_maps) && !s->ns[OCI_NS_USER].set)
		return fail(err, "linux.uidMappings", "given without a user namespace");
	if (s->ns[OCI_NS_USER].set && !s->ns[OCI_NS_USER].path &&
	    (!s->n_uid_maps || !s->n_gid_maps))
		return fail(err, s->n_uid_maps ? "linux.gidMappings" : "linux.uidMappings",
			    "missing: a new user namespace needs both maps");
	return 0;
}

/* ---- hooks ---- */

static const char *const hook_names[OCI_HOOK_COUNT] = {
	"prestart", "createRuntime", "createContainer", "startContainer", "poststart", "poststop",
};

const char *oci_hook_name(enum oci_hook_kind k)
{
	return k < OCI_HOOK_COUNT ? hook_names[k] : NULL;
}

/* hooks.KIND[i] (field e) into h. */
static int parse_hook(json_t *item, const char *e, struct oci_hook *h, struct mv_err *err)
{
	long long t;
	bool given;

	if (!json_is_object(item))
		return fail(err, e, "must be an object, not %s", type_name(item));
	if (get_str(item, "path", e, true, &h->path, err) ||
	    get_strv(item, "args", e, false, &h->args, err) ||
	    get_strv(item, "env", e, false, &h->env, err) ||
	    get_int(item, "timeout", e, 1, 86400, &given, &t, err) || need_abs(h->path, e, err))
		return -1;
	h->timeout = given ? (int)t : 0;
	return 0;
}

static int parse_hooks(json_t *root, struct oci_spec *s, struct mv_err *err)
{
	char f[FIELD_LEN], e[FIELD_LEN];
	json_t *hooks, *v, *item;
	size_t i;

	if (member(root, "hooks", JSON_OBJECT, "hooks", &hooks, err))
		return -1;
	if (!hooks)
		return 0;
	for (int k = 0; k < OCI_HOOK_COUNT; k++) {
		sub(f, "hooks", hook_names[k], 0);
		if (member(hooks, hook_names[k], JSON_ARRAY, f, &v, err))
			return -1;
		if (!v)
			continue;
		s->hooks[k] = calloc(json_array_size(v) + 1, sizeof(struct oci_hook));
		if (!s->hooks[k])
			return fail(err, f, "out of memory");
		json_array_foreach(v, i, item)
		{
			s->n_hooks[k] = i + 1;
			if (parse_hook(item, sub(e, f, NULL, i), &s->hooks[k][i], err))
				return -1;
		}
	}
	return 0;
}

/* ---- the document ---- */

int oci_spec_parse(const char *text, size_t len, struct oci_spec *s, struct mv_err *err)
{
	json_t *root, *r, *proc;

	memset(s, 0, sizeof(*s));
	err->msg[0] = '\0';
	root = load_text(text, len, err);
	if (!root)
		return -1;
	s->json = root;
	if (get_str(root, "ociVersion", "", true, &s->version, err))
		return -1;
	if (strncmp(s->version, "1.", 2))
		return fail(err, "ociVersion", "'%s' is not a 1.x version", s->version);
	if (member(root, "root", JSON_OBJECT, "root", &r, err))
		return -1;
	if (!r)
		return fail(err, "root", "missing");
	if (get_str(r, "path", "root", true, &s->root, err) ||
	    get_bool(r, "readonly", "root", &s->root_readonly, err))
		return -1;
	if (!s->root[0])
		return fail(err, "root.path", "empty");
	if (member(root, "process", JSON_OBJECT, "process", &proc, err))
		return -1;
	if (proc && parse_process_obj(proc, &s->process, err))
		return -1;
	s->has_process = proc != NULL;
	if (get_str(root, "hostname", "", false, &s->hostname, err))
		return -1;
	if (s->hostname && strlen(s->hostname) > 64)
		return fail(err, "hostname", "longer than 64 characters");
	if (parse_mounts(root, s, err) || parse_linux(root, s, err) || parse_hooks(root, s, err) ||
	    parse_kv(root, "annotations", "", &s->annotations, &s->n_annotations, err))
		return -1;
	if (s->hostname && !s->ns[OCI_NS_UTS].set)
		return fail(err, "hostname", "set without a new uts namespace");
	return 0;
}

int oci_spec_load(const char *path, struct oci_spec *s, struct mv_err *err)
{
	FILE *f = fopen(path, "re");
	char *text = NULL;
	size_t len = 0;
	int r;

	memset(s, 0, sizeof(*s));
	if (!f) {
		return mv_seterr(err, errno, "%s", path);
	}
	/* a bounded read: a config.json is small; 16 MiB is plenty */
	text = malloc(16 << 20);
	if (text)
		len = fread(text, 1, 16 << 20, f);
	fclose(f);
	if (!text) {
		return mv_seterr(err, 0, "%s: out of memory", path);
	}
	if (len == 16 << 20) {
		free(text);
		return mv_seterr(err, 0, "%s: larger than 16 MiB", path);
	}
	r = oci_spec_parse(text, len, s, err);
	free(text);
	if (r)
		mv_errprefix(err, "config.json");
	return r;
}

void oci_spec_free(struct oci_spec *s)
{
	oci_process_free(&s->process, NULL);
	for (size_t i = 0; i < s->n_mounts; i++)
		free(s->mounts[i].data);
	free(s->mounts);
	free(s->uid_maps);
	free(s->gid_maps);
	free(s->masked);
	free(s->readonly);
	free(s->devices);
	free(s->sysctl);
	free(s->seccomp.archs);
	for (size_t i = 0; i < s->seccomp.n_rules; i++) {
		free(s->seccomp.rules[i].names);
		free(s->seccomp.rules[i].args);
	}
	free(s->seccomp.rules);
	for (int k = 0; k < OCI_HOOK_COUNT; k++) {
		for (size_t i = 0; i < s->n_hooks[k]; i++) {
			free(s->hooks[k][i].args);
			free(s->hooks[k][i].env);
		}
		free(s->hooks[k]);
	}
	free(s->annotations);
	if (s->json)
		json_decref(s->json);
	memset(s, 0, sizeof(*s));
}
