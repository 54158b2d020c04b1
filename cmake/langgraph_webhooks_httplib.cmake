# Sets LANGGRAPH_WEBHOOKS_HTTPLIB_TARGET to the target that brings cpp-httplib: its CMake
# package when there is one (upstream, vcpkg, conan), else pkg-config's cpp-httplib (all that
# Debian ships; its compiled library needs the flags of that .pc file). No version is asked
# for: cpp-httplib's own version file refuses every other minor version.
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
