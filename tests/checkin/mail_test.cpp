#include "checkin/mail.hpp"

#include "checkin/attendees.hpp"
#include "checkin/ics.hpp"
#include "checkin/mime.hpp"
#include "tests/support/fixtures.hpp"

#include <gtest/gtest.h>

using namespace einlass::checkin;
using namespace einlass::test;
namespace json = boost::json;
using std::chrono::hours;
using std::chrono::seconds;

namespace {

std::vector<std::string> kinds(database& db) {
  std::vector<std::string> out;
  auto st = db.prepare("SELECT kind FROM outbox ORDER BY id");
  while (st.step()) out.push_back(st.text(0));
  return out;
}

}  // namespace

TEST(Outbox, ARegistrationQueuesItsMailInTheSameTransaction) {
  db_fixture f;
  auto e = f.make_event(event_spec("forum", {{"capacity", 1}, {"waitlist", true}}));
  ASSERT_TRUE(f.register_json(e, person("a@example.org")));
  ASSERT_TRUE(f.register_json(*find_event(f.db, e.id), person("b@example.org")));
  EXPECT_EQ(kinds(f.db), (std::vector<std::string>{"ticket", "waitlisted"}));
  {
    transaction tx(f.db);  // rolled back: neither the registration nor its mail remains
    auto in = registration_from_json(person("c@example.org"));
    ASSERT_TRUE(register_participant(f.db, *find_event(f.db, e.id), *in, now()));
  }
  EXPECT_EQ(kinds(f.db).size(), 2u);
}

TEST(Outbox, PromotionQueuesTheNewTicket) {
  db_fixture f;
  auto e = f.make_event(event_spec("forum", {{"capacity", 1}, {"waitlist", true}}));
  auto a = f.register_json(e, person("a@example.org"));
  f.register_json(*find_event(f.db, e.id), person("b@example.org"));
  transaction tx(f.db);
  ASSERT_TRUE(cancel_registration(f.db, *find_event(f.db, e.id), a->id, now()));
  tx.commit();
  EXPECT_EQ(kinds(f.db), (std::vector<std::string>{"ticket", "waitlisted", "promoted"}));
}

TEST(Outbox, RetriesWaitLongerEachTimeAndGiveUpInTheEnd) {
  EXPECT_EQ(retry_delay(1), seconds(30));
  EXPECT_EQ(retry_delay(2), seconds(60));
  EXPECT_EQ(retry_delay(5), seconds(480));
  EXPECT_EQ(retry_delay(20), seconds(3600));
  EXPECT_EQ(retry_delay(3, seconds(1)), seconds(4));
  db_fixture f;
  auto e = f.make_event(event_spec("forum"));
  f.register_json(e, person("a@example.org"));
  auto t0 = now();
  auto due = claim_due_mails(f.db, t0, 10);
  ASSERT_EQ(due.size(), 1u);
  mark_attempt_failed(f.db, due[0].id, "connection refused", t0);
  EXPECT_TRUE(claim_due_mails(f.db, t0 + seconds(29), 10).empty());
  EXPECT_EQ(claim_due_mails(f.db, t0 + seconds(30), 10).size(), 1u);
  for (int i = 1; i < max_mail_attempts; ++i) mark_attempt_failed(f.db, due[0].id, "connection refused", t0);
  auto m = mails_of_registration(f.db, *due[0].registration_id);
  EXPECT_EQ(m[0].status, "failed");
  EXPECT_EQ(m[0].last_error, "connection refused");
}

// Each server runs a sender: a mail one has taken is not taken by another until the claim
// runs out (the sender died) or is given back; sending it ends the claim.
TEST(Outbox, AClaimedMailIsNoOtherSendersUntilTheClaimEnds) {
  db_fixture f;
  auto e = f.make_event(event_spec("forum"));
  f.register_json(e, person("a@example.org"));
  f.register_json(e, person("b@example.org"));
  auto t0 = now();
  auto first = claim_due_mails(f.db, t0, 1, seconds(60));
  ASSERT_EQ(first.size(), 1u);
  auto second = claim_due_mails(f.db, t0, 10, seconds(60));
  ASSERT_EQ(second.size(), 1u);
  EXPECT_NE(first[0].id, second[0].id);
  EXPECT_TRUE(claim_due_mails(f.db, t0 + seconds(59), 10).empty());
  EXPECT_EQ(next_mail_due(f.db), t0 + seconds(60));
  release_mails(f.db, {second[0].id});
  EXPECT_EQ(claim_due_mails(f.db, t0 + seconds(1), 10, seconds(60)).size(), 1u);
  mark_sent(f.db, first[0].id, t0);
  auto again = claim_due_mails(f.db, t0 + seconds(61), 10);
  ASSERT_EQ(again.size(), 1u);  // the claim on the second ran out; the first is sent
  EXPECT_EQ(again[0].id, second[0].id);
  EXPECT_EQ(release_all_mail_claims(f.db), 1);
}

TEST(Outbox, AWalkInWithoutAddressGetsNoMail) {
  db_fixture f;
  auto e = f.make_event(event_spec("forum"));
  registration_input in;
  in.first_name = "Walk";
  in.last_name = "In";
  in.organisation = "X";
  in.organisation_type = "other";
  in.consent = true;
  ASSERT_TRUE(validate(in, e, true).empty());
  transaction tx(f.db);
  ASSERT_TRUE(register_participant(f.db, e, in, now()));
  tx.commit();
  EXPECT_TRUE(kinds(f.db).empty());
}

TEST(Links, SignedExpiringAndBoundToPurposeAndCode) {
  db_fixture f;
  auto at = now();
  auto l = sign_link(f.db, "manage", "CODE", at + hours(1));
  EXPECT_TRUE(verify_link(f.db, "manage", "CODE", l.expires, l.signature, at));
  EXPECT_FALSE(verify_link(f.db, "manage", "CODE", l.expires, l.signature, at + hours(2))) << "expired";
  EXPECT_FALSE(verify_link(f.db, "confirm", "CODE", l.expires, l.signature, at)) << "another purpose";
  EXPECT_FALSE(verify_link(f.db, "manage", "CODF", l.expires, l.signature, at)) << "another ticket";
  EXPECT_FALSE(verify_link(f.db, "manage", "CODE", l.expires + 3600, l.signature, at)) << "a longer life";
  auto forged = l.signature;
  forged[0] = forged[0] == 'A' ? 'B' : 'A';
  EXPECT_FALSE(verify_link(f.db, "manage", "CODE", l.expires, forged, at));
}

TEST(OptIn, ConfirmingQueuesTheTicketAndExpiryFreesTheSeat) {
  db_fixture f;
  auto e = f.make_event(event_spec("forum", {{"capacity", 1}, {"waitlist", true}, {"opt_in_hours", 2}}));
  auto at = now();
  auto a = f.register_json(e, person("a@example.org"), at);
  ASSERT_TRUE(a && a->confirm_by);
  auto b = f.register_json(*find_event(f.db, e.id), person("b@example.org"), at);
  EXPECT_EQ(b->status, reg_status::waitlisted);
  EXPECT_EQ(kinds(f.db), (std::vector<std::string>{"confirm", "confirm"}));
  {
    transaction tx(f.db);
    auto ok = confirm_opt_in(f.db, b->ticket_code, at + hours(1));
    ASSERT_TRUE(ok);
    EXPECT_FALSE(confirm_opt_in(f.db, b->ticket_code, at + hours(1))) << "once";
    tx.commit();
  }
  {
    transaction tx(f.db);
    EXPECT_EQ(run_mail_schedule(f.db, at + hours(1)), 0);
    EXPECT_EQ(run_mail_schedule(f.db, at + hours(3)), 1);  // a never confirmed: cancelled, b moves up
    tx.commit();
  }
  EXPECT_EQ(find_registration(f.db, e.id, a->id)->status, reg_status::cancelled);
  EXPECT_EQ(find_registration(f.db, e.id, b->id)->status, reg_status::confirmed);
  EXPECT_EQ(kinds(f.db), (std::vector<std::string>{"confirm", "confirm", "waitlisted", "promoted"}));
  transaction tx(f.db);
  EXPECT_FALSE(confirm_opt_in(f.db, a->ticket_code, at + hours(3))) << "too late";
}

TEST(Schedule, RemindersBeforeAndThanksAfterEachOnce) {
  db_fixture f;
  auto e = f.make_event(event_spec("forum", {{"reminder_days", 2}, {"thank_you", true}}));
  auto a = f.register_json(e, person("a@example.org"));
  f.register_json(*find_event(f.db, e.id), person("b@example.org"));
  f.db.exec("UPDATE registrations SET lists_attended = 1 WHERE id = " + std::to_string(a->id));
  transaction tx(f.db);
  run_mail_schedule(f.db, e.starts_at - hours(72));
  EXPECT_EQ(kinds(f.db).size(), 2u) << "not yet";
  run_mail_schedule(f.db, e.starts_at - hours(47));
  run_mail_schedule(f.db, e.starts_at - hours(46));
  EXPECT_EQ(kinds(f.db), (std::vector<std::string>{"ticket", "ticket", "reminder", "reminder"}));
  run_mail_schedule(f.db, e.ends_at + hours(1));
  run_mail_schedule(f.db, e.ends_at + hours(2));
  EXPECT_EQ(kinds(f.db), (std::vector<std::string>{"ticket", "ticket", "reminder", "reminder", "thanks"}))
      << "thanks only to who came, once";
  tx.commit();
}

TEST(Ics, TheEventInItsOwnZoneWithVtimezone) {
  db_fixture f;
  auto e = f.make_event(event_spec("forum", {{"starts_at", "2026-12-05T14:00"},
                                             {"ends_at", "2026-12-05T18:00"},
                                             {"title", "Netzwerktreffen; Leipzig, Sachsen"}}));
  auto ics =
      event_ics(e, {"uid-1@einlass", "Ihr Ticket", "https://x/t/CODE", *parse_utc_text("2026-11-22T10:00:00Z"), ""});
  EXPECT_NE(ics.find("BEGIN:VTIMEZONE\r\nTZID:Europe/Berlin\r\n"), std::string::npos) << ics;
  EXPECT_NE(ics.find("BEGIN:STANDARD\r\nDTSTART:20261025T030000\r\nTZOFFSETFROM:+0200\r\nTZOFFSETTO:+0100\r\n"),
            std::string::npos)
      << ics;
  EXPECT_NE(ics.find("DTSTART;TZID=Europe/Berlin:20261205T140000\r\n"), std::string::npos);
  EXPECT_NE(ics.find("DTEND;TZID=Europe/Berlin:20261205T180000\r\n"), std::string::npos);
  EXPECT_NE(ics.find("SUMMARY;LANGUAGE=de:Netzwerktreffen\\; Leipzig\\, Sachsen\r\n"), std::string::npos);
  for (std::size_t pos = 0, next; (next = ics.find("\r\n", pos)) != std::string::npos; pos = next + 2)
    EXPECT_LE(next - pos, 75u) << "folded";
}

TEST(Mime, HeadersEncodedAndPartsNested) {
  mail_message m;
  m.from = "Einlass <noreply@example.org>";
  m.to = "m@example.org";
  m.to_name = "محمد Müller";
  m.subject = "تسجيلك: Fachforum für Fachkräfte";
  m.message_id = "<abc@einlass>";
  m.date = *parse_utc_text("2026-11-22T10:00:00Z");
  m.text = "Hallo";
  m.html = "<p>Hallo</p>";
  m.inline_image = mime_attachment{"image/png", "ticket.png", "ticket-qr", "PNGDATA"};
  m.attachments.push_back({"text/calendar; charset=utf-8; method=PUBLISH", "forum.ics", "", "BEGIN:VCALENDAR"});
  auto raw = to_mime(m);
  EXPECT_NE(raw.find("Subject: =?UTF-8?B?"), std::string::npos);
  EXPECT_NE(raw.find("To: =?UTF-8?B?"), std::string::npos);
  EXPECT_NE(raw.find(" <m@example.org>\r\n"), std::string::npos);
  EXPECT_NE(raw.find("Date: Sun, 22 Nov 2026 10:00:00 +0000\r\n"), std::string::npos);
  auto mixed = raw.find("multipart/mixed"), related = raw.find("multipart/related"),
       alt = raw.find("multipart/alternative");
  EXPECT_LT(mixed, related);
  EXPECT_LT(related, alt);
  EXPECT_NE(raw.find("Content-ID: <ticket-qr>"), std::string::npos);
  EXPECT_EQ(address_of("Einlass <noreply@example.org>"), "noreply@example.org");
  EXPECT_EQ(encode_word("plain ASCII"), "plain ASCII");
}
