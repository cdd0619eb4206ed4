#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
#
# Fetch the Debian arm64 pieces the system tests and the benchmark boot: the cloud kernel
# (dom0), busybox-static (dom0's initramfs) and Xen 4.17 (the baseline hypervisor). They
# land in .cache/debian/ under stable names:
#   vmlinuz    arm64 Image of the current linux-image-*-cloud-arm64
#   busybox    static arm64 busybox
#   xen-4.17   Xen 4.17 hypervisor image
# A stamp records the package versions used; nothing is redone while it matches what apt
# resolves today.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
cache="$root/.cache/debian"
stamp="$cache/stamp"

die() {
	echo "fetch-debian: $*" >&2
	exit 1
}

# Print "package=candidate-version" for each argument, in one (slow) apt-cache call.
candidate_versions() {
	apt-cache policy "$@" 2>/dev/null |
		awk '/^[^ ]/ { pkg = $1; sub(/:$/, "", pkg) } /Candidate:/ { print pkg "=" $2 }'
}

# The metapackage depends on the kernel package of the current ABI; follow it rather than
# pinning an ABI number here.
resolve_kernel_package() {
	apt-cache depends linux-image-cloud-arm64:arm64 2>/dev/null |
		sed -n 's/^ *Depends: \(linux-image-[^ ]*-cloud-arm64\)\(:arm64\)\{0,1\}$/\1/p' | head -n1
}

kernel_pkg=$(resolve_kernel_package)
[ -n "$kernel_pkg" ] ||
	die "cannot resolve linux-image-cloud-arm64:arm64 (run scripts/setup-host.sh as root first)"
packages=("$kernel_pkg:arm64" busybox-static:arm64 xen-hypervisor-4.17-arm64:arm64)

want=$(candidate_versions "${packages[@]}")
for p in "${packages[@]}"; do
	grep -q "^$p=" <<<"$want" || die "apt knows no $p"
done
if grep -q '=(none)$' <<<"$want"; then
	die "no installable version: $(grep '=(none)$' <<<"$want" | tr '\n' ' ')"
fi

outputs=("$cache/vmlinuz" "$cache/busybox" "$cache/xen-4.17")
up_to_date() {
	[ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ] || return 1
	for f in "${outputs[@]}"; do
		[ -s "$f" ] || return 1
	done
}
if up_to_date; then
	exit 0
fi

echo "fetch-debian: downloading ${packages[*]}"
mkdir -p "$cache"
rm -rf "$cache/debs" "$cache/root"
mkdir -p "$cache/debs" "$cache/root"
# apt-get download drops privileges to _apt when run as root; let it write here.
chmod 0777 "$cache/debs"
(cd "$cache/debs" && apt-get download -q "${packages[@]}" >/dev/null) ||
	die "apt-get download failed"
chmod 0755 "$cache/debs"

for deb in "$cache"/debs/*.deb; do
	dpkg-deb -x "$deb" "$cache/root"
done

# Debian ships an uncompressed arm64 Image; accept a gzip'd one should that ever change.
install_kernel() {
	local src
	src=$(find "$cache/root/boot" -maxdepth 1 -name 'vmlinuz-*-cloud-arm64' | head -n1)
	[ -n "$src" ] || die "no vmlinuz in $kernel_pkg"
	if gzip -t "$src" 2>/dev/null; then
		gzip -dc "$src" >"$cache/vmlinuz.tmp"
	else
		cp "$src" "$cache/vmlinuz.tmp"
	fi
	mv "$cache/vmlinuz.tmp" "$cache/vmlinuz"
}

install_xen() {
	local src
	src=$(find "$cache/root/boot" -maxdepth 1 -name 'xen-4.17*' ! -name '*.config' -type f |
		head -n1)
	[ -n "$src" ] || die "no xen-4.17 image in xen-hypervisor-4.17-arm64"
	cp "$src" "$cache/xen-4.17.tmp"
	mv "$cache/xen-4.17.tmp" "$cache/xen-4.17"
}

install_busybox() {
	[ -x "$cache/root/bin/busybox" ] || die "no /bin/busybox in busybox-static"
	cp "$cache/root/bin/busybox" "$cache/busybox.tmp"
	mv "$cache/busybox.tmp" "$cache/busybox"
}

install_kernel
install_xen
install_busybox
rm -rf "$cache/root" "$cache/debs"
printf '%s\n' "$want" >"$stamp"
echo "fetch-debian: $(tr '\n' ' ' <"$stamp")"
