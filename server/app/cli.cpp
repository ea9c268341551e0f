#include "server/app/cli.hpp"

#include "server/app/commands.hpp"
#include "server/app/config_file.hpp"

#include <CLI/CLI.hpp>

#include <algorithm>
#include <cstdio>
#include <functional>
#include <memory>
#include <vector>

namespace einlass::server {

namespace {

struct option_spec {
  option_spec(std::string n, std::string h, bool is_flag = false, std::string other = {})
      : name(std::move(n)), help(std::move(h)), flag(is_flag), alias(std::move(other)) {}
  std::string name;  // "--db"
  std::string help;
  bool flag = false;
  std::string alias;  // another name for the same option ("--database")
};

struct command_spec {
  std::string group, name;  // "device", "add"; a command of its own has no group
  std::string about;
  std::vector<option_spec> takes;
  int (*run)(server::options const&);
};

option_spec const db_option{"--db", "the SQLite database file, or a postgresql:// URL (default einlass.db)", false,
                            "--database"};

// The options of `einlass serve`: also the vocabulary of the configuration file.
std::vector<option_spec> serve_options() {
  return {
      db_option,
      {"--listen", "HOST:PORT to listen on (default 127.0.0.1:8080; port 0 picks a free one)"},
      {"--tls-cert", "the server certificate (PEM), with --tls-key"},
      {"--tls-key", "the certificate's private key (PEM)"},
      {"--tls-self-signed", "make and renew a local certificate authority and certificate", true},
      {"--threads", "I/O threads (default 2)"},
      {"--public-url", "the address guests use, e.g. https://einlass.example.org (for links in mails)"},
      {"--trusted-proxy", "IP addresses of reverse proxies whose X-Forwarded-For is believed, comma-separated"},
      {"--rate-limit", "anonymous writes per client and minute (default 60; 0 = off)"},
      {"--smtp", "the mail server, HOST:PORT"},
      {"--smtp-security", "starttls (default), tls or none"},
      {"--smtp-user", "the mail server's login, with --smtp-password-file"},
      {"--smtp-password-file", "a file whose first line is the mail server's password"},
      {"--smtp-ca-file", "trust these certificates (PEM) for the mail server"},
      {"--mail-from", "the sender of mails, 'Name <address>'"},
      {"--mail-dir", "write mails as .eml files into this folder (a demo without a mail server)"},
      {"--mail-retry-seconds", "the first pause after a failed mail (default 30; doubles each time)"},
      {"--max-connections", "client connections open at once (default 10000)"},
      {"--metrics-token-file", "a file with the token that opens /metrics to other machines than this one"},
      {"--log-format", "text (default) or json, one object a line"},
      {"--demo", "add a demo event, a door tablet and a demo organiser, and print their addresses", true},
      {"--allow-private-webhooks", "let webhooks post to loopback and private addresses (a CRM in the same network)",
       true},
      {"--quiet", "no access log line per request", true},
  };
}

std::vector<command_spec> commands() {
  return {
      {"", "serve", "Run the server: registration, door, workspace, mail.", serve_options(), serve},
      {"user",
       "add",
       "Add an organiser or admin, or set their role and password (password on stdin).",
       {db_option, {"--email", "the login address"}, {"--role", "organiser or admin"}},
       user_add},
      {"token",
       "create",
       "Print a new API token for a user.",
       {db_option, {"--email", "the user's address"}},
       token_create},
      {"event",
       "create",
       "Create an event from JSON on stdin (docs/api.md) and print it.",
       {db_option, {"--email", "the organiser who owns it"}},
       event_create},
      {"device",
       "add",
       "Add a door tablet and print its pairing link and QR code.",
       {db_option,
        {"--event", "the event's slug"},
        {"--name", "what door staff call the tablet"},
        {"--list", "admit to this session only (its id)"},
        {"--public-url", "the server's address as tablets reach it"}},
       device_add},
      {"device", "list", "List an event's door tablets.", {db_option, {"--event", "the event's slug"}}, device_list},
      {"device",
       "revoke",
       "Revoke a door tablet at once.",
       {db_option, {"--event", "the event's slug"}, {"--id", "the device's id (device list)"}},
       device_revoke},
      {"",
       "backup",
       "Copy the SQLite database while the server runs, and check the copy.",
       {db_option,
        {"--to", "the file to write"},
        {"--into", "a folder: a copy named by the time, the oldest beyond --keep removed"},
        {"--keep", "copies kept in --into (default 14)"}},
       backup},
  };
}

// The subcommand of that name, or null.
CLI::App* find_command(CLI::App& parent, std::string const& name) {
  auto found = parent.get_subcommands([&](CLI::App* c) { return c->check_name(name); });
  return found.empty() ? nullptr : found.front();
}

std::string one_line(std::string s) {
  std::replace(s.begin(), s.end(), '\n', ' ');
  while (!s.empty() && s.back() == ' ') s.pop_back();
  return s;
}

// The configuration file's entries applied to one command's options: only where the command
// line gave none (flags win). Every name must be an option of `serve`; one that this command
// does not take (listen, for `user add`) is left out. Records where each value came from.
void apply_config(std::string const& path, command_spec const& command, CLI::App const& parsed, options& o,
                  std::map<std::string, std::string>& origin) {
  auto vocabulary = serve_options();
  for (auto const& entry : read_config_file(path)) {
    auto known = std::find_if(vocabulary.begin(), vocabulary.end(),
                              [&](option_spec const& s) { return s.name == "--" + entry.name; });
    if (entry.name == "database")
      known = std::find_if(vocabulary.begin(), vocabulary.end(), [](auto const& s) { return s.name == "--db"; });
    if (known == vocabulary.end())
      throw config_file_error(entry.where + ": unknown option '" + entry.name + "' (einlass help serve lists them)");
    auto mine = std::find_if(command.takes.begin(), command.takes.end(),
                             [&](option_spec const& s) { return s.name == known->name; });
    if (mine == command.takes.end() || parsed.get_option(mine->name)->count() > 0) continue;
    origin[mine->name] = entry.where;
    if (mine->flag) {
      auto on = parse_flag_value(entry.value);
      if (!on) throw config_file_error(entry.where + ": " + entry.name + " takes yes or no, not '" + entry.value + "'");
      if (*on) o.flags.insert(mine->name);
    } else {
      o.values[mine->name] = entry.value;
    }
  }
}

int run(int argc, char** argv) {
  CLI::App app{"Einlass: registration and check-in with QR codes for network events.", "einlass"};
  app.set_version_flag("--version", version_text());
  app.option_defaults()->multi_option_policy(CLI::MultiOptionPolicy::TakeLast);
  app.require_subcommand(1);
  app.footer(
      "Every command takes --config FILE: the options of `einlass serve` as `name = value` lines; the\n"
      "command line wins. `einlass help COMMAND` or `einlass COMMAND --help` describes a command.");
  auto specs = commands();
  std::vector<std::pair<CLI::App*, command_spec const*>> made;
  std::map<std::string, CLI::App*> groups;
  for (auto const& c : specs) {
    CLI::App* parent = &app;
    if (!c.group.empty()) {
      auto& g = groups[c.group];
      if (!g) {
        static std::map<std::string, std::string> const about{{"user", "Organiser and admin accounts."},
                                                              {"token", "API tokens for scripts."},
                                                              {"event", "Events from the command line."},
                                                              {"device", "Door tablets."}};
        g = app.add_subcommand(c.group, about.at(c.group));
        g->require_subcommand(1);
      }
      parent = g;
    }
    auto* sub = parent->add_subcommand(c.name, c.about);
    sub->add_option("--config", "read options from this file (/etc/einlass/einlass.conf)")->type_name("FILE");
    for (auto const& o : c.takes) {
      auto names = o.alias.empty() ? o.name : o.name + "," + o.alias;
      if (o.flag) sub->add_flag(names, o.help);
      else sub->add_option(names, o.help)->type_name("VALUE");
    }
    made.emplace_back(sub, &c);
  }
  std::vector<std::string> topic;
  auto* help = app.add_subcommand("help", "Describe a command: einlass help device add");
  help->add_option("command", topic, "the command, e.g. device add")->type_name("COMMAND");

  std::string first = argc > 1 ? argv[1] : "";
  if (first.empty()) throw usage_error("no command given");
  if (!first.starts_with("-") && !find_command(app, first)) throw usage_error("unknown command " + first);
  try {
    app.parse(argc, argv);
  } catch (CLI::ParseError const& e) {
    if (e.get_exit_code() != 0) throw usage_error(one_line(e.what()));
    return app.exit(e);  // --help, --version: to stdout
  }
  if (help->parsed()) {
    CLI::App* about = &app;
    std::string prefix;  // "einlass device", for "einlass device add"
    for (auto const& word : topic) {
      prefix += (prefix.empty() ? "" : " ") + about->get_name();
      about = find_command(*about, word);
      if (!about) throw usage_error("no command " + word);
    }
    auto const usage = prefix.empty() ? about->get_name() : prefix + " " + about->get_name();
    std::fputs(about->get_formatter()->make_help(about, usage, CLI::AppFormatMode::Normal).c_str(), stdout);
    return 0;
  }
  for (auto const& [sub, spec] : made) {
    if (!sub->parsed()) continue;
    options o;
    for (auto const& s : spec->takes) {
      auto const* opt = sub->get_option(s.name);
      if (opt->count() == 0) continue;
      if (s.flag) o.flags.insert(s.name);
      else o.values[s.name] = opt->as<std::string>();
    }
    std::map<std::string, std::string> origin;
    if (auto const* file = sub->get_option("--config"); file->count() > 0)
      apply_config(file->as<std::string>(), *spec, *sub, o, origin);
    try {
      return spec->run(o);
    } catch (usage_error const& e) {
      auto at = origin.find(e.option);  // a value from the file: say where it was written
      if (at == origin.end()) throw;
      throw usage_error(at->second + ": " + e.what());
    }
  }
  throw usage_error("no command given");
}

}  // namespace

int run_cli(int argc, char** argv) {
  try {
    return run(argc, argv);
  } catch (usage_error const& e) {
    std::fprintf(stderr, "einlass: %s (einlass help lists the commands)\n", e.what());
    return 2;
  } catch (config_file_error const& e) {
    std::fprintf(stderr, "einlass: %s\n", e.what());
    return 2;
  } catch (std::exception const& e) {
    std::fprintf(stderr, "einlass: %s\n", e.what());
    return 1;
  }
}

}  // namespace einlass::server
