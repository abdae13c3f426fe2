#pragma once
/// What to send: weighted routes, each with a pool of ready-made request bytes. Which route and
/// which request the k-th request of a run gets follows from the seed and k alone, so the run's
/// sequence is the same whichever worker or connection sends it, and a request that is never
/// sent still has a route to be counted under.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace splitbench::bench {

/// Routes with weights, each with a pool of complete requests drawn from at random (seeded), so
/// that a workload can vary its ids and bodies.
struct request_mix {
  struct route {
    std::string name;
    double weight = 1;
    std::vector<std::string> requests;  ///< complete HTTP/1.1 requests
    bool head = false;                  ///< HEAD requests: responses have no body
  };
  std::vector<route> routes;
};

/// The bytes of one HTTP/1.1 request: method, target, Host, extra headers and body.
std::string make_request(std::string_view method, std::string_view target, std::string_view host,
                         std::vector<std::string> const& headers = {}, std::string_view body = {});

/// `mix` with the header line `line` ("Name: value") added to each of its requests, after the
/// request line.
request_mix with_header(request_mix mix, std::string_view line);

/// The k-th request of a run: a pure function of the seed and k, with no allocation.
class request_picker {
 public:
  /// Throws std::invalid_argument for a mix with no route, or a route with no request or weight.
  request_picker(request_mix const& mix, std::uint64_t seed);

  struct pick {
    std::size_t route;
    std::string_view bytes;
    bool head;
  };
  std::size_t route_of(std::uint64_t k) const noexcept;
  pick at(std::uint64_t k) const noexcept;

 private:
  request_mix const& mix_;
  std::vector<double> cumulative_;
  std::uint64_t seed_;
};

}  // namespace splitbench::bench
