#pragma once
// The einlass binary as a child process, for what only a whole process shows: exit
// codes, signals, a kill in the middle of work.
#include <boost/json/value.hpp>

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

namespace einlass::test {

struct run_result {
  int exit_code = -1;
  std::string out, err;
};

// Runs the binary to completion with `input` on stdin (bounded to 60 s).
run_result run_binary(std::vector<std::string> const& args, std::string const& input = {});
// The einlass binary under test.
[[nodiscard]] std::string einlass_binary();
// Runs any program (an absolute path) the same way, e.g. /usr/bin/python3 as an independent reader;
// stopped after `limit` (a scanner such as testssl.sh needs longer under the sanitizers).
run_result run_program(std::string const& program, std::vector<std::string> const& args, std::string const& input = {},
                       std::chrono::seconds limit = std::chrono::seconds(60));

// Runs a Python script (an independent reader, e.g. openpyxl on a download); its stdout parsed
// as JSON. Throws with Python's message when the script fails.
[[nodiscard]] boost::json::value python(std::string const& script, std::vector<std::string> args);

class server_process {
 public:
  // Starts `einlass serve ARGS --listen 127.0.0.1:0` and waits for its "listening" line.
  explicit server_process(std::vector<std::string> args);
  // Starts `binary ARGS` as it is and waits for a "listening on http://127.0.0.1:PORT" line.
  server_process(std::string const& binary, std::vector<std::string> args);
  ~server_process();
  [[nodiscard]] std::uint16_t port() const { return port_; }
  [[nodiscard]] pid_t pid() const { return pid_; }
  void signal(int sig);
  // Waits for the process to end; its exit status, or 128 + signal.
  int wait();
  [[nodiscard]] std::string const& banner() const { return banner_; }

 private:
  pid_t pid_ = -1;
  std::uint16_t port_ = 0;
  std::string banner_;
  int out_fd_ = -1;
};

}  // namespace einlass::test
