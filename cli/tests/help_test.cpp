#include "cli/completion.hpp"
#include "cli/flags.hpp"
#include "cli/help.hpp"

#include <catch2/catch.hpp>

using namespace splitbench::cli;

namespace {

struct load_settings {
  std::optional<double> rate;
  int connections = 10;
  std::chrono::nanoseconds duration = std::chrono::seconds(10);
  std::string json, mode;
  std::vector<std::string> headers;
};

command load_table(load_settings& s) {
  return {.name = "prog load",
          .summary = "the load driver alone",
          .operands = {{"URL", "where to send"}},
          .flags = {number("rate", s.rate, "requests per second", "R", "none (closed loop)"),
                    whole("connections", s.connections, 1, 1000, "keep-alive connections"),
                    duration("duration", s.duration, "length of the measured window"),
                    each("header", s.headers, "NAME:VALUE", "an extra header"), text("json", s.json, "FILE", "write JSON here"),
                    one_of("mode", s.mode, {"fast", "slow"}, "how")},
          .examples = {"prog load http://127.0.0.1:8080/ --rate 100"}};
}

}  // namespace

TEST_CASE("the synopsis lists operands, then required flags, then the rest in brackets") {
  load_settings s;
  auto c = load_table(s);
  CHECK(synopsis(c) ==
        "prog load URL [--rate R] [--connections N] [--duration DURATION] [--header NAME:VALUE]... [--json FILE] [--mode fast|slow]");
  c.flags.push_back(required(text("target", s.json, "HOST", "")));
  CHECK(synopsis(c).starts_with("prog load URL --target HOST [--rate R]"));
  c.usage = "prog [COMMAND]";
  CHECK(synopsis(c) == "prog [COMMAND]");
}

TEST_CASE("a help page shows every flag with its form, default and meaning") {
  load_settings s;
  s.connections = 7;  // the default shown is the variable's value
  auto page = help_page(load_table(s));
  CHECK(page.starts_with("usage: prog load URL [--rate R] [--connections N] [--duration DURATION] [--header NAME:VALUE]...\n"
                         "                 [--json FILE] [--mode fast|slow]\n\nthe load driver alone\n"));
  CHECK(page.find("\narguments:\n  URL                       where to send\n") != std::string::npos);
  CHECK(page.find("  --connections N           keep-alive connections\n"
                  "                            whole number from 1 to 1000; default: 7\n") != std::string::npos);
  CHECK(page.find("  --rate R                  requests per second\n"
                  "                            number above 0; default: none (closed loop)\n") != std::string::npos);
  CHECK(page.find("  --duration DURATION       length of the measured window\n"
                  "                            a duration such as 500ms, 10s or 2m; default: 10s\n") != std::string::npos);
  CHECK(page.find("  --header NAME:VALUE       an extra header\n                            repeatable\n") != std::string::npos);
  CHECK(page.find("  -h, --help ") != std::string::npos);
  CHECK(page.find("  --version ") != std::string::npos);
  CHECK(page.find("\nexamples:\n  prog load http://127.0.0.1:8080/ --rate 100\n") != std::string::npos);
  for (auto line_start = page.find('\n'); line_start != std::string::npos; line_start = page.find('\n', line_start + 1)) {
    auto end = page.find('\n', line_start + 1);
    if (end == std::string::npos) break;
    INFO(page.substr(line_start + 1, end - line_start - 1));
    CHECK(end - line_start - 1 <= 100);
  }
}

TEST_CASE("a program's page lists its commands under their heading") {
  command p{.name = "prog", .summary = "does things", .commands = {{"load", "the load driver"}, {"up", "a deployment"}},
            .usage = "prog [COMMAND]"};
  auto page = help_page(p);
  CHECK(page.find("\ncommands:\n  load                      the load driver\n  up                        a deployment\n") !=
        std::string::npos);
  p.commands_title = "roles";
  CHECK(help_page(p).find("\nroles:\n  load ") != std::string::npos);
}

TEST_CASE("bash completion offers commands, flags and the values it knows") {
  load_settings s;
  auto load = load_table(s);
  command run{.name = "prog run", .flags = {text("scenario", s.json, "FILE", ""), text("results", s.json, "DIR", "")}};
  command compare{.name = "prog compare", .operands = {{"BASE", "", true}, {"NEW", "", true}}};
  command program{.name = "prog", .commands = {{"run", ""}, {"load", ""}, {"compare", ""}}};
  auto script = bash_completion(program, {run, load, compare}, run);
  CHECK(script.find("_prog() {\n") != std::string::npos);
  CHECK(script.ends_with("complete -o filenames -F _prog prog\n"));
  CHECK(script.find("    run|-*)\n") != std::string::npos);  // options alone are run's
  CHECK(script.find("        --mode) COMPREPLY=($(compgen -W 'fast slow' -- \"$cur\")); return ;;\n") != std::string::npos);
  CHECK(script.find("        --json) COMPREPLY=($(compgen -f -- \"$cur\")); return ;;\n") != std::string::npos);
  CHECK(script.find("        --results) COMPREPLY=($(compgen -d -- \"$cur\")); return ;;\n") != std::string::npos);
  CHECK(script.find("        --rate|--connections|--duration|--header) return ;;\n") != std::string::npos);
  CHECK(script.find("flags='--rate --connections --duration --header --json --mode --help --version' words='' paths= ;;") !=
        std::string::npos);
  CHECK(script.find("    compare)\n      case $prev in\n      esac\n      flags='--help --version' words='' paths=1 ;;") !=
        std::string::npos);
  CHECK(script.find("    '') flags='--scenario --results --help --version' words='run load compare' ;;") != std::string::npos);
}
