#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
#
# Build dom0's initramfs: a static busybox and an /init that reports what dom0 sees, then
# either acts on a test request from the kernel command line or gives the console a shell.
#
#   scripts/mkinitramfs.sh [-o OUT] [SRC:DEST ...]
#
# OUT defaults to build/dom0-initrd.cpio.gz. Each SRC:DEST copies a host file into the
# image (e.g. a cross-built tool to /bin/xl). Executables placed under /etc/punt.d/ run, in
# name order, after the markers and before the test action.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
out="$root/build/dom0-initrd.cpio.gz"
busybox="$root/.cache/debian/busybox"

if [ "${1:-}" = "-o" ]; then
	out=$2
	shift 2
fi
[ -x "$busybox" ] || {
	echo "mkinitramfs: $busybox missing: run scripts/fetch-debian.sh" >&2
	exit 1
}

stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
mkdir -p "$stage"/{bin,dev,proc,sys,tmp,root,etc/punt.d}
cp "$busybox" "$stage/bin/busybox"
ln -s busybox "$stage/bin/sh"

cat >"$stage/init" <<'INIT'
#!/bin/sh
export PATH=/bin
/bin/busybox --install -s /bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
# The kernel may have found no /dev/console in the archive; take the console now.
exec </dev/console >/dev/console 2>&1

# Read the clock first so the figure describes the moment init was reached.
uptime=$(cut -d' ' -f1 /proc/uptime)
read_or_none() {
	if [ -r "$1" ]; then cat "$1"; else echo none; fi
}
echo "PUNT-INIT: reached"
echo "PUNT-INIT: uptime=$uptime"
echo "PUNT-INIT: hypervisor=$(read_or_none /sys/hypervisor/type)"
echo "PUNT-INIT: cpus-online=$(read_or_none /sys/devices/system/cpu/online)"
echo "PUNT-INIT: nproc=$(nproc)"

for hook in /etc/punt.d/*; do
	[ -x "$hook" ] && "$hook"
done

action=
for word in $(cat /proc/cmdline); do
	case "$word" in
	punt.test=*) action=${word#punt.test=} ;;
	esac
done

case "$action" in
poweroff)
	echo "PUNT-INIT: poweroff"
	poweroff -f
	;;
reboot)
	echo "PUNT-INIT: reboot"
	reboot -f
	;;
crash)
	# A kernel panic; with panic=N on the command line Linux then resets its machine.
	echo "PUNT-INIT: crash"
	echo c >/proc/sysrq-trigger
	;;
spin)
	# CPU-bound for the scheduler tests: every 2 seconds, the uptime and the CPU
	# times (steal comes from Xen's runstate area) while a loop burns the CPU.
	(while :; do :; done) &
	while :; do
		sleep 2
		echo "PUNT-STAT: $(cut -d' ' -f1 /proc/uptime) $(head -1 /proc/stat)"
	done
	;;
"" | shell) ;;
*) echo "PUNT-INIT: unknown punt.test=$action" ;;
esac

# A session with the console as controlling tty, so job control and Ctrl-C work.
while true; do
	setsid cttyhack sh -l
	echo "PUNT-INIT: shell exited, restarting"
done
INIT
chmod 0755 "$stage/init"

for spec in "$@"; do
	src=${spec%%:*}
	dest=${spec#*:}
	if [ "$src" = "$spec" ] || [ ! -e "$src" ]; then
		echo "mkinitramfs: bad SRC:DEST '$spec' (want an existing host file:path in image)" >&2
		exit 1
	fi
	mkdir -p "$stage/$(dirname "$dest")"
	cp -a "$src" "$stage/$dest"
done

# Fixed owners and times keep the archive byte-identical from run to run.
find "$stage" -exec touch -h -d @0 {} +
mkdir -p "$(dirname "$out")"
(cd "$stage" && find . -mindepth 1 | LC_ALL=C sort |
	cpio --quiet -o -H newc -R 0:0 --reproducible | gzip -9n) >"$out.tmp"
mv "$out.tmp" "$out"
