// splitbench-micro: the storefront's operations one at a time.
//
//   splitbench-micro [Google Benchmark flags]   e.g. --benchmark_out=micro.json --benchmark_out_format=json
//   splitbench-micro --instructions N           each in-process operation N times, for callgrind
//
// The JSON output works with Google Benchmark's own tools/compare.py. The instruction mode is
// meant to run under `valgrind --tool=callgrind --collect-atstart=no`: each operation's loop is
// collected and dumped on its own, so scripts/instructions.py reads one exact count per
// operation, the same whatever else the machine is doing.

#include "operations.hpp"

#include "core/local.hpp"
#include "net/client.hpp"
#include "net/routed_app.hpp"
#include "net/server.hpp"
#include "split/service_routes.hpp"

#include <benchmark/benchmark.h>
#include <boost/asio/io_context.hpp>
#include <valgrind/callgrind.h>

#include <cstring>
#include <thread>

namespace {

using namespace splitbench;

micro::shop& the_shop() {
  static micro::shop s;
  return s;
}

void run_operation(benchmark::State& state, micro::operation const* op) {
  std::uint64_t i = 0;
  for (auto _ : state) op->run(i++);
  state.SetItemsProcessed(state.iterations());
}

/// The same get_product, over one loopback HTTP hop to a catalog service on another thread:
/// the split's cost of one call, next to seam_get_product.
void http_hop_get_product(benchmark::State& state) {
  struct catalog_app final : net::routed_app {
    explicit catalog_app(catalog const& c) : binding(c) { split::add_catalog_routes(routes, binding); }
    local_catalog binding;
  };
  net::server_options o;
  net::server server(o, [](boost::asio::io_context&) { return std::make_unique<catalog_app>(the_shop().cat); });
  std::thread serving([&] { server.run(); });
  boost::asio::io_context context;
  net::http_client client(context, "catalog", "127.0.0.1", server.port());
  std::uint64_t i = 0;
  for (auto _ : state) {
    bool ok = false;
    client.send(net::method::get, "/internal/products/" + std::to_string(1 + i++ % 10'000), {},
                [&ok](result<net::reply> r) { ok = r && r->status == 200; });
    context.restart();
    context.run_one();
    while (!ok && !context.stopped()) context.run_one();
    if (!ok) {
      state.SkipWithError("the hop failed");
      break;
    }
  }
  server.stop();
  serving.join();
}

int instruction_mode(std::uint64_t iterations) {
  auto ops = micro::operations(the_shop());
  for (auto const& op : ops) {
    for (std::uint64_t i = 0; i < 100; ++i) op.run(i);  // warm caches and lazy statics, uncounted
    CALLGRIND_TOGGLE_COLLECT;
    for (std::uint64_t i = 0; i < iterations; ++i) op.run(i);
    CALLGRIND_TOGGLE_COLLECT;
    CALLGRIND_DUMP_STATS_AT(op.name.c_str());
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc == 3 && std::strcmp(argv[1], "--instructions") == 0) return instruction_mode(std::strtoull(argv[2], nullptr, 10));
  static auto ops = micro::operations(the_shop());
  for (auto const& op : ops) benchmark::RegisterBenchmark(op.name.c_str(), run_operation, &op);
  benchmark::RegisterBenchmark("http_hop_get_product", http_hop_get_product)->UseRealTime();
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 2;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
