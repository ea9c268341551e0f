// PostgreSQL through libpq: prepared statements over a plain connection, results in text
// form (bytea decoded), SQLSTATEs mapped to the kinds of failure the rest of Einlass knows.
#include "checkin/db.hpp"
#include "checkin/postgres_sql.hpp"

#include <libpq-fe.h>

#include <charconv>
#include <cstdlib>
#include <vector>

namespace einlass::checkin {

namespace {

constexpr Oid bytea_oid = 17;
constexpr Oid text_oid = 25;

// One key for "this database is being written": every server's transactions take it first,
// so writes are serial across servers exactly as SQLite's one writer makes them within one.
constexpr std::string_view write_lock = "SELECT pg_advisory_xact_lock(7306916945126241651)";

// What a failed result or connection means: a constraint, a lock not had in time, or the
// storage itself (the server gone, restarting, out of disk or memory).
db_error pg_failure(PGconn* conn, PGresult const* res, std::string_view context) {
  std::string message = res ? PQresultErrorMessage(res) : PQerrorMessage(conn);
  while (!message.empty() && (message.back() == '\n' || message.back() == ' ')) message.pop_back();
  char const* state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : nullptr;
  std::string_view s = state ? state : "";
  auto what = std::string(context) + ": " + message;
  if (PQstatus(conn) == CONNECTION_BAD || s.empty() || s.starts_with("08") || s.starts_with("53") ||
      s.starts_with("58") || s.starts_with("57P"))
    return {io_db_error(), what, true};
  if (s.starts_with("23")) return {constraint_db_error(), what, false};
  if (s == "40001" || s == "40P01" || s == "55P03" || s == "57014") return {busy_db_error(), what, true};
  return {generic_db_error(), what, false};
}

class pg_connection;

class pg_statement final : public detail::statement_impl {
 public:
  pg_statement(pg_connection& c, std::string_view sql, bool persistent);
  pg_statement(pg_statement const&) = delete;
  pg_statement& operator=(pg_statement const&) = delete;
  ~pg_statement() override { PQclear(res_); }

  void bind_text(int index, std::string_view value) override { set(index, std::string(value), 0); }
  void bind_int64(int index, std::int64_t value) override { set(index, std::to_string(value), 0); }
  void bind_null(int index) override { present_[checked(index)] = 0; }
  void bind_blob(int index, void const* data, std::size_t size) override {
    set(index, std::string(static_cast<char const*>(data), size), 1);
  }

  bool step() override;
  void reset() override {
    PQclear(res_);
    res_ = nullptr;
    row_ = -1;
    std::fill(present_.begin(), present_.end(), 0);
  }

  [[nodiscard]] int columns() const override { return res_ ? PQnfields(res_) : 0; }
  [[nodiscard]] bool is_null(int col) const override { return PQgetisnull(res_, row_, col) != 0; }
  [[nodiscard]] std::int64_t int64(int col) const override {
    if (is_null(col)) return 0;
    std::string_view v(PQgetvalue(res_, row_, col), static_cast<std::size_t>(PQgetlength(res_, row_, col)));
    if (v == "t") return 1;
    if (v == "f") return 0;
    std::int64_t n = 0;
    std::from_chars(v.data(), v.data() + v.size(), n);  // a numeric's fraction is cut off
    return n;
  }
  [[nodiscard]] std::string text(int col) const override {
    return {PQgetvalue(res_, row_, col), static_cast<std::size_t>(PQgetlength(res_, row_, col))};
  }
  [[nodiscard]] std::string blob(int col) const override {
    if (PQftype(res_, col) != bytea_oid) return text(col);
    std::size_t n = 0;
    auto* raw = PQunescapeBytea(reinterpret_cast<unsigned char const*>(PQgetvalue(res_, row_, col)), &n);
    if (!raw) throw db_error(generic_db_error(), "bytea: out of memory", true);
    std::string out(reinterpret_cast<char const*>(raw), n);
    PQfreemem(raw);
    return out;
  }

 private:
  [[nodiscard]] std::optional<std::size_t> slot(int index) const {
    if (index < 1 || static_cast<std::size_t>(index) > values_.size()) return std::nullopt;
    return static_cast<std::size_t>(index - 1);
  }
  std::size_t checked(int index) const {
    auto i = slot(index);
    if (!i) throw db_error(generic_db_error(), "bind: no parameter ?" + std::to_string(index));
    return *i;
  }
  void set(int index, std::string value, int format) {
    auto i = checked(index);
    values_[i] = std::move(value);
    formats_[i] = format;
    present_[i] = 1;
  }

  pg_connection& c_;
  postgres_sql sql_;
  std::string name_;  // empty: run once, unnamed
  std::vector<std::string> values_;
  std::vector<int> formats_;
  std::vector<char> present_;
  // A parameter the text never mentions (bound all the same) is typed as text, or PostgreSQL
  // could not say what it is; the others are PostgreSQL's to infer.
  std::vector<Oid> types_;
  PGresult* res_ = nullptr;
  int row_ = -1;
};

class pg_connection final : public detail::connection {
 public:
  explicit pg_connection(std::string const& url) : conn_(PQconnectdb(url.c_str())) {
    if (!conn_) throw db_error(io_db_error(), "PostgreSQL: out of memory", true);
    if (PQstatus(conn_) != CONNECTION_OK) {
      auto e = pg_failure(conn_, nullptr, "cannot connect to PostgreSQL");
      PQfinish(conn_);
      throw e;
    }
    session();
  }
  pg_connection(pg_connection const&) = delete;
  pg_connection& operator=(pg_connection const&) = delete;
  ~pg_connection() override { PQfinish(conn_); }

  [[nodiscard]] checkin::engine engine() const noexcept override { return engine::postgresql; }

  void exec(std::string_view sql) override {
    std::string s(sql);
    PGresult* res = PQexec(conn_, s.c_str());
    take(res, "exec");
  }

  [[nodiscard]] std::unique_ptr<detail::statement_impl> prepare(std::string_view sql, bool persistent) override {
    return std::make_unique<pg_statement>(*this, sql, persistent);
  }

  [[nodiscard]] int changes() const override { return changes_; }
  [[nodiscard]] bool broken() const override { return PQstatus(conn_) != CONNECTION_OK; }
  void reconnect() override {
    PQreset(conn_);
    if (PQstatus(conn_) != CONNECTION_OK) throw pg_failure(conn_, nullptr, "cannot reconnect to PostgreSQL");
    session();
  }
  [[nodiscard]] bool in_transaction() const override { return PQtransactionStatus(conn_) != PQTRANS_IDLE; }
  void begin_read() override { exec("BEGIN ISOLATION LEVEL REPEATABLE READ"); }
  void begin_write() override {
    exec("BEGIN");
    try {
      exec(write_lock);
    } catch (...) {
      if (!broken()) exec("ROLLBACK");
      throw;
    }
  }

  // Checks a result, notes the rows it changed, and frees it unless the caller keeps it.
  PGresult* take(PGresult* res, std::string_view context, bool keep = false) {
    auto status = res ? PQresultStatus(res) : PGRES_FATAL_ERROR;
    if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
      auto e = pg_failure(conn_, res, context);
      PQclear(res);
      throw e;
    }
    auto const* n = PQcmdTuples(res);
    changes_ = n && *n ? std::atoi(n) : 0;
    if (keep) return res;
    PQclear(res);
    return nullptr;
  }

  [[nodiscard]] PGconn* handle() const noexcept { return conn_; }
  std::string next_name() { return "s" + std::to_string(++statements_); }

 private:
  void session() {
    // Notices ("already exists, skipping") are not errors and not for the server's log.
    PQsetNoticeProcessor(
        conn_, [](void*, char const*) {}, nullptr);
    // A lock another server holds is waited for as long as SQLite waits for its file lock.
    exec("SET lock_timeout = " + std::to_string(busy_timeout_ms) + "; SET client_encoding = 'UTF8'");
  }

  PGconn* conn_;
  int changes_ = 0;
  std::uint64_t statements_ = 0;
};

pg_statement::pg_statement(pg_connection& c, std::string_view sql, bool persistent) : c_(c), sql_(to_postgres(sql)) {
  auto n = sql_.used.size();
  values_.resize(n);
  formats_.assign(n, 0);
  present_.assign(n, 0);
  types_.assign(n, 0);
  for (std::size_t i = 0; i < n; ++i)
    if (!sql_.used[i]) types_[i] = text_oid;
  if (!persistent) return;
  name_ = c_.next_name();
  // The statement's text (never a value: those are bound) names what failed.
  c_.take(PQprepare(c_.handle(), name_.c_str(), sql_.text.c_str(), static_cast<int>(n), types_.data()),
          "prepare " + sql_.text.substr(0, 160));
}

bool pg_statement::step() {
  if (!res_) {
    auto n = values_.size();
    std::vector<char const*> values(n);
    std::vector<int> lengths(n);
    for (std::size_t i = 0; i < n; ++i) {
      values[i] = present_[i] ? values_[i].data() : nullptr;
      lengths[i] = static_cast<int>(values_[i].size());
    }
    auto count = static_cast<int>(n);
    PGresult* res;
    if (!name_.empty()) {
      res = PQexecPrepared(c_.handle(), name_.c_str(), count, values.data(), lengths.data(), formats_.data(), 0);
    } else {
      res = PQexecParams(c_.handle(), sql_.text.c_str(), count, types_.data(), values.data(), lengths.data(),
                         formats_.data(), 0);
    }
    res_ = c_.take(res, "step", true);
    row_ = -1;
  }
  return ++row_ < PQntuples(res_);
}

}  // namespace

namespace detail {
std::unique_ptr<connection> open_postgresql(std::string const& url) { return std::make_unique<pg_connection>(url); }
}  // namespace detail

}  // namespace einlass::checkin
