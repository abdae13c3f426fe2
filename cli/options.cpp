#include "cli/options.hpp"

#include <algorithm>

namespace splitbench::cli {

std::vector<std::string> parse(int argc, char const* const* argv, int first, std::vector<flag> const& flags) {
  std::vector<std::string> positional;
  for (int i = first; i < argc; ++i) {
    std::string_view arg = argv[i];
    if (!arg.starts_with("--") || arg == "--") {
      positional.emplace_back(arg);
      continue;
    }
    auto body = arg.substr(2);
    auto eq = body.find('=');
    auto name = body.substr(0, eq);
    auto it = std::find_if(flags.begin(), flags.end(), [&](flag const& f) { return f.name == name; });
    if (it == flags.end()) throw usage_error("unknown option --" + std::string(name));
    if (!it->takes_value) {
      if (eq != std::string_view::npos) throw usage_error("--" + std::string(name) + " takes no value");
      it->set({});
      continue;
    }
    std::string_view value;
    if (eq != std::string_view::npos) {
      value = body.substr(eq + 1);
    } else {
      if (i + 1 >= argc) throw usage_error("--" + std::string(name) + " needs a value");
      value = argv[++i];
    }
    it->set(value);
  }
  return positional;
}

}  // namespace splitbench::cli
