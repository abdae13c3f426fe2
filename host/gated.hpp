#pragma once
/// Bindings of the four service interfaces that hand every call to a gate, which decides whether
/// the wrapped binding is called and when the caller sees the answer. One set of forwarding
/// classes serves each way of changing a service from outside: a fixed delay (host/inject.hpp)
/// and faults switched at run time (host/fault_gate.hpp).
///
/// A gate is a class with
///   template <class T, class Call> void pass(callback<T>&& done, Call&& call);
/// that calls `call(callback<T>&&)` at most once (that is the wrapped operation) and makes sure
/// `done` runs exactly once, on the calling thread: the contract of every service interface.
/// Callbacks are handed on by reference, so that a call that passes through untouched moves its
/// callback once, into the wrapped binding, as a direct call would.

#include "core/catalog_service.hpp"
#include "core/inventory_service.hpp"
#include "core/orders_service.hpp"
#include "core/pricing_service.hpp"

#include <utility>
#include <vector>

namespace splitbench::host {

/// What the classes below share: the wrapped binding and the gate.
template <class Interface, class Gate>
class gated : public Interface {
 public:
  using interface = Interface;
  gated(Interface& inner, Gate gate) : inner_(inner), gate_(std::move(gate)) {}

 protected:
  Interface& inner_;
  Gate gate_;
};

/// The catalog, through a gate.
template <class Gate>
class gated_catalog final : public gated<catalog_service, Gate> {
 public:
  using gated<catalog_service, Gate>::gated;
  void get_product(product_id id, callback<product> done) override {
    this->gate_.pass(std::move(done), [&](callback<product>&& cb) { this->inner_.get_product(id, std::move(cb)); });
  }
  void get_products(std::vector<product_id> ids, callback<std::vector<product>> done) override {
    this->gate_.pass(std::move(done), [&](callback<std::vector<product>>&& cb) { this->inner_.get_products(std::move(ids), std::move(cb)); });
  }
  void search(search_query q, callback<search_result> done) override {
    this->gate_.pass(std::move(done), [&](callback<search_result>&& cb) { this->inner_.search(std::move(q), std::move(cb)); });
  }
};

/// The inventory, through a gate.
template <class Gate>
class gated_inventory final : public gated<inventory_service, Gate> {
 public:
  using gated<inventory_service, Gate>::gated;
  void availability(std::vector<product_id> ids, callback<std::vector<stock_level>> done) override {
    this->gate_.pass(std::move(done),
                     [&](callback<std::vector<stock_level>>&& cb) { this->inner_.availability(std::move(ids), std::move(cb)); });
  }
  void reserve(std::vector<line> lines, callback<done> cb) override {
    this->gate_.pass(std::move(cb), [&](callback<done>&& c) { this->inner_.reserve(std::move(lines), std::move(c)); });
  }
  void release(std::vector<line> lines, callback<done> cb) override {
    this->gate_.pass(std::move(cb), [&](callback<done>&& c) { this->inner_.release(std::move(lines), std::move(c)); });
  }
};

/// Pricing, through a gate.
template <class Gate>
class gated_pricing final : public gated<pricing_service, Gate> {
 public:
  using gated<pricing_service, Gate>::gated;
  void quote(quote_request r, callback<price_quote> done) override {
    this->gate_.pass(std::move(done), [&](callback<price_quote>&& cb) { this->inner_.quote(std::move(r), std::move(cb)); });
  }
};

/// The orders service, through a gate.
template <class Gate>
class gated_orders final : public gated<orders_service, Gate> {
 public:
  using gated<orders_service, Gate>::gated;
  void place(order_request r, callback<order> done) override {
    this->gate_.pass(std::move(done), [&](callback<order>&& cb) { this->inner_.place(std::move(r), std::move(cb)); });
  }
  void get(order_id id, callback<order> done) override {
    this->gate_.pass(std::move(done), [&](callback<order>&& cb) { this->inner_.get(id, std::move(cb)); });
  }
};

}  // namespace splitbench::host
