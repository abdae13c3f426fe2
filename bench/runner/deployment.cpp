#include "bench/runner/deployment.hpp"

#include <fmt/format.h>

#include <stdexcept>

namespace splitbench::bench {

std::string_view name_of(deployment_kind kind) noexcept { return kind == deployment_kind::monolith ? "monolith" : "split"; }

child_process deployment::start(std::string name, std::string const& binary, std::vector<std::string> args) {
  args.push_back("--threads");
  args.push_back(std::to_string(options_.threads));
  args.push_back("--seed");
  args.push_back(std::to_string(options_.seed));
  args.insert(args.end(), options_.extra_args.begin(), options_.extra_args.end());
  if (options_.kind == deployment_kind::split) args.insert(args.end(), options_.split_args.begin(), options_.split_args.end());
  commands_.emplace_back(binary, args);
  auto log = fmt::format("{}/{}.log", options_.log_dir, name);
  return spawn_server(std::move(name), options_.bin_dir + "/" + binary, std::move(args), log, options_.start_timeout);
}

deployment::deployment(deployment_options options) : options_(std::move(options)) {
  auto front = fmt::format("{}:{}", options_.host, options_.port);
  auto internal = options_.host + ":0";
  try {
    if (options_.kind == deployment_kind::monolith) {
      processes_.push_back(start("monolith", "splitbench-monolith", {"--listen", front}));
    } else {
      for (auto const* service : {"catalog", "inventory", "pricing"})
        processes_.push_back(start(service, "splitbench-service", {service, "--listen", internal}));
      auto const& catalog = processes_[0].address;
      auto const& inventory = processes_[1].address;
      auto const& pricing = processes_[2].address;
      processes_.push_back(start("orders", "splitbench-service",
                                 {"orders", "--listen", internal, "--catalog", catalog, "--inventory", inventory, "--pricing", pricing}));
      auto const& orders = processes_[3].address;
      processes_.push_back(start("gateway", "splitbench-service",
                                 {"gateway", "--listen", front, "--catalog", catalog, "--inventory", inventory,
                                  "--pricing", pricing, "--orders", orders}));
    }
    for (auto& p : processes_) {
      if (!wait_healthy(p.address, options_.start_timeout))
        throw std::runtime_error(fmt::format("{} at {} never answered /health (log {}):\n{}", p.name, p.address,
                                             p.log_path, tail_of(p.log_path)));
    }
  } catch (...) {
    stop();
    throw;
  }
}

deployment::~deployment() { stop(); }

std::optional<std::size_t> deployment::index_of(std::string_view name) const noexcept {
  for (std::size_t i = 0; i < processes_.size(); ++i)
    if (processes_[i].name == name) return i;
  return std::nullopt;
}

void deployment::restart(std::size_t index) {
  auto& p = processes_.at(index);
  if (p.pid > 0) throw std::logic_error(p.name + " is still running");
  auto [binary, args] = commands_.at(index);
  for (std::size_t k = 0; k + 1 < args.size(); ++k)
    if (args[k] == "--listen") args[k + 1] = p.address;  // the port its callers know
  // The log goes on where the first one ended: the death and the restart read in one place.
  p.pid = spawn_server(p.name, options_.bin_dir + "/" + binary, std::move(args), p.log_path, options_.start_timeout, true).pid;
}

std::optional<std::string> deployment::failure() {
  for (auto& p : processes_) {
    if (p.pid <= 0) continue;
    auto pid = p.pid;
    if (auto how = exit_status(p))
      return fmt::format("{} (pid {}) {}; log {}:\n{}", p.name, pid, *how, p.log_path, tail_of(p.log_path));
  }
  return std::nullopt;
}

void deployment::stop() {
  for (auto it = processes_.rbegin(); it != processes_.rend(); ++it) stop_process(*it, std::chrono::milliseconds(2'000));
}

}  // namespace splitbench::bench
