#include "server/app/demo.hpp"

#include "checkin/crypto.hpp"
#include "checkin/store.hpp"
#include "checkin/users.hpp"

#include <boost/json.hpp>

#include <chrono>

namespace einlass::server {

namespace json = boost::json;
using namespace checkin;

std::string ensure_demo_event(database& db) {
  constexpr std::string_view slug = "netzwerktreffen-leipzig";
  if (find_event(db, slug)) return std::string(slug);
  auto organiser = find_user(db, demo_organiser);
  if (!organiser) organiser = upsert_user(db, demo_organiser, "organiser", random_token(16));

  // Two weeks from today, 14:00 to 18:00 in Leipzig.
  auto day = std::chrono::floor<std::chrono::days>(now() + std::chrono::days(14));
  // Wall time without offset: read in the event's zone.
  auto at = [&](int hour, int minute = 0) {
    auto t = sys_seconds(day.time_since_epoch() + std::chrono::hours(hour) + std::chrono::minutes(minute));
    return to_utc_text(t).substr(0, 16);
  };
  json::object spec{
      {"slug", slug},
      {"title", "Leipzig gewinnt ausländische Fachkräfte – Netzwerktreffen"},
      {"description",
       "Unternehmen, Kammern, Jobcenter, Bildungsträger und Migrantenorganisationen treffen sich zum Austausch "
       "über Wege in den Arbeitsmarkt.\n\nNach einer kurzen Begrüßung arbeiten wir in drei parallelen "
       "Arbeitsgruppen. Zum Abschluss bleibt Zeit für Gespräche am Buffet."},
      {"starts_at", at(14)},
      {"ends_at", at(18)},
      {"timezone", "Europe/Berlin"},
      {"venue", "Alte Essig-Manufactur"},
      {"address", "Hans-Driesch-Straße 27\n04179 Leipzig"},
      {"capacity", 120},
      {"waitlist", true},
      {"fields",
       json::object{{"organisation", "required"}, {"organisation_type", "required"}, {"position", "optional"}}},
      {"sessions", json::array{json::object{{"title", "AG 1: Sprache und interkulturelle Kompetenz"},
                                            {"capacity", 40},
                                            {"starts_at", at(15)},
                                            {"ends_at", at(16, 30)}},
                               json::object{{"title", "AG 2: Arbeitserlaubnis, Anerkennung und Qualifizierung"},
                                            {"capacity", 40},
                                            {"starts_at", at(15)},
                                            {"ends_at", at(16, 30)}},
                               json::object{{"title", "AG 3: Wege zur Gewinnung ausländischer Fachkräfte"},
                                            {"capacity", 40},
                                            {"starts_at", at(15)},
                                            {"ends_at", at(16, 30)}}}},
      {"questions", json::array{json::object{{"kind", "single"},
                                             {"label", "Wie sind Sie auf die Veranstaltung aufmerksam geworden?"},
                                             {"options", json::array{"Einladung per E-Mail", "IQ Netzwerk", "Kollegium",
                                                                     "Sonstiges"}}},
                                json::object{{"kind", "checkbox"}, {"label", "Ich nehme am Buffet teil."}}}}};
  auto e = event_from_json(spec);
  if (!e) throw std::logic_error("demo event is invalid");
  transaction tx(db);
  auto created = create_event(db, std::move(*e), organiser->id, now());
  tx.commit();
  return created->slug;
}

}  // namespace einlass::server
