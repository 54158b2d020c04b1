// basic_client through the mock transport: errors, retries, /wait, malformed answers, options.
#include "langgraph_webhooks.hpp"

#include "test_support.hpp"

#include <doctest/doctest.h>

#include <cstdlib>
#include <stdexcept>

using nlohmann::json;
using std::chrono::milliseconds;

namespace {

const char *const run_json = R"({"run_id":"1ef-run","thread_id":"1ef-thread","assistant_id":"fe096781",
  "created_at":"2025-06-01T10:00:00.123Z","updated_at":"2025-06-01T10:00:00.123Z",
  "status":"pending","metadata":{},"kwargs":{"webhook":"http://h"},"multitask_strategy":"reject"})";

} // namespace

TEST_CASE("a created run is parsed, with the raw JSON kept") {
  lgw::mock_client_transport mock;
  mock.respond(200, run_json, {{"Content-Location", "/threads/1ef-thread/runs/1ef-run"}});
  test::mock_client client(mock, "http://lg.test", test::no_key());
  lgw::run r = client.runs().create(test::a_run());
  CHECK(r.run_id == "1ef-run");
  CHECK(r.thread_id == "1ef-thread");
  CHECK(r.status == lgw::run_status::pending);
  CHECK(r.multitask_strategy == lgw::multitask_strategy::reject);
  CHECK(r.kwargs["webhook"] == "http://h");
  REQUIRE(r.created_at);
  CHECK(r.created_at->time_since_epoch().count() % 1000000 == 123000);
  CHECK(r.raw == json::parse(run_json));
}

TEST_CASE("every error status maps to its kind, with endpoint, status and server message") {
  struct row {
    int status;
    lgw::error_kind kind;
    std::string body;
    std::string message;
  };
  const row rows[] = {
      {400, lgw::error_kind::bad_request, R"({"detail":"Cannot specify both configurable and context."})",
       "Cannot specify both configurable and context."},
      {401, lgw::error_kind::unauthorized, R"({"detail":"Invalid API key"})", "Invalid API key"},
      {403, lgw::error_kind::forbidden, R"({"message":"Forbidden here"})", "Forbidden here"},
      {404, lgw::error_kind::not_found, "Thread not found", "Thread not found"},
      {409, lgw::error_kind::conflict,
       R"({"detail":"Thread is already running a task. Wait for it to finish or choose a different multitask strategy."})",
       "Thread is already running a task. Wait for it to finish or choose a different multitask strategy."},
      {422, lgw::error_kind::unprocessable_entity, R"({"error":"Webhook must use https"})", "Webhook must use https"},
      {429, lgw::error_kind::rate_limited, R"({"error":{"message":"slow down"}})", "slow down"},
      {500, lgw::error_kind::server_error, "Internal Server Error", "Internal Server Error"},
      {503, lgw::error_kind::server_error, "", ""},
      {418, lgw::error_kind::bad_request, "  I'm a teapot\n", "I'm a teapot"},
      {302, lgw::error_kind::invalid_response, "", ""},
  };
  for (const auto &row : rows) {
    CAPTURE(row.status);
    lgw::mock_client_transport mock;
    mock.respond(row.status, row.body);
    lgw::client_options o = test::no_key();
    o.retry.max_retries = 0;
    test::mock_client client(mock, "http://lg.test", o);
    lgw::error e = test::error_of([&] { client.runs().create(test::a_run()); });
    CHECK(e.kind() == row.kind);
    CHECK(e.status() == row.status);
    CHECK(e.endpoint() == "POST /threads/1ef-thread/runs");
    CHECK(e.message() == row.message);
    CHECK(e.body() == row.body);
    const std::string what = e.what();
    CHECK(what.find("POST /threads/1ef-thread/runs: " + std::to_string(row.status)) == 0);
    CHECK(what.find(std::string(lgw::to_string(row.kind))) != std::string::npos);
    CHECK(what.find(row.message) != std::string::npos);
  }
}

TEST_CASE("validation errors of both servers come through as one readable line; the raw body is kept") {
  const std::string zod_uuid =
      R"({"success":false,"error":{"issues":[{"validation":"uuid","code":"invalid_string","message":"Invalid uuid","path":["thread_id"]},{"validation":"uuid","code":"invalid_string","message":"Invalid uuid","path":["run_id"]}],"name":"ZodError"}})";
  const std::string zod_union =
      R"({"success":false,"error":{"issues":[{"code":"invalid_union","unionErrors":[{"issues":[{"code":"invalid_type","expected":"array","received":"string","path":["stream_mode"],"message":"Expected array, received string"}],"name":"ZodError"},{"issues":[{"received":"bogus","code":"invalid_enum_value","path":["stream_mode"],"message":"Invalid enum value. Expected 'values' | 'updates', received 'bogus'"}],"name":"ZodError"}],"path":["stream_mode"],"message":"Invalid input"}],"name":"ZodError"}})";
  const std::string fastapi =
      R"({"detail":[{"loc":["body","assistant_id"],"msg":"field required","type":"value_error.missing"},{"loc":["body","input",0],"msg":"not a dict","type":"type_error"}]})";
  lgw::mock_client_transport mock;
  mock.respond(400, zod_uuid).respond(400, zod_union).respond(422, fastapi).respond(500, "Internal\nServer\tError");
  test::mock_client client(mock, "http://lg.test", test::no_key());
  const lgw::error uuid = test::error_of([&] { client.runs().get("not-a-uuid", "x"); });
  CHECK(uuid.message() == "thread_id: Invalid uuid; run_id: Invalid uuid");
  CHECK(uuid.body() == zod_uuid);
  CHECK(std::string(uuid.what()) ==
        "GET /threads/not-a-uuid/runs/x: 400 bad_request: thread_id: Invalid uuid; run_id: Invalid uuid");
  CHECK(test::error_of([&] { client.runs().create(test::a_run()); }).message() ==
        "stream_mode: Invalid enum value. Expected 'values' | 'updates', received 'bogus'");
  const lgw::error py = test::error_of([&] { client.runs().create(test::a_run()); });
  CHECK(py.message() == "assistant_id: field required; input.0: not a dict");
  CHECK(py.kind() == lgw::error_kind::unprocessable_entity);
  CHECK(test::error_of([&] { client.runs().create(test::a_run()); }).message() == "Internal Server Error"); // one line
}

TEST_CASE("the JS server's zod validation body yields a readable message") {
  lgw::mock_client_transport mock;
  mock.respond(
      400,
      R"({"success":false,"error":{"issues":[{"code":"invalid_type","path":["assistant_id"],"message":"Required"}],"name":"ZodError"}})");
  test::mock_client client(mock, "http://lg.test", test::no_key());
  lgw::error e = test::error_of([&] { client.runs().create(test::a_run()); });
  CHECK(e.kind() == lgw::error_kind::bad_request);
  CHECK(e.message().find("assistant_id") != std::string::npos);
  CHECK(e.message().find("Required") != std::string::npos);
}

TEST_CASE("transport failures become errors of their kind, naming the endpoint") {
  lgw::mock_client_transport mock;
  mock.fail(lgw::error_kind::timeout, "no data for 300000 ms (read timeout)", true);
  test::mock_client client(mock, "http://lg.test", test::no_key());
  lgw::error e = test::error_of([&] { client.runs().create(test::a_run()); });
  CHECK(e.kind() == lgw::error_kind::timeout);
  CHECK(e.status() == 0);
  CHECK(std::string(e.what()) == "POST /threads/1ef-thread/runs: timeout: no data for 300000 ms (read timeout)");
  CHECK(mock.requests().size() == 1); // sent and not idempotent: not repeated
}

TEST_CASE("retries: a request that never left is repeated with growing back-off") {
  std::vector<milliseconds> delays;
  lgw::client_options o = test::recording_sleeps(delays);
  o.retry.max_retries = 3;
  o.retry.initial_backoff = milliseconds(100);
  o.retry.max_backoff = milliseconds(250);
  o.retry.jitter = 0;
  lgw::mock_client_transport mock;
  mock.fail(lgw::error_kind::connection, "could not connect", false)
      .fail(lgw::error_kind::timeout, "connect timed out", false)
      .fail(lgw::error_kind::connection, "could not connect", false)
      .respond(200, run_json);
  test::mock_client client(mock, "http://lg.test", o);
  CHECK(client.runs().create(test::a_run()).run_id == "1ef-run");
  CHECK(mock.requests().size() == 4);
  CHECK(delays == std::vector<milliseconds>{milliseconds(100), milliseconds(200), milliseconds(250)});
}

TEST_CASE("retries: jitter keeps each delay within [1 - jitter, 1] of the exponential step") {
  std::vector<milliseconds> delays;
  lgw::client_options o = test::recording_sleeps(delays);
  o.retry.max_retries = 4;
  o.retry.initial_backoff = milliseconds(1000);
  o.retry.max_backoff = milliseconds(100000);
  o.retry.jitter = 0.5;
  lgw::mock_client_transport mock;
  mock.fail_from_call(1, lgw::error_kind::connection, "could not connect", false);
  test::mock_client client(mock, "http://lg.test", o);
  lgw::error e = test::error_of([&] { client.runs().create(test::a_run()); });
  CHECK(e.kind() == lgw::error_kind::connection);
  CHECK(mock.requests().size() == 5);
  REQUIRE(delays.size() == 4);
  for (std::size_t i = 0; i < delays.size(); ++i) {
    const auto step = 1000 << i;
    CHECK(delays[i].count() >= step / 2);
    CHECK(delays[i].count() <= step);
  }
}

TEST_CASE("retries: 5xx and broken connections only for idempotent requests") {
  {
    lgw::mock_client_transport mock;
    mock.respond(503, "busy").respond(502, "bad gateway").respond(200, "[]");
    test::mock_client client(mock, "http://lg.test", test::no_key());
    CHECK(client.assistants().search().empty());
    CHECK(mock.requests().size() == 3);
  }
  {
    lgw::mock_client_transport mock;
    mock.respond(503, "busy").respond(200, run_json);
    test::mock_client client(mock, "http://lg.test", test::no_key());
    lgw::error e = test::error_of([&] { client.runs().create(test::a_run()); });
    CHECK(e.kind() == lgw::error_kind::server_error);
    CHECK(mock.requests().size() == 1);
  }
  {
    lgw::mock_client_transport mock;
    mock.fail(lgw::error_kind::connection, "connection closed while reading", true).respond(200, run_json);
    test::mock_client client(mock, "http://lg.test", test::no_key());
    CHECK(client.runs().get("t", "r").run_id == "1ef-run");
    CHECK(mock.requests().size() == 2);
  }
  {
    lgw::mock_client_transport mock;
    mock.fail(lgw::error_kind::tls, "certificate verify failed", false).respond(200, "[]");
    test::mock_client client(mock, "https://lg.test", test::no_key());
    CHECK(test::error_of([&] { client.assistants().search(); }).kind() == lgw::error_kind::tls);
    CHECK(mock.requests().size() == 1);
  }
}

TEST_CASE("retries: 429 is repeated even for run creation, honouring Retry-After") {
  std::vector<milliseconds> delays;
  lgw::client_options o = test::recording_sleeps(delays);
  o.retry.max_backoff = milliseconds(5000);
  lgw::mock_client_transport mock;
  mock.respond(429, R"({"detail":"rate"})", {{"Retry-After", "2"}})
      .respond(429, R"({"detail":"rate"})", {{"Retry-After", "60"}})
      .respond(200, run_json);
  test::mock_client client(mock, "http://lg.test", o);
  CHECK(client.runs().create(test::a_run()).status == lgw::run_status::pending);
  CHECK(delays == std::vector<milliseconds>{milliseconds(2000), milliseconds(5000)});
}

TEST_CASE("retries: the last error is reported after max_retries, and 0 disables retrying") {
  lgw::client_options o = test::no_key();
  o.retry.max_retries = 2;
  lgw::mock_client_transport mock;
  mock.respond(500, "a").respond(500, "b").respond(500, R"({"detail":"third"})");
  test::mock_client client(mock, "http://lg.test", o);
  lgw::error e = test::error_of([&] { client.assistants().search(); });
  CHECK(e.message() == "third");
  CHECK(mock.requests().size() == 3);

  o.retry.max_retries = 0;
  lgw::mock_client_transport once;
  once.fail(lgw::error_kind::connection, "refused", false).respond(200, "[]");
  test::mock_client single(once, "http://lg.test", o);
  CHECK(test::error_of([&] { single.assistants().search(); }).kind() == lgw::error_kind::connection);
  CHECK(once.requests().size() == 1);
}

TEST_CASE("wait: keep-alive newlines, text/plain, and ids from Content-Location") {
  lgw::mock_client_transport mock;
  mock.respond_chunked(200, {"\n", "\n", "\n{\"messages\":[{\"type\":\"ai\",", "\"content\":\"echo: hi\"}]}"},
                       {{"Content-Type", "text/plain;charset=UTF-8"}, {"Content-Location", "/threads/t-9/runs/r-7"}});
  test::mock_client client(mock, "http://lg.test", test::no_key());
  lgw::wait_run_request w;
  w.thread_id = "t-9";
  w.assistant_id = "agent";
  lgw::run_output out = client.runs().wait(w);
  CHECK(out.values["messages"][0]["content"] == "echo: hi");
  CHECK_FALSE(out.error);
  CHECK(out.run_id == "r-7");
  CHECK(out.thread_id == "t-9");
}

TEST_CASE("wait: a failed run reported as __error__ throws run_failed, or is returned") {
  const std::string py = R"({"__error__":{"error":"ValueError","message":"bad input"}})";
  // The JS server encodes the inner error once more as the message.
  const std::string js =
      "\n\n" + json{{"__error__", {{"error", "Error"}, {"message", R"({"error":"Error","message":"boom"})"}}}}.dump();
  lgw::mock_client_transport mock;
  mock.respond(200, py).respond(200, js).respond(200, py, {{"Content-Location", "/runs/r-1"}});
  test::mock_client client(mock, "http://lg.test", test::no_key());
  lgw::wait_run_stateless_request w;
  w.assistant_id = "agent";

  lgw::error e = test::error_of([&] { client.runs().wait(w); });
  CHECK(e.kind() == lgw::error_kind::run_failed);
  CHECK(e.error_type() == "ValueError");
  CHECK(e.message() == "bad input");
  CHECK(e.status() == 200);
  CHECK(std::string(e.what()) == "POST /runs/wait: 200 run_failed: ValueError: bad input");

  lgw::error js_e = test::error_of([&] { client.runs().wait(w); });
  CHECK(js_e.error_type() == "Error");
  CHECK(js_e.message() == "boom");

  lgw::run_output out = client.runs().wait(w, false);
  REQUIRE(out.error);
  CHECK(out.error->error == "ValueError");
  CHECK(out.error->message == "bad input");
  CHECK(out.values.contains("__error__"));
  CHECK(out.run_id == "r-1");
  CHECK(out.thread_id.empty());
}

TEST_CASE("join: same output handling as wait") {
  lgw::mock_client_transport mock;
  mock.respond(200, "\n{\"x\":1}").respond(200, R"({"__error__":{"error":"TimeoutError","message":"late"}})");
  test::mock_client client(mock, "http://lg.test", test::no_key());
  CHECK(client.runs().join("t", "r").values == json{{"x", 1}});
  CHECK(test::error_of([&] { client.runs().join("t", "r"); }).error_type() == "TimeoutError");
}

TEST_CASE("malformed answers are invalid_response, never a crash") {
  const char *bodies[] = {
      R"({"run_id": "x")",          // truncated
      R"({"run_id": 5})",           // wrong type
      R"(["not", "an", "object"])", // wrong shape
      R"({"status": 3})",           // enum of the wrong type
      "",                           // empty
      "<html>oops</html>",          // not JSON at all
  };
  for (const char *body : bodies) {
    CAPTURE(body);
    lgw::mock_client_transport mock;
    mock.respond(200, body);
    test::mock_client client(mock, "http://lg.test", test::no_key());
    lgw::error e = test::error_of([&] { client.runs().create(test::a_run()); });
    CHECK(e.kind() == lgw::error_kind::invalid_response);
    CHECK(e.body() == body);
    CHECK(e.endpoint() == "POST /threads/1ef-thread/runs");
  }
  lgw::mock_client_transport mock;
  mock.respond(200, R"({"assistant_id":"a"})").respond(200, R"([{"assistant_id":7}])");
  test::mock_client client(mock, "http://lg.test", test::no_key());
  CHECK(test::error_of([&] { client.assistants().search(); }).kind() == lgw::error_kind::invalid_response);
  CHECK(test::error_of([&] { client.assistants().search(); }).kind() == lgw::error_kind::invalid_response);
}

TEST_CASE("unknown enum strings and extra fields in responses are tolerated") {
  lgw::mock_client_transport mock;
  mock.respond(200, R"({"run_id":"r","status":"paused_by_martians","multitask_strategy":"shuffle",
                        "created_at":"not a date","brand_new_field":{"x":1}})");
  test::mock_client client(mock, "http://lg.test", test::no_key());
  lgw::run r = client.runs().get("t", "r");
  CHECK(r.status == lgw::run_status::unknown);
  CHECK_FALSE(r.multitask_strategy);
  CHECK_FALSE(r.created_at);
  CHECK(r.raw["status"] == "paused_by_martians");
  CHECK(r.raw["brand_new_field"]["x"] == 1);
}

TEST_CASE("headers: API key from options or the environment, User-Agent, extra headers") {
  ::setenv("LANGGRAPH_API_KEY", "", 1);
  ::setenv("LANGSMITH_API_KEY", " \"lsv2-from-env\"\n", 1);
  ::setenv("LANGCHAIN_API_KEY", "lc-key", 1);
  auto sent_headers = [](lgw::client_options o) {
    lgw::mock_client_transport mock;
    mock.respond(200, "[]");
    test::mock_client client(mock, "http://lg.test", std::move(o));
    client.assistants().search();
    return mock.last_request();
  };
  lgw::client_options from_env;
  auto r1 = sent_headers(from_env);
  CHECK(r1.header("x-api-key") == "lsv2-from-env");
  CHECK(r1.header("User-Agent") == LANGGRAPH_WEBHOOKS_USER_AGENT);
  CHECK(r1.header("Accept") == "application/json");

  lgw::client_options explicit_key;
  explicit_key.api_key = "mine";
  explicit_key.headers = {{"X-Tenant", "t1"}, {"user-agent", "my-app/2"}};
  auto r2 = sent_headers(explicit_key);
  CHECK(r2.header("X-API-KEY") == "mine");
  CHECK(r2.header("x-tenant") == "t1");
  CHECK(r2.header("User-Agent") == "my-app/2");
  std::size_t agents = 0;
  for (const auto &h : r2.headers) agents += lgw::detail::iequals(h.first, "user-agent");
  CHECK(agents == 1);

  lgw::client_options none;
  none.api_key = "";
  CHECK(sent_headers(none).header("x-api-key").empty());

  ::unsetenv("LANGSMITH_API_KEY");
  CHECK(sent_headers(lgw::client_options{}).header("x-api-key") == "lc-key");
  ::unsetenv("LANGCHAIN_API_KEY");
  ::unsetenv("LANGGRAPH_API_KEY");

  lgw::client_options bad;
  bad.headers = {{"X-Api-Key", "k"}};
  lgw::mock_client_transport mock;
  CHECK(test::error_of([&] { test::mock_client(mock, "http://lg.test", bad); }).kind() ==
        lgw::error_kind::invalid_argument);
}

TEST_CASE("base URL: path prefix kept, scheme and port checked") {
  lgw::mock_client_transport mock;
  mock.respond(200, R"({"ok":true})");
  test::mock_client client(mock, "https://Deploy.example.com:8443/api/v1/", test::no_key());
  CHECK(client.ok()["ok"] == true);
  CHECK(mock.last_request().target == "/api/v1/ok");
  CHECK(client.base_url().origin() == "https://Deploy.example.com:8443");

  test::mock_client made("http://127.0.0.1:2024", test::no_key());
  CHECK(made.transport().origin() == "http://127.0.0.1:2024");

  for (const char *bad : {"ftp://x", "localhost:2024", "http://:2024", "http://h:99999"}) {
    CAPTURE(bad);
    const lgw::error e = test::error_of([&] { test::mock_client(mock, bad, test::no_key()); });
    CHECK(e.kind() == lgw::error_kind::invalid_argument);
    CHECK(std::string(e.what()).rfind("invalid_argument: invalid URL", 0) == 0);
  }
}

TEST_CASE("the default server: $LANGGRAPH_URL, else http://127.0.0.1:2024") {
  const char *saved = std::getenv("LANGGRAPH_URL");
  const std::string keep = saved ? saved : "";
  ::unsetenv("LANGGRAPH_URL");
  CHECK(lgw::default_server_url() == "http://127.0.0.1:2024");
  CHECK(test::mock_client(test::no_key()).transport().origin() == "http://127.0.0.1:2024");
  ::setenv("LANGGRAPH_URL", "http://127.0.0.1:39999/prefix", 1);
  CHECK(lgw::default_server_url() == "http://127.0.0.1:39999/prefix");
  test::mock_client from_env(test::no_key());
  CHECK(from_env.transport().origin() == "http://127.0.0.1:39999");
  CHECK(from_env.base_url().path == "/prefix");
  ::setenv("LANGGRAPH_URL", "", 1);
  CHECK(lgw::default_server_url() == "http://127.0.0.1:2024");
  if (saved)
    ::setenv("LANGGRAPH_URL", keep.c_str(), 1);
  else
    ::unsetenv("LANGGRAPH_URL");
}

TEST_CASE("perform with a chunk callback: streamed 2xx bodies, collected error bodies, early stop") {
  lgw::mock_client_transport mock;
  mock.respond_chunked(200, {"a", "b", "c"})
      .respond_chunked(404, {"Run ", "not found"})
      .respond_chunked(200, {"1", "2", "3"});
  test::mock_client client(mock, "http://lg.test", test::no_key());
  lgw::http_request req;
  req.method = "GET";
  req.target = "/x";

  std::string seen;
  auto res = client.perform(req, true, [&](const lgw::http_response &head, std::string_view c) {
    CHECK(head.status == 200);
    seen.append(c);
    return true;
  });
  CHECK(seen == "abc");
  CHECK(res.status == 200);

  lgw::error e = test::error_of(
      [&] { client.perform(req, true, [&](const lgw::http_response &, std::string_view) { return true; }); });
  CHECK(e.kind() == lgw::error_kind::not_found);
  CHECK(e.message() == "Run not found");

  seen.clear();
  client.perform(req, true, [&](const lgw::http_response &, std::string_view c) {
    seen.append(c);
    return seen.size() < 2;
  });
  CHECK(seen == "12");
  CHECK(mock.stopped_reads() == 1);
}

TEST_CASE("perform with a chunk callback: no retry after a delivered chunk; callback errors propagate") {
  lgw::mock_client_transport mock;
  mock.fail(lgw::error_kind::connection, "reset", true, {"part"}).respond(200, "never");
  test::mock_client client(mock, "http://lg.test", test::no_key());
  lgw::http_request req;
  req.method = "GET";
  req.target = "/x";
  std::string seen;
  lgw::error e = test::error_of([&] {
    client.perform(req, true, [&](const lgw::http_response &, std::string_view c) {
      seen.append(c);
      return true;
    });
  });
  CHECK(e.kind() == lgw::error_kind::connection);
  CHECK(seen == "part");
  CHECK(mock.requests().size() == 1);

  lgw::mock_client_transport mock2;
  mock2.respond_chunked(200, {"1", "2"});
  test::mock_client client2(mock2, "http://lg.test", test::no_key());
  CHECK_THROWS_WITH_AS(client2.perform(req, true,
                                       [](const lgw::http_response &, std::string_view) -> bool {
                                         throw std::runtime_error("handler broke");
                                       }),
                       "handler broke", std::runtime_error);
  CHECK(mock2.stopped_reads() == 1);
}

TEST_CASE("mock transport: scripted answers, fallback, fail_from_call, unscripted calls") {
  lgw::mock_client_transport mock;
  mock.otherwise([](const lgw::http_request &r) {
    lgw::http_response res;
    res.status = 200;
    res.body = json{{"version", r.target}}.dump();
    return res;
  });
  test::mock_client client(mock, "http://lg.test", test::no_key());
  CHECK(client.info().version == "/info");
  mock.fail_from_call(2, lgw::error_kind::connection, "down");
  lgw::client_options o = test::no_key();
  CHECK(test::error_of([&] { client.info(); }).message() == "down");

  lgw::mock_client_transport empty;
  lgw::client_options once = test::no_key();
  once.retry.max_retries = 0;
  test::mock_client c2(empty, "http://lg.test", once);
  CHECK_THROWS_AS(c2.info(), std::logic_error);
}

TEST_CASE("server info: crons flag") {
  lgw::mock_client_transport mock;
  mock.respond(200, R"({"version":"1.5.1","context":"js","flags":{"assistants":true,"crons":false}})")
      .respond(200, R"({"version":"0.16.0","flags":{"crons":true}})");
  test::mock_client client(mock, "http://lg.test", test::no_key());
  auto js = client.info();
  CHECK(js.version == "1.5.1");
  CHECK_FALSE(js.supports_crons());
  CHECK(js.raw["context"] == "js");
  CHECK(client.info().supports_crons());
}

TEST_CASE("threads and crons views parse their responses") {
  lgw::mock_client_transport mock;
  mock.respond(200,
               R"({"thread_id":"9dde5490-2b67-47c8-aa14-4bfec88af217","created_at":"2024-08-30T23:07:38.242730+00:00",
      "updated_at":"2024-08-30T23:07:38.242730+00:00","metadata":{},"status":"idle","config":{},"values":null})")
      .respond(200, R"({"cron_id":"c1","assistant_id":null,"thread_id":"t","schedule":"* * * * *","end_time":null,
      "next_run_date":"2026-01-01T00:01:00+00:00","payload":{"webhook":"http://h"},"enabled":true,
      "on_run_completed":"keep","metadata":{}})")
      .respond(200, R"([{"cron_id":"c1","schedule":"* * * * *"},{"cron_id":"c2","schedule":"0 0 * * *"}])")
      .respond(204, "");
  test::mock_client client(mock, "http://lg.test", test::no_key());
  lgw::thread t = client.threads().create();
  CHECK(t.thread_id == "9dde5490-2b67-47c8-aa14-4bfec88af217");
  CHECK(t.status == lgw::thread_status::idle);
  CHECK(t.values.is_null());
  REQUIRE(t.created_at);

  lgw::create_thread_cron_request cr;
  cr.thread_id = "t";
  cr.assistant_id = "agent";
  cr.schedule = "* * * * *";
  cr.webhook = "http://h";
  lgw::cron c = client.crons().create_for_thread(cr);
  CHECK(c.cron_id == "c1");
  CHECK_FALSE(c.assistant_id);
  CHECK(c.thread_id == "t");
  CHECK(c.enabled == true);
  CHECK(c.on_run_completed == lgw::on_run_completed::keep);
  CHECK(c.payload["webhook"] == "http://h");
  REQUIRE(c.next_run_date);

  auto all = client.crons().search();
  REQUIRE(all.size() == 2);
  CHECK(all[1].cron_id == "c2");
  client.crons().remove("c1");
  CHECK(mock.last_request().method == "DELETE");
}
