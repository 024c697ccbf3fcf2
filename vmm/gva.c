/* SPDX-License-Identifier: MIT */
/* vmm/gva.c: checked guest-virtual accesses over struct gmem and pt_walk(). */
#include "gva.h"

#include <errno.h>
#include <string.h>

/* Translates the page holding gva for an access with v's privilege: the guest-physical
 * address and how many bytes remain in that page (or in the flat range when paging is
 * off). Checks what the CPU checks for a data access (Intel SDM vol. 3, 4.6; AMD APM vol.
 * 2, 5.6): from ring 3, U/S at every level, and R/W at every level for a write; from
 * ring 0, R/W for a write unless CR0.WP is clear. */
static int translate(const struct gview *v, uint64_t gva, bool write, uint64_t *gpa, uint64_t *room)
{
	struct pt_walk w;
	uint64_t limit = v->limit ? v->limit : v->mem->size;

	if (v->fmt == PT_NONE) {
		if (gva >= limit)
			return -EFAULT;
		*gpa = gva;
		*room = limit - gva;
		if (v->user && v->sys_end > v->sys_start) {
			if (gva >= v->sys_start && gva < v->sys_end)
				return -EFAULT;
			if (gva<v->sys_start && * room> v->sys_start - gva)
				*room = v->sys_start - gva;
		}
		return 0;
	}
	if (pt_walk(v->mem, v->fmt, v->root, gva, &w))
		return -EFAULT;
	if (v->user && !w.user)
		return -EFAULT;
	if (write && !w.writable && (v->user || !v->wp_off))
		return -EFAULT;
	*gpa = w.gpa;
	*room = w.page_size - (gva & (w.page_size - 1));
	return 0;
}

int gva_iov(const struct gview *v, uint64_t *gva, uint64_t *len, bool write, struct iovec *iov,
	    int max)
{
	uint64_t at = *gva, left = *len;
	int n = 0;

	while (left) {
		uint64_t gpa, room, chunk;
		void *host;

		if (at + left - 1 < at || translate(v, at, write, &gpa, &room))
			break;
		chunk = room < left ? room : left;
		if (!(host = gmem_ptr(v->mem, gpa, chunk)))
			break;
		/* Merge with the previous run when the host bytes are contiguous. */
		if (n && (uint8_t *)iov[n - 1].iov_base + iov[n - 1].iov_len == host) {
			iov[n - 1].iov_len += chunk;
		} else {
			if (n == max)
				break;
			iov[n++] = (struct iovec){ .iov_base = host, .iov_len = chunk };
		}
		at += chunk;
		left -= chunk;
	}
	if (n == 0 && left)
		return -EFAULT;
	*gva = at;
	*len = left;
	return n;
}

/* Copies between guest and host one page at a time after checking the whole range, so
 * a failure copies nothing; no iovec array to size. */
static int copy(const struct gview *v, uint64_t gva, void *buf, uint64_t len, bool write, bool move)
{
	uint64_t off = 0;

	if (len && gva + len - 1 < gva)
		return -EFAULT;
	for (int pass = 0; pass < 1 + move; pass++) { /* pass 0 checks, pass 1 copies */
		for (off = 0; off < len;) {
			uint64_t gpa, room, chunk;
			uint8_t *host;

			if (translate(v, gva + off, write, &gpa, &room))
				return -EFAULT;
			chunk = room < len - off ? room : len - off;
			if (!(host = gmem_ptr(v->mem, gpa, chunk)))
				return -EFAULT;
			if (pass && write)
				memcpy(host, (uint8_t *)buf + off, chunk);
			else if (pass)
				memcpy((uint8_t *)buf + off, host, chunk);
			off += chunk;
		}
	}
	return 0;
}

int gva_check(const struct gview *v, uint64_t gva, uint64_t len, bool write)
{
	return copy(v, gva, NULL, len, write, false);
}

int gva_read(const struct gview *v, uint64_t gva, void *dst, uint64_t len)
{
	return copy(v, gva, dst, len, false, true);
}

int gva_write(const struct gview *v, uint64_t gva, const void *src, uint64_t len)
{
	return copy(v, gva, (void *)src, len, true, true);
}

int64_t gva_strlen(const struct gview *v, uint64_t gva, uint64_t max)
{
	uint64_t n = 0;

	while (n < max) {
		uint64_t gpa, room, chunk;
		const uint8_t *host, *nul;

		if (gva + n < gva || translate(v, gva + n, false, &gpa, &room))
			return -EFAULT;
		chunk = room < max - n ? room : max - n;
		/* Scan only what memory holds: a page may run past its end (the NUL may not). */
		if (gpa < v->mem->size && chunk > v->mem->size - gpa)
			chunk = v->mem->size - gpa;
		if (!(host = gmem_ptr(v->mem, gpa, chunk)))
			return -EFAULT;
		if ((nul = memchr(host, 0, chunk)))
			return (int64_t)(n + (uint64_t)(nul - host));
		n += chunk;
	}
	return -ENAMETOOLONG;
}

int64_t gva_strcpy(const struct gview *v, uint64_t gva, char *buf, uint64_t size)
{
	uint64_t n = 0;

	buf[0] = '\0';
	while (n < size) {
		uint64_t gpa, room, chunk;
		const uint8_t *host;
		const char *nul;

		if (gva + n < gva || translate(v, gva + n, false, &gpa, &room))
			return -EFAULT;
		chunk = room < size - n ? room : size - n;
		if (gpa < v->mem->size && chunk > v->mem->size - gpa)
			chunk = v->mem->size - gpa;
		if (!(host = gmem_ptr(v->mem, gpa, chunk)))
			return -EFAULT; /* buf[n] is already the terminator */
		/* One read of guest memory; the NUL is looked for in the copy. */
		memcpy(buf + n, host, chunk);
		if ((nul = memchr(buf + n, 0, chunk)))
			return (int64_t)(nul - buf);
		n += chunk;
		if (n < size)
			buf[n] = '\0';
	}
	buf[size - 1] = '\0';
	return -ENAMETOOLONG;
}

int gva_view(struct gview *v, struct gmem *mem, uint64_t cr0, uint64_t cr3, uint64_t cr4,
	     uint64_t efer)
{
	*v = (struct gview){ .mem = mem, .fmt = PT_NONE, .root = cr3, .wp_off = !(cr0 & CR0_WP) };
	if (!(cr0 & CR0_PG))
		return 0;
	if (efer & EFER_LMA)
		v->fmt = PT_4LEVEL;
	else if (cr4 & CR4_PAE)
		return -ENOTSUP;
	else
		v->fmt = PT_32BIT;
	return 0;
}

unsigned gva_cpl(uint64_t cr0, unsigned ss_dpl, unsigned cs_selector)
{
	unsigned cpl = ss_dpl & 3;

	if (!(cr0 & CR0_PE))
		return 0;
	return (cs_selector & 3) > cpl ? cs_selector & 3 : cpl;
}

void gva_set_cpl(struct gview *v, unsigned cpl, uint64_t sys_start, uint64_t sys_end)
{
	v->user = cpl == 3;
	v->sys_start = v->user ? sys_start : 0;
	v->sys_end = v->user ? sys_end : 0;
}
