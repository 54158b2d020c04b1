// Compile-cost probe: the receiver half of round_trip_with_library.cpp alone — start a webhook
// receiver, wait for a run's webhook, print its status (no client call). with_library.cpp is
// the other half (one runs().create call).
#include "langgraph_webhooks.hpp"

#include <chrono>
#include <cstdio>

int main(int argc, char **argv) {
  namespace lgw = langgraph::webhooks;
  using namespace std::chrono_literals;
  lgw::webhook_server hooks;
  hooks.start();
  std::printf("%s\n", hooks.url().c_str());
  auto ev = hooks.wait_for(argc > 1 ? argv[1] : "r", 30s);
  if (!ev) return 1;
  std::printf("run %s: %s\n", ev->run_id.c_str(), ev->status_text.c_str());
  return ev->status == lgw::run_status::success ? 0 : 1;
}
