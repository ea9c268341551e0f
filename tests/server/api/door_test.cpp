// Door devices and check-in over real HTTP.
#include "checkin/crypto.hpp"
#include "checkin/db.hpp"
#include "checkin/time.hpp"
#include "checkin/users.hpp"
#include "tests/support/process.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/support/test_server.hpp"

#include <gtest/gtest.h>
#include <boost/json.hpp>

#include <barrier>
#include <fstream>
#include <map>
#include <mutex>
#include <set>
#include <thread>

using namespace einlass::test;
namespace json = boost::json;

namespace {

using headers = std::vector<std::pair<std::string, std::string>>;

struct door_fixture {
  test_server s;
  json::object event;
  std::int64_t ag1 = 0, ag2 = 0;

  door_fixture() {
    event = s.create_event(event_spec("forum", {{"capacity", 100},
                                                {"sessions", json::array{json::object{{"title", "AG Berufseinstieg"}},
                                                                         json::object{{"title", "AG Ausbildung"}}}}}));
    ag1 = event.at("sessions").as_array()[0].at("id").as_int64();
    ag2 = event.at("sessions").as_array()[1].at("id").as_int64();
  }

  json::object add_device(std::string const& name, json::value list = "event", std::string const& slug = "forum") {
    auto r = s.client().post_json("/api/v1/events/" + slug + "/devices", json::object{{"name", name}, {"list", list}},
                                  s.auth());
    if (r.status != 201) throw std::runtime_error("add_device: " + r.body);
    return r.json().as_object();
  }
  std::string token(std::string const& name, json::value list = "event") {
    return std::string(add_device(name, list).at("token").as_string());
  }
  std::string ticket(std::string const& email, json::object extra = {}, std::string const& slug = "forum") {
    auto r = s.client().post_json("/api/v1/events/" + slug + "/registrations", person(email, extra));
    if (r.status != 201) throw std::runtime_error("ticket: " + r.body);
    return std::string(r.json().at("ticket").at("code").as_string());
  }
  json::object scan(std::string const& token, json::object body) {
    auto r = s.client().post_json("/api/v1/checkins", body, bearer(token));
    if (r.status != 200) throw std::runtime_error("scan: " + std::to_string(r.status) + " " + r.body);
    return r.json().as_object();
  }
  std::int64_t count(std::string const& sql) {
    einlass::checkin::database db(s.db_path(), einlass::checkin::database::mode::read_only);
    auto st = db.prepare(sql);
    return st.step() ? st.int64(0) : -1;
  }
};

std::string result_of(json::object const& o) { return std::string(o.at("result").as_string()); }

}  // namespace

TEST(Door, AddingADeviceGivesATokenAndAPairingLink) {
  door_fixture f;
  auto d = f.add_device("Eingang Nord");
  EXPECT_EQ(d.at("name"), "Eingang Nord");
  EXPECT_EQ(d.at("list"), "event");
  EXPECT_TRUE(d.at("token").as_string().starts_with("dev_"));
  auto url = std::string(d.at("pairing_url").as_string());
  EXPECT_TRUE(url.starts_with("http://127.0.0.1:" + std::to_string(f.s.port()) + "/checkin/pair/")) << url;
  // Only a hash is stored.
  EXPECT_EQ(
      f.count("SELECT count(*) FROM device_tokens WHERE token_hash = '" + std::string(d.at("token").as_string()) + "'"),
      0);
  auto c = f.s.client();
  EXPECT_EQ(c.post_json("/api/v1/events/forum/devices", json::object{{"name", "X"}}).status, 401);
  auto bad = c.post_json("/api/v1/events/forum/devices", json::object{{"name", "X"}, {"list", 999999}}, f.s.auth());
  EXPECT_EQ(bad.status, 422);
  EXPECT_EQ(bad.json().at("error").at("field"), "list");
  auto list = c.get("/api/v1/events/forum/devices", f.s.auth());
  EXPECT_EQ(list.json().at("devices").as_array().size(), 1u);
}

TEST(Door, PairingCodeWorksOnceAndTheDeviceStaysPaired) {
  door_fixture f;
  auto d = f.add_device("Eingang Süd", f.ag1);
  auto code = std::string(d.at("pairing_code").as_string());
  auto c = f.s.client();
  EXPECT_EQ(c.get("/checkin/pair/" + code).status, 200);  // showing the page does not spend the code
  auto paired = c.post_json("/api/v1/devices/pair", json::object{{"code", code}});
  ASSERT_EQ(paired.status, 200) << paired.body;
  auto token = std::string(paired.json().at("token").as_string());
  EXPECT_EQ(paired.json().at("list").at("title"), "AG Berufseinstieg");
  auto again = c.post_json("/api/v1/devices/pair", json::object{{"code", code}});
  EXPECT_EQ(again.status, 404);
  EXPECT_EQ(again.json().at("error").at("code"), "pairing_invalid");
  auto info = c.get("/api/v1/device", bearer(token));
  ASSERT_EQ(info.status, 200);
  EXPECT_EQ(info.json().at("device").at("name"), "Eingang Süd");
  EXPECT_EQ(info.json().at("event").at("slug"), "forum");
  EXPECT_FALSE(info.json().at("device").at("paired_at").is_null());
}

TEST(Door, EveryResultCode) {
  door_fixture f;
  f.s.create_event(event_spec("anderes"));
  auto door = f.token("Eingang");
  auto ag1_door = f.token("AG 1", f.ag1);
  auto lena = f.ticket("lena@example.org", {{"sessions", json::array{f.ag1}}});
  auto amir = f.ticket("amir@example.org", {{"sessions", json::array{f.ag2}}});
  auto gone = f.ticket("gone@example.org");
  auto other = f.ticket("other@example.org", {}, "anderes");
  {
    einlass::checkin::database db(f.s.db_path());
    db.exec("UPDATE registrations SET status = 'cancelled' WHERE email = 'gone@example.org'");
  }
  f.s.create_event(event_spec("voll", {{"capacity", 0}, {"waitlist", true}}));
  auto waiting = f.ticket("wait@example.org", {}, "voll");
  auto voll_door = std::string(f.add_device("Voll", "event", "voll").at("token").as_string());

  auto ok = f.scan(door, {{"code", lena}});
  EXPECT_EQ(result_of(ok), "ok");
  EXPECT_EQ(ok.at("attendee").at("first_name"), "Lena");
  EXPECT_EQ(ok.at("attendee").at("organisation"), "Jobcenter Leipzig");
  EXPECT_EQ(ok.at("attendee").at("sessions").as_array()[0], "AG Berufseinstieg");
  EXPECT_FALSE(ok.at("checked_in_at").is_null());
  EXPECT_EQ(ok.at("device"), "Eingang");

  auto again = f.scan(door, {{"code", lena}});
  EXPECT_EQ(result_of(again), "already_checked_in");
  EXPECT_EQ(again.at("first_checked_in_at"), ok.at("checked_in_at"));
  EXPECT_EQ(again.at("device"), "Eingang");

  EXPECT_EQ(result_of(f.scan(door, {{"code", std::string(140, 'A')}})), "unknown_ticket");
  EXPECT_EQ(result_of(f.scan(door, {{"code", "hello world"}})), "unknown_ticket");
  EXPECT_EQ(result_of(f.scan(door, {{"code", gone}})), "cancelled");
  EXPECT_EQ(result_of(f.scan(voll_door, {{"code", waiting}})), "waitlisted");
  EXPECT_EQ(result_of(f.scan(ag1_door, {{"code", amir}})), "not_on_list");
  EXPECT_EQ(result_of(f.scan(ag1_door, {{"code", lena}})), "ok");  // the session's own list
  auto wrong = f.scan(door, {{"code", other}});
  EXPECT_EQ(result_of(wrong), "wrong_event");
  EXPECT_TRUE(wrong.at("attendee").is_null());  // no names from another event
  EXPECT_EQ(result_of(f.scan(door, {{"code", amir}, {"type", "exit"}})), "not_inside");
  EXPECT_EQ(result_of(f.scan(door, {{"code", lena}, {"type", "exit"}})), "checked_out");
  EXPECT_EQ(result_of(f.scan(door, {{"code", lena}})), "ok");  // back in
  // A scan may name the list itself.
  EXPECT_EQ(result_of(f.scan(door, {{"code", amir}, {"list", f.ag2}})), "ok");

  // Every scan was recorded, failed ones too.
  EXPECT_EQ(f.count("SELECT count(*) FROM checkins"), 13);
  auto info = f.s.client().get("/api/v1/device", bearer(door)).json();
  EXPECT_EQ(info.at("counts").at("checked_in").as_int64(), 1);  // Lena on the event list
  EXPECT_EQ(info.at("counts").at("inside").as_int64(), 1);
}

// The offline list names every ticket the door's list would not admit now, and those inside,
// by the hash a browser computes — and says of each exactly what an online scan answers.
TEST(Door, TheOfflineListAnswersAsTheServerWould) {
  door_fixture f;
  auto door = f.token("Eingang");
  auto ag1_door = f.token("AG 1", f.ag1);
  auto inside = f.ticket("inside@example.org", {{"sessions", json::array{f.ag1}}});
  auto welcome = f.ticket("welcome@example.org", {{"sessions", json::array{f.ag1}}});
  auto elsewhere = f.ticket("elsewhere@example.org", {{"sessions", json::array{f.ag2}}});
  auto gone = f.ticket("gone@example.org");
  auto pending = f.ticket("pending@example.org");
  {
    einlass::checkin::database db(f.s.db_path());
    db.exec("UPDATE registrations SET status = 'cancelled' WHERE email = 'gone@example.org'");
    db.exec("UPDATE registrations SET confirm_by = '2099-01-01 00:00:00' WHERE email = 'pending@example.org'");
  }
  EXPECT_EQ(result_of(f.scan(door, {{"code", inside}})), "ok");
  auto c = f.s.client();
  auto list = c.get("/api/v1/device/offline", bearer(door));
  ASSERT_EQ(list.status, 200) << list.body;
  auto const body = list.json();
  auto const& verdicts = body.at("verdicts").as_object();
  auto hash = [](std::string const& code) { return einlass::checkin::ticket_code_hash(code); };
  EXPECT_EQ(hash("A"), "559aead08264d5795d3909718cdd05ab");  // SHA-256("A"), as crypto.subtle.digest gives it
  std::map<std::string, std::string> expected{
      {hash(inside), "already_checked_in"}, {hash(gone), "cancelled"}, {hash(pending), "unconfirmed"}};
  std::map<std::string, std::string> got;
  for (auto const& [k, v] : verdicts) got[std::string(k)] = std::string(v.as_string());
  EXPECT_EQ(got, expected) << "the admissible ones (welcome, elsewhere) are not listed";
  for (auto const& [code, result] :
       {std::pair{gone, "cancelled"}, {pending, "unconfirmed"}, {inside, "already_checked_in"}})
    EXPECT_EQ(result_of(f.scan(door, {{"code", code}})), result);

  // A session's door: someone of another session is not on its list.
  auto session_list = c.get("/api/v1/device/offline", bearer(ag1_door)).json().at("verdicts").as_object();
  EXPECT_EQ(session_list.at(hash(elsewhere)), "not_on_list");
  EXPECT_FALSE(session_list.contains(hash(welcome)));
  EXPECT_FALSE(session_list.contains(hash(inside))) << "inside the event, not yet in the session";
  EXPECT_EQ(c.get("/api/v1/device/offline").status, 401);
}

TEST(Door, MalformedScansAre4xxDecidedOnesAre200) {
  door_fixture f;
  auto door = f.token("Eingang");
  auto c = f.s.client();
  EXPECT_EQ(c.post_json("/api/v1/checkins", json::object{{"nonce", "x"}}, bearer(door)).status, 422);
  EXPECT_EQ(c.post_json("/api/v1/checkins", json::object{{"code", "X"}, {"type", "sideways"}}, bearer(door)).status,
            422);
  EXPECT_EQ(c.post_json("/api/v1/checkins", json::object{{"code", "X"}, {"list", 999999}}, bearer(door)).status, 422);
  EXPECT_EQ(c.request("POST", "/api/v1/checkins", "{", {{"Authorization", "Bearer " + door}}).status, 400);
  EXPECT_EQ(c.post_json("/api/v1/checkins", json::object{{"code", "X"}}).status, 401);
  EXPECT_EQ(c.post_json("/api/v1/checkins", json::object{{"code", "X"}}, bearer("dev_nonsense")).status, 401);
}

TEST(Door, TheSameNonceAnswersTheSameAndRecordsNothingNew) {
  door_fixture f;
  auto door = f.token("Eingang");
  auto code = f.ticket("lena@example.org");
  auto first = f.scan(door, {{"code", code}, {"nonce", "n-1"}});
  auto replay = f.scan(door, {{"code", code}, {"nonce", "n-1"}});
  EXPECT_EQ(result_of(first), "ok");
  EXPECT_EQ(result_of(replay), "ok");
  EXPECT_EQ(replay.at("checkin_id"), first.at("checkin_id"));
  EXPECT_TRUE(replay.at("replayed").as_bool());
  EXPECT_EQ(f.count("SELECT count(*) FROM checkins"), 1);
  EXPECT_EQ(result_of(f.scan(door, {{"code", code}, {"nonce", "n-2"}})), "already_checked_in");
}

TEST(Door, FiftySimultaneousScansFromTenDevicesAdmitExactlyOnce) {
  door_fixture f;
  std::vector<std::string> tokens;
  for (int i = 0; i < 10; ++i) tokens.push_back(f.token("Tablet " + std::to_string(i)));
  auto code = f.ticket("lena@example.org");
  std::vector<http_client> clients;
  for (int i = 0; i < 50; ++i) clients.push_back(f.s.client());
  std::barrier start(50);
  std::mutex m;
  std::map<std::string, int> results;
  std::set<std::string> first_times, first_devices;
  std::vector<std::thread> threads;
  for (int i = 0; i < 50; ++i)
    threads.emplace_back([&, i] {
      auto body = json::object{{"code", code}, {"nonce", "scan-" + std::to_string(i)}};
      start.arrive_and_wait();
      auto r = clients[static_cast<std::size_t>(i)].post_json("/api/v1/checkins", body,
                                                              bearer(tokens[static_cast<std::size_t>(i % 10)]));
      auto o = r.json().as_object();
      std::lock_guard lock(m);
      ++results[result_of(o)];
      first_times.insert(json::serialize(o.at("first_checked_in_at")));
      first_devices.insert(std::string(o.at("device").as_string()));
    });
  for (auto& t : threads) t.join();
  EXPECT_EQ(results["ok"], 1);
  EXPECT_EQ(results["already_checked_in"], 49);
  EXPECT_EQ(first_times.size(), 1u);    // everyone is told the same first time
  EXPECT_EQ(first_devices.size(), 1u);  // and the same first device
  EXPECT_EQ(f.count("SELECT count(*) FROM attendance"), 1);
  EXPECT_EQ(f.count("SELECT count(*) FROM checkins"), 50);
}

TEST(Door, RevokedDeviceIs401AtOnce) {
  door_fixture f;
  auto d = f.add_device("Verloren");
  auto token = std::string(d.at("token").as_string());
  auto code = f.ticket("lena@example.org");
  auto c = f.s.client();
  EXPECT_EQ(c.get("/api/v1/device", bearer(token)).status, 200);
  auto revoked =
      c.request("DELETE", "/api/v1/events/forum/devices/" + std::to_string(d.at("id").as_int64()), {}, f.s.auth());
  EXPECT_EQ(revoked.status, 200);
  EXPECT_FALSE(revoked.json().at("revoked_at").is_null());
  EXPECT_EQ(c.post_json("/api/v1/checkins", json::object{{"code", code}}, bearer(token)).status, 401);
  EXPECT_EQ(c.get("/api/v1/device", bearer(token)).status, 401);
  // Its pairing code is gone too.
  EXPECT_EQ(c.post_json("/api/v1/devices/pair", json::object{{"code", d.at("pairing_code")}}).status, 404);
}

TEST(Door, DevicesMayDoNothingElse) {
  door_fixture f;
  auto door = f.token("Eingang");
  auto c = f.s.client();
  EXPECT_EQ(c.post_json("/api/v1/events", event_spec("neu"), bearer(door)).status, 403);
  EXPECT_EQ(c.post_json("/api/v1/events/forum/devices", json::object{{"name", "X"}}, bearer(door)).status, 403);
  EXPECT_EQ(c.get("/api/v1/events/forum/devices", bearer(door)).status, 403);
  EXPECT_EQ(c.request("DELETE", "/api/v1/events/forum/devices/1", {}, bearer(door)).status, 403);
  // And organisers are not devices.
  EXPECT_EQ(c.post_json("/api/v1/checkins", json::object{{"code", "X"}}, f.s.auth()).status, 403);
  EXPECT_EQ(c.get("/api/v1/device/search?q=Lena", f.s.auth()).status, 403);
}

TEST(Door, AnotherOrganisersEventIsForbidden) {
  door_fixture f;
  std::string stranger;
  {
    einlass::checkin::database db(f.s.db_path());
    auto u = einlass::checkin::upsert_user(db, "fremd@example.org", "organiser", "another long password");
    stranger = einlass::checkin::create_api_token(db, u.id);
  }
  auto c = f.s.client();
  EXPECT_EQ(c.post_json("/api/v1/events/forum/devices", json::object{{"name", "X"}}, bearer(stranger)).status, 403);
  EXPECT_EQ(c.get("/api/v1/events/forum/devices", bearer(stranger)).status, 403);
}

TEST(Door, ADeviceOfAnotherEventGetsWrongEvent) {
  door_fixture f;
  f.s.create_event(event_spec("zweites"));
  auto other_door = std::string(f.add_device("Zweites", "event", "zweites").at("token").as_string());
  auto code = f.ticket("lena@example.org");
  EXPECT_EQ(result_of(f.scan(other_door, {{"code", code}})), "wrong_event");
  auto c = f.s.client();
  auto hits = c.get("/api/v1/device/search?q=Lena", bearer(other_door)).json();
  EXPECT_TRUE(hits.at("results").as_array().empty());
}

TEST(Door, UndoReversesOnlyThisDevicesLastAdmission) {
  door_fixture f;
  auto door = f.token("Eingang");
  auto other = f.token("Andere Tür");
  auto code = f.ticket("lena@example.org");
  auto ok = f.scan(door, {{"code", code}});
  auto id = std::to_string(ok.at("checkin_id").as_int64());
  auto c = f.s.client();
  EXPECT_EQ(c.request("POST", "/api/v1/checkins/" + id + "/undo", {}, bearer(other)).status, 404);
  auto undone = c.request("POST", "/api/v1/checkins/" + id + "/undo", {}, bearer(door));
  ASSERT_EQ(undone.status, 200) << undone.body;
  EXPECT_EQ(undone.json().at("result"), "undone");
  EXPECT_EQ(f.count("SELECT count(*) FROM attendance"), 0);
  EXPECT_EQ(c.request("POST", "/api/v1/checkins/" + id + "/undo", {}, bearer(door)).status, 404);
  EXPECT_EQ(result_of(f.scan(door, {{"code", code}})), "ok");  // admitted again after the undo
}

TEST(Door, NameSearchNeedsThreeCharactersAndReturnsAHandful) {
  door_fixture f;
  auto door = f.token("Eingang");
  for (int i = 0; i < 12; ++i)
    f.ticket("s" + std::to_string(i) + "@example.org", {{"last_name", "Schmidt-" + std::to_string(i)}});
  f.ticket("amina@example.org", {{"first_name", "Amina"}, {"last_name", "Haddad"}, {"organisation", "IHK zu Leipzig"}});
  auto c = f.s.client();
  auto short_q = c.get("/api/v1/device/search?q=Sc", bearer(door));
  EXPECT_EQ(short_q.status, 422);
  EXPECT_EQ(short_q.json().at("error").at("fields").as_array()[0].at("code"), "too_short");
  auto many = c.get("/api/v1/device/search?q=Schmidt", bearer(door)).json();
  EXPECT_EQ(many.at("results").as_array().size(), 8u);
  auto by_org = c.get("/api/v1/device/search?q=ihk%20zu", bearer(door)).json();
  ASSERT_EQ(by_org.at("results").as_array().size(), 1u);
  auto id = by_org.at("results").as_array()[0].at("id").as_int64();
  EXPECT_EQ(result_of(f.scan(door, {{"registration_id", id}})), "ok");
  auto after = c.get("/api/v1/device/search?q=Amina", bearer(door)).json();
  EXPECT_TRUE(after.at("results").as_array()[0].at("inside").as_bool());
  EXPECT_EQ(c.get("/api/v1/device/search?q=%25%25%25", bearer(door)).json().at("results").as_array().size(), 0u);
}

TEST(Door, WalkInsRegisterAndCheckInWithinCapacity) {
  door_fixture f;
  f.s.create_event(event_spec("klein", {{"capacity", 1}, {"waitlist", true}}));
  auto door = std::string(f.add_device("Tür", "event", "klein").at("token").as_string());
  auto c = f.s.client();
  auto walkin = json::object{{"first_name", "Nour"},
                             {"last_name", "Saleh"},
                             {"organisation", "Bildungsträger"},
                             {"organisation_type", "education_provider"},
                             {"consent", true}};
  auto r = c.post_json("/api/v1/device/walkins", walkin, bearer(door));
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_EQ(r.json().at("result"), "ok");
  EXPECT_EQ(r.json().at("attendee").at("last_name"), "Saleh");
  EXPECT_TRUE(r.json().at("ticket").at("code").as_string().size() == 140);
  walkin["first_name"] = "Zweite";
  auto full = c.post_json("/api/v1/device/walkins", walkin, bearer(door));
  EXPECT_EQ(full.status, 409);
  EXPECT_EQ(full.json().at("error").at("code"), "event_full");
  walkin.erase("consent");
  auto no_consent = c.post_json("/api/v1/device/walkins", walkin, bearer(door));
  EXPECT_EQ(no_consent.status, 422);
  EXPECT_EQ(f.count("SELECT count(*) FROM registrations r JOIN events e ON e.id = r.event_id WHERE e.slug = 'klein'"),
            1);
}

TEST(Door, PagesAreServedInEachLanguage) {
  door_fixture f;
  auto c = f.s.client();
  auto page = c.get("/checkin?lang=ar");
  EXPECT_EQ(page.status, 200);
  EXPECT_NE(page.body.find("<html lang=\"ar\" dir=\"rtl\">"), std::string::npos);
  EXPECT_NE(page.body.find("/assets/checkin.js"), std::string::npos);
  EXPECT_EQ(c.get("/assets/vendor/jsQR.js").status, 200);
  EXPECT_EQ(c.get("/assets/scan-worker.js").status, 200);
  EXPECT_EQ(c.get("/checkin/pair/not-a-code!").status, 404);
}

// Issue 13: a handheld scanner set to another keyboard layout swaps Y and Z, or sends lower
// case; the signature tells the genuine reading, and the ticket is admitted as it is.
TEST(Door, ACodeInLowerCaseOrWithYAndZSwappedIsTheTicket) {
  door_fixture f;
  auto dev = f.token("Eingang");
  auto swap_yz = [](std::string code) {
    for (auto& c : code)
      if (c == 'Y' || c == 'Z') c = c == 'Y' ? 'Z' : 'Y';
    return code;
  };
  auto lower = [](std::string code) {
    for (auto& c : code) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return code;
  };
  auto code = f.ticket("anna@example.org");
  auto a = f.scan(dev, json::object{{"code", lower(code)}});
  EXPECT_EQ(result_of(a), "ok");
  EXPECT_EQ(a.at("attendee").at("first_name"), "Lena");
  // 140 characters of base32 hold a Y or a Z but for one ticket in about 10^4: take one that does.
  std::string swapped_code;
  for (int i = 0; i < 20 && swapped_code.empty(); ++i) {
    auto c = f.ticket("k" + std::to_string(i) + "@example.org");
    if (c.find_first_of("YZ") != std::string::npos) swapped_code = c;
  }
  ASSERT_FALSE(swapped_code.empty());
  EXPECT_EQ(result_of(f.scan(dev, json::object{{"code", swap_yz(swapped_code)}})), "ok");
  EXPECT_EQ(result_of(f.scan(dev, json::object{{"code", lower(swap_yz(swapped_code))}})), "already_checked_in");
  // The ticket page and the calendar find it as well.
  EXPECT_EQ(f.s.client().get("/t/" + lower(swap_yz(swapped_code))).status, 200);
  // A code that is neither stays unknown.
  auto forged = swapped_code;
  forged[20] = forged[20] == 'A' ? 'B' : 'A';
  EXPECT_EQ(result_of(f.scan(dev, json::object{{"code", forged}})), "unknown_ticket");
}

// A scan queued while offline keeps the tablet's time of it, no earlier than the device's
// pairing and no later than the server's now; a time that is not one is a 422 in the language.
TEST(Door, AnOfflineScanKeepsItsTimeWithinPairingAndNow) {
  door_fixture f;
  auto dev = f.add_device("Eingang");
  auto token = std::string(dev.at("token").as_string());
  auto created = einlass::checkin::parse_iso8601(dev.at("created_at").as_string(), "UTC");
  ASSERT_TRUE(created);
  auto code = f.ticket("anna@example.org");
  auto scanned_at = [](std::chrono::system_clock::time_point t) {
    return einlass::checkin::to_iso8601(std::chrono::floor<std::chrono::seconds>(t), "UTC");
  };
  auto now = std::chrono::system_clock::now();
  // An hour before the device existed: the device's creation time.
  auto early = f.scan(token, json::object{{"code", code}, {"scanned_at", scanned_at(now - std::chrono::hours(1))}});
  EXPECT_EQ(result_of(early), "ok");
  auto at = einlass::checkin::parse_iso8601(early.at("checked_in_at").as_string(), "UTC");
  ASSERT_TRUE(at);
  EXPECT_EQ(*at, *created);
  // A clock an hour ahead: the server's now.
  auto code2 = f.ticket("ben@example.org");
  auto late = f.scan(token, json::object{{"code", code2}, {"scanned_at", scanned_at(now + std::chrono::hours(1))}});
  auto late_at = einlass::checkin::parse_iso8601(late.at("checked_in_at").as_string(), "UTC");
  ASSERT_TRUE(late_at);
  EXPECT_LE(*late_at, std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now()));
  EXPECT_EQ(f.count("SELECT count(*) FROM checkins WHERE received_at IS NOT NULL"), 2);

  auto c = f.s.client();
  auto h = bearer(token);
  h.emplace_back("Accept-Language", "de");
  auto bad = c.post_json("/api/v1/checkins", json::object{{"code", code2}, {"scanned_at", "gestern"}}, h);
  ASSERT_EQ(bad.status, 422) << bad.body;
  auto error = bad.json();
  EXPECT_EQ(error.at("error").at("fields").as_array()[0].at("field"), "scanned_at");
  EXPECT_EQ(std::string(error.at("error").at("fields").as_array()[0].at("message").as_string()),
            "Bitte geben Sie Datum und Uhrzeit im Format JJJJ-MM-TTTHH:MM an.");
}

// Two tablets admitted one ticket while offline: exactly one admission, the second scan a
// conflict that the tablet is told of, the stats count and the list names both devices and
// times; the checkins export marks it. Nothing is merged.
TEST(Door, TwoDoorsOfflineAdmittingOneTicketAreOneAdmissionAndOneConflict) {
  door_fixture f;
  auto north = f.token("Eingang Nord");
  auto south = f.token("Eingang Süd");
  auto code = f.ticket("anna@example.org");
  auto other = f.ticket("ben@example.org");
  auto now = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
  auto offline = [&](std::string const& c, std::string const& nonce, std::chrono::seconds ago) {
    return json::object{{"code", c},
                        {"nonce", nonce},
                        {"admitted_offline", true},
                        {"scanned_at", einlass::checkin::to_iso8601(now - ago, "UTC")}};
  };
  // South synced first, though North scanned earlier.
  auto first = f.scan(south, offline(code, "s1", std::chrono::seconds(0)));
  EXPECT_EQ(result_of(first), "ok");
  EXPECT_FALSE(first.at("conflict").as_bool());
  auto second = f.scan(north, offline(code, "n1", std::chrono::seconds(0)));
  EXPECT_EQ(result_of(second), "already_checked_in");
  EXPECT_TRUE(second.at("conflict").as_bool());
  EXPECT_EQ(second.at("device"), "Eingang Süd");
  // Sent again (the answer was lost): the same answer, still one conflict.
  EXPECT_TRUE(f.scan(north, offline(code, "n1", std::chrono::seconds(0))).at("conflict").as_bool());
  // Not conflicts: the same door twice, a door online, a door offline that did not admit.
  EXPECT_EQ(result_of(f.scan(north, offline(other, "n2", std::chrono::seconds(0)))), "ok");
  EXPECT_FALSE(f.scan(north, offline(other, "n3", std::chrono::seconds(0))).at("conflict").as_bool());
  EXPECT_FALSE(f.scan(south, json::object{{"code", other}}).at("conflict").as_bool());
  auto refused = offline(other, "s2", std::chrono::seconds(0));
  refused["admitted_offline"] = false;
  EXPECT_FALSE(f.scan(south, refused).at("conflict").as_bool());

  EXPECT_EQ(f.count("SELECT count(*) FROM attendance"), 2);
  auto c = f.s.client();
  auto stats = c.get("/api/v1/events/forum/stats", f.s.auth());
  ASSERT_EQ(stats.status, 200);
  EXPECT_EQ(stats.json().at("offline_conflicts"), 1);
  EXPECT_EQ(stats.json().at("checked_in"), 2);
  auto list = c.get("/api/v1/events/forum/conflicts", f.s.auth());
  ASSERT_EQ(list.status, 200) << list.body;
  auto body = list.json();
  auto const& conflicts = body.at("conflicts").as_array();
  ASSERT_EQ(conflicts.size(), 1u);
  auto const& one = conflicts[0].as_object();
  EXPECT_EQ(std::string(one.at("ticket").as_string()), code);
  EXPECT_EQ(one.at("last_name"), "Schmidt");
  EXPECT_EQ(one.at("devices"), (json::array{"Eingang Süd", "Eingang Nord"}));
  EXPECT_EQ(one.at("at").as_array().size(), 2u);
  // A device may not read it.
  EXPECT_EQ(c.get("/api/v1/events/forum/conflicts", bearer(north)).status, 403);
  // The exports: the figure in the statistics, and in the check-ins sheet when each offline
  // scan arrived and which one was the conflict (read back with openpyxl).
  auto stats_csv = c.get("/api/v1/events/forum/stats.csv", f.s.auth());
  EXPECT_NE(stats_csv.body.find("Doppelt eingelassen (offline);1"), std::string::npos) << stats_csv.body;
  temp_dir dir;
  auto xlsx = c.get("/api/v1/events/forum/attendees.xlsx", f.s.auth());
  ASSERT_EQ(xlsx.status, 200);
  auto book = dir.file("a.xlsx");
  std::ofstream(book, std::ios::binary) << xlsx.body;
  auto rows = python(R"(
import json, sys, openpyxl
ws = openpyxl.load_workbook(sys.argv[1])['Check-ins']
print(json.dumps([[c.value if isinstance(c.value, (str, int)) or c.value is None else str(c.value) for c in row]
                  for row in ws.iter_rows()]))
)",
                     {book});
  auto const& head = rows.as_array()[0].as_array();
  ASSERT_EQ(head.size(), 13u);  // then who corrected it by hand, and why
  EXPECT_EQ(head[9], "Übertragen um");
  EXPECT_EQ(head[10], "Doppelt eingelassen");
  std::size_t marked = 0, received = 0;
  for (std::size_t i = 1; i < rows.as_array().size(); ++i) {
    auto const& row = rows.as_array()[i].as_array();
    if (row[10] == "ja") ++marked;
    if (!row[9].is_null()) ++received;
  }
  EXPECT_EQ(marked, 1u);
  EXPECT_EQ(received, 5u);  // each scan sent with scanned_at (the repeated nonce recorded nothing new)
}

// Issue 13: door and workspace search ignore case and accents in every script and take Arabic
// spelling variants as one (checkin/fold.hpp).
TEST(Door, SearchFindsPeopleAsPeopleWriteNames) {
  door_fixture f;
  auto dev = f.token("Eingang");
  f.ticket("u@example.org", {{"first_name", "Jürgen"}, {"last_name", "Übermuth"}});
  f.ticket("m@example.org", {{"first_name", "Karl"}, {"last_name", "Müller"}});
  f.ticket("o@example.org", {{"first_name", "Ayşe"}, {"last_name", "Öztürk"}});
  f.ticket("a@example.org", {{"first_name", "فاطمة"}, {"last_name", "أحمد"}});
  auto c = f.s.client();
  auto door = [&](std::string const& q) {
    auto r = c.get("/api/v1/device/search?q=" + einlass::test::url_encode(q), bearer(dev));
    std::vector<std::string> names;
    auto body = r.json();
    for (auto const& p : body.at("results").as_array()) names.emplace_back(p.at("last_name").as_string());
    return names;
  };
  auto workspace = [&](std::string const& q) {
    auto r = c.get("/api/v1/events/forum/attendees?q=" + einlass::test::url_encode(q), f.s.auth());
    auto body = r.json();
    return body.at("attendees").as_array().size();
  };
  using names = std::vector<std::string>;
  EXPECT_EQ(door("übermuth"), names{"Übermuth"});
  EXPECT_EQ(door("UBERMUTH"), names{"Übermuth"});
  EXPECT_EQ(door("muller"), names{"Müller"});
  EXPECT_EQ(door("öztürk"), names{"Öztürk"});
  EXPECT_EQ(door("ozturk"), names{"Öztürk"});
  EXPECT_EQ(door("ayse"), names{"Öztürk"});
  EXPECT_EQ(door("فاطمه"), names{"أحمد"});  // taa marbuta typed as haa
  EXPECT_EQ(door("احمد"), names{"أحمد"});   // alef without hamza
  EXPECT_EQ(door("مُحَمَّد"), names{});         // diacritics alone find nobody else
  EXPECT_EQ(workspace("muller"), 1u);
  EXPECT_EQ(workspace("Übermuth"), 1u);
  EXPECT_EQ(workspace("فاطمه احمد"), 1u);
  EXPECT_EQ(workspace("m@example.org"), 1u);
  // A change of name is searchable at once.
  auto list = c.get("/api/v1/events/forum/attendees?q=muller", f.s.auth()).json();
  auto id = list.at("attendees").as_array()[0].at("id").as_int64();
  auto h = f.s.auth();
  h.emplace_back("Content-Type", "application/json");
  ASSERT_EQ(c.request("PATCH", "/api/v1/events/forum/attendees/" + std::to_string(id),
                      json::serialize(json::object{{"last_name", "Mößner"}}), h)
                .status,
            200);
  EXPECT_EQ(door("mossner"), names{"Mößner"});
  EXPECT_EQ(door("muller"), names{});
}
