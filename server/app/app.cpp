#include "server/app/app.hpp"

#include "checkin/attendees.hpp"
#include "checkin/audit.hpp"
#include "checkin/limits.hpp"
#include "checkin/mail.hpp"
#include "checkin/migrate.hpp"
#include "server/app/mailer.hpp"
#include "server/app/webhook_sender.hpp"
#include "server/http/log.hpp"

#include <boost/asio/async_result.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/use_awaitable.hpp>

#ifdef __GLIBC__
#include <malloc.h>

#include <future>
#endif

namespace einlass::server {

namespace asio = boost::asio;

app::app(config cfg) : cfg_(std::move(cfg)), limiter_(cfg_.rate_limit) {
#ifdef __GLIBC__
  // Under load malloc gave the top of each thread's heap back after nearly every request
  // (madvise, and with it a TLB flush on every core): 9% of a check-in's CPU in a profile.
  // Freed memory now stays for reuse until the housekeeping's malloc_trim() each minute.
  mallopt(M_TRIM_THRESHOLD, 64 << 20);
  mallopt(M_MMAP_THRESHOLD, 4 << 20);
#endif
  // Refused at once, before anything is made read-only beside it: a server that starts
  // and then answers every registration and scan with 503 is worse at a venue.
  if (auto why = checkin::unwritable_reason(cfg_.db_path); !why.empty())
    throw std::runtime_error("cannot write the database: " + why +
                             ". Give the server's user write access to the database file, its -wal and -shm files "
                             "and its folder (docs/operations.md), then start again");
  {
    checkin::database db(cfg_.db_path);
    checkin::migrate(db);
    // One file, one server: mails a killed predecessor had taken are this sender's now.
    if (db.engine() == checkin::engine::sqlite) checkin::release_all_mail_claims(db);
  }
  writer_ = std::make_unique<checkin::writer>(cfg_.db_path);
  passwords_ = std::make_unique<asio::thread_pool>(2);
  downloads_ = std::make_unique<asio::thread_pool>(2);
}

app::~app() {
  if (mailer_) mailer_->stop();
  if (webhooks_) webhooks_->stop();
  passwords_->join();
  downloads_->join();
  writer_->stop();
}

void app::stop_writer() {
  if (mailer_) mailer_->stop();      // it writes through the writer
  if (webhooks_) webhooks_->stop();  // so does this
  writer_->stop();
}

void app::start_mail() {
  if (cfg_.mail() && !mailer_) mailer_ = std::make_unique<mail_sender>(*this);
  if (!webhooks_) webhooks_ = std::make_unique<webhook_sender>(*this);  // webhooks need no mail server
}

void app::set_listen_url(std::string url) {
  std::lock_guard lock(listen_mutex_);
  listen_url_ = std::move(url);
}

std::string app::link_base() const {
  if (auto u = public_url(); !u.empty()) return u;
  std::lock_guard lock(listen_mutex_);
  return listen_url_;
}

std::string app::public_url() const {
  auto u = cfg_.public_url;
  while (!u.empty() && u.back() == '/') u.pop_back();
  return u;
}

awaitable<void> app::blocking(pool p, std::function<void()> fn) {
  auto& threads = p == pool::passwords ? *passwords_ : *downloads_;
  co_await asio::async_initiate<decltype(asio::use_awaitable), void(std::exception_ptr)>(
      [&threads, &fn](auto handler) {
        // Outstanding work on the caller's executor: its io_context keeps running (and alive)
        // until the result is back, even while the server shuts down.
        auto ex = asio::prefer(asio::get_associated_executor(handler), asio::execution::outstanding_work.tracked);
        auto shared = std::make_shared<decltype(handler)>(std::move(handler));
        asio::post(threads, [fn = std::move(fn), ex, shared]() mutable {
          std::exception_ptr e;
          try {
            fn();
          } catch (...) {
            e = std::current_exception();
          }
          asio::post(ex, [shared, e]() mutable { std::move (*shared)(e); });
        });
      },
      asio::use_awaitable);
}

void app::in_background(pool p, std::function<void()> fn) {
  asio::post(p == pool::passwords ? *passwords_ : *downloads_, [fn = std::move(fn)] {
    try {
      fn();
    } catch (std::exception const& e) {
      log_error(std::string("background work: ") + e.what());
    }
  });
}

app::reader::reader(app& a) : app_(a) {
  {
    std::lock_guard lock(app_.pool_mutex_);
    if (!app_.pool_.empty()) {
      db_ = std::move(app_.pool_.back());
      app_.pool_.pop_back();
    }
  }
  if (!db_) {
    db_ = std::make_unique<checkin::database>(app_.cfg_.db_path);
    app_.read_connections_.fetch_add(1);
  }
}

app::reader::~reader() {
  if (db_->broken()) {  // PostgreSQL went away: the next reader connects afresh
    app_.read_connections_.fetch_sub(1);
    return;
  }
  std::lock_guard lock(app_.pool_mutex_);
  app_.pool_.push_back(std::move(db_));
}

void app::write_and_wait(checkin::writer::job job) {
  std::promise<void> done;
  writer_->submit(std::move(job), [&done](std::exception_ptr e) {
    if (e) done.set_exception(e);
    else done.set_value();
  });
  done.get_future().get();
}

awaitable<void> app::write(checkin::writer::job job) {
  co_await asio::async_initiate<decltype(asio::use_awaitable), void(std::exception_ptr)>(
      [this, &job](auto handler) {
        auto ex = asio::prefer(asio::get_associated_executor(handler), asio::execution::outstanding_work.tracked);
        auto shared = std::make_shared<decltype(handler)>(std::move(handler));
        writer_->submit(std::move(job), [this, ex, shared](std::exception_ptr e) {
          if (mailer_) mailer_->wake();  // the job may have queued mail
          asio::post(ex, [shared, e]() mutable { std::move (*shared)(e); });
        });
      },
      asio::use_awaitable);
}

std::optional<checkin::user> app::organiser(request const& req) {
  reader db(*this);
  if (auto token = req.bearer(); !token.empty()) return checkin::user_by_token(*db, token);
  if (auto cookie = req.cookie(session_cookie); cookie && !cookie->empty())
    if (auto s = checkin::find_login_session(*db, *cookie, checkin::now())) return s->who;
  return std::nullopt;
}

awaitable<void> app::housekeeping() {
  try {
    std::vector<std::int64_t> purged;
    std::vector<std::string> mail_ids;
    int expired = 0;
    co_await write([&](checkin::database& db) {
      auto at = checkin::now();
      expired = checkin::run_mail_schedule(db, at);
      purged = checkin::purge_expired_personal_data(db, at);
      checkin::forget_expired_logins(db, at);
      checkin::forget_rate_windows(db, at);
      for (auto id : purged) {
        checkin::audit(db, checkin::user{0, "system", "admin"}, id, "event.purge", {}, at);
        for (auto& m : checkin::message_ids_of_event(db, id)) mail_ids.push_back(std::move(m));
      }
    });
    if (!purged.empty()) {
      // No copy left behind: the old pages in the WAL, the mails written as files.
      writer_->truncate_wal();
      auto files = forget_mail_files(cfg_, mail_ids);
      for (auto id : purged)
        log_line("personal data of event " + std::to_string(id) + " deleted after its retention period");
      if (files) log_line(std::to_string(files) + " mail files of those events deleted");
    }
    if (expired) log_line(std::to_string(expired) + " registrations not confirmed in time were cancelled");
  } catch (std::exception const& e) {
    log_error(std::string("housekeeping: ") + e.what());
  }
#ifdef __GLIBC__
  // Memory freed after a peak (a large download, a burst of requests on another thread's
  // arena) is kept by malloc for reuse; this gives whole free pages back to the system, so
  // the server's size follows what it uses. Well under a millisecond for a heap this size.
  malloc_trim(0);
#endif
}

bool app::device_seen(std::int64_t device_id) {
  auto now = std::chrono::steady_clock::now();
  std::lock_guard lock(seen_mutex_);
  auto [it, fresh] = seen_.try_emplace(device_id, now);
  if (!fresh && now - it->second < std::chrono::seconds(30)) return false;
  it->second = now;
  return true;
}

}  // namespace einlass::server
