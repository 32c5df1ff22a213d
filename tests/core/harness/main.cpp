// Entry point of the core test runner. On the host, an optional argument filters tests by
// name. Under QEMU, semihosting hands over the kernel's file name as an argument, so the
// Cortex-M image (PS_TEST_IGNORE_ARGS) always runs every test.
#include "check.hpp"

int main(int argc, char** argv) {
#ifdef PS_TEST_IGNORE_ARGS
  (void)argc;
  (void)argv;
  return ps_test::run_all(nullptr);
#else
  return ps_test::run_all(argc > 1 ? argv[1] : nullptr);
#endif
}
