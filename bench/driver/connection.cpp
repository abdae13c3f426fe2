#include "bench/driver/connection.hpp"

#include <boost/asio/buffer.hpp>
#include <boost/asio/write.hpp>

#include <algorithm>

namespace splitbench::bench {
namespace asio = boost::asio;
using tcp = asio::ip::tcp;

connection::connection(asio::io_context& context, tcp::endpoint endpoint, connection_owner& owner, std::size_t id)
    : owner_(owner), socket_(context), backoff_timer_(context), endpoint_(endpoint), id_(id) {}

void connection::open() { do_connect(); }

void connection::reset_socket() {
  ++seq_;
  boost::system::error_code ignored;
  socket_.close(ignored);
}

void connection::do_connect() {
  reset_socket();
  state_ = state::connecting;
  started_ = clock_type::now();
  auto seq = seq_;
  socket_.async_connect(endpoint_, [this, seq](boost::system::error_code ec) { on_connect(ec, seq); });
}

void connection::on_connect(boost::system::error_code ec, std::uint64_t seq) {
  if (seq != seq_) return;
  if (ec) return connect_failed();
  backoff_ = std::chrono::milliseconds(10);
  socket_.set_option(tcp::no_delay(true), ec);
  state_ = state::idle;
  owner_.on_open(*this);
}

void connection::connect_failed() {
  reset_socket();
  state_ = state::backoff;
  backoff_timer_.expires_after(backoff_);
  backoff_ = std::min(backoff_ * 2, max_backoff);
  auto seq = seq_;
  backoff_timer_.async_wait([this, seq](boost::system::error_code e) {
    if (!e && seq == seq_) do_connect();
  });
  owner_.on_connect_failed(*this);
}

void connection::send(std::string_view request, bool head_request, time_point now) {
  state_ = state::busy;
  started_ = now;
  parser_.reset(head_request);
  auto seq = ++seq_;
  asio::async_write(socket_, asio::buffer(request.data(), request.size()), [this, seq](boost::system::error_code ec, std::size_t) {
    if (ec && seq == seq_) fail(failure::write);
  });
  do_read(seq);
}

void connection::do_read(std::uint64_t seq) {
  socket_.async_read_some(asio::buffer(buffer_), [this, seq](boost::system::error_code ec, std::size_t n) { on_read(ec, n, seq); });
}

void connection::watch() {
  if (state_ != state::idle || watched_ == seq_) return;
  watched_ = seq_;
  auto seq = seq_;
  socket_.async_wait(tcp::socket::wait_read, [this, seq](boost::system::error_code ec) {
    if (seq != seq_ || state_ != state::idle || ec == asio::error::operation_aborted) return;
    // Readable while nothing was asked: the server closed or reset it, or sent what was not asked.
    do_connect();
    owner_.on_closed(*this);
  });
}

void connection::on_read(boost::system::error_code ec, std::size_t n, std::uint64_t seq) {
  if (seq != seq_) return;
  if (ec) return fail(failure::read);
  std::size_t used = 0;
  auto status = parser_.feed(std::string_view(buffer_.data(), n), used);
  if (status == response_parser::status::need_more) return do_read(seq);
  // A response followed by more bytes is a server answering what was not asked.
  if (status == response_parser::status::bad || used != n) return fail(failure::parse);
  ++seq_;
  bool reopening = parser_.close();
  if (reopening) {
    do_connect();
  } else {
    state_ = state::idle;
  }
  owner_.on_response(*this, parser_.code(), reopening);
}

void connection::fail(failure kind) {
  do_connect();
  owner_.on_failure(*this, kind);
}

void connection::expire(time_point limit) {
  if (started_ >= limit) return;
  if (state_ == state::busy) return fail(failure::timeout);
  if (state_ == state::connecting) return connect_failed();
}

void connection::close() {
  reset_socket();
  state_ = state::closed;
  backoff_timer_.cancel();
}

}  // namespace splitbench::bench
