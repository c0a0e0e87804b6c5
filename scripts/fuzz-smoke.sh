#!/usr/bin/env bash
# Run every libFuzzer target of a clang ASan build for a short time, as TAP.
# usage: scripts/fuzz-smoke.sh BUILDDIR [SECONDS]
cd "$(dirname "$0")/.."
build=$1 secs=${2:-30}
targets=$(find "$build/fuzz" -maxdepth 1 -type f -executable -name "fuzz-*" 2>/dev/null | sort)
echo "1..$(echo "$targets" | grep -c . || true)"
n=0
for t in $targets; do
    n=$((n + 1))
    name=${t##*/fuzz-}
    corpus=fuzz/corpus/$name
    work=$(mktemp -d)
    cp -r "$corpus"/. "$work"/ 2>/dev/null
    if "$t" -max_total_time="$secs" -print_final_stats=1 "$work" > "$build/fuzz-$name.log" 2>&1; then
        echo "ok $n - fuzz_${name}_${secs}s"
    else
        tail -20 "$build/fuzz-$name.log" | sed 's/^/# /'
        echo "not ok $n - fuzz_${name}_${secs}s"
    fi
    rm -rf "$work"
done
