// Power loss during settings writes, enumerated (littlefs-style): a script of writes that
// compacts several times is run once to count its byte operations (every byte programmed or
// erased), then again from the same start for every cut point k, the supply failing after
// byte k. After each cut the flash is remounted ("reboot") and must hold, for the key being
// written, exactly the old or the new value, every other key unchanged, and the store must
// go on working (more writes, another compaction, a further reboot).
#include <cstdint>
#include <cstdio>
#include <cstring>

#include "harness/check.hpp"
#include "powerstack/settings/charger_settings_record.hpp"
#include "test_settings_rig.hpp"

namespace {

using namespace settings_test;
using ps::StoreStatus;

// The script: key 2 once (a long record), then key 1 with values 1..kWrites. With 256-byte
// banks this compacts 3 to 5 times, depending on the write granularity (checked below).
constexpr std::uint32_t kWrites = 24;
constexpr std::size_t kLen1 = 21;
constexpr std::size_t kLen2 = 45;

// Runs the script until it fails; returns how many writes completed.
std::uint32_t run_script(Rig& r, std::uint64_t* ops_after = nullptr) {
  if (r.store.mount() != StoreStatus::kOk) {
    return 0;
  }
  if (write_value(r.store, 2, 9999, kLen2) != StoreStatus::kOk) {
    return 0;
  }
  if (ops_after != nullptr) {
    ops_after[0] = r.flash.byte_ops();
  }
  for (std::uint32_t v = 1; v <= kWrites; ++v) {
    if (write_value(r.store, 1, v, kLen1) != StoreStatus::kOk) {
      return v;  // writes 0 (key 2) .. v - 1 done
    }
    if (ops_after != nullptr) {
      ops_after[v] = r.flash.byte_ops();
    }
  }
  return kWrites + 1;
}

struct CutCounts {
  std::uint32_t points = 0;
  std::uint32_t old_value = 0;
  std::uint32_t new_value = 0;
  std::uint32_t bad = 0;
};

// Every cut point of the script for one write granularity.
void exhaustive(std::size_t granularity, bool torn, CutCounts& counts) {
  Rig reference(granularity);
  std::uint64_t ops_after[kWrites + 1] = {};
  PS_CHECK(run_script(reference, ops_after) == kWrites + 1);
  PS_CHECK(reference.store.state().sequence >= 4);  // at least 3 compactions in the script
  PS_CHECK(reference.flash.units_reprogrammed() == 0);
  const std::uint64_t total = ops_after[kWrites];
  for (std::uint64_t k = 0; k < total; ++k) {
    Rig r(granularity);
    r.flash.set_torn_bits(torn, k + 1);
    r.flash.schedule_power_cut(k);
    const std::uint32_t done = run_script(r);
    PS_CHECK(done <= kWrites);  // the cut hit a write
    PS_CHECK(!r.flash.powered());
    ++counts.points;

    Rig boot(r, granularity);  // power back: the image as the cut left it
    PS_CHECK(boot.store.mount() == StoreStatus::kOk);
    // Write `done` was in progress: 0 is key 2, v >= 1 is key 1's value v.
    if (done == 0) {
      const bool had = holds_value(boot.store, 2, 9999, kLen2);
      std::uint8_t buf[64];
      ps::ReadInfo info;
      PS_CHECK(had || boot.store.read(2, buf, sizeof buf, info) == StoreStatus::kNotFound);
    } else {
      PS_CHECK(holds_value(boot.store, 2, 9999, kLen2));
      const bool is_new = holds_value(boot.store, 1, done, kLen1);
      const bool is_old = done > 1 && holds_value(boot.store, 1, done - 1, kLen1);
      if (done == 1 && !is_new) {
        std::uint8_t buf[64];
        ps::ReadInfo info;
        PS_CHECK(boot.store.read(1, buf, sizeof buf, info) == StoreStatus::kNotFound);
      } else if (!is_new && !is_old) {
        ++counts.bad;
        std::printf("  cut after byte %llu (write %u, granularity %u): neither old nor new\n",
                    static_cast<unsigned long long>(k), static_cast<unsigned>(done),
                    static_cast<unsigned>(granularity));
        PS_CHECK(false);
      }
      counts.new_value += is_new ? 1U : 0U;
      counts.old_value += is_old ? 1U : 0U;
    }
    // The store goes on: enough writes for two more compactions, read back each time.
    for (std::uint32_t v = 1000; v < 1012; ++v) {
      PS_CHECK(write_value(boot.store, 1, v, kLen1) == StoreStatus::kOk);
      PS_CHECK(holds_value(boot.store, 1, v, kLen1));
    }
    PS_CHECK(boot.store.state().compactions >= 2);
    Rig again(boot, granularity);
    PS_CHECK(again.store.mount() == StoreStatus::kOk);
    PS_CHECK(holds_value(again.store, 1, 1011, kLen1));
    PS_CHECK(done == 0 || holds_value(again.store, 2, 9999, kLen2));
  }
}

PS_TEST(settings_power_cut_at_every_byte_leaves_old_or_new) {
  CutCounts counts;
#ifdef PS_LONG_TESTS
  const std::size_t granularities[] = {1, 4, 8, 16};
#else
  const std::size_t granularities[] = {4};  // the Cortex-M3 run: one granularity
#endif
  for (std::size_t g : granularities) {
    exhaustive(g, false, counts);
    if (ps_test::current_test_failed()) {
      return;
    }
  }
  std::printf("  power cuts: %u points, old value %u, new value %u, neither %u\n",
              static_cast<unsigned>(counts.points), static_cast<unsigned>(counts.old_value),
              static_cast<unsigned>(counts.new_value), static_cast<unsigned>(counts.bad));
  PS_CHECK(counts.bad == 0);
  PS_CHECK(counts.old_value > 0 && counts.new_value > 0);
}

PS_TEST(settings_power_cut_with_torn_bits_leaves_old_or_new) {
  CutCounts counts;
  exhaustive(8, true, counts);
  std::printf("  torn-bit power cuts: %u points, old value %u, new value %u, neither %u\n",
              static_cast<unsigned>(counts.points), static_cast<unsigned>(counts.old_value),
              static_cast<unsigned>(counts.new_value), static_cast<unsigned>(counts.bad));
  PS_CHECK(counts.bad == 0);
}

// The migration's write-back, cut at every byte: the settings read after the reboot are the
// migrated ones either way (from the v1 record again, or from the v2 record).
PS_TEST(settings_power_cut_during_migration_keeps_the_settings) {
  ps::ChargerSettings v1 = ps::default_charger_settings(ps::Chemistry::kLiFePO4, 4);
  v1.v_absorb_cell_v = 3.6f;
  std::uint8_t payload[ps::kChargerSettingsV1Bytes];
  const std::size_t n = ps::encode_charger_settings_v1(v1, payload);
  Rig seeded;
  PS_CHECK(seeded.store.mount() == StoreStatus::kOk);
  PS_CHECK(seeded.store.write(ps::kChargerSettingsKey, 1, payload, n) == StoreStatus::kOk);
  // Fill the bank so that the migrated record (68 bytes) no longer fits: its write compacts.
  std::uint32_t last = 0;
  while (seeded.store.state().free_bytes >= 16 + ps::kChargerSettingsV2Bytes) {
    PS_CHECK(write_value(seeded.store, 5, ++last, 40) == StoreStatus::kOk);
  }

  ps::ChargerSettings expected;
  std::uint64_t total = 0;
  {
    Rig r(seeded, 4);
    PS_CHECK(r.store.mount() == StoreStatus::kOk);
    const std::uint64_t before = r.flash.byte_ops();
    const ps::ChargerSettingsLoad load = ps::load_charger_settings(r.store, expected);
    PS_CHECK(load.ok() && load.migrated && load.migrated_write == StoreStatus::kOk);
    total = r.flash.byte_ops() - before;
    PS_CHECK(r.store.state().compactions == 1);  // the write-back compacted
  }
  for (std::uint64_t k = 0; k < total; ++k) {
    Rig r(seeded, 4);
    PS_CHECK(r.store.mount() == StoreStatus::kOk);
    r.flash.schedule_power_cut(k);
    ps::ChargerSettings got;
    (void)ps::load_charger_settings(r.store, got);
    Rig boot(r, 4);
    PS_CHECK(boot.store.mount() == StoreStatus::kOk);
    ps::ChargerSettings after;
    const ps::ChargerSettingsLoad load = ps::load_charger_settings(boot.store, after);
    PS_CHECK(load.ok());
    PS_CHECK(load.stored_version == 1 || load.stored_version == 2);
    std::uint8_t a[ps::kChargerSettingsV2Bytes];
    std::uint8_t b[ps::kChargerSettingsV2Bytes];
    ps::encode_charger_settings(expected, a);
    ps::encode_charger_settings(after, b);
    PS_CHECK(std::memcmp(a, b, sizeof a) == 0);
    PS_CHECK(holds_value(boot.store, 5, last, 40));
  }
}

}  // namespace
