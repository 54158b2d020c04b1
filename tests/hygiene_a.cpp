// Header hygiene: the header comes first and compiles on its own; linked together with
// hygiene_b.cpp into one program, its inline functions and variables do not clash.
#include "langgraph_webhooks.hpp"

#include <doctest/doctest.h>

namespace lgw = langgraph::webhooks;

std::string hygiene_b_body();

static_assert(LANGGRAPH_WEBHOOKS_VERSION >= 100, "version macros usable in #if");
#if LANGGRAPH_WEBHOOKS_VERSION != LANGGRAPH_WEBHOOKS_VERSION_MAJOR * 10000 + LANGGRAPH_WEBHOOKS_VERSION_MINOR * 100 +  \
                                      LANGGRAPH_WEBHOOKS_VERSION_PATCH
#error "version macros disagree"
#endif

TEST_CASE("header hygiene: two translation units build the same request") {
  lgw::create_run_request r;
  r.thread_id = "t";
  r.assistant_id = "agent";
  r.webhook = "http://h";
  CHECK(nlohmann::json(r).dump() == hygiene_b_body());
  static_assert(lgw::is_client_transport_v<lgw::httplib_client_transport>);
  static_assert(lgw::is_client_transport_v<lgw::mock_client_transport>);
  static_assert(!lgw::is_client_transport_v<int>);
  static_assert(std::is_same_v<lgw::client, lgw::basic_client<lgw::httplib_client_transport>>);
}
