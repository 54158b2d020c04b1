"""Checks the conan recipe without conan (not installable here): loads conanfile.py against
small stand-ins for the conan API and runs what `conan create` would — export_sources,
requirements, validate, package, package_id, package_info — then checks the result.

    python3 packaging/conan/check_offline.py WORK_DIR
"""
import filecmp
import importlib.util
import os
import shutil
import sys
import types

here = os.path.dirname(os.path.abspath(__file__))
root = os.path.normpath(os.path.join(here, "..", ".."))
work = os.path.abspath(sys.argv[1])
shutil.rmtree(work, ignore_errors=True)


class ConanInvalidConfiguration(Exception):
    pass


def copy(conanfile, pattern, src, dst):
    os.makedirs(dst, exist_ok=True)
    shutil.copy2(os.path.join(src, pattern), os.path.join(dst, pattern))


def check_min_cppstd(conanfile, version):
    if int(conanfile.settings.compiler.cppstd) < int(version):
        raise ConanInvalidConfiguration(f"needs C++{version}")


class CppInfo:
    def __init__(self):
        self.properties, self.bindirs, self.libdirs, self.system_libs = {}, ["bin"], ["lib"], []

    def set_property(self, key, value):
        self.properties[key] = value


class ConanFile:
    def __init__(self):
        self.requires_seen = []
        self.cpp_info = CppInfo()
        self.info = types.SimpleNamespace(cleared=False)
        self.info.clear = lambda: setattr(self.info, "cleared", True)

    def requires(self, ref, **traits):
        self.requires_seen.append((ref, traits))


modules = {
    "conan": types.ModuleType("conan"),
    "conan.tools": types.ModuleType("conan.tools"),
    "conan.tools.build": types.ModuleType("conan.tools.build"),
    "conan.tools.files": types.ModuleType("conan.tools.files"),
}
modules["conan"].ConanFile = ConanFile
modules["conan.tools.build"].check_min_cppstd = check_min_cppstd
modules["conan.tools.files"].copy = copy
sys.modules.update(modules)

spec = importlib.util.spec_from_file_location("recipe", os.path.join(here, "conanfile.py"))
recipe = importlib.util.module_from_spec(spec)
spec.loader.exec_module(recipe)
cls = recipe.LanggraphWebhooksConan


def instance(cppstd):
    c = cls()
    c.settings = types.SimpleNamespace(os="Linux", compiler=types.SimpleNamespace(cppstd=cppstd))
    c.recipe_folder = here
    c.export_sources_folder = c.source_folder = os.path.join(work, "export_source")
    c.package_folder = os.path.join(work, "package")
    return c


def fail(why):
    sys.exit(f"conan recipe: {why}")


c = instance("17")
with open(os.path.join(root, "langgraph_webhooks.hpp")) as header:
    if f'#define LANGGRAPH_WEBHOOKS_VERSION_STRING "{c.version}"' not in header.read():
        fail(f"version {c.version} differs from the header's")
if c.package_type != "header-library":
    fail("package_type is not header-library")
c.export_sources()
c.requirements()
c.validate()
c.package()
c.package_id()
c.package_info()
refs = {ref.split("/")[0]: traits for ref, traits in c.requires_seen}
if set(refs) != {"nlohmann_json", "cpp-httplib"} or not all(t.get("transitive_headers") for t in refs.values()):
    fail(f"requires must be nlohmann_json and cpp-httplib with transitive_headers: {c.requires_seen}")
if not filecmp.cmp(os.path.join(c.package_folder, "include", "langgraph_webhooks.hpp"),
                   os.path.join(root, "langgraph_webhooks.hpp"), shallow=False):
    fail("the packaged header differs from the repository's")
if not os.path.exists(os.path.join(c.package_folder, "licenses", "LICENSE")):
    fail("no license in the package")
if not c.info.cleared:
    fail("package_id() must clear the id of a header-only package")
props = c.cpp_info.properties
if props.get("cmake_target_name") != "langgraph_webhooks::langgraph_webhooks" or c.cpp_info.libdirs:
    fail(f"unexpected cpp_info: {props}, libdirs {c.cpp_info.libdirs}")
try:
    instance("14").validate()
    fail("validate() accepted C++14")
except ConanInvalidConfiguration:
    pass
print(f"conan recipe {c.name}/{c.version}: package has include/langgraph_webhooks.hpp, licenses/LICENSE; ok")
