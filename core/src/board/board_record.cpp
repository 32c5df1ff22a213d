#include "powerstack/board/board_record.hpp"

#include "powerstack/settings/byte_order.hpp"

namespace powerstack::board {

const char* to_string(BoardRecordStatus s) {
  switch (s) {
    case BoardRecordStatus::kOk:
      return "ok";
    case BoardRecordStatus::kNotStored:
      return "no board id stored (provision the board first)";
    case BoardRecordStatus::kStoreError:
      return "settings store error";
    case BoardRecordStatus::kBadLength:
      return "board record length does not match its version";
    case BoardRecordStatus::kNewerVersion:
      return "board record written by newer firmware";
    case BoardRecordStatus::kUnknownVersion:
      return "board record of an unknown version";
    case BoardRecordStatus::kUnknownBoard:
      return "unknown board id (no built-in profile has it)";
    case BoardRecordStatus::kInvalidProfile:
      return "the board's profile fails validation";
  }
  return "unknown";
}

std::size_t encode_board_record(std::uint16_t board_id, std::uint8_t* out) {
  settings::put_u16(out, board_id);
  settings::put_u16(out + 2, 0);
  return kBoardRecordBytes;
}

BoardRecordStatus decode_board_record(std::uint16_t version, const std::uint8_t* payload,
                                      std::size_t length, std::uint16_t& board_id) {
  if (version == 0) {
    return BoardRecordStatus::kUnknownVersion;
  }
  if (version > kBoardRecordVersion) {
    return BoardRecordStatus::kNewerVersion;
  }
  if (length != kBoardRecordBytes || payload == nullptr) {
    return BoardRecordStatus::kBadLength;
  }
  board_id = settings::get_u16(payload);
  return BoardRecordStatus::kOk;
}

BoardLoad load_board(settings::SettingsStore& store) {
  BoardLoad out;
  std::uint8_t buf[kBoardRecordBytes + 4] = {};  // room to see an over-long record
  settings::ReadInfo info;
  out.store = store.read(kBoardRecordKey, buf, sizeof(buf), info);
  if (out.store == settings::StoreStatus::kNotFound) {
    out.status = BoardRecordStatus::kNotStored;
    return out;
  }
  if (out.store == settings::StoreStatus::kBufferTooSmall) {
    out.status = BoardRecordStatus::kBadLength;
    return out;
  }
  if (out.store != settings::StoreStatus::kOk) {
    out.status = BoardRecordStatus::kStoreError;
    return out;
  }
  out.status = decode_board_record(info.version, buf, info.length, out.id);
  if (!out.ok()) {
    return out;
  }
  const BoardProfile* p = find_board(out.id);
  if (p == nullptr) {
    out.status = BoardRecordStatus::kUnknownBoard;
    return out;
  }
  out.check = validate(*p);
  if (!out.check.ok()) {
    out.status = BoardRecordStatus::kInvalidProfile;
    return out;
  }
  out.profile = p;
  return out;
}

BoardSave save_board_id(settings::SettingsStore& store, std::uint16_t board_id) {
  BoardSave out;
  const BoardProfile* p = find_board(board_id);
  if (p == nullptr) {
    out.status = BoardRecordStatus::kUnknownBoard;
    return out;
  }
  if (!validate(*p).ok()) {
    out.status = BoardRecordStatus::kInvalidProfile;
    return out;
  }
  std::uint8_t buf[kBoardRecordBytes];
  const std::size_t n = encode_board_record(board_id, buf);
  out.store = store.write(kBoardRecordKey, kBoardRecordVersion, buf, n);
  if (out.store != settings::StoreStatus::kOk) {
    out.status = BoardRecordStatus::kStoreError;
  }
  return out;
}

}  // namespace powerstack::board
