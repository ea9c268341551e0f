#pragma once
// Door devices and check-in (server/door_api.cpp, server/door_pages.cpp).
#include "server/app.hpp"
#include "server/auth.hpp"

namespace einlass::server {

awaitable<response> create_device(request& req, app& a, event_call& call);  // organiser
awaitable<response> list_devices(request& req, app& a, event_call& call);   // organiser
awaitable<response> revoke_device(request& req, app& a, event_call& call);  // organiser
awaitable<response> pair_device(request& req, app& a);    // anyone with a pairing code
awaitable<response> device_info(request& req, app& a);    // device
awaitable<response> checkin_scan(request& req, app& a);   // device
awaitable<response> checkin_undo(request& req, app& a);   // device
awaitable<response> device_search(request& req, app& a);  // device
awaitable<response> device_offline_list(request& req, app& a);  // device: tickets to refuse or warn about offline
awaitable<response> device_walkin(request& req, app& a);  // device

awaitable<response> checkin_page(request& req, app& a);
awaitable<response> pair_page(request& req, app& a);

}  // namespace einlass::server
