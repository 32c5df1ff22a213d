#include "powerstack/settings/settings_store.hpp"

#include "powerstack/settings/crc32.hpp"

namespace powerstack::settings {

namespace {

constexpr std::size_t kChunk = SettingsStore::kMaxWriteGranularity;

bool all_erased(const std::uint8_t* p, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i) {
    if (p[i] != hal::kErasedByte) {
      return false;
    }
  }
  return true;
}

// The bytes of a record as written: header, payload, then erased padding.
std::uint8_t record_byte(const std::uint8_t* header, const std::uint8_t* payload,
                         std::size_t length, std::size_t i) {
  if (i < kRecordHeaderBytes) {
    return header[i];
  }
  i -= kRecordHeaderBytes;
  return i < length ? payload[i] : hal::kErasedByte;
}

}  // namespace

const char* to_string(StoreStatus s) {
  switch (s) {
    case StoreStatus::kOk:
      return "ok";
    case StoreStatus::kNotFound:
      return "no intact record";
    case StoreStatus::kBadLayout:
      return "bank layout does not fit the flash geometry";
    case StoreStatus::kNotMounted:
      return "store not mounted";
    case StoreStatus::kTooLarge:
      return "record larger than a bank";
    case StoreStatus::kBufferTooSmall:
      return "buffer smaller than the stored record";
    case StoreStatus::kNoSpace:
      return "newest records of all keys do not fit in a bank";
    case StoreStatus::kTooManyKeys:
      return "too many distinct keys";
    case StoreStatus::kFlashError:
      return "flash operation failed";
    case StoreStatus::kVerifyFailed:
      return "read-back differs from what was written";
  }
  return "unknown";
}

StoreStatus SettingsStore::mount() {
  mounted_ = false;
  has_active_ = false;
  compactions_ = 0;
  const hal::NvGeometry g = flash_.geometry();
  const std::size_t gran = g.write_granularity_bytes;
  const bool granularity_ok = gran != 0 && (gran & (gran - 1)) == 0 && gran <= kChunk;
  if (!granularity_ok || g.erase_block_bytes == 0 || layout_.bank_bytes == 0 ||
      layout_.base_address % g.erase_block_bytes != 0 ||
      layout_.bank_bytes % g.erase_block_bytes != 0 || layout_.base_address > g.size_bytes ||
      layout_.bank_bytes > (g.size_bytes - layout_.base_address) / 2 ||
      layout_.bank_bytes < align_up(kBankHeaderBytes, gran) + align_up(kRecordHeaderBytes, gran)) {
    return StoreStatus::kBadLayout;
  }
  granularity_ = gran;

  bool valid[2] = {false, false};
  std::uint32_t seq[2] = {0, 0};
  for (std::uint8_t b = 0; b < 2; ++b) {
    std::uint8_t buf[kBankHeaderBytes];
    if (flash_.read(bank_start(b), buf, sizeof buf) != Status::kOk) {
      return StoreStatus::kFlashError;
    }
    valid[b] = parse_bank_header(buf, seq[b]);
  }
  if (valid[0] || valid[1]) {
    has_active_ = true;
    active_ = (valid[0] && (!valid[1] || seq[0] > seq[1])) ? 0 : 1;
    sequence_ = seq[active_];
    std::size_t tail = 0;
    const StoreStatus st = log_tail(active_, tail);
    if (st != StoreStatus::kOk) {
      has_active_ = false;
      return st;
    }
    append_ = tail;
  }
  mounted_ = true;
  return StoreStatus::kOk;
}

// One past the last byte that is not erased, rounded up to the write unit, or the end of the
// last record whose header is valid if that is further (its payload may be torn): a record
// never starts where an earlier header says a record lies.
StoreStatus SettingsStore::log_tail(std::uint8_t bank, std::size_t& tail) {
  std::size_t last = first_record(bank);
  std::size_t p = bank_end(bank);
  std::uint8_t buf[kChunk];
  while (p > first_record(bank)) {
    const std::size_t n = p - first_record(bank) < kChunk ? p - first_record(bank) : kChunk;
    p -= n;
    if (flash_.read(p, buf, n) != Status::kOk) {
      return StoreStatus::kFlashError;
    }
    std::size_t i = n;
    while (i > 0 && buf[i - 1] == hal::kErasedByte) {
      --i;
    }
    if (i > 0) {
      last = align_up(p + i, granularity_);
      break;
    }
  }
  tail = last;
  std::size_t records_end = first_record(bank);
  const StoreStatus st = scan(bank, [&](const Found& f) {
    const std::size_t end = f.address + record_bytes(f.header.length);
    records_end = end > records_end ? end : records_end;
  });
  tail = records_end > tail ? records_end : tail;
  return st;
}

template <typename Visit>
StoreStatus SettingsStore::scan(std::uint8_t bank, Visit&& visit) {
  // Records start on write units; after anything that does not parse (a torn record, rot)
  // the scan moves on by one unit, so later records are still found.
  const std::size_t end = bank_end(bank);
  std::size_t p = first_record(bank);
  while (p + kRecordHeaderBytes <= end) {
    std::uint8_t buf[kRecordHeaderBytes];
    if (flash_.read(p, buf, sizeof buf) != Status::kOk) {
      return StoreStatus::kFlashError;
    }
    Found f;
    f.address = p;
    if (parse_record_header(buf, f.header) && record_bytes(f.header.length) <= end - p) {
      visit(f);
      p += record_bytes(f.header.length);
      continue;
    }
    if (all_erased(buf, sizeof buf)) {
      // Nothing is ever written after a stretch of erased units longer than a header
      // (log_tail), so the log ends here.
      std::uint8_t rest[kChunk];
      bool more = false;
      for (std::size_t q = p + kRecordHeaderBytes; q < end && !more; q += kChunk) {
        const std::size_t n = end - q < kChunk ? end - q : kChunk;
        if (flash_.read(q, rest, n) != Status::kOk) {
          return StoreStatus::kFlashError;
        }
        more = !all_erased(rest, n);
      }
      if (!more) {
        return StoreStatus::kOk;
      }
    }
    p += granularity_;
  }
  return StoreStatus::kOk;
}

StoreStatus SettingsStore::payload_intact(const Found& f, bool& intact) {
  std::uint32_t crc = 0;
  std::uint8_t buf[kChunk];
  for (std::size_t done = 0; done < f.header.length;) {
    const std::size_t n = f.header.length - done < kChunk ? f.header.length - done : kChunk;
    if (flash_.read(f.address + kRecordHeaderBytes + done, buf, n) != Status::kOk) {
      return StoreStatus::kFlashError;
    }
    crc = crc32(buf, n, crc);
    done += n;
  }
  intact = crc == f.header.payload_crc;
  return StoreStatus::kOk;
}

StoreStatus SettingsStore::find_newest(std::uint8_t bank, std::uint16_t key, std::size_t before,
                                       Found& found, std::uint16_t& corrupt) {
  // Newest first; a copy whose payload CRC fails sends the search below it (a loop, not
  // recursion: the stack stays bounded on an MCU).
  for (;;) {
    bool any = false;
    Found newest;
    const StoreStatus st = scan(bank, [&](const Found& f) {
      if (f.header.key == key && f.address < before) {
        newest = f;
        any = true;
      }
    });
    if (st != StoreStatus::kOk) {
      return st;
    }
    if (!any) {
      return StoreStatus::kNotFound;
    }
    bool intact = false;
    const StoreStatus pst = payload_intact(newest, intact);
    if (pst != StoreStatus::kOk) {
      return pst;
    }
    if (intact) {
      found = newest;
      return StoreStatus::kOk;
    }
    ++corrupt;
    before = newest.address;
  }
}

StoreStatus SettingsStore::find_intact(std::uint8_t bank, std::uint16_t key, Found& found,
                                       std::uint16_t& corrupt) {
  return find_newest(bank, key, bank_end(bank), found, corrupt);
}

StoreStatus SettingsStore::read(std::uint16_t key, std::uint8_t* out, std::size_t capacity,
                                ReadInfo& info) {
  info = ReadInfo{};
  if (!mounted_) {
    return StoreStatus::kNotMounted;
  }
  Found f;
  StoreStatus st = StoreStatus::kNotFound;
  if (has_active_) {
    st = find_intact(active_, key, f, info.corrupt_newer);
    if (st == StoreStatus::kNotFound) {
      // Every copy in the active bank rotted: the other bank may still hold an older one.
      st = find_intact(static_cast<std::uint8_t>(1 - active_), key, f, info.corrupt_newer);
      info.from_previous_bank = st == StoreStatus::kOk;
    }
  }
  if (st != StoreStatus::kOk) {
    return st;
  }
  info.version = f.header.version;
  info.length = f.header.length;
  if (f.header.length > capacity) {
    return StoreStatus::kBufferTooSmall;
  }
  if (flash_.read(f.address + kRecordHeaderBytes, out, f.header.length) != Status::kOk) {
    return StoreStatus::kFlashError;
  }
  // The payload was checked in the scan; check the copy the caller gets as well.
  return crc32(out, f.header.length) == f.header.payload_crc ? StoreStatus::kOk
                                                             : StoreStatus::kFlashError;
}

StoreStatus SettingsStore::write_record(std::size_t address, const RecordHeader& h,
                                        const std::uint8_t* payload) {
  std::uint8_t header[kRecordHeaderBytes];
  encode_record_header(h, header);
  const std::size_t total = record_bytes(h.length);
  std::uint8_t buf[kChunk];
  for (std::size_t done = 0; done < total; done += kChunk) {
    const std::size_t n = total - done < kChunk ? total - done : kChunk;
    for (std::size_t i = 0; i < n; ++i) {
      buf[i] = record_byte(header, payload, h.length, done + i);
    }
    if (flash_.program(address + done, buf, n) != Status::kOk) {
      return StoreStatus::kFlashError;
    }
  }
  for (std::size_t done = 0; done < total; done += kChunk) {
    const std::size_t n = total - done < kChunk ? total - done : kChunk;
    if (flash_.read(address + done, buf, n) != Status::kOk) {
      return StoreStatus::kFlashError;
    }
    for (std::size_t i = 0; i < n; ++i) {
      if (buf[i] != record_byte(header, payload, h.length, done + i)) {
        return StoreStatus::kVerifyFailed;
      }
    }
  }
  return StoreStatus::kOk;
}

StoreStatus SettingsStore::copy_record(const Found& from, std::size_t to) {
  const std::size_t total = record_bytes(from.header.length);
  std::uint8_t buf[kChunk];
  std::uint8_t check[kChunk];
  for (std::size_t done = 0; done < total; done += kChunk) {
    const std::size_t n = total - done < kChunk ? total - done : kChunk;
    if (flash_.read(from.address + done, buf, n) != Status::kOk ||
        flash_.program(to + done, buf, n) != Status::kOk ||
        flash_.read(to + done, check, n) != Status::kOk) {
      return StoreStatus::kFlashError;
    }
    for (std::size_t i = 0; i < n; ++i) {
      if (buf[i] != check[i]) {
        return StoreStatus::kVerifyFailed;
      }
    }
  }
  return StoreStatus::kOk;
}

StoreStatus SettingsStore::compact_with(const RecordHeader& h, const std::uint8_t* payload) {
  const std::uint8_t target = has_active_ ? static_cast<std::uint8_t>(1 - active_) : 0;
  std::uint16_t keys[kMaxKeys] = {};
  std::size_t key_count = 0;
  bool too_many = false;
  if (has_active_) {
    const StoreStatus st = scan(active_, [&](const Found& f) {
      if (f.header.key == h.key) {
        return;
      }
      for (std::size_t i = 0; i < key_count; ++i) {
        if (keys[i] == f.header.key) {
          return;
        }
      }
      if (key_count + 1 < kMaxKeys) {  // one place stays for the key being written
        keys[key_count++] = f.header.key;
      } else {
        too_many = true;
      }
    });
    if (st != StoreStatus::kOk) {
      return st;
    }
  }
  if (too_many) {
    return StoreStatus::kTooManyKeys;
  }
  // Check the fit before erasing anything.
  std::size_t need = first_record(target) + record_bytes(h.length);
  for (std::size_t i = 0; i < key_count; ++i) {
    Found f;
    std::uint16_t corrupt = 0;
    const StoreStatus st = find_intact(active_, keys[i], f, corrupt);
    if (st == StoreStatus::kOk) {
      need += record_bytes(f.header.length);
    } else if (st != StoreStatus::kNotFound) {
      return st;
    }
  }
  if (need > bank_end(target)) {
    return StoreStatus::kNoSpace;
  }

  const std::size_t block = flash_.geometry().erase_block_bytes;
  for (std::size_t a = bank_start(target); a < bank_end(target); a += block) {
    if (flash_.erase_block(a) != Status::kOk) {
      return StoreStatus::kFlashError;
    }
  }
  std::size_t p = first_record(target);
  for (std::size_t i = 0; i < key_count; ++i) {
    Found f;
    std::uint16_t corrupt = 0;
    StoreStatus st = find_intact(active_, keys[i], f, corrupt);
    if (st == StoreStatus::kNotFound) {
      continue;
    }
    if (st == StoreStatus::kOk) {
      st = copy_record(f, p);
    }
    if (st != StoreStatus::kOk) {
      return st;
    }
    p += record_bytes(f.header.length);
  }
  StoreStatus st = write_record(p, h, payload);
  if (st != StoreStatus::kOk) {
    return st;
  }
  p += record_bytes(h.length);

  // The commit: until these bytes are on flash, the old bank stays in charge.
  const std::uint32_t next = has_active_ ? sequence_ + 1U : 1U;
  std::uint8_t header[kChunk];
  const std::size_t header_bytes = align_up(kBankHeaderBytes, granularity_);
  for (std::size_t i = 0; i < header_bytes; ++i) {
    header[i] = hal::kErasedByte;
  }
  encode_bank_header(next, header);
  std::uint8_t check[kChunk];
  if (flash_.program(bank_start(target), header, header_bytes) != Status::kOk ||
      flash_.read(bank_start(target), check, header_bytes) != Status::kOk) {
    return StoreStatus::kFlashError;
  }
  for (std::size_t i = 0; i < header_bytes; ++i) {
    if (check[i] != header[i]) {
      return StoreStatus::kVerifyFailed;
    }
  }
  has_active_ = true;
  active_ = target;
  sequence_ = next;
  append_ = p;
  ++compactions_;
  return StoreStatus::kOk;
}

StoreStatus SettingsStore::write(std::uint16_t key, std::uint16_t version,
                                 const std::uint8_t* payload, std::size_t length) {
  if (!mounted_) {
    return StoreStatus::kNotMounted;
  }
  if (length > kMaxPayloadBytes ||
      align_up(kBankHeaderBytes, granularity_) + record_bytes(length) > layout_.bank_bytes) {
    return StoreStatus::kTooLarge;
  }
  RecordHeader h;
  h.key = key;
  h.version = version;
  h.length = static_cast<std::uint16_t>(length);
  h.payload_crc = crc32(payload, length);
  if (has_active_ && record_bytes(length) <= bank_end(active_) - append_) {
    const StoreStatus st = write_record(append_, h, payload);
    append_ += record_bytes(length);
    if (st == StoreStatus::kOk) {
      return st;
    }
    if (st != StoreStatus::kVerifyFailed) {
      return st;
    }
    // A worn unit: the record goes to the other bank with everything else.
  }
  return compact_with(h, payload);
}

StoreState SettingsStore::state() const {
  StoreState s;
  s.has_active_bank = has_active_;
  s.active_bank = active_;
  s.sequence = sequence_;
  s.compactions = compactions_;
  if (has_active_) {
    s.used_bytes = append_ - bank_start(active_);
    s.free_bytes = layout_.bank_bytes - s.used_bytes;
  } else {
    s.free_bytes = layout_.bank_bytes;
  }
  return s;
}

}  // namespace powerstack::settings
