#include "avr_chain.hpp"

#include <avr_adc.h>
#include <avr_eeprom.h>
#include <avr_ioport.h>
#include <sim_avr.h>
#include <sim_elf.h>
#include <sim_io.h>
#include <sim_irq.h>

#include <algorithm>
#include <cstdlib>
#include <stdexcept>

namespace powerstack::avr_sim {

namespace {

// ATtiny85 data-space addresses (I/O address + 0x20).
constexpr uint16_t kPortB = 0x38;
constexpr uint16_t kMcucr = 0x55;
constexpr uint16_t kOsccal = 0x51;
constexpr uint16_t kRamStart = 0x60;
constexpr uint8_t kTxPin = 1;
constexpr uint8_t kRxPin = 3;
constexpr uint8_t kBleedPin = 2;
constexpr uint8_t kPaint = 0xA5;
constexpr uint64_t kSliceCycles = 2000;  // master's reaction granularity (2 ms)

}  // namespace

uint16_t emulated_adc_counts(uint32_t mv, uint32_t reference_mv) {
  const uint32_t counts = mv * 0x3FFU / reference_mv;
  return static_cast<uint16_t>(std::min<uint32_t>(counts, 0x3FFU));
}

struct AvrChain::Module {
  AvrChain* chain = nullptr;
  int index = 0;
  avr_t* avr = nullptr;
  avr_irq_t* rx_irq = nullptr;
  std::deque<Edge> rx_edges;  // edges still to put on RX
  bool rx_armed = false;
  bool tx_level = false;
  bool bleed_level = false;
  std::vector<Edge> bleed;
  uint64_t sleep[kSleepModes] = {};
  int resets = 0;
};

namespace {

avr_cycle_count_t deliver_rx(avr_t* avr, avr_cycle_count_t /*when*/, void* param) {
  auto* m = static_cast<AvrChain::Module*>(param);
  while (!m->rx_edges.empty() && m->rx_edges.front().cycle <= avr->cycle) {
    avr_raise_irq(m->rx_irq, m->rx_edges.front().high ? 1U : 0U);
    m->rx_edges.pop_front();
  }
  if (m->rx_edges.empty()) {
    m->rx_armed = false;
    return 0;
  }
  return m->rx_edges.front().cycle;
}

avr_cycle_count_t end_of_slice(avr_t* /*avr*/, avr_cycle_count_t /*when*/, void* /*param*/) {
  return 0;  // only bounds how far a sleeping core may jump
}

void count_sleep(avr_t* avr, avr_cycle_count_t how_long) {
  auto* m = static_cast<AvrChain::Module*>(avr->custom.data);
  const auto mode = static_cast<int>((avr->data[kMcucr] >> 3U) & 3U);  // SM1:0
  m->sleep[mode] += how_long + 1;  // simavr then advances the cycle count by as much
}

void on_bleed_notify(avr_irq_t* /*irq*/, uint32_t value, void* param) {
  auto* m = static_cast<AvrChain::Module*>(param);
  const bool high = value != 0U;
  if (high != m->bleed_level) {
    m->bleed_level = high;
    m->bleed.push_back({m->avr->cycle, high});
  }
}

}  // namespace

void on_tx_notify(avr_irq_t* /*irq*/, uint32_t value, void* param) {
  auto* m = static_cast<AvrChain::Module*>(param);
  const bool high = value != 0U;
  if (high != m->tx_level) {
    m->tx_level = high;
    m->chain->on_tx_edge(m->index, m->avr->cycle, high);
  }
}

namespace {

// The buffers elf_read_firmware() allocates (C, malloc); avr_load_firmware() copies what it
// needs.
// NOLINTBEGIN(cppcoreguidelines-no-malloc): freeing a C library's allocations
struct LoadedFirmware {
  elf_firmware_t elf{};
  LoadedFirmware() = default;
  LoadedFirmware(const LoadedFirmware&) = delete;
  LoadedFirmware& operator=(const LoadedFirmware&) = delete;
  ~LoadedFirmware() {
    for (uint32_t i = 0; elf.symbol != nullptr && i < elf.symbolcount; ++i) {
      std::free(elf.symbol[i]);
    }
    std::free(elf.symbol);
    std::free(elf.flash);
    std::free(elf.eeprom);
    std::free(elf.fuse);
    std::free(elf.lockbits);
  }
};
// NOLINTEND(cppcoreguidelines-no-malloc)

}  // namespace

AvrChain::AvrChain(const std::string& elf_path, const std::vector<ModuleSetup>& modules) {
  LoadedFirmware loaded;
  elf_firmware_t& firmware = loaded.elf;
  if (elf_read_firmware(elf_path.c_str(), &firmware) != 0) {
    throw std::runtime_error("cannot load the module image " + elf_path);
  }
  static_ram_ = firmware.datasize + firmware.bsssize;
  for (size_t i = 0; i < modules.size(); ++i) {
    auto m = std::make_unique<Module>();
    m->chain = this;
    m->index = static_cast<int>(i);
    m->avr = avr_make_mcu_by_name("attiny85");
    if (m->avr == nullptr || avr_init(m->avr) != 0) {
      throw std::runtime_error("simavr has no attiny85 core");
    }
    avr_t* avr = m->avr;
    avr->log = LOG_ERROR;
    avr->frequency = static_cast<uint32_t>(kCpuHz);
    avr_load_firmware(avr, &firmware);
    avr->frequency = static_cast<uint32_t>(kCpuHz);
    avr->vcc = 3300;
    avr->avcc = kAdcReferenceMv;  // simavr's reading of REFS = 001 (see the header)
    avr->aref = kAdcReferenceMv;
    avr->custom.data = m.get();
    avr->sleep = count_sleep;
    avr->data[kOsccal] = kFactoryOsccal;
    for (uint16_t a = kRamStart; a <= avr->ramend; ++a) {
      avr->data[a] = kPaint;
    }
    avr_eeprom_desc_t ee{};
    std::array<uint8_t, 8> bytes = modules[i].eeprom;
    ee.ee = bytes.data();
    ee.offset = 0;
    ee.size = bytes.size();
    avr_ioctl(avr, AVR_IOCTL_EEPROM_SET, &ee);
    m->rx_irq = avr_io_getirq(avr, AVR_IOCTL_IOPORT_GETIRQ('B'), kRxPin);
    avr_irq_register_notify(avr_io_getirq(avr, AVR_IOCTL_IOPORT_GETIRQ('B'), kTxPin), on_tx_notify,
                            m.get());
    avr_irq_register_notify(avr_io_getirq(avr, AVR_IOCTL_IOPORT_GETIRQ('B'), kBleedPin),
                            on_bleed_notify, m.get());
    modules_.push_back(std::move(m));
    lines_.emplace_back();
    set_cell_mv(static_cast<int>(i), modules[i].cell_mv);
    set_temperature_mv(static_cast<int>(i), modules[i].temperature_mv);
  }
}

AvrChain::~AvrChain() {
  for (auto& m : modules_) {
    avr_terminate(m->avr);
    // Allocated (malloc) by avr_make_mcu_by_name(); avr_terminate() keeps it.
    std::free(m->avr);  // NOLINT(cppcoreguidelines-no-malloc)
  }
}

void AvrChain::set_cell_mv(int module, uint32_t mv) {
  avr_t* avr = modules_.at(module)->avr;
  avr_raise_irq(avr_io_getirq(avr, AVR_IOCTL_ADC_GETIRQ, ADC_IRQ_ADC2), mv / 2U);
}

void AvrChain::set_temperature_mv(int module, uint32_t mv) {
  avr_t* avr = modules_.at(module)->avr;
  avr_raise_irq(avr_io_getirq(avr, AVR_IOCTL_ADC_GETIRQ, ADC_IRQ_TEMP), mv);
}

void AvrChain::send(const std::vector<uint8_t>& bytes) {
  std::vector<Edge> edges;
  uint64_t t = std::max(now_, tx_end_);
  for (uint8_t b : bytes) {
    t = encode_byte(b, t, edges);
  }
  tx_end_ = t;
  send_edges(edges);
}

void AvrChain::send_edges(const std::vector<Edge>& edges) {
  Module& first = *modules_.front();
  for (const Edge& e : edges) {
    first.rx_edges.push_back(e);
    tx_end_ = std::max(tx_end_, e.cycle);
  }
}

std::vector<UartDecoder::Byte> AvrChain::take_received() {
  std::vector<UartDecoder::Byte> out;
  out.swap(decoder_.bytes());
  return out;
}

void AvrChain::on_tx_edge(int index, uint64_t cycle, bool high) {
  lines_[static_cast<size_t>(index)].add_edge({cycle, high});
  if (index + 1 < size()) {
    modules_[index + 1]->rx_edges.push_back({cycle, high});
  } else {
    decoder_.add_edge({cycle, high});
  }
}

void AvrChain::run_module(Module& m, uint64_t target) {
  avr_t* avr = m.avr;
  const auto arm = [&] {
    avr_cycle_timer_register(avr, target > avr->cycle ? target - avr->cycle : 0, end_of_slice,
                             nullptr);
    if (!m.rx_armed && !m.rx_edges.empty()) {
      const uint64_t at = m.rx_edges.front().cycle;
      avr_cycle_timer_register(avr, at > avr->cycle ? at - avr->cycle : 0, deliver_rx, &m);
      m.rx_armed = true;
    }
  };
  arm();
  while (avr->cycle < target) {
    const int state = avr_run(avr);
    if (state == cpu_Done || state == cpu_Crashed) {
      throw std::runtime_error("module " + std::to_string(m.index + 1) + " stopped (state " +
                               std::to_string(state) + ")");
    }
    if (avr->pc == 0 && avr->cycle > 0) {  // reset (watchdog): simavr dropped the timers
      ++m.resets;
      m.rx_armed = false;
      arm();
    }
    if (!m.rx_armed && !m.rx_edges.empty()) {
      arm();
    }
  }
}

void AvrChain::run_cycles(uint64_t cycles) {
  const uint64_t end = now_ + cycles;
  while (now_ < end) {
    const uint64_t target = std::min(end, now_ + kSliceCycles);
    for (auto& m : modules_) {
      run_module(*m, target);
    }
    now_ = target;
    decoder_.advance(now_);
    for (auto& line : lines_) {
      line.advance(now_);
    }
  }
}

std::vector<UartDecoder::Byte> AvrChain::take_line(int module) {
  std::vector<UartDecoder::Byte> out;
  out.swap(lines_.at(static_cast<size_t>(module)).bytes());
  return out;
}

bool AvrChain::bleed_on(int module) const {
  return (modules_.at(module)->avr->data[kPortB] & (1U << kBleedPin)) != 0U;
}

const std::vector<Edge>& AvrChain::bleed_edges(int module) const {
  return modules_.at(module)->bleed;
}

uint8_t AvrChain::eeprom_byte(int module, uint16_t address) const {
  uint8_t value = 0;
  avr_eeprom_desc_t ee{};
  ee.ee = &value;
  ee.offset = address;
  ee.size = 1;
  avr_ioctl(modules_.at(module)->avr, AVR_IOCTL_EEPROM_GET, &ee);
  return value;
}

uint8_t AvrChain::osccal(int module) const {
  return modules_.at(module)->avr->data[kOsccal];
}

uint64_t AvrChain::sleep_cycles(int module, SleepMode mode) const {
  return modules_.at(module)->sleep[mode];
}

int AvrChain::resets(int module) const {
  return modules_.at(module)->resets;
}

unsigned AvrChain::stack_bytes(int module) const {
  const avr_t* avr = modules_.at(module)->avr;
  unsigned a = kRamStart + static_ram_;
  while (a <= avr->ramend && avr->data[a] == kPaint) {
    ++a;
  }
  return avr->ramend + 1U - a;
}

}  // namespace powerstack::avr_sim
