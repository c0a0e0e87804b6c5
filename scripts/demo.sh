#!/usr/bin/env bash
# The unetdev demo (./run.sh demo): unetd with its default configuration, a
# learning bridge with ports, traffic through it, the counters and the
# forwarding database, and a clean shutdown.
#
#   scripts/demo.sh [BUILD_DIR]      (default build/gcc)
#
#   host A: veth1 --- veth0 --+                      unet pktgen sends from the far ends
#                             br0  (unetd, in-process)
#   host B: veth3 --- veth2 --+--- p0, p1 (af_packet on kernel veths) --- two kernel
#                                                    namespaces (as root)
#
# Part 1 runs the library's in-process tour (tools/unetdev-demo). Part 2 is
# the daemon. Part 3 needs root: two kernel namespaces ping each other through
# the bridge (af_packet ports); without root it says it is skipped. Everything runs in a private directory and is removed at the end.
set -euo pipefail
cd "$(dirname "$0")/.."

BUILD=${1:-build/gcc}
UNETD=$BUILD/tools/unetd
UNET=$BUILD/tools/unet
DEMO=$BUILD/tools/unetdev-demo
NS_A=unetdemo-a
NS_B=unetdemo-b

step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
run() { printf '$ unet %s\n' "$*"; "$UNET" "$@"; }

for bin in "$UNETD" "$UNET" "$DEMO"; do
    [ -x "$bin" ] || { echo "demo: $bin is not built (libmnl-dev missing?)" >&2; exit 1; }
done

dir=$(mktemp -d /tmp/unetdemo.XXXXXX)
export UNETD_SOCKET=$dir/unetd.sock
pid=
cleanup() {
    if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then kill -TERM "$pid"; wait "$pid" || true; fi
    if [ "$(id -u)" -eq 0 ]; then
        ip netns del "$NS_A" 2>/dev/null || true
        ip netns del "$NS_B" 2>/dev/null || true
        ip link del udemo-a 2>/dev/null || true
        ip link del udemo-b 2>/dev/null || true
    fi
    rm -rf "$dir"
}
trap cleanup EXIT

# until TRIES CMD...: run CMD until it succeeds, 20 ms apart (no fixed sleeps).
until_ok() {
    local tries=$1; shift
    for _ in $(seq "$tries"); do "$@" >/dev/null 2>&1 && return 0; sleep 0.02; done
    "$@"
}
is_up() { "$UNET" link show "$1" | grep -q "state UP"; }

step "part 1: the library in-process (tools/unetdev-demo)"
"$DEMO" --quiet

step "part 2: unetd with its default configuration"
"$UNETD" -f -s "$UNETD_SOCKET" 2>"$dir/unetd.log" &
pid=$!
until_ok 500 test -S "$UNETD_SOCKET"
run link show

step "a bridge with two ports"
run link add br0 type bridge
run link add veth2 type veth peer veth3
for port in veth0 veth2; do run link set "$port" master br0; done
for dev in br0 veth0 veth1 veth2 veth3; do run link set "$dev" up; done
for dev in br0 veth0 veth2; do until_ok 500 is_up "$dev"; done
run link show

step "traffic: host A (behind veth0) and host B (behind veth2)"
A=02:00:00:00:00:0a
B=02:00:00:00:00:0b
echo "# A broadcasts 100 frames: flooded to veth2 and delivered to br0; A is learned on veth0"
run pktgen veth1 count 100 src $A
echo "# B answers A 50 times: A is known, so only veth0 gets them; B is learned on veth2"
run pktgen veth3 count 50 src $B dst $A
echo "# A sends to B 50 times: forwarded to veth2 only"
run pktgen veth1 count 50 src $A dst $B

step "part 3: kernel peers through af_packet ports"
# Two namespaces, each with one end of a kernel veth pair; the other ends stay in
# this namespace and become bridge ports through af_packet.
if [ "$(id -u)" -ne 0 ]; then
    echo "skipped: needs root (private network namespaces)"
elif ! command -v ip >/dev/null; then
    echo "skipped: iproute2 is not installed"
else
    ip netns add "$NS_A"
    ip netns add "$NS_B"
    ip link add udemo-a type veth peer name eth0 netns "$NS_A"
    ip link add udemo-b type veth peer name eth0 netns "$NS_B"
    for ns in "$NS_A" "$NS_B"; do ip -n "$ns" link set lo up; done
    ip -n "$NS_A" addr add 10.99.0.1/24 dev eth0
    ip -n "$NS_B" addr add 10.99.0.2/24 dev eth0
    ip -n "$NS_A" link set eth0 up
    ip -n "$NS_B" link set eth0 up
    ip link set udemo-a up
    ip link set udemo-b up
    if ! run link add p0 type af_packet link udemo-a 2>"$dir/afp.err"; then
        echo "skipped: unetd has no af_packet link type here ($(cat "$dir/afp.err"))"
    else
        run link add p1 type af_packet link udemo-b
        for p in p0 p1; do run link set "$p" master br0; run link set "$p" up; done
        printf '$ ip netns exec %s ping -c 3 -W 2 10.99.0.2\n' "$NS_A"
        until_ok 100 ip netns exec "$NS_A" ping -c 1 -W 1 10.99.0.2 || true
        ip netns exec "$NS_A" ping -c 3 -W 2 10.99.0.2 || echo "ping failed"
    fi
fi

step "counters (unet -s link)"
echo "# the hosts have no handler for ethertype 0x88b5, so what they receive is counted"
echo "# as dropped, as the kernel counts an unhandled protocol (rx_dropped)"
run -s link
step "forwarding database (unet bridge fdb show)"
run bridge fdb show

step "shutdown"
kill -TERM "$pid"
status=0
wait "$pid" || status=$?
pid=
if [ "$status" -eq 0 ]; then
    echo "unetd stopped cleanly: devices unregistered, nothing left alive"
else
    echo "unetd exited with status $status:"; cat "$dir/unetd.log"; exit 1
fi
