#include "bench/driver/request_mix.hpp"

#include "core/random.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <stdexcept>

namespace splitbench::bench {

std::string make_request(std::string_view method, std::string_view target, std::string_view host,
                         std::vector<std::string> const& headers, std::string_view body) {
  std::string r = fmt::format("{} {} HTTP/1.1\r\nHost: {}\r\n", method, target, host);
  for (auto const& h : headers) r += h + "\r\n";
  if (!body.empty() || method == "POST" || method == "PUT") r += fmt::format("Content-Length: {}\r\n", body.size());
  r += "\r\n";
  r += body;
  return r;
}

request_mix with_header(request_mix mix, std::string_view line) {
  for (auto& r : mix.routes)
    for (auto& bytes : r.requests) {
      auto end = bytes.find("\r\n");
      if (end == std::string::npos) continue;
      bytes.insert(end + 2, std::string(line) + "\r\n");
    }
  return mix;
}

request_picker::request_picker(request_mix const& mix, std::uint64_t seed) : mix_(mix), seed_(splitmix64(seed).next()) {
  if (mix.routes.empty()) throw std::invalid_argument("nothing to send");
  double sum = 0;
  for (auto const& r : mix.routes) {
    if (r.requests.empty() || !(r.weight > 0)) throw std::invalid_argument("route '" + r.name + "' has no requests or no weight");
    cumulative_.push_back(sum += r.weight);
  }
}

namespace {
constexpr std::uint64_t golden = 0x9e3779b97f4a7c15ULL;  // splitmix64's increment
}

// Request k takes outputs 2k + 1 and 2k + 2 of the one SplitMix64 stream of the seed: the
// generator's state is a counter, so any place in the stream is one multiplication away.
std::size_t request_picker::route_of(std::uint64_t k) const noexcept {
  if (cumulative_.size() == 1) return 0;
  splitmix64 g(seed_ + 2 * k * golden);
  double x = static_cast<double>(g.next() >> 11) * 0x1.0p-53 * cumulative_.back();
  auto i = static_cast<std::size_t>(std::upper_bound(cumulative_.begin(), cumulative_.end(), x) - cumulative_.begin());
  return std::min(i, cumulative_.size() - 1);
}

request_picker::pick request_picker::at(std::uint64_t k) const noexcept {
  auto route = route_of(k);
  auto const& r = mix_.routes[route];
  std::size_t i = 0;
  if (r.requests.size() > 1) {
    splitmix64 g(seed_ + (2 * k + 1) * golden);
    i = static_cast<std::size_t>(g.below(r.requests.size()));
  }
  return {route, r.requests[i], r.head};
}

}  // namespace splitbench::bench
