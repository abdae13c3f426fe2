#pragma once
/// An incremental HTTP/1.1 response parser for the load driver: it finds where each response
/// ends (Content-Length, chunked, or no body) and its status, and skips the body without copying
/// it. Bytes come in any split; nothing is allocated.
///
/// Strict where a lax reading lets two parties disagree on where a response ends (RFC 9112):
/// every line of the head and of the chunked framing ends in CRLF (no bare CR, no bare LF),
/// Transfer-Encoding must end in a single `chunked` and never comes with Content-Length or in
/// HTTP/1.0. Interim 1xx responses are skipped until the final one; 101 (a protocol switch) is
/// refused, since the driver speaks nothing else.

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace splitbench::bench {

class response_parser {
 public:
  enum class status { need_more, complete, bad };

  /// Starts a new response; `head_request`: the request was HEAD, so no body follows.
  void reset(bool head_request = false) noexcept;

  /// Consumes bytes of the response; sets `used` to how many belong to it. After `complete`,
  /// bytes past `used` belong to the next response.
  status feed(std::string_view data, std::size_t& used) noexcept;

  unsigned code() const noexcept { return code_; }
  /// The response's `Server-Timing` value, when keep_server_timing(true) asked for it; valid
  /// until the next reset(). Empty if it had none.
  std::string_view server_timing() const noexcept { return {head_ + timing_at_, timing_size_}; }
  /// Whether to keep the `Server-Timing` value of the responses that follow.
  void keep_server_timing(bool keep) noexcept { keep_timing_ = keep; }
  /// The server said Connection: close (or spoke HTTP/1.0 without keep-alive).
  bool close() const noexcept { return close_; }

  /// The longest response head accepted.
  static constexpr std::size_t max_head = 8 * 1024;

 private:
  status parse_head(std::string_view head) noexcept;
  void start_head() noexcept;

  enum class phase : std::uint8_t { head, length_body, chunk_size, chunk_data, chunk_data_end, trailer, done };
  phase phase_ = phase::head;
  bool head_request_ = false;
  bool close_ = false;
  bool chunked_ = false;
  bool keep_timing_ = false;
  std::size_t timing_at_ = 0, timing_size_ = 0;  // where the Server-Timing value is in head_
  unsigned code_ = 0;
  std::uint64_t remaining_ = 0;
  std::size_t head_seen_ = 0;  // bytes of head scanned so far
  std::uint32_t match_ = 0;    // how much of "\r\n\r\n" (or of a line end in chunked framing) has been seen
  std::uint64_t chunk_size_ = 0;
  bool chunk_size_digits_ = false;
  bool in_chunk_ext_ = false;
  char head_[max_head];
};

}  // namespace splitbench::bench
