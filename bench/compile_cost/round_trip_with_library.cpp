// Compile-cost probe: the header's quick start round trip — start a webhook receiver, create a
// run whose webhook is that receiver, wait for the run's webhook, print its status.
// round_trip_baseline.cpp is the same round trip written with cpp-httplib and nlohmann_json.
//
//   round_trip_with_library [URL [THREAD_ID]]   (default http://127.0.0.1:2024, thread "t")
#include "langgraph_webhooks.hpp"

#include <chrono>
#include <cstdio>
#include <exception>
#include <string>

int main(int argc, char **argv) {
  namespace lgw = langgraph::webhooks;
  using namespace std::chrono_literals;
  const std::string url = argc > 1 ? argv[1] : "http://127.0.0.1:2024";
  const std::string thread_id = argc > 2 ? argv[2] : "t";
  try {
    lgw::webhook_server hooks; // 127.0.0.1, a free port, a random secret in url()
    hooks.start();
    lgw::client client(url);

    lgw::create_run_request req;
    req.thread_id = thread_id;
    req.assistant_id = "agent";
    req.input = {{"messages", {{{"role", "human"}, {"content", "Hello!"}}}}};
    req.webhook = hooks.url();
    lgw::run run = client.runs().create(req); // throws lgw::error on a transport, HTTP or JSON error

    auto ev = hooks.wait_for(run.run_id, 30s);
    if (!ev) {
      std::fprintf(stderr, "run %s: no webhook within 30 s\n", run.run_id.c_str());
      return 1;
    }
    std::printf("run %s: %s\n", ev->run_id.c_str(), ev->status_text.c_str());
    return ev->status == lgw::run_status::success ? 0 : 1;
  } catch (const std::exception &e) {
    std::fprintf(stderr, "%s\n", e.what());
    return 2;
  }
}
