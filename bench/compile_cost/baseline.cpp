// Compile-cost probe: the same call with cpp-httplib and nlohmann_json used directly.
#include <httplib.h>
#include <nlohmann/json.hpp>

int main() {
  httplib::Client client("http://127.0.0.1:2024");
  client.set_keep_alive(true);
  client.set_tcp_nodelay(true);
  nlohmann::json body = {{"assistant_id", "agent"},
                         {"input", {{"messages", {{{"role", "human"}, {"content", "Hello!"}}}}}},
                         {"webhook", "http://127.0.0.1:9000/hook"}};
  auto res = client.Post("/threads/t/runs", body.dump(), "application/json");
  if (!res || res->status != 200) return 1;
  auto run = nlohmann::json::parse(res->body);
  return run.value("status", "") == "pending" ? 0 : 1;
}
