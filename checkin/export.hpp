#pragma once
// Downloads for organisers: attendees, check-ins and statistics as CSV, XLSX and JSON.
// Every writer streams: rows go out as they are read (a few cursors merged in id order, no
// query per person), so memory does not grow with the event.
#include "checkin/attendees.hpp"
#include "checkin/db.hpp"
#include "checkin/event.hpp"
#include "checkin/stats.hpp"
#include "checkin/tables.hpp"
#include "checkin/time.hpp"

#include <cstdio>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

namespace einlass::checkin {

// Column titles and values shown to people: key -> text in the organiser's language.
// Keys: col.<column>, status.<status>, organisation_type.<type>, yes, no, list.event, ...
using labeller = std::function<std::string(std::string_view key)>;

// One row per registration with every answer, its sessions and its first admission; only those
// the filter picks (a selection in the workspace), all by default.
void write_attendees(database& db, event const& e, table_sink& out, labeller const& label,
                     attendee_filter const& only = {});
// One row per scan (every decided scan, undone ones too), in time order.
void write_checkins(database& db, event const& e, table_sink& out, labeller const& label);
// The dashboard's figures as tables, one after another, separated by a blank row.
void write_stats(event const& e, event_stats const& s, table_sink& out, labeller const& label);
// {"event": {...}, "attendees": [{..., "checkins": [...]}]}, written as it is read.
void write_attendees_json(database& db, event const& e, std::FILE* out, attendee_filter const& only = {});

}  // namespace einlass::checkin
