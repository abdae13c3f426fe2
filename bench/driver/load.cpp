#include "bench/driver/load.hpp"

#include "bench/driver/hiccup.hpp"
#include "bench/driver/timeline.hpp"
#include "bench/driver/worker.hpp"
#include "os/process_usage.hpp"

#include <boost/asio/ip/address.hpp>
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <memory>
#include <optional>
#include <stdexcept>
#include <thread>
#include <vector>

namespace splitbench::bench {
using namespace std::chrono;

void validate(load_options const& o) {
  if (o.connections < 1) throw std::invalid_argument("--connections must be at least 1");
  if (o.threads < 1) throw std::invalid_argument("--threads must be at least 1");
  if (o.connections < o.threads)
    throw std::invalid_argument(fmt::format("--connections ({}) must be at least --threads ({})", o.connections, o.threads));
  if (o.duration <= nanoseconds::zero()) throw std::invalid_argument("--duration must be above 0");
  if (o.timeout <= nanoseconds::zero()) throw std::invalid_argument("--timeout must be above 0");
  if (o.interval && *o.interval <= nanoseconds::zero()) throw std::invalid_argument("an interval must be above 0");
  if (o.shards < 1 || o.shard >= o.shards)
    throw std::invalid_argument(fmt::format("--shard {}/{} is not one of 0/N .. N-1/N", o.shard, o.shards));
  if (o.shards > 1 && !o.rate) throw std::invalid_argument("--shard needs --rate: shards divide an open-loop schedule");
  if (o.rate) {
    if (!(*o.rate > 0)) throw std::invalid_argument("--rate must be above 0");
    // Every connection must get at least one request in the measured window, or it measures nothing.
    double per_connection = *o.rate / static_cast<double>(o.shards) / o.connections * duration<double>(o.duration).count();
    if (per_connection < 1)
      throw std::invalid_argument(fmt::format(
          "--rate {} over {} connections sends under one request per connection in {:.3g}s; use fewer connections",
          *o.rate, o.connections, duration<double>(o.duration).count()));
  }
}

namespace {


/// Samples what the window should cover, once at each of its edges.
class window_sampler {
 public:
  explicit window_sampler(load_options const& o) : o_(o) {}
  void at(time_point now, timeline const& window) {
    if (!started_ && now >= window.measure_start()) {
      started_ = true;
      cpu_start_ = os::cpu_seconds();
      if (o_.at_measure_start) o_.at_measure_start();
    }
    if (started_ && !ended_ && now >= window.end()) {
      ended_ = true;
      cpu_end_ = os::cpu_seconds();
      if (o_.at_measure_end) o_.at_measure_end();
    }
  }
  /// Makes sure both edges were sampled (a run cut short may have skipped them).
  double cpu_seconds(timeline const& window) {
    at(time_point::max(), window);
    return cpu_end_ - cpu_start_;
  }
  bool started() const noexcept { return started_; }
  bool ended() const noexcept { return ended_; }

 private:
  load_options const& o_;
  bool started_ = false, ended_ = false;
  double cpu_start_ = 0, cpu_end_ = 0;
};

}  // namespace

load_result run_load(load_options const& o, request_mix const& asked, std::function<void(load_progress const&)> const& progress) {
  validate(o);
  // Asking for timings changes the bytes sent, made once here: the send path is the same.
  std::optional<request_mix> timed;
  if (o.timing) timed = with_header(asked, "X-Splitbench-Timing: 1");
  request_mix const& mix = timed ? *timed : asked;
  request_picker check(mix, o.seed);  // throws on a mix that cannot be sent
  boost::system::error_code ec;
  auto address = boost::asio::ip::make_address(o.host, ec);
  if (ec) throw std::invalid_argument("not an IP address: " + o.host);
  boost::asio::ip::tcp::endpoint endpoint(address, o.port);

  timeline window;
  std::vector<std::unique_ptr<worker>> workers;
  // Connection k goes to worker k % threads.
  for (int t = 0; t < o.threads; ++t)
    workers.push_back(std::make_unique<worker>(o, mix, window, t, endpoint, (o.connections - t + o.threads - 1) / o.threads));
  // A start asked for: open the connections shortly before it (a server may close idle ones).
  auto wall_now = [] { return duration_cast<nanoseconds>(std::chrono::system_clock::now().time_since_epoch()).count(); };
  auto steady_at = [&](std::int64_t unix_ns) { return clock_type::now() + duration_cast<clock_type::duration>(nanoseconds(unix_ns - wall_now())); };
  if (o.start_at) {
    auto open_at = steady_at(*o.start_at) - duration_cast<clock_type::duration>(o.timeout) - milliseconds(100);
    while (clock_type::now() < open_at && !(o.cancel && o.cancel->load(std::memory_order_relaxed)))
      std::this_thread::sleep_until(std::min(open_at, clock_type::now() + milliseconds(50)));
  }
  // Open every connection before the run starts, so that connecting is never measured.
  for (auto& w : workers) w->open();
  std::vector<std::thread> threads;
  for (auto& w : workers) threads.emplace_back([w = w.get()] { w->run(); });
  auto connect_deadline = clock_type::now() + duration_cast<clock_type::duration>(o.timeout);
  auto ready = [&] {
    int n = 0;
    for (auto& w : workers) n += w->ready();
    return n;
  };
  while (ready() < o.connections && clock_type::now() < connect_deadline) std::this_thread::sleep_for(milliseconds(1));

  auto t0 = clock_type::now() + milliseconds(2);
  auto start_unix_ns = wall_now() + duration_cast<nanoseconds>(t0 - clock_type::now()).count();
  if (o.start_at) {
    t0 = steady_at(*o.start_at);  // in the past if connecting took that long: the schedule charges it
    start_unix_ns = *o.start_at;
  }
  window.start(t0, o.warmup, o.duration, o.timeout, o.rate.has_value());
  for (auto& w : workers) w->begin();
  hiccup_meter hiccups(window);

  window_sampler sampler(o);
  auto last_tick = t0;
  std::uint64_t last_responses = 0;
  auto all_done = [&] { return std::all_of(workers.begin(), workers.end(), [](auto& w) { return w->done(); }); };
  while (!all_done()) {
    // Wake at the window's edges exactly, so what they sample covers the window and no more.
    auto wake = clock_type::now() + milliseconds(20);
    if (!sampler.started()) wake = std::min(wake, window.measure_start());
    else if (!sampler.ended()) wake = std::min(wake, window.end());
    std::this_thread::sleep_until(wake);
    auto now = clock_type::now();
    if (o.cancel && o.cancel->load(std::memory_order_relaxed) && !window.cancelled()) window.cancel(now);
    sampler.at(now, window);
    if (progress && now - last_tick >= seconds(1)) {
      load_progress p;
      p.elapsed_seconds = duration<double>(now - t0).count();
      p.total_seconds = duration<double>(window.end() - t0).count();
      p.warming_up = now < window.measure_start();
      for (auto& w : workers) {
        p.responses += w->live_responses();
        p.errors += w->live_errors();
        p.last_second_p99_ns = std::max(p.last_second_p99_ns, w->live_p99_ns());
      }
      p.last_second_rps = static_cast<double>(p.responses - last_responses) / duration<double>(now - last_tick).count();
      last_responses = p.responses;
      last_tick = now;
      progress(p);
    }
  }
  for (auto& t : threads) t.join();

  load_result r;
  for (auto& w : workers) r.merge(w->result());
  r.all.name = "all";
  r.start_unix_ns = start_unix_ns;
  r.hiccups = hiccups.stop();
  r.driver_cpu_seconds = sampler.cpu_seconds(window);
  // Keep only whole seconds of the window (the last one is partial when the duration is not whole).
  auto whole = static_cast<std::size_t>(std::max<clock_type::rep>(0, duration_cast<seconds>(window.end() - window.measure_start()).count()));
  if (r.per_second.size() > whole) r.per_second.resize(whole);
  if (o.interval_log) {
    // Every second the window began, the last perhaps partial: the log says how long each is.
    auto began = static_cast<std::int64_t>(std::ceil(r.measured_seconds));
    std::erase_if(r.interval_log, [&](auto const& i) { return i.second >= began; });
    r.interval_log = merge_intervals(r.interval_log);
  }
  return r;
}

}  // namespace splitbench::bench
