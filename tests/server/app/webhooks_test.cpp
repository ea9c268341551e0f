// Webhooks against a real HTTP receiver (tests/support/webhook_receiver.py): deliveries signed
// with the webhook's secret, every one delivered once after the receiver was down for a while,
// in order per registration; targets on private addresses refused unless the server allows them.
#include "tests/support/http_client.hpp"
#include "tests/support/process.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/support/test_server.hpp"
#include "tests/support/wait.hpp"

#include <gtest/gtest.h>
#include <boost/json.hpp>

#include <fstream>
#include <map>
#include <set>

using namespace einlass::test;
namespace json = boost::json;

namespace {

std::vector<json::object> received_hooks(std::string const& file) {
  std::vector<json::object> out;
  std::ifstream in(file);
  for (std::string line; std::getline(in, line);)
    if (!line.empty()) out.push_back(json::parse(line).as_object());
  return out;
}

std::string receiver_script() { return std::string(EINLASS_TESTS_DIR) + "/support/webhook_receiver.py"; }

}  // namespace

TEST(Webhooks, ADownReceiverGetsEveryDeliveryOnceSignedAndInOrderWhenBack) {
  temp_dir dir;
  auto file = dir.file("received.jsonl");
  std::uint16_t port = 0;
  {  // a free port nobody listens on yet
    server_process probe("/usr/bin/python3", {receiver_script(), dir.file("probe.jsonl")});
    port = probe.port();
  }
  test_server s([](einlass::server::config& cfg) {
    cfg.allow_private_webhooks = true;  // the receiver is on loopback
    cfg.webhook_retry_seconds = 1;
  });
  s.create_event(event_spec("crm", {{"capacity", 10}}));
  auto c = s.client();
  auto made = c.post_json("/api/v1/webhooks",
                          json::object{{"url", "http://127.0.0.1:" + std::to_string(port) + "/einlass"},
                                       {"event", "crm"},
                                       {"events", json::array{"registration.created", "registration.changed",
                                                              "registration.cancelled", "checkin.created"}}},
                          s.auth());
  ASSERT_EQ(made.status, 201) << made.body;
  std::string secret(made.json().at("secret").as_string());
  auto hook = std::to_string(made.json().at("id").as_int64());

  // While the receiver is down: Anna registers, is changed, cancels; Ben registers.
  auto anna = c.post_json("/api/v1/events/crm/registrations", person("anna@example.org"));
  ASSERT_EQ(anna.status, 201);
  auto id = std::to_string(anna.json().at("id").as_int64());
  ASSERT_EQ(c.request("PATCH", "/api/v1/events/crm/attendees/" + id,
                      json::serialize(json::object{{"organisation", "IHK Halle-Dessau"}}),
                      {{"Content-Type", "application/json"}, {"Authorization", "Bearer " + s.token()}})
                .status,
            200);
  ASSERT_EQ(c.post_json("/api/v1/events/crm/attendees/" + id + "/cancel", json::object{}, s.auth()).status, 200);
  ASSERT_EQ(c.post_json("/api/v1/events/crm/registrations", person("ben@example.org")).status, 201);
  ASSERT_TRUE(wait_until([&] {
    auto hooks = c.get("/api/v1/events/crm/webhooks", s.auth()).json().at("webhooks").as_array();
    auto const& d = hooks[0].at("deliveries").as_array();
    return d.size() == 4u && d[0].at("attempts").as_int64() >= 1;
  })) << "tried while the receiver was down";

  server_process receiver("/usr/bin/python3", {receiver_script(), file, std::to_string(port)});
  ASSERT_TRUE(wait_until([&] { return received_hooks(file).size() >= 4; }, std::chrono::seconds(40)));
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));  // a second copy would be here by now
  auto got = received_hooks(file);
  ASSERT_EQ(got.size(), 4u) << "each delivery once";
  std::set<std::string> ids;
  std::map<std::string, std::vector<std::string>> by_person;
  for (auto const& r : got) {
    auto const& h = r.at("headers").as_object();
    std::string body(r.at("body").as_string());
    ids.insert(std::string(h.at("x-einlass-delivery").as_string()));
    auto check = python(R"(
import hashlib, hmac, json, sys
print(json.dumps("sha256=" + hmac.new(sys.argv[1].encode(), sys.argv[2].encode(), hashlib.sha256).hexdigest()))
)",
                        {secret, body});
    EXPECT_EQ(h.at("x-einlass-signature"), check) << "the signature verifies with the secret";
    auto payload = json::parse(body).as_object();
    EXPECT_EQ(payload.at("event"), "crm");
    EXPECT_EQ(h.at("x-einlass-event"), payload.at("type"));
    by_person[std::string(payload.at("data").at("email").as_string())].emplace_back(payload.at("type").as_string());
  }
  EXPECT_EQ(ids.size(), 4u);
  EXPECT_EQ(by_person["anna@example.org"],
            (std::vector<std::string>{"registration.created", "registration.changed", "registration.cancelled"}))
      << "in the order it happened";
  EXPECT_EQ(by_person["ben@example.org"], (std::vector<std::string>{"registration.created"}));
  auto hooks = c.get("/api/v1/events/crm/webhooks", s.auth()).json().at("webhooks").as_array();
  for (auto const& d : hooks[0].at("deliveries").as_array()) {
    EXPECT_EQ(d.at("status"), "sent");
    EXPECT_EQ(d.at("answer_status"), 200);
  }

  // A test delivery, then a retry of one sent already is refused; removing stops deliveries.
  ASSERT_EQ(c.post_json("/api/v1/webhooks/" + hook + "/test", json::object{}, s.auth()).status, 202);
  ASSERT_TRUE(wait_until([&] { return received_hooks(file).size() == 5; }));
  EXPECT_EQ(received_hooks(file).back().at("headers").at("x-einlass-event"), "ping");
  auto first = std::to_string(hooks[0].at("deliveries").as_array().back().at("id").as_int64());
  EXPECT_EQ(
      c.post_json("/api/v1/webhooks/" + hook + "/deliveries/" + first + "/retry", json::object{}, s.auth()).status,
      404);
  ASSERT_EQ(c.request("DELETE", "/api/v1/webhooks/" + hook, "", s.auth()).status, 200);
  EXPECT_TRUE(c.get("/api/v1/events/crm/webhooks", s.auth()).json().at("webhooks").as_array().empty());
}

TEST(Webhooks, PrivateAndLoopbackTargetsAreRefusedUnlessAllowed) {
  test_server s;
  s.create_event(event_spec("crm"));
  auto c = s.client();
  auto add = [&](std::string const& url) {
    return c.post_json("/api/v1/webhooks",
                       json::object{{"url", url}, {"event", "crm"}, {"events", json::array{"registration.created"}}},
                       s.auth());
  };
  for (auto const* url : {"http://127.0.0.1:9/x", "http://localhost/x", "http://10.1.2.3/x", "http://192.168.0.10/x",
                          "http://169.254.169.254/latest/meta-data", "http://[::1]/x", "http://[fd00::1]/x",
                          "http://[::ffff:127.0.0.1]/x"}) {
    auto r = add(url);
    EXPECT_EQ(r.status, 422) << url;
    EXPECT_EQ(r.json().at("error").at("fields").as_array()[0].at("code"), "private_address") << url << r.body;
  }
  EXPECT_EQ(add("ftp://example.org/x").status, 422);
  EXPECT_EQ(add("http://user:pw@example.org/x").status, 422);
  auto other = s.add_user("other@example.org", "organiser");
  auto r = c.post_json("/api/v1/webhooks",
                       json::object{{"url", "http://127.0.0.1/x"}, {"event", "crm"}, {"events", json::array{"ping"}}},
                       {{"Authorization", "Bearer " + other}});
  EXPECT_EQ(r.status, 422) << "not their event, and ping is no event to ask for";
}

// Issue 14: a webhook of an organisation hears every event it holds, one made later too, and
// nothing of another organisation's; only its members may add, list, test or remove it.
TEST(Webhooks, AnOrganisationsWebhookHearsAllItsEventsAndNoOthers) {
  temp_dir dir;
  auto file = dir.file("received.jsonl");
  server_process receiver("/usr/bin/python3", {receiver_script(), file});
  test_server s([](einlass::server::config& cfg) { cfg.allow_private_webhooks = true; });
  auto c = s.client();
  auto admin = s.add_user("admin@example.org", "admin");
  for (std::string org : {"iq", "ihk"})
    ASSERT_EQ(c.post_json("/api/v1/organisations", json::object{{"slug", org}, {"name", org}}, bearer(admin)).status,
              201);
  c.post_json("/api/v1/organisations/iq/members", json::object{{"email", "organiser@example.org"}}, bearer(admin));
  s.create_event(event_spec("magdeburg", {{"organisation", "iq"}}));
  s.create_event_as(admin, event_spec("halle", {{"organisation", "ihk"}}));
  auto url = "http://127.0.0.1:" + std::to_string(receiver.port()) + "/crm";
  auto refused = c.post_json(
      "/api/v1/webhooks",
      json::object{{"url", url}, {"organisation", "ihk"}, {"events", json::array{"registration.created"}}}, s.auth());
  EXPECT_EQ(refused.status, 422) << "not a member of that one";
  auto made = c.post_json(
      "/api/v1/webhooks",
      json::object{{"url", url}, {"organisation", "iq"}, {"events", json::array{"registration.created"}}}, s.auth());
  ASSERT_EQ(made.status, 201) << made.body;
  EXPECT_EQ(made.json().at("scope"), "organisation");
  s.create_event(event_spec("stendal", {{"organisation", "iq"}}));  // made after the webhook
  for (std::string slug : {"magdeburg", "halle", "stendal"})
    ASSERT_EQ(c.post_json("/api/v1/events/" + slug + "/registrations", person("anna@example.org")).status, 201);
  ASSERT_TRUE(wait_until([&] { return received_hooks(file).size() >= 2; }, std::chrono::seconds(30)));
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));  // one of halle would be here by now
  std::multiset<std::string> events;
  for (auto const& r : received_hooks(file))
    events.insert(std::string(json::parse(std::string(r.at("body").as_string())).at("event").as_string()));
  EXPECT_EQ(events, (std::multiset<std::string>{"magdeburg", "stendal"}));
  auto listed = c.get("/api/v1/organisations/iq/webhooks", s.auth()).json().at("webhooks").as_array();
  ASSERT_EQ(listed.size(), 1u);
  EXPECT_EQ(listed[0].at("deliveries").as_array().size(), 2u);
  auto stranger = s.add_user("stranger@example.org", "organiser");
  auto hook = "/api/v1/webhooks/" + std::to_string(made.json().at("id").as_int64());
  EXPECT_EQ(c.post_json(hook + "/test", json::object{}, bearer(stranger)).status, 404);
  EXPECT_EQ(c.post_json(hook + "/test", json::object{}, s.auth()).status, 202);
  EXPECT_EQ(c.request("DELETE", hook, {}, s.auth()).status, 200);
}
