#include "core/storefront.hpp"

#include "core/order_desk.hpp"

#include <memory>
#include <optional>

namespace splitbench {

void storefront::quote(quote_request request, callback<splitbench::quote> done) {
  if (auto ok = validate_items(request); !ok) return done(ok.error());

  struct state {
    callback<splitbench::quote> done;
    std::optional<result<std::vector<product>>> products;
    std::optional<result<std::vector<stock_level>>> stock;
    std::optional<result<price_quote>> price;
    int pending = 3;
  };
  auto s = std::make_shared<state>();
  s->done = std::move(done);

  auto finish = [s] {
    if (--s->pending > 0) return;
    if (!*s->products) return s->done(as_input_error(s->products->error()));
    if (!*s->price) return s->done(s->price->error());
    if (!*s->stock) return s->done(as_input_error(s->stock->error()));
    splitbench::quote q;
    q.price = std::move(**s->price);
    auto const& products = **s->products;
    auto const& stock = **s->stock;
    q.all_available = true;
    for (std::size_t i = 0; i < q.price.lines.size(); ++i) {
      q.names.push_back(products[i].name);
      q.available.push_back(stock[i].available);
      // Lines naming the same product share its stock, so add up what each line asks.
      std::int64_t wanted = 0;
      for (auto const& l : q.price.lines)
        if (l.id == q.price.lines[i].id) wanted += l.qty;
      if (wanted > stock[i].available) q.all_available = false;
    }
    s->done(std::move(q));
  };

  auto ids = ids_of(request.items);
  catalog_.get_products(ids, [s, finish](result<std::vector<product>> r) {
    s->products = std::move(r);
    finish();
  });
  inventory_.availability(std::move(ids), [s, finish](result<std::vector<stock_level>> r) {
    s->stock = std::move(r);
    finish();
  });
  pricing_.quote(std::move(request), [s, finish](result<price_quote> r) {
    s->price = std::move(r);
    finish();
  });
}

}  // namespace splitbench
