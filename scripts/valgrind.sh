#!/usr/bin/env bash
# Valgrind memcheck over the unit and conformance test programs of a gcc build
# (manual; not part of CI: it takes several minutes). Each forked test child is
# followed; any memcheck error or definite leak fails the program.
#   scripts/valgrind.sh [BUILDDIR] [PROGRAM-NAME-PATTERN...]
# e.g. scripts/valgrind.sh build/gcc conformance-txq conformance-xmit
# --fair-sched=yes: valgrind runs one thread at a time; its fair lock hands the
# CPU round-robin instead of letting a spinning thread keep it.
set -u
cd "$(dirname "$0")/.."
build=${1:-build/gcc}
shift || true
patterns=("$@")
[ ${#patterns[@]} -gt 0 ] || patterns=("")
command -v valgrind >/dev/null || { echo "valgrind is not installed (apt-get install valgrind)"; exit 2; }
[ -d "$build/tests" ] || { echo "no tests in $build: run ./run.sh build first"; exit 2; }
export UNETDEV_TEST_MODULE_MOD_DUMMY=$PWD/$build/tests/modules/mod_dummy.so
export UNETDEV_TEST_TIMEOUT_SCALE=20 UNETDEV_STORM_SECONDS=5
pass=0 fail=0
for t in "$build"/tests/test-unit-* "$build"/tests/test-conformance-*; do
    [ -f "$t" ] && [ -x "$t" ] || continue
    match=0
    for p in "${patterns[@]}"; do case "$t" in *"$p"*) match=1 ;; esac; done
    [ $match -eq 1 ] || continue
    start=$SECONDS
    log=$build/valgrind-${t##*/}.log
    if valgrind --quiet --fair-sched=yes --trace-children=yes --trace-children-skip='*/nm,*/sh,*/ip,*/tc' --error-exitcode=99 --leak-check=full \
        --errors-for-leak-kinds=definite --log-file="$log.%p" "$t" > "$log" 2>&1 &&
        ! grep -q "ERROR SUMMARY: [1-9]" "$log".* 2>/dev/null; then
        echo "ok   ${t##*/} ($((SECONDS - start)) s)"; pass=$((pass + 1))
    else
        echo "FAIL ${t##*/} ($((SECONDS - start)) s; see $log.*)"; fail=$((fail + 1))
    fi
done
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
