// Separate compilation: this unit is built with LANGGRAPH_WEBHOOKS_SEPARATE_COMPILATION, so it
// only declares basic_client<httplib_client_transport> and basic_webhook_server<...> and links
// to instantiations.cpp (check_symbols.sh checks that its object really leaves them out). The
// program drives both over loopback: a receiver accepts a webhook, and the client, pointed at
// the receiver, gets the receiver's 404 for API paths as a typed error.
#include "langgraph_webhooks.hpp"

#include <cstdio>
#include <cstdlib>
#include <string>

namespace lgw = langgraph::webhooks;

#ifndef LANGGRAPH_WEBHOOKS_SEPARATE_COMPILATION
#error "build this unit with LANGGRAPH_WEBHOOKS_SEPARATE_COMPILATION"
#endif

namespace {
int failures = 0;
void expect(bool ok, const char *what) {
  std::printf("%s: %s\n", ok ? "ok  " : "FAIL", what);
  if (!ok) ++failures;
}
} // namespace

int main() {
  lgw::webhook_server hooks;
  hooks.start();
  const std::string base = "http://127.0.0.1:" + std::to_string(hooks.port());

  lgw::client_options options;
  options.api_key = "";
  options.retry.max_retries = 0;
  lgw::client client(base, options);

  try {
    client.ok();
    expect(false, "GET /ok on a receiver fails");
  } catch (const lgw::error &e) {
    expect(e.kind() == lgw::error_kind::not_found && e.status() == 404, "GET /ok gives a 404 error");
    expect(e.endpoint() == "GET /ok", "the error names the endpoint");
  }

  lgw::create_run_request req;
  req.thread_id = "t-1";
  req.assistant_id = "agent";
  req.webhook = hooks.url();
  try {
    client.runs().create(req);
    expect(false, "POST /threads/t-1/runs on a receiver fails");
  } catch (const lgw::error &e) {
    expect(e.status() == 404 && e.endpoint() == "POST /threads/t-1/runs", "create run gives a 404 error");
  }

  httplib::Client raw("127.0.0.1", hooks.port());
  const std::string url = hooks.url(); // carries the receiver's secret
  auto res = raw.Post(url.substr(url.find(hooks.options().path)),
                      R"({"run_id":"r-1","thread_id":"t-1","status":"success"})", "application/json");
  expect(res && res->status == 200, "the receiver accepts a webhook");
  auto event = hooks.wait_for("r-1", std::chrono::seconds(5));
  expect(event && event->status == lgw::run_status::success, "wait_for returns it");

  hooks.stop();
  return failures == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
