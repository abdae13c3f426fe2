#pragma once
/// A fault: a target service, a kind, when it starts and how long it lasts, as a scenario's
/// [[fault]] tables and `splitbench run --fault SERVICE:KIND@AT[/FOR]` give it. Times count from
/// the start of the fault run's measured window.
///
///   kill  SIGKILL: the process dies at once. With FOR, it stays down that long before the
///         supervisor may restart it (a node lost for a while); without, it restarts at once.
///   term  SIGTERM: a graceful stop, and FOR as for kill.
///   hang  the service stops answering but keeps its sockets for FOR (required): SIGSTOP, then
///         SIGCONT. Connections are accepted by the kernel and wait.
///   slow  each call to the service answers later by a delay drawn from a distribution, on a
///         fraction of calls, for FOR (required): slow=2ms, slow=lognormal(2ms,0.5),
///         slow=uniform(1ms,3ms):0.1 (host/fault_action.hpp)
///   error a fraction of calls fail with a status, for FOR (required): error=0.05:500
///
/// Slow and error act inside the process that runs the service, through its admin endpoint
/// (host/admin.hpp): in the monolith, in the in-process binding of that component; in the split,
/// in the service's own process, so that its callers see a slow or failing peer. The gateway runs
/// no service of its own, so it can be killed, stopped or hung, but not slowed or made to fail.
///
/// The target is the process that runs the service: in the split, the service's own; in the
/// monolith, the one process that holds every component. That is the honest equivalent: a crash
/// in any component is a crash of the one process, and a hung component blocks each thread that
/// calls it, which at any real rate is every thread within a few requests.

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace splitbench::bench {

enum class fault_kind { kill, term, hang, slow, error };

/// "kill", "term", "hang", "slow", "error".
std::string_view name_of(fault_kind k) noexcept;

/// The services a fault can target: the split's five processes by name.
inline constexpr std::string_view fault_targets[] = {"gateway", "catalog", "inventory", "pricing", "orders"};

struct fault {
  std::string service;
  fault_kind kind = fault_kind::kill;
  std::chrono::nanoseconds at{};
  std::optional<std::chrono::nanoseconds> length;  ///< FOR; required for hang, slow and error
  std::string action;  ///< slow and error: the action as the admin endpoint takes it, "slow=2ms"

  /// Acts inside the process (slow, error), not on it by a signal.
  bool in_process() const noexcept { return kind == fault_kind::slow || kind == fault_kind::error; }

  /// As the command line writes it: "pricing:kill@10s", "catalog:hang@5s/5s", "pricing:error=0.05:500@5s/10s".
  std::string text() const;
  /// When it is over, from the window's start: at + FOR, or at without one.
  std::chrono::nanoseconds end() const noexcept { return at + length.value_or(std::chrono::nanoseconds::zero()); }

  friend bool operator==(fault const&, fault const&) = default;
};

/// Checks a fault made from parts (a scenario's table); `kind` is "kill", "term", "hang" or an
/// action ("slow=2ms", "error=0.05:500"). Throws std::invalid_argument saying what is wrong.
fault make_fault(std::string service, std::string_view kind, std::chrono::nanoseconds at,
                 std::optional<std::chrono::nanoseconds> length);

/// Parses "SERVICE:KIND@AT[/FOR]", KIND being kill, term, hang, slow=... or error=...; throws std::invalid_argument saying what is wrong and what
/// would be right.
fault parse_fault(std::string_view text);

}  // namespace splitbench::bench
