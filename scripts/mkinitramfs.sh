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

add_xen_utils() {
	local bins=(usr/lib/xen-4.17/bin/xl usr/lib/xen-4.17/bin/xen-init-dom0
		usr/lib/xen-4.17/bin/xenstored usr/lib/xen-4.17/bin/xenconsoled
		usr/lib/xen-4.17/bin/xenconsole)
	local todo=("${bins[@]}") seen=" " f lib interp
	[ -x "$xen_utils/usr/lib/xen-4.17/bin/xl" ] || {
		echo "mkinitramfs: $xen_utils has no xl: run scripts/fetch-xen-utils.sh" >&2
		exit 1
	}
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
	# glibc opens libgcc_s at run time for pthread_cancel (xl's console wait uses it).
	xen_copy "$(xen_find_lib libgcc_s.so.1)"
	interp=$(readelf -l "$xen_utils/usr/lib/xen-4.17/bin/xl" |
		sed -n 's/.*interpreter: \/\(.*\)\]/\1/p')
	xen_copy "$interp"
	mkdir -p "$stage/usr/sbin"
	for f in "${bins[@]}"; do
		ln -sf "/$f" "$stage/usr/sbin/$(basename "$f")"
	done
	cp -a "$xen_utils/lib/modules" "$stage/lib/"
	mkdir -p "$stage"/var/{lib/xen,lib/xenstored,lock,log/xen/console,run/xen,run/xenstored} "$stage/etc/xen"
	cp "$xen_utils/etc/xen/xl.conf" "$stage/etc/xen/xl.conf"
	# An example guest: dom0's own Debian kernel (gzipped: libxc unpacks it) and the plain
	# busybox image of this script as its initramfs, whose /init gives hvc0 a shell.
	mkdir -p "$stage/etc/xen/debian-guest"
	gzip -9n <"$root/.cache/debian/vmlinuz" >"$stage/etc/xen/debian-guest/Image.gz"
	"$0" -o "$stage/etc/xen/debian-guest/initrd.cpio.gz"
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
	cat >"$stage/etc/punt.d/50-xen" <<'XEN'
#!/bin/sh
# Xen's toolstack in dom0, as Debian's xencommons starts it: the device modules, xenfs,
# xenstored, xen-init-dom0 (dom0's xenstore entries and pools), xenconsoled.
export PATH=/bin:/usr/sbin
for m in /lib/modules/*/xen-privcmd.ko /lib/modules/*/xen-evtchn.ko \
	/lib/modules/*/xen-gntdev.ko /lib/modules/*/xenfs.ko; do
	insmod "$m" || echo "PUNT-XL: insmod $m failed"
done
mount -t xenfs xenfs /proc/xen
# xenconsoled gives each guest console a pseudo-terminal.
mkdir -p /dev/pts
mount -t devpts devpts /dev/pts
# The hotplug and lock code wants these links, which devtmpfs does not make.
ln -sf /proc/self/fd /dev/fd
ln -sf /proc/self/fd/0 /dev/stdin
ln -sf /proc/self/fd/1 /dev/stdout
ln -sf /proc/self/fd/2 /dev/stderr
xenstored --pid-file /var/run/xenstored.pid
echo "PUNT-XL: xenstored rc=$?"
xen-init-dom0
echo "PUNT-XL: xen-init-dom0 rc=$?"
# Guests' console output is also logged, to /var/log/xen/console/guest-NAME.log.
xenconsoled --pid-file=/var/run/xenconsoled.pid --log=guest --log-dir=/var/log/xen/console
echo "PUNT-XL: xenconsoled rc=$?"
echo "PUNT-XL: xl create -c /etc/xen/debian-guest.cfg starts the example guest" \
	"(docs/control.md says how far it gets on Punt)"
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
if [ -n "$xen_utils" ]; then
	add_xen_utils
fi

# Fixed owners and times keep the archive byte-identical from run to run.
find "$stage" -exec touch -h -d @0 {} +
mkdir -p "$(dirname "$out")"
(cd "$stage" && find . -mindepth 1 | LC_ALL=C sort |
	cpio --quiet -o -H newc -R 0:0 --reproducible | gzip -9n) >"$out.tmp"
mv "$out.tmp" "$out"
