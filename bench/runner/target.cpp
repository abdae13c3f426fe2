#include "bench/runner/target.hpp"

#include "bench/runner/supervisor.hpp"
#include "cli/values.hpp"
#include "net/resolve.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/streambuf.hpp>
#include <boost/asio/write.hpp>
#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <stdexcept>
#include <sys/socket.h>
#include <sys/time.h>

namespace splitbench::bench {
namespace {

using tcp = boost::asio::ip::tcp;

/// HOST:PORT with HOST resolved to its first IPv4 address where it is a name.
std::string resolved(std::string const& host, std::string const& port, std::string_view text) {
  auto found = net::resolve_ipv4(host);
  if (!found) throw cli::usage_error(fmt::format("{}: cannot resolve '{}' ({})", text, host, found.error().message()));
  return fmt::format("{}:{}", found->front(), port);
}

/// `http://HOST:PORT[/]` as HOST:PORT, resolved.
std::string address_of_url(std::string_view url, std::string_view text) {
  constexpr std::string_view scheme = "http://";
  if (!url.starts_with(scheme)) throw cli::usage_error(fmt::format("{}: '{}' is not an http:// URL (e.g. http://10.0.0.7:8080)", text, url));
  auto rest = url.substr(scheme.size());
  if (rest.ends_with('/')) rest.remove_suffix(1);
  if (rest.find('/') != std::string_view::npos)
    throw cli::usage_error(fmt::format("{}: '{}' has a path; give the front door's http://HOST:PORT, the workload's paths are its own", text, url));
  auto colon = rest.rfind(':');
  if (colon == std::string_view::npos || colon == 0) throw cli::usage_error(fmt::format("{}: '{}' needs a port (http://HOST:PORT)", text, url));
  auto port = cli::parse_integer(rest.substr(colon + 1), 1, 65535, "port");
  return resolved(std::string(rest.substr(0, colon)), std::to_string(port), text);
}

/// The value of the unlabelled sample `name` in an exposition.
std::optional<double> sample_of(std::string_view exposition, std::string_view name) {
  for (std::size_t at = 0; at < exposition.size();) {
    auto end = exposition.find('\n', at);
    auto line = exposition.substr(at, end == std::string_view::npos ? std::string_view::npos : end - at);
    at = end == std::string_view::npos ? exposition.size() : end + 1;
    if (line.starts_with(name) && line.size() > name.size() && line[name.size()] == ' ') {
      std::string value(line.substr(name.size() + 1));
      char* stop = nullptr;
      double v = std::strtod(value.c_str(), &stop);
      if (stop == value.c_str()) return std::nullopt;
      return v;
    }
  }
  return std::nullopt;
}

}  // namespace

target_spec parse_target(std::string_view text) {
  auto eq = text.find('=');
  if (eq == std::string_view::npos || eq == 0) throw cli::usage_error(fmt::format("'{}' is not NAME=URL (e.g. split=http://10.0.0.7:8080)", text));
  target_spec t;
  t.name = std::string(text.substr(0, eq));
  if (t.name != "monolith" && t.name != "split")
    throw cli::usage_error(fmt::format("{}: a target is named monolith or split, not '{}'", text, t.name));
  t.url = std::string(text.substr(eq + 1));
  t.address = address_of_url(t.url, text);
  return t;
}

std::vector<target_spec> parse_targets(std::vector<std::string> const& targets, std::vector<std::string> const& metrics) {
  std::vector<target_spec> out;
  for (auto const& text : targets) {
    auto t = parse_target(text);
    for (auto const& o : out)
      if (o.name == t.name) throw cli::usage_error(fmt::format("--target {}: {} is a target twice ({} and {})", text, t.name, o.url, t.url));
    out.push_back(std::move(t));
  }
  // The monolith first, as in every report.
  std::stable_partition(out.begin(), out.end(), [](target_spec const& t) { return t.name == "monolith"; });
  for (auto const& text : metrics) {
    auto eq = text.find('=');
    if (eq == std::string::npos || eq == 0) throw cli::usage_error(fmt::format("--metrics '{}' is not NAME=URL[,URL...]", text));
    auto name = text.substr(0, eq);
    auto t = std::find_if(out.begin(), out.end(), [&](target_spec const& x) { return x.name == name; });
    if (t == out.end()) throw cli::usage_error(fmt::format("--metrics {}: no --target is named {}", text, name));
    if (!t->metrics.empty()) throw cli::usage_error(fmt::format("--metrics {}: {}'s metrics are given twice", text, name));
    std::string_view rest = std::string_view(text).substr(eq + 1);
    while (!rest.empty()) {
      auto comma = rest.find(',');
      auto url = rest.substr(0, comma);
      t->metrics.push_back(address_of_url(url, "--metrics " + text));
      rest = comma == std::string_view::npos ? std::string_view{} : rest.substr(comma + 1);
    }
    if (t->metrics.empty()) throw cli::usage_error(fmt::format("--metrics {}: no URL", text));
  }
  return out;
}

std::optional<process_sample> parse_process_sample(std::string_view exposition) {
  auto cpu = sample_of(exposition, "process_cpu_seconds_total");
  auto rss = sample_of(exposition, "process_resident_memory_bytes");
  if (!cpu || !rss || *cpu < 0 || *rss < 0) return std::nullopt;
  return process_sample{*cpu, static_cast<std::uint64_t>(*rss)};
}

std::optional<process_sample> scrape_process(std::string const& address) {
  auto body = metrics_of(address);
  if (!body) return std::nullopt;
  return parse_process_sample(*body);
}

histogram health_round_trips(std::string const& address, std::size_t samples) {
  auto hp = cli::parse_host_port(address);
  boost::asio::io_context context;
  tcp::socket socket(context);
  boost::system::error_code ec;
  socket.connect({boost::asio::ip::make_address(hp.host), hp.port}, ec);
  if (ec) throw std::runtime_error(fmt::format("cannot connect to {}: {}", address, ec.message()));
  socket.set_option(tcp::no_delay(true));
  // A target that accepts but never answers fails the floor in 2 s instead of hanging the run.
  timeval two_seconds{2, 0};
  ::setsockopt(socket.native_handle(), SOL_SOCKET, SO_RCVTIMEO, &two_seconds, sizeof two_seconds);
  ::setsockopt(socket.native_handle(), SOL_SOCKET, SO_SNDTIMEO, &two_seconds, sizeof two_seconds);
  std::string const request = fmt::format("GET /health HTTP/1.1\r\nHost: {}\r\n\r\n", address);
  histogram h;
  boost::asio::streambuf in;
  // At most `samples`, and no longer than 2 s: a target across a WAN takes 50 ms a round trip.
  auto until = std::chrono::steady_clock::now() + std::chrono::seconds(2);
  for (std::size_t i = 0; i < samples && std::chrono::steady_clock::now() < until; ++i) {
    auto sent = std::chrono::steady_clock::now();
    boost::asio::write(socket, boost::asio::buffer(request), ec);
    if (ec) throw std::runtime_error(fmt::format("/health on {}: {}", address, ec.message()));
    auto header_end = boost::asio::read_until(socket, in, "\r\n\r\n", ec);
    if (ec) throw std::runtime_error(fmt::format("/health on {}: {}", address, ec.message()));
    std::string head(boost::asio::buffers_begin(in.data()), boost::asio::buffers_begin(in.data()) + static_cast<std::ptrdiff_t>(header_end));
    in.consume(header_end);
    std::size_t length = 0;
    for (std::string_view key : {"Content-Length: ", "content-length: "})
      if (auto at = head.find(key); at != std::string::npos) length = std::strtoull(head.c_str() + at + key.size(), nullptr, 10);
    if (in.size() < length) boost::asio::read(socket, in, boost::asio::transfer_exactly(length - in.size()), ec);
    if (ec) throw std::runtime_error(fmt::format("/health on {}: {}", address, ec.message()));
    in.consume(length);
    h.record(static_cast<std::uint64_t>(std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now() - sent).count()));
  }
  return h;
}

}  // namespace splitbench::bench
