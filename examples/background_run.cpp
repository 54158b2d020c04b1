// Start a background run (POST /runs, stateless) and block until its webhook says it ended —
// no polling. Many runs can be in flight; wait_for() picks out each by its run id.
//
//   background_run [URL]           URL defaults to $LANGGRAPH_URL, else http://127.0.0.1:2024
#include "langgraph_webhooks.hpp"

#include <iostream>
#include <vector>

namespace lgw = langgraph::webhooks;

int main(int argc, char **argv) {
  const std::string url = argc > 1 ? argv[1] : lgw::default_server_url(); // $LANGGRAPH_URL, else :2024
  try {
    lgw::webhook_server hooks;
    hooks.start();
    lgw::client client(url);

    std::vector<lgw::run> runs;
    for (const char *question : {"first", "second", "third"}) {
      lgw::create_run_stateless_request req;
      req.assistant_id = "agent";
      req.input = {{"messages", {{{"role", "human"}, {"content", question}}}}};
      req.webhook = hooks.url();
      runs.push_back(client.runs().create(req));
      std::cout << "started " << runs.back().run_id << '\n';
    }
    for (const lgw::run &r : runs) {
      auto event = hooks.wait_for(r.run_id, std::chrono::seconds(60));
      if (!event) return std::cerr << "no webhook for " << r.run_id << '\n', 1;
      std::cout << "finished " << event->run_id << ": " << event->status_text << '\n';
    }
    return 0;
  } catch (const lgw::error &e) {
    std::cerr << e.what() << '\n';
    return 2;
  }
}
