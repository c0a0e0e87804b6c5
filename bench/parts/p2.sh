# shellcheck shell=bash disable=SC2034,SC2154
# P2: the P1 path vs the Linux kernel forwarding the same 64 B frames between
# two veth pairs, per core. Kernel: an AF_PACKET sender (sendmmsg, burst 32)
# on k0a, veth to k0b, forwarded (tc mirred redirect, or a bridge) to k1b,
# veth to k1a, counted with a TPACKET_V3 ring, all on one core. The same
# program with no forwarding (k0a -> k0b) gives the cost of the sender and the
# counter; the kernel's forwarding cost per packet is the difference:
#   1/fwd_pps - 1/direct_pps; its per-core rate is the inverse.
# Every rate here is per second of the process's own CPU time (the kernel's
# veth, tc and bridge work runs in the sender's context), which other
# processes on a shared machine do not dilute. The unetdev side is
# bench/scale.c's copy of the P1 loop (2 devices, noqueue), which reports it.
# A difference of two rates is fragile on a busy machine: the unetdev figure,
# the direct and the forwarded run are each taken P2_REPS times, interleaved,
# and the best of each is used (the least disturbed run).
# Sourced by bench/run.sh.
if [ "$HAVE_NS" != 1 ]; then
    skip "P2: needs root and network namespaces"
else
    P2_REPS=${P2_REPS:-3}
    best() { printf '%s\n' "$@" | grep -E '^[0-9.]+$' | sort -g | tail -1; }
    P2_T=1
    p2_run() { # p2_run NS RX-IF: rx packets/s
        ip netns exec "$1" "$B/afpacket_veth" -i k0a -o "$2" -m sendmmsg -b 32 -1 -t "$P2_T" \
            2>/dev/null | sed -n 's/^RESULT .*cpu_pps=\([0-9.]*\).*/\1/p' | tail -1
    }
    for how in tc bridge; do
        ns_new "p2$how"; ns=ubench-$$-p2$how
        ns_veth "$ns" k0a k0b && ns_veth "$ns" k1a k1b
        ns_new "p2$how-d"; nsd=ubench-$$-p2$how-d
        ns_veth "$nsd" k0a k0b
        if [ "$how" = tc ]; then
            ns_tc_redirect "$ns" k0b k1b
        else
            ip netns exec "$ns" sh -c 'ip link add br0 type bridge && ip link set br0 up &&
                ip link set k0b master br0 && ip link set k1b master br0'
        fi
        d=(); f=(); u=()
        for r in $(seq "$P2_REPS"); do
            log "P2 $how rep $r: unetdev fwd_null b32, kernel direct veth, kernel forwarded"
            u+=("$("$B/scale" fwd -j -b 32 -Q noqueue -t 1 | jget cpu_mpps)")
            d+=("$(p2_run "$nsd" k0b)")
            f+=("$(p2_run "$ns" k1a)")
        done
        P1_B32=$(best "${u[@]}"); direct=$(best "${d[@]}"); fwd=$(best "${f[@]}")
        kfwd=$(python3 -c 'import sys
try:
    d, f = float(sys.argv[1]), float(sys.argv[2]); c = 1 / f - 1 / d
    print("%.4f" % (1e-6 / c) if c > 0 else "NA")
except Exception: print("NA")' "${direct:-NA}" "${fwd:-NA}")
        row P2 "fwd vs kernel $how" "$P1_B32" "kernel $how fwd/core" "$kfwd" Mpps/cpu higher ">=10" \
            NA "kernel end-to-end $(python3 -c "print('%.3f' % (float('${fwd:-0}' or 0)/1e6))") Mpps/cpu, direct $(python3 -c "print('%.3f' % (float('${direct:-0}' or 0)/1e6))")"
    done
fi
