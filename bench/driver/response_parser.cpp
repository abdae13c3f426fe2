#include "bench/driver/response_parser.hpp"

#include "core/hex.hpp"

#include <cstring>

namespace splitbench::bench {
namespace {

bool iequals(std::string_view a, std::string_view b) noexcept {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    char x = a[i], y = b[i];
    if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
    if (y >= 'A' && y <= 'Z') y = static_cast<char>(y - 'A' + 'a');
    if (x != y) return false;
  }
  return true;
}

bool icontains(std::string_view haystack, std::string_view needle) noexcept {
  for (std::size_t i = 0; i + needle.size() <= haystack.size(); ++i)
    if (iequals(haystack.substr(i, needle.size()), needle)) return true;
  return false;
}

std::string_view trim(std::string_view s) noexcept {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}


}  // namespace

void response_parser::reset(bool head_request) noexcept {
  head_request_ = head_request;
  start_head();
}

void response_parser::start_head() noexcept {
  phase_ = phase::head;
  close_ = chunked_ = false;
  code_ = 0;
  timing_at_ = timing_size_ = 0;
  remaining_ = head_seen_ = 0;
  match_ = 0;
  chunk_size_ = 0;
  chunk_size_digits_ = in_chunk_ext_ = false;
}

response_parser::status response_parser::parse_head(std::string_view head) noexcept {
  // "HTTP/1.1 200 OK"
  if (head.size() < 12 || head.substr(0, 7) != "HTTP/1.") return status::bad;
  bool http10 = head[7] == '0';
  if (head[8] != ' ') return status::bad;
  unsigned code = 0;
  for (int i = 9; i < 12; ++i) {
    if (head[static_cast<std::size_t>(i)] < '0' || head[static_cast<std::size_t>(i)] > '9') return status::bad;
    code = code * 10 + static_cast<unsigned>(head[static_cast<std::size_t>(i)] - '0');
  }
  code_ = code;
  close_ = http10;
  bool have_length = false;
  bool have_encoding = false;  // Transfer-Encoding seen
  int chunked = 0;             // times `chunked` was named
  bool chunked_last = false;   // and whether it is the last coding so far
  auto line_end = head.find("\r\n");
  if (head.substr(0, line_end).find_first_of("\r\n") != std::string_view::npos) return status::bad;
  while (line_end != std::string_view::npos) {
    head.remove_prefix(line_end + 2);
    line_end = head.find("\r\n");
    auto line = head.substr(0, line_end);
    if (line.empty()) break;
    if (line.find_first_of("\r\n") != std::string_view::npos) return status::bad;  // a bare CR or LF
    auto colon = line.find(':');
    if (colon == std::string_view::npos) return status::bad;
    auto name = line.substr(0, colon);
    auto value = trim(line.substr(colon + 1));
    if (iequals(name, "content-length")) {
      std::uint64_t n = 0;
      if (value.empty()) return status::bad;
      for (char c : value) {
        if (c < '0' || c > '9' || n > (UINT64_MAX - 9) / 10) return status::bad;
        n = n * 10 + static_cast<std::uint64_t>(c - '0');
      }
      if (have_length && n != remaining_) return status::bad;
      remaining_ = n;
      have_length = true;
    } else if (iequals(name, "transfer-encoding")) {
      // A list of codings, over one or several fields: "gzip, chunked".
      have_encoding = true;
      while (!value.empty()) {
        auto comma = value.find(',');
        auto coding = trim(value.substr(0, comma));
        coding = trim(coding.substr(0, coding.find(';')));
        value = comma == std::string_view::npos ? std::string_view{} : value.substr(comma + 1);
        if (coding.empty()) continue;
        chunked_last = iequals(coding, "chunked");
        chunked += chunked_last ? 1 : 0;
      }
    } else if (keep_timing_ && iequals(name, "server-timing")) {
      timing_at_ = static_cast<std::size_t>(value.data() - head_);
      timing_size_ = value.size();
    } else if (iequals(name, "connection")) {
      if (icontains(value, "close")) close_ = true;
      if (http10 && icontains(value, "keep-alive")) close_ = false;
    }
  }
  if (have_encoding) {
    // Chunked once and last, or the body runs to the connection's close; never beside a length.
    if (http10 || have_length || chunked != 1 || !chunked_last) return status::bad;
    chunked_ = true;
  }
  bool no_body = head_request_ || code_ < 200 || code_ == 204 || code_ == 304;
  if (no_body) {
    phase_ = phase::done;
  } else if (chunked_) {
    phase_ = phase::chunk_size;
  } else if (have_length) {
    phase_ = remaining_ ? phase::length_body : phase::done;
  } else {
    return status::bad;  // a body delimited by the connection's end is no use to a keep-alive driver
  }
  return status::need_more;
}

response_parser::status response_parser::feed(std::string_view data, std::size_t& used) noexcept {
  used = 0;
  while (used < data.size() || phase_ == phase::done) {
    switch (phase_) {
      case phase::head: {
        // Copy until the blank line; the head is small and this keeps the scan simple.
        while (used < data.size()) {
          char c = data[used++];
          if (head_seen_ == max_head) return status::bad;
          head_[head_seen_++] = c;
          match_ = (c == '\r') ? (match_ == 2 ? 3 : 1) : (c == '\n' && (match_ == 1 || match_ == 3)) ? match_ + 1 : 0;
          if (match_ == 4) {
            if (parse_head(std::string_view(head_, head_seen_)) == status::bad) return status::bad;
            break;
          }
        }
        if (phase_ == phase::head) return status::need_more;
        match_ = 0;
        if (code_ >= 100 && code_ < 200) {
          if (code_ == 101) return status::bad;  // switching protocols: not HTTP/1.1 any more
          start_head();                         // an interim response: the final one follows
        }
        break;
      }
      case phase::length_body: {
        auto take = std::min<std::uint64_t>(remaining_, data.size() - used);
        used += take;
        remaining_ -= take;
        if (remaining_ == 0) phase_ = phase::done;
        break;
      }
      case phase::chunk_size: {
        // "1a;name=value\r\n": hex digits, an extension we skip, CRLF.
        char c = data[used++];
        if (match_ == 1) {  // after CR only LF may come
          if (c != '\n' || !chunk_size_digits_) return status::bad;
          remaining_ = chunk_size_;
          phase_ = chunk_size_ ? phase::chunk_data : phase::trailer;
          match_ = 2;  // a trailer section starts right after a line end
          chunk_size_ = 0;
          chunk_size_digits_ = in_chunk_ext_ = false;
        } else if (c == '\r') {
          match_ = 1;
        } else if (c == '\n') {
          return status::bad;  // a bare LF
        } else if (in_chunk_ext_) {
        } else if (c == ';') {
          in_chunk_ext_ = true;
        } else {
          int h = hex_digit(c);
          if (h < 0 || chunk_size_ > (UINT64_MAX >> 4)) return status::bad;
          chunk_size_ = chunk_size_ * 16 + static_cast<std::uint64_t>(h);
          chunk_size_digits_ = true;
        }
        break;
      }
      case phase::chunk_data: {
        auto take = std::min<std::uint64_t>(remaining_, data.size() - used);
        used += take;
        remaining_ -= take;
        if (remaining_ == 0) {
          phase_ = phase::chunk_data_end;
          match_ = 0;
        }
        break;
      }
      case phase::chunk_data_end: {
        // Exactly CRLF after the data.
        char c = data[used++];
        if (match_ == 0 && c == '\r') {
          match_ = 1;
        } else if (match_ == 1 && c == '\n') {
          phase_ = phase::chunk_size;
          match_ = 0;
        } else {
          return status::bad;
        }
        break;
      }
      case phase::trailer: {
        // Trailer lines until an empty one. match_: 0 in a line, 1 CR in a line, 2 at a line's
        // start, 3 CR at a line's start.
        char c = data[used++];
        if (match_ == 1 || match_ == 3) {
          if (c != '\n') return status::bad;  // a bare CR
          if (match_ == 3) {
            phase_ = phase::done;
            break;
          }
          match_ = 2;
        } else if (c == '\r') {
          match_ = match_ == 2 ? 3 : 1;
        } else if (c == '\n') {
          return status::bad;  // a bare LF
        } else {
          match_ = 0;
        }
        break;
      }
      case phase::done:
        return status::complete;
    }
  }
  return status::need_more;
}

}  // namespace splitbench::bench
