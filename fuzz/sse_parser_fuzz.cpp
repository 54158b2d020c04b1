// libFuzzer target for lgw::sse_parser.
//
// The whole fuzz input is the byte stream (so the seed corpus in fuzz/corpus/sse/ holds real
// streams, unmodified). Everything else — where the stream is cut into chunks, where a callback
// stops the parser, the small event-size limit — is derived deterministically from a hash of the
// input, so every crash file reproduces exactly.
//
// For each input it checks that
//   * nothing crashes (ASan/UBSan, no exception other than lgw::error escapes);
//   * feeding the stream in one piece, in random chunks (including empty chunks and chunks
//     that split CRLF and the BOM), and one byte at a time gives the same sequence of
//     (event, data, id), the same finish() result, last_event_id() and retry();
//   * those events match a small, obviously-correct reference parser written from the
//     WHATWG rules (lines split on CRLF / CR / LF over the whole buffer);
//   * a callback returning false stops at the same event whatever the chunking, and feed()
//     returns false;
//   * the zero-copy callback (sse_event_view) sees the same events, even when the caller
//     overwrites each chunk's buffer right after feed() returns;
//   * with a small max_event_bytes, no event over the limit is delivered, only lgw::error
//     (invalid_response) is thrown, and whether it is thrown does not depend on the chunking.
// Any violation prints what differed and calls __builtin_trap().
//
// Build and run: scripts/fuzz [seconds]
#ifndef LANGGRAPH_WEBHOOKS_NO_HTTPLIB
#define LANGGRAPH_WEBHOOKS_NO_HTTPLIB
#endif
#include "../tests/splitmix.hpp"
#include "langgraph_webhooks.hpp"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace lgw = langgraph::webhooks;

namespace {

struct parsed {
  std::string event, data, id;
  bool operator==(const parsed &o) const { return event == o.event && data == o.data && id == o.id; }
};

struct outcome {
  std::vector<parsed> events;
  bool finish_clean = false;
  bool stopped = false; // a feed() returned false
  bool threw = false;   // an lgw::error (invalid_response) was thrown
  std::string last_event_id;
  std::optional<std::uint64_t> retry;
};

// ---- deterministic randomness from the input --------------------------------------------

std::uint64_t fnv1a(const std::uint8_t *p, std::size_t n) {
  std::uint64_t h = 0xcbf29ce484222325ull;
  for (std::size_t i = 0; i < n; ++i) h = (h ^ p[i]) * 0x100000001b3ull;
  return h;
}

// Chunk lengths (0 = an empty chunk) that add up to n.
std::vector<std::size_t> random_chunks(std::size_t n, splitmix &rng, std::size_t max_chunk) {
  std::vector<std::size_t> sizes;
  std::size_t left = n;
  while (left > 0) {
    std::size_t len = rng.below(max_chunk + 1); // 0..max_chunk
    if (len > left) len = left;
    sizes.push_back(len);
    left -= len;
  }
  return sizes;
}

// ---- running the parser ----------------------------------------------------------------

// Feeds `in` cut into `sizes`; stop_at = index of the event whose callback returns false.
outcome run(std::string_view in, const std::vector<std::size_t> &sizes, std::size_t max_event_bytes,
            std::size_t stop_at = SIZE_MAX) {
  outcome out;
  lgw::sse_parser parser(max_event_bytes);
  auto on_event = [&](const lgw::sse_event &ev) -> bool {
    out.events.push_back({ev.event, ev.data, ev.id});
    return out.events.size() - 1 != stop_at;
  };
  std::size_t pos = 0;
  try {
    for (std::size_t len : sizes) {
      if (!parser.feed(in.substr(pos, len), on_event)) {
        out.stopped = true;
        break;
      }
      pos += len;
    }
  } catch (const lgw::error &e) {
    if (e.kind() != lgw::error_kind::invalid_response) {
      std::fprintf(stderr, "sse_parser threw lgw::error of kind %s\n", std::string(lgw::to_string(e.kind())).c_str());
      __builtin_trap();
    }
    out.threw = true;
  }
  out.last_event_id = parser.last_event_id();
  out.retry = parser.retry();
  if (!out.stopped && !out.threw) out.finish_clean = parser.finish();
  return out;
}

// As run(), with the zero-copy callback, and each chunk in a buffer the caller overwrites as
// soon as feed() returns, so a view kept past its chunk shows up as wrong data.
outcome run_views(std::string_view in, const std::vector<std::size_t> &sizes) {
  outcome out;
  lgw::sse_parser parser;
  auto on_event = [&](const lgw::sse_event_view &ev) {
    out.events.push_back({std::string(ev.event), std::string(ev.data), std::string(ev.id)});
  };
  std::string buffer;
  std::size_t pos = 0;
  for (std::size_t len : sizes) {
    buffer.assign(in.substr(pos, len));
    parser.feed(buffer, on_event);
    buffer.assign(buffer.size(), '\x7f');
    pos += len;
  }
  out.last_event_id = parser.last_event_id();
  out.retry = parser.retry();
  out.finish_clean = parser.finish();
  return out;
}

// ---- reference parser: the WHATWG rules over the whole buffer --------------------------

outcome reference(std::string_view in) {
  outcome out;
  static constexpr std::string_view bom = "\xEF\xBB\xBF";
  bool partial_bom = false;
  if (in.substr(0, 3) == bom)
    in.remove_prefix(3);
  else if (!in.empty() && in.size() < 3 && bom.substr(0, in.size()) == in) { // a BOM cut short
    in = {};
    partial_bom = true;
  }
  std::string event_type, data, id, committed_id;
  bool has_data = false, in_event = false;
  std::size_t i = 0;
  for (;;) {
    std::size_t eol = in.find_first_of("\r\n", i);
    if (eol == std::string_view::npos) break; // the unterminated rest is dropped
    std::string_view line = in.substr(i, eol - i);
    i = eol + 1;
    if (in[eol] == '\r' && i < in.size() && in[i] == '\n') ++i;

    if (line.empty()) { // dispatch
      committed_id = id;
      if (has_data) out.events.push_back({event_type.empty() ? "message" : event_type, data, id});
      event_type.clear();
      data.clear();
      has_data = false;
      in_event = false;
      continue;
    }
    if (line[0] == ':') continue; // comment
    in_event = true;
    std::size_t colon = line.find(':');
    std::string_view field = line.substr(0, colon), value;
    if (colon != std::string_view::npos) {
      value = line.substr(colon + 1);
      if (!value.empty() && value[0] == ' ') value.remove_prefix(1);
    }
    if (field == "data") {
      if (has_data) data += '\n';
      data.append(value);
      has_data = true;
    } else if (field == "event") {
      event_type = std::string(value);
    } else if (field == "id") {
      if (value.find('\0') == std::string_view::npos) id = std::string(value);
    } else if (field == "retry") {
      bool digits = !value.empty();
      std::uint64_t v = 0;
      for (char c : value) {
        if (c < '0' || c > '9') {
          digits = false;
          break;
        }
        const std::uint64_t d = std::uint64_t(c - '0');
        v = v > (UINT64_MAX - d) / 10 ? UINT64_MAX : v * 10 + d; // strtoull saturates
      }
      if (digits) out.retry = v;
    }
  }
  out.last_event_id = committed_id;
  out.finish_clean = i == in.size() && !in_event && !partial_bom;
  return out;
}

// ---- comparing -------------------------------------------------------------------------

std::string show(std::string_view s) {
  std::string r;
  for (unsigned char c : s.substr(0, 200)) {
    if (c >= 0x20 && c < 0x7f && c != '\\')
      r += char(c);
    else {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\x%02x", c);
      r += buf;
    }
  }
  if (s.size() > 200) r += "...";
  return r;
}

void describe(const char *name, const outcome &o) {
  std::fprintf(stderr, "%s: %zu events, finish=%d stopped=%d threw=%d last_event_id=\"%s\" retry=%s\n", name,
               o.events.size(), o.finish_clean, o.stopped, o.threw, show(o.last_event_id).c_str(),
               o.retry ? std::to_string(*o.retry).c_str() : "none");
  for (std::size_t i = 0; i < o.events.size() && i < 20; ++i)
    std::fprintf(stderr, "  [%zu] event=\"%s\" data=\"%s\" id=\"%s\"\n", i, show(o.events[i].event).c_str(),
                 show(o.events[i].data).c_str(), show(o.events[i].id).c_str());
}

[[noreturn]] void mismatch(const char *what, const char *name_a, const outcome &a, const char *name_b, const outcome &b,
                           const std::vector<std::size_t> *sizes = nullptr) {
  std::fprintf(stderr, "\nsse_parser fuzz: MISMATCH (%s)\n", what);
  describe(name_a, a);
  describe(name_b, b);
  if (sizes) {
    std::fprintf(stderr, "chunk sizes:");
    for (std::size_t i = 0; i < sizes->size() && i < 64; ++i) std::fprintf(stderr, " %zu", (*sizes)[i]);
    std::fprintf(stderr, sizes->size() > 64 ? " ...\n" : "\n");
  }
  __builtin_trap();
}

void expect_same(const char *name_a, const outcome &a, const char *name_b, const outcome &b,
                 const std::vector<std::size_t> *sizes = nullptr) {
  if (a.events != b.events) mismatch("events", name_a, a, name_b, b, sizes);
  if (a.finish_clean != b.finish_clean) mismatch("finish()", name_a, a, name_b, b, sizes);
  if (a.stopped != b.stopped || a.threw != b.threw) mismatch("stop/throw", name_a, a, name_b, b, sizes);
  if (a.last_event_id != b.last_event_id) mismatch("last_event_id()", name_a, a, name_b, b, sizes);
  if (a.retry != b.retry) mismatch("retry()", name_a, a, name_b, b, sizes);
}

bool is_prefix(const std::vector<parsed> &a, const std::vector<parsed> &b) {
  return a.size() <= b.size() && std::equal(a.begin(), a.end(), b.begin());
}

constexpr std::size_t no_limit = std::size_t(64) << 20;

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *bytes, std::size_t size) {
  const std::string_view in(reinterpret_cast<const char *>(bytes), size);
  splitmix rng{fnv1a(bytes, size)};

  // 1. One piece, against the reference parser.
  const std::vector<std::size_t> whole_sizes{size};
  const outcome whole = run(in, whole_sizes, no_limit);
  expect_same("reference", reference(in), "one piece", whole);

  // 2. Random chunkings: tiny chunks (0..8 bytes, empty chunks included) and large ones.
  const std::vector<std::size_t> small = random_chunks(size, rng, 8);
  expect_same("one piece", whole, "small chunks", run(in, small, no_limit), &small);
  const std::vector<std::size_t> large = random_chunks(size, rng, size);
  expect_same("one piece", whole, "large chunks", run(in, large, no_limit), &large);

  // 3. One byte at a time.
  const std::vector<std::size_t> bytewise(size, 1);
  expect_same("one piece", whole, "one byte at a time", run(in, bytewise, no_limit));

  // 3b. The zero-copy callback, with chunk buffers reused.
  expect_same("one piece", whole, "views, small chunks", run_views(in, small), &small);

  // 4. A callback that returns false stops at the same event whatever the chunking.
  if (!whole.events.empty()) {
    const std::size_t stop_at = rng.below(whole.events.size());
    const outcome a = run(in, whole_sizes, no_limit, stop_at);
    const outcome b = run(in, small, no_limit, stop_at);
    if (!a.stopped || a.events.size() != stop_at + 1 || !is_prefix(a.events, whole.events))
      mismatch("stop in one piece", "one piece", whole, "one piece, stopped", a);
    expect_same("one piece, stopped", a, "small chunks, stopped", b, &small);
  }

  // 5. A small event-size limit.
  const std::size_t limit = 1 + rng.below(256);
  const outcome lw = run(in, whole_sizes, limit);
  const std::vector<std::size_t> mixed = random_chunks(size, rng, 1 + rng.below(64));
  const outcome lc = run(in, mixed, limit);
  for (const outcome *o : {&lw, &lc})
    for (const parsed &e : o->events)
      if (e.data.size() > limit)
        mismatch("event over max_event_bytes delivered", "one piece", lw, "chunks", lc, &mixed);
  if (!lw.threw)
    expect_same("one piece", whole, "one piece, small limit", lw);
  else if (!is_prefix(lw.events, whole.events))
    mismatch("events before the size error", "one piece", whole, "one piece, small limit", lw);
  if (!lw.threw && !lc.threw) {
    expect_same("one piece, small limit", lw, "chunks, small limit", lc, &mixed);
  } else if (lw.threw != lc.threw) {
    mismatch("size error depends on the chunking", "one piece", lw, "chunks", lc, &mixed);
  } else if (!is_prefix(lc.events, lw.events) && !is_prefix(lw.events, lc.events)) {
    mismatch("events before the size error", "one piece", lw, "chunks", lc, &mixed);
  }
  return 0;
}
