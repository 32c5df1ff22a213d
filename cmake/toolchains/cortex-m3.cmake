# Bare-metal Cortex-M3 with arm-none-eabi-gcc and picolibc (Debian: gcc-arm-none-eabi,
# libstdc++-arm-none-eabi-picolibc). Programs link for QEMU's mps2-an385 board and talk to
# the host through semihosting, so main()'s return value becomes QEMU's exit status.
set(CMAKE_SYSTEM_NAME Generic)
set(CMAKE_SYSTEM_PROCESSOR cortex-m3)
set(CMAKE_CXX_COMPILER arm-none-eabi-g++)
set(CMAKE_C_COMPILER arm-none-eabi-gcc)
set(CMAKE_TRY_COMPILE_TARGET_TYPE STATIC_LIBRARY)

set(POWERSTACK_ARM_FLAGS "-mcpu=cortex-m3 -mthumb -specs=picolibcpp.specs -fno-exceptions -fno-rtti -ffunction-sections -fdata-sections")
set(CMAKE_CXX_FLAGS_INIT "${POWERSTACK_ARM_FLAGS}")
set(CMAKE_EXE_LINKER_FLAGS_INIT
  "--oslib=semihost --crt0=semihost -T picolibcpp.ld -Wl,--gc-sections \
-Wl,--defsym=__flash=0x0 -Wl,--defsym=__flash_size=0x400000 \
-Wl,--defsym=__ram=0x20000000 -Wl,--defsym=__ram_size=0x400000 -Wl,--defsym=__stack_size=0x8000")

find_program(POWERSTACK_QEMU_ARM qemu-system-arm REQUIRED)
find_program(POWERSTACK_ARM_SIZE arm-none-eabi-size REQUIRED)
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
