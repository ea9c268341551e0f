// Downloads for organisers, written to an unlinked temporary file on the blocking pool and
// streamed from there, so neither an I/O thread nor memory grows with the event; and the
// arrivals chart as SVG.
#include "checkin/attendees.hpp"
#include "checkin/audit.hpp"
#include "checkin/certificates.hpp"
#include "checkin/export.hpp"
#include "checkin/organisations.hpp"
#include "checkin/paperwork.hpp"
#include "checkin/pdf.hpp"
#include "checkin/stats.hpp"
#include "server/api/api.hpp"
#include "server/api/chart.hpp"
#include "server/api/input.hpp"
#include "server/app/attendance_pdf.hpp"
#include "server/app/auth.hpp"
#include "server/app/badges_pdf.hpp"
#include "server/app/certificate_pdf.hpp"
#include "server/app/errors.hpp"
#include "server/app/i18n.hpp"
#include "server/app/report_pdf.hpp"
#include "server/app/requests.hpp"

#include <fcntl.h>
#include <unistd.h>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <stdexcept>

namespace einlass::server {

using namespace checkin;

namespace {

struct download_kind {
  std::string_view name;  // the last path segment
  std::string_view content_type;
};
constexpr download_kind kinds[] = {
    {"attendees.csv", "text/csv; charset=utf-8"},
    {"attendees.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"},
    {"attendees.json", "application/json; charset=utf-8"},
    {"stats.csv", "text/csv; charset=utf-8"},
    {"stats.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"},
};

std::string temp_dir() {
  char const* t = std::getenv("TMPDIR");
  return t && *t ? t : "/tmp";
}

// Writes through a FILE* to an anonymous temporary file and hands over its descriptor.
template <class F>
std::shared_ptr<file_body> spool(F&& write) {
  std::FILE* f = std::tmpfile();
  if (!f) throw std::runtime_error("download: no temporary file");
  std::setvbuf(f, nullptr, _IOFBF, 1 << 16);
  try {
    write(f);
  } catch (...) {
    std::fclose(f);
    throw;
  }
  bool ok = std::fflush(f) == 0 && !std::ferror(f);
  int fd = ok ? ::dup(fileno(f)) : -1;
  std::fclose(f);
  if (fd < 0) throw std::runtime_error("download: writing the temporary file failed");
  return std::make_shared<file_body>(fd);
}

// libxlsxwriter wants a path: a fresh one, opened and unlinked once written.
template <class F>
std::shared_ptr<file_body> spool_xlsx(std::string const& zone, F&& write) {
  std::string path = temp_dir() + "/einlass-XXXXXX";
  int probe = ::mkstemp(path.data());
  if (probe < 0) throw std::runtime_error("download: no temporary file");
  ::close(probe);
  try {
    xlsx_book book(path, zone);
    write(book);
    book.close();
  } catch (...) {
    ::unlink(path.c_str());
    throw;
  }
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  ::unlink(path.c_str());
  if (fd < 0) throw std::runtime_error("download: cannot reopen the workbook");
  return std::make_shared<file_body>(fd);
}

std::shared_ptr<file_body> write_download(database& db, event const& e, std::string_view name, char sep,
                                          labeller const& label, attendee_filter const& only) {
  if (name == "attendees.csv")
    return spool([&](std::FILE* f) {
      csv_sink out(f, sep, e.timezone);
      write_attendees(db, e, out, label, only);
    });
  if (name == "attendees.json") return spool([&](std::FILE* f) { write_attendees_json(db, e, f, only); });
  if (name == "stats.csv")
    return spool([&](std::FILE* f) {
      csv_sink out(f, sep, e.timezone);
      write_stats(e, compute_stats(db, e, 15), out, label);
    });
  bool attendees = name == "attendees.xlsx";
  return spool_xlsx(e.timezone, [&](xlsx_book& book) {
    if (attendees) {
      write_attendees(db, e, book.sheet(label("sheet.attendees")), label, only);
      write_checkins(db, e, book.sheet(label("sheet.checkins")), label);
    }
    write_stats(e, compute_stats(db, e, 15), book.sheet(label("sheet.statistics")), label);
  });
}

}  // namespace

awaitable<response> event_download(request& req, app& a, event_call& call) {
  auto& lang = call.lang;
  auto& who = call.who;
  auto& e = call.event;
  auto name = std::string_view(req.path).substr(req.path.rfind('/') + 1);
  download_kind const* kind = nullptr;
  for (auto const& k : kinds)
    if (k.name == name) kind = &k;
  if (!kind) co_return error_response(lang, http_error::not_found);
  char sep = ';';
  if (auto s = req.query_value("separator")) {
    if (*s == "comma") sep = ',';
    else if (*s != "semicolon")
      co_return error_response(lang, failure{errc::invalid_field, {{"separator", "invalid_choice"}}, {}});
  }
  // A selection from the attendee list (its filters, or ids picked by hand): only those people.
  auto only = filter_from_query(req, lang, e);
  if (!only) co_return std::move(only).error();
  auto wlang = workspace_language(req);
  labeller label = [&wlang](std::string_view key) {
    return std::string(catalog::workspace().text(wlang, "export." + std::string(key)));
  };
  std::shared_ptr<file_body> body;
  co_await a.blocking(app::pool::downloads, [&] {
    app::reader db(a);
    body = write_download(*db, e, name, sep, label, *only);
  });
  co_await a.write([&](database& db) {
    audit(db, who, e.id, "event.download", {{"file", name}, {"bytes", body->size}}, now());
  });
  response r;
  r.file = body;
  r.set("Content-Type", std::string(kind->content_type));
  // The slug is checked ([a-z0-9-]) and the name one of `kinds`: nothing else goes in. A CSV
  // with commas is saved under a name of its own, beside the one with semicolons.
  std::string file_name = e.slug + "-" + std::string(name);
  if (sep == ',') file_name.insert(file_name.rfind('.'), "-comma");
  r.set("Content-Disposition", attachment(file_name));
  r.set("Cache-Control", "no-store");
  co_return r;
}

namespace {

// A PDF drawn into a spooled file (memory stays that of a page); `draw` returns the pages drawn.
std::shared_ptr<file_body> spool_pdf(pdf::page_size size, std::string const& title,
                                     std::function<int(pdf::document&)> const& draw, int& pages) {
  return spool([&](std::FILE* out) {
    pdf::document d([out](std::string_view bytes) { std::fwrite(bytes.data(), 1, bytes.size(), out); }, size, title);
    pages = draw(d);
    d.finish();
  });
}

// The people the filter picks, a page of rows at a time (f's limit and offset move along).
auto rows_of(database& db, event const& e, attendee_filter& f) {
  return [&db, &e, &f](std::int64_t offset, int limit) {
    f.offset = static_cast<int>(offset);
    f.limit = limit;
    return list_attendees(db, e.id, f).rows;
  };
}

response pdf_download(std::shared_ptr<file_body> body, std::string const& file_name) {
  response r;
  r.file = std::move(body);
  r.set("Content-Type", "application/pdf");
  r.set("Content-Disposition", attachment(file_name));
  r.set("Cache-Control", "no-store");
  return r;
}

}  // namespace

// GET …/attendance.pdf[?list=event|SESSION_ID]: the signature list of the confirmed people,
// written a page of rows at a time into a spooled file.
awaitable<response> attendance_download(request& req, app& a, event_call& call) {
  auto& e = call.event;
  session_info const* session = nullptr;
  if (auto l = req.query_value("list"); l && *l != "event") {
    auto id = number_of(*l);
    session = id ? e.find_session(*id) : nullptr;
    if (!session) co_return error_response(call.lang, failure{errc::invalid_field, {{"list", "unknown_session"}}, {}});
  }
  attendee_filter f;
  f.status = reg_status::confirmed;
  if (session) f.session_id = session->id;
  f.sort = "name";
  auto lang = workspace_language(req);
  std::shared_ptr<file_body> body;
  int pages = 0;
  co_await a.blocking(app::pool::downloads, [&] {
    app::reader db(a);
    auto org = organisation_of(*db, e);
    f.limit = 1;
    attendance_document doc{e,
                            session,
                            org ? &*org : nullptr,
                            org ? organisation_logo(*db, org->slug) : std::nullopt,
                            lang,
                            list_attendees(*db, e.id, f).total,
                            10,
                            rows_of(*db, e, f),
                            funder_logos(*db, e.id)};
    auto title = std::string(catalog::workspace().text(lang, "attendance.heading")) + " – " + e.slug;
    body = spool_pdf(
        pdf::a4, title, [&](pdf::document& d) { return attendance_pdf(doc, d); }, pages);
  });
  co_await a.write([&](database& db) {
    audit(db, call.who, e.id, "event.download", {{"file", "attendance.pdf"}, {"pages", pages}}, now());
  });
  co_return pdf_download(body,
                         e.slug + (session ? "-attendance-" + std::to_string(session->id) : "-attendance") + ".pdf");
}

// GET …/badges.pdf?layout=a4-8|a4-10|label-62[&session=ID][&qr=1][&printed=no][&id=ID]: name
// badges of the confirmed people (of one working group, those not yet printed, or one person),
// sorted by last name, a page of rows at a time; those drawn are then marked printed.
awaitable<response> badges_download(request& req, app& a, event_call& call) {
  auto& e = call.event;
  auto layout = find_badge_layout(req.query_value("layout").value_or("a4-8"));
  if (!layout) co_return error_response(call.lang, failure{errc::invalid_field, {{"layout", "invalid_choice"}}, {}});
  attendee_filter f;
  f.status = reg_status::confirmed;
  f.sort = "name";
  if (auto sid = req.query_value("session")) {
    auto id = number_of(*sid);
    if (!id || !e.find_session(*id))
      co_return error_response(call.lang, failure{errc::invalid_field, {{"session", "unknown_session"}}, {}});
    f.session_id = *id;
  }
  if (req.query_value("printed").value_or("") == "no") f.badge_printed = false;
  if (auto one = req.query_value("id")) f.ids = {number_of(*one).value_or(0)};
  std::shared_ptr<file_body> body;
  int pages = 0;
  std::vector<std::int64_t> drawn;
  co_await a.blocking(app::pool::downloads, [&] {
    app::reader db(a);
    f.limit = 1;
    auto rows = rows_of(*db, e, f);
    badge_document doc{e,
                       *layout,
                       workspace_language(req),
                       req.query_value("qr").value_or("") == "1",
                       list_attendees(*db, e.id, f).total,
                       [&](std::int64_t offset, int limit) {
                         auto page = rows(offset, limit);
                         for (auto const& r : page) drawn.push_back(r.reg.id);
                         return page;
                       }};
    body = spool_pdf(
        layout->page, e.slug + " badges", [&](pdf::document& d) { return badges_pdf(doc, d); }, pages);
  });
  co_await a.write([&](database& db) {
    mark_badges_printed(db, e.id, drawn, now());
    audit(db, call.who, e.id, "event.download", {{"file", "badges.pdf"}, {"pages", pages}, {"badges", drawn.size()}},
          now());
  });
  co_return pdf_download(body, e.slug + "-badges-" + std::string(layout->name) + ".pdf");
}

// GET …/certificates.pdf[?lang=de|en|ar]: a certificate for everyone who came, each in their
// language (or the one asked for), sorted by last name; ids are given to those without one first.
awaitable<response> certificates_download(request& req, app& a, event_call& call) {
  auto& e = call.event;
  std::string lang(req.query_value("lang").value_or(""));
  if (!lang.empty() && !is_supported_language(lang))
    co_return error_response(call.lang, failure{errc::invalid_field, {{"lang", "invalid_choice"}}, {}});
  co_await a.write([&](database& db) { issue_certificates(db, e.id, now()); });
  attendee_filter f;
  f.checked_in = true;
  f.sort = "name";
  std::shared_ptr<file_body> body;
  int pages = 0;
  co_await a.blocking(app::pool::downloads, [&] {
    app::reader db(a);
    auto org = organisation_of(*db, e);
    auto ids = certificate_ids(*db, e.id);
    f.limit = 1;
    auto rows = rows_of(*db, e, f);
    certificate_document doc{e,
                             org ? &*org : nullptr,
                             org ? organisation_logo(*db, org->slug) : std::nullopt,
                             event_image(*db, e.id, "signature"),
                             funder_logos(*db, e.id),
                             a.link_base(),
                             lang,
                             list_attendees(*db, e.id, f).total,
                             [&](std::int64_t offset, int limit) {
                               std::vector<certificate_entry> out;
                               for (auto& r : rows(offset, limit))
                                 if (auto id = ids.find(r.reg.id); id != ids.end() && !r.anonymised)
                                   out.push_back({r.reg, certificate_code(*db, e, r.reg, id->second)});
                               return out;
                             }};
    auto title = std::string(catalog::builtin().text(lang.empty() ? e.language : lang, "certificate.title"));
    body = spool_pdf(
        pdf::a4, title + " – " + e.slug, [&](pdf::document& d) { return certificates_pdf(doc, d); }, pages);
  });
  co_await a.write([&](database& db) {
    audit(db, call.who, e.id, "event.download", {{"file", "certificates.pdf"}, {"pages", pages}}, now());
  });
  co_return pdf_download(body, e.slug + "-certificates.pdf");
}

// GET …/report.pdf[?lang=de|en]: the report for the funder, from the counters and the feedback.
awaitable<response> report_download(request& req, app& a, event_call& call) {
  auto& e = call.event;
  auto lang = std::string(req.query_value("lang").value_or(workspace_language(req)));
  if (lang != "de" && lang != "en")
    co_return error_response(call.lang, failure{errc::invalid_field, {{"lang", "invalid_choice"}}, {}});
  std::shared_ptr<file_body> body;
  int pages = 0;
  co_await a.blocking(app::pool::downloads, [&] {
    app::reader db(a);
    auto org = organisation_of(*db, e);
    report_document doc{e,
                        org ? &*org : nullptr,
                        org ? organisation_logo(*db, org->slug) : std::nullopt,
                        funder_logos(*db, e.id),
                        lang,
                        compute_stats(*db, e, report_bucket_minutes(e)),
                        summarise_feedback(*db, e.id),
                        now()};
    auto title = std::string(catalog::workspace().text(lang, "report.title")) + " – " + e.slug;
    body = spool_pdf(
        pdf::a4, title, [&](pdf::document& d) { return report_pdf(doc, d); }, pages);
  });
  co_await a.write([&](database& db) {
    audit(db, call.who, e.id, "event.download", {{"file", "report.pdf"}, {"pages", pages}}, now());
  });
  co_return pdf_download(body, e.slug + "-report-" + lang + ".pdf");
}

awaitable<response> arrivals_chart(request& req, app& a, event_call& call) {
  auto& e = call.event;
  int bucket = 15;
  if (auto b = req.query_value("bucket"))
    if (auto n = std::atoi(std::string(*b).c_str()); n >= 1 && n <= 1440) bucket = n;
  checkin::event_stats s;
  {
    app::reader db(a);
    s = compute_stats(*db, e, bucket);
  }
  response r;
  r.body = arrivals_svg(s, e.timezone, workspace_language(req));
  r.set("Content-Type", "image/svg+xml");
  r.set("Cache-Control", "no-store");
  co_return r;
}

}  // namespace einlass::server
