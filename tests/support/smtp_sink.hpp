#pragma once
// A real SMTP server (python3-aiosmtpd, tests/support/smtp_sink.py) writing each message it
// accepts into a folder as NNNNNN.eml.
#include "tests/support/process.hpp"

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

namespace einlass::test {

// `options` as tests/support/smtp_sink.py takes them (TLS, login).
struct smtp_sink {
  std::unique_ptr<server_process> proc;
  std::string dir;
  explicit smtp_sink(std::string folder, std::uint16_t port = 0, std::vector<std::string> const& options = {})
      : dir(std::move(folder)) {
    std::vector<std::string> args{std::string(EINLASS_TESTS_DIR) + "/support/smtp_sink.py", dir, std::to_string(port)};
    args.insert(args.end(), options.begin(), options.end());
    proc = std::make_unique<server_process>("/usr/bin/python3", args);
  }
  [[nodiscard]] std::uint16_t port() const { return proc->port(); }
};

inline std::size_t count_mails(std::string const& dir) {
  std::size_t n = 0;
  std::error_code ec;
  for (auto const& f : std::filesystem::directory_iterator(dir, ec))
    if (f.path().extension() == ".eml") ++n;
  return n;
}

}  // namespace einlass::test
