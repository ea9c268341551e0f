#include "server/app.hpp"

#include "checkin/migrate.hpp"

#include <boost/asio/async_result.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace einlass::server {

namespace asio = boost::asio;

app::app(config cfg) : cfg_(std::move(cfg)), limiter_(cfg_.rate_limit) {
  {
    checkin::database db(cfg_.db_path);
    checkin::migrate(db);
  }
  writer_ = std::make_unique<checkin::writer>(cfg_.db_path);
}

app::~app() { writer_->stop(); }

app::reader::reader(app& a) : app_(a) {
  {
    std::lock_guard lock(app_.pool_mutex_);
    if (!app_.pool_.empty()) {
      db_ = std::move(app_.pool_.back());
      app_.pool_.pop_back();
    }
  }
  if (!db_) db_ = std::make_unique<checkin::database>(app_.cfg_.db_path);
}

app::reader::~reader() {
  std::lock_guard lock(app_.pool_mutex_);
  app_.pool_.push_back(std::move(db_));
}

awaitable<void> app::write(checkin::writer::job job) {
  co_await asio::async_initiate<decltype(asio::use_awaitable), void(std::exception_ptr)>(
      [this, &job](auto handler) {
        auto ex = asio::get_associated_executor(handler);
        auto shared = std::make_shared<decltype(handler)>(std::move(handler));
        writer_->submit(std::move(job), [ex, shared](std::exception_ptr e) {
          asio::post(ex, [shared, e]() mutable { std::move (*shared)(e); });
        });
      },
      asio::use_awaitable);
}

std::optional<checkin::user> app::organiser(request const& req) {
  auto token = req.bearer();
  if (token.empty()) return std::nullopt;
  reader db(*this);
  return checkin::user_by_token(*db, token);
}

bool app::device_seen(std::int64_t device_id) {
  auto now = std::chrono::steady_clock::now();
  std::lock_guard lock(seen_mutex_);
  auto [it, fresh] = seen_.try_emplace(device_id, now);
  if (!fresh && now - it->second < std::chrono::seconds(30)) return false;
  it->second = now;
  return true;
}

std::string app::base_url(request const& req) const {
  if (!cfg_.public_url.empty()) {
    auto u = cfg_.public_url;
    while (!u.empty() && u.back() == '/') u.pop_back();
    return u;
  }
  std::string host(req.header("host"));
  if (host.empty() || host.find_first_of(" /\\\"'<>") != std::string::npos) host = cfg_.host + ':' + std::to_string(cfg_.port);
  return (req.secure ? "https://" : "http://") + host;
}

}  // namespace einlass::server
