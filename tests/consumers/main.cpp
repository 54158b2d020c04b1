// A consumer program: builds a request, and links both cpp-httplib transports by starting a
// receiver and calling it with the client (it answers 404 to GET /info).
#include <langgraph_webhooks.hpp>

#include <cstdio>

namespace lgw = langgraph::webhooks;

int main() {
  lgw::create_run_request req;
  req.thread_id = "t";
  req.assistant_id = "agent";
  req.webhook = "https://hooks.example.com/x";
  if (nlohmann::json(req).dump() != R"({"assistant_id":"agent","webhook":"https://hooks.example.com/x"})") return 1;

  lgw::webhook_server hooks;
  hooks.start();
  lgw::client_options o;
  o.api_key = "";
  o.retry.max_retries = 0;
  lgw::client client("http://127.0.0.1:" + std::to_string(hooks.port()), o);
  try {
    client.info();
    return 1;
  } catch (const lgw::error &e) {
    if (e.kind() != lgw::error_kind::not_found) return 1;
  }
  std::printf("consumer ok: langgraph_webhooks %d\n", LANGGRAPH_WEBHOOKS_VERSION);
  return 0;
}
