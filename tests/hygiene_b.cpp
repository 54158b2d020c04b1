// Second translation unit of the header-hygiene check (see hygiene_a.cpp).
#include "langgraph_webhooks.hpp"

#include <string>

std::string hygiene_b_body() {
  langgraph::webhooks::create_run_request r;
  r.thread_id = "t";
  r.assistant_id = "agent";
  r.webhook = "http://h";
  return nlohmann::json(r).dump();
}
