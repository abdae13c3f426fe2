#include "os/cgroup.hpp"

#include <fmt/format.h>

#include <cctype>
#include <cerrno>
#include <cmath>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <sys/stat.h>
#include <thread>
#include <unistd.h>
#include <utility>
#include <vector>

namespace splitbench::os {

std::string_view name_of(cgroup_version v) noexcept { return v == cgroup_version::v1 ? "cgroup v1" : "cgroup v2"; }

namespace {

constexpr std::string_view group_prefix = "splitbench-";

std::vector<std::string_view> split(std::string_view s, char sep) {
  std::vector<std::string_view> parts;
  for (std::size_t start = 0;;) {
    auto end = s.find(sep, start);
    parts.push_back(s.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start));
    if (end == std::string_view::npos) return parts;
    start = end + 1;
  }
}

bool has_word(std::string_view list, std::string_view word, char sep) {
  for (auto w : split(list, sep))
    if (w == word) return true;
  return false;
}

std::string_view trimmed(std::string_view s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.remove_suffix(1);
  return s;
}

/// A mount point as mountinfo escapes it ("\040" for a space), unescaped.
std::string unescape(std::string_view s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\\' && i + 3 < s.size()) {
      out += static_cast<char>((s[i + 1] - '0') * 64 + (s[i + 2] - '0') * 8 + (s[i + 3] - '0'));
      i += 3;
    } else {
      out += s[i];
    }
  }
  return out;
}

/// A small file's content; nothing when it cannot be read.
std::optional<std::string> read_text(std::string const& path) {
  std::ifstream in(path);
  if (!in) return std::nullopt;
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

/// Writes `text` to a cgroup file in one write, as the kernel wants it: 0, or the errno.
int write_text(std::string const& path, std::string_view text) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CLOEXEC);
  if (fd < 0) return errno;
  auto n = ::write(fd, text.data(), text.size());
  int error = n < 0 ? errno : static_cast<std::size_t>(n) == text.size() ? 0 : EIO;
  ::close(fd);
  return error;
}

/// Moves whatever runs in `group` to its parent and removes it. A process moved out between the
/// read and the rmdir, or one forked meanwhile, is moved on the next try.
bool remove_group(std::string const& group) noexcept {
  try {
    auto parent_procs = group.substr(0, group.rfind('/')) + "/cgroup.procs";
    for (int attempt = 0; attempt < 200; ++attempt) {
      if (::rmdir(group.c_str()) == 0 || errno == ENOENT) return true;
      if (errno != EBUSY) return false;
      if (auto procs = read_text(group + "/cgroup.procs"))
        for (auto pid : split(trimmed(*procs), '\n'))
          if (!pid.empty()) write_text(parent_procs, pid);  // ESRCH: it has exited meanwhile
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
  } catch (...) {
  }
  return false;
}

void check_name(std::string_view name) {
  bool ok = !name.empty();
  for (char c : name) ok = ok && (std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.' || c == '-');
  if (!ok) throw std::invalid_argument(fmt::format("a cgroup name is letters, digits, '_', '.' and '-', not '{}'", name));
}

void check_cores(double cores) {
  if (!std::isfinite(cores) || cores <= 0) throw std::invalid_argument(fmt::format("a CPU limit must be above 0 cores, not {}", cores));
}

/// The quota of `cores` per `period`, in microseconds.
long long quota_us(double cores, std::chrono::microseconds period) {
  check_cores(cores);
  if (period < std::chrono::milliseconds(1) || period > std::chrono::seconds(1))
    throw std::invalid_argument(fmt::format("a CFS period is 1 ms to 1 s, not {} us", period.count()));
  auto quota = std::llround(cores * static_cast<double>(period.count()));
  if (quota < 1000)
    throw std::invalid_argument(fmt::format("a CPU limit must be at least {:g} cores (the kernel's least quota is 1 ms of each {:g} ms "
                                            "period), not {}",
                                            1000 / static_cast<double>(period.count()), static_cast<double>(period.count()) / 1e3, cores));
  return quota;
}

cpu_hierarchy validated(std::string_view name, double cores, std::chrono::microseconds period) {
  check_name(name);
  quota_us(cores, period);
  return find_cpu_hierarchy();
}

/// cgroup v2 hands a controller to the groups under one only once it is enabled in the parent's
/// subtree_control, as a container runtime does at the root.
void enable_cpu_controller(std::string const& root) {
  auto control = root + "/cgroup.subtree_control";
  if (auto enabled = read_text(control); enabled && has_word(trimmed(*enabled), "cpu", ' ')) return;
  if (int e = write_text(control, "+cpu"))
    throw cgroup_error(fmt::format("cannot enable the cpu controller for groups under {} (writing '+cpu' to {}): {}", root, control,
                                   std::strerror(e)));
}

void write_limit(std::string const& file, std::string const& value) {
  if (int e = write_text(file, value)) throw cgroup_error(fmt::format("cannot write '{}' to {}: {}", value, file, std::strerror(e)));
}

}  // namespace

cpu_hierarchy find_cpu_hierarchy(std::string_view mountinfo) {
  std::vector<std::string> tried;
  std::optional<cpu_hierarchy> v1;
  bool saw_v2 = false, saw_v1 = false;
  for (auto line : split(mountinfo, '\n')) {
    // ID PARENT MAJOR:MINOR ROOT MOUNT_POINT OPTIONS [OPTIONAL...] - FSTYPE SOURCE SUPER_OPTIONS
    auto fields = split(line, ' ');
    std::size_t dash = 0;
    while (dash < fields.size() && fields[dash] != "-") ++dash;
    if (fields.size() < 5 || dash + 3 >= fields.size()) continue;
    auto mount = unescape(fields[4]);
    auto type = fields[dash + 1];
    auto options = fields[dash + 3];
    if (type == "cgroup2") {
      saw_v2 = true;
      auto controllers = read_text(mount + "/cgroup.controllers");
      if (!controllers) {
        tried.push_back(fmt::format("cgroup v2 at {}: cannot read cgroup.controllers", mount));
      } else if (!has_word(trimmed(*controllers), "cpu", ' ')) {
        auto offered = trimmed(*controllers);
        tried.push_back(fmt::format("cgroup v2 at {} does not offer the cpu controller (cgroup.controllers: {})", mount,
                                    offered.empty() ? "none" : offered));
      } else if (::access(mount.c_str(), W_OK) != 0) {
        tried.push_back(fmt::format("cgroup v2 at {} cannot be written: {}", mount, std::strerror(errno)));
      } else {
        return {cgroup_version::v2, mount};
      }
    } else if (type == "cgroup" && has_word(options, "cpu", ',')) {
      saw_v1 = true;
      if (::access((mount + "/cpu.cfs_quota_us").c_str(), F_OK) != 0)
        tried.push_back(fmt::format("cgroup v1 at {} has no cpu.cfs_quota_us (no CFS bandwidth control in this kernel)", mount));
      else if (::access(mount.c_str(), W_OK) != 0)
        tried.push_back(fmt::format("cgroup v1 at {} cannot be written: {}", mount, std::strerror(errno)));
      else if (!v1)
        v1 = cpu_hierarchy{cgroup_version::v1, mount};
    }
  }
  if (v1) return *v1;
  if (!saw_v2) tried.push_back("no cgroup v2 hierarchy is mounted");
  if (!saw_v1) tried.push_back("no cgroup v1 hierarchy with the cpu controller is mounted");
  std::string why;
  for (auto const& t : tried) why += (why.empty() ? "" : "; ") + t;
  throw cgroup_error("cannot limit CPU: " + why);
}

cpu_hierarchy find_cpu_hierarchy() {
  auto mountinfo = read_text("/proc/self/mountinfo");
  if (!mountinfo) throw cgroup_error("cannot limit CPU: cannot read /proc/self/mountinfo to find the cgroup hierarchies");
  return find_cpu_hierarchy(*mountinfo);
}

std::chrono::microseconds shortest_cpu_period(double cores) {
  check_cores(cores);
  return std::chrono::microseconds(std::max<long long>(1000, static_cast<long long>(std::ceil(1000 / cores))));
}

cpu_limit::cpu_limit(std::string_view name, double cores, std::chrono::microseconds period)
    : cpu_limit(validated(name, cores, period), name, cores, period) {}

cpu_limit::cpu_limit(cpu_hierarchy where, std::string_view name, double cores, std::chrono::microseconds period)
    : where_(std::move(where)), cores_(cores), period_(period) {
  check_name(name);
  auto quota = quota_us(cores, period);
  remove_stale_cpu_groups(where_);
  if (where_.version == cgroup_version::v2) enable_cpu_controller(where_.root);
  auto base = fmt::format("{}/{}{}-{}", where_.root, group_prefix, ::getpid(), name);
  for (int n = 1; path_.empty(); ++n) {
    auto candidate = n == 1 ? base : fmt::format("{}-{}", base, n);
    if (::mkdir(candidate.c_str(), 0755) == 0) path_ = candidate;
    else if (errno != EEXIST || n == 100) throw cgroup_error(fmt::format("cannot make the cgroup {}: {}", candidate, std::strerror(errno)));
  }
  try {
    auto period_text = std::to_string(period.count());
    if (where_.version == cgroup_version::v2) {
      write_limit(path_ + "/cpu.max", fmt::format("{} {}", quota, period_text));
    } else {
      write_limit(path_ + "/cpu.cfs_period_us", period_text);
      write_limit(path_ + "/cpu.cfs_quota_us", std::to_string(quota));
    }
  } catch (...) {
    remove_group(std::exchange(path_, {}));
    throw;
  }
}

cpu_limit::~cpu_limit() {
  if (!path_.empty()) remove_group(path_);
}

cpu_limit::cpu_limit(cpu_limit&& other) noexcept
    : where_(std::move(other.where_)), path_(std::exchange(other.path_, {})), cores_(other.cores_), period_(other.period_) {}

cpu_limit& cpu_limit::operator=(cpu_limit&& other) noexcept {
  if (this != &other) {
    if (!path_.empty()) remove_group(path_);
    where_ = std::move(other.where_);
    path_ = std::exchange(other.path_, {});
    cores_ = other.cores_;
    period_ = other.period_;
  }
  return *this;
}

void cpu_limit::add(pid_t pid) {
  if (int e = write_text(path_ + "/cgroup.procs", std::to_string(pid)))
    throw cgroup_error(fmt::format("cannot move process {} into the cgroup {} (writing its pid to cgroup.procs): {}", pid, path_,
                                   std::strerror(e)));
}

std::optional<double> cpu_quota_cores(pid_t pid, cpu_hierarchy const& where) {
  auto groups = read_text(fmt::format("/proc/{}/cgroup", pid));
  if (!groups) return std::nullopt;
  for (auto line : split(*groups, '\n')) {
    // ID:CONTROLLERS:PATH; cgroup v2's line is 0::PATH
    auto first = line.find(':'), second = line.find(':', first + 1);
    if (first == std::string_view::npos || second == std::string_view::npos) continue;
    auto controllers = line.substr(first + 1, second - first - 1);
    bool ours = where.version == cgroup_version::v2 ? line.substr(0, first) == "0" && controllers.empty() : has_word(controllers, "cpu", ',');
    if (!ours) continue;
    auto path = line.substr(second + 1);
    auto dir = where.root + std::string(path == "/" ? "" : path);
    double quota = 0, period = 0;
    if (where.version == cgroup_version::v2) {
      auto max = read_text(dir + "/cpu.max");
      if (!max || max->rfind("max", 0) == 0) return std::nullopt;
      std::istringstream(*max) >> quota >> period;
    } else {
      auto q = read_text(dir + "/cpu.cfs_quota_us"), p = read_text(dir + "/cpu.cfs_period_us");
      if (!q || !p) return std::nullopt;
      quota = std::stod(*q);
      period = std::stod(*p);
    }
    if (quota <= 0 || period <= 0) return std::nullopt;
    return quota / period;
  }
  return std::nullopt;
}

int remove_stale_cpu_groups(cpu_hierarchy const& where) {
  std::error_code ec;
  std::vector<std::string> stale;
  for (auto const& entry : std::filesystem::directory_iterator(where.root, ec)) {
    auto name = entry.path().filename().string();
    if (name.rfind(group_prefix, 0) != 0 || !entry.is_directory(ec)) continue;
    std::size_t end = group_prefix.size();
    while (end < name.size() && std::isdigit(static_cast<unsigned char>(name[end]))) ++end;
    if (end == group_prefix.size() || end == name.size() || name[end] != '-' || end - group_prefix.size() > 9) continue;
    auto owner = static_cast<pid_t>(std::stol(name.substr(group_prefix.size(), end - group_prefix.size())));
    if (owner > 0 && ::kill(owner, 0) != 0 && errno == ESRCH) stale.push_back(entry.path().string());
  }
  int removed = 0;
  for (auto const& group : stale) removed += remove_group(group) ? 1 : 0;
  return removed;
}

cpu_hierarchy check_cpu_limits() {
  auto where = find_cpu_hierarchy();
  cpu_limit probe(where, "check", 1.0);
  return where;
}

}  // namespace splitbench::os
