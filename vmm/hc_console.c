/* SPDX-License-Identifier: MIT */
/* vmm/hc_console.c: the console and control hypercalls: print_val, get_num_exits,
 * display, exit and report. */
#include <errno.h>
#include <inttypes.h>
#include <string.h>

#include "hc_dispatch.h"

enum hc_action hc_print_val(struct hc_ctx *c, void *req)
{
	struct hc_print_val *r = req;

	fprintf(c->out, "%" PRIu32 "\n", r->value);
	r->ret = 0;
	return HC_CONTINUE;
}

enum hc_action hc_get_num_exits(struct hc_ctx *c, void *req)
{
	struct hc_get_num_exits *r = req;

	r->exits = c->exits;
	r->ret = 0;
	return HC_CONTINUE;
}

/* Prints the string in pieces copied into VMM memory: the first pass only bounds it
 * (every byte readable, a NUL within memory: else nothing is printed), the second copies
 * each piece once and prints what it copied, up to a NUL found in the copy, so another
 * vCPU changing the string meanwhile can shorten the output, never lengthen it. */
enum hc_action hc_display(struct hc_ctx *c, void *req)
{
	struct hc_display *r = req;
	int64_t len = gva_strlen(&c->view, r->str, c->view.mem->size);
	uint64_t done = 0;

	if (len < 0) { /* unreadable before the NUL, or no NUL in all of memory */
		r->ret = -HC_EFAULT;
		c->stats.errors++;
		return HC_CONTINUE;
	}
	while (done < (uint64_t)len) {
		char buf[4096];
		uint64_t want =
			(uint64_t)len - done < sizeof(buf) ? (uint64_t)len - done : sizeof(buf);
		size_t n;

		if (gva_read(&c->view, r->str + done, buf, want))
			break;
		n = strnlen(buf, want);
		fwrite(buf, 1, n, c->out);
		done += n;
		if (n < want)
			break;
	}
	r->ret = (int64_t)done;
	c->stats.display_bytes += done;
	return HC_CONTINUE;
}

enum hc_action hc_vcpu_id(struct hc_ctx *c, void *req)
{
	struct hc_vcpu_id *r = req;

	r->id = c->vcpu_id;
	r->ret = 0;
	return HC_CONTINUE;
}

/* The ring's eventfd and thread exist from the start (with --ring); setting it up only
 * checks the guest's proposal and points the drain at it. The caller holds ring->lock. */
enum hc_action hc_ring_setup(struct hc_ctx *c, void *req)
{
	struct hc_ring_setup *r = req;

	if (!c->ring)
		r->ret = -HC_ENOSYS;
	else if (c->ring->active)
		r->ret = -HC_EEXIST;
	else
		r->ret = ring_setup(c->ring, &c->view, r->ring, r->flags);
	c->stats.errors += r->ret < 0;
	return HC_CONTINUE;
}

enum hc_action hc_exit(struct hc_ctx *c, void *req)
{
	const struct hc_exit *r = req;

	c->exit_status = r->status & 0xff;
	return HC_STOP_EXIT;
}

/* Copies the guest string at gva into buf once (truncated to fit, always terminated); a
 * bad pointer becomes a marker rather than an error, as the report is about something else. */
static void guest_string(struct hc_ctx *c, uint64_t gva, char *buf, size_t size)
{
	int64_t len;

	if (!gva) {
		buf[0] = '\0';
		return;
	}
	len = gva_strcpy(&c->view, gva, buf, size);
	if (len == -ENAMETOOLONG)
		len = (int64_t)size - 1;
	if (len < 0) {
		snprintf(buf, size, "<bad pointer 0x%" PRIx64 ">", gva);
		return;
	}
	/* Keep the report one line whatever the guest wrote. */
	for (int64_t i = 0; i < len; i++)
		if ((unsigned char)buf[i] < 0x20 || buf[i] == 0x7f)
			buf[i] = '?';
}

enum hc_action hc_report(struct hc_ctx *c, void *req)
{
	const struct hc_report *r = req;
	char file[128], msg[160];

	guest_string(c, r->file, file, sizeof(file));
	guest_string(c, r->msg, msg, sizeof(msg));
	switch (r->kind) {
	case HC_REPORT_FAIL:
		mv_seterr(&c->why, 0, "guest assertion failed at %s:%" PRIu32 ": %s",
			  file[0] ? file : "?", r->line, msg);
		return HC_STOP_FAIL;
	case HC_REPORT_DONE:
		if (msg[0])
			fprintf(c->out, "%s\n", msg);
		c->exit_status = 0;
		return HC_STOP_EXIT;
	default:
		mv_seterr(&c->why, 0, "report of unknown kind %" PRIu32 " at %s:%" PRIu32, r->kind,
			  file[0] ? file : "?", r->line);
		return HC_STOP_FAIL;
	}
}
