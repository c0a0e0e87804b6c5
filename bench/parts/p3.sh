# P3: each kernel-backed backend through the library API (bench/backend_pps.c)
#  - oneway (A transmits, B receives, one core) vs a bare loop of the same
#    system calls (bench/anchors/*.c), target >= 0.95;
#  - fwd (testpmd io-fwd: frames circulate between A and B) vs dpdk-testpmd
#    with net_af_packet / net_af_xdp / net_tap on the same kind of devices,
#    target >= 1.0.
# af_packet and af_xdp use a veth pair bva<->bvb; tap uses two TAPs looped
# with tc mirred both ways. Sourced by bench/run.sh.
p3_pps() { # p3_pps NS CMD...: the RESULT line's rx_pps/read_pps in Mpps
    ip netns exec "$@" 2>/dev/null |
        sed -n 's/^RESULT .*\(rx\|read\)_pps=\([0-9.]*\).*/\2/p' | tail -1 |
        awk '{printf "%.4f\n", $1 / 1e6} END {if (!NR) print "NA"}'
}
p3_unet() { # p3_unet NS BACKEND IFA IFB MODE: Mpps, or NA with the reason logged
    local out
    out=$(ip netns exec "$1" "$B/backend_pps" -B "$2" -a "$3" -z "$4" -m "$5" -t "$DUR" -j \
        2>"$TMP/p3-$2-$5.err")
    case $out in
    skipped:*) skip "P3 $2: ${out#skipped: }"; echo NA ;;
    "{"*) echo "$out" | jget mpps ;;
    *) log "P3 $2 $5 failed: $(tail -2 "$TMP/p3-$2-$5.err" | tr '\n' ' ')"; echo NA ;;
    esac
}
P3_T=$(printf '%.0f' "$DUR"); [ "$P3_T" -lt 1 ] && P3_T=1
if [ "$HAVE_NS" != 1 ]; then
    skip "P3: needs root and network namespaces"
else
    for be in af_packet af_xdp tap; do
        ns_new "p3$be"; ns=ubench-$$-p3$be
        case $be in
        af_packet)
            ns_veth "$ns" bva bvb
            log "P3 af_packet: bare sendmmsg b32 + TPACKET_V3 ring"
            bare=$(p3_pps "$ns" "$B/afpacket_veth" -i bva -o bvb -m sendmmsg -b 32 -q -1 -t "$P3_T")
            bare_name="bare sendmmsg+TPACKET_V3"
            tp_vdev="--vdev=net_af_packet0,iface=bva --vdev=net_af_packet1,iface=bvb"
            ifa=bva ifb=bvb ;;
        af_xdp)
            ns_veth "$ns" bva bvb
            if [ -x "$B/afxdp_veth" ]; then
                log "P3 af_xdp: bare XSK TX/RX, copy mode, burst 32"
                bare=$(p3_pps "$ns" "$B/afxdp_veth" -i bva -o bvb -m drv -b 32 -1 -t "$P3_T")
            else
                bare=NA
            fi
            bare_name="bare XSK copy b32"
            tp_vdev="--vdev=net_af_xdp0,iface=bva,start_queue=0,queue_count=1"
            tp_vdev+=" --vdev=net_af_xdp1,iface=bvb,start_queue=0,queue_count=1"
            ifa=bva ifb=bvb ;;
        tap)
            log "P3 tap: bare write() -> tc mirred -> read()"
            bare=$(p3_pps "$ns" "$B/tap_pps" -a btap0 -z btap1 -m loop -b 32 -1 -t "$P3_T")
            bare_name="bare write+read"
            for t in ut0 ut1; do
                ip netns exec "$ns" ip tuntap add dev $t mode tap
                ip netns exec "$ns" ip link set $t up
            done
            ns_tc_redirect "$ns" ut0 ut1 && ns_tc_redirect "$ns" ut1 ut0
            tp_vdev="--vdev=net_tap0,iface=dtap0 --vdev=net_tap1,iface=dtap1"
            ifa=ut0 ifb=ut1 ;;
        esac
        log "P3 $be: unetdev oneway"
        one=$(p3_unet "$ns" "$be" "$ifa" "$ifb" oneway)
        log "P3 $be: unetdev fwd"
        fwd=$(p3_unet "$ns" "$be" "$ifa" "$ifb" fwd)
        tp=NA
        if [ "$HAVE_DPDK" = 1 ]; then
            log "P3 $be: dpdk-testpmd"
            hook=""
            [ "$be" = tap ] && hook="ns_tc_redirect $ns dtap0 dtap1; ns_tc_redirect $ns dtap1 dtap0"
            tp=$(testpmd_fwd "p3$be" 32 "$tp_vdev" "start tx_first 8" "$ns" "$hook")
        fi
        row P3 "$be oneway vs bare" "$one" "$bare_name" "$bare" Mpps higher ">=0.95" NA \
            "one core, 64 B"
        row P3 "$be fwd vs DPDK" "$fwd" "testpmd net_$be b32" "$tp" Mpps higher ">=1.0" NA \
            "io fwd, 256 frames seeded per port"
        ns_cleanup
    done
fi
