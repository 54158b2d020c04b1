// libFuzzer target for the receiver's JSON validation (detail::json_scanner) and payload
// reading (webhook_event::from_body): differential against nlohmann_json.
//
// For each input it checks that
//   * the scanner accepts exactly what nlohmann::json::accept accepts (except that nlohmann
//     stops at a NUL byte, which the scanner rightly refuses);
//   * for an accepted top-level object, the members it reports are the object's members, and
//     each reported value's bytes parse on their own to the same value;
//   * from_body never throws anything but payload_error, and an event it returns has values(),
//     kwargs(), metadata() and json() that parse, and says what json() says: the same run_id,
//     thread_id, assistant_id, status, values, kwargs and metadata (escaped or repeated member
//     names once made them differ).
// Any violation prints what differed and calls __builtin_trap().
//
// Build and run: scripts/fuzz [seconds]
#ifndef LANGGRAPH_WEBHOOKS_NO_HTTPLIB
#define LANGGRAPH_WEBHOOKS_NO_HTTPLIB
#endif
#include "langgraph_webhooks.hpp"

#include <cstdint>
#include <cstdio>
#include <map>
#include <string>

namespace lgw = langgraph::webhooks;

namespace {
[[noreturn]] void fail(const char *what, std::string_view in) {
  std::fprintf(stderr, "json_scanner fuzz: %s for input of %zu bytes: %.200s\n", what, in.size(),
               std::string(in).c_str());
  __builtin_trap();
}
} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *bytes, std::size_t size) {
  const std::string_view in(reinterpret_cast<const char *>(bytes), size);
  lgw::detail::json_scanner scanner(in);
  std::multimap<std::string, nlohmann::json> members;
  bool bad_member = false;
  const bool ok = scanner.scan([&](std::string_view key, std::size_t b, std::size_t e) {
    auto k = nlohmann::json::parse("\"" + std::string(key) + "\"", nullptr, false);
    auto v = nlohmann::json::parse(in.substr(b, e - b), nullptr, false);
    if (k.is_discarded() || v.is_discarded())
      bad_member = true;
    else
      members.emplace(k.get<std::string>(), std::move(v));
  });
  if (in.find('\0') != std::string_view::npos) {
    // nlohmann_json takes a NUL byte for the end of the input; JSON never has one
    if (ok) fail("scanner accepts a NUL byte", in);
  } else if (ok != nlohmann::json::accept(in)) {
    fail(ok ? "scanner accepts, nlohmann refuses" : "scanner refuses, nlohmann accepts", in);
  }
  if (ok) {
    if (bad_member) fail("a reported member does not parse on its own", in);
    const nlohmann::json dom = nlohmann::json::parse(in);
    if (dom.is_object() != scanner.object()) fail("object() disagrees", in);
    if (dom.is_object()) {
      for (const auto &[key, value] : dom.items())
        if (members.count(key) == 0) fail("a member was not reported", in);
      for (const auto &[key, value] : members) {
        if (!dom.contains(key)) fail("a reported member is not in the object", in);
        if (members.count(key) == 1 && dom[key] != value) fail("a reported value differs", in);
      }
    } else if (!members.empty()) {
      fail("members reported for a non-object", in);
    }
  }
  try {
    const lgw::webhook_event ev = lgw::webhook_event::from_body(std::string(in));
    if (ev.run_id.empty()) fail("an event without run_id", in);
    const nlohmann::json dom = ev.json();
    auto text = [&](const char *key) {
      return dom.contains(key) && dom[key].is_string() ? dom[key].get<std::string>() : std::string();
    };
    auto or_null = [&](const char *key) { return dom.contains(key) ? dom[key] : nlohmann::json(); };
    if (ev.run_id != text("run_id") || ev.thread_id != text("thread_id") || ev.assistant_id != text("assistant_id") ||
        ev.status_text != text("status"))
      fail("an id or the status differs from json()'s", in);
    const nlohmann::json values = or_null("values");
    if (ev.values() ? *ev.values() != values : !values.is_null()) fail("values() differs from json()'s", in);
    if (ev.kwargs() != or_null("kwargs") || ev.metadata() != or_null("metadata"))
      fail("kwargs() or metadata() differs from json()'s", in);
  } catch (const lgw::payload_error &) {
  }
  return 0;
}
