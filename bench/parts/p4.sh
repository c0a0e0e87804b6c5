# shellcheck shell=bash disable=SC2034,SC2154
# P4: iperf3 TCP between two namespaces through unetd's bridge.
#
#   ns p4a: p4ka (kernel TAP) ==== unetd tap p4ta --+
#                                                    br0 (unetd bridge)
#   ns p4b: p4kb (kernel TAP) ==== unetd tap p4tb --+
#
# unetd (tools/unetd) runs with its default engine (one thread per core);
# `unet` creates the bridge and two tap ports with IFF_VNET_HDR (TSO and
# checksum offloads: GSO frames cross whole), the kernel TAPs created in the
# namespaces (tap kind's "netns"), and enslaves them. Anchor: the same two
# namespaces, each with a veth end, joined by the kernel's bridge in a third.
# iperf3 TCP both ways (a->b, then b->a with -R); addresses 198.18.0.1/.2
# (the benchmarking range) exist only inside the namespaces.
# Sourced by bench/run.sh.
P4_T=${P4_T:-5}
p4_iperf() { # p4_iperf NS-SERVER NS-CLIENT [-R]: Gbit/s received
    local srv=$1 cli=$2 pid i
    shift 2
    ip netns exec "$srv" iperf3 -s -1 -B 198.18.0.2 >"$TMP/iperf3-s.log" 2>&1 &
    pid=$!
    for i in $(seq 100); do
        ip netns exec "$srv" ss -ltn 2>/dev/null | grep -q ':5201 ' && break
        sleep 0.1
    done
    ip netns exec "$cli" timeout $((P4_T + 30)) iperf3 -c 198.18.0.2 -t "$P4_T" -J "$@" \
        >"$TMP/iperf3-c.json" 2>/dev/null
    kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null
    python3 -c 'import json,sys
try: print("%.3f" % (json.load(open(sys.argv[1]))["end"]["sum_received"]["bits_per_second"] / 1e9))
except Exception: print("NA")' "$TMP/iperf3-c.json"
}
p4_addr() { # p4_addr NS IF ADDR
    ip netns exec "$1" ip addr add "$3/24" dev "$2" && ip netns exec "$1" ip link set "$2" up
}
p4_cpu() { # p4_cpu PID: user+system CPU seconds of PID so far
    awk '{printf "%.2f", ($14 + $15) / '"$(getconf CLK_TCK)"'}' "/proc/$1/stat" 2>/dev/null || echo NA
}
p4_unetd_start() { # sets UNETD_PID; the daemon's socket is $UNETD_SOCKET
    export UNETD_SOCKET=$TMP/unetd.sock
    printf 'link add lo type loopback\nlink set lo up\n' >"$TMP/unetd.conf"
    "$BUILD/tools/unetd" -f -c "$TMP/unetd.conf" -s "$UNETD_SOCKET" </dev/null >/dev/null \
        2>"$TMP/unetd.log" &
    UNETD_PID=$!
    for i in $(seq 200); do [ -S "$UNETD_SOCKET" ] && return 0; sleep 0.05; done
    return 1
}
p4_unetd_bridge() { # p4_unetd_bridge NS-A NS-B: br0 with the two tap ports, all up
    local u=$BUILD/tools/unet
    "$u" link add br0 type bridge &&
        "$u" link add p4ta type tap ifname p4ka vnet_hdr on netns "$1" &&
        "$u" link add p4tb type tap ifname p4kb vnet_hdr on netns "$2" &&
        "$u" link set p4ta master br0 && "$u" link set p4tb master br0 &&
        "$u" link set br0 up && "$u" link set p4ta up && "$u" link set p4tb up
}
if [ "$HAVE_NS" != 1 ]; then
    skip "P4: needs root and network namespaces"
elif ! need iperf3 iperf3; then
    skip "P4: no iperf3"
elif [ ! -x "$BUILD/tools/unetd" ] || [ ! -x "$BUILD/tools/unet" ]; then
    skip "P4: unetd and unet not built (libmnl)"
else
    ns_new p4a; ns_new p4b; ns_new p4br
    na=ubench-$$-p4a nb=ubench-$$-p4b nbr=ubench-$$-p4br
    log "P4 kernel bridge: veth + br0"
    ip link add p4va netns "$na" type veth peer name p4vab netns "$nbr"
    ip link add p4vb netns "$nb" type veth peer name p4vbb netns "$nbr"
    ip netns exec "$nbr" sh -c 'ip link add br0 type bridge && ip link set br0 up &&
        for p in p4vab p4vbb; do ip link set $p master br0 && ip link set $p up; done'
    p4_addr "$na" p4va 198.18.0.1 && p4_addr "$nb" p4vb 198.18.0.2
    kab=$(p4_iperf "$nb" "$na"); kba=$(p4_iperf "$nb" "$na" -R)
    ip netns exec "$na" ip link del p4va; ip netns exec "$nb" ip link del p4vb
    log "P4 unetdev: kernel TAP <-> unetd tap <-> unetd br0 <-> unetd tap <-> kernel TAP"
    uab=NA uba=NA note="unetd did not start"
    if p4_unetd_start && p4_unetd_bridge "$na" "$nb" >"$TMP/unet.log" 2>&1 &&
        p4_addr "$na" p4ka 198.18.0.1 && p4_addr "$nb" p4kb 198.18.0.2; then
        # learning starts with flooding: let ARP settle before the window
        ip netns exec "$na" ping -c 1 -W 5 198.18.0.2 >/dev/null 2>&1
        c0=$(p4_cpu "$UNETD_PID"); uab=$(p4_iperf "$nb" "$na")
        c1=$(p4_cpu "$UNETD_PID"); uba=$(p4_iperf "$nb" "$na" -R)
        c2=$(p4_cpu "$UNETD_PID")
        note="unetd CPU s per ${P4_T} s run: $(python3 -c "print('%.1f, %.1f' % ($c1 - $c0, $c2 - $c1))" 2>/dev/null)"
        note="$note; $("$BUILD/tools/unet" -s -j link show p4ta | python3 -c 'import json,sys
try: r=json.load(sys.stdin)[0]["stats64"]["rx"]; print("p4ta rx %d B/frame (GSO)" % (r["bytes"] // r["packets"]))
except Exception: print("-")')"
    elif [ -n "${UNETD_PID:-}" ]; then
        note="unet failed: $(tail -1 "$TMP/unet.log")"
        log "P4: $note"
    fi
    [ -n "${UNETD_PID:-}" ] && { kill "$UNETD_PID" 2>/dev/null; wait "$UNETD_PID" 2>/dev/null; }
    row P4 "iperf3 TCP a->b" "$uab" "kernel bridge + veth" "$kab" Gbit/s higher ">=0.5" NA \
        "unetd bridge, 2 taps (TSO); $note"
    row P4 "iperf3 TCP b->a" "$uba" "kernel bridge + veth" "$kba" Gbit/s higher ">=0.5" NA \
        "iperf3 -R"
fi
