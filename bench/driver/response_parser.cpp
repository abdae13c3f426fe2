#include "bench/driver/response_parser.hpp"

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

int hex(char c) noexcept {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

void response_parser::reset(bool head_request) noexcept {
  phase_ = phase::head;
  head_request_ = head_request;
  close_ = chunked_ = false;
  code_ = 0;
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
  auto line_end = head.find("\r\n");
  while (line_end != std::string_view::npos) {
    head.remove_prefix(line_end + 2);
    line_end = head.find("\r\n");
    auto line = head.substr(0, line_end);
    if (line.empty()) break;
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
      chunked_ = icontains(value, "chunked");
    } else if (iequals(name, "connection")) {
      if (icontains(value, "close")) close_ = true;
      if (http10 && icontains(value, "keep-alive")) close_ = false;
    }
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
        char c = data[used++];
        if (c == '\n') {
          if (!chunk_size_digits_) return status::bad;
          remaining_ = chunk_size_;
          phase_ = chunk_size_ ? phase::chunk_data : phase::trailer;
          match_ = 2;  // a trailer section starts right after a line end
          chunk_size_ = 0;
          chunk_size_digits_ = in_chunk_ext_ = false;
        } else if (c == '\r' || in_chunk_ext_) {
        } else if (c == ';') {
          in_chunk_ext_ = true;
        } else {
          int h = hex(c);
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
        if (remaining_ == 0) phase_ = phase::chunk_data_end;
        break;
      }
      case phase::chunk_data_end: {
        char c = data[used++];
        if (c == '\n') phase_ = phase::chunk_size;
        else if (c != '\r') return status::bad;
        break;
      }
      case phase::trailer: {
        // Trailer lines until an empty one: we only need to see "\r\n" at a line start.
        char c = data[used++];
        if (c == '\n') {
          if (match_ == 2 || match_ == 3) {
            phase_ = phase::done;
            break;
          }
          match_ = 2;
        } else if (c == '\r') {
          match_ = match_ == 2 ? 3 : 0;
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
