// Every binary and command explains itself: --help pages from the tables the parsers read,
// --version, bash completion, and the README's table of commands saying what the pages say.

#include "processes.hpp"

#include <catch2/catch.hpp>

#include "bench/driver/files.hpp"

#include <regex>

using namespace splitbench::testing;

namespace {

struct page {
  std::vector<std::string> command;  ///< the command line, without --help
  std::string name;                  ///< as its page names it
};

std::vector<std::string> const splitbench_commands = {"run", "up", "load", "compare", "merge", "export", "floors", "deploy", "help", "completion"};
std::vector<std::string> const roles = {"gateway", "catalog", "inventory", "pricing", "orders"};

std::vector<page> every_page() {
  std::vector<page> out{{{bin("splitbench")}, "splitbench"}};
  for (auto const& c : splitbench_commands) out.push_back({{bin("splitbench"), c}, "splitbench " + c});
  out.push_back({{bin("splitbench-monolith")}, "splitbench-monolith"});
  out.push_back({{bin("splitbench-service")}, "splitbench-service"});
  for (auto const& r : roles) out.push_back({{bin("splitbench-service"), r}, "splitbench-service " + r});
  out.push_back({{bin("splitbench-service"), "--services", "pricing,orders"}, "splitbench-service --services pricing,orders"});
  return out;
}

std::vector<std::string> with(std::vector<std::string> argv, std::string const& arg) {
  argv.push_back(arg);
  return argv;
}

/// The usage line of a page, its wrapped lines joined again.
std::string synopsis_of(std::string const& page) {
  auto end = page.find("\n\n");
  auto usage = page.substr(7, end - 7);  // after "usage: "
  return std::regex_replace(usage, std::regex("\n +"), " ");
}

/// The paragraph under the usage line, joined into one line.
std::string summary_of(std::string const& page) {
  auto start = page.find("\n\n") + 2;
  auto end = page.find("\n\n", start);
  auto text = page.substr(start, end - start);
  std::replace(text.begin(), text.end(), '\n', ' ');
  return text;
}

/// The --flags a synopsis names.
std::vector<std::string> flags_of(std::string const& synopsis) {
  std::vector<std::string> out;
  std::regex flag(R"(--[a-z][a-z-]*)");
  for (std::sregex_iterator it(synopsis.begin(), synopsis.end(), flag), end; it != end; ++it) out.push_back(it->str());
  return out;
}

}  // namespace

TEST_CASE("every command and binary answers --help with its page and status 0") {
  for (auto const& p : every_page()) {
    auto r = run(with(p.command, "--help"));
    INFO(r.output);
    CHECK(r.status == 0);
    CHECK(r.output.starts_with("usage: " + p.name));
    CHECK(r.output.find("\noptions:\n") != std::string::npos);
    CHECK(r.output.find("\n  -h, --help ") != std::string::npos);
    CHECK(r.output.find("\n  --version ") != std::string::npos);
    auto examples = r.output.find("\nexamples:\n  ");
    CHECK(r.output.find(p.name.substr(0, p.name.find(' ')) + " ", examples) != std::string::npos);
    auto options = r.output.substr(r.output.find("\noptions:\n"));
    for (auto const& f : flags_of(synopsis_of(r.output))) {
      INFO(f);
      CHECK(options.find("\n  " + f + " ") != std::string::npos);  // each flag has its line
    }
  }
}

TEST_CASE("a page lists every option with its form, default and meaning") {
  auto page = run({bin("splitbench"), "load", "--help"}).output;
  CHECK(page.find("\narguments:\n  URL ") != std::string::npos);
  CHECK(page.find("  --connections N           keep-alive connections, spread over the threads\n"
                  "                            whole number from 1 to 100000; default: 10\n") != std::string::npos);
  CHECK(page.find("a duration such as 500ms, 10s or 2m; default: 10s\n") != std::string::npos);
  CHECK(page.find("number above 0; default: none (closed loop,") != std::string::npos);
  auto up = run({bin("splitbench"), "up", "--help"}).output;
  CHECK(up.starts_with("usage: splitbench up --deployment TOPOLOGY [--listen HOST:PORT]"));
  CHECK(up.find("  --deployment TOPOLOGY     which topology of the storefront to start\n") != std::string::npos);
  auto gateway = run({bin("splitbench-service"), "gateway", "--help"}).output;
  CHECK(gateway.find("  --orders HOST:PORT[,...]  address of the orders service, or of each of its replicas\n"
                     "                            IPv4 address or host name and port, or several comma-separated, e.g.\n"
                     "                            127.0.0.1:9001,127.0.0.1:9002 or catalog:8080; required\n") != std::string::npos);
  auto service = run({bin("splitbench-service"), "--help"}).output;
  CHECK(service.find("\nroles:\n  gateway ") != std::string::npos);
  auto top = run({bin("splitbench"), "--help"}).output;
  for (auto const& c : splitbench_commands) CHECK(top.find("\n  " + c + " ") != std::string::npos);
}

TEST_CASE("help COMMAND, COMMAND --help and -h print the same page, whatever else the line holds") {
  auto sb = bin("splitbench");
  for (auto const& c : splitbench_commands) {
    INFO(c);
    auto page = run({sb, c, "--help"}).output;
    CHECK(run({sb, "help", c}).output == page);
    CHECK(run({sb, c, "-h"}).output == page);
  }
  auto top = run({sb, "--help"});
  CHECK(run({sb, "-h"}).output == top.output);
  CHECK(run({sb, "help"}).output == top.output);
  auto mistaken = run({sb, "load", "--frobnicate", "--rate", "-1", "--help"});
  CHECK(mistaken.status == 0);
  CHECK(mistaken.output == run({sb, "load", "--help"}).output);
  CHECK(run({bin("splitbench-service"), "gateway", "-h"}).output == run({bin("splitbench-service"), "gateway", "--help"}).output);
  CHECK(run({bin("splitbench-monolith"), "-h"}).output == run({bin("splitbench-monolith"), "--help"}).output);
}

TEST_CASE("every option a page lists is one its parser knows") {
  for (auto const& p : every_page()) {
    if (p.name == "splitbench-service") continue;  // a role comes first; the roles' pages cover its options
    auto synopsis = synopsis_of(run(with(p.command, "--help")).output);
    for (auto const& f : flags_of(synopsis)) {
      // A switch ("[--admin]") is given a value it does not take; any other flag none.
      bool is_switch = synopsis.find(f + "]") != std::string::npos;
      auto r = run(with(p.command, is_switch ? f + "=1" : f));
      INFO(p.name << " " << f << ": " << r.output);
      CHECK(r.status == 2);
      CHECK(r.output.find(is_switch ? ": " + f + " takes no value" : ": " + f + " needs a value: ") != std::string::npos);
    }
  }
}

TEST_CASE("each binary's version line names the version, the commit and the build type") {
  for (auto const& name : {"splitbench", "splitbench-monolith", "splitbench-service"}) {
    auto r = run({bin(name), "--version"});
    INFO(r.output);
    CHECK(r.status == 0);
    std::regex line(std::string(name) + R"( \d+\.\d+\.\d+ \(commit ([0-9a-f]{7,40}(-dirty)?|unknown), \w+ build\)\n)");
    CHECK(std::regex_match(r.output, line));
  }
}

TEST_CASE("splitbench completion bash completes commands, options and their values") {
  auto script = run({bin("splitbench"), "completion", "bash"});
  REQUIRE(script.status == 0);
  auto file = splitbench::bench::make_temp_dir("splitbench-completion") + "/splitbench.bash";
  splitbench::bench::write_file_atomically(file, script.output);
  // Each case: the words typed so far, the last one being completed; what bash would offer.
  auto complete = [&](std::string const& words) {
    auto r = run({"/bin/bash", "-c",
                  "source '" + file + "'; COMP_WORDS=(" + words + "); COMP_CWORD=$((${#COMP_WORDS[@]} - 1)); _splitbench; "
                  "echo \"${COMPREPLY[*]}\""});
    INFO(r.output);
    CHECK(r.status == 0);
    return r.output.substr(0, r.output.size() - 1);
  };
  CHECK(complete("splitbench ''") == "run up load compare merge export floors deploy help completion");
  CHECK(complete("splitbench lo") == "load");
  CHECK(complete("splitbench load --ra") == "--rate");
  CHECK(complete("splitbench load --w") == "--warmup --workload");
  CHECK(complete("splitbench load --workload ''") == "storefront");
  CHECK(complete("splitbench load --workload = ''") == "storefront");  // --workload=
  CHECK(complete("splitbench load --rate ''").empty());                // a number: nothing to offer
  CHECK(complete("splitbench up --deployment ''") == "monolith serialized split");
  CHECK(complete("splitbench run --deployment b") == "both");
  CHECK(complete("splitbench compare --format ''") == "text md json");
  CHECK(complete("splitbench --sc") == "--scenario");  // options alone are run's
  CHECK(complete("splitbench help co") == "compare completion");
  CHECK(complete("splitbench completion ''") == "bash");
  CHECK(complete("splitbench frobnicate ''").empty());
}

TEST_CASE("the README's table of commands says what the help pages say") {
  // One row per page: its synopsis and its summary, as --help prints them.
  std::string expected = "| command | what it does |\n|---|---|\n";
  for (auto const& p : every_page()) {
    if (p.command.size() > 1 && p.command[0] == bin("splitbench-service")) continue;  // the roles share one row
    auto page = run(with(p.command, "--help")).output;
    auto synopsis = std::regex_replace(synopsis_of(page), std::regex(R"(\|)"), R"(\|)");
    expected += "| `" + synopsis + "` | " + summary_of(page) + " |\n";
  }
  auto readme = splitbench::bench::read_file(std::string(SPLITBENCH_SOURCE_DIR) + "/README.md");
  auto start = readme.find("| command | what it does |\n");
  REQUIRE(start != std::string::npos);
  auto table = readme.substr(start, readme.find("\n\n", start) + 1 - start);
  INFO("README.md's Commands section should hold:\n" << expected);
  CHECK(table == expected);
}
