#include "bench/driver/request_mix.hpp"

#include <catch2/catch.hpp>

#include <map>

using namespace splitbench::bench;

namespace {
request_mix three_routes() {
  request_mix m;
  m.routes.push_back({"a", 1, {"A0", "A1", "A2", "A3"}, false});
  m.routes.push_back({"b", 3, {"B0"}, true});
  m.routes.push_back({"c", 6, {"C0", "C1"}, false});
  return m;
}
}  // namespace

TEST_CASE("the k-th request follows from the seed and k alone") {
  auto mix = three_routes();
  request_picker p(mix, 42), same(mix, 42), other(mix, 43);
  int differ = 0;
  for (std::uint64_t k = 0; k < 1'000; ++k) {
    auto x = p.at(k), y = same.at(k);
    REQUIRE(x.route == y.route);
    REQUIRE(x.bytes == y.bytes);
    REQUIRE(p.route_of(k) == x.route);
    REQUIRE(x.head == mix.routes[x.route].head);
    REQUIRE(x.bytes.front() == "ABC"[x.route]);
    differ += other.at(k).bytes != x.bytes;
  }
  CHECK(differ > 300);  // another seed, another sequence
}

TEST_CASE("routes come in proportion to their weights, and every request of a pool is used") {
  auto mix = three_routes();
  request_picker p(mix, 7);
  std::map<std::string_view, int> seen;
  std::array<int, 3> routes{};
  constexpr int n = 100'000;
  for (std::uint64_t k = 0; k < n; ++k) {
    auto x = p.at(k);
    ++routes[x.route];
    ++seen[x.bytes];
  }
  // Binomial standard deviations are about 0.1-0.15% of n: 1% is beyond doubt.
  CHECK(routes[0] == Approx(n * 0.1).margin(n * 0.01));
  CHECK(routes[1] == Approx(n * 0.3).margin(n * 0.01));
  CHECK(routes[2] == Approx(n * 0.6).margin(n * 0.01));
  CHECK(seen.size() == 7);
  CHECK(seen["A0"] == Approx(n * 0.1 / 4).margin(n * 0.01));
}

TEST_CASE("a mix that cannot be sent is refused") {
  request_mix empty;
  CHECK_THROWS_AS(request_picker(empty, 1), std::invalid_argument);
  request_mix no_requests;
  no_requests.routes.push_back({"a", 1, {}, false});
  CHECK_THROWS_AS(request_picker(no_requests, 1), std::invalid_argument);
  request_mix no_weight;
  no_weight.routes.push_back({"a", 0, {"A"}, false});
  CHECK_THROWS_AS(request_picker(no_weight, 1), std::invalid_argument);
}

TEST_CASE("make_request writes a complete HTTP/1.1 request") {
  CHECK(make_request("GET", "/x", "h:1") == "GET /x HTTP/1.1\r\nHost: h:1\r\n\r\n");
  CHECK(make_request("POST", "/y", "h", {"Content-Type: application/json"}, "{}") ==
        "POST /y HTTP/1.1\r\nHost: h\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}");
  CHECK(make_request("POST", "/z", "h") == "POST /z HTTP/1.1\r\nHost: h\r\nContent-Length: 0\r\n\r\n");
}

TEST_CASE("a header added to every request of a mix goes after its request line") {
  request_mix mix;
  mix.routes.push_back({"a", 1, {make_request("GET", "/x", "h"), make_request("POST", "/y", "h", {}, "{}")}, false});
  auto timed = with_header(mix, "X-Splitbench-Timing: 1");
  CHECK(timed.routes[0].requests[0] == "GET /x HTTP/1.1\r\nX-Splitbench-Timing: 1\r\nHost: h\r\n\r\n");
  CHECK(timed.routes[0].requests[1].rfind("POST /y HTTP/1.1\r\nX-Splitbench-Timing: 1\r\nHost: h\r\n", 0) == 0);
  CHECK(mix.routes[0].requests[0] == "GET /x HTTP/1.1\r\nHost: h\r\n\r\n");  // the mix given is left as it was
}
