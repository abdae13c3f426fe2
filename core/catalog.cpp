#include "core/catalog.hpp"

#include "core/random.hpp"

#include <algorithm>
#include <array>
#include <map>

namespace splitbench {
namespace {

constexpr std::array<std::string_view, 12> category_names = {
    "books", "electronics", "kitchen", "garden", "toys",  "sports",
    "office", "grocery", "beauty",  "tools",  "music", "outdoor"};

constexpr std::array<std::string_view, 24> adjectives = {
    "Sturdy", "Compact", "Classic", "Deluxe", "Smart",  "Rustic", "Modern", "Vintage",
    "Light",  "Heavy",   "Quiet",   "Rapid",  "Bright", "Soft",   "Solid",  "Portable",
    "Premium", "Basic",  "Elegant", "Rugged", "Tiny",   "Grand",  "Nimble", "Cozy"};

constexpr std::array<std::string_view, 16> materials = {
    "Oak",   "Steel", "Cotton", "Bamboo", "Copper", "Leather", "Glass",  "Ceramic",
    "Nylon", "Wool",  "Walnut", "Carbon", "Linen",  "Marble",  "Silver", "Granite"};

constexpr std::array<std::string_view, 24> nouns = {
    "Chair",  "Lamp",   "Kettle", "Backpack", "Notebook", "Speaker", "Blender", "Shovel",
    "Puzzle", "Racket", "Stapler", "Teapot",  "Brush",    "Drill",   "Guitar",  "Tent",
    "Mug",    "Clock",  "Jacket", "Headphones", "Planter", "Skillet", "Kite",   "Wrench"};

int category_index(std::string_view name) {
  auto it = std::find(category_names.begin(), category_names.end(), name);
  return it == category_names.end() ? -1 : static_cast<int>(it - category_names.begin());
}

}  // namespace

std::span<std::string_view const> categories() noexcept { return category_names; }

std::vector<std::string> tokenize(std::string_view text) {
  std::vector<std::string> words;
  std::string word;
  for (char c : text) {
    auto u = static_cast<unsigned char>(c);
    if ((u >= '0' && u <= '9') || (u >= 'a' && u <= 'z')) {
      word.push_back(c);
    } else if (u >= 'A' && u <= 'Z') {
      word.push_back(static_cast<char>(u - 'A' + 'a'));
    } else if (!word.empty()) {
      words.push_back(std::move(word));
      word.clear();
    }
  }
  if (!word.empty()) words.push_back(std::move(word));
  return words;
}

catalog::catalog(std::uint64_t seed, product_id size) : by_category_(category_names.size()) {
  splitmix64 rng(seed);
  products_.reserve(size);
  std::map<std::string, std::vector<product_id>> index;
  for (product_id id = 1; id <= size; ++id) {
    product p;
    p.id = id;
    p.name = std::string(adjectives[rng.below(adjectives.size())]) + ' ' +
             std::string(materials[rng.below(materials.size())]) + ' ' +
             std::string(nouns[rng.below(nouns.size())]);
    auto cat = rng.below(category_names.size());
    p.category = std::string(category_names[cat]);
    p.price_cents = 199 + static_cast<std::int64_t>(rng.below(99'801));  // $1.99 .. $999.99
    p.weight_grams = 50 + static_cast<std::int32_t>(rng.below(19'951));
    by_category_[cat].push_back(id);
    for (auto& w : tokenize(p.name)) {
      auto& ids = index[w];
      if (ids.empty() || ids.back() != id) ids.push_back(id);
    }
    products_.push_back(std::move(p));
  }
  for (auto& [word, ids] : index) {
    words_.push_back(word);
    word_ids_.push_back(std::move(ids));
  }
}

result<product> catalog::find(product_id id) const {
  if (id == 0 || id > products_.size()) return fail(errc::not_found, "no product " + std::to_string(id));
  return products_[id - 1];
}

result<std::vector<product>> catalog::find_all(std::span<product_id const> ids) const {
  std::vector<product> found;
  found.reserve(ids.size());
  for (auto id : ids) {
    auto p = find(id);
    if (!p) return p.error();
    found.push_back(std::move(*p));
  }
  return found;
}

result<search_result> catalog::search(search_query const& query) const {
  if (query.limit < 1 || query.limit > max_search_limit)
    return fail(errc::invalid_input, "limit must be between 1 and 100");
  if (query.text.size() > max_search_text)
    return fail(errc::invalid_input, "q must be at most 200 bytes");
  int cat = -1;
  if (!query.category.empty()) {
    cat = category_index(query.category);
    if (cat < 0) return fail(errc::invalid_input, "unknown category '" + query.category + "'");
  }
  auto in_category = [&](product_id id) {
    return cat < 0 || products_[id - 1].category == category_names[cat];
  };

  search_result out;
  auto const terms = tokenize(query.text);
  if (terms.empty()) {
    // No text: every product of the category (or of the catalog), in id order.
    if (cat >= 0) {
      auto const& ids = by_category_[cat];
      out.total = static_cast<std::int64_t>(ids.size());
      for (std::size_t i = 0; i < ids.size() && out.items.size() < std::size_t(query.limit); ++i)
        out.items.push_back(products_[ids[i] - 1]);
    } else {
      out.total = static_cast<std::int64_t>(products_.size());
      for (std::size_t i = 0; i < products_.size() && out.items.size() < std::size_t(query.limit); ++i)
        out.items.push_back(products_[i]);
    }
    return out;
  }

  // Score with the inverted index: each term finds the words equal to it (3 points) and the
  // longer words it is a prefix of (1 point), a product scoring once per term and word.
  std::vector<std::uint16_t> score(products_.size() + 1, 0);
  std::vector<product_id> touched;
  for (auto const& term : terms) {
    auto it = std::lower_bound(words_.begin(), words_.end(), term);
    for (; it != words_.end() && it->compare(0, term.size(), term) == 0; ++it) {
      std::uint16_t points = it->size() == term.size() ? 3 : 1;
      for (auto id : word_ids_[it - words_.begin()]) {
        if (score[id] == 0) touched.push_back(id);
        score[id] = static_cast<std::uint16_t>(score[id] + points);
      }
    }
  }
  std::erase_if(touched, [&](product_id id) { return !in_category(id); });
  out.total = static_cast<std::int64_t>(touched.size());
  auto better = [&](product_id a, product_id b) {
    return score[a] != score[b] ? score[a] > score[b] : a < b;
  };
  auto n = std::min<std::size_t>(touched.size(), static_cast<std::size_t>(query.limit));
  std::partial_sort(touched.begin(), touched.begin() + static_cast<std::ptrdiff_t>(n), touched.end(), better);
  for (std::size_t i = 0; i < n; ++i) out.items.push_back(products_[touched[i] - 1]);
  return out;
}

}  // namespace splitbench
