#include "checkin/webhooks.hpp"

#include "checkin/crypto.hpp"
#include "checkin/mail.hpp"
#include "checkin/registration.hpp"

#include <sodium.h>
#include <boost/json.hpp>

#include <algorithm>

namespace einlass::checkin {

namespace json = boost::json;

namespace {

constexpr std::string_view webhook_columns =
    "SELECT w.id, w.event_id, w.url, w.secret, w.kinds, coalesce(u.email, ''), w.created_at, w.organisation_id "
    "FROM webhooks w "
    "LEFT JOIN users u ON u.id = w.created_by ";

webhook read_webhook(statement const& st) {
  webhook w;
  w.id = st.int64(0);
  w.event_id = st.optional_int64(1).value_or(0);
  w.organisation_id = st.optional_int64(7).value_or(0);
  w.url = st.text(2);
  w.secret = st.text(3);
  auto const kinds = json::parse(st.text(4));  // held: a loop over a temporary's member would dangle
  for (auto const& k : kinds.as_array()) w.kinds.emplace_back(k.as_string());
  w.created_by = st.text(5);
  w.created_at = parse_utc_text(st.text(6)).value_or(sys_seconds{});
  return w;
}

constexpr std::string_view delivery_columns =
    "SELECT d.id, d.webhook_id, d.kind, d.payload, d.status, d.attempts, d.answer_status, d.answer, d.created_at, "
    "d.next_attempt_at, d.sent_at, w.url, w.secret FROM webhook_deliveries d JOIN webhooks w ON w.id = d.webhook_id ";

webhook_delivery read_delivery(statement const& st) {
  webhook_delivery d;
  d.id = st.int64(0);
  d.webhook_id = st.int64(1);
  d.kind = st.text(2);
  d.payload = st.text(3);
  d.status = st.text(4);
  d.attempts = static_cast<int>(st.int64(5));
  if (auto s = st.optional_int64(6)) d.answer_status = static_cast<int>(*s);
  d.answer = st.optional_text(7).value_or("");
  d.created_at = parse_utc_text(st.text(8)).value_or(sys_seconds{});
  d.next_attempt_at = parse_utc_text(st.text(9)).value_or(sys_seconds{});
  if (auto s = st.optional_text(10)) d.sent_at = parse_utc_text(*s);
  d.url = st.text(11);
  d.secret = st.text(12);
  return d;
}

}  // namespace

webhook add_webhook(database& db, webhook_scope scope, std::string url, std::vector<std::string> kinds, user const& who,
                    sys_seconds at) {
  json::array k;
  for (auto const& s : kinds) k.emplace_back(s);
  auto secret = "whsec_" + random_token(24);
  auto st = db.cached(
      "INSERT INTO webhooks (event_id, organisation_id, url, secret, kinds, created_by, created_at) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) RETURNING id");
  auto some = [](std::int64_t id) { return id ? std::optional(id) : std::nullopt; };
  st.bind_all(some(scope.event_id), some(scope.organisation_id), url, secret, json::serialize(k), who.id,
              to_utc_text(at));
  return webhook{inserted_id(st),
                 scope.event_id,
                 scope.organisation_id,
                 std::move(url),
                 std::move(secret),
                 std::move(kinds),
                 who.email,
                 at};
}

std::optional<webhook> find_webhook(database& db, std::int64_t id) {
  auto st = db.cached(std::string(webhook_columns) + "WHERE w.id = ?1");
  st.bind(1, id);
  if (!st.step()) return std::nullopt;
  return read_webhook(st);
}

std::vector<webhook> webhooks_of_event(database& db, std::int64_t event_id) {
  auto st = db.cached(std::string(webhook_columns) + "WHERE w.event_id = ?1 ORDER BY w.id");
  st.bind(1, event_id);
  std::vector<webhook> out;
  while (st.step()) out.push_back(read_webhook(st));
  return out;
}

std::vector<webhook> webhooks_of_organisation(database& db, std::int64_t organisation_id) {
  auto st = db.cached(std::string(webhook_columns) + "WHERE w.organisation_id = ?1 ORDER BY w.id");
  st.bind(1, organisation_id);
  std::vector<webhook> out;
  while (st.step()) out.push_back(read_webhook(st));
  return out;
}

void remove_webhook(database& db, std::int64_t id) {
  db.cached("DELETE FROM webhooks WHERE id = ?1").bind(1, id).run();
}

void notify_webhooks(database& db, std::int64_t event_id, std::string_view kind,
                     std::optional<std::int64_t> registration_id, sys_seconds at,
                     std::optional<std::int64_t> only_webhook) {
  auto hooks = db.cached(
      "SELECT id, kinds FROM webhooks WHERE CASE WHEN CAST(?2 AS BIGINT) IS NULL THEN event_id = ?1 OR "
      "organisation_id = (SELECT organisation_id FROM events WHERE id = ?1) ELSE id = ?2 END");
  hooks.bind_all(event_id, only_webhook);
  std::vector<std::int64_t> to;
  while (hooks.step())
    if (kind == "ping" || hooks.text(1).find("\"" + std::string(kind) + "\"") != std::string::npos)
      to.push_back(hooks.int64(0));
  hooks.reset();
  if (to.empty()) return;
  json::object payload{{"id", "evt_" + random_token(12)}, {"type", kind}, {"occurred_at", to_utc_text(at)}};
  auto slug = db.query_one<std::string>("SELECT slug FROM events WHERE id = ?1", event_id);
  payload["event"] = slug.value_or("");
  if (registration_id)
    if (auto r = find_registration(db, event_id, *registration_id)) {
      auto data = registration_to_json(*r);
      data["ticket_code"] = r->ticket_code;
      payload["data"] = std::move(data);
    }
  auto body = json::serialize(payload);
  auto ins = db.cached(
      "INSERT INTO webhook_deliveries (webhook_id, kind, registration_id, payload, next_attempt_at, created_at) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?5)");
  for (auto id : to) {
    ins.reset();
    ins.bind_all(id, kind, registration_id, body, to_utc_text(at)).run();
  }
}

std::vector<webhook_delivery> claim_due_deliveries(database& db, sys_seconds at, int limit,
                                                   std::chrono::seconds lease) {
  // One delivery in flight per webhook and registration: a later one waits for the earlier.
  auto claim = db.cached(
      "UPDATE webhook_deliveries SET claimed_until = ?3 WHERE id IN (SELECT d.id FROM webhook_deliveries d "
      "WHERE d.status = 'pending' AND d.next_attempt_at <= ?1 AND (d.claimed_until IS NULL OR d.claimed_until <= ?1) "
      "AND NOT EXISTS (SELECT 1 FROM webhook_deliveries p WHERE p.webhook_id = d.webhook_id AND p.registration_id = "
      "d.registration_id AND p.status = 'pending' AND p.id < d.id) ORDER BY d.next_attempt_at, d.id LIMIT ?2" +
      std::string(db.engine() == engine::postgresql ? " FOR UPDATE SKIP LOCKED" : "") + ") RETURNING id");
  claim.bind_all(to_utc_text(at), limit, to_utc_text(at + lease));
  json::array ids;
  while (claim.step()) ids.emplace_back(claim.int64(0));
  claim.reset();
  if (ids.empty()) return {};
  auto st =
      db.cached(std::string(delivery_columns) + "WHERE d.id IN (" + sql::json_ids(db.engine(), 1) + ") ORDER BY d.id");
  st.bind(1, json::serialize(ids));
  std::vector<webhook_delivery> out;
  while (st.step()) out.push_back(read_delivery(st));
  return out;
}

void settle_delivery(database& db, std::int64_t id, int status, std::string const& answer, sys_seconds at,
                     std::chrono::seconds base) {
  bool ok = status >= 200 && status < 300;
  auto attempts =
      db.query_one<std::int64_t>("SELECT attempts FROM webhook_deliveries WHERE id = ?1", id).value_or(0) + 1;
  auto st = db.cached(
      "UPDATE webhook_deliveries SET attempts = ?2, answer_status = ?3, answer = ?4, claimed_until = NULL, "
      "status = ?5, sent_at = ?6, next_attempt_at = ?7 WHERE id = ?1");
  std::optional<std::int64_t> code;
  if (status != 0) code = status;
  auto next = at + retry_delay(static_cast<int>(attempts), base);
  st.bind_all(id, attempts, code, answer.substr(0, 500),
              ok                                 ? "sent"
              : attempts >= max_webhook_attempts ? "failed"
                                                 : "pending",
              ok ? std::optional(to_utc_text(at)) : std::nullopt, to_utc_text(next))
      .run();
}

bool retry_delivery(database& db, std::int64_t webhook_id, std::int64_t id, sys_seconds at) {
  auto st = db.cached(
      "UPDATE webhook_deliveries SET status = 'pending', next_attempt_at = ?3, claimed_until = NULL "
      "WHERE id = ?1 AND webhook_id = ?2 AND status <> 'sent'");
  st.bind_all(id, webhook_id, to_utc_text(at)).run();
  return db.changes() > 0;
}

std::vector<webhook_delivery> deliveries_of(database& db, std::int64_t webhook_id, int limit) {
  auto st = db.cached(std::string(delivery_columns) + "WHERE d.webhook_id = ?1 ORDER BY d.id DESC LIMIT ?2");
  st.bind_all(webhook_id, limit);
  std::vector<webhook_delivery> out;
  while (st.step()) out.push_back(read_delivery(st));
  return out;
}

std::optional<sys_seconds> next_delivery_due(database& db) {
  auto t = db.query_one<std::string>("SELECT min(next_attempt_at) FROM webhook_deliveries WHERE status = 'pending'");
  return t ? parse_utc_text(*t) : std::nullopt;
}

json::object webhook_to_json(webhook const& w, std::string_view zone) {
  json::array kinds;
  for (auto const& k : w.kinds) kinds.emplace_back(k);
  return {{"id", w.id},
          {"scope", w.organisation_id ? "organisation" : "event"},
          {"url", w.url},
          {"events", std::move(kinds)},
          {"created_by", w.created_by},
          {"created_at", to_iso8601(w.created_at, zone)}};
}

json::object delivery_to_json(webhook_delivery const& d, std::string_view zone) {
  return {{"id", d.id},
          {"type", d.kind},
          {"status", d.status},
          {"attempts", d.attempts},
          {"answer_status", d.answer_status ? json::value(*d.answer_status) : json::value(nullptr)},
          {"answer", d.answer},
          {"created_at", to_iso8601(d.created_at, zone)},
          {"next_attempt_at", d.status == "pending" ? json::value(to_iso8601(d.next_attempt_at, zone)) : nullptr},
          {"sent_at", d.sent_at ? json::value(to_iso8601(*d.sent_at, zone)) : json::value(nullptr)}};
}

std::string webhook_signature(std::string_view secret, std::string_view body) {
  std::array<unsigned char, crypto_auth_hmacsha256_BYTES> mac{};
  crypto_auth_hmacsha256_state st;
  crypto_auth_hmacsha256_init(&st, reinterpret_cast<unsigned char const*>(secret.data()), secret.size());
  crypto_auth_hmacsha256_update(&st, reinterpret_cast<unsigned char const*>(body.data()), body.size());
  crypto_auth_hmacsha256_final(&st, mac.data());
  std::array<char, crypto_auth_hmacsha256_BYTES * 2 + 1> hex{};
  sodium_bin2hex(hex.data(), hex.size(), mac.data(), mac.size());
  return "sha256=" + std::string(hex.data());
}

}  // namespace einlass::checkin
