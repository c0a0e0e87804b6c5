#!/usr/bin/env bash
# A long libFuzzer campaign for one target of a clang ASan build (one core).
#   scripts/fuzz-long.sh TARGET HOURS [BUILDDIR]     e.g. scripts/fuzz-long.sh rx 8
# TARGET is gso, rx, pcap, unetd or api. The growing corpus is kept in
# BUILDDIR/fuzz-long/TARGET (seeded from fuzz/corpus/TARGET, reused by the next
# campaign), crashes are written next to it as crash-*, and the final stats
# (executions, corpus size) are printed and appended to BUILDDIR/fuzz-long/runs.txt.
# Reproduce a crash: BUILDDIR/fuzz/fuzz-TARGET FILE
set -u
cd "$(dirname "$0")/.."
[ $# -ge 2 ] || { sed -n '2,9p' "$0"; exit 2; }
target=$1 hours=$2 build=${3:-build/clang-asan}
bin=$build/fuzz/fuzz-$target
[ -x "$bin" ] || { echo "no $bin: configure $build with CC=clang and -Db_sanitize=address,undefined, then ninja -C $build fuzz/fuzz-$target"; exit 2; }
secs=$(awk -v h="$hours" 'BEGIN { printf "%d", h * 3600 }')
work=$build/fuzz-long/$target
mkdir -p "$work"
cp -n fuzz/corpus/"$target"/* "$work"/ 2>/dev/null
log=$build/fuzz-long/$target-$(date +%Y%m%d-%H%M%S).log
echo "fuzzing $target for $secs s; corpus $work; log $log"
start=$SECONDS
"$bin" -max_total_time="$secs" -print_final_stats=1 -artifact_prefix="$build/fuzz-long/$target-" \
    -timeout=25 -rss_limit_mb=4096 "$work" > "$log" 2>&1
rc=$?
execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
line="$(date -u +%FT%TZ) $target $((SECONDS - start))s of ${secs}s execs=${execs:-?} corpus=$(ls "$work" | wc -l) exit=$rc"
echo "$line" | tee -a "$build/fuzz-long/runs.txt"
[ $rc -eq 0 ] || { grep -m1 -A12 "ERROR\|rx_fuzz\|_fuzz:" "$log"; exit 1; }
