# vcpkg port of langgraph_webhooks (header-only). As an overlay port on a local checkout, set
# LANGGRAPH_WEBHOOKS_SOURCE in the environment to use that folder instead of the release.
if(DEFINED ENV{LANGGRAPH_WEBHOOKS_SOURCE})
  set(SOURCE_PATH "$ENV{LANGGRAPH_WEBHOOKS_SOURCE}")
else()
  vcpkg_from_github(
    OUT_SOURCE_PATH SOURCE_PATH
    REPO langgraph-webhooks/langgraph_webhooks
    REF "v${VERSION}"
    SHA512 0 # filled in when the release is tagged
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
