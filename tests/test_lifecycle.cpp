// The run lifecycle around a webhook, through the mock transports: thread state and interrupts,
// commands, cron updates that clear a field, batches, cancel_many on a server without the route,
// /wait rejoined after a broken connection, on_run_created, the request headers a receiver
// exposes (never the secret), await_outcome (no outcome lost, none delivered twice), the URL
// policy's numeric hosts, and what wait_for promises when a handler throws.
#include "langgraph_webhooks.hpp"

#include "test_support.hpp"

#include <doctest/doctest.h>

#include <thread>

using nlohmann::json;
using namespace std::chrono_literals;

namespace {

using mock_server = lgw::basic_webhook_server<lgw::mock_server_transport>;

const std::string tid = "1ef0c3a4-0000-4000-8000-000000000001";

// What the JS server 1.5.1 answered for GET /threads/{id}/state of a run paused in interrupt()
// (observed on this machine; ids shortened).
const char *const js_state = R"({
  "values": {"messages": [{"type": "human", "content": "review: ship it?"}]},
  "next": ["review"],
  "tasks": [{"id": "task-1", "name": "review", "path": ["__pregel_pull", "review"],
             "interrupts": [{"id": "int-1", "value": {"question": "approve?"}}], "checkpoint": null}],
  "metadata": {"source": "loop", "step": 1, "run_id": "r-1"},
  "created_at": "2026-11-30T10:00:00.123Z",
  "checkpoint": {"thread_id": "t-1", "checkpoint_ns": "", "checkpoint_id": "cp-2"},
  "parent_checkpoint": {"thread_id": "t-1", "checkpoint_ns": "", "checkpoint_id": "cp-1"}
})";

// The Python server's shape of the same (older servers: interrupt_id, when, resumable, ns; the
// pending interrupts also listed at the top level).
const char *const py_state = R"({
  "values": {"n": 1}, "next": ["review", "audit"],
  "tasks": [{"id": "task-1", "name": "review", "error": null, "interrupts":
               [{"value": "approve?", "interrupt_id": "old-1", "when": "during", "resumable": true, "ns": ["review:x"]}],
             "state": null},
            {"id": "task-2", "name": "audit", "error": null, "interrupts": [{"value": 2, "id": "int-2"}], "state": null}],
  "interrupts": [{"value": "approve?", "id": "old-1"}, {"value": 2, "id": "int-2"}],
  "metadata": {"step": 3}, "created_at": "2025-06-01T10:00:00.123456+00:00",
  "checkpoint": {"thread_id": "t-1", "checkpoint_ns": "", "checkpoint_id": "cp-9", "checkpoint_map": {}},
  "parent_checkpoint": null
})";

} // namespace

TEST_CASE("thread state: the JS and the Python shapes give the same typed view of pending interrupts") {
  lgw::mock_client_transport mock;
  mock.respond(200, js_state).respond(200, py_state);
  test::mock_client client(mock, "http://lg.test", test::no_key());

  const lgw::thread_state js = client.threads().get_state(tid);
  CHECK(mock.last_request().method == "GET");
  CHECK(mock.last_request().target == "/threads/" + tid + "/state");
  CHECK(js.next == std::vector<std::string>{"review"});
  REQUIRE(js.tasks.size() == 1);
  CHECK(js.tasks[0].name == "review");
  REQUIRE(js.interrupts().size() == 1);
  CHECK(js.interrupts()[0].id == "int-1");
  CHECK(js.interrupts()[0].value == json{{"question", "approve?"}});
  REQUIRE(js.checkpoint);
  CHECK(js.checkpoint->checkpoint_id == "cp-2");
  REQUIRE(js.parent_checkpoint);
  CHECK(js.parent_checkpoint->checkpoint_id == "cp-1");
  CHECK(js.metadata["run_id"] == "r-1");
  REQUIRE(js.created_at);
  CHECK(js.raw["tasks"][0]["path"][0] == "__pregel_pull"); // what the view leaves out stays in raw

  const lgw::thread_state py = client.threads().get_state(tid, std::string("cp-9"));
  CHECK(mock.last_request().target == "/threads/" + tid + "/state/cp-9");
  const auto pending = py.interrupts();
  REQUIRE(pending.size() == 2);
  CHECK(pending[0].id == "old-1"); // interrupt_id of older servers
  CHECK(pending[0].value == "approve?");
  CHECK(pending[0].raw["when"] == "during");
  CHECK(pending[1].id == "int-2");
  CHECK_FALSE(py.parent_checkpoint);
  CHECK(py.tasks[0].error == std::nullopt);

  // A finished graph: nothing next, no interrupt.
  mock.respond(200, R"({"values":{"n":2},"next":[],"tasks":[],"metadata":{},"checkpoint":{"checkpoint_id":"c"}})");
  const lgw::thread_state done = client.threads().get_state(tid);
  CHECK(done.next.empty());
  CHECK(done.interrupts().empty());

  // Not a state: invalid_response naming the endpoint.
  mock.respond(200, R"(["not", "a", "state"])");
  const lgw::error e = test::error_of([&] { client.threads().get_state(tid); });
  CHECK(e.kind() == lgw::error_kind::invalid_response);
  CHECK(e.endpoint() == "GET /threads/" + tid + "/state");
}

TEST_CASE("thread state: subgraphs in the query, history newest first with its limit always sent") {
  lgw::mock_client_transport mock;
  mock.respond(200, js_state).respond(200, std::string("[") + js_state + "," + py_state + "]");
  test::mock_client client(mock, "http://lg.test", test::no_key());
  lgw::get_thread_state_request r;
  r.thread_id = tid;
  r.subgraphs = true;
  client.threads().get_state(r);
  CHECK(mock.last_request().target == "/threads/" + tid + "/state?subgraphs=true");

  const auto history = client.threads().get_history(tid, 2);
  CHECK(mock.last_request().target == "/threads/" + tid + "/history");
  CHECK(json::parse(mock.last_request().body) == json{{"limit", 2}});
  REQUIRE(history.size() == 2);
  CHECK(history[1].interrupts().size() == 2);
}

TEST_CASE("command: resume every interrupt, or each by its id; the body is what the SDKs send") {
  lgw::wait_run_request w;
  w.thread_id = tid;
  w.assistant_id = "agent";
  w.command = lgw::command::resume_with({{"approved", true}});
  lgw::mock_client_transport mock;
  mock.respond(200, R"({"answer":"shipped"})");
  test::mock_client client(mock, "http://lg.test", test::no_key());
  CHECK(client.runs().wait(w).values == json{{"answer", "shipped"}});
  CHECK(json::parse(mock.last_request().body) ==
        json{{"assistant_id", "agent"}, {"command", {{"resume", {{"approved", true}}}}}});

  lgw::command each = lgw::command::resume_each({{"int-1", "yes"}, {"int-2", 3}});
  each.update = {{"reviewed", true}};
  each.goto_ = "publish";
  CHECK(json(each) ==
        json{{"resume", {{"int-1", "yes"}, {"int-2", 3}}}, {"update", {{"reviewed", true}}}, {"goto", "publish"}});
  CHECK(json(lgw::command{}) == json::object());                                // nothing set, nothing sent
  CHECK(json(lgw::command::resume_with(nullptr)) == json{{"resume", nullptr}}); // a null answer is an answer
}

TEST_CASE("update_cron: a field left out, cleared (null) and set are three different requests") {
  lgw::mock_client_transport mock;
  mock.otherwise([](const lgw::http_request &) {
    lgw::http_response res;
    res.status = 200;
    res.body = R"({"cron_id":"c-1","schedule":"*/5 * * * *","enabled":false})";
    return res;
  });
  test::mock_client client(mock, "http://lg.test", test::no_key());

  lgw::update_cron_request r;
  r.cron_id = "c-1";
  r.enabled = false;
  const lgw::cron c = client.crons().update(r);
  CHECK(c.cron_id == "c-1");
  CHECK(mock.last_request().method == "PATCH");
  CHECK(mock.last_request().target == "/runs/crons/c-1");
  CHECK(json::parse(mock.last_request().body) == json{{"enabled", false}}); // end_time unchanged

  r.end_time = nullptr;
  client.crons().update(r);
  CHECK(json::parse(mock.last_request().body) == json{{"enabled", false}, {"end_time", nullptr}});

  r.end_time = "2027-01-01T00:00:00Z";
  client.crons().update(r);
  CHECK(json::parse(mock.last_request().body) == json{{"enabled", false}, {"end_time", "2027-01-01T00:00:00Z"}});

  r.end_time = {};
  CHECK_FALSE(r.end_time.is_set());
  CHECK_FALSE(r.end_time.is_cleared());
  client.crons().update(r);
  CHECK(json::parse(mock.last_request().body) == json{{"enabled", false}});
}

TEST_CASE("crons: get and count") {
  lgw::mock_client_transport mock;
  mock.respond(200, R"({"cron_id":"c-1","webhook":"https://h.example/x"})").respond(200, "7");
  test::mock_client client(mock, "http://lg.test", test::no_key());
  CHECK(client.crons().get("c-1").cron_id == "c-1");
  CHECK(mock.last_request().target == "/runs/crons/c-1");
  lgw::count_crons_request n;
  n.assistant_id = "agent";
  CHECK(client.crons().count(n) == 7);
  CHECK(json::parse(mock.last_request().body) == json{{"assistant_id", "agent"}});
  mock.respond(200, R"({"count": 7})");
  CHECK(test::error_of([&] { client.crons().count(); }).kind() == lgw::error_kind::invalid_response);
}

TEST_CASE("runs: a batch is a bare JSON array of stateless runs, each with its own webhook") {
  lgw::mock_client_transport mock;
  mock.respond(200, R"([{"run_id":"r-1","status":"pending"},{"run_id":"r-2","status":"pending"}])");
  test::mock_client client(mock, "http://lg.test", test::no_key());
  lgw::create_run_batch_request batch;
  for (const char *job : {"1", "2"}) {
    lgw::create_run_stateless_request r;
    r.assistant_id = "agent";
    r.input = {{"job", job}};
    r.webhook = std::string("https://h.example/hook?job=") + job;
    batch.runs.push_back(r);
  }
  const std::vector<lgw::run> runs = client.runs().create_batch(batch);
  REQUIRE(runs.size() == 2);
  CHECK(runs[1].run_id == "r-2");
  CHECK(mock.last_request().target == "/runs/batch");
  CHECK(mock.last_request().header("Content-Type") == "application/json");
  CHECK(json::parse(mock.last_request().body) ==
        json::array(
            {{{"assistant_id", "agent"}, {"input", {{"job", "1"}}}, {"webhook", "https://h.example/hook?job=1"}},
             {{"assistant_id", "agent"}, {"input", {{"job", "2"}}}, {"webhook", "https://h.example/hook?job=2"}}}));
}

TEST_CASE("runs: list with its query; remove") {
  lgw::mock_client_transport mock;
  mock.respond(200, R"([{"run_id":"r-1","status":"success"}])").respond(204);
  test::mock_client client(mock, "http://lg.test", test::no_key());
  lgw::list_runs_request r;
  r.thread_id = tid;
  r.limit = 50;
  r.offset = 10;
  r.status = lgw::run_status::interrupted;
  CHECK(client.runs().list(r).at(0).status == lgw::run_status::success);
  CHECK(mock.last_request().target == "/threads/" + tid + "/runs?limit=50&offset=10&status=interrupted");
  client.runs().remove(tid, "r-1");
  CHECK(mock.last_request().method == "DELETE");
  CHECK(mock.last_request().target == "/threads/" + tid + "/runs/r-1");
}

TEST_CASE("cancel_many: one request where the server has the route, one cancel per run where it has not") {
  lgw::cancel_runs_request r;
  r.thread_id = tid;
  r.run_ids = {"r-1", "r-2"};
  r.action = lgw::cancel_action::rollback;

  lgw::mock_client_transport cloud;
  cloud.respond(204);
  test::mock_client c1(cloud, "http://lg.test", test::no_key());
  c1.runs().cancel_many(r);
  REQUIRE(cloud.requests().size() == 1);
  CHECK(cloud.last_request().target == "/runs/cancel?action=rollback");
  CHECK(json::parse(cloud.last_request().body) == json{{"thread_id", tid}, {"run_ids", {"r-1", "r-2"}}});

  lgw::mock_client_transport js; // the JS server 1.5.1: no /runs/cancel
  js.respond(404, "404 Not Found", {{"Content-Type", "text/plain; charset=UTF-8"}}).respond(202).respond(202);
  test::mock_client c2(js, "http://lg.test", test::no_key());
  c2.runs().cancel_many(r);
  REQUIRE(js.requests().size() == 3);
  CHECK(js.requests()[1].target == "/threads/" + tid + "/runs/r-1/cancel?action=rollback");
  CHECK(js.requests()[2].target == "/threads/" + tid + "/runs/r-2/cancel?action=rollback");

  // A 404 about the runs themselves is the answer, not a missing route.
  lgw::mock_client_transport gone;
  gone.respond(404, R"({"detail":"Run not found"})", {{"Content-Type", "application/json"}});
  test::mock_client c3(gone, "http://lg.test", test::no_key());
  CHECK(test::error_of([&] { c3.runs().cancel_many(r); }).kind() == lgw::error_kind::not_found);
  CHECK(gone.requests().size() == 1);

  // By status there is nothing to fall back to.
  lgw::cancel_runs_request all;
  all.status = lgw::cancel_status::pending;
  lgw::mock_client_transport js2;
  js2.respond(404, "404 Not Found");
  test::mock_client c4(js2, "http://lg.test", test::no_key());
  CHECK(test::error_of([&] { c4.runs().cancel_many(all); }).kind() == lgw::error_kind::not_found);
  CHECK(json::parse(js2.last_request().body) == json{{"status", "pending"}});
}

TEST_CASE("threads: get, search, update_state, remove") {
  lgw::mock_client_transport mock;
  mock.respond(200, R"({"thread_id":"t-1","status":"interrupted","interrupts":{"task-1":[{"id":"i","value":1}]}})")
      .respond(200, R"([{"thread_id":"t-1","status":"interrupted"}])")
      .respond(200, R"({"checkpoint":{"thread_id":"t-1","checkpoint_ns":"","checkpoint_id":"cp-3"}})")
      .respond(204);
  test::mock_client client(mock, "http://lg.test", test::no_key());
  const lgw::thread t = client.threads().get(tid);
  CHECK(t.status == lgw::thread_status::interrupted);
  CHECK(t.interrupts["task-1"][0]["value"] == 1);
  CHECK(mock.last_request().target == "/threads/" + tid);

  lgw::search_threads_request s;
  s.status = lgw::thread_status::interrupted;
  s.metadata = {{"job", "7"}};
  s.sort_by = lgw::thread_sort_by::updated_at;
  CHECK(client.threads().search(s).size() == 1);
  CHECK(json::parse(mock.last_request().body) ==
        json{{"status", "interrupted"}, {"metadata", {{"job", "7"}}}, {"sort_by", "updated_at"}});

  lgw::update_thread_state_request u;
  u.thread_id = tid;
  u.values = {{"approved", true}};
  u.as_node = "review";
  CHECK(client.threads().update_state(u).checkpoint.checkpoint_id == "cp-3");
  CHECK(json::parse(mock.last_request().body) == json{{"values", {{"approved", true}}}, {"as_node", "review"}});

  client.threads().remove(tid);
  CHECK(mock.last_request().method == "DELETE");
  CHECK(mock.last_request().target == "/threads/" + tid);
}

TEST_CASE("on_run_created: called once with the ids, before the result, for create, wait and stream") {
  lgw::mock_client_transport mock;
  const lgw::http_headers where = {{"Content-Location", "/threads/t-1/runs/r-1"}};
  mock.respond(200, R"({"run_id":"r-1","thread_id":"t-1","status":"pending"})", where)
      .respond_chunked(200, {"\n", "\n", R"({"n":1})"}, where)
      .respond_chunked(200, {"event: metadata\ndata: {\"run_id\":\"r-1\"}\n\n", "event: values\ndata: {\"n\":1}\n\n"},
                       {{"Content-Location", "/threads/t-1/runs/r-1"}, {"Content-Type", "text/event-stream"}});
  test::mock_client client(mock, "http://lg.test", test::no_key());
  std::vector<std::string> calls;
  const auto note = [&](const std::string &run_id, const std::string &thread_id) {
    calls.push_back(run_id + "@" + thread_id);
  };

  client.runs().create(test::a_run("t-1"), note);
  CHECK(calls == std::vector<std::string>{"r-1@t-1"});

  lgw::wait_run_request w;
  w.thread_id = "t-1";
  w.assistant_id = "agent";
  bool seen_before_result = false;
  const lgw::run_output out = client.runs().wait(w, true, [&](const std::string &r, const std::string &t) {
    note(r, t);
    seen_before_result = true;
  });
  CHECK(seen_before_result);
  CHECK(out.values == json{{"n", 1}});
  CHECK(calls.size() == 2);

  lgw::stream_run_request s;
  s.thread_id = "t-1";
  s.assistant_id = "agent";
  int parts = 0;
  client.runs().stream(
      s, [&](const lgw::stream_part &) { ++parts; }, note);
  CHECK(parts == 2);
  CHECK(calls == std::vector<std::string>{"r-1@t-1", "r-1@t-1", "r-1@t-1"});

  // A failed call creates nothing: the hook is not called.
  mock.respond(409, R"({"detail":"Thread is busy"})");
  CHECK(test::error_of([&] { client.runs().create(test::a_run("t-1"), note); }).status() == 409);
  CHECK(calls.size() == 3);
}

TEST_CASE("/wait: a connection that breaks after the run was created is rejoined, not thrown") {
  const lgw::http_headers head = {{"Content-Location", "/threads/t-1/runs/r-1"},
                                  {"Location", "/threads/t-1/runs/r-1/join"}};
  lgw::wait_run_request w;
  w.thread_id = "t-1";
  w.assistant_id = "agent";

  SUBCASE("rejoined at the server's Location") {
    lgw::mock_client_transport mock;
    mock.fail(lgw::error_kind::connection, "reset by peer", true, {"\n", "\n"}, head)
        .fail(lgw::error_kind::connection, "refused", false)
        .respond(200, R"({"answer":42})");
    std::vector<std::chrono::milliseconds> delays;
    test::mock_client client(mock, "http://lg.test", test::recording_sleeps(delays));
    const lgw::run_output out = client.runs().wait(w);
    CHECK(out.values == json{{"answer", 42}});
    CHECK(out.run_id == "r-1");
    CHECK(out.thread_id == "t-1");
    REQUIRE(mock.requests().size() == 3);
    CHECK(mock.requests()[0].method == "POST"); // the run is never created twice
    CHECK(mock.requests()[1].method == "GET");
    CHECK(mock.requests()[1].target == "/threads/t-1/runs/r-1/join");
    CHECK(mock.requests()[2].target == "/threads/t-1/runs/r-1/join");
    CHECK(delays.size() == 2); // a back-off before the rejoin and before its retry
  }
  SUBCASE("a Location of another origin is not followed: the run's own join instead") {
    lgw::mock_client_transport mock;
    mock.fail(lgw::error_kind::connection, "reset", true, {"\n"},
              {{"Content-Location", "/threads/t-1/runs/r-1"}, {"Location", "http://evil.example/steal"}})
        .respond(200, R"({"answer":1})");
    test::mock_client client(mock, "http://lg.test/prefix", test::no_key());
    CHECK(client.runs().wait(w).values == json{{"answer", 1}});
    CHECK(mock.requests()[1].target == "/prefix/threads/t-1/runs/r-1/join");
  }
  SUBCASE("when every rejoin fails, the error names the run and its thread") {
    lgw::mock_client_transport mock;
    mock.fail(lgw::error_kind::connection, "reset", true, {"\n"}, head);
    mock.fail_from_call(2, lgw::error_kind::connection, "refused", false);
    lgw::client_options o = test::no_key();
    o.retry.max_retries = 2;
    test::mock_client client(mock, "http://lg.test", o);
    const lgw::error e = test::error_of([&] { client.runs().wait(w); });
    CHECK(e.kind() == lgw::error_kind::connection);
    CHECK(e.run_id() == "r-1");
    CHECK(e.thread_id() == "t-1");
    CHECK(std::string(e.what()).find("run r-1 on thread t-1") != std::string::npos);
    CHECK(mock.requests().size() == 4); // the POST, then the join and its 2 retries
  }
  SUBCASE("a stateless run without a thread or Location cannot be rejoined: the error names it") {
    lgw::mock_client_transport mock;
    mock.fail(lgw::error_kind::connection, "reset", true, {"\n"}, {{"Content-Location", "/runs/r-9"}});
    test::mock_client client(mock, "http://lg.test", test::no_key());
    lgw::wait_run_stateless_request sw;
    sw.assistant_id = "agent";
    const lgw::error e = test::error_of([&] { client.runs().wait(sw); });
    CHECK(e.run_id() == "r-9");
    CHECK(e.thread_id().empty());
    CHECK(mock.requests().size() == 1);
  }
  SUBCASE("a break before the server answered is the plain error: no run id to rejoin") {
    lgw::mock_client_transport mock;
    mock.fail(lgw::error_kind::connection, "reset", true);
    test::mock_client client(mock, "http://lg.test", test::no_key());
    const lgw::error e = test::error_of([&] { client.runs().wait(w); });
    CHECK(e.run_id().empty());
    CHECK(mock.requests().size() == 1); // not idempotent: not repeated
  }
}

TEST_CASE("receiver: the event exposes the request's headers and query, never the secret") {
  lgw::webhook_server_options o;
  o.path = "/hook";
  o.secret = "s3cret";
  mock_server hooks(o);
  hooks.start();
  const std::string body = R"({"run_id":"r-1","thread_id":"t","status":"success"})";
  const std::string body2 = R"({"run_id":"r-2","thread_id":"t","status":"success"})";
  const std::string body3 = R"({"run_id":"r-3","thread_id":"t","status":"success"})";
  CHECK(hooks.transport().post("/hook?token=s3cret&tenant=acme", body, {{"X-Trace-Id", "abc"}}).status == 200);
  CHECK(hooks.transport().post("/hook", body2, {{"Authorization", "Bearer s3cret"}, {"X-Env", "prod"}}).status == 200);
  CHECK(hooks.transport().post("/hook", body3, {{"x-webhook-secret", "s3cret"}}).status == 200);

  const auto e1 = hooks.wait_for("r-1", 0ms);
  REQUIRE(e1);
  CHECK(e1->query_value("tenant") == "acme");
  CHECK(e1->query_value("token").empty());
  CHECK(e1->header("x-trace-id") == "abc");
  CHECK(e1->header("X-TRACE-ID") == "abc");
  CHECK(e1->header("Content-Type") == "text/plain;charset=UTF-8");
  CHECK(e1->header("missing").empty());
  const auto e2 = hooks.wait_for("r-2", 0ms), e3 = hooks.wait_for("r-3", 0ms);
  REQUIRE(e2);
  REQUIRE(e3);
  for (const auto *e : {&*e1, &*e2, &*e3}) {
    for (const auto &h : e->headers) CHECK(h.second.find("s3cret") == std::string::npos);
    for (const auto &q : e->query) CHECK(q.second.find("s3cret") == std::string::npos);
  }
  CHECK(hooks.wait_for("r-2", 0ms)->header("x-env") == "prod");
  CHECK(hooks.wait_for("r-2", 0ms)->header("Authorization").empty());

  // Without a secret, nothing is taken out: Authorization may be the program's own.
  lgw::webhook_server_options no_secret;
  no_secret.path = "/hook";
  no_secret.require_secret = false;
  mock_server plain(no_secret);
  plain.start();
  CHECK(plain.transport().post("/hook?token=t", body, {{"Authorization", "Basic x"}}).status == 200);
  CHECK(plain.wait_for("r-1", 0ms)->header("authorization") == "Basic x");
  CHECK(plain.wait_for("r-1", 0ms)->query_value("token") == "t");
}

TEST_CASE("wait_for: only events the receiver acknowledged; a handler that always throws yields nothing") {
  lgw::webhook_server_options o;
  o.path = "/hook";
  o.require_secret = false;
  mock_server hooks(o);
  int attempts = 0;
  hooks.on_event([&](const lgw::webhook_event &) {
    if (++attempts <= 3) throw std::runtime_error("database down");
  });
  hooks.start();
  const std::string body = R"({"run_id":"r-1","thread_id":"t","status":"success"})";
  for (int i = 0; i < 3; ++i) CHECK(hooks.transport().post("/hook", body).status == 500); // the cloud's 3 attempts
  CHECK_FALSE(hooks.wait_for("r-1", 10ms));
  CHECK(hooks.stats().failed == 3);
  CHECK(hooks.transport().post("/hook", body).status == 200); // a 4th (a replay by hand)
  CHECK(hooks.wait_for("r-1", 0ms));
  CHECK(attempts == 4);
}

TEST_CASE("await_outcome: the webhook when it comes, else the server's record; each outcome once") {
  lgw::webhook_server_options o;
  o.path = "/hook";
  o.require_secret = false;
  mock_server hooks(o);
  std::vector<std::string> delivered;
  hooks.on_event([&](const lgw::webhook_event &e) { delivered.push_back(e.run_id); });
  hooks.start();
  lgw::mock_client_transport mock;
  test::mock_client client(mock, "http://lg.test", test::no_key());

  SUBCASE("the webhook came: no call to the server") {
    CHECK(hooks.transport()
              .post("/hook", R"({"run_id":"r-1","thread_id":"t-1","status":"success","values":{"n":1}})")
              .status == 200);
    const lgw::run_outcome out = hooks.await_outcome(client, "t-1", "r-1", 0ms);
    CHECK_FALSE(out.from_server());
    CHECK(out.status == lgw::run_status::success);
    CHECK(out.values == json{{"n", 1}});
    CHECK(mock.requests().empty());
  }
  SUBCASE("no webhook within the grace period: joined, then read, then kept like a delivery") {
    mock.respond(200, R"({"n":2})", {{"Content-Location", "/threads/t-1/runs/r-2"}})
        .respond(200, R"({"run_id":"r-2","thread_id":"t-1","assistant_id":"a","status":"success"})");
    const lgw::run_outcome out = hooks.await_outcome(client, "t-1", "r-2", 20ms);
    CHECK(out.from_server());
    CHECK(out.run_id == "r-2");
    CHECK(out.thread_id == "t-1");
    CHECK(out.status == lgw::run_status::success);
    CHECK(out.values == json{{"n", 2}});
    REQUIRE(mock.requests().size() == 2);
    CHECK(mock.requests()[0].target == "/threads/t-1/runs/r-2/join");
    CHECK(mock.requests()[1].target == "/threads/t-1/runs/r-2");
    // The late webhook is acknowledged as a repeat and reaches no handler; wait_for sees the outcome.
    CHECK(hooks.transport()
              .post("/hook", R"({"run_id":"r-2","thread_id":"t-1","status":"success","values":{"n":2}})")
              .status == 200);
    CHECK(delivered.empty());
    CHECK(hooks.stats().duplicates == 1);
    CHECK(hooks.wait_for("r-2", 0ms)->from_server);
  }
  SUBCASE("a failed run: the error from the join, the status from the run") {
    mock.respond(200, R"({"__error__":{"error":"ValueError","message":"bad"}})")
        .respond(200, R"({"run_id":"r-3","thread_id":"t-1","status":"error"})");
    const lgw::run_outcome out = hooks.await_outcome(client, "t-1", "r-3", 0ms);
    CHECK(out.status == lgw::run_status::error);
    REQUIRE(out.error);
    CHECK(out.error->error == "ValueError");
    CHECK(out.error->message == "bad");
  }
  SUBCASE("an interrupted run reads as interrupted") {
    mock.respond(200, R"({"__interrupt__":[{"id":"i-1","value":"approve?"}]})")
        .respond(200, R"({"run_id":"r-4","thread_id":"t-1","status":"interrupted"})");
    const lgw::run_outcome out = hooks.await_outcome(client, "t-1", "r-4", 0ms);
    CHECK(out.status == lgw::run_status::interrupted);
    CHECK(out.values == json{{"__interrupt__", {{{"id", "i-1"}, {"value", "approve?"}}}}});
  }
  SUBCASE("the server cannot tell: the error says so") {
    mock.respond(404, "Thread with ID t-1 not found");
    const lgw::error e = test::error_of([&] { hooks.await_outcome(client, "t-1", "r-5", 0ms); });
    CHECK(e.kind() == lgw::error_kind::not_found);
  }
}

TEST_CASE("URL policy: the numeric and named forms the servers refuse, and user@host") {
  for (const char *loop : {"http://localhost./x", "http://2130706433/x", "http://0x7f000001/x", "http://0177.0.0.1/x",
                           "http://127.1/x", "http://[::ffff:127.0.0.1]/x", "http://[::ffff:7f00:1]/x",
                           "http://[0:0:0:0:0:0:0:1]/x", "http://0.0.0.0/x", "http://[::]/x", "http://LocalHost./x"}) {
    CAPTURE(loop);
    const auto c = lgw::check_webhook_url(loop);
    REQUIRE(c.problems.size() == 1);
    CHECK(c.problems[0].find("loopback") != std::string::npos);
    lgw::webhook_url_policy allow;
    allow.disable_loopback = false;
    CHECK(lgw::check_webhook_url(loop, allow).ok());
  }
  for (const char *blocked :
       {"http://169.254.169.254/latest/meta-data", "http://metadata.google.internal/x", "http://169.254.1.1/x",
        "http://[fe80::1]/x", "http://0xa9fea9fe/x", "http://[::ffff:169.254.169.254]/x"}) {
    CAPTURE(blocked);
    const auto c = lgw::check_webhook_url(blocked);
    REQUIRE(c.problems.size() == 1);
    CHECK(c.problems[0].find("Webhook host blocked") != std::string::npos);
    lgw::webhook_url_policy allow;
    allow.disable_loopback = false;
    CHECK_FALSE(lgw::check_webhook_url(blocked, allow).ok()); // not a loopback switch
  }
  for (const char *fine : {"https://user:pw@hooks.example.com/x", "https://hooks.example.com@203.0.113.9/x",
                           "http://8.8.8.8/x", "http://2130706432x/x", "http://[2001:db8::1]/x",
                           "http://127.0.0.1.example.com/x", "http://256.0.0.1.nip.example/x"}) {
    CAPTURE(fine);
    CHECK(lgw::check_webhook_url(fine).ok());
  }
  // user@ does not hide a loopback host
  CHECK_FALSE(lgw::check_webhook_url("http://hooks.example.com@127.0.0.1/x").ok());
}
