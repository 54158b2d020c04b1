# Runs the vcpkg port offline: reads vcpkg.json, then executes portfile.cmake with stand-ins for
# the vcpkg helpers it calls (configure, install, config and pkg-config fix-ups, copyright),
# installing a local checkout into WORK/packages as vcpkg would.
#
#   cmake -DSOURCE=<checkout> -DWORK=<folder> -P packaging/vcpkg/check-port.cmake
cmake_minimum_required(VERSION 3.19)
set(port_dir "${CMAKE_CURRENT_LIST_DIR}/ports/langgraph-webhooks")

file(READ "${port_dir}/vcpkg.json" manifest)
string(JSON PORT GET "${manifest}" name)
string(JSON VERSION GET "${manifest}" version)
string(JSON deps GET "${manifest}" dependencies)
string(JSON ssl_dep GET "${manifest}" features openssl dependencies 0 name)
string(JSON ssl_feature GET "${manifest}" features openssl dependencies 0 features 0)
if(NOT PORT STREQUAL "langgraph-webhooks" OR NOT deps MATCHES "nlohmann-json" OR NOT deps MATCHES "cpp-httplib"
   OR NOT ssl_dep STREQUAL "cpp-httplib" OR NOT ssl_feature STREQUAL "openssl")
  message(FATAL_ERROR "vcpkg.json: unexpected name, dependencies or openssl feature")
endif()
file(STRINGS "${SOURCE}/langgraph_webhooks.hpp" header_version REGEX "LANGGRAPH_WEBHOOKS_VERSION_STRING \"")
if(NOT header_version MATCHES "\"${VERSION}\"")
  message(FATAL_ERROR "vcpkg.json version ${VERSION} differs from the header's: ${header_version}")
endif()

set(CURRENT_PACKAGES_DIR "${WORK}/packages")
set(CURRENT_BUILDTREES_DIR "${WORK}/buildtrees")
file(REMOVE_RECURSE "${WORK}")
set(ENV{LANGGRAPH_WEBHOOKS_SOURCE} "${SOURCE}")

function(run)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE out)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "${ARGN}\n${out}")
  endif()
endfunction()
function(vcpkg_from_github)
  message(FATAL_ERROR "offline check: the portfile must take LANGGRAPH_WEBHOOKS_SOURCE, not download")
endfunction()
function(vcpkg_cmake_configure)
  cmake_parse_arguments(arg "" "SOURCE_PATH" "OPTIONS" ${ARGN})
  run(${CMAKE_COMMAND} -S "${arg_SOURCE_PATH}" -B "${CURRENT_BUILDTREES_DIR}" -G Ninja
      "-DCMAKE_INSTALL_PREFIX=${CURRENT_PACKAGES_DIR}" ${arg_OPTIONS})
endfunction()
function(vcpkg_cmake_install)
  run(${CMAKE_COMMAND} --build "${CURRENT_BUILDTREES_DIR}")
  run(${CMAKE_COMMAND} --install "${CURRENT_BUILDTREES_DIR}")
endfunction()
function(vcpkg_cmake_config_fixup)
  cmake_parse_arguments(arg "" "PACKAGE_NAME;CONFIG_PATH" "" ${ARGN})
  # vcpkg moves CONFIG_PATH to share/<PACKAGE_NAME>: here they must already be the same place
  if(NOT arg_CONFIG_PATH STREQUAL "share/${arg_PACKAGE_NAME}" OR
     NOT EXISTS "${CURRENT_PACKAGES_DIR}/${arg_CONFIG_PATH}/${arg_PACKAGE_NAME}Config.cmake")
    message(FATAL_ERROR "no ${arg_PACKAGE_NAME}Config.cmake in ${arg_CONFIG_PATH}")
  endif()
endfunction()
function(vcpkg_fixup_pkgconfig)
  if(NOT EXISTS "${CURRENT_PACKAGES_DIR}/share/pkgconfig/langgraph_webhooks.pc")
    message(FATAL_ERROR "no langgraph_webhooks.pc installed")
  endif()
endfunction()
function(vcpkg_install_copyright)
  cmake_parse_arguments(arg "" "" "FILE_LIST" ${ARGN})
  file(INSTALL ${arg_FILE_LIST} DESTINATION "${CURRENT_PACKAGES_DIR}/share/${PORT}")
  file(RENAME "${CURRENT_PACKAGES_DIR}/share/${PORT}/LICENSE" "${CURRENT_PACKAGES_DIR}/share/${PORT}/copyright")
endfunction()

set(CMAKE_CURRENT_LIST_DIR "${port_dir}")
include("${port_dir}/portfile.cmake")
foreach(f include/langgraph_webhooks.hpp share/langgraph_webhooks/langgraph_webhooksConfig.cmake
          share/${PORT}/copyright share/${PORT}/usage)
  if(NOT EXISTS "${CURRENT_PACKAGES_DIR}/${f}")
    message(FATAL_ERROR "the port did not install ${f}")
  endif()
endforeach()
message(STATUS "vcpkg port ${PORT} ${VERSION}: installed into ${CURRENT_PACKAGES_DIR}")
