# SPDX-License-Identifier: Apache-2.0
# Punt: top-level entry points. `make run` and `make test` work on a fresh Debian 12
# machine as root: they install what is missing first (scripts/setup-host.sh).

BUILD := $(CURDIR)/build
PYTHON := $(if $(wildcard /usr/bin/python3),/usr/bin/python3,python3)
SMP ?= 2
QEMU_ARGS ?=
BENCH_ARGS ?=
MUTATE_ARGS ?=
DEFCONFIG ?= defconfig

.PHONY: all deps fetch initramfs initramfs-xl run-xl run-plain hyp hyp-minimal run test test-unit coverage test-xenstored \
	test-system test-guests test-fuzz test-soak bench fuzz soak soak-xl mutate defconfig menuconfig check clean \
	distclean

all: hyp hyp-minimal

deps:
	@scripts/setup-host.sh

fetch: deps
	@scripts/fetch-debian.sh

initramfs: fetch
	@scripts/mkinitramfs.sh

# dom0's initramfs with Debian's Xen 4.17 userland (xl, xenstored, xenconsoled, xen-init-dom0).
XL_INITRD := $(BUILD)/dom0-xl-initrd.cpio.gz
initramfs-xl: fetch
	@scripts/fetch-xen-utils.sh
	@scripts/mkinitramfs.sh -o $(XL_INITRD) --xen-utils

hyp: deps
	@$(MAKE) -s -C hyp O=$(BUILD)/hyp DEFCONFIG=$(DEFCONFIG)
	@cp $(BUILD)/hyp/punt.Image $(BUILD)/punt.Image

hyp-minimal: deps
	@$(MAKE) -s -C hyp O=$(BUILD)/hyp-minimal DEFCONFIG=minimal_defconfig

defconfig menuconfig: deps
	@$(MAKE) -C hyp O=$(BUILD)/hyp DEFCONFIG=$(DEFCONFIG) $@

# Punt with dom0 running Xen 4.17's toolstack (xenstored, xenconsoled started): `xl info`,
# `xl list`, and `xl create -c /etc/xen/debian-guest.cfg` for the example guest.
run: hyp initramfs-xl
	$(PYTHON) scripts/qemu.py --hyp punt --smp $(SMP) --dom0-initrd $(XL_INITRD) $(QEMU_ARGS)

# The name earlier sessions used for the same thing.
run-xl: run

# dom0 with the plain busybox image only: no toolstack, a shell a few seconds sooner.
run-plain: hyp initramfs
	$(PYTHON) scripts/qemu.py --hyp punt --smp $(SMP) $(QEMU_ARGS)

test: hyp hyp-minimal initramfs initramfs-xl fetch
	@$(MAKE) --no-print-directory check test-unit test-xenstored test-guests test-fuzz test-soak \
		test-system

test-unit: deps
	@$(MAKE) -s -C tests/unit test

# Line coverage of the generic code (hyp/core, hyp/lib) by the host unit tests: the same tests
# built with gcc --coverage into build/coverage, then gcovr's table per file and the total. It
# fails below COVERAGE_MIN percent, the one place the threshold is set. By hand, the same
# figures: make -C tests/unit OUT=DIR CC="gcc --coverage" test; gcovr -r . --object-directory DIR
# --filter hyp/core --filter hyp/lib
COVERAGE_MIN := 85
coverage: deps
	@rm -rf $(BUILD)/coverage && mkdir -p $(BUILD)
	@$(MAKE) -s -C tests/unit OUT=$(BUILD)/coverage CC="gcc --coverage" test >$(BUILD)/coverage.log 2>&1 \
		|| { tail -40 $(BUILD)/coverage.log; echo "coverage: unit tests failed (log: $(BUILD)/coverage.log)"; exit 1; }
	@gcovr -r . --object-directory $(BUILD)/coverage --filter hyp/core --filter hyp/lib \
		--fail-under-line $(COVERAGE_MIN) \
		|| { echo "coverage: hyp/core + hyp/lib below $(COVERAGE_MIN)% of lines"; exit 1; }

test-xenstored: deps
	@$(MAKE) -s -C tools/xenstored O=$(BUILD)/xenstored test

test-guests: hyp initramfs
	@$(MAKE) -s -C tests/guests conformance

# The hostile-guest fuzzer against Punt: three fixed 25 s runs of two rebooting hostile
# domains next to a canary, about a minute and a half.
test-fuzz: hyp
	@$(MAKE) -s -C tests/guests PYTHON=$(PYTHON) fuzz-short

# Two-domain boots, three QEMUs at once: races between CPUs at boot and teardown.
test-soak: hyp
	@$(MAKE) -s -C tests/guests PYTHON=$(PYTHON) soak-short

test-system: hyp initramfs initramfs-xl
	@$(MAKE) -s -C tests/guests lifecycle
	$(PYTHON) -m pytest -q -p no:cacheprovider tests/system

bench: hyp initramfs initramfs-xl
	$(PYTHON) scripts/bench.py $(BENCH_ARGS)
	$(PYTHON) scripts/bench_xl.py
	$(PYTHON) scripts/bench_block.py
	$(PYTHON) scripts/exit_table.py
	$(PYTHON) scripts/bench_guests.py $(BENCH_ARGS)
	@$(MAKE) -s -C tests/guests PYTHON=$(PYTHON) bench
	@$(MAKE) -s -C tools/xenstored O=$(BUILD)/xenstored bench
	$(PYTHON) scripts/bench_xenstored.py

# Long runs: xenstored's fuzzer, then the hostile guests (FUZZ_RUN-second runs for FUZZ_TIME
# seconds in all; docs/fuzzing.md).
fuzz: deps hyp
	@$(MAKE) -s -C tools/xenstored O=$(BUILD)/xenstored fuzz
	@$(MAKE) -s -C tests/guests PYTHON=$(PYTHON) fuzz

# Boot races between CPUs: SOAK_BOOTS boots of a two-domain scenario, three QEMUs at once;
# then a domain rebooting itself for STORM_S seconds while its other vCPU traps, next to a canary.
STORM_S ?= 600
soak: hyp
	@$(MAKE) -s -C tests/guests PYTHON=$(PYTHON) soak
	@$(MAKE) -s -C tests/guests lifecycle
	PUNT_STORM_S=$(STORM_S) $(PYTHON) -m pytest -q -s -p no:cacheprovider tests/system/test_domain_lifecycle.py -k rebooting

# Lifecycle without leaks at full length: 20 create/destroy and 20 create/reboot/power-off
# cycles through xl on Punt and on Xen 4.17 (make test runs fewer; docs/control.md).
soak-xl: hyp initramfs-xl
	PUNT_XL_CYCLES=20,20 PUNT_XL_XEN_CYCLES=20,20 $(PYTHON) -m pytest -q -p no:cacheprovider \
		tests/system/test_xl_lifecycle.py

# Mutation testing (docs/testing.md): break Punt on purpose, one way at a time, in copies of
# the tree, and check that the tests notice. Not part of `make test` (about 10 minutes).
mutate: hyp initramfs
	@$(MAKE) -s -C tests/guests PYTHON=$(PYTHON) all lifecycle fuzz-image
	$(PYTHON) scripts/mutate.py $(MUTATE_ARGS)

# The style gate, and every mutation of `make mutate` still finds its text (a code change that
# moves it fails here, not hours later in a mutation run).
check: deps
	@scripts/check-style.sh
	@$(PYTHON) scripts/mutate.py --check-anchors

clean:
	rm -rf $(BUILD)

distclean: clean
	rm -rf .cache
