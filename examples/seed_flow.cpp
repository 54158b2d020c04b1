// The seed document ("Use webhooks") in C++: start a webhook receiver, find the default
// assistant, create a thread, stream a run whose `webhook` is the receiver's URL, print each
// stream part, then the webhook the server sends when the run ends.
//
//   seed_flow [--url URL] [--assistant ID] [--listen HOST:PORT] [--public-url URL] [--timeout SECONDS]
//
// --url defaults to $LANGGRAPH_URL, else http://127.0.0.1:2024. Output: one JSON line
// {"event": ..., "data": ...} per stream part, then {"webhook": <payload>}. Exit status 0 only
// when the run's webhook arrived within --timeout (default 60 s); 1 for a usage error or no
// webhook in time, 2 for an API error — as lgwh.
#include "langgraph_webhooks.hpp"

#include <cstdlib>
#include <iostream>
#include <string>

namespace lgw = langgraph::webhooks;
using nlohmann::json;

namespace {

int usage(const std::string &why) {
  std::cerr << "seed_flow: " << why
            << "\nusage: seed_flow [--url URL] [--assistant ID] [--listen HOST:PORT] "
               "[--public-url URL] [--timeout SECONDS]\n";
  return 1;
}

} // namespace

int main(int argc, char **argv) {
  std::string url = lgw::default_server_url(); // $LANGGRAPH_URL, else http://127.0.0.1:2024
  std::string assistant_id;
  lgw::webhook_server_options receiver;
  int timeout_s = 60;
  for (int i = 1; i < argc; ++i) {
    const std::string flag = argv[i];
    if (flag == "--help" || flag == "-h") return usage("the seed document's flow in C++"), 0;
    if (i + 1 >= argc) return usage("missing value for " + flag);
    const std::string value = argv[++i];
    if (flag == "--url") {
      url = value;
    } else if (flag == "--assistant") {
      assistant_id = value;
    } else if (flag == "--listen") {
      const auto colon = value.rfind(':');
      if (colon == std::string::npos) return usage("--listen takes HOST:PORT");
      receiver.host = value.substr(0, colon);
      receiver.port = std::atoi(value.c_str() + colon + 1);
    } else if (flag == "--public-url") {
      receiver.public_url = value;
    } else if (flag == "--timeout") {
      timeout_s = std::atoi(value.c_str());
    } else {
      return usage("unknown option " + flag);
    }
  }

  try {
    // 1. The receiver, so that its URL can go into the run.
    lgw::webhook_server hooks(receiver);
    hooks.start();
    std::cerr << "receiving webhooks at " << hooks.url() << '\n';
    const bool local_server = lgw::parse_url(url).host == "127.0.0.1" || lgw::parse_url(url).host == "localhost";
    if (auto check = hooks.check_url(); !check && !local_server)
      for (const auto &problem : check.problems) std::cerr << "warning: " << problem << '\n';

    lgw::client client(url);

    // 2. The default assistant: the first one without configuration (as the seed does).
    if (assistant_id.empty()) {
      for (const lgw::assistant &a : client.assistants().search())
        if (a.config.empty()) {
          assistant_id = a.assistant_id;
          break;
        }
      if (assistant_id.empty()) {
        std::cerr << "seed_flow: no assistant without configuration; pass --assistant\n";
        return 2;
      }
    }

    // 3. A thread.
    lgw::thread thread = client.threads().create();
    std::cerr << "thread " << thread.raw.dump() << '\n';

    // 4. Stream a run that calls the receiver when it ends.
    lgw::stream_run_request run;
    run.thread_id = thread.thread_id;
    run.assistant_id = assistant_id;
    run.input = {{"messages", {{{"role", "human"}, {"content", "Hello!"}}}}};
    run.webhook = hooks.url();
    lgw::stream_result streamed = client.runs().stream(run, [](const lgw::stream_part &part) {
      std::cout << nlohmann::ordered_json{{"event", part.event}, {"data", part.data}}.dump() << std::endl;
    });

    // 5. The webhook: it may well have arrived before the stream ended.
    auto event = hooks.wait_for(streamed.run_id, std::chrono::seconds(timeout_s));
    if (!event) {
      std::cerr << "seed_flow: no webhook for run " << streamed.run_id << " within " << timeout_s << " s\n";
      return 1;
    }
    std::cout << json{{"webhook", event->json()}}.dump() << std::endl;
    return 0;
  } catch (const lgw::error &e) {
    if (e.kind() == lgw::error_kind::invalid_argument) return usage(e.what()); // e.g. --url without http://
    std::cerr << "seed_flow: " << e.what() << '\n';
    return 2;
  }
}
