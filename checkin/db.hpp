#pragma once
// A thin RAII layer over two engines in the manner of SQLiteCpp: SQLite (a file, the
// embedded default) and PostgreSQL (a postgresql:// URL, through libpq). Every handle is
// owned, every statement is prepared with bound parameters, a statement borrowed from the
// cache resets itself when it goes out of scope, and failures of the engine are exceptions
// (db_error). SQL is written once, in the dialect both engines share, with SQLite's ?1, ?2
// placeholders (PostgreSQL receives them as $1, $2); where the dialects differ, a query asks
// database::engine(). sqlite3.h stays in db.cpp, libpq-fe.h in db_postgres.cpp.
#include <cstdint>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <unordered_map>
#include <utility>

namespace einlass::checkin {

enum class engine { sqlite, postgresql };

// Whether a --db value names a PostgreSQL database (postgresql:// or postgres://) rather
// than a SQLite file.
[[nodiscard]] bool is_postgresql_url(std::string_view target) noexcept;

class db_error : public std::runtime_error {
 public:
  // `code` is SQLite's result code, or for PostgreSQL the SQLite code of the same kind
  // (constraint, busy, I/O); `storage` when the storage failed rather than the request.
  db_error(int code, std::string const& what, bool storage);
  db_error(int code, std::string const& what);
  [[nodiscard]] int code() const noexcept { return code_; }
  // Disk full, file read-only, I/O errors, locked too long, out of memory, the database
  // server gone or restarting: worth a 503 and a retry, not the client's fault.
  [[nodiscard]] bool storage_failure() const noexcept { return storage_; }

 private:
  int code_;
  bool storage_;
};

namespace detail {
// What each engine implements; statement and database are the interface the domain uses.
class statement_impl {
 public:
  statement_impl() = default;
  statement_impl(statement_impl const&) = delete;
  statement_impl& operator=(statement_impl const&) = delete;
  virtual ~statement_impl() = default;
  virtual void bind_text(int index, std::string_view value) = 0;
  virtual void bind_int64(int index, std::int64_t value) = 0;
  virtual void bind_null(int index) = 0;
  virtual void bind_blob(int index, void const* data, std::size_t size) = 0;
  virtual bool step() = 0;
  virtual void reset() = 0;
  [[nodiscard]] virtual int columns() const = 0;
  [[nodiscard]] virtual bool is_null(int col) const = 0;
  [[nodiscard]] virtual std::int64_t int64(int col) const = 0;
  [[nodiscard]] virtual std::string text(int col) const = 0;
  [[nodiscard]] virtual std::string blob(int col) const = 0;
};

class connection {
 public:
  connection() = default;
  connection(connection const&) = delete;
  connection& operator=(connection const&) = delete;
  virtual ~connection() = default;
  [[nodiscard]] virtual checkin::engine engine() const noexcept = 0;
  virtual void exec(std::string_view sql) = 0;
  // `persistent`: kept and reused (the cache), else run once.
  [[nodiscard]] virtual std::unique_ptr<statement_impl> prepare(std::string_view sql, bool persistent) = 0;
  [[nodiscard]] virtual int changes() const = 0;
  // The connection to the server is lost (PostgreSQL); its statements are gone with it.
  [[nodiscard]] virtual bool broken() const { return false; }
  virtual void reconnect() {}
  // The database-wide write lock a transaction takes first (BEGIN IMMEDIATE's, for SQLite).
  virtual void begin_write() = 0;
  // A transaction that reads one snapshot and takes no write lock (SQLite's deferred BEGIN).
  virtual void begin_read() = 0;
  [[nodiscard]] virtual bool in_transaction() const = 0;
};

std::unique_ptr<connection> open_postgresql(std::string const& url);
}  // namespace detail

class statement {
 public:
  explicit statement(std::unique_ptr<detail::statement_impl> impl) noexcept : impl_(std::move(impl)) {}
  statement(statement&& other) noexcept = default;
  statement& operator=(statement&&) = delete;
  ~statement() = default;

  statement& bind(int index, std::string_view value) {
    impl_->bind_text(index, value);
    return *this;
  }
  statement& bind(int index, char const* value) { return bind(index, std::string_view(value)); }
  statement& bind(int index, std::string const& value) { return bind(index, std::string_view(value)); }
  statement& bind(int index, std::int64_t value) {
    impl_->bind_int64(index, value);
    return *this;
  }
  statement& bind(int index, int value) { return bind(index, static_cast<std::int64_t>(value)); }
  statement& bind(int index, bool value) { return bind(index, static_cast<std::int64_t>(value)); }
  statement& bind(int index, std::nullopt_t) {
    impl_->bind_null(index);
    return *this;
  }
  // A closed set (an enum class with a to_string beside it) as its name.
  template <class E>
  requires std::is_enum_v<E> statement& bind(int index, E value) { return bind(index, to_string(value)); }
  statement& bind_blob(int index, void const* data, std::size_t size) {
    impl_->bind_blob(index, data, size);
    return *this;
  }
  template <class T>
  statement& bind(int index, std::optional<T> const& value) {
    return value ? bind(index, *value) : bind(index, std::nullopt);
  }
  // Binds the arguments to ?1, ?2, ... in order.
  template <class... A>
  statement& bind_all(A const&... args) {
    int i = 0;
    (bind(++i, args), ...);
    return *this;
  }

  // Advances to the next row; false when done.
  [[nodiscard]] bool step() { return impl_->step(); }
  // Runs to completion, for statements that return no rows.
  void run() {
    while (step()) {}
  }
  // Back to the start with no parameters bound; ends the read a half-stepped SELECT holds.
  void reset() { impl_->reset(); }

  [[nodiscard]] int columns() const { return impl_->columns(); }  // of the current row
  [[nodiscard]] bool is_null(int col) const { return impl_->is_null(col); }
  // Integers; PostgreSQL's booleans (a comparison in a select list) read as 1 and 0.
  [[nodiscard]] std::int64_t int64(int col) const { return impl_->int64(col); }
  [[nodiscard]] std::string text(int col) const { return impl_->text(col); }
  [[nodiscard]] std::optional<std::string> optional_text(int col) const {
    if (is_null(col)) return std::nullopt;
    return text(col);
  }
  [[nodiscard]] std::optional<std::int64_t> optional_int64(int col) const {
    if (is_null(col)) return std::nullopt;
    return int64(col);
  }
  [[nodiscard]] std::string blob(int col) const { return impl_->blob(col); }
  // A column as T: std::int64_t, int, bool, std::string, or std::optional of those.
  template <class T>
  [[nodiscard]] T get(int col) const {
    if constexpr (std::is_same_v<T, std::string>) return text(col);
    else if constexpr (std::is_same_v<T, bool>) return int64(col) != 0;
    else if constexpr (std::is_integral_v<T>) return static_cast<T>(int64(col));
    else {
      if (is_null(col)) return T{};
      return get<typename T::value_type>(col);
    }
  }

 private:
  std::unique_ptr<detail::statement_impl> impl_;
};

// A statement borrowed from a connection's cache for one use: bound, stepped, read, and
// reset (parameters cleared, read lock released) when it goes out of scope, so no caller
// writes reset() by hand. Passes as a `statement&` to functions that read a row.
class query {
 public:
  explicit query(statement& s) noexcept : s_(&s) {}
  query(query const&) = delete;
  query& operator=(query const&) = delete;
  ~query() { s_->reset(); }

  template <class V>
  query& bind(int index, V const& value) {
    s_->bind(index, value);
    return *this;
  }
  query& bind_blob(int index, void const* data, std::size_t size) {
    s_->bind_blob(index, data, size);
    return *this;
  }
  template <class... A>
  query& bind_all(A const&... args) {
    s_->bind_all(args...);
    return *this;
  }
  [[nodiscard]] bool step() { return s_->step(); }
  void run() { s_->run(); }
  // For a loop that binds and runs the same statement again.
  void reset() { s_->reset(); }

  [[nodiscard]] int columns() const { return s_->columns(); }
  [[nodiscard]] bool is_null(int col) const { return s_->is_null(col); }
  [[nodiscard]] std::int64_t int64(int col) const { return s_->int64(col); }
  [[nodiscard]] std::string text(int col) const { return s_->text(col); }
  [[nodiscard]] std::optional<std::string> optional_text(int col) const { return s_->optional_text(col); }
  [[nodiscard]] std::optional<std::int64_t> optional_int64(int col) const { return s_->optional_int64(col); }
  [[nodiscard]] std::string blob(int col) const { return s_->blob(col); }
  template <class T>
  [[nodiscard]] T get(int col) const {
    return s_->get<T>(col);
  }

  operator statement&() const noexcept { return *s_; }  // NOLINT(google-explicit-constructor)

 private:
  statement* s_;
};

// How long a statement waits for a lock another connection (or server) holds before it
// fails as busy.
inline constexpr int busy_timeout_ms = 5000;

class database {
 public:
  enum class mode { read_write, read_only };
  // `target` is a SQLite file, opened (created if needed, in read_write mode) with WAL,
  // foreign keys and a busy timeout; or a postgresql:// URL, connected with a lock timeout.
  explicit database(std::string const& target, mode m = mode::read_write);
  database(database&&) noexcept;
  database& operator=(database&&) = delete;
  ~database();

  [[nodiscard]] checkin::engine engine() const noexcept { return engine_; }
  void exec(std::string_view sql) { impl_->exec(sql); }
  // A statement prepared once per connection and reused, borrowed for one use.
  [[nodiscard]] query cached(std::string_view sql);
  [[nodiscard]] statement prepare(std::string_view sql) { return statement(impl_->prepare(sql, false)); }

  // Runs a statement that returns no rows with ?1, ?2, ... bound; the rows it changed.
  template <class... A>
  int run(std::string_view sql, A const&... args) {
    cached(sql).bind_all(args...).run();
    return changes();
  }
  // The first row of a query as T (one column) or as a tuple (several), if there is one.
  template <class T, class... A>
  [[nodiscard]] std::optional<T> query_one(std::string_view sql, A const&... args) {
    auto q = cached(sql);
    q.bind_all(args...);
    if (!q.step()) return std::nullopt;
    return read_row<T>(q);
  }
  // Whether a query returns any row.
  template <class... A>
  [[nodiscard]] bool exists(std::string_view sql, A const&... args) {
    auto q = cached(sql);
    q.bind_all(args...);
    return q.step();
  }

  // An online copy of the whole database into a new file at `path`, taken page by page
  // while writers go on (SQLite's backup API); the copy is consistent as of its end.
  // PostgreSQL: db_error naming pg_dump, the tool made for it.
  void backup_to(std::string const& path) const;
  // SQLite's own check of every page and index (PRAGMA integrity_check): "ok", or the problems
  // it found, joined by "; ". PostgreSQL: db_error, as backup_to.
  [[nodiscard]] std::string integrity_check();
  // SQLite: calls `hook(pages)` after each commit with the pages now in the write-ahead log.
  void on_wal_commit(void (*hook)(void*, int), void* context);
  void set_busy_timeout(int ms);  // SQLite
  [[nodiscard]] int changes() const { return impl_->changes(); }
  [[nodiscard]] std::string const& path() const noexcept { return path_; }

  // PostgreSQL: the connection to the server was lost (a restart, a failover). reconnect()
  // tries once to connect again (statements are prepared afresh); it throws when it cannot.
  [[nodiscard]] bool broken() const { return impl_->broken(); }
  void reconnect();
  // The database-wide write lock; a transaction takes it first.
  void begin_write() { impl_->begin_write(); }
  void begin_read() { impl_->begin_read(); }
  [[nodiscard]] bool in_transaction() const { return impl_->in_transaction(); }

 private:
  template <class T>
  static T read_row(query const& q) {
    if constexpr (requires { std::tuple_size<T>::value; }) return [&]<std::size_t... I>(std::index_sequence<I...>) {
        return T{q.get<std::tuple_element_t<I, T>>(static_cast<int>(I))...};
      }
    (std::make_index_sequence<std::tuple_size_v<T>>{});
    else return q.get<T>(0); }

  std::unique_ptr<detail::connection> impl_;
  checkin::engine engine_ = engine::sqlite;
  std::string path_;
  std::unordered_map<std::string, std::unique_ptr<statement>> cache_;
};

// BEGIN IMMEDIATE on construction (on PostgreSQL: BEGIN and the database-wide write lock,
// which every server of one database shares), ROLLBACK in the destructor unless committed.
class transaction {
 public:
  explicit transaction(database& db);
  transaction(transaction const&) = delete;
  transaction& operator=(transaction const&) = delete;
  ~transaction();
  void commit();

 private:
  database& db_;
  bool done_ = false;
};

// SAVEPOINT on construction; ROLLBACK TO and RELEASE in the destructor unless released:
// a unit of work that nests inside a transaction (the writer's batch) or stands alone: then
// it is a transaction of its own that reads one snapshot and takes no write lock (the event
// with its sessions, statistics, an export, all as of one moment while writes go on).
class savepoint {
 public:
  savepoint(database& db, std::string name);
  savepoint(savepoint const&) = delete;
  savepoint& operator=(savepoint const&) = delete;
  ~savepoint();
  void release();

 private:
  database& db_;
  std::string name_;
  bool done_ = false;
  bool outer_ = false;
};

// Why this process could not write the database at `path` — the file, its -wal or -shm
// companion, or its folder read-only for this user, or a read-only file system — or empty
// when it can. Asked before SQLite opens the file: SQLite would open it read-only without
// a word, and make a -shm file just as read-only that outlives a fixed permission.
[[nodiscard]] std::string unwritable_reason(std::string const& path);

// Bytes SQLite has allocated in this process now (page caches, prepared statements, schema),
// and the most it has held since start: for /metrics.
struct sqlite_memory {
  std::int64_t used = 0, highwater = 0;
};
[[nodiscard]] sqlite_memory sqlite_memory_now() noexcept;

// The result code for "this database is not one this program can use" (SQLITE_ERROR).
[[nodiscard]] int generic_db_error() noexcept;
// SQLite's codes for the kinds PostgreSQL's SQLSTATEs map to.
[[nodiscard]] int constraint_db_error() noexcept;
[[nodiscard]] int busy_db_error() noexcept;
[[nodiscard]] int io_db_error() noexcept;

// Where the two dialects differ, the piece of SQL each engine needs.
namespace sql {
// The integers of a JSON array bound at ?N, as a subquery: "id IN (" + json_ids(e, 1) + ")".
[[nodiscard]] std::string json_ids(engine e, int param);
// LIKE ignoring case (SQLite's LIKE does for ASCII letters; PostgreSQL's ILIKE for all).
[[nodiscard]] std::string_view like(engine e) noexcept;
// An expression for a blob in lower-case hex digits.
[[nodiscard]] std::string hex(engine e, std::string_view blob);
// An expression for 32 random lower-case hex digits (128 bits), new for each row.
[[nodiscard]] std::string_view random_hex(engine e) noexcept;
}  // namespace sql

// The id an INSERT ... RETURNING id gives back (read, the statement is run to its end).
inline std::int64_t inserted_id(query& q) {
  if (!q.step()) throw db_error(generic_db_error(), "INSERT ... RETURNING id gave no row");
  auto id = q.int64(0);
  while (q.step()) {}
  return id;
}

// A failure of the storage rather than of the request: disk full, file read-only or
// unreadable, I/O errors, the database locked for too long, out of memory.
[[nodiscard]] bool is_storage_failure(int code) noexcept;

}  // namespace einlass::checkin
