#include "host/topology.hpp"

#include "cli/suggest.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <stdexcept>

namespace splitbench::host {
namespace {

std::size_t rank_of(std::string_view service) {
  return static_cast<std::size_t>(std::find(std::begin(all_services), std::end(all_services), service) - std::begin(all_services));
}

std::string trimmed(std::string_view s) {
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
  return std::string(s);
}

std::vector<std::string> pieces(std::string_view text, char separator) {
  std::vector<std::string> out;
  for (std::size_t from = 0;;) {
    auto at = text.find(separator, from);
    out.push_back(trimmed(text.substr(from, at == std::string_view::npos ? std::string_view::npos : at - from)));
    if (at == std::string_view::npos) return out;
    from = at + 1;
  }
}

std::string joined(std::vector<std::string> const& parts, char separator) {
  std::string out;
  for (auto const& p : parts) out += (out.empty() ? "" : std::string(1, separator)) + p;
  return out;
}

}  // namespace

std::vector<std::string_view> callees_of(std::string_view service) {
  if (service == "gateway") return {"catalog", "inventory", "pricing", "orders"};
  if (service == "orders") return {"catalog", "inventory", "pricing"};
  return {};
}

void sort_services(std::vector<std::string>& services) {
  std::sort(services.begin(), services.end(), [](auto const& a, auto const& b) { return rank_of(a) < rank_of(b); });
}

std::vector<std::string> peers_of(std::vector<std::string> const& group) {
  std::vector<std::string> peers;
  for (auto s : all_services) {
    if (std::find(group.begin(), group.end(), s) != group.end()) continue;
    bool called = std::any_of(group.begin(), group.end(), [&](auto const& member) {
      auto callees = callees_of(member);
      return std::find(callees.begin(), callees.end(), s) != callees.end();
    });
    if (called) peers.emplace_back(s);
  }
  return peers;
}

bool called_from_outside(std::vector<std::string> const& group, std::string_view service) {
  for (auto caller : all_services) {
    if (std::find(group.begin(), group.end(), caller) != group.end()) continue;
    auto callees = callees_of(caller);
    if (std::find(callees.begin(), callees.end(), service) != callees.end()) return true;
  }
  return false;
}

topology topology::monolith() {
  topology t;
  t.name_ = "monolith";
  t.groups_ = {{all_services, std::end(all_services)}};
  t.single_binary_ = true;
  return t;
}

topology topology::serialized() {
  auto t = monolith();
  t.name_ = "serialized";
  t.serialized_ = true;
  return t;
}

topology topology::split() { return parse("split"); }

topology topology::parse(std::string_view text) {
  if (text == "monolith") return monolith();
  if (text == "serialized") return serialized();
  if (text == "split") text = "gateway,catalog,inventory,pricing,orders";
  if (trimmed(text).empty())
    throw std::invalid_argument("a topology is monolith, serialized, split, or groups of services such as gateway+catalog,inventory,pricing+orders");
  std::vector<std::string> known(std::begin(all_services), std::end(all_services));
  if (text.find_first_of(",+") == std::string_view::npos && rank_of(trimmed(text)) == known.size()) {
    // One word, and no service: a name mistyped more likely than a group.
    auto names = known;
    names.insert(names.begin(), {"monolith", "serialized", "split"});
    auto near = cli::nearest(trimmed(text), names);
    throw std::invalid_argument(fmt::format("'{}' is not a topology: monolith, serialized, split, or groups of services such as "
                                            "gateway+catalog,inventory,pricing+orders{}",
                                            text, near ? fmt::format("; did you mean '{}'?", *near) : ""));
  }
  topology t;
  std::vector<std::string> placed;
  for (auto const& written : pieces(text, ',')) {
    if (written.empty()) throw std::invalid_argument(fmt::format("'{}' has an empty group: groups are separated by one ','", text));
    std::vector<std::string> group;
    for (auto const& service : pieces(written, '+')) {
      if (service.empty()) throw std::invalid_argument(fmt::format("'{}': the group '{}' has an empty service name", text, written));
      if (rank_of(service) == known.size()) {
        auto near = cli::nearest(service, known);
        throw std::invalid_argument(fmt::format("'{}': no service is named '{}'{}", text, service,
                                                near ? fmt::format("; did you mean '{}'?", *near) : " (gateway, catalog, inventory, pricing, orders)"));
      }
      if (std::find(placed.begin(), placed.end(), service) != placed.end())
        throw std::invalid_argument(fmt::format("'{}': {} is placed twice; each service runs in exactly one group", text, service));
      placed.push_back(service);
      group.push_back(service);
    }
    sort_services(group);
    t.groups_.push_back(std::move(group));
  }
  std::vector<std::string> missing;
  for (auto s : all_services)
    if (std::find(placed.begin(), placed.end(), s) == placed.end()) missing.emplace_back(s);
  if (!missing.empty()) {
    auto gateway = std::find(missing.begin(), missing.end(), "gateway") != missing.end();
    throw std::invalid_argument(fmt::format("'{}': {} {} in no group{}", text, joined(missing, ','), missing.size() == 1 ? "is" : "are",
                                            gateway ? "; without the gateway nothing serves the public API" : ""));
  }
  std::sort(t.groups_.begin(), t.groups_.end(), [](auto const& a, auto const& b) { return rank_of(a.front()) < rank_of(b.front()); });
  std::vector<std::string> names;
  for (auto const& g : t.groups_) names.push_back(joined(g, '+'));
  t.name_ = t.groups_.size() == std::size(all_services) ? "split" : joined(names, ',');
  return t;
}

std::string topology::process_name(std::size_t index) const { return single_binary_ ? "monolith" : joined(groups_.at(index), '+'); }

std::size_t topology::group_of(std::string_view service) const {
  for (std::size_t i = 0; i < groups_.size(); ++i)
    if (std::find(groups_[i].begin(), groups_[i].end(), service) != groups_[i].end()) return i;
  return groups_.size();
}

std::string topology::process_of(std::string_view service) const {
  auto i = group_of(service);
  return i < groups_.size() ? process_name(i) : std::string();
}

std::vector<std::string> topology::peers_of(std::size_t index) const { return host::peers_of(groups_.at(index)); }

std::vector<std::size_t> topology::start_order() const {
  // Callees before callers where the calls allow; the gateway's group, the front door, last. A
  // cycle (orders' group calling catalog in the gateway's) is broken by the front door's rule.
  auto front = group_of("gateway");
  std::vector<std::size_t> order;
  std::vector<bool> started(groups_.size(), false);
  while (order.size() + 1 < groups_.size()) {
    std::size_t next = groups_.size();
    for (std::size_t i = 0; i < groups_.size() && next == groups_.size(); ++i) {
      if (started[i] || i == front) continue;
      auto peers = peers_of(i);
      bool ready = std::all_of(peers.begin(), peers.end(), [&](auto const& p) { return started[group_of(p)]; });
      if (ready) next = i;
    }
    if (next == groups_.size())  // every group left waits on the front door's: take the first
      for (std::size_t i = 0; i < groups_.size() && next == groups_.size(); ++i)
        if (!started[i] && i != front) next = i;
    started[next] = true;
    order.push_back(next);
  }
  order.push_back(front);
  return order;
}

std::vector<std::string> topology::process_names() const {
  std::vector<std::string> names;
  for (auto i : start_order()) names.push_back(process_name(i));
  return names;
}

}  // namespace splitbench::host
