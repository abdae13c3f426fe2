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

TEST_CASE("slow and error faults carry their action, read back as written") {
  auto slow = parse_fault("inventory:slow=lognormal(2ms,0.5)@5s/10s");
  CHECK(slow.kind == fault_kind::slow);
  CHECK(slow.in_process());
  CHECK(slow.action == "slow=lognormal(2ms,0.5)");
  CHECK(slow.text() == "inventory:slow=lognormal(2ms,0.5)@5s/10s");
  CHECK(parse_fault(slow.text()) == slow);

  auto error = parse_fault("pricing:error=0.05:500@5s/10s");
  CHECK(error.kind == fault_kind::error);
  CHECK(error.action == "error=0.05:500");
  CHECK(error.end() == seconds(15));
  CHECK(parse_fault(error.text()) == error);
  CHECK(parse_fault("catalog:slow=2ms:0.1@1s/1s").action == "slow=2ms:0.1");
  CHECK_FALSE(parse_fault("pricing:kill@1s").in_process());

  CHECK_THROWS_WITH(parse_fault("pricing:error=0.05@5s"), Catch::Contains("an error fault needs a length"));
  CHECK_THROWS_WITH(parse_fault("gateway:slow=2ms@1s/1s"), Catch::Contains("the gateway runs no service of its own"));
  CHECK_THROWS_AS(parse_fault("pricing:slow=fast@1s/1s"), std::invalid_argument);
  CHECK_THROWS_AS(parse_fault("pricing:error=2@1s/1s"), std::invalid_argument);
}

TEST_CASE("fault specs that cannot work say why") {
  CHECK_THROWS_WITH(parse_fault("pricing"), "fault 'pricing' is not SERVICE:KIND@AT[/FOR], e.g. pricing:kill@10s or catalog:hang@5s/5s");
  CHECK_THROWS_WITH(parse_fault("pricing:kill"), Catch::Contains("is not SERVICE:KIND@AT[/FOR]"));
  CHECK_THROWS_WITH(parse_fault("billing:kill@1s"),
                    "fault 'billing:kill@1s': unknown service 'billing' (gateway, catalog, inventory, pricing or orders)");
  CHECK_THROWS_WITH(parse_fault("pricing:explode@1s"),
                    "fault 'pricing:explode@1s': unknown kind 'explode' (kill, term, hang, slow=DELAY[:FRACTION] or error=FRACTION[:STATUS])");
  CHECK_THROWS_WITH(parse_fault("pricing:kill@soon"), "fault 'pricing:kill@soon': start 'soon' is not a duration (500ms, 10s, 2m)");
  CHECK_THROWS_WITH(parse_fault("pricing:kill@1s/x"), Catch::Contains("length 'x' is not a duration"));
  CHECK_THROWS_WITH(parse_fault("pricing:kill@1s/0s"), Catch::Contains("length must be above 0"));
  CHECK_THROWS_WITH(parse_fault("catalog:hang@5s"), Catch::Contains("a hang needs a length"));
}
