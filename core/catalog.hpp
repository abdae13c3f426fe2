#pragma once
/// The catalog: generated products, lookup and ranked search. Immutable once built, so any
/// number of threads may read it.

#include "core/error.hpp"
#include "core/types.hpp"

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace splitbench {

/// The fixed set of categories, in the order the generator draws them.
std::span<std::string_view const> categories() noexcept;

/// Limits on a search query; anything outside is invalid input.
inline constexpr int max_search_limit = 100;
inline constexpr std::size_t max_search_text = 200;

class catalog {
 public:
  static constexpr std::uint64_t default_seed = 42;
  static constexpr product_id default_size = 10'000;

  /// Generates `size` products with ids 1..size, the same for the same seed everywhere.
  explicit catalog(std::uint64_t seed = default_seed, product_id size = default_size);

  std::size_t size() const noexcept { return products_.size(); }

  /// The product with this id, or not_found.
  result<product> find(product_id id) const;

  /// Every product of `ids`, in that order; not_found naming the first unknown id.
  result<std::vector<product>> find_all(std::span<product_id const> ids) const;

  /// Ranked search. A text query scores each product by its name's words: 3 for a word equal to
  /// a query word, 1 for a word that starts with it; products that score 0 are left out. Ties go
  /// to the lower id. Without text, matching products come in id order.
  /// Invalid input: an unknown category, a limit outside 1..100, text over 200 bytes.
  result<search_result> search(search_query const& query) const;

 private:
  std::vector<product> products_;
  std::vector<std::vector<product_id>> by_category_;  // ids per category index, ascending
  // The distinct lower-case words of all names, sorted, each with the ids whose name has it.
  std::vector<std::string> words_;
  std::vector<std::vector<product_id>> word_ids_;
};

/// The lower-case alphanumeric words of a text, in order.
std::vector<std::string> tokenize(std::string_view text);

}  // namespace splitbench
