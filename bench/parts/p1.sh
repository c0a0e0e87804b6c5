# shellcheck shell=bash disable=SC2034,SC2154
# P1: forwarding between two null devices through the full path (bench/fwd_null.c),
# one engine CPU inline, vs dpdk-testpmd io fwd between two net_null ports.
# Sourced by bench/run.sh.
# name burst txqs qdisc mode. "polled" is testpmd's model in NAPI terms (a
# standing supply of frames, NAPI weight = burst, repolled without an
# interrupt): the target rows. "irq" asks for each burst with an interrupt
# and a whole softirq round (no target; docs/performance.md).
P1_CASES=(
    "b32 32 1 noqueue polled" "b1 1 1 noqueue polled"
    "b32-irq 32 1 noqueue irq" "b1-irq 1 1 noqueue irq"
    "b32-pfifo 32 1 pfifo_fast polled" "b1-pfifo 1 1 pfifo_fast polled"
    "b32-q4 32 4 pfifo_fast polled" "b32-q64 32 64 pfifo_fast polled"
)
# Rates are per CPU-second of the process (testpmd: of the window; fwd_null:
# its whole run), which other processes on a shared machine do not dilute;
# the wall-clock figures are in the note.
declare -A P1_DPDK=([1]=NA [32]=NA) P1_DPDKW=([1]=NA [32]=NA)
if [ "$HAVE_DPDK" = 1 ]; then
    for b in 32 1; do
        log "P1 dpdk-testpmd net_null x2 burst $b"
        read -r "P1_DPDK[$b]" "P1_DPDKW[$b]" \
            < <(testpmd_fwd "null$b" "$b" "--vdev=net_null0 --vdev=net_null1" start)
    done
else
    skip "P1 anchor: no dpdk-testpmd"
fi
for c in "${P1_CASES[@]}"; do
    read -r name burst txqs qdisc mode <<<"$c"
    log "P1 unetdev fwd_null $name"
    pol=(); [ "$mode" = polled ] && pol=(-p)
    j=$(with_cpu "$B/fwd_null" "${pol[@]}" -j -b "$burst" -q "$txqs" -Q "$qdisc" -t "$DUR")
    ipp=NA
    if [ "$HAVE_VG" = 1 ] && [ "$txqs" = 1 ]; then
        ipp=$(cg_ipp fwd_loop "$B/fwd_null" "${pol[@]}" -j -b "$burst" -Q "$qdisc" -n "$CG_PKTS")
    fi
    tgt="-"; [ "$txqs" = 1 ] && [ "$qdisc" = noqueue ] && [ "$mode" = polled ] && tgt=">=0.5"
    row P1 "fwd null $name" "$(echo "$j" | jget cpu_mpps)" "testpmd net_null b$burst" \
        "${P1_DPDK[$burst]}" Mpps/cpu higher "$tgt" "$ipp" \
        "$mode, txqs $txqs, $qdisc; wall $(echo "$j" | jget mpps) vs ${P1_DPDKW[$burst]}"
done
