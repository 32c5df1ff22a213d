// Reads a whole text file for the scenario and design readers. Refuses directories, files
// that cannot be opened, and files above max_bytes (a scenario or profile is small; a huge
// file is a mistake, not an input).
#pragma once

#include <cstddef>
#include <string>

namespace powerstack::sim {

bool read_text_file(const std::string& path, std::string& text, std::string& error,
                    std::size_t max_bytes = std::size_t{64} << 20U);

}  // namespace powerstack::sim
