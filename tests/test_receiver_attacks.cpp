// webhook_server against an unauthenticated or hostile sender, on real loopback sockets: what
// a security review of the receiver found, each now impossible (issue 10). Memory is measured
// as the growth of this process's peak RSS; times with bounds that instrumented builds relax.
#include "langgraph_webhooks.hpp"

#include "sockets.hpp"
#include "test_support.hpp"

#include <doctest/doctest.h>

#include <atomic>
#include <thread>

using nlohmann::json;
using namespace std::chrono_literals;
using test::raw_socket;

namespace {

std::string payload(const std::string &run_id) {
  return json{{"run_id", run_id}, {"thread_id", "t"}, {"status", "success"}, {"values", {{"messages", json::array()}}}}
      .dump();
}

// A receiver on /hook with secret "k" and limits small enough to push.
lgw::webhook_server_options small() {
  lgw::webhook_server_options o;
  o.path = "/hook";
  o.secret = "k";
  o.max_body_bytes = 1 << 20;
  o.max_body_bytes_total = 2 << 20;
  return o;
}

// Sends `chunk` repeatedly until `total` bytes went out or the connection broke; the bytes sent.
std::size_t flood(raw_socket &s, const std::string &chunk, std::size_t total) {
  std::size_t sent = 0;
  while (sent < total && s.send_some(chunk)) sent += chunk.size();
  return sent;
}

constexpr std::size_t mib = std::size_t(1) << 20;
constexpr long budget_kib =
    24 * 1024 * test::memory_factor; // what an attack may add to the peak RSS: far below its size

// What a flood gets: `head`, then `chunk` over and over (up to `total` bytes) from another
// thread, while the answer is read.
struct flood_result {
  std::string answer;
  std::size_t sent = 0; // bytes of `chunk` that went out before the connection broke
  long grown_kib = 0;   // of this process's peak RSS
};
flood_result flood_with(int port, const std::string &head, const std::string &chunk, std::size_t total) {
  flood_result r;
  const long before = test::rss_kib();
  test::reset_peak_rss();
  raw_socket s(port);
  s.send(head);
  std::thread sender([&] { r.sent = flood(s, chunk, total); });
  r.answer = s.read_all(5000ms * test::slowdown);
  sender.join();
  r.grown_kib = test::peak_rss_kib() - before;
  return r;
}

} // namespace

TEST_CASE("attack: a wrong secret's body is never read, however it is framed") {
  lgw::webhook_server hooks(small());
  hooks.start();
  const std::string mb(mib, 'x');
  const std::vector<std::string> heads = {
      "POST /hook?token=wrong HTTP/1.1\r\nHost: x\r\nContent-Length: 100663296\r\n\r\n",
      "POST /hook?token=wrong HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n",
      "POST /hook HTTP/1.1\r\nHost: x\r\nX-Webhook-Secret: nope\r\nContent-Length: 100663296\r\n\r\n",
      "PUT /hook?token=k HTTP/1.1\r\nHost: x\r\nContent-Length: 100663296\r\n\r\n",   // 405
      "POST /other?token=k HTTP/1.1\r\nHost: x\r\nContent-Length: 100663296\r\n\r\n", // 404
  };
  const std::vector<int> expected = {401, 401, 401, 405, 404};
  for (std::size_t i = 0; i < heads.size(); ++i) {
    CAPTURE(heads[i]);
    const std::string chunk = heads[i].find("chunked") != std::string::npos ? "100000\r\n" + mb + "\r\n" : mb;
    const flood_result r = flood_with(hooks.port(), heads[i], chunk, 96 * mib);
    CHECK(test::statuses(r.answer) == std::vector<int>{expected[i]});
    CHECK(r.answer.find("Connection: close") != std::string::npos);
    CHECK(r.sent < 48 * mib); // the receiver closed the connection; the body was not taken
    CHECK(r.grown_kib < budget_kib);
  }
  CHECK(hooks.stats().accepted == 0);
  CHECK(hooks.stats().rejected == heads.size());
}

TEST_CASE("attack: the body limit holds for the bytes actually read, chunked too") {
  lgw::webhook_server hooks(small());
  hooks.start();
  const flood_result r =
      flood_with(hooks.port(), "POST /hook?token=k HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n",
                 "10000\r\n" + std::string(0x10000, ' ') + "\r\n", 96 * mib);
  CHECK(test::statuses(r.answer) == std::vector<int>{413});
  CHECK(r.sent < 48 * mib);
  CHECK(r.grown_kib < budget_kib);
}

TEST_CASE("attack: a request with neither Content-Length nor Transfer-Encoding has an empty body") {
  lgw::webhook_server hooks(small());
  hooks.start();
  raw_socket s(hooks.port());
  const auto t0 = std::chrono::steady_clock::now();
  s.send("POST /hook?token=k HTTP/1.1\r\nHost: x\r\n\r\n"); // what `curl -X POST` without data sends
  const std::string answer = s.read_all(5000ms);
  CHECK(test::statuses(answer) == std::vector<int>{400}); // an empty body is not JSON
  CHECK(answer.find("not JSON") != std::string::npos);
  CHECK(test::ms_since(t0) < 1000 * test::slowdown); // not read_timeout (10 s)
}

TEST_CASE("attack: compressed bodies are refused, never inflated") {
  lgw::webhook_server hooks(small());
  hooks.start();
  for (const char *coding : {"gzip", "deflate", "br", "GZIP", "gzip, identity"}) {
    CAPTURE(coding);
    raw_socket s(hooks.port());
    s.send(test::post("/hook?token=k", std::string(127 << 10, '\x1f'),
                      std::string("Content-Encoding: ") + coding + "\r\n"));
    CHECK(test::statuses(s.read_all(5000ms)) == std::vector<int>{415});
  }
  raw_socket s(hooks.port());
  s.send(test::post("/hook?token=k", payload("identity"), "Content-Encoding: identity\r\n"));
  CHECK(test::statuses(s.read_all(5000ms)) == std::vector<int>{200});
}

TEST_CASE("attack: bytes that are not UTF-8 in a head field answer, they do not crash the receiver") {
  lgw::webhook_server hooks(small());
  hooks.start();
  raw_socket s(hooks.port()); // found by fuzzing: the 415 quoted the coding into a JSON body
  s.send("POST /hook?token=k HTTP/1.1\r\nHost: x\r\nContent-Encoding: \xFE\xFF\r\nContent-Length: 2\r\n\r\n{}");
  const std::string answer = s.read_all(5000ms);
  CHECK(test::statuses(answer) == std::vector<int>{415});
  CHECK(json::accept(answer.substr(answer.find("\r\n\r\n") + 4)));
  raw_socket again(hooks.port());
  again.send(test::post("/hook?token=k", payload("still-up")));
  CHECK(test::statuses(again.read_all(5000ms)) == std::vector<int>{200});
}

TEST_CASE("attack: conflicting or unsupported framing is a 4xx/5xx and the connection closes") {
  lgw::webhook_server hooks(small());
  hooks.start();
  const std::vector<std::pair<std::string, int>> cases = {
      {"Content-Length: 5\r\nTransfer-Encoding: chunked\r\n", 400},
      {"Transfer-Encoding: chunked\r\nContent-Length: 5\r\n", 400},
      {"Content-Length: 5\r\nContent-Length: 6\r\n", 400},
      {"Content-Length: 5, 6\r\n", 400},
      {"Content-Length: -5\r\n", 400},
      {"Transfer-Encoding: gzip, chunked\r\n", 501},
  };
  for (const auto &c : cases) {
    CAPTURE(c.first);
    raw_socket s(hooks.port());
    s.send("POST /hook?token=k HTTP/1.1\r\nHost: x\r\n" + c.first + "\r\nhello");
    bool closed = false;
    const std::string answer = s.read_all(5000ms, &closed);
    CHECK(test::statuses(answer) == std::vector<int>{c.second});
    CHECK(closed);
  }
}

TEST_CASE("attack: the request head is bounded in bytes and in fields") {
  lgw::webhook_server_options o = small();
  lgw::webhook_server hooks(o);
  hooks.start();
  SUBCASE("a 96 MB request line without a newline") {
    const flood_result r = flood_with(hooks.port(), "POST /hook?token=k", std::string(mib, 'a'), 96 * mib);
    CHECK(test::statuses(r.answer) == std::vector<int>{414});
    CHECK(r.sent < 48 * mib);
    CHECK(r.grown_kib < budget_kib);
  }
  SUBCASE("a 96 MB header line") {
    const flood_result r =
        flood_with(hooks.port(), "POST /hook?token=k HTTP/1.1\r\nX-Big: ", std::string(mib, 'a'), 96 * mib);
    CHECK(test::statuses(r.answer) == std::vector<int>{431});
    CHECK(r.sent < 48 * mib);
    CHECK(r.grown_kib < budget_kib);
  }
  SUBCASE("a million header fields") {
    std::string many;
    for (int i = 0; i < 10000; ++i) many += "A: b\r\n";
    const flood_result r = flood_with(hooks.port(), "POST /hook?token=k HTTP/1.1\r\n", many, 1000000 * 6);
    CHECK(test::statuses(r.answer) == std::vector<int>{431});
    CHECK(r.grown_kib < budget_kib);
  }
  SUBCASE("101 short fields against max_header_count 100") {
    std::string fields;
    for (int i = 0; i < 101; ++i) fields += "A: b\r\n";
    raw_socket s(hooks.port());
    s.send("POST /hook?token=k HTTP/1.1\r\n" + fields + "\r\n");
    CHECK(test::statuses(s.read_all(5000ms)) == std::vector<int>{431});
  }
}

TEST_CASE("attack: the bodies held at once are bounded by max_body_bytes_total") {
  lgw::webhook_server_options o = small(); // 1 MiB each, 2 MiB in all
  lgw::webhook_server hooks(o);
  hooks.start();
  const std::string body = payload("held") + std::string(mib - 200, ' ');
  REQUIRE(body.size() < mib);
  const std::string head =
      "POST /hook?token=k HTTP/1.1\r\nHost: x\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n";
  raw_socket a(hooks.port()), b(hooks.port()), c(hooks.port());
  a.send(head);
  b.send(head);
  std::this_thread::sleep_for(100ms * test::slowdown); // both reserved their bodies
  c.send(head);
  const std::string third = c.read_all(5000ms);
  CHECK(test::statuses(third) == std::vector<int>{503});
  CHECK(third.find("Retry-After: 1") != std::string::npos);
  a.send(body);
  CHECK(test::statuses(a.read_all(5000ms)) == std::vector<int>{200});
  // the first body's bytes are free again: a new one fits
  raw_socket d(hooks.port());
  d.send(head + body);
  CHECK(test::statuses(d.read_all(5000ms)) == std::vector<int>{200});
  b.send(body);
  CHECK(test::statuses(b.read_all(5000ms)) == std::vector<int>{200});
}

TEST_CASE("attack: many large authenticated deliveries at once stay within the memory formula") {
  lgw::webhook_server_options o = small(); // 1 MiB bodies, 2 MiB in flight
  o.max_connections = 16;
  o.worker_threads = 4;
  o.max_backlog = 8;
  o.recent_bytes = 4 << 20;
  lgw::webhook_server hooks(o);
  hooks.on_event([](const lgw::webhook_event &) { std::this_thread::sleep_for(20ms); });
  hooks.start();
  const std::string padding(mib - 200, ' '); // shared by every sender: the test itself holds 1 MiB
  const long before = test::rss_kib();
  test::reset_peak_rss();
  std::atomic<int> ok{0}, busy{0}, other{0};
  std::vector<std::thread> senders;
  for (int i = 0; i < 16; ++i) {
    senders.emplace_back([&, i] {
      for (int k = 0; k < 4; ++k) {
        const std::string prefix =
            R"({"run_id":"big-)" + std::to_string(i) + "-" + std::to_string(k) + R"(","status":"success","pad":")";
        raw_socket s(hooks.port());
        s.send("POST /hook?token=k HTTP/1.1\r\nHost: x\r\nContent-Length: " +
               std::to_string(prefix.size() + padding.size() + 2) + "\r\n\r\n" + prefix);
        if (s.send_some(padding) && s.send_some("\"}")) {
          const auto st = test::statuses(s.read_all(10000ms * test::slowdown));
          (st == std::vector<int>{200} ? ok : st == std::vector<int>{503} ? busy : other)++;
        } else {
          ++busy; // answered 503 from the head and closed while the body was still going out
        }
      }
    });
  }
  for (auto &t : senders) t.join();
  const long grown = test::peak_rss_kib() - before;
  // The formula (README, Security) for these options: payload bytes in flight 2 MiB + kept
  // events 4 MiB + 16 connections x (16 KiB head + 16 KiB buffer) + thread stacks in use.
  MESSAGE("64 deliveries of 1 MiB: " << ok.load() << " accepted, " << busy.load() << " answered 503; peak RSS grew "
                                     << grown / 1024 << " MiB");
  CHECK(ok + busy == 64);
  CHECK(other == 0);
  CHECK(ok > 0);
  CHECK(grown < 24 * 1024 * test::memory_factor);
}

TEST_CASE("attack: slowloris keeps no real delivery waiting") {
  lgw::webhook_server_options o = small();
  o.max_connections = 16;
  o.worker_threads = 4;
  o.max_backlog = 8;
  lgw::webhook_server hooks(o);
  hooks.start();
  std::vector<std::unique_ptr<raw_socket>> slow;
  std::atomic<bool> done{false};
  for (int i = 0; i < 40; ++i) slow.push_back(std::make_unique<raw_socket>(hooks.port()));
  std::thread dripper([&] {
    for (int tick = 0; !done; ++tick) {
      for (auto &s : slow) s->send_some(tick == 0 ? std::string("POST /hook HTTP/1.1\r\n") : std::string("X"));
      std::this_thread::sleep_for(200ms);
    }
  });
  std::this_thread::sleep_for(1500ms); // every slow head is older than the eviction grace (1 s)
  std::vector<long> took;
  for (int i = 0; i < 5; ++i) {
    const auto t0 = std::chrono::steady_clock::now();
    raw_socket s(hooks.port());
    s.send(test::post("/hook?token=k", payload("real-" + std::to_string(i))));
    CHECK(test::statuses(s.read_all(5000ms)) == std::vector<int>{200});
    took.push_back(test::ms_since(t0));
  }
  done = true;
  dripper.join();
  for (long t : took) CHECK(t < 200 * test::slowdown);
  const auto cs = hooks.transport().connection_stats();
  CHECK(cs.evicted >= 1); // the first real delivery made room; later ones may find its slot free
  CHECK(cs.open <= o.max_connections);
  MESSAGE("real deliveries during slowloris answered in " << took[0] << ", " << took[1] << ", " << took[2] << ", "
                                                          << took[3] << ", " << took[4] << " ms; " << cs.evicted
                                                          << " slow connections evicted");
}

TEST_CASE("attack: a head that trickles is cut at head_timeout, a body at body_timeout (408)") {
  lgw::webhook_server_options o = small();
  o.head_timeout = 1000ms;
  o.body_timeout = 1000ms;
  lgw::webhook_server hooks(o);
  hooks.start();
  for (bool body : {false, true}) {
    CAPTURE(body);
    raw_socket s(hooks.port());
    if (body) s.send("POST /hook?token=k HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\n");
    std::atomic<bool> done{false};
    std::thread dripper([&] {
      for (std::size_t i = 0; !done && i < 200; ++i) {
        if (!s.send_some(body ? " " : (i == 0 ? "POST /hook?token=k HTTP/1.1\r\n" : "A"))) break;
        std::this_thread::sleep_for(100ms); // well within read_timeout (10 s) every time
      }
    });
    const auto t0 = std::chrono::steady_clock::now();
    bool closed = false;
    const std::string answer = s.read_all(10000ms, &closed);
    const long took = test::ms_since(t0);
    done = true;
    dripper.join();
    CHECK(test::statuses(answer) == std::vector<int>{408});
    CHECK(closed);
    CHECK(took >= 900);
    CHECK(took < 1000 + 1500 * test::slowdown);
  }
  CHECK(hooks.transport().connection_stats().timed_out == 2);
}

TEST_CASE("attack: at max_connections idle keep-alive connections are closed first") {
  lgw::webhook_server_options o = small();
  o.max_connections = 8;
  o.worker_threads = 2;
  o.max_backlog = 2;
  lgw::webhook_server hooks(o);
  hooks.start();
  std::vector<std::unique_ptr<raw_socket>> idle;
  for (int i = 0; i < 8; ++i) { // each delivers once, then waits for its next request
    idle.push_back(std::make_unique<raw_socket>(hooks.port()));
    idle.back()->send(test::post("/hook?token=k", payload("idle-" + std::to_string(i))));
    CHECK(test::statuses(idle.back()->read_all(5000ms)) == std::vector<int>{200});
  }
  std::vector<long> took;
  std::vector<std::unique_ptr<raw_socket>> fresh; // stay open (idle) too: each new one needs room
  for (int i = 0; i < 8; ++i) {
    const auto t0 = std::chrono::steady_clock::now();
    fresh.push_back(std::make_unique<raw_socket>(hooks.port()));
    fresh.back()->send(test::post("/hook?token=k", payload("new-" + std::to_string(i))));
    CHECK(test::statuses(fresh.back()->read_all(5000ms)) == std::vector<int>{200});
    took.push_back(test::ms_since(t0));
  }
  for (long t : took) CHECK(t < 200 * test::slowdown);
  CHECK(hooks.transport().connection_stats().evicted >= 8);
  int closed = 0;
  for (auto &s : idle) closed += s->closed_within(1000ms);
  CHECK(closed == 8); // the oldest idle ones made room
}

TEST_CASE("attack: thousands of idle connections keep descriptors bounded, and each is answered") {
  lgw::webhook_server_options o = small();
  o.max_connections = 32;
  o.worker_threads = 4;
  o.max_backlog = 8;
  lgw::webhook_server hooks(o);
  hooks.start();
  const int base = test::open_fds();
  std::vector<std::unique_ptr<raw_socket>> conns;
  for (int i = 0; i < 1500; ++i) conns.push_back(std::make_unique<raw_socket>(hooks.port()));
  std::this_thread::sleep_for(300ms * test::slowdown);
  const int server_side = test::open_fds() - base - 1500; // the receiver's own descriptors
  const auto cs = hooks.transport().connection_stats();
  MESSAGE("1,500 idle connections: the receiver holds " << server_side << " descriptors, " << cs.open << " in service, "
                                                        << cs.refused << " answered 503, " << cs.dropped << " dropped");
  CHECK(cs.open <= 32);
  CHECK(cs.refused + cs.dropped + cs.evicted >= 1500 - 32);
  CHECK(server_side <= 32 + int(lgw::detail::closing_connections::capacity) + 8);
  // Every refused one got an answer: 503 with Retry-After.
  int answered = 0;
  for (std::size_t i = 32; i < 132; ++i)
    answered += test::statuses(conns[i]->read_all(2000ms)) == std::vector<int>{503};
  CHECK(answered >= 95);
  // A second later the refused ones are closed: only the connections in service hold descriptors.
  conns.clear();
  std::this_thread::sleep_for(1500ms);
  CHECK(test::open_fds() - base <= 32 + 8);
  // and a real delivery still goes through
  raw_socket s(hooks.port());
  s.send(test::post("/hook?token=k", payload("after-flood")));
  CHECK(test::statuses(s.read_all(5000ms)) == std::vector<int>{200});
}

TEST_CASE("overload is answered 503 with Retry-After under the default options") {
  lgw::webhook_server hooks; // defaults: 8 callbacks, 64 waiting, 256 connections; a random secret
  hooks.on_event([&](const lgw::webhook_event &) { std::this_thread::sleep_for(300ms); });
  hooks.start();
  const std::string url = hooks.url();
  const std::string target = url.substr(url.find("/langgraph"));
  constexpr int n = 300;
  std::vector<std::string> answers(n);
  std::vector<std::thread> senders;
  std::atomic<int> connected{0};
  const auto t0 = std::chrono::steady_clock::now();
  for (int i = 0; i < n; ++i) {
    senders.emplace_back([&, i] {
      raw_socket s(hooks.port());
      ++connected;
      s.send(test::post(target, payload("load-" + std::to_string(i))));
      answers[std::size_t(i)] = s.read_all(60000ms);
    });
  }
  for (auto &t : senders) t.join();
  const long took = test::ms_since(t0);
  int ok = 0, busy = 0, retry_after = 0;
  for (const auto &a : answers) {
    const auto st = test::statuses(a);
    ok += st == std::vector<int>{200};
    busy += st == std::vector<int>{503};
    retry_after += a.find("Retry-After: 1") != std::string::npos;
  }
  MESSAGE(n << " deliveries to a 300 ms handler: " << ok << " accepted, " << busy << " answered 503, in " << took
            << " ms");
  CHECK(ok + busy == n); // every one answered
  CHECK(retry_after == busy);
  CHECK(ok >= 8 + 64);
  CHECK(busy > 0);
  CHECK(hooks.stats().busy + hooks.transport().connection_stats().refused == std::uint64_t(busy));
}

TEST_CASE("stop() returns at once while a client trickles a body, and touches only its own connections") {
  lgw::webhook_server_options o = small();
  lgw::webhook_server hooks(o);
  hooks.start();
  const int port = hooks.port();

  // Someone else's listener on the same port number of another loopback address, with a
  // connection: the old stop() shut down every socket of the process on that port number.
  int other = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(static_cast<std::uint16_t>(port));
  a.sin_addr.s_addr = htonl(0x7F000002); // 127.0.0.2
  REQUIRE(::bind(other, reinterpret_cast<sockaddr *>(&a), sizeof(a)) == 0);
  REQUIRE(::listen(other, 4) == 0);
  int client = ::socket(AF_INET, SOCK_STREAM, 0);
  REQUIRE(::connect(client, reinterpret_cast<sockaddr *>(&a), sizeof(a)) == 0);
  int accepted = ::accept(other, nullptr, nullptr);
  REQUIRE(accepted >= 0);

  raw_socket trickle(port);
  trickle.send("POST /hook?token=k HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\n{");
  std::atomic<bool> done{false};
  std::thread dripper([&] {
    while (!done && trickle.send_some(" ")) std::this_thread::sleep_for(50ms);
  });
  std::this_thread::sleep_for(200ms);
  const auto t0 = std::chrono::steady_clock::now();
  hooks.stop();
  const long took = test::ms_since(t0);
  done = true;
  dripper.join();
  CHECK(took < 500 * test::slowdown);
  CHECK(trickle.closed_within(1000ms));

  // the other listener's connection is untouched: both directions still work
  CHECK(::send(client, "ping", 4, MSG_NOSIGNAL) == 4);
  char buf[8] = {};
  CHECK(::recv(accepted, buf, sizeof(buf), 0) == 4);
  CHECK(::send(accepted, "pong", 4, MSG_NOSIGNAL) == 4);
  CHECK(::recv(client, buf, sizeof(buf), 0) == 4);
  ::close(client);
  ::close(accepted);
  ::close(other);
  MESSAGE("stop() during a trickled body took " << took << " ms");
}

TEST_CASE("keep-alive: the receiver outlasts the senders' pools and says so") {
  lgw::webhook_server_options o = small();
  CHECK(o.keep_alive_timeout > 60s); // the Python server keeps pooled connections 60 s
  lgw::webhook_server hooks(o);
  hooks.start();
  raw_socket s(hooks.port());
  s.send(test::post("/hook?token=k", payload("ka-1")));
  const std::string first = s.read_all(5000ms);
  CHECK(test::statuses(first) == std::vector<int>{200});
  CHECK(first.find("Keep-Alive: timeout=75\r\n") != std::string::npos);
  std::this_thread::sleep_for(5500ms); // past the old 5 s idle timeout that raced the senders
  s.send(test::post("/hook?token=k", payload("ka-2")));
  CHECK(test::statuses(s.read_all(5000ms)) == std::vector<int>{200});
}

TEST_CASE("pipelined requests are each answered, in order") {
  lgw::webhook_server hooks(small());
  hooks.start();
  raw_socket s(hooks.port());
  s.send(test::post("/hook?token=k", payload("p1")) + test::post("/hook?token=k", payload("p1")) +
         test::post("/hook?token=k", "not json") + "\r\n" + test::post("/hook?token=k", payload("p2")));
  std::string all;
  for (int i = 0; i < 40 && test::statuses(all).size() < 4; ++i) all += s.read_all(500ms);
  CHECK(test::statuses(all) == std::vector<int>{200, 200, 400, 200});
  CHECK(all.find("duplicate delivery") != std::string::npos);
  CHECK(hooks.wait_for("p2", 0ms));
}

TEST_CASE("Expect: 100-continue is answered only once the head passed") {
  lgw::webhook_server hooks(small());
  hooks.start();
  const std::string body = payload("cont");
  const std::string head =
      "Host: x\r\nContent-Length: " + std::to_string(body.size()) + "\r\nExpect: 100-continue\r\n\r\n";
  raw_socket ok(hooks.port());
  ok.send("POST /hook?token=k HTTP/1.1\r\n" + head);
  CHECK(ok.read_all(2000ms).rfind("HTTP/1.1 100 Continue\r\n\r\n", 0) == 0);
  ok.send(body);
  CHECK(test::statuses(ok.read_all(2000ms)) == std::vector<int>{200});
  raw_socket denied(hooks.port());
  denied.send("POST /hook?token=no HTTP/1.1\r\n" + head);
  CHECK(test::statuses(denied.read_all(2000ms)) == std::vector<int>{401}); // no 100 first
}

// ---- found by an attacker's review of the above ------------------------------------------

TEST_CASE("attack: a huge `error` member is never parsed into a DOM") {
  lgw::webhook_server_options o = small();
  o.max_body_bytes = 16 << 20;
  o.max_body_bytes_total = 32 << 20;
  lgw::webhook_server hooks(o);
  std::optional<lgw::run_error> seen;
  hooks.on_event([&](const lgw::webhook_event &e) { seen = e.error; });
  hooks.start();
  std::string elements;
  for (int i = 0; i < (8 << 20) / 3; ++i) elements += "{},";
  const std::string body = R"({"run_id":"err-dom","status":"error","error":[)" + elements + "{}]}";
  const long before = test::rss_kib();
  test::reset_peak_rss();
  raw_socket s(hooks.port());
  s.send(test::post("/hook?token=k", body));
  CHECK(test::statuses(s.read_all(10000ms * test::slowdown)) == std::vector<int>{200});
  const long grown = test::peak_rss_kib() - before;
  MESSAGE("an 8 MiB `error` of empty objects: peak RSS +" << grown / 1024 << " MiB");
  CHECK(grown < (48 << 10) * test::memory_factor); // a DOM of it took ~200 MiB
  REQUIRE(seen);
  CHECK(seen->message.size() <= 2003);
  CHECK(seen->message.rfind("[{},{},", 0) == 0);
}

TEST_CASE("attack: stop() is not held by connections admitted just before it") {
  lgw::webhook_server_options o = small();
  o.head_timeout = 3000ms;
  for (int round = 0; round < 20; ++round) {
    lgw::webhook_server hooks(o);
    hooks.start();
    std::atomic<bool> done{false};
    std::thread flood([&, port = hooks.port()] {
      std::vector<int> conns;
      while (!done && conns.size() < 200) {
        const int fd = test::try_connect(port);
        if (fd < 0) break; // stopped
        conns.push_back(fd);
      }
      while (!done) std::this_thread::sleep_for(1ms);
      for (int fd : conns) ::close(fd);
    });
    std::this_thread::sleep_for(std::chrono::milliseconds(round % 5));
    const auto t0 = std::chrono::steady_clock::now();
    hooks.stop();
    const long took = test::ms_since(t0);
    done = true;
    flood.join();
    CAPTURE(round);
    CHECK(took < 1000 * test::slowdown); // not head_timeout
  }
}

TEST_CASE("attack: connections refused from their head do not hold a slot while they close") {
  lgw::webhook_server_options o = small();
  o.max_connections = 4;
  o.worker_threads = 2;
  o.max_backlog = 2;
  lgw::webhook_server hooks(o);
  hooks.start();
  std::vector<std::unique_ptr<raw_socket>> refused;
  for (int i = 0; i < 20; ++i) { // each answered 401, then kept open by the sender
    refused.push_back(std::make_unique<raw_socket>(hooks.port()));
    refused.back()->send(test::post("/hook?token=wrong", payload("x")));
  }
  std::this_thread::sleep_for(200ms);
  for (int i = 0; i < 5; ++i) {
    raw_socket s(hooks.port());
    s.send(test::post("/hook?token=k", payload("through-" + std::to_string(i))));
    CHECK(test::statuses(s.read_all(5000ms)) == std::vector<int>{200});
  }
}

TEST_CASE("attack: a flood of connections does not leave threads behind") {
  auto threads = [] {
    int n = 0;
    if (DIR *d = ::opendir("/proc/self/task")) {
      while (const dirent *e = ::readdir(d)) n += e->d_name[0] != '.';
      ::closedir(d);
    }
    return n;
  };
  lgw::webhook_server_options o = small();
  o.max_connections = 16;
  o.worker_threads = 4;
  o.max_backlog = 8;
  lgw::webhook_server hooks(o);
  hooks.start();
  const int base = threads();
  for (int wave = 0; wave < 5; ++wave) {
    std::vector<std::unique_ptr<raw_socket>> conns;
    for (int i = 0; i < 120; ++i) conns.push_back(std::make_unique<raw_socket>(hooks.port()));
    std::this_thread::sleep_for(1100ms); // old enough to be evicted by the next wave
  }
  const int grown = threads() - base;
  MESSAGE("threads after 5 waves of 120 connections against max_connections 16: +" << grown);
  CHECK(grown <= 16 + 8 + 2); // connection threads, plus the closing thread
}

TEST_CASE("connection_stats() may be read while the receiver starts and stops") {
  lgw::webhook_server hooks(small());
  std::atomic<bool> done{false};
  std::thread reader([&] {
    while (!done) (void)hooks.transport().connection_stats();
  });
  for (int i = 0; i < 50; ++i) {
    hooks.start();
    hooks.stop();
  }
  done = true;
  reader.join();
  CHECK_FALSE(hooks.running());
}

TEST_CASE("wait_for and call_timeout take any duration without overflowing the clock") {
  lgw::webhook_server_options o = small();
  lgw::basic_webhook_server<lgw::mock_server_transport> hooks(o);
  hooks.start();
  CHECK(hooks.transport().post("/hook?token=k", payload("forever")).status == 200);
  CHECK(hooks.wait_for("forever", std::chrono::milliseconds::max())); // there already: no wait
}
