// lgwh: try LangGraph webhooks from a terminal. Written only with the public API of
// langgraph_webhooks.hpp, so it is also the library's largest example.
//
//   lgwh listen      receive webhooks and print them; optionally forward them to your handler
//   lgwh run         start one run (create, stream or wait); --listen also receives its webhook
//   lgwh thread      a thread, its state (what an interrupted run waits for), history, runs
//   lgwh cron        create, list, update and delete crons
//   lgwh check-url   would a cloud deployment accept this webhook URL?
//   lgwh info        the server's /info
//
// Every subcommand has --help. Exit status: 0 success; 1 usage error; 2 API error (the server
// refused a call or could not be reached, the run failed, or check-url found a problem);
// 3 timeout (no webhook in time, or a call timed out).
//
// Arguments are parsed by CLI11 and colour comes from {fmt}; the library itself needs neither.
#include "langgraph_webhooks.hpp"

#include <CLI/CLI.hpp>
#include <fmt/color.h>
#include <fmt/format.h>

#include <pthread.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <csignal>
#include <cstdlib>
#include <iostream>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <type_traits>
#include <vector>

namespace lgw = langgraph::webhooks;
using nlohmann::json;
using nlohmann::ordered_json;

namespace {

enum exit_status : int { exit_ok = 0, exit_usage = 1, exit_api = 2, exit_timeout = 3 };

/// A mistake in the command line found after parsing; reported like CLI11's own errors.
struct usage_error : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// ---- output ---------------------------------------------------------------------------------

/// Servers' messages may hold newlines (tracebacks); a diagnostic stays on one line.
std::string one_line(std::string s) {
  for (char &c : s)
    if (c == '\n' || c == '\r' || c == '\t') c = ' ';
  return s;
}

/// At most `max` bytes, cut at a UTF-8 character boundary.
std::string shorten(std::string s, std::size_t max) {
  if (s.size() <= max) return s;
  std::size_t cut = max;
  while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) --cut;
  return s.substr(0, cut) + "...";
}

/// One JSON line, flushed (readers follow the output as it comes). Bytes that are not UTF-8
/// (a stream's non-JSON data) are replaced rather than thrown about.
template <class Json> std::string json_line(const Json &j) {
  return j.dump(-1, ' ', false, Json::error_handler_t::replace) + '\n';
}
template <class Json> void print_json_line(const Json &j) { std::cout << json_line(j) << std::flush; }

/// `text` with each `redact` replaced by "[secret]".
std::string redacted(std::string text, const std::string &redact) {
  if (redact.empty()) return text;
  for (auto at = text.find(redact); at != std::string::npos; at = text.find(redact, at + 8))
    text.replace(at, redact.size(), "[secret]");
  return text;
}

void note(const std::string &text) { std::cerr << "lgwh: " << text << '\n'; }

/// The name in `names` nearest to `given` (edit distance at most 2), or "".
std::string nearest(const std::string &given, const std::vector<std::string> &names) {
  std::string best;
  std::size_t best_d = 3;
  for (const auto &name : names) {
    std::vector<std::size_t> row(name.size() + 1);
    for (std::size_t j = 0; j <= name.size(); ++j) row[j] = j;
    for (std::size_t i = 1; i <= given.size(); ++i) {
      std::size_t diag = row[0];
      row[0] = i;
      for (std::size_t j = 1; j <= name.size(); ++j) {
        const std::size_t up = row[j];
        row[j] = std::min({row[j] + 1, row[j - 1] + 1, diag + (given[i - 1] == name[j - 1] ? 0 : 1)});
        diag = up;
      }
    }
    if (row[name.size()] < best_d) best_d = row[name.size()], best = name;
  }
  return best;
}

/// Terminal colour, only when stdout is a terminal (or asked for) and NO_COLOR is not set.
class palette {
public:
  explicit palette(const std::string &mode) {
    const char *no_color = std::getenv("NO_COLOR");
    const char *term = std::getenv("TERM");
    on_ = mode == "always" || (mode == "auto" && isatty(STDOUT_FILENO) && !(no_color && *no_color) &&
                               !(term && std::string(term) == "dumb"));
  }
  std::string operator()(fmt::text_style style, const std::string &text) const {
    return on_ ? fmt::format(style, "{}", text) : text;
  }

private:
  bool on_ = false;
};

fmt::text_style status_style(lgw::run_status s) {
  switch (s) {
  case lgw::run_status::success: return fg(fmt::terminal_color::green) | fmt::emphasis::bold;
  case lgw::run_status::error: return fg(fmt::terminal_color::red) | fmt::emphasis::bold;
  case lgw::run_status::timeout:
  case lgw::run_status::interrupted:
  case lgw::run_status::rollback: return fg(fmt::terminal_color::yellow) | fmt::emphasis::bold;
  default: return fmt::emphasis::bold;
  }
}

/// The text of the last message in the run's final `values`, or "".
std::string final_message(const lgw::webhook_event &e) {
  const std::optional<json> values = e.values();
  if (!values || !values->is_object()) return {};
  auto messages = values->find("messages");
  if (messages == values->end() || !messages->is_array() || messages->empty()) return {};
  const json *message = &messages->back();
  // The JS server sends messages in LangChain's serialised form: {"lc": 1, "kwargs": {...}}.
  if (auto kwargs = message->is_object() ? message->find("kwargs") : message->end();
      kwargs != message->end() && kwargs->is_object() && message->contains("lc"))
    message = &*kwargs;
  const json &last = *message;
  auto content = last.is_object() ? last.find("content") : last.end();
  const json &c = content != last.end() ? *content : last;
  std::string text;
  if (c.is_string()) {
    text = c.get<std::string>();
  } else if (c.is_array()) { // content blocks: [{"type": "text", "text": ...}, ...]
    for (const json &block : c) {
      if (block.is_string()) text += block.get<std::string>();
      auto t = block.is_object() ? block.find("text") : block.end();
      if (t != block.end() && t->is_string()) text += t->get<std::string>();
    }
  } else {
    text = c.dump(-1, ' ', false, json::error_handler_t::replace);
  }
  return shorten(one_line(text), 300);
}

/// run_started_at to run_ended_at, e.g. "480 ms" or "2.31 s"; "" when unknown.
std::string run_duration(const lgw::webhook_event &e) {
  if (!e.run_started_at || !e.run_ended_at || *e.run_ended_at < *e.run_started_at) return {};
  const auto us = (*e.run_ended_at - *e.run_started_at).count();
  return us < 1000000 ? fmt::format("{} ms", us / 1000) : fmt::format("{:.2f} s", double(us) / 1e6);
}

/// The query parameters of a call as a JSON object (a repeated name becomes an array),
/// leaving out the secret's parameter.
json query_json(const lgw::webhook_event &e, const std::string &hidden) {
  json q = json::object();
  for (const auto &[name, value] : e.query) {
    if (!hidden.empty() && name == hidden) continue;
    auto it = q.find(name);
    if (it == q.end()) {
      q[name] = value;
    } else {
      if (!it->is_array()) *it = json::array({*it});
      it->push_back(value);
    }
  }
  return q;
}

/// A readable block for one webhook (lgwh listen --format pretty).
std::string pretty_block(const lgw::webhook_event &e, const json &query, const std::string &forwarded,
                         const palette &paint) {
  std::string out = paint(fmt::emphasis::bold, "run " + e.run_id) + "  " +
                    paint(status_style(e.status), e.status_text.empty() ? "(no status)" : e.status_text);
  if (std::string d = run_duration(e); !d.empty()) out += "  " + paint(fmt::emphasis::faint, "in " + d);
  out += '\n';
  auto row = [&](const char *name, const std::string &value) {
    if (!value.empty()) out += fmt::format("  {:<10} {}\n", name, value);
  };
  row("thread", e.thread_id);
  row("assistant", e.assistant_id);
  if (e.error)
    row("error", paint(fg(fmt::terminal_color::red),
                       one_line(e.error->error.empty() ? e.error->message : e.error->error + ": " + e.error->message)));
  row("message", final_message(e));
  std::string q;
  for (const auto &[name, value] : query.items())
    q += (q.empty() ? "" : " ") + name + '=' + (value.is_string() ? value.get<std::string>() : value.dump());
  row("query", q);
  row("forwarded", forwarded);
  return out;
}

// ---- pieces shared by the subcommands -------------------------------------------------------

/// Where the LangGraph server is and how to talk to it.
struct server_options {
  std::string url = "http://127.0.0.1:2024";
  std::optional<std::string> api_key;
  int retries = lgw::retry_policy{}.max_retries;
};

void add_server_options(CLI::App &cmd, server_options &o) {
  cmd.add_option("--url", o.url, "LangGraph server URL (also $LANGGRAPH_URL)")
      ->envname("LANGGRAPH_URL")
      ->capture_default_str();
  cmd.add_option("--api-key", o.api_key,
                 "sent as x-api-key (default: $LANGGRAPH_API_KEY, $LANGSMITH_API_KEY or $LANGCHAIN_API_KEY)");
  cmd.add_option("--retries", o.retries, "retries of a call that failed to connect, or got 429/5xx")
      ->check(CLI::Range(0, 100))
      ->capture_default_str();
}

lgw::client connect(const server_options &o) {
  lgw::client_options options;
  options.api_key = o.api_key;
  options.retry.max_retries = o.retries;
  try {
    return lgw::client(o.url, options);
  } catch (const lgw::error &e) {
    throw usage_error("--url: " + e.message());
  }
}

/// "host:port" for a receiver.
void parse_host_port(const std::string &text, lgw::webhook_server_options &o, const char *flag) {
  const auto colon = text.rfind(':');
  if (colon == std::string::npos || colon + 1 == text.size())
    throw usage_error(std::string(flag) + " takes HOST:PORT, e.g. 127.0.0.1:8787");
  o.host = text.substr(0, colon);
  if (o.host.size() > 1 && o.host.front() == '[' && o.host.back() == ']') o.host = o.host.substr(1, o.host.size() - 2);
  try {
    std::size_t used = 0;
    o.port = std::stoi(text.substr(colon + 1), &used);
    if (used != text.size() - colon - 1 || o.port < 0 || o.port > 65535) throw std::out_of_range("port");
  } catch (const std::logic_error &) {
    throw usage_error(std::string(flag) + ": bad port in '" + text + "'");
  }
}

/// An option whose values are the wire names of the enum `E` (listed in --help).
template <class E>
CLI::Option *add_enum_option(CLI::App &cmd, const std::string &name, std::optional<E> &out, const std::string &what) {
  const auto names = lgw::wire_names(E{});
  const std::vector<std::string> allowed(names.begin(), names.end());
  return cmd
      .add_option_function<std::string>(
          name, [&out](const std::string &s) { out = lgw::from_string<E>(s); }, what)
      ->check(CLI::IsMember(allowed));
}

json json_option(const std::optional<std::string> &text, const char *flag) {
  if (!text) return json();
  try {
    return json::parse(*text);
  } catch (const json::parse_error &e) {
    throw usage_error(std::string(flag) + " is not JSON: " + e.what());
  }
}

/// "*" for every node, else comma-separated node names.
lgw::node_list node_list_option(const std::optional<std::string> &text) {
  if (!text || text->empty()) return {};
  if (*text == "*") return lgw::node_list::all();
  std::vector<std::string> names;
  std::size_t start = 0;
  for (std::size_t comma; (comma = text->find(',', start)) != std::string::npos; start = comma + 1)
    names.push_back(text->substr(start, comma - start));
  names.push_back(text->substr(start));
  return lgw::node_list(std::move(names));
}

// ---- requests from options ------------------------------------------------------------------

/// Every body field that `run` and `cron create` set; each goes to the field of the same name.
struct request_options {
  std::string assistant;
  std::optional<std::string> input, metadata, config, context, command, resume;
  std::optional<std::string> webhook;
  std::optional<std::string> interrupt_before, interrupt_after;
  std::vector<lgw::stream_mode> stream_mode;
  bool stream_subgraphs = false, stream_resumable = false;
  std::optional<lgw::durability> durability;
  std::optional<lgw::multitask_strategy> multitask_strategy;
  std::optional<lgw::if_not_exists> if_not_exists;
  std::optional<double> after_seconds;
  std::optional<lgw::on_completion> on_completion;
  std::optional<lgw::on_disconnect> on_disconnect;
  // crons
  std::string schedule;
  std::optional<std::string> timezone, end_time;
  std::optional<bool> enabled;
  std::optional<lgw::on_run_completed> on_run_completed;
};

/// The options of the fields every run and cron body takes.
void add_payload_options(CLI::App &cmd, request_options &o) {
  cmd.add_option("--assistant", o.assistant, "assistant id or graph name")->required();
  cmd.add_option("--input", o.input, "the run's input, JSON");
  cmd.add_option("--metadata", o.metadata, "metadata, a JSON object");
  cmd.add_option("--config", o.config, "config, a JSON object");
  cmd.add_option("--context", o.context, "context, a JSON object");
  cmd.add_option("--webhook", o.webhook, "URL the server calls when the run ends");
  cmd.add_option("--interrupt-before", o.interrupt_before, "nodes to interrupt before: * or a,b,c");
  cmd.add_option("--interrupt-after", o.interrupt_after, "nodes to interrupt after: * or a,b,c");
  const auto modes = lgw::wire_names(lgw::stream_mode{});
  cmd.add_option_function<std::vector<std::string>>(
         "--stream-mode",
         [&o](const std::vector<std::string> &v) {
           for (const auto &s : v) o.stream_mode.push_back(*lgw::from_string<lgw::stream_mode>(s));
         },
         "what the run streams (repeat, or a,b)")
      ->check(CLI::IsMember(std::vector<std::string>(modes.begin(), modes.end())))
      ->delimiter(',');
  cmd.add_flag("--stream-subgraphs", o.stream_subgraphs, "stream the events of subgraphs too");
  cmd.add_flag("--stream-resumable", o.stream_resumable, "keep the stream so that it can be rejoined");
  add_enum_option(cmd, "--durability", o.durability, "when checkpoints are written");
  add_enum_option(cmd, "--multitask-strategy", o.multitask_strategy, "when the thread is busy (runs on a thread)");
}

template <class R, class = void> struct has_thread_id : std::false_type {};
template <class R> struct has_thread_id<R, std::void_t<decltype(std::declval<R &>().thread_id)>> : std::true_type {};

/// Sets the member `member(r)` names when the request has it, or says which endpoints take it.
/// `member` is a lambda like [](auto &x) -> decltype((x.field)) { return x.field; }.
template <class R, class T, class Member>
void set_field(R &r, const std::optional<T> &value, Member member, const char *flag, const char *who) {
  if (!value) return;
  if constexpr (std::is_invocable_v<Member, R &>)
    member(r) = *value;
  else
    throw usage_error(std::string(flag) + " applies only to " + who);
}
#define LGWH_MEMBER(field) [](auto &x) -> decltype((x.field)) { return x.field; }

/// The request `R` for these options, before any call is made (so a usage error costs nothing);
/// thread_id and (with --listen) webhook are filled in later.
template <class R> R build_request(const request_options &o) {
  R r;
  r.assistant_id = o.assistant;
  r.input = json_option(o.input, "--input");
  r.metadata = json_option(o.metadata, "--metadata");
  r.config = json_option(o.config, "--config");
  r.context = json_option(o.context, "--context");
  r.webhook = o.webhook;
  r.interrupt_before = node_list_option(o.interrupt_before);
  r.interrupt_after = node_list_option(o.interrupt_after);
  r.stream_mode = o.stream_mode;
  if (o.stream_subgraphs) r.stream_subgraphs = true;
  if (o.stream_resumable) r.stream_resumable = true;
  r.durability = o.durability;
  const auto command = LGWH_MEMBER(command);
  if constexpr (std::is_invocable_v<decltype(command), R &>) {
    if (o.command) r.command = json_option(o.command, "--command");
    if (o.resume) r.command = lgw::command::resume_with(json_option(o.resume, "--resume"));
  }
  set_field(r, o.after_seconds, LGWH_MEMBER(after_seconds), "--after-seconds", "runs");
  set_field(r, o.multitask_strategy, LGWH_MEMBER(multitask_strategy), "--multitask-strategy",
            "runs and crons on a thread (not --stateless)");
  set_field(r, o.if_not_exists, LGWH_MEMBER(if_not_exists), "--if-not-exists", "runs on a thread (not --stateless)");
  set_field(r, o.on_disconnect, LGWH_MEMBER(on_disconnect), "--on-disconnect", "--mode stream and --mode wait");
  set_field(r, o.on_completion, LGWH_MEMBER(on_completion), "--on-completion", "stateless runs (--stateless)");
  set_field(r, o.on_run_completed, LGWH_MEMBER(on_run_completed), "--on-run-completed", "crons without --thread");
  const auto schedule = LGWH_MEMBER(schedule);
  if constexpr (std::is_invocable_v<decltype(schedule), R &>) {
    r.schedule = o.schedule;
    r.timezone = o.timezone;
    r.end_time = o.end_time;
    r.enabled = o.enabled;
  }
  return r;
}
#undef LGWH_MEMBER

// ---- lgwh run -------------------------------------------------------------------------------

struct run_options {
  server_options server;
  request_options request;
  std::string thread;
  bool new_thread = false, stateless = false;
  std::string mode = "stream";
  bool listen = false;
  std::string listen_on = "127.0.0.1:0";
  std::string public_url;
  double timeout = 60;
};

/// Notes each interrupt the thread's state waits on, and the command line that answers it;
/// false when it waits on none.
bool note_interrupts(const lgw::thread_state &state, const std::string &thread_id, const std::string &assistant) {
  const auto pending = state.interrupts();
  for (const auto &i : pending) note("the thread waits for input: interrupt " + i.id + ": " + one_line(i.value.dump()));
  if (!pending.empty())
    note("answer with: lgwh run --thread " + thread_id + " --assistant " + assistant + " --resume '<JSON>'");
  return !pending.empty();
}

/// What a sent run reported.
struct run_outcome {
  std::string run_id;
  bool failed = false;
};

/// Sends the run and prints what comes back: each stream part, the final values, or the run.
template <class R> run_outcome send_run(lgw::client &c, const R &r) {
  using response = typename R::response_type;
  run_outcome out;
  if constexpr (std::is_same_v<response, lgw::stream_result>) {
    try {
      lgw::stream_result s = c.runs().stream(r, [&out](const lgw::stream_part &part) {
        if (part.event == "metadata" && part.data.is_object() && part.data.contains("run_id") &&
            part.data["run_id"].is_string())
          out.run_id = part.data["run_id"].get<std::string>();
        print_json_line(ordered_json{{"event", part.event}, {"data", part.data}});
      });
      if (!s.run_id.empty()) out.run_id = s.run_id;
    } catch (const lgw::error &e) {
      if (e.kind() != lgw::error_kind::run_failed) throw;
      note(one_line(e.what()));
      out.failed = true;
    }
  } else if constexpr (std::is_same_v<response, lgw::run_output>) {
    lgw::run_output result = c.runs().wait(r, /*raise_error=*/false);
    print_json_line(result.values);
    if (result.error) {
      note("the run failed: " + one_line(result.error->error + ": " + result.error->message));
      out.failed = true;
    }
    out.run_id = result.run_id;
  } else {
    lgw::run created = c.runs().create(r);
    print_json_line(created.raw);
    out.run_id = created.run_id;
  }
  return out;
}

template <class R> int run_with(const run_options &o) {
  R request = build_request<R>(o.request);
  lgw::client c = connect(o.server);

  std::optional<lgw::webhook_server> hooks;
  if (o.listen) {
    lgw::webhook_server_options receiver;
    parse_host_port(o.listen_on, receiver, "--listen-on");
    receiver.public_url = o.public_url;
    hooks.emplace(receiver);
    hooks->start();
    request.webhook = hooks->url();
    note("receiving the webhook at " + hooks->url());
  }
  bool made_thread = false;
  if constexpr (has_thread_id<R>::value) {
    request.thread_id = o.thread;
    if (request.thread_id.empty()) {
      request.thread_id = c.threads().create().thread_id;
      made_thread = true;
      note("created thread " + request.thread_id);
    }
  }

  run_outcome out;
  try {
    out = send_run(c, request);
  } catch (const lgw::error &e) {
    if constexpr (has_thread_id<R>::value) {
      // a 4xx refuses the run before it exists: the thread made for it would be an orphan
      if (made_thread && e.status() >= 400 && e.status() < 500) {
        try {
          c.threads().remove(request.thread_id);
          note("deleted thread " + request.thread_id + " again: the run was refused");
        } catch (const lgw::error &) {
        }
      }
    }
    throw;
  }
  const int status = out.failed ? exit_api : exit_ok;
  if (!hooks) return status;
  if (out.run_id.empty()) {
    note("the server did not say which run it started, so its webhook cannot be picked out");
    return exit_api;
  }
  const auto timeout = std::chrono::milliseconds(static_cast<long long>(o.timeout * 1000));
  note(fmt::format("waiting up to {} s for the webhook of run {} (--timeout)", o.timeout, out.run_id));
  std::optional<lgw::webhook_event> event = hooks->wait_for(out.run_id, timeout);
  if (!event) {
    note(fmt::format("no webhook for run {} within {} s", out.run_id, o.timeout));
    return exit_timeout;
  }
  print_json_line(ordered_json{{"webhook", event->json()}});
  if (!event->thread_id.empty() && event->status == lgw::run_status::success) {
    try { // a run that stopped in interrupt() ends "success": the thread says whether it waits
      note_interrupts(c.threads().get_state(event->thread_id), event->thread_id, o.request.assistant);
    } catch (const lgw::error &) { // a stateless run's thread is gone: nothing to resume
    }
  }
  return status;
}

int run_command(const run_options &o) {
  if (o.mode == "create")
    return o.stateless ? run_with<lgw::create_run_stateless_request>(o) : run_with<lgw::create_run_request>(o);
  if (o.mode == "wait")
    return o.stateless ? run_with<lgw::wait_run_stateless_request>(o) : run_with<lgw::wait_run_request>(o);
  return o.stateless ? run_with<lgw::stream_run_stateless_request>(o) : run_with<lgw::stream_run_request>(o);
}

// ---- lgwh thread ----------------------------------------------------------------------------

struct thread_options {
  server_options server;
  std::string thread_id;
  std::optional<std::string> checkpoint;
  int limit = 10;
  bool subgraphs = false;
};

int thread_get(const thread_options &o) {
  lgw::client c = connect(o.server);
  print_json_line(c.threads().get(o.thread_id).raw);
  return exit_ok;
}

/// The state as one JSON line; each pending interrupt also as a note, with the line that answers it.
int thread_state(const thread_options &o) {
  lgw::client c = connect(o.server);
  lgw::get_thread_state_request r;
  r.thread_id = o.thread_id;
  r.checkpoint_id = o.checkpoint;
  if (o.subgraphs) r.subgraphs = true;
  const lgw::thread_state state = c.threads().get_state(r);
  print_json_line(state.raw);
  if (!note_interrupts(state, o.thread_id, "<graph>") && state.next.empty()) note("the thread waits for nothing");
  return exit_ok;
}

int thread_history(const thread_options &o) {
  lgw::client c = connect(o.server);
  for (const lgw::thread_state &s : c.threads().get_history(o.thread_id, o.limit)) print_json_line(s.raw);
  return exit_ok;
}

int thread_runs(const thread_options &o) {
  lgw::client c = connect(o.server);
  lgw::list_runs_request r;
  r.thread_id = o.thread_id;
  r.limit = o.limit;
  for (const lgw::run &run : c.runs().list(r)) print_json_line(run.raw);
  return exit_ok;
}

// ---- lgwh cron ------------------------------------------------------------------------------

struct cron_options {
  server_options server;
  request_options request;
  std::string thread;
  std::optional<std::string> assistant_filter;
  std::optional<int> limit, offset;
  std::string cron_id;
};

/// Runs a cron call; when the server has no crons (the local JS server), says so.
template <class Call> int with_cron_hint(lgw::client &c, Call &&call) {
  try {
    call();
    return exit_ok;
  } catch (const lgw::error &e) {
    if (e.status() != 0) { // the JS server answers 500 "Not implemented", or 400 for a cron id
      bool crons = true;
      try {
        crons = c.info().supports_crons();
      } catch (const lgw::error &) {
      }
      if (!crons)
        throw lgw::error(e.kind(), e.endpoint(), e.status(),
                         e.message() + " (this server has no crons: /info flags.crons is false)", e.body());
    }
    throw;
  }
}

/// Refuses before sending anything when the server says it has no crons.
void require_crons(lgw::client &c, const std::string &endpoint) {
  bool crons = true;
  try {
    crons = c.info().supports_crons();
  } catch (const lgw::error &) { // no /info: let the call itself say what is wrong
  }
  if (!crons)
    throw lgw::error(lgw::error_kind::not_found, endpoint, 0,
                     "this server has no crons (/info flags.crons is false); nothing was sent");
}

int cron_create(const cron_options &o) {
  if (o.thread.empty()) {
    const auto request = build_request<lgw::create_cron_request>(o.request);
    lgw::client c = connect(o.server);
    require_crons(c, std::string("POST ") + lgw::create_cron_request::route);
    print_json_line(c.crons().create(request).raw); // /info was asked: no hint to add on failure
    return exit_ok;
  }
  auto request = build_request<lgw::create_thread_cron_request>(o.request);
  request.thread_id = o.thread;
  lgw::client c = connect(o.server);
  require_crons(c, "POST " + lgw::target(request));
  print_json_line(c.crons().create_for_thread(request).raw);
  return exit_ok;
}

int cron_list(const cron_options &o) {
  lgw::search_crons_request search;
  search.assistant_id = o.assistant_filter;
  if (!o.thread.empty()) search.thread_id = o.thread;
  search.limit = o.limit;
  search.offset = o.offset;
  lgw::client c = connect(o.server);
  return with_cron_hint(c, [&] {
    for (const lgw::cron &cron : c.crons().search(search)) print_json_line(cron.raw);
  });
}

int cron_delete(const cron_options &o) {
  lgw::client c = connect(o.server);
  return with_cron_hint(c, [&] {
    c.crons().remove(o.cron_id);
    note("deleted cron " + o.cron_id);
  });
}

// ---- lgwh listen ----------------------------------------------------------------------------

struct listen_options {
  lgw::webhook_server_options receiver;
  long count = 0;
  double timeout = 0;
  std::string format = "auto", color = "auto";
  std::string forward;
};

/// Re-posts payloads to a developer's own handler, as the LangGraph server posted them.
class forwarder {
public:
  explicit forwarder(const std::string &url) : url_(url), target_("/") {
    lgw::url_parts parts;
    try {
      parts = lgw::parse_url(url);
    } catch (const lgw::error &e) {
      throw usage_error("--forward: " + e.message());
    }
    const auto after_scheme = url.find("://") + 3;
    const auto path = url.find_first_of("/?", after_scheme);
    if (path != std::string::npos) target_ = url.substr(path, url.find('#', path) - path);
    if (target_.front() == '?') target_.insert(0, "/");
    lgw::client_options options;
    options.read_timeout = std::chrono::seconds(30); // the cloud server's own limit
    transport_.emplace(parts.origin(), options);
  }

  /// Posts `body`; returns the answer's status, or why there is none.
  std::string post(const std::string &body) {
    lgw::http_request req;
    req.method = "POST";
    req.target = target_;
    req.headers = {{"Content-Type", "application/json"}, {"User-Agent", "lgwh/" LANGGRAPH_WEBHOOKS_VERSION_STRING}};
    req.body = body;
    std::lock_guard<std::mutex> lock(m_); // callbacks run on several threads
    const lgw::http_response res = transport_->send(req, lgw::chunk_callback());
    if (res.failure) return url_ + ": " + std::string(lgw::to_string(res.failure->kind)) + ": " + res.failure->message;
    return url_ + ": " + std::to_string(res.status);
  }

private:
  std::string url_, target_;
  std::mutex m_;
  std::optional<lgw::httplib_client_transport> transport_;
};

/// SIGINT and SIGTERM, turned into a wake-up of waiting code: the signals are blocked in every
/// thread (construct this before starting any) and taken by one thread with sigwait.
class stop_signals {
public:
  enum class wake { done, signalled, timed_out };

  stop_signals() {
    sigemptyset(&set_);
    sigaddset(&set_, SIGINT);
    sigaddset(&set_, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &set_, nullptr);
    thread_ = std::thread([this] {
      int sig = 0;
      sigwait(&set_, &sig);
      std::lock_guard<std::mutex> lock(m_);
      signalled_ = true;
      cv_.notify_all();
    });
  }
  stop_signals(const stop_signals &) = delete;
  stop_signals &operator=(const stop_signals &) = delete;
  ~stop_signals() {
    {
      std::lock_guard<std::mutex> lock(m_);
      if (!signalled_) pthread_kill(thread_.native_handle(), SIGTERM); // wakes sigwait
    }
    thread_.join();
  }

  /// The lock that `done` (in wait) reads under; call notify() after changing what it reads.
  std::unique_lock<std::mutex> lock() { return std::unique_lock<std::mutex>(m_); }
  void notify() { cv_.notify_all(); }

  /// Waits until `done()`, a signal, or `timeout` (zero: none).
  template <class Done> wake wait(Done done, std::chrono::milliseconds timeout) {
    std::unique_lock<std::mutex> lock(m_);
    auto ready = [&] { return signalled_ || done(); };
    if (timeout.count() > 0) {
      if (!cv_.wait_for(lock, timeout, ready)) return wake::timed_out;
    } else {
      cv_.wait(lock, ready);
    }
    return done() ? wake::done : wake::signalled;
  }

private:
  sigset_t set_;
  std::mutex m_;
  std::condition_variable cv_;
  bool signalled_ = false;
  std::thread thread_;
};

int listen_command(const listen_options &o) {
  std::optional<forwarder> forward;
  if (!o.forward.empty()) forward.emplace(o.forward);
  const bool pretty = o.format == "pretty" || (o.format == "auto" && isatty(STDOUT_FILENO));
  const palette paint(o.color);

  stop_signals signals; // before the receiver starts its threads
  long accepted = 0;
  lgw::webhook_server hooks(o.receiver); // without --secret it makes a random one
  const std::string hidden = hooks.secret().empty() ? "" : o.receiver.secret_query_param;
  // The payload repeats the webhook URL (in kwargs), secret and all: it is not printed.
  const std::string secret_in_url =
      hidden.empty() ? "" : lgw::percent_encode(hidden) + '=' + lgw::percent_encode(hooks.secret());
  hooks.on_event([&](const lgw::webhook_event &e) {
    {
      auto lock = signals.lock();
      // Past --count, refuse (500) rather than acknowledge what will not be shown: the sender
      // may deliver it again to whoever listens next.
      if (o.count > 0 && accepted >= o.count) throw std::runtime_error("--count reached, not taken");
      ++accepted;
    }
    const std::string forwarded = forward ? forward->post(e.body) : std::string();
    const json query = query_json(e, hidden);
    auto lock = signals.lock(); // one event's output is never interleaved with another's
    if (pretty) {
      std::cout << pretty_block(e, query, forwarded, paint) << std::endl;
    } else {
      std::cout << redacted(json_line(json{{"payload", e.json()}, {"query", query}}), secret_in_url) << std::flush;
      if (forward) note("forwarded run " + e.run_id + " to " + forwarded);
    }
    signals.notify();
  });
  hooks.on_error([](const lgw::webhook_event &e, std::exception_ptr failure) {
    try {
      std::rethrow_exception(failure);
    } catch (const std::exception &x) {
      note("run " + e.run_id + ": answered 500: " + x.what());
    }
  });
  hooks.start();
  std::cerr << "listening " << hooks.url() << std::endl;
  if (pretty) {
    std::cerr << "Pass this URL as a run's `webhook` (lgwh run --webhook URL ...). Ctrl-C stops.\n";
    if (o.receiver.public_url.empty())
      for (const auto &problem : hooks.check_url().problems)
        std::cerr << paint(fg(fmt::terminal_color::yellow), "note: ") << problem << '\n';
  }

  const auto timeout = std::chrono::milliseconds(static_cast<long long>(o.timeout * 1000));
  const auto why = signals.wait([&] { return o.count > 0 && accepted >= o.count; }, timeout);
  hooks.stop(); // deliveries in progress finish first
  if (why == stop_signals::wake::timed_out) {
    note(fmt::format("{} of {} webhooks within {} s", accepted, o.count, o.timeout));
    return exit_timeout;
  }
  return exit_ok;
}

// ---- lgwh check-url, lgwh info --------------------------------------------------------------

struct check_options {
  std::string url;
  lgw::webhook_url_policy policy;
  bool allow_loopback = false;
};

int check_url_command(check_options o) {
  o.policy.disable_loopback = !o.allow_loopback;
  const lgw::webhook_url_check check = lgw::check_webhook_url(o.url, o.policy);
  if (check) {
    std::cout << "ok: a deployment with this policy accepts " << o.url << '\n';
    return exit_ok;
  }
  for (const auto &problem : check.problems) std::cout << "refused: " << problem << '\n';
  return exit_api;
}

int info_command(const server_options &o) {
  lgw::client c = connect(o);
  const lgw::server_info info = c.info();
  std::cout << info.raw.dump(isatty(STDOUT_FILENO) ? 2 : -1) << '\n';
  return exit_ok;
}

} // namespace

int main(int argc, char **argv) {
  CLI::App app{"lgwh: try LangGraph webhooks from a terminal.\n"
               "Exit status: 0 ok, 1 usage error, 2 API error, 3 timeout.",
               "lgwh"};
  app.set_version_flag("--version", "lgwh " LANGGRAPH_WEBHOOKS_VERSION_STRING);
  app.require_subcommand(1);

  // lgwh listen
  listen_options listen;
  CLI::App *listen_cmd = app.add_subcommand("listen", "receive webhooks and print each one");
  listen_cmd->add_option("--host", listen.receiver.host, "address to listen on")->capture_default_str();
  listen_cmd->add_option("--port", listen.receiver.port, "port (0: any free one)")
      ->check(CLI::Range(0, 65535))
      ->capture_default_str();
  listen_cmd->add_option("--path", listen.receiver.path, "path of the webhook URL")->capture_default_str();
  listen_cmd->add_option("--secret", listen.receiver.secret,
                         "refuse calls without it (default: a random one; it travels as ?token= in the printed URL)");
  listen_cmd->add_flag("!--no-secret", listen.receiver.require_secret,
                       "accept calls without a secret (only behind something that authenticates)");
  listen_cmd->add_option("--max-body", listen.receiver.max_body_bytes, "largest payload accepted, bytes")
      ->capture_default_str();
  listen_cmd->add_option("--public-url", listen.receiver.public_url,
                         "the URL the server should call instead (a tunnel)");
  listen_cmd->add_option("--count", listen.count, "exit 0 after this many webhooks")->check(CLI::PositiveNumber);
  listen_cmd->add_option("--timeout", listen.timeout, "with --count: exit 3 when they do not arrive in time, s")
      ->check(CLI::PositiveNumber);
  listen_cmd->add_option("--format", listen.format, "json: a JSON line each; pretty: readable (default on a terminal)")
      ->check(CLI::IsMember({"auto", "json", "pretty"}))
      ->capture_default_str();
  listen_cmd->add_option("--color", listen.color, "colour the pretty format")
      ->check(CLI::IsMember({"auto", "always", "never"}))
      ->capture_default_str();
  listen_cmd->add_option("--forward", listen.forward, "also POST each payload to this URL (your handler)");

  // lgwh run
  run_options run;
  CLI::App *run_cmd = app.add_subcommand("run", "start one run; with --listen, also receive its webhook");
  add_server_options(*run_cmd, run.server);
  add_payload_options(*run_cmd, run.request);
  auto *thread_opt = run_cmd->add_option("--thread", run.thread, "run on this thread");
  auto *new_thread_opt = run_cmd->add_flag("--new-thread", run.new_thread, "run on a new thread (the default)");
  auto *stateless_opt = run_cmd->add_flag("--stateless", run.stateless, "run without a thread");
  thread_opt->excludes(new_thread_opt)->excludes(stateless_opt);
  new_thread_opt->excludes(stateless_opt);
  run_cmd->add_option("--mode", run.mode, "create: background; stream: print each event; wait: print the result")
      ->check(CLI::IsMember({"create", "stream", "wait"}))
      ->capture_default_str();
  auto *listen_flag = run_cmd->add_flag("--listen", run.listen, "receive the run's webhook here and print it");
  run_cmd->get_option("--webhook")->excludes(listen_flag);
  run_cmd->add_option("--listen-on", run.listen_on, "with --listen: HOST:PORT of the receiver")
      ->needs(listen_flag)
      ->capture_default_str();
  run_cmd->add_option("--public-url", run.public_url, "with --listen: the URL the server should call (a tunnel)")
      ->needs(listen_flag);
  auto *command_opt =
      run_cmd->add_option("--command", run.request.command, "command, a JSON object {resume, update, goto}");
  run_cmd->add_option("--resume", run.request.resume, "answer the thread's pending interrupt(): command.resume, JSON")
      ->excludes(command_opt)
      ->excludes(stateless_opt)
      ->needs(thread_opt);
  run_cmd->add_option("--after-seconds", run.request.after_seconds, "start the run this much later");
  add_enum_option(*run_cmd, "--if-not-exists", run.request.if_not_exists, "when --thread does not exist");
  add_enum_option(*run_cmd, "--on-completion", run.request.on_completion, "the temporary thread of a stateless run");
  add_enum_option(*run_cmd, "--on-disconnect", run.request.on_disconnect, "when lgwh goes away (stream, wait)");
  run_cmd->add_option("--timeout", run.timeout, "with --listen: seconds to wait for the webhook")
      ->needs(listen_flag)
      ->check(CLI::PositiveNumber)
      ->capture_default_str();

  // lgwh thread get|state|history|runs
  thread_options thread;
  CLI::App *thread_cmd = app.add_subcommand("thread", "a thread: get, state, history, runs");
  thread_cmd->require_subcommand(1);
  CLI::App *thread_get_cmd = thread_cmd->add_subcommand("get", "the thread, with its status, as JSON");
  CLI::App *thread_state_cmd =
      thread_cmd->add_subcommand("state", "its state: values, next nodes, the interrupts a run waits on");
  thread_state_cmd->add_option("--checkpoint", thread.checkpoint, "at this checkpoint id (default: the latest)");
  thread_state_cmd->add_flag("--subgraphs", thread.subgraphs, "with the state of subgraphs");
  CLI::App *thread_history_cmd = thread_cmd->add_subcommand("history", "its states, newest first, a JSON line each");
  CLI::App *thread_runs_cmd = thread_cmd->add_subcommand("runs", "its runs, a JSON line each");
  for (CLI::App *cmd : {thread_get_cmd, thread_state_cmd, thread_history_cmd, thread_runs_cmd}) {
    add_server_options(*cmd, thread.server);
    cmd->add_option("ID", thread.thread_id, "the thread's id")->required();
  }
  for (CLI::App *cmd : {thread_history_cmd, thread_runs_cmd})
    cmd->add_option("--limit", thread.limit, "at most this many")->check(CLI::PositiveNumber)->capture_default_str();

  // lgwh cron create|list|delete
  cron_options cron;
  CLI::App *cron_cmd = app.add_subcommand("cron", "create, list and delete crons (not on the local JS server)");
  cron_cmd->require_subcommand(1);
  CLI::App *cron_create_cmd = cron_cmd->add_subcommand("create", "create a cron; --thread: on that thread");
  add_server_options(*cron_create_cmd, cron.server);
  add_payload_options(*cron_create_cmd, cron.request);
  cron_create_cmd->add_option("--thread", cron.thread, "run on this thread (else each run gets a new one)");
  cron_create_cmd->add_option("--schedule", cron.request.schedule, "5-field cron expression, e.g. '*/5 * * * *'")
      ->required();
  cron_create_cmd->add_option("--timezone", cron.request.timezone, "IANA time zone of the schedule (default UTC)");
  cron_create_cmd->add_option("--end-time", cron.request.end_time, "ISO-8601 time after which it stops");
  cron_create_cmd->add_option("--enabled", cron.request.enabled, "true or false");
  add_enum_option(*cron_create_cmd, "--on-run-completed", cron.request.on_run_completed,
                  "each run's thread, without --thread");
  CLI::App *cron_list_cmd = cron_cmd->add_subcommand("list", "list crons as JSON lines");
  add_server_options(*cron_list_cmd, cron.server);
  cron_list_cmd->add_option("--assistant", cron.assistant_filter, "only this assistant's");
  cron_list_cmd->add_option("--thread", cron.thread, "only this thread's");
  cron_list_cmd->add_option("--limit", cron.limit, "at most this many")->check(CLI::PositiveNumber);
  cron_list_cmd->add_option("--offset", cron.offset, "skip this many")->check(CLI::NonNegativeNumber);
  CLI::App *cron_delete_cmd = cron_cmd->add_subcommand("delete", "delete a cron");
  add_server_options(*cron_delete_cmd, cron.server);
  cron_delete_cmd->add_option("ID", cron.cron_id, "the cron's id")->required();

  // lgwh check-url
  check_options check;
  CLI::App *check_cmd = app.add_subcommand("check-url", "would a cloud deployment accept this webhook URL?");
  check_cmd->add_option("URL", check.url, "the webhook URL")->required();
  check_cmd->add_flag("--require-https", check.policy.require_https, "webhooks.url.require_https");
  check_cmd->add_option("--allow-domain", check.policy.allowed_domains,
                        "webhooks.url.allowed_domains: a host, or *.example.com (repeat)");
  check_cmd->add_option("--allow-port", check.policy.allowed_ports, "webhooks.url.allowed_ports (repeat)");
  check_cmd->add_flag("--allow-loopback", check.allow_loopback, "webhooks.url.disable_loopback = false");

  // lgwh info
  server_options info;
  CLI::App *info_cmd = app.add_subcommand("info", "print the server's /info as JSON");
  add_server_options(*info_cmd, info);

  if (argc > 1 && argv[1][0] != '-') { // an unknown subcommand is named, with the nearest one
    const std::string given = argv[1];
    std::vector<std::string> names;
    for (const CLI::App *sub : app.get_subcommands({})) names.push_back(sub->get_name());
    if (std::find(names.begin(), names.end(), given) == names.end()) {
      std::cerr << "lgwh: unknown subcommand '" << given << "'";
      const std::string near = nearest(given, names);
      if (!near.empty()) std::cerr << " (did you mean '" << near << "'?)";
      std::cerr << "\nRun with --help for more information.\n";
      return exit_usage;
    }
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError &e) {
    return app.exit(e) == 0 ? exit_ok : exit_usage; // --help and --version exit 0
  }

  try {
    if (*listen_cmd) return listen_command(listen);
    if (*run_cmd) return run_command(run);
    if (*thread_get_cmd) return thread_get(thread);
    if (*thread_state_cmd) return thread_state(thread);
    if (*thread_history_cmd) return thread_history(thread);
    if (*thread_runs_cmd) return thread_runs(thread);
    if (*cron_create_cmd) return cron_create(cron);
    if (*cron_list_cmd) return cron_list(cron);
    if (*cron_delete_cmd) return cron_delete(cron);
    if (*check_cmd) return check_url_command(check);
    if (*info_cmd) return info_command(info);
  } catch (const usage_error &e) {
    std::cerr << e.what() << "\nRun with --help for more information.\n";
    return exit_usage;
  } catch (const lgw::error &e) {
    note(one_line(e.what()));
    return e.kind() == lgw::error_kind::timeout ? exit_timeout : exit_api;
  }
  return exit_usage;
}
