#include "bench/faults/fault.hpp"

#include <catch2/catch.hpp>

using namespace splitbench::bench;
using namespace std::chrono;

TEST_CASE("fault specs: service, kind, start and length, read back as written") {
  auto kill = parse_fault("pricing:kill@10s");
  CHECK(kill.service == "pricing");
  CHECK(kill.kind == fault_kind::kill);
  CHECK(kill.at == seconds(10));
  CHECK_FALSE(kill.length);
  CHECK(kill.end() == seconds(10));
  CHECK(kill.text() == "pricing:kill@10s");

  auto hang = parse_fault("catalog:hang@5s/2500ms");
  CHECK(hang.kind == fault_kind::hang);
  CHECK(hang.at == seconds(5));
  CHECK(hang.length == milliseconds(2500));
  CHECK(hang.end() == milliseconds(7500));
  CHECK(parse_fault(hang.text()) == hang);

  CHECK(parse_fault("gateway:term@0s/1s").kind == fault_kind::term);
}

TEST_CASE("fault specs that cannot work say why") {
  CHECK_THROWS_WITH(parse_fault("pricing"), "fault 'pricing' is not SERVICE:KIND@AT[/FOR], e.g. pricing:kill@10s or catalog:hang@5s/5s");
  CHECK_THROWS_WITH(parse_fault("pricing:kill"), Catch::Contains("is not SERVICE:KIND@AT[/FOR]"));
  CHECK_THROWS_WITH(parse_fault("billing:kill@1s"),
                    "fault 'billing:kill@1s': unknown service 'billing' (gateway, catalog, inventory, pricing or orders)");
  CHECK_THROWS_WITH(parse_fault("pricing:explode@1s"), "fault 'pricing:explode@1s': unknown kind 'explode' (kill, term or hang)");
  CHECK_THROWS_WITH(parse_fault("pricing:kill@soon"), "fault 'pricing:kill@soon': start 'soon' is not a duration (500ms, 10s, 2m)");
  CHECK_THROWS_WITH(parse_fault("pricing:kill@1s/x"), Catch::Contains("length 'x' is not a duration"));
  CHECK_THROWS_WITH(parse_fault("pricing:kill@1s/0s"), Catch::Contains("length must be above 0"));
  CHECK_THROWS_WITH(parse_fault("catalog:hang@5s"), Catch::Contains("a hang needs a length"));
}
