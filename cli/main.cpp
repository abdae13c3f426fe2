#include "cli/main.hpp"

#include <cstdio>
#include <stdexcept>

namespace splitbench::cli {

int guarded_main(char const* name, std::function<int()> const& body) {
  try {
    return body();
  } catch (usage_error const& e) {
    std::fprintf(stderr, "%s: %s\n", name, e.what());
    return 2;
  } catch (std::exception const& e) {
    std::fprintf(stderr, "%s: %s\n", name, e.what());
    return 1;
  }
}

}  // namespace splitbench::cli
