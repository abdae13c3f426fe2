#pragma once
/// Where a request's time went inside the processes that served it, as each answers in a
/// `Server-Timing` header (W3C Server Timing, durations in milliseconds) when the request
/// carries `X-Splitbench-Timing: 1`, and only then:
///
///   Server-Timing: queue;dur=0.0010, logic;dur=0.0123, codec;dur=0.0041, net;dur=0.0850,
///                  total;dur=0.1024, call-pricing;dur=0.0712
///
/// The parts of a hop add up to its total, from the request read whole to the response handed
/// to the server to write:
///   queue  from the request read whole to its handler's start (here and in the callees)
///   codec  decoding the request, encoding the response, encoding and decoding calls' bodies
///   net    what a caller saw of a call beyond what its callee reports: HTTP framing, system
///          calls, the kernel and loopback, and waiting for the caller's thread
///   logic  the rest: the flow's and the services' own work
/// Calls made at once (a fan-out) overlap: a hop attributes only the call that finished last,
/// the one on its critical path, and the codec work hidden under its wait counts nowhere.
/// `call-<peer>` entries are each call's duration as this hop saw it, for reading by eye.
///
/// The ask travels beside the call, not in the seam's interfaces (core/ knows no clocks): the
/// server marks the request it is handling as the thread's current one, and the HTTP stubs send
/// the ask on, and read their callees' answers, only when there is one. Without the ask the
/// hot path pays one header lookup in the server and a null check at each point below.

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace splitbench::net {

/// The request header that asks for timings; `1` asks.
inline constexpr std::string_view timing_request_header = "X-Splitbench-Timing";

/// A hop's parts, in nanoseconds; queue + logic + codec + net == total as the hop reports it.
struct timing_parts {
  std::int64_t queue = 0, logic = 0, codec = 0, net = 0, total = 0;

  std::int64_t sum() const noexcept { return queue + logic + codec + net; }
};

/// The `Server-Timing` value of `parts`, with a `call-<name>` entry for each call given.
std::string format_server_timing(timing_parts const& parts, std::vector<std::pair<std::string, std::int64_t>> const& calls = {});

/// Reads a `Server-Timing` value: the five parts, or nothing if it is not valid W3C syntax or
/// lacks `total`. Parts it does not name are 0; other metrics are skipped.
std::optional<timing_parts> parse_server_timing(std::string_view value);

/// Whether `value` is a valid `Server-Timing` field value (W3C: metrics of a token name and
/// parameters `;name=value`, value a token or a quoted string, separated by commas).
bool valid_server_timing(std::string_view value);

/// The timing of one request in one process, made only when the request asked for it.
/// Everything happens on the request's thread.
class request_timing : public std::enable_shared_from_this<request_timing> {
 public:
  using clock = std::chrono::steady_clock;

  /// `read`: when the request was read whole.
  explicit request_timing(clock::time_point read) noexcept : read_(read) {}

  /// The handler starts: the end of the queue. Only the first mark counts.
  void handler_started(clock::time_point t) noexcept {
    if (!started_) started_ = t;
  }

  /// Time spent encoding or decoding a body.
  void add_codec(clock::duration d) noexcept;

  /// A call about to be sent, and what its answer needs of it.
  struct call_ticket {
    clock::time_point sent;
    clock::duration codec_before{};  // codec time in the same wait, before this call was sent
  };
  call_ticket call_sent(clock::time_point t) noexcept;

  /// The call of `ticket` to `peer` answered at `t`; `callee`: its Server-Timing parts, if it
  /// sent them (an error before an answer, or an answer without them, counts all as net).
  void call_answered(call_ticket const& ticket, clock::time_point t, std::string_view peer, std::optional<timing_parts> const& callee);

  /// The parts when the response is handed over at `t`.
  timing_parts finish(clock::time_point t) const noexcept;

  /// Each call as this hop saw it: peer and duration in ns.
  std::vector<std::pair<std::string, std::int64_t>> const& calls() const noexcept { return calls_; }

 private:
  clock::time_point read_;
  std::optional<clock::time_point> started_;
  clock::duration codec_own_{};      // codec while no call was outstanding
  clock::duration codec_in_wait_{};  // codec during the current wait
  clock::duration waits_{};          // the waits, from the first call sent to the last answered
  int outstanding_ = 0;
  clock::time_point wait_start_{};
  timing_parts from_calls_{};  // what the critical calls contribute (total unused)
  std::vector<std::pair<std::string, std::int64_t>> calls_;
};

namespace detail {
inline constinit thread_local request_timing* current_timing = nullptr;
}

/// The timing of the request this thread is working on, or null: set by the server while its
/// handler runs, and by a stub while it hands an answer on. Inline: a thread-local load.
inline request_timing* current_timing() noexcept { return detail::current_timing; }

/// Makes `t` the thread's current timing for its scope, then restores the previous one.
class timing_scope {
 public:
  explicit timing_scope(request_timing* t) noexcept;
  ~timing_scope();
  timing_scope(timing_scope const&) = delete;
  timing_scope& operator=(timing_scope const&) = delete;

 private:
  request_timing* previous_;
};

namespace detail {
template <class F>
[[gnu::noinline]] auto timed_codec_slow(request_timing& t, F& f) {
  auto start = request_timing::clock::now();
  auto out = f();
  t.add_codec(request_timing::clock::now() - start);
  return out;
}
}  // namespace detail

/// Adds the time of `f()` to the current timing as codec work, if there is one; the timed path
/// is out of line, so that the untimed one compiles as `f()` alone would.
template <class F>
auto timed_codec(F&& f) {
  if (auto* t = current_timing()) [[unlikely]]
    return detail::timed_codec_slow(*t, f);
  return f();
}

}  // namespace splitbench::net
