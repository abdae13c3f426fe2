#include "os/process_usage.hpp"

#include <ctime>
#include <fstream>
#include <iterator>
#include <sstream>
#include <unistd.h>
#include <string>
#include <string_view>

namespace splitbench::os {

double cpu_seconds(pid_t pid) noexcept {
  clockid_t clock{};
  timespec t{};
  if (::clock_getcpuclockid(pid, &clock) != 0 || ::clock_gettime(clock, &t) != 0) return -1;
  return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_nsec) / 1e9;
}

namespace {

/// A "Name:   N kB" line of /proc/PID/status, in bytes.
std::uint64_t status_kib(pid_t pid, std::string_view name) {
  std::ifstream status(pid == 0 ? std::string("/proc/self/status") : "/proc/" + std::to_string(pid) + "/status");
  for (std::string line; std::getline(status, line);)
    if (line.size() > name.size() && line.compare(0, name.size(), name) == 0 && line[name.size()] == ':')
      return std::stoull(line.substr(name.size() + 1)) * 1024;
  return 0;
}

}  // namespace

double start_time_seconds(pid_t pid) {
  std::ifstream stat(pid == 0 ? std::string("/proc/self/stat") : "/proc/" + std::to_string(pid) + "/stat");
  std::string text((std::istreambuf_iterator<char>(stat)), std::istreambuf_iterator<char>());
  auto close = text.rfind(')');  // the command name may hold spaces and parentheses
  if (close == std::string::npos) return 0;
  std::istringstream fields(text.substr(close + 2));
  std::string field;
  for (int i = 3; i < 22 && fields >> field;) ++i;  // fields 3..21: state .. itrealvalue
  unsigned long long ticks = 0;
  if (!(fields >> ticks)) return 0;
  std::ifstream proc_stat("/proc/stat");
  for (std::string line; std::getline(proc_stat, line);)
    if (line.starts_with("btime "))
      return static_cast<double>(std::stoull(line.substr(6))) + static_cast<double>(ticks) / static_cast<double>(::sysconf(_SC_CLK_TCK));
  return 0;
}

std::uint64_t resident_bytes(pid_t pid) { return status_kib(pid, "VmRSS"); }
std::uint64_t peak_resident_bytes(pid_t pid) { return status_kib(pid, "VmHWM"); }

}  // namespace splitbench::os
