#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
#
# Build dom0's initramfs: a static busybox and an /init that reports what dom0 sees, then
# either acts on a test request from the kernel command line or gives the console a shell.
#
#   scripts/mkinitramfs.sh [-o OUT] [--xen-utils] [SRC:DEST ...]
#
# OUT defaults to build/dom0-initrd.cpio.gz. Each SRC:DEST copies a host file into the
# image (e.g. a cross-built tool to /bin/xl). Executables placed under /etc/punt.d/ run, in
# name order, after the markers and before the test action.
#
# --xen-utils adds Debian's unmodified Xen 4.17 userland from scripts/fetch-xen-utils.sh:
# xl, xen-init-dom0, xenstored, xenconsoled and xenconsole, every shared library their
# NEEDED entries reach, the arm64 dynamic loader, and the kernel's Xen device modules. Its
# /etc/punt.d/50-xen loads the modules, mounts xenfs, starts xenstored, xen-init-dom0 and
# xenconsoled, then runs the xl commands named by punt.xl=CMD[,CMD...] on the kernel
# command line (each between "PUNT-XL: begin CMD" and "PUNT-XL: end CMD rc=N" markers; a CMD
# of the form !PROG:ARG runs that shell command instead, e.g. !sleep:5). It
# also holds an example guest, /etc/xen/debian-guest.cfg (dom0's kernel, a busybox initramfs).
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
out="$root/build/dom0-initrd.cpio.gz"
busybox="$root/.cache/debian/busybox"

xen_utils=
guest_disk=
while [ $# -gt 0 ]; do
	case "$1" in
	-o)
		out=$2
		shift 2
		;;
	--xen-utils)
		xen_utils="$root/.cache/debian/xen-utils/root"
		shift
		;;
	--guest-disk)
		guest_disk=1
		xen_utils="$root/.cache/debian/xen-utils/root"
		shift
		;;
	*) break ;;
	esac
done
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
export PATH=/bin:/sbin:/usr/bin:/usr/sbin
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
dmesg)
	# The kernel's log, then off: scripts/boot_profile.py boots with initcall_debug and a
	# quiet console, and reads the per-initcall times here.
	echo "PUNT-INIT: dmesg begin"
	dmesg
	echo "PUNT-INIT: dmesg end"
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
watch)
	# For the toolstack tests: the online CPUs and MemTotal (MiB), again at every change
	# (xl vcpu-set, xl mem-set), while the shell runs. Linux's Xen CPU hot-plug only
	# marks a vCPU present when xl sets cpu/N/availability to online (user space, udev
	# on a full system, brings it up): this loop writes cpuN/online for every present
	# CPU that is offline, which starts it with PSCI CPU_ON.
	(
		last=
		cpus=/sys/devices/system/cpu
		while :; do
			for range in $(tr ',' ' ' <$cpus/present); do
				for n in $(seq "${range%-*}" "${range#*-}"); do
					[ "$(cat $cpus/cpu$n/online 2>/dev/null)" = 0 ] &&
						echo 1 2>/dev/null >$cpus/cpu$n/online
				done
			done
			mem=$(sed -n 's/^MemTotal: *\([0-9]*\) kB/\1/p' /proc/meminfo)
			now="cpus<$(cat /sys/devices/system/cpu/online)> nproc<$(nproc)> memtotal<$((mem / 1024))>"
			[ "$now" != "$last" ] && echo "PUNT-WATCH: $now"
			last=$now
			sleep 1
		done
	) &
	;;
"" | shell) ;;
*) echo "PUNT-INIT: unknown punt.test=$action" ;;
esac

# busybox's halt, poweroff and reboot (without -f) ask init with SIGUSR1, SIGUSR2 and SIGTERM.
# The kernel drops signals to PID 1 that it has no handler for, hence the traps.
trap 'echo "PUNT-INIT: halt"; halt -f' USR1
trap 'echo "PUNT-INIT: poweroff"; poweroff -f' USR2
trap 'echo "PUNT-INIT: reboot"; reboot -f' TERM

# A session with the console as controlling tty, so job control and Ctrl-C work. It runs in
# the background: a shell runs its traps only between commands, and `wait` is one it leaves
# when a trapped signal arrives, where a foreground command would hold the trap until it ends.
while true; do
	setsid cttyhack sh -l </dev/console >/dev/console 2>&1 &
	shell=$!
	while kill -0 "$shell" 2>/dev/null; do
		wait "$shell"
	done
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

# Copy path (relative to the unpacked packages) into the image as a file, links followed.
xen_copy() {
	mkdir -p "$stage/$(dirname "$1")"
	cp -L "$xen_utils/$1" "$stage/$1"
}

# The library named soname, from the directories the arm64 loader searches.
xen_find_lib() {
	local d
	for d in lib/aarch64-linux-gnu usr/lib/aarch64-linux-gnu lib usr/lib; do
		if [ -e "$xen_utils/$d/$1" ]; then
			echo "$d/$1"
			return
		fi
	done
	echo "mkinitramfs: no $1 in the Xen userland (run scripts/fetch-xen-utils.sh)" >&2
	exit 1
}

# Copy the binaries (paths in the unpacked packages), every library their NEEDED entries reach
# and the arm64 dynamic loader.
xen_copy_with_libs() {
	local todo=("$@") seen=" " f lib interp
	# Every binary's and library's NEEDED entries, until no new library turns up.
	while [ ${#todo[@]} -gt 0 ]; do
		f=${todo[0]}
		todo=("${todo[@]:1}")
		xen_copy "$f"
		for lib in $(readelf -d "$xen_utils/$f" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p'); do
			case "$seen" in *" $lib "*) continue ;; esac
			seen="$seen$lib "
			todo+=("$(xen_find_lib "$lib")")
		done
	done
	interp=$(readelf -l "$xen_utils/$1" | sed -n 's/.*interpreter: \/\(.*\)\]/\1/p')
	xen_copy "$interp"
}

# A guest's disk check, for the example guests (their initramfs is this script's plain image
# plus this): the block frontend module, mke2fs and e2fsck, and an /etc/punt.d/40-disk that acts
# on punt.disk=DEV[,DEV...] on the kernel command line. For each DEV it waits for /dev/DEV, makes
# an ext4 file system on it, mounts it, writes /data (the lines "DEV 1" to "DEV 100000") and /sum
# (/data's SHA-256), unmounts it and checks it with e2fsck -f -n, printing "PUNT-DISK:" lines.
add_guest_disk() {
	[ -x "$xen_utils/sbin/mke2fs" ] || {
		echo "mkinitramfs: $xen_utils has no mke2fs: run scripts/fetch-xen-utils.sh" >&2
		exit 1
	}
	xen_copy_with_libs sbin/mke2fs sbin/e2fsck
	ln -s mke2fs "$stage/sbin/mkfs.ext4"
	xen_copy etc/mke2fs.conf
	mkdir -p "$stage/lib/modules"
	(cd "$xen_utils" && find lib/modules -name 'xen-blkfront.ko') | while read -r ko; do
		xen_copy "$ko"
	done
	cat >"$stage/etc/punt.d/40-disk" <<'DISK'
#!/bin/sh
export PATH=/bin:/sbin
disks=
for word in $(cat /proc/cmdline); do
	case "$word" in
	punt.disk=*) disks=${word#punt.disk=} ;;
	esac
done
[ -n "$disks" ] || exit 0
for m in /lib/modules/*/xen-blkfront.ko; do
	insmod "$m" || echo "PUNT-DISK: insmod $m failed"
done
mkdir -p /mnt
for dev in $(echo "$disks" | tr ',' ' '); do
	# blkfront connects to the backend after the module loads, not during insmod.
	n=0
	while [ ! -b "/dev/$dev" ] && [ "$n" -lt 60 ]; do
		n=$((n + 1))
		sleep 1
	done
	if [ ! -b "/dev/$dev" ]; then
		echo "PUNT-DISK: $dev missing"
		continue
	fi
	echo "PUNT-DISK: $dev sectors=$(cat "/sys/block/$dev/size")"
	mkfs.ext4 -q -F "/dev/$dev"
	echo "PUNT-DISK: $dev mkfs rc=$?"
	mount -t ext4 "/dev/$dev" /mnt
	echo "PUNT-DISK: $dev mount rc=$?"
	seq 1 100000 | sed "s/^/$dev /" >/mnt/data
	sha256sum </mnt/data | cut -d' ' -f1 >/mnt/sum
	echo "PUNT-DISK: $dev sum=$(cat /mnt/sum)"
	umount /mnt
	echo "PUNT-DISK: $dev umount rc=$?"
	e2fsck -f -n "/dev/$dev" >/tmp/fsck.log 2>&1
	rc=$?
	sed 's/^/PUNT-DISK: fsck: /' /tmp/fsck.log
	echo "PUNT-DISK: $dev fsck rc=$rc"
done
echo "PUNT-DISK: done"
DISK
	chmod 0755 "$stage/etc/punt.d/40-disk"
	# punt.diskbench=DEV: the guest's kernel clock around dd of 32 MiB to and from DEV, bypassing its
	# page cache (O_DIRECT), for scripts/bench_block.py.
	cat >"$stage/etc/punt.d/41-diskbench" <<'BENCH'
#!/bin/sh
dev=
for word in $(cat /proc/cmdline); do
	case "$word" in
	punt.diskbench=*) dev=${word#punt.diskbench=} ;;
	esac
done
[ -n "$dev" ] || exit 0
for m in /lib/modules/*/xen-blkfront.ko; do
	insmod "$m" || echo "PUNT-DISK: insmod $m failed"
done
n=0
while [ ! -b "/dev/$dev" ] && [ "$n" -lt 60 ]; do
	n=$((n + 1))
	sleep 1
done
for op in write read; do
	if [ "$op" = write ]; then
		set -- if=/dev/zero "of=/dev/$dev" oflag=direct
	else
		set -- "if=/dev/$dev" of=/dev/null iflag=direct
	fi
	# The kernel stamps these lines with its clock in microseconds (/proc/uptime has 10 ms).
	echo "PUNT-DISK: bench $op start" >/dev/kmsg
	dd "$@" bs=1M count=32 2>/dev/null
	echo "PUNT-DISK: bench $op end rc=$?" >/dev/kmsg
done
BENCH
	chmod 0755 "$stage/etc/punt.d/41-diskbench"
}

add_xen_utils() {
	local bins=(usr/lib/xen-4.17/bin/xl usr/lib/xen-4.17/bin/xen-init-dom0
		usr/lib/xen-4.17/bin/xenstored usr/lib/xen-4.17/bin/xenconsoled
		usr/lib/xen-4.17/bin/xenconsole) f
	[ -x "$xen_utils/usr/lib/xen-4.17/bin/xl" ] || {
		echo "mkinitramfs: $xen_utils has no xl: run scripts/fetch-xen-utils.sh" >&2
		exit 1
	}
	# libxl runs the hotplug scripts itself: /etc/xen/scripts/block is bash and wants flock,
	# xenstore-read and friends (one binary acting on its name); e2fsck checks guests' disks.
	xen_copy_with_libs "${bins[@]}" bin/bash usr/bin/flock usr/bin/xenstore sbin/e2fsck
	# glibc opens libgcc_s at run time for pthread_cancel (xl's console wait uses it).
	xen_copy "$(xen_find_lib libgcc_s.so.1)"
	for f in "$xen_utils"/usr/bin/xenstore-*; do
		ln -sf xenstore "$stage/usr/bin/$(basename "$f")"
	done
	mkdir -p "$stage/usr/sbin"
	for f in "${bins[@]}"; do
		ln -sf "/$f" "$stage/usr/sbin/$(basename "$f")"
	done
	cp -a "$xen_utils/lib/modules" "$stage/lib/"
	mkdir -p "$stage"/var/{lib/xen,lib/xenstored,lock,log/xen/console,run/xen,run/xenstored} "$stage/etc/xen"
	cp "$xen_utils/etc/xen/xl.conf" "$stage/etc/xen/xl.conf"
	cp -a "$xen_utils/etc/xen/scripts" "$stage/etc/xen/"
	# An example guest: dom0's own Debian kernel (gzipped: libxc unpacks it) and the plain
	# busybox image of this script as its initramfs, whose /init gives hvc0 a shell.
	mkdir -p "$stage/etc/xen/debian-guest"
	gzip -9n <"$root/.cache/debian/vmlinuz" >"$stage/etc/xen/debian-guest/Image.gz"
	"$0" -o "$stage/etc/xen/debian-guest/initrd.cpio.gz" --guest-disk
	# punt-wait-log FILE TEXT SECONDS: until FILE holds TEXT (a guest's console log), or fail.
	cat >"$stage/usr/sbin/punt-wait-log" <<'WAIT'
#!/bin/sh
n=0
until grep -q "$2" "$1" 2>/dev/null; do
	n=$((n + 1))
	[ "$n" -gt "$3" ] && exit 1
	sleep 1
done
WAIT
	chmod 0755 "$stage/usr/sbin/punt-wait-log"
	# punt-console NAME: what `xl console NAME` shows in 10 seconds (xenconsole's pty, which
	# replays what the guest printed so far), without a terminal.
	cat >"$stage/usr/sbin/punt-console" <<'CONSOLE'
#!/bin/sh
sleep 10 | timeout 10 xl console "$1"
exit 0
CONSOLE
	chmod 0755 "$stage/usr/sbin/punt-console"
	# punt-disk-read IMAGE: dom0's view of a disk a guest wrote (40-disk above): e2fsck -f -n
	# of it, then, mounted read-only, the SHA-256 of its /data and its /sum.
	cat >"$stage/usr/sbin/punt-disk-read" <<'READ'
#!/bin/sh
export PATH=/bin:/sbin:/usr/bin:/usr/sbin
e2fsck -f -n "$1" >/tmp/punt-disk-read.log 2>&1
rc=$?
sed 's/^/fsck: /' /tmp/punt-disk-read.log
echo "fsck rc=$rc"
opt=ro
[ -f "$1" ] && opt=ro,loop
mkdir -p /mnt/punt-disk
mount -t ext4 -o "$opt" "$1" /mnt/punt-disk || exit 1
echo "data=$(sha256sum </mnt/punt-disk/data | cut -d' ' -f1)"
echo "sum=$(cat /mnt/punt-disk/sum)"
echo "lines=$(wc -l </mnt/punt-disk/data)"
umount /mnt/punt-disk
READ
	chmod 0755 "$stage/usr/sbin/punt-disk-read"
	# punt-wait-gone NAME SECONDS: until no domain is called NAME, or fail.
	cat >"$stage/usr/sbin/punt-wait-gone" <<'GONE'
#!/bin/sh
n=0
while xl domid "$1" >/dev/null 2>&1; do
	n=$((n + 1))
	[ "$n" -gt "$2" ] && exit 1
	sleep 1
done
GONE
	chmod 0755 "$stage/usr/sbin/punt-wait-gone"
	cat >"$stage/etc/xen/debian-guest.cfg" <<'CFG'
# A PVH guest with dom0's Debian kernel and a busybox initramfs: xl create -c this file,
# Ctrl-] leaves its console, xl destroy debian-guest ends it.
name = "debian-guest"
type = "pvh"
kernel = "/etc/xen/debian-guest/Image.gz"
ramdisk = "/etc/xen/debian-guest/initrd.cpio.gz"
extra = "console=hvc0"
memory = 128
vcpus = 1
CFG
	# The same guest powering itself off at its init: xl's on_poweroff (destroy) ends it.
	sed -e 's/^name = .*/name = "debian-guest-poweroff"/' \
		-e 's/^extra = .*/extra = "console=hvc0 punt.test=poweroff"/' \
		-e 's/^# A PVH guest.*/# debian-guest.cfg, but its init powers it off at once./' \
		-e '/^# Ctrl-]/d' \
		"$stage/etc/xen/debian-guest.cfg" >"$stage/etc/xen/debian-guest-poweroff.cfg"
	add_xl_manage
	# tests/system/test_xl_lifecycle.py: 64 MiB copies, one rebooting itself at its init
	# (xl restarts it: on_reboot), and the cycles' driver, scripts/xl-lifecycle.sh.
	sed -e 's/^memory = .*/memory = 64/' -e '/^# Ctrl-]/d' -e 's/^name = .*/name = "debian-guest-small"/' \
		-e 's/^# A PVH guest.*/# debian-guest.cfg in 64 MiB (xl create it with name="...")./' \
		"$stage/etc/xen/debian-guest.cfg" >"$stage/etc/xen/debian-guest-small.cfg"
	sed -e 's/^extra = .*/extra = "console=hvc0 punt.test=reboot"/' \
		-e 's/^name = .*/name = "debian-guest-reboot"/' \
		-e 's/^# debian-guest.cfg in 64 MiB.*/# The small guest, rebooting itself at its init: xl restarts it./' \
		"$stage/etc/xen/debian-guest-small.cfg" >"$stage/etc/xen/debian-guest-reboot.cfg"
	echo 'on_reboot = "restart"' >>"$stage/etc/xen/debian-guest-reboot.cfg"
	install -m 0755 "$root/scripts/xl-lifecycle.sh" "$stage/usr/sbin/punt-lifecycle"
	# The same guest with two disks, which its init formats and checks, then powers it off: a
	# file through the block hotplug script's loop device, and dom0's RAM disk as a phy device
	# (both made by 50-xen below).
	sed -e 's/^name = .*/name = "debian-guest-disk"/' \
		-e 's/^extra = .*/extra = "console=hvc0 punt.disk=xvda,xvdb punt.test=poweroff"/' \
		-e 's/^# A PVH guest.*/# debian-guest.cfg with two disks; its init writes them, then powers off./' \
		-e '/^# Ctrl-]/d' \
		"$stage/etc/xen/debian-guest.cfg" >"$stage/etc/xen/debian-guest-disk.cfg"
	cat >>"$stage/etc/xen/debian-guest-disk.cfg" <<'CFG'
disk = ['format=raw, vdev=xvda, access=rw, target=/var/lib/xen/images/debian-guest-disk.img',
        'phy:/dev/ram0,xvdb,w']
CFG
	# The RAM disk alone, for scripts/bench_block.py: the guest times dd to and from it.
	sed -e 's/^name = .*/name = "debian-guest-diskbench"/' \
		-e 's/^extra = .*/extra = "console=hvc0 punt.diskbench=xvda punt.test=poweroff"/' \
		-e 's/^# A PVH guest.*/# debian-guest.cfg timing dd of 32 MiB to and from dom0'"'"'s RAM disk./' \
		-e '/^# Ctrl-]/d' \
		"$stage/etc/xen/debian-guest.cfg" >"$stage/etc/xen/debian-guest-diskbench.cfg"
	echo "disk = ['phy:/dev/ram0,xvda,w']" >>"$stage/etc/xen/debian-guest-diskbench.cfg"
	cat >"$stage/etc/punt.d/50-xen" <<'XEN'
#!/bin/sh
# Xen's toolstack in dom0, as Debian's xencommons starts it: the device modules, xenfs,
# xenstored, xen-init-dom0 (dom0's xenstore entries and pools), xenconsoled.
export PATH=/bin:/sbin:/usr/bin:/usr/sbin
for m in /lib/modules/*/xen-privcmd.ko /lib/modules/*/xen-evtchn.ko \
	/lib/modules/*/xen-gntdev.ko /lib/modules/*/xenfs.ko /lib/modules/*/xen-blkback.ko \
	/lib/modules/*/loop.ko; do
	insmod "$m" || echo "PUNT-XL: insmod $m failed"
done
# Disks for guests (debian-guest-disk.cfg): a 32 MiB RAM disk, /dev/ram0, and a 32 MiB sparse
# file; neither takes memory until written.
insmod /lib/modules/*/brd.ko rd_nr=1 rd_size=32768 || echo "PUNT-XL: insmod brd.ko failed"
mkdir -p /var/lib/xen/images
truncate -s 32M /var/lib/xen/images/debian-guest-disk.img
mount -t xenfs xenfs /proc/xen
# xenconsoled gives each guest console a pseudo-terminal.
mkdir -p /dev/pts
mount -t devpts devpts /dev/pts
# The hotplug and lock code wants these links, which devtmpfs does not make.
ln -sf /proc/self/fd /dev/fd
ln -sf /proc/self/fd/0 /dev/stdin
ln -sf /proc/self/fd/1 /dev/stdout
ln -sf /proc/self/fd/2 /dev/stderr
punt-start-xenstored
echo "PUNT-XL: xenstored rc=$?"
xen-init-dom0
echo "PUNT-XL: xen-init-dom0 rc=$?"
# Guests' console output is also logged, to /var/log/xen/console/guest-NAME.log.
# xenconsoled reaches xenstore through dom0's kernel (/dev/xen/xenbus): that ring and its
# watches outlive a restart of Punt's xenstored, where a socket connection would not.
XENSTORED_PATH=/dev/xen/xenbus xenconsoled --pid-file=/var/run/xenconsoled.pid --log=guest --log-dir=/var/log/xen/console
echo "PUNT-XL: xenconsoled rc=$?"
echo "Xen 4.17 toolstack ready: 'xl create -c /etc/xen/debian-guest.cfg' starts the example" \
	"guest (Ctrl-] leaves its console; 'xl list', 'xl destroy debian-guest'; docs/control.md)"
cmds=
for word in $(cat /proc/cmdline); do
	case "$word" in
	punt.xl=*) cmds=${word#punt.xl=} ;;
	esac
done
for cmd in $(echo "$cmds" | tr ',' ' '); do
	echo "PUNT-XL: begin $cmd"
	case "$cmd" in
	# !CMD:ARGS runs a shell command (sleep, cat) between xl commands.
	# A guest console's log may end without a newline: the end marker gets its own line.
	!*)
		$(echo "${cmd#!}" | tr ':' ' ') 2>&1
		rc=$?
		echo
		;;
	*)
		xl $(echo "$cmd" | tr ':' ' ') 2>&1
		rc=$?
		;;
	esac
	echo "PUNT-XL: end $cmd rc=$rc"
done
XEN
	chmod 0755 "$stage/etc/punt.d/50-xen"
}
# For tests/system/test_xl_manage.py: a guest with a second vCPU to hot-plug whose init
# reports CPUs and memory (punt.test=watch), helpers that wait for xl list to show a size,
# and xl configurations that must fail the same way on Punt and on Xen.
add_xl_manage() {
	# acpi = 0 said outright: xl mem-set reads it back from the stored configuration, and
	# libxl 4.17 on Arm asserts when it was left to its default there. cma=0: Debian's
	# kernel sets 64 MiB aside for CMA, which the balloon driver cannot take, and a 128 MiB
	# guest then runs out of other memory (the OOM killer) before it has given 32 MiB back.
	sed -e 's/^vcpus = .*/vcpus = 1\nmaxvcpus = 2\nacpi = 0/' \
		-e 's/^extra = .*/extra = "console=hvc0 cma=0 punt.test=watch"/' \
		-e 's/^# A PVH guest.*/# debian-guest.cfg with a second vCPU to hot-plug (xl vcpu-set)./' \
		-e '/^# Ctrl-]/d' \
		"$stage/etc/xen/debian-guest.cfg" >"$stage/etc/xen/debian-guest-watch.cfg"
	# punt-wait-mem NAME LOW HIGH SECONDS: until xl list shows NAME with LOW..HIGH MiB.
	cat >"$stage/usr/sbin/punt-wait-mem" <<'MEM'
#!/bin/sh
n=0
while :; do
	mem=$(xl list "$1" 2>/dev/null | awk 'NR == 2 { print $3 }')
	[ -n "$mem" ] && [ "$mem" -ge "$2" ] && [ "$mem" -le "$3" ] && exit 0
	n=$((n + 1))
	[ "$n" -gt "$4" ] && echo "xl list shows $1 with ${mem:-no} MiB" && exit 1
	sleep 1
done
MEM
	chmod 0755 "$stage/usr/sbin/punt-wait-mem"
	# punt-wait-watch FILE TEXT SECONDS: until the last PUNT-WATCH line in FILE holds TEXT.
	cat >"$stage/usr/sbin/punt-wait-watch" <<'WATCH'
#!/bin/sh
n=0
until grep "PUNT-WATCH" "$1" 2>/dev/null | tail -1 | grep -qF "$2"; do
	n=$((n + 1))
	[ "$n" -gt "$3" ] && grep "PUNT-WATCH" "$1" | tail -1 && exit 1
	sleep 1
done
WATCH
	chmod 0755 "$stage/usr/sbin/punt-wait-watch"
	# An emulated SBSA UART (vpl011) served by xenconsoled through vuart_op: the guest's
	# shell and init's lines on ttyAMA0 (xl console -t vuart), the kernel's on both consoles.
	sed -e 's/^extra = .*/extra = "console=hvc0 console=ttyAMA0"/' \
		-e 's/^name = .*/name = "debian-guest-vuart"/' \
		-e 's/^vcpus = .*/vcpus = 1\nvuart = "sbsa_uart"/' \
		-e 's/^# A PVH guest.*/# debian-guest.cfg with an emulated UART: xl console -t vuart./' \
		-e '/^# Ctrl-]/d' \
		"$stage/etc/xen/debian-guest.cfg" >"$stage/etc/xen/debian-guest-vuart.cfg"
	local bad="$stage/etc/xen/bad" base="$stage/etc/xen/debian-guest.cfg"
	mkdir -p "$bad"
	sed -e 's/^name = .*/name = "bad-guest"/' "$base" >"$bad/base"
	sed -e 's/^memory = .*/memory = 8192/' "$bad/base" >"$bad/memory-above-the-host.cfg"
	sed -e 's/^type = .*/type = "bogus"/' "$bad/base" >"$bad/type-unknown.cfg"
	sed -e 's|^kernel = .*|kernel = "/etc/xen/none/Image.gz"|' "$bad/base" >"$bad/kernel-missing.cfg"
	sed -e 's/^vcpus = .*/vcpus = 2\nmaxvcpus = 1/' "$bad/base" >"$bad/vcpus-above-maxvcpus.cfg"
	sed -e 's/^vcpus = .*/vcpus = 1\nvuart = "ns16550"/' "$bad/base" >"$bad/vuart-unknown.cfg"
	sed -e 's/^vcpus = .*/vcpus = 1\ndisk = [ "target=\/nonexistent,vdev=xvda,bogus=1" ]/' \
		"$bad/base" >"$bad/disk-spec-bad.cfg"
	sed -e 's/^memory = .*/memory = 0/' "$bad/base" >"$bad/memory-zero.cfg"
	cp "$base" "$bad/name-in-use.cfg"
	rm "$bad/base"
	# punt-xl-bad: xl create of each, then how many domains there are and free memory.
	cat >"$stage/usr/sbin/punt-xl-bad" <<'BAD'
#!/bin/sh
for cfg in /etc/xen/bad/*.cfg; do
	name=$(basename "$cfg" .cfg)
	echo "PUNT-BAD: begin $name"
	xl create "$cfg" 2>&1
	echo "PUNT-BAD: end $name rc=$?"
	echo "PUNT-BAD: after $name domains=$(xl list | awk 'NR > 1' | wc -l)" \
		"free_memory=$(xl info | awk '$1 == "free_memory" { print $3 }')"
done
BAD
	chmod 0755 "$stage/usr/sbin/punt-xl-bad"
}
# Punt's own xenstored (tools/xenstored, static aarch64) as dom0's default xenstore daemon;
# punt.xenstored=c on the kernel command line starts Debian's C xenstored instead. Both listen
# on libxenstore's default socket, /var/run/xenstored/socket, and write /var/run/xenstored.pid.
# punt-start-xenstored starts the one chosen; after a kill -9 it starts Punt's again, which
# reloads its state from /var/lib/xenstored-punt (dom0's tmpfs) and reconnects every ring.
add_punt_xenstored() {
	make -s -C "$root/tools/xenstored" cross O="$root/build/xenstored" >&2
	install -m 0755 "$root/build/xenstored/aarch64/xenstored" "$stage/usr/sbin/punt-xenstored"
	# The benchmark's client (scripts/bench_xenstored.py), on the socket either daemon serves.
	install -m 0755 "$root/build/xenstored/aarch64/xsbench" "$stage/usr/sbin/xsbench"
	cat >"$stage/usr/sbin/punt-xsbench" <<'XSB'
#!/bin/sh
export XENSTORED_PATH=/var/run/xenstored/socket
exec xsbench "$@"
XSB
	chmod 0755 "$stage/usr/sbin/punt-xsbench"
	cat >"$stage/usr/sbin/punt-start-xenstored" <<'XSD'
#!/bin/sh
which=punt
for word in $(cat /proc/cmdline); do
	case "$word" in
	punt.xenstored=*) which=${word#punt.xenstored=} ;;
	esac
done
echo "PUNT-XL: xenstored is $which"
case "$which" in
c) exec xenstored --pid-file /var/run/xenstored.pid ;;
*) exec punt-xenstored --ring xen --socket /var/run/xenstored/socket \
	--state-dir /var/lib/xenstored-punt --pid-file /var/run/xenstored.pid ;;
esac
XSD
	chmod 0755 "$stage/usr/sbin/punt-start-xenstored"
	# The restart test's helpers (tests/system/test_xl_xenstored.py).
	cat >"$stage/usr/sbin/punt-kill-xenstored" <<'KILL'
#!/bin/sh
# kill -9 the running xenstored and wait until it is gone.
pid=$(cat /var/run/xenstored.pid)
kill -9 "$pid" || exit 1
while kill -0 "$pid" 2>/dev/null; do sleep 1; done
echo "killed xenstored $pid"
KILL
	cat >"$stage/usr/sbin/punt-xs-burst" <<'BURST'
#!/bin/sh
# punt-xs-burst N: N writes /punt-test/burst/I = I, each acknowledged before the next.
i=1
while [ "$i" -le "$1" ]; do
	xenstore-write "/punt-test/burst/$i" "$i" || exit 1
	i=$((i + 1))
done
BURST
	cat >"$stage/usr/sbin/punt-xs-check-burst" <<'CHECK'
#!/bin/sh
# punt-xs-check-burst N: every write of punt-xs-burst N reads back.
i=1
bad=0
while [ "$i" -le "$1" ]; do
	[ "$(xenstore-read "/punt-test/burst/$i")" = "$i" ] || { echo "lost /punt-test/burst/$i"; bad=1; }
	i=$((i + 1))
done
echo "burst of $1: lost=$bad"
exit $bad
CHECK
	cat >"$stage/usr/sbin/punt-console-ask" <<'ASK'
#!/bin/sh
# punt-console-ask NAME [vuart]: types a command on the pty of the guest's PV console (or
# of its emulated UART: xl console -t vuart) while `xl console` is attached (xenconsole only
# forwards a terminal's input), once the guest's init has said it runs there (90 s); the
# guest's answer, ANSWER-42, which the typed line does not contain, must reach xenconsoled's
# log of that console within 30 s. Prints how many lines xl console showed, then the answer.
node=console type=pv log="/var/log/xen/console/guest-$1.log"
if [ "$2" = vuart ]; then
	node=vuart/0 type=vuart log="/var/log/xen/console/guest-$1-vuart0.log"
fi
punt-wait-log "$log" "^PUNT-INIT: nproc=" 90 || exit 1
tty=$(xenstore-read "/local/domain/$(xl domid "$1")/$node/tty") || exit 1
(sleep 3; printf 'echo ANSWER-$((6*7))\r' >"$tty") &
sleep 10 | timeout 10 xl console -t "$type" "$1" >/tmp/xl-console.out 2>&1
wait
echo "xl-console-lines: $(wc -l </tmp/xl-console.out)"
punt-wait-log "$log" "^ANSWER-42" 30 || exit 1
echo "console-answer: ANSWER-42"
ASK
	cat >"$stage/usr/sbin/punt-wait-guest" <<'WAITG'
#!/bin/sh
# punt-wait-guest NAME TEXT: punt-wait-log on the guest's console log, 90 s (Xen limits dom0's
# command line to 1023 bytes, so the test's steps stay short).
exec punt-wait-log "/var/log/xen/console/guest-$1.log" "$2" 90
WAITG
	cat >"$stage/usr/sbin/punt-watch-bg" <<'WATCH'
#!/bin/sh
# punt-watch-bg PATH LOG: xenstore-watch PATH in the background, its events in LOG.
xenstore-watch "$1" >"$2" 2>&1 &
sleep 1
WATCH
	chmod 0755 "$stage"/usr/sbin/punt-kill-xenstored "$stage"/usr/sbin/punt-xs-burst \
		"$stage"/usr/sbin/punt-xs-check-burst "$stage"/usr/sbin/punt-console-ask \
		"$stage"/usr/sbin/punt-watch-bg "$stage"/usr/sbin/punt-wait-guest
	# Two more copies of the example guest, to run three at once.
	for g in b c; do
		sed -e "s/^name = .*/name = \"debian-guest-$g\"/" \
			-e "s/^# A PVH guest.*/# debian-guest.cfg under another name./" -e '/^# Ctrl-]/d' \
			"$stage/etc/xen/debian-guest.cfg" >"$stage/etc/xen/debian-guest-$g.cfg"
	done
}
if [ -n "$guest_disk" ]; then
	add_guest_disk
elif [ -n "$xen_utils" ]; then
	add_xen_utils
	add_punt_xenstored
fi

# Fixed owners and times keep the archive byte-identical from run to run.
find "$stage" -exec touch -h -d @0 {} +
mkdir -p "$(dirname "$out")"
(cd "$stage" && find . -mindepth 1 | LC_ALL=C sort |
	cpio --quiet -o -H newc -R 0:0 --reproducible | gzip -9n) >"$out.tmp"
mv "$out.tmp" "$out"
