#include "checkin/checkins.hpp"

#include "checkin/attendees.hpp"
#include "checkin/crypto.hpp"
#include "checkin/devices.hpp"
#include "tests/support/fixtures.hpp"

#include <gtest/gtest.h>

using namespace einlass::checkin;
using namespace einlass::test;
namespace json = boost::json;

namespace {

// An event with one working group, two door devices (whole event; the group only) and people.
struct door : db_fixture {
  event e = make_event(event_spec(
      "tuer",
      {{"capacity", 2}, {"waitlist", true}, {"sessions", json::array{json::object{{"title", "AG Anerkennung"}}}}}));
  std::int64_t group = e.sessions.at(0).id;
  device foyer = add_device("Foyer", 0);
  device room = add_device("Raum 2", group);

  device add_device(std::string name, std::int64_t list) {
    transaction tx(db);
    auto d = create_device(db, e.id, std::move(name), list, now());
    tx.commit();
    return d->dev;
  }
  registration add(std::string const& email, json::object extra = {}) {
    auto r = register_json(*find_event(db, e.id), person(email, std::move(extra)));
    if (!r) throw std::runtime_error("registration failed");
    return *r;
  }
  // One scan as the server makes it: looked up on a reader, decided on the writer.
  scan_outcome scan(device const& d, std::string code, std::string type = "entry", std::string nonce = {}) {
    scan_request req{
        d,    std::move(code), std::nullopt, d.list_id, std::move(type), std::move(nonce), std::nullopt, std::nullopt,
        false};
    prepare_scan(db, req);
    transaction tx(db);
    auto out = record_scan(db, req, now());
    tx.commit();
    return out;
  }
};

}  // namespace

TEST(Checkins, FirstScanAdmitsTheSecondSaysWhenAndWhere) {
  door f;
  auto a = f.add("a@example.org");
  auto first = f.scan(f.foyer, a.ticket_code);
  EXPECT_EQ(first.result, scan_result::ok);
  ASSERT_TRUE(first.attendee);
  EXPECT_EQ(first.attendee->last_name, "Schmidt");
  auto again = f.scan(f.foyer, a.ticket_code);
  EXPECT_EQ(again.result, scan_result::already_checked_in);
  EXPECT_EQ(again.first_device, "Foyer");
  EXPECT_TRUE(again.first_checked_in_at);
  EXPECT_EQ(count_list(f.db, f.e.id, 0).checked_in, 1);
}

TEST(Checkins, RefusalsNameTheReason) {
  door f;
  f.add("a@example.org");
  f.add("b@example.org");
  auto waiting = f.add("c@example.org");  // the event holds two
  ASSERT_EQ(waiting.status, reg_status::waitlisted);
  EXPECT_EQ(f.scan(f.foyer, waiting.ticket_code).result, scan_result::waitlisted);
  EXPECT_EQ(f.scan(f.foyer, "NOTATICKET").result, scan_result::unknown_ticket);

  auto gone = f.add("d@example.org");
  {
    transaction tx(f.db);
    ASSERT_TRUE(cancel_registration(f.db, *find_event(f.db, f.e.id), gone.id, now()));
    tx.commit();
  }
  EXPECT_EQ(f.scan(f.foyer, gone.ticket_code).result, scan_result::cancelled);
}

TEST(Checkins, AWorkingGroupsDoorAdmitsItsOwnOnly) {
  door f;
  auto in_group = f.add("a@example.org", {{"sessions", json::array{f.group}}});
  auto not_in_group = f.add("b@example.org");
  EXPECT_EQ(f.scan(f.room, not_in_group.ticket_code).result, scan_result::not_on_list);
  EXPECT_EQ(f.scan(f.room, in_group.ticket_code).result, scan_result::ok);
  // The group's admission is its own: the event's door still admits the person once.
  EXPECT_EQ(f.scan(f.foyer, in_group.ticket_code).result, scan_result::ok);
}

TEST(Checkins, ATicketOfAnotherEventIsWrongEventWithoutAName) {
  door f;
  auto other = f.make_event(event_spec("anderswo"));
  auto r = f.register_json(other, person("x@example.org"));
  ASSERT_TRUE(r);
  auto out = f.scan(f.foyer, r->ticket_code);
  EXPECT_EQ(out.result, scan_result::wrong_event);
  EXPECT_FALSE(out.attendee);
}

TEST(Checkins, ExitAndReentryAreCountedAsPresence) {
  door f;
  auto a = f.add("a@example.org");
  EXPECT_EQ(f.scan(f.foyer, a.ticket_code, "exit").result, scan_result::not_inside);
  EXPECT_EQ(f.scan(f.foyer, a.ticket_code).result, scan_result::ok);
  EXPECT_EQ(count_list(f.db, f.e.id, 0).inside, 1);
  EXPECT_EQ(f.scan(f.foyer, a.ticket_code, "exit").result, scan_result::checked_out);
  EXPECT_EQ(count_list(f.db, f.e.id, 0).inside, 0);
  EXPECT_EQ(f.scan(f.foyer, a.ticket_code).result, scan_result::ok);  // back in
  EXPECT_EQ(count_list(f.db, f.e.id, 0).checked_in, 1);
}

TEST(Checkins, ARepeatedNonceAnswersTheRecordedResultAndRecordsNothing) {
  door f;
  auto a = f.add("a@example.org");
  auto first = f.scan(f.foyer, a.ticket_code, "entry", "tablet-1-0001");
  auto replay = f.scan(f.foyer, a.ticket_code, "entry", "tablet-1-0001");
  EXPECT_EQ(first.result, scan_result::ok);
  EXPECT_EQ(replay.result, scan_result::ok);
  EXPECT_TRUE(replay.replayed);
  EXPECT_EQ(replay.checkin_id, first.checkin_id);
  EXPECT_EQ(f.db.query_one<std::int64_t>("SELECT count(*) FROM checkins"), 1);
}

TEST(Checkins, UndoTakesTheAdmissionBack) {
  door f;
  auto a = f.add("a@example.org");
  auto in = f.scan(f.foyer, a.ticket_code);
  transaction tx(f.db);
  auto undone = undo_scan(f.db, f.foyer, in.checkin_id, now());
  tx.commit();
  ASSERT_TRUE(undone);
  EXPECT_EQ(undone->result, scan_result::undone);
  EXPECT_EQ(count_list(f.db, f.e.id, 0).checked_in, 0);
  EXPECT_EQ(f.scan(f.foyer, a.ticket_code).result, scan_result::ok);
}

TEST(Checkins, OfflineVerdictsListWhatTheDoorMustRefuseOrWarnAbout) {
  door f;
  f.add("a@example.org");
  auto inside = f.add("b@example.org");
  auto waiting = f.add("c@example.org");
  (void)f.scan(f.foyer, inside.ticket_code);
  std::map<std::string, scan_result> v;
  for (auto const& o : offline_verdicts(f.db, f.e.id, 0)) v[o.code_hash] = o.result;
  EXPECT_EQ(v.size(), 2u);  // the one still expected is admitted by signature, not listed
  EXPECT_EQ(v.at(ticket_code_hash(inside.ticket_code)), scan_result::already_checked_in);
  EXPECT_EQ(v.at(ticket_code_hash(waiting.ticket_code)), scan_result::waitlisted);
}

TEST(Checkins, ResultNamesRoundTrip) {
  for (auto name : scan_results) {
    auto r = scan_result_from_string(name);
    ASSERT_TRUE(r) << name;
    EXPECT_EQ(to_string(*r), name);
  }
  EXPECT_FALSE(scan_result_from_string("admitted"));
  for (auto s : {reg_status::confirmed, reg_status::waitlisted, reg_status::cancelled, reg_status::unconfirmed})
    EXPECT_EQ(reg_status_from_string(to_string(s)), s);
}
