// Every request struct: the exact method, target and JSON body the transport receives, with
// every field set and with only the required ones.
#include "langgraph_webhooks.hpp"

#include "test_support.hpp"

#include <doctest/doctest.h>

using nlohmann::json;

namespace {

const char *const tid = "5b1d0a38-6c6e-4bd8-9a55-3f1f3c3b6a01";

// Sends `req` through a mock that answers `answer`, returns what the mock received.
template <class Request> lgw::http_request sent(const Request &req, int status = 200, std::string answer = "{}") {
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
template <class R> void fill_run(R &f) {
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

// ... and those of runs on an existing thread.
template <class R> void fill_thread_run(R &f) {
  fill_run(f);
  f.thread_id = tid;
  f.checkpoint = lgw::checkpoint{std::string(tid), std::string(""), std::string("cp-1"), json{{"", "cp-0"}}};
  f.checkpoint_id = "1ef4d1c0-0000-6000-8000-000000000001";
  f.multitask_strategy = lgw::multitask_strategy::enqueue;
  f.if_not_exists = lgw::if_not_exists::create;
}

json filled_thread_run_json() {
  json j = filled_run_json();
  j.update({
      {"checkpoint",
       {{"thread_id", tid}, {"checkpoint_ns", ""}, {"checkpoint_id", "cp-1"}, {"checkpoint_map", {{"", "cp-0"}}}}},
      {"checkpoint_id", "1ef4d1c0-0000-6000-8000-000000000001"},
      {"multitask_strategy", "enqueue"},
      {"if_not_exists", "create"},
  });
  return j;
}

template <class R> void fill_cron(R &f) {
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

// What one request must put on the wire: method, target and body (null: none) — once with only
// its required fields set, once with every field set.
template <class R> struct wire {
  R request;
  std::string method, target;
  json body;
};
template <class R> struct sample { wire<R> minimal, full; };

// The samples of every request. A request listed in LANGGRAPH_WEBHOOKS_REQUESTS without one here
// does not compile: a new endpoint comes with its test.
template <class R> sample<R> sample_of() {
  static_assert(sizeof(R) == 0, "add a sample_of<R>() for this request in tests/test_requests.cpp");
  return {};
}

template <> sample<lgw::create_run_request> sample_of() {
  lgw::create_run_request min;
  min.thread_id = tid;
  min.assistant_id = "agent";
  lgw::create_run_request full;
  fill_thread_run(full);
  const std::string target = std::string("/threads/") + tid + "/runs";
  return {{min, "POST", target, {{"assistant_id", "agent"}}}, {full, "POST", target, filled_thread_run_json()}};
}

template <> sample<lgw::stream_run_request> sample_of() {
  lgw::stream_run_request min;
  min.thread_id = tid;
  min.assistant_id = "agent";
  lgw::stream_run_request full;
  fill_thread_run(full);
  full.on_disconnect = lgw::on_disconnect::continue_;
  const std::string target = std::string("/threads/") + tid + "/runs/stream";
  return {{min, "POST", target, {{"assistant_id", "agent"}}},
          {full, "POST", target, merged(filled_thread_run_json(), {{"on_disconnect", "continue"}})}};
}

template <> sample<lgw::wait_run_request> sample_of() {
  lgw::wait_run_request min;
  min.thread_id = tid;
  min.assistant_id = "agent";
  lgw::wait_run_request full;
  fill_thread_run(full);
  full.on_disconnect = lgw::on_disconnect::cancel;
  const std::string target = std::string("/threads/") + tid + "/runs/wait";
  return {{min, "POST", target, {{"assistant_id", "agent"}}},
          {full, "POST", target, merged(filled_thread_run_json(), {{"on_disconnect", "cancel"}})}};
}

template <> sample<lgw::create_run_stateless_request> sample_of() {
  lgw::create_run_stateless_request min;
  min.assistant_id = "agent";
  lgw::create_run_stateless_request full;
  fill_run(full);
  full.on_completion = lgw::on_completion::keep;
  return {{min, "POST", "/runs", {{"assistant_id", "agent"}}},
          {full, "POST", "/runs", merged(filled_run_json(), {{"on_completion", "keep"}})}};
}

template <> sample<lgw::stream_run_stateless_request> sample_of() {
  lgw::stream_run_stateless_request min;
  min.assistant_id = "agent";
  lgw::stream_run_stateless_request full;
  fill_run(full);
  full.on_disconnect = lgw::on_disconnect::cancel;
  full.on_completion = lgw::on_completion::delete_;
  return {{min, "POST", "/runs/stream", {{"assistant_id", "agent"}}},
          {full, "POST", "/runs/stream",
           merged(filled_run_json(), {{"on_disconnect", "cancel"}, {"on_completion", "delete"}})}};
}

template <> sample<lgw::wait_run_stateless_request> sample_of() {
  lgw::wait_run_stateless_request min;
  min.assistant_id = "agent";
  lgw::wait_run_stateless_request full;
  fill_run(full);
  full.on_disconnect = lgw::on_disconnect::continue_;
  full.on_completion = lgw::on_completion::keep;
  return {{min, "POST", "/runs/wait", {{"assistant_id", "agent"}}},
          {full, "POST", "/runs/wait",
           merged(filled_run_json(), {{"on_disconnect", "continue"}, {"on_completion", "keep"}})}};
}

template <> sample<lgw::get_run_request> sample_of() {
  const std::string target = std::string("/threads/") + tid + "/runs/r-1";
  return {{{tid, "r-1"}, "GET", target, nullptr}, {{tid, "r-1"}, "GET", target, nullptr}};
}

template <> sample<lgw::join_run_request> sample_of() {
  const std::string target = std::string("/threads/") + tid + "/runs/r-1/join";
  return {{{tid, "r-1", std::nullopt}, "GET", target, nullptr},
          {{tid, "r-1", true}, "GET", target + "?cancel_on_disconnect=true", nullptr}};
}

template <> sample<lgw::join_stream_request> sample_of() {
  const std::string target = std::string("/threads/") + tid + "/runs/r-1/stream";
  lgw::join_stream_request full{tid, "r-1", true, {lgw::stream_mode::values, lgw::stream_mode::messages_tuple}, "7"};
  return {{{tid, "r-1", std::nullopt, {}, std::nullopt}, "GET", target, nullptr},
          {full, "GET", target + "?cancel_on_disconnect=true&stream_mode=values&stream_mode=messages-tuple", nullptr}};
}

template <> sample<lgw::cancel_run_request> sample_of() {
  const std::string target = std::string("/threads/") + tid + "/runs/r-1/cancel";
  return {{{tid, "r-1", std::nullopt, std::nullopt}, "POST", target, nullptr},
          {{tid, "r-1", true, lgw::cancel_action::rollback}, "POST", target + "?wait=true&action=rollback", nullptr}};
}

template <> sample<lgw::create_thread_cron_request> sample_of() {
  lgw::create_thread_cron_request min;
  min.thread_id = tid;
  min.assistant_id = "agent";
  min.schedule = "0 * * * *";
  lgw::create_thread_cron_request full;
  fill_cron(full);
  full.thread_id = tid;
  full.multitask_strategy = lgw::multitask_strategy::reject;
  const std::string target = std::string("/threads/") + tid + "/runs/crons";
  return {{min, "POST", target, {{"assistant_id", "agent"}, {"schedule", "0 * * * *"}}},
          {full, "POST", target, merged(filled_cron_json(), {{"multitask_strategy", "reject"}})}};
}

template <> sample<lgw::create_cron_request> sample_of() {
  lgw::create_cron_request min;
  min.assistant_id = "agent";
  min.schedule = "0 9 * * 1";
  lgw::create_cron_request full;
  fill_cron(full);
  full.on_run_completed = lgw::on_run_completed::keep;
  return {{min, "POST", "/runs/crons", {{"assistant_id", "agent"}, {"schedule", "0 9 * * 1"}}},
          {full, "POST", "/runs/crons", merged(filled_cron_json(), {{"on_run_completed", "keep"}})}};
}

template <> sample<lgw::search_crons_request> sample_of() {
  lgw::search_crons_request full;
  full.assistant_id = "a-1";
  full.thread_id = tid;
  full.enabled = false;
  full.metadata = {{"k", "v"}};
  full.limit = 5;
  full.offset = 10;
  full.sort_by = lgw::cron_sort_by::next_run_date;
  full.sort_order = lgw::sort_order::asc;
  full.select = {"cron_id"};
  return {{{}, "POST", "/runs/crons/search", json::object()},
          {full,
           "POST",
           "/runs/crons/search",
           {{"assistant_id", "a-1"},
            {"thread_id", tid},
            {"enabled", false},
            {"metadata", {{"k", "v"}}},
            {"limit", 5},
            {"offset", 10},
            {"sort_by", "next_run_date"},
            {"sort_order", "asc"},
            {"select", {"cron_id"}}}}};
}

template <> sample<lgw::delete_cron_request> sample_of() {
  return {{{"c-1"}, "DELETE", "/runs/crons/c-1", nullptr}, {{"c 1"}, "DELETE", "/runs/crons/c%201", nullptr}};
}

template <> sample<lgw::search_assistants_request> sample_of() {
  lgw::search_assistants_request full;
  full.metadata = {{"team", "a"}};
  full.graph_id = "agent";
  full.name = "ag";
  full.limit = 10;
  full.offset = 0;
  full.sort_by = lgw::assistant_sort_by::created_at;
  full.sort_order = lgw::sort_order::desc;
  full.select = {"assistant_id", "config"};
  return {{{}, "POST", "/assistants/search", json::object()},
          {full,
           "POST",
           "/assistants/search",
           {{"metadata", {{"team", "a"}}},
            {"graph_id", "agent"},
            {"name", "ag"},
            {"limit", 10},
            {"offset", 0},
            {"sort_by", "created_at"},
            {"sort_order", "desc"},
            {"select", {"assistant_id", "config"}}}}};
}

template <> sample<lgw::create_thread_request> sample_of() {
  lgw::create_thread_request full;
  full.thread_id = tid;
  full.metadata = {{"graph_id", "agent"}};
  full.if_exists = lgw::if_exists::do_nothing;
  full.ttl = lgw::thread_ttl{"delete", 60};
  full.supersteps = json::array({{{"updates", {{{"values", {{"x", 1}}}, {"as_node", "prepare"}}}}}});
  return {{{}, "POST", "/threads", json::object()},
          {full,
           "POST",
           "/threads",
           {{"thread_id", tid},
            {"metadata", {{"graph_id", "agent"}}},
            {"if_exists", "do_nothing"},
            {"ttl", {{"strategy", "delete"}, {"ttl", 60.0}}},
            {"supersteps", {{{"updates", {{{"values", {{"x", 1}}}, {"as_node", "prepare"}}}}}}}}}};
}

template <> sample<lgw::get_info_request> sample_of() {
  return {{{}, "GET", "/info", nullptr}, {{}, "GET", "/info", nullptr}};
}

template <> sample<lgw::get_ok_request> sample_of() {
  return {{{}, "GET", "/ok", nullptr}, {{}, "GET", "/ok", nullptr}};
}

template <> sample<lgw::list_runs_request> sample_of() {
  lgw::list_runs_request full;
  full.thread_id = tid;
  full.limit = 5;
  full.offset = 10;
  full.status = lgw::run_status::success;
  full.select = {"run_id", "status"};
  const std::string target = std::string("/threads/") + tid + "/runs";
  return {{{tid}, "GET", target, nullptr},
          {full, "GET", target + "?limit=5&offset=10&status=success&select=run_id&select=status", nullptr}};
}

template <> sample<lgw::create_run_batch_request> sample_of() {
  lgw::create_run_stateless_request a, b;
  a.assistant_id = "agent";
  a.webhook = "https://hooks.example.com/a";
  fill_run(b);
  b.on_completion = lgw::on_completion::keep;
  return {{{{a}},
           "POST",
           "/runs/batch",
           json::array({{{"assistant_id", "agent"}, {"webhook", "https://hooks.example.com/a"}}})},
          {{{a, b}},
           "POST",
           "/runs/batch",
           json::array({{{"assistant_id", "agent"}, {"webhook", "https://hooks.example.com/a"}},
                        merged(filled_run_json(), {{"on_completion", "keep"}})})}};
}

template <> sample<lgw::cancel_runs_request> sample_of() {
  lgw::cancel_runs_request by_status;
  by_status.status = lgw::cancel_status::running;
  lgw::cancel_runs_request listed;
  listed.thread_id = tid;
  listed.run_ids = {"r-1", "r-2"};
  listed.action = lgw::cancel_action::rollback;
  return {{by_status, "POST", "/runs/cancel", {{"status", "running"}}},
          {listed, "POST", "/runs/cancel?action=rollback", {{"thread_id", tid}, {"run_ids", {"r-1", "r-2"}}}}};
}

template <> sample<lgw::delete_run_request> sample_of() {
  const std::string target = std::string("/threads/") + tid + "/runs/r-1";
  return {{{tid, "r-1"}, "DELETE", target, nullptr}, {{tid, "r-1"}, "DELETE", target, nullptr}};
}

template <> sample<lgw::get_cron_request> sample_of() {
  return {{{"c-1"}, "GET", "/runs/crons/c-1", nullptr}, {{"c 1"}, "GET", "/runs/crons/c%201", nullptr}};
}

template <> sample<lgw::update_cron_request> sample_of() {
  lgw::update_cron_request min;
  min.cron_id = "c-1";
  min.enabled = false;
  lgw::update_cron_request full;
  full.cron_id = "c-1";
  full.schedule = "*/10 * * * *";
  full.timezone = "Europe/Paris";
  full.end_time = nullptr; // cleared: sent as null
  full.enabled = true;
  full.input = {{"messages", json::array()}};
  full.metadata = {{"job", "report"}};
  full.config = {{"recursion_limit", 5}};
  full.context = {{"tenant", "t"}};
  full.webhook = "https://hooks.example.com/cron2";
  full.on_run_completed = lgw::on_run_completed::keep;
  full.interrupt_before = {"a"};
  full.interrupt_after = lgw::node_list::all();
  full.stream_mode = {lgw::stream_mode::values};
  full.stream_subgraphs = true;
  full.stream_resumable = false;
  full.durability = lgw::durability::async;
  return {{min, "PATCH", "/runs/crons/c-1", {{"enabled", false}}},
          {full,
           "PATCH",
           "/runs/crons/c-1",
           {{"schedule", "*/10 * * * *"},
            {"timezone", "Europe/Paris"},
            {"end_time", nullptr},
            {"enabled", true},
            {"input", {{"messages", json::array()}}},
            {"metadata", {{"job", "report"}}},
            {"config", {{"recursion_limit", 5}}},
            {"context", {{"tenant", "t"}}},
            {"webhook", "https://hooks.example.com/cron2"},
            {"on_run_completed", "keep"},
            {"interrupt_before", {"a"}},
            {"interrupt_after", "*"},
            {"stream_mode", {"values"}},
            {"stream_subgraphs", true},
            {"stream_resumable", false},
            {"durability", "async"}}}};
}

template <> sample<lgw::count_crons_request> sample_of() {
  lgw::count_crons_request full;
  full.assistant_id = "a-1";
  full.thread_id = tid;
  full.metadata = {{"job", "report"}};
  return {{{}, "POST", "/runs/crons/count", json::object()},
          {full,
           "POST",
           "/runs/crons/count",
           {{"assistant_id", "a-1"}, {"thread_id", tid}, {"metadata", {{"job", "report"}}}}}};
}

template <> sample<lgw::get_thread_request> sample_of() {
  const std::string target = std::string("/threads/") + tid;
  return {{{tid}, "GET", target, nullptr}, {{tid}, "GET", target, nullptr}};
}

template <> sample<lgw::get_thread_state_request> sample_of() {
  const std::string target = std::string("/threads/") + tid + "/state";
  return {{{tid, std::nullopt, std::nullopt}, "GET", target, nullptr},
          {{tid, std::string("1ef-cp"), true}, "GET", target + "/1ef-cp?subgraphs=true", nullptr}};
}

template <> sample<lgw::update_thread_state_request> sample_of() {
  lgw::update_thread_state_request min;
  min.thread_id = tid;
  min.values = {{"answer", "yes"}};
  lgw::update_thread_state_request full;
  full.thread_id = tid;
  full.values = {{"answer", "yes"}};
  full.as_node = "review";
  full.checkpoint = lgw::checkpoint{std::nullopt, std::string(""), std::string("cp-1"), nullptr};
  full.checkpoint_id = "cp-1";
  const std::string target = std::string("/threads/") + tid + "/state";
  return {{min, "POST", target, {{"values", {{"answer", "yes"}}}}},
          {full,
           "POST",
           target,
           {{"values", {{"answer", "yes"}}},
            {"as_node", "review"},
            {"checkpoint", {{"checkpoint_ns", ""}, {"checkpoint_id", "cp-1"}}},
            {"checkpoint_id", "cp-1"}}}};
}

template <> sample<lgw::get_thread_history_request> sample_of() {
  lgw::get_thread_history_request min;
  min.thread_id = tid;
  lgw::get_thread_history_request full;
  full.thread_id = tid;
  full.limit = 3;
  full.before = "cp-9";
  full.metadata = {{"source", "loop"}};
  full.checkpoint = lgw::checkpoint{std::nullopt, std::string("sub:1"), std::nullopt, nullptr};
  const std::string target = std::string("/threads/") + tid + "/history";
  return {{min, "POST", target, {{"limit", 10}}},
          {full,
           "POST",
           target,
           {{"limit", 3},
            {"before", "cp-9"},
            {"metadata", {{"source", "loop"}}},
            {"checkpoint", {{"checkpoint_ns", "sub:1"}}}}}};
}

template <> sample<lgw::search_threads_request> sample_of() {
  lgw::search_threads_request full;
  full.metadata = {{"graph_id", "agent"}};
  full.values = {{"answer", "yes"}};
  full.ids = {tid};
  full.status = lgw::thread_status::interrupted;
  full.limit = 20;
  full.offset = 0;
  full.sort_by = lgw::thread_sort_by::updated_at;
  full.sort_order = lgw::sort_order::asc;
  full.select = {"thread_id", "status"};
  return {{{}, "POST", "/threads/search", json::object()},
          {full,
           "POST",
           "/threads/search",
           {{"metadata", {{"graph_id", "agent"}}},
            {"values", {{"answer", "yes"}}},
            {"ids", {tid}},
            {"status", "interrupted"},
            {"limit", 20},
            {"offset", 0},
            {"sort_by", "updated_at"},
            {"sort_order", "asc"},
            {"select", {"thread_id", "status"}}}}};
}

template <> sample<lgw::delete_thread_request> sample_of() {
  const std::string target = std::string("/threads/") + tid;
  return {{{tid}, "DELETE", target, nullptr}, {{tid}, "DELETE", target, nullptr}};
}

// A plausible answer for the request's response type, so the client accepts it.
template <class R> std::string answer_for() {
  using T = typename R::response_type;
  if constexpr (std::is_same_v<T, lgw::stream_result> || std::is_void_v<T>)
    return "";
  else if constexpr (lgw::detail::is_vector<T>::value)
    return "[]";
  else if constexpr (std::is_integral_v<T>)
    return "3";
  else
    return "{}";
}

template <class R> void check_wire(const wire<R> &w, const char *which) {
  CAPTURE(which);
  const lgw::http_request got = sent(w.request, 200, answer_for<R>());
  CHECK(got.method == w.method);
  CHECK(got.method == R::method);
  CHECK(got.target == w.target);
  if (w.body.is_null()) {
    CHECK(got.body.empty());
    CHECK(got.header("Content-Type").empty());
  } else {
    CHECK(body_of(got) == w.body);
    CHECK(got.header("Content-Type") == "application/json");
    // path ids are in the path, never in the body
    w.request.path([&](const char *key, const auto &) { CHECK_FALSE(body_of(got).contains(key)); });
  }
}

template <class R> void check_request(const char *name) {
  CAPTURE(name);
  const sample<R> s = sample_of<R>();
  check_wire(s.minimal, "required fields only");
  check_wire(s.full, "every field set");
}

} // namespace

TEST_CASE("every request in LANGGRAPH_WEBHOOKS_REQUESTS: method, target and body on the wire") {
#define LGW_TEST_CHECK_REQUEST(R, how) check_request<lgw::R>(#R);
  LANGGRAPH_WEBHOOKS_REQUESTS(LGW_TEST_CHECK_REQUEST)
#undef LGW_TEST_CHECK_REQUEST
}

TEST_CASE("a false flag is left out of the query: the JS server reads \"false\" as true") {
  auto cancel_nowait = sent(lgw::cancel_run_request{tid, "r-1", false, lgw::cancel_action::interrupt}, 202, "");
  CHECK(cancel_nowait.target == std::string("/threads/") + tid + "/runs/r-1/cancel?action=interrupt");
  CHECK(sent(lgw::join_run_request{tid, "r-1", false}).target == std::string("/threads/") + tid + "/runs/r-1/join");
}

TEST_CASE("join_stream_request: Last-Event-ID goes in a header") {
  auto got = sent(lgw::join_stream_request{tid, "r-1", std::nullopt, {}, std::string("42")}, 200, "");
  CHECK(got.header("Last-Event-ID") == "42");
  CHECK(got.header("Accept") == "text/event-stream");
}

TEST_CASE("ids in the path are percent-encoded; an empty id is refused before sending") {
  lgw::create_run_request r;
  r.thread_id = "a b/c?d#é";
  r.assistant_id = "agent";
  CHECK(sent(r).target == "/threads/a%20b%2Fc%3Fd%23%C3%A9/runs");

  lgw::mock_client_transport mock;
  test::mock_client client(mock, "http://lg.test", test::no_key());
  r.thread_id.clear();
  const lgw::error e = test::error_of([&] { client.runs().create(r); });
  CHECK(e.kind() == lgw::error_kind::invalid_argument);
  CHECK(e.endpoint() == "POST /threads/{thread_id}/runs");
  CHECK(std::string(e.what()) ==
        "POST /threads/{thread_id}/runs: invalid_argument: thread_id is empty (it goes into the path)");
  CHECK(test::error_of([&] { client.runs().get("t", ""); }).kind() == lgw::error_kind::invalid_argument);
  CHECK(test::error_of([&] { client.crons().remove(""); }).kind() == lgw::error_kind::invalid_argument);
  CHECK(mock.requests().empty());
}

TEST_CASE("required body fields are checked before anything is sent, like the ids in the path") {
  lgw::mock_client_transport mock;
  test::mock_client client(mock, "http://lg.test", test::no_key());
  lgw::create_run_request r;
  r.thread_id = "t-1"; // assistant_id left empty
  const lgw::error e = test::error_of([&] { client.runs().create(r); });
  CHECK(e.kind() == lgw::error_kind::invalid_argument);
  CHECK(std::string(e.what()) ==
        "POST /threads/{thread_id}/runs: invalid_argument: assistant_id is required (it is empty)");
  lgw::wait_run_stateless_request w;
  CHECK(test::error_of([&] { client.runs().wait(w); }).message() == "assistant_id is required (it is empty)");
  lgw::stream_run_stateless_request s;
  CHECK(test::error_of([&] { client.runs().stream(s, [](const lgw::stream_part &) {}); }).kind() ==
        lgw::error_kind::invalid_argument);
  lgw::create_cron_request c;
  c.assistant_id = "agent"; // schedule left empty
  CHECK(test::error_of([&] { client.crons().create(c); }).message() == "schedule is required (it is empty)");
  lgw::create_run_batch_request batch;
  batch.runs.resize(2);
  batch.runs[0].assistant_id = "agent";
  CHECK(test::error_of([&] { client.runs().create_batch(batch); }).message() ==
        "runs[1].assistant_id is required (it is empty)");
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
#define LGW_TEST_AGGREGATE(R, how) static_assert(std::is_aggregate_v<lgw::R>, #R " is an aggregate");
  LANGGRAPH_WEBHOOKS_REQUESTS(LGW_TEST_AGGREGATE)
#undef LGW_TEST_AGGREGATE
}

TEST_CASE("request structs serialise on their own with nlohmann::json") {
  lgw::wait_run_stateless_request r;
  r.assistant_id = "agent";
  r.stream_mode = {lgw::stream_mode::custom};
  json j = r;
  CHECK(j == json{{"assistant_id", "agent"}, {"stream_mode", {"custom"}}});
}
