#include "checkin/mail.hpp"

#include "checkin/attendees.hpp"
#include "checkin/crypto.hpp"
#include "checkin/store.hpp"
#include "checkin/text.hpp"
#include "checkin/webhooks.hpp"

#include <sodium.h>
#include <boost/json.hpp>

#include <algorithm>

namespace einlass::checkin {

namespace json = boost::json;

namespace {

// One statement queues mails for every registration the WHERE clause picks; the message id
// is random, so nothing in it names a row.
void enqueue_where(database& db, std::string_view where, std::int64_t event_id, std::int64_t id_or_zero,
                   std::string_view kind, sys_seconds at) {
  auto st = db.cached(
      "INSERT INTO outbox (event_id, registration_id, kind, next_attempt_at, message_id, created_at) "
      "SELECT event_id, id, ?3, ?4, '<' || " +
      std::string(sql::random_hex(db.engine())) +
      " || '@einlass>', ?4 FROM registrations "
      "WHERE event_id = ?1 AND email <> '' AND anonymised_at IS NULL AND " +
      std::string(where));
  st.bind_all(event_id, id_or_zero, kind, to_utc_text(at)).run();
}

outbox_item read_item(statement const& st) {
  outbox_item m;
  m.id = st.int64(0);
  m.event_id = st.int64(1);
  m.registration_id = st.optional_int64(2);
  m.kind = st.text(3);
  m.status = st.text(4);
  m.attempts = static_cast<int>(st.int64(5));
  m.next_attempt_at = parse_utc_text(st.text(6)).value_or(sys_seconds{});
  m.last_error = st.optional_text(7).value_or("");
  m.message_id = st.text(8);
  m.created_at = parse_utc_text(st.text(9)).value_or(sys_seconds{});
  if (auto s = st.optional_text(10)) m.sent_at = parse_utc_text(*s);
  m.message_ref = st.optional_int64(11);
  m.to_address = st.optional_text(12).value_or("");
  m.language = st.optional_text(13).value_or("");
  return m;
}

constexpr std::string_view item_list =
    "id, event_id, registration_id, kind, status, attempts, next_attempt_at, last_error, message_id, created_at, "
    "sent_at, message_ref, to_address, language";
const std::string item_columns = "SELECT " + std::string(item_list) + " FROM outbox ";

std::vector<outbox_item> items(statement& st) {
  std::vector<outbox_item> out;
  while (st.step()) out.push_back(read_item(st));
  st.reset();
  return out;
}

// Ids as the JSON array sql::json_ids reads.
std::string json_ids_of(std::vector<std::int64_t> const& ids) {
  json::array list;
  for (auto id : ids) list.emplace_back(id);
  return json::serialize(list);
}

std::string link_key(database& db) {
  auto st = db.cached("SELECT value FROM settings WHERE key = 'link_key'");
  std::string key = st.step() ? st.blob(0) : std::string();
  if (key.size() != 32) throw std::runtime_error("the link key is missing");
  return key;
}

std::string mac(database& db, std::string_view purpose, std::string_view code, std::int64_t expires) {
  return sign_text(db, purpose, std::string(code) + "|" + std::to_string(expires));
}

}  // namespace

std::string sign_text(database& db, std::string_view purpose, std::string_view text) {
  auto key = link_key(db);
  auto signed_text = std::string(purpose) + "|" + std::string(text);
  unsigned char out[crypto_auth_hmacsha256_BYTES];
  crypto_auth_hmacsha256(out, reinterpret_cast<unsigned char const*>(signed_text.data()), signed_text.size(),
                         reinterpret_cast<unsigned char const*>(key.data()));
  // 160 bits are plenty for a link and keep it short.
  return base32_encode(std::string_view(reinterpret_cast<char const*>(out), 20));
}

std::string_view standing_mail_kind(std::optional<sys_seconds> const& confirm_by, reg_status status) {
  return confirm_by ? "confirm" : status == reg_status::waitlisted ? "waitlisted" : "ticket";
}

void enqueue_mail(database& db, std::int64_t event_id, std::int64_t registration_id, std::string_view kind,
                  sys_seconds at) {
  enqueue_where(db, "id = ?2", event_id, registration_id, kind, at);
}

std::vector<outbox_item> claim_due_mails(database& db, sys_seconds at, int limit, std::chrono::seconds lease) {
  // The write lock already makes claims one at a time; SKIP LOCKED says so to PostgreSQL
  // in its own terms too.
  auto st = db.cached(
      "UPDATE outbox SET claimed_until = ?3 WHERE id IN (SELECT id FROM outbox WHERE status = 'pending' AND "
      "next_attempt_at <= ?1 AND (claimed_until IS NULL OR claimed_until <= ?1) ORDER BY next_attempt_at, id LIMIT ?2" +
      std::string(db.engine() == engine::postgresql ? " FOR UPDATE SKIP LOCKED" : "") + ") RETURNING " +
      std::string(item_list));
  st.bind_all(to_utc_text(at), limit, to_utc_text(at + lease));
  auto out = items(st);
  std::sort(out.begin(), out.end(), [](auto const& a, auto const& b) { return a.id < b.id; });
  return out;
}

void release_mails(database& db, std::vector<std::int64_t> const& ids) {
  db.run("UPDATE outbox SET claimed_until = NULL WHERE id IN (" + sql::json_ids(db.engine(), 1) + ")",
         json_ids_of(ids));
}

int release_all_mail_claims(database& db) {
  return db.run("UPDATE outbox SET claimed_until = NULL WHERE claimed_until IS NOT NULL");
}

void mark_sent(database& db, std::int64_t id, sys_seconds at) {
  auto st = db.cached(
      "UPDATE outbox SET status = 'sent', attempts = attempts + 1, sent_at = ?2, last_error = NULL, claimed_until = "
      "NULL "
      "WHERE id = ?1");
  st.bind_all(id, to_utc_text(at)).run();
}

std::chrono::seconds retry_delay(int attempts, std::chrono::seconds base) {
  auto cap = base.count() * 120;
  std::int64_t s = base.count();
  for (int i = 1; i < attempts && s < cap; ++i) s *= 2;
  return std::chrono::seconds(std::min<std::int64_t>(s, cap));
}

std::map<std::int64_t, std::vector<outbox_item>> mails_of_registrations(database& db,
                                                                        std::vector<std::int64_t> const& ids) {
  auto st = db.cached(item_columns + "WHERE registration_id IN (" + sql::json_ids(db.engine(), 1) +
                      ") ORDER BY registration_id, id");
  st.bind(1, json_ids_of(ids));
  std::map<std::int64_t, std::vector<outbox_item>> out;
  for (auto& m : items(st)) out[*m.registration_id].push_back(std::move(m));
  return out;
}

void mark_attempt_failed(database& db, std::int64_t id, std::string const& error, sys_seconds at,
                         std::chrono::seconds base) {
  auto get = db.cached("SELECT attempts FROM outbox WHERE id = ?1");
  get.bind(1, id);
  int attempts = get.step() ? static_cast<int>(get.int64(0)) + 1 : 1;
  auto st = db.cached(
      "UPDATE outbox SET attempts = ?2, last_error = ?3, next_attempt_at = ?4, status = ?5, claimed_until = NULL "
      "WHERE id = ?1");
  st.bind_all(id, attempts, error.substr(0, 500), to_utc_text(at + retry_delay(attempts, base)),
              attempts >= max_mail_attempts ? "failed" : "pending")
      .run();
}

void drop_mail(database& db, std::int64_t id, std::string const& reason) {
  auto st = db.cached("UPDATE outbox SET status = 'failed', last_error = ?2, claimed_until = NULL WHERE id = ?1");
  st.bind_all(id, reason).run();
}

std::optional<sys_seconds> next_mail_due(database& db) {
  // A mail another sender has taken is due for this one only when that claim has run out.
  auto st = db.cached(
      "SELECT min(CASE WHEN claimed_until > next_attempt_at THEN claimed_until ELSE next_attempt_at END) FROM outbox "
      "WHERE status = 'pending'");
  std::optional<sys_seconds> due;
  if (st.step())
    if (auto t = st.optional_text(0)) due = parse_utc_text(*t);
  return due;
}

std::vector<outbox_item> mails_of_registration(database& db, std::int64_t registration_id) {
  auto st = db.cached(item_columns + "WHERE registration_id = ?1 ORDER BY id");
  st.bind(1, registration_id);
  return items(st);
}

std::vector<outbox_item> mails_of_event(database& db, std::int64_t event_id, int limit) {
  auto st = db.cached(item_columns + "WHERE event_id = ?1 ORDER BY id DESC LIMIT ?2");
  st.bind_all(event_id, limit);
  return items(st);
}

std::vector<std::string> message_ids_of_event(database& db, std::int64_t event_id) {
  auto st = db.cached("SELECT message_id FROM outbox WHERE event_id = ?1");
  st.bind(1, event_id);
  std::vector<std::string> out;
  while (st.step()) out.push_back(st.text(0));
  return out;
}

json::object mail_to_json(outbox_item const& m, std::string_view zone) {
  return {{"id", m.id},
          {"registration", m.registration_id ? json::value(*m.registration_id) : json::value(nullptr)},
          {"kind", m.kind},
          {"status", m.status},
          {"attempts", m.attempts},
          {"created_at", to_iso8601(m.created_at, zone)},
          {"next_attempt_at",
           m.status == "pending" ? json::value(to_iso8601(m.next_attempt_at, zone)) : json::value(nullptr)},
          {"sent_at", m.sent_at ? json::value(to_iso8601(*m.sent_at, zone)) : json::value(nullptr)},
          {"last_error", m.last_error.empty() ? json::value(nullptr) : json::value(m.last_error)}};
}

signed_link sign_link(database& db, std::string_view purpose, std::string_view code, sys_seconds expires) {
  auto e = expires.time_since_epoch().count();
  return {e, mac(db, purpose, code, e)};
}

bool verify_link(database& db, std::string_view purpose, std::string_view code, std::int64_t expires,
                 std::string_view signature, sys_seconds at) {
  if (expires <= at.time_since_epoch().count()) return false;
  auto want = mac(db, purpose, code, expires);
  return want.size() == signature.size() && sodium_memcmp(want.data(), signature.data(), want.size()) == 0;
}

bool resend_standing_mail(database& db, std::int64_t event_id, std::string_view email, sys_seconds at) {
  auto st = db.cached(
      "SELECT id, confirm_by, status FROM registrations WHERE event_id = ?1 AND email_key = ?2 AND status <> "
      "'cancelled' AND anonymised_at IS NULL");
  st.bind_all(event_id, email_key(email));
  if (!st.step()) return false;
  auto id = st.int64(0);
  auto confirm_by = st.optional_text(1) ? parse_utc_text(*st.optional_text(1)) : std::nullopt;
  auto status = reg_status_from_string(st.text(2)).value_or(reg_status::confirmed);
  st.reset();
  enqueue_mail(db, event_id, id, standing_mail_kind(confirm_by, status), at);
  return true;
}

outcome<std::int64_t> confirm_opt_in(database& db, std::string_view code, sys_seconds at) {
  auto st = db.cached(
      "SELECT id, event_id, status FROM registrations WHERE ticket_code = ?1 AND confirm_by IS NOT NULL "
      "AND confirm_by > ?2 AND status <> 'cancelled'");
  st.bind_all(code, to_utc_text(at));
  if (!st.step()) return fail(errc::not_found);
  auto id = st.int64(0), event_id = st.int64(1);
  auto status = reg_status_from_string(st.text(2));
  db.run("UPDATE registrations SET confirm_by = NULL, updated_at = ?2 WHERE id = ?1", id, to_utc_text(at));
  enqueue_mail(db, event_id, id, standing_mail_kind(std::nullopt, status.value_or(reg_status::confirmed)), at);
  notify_webhooks(db, event_id, "registration.changed", id, at);
  return id;
}

int run_mail_schedule(database& db, sys_seconds at) {
  auto now_text = to_utc_text(at);
  // Opt-in time is up: the held seat goes to the next in line.
  std::vector<std::pair<std::int64_t, std::int64_t>> expired;
  auto ex = db.cached(
      "SELECT id, event_id FROM registrations WHERE confirm_by IS NOT NULL AND confirm_by <= ?1 AND status <> "
      "'cancelled'");
  ex.bind(1, now_text);
  while (ex.step()) expired.emplace_back(ex.int64(0), ex.int64(1));
  for (auto [id, event_id] : expired)
    if (auto e = find_event(db, event_id)) (void)cancel_registration(db, *e, id, at);

  // Reminders and thank-you mails, each once per event.
  std::vector<std::int64_t> remind, thank;
  auto ev = db.cached(
      "SELECT id, starts_at, ends_at, reminder_days, thank_you, reminders_queued_at IS NULL, thanks_queued_at IS NULL "
      "FROM events WHERE status = 'published' AND ((reminder_days IS NOT NULL AND reminders_queued_at IS NULL) "
      "OR (thank_you <> 0 AND thanks_queued_at IS NULL))");
  while (ev.step()) {
    auto starts = parse_utc_text(ev.text(1)).value_or(sys_seconds{});
    auto ends = parse_utc_text(ev.text(2)).value_or(sys_seconds{});
    if (ev.int64(5) && !ev.is_null(3) && at >= starts - std::chrono::days(ev.int64(3))) remind.push_back(ev.int64(0));
    if (ev.int64(6) && ev.int64(4) && at >= ends) thank.push_back(ev.int64(0));
  }
  for (auto id : remind) {
    // Too late once the event has begun: marked done without mails.
    auto starts = db.cached("SELECT starts_at > ?2 FROM events WHERE id = ?1");
    bool before = starts.bind_all(id, now_text).step() && starts.int64(0);
    if (before) enqueue_where(db, "status = 'confirmed' AND confirm_by IS NULL AND ?2 = 0", id, 0, "reminder", at);
    db.cached("UPDATE events SET reminders_queued_at = ?2 WHERE id = ?1").bind_all(id, now_text).run();
  }
  for (auto id : thank) {
    // Not weeks later: a thank-you is sent within a week of the end, or not at all.
    auto recent = db.cached("SELECT ends_at > ?2 FROM events WHERE id = ?1");
    bool fresh = recent.bind_all(id, to_utc_text(at - std::chrono::days(7))).step() && recent.int64(0);
    if (fresh) enqueue_where(db, "lists_attended > 0 AND ?2 = 0", id, 0, "thanks", at);
    db.cached("UPDATE events SET thanks_queued_at = ?2 WHERE id = ?1").bind_all(id, now_text).run();
  }
  return static_cast<int>(expired.size());
}

}  // namespace einlass::checkin
