/* SPDX-License-Identifier: MIT */
/* vmm/kvm_stats.h: reading counters from KVM's binary statistics (KVM_GET_STATS_FD),
 * so the VMM's own exit counts can be checked against the kernel's. */
#ifndef VMM_KVM_STATS_H
#define VMM_KVM_STATS_H

#include <stdint.h>

/* kvm_stats_get: for each of the n names, stores the counter's value in vals[i] and sets
 * found[i]; counters not present leave found[i] at 0. Returns the number found, or a
 * negative errno when the statistics cannot be read. */
int kvm_stats_get(int stats_fd, const char *const names[], uint64_t vals[], int found[], int n);

#endif
