#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Benchmarks a private xenstored (state on the disk under $TMPDIR, fsync on): throughput and
# latency for four workloads at 1, 8 and 64 clients, then resident memory per 10,000 nodes.
set -eu
O=${O:?set O to the build directory}
SECS=${BENCH_SECONDS:-3}
DIR=$(mktemp -d "${TMPDIR:-/tmp}/xsbench.XXXXXX")
export XENSTORED_PATH="$DIR/sock" XENSTORED_STATE_DIR="$DIR/state"
"$O/xenstored" --no-fork &
PID=$!
trap 'kill $PID 2>/dev/null; wait $PID 2>/dev/null; rm -rf "$DIR"' EXIT
i=0
while [ ! -S "$XENSTORED_PATH" ] && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
"$O/xsbench" prepare
echo "== xenstored benchmark ($(nproc) CPUs, ${SECS}s per point, log fsync'd per round)"
for w in read write directory transaction; do
	for c in 1 8 64; do
		"$O/xsbench" run "$w" "$c" "$SECS"
	done
done
rss() { awk '/^VmRSS/ { print $2 }' "/proc/$PID/status"; }
before=$(rss)
"$O/xsbench" populate 10000
after=$(rss)
echo "memory: RSS $before KiB -> $after KiB after 10,000 nodes (16-byte values):" \
	"$((after - before)) KiB per 10,000 nodes"
echo "state on disk: $(du -sk "$XENSTORED_STATE_DIR" | cut -f1) KiB"
