// Every request struct: the exact method, target and JSON body the transport receives, with
// every field set and with only the required ones.
#include "langgraph_webhooks.hpp"

#include "test_support.hpp"

#include <doctest/doctest.h>

using nlohmann::json;

namespace {

const char *const tid = "5b1d0a38-6c6e-4bd8-9a55-3f1f3c3b6a01";

// Sends `req` through a mock that answers `answer`, returns what the mock received.
template <class Request>
lgw::http_request sent(const Request &req, int status = 200, std::string answer = "{}") {
  lgw::mock_client_transport mock;
  mock.respond(status, std::move(answer));
  test::mock_client client(mock, "http://lg.test", test::no_key());
  if constexpr (std::is_same_v<typename Request::response_type, lgw::stream_result>)
    client.stream(req, [](const lgw::stream_part &) {});
  else
    client.send(req, false);
  return mock.last_request();
}

json body_of(const lgw::http_request &r) { return r.body.empty() ? json() : json::parse(r.body); }

// The fields every run-creating request shares, all set.
void fill(lgw::run_create_fields &f) {
  f.assistant_id = "agent";
  f.input = {{"messages", {{{"role", "human"}, {"content", "Hello!"}}}}};
  f.command = {{"resume", "yes"}};
  f.metadata = {{"source", "unit"}};
  f.config = {{"tags", {"t1"}}, {"recursion_limit", 12}};
  f.context = {{"user_id", "u-1"}};
  f.webhook = "https://hooks.example.com/langgraph?token=s3cr3t";
  f.interrupt_before = {"reply"};
  f.interrupt_after = lgw::node_list::all();
  f.stream_mode = {lgw::stream_mode::values, lgw::stream_mode::messages_tuple};
  f.stream_subgraphs = true;
  f.stream_resumable = false;
  f.feedback_keys = {"helpfulness"};
  f.after_seconds = 1.5;
  f.durability = lgw::durability::sync;
  f.checkpoint_during = true;
  f.langsmith_tracer = lgw::langsmith_tracer{std::string("proj"), std::string("ex-1")};
}

json filled_run_json() {
  return {
      {"assistant_id", "agent"},
      {"input", {{"messages", {{{"role", "human"}, {"content", "Hello!"}}}}}},
      {"command", {{"resume", "yes"}}},
      {"metadata", {{"source", "unit"}}},
      {"config", {{"tags", {"t1"}}, {"recursion_limit", 12}}},
      {"context", {{"user_id", "u-1"}}},
      {"webhook", "https://hooks.example.com/langgraph?token=s3cr3t"},
      {"interrupt_before", {"reply"}},
      {"interrupt_after", "*"},
      {"stream_mode", {"values", "messages-tuple"}},
      {"stream_subgraphs", true},
      {"stream_resumable", false},
      {"feedback_keys", {"helpfulness"}},
      {"after_seconds", 1.5},
      {"durability", "sync"},
      {"checkpoint_during", true},
      {"langsmith_tracer", {{"project_name", "proj"}, {"example_id", "ex-1"}}},
  };
}

void fill(lgw::thread_run_fields &f) {
  f.checkpoint = lgw::checkpoint{std::string(tid), std::string(""), std::string("cp-1"),
                                 json{{"", "cp-0"}}};
  f.checkpoint_id = "1ef4d1c0-0000-6000-8000-000000000001";
  f.multitask_strategy = lgw::multitask_strategy::enqueue;
  f.if_not_exists = lgw::if_not_exists::create;
}

json filled_thread_run_json() {
  return {
      {"checkpoint",
       {{"thread_id", tid}, {"checkpoint_ns", ""}, {"checkpoint_id", "cp-1"},
        {"checkpoint_map", {{"", "cp-0"}}}}},
      {"checkpoint_id", "1ef4d1c0-0000-6000-8000-000000000001"},
      {"multitask_strategy", "enqueue"},
      {"if_not_exists", "create"},
  };
}

void fill(lgw::cron_fields &f) {
  f.schedule = "*/5 * * * *";
  f.assistant_id = "agent";
  f.timezone = "America/New_York";
  f.end_time = "2027-01-01T00:00:00Z";
  f.enabled = true;
  f.input = {{"messages", {{{"role", "human"}, {"content", "tick"}}}}};
  f.metadata = {{"job", "report"}};
  f.config = {{"recursion_limit", 5}};
  f.context = {{"tenant", "t"}};
  f.webhook = "https://hooks.example.com/cron";
  f.interrupt_before = lgw::node_list::all();
  f.interrupt_after = {"prepare", "reply"};
  f.stream_mode = {lgw::stream_mode::updates};
  f.stream_subgraphs = false;
  f.stream_resumable = true;
  f.durability = lgw::durability::exit;
  f.checkpoint_during = false;
}

json filled_cron_json() {
  return {
      {"schedule", "*/5 * * * *"},
      {"assistant_id", "agent"},
      {"timezone", "America/New_York"},
      {"end_time", "2027-01-01T00:00:00Z"},
      {"enabled", true},
      {"input", {{"messages", {{{"role", "human"}, {"content", "tick"}}}}}},
      {"metadata", {{"job", "report"}}},
      {"config", {{"recursion_limit", 5}}},
      {"context", {{"tenant", "t"}}},
      {"webhook", "https://hooks.example.com/cron"},
      {"interrupt_before", "*"},
      {"interrupt_after", {"prepare", "reply"}},
      {"stream_mode", {"updates"}},
      {"stream_subgraphs", false},
      {"stream_resumable", true},
      {"durability", "exit"},
      {"checkpoint_during", false},
  };
}

json merged(json a, const json &b) {
  a.update(b);
  return a;
}

} // namespace

TEST_CASE("create_run_request: POST /threads/{thread_id}/runs") {
  lgw::create_run_request r;
  r.thread_id = tid;
  r.assistant_id = "agent";
  auto minimal = sent(r);
  CHECK(minimal.method == "POST");
  CHECK(minimal.target == std::string("/threads/") + tid + "/runs");
  CHECK(body_of(minimal) == json{{"assistant_id", "agent"}});
  CHECK(minimal.header("Content-Type") == "application/json");

  fill(static_cast<lgw::run_create_fields &>(r));
  fill(static_cast<lgw::thread_run_fields &>(r));
  auto full = sent(r);
  CHECK(full.target == std::string("/threads/") + tid + "/runs");
  CHECK(body_of(full) == merged(filled_run_json(), filled_thread_run_json()));
  CHECK_FALSE(body_of(full).contains("thread_id"));
}

TEST_CASE("stream_run_request: POST /threads/{thread_id}/runs/stream") {
  lgw::stream_run_request r;
  r.thread_id = tid;
  r.assistant_id = "agent";
  auto minimal = sent(r, 200, "");
  CHECK(minimal.method == "POST");
  CHECK(minimal.target == std::string("/threads/") + tid + "/runs/stream");
  CHECK(body_of(minimal) == json{{"assistant_id", "agent"}});

  fill(static_cast<lgw::run_create_fields &>(r));
  fill(static_cast<lgw::thread_run_fields &>(r));
  r.on_disconnect = lgw::on_disconnect::continue_;
  auto full = sent(r, 200, "");
  CHECK(body_of(full) == merged(merged(filled_run_json(), filled_thread_run_json()),
                                {{"on_disconnect", "continue"}}));
}

TEST_CASE("wait_run_request: POST /threads/{thread_id}/runs/wait") {
  lgw::wait_run_request r;
  r.thread_id = tid;
  r.assistant_id = "agent";
  auto minimal = sent(r);
  CHECK(minimal.method == "POST");
  CHECK(minimal.target == std::string("/threads/") + tid + "/runs/wait");
  CHECK(body_of(minimal) == json{{"assistant_id", "agent"}});

  fill(static_cast<lgw::run_create_fields &>(r));
  fill(static_cast<lgw::thread_run_fields &>(r));
  r.on_disconnect = lgw::on_disconnect::cancel;
  CHECK(body_of(sent(r)) == merged(merged(filled_run_json(), filled_thread_run_json()),
                                   {{"on_disconnect", "cancel"}}));
}

TEST_CASE("create_run_stateless_request: POST /runs") {
  lgw::create_run_stateless_request r;
  r.assistant_id = "agent";
  auto minimal = sent(r);
  CHECK(minimal.method == "POST");
  CHECK(minimal.target == "/runs");
  CHECK(body_of(minimal) == json{{"assistant_id", "agent"}});

  fill(r);
  r.on_completion = lgw::on_completion::keep;
  CHECK(body_of(sent(r)) == merged(filled_run_json(), {{"on_completion", "keep"}}));
}

TEST_CASE("stream_run_stateless_request: POST /runs/stream") {
  lgw::stream_run_stateless_request r;
  r.assistant_id = "agent";
  auto minimal = sent(r, 200, "");
  CHECK(minimal.method == "POST");
  CHECK(minimal.target == "/runs/stream");
  CHECK(body_of(minimal) == json{{"assistant_id", "agent"}});

  fill(r);
  r.on_disconnect = lgw::on_disconnect::cancel;
  r.on_completion = lgw::on_completion::delete_;
  CHECK(body_of(sent(r, 200, "")) ==
        merged(filled_run_json(), {{"on_disconnect", "cancel"}, {"on_completion", "delete"}}));
}

TEST_CASE("wait_run_stateless_request: POST /runs/wait") {
  lgw::wait_run_stateless_request r;
  r.assistant_id = "agent";
  auto minimal = sent(r);
  CHECK(minimal.method == "POST");
  CHECK(minimal.target == "/runs/wait");
  CHECK(body_of(minimal) == json{{"assistant_id", "agent"}});

  fill(r);
  r.on_disconnect = lgw::on_disconnect::continue_;
  r.on_completion = lgw::on_completion::keep;
  CHECK(body_of(sent(r)) ==
        merged(filled_run_json(), {{"on_disconnect", "continue"}, {"on_completion", "keep"}}));
}

TEST_CASE("create_thread_cron_request: POST /threads/{thread_id}/runs/crons") {
  lgw::create_thread_cron_request r;
  r.thread_id = tid;
  r.assistant_id = "agent";
  r.schedule = "0 * * * *";
  auto minimal = sent(r);
  CHECK(minimal.method == "POST");
  CHECK(minimal.target == std::string("/threads/") + tid + "/runs/crons");
  CHECK(body_of(minimal) == json{{"assistant_id", "agent"}, {"schedule", "0 * * * *"}});

  fill(r);
  r.multitask_strategy = lgw::multitask_strategy::reject;
  auto full = body_of(sent(r));
  CHECK(full == merged(filled_cron_json(), {{"multitask_strategy", "reject"}}));
  CHECK_FALSE(full.contains("on_run_completed"));
  CHECK_FALSE(full.contains("command"));
}

TEST_CASE("create_cron_request: POST /runs/crons") {
  lgw::create_cron_request r;
  r.assistant_id = "agent";
  r.schedule = "0 9 * * 1";
  auto minimal = sent(r);
  CHECK(minimal.method == "POST");
  CHECK(minimal.target == "/runs/crons");
  CHECK(body_of(minimal) == json{{"assistant_id", "agent"}, {"schedule", "0 9 * * 1"}});

  fill(r);
  r.on_run_completed = lgw::on_run_completed::keep;
  auto full = body_of(sent(r));
  CHECK(full == merged(filled_cron_json(), {{"on_run_completed", "keep"}}));
  CHECK_FALSE(full.contains("multitask_strategy"));
}

TEST_CASE("search_assistants_request: POST /assistants/search") {
  lgw::search_assistants_request r;
  auto minimal = sent(r, 200, "[]");
  CHECK(minimal.method == "POST");
  CHECK(minimal.target == "/assistants/search");
  CHECK(body_of(minimal) == json::object());

  r.metadata = {{"team", "a"}};
  r.graph_id = "agent";
  r.name = "ag";
  r.limit = 10;
  r.offset = 0;
  r.sort_by = lgw::assistant_sort_by::created_at;
  r.sort_order = lgw::sort_order::desc;
  r.select = {"assistant_id", "config"};
  CHECK(body_of(sent(r, 200, "[]")) == json{{"metadata", {{"team", "a"}}},
                                            {"graph_id", "agent"},
                                            {"name", "ag"},
                                            {"limit", 10},
                                            {"offset", 0},
                                            {"sort_by", "created_at"},
                                            {"sort_order", "desc"},
                                            {"select", {"assistant_id", "config"}}});
}

TEST_CASE("create_thread_request: POST /threads") {
  lgw::create_thread_request r;
  auto minimal = sent(r);
  CHECK(minimal.method == "POST");
  CHECK(minimal.target == "/threads");
  CHECK(body_of(minimal) == json::object());

  r.thread_id = tid;
  r.metadata = {{"graph_id", "agent"}};
  r.if_exists = lgw::if_exists::do_nothing;
  r.ttl = lgw::thread_ttl{"delete", 60};
  r.supersteps = json::array({{{"updates", {{{"values", {{"x", 1}}}, {"as_node", "prepare"}}}}}});
  CHECK(body_of(sent(r)) ==
        json{{"thread_id", tid},
             {"metadata", {{"graph_id", "agent"}}},
             {"if_exists", "do_nothing"},
             {"ttl", {{"strategy", "delete"}, {"ttl", 60.0}}},
             {"supersteps", {{{"updates", {{{"values", {{"x", 1}}}, {"as_node", "prepare"}}}}}}}});
}

TEST_CASE("get, join and cancel: paths and query, no body") {
  auto get = sent(lgw::get_run_request{tid, "r-1"});
  CHECK(get.method == "GET");
  CHECK(get.target == std::string("/threads/") + tid + "/runs/r-1");
  CHECK(get.body.empty());
  CHECK(get.header("Content-Type").empty());

  auto join = sent(lgw::join_run_request{tid, "r-1", std::nullopt});
  CHECK(join.method == "GET");
  CHECK(join.target == std::string("/threads/") + tid + "/runs/r-1/join");
  auto join_cancel = sent(lgw::join_run_request{tid, "r-1", true});
  CHECK(join_cancel.target ==
        std::string("/threads/") + tid + "/runs/r-1/join?cancel_on_disconnect=true");

  auto cancel = sent(lgw::cancel_run_request{tid, "r-1", std::nullopt, std::nullopt}, 202, "");
  CHECK(cancel.method == "POST");
  CHECK(cancel.target == std::string("/threads/") + tid + "/runs/r-1/cancel");
  CHECK(cancel.body.empty());
  auto cancel_all = sent(lgw::cancel_run_request{tid, "r-1", true, lgw::cancel_action::rollback},
                         204, "");
  CHECK(cancel_all.target ==
        std::string("/threads/") + tid + "/runs/r-1/cancel?wait=true&action=rollback");
  // A false flag is left out: the JS server reads "false" as true.
  auto cancel_nowait =
      sent(lgw::cancel_run_request{tid, "r-1", false, lgw::cancel_action::interrupt}, 202, "");
  CHECK(cancel_nowait.target ==
        std::string("/threads/") + tid + "/runs/r-1/cancel?action=interrupt");
}

TEST_CASE("crons: search and delete") {
  lgw::search_crons_request s;
  auto minimal = sent(s, 200, "[]");
  CHECK(minimal.method == "POST");
  CHECK(minimal.target == "/runs/crons/search");
  CHECK(body_of(minimal) == json::object());
  s.assistant_id = "a-1";
  s.thread_id = tid;
  s.enabled = false;
  s.metadata = {{"k", "v"}};
  s.limit = 5;
  s.offset = 10;
  s.sort_by = lgw::cron_sort_by::next_run_date;
  s.sort_order = lgw::sort_order::asc;
  s.select = {"cron_id"};
  CHECK(body_of(sent(s, 200, "[]")) == json{{"assistant_id", "a-1"},
                                            {"thread_id", tid},
                                            {"enabled", false},
                                            {"metadata", {{"k", "v"}}},
                                            {"limit", 5},
                                            {"offset", 10},
                                            {"sort_by", "next_run_date"},
                                            {"sort_order", "asc"},
                                            {"select", {"cron_id"}}});

  auto del = sent(lgw::delete_cron_request{"c 1"}, 204, "");
  CHECK(del.method == "DELETE");
  CHECK(del.target == "/runs/crons/c%201");
  CHECK(del.body.empty());
}

TEST_CASE("info and ok") {
  auto info = sent(lgw::get_info_request{}, 200, R"({"version":"1.5.1"})");
  CHECK(info.method == "GET");
  CHECK(info.target == "/info");
  auto ok = sent(lgw::get_ok_request{}, 200, R"({"ok":true})");
  CHECK(ok.method == "GET");
  CHECK(ok.target == "/ok");
}

TEST_CASE("ids in the path are percent-encoded; an empty id is refused before sending") {
  lgw::create_run_request r;
  r.thread_id = "a b/c?d#é";
  r.assistant_id = "agent";
  CHECK(sent(r).target == "/threads/a%20b%2Fc%3Fd%23%C3%A9/runs");

  lgw::mock_client_transport mock;
  test::mock_client client(mock, "http://lg.test", test::no_key());
  r.thread_id.clear();
  CHECK_THROWS_WITH_AS(client.runs().create(r), "create_run_request.thread_id is empty",
                       std::invalid_argument);
  CHECK_THROWS_AS(client.runs().get("t", ""), std::invalid_argument);
  CHECK_THROWS_AS(client.crons().remove(""), std::invalid_argument);
  CHECK(mock.requests().empty());
}

TEST_CASE("each request type reports its route and retry safety") {
  CHECK(std::string(lgw::create_run_request::route) == "/threads/{thread_id}/runs");
  CHECK(std::string(lgw::create_thread_cron_request::route) == "/threads/{thread_id}/runs/crons");
  CHECK(std::string(lgw::stream_run_stateless_request::route) == "/runs/stream");
  CHECK_FALSE(lgw::create_run_request::idempotent);
  CHECK_FALSE(lgw::wait_run_stateless_request::idempotent);
  CHECK(lgw::search_assistants_request::idempotent);
  CHECK(lgw::get_run_request::idempotent);
  static_assert(std::is_same_v<lgw::wait_run_request::response_type, lgw::run_output>);
  static_assert(std::is_same_v<lgw::create_cron_request::response_type, lgw::cron>);
  static_assert(std::is_aggregate_v<lgw::create_run_request>);
  static_assert(std::is_aggregate_v<lgw::wait_run_stateless_request>);
}

TEST_CASE("request structs serialise on their own with nlohmann::json") {
  lgw::wait_run_stateless_request r;
  r.assistant_id = "agent";
  r.stream_mode = {lgw::stream_mode::custom};
  json j = r;
  CHECK(j == json{{"assistant_id", "agent"}, {"stream_mode", {"custom"}}});
}
