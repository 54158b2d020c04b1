// A cron job whose every run calls a webhook (POST /runs/crons). Crons are a feature of
// LangSmith deployments: the open-source JS server used by this repository's tests does not
// have them (its /info says "crons": false), so against it this example only prints the
// request it would send. A cloud deployment also refuses loopback webhook URLs: give the
// receiver a public URL (a tunnel to this machine) as the second argument.
//
//   cron_with_webhook [URL] [PUBLIC_WEBHOOK_URL]
#include "langgraph_webhooks.hpp"

#include <iostream>
#include <thread>

namespace lgw = langgraph::webhooks;

int main(int argc, char **argv) {
  const std::string url = argc > 1 ? argv[1] : lgw::default_server_url(); // $LANGGRAPH_URL, else :2024
  try {
    lgw::webhook_server_options o;
    o.secret = "change-me";
    if (argc > 2) o.public_url = argv[2];
    lgw::webhook_server hooks(o);
    hooks.on_event(
        [](const lgw::webhook_event &e) { std::cout << "run " << e.run_id << ": " << e.status_text << '\n'; });
    hooks.start();
    lgw::client client(url);

    lgw::create_cron_request req;
    req.assistant_id = "agent";
    req.schedule = "* * * * *"; // every minute, UTC
    req.input = {{"messages", {{{"role", "human"}, {"content", "Daily report, please."}}}}};
    req.webhook = hooks.url();
    req.on_run_completed = lgw::on_run_completed::delete_;

    if (!client.info().supports_crons()) {
      const lgw::http_request would_send = client.make_request(req);
      std::cout << "this server has no crons; the request would be:\n"
                << would_send.method << ' ' << would_send.target << '\n'
                << would_send.body << '\n';
      return 0;
    }
    for (const auto &problem : hooks.check_url().problems) std::cerr << "warning: " << problem << '\n';
    lgw::cron cron = client.crons().create(req);
    std::cout << "cron " << cron.cron_id << " created; waiting for its first run's webhook\n";
    // A cron's run ids are not known in advance: wait for the first delivery of any run.
    for (int i = 0; i < 90 && hooks.stats().accepted == 0; ++i) std::this_thread::sleep_for(std::chrono::seconds(1));
    client.crons().remove(cron.cron_id);
    std::cout << "cron deleted after " << hooks.stats().accepted << " webhook(s)\n";
    return hooks.stats().accepted > 0 ? 0 : 1;
  } catch (const lgw::error &e) {
    std::cerr << e.what() << '\n';
    return 2;
  }
}
