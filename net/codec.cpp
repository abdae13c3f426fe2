#include "net/codec.hpp"

#include <boost/json.hpp>

#include <algorithm>
#include <charconv>
#include <concepts>
#include <limits>

namespace splitbench::codec {
namespace json = boost::json;
namespace {

error bad(std::string message) { return error{errc::invalid_input, std::move(message)}; }

/// Writes JSON straight into a string, in the form json::serialize gives (no spaces, the same
/// escapes), without building a document first: encoding a product this way takes half the
/// instructions. Keys are ours (plain ASCII); string values are escaped.
class writer {
 public:
  writer() { out_.reserve(256); }

  writer& begin_object() { return open('{'); }
  writer& end_object() { return close('}'); }
  writer& begin_array() { return open('['); }
  writer& end_array() { return close(']'); }

  writer& key(std::string_view k) {
    separate();
    out_ += '"';
    out_ += k;
    out_ += "\":";
    first_ = true;
    return *this;
  }

  template <std::integral Int>
    requires(!std::same_as<Int, bool>)
  writer& value(Int v) {
    separate();
    char digits[24];
    auto end = std::to_chars(digits, digits + sizeof digits, v).ptr;
    out_.append(digits, end);
    return *this;
  }
  writer& value(bool b) {
    separate();
    out_ += b ? "true" : "false";
    return *this;
  }
  writer& value(std::string_view text) {
    separate();
    escaped(text);
    return *this;
  }
  writer& value(char const* text) { return value(std::string_view(text)); }

  template <class T>
  writer& field(std::string_view k, T const& v) {
    return key(k).value(v);
  }

  std::string take() { return std::move(out_); }

 private:
  writer& open(char c) {
    separate();
    out_ += c;
    first_ = true;
    return *this;
  }
  writer& close(char c) {
    out_ += c;
    first_ = false;
    return *this;
  }
  void separate() {
    if (!first_) out_ += ',';
    first_ = false;
  }

  void escaped(std::string_view text) {
    static constexpr char hex[] = "0123456789abcdef";
    out_ += '"';
    auto plain = text.begin();
    for (auto it = text.begin(); it != text.end(); ++it) {
      auto c = static_cast<unsigned char>(*it);
      if (c >= 0x20 && c != '"' && c != '\\') continue;
      out_.append(plain, it);
      plain = it + 1;
      out_ += '\\';
      switch (c) {
        case '"': out_ += '"'; break;
        case '\\': out_ += '\\'; break;
        case '\b': out_ += 'b'; break;
        case '\t': out_ += 't'; break;
        case '\n': out_ += 'n'; break;
        case '\f': out_ += 'f'; break;
        case '\r': out_ += 'r'; break;
        default:
          out_ += "u00";
          out_ += hex[c >> 4];
          out_ += hex[c & 15];
      }
    }
    out_.append(plain, text.end());
    out_ += '"';
  }

  std::string out_;
  bool first_ = true;
};

/// A parsed body, kept only while a decoder reads it. Its nodes live in a buffer inside the
/// document (on the decoder's stack; a large body spills to the heap), so that parsing and
/// dropping a small body allocates nothing per node.
class document {
 public:
  result<json::object const*> object(std::string_view body) {
    json::parse_options options;
    options.max_depth = max_depth;
    boost::system::error_code ec;
    value_ = json::parse(body, ec, &resource_, options);
    if (ec) return bad("invalid JSON: " + ec.message());
    if (!value_.is_object()) return bad("body must be a JSON object");
    return &value_.get_object();
  }

 private:
  unsigned char buffer_[4096];
  json::monotonic_resource resource_{buffer_, sizeof buffer_};
  json::value value_ = json::value(json::storage_ptr(&resource_));  // the same storage as what parse returns: moved in, not copied
};

/// Reads typed fields of one JSON object; `where` prefixes messages ("items[2].").
class fields {
 public:
  fields(json::object const& o, std::string where = {}) : o_(o), where_(std::move(where)) {}

  result<done> only(std::initializer_list<std::string_view> allowed) const {
    for (auto const& kv : o_)
      if (std::find(allowed.begin(), allowed.end(), std::string_view(kv.key())) == allowed.end())
        return bad("unknown field '" + where_ + std::string(kv.key()) + "'");
    return done{};
  }

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

  result<bool> boolean(std::string_view key) const {
    auto v = find(key);
    if (!v) return v.error();
    if (!(*v)->is_bool()) return bad(where_ + std::string(key) + " must be true or false");
    return (*v)->get_bool();
  }

  result<json::array const*> array(std::string_view key) const {
    auto v = find(key);
    if (!v) return v.error();
    if (!(*v)->is_array()) return bad(where_ + std::string(key) + " must be an array");
    return &(*v)->get_array();
  }

  bool has(std::string_view key) const { return o_.contains(key); }

 private:
  result<json::value const*> find(std::string_view key) const {
    auto it = o_.find(key);
    if (it == o_.end()) return bad(where_ + std::string(key) + " is required");
    return &it->value();
  }

  json::object const& o_;
  std::string where_;
};

#define SPLITBENCH_TRY(var, expr)  \
  auto var##_r = (expr);           \
  if (!var##_r) return var##_r.error(); \
  auto var = std::move(*var##_r)

template <class T, class Each>
result<std::vector<T>> each_object(json::array const& a, std::string const& name, Each each) {
  std::vector<T> out;
  out.reserve(a.size());
  for (std::size_t i = 0; i < a.size(); ++i) {
    auto where = name + '[' + std::to_string(i) + "].";
    if (!a[i].is_object()) return bad(name + '[' + std::to_string(i) + "] must be an object");
    auto item = each(fields(a[i].get_object(), where));
    if (!item) return item.error();
    out.push_back(std::move(*item));
  }
  return out;
}

/// Lines beyond this count are refused before they are decoded one by one.
constexpr std::size_t max_decoded_items = 1'000;

result<std::vector<line>> lines_of(fields const& f) {
  SPLITBENCH_TRY(items, f.array("items"));
  if (items->size() > max_decoded_items) return bad("at most 50 items");
  return each_object<line>(*items, "items", [](fields const& item) -> result<line> {
    if (auto ok = item.only({"product_id", "qty"}); !ok) return ok.error();
    SPLITBENCH_TRY(id, item.integer<product_id>("product_id"));
    SPLITBENCH_TRY(qty, item.integer<std::int32_t>("qty"));
    return line{id, qty};
  });
}

result<quote_request> quote_request_of(fields const& f) {
  SPLITBENCH_TRY(items, lines_of(f));
  SPLITBENCH_TRY(region, f.string("region"));
  SPLITBENCH_TRY(tier, f.string("tier"));
  return quote_request{std::move(items), std::move(region), std::move(tier)};
}

void put(writer& w, std::vector<line> const& lines) {
  w.begin_array();
  for (auto const& l : lines) w.begin_object().field("product_id", l.id).field("qty", l.qty).end_object();
  w.end_array();
}

void put(writer& w, product const& p) {
  w.begin_object()
      .field("id", p.id)
      .field("name", p.name)
      .field("category", p.category)
      .field("price_cents", p.price_cents)
      .field("weight_grams", p.weight_grams)
      .end_object();
}

result<product> product_of(fields const& f) {
  SPLITBENCH_TRY(id, f.integer<product_id>("id"));
  SPLITBENCH_TRY(name, f.string("name"));
  SPLITBENCH_TRY(category, f.string("category"));
  SPLITBENCH_TRY(price, f.integer<std::int64_t>("price_cents"));
  SPLITBENCH_TRY(weight, f.integer<std::int32_t>("weight_grams"));
  return product{id, std::move(name), std::move(category), price, weight};
}

void put(writer& w, std::vector<product> const& products) {
  w.begin_array();
  for (auto const& p : products) put(w, p);
  w.end_array();
}

result<std::vector<product>> products_of(json::array const& a) {
  return each_object<product>(a, "items", [](fields const& f) { return product_of(f); });
}

/// A priced line's fields, within an object the caller opens and closes; the public quote names
/// each product after its id.
void put_fields(writer& w, priced_line const& l, std::string const* name = nullptr) {
  w.field("product_id", l.id);
  if (name) w.field("name", *name);
  w.field("qty", l.qty)
      .field("unit_price_cents", l.unit_price_cents)
      .field("subtotal_cents", l.subtotal_cents)
      .field("discount_cents", l.discount_cents)
      .field("tax_cents", l.tax_cents)
      .field("total_cents", l.total_cents)
      .field("promotion", l.promotion);
}

result<priced_line> priced_line_of(fields const& f) {
  priced_line l;
  SPLITBENCH_TRY(id, f.integer<product_id>("product_id"));
  SPLITBENCH_TRY(qty, f.integer<std::int32_t>("qty"));
  SPLITBENCH_TRY(unit, f.integer<std::int64_t>("unit_price_cents"));
  SPLITBENCH_TRY(sub, f.integer<std::int64_t>("subtotal_cents"));
  SPLITBENCH_TRY(disc, f.integer<std::int64_t>("discount_cents"));
  SPLITBENCH_TRY(tax, f.integer<std::int64_t>("tax_cents"));
  SPLITBENCH_TRY(total, f.integer<std::int64_t>("total_cents"));
  SPLITBENCH_TRY(promotion, f.string("promotion"));
  return priced_line{id, qty, unit, sub, disc, tax, total, std::move(promotion)};
}

void put_sums(writer& w, price_quote const& q) {
  w.field("subtotal_cents", q.subtotal_cents)
      .field("discount_cents", q.discount_cents)
      .field("tax_cents", q.tax_cents)
      .field("total_cents", q.total_cents);
}

/// The fields a price quote and an order share: region, tier, items and the four sums.
void put_price(writer& w, price_quote const& q) {
  w.field("region", q.region).field("tier", q.tier).key("items").begin_array();
  for (auto const& l : q.lines) {
    w.begin_object();
    put_fields(w, l);
    w.end_object();
  }
  put_sums(w.end_array(), q);
}

result<price_quote> price_of(fields const& f) {
  price_quote q;
  SPLITBENCH_TRY(region, f.string("region"));
  SPLITBENCH_TRY(tier, f.string("tier"));
  SPLITBENCH_TRY(items, f.array("items"));
  SPLITBENCH_TRY(lines, each_object<priced_line>(*items, "items", [](fields const& l) { return priced_line_of(l); }));
  SPLITBENCH_TRY(sub, f.integer<std::int64_t>("subtotal_cents"));
  SPLITBENCH_TRY(disc, f.integer<std::int64_t>("discount_cents"));
  SPLITBENCH_TRY(tax, f.integer<std::int64_t>("tax_cents"));
  SPLITBENCH_TRY(total, f.integer<std::int64_t>("total_cents"));
  return price_quote{std::move(region), std::move(tier), std::move(lines), sub, disc, tax, total};
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

result<std::string> percent_decode(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '+') {
      out.push_back(' ');
    } else if (s[i] == '%') {
      if (i + 2 >= s.size()) return bad("invalid percent-encoding in query");
      int hi = hex_value(s[i + 1]), lo = hex_value(s[i + 2]);
      if (hi < 0 || lo < 0) return bad("invalid percent-encoding in query");
      out.push_back(static_cast<char>(hi * 16 + lo));
      i += 2;
    } else {
      out.push_back(s[i]);
    }
  }
  return out;
}

template <class Int>
result<Int> parse_id(std::string_view text, char const* what) {
  Int value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc{} || end != text.data() + text.size() || value == 0 || text[0] == '-' ||
      text[0] == '+')
    return bad(std::string("invalid ") + what + " id '" + std::string(text.substr(0, 32)) + "'");
  return value;
}

/// `{"items":[...]}`
template <class List>
std::string items_only(List const& list) {
  writer w;
  put(w.begin_object().key("items"), list);
  return w.end_object().take();
}

}  // namespace

std::string encode(product const& p) {
  writer w;
  put(w, p);
  return w.take();
}

std::string encode(std::vector<product> const& products) { return items_only(products); }

std::string encode(search_result const& r) {
  writer w;
  put(w.begin_object().key("items"), r.items);
  return w.field("total", r.total).end_object().take();
}

std::string encode(search_query const& q) {
  return writer().begin_object().field("category", q.category).field("q", q.text).field("limit", q.limit).end_object().take();
}

std::string encode(std::vector<line> const& lines) { return items_only(lines); }

std::string encode(quote_request const& r) {
  writer w;
  put(w.begin_object().key("items"), r.items);
  return w.field("region", r.region).field("tier", r.tier).end_object().take();
}

std::string encode(order_request const& r) {
  writer w;
  put(w.begin_object().field("customer", r.customer).key("items"), r.items.items);
  return w.field("region", r.items.region).field("tier", r.items.tier).end_object().take();
}

std::string encode(price_quote const& q) {
  writer w;
  put_price(w.begin_object(), q);
  return w.end_object().take();
}

std::string encode(std::vector<stock_level> const& levels) {
  writer w;
  w.begin_object().key("items").begin_array();
  for (auto const& s : levels) w.begin_object().field("product_id", s.id).field("available", s.available).end_object();
  return w.end_array().end_object().take();
}

std::string encode(std::vector<product_id> const& ids) {
  writer w;
  w.begin_object().key("ids").begin_array();
  for (auto id : ids) w.value(id);
  return w.end_array().end_object().take();
}

std::string encode(quote const& q) {
  writer w;
  w.begin_object().field("region", q.price.region).field("tier", q.price.tier).key("items").begin_array();
  for (std::size_t i = 0; i < q.price.lines.size(); ++i) {
    put_fields(w.begin_object(), q.price.lines[i], &q.names[i]);
    w.field("available", q.available[i]).end_object();
  }
  put_sums(w.end_array(), q.price);
  return w.field("all_available", q.all_available)
      .end_object()
      .take();
}

std::string encode(order const& o) {
  writer w;
  put_price(w.begin_object().field("id", o.id).field("customer", o.customer).field("status", "placed"), o.price);
  return w.end_object().take();
}

std::string encode(done) { return "{}"; }
std::string encode(error const& e) {
  // Messages may echo raw bytes from a path or query string: keep the body valid JSON whatever
  // they hold by showing anything outside printable ASCII as '?'.
  std::string message = e.message;
  for (auto& c : message)
    if (static_cast<unsigned char>(c) < 0x20 || static_cast<unsigned char>(c) >= 0x7f) c = '?';
  return writer().begin_object().field("error", message).end_object().take();
}

result<quote_request> decode_quote_request(std::string_view body) {
  document doc;
  SPLITBENCH_TRY(o, doc.object(body));
  fields f(*o);
  if (auto ok = f.only({"items", "region", "tier"}); !ok) return ok.error();
  return quote_request_of(f);
}

result<order_request> decode_order_request(std::string_view body) {
  document doc;
  SPLITBENCH_TRY(o, doc.object(body));
  fields f(*o);
  if (auto ok = f.only({"customer", "items", "region", "tier"}); !ok) return ok.error();
  SPLITBENCH_TRY(customer, f.string("customer"));
  SPLITBENCH_TRY(request, quote_request_of(f));
  return order_request{std::move(customer), std::move(request)};
}

result<search_query> decode_search_query(std::string_view body) {
  document doc;
  SPLITBENCH_TRY(o, doc.object(body));
  fields f(*o);
  if (auto ok = f.only({"category", "q", "limit"}); !ok) return ok.error();
  SPLITBENCH_TRY(category, f.string("category"));
  SPLITBENCH_TRY(q, f.string("q"));
  SPLITBENCH_TRY(limit, f.integer<int>("limit"));
  return search_query{std::move(category), std::move(q), limit};
}

result<std::vector<product_id>> decode_ids(std::string_view body) {
  document doc;
  SPLITBENCH_TRY(o, doc.object(body));
  fields f(*o);
  if (auto ok = f.only({"ids"}); !ok) return ok.error();
  SPLITBENCH_TRY(a, f.array("ids"));
  if (a->size() > max_decoded_items) return bad("too many ids");
  std::vector<product_id> ids;
  for (auto const& v : *a) {
    if (!v.is_int64() && !v.is_uint64()) return bad("ids must be integers");
    auto x = v.is_int64() ? v.get_int64() : static_cast<std::int64_t>(std::min<std::uint64_t>(v.get_uint64(), 1ULL << 40));
    if (x < 0 || x > std::numeric_limits<product_id>::max()) return bad("ids is out of range");
    ids.push_back(static_cast<product_id>(x));
  }
  return ids;
}

result<std::vector<line>> decode_lines(std::string_view body) {
  document doc;
  SPLITBENCH_TRY(o, doc.object(body));
  fields f(*o);
  if (auto ok = f.only({"items"}); !ok) return ok.error();
  return lines_of(f);
}

result<product> decode_product(std::string_view body) {
  document doc;
  SPLITBENCH_TRY(o, doc.object(body));
  return product_of(fields(*o));
}

result<std::vector<product>> decode_products(std::string_view body) {
  document doc;
  SPLITBENCH_TRY(o, doc.object(body));
  SPLITBENCH_TRY(items, fields(*o).array("items"));
  return products_of(*items);
}

result<search_result> decode_search_result(std::string_view body) {
  document doc;
  SPLITBENCH_TRY(o, doc.object(body));
  fields f(*o);
  SPLITBENCH_TRY(items, f.array("items"));
  SPLITBENCH_TRY(products, products_of(*items));
  SPLITBENCH_TRY(total, f.integer<std::int64_t>("total"));
  return search_result{std::move(products), total};
}

result<price_quote> decode_price_quote(std::string_view body) {
  document doc;
  SPLITBENCH_TRY(o, doc.object(body));
  return price_of(fields(*o));
}

result<std::vector<stock_level>> decode_stock_levels(std::string_view body) {
  document doc;
  SPLITBENCH_TRY(o, doc.object(body));
  SPLITBENCH_TRY(items, fields(*o).array("items"));
  return each_object<stock_level>(*items, "items", [](fields const& f) -> result<stock_level> {
    SPLITBENCH_TRY(id, f.integer<product_id>("product_id"));
    SPLITBENCH_TRY(available, f.integer<std::int32_t>("available"));
    return stock_level{id, available};
  });
}

result<order> decode_order(std::string_view body) {
  document doc;
  SPLITBENCH_TRY(o, doc.object(body));
  fields f(*o);
  SPLITBENCH_TRY(id, f.integer<order_id>("id"));
  SPLITBENCH_TRY(customer, f.string("customer"));
  SPLITBENCH_TRY(price, price_of(f));
  return order{id, std::move(customer), std::move(price)};
}

result<done> decode_done(std::string_view body) {
  document doc;
  if (auto o = doc.object(body); !o) return o.error();
  return done{};
}

std::string decode_error_message(std::string_view body) {
  document doc;
  if (auto o = doc.object(body)) {
    auto it = (*o)->find("error");
    if (it != (*o)->end() && it->value().is_string()) return std::string(it->value().get_string());
  }
  return std::string(body.substr(0, 200));
}

result<product_id> parse_product_id(std::string_view text) { return parse_id<product_id>(text, "product"); }
result<order_id> parse_order_id(std::string_view text) {
  auto id = parse_id<std::uint64_t>(text, "order");
  if (id && *id > std::uint64_t(std::numeric_limits<std::int64_t>::max())) return bad("invalid order id");
  return id;
}

result<search_query> search_from_query(std::string_view query_string) {
  search_query q;
  bool seen_limit = false, seen_category = false, seen_q = false;
  while (!query_string.empty()) {
    auto amp = query_string.find('&');
    auto pair = query_string.substr(0, amp);
    query_string = amp == std::string_view::npos ? std::string_view{} : query_string.substr(amp + 1);
    if (pair.empty()) continue;
    auto eq = pair.find('=');
    auto key = pair.substr(0, eq);
    SPLITBENCH_TRY(value, percent_decode(eq == std::string_view::npos ? std::string_view{} : pair.substr(eq + 1)));
    auto once = [&](bool& seen) -> result<done> {
      if (seen) return bad("parameter '" + std::string(key) + "' given twice");
      seen = true;
      return done{};
    };
    if (key == "category") {
      if (auto ok = once(seen_category); !ok) return ok.error();
      q.category = std::move(value);
    } else if (key == "q") {
      if (auto ok = once(seen_q); !ok) return ok.error();
      q.text = std::move(value);
    } else if (key == "limit") {
      if (auto ok = once(seen_limit); !ok) return ok.error();
      int limit = 0;
      auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), limit);
      if (value.empty() || ec != std::errc{} || end != value.data() + value.size())
        return bad("limit must be between 1 and 100");
      q.limit = limit;
    } else {
      return bad("unknown parameter '" + std::string(key.substr(0, 64)) + "'");
    }
  }
  return q;
}

}  // namespace splitbench::codec
