#include "core/error.hpp"

#include <catch2/catch.hpp>

using namespace splitbench;

TEST_CASE("an answer's status becomes its error kind, and is kept where no kind names it") {
  for (unsigned status : {400u, 404u, 409u, 413u, 431u, 500u, 503u, 504u}) {
    INFO(status);
    auto e = error_from_status(status, "m");
    CHECK(e == error{errc_from_status(status), "m"});  // the kind's own status: nothing extra to carry
    CHECK(http_status(e) == status);
  }
  for (unsigned status : {410u, 429u, 501u, 502u, 599u}) {
    INFO(status);
    auto e = error_from_status(status, "m");
    CHECK(e.code == errc_from_status(status));
    CHECK(http_status(e) == status);
  }
  CHECK(error_from_status(502, "m").code == errc::internal);
  CHECK(error_from_status(429, "m").code == errc::invalid_input);
  CHECK(http_status(error{errc::timeout, "m"}) == 504);
}
