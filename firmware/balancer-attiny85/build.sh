#!/usr/bin/env bash
# Builds the balancer module image for the ATtiny85 (1 MHz internal RC) with avr-g++:
# firmware/balancer-attiny85/*.cpp and the core's balancer sources, C++14, no C++ library,
# -Os -flto -mcall-prologues. Writes balancer-attiny85.elf/.hex to OUT_DIR, prints flash and
# static RAM (avr-size) and fails when they exceed the budget of issue 6: flash <= 6144 B,
# static RAM (data + bss) <= 256 B. Usage: build.sh SOURCE_DIR OUT_DIR
set -euo pipefail
for tool in avr-g++ avr-size avr-objcopy; do
  if ! command -v "$tool" >/dev/null; then
    echo "$tool not found: run scripts/setup (Debian packages gcc-avr binutils-avr avr-libc)"; exit 1
  fi
done
src="$1"
out="$2"
mkdir -p "$out"
elf="$out/balancer-attiny85.elf"
# -mrelax, -finline-limit=8, -fno-move-loop-invariants, -fno-jump-tables: 76 B less flash
# than -Os alone (measured with avr-gcc 5.4), which the 6144 B budget needs.
flags=(-std=c++14 -mmcu=attiny85 -DF_CPU=1000000UL -Os -flto -mcall-prologues -mrelax
       -finline-limit=8 -fno-move-loop-invariants -fno-jump-tables
       -fno-exceptions -fno-rtti -fno-threadsafe-statics -ffunction-sections -fdata-sections
       -Wall -Wextra -Wpedantic -Wshadow -Werror
       -I"$src/core/include" -I"$src/core/src/balancer")
avr-g++ "${flags[@]}" -Wl,--gc-sections -o "$elf" \
  "$src"/firmware/balancer-attiny85/*.cpp "$src"/core/src/balancer/*.cpp
avr-objcopy -O ihex -R .eeprom "$elf" "$out/balancer-attiny85.hex"
read -r text data bss _ < <(avr-size "$elf" | tail -n 1)
flash=$((text + data))
ram=$((data + bss))
echo "balancer-attiny85.elf: flash $flash B of 8192 (text $text + data $data; budget 6144)," \
     "static RAM $ram B of 512 (data $data + bss $bss; budget 256), stack and free $((512 - ram)) B"
status=0
if ((flash > 6144)); then echo "FAIL: flash $flash B > 6144 B"; status=1; fi
if ((ram > 256)); then echo "FAIL: static RAM $ram B > 256 B"; status=1; fi
exit $status
