#pragma once
// A thin RAII layer over SQLite in the manner of SQLiteCpp: every handle is owned, every
// statement is prepared with bound parameters, a statement borrowed from the cache resets
// itself when it goes out of scope, and failures of SQLite itself are exceptions (db_error).
// sqlite3.h stays inside db.cpp and the few files that drive SQLite directly (writer.cpp).
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

struct sqlite3;
struct sqlite3_stmt;

namespace einlass::checkin {

class db_error : public std::runtime_error {
 public:
  db_error(int code, std::string const& what) : std::runtime_error(what), code_(code) {}
  [[nodiscard]] int code() const noexcept { return code_; }

 private:
  int code_;
};

class statement {
 public:
  statement(sqlite3* db, std::string_view sql);
  statement(statement&& other) noexcept : db_(other.db_), stmt_(std::exchange(other.stmt_, nullptr)) {}
  statement& operator=(statement&&) = delete;
  ~statement();

  statement& bind(int index, std::string_view value);
  statement& bind(int index, char const* value) { return bind(index, std::string_view(value)); }
  statement& bind(int index, std::string const& value) { return bind(index, std::string_view(value)); }
  statement& bind(int index, std::int64_t value);
  statement& bind(int index, int value) { return bind(index, static_cast<std::int64_t>(value)); }
  statement& bind(int index, bool value) { return bind(index, static_cast<std::int64_t>(value)); }
  statement& bind(int index, std::nullopt_t);
  // A closed set (an enum class with a to_string beside it) as its name.
  template <class E>
  requires std::is_enum_v<E> statement& bind(int index, E value) { return bind(index, to_string(value)); }
  statement& bind_blob(int index, void const* data, std::size_t size);
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
  [[nodiscard]] bool step();
  // Runs to completion, for statements that return no rows.
  void run();
  // Back to the start with no parameters bound; ends the read a half-stepped SELECT holds.
  void reset();

  [[nodiscard]] int columns() const;  // of the current row
  [[nodiscard]] bool is_null(int col) const;
  [[nodiscard]] std::int64_t int64(int col) const;
  [[nodiscard]] std::string text(int col) const;
  [[nodiscard]] std::optional<std::string> optional_text(int col) const;
  [[nodiscard]] std::optional<std::int64_t> optional_int64(int col) const;
  [[nodiscard]] std::string blob(int col) const;
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
  sqlite3* db_;
  sqlite3_stmt* stmt_ = nullptr;
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

// How long a statement waits for a lock another connection holds before it fails as busy.
inline constexpr int busy_timeout_ms = 5000;

class database {
 public:
  enum class mode { read_write, read_only };
  // Opens (creating if needed, in read_write mode) with WAL, foreign keys and a busy timeout.
  explicit database(std::string const& path, mode m = mode::read_write);
  database(database&&) noexcept;
  database& operator=(database&&) = delete;
  ~database();

  void exec(std::string_view sql);
  // A statement prepared once per connection and reused, borrowed for one use.
  [[nodiscard]] query cached(std::string_view sql);
  [[nodiscard]] statement prepare(std::string_view sql) { return statement(db_, sql); }

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
  void backup_to(std::string const& path) const;
  // Calls `hook(pages)` after each commit with the pages now in the write-ahead log.
  void on_wal_commit(void (*hook)(void*, int), void* context);
  void set_busy_timeout(int ms);
  [[nodiscard]] std::int64_t last_insert_rowid() const;
  [[nodiscard]] int changes() const;
  [[nodiscard]] std::string const& path() const noexcept { return path_; }

 private:
  template <class T>
  static T read_row(query const& q) {
    if constexpr (requires { std::tuple_size<T>::value; }) return [&]<std::size_t... I>(std::index_sequence<I...>) {
        return T{q.get<std::tuple_element_t<I, T>>(static_cast<int>(I))...};
      }
    (std::make_index_sequence<std::tuple_size_v<T>>{});
    else return q.get<T>(0); }

  sqlite3* db_ = nullptr;
  std::string path_;
  std::unordered_map<std::string, std::unique_ptr<statement>> cache_;
  struct wal_hook {
    void (*hook)(void*, int);
    void* context;
  };
  std::unique_ptr<wal_hook> wal_hook_;  // where SQLite's callback finds it, across moves
};

// BEGIN IMMEDIATE on construction, ROLLBACK in the destructor unless committed.
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
// a unit of work that nests inside a transaction (the writer's batch) or stands alone.
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

[[noreturn]] void throw_db_error(sqlite3* db, int rc, std::string_view context);
// The result code for "this database is not one this program can use" (SQLITE_ERROR).
[[nodiscard]] int generic_db_error() noexcept;

// A failure of the storage rather than of the request: disk full, file read-only or
// unreadable, I/O errors, the database locked for too long, out of memory.
[[nodiscard]] bool is_storage_failure(int code) noexcept;

}  // namespace einlass::checkin
