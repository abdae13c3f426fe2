#include "host/fault_gate.hpp"

#include <catch2/catch.hpp>

#include <chrono>
#include <optional>

using namespace splitbench;
using namespace std::chrono_literals;

namespace {

/// A catalog that answers at once and counts its calls.
struct counting_catalog final : catalog_service {
  int calls = 0;
  void get_product(product_id id, callback<product> done) override {
    ++calls;
    product p;
    p.id = id;
    done(std::move(p));
  }
  void get_products(std::vector<product_id>, callback<std::vector<product>> done) override {
    ++calls;
    done(std::vector<product>{});
  }
  void search(search_query, callback<search_result> done) override {
    ++calls;
    done(search_result{});
  }
};

struct fixture {
  boost::asio::io_context context;
  host::fault_board board{{"catalog"}};
  host::fault_switch& faults = *board.find("catalog");
  counting_catalog inner;
  std::unique_ptr<host::switchable_catalog> slot;
  catalog_service& catalog = host::maybe_switchable(slot, inner, context, board, "catalog");

  /// One get_product: its answer, once the loop has run out of work.
  std::optional<result<product>> ask() {
    std::optional<result<product>> answer;
    catalog.get_product(17, [&](result<product> r) { answer = std::move(r); });
    context.restart();
    context.run();
    return answer;
  }
};

}  // namespace

TEST_CASE("a switchable binding passes calls through while its switch is off") {
  fixture f;
  REQUIRE(f.slot != nullptr);
  bool answered = false;
  f.catalog.get_product(17, [&](result<product> r) { answered = r.has_value() && r->id == 17; });
  CHECK(answered);  // before the loop runs: in-process bindings answer before returning
  CHECK(f.inner.calls == 1);

  host::fault_board none;
  std::unique_ptr<host::switchable_catalog> unused;
  CHECK(&host::maybe_switchable(unused, f.inner, f.context, none, "catalog") == &f.inner);
  CHECK(unused == nullptr);
}

TEST_CASE("an error fault fails calls with its status and never reaches the binding") {
  fixture f;
  f.faults.set(host::parse_fault_action("error=1:503"));
  auto a = f.ask();
  REQUIRE(a.has_value());
  REQUIRE(!a->has_value());
  CHECK(a->error() == error{errc::unavailable, "injected fault in catalog: error=1:503"});
  CHECK(http_status(a->error()) == 503);
  CHECK(f.inner.calls == 0);

  // A status no error kind names is kept, so the front door answers it.
  f.faults.set(host::parse_fault_action("error=1:502"));
  auto b = f.ask();
  CHECK(b->error().code == errc::internal);
  CHECK(http_status(b->error()) == 502);

  f.faults.clear();
  CHECK(f.ask()->has_value());
  CHECK(f.inner.calls == 1);
}

TEST_CASE("an error fault on a fraction of calls fails about that fraction") {
  fixture f;
  f.faults.set(host::parse_fault_action("error=0.25:500"));
  int failed = 0;
  for (int i = 0; i < 10'000; ++i)
    f.catalog.get_product(1, [&](result<product> r) { failed += r.has_value() ? 0 : 1; });
  CHECK(failed > 2'300);
  CHECK(failed < 2'700);
  CHECK(f.inner.calls == 10'000 - failed);
}

TEST_CASE("a slow fault answers on the loop, no sooner than its delay") {
  fixture f;
  f.faults.set(host::parse_fault_action("slow=20ms"));
  bool answered = false;
  auto started = std::chrono::steady_clock::now();
  f.catalog.search({}, [&](result<search_result> r) { answered = r.has_value(); });
  CHECK_FALSE(answered);  // the answer waits on a timer of the calling thread's loop
  CHECK(f.inner.calls == 1);
  f.context.run();
  CHECK(answered);
  CHECK(std::chrono::steady_clock::now() - started >= 20ms);

  // On a fraction of calls: the others answer at once.
  f.faults.set(host::parse_fault_action("slow=1ms:0.5"));
  int at_once = 0;
  for (int i = 0; i < 1'000; ++i) f.catalog.get_product(1, [&](result<product>) { ++at_once; });
  CHECK(at_once > 400);
  CHECK(at_once < 600);
  f.context.restart();
  f.context.run();
  CHECK(at_once == 1'000);
}

TEST_CASE("the same board gives each thread's gate a different seed") {
  host::fault_board board({"catalog"}, 42);
  auto a = board.next_seed(), b = board.next_seed();
  CHECK(a != b);
  host::fault_board again({"catalog"}, 42);
  CHECK(again.next_seed() == a);
}
