# Prints the core's flash (text + data) and static RAM (data + bss) on Cortex-M3: the
# footprint image (every measurement component in use) minus an empty program's baseline
# (C runtime, semihosting, stack reservation).
function(sizes elf flash_var ram_var)
  execute_process(COMMAND ${SIZE_TOOL} ${elf} OUTPUT_VARIABLE out RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "arm-none-eabi-size failed on ${elf}")
  endif()
  string(REGEX MATCHALL "[^\n]+" lines "${out}")
  list(GET lines -1 last)
  string(REGEX MATCH "^[ \t]*([0-9]+)[ \t]+([0-9]+)[ \t]+([0-9]+)" _ "${last}")
  math(EXPR flash "${CMAKE_MATCH_1} + ${CMAKE_MATCH_2}")
  math(EXPR ram "${CMAKE_MATCH_2} + ${CMAKE_MATCH_3}")
  set(${flash_var} ${flash} PARENT_SCOPE)
  set(${ram_var} ${ram} PARENT_SCOPE)
endfunction()
sizes(${ELF} elf_flash elf_ram)
sizes(${BASE} base_flash base_ram)
math(EXPR core_flash "${elf_flash} - ${base_flash}")
math(EXPR core_ram "${elf_ram} - ${base_ram}")
message(STATUS "cortex-m3 measurement core: flash ${core_flash} B, static RAM ${core_ram} B "
               "(image ${elf_flash}/${elf_ram} B minus empty-program baseline ${base_flash}/${base_ram} B)")
