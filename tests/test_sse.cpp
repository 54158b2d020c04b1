// sse_parser conformance: every WHATWG event-stream rule, and every chunking of sample streams.
#include "langgraph_webhooks.hpp"

#include "test_support.hpp"

#include <doctest/doctest.h>

#include <tuple>

namespace {

using events = std::vector<std::tuple<std::string, std::string, std::string>>;

struct parsed {
  events got;
  bool clean = false;
  bool operator==(const parsed &o) const { return got == o.got && clean == o.clean; }
};

// Feeds `chunks` in order, then finish().
parsed parse_chunks(const std::vector<std::string_view> &chunks, std::size_t limit = 1 << 20) {
  lgw::sse_parser p(limit);
  parsed out;
  for (auto c : chunks) p.feed(c, [&](const lgw::sse_event &e) { out.got.emplace_back(e.event, e.data, e.id); });
  out.clean = p.finish();
  return out;
}

parsed parse(std::string_view s) { return parse_chunks({s}); }

// The same events must come out however the bytes are split: at every single position, at
// every pair of positions, and one byte at a time.
void check_every_chunking(std::string_view stream) {
  const parsed whole = parse(stream);
  for (std::size_t i = 0; i <= stream.size(); ++i) {
    CAPTURE(i);
    REQUIRE(parse_chunks({stream.substr(0, i), stream.substr(i)}) == whole);
    for (std::size_t j = i; j <= stream.size(); j += 7)
      REQUIRE(parse_chunks({stream.substr(0, i), stream.substr(i, j - i), stream.substr(j)}) == whole);
  }
  std::vector<std::string_view> bytes;
  for (std::size_t i = 0; i < stream.size(); ++i) bytes.push_back(stream.substr(i, 1));
  CHECK(parse_chunks(bytes) == whole);
}

const char *const js_stream = // the open-source JS server: LF, ids from 0
    "event: metadata\n"
    "data: {\"run_id\":\"01a2207f-0be3-7724-a46d-ce13e7570bc4\",\"attempt\":1}\n"
    "id: 0\n"
    "\n"
    "event: values\n"
    "data: {\"messages\":[{\"content\":\"caf\xC3\xA9 \xF0\x9F\x98\x80\",\"type\":\"human\"}]}\n"
    "id: 1\n"
    "\n"
    "event: updates|child:1f0a\n"
    "data: {\"reply\":{\"messages\":[]}}\n"
    "id: 2\n"
    "\n";

const char *const py_stream = // the cloud server: CRLF, heartbeats, id after data
    "event: metadata\r\n"
    "data: {\"run_id\":\"1ef\",\"attempt\":1}\r\n"
    "id: 1719000000000-0\r\n"
    "\r\n"
    ": heartbeat\r\n"
    "\r\n"
    "event: values\r\n"
    "data: {\"messages\":[]}\r\n"
    "id: 1719000000001-0\r\n"
    "\r\n"
    "event: error\r\n"
    "data: {\"error\":\"ValueError\",\"message\":\"bad\"}\r\n"
    "\r\n"
    "event: end\r\n"
    "data: null\r\n"
    "\r\n";

} // namespace

TEST_CASE("sse: line endings LF, CRLF, CR and mixed") {
  const events expected = {{"a", "1", ""}, {"b", "2", ""}};
  CHECK(parse("event: a\ndata: 1\n\nevent: b\ndata: 2\n\n").got == expected);
  CHECK(parse("event: a\r\ndata: 1\r\n\r\nevent: b\r\ndata: 2\r\n\r\n").got == expected);
  CHECK(parse("event: a\rdata: 1\r\revent: b\rdata: 2\r\r").got == expected);
  CHECK(parse("event: a\r\ndata: 1\r\revent: b\ndata: 2\r\n\n").got == expected);
  // CR at the end of one chunk and its LF at the start of the next is one line end.
  CHECK(parse_chunks({"data: 1\r", "\n\r", "\ndata: 2\r\n\r\n"}).got ==
        events{{"message", "1", ""}, {"message", "2", ""}});
}

TEST_CASE("sse: data lines join with LF; one optional space after the colon") {
  CHECK(parse("data: a\ndata: b\ndata:\ndata: c\n\n").got == events{{"message", "a\nb\n\nc", ""}});
  CHECK(parse("data:x\n\n").got == events{{"message", "x", ""}});
  CHECK(parse("data:  two spaces\n\n").got == events{{"message", " two spaces", ""}});
  CHECK(parse("data: trailing \n\n").got == events{{"message", "trailing ", ""}});
  CHECK(parse("data: a:b: c\n\n").got == events{{"message", "a:b: c", ""}});
}

TEST_CASE("sse: comments are ignored, unknown fields too") {
  CHECK(parse(": heartbeat\n\n:\n\nevent: a\n: inside\ndata: 1\nfoo: bar\n\n").got == events{{"a", "1", ""}});
}

TEST_CASE("sse: a field without a colon has an empty value") {
  CHECK(parse("data\n\n").got == events{{"message", "", ""}});
  CHECK(parse("event\ndata: x\n\n").got == events{{"message", "x", ""}});
  CHECK(parse("data\ndata\n\n").got == events{{"message", "\n", ""}});
}

TEST_CASE("sse: id is remembered across events and ignored when it contains NUL") {
  CHECK(parse("id: 7\ndata: a\n\ndata: b\n\n").got == events{{"message", "a", "7"}, {"message", "b", "7"}});
  using namespace std::string_literals;
  const std::string with_nul = "id: 1\ndata: a\n\nid: 2\0x\ndata: b\n\nid\ndata: c\n\n"s;
  CHECK(parse(with_nul).got == events{{"message", "a", "1"}, {"message", "b", "1"}, {"message", "c", ""}});
  lgw::sse_parser p;
  p.feed("id: 42\n\n", [](const lgw::sse_event &) { FAIL("no data: no event"); });
  CHECK(p.last_event_id() == "42");
}

TEST_CASE("sse: retry takes digits only") {
  lgw::sse_parser p;
  auto ignore = [](const lgw::sse_event &) {};
  CHECK_FALSE(p.retry());
  p.feed("retry: 1500\n\n", ignore);
  CHECK(p.retry() == 1500u);
  p.feed("retry: 15x\n\nretry:\n\nretry: -1\n\n", ignore);
  CHECK(p.retry() == 1500u);
}

TEST_CASE("sse: an event without data is not dispatched, and resets the event name") {
  CHECK(parse("event: a\n\ndata: x\n\n").got == events{{"message", "x", ""}});
  CHECK(parse("event: a\nid: 3\n\n").got.empty());
  CHECK(parse("data: a\n\n\n\n\n").got == events{{"message", "a", ""}});
}

TEST_CASE("sse: a UTF-8 BOM is skipped at the start only, even when split") {
  CHECK(parse("\xEF\xBB\xBF"
              "data: x\n\n")
            .got == events{{"message", "x", ""}});
  CHECK(parse_chunks({"\xEF", "\xBB",
                      "\xBF"
                      "data: x\n\n"})
            .got == events{{"message", "x", ""}});
  CHECK(parse("data: \xEF\xBB\xBFy\n\n").got == events{{"message", "\xEF\xBB\xBFy", ""}});
  CHECK(parse("\xEF\xBB\xBF\xEF\xBB\xBF"
              "data: z\n\n")
            .got.empty()); // second BOM is a field name
  CHECK(parse("\xEF\xBB"
              "data: w\n\n")
            .got.empty()); // half a BOM is part of the field name
  CHECK(parse("\xEF\n"
              "data: v\n\n")
            .got == events{{"message", "v", ""}});
}

TEST_CASE("sse: an unterminated last event is dropped and finish() says so") {
  auto a = parse("data: complete\n\ndata: half");
  CHECK(a.got == events{{"message", "complete", ""}});
  CHECK_FALSE(a.clean);
  auto b = parse("data: complete\n\nevent: x\ndata: no blank line\n");
  CHECK(b.got == events{{"message", "complete", ""}});
  CHECK_FALSE(b.clean);
  CHECK(parse("data: complete\n\n").clean);
  CHECK(parse(": only a comment\n").clean);
  CHECK(parse("").clean);
}

TEST_CASE("sse: the callback can stop the parser") {
  lgw::sse_parser p;
  int n = 0;
  CHECK_FALSE(p.feed("data: 1\n\ndata: 2\n\ndata: 3\n\n", [&](const lgw::sse_event &) { return ++n < 2; }));
  CHECK(n == 2);
}

TEST_CASE("sse: one event's size is bounded, also across chunks") {
  lgw::sse_parser small(64);
  auto ignore = [](const lgw::sse_event &) {};
  CHECK(small.feed("data: " + std::string(50, 'x') + "\n\n", ignore));
  try {
    small.feed("data: " + std::string(100, 'y') + "\n\n", ignore);
    FAIL("expected a size error");
  } catch (const lgw::error &e) {
    CHECK(e.kind() == lgw::error_kind::invalid_response);
    CHECK(std::string(e.what()).find("larger than 64 bytes") != std::string::npos);
  }
  lgw::sse_parser split(64);
  CHECK_THROWS_AS(
      {
        for (int i = 0; i < 10; ++i) split.feed("data: " + std::string(10, 'z') + "\n", ignore);
      },
      lgw::error);
  lgw::sse_parser line(64);
  CHECK_THROWS_AS(
      {
        for (int i = 0; i < 10; ++i) line.feed(std::string(10, 'q'), ignore);
      },
      lgw::error);
}

TEST_CASE("sse: the size limit does not depend on how the stream is split") {
  const char *const inputs[] = {"data: 123456789\n\n", "event: x\ndata: 1\n\n", ": long comment here\n\n",
                                "id: 1234567\ndata: x\n\n", "data: 12\ndata: 34\n\ndata: 5\n\n"};
  for (const std::string in : inputs) {
    for (std::size_t limit : {5u, 10u, 12u, 15u, 40u}) {
      CAPTURE(in);
      CAPTURE(limit);
      auto outcome = [&](const std::vector<std::string_view> &chunks) {
        try {
          return std::to_string(parse_chunks(chunks, limit).got.size());
        } catch (const lgw::error &) {
          return std::string("too large");
        }
      };
      const std::string whole = outcome({in});
      for (std::size_t i = 0; i <= in.size(); ++i)
        CHECK(outcome({std::string_view(in).substr(0, i), std::string_view(in).substr(i)}) == whole);
    }
  }
  CHECK(parse_chunks({"data: 123456789\n\n"}, 15).got.size() == 1); // 15 bytes of lines: fits
  CHECK_THROWS_AS(parse_chunks({"data: 123456789\n\n"}, 14), lgw::error);
}

TEST_CASE("sse: last_event_id() is the id of a completed event only") {
  lgw::sse_parser p;
  std::vector<std::string> ids;
  p.feed("event: values\ndata: {}\nid: 1\n\nevent: values\ndata: {}\nid: 2\n",
         [&](const lgw::sse_event &e) { ids.push_back(e.id); });
  CHECK(ids == std::vector<std::string>{"1"});
  CHECK(p.last_event_id() == "1"); // event 2 never completed: reconnect after 1
  CHECK_FALSE(p.finish());
  CHECK_FALSE(parse("\xEF\xBB").clean); // half a BOM is unfinished input too
}

TEST_CASE("sse: the view callback sees the same events without copies") {
  const std::string stream = std::string(js_stream) + "data: a\ndata: b\n\ndata: tail-in-next-chunk\n\n";
  const parsed owned = parse(stream);
  for (std::size_t i = 0; i <= stream.size(); i += 3) {
    lgw::sse_parser p;
    events got;
    auto on_view = [&](const lgw::sse_event_view &e) {
      got.emplace_back(std::string(e.event), std::string(e.data), std::string(e.id));
    };
    std::string first = stream.substr(0, i);
    p.feed(first, on_view);
    first.assign(first.size(), 'X'); // the caller reuses its buffer: no view may point into it
    p.feed(stream.substr(i), on_view);
    CHECK(got == owned.got);
  }
}

TEST_CASE("sse: both servers' streams, split at every position") {
  const parsed js = parse(js_stream);
  REQUIRE(js.got.size() == 3);
  CHECK(std::get<0>(js.got[0]) == "metadata");
  CHECK(std::get<1>(js.got[1]).find("caf\xC3\xA9 \xF0\x9F\x98\x80") != std::string::npos);
  CHECK(std::get<2>(js.got[1]) == "1");
  CHECK(std::get<0>(js.got[2]) == "updates|child:1f0a");
  CHECK(js.clean);
  check_every_chunking(js_stream);

  const parsed py = parse(py_stream);
  REQUIRE(py.got.size() == 4);
  CHECK(std::get<2>(py.got[1]) == "1719000000001-0");
  CHECK(std::get<0>(py.got[2]) == "error");
  CHECK(std::get<2>(py.got[2]) == "1719000000001-0"); // no id line: the last one persists
  CHECK(std::get<0>(py.got[3]) == "end");
  CHECK(std::get<1>(py.got[3]) == "null");
  check_every_chunking(py_stream);

  check_every_chunking("\xEF\xBB\xBF"
                       "event: a\rdata: 1\r\rdata: x\r\ndata: y\n\nid: 9\r\n: c\n\ndata: tail");
}
