"""Conan 2 recipe for langgraph_webhooks (header-only).

    conan create packaging/conan --build=missing
"""
import os

from conan import ConanFile
from conan.tools.build import check_min_cppstd
from conan.tools.files import copy

required_conan_version = ">=2.0"


class LanggraphWebhooksConan(ConanFile):
    name = "langgraph_webhooks"
    version = "0.1.0"
    description = "Header-only C++17 client and embedded webhook receiver for LangGraph servers"
    license = "MIT"
    url = "https://github.com/langgraph-webhooks/langgraph_webhooks"
    topics = ("langgraph", "webhooks", "llm", "agents", "header-only")
    package_type = "header-library"
    settings = "os", "arch", "compiler", "build_type"
    no_copy_source = True

    def export_sources(self):
        # The recipe lives in packaging/conan; the sources are the repository's root.
        root = os.path.join(self.recipe_folder, "..", "..")
        copy(self, "langgraph_webhooks.hpp", root, self.export_sources_folder)
        copy(self, "LICENSE", root, self.export_sources_folder)

    def requirements(self):
        # Both appear in the header's own includes, so consumers need their headers too.
        self.requires("nlohmann_json/3.11.3", transitive_headers=True)
        self.requires("cpp-httplib/0.15.3", transitive_headers=True)

    def package_id(self):
        self.info.clear()

    def validate(self):
        check_min_cppstd(self, 17)

    def package(self):
        copy(self, "LICENSE", self.source_folder, os.path.join(self.package_folder, "licenses"))
        copy(self, "langgraph_webhooks.hpp", self.source_folder, os.path.join(self.package_folder, "include"))

    def package_info(self):
        self.cpp_info.bindirs = []
        self.cpp_info.libdirs = []
        self.cpp_info.set_property("cmake_file_name", "langgraph_webhooks")
        self.cpp_info.set_property("cmake_target_name", "langgraph_webhooks::langgraph_webhooks")
        self.cpp_info.set_property("pkg_config_name", "langgraph_webhooks")
        if self.settings.os in ("Linux", "FreeBSD"):
            self.cpp_info.system_libs = ["pthread"]
