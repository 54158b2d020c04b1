// Wait for a run's output (POST /threads/{thread_id}/runs/wait) and receive its webhook too.
// The local JS server posts the webhook before /wait answers; wait_for() finds it either way.
//
//   wait_with_webhook [URL]        URL defaults to $LANGGRAPH_URL, else http://127.0.0.1:2024
#include "langgraph_webhooks.hpp"

#include <iostream>

namespace lgw = langgraph::webhooks;

int main(int argc, char **argv) {
  const std::string url = argc > 1 ? argv[1] : lgw::default_server_url(); // $LANGGRAPH_URL, else :2024
  try {
    lgw::webhook_server hooks;
    hooks.start();
    lgw::client client(url);

    lgw::wait_run_request req;
    req.thread_id = client.threads().create().thread_id;
    req.assistant_id = "agent";
    req.input = {{"messages", {{{"role", "human"}, {"content", "What is the answer?"}}}}};
    req.webhook = hooks.url();
    lgw::run_output out = client.runs().wait(req); // throws lgw::error (run_failed) if the run fails
    std::cout << "output: " << out.values.dump() << '\n';

    auto event = hooks.wait_for(out.run_id, std::chrono::seconds(30));
    if (!event) return std::cerr << "no webhook\n", 1;
    std::cout
        << "webhook: run " << event->run_id << ' ' << event->status_text << ", "
        << std::chrono::duration_cast<std::chrono::milliseconds>(*event->run_ended_at - *event->run_started_at).count()
        << " ms\n";
    return 0;
  } catch (const lgw::error &e) {
    std::cerr << e.what() << '\n';
    return 2;
  }
}
