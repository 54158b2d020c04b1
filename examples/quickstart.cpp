// The README's quick start: find the default assistant, create a thread, start a run that
// calls a webhook when it ends, and block until its output is ready.
//
//   quickstart [URL] [WEBHOOK_URL]      URL defaults to $LANGGRAPH_URL, else http://127.0.0.1:2024
#include "langgraph_webhooks.hpp"

#include <iostream>

namespace lgw = langgraph::webhooks;

int main(int argc, char **argv) {
  const std::string url = argc > 1 ? argv[1] : lgw::default_server_url(); // $LANGGRAPH_URL, else :2024
  try {
    lgw::client client(url);

    // The default assistant: the first one without configuration, as the seed document does.
    std::string assistant_id = "agent";
    for (const lgw::assistant &a : client.assistants().search())
      if (a.config.empty()) {
        assistant_id = a.assistant_id;
        break;
      }
    lgw::thread thread = client.threads().create();

    lgw::create_run_request req;
    req.thread_id = thread.thread_id;
    req.assistant_id = assistant_id;
    req.input = {{"messages", {{{"role", "human"}, {"content", "Hello!"}}}}};
    if (argc > 2) req.webhook = argv[2];
    lgw::run run = client.runs().create(req);
    std::cout << "run " << run.run_id << " is " << run.status << '\n';

    lgw::run_output out = client.runs().join(run.thread_id, run.run_id);
    std::cout << out.values.dump() << '\n';
    return 0;
  } catch (const lgw::error &e) {
    std::cerr << "quickstart: " << e.what() << '\n';
    return 2;
  }
}
