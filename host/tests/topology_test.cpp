#include "host/topology.hpp"

#include <catch2/catch.hpp>

using splitbench::host::topology;

namespace {

std::string refusal(std::string const& text) {
  try {
    topology::parse(text);
  } catch (std::invalid_argument const& e) {
    return e.what();
  }
  return "accepted";
}

}  // namespace

TEST_CASE("a topology partitions the five services into processes") {
  auto t = topology::parse("pricing+orders, inventory ,catalog+gateway");
  CHECK(t.name() == "gateway+catalog,inventory,pricing+orders");
  REQUIRE(t.groups().size() == 3);
  CHECK(t.groups()[0] == std::vector<std::string>{"gateway", "catalog"});
  CHECK(t.process_of("pricing") == "pricing+orders");
  CHECK(t.process_of("gateway") == "gateway+catalog");
  CHECK(t.peers_of(0) == std::vector<std::string>{"inventory", "pricing", "orders"});
  CHECK(t.peers_of(1).empty());
  CHECK(t.peers_of(2) == std::vector<std::string>{"catalog", "inventory"});
  // inventory first: it calls nobody; pricing+orders waits on nothing but the front door; the front door last
  CHECK(t.process_names() == std::vector<std::string>{"inventory", "pricing+orders", "gateway+catalog"});
  CHECK_FALSE(t.single_binary());
  CHECK_FALSE(t.serialized_calls());
}

TEST_CASE("monolith serialized and split are topologies by name") {
  CHECK(topology::parse("monolith").process_names() == std::vector<std::string>{"monolith"});
  CHECK(topology::parse("monolith").single_binary());
  CHECK(topology::parse("serialized").serialized_calls());
  CHECK(topology::parse("serialized").process_of("pricing") == "monolith");
  CHECK(topology::parse("split") == topology::split());
  CHECK(topology::parse("orders,pricing,inventory,catalog,gateway").name() == "split");
  CHECK(topology::split().process_names() == std::vector<std::string>{"catalog", "inventory", "pricing", "orders", "gateway"});
  auto one = topology::parse("gateway+catalog+inventory+pricing+orders");
  CHECK(one.name() == "gateway+catalog+inventory+pricing+orders");
  CHECK_FALSE(one.single_binary());
  CHECK(one.process_names() == std::vector<std::string>{"gateway+catalog+inventory+pricing+orders"});
}

TEST_CASE("a bad topology is refused in one line naming what is wrong") {
  CHECK(refusal("gateway+catalg,inventory,pricing,orders") ==
        "'gateway+catalg,inventory,pricing,orders': no service is named 'catalg'; did you mean 'catalog'?");
  CHECK(refusal("gateway+catalog,catalog,inventory,pricing,orders") ==
        "'gateway+catalog,catalog,inventory,pricing,orders': catalog is placed twice; each service runs in exactly one group");
  CHECK(refusal("catalog,inventory,pricing,orders") ==
        "'catalog,inventory,pricing,orders': gateway is in no group; without the gateway nothing serves the public API");
  CHECK(refusal("gateway,catalog") == "'gateway,catalog': inventory,pricing,orders are in no group");
  CHECK(refusal("gateway,,catalog,inventory,pricing,orders").find("empty group") != std::string::npos);
  CHECK(refusal("gateway+,catalog,inventory,pricing,orders").find("empty service name") != std::string::npos);
  CHECK(refusal("splt") == "'splt' is not a topology: monolith, serialized, split, or groups of services such as "
                           "gateway+catalog,inventory,pricing+orders; did you mean 'split'?");
  CHECK(refusal("").find("a topology is monolith, serialized, split") != std::string::npos);
}
