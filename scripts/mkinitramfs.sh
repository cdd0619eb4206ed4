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
	# Debian's xenstore-utils: xenstore-read, -write, -ls, -watch ... (one binary, by name),
	# in /usr/sbin with the other Xen tools (dom0's PATH).
	xen_copy usr/bin/xenstore
	for f in "$xen_utils"/usr/bin/xenstore-*; do
		ln -sf /usr/bin/xenstore "$stage/usr/sbin/$(basename "$f")"
	done
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
# punt-console-ask NAME: types a command on the guest's console pty (xenconsole only forwards
# a terminal's input) while `xl console` is attached; the guest's answer, ANSWER-42, which
# the typed line does not contain, must reach xenconsoled's log of the guest within 30 s.
# Prints how many lines xl console showed, then the answer.
tty=$(xenstore-read "/local/domain/$(xl domid "$1")/console/tty") || exit 1
(sleep 3; printf 'echo ANSWER-$((6*7))\r' >"$tty") &
sleep 10 | timeout 10 xl console "$1" >/tmp/xl-console.out 2>&1
wait
echo "xl-console-lines: $(wc -l </tmp/xl-console.out)"
punt-wait-log "/var/log/xen/console/guest-$1.log" "^ANSWER-42" 30 || exit 1
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
if [ -n "$xen_utils" ]; then
	add_xen_utils
	add_punt_xenstored
fi

# Fixed owners and times keep the archive byte-identical from run to run.
find "$stage" -exec touch -h -d @0 {} +
mkdir -p "$(dirname "$out")"
(cd "$stage" && find . -mindepth 1 | LC_ALL=C sort |
	cpio --quiet -o -H newc -R 0:0 --reproducible | gzip -9n) >"$out.tmp"
mv "$out.tmp" "$out"
