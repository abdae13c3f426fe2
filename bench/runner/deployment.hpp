#pragma once
/// A whole deployment, started and health-checked: the monolith (one process) or the split
/// (gateway, catalog, inventory, pricing, orders: five processes on OS-chosen ports).

#include "bench/runner/supervisor.hpp"

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace splitbench::bench {

enum class deployment_kind { monolith, split };

/// "monolith" or "split".
std::string_view name_of(deployment_kind kind) noexcept;

struct deployment_options {
  deployment_kind kind = deployment_kind::monolith;
  std::string host = "127.0.0.1";
  std::uint16_t port = 0;          ///< of the front door; 0: the OS picks
  int threads = 1;                 ///< threads of each process
  std::uint64_t seed = 42;
  std::string bin_dir;             ///< where splitbench-monolith and splitbench-service are
  std::string log_dir;             ///< one log file per process
  std::vector<std::string> extra_args;  ///< passed to every process (e.g. --inject-latency X=D)
  std::vector<std::string> split_args;   ///< passed to the split's processes only (peer timeout, retries, breaker)
  std::chrono::milliseconds start_timeout{10'000};
};

class deployment {
 public:
  /// Starts every process and waits until each answers /health. Throws std::runtime_error naming
  /// the process that failed, with its log; whatever had started is stopped first.
  explicit deployment(deployment_options options);
  ~deployment();
  deployment(deployment const&) = delete;
  deployment& operator=(deployment const&) = delete;

  /// The front door's address, "HOST:PORT".
  std::string const& address() const noexcept { return processes_.back().address; }

  /// Every process, the front door last.
  std::vector<child_process> const& processes() const noexcept { return processes_; }
  std::vector<child_process>& processes() noexcept { return processes_; }

  /// The index of the process named `name` ("pricing", "monolith", ...), if there is one.
  std::optional<std::size_t> index_of(std::string_view name) const noexcept;

  /// Starts process `index` again, on the address it had, once it has exited (a fault, a crash):
  /// returns when it has reported its address. Throws std::runtime_error as the constructor does.
  void restart(std::size_t index);

  /// The first process found to have exited, with how and the tail of its log; nothing if all run.
  std::optional<std::string> failure();

  /// Stops every process, the front door first. Safe to call twice.
  void stop();

 private:
  child_process start(std::string name, std::string const& binary, std::vector<std::string> args);

  deployment_options options_;
  std::vector<child_process> processes_;
  std::vector<std::pair<std::string, std::vector<std::string>>> commands_;  ///< each process's binary and arguments
};

}  // namespace splitbench::bench
