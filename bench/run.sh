#!/usr/bin/env bash
# bench/run.sh - every benchmark beside its anchor, measured in the same run.
#
#   bench/run.sh              all parts (about 5 minutes)
#   bench/run.sh P1 P3        only some parts: P1 P2 P3 P4 P5 MEM
#   DUR=5 bench/run.sh        seconds per measured case (default 2)
#   ./run.sh bench            the same
#   meson compile -C DIR bench   the same on build DIR as it is (BENCH_PARTS="P1 P5"
#                             selects parts; configure it
#                             with --buildtype=release for figures that count)
#
# Builds a release build in build/bench, runs the parts (bench/parts/*.sh),
# then bench/report.py prints ONE table (unetdev figure, its anchor, the
# ratio, the target and whether it holds), writes
# bench/results/bench-<time>.json (+ latest.json) with a machine
# description, and draws bench/results/bench-<time>.png (+ latest.png) with
# gnuplot. Parts that need root (network namespaces) print "skipped: ..."
# without it. Never part of CI. docs/performance.md explains every figure.
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1
export DUR=${DUR:-2} WARM=${WARM:-2} CG_PKTS=${CG_PKTS:-200000}
BUILD=${BUILD:-build/bench}
OUT=${OUT:-bench/results}
B=$BUILD/bench
TMP=$(mktemp -d)
ROWS=$TMP/rows.tsv
PARTS=("$@")
# shellcheck disable=SC2206 # a word list
[ ${#PARTS[@]} -eq 0 ] && PARTS=(${BENCH_PARTS:-P1 P2 P3 P4 P5 MEM})

# shellcheck source=bench/anchors/netns.sh
. bench/anchors/netns.sh
# shellcheck source=bench/anchors/testpmd.sh
. bench/anchors/testpmd.sh
trap 'ns_cleanup; rm -rf "$TMP"' EXIT
trap 'exit 130' INT TERM

T0=$(date +%s)
log() { printf '\033[1m[%4ss] %s\033[0m\n' "$(($(date +%s) - T0))" "$*" >&2; }
skip() { log "skipped: $*"; echo "skipped: $*" >>"$TMP/skipped.txt"; }

as_root() {
    if [ "$(id -u)" -eq 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
        return 1; fi
}

need() { # need COMMAND DEBIAN-PACKAGE: install the package when the command is missing
    command -v "$1" >/dev/null && return 0
    log "installing $2"
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$2" >/dev/null 2>&1 ||
        { as_root env DEBIAN_FRONTEND=noninteractive apt-get update -q >/dev/null 2>&1 &&
          as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$2" >/dev/null 2>&1; } ||
        log "could not install $2: the parts that need it are skipped"
    command -v "$1" >/dev/null
}

# row PART NAME UNETDEV ANCHOR-NAME ANCHOR UNIT BETTER TARGET [INSTR/PKT] [NOTE]
#   BETTER: higher (rates) or lower (costs); the ratio is always "unetdev is
#   this many times as fast": unetdev/anchor for rates, anchor/unetdev for
#   costs. TARGET: ">=X", "X..Y" or "-". Missing figures: NA.
row() {
    local IFS=$'\t'
    printf '%s\n' "$*" >>"$ROWS"
    log "  $2: unetdev ${3} $6, $4 ${5}"
}

# with_cpu CMD...: run CMD (which prints one JSON object with "packets") and
# add the CPU time it used ("cpu_s", from its rusage: start-up included, so
# a little pessimistic) and "cpu_mpps", packets per CPU-second.
with_cpu() {
    python3 -c 'import json, resource, subprocess, sys
out = subprocess.run(sys.argv[1:], capture_output=True, text=True).stdout
r = resource.getrusage(resource.RUSAGE_CHILDREN)
try:
    d = json.loads(out.strip().splitlines()[-1])
except Exception:
    print("{}"); sys.exit(0)
d["cpu_s"] = r.ru_utime + r.ru_stime
d["cpu_mpps"] = d["packets"] / d["cpu_s"] / 1e6 if d.get("packets") and d["cpu_s"] else None
print(json.dumps(d))' "$@"
}

num() { [[ "$1" =~ ^[0-9.eE+-]+$ ]] && echo "$1" || echo NA; }
jget() { python3 -c 'import json,sys; d=json.loads(sys.stdin.readline() or "{}"); print(d.get(sys.argv[1], "NA"))' "$1"; }

# callgrind instructions in function FN per packet of a fixed-count run of CMD...
# (CMD prints JSON with "packets").
cg_ipp() {
    local fn=$1; shift
    local json ir
    json=$(valgrind --tool=callgrind --collect-atstart=no --toggle-collect="$fn" \
        --callgrind-out-file="$TMP/cg.out" "$@" 2>"$TMP/cg.err") || { echo NA; return; }
    ir=$(sed -n 's/.*Collected : \([0-9]*\).*/\1/p' "$TMP/cg.err")
    echo "$json" | python3 -c 'import json,sys; d=json.loads(sys.stdin.read()); ir=int(sys.argv[1] or 0)
print("%.0f" % (ir / d["packets"]) if ir and d.get("packets") else "NA")' "${ir:-0}"
}

build() {
    log "build: $BUILD (release)"
    if [ -f "$BUILD/build.ninja" ]; then
        meson setup --reconfigure "$BUILD" --buildtype=release -Db_ndebug=true >/dev/null
    else
        meson setup "$BUILD" --buildtype=release -Db_ndebug=true >/dev/null
    fi || return 1
    ninja -C "$BUILD" -j2 bench/fwd_null bench/backend_pps bench/scale \
        bench/afpacket_veth bench/tap_pps >/dev/null || return 1
    ninja -C "$BUILD" -j2 bench/afxdp_veth >/dev/null 2>&1 || log "afxdp_veth not built (libxdp)"
    ninja -C "$BUILD" -j2 tools/unetd tools/unet >/dev/null 2>&1 || log "unetd not built (libmnl)"
}

machine() {
    python3 - <<'PY'
import json, os, platform, subprocess
def sh(c):
    try: return subprocess.run(c, shell=True, capture_output=True, text=True).stdout.strip()
    except Exception: return ""
print(json.dumps({
    "cpu": sh("sed -n 's/^model name\\s*: //p' /proc/cpuinfo | head -1"),
    "cores": os.cpu_count(), "kernel": platform.release(),
    "os": sh(". /etc/os-release && echo $PRETTY_NAME"),
    "compiler": sh("cc --version | head -1"),
    "dpdk": sh("dpkg-query -W -f='${Version}' dpdk 2>/dev/null"),
    "valgrind": sh("valgrind --version 2>/dev/null"),
    "git": sh("git describe --always --dirty 2>/dev/null"),
    "date": sh("date -u +%FT%TZ"),
    "buildtype": [o["value"] for o in json.load(open(os.environ["BUILD"] +
        "/meson-info/intro-buildoptions.json")) if o["name"] == "buildtype"][0],
    "loadavg_start": open("/proc/loadavg").read().split()[:3],
    "dur_s": float(os.environ.get("DUR", "2"))}))
PY
}

need meson meson && need ninja ninja-build && need python3 python3 || exit 1
if [ -n "${MESON_BUILD_ROOT:-}" ]; then # meson compile -C DIR bench: DIR is built already
    BUILD=$MESON_BUILD_ROOT; B=$BUILD/bench
else
    build || { log "build failed"; exit 1; }
fi
export BUILD
machine >"$TMP/machine.json"
HAVE_DPDK=0; need dpdk-testpmd dpdk && HAVE_DPDK=1
HAVE_VG=0; need valgrind valgrind && HAVE_VG=1
HAVE_NS=0; have_netns && HAVE_NS=1
for p in "${PARTS[@]}"; do
    f=bench/parts/$(echo "$p" | tr '[:upper:]' '[:lower:]').sh
    if [ ! -f "$f" ]; then log "unknown part $p (P1 P2 P3 P4 P5 MEM)"; continue; fi
    busy=$(awk '/^cpu / {print $2+$3+$4+$7+$8+$9, $2+$3+$4+$5+$6+$7+$8+$9}' /proc/stat
        sleep 1; awk '/^cpu / {print $2+$3+$4+$7+$8+$9, $2+$3+$4+$5+$6+$7+$8+$9}' /proc/stat)
    busy=$(echo "$busy" | paste -sd" " | awk '{printf "%d", 100 * ($3 - $1) / ($4 - $2 + 1)}')
    printf '%s\t%s\n' "$p" "$busy" >>"$TMP/busy.tsv"
    log "$p (machine busy ${busy}% before it)"
    # shellcheck disable=SC1090
    . "$f"
    ns_cleanup
done
need gnuplot gnuplot-nox || log "no gnuplot: no chart"
python3 bench/report.py "$TMP" "$OUT"
