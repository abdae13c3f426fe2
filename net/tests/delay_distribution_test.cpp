#include "net/delay_distribution.hpp"

#include <catch2/catch.hpp>

#include <cstdio>
#include <fstream>
#include <set>

using namespace splitbench::net;
using namespace std::chrono_literals;

TEST_CASE("an empirical distribution plays back its file's samples, each as likely") {
  auto path = std::string("/tmp/splitbench-empirical-") + std::to_string(::getpid()) + ".txt";
  {
    std::ofstream f(path);
    f << "# one-way delays measured between two zones\n180us\n\n  1.5ms  # a slow one\n2s\n";
  }
  auto d = parse_distribution("empirical(" + path + ")");
  CHECK(d.text() == "empirical(" + path + ")");
  CHECK(parse_distribution(d.text()) == d);
  std::mt19937_64 random(7);
  std::set<std::chrono::nanoseconds> seen;
  int slow = 0;
  for (int i = 0; i < 3'000; ++i) {
    auto x = d.sample(random);
    seen.insert(x);
    slow += x == 1500us ? 1 : 0;
  }
  CHECK(seen == std::set<std::chrono::nanoseconds>{180us, 1500us, 2s});
  CHECK(slow == Approx(1'000).margin(150));  // a third, within 5 standard deviations
  {
    std::ofstream f(path);
    f << "180us\nsoon\n";
  }
  CHECK_THROWS_WITH(parse_distribution("empirical(" + path + ")"), Catch::Contains("line 2"));
  {
    std::ofstream f(path);
    f << "# nothing\n";
  }
  CHECK_THROWS_WITH(parse_distribution("empirical(" + path + ")"), Catch::Contains("holds no sample"));
  std::remove(path.c_str());
  CHECK_THROWS_WITH(parse_distribution("empirical(" + path + ")"), Catch::Contains("cannot read"));
}

TEST_CASE("a seeded draw repeats: the same seed draws the same delays") {
  auto d = parse_distribution("lognormal(200us,0.5)");
  std::mt19937_64 a(42), b(42);
  for (int i = 0; i < 100; ++i) CHECK(d.sample(a) == d.sample(b));
}
