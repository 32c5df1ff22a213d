// Zero-heap proof and callgrind driver for the charge controller's tick.
//
// Global operator new/delete and malloc/calloc/realloc are replaced: while `g_armed` is set
// any allocation is counted. The program builds every tracker of the bank into a
// ChargeController, runs each through start-up, MPPT, a current limit, CV, a comparator trip
// and a cold inhibit on the quasi-static test plant, and fails (exit 1) if a tick allocated.
// A positive control first checks that the counter sees an allocation at all.
//
//   charger_tick_check [ticks_per_tracker]      (default 20000)
// Instructions per tick (docs/charger.md):
//   valgrind --tool=callgrind --collect-atstart=no
//     --toggle-collect='powerstack::charger::ChargeController::step*'
//     build/release/tests/charger_tick_check 20000   (one command line)
#include <cstdio>
#include <cstdlib>
#include <new>

#include "charger_test_plant.hpp"
#include "powerstack/charger/charge_controller.hpp"
#include "powerstack/mppt/tracker_bank.hpp"

extern "C" void* __libc_malloc(std::size_t size);  // NOLINT(bugprone-reserved-identifier)
extern "C" void* __libc_calloc(std::size_t n, std::size_t size);
extern "C" void* __libc_realloc(void* p, std::size_t size);
extern "C" void __libc_free(void* p);

namespace {
volatile bool g_armed = false;
volatile long g_allocations = 0;
void note() {
  if (g_armed) {
    g_allocations = g_allocations + 1;
  }
}
}  // namespace

extern "C" void* malloc(std::size_t size) {
  note();
  return __libc_malloc(size);
}
extern "C" void* calloc(std::size_t n, std::size_t size) {
  note();
  return __libc_calloc(n, size);
}
extern "C" void* realloc(void* p, std::size_t size) {
  note();
  return __libc_realloc(p, size);
}
extern "C" void free(void* p) {
  __libc_free(p);
}
void* operator new(std::size_t size) {
  note();
  void* p = __libc_malloc(size == 0 ? 1 : size);
  if (p == nullptr) {
    std::abort();
  }
  return p;
}
void* operator new[](std::size_t size) {
  return operator new(size);
}
void operator delete(void* p) noexcept {
  __libc_free(p);
}
void operator delete[](void* p) noexcept {
  __libc_free(p);
}
void operator delete(void* p, std::size_t /*size*/) noexcept {
  __libc_free(p);
}
void operator delete[](void* p, std::size_t /*size*/) noexcept {
  __libc_free(p);
}

int main(int argc, char** argv) {
  const long ticks = argc > 1 ? std::strtol(argv[1], nullptr, 10) : 20000;
  // Positive control: the guard must see an allocation.
  g_armed = true;
  int* probe = new int(1);
  g_armed = false;
  delete probe;
  if (g_allocations != 1) {
    std::printf("allocation guard does not work (%ld)\n", static_cast<long>(g_allocations));
    return 1;
  }
  g_allocations = 0;

  powerstack::mppt::TrackerBank bank;
  powerstack::charger::ChargeControllerConfig cfg;
  cfg.profile = &powerstack::charger::lifepo4_profile();
  cfg.i_out_max_a = 12.0f;
  long total_ticks = 0;
  for (int k = 0; k < powerstack::mppt::TrackerBank::kCount; ++k) {
    powerstack::charger::ChargeController controller(*bank.at(k), cfg);
    ps_test::TestChargerPlant plant;
    plant.panel.isc_a = 14.0f;
    plant.apply({});
    g_armed = true;
    for (long n = 0; n < ticks; ++n) {
      // Phases: tracking / current limit, a voltage near CV, a comparator latch, cold.
      const long phase = (n * 4) / ticks;
      plant.v_oc_v = phase == 1 ? 28.3f : 26.0f;
      plant.t_c = phase == 3 ? -5.0f : 25.0f;
      const powerstack::control::Actuation a = controller.step(plant.m, 0.01f);
      plant.apply(a);
      plant.m.v_bat_trip_latched = phase == 2 && (n % 500) == 0;
      ++total_ticks;
    }
    g_armed = false;
  }
  std::printf("%ld ticks over %d trackers, %ld heap allocations during ticks\n", total_ticks,
              powerstack::mppt::TrackerBank::kCount, static_cast<long>(g_allocations));
  return g_allocations == 0 ? 0 : 1;
}
