#include "checkin/attendees.hpp"

#include "checkin/certificates.hpp"
#include "checkin/checkins.hpp"
#include "checkin/devices.hpp"
#include "checkin/feedback.hpp"
#include "checkin/paperwork.hpp"
#include "tests/support/fixtures.hpp"

#include <gtest/gtest.h>

using namespace einlass::checkin;
using namespace einlass::test;
namespace json = boost::json;

namespace {

struct people : db_fixture {
  event e;
  explicit people(json::object overrides) : e(make_event(event_spec("forum", std::move(overrides)))) {}

  registration add(std::string const& email, json::object extra = {}) {
    auto r = register_json(reload(), person(email, std::move(extra)));
    if (!r) throw std::runtime_error("registration failed: " + std::string(to_string(r.error().code)));
    return *r;
  }
  event reload() { return e = *find_event(db, e.id); }
  reg_status status_of(std::int64_t id) { return find_registration(db, e.id, id)->status; }

  template <class F>
  auto in_tx(F&& f) {
    transaction tx(db);
    auto r = f(reload());
    tx.commit();
    return r;
  }
};

json::object two_groups() {
  return {{"capacity", 3},
          {"waitlist", true},
          {"sessions", json::array{json::object{{"title", "AG Ausbildung"}, {"capacity", 1}},
                                   json::object{{"title", "AG Anerkennung"}}}}};
}

}  // namespace

TEST(Attendees, CancellingPromotesTheWaitingListInOrder) {
  people f(two_groups());
  auto a = f.add("a@example.org");
  f.add("b@example.org");
  f.add("c@example.org");
  auto d = f.add("d@example.org");
  auto w2 = f.add("e@example.org");
  EXPECT_EQ(d.status, reg_status::waitlisted);
  EXPECT_EQ(w2.status, reg_status::waitlisted);

  auto done = f.in_tx([&](event const& e) { return cancel_registration(f.db, e, a.id, now()); });
  ASSERT_TRUE(done);
  EXPECT_EQ(done->reg.status, reg_status::cancelled);
  ASSERT_EQ(done->promoted, (std::vector<std::int64_t>{d.id}));  // the first to wait, only one seat
  EXPECT_EQ(f.status_of(d.id), reg_status::confirmed);
  EXPECT_EQ(f.status_of(w2.id), reg_status::waitlisted);
  EXPECT_EQ(f.reload().confirmed, 3);
}

TEST(Attendees, SomeoneWhoseSessionIsFullKeepsWaitingAndTheNextMovesUp) {
  people f(two_groups());
  auto sessions = f.e.sessions;
  f.add("a@example.org", {{"sessions", json::array{sessions[0].id}}});  // takes the one seat of AG 1
  auto b = f.add("b@example.org");
  f.add("c@example.org");
  auto wants_full = f.add("d@example.org", {{"sessions", json::array{sessions[0].id}}});
  auto next = f.add("e@example.org", {{"sessions", json::array{sessions[1].id}}});
  ASSERT_EQ(wants_full.status, reg_status::waitlisted);

  // b leaves: d waits for AG 1 (still taken by a), so e gets the seat.
  auto done = f.in_tx([&](event const& e) { return cancel_registration(f.db, e, b.id, now()); });
  ASSERT_TRUE(done);
  EXPECT_EQ(done->promoted, (std::vector<std::int64_t>{next.id}));
  EXPECT_EQ(f.status_of(wants_full.id), reg_status::waitlisted);
}

TEST(Attendees, RestoreTakesAFreeSeatOrTheWaitingList) {
  people f(two_groups());
  auto a = f.add("a@example.org");
  f.in_tx([&](event const& e) { return cancel_registration(f.db, e, a.id, now()); });
  f.add("b@example.org");
  f.add("c@example.org");
  auto r = f.in_tx([&](event const& e) { return restore_registration(f.db, e, a.id, now()); });
  ASSERT_TRUE(r);
  EXPECT_EQ(r->reg.status, reg_status::confirmed);
  f.add("d@example.org");                                                              // now full: d waits
  f.in_tx([&](event const& e) { return cancel_registration(f.db, e, a.id, now()); });  // d moves up
  r = f.in_tx([&](event const& e) { return restore_registration(f.db, e, a.id, now()); });
  ASSERT_TRUE(r);
  EXPECT_EQ(r->reg.status, reg_status::waitlisted);
}

TEST(Attendees, RestoreIsRefusedWhenTheAddressRegisteredAgain) {
  people f(two_groups());
  auto a = f.add("a@example.org");
  f.in_tx([&](event const& e) { return cancel_registration(f.db, e, a.id, now()); });
  f.add("A@example.org");
  auto r = f.in_tx([&](event const& e) { return restore_registration(f.db, e, a.id, now()); });
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, errc::already_registered);
}

TEST(Attendees, ConfirmingFromTheWaitingListNeedsASeat) {
  people f(two_groups());
  for (auto who : {"a", "b", "c"}) f.add(std::string(who) + "@example.org");
  auto w = f.add("w@example.org");
  auto r = f.in_tx([&](event const& e) { return confirm_waitlisted(f.db, e, w.id, now()); });
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, errc::event_full);
}

TEST(Attendees, EditingChecksFieldsAndSessionSeats) {
  people f(two_groups());
  auto sessions = f.e.sessions;
  f.add("a@example.org", {{"sessions", json::array{sessions[0].id}}});
  auto b = f.add("b@example.org");

  registration_input in;
  in.first_name = "Bea";
  in.last_name = "Yılmaz";
  in.email = "b@example.org";
  in.organisation = "Handwerkskammer";
  in.organisation_type = "chamber";
  in.sessions = {sessions[0].id};
  auto full = f.in_tx([&](event const& e) { return update_registration(f.db, e, b.id, in, now()); });
  ASSERT_FALSE(full);
  EXPECT_EQ(full.error().code, errc::session_full);

  in.sessions = {sessions[1].id};
  in.email = "not an address";
  auto bad = f.in_tx([&](event const& e) { return update_registration(f.db, e, b.id, in, now()); });
  ASSERT_FALSE(bad);
  EXPECT_EQ(faults(bad), (std::vector<std::string>{"email:invalid_email"}));

  in.email = "a@example.org";
  auto twin = f.in_tx([&](event const& e) { return update_registration(f.db, e, b.id, in, now()); });
  ASSERT_FALSE(twin);
  EXPECT_EQ(twin.error().code, errc::already_registered);

  in.email = "bea@example.org";
  auto ok = f.in_tx([&](event const& e) { return update_registration(f.db, e, b.id, in, now()); });
  ASSERT_TRUE(ok);
  EXPECT_EQ(ok->last_name, "Yılmaz");
  EXPECT_EQ(ok->sessions, (std::vector<std::int64_t>{sessions[1].id}));
  EXPECT_EQ(f.reload().sessions[1].confirmed, 1);
}

TEST(Attendees, ListFiltersAndCountsWithoutAQueryPerPerson) {
  people f(two_groups());
  auto sessions = f.e.sessions;
  f.add("a@example.org",
        {{"last_name", "Abel"}, {"organisation_type", "company"}, {"sessions", json::array{sessions[1].id}}});
  f.add("b@example.org", {{"last_name", "Özdemir"}});
  f.add("c@example.org", {{"last_name", "Chen"}, {"organisation", "IHK 100%"}});
  f.add("d@example.org", {{"last_name", "Dahl"}});

  auto all = list_attendees(f.db, f.e.id, {});
  EXPECT_EQ(all.total, 4);
  ASSERT_EQ(all.rows.size(), 4u);
  EXPECT_EQ(all.rows.front().reg.last_name, "Abel");  // by last name
  EXPECT_EQ(all.rows.front().reg.sessions, (std::vector<std::int64_t>{sessions[1].id}));

  attendee_filter waiting;
  waiting.status = reg_status::waitlisted;
  EXPECT_EQ(list_attendees(f.db, f.e.id, waiting).total, 1);
  attendee_filter by_session;
  by_session.session_id = sessions[1].id;
  EXPECT_EQ(list_attendees(f.db, f.e.id, by_session).total, 1);
  attendee_filter by_type;
  by_type.organisation_type = "company";
  EXPECT_EQ(list_attendees(f.db, f.e.id, by_type).total, 1);
  attendee_filter search;
  search.q = "Özdem";
  EXPECT_EQ(list_attendees(f.db, f.e.id, search).total, 1);
  search.q = "100%";  // a literal percent sign, not a wildcard
  EXPECT_EQ(list_attendees(f.db, f.e.id, search).total, 1);
  search.q = "0%";
  EXPECT_EQ(list_attendees(f.db, f.e.id, search).total, 1);
  attendee_filter page;
  page.limit = 2;
  page.offset = 2;
  auto second = list_attendees(f.db, f.e.id, page);
  EXPECT_EQ(second.total, 4);
  ASSERT_EQ(second.rows.size(), 2u);
  EXPECT_EQ(second.rows[0].reg.last_name, "Dahl");
}

TEST(Attendees, CheckedInFilterAndNoShows) {
  people f(two_groups());
  auto a = f.add("a@example.org");
  f.add("b@example.org");
  transaction tx(f.db);
  auto dev = create_device(f.db, f.e.id, "Foyer", 0, now());
  scan_request s{dev->dev, a.ticket_code, std::nullopt, 0, "entry", "n1", std::nullopt, std::nullopt, false};
  prepare_scan(f.db, s);
  EXPECT_EQ(record_scan(f.db, s, now()).result, scan_result::ok);
  tx.commit();
  attendee_filter came;
  came.checked_in = true;
  auto page = list_attendees(f.db, f.e.id, came);
  ASSERT_EQ(page.total, 1);
  EXPECT_TRUE(page.rows[0].checked_in_at);
  EXPECT_TRUE(page.rows[0].inside);
  attendee_filter no_show;
  no_show.status = reg_status::confirmed;
  no_show.checked_in = false;
  EXPECT_EQ(list_attendees(f.db, f.e.id, no_show).total, 1);
}

TEST(Attendees, AnonymisingKeepsCountsAndDropsEveryPersonalField) {
  people f(two_groups());
  auto a = f.add("a@example.org", {{"phone", "+49 341 1234"}, {"organisation_type", "company"}});
  transaction tx(f.db);
  EXPECT_TRUE(anonymise_registration(f.db, f.e.id, a.id, now()));
  EXPECT_FALSE(anonymise_registration(f.db, f.e.id, a.id, now()));  // once
  tx.commit();
  auto r = find_registration(f.db, f.e.id, a.id);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->first_name + r->last_name + r->email + r->organisation + r->phone, "");
  EXPECT_EQ(r->organisation_type, "company");
  EXPECT_EQ(r->status, reg_status::confirmed);
  EXPECT_FALSE(find_registration(f.db, a.ticket_code));  // the ticket no longer opens anything
  EXPECT_EQ(f.reload().confirmed, 1);
  // The address is free again.
  f.add("a@example.org");
}

TEST(Attendees, PersonalDataIsPurgedAfterTheRetentionPeriodOnly) {
  people f({{"retention_days", 30}});
  f.add("a@example.org");
  auto ends = f.e.ends_at;
  transaction tx(f.db);
  EXPECT_TRUE(purge_expired_personal_data(f.db, ends + std::chrono::days(29)).empty());
  EXPECT_EQ(purge_expired_personal_data(f.db, ends + std::chrono::days(30)), (std::vector<std::int64_t>{f.e.id}));
  EXPECT_TRUE(purge_expired_personal_data(f.db, ends + std::chrono::days(31)).empty());  // done once
  tx.commit();
  auto page = list_attendees(f.db, f.e.id, {});
  ASSERT_EQ(page.total, 1);
  EXPECT_TRUE(page.rows[0].anonymised);
  EXPECT_EQ(page.rows[0].reg.email, "");
  EXPECT_TRUE(f.reload().personal_data_deleted_at);
}

TEST(Attendees, PersonDataHoldsRegistrationAndScans) {
  people f(two_groups());
  auto a = f.add("a@example.org");
  auto data = person_data(f.db, f.e, a.id);
  ASSERT_TRUE(data);
  EXPECT_EQ(data->at("email"), "a@example.org");
  EXPECT_EQ(data->at("ticket_code").as_string(), a.ticket_code);
  EXPECT_TRUE(data->at("checkins").as_array().empty());
  EXPECT_FALSE(person_data(f.db, f.e, a.id + 100));
}

// Issue 15: what the paperwork keeps of people goes with their data: the certificate (its
// verification ends), feedback comments (ratings stay for the report), the signer's signature.
TEST(Attendees, RetentionEndsCertificatesAndDeletesCommentsAndTheSignature) {
  people f({{"retention_days", 30}});
  auto a = f.add("a@example.org");
  transaction tx(f.db);
  auto dev = create_device(f.db, f.e.id, "Foyer", 0, now());
  scan_request s{dev->dev, a.ticket_code, std::nullopt, 0, "entry", "n1", std::nullopt, std::nullopt, false};
  prepare_scan(f.db, s);
  ASSERT_EQ(record_scan(f.db, s, now()).result, scan_result::ok);
  EXPECT_EQ(issue_certificates(f.db, f.e.id, now()), 1);
  EXPECT_EQ(issue_certificates(f.db, f.e.id, now()), 0) << "once";
  auto id = certificate_ids(f.db, f.e.id).at(a.id);
  auto code = certificate_code(f.db, f.e, a, id);
  EXPECT_TRUE(verify_certificate(f.db, code));
  feedback_answer answer;
  answer.ratings[0] = 4;
  answer.comment = "Frau Beispiel vom Jobcenter war sehr hilfreich";
  ASSERT_TRUE(give_feedback(f.db, f.e.id, a.id, answer, now()));
  EXPECT_EQ(give_feedback(f.db, f.e.id, a.id, answer, now()).error().code, errc::already_answered);
  auto png = std::string("\x89PNG\r\n\x1a\n") + "not an image, but signed as one";
  ASSERT_TRUE(set_event_image(f.db, f.e.id, "signature", "image/png", png));
  ASSERT_TRUE(set_event_image(f.db, f.e.id, "funder-1", "image/png", png));
  EXPECT_FALSE(set_event_image(f.db, f.e.id, "funder-1", "image/png", "GIF89a"));
  EXPECT_FALSE(set_event_image(f.db, f.e.id, "../etc", "image/png", png));
  purge_expired_personal_data(f.db, f.e.ends_at + std::chrono::days(30));
  tx.commit();
  EXPECT_FALSE(verify_certificate(f.db, code)) << "a certificate of deleted data verifies no more";
  EXPECT_TRUE(certificate_ids(f.db, f.e.id).empty());
  auto summary = summarise_feedback(f.db, f.e.id);
  EXPECT_EQ(summary.answers, 1);
  EXPECT_EQ(summary.questions[0].rated, 1);
  EXPECT_TRUE(summary.comments.empty());
  EXPECT_FALSE(event_image(f.db, f.e.id, "signature"));
  EXPECT_TRUE(event_image(f.db, f.e.id, "funder-1")) << "a funder's logo is no one's personal data";
}
