#include "api/process.hpp"

#include <fmt/format.h>

#include <cstdio>
#include <exception>

namespace splitbench::api {

int guarded_main(char const* name, std::function<int()> const& body) {
  try {
    return body();
  } catch (cli::usage_error const& e) {
    fmt::print(stderr, "{}: {}\n", name, e.what());
    return 2;
  } catch (std::exception const& e) {
    fmt::print(stderr, "{}: {}\n", name, e.what());
    return 1;
  }
}

}  // namespace splitbench::api
