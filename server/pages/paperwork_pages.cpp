// The participant's side of the paperwork (issue 15): checking a certificate (/v/{code}),
// the holder's own certificate (/t/{code}/certificate.pdf), and the feedback form behind the
// thank-you mail (/f/{code}, a signed link like the others).
#include "checkin/certificates.hpp"
#include "checkin/feedback.hpp"
#include "checkin/organisations.hpp"
#include "checkin/paperwork.hpp"
#include "checkin/registration.hpp"
#include "checkin/store.hpp"
#include "checkin/text.hpp"
#include "checkin/ticket.hpp"
#include "server/app/certificate_pdf.hpp"
#include "server/app/document_parts.hpp"
#include "server/app/errors.hpp"
#include "server/app/requests.hpp"
#include "server/pages/html.hpp"
#include "server/pages/page_parts.hpp"
#include "server/pages/pages.hpp"
#include "server/pages/workspace.hpp"

#include <array>
#include <cctype>
#include <charconv>

namespace einlass::server {

using namespace checkin;

namespace {

std::string code_form(std::string const& lang, std::string_view code) {
  auto const& c = catalog::builtin();
  return "<form method=\"get\" action=\"/v\" class=\"form\"><div class=\"field\"><label for=\"code\">" +
         esc(c.text(lang, "verify.enter_code")) +
         "</label><input type=\"text\" id=\"code\" name=\"code\" dir=\"ltr\" autocomplete=\"off\" maxlength=\"40\" "
         "value=\"" +
         esc(code) + "\"></div><button type=\"submit\">" + esc(c.text(lang, "verify.check")) + "</button></form>";
}

}  // namespace

// GET /v/{code} (and /v?code=, from the form): whether a certificate is genuine and unchanged,
// and what it states.
awaitable<response> verify_page(request& req, app& a) {
  auto lang = pick_language(req);
  std::string code(req.param("code"));
  if (code.empty()) {
    auto typed = std::string(trim(req.query_value("code").value_or("")));
    std::string clean;
    // Only letters, digits and dashes go into the Location, and no more than a code's length.
    for (char ch : typed)
      if ((std::isalnum(static_cast<unsigned char>(ch)) || ch == '-') && clean.size() < 40) clean += ch;
    co_return redirect(clean.empty() ? "/" : "/v/" + clean + "?lang=" + lang);
  }
  auto const& c = a.texts();
  auto t = [&](std::string_view key) { return esc(c.text(lang, key)); };
  std::optional<verified_certificate> v;
  std::optional<organisation> org;
  if (code.size() <= 40) {
    app::reader db(a);
    v = verify_certificate(*db, code);
    if (v) org = organisation_of(*db, v->e);
  }
  std::string body = "<article class=\"ticket\"><h1>" + t("verify.title") + "</h1>";
  if (!v) {
    body += "<p class=\"status status-cancelled\" role=\"status\">" + t("verify.not_genuine") + "</p><p>" +
            t("verify.not_genuine_hint") + "</p>" + code_form(lang, code) + "</article>";
    co_return private_page(req, a, lang, std::string(c.text(lang, "verify.title")), body, 404, nullptr);
  }
  auto const& e = v->e;
  auto const& r = v->reg;
  auto title = e.text(text_field::title, lang);
  std::string groups;
  for (auto id : r.sessions)
    if (auto const* s = e.find_session(id)) groups += in_own_language(e.text(*s, text_field::title, lang), "li");
  body += "<p class=\"status status-confirmed\" role=\"status\">" + t("verify.genuine") + "</p><p>" +
          t("verify.genuine_hint") + "</p><dl class=\"facts\"><dt>" + t("ticket.name") + "</dt><dd dir=\"auto\">" +
          esc(r.first_name + " " + r.last_name) + "</dd><dt>" + t("ticket.event") + "</dt><dd" + lang_attrs(title) +
          ">" + esc(title.text) + "</dd><dt>" + t("verify.date") + "</dt><dd>" + esc(event_days(e, lang)) +
          "</dd><dt>" + t("verify.duration") + "</dt><dd>" + esc(event_duration(e, lang)) + "</dd>";
  if (!groups.empty())
    body += "<dt>" + t("certificate.groups") + "</dt><dd><ul class=\"sessions\">" + groups + "</ul></dd>";
  if (org) body += "<dt>" + t("verify.issuer") + "</dt><dd dir=\"auto\">" + esc(org->name) + "</dd>";
  if (!e.papers.signer.empty())
    body += "<dt>" + t("verify.signer") + "</dt><dd dir=\"auto\">" + esc(e.papers.signer) + "</dd>";
  body += "<dt>" + t("verify.code") + "</dt><dd dir=\"ltr\">" + esc(code) + "</dd></dl></article>";
  co_return private_page(req, a, lang, std::string(c.text(lang, "verify.title")), body, 200, &e);
}

// GET /t/{code}/certificate.pdf: the holder's own certificate, when the organiser gives
// certificates and the holder was admitted.
awaitable<response> holder_certificate(request& req, app& a) {
  auto holder = find_holder(req, a, std::string(req.param("code")));
  auto const& r = holder.r;
  auto const& e = holder.e;
  auto const& lang = holder.lang;
  if (!r || !e || !e->papers.certificates) co_return not_found_page(req, lang, "certificate.not_available");
  std::optional<std::string> id;
  {
    app::reader db(a);
    id = find_certificate(*db, e->id, r->id);
  }
  // The first download gives the certificate its id; later ones only read it.
  if (!id) co_await a.write([&](database& db) { id = issue_certificate(db, e->id, r->id, now()); });
  if (!id) co_return not_found_page(req, lang, "certificate.not_available");
  response out;
  co_await a.blocking(app::pool::downloads, [&] {
    app::reader db(a);
    auto org = organisation_of(*db, *e);
    certificate_entry entry{*r, certificate_code(*db, *e, *r, *id)};
    certificate_document doc{
        *e,
        org ? &*org : nullptr,
        org ? organisation_logo(*db, org->slug) : std::nullopt,
        event_image(*db, e->id, "signature"),
        funder_logos(*db, e->id),
        a.link_base(),
        req.query_value("lang") ? lang : std::string(),
        1,
        [&](std::int64_t offset, int) { return offset == 0 ? std::vector{entry} : std::vector<certificate_entry>{}; }};
    out.body = pdf::to_string(pdf::a4, std::string(a.texts().text(lang, "certificate.title")),
                              [&](pdf::document& d) { certificates_pdf(doc, d); });
  });
  out.set("Content-Type", "application/pdf");
  out.set("Content-Disposition", attachment(e->slug + "-certificate.pdf"));
  out.set("Referrer-Policy", "no-referrer");
  out.set("Cache-Control", "no-store");
  co_return out;
}

namespace {

response feedback_view(request const& req, app& a, link_params const& p, event const& e, std::string const& lang,
                       feedback_answer const& kept, std::string const& error) {
  auto const& c = a.texts();
  auto t = [&](std::string_view key) { return esc(c.text(lang, key)); };
  auto title = e.text(text_field::title, lang);
  std::string body = "<article><h1>" + t("feedback.title") + "</h1><p" + lang_attrs(title) + ">" + esc(title.text) +
                     "</p><p class=\"hint\">" + t("feedback.anonymous") + "</p>";
  if (!error.empty()) body += "<p class=\"error\" role=\"alert\">" + esc(error) + "</p>";
  body += "<form method=\"post\" action=\"/f/" + esc(p.code) + "\" class=\"form\">" + hidden_link(p);
  for (std::size_t i = 0; i < feedback_questions.size(); ++i) {
    std::string q(feedback_questions[i]);
    body += "<fieldset class=\"field scale\"><legend>" + t("feedback.q." + q) + "</legend><p class=\"hint\">" +
            t("feedback.scale") + "</p><div class=\"scale-choices\">";
    for (int n = 1; n <= 5; ++n) {
      auto v = std::to_string(n);
      body += "<label class=\"choice\"><input type=\"radio\" name=\"" + q + "\" value=\"" + v + "\"" +
              (kept.ratings[i] == n ? " checked" : "") + "> <span>" + v + "</span></label>";
    }
    body += "</div></fieldset>";
  }
  body += "<div class=\"field\"><label for=\"comment\">" + t("feedback.comment") +
          "</label><textarea id=\"comment\" name=\"comment\" rows=\"5\" maxlength=\"" +
          std::to_string(max_feedback_comment) + "\" dir=\"auto\">" + esc(kept.comment) +
          "</textarea></div><button type=\"submit\" class=\"primary\">" + t("feedback.send") +
          "</button></form></article>";
  return private_page(req, a, lang, std::string(c.text(lang, "feedback.title")), body, error.empty() ? 200 : 422, &e);
}

response feedback_done(request const& req, app& a, event const& e, std::string const& lang, std::string_view key,
                       int status) {
  auto const& c = a.texts();
  std::string body = "<article><h1>" + esc(c.text(lang, "feedback.title")) + "</h1><p role=\"status\">" +
                     esc(c.text(lang, key)) + "</p></article>";
  return private_page(req, a, lang, std::string(c.text(lang, "feedback.title")), body, status, &e);
}

}  // namespace

// GET /f/{code}?e=&s=: the feedback form, or a thank-you when it was answered.
awaitable<response> feedback_page(request& req, app& a) {
  auto p = read_link(req, {});
  auto found = load_link(a, req, "feedback", p);
  if (!found) co_return std::move(found).error();
  auto& [r, e] = *found;
  auto lang = language_of(req, r);
  bool given = false;
  {
    app::reader db(a);
    given = has_given_feedback(*db, r.id);
  }
  if (given) co_return feedback_done(req, a, e, lang, "feedback.already", 200);
  co_return feedback_view(req, a, p, e, lang, {}, "");
}

// POST /f/{code}: the answer, stored once without the person.
awaitable<response> feedback_post(request& req, app& a) {
  fields form;
  if (!parse_form(req.body, form)) co_return not_found_page(req, pick_language(req), "manage.invalid");
  auto p = read_link(req, form);
  auto found = load_link(a, req, "feedback", p);
  if (!found) co_return std::move(found).error();
  auto& loaded = *found;
  auto const& r = loaded.first;
  auto const& e = loaded.second;
  auto lang = language_of(req, r);
  feedback_answer answer;
  for (std::size_t i = 0; i < feedback_questions.size(); ++i) {
    auto v = form_value(form, feedback_questions[i]);
    int n = 0;
    if (!v.empty()) {
      auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), n);
      answer.ratings[i] = ec == std::errc{} && end == v.data() + v.size() ? n : 0;  // 0: refused as invalid
    }
  }
  answer.comment = form_value(form, "comment");
  outcome<bool> done = fail(errc::not_found);
  co_await a.write([&](database& db) { done = give_feedback(db, e.id, r.id, answer, now()); });
  if (done) co_return feedback_done(req, a, e, lang, "feedback.thanks", 200);
  auto const& f = done.error();
  if (f.code == errc::already_answered) co_return feedback_done(req, a, e, lang, "feedback.already", 409);
  co_return feedback_view(req, a, p, e, lang, answer, failure_message(lang, f));
}

}  // namespace einlass::server
