#pragma once
/// Reads JSON bodies for the decoders: a parse into a buffer on the decoder's stack, then typed
/// fields with messages that name the field. Header-only so that every decoder inlines it.
///
///   json_reader doc;
///   SPLITBENCH_TRY(o, doc.object(body));
///   SPLITBENCH_TRY(id, json_fields(*o).integer<product_id>("id"));

#include "core/error.hpp"
#include "core/types.hpp"

#include <boost/json.hpp>

#include <algorithm>
#include <cstdint>
#include <initializer_list>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

/// Declares `var` as the value of the result `expr`, or returns its error from the enclosing
/// function.
#define SPLITBENCH_TRY(var, expr)       \
  auto var##_r = (expr);                \
  if (!var##_r) return var##_r.error(); \
  auto var = std::move(*var##_r)

namespace splitbench::codec {

/// Nesting deeper than this is rejected before any field is read.
inline constexpr std::size_t max_depth = 16;

/// The error of a body a decoder refuses: invalid_input with `message`.
inline error bad(std::string message) { return error{errc::invalid_input, std::move(message)}; }

/// A parsed body, kept only while a decoder reads it. Its nodes live in a buffer inside the
/// reader (on the decoder's stack; a large body spills to the heap), so that parsing and
/// dropping a small body allocates nothing per node.
class json_reader {
 public:
  /// Always inlined: a call would cost as much as setting up the buffer.
  [[gnu::always_inline]] json_reader() = default;

  /// Parses `body`, which must be one JSON object; it lives as long as this reader.
  result<boost::json::object const*> object(std::string_view body) {
    boost::json::parse_options options;
    options.max_depth = max_depth;
    boost::system::error_code ec;
    value_ = boost::json::parse(body, ec, &resource_, options);
    if (ec) return bad("invalid JSON: " + ec.message());
    if (!value_.is_object()) return bad("body must be a JSON object");
    return &value_.get_object();
  }

 private:
  unsigned char buffer_[4096];
  boost::json::monotonic_resource resource_{buffer_, sizeof buffer_};
  // The same storage as what parse returns: moved in, not copied.
  boost::json::value value_ = boost::json::value(boost::json::storage_ptr(&resource_));
};

/// Reads typed fields of one JSON object; `where` prefixes messages ("items[2].").
class json_fields {
 public:
  json_fields(boost::json::object const& o, std::string where = {}) : o_(o), where_(std::move(where)) {}

  /// An error naming the first field not in `allowed`.
  result<done> only(std::initializer_list<std::string_view> allowed) const {
    for (auto const& kv : o_)
      if (std::find(allowed.begin(), allowed.end(), std::string_view(kv.key())) == allowed.end())
        return bad("unknown field '" + where_ + std::string(kv.key()) + "'");
    return done{};
  }

  /// A JSON integer that fits `Int`.
  template <class Int>
  result<Int> integer(std::string_view key) const {
    auto v = find(key);
    if (!v) return v.error();
    auto const& j = **v;
    auto out_of_range = [&] { return bad(where_ + std::string(key) + " is out of range"); };
    if (j.is_int64()) {
      auto x = j.get_int64();
      if (x < std::int64_t(std::numeric_limits<Int>::min()) ||
          (x > 0 && std::uint64_t(x) > std::uint64_t(std::numeric_limits<Int>::max())))
        return out_of_range();
      return static_cast<Int>(x);
    }
    if (j.is_uint64()) {
      if (j.get_uint64() > std::uint64_t(std::numeric_limits<Int>::max())) return out_of_range();
      return static_cast<Int>(j.get_uint64());
    }
    return bad(where_ + std::string(key) + " must be an integer");
  }

  result<std::string> string(std::string_view key) const {
    auto v = find(key);
    if (!v) return v.error();
    if (!(*v)->is_string()) return bad(where_ + std::string(key) + " must be a string");
    return std::string((*v)->get_string());
  }

  result<boost::json::array const*> array(std::string_view key) const {
    auto v = find(key);
    if (!v) return v.error();
    if (!(*v)->is_array()) return bad(where_ + std::string(key) + " must be an array");
    return &(*v)->get_array();
  }

 private:
  result<boost::json::value const*> find(std::string_view key) const {
    auto it = o_.find(key);
    if (it == o_.end()) return bad(where_ + std::string(key) + " is required");
    return &it->value();
  }

  boost::json::object const& o_;
  std::string where_;
};

/// Reads each element of `a`, which must be an object, with `each(json_fields)`; messages name
/// the element as `name[i]`.
template <class T, class Each>
result<std::vector<T>> each_object(boost::json::array const& a, std::string const& name, Each each) {
  std::vector<T> out;
  out.reserve(a.size());
  for (std::size_t i = 0; i < a.size(); ++i) {
    auto where = name + '[' + std::to_string(i) + "].";
    if (!a[i].is_object()) return bad(name + '[' + std::to_string(i) + "] must be an object");
    auto item = each(json_fields(a[i].get_object(), where));
    if (!item) return item.error();
    out.push_back(std::move(*item));
  }
  return out;
}

}  // namespace splitbench::codec
