#!/usr/bin/env bash
# The balancer protocol and module logic must build for the ATtiny85 (avr-g++, C++14, no
# C++ standard library): compiles each core/src/balancer/*.cpp with the module image's flags
# and prints the flash and RAM the objects take. Fails on any warning.
set -euo pipefail
if ! command -v avr-g++ >/dev/null; then
  echo "avr-g++ not found: run scripts/setup (Debian packages gcc-avr avr-libc)"; exit 1
fi
src_dir="$1"
work="$2"
rm -rf "$work" && mkdir -p "$work"
flags=(-std=c++14 -mmcu=attiny85 -Os -fno-exceptions -fno-rtti -ffunction-sections
       -fdata-sections -Wall -Wextra -Wpedantic -Wshadow -Werror -I"$src_dir/core/include")
objs=()
for f in "$src_dir"/core/src/balancer/*.cpp; do
  o="$work/$(basename "${f%.cpp}").o"
  avr-g++ "${flags[@]}" -c "$f" -o "$o"
  objs+=("$o")
done
echo "compiled ${#objs[@]} balancer sources for the ATtiny85"
avr-size -t "${objs[@]}" | tail -n 1 | awk '{printf "balancer objects: text %d B, data %d B, bss %d B\n", $1, $2, $3}'
