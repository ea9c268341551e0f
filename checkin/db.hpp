#pragma once
// A thin RAII layer over SQLite: every handle is owned, every statement is prepared
// with bound parameters, and failures of SQLite itself are exceptions (db_error).
#include <sqlite3.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>

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
  void reset();

  [[nodiscard]] int columns() const;  // of the current row
  [[nodiscard]] bool is_null(int col) const;
  [[nodiscard]] std::int64_t int64(int col) const;
  [[nodiscard]] std::string text(int col) const;
  [[nodiscard]] std::optional<std::string> optional_text(int col) const;
  [[nodiscard]] std::optional<std::int64_t> optional_int64(int col) const;
  [[nodiscard]] std::string blob(int col) const;

 private:
  sqlite3* db_;
  sqlite3_stmt* stmt_ = nullptr;
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
  // A statement prepared once per connection and reused; reset and unbound on each call.
  statement& cached(std::string_view sql);
  [[nodiscard]] statement prepare(std::string_view sql) { return statement(db_, sql); }
  [[nodiscard]] std::int64_t last_insert_rowid() const;
  [[nodiscard]] int changes() const;
  [[nodiscard]] sqlite3* handle() const noexcept { return db_; }
  [[nodiscard]] std::string const& path() const noexcept { return path_; }

 private:
  sqlite3* db_ = nullptr;
  std::string path_;
  std::unordered_map<std::string, std::unique_ptr<statement>> cache_;
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

// A failure of the storage rather than of the request: disk full, file read-only or
// unreadable, I/O errors, the database locked for too long, out of memory.
[[nodiscard]] bool is_storage_failure(int code) noexcept;

}  // namespace einlass::checkin
