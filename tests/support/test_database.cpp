#include "tests/support/test_database.hpp"

#include "checkin/crypto.hpp"
#include "checkin/db.hpp"

#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <stdexcept>

namespace einlass::test {

namespace {

std::string cluster_dir() {
  auto const* dir = std::getenv("EINLASS_TEST_POSTGRES");
  return dir && *dir ? dir : "";
}

}  // namespace

bool on_postgresql() { return !cluster_dir().empty(); }

std::string postgres_url(std::string const& name) {
  std::ifstream in(cluster_dir() + "/port");
  int port = 0;
  if (!(in >> port)) throw std::runtime_error("no PostgreSQL test cluster in " + cluster_dir());
  return "postgresql://postgres@127.0.0.1:" + std::to_string(port) + "/" + name;
}

test_database::test_database(temp_dir const& dir, std::string const& name) {
  if (!on_postgresql()) {
    target_ = dir.file(name);
    return;
  }
  pg_name_ = "t_" + std::to_string(::getpid()) + "_" + checkin::random_token(6);
  for (auto& c : pg_name_)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  checkin::database admin(postgres_url());
  admin.exec("CREATE DATABASE \"" + pg_name_ + "\" TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C'");
  target_ = postgres_url(pg_name_);
}

test_database::~test_database() {
  if (pg_name_.empty()) return;
  try {
    checkin::database admin(postgres_url());
    admin.exec("DROP DATABASE IF EXISTS \"" + pg_name_ + "\" WITH (FORCE)");
  } catch (...) {
    // The cluster is gone already; it goes with its folder.
  }
}

void insert_old_event(checkin::database& db) {
  std::string blob = db.engine() == checkin::engine::postgresql ? "decode('00', 'hex')" : "x'00'";
  db.exec(
      "INSERT INTO events (id, slug, title, starts_at, ends_at, sign_public_key, sign_secret_key, created_at) "
      "VALUES (1, 'alt', 'Alt', '2026-01-01T10:00:00Z', '2026-01-01T12:00:00Z', " +
      blob + ", " + blob + ", '2025-12-01T00:00:00Z')");
}

}  // namespace einlass::test
