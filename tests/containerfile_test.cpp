// The Containerfile cannot be built here (no container runtime), so what can go wrong in it is
// checked against this build: its runtime stage installs the Debian package of every shared
// library the three binaries link, and it copies those binaries from a release build.

#include "bench/driver/files.hpp"
#include "processes.hpp"

#include <catch2/catch.hpp>

#include <filesystem>
#include <set>
#include <sstream>

using namespace splitbench;
using namespace splitbench::testing;

namespace {

/// The words of the runtime stage's `apt-get install` that name packages.
std::set<std::string> runtime_packages(std::string const& containerfile) {
  auto stage = containerfile.substr(containerfile.rfind("\nFROM "));
  auto install = stage.find("apt-get install");
  REQUIRE(install != std::string::npos);
  auto end = stage.find(">/dev/null", install);
  std::istringstream words(stage.substr(install + 15, end - install - 15));
  std::set<std::string> out;
  for (std::string w; words >> w;)
    if (!w.starts_with("-") && w != "\\") out.insert(w);  // not an option, not a line continuation
  return out;
}

/// The Debian package that owns `path`, looked up as given and as /usr merges it.
std::string owner_of(std::string const& path) {
  for (auto const& candidate : {path, std::filesystem::weakly_canonical(path).string(), "/usr" + path}) {
    auto r = run({"/usr/bin/dpkg", "-S", candidate});
    if (r.status == 0) return r.output.substr(0, r.output.find_first_of(":,"));
  }
  return "";
}

}  // namespace

TEST_CASE("the Containerfile's runtime stage installs every shared library the binaries link") {
  auto containerfile = bench::read_file(std::string(SPLITBENCH_SOURCE_DIR) + "/Containerfile");
  auto installed = runtime_packages(containerfile);
  CHECK(installed.count("libboost-json1.81.0") == 1);
  // debian:bookworm-slim has these already; sanitizer runtimes belong to test builds only.
  std::set<std::string> base{"libc6", "libgcc-s1", "libstdc++6", "zlib1g"};
  std::set<std::string> sanitizers{"libasan8", "libubsan1", "libtsan2"};
  for (auto const* binary : {"splitbench", "splitbench-monolith", "splitbench-service"}) {
    CHECK(containerfile.find(std::string("/src/build/bin/") + binary) != std::string::npos);
    auto ldd = run({"/usr/bin/ldd", bin(binary)});
    REQUIRE(ldd.status == 0);
    std::istringstream lines(ldd.output);
    for (std::string line; std::getline(lines, line);) {
      auto arrow = line.find("=> /");
      if (arrow == std::string::npos) continue;
      auto path = line.substr(arrow + 3, line.find(" (", arrow) - arrow - 3);
      auto package = owner_of(path);
      INFO(binary << " links " << path << ", of package '" << package << "'");
      REQUIRE_FALSE(package.empty());
      CHECK((installed.count(package) + base.count(package) + sanitizers.count(package)) == 1);
    }
  }
  CHECK(containerfile.find("install-deps.sh --build") != std::string::npos);
  CHECK(containerfile.find("cmake --preset release") != std::string::npos);
}
