# SPDX-License-Identifier: MIT
# minivirt: kvm-hello-world (a KVM hypervisor) and its guests, tests and benchmarks.
# Everything is built under $(BUILD); `make clean` removes it. STATIC=1 links statically.

BUILD   ?= build
CC      ?= cc
VERSION := 0.1.0

CFLAGS  ?= -O2 -g
WARN    := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Wformat=2
# Each tool sees only its own headers and common/'s: isolate neither the VMM's nor the
# guest ABI, common/ nothing but itself.
BASE_CPPFLAGS := -std=c11 -D_GNU_SOURCE -Icommon -DMINIVIRT_VERSION='"$(VERSION)"' -MMD -MP
CPPFLAGS_ALL := $(BASE_CPPFLAGS) -Iinclude -Ivmm
ISO_CPPFLAGS := $(BASE_CPPFLAGS)
LDLIBS  := -lpthread
ifeq ($(STATIC),1)
LDFLAGS += -static
endif

# Guests are freestanding: no libc, no PIC, no red zone (interrupts would clobber it).
GUEST_CFLAGS := -std=c11 -O2 -ffreestanding -nostdlib -fno-pic -fno-pie -mno-red-zone \
	-fno-stack-protector -fno-asynchronous-unwind-tables -fcf-protection=none \
	-mgeneral-regs-only --param=min-pagesize=0 -Iinclude $(WARN)

Q := @
ifeq ($(V),1)
Q :=
endif

# common/: the toolkit both tools link (parsing, messages, cleanup helpers).
COMMON_SRCS := $(wildcard common/*.c)
COMMON_OBJS := $(COMMON_SRCS:%.c=$(BUILD)/%.o)
VMM_SRCS := $(wildcard vmm/*.c)
VMM_LIB_SRCS := $(filter-out vmm/main.c,$(VMM_SRCS))
VMM_OBJS := $(VMM_SRCS:%.c=$(BUILD)/%.o) $(BUILD)/vmm/guests.o $(COMMON_OBJS)
VMM_LIB_OBJS := $(VMM_LIB_SRCS:%.c=$(BUILD)/%.o) $(BUILD)/vmm/guests.o $(COMMON_OBJS)

UNIT_SRCS := $(wildcard tests/unit/unit_*.c)
UNIT_BINS := $(UNIT_SRCS:tests/unit/%.c=$(BUILD)/tests/%)

# isolate, the container runtime, links libmnl (rtnetlink). Debian ships no static libmnl,
# so a STATIC=1 build leaves isolate out. Its objects go to isolate-obj/: $(BUILD)/isolate
# is the binary. jansson and libseccomp (the OCI front end, custom filters) are linked in
# statically: each start of `isolate PROGRAM` then maps and relocates two libraries fewer
# (about 0.2 ms of CPU on this project's machines), and its peak memory is smaller.
# -z now binds every symbol at start, before the clone: the container's first process never
# resolves one lazily itself (page faults in each library's tables), and the GOT is
# read-only (full RELRO).
ISO_LIBS := -Wl,-z,now -lmnl -Wl,-Bstatic -ljansson -lseccomp -Wl,-Bdynamic
ISO_SRCS := $(wildcard isolate/*.c)
ISO_OBJS := $(ISO_SRCS:isolate/%.c=$(BUILD)/isolate-obj/%.o) $(COMMON_OBJS)
ISO_PURE_OBJS := $(foreach o,options addr base outcome idrange oci_spec,$(BUILD)/isolate-obj/$(o).o) \
	$(COMMON_OBJS)
# The hostile programs tests/isolate runs inside it (a fork bomb, a memory hog, ...).
ISO_PROGS := $(patsubst tests/isolate/progs/%.c,$(BUILD)/isolate-progs/%,\
	$(wildcard tests/isolate/progs/*.c))
# The helpers tests/oci runs beside the runtime (the console socket's other end).
OCI_PROGS := $(patsubst tests/oci/progs/%.c,$(BUILD)/oci-progs/%,$(wildcard tests/oci/progs/*.c))
ifneq ($(STATIC),1)
ISO_BIN := $(BUILD)/isolate $(ISO_PROGS) $(OCI_PROGS)
endif

# Built-in guests: one C source, built for each CPU mode, embedded into the VMM.
GUEST_NAMES := hello fault spin badport wrong
GUEST_BINS := $(foreach g,$(GUEST_NAMES),$(foreach m,16 32 64,$(BUILD)/guest/$(g)$(m).bin))

# The guest SDK: libguest for each build of a guest (16: real mode, 32, 64).
SDK_SRCS := $(wildcard guest/sdk/*.c)
SDK_BITS := 16 32 64
SDK_LIBS := $(foreach b,$(SDK_BITS),$(BUILD)/sdk/libguest-$(b).a)
SDK_CFLAGS := $(GUEST_CFLAGS) -Iguest/sdk/include -Iguest/sdk -fno-tree-loop-distribute-patterns
GUEST_ARCH_16 := -m16 -march=i386 -DMV_GUEST_BITS=16
GUEST_ARCH_32 := -m32 -DMV_GUEST_BITS=32
GUEST_ARCH_64 := -m64 -DMV_GUEST_BITS=64
GUEST_LD_16 := elf_i386
GUEST_LD_32 := elf_i386
GUEST_LD_64 := elf_x86_64

# SDK guests: every guest/examples/*.c and tests/guests/*.c, one ELF per build.
GUEST_PROGS := $(wildcard guest/examples/*.c tests/guests/*.c)
GUEST_ELFS := $(foreach b,$(SDK_BITS),$(foreach g,$(GUEST_PROGS),\
	$(BUILD)/guests/$(b)/$(basename $(notdir $(g))).elf))

all: $(BUILD)/kvm-hello-world $(BUILD)/bench/kvm-floor $(BUILD)/bench/host-read $(BUILD)/bench/alternate $(SDK_LIBS) \
	$(GUEST_ELFS) $(ISO_BIN)

define SDK_RULES
$(BUILD)/sdk/$(1)/%.o: guest/sdk/%.c
	@mkdir -p $$(dir $$@)
	@echo "  CC$(1)    $$<"
	$(Q)$(CC) $(SDK_CFLAGS) $(GUEST_ARCH_$(1)) -MMD -MP -c -o $$@ $$<

$(BUILD)/sdk/libguest-$(1).a: $(SDK_SRCS:guest/sdk/%.c=$(BUILD)/sdk/$(1)/%.o)
	@echo "  AR      $$@"
	$(Q)rm -f $$@ && ar rcs $$@ $$^

$(BUILD)/guests/$(1)/%.o: guest/examples/%.c
	@mkdir -p $$(dir $$@)
	@echo "  CC$(1)    $$<"
	$(Q)$(CC) $(SDK_CFLAGS) $(GUEST_ARCH_$(1)) -MMD -MP -c -o $$@ $$<

$(BUILD)/guests/$(1)/%.o: tests/guests/%.c
	@mkdir -p $$(dir $$@)
	@echo "  CC$(1)    $$<"
	$(Q)$(CC) $(SDK_CFLAGS) $(GUEST_ARCH_$(1)) -MMD -MP -c -o $$@ $$<

$(BUILD)/guests/$(1)/%.elf: $(BUILD)/guests/$(1)/%.o $(BUILD)/sdk/libguest-$(1).a guest/sdk/guest.ld
	@echo "  LD$(1)    $$@"
	$(Q)ld -m $(GUEST_LD_$(1)) -static -nostdlib -z max-page-size=4096 --build-id=none \
		-T guest/sdk/guest.ld -o $$@ $$< $(BUILD)/sdk/libguest-$(1).a
endef
$(foreach b,$(SDK_BITS),$(eval $(call SDK_RULES,$(b))))

# kvm-hello-world is linked statically, as a position-independent executable (its
# addresses still random, as a program that reads hostile guests' requests should be):
# a dynamic libc cost each run 0.2-0.3 ms of loading, mapping and binding on this
# project's machines (page faults are slow in a VM), more than the hello guest's exits;
# -static-pie adds 0.05 ms of self-relocation over -static (docs/vmm.md, section 5).
$(BUILD)/kvm-hello-world: $(VMM_OBJS)
	@echo "  LD      $@"
	$(Q)$(CC) $(filter-out -static,$(LDFLAGS)) -static-pie -o $@ $^ $(LDLIBS)

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	$(Q)$(CC) $(CPPFLAGS_ALL) $(CFLAGS) $(WARN) -c -o $@ $<

$(BUILD)/common/%.o: common/%.c
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	$(Q)$(CC) $(BASE_CPPFLAGS) $(CFLAGS) $(WARN) -c -o $@ $<

$(BUILD)/vmm/guests.o: vmm/guests.S $(GUEST_BINS)
	@mkdir -p $(dir $@)
	@echo "  AS      $<"
	$(Q)$(CC) -c -Wa,-I,$(BUILD)/guest -o $@ $<

# Guest builds: -m16 (real mode, 32-bit code with size prefixes), -m32, -m64.
$(BUILD)/guest/%16.elf: guest/%.c guest/builtin.ld
	@mkdir -p $(dir $@)
	@echo "  CC16    $<"
	$(Q)$(CC) $(GUEST_CFLAGS) -m16 -march=i386 -c -o $(@:.elf=.o) $<
	$(Q)ld -m elf_i386 -T guest/builtin.ld -o $@ $(@:.elf=.o)

$(BUILD)/guest/%32.elf: guest/%.c guest/builtin.ld
	@mkdir -p $(dir $@)
	@echo "  CC32    $<"
	$(Q)$(CC) $(GUEST_CFLAGS) -m32 -c -o $(@:.elf=.o) $<
	$(Q)ld -m elf_i386 -T guest/builtin.ld -o $@ $(@:.elf=.o)

$(BUILD)/guest/%64.elf: guest/%.c guest/builtin.ld
	@mkdir -p $(dir $@)
	@echo "  CC64    $<"
	$(Q)$(CC) $(GUEST_CFLAGS) -m64 -mcmodel=small -c -o $(@:.elf=.o) $<
	$(Q)ld -m elf_x86_64 -T guest/builtin.ld -o $@ $(@:.elf=.o)

$(BUILD)/guest/%.bin: $(BUILD)/guest/%.elf
	$(Q)objcopy -O binary $< $@

$(BUILD)/isolate-obj/%.o: isolate/%.c
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	$(Q)$(CC) $(ISO_CPPFLAGS) $(CFLAGS) $(WARN) -c -o $@ $<

$(BUILD)/isolate: $(ISO_OBJS)
	@echo "  LD      $@"
	$(Q)$(CC) $(LDFLAGS) -o $@ $^ $(ISO_LIBS)

# isolate's default seccomp filter is built with libseccomp here, once, by a generator
# (isolate/gen/seccomp_gen.c) that prints the BPF program as a header: isolate loads it
# with one prctl instead of building it in every container.
$(BUILD)/isolate-gen/seccomp_gen: isolate/gen/seccomp_gen.c
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	$(Q)$(CC) -std=gnu11 $(CFLAGS) $(WARN) -o $@ $< -lseccomp

$(BUILD)/isolate-obj/seccomp_filter.h: $(BUILD)/isolate-gen/seccomp_gen
	@mkdir -p $(dir $@)
	@echo "  GEN     $@"
	$(Q)$< >$@.tmp && mv $@.tmp $@

$(BUILD)/isolate-obj/harden.o: ISO_CPPFLAGS += -I$(BUILD)/isolate-obj
$(BUILD)/isolate-obj/harden.o: $(BUILD)/isolate-obj/seccomp_filter.h

$(BUILD)/isolate-progs/%: tests/isolate/progs/%.c
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	$(Q)$(CC) -std=gnu11 $(CFLAGS) -Wall -Wextra -Werror $(LDFLAGS) -o $@ $<

$(BUILD)/oci-progs/%: tests/oci/progs/%.c
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	$(Q)$(CC) -std=gnu11 $(CFLAGS) -Wall -Wextra -Werror $(LDFLAGS) -o $@ $<

# isolate's unit tests (unit_iso*): its pure parts, not the VMM's (a more specific pattern
# than the one below, so make prefers it).
$(BUILD)/tests/unit_iso%: tests/unit/unit_iso%.c $(ISO_PURE_OBJS)
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	$(Q)$(CC) $(ISO_CPPFLAGS) $(CFLAGS) $(WARN) -o $@ $(filter %.c %.o,$^) -lcmocka -ljansson

# Unit tests: pure VMM code linked with cmocka, no KVM needed. (Each links from one .c:
# the headers its .d file adds to $^ are not inputs, and may have been renamed since.)
$(BUILD)/tests/unit_%: tests/unit/unit_%.c $(VMM_LIB_OBJS)
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	$(Q)$(CC) $(CPPFLAGS_ALL) $(CFLAGS) $(WARN) -o $@ $(filter %.c %.o,$^) -lcmocka $(LDLIBS)

# The hypercall fuzzer (tests/fuzz/fuzz_hc.c): clang's libFuzzer with ASan and UBSan over
# the dispatcher's pure sources. `make fuzz` runs it for FUZZ_TIME seconds, adding what it
# finds to $(BUILD)/fuzz/corpus and reading tests/fuzz/seeds; `make check` runs it for 10 s
# (tests/fuzzsuite/hc.sh). -Wno-format-nonliteral: clang flags util.c's vfprintf wrapper.
FUZZ_CC ?= clang
FUZZ_FLAGS := -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all
# The queue parser's fuzzer (tests/fuzz/fuzz_vq.c) is built the same way over the same
# sources; `make fuzz` runs it too, with its own corpus (tests/fuzzsuite/vq.sh in check).
FUZZ_SRCS := vmm/gva.c vmm/gmem.c vmm/pagetable.c vmm/vq.c \
	$(wildcard vmm/hc_*.c) vmm/files.c vmm/util.c vmm/ring.c vmm/bell.c vmm/console.c vmm/split.c $(COMMON_SRCS)
FUZZ_BINS := $(BUILD)/fuzz/fuzz_hc $(BUILD)/fuzz/fuzz_vq
FUZZ_TIME ?= 60

$(BUILD)/fuzz/fuzz_%: tests/fuzz/fuzz_%.c $(FUZZ_SRCS) \
		$(wildcard vmm/*.h include/minivirt/*.h common/*.h)
	@mkdir -p $(dir $@)
	@echo "  FUZZCC  $@"
	$(Q)$(FUZZ_CC) $(FUZZ_FLAGS) -std=c11 -D_GNU_SOURCE -Iinclude -Icommon -Ivmm $(WARN) \
		-Wno-format-nonliteral -o $@ $< $(FUZZ_SRCS)

fuzz: $(FUZZ_BINS)
	@mkdir -p $(BUILD)/fuzz/corpus $(BUILD)/fuzz/corpus-vq
	$(BUILD)/fuzz/fuzz_hc -max_total_time=$(FUZZ_TIME) -artifact_prefix=$(BUILD)/fuzz/ \
		$(BUILD)/fuzz/corpus tests/fuzz/seeds
	$(BUILD)/fuzz/fuzz_vq -max_total_time=$(FUZZ_TIME) -artifact_prefix=$(BUILD)/fuzz/ \
		$(BUILD)/fuzz/corpus-vq tests/fuzz/seeds-vq

$(BUILD)/bench/%: bench/%.c
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	$(Q)$(CC) $(CPPFLAGS_ALL) $(CFLAGS) $(WARN) $(LDFLAGS) -o $@ $<

# The VMM built with ThreadSanitizer: `make check` runs the concurrent tests (several
# vCPUs, the console ring) with it (tests/tsan/).
TSAN_OBJS := $(VMM_SRCS:%.c=$(BUILD)/tsan/%.o) $(COMMON_SRCS:%.c=$(BUILD)/tsan/%.o) \
	$(BUILD)/vmm/guests.o

$(BUILD)/tsan/%.o: %.c
	@mkdir -p $(dir $@)
	@echo "  CC-TSAN $<"
	$(Q)$(CC) $(CPPFLAGS_ALL) -O1 -g -fsanitize=thread $(WARN) -c -o $@ $<

$(BUILD)/tsan/kvm-hello-world: $(TSAN_OBJS)
	@echo "  LD-TSAN $@"
	$(Q)$(CC) -fsanitize=thread -o $@ $^ $(LDLIBS)

# The VMM built with AddressSanitizer and UndefinedBehaviorSanitizer: `make check` runs the
# whole vmm suite with it (tests/asan/); any report ends the binary with status 66.
ASAN_FLAGS := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
ASAN_OBJS := $(VMM_SRCS:%.c=$(BUILD)/asan/%.o) $(COMMON_SRCS:%.c=$(BUILD)/asan/%.o) \
	$(BUILD)/vmm/guests.o

$(BUILD)/asan/%.o: %.c
	@mkdir -p $(dir $@)
	@echo "  CC-ASAN $<"
	$(Q)$(CC) $(CPPFLAGS_ALL) -O1 -g $(ASAN_FLAGS) $(WARN) -c -o $@ $<

$(BUILD)/asan/kvm-hello-world: $(ASAN_OBJS)
	@echo "  LD-ASAN $@"
	$(Q)$(CC) $(ASAN_FLAGS) -o $@ $^ $(LDLIBS)

demo: $(BUILD)/kvm-hello-world
	./$(BUILD)/kvm-hello-world -l

check: all $(UNIT_BINS) $(FUZZ_BINS) $(BUILD)/tsan/kvm-hello-world \
	$(BUILD)/asan/kvm-hello-world
	sh tests/run.sh unit harness vmm isolate oci docs install fuzzsuite tsan asan svm

# The command examples of README.md and docs/ run again, their real output written back
# into the pages (cram merges it; scripts/docs-refresh.sh); `git diff` shows what changed.
# tests/docs/examples.sh, in make check, fails when a page no longer matches.
docs-refresh: all
	sh scripts/docs-refresh.sh

# The unit test binaries alone (tests/mutate.sh builds them in its scratch copy).
unit-bins: $(UNIT_BINS)

# Plants a fixed list of small bugs one at a time in a scratch copy and says which the tests
# catch (tests/mutate.sh); not part of make check.
mutate:
	sh tests/mutate.sh

# `make lint`: shellcheck on every script, cppcheck on the C sources, each with a short
# suppression list justified in scripts/lint.sh; `make check` runs it first.
# clang-tidy reads isolate/harden.c, which includes the generated filter.
lint: $(BUILD)/isolate-obj/seccomp_filter.h
	sh scripts/lint.sh

check: lint

# The vmm tests again on real KVM: kvm-amd in a Debian kernel under QEMU/TCG (tests/svm/).
check-kvm-svm:
	$(MAKE) STATIC=1 BUILD=$(BUILD)/static all
	MINIVIRT_BUILD=$(abspath $(BUILD)) sh tests/run.sh svm

bench: all
	sh scripts/deps.sh bench
	sh bench/run.sh

# The long runs: isolate SIGKILLed at random moments, 2000 runs of each kind (tests/isolate/
# race.sh; `make check` runs 100 of each). Like check, run it in a network namespace of its
# own: unshare --net sh -c 'ip link set lo up; make stress'.
stress: all
	MINIVIRT_RACE_RUNS=2000 sh tests/isolate/race.sh

# Installation: PREFIX (default /usr/local) and DESTDIR as usual. uninstall removes the
# same list of files, then the directories of minivirt's own when they are empty.
PREFIX ?= /usr/local
BINDIR := $(PREFIX)/bin
INCDIR := $(PREFIX)/include/minivirt
LIBDIR := $(PREFIX)/lib/minivirt
MANDIR := $(PREFIX)/share/man
EXAMPLES := $(basename $(notdir $(wildcard guest/examples/*.c)))
INSTALLED := $(BINDIR)/kvm-hello-world $(BINDIR)/isolate \
	$(INCDIR)/hc.h $(INCDIR)/guest.h $(INCDIR)/posix.h $(LIBDIR)/guest.ld \
	$(foreach b,$(SDK_BITS),$(LIBDIR)/libguest-$(b).a) \
	$(foreach b,$(SDK_BITS),$(foreach e,$(EXAMPLES),$(LIBDIR)/guests/$(b)/$(e).elf)) \
	$(MANDIR)/man1/kvm-hello-world.1 $(MANDIR)/man1/isolate.1 $(MANDIR)/man7/minivirt-guest.7

install: all
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(INCDIR) $(DESTDIR)$(MANDIR)/man1 \
		$(DESTDIR)$(MANDIR)/man7 $(foreach b,$(SDK_BITS),$(DESTDIR)$(LIBDIR)/guests/$(b))
	install -m 755 $(BUILD)/kvm-hello-world $(BUILD)/isolate $(DESTDIR)$(BINDIR)/
	install -m 644 include/minivirt/hc.h guest/sdk/include/minivirt/guest.h \
		guest/sdk/include/minivirt/posix.h $(DESTDIR)$(INCDIR)/
	install -m 644 guest/sdk/guest.ld $(SDK_LIBS) $(DESTDIR)$(LIBDIR)/
	$(foreach b,$(SDK_BITS),install -m 644 $(EXAMPLES:%=$(BUILD)/guests/$(b)/%.elf) \
		$(DESTDIR)$(LIBDIR)/guests/$(b)/ &&) true
	install -m 644 man/kvm-hello-world.1 man/isolate.1 $(DESTDIR)$(MANDIR)/man1/
	install -m 644 man/minivirt-guest.7 $(DESTDIR)$(MANDIR)/man7/

uninstall:
	rm -f $(addprefix $(DESTDIR),$(INSTALLED))
	-rmdir $(foreach b,$(SDK_BITS),$(DESTDIR)$(LIBDIR)/guests/$(b)) $(DESTDIR)$(LIBDIR)/guests \
		$(DESTDIR)$(LIBDIR) $(DESTDIR)$(INCDIR) 2>/dev/null

clean:
	rm -rf $(BUILD)

.PHONY: all demo check docs-refresh check-kvm-svm lint unit-bins mutate bench stress clean fuzz install uninstall
.SECONDARY:
# (not into isolate-root/, the tests' Debian root: its etc/*.d are folders)
-include $(shell find $(BUILD) -path $(BUILD)/isolate-root -prune -o -name '*.d' -type f -print 2>/dev/null)
