/* SPDX-License-Identifier: MIT */
/* vmm/kvm_stats.c: a reader for KVM's binary statistics format
 * (Documentation/virt/kvm/api.rst, "KVM_GET_STATS_FD"). */
#include "kvm_stats.h"

#include <errno.h>
#include <linux/kvm.h>
#include <string.h>

#include "util.h"

static int read_at(int fd, void *buf, size_t len, off_t off)
{
	ssize_t n = RETRY_EINTR(pread(fd, buf, len, off));

	if (n < 0)
		return -errno;
	return (size_t)n == len ? 0 : -EIO;
}

int kvm_stats_get(int stats_fd, const char *const names[], uint64_t vals[], int found[], int n)
{
	struct kvm_stats_header h;
	cleanup_free char *descs = NULL;
	size_t desc_size;
	int err, hits = 0;

	memset(found, 0, sizeof(*found) * (size_t)n);
	if (stats_fd < 0)
		return -EBADF;
	if ((err = read_at(stats_fd, &h, sizeof(h), 0)))
		return err;
	if (h.num_desc > 4096 || h.name_size > 4096)
		return -EINVAL; /* not a header we understand */
	desc_size = sizeof(struct kvm_stats_desc) + h.name_size;
	descs = xcalloc(h.num_desc, desc_size);
	if ((err = read_at(stats_fd, descs, h.num_desc * desc_size, h.desc_offset)))
		return err;
	for (uint32_t d = 0; d < h.num_desc; d++) {
		const struct kvm_stats_desc *desc = (const void *)(descs + d * desc_size);
		const char *name = descs + d * desc_size + sizeof(*desc);

		if (strnlen(name, h.name_size) == h.name_size || desc->size < 1)
			continue;
		for (int i = 0; i < n; i++) {
			if (found[i] || strcmp(name, names[i]))
				continue;
			err = read_at(stats_fd, &vals[i], sizeof(vals[i]),
				      (off_t)h.data_offset + desc->offset);
			if (err)
				return err;
			found[i] = 1;
			hits++;
		}
	}
	return hits;
}
