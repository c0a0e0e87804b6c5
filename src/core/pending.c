// SPDX-License-Identifier: MIT
/*
 * pending.c - TEMPORARY: weak placeholders for functions whose real
 * definitions are being written in their own files. A real definition
 * overrides the weak one at link time. This file must be empty (and is
 * deleted) before the core issue is resolved.
 */
#include <stdio.h>
#include <stdlib.h>

void unetdev__pending(const char *fn);
__attribute__((visibility("hidden"))) void unetdev__pending(const char *fn)
{
	fprintf(stderr, "unetdev: %s is not implemented yet\n", fn);
	abort();
}

void unetdev_dev_open(void);
__attribute__((weak, visibility("default"))) void unetdev_dev_open(void) { unetdev__pending("dev_open"); }
void unetdev_dev_close(void);
__attribute__((weak, visibility("default"))) void unetdev_dev_close(void) { unetdev__pending("dev_close"); }
void unetdev_dev_close_many(void);
__attribute__((weak, visibility("default"))) void unetdev_dev_close_many(void) { unetdev__pending("dev_close_many"); }
void unetdev_dev_change_flags(void);
__attribute__((weak, visibility("default"))) void unetdev_dev_change_flags(void) { unetdev__pending("dev_change_flags"); }
void unetdev_dev_get_flags(void);
__attribute__((weak, visibility("default"))) void unetdev_dev_get_flags(void) { unetdev__pending("dev_get_flags"); }
void unetdev_netif_device_detach(void);
__attribute__((weak, visibility("default"))) void unetdev_netif_device_detach(void) { unetdev__pending("netif_device_detach"); }
void unetdev_netif_device_attach(void);
__attribute__((weak, visibility("default"))) void unetdev_netif_device_attach(void) { unetdev__pending("netif_device_attach"); }
void unetdev_dev_set_promiscuity(void);
__attribute__((weak, visibility("default"))) void unetdev_dev_set_promiscuity(void) { unetdev__pending("dev_set_promiscuity"); }
void unetdev_dev_set_allmulti(void);
__attribute__((weak, visibility("default"))) void unetdev_dev_set_allmulti(void) { unetdev__pending("dev_set_allmulti"); }
void unetdev_netdev_state_change(void);
__attribute__((weak, visibility("default"))) void unetdev_netdev_state_change(void) { unetdev__pending("netdev_state_change"); }
void unetdev_netif_tx_stop_queue(void);
__attribute__((weak, visibility("default"))) void unetdev_netif_tx_stop_queue(void) { unetdev__pending("netif_tx_stop_queue"); }
void unetdev_netif_tx_start_queue(void);
__attribute__((weak, visibility("default"))) void unetdev_netif_tx_start_queue(void) { unetdev__pending("netif_tx_start_queue"); }
void unetdev_netif_tx_wake_queue(void);
__attribute__((weak, visibility("default"))) void unetdev_netif_tx_wake_queue(void) { unetdev__pending("netif_tx_wake_queue"); }
void unetdev_netif_tx_stop_all_queues(void);
__attribute__((weak, visibility("default"))) void unetdev_netif_tx_stop_all_queues(void) { unetdev__pending("netif_tx_stop_all_queues"); }
void unetdev_netif_tx_start_all_queues(void);
__attribute__((weak, visibility("default"))) void unetdev_netif_tx_start_all_queues(void) { unetdev__pending("netif_tx_start_all_queues"); }
void unetdev_netif_tx_wake_all_queues(void);
__attribute__((weak, visibility("default"))) void unetdev_netif_tx_wake_all_queues(void) { unetdev__pending("netif_tx_wake_all_queues"); }
void unetdev_netif_tx_disable(void);
__attribute__((weak, visibility("default"))) void unetdev_netif_tx_disable(void) { unetdev__pending("netif_tx_disable"); }
void unetdev_netif_tx_lock(void);
__attribute__((weak, visibility("default"))) void unetdev_netif_tx_lock(void) { unetdev__pending("netif_tx_lock"); }
void unetdev_netif_tx_unlock(void);
__attribute__((weak, visibility("default"))) void unetdev_netif_tx_unlock(void) { unetdev__pending("netif_tx_unlock"); }
void unetdev_netif_tx_lock_bh(void);
__attribute__((weak, visibility("default"))) void unetdev_netif_tx_lock_bh(void) { unetdev__pending("netif_tx_lock_bh"); }
void unetdev_netif_tx_unlock_bh(void);
__attribute__((weak, visibility("default"))) void unetdev_netif_tx_unlock_bh(void) { unetdev__pending("netif_tx_unlock_bh"); }
void unetdev___netif_tx_lock(void);
__attribute__((weak, visibility("default"))) void unetdev___netif_tx_lock(void) { unetdev__pending("__netif_tx_lock"); }
void unetdev___netif_tx_unlock(void);
__attribute__((weak, visibility("default"))) void unetdev___netif_tx_unlock(void) { unetdev__pending("__netif_tx_unlock"); }
void unetdev___netif_tx_trylock(void);
__attribute__((weak, visibility("default"))) void unetdev___netif_tx_trylock(void) { unetdev__pending("__netif_tx_trylock"); }
void unetdev_netif_trans_update(void);
__attribute__((weak, visibility("default"))) void unetdev_netif_trans_update(void) { unetdev__pending("netif_trans_update"); }
void unetdev_dev_trans_start(void);
__attribute__((weak, visibility("default"))) void unetdev_dev_trans_start(void) { unetdev__pending("dev_trans_start"); }
void unetdev_netif_carrier_on(void);
__attribute__((weak, visibility("default"))) void unetdev_netif_carrier_on(void) { unetdev__pending("netif_carrier_on"); }
void unetdev_netif_carrier_off(void);
__attribute__((weak, visibility("default"))) void unetdev_netif_carrier_off(void) { unetdev__pending("netif_carrier_off"); }
void unetdev_netif_carrier_event(void);
__attribute__((weak, visibility("default"))) void unetdev_netif_carrier_event(void) { unetdev__pending("netif_carrier_event"); }
void unetdev_netif_dormant_on(void);
__attribute__((weak, visibility("default"))) void unetdev_netif_dormant_on(void) { unetdev__pending("netif_dormant_on"); }
void unetdev_netif_dormant_off(void);
__attribute__((weak, visibility("default"))) void unetdev_netif_dormant_off(void) { unetdev__pending("netif_dormant_off"); }
void unetdev_netif_testing_on(void);
__attribute__((weak, visibility("default"))) void unetdev_netif_testing_on(void) { unetdev__pending("netif_testing_on"); }
void unetdev_netif_testing_off(void);
__attribute__((weak, visibility("default"))) void unetdev_netif_testing_off(void) { unetdev__pending("netif_testing_off"); }
void unetdev_netif_stacked_transfer_operstate(void);
__attribute__((weak, visibility("default"))) void unetdev_netif_stacked_transfer_operstate(void) { unetdev__pending("netif_stacked_transfer_operstate"); }
void unetdev_linkwatch_fire_event(void);
__attribute__((weak, visibility("default"))) void unetdev_linkwatch_fire_event(void) { unetdev__pending("linkwatch_fire_event"); }
void unetdev_linkwatch_run_queue(void);
__attribute__((weak, visibility("default"))) void unetdev_linkwatch_run_queue(void) { unetdev__pending("linkwatch_run_queue"); }
void unetdev_dev_get_iflink(void);
__attribute__((weak, visibility("default"))) void unetdev_dev_get_iflink(void) { unetdev__pending("dev_get_iflink"); }
void unetdev_operstate_name(void);
__attribute__((weak, visibility("default"))) void unetdev_operstate_name(void) { unetdev__pending("operstate_name"); }
void unetdev_dev_set_mtu(void);
__attribute__((weak, visibility("default"))) void unetdev_dev_set_mtu(void) { unetdev__pending("dev_set_mtu"); }
void unetdev_dev_set_mtu_ext(void);
__attribute__((weak, visibility("default"))) void unetdev_dev_set_mtu_ext(void) { unetdev__pending("dev_set_mtu_ext"); }
void unetdev_dev_validate_mtu(void);
__attribute__((weak, visibility("default"))) void unetdev_dev_validate_mtu(void) { unetdev__pending("dev_validate_mtu"); }
void unetdev_dev_change_tx_queue_len(void);
__attribute__((weak, visibility("default"))) void unetdev_dev_change_tx_queue_len(void) { unetdev__pending("dev_change_tx_queue_len"); }
void unetdev_dev_set_mac_address(void);
__attribute__((weak, visibility("default"))) void unetdev_dev_set_mac_address(void) { unetdev__pending("dev_set_mac_address"); }
void unetdev_dev_change_carrier(void);
__attribute__((weak, visibility("default"))) void unetdev_dev_change_carrier(void) { unetdev__pending("dev_change_carrier"); }
void unetdev_netdev_rx_frame_fits(void);
__attribute__((weak, visibility("default"))) void unetdev_netdev_rx_frame_fits(void) { unetdev__pending("netdev_rx_frame_fits"); }
void unetdev_is_skb_forwardable(void);
__attribute__((weak, visibility("default"))) void unetdev_is_skb_forwardable(void) { unetdev__pending("is_skb_forwardable"); }
void unetdev_dev_uc_add(void);
__attribute__((weak, visibility("default"))) void unetdev_dev_uc_add(void) { unetdev__pending("dev_uc_add"); }
void unetdev_dev_uc_add_excl(void);
__attribute__((weak, visibility("default"))) void unetdev_dev_uc_add_excl(void) { unetdev__pending("dev_uc_add_excl"); }
void unetdev_dev_uc_del(void);
__attribute__((weak, visibility("default"))) void unetdev_dev_uc_del(void) { unetdev__pending("dev_uc_del"); }
void unetdev_dev_mc_add(void);
__attribute__((weak, visibility("default"))) void unetdev_dev_mc_add(void) { unetdev__pending("dev_mc_add"); }
void unetdev_dev_mc_add_excl(void);
__attribute__((weak, visibility("default"))) void unetdev_dev_mc_add_excl(void) { unetdev__pending("dev_mc_add_excl"); }
void unetdev_dev_mc_add_global(void);
__attribute__((weak, visibility("default"))) void unetdev_dev_mc_add_global(void) { unetdev__pending("dev_mc_add_global"); }
void unetdev_dev_mc_del(void);
__attribute__((weak, visibility("default"))) void unetdev_dev_mc_del(void) { unetdev__pending("dev_mc_del"); }
void unetdev_dev_mc_del_global(void);
__attribute__((weak, visibility("default"))) void unetdev_dev_mc_del_global(void) { unetdev__pending("dev_mc_del_global"); }
void unetdev_dev_uc_sync(void);
__attribute__((weak, visibility("default"))) void unetdev_dev_uc_sync(void) { unetdev__pending("dev_uc_sync"); }
void unetdev_dev_uc_unsync(void);
__attribute__((weak, visibility("default"))) void unetdev_dev_uc_unsync(void) { unetdev__pending("dev_uc_unsync"); }
void unetdev_dev_mc_sync(void);
__attribute__((weak, visibility("default"))) void unetdev_dev_mc_sync(void) { unetdev__pending("dev_mc_sync"); }
void unetdev_dev_mc_unsync(void);
__attribute__((weak, visibility("default"))) void unetdev_dev_mc_unsync(void) { unetdev__pending("dev_mc_unsync"); }
void unetdev_dev_addr_add(void);
__attribute__((weak, visibility("default"))) void unetdev_dev_addr_add(void) { unetdev__pending("dev_addr_add"); }
void unetdev_dev_addr_del(void);
__attribute__((weak, visibility("default"))) void unetdev_dev_addr_del(void) { unetdev__pending("dev_addr_del"); }
void unetdev_dev_set_rx_mode(void);
__attribute__((weak, visibility("default"))) void unetdev_dev_set_rx_mode(void) { unetdev__pending("dev_set_rx_mode"); }
void unetdev___dev_set_rx_mode(void);
__attribute__((weak, visibility("default"))) void unetdev___dev_set_rx_mode(void) { unetdev__pending("__dev_set_rx_mode"); }
void unetdev_dev_get_stats(void);
__attribute__((weak, visibility("default"))) void unetdev_dev_get_stats(void) { unetdev__pending("dev_get_stats"); }
void unetdev_netdev_stats_to_stats64(void);
__attribute__((weak, visibility("default"))) void unetdev_netdev_stats_to_stats64(void) { unetdev__pending("netdev_stats_to_stats64"); }
void unetdev_dev_core_stats_rx_dropped_inc(void);
__attribute__((weak, visibility("default"))) void unetdev_dev_core_stats_rx_dropped_inc(void) { unetdev__pending("dev_core_stats_rx_dropped_inc"); }
void unetdev_dev_core_stats_tx_dropped_inc(void);
__attribute__((weak, visibility("default"))) void unetdev_dev_core_stats_tx_dropped_inc(void) { unetdev__pending("dev_core_stats_tx_dropped_inc"); }
void unetdev_dev_core_stats_rx_nohandler_inc(void);
__attribute__((weak, visibility("default"))) void unetdev_dev_core_stats_rx_nohandler_inc(void) { unetdev__pending("dev_core_stats_rx_nohandler_inc"); }
void unetdev_dev_ioctl(void);
__attribute__((weak, visibility("default"))) void unetdev_dev_ioctl(void) { unetdev__pending("dev_ioctl"); }
void unetdev_ether_setup(void);
__attribute__((weak, visibility("default"))) void unetdev_ether_setup(void) { unetdev__pending("ether_setup"); }
void unetdev_alloc_etherdev_mqs(void);
__attribute__((weak, visibility("default"))) void unetdev_alloc_etherdev_mqs(void) { unetdev__pending("alloc_etherdev_mqs"); }
void unetdev_eth_type_trans(void);
__attribute__((weak, visibility("default"))) void unetdev_eth_type_trans(void) { unetdev__pending("eth_type_trans"); }
void unetdev_eth_hw_addr_random(void);
__attribute__((weak, visibility("default"))) void unetdev_eth_hw_addr_random(void) { unetdev__pending("eth_hw_addr_random"); }
void unetdev_eth_mac_addr(void);
__attribute__((weak, visibility("default"))) void unetdev_eth_mac_addr(void) { unetdev__pending("eth_mac_addr"); }
void unetdev_eth_validate_addr(void);
__attribute__((weak, visibility("default"))) void unetdev_eth_validate_addr(void) { unetdev__pending("eth_validate_addr"); }
void unetdev_eth_change_mtu(void);
__attribute__((weak, visibility("default"))) void unetdev_eth_change_mtu(void) { unetdev__pending("eth_change_mtu"); }
void unetdev_alloc_skb(void);
__attribute__((weak, visibility("default"))) void unetdev_alloc_skb(void) { unetdev__pending("alloc_skb"); }
void unetdev___netdev_alloc_skb(void);
__attribute__((weak, visibility("default"))) void unetdev___netdev_alloc_skb(void) { unetdev__pending("__netdev_alloc_skb"); }
void unetdev_kfree_skb_reason(void);
__attribute__((weak, visibility("default"))) void unetdev_kfree_skb_reason(void) { unetdev__pending("kfree_skb_reason"); }
void unetdev_consume_skb(void);
__attribute__((weak, visibility("default"))) void unetdev_consume_skb(void) { unetdev__pending("consume_skb"); }
void unetdev_skb_clone(void);
__attribute__((weak, visibility("default"))) void unetdev_skb_clone(void) { unetdev__pending("skb_clone"); }
void unetdev_skb_copy(void);
__attribute__((weak, visibility("default"))) void unetdev_skb_copy(void) { unetdev__pending("skb_copy"); }
void unetdev_skb_put(void);
__attribute__((weak, visibility("default"))) void unetdev_skb_put(void) { unetdev__pending("skb_put"); }
void unetdev_skb_push(void);
__attribute__((weak, visibility("default"))) void unetdev_skb_push(void) { unetdev__pending("skb_push"); }
void unetdev_skb_pull(void);
__attribute__((weak, visibility("default"))) void unetdev_skb_pull(void) { unetdev__pending("skb_pull"); }
void unetdev_skb_trim(void);
__attribute__((weak, visibility("default"))) void unetdev_skb_trim(void) { unetdev__pending("skb_trim"); }
void unetdev_skb_drop_count(void);
__attribute__((weak, visibility("default"))) void unetdev_skb_drop_count(void) { unetdev__pending("skb_drop_count"); }
void unetdev_skb_live_count(void);
__attribute__((weak, visibility("default"))) void unetdev_skb_live_count(void) { unetdev__pending("skb_live_count"); }
void unetdev_dev_queue_xmit(void);
__attribute__((weak, visibility("default"))) void unetdev_dev_queue_xmit(void) { unetdev__pending("dev_queue_xmit"); }
void unetdev_netif_rx(void);
__attribute__((weak, visibility("default"))) void unetdev_netif_rx(void) { unetdev__pending("netif_rx"); }
void unetdev_netif_receive_skb(void);
__attribute__((weak, visibility("default"))) void unetdev_netif_receive_skb(void) { unetdev__pending("netif_receive_skb"); }
void unetdev_dev_add_pack(void);
__attribute__((weak, visibility("default"))) void unetdev_dev_add_pack(void) { unetdev__pending("dev_add_pack"); }
void unetdev_dev_remove_pack(void);
__attribute__((weak, visibility("default"))) void unetdev_dev_remove_pack(void) { unetdev__pending("dev_remove_pack"); }
void unetdev___dev_remove_pack(void);
__attribute__((weak, visibility("default"))) void unetdev___dev_remove_pack(void) { unetdev__pending("__dev_remove_pack"); }
void unetdev_netdev_rx_handler_register(void);
__attribute__((weak, visibility("default"))) void unetdev_netdev_rx_handler_register(void) { unetdev__pending("netdev_rx_handler_register"); }
void unetdev_netdev_rx_handler_unregister(void);
__attribute__((weak, visibility("default"))) void unetdev_netdev_rx_handler_unregister(void) { unetdev__pending("netdev_rx_handler_unregister"); }
void unetdev_dev_forward_skb(void);
__attribute__((weak, visibility("default"))) void unetdev_dev_forward_skb(void) { unetdev__pending("dev_forward_skb"); }
void unetdev_module_load(void);
__attribute__((weak, visibility("default"))) void unetdev_module_load(void) { unetdev__pending("module_load"); }
void unetdev_module_unload(void);
__attribute__((weak, visibility("default"))) void unetdev_module_unload(void) { unetdev__pending("module_unload"); }
void unetdev_module_find(void);
__attribute__((weak, visibility("default"))) void unetdev_module_find(void) { unetdev__pending("module_find"); }
void unetdev_module_name(void);
__attribute__((weak, visibility("default"))) void unetdev_module_name(void) { unetdev__pending("module_name"); }
void unetdev_attr_open(void);
__attribute__((weak, visibility("default"))) void unetdev_attr_open(void) { unetdev__pending("attr_open"); }
void unetdev_attr_read(void);
__attribute__((weak, visibility("default"))) void unetdev_attr_read(void) { unetdev__pending("attr_read"); }
void unetdev_attr_close(void);
__attribute__((weak, visibility("default"))) void unetdev_attr_close(void) { unetdev__pending("attr_close"); }
void unetdev__dev_close_many(void);
__attribute__((weak, visibility("hidden"))) void unetdev__dev_close_many(void) { unetdev__pending("dev_close_many"); }
void unetdev__dev_notify_flags(void);
__attribute__((weak, visibility("hidden"))) void unetdev__dev_notify_flags(void) { unetdev__pending("dev_notify_flags"); }
void unetdev__dev_init_scheduler(void);
__attribute__((weak, visibility("hidden"))) void unetdev__dev_init_scheduler(void) { unetdev__pending("dev_init_scheduler"); }
void unetdev__dev_activate(void);
__attribute__((weak, visibility("hidden"))) void unetdev__dev_activate(void) { unetdev__pending("dev_activate"); }
void unetdev__dev_deactivate_many(void);
__attribute__((weak, visibility("hidden"))) void unetdev__dev_deactivate_many(void) { unetdev__pending("dev_deactivate_many"); }
void unetdev__dev_deactivate(void);
__attribute__((weak, visibility("hidden"))) void unetdev__dev_deactivate(void) { unetdev__pending("dev_deactivate"); }
void unetdev__dev_shutdown(void);
__attribute__((weak, visibility("hidden"))) void unetdev__dev_shutdown(void) { unetdev__pending("dev_shutdown"); }
void unetdev__dev_watchdog_up(void);
__attribute__((weak, visibility("hidden"))) void unetdev__dev_watchdog_up(void) { unetdev__pending("dev_watchdog_up"); }
void unetdev__dev_has_noop_qdisc(void);
__attribute__((weak, visibility("hidden"))) void unetdev__dev_has_noop_qdisc(void) { unetdev__pending("dev_has_noop_qdisc"); }
void unetdev__linkwatch_init_dev(void);
__attribute__((weak, visibility("hidden"))) void unetdev__linkwatch_init_dev(void) { unetdev__pending("linkwatch_init_dev"); }
void unetdev__linkwatch_sync_dev(void);
__attribute__((weak, visibility("hidden"))) void unetdev__linkwatch_sync_dev(void) { unetdev__pending("linkwatch_sync_dev"); }
void unetdev__linkwatch_forget_dev(void);
__attribute__((weak, visibility("hidden"))) void unetdev__linkwatch_forget_dev(void) { unetdev__pending("linkwatch_forget_dev"); }
void unetdev__default_operstate(void);
__attribute__((weak, visibility("hidden"))) void unetdev__default_operstate(void) { unetdev__pending("default_operstate"); }
void unetdev__module_get(void);
__attribute__((weak, visibility("hidden"))) void unetdev__module_get(void) { unetdev__pending("module_get"); }
void unetdev__module_put(void);
__attribute__((weak, visibility("hidden"))) void unetdev__module_put(void) { unetdev__pending("module_put"); }
