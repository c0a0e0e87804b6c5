# shellcheck shell=bash disable=SC2034,SC2154
# Sourced by bench/run.sh: private network namespaces for the benchmarks.
# Every namespace is named ubench-<pid>-<what>, has IPv6 off (the kernel
# sends nothing of its own) and is deleted by name in ns_cleanup.
NS_LIST=()

ns_new() { # ns_new WHAT: creates namespace ubench-<pid>-WHAT (not in a subshell)
    local ns=ubench-$$-$1
    ip netns add "$ns" || return 1
    NS_LIST+=("$ns")
    ip netns exec "$ns" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 \
        net.ipv6.conf.default.disable_ipv6=1
    ip netns exec "$ns" ip link set lo up
}

ns_veth() { # ns_veth NS A B: veth pair A<->B inside NS, both up
    ip netns exec "$1" ip link add "$2" type veth peer name "$3" &&
        ip netns exec "$1" ip link set "$2" up && ip netns exec "$1" ip link set "$3" up
}

ns_tc_redirect() { # ns_tc_redirect NS FROM TO: what FROM receives leaves on TO
    ip netns exec "$1" tc qdisc add dev "$2" ingress 2>/dev/null || true
    ip netns exec "$1" tc filter add dev "$2" parent ffff: protocol all prio 1 u32 \
        match u32 0 0 action mirred egress redirect dev "$3"
}

ns_cleanup() {
    local ns
    for ns in "${NS_LIST[@]}"; do ip netns del "$ns" 2>/dev/null || true; done
    NS_LIST=()
}

have_netns() { # root and able to make a namespace
    [ "$(id -u)" -eq 0 ] || return 1
    ip netns add "ubench-$$-probe" 2>/dev/null || return 1
    ip netns del "ubench-$$-probe"
}
