// splitbench-monolith: the whole storefront in one process, every service bound in-process, or
// (--binding serialized) in-process through the codec as an HTTP call would encode and decode.
//
//   splitbench-monolith --listen 127.0.0.1:8080 [--threads N] [--seed S] [--admin] [--binding serialized]

#include "cli/flags.hpp"
#include "cli/main.hpp"
#include "host/admin.hpp"
#include "host/process.hpp"
#include "split/group.hpp"

#include <boost/asio/io_context.hpp>

namespace splitbench::monolith {
namespace {

int run(int argc, char** argv) {
  host::process_options options;
  bool serialized = false;
  cli::command table{
      .name = "splitbench-monolith",
      .summary = "the whole storefront in one process, every service bound in-process, serving the public API until SIGINT or SIGTERM",
      .flags = host::server_flags(options),
      .examples = {"splitbench-monolith --listen 127.0.0.1:8080",
                   "splitbench-monolith --listen 127.0.0.1:8080 --threads 2 --inject-latency pricing=300us",
                   "splitbench-monolith --listen 127.0.0.1:8080 --admin",
                   "splitbench-monolith --listen 127.0.0.1:8080 --binding serialized"},
      .notes = std::string(host::admin_help) + " This process runs all four services: catalog, inventory, pricing and orders.",
  };
  table.flags.push_back(cli::one_of("binding", {"local", "serialized"}, "local",
                                    "how the services call each other: directly (local), or through the codec, each request and answer "
                                    "encoded and decoded as an HTTP call's would be, with no socket (serialized)",
                                    [&serialized](std::string_view v) { serialized = v == "serialized"; }));
  cli::parse(argc, argv, 1, table);
  split::group_state state({"gateway", "catalog", "inventory", "pricing", "orders"}, options.seed);
  split::group_peers none;
  auto faults = host::make_fault_board(options, {"catalog", "inventory", "pricing", "orders"});
  return host::serve("splitbench-monolith", options, *faults, [&](boost::asio::io_context& context) {
    return split::make_group_app(state, context, options, *faults, none, serialized);
  });
}

}  // namespace
}  // namespace splitbench::monolith

int main(int argc, char** argv) {
  return splitbench::cli::guarded_main("splitbench-monolith", [&] { return splitbench::monolith::run(argc, argv); });
}
