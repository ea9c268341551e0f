#pragma once
// Sending what the outbox holds: each mail rendered from the registration as it is now (in
// the participant's language, with the QR code inline and the event as an .ics file),
// handed to the SMTP server with libcurl or written to a folder, and marked sent or retried
// later with a growing pause. One thread; it sleeps until a mail is due or a change wakes it.
#include "checkin/mail.hpp"
#include "checkin/mail_texts.hpp"
#include "checkin/mime.hpp"
#include "server/app/config.hpp"

#include <array>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

namespace einlass::server {

class app;

// The mail for an outbox item, or nothing when there is no one to send it to any more.
[[nodiscard]] std::optional<checkin::mail_message> render_mail(checkin::database& db, checkin::outbox_item const& item,
                                                               config const& cfg, std::string const& base_url);

// The same for a message to attendees (server/app/message_mail.cpp).
[[nodiscard]] std::optional<checkin::mail_message> render_message_mail(checkin::database& db,
                                                                       checkin::outbox_item const& item,
                                                                       config const& cfg, std::string const& base_url);

// Who invites and where its imprint and privacy notice are, for the end of every mail to a
// guest, as text and as HTML; empty for an event without an organisation.
struct organisation_footer {
  std::string text, html;
};
[[nodiscard]] organisation_footer footer_of(checkin::database& db, checkin::event const& e, std::string const& lang,
                                            std::string const& base_url);

// A mail of this kind as a guest reading `lang` would get it, for the editor's preview: a sample
// name and the event's first session; its links point nowhere. Nothing is stored or sent.
[[nodiscard]] checkin::mail_message preview_mail(checkin::database& db, checkin::event const& e,
                                                 std::string const& kind, std::string const& lang,
                                                 std::string const& base_url);

// The event as an iCalendar file for one registration (the ticket mail's attachment and
// /t/{code}.ics): the same UID in both, so a calendar updates the entry instead of adding one.
[[nodiscard]] std::string ticket_ics(checkin::event const& e, checkin::registration const& r,
                                     std::string const& ticket_url, std::string const& lang);

// The signed link to manage a registration (valid until the event ends).
[[nodiscard]] std::string manage_url(checkin::database& db, std::string const& base_url, std::string const& code,
                                     checkin::sys_seconds event_end);

// Hands one message to the configured transport; empty on success, else why not.
[[nodiscard]] std::string deliver(config const& cfg, checkin::mail_message const& m, std::string const& raw);
// Sends a short plain mail about an account (a password reset link) now, through the same
// server or folder as every other mail; empty on success, else why not.
std::string send_account_mail(config const& cfg, std::string const& to, std::string const& subject,
                              std::string const& text);
// Deletes the .eml files of these Message-IDs from --mail-dir (retention); returns how many.
std::size_t forget_mail_files(config const& cfg, std::vector<std::string> const& message_ids);

class mail_sender {
 public:
  explicit mail_sender(app& a);
  mail_sender(mail_sender const&) = delete;
  mail_sender& operator=(mail_sender const&) = delete;
  ~mail_sender();

  void wake();
  void stop();

 private:
  void run();
  // Sends the mails due now, at most one batch; false when the mail server refused one (the
  // rest wait). `due` is how many were due.
  bool send_due(std::size_t& due);
  // How long to wait before the next round.
  std::chrono::milliseconds next_pause(bool failed, std::size_t due);
  app& app_;
  int failures_in_a_row_ = 0;
  std::mutex mutex_;
  std::condition_variable cv_;
  bool stop_ = false, woken_ = false;
  std::thread thread_;
};

}  // namespace einlass::server
