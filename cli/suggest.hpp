#pragma once
/// "Did you mean": the known name nearest a mistyped one.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace splitbench::cli {

/// Optimal string alignment distance: insertions, deletions, substitutions and swaps of two
/// neighbours each cost 1 ("rat" -> "rate" is 1, "rtae" -> "rate" is 1).
std::size_t edit_distance(std::string_view a, std::string_view b);

/// The candidate a typo most likely meant: the nearest within a third of its length (at least 1),
/// or, when none is that near, the only candidate it begins. Nothing when two are equally likely.
std::optional<std::string> nearest(std::string_view typed, std::vector<std::string> const& candidates);

}  // namespace splitbench::cli
