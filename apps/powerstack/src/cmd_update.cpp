// `powerstack update keygen|sign|verify|install|boot|confirm|status`: signed update packages
// (docs/updates.md). install/boot/confirm/status act on an emulated device flash in a file
// (A/B slots and the boot state), to show the install, trial boots and rollback.
#include <fmt/format.h>
#include <fmt/ostream.h>

#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "powerstack/app/command.hpp"
#include "powerstack/app/update_package.hpp"
#include "powerstack/settings/settings_store.hpp"
#include "powerstack/update/ab_slots.hpp"
#include "sim/flash/file_flash.hpp"

namespace powerstack::app {

namespace {

// The emulated device: 4 KiB erase blocks, 4-byte writes; the boot state in two 4 KiB banks,
// then two 256 KiB slots.
constexpr hal::NvGeometry kDeviceFlash{8192 + 2 * 262144, 4096, 4};
constexpr settings::StoreLayout kBootStore{0, 4096};
constexpr update::SlotLayout kDeviceSlots{{8192, 8192 + 262144}, 262144};
constexpr std::uint8_t kMaxTrialBoots = 3;
constexpr const char* kDefaultBoard = "powerstack-twin";

struct Args {
  std::string secret_path;
  std::string public_path;
  std::string image_path;
  std::string package_path;
  std::string output_path;
  std::string board = kDefaultBoard;
  std::string version;
  std::string flash_path;
  bool force = false;
};

std::string version_text(std::uint32_t v) {
  char text[16];
  update::format_version(v, text);
  return text;
}

int fail(std::ostream& err, const std::string& what) {
  err << "powerstack update: " << what << '\n';
  return 1;
}

int keygen(const Args& a, CommandIo io) {
  std::string error;
  if (!update_crypto_ready(error)) {
    return fail(io.err, error);
  }
  const UpdateKeyPair keys = generate_update_keys();
  if (!write_update_keys(a.secret_path, a.public_path, keys, a.force, error)) {
    return fail(io.err, error);
  }
  fmt::print(io.out, "secret key: {} (keep it private)\npublic key: {}\nkey id: {:08x}\n",
             a.secret_path, a.public_path, update_key_id(keys.public_key));
  return 0;
}

int sign(const Args& a, CommandIo io) {
  std::string error;
  if (!update_crypto_ready(error)) {
    return fail(io.err, error);
  }
  std::uint32_t version = 0;
  if (!update::parse_version(a.version.c_str(), version)) {
    return fail(io.err, "--version '" + a.version +
                            "' is not MAJOR.MINOR.PATCH (0..255, 0..255, 0..65535)");
  }
  const auto seed = read_update_secret_key(a.secret_path, error);
  if (!seed) {
    return fail(io.err, error);
  }
  const auto image = read_binary_file(a.image_path, error);
  if (!image) {
    return fail(io.err, error);
  }
  const auto pkg = sign_update_package(*image, a.board, version, *seed, error);
  if (!pkg || !write_binary_file(a.output_path, *pkg, error)) {
    return fail(io.err, error);
  }
  fmt::print(io.out, "{}: version {} for board {}, image {} bytes, key id {:08x}\n", a.output_path,
             a.version, a.board, image->size(), update_key_id(public_key_of(*seed)));
  return 0;
}

// The public key and the package file, for verify and install.
bool read_key_and_package(const Args& a, std::optional<UpdatePublicKey>& key,
                          std::optional<std::vector<std::uint8_t>>& pkg, std::string& error) {
  if (!update_crypto_ready(error)) {
    return false;
  }
  key = read_update_public_key(a.public_path, error);
  if (key) {
    pkg = read_binary_file(a.package_path, error);
  }
  return key && pkg;
}

int verify(const Args& a, CommandIo io) {
  std::string error;
  std::optional<UpdatePublicKey> key;
  std::optional<std::vector<std::uint8_t>> pkg;
  if (!read_key_and_package(a, key, pkg, error)) {
    return fail(io.err, error);
  }
  const PackageCheck check = verify_update_package(*pkg, *key);
  if (!check.ok) {
    return fail(io.err, "'" + a.package_path + "' refused: " + check.error);
  }
  fmt::print(io.out, "{}: signature ok; version {}, board {}, image {} bytes\n", a.package_path,
             version_text(check.header.version), check.header.board, check.header.image_bytes);
  return 0;
}

// The emulated device's flash, boot-state store and slots.
struct Device {
  std::unique_ptr<sim::FileFlash> flash;
  std::unique_ptr<settings::SettingsStore> store;
  std::unique_ptr<update::UpdateSlots> slots;
};

// Only install creates a missing flash file (a factory-fresh part).
bool open_device(const Args& a, Device& d, std::string& error, bool create = false) {
  d.flash = sim::FileFlash::open(
      a.flash_path, kDeviceFlash,
      create ? sim::FileFlash::Mode::kCreateIfMissing : sim::FileFlash::Mode::kOpenExisting, error);
  if (!d.flash) {
    return false;
  }
  d.store = std::make_unique<settings::SettingsStore>(*d.flash, kBootStore);
  const settings::StoreStatus st = d.store->mount();
  if (st != settings::StoreStatus::kOk) {
    error = std::string("boot state store: ") + settings::to_string(st);
    return false;
  }
  d.slots = std::make_unique<update::UpdateSlots>(*d.flash, *d.store, kDeviceSlots, a.board.c_str(),
                                                  kMaxTrialBoots);
  const update::UpdateError e = d.slots->load();
  if (e != update::UpdateError::kOk) {
    error = std::string("boot state: ") + update::to_string(e);
    return false;
  }
  return true;
}

void print_state(const update::BootState& s, std::ostream& out) {
  for (std::uint8_t i = 0; i < 2; ++i) {
    const update::SlotInfo& info = s.slot[i];
    fmt::print(out, "slot {}: {}{}{}\n", i == 0 ? 'A' : 'B',
               info.valid ? "version " + version_text(info.version) + ", " +
                                std::to_string(info.image_bytes) + " bytes"
                          : std::string("empty"),
               s.active == i ? ", active" : "",
               s.pending == i ? fmt::format(", pending ({} of {} trial boots used)", s.attempts,
                                            kMaxTrialBoots)
                              : std::string());
  }
}

int install(const Args& a, CommandIo io) {
  std::string error;
  std::optional<UpdatePublicKey> key;
  std::optional<std::vector<std::uint8_t>> pkg;
  if (!read_key_and_package(a, key, pkg, error)) {
    return fail(io.err, error);
  }
  Device d;
  if (!open_device(a, d, error, true)) {
    return fail(io.err, error);
  }
  const SodiumVerifier verifier(*key);
  update::PackageHeader h;
  update::UpdateError e = d.slots->begin(pkg->data(), pkg->size(), verifier, a.force, h);
  if (e == update::UpdateError::kBadPackage) {
    return fail(io.err, "'" + a.package_path + "' refused: malformed package: " +
                            update::to_string(d.slots->package_error()));
  }
  if (e == update::UpdateError::kWrongBoard) {
    return fail(io.err, fmt::format("'{}' refused: it is for board '{}', this device is '{}' "
                                    "(--force to install anyway)",
                                    a.package_path, h.board, a.board));
  }
  if (e == update::UpdateError::kNotNewer) {
    return fail(io.err,
                fmt::format("'{}' refused: version {} is not newer than the installed "
                            "{} (--force to install anyway)",
                            a.package_path, version_text(h.version),
                            version_text(d.slots->state().slot[d.slots->state().active].version)));
  }
  if (e == update::UpdateError::kOk) {
    e = d.slots->write(pkg->data() + update::kPackagePrefixBytes,
                       pkg->size() - update::kPackagePrefixBytes);
  }
  if (e == update::UpdateError::kOk) {
    e = d.slots->finish();
  }
  if (e != update::UpdateError::kOk) {
    return fail(io.err, "'" + a.package_path + "' refused: " + update::to_string(e));
  }
  fmt::print(io.out,
             "installed version {} into slot {}; it boots on trial ({} boots) until it "
             "confirms\n",
             version_text(h.version), d.slots->state().pending == 0 ? 'A' : 'B', kMaxTrialBoots);
  print_state(d.slots->state(), io.out);
  return 0;
}

int boot(const Args& a, CommandIo io) {
  std::string error;
  Device d;
  if (!open_device(a, d, error)) {
    return fail(io.err, error);
  }
  update::BootDecision b;
  const update::UpdateError e = d.slots->boot(b);
  if (e != update::UpdateError::kOk) {
    return fail(io.err, std::string("boot: ") + update::to_string(e));
  }
  if (b.rolled_back) {
    fmt::print(io.out, "rollback: the new image was not confirmed after {} boots\n",
               kMaxTrialBoots);
  }
  const update::SlotInfo& info = d.slots->state().slot[b.slot];
  fmt::print(io.out, "booting slot {}: version {}{}\n", b.slot == 0 ? 'A' : 'B',
             version_text(info.version),
             b.trial ? fmt::format(" (trial boot {} of {}; run 'update confirm')", b.attempt,
                                   kMaxTrialBoots)
                     : std::string());
  return 0;
}

int confirm(const Args& a, CommandIo io) {
  std::string error;
  Device d;
  if (!open_device(a, d, error)) {
    return fail(io.err, error);
  }
  const update::UpdateError e = d.slots->confirm();
  if (e != update::UpdateError::kOk) {
    return fail(io.err, std::string("confirm: ") + update::to_string(e));
  }
  fmt::print(io.out, "confirmed: slot {} is now the active image\n",
             d.slots->state().active == 0 ? 'A' : 'B');
  return 0;
}

int status(const Args& a, CommandIo io) {
  std::string error;
  Device d;
  if (!open_device(a, d, error)) {
    return fail(io.err, error);
  }
  print_state(d.slots->state(), io.out);
  return 0;
}

}  // namespace

Command add_update_command(CLI::App& app, CommandIo io) {
  auto a = std::make_shared<Args>();
  auto* sub = app.add_subcommand("update",
                                 "Signed update packages and A/B install on an "
                                 "emulated device flash (docs/updates.md)");
  sub->require_subcommand(1);
  auto* kg = sub->add_subcommand("keygen", "Make an ed25519 key pair for signing updates");
  kg->add_option("--secret", a->secret_path, "Secret key file to write")->required();
  kg->add_option("--public", a->public_path, "Public key file to write")->required();
  kg->add_flag("--force", a->force, "Overwrite existing key files");

  auto* sg = sub->add_subcommand("sign", "Sign a firmware image into an update package");
  sg->add_option("image", a->image_path, "Firmware image (binary)")->required();
  sg->add_option("--key", a->secret_path, "Secret key file")->required();
  sg->add_option("--board", a->board, "Target board id")->required();
  sg->add_option("--version", a->version, "Image version MAJOR.MINOR.PATCH")->required();
  sg->add_option("-o,--output", a->output_path, "Package file to write")->required();

  auto* vf = sub->add_subcommand("verify", "Check a package's structure, signature and hash");
  vf->add_option("package", a->package_path, "Update package")->required();
  vf->add_option("--key", a->public_path, "Public key file")->required();

  auto* in = sub->add_subcommand("install", "Verify and install a package on the emulated flash");
  in->add_option("package", a->package_path, "Update package")->required();
  in->add_option("--key", a->public_path, "Public key file")->required();
  in->add_option("--flash", a->flash_path, "Device flash image (created if missing)")->required();
  in->add_option("--board", a->board, "This device's board id")->capture_default_str();
  in->add_flag("--force", a->force, "Install for another board or an older version");

  auto* bt = sub->add_subcommand("boot", "Run the bootloader once on the emulated flash");
  bt->add_option("--flash", a->flash_path, "Device flash image")->required();
  auto* cf = sub->add_subcommand("confirm", "The running new image confirms itself");
  cf->add_option("--flash", a->flash_path, "Device flash image")->required();
  auto* st = sub->add_subcommand("status", "Show the slots and the boot state");
  st->add_option("--flash", a->flash_path, "Device flash image")->required();

  return {sub, [a, io, kg, sg, vf, in, bt, cf, st] {
            if (kg->parsed()) {
              return keygen(*a, io);
            }
            if (sg->parsed()) {
              return sign(*a, io);
            }
            if (vf->parsed()) {
              return verify(*a, io);
            }
            if (in->parsed()) {
              return install(*a, io);
            }
            if (bt->parsed()) {
              return boot(*a, io);
            }
            if (cf->parsed()) {
              return confirm(*a, io);
            }
            return st->parsed() ? status(*a, io) : 2;
          }};
}

}  // namespace powerstack::app
