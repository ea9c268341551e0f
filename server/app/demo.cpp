#include "server/app/demo.hpp"

#include "checkin/crypto.hpp"
#include "checkin/organisations.hpp"
#include "checkin/store.hpp"
#include "checkin/users.hpp"

#include <boost/json.hpp>

#include <chrono>

namespace einlass::server {

namespace json = boost::json;
using namespace checkin;

namespace {

// The network that invites to the demo event: its imprint and notice filled in as a real one
// would (the addresses are examples).
void ensure_demo_organisation(database& db, user const& organiser) {
  if (find_organisation(db, std::string_view("iq-sachsen"))) return;
  auto spec = json::object{
      {"slug", "iq-sachsen"},
      {"name", "IQ Netzwerk Sachsen (Demo)"},
      {"details", json::object{{"legal_name", "Beispielträger Integration e. V."},
                               {"address", "Musterstraße 1\n04109 Leipzig"},
                               {"representative", "Der Vorstand: Erika Beispiel"},
                               {"email", "kontakt@example.org"},
                               {"phone", "+49 341 000000"},
                               {"register", "Amtsgericht Leipzig, VR 0000"},
                               {"authority", "Sächsischer Datenschutz- und Transparenzbeauftragter, Dresden"}}},
      {"texts",
       json::object{
           {"about", json::object{{"de", "Das Netzwerk „Integration durch Qualifizierung“ in Sachsen."},
                                  {"en", "The network “Integration through Qualification” in Saxony."},
                                  {"ar", "شبكة „الاندماج من خلال التأهيل“ في ساكسونيا."}}},
           {"privacy", json::object{{"de", "Die unterschriebene Teilnahmeliste geht an den Fördergeber des Programms."},
                                    {"en", "The signed list of participants goes to the programme's funder."},
                                    {"ar", "تُرسل قائمة المشاركين الموقّعة إلى الجهة الممولة للبرنامج."}}}}}};
  auto org = organisation_from_json(spec);
  if (!org) throw std::logic_error("demo organisation is invalid");
  auto made = create_organisation(db, std::move(*org), now());
  if (made) add_member(db, made->id, organiser.id);
}

}  // namespace

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
      {"organisation", "iq-sachsen"},
      {"title", json::object{{"de", "Leipzig gewinnt ausländische Fachkräfte – Netzwerktreffen"},
                             {"en", "Leipzig wins international talent – network meeting"},
                             {"ar", "لايبزيغ تستقطب الكفاءات الأجنبية – لقاء الشبكة"}}},
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
      // After the event: a thank-you mail with the certificate and the feedback form.
      {"thank_you", true},
      {"feedback", true},
      {"certificate", json::object{{"enabled", true},
                                   {"signer", "Dr. Katrin Beispiel"},
                                   {"signer_role", json::string("Koordination IQ Netzwerk Sachsen")}}},
      {"fields",
       json::object{{"organisation", "required"}, {"organisation_type", "required"}, {"position", "optional"}}},
      {"sessions",
       json::array{json::object{{"title", json::object{{"de", "AG 1: Sprache und interkulturelle Kompetenz"},
                                                       {"en", "WG 1: Language and intercultural skills"},
                                                       {"ar", "المجموعة 1: اللغة والكفاءة بين الثقافات"}}},
                                {"capacity", 40},
                                {"starts_at", at(15)},
                                {"ends_at", at(16, 30)}},
                   json::object{{"title", json::object{{"de", "AG 2: Arbeitserlaubnis, Anerkennung und Qualifizierung"},
                                                       {"en", "WG 2: Work permits, recognition and training"},
                                                       {"ar", "المجموعة 2: تصريح العمل والاعتراف والتأهيل"}}},
                                {"capacity", 40},
                                {"starts_at", at(15)},
                                {"ends_at", at(16, 30)}},
                   json::object{{"title", json::object{{"de", "AG 3: Wege zur Gewinnung ausländischer Fachkräfte"},
                                                       {"en", "WG 3: Ways to win international talent"},
                                                       {"ar", "المجموعة 3: طرق استقطاب الكفاءات الأجنبية"}}},
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
  ensure_demo_organisation(db, *organiser);
  auto created = create_event(db, std::move(*e), organiser->id, now());
  tx.commit();
  return created->slug;
}

}  // namespace einlass::server
