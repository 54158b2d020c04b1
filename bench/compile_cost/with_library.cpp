// Compile-cost probe: one client call through langgraph_webhooks.hpp.
#include "langgraph_webhooks.hpp"

int main() {
  namespace lgw = langgraph::webhooks;
  lgw::client client("http://127.0.0.1:2024");
  lgw::create_run_request req;
  req.thread_id = "t";
  req.assistant_id = "agent";
  req.input = {{"messages", {{{"role", "human"}, {"content", "Hello!"}}}}};
  req.webhook = "http://127.0.0.1:9000/hook";
  lgw::run r = client.runs().create(req);
  return r.status == lgw::run_status::pending ? 0 : 1;
}
