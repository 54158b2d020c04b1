// Client overhead: sequential `runs().create` round trips per second on one keep-alive
// connection to a local stub server, next to a bare httplib::Client + nlohmann::json doing the
// same POST and parse, in the same run. Rounds alternate so that both see the same machine.
//
//   client_overhead [--requests N] [--rounds R]
#include "langgraph_webhooks.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <thread>
#include <vector>

namespace lgw = langgraph::webhooks;
using clock_type = std::chrono::steady_clock;

namespace {

const char *const run_json =
    R"({"run_id":"1f0a-run","thread_id":"1f0a-thread","assistant_id":"fe096781-5601-53d2-b2f6-0d3403f7e9ca",)"
    R"("created_at":"2025-06-01T10:00:00.123Z","updated_at":"2025-06-01T10:00:00.123Z","status":"pending",)"
    R"("metadata":{},"kwargs":{"input":{"messages":[{"role":"human","content":"Hello!"}]},)"
    R"("webhook":"http://127.0.0.1:9000/hook"},"multitask_strategy":"reject"})";

nlohmann::json input() { return {{"messages", {{{"role", "human"}, {"content", "Hello!"}}}}}; }

double library_round(const std::string &url, int n) {
  lgw::client_options o;
  o.api_key = "";
  lgw::client client(url, o);
  lgw::create_run_request req;
  req.thread_id = "1f0a-thread";
  req.assistant_id = "agent";
  req.input = input();
  req.webhook = "http://127.0.0.1:9000/hook";
  client.runs().create(req); // connect outside the timed part
  auto t0 = clock_type::now();
  for (int i = 0; i < n; ++i) {
    lgw::run r = client.runs().create(req);
    if (r.status != lgw::run_status::pending) std::abort();
  }
  return n / std::chrono::duration<double>(clock_type::now() - t0).count();
}

double bare_round(const std::string &url, int n) {
  httplib::Client cli(url);
  cli.set_keep_alive(true);
  cli.set_tcp_nodelay(true);
  auto post = [&] {
    nlohmann::json body = {{"assistant_id", "agent"}, {"input", input()}, {"webhook", "http://127.0.0.1:9000/hook"}};
    auto res = cli.Post("/threads/1f0a-thread/runs", body.dump(), "application/json");
    if (!res || res->status != 200) std::abort();
    auto j = nlohmann::json::parse(res->body);
    if (j["status"] != "pending") std::abort();
  };
  post();
  auto t0 = clock_type::now();
  for (int i = 0; i < n; ++i) post();
  return n / std::chrono::duration<double>(clock_type::now() - t0).count();
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

} // namespace

int main(int argc, char **argv) {
  int requests = 3000, rounds = 7;
  for (int i = 1; i + 1 < argc; i += 2) {
    if (!std::strcmp(argv[i], "--requests"))
      requests = std::atoi(argv[i + 1]);
    else if (!std::strcmp(argv[i], "--rounds"))
      rounds = std::atoi(argv[i + 1]);
  }

  httplib::Server stub;
  stub.set_tcp_nodelay(true);
  stub.Post(R"(/threads/([^/]+)/runs)",
            [](const httplib::Request &, httplib::Response &res) { res.set_content(run_json, "application/json"); });
  const int port = stub.bind_to_any_port("127.0.0.1");
  std::thread server([&] { stub.listen_after_bind(); });
  for (int i = 0; i < 1000 && !stub.is_running(); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  const std::string url = "http://127.0.0.1:" + std::to_string(port);

  std::vector<double> lib, bare;
  for (int r = 0; r < rounds; ++r) {
    bare.push_back(bare_round(url, requests));
    lib.push_back(library_round(url, requests));
  }
  stub.stop();
  server.join();

  const double l = median(lib), b = median(bare);
  std::printf("client overhead: %d sequential POST /threads/{id}/runs per round, %d rounds, median\n", requests,
              rounds);
  std::printf("  %-44s %10.0f req/s\n", "bare httplib::Client + nlohmann::json", b);
  std::printf("  %-44s %10.0f req/s  (%.2fx of bare)\n", "lgw::client runs().create", l, l / b);
  return 0;
}
