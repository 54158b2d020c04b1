# vcpkg port of langgraph_webhooks (header-only). As an overlay port on a local checkout, set
# LANGGRAPH_WEBHOOKS_SOURCE in the environment to use that folder. To download a published
# commit or tag instead, packaging/release.sh fills in REPO, REF and SHA512 below.
if(DEFINED ENV{LANGGRAPH_WEBHOOKS_SOURCE})
  set(SOURCE_PATH "$ENV{LANGGRAPH_WEBHOOKS_SOURCE}")
else()
  set(release_sha512 0) # packaging/release.sh
  if(release_sha512 STREQUAL "0")
    message(FATAL_ERROR "langgraph-webhooks: this port names no published release yet. Use it as an overlay "
                        "port with LANGGRAPH_WEBHOOKS_SOURCE set to a checkout, or run packaging/release.sh.")
  endif()
  vcpkg_from_github(
    OUT_SOURCE_PATH SOURCE_PATH
    REPO langgraph-webhooks/langgraph_webhooks
    REF "unreleased"
    SHA512 ${release_sha512}
    HEAD_REF main)
endif()

vcpkg_cmake_configure(
  SOURCE_PATH "${SOURCE_PATH}"
  OPTIONS
    -DLANGGRAPH_WEBHOOKS_BUILD_TESTS=OFF
    -DLANGGRAPH_WEBHOOKS_BUILD_EXAMPLES=OFF
    -DLANGGRAPH_WEBHOOKS_BUILD_BENCHMARKS=OFF
    -DLANGGRAPH_WEBHOOKS_BUILD_TOOLS=OFF
    -DLANGGRAPH_WEBHOOKS_INSTALL=ON)
vcpkg_cmake_install()
vcpkg_cmake_config_fixup(PACKAGE_NAME langgraph_webhooks CONFIG_PATH share/langgraph_webhooks)
vcpkg_fixup_pkgconfig()

file(REMOVE_RECURSE "${CURRENT_PACKAGES_DIR}/debug")
file(INSTALL "${CMAKE_CURRENT_LIST_DIR}/usage" DESTINATION "${CURRENT_PACKAGES_DIR}/share/${PORT}")
vcpkg_install_copyright(FILE_LIST "${SOURCE_PATH}/LICENSE")
