// splitbench: measures what splitting the storefront into HTTP services costs.
//
//   splitbench                      the default comparison
//   splitbench COMMAND [options]    run, up, load, compare, merge, export, floors, deploy, help, completion
//   splitbench help COMMAND         a command's options, examples and defaults

#include "bench/commands/commands.hpp"
#include "cli/completion.hpp"
#include "cli/main.hpp"
#include "cli/suggest.hpp"

#include <fmt/format.h>

#include <csignal>
#include <sys/resource.h>
#include <string_view>

namespace {

using namespace splitbench;

[[noreturn]] void unknown_command(std::string_view word);
int run_named(int argc, char** argv) { return bench::run_command(argc, argv, 2); }
int help_command(int argc, char** argv);
int completion_command(int argc, char** argv);

struct subcommand {
  char const* name;
  int (*run)(int argc, char** argv);
};
constexpr subcommand commands[] = {
    {"run", run_named},
    {"up", bench::up_command},
    {"load", bench::load_command},
    {"compare", bench::compare_command},
    {"merge", bench::merge_command},
    {"export", bench::export_command},
    {"floors", bench::floors_command},
    {"deploy", bench::deploy_command},
    {"help", help_command},
    {"completion", completion_command},
};

std::vector<std::string> command_names() {
  std::vector<std::string> out;
  for (auto const& c : commands) out.emplace_back(c.name);
  return out;
}

/// Every command's table, as its --help shows it.
std::vector<cli::command> tables() {
  std::vector<cli::command> out;
  for (auto const& c : commands) out.push_back(cli::describe(c.run, {"splitbench", c.name}));
  return out;
}

cli::command program() {
  cli::command p{
      .name = "splitbench",
      .summary = "with no command, the default comparison (bench/scenarios/default.toml): both deployments started here, "
                 "warmed up and measured side by side, the report under results/runs/<id>/ and results/latest pointing at it",
      .examples = {"splitbench", "splitbench load http://127.0.0.1:8080/health --rate 1000 --duration 10s",
                   "splitbench compare results/baseline/default results/latest"},
      .usage = "splitbench [COMMAND] [options]",
      .notes = "'splitbench help COMMAND' or 'splitbench COMMAND --help' shows a command's options; with no command, run's "
               "options apply. Durations take units (500ms, 10s, 2m); rates are requests per second. Bad arguments get one "
               "line and exit status 2.",
  };
  for (auto const& t : tables()) p.commands.push_back({t.name.substr(t.name.find(' ') + 1), t.summary});
  return p;
}

int help_command(int argc, char** argv) {
  cli::command table{
      .name = "splitbench help",
      .summary = "a command's page: its synopsis, every option with its form, default and meaning, and examples",
      .operands = {{"COMMAND", "the command to describe", false, command_names()}},
      .examples = {"splitbench help load", "splitbench help"},
  };
  if (argc == 2) cli::show_help(program());
  auto name = cli::parse(argc, argv, 2, table).front();
  for (auto const& c : commands) {
    if (name != c.name) continue;
    std::string help = "--help";
    char* page[] = {argv[0], name.data(), help.data()};
    return c.run(3, page);
  }
  unknown_command(name);
}

int completion_command(int argc, char** argv) {
  cli::command table{
      .name = "splitbench completion",
      .summary = "a shell script completing splitbench's commands, options and their values",
      .operands = {{"SHELL", "the shell to complete for: bash", false, {"bash"}}},
      .examples = {"source <(splitbench completion bash)",
                   "splitbench completion bash > ~/.local/share/bash-completion/completions/splitbench"},
  };
  auto shell = cli::parse(argc, argv, 2, table).front();
  if (shell != "bash") throw cli::usage_error("completion knows bash only, not '" + shell + "'");
  auto all = tables();
  fmt::print("{}", cli::bash_completion(program(), all, all.front()));
  return 0;
}

int run(int argc, char** argv) {
  std::signal(SIGPIPE, SIG_IGN);
  if (argc < 2) return bench::run_command(argc, argv, 1);  // the default comparison
  std::string_view word = argv[1];
  if (word == "--help" || word == "-h" || word == "--version") cli::parse(argc, argv, 1, program());  // throws the page
  if (word.starts_with("-")) return bench::run_command(argc, argv, 1);  // options alone: the default run with them
  for (auto const& c : commands)
    if (word == c.name) return c.run(argc, argv);
  unknown_command(word);
}

void unknown_command(std::string_view word) {
  auto near = cli::nearest(word, command_names());
  throw cli::usage_error("unknown command '" + std::string(word) + "'" +
                         (near ? "; did you mean '" + *near + "'?" : "; 'splitbench --help' lists the commands"));
}

}  // namespace

int main(int argc, char** argv) {
  // A fault run holds a connection per request that may be waiting (see fault_run.hpp), and the
  // processes it starts inherit the limit: take the whole of the hard limit on open files.
  rlimit files{};
  if (::getrlimit(RLIMIT_NOFILE, &files) == 0 && files.rlim_cur < files.rlim_max) {
    files.rlim_cur = files.rlim_max;
    ::setrlimit(RLIMIT_NOFILE, &files);
  }
  return cli::guarded_main("splitbench", [&] { return run(argc, argv); });
}
