#pragma once

#include <string>
#include <string_view>

namespace splitbench::bench {

/// Writes `content` to a temporary file beside `path`, flushes it to disk and renames it over
/// `path`: a reader sees the old file or the whole new one, never a part. Throws std::runtime_error.
void write_file_atomically(std::string const& path, std::string_view content);

/// A new empty directory /tmp/<prefix>-XXXXXX; throws std::runtime_error.
std::string make_temp_dir(std::string const& prefix);

/// The whole content of a file; throws std::runtime_error naming the file.
std::string read_file(std::string const& path);

}  // namespace splitbench::bench
