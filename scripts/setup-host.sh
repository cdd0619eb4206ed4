#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
#
# Install what building and testing Punt needs on a Debian 12 host. Idempotent and quiet
# when nothing is missing; needs root only when something is.
set -euo pipefail

packages=(
	qemu-system-arm         # qemu-system-aarch64: the virt board everything boots on
	ipxe-qemu               # option ROMs QEMU loads for its default network card
	gcc-aarch64-linux-gnu   # cross compiler for the hypervisor and dom0 tools
	binutils-aarch64-linux-gnu
	libc6-dev-arm64-cross   # C library for the static aarch64 xenstored (tools/xenstored cross)
	device-tree-compiler    # dtc, fdtput: test DTBs
	python3-kconfiglib      # Kconfig front end
	libcmocka-dev           # host unit tests
	gcovr                   # make coverage
	python3-pytest          # system tests
	clang                   # sanitizers for host unit tests
	libclang-rt-14-dev
	cpio                    # dom0 initramfs
	gzip
	xenstore-utils          # xenstore protocol cross-checks
	python3-pyxs
	gdb-multiarch           # debugging the hypervisor under QEMU
	cppcheck                # lint
	clang-format
)

missing_packages() {
	local p
	for p in "${packages[@]}"; do
		# ${db:Status-Status} is "installed" only for a fully installed package.
		if [ "$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null)" != installed ]; then
			echo "$p"
		fi
	done
}

have_arm64_arch() {
	dpkg --print-foreign-architectures | grep -qx arm64
}

have_arm64_lists() {
	compgen -G '/var/lib/apt/lists/*_binary-arm64_Packages*' >/dev/null
}

mapfile -t missing < <(missing_packages)
if [ ${#missing[@]} -eq 0 ] && have_arm64_arch && have_arm64_lists; then
	exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
	have_arm64_arch || missing+=("(dpkg architecture arm64)")
	have_arm64_lists || missing+=("(arm64 package lists)")
	echo "setup-host: missing: ${missing[*]}" >&2
	echo "setup-host: run as root: sudo make deps" >&2
	exit 1
fi

export DEBIAN_FRONTEND=noninteractive
need_update=false
if ! have_arm64_arch; then
	echo "setup-host: adding dpkg architecture arm64 (for the Debian arm64 kernel, busybox, Xen)"
	dpkg --add-architecture arm64
	need_update=true
fi
have_arm64_lists || need_update=true
# Install from fresh lists when something is missing: cached lists may name versions the
# archive no longer carries.
[ ${#missing[@]} -eq 0 ] || need_update=true

if $need_update; then
	echo "setup-host: apt-get update"
	apt-get update -q
fi
if [ ${#missing[@]} -gt 0 ]; then
	echo "setup-host: installing ${missing[*]}"
	apt-get install -y -q --no-install-recommends "${missing[@]}"
fi
