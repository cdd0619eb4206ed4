#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
#
# Fetch Debian 12's unmodified Xen 4.17 userland for arm64 (xl, xen-init-dom0, the C
# xenstored, xenconsoled, xl.conf, the hotplug scripts and what they run: bash, flock,
# xenstore-read and friends), e2fsprogs (ext4 for the example guests' disks), the shared
# libraries they need, and the kernel's Xen device and block modules (privcmd, evtchn, gntdev,
# xenfs, blkback, blkfront, loop, brd: modules in Debian's cloud kernel).
# Packages are unpacked with dpkg-deb -x, no maintainer script runs. Everything lands in
# .cache/debian/xen-utils/root, a tree scripts/mkinitramfs.sh --xen-utils picks from.
# Versions are what apt resolves today; a stamp records them, and nothing is redone while
# it matches.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
cache="$root/.cache/debian/xen-utils"
stamp="$cache/stamp"

die() {
	echo "fetch-xen-utils: $*" >&2
	exit 1
}

# The binaries' libraries (NEEDED entries, followed by mkinitramfs.sh) come from these.
packages=(xen-utils-4.17 xen-utils-common libxenmisc4.17 libxencall1 libxenevtchn1 libxenforeignmemory1
	libxengnttab1 libxenstore4 libxentoollog1 libxentoolcore1 libxendevicemodel1 libxenhypfs1
	libyajl2 libc6 libncurses6 libtinfo6 libuuid1 libext2fs2 libcom-err2 libfdt1 zlib1g
	libgcc-s1
	bash util-linux xenstore-utils e2fsprogs libblkid1)

# The kernel fetch-debian.sh boots, for its modules: the metapackage's current dependency.
kernel_pkg=$(apt-cache depends linux-image-cloud-arm64:arm64 2>/dev/null |
	sed -n 's/^ *Depends: \(linux-image-[^ ]*-cloud-arm64\)\(:arm64\)\{0,1\}$/\1/p' | head -n1)
[ -n "$kernel_pkg" ] || die "cannot resolve linux-image-cloud-arm64:arm64 (run scripts/setup-host.sh)"

specs=()
for p in "${packages[@]}" "$kernel_pkg"; do
	specs+=("$p:arm64")
done
want=$(apt-cache policy "${specs[@]}" 2>/dev/null |
	awk '/^[^ ]/ { pkg = $1; sub(/:$/, "", pkg) } /Candidate:/ { print pkg "=" $2 }')
for p in "${specs[@]}"; do
	grep -q "^$p=" <<<"$want" || die "apt knows no $p"
done
if grep -q '=(none)$' <<<"$want"; then
	die "no installable version: $(grep '=(none)$' <<<"$want" | tr '\n' ' ')"
fi

if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ] &&
	[ -x "$cache/root/usr/lib/xen-4.17/bin/xl" ]; then
	exit 0
fi

echo "fetch-xen-utils: downloading ${#specs[@]} packages"
rm -rf "$cache"
mkdir -p "$cache/debs" "$cache/root" "$cache/kernel"
# apt-get download drops privileges to _apt when run as root; let it write here.
chmod 0777 "$cache/debs"
(cd "$cache/debs" && apt-get download -q "${specs[@]}" >/dev/null) || die "apt-get download failed"
for deb in "$cache"/debs/*.deb; do
	case "$(basename "$deb")" in
	linux-image-*) dpkg-deb -x "$deb" "$cache/kernel" ;;
	*) dpkg-deb -x "$deb" "$cache/root" ;;
	esac
done

# Only the modules used: the Xen devices dom0's tools open (/dev/xen/{privcmd,evtchn,gntdev},
# /proc/xen), the block backend and the loop and RAM disks it serves from, and the block
# frontend for the guests (the same kernel). None of them depends on another module.
moddir=$(find "$cache/kernel/lib/modules" -mindepth 1 -maxdepth 1 -type d | head -n1)
[ -n "$moddir" ] || die "no modules in $kernel_pkg"
mkdir -p "$cache/root/lib/modules/$(basename "$moddir")"
for m in xen-privcmd xen-evtchn xen-gntdev xenfs xen-blkback xen-blkfront loop brd; do
	ko=$(find "$moddir/kernel/drivers/xen" "$moddir/kernel/drivers/block" -name "$m.ko*" | head -n1)
	[ -n "$ko" ] || die "no $m module in $kernel_pkg"
	cp "$ko" "$cache/root/lib/modules/$(basename "$moddir")/"
done
rm -rf "$cache/debs" "$cache/kernel"
printf '%s\n' "$want" >"$stamp"
echo "fetch-xen-utils: $(wc -l <"$stamp") packages unpacked in $cache/root"
