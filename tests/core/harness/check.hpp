// A minimal test harness for the core's unit tests, so the same test cases build for the host
// and for a bare-metal Cortex-M3 (no exceptions, no heap, no threads: GoogleTest cannot run
// there). Tests register themselves at static-initialisation time in an intrusive list.
#pragma once

#include <cmath>
#include <cstdio>

namespace ps_test {

using TestFn = void (*)();

struct TestCase {
  const char* name;
  TestFn fn;
  TestCase* next;
};

// Registration and results, defined in harness/runner.cpp.
void register_test(TestCase* test);
void report_failure(const char* file, int line, const char* what);
void report_near_failure(const char* file, int line, const char* expr, double actual,
                         double expected, double tolerance);
bool current_test_failed();
int run_all(const char* filter);

struct Registrar {
  explicit Registrar(TestCase* test) { register_test(test); }
};

inline bool near(double actual, double expected, double tolerance) {
  return std::fabs(actual - expected) <= tolerance;
}

}  // namespace ps_test

#define PS_TEST(name)                                                               \
  static void ps_test_fn_##name();                                                  \
  static ps_test::TestCase ps_test_case_##name{#name, &ps_test_fn_##name, nullptr}; \
  static const ps_test::Registrar ps_test_reg_##name{&ps_test_case_##name};         \
  static void ps_test_fn_##name()

// Records a failure and leaves the test (later checks would only cascade).
#define PS_CHECK(cond)                                    \
  do {                                                    \
    if (!(cond)) {                                        \
      ps_test::report_failure(__FILE__, __LINE__, #cond); \
      return;                                             \
    }                                                     \
  } while (0)

#define PS_CHECK_NEAR(actual, expected, tolerance)                                 \
  do {                                                                             \
    const double ps_a = static_cast<double>(actual);                               \
    const double ps_e = static_cast<double>(expected);                             \
    const double ps_t = static_cast<double>(tolerance);                            \
    if (!ps_test::near(ps_a, ps_e, ps_t)) {                                        \
      ps_test::report_near_failure(__FILE__, __LINE__, #actual, ps_a, ps_e, ps_t); \
      return;                                                                      \
    }                                                                              \
  } while (0)
