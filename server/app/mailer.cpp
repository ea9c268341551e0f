#include "server/app/mailer.hpp"

#include "checkin/crypto.hpp"
#include "checkin/files.hpp"
#include "checkin/ics.hpp"
#include "checkin/qr.hpp"
#include "checkin/registration.hpp"
#include "checkin/store.hpp"
#include "server/app/app.hpp"
#include "server/pages/html.hpp"
#include "server/app/i18n.hpp"
#include "server/http/log.hpp"

#include <curl/curl.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <future>
#include <unordered_set>

namespace einlass::server {

using namespace checkin;

namespace {

bool carries_ticket(std::string_view kind) {
  return kind == "ticket" || kind == "promoted" || kind == "changed" || kind == "reminder";
}

std::string link_query(signed_link const& l) { return "?e=" + std::to_string(l.expires) + "&s=" + l.signature; }

}  // namespace

std::string manage_url(database& db, std::string const& base_url, std::string const& code, sys_seconds event_end) {
  return base_url + "/m/" + code + link_query(sign_link(db, "manage", code, event_end));
}

std::optional<mail_message> render_mail(database& db, outbox_item const& item, config const& cfg,
                                        std::string const& base_url) {
  if (!item.registration_id) return std::nullopt;
  auto r = find_registration(db, item.event_id, *item.registration_id);
  auto e = find_event(db, item.event_id);
  if (!r || !e || r->email.empty()) return std::nullopt;
  bool pending = r->confirm_by.has_value();
  // Someone promoted (or reminded) before confirming their address is asked to confirm first.
  std::string kind = carries_ticket(item.kind) && pending && r->status == reg_status::confirmed ? "confirm" : item.kind;
  // A mail about a seat that is gone, or a ticket not confirmed, no longer applies.
  if (kind != "cancelled" && kind != "thanks" && r->status == reg_status::cancelled) return std::nullopt;
  if (carries_ticket(kind) && r->status != reg_status::confirmed) return std::nullopt;
  if (kind == "confirm" && !pending) return std::nullopt;

  auto const& c = catalog::builtin();
  std::string lang = is_supported_language(r->language) ? r->language : std::string(default_language);
  auto t = [&](std::string const& key, placeholders values = {}) { return c.format(lang, key, values); };
  std::string name = r->first_name + " " + r->last_name;
  std::string when = c.format_range(lang, e->starts_at, e->ends_at, e->timezone);
  std::string ticket_url = base_url + "/t/" + r->ticket_code;
  std::string manage = manage_url(db, base_url, r->ticket_code, e->ends_at);
  std::string confirm;
  if (kind == "confirm")
    confirm = base_url + "/c/" + r->ticket_code + link_query(sign_link(db, "confirm", r->ticket_code, *r->confirm_by));

  mail_message m;
  m.from = cfg.mail_from;
  m.to = r->email;
  m.to_name = name;
  m.message_id = item.message_id;
  m.date = now();
  m.subject = t("mail." + kind + ".subject", {{"event", e->title}});
  std::string intro = t("mail." + kind + ".intro",
                        {{"event", e->title},
                         {"deadline", pending ? c.format_date(lang, *r->confirm_by, e->timezone) + ", " +
                                                    c.format_time(lang, *r->confirm_by, e->timezone)
                                              : std::string()}});
  std::string where = e->venue;
  if (!e->address.empty()) where += (where.empty() ? "" : "\n") + e->address;
  std::vector<std::string> sessions;
  for (auto id : r->sessions)
    if (auto const* s = e->find_session(id)) sessions.push_back(s->title);
  bool with_ticket = carries_ticket(kind);
  bool with_manage = kind != "cancelled" && kind != "thanks";

  // Plain text.
  std::string text = t("mail.greeting", {{"name", name}}) + "\n\n" + intro + "\n\n";
  if (!confirm.empty()) text += t("mail.confirm_link") + "\n" + confirm + "\n\n";
  text += e->title + "\n" + t("mail.when") + ": " + when + "\n";
  if (!where.empty()) text += t("mail.where") + ": " + where + "\n";
  if (!sessions.empty()) {
    text += t("mail.sessions") + ":\n";
    for (auto const& s : sessions) text += "- " + s + "\n";
  }
  if (with_ticket) text += "\n" + t("mail.ticket_link") + "\n" + ticket_url + "\n";
  if (with_manage) text += "\n" + t("mail.manage_link") + "\n" + manage + "\n";
  text += "\n-- \n" + t("mail.footer") + "\n";

  // HTML: simple, inline styles only (mail programs drop style sheets), right to left in Arabic.
  std::string dir = is_rtl(lang) ? "rtl" : "ltr";
  std::string html = "<!doctype html><html lang=\"" + lang + "\" dir=\"" + dir + "\"><head><meta charset=\"utf-8\"><title>" +
                     esc(m.subject) +
                     "</title></head><body style=\"font-family:Arial,Helvetica,sans-serif;font-size:16px;line-height:1.5;"
                     "color:#1a1a1a;max-width:36em;margin:0 auto;padding:16px\">";
  html += "<p>" + esc(t("mail.greeting", {{"name", name}})) + "</p><p>" + esc(intro) + "</p>";
  if (!confirm.empty())
    html += "<p><a href=\"" + esc(confirm) +
            "\" style=\"display:inline-block;background:#0b5394;color:#ffffff;padding:12px 20px;border-radius:6px;"
            "text-decoration:none;font-weight:bold\">" +
            esc(t("mail.confirm_button")) + "</a></p>";
  if (with_ticket)
    html += "<p><img src=\"cid:ticket-qr\" alt=\"" + esc(t("ticket.qr_alt")) +
            "\" width=\"240\" height=\"240\" style=\"display:block\"></p><p style=\"color:#4d4d4d\">" +
            esc(t("ticket.show_at_entrance")) + "</p>";
  html += "<h2 style=\"font-size:20px\" dir=\"auto\">" + esc(e->title) + "</h2><p><strong>" + esc(t("mail.when")) +
          ":</strong> " + esc(when) + "</p>";
  if (!where.empty()) html += "<p><strong>" + esc(t("mail.where")) + ":</strong><br><span dir=\"auto\">" + esc_lines(where) + "</span></p>";
  if (!sessions.empty()) {
    html += "<p><strong>" + esc(t("mail.sessions")) + ":</strong></p><ul>";
    for (auto const& s : sessions) html += "<li dir=\"auto\">" + esc(s) + "</li>";
    html += "</ul>";
  }
  if (with_ticket) html += "<p><a href=\"" + esc(ticket_url) + "\">" + esc(t("mail.ticket_link")) + "</a></p>";
  if (with_manage) html += "<p><a href=\"" + esc(manage) + "\">" + esc(t("mail.manage_link")) + "</a></p>";
  html += "<p style=\"color:#4d4d4d;font-size:13px\">" + esc(t("mail.footer")) + "</p></body></html>";
  m.text = std::move(text);
  m.html = std::move(html);

  if (with_ticket) {
    m.inline_image = mime_attachment{"image/png", "ticket.png", "ticket-qr", qr_png(make_qr(r->ticket_code), 8)};
    calendar_entry entry{"registration-" + r->ticket_code.substr(0, 26) + "@einlass", t("mail.ticket_link") + " " + ticket_url,
                         ticket_url, now()};
    m.attachments.push_back({"text/calendar; charset=utf-8; method=PUBLISH", e->slug + ".ics", "", event_ics(*e, entry)});
  }
  return m;
}

namespace {

struct upload {
  std::string const& data;
  std::size_t pos = 0;
};

std::size_t read_upload(char* buf, std::size_t size, std::size_t n, void* user) {
  auto* u = static_cast<upload*>(user);
  auto take = std::min(size * n, u->data.size() - u->pos);
  std::memcpy(buf, u->data.data() + u->pos, take);
  u->pos += take;
  return take;
}

std::string send_smtp(config const& cfg, mail_message const& m, std::string const& raw) {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
  CURL* curl = curl_easy_init();
  if (!curl) return "curl: cannot start";
  std::string url = (cfg.smtp_security == "tls" ? "smtps://" : "smtp://") + cfg.smtp_host;
  std::string from = "<" + address_of(cfg.mail_from) + ">";
  curl_slist* rcpt = curl_slist_append(nullptr, ("<" + m.to + ">").c_str());
  upload body{raw};
  char error[CURL_ERROR_SIZE] = {0};
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_MAIL_FROM, from.c_str());
  curl_easy_setopt(curl, CURLOPT_MAIL_RCPT, rcpt);
  curl_easy_setopt(curl, CURLOPT_READFUNCTION, read_upload);
  curl_easy_setopt(curl, CURLOPT_READDATA, &body);
  curl_easy_setopt(curl, CURLOPT_UPLOAD, 1L);
  curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, error);
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT, 10L);
  curl_easy_setopt(curl, CURLOPT_TIMEOUT, 60L);
  if (cfg.smtp_security == "starttls") curl_easy_setopt(curl, CURLOPT_USE_SSL, static_cast<long>(CURLUSESSL_ALL));
  // The certificate is always checked (name and chain); an organisation's own mail server may
  // have it from the organisation's own authority.
  if (!cfg.smtp_ca_file.empty()) curl_easy_setopt(curl, CURLOPT_CAINFO, cfg.smtp_ca_file.c_str());
  if (!cfg.smtp_user.empty()) {
    curl_easy_setopt(curl, CURLOPT_USERNAME, cfg.smtp_user.c_str());
    curl_easy_setopt(curl, CURLOPT_PASSWORD, cfg.smtp_password.c_str());
  }
  auto rc = curl_easy_perform(curl);
  curl_slist_free_all(rcpt);
  curl_easy_cleanup(curl);
  if (rc == CURLE_OK) return {};
  return std::string(curl_easy_strerror(rc)) + (error[0] ? std::string(": ") + error : "");
}

// A mail's file name ends in this (the Message-ID's letters and digits) and ".eml".
std::string eml_stem(std::string_view message_id) {
  std::string name;
  for (char ch : message_id)
    if (std::isalnum(static_cast<unsigned char>(ch))) name += ch;
  return name;
}

// Written under a temporary name and renamed: a reader of the folder never sees half a mail.
// Readable by the owner only: a mail holds a person's name, address and ticket.
std::string write_eml(config const& cfg, mail_message const& m, std::string const& raw) {
  std::error_code ec;
  std::filesystem::create_directories(cfg.mail_dir, ec);
  auto path = std::filesystem::path(cfg.mail_dir) / (to_utc_text(m.date).substr(0, 10) + "-" + eml_stem(m.message_id) + ".eml");
  return checkin::write_private(path.string(), raw);
}

}  // namespace

std::string deliver(config const& cfg, mail_message const& m, std::string const& raw) {
  if (!cfg.smtp_host.empty()) return send_smtp(cfg, m, raw);
  if (!cfg.mail_dir.empty()) return write_eml(cfg, m, raw);
  return "no mail server configured";
}

std::string send_account_mail(config const& cfg, std::string const& to, std::string const& subject,
                              std::string const& text) {
  mail_message m;
  m.from = cfg.mail_from;
  m.to = to;
  m.subject = subject;
  m.date = checkin::now();
  m.message_id = "<" + checkin::random_token(16) + "@einlass>";
  m.text = text;
  m.html = "<!doctype html><html><body><p>" + esc_lines(text) + "</p></body></html>";
  return deliver(cfg, m, to_mime(m));
}

std::size_t forget_mail_files(config const& cfg, std::vector<std::string> const& message_ids) {
  if (cfg.mail_dir.empty() || message_ids.empty()) return 0;
  std::unordered_set<std::string> endings;
  for (auto const& id : message_ids) endings.insert("-" + eml_stem(id) + ".eml");
  std::size_t removed = 0;
  std::error_code ec;
  for (auto const& f : std::filesystem::directory_iterator(cfg.mail_dir, ec)) {
    auto name = f.path().filename().string();
    auto dash = name.find('-', 10);  // after the date, YYYY-MM-DD
    if (dash != std::string::npos && endings.contains(name.substr(dash))) removed += std::filesystem::remove(f.path(), ec);
  }
  return removed;
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

void mail_sender::run() {
  auto const& cfg = app_.cfg();
  auto base = std::chrono::seconds(std::max(1, cfg.mail_retry_seconds));
  int failures_in_a_row = 0;
  std::chrono::milliseconds pause{0};
  // Runs a job on the writer and waits for its commit (this thread is no coroutine).
  auto write = [&](std::function<void(database&)> job) {
    std::promise<void> done;
    app_.db_writer().submit(std::move(job), [&done](std::exception_ptr e) {
      if (e) done.set_exception(e);
      else done.set_value();
    });
    done.get_future().get();
  };
  for (;;) {
    {
      std::unique_lock lock(mutex_);
      // Woken by changes only when not pausing after a failure: a mail server that is down
      // is not asked again for every registration.
      cv_.wait_for(lock, pause, [&] { return stop_ || (woken_ && failures_in_a_row == 0); });
      if (stop_) return;
      woken_ = false;
    }
    try {
      std::vector<outbox_item> due;
      {
        app::reader db(app_);
        due = due_mails(*db, now(), 20);
      }
      bool failed = false;
      for (auto const& item : due) {
        {
          std::lock_guard lock(mutex_);
          if (stop_) return;
        }
        std::optional<mail_message> msg;
        {
          app::reader db(app_);
          msg = render_mail(*db, item, cfg, app_.link_base());
        }
        if (!msg) {
          write([&](database& db) { drop_mail(db, item.id, "no longer applies"); });
          continue;
        }
        auto error = deliver(cfg, *msg, to_mime(*msg));
        if (error.empty()) {
          write([&](database& db) { mark_sent(db, item.id, now()); });
          app_.stats().mail("sent");
          failures_in_a_row = 0;
        } else {
          write([&](database& db) { mark_attempt_failed(db, item.id, error, now(), base); });
          app_.stats().mail("failed");
          log_error("mail " + item.message_id + ": " + error);
          ++failures_in_a_row;
          failed = true;
          break;  // the server is likely down: the next try waits
        }
      }
      if (failed) {
        pause = std::chrono::duration_cast<std::chrono::milliseconds>(
            std::min(retry_delay(failures_in_a_row, base), std::chrono::seconds(base * 4)));
      } else if (due.size() == 20) {
        pause = std::chrono::milliseconds(0);
      } else {
        app::reader db(app_);
        auto next = next_mail_due(*db);
        pause = next ? std::clamp(std::chrono::duration_cast<std::chrono::milliseconds>(*next - now()),
                                  std::chrono::milliseconds(200), std::chrono::milliseconds(30000))
                     : std::chrono::milliseconds(30000);
      }
    } catch (std::exception const& e) {
      log_error(std::string("mail sender: ") + e.what());
      pause = std::chrono::seconds(5);
    }
  }
}

}  // namespace einlass::server
