# shellcheck shell=bash disable=SC2034,SC2154
# P5: scaling (bench/scale.c). Per-packet cost of the P1 path (burst 32) with
# 2, 16, 256, 4096 registered devices and with 1, 4, 16, 64 TX queues
# (pfifo_fast / mq), each against the smallest case measured just before it;
# target: within +-10% (ratio 0.9..1.1). Then registering and unregistering
# 1,000, 10,000 and P5_N (100,000) null devices (CPU time per device),
# against the kernel creating and deleting 1,000 `dummy` devices in a
# namespace with `ip -batch` (veth pairs when the kernel has no dummy driver;
# the figure is then per veth device, half a pair; CPU time of `ip`, in whose
# system calls the kernel does the work).
# Sourced by bench/run.sh.
P5_N=${P5_N:-100000}
p5_fwd() { # p5_fwd ARGS...: one timed run + callgrind; sets P5_NS P5_IPP
    local j
    j=$("$B/scale" fwd -j -t 1 "$@")
    P5_NS=$(echo "$j" | jget ns_per_pkt)
    P5_IPP=NA
    [ "$HAVE_VG" = 1 ] && P5_IPP=$(cg_ipp scale_loop "$B/scale" fwd -j -n "$CG_PKTS" "$@")
}
# The ratio is taken from callgrind's instructions per packet (stable on a
# shared machine) when valgrind is there, else from ns/pkt.
p5_row() { # p5_row NAME BASE-NAME
    if [ "$P5_IPP" != NA ] && [ "$base_ipp" != NA ]; then
        row P5 "$1" "$P5_IPP" "$2" "$base_ipp" instr/pkt lower "0.9..1.1" "$P5_IPP" \
            "$P5_NS ns/pkt vs $base ns/pkt"
    else
        row P5 "$1" "$P5_NS" "$2" "$base" ns/pkt lower "0.9..1.1" NA "no callgrind"
    fi
}
for d in 2 16 256 4096; do
    log "P5 $d registered devices"
    p5_fwd -d "$d" -Q noqueue
    [ "$d" = 2 ] && { base=$P5_NS; base_ipp=$P5_IPP; }
    p5_row "devices $d" "2 devices"
done
for q in 1 4 16 64; do
    log "P5 $q TX queues"
    p5_fwd -q "$q" -Q pfifo_fast
    [ "$q" = 1 ] && { base=$P5_NS; base_ipp=$P5_IPP; }
    p5_row "txqs $q" "1 txq pfifo_fast"
done
p5_cpu_run() { # p5_cpu_run CMD...: "WALL_S CPU_S" of CMD (CPU: its user + system time)
    python3 -c 'import resource, subprocess, sys, time
t = time.monotonic(); subprocess.run(sys.argv[1:], check=False)
r = resource.getrusage(resource.RUSAGE_CHILDREN)
print("%.6f %.6f" % (time.monotonic() - t, r.ru_utime + r.ru_stime))' "$@"
}
# Registration: CPU time per device (the machine is shared; wall-clock in the
# notes), for 1,000, 10,000 and P5_N devices, so growth with the count shows.
for n in 1000 10000 "$P5_N"; do
    log "P5 register + unregister $n null devices"
    reg=$("$B/scale" reg -N "$n" -j)
    echo "$reg" >>"$TMP/p5-reg.json"
    eval "reg_$n=\$reg"
done
kadd=NA; kdel=NA; kwhat="kernel dummy"; knote=""
if [ "$HAVE_NS" = 1 ]; then
    ns_new p5; ns=ubench-$$-p5
    if ip netns exec "$ns" ip link add p5probe type dummy 2>/dev/null; then
        ip netns exec "$ns" ip link del p5probe
        for i in $(seq 1000); do echo "link add d$i type dummy"; done >"$TMP/add.batch"
        for i in $(seq 1000); do echo "link del d$i"; done >"$TMP/del.batch"
    else
        kwhat="kernel veth (no dummy driver)"
        for i in $(seq 500); do echo "link add va$i type veth peer name vb$i"; done >"$TMP/add.batch"
        for i in $(seq 500); do echo "link del va$i"; done >"$TMP/del.batch"
    fi
    log "P5 $kwhat: 1,000 devices"
    read -r kaw kac < <(p5_cpu_run ip netns exec "$ns" ip -batch "$TMP/add.batch")
    read -r kdw kdc < <(p5_cpu_run ip netns exec "$ns" ip -batch "$TMP/del.batch")
    kadd=$(python3 -c "print('%.2f' % ($kac * 1e6 / 1000))")
    kdel=$(python3 -c "print('%.2f' % ($kdc * 1e6 / 1000))")
    knote="kernel wall-clock $(python3 -c "print('%.0f / %.0f' % ($kaw * 1e3, $kdw * 1e3))") us/dev add / del"
    ns_cleanup
else
    skip "P5 kernel anchor: needs root and network namespaces"
fi
for n in 1000 10000 "$P5_N"; do
    eval "reg=\$reg_$n"
    row P5 "register $n" "$(echo "$reg" | jget register_cpu_us_per_dev)" "$kwhat add x1000" \
        "$kadd" cpu-us/dev lower "-" NA \
        "wall $(echo "$reg" | jget register_us_per_dev) us/dev; heap $(echo "$reg" | jget heap_bytes_per_dev) B/dev; $knote"
    row P5 "unregister $n" "$(echo "$reg" | jget unregister_cpu_us_per_dev)" "$kwhat del x1000" \
        "$kdel" cpu-us/dev lower "-" NA \
        "wall $(echo "$reg" | jget unregister_us_per_dev) us/dev; batched unregister_netdevice_many"
done
