// runs().stream() and join_stream() through mock transports: parts as they arrive, early stop,
// run errors, broken bodies, rejoining resumable streams, both servers' framing.
#include "langgraph_webhooks.hpp"

#include "test_support.hpp"

#include <doctest/doctest.h>

#include <stdexcept>

using nlohmann::json;

namespace {

const char *const content_location = "/threads/t-1/runs/r-1";

lgw::stream_run_request a_stream(bool resumable = false) {
  lgw::stream_run_request r;
  r.thread_id = "t-1";
  r.assistant_id = "agent";
  r.input = {{"messages", {{{"role", "human"}, {"content", "Hello!"}}}}};
  r.stream_mode = {lgw::stream_mode::values, lgw::stream_mode::updates};
  if (resumable) r.stream_resumable = true;
  return r;
}

std::string event(const std::string &name, const std::string &data, const std::string &id = "") {
  return "event: " + name + "\ndata: " + data + "\n" + (id.empty() ? "" : "id: " + id + "\n") + "\n";
}

// A transport that hands over one chunk at a time and checks, before the next one, that the
// client has already delivered every event of the previous chunk.
struct stepping_transport {
  std::vector<std::string> chunks;
  std::function<std::size_t()> delivered; // parts the test's callback has seen
  std::vector<std::size_t> seen_before_chunk;

  lgw::http_response send(const lgw::http_request &, const lgw::chunk_callback &cb) {
    lgw::http_response head;
    head.status = 200;
    head.headers = {{"Content-Type", "text/event-stream"}, {"Content-Location", content_location}};
    for (const auto &c : chunks) {
      seen_before_chunk.push_back(delivered());
      if (!cb(head, c)) break;
    }
    return head;
  }
};

} // namespace

TEST_CASE("stream: request, parts in order with parsed data, ids from Content-Location") {
  lgw::mock_client_transport mock;
  const std::string body = event("metadata", R"({"run_id":"r-1","attempt":1})", "0") +
                           event("values", R"({"messages":[]})", "1") +
                           event("updates|sub:9", R"({"reply":{"x":1}})", "2") + event("custom", "not json", "3");
  mock.respond_chunked(200, {body.substr(0, 10), body.substr(10, 50), body.substr(60)},
                       {{"Content-Type", "text/event-stream"}, {"Content-Location", content_location}});
  test::mock_client client(mock, "http://lg.test", test::no_key());
  std::vector<lgw::stream_part> parts;
  lgw::stream_result res = client.runs().stream(a_stream(), [&](const lgw::stream_part &p) { parts.push_back(p); });

  auto sent = mock.last_request();
  CHECK(sent.method == "POST");
  CHECK(sent.target == "/threads/t-1/runs/stream");
  CHECK(sent.header("Accept") == "text/event-stream");
  CHECK(json::parse(sent.body)["stream_mode"] == json{"values", "updates"});
  REQUIRE(parts.size() == 4);
  CHECK(parts[0].event == "metadata");
  CHECK(parts[0].data["attempt"] == 1);
  CHECK(parts[1].data == json{{"messages", json::array()}});
  CHECK(parts[2].event == "updates|sub:9");
  CHECK(parts[2].data["reply"]["x"] == 1);
  CHECK(parts[3].data == "not json");
  CHECK(parts[3].id == "3");
  CHECK(res.run_id == "r-1");
  CHECK(res.thread_id == "t-1");
  CHECK(res.last_event_id == "3");
  CHECK(res.parts == 4);
  CHECK_FALSE(res.stopped);
}

TEST_CASE("stream: each part reaches the callback before the next chunk is read") {
  std::size_t delivered = 0;
  stepping_transport t;
  t.chunks = {event("metadata", R"({"run_id":"r-1"})"), "event: values\ndata: {\"a\"", ":1}\n\n",
              event("values", R"({"a":2})") + event("values", R"({"a":3})")};
  t.delivered = [&] { return delivered; };
  lgw::basic_client<stepping_transport> client(t, "http://lg.test", test::no_key());
  client.runs().stream(a_stream(), [&](const lgw::stream_part &) { ++delivered; });
  CHECK(delivered == 4);
  CHECK(client.transport().seen_before_chunk == std::vector<std::size_t>{0, 1, 1, 2});
}

TEST_CASE("stream: the callback stops the stream and the connection is dropped") {
  lgw::mock_client_transport mock;
  mock.respond_chunked(200, {event("metadata", R"({"run_id":"r-1"})"), event("values", "{}"), event("values", "{}")});
  test::mock_client client(mock, "http://lg.test", test::no_key());
  int n = 0;
  auto res = client.runs().stream(a_stream(), [&](const lgw::stream_part &) { return ++n < 2; });
  CHECK(n == 2);
  CHECK(res.stopped);
  CHECK(res.parts == 2);
  CHECK(res.run_id == "r-1"); // from the metadata event: no Content-Location here
  CHECK(mock.stopped_reads() == 1);
}

TEST_CASE("stream: an error event is delivered, then thrown as run_failed") {
  lgw::mock_client_transport mock;
  mock.respond(200, event("metadata", R"({"run_id":"r-1"})") +
                        event("error", R"({"error":"ValueError","message":"bad input"})"));
  test::mock_client client(mock, "http://lg.test", test::no_key());
  std::vector<std::string> names;
  lgw::error e = test::error_of(
      [&] { client.runs().stream(a_stream(), [&](const lgw::stream_part &p) { names.push_back(p.event); }); });
  CHECK(names == std::vector<std::string>{"metadata", "error"});
  CHECK(e.kind() == lgw::error_kind::run_failed);
  CHECK(e.error_type() == "ValueError");
  CHECK(e.message() == "bad input");
  CHECK(e.endpoint() == "POST /threads/t-1/runs/stream");
}

TEST_CASE("stream: the cloud server's framing (CRLF, heartbeats, id after data, end)") {
  lgw::mock_client_transport mock;
  mock.respond_chunked(200,
                       {"event: metadata\r\ndata: {\"run_id\":\"1ef\"}\r", "\n\r\n: heartbeat\r\n\r\n",
                        "event: values\r\ndata: {\"v\":1}\r\nid: 5-0\r\n\r\nevent: end\r\ndata: null\r\n\r\n"},
                       {{"Content-Location", "/threads/t-1/runs/1ef"}, {"Location", "/threads/t-1/runs/1ef/stream"}});
  test::mock_client client(mock, "http://lg.test", test::no_key());
  std::vector<lgw::stream_part> parts;
  auto res = client.runs().stream(a_stream(), [&](const lgw::stream_part &p) { parts.push_back(p); });
  REQUIRE(parts.size() == 3);
  CHECK(parts[1].data["v"] == 1);
  CHECK(parts[1].id == "5-0");
  CHECK(parts[2].event == "end");
  CHECK(parts[2].data.is_null());
  CHECK(res.run_id == "1ef");
}

TEST_CASE("stream: an API error before the stream starts is the usual error") {
  lgw::mock_client_transport mock;
  mock.respond(422,
               "Thread is already running a task. Wait for it to finish or choose a different multitask strategy.");
  test::mock_client client(mock, "http://lg.test", test::no_key());
  int calls = 0;
  lgw::error e = test::error_of([&] { client.runs().stream(a_stream(), [&](const lgw::stream_part &) { ++calls; }); });
  CHECK(e.kind() == lgw::error_kind::unprocessable_entity);
  CHECK(e.message().find("Thread is already running a task") == 0);
  CHECK(calls == 0);
}

TEST_CASE("stream: a body that stops inside an event is an error, not a silent success") {
  lgw::mock_client_transport mock;
  mock.respond(200, event("metadata", R"({"run_id":"r-1"})") + "event: values\ndata: {\"partial\"",
               {{"Content-Location", content_location}});
  test::mock_client client(mock, "http://lg.test", test::no_key());
  int calls = 0;
  lgw::error e = test::error_of([&] { client.runs().stream(a_stream(), [&](const lgw::stream_part &) { ++calls; }); });
  CHECK(calls == 1);
  CHECK(e.kind() == lgw::error_kind::invalid_response);
  CHECK(e.message() == "the event stream ended inside an event");
  CHECK(mock.requests().size() == 1); // not resumable: no rejoin
}

TEST_CASE("stream: a broken non-resumable stream reports the transport error") {
  lgw::mock_client_transport mock;
  mock.fail(lgw::error_kind::connection, "connection reset", true, {event("metadata", R"({"run_id":"r-1"})")},
            {{"Content-Location", content_location}});
  test::mock_client client(mock, "http://lg.test", test::no_key());
  lgw::error e = test::error_of([&] { client.runs().stream(a_stream(), [](const lgw::stream_part &) {}); });
  CHECK(e.kind() == lgw::error_kind::connection);
  CHECK(e.endpoint() == "POST /threads/t-1/runs/stream");
  CHECK(mock.requests().size() == 1);
}

TEST_CASE("stream: a resumable stream that breaks is rejoined after its last event, each event once") {
  std::vector<std::chrono::milliseconds> delays;
  lgw::mock_client_transport mock;
  mock.fail(lgw::error_kind::connection, "connection reset", true,
            {event("metadata", R"({"run_id":"r-1"})", "0") + event("values", R"({"n":1})", "1") +
             "event: values\ndata: {\"n\""},
            {{"Content-Location", content_location}})
      // an older server repeats the last event it was told about
      .respond(200, event("values", R"({"n":1})", "1") + event("values", R"({"n":2})", "2"))
      .respond(200, event("values", R"({"n":3})", "3"));
  test::mock_client client(mock, "http://lg.test", test::recording_sleeps(delays));
  std::vector<std::string> ids;
  auto res = client.runs().stream(a_stream(true), [&](const lgw::stream_part &p) { ids.push_back(p.id); });
  CHECK(ids == std::vector<std::string>{"0", "1", "2"});
  CHECK(res.reconnects == 1);
  auto reqs = mock.requests();
  REQUIRE(reqs.size() == 2);
  CHECK(reqs[1].method == "GET");
  CHECK(reqs[1].target == "/threads/t-1/runs/r-1/stream");
  CHECK(reqs[1].header("Last-Event-ID") == "1");
  CHECK(reqs[1].header("Accept") == "text/event-stream");
  CHECK(delays.size() == 1);
  CHECK(mock.pending() == 1);
}

TEST_CASE("stream: rejoin follows the server's Location header and a mount prefix") {
  lgw::mock_client_transport mock;
  mock.respond(200, event("metadata", R"({"run_id":"r-9"})", "0") + "data: cut",
               {{"Content-Location", "/lg/threads/t-1/runs/r-9"}, {"Location", "/lg/threads/t-1/runs/r-9/stream"}})
      .respond(200, event("values", "{}", "1"));
  test::mock_client client(mock, "http://lg.test/lg", test::no_key());
  auto res = client.runs().stream(a_stream(true), [](const lgw::stream_part &) {});
  CHECK(res.parts == 2);
  CHECK(mock.requests()[1].target == "/lg/threads/t-1/runs/r-9/stream");
  CHECK(mock.requests()[1].header("Last-Event-ID") == "0");
}

TEST_CASE("stream: rejoins are bounded") {
  lgw::client_options o = test::no_key();
  o.stream_reconnects = 2;
  lgw::mock_client_transport mock;
  for (int i = 0; i < 3; ++i)
    mock.fail(lgw::error_kind::timeout, "no data for 1000 ms (read timeout)", true,
              {event("values", "{}", std::to_string(i))}, {{"Content-Location", content_location}});
  test::mock_client client(mock, "http://lg.test", o);
  std::size_t parts = 0;
  lgw::error e =
      test::error_of([&] { client.runs().stream(a_stream(true), [&](const lgw::stream_part &) { ++parts; }); });
  CHECK(e.kind() == lgw::error_kind::timeout);
  CHECK(parts == 3);
  CHECK(mock.requests().size() == 3);
  CHECK(e.endpoint() == "GET /threads/t-1/runs/r-1/stream");
}

TEST_CASE("stream: stateless streams have no ids and no thread") {
  lgw::mock_client_transport mock;
  mock.respond(200, event("metadata", R"({"run_id":"r-5","attempt":1})") + event("values", "{}"),
               {{"Content-Location", "/runs/r-5"}});
  test::mock_client client(mock, "http://lg.test", test::no_key());
  lgw::stream_run_stateless_request r;
  r.assistant_id = "agent";
  r.on_completion = lgw::on_completion::keep;
  auto res = client.runs().stream(r, [](const lgw::stream_part &p) { CHECK(p.id.empty()); });
  CHECK(mock.last_request().target == "/runs/stream");
  CHECK(res.run_id == "r-5");
  CHECK(res.thread_id.empty());
  CHECK(res.parts == 2);
}

TEST_CASE("join_stream: query, Last-Event-ID, and the known ids") {
  lgw::mock_client_transport mock;
  mock.respond(200, event("values", "{}", "4")).respond(200, event("values", "{}", "0"));
  test::mock_client client(mock, "http://lg.test", test::no_key());
  lgw::join_stream_request j;
  j.thread_id = "t-1";
  j.run_id = "r-1";
  j.cancel_on_disconnect = true;
  j.stream_mode = {lgw::stream_mode::values, lgw::stream_mode::messages_tuple};
  j.last_event_id = "3";
  auto res = client.runs().join_stream(j, [](const lgw::stream_part &p) { CHECK(p.id == "4"); });
  auto sent = mock.last_request();
  CHECK(sent.method == "GET");
  CHECK(sent.target ==
        "/threads/t-1/runs/r-1/stream?cancel_on_disconnect=true&stream_mode=values&stream_mode=messages-tuple");
  CHECK(sent.header("Last-Event-ID") == "3");
  CHECK(sent.body.empty());
  CHECK(res.run_id == "r-1");
  CHECK(res.thread_id == "t-1");

  client.runs().join_stream("t-1", "r-1", [](const lgw::stream_part &) {});
  CHECK(mock.last_request().target == "/threads/t-1/runs/r-1/stream");
  CHECK(mock.last_request().header("Last-Event-ID").empty());
}

TEST_CASE("stream: an oversized event and a throwing callback are reported, not swallowed") {
  lgw::client_options o = test::no_key();
  o.max_event_bytes = 32;
  lgw::mock_client_transport mock;
  mock.respond(200, event("values", R"({"big":")" + std::string(100, 'x') + "\"}"));
  test::mock_client client(mock, "http://lg.test", o);
  lgw::error e = test::error_of([&] { client.runs().stream(a_stream(), [](const lgw::stream_part &) {}); });
  CHECK(e.kind() == lgw::error_kind::invalid_response);
  CHECK(e.endpoint() == "POST /threads/t-1/runs/stream");
  CHECK(e.message().find("larger than 32 bytes") != std::string::npos);

  lgw::mock_client_transport mock2;
  mock2.respond(200, event("values", "{}") + event("values", "{}"));
  test::mock_client client2(mock2, "http://lg.test", test::no_key());
  CHECK_THROWS_WITH_AS(
      client2.runs().stream(a_stream(), [](const lgw::stream_part &) { throw std::runtime_error("mine"); }), "mine",
      std::runtime_error);
}

TEST_CASE("stream requests cannot go through send()") {
  // send(stream_run_request) is a compile-time error with a message; the response type says so.
  static_assert(std::is_same_v<lgw::stream_run_request::response_type, lgw::stream_result>);
  static_assert(std::is_same_v<lgw::join_stream_request::response_type, lgw::stream_result>);
  CHECK(std::string(lgw::join_stream_request::route) == "/threads/{thread_id}/runs/{run_id}/stream");
}
