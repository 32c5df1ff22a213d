#include "powerstack/twin/display_page.hpp"

#include <fmt/format.h>
#include <png.h>

#include <cctype>

#include "display_font.hpp"

namespace powerstack::twin {

void Framebuffer::set(int x, int y, bool on) {
  if (x >= 0 && x < kWidth && y >= 0 && y < kHeight) {
    pixels_[static_cast<std::size_t>(y * kWidth + x)] = on ? 1 : 0;
  }
}

bool Framebuffer::get(int x, int y) const {
  return x >= 0 && x < kWidth && y >= 0 && y < kHeight &&
         pixels_[static_cast<std::size_t>(y * kWidth + x)] != 0;
}

void Framebuffer::text(int x, int y, const std::string& s) {
  for (const char raw : s) {
    const char c = static_cast<char>(std::toupper(static_cast<unsigned char>(raw)));
    if (const std::uint8_t* g = display_glyph(c)) {
      for (int row = 0; row < 7; ++row) {
        for (int col = 0; col < 5; ++col) {
          if ((g[row] >> (4 - col)) & 1U) {
            set(x + col, y + row, true);
          }
        }
      }
    }
    x += 6;
  }
}

std::vector<std::string> display_lines(const DeviceStatus& s) {
  std::string state = s.charge_state;
  for (char& c : state) {
    c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  }
  return {
      fmt::format("PV  {:5.1f}V {:5.0f}W", s.v_pv_v, s.p_pv_w),
      fmt::format("BAT {:5.2f}V {:+5.1f}A", s.v_bat_v, s.i_bat_a),
      fmt::format("SOC {:3.0f}% {}", 100.0 * s.soc, state.substr(0, 10)),
      fmt::format("TODAY {:6.0f}WH", s.pv_today_wh),
      fmt::format("FET {:3.0f}C BAT {:3.0f}C", s.t_heatsink_c, s.t_bat_c),
      fmt::format("TRIPS {} {}", s.trips, s.battery_connected ? "" : "BAT OFF"),
  };
}

Framebuffer render_display(const DeviceStatus& s) {
  Framebuffer fb;
  int y = 1;
  for (const std::string& line : display_lines(s)) {
    fb.text(1, y, line);
    y += 10;
  }
  return fb;
}

namespace {

void append_png(png_structp png, png_bytep data, png_size_t length) {
  auto* out = static_cast<std::string*>(png_get_io_ptr(png));
  out->append(reinterpret_cast<const char*>(data), length);
}

}  // namespace

std::string encode_png(const Framebuffer& fb) {
  std::string out;
  png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, nullptr, nullptr, nullptr);
  if (png == nullptr) {
    return {};
  }
  png_infop info = png_create_info_struct(png);
  std::vector<png_byte> rows(static_cast<std::size_t>(Framebuffer::kWidth * Framebuffer::kHeight));
  std::vector<png_bytep> row_ptrs;
  for (int y = 0; y < Framebuffer::kHeight; ++y) {
    for (int x = 0; x < Framebuffer::kWidth; ++x) {
      rows[static_cast<std::size_t>(y * Framebuffer::kWidth + x)] = fb.get(x, y) ? 255 : 0;
    }
    row_ptrs.push_back(&rows[static_cast<std::size_t>(y * Framebuffer::kWidth)]);
  }
  // libpng reports errors by longjmp; nothing with a destructor is created after this point.
  if (info == nullptr || setjmp(png_jmpbuf(png)) != 0) {
    png_destroy_write_struct(&png, &info);
    return {};
  }
  png_set_write_fn(png, &out, append_png, nullptr);
  png_set_IHDR(png, info, Framebuffer::kWidth, Framebuffer::kHeight, 8, PNG_COLOR_TYPE_GRAY,
               PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
  png_set_rows(png, info, row_ptrs.data());
  png_write_png(png, info, PNG_TRANSFORM_IDENTITY, nullptr);
  png_destroy_write_struct(&png, &info);
  return out;
}

}  // namespace powerstack::twin
