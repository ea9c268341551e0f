#include "tests/support/test_server.hpp"

#include "checkin/crypto.hpp"
#include "checkin/migrate.hpp"
#include "checkin/users.hpp"
#include "server/app/router.hpp"

#include <boost/json.hpp>

#include <stdexcept>

namespace einlass::test {

namespace json = boost::json;

test_server::test_server(std::function<void(server::config&)> adjust) : db_path_(storage_.target()) {
  server::config cfg;
  cfg.db_path = db_path_;
  cfg.port = 0;
  cfg.threads = 2;
  cfg.rate_limit = 0;
  cfg.access_log = false;
  if (adjust) adjust(cfg);
  {
    checkin::database db(db_path_);
    checkin::migrate(db);
    auto u = checkin::upsert_user(db, "organiser@example.org", "organiser", "correct horse battery");
    token_ = checkin::create_api_token(db, u.id);
  }
  app_ = std::make_unique<server::app>(cfg);
  server_ = std::make_unique<server::http_server>(*app_, server::make_router());
  port_ = server_->start();
  app_->set_listen_url("http://127.0.0.1:" + std::to_string(port_));
  app_->start_mail();
  thread_ = std::thread([this] { server_->run(); });
}

test_server::~test_server() { stop(); }

void test_server::stop() {
  if (!thread_.joinable()) return;
  server_->shutdown();
  thread_.join();
  app_->stop_writer();
}

std::string test_server::add_user(std::string const& email, std::string const& role, std::string const& password) {
  checkin::database db(db_path_);
  auto u = checkin::upsert_user(db, email, role, password);
  return checkin::create_api_token(db, u.id);
}

namespace {
// The value of the cookie `name` among a response's Set-Cookie headers, as "name=value".
std::string set_cookie(http_result const& r, std::string const& name) {
  for (auto const& [k, v] : r.headers)
    if (k == "set-cookie" && v.starts_with(name + "=")) return v.substr(0, v.find(';'));
  return {};
}
}  // namespace

test_server::browser_login test_server::login(std::string const& email, std::string const& password) {
  auto c = client();
  auto form = c.get("/admin/login");
  auto pre = set_cookie(form, "einlass_login");
  auto token = pre.substr(pre.find('=') + 1);
  auto r =
      c.request("POST", "/admin/login",
                "email=" + server::url_encode(email) + "&password=" + server::url_encode(password) + "&csrf=" + token,
                {{"Content-Type", "application/x-www-form-urlencoded"}, {"Cookie", pre}});
  browser_login out;
  out.cookie = set_cookie(r, "einlass_session");
  if (out.cookie.empty() || out.cookie == "einlass_session=") return {};
  auto page = c.get("/admin", {{"Cookie", out.cookie}});
  auto start = page.body.find("id=\"page-data\">");
  if (start == std::string::npos) return out;
  start = page.body.find('>', start) + 1;
  auto data = json::parse(page.body.substr(start, page.body.find("</script>", start) - start));
  out.csrf = std::string(data.at("csrf").as_string());
  return out;
}

json::object test_server::create_event_as(std::string const& token, json::object spec) {
  auto c = client();
  auto r = c.post_json("/api/v1/events", spec, {{"Authorization", "Bearer " + token}});
  if (r.status != 201) throw std::runtime_error("create_event: " + std::to_string(r.status) + " " + r.body);
  return r.json().as_object();
}

std::optional<double> metric(std::string const& text, std::string const& series) {
  auto at = ("\n" + text).find("\n" + series + " ");
  if (at == std::string::npos) return std::nullopt;
  return std::stod(text.substr(at + series.size() + 1));
}

}  // namespace einlass::test
