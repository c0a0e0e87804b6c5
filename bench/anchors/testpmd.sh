# Sourced by bench/run.sh: DPDK dpdk-testpmd io forwarding on one forwarding
# lcore (lcore 1), no hugepages, driven through its interactive prompt.
#
#   testpmd_fwd NAME BURST "EAL --vdev args" "start command" [NETNS] [HOOK]
#
# Prints the forwarded packets per second: the sum of both ports' Rx-pps in
# the second "show port stats all" (testpmd times that window itself). HOOK
# runs after the ports exist (e.g. tc filters on the TAPs net_tap creates).
# "NA" when testpmd did not report.
testpmd_fwd() {
    local name=$1 burst=$2 vdevs=$3 startcmd=$4 ns=${5:-} hook=${6:-}
    local log=$TMP/testpmd-$name.log prefix=unetdev-bench-$$ nsexec=()
    [ -n "$ns" ] && nsexec=(ip netns exec "$ns")
    # shellcheck disable=SC2086 # vdevs is a word list
    : >"$log"
    {
        # each step waits for testpmd's own output (line-buffered through
        # stdbuf): EAL start-up is slow on a busy machine, and commands queued
        # ahead would shrink the measured window
        for _ in $(seq 600); do grep -q 'Checking link statuses' "$log" && break; sleep 0.1; done
        [ -n "$hook" ] && eval "$hook" >>"$log.hook" 2>&1
        echo "$startcmd"
        for _ in $(seq 600); do grep -q 'packet forwarding - ports' "$log" && break; sleep 0.1; done
        sleep "$WARM"; echo "show port stats all"; sleep "$DUR"
        echo "show port stats all"; echo stop; sleep 1; echo quit
    } | timeout $((WARM + DUR + 60)) "${nsexec[@]}" stdbuf -oL dpdk-testpmd --no-huge -m 1024 --no-pci \
        -l 0-1 --no-shconf --file-prefix="$prefix" --log-level=lib.eal:warning $vdevs -- \
        -i --forward-mode=io --burst="$burst" >"$log" 2>&1 || true
    rm -rf "/var/run/dpdk/$prefix"
    awk '/Rx-pps:/ {v[n++]=$2} END {if (n >= 4) printf "%.4f\n", (v[n-1] + v[n-2]) / 1e6;
        else print "NA"}' "$log"
}
