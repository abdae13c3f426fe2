#include "bench/runner/machine.hpp"

#include <cstdio>
#include <fstream>
#include <sys/utsname.h>
#include <thread>

namespace splitbench::bench {
namespace {

std::string command_output(std::string const& command) {
  std::string out;
  if (FILE* p = ::popen(command.c_str(), "r")) {
    char buf[256];
    while (auto n = std::fread(buf, 1, sizeof buf, p)) out.append(buf, n);
    ::pclose(p);
  }
  while (!out.empty() && (out.back() == '\n' || out.back() == ' ')) out.pop_back();
  return out;
}

}  // namespace

machine_description describe_machine() {
  machine_description m;
  m.cpu_model = "unknown";
  std::ifstream cpuinfo("/proc/cpuinfo");
  for (std::string line; std::getline(cpuinfo, line);)
    if (line.rfind("model name", 0) == 0) {
      m.cpu_model = line.substr(line.find(':') + 2);
      break;
    }
  std::ifstream meminfo("/proc/meminfo");
  for (std::string line; std::getline(meminfo, line);)
    if (line.rfind("MemTotal:", 0) == 0) m.memory_bytes = std::stoull(line.substr(9)) * 1024;
  utsname u{};
  ::uname(&u);
  m.kernel = std::string(u.sysname) + " " + u.release;
  m.cores = static_cast<int>(std::thread::hardware_concurrency());
  return m;
}

build_description describe_build(std::string const& source_dir) {
  build_description b;
#ifdef __clang__
  b.compiler = std::string("clang ") + __clang_version__;
#else
  b.compiler = std::string("gcc ") + __VERSION__;
#endif
  b.build_type = SPLITBENCH_BUILD_TYPE;
  b.commit = command_output("git -C '" + source_dir + "' rev-parse HEAD 2>/dev/null");
  if (b.commit.empty()) b.commit = "unknown";
  b.dirty = !command_output("git -C '" + source_dir + "' status --porcelain --untracked-files=no 2>/dev/null").empty();
  return b;
}

}  // namespace splitbench::bench
