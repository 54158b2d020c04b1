// The webhook receiver through the mock server transport: every answer, the event's fields
// from both servers' payloads, duplicates, the backlog, wait_for, URLs and the URL preflight.
#include "langgraph_webhooks.hpp"

#include "test_support.hpp"

#include <doctest/doctest.h>

#include <atomic>
#include <thread>

using nlohmann::json;
using namespace std::chrono_literals;

namespace {

using mock_server = lgw::basic_webhook_server<lgw::mock_server_transport>;

// What the JS dev server sends (observed): text/plain, message string error, LangChain
// constructor-form messages in values.
const char *const js_payload =
    R"({"run_id":"01a2207e-6e6e-770f-a132-1897638a803d","thread_id":"01a2207e-6de3-7119-9f60-7cee44f67ce0",
 "assistant_id":"fe096781-5601-53d2-b2f6-0d3403f7e9ca","metadata":{"created_by":"system","graph_id":"agent"},
 "status":"success","kwargs":{"input":{"messages":[{"role":"human","content":"hook me"}]},"webhook":"http://127.0.0.1:36781/hook?token=abc"},
 "multitask_strategy":"reject","created_at":"2026-11-28T04:51:26.446Z","updated_at":"2026-11-28T04:51:26.479Z",
 "run_started_at":"2026-11-28T04:51:26.450Z","run_ended_at":"2026-11-28T04:51:26.479Z","webhook_sent_at":"2026-11-28T04:51:26.480Z",
 "values":{"messages":[{"lc":1,"type":"constructor","id":["langchain_core","messages","AIMessage"],"kwargs":{"content":"echo: hook me"}}]}})";

// What the Python cloud server sends for a failed run (>= 0.7.46): error object, +00:00 times.
const char *const py_error_payload = R"({"run_id":"1ef-py","thread_id":"t-py","assistant_id":"a-py","status":"error",
 "created_at":"2025-06-01T10:00:00.123456+00:00","run_started_at":"2025-06-01T10:00:00.200000+00:00",
 "run_ended_at":"2025-06-01T10:00:01.700000+00:00","webhook_sent_at":"2025-06-01T10:00:01.700100+00:00",
 "values":null,"error":{"error":"ValueError","message":"bad \u00e9 input"},"metadata":{},"kwargs":{}})";

std::string payload(const std::string &run_id, const std::string &status = "success") {
  return json{{"run_id", run_id}, {"thread_id", "t"}, {"status", status}, {"values", {{"n", 1}}}}.dump();
}

// Most tests here are not about the secret: they deliver without one.
lgw::webhook_server_options opts() {
  lgw::webhook_server_options o;
  o.path = "/hook";
  o.require_secret = false;
  return o;
}

std::string detail_of(const lgw::http_response &r) { return json::parse(r.body).at("detail"); }

} // namespace

TEST_CASE("receiver: a JS server payload becomes a typed event") {
  mock_server hooks(opts());
  std::vector<lgw::webhook_event> got;
  hooks.on_event([&](const lgw::webhook_event &e) { got.push_back(e); });
  hooks.start();
  auto res = hooks.transport().post("/hook?route=billing&token=x", js_payload);
  CHECK(res.status == 200);
  REQUIRE(got.size() == 1);
  const lgw::webhook_event &e = got[0];
  CHECK(e.run_id == "01a2207e-6e6e-770f-a132-1897638a803d");
  CHECK(e.thread_id == "01a2207e-6de3-7119-9f60-7cee44f67ce0");
  CHECK(e.assistant_id == "fe096781-5601-53d2-b2f6-0d3403f7e9ca");
  CHECK(e.status == lgw::run_status::success);
  CHECK(e.status_text == "success");
  REQUIRE(e.run_started_at);
  REQUIRE(e.run_ended_at);
  CHECK(*e.run_ended_at - *e.run_started_at == 29ms);
  CHECK(e.created_at);
  CHECK(e.updated_at);
  CHECK(e.webhook_sent_at);
  CHECK_FALSE(e.error);
  CHECK(e.query_value("route") == "billing");
  CHECK(e.metadata()["graph_id"] == "agent");
  CHECK(e.kwargs()["webhook"] == "http://127.0.0.1:36781/hook?token=abc");
  REQUIRE(e.values());
  CHECK((*e.values())["messages"][0]["kwargs"]["content"] == "echo: hook me");
  CHECK(e.json() == json::parse(js_payload));
  CHECK(e.body == js_payload);
}

TEST_CASE("receiver: the cloud server's error object and a string error both normalise") {
  auto py = lgw::webhook_event::from_body(py_error_payload);
  CHECK(py.status == lgw::run_status::error);
  REQUIRE(py.error);
  CHECK(py.error->error == "ValueError");
  CHECK(py.error->message == "bad \xC3\xA9 input");
  CHECK_FALSE(py.values()); // null
  CHECK(py.kwargs() == json::object());
  REQUIRE(py.created_at);
  CHECK(py.created_at->time_since_epoch().count() % 1000000 == 123456);

  auto js = lgw::webhook_event::from_body(R"({"run_id":"r","status":"error","error":"rollback"})");
  REQUIRE(js.error);
  CHECK(js.error->error.empty());
  CHECK(js.error->message == "rollback");
  CHECK_FALSE(js.values()); // absent
  CHECK(js.metadata().is_null());
}

TEST_CASE("receiver: statuses outside the Run enum are kept") {
  auto rb = lgw::webhook_event::from_body(R"({"run_id":"r","status":"rollback"})");
  CHECK(rb.status == lgw::run_status::rollback);
  auto odd = lgw::webhook_event::from_body(R"({"run_id":"r","status":"evaporated"})");
  CHECK(odd.status == lgw::run_status::unknown);
  CHECK(odd.status_text == "evaporated");
  auto esc = lgw::webhook_event::from_body(R"({"run_id":"r\u002d1","status":"timeout","thread_id":null})");
  CHECK(esc.run_id == "r-1");
  CHECK(esc.status == lgw::run_status::timeout);
  CHECK(esc.thread_id.empty());
}

TEST_CASE("receiver: every refusal has its status and a clear reason") {
  lgw::webhook_server_options o = opts();
  o.secret = "s3cr3t";
  o.max_body_bytes = 2048;
  mock_server hooks(o);
  int calls = 0;
  hooks.on_event([&](const lgw::webhook_event &) { ++calls; });
  hooks.start();
  auto &t = hooks.transport();

  auto r404 = t.post("/other?token=s3cr3t", payload("r1"));
  CHECK(r404.status == 404);

  lgw::http_request get;
  get.method = "GET";
  get.target = "/hook?token=s3cr3t";
  auto r405 = t.request(get);
  CHECK(r405.status == 405);
  CHECK(r405.header("Allow") == "POST");

  CHECK(t.post("/hook", payload("r1")).status == 401);
  CHECK(t.post("/hook?token=s3cr3", payload("r1")).status == 401);
  CHECK(t.post("/hook?token=s3cr3tX", payload("r1")).status == 401);
  auto r401 = t.post("/hook?token=wrong", payload("r1"));
  CHECK(detail_of(r401) == "missing or wrong webhook secret");
  CHECK(r401.body.find("wrong\"") == std::string::npos);

  auto r413 = t.post("/hook?token=s3cr3t", std::string(3000, ' ') + payload("r1"));
  CHECK(r413.status == 413);

  auto r400 = t.post("/hook?token=s3cr3t", R"({"run_id": "r1", )");
  CHECK(r400.status == 400);
  CHECK(detail_of(r400).find("not JSON") != std::string::npos);
  CHECK(t.post("/hook?token=s3cr3t", "").status == 400);
  CHECK(t.post("/hook?token=s3cr3t", "\xff").status == 400);

  auto r422 = t.post("/hook?token=s3cr3t", R"({"status":"success"})");
  CHECK(r422.status == 422);
  CHECK(detail_of(r422) == "not a LangGraph run payload: no \"run_id\"");
  CHECK(t.post("/hook?token=s3cr3t", R"([{"run_id":"r1"}])").status == 422);
  CHECK(t.post("/hook?token=s3cr3t", R"("r1")").status == 422);
  CHECK(t.post("/hook?token=s3cr3t", R"({"run_id":7})").status == 422);
  CHECK(t.post("/hook?token=s3cr3t", R"({"run_id":"r1","status":{"x":1}})").status == 422);

  CHECK(calls == 0);
  auto stats = hooks.stats();
  CHECK(stats.rejected == 15);
  CHECK(stats.accepted == 0);

  CHECK(t.post("/hook?token=s3cr3t", payload("r1")).status == 200);
  CHECK(t.post("/hook", payload("r2"), {{"X-Webhook-Secret", "s3cr3t"}}).status == 200);
  CHECK(calls == 2);
}

TEST_CASE("receiver: a repeated (run_id, status) is acknowledged once and delivered once") {
  mock_server hooks(opts());
  std::vector<std::string> seen;
  hooks.on_event([&](const lgw::webhook_event &e) { seen.push_back(e.run_id + ':' + e.status_text); });
  hooks.start();
  auto &t = hooks.transport();
  CHECK(t.post("/hook", payload("r1")).status == 200);
  CHECK(t.post("/hook", payload("r1")).status == 200);
  CHECK(t.post("/hook", payload("r1", "error")).status == 200); // another outcome is another event
  CHECK(seen == std::vector<std::string>{"r1:success", "r1:error"});
  CHECK(hooks.stats().duplicates == 1);
  CHECK(hooks.stats().accepted == 2);
}

TEST_CASE("receiver: a handler that throws answers 500, reports the error, and a retry is handled") {
  mock_server hooks(opts());
  int attempts = 0;
  std::vector<std::string> errors;
  hooks.on_event([&](const lgw::webhook_event &) {
    if (++attempts == 1) throw std::runtime_error("database down");
  });
  hooks.on_error([&](const lgw::webhook_event &e, std::exception_ptr ex) {
    try {
      std::rethrow_exception(ex);
    } catch (const std::exception &x) {
      errors.push_back(e.run_id + ": " + x.what());
    }
  });
  hooks.start();
  auto &t = hooks.transport();
  CHECK(t.post("/hook", payload("r1")).status == 500);
  CHECK(errors == std::vector<std::string>{"r1: database down"});
  CHECK(t.post("/hook", payload("r1")).status == 200); // the cloud server's retry
  CHECK(attempts == 2);
  CHECK(hooks.stats().failed == 1);
  CHECK(hooks.stats().accepted == 1);
}

TEST_CASE("receiver: wait_for finds events that came before and after the call") {
  mock_server hooks(opts());
  hooks.start();
  CHECK(hooks.transport().post("/hook", payload("early")).status == 200);
  auto early = hooks.wait_for("early", 0ms);
  REQUIRE(early);
  CHECK(early->values() == json{{"n", 1}});

  std::thread later([&] {
    std::this_thread::sleep_for(50ms);
    hooks.transport().post("/hook", payload("late", "interrupted"));
  });
  auto late = hooks.wait_for("late", 10s);
  later.join();
  REQUIRE(late);
  CHECK(late->status == lgw::run_status::interrupted);
  CHECK_FALSE(hooks.wait_for("never", 20ms));
}

TEST_CASE("receiver: recent events are bounded in number") {
  lgw::webhook_server_options o = opts();
  o.recent_events = 3;
  mock_server hooks(o);
  hooks.start();
  for (int i = 0; i < 5; ++i) hooks.transport().post("/hook", payload("r" + std::to_string(i)));
  CHECK_FALSE(hooks.wait_for("r0", 0ms));
  CHECK_FALSE(hooks.wait_for("r1", 0ms));
  CHECK(hooks.wait_for("r4", 0ms));
  // forgotten events are handled afresh if delivered again
  CHECK(hooks.transport().post("/hook", payload("r0")).status == 200);
  CHECK(hooks.stats().duplicates == 0);
}

TEST_CASE("receiver: recent events are bounded in bytes, keeping at least the newest") {
  lgw::webhook_server_options o = opts();
  o.recent_bytes = 2000; // each small event below counts ~500 bytes (payload, strings, bookkeeping)
  mock_server hooks(o);
  hooks.start();
  for (int i = 0; i < 6; ++i) hooks.transport().post("/hook", payload("b" + std::to_string(i)));
  CHECK_FALSE(hooks.wait_for("b0", 0ms));
  CHECK(hooks.wait_for("b5", 0ms));
  CHECK(hooks.wait_for("b4", 0ms));
  const std::string big = json{{"run_id", "big"}, {"status", "success"}, {"values", std::string(5000, 'x')}}.dump();
  CHECK(hooks.transport().post("/hook", big).status == 200);
  CHECK(hooks.wait_for("big", 0ms)); // larger than the budget on its own, and still kept
  CHECK_FALSE(hooks.wait_for("b5", 0ms));
}

TEST_CASE("receiver: recent_bytes counts query parameters and bookkeeping, not only the payload") {
  lgw::webhook_server_options o = opts();
  o.recent_bytes = 1 << 20;
  mock_server hooks(o);
  hooks.start();
  std::string query = "?";
  for (int i = 0; i < 2000; ++i) query += "a&"; // 4 KB of target, 2,000 pairs of strings
  for (int i = 0; i < 100; ++i)
    CHECK(hooks.transport().post("/hook" + query, payload("q" + std::to_string(i))).status == 200);
  // each event holds ~130 KB of query pairs: 1 MiB keeps only the newest few
  CHECK(hooks.wait_for("q99", 0ms));
  CHECK_FALSE(hooks.wait_for("q80", 0ms));
  CHECK(hooks.stats().remembered < 12);
}

TEST_CASE("receiver: callbacks run at most worker_threads at a time; the backlog is bounded (503)") {
  lgw::webhook_server_options o = opts();
  o.worker_threads = 2;
  o.max_backlog = 1;
  mock_server hooks(o);
  std::mutex m;
  std::condition_variable cv;
  int running = 0, peak = 0;
  bool release = false;
  hooks.on_event([&](const lgw::webhook_event &) {
    std::unique_lock<std::mutex> lock(m);
    peak = std::max(peak, ++running);
    cv.notify_all();
    cv.wait(lock, [&] { return release; });
    --running;
  });
  hooks.start();
  std::vector<int> statuses(3);
  std::vector<std::thread> senders;
  for (int i = 0; i < 3; ++i)
    senders.emplace_back([&, i] {
      statuses[std::size_t(i)] = hooks.transport().post("/hook", payload("r" + std::to_string(i))).status;
    });
  {
    std::unique_lock<std::mutex> lock(m);
    cv.wait_for(lock, 10s, [&] { return running == 2; });
  }
  // two callbacks run, one delivery waits: the next one is refused
  for (int i = 0; i < 5000 && hooks.stats().waiting < 1; ++i) std::this_thread::sleep_for(1ms);
  CHECK(hooks.stats().running == 2);
  CHECK(hooks.stats().waiting == 1);
  auto busy = hooks.transport().post("/hook", payload("overflow"));
  CHECK(busy.status == 503);
  CHECK(busy.header("Retry-After") == "1");
  {
    std::lock_guard<std::mutex> lock(m);
    release = true;
  }
  cv.notify_all();
  for (auto &s : senders) s.join();
  CHECK(statuses == std::vector<int>{200, 200, 200});
  CHECK(peak == 2);
  CHECK(hooks.stats().busy == 1);
  CHECK(hooks.stats().accepted == 3);
}

TEST_CASE("receiver: url(), secrets, public_url, restart keeps the port") {
  lgw::webhook_server_options o;
  o.secret = "a b&c";
  mock_server hooks(o);
  hooks.start();
  CHECK(hooks.url() == "http://127.0.0.1:49152/langgraph/webhook?token=a%20b%26c");
  CHECK(hooks.transport().post("/langgraph/webhook?token=a%20b%26c", payload("r")).status == 200);
  hooks.stop();
  CHECK_FALSE(hooks.transport().running());
  CHECK_THROWS_AS(hooks.transport().post("/langgraph/webhook", payload("r")), std::logic_error);
  hooks.start();
  CHECK(hooks.transport().starts() == 2);
  CHECK(hooks.port() == 49152);
  CHECK(hooks.wait_for("r", 0ms)); // events survive a restart

  lgw::webhook_server_options pub;
  pub.public_url = "https://abc.tunnel.example";
  pub.secret = "k";
  pub.secret_in_url = false;
  mock_server behind(pub);
  behind.start();
  CHECK(behind.url() == "https://abc.tunnel.example/langgraph/webhook");
  CHECK(behind.check_url().ok());
  pub.public_url = "https://lb.example/custom/path";
  CHECK(mock_server(pub).url() == "https://lb.example/custom/path");

  lgw::webhook_server_options any;
  any.host = "0.0.0.0";
  any.port = 8080;
  any.require_secret = false;
  mock_server wide(any);
  wide.start();
  CHECK(wide.url() == "http://127.0.0.1:8080/langgraph/webhook");
  CHECK_FALSE(wide.check_url().ok());
}

TEST_CASE("receiver: url() before start() with any free port is an error, not a URL with port 0") {
  mock_server early; // port 0: chosen by start()
  const lgw::error e = test::error_of([&] { (void)early.url(); });
  CHECK(e.kind() == lgw::error_kind::invalid_argument);
  CHECK(e.endpoint() == "webhook_server::url");
  CHECK(std::string(e.what()).find("call start() first") != std::string::npos);
  early.start();
  CHECK(early.url().find(":0/") == std::string::npos);

  lgw::webhook_server_options fixed;
  fixed.port = 8787;
  fixed.secret = "k";
  CHECK(mock_server(fixed).url() == "http://127.0.0.1:8787/langgraph/webhook?token=k"); // known before start()
}

TEST_CASE("receiver: secure by default — a random secret that url() carries, required of every delivery") {
  mock_server a, b; // default options
  a.start();
  b.start();
  REQUIRE(a.secret().size() == 32);
  CHECK(a.secret().find_first_not_of("0123456789abcdef") == std::string::npos);
  CHECK(a.secret() != b.secret());
  CHECK(a.url() == "http://127.0.0.1:49152/langgraph/webhook?token=" + a.secret());
  // Nothing without the secret is delivered, whatever the body.
  int delivered = 0;
  a.on_event([&](const lgw::webhook_event &) { ++delivered; });
  CHECK(a.transport().post("/langgraph/webhook", payload("x")).status == 401);
  CHECK(a.transport().post("/langgraph/webhook?token=" + b.secret(), payload("x")).status == 401);
  CHECK(a.transport().post("/langgraph/webhook?token=" + a.secret().substr(1), payload("x")).status == 401);
  CHECK(delivered == 0);
  CHECK_FALSE(a.wait_for("x", 0ms));
  // The URL the program passes as `webhook` works unchanged.
  const std::string target = a.url().substr(a.url().find("/langgraph"));
  CHECK(a.transport().post(target, payload("x")).status == 200);
  CHECK(delivered == 1);

  lgw::webhook_server_options open;
  open.require_secret = false; // the explicit opt-out
  mock_server c(open);
  c.start();
  CHECK(c.secret().empty());
  CHECK(c.url() == "http://127.0.0.1:49152/langgraph/webhook");
  CHECK(c.transport().post("/langgraph/webhook", payload("y")).status == 200);
}

TEST_CASE("receiver: the secret from a header, or Authorization: Bearer as webhooks.headers sends it") {
  lgw::webhook_server_options o = opts();
  o.secret = "s3cr3t";
  mock_server hooks(o);
  hooks.start();
  auto &t = hooks.transport();
  CHECK(t.post("/hook", payload("h1"), {{"X-Webhook-Secret", "s3cr3t"}}).status == 200);
  CHECK(t.post("/hook", payload("h2"), {{"x-webhook-secret", "wrong"}}).status == 401);
  CHECK(t.post("/hook", payload("h3"), {{"Authorization", "Bearer s3cr3t"}}).status == 200);
  CHECK(t.post("/hook", payload("h4"), {{"Authorization", "bearer  s3cr3t "}}).status == 200);
  CHECK(t.post("/hook", payload("h5"), {{"Authorization", "Basic s3cr3t"}}).status == 401);
  CHECK(t.post("/hook", payload("h6"), {{"Authorization", "Bearer s3cr3"}}).status == 401);
  CHECK(t.post("/hook?token=s3cr3t", payload("h7")).status == 200);
  // Any place carrying the secret admits: a Bearer token meant for a proxy in front, or a wrong
  // header, does not hide the right token in the URL (found by an attacker's review).
  CHECK(t.post("/hook?token=s3cr3t", payload("h8"), {{"Authorization", "Bearer for-the-proxy"}}).status == 200);
  CHECK(t.post("/hook?token=s3cr3t", payload("h9"), {{"X-Webhook-Secret", "stale"}}).status == 200);
  CHECK(t.post("/hook?token=other&token=s3cr3t", payload("h10")).status == 200);
  CHECK(t.post("/hook?token=wrong", payload("h11"), {{"Authorization", "Bearer wrong"}}).status == 401);
}

TEST_CASE("receiver: the head alone decides 404, 405, 401, 415 and 413, before any body") {
  lgw::webhook_server_options o = opts();
  o.secret = "k";
  o.max_body_bytes = 1000;
  mock_server hooks(o);
  hooks.start();
  auto head = [](std::string method, std::string target, lgw::http_headers h = {}) {
    lgw::http_request r;
    r.method = std::move(method);
    r.target = std::move(target);
    r.headers = std::move(h);
    return r;
  };
  auto status = [&](const lgw::http_request &r) {
    auto a = hooks.check_head(r);
    return a ? a->status : 0;
  };
  CHECK(status(head("POST", "/other?token=k")) == 404);
  CHECK(status(head("GET", "/hook?token=k")) == 405);
  CHECK(status(head("POST", "/hook?token=x", {{"Content-Length", "5"}})) == 401);
  CHECK(status(head("POST", "/hook?token=k", {{"Content-Encoding", "gzip"}})) == 415);
  CHECK(status(head("POST", "/hook?token=k", {{"Content-Encoding", "identity"}})) == 0);
  CHECK(status(head("POST", "/hook?token=k", {{"Content-Length", "1001"}})) == 413);
  CHECK(status(head("POST", "/hook?token=k", {{"Content-Length", "99999999999999999999999"}})) == 413);
  CHECK(status(head("POST", "/hook?token=k", {{"Content-Length", "1000"}})) == 0);
  CHECK(status(head("POST", "/hook?token=k")) == 0);
  // handle() applies the same checks to callers that skip check_head.
  auto gz = head("POST", "/hook?token=k", {{"Content-Encoding", "br"}});
  gz.body = payload("gz");
  CHECK(hooks.handle(gz).status == 415);
  CHECK_FALSE(hooks.wait_for("gz", 0ms));
}

TEST_CASE("receiver: deep JSON is refused with 422 and nothing recurses into it") {
  lgw::webhook_server_options o = opts();
  o.max_json_depth = 64;
  mock_server hooks(o);
  hooks.start();
  auto nested = [](const std::string &key, std::size_t depth) {
    std::string v(depth, '[');
    v += std::string(depth, ']');
    return R"({"run_id":"deep","status":"error",")" + key + "\":" + v + "}";
  };
  // the payload object itself is one level: 63 more are fine, 64 are not
  CHECK(hooks.transport().post("/hook", nested("values", 63)).status == 200);
  for (const char *key : {"error", "values", "kwargs", "metadata", "other"}) {
    CAPTURE(key);
    auto res = hooks.transport().post("/hook", nested(key, 64));
    CHECK(res.status == 422);
    CHECK(detail_of(res).find("nested more than 64 levels deep") != std::string::npos);
  }
  // the default limit, against what crashed the receiver: an `error` 100,000 levels deep
  mock_server def(opts());
  def.start();
  auto res = def.transport().post("/hook", nested("error", 100000));
  CHECK(res.status == 422);
  CHECK(def.transport().post("/hook", payload("still-up")).status == 200);
}

TEST_CASE("receiver: member names are read unescaped, each once, so the event and json() agree") {
  mock_server hooks(opts());
  hooks.start();
  std::vector<lgw::webhook_event> got;
  hooks.on_event([&](const lgw::webhook_event &ev) { got.push_back(ev); });
  auto &t = hooks.transport();
  // an escaped name is the same name, as for nlohmann_json and Python's json
  REQUIRE(t.post("/hook", R"({"run_\u0069d":"esc-1","st\u0061tus":"success","v\u0061lues":{"n":2}})").status == 200);
  REQUIRE(got.size() == 1);
  CHECK(got[0].run_id == "esc-1");
  CHECK(got[0].status == lgw::run_status::success);
  CHECK(got[0].values()->at("n") == 2);
  CHECK(got[0].json()["run_id"] == got[0].run_id);
  // the same inside the cloud server's `error` object
  REQUIRE(
      t.post("/hook", R"({"run_id":"esc-2","status":"error","error":{"\u0065rror":"ValueError","m\u0065ssage":"bad"}})")
          .status == 200);
  REQUIRE(got.size() == 2);
  REQUIRE(got[1].error);
  CHECK(got[1].error->error == "ValueError");
  CHECK(got[1].error->message == "bad");
  // a name twice, written alike or not, is refused: which one counts would depend on the reader
  const char *twice[] = {
      R"({"run_id":"run-A","status":"success","run_\u0069d":"run-B","st\u0061tus":"error"})",
      R"({"run_id":"dup-2","status":"success","status":null})",
      R"({"run_id":"dup-3","status":"success","values":{"a":1},"v\u0061lues":{"a":2}})",
      R"({"run_id":"dup-4","status":"error","error":"x","error":null})",
      R"({"run_id":"dup-5","run_id":"dup-5","status":"success"})",
  };
  for (const char *body : twice) {
    CAPTURE(body);
    auto res = t.post("/hook", body);
    CHECK(res.status == 422);
    CHECK(detail_of(res).find("appears twice") != std::string::npos);
  }
  // members the receiver does not read may repeat, as JSON allows
  CHECK(t.post("/hook", R"({"run_id":"dup-6","status":"success","x":1,"x":2})").status == 200);
  CHECK(got.size() == 3);
}

TEST_CASE("receiver: run_id, thread_id, assistant_id and status are at most max_webhook_id_bytes") {
  mock_server hooks(opts());
  hooks.start();
  auto &t = hooks.transport();
  const std::string longest(lgw::max_webhook_id_bytes, 'r');
  CHECK(t.post("/hook", json{{"run_id", longest}, {"status", "success"}}.dump()).status == 200);
  for (const char *key : {"run_id", "thread_id", "assistant_id", "status"}) {
    CAPTURE(key);
    json body{{"run_id", "id-ok"}, {"status", "success"}};
    body[key] = std::string(lgw::max_webhook_id_bytes + 1, 'x');
    auto res = t.post("/hook", body.dump());
    CHECK(res.status == 422);
    CHECK(detail_of(res).find("is longer than 256 bytes") != std::string::npos);
  }
  // escapes count as what they stand for: 256 escaped letters are 256 bytes
  std::string escaped;
  for (std::size_t i = 0; i < lgw::max_webhook_id_bytes; ++i) escaped += "\\u0061";
  CHECK(t.post("/hook", R"({"status":"success","run_id":")" + escaped + "\"}").status == 200);
  CHECK(t.post("/hook", R"({"status":"success","run_id":")" + escaped + "\\u0061\"}").status == 422);
  // an `error` that is neither a string nor an object keeps 2,000 bytes, however large
  auto big = t.post(
      "/hook", json{{"run_id", "big-error"}, {"status", "error"}, {"error", json(std::vector<int>(400000, 7))}}.dump());
  CHECK(big.status == 200);
  auto ev = hooks.wait_for("big-error", std::chrono::seconds(0));
  REQUIRE(ev);
  REQUIRE(ev->error);
  CHECK(ev->error->message.size() <= 2003);
  CHECK(ev->error->message.rfind("[7,7,7", 0) == 0);
}

TEST_CASE("receiver: values(), kwargs() and metadata() are parsed once and shared by copies") {
  auto e = lgw::webhook_event::from_body(js_payload);
  const nlohmann::json *first = &e.kwargs();
  CHECK(&e.kwargs() == first);
  REQUIRE(e.values());
  const auto *v = &*e.values();
  lgw::webhook_event copy = e;
  CHECK(&*copy.values() == v);
  CHECK(&copy.metadata() == &e.metadata());
  // many threads asking at once get the one parse
  auto fresh = lgw::webhook_event::from_body(js_payload);
  std::vector<std::thread> readers;
  std::vector<const nlohmann::json *> seen(8);
  for (std::size_t i = 0; i < seen.size(); ++i) readers.emplace_back([&, i] { seen[i] = &*fresh.values(); });
  for (auto &t : readers) t.join();
  for (auto *p : seen) CHECK(p == seen[0]);
}

TEST_CASE("receiver: dedupe keys cannot collide and do not outlive their events") {
  mock_server hooks(opts());
  std::vector<std::string> seen;
  hooks.on_event([&](const lgw::webhook_event &e) { seen.push_back(e.run_id + "|" + e.status_text); });
  hooks.start();
  // "a\nb" + "c" and "a" + "b\nc" used to share the key "a\nb\nc"
  auto raw = [](const std::string &run_id, const std::string &status) {
    return nlohmann::json{{"run_id", run_id}, {"status", status}}.dump();
  };
  CHECK(hooks.transport().post("/hook", raw("a\nb", "c")).status == 200);
  CHECK(hooks.transport().post("/hook", raw("a", "b\nc")).status == 200);
  CHECK(seen == std::vector<std::string>{"a\nb|c", "a|b\nc"});
  CHECK(hooks.stats().duplicates == 0);
}

TEST_CASE("receiver: events evicted while their callback runs leave no key behind") {
  lgw::webhook_server_options o = opts();
  o.recent_events = 4;
  o.worker_threads = 8;
  o.max_backlog = 200;
  mock_server hooks(o);
  std::atomic<int> calls{0};
  hooks.on_event([&](const lgw::webhook_event &) {
    ++calls;
    std::this_thread::sleep_for(std::chrono::microseconds(200));
  });
  hooks.start();
  std::vector<std::thread> senders;
  for (int s = 0; s < 8; ++s)
    senders.emplace_back([&, s] {
      for (int i = s; i < 4000; i += 8) hooks.transport().post("/hook", payload("ev-" + std::to_string(i)));
    });
  for (auto &t : senders) t.join();
  CHECK(calls == 4000);
  CHECK(hooks.stats().accepted == 4000);
  // only the kept events are remembered: a repeat of an old one is a new delivery again,
  // a repeat of a kept one is a duplicate
  CHECK(hooks.transport().post("/hook", payload("ev-3999")).status == 200);
  const auto before = hooks.stats();
  CHECK(before.duplicates + before.accepted == 4001);
  CHECK(hooks.stats().remembered <= 4);
}

TEST_CASE("receiver: options that cannot work together are refused at start()") {
  auto refused = [](lgw::webhook_server_options o) {
    mock_server hooks(o);
    try {
      hooks.start();
    } catch (const lgw::error &e) {
      CHECK(e.kind() == lgw::error_kind::invalid_argument);
      return std::string(e.what());
    }
    return std::string();
  };
  lgw::webhook_server_options o;
  o.max_connections = 32; // worker_threads 8 + max_backlog 64 > 32
  CHECK(refused(o).find("exceeds max_connections") != std::string::npos);
  o = {};
  o.max_body_bytes = o.max_body_bytes_total + 1;
  CHECK(refused(o).find("max_body_bytes_total") != std::string::npos);
  o = {};
  o.worker_threads = 0;
  CHECK(refused(o).find("worker_threads") != std::string::npos);
  o = {};
  o.path = "hook";
  CHECK(refused(o).find("path") != std::string::npos);
  o = {};
  o.head_timeout = std::chrono::milliseconds(0);
  CHECK(refused(o).find("positive") != std::string::npos);
  CHECK(refused(lgw::webhook_server_options{}).empty()); // the defaults are consistent
}

TEST_CASE("receiver: stop() answers deliveries still waiting for a callback slot with 503") {
  lgw::webhook_server_options o = opts();
  o.worker_threads = 1;
  mock_server hooks(o);
  std::atomic<bool> release{false};
  std::atomic<int> started{0};
  hooks.on_event([&](const lgw::webhook_event &) {
    ++started;
    while (!release) std::this_thread::sleep_for(1ms);
  });
  hooks.start();
  int first = 0, second = 0;
  std::thread a([&] { first = hooks.transport().post("/hook", payload("s1")).status; });
  while (started == 0) std::this_thread::sleep_for(1ms);
  std::thread b([&] { second = hooks.transport().post("/hook", payload("s2")).status; });
  while (hooks.stats().waiting == 0) std::this_thread::sleep_for(1ms);
  std::thread stopper([&] { hooks.stop(); });
  b.join(); // answered without waiting for the running callback
  CHECK(second == 503);
  release = true;
  a.join();
  stopper.join();
  CHECK(first == 200);
  CHECK(hooks.wait_for("s1", 0ms));
  CHECK_FALSE(hooks.wait_for("s2", 0ms));
}

TEST_CASE("URL preflight: the cloud server's policy") {
  CHECK(lgw::check_webhook_url("https://hooks.example.com/x?token=1").ok());
  CHECK(lgw::check_webhook_url("http://hooks.example.com/x").ok());

  for (const char *loop : {"http://127.0.0.1:8080/hook", "http://localhost/x", "http://LOCALHOST:1/x",
                           "http://[::1]:9/x", "http://host.docker.internal/x", "http://api.localhost/x"}) {
    CAPTURE(loop);
    auto c = lgw::check_webhook_url(loop);
    REQUIRE(c.problems.size() == 1);
    CHECK(c.problems[0].find("loopback") != std::string::npos);
    CHECK(c.problems[0].find("public_url") != std::string::npos);
    lgw::webhook_url_policy allow;
    allow.disable_loopback = false;
    CHECK(lgw::check_webhook_url(loop, allow).ok());
  }
  CHECK_FALSE(lgw::check_webhook_url("/relative/route").ok());

  lgw::webhook_url_policy strict;
  strict.require_https = true;
  strict.allowed_domains = {"hooks.example.com", "*.corp.example"};
  strict.allowed_ports = {443, 8443};
  strict.max_url_length = 60;
  CHECK(lgw::check_webhook_url("https://hooks.example.com/x", strict).ok());
  CHECK(lgw::check_webhook_url("https://a.b.corp.example:8443/x", strict).ok());
  CHECK(lgw::check_webhook_url("http://hooks.example.com/x", strict).problems ==
        std::vector<std::string>{"Webhook must use https", "Webhook port 80 not allowed"});
  CHECK(lgw::check_webhook_url("https://corp.example/x", strict).problems ==
        std::vector<std::string>{"Webhook domain not allowed: corp.example"});
  CHECK(lgw::check_webhook_url("https://evilhooks.example.com/x", strict).problems.size() == 1);
  CHECK(lgw::check_webhook_url("https://hooks.example.com/" + std::string(60, 'x'), strict)
            .problems.front()
            .find("too long") != std::string::npos);
  CHECK_FALSE(lgw::check_webhook_url("not a url"));
}

TEST_CASE("json_scanner accepts exactly what nlohmann_json accepts") {
  const char *const texts[] = {
      "{}",
      "[]",
      "0",
      "-0",
      "1.5e10",
      "-1.0E-2",
      "true",
      "false",
      "null",
      "\"\"",
      " { \"a\" : [ 1 , {\"b\":null} ] } ",
      "\"\\u00e9\\ud83d\\ude00\\\"\\\\\\/\\b\\f\\n\\r\\t\"",
      "\"caf\xC3\xA9 \xF0\x9F\x98\x80\"",
      "[[[[[]]]]]",
      "{\"a\":{\"b\":{\"c\":[1,2,{\"d\":\"e\"}]}},\"f\":1}",
      "1e400",
      // invalid
      "",
      " ",
      "{",
      "}",
      "[1,]",
      "{\"a\":1,}",
      "{\"a\" 1}",
      "{1:2}",
      "01",
      "1.",
      ".5",
      "-",
      "1e",
      "+1",
      "tru",
      "nul",
      "\"abc",
      "\"\\x\"",
      "\"\\u12\"",
      "\"\\ud800\"",
      "\"\\udc00\"",
      "\"\\ud800\\u0041\"",
      "\"a\x01\"",
      "\"\xC0\xAF\"",
      "\"\xED\xA0\x80\"",
      "\"\xF4\x90\x80\x80\"",
      "\"\xE2\x82\"",
      "\"\x80\"",
      "[1] [2]",
      "{\"a\":1}x",
      "[1 2]",
      "NaN",
      "{\"a\":}",
      "[,1]",
      "\"\xF0\x9F\x98\"",
  };
  for (const std::string t : texts) {
    CAPTURE(t);
    lgw::detail::json_scanner s(t);
    CHECK(s.scan([](std::string_view, std::size_t, std::size_t) {}) == json::accept(t));
  }
}

TEST_CASE("json_scanner reports top-level members with their exact value bytes") {
  const std::string text = R"( {"a": 1 ,"b" :{"x":[1,2]}, "c\"d":"s","e":[ ], "f":{}} )";
  lgw::detail::json_scanner s(text);
  std::vector<std::pair<std::string, std::string>> members;
  REQUIRE(s.scan([&](std::string_view k, std::size_t b, std::size_t e) {
    members.emplace_back(std::string(k), text.substr(b, e - b));
  }));
  CHECK(s.object());
  CHECK(members == std::vector<std::pair<std::string, std::string>>{
                       {"a", "1"}, {"b", R"({"x":[1,2]})"}, {"c\\\"d", R"("s")"}, {"e", "[ ]"}, {"f", "{}"}});
}
