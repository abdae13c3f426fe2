#include "bench/commands/commands.hpp"

#include "bench/driver/files.hpp"
#include "bench/driver/interval_log.hpp"
#include "bench/driver/output.hpp"
#include "bench/runner/workload.hpp"
#include "cli/flags.hpp"
#include "cli/main.hpp"
#include "net/resolve.hpp"

#include <boost/json/serialize.hpp>
#include <boost/url/parse.hpp>
#include <fmt/format.h>

#include <cstdio>
#include <unistd.h>

namespace splitbench::bench {
namespace {

struct parsed_url {
  std::string host;
  std::uint16_t port = 80;
  std::string target;  // path and query
  std::string host_header;
};

parsed_url parse_url(std::string_view text) {
  auto u = boost::urls::parse_uri(text);
  if (!u) throw cli::usage_error("invalid URL '" + std::string(text) + "'");
  if (u->scheme() != "http") throw cli::usage_error("only http:// URLs are supported, not '" + std::string(text) + "'");
  parsed_url out;
  out.host = std::string(u->encoded_host());
  if (out.host == "localhost") out.host = "127.0.0.1";
  out.port = u->has_port() ? static_cast<std::uint16_t>(cli::parse_integer(u->port(), 1, 65535, "URL port")) : 80;
  // A name (a Service on a cluster) is resolved once, here; the Host header keeps it.
  auto addresses = net::resolve_ipv4(out.host);
  if (!addresses) throw cli::usage_error(fmt::format("cannot resolve '{}' in {}: {}", out.host, text, addresses.error().message()));
  out.host = addresses->front();
  auto path = u->encoded_path();
  out.target.assign(path.empty() ? std::string_view("/") : std::string_view(path.data(), path.size()));
  if (u->has_query()) {
    out.target.push_back('?');
    out.target.append(u->encoded_query().data(), u->encoded_query().size());
  }
  out.host_header = std::string(u->encoded_host_and_port());
  return out;
}

/// Like wrk: a run in which not a single request succeeded fails, in one line saying why; one in
/// which most failed passes with a warning.
int exit_status(load_result const& r, parsed_url const& url, bool quiet) {
  auto const& classes = r.all.status_classes;
  auto succeeded = classes[1] + classes[2] + classes[3];
  auto answered = succeeded + classes[4] + classes[5];
  auto const& e = r.all.errors;
  std::fflush(stdout);  // the verdict comes after the table, pipes included
  if (succeeded == 0) {
    if (answered > 0)
      fmt::print(stderr, "splitbench load: not one of {} responses succeeded (4xx {}, 5xx {})\n", answered, classes[4], classes[5]);
    else if (e.connect > 0 && e.total() == e.connect + e.refused)
      fmt::print(stderr, "splitbench load: could not connect to {}:{} ({} attempts refused or failed, {} requests failed with them)\n", url.host,
                 url.port, e.connect, e.refused);
    else
      fmt::print(stderr, "splitbench load: no response from {}:{} (timeout {}, read {}, write {}, parse {}, connect {})\n", url.host,
                 url.port, e.timeout, e.read, e.write, e.parse, e.connect);
    return 1;
  }
  if (e.total() > succeeded && !quiet)  // quiet: --json -, whose JSON holds the errors; nothing else may go out
    fmt::print(stderr, "splitbench load: warning: {} of {} requests failed (status {}, timeout {}, read {}, write {}, parse {}, refused {})\n",
               e.total(), e.total() + succeeded, e.status, e.timeout, e.read, e.write, e.parse, e.refused);
  return 0;
}

/// "I/N": shard I (0-based) of N.
void parse_shard(std::string_view v, load_options& o) {
  auto slash = v.find('/');
  if (slash == std::string_view::npos) throw cli::usage_error("--shard must be I/N, shard I (0-based) of N, not '" + std::string(v) + "'");
  o.shards = static_cast<std::uint64_t>(cli::parse_integer(v.substr(slash + 1), 1, 1'000'000, "--shard's N"));
  o.shard = static_cast<std::uint64_t>(cli::parse_integer(v.substr(0, slash), 0, 999'999, "--shard's I"));
  if (o.shard >= o.shards)
    throw cli::usage_error(fmt::format("--shard {}/{}: I counts from 0 and must be below N (0/{} .. {}/{})", o.shard, o.shards, o.shards,
                                       o.shards - 1, o.shards));
}

/// How far in the past --start-at may be: the first requests go late, and are charged for it.
constexpr std::int64_t start_grace_ns = 1'000'000'000;

void parse_start(std::string_view v, load_options& o) {
  o.start_at = parse_wall_time(v);
  if (!o.start_at)
    throw cli::usage_error("--start-at must be RFC 3339 UTC (2026-11-30T12:00:00Z, fractions allowed) or Unix seconds, not '" +
                           std::string(v) + "'");
  auto now = std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::system_clock::now().time_since_epoch()).count();
  if (*o.start_at < now - start_grace_ns)
    throw cli::usage_error(fmt::format("--start-at {} is {:.1f}s in the past; give a time ahead, which every shard waits for",
                                       std::string(v), static_cast<double>(now - *o.start_at) / 1e9));
}

}  // namespace

int load_command(int argc, char** argv) {
  load_options o;
  std::string method = "GET", body_file, json_file, workload, hlog_file;
  std::vector<std::string> headers;
  cli::command table{
      .name = "splitbench load",
      .summary = "the load driver alone, against any HTTP/1.1 server: open loop with --rate (latency from each "
                 "request's due time), closed loop without; exit status 1 when not a single request succeeded",
      .operands = {{"URL", "http://HOST[:PORT]/PATH?QUERY; HOST an IPv4 address or a name, resolved once at the start"}},
      .flags = {
          cli::number("rate", o.rate, "requests per second in all: open loop, latency from each request's due time", "R",
                      "none (closed loop, as fast as the connections allow)"),
          cli::whole("connections", o.connections, 1, 100'000, "keep-alive connections, spread over the threads"),
          cli::whole("threads", o.threads, 1, 256, "driver threads, each with its own event loop"),
          cli::duration("duration", o.duration, "length of the measured window"),
          cli::duration("warmup", o.warmup, "load before the measured window, not counted"),
          cli::duration("timeout", o.timeout, "a request without a complete response by then counts as a timeout"),
          cli::whole("seed", o.seed, 0, INT64_MAX, "seed of the workload's random choices"),
          cli::text("method", method, "METHOD", "HTTP method, in capitals"),
          cli::text("body", body_file, "FILE", "file whose content is sent as the body (JSON unless --header sets Content-Type)"),
          {.name = "header", .value = "NAME:VALUE", .help = "an extra request header",
           .set = [&](std::string_view v) {
             if (v.find(':') == std::string_view::npos || v.front() == ':') throw cli::usage_error("--header must be NAME:VALUE, not '" + std::string(v) + "'");
             headers.emplace_back(v);
           }, .repeatable = true},
          cli::text("json", json_file, "FILE",
                    "write the result as JSON to this file; '-': to standard output, and nothing else there or on standard error but a "
                    "failed run's one line (a pod's log is then the shard's JSON, as `kubectl logs` collects it)"),
          cli::text("hlog", hlog_file, "FILE",
                    "write an HdrHistogram interval log: each route's response times (ns) per second of the window, tagged by route"),
          {.name = "timing", .help = "ask the server for its Server-Timing (X-Splitbench-Timing: 1) and split each route's latency "
                                     "into queue, logic, codec and framing (p50 of each, in the JSON and the summary)",
           .set = [&o](std::string_view) { o.timing = true; }},
          cli::one_of("workload", workload, {"storefront"}, "the default scenario's mix of public routes instead of the URL's path"),
          {.name = "shard", .value = "I/N", .type = "I/N, whole numbers, 0 <= I < N", .default_text = "0/1",
           .help = "send only shard I (0-based) of N of the --rate schedule: requests k = I mod N, so N drivers together offer "
                   "--rate; needs --rate and --start-at",
           .set = [&](std::string_view v) { parse_shard(v, o); }},
          {.name = "start-at", .value = "TIME", .type = "RFC 3339 UTC (2026-11-30T12:00:00Z, fractions allowed) or Unix seconds",
           .default_text = "as soon as the connections are open",
           .help = "the wall-clock time the schedule's first request is due (warm-up included); the driver waits for it; "
                   "over 1s in the past is an error",
           .set = [&](std::string_view v) { parse_start(v, o); }},
      },
      .examples = {"splitbench load http://127.0.0.1:8080/health --rate 1000 --duration 10s",
                   "splitbench load http://127.0.0.1:8080/api/products/42 --connections 16 --threads 2",
                   "splitbench load http://127.0.0.1:8080/ --workload storefront --rate 500 --json load.json",
                   "splitbench load http://10.0.0.5:8080/ --rate 20000 --shard 0/4 --start-at 2026-11-30T12:00:00Z --json shard0.json"},
  };
  auto rest = cli::parse(argc, argv, 2, table);
  auto url = parse_url(rest[0]);
  for (char c : method)
    if (c < 'A' || c > 'Z') throw cli::usage_error("--method must be an HTTP method in capitals, not '" + method + "'");
  std::string body;
  if (!body_file.empty()) {
    try {
      body = read_file(body_file);
    } catch (std::exception const& e) {
      throw cli::usage_error(e.what());
    }
  }
  o.host = url.host;
  o.port = url.port;
  if (o.shards > 1 && !o.start_at) throw cli::usage_error("--shard needs --start-at: the shards of one schedule must share its start");
  try {
    validate(o);
  } catch (std::invalid_argument const& e) {
    throw cli::usage_error(e.what());
  }
  if (!body.empty() && std::none_of(headers.begin(), headers.end(), [](auto& h) { return h.rfind("Content-Type", 0) == 0; }))
    headers.push_back("Content-Type: application/json");

  request_mix mix;
  if (workload.empty()) {
    mix.routes.push_back({url.target, 1, {make_request(method, url.target, url.host_header, headers, body)}, method == "HEAD"});
  } else {
    mix = make_workload(scenario{}, url.host_header);  // the deployments' default seed: its stock decides which orders succeed
  }

  o.interval_log = !hlog_file.empty();
  o.cancel = &cli::stop_on_signals();
  bool tty = ::isatty(STDERR_FILENO) && json_file != "-";
  auto result = run_load(o, mix, [tty](load_progress const& p) {
    auto line = fmt::format("{} {:5.1f}/{:.1f}s  {:9.0f} req/s  p99 {:9.1f} us  errors {}", p.warming_up ? "warm-up" : "measure",
                            p.elapsed_seconds, p.total_seconds, p.last_second_rps, static_cast<double>(p.last_second_p99_ns) / 1e3, p.errors);
    if (tty) fmt::print(stderr, "\r{}\x1b[K", line);
  });
  if (tty) fmt::print(stderr, "\r\x1b[K");
  bool json_out = json_file == "-";
  auto const& classes = result.all.status_classes;
  if (!json_out && classes[1] + classes[2] + classes[3] + classes[4] + classes[5] > 0)
    fmt::print("{}", summary_text(result, rest[0]));  // a table of zeros says nothing
  if (!hlog_file.empty()) {
    std::vector<std::string> names;
    for (auto const& r : mix.routes) names.push_back(r.name);
    write_file_atomically(hlog_file, interval_log_text(result.interval_log, names, result.start_unix_ns + o.warmup.count(), result.measured_seconds));
  }
  if (!json_file.empty()) {
    load_schedule schedule;
    schedule.url = rest[0];
    schedule.workload = workload;
    for (auto const& r : mix.routes) schedule.routes.push_back(r.name);
    schedule.rate = o.rate;
    schedule.start_unix_ns = result.start_unix_ns;
    schedule.start_given = o.start_at.has_value();
    schedule.warmup = o.warmup;
    schedule.seed = o.seed;
    schedule.duration = o.duration;
    schedule.shards = o.shards;
    schedule.indices = {o.shard};
    auto text = boost::json::serialize(to_json(result, schedule)) + "\n";
    if (json_out) fmt::print("{}", text);
    else write_file_atomically(json_file, text);
  }
  return exit_status(result, url, json_out);
}

}  // namespace splitbench::bench
