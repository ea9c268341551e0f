#include "tests/support/specs.hpp"

#include "checkin/time.hpp"

#include <chrono>

namespace einlass::test {

namespace json = boost::json;

json::object event_spec(std::string const& slug, json::object overrides) {
  auto day = std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now() + std::chrono::days(30));
  auto date = checkin::to_utc_text(checkin::sys_seconds(day.time_since_epoch())).substr(0, 10);
  json::object o{{"slug", slug},
                 {"title", "Netzwerktreffen Fachkräfte " + slug},
                 {"starts_at", date + "T10:00"},
                 {"ends_at", date + "T16:00"},
                 {"timezone", "Europe/Berlin"},
                 {"venue", "Handwerkskammer zu Leipzig"},
                 {"address", "Dresdner Straße 11/13\n04103 Leipzig"},
                 {"capacity", 100}};
  for (auto const& [k, v] : overrides) o[k] = v;
  return o;
}

json::object person(std::string const& email, json::object overrides) {
  json::object o{{"first_name", "Lena"},
                 {"last_name", "Schmidt"},
                 {"email", email},
                 {"organisation", "Jobcenter Leipzig"},
                 {"organisation_type", "job_centre"},
                 {"consent", true},
                 {"language", "de"}};
  for (auto const& [k, v] : overrides) o[k] = v;
  return o;
}

}  // namespace einlass::test
