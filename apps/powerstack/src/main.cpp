#include <exception>
#include <iostream>

#include "powerstack/app/cli.hpp"

int main(int argc, char** argv) {
  try {
    return powerstack::app::run_cli(argc, argv, std::cout, std::cerr);
  } catch (const std::exception& e) {
    // Last line of defence: one clear line, never an abort with a stack dump.
    std::cerr << "powerstack: internal error: " << e.what() << '\n';
    return 1;
  }
}
