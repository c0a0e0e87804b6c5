#!/usr/bin/env bash
# clang-tidy over the library sources (the .clang-tidy checks) as one TAP test.
# usage: scripts/check-tidy.sh BUILDDIR   (a configured build with compile_commands.json)
cd "$(dirname "$0")/.."
build=${1:-build/gcc}
out=$(git ls-files 'src/*.c' | xargs -P2 -n8 clang-tidy -quiet -p "$build" 2>/dev/null)
n=$(printf '%s\n' "$out" | grep -c ': warning:' || true)
echo "1..1"
if [ "$n" -eq 0 ]; then
    echo "ok 1 - clang_tidy_clean"
else
    printf '%s\n' "$out" | grep ': warning:' | sed 's/^/# /' | head -40
    echo "not ok 1 - clang_tidy_clean ($n warnings)"
fi
