#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
#
# dom0's side of tests/system/test_xl_lifecycle.py, installed in the Xen userland image as
# /usr/sbin/punt-lifecycle (scripts/mkinitramfs.sh --xen-utils). Busybox sh.
#
#   punt-lifecycle destroy FIRST LAST   cycles FIRST..LAST of xl create + xl destroy
#   punt-lifecycle reboot FIRST LAST    cycles of xl create, guest reboot, guest power-off
#   punt-lifecycle usage                Punt's 'q' debug key through xl debug-keys + xl dmesg
#
# Each cycle's guest has a name of its own (lc-N, rb-N), so that its console log
# (/var/log/xen/console/guest-NAME.log, which xenconsoled appends to) shows that cycle only.
# Every cycle prints "PUNT-CYCLE: NAME ok UPTIME" or "PUNT-CYCLE: NAME failed: WHY"; the script's
# status is the number of failed cycles.
#
# destroy: the small guest (/etc/xen/debian-guest-small.cfg) is destroyed at one of four
# moments, by cycle number: once its init has run (N % 4 == 1), at once after xl create
# returns (2), one second later (3) or two seconds later (0): its kernel is then still
# booting, so teardown races a guest that is mid-boot.
#
# reboot: the guest (/etc/xen/debian-guest-reboot.cfg, on_reboot="restart") is created
# paused; `xl config-update` then gives xl the configuration to use when it restarts the
# domain, the same guest with punt.test=poweroff instead of punt.test=reboot; then it is
# unpaused. Its init runs `reboot -f` (SCHEDOP_shutdown, reason reboot), xl's monitor
# destroys it and creates it again from the updated configuration, and the second boot's init
# powers off, which xl answers by destroying it (on_poweroff="destroy"). The cycle passes
# when the domain is gone and its console log shows both boots' init, in that order.
export PATH=/bin:/usr/sbin
LOGS=/var/log/xen/console
WAIT_S=120

# wait_text FILE TEXT SECONDS: until FILE holds TEXT, or fail.
wait_text() {
	n=0
	until grep -q "$2" "$1" 2>/dev/null; do
		n=$((n + 1))
		[ "$n" -gt "$3" ] && return 1
		sleep 1
	done
}

# wait_gone NAME SECONDS: until no domain is called NAME, or fail.
wait_gone() {
	n=0
	while xl domid "$1" >/dev/null 2>&1; do
		n=$((n + 1))
		[ "$n" -gt "$2" ] && return 1
		sleep 1
	done
}

destroy_cycle() {
	name=lc-$1
	xl create /etc/xen/debian-guest-small.cfg "name=\"$name\"" >/dev/null 2>&1 ||
		{ echo "PUNT-CYCLE: $name failed: xl create"; return 1; }
	case $(($1 % 4)) in
	1) wait_text "$LOGS/guest-$name.log" "PUNT-INIT: nproc=" "$WAIT_S" ||
		{ echo "PUNT-CYCLE: $name failed: no init"; return 1; } ;;
	2) ;;
	3) sleep 1 ;;
	0) sleep 2 ;;
	esac
	xl destroy "$name" || { echo "PUNT-CYCLE: $name failed: xl destroy"; return 1; }
	wait_gone "$name" "$WAIT_S" || { echo "PUNT-CYCLE: $name failed: still listed"; return 1; }
	echo "PUNT-CYCLE: $name ok $(cut -d' ' -f1 /proc/uptime)"
}

reboot_cycle() {
	name=rb-$1
	log=$LOGS/guest-$name.log
	xl create -p /etc/xen/debian-guest-reboot.cfg "name=\"$name\"" >/dev/null 2>&1 ||
		{ echo "PUNT-CYCLE: $name failed: xl create"; return 1; }
	xl config-update "$name" /etc/xen/debian-guest-reboot.cfg "name=\"$name\"" \
		'extra="console=hvc0 punt.test=poweroff"' >/dev/null 2>&1 ||
		{ echo "PUNT-CYCLE: $name failed: xl config-update"; return 1; }
	xl unpause "$name" || { echo "PUNT-CYCLE: $name failed: xl unpause"; return 1; }
	# xl's monitor destroys the first domain before it creates the second: the name is
	# absent for a moment, so the second boot's power-off is waited for first.
	wait_text "$log" "PUNT-INIT: poweroff" "$WAIT_S" ||
		{ echo "PUNT-CYCLE: $name failed: no power-off after the reboot"; return 1; }
	wait_gone "$name" "$WAIT_S" || { echo "PUNT-CYCLE: $name failed: not gone"; return 1; }
	# Both boots, the reboot first: the log's PUNT-INIT action lines, in order.
	got=$(grep -o 'PUNT-INIT: \(reboot\|poweroff\)' "$log" | tr '\n' ' ')
	[ "$got" = "PUNT-INIT: reboot PUNT-INIT: poweroff " ] ||
		{ echo "PUNT-CYCLE: $name failed: console shows '$got'"; return 1; }
	echo "PUNT-CYCLE: $name ok $(cut -d' ' -f1 /proc/uptime)"
}

# Punt's 'q' key (what each domain holds; docs/control.md) read back through xl dmesg, each
# line marked so that it is told apart from the same line on the serial console.
usage() {
	xl dmesg -c >/dev/null || return 1
	xl debug-keys q || return 1
	xl dmesg | sed -n 's/^(punt) usage /PUNT-USAGE: /p'
}

case "$1" in
destroy | reboot)
	failed=0
	i=$2
	while [ "$i" -le "$3" ]; do
		"${1}_cycle" "$i" || failed=$((failed + 1))
		i=$((i + 1))
	done
	exit "$failed"
	;;
usage) usage ;;
*)
	echo "usage: punt-lifecycle destroy|reboot FIRST LAST | usage" >&2
	exit 2
	;;
esac
