// The board identifier in NV storage: a small settings-store record that selects the board
// profile at start-up (board_profile.hpp).
//
// Record key kBoardRecordKey, version 1, 4 bytes: 0 u16 board id (BoardId), 2 u16 reserved
// (written 0, ignored on read so a later version can use it). A record of a newer version is
// reported, never guessed; an unknown id is an error that names the id (no default board is
// chosen silently: a wrong scaling would mis-measure every voltage and current).
#pragma once

#include <cstddef>
#include <cstdint>

#include "powerstack/board/board_profile.hpp"
#include "powerstack/settings/settings_store.hpp"

namespace powerstack::board {

inline constexpr std::uint16_t kBoardRecordKey = 0x0002;
inline constexpr std::uint16_t kBoardRecordVersion = 1;
inline constexpr std::size_t kBoardRecordBytes = 4;

enum class BoardRecordStatus : std::uint8_t {
  kOk = 0,
  kNotStored,       // no board id in the store yet (provisioning needed)
  kStoreError,      // the store failed (see BoardLoad::store)
  kBadLength,       // payload length does not match its version
  kNewerVersion,    // written by newer firmware
  kUnknownVersion,  // version 0
  kUnknownBoard,    // no built-in profile has the stored id (BoardLoad::id)
  kInvalidProfile,  // the profile fails validate() (BoardLoad::check)
};
const char* to_string(BoardRecordStatus s);

// out must hold kBoardRecordBytes.
std::size_t encode_board_record(std::uint16_t board_id, std::uint8_t* out);
// Decodes the id only (kOk, kBadLength, kNewerVersion, kUnknownVersion).
BoardRecordStatus decode_board_record(std::uint16_t version, const std::uint8_t* payload,
                                      std::size_t length, std::uint16_t& board_id);

struct BoardLoad {
  BoardRecordStatus status = BoardRecordStatus::kOk;
  settings::StoreStatus store = settings::StoreStatus::kOk;
  std::uint16_t id = 0;                   // the stored id (when decoded)
  const BoardProfile* profile = nullptr;  // set only when ok()
  BoardCheck check;
  [[nodiscard]] bool ok() const { return status == BoardRecordStatus::kOk; }
};

BoardLoad load_board(settings::SettingsStore& store);

struct BoardSave {
  BoardRecordStatus status = BoardRecordStatus::kOk;  // kUnknownBoard: nothing written
  settings::StoreStatus store = settings::StoreStatus::kOk;
  [[nodiscard]] bool ok() const {
    return status == BoardRecordStatus::kOk && store == settings::StoreStatus::kOk;
  }
};

// Refuses (and leaves the store untouched) an id without a valid built-in profile.
BoardSave save_board_id(settings::SettingsStore& store, std::uint16_t board_id);

}  // namespace powerstack::board
