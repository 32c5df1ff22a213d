// The 5x7 font of the display page: each glyph is 7 rows, bit 4 the leftmost pixel. Drawn for
// this project (no font data copied).
#pragma once

#include <cstdint>

namespace powerstack::twin {

// The glyph of c (upper case, digits, " .:%-/+"), or nullptr.
const std::uint8_t* display_glyph(char c);

}  // namespace powerstack::twin
