// FileFlash: a flash part kept in a file, for the twin and the CLI. The file is the raw image
// (geometry.size_bytes bytes, like a dump of the chip); every program and erase goes through
// a hal::RamFlash (same semantics and fault injection as the core tests) and the bytes it
// changed are written to the file at once, so a power cut leaves in the file exactly what the
// chip would keep, and the next open ("reboot") sees it.
#pragma once

#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "powerstack/hal/ram_flash.hpp"

namespace powerstack::sim {

class FileFlash final : public hal::NvStorage {
 public:
  enum class Mode { kOpenExisting, kCreateIfMissing };
  // nullptr with `error` set when the geometry is inconsistent, the file cannot be opened or
  // created, or its size is not geometry.size_bytes. A created file is fully erased (0xFF).
  static std::unique_ptr<FileFlash> open(const std::string& path, hal::NvGeometry geometry,
                                         Mode mode, std::string& error);
  ~FileFlash();
  FileFlash(const FileFlash&) = delete;
  FileFlash& operator=(const FileFlash&) = delete;

  [[nodiscard]] hal::NvGeometry geometry() const override { return flash_.geometry(); }
  Status read(std::size_t address, std::uint8_t* out, std::size_t length) override;
  Status program(std::size_t address, const std::uint8_t* data, std::size_t length) override;
  Status erase_block(std::size_t address) override;

  // Fault injection and counters (power cuts, torn bits, stuck bits).
  hal::RamFlash& emulation() { return flash_; }
  // Why the last operation failed on the file side ("" when it did not).
  [[nodiscard]] const std::string& file_error() const { return file_error_; }

 private:
  FileFlash(std::string path, std::FILE* file, std::vector<std::uint8_t> image,
            hal::NvGeometry geometry);
  // Writes [address, address + length) of the image to the file.
  bool persist(std::size_t address, std::size_t length);

  std::string path_;
  std::FILE* file_;
  std::vector<std::uint8_t> image_;
  hal::RamFlash flash_;
  std::string file_error_;
};

}  // namespace powerstack::sim
