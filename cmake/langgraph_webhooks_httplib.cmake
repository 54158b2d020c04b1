# Sets LANGGRAPH_WEBHOOKS_HTTPLIB_TARGET to the target that brings cpp-httplib: its CMake
# package when there is one (upstream, vcpkg, conan), else pkg-config's cpp-httplib (all that
# Debian ships; its compiled library needs the flags of that .pc file). No version is asked
# for: cpp-httplib's own version file refuses every other minor version.
#
# LANGGRAPH_WEBHOOKS_HTTPLIB_HEADER_DIR (for this project's tests): a folder holding a
# header-only httplib.h to build against instead, such as an upstream release that is not
# installed.
if(LANGGRAPH_WEBHOOKS_HTTPLIB_HEADER_DIR AND NOT TARGET httplib::httplib)
  find_package(Threads REQUIRED)
  add_library(httplib::httplib INTERFACE IMPORTED GLOBAL)
  set_target_properties(httplib::httplib PROPERTIES
    INTERFACE_INCLUDE_DIRECTORIES "${LANGGRAPH_WEBHOOKS_HTTPLIB_HEADER_DIR}"
    INTERFACE_LINK_LIBRARIES Threads::Threads)
endif()
if(NOT TARGET httplib::httplib)
  find_package(httplib CONFIG QUIET)
endif()
if(TARGET httplib::httplib)
  set(LANGGRAPH_WEBHOOKS_HTTPLIB_TARGET httplib::httplib)
else()
  find_package(PkgConfig REQUIRED)
  if(NOT TARGET PkgConfig::LGW_CPP_HTTPLIB)
    pkg_check_modules(LGW_CPP_HTTPLIB REQUIRED IMPORTED_TARGET GLOBAL cpp-httplib)
  endif()
  set(LANGGRAPH_WEBHOOKS_HTTPLIB_TARGET PkgConfig::LGW_CPP_HTTPLIB)
endif()
