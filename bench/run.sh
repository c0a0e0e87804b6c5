#!/usr/bin/env bash
# bench/run.sh - unetdev forwarding next to DPDK testpmd, measured in the same run.
#
#   bench/run.sh            (or: ./run.sh bench, ninja -C <build> bench)
#   DUR=5 bench/run.sh      seconds per case (default 2; testpmd: measured window)
#
# 1. builds a release build in build/bench (meson, buildtype=release);
# 2. runs bench/fwd_null: two null devices forwarding to each other through
#    NAPI -> netif_receive_skb -> rx_handler -> dev_queue_xmit -> qdisc ->
#    ndo_start_xmit, one engine CPU inline, bursts of 1 and 32, noqueue and
#    pfifo_fast, and 1..64 TX queues;
# 3. runs dpdk-testpmd io-forwarding between two net_null ports (burst 1 and
#    32) on one forwarding lcore (installs Debian `dpdk` when missing);
# 4. counts instructions per packet with callgrind on a fixed-count run
#    (stable where wall-clock figures move by a few per cent);
# 5. prints the table and writes bench/results/fwd_null-<time>.json (+ latest.json).
# Never part of CI. Takes about a minute with the defaults.
set -euo pipefail
cd "$(dirname "$0")/.."
DUR=${DUR:-2}
WARM=${WARM:-2}
CG_PKTS=${CG_PKTS:-200000}
BUILD=${BUILD:-build/bench}
OUT=bench/results
TMP=$(mktemp -d)
PREFIX=unetdev-$$
trap 'rm -rf "$TMP" "/var/run/dpdk/$PREFIX"' EXIT

log() { printf '\033[1m== %s\033[0m\n' "$*" >&2; }

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
        log "could not install $2: that part is skipped"
    command -v "$1" >/dev/null
}

build() {
    log "build: $BUILD (release)"
    if [ -f "$BUILD/build.ninja" ]; then
        meson setup --reconfigure "$BUILD" --buildtype=release -Db_ndebug=true >/dev/null
    else
        meson setup "$BUILD" --buildtype=release -Db_ndebug=true >/dev/null
    fi
    ninja -C "$BUILD" bench/fwd_null >/dev/null
}

# unetdev cases: "name burst txqs qdisc"
CASES=(
    "b32 32 1 noqueue"      "b1 1 1 noqueue"
    "b32-pfifo 32 1 pfifo_fast" "b1-pfifo 1 1 pfifo_fast"
    "b32-q4 32 4 pfifo_fast"  "b32-q16 32 16 pfifo_fast" "b32-q64 32 64 pfifo_fast"
    "b32-q64-noqueue 32 64 noqueue"
)

run_unetdev() {
    local name burst txqs qdisc
    for c in "${CASES[@]}"; do
        read -r name burst txqs qdisc <<<"$c"
        log "unetdev $name"
        "$BUILD/bench/fwd_null" -j -b "$burst" -q "$txqs" -Q "$qdisc" -t "$DUR" |
            sed "s/^{/{\"case\": \"$name\", /" >>"$TMP/unetdev.jsonl"
    done
}

# testpmd io fwd, net_null x2, lcore 1 forwards; the figure is the sum of both
# ports' Rx-pps from the second "show port stats all".
run_dpdk() {
    local burst=$1 log=$TMP/testpmd$1.log
    log "dpdk-testpmd net_null burst $burst"
    {
        sleep 2; echo start; sleep "$WARM"; echo "show port stats all"; sleep "$DUR"
        echo "show port stats all"; echo stop; sleep 1; echo quit
    } | timeout $((WARM + DUR + 60)) dpdk-testpmd --no-huge -m 1024 --no-pci -l 0-1 \
        --no-shconf --file-prefix="$PREFIX" --log-level=lib.eal:warning \
        --vdev=net_null0 --vdev=net_null1 -- -i --forward-mode=io --burst="$burst" \
        >"$log" 2>&1 || true
    awk -v b="$burst" '/Rx-pps:/ {v[n++]=$2}
        END {m = "null"; if (n >= 4) m = (v[n-1] + v[n-2]) / 1e6
             printf("{\"burst\": %d, \"mpps\": %s}\n", b, m)}' "$log" >>"$TMP/dpdk.jsonl"
}

# callgrind: instructions in fwd_loop() / packets forwarded.
run_callgrind() {
    local burst=$1 qdisc=$2 json ir
    log "callgrind burst $burst $qdisc ($CG_PKTS packets)"
    json=$(valgrind --tool=callgrind --collect-atstart=no --toggle-collect=fwd_loop \
        --callgrind-out-file="$TMP/cg.out" "$BUILD/bench/fwd_null" -j -b "$burst" \
        -Q "$qdisc" -n "$CG_PKTS" 2>"$TMP/cg.err")
    ir=$(sed -n 's/.*Collected : \([0-9]*\).*/\1/p' "$TMP/cg.err")
    echo "$json" | sed "s/^{/{\"ir\": ${ir:-null}, /" >>"$TMP/callgrind.jsonl"
}

machine() {
    python3 - "$@" <<'PY'
import json, os, platform, subprocess
def sh(c):
    try: return subprocess.run(c, shell=True, capture_output=True, text=True).stdout.strip()
    except Exception: return ""
print(json.dumps({
    "cpu": sh("sed -n 's/^model name\\s*: //p' /proc/cpuinfo | head -1"),
    "cpus": os.cpu_count(), "kernel": platform.release(),
    "compiler": sh("cc --version | head -1"),
    "dpdk": sh("dpkg-query -W -f='${Version}' dpdk 2>/dev/null"),
    "valgrind": sh("valgrind --version 2>/dev/null"),
    "date": sh("date -u +%FT%TZ"), "dur_s": float(os.environ.get("DUR", "2"))}))
PY
}

report() {
    python3 - "$TMP" "$OUT" <<'PY'
import json, sys, os
tmp, out = sys.argv[1], sys.argv[2]
def lines(f):
    p = os.path.join(tmp, f)
    return [json.loads(l) for l in open(p) if l.strip()] if os.path.exists(p) else []
u, d, cg = lines("unetdev.jsonl"), lines("dpdk.jsonl"), lines("callgrind.jsonl")
m = json.load(open(os.path.join(tmp, "machine.json")))
dpdk = {x["burst"]: x["mpps"] for x in d}
ipp = {(x["burst"], x["qdisc"]): x["ir"] / x["packets"] for x in cg if x.get("ir") and x["packets"]}
print("\nmachine: %s, %s cpus, kernel %s, %s, dpdk %s" %
      (m["cpu"], m["cpus"], m["kernel"], m["compiler"], m["dpdk"] or "-"))
print("%-16s %5s %5s %-14s %9s %8s %10s %7s %9s" %
      ("case", "burst", "txqs", "qdisc", "Mpps", "ns/pkt", "DPDK Mpps", "ratio", "instr/pkt"))
for x in u:
    dm = dpdk.get(x["burst"])
    ratio = "%.2f" % (x["mpps"] / dm) if dm else "-"
    i = ipp.get((x["burst"], x["qdisc"]) if x["txqs"] == 1 else None)
    print("%-16s %5d %5d %-14s %9.2f %8.2f %10s %7s %9s" %
          (x["case"], x["burst"], x["txqs"], x["qdisc"], x["mpps"], x["ns_per_pkt"],
           "%.2f" % dm if dm else "-", ratio, "%.0f" % i if i else "-"))
for b, v in sorted(dpdk.items()):
    print("dpdk-testpmd io fwd net_null x2 burst %-3d %s Mpps" % (b, "%.2f" % v if v else "NA"))
res = {"machine": m, "unetdev": u, "dpdk_testpmd": d, "callgrind": cg}
os.makedirs(out, exist_ok=True)
name = os.path.join(out, "fwd_null-%s.json" % m["date"].replace(":", ""))
for f in (name, os.path.join(out, "latest.json")):
    with open(f, "w") as fh:
        json.dump(res, fh, indent=1)
print("results: %s" % name)
PY
}

need meson meson; need ninja ninja-build
build
DUR=$DUR machine >"$TMP/machine.json"
run_unetdev
if need dpdk-testpmd dpdk; then
    run_dpdk 32
    run_dpdk 1
fi
if need valgrind valgrind; then
    run_callgrind 32 noqueue
    run_callgrind 1 noqueue
    run_callgrind 32 pfifo_fast
    run_callgrind 1 pfifo_fast
fi
report
