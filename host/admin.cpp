#include "host/admin.hpp"

#include "net/json_writer.hpp"

#include <stdexcept>

namespace splitbench::host {
namespace {

/// What a PUT or DELETE names that this process does not run.
net::response unknown_service(fault_board const& faults, std::string_view service) {
  std::string runs;
  for (auto const& s : faults.switches()) runs += (runs.empty() ? "" : ", ") + s->service();
  return net::error_response(404, "this process runs no service '" + std::string(service) + "' that faults can target" +
                                      (runs.empty() ? std::string(" (it runs none)") : " (it runs " + runs + ")"));
}

std::string listing(fault_board const& faults) {
  codec::json_writer w;
  w.begin_object().key("services").begin_array();
  for (auto const& s : faults.switches()) w.value(s->service());
  w.end_array().key("active").begin_object();
  for (auto const& s : faults.switches())
    if (auto action = s->current()) w.field(s->service(), action->text());
  w.end_object().end_object();
  return w.take();
}

class admin_app final : public net::app {
 public:
  admin_app(std::unique_ptr<net::app> inner, fault_board& faults) : inner_(std::move(inner)) {
    add_admin_routes(routes_, faults);
    admin_routes_ = routes_.labels().size();
  }

  // The admin routes come first in route_labels(), the inner app's after them.
  net::route_match match(net::request const& req) const override {
    if (is_admin(req)) return routes_.match(req);
    auto m = inner_->match(req);
    if (m.route != net::route_match::none) m.route += admin_routes_;
    return m;
  }

  void handle(net::request const& req, net::route_match const& m, net::responder respond) override {
    if (is_admin(req)) return routes_.dispatch(req, m, std::move(respond));
    auto inner = m;
    if (inner.route != net::route_match::none) inner.route -= admin_routes_;
    inner_->handle(req, inner, std::move(respond));
  }
  using net::app::handle;

  std::vector<net::route_label> route_labels() const override {
    auto out = routes_.labels();
    auto inner = inner_->route_labels();
    out.insert(out.end(), inner.begin(), inner.end());
    return out;
  }

  std::vector<net::http_client const*> clients() const override { return inner_->clients(); }

 private:
  static bool is_admin(net::request const& req) { return req.path.starts_with("/admin/"); }

  std::unique_ptr<net::app> inner_;
  net::router routes_;
  std::size_t admin_routes_ = 0;
};

}  // namespace

void add_admin_routes(net::router& routes, fault_board& faults) {
  using net::method;
  routes.add(method::get, "/admin/faults", [&faults](net::request const&, net::captures, net::responder respond) {
    respond({200, listing(faults)});
  });
  routes.add(method::del, "/admin/faults", [&faults](net::request const&, net::captures, net::responder respond) {
    for (auto const& s : faults.switches()) s->clear();
    respond({204, {}});
  });
  routes.add(method::put, "/admin/faults/{service}", [&faults](net::request const& req, net::captures c, net::responder respond) {
    auto* s = faults.find(c[0]);
    if (s == nullptr) return respond(unknown_service(faults, c[0]));
    try {
      s->set(parse_fault_action(req.body));
    } catch (std::invalid_argument const& e) {
      return respond(net::error_response(400, e.what()));
    }
    respond({204, {}});
  });
  routes.add(method::del, "/admin/faults/{service}", [&faults](net::request const&, net::captures c, net::responder respond) {
    auto* s = faults.find(c[0]);
    if (s == nullptr) return respond(unknown_service(faults, c[0]));
    s->clear();
    respond({204, {}});
  });
}

std::unique_ptr<net::app> with_admin(std::unique_ptr<net::app> inner, fault_board& faults) {
  return std::make_unique<admin_app>(std::move(inner), faults);
}

char const admin_help[] =
    "With --admin, faults are switched on and off while the process runs, at /admin/faults on its port: "
    "PUT /admin/faults/SERVICE with an action as the body (slow=2ms, slow=uniform(1ms,3ms):0.25, "
    "slow=normal(2ms,500us), slow=lognormal(2ms,0.5), error=0.05:500) answers 204, 400 for a bad action and 404 "
    "for a service this process does not run; DELETE /admin/faults/SERVICE (or /admin/faults, all of them) "
    "answers 204; GET /admin/faults lists the services and the faults in force. A slow call answers later by a "
    "delay drawn per call; a failed call answers the status, and its callers do what they do with any such answer.";

}  // namespace splitbench::host
