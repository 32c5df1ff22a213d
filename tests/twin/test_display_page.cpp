#include <gtest/gtest.h>
#include <png.h>

#include <string>
#include <vector>

#include "powerstack/twin/display_page.hpp"

namespace {

using powerstack::twin::DeviceStatus;
using powerstack::twin::Framebuffer;

// Decodes with libpng's reading side (independent of the writer's code path).
std::vector<std::uint8_t> decode(const std::string& png, int& w, int& h) {
  png_image image{};
  image.version = PNG_IMAGE_VERSION;
  if (png_image_begin_read_from_memory(&image, png.data(), png.size()) == 0) {
    return {};
  }
  image.format = PNG_FORMAT_GRAY;
  std::vector<std::uint8_t> pixels(PNG_IMAGE_SIZE(image));
  if (png_image_finish_read(&image, nullptr, pixels.data(), 0, nullptr) == 0) {
    return {};
  }
  w = static_cast<int>(image.width);
  h = static_cast<int>(image.height);
  return pixels;
}

DeviceStatus sample() {
  DeviceStatus s;
  s.v_pv_v = 61.2;
  s.p_pv_w = 495.7;
  s.v_bat_v = 27.1;
  s.i_bat_a = 17.9;
  s.soc = 0.62;
  s.charge_state = "bulk";
  return s;
}

TEST(DisplayPage, LinesShowTheValues) {
  const auto lines = powerstack::twin::display_lines(sample());
  EXPECT_EQ(lines[0], "PV   61.2V   496W");
  EXPECT_EQ(lines[1], "BAT 27.10V +17.9A");
  EXPECT_EQ(lines[2], "SOC  62% BULK");
}

TEST(DisplayPage, PngDecodesTo128x64WithTheFramebuffersPixels) {
  const Framebuffer fb = powerstack::twin::render_display(sample());
  const std::string png = powerstack::twin::encode_png(fb);
  ASSERT_GT(png.size(), 8U);
  int w = 0;
  int h = 0;
  const auto px = decode(png, w, h);
  ASSERT_EQ(w, 128);
  ASSERT_EQ(h, 64);
  int lit = 0;
  for (int y = 0; y < h; ++y) {
    for (int x = 0; x < w; ++x) {
      const bool on = px[static_cast<std::size_t>(y * w + x)] > 127;
      EXPECT_EQ(on, fb.get(x, y)) << x << "," << y;
      lit += on ? 1 : 0;
    }
  }
  EXPECT_GT(lit, 200);  // text is drawn
}

TEST(DisplayPage, TextPixelsFollowTheValues) {
  DeviceStatus a = sample();
  DeviceStatus b = sample();
  b.v_bat_v = 28.3;  // only the battery voltage differs: only its digits' cells change
  const Framebuffer fa = powerstack::twin::render_display(a);
  const Framebuffer fb = powerstack::twin::render_display(b);
  int changed_in_bat_line = 0;
  int changed_elsewhere = 0;
  for (int y = 0; y < Framebuffer::kHeight; ++y) {
    for (int x = 0; x < Framebuffer::kWidth; ++x) {
      if (fa.get(x, y) != fb.get(x, y)) {
        (y >= 11 && y < 18 ? changed_in_bat_line : changed_elsewhere) += 1;
      }
    }
  }
  EXPECT_GT(changed_in_bat_line, 5);
  EXPECT_EQ(changed_elsewhere, 0);
}

TEST(DisplayPage, GlyphsOfDifferentDigitsDiffer) {
  Framebuffer one;
  Framebuffer seven;
  one.text(0, 0, "1");
  seven.text(0, 0, "7");
  int diff = 0;
  for (int y = 0; y < 7; ++y) {
    for (int x = 0; x < 5; ++x) {
      diff += one.get(x, y) != seven.get(x, y) ? 1 : 0;
    }
  }
  EXPECT_GT(diff, 3);
}

}  // namespace
