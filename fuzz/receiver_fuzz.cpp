// libFuzzer target for the receiver's request handling: what a connection of the socket
// transport does with the bytes it receives, without sockets.
//
// The input is two bytes of set-up, then the connection's byte stream. The first two bytes,
// little-endian, give the position where the stream is cut into two reads (modulo the stream's
// length + 1; bit 15 set: the receiver has a secret, "s3cr3t"). The seed corpus in
// fuzz/corpus/receiver/ holds real requests behind such a prefix.
//
// Requests are served one after the other as the transport serves them (at most 16): the head
// (detail::request_head_reader, fed again with more bytes after each read), its framing
// (detail::framing_of), check_head, the body (detail::chunked_decoder, or Content-Length bytes),
// handle, and the next request unless the connection ends (detail::wants_close, a refusal, or
// no more bytes). The receiver is a basic_webhook_server<mock_server_transport> with small
// limits (64 KiB bodies, 4 KiB heads, 32 fields, JSON depth 32) and an event callback that
// throws for run ids starting with "throw".
//
// For each request it checks that
//   * the head read in two reads, read one byte more at a time, and read from all the bytes
//     at once agree (state, method, target, fields, size(), minor_version(), refusal);
//   * size() never exceeds the bytes given, nor max_head_bytes (every byte of the head counts,
//     its last LF included); a complete head is well formed (token method and
//     field names, a target of visible ASCII, values without CTLs or surrounding OWS, at most
//     max_header_count fields, version 1.0 or 1.1, a later 1.x read as 1.1);
//   * refusals are only 400, 408, 413, 414, 415, 431, 501 or 505, each with a reason;
//   * a chunked body decoded in two reads, one byte at a time and all at once agree (body,
//     bytes consumed, done, refusal), never exceeds max_body_bytes, and consumption never
//     goes beyond the bytes given;
//   * check_head answers only 401, 404, 405, 413 or 415, and handle only 200, 400, 401, 404,
//     405, 413, 415, 422, 500 or 503 — after check_head passed, never one of its own answers —
//     each with a JSON body that has a "detail"; neither throws.
// Any violation prints what differed and calls __builtin_trap(). With RECEIVER_FUZZ_TRACE set
// in the environment, each step is printed (to follow a reproducer: build/fuzz/receiver_fuzz FILE).
//
// Build and run: scripts/fuzz [seconds]
#ifndef LANGGRAPH_WEBHOOKS_NO_HTTPLIB
#define LANGGRAPH_WEBHOOKS_NO_HTTPLIB
#endif
#include "langgraph_webhooks.hpp"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <initializer_list>
#include <stdexcept>
#include <string>
#include <string_view>

namespace lgw = langgraph::webhooks;
namespace detail = lgw::detail;

namespace {

constexpr std::size_t max_body = std::size_t(64) << 10;
constexpr std::size_t max_head = std::size_t(4) << 10;
constexpr std::size_t max_fields = 32;
constexpr std::size_t max_requests = 16;

using head_reader = detail::request_head_reader;
using head_state = head_reader::state;

std::string show(std::string_view s) {
  std::string r;
  for (unsigned char c : s.substr(0, 300)) {
    if (c >= 0x20 && c < 0x7f && c != '\\') {
      r += char(c);
    } else {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\x%02x", c);
      r += buf;
    }
  }
  if (s.size() > 300) r += "...";
  return r;
}

[[noreturn]] void fail(const char *what, std::string_view context, const std::string &detail_text = {}) {
  std::fprintf(stderr, "\nreceiver fuzz: VIOLATION: %s\n  %s\n  bytes: \"%s\"\n", what, detail_text.c_str(),
               show(context).c_str());
  __builtin_trap();
}

void trace(const std::string &line) {
  static const bool on = std::getenv("RECEIVER_FUZZ_TRACE") != nullptr;
  if (on) std::fprintf(stderr, "receiver fuzz: %s\n", line.c_str());
}

bool one_of(int status, std::initializer_list<int> allowed) {
  return std::find(allowed.begin(), allowed.end(), status) != allowed.end();
}

// A refusal of a request from its head, framing or body: a status a connection may answer with
// (400, 408, 413, 414, 415, 431, 501, 505), one that this step may give, and a reason.
bool refusal_ok(const detail::http_refusal &r, std::initializer_list<int> of_this_step) {
  return one_of(r.status, {400, 408, 413, 414, 415, 431, 501, 505}) && one_of(r.status, of_this_step) &&
         !r.reason.empty();
}

// ---- the connection: its bytes arrive in two reads ---------------------------------------

struct connection {
  std::string_view stream;
  std::size_t split = 0;    // end of the first read
  std::size_t received = 0; // bytes of `stream` received so far
  std::string in;           // received and not used yet

  // The next read: false when the peer sent everything (the connection ends).
  bool receive() {
    if (received == stream.size()) return false;
    const std::size_t to = received < split ? split : stream.size();
    in.append(stream.substr(received, to - received));
    received = to;
    return true;
  }
  // Everything not used yet, received or not: what a reader fed all at once would see.
  std::string all_left() const { return in + std::string(stream.substr(received)); }
};

// ---- the head ------------------------------------------------------------------------------

struct head_result {
  head_state state = head_state::incomplete;
  lgw::http_request req;
  std::size_t size = 0;
  int minor = -1;
  lgw::detail::http_refusal refusal;
};

bool same(const head_result &a, const head_result &b) {
  if (a.state != b.state || a.refusal.status != b.refusal.status || a.refusal.reason != b.refusal.reason) return false;
  if (a.state != head_state::complete) return true;
  return a.req.method == b.req.method && a.req.target == b.req.target && a.req.headers == b.req.headers &&
         a.size == b.size && a.minor == b.minor;
}

std::string describe(const head_result &r) {
  std::string s = r.state == head_state::complete ? "complete"
                  : r.state == head_state::refused
                      ? "refused " + std::to_string(r.refusal.status) + " (" + r.refusal.reason + ")"
                      : "incomplete";
  if (r.state == head_state::complete) {
    s += " size=" + std::to_string(r.size) + " minor=" + std::to_string(r.minor) + " " + show(r.req.method) + " " +
         show(r.req.target) + " fields=" + std::to_string(r.req.headers.size());
    for (const auto &h : r.req.headers) s += " [" + show(h.first) + ": " + show(h.second) + "]";
  }
  return s;
}

head_result finish(const head_reader &reader, head_state st, lgw::http_request req, std::size_t fed) {
  head_result r;
  r.state = st;
  r.refusal = reader.refusal();
  if (st == head_state::complete) {
    r.req = std::move(req);
    r.size = reader.size();
    r.minor = reader.minor_version();
    if (r.size > fed) fail("head size() beyond the bytes given", {}, describe(r) + " fed=" + std::to_string(fed));
  }
  return r;
}

head_result read_head_whole(std::string_view data) {
  head_reader reader(max_head, max_fields);
  lgw::http_request req;
  const head_state st = reader.feed(data, req);
  return finish(reader, st, std::move(req), data.size());
}

head_result read_head_bytewise(std::string_view data) {
  head_reader reader(max_head, max_fields);
  lgw::http_request req;
  head_state st = head_state::incomplete;
  std::size_t n = 0;
  for (; n <= data.size() && st == head_state::incomplete; ++n) st = reader.feed(data.substr(0, n), req);
  return finish(reader, st, std::move(req), n - 1);
}

bool tchar_string(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s)
    if (!detail::is_tchar(static_cast<unsigned char>(c))) return false;
  return true;
}

void check_head_shape(const head_result &r, std::string_view context) {
  if (r.state == head_state::refused) {
    if (!refusal_ok(r.refusal, {400, 414, 431, 505})) fail("head refusal status or reason", context, describe(r));
    return;
  }
  if (r.state != head_state::complete) return;
  if (r.size > max_head) fail("head larger than max_head_bytes", context, describe(r));
  if (r.minor != 0 && r.minor != 1) fail("minor version", context, describe(r));
  if (!tchar_string(r.req.method)) fail("method is not a token", context, describe(r));
  if (r.req.target.empty()) fail("empty target", context, describe(r));
  for (unsigned char c : r.req.target)
    if (c <= 0x20 || c >= 0x7f) fail("target with a space, CTL or non-ASCII byte", context, describe(r));
  if (r.req.headers.size() > max_fields) fail("more fields than max_header_count", context, describe(r));
  for (const auto &h : r.req.headers) {
    if (!tchar_string(h.first)) fail("field name is not a token", context, describe(r));
    const std::string &v = h.second;
    if (!v.empty() && (v.front() == ' ' || v.front() == '\t' || v.back() == ' ' || v.back() == '\t'))
      fail("field value with OWS around it", context, describe(r));
    for (unsigned char c : v)
      if ((c < 0x20 && c != '\t') || c == 0x7f) fail("field value with a CTL", context, describe(r));
  }
  if (!r.req.body.empty()) fail("the head reader filled in a body", context, describe(r));
}

// ---- the chunked body ------------------------------------------------------------------

struct body_result {
  std::string body;
  std::size_t consumed = 0;
  bool done = false;
  lgw::detail::http_refusal refusal;
};

bool same(const body_result &a, const body_result &b) {
  return a.body == b.body && a.consumed == b.consumed && a.done == b.done && a.refusal.status == b.refusal.status &&
         a.refusal.reason == b.refusal.reason;
}

std::string describe(const body_result &r) {
  return "body=" + std::to_string(r.body.size()) + " bytes \"" + show(r.body) +
         "\" consumed=" + std::to_string(r.consumed) + " done=" + std::to_string(r.done) +
         " refusal=" + std::to_string(r.refusal.status) + " (" + r.refusal.reason + ")";
}

// Feeds `data` in pieces of `step` bytes (0: all at once), keeping what was not used.
body_result decode(std::string_view data, std::size_t step) {
  detail::chunked_decoder d(max_body, max_head);
  body_result r;
  std::string buffered;
  std::size_t at = 0;
  do {
    const std::size_t n = step == 0 ? data.size() - at : std::min(step, data.size() - at);
    buffered.append(data.substr(at, n));
    at += n;
    const std::size_t used = d.feed(buffered, r.body);
    if (used > buffered.size()) fail("chunked decoder used more bytes than it was given", data);
    buffered.erase(0, used);
    r.consumed += used;
  } while (at < data.size() && !d.done() && !d.refusal());
  r.done = d.done();
  r.refusal = d.refusal();
  return r;
}

void check_body_shape(const body_result &r, std::string_view context) {
  if (r.body.size() > max_body) fail("chunked body over max_body_bytes", context, describe(r));
  if (r.done && r.refusal) fail("chunked body both done and refused", context, describe(r));
  if (r.refusal && !refusal_ok(r.refusal, {400, 413, 431}))
    fail("chunked refusal status or reason", context, describe(r));
}

// ---- the receiver's answers ------------------------------------------------------------

void check_answer(const lgw::http_response &res, std::initializer_list<int> allowed, const char *who,
                  std::string_view context) {
  if (!one_of(res.status, allowed)) fail(who, context, "status " + std::to_string(res.status) + ": " + res.body);
  const auto body = nlohmann::json::parse(res.body, nullptr, false);
  if (body.is_discarded() || !body.is_object() || !body.contains("detail") || !body["detail"].is_string())
    fail("answer body is not JSON with a detail", context, std::string(who) + ": " + res.body);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *bytes, std::size_t size) {
  if (size < 2) return 0;
  const unsigned setup = unsigned(bytes[0]) | (unsigned(bytes[1]) << 8);
  connection conn;
  conn.stream = std::string_view(reinterpret_cast<const char *>(bytes) + 2, size - 2);
  conn.split = (setup & 0x7fff) % (conn.stream.size() + 1);

  lgw::webhook_server_options o;
  o.path = "/hook";
  o.require_secret = false;
  if (setup & 0x8000) o.secret = "s3cr3t";
  o.max_body_bytes = max_body;
  o.max_head_bytes = max_head;
  o.max_header_count = max_fields;
  o.max_json_depth = 32;
  lgw::basic_webhook_server<lgw::mock_server_transport> hooks(o);
  hooks.on_event([](const lgw::webhook_event &e) {
    if (e.run_id.compare(0, 5, "throw") == 0) throw std::runtime_error("the callback failed");
  });

  conn.receive();
  for (std::size_t served = 0; served < max_requests; ++served) {
    // The head: fed again after every read, as the transport does.
    const std::string left = conn.all_left();
    head_reader reader(max_head, max_fields);
    lgw::http_request req;
    head_state st;
    while ((st = reader.feed(conn.in, req)) == head_state::incomplete && conn.receive()) {
    }
    const head_result incremental = finish(reader, st, req, conn.in.size());
    const head_result whole = read_head_whole(left);
    const head_result bytewise = read_head_bytewise(left);
    if (!same(incremental, whole))
      fail("head read in two reads differs from all at once", left,
           describe(incremental) + "\n  vs " + describe(whole));
    if (!same(bytewise, whole))
      fail("head read byte by byte differs from all at once", left, describe(bytewise) + "\n  vs " + describe(whole));
    check_head_shape(whole, left);
    trace("request " + std::to_string(served) + ": head " + describe(incremental));
    if (st != head_state::complete) break; // refused (answered, closed) or the peer stopped sending
    conn.in.erase(0, reader.size());

    // The framing and the receiver's judgement, before any of the body is read.
    const detail::body_framing framing = detail::framing_of(req, reader.minor_version());
    trace(framing.refusal
              ? "framing refused " + std::to_string(framing.refusal.status) + " (" + framing.refusal.reason + ")"
          : framing.chunked ? "framing: chunked"
                            : "framing: length " + std::to_string(framing.length));
    if (framing.refusal) {
      if (!refusal_ok(framing.refusal, {400, 501}))
        fail("framing refusal status or reason", left, std::to_string(framing.refusal.status));
      break;
    }
    if (framing.chunked &&
        (framing.length != 0 || reader.minor_version() != 1 || !req.header("Content-Length").empty()))
      fail("chunked framing of a head that cannot be chunked", left, describe(whole));
    if (!framing.chunked && req.header("Content-Length").empty() && framing.length != 0)
      fail("a length without Content-Length", left, describe(whole));
    try {
      if (auto refused = hooks.check_head(req)) {
        trace("check_head: " + std::to_string(refused->status) + " " + refused->body);
        check_answer(*refused, {401, 404, 405, 413, 415}, "check_head answered a status it must not", left);
        break;
      }
    } catch (const std::exception &e) {
      fail("check_head threw", left, e.what());
    }
    if (!framing.chunked && framing.length > max_body) break; // 413, as the transport answers

    // The body.
    if (framing.chunked) {
      const std::string body_left = conn.all_left();
      detail::chunked_decoder decoder(max_body, max_head);
      body_result got;
      for (;;) {
        const std::size_t used = decoder.feed(conn.in, req.body);
        if (used > conn.in.size()) fail("chunked decoder used more bytes than it was given", body_left);
        conn.in.erase(0, used);
        got.consumed += used;
        if (req.body.size() > max_body) fail("chunked body over max_body_bytes", body_left);
        if (decoder.refusal() || decoder.done() || !conn.receive()) break;
      }
      got.body = req.body;
      got.done = decoder.done();
      got.refusal = decoder.refusal();
      check_body_shape(got, body_left);
      trace("chunked body: " + describe(got));
      const body_result all = decode(body_left, 0);
      if (!same(got, all))
        fail("chunked body in two reads differs from all at once", body_left,
             describe(got) + "\n  vs " + describe(all));
      const body_result one = decode(body_left, 1);
      if (!same(one, all))
        fail("chunked body byte by byte differs from all at once", body_left,
             describe(one) + "\n  vs " + describe(all));
      if (!got.done) break; // refused, or the peer stopped sending
    } else {
      const std::size_t length = std::size_t(framing.length);
      while (conn.in.size() < length && conn.receive()) {
      }
      if (conn.in.size() < length) break; // the peer stopped sending
      req.body.assign(conn.in, 0, length);
      conn.in.erase(0, length);
    }
    if (req.body.size() > max_body) fail("body over max_body_bytes", left);

    // The delivery.
    const bool close = detail::wants_close(req, reader.minor_version());
    try {
      trace("handle: body of " + std::to_string(req.body.size()) + " bytes" + (close ? ", then close" : ""));
      const lgw::http_response res = hooks.handle(std::move(req));
      trace("handle: " + std::to_string(res.status) + " " + res.body);
      check_answer(res, {200, 400, 401, 404, 405, 413, 415, 422, 500, 503}, "handle answered a status it must not",
                   left);
      if (one_of(res.status, {401, 404, 405, 413, 415}))
        fail("handle refused what check_head passed", left, std::to_string(res.status) + ": " + res.body);
    } catch (const std::exception &e) {
      fail("handle threw", left, e.what());
    }
    if (close) break;
    if (conn.in.empty() && !conn.receive()) break;
  }
  return 0;
}
