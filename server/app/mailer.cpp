#include "server/app/mailer.hpp"

#include "checkin/crypto.hpp"
#include "checkin/feedback.hpp"
#include "checkin/files.hpp"
#include "checkin/ics.hpp"
#include "checkin/organisations.hpp"
#include "checkin/qr.hpp"
#include "checkin/registration.hpp"
#include "checkin/store.hpp"
#include "server/app/app.hpp"
#include "server/app/i18n.hpp"
#include "server/app/ticket_pdf.hpp"
#include "server/http/log.hpp"
#include "server/pages/html.hpp"

#include <curl/curl.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <future>
#include <unordered_set>

namespace einlass::server {

using namespace checkin;

namespace {

// Mails sent in one round before the sender looks again.
constexpr std::size_t mail_batch = 20;
// How long after the event the thank-you mail's feedback link works.
constexpr auto feedback_link_days = std::chrono::days(60);

bool carries_ticket(std::string_view kind) {
  return kind == "ticket" || kind == "promoted" || kind == "changed" || kind == "reminder";
}

std::string link_query(signed_link const& l) { return "?e=" + std::to_string(l.expires) + "&s=" + l.signature; }

}  // namespace

std::string manage_url(database& db, std::string const& base_url, std::string const& code, sys_seconds event_end) {
  return base_url + "/m/" + code + link_query(sign_link(db, "manage", code, event_end));
}

namespace {

// The kind of mail to send for this item now, or nothing when it no longer applies: a mail
// about a seat that is gone, or a ticket not confirmed. Someone promoted (or reminded) before
// confirming their address is asked to confirm first.
std::optional<std::string> applicable_kind(std::string const& queued, registration const& r) {
  bool pending = r.confirm_by.has_value();
  std::string kind = carries_ticket(queued) && pending && r.status == reg_status::confirmed ? "confirm" : queued;
  if (kind != "cancelled" && kind != "thanks" && r.status == reg_status::cancelled) return std::nullopt;
  if (carries_ticket(kind) && r.status != reg_status::confirmed) return std::nullopt;
  if (kind == "confirm" && !pending) return std::nullopt;
  return kind;
}

// Everything a mail says, in the recipient's language, with its signed links.
struct mail_content {
  std::string lang, kind, name, subject, intro, when, where, ticket_url, manage_url, confirm_url;
  std::string certificate_url, feedback_url;  // in the thank-you mail, when the organiser gives them
  checkin::shown title, where_in;             // the event's texts in the reader's language where written
  organisation_footer org;                    // who invites, where its imprint and notice are
  checkin::shown own_intro, own_closing;      // what the organiser wrote into this kind of mail
  std::vector<checkin::shown> sessions;
  bool with_ticket = false, with_manage = false;
  [[nodiscard]] std::string t(std::string const& key, placeholders values = {}) const {
    return catalog::builtin().format(lang, key, values);
  }
};

mail_content gather(database& db, registration const& r, event const& e, std::string kind,
                    std::string const& base_url) {
  auto const& c = catalog::builtin();
  mail_content m;
  m.lang = is_supported_language(r.language) ? r.language : std::string(default_language);
  m.kind = std::move(kind);
  m.name = r.first_name + " " + r.last_name;
  m.when = c.format_range(m.lang, e.starts_at, e.ends_at, e.timezone);
  m.ticket_url = base_url + "/t/" + r.ticket_code;
  m.manage_url = manage_url(db, base_url, r.ticket_code, e.ends_at);
  if (m.kind == "confirm")
    m.confirm_url =
        base_url + "/c/" + r.ticket_code + link_query(sign_link(db, "confirm", r.ticket_code, *r.confirm_by));
  m.title = e.text(text_field::title, m.lang);
  std::string title(m.title.text);
  m.subject = m.t("mail." + m.kind + ".subject", {{"event", title}});
  std::string deadline = r.confirm_by ? c.format_date(m.lang, *r.confirm_by, e.timezone) + ", " +
                                            c.format_time(m.lang, *r.confirm_by, e.timezone)
                                      : std::string();
  m.intro = m.t("mail." + m.kind + ".intro", {{"event", title}, {"deadline", deadline}});
  auto venue = e.text(text_field::venue, m.lang);
  auto address = e.text(text_field::address, m.lang);
  m.where = venue.text;
  if (!address.text.empty()) m.where += (m.where.empty() ? "" : "\n") + std::string(address.text);
  m.where_in = venue.text.empty() ? address : venue;
  for (auto id : r.sessions)
    if (auto const* s = e.find_session(id)) m.sessions.push_back(e.text(*s, text_field::title, m.lang));
  m.org = footer_of(db, e, m.lang, base_url);
  m.own_intro = e.mail.get(m.kind, "intro", m.lang, e.language);
  m.own_closing = e.mail.get(m.kind, "closing", m.lang, e.language);
  m.with_ticket = carries_ticket(m.kind);
  m.with_manage = m.kind != "cancelled" && m.kind != "thanks";
  if (m.kind == "thanks" && e.papers.certificates)
    m.certificate_url = base_url + "/t/" + r.ticket_code + "/certificate.pdf";
  if (m.kind == "thanks" && e.papers.feedback && !has_given_feedback(db, r.id))
    m.feedback_url = base_url + "/f/" + r.ticket_code +
                     link_query(sign_link(db, "feedback", r.ticket_code, e.ends_at + feedback_link_days));
  return m;
}

std::string mail_text(mail_content const& m) {
  std::string text = m.t("mail.greeting", {{"name", m.name}}) + "\n\n" + m.intro + "\n\n";
  if (!m.own_intro.text.empty()) text += std::string(m.own_intro.text) + "\n\n";
  if (!m.confirm_url.empty()) text += m.t("mail.confirm_link") + "\n" + m.confirm_url + "\n\n";
  text += std::string(m.title.text) + "\n" + m.t("mail.when") + ": " + m.when + "\n";
  if (!m.where.empty()) text += m.t("mail.where") + ": " + m.where + "\n";
  if (!m.sessions.empty()) {
    text += m.t("mail.sessions") + ":\n";
    for (auto const& s : m.sessions) text += "- " + std::string(s.text) + "\n";
  }
  if (m.with_ticket) text += "\n" + m.t("mail.ticket_link") + "\n" + m.ticket_url + "\n";
  if (m.with_manage) text += "\n" + m.t("mail.manage_link") + "\n" + m.manage_url + "\n";
  if (!m.certificate_url.empty()) text += "\n" + m.t("mail.certificate_link") + "\n" + m.certificate_url + "\n";
  if (!m.feedback_url.empty()) text += "\n" + m.t("mail.feedback_link") + "\n" + m.feedback_url + "\n";
  if (!m.own_closing.text.empty()) text += "\n" + std::string(m.own_closing.text) + "\n";
  text += "\n-- \n";
  return text + m.org.text + m.t("mail.footer") + "\n";
}

// Simple HTML with inline styles only (mail programs drop style sheets), right to left in Arabic.
std::string mail_html(mail_content const& m) {
  std::string html = "<!doctype html><html lang=\"" + m.lang + "\" dir=\"" + (is_rtl(m.lang) ? "rtl" : "ltr") +
                     "\"><head><meta charset=\"utf-8\"><title>" + esc(m.subject) +
                     "</title></head><body style=\"font-family:Arial,Helvetica,sans-serif;font-size:16px;"
                     "line-height:1.5;color:#1a1a1a;max-width:36em;margin:0 auto;padding:16px\">";
  html += "<p>" + esc(m.t("mail.greeting", {{"name", m.name}})) + "</p><p>" + esc(m.intro) + "</p>";
  if (!m.own_intro.text.empty()) html += "<p" + lang_attrs(m.own_intro) + ">" + esc_lines(m.own_intro.text) + "</p>";
  if (!m.confirm_url.empty())
    html += "<p><a href=\"" + esc(m.confirm_url) +
            "\" style=\"display:inline-block;background:#0b5394;color:#ffffff;padding:12px 20px;border-radius:6px;"
            "text-decoration:none;font-weight:bold\">" +
            esc(m.t("mail.confirm_button")) + "</a></p>";
  if (m.with_ticket)
    html += "<p><img src=\"cid:ticket-qr\" alt=\"" + esc(m.t("ticket.qr_alt")) +
            "\" width=\"240\" height=\"240\" style=\"display:block\"></p><p style=\"color:#4d4d4d\">" +
            esc(m.t("ticket.show_at_entrance")) + "</p>";
  html += "<h2 style=\"font-size:20px\"" + lang_attrs(m.title) + ">" + esc(m.title.text) + "</h2><p><strong>" +
          esc(m.t("mail.when")) + ":</strong> " + esc(m.when) + "</p>";
  if (!m.where.empty())
    html += "<p><strong>" + esc(m.t("mail.where")) + ":</strong><br><span" + lang_attrs(m.where_in) + ">" +
            esc_lines(m.where) + "</span></p>";
  if (!m.sessions.empty()) {
    html += "<p><strong>" + esc(m.t("mail.sessions")) + ":</strong></p><ul>";
    for (auto const& s : m.sessions) html += in_own_language(s, "li");
    html += "</ul>";
  }
  if (m.with_ticket) html += "<p><a href=\"" + esc(m.ticket_url) + "\">" + esc(m.t("mail.ticket_link")) + "</a></p>";
  if (m.with_manage) html += "<p><a href=\"" + esc(m.manage_url) + "\">" + esc(m.t("mail.manage_link")) + "</a></p>";
  if (!m.certificate_url.empty())
    html += "<p><a href=\"" + esc(m.certificate_url) + "\">" + esc(m.t("mail.certificate_link")) + "</a></p>";
  if (!m.feedback_url.empty())
    html += "<p><a href=\"" + esc(m.feedback_url) + "\">" + esc(m.t("mail.feedback_link")) + "</a></p>";
  if (!m.own_closing.text.empty())
    html += "<p" + lang_attrs(m.own_closing) + ">" + esc_lines(m.own_closing.text) + "</p>";
  html += "<p style=\"color:#4d4d4d;font-size:13px\">";
  return html + m.org.html + esc(m.t("mail.footer")) + "</p></body></html>";
}

}  // namespace

std::string ticket_ics(event const& e, registration const& r, std::string const& ticket_url, std::string const& lang) {
  calendar_entry entry{"registration-" + r.ticket_code.substr(0, 26) + "@einlass",
                       std::string(catalog::builtin().text(lang, "mail.ticket_link")) + " " + ticket_url, ticket_url,
                       now(), lang};
  return event_ics(e, entry);
}

std::optional<mail_message> render_mail(database& db, outbox_item const& item, config const& cfg,
                                        std::string const& base_url) {
  if (item.kind == "message") return render_message_mail(db, item, cfg, base_url);
  if (!item.registration_id) return std::nullopt;
  auto r = find_registration(db, item.event_id, *item.registration_id);
  auto e = find_event(db, item.event_id);
  if (!r || !e || r->email.empty()) return std::nullopt;
  auto kind = applicable_kind(item.kind, *r);
  if (!kind) return std::nullopt;
  auto content = gather(db, *r, *e, *kind, base_url);

  mail_message m;
  m.from = cfg.mail_from;
  m.to = r->email;
  m.to_name = content.name;
  m.message_id = item.message_id;
  m.date = now();
  m.subject = content.subject;
  m.text = mail_text(content);
  m.html = mail_html(content);
  if (content.with_ticket) {
    m.inline_image = mime_attachment{"image/png", "ticket.png", "ticket-qr", qr_png(make_qr(r->ticket_code), 8)};
    m.attachments.push_back({"text/calendar; charset=utf-8; method=PUBLISH", e->slug + ".ics", "",
                             ticket_ics(*e, *r, content.ticket_url, content.lang)});
    auto org = organisation_of(db, *e);
    auto org_logo = org ? organisation_logo(db, org->slug) : std::nullopt;
    ticket_document doc{*e, *r, org ? &*org : nullptr, org_logo, content.lang, content.ticket_url};
    m.attachments.push_back({"application/pdf", e->slug + "-ticket.pdf", "", ticket_pdf(doc, pdf::a4)});
  }
  return m;
}

organisation_footer footer_of(database& db, event const& e, std::string const& lang, std::string const& base_url) {
  auto org = organisation_of(db, e);
  if (!org) return {};
  auto const& c = catalog::builtin();
  auto by = c.format(lang, "org.by", {{"name", org->name}});
  auto imprint = base_url + "/o/" + org->slug + "/imprint?lang=" + lang;
  auto privacy = base_url + "/o/" + org->slug + "/privacy?lang=" + lang;
  return {by + "\n" + std::string(c.text(lang, "org.imprint")) + ": " + imprint + "\n" +
              std::string(c.text(lang, "org.privacy")) + ": " + privacy + "\n",
          esc(by) + "<br><a href=\"" + esc(imprint) + "\">" + esc(c.text(lang, "org.imprint")) + "</a> · <a href=\"" +
              esc(privacy) + "\">" + esc(c.text(lang, "org.privacy")) + "</a><br>"};
}

mail_message preview_mail(database& db, event const& e, std::string const& kind, std::string const& lang,
                          std::string const& base_url) {
  registration r;
  r.event_id = e.id;
  r.language = lang;
  r.first_name = catalog::builtin().text(lang, "mail.preview_first_name");
  r.last_name = catalog::builtin().text(lang, "mail.preview_last_name");
  r.ticket_code = "PREVIEW";
  if (!e.sessions.empty()) r.sessions.push_back(e.sessions.front().id);
  if (kind == "confirm") r.confirm_by = now() + std::chrono::hours(e.opt_in_hours.value_or(24));
  auto content = gather(db, r, e, kind, base_url);
  mail_message m;
  m.subject = content.subject;
  m.text = mail_text(content);
  m.html = mail_html(content);
  return m;
}

mail_sender::mail_sender(app& a) : app_(a), thread_([this] { run(); }) {}

mail_sender::~mail_sender() { stop(); }

void mail_sender::wake() {
  {
    std::lock_guard lock(mutex_);
    woken_ = true;
  }
  cv_.notify_one();
}

void mail_sender::stop() {
  {
    std::lock_guard lock(mutex_);
    stop_ = true;
  }
  cv_.notify_one();
  if (thread_.joinable()) thread_.join();
}

bool mail_sender::send_due(std::size_t& due_count) {
  auto const& cfg = app_.cfg();
  auto base = std::chrono::seconds(std::max(1, cfg.mail_retry_seconds));
  // Claimed, not merely read: every server on one PostgreSQL runs a sender, and each mail
  // goes out through one of them.
  // A read first: the sender is woken by every change, and most wake it with nothing due.
  due_count = 0;
  {
    app::reader db(app_);
    if (auto next = next_mail_due(*db); !next || *next > now()) return true;
  }
  std::vector<outbox_item> due;
  app_.write_and_wait([&](database& db) { due = claim_due_mails(db, now(), mail_batch); });
  due_count = due.size();
  // Those not tried when the round ends early are due again at once, not when the claim ends.
  auto release_from = [&](std::size_t first) {
    std::vector<std::int64_t> left;
    for (auto j = first; j < due.size(); ++j) left.push_back(due[j].id);
    if (!left.empty()) app_.write_and_wait([&](database& db) { release_mails(db, left); });
  };
  for (std::size_t i = 0; i < due.size(); ++i) {
    auto const& item = due[i];
    {
      std::lock_guard lock(mutex_);
      if (stop_) {
        release_from(i);
        return true;
      }
    }
    std::optional<mail_message> msg;
    {
      app::reader db(app_);
      msg = render_mail(*db, item, cfg, app_.link_base());
    }
    if (!msg) {
      app_.write_and_wait([&](database& db) { drop_mail(db, item.id, "no longer applies"); });
      continue;
    }
    auto error = deliver(cfg, *msg, to_mime(*msg));
    if (!error.empty()) {
      app_.write_and_wait([&](database& db) { mark_attempt_failed(db, item.id, error, now(), base); });
      app_.stats().mail("failed");
      log_error("mail " + item.message_id + ": " + error);
      ++failures_in_a_row_;
      release_from(i + 1);
      return false;  // the server is likely down: the next try waits
    }
    app_.write_and_wait([&](database& db) { mark_sent(db, item.id, now()); });
    app_.stats().mail("sent");
    failures_in_a_row_ = 0;
  }
  return true;
}

std::chrono::milliseconds mail_sender::next_pause(bool failed, std::size_t due) {
  using std::chrono::milliseconds;
  auto base = std::chrono::seconds(std::max(1, app_.cfg().mail_retry_seconds));
  if (failed)
    return std::chrono::duration_cast<milliseconds>(
        std::min(retry_delay(failures_in_a_row_, base), std::chrono::seconds(base * 4)));
  if (due == mail_batch) return milliseconds(0);  // more are waiting
  app::reader db(app_);
  auto next = next_mail_due(*db);
  return next ? std::clamp(std::chrono::duration_cast<milliseconds>(*next - now()), milliseconds(200),
                           milliseconds(30000))
              : milliseconds(30000);
}

void mail_sender::run() {
  std::chrono::milliseconds pause{0};
  for (;;) {
    {
      std::unique_lock lock(mutex_);
      // Woken by changes only when not pausing after a failure: a mail server that is down
      // is not asked again for every registration.
      cv_.wait_for(lock, pause, [&] { return stop_ || (woken_ && failures_in_a_row_ == 0); });
      if (stop_) return;
      woken_ = false;
    }
    try {
      std::size_t due = 0;
      bool sent = send_due(due);
      pause = next_pause(!sent, due);
    } catch (std::exception const& e) {
      log_error(std::string("mail sender: ") + e.what());
      pause = std::chrono::seconds(5);
    }
  }
}

}  // namespace einlass::server
