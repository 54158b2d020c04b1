// SSE parsing throughput: lgw::sse_parser over a large synthetic LangGraph-style event stream
// (`values`, `messages`, `updates` events of 300-1500 bytes of compact JSON, `metadata` at
// each run, ids after the data as both servers send them, occasional `: heartbeat` comments),
// generated deterministically, in an LF variant (JS server) and a CRLF variant (Python
// server), fed in 16 KB chunks. For each variant, in the same run and interleaved round by
// round so that all see the same machine:
//   (a) memchr('\n') line scan of the same bytes in the same chunks — the practical upper bound
//   (b) sse_parser alone (count events, touch each data's size)
//   (c) nlohmann::json::parse alone over the data payloads, extracted beforehand
//   (d) sse_parser + nlohmann::json::parse of each data inside the callback (the full path)
// Goals: (b) >= 0.5x (a) in bytes/s; (d) >= 0.95x (c) in events/s (same events, same payloads).
//
//   sse_parse [--mb N] [--reps R] [--chunk BYTES] [--seed S] [--json 0|1]
//     --mb     stream size per variant in MiB (default 64)
//     --reps   rounds; each figure is the median over them, best in brackets (default 7)
//     --chunk  feed size in bytes (default 16384)
//     --seed   generator seed (default 42)
//     --json   0 leaves out (c) and (d), for quick runs and profiling of the parser (default 1)
#include "../tests/splitmix.hpp"
#include "langgraph_webhooks.hpp"

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

namespace lgw = langgraph::webhooks;
using clock_type = std::chrono::steady_clock;

namespace {

// ---- deterministic generator (tests/splitmix.hpp, shared with the fuzzers) ------------

using rng = splitmix;

const char *const words[] = {
    "the",        "weather",    "in",        "San",     "Francisco", "is",      "sunny",    "with",   "a",
    "high",       "of",         "68",        "degrees", "LangGraph", "agent",   "tool",     "call",   "result",
    "search",     "returned",   "documents", "about",   "graph",     "state",   "node",     "edge",   "stream",
    "token",      "checkpoint", "thread",    "run",     "assistant", "message", "summary:", "\\n\\n", "\\\"quoted\\\"",
    "caf\\u00e9", "→",          "答案",      "— ok,",
};

void append_text(std::string &out, rng &r, std::size_t len) {
  if (len == 0) return;
  const std::size_t stop = out.size() + len;
  while (out.size() < stop) {
    out += words[r.below(sizeof words / sizeof *words)];
    out += ' ';
  }
  if (out.back() == ' ') out.back() = '.';
}

void append_uuid(std::string &out, rng &r) {
  static const char hex[] = "0123456789abcdef";
  const std::uint64_t a = r.next(), b = r.next();
  for (int i = 0; i < 32; ++i) {
    if (i == 8 || i == 12 || i == 16 || i == 20) out += '-';
    out += hex[((i < 16 ? a : b) >> (4 * (i % 16))) & 15];
  }
}

// One message object of LangGraph's serialisation; `content_len` bytes of text.
void append_message(std::string &out, rng &r, rng &words_rng, const char *type, std::size_t content_len,
                    bool tool_call) {
  out += R"({"content":")";
  append_text(out, words_rng, content_len);
  out += R"(","additional_kwargs":{},"response_metadata":{)";
  if (std::strcmp(type, "ai") == 0) out += R"("finish_reason":"stop","model_name":"gpt-4o-mini-2024-07-18")";
  out += R"(},"type":")";
  out += type;
  out += R"(","name":null,"id":")";
  append_uuid(out, r);
  out += R"(","example":false)";
  if (std::strcmp(type, "ai") == 0) {
    out += R"(,"tool_calls":[)";
    if (tool_call) {
      out += R"({"name":"search","args":{"query":")";
      append_text(out, words_rng, 24);
      out += R"("},"id":"call_)";
      append_uuid(out, r);
      out += R"(","type":"tool_call"})";
    }
    out += R"(],"invalid_tool_calls":[],"usage_metadata":{"input_tokens":)";
    out += std::to_string(r.between(20, 4000));
    out += R"(,"output_tokens":)";
    out += std::to_string(r.between(1, 800));
    out += R"(,"total_tokens":)";
    out += std::to_string(r.between(21, 4800));
    out += '}';
  }
  out += '}';
}

// A `data` payload for `event` whose main message text is `content_len` bytes. Numbers and
// ids come from `r`, words from `words_rng`.
std::string payload_with(const std::string &event, rng &r, rng &words_rng, std::size_t content_len,
                         const std::string &run_id) {
  std::string d;
  if (event == "metadata") {
    d = R"({"run_id":")" + run_id + R"(","attempt":1})";
  } else if (event == "values") {
    d += R"({"messages":[)";
    append_message(d, r, words_rng, "human", 40, false);
    d += ',';
    append_message(d, r, words_rng, "ai", content_len, r.below(4) == 0);
    d += R"(],"step":)" + std::to_string(r.between(1, 30)) + '}';
  } else if (event == "messages") {
    d += '[';
    d += R"({"content":")";
    append_text(d, words_rng, content_len);
    d += R"(","additional_kwargs":{},"response_metadata":{},"type":"AIMessageChunk","name":null,"id":"run-)";
    append_uuid(d, r);
    d += R"(","example":false,"tool_calls":[],"invalid_tool_calls":[],"usage_metadata":null,"tool_call_chunks":[]},)";
    d += R"({"langgraph_step":)" + std::to_string(r.between(1, 12));
    d +=
        R"(,"langgraph_node":"agent","langgraph_triggers":["start:agent"],"langgraph_path":["__pregel_pull","agent"],)";
    d += R"("langgraph_checkpoint_ns":"agent:)";
    append_uuid(d, r);
    d += R"(","checkpoint_ns":"agent:)";
    append_uuid(d, r);
    d += R"(","ls_provider":"openai","ls_model_name":"gpt-4o-mini","ls_model_type":"chat","ls_temperature":0.7}])";
  } else { // updates
    const bool tools = r.below(3) == 0;
    d += tools ? R"({"tools":{"messages":[)" : R"({"agent":{"messages":[)";
    append_message(d, r, words_rng, tools ? "tool" : "ai", content_len, !tools && r.below(2) == 0);
    d += "]}}";
  }
  return d;
}

// A `data` payload of `target` bytes (give or take a word) for `event`.
std::string payload(const std::string &event, rng &r, rng &words_rng, std::size_t target, const std::string &run_id) {
  rng r0 = r, w0 = words_rng; // the same draws, with no text, measure the rest of the payload
  const std::size_t rest = payload_with(event, r0, w0, 0, run_id).size();
  return payload_with(event, r, words_rng, target > rest + 8 ? target - rest : 8, run_id);
}

struct stream {
  std::string bytes;                 // the wire bytes
  std::vector<std::string> payloads; // every event's data, in order
  std::size_t payload_bytes = 0, comments = 0, lines = 0;
};

// The stream with '\n' line ends; `crlf` gives the same stream with "\r\n".
stream generate(std::size_t target_bytes, std::uint64_t seed, bool crlf) {
  rng r{seed}, words_rng{~seed};
  stream s;
  s.bytes.reserve(target_bytes + 4096);
  const char *const nl = crlf ? "\r\n" : "\n";
  std::string run_id;
  std::uint64_t id = 0;
  auto line = [&](std::string_view a, std::string_view b = {}) {
    s.bytes.append(a);
    s.bytes.append(b);
    s.bytes.append(nl);
    ++s.lines;
  };
  std::size_t events_left_in_run = 0;
  while (s.bytes.size() < target_bytes) {
    std::string event;
    if (events_left_in_run == 0) {
      run_id.clear();
      append_uuid(run_id, r);
      events_left_in_run = r.between(20, 200);
      event = "metadata";
    } else {
      const std::size_t k = r.below(100);
      event = k < 30 ? "values" : k < 70 ? "messages" : "updates";
      --events_left_in_run;
    }
    if (r.below(40) == 0) {
      line(": heartbeat");
      line("");
      s.comments += 1;
    }
    std::string d = payload(event, r, words_rng, r.between(300, 1500), run_id);
    line("event: ", event);
    line("data: ", d);
    line("id: ", std::to_string(id++));
    line("");
    s.payload_bytes += d.size();
    s.payloads.push_back(std::move(d));
  }
  return s;
}

// ---- the four measurements -----------------------------------------------------------

volatile std::size_t sink; // keeps results observable

double seconds_since(clock_type::time_point t0) {
  return std::chrono::duration<double>(clock_type::now() - t0).count();
}

double memchr_scan(const stream &s, std::size_t chunk) {
  const auto t0 = clock_type::now();
  std::size_t lines = 0;
  const char *const base = s.bytes.data();
  for (std::size_t off = 0; off < s.bytes.size(); off += chunk) {
    const char *p = base + off;
    const char *const end = base + std::min(s.bytes.size(), off + chunk);
    while ((p = static_cast<const char *>(std::memchr(p, '\n', std::size_t(end - p)))) != nullptr) {
      ++lines;
      if (++p == end) break;
    }
  }
  const double t = seconds_since(t0);
  if (lines != s.lines) {
    std::fprintf(stderr, "memchr scan: %zu lines, expected %zu\n", lines, s.lines);
    std::abort();
  }
  sink = lines;
  return t;
}

template <class OnEvent> double parse_stream(const stream &s, std::size_t chunk, OnEvent &&on_event) {
  const auto t0 = clock_type::now();
  lgw::sse_parser parser;
  const std::string_view all(s.bytes);
  for (std::size_t off = 0; off < all.size(); off += chunk) parser.feed(all.substr(off, chunk), on_event);
  if (!parser.finish()) {
    std::fprintf(stderr, "sse_parser: the stream did not end cleanly\n");
    std::abort();
  }
  return seconds_since(t0);
}

void check(const char *what, const stream &s, std::size_t events, std::size_t bytes) {
  if (events != s.payloads.size() || bytes != s.payload_bytes) {
    std::fprintf(stderr, "%s: %zu events / %zu data bytes, expected %zu / %zu\n", what, events, bytes,
                 s.payloads.size(), s.payload_bytes);
    std::abort();
  }
}

// The parser alone, counting events and data bytes: Event is lgw::sse_event (owned strings) or
// lgw::sse_event_view (views into the parser's buffer), the callback's parameter choosing which.
template <class Event> double parser_alone(const char *what, const stream &s, std::size_t chunk) {
  std::size_t events = 0, bytes = 0;
  const double t = parse_stream(s, chunk, [&](const Event &ev) {
    ++events;
    bytes += ev.data.size();
  });
  check(what, s, events, bytes);
  sink = events + bytes;
  return t;
}

double json_alone(const stream &s) {
  std::size_t events = 0, bytes = 0, members = 0;
  const auto t0 = clock_type::now();
  for (const std::string &d : s.payloads) {
    const nlohmann::json j = nlohmann::json::parse(d);
    members += j.size();
    ++events;
    bytes += d.size();
  }
  const double t = seconds_since(t0);
  check("json::parse", s, events, bytes);
  sink = members;
  return t;
}

double parser_and_json(const stream &s, std::size_t chunk) {
  std::size_t events = 0, bytes = 0, members = 0;
  const double t = parse_stream(s, chunk, [&](const lgw::sse_event_view &ev) { // as the client does
    const nlohmann::json j = nlohmann::json::parse(ev.data);
    members += j.size();
    ++events;
    bytes += ev.data.size();
  });
  check("sse_parser + json::parse", s, events, bytes);
  sink = members;
  return t;
}

// ---- reporting -----------------------------------------------------------------------

struct timing {
  std::vector<double> secs;
  double median() const {
    std::vector<double> v = secs;
    std::sort(v.begin(), v.end());
    const std::size_t n = v.size();
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
  }
  double best() const { return *std::min_element(secs.begin(), secs.end()); }
};

constexpr double mib = 1024.0 * 1024.0;

void row(const char *label, const timing &t, double bytes, double units, const char *unit) {
  std::printf("  %-36s %9.1f MB/s [%9.1f]  %12.0f %s/s [%12.0f]\n", label, bytes / mib / t.median(),
              bytes / mib / t.best(), units / t.median(), unit, units / t.best());
}

void ratio(const char *label, double r, double goal) {
  std::printf("  %-36s %9.3fx (goal >= %.2fx: %s)\n", label, r, goal, r >= goal ? "met" : "MISSED");
}

void bench_variant(const char *name, const stream &s, std::size_t chunk, int reps, bool json) {
  timing a, b, v, c, d;
  memchr_scan(s, chunk); // warm-up: page in the stream and the payloads
  parser_alone<lgw::sse_event>("sse_parser", s, chunk);
  if (json) json_alone(s);
  for (int i = 0; i < reps; ++i) {
    a.secs.push_back(memchr_scan(s, chunk));
    b.secs.push_back(parser_alone<lgw::sse_event>("sse_parser", s, chunk));
    v.secs.push_back(parser_alone<lgw::sse_event_view>("sse_parser (views)", s, chunk));
    if (!json) continue;
    c.secs.push_back(json_alone(s));
    d.secs.push_back(parser_and_json(s, chunk));
  }
  const double n = double(s.payloads.size());
  std::printf("\n%s: %.1f MB, %zu events (avg data %.0f B), %zu heartbeat comments, %zu lines\n", name,
              double(s.bytes.size()) / mib, s.payloads.size(), double(s.payload_bytes) / n, s.comments, s.lines);
  row("(a) memchr('\\n') line scan", a, double(s.bytes.size()), double(s.lines), "lines");
  row("(b) sse_parser alone, sse_event", b, double(s.bytes.size()), n, "events");
  row("(b') sse_parser alone, sse_event_view", v, double(s.bytes.size()), n, "events");
  if (json) {
    row("(c) json::parse alone (payloads)", c, double(s.payload_bytes), n, "events");
    row("(d) sse_parser (views) + json::parse", d, double(s.bytes.size()), n, "events");
  }
  ratio("b/a, bytes/s (copies each data)", a.median() / b.median(), 0.5);
  ratio("b'/a, bytes/s (zero-copy views)", a.median() / v.median(), 0.5);
  if (json) ratio("d/c, events/s", c.median() / d.median(), 0.95);
}

std::size_t number(const char *flag, const char *value) {
  char *end = nullptr;
  const unsigned long long v = std::strtoull(value, &end, 10);
  if (end == value || *end != '\0' || v == 0) {
    std::fprintf(stderr, "sse_parse: %s needs a positive integer, got '%s'\n", flag, value);
    std::exit(2);
  }
  return std::size_t(v);
}

} // namespace

int main(int argc, char **argv) {
  std::size_t mb = 64, reps = 7, chunk = 16384;
  std::uint64_t seed = 42;
  bool json = true;
  for (int i = 1; i < argc; ++i) {
    const char *flag = argv[i];
    if (i + 1 >= argc || std::strncmp(flag, "--", 2) != 0) {
      std::fprintf(stderr, "usage: sse_parse [--mb N] [--reps R] [--chunk BYTES] [--seed S] [--json 0|1]\n");
      return 2;
    }
    const char *value = argv[++i];
    if (!std::strcmp(flag, "--mb"))
      mb = number(flag, value);
    else if (!std::strcmp(flag, "--reps"))
      reps = number(flag, value);
    else if (!std::strcmp(flag, "--chunk"))
      chunk = number(flag, value);
    else if (!std::strcmp(flag, "--seed"))
      seed = number(flag, value);
    else if (!std::strcmp(flag, "--json") && (!std::strcmp(value, "0") || !std::strcmp(value, "1")))
      json = *value == '1';
    else {
      std::fprintf(stderr, "sse_parse: unknown flag or bad value: %s %s\n", flag, value);
      return 2;
    }
  }

  std::printf("sse_parse: synthetic LangGraph stream, %zu MiB per variant, fed in %zu-byte chunks;\n"
              "  median of %zu rounds, best in [brackets]; rounds interleave (a)-(d)\n",
              mb, chunk, reps);
  for (const bool crlf : {false, true}) {
    const stream s = generate(mb << 20, seed, crlf);
    bench_variant(crlf ? "CRLF (Python server)" : "LF (JS server)", s, chunk, int(reps), json);
  }
  return 0;
}
