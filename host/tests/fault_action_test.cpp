#include "host/fault_action.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <stdexcept>
#include <vector>

using namespace splitbench::host;
using namespace std::chrono_literals;
using dist = delay_distribution;

namespace {

std::string error_of(std::string_view text) {
  try {
    parse_fault_action(text);
  } catch (std::invalid_argument const& e) {
    return e.what();
  }
  return "";
}

std::vector<double> draws(std::string_view text, std::size_t n = 100'000) {
  auto d = parse_distribution(text);
  std::mt19937_64 random(7);
  std::vector<double> out;
  out.reserve(n);
  for (std::size_t i = 0; i < n; ++i) out.push_back(static_cast<double>(d.sample(random).count()));
  return out;
}

double mean_of(std::vector<double> const& v) {
  double sum = 0;
  for (double x : v) sum += x;
  return sum / static_cast<double>(v.size());
}

double median_of(std::vector<double> v) {
  std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(v.size() / 2), v.end());
  return v[v.size() / 2];
}

}  // namespace

TEST_CASE("fault actions parse into their parts") {
  auto a = parse_fault_action("slow=2ms");
  CHECK(a.kind == action_kind::slow);
  CHECK(a.delay == dist{dist::fixed{2ms}});
  CHECK(a.fraction == 1);

  auto u = parse_fault_action("slow=uniform(1ms,3ms):0.25");
  CHECK(u.delay == dist{dist::uniform{1ms, 3ms}});
  CHECK(u.fraction == 0.25);
  CHECK(parse_fault_action("slow=normal(2ms,0.5ms)").delay == dist{dist::normal{2ms, 500us}});
  CHECK(parse_fault_action("slow=lognormal(2ms,0.5)").delay == dist{dist::lognormal{2ms, 0.5}});
  CHECK(parse_fault_action(" slow = lognormal( 2ms , 0.5 ) : 0.1\n").fraction == 0.1);

  auto e = parse_fault_action("error=0.05:500");
  CHECK(e.kind == action_kind::error);
  CHECK(e.fraction == 0.05);
  CHECK(e.status == 500);
  CHECK(parse_fault_action("error=1:503").status == 503);
  CHECK(parse_fault_action("error=0.5").status == 500);
}

TEST_CASE("a fault action's text reads back to an equal action") {
  for (auto text : {"slow=2ms", "slow=2ms:0.1", "slow=uniform(1ms,3ms):0.25", "slow=normal(2ms,500us)", "slow=lognormal(2ms,0.5)",
                    "slow=lognormal(1500us,1.25):0.001", "slow=0s", "error=0.05:500", "error=1:503", "error=0.333:429"}) {
    INFO(text);
    auto a = parse_fault_action(text);
    CHECK(a.text() == text);
    CHECK(parse_fault_action(a.text()) == a);
  }
  // Other spellings come back in the one the parser writes.
  CHECK(parse_fault_action("slow=normal(2ms,0.5ms)").text() == "slow=normal(2ms,500us)");
  CHECK(parse_fault_action("slow=1.5ms:1").text() == "slow=1500us");
  CHECK(parse_fault_action("error=0.5").text() == "error=0.5:500");
  fault_action odd{.kind = action_kind::slow, .delay = {dist::uniform{1ns, 3'000'000'007ns}}, .fraction = 0.1 + 0.2};
  CHECK(parse_fault_action(odd.text()) == odd);
}

TEST_CASE("a bad fault action says what is wrong") {
  CHECK_THAT(error_of("slow"), Catch::Contains("is not a fault action: use slow=DISTRIBUTION[:FRACTION] or error=FRACTION[:STATUS]"));
  CHECK_THAT(error_of("hang=2s"), Catch::Contains("unknown fault kind 'hang'"));
  CHECK_THAT(error_of("slow=2"), Catch::Contains("'2' is not a duration"));
  CHECK_THAT(error_of("slow=-2ms"), Catch::Contains("is not a duration"));
  CHECK_THAT(error_of("slow=2ms:0"), Catch::Contains("the fraction of calls must be above 0 and at most 1, not '0'"));
  CHECK_THAT(error_of("slow=2ms:1.5"), Catch::Contains("at most 1, not '1.5'"));
  CHECK_THAT(error_of("slow=2ms:x"), Catch::Contains("the fraction of calls must be a number, not 'x'"));
  CHECK_THAT(error_of("error=0.1:600"), Catch::Contains("the status must be a whole number from 400 to 599, not '600'"));
  CHECK_THAT(error_of("error=0.1:399"), Catch::Contains("not '399'"));
  CHECK_THAT(error_of("error=0.1:5o0"), Catch::Contains("not '5o0'"));
  CHECK_THAT(error_of("error=503"), Catch::Contains("error=1:503 fails every call with 503"));
  CHECK_THAT(error_of("error=-0.1:500"), Catch::Contains("above 0"));
  CHECK_THAT(error_of("error=nan:500"), Catch::Contains("must be a number"));
  CHECK_THAT(error_of("slow=gamma(1ms,2)"), Catch::Contains("unknown delay distribution 'gamma'"));
  CHECK_THAT(error_of("slow=fast"), Catch::Contains("unknown delay distribution 'fast'"));
  CHECK_THAT(error_of("slow=uniform(1ms,3ms"), Catch::Contains("lacks its closing parenthesis"));
  CHECK_THAT(error_of("slow=uniform(1ms)"), Catch::Contains("takes two arguments"));
  CHECK_THAT(error_of("slow=uniform(1ms,2ms,3ms)"), Catch::Contains("takes two arguments"));
  CHECK_THAT(error_of("slow=uniform(3ms,1ms)"), Catch::Contains("the low bound is above the high one"));
  CHECK_THAT(error_of("slow=lognormal(0s,0.5)"), Catch::Contains("the median must be above 0"));
  CHECK_THAT(error_of("slow=lognormal(2ms,-1)"), Catch::Contains("sigma must be from 0 to 10"));
  CHECK_THAT(error_of("slow=lognormal(2ms,x)"), Catch::Contains("sigma must be a number, not 'x'"));
  CHECK_THAT(error_of(""), Catch::Contains("is not a fault action"));
  CHECK_THROWS_AS(parse_distribution("normal(2ms)"), std::invalid_argument);
}

TEST_CASE("delays are drawn from their distributions") {
  SECTION("fixed: exactly the delay, every time") {
    auto v = draws("2ms");
    CHECK(std::all_of(v.begin(), v.end(), [](double x) { return x == 2e6; }));
  }
  SECTION("uniform: within the bounds, both reached, the mean at the midpoint") {
    auto v = draws("uniform(1ms,3ms)");
    CHECK(*std::min_element(v.begin(), v.end()) >= 1e6);
    CHECK(*std::max_element(v.begin(), v.end()) <= 3e6);
    CHECK(mean_of(v) == Approx(2e6).epsilon(0.02));
    auto tight = draws("uniform(1ns,2ns)", 1'000);
    CHECK(std::count(tight.begin(), tight.end(), 1.0) > 0);
    CHECK(std::count(tight.begin(), tight.end(), 2.0) > 0);
  }
  SECTION("normal: the mean, the spread, and never below 0") {
    auto v = draws("normal(2ms,500us)");
    auto mean = mean_of(v);
    CHECK(mean == Approx(2e6).epsilon(0.02));
    double var = 0;
    for (double x : v) var += (x - mean) * (x - mean);
    CHECK(std::sqrt(var / static_cast<double>(v.size())) == Approx(5e5).epsilon(0.03));
    auto wide = draws("normal(1ms,2ms)");
    CHECK(*std::min_element(wide.begin(), wide.end()) == 0);
  }
  SECTION("lognormal: the median, and a tail to the right") {
    auto v = draws("lognormal(2ms,0.5)");
    CHECK(median_of(v) == Approx(2e6).epsilon(0.03));
    // The mean of a lognormal is median * exp(sigma^2 / 2).
    CHECK(mean_of(v) == Approx(2e6 * std::exp(0.125)).epsilon(0.03));
    CHECK(*std::min_element(v.begin(), v.end()) > 0);
  }
  SECTION("no draw is beyond max_delay") {
    auto v = draws("lognormal(30m,10)", 1'000);
    CHECK(*std::max_element(v.begin(), v.end()) == static_cast<double>(dist::max_delay.count()));
  }
  SECTION("the same seed draws the same delays") {
    CHECK(draws("lognormal(2ms,0.5)", 100) == draws("lognormal(2ms,0.5)", 100));
  }
}
