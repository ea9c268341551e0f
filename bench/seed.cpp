#include "bench/seed.hpp"

#include "checkin/store.hpp"
#include "checkin/users.hpp"
#include "tests/support/specs.hpp"

#include <boost/json.hpp>

#include <array>
#include <cstdio>

namespace einlass::bench {

namespace json = boost::json;

namespace {

constexpr std::array<char const*, 7> types{
    "company", "chamber", "public_administration", "job_centre", "education_provider", "migrant_organisation", "other"};

}  // namespace

void seed(checkin::database& db, std::string const& slug, int people, int arrivals) {
  auto spec = test::event_spec(
      slug,
      {{"sessions", json::array{json::object{{"title", "AG Berufseinstieg"}}, json::object{{"title", "AG Ausbildung"}},
                                json::object{{"title", "AG Anerkennung"}}}},
       {"questions",
        json::array{json::object{
            {"label", "Essen"}, {"kind", "single"}, {"options", json::array{"vegetarisch", "vegan", "alles"}}}}}});
  spec.erase("capacity");
  checkin::transaction tx(db);
  auto owner = checkin::find_user(db, "bench@example.org");
  auto e = checkin::create_event(db, *checkin::event_from_json(spec), owner ? std::optional(owner->id) : std::nullopt,
                                 checkin::now());
  auto event_id = e->id;
  std::vector<std::int64_t> devices;
  for (int d = 0; d < 4; ++d) {
    auto ins = db.cached(
        "INSERT INTO devices (event_id, name, list_id, created_at) VALUES (?1, ?2, 0, '2026-11-21T08:00:00Z') "
        "RETURNING id");
    ins.bind(1, event_id).bind(2, "Eingang " + std::to_string(d + 1));
    devices.push_back(checkin::inserted_id(ins));
  }
  auto start = e->starts_at - std::chrono::hours(1);
  for (int i = 0; i < people; ++i) {
    std::string n = std::to_string(i);
    auto r = db.cached(
        "INSERT INTO registrations (event_id, status, first_name, last_name, email, email_key, organisation, "
        "organisation_type, language, answers, consent_at, consent_version, ticket_code, created_at) "
        "VALUES (?1, 'confirmed', ?2, 'Müller-Lüdenscheidt', ?3, ?3, ?4, ?5, 'de', ?6, '2026-11-21T10:00:00Z', 'v1', "
        "?7, "
        "'2026-11-21T10:00:00Z') RETURNING id");
    r.bind_all(event_id, "Person " + n, slug + n + "@example.org", "Organisation " + std::to_string(i % 500),
               types[static_cast<std::size_t>(i) % types.size()],
               std::string("{\"q1\":\"") + (i % 3 ? "vegan" : "alles") + "\"}", slug + "-T" + n);
    auto id = checkin::inserted_id(r);
    db.cached("INSERT INTO registration_sessions (registration_id, session_id) VALUES (?1, ?2)")
        .bind_all(id, e->sessions[static_cast<std::size_t>(i) % 3].id)
        .run();
    if (i < arrivals) {
      auto at = checkin::to_utc_text(start + std::chrono::seconds(static_cast<long>(i) * 7200 / arrivals));
      auto dev = devices[static_cast<std::size_t>(i) % devices.size()];
      auto scan = db.cached(
          "INSERT INTO checkins (event_id, device_id, registration_id, list_id, type, result, effect, nonce, at) "
          "VALUES (?1, ?2, ?3, 0, 'entry', 'ok', 'created', ?4, ?5) RETURNING id");
      scan.bind_all(event_id, dev, id, "n" + n, at);
      auto scan_id = checkin::inserted_id(scan);
      db.cached(
            "INSERT INTO attendance (registration_id, list_id, event_id, first_checkin_id, first_at, first_device_id, "
            "inside) "
            "VALUES (?1, 0, ?2, ?3, ?4, ?5, 1)")
          .bind_all(id, event_id, scan_id, at, dev)
          .run();
    }
  }
  tx.commit();
}

// The floor for an export: every registration row of the event read and printed to a file.
std::size_t plain_read(std::string const& path, std::string const& slug) {
  checkin::database db(path, checkin::database::mode::read_only);
  std::FILE* f = std::tmpfile();
  auto st = db.prepare(
      "SELECT id, status, first_name, last_name, email, organisation, organisation_type, answers, created_at "
      "FROM registrations WHERE event_id = (SELECT id FROM events WHERE slug = ?1) ORDER BY id");
  st.bind(1, slug);
  while (st.step())
    std::fprintf(f, "%lld;%s;%s;%s;%s;%s;%s;%s;%s\n", static_cast<long long>(st.int64(0)), st.text(1).c_str(),
                 st.text(2).c_str(), st.text(3).c_str(), st.text(4).c_str(), st.text(5).c_str(), st.text(6).c_str(),
                 st.text(7).c_str(), st.text(8).c_str());
  auto size = static_cast<std::size_t>(std::ftell(f));
  std::fclose(f);
  return size;
}

}  // namespace einlass::bench
