// End-to-end tests against a real LangGraph server (the open-source JS server started by
// tests/e2e/server.sh; its URL comes from LANGGRAPH_E2E_URL or the file named by
// LANGGRAPH_E2E_URL_FILE). Webhooks go to a listener on a loopback port of this process.
#include "langgraph_webhooks.hpp"

#include "../test_support.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <fstream>
#include <map>
#include <mutex>
#include <set>
#include <thread>

using nlohmann::json;
using namespace std::chrono_literals;

namespace {

std::string server_url() {
  if (const char *url = std::getenv("LANGGRAPH_E2E_URL")) return url;
  if (const char *file = std::getenv("LANGGRAPH_E2E_URL_FILE")) {
    std::ifstream in(file);
    std::string url;
    if (in >> url) return url;
  }
  FAIL("no LangGraph server: run through tests/e2e/with-server.sh (sets LANGGRAPH_E2E_URL)");
  return {};
}

lgw::client make_client() {
  lgw::client_options o;
  o.api_key = "";
  o.read_timeout = 60s;
  return lgw::client(server_url(), o);
}

// The library's own receiver on a loopback port, for the whole test program: the dev server
// loses a run worker for every delivery that fails, so it stays up and answers at once.
class webhook_listener {
public:
  webhook_listener() : server_(options()) {
    server_.on_event([this](const lgw::webhook_event &e) {
      std::lock_guard<std::mutex> lock(m_);
      ++counts_[e.run_id];
    });
    server_.start();
  }
  std::string url() const { return server_.url(); }
  // The webhook of `run_id`; fails the test when none comes in time.
  lgw::webhook_event wait_for(const std::string &run_id, std::chrono::milliseconds timeout = 20s) {
    auto ev = server_.wait_for(run_id, timeout);
    REQUIRE_MESSAGE(ev, "no webhook for run " << run_id);
    return *ev;
  }
  std::size_t count_for(const std::string &run_id) {
    std::lock_guard<std::mutex> lock(m_);
    return counts_[run_id];
  }

private:
  static lgw::webhook_server_options options() {
    lgw::webhook_server_options o;
    o.secret = "e2e";
    return o;
  }
  lgw::webhook_server server_;
  std::mutex m_;
  std::map<std::string, std::size_t> counts_;
};

webhook_listener &listener() {
  static webhook_listener l;
  return l;
}

json hello(const std::string &text) { return {{"messages", {{{"role", "human"}, {"content", text}}}}}; }

std::string last_message(const json &values) {
  const json &messages = values.at("messages");
  REQUIRE(!messages.empty());
  const json &m = messages.back();
  return m.contains("kwargs") ? m["kwargs"].value("content", "") : m.value("content", "");
}

// Polls GET run until it leaves `pending` (bounded).
lgw::run wait_until_started(lgw::client &c, const lgw::run &r) {
  lgw::run now = r;
  for (int i = 0; i < 100 && now.status == lgw::run_status::pending; ++i) {
    std::this_thread::sleep_for(50ms);
    now = c.runs().get(r.thread_id, r.run_id);
  }
  return now;
}

} // namespace

TEST_CASE("server info and health") {
  auto c = make_client();
  lgw::server_info info = c.info();
  CHECK_FALSE(info.version.empty());
  CHECK_FALSE(info.supports_crons()); // the open-source JS server has no crons
  CHECK(c.ok()["ok"] == true);
}

TEST_CASE("the seed's setup: default assistant and a new thread") {
  auto c = make_client();
  auto assistants = c.assistants().search();
  REQUIRE_FALSE(assistants.empty());
  auto it = std::find_if(assistants.begin(), assistants.end(),
                         [](const lgw::assistant &a) { return a.config.is_null() || a.config.empty(); });
  REQUIRE(it != assistants.end());
  CHECK(it->graph_id == "agent");
  CHECK(it->created_at.has_value());

  lgw::search_assistants_request by_graph;
  by_graph.graph_id = "agent";
  by_graph.limit = 1;
  CHECK(c.assistants().search(by_graph).size() == 1);

  lgw::thread t = c.threads().create();
  CHECK(t.thread_id.size() == 36);
  CHECK(t.status == lgw::thread_status::idle);
  CHECK(t.created_at.has_value());
}

TEST_CASE("threads: explicit id, if_exists do_nothing and raise") {
  auto c = make_client();
  lgw::create_thread_request r;
  r.thread_id = c.threads().create().thread_id;
  r.if_exists = lgw::if_exists::do_nothing;
  CHECK(c.threads().create(r).thread_id == *r.thread_id);
  r.if_exists = lgw::if_exists::raise;
  lgw::error e = test::error_of([&] { c.threads().create(r); });
  CHECK(e.kind() == lgw::error_kind::conflict);
  CHECK(e.status() == 409);
  CHECK(e.endpoint() == "POST /threads");
}

TEST_CASE("create run with a webhook: the run records it, join returns the output, the webhook arrives once") {
  auto c = make_client();
  lgw::create_run_request r;
  r.thread_id = c.threads().create().thread_id;
  r.assistant_id = "agent";
  r.input = hello("create");
  r.webhook = listener().url();
  r.metadata = {{"test", "create"}};
  lgw::run run = c.runs().create(r);
  CHECK(run.thread_id == r.thread_id);
  CHECK(run.kwargs["webhook"] == listener().url());
  CHECK(run.metadata["test"] == "create");

  lgw::run_output out = c.runs().join(run.thread_id, run.run_id);
  CHECK(last_message(out.values) == "echo: create");
  CHECK(c.runs().get(run.thread_id, run.run_id).status == lgw::run_status::success);

  auto hook = listener().wait_for(run.run_id);
  CHECK(hook.status == lgw::run_status::success);
  CHECK(hook.thread_id == run.thread_id);
  CHECK(hook.query_value("token").empty()); // the secret is never exposed
  REQUIRE(hook.values());
  CHECK(last_message(*hook.values()) == "echo: create");
  REQUIRE(hook.run_started_at);
  REQUIRE(hook.run_ended_at);
  CHECK(*hook.run_ended_at >= *hook.run_started_at);
  std::this_thread::sleep_for(300ms);
  CHECK(listener().count_for(run.run_id) == 1);
}

TEST_CASE("wait on a thread with a webhook: output, run id from Content-Location, webhook") {
  auto c = make_client();
  lgw::wait_run_request r;
  r.thread_id = c.threads().create().thread_id;
  r.assistant_id = "agent";
  r.input = hello("wait");
  r.webhook = listener().url();
  lgw::run_output out = c.runs().wait(r);
  CHECK(last_message(out.values) == "echo: wait");
  CHECK(out.thread_id == r.thread_id);
  REQUIRE_FALSE(out.run_id.empty());
  CHECK(listener().wait_for(out.run_id).status == lgw::run_status::success);
}

TEST_CASE("wait through the keep-alive newlines of a slow run") {
  auto c = make_client();
  lgw::wait_run_stateless_request r;
  r.assistant_id = "agent";
  json in = hello("slow");
  in["sleep_ms"] = 2200; // the JS server sends a newline every second meanwhile
  r.input = in;
  CHECK(last_message(c.runs().wait(r).values) == "echo: slow");
}

TEST_CASE("stateless wait and create with a webhook") {
  auto c = make_client();
  lgw::wait_run_stateless_request w;
  w.assistant_id = "agent";
  w.input = hello("stateless wait");
  w.webhook = listener().url();
  w.on_completion = lgw::on_completion::delete_;
  lgw::run_output out = c.runs().wait(w);
  CHECK(last_message(out.values) == "echo: stateless wait");
  REQUIRE_FALSE(out.run_id.empty());
  CHECK(listener().wait_for(out.run_id).status_text == "success");

  lgw::create_run_stateless_request cr;
  cr.assistant_id = "agent";
  cr.input = hello("stateless create");
  cr.webhook = listener().url();
  lgw::run run = c.runs().create(cr);
  CHECK(run.kwargs["webhook"] == listener().url());
  auto hook = listener().wait_for(run.run_id);
  CHECK(hook.status == lgw::run_status::success);
  CHECK_FALSE(hook.values()); // stateless runs: no values on this server
}

TEST_CASE("a failed run through wait is run_failed with the run's error; raise_error=false returns it") {
  auto c = make_client();
  lgw::wait_run_request r;
  r.thread_id = c.threads().create().thread_id;
  r.assistant_id = "agent";
  json in = hello("fail");
  in["fail"] = "boom";
  r.input = in;
  r.webhook = listener().url();
  lgw::error e = test::error_of([&] { c.runs().wait(r); });
  CHECK(e.kind() == lgw::error_kind::run_failed);
  CHECK(e.error_type() == "Error");
  CHECK(e.message() == "boom");
  CHECK(e.status() == 200);

  lgw::run_output out = c.runs().wait(r, false);
  REQUIRE(out.error);
  CHECK(out.error->message == "boom");
  auto hook = listener().wait_for(out.run_id);
  CHECK(hook.status == lgw::run_status::error);
  REQUIRE(hook.error);
  CHECK(hook.error->message == "boom");
}

TEST_CASE("cancel: interrupt while running, and rollback with wait") {
  auto c = make_client();
  auto slow_run = [&] {
    lgw::create_run_request r;
    r.thread_id = c.threads().create().thread_id;
    r.assistant_id = "agent";
    json in = hello("slow");
    in["sleep_ms"] = 20000;
    r.input = in;
    r.webhook = listener().url();
    return wait_until_started(c, c.runs().create(r));
  };

  lgw::run interrupted = slow_run();
  REQUIRE(interrupted.status == lgw::run_status::running);
  c.runs().cancel(interrupted.thread_id, interrupted.run_id);
  CHECK(listener().wait_for(interrupted.run_id).status_text == "interrupted");
  CHECK(c.runs().get(interrupted.thread_id, interrupted.run_id).status == lgw::run_status::interrupted);

  lgw::run rolled_back = slow_run();
  REQUIRE(rolled_back.status == lgw::run_status::running);
  c.runs().cancel(rolled_back.thread_id, rolled_back.run_id, true, lgw::cancel_action::rollback);
  auto hook = listener().wait_for(rolled_back.run_id);
  CHECK(hook.status == lgw::run_status::error); // the JS server's report of a rollback
  REQUIRE(hook.error);
  CHECK(hook.error->message == "rollback");
}

TEST_CASE("a busy thread refuses a second run (JS server: 422 with a plain-text message)") {
  auto c = make_client();
  lgw::create_run_request r;
  r.thread_id = c.threads().create().thread_id;
  r.assistant_id = "agent";
  json in = hello("busy");
  in["sleep_ms"] = 20000;
  r.input = in;
  r.webhook = listener().url();
  lgw::run first = wait_until_started(c, c.runs().create(r));
  r.input = hello("second");
  lgw::error e = test::error_of([&] { c.runs().create(r); });
  CHECK(e.kind() == lgw::error_kind::unprocessable_entity);
  CHECK(e.message().find("Thread is already running a task") == 0);
  CHECK(e.endpoint() == "POST /threads/" + r.thread_id + "/runs");
  c.runs().cancel(first.thread_id, first.run_id, true);
  CHECK(listener().wait_for(first.run_id).status_text == "interrupted");

  r.multitask_strategy = lgw::multitask_strategy::enqueue;
  lgw::run queued = c.runs().create(r);
  CHECK(last_message(c.runs().join(queued.thread_id, queued.run_id).values) == "echo: second");
}

TEST_CASE("unknown ids are not_found with the server's message") {
  auto c = make_client();
  const std::string tid = c.threads().create().thread_id;
  lgw::error e = test::error_of([&] { c.runs().get(tid, "01a2207e-0000-7000-8000-000000000000"); });
  CHECK(e.kind() == lgw::error_kind::not_found);
  CHECK(e.message() == "Run not found");
  CHECK(std::string(e.what()) ==
        "GET /threads/" + tid + "/runs/01a2207e-0000-7000-8000-000000000000: 404 not_found: Run not found");
}

TEST_CASE("a body the server rejects is bad_request naming the field") {
  auto c = make_client();
  lgw::http_request req;
  req.method = "POST";
  req.target = "/runs/wait";
  req.headers = {{"Content-Type", "application/json"}};
  req.body = "{}";
  lgw::error e = test::error_of([&] { c.perform(req, false, {}); });
  CHECK(e.kind() == lgw::error_kind::bad_request);
  CHECK(e.message().find("assistant_id") != std::string::npos);
}

TEST_CASE("a breakpoint stop ends the run normally; resuming finishes it") {
  auto c = make_client();
  lgw::wait_run_request r;
  r.thread_id = c.threads().create().thread_id;
  r.assistant_id = "agent";
  r.input = hello("breakpoint");
  r.interrupt_before = {"reply"};
  r.webhook = listener().url();
  lgw::run_output stopped = c.runs().wait(r);
  CHECK(stopped.values.contains("__interrupt__"));
  CHECK(listener().wait_for(stopped.run_id).status_text == "success");

  lgw::wait_run_request resume;
  resume.thread_id = r.thread_id;
  resume.assistant_id = "agent";
  CHECK(last_message(c.runs().wait(resume).values) == "echo: breakpoint");
}

TEST_CASE("stream a thread run in several modes, with a webhook") {
  auto c = make_client();
  lgw::stream_run_request r;
  r.thread_id = c.threads().create().thread_id;
  r.assistant_id = "agent";
  r.input = hello("stream");
  r.stream_mode = {lgw::stream_mode::values, lgw::stream_mode::updates, lgw::stream_mode::custom,
                   lgw::stream_mode::messages_tuple};
  r.webhook = listener().url();
  std::vector<lgw::stream_part> parts;
  lgw::stream_result res = c.runs().stream(r, [&](const lgw::stream_part &p) { parts.push_back(p); });
  REQUIRE(parts.size() >= 4);
  CHECK(parts.front().event == "metadata");
  CHECK(parts.front().data["run_id"] == res.run_id);
  CHECK(res.thread_id == r.thread_id);
  CHECK(parts.front().id == "0");
  std::set<std::string> names;
  for (const auto &p : parts) names.insert(p.event);
  CHECK(names.count("values") == 1);
  CHECK(names.count("updates") == 1);
  CHECK(names.count("custom") == 1);
  auto custom = std::find_if(parts.begin(), parts.end(), [](const lgw::stream_part &p) { return p.event == "custom"; });
  CHECK(custom->data["stage"] == "prepare");
  auto last_values =
      std::find_if(parts.rbegin(), parts.rend(), [](const lgw::stream_part &p) { return p.event == "values"; });
  CHECK(last_message(last_values->data) == "echo: stream");
  CHECK(res.parts == parts.size());
  CHECK(res.last_event_id == parts.back().id);
  CHECK(listener().wait_for(res.run_id).status_text == "success");
}

TEST_CASE("stream a stateless run with a webhook") {
  auto c = make_client();
  lgw::stream_run_stateless_request r;
  r.assistant_id = "agent";
  r.input = hello("stateless stream");
  r.stream_mode = {lgw::stream_mode::updates};
  r.webhook = listener().url();
  std::vector<std::string> events;
  auto res = c.runs().stream(r, [&](const lgw::stream_part &p) {
    events.push_back(p.event);
    CHECK(p.id.empty()); // stateless streams carry no ids on this server
  });
  REQUIRE_FALSE(events.empty());
  CHECK(events.front() == "metadata");
  CHECK(std::count(events.begin(), events.end(), "updates") == 2);
  REQUIRE_FALSE(res.run_id.empty());
  CHECK(listener().wait_for(res.run_id).status_text == "success");
}

TEST_CASE("a failing run's stream delivers the error event, then throws run_failed") {
  auto c = make_client();
  lgw::stream_run_request r;
  r.thread_id = c.threads().create().thread_id;
  r.assistant_id = "agent";
  json in = hello("fail");
  in["fail"] = "stream boom";
  r.input = in;
  r.webhook = listener().url();
  std::vector<lgw::stream_part> parts;
  lgw::error e = test::error_of([&] { c.runs().stream(r, [&](const lgw::stream_part &p) { parts.push_back(p); }); });
  REQUIRE_FALSE(parts.empty());
  CHECK(parts.back().event == "error");
  CHECK(e.kind() == lgw::error_kind::run_failed);
  CHECK(e.message() == "stream boom");
  const std::string run_id = parts.front().data.value("run_id", "");
  CHECK(listener().wait_for(run_id).status_text == "error");
}

TEST_CASE("stop a resumable stream early, then join it from the last event id") {
  auto c = make_client();
  lgw::stream_run_request r;
  r.thread_id = c.threads().create().thread_id;
  r.assistant_id = "agent";
  json in = hello("resume");
  in["sleep_ms"] = 1500;
  r.input = in;
  r.stream_mode = {lgw::stream_mode::values, lgw::stream_mode::updates};
  r.stream_resumable = true;
  r.webhook = listener().url();
  std::vector<std::string> first_ids;
  auto first = c.runs().stream(r, [&](const lgw::stream_part &p) {
    first_ids.push_back(p.id);
    return first_ids.size() < 2; // stop after metadata and the first values
  });
  CHECK(first.stopped);
  REQUIRE(first_ids == std::vector<std::string>{"0", "1"});

  lgw::join_stream_request j;
  j.thread_id = first.thread_id;
  j.run_id = first.run_id;
  j.last_event_id = first.last_event_id;
  std::vector<lgw::stream_part> rest;
  auto second = c.runs().join_stream(j, [&](const lgw::stream_part &p) { rest.push_back(p); });
  REQUIRE_FALSE(rest.empty());
  CHECK(rest.front().id == "2"); // exactly the events after id 1
  for (std::size_t i = 1; i < rest.size(); ++i) CHECK(std::stoi(rest[i].id) == std::stoi(rest[i - 1].id) + 1);
  CHECK(last_message(rest.back().data) == "echo: resume");
  CHECK(second.run_id == first.run_id);
  CHECK(listener().wait_for(first.run_id).status_text == "success");
}

TEST_CASE("stopping a stream early leaves the run going; its webhook still arrives") {
  auto c = make_client();
  lgw::stream_run_request r;
  r.thread_id = c.threads().create().thread_id;
  r.assistant_id = "agent";
  json in = hello("leave");
  in["sleep_ms"] = 500;
  r.input = in;
  r.webhook = listener().url();
  auto res = c.runs().stream(r, [](const lgw::stream_part &p) { return p.event != "metadata"; });
  CHECK(res.stopped);
  CHECK(res.parts == 1);
  auto hook = listener().wait_for(res.run_id);
  CHECK(hook.status == lgw::run_status::success);
  REQUIRE(hook.values());
  CHECK(last_message(*hook.values()) == "echo: leave");
}

TEST_CASE("wait_for after /wait returned: the webhook had already arrived") {
  auto c = make_client();
  lgw::wait_run_request r;
  r.thread_id = c.threads().create().thread_id;
  r.assistant_id = "agent";
  r.input = hello("race");
  r.webhook = listener().url();
  lgw::run_output out = c.runs().wait(r);
  // the JS server posts the webhook ~500 ms before /wait answers: it must already be there
  auto ev = listener().wait_for(out.run_id, 0ms);
  CHECK(ev.status == lgw::run_status::success);
  CHECK(listener().count_for(out.run_id) == 1);
}

// ---- the run lifecycle around a webhook ---------------------------------------------------

namespace {
// Every message text of a values object, in order.
std::vector<std::string> texts(const json &values) {
  std::vector<std::string> out;
  for (const json &m : values.at("messages"))
    out.push_back(m.contains("kwargs") ? m["kwargs"].value("content", "") : m.value("content", ""));
  return out;
}
} // namespace

TEST_CASE("human in the loop: webhook, thread state with the interrupt, resume with a command, second webhook") {
  auto c = make_client();
  const std::string tid = c.threads().create().thread_id;
  lgw::create_run_request r;
  r.thread_id = tid;
  r.assistant_id = "agent";
  json in = hello("ship it");
  in["review"] = "approve shipping?";
  r.input = in;
  r.webhook = listener().url();
  const lgw::run paused = c.runs().create(r);
  // The JS server reports a run that stopped in interrupt() as a success: the thread says more.
  CHECK(listener().wait_for(paused.run_id).status == lgw::run_status::success);
  CHECK(c.threads().get(tid).status == lgw::thread_status::interrupted);

  const lgw::thread_state state = c.threads().get_state(tid);
  CHECK(state.next == std::vector<std::string>{"human_review"});
  const auto pending = state.interrupts();
  REQUIRE(pending.size() == 1);
  CHECK(pending[0].value == json{{"question", "approve shipping?"}});
  CHECK(pending[0].id.size() == 32); // XXH3-128 hex
  REQUIRE(state.checkpoint);
  REQUIRE(state.checkpoint->checkpoint_id);

  lgw::create_run_request resume;
  resume.thread_id = tid;
  resume.assistant_id = "agent";
  resume.command = lgw::command::resume_each({{pending[0].id, "yes"}});
  resume.webhook = listener().url();
  const lgw::run resumed = c.runs().create(resume);
  const lgw::webhook_event done = listener().wait_for(resumed.run_id);
  CHECK(done.status == lgw::run_status::success);
  REQUIRE(done.values());
  CHECK(texts(*done.values()) == std::vector<std::string>{"ship it", "review: yes", "echo: ship it"});

  CHECK(c.threads().get(tid).status == lgw::thread_status::idle);
  const lgw::thread_state after = c.threads().get_state(tid);
  CHECK(after.next.empty());
  CHECK(after.interrupts().empty());

  // The history, newest first; a past checkpoint by id shows the interrupt again.
  const auto history = c.threads().get_history(tid, 50);
  REQUIRE(history.size() >= 3);
  CHECK(history.front().next.empty());
  const lgw::thread_state then = c.threads().get_state(tid, state.checkpoint->checkpoint_id);
  CHECK(then.next == std::vector<std::string>{"human_review"});
  lgw::get_thread_history_request h;
  h.thread_id = tid;
  h.limit = 1;
  CHECK(c.threads().get_history(h).size() == 1);
}

TEST_CASE("threads: get, search, update_state, remove") {
  auto c = make_client();
  lgw::create_thread_request t;
  t.metadata = {{"suite", "lifecycle"}, {"n", std::to_string(std::rand())}};
  const std::string tid = c.threads().create(t).thread_id;
  const lgw::thread got = c.threads().get(tid);
  CHECK(got.thread_id == tid);
  CHECK(got.status == lgw::thread_status::idle);
  CHECK(got.metadata["suite"] == "lifecycle");

  lgw::search_threads_request s;
  s.metadata = t.metadata;
  const auto found = c.threads().search(s);
  REQUIRE(found.size() == 1);
  CHECK(found[0].thread_id == tid);

  lgw::wait_run_request w;
  w.thread_id = tid;
  w.assistant_id = "agent";
  w.input = hello("state");
  c.runs().wait(w);
  lgw::update_thread_state_request u;
  u.thread_id = tid;
  u.values = {{"messages", {{{"role", "ai"}, {"content", "edited by hand"}}}}};
  u.as_node = "reply";
  const lgw::thread_update_result updated = c.threads().update_state(u);
  REQUIRE(updated.checkpoint.checkpoint_id);
  const lgw::thread_state now = c.threads().get_state(tid);
  CHECK(now.checkpoint->checkpoint_id == updated.checkpoint.checkpoint_id);
  CHECK(texts(now.values).back() == "edited by hand");

  c.threads().remove(tid);
  const lgw::error e = test::error_of([&] { c.threads().get(tid); });
  CHECK(e.kind() == lgw::error_kind::not_found);
  CHECK(e.endpoint() == "GET /threads/" + tid);
}

TEST_CASE("runs: list, a batch with a webhook each, cancel_many, remove") {
  auto c = make_client();
  lgw::create_run_batch_request batch;
  for (const char *job : {"1", "2"}) {
    lgw::create_run_stateless_request r;
    r.assistant_id = "agent";
    r.input = hello(std::string("batch ") + job);
    r.webhook = listener().url() + "&job=" + job;
    batch.runs.push_back(r);
  }
  const std::vector<lgw::run> runs = c.runs().create_batch(batch);
  REQUIRE(runs.size() == 2);
  for (std::size_t i = 0; i < 2; ++i) {
    const lgw::webhook_event hook = listener().wait_for(runs[i].run_id);
    CHECK(hook.query_value("job") == std::to_string(i + 1));
    CHECK(hook.query_value("token").empty()); // the receiver's secret is never exposed
    CHECK(hook.status == lgw::run_status::success);
    CHECK(hook.kwargs()["input"] == hello("batch " + std::to_string(i + 1)));
  }

  // Two runs on one thread: one running, one queued behind it; cancel both at once.
  const std::string tid = c.threads().create().thread_id;
  lgw::create_run_request slow;
  slow.thread_id = tid;
  slow.assistant_id = "agent";
  json in = hello("slow");
  in["sleep_ms"] = 20000;
  slow.input = in;
  slow.webhook = listener().url();
  slow.multitask_strategy = lgw::multitask_strategy::enqueue;
  const lgw::run first = wait_until_started(c, c.runs().create(slow));
  const lgw::run second = c.runs().create(slow);
  const auto listed = c.runs().list(tid);
  REQUIRE(listed.size() == 2);
  std::set<std::string> ids{listed[0].run_id, listed[1].run_id};
  CHECK(ids == std::set<std::string>{first.run_id, second.run_id});
  lgw::list_runs_request pending;
  pending.thread_id = tid;
  pending.status = lgw::run_status::pending;
  const auto waiting = c.runs().list(pending);
  REQUIRE(waiting.size() == 1);
  CHECK(waiting[0].run_id == second.run_id);

  lgw::cancel_runs_request cancel;
  cancel.thread_id = tid;
  cancel.run_ids = {first.run_id, second.run_id};
  c.runs().cancel_many(cancel); // the JS server has no /runs/cancel: one cancel per run
  CHECK(listener().wait_for(first.run_id).status_text == "interrupted");
  lgw::run gone = c.runs().get(tid, second.run_id);
  for (int i = 0; i < 100 && gone.status == lgw::run_status::pending; ++i) {
    std::this_thread::sleep_for(50ms);
    gone = c.runs().get(tid, second.run_id);
  }
  CHECK(gone.status == lgw::run_status::interrupted);

  c.runs().remove(tid, first.run_id);
  CHECK(test::error_of([&] { c.runs().get(tid, first.run_id); }).kind() == lgw::error_kind::not_found);
  CHECK(c.runs().list(tid).size() == 1);
}

TEST_CASE("crons: get, update and count name the route the JS server lacks") {
  auto c = make_client();
  const lgw::error g = test::error_of([&] { c.crons().get("01a2207e-0000-7000-8000-000000000000"); });
  CHECK(g.kind() == lgw::error_kind::not_found);
  CHECK(g.endpoint() == "GET /runs/crons/01a2207e-0000-7000-8000-000000000000");
  lgw::update_cron_request u;
  u.cron_id = "01a2207e-0000-7000-8000-000000000000";
  u.end_time = nullptr;
  CHECK(test::error_of([&] { c.crons().update(u); }).kind() == lgw::error_kind::not_found);
  CHECK(test::error_of([&] { c.crons().count(); }).kind() == lgw::error_kind::not_found);
}

TEST_CASE("on_run_created: the ids arrive before the /wait returns") {
  auto c = make_client();
  lgw::wait_run_request w;
  w.thread_id = c.threads().create().thread_id;
  w.assistant_id = "agent";
  json in = hello("early ids");
  in["sleep_ms"] = 1200;
  w.input = in;
  std::string created_run, created_thread;
  std::chrono::steady_clock::time_point told, returned;
  auto other = make_client(); // the hook runs inside the call: it uses another client
  const lgw::run_output out = c.runs().wait(w, true, [&](const std::string &run_id, const std::string &thread_id) {
    created_run = run_id;
    created_thread = thread_id;
    told = std::chrono::steady_clock::now();
    CHECK(other.runs().get(thread_id, run_id).run_id == run_id); // usable at once
  });
  returned = std::chrono::steady_clock::now();
  CHECK(created_run == out.run_id);
  CHECK(created_thread == w.thread_id);
  CHECK(returned - told >= 500ms); // told while the run was still going
}

TEST_CASE("await_outcome: the receiver was down when the run ended; the outcome still comes, once") {
  auto c = make_client();
  lgw::webhook_server_options o;
  o.secret = "down";
  lgw::webhook_server hooks(o);
  std::atomic<int> handled{0};
  hooks.on_event([&](const lgw::webhook_event &) { ++handled; });
  hooks.start();
  lgw::create_run_request r;
  r.thread_id = c.threads().create().thread_id;
  r.assistant_id = "agent";
  json in = hello("while down");
  in["sleep_ms"] = 800;
  r.input = in;
  r.webhook = hooks.url();
  const lgw::run run = c.runs().create(r);
  hooks.stop(); // the server's one delivery finds nobody
  const lgw::run_outcome out = hooks.await_outcome(c, run.thread_id, run.run_id, 300ms);
  CHECK(out.from_server());
  CHECK(out.status == lgw::run_status::success);
  REQUIRE(out.values);
  CHECK(last_message(*out.values) == "echo: while down");
  CHECK(out.event.run_id == run.run_id);

  hooks.start(); // back up: nothing is delivered twice
  std::this_thread::sleep_for(300ms);
  CHECK(handled == 0);
  const lgw::run_outcome again = hooks.await_outcome(c, run.thread_id, run.run_id, 0ms);
  CHECK(again.from_server());
  CHECK(again.status == lgw::run_status::success);
  hooks.stop();

  // The webhook in time: the outcome is the delivery.
  lgw::webhook_server up(o);
  up.start();
  r.input = hello("while up");
  r.webhook = up.url();
  const lgw::run second = c.runs().create(r);
  const lgw::run_outcome delivered = up.await_outcome(c, second.thread_id, second.run_id, 20s);
  CHECK_FALSE(delivered.from_server());
  REQUIRE(delivered.values);
  CHECK(last_message(*delivered.values) == "echo: while up");
  up.stop();
}
