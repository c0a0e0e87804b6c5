# shellcheck shell=bash disable=SC2034,SC2154
# Memory: bytes per device and per queue (heap growth while registering null
# devices), struct sizes and what one 64 B skb costs. Figures only (no
# anchor). Sourced by bench/run.sh.
log "MEM struct sizes, skb"
m=$("$B/scale" mem -j)
r1=$("$B/scale" reg -N 10000 -q 1 -j)
r64=$("$B/scale" reg -N 10000 -q 64 -j)
perq=$(python3 -c 'import json,sys
a, b = json.loads(sys.argv[1]), json.loads(sys.argv[2])
print("%.0f" % ((b["heap_bytes_per_dev"] - a["heap_bytes_per_dev"]) / 63))' "$r1" "$r64")
row MEM "bytes per device" "$(echo "$r1" | jget heap_bytes_per_dev)" - NA B lower - NA \
    "heap growth / device, 1 txq (sizeof net_device $(echo "$m" | jget sizeof_net_device))"
row MEM "bytes per TX queue" "$perq" - NA B lower - NA \
    "(heap at 64 txqs - at 1) / 63; sizeof netdev_queue $(echo "$m" | jget sizeof_netdev_queue)"
row MEM "skb overhead" "$(echo "$m" | jget skb64_truesize)" - NA B lower - NA \
    "truesize of a 64 B skb; sizeof sk_buff $(echo "$m" | jget sizeof_sk_buff)"
