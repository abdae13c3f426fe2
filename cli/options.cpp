#include "cli/options.hpp"

#include "cli/help.hpp"
#include "cli/suggest.hpp"
#include "cli/version.hpp"

#include <algorithm>

namespace splitbench::cli {
namespace {

/// The last word of a command's name: "load" of "splitbench load", the subject of its errors.
std::string subject_of(command const& c) {
  auto space = c.name.rfind(' ');
  return space == std::string::npos ? c.name : c.name.substr(space + 1);
}

command without_setters(command c) {
  for (auto& f : c.flags) f.set = nullptr;
  return c;
}

[[noreturn]] void unknown_option(std::string_view arg, command const& c) {
  std::vector<std::string> names{"help", "version"};
  for (auto const& f : c.flags) names.push_back(f.name);
  auto typed = arg.substr(0, arg.find('='));
  auto bare = typed.substr(std::min(typed.find_first_not_of('-'), typed.size()));
  if (auto near = nearest(bare, names)) throw usage_error("unknown option " + std::string(typed) + "; did you mean --" + *near + "?");
  throw usage_error("unknown option " + std::string(typed) + "; '" + c.name + " --help' lists the options");
}

/// The value's form, as errors name it: "DURATION (a duration such as 500ms, 10s or 2m)".
std::string form_of(flag const& f) { return f.type.empty() ? f.value : f.value + " (" + f.type + ")"; }

void apply(flag const& f, std::string_view value) {
  try {
    f.set(value);
  } catch (usage_error const& e) {
    // Every bad value names its flag, whoever wrote the message.
    std::string_view what = e.what();
    if (what.find("--" + f.name) != std::string_view::npos) throw;
    throw usage_error("--" + f.name + ": " + std::string(what));
  }
}

void check_operands(std::vector<std::string> const& operands, command const& c) {
  bool more = !c.operands.empty() && c.operands.back().more;
  if (operands.size() > c.operands.size() && !more) {
    std::string takes;
    for (auto const& o : c.operands) takes += (takes.empty() ? " " : " and ") + o.name;
    throw usage_error("unexpected argument '" + operands[c.operands.size()] + "': " + c.name + " takes " +
                      (takes.empty() ? "no arguments" : "only" + takes));
  }
  if (operands.size() >= c.operands.size()) return;
  std::string missing;
  for (auto i = operands.size(); i < c.operands.size(); ++i)
    missing += (missing.empty() ? "" : i + 1 == c.operands.size() ? " and " : ", ") + c.operands[i].name;
  auto example = c.examples.empty() ? std::string() : ", e.g. " + c.examples.front();
  throw usage_error(subject_of(c) + " needs " + missing + example);
}

}  // namespace

void show_help(command const& c) { throw help_request{without_setters(c), help_page(c)}; }

std::vector<std::string> parse(int argc, char const* const* argv, int first, command const& c) {
  // --help wins over every other mistake on the line: whoever asks for it wants the page.
  for (int i = first; i < argc; ++i) {
    std::string_view arg = argv[i];
    if (arg == "--") break;
    if (arg == "--help" || arg == "-h") show_help(c);
    if (arg == "--version") throw help_request{without_setters(c), version_line(c.name.substr(0, c.name.find(' '))) + "\n"};
  }
  std::vector<std::string> operands;
  std::vector<bool> seen(c.flags.size());
  for (int i = first; i < argc; ++i) {
    std::string_view arg = argv[i];
    if (arg == "--") {
      operands.insert(operands.end(), argv + i + 1, argv + argc);
      break;
    }
    if (arg.size() < 2 || arg.front() != '-') {
      operands.emplace_back(arg);
      continue;
    }
    if (!arg.starts_with("--")) unknown_option(arg, c);
    auto body = arg.substr(2);
    auto eq = body.find('=');
    auto name = body.substr(0, eq);
    auto it = std::find_if(c.flags.begin(), c.flags.end(), [&](flag const& f) { return f.name == name; });
    if (it == c.flags.end()) unknown_option(arg, c);
    auto const& f = *it;
    seen[static_cast<std::size_t>(it - c.flags.begin())] = true;
    if (f.value.empty()) {
      if (eq != std::string_view::npos) throw usage_error("--" + f.name + " takes no value");
      apply(f, {});
      continue;
    }
    std::string_view value;
    if (eq != std::string_view::npos) {
      value = body.substr(eq + 1);
    } else {
      // "--rate --connections 4": the next flag is not --rate's value.
      std::string_view next = i + 1 < argc ? argv[i + 1] : "--";
      if (next.starts_with("--")) throw usage_error("--" + f.name + " needs a value: " + form_of(f));
      value = argv[++i];
    }
    apply(f, value);
  }
  for (std::size_t i = 0; i < c.flags.size(); ++i)
    if (c.flags[i].required && !seen[i]) throw usage_error(subject_of(c) + " needs --" + c.flags[i].name + " " + c.flags[i].value);
  check_operands(operands, c);
  return operands;
}

}  // namespace splitbench::cli
