// The device's status page on a 128x64 1-bit display (seed 000's OLED), rendered from the
// same DeviceStatus as the API, with a 5x7 bitmap font made for this project (digits,
// capitals and a few signs; other characters draw as a blank cell). Six lines of 21
// characters. encode_png() writes the framebuffer as an 8-bit greyscale PNG (libpng).
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "powerstack/twin/device_status.hpp"

namespace powerstack::twin {

class Framebuffer {
 public:
  static constexpr int kWidth = 128;
  static constexpr int kHeight = 64;
  void clear() { pixels_.fill(0); }
  void set(int x, int y, bool on);
  [[nodiscard]] bool get(int x, int y) const;
  // Draws text with its top-left corner at (x, y); each character is 6 pixels wide.
  void text(int x, int y, const std::string& s);

 private:
  std::array<std::uint8_t, kWidth * kHeight> pixels_{};
};

// The text lines of the page (upper case), e.g. "PV  61.2V  496W".
std::vector<std::string> display_lines(const DeviceStatus& s);
Framebuffer render_display(const DeviceStatus& s);
// PNG bytes; empty if libpng fails.
std::string encode_png(const Framebuffer& fb);

}  // namespace powerstack::twin
