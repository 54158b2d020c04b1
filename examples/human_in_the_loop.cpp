// Human in the loop, driven by webhooks: start a run, get its webhook, find the question the graph
// asked with interrupt(), answer it with a command, get the second webhook with the final answer.
// No polling: the program sleeps until a webhook (or, if one never comes, the server) says the
// run ended.
//
//   human_in_the_loop [URL] [ANSWER]   URL defaults to $LANGGRAPH_URL, else http://127.0.0.1:2024;
//                                      ANSWER defaults to "yes"
//
// The input fits the test graph of tests/e2e (its `human_review` node calls
// interrupt({question}) when the input has `review`); for your graph, change the input.
#include "langgraph_webhooks.hpp"

#include <iostream>

namespace lgw = langgraph::webhooks;

namespace {
// The text of the last message of a values object (LangChain's constructor form or plain).
std::string last_text(const nlohmann::json &values) {
  if (!values.contains("messages") || values["messages"].empty()) return values.dump();
  const nlohmann::json &m = values["messages"].back();
  return m.contains("kwargs") ? m["kwargs"].value("content", "") : m.value("content", "");
}
} // namespace

int main(int argc, char **argv) {
  const std::string url = argc > 1 ? argv[1] : lgw::default_server_url(); // $LANGGRAPH_URL, else :2024
  const std::string answer = argc > 2 ? argv[2] : "yes";
  try {
    lgw::webhook_server hooks;
    hooks.start();
    lgw::client client(url);
    const std::string thread_id = client.threads().create().thread_id;

    // 1. A background run that will stop to ask a human.
    lgw::create_run_request ask;
    ask.thread_id = thread_id;
    ask.assistant_id = "agent";
    ask.input = {{"messages", {{{"role", "human"}, {"content", "Ship release 1.2?"}}}},
                 {"review", "Approve shipping release 1.2?"}};
    ask.webhook = hooks.url();
    const lgw::run first = client.runs().create(ask);
    std::cout << "started run " << first.run_id << " on thread " << thread_id << '\n';

    // 2. Its webhook: the run stopped. Whether it waits for a human, the thread's state says.
    auto stopped = hooks.wait_for(first.run_id, std::chrono::seconds(60));
    if (!stopped) return std::cerr << "no webhook for " << first.run_id << '\n', 1;
    std::cout << "webhook: run " << stopped->run_id << " " << stopped->status_text << '\n';
    const lgw::thread_state state = client.threads().get_state(thread_id);
    const auto pending = state.interrupts();
    if (pending.empty()) {
      std::cout << "nothing to review; final answer: " << last_text(state.values) << '\n';
      return 0;
    }
    for (const lgw::interrupt &i : pending) std::cout << "interrupt " << i.id << ": " << i.value.dump() << '\n';

    // 3. Answer each question by its interrupt id, in a new run on the same thread.
    std::vector<std::pair<std::string, nlohmann::json>> answers;
    for (const lgw::interrupt &i : pending) answers.emplace_back(i.id, answer);
    lgw::create_run_request resume;
    resume.thread_id = thread_id;
    resume.assistant_id = "agent";
    resume.command = lgw::command::resume_each(answers);
    resume.webhook = hooks.url();
    const lgw::run second = client.runs().create(resume);
    std::cout << "resumed with " << nlohmann::json(answer).dump() << ": run " << second.run_id << '\n';

    // 4. The second webhook, or (had the receiver missed it) the server's record of the run.
    const lgw::run_outcome done = hooks.await_outcome(client, thread_id, second.run_id, std::chrono::seconds(60));
    std::cout << (done.from_server() ? "from the server: run " : "webhook: run ") << done.run_id << " "
              << done.status_text << '\n';
    if (done.values) {
      for (const auto &m : (*done.values)["messages"])
        std::cout << "  " << (m.contains("kwargs") ? m["kwargs"].value("content", "") : m.value("content", "")) << '\n';
      std::cout << "final answer: " << last_text(*done.values) << '\n';
    }
    return done.status == lgw::run_status::success ? 0 : 1;
  } catch (const lgw::error &e) {
    std::cerr << e.what() << '\n';
    return 2;
  }
}
