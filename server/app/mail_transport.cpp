// Handing mails over: to the SMTP server with libcurl, or as .eml files into --mail-dir.
#include "checkin/crypto.hpp"
#include "checkin/files.hpp"
#include "checkin/mime.hpp"
#include "checkin/time.hpp"
#include "server/app/mailer.hpp"
#include "server/pages/html.hpp"

#include <curl/curl.h>

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <unordered_set>

namespace einlass::server {

using namespace checkin;

namespace {

struct upload {
  std::string const& data;
  std::size_t pos = 0;
};

std::size_t read_upload(char* buf, std::size_t size, std::size_t n, void* user) {
  auto* u = static_cast<upload*>(user);
  auto take = std::min(size * n, u->data.size() - u->pos);
  // curl's buffer takes bytes, not a C string: no terminator belongs there.
  std::memcpy(buf, u->data.data() + u->pos, take);  // NOLINT(bugprone-not-null-terminated-result)
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
  auto path =
      std::filesystem::path(cfg.mail_dir) / (to_utc_text(m.date).substr(0, 10) + "-" + eml_stem(m.message_id) + ".eml");
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
    if (dash != std::string::npos && endings.contains(name.substr(dash)))
      removed += std::filesystem::remove(f.path(), ec);
  }
  return removed;
}

}  // namespace einlass::server
