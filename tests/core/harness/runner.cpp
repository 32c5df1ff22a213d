#include <cstdio>
#include <cstring>

#include "check.hpp"

namespace ps_test {

namespace {
TestCase* g_head = nullptr;
TestCase* g_tail = nullptr;
bool g_failed = false;
}  // namespace

void register_test(TestCase* test) {
  // Keep registration order (file order) so output is stable across builds.
  if (g_tail == nullptr) {
    g_head = test;
  } else {
    g_tail->next = test;
  }
  g_tail = test;
}

void report_failure(const char* file, int line, const char* what) {
  g_failed = true;
  std::printf("  %s:%d: check failed: %s\n", file, line, what);
}

void report_near_failure(const char* file, int line, const char* expr, double actual,
                         double expected, double tolerance) {
  g_failed = true;
  std::printf("  %s:%d: %s = %.9g, expected %.9g +- %.3g\n", file, line, expr, actual, expected,
              tolerance);
}

bool current_test_failed() {
  return g_failed;
}

int run_all(const char* filter) {
  int passed = 0;
  int failed = 0;
  for (TestCase* t = g_head; t != nullptr; t = t->next) {
    if (filter != nullptr && std::strstr(t->name, filter) == nullptr) {
      continue;
    }
    g_failed = false;
    t->fn();
    if (g_failed) {
      ++failed;
      std::printf("FAIL %s\n", t->name);
    } else {
      ++passed;
      std::printf("ok   %s\n", t->name);
    }
  }
  std::printf("%d passed, %d failed\n", passed, failed);
  return failed == 0 && passed > 0 ? 0 : 1;
}

}  // namespace ps_test
