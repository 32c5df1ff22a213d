#include "sim/scenario/text_file.hpp"

#include <filesystem>
#include <fstream>
#include <sstream>
#include <system_error>

namespace powerstack::sim {

bool read_text_file(const std::string& path, std::string& text, std::string& error,
                    std::size_t max_bytes) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) {
    error = "cannot read '" + path + "': it is a directory";
    return false;
  }
  // Devices and pipes have no size and may never end: only regular files are inputs.
  if (std::filesystem::exists(path, ec) && !std::filesystem::is_regular_file(path, ec)) {
    error = "cannot read '" + path + "': not a regular file";
    return false;
  }
  std::ifstream f(path, std::ios::binary);
  if (!f) {
    error = "cannot read '" + path + "'";
    return false;
  }
  const auto size = std::filesystem::file_size(path, ec);
  if (!ec && size > max_bytes) {
    error = "'" + path + "' is larger than " + std::to_string(max_bytes >> 20U) + " MiB";
    return false;
  }
  std::ostringstream buffer;
  buffer << f.rdbuf();
  if (f.bad()) {
    error = "cannot read '" + path + "'";
    return false;
  }
  text = buffer.str();
  return true;
}

}  // namespace powerstack::sim
