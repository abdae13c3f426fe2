#include "cli/suggest.hpp"

#include <algorithm>
#include <cctype>

namespace splitbench::cli {

std::size_t edit_distance(std::string_view a, std::string_view b) {
  // Three rows of the classic table: the swap of two neighbours looks two rows back.
  std::vector<std::size_t> before(b.size() + 1), previous(b.size() + 1), current(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) previous[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    current[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      std::size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      current[j] = std::min({previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) current[j] = std::min(current[j], before[j - 2] + 1);
    }
    std::swap(before, previous);
    std::swap(previous, current);
  }
  return previous[b.size()];
}

std::optional<std::string> nearest(std::string_view typed, std::vector<std::string> const& candidates) {
  std::string lower(typed);
  std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  std::size_t limit = std::max<std::size_t>(1, lower.size() / 3);
  std::optional<std::string> best;
  std::size_t best_distance = limit + 1;
  bool tie = false;
  for (auto const& c : candidates) {
    auto d = edit_distance(lower, c);
    if (d < best_distance) best = c, best_distance = d, tie = false;
    else if (d == best_distance && best != c) tie = true;
  }
  if (best) return tie ? std::nullopt : best;
  if (lower.size() < 2) return std::nullopt;
  std::optional<std::string> only;
  for (auto const& c : candidates) {
    if (!c.starts_with(lower)) continue;
    if (only && *only != c) return std::nullopt;
    only = c;
  }
  return only;
}

}  // namespace splitbench::cli
