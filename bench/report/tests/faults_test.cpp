#include "bench/report/answer.hpp"
#include "bench/report/faults.hpp"
#include "bench/report/format.hpp"
#include "bench/report/markdown.hpp"
#include "synthetic.hpp"

#include <catch2/catch.hpp>

using namespace splitbench::bench;
using namespace splitbench::bench::testing;

TEST_CASE("report.md: a Faults section after the other figures, a headline per fault from its figures") {
  auto run = faulted_run();
  auto md = render_markdown(run, answer_of(run));
  INFO(md);
  auto section = md.find("\n## Faults\n");
  REQUIRE(section != std::string::npos);
  CHECK(md.find("## The machine's own stalls") < section);
  CHECK(section < md.find("## Floors, measured in the same run"));
  CHECK(md.find("### pricing:kill@3s/1s (restart: always)") < md.find("### catalog:hang@3s/1s (restart: always)"));

  CHECK(md.find("**pricing killed at 3 s for 1 s: the split kept product and search at 100% and failed quote and order for 1.25 s, "
                "fast with 5xx (0% answered, p99 400.0 µs), answering again 0.25 s after pricing was ready again; the monolith lost every route "
                "for 1.25 s to connection errors (0% answered, p99 1.20 ms), answering again 0.15 s after the monolith was ready again.**") !=
        std::string::npos);
  CHECK(md.find("**catalog hung at 3 s for 1 s: the split lost every route for up to 5 s to timeouts (0% answered, p99 2.00 s), "
                "product, search and quote answering again up to 0.75 s after catalog resumed, order never recovered before the run ended; "
                "the monolith lost every route for 1.25 s to timeouts (0% answered, p99 2.00 s), answering again 0.25 s after the monolith resumed.**") !=
        std::string::npos);

  CHECK(md.find("| route | monolith available | monolith p99 during | monolith answering again | monolith time to recover | split available | "
                "split p99 during | split answering again | split time to recover |") != std::string::npos);
  CHECK(md.find("| product | 0% | 1.20 ms | 0.15 s | 0.15 s | 100% | 300.0 µs | – | – |") != std::string::npos);
  CHECK(md.find("| quote † | 0% | 1.20 ms | 0.15 s | 0.15 s | 0% | 400.0 µs | 0.25 s | 0.25 s |") != std::string::npos);
  CHECK(md.find("| order † | 0% | 2.00 s | 0.25 s | 0.25 s | 0% | 2.00 s | never | never |") != std::string::npos);
  CHECK(md.find("† pricing is on the route's call graph in the split.") != std::string::npos);
  CHECK(md.find("Blast radius (available under 99% or p99 during above 10.00 ms): monolith: every route; split: quote and order.") !=
        std::string::npos);
  CHECK(md.find("- split: pricing exited at 3 s (killed by signal 9) → spawned 4 s → listening 4.01 s → ready 4.02 s → first good answer 4.25 s") !=
        std::string::npos);
  CHECK(md.find("- monolith: monolith exited at 3 s (killed by signal 9) → spawned 4 s → listening 4.05 s → ready 4.1 s") != std::string::npos);
  CHECK(md.find("No process exited.") > md.find("### catalog:hang@3s/1s"));
}

TEST_CASE("report.md: with restart never, what stayed down says it never recovered, and why") {
  auto run = faulted_run(false);
  auto md = render_markdown(run, answer_of(run));
  INFO(md);
  CHECK(md.find("### pricing:kill@3s/1s (restart: never)") != std::string::npos);
  CHECK(md.find("the split kept product and search at 100% and failed quote and order for 5 s, fast with 5xx (0% answered, p99 400.0 µs), "
                "quote and order never recovered before the run ended (pricing was not restarted); the monolith lost every route for 5 s "
                "to connection errors (0% answered, p99 1.20 ms), none recovered before the run ended (the monolith was not restarted).") != std::string::npos);
  CHECK(md.find("| quote † | 0% | 1.20 ms | never | never | 0% | 400.0 µs | never | never |") != std::string::npos);
  CHECK(md.find("- split: pricing exited at 3 s (killed by signal 9) → not started again in the window") != std::string::npos);
}

TEST_CASE("report.md: a route that stayed up but slow, failed slowly, or failed only in part, is said so") {
  auto run = faulted_run();
  auto& split = run.deployments[1].faults[0];
  split.routes[0].p99_during_us = 25'000;  // product: every request answered, p99 above the 10 ms SLO
  split.routes[2].p99_during_us = 30'000;  // quote: 5xx, slowly
  split.routes[3].p99_during_us = 30'000;
  auto line = fault_headline(faults_of(run)[0], run.scenario.slo_p99_us);
  INFO(line);
  CHECK(line.find("the split kept search at 100%, slowed product (100% answered, p99 25.00 ms) and failed quote and order for 1.25 s, slowly "
                  "with 5xx (0% answered, p99 30.00 ms), answering again up to 0.25 s after pricing was ready again;") != std::string::npos);

  split.routes[3].availability = 0.9;  // order: most of it still answered
  line = fault_headline(faults_of(run)[0], run.scenario.slo_p99_us);
  CHECK(line.find("failed quote for 1.25 s, slowly with 5xx (0% answered, p99 30.00 ms) and failed some requests of order for 1.25 s, slowly "
                  "with 5xx (90% answered, p99 30.00 ms), answering again") != std::string::npos);
}

TEST_CASE("report.md: requests left unanswered or refused with 4xx are said so, from the timeline in the fault window") {
  auto run = faulted_run(false);
  auto& mono = run.deployments[0].faults[0];
  auto& order = mono.routes[3];
  order.connection_errors = 0;
  for (auto& s : order.timeline) std::swap(s.connection_errors, s.unanswered);
  auto& quote = mono.routes[2];
  quote.connection_errors = 0;
  quote.availability = 0.6;
  for (auto& s : quote.timeline) s.client_errors = s.connection_errors, s.connection_errors = 0;
  auto line = fault_headline(faults_of(run)[0], run.scenario.slo_p99_us);
  INFO(line);
  CHECK(line.find("the monolith lost product and search for 5 s to connection errors (0% answered, p99 1.20 ms), left order unanswered for 5 s "
                  "(0% answered, p99 1.20 ms) and failed some requests of quote for 5 s with 4xx (60% answered, p99 1.20 ms), none recovered") !=
        std::string::npos);
}

TEST_CASE("report.md: no faults, no Faults section") {
  auto run = four_routes();
  auto md = render_markdown(run, answer_of(run));
  CHECK(md.find("## Faults") == std::string::npos);
  CHECK(faults_of(run).empty());
}

TEST_CASE("faults_of: a deployment without a run of a fault is said so, the others still reported") {
  auto run = faulted_run();
  run.deployments[0].faults.pop_back();  // the monolith died before the hang
  auto faults = faults_of(run);
  REQUIRE(faults.size() == 2);
  CHECK(faults[1].sides[0].first == "monolith");
  CHECK(faults[1].sides[0].second == nullptr);
  auto line = fault_headline(faults[1], run.scenario.slo_p99_us);
  CHECK(line.find("; the monolith has no run of it.") != std::string::npos);
  auto md = render_markdown(run, answer_of(run));
  CHECK(md.find("| order † | – | – | – | – | 0% | 2.00 s | never | never |") != std::string::npos);
}

TEST_CASE("format: seconds to the hundredth, availability never rounded up to 100%") {
  CHECK(format_seconds(0.25) == "0.25 s");
  CHECK(format_seconds(2.5) == "2.5 s");
  CHECK(format_seconds(3) == "3 s");
  CHECK(format_seconds(4.0123) == "4.01 s");
  CHECK(format_availability(1) == "100%");
  CHECK(format_availability(0.99999) == "99.99%");
  CHECK(format_availability(0.9995) == "99.95%");
  CHECK(format_availability(0.999) == "99.9%");
  CHECK(format_availability(0.375) == "37.5%");
  CHECK(format_availability(0.004) == "0.4%");
  CHECK(format_availability(0) == "0%");
  CHECK(format_us(2e6) == "2.00 s");
}
