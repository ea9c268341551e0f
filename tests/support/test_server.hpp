#pragma once
// The real server, in this process, on 127.0.0.1 with a port the OS picks, over a real
// SQLite file in a fresh temporary folder or a fresh PostgreSQL database (test_database.hpp).
#include "server/app/app.hpp"
#include "server/http/listener.hpp"
#include "tests/support/http_client.hpp"
#include "tests/support/specs.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/support/test_database.hpp"

#include <boost/json/object.hpp>

#include <filesystem>
#include <functional>
#include <optional>
#include <thread>

namespace einlass::test {

class test_server {
 public:
  explicit test_server(std::function<void(server::config&)> adjust = {});
  ~test_server();

  void stop();  // graceful shutdown, waits for it
  [[nodiscard]] std::uint16_t port() const { return port_; }
  [[nodiscard]] server::app& app() { return *app_; }
  [[nodiscard]] server::http_server& http() { return *server_; }
  [[nodiscard]] std::string const& db_path() const { return db_path_; }
  [[nodiscard]] http_client client() const { return http_client(port_); }
  // An organiser and their API token, made on start.
  [[nodiscard]] std::string const& token() const { return token_; }
  [[nodiscard]] std::vector<std::pair<std::string, std::string>> auth() const {
    return {{"Authorization", "Bearer " + token_}};
  }
  // Adds a user straight to the database and returns an API token for them.
  std::string add_user(std::string const& email, std::string const& role,
                       std::string const& password = "a long test password");

  // Signs in through the login form as a browser does: the session cookie ("name=value")
  // and the CSRF token the workspace page hands to its script. Empty cookie on failure.
  struct browser_login {
    std::string cookie, csrf;
    [[nodiscard]] std::vector<std::pair<std::string, std::string>> headers(bool with_csrf = true) const {
      std::vector<std::pair<std::string, std::string>> h{{"Cookie", cookie}};
      if (with_csrf) h.emplace_back("X-CSRF-Token", csrf);
      return h;
    }
  };
  browser_login login(std::string const& email = "organiser@example.org",
                      std::string const& password = "correct horse battery");

  // Creates an event through the API (201 expected) and returns its JSON.
  boost::json::object create_event(boost::json::object spec) { return create_event_as(token_, std::move(spec)); }
  boost::json::object create_event_as(std::string const& token, boost::json::object spec);

 private:
  temp_dir dir_;
  test_database storage_{dir_};
  std::string db_path_;
  std::unique_ptr<server::app> app_;
  std::unique_ptr<server::http_server> server_;
  std::thread thread_;
  std::uint16_t port_ = 0;
  std::string token_;
};

// The value of one series (its name with labels, as printed) in /metrics text, if it is there.
[[nodiscard]] std::optional<double> metric(std::string const& text, std::string const& series);

}  // namespace einlass::test
