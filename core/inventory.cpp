#include "core/inventory.hpp"

#include "core/random.hpp"

#include <algorithm>
#include <string>

namespace splitbench {

inventory::inventory(std::uint64_t seed, product_id size) : stock_(size) {
  splitmix64 rng(seed ^ 0x1f0e57c0ffeeULL);
  for (auto& units : stock_)
    units = rng.below(32) == 0 ? 0 : 1'000 + static_cast<std::int32_t>(rng.below(4'000));
}

result<std::vector<stock_level>> inventory::availability(std::span<product_id const> ids) const {
  std::vector<stock_level> levels;
  levels.reserve(ids.size());
  std::lock_guard lock(mutex_);
  for (auto id : ids) {
    if (id == 0 || id > stock_.size()) return fail(errc::not_found, "no product " + std::to_string(id));
    levels.push_back({id, stock_[id - 1]});
  }
  return levels;
}

result<std::vector<line>> inventory::merged(std::span<line const> lines) const {
  if (lines.empty()) return fail(errc::invalid_input, "items must not be empty");
  if (lines.size() > max_lines) return fail(errc::invalid_input, "at most 50 items");
  std::vector<line> out(lines.begin(), lines.end());
  for (auto const& l : out) {
    if (l.id == 0 || l.id > stock_.size()) return fail(errc::not_found, "no product " + std::to_string(l.id));
    if (l.qty < 1 || l.qty > max_qty) return fail(errc::invalid_input, "qty must be between 1 and 1000");
  }
  std::sort(out.begin(), out.end(), [](line a, line b) { return a.id < b.id; });
  std::size_t w = 0;
  for (std::size_t r = 0; r < out.size(); ++r) {
    if (w > 0 && out[w - 1].id == out[r].id) out[w - 1].qty += out[r].qty;
    else out[w++] = out[r];
  }
  out.resize(w);
  return out;
}

result<done> inventory::reserve(std::span<line const> lines) {
  auto want = merged(lines);
  if (!want) return want.error();
  std::lock_guard lock(mutex_);
  for (auto const& l : *want) {
    if (stock_[l.id - 1] < l.qty)
      return fail(errc::conflict, "insufficient stock for product " + std::to_string(l.id) + ": requested " +
                                      std::to_string(l.qty) + ", available " + std::to_string(stock_[l.id - 1]));
  }
  for (auto const& l : *want) stock_[l.id - 1] -= l.qty;
  return done{};
}

result<done> inventory::release(std::span<line const> lines) {
  auto back = merged(lines);
  if (!back) return back.error();
  std::lock_guard lock(mutex_);
  for (auto const& l : *back) stock_[l.id - 1] += l.qty;
  return done{};
}

}  // namespace splitbench
