# shellcheck shell=bash disable=SC2034,SC2154
# Sourced by bench/run.sh: DPDK dpdk-testpmd io forwarding on one forwarding
# lcore (lcore 1), no hugepages, driven through its interactive prompt.
#
#   testpmd_fwd NAME BURST "EAL --vdev args" "start command" [NETNS] [HOOK]
#
# Prints "CPU-MPPS WALL-MPPS" for the measured window between two "show port
# stats all": WALL is the sum of both ports' Rx-pps (testpmd times the window
# itself); CPU is the packets received in the window per second of CPU time
# the testpmd process got in it (/proc/PID/stat), which other processes on a
# shared machine do not dilute (the forwarding lcore always spins). HOOK runs
# after the ports exist (e.g. tc filters on the TAPs net_tap creates). "NA"
# for a figure testpmd did not give.
testpmd_fwd() {
    local name=$1 burst=$2 vdevs=$3 startcmd=$4 ns=${5:-} hook=${6:-}
    local log=$TMP/testpmd-$name.log prefix=unetdev-bench-$$ nsexec=()
    [ -n "$ns" ] && nsexec=(ip netns exec "$ns")
    : >"$log"
    # shellcheck disable=SC2086 # vdevs is a word list
    {
        # each step waits for testpmd's own output (line-buffered through
        # stdbuf): EAL start-up is slow on a busy machine, and commands queued
        # ahead would shrink the measured window
        for _ in $(seq 600); do grep -q 'Checking link statuses' "$log" && break; sleep 0.1; done
        pid=$(pgrep -f -- "^dpdk-testpmd .*--file-prefix=$prefix( |$)" | head -1)
        [ -n "$hook" ] && eval "$hook" >>"$log.hook" 2>&1
        echo "$startcmd"
        for _ in $(seq 600); do grep -q 'packet forwarding - ports' "$log" && break; sleep 0.1; done
        sleep "$WARM"
        awk '{print $14 + $15}' "/proc/$pid/stat" >"$log.cpu" 2>/dev/null
        echo "show port stats all"; sleep "$DUR"
        awk '{print $14 + $15}' "/proc/$pid/stat" >>"$log.cpu" 2>/dev/null
        echo "show port stats all"; echo stop; sleep 1; echo quit
    } | timeout $((WARM + DUR + 60)) "${nsexec[@]}" stdbuf -oL dpdk-testpmd --no-huge -m 1024 \
        --no-pci -l 0-1 --no-shconf --file-prefix="$prefix" --log-level=lib.eal:warning $vdevs \
        -- -i --forward-mode=io --burst="$burst" >"$log" 2>&1 || true
    rm -rf "/var/run/dpdk/$prefix"
    awk -v hz="$(getconf CLK_TCK)" -v cpuf="$log.cpu" '
        /Rx-pps:/ {v[n++] = $2}
        /NIC statistics for port/ {nic = 1}
        nic && /RX-packets:/ {p[m++] = $2; nic = 0}
        END {
            wall = (n >= 4) ? sprintf("%.4f", (v[n-1] + v[n-2]) / 1e6) : "NA"
            cpu = "NA"
            if ((getline c0 < cpuf) > 0 && (getline c1 < cpuf) > 0 && c1 > c0 && m >= 4)
                cpu = sprintf("%.4f", (p[m-1] + p[m-2] - p[m-3] - p[m-4]) / ((c1 - c0) / hz) / 1e6)
            print cpu, wall
        }' "$log"
}
