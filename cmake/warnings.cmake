# Warnings and sanitizers live on an INTERFACE target that only our own targets link.
add_library(rtdp_build_flags INTERFACE)
target_compile_options(rtdp_build_flags INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow -Wstrict-prototypes -Wmissing-prototypes
  -Wwrite-strings -Wformat=2 -Wvla -Wimplicit-fallthrough -Wno-format-nonliteral
  # snprintf into fixed-size message buffers truncates on purpose
  $<$<C_COMPILER_ID:GNU>:-Wno-format-truncation>)
target_compile_definitions(rtdp_build_flags INTERFACE _POSIX_C_SOURCE=200809L _DEFAULT_SOURCE)
if(RTDP_WERROR)
  target_compile_options(rtdp_build_flags INTERFACE -Werror)
endif()
if(RTDP_SANITIZE)
  target_compile_options(rtdp_build_flags INTERFACE
    -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer)
  target_link_options(rtdp_build_flags INTERFACE -fsanitize=address,undefined)
endif()
