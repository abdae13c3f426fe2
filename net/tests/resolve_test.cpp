#include "net/resolve.hpp"

#include <catch2/catch.hpp>

using namespace splitbench::net;

TEST_CASE("resolve: an IPv4 address is itself, a name its addresses, a name nobody has an error") {
  CHECK(is_ipv4("10.0.0.7"));
  CHECK_FALSE(is_ipv4("catalog"));
  CHECK(resolve_ipv4("10.0.0.7").value() == std::vector<std::string>{"10.0.0.7"});
  auto local = resolve_ipv4("localhost");  // from /etc/hosts: no DNS server needed
  REQUIRE(local.has_value());
  CHECK(local->front() == "127.0.0.1");
  CHECK(resolve_ipv4("no-such-host.invalid").has_error());  // .invalid never resolves (RFC 6761)
}
