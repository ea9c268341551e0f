// The mail of a message to attendees (checkin/messages.hpp): what the organiser wrote, in the
// recipient's language where written, framed by a greeting, the event and a footer in that
// same language, so no mail mixes two.
#include "checkin/messages.hpp"
#include "checkin/registration.hpp"
#include "checkin/store.hpp"
#include "server/app/i18n.hpp"
#include "server/app/mailer.hpp"
#include "server/pages/html.hpp"

namespace einlass::server {

using namespace checkin;

std::optional<mail_message> render_message_mail(database& db, outbox_item const& item, config const& cfg,
                                                std::string const& base_url) {
  auto msg = item.message_ref ? find_message(db, *item.message_ref) : std::nullopt;
  auto e = find_event(db, item.event_id);
  if (!msg || !e) return std::nullopt;
  std::string to, name, lang = item.language, manage;
  if (item.registration_id) {  // a recipient; a test mail goes to the organiser's to_address
    auto r = find_registration(db, item.event_id, *item.registration_id);
    if (!r || r->email.empty()) return std::nullopt;  // deleted meanwhile
    to = r->email;
    name = r->first_name + " " + r->last_name;
    lang = r->language;
    if (r->status != reg_status::cancelled) manage = manage_url(db, base_url, r->ticket_code, e->ends_at);
  } else {
    to = item.to_address;
  }
  lang = written_language(msg->subject, lang);  // the frame in the language the text is in
  auto const& c = catalog::builtin();
  auto t = [&](std::string const& key, placeholders values = {}) { return c.format(lang, key, values); };
  auto subject = msg->subject.at(lang);  // each language written has both (message_from_json)
  auto body = msg->body.at(lang);
  auto greeting = name.empty() ? std::string() : t("mail.greeting", {{"name", name}}) + "\n\n";
  auto when = c.format_range(lang, e->starts_at, e->ends_at, e->timezone);
  auto title = e->text(text_field::title, lang);
  auto footer = t("mail.message_footer", {{"event", std::string(title.text)}});
  auto org = footer_of(db, *e, lang, base_url);

  mail_message m;
  m.from = cfg.mail_from;
  m.to = to;
  m.to_name = name;
  m.message_id = item.message_id;
  m.date = now();
  m.subject = (msg->test ? "[Test] " : "") + subject;
  m.text = greeting + body + "\n\n" + std::string(title.text) + "\n" + t("mail.when") + ": " + when + "\n";
  if (!manage.empty()) m.text += "\n" + t("mail.manage_link") + "\n" + manage + "\n";
  m.text += "\n-- \n" + org.text + footer + "\n";
  m.html = "<!doctype html><html lang=\"" + lang + "\" dir=\"" + (is_rtl(lang) ? "rtl" : "ltr") +
           "\"><head><meta charset=\"utf-8\"><title>" + esc(m.subject) +
           "</title></head><body style=\"font-family:Arial,Helvetica,sans-serif;font-size:16px;line-height:1.5;"
           "color:#1a1a1a;max-width:36em;margin:0 auto;padding:16px\">";
  if (!name.empty()) m.html += "<p>" + esc(t("mail.greeting", {{"name", name}})) + "</p>";
  m.html += "<p>" + esc_lines(body) + "</p><h2 style=\"font-size:20px\"" + lang_attrs(title) + ">" + esc(title.text) +
            "</h2><p><strong>" + esc(t("mail.when")) + ":</strong> " + esc(when) + "</p>";
  if (!manage.empty()) m.html += "<p><a href=\"" + esc(manage) + "\">" + esc(t("mail.manage_link")) + "</a></p>";
  m.html += "<p style=\"color:#4d4d4d;font-size:13px\">" + org.html + esc(footer) + "</p></body></html>";
  return m;
}

}  // namespace einlass::server
