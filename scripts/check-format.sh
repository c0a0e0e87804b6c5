#!/usr/bin/env bash
# Format check as one TAP test: every C file must be clang-format clean.
cd "$(dirname "$0")/.."
bad=$(git ls-files '*.c' '*.h' | xargs clang-format --dry-run 2>&1 | grep -c 'warning:' || true)
echo "1..1"
if [ "$bad" -eq 0 ]; then
    echo "ok 1 - clang_format_clean"
else
    echo "not ok 1 - clang_format_clean ($bad places differ; run clang-format -i)"
fi
