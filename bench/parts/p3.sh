# shellcheck shell=bash disable=SC2034,SC2154
# P3: each kernel-backed backend through the library API (bench/backend_pps.c)
#  - oneway (A transmits, B receives, one core) vs a bare loop of the same
#    system calls (bench/anchors/*.c), target >= 0.95; both in frames per
#    second of the process's own CPU time, which other processes on a shared
#    machine do not dilute (the kernel work runs in the sender's context;
#    the same measure for fwd, where testpmd is measured the same way);
#  - fwd (testpmd io-fwd: frames circulate between A and B) vs dpdk-testpmd
#    with net_af_packet / net_af_xdp / net_tap on the same kind of devices,
#    target >= 1.0.
# af_packet and af_xdp use a veth pair bva<->bvb; tap uses two TAPs looped
# with tc mirred both ways. On a busy machine a single run can be off by 2x:
# each pair is measured P3_REPS times (default 2),
# interleaved, and the best run of each side is kept.
# Sourced by bench/run.sh.
p3_pps() { # p3_pps NS CMD...: the RESULT line's cpu_pps (per CPU-second) in Mpps
    ip netns exec "$@" 2>/dev/null |
        sed -n 's/^RESULT .*cpu_pps=\([0-9.]*\).*/\1/p' | tail -1 |
        awk '{printf "%.4f\n", $1 / 1e6} END {if (!NR) print "NA"}'
}
p3_unet() { # p3_unet NS BACKEND IFA IFB MODE: Mpps, or NA with the reason logged
    local out
    out=$(ip netns exec "$1" "$B/backend_pps" -B "$2" -a "$3" -z "$4" -m "$5" -t "$([ "$5" = oneway ] && echo "$P3_T" || echo "$DUR")" -j \
        2>"$TMP/p3-$2-$5.err")
    case $out in
    skipped:*) skip "P3 $2: ${out#skipped: }"; echo NA ;;
    "{"*) echo "$out" | jget cpu_mpps ;;
    *) log "P3 $2 $5 failed: $(tail -2 "$TMP/p3-$2-$5.err" | tr '\n' ' ')"; echo NA ;;
    esac
}
P3_T=1
P3_REPS=${P3_REPS:-2}
p3_best() { printf '%s\n' "$@" | grep -E '^[0-9.]+$' | sort -g | tail -1 | grep . || echo NA; }
if [ "$HAVE_NS" != 1 ]; then
    skip "P3: needs root and network namespaces"
else
    for be in af_packet af_xdp tap; do
        ns_new "p3$be"; ns=ubench-$$-p3$be
        case $be in
        af_packet)
            ns_veth "$ns" bva bvb
            bare_cmd=("$B/afpacket_veth" -i bva -o bvb -m sendmmsg -b 32 -q -1 -t "$P3_T")
            bare_name="bare sendmmsg+TPACKET_V3"
            tp_vdev="--vdev=net_af_packet0,iface=bva --vdev=net_af_packet1,iface=bvb"
            ifa=bva ifb=bvb ;;
        af_xdp)
            ns_veth "$ns" bva bvb
            bare_cmd=(false)
            [ -x "$B/afxdp_veth" ] &&
                bare_cmd=("$B/afxdp_veth" -i bva -o bvb -m drv -b 32 -1 -t "$P3_T")
            bare_name="bare XSK copy b32"
            tp_vdev="--vdev=net_af_xdp0,iface=bva,start_queue=0,queue_count=1"
            tp_vdev+=" --vdev=net_af_xdp1,iface=bvb,start_queue=0,queue_count=1"
            ifa=bva ifb=bvb ;;
        tap)
            bare_cmd=("$B/tap_pps" -a btap0 -z btap1 -m loop -b 32 -1 -t "$P3_T")
            bare_name="bare write+read"
            for t in ut0 ut1; do
                ip netns exec "$ns" ip tuntap add dev $t mode tap
                ip netns exec "$ns" ip link set $t up
            done
            ns_tc_redirect "$ns" ut0 ut1 && ns_tc_redirect "$ns" ut1 ut0
            tp_vdev="--vdev=net_tap0,iface=dtap0 --vdev=net_tap1,iface=dtap1"
            ifa=ut0 ifb=ut1 ;;
        esac
        b=(); o=(); f=(); t=(); tw=()
        for r in $(seq "$P3_REPS"); do
            log "P3 $be rep $r: bare loop ($bare_name), unetdev oneway"
            b+=("$(p3_pps "$ns" "${bare_cmd[@]}")")
            o+=("$(p3_unet "$ns" "$be" "$ifa" "$ifb" oneway)")
        done
        hook=""
        [ "$be" = tap ] && hook="ns_tc_redirect $ns dtap0 dtap1; ns_tc_redirect $ns dtap1 dtap0"
        for r in $(seq $((P3_REPS > 2 ? 2 : P3_REPS))); do
            log "P3 $be rep $r: unetdev fwd, dpdk-testpmd"
            f+=("$(p3_unet "$ns" "$be" "$ifa" "$ifb" fwd)")
            if [ "$HAVE_DPDK" = 1 ]; then
                read -r c w < <(testpmd_fwd "p3$be" 32 "$tp_vdev" "start tx_first 8" "$ns" "$hook")
                t+=("$c"); tw+=("$w")
            fi
        done
        bare=$(p3_best "${b[@]}"); one=$(p3_best "${o[@]}")
        fwd=$(p3_best "${f[@]}"); tp=$(p3_best "${t[@]}")
        row P3 "$be oneway vs bare" "$one" "$bare_name" "$bare" Mpps/cpu higher ">=0.95" NA \
            "one core, 64 B, best of $P3_REPS: ${o[*]} vs ${b[*]}"
        row P3 "$be fwd vs DPDK" "$fwd" "testpmd net_$be b32" "$tp" Mpps/cpu higher ">=1.0" NA \
            "io fwd, 256 frames seeded per port: ${f[*]} vs ${t[*]:-NA} (wall ${tw[*]:-NA})"
        ns_cleanup
    done
fi
