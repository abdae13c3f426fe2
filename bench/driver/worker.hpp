#pragma once
/// One thread's share of a run: an io_context, its connections and its own results, merged with
/// the other workers' after the run. The worker decides when each request goes and on which
/// connection, and records what became of it:
///
/// - When: worker w of T in shard I of N takes requests I + N w, I + N (w + T), ... of the
///   global sequence (k = I mod N, and of those every T-th), due at first_due + k / rate (the
///   pacer). A timer wakes 50 us early where the rate makes spinning
///   cheap, and the rest is spun while completions are polled, so that no read waits on it.
/// - Where: on any idle connection, the one idle longest. When none is idle the request waits,
///   keeping its due time: `queue_wait` is that wait, `send_lag` the driver's own lateness once
///   a connection was free.
/// - What is recorded: see load_result. Nothing is allocated per request.

#include "bench/driver/connection.hpp"
#include "bench/driver/load.hpp"
#include "bench/driver/timeline.hpp"

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

#include <atomic>
#include <optional>
#include <memory>
#include <vector>

namespace splitbench::bench {

class worker final : connection_owner {
 public:
  /// `connections` connections to `endpoint`; `index` among `options.threads` workers.
  worker(load_options const& options, request_mix const& mix, timeline const& window, int index,
         boost::asio::ip::tcp::endpoint endpoint, int connections);
  worker(worker const&) = delete;
  worker& operator=(worker const&) = delete;
  ~worker();

  /// Opens every connection; from any thread.
  void open();
  /// Starts sending once `window` is set; from any thread.
  void begin();
  /// Runs the worker's thread until its share of the run is done.
  void run();

  /// Connections opened before begin(); from any thread.
  int ready() const noexcept { return ready_.load(std::memory_order_relaxed); }
  /// Its share is done and result() is final; from any thread.
  bool done() const noexcept { return done_.load(std::memory_order_acquire); }
  /// What it measured; read once done().
  load_result const& result() const noexcept { return result_; }

  /// Live figures since the start, warm-up included; from any thread.
  std::uint64_t live_responses() const noexcept { return live_responses_.load(std::memory_order_relaxed); }
  std::uint64_t live_errors() const noexcept { return live_errors_.load(std::memory_order_relaxed); }
  /// The p99 of response time over the last whole second.
  std::uint64_t live_p99_ns() const noexcept { return live_p99_.load(std::memory_order_relaxed); }

 private:
  /// What became of a request: a response of some status, or (status 0) a failure.
  struct outcome {
    unsigned status = 0;
    failure kind = failure::read;
  };

  /// A request on its way: which it is and its times.
  struct exchange {
    std::size_t route = 0;
    time_point due{}, free{}, sent{};  // free: when a connection was free for it
    bool active = false;
  };

  void on_open(connection& c) override;
  void on_connect_failed(connection& c) override;
  void on_response(connection& c, unsigned status, bool reopening) override;
  void on_failure(connection& c, failure kind) override;
  void on_closed(connection& c) override;

  void start();
  void dispatch();
  void send(time_point due, time_point now);
  void refuse(time_point due, time_point now);
  void arm(time_point due, time_point now);
  void spin_until(time_point due);
  void schedule_sweep();
  void sweep();
  bool nothing_left(time_point now) const noexcept;
  void finish();

  void push_idle(std::size_t c, time_point now) noexcept;
  std::size_t pop_idle() noexcept;
  void remove_idle(std::size_t c) noexcept;
  exchange end_exchange(connection const& c, time_point now) noexcept;
  /// Records what became of a request due at x.due (sent at x.sent if `sent`) at time `at`.
  void record(exchange const& x, bool sent, time_point at, outcome what);
  /// The second of the window `t` is in; only for t in the window.
  second_stats& second_of(time_point t) noexcept;

  load_options const& options_;
  timeline const& window_;
  request_picker picker_;
  std::uint64_t first_, stride_;  // its requests of the global sequence: first_ + j x stride_
  std::chrono::nanoseconds timeout_;

  boost::asio::io_context context_{1};
  // Keeps run() going while every connection is open and idle, until begin() comes.
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> hold_{context_.get_executor()};
  std::vector<std::unique_ptr<connection>> connections_;
  std::vector<exchange> exchanges_;       // by connection id
  std::vector<std::size_t> idle_;         // a ring of connection ids, idle longest first
  std::size_t idle_head_ = 0, idle_count_ = 0;
  std::vector<time_point> idle_since_;    // by connection id
  std::size_t in_flight_ = 0;

  pacer pace_ = pacer::closed_loop({});
  boost::asio::steady_timer send_timer_{context_}, sweep_timer_{context_};
  std::uint64_t arm_generation_ = 0;
  time_point armed_for_{};  // the due time a wake-up is on its way for
  clock_type::duration spin_margin_{};
  bool started_ = false, spinning_ = false, finished_ = false;
  bool unreachable_ = false;  // every connection down and the last attempt to open one failed

  load_result result_;
  std::optional<interval_recorder> intervals_;  // when options ask for an interval log
  double busy_ns_ = 0;  // connections' time carrying a request inside the window
  histogram live_{2, histogram::one_hour_ns};
  std::int64_t live_second_ = -1;
  std::atomic<std::uint64_t> live_responses_{0}, live_errors_{0}, live_p99_{0};
  std::atomic<int> ready_{0};
  std::atomic<bool> done_{false};
};

}  // namespace splitbench::bench
