// The receiver's own HTTP/1.1 reading (RFC 9112), without sockets: the request head reader and
// its byte and field limits, the body framing a head announces, whether the client asks to
// close, and the chunked-body decoder with its limits. Incremental input is checked at every
// split position and one byte at a time.
#include "langgraph_webhooks.hpp"

#include "test_support.hpp"

#include <doctest/doctest.h>

#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

using namespace std::string_literals;

namespace {

using head_reader = lgw::detail::request_head_reader;
using head_state = head_reader::state;

// Everything a head reader tells about one input.
struct head_result {
  head_state state = head_state::incomplete;
  lgw::http_request req;
  std::size_t size = 0;
  int minor = -1;
  int status = 0;
  std::string reason;
  bool operator==(const head_result &o) const {
    return state == o.state && req.method == o.req.method && req.target == o.req.target &&
           req.headers == o.req.headers && size == o.size && minor == o.minor && status == o.status &&
           reason == o.reason;
  }
};

constexpr std::size_t big = 1 << 16;

head_result result_of(const head_reader &r, head_state st, lgw::http_request req) {
  head_result out;
  out.state = st;
  out.req = std::move(req);
  out.size = st == head_state::complete ? r.size() : 0;
  out.minor = st == head_state::complete ? r.minor_version() : -1;
  out.status = r.refusal().status;
  out.reason = r.refusal().reason;
  return out;
}

// The whole input in one feed.
head_result read_head(std::string_view in, std::size_t max_bytes = big, std::size_t max_fields = 100) {
  head_reader r(max_bytes, max_fields);
  lgw::http_request req;
  const head_state st = r.feed(in, req);
  return result_of(r, st, std::move(req));
}

// The first `split` bytes, then (if the head is still incomplete) everything: the way a
// connection calls it, with the same prefix and more bytes.
head_result read_head_split(std::string_view in, std::size_t split, std::size_t max_bytes = big,
                            std::size_t max_fields = 100) {
  head_reader r(max_bytes, max_fields);
  lgw::http_request req;
  head_state st = r.feed(in.substr(0, split), req);
  if (st == head_state::incomplete) st = r.feed(in, req);
  return result_of(r, st, std::move(req));
}

// One byte more at each call.
head_result read_head_bytewise(std::string_view in, std::size_t max_bytes = big, std::size_t max_fields = 100) {
  head_reader r(max_bytes, max_fields);
  lgw::http_request req;
  head_state st = head_state::incomplete;
  for (std::size_t n = 0; n <= in.size() && st == head_state::incomplete; ++n) st = r.feed(in.substr(0, n), req);
  return result_of(r, st, std::move(req));
}

// The whole-input result, after checking that every split position and byte-at-a-time
// feeding give exactly the same one.
head_result read_head_every_way(std::string_view in, std::size_t max_bytes = big, std::size_t max_fields = 100) {
  const head_result whole = read_head(in, max_bytes, max_fields);
  for (std::size_t split = 0; split <= in.size(); ++split) {
    CAPTURE(split);
    REQUIRE(read_head_split(in, split, max_bytes, max_fields) == whole);
  }
  REQUIRE(read_head_bytewise(in, max_bytes, max_fields) == whole);
  return whole;
}

int refusal_of(std::string_view in, std::size_t max_bytes = big, std::size_t max_fields = 100) {
  const head_result r = read_head(in, max_bytes, max_fields);
  CHECK(r.state == head_state::refused);
  CHECK_FALSE(r.reason.empty());
  return r.status;
}

lgw::http_request head_with(lgw::http_headers headers) {
  lgw::http_request h;
  h.method = "POST";
  h.target = "/hook";
  h.headers = std::move(headers);
  return h;
}

lgw::detail::body_framing framing(lgw::http_headers headers, int minor = 1) {
  return lgw::detail::framing_of(head_with(std::move(headers)), minor);
}

bool closes(lgw::http_headers headers, int minor = 1) {
  return lgw::detail::wants_close(head_with(std::move(headers)), minor);
}

// Everything a chunked decoder tells about one input.
struct chunked_result {
  std::string body;
  std::size_t consumed = 0;
  bool done = false;
  int status = 0;
  std::string reason;
  bool operator==(const chunked_result &o) const {
    return body == o.body && consumed == o.consumed && done == o.done && status == o.status && reason == o.reason;
  }
};

chunked_result result_of(const lgw::detail::chunked_decoder &d, std::string body, std::size_t consumed) {
  chunked_result out;
  out.body = std::move(body);
  out.consumed = consumed;
  out.done = d.done();
  out.status = d.refusal().status;
  out.reason = d.refusal().reason;
  return out;
}

chunked_result decode(std::string_view in, std::size_t max_body = big, std::size_t max_trailer = 1024) {
  lgw::detail::chunked_decoder d(max_body, max_trailer);
  std::string body;
  const std::size_t n = d.feed(in, body);
  return result_of(d, std::move(body), n);
}

// The input cut at `cuts` (increasing positions), each piece fed after what is left of the
// previous ones, as a connection does: `consumed` counts the bytes the decoder used in all.
chunked_result decode_pieces(std::string_view in, const std::vector<std::size_t> &cuts, std::size_t max_body = big,
                             std::size_t max_trailer = 1024) {
  lgw::detail::chunked_decoder d(max_body, max_trailer);
  std::string body, buffered;
  std::size_t consumed = 0, from = 0;
  std::vector<std::size_t> ends = cuts;
  ends.push_back(in.size());
  for (std::size_t end : ends) {
    buffered.append(in.substr(from, end - from));
    from = end;
    const std::size_t n = d.feed(buffered, body);
    REQUIRE(n <= buffered.size());
    buffered.erase(0, n);
    consumed += n;
    if (d.done() || d.refusal()) break;
  }
  return result_of(d, std::move(body), consumed);
}

chunked_result decode_every_way(std::string_view in, std::size_t max_body = big, std::size_t max_trailer = 1024) {
  const chunked_result whole = decode(in, max_body, max_trailer);
  for (std::size_t split = 0; split <= in.size(); ++split) {
    CAPTURE(split);
    REQUIRE(decode_pieces(in, {split}, max_body, max_trailer) == whole);
  }
  std::vector<std::size_t> every;
  for (std::size_t i = 1; i < in.size(); ++i) every.push_back(i);
  REQUIRE(decode_pieces(in, every, max_body, max_trailer) == whole);
  return whole;
}

} // namespace

// ---- the request head ------------------------------------------------------------------

TEST_CASE("http1: a head gives method, target and the fields in order, values without OWS") {
  const std::string in = "POST /hook?token=a%20b HTTP/1.1\r\n"
                         "Host: 127.0.0.1:8123\r\n"
                         "Content-Type:text/plain;charset=UTF-8\r\n"
                         "X-Padded: \t  a  value \t\r\n"
                         "X-Empty:\r\n"
                         "X-Blank:   \r\n"
                         "x-dup: 1\r\n"
                         "X-Dup: 2\r\n"
                         "X-Obs-Text: caf\xC3\xA9\r\n"
                         "\r\n";
  const head_result r = read_head(in);
  REQUIRE(r.state == head_state::complete);
  CHECK(r.req.method == "POST");
  CHECK(r.req.target == "/hook?token=a%20b");
  CHECK(r.req.headers == lgw::http_headers{{"Host", "127.0.0.1:8123"},
                                           {"Content-Type", "text/plain;charset=UTF-8"},
                                           {"X-Padded", "a  value"},
                                           {"X-Empty", ""},
                                           {"X-Blank", ""},
                                           {"x-dup", "1"},
                                           {"X-Dup", "2"},
                                           {"X-Obs-Text", "caf\xC3\xA9"}});
  CHECK(r.req.header("x-DUP") == "1");
  CHECK(r.req.body.empty());
  CHECK(r.size == in.size());
  CHECK(r.minor == 1);
  CHECK(r.status == 0);
}

TEST_CASE("http1: a head without fields, and a field-less request line with only LF") {
  const head_result crlf = read_head("GET / HTTP/1.1\r\n\r\n");
  REQUIRE(crlf.state == head_state::complete);
  CHECK(crlf.req.method == "GET");
  CHECK(crlf.req.target == "/");
  CHECK(crlf.req.headers.empty());
  CHECK(crlf.size == 18);
  const head_result lf = read_head("OPTIONS * HTTP/1.1\n\n");
  REQUIRE(lf.state == head_state::complete);
  CHECK(lf.req.method == "OPTIONS");
  CHECK(lf.req.target == "*");
  CHECK(lf.size == 20);
}

TEST_CASE("http1: bare LF line ends read as CRLF ones, also mixed") {
  const std::string crlf = "POST /hook HTTP/1.1\r\nHost: h\r\nContent-Length: 2\r\n\r\n";
  const std::string lf = "POST /hook HTTP/1.1\nHost: h\nContent-Length: 2\n\n";
  const std::string mixed = "POST /hook HTTP/1.1\nHost: h\r\nContent-Length: 2\n\r\n";
  const head_result a = read_head(crlf), b = read_head(lf), c = read_head(mixed);
  REQUIRE(a.state == head_state::complete);
  REQUIRE(b.state == head_state::complete);
  REQUIRE(c.state == head_state::complete);
  const lgw::http_headers expected{{"Host", "h"}, {"Content-Length", "2"}};
  CHECK(a.req.headers == expected);
  CHECK(b.req.headers == expected);
  CHECK(c.req.headers == expected);
  CHECK(b.req.method == "POST");
  CHECK(b.req.target == "/hook");
  CHECK(a.size == crlf.size());
  CHECK(b.size == lf.size());
  CHECK(c.size == mixed.size());
}

TEST_CASE("http1: empty lines before the request line are skipped, and size() includes them") {
  const std::string in = "\r\n\n\r\nGET /x HTTP/1.1\r\nA: b\r\n\r\n";
  const head_result r = read_head(in);
  REQUIRE(r.state == head_state::complete);
  CHECK(r.req.method == "GET");
  CHECK(r.req.target == "/x");
  CHECK(r.req.headers == lgw::http_headers{{"A", "b"}});
  CHECK(r.size == in.size());
  // only empty lines: still waiting for a request line
  CHECK(read_head("\r\n\r\n\n").state == head_state::incomplete);
}

TEST_CASE("http1: an unfinished head stays incomplete until its empty line arrives") {
  const std::string head = "POST /hook HTTP/1.1\r\nHost: h\r\n";
  head_reader r(big, 100);
  lgw::http_request req;
  CHECK(r.feed(head, req) == head_state::incomplete);
  CHECK(r.feed(head + "\r", req) == head_state::incomplete);
  CHECK(r.feed(head + "\r\n", req) == head_state::complete);
  CHECK(req.headers == lgw::http_headers{{"Host", "h"}});
  CHECK(r.size() == head.size() + 2);
}

TEST_CASE("http1: a head split at every byte position reads as the whole one") {
  const std::vector<std::string> inputs{
      "POST /hook?token=t HTTP/1.1\r\nHost: h\r\nContent-Type: text/plain\r\nContent-Length: 2\r\n\r\n{}",
      "POST /hook HTTP/1.0\nA:  b \nC:\td\n\nrest",
      "\r\n\nGET / HTTP/1.1\r\nX: 1\r\n\r\nGET /next HTTP/1.1\r\n\r\n",
      "GET / HTTP/1.1\r\nX: a\r\n folded\r\n\r\n",          // refused: obs-fold
      "GET / HTTP/1.1\r\nX: a\rb\r\n\r\n",                  // refused: bare CR
      "GET / HTTP/2.0\r\n\r\n",                             // refused: 505
      "GET / HTTP/1.1\r\nA: 1\r\nB: 2\r\nC: 3\r\n\r\n",     // refused below: too many fields
      "GET /" + std::string(80, 'a') + " HTTP/1.1\r\n\r\n", // refused below: request line too long
  };
  for (const std::string &in : inputs) {
    CAPTURE(in);
    const head_result whole = read_head_every_way(in);
    CHECK(whole.state != head_state::incomplete);
    if (whole.state == head_state::complete) CHECK(whole.size <= in.size());
    // the same with small limits, where some of them are refused
    const head_result limited = read_head_every_way(in, 64, 2);
    CHECK(limited.state != head_state::incomplete);
  }
  CHECK(read_head_every_way(inputs[3]).status == 400);
  CHECK(read_head_every_way(inputs[4]).status == 400);
  CHECK(read_head_every_way(inputs[5]).status == 505);
  CHECK(read_head_every_way(inputs[6], big, 2).status == 431);
  CHECK(read_head_every_way(inputs[7], 64).status == 414);
}

TEST_CASE("http1: size() ends at the head; pipelined bytes after it are left for the next read") {
  const std::string first = "POST /hook HTTP/1.1\r\nContent-Length: 5\r\n\r\n";
  const std::string second = "GET /status HTTP/1.1\r\nHost: h\r\n\r\n";
  const std::string stream = first + "hello" + second + "POST /third HT";
  const head_result a = read_head_every_way(stream);
  REQUIRE(a.state == head_state::complete);
  CHECK(a.size == first.size());
  CHECK(a.req.target == "/hook");
  CHECK(a.req.body.empty()); // the body is not the reader's
  const std::string_view rest = std::string_view(stream).substr(a.size + 5);
  const head_result b = read_head_every_way(rest);
  REQUIRE(b.state == head_state::complete);
  CHECK(b.req.method == "GET");
  CHECK(b.req.target == "/status");
  CHECK(b.size == second.size());
  CHECK(read_head(rest.substr(b.size)).state == head_state::incomplete);
}

// ---- the byte limit --------------------------------------------------------------------

TEST_CASE("http1: a request line longer than max_bytes is refused 414") {
  const std::string in = "GET /" + std::string(2000, 'a') + " HTTP/1.1\r\n\r\n";
  CHECK(refusal_of(in, 1024) == 414);
  CHECK(read_head(in, 4096).state == head_state::complete);
}

TEST_CASE("http1: a head larger than max_bytes is refused 431") {
  std::string in = "POST /hook HTTP/1.1\r\n";
  for (int i = 0; i < 100; ++i) in += "X-Field-" + std::to_string(i) + ": some value\r\n";
  in += "\r\n";
  CHECK(refusal_of(in, 1024) == 431);
  CHECK(read_head(in, 4096).state == head_state::complete);
  // one long field line, too
  CHECK(refusal_of("POST /hook HTTP/1.1\r\nX: " + std::string(2000, 'v') + "\r\n\r\n", 1024) == 431);
}

// The limit counts every byte of the head, its final blank line included: a head of exactly
// max_bytes is the largest accepted.
TEST_CASE("http1: the exact byte-limit boundary, for the head and for the request line") {
  const std::string line = "POST /hook HTTP/1.1\r\n";
  const std::string head = line + "Host: h\r\nX: 0123456789\r\n\r\n";
  {
    const head_result at = read_head(head, head.size());
    REQUIRE(at.state == head_state::complete);
    CHECK(at.size == head.size());
    CHECK(read_head_every_way(head, head.size()) == at);
    const head_result over = read_head_every_way(head, head.size() - 1);
    CHECK(over.state == head_state::refused);
    CHECK(over.status == 431);
  }
  {
    const std::string lf_head = "POST /hook HTTP/1.1\nHost: h\n\n";
    CHECK(read_head(lf_head, lf_head.size()).state == head_state::complete);
    CHECK(refusal_of(lf_head, lf_head.size() - 1) == 431);
  }
  {
    // the request line alone: within max_bytes it waits for more; one byte over it is 414
    CHECK(read_head(line, line.size()).state == head_state::incomplete);
    CHECK(read_head(line + "\r\n", line.size() + 2).state == head_state::complete);
    CHECK(read_head_every_way(line + "\r\n", line.size() + 1).status == 431); // the line fits, the head not
    CHECK(read_head_every_way(line + "\r\n", line.size() - 1).status == 414);
  }
}

TEST_CASE("http1: bytes without a newline are refused once over max_bytes, not held") {
  const std::size_t max = 1024;
  const std::string endless(max + 1, 'G');
  head_reader r(max, 100);
  lgw::http_request req;
  CHECK(r.feed(std::string_view(endless).substr(0, max), req) == head_state::incomplete);
  CHECK(r.feed(endless, req) == head_state::refused);
  CHECK(r.refusal().status == 414);
  // a whole megabyte at once is refused just the same
  CHECK(refusal_of(std::string(1 << 20, 'x'), max) == 414);
  // after the request line, an endless field line is 431
  const std::string line = "POST /hook HTTP/1.1\r\n";
  CHECK(read_head(line + std::string(max - line.size(), 'x'), max).state == head_state::incomplete);
  CHECK(refusal_of(line + std::string(max - line.size() + 1, 'x'), max) == 431);
  CHECK(refusal_of(line + std::string(1 << 20, 'x'), max) == 431);
}

TEST_CASE("http1: empty lines before the request line count toward max_bytes") {
  const std::size_t max = 1024;
  const std::string request = "GET / HTTP/1.1\r\n\r\n";
  // fits alone, and after a few empty lines
  CHECK(read_head(std::string(100, '\n') + request, max).state == head_state::complete);
  // but not after enough empty lines to push it over the limit
  const head_result r = read_head_every_way(std::string(max, '\n') + request, max);
  CHECK(r.state == head_state::refused);
  CHECK((r.status == 414 || r.status == 431));
  // endless empty lines are refused too, not skipped forever
  std::string empties;
  for (int i = 0; i < 4096; ++i) empties += "\r\n";
  CHECK(read_head(empties.substr(0, max), max).state == head_state::incomplete);
  const head_result e = read_head(empties, max);
  CHECK(e.state == head_state::refused);
  CHECK((e.status == 414 || e.status == 431));
}

// ---- the field limit -------------------------------------------------------------------

TEST_CASE("http1: max_fields fields are read, one more is refused 431") {
  const std::size_t n = 5;
  std::string in = "POST /hook HTTP/1.1\r\n";
  for (std::size_t i = 0; i < n; ++i) in += "F" + std::to_string(i) + ": v\r\n";
  const head_result ok = read_head_every_way(in + "\r\n", big, n);
  REQUIRE(ok.state == head_state::complete);
  CHECK(ok.req.headers.size() == n);
  CHECK(ok.req.headers.back().first == "F4");
  const head_result over = read_head_every_way(in + "F5: v\r\n\r\n", big, n);
  CHECK(over.state == head_state::refused);
  CHECK(over.status == 431);
  // refused as soon as the extra field line ends, before the head does
  CHECK(refusal_of(in + "F5: v\r\n", big, n) == 431);
  // empty lines before the request line are not fields
  CHECK(read_head("\r\n\r\n\r\n" + in + "\r\n", big, n).state == head_state::complete);
}

TEST_CASE("http1: with max_fields 0 only a request line without fields is read") {
  CHECK(read_head("GET / HTTP/1.1\r\n\r\n", big, 0).state == head_state::complete);
  CHECK(refusal_of("GET / HTTP/1.1\r\nA: b\r\n\r\n", big, 0) == 431);
}

// ---- malformed heads -------------------------------------------------------------------

TEST_CASE("http1: obsolete line folding is refused 400") {
  CHECK(refusal_of("GET / HTTP/1.1\r\nX: a\r\n b\r\n\r\n") == 400);
  CHECK(refusal_of("GET / HTTP/1.1\r\nX: a\r\n\tb\r\n\r\n") == 400);
  CHECK(refusal_of("GET / HTTP/1.1\nX: a\n b\n\n") == 400);
  // whitespace at the start of the first field line as well
  CHECK(refusal_of("GET / HTTP/1.1\r\n Host: h\r\n\r\n") == 400);
  // and the reason says so (a folded line would fail as a field name too, less clearly)
  CHECK(read_head("GET / HTTP/1.1\r\nX: a\r\n b: c\r\n\r\n").reason.find("fold") != std::string::npos);
}

TEST_CASE("http1: whitespace between a field name and its colon is refused 400") {
  CHECK(refusal_of("GET / HTTP/1.1\r\nHost : h\r\n\r\n") == 400);
  CHECK(refusal_of("GET / HTTP/1.1\r\nHost\t: h\r\n\r\n") == 400);
  CHECK(refusal_of("POST /hook HTTP/1.1\r\nContent-Length : 5\r\n\r\n") == 400);
}

TEST_CASE("http1: field names must be tokens, and every field needs a name and a colon") {
  CHECK(refusal_of("GET / HTTP/1.1\r\nNo-Colon\r\n\r\n") == 400);
  CHECK(refusal_of("GET / HTTP/1.1\r\n: no name\r\n\r\n") == 400);
  CHECK(refusal_of("GET / HTTP/1.1\r\nX(y): 1\r\n\r\n") == 400);
  CHECK(refusal_of("GET / HTTP/1.1\r\nX@y: 1\r\n\r\n") == 400);
  CHECK(refusal_of("GET / HTTP/1.1\r\nX y: 1\r\n\r\n") == 400);
  CHECK(refusal_of("GET / HTTP/1.1\r\nX\xC3\xA9: 1\r\n\r\n") == 400);
  // every token character is allowed
  const head_result r = read_head("GET / HTTP/1.1\r\n!#$%&'*+-.^_`|~09azAZ: 1\r\n\r\n");
  REQUIRE(r.state == head_state::complete);
  CHECK(r.req.headers == lgw::http_headers{{"!#$%&'*+-.^_`|~09azAZ", "1"}});
  // a colon in the value is part of the value
  const head_result c = read_head("GET / HTTP/1.1\r\nHost: h:80\r\n\r\n");
  REQUIRE(c.state == head_state::complete);
  CHECK(c.req.header("Host") == "h:80");
}

TEST_CASE("http1: control characters in field values are refused 400, HTAB and obs-text are not") {
  for (char ctl : {'\0', '\x01', '\x08', '\x0b', '\x0c', '\x1b', '\x1f', '\x7f'}) {
    CAPTURE(int(ctl));
    CHECK(refusal_of("GET / HTTP/1.1\r\nX: a"s + ctl + "b\r\n\r\n") == 400);
    CHECK(refusal_of("GET / HTTP/1.1\r\nX: "s + ctl + "\r\n\r\n") == 400);
  }
  const head_result tab = read_head("GET / HTTP/1.1\r\nX: a\tb\r\nY: \x80\xff\r\n\r\n");
  REQUIRE(tab.state == head_state::complete);
  CHECK(tab.req.header("X") == "a\tb");
  CHECK(tab.req.header("Y") == "\x80\xff");
}

TEST_CASE("http1: a bare CR anywhere in the head is refused 400") {
  CHECK(refusal_of("GET / HTTP/1.1\r\nX: a\rb\r\n\r\n") == 400);
  CHECK(refusal_of("GET / HTTP/1.1\r\nX: a\r\r\n\r\n") == 400);
  CHECK(refusal_of("GET / HTTP/1.1\r\n\rX: a\r\n\r\n") == 400);
  CHECK(refusal_of("GET /\r HTTP/1.1\r\n\r\n") == 400);
  CHECK(refusal_of("GET / HTTP/1.1\r\r\n\r\n") == 400);
  CHECK(refusal_of("\r\r\nGET / HTTP/1.1\r\n\r\n") == 400);
  CHECK(refusal_of("GET / HTTP/1.1\nX: a\rb\n\n") == 400);
  // and the reason says so (a CR would fail as a control character too, less clearly)
  CHECK(read_head("GET / HTTP/1.1\r\nX: a\rb\r\n\r\n").reason.find("CR") != std::string::npos);
}

TEST_CASE("http1: malformed request lines are refused 400") {
  const std::vector<std::string> lines{
      "GET",                    // one part
      "GET /",                  // no version
      "GET / ",                 // empty version
      " / HTTP/1.1",            // no method
      "GET  HTTP/1.1",          // no target
      "GET  / HTTP/1.1",        // two spaces
      " GET / HTTP/1.1",        // leading space
      "GET / HTTP/1.1 ",        // trailing space
      "GET\t/\tHTTP/1.1",       // tabs are not separators
      "G(T / HTTP/1.1",         // not a token
      "GE\"T / HTTP/1.1",       // not a token
      "G\xC3\x89T / HTTP/1.1",  // not a token
      "GET /a b HTTP/1.1",      // a space in the target
      "GET /a\x01 HTTP/1.1",    // a control character in the target
      "GET /a\x7f HTTP/1.1",    // DEL in the target
      "GET /\xC3\xA9 HTTP/1.1", // non-ASCII in the target
      "GET /\tx HTTP/1.1",      // HTAB in the target
      "GET / http/1.1",         // lower-case version
      "GET / HTTP/11",          // no dot
      "GET / HTTP/1.1.1",       // too long
      "GET / HTTP/1",           // too short
      "GET / HTTPS/1.1",        // wrong protocol
  };
  for (const std::string &line : lines) {
    CAPTURE(line);
    CHECK(refusal_of(line + "\r\n\r\n") == 400);
  }
}

TEST_CASE("http1: other major versions are refused 505, a later HTTP/1.x is served as 1.1, a malformed one is 400") {
  CHECK(refusal_of("GET / HTTP/2.0\r\n\r\n") == 505);
  CHECK(refusal_of("GET / HTTP/3.0\r\n\r\n") == 505);
  CHECK(refusal_of("GET / HTTP/0.9\r\n\r\n") == 505);
  CHECK(read_head("GET / HTTP/1.2\r\n\r\n").minor == 1); // RFC 9110 §2.5
  CHECK(read_head("GET / HTTP/1.9\r\n\r\n").minor == 1);
  for (const char *bad :
       {"GET / HTTP/x.y\r\n\r\n", "GET / HTTP/1.\r\n\r\n", "GET / HTTP/11.1\r\n\r\n", "GET / http/1.1\r\n\r\n"}) {
    CAPTURE(bad);
    CHECK(refusal_of(bad) == 400);
  }
  const head_result one_zero = read_head("POST /hook HTTP/1.0\r\nHost: h\r\n\r\n");
  REQUIRE(one_zero.state == head_state::complete);
  CHECK(one_zero.minor == 0);
  CHECK(one_zero.req.method == "POST");
  const head_result one_one = read_head("POST /hook HTTP/1.1\r\n\r\n");
  REQUIRE(one_one.state == head_state::complete);
  CHECK(one_one.minor == 1);
}

// ---- framing ---------------------------------------------------------------------------

TEST_CASE("http1: framing without Content-Length or Transfer-Encoding is an empty body") {
  const auto f = framing({{"Host", "h"}, {"Content-Type", "application/json"}});
  CHECK_FALSE(f.chunked);
  CHECK(f.length == 0);
  CHECK_FALSE(f.refusal);
  CHECK_FALSE(framing({}, 0).refusal);
}

TEST_CASE("http1: Content-Length gives the body length; a list of equal values is one length") {
  const auto f = framing({{"Content-Length", "42"}});
  CHECK_FALSE(f.chunked);
  CHECK(f.length == 42);
  CHECK_FALSE(f.refusal);
  CHECK(framing({{"content-length", "0"}}).length == 0);
  CHECK(framing({{"Content-Length", "007"}}).length == 7);
  CHECK(framing({{"Content-Length", " 12\t"}}).length == 12);
  for (const char *same : {"5, 5", "5,5", "5 ,\t5", "5, 5, 5"}) {
    CAPTURE(same);
    const auto g = framing({{"Content-Length", same}});
    CHECK_FALSE(g.refusal);
    CHECK(g.length == 5);
  }
  const auto two = framing({{"Content-Length", "5"}, {"Host", "h"}, {"CONTENT-LENGTH", "5"}});
  CHECK_FALSE(two.refusal);
  CHECK(two.length == 5);
  CHECK(framing({{"Content-Length", "10000000000000000000"}}).length == 10000000000000000000ull);
}

TEST_CASE("http1: different or invalid Content-Length values are refused 400") {
  for (const char *bad :
       {"5, 6", "6,5", "5, 5, 6", "", " ", "abc", "-1", "+5", "5 5", "0x10", "1e3", "5,", ",5", "5;", "\xEF\xBC\x95"}) {
    CAPTURE(bad);
    const auto f = framing({{"Content-Length", bad}});
    CHECK(f.refusal.status == 400);
    CHECK_FALSE(f.refusal.reason.empty());
    CHECK_FALSE(f.chunked);
  }
  CHECK(framing({{"Content-Length", "5"}, {"Content-Length", "6"}}).refusal.status == 400);
  CHECK(framing({{"Content-Length", "5"}, {"Content-Length", "5, 6"}}).refusal.status == 400);
}

TEST_CASE("http1: a huge Content-Length saturates instead of overflowing") {
  constexpr std::uint64_t max = std::numeric_limits<std::uint64_t>::max();
  for (const char *huge : {"18446744073709551616", "99999999999999999999", "184467440737095516150",
                           "100000000000000000000000000000000000000000000"}) {
    CAPTURE(huge);
    const auto f = framing({{"Content-Length", huge}});
    CHECK_FALSE(f.refusal);
    CHECK(f.length == max);
  }
  CHECK(framing({{"Content-Length", "18446744073709551615"}}).length == max);
  // 2^64 + 1 must not wrap around to 1
  CHECK(framing({{"Content-Length", "18446744073709551617"}}).length == max);
}

TEST_CASE("http1: Transfer-Encoding chunked, in any case and with OWS, is a chunked body") {
  for (const char *te :
       {"chunked", "Chunked", "CHUNKED", " chunked ", "\tchunked", "chunked,", ", chunked", ",,chunked, "}) {
    CAPTURE(te);
    const auto f = framing({{"Transfer-Encoding", te}});
    CHECK(f.chunked);
    CHECK(f.length == 0);
    CHECK_FALSE(f.refusal);
  }
  CHECK(framing({{"transfer-encoding", "chunked"}}).chunked);
}

TEST_CASE("http1: Transfer-Encoding together with Content-Length is refused 400") {
  const auto a = framing({{"Transfer-Encoding", "chunked"}, {"Content-Length", "5"}});
  CHECK(a.refusal.status == 400);
  CHECK_FALSE(a.chunked);
  CHECK(framing({{"Content-Length", "5"}, {"Transfer-Encoding", "chunked"}}).refusal.status == 400);
  CHECK(framing({{"Content-Length", "0"}, {"Transfer-Encoding", "chunked"}}).refusal.status == 400);
  CHECK(framing({{"Content-Length", "5"}, {"Transfer-Encoding", "gzip"}}).refusal.status == 400);
}

TEST_CASE("http1: transfer codings other than chunked alone are refused 501") {
  for (const char *te : {"gzip", "gzip, chunked", "chunked, gzip", "chunked, chunked", "identity", "deflate", "x"}) {
    CAPTURE(te);
    const auto f = framing({{"Transfer-Encoding", te}});
    CHECK(f.refusal.status == 501);
    CHECK_FALSE(f.chunked);
  }
  // the codings of several fields form one list
  CHECK(framing({{"Transfer-Encoding", "gzip"}, {"Transfer-Encoding", "chunked"}}).refusal.status == 501);
  CHECK(framing({{"Transfer-Encoding", "chunked"}, {"Transfer-Encoding", "chunked"}}).refusal.status == 501);
}

TEST_CASE("http1: an empty Transfer-Encoding is refused 400") {
  CHECK(framing({{"Transfer-Encoding", ""}}).refusal.status == 400);
  CHECK(framing({{"Transfer-Encoding", " , "}}).refusal.status == 400);
}

TEST_CASE("http1: Transfer-Encoding in an HTTP/1.0 request is refused 400") {
  const auto f = framing({{"Transfer-Encoding", "chunked"}}, 0);
  CHECK(f.refusal.status == 400);
  CHECK_FALSE(f.chunked);
  CHECK(framing({{"Transfer-Encoding", "gzip"}}, 0).refusal.status == 400);
  // Content-Length is fine in HTTP/1.0
  const auto g = framing({{"Content-Length", "3"}}, 0);
  CHECK_FALSE(g.refusal);
  CHECK(g.length == 3);
}

// ---- Connection ------------------------------------------------------------------------

TEST_CASE("http1: HTTP/1.1 keeps the connection unless it says close") {
  CHECK_FALSE(closes({}));
  CHECK_FALSE(closes({{"Connection", "keep-alive"}}));
  CHECK_FALSE(closes({{"Connection", "Upgrade"}}));
  CHECK_FALSE(closes({{"Connection", "closed"}}));
  CHECK_FALSE(closes({{"Connection", "close-ish, x-close"}}));
  CHECK_FALSE(closes({{"X-Connection", "close"}}));
  CHECK(closes({{"Connection", "close"}}));
  CHECK(closes({{"connection", "CLOSE"}}));
  CHECK(closes({{"Connection", " close\t"}}));
  CHECK(closes({{"Connection", "keep-alive, close"}}));
  CHECK(closes({{"Connection", "Upgrade,close"}}));
  CHECK(closes({{"Connection", "keep-alive"}, {"Connection", "close"}}));
}

TEST_CASE("http1: HTTP/1.0 closes the connection unless it asks for keep-alive") {
  CHECK(closes({}, 0));
  CHECK(closes({{"Connection", "Upgrade"}}, 0));
  CHECK(closes({{"Connection", "keep-alive-ish"}}, 0));
  CHECK_FALSE(closes({{"Connection", "keep-alive"}}, 0));
  CHECK_FALSE(closes({{"Connection", "Keep-Alive"}}, 0));
  CHECK_FALSE(closes({{"Connection", "keep-alive, Upgrade"}}, 0));
  CHECK_FALSE(closes({{"Connection", "Upgrade ,\tkeep-alive"}}, 0));
  CHECK_FALSE(closes({{"Connection", "Upgrade"}, {"Connection", "keep-alive"}}, 0));
  CHECK(closes({{"Connection", "keep-alive, close"}}, 0));
  CHECK(closes({{"Connection", "close"}, {"Connection", "keep-alive"}}, 0));
}

// ---- chunked bodies --------------------------------------------------------------------

TEST_CASE("http1: a chunked body is its chunks joined") {
  const std::string in = "5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n";
  const chunked_result r = decode(in);
  CHECK(r.done);
  CHECK(r.status == 0);
  CHECK(r.body == "hello world");
  CHECK(r.consumed == in.size());
  const chunked_result empty = decode("0\r\n\r\n");
  CHECK(empty.done);
  CHECK(empty.body.empty());
  CHECK(empty.consumed == 5);
}

TEST_CASE("http1: chunk extensions are read and dropped") {
  const std::string in = "5;a=b\r\nhello\r\n1 ; name=\"q;\\\"x\"\t\r\n!\r\n0;last\r\n\r\n";
  const chunked_result r = decode(in);
  CHECK(r.done);
  CHECK(r.status == 0);
  CHECK(r.body == "hello!");
  CHECK(r.consumed == in.size());
}

TEST_CASE("http1: chunk sizes in upper, lower and mixed case hex, with leading zeros") {
  const std::string ten = "0123456789";
  const std::string sixteen = "0123456789abcdef";
  const std::string twenty_six = "abcdefghijklmnopqrstuvwxyz";
  const chunked_result r = decode("A\r\n" + ten + "\r\na\r\n" + ten + "\r\n0010\r\n" + sixteen + "\r\n1A\r\n" +
                                  twenty_six + "\r\n1a\r\n" + twenty_six + "\r\n00\r\n\r\n");
  CHECK(r.done);
  CHECK(r.status == 0);
  CHECK(r.body == ten + ten + sixteen + twenty_six + twenty_six);
  CHECK(r.body.size() == 10 + 10 + 16 + 26 + 26);
}

TEST_CASE("http1: chunked line ends may be bare LF") {
  const std::string in = "5\nhello\n3;x=y\n, w\n0\nTrailer: t\n\n";
  const chunked_result r = decode(in);
  CHECK(r.done);
  CHECK(r.status == 0);
  CHECK(r.body == "hello, w");
  CHECK(r.consumed == in.size());
}

TEST_CASE("http1: trailer fields are read and dropped") {
  const std::string in = "4\r\nbody\r\n0\r\nX-Checksum: abc\r\nX-Other: 1\r\n\r\n";
  const chunked_result r = decode(in);
  CHECK(r.done);
  CHECK(r.status == 0);
  CHECK(r.body == "body");
  CHECK(r.consumed == in.size());
  // without the empty line after them, the body is not done
  const chunked_result open = decode("4\r\nbody\r\n0\r\nX-Checksum: abc\r\n");
  CHECK_FALSE(open.done);
  CHECK(open.status == 0);
  CHECK(open.body == "body");
}

TEST_CASE("http1: a chunked body split at every byte position decodes as the whole one") {
  const std::vector<std::string> inputs{
      "5\r\nhello\r\n6;ext=1\r\n world\r\n0\r\nTrailer: x\r\n\r\nNEXT",
      "3\nabc\n0\n\nGET / HTTP/1.1\r\n\r\n",
      "1\r\n\r\r\n2\r\n\r\n\r\n0\r\n\r\n", // data that looks like line ends
      "A\r\n0123456789\r\n0\r\n\r\n",
      "5\r\nhelloX\r\n",                                 // refused: no CRLF after the data
      "zz\r\n",                                          // refused: not hex
      "40\r\n" + std::string(64, 'd') + "\r\n0\r\n\r\n", // refused below: over the body limit
  };
  for (const std::string &in : inputs) {
    CAPTURE(in);
    const chunked_result whole = decode_every_way(in);
    CHECK((whole.done || whole.status != 0));
    decode_every_way(in, 16, 8); // small limits: the same whatever the split
  }
  CHECK(decode_every_way(inputs[0]).body == "hello world");
  CHECK(decode_every_way(inputs[2]).body == "\r\r\n");
  CHECK(decode_every_way(inputs[4]).status == 400);
  CHECK(decode_every_way(inputs[5]).status == 400);
  CHECK(decode_every_way(inputs[6], 16).status == 413);
}

TEST_CASE("http1: the decoder stops at the end of the body and leaves what follows") {
  const std::string body = "5\r\nhello\r\n0\r\n\r\n";
  const std::string next = "POST /hook HTTP/1.1\r\n\r\n";
  lgw::detail::chunked_decoder d(big, 1024);
  std::string out;
  const std::size_t n = d.feed(body + next, out);
  CHECK(n == body.size());
  CHECK(d.done());
  CHECK(out == "hello");
  // nothing more is taken once it is done
  CHECK(d.feed(next, out) == 0);
  CHECK(out == "hello");
  // the same after trailers and bare LF ends
  const std::string lf = "2\nhi\n0\nT: 1\n\n";
  const chunked_result r = decode(lf + "\n\nmore");
  CHECK(r.done);
  CHECK(r.consumed == lf.size());
  CHECK(r.body == "hi");
}

TEST_CASE("http1: a chunk size of more than 16 hex digits is refused 400") {
  const chunked_result sixteen = decode("000000000000000A\r\n0123456789\r\n0\r\n\r\n");
  CHECK(sixteen.done);
  CHECK(sixteen.body == "0123456789");
  CHECK(decode("00000000000000005\r\nhello\r\n0\r\n\r\n").status == 400);
  CHECK(decode("10000000000000000\r\n").status == 400);
  CHECK(decode("FFFFFFFFFFFFFFFFF\r\n").status == 400);
  // 16 digits that do not fit the budget are 413, not an overflow
  const chunked_result huge = decode("FFFFFFFFFFFFFFFF\r\n");
  CHECK(huge.status == 413);
  CHECK(huge.body.empty());
}

TEST_CASE("http1: a chunk larger than what is left of the body limit is refused 413 before its data") {
  const std::string size_line = "b\r\n"; // 11 bytes, one over the limit
  const chunked_result r = decode(size_line + "hello world\r\n0\r\n\r\n", 10);
  CHECK(r.status == 413);
  CHECK_FALSE(r.done);
  CHECK(r.body.empty());
  CHECK(r.consumed == size_line.size()); // none of the data was read
  // the same with the data not sent yet
  const chunked_result early = decode(size_line, 10);
  CHECK(early.status == 413);
  CHECK(early.consumed == size_line.size());
  // exactly the limit is fine
  const chunked_result at = decode("a\r\n0123456789\r\n0\r\n\r\n", 10);
  CHECK(at.done);
  CHECK(at.status == 0);
  CHECK(at.body.size() == 10);
}

TEST_CASE("http1: chunks adding up to more than max_body are refused 413") {
  const std::string first = "6\r\nhello \r\n";
  const chunked_result r = decode(first + "5\r\nworld\r\n0\r\n\r\n", 10);
  CHECK(r.status == 413);
  CHECK(r.body == "hello "); // the second chunk is refused from its size line
  CHECK(r.consumed == first.size() + 3);
  const chunked_result at = decode("6\r\nhello \r\n4\r\nworl\r\n0\r\n\r\n", 10);
  CHECK(at.done);
  CHECK(at.body == "hello worl");
  // many small chunks, too
  std::string many;
  for (int i = 0; i < 11; ++i) many += "1\r\nx\r\n";
  const chunked_result m = decode(many + "0\r\n\r\n", 10);
  CHECK(m.status == 413);
  CHECK(m.body.size() == 10);
}

TEST_CASE("http1: chunk data not followed by a line end is refused 400") {
  CHECK(decode("5\r\nhelloX\r\n0\r\n\r\n").status == 400);
  CHECK(decode("5\r\nhello\r\r\n0\r\n\r\n").status == 400);
  CHECK(decode("5\r\nhello\rX").status == 400);
  CHECK(decode("5\r\nhello 0\r\n\r\n").status == 400);
  const chunked_result r = decode("3\r\nabcd\r\n");
  CHECK(r.status == 400);
  CHECK(r.body == "abc");
  CHECK(r.consumed == 7); // up to the byte that is wrong
}

TEST_CASE("http1: a chunk-size line longer than 1024 bytes is refused 400") {
  const std::string line_1024 = "1;" + std::string(1022, 'e'); // 1024 bytes before the LF
  const chunked_result ok = decode(line_1024 + "\nx\n0\n\n");
  CHECK(ok.done);
  CHECK(ok.body == "x");
  const chunked_result ok_crlf = decode("1;" + std::string(1021, 'e') + "\r\nx\r\n0\r\n\r\n");
  CHECK(ok_crlf.done);
  CHECK(ok_crlf.body == "x");
  CHECK(decode(line_1024 + "e\nx\n0\n\n").status == 400);
  // refused once the line is over the limit, without waiting for its end
  const chunked_result endless = decode("1;" + std::string(1 << 20, 'e'));
  CHECK(endless.status == 400);
  CHECK(endless.consumed == 1025);
  // a long trailer-size line too ("0" with a long extension)
  CHECK(decode("0;" + std::string(2000, 'e') + "\r\n\r\n").status == 400);
}

TEST_CASE("http1: trailer fields over the trailer limit are refused 431") {
  const std::string big_trailer = "0\r\nX-Trailer: " + std::string(100, 't') + "\r\n\r\n";
  const chunked_result r = decode(big_trailer, big, 64);
  CHECK(r.status == 431);
  CHECK_FALSE(r.done);
  CHECK(decode(big_trailer, big, 256).done);
  // many small trailer lines add up
  std::string many = "0\r\n";
  for (int i = 0; i < 40; ++i) many += "T: 1\r\n";
  CHECK(decode(many + "\r\n", big, 64).status == 431);
  CHECK(decode(many + "\r\n", big, 1024).done);
  // endless trailer bytes are refused once over the limit
  const chunked_result endless = decode("0\r\n" + std::string(1 << 20, 't'), big, 64);
  CHECK(endless.status == 431);
  CHECK(endless.consumed < 3 + 64 + 2);
}

TEST_CASE("http1: chunk framing beyond the body limit (a flood of tiny chunks) is refused 400") {
  const std::string chunk = "1;" + std::string(990, 'e') + "\r\nx\r\n"; // ~1 KiB of framing per body byte
  std::string in;
  for (int i = 0; i < 200; ++i) in += chunk;
  const chunked_result r = decode(in, 1000); // framing allowed: 1000 + 65536 bytes, about 66 chunks
  CHECK(r.status == 400);
  CHECK(r.body.size() < 70);
  // fewer of the same chunks are fine
  CHECK(decode(in.substr(0, 60 * chunk.size()) + "0\r\n\r\n", 1000).done);
}

TEST_CASE("http1: a chunk size that is not hex is refused 400") {
  for (const std::string &bad : std::vector<std::string>{"g\r\n", "\r\n", "\n", "-1\r\n", " 5\r\n", "5x\r\n", "0x5\r\n",
                                                         "5 x\r\n", "5,\r\n", "+5\r\n", "\xC3\xA9\r\n", "5\x00\r\n"s}) {
    CAPTURE(bad);
    const chunked_result r = decode(bad + "hello\r\n0\r\n\r\n");
    CHECK(r.status == 400);
    CHECK_FALSE(r.done);
    CHECK(r.body.empty());
  }
  // whitespace before an extension or at the end is allowed
  CHECK(decode("5 \r\nhello\r\n0\r\n\r\n").done);
  CHECK(decode("5\t;x\r\nhello\r\n0\r\n\r\n").done);
}

// ---- the pieces together ----------------------------------------------------------------

TEST_CASE("http1: pipelined requests read from bytes reach the receiver") {
  lgw::webhook_server_options o;
  o.path = "/hook";
  o.secret = "s3cr3t";
  lgw::basic_webhook_server<lgw::mock_server_transport> hooks(o);
  const std::string first_payload = R"({"run_id":"r1","status":"success"})";
  const std::string second_payload = R"({"run_id":"r2","status":"error","error":"boom"})";
  std::string chunked;
  for (std::size_t i = 0; i < second_payload.size(); i += 7) {
    const std::string piece = second_payload.substr(i, 7);
    chunked += std::to_string(piece.size()) + "\r\n" + piece + "\r\n";
  }
  const std::string stream = "POST /hook?token=s3cr3t HTTP/1.1\r\nContent-Type: text/plain;charset=UTF-8\r\n"
                             "Content-Length: " +
                             std::to_string(first_payload.size()) + "\r\n\r\n" + first_payload +
                             "POST /hook HTTP/1.1\r\nAuthorization: Bearer s3cr3t\r\nTransfer-Encoding: chunked\r\n"
                             "Connection: close\r\n\r\n" +
                             chunked + "0\r\n\r\n" + "POST /other HTTP/1.1\r\n\r\n";
  std::string_view in = stream;
  std::vector<int> statuses;
  std::vector<bool> close_after;
  for (int i = 0; i < 3; ++i) {
    head_reader reader(o.max_head_bytes, o.max_header_count);
    lgw::http_request req;
    REQUIRE(reader.feed(in, req) == head_state::complete);
    in.remove_prefix(reader.size());
    const auto f = lgw::detail::framing_of(req, reader.minor_version());
    REQUIRE_FALSE(f.refusal);
    if (auto refused = hooks.check_head(req)) {
      statuses.push_back(refused->status);
      break;
    }
    if (f.chunked) {
      lgw::detail::chunked_decoder d(o.max_body_bytes, o.max_head_bytes);
      in.remove_prefix(d.feed(in, req.body));
      REQUIRE(d.done());
    } else {
      REQUIRE(f.length <= in.size());
      req.body = std::string(in.substr(0, std::size_t(f.length)));
      in.remove_prefix(std::size_t(f.length));
    }
    close_after.push_back(lgw::detail::wants_close(req, reader.minor_version()));
    statuses.push_back(hooks.handle(std::move(req)).status);
  }
  CHECK(statuses == std::vector<int>{200, 200, 404});
  CHECK(close_after == std::vector<bool>{false, true});
  CHECK(in.empty());
  CHECK(hooks.stats().accepted == 2);
}
