#include "sim/flash/file_flash.hpp"

#include <cerrno>
#include <cstring>
#include <utility>

namespace powerstack::sim {

namespace {

std::string describe_errno() {
  return std::strerror(errno);
}

}  // namespace

std::unique_ptr<FileFlash> FileFlash::open(const std::string& path, hal::NvGeometry geometry,
                                           Mode mode, std::string& error) {
  std::vector<std::uint8_t> image(geometry.size_bytes, hal::kErasedByte);
  if (!hal::RamFlash(image.data(), geometry).valid()) {
    error =
        "flash geometry: size must be a multiple of the erase block, the erase block a "
        "multiple of the write granularity, the granularity a power of two";
    return nullptr;
  }
  std::FILE* f = std::fopen(path.c_str(), "r+b");
  if (f == nullptr && errno == ENOENT && mode == Mode::kCreateIfMissing) {
    f = std::fopen(path.c_str(), "w+b");
    if (f == nullptr) {
      error = "cannot create flash image '" + path + "': " + describe_errno();
      return nullptr;
    }
    if (std::fwrite(image.data(), 1, image.size(), f) != image.size() || std::fflush(f) != 0) {
      error = "cannot write flash image '" + path + "': " + describe_errno();
      std::fclose(f);
      return nullptr;
    }
  } else if (f == nullptr) {
    error = "cannot open flash image '" + path + "': " + describe_errno();
    return nullptr;
  } else {
    const std::size_t got = std::fread(image.data(), 1, image.size(), f);
    const int extra = std::fgetc(f);
    if (got != image.size() || extra != EOF) {
      error = "flash image '" + path + "' is not " + std::to_string(geometry.size_bytes) +
              " bytes long (the size its geometry gives)";
      std::fclose(f);
      return nullptr;
    }
  }
  return std::unique_ptr<FileFlash>(new FileFlash(path, f, std::move(image), geometry));
}

FileFlash::FileFlash(std::string path, std::FILE* file, std::vector<std::uint8_t> image,
                     hal::NvGeometry geometry)
    : path_(std::move(path)),
      file_(file),
      image_(std::move(image)),
      flash_(image_.data(), geometry) {}

FileFlash::~FileFlash() {
  std::fclose(file_);
}

bool FileFlash::persist(std::size_t address, std::size_t length) {
  if (std::fseek(file_, static_cast<long>(address), SEEK_SET) != 0 ||
      std::fwrite(image_.data() + address, 1, length, file_) != length || std::fflush(file_) != 0) {
    file_error_ = "cannot write flash image '" + path_ + "': " + describe_errno();
    return false;
  }
  return true;
}

Status FileFlash::read(std::size_t address, std::uint8_t* out, std::size_t length) {
  return flash_.read(address, out, length);
}

Status FileFlash::program(std::size_t address, const std::uint8_t* data, std::size_t length) {
  file_error_.clear();
  const Status st = flash_.program(address, data, length);
  // Whatever the emulation changed (all of it, or a prefix at a power cut) reaches the file.
  if ((st == Status::kOk || st == Status::kUnavailable) && length <= image_.size() &&
      address <= image_.size() - length && !persist(address, length)) {
    return Status::kUnavailable;
  }
  return st;
}

Status FileFlash::erase_block(std::size_t address) {
  file_error_.clear();
  const Status st = flash_.erase_block(address);
  const std::size_t block = flash_.geometry().erase_block_bytes;
  if ((st == Status::kOk || st == Status::kUnavailable) && address % block == 0 &&
      address < image_.size() && !persist(address, block)) {
    return Status::kUnavailable;
  }
  return st;
}

}  // namespace powerstack::sim
