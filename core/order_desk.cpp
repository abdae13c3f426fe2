#include "core/order_desk.hpp"

#include "core/inventory.hpp"

#include <memory>
#include <optional>

namespace splitbench {

result<done> validate_items(quote_request const& request) {
  if (request.items.empty()) return fail(errc::invalid_input, "items must not be empty");
  if (request.items.size() > max_lines) return fail(errc::invalid_input, "at most 50 items");
  for (auto const& l : request.items) {
    if (l.id == 0) return fail(errc::invalid_input, "product_id must be positive");
    if (l.qty < 1 || l.qty > max_qty) return fail(errc::invalid_input, "qty must be between 1 and 1000");
  }
  if (request.region.empty()) return fail(errc::invalid_input, "region is required");
  if (request.tier.empty()) return fail(errc::invalid_input, "tier is required");
  return done{};
}

result<done> validate_customer(std::string const& customer) {
  if (customer.empty() || customer.size() > 100)
    return fail(errc::invalid_input, "customer must be 1 to 100 bytes");
  return done{};
}

std::vector<product_id> ids_of(std::vector<line> const& lines) {
  std::vector<product_id> ids;
  ids.reserve(lines.size());
  for (auto const& l : lines) ids.push_back(l.id);
  return ids;
}

error as_input_error(error e) {
  if (e.code == errc::not_found) e.code = errc::invalid_input;
  return e;
}

void order_desk::place(order_request request, callback<order> done) {
  if (auto ok = validate_customer(request.customer); !ok) return done(ok.error());
  if (auto ok = validate_items(request.items); !ok) return done(ok.error());

  struct state {
    order_request request;
    callback<order> done;
    std::optional<error> catalog_error, pricing_error, inventory_error;
    std::optional<price_quote> price;
    bool reserved = false;
    int pending = 3;
  };
  auto s = std::make_shared<state>();
  s->request = std::move(request);
  s->done = std::move(done);

  auto finish = [this, s] {
    if (--s->pending > 0) return;
    std::optional<error> e = s->catalog_error ? s->catalog_error
                             : s->pricing_error ? s->pricing_error
                                                : s->inventory_error;
    if (!e) {
      s->done(book_.add(std::move(s->request.customer), std::move(*s->price)));
      return;
    }
    if (s->reserved) {
      // Give the units back before answering, so that a client seeing the error sees the stock too.
      inventory_.release(s->request.items.items, [s, e = std::move(*e)](result<splitbench::done>) { s->done(e); });
      return;
    }
    s->done(std::move(*e));
  };

  catalog_.get_products(ids_of(s->request.items.items), [s, finish](result<std::vector<product>> r) {
    if (!r) s->catalog_error = as_input_error(r.error());
    finish();
  });
  pricing_.quote(s->request.items, [s, finish](result<price_quote> r) {
    if (r) s->price = std::move(*r);
    else s->pricing_error = r.error();
    finish();
  });
  inventory_.reserve(s->request.items.items, [s, finish](result<splitbench::done> r) {
    if (r) s->reserved = true;
    else s->inventory_error = as_input_error(r.error());
    finish();
  });
}

}  // namespace splitbench
