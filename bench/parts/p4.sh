# shellcheck shell=bash disable=SC2034,SC2154
# P4: iperf3 TCP between two namespaces. unetdev: a TAP (IFF_VNET_HDR, TSO)
# in each namespace, joined in-process by the library (bench/tap_bridge.c:
# rx_handler forwarding between the two tap devices, one engine thread) -
# unetd's bridge link type is not measured here. Anchor: the same two
# namespaces, each with a veth end, joined by the kernel's bridge in a third.
# Addresses 198.18.0.1/.2 (the benchmarking range) exist only inside them.
# Sourced by bench/run.sh.
P4_T=${P4_T:-5}
p4_iperf() { # p4_iperf NS-SERVER NS-CLIENT: Gbit/s received
    local srv=$1 cli=$2 pid i
    ip netns exec "$srv" iperf3 -s -1 -B 198.18.0.2 >"$TMP/iperf3-s.log" 2>&1 &
    pid=$!
    for i in $(seq 100); do
        ip netns exec "$srv" ss -ltn 2>/dev/null | grep -q ':5201 ' && break
        sleep 0.1
    done
    ip netns exec "$cli" timeout $((P4_T + 30)) iperf3 -c 198.18.0.2 -t "$P4_T" -J \
        >"$TMP/iperf3-c.json" 2>/dev/null
    kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null
    python3 -c 'import json,sys
try: print("%.3f" % (json.load(open(sys.argv[1]))["end"]["sum_received"]["bits_per_second"] / 1e9))
except Exception: print("NA")' "$TMP/iperf3-c.json"
}
p4_addr() { # p4_addr NS IF ADDR
    ip netns exec "$1" ip addr add "$3/24" dev "$2" && ip netns exec "$1" ip link set "$2" up
}
if [ "$HAVE_NS" != 1 ]; then
    skip "P4: needs root and network namespaces"
elif ! need iperf3 iperf3; then
    skip "P4: no iperf3"
else
    ns_new p4a; ns_new p4b; ns_new p4br
    na=ubench-$$-p4a nb=ubench-$$-p4b nbr=ubench-$$-p4br
    log "P4 kernel bridge: veth + br0"
    ip link add p4va netns "$na" type veth peer name p4vab netns "$nbr"
    ip link add p4vb netns "$nb" type veth peer name p4vbb netns "$nbr"
    ip netns exec "$nbr" sh -c 'ip link add br0 type bridge && ip link set br0 up &&
        for p in p4vab p4vbb; do ip link set $p master br0 && ip link set $p up; done'
    p4_addr "$na" p4va 198.18.0.1 && p4_addr "$nb" p4vb 198.18.0.2
    kbr=$(p4_iperf "$nb" "$na")
    ip netns exec "$na" ip link del p4va; ip netns exec "$nb" ip link del p4vb
    log "P4 unetdev: tap (vnet_hdr) <-> library rx_handler <-> tap"
    "$B/tap_bridge" -A "$na" -a p4ta -Z "$nb" -z p4tb >"$TMP/tap_bridge.log" 2>"$TMP/tap_bridge.err" &
    tbpid=$!
    for i in $(seq 200); do grep -q ready "$TMP/tap_bridge.log" && break; sleep 0.05; done
    if grep -q ready "$TMP/tap_bridge.log"; then
        p4_addr "$na" p4ta 198.18.0.1 && p4_addr "$nb" p4tb 198.18.0.2
        ubr=$(p4_iperf "$nb" "$na")
    else
        log "P4: tap_bridge did not start: $(tail -2 "$TMP/tap_bridge.err" | tr '\n' ' ')"
        ubr=NA
    fi
    kill "$tbpid" 2>/dev/null; wait "$tbpid" 2>/dev/null
    row P4 "iperf3 TCP via taps" "$ubr" "kernel bridge + veth" "$kbr" Gbit/s higher ">=0.5" NA \
        "in-process library bridge of 2 taps (not unetd); $(tail -1 "$TMP/tap_bridge.log" | tr -d '"{}' | cut -c1-60)"
fi
