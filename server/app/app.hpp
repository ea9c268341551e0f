#pragma once
// What every handler may use: configuration, database connections, the writer,
// catalogues, metrics and the rate limiter. No sockets here.
#include "checkin/db.hpp"
#include "checkin/users.hpp"
#include "checkin/writer.hpp"
#include "server/app/config.hpp"
#include "server/app/i18n.hpp"
#include "server/app/metrics.hpp"
#include "server/http/http.hpp"
#include "server/http/rate_limit.hpp"

#include <boost/asio/awaitable.hpp>

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <unordered_map>
#include <vector>

namespace boost::asio {
class thread_pool;
}

namespace einlass::server {

class mail_sender;
class webhook_sender;

template <class T>
using awaitable = boost::asio::awaitable<T>;

// The organiser's login cookie (HttpOnly, SameSite=Strict, Secure under TLS).
inline constexpr std::string_view session_cookie = "einlass_session";

class app {
 public:
  // Opens (creating and migrating as needed) the database at cfg.db_path.
  explicit app(config cfg);
  app(app const&) = delete;
  app& operator=(app const&) = delete;
  ~app();

  [[nodiscard]] config const& cfg() const { return cfg_; }
  [[nodiscard]] catalog const& texts() const { return catalog::builtin(); }
  [[nodiscard]] server::metrics& stats() { return metrics_; }
  [[nodiscard]] rate_limiter& limiter() { return limiter_; }
  [[nodiscard]] checkin::writer& db_writer() { return *writer_; }

  // A read connection for the duration of one handler step; never hold it across a co_await.
  class reader {
   public:
    reader(app& a);
    reader(reader const&) = delete;
    ~reader();
    checkin::database& operator*() { return *db_; }
    checkin::database* operator->() { return db_.get(); }

   private:
    app& app_;
    std::unique_ptr<checkin::database> db_;
  };
  // Read connections opened so far (each stays in the pool once made).
  [[nodiscard]] std::size_t read_connections() const { return read_connections_.load(); }

  // Runs job on the writer and resumes when its transaction is durably committed.
  // Rethrows what the job threw.
  awaitable<void> write(checkin::writer::job job);
  // The same for a thread that is no coroutine (the mail and webhook senders): blocks until then.
  void write_and_wait(checkin::writer::job job);

  // Slow work runs off the I/O threads, on one of two small pools: password checks (Argon2id,
  // a tenth of a second and 64 MiB each) and downloads. Separate, so a crowd at the sign-in
  // form cannot make an organiser's download wait, nor a big export hold up a sign-in.
  enum class pool { passwords, downloads };
  // Runs fn on that pool and resumes when it is done. Rethrows what fn threw.
  awaitable<void> blocking(pool p, std::function<void()> fn);
  // Runs fn on that pool without waiting for it (a mail whose sending must not show in the
  // answer's timing). Exceptions are logged.
  void in_background(pool p, std::function<void()> fn);

  // The organiser behind the request's bearer token or login cookie, if any.
  [[nodiscard]] std::optional<checkin::user> organiser(request const& req);

  // True at most every 30 s per device: when its last_seen_at is worth writing again.
  [[nodiscard]] bool device_seen(std::int64_t device_id);

  // Periodic chores: cancels registrations whose double opt-in time is up, queues reminders
  // and thank-you mails that are due, deletes personal data of events past their retention
  // period (audited).
  // Never throws; failures are logged and retried next time.
  awaitable<void> housekeeping();

  // Finishes queued writes and stops the writer (graceful shutdown).
  void stop_writer();

  // The absolute base URL for every link we hand out (pages, QR codes, API answers, mails):
  // --public-url, else the address the server listens on, set once it does. Never the
  // request's Host header, which the client chooses.
  [[nodiscard]] std::string link_base() const;
  void set_listen_url(std::string url);
  [[nodiscard]] std::string public_url() const;  // --public-url without a trailing slash, or empty

  // Starts the e-mail sender when mail is configured (after the server listens).
  void start_mail();

 private:
  config cfg_;
  std::unique_ptr<checkin::writer> writer_;
  std::unique_ptr<boost::asio::thread_pool> passwords_, downloads_;
  std::unique_ptr<mail_sender> mailer_;
  std::unique_ptr<webhook_sender> webhooks_;
  mutable std::mutex listen_mutex_;
  std::string listen_url_;
  server::metrics metrics_;
  rate_limiter limiter_;
  std::mutex seen_mutex_;
  std::unordered_map<std::int64_t, std::chrono::steady_clock::time_point> seen_;
  std::mutex pool_mutex_;
  std::vector<std::unique_ptr<checkin::database>> pool_;
  std::atomic<std::size_t> read_connections_{0};
};

}  // namespace einlass::server
