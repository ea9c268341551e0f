// The rules of the house (docs/architecture.md), checked on the sources themselves: SQL and
// SQLite only in checkin/, Beast only in the listener, checkin/ never reaching into server/,
// and files small enough to read. CMake enforces the checkin/ side too: its include root
// holds checkin/ alone, so an include of server/ from there does not compile.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

namespace fs = std::filesystem;

namespace {

fs::path const root = fs::path(EINLASS_TESTS_DIR).parent_path();

struct source {
  std::string path;  // from the root
  std::string text;
  std::size_t lines = 0;
};

std::vector<source> sources(std::string const& folder) {
  std::vector<source> out;
  for (auto const& entry : fs::recursive_directory_iterator(root / folder)) {
    auto ext = entry.path().extension();
    if (ext != ".cpp" && ext != ".hpp" && ext != ".js") continue;
    std::ifstream in(entry.path());
    std::stringstream ss;
    ss << in.rdbuf();
    source s{fs::relative(entry.path(), root).string(), ss.str(), 0};
    for (char c : s.text) s.lines += c == '\n';
    out.push_back(std::move(s));
  }
  return out;
}

std::vector<std::string> offenders(std::string const& folder, std::regex const& pattern) {
  std::vector<std::string> out;
  for (auto const& s : sources(folder))
    if (std::regex_search(s.text, pattern)) out.push_back(s.path);
  return out;
}

}  // namespace

TEST(Layout, ServerHoldsNoSqlAndNoSqlite) {
  // A statement in a string literal, or SQLite's API.
  std::regex sql(
      R"re("[^"\n]*\b(SELECT\s+[^"\n]*\bFROM|INSERT\s+INTO|UPDATE\s+\w+\s+SET|DELETE\s+FROM|PRAGMA|SAVEPOINT)\b)re");
  EXPECT_EQ(offenders("server", sql), std::vector<std::string>{});
  std::regex sqlite(R"(sqlite3\.h|sqlite3_|\.cached\(|checkin::statement\b|checkin::query\b)");
  EXPECT_EQ(offenders("server", sqlite), std::vector<std::string>{});
}

TEST(Layout, CheckinNeverIncludesBeastAsioOrTheServer) {
  std::regex outward(R"(#include\s*[<"](boost/beast|boost/asio|server/))");
  EXPECT_EQ(offenders("checkin", outward), std::vector<std::string>{});
}

TEST(Layout, SqliteHeaderStaysOutOfCheckinsPublicHeaders) {
  std::vector<std::string> found;
  for (auto const& s : sources("checkin"))
    if (s.path.ends_with(".hpp") && s.text.find("#include <sqlite3.h>") != std::string::npos) found.push_back(s.path);
  EXPECT_EQ(found, std::vector<std::string>{});
}

TEST(Layout, BeastLivesInTheListenerOnly) {
  std::vector<std::string> found = offenders("server", std::regex(R"(#include\s*<boost/beast)"));
  EXPECT_EQ(found, std::vector<std::string>{"server/http/listener.cpp"});
}

TEST(Layout, NoSourceFileIsPastFourHundredLines) {
  // The listener is the one file that includes Beast: a second such file would cost another
  // 14 s and 730 MiB to compile, so it keeps the socket side whole up to 450 lines.
  auto limit = [](std::string const& path) { return path == "server/http/listener.cpp" ? 450u : 400u; };
  std::vector<std::string> long_files;
  for (auto const* folder : {"checkin", "server", "web/assets"})
    for (auto const& s : sources(folder))
      if (s.lines > limit(s.path)) long_files.push_back(s.path + " (" + std::to_string(s.lines) + " lines)");
  EXPECT_EQ(long_files, std::vector<std::string>{});
}
