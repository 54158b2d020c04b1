// Compile-cost probe: round_trip_with_library.cpp's round trip written by hand with
// cpp-httplib and nlohmann_json — a receiver thread on a free port whose POST handler checks a
// token query parameter, parses the JSON body and stores the event by run_id (mutex +
// condition variable); a POST of the run to /threads/{id}/runs whose status and JSON are
// checked; a wait for the run's event with a timeout. (No API key header, no retries.)
//
//   round_trip_baseline [URL [THREAD_ID]]   (default http://127.0.0.1:2024, thread "t")
#include <httplib.h>
#include <nlohmann/json.hpp>

#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <map>
#include <mutex>
#include <random>
#include <string>
#include <thread>

namespace {
struct events {
  std::mutex m;
  std::condition_variable arrived;
  std::map<std::string, nlohmann::json> by_run;
};

std::string random_token() {
  std::random_device rd;
  std::string token;
  for (int i = 0; i < 4; ++i) {
    char part[9];
    std::snprintf(part, sizeof part, "%08x", static_cast<unsigned>(rd()));
    token += part;
  }
  return token;
}

bool has_string(const nlohmann::json &j, const char *key) {
  return j.is_object() && j.contains(key) && j[key].is_string();
}

int round_trip(const std::string &url, const std::string &thread_id, const std::string &hook_url, events &received) {
  httplib::Client client(url);
  client.set_connection_timeout(std::chrono::seconds(10));
  client.set_read_timeout(std::chrono::seconds(30));
  const nlohmann::json body = {{"assistant_id", "agent"},
                               {"input", {{"messages", {{{"role", "human"}, {"content", "Hello!"}}}}}},
                               {"webhook", hook_url}};
  auto res = client.Post("/threads/" + thread_id + "/runs", body.dump(), "application/json");
  if (!res) {
    std::fprintf(stderr, "POST /threads/%s/runs: %s\n", thread_id.c_str(), httplib::to_string(res.error()).c_str());
    return 2;
  }
  if (res->status != 200) {
    std::fprintf(stderr, "POST /threads/%s/runs: HTTP %d: %s\n", thread_id.c_str(), res->status, res->body.c_str());
    return 2;
  }
  const nlohmann::json run = nlohmann::json::parse(res->body, nullptr, /*allow_exceptions=*/false);
  if (run.is_discarded() || !has_string(run, "run_id")) {
    std::fprintf(stderr, "POST /threads/%s/runs: not a run: %s\n", thread_id.c_str(), res->body.c_str());
    return 2;
  }
  const std::string run_id = run["run_id"].get<std::string>();

  std::unique_lock<std::mutex> lock(received.m);
  if (!received.arrived.wait_for(lock, std::chrono::seconds(30), [&] { return received.by_run.count(run_id) > 0; })) {
    std::fprintf(stderr, "run %s: no webhook within 30 s\n", run_id.c_str());
    return 1;
  }
  const std::string status = received.by_run[run_id].value("status", "");
  std::printf("run %s: %s\n", run_id.c_str(), status.c_str());
  return status == "success" ? 0 : 1;
}
} // namespace

int main(int argc, char **argv) {
  const std::string url = argc > 1 ? argv[1] : "http://127.0.0.1:2024";
  const std::string thread_id = argc > 2 ? argv[2] : "t";
  const std::string path = "/langgraph/webhook";
  const std::string token = random_token();

  events received;
  httplib::Server server;
  server.Post(path, [&](const httplib::Request &req, httplib::Response &res) {
    if (req.get_param_value("token") != token) {
      res.status = 401;
      return;
    }
    nlohmann::json event = nlohmann::json::parse(req.body, nullptr, /*allow_exceptions=*/false);
    if (event.is_discarded()) {
      res.status = 400;
      res.set_content("body is not JSON", "text/plain");
      return;
    }
    if (!has_string(event, "run_id") || !has_string(event, "status")) {
      res.status = 422;
      res.set_content("not a run payload", "text/plain");
      return;
    }
    std::string run_id = event["run_id"].get<std::string>();
    {
      std::lock_guard<std::mutex> lock(received.m);
      received.by_run.insert_or_assign(std::move(run_id), std::move(event));
    }
    received.arrived.notify_all();
    res.status = 200;
  });
  const int port = server.bind_to_any_port("127.0.0.1");
  if (port < 0) {
    std::fprintf(stderr, "cannot listen on 127.0.0.1\n");
    return 2;
  }
  std::thread listener([&] { server.listen_after_bind(); });

  const std::string hook_url = "http://127.0.0.1:" + std::to_string(port) + path + "?token=" + token;
  int rc;
  try {
    rc = round_trip(url, thread_id, hook_url, received);
  } catch (const std::exception &e) { // bad_alloc, a json type_error
    std::fprintf(stderr, "%s\n", e.what());
    rc = 2;
  }
  server.stop();
  listener.join();
  return rc;
}
