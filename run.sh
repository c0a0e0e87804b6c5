#!/usr/bin/env bash
# unetdev — one entry point for a fresh Debian 12 machine.
#
#   ./run.sh demo    install what is missing, build, run the demo (the main job)
#   ./run.sh test    install what is missing, check format and clang-tidy, build
#                    with gcc and with clang (ASan+UBSan, and TSan), run every
#                    test in each build, a short fuzz run, and end with
#                    "N passed, N failed, N skipped"
#   ./run.sh bench [P1 P2 P3 P4 P5 MEM]   release build in build/bench, every
#                    benchmark beside its anchor (DPDK testpmd, the kernel, bare
#                    system-call loops) in one table + JSON + PNG chart under
#                    bench/results/ (~5 min; docs/performance.md)
#   ./run.sh deps    only install the Debian packages
#   ./run.sh build   only the gcc build (build/gcc)
#
# Builds live under build/. Set JOBS to limit parallel test processes.
set -euo pipefail
cd "$(dirname "$0")"

PACKAGES=(meson ninja-build gcc clang libclang-rt-14-dev pkg-config python3
          liburcu-dev libmnl-dev libpcap-dev libxdp-dev libbpf-dev iproute2 iputils-ping
          tcpdump tshark clang-format clang-tidy iperf3 ethtool)

log() { printf '\033[1m== %s\033[0m\n' "$*"; }

as_root() {
    if [ "$(id -u)" -eq 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
        echo "run.sh: need root (or sudo) to install: $*" >&2; return 1; fi
}

deps() {
    local missing=()
    for p in "${PACKAGES[@]}"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
    done
    if [ ${#missing[@]} -gt 0 ]; then
        log "installing ${missing[*]}"
        as_root env DEBIAN_FRONTEND=noninteractive apt-get update -q
        as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}"
    fi
}

# setup DIR [meson options...]: configure once, reconfigure when it exists.
setup() {
    local dir=$1; shift
    if [ -f "$dir/build.ninja" ]; then
        meson setup --reconfigure "$dir" "$@" >/dev/null
    else
        meson setup "$dir" "$@" >/dev/null
    fi
}

build_gcc() {
    setup build/gcc
    ninja -C build/gcc
}

run_suite() { # DIR NAME [meson test args...]
    local dir=$1 name=$2; shift 2
    log "tests: $name"
    meson test -C "$dir" --num-processes "${JOBS:-2}" --print-errorlogs "$@" || true
}

tests() {
    log "format check"
    scripts/check-format.sh > build/format.tap || true

    log "build: gcc -Werror"
    build_gcc
    run_suite build/gcc gcc

    log "clang-tidy"
    scripts/check-tidy.sh build/gcc > build/tidy.tap || true

    log "build: clang -Wthread-safety, ASan+UBSan"
    CC=clang setup build/clang-asan -Db_sanitize=address,undefined -Db_lundef=false
    ninja -C build/clang-asan
    run_suite build/clang-asan clang-asan

    log "fuzz smoke (30 s per target)"
    scripts/fuzz-smoke.sh build/clang-asan 30 > build/fuzz.tap || true

    log "build: clang TSan (threaded tests)"
    CC=clang setup build/clang-tsan -Db_sanitize=thread -Db_lundef=false
    ninja -C build/clang-tsan
    run_suite build/clang-tsan clang-tsan --suite threaded

    python3 scripts/tap-summary.py build/format.tap build/tidy.tap build/fuzz.tap \
        gcc=build/gcc clang-asan=build/clang-asan clang-tsan=build/clang-tsan
}

demo() {
    build_gcc
    log "demo"
    scripts/demo.sh build/gcc "$@"
}

cmd=${1:-}
shift || true
case "$cmd" in
    deps) deps ;;
    build) deps; build_gcc ;;
    demo) deps; mkdir -p build; demo "$@" ;;
    test) deps; mkdir -p build; tests ;;
    bench) deps; bench/run.sh "$@" ;;
    *) awk 'NR > 1 && /^#/ { print; next } NR > 1 { exit }' "$0"; exit 2 ;;
esac
