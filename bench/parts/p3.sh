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
# unetdev runs in two NAPI modes, each its own row: the default (an interrupt
# per poll, masked lazily) and busy polling ($P3_BUSY: interrupt deferral,
# napi_defer_hard_irqs and gro_flush_timeout, with the engine CPU re-polling
# deferred NAPIs instead of waiting; backend_pps -d -g -P).
# Sourced by bench/run.sh.
p3_pps() { # p3_pps NS CMD...: the RESULT line's cpu_pps (per CPU-second) in Mpps
    ip netns exec "$@" 2>/dev/null |
        sed -n 's/^RESULT .*cpu_pps=\([0-9.]*\).*/\1/p' | tail -1 |
        awk '{printf "%.4f\n", $1 / 1e6} END {if (!NR) print "NA"}'
}
p3_unet() { # p3_unet NS BACKEND IFA IFB MODE [NAPI-OPTS...]: Mpps, or NA with the reason logged
    local out ns=$1 be=$2 ifa=$3 ifb=$4 mode=$5
    shift 5
    out=$(ip netns exec "$ns" "$B/backend_pps" -B "$be" -a "$ifa" -z "$ifb" -m "$mode" -t "$([ "$mode" = oneway ] && echo "$P3_T" || echo "$DUR")" -j "$@" \
        2>"$TMP/p3-$be-$mode.err")
    set -- "$ns" "$be" "$ifa" "$ifb" "$mode"
    case $out in
    skipped:*) skip "P3 $2: ${out#skipped: }"; echo NA ;;
    "{"*) echo "$out" | jget cpu_mpps ;;
    *) log "P3 $2 $5 failed: $(tail -2 "$TMP/p3-$2-$5.err" | tr '\n' ' ')"; echo NA ;;
    esac
}
P3_T=1
P3_REPS=${P3_REPS:-2}
read -r -a P3_BUSY <<<"${P3_BUSY:--d 2 -g 20000 -P}"
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
        b=(); o=(); ob=(); f=(); fb=(); t=(); tw=()
        for r in $(seq "$P3_REPS"); do
            log "P3 $be rep $r: bare loop ($bare_name), unetdev oneway, oneway busy-poll"
            b+=("$(p3_pps "$ns" "${bare_cmd[@]}")")
            o+=("$(p3_unet "$ns" "$be" "$ifa" "$ifb" oneway)")
            ob+=("$(p3_unet "$ns" "$be" "$ifa" "$ifb" oneway "${P3_BUSY[@]}")")
        done
        hook=""
        [ "$be" = tap ] && hook="ns_tc_redirect $ns dtap0 dtap1; ns_tc_redirect $ns dtap1 dtap0"
        for r in $(seq $((P3_REPS > 2 ? 2 : P3_REPS))); do
            log "P3 $be rep $r: unetdev fwd, fwd busy-poll, dpdk-testpmd"
            f+=("$(p3_unet "$ns" "$be" "$ifa" "$ifb" fwd)")
            fb+=("$(p3_unet "$ns" "$be" "$ifa" "$ifb" fwd "${P3_BUSY[@]}")")
            if [ "$HAVE_DPDK" = 1 ]; then
                read -r c w < <(testpmd_fwd "p3$be" 32 "$tp_vdev" "start tx_first 8" "$ns" "$hook")
                t+=("$c"); tw+=("$w")
            fi
        done
        bare=$(p3_best "${b[@]}"); one=$(p3_best "${o[@]}"); oneb=$(p3_best "${ob[@]}")
        fwd=$(p3_best "${f[@]}"); fwdb=$(p3_best "${fb[@]}"); tp=$(p3_best "${t[@]}")
        row P3 "$be oneway vs bare" "$one" "$bare_name" "$bare" Mpps/cpu higher ">=0.95" NA \
            "one core, 64 B, best of $P3_REPS: ${o[*]} vs ${b[*]}"
        row P3 "$be oneway busy-poll vs bare" "$oneb" "$bare_name" "$bare" Mpps/cpu higher ">=0.95" NA \
            "one core, 64 B, napi ${P3_BUSY[*]}, best of $P3_REPS: ${ob[*]} vs ${b[*]}"
        row P3 "$be fwd vs DPDK" "$fwd" "testpmd net_$be b32" "$tp" Mpps/cpu higher ">=1.0" NA \
            "io fwd, 256 frames seeded per port: ${f[*]} vs ${t[*]:-NA} (wall ${tw[*]:-NA})"
        row P3 "$be fwd busy-poll vs DPDK" "$fwdb" "testpmd net_$be b32" "$tp" Mpps/cpu higher ">=1.0" NA \
            "io fwd, napi ${P3_BUSY[*]}: ${fb[*]} vs ${t[*]:-NA} (wall ${tw[*]:-NA})"
        ns_cleanup
    done
fi
