#include "net/codec.hpp"

#include "net/json_reader.hpp"
#include "net/json_writer.hpp"

#include <algorithm>
#include <limits>

namespace splitbench::codec {
namespace json = boost::json;
namespace {

/// Lines beyond this count are refused before they are decoded one by one.
constexpr std::size_t max_decoded_items = 1'000;

result<std::vector<line>> lines_of(json_fields const& f) {
  SPLITBENCH_TRY(items, f.array("items"));
  if (items->size() > max_decoded_items) return bad("at most 50 items");
  return each_object<line>(*items, "items", [](json_fields const& item) -> result<line> {
    if (auto ok = item.only({"product_id", "qty"}); !ok) return ok.error();
    SPLITBENCH_TRY(id, item.integer<product_id>("product_id"));
    SPLITBENCH_TRY(qty, item.integer<std::int32_t>("qty"));
    return line{id, qty};
  });
}

result<quote_request> quote_request_of(json_fields const& f) {
  SPLITBENCH_TRY(items, lines_of(f));
  SPLITBENCH_TRY(region, f.string("region"));
  SPLITBENCH_TRY(tier, f.string("tier"));
  return quote_request{std::move(items), std::move(region), std::move(tier)};
}

void put(json_writer& w, std::vector<line> const& lines) {
  w.begin_array();
  for (auto const& l : lines) w.begin_object().field("product_id", l.id).field("qty", l.qty).end_object();
  w.end_array();
}

void put(json_writer& w, product const& p) {
  w.begin_object()
      .field("id", p.id)
      .field("name", p.name)
      .field("category", p.category)
      .field("price_cents", p.price_cents)
      .field("weight_grams", p.weight_grams)
      .end_object();
}

result<product> product_of(json_fields const& f) {
  SPLITBENCH_TRY(id, f.integer<product_id>("id"));
  SPLITBENCH_TRY(name, f.string("name"));
  SPLITBENCH_TRY(category, f.string("category"));
  SPLITBENCH_TRY(price, f.integer<std::int64_t>("price_cents"));
  SPLITBENCH_TRY(weight, f.integer<std::int32_t>("weight_grams"));
  return product{id, std::move(name), std::move(category), price, weight};
}

void put(json_writer& w, std::vector<product> const& products) {
  w.begin_array();
  for (auto const& p : products) put(w, p);
  w.end_array();
}

result<std::vector<product>> products_of(json::array const& a) {
  return each_object<product>(a, "items", [](json_fields const& f) { return product_of(f); });
}

/// A priced line's fields, within an object the caller opens and closes; the public quote names
/// each product after its id.
void put_fields(json_writer& w, priced_line const& l, std::string const* name = nullptr) {
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

result<priced_line> priced_line_of(json_fields const& f) {
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

void put_sums(json_writer& w, price_quote const& q) {
  w.field("subtotal_cents", q.subtotal_cents)
      .field("discount_cents", q.discount_cents)
      .field("tax_cents", q.tax_cents)
      .field("total_cents", q.total_cents);
}

/// The fields a price quote and an order share: region, tier, items and the four sums.
void put_price(json_writer& w, price_quote const& q) {
  w.field("region", q.region).field("tier", q.tier).key("items").begin_array();
  for (auto const& l : q.lines) {
    w.begin_object();
    put_fields(w, l);
    w.end_object();
  }
  put_sums(w.end_array(), q);
}

result<price_quote> price_of(json_fields const& f) {
  price_quote q;
  SPLITBENCH_TRY(region, f.string("region"));
  SPLITBENCH_TRY(tier, f.string("tier"));
  SPLITBENCH_TRY(items, f.array("items"));
  SPLITBENCH_TRY(lines, each_object<priced_line>(*items, "items", [](json_fields const& l) { return priced_line_of(l); }));
  SPLITBENCH_TRY(sub, f.integer<std::int64_t>("subtotal_cents"));
  SPLITBENCH_TRY(disc, f.integer<std::int64_t>("discount_cents"));
  SPLITBENCH_TRY(tax, f.integer<std::int64_t>("tax_cents"));
  SPLITBENCH_TRY(total, f.integer<std::int64_t>("total_cents"));
  return price_quote{std::move(region), std::move(tier), std::move(lines), sub, disc, tax, total};
}

/// `{"items":[...]}`
template <class List>
std::string items_only(List const& list) {
  json_writer w;
  put(w.begin_object().key("items"), list);
  return w.end_object().take();
}

}  // namespace

std::string encode(product const& p) {
  json_writer w;
  put(w, p);
  return w.take();
}

std::string encode(std::vector<product> const& products) { return items_only(products); }

std::string encode(search_result const& r) {
  json_writer w;
  put(w.begin_object().key("items"), r.items);
  return w.field("total", r.total).end_object().take();
}

std::string encode(search_query const& q) {
  return json_writer().begin_object().field("category", q.category).field("q", q.text).field("limit", q.limit).end_object().take();
}

std::string encode(std::vector<line> const& lines) { return items_only(lines); }

std::string encode(quote_request const& r) {
  json_writer w;
  put(w.begin_object().key("items"), r.items);
  return w.field("region", r.region).field("tier", r.tier).end_object().take();
}

std::string encode(order_request const& r) {
  json_writer w;
  put(w.begin_object().field("customer", r.customer).key("items"), r.items.items);
  return w.field("region", r.items.region).field("tier", r.items.tier).end_object().take();
}

std::string encode(price_quote const& q) {
  json_writer w;
  put_price(w.begin_object(), q);
  return w.end_object().take();
}

std::string encode(std::vector<stock_level> const& levels) {
  json_writer w;
  w.begin_object().key("items").begin_array();
  for (auto const& s : levels) w.begin_object().field("product_id", s.id).field("available", s.available).end_object();
  return w.end_array().end_object().take();
}

std::string encode(std::vector<product_id> const& ids) {
  json_writer w;
  w.begin_object().key("ids").begin_array();
  for (auto id : ids) w.value(id);
  return w.end_array().end_object().take();
}

std::string encode(quote const& q) {
  json_writer w;
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
  json_writer w;
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
  return json_writer().begin_object().field("error", message).end_object().take();
}

template <>
result<quote_request> decode<quote_request>(std::string_view body) {
  json_reader doc;
  SPLITBENCH_TRY(o, doc.object(body));
  json_fields f(*o);
  if (auto ok = f.only({"items", "region", "tier"}); !ok) return ok.error();
  return quote_request_of(f);
}

template <>
result<order_request> decode<order_request>(std::string_view body) {
  json_reader doc;
  SPLITBENCH_TRY(o, doc.object(body));
  json_fields f(*o);
  if (auto ok = f.only({"customer", "items", "region", "tier"}); !ok) return ok.error();
  SPLITBENCH_TRY(customer, f.string("customer"));
  SPLITBENCH_TRY(request, quote_request_of(f));
  return order_request{std::move(customer), std::move(request)};
}

template <>
result<search_query> decode<search_query>(std::string_view body) {
  json_reader doc;
  SPLITBENCH_TRY(o, doc.object(body));
  json_fields f(*o);
  if (auto ok = f.only({"category", "q", "limit"}); !ok) return ok.error();
  SPLITBENCH_TRY(category, f.string("category"));
  SPLITBENCH_TRY(q, f.string("q"));
  SPLITBENCH_TRY(limit, f.integer<int>("limit"));
  return search_query{std::move(category), std::move(q), limit};
}

template <>
result<std::vector<product_id>> decode<std::vector<product_id>>(std::string_view body) {
  json_reader doc;
  SPLITBENCH_TRY(o, doc.object(body));
  json_fields f(*o);
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

template <>
result<std::vector<line>> decode<std::vector<line>>(std::string_view body) {
  json_reader doc;
  SPLITBENCH_TRY(o, doc.object(body));
  json_fields f(*o);
  if (auto ok = f.only({"items"}); !ok) return ok.error();
  return lines_of(f);
}

template <>
result<product> decode<product>(std::string_view body) {
  json_reader doc;
  SPLITBENCH_TRY(o, doc.object(body));
  return product_of(json_fields(*o));
}

template <>
result<std::vector<product>> decode<std::vector<product>>(std::string_view body) {
  json_reader doc;
  SPLITBENCH_TRY(o, doc.object(body));
  SPLITBENCH_TRY(items, json_fields(*o).array("items"));
  return products_of(*items);
}

template <>
result<search_result> decode<search_result>(std::string_view body) {
  json_reader doc;
  SPLITBENCH_TRY(o, doc.object(body));
  json_fields f(*o);
  SPLITBENCH_TRY(items, f.array("items"));
  SPLITBENCH_TRY(products, products_of(*items));
  SPLITBENCH_TRY(total, f.integer<std::int64_t>("total"));
  return search_result{std::move(products), total};
}

template <>
result<price_quote> decode<price_quote>(std::string_view body) {
  json_reader doc;
  SPLITBENCH_TRY(o, doc.object(body));
  return price_of(json_fields(*o));
}

template <>
result<std::vector<stock_level>> decode<std::vector<stock_level>>(std::string_view body) {
  json_reader doc;
  SPLITBENCH_TRY(o, doc.object(body));
  SPLITBENCH_TRY(items, json_fields(*o).array("items"));
  return each_object<stock_level>(*items, "items", [](json_fields const& f) -> result<stock_level> {
    SPLITBENCH_TRY(id, f.integer<product_id>("product_id"));
    SPLITBENCH_TRY(available, f.integer<std::int32_t>("available"));
    return stock_level{id, available};
  });
}

template <>
result<order> decode<order>(std::string_view body) {
  json_reader doc;
  SPLITBENCH_TRY(o, doc.object(body));
  json_fields f(*o);
  SPLITBENCH_TRY(id, f.integer<order_id>("id"));
  SPLITBENCH_TRY(customer, f.string("customer"));
  SPLITBENCH_TRY(price, price_of(f));
  return order{id, std::move(customer), std::move(price)};
}

template <>
result<done> decode<done>(std::string_view body) {
  json_reader doc;
  if (auto o = doc.object(body); !o) return o.error();
  return done{};
}

std::string decode_error_message(std::string_view body) {
  json_reader doc;
  if (auto o = doc.object(body)) {
    auto it = (*o)->find("error");
    if (it != (*o)->end() && it->value().is_string()) return std::string(it->value().get_string());
  }
  return std::string(body.substr(0, 200));
}

}  // namespace splitbench::codec
