#include <langgraph_webhooks.hpp>

#include <cstdio>

int main() {
  namespace lgw = langgraph::webhooks;
  lgw::create_run_stateless_request req;
  req.assistant_id = "agent";
  req.webhook = "https://hooks.example.com/done";
  std::printf("langgraph_webhooks %s: %s\n", LANGGRAPH_WEBHOOKS_VERSION_STRING, nlohmann::json(req).dump().c_str());
  return lgw::check_webhook_url(*req.webhook).ok() ? 0 : 1;
}
