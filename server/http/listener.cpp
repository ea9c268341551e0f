// The only translation unit with Beast: sockets, TLS, HTTP parsing and serialising.
#include "server/http/listener.hpp"

#include "server/app/errors.hpp"
#include "server/http/log.hpp"
#include "server/http/tls.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>

#include <atomic>
#include <chrono>
#include <list>
#include <thread>

namespace einlass::server {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace ssl = asio::ssl;
using tcp = asio::ip::tcp;
using namespace std::chrono_literals;
constexpr auto tuple_awaitable = asio::as_tuple(asio::use_awaitable);

namespace {

request to_request(http::request<http::string_body>&& in, std::string remote, bool secure, bool& target_ok) {
  request r;
  r.method = std::string(in.method_string());
  r.target = std::string(in.target());
  target_ok = parse_target(r.target, r.path, r.query);
  for (auto const& f : in) {
    std::string name(f.name_string());
    for (auto& ch : name) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    r.headers.emplace_back(std::move(name), std::string(f.value()));
  }
  r.body = std::move(in.body());
  r.remote = std::move(remote);
  r.secure = secure;
  return r;
}

}  // namespace

struct http_server::impl {
  app& a;
  router routes;
  asio::io_context ioc;
  // Acceptor, signals and the shutdown deadline are touched only on this strand.
  asio::strand<asio::io_context::executor_type> control{ioc.get_executor()};
  tcp::acceptor acceptor{control};
  asio::signal_set signals{control};
  std::mutex tls_mutex, renew_mutex;
  std::shared_ptr<ssl::context> tls;  // null without TLS
  std::chrono::steady_clock::time_point next_tls_check = std::chrono::steady_clock::now() + 12h;
  std::atomic<bool> stopping{false};
  asio::steady_timer deadline{control};
  asio::steady_timer chores{control};  // housekeeping every minute (server/app.hpp)

  // Open connections, so shutdown can close the idle ones.
  struct connection {
    asio::any_io_executor ex;
    std::function<void()> close;
    bool idle = true;  // touched only on ex
  };
  std::mutex conns_mutex;
  std::list<std::shared_ptr<connection>> conns;

  impl(app& app_, router r) : a(app_), routes(std::move(r)), ioc(std::max(1, app_.cfg().threads)) {}

  // The TLS context new connections take; replaced whole when the certificate is renewed
  // (a connection keeps the one it began with).
  std::shared_ptr<ssl::context> tls_context() {
    std::lock_guard lock(tls_mutex);
    return tls;
  }

  static std::shared_ptr<ssl::context> make_tls(tls_files const& files) {
    auto ctx = std::make_shared<ssl::context>(ssl::context::tls_server);
    ctx->set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 | ssl::context::no_sslv3 |
                     ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1 | ssl::context::single_dh_use |
                     SSL_OP_CIPHER_SERVER_PREFERENCE | SSL_OP_NO_RENEGOTIATION);
    SSL_CTX_set_min_proto_version(ctx->native_handle(), TLS1_2_VERSION);
    // TLS 1.2: forward secret AEAD suites only, no CBC (Mozilla's "intermediate" list, in our
    // order). TLS 1.3 has nothing else.
    SSL_CTX_set_cipher_list(ctx->native_handle(),
                            "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:"
                            "ECDHE-RSA-AES256-GCM-SHA384:ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305");
    ctx->use_certificate_chain_file(files.cert);
    ctx->use_private_key_file(files.key, ssl::context::pem);
    return ctx;
  }

  void setup_tls() {
    auto const& cfg = a.cfg();
    if (!cfg.tls()) return;
    tls_files files{cfg.tls_cert, cfg.tls_key, {}};
    if (cfg.tls_self_signed) files = ensure_self_signed(cfg.files_base());
    tls = make_tls(files);
  }

  bool renew_tls() {
    if (!a.cfg().tls_self_signed) return false;
    std::lock_guard renewing(renew_mutex);  // one renewal at a time writes the files
    auto files = ensure_self_signed(a.cfg().files_base());
    if (!files.made) return false;
    auto fresh = make_tls(files);
    std::lock_guard lock(tls_mutex);
    tls = std::move(fresh);
    return true;
  }

  awaitable<void> chores_loop() {
    for (;;) {
      co_await a.housekeeping();
      if (a.cfg().tls_self_signed && std::chrono::steady_clock::now() >= next_tls_check) {
        next_tls_check = std::chrono::steady_clock::now() + 12h;
        try {
          if (renew_tls()) log_line("renewed the TLS certificate; new connections use it");
        } catch (std::exception const& e) {
          log_error(std::string("renewing the TLS certificate: ") + e.what());
        }
      }
      // Back on the control strand: either shutdown began already, or its cancel() is yet to come.
      if (stopping) co_return;
      chores.expires_after(1min);
      auto [ec] = co_await chores.async_wait(tuple_awaitable);
      if (ec || stopping) co_return;
    }
  }

  template <class Stream>
  // Arguments are references to the caller's frame: GCC 12 mishandles some by-value
  // coroutine arguments and co_await inside conditional expressions.
  awaitable<bool> send(Stream& stream, response& res, unsigned version, bool head, bool keep_alive,
                       std::string const& remote, std::chrono::steady_clock::time_point started,
                       std::string_view method, std::string_view target) {
    if (auto bad = unsafe_header(res); !bad.empty()) {
      // A header built from input that slipped past its check: never sent (response splitting).
      log_error("refused to send header '" + std::string(header_safe(bad) ? bad : "(unprintable)") + "' of " +
                std::string(method) + " " + redact(target) + ": it holds CR, LF or NUL");
      res = error_response(default_language, http_error::internal);
    }
    http::response<http::string_body> out;
    out.result(static_cast<unsigned>(res.status));
    out.set(http::field::date, http_date(std::time(nullptr)));
    out.version(version);
    for (auto& [k, v] : res.headers) out.insert(k, v);  // insert: several Set-Cookie may go out
    // A handler may set its own policy (an uploaded SVG: stricter; the embeddable list: framable).
    for (auto const& [name, value] : security_headers)
      if (out.count(name) == 0) out.set(name, value);
    std::size_t bytes = res.file ? res.file->size : res.body.size();
    beast::error_code ec;
    if (res.file && !head) {
      // A download spooled to disk: streamed in chunks, with a timeout per chunk's progress.
      http::response<http::file_body> file_out{std::move(out.base())};
      beast::file f;
      f.native_handle(res.file->release());
      file_out.body().reset(std::move(f), ec);
      file_out.keep_alive(keep_alive);
      file_out.prepare_payload();
      http::response_serializer<http::file_body> sr{file_out};
      while (!ec && !sr.is_done()) {
        beast::get_lowest_layer(stream).expires_after(std::chrono::seconds(a.cfg().read_timeout_seconds));
        auto [wec, wn] = co_await http::async_write_some(stream, sr, tuple_awaitable);
        ec = wec;
      }
    } else {
      out.body() = std::move(res.body);
      out.keep_alive(keep_alive);
      out.prepare_payload();
      if (head) {
        out.body().clear();
        out.content_length(bytes);
      }
      beast::get_lowest_layer(stream).expires_after(std::chrono::seconds(a.cfg().read_timeout_seconds));
      auto [wec, n] = co_await http::async_write(stream, out, tuple_awaitable);
      ec = wec;
    }
    auto took = std::chrono::steady_clock::now() - started;
    a.stats().request_done(res.status, took);
    if (a.cfg().access_log)
      log_request({remote, method, redact(target), res.status, bytes,
                   std::chrono::duration_cast<std::chrono::microseconds>(took).count() / 1000.0});
    co_return !ec;
  }

  template <class Stream>
  awaitable<void> serve(Stream& stream, std::string remote, bool secure, std::shared_ptr<connection> conn) {
    beast::flat_buffer buffer;
    auto const& cfg = a.cfg();
    for (;;) {
      http::request_parser<http::string_body> parser;
      parser.body_limit(cfg.body_limit);
      parser.header_limit(16 * 1024);
      conn->idle = true;
      if (stopping) co_return;
      beast::get_lowest_layer(stream).expires_after(std::chrono::seconds(cfg.read_timeout_seconds));
      auto [ec, n] = co_await http::async_read_header(stream, buffer, parser, tuple_awaitable);
      conn->idle = false;
      auto started = std::chrono::steady_clock::now();
      metrics::in_progress counted(ec ? nullptr : &a.stats());  // from its head to its answer
      if (!ec && parser.get()[http::field::expect] == "100-continue") {
        http::response<http::empty_body> cont{http::status::continue_, parser.get().version()};
        auto [wec, wn] = co_await http::async_write(stream, cont, tuple_awaitable);
        ec = wec;
      }
      if (!ec && !parser.is_done())
        std::tie(ec, n) = co_await http::async_read(stream, buffer, parser, tuple_awaitable);
      if (ec == http::error::end_of_stream || ec == asio::error::operation_aborted || ec == beast::error::timeout ||
          ec == asio::error::eof || ec == asio::error::connection_reset)
        co_return;
      if (ec == http::error::body_limit) {
        auto res = error_response(default_language, http_error::payload_too_large);
        co_await send(stream, res, 11, false, false, remote, started, "-", "-");
        co_return;
      }
      if (ec) {  // a malformed request: say so once, then close
        if (ec.category() == http::make_error_code(http::error::bad_target).category()) {
          auto res = error_response(default_language, http_error::bad_request);
          co_await send(stream, res, 11, false, false, remote, started, "-", "-");
        }
        co_return;
      }
      auto breq = parser.release();
      bool keep_alive = breq.keep_alive() && !stopping;
      std::string method(breq.method_string()), target(breq.target());
      unsigned version = breq.version();
      bool head = breq.method() == http::verb::head;
      bool target_ok = true;
      auto req = to_request(std::move(breq), remote, secure, target_ok);
      if (!a.cfg().trusted_proxies.empty()) apply_forwarded(req, a.cfg().trusted_proxies);
      response res;
      if (target_ok && plausible_host(req.header("host"))) res = co_await routes.dispatch(req, a);
      else res = error_response(pick_language(req), http_error::bad_request);
      keep_alive = keep_alive && !stopping;
      bool sent = co_await send(stream, res, version, head, keep_alive, remote, started, method, target);
      if (!sent) co_return;
      if (!keep_alive) co_return;
    }
  }

  // Whether the client opens with a TLS handshake (its first byte 0x16), looked at without
  // taking it from the socket.
  // A client that sends nothing is dropped after 10 s, as a handshake that never comes is:
  // nothing when it closed, sent nothing in time, or shutdown came first.
  awaitable<std::optional<bool>> starts_tls(beast::tcp_stream& s) {
    unsigned char first = 0;
    asio::steady_timer limit(s.get_executor(), 10s);
    limit.async_wait([&s](beast::error_code ec) {
      beast::error_code ignored;  // the stream may be moved on by then: never throw here
      if (!ec) s.socket().cancel(ignored);
    });
    auto [ec, n] =
        co_await s.socket().async_receive(asio::buffer(&first, 1), tcp::socket::message_peek, tuple_awaitable);
    limit.cancel();
    if (ec || n == 0) co_return std::nullopt;
    co_return first == 0x16;
  }

  // Plain HTTP on the HTTPS port (an address typed by hand on a tablet): one answer that
  // sends the browser to the same address over https, then close.
  awaitable<void> redirect_to_https(beast::tcp_stream& s, std::string const& remote) {
    beast::flat_buffer buffer;
    http::request_parser<http::empty_body> parser;
    parser.header_limit(16 * 1024);
    s.expires_after(std::chrono::seconds(a.cfg().read_timeout_seconds));
    auto [ec, n] = co_await http::async_read_header(s, buffer, parser, tuple_awaitable);
    if (ec) co_return;
    auto const& in = parser.get();
    std::string host(in[http::field::host]);
    std::string target(in.target());
    std::string base = plausible_host(host) && !host.empty() ? "https://" + host : a.link_base();
    if (base.starts_with("http://")) base = "https://" + base.substr(7);
    if (target.empty() || target.front() != '/' || !header_safe(target)) target = "/";
    auto res = redirect(base + target, 308);
    res.set("Connection", "close");
    auto started = std::chrono::steady_clock::now();
    std::string method(in.method_string());
    bool head = in.method() == http::verb::head;
    co_await send(s, res, in.version(), head, false, remote, started, method, target);
  }

  awaitable<void> session(tcp::socket socket) {
    beast::error_code ec;
    auto ep = socket.remote_endpoint(ec);
    std::string remote = ec ? "-" : ep.address().to_string();
    auto conn = std::make_shared<connection>();
    conn->ex = socket.get_executor();
    std::list<std::shared_ptr<connection>>::iterator self;
    {
      std::lock_guard lock(conns_mutex);
      self = conns.insert(conns.end(), conn);
    }
    a.stats().connection_opened();
    beast::tcp_stream tcp_stream(std::move(socket));
    try {
      auto tls_now = tls_context();
      std::optional<bool> tls_first = true;
      if (tls_now) {
        conn->close = [&tcp_stream] { tcp_stream.cancel(); };  // shutdown ends the wait for a first byte
        tls_first = co_await starts_tls(tcp_stream);
        conn->close = nullptr;
      }
      if (!tls_first) {
        // Gone, silent, or shut down before its first byte: nothing to answer.
      } else if (!*tls_first) {
        conn->close = [&tcp_stream] { tcp_stream.cancel(); };
        co_await redirect_to_https(tcp_stream, remote);
        conn->close = nullptr;
      } else if (tls_now) {
        beast::ssl_stream<beast::tcp_stream> stream(std::move(tcp_stream), *tls_now);
        conn->close = [&stream] { beast::get_lowest_layer(stream).cancel(); };
        beast::get_lowest_layer(stream).expires_after(10s);
        auto [hec] = co_await stream.async_handshake(ssl::stream_base::server, tuple_awaitable);
        if (!hec) {
          co_await serve(stream, remote, true, conn);
          beast::get_lowest_layer(stream).expires_after(2s);
          co_await stream.async_shutdown(tuple_awaitable);
        }
        conn->close = nullptr;
      } else {
        conn->close = [&tcp_stream] { tcp_stream.cancel(); };
        co_await serve(tcp_stream, remote, false, conn);
        beast::error_code sec;
        tcp_stream.socket().shutdown(tcp::socket::shutdown_send, sec);
        conn->close = nullptr;
      }
    } catch (std::exception const& e) {
      conn->close = nullptr;
      log_error(std::string("connection: ") + e.what());
    }
    a.stats().connection_closed();
    {
      std::lock_guard lock(conns_mutex);
      conns.erase(self);
    }
    if (stopping) asio::post(control, [this] { finish_if_idle(); });
  }

  // Once stopping and the last connection is gone, nothing keeps run() from returning.
  void finish_if_idle() {
    std::lock_guard lock(conns_mutex);
    if (conns.empty()) deadline.cancel();
  }

  awaitable<void> accept_loop() {
    for (;;) {
      auto [ec, socket] = co_await acceptor.async_accept(asio::make_strand(ioc), tuple_awaitable);
      if (ec == asio::error::operation_aborted || !acceptor.is_open()) co_return;
      if (ec) {  // e.g. out of file descriptors: wait a little rather than spin
        log_error("accept: " + ec.message());
        asio::steady_timer t(ioc, 100ms);
        co_await t.async_wait(tuple_awaitable);
        continue;
      }
      // Over the connection limit: closed at once, so the ones already open keep being served
      // and the process keeps file descriptors for the database.
      if (a.stats().open_connections() >= a.cfg().max_connections) {
        a.stats().connection_refused();
        beast::error_code cec;
        socket.close(cec);
        continue;
      }
      auto ex = socket.get_executor();
      asio::co_spawn(ex, session(std::move(socket)), asio::detached);
    }
  }

  void begin_shutdown() {
    if (stopping.exchange(true)) return;
    asio::post(control, [this] {
      beast::error_code ec;
      acceptor.close(ec);
      signals.cancel(ec);
      chores.cancel();
      std::lock_guard lock(conns_mutex);
      for (auto const& c : conns)
        asio::post(c->ex, [c] {
          if (c->idle && c->close) c->close();
        });
      // Requests in flight get 10 seconds to finish; then every connection is closed.
      deadline.expires_after(10s);
      deadline.async_wait([this](beast::error_code wec) {
        if (wec) return;
        std::lock_guard lock2(conns_mutex);
        for (auto const& c : conns)
          asio::post(c->ex, [c] {
            if (c->close) c->close();
          });
      });
      if (conns.empty()) deadline.cancel();
    });
  }
};

http_server::http_server(app& a, router r) : impl_(std::make_unique<impl>(a, std::move(r))) {}
http_server::~http_server() = default;

std::uint16_t http_server::start() {
  auto& i = *impl_;
  i.setup_tls();
  auto address = asio::ip::make_address(i.a.cfg().host);
  tcp::endpoint ep(address, i.a.cfg().port);
  i.acceptor.open(ep.protocol());
  i.acceptor.set_option(asio::socket_base::reuse_address(true));
  i.acceptor.bind(ep);
  i.acceptor.listen(asio::socket_base::max_listen_connections);
  asio::co_spawn(i.control, i.accept_loop(), asio::detached);
  asio::co_spawn(i.control, i.chores_loop(), asio::detached);
  return i.acceptor.local_endpoint().port();
}

void http_server::run() {
  auto& i = *impl_;
  std::vector<std::thread> threads;
  for (int t = 1; t < i.a.cfg().threads; ++t) threads.emplace_back([&i] { i.ioc.run(); });
  i.ioc.run();
  for (auto& t : threads) t.join();
}

void http_server::shutdown() { impl_->begin_shutdown(); }

bool http_server::renew_tls() { return impl_->renew_tls(); }

void http_server::stop_on_signals() {
  auto& i = *impl_;
  i.signals.add(SIGINT);
  i.signals.add(SIGTERM);
  i.signals.async_wait([&i](beast::error_code ec, int sig) {
    if (ec) return;
    log_line("signal " + std::to_string(sig) + ": finishing requests in flight, then stopping");
    i.begin_shutdown();
  });
}

}  // namespace einlass::server
