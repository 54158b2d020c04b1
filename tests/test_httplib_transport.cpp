// The cpp-httplib transport against a real httplib server on a loopback port chosen by the OS.
#include "langgraph_webhooks.hpp"

#include "test_support.hpp"

#include <doctest/doctest.h>

#include <atomic>
#include <condition_variable>
#include <thread>

using nlohmann::json;
using namespace std::chrono_literals;

namespace {

// An httplib::Server on 127.0.0.1:<free port>, running on its own thread until destroyed.
class loopback_server {
public:
  explicit loopback_server(const std::function<void(httplib::Server &)> &routes) {
    routes(server_);
    port_ = server_.bind_to_any_port("127.0.0.1");
    REQUIRE(port_ > 0);
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    for (int i = 0; i < 500 && !server_.is_running(); ++i) std::this_thread::sleep_for(2ms);
    REQUIRE(server_.is_running());
  }
  ~loopback_server() {
    server_.stop();
    thread_.join();
  }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }
  int port() const { return port_; }

private:
  httplib::Server server_;
  int port_ = 0;
  std::thread thread_;
};

lgw::client_options fast_options() {
  lgw::client_options o = test::no_key();
  o.connect_timeout = 2s;
  o.read_timeout = 5s;
  o.retry.max_retries = 1;
  return o;
}

} // namespace

TEST_CASE("httplib transport: a real round trip with the library's headers and body") {
  json seen;
  loopback_server srv([&](httplib::Server &s) {
    s.Post(R"(/prefix/threads/([^/]+)/runs)", [&](const httplib::Request &req, httplib::Response &res) {
      seen = {{"target", req.target},
              {"content_type", req.get_header_value("Content-Type")},
              {"api_key", req.get_header_value("x-api-key")},
              {"agent", req.get_header_value("User-Agent")},
              {"body", json::parse(req.body)}};
      res.set_header("Content-Location", "/threads/t 1/runs/r1");
      res.set_content(R"({"run_id":"r1","thread_id":"t 1","status":"pending"})", "application/json");
    });
  });
  lgw::client_options o = fast_options();
  o.api_key = "k-123";
  lgw::client client(srv.url() + "/prefix", o);
  lgw::create_run_request r;
  r.thread_id = "t 1";
  r.assistant_id = "agent";
  r.webhook = "http://127.0.0.1:9/hook";
  lgw::run run = client.runs().create(r);
  CHECK(run.run_id == "r1");
  CHECK(run.status == lgw::run_status::pending);
  CHECK(seen["target"] == "/prefix/threads/t%201/runs");
  CHECK(seen["content_type"] == "application/json");
  CHECK(seen["api_key"] == "k-123");
  CHECK(seen["agent"] == LANGGRAPH_WEBHOOKS_USER_AGENT);
  CHECK(seen["body"] == json{{"assistant_id", "agent"}, {"webhook", "http://127.0.0.1:9/hook"}});
}

TEST_CASE("httplib transport: keep-alive reuses one connection for sequential calls") {
  std::vector<int> ports;
  std::mutex m;
  loopback_server srv([&](httplib::Server &s) {
    s.Get("/ok", [&](const httplib::Request &req, httplib::Response &res) {
      std::lock_guard<std::mutex> lock(m);
      ports.push_back(req.remote_port);
      res.set_content(R"({"ok":true})", "application/json");
    });
  });
  lgw::client client(srv.url(), fast_options());
  for (int i = 0; i < 5; ++i) CHECK(client.ok()["ok"] == true);
  REQUIRE(ports.size() == 5);
  for (int p : ports) CHECK(p == ports.front());
}

TEST_CASE("httplib transport: connection refused is a connection error that names the origin") {
  int port;
  {
    loopback_server gone([](httplib::Server &) {});
    port = gone.port();
  } // stopped: nothing listens on the port any more
  lgw::client_options o = fast_options();
  o.retry.max_retries = 0;
  lgw::client client("http://127.0.0.1:" + std::to_string(port), o);
  try {
    client.info();
    FAIL("expected a connection error");
  } catch (const lgw::error &e) {
    CHECK(e.kind() == lgw::error_kind::connection);
    CHECK(e.status() == 0);
    CHECK(e.endpoint() == "GET /info");
    CHECK(e.message().find("127.0.0.1:" + std::to_string(port)) != std::string::npos);
  }
}

TEST_CASE("httplib transport: a silent server past read_timeout is a timeout") {
  loopback_server srv([](httplib::Server &s) {
    s.Get("/info", [](const httplib::Request &, httplib::Response &res) {
      std::this_thread::sleep_for(1200ms);
      res.set_content("{}", "application/json");
    });
  });
  lgw::client_options o = fast_options();
  o.read_timeout = 300ms;
  o.retry.max_retries = 0;
  lgw::client client(srv.url(), o);
  try {
    client.info();
    FAIL("expected a timeout");
  } catch (const lgw::error &e) {
    CHECK(e.kind() == lgw::error_kind::timeout);
    CHECK(e.message().find("read timeout") != std::string::npos);
  }
}

TEST_CASE("httplib transport: chunks reach the callback as they arrive, not at the end") {
  std::mutex m;
  std::condition_variable cv;
  bool client_saw_first = false;
  loopback_server srv([&](httplib::Server &s) {
    s.Get("/stream", [&](const httplib::Request &, httplib::Response &res) {
      res.set_chunked_content_provider("text/event-stream", [&](std::size_t offset, httplib::DataSink &sink) {
        if (offset == 0) {
          sink.write("first\n", 6);
          return true;
        }
        std::unique_lock<std::mutex> lock(m);
        const bool seen = cv.wait_for(lock, 5s, [&] { return client_saw_first; });
        const std::string last = seen ? "second\n" : "client-did-not-see-first\n";
        sink.write(last.data(), last.size());
        sink.done();
        return true;
      });
    });
  });
  lgw::client client(srv.url(), fast_options());
  lgw::http_request req;
  req.method = "GET";
  req.target = "/stream";
  std::string body;
  auto res = client.perform(req, true, [&](const lgw::http_response &head, std::string_view chunk) {
    CHECK(head.status == 200);
    CHECK(head.header("Content-Type") == "text/event-stream");
    body.append(chunk);
    if (body == "first\n") {
      std::lock_guard<std::mutex> lock(m);
      client_saw_first = true;
      cv.notify_all();
    }
    return true;
  });
  CHECK(res.status == 200);
  CHECK(body == "first\nsecond\n");
}

TEST_CASE("httplib transport: a callback that stops ends the call early, without an error") {
  std::atomic<int> sent_chunks{0};
  loopback_server srv([&](httplib::Server &s) {
    s.Get("/endless", [&](const httplib::Request &, httplib::Response &res) {
      res.set_chunked_content_provider("text/plain", [&](std::size_t, httplib::DataSink &sink) {
        std::this_thread::sleep_for(5ms);
        ++sent_chunks;
        return sent_chunks < 2000 && sink.write("tick\n", 5);
      });
    });
    s.Get("/ok", [](const httplib::Request &, httplib::Response &res) {
      res.set_content(R"({"ok":true})", "application/json");
    });
  });
  lgw::client client(srv.url(), fast_options());
  lgw::http_request req;
  req.method = "GET";
  req.target = "/endless";
  int calls = 0;
  auto res = client.perform(req, true, [&](const lgw::http_response &, std::string_view) { return ++calls < 3; });
  CHECK(res.status == 200);
  CHECK_FALSE(res.failure);
  CHECK(calls == 3);
  CHECK(sent_chunks < 2000);
  CHECK(client.ok()["ok"] == true); // the transport still works afterwards (new connection)
}

TEST_CASE("httplib transport: error statuses keep the server's body") {
  loopback_server srv([](httplib::Server &s) {
    s.Get("/ok", [](const httplib::Request &, httplib::Response &res) {
      res.status = 404;
      res.set_content("Run not found", "text/plain");
    });
  });
  lgw::client client(srv.url(), fast_options());
  try {
    client.ok();
    FAIL("expected not_found");
  } catch (const lgw::error &e) {
    CHECK(e.kind() == lgw::error_kind::not_found);
    CHECK(e.message() == "Run not found");
    CHECK(std::string(e.what()) == "GET /ok: 404 not_found: Run not found");
  }
}

TEST_CASE("httplib transport: https to a plain-http port fails as a TLS error") {
  loopback_server srv([](httplib::Server &s) {
    s.Get("/info", [](const httplib::Request &, httplib::Response &res) { res.set_content("{}", "application/json"); });
  });
  lgw::client_options o = fast_options();
  o.retry.max_retries = 0;
  lgw::client client("https://127.0.0.1:" + std::to_string(srv.port()), o);
  try {
    client.info();
    FAIL("expected a TLS error");
  } catch (const lgw::error &e) {
    CHECK(e.kind() == lgw::error_kind::tls);
  }
}

TEST_CASE("httplib transport: a stream quiet for longer than cpp-httplib's default 5 s read timeout goes on") {
  loopback_server srv([](httplib::Server &s) {
    s.Get("/threads/t/runs/r/stream", [](const httplib::Request &, httplib::Response &res) {
      res.set_chunked_content_provider("text/event-stream", [](std::size_t offset, httplib::DataSink &sink) {
        if (offset == 0) {
          const std::string first = "event: metadata\ndata: {\"run_id\":\"r\"}\n\n";
          sink.write(first.data(), first.size());
          return true;
        }
        std::this_thread::sleep_for(5500ms); // a long model call: nothing on the wire
        const std::string last = "event: values\ndata: {\"done\":true}\n\n";
        sink.write(last.data(), last.size());
        sink.done();
        return true;
      });
    });
  });
  lgw::client_options o = fast_options();
  o.read_timeout = 8s;
  lgw::client client(srv.url(), o);
  std::vector<std::string> events;
  auto res = client.runs().join_stream("t", "r", [&](const lgw::stream_part &p) { events.push_back(p.event); });
  CHECK(events == std::vector<std::string>{"metadata", "values"});
  CHECK(res.parts == 2);
}
