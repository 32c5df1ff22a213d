// Baseline for the footprint report: the C runtime and semihosting alone.
int main() {
  return 0;
}
