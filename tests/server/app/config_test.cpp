// Running Einlass as a service: the configuration file, --version, help for every command,
// backups that keep the newest 14, and JSON logs for log shippers (../shared/contract.md,
// "Operations").
#include "checkin/db.hpp"
#include "checkin/migrate.hpp"
#include "tests/support/http_client.hpp"
#include "tests/support/process.hpp"
#include "tests/support/temp_dir.hpp"

#include <gtest/gtest.h>
#include <boost/json.hpp>

#include <sys/stat.h>

#include <algorithm>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <regex>
#include <sstream>

using namespace einlass::test;
namespace fs = std::filesystem;

namespace {

std::string write_file(temp_dir const& dir, std::string const& name, std::string const& text) {
  auto path = dir.file(name);
  std::ofstream(path) << text;
  return path;
}

// The options `einlass help serve` lists ("--db", "--listen", …).
std::vector<std::string> serve_option_names() {
  auto help = run_binary({"help", "serve"});
  std::vector<std::string> names;
  std::regex option(R"(^  --([a-z-]+))");
  std::istringstream lines(help.out);
  for (std::string line; std::getline(lines, line);)
    if (std::smatch m; std::regex_search(line, m, option) && m[1] != "help" && m[1] != "config") names.push_back(m[1]);
  return names;
}

// A database with one organiser, o@example.org; the command's exit status.
int add_organiser(std::string const& db) {
  return run_binary({"user", "add", "--db", db, "--email", "o@example.org", "--role", "organiser"}, "long enough\n")
      .exit_code;
}

}  // namespace

TEST(Config, VersionNamesTheProgramAndItsSchema) {
  auto r = run_binary({"--version"});
  EXPECT_EQ(r.exit_code, 0);
  std::smatch m;
  ASSERT_TRUE(std::regex_match(r.out, m, std::regex(R"(einlass (\d+\.\d+\.\d+) \(database schema (\d+)\)\n)")))
      << r.out;
  EXPECT_EQ(std::stoul(m[2]), einlass::checkin::schema_migrations().size());
}

TEST(Config, EveryCommandExplainsItself) {
  for (std::vector<std::string> command : std::vector<std::vector<std::string>>{{"serve"},
                                                                                {"user", "add"},
                                                                                {"token", "create"},
                                                                                {"event", "create"},
                                                                                {"device", "add"},
                                                                                {"device", "list"},
                                                                                {"device", "revoke"},
                                                                                {"backup"}}) {
    std::string name = "einlass";
    for (auto const& w : command) name += " " + w;
    auto help_args = command;
    help_args.insert(help_args.begin(), "help");
    auto via_help = run_binary(help_args);
    EXPECT_EQ(via_help.exit_code, 0) << name << via_help.err;
    EXPECT_NE(via_help.out.find("Usage: " + name + " [OPTIONS]"), std::string::npos) << via_help.out;
    EXPECT_NE(via_help.out.find("--config FILE"), std::string::npos) << name;
    command.emplace_back("--help");
    auto via_flag = run_binary(command);
    EXPECT_EQ(via_flag.exit_code, 0) << name;
    EXPECT_NE(via_flag.out.find("Usage: " + name + " [OPTIONS]"), std::string::npos) << via_flag.out;
  }
  auto all = run_binary({"help"});
  EXPECT_EQ(all.exit_code, 0);
  for (auto const* c : {"serve", "user", "token", "event", "device", "backup"})
    EXPECT_NE(all.out.find("  " + std::string(c) + " "), std::string::npos) << c;
  EXPECT_EQ(run_binary({"help", "frobnicate"}).exit_code, 2);
}

// A file with the server's settings: read, and the command line wins.
TEST(Config, TheFileGivesTheOptionsAndTheCommandLineWins) {
  temp_dir dir;
  auto conf = write_file(dir, "einlass.conf",
                         "# Einlass at the venue\n"
                         "\n"
                         "db = " +
                             dir.file("venue.db") +
                             "\n"
                             "listen = 127.0.0.1:1          \n"  // the command line's --listen wins
                             "public-url = \"https://einlass.example.org\"\n"
                             "mail-dir = " +
                             dir.file("mails") +
                             "\n"
                             "rate-limit = 0\n"
                             "demo = yes\n"
                             "quiet = yes\n");
  server_process p({"--config", conf});
  EXPECT_NE(p.banner().find("Registration page: https://einlass.example.org/e/netzwerktreffen-leipzig"),
            std::string::npos)
      << p.banner();
  EXPECT_TRUE(fs::exists(dir.file("venue.db")));
  http_client c(p.port());
  EXPECT_EQ(c.get("/healthz").status, 200);

  // The other commands read the database from the same file and leave the server's options.
  auto add = run_binary({"user", "add", "--config", conf, "--email", "it@example.org", "--role", "admin"},
                        "a long enough password\n");
  EXPECT_EQ(add.exit_code, 0) << add.err;
  auto token = run_binary({"token", "create", "--config", conf, "--email", "it@example.org"});
  EXPECT_EQ(token.exit_code, 0) << token.err;
  EXPECT_TRUE(token.out.starts_with("ein_"));
}

TEST(Config, EveryServeOptionCanBeWrittenInTheFile) {
  temp_dir dir;
  auto names = serve_option_names();
  ASSERT_GE(names.size(), 20u);
  for (auto const& name : names) {
    // A listen address that can never work ends every run before the server starts.
    auto conf = write_file(dir, "one.conf", "listen = nowhere\n" + name + " = 1\n");
    auto r = run_binary({"serve", "--config", conf});
    EXPECT_EQ(r.exit_code, 2) << name << ": " << r.err;
    EXPECT_EQ(r.err.find("unknown option"), std::string::npos) << name << ": " << r.err;
  }
}

TEST(Config, AMistakeInTheFileNamesFileLineAndOption) {
  temp_dir dir;
  struct bad {
    std::string text, expected;
  };
  for (auto const& b : std::vector<bad>{
           {"listen = 127.0.0.1:0\nlisen = 8080\n", ":2: unknown option 'lisen'"},
           {"# comment\nthreads = many\n", ":2: --threads must be a number"},
           {"demo = vielleicht\n", ":1: demo takes yes or no"},
           {"listen 127.0.0.1:8080\n", ":1: expected 'name = value'"},
           {"threads = 2\nthreads = 4\n", ":2: threads is given twice (first on line 1)"},
           {"\n\nsmtp-security = ssl\n", ":3: --smtp-security is starttls, tls or none"},
       }) {
    auto conf = write_file(dir, "bad.conf", b.text);
    auto r = run_binary({"serve", "--config", conf});
    EXPECT_EQ(r.exit_code, 2) << b.text;
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
    EXPECT_NE(r.err.find("einlass: " + conf + b.expected), std::string::npos) << r.err;
  }
  auto missing = run_binary({"serve", "--config", dir.file("nowhere.conf")});
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_NE(missing.err.find("nowhere.conf: cannot read"), std::string::npos) << missing.err;
}

// What the backup timer runs: a checked copy named by its time, the newest 14 (--keep) kept.
TEST(Config, BackupsIntoAFolderAreCheckedAndTheOldestRemoved) {
  temp_dir dir;
  auto db = dir.file("einlass.db");
  ASSERT_EQ(add_organiser(db), 0);
  server_process server({"--db", db, "--quiet"});  // online: the server keeps the database open
  auto backups = dir.file("backups");
  fs::create_directories(backups);
  std::ofstream(backups + "/README") << "not a backup; stays";
  for (int i = 0; i < 4; ++i) {
    auto r = run_binary({"backup", "--db", db, "--into", backups, "--keep", "3"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.err.find("checked"), std::string::npos);
  }
  std::vector<std::string> kept;
  for (auto const& f : fs::directory_iterator(backups))
    if (f.path().filename() != "README") kept.push_back(f.path().filename().string());
  ASSERT_EQ(kept.size(), 3u);
  EXPECT_TRUE(fs::exists(backups + "/README")) << "other files stay";
  struct stat st {};
  ASSERT_EQ(::stat(backups.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0700u);
  for (std::size_t i = 0; i < 3; ++i) {
    EXPECT_TRUE(std::regex_match(kept[i], std::regex(R"(einlass-\d{8}-\d{6}(-\d+)?\.db)"))) << kept[i];
    auto path = backups + "/" + kept[i];
    ASSERT_EQ(::stat(path.c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 0777, 0600u);
    einlass::checkin::database copy(path);
    EXPECT_EQ(copy.integrity_check(), "ok");
    EXPECT_EQ(copy.query_one<int>("SELECT count(*) FROM users"), 1);
  }
  EXPECT_EQ(run_binary({"backup", "--db", db}).exit_code, 2) << "--to or --into";
}

TEST(Config, JsonLogsAreOneObjectALine) {
  temp_dir dir;
  auto log = dir.file("einlass.log");
  {
    server_process p("/usr/bin/bash",
                     {"-c", "exec \"$0\" serve --listen 127.0.0.1:0 --db \"$1\" --log-format json 2>\"$2\"",
                      einlass_binary(), dir.file("einlass.db"), log});
    http_client c(p.port());
    EXPECT_EQ(c.get("/healthz").status, 200);
    EXPECT_EQ(c.get("/nowhere?secret=1").status, 404);
    p.signal(SIGTERM);
    EXPECT_EQ(p.wait(), 0);
  }
  std::ifstream in(log);
  int requests = 0, lines = 0;
  for (std::string line; std::getline(in, line); ++lines) {
    boost::system::error_code ec;
    auto v = boost::json::parse(line, ec);
    ASSERT_FALSE(ec) << line;
    auto const& o = v.as_object();
    EXPECT_TRUE(std::regex_match(std::string(o.at("time").as_string()),
                                 std::regex(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z)")))
        << line;
    EXPECT_TRUE(o.contains("level") && o.contains("message")) << line;
    if (o.at("message") != "request") continue;
    ++requests;
    EXPECT_EQ(o.at("method"), "GET");
    EXPECT_TRUE(o.at("status") == 200 || o.at("status") == 404) << line;
    EXPECT_EQ(std::string(o.at("target").as_string()).find("secret=1"), std::string::npos) << "query redacted";
  }
  EXPECT_EQ(requests, 2);
  EXPECT_GE(lines, 4) << "the requests, the signal and the stop";
}

// After a downgrade (or a copy from a newer installation) the program refuses the database
// and changes nothing in it: not a byte, not its journal mode.
TEST(Config, ADatabaseFromANewerVersionIsRefusedUntouched) {
  temp_dir dir;
  auto db = dir.file("einlass.db");
  ASSERT_EQ(add_organiser(db), 0);
  auto newer = static_cast<int>(einlass::checkin::schema_migrations().size()) + 1;
  {
    einlass::checkin::database d(db);
    d.exec("PRAGMA user_version = " + std::to_string(newer));
  }
  auto read_all = [](std::string const& path) {
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
  };
  auto before = read_all(db);
  for (auto const& args :
       std::vector<std::vector<std::string>>{{"serve", "--db", db, "--listen", "127.0.0.1:0"},
                                             {"token", "create", "--db", db, "--email", "o@example.org"}}) {
    auto r = run_binary(args);
    EXPECT_EQ(r.exit_code, 1) << r.err;
    EXPECT_NE(r.err.find("database schema version " + std::to_string(newer) + " is newer than this program"),
              std::string::npos)
        << r.err;
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
  }
  EXPECT_TRUE(read_all(db) == before) << "the file is unchanged";
}
