#include "checkin/certificates.hpp"

#include "checkin/crypto.hpp"
#include "checkin/mail.hpp"
#include "checkin/store.hpp"

#include <sodium.h>

#include <algorithm>

namespace einlass::checkin {

namespace {

constexpr std::size_t id_length = 8, mac_length = 8;

// What the certificate states, as signed.
std::string facts(event const& e, registration const& r, std::string_view public_id) {
  auto sessions = r.sessions;
  std::sort(sessions.begin(), sessions.end());
  std::string text = std::string(public_id) + "|" + r.first_name + "|" + r.last_name + "|" + e.slug + "|" +
                     to_utc_text(e.starts_at) + "|" + to_utc_text(e.ends_at) + "|";
  for (auto s : sessions) text += std::to_string(s) + ",";
  return text;
}

// A new id no certificate has (40 bits: a clash is rare, and then another is drawn).
std::string fresh_id(database& db) {
  auto taken = db.cached("SELECT 1 FROM certificates WHERE public_id = ?1");
  for (;;) {
    auto id = random_token(5);
    taken.bind(1, id);
    bool clash = taken.step();
    taken.reset();
    if (!clash) return id;
  }
}

void insert(database& db, std::int64_t event_id, std::int64_t registration_id, std::string const& id, sys_seconds at) {
  db.cached("INSERT INTO certificates (registration_id, event_id, public_id, issued_at) VALUES (?1, ?2, ?3, ?4)")
      .bind_all(registration_id, event_id, id, to_utc_text(at))
      .run();
}

constexpr std::string_view admitted_without =
    "SELECT r.id FROM registrations r WHERE r.event_id = ?1 AND r.anonymised_at IS NULL AND EXISTS (SELECT 1 FROM "
    "attendance a WHERE a.registration_id = r.id) AND NOT EXISTS (SELECT 1 FROM certificates c WHERE "
    "c.registration_id = r.id) ";

}  // namespace

int issue_certificates(database& db, std::int64_t event_id, sys_seconds at) {
  std::vector<std::int64_t> ids;
  {
    auto st = db.cached(std::string(admitted_without) + "ORDER BY r.id");
    st.bind(1, event_id);
    while (st.step()) ids.push_back(st.int64(0));
  }
  for (auto id : ids) insert(db, event_id, id, fresh_id(db), at);
  return static_cast<int>(ids.size());
}

std::optional<std::string> find_certificate(database& db, std::int64_t event_id, std::int64_t registration_id) {
  auto st = db.cached("SELECT public_id FROM certificates WHERE registration_id = ?1 AND event_id = ?2");
  st.bind_all(registration_id, event_id);
  if (!st.step()) return std::nullopt;
  return st.text(0);
}

std::optional<std::string> issue_certificate(database& db, std::int64_t event_id, std::int64_t registration_id,
                                             sys_seconds at) {
  if (auto id = find_certificate(db, event_id, registration_id)) return id;
  auto st = db.cached(std::string(admitted_without) + "AND r.id = ?2");
  st.bind_all(event_id, registration_id);
  if (!st.step()) return std::nullopt;
  st.reset();
  auto id = fresh_id(db);
  insert(db, event_id, registration_id, id, at);
  return id;
}

bool was_admitted(database& db, std::int64_t registration_id) {
  auto st = db.cached("SELECT 1 FROM attendance WHERE registration_id = ?1 LIMIT 1");
  st.bind(1, registration_id);
  return st.step();
}

std::map<std::int64_t, std::string> certificate_ids(database& db, std::int64_t event_id) {
  auto st = db.cached("SELECT registration_id, public_id FROM certificates WHERE event_id = ?1");
  st.bind(1, event_id);
  std::map<std::int64_t, std::string> out;
  while (st.step()) out.emplace(st.int64(0), st.text(1));
  return out;
}

std::string certificate_code(database& db, event const& e, registration const& r, std::string_view public_id) {
  return std::string(public_id) + "-" + sign_text(db, "certificate", facts(e, r, public_id)).substr(0, mac_length);
}

std::optional<verified_certificate> verify_certificate(database& db, std::string_view code) {
  // Read as typed from paper too: any case, with or without the dash.
  std::string clean;
  for (char ch : code)
    if (ch != '-' && ch != ' ') clean += static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
  if (clean.size() != id_length + mac_length) return std::nullopt;
  auto id = clean.substr(0, id_length), mac = clean.substr(id_length);
  std::int64_t event_id = 0, registration_id = 0;
  {
    auto st = db.cached("SELECT event_id, registration_id FROM certificates WHERE public_id = ?1");
    st.bind(1, id);
    if (!st.step()) return std::nullopt;
    event_id = st.int64(0);
    registration_id = st.int64(1);
  }
  auto e = find_event(db, event_id);
  auto r = e ? find_registration(db, event_id, registration_id) : std::nullopt;
  if (!r) return std::nullopt;
  auto want = certificate_code(db, *e, *r, id).substr(id_length + 1);
  if (sodium_memcmp(want.data(), mac.data(), mac_length) != 0) return std::nullopt;
  return verified_certificate{std::move(*r), std::move(*e)};
}

}  // namespace einlass::checkin
