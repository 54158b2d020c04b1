// C++20: every request struct is a plain aggregate, so designated initializers name its fields,
// as in client.runs().create({.thread_id = t, .assistant_id = "agent", .webhook = url}).
// Each request built that way must put on the wire exactly what the same request built by
// assignment does. A request in LANGGRAPH_WEBHOOKS_REQUESTS without a case here does not compile.
#include "langgraph_webhooks.hpp"

#include <cstdio>
#include <cstdlib>
#include <string>

namespace lgw = langgraph::webhooks;
using nlohmann::json;

namespace {

int failures = 0;

lgw::client_options quiet() {
  lgw::client_options o;
  o.api_key = "";
  return o;
}

template <class R> lgw::http_request sent(const R &r) {
  lgw::mock_client_transport mock;
  mock.otherwise([](const lgw::http_request &) {
    lgw::http_response res;
    res.status = 200;
    using T = typename R::response_type;
    if constexpr (lgw::detail::is_vector<T>::value)
      res.body = "[]";
    else if constexpr (std::is_integral_v<T>)
      res.body = "3";
    else if constexpr (!std::is_void_v<T> && !std::is_same_v<T, lgw::stream_result>)
      res.body = "{}";
    return res;
  });
  lgw::basic_client<lgw::mock_client_transport> c(mock, "http://lg.test", quiet());
  if constexpr (std::is_same_v<typename R::response_type, lgw::stream_result>)
    c.stream(r, [](const lgw::stream_part &) {});
  else
    c.send(r, false);
  return mock.last_request();
}

// The designated form and the assigned form of one request.
template <class R> struct pair_of { R designated, assigned; };
template <class R> pair_of<R> both() {
  static_assert(sizeof(R) == 0, "add a both<R>() for this request in tests/designated_init.cpp");
  return {};
}

const json input = {{"messages", {{{"role", "human"}, {"content", "Hello!"}}}}};
const std::string hook = "https://hooks.example.com/h?token=t";

template <> pair_of<lgw::create_run_request> both() {
  lgw::create_run_request a;
  a.thread_id = "t-1";
  a.assistant_id = "agent";
  a.input = input;
  a.webhook = hook;
  a.stream_mode = {lgw::stream_mode::values};
  return {{.thread_id = "t-1",
           .assistant_id = "agent",
           .input = input,
           .webhook = hook,
           .stream_mode = {lgw::stream_mode::values}},
          a};
}
template <> pair_of<lgw::stream_run_request> both() {
  lgw::stream_run_request a;
  a.thread_id = "t-1";
  a.assistant_id = "agent";
  a.webhook = hook;
  a.on_disconnect = lgw::on_disconnect::cancel;
  a.stream_resumable = true;
  return {{.thread_id = "t-1",
           .assistant_id = "agent",
           .webhook = hook,
           .on_disconnect = lgw::on_disconnect::cancel,
           .stream_resumable = true},
          a};
}
template <> pair_of<lgw::wait_run_request> both() {
  lgw::wait_run_request a;
  a.thread_id = "t-1";
  a.assistant_id = "agent";
  a.command = {{"resume", "yes"}};
  a.multitask_strategy = lgw::multitask_strategy::enqueue;
  return {{.thread_id = "t-1",
           .assistant_id = "agent",
           .command = {{"resume", "yes"}},
           .multitask_strategy = lgw::multitask_strategy::enqueue},
          a};
}
template <> pair_of<lgw::create_run_stateless_request> both() {
  lgw::create_run_stateless_request a;
  a.assistant_id = "agent";
  a.webhook = hook;
  a.on_completion = lgw::on_completion::keep;
  return {{.assistant_id = "agent", .webhook = hook, .on_completion = lgw::on_completion::keep}, a};
}
template <> pair_of<lgw::stream_run_stateless_request> both() {
  lgw::stream_run_stateless_request a;
  a.assistant_id = "agent";
  a.input = input;
  a.on_disconnect = lgw::on_disconnect::continue_;
  return {{.assistant_id = "agent", .input = input, .on_disconnect = lgw::on_disconnect::continue_}, a};
}
template <> pair_of<lgw::wait_run_stateless_request> both() {
  lgw::wait_run_stateless_request a;
  a.assistant_id = "agent";
  a.after_seconds = 2;
  return {{.assistant_id = "agent", .after_seconds = 2}, a};
}
template <> pair_of<lgw::get_run_request> both() { return {{.thread_id = "t", .run_id = "r"}, {"t", "r"}}; }
template <> pair_of<lgw::join_run_request> both() {
  return {{.thread_id = "t", .run_id = "r", .cancel_on_disconnect = true}, {"t", "r", true}};
}
template <> pair_of<lgw::join_stream_request> both() {
  lgw::join_stream_request a;
  a.thread_id = "t";
  a.run_id = "r";
  a.stream_mode = {lgw::stream_mode::updates};
  a.last_event_id = "3";
  return {{.thread_id = "t", .run_id = "r", .stream_mode = {lgw::stream_mode::updates}, .last_event_id = "3"}, a};
}
template <> pair_of<lgw::cancel_run_request> both() {
  return {{.thread_id = "t", .run_id = "r", .wait = true, .action = lgw::cancel_action::rollback},
          {"t", "r", true, lgw::cancel_action::rollback}};
}
template <> pair_of<lgw::create_thread_cron_request> both() {
  lgw::create_thread_cron_request a;
  a.thread_id = "t";
  a.assistant_id = "agent";
  a.schedule = "*/5 * * * *";
  a.webhook = hook;
  return {{.thread_id = "t", .assistant_id = "agent", .schedule = "*/5 * * * *", .webhook = hook}, a};
}
template <> pair_of<lgw::create_cron_request> both() {
  lgw::create_cron_request a;
  a.assistant_id = "agent";
  a.schedule = "0 9 * * 1";
  a.webhook = hook;
  a.on_run_completed = lgw::on_run_completed::keep;
  return {{.assistant_id = "agent",
           .schedule = "0 9 * * 1",
           .webhook = hook,
           .on_run_completed = lgw::on_run_completed::keep},
          a};
}
template <> pair_of<lgw::search_crons_request> both() {
  lgw::search_crons_request a;
  a.assistant_id = "agent";
  a.limit = 5;
  return {{.assistant_id = "agent", .limit = 5}, a};
}
template <> pair_of<lgw::delete_cron_request> both() { return {{.cron_id = "c"}, {"c"}}; }
template <> pair_of<lgw::search_assistants_request> both() {
  lgw::search_assistants_request a;
  a.graph_id = "agent";
  a.limit = 1;
  return {{.graph_id = "agent", .limit = 1}, a};
}
template <> pair_of<lgw::create_thread_request> both() {
  lgw::create_thread_request a;
  a.thread_id = "t";
  a.metadata = {{"k", "v"}};
  return {{.thread_id = "t", .metadata = {{"k", "v"}}}, a};
}
template <> pair_of<lgw::list_runs_request> both() {
  lgw::list_runs_request a;
  a.thread_id = "t";
  a.limit = 5;
  a.status = lgw::run_status::success;
  return {{.thread_id = "t", .limit = 5, .status = lgw::run_status::success}, a};
}
template <> pair_of<lgw::create_run_batch_request> both() {
  lgw::create_run_stateless_request one;
  one.assistant_id = "agent";
  one.webhook = hook;
  lgw::create_run_batch_request a;
  a.runs = {one, one};
  return {{.runs = {{.assistant_id = "agent", .webhook = hook}, {.assistant_id = "agent", .webhook = hook}}}, a};
}
template <> pair_of<lgw::cancel_runs_request> both() {
  lgw::cancel_runs_request a;
  a.thread_id = "t";
  a.run_ids = {"r1", "r2"};
  a.action = lgw::cancel_action::rollback;
  return {{.thread_id = "t", .run_ids = {"r1", "r2"}, .action = lgw::cancel_action::rollback}, a};
}
template <> pair_of<lgw::delete_run_request> both() { return {{.thread_id = "t", .run_id = "r"}, {"t", "r"}}; }
template <> pair_of<lgw::get_cron_request> both() { return {{.cron_id = "c"}, {"c"}}; }
template <> pair_of<lgw::update_cron_request> both() {
  lgw::update_cron_request a;
  a.cron_id = "c";
  a.end_time = nullptr;
  a.enabled = false;
  a.webhook = hook;
  return {{.cron_id = "c", .end_time = nullptr, .enabled = false, .webhook = hook}, a};
}
template <> pair_of<lgw::count_crons_request> both() {
  lgw::count_crons_request a;
  a.assistant_id = "agent";
  return {{.assistant_id = "agent"}, a};
}
template <> pair_of<lgw::get_thread_request> both() { return {{.thread_id = "t"}, {"t"}}; }
template <> pair_of<lgw::get_thread_state_request> both() {
  lgw::get_thread_state_request a;
  a.thread_id = "t";
  a.checkpoint_id = "cp";
  return {{.thread_id = "t", .checkpoint_id = "cp"}, a};
}
template <> pair_of<lgw::update_thread_state_request> both() {
  lgw::update_thread_state_request a;
  a.thread_id = "t";
  a.values = {{"answer", 1}};
  a.as_node = "review";
  return {{.thread_id = "t", .values = {{"answer", 1}}, .as_node = "review"}, a};
}
template <> pair_of<lgw::get_thread_history_request> both() {
  lgw::get_thread_history_request a;
  a.thread_id = "t";
  a.limit = 3;
  a.before = "cp";
  return {{.thread_id = "t", .limit = 3, .before = "cp"}, a};
}
template <> pair_of<lgw::search_threads_request> both() {
  lgw::search_threads_request a;
  a.status = lgw::thread_status::interrupted;
  a.limit = 20;
  return {{.status = lgw::thread_status::interrupted, .limit = 20}, a};
}
template <> pair_of<lgw::delete_thread_request> both() { return {{.thread_id = "t"}, {"t"}}; }
template <> pair_of<lgw::get_info_request> both() { return {{}, {}}; }
template <> pair_of<lgw::get_ok_request> both() { return {{}, {}}; }

template <class R> void check(const char *name) {
  const pair_of<R> p = both<R>();
  const lgw::http_request d = sent(p.designated), a = sent(p.assigned);
  const bool same = d.method == a.method && d.target == a.target && d.body == a.body && d.headers == a.headers;
  std::printf("%s: %s %s %s\n", same ? "ok  " : "FAIL", name, d.method.c_str(), d.target.c_str());
  if (!same) ++failures;
}

} // namespace

int main() {
#define LGW_CHECK(R, how) check<lgw::R>(#R);
  LANGGRAPH_WEBHOOKS_REQUESTS(LGW_CHECK)
#undef LGW_CHECK

  // The form the README shows: the request spelled at the call.
  lgw::mock_client_transport mock;
  mock.respond(200, R"({"run_id":"r-1","thread_id":"t-1","status":"pending"})");
  lgw::basic_client<lgw::mock_client_transport> c(mock, "http://lg.test", quiet());
  const lgw::run r = c.runs().create({.thread_id = "t-1", .assistant_id = "agent", .webhook = hook});
  const bool ok = r.run_id == "r-1" && mock.last_request().target == "/threads/t-1/runs" &&
                  json::parse(mock.last_request().body) == json{{"assistant_id", "agent"}, {"webhook", hook}};
  std::printf("%s: client.runs().create({.thread_id, .assistant_id, .webhook})\n", ok ? "ok  " : "FAIL");
  if (!ok) ++failures;
  return failures == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
