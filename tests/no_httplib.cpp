// Built without cpp-httplib: LANGGRAPH_WEBHOOKS_NO_HTTPLIB leaves out the default transports,
// so a program that only builds requests (or brings its own transport) needs nlohmann_json only.
// tests/poison/httplib.h comes first on this target's include path and stops the build if
// cpp-httplib is included anyway.
#define LANGGRAPH_WEBHOOKS_NO_HTTPLIB
#include "langgraph_webhooks.hpp"

#ifdef CPPHTTPLIB_VERSION
#error "LANGGRAPH_WEBHOOKS_NO_HTTPLIB must not include httplib.h"
#endif

#include <iostream>

namespace lgw = langgraph::webhooks;

// A user's own transport: answers every call with an empty list.
struct canned_transport {
  lgw::http_response send(const lgw::http_request &, const lgw::chunk_callback &) {
    lgw::http_response r;
    r.status = 200;
    r.body = "[]";
    return r;
  }
};

int main() {
  static_assert(lgw::is_client_transport_v<canned_transport>);
  lgw::client_options o;
  o.api_key = "";
  lgw::basic_client<canned_transport> c(canned_transport{}, "http://example.invalid", o);
  if (!c.assistants().search().empty()) return 1;
  lgw::create_run_stateless_request r;
  r.assistant_id = "agent";
  r.webhook = "https://hooks.example.com/x";
  const std::string body = c.make_request(r).body;
  if (body != R"({"assistant_id":"agent","webhook":"https://hooks.example.com/x"})") {
    std::cerr << "unexpected body " << body << '\n';
    return 1;
  }
  std::cout << "no-httplib build ok\n";
  return 0;
}
