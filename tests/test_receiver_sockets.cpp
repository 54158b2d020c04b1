// webhook_server on real loopback sockets: body limit before reading, slow clients, many
// concurrent deliveries, stop while busy, fairness under keep-alive load, connection bursts.
#include "langgraph_webhooks.hpp"

#include "sockets.hpp"
#include "test_support.hpp"

#include <doctest/doctest.h>

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <fstream>
#include <memory>
#include <set>
#include <thread>

using nlohmann::json;
using namespace std::chrono_literals;

namespace {

using test::raw_socket;
constexpr auto latency_bound = 100ms * test::slowdown;

std::string payload(const std::string &run_id) {
  return json{{"run_id", run_id}, {"thread_id", "t"}, {"status", "success"}, {"values", {{"messages", json::array()}}}}
      .dump();
}

// Most tests here are not about the secret: they deliver without one.
lgw::webhook_server_options opts() {
  lgw::webhook_server_options o;
  o.path = "/hook";
  o.require_secret = false;
  return o;
}

httplib::Client client_for(const lgw::webhook_server &s) {
  httplib::Client c("127.0.0.1", s.port());
  c.set_keep_alive(true);
  c.set_tcp_nodelay(true);
  c.set_read_timeout(10, 0);
  return c;
}

} // namespace

TEST_CASE("webhook_server: a delivery over a real socket, then wait_for") {
  lgw::webhook_server_options o = opts();
  o.secret = "k";
  lgw::webhook_server hooks(o);
  hooks.start();
  REQUIRE(hooks.port() > 0);
  CHECK(hooks.url() == "http://127.0.0.1:" + std::to_string(hooks.port()) + "/hook?token=k");
  auto c = client_for(hooks);
  auto res = c.Post("/hook?token=k&job=7", {{"X-Tenant", "acme"}}, payload("sock-1"), "text/plain;charset=UTF-8");
  REQUIRE(res);
  CHECK(res->status == 200);
  CHECK(res->get_header_value("Content-Type") == "application/json");
  auto ev = hooks.wait_for("sock-1", 5s);
  REQUIRE(ev);
  CHECK(ev->query_value("job") == "7");
  CHECK(ev->query_value("token").empty()); // the secret is never exposed
  CHECK(ev->header("x-tenant") == "acme"); // case-insensitive
  CHECK(ev->header("Content-Type") == "text/plain;charset=UTF-8");
  auto denied = c.Post("/hook", payload("sock-2"), "application/json");
  REQUIRE(denied);
  CHECK(denied->status == 401);
}

TEST_CASE("webhook_server: a second receiver on a taken port fails clearly") {
  lgw::webhook_server first(opts());
  first.start();
  lgw::webhook_server_options o = opts();
  o.port = first.port();
  lgw::webhook_server second(o);
  try {
    second.start();
    FAIL("expected the port to be taken");
  } catch (const lgw::error &e) {
    CHECK(e.kind() == lgw::error_kind::connection);
    CHECK(std::string(e.what()).find(std::to_string(o.port)) != std::string::npos);
  }
}

TEST_CASE("webhook_server: a body over the limit is refused from its Content-Length, unread") {
  lgw::webhook_server_options o = opts();
  o.max_body_bytes = 1 << 20;
  lgw::webhook_server hooks(o);
  hooks.start();
  raw_socket s(hooks.port());
  s.send("POST /hook HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: "
         "100000000\r\n\r\n{\"run_id\":");
  const std::string answer = s.read_all(5s);
  CHECK(answer.rfind("HTTP/1.1 413", 0) == 0);
  CHECK(hooks.stats().accepted == 0);
}

TEST_CASE("webhook_server: a client that stops mid-body holds only its own connection") {
  lgw::webhook_server_options o = opts();
  o.read_timeout = 1s;
  lgw::webhook_server hooks(o);
  std::atomic<int> delivered{0};
  hooks.on_event([&](const lgw::webhook_event &) { ++delivered; });
  hooks.start();
  raw_socket slow(hooks.port());
  const std::string body = payload("slow");
  slow.send("POST /hook HTTP/1.1\r\nHost: x\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n" +
            body.substr(0, body.size() / 2));
  auto c = client_for(hooks);
  for (int i = 0; i < 20; ++i) {
    auto res = c.Post("/hook", payload("fast-" + std::to_string(i)), "text/plain");
    REQUIRE(res);
    CHECK(res->status == 200);
  }
  CHECK(delivered == 20);
  // after read_timeout of silence the receiver gives up on it: 408, and the connection closes
  CHECK(slow.read_all(5s).rfind("HTTP/1.1 408", 0) == 0);
  CHECK(delivered == 20);
}

TEST_CASE("webhook_server: 2,000 deliveries from 32 connections, each delivered exactly once") {
  lgw::webhook_server_options o = opts();
  o.recent_events = 4096;
  lgw::webhook_server hooks(o);
  std::mutex m;
  std::multiset<std::string> seen;
  hooks.on_event([&](const lgw::webhook_event &e) {
    std::lock_guard<std::mutex> lock(m);
    seen.insert(e.run_id);
  });
  hooks.start();
  constexpr int connections = 32, total = 2000;
  std::atomic<int> ok{0}, not_ok{0};
  std::vector<std::thread> senders;
  for (int c = 0; c < connections; ++c) {
    senders.emplace_back([&, c] {
      auto cli = client_for(hooks);
      for (int i = c; i < total; i += connections) {
        auto res = cli.Post("/hook", payload("run-" + std::to_string(i)), "text/plain;charset=UTF-8");
        (res && res->status == 200 ? ok : not_ok)++;
      }
    });
  }
  for (auto &t : senders) t.join();
  CHECK(ok == total);
  CHECK(not_ok == 0);
  std::lock_guard<std::mutex> lock(m);
  CHECK(seen.size() == std::size_t(total));
  CHECK(std::set<std::string>(seen.begin(), seen.end()).size() == std::size_t(total));
  CHECK(hooks.stats().accepted == std::uint64_t(total));
  CHECK(hooks.stats().duplicates == 0);
}

TEST_CASE("webhook_server: stop() while busy lets accepted deliveries finish") {
  lgw::webhook_server hooks(opts());
  std::atomic<int> started{0}, finished{0};
  hooks.on_event([&](const lgw::webhook_event &) {
    ++started;
    std::this_thread::sleep_for(300ms);
    ++finished;
  });
  hooks.start();
  const int port = hooks.port();
  std::vector<int> statuses(6, 0);
  std::vector<std::thread> senders;
  for (int i = 0; i < 6; ++i) {
    senders.emplace_back([&, i] {
      httplib::Client c("127.0.0.1", port);
      c.set_read_timeout(10, 0);
      auto res = c.Post("/hook", payload("busy-" + std::to_string(i)), "text/plain");
      statuses[std::size_t(i)] = res ? res->status : -1;
    });
  }
  for (int i = 0; i < 2000 && started < 6; ++i) std::this_thread::sleep_for(1ms);
  REQUIRE(started == 6);
  hooks.stop(); // returns once the six callbacks are done and answered
  CHECK(finished == 6);
  for (auto &t : senders) t.join();
  CHECK(statuses == std::vector<int>(6, 200));
  CHECK_FALSE(hooks.running());
  httplib::Client after("127.0.0.1", port);
  after.set_connection_timeout(1, 0);
  CHECK_FALSE(after.Post("/hook", payload("late"), "text/plain"));
  for (int i = 0; i < 6; ++i) CHECK(hooks.wait_for("busy-" + std::to_string(i), 0ms));

  hooks.start(); // a restart binds the same port, so runs created earlier still reach it
  CHECK(hooks.port() == port);
  auto again = client_for(hooks).Post("/hook", payload("after-restart"), "text/plain");
  REQUIRE(again);
  CHECK(again->status == 200);
}

TEST_CASE("webhook_server: stop() does not wait for idle keep-alive connections") {
  lgw::webhook_server_options o = opts();
  o.keep_alive_timeout = 30s; // what a LangGraph server's connection pool may hold open
  lgw::webhook_server hooks(o);
  hooks.start();
  raw_socket idle(hooks.port());
  const std::string body = payload("idle-1");
  idle.send("POST /hook HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\nContent-Length: " +
            std::to_string(body.size()) + "\r\n\r\n" + body);
  CHECK(idle.read_all(2s).rfind("HTTP/1.1 200", 0) == 0);
  raw_socket never_sent(hooks.port()); // connected, no request yet
  std::this_thread::sleep_for(50ms);   // both wait for their next request now
  const auto t0 = std::chrono::steady_clock::now();
  hooks.stop();
  const auto took = std::chrono::steady_clock::now() - t0;
  CHECK(took < 10 * latency_bound); // not the 30 s of keep_alive_timeout
  bool closed = false;
  idle.read_all(2s, &closed);
  CHECK(closed);
  CHECK(hooks.wait_for("idle-1", 0ms));
  MESSAGE("stop() with two idle connections took "
          << std::chrono::duration_cast<std::chrono::milliseconds>(took).count() << " ms");
}

TEST_CASE("webhook_server: a new connection is answered promptly while 64 keep-alive connections keep it busy") {
  lgw::webhook_server hooks(opts());
  hooks.start();
  std::atomic<bool> stop{false};
  std::atomic<long> background{0};
  std::vector<std::thread> load;
  for (int c = 0; c < 64; ++c) {
    load.emplace_back([&, c] {
      auto cli = client_for(hooks);
      for (int i = 0; !stop; ++i)
        if (cli.Post("/hook", payload("load-" + std::to_string(c) + "-" + std::to_string(i)), "text/plain"))
          ++background;
    });
  }
  while (background < 640) std::this_thread::sleep_for(1ms); // every connection is open and busy
  std::vector<std::chrono::milliseconds> latencies;
  for (int i = 0; i < 5; ++i) {
    const auto t0 = std::chrono::steady_clock::now();
    httplib::Client fresh("127.0.0.1", hooks.port());
    auto res = fresh.Post("/hook", payload("fresh-" + std::to_string(i)), "text/plain");
    latencies.push_back(std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - t0));
    REQUIRE(res);
    CHECK(res->status == 200);
  }
  stop = true;
  for (auto &t : load) t.join();
  // Starved, a new connection would wait for a keep-alive connection to close (75 s here) and
  // its client would give up after 5 s. Answered, the first one still waits its turn behind the
  // deliveries already queued for the 8 callback slots (up to 64): in an unoptimised build on 2
  // busy cores, 3 runs in 12 took 100-265 ms (CI failed at 102 ms with a bound of 100 ms), the
  // others 3-26 ms. So each has a bound far from starvation, and the middle one a tight bound.
  for (auto l : latencies) CHECK(l < 10 * latency_bound);
  auto sorted = latencies;
  std::sort(sorted.begin(), sorted.end());
  CHECK(sorted[sorted.size() / 2] < latency_bound);
  std::string shown;
  for (auto l : latencies) shown += std::to_string(l.count()) + " ms ";
  MESSAGE("new-connection latencies under load: " << shown);
}

TEST_CASE("webhook_server: connections opened all at once are each answered promptly") {
  lgw::webhook_server hooks(opts());
  hooks.start();
  // Each burst is larger than the last, so it needs new threads while earlier ones are idle;
  // every connection stays open until all are answered, so none can wait for another to close.
  for (int n : {2, 4, 8, 16, 32, 48}) {
    std::vector<std::thread> clients;
    std::vector<std::chrono::milliseconds> latencies(std::size_t(n), std::chrono::milliseconds(999999));
    std::atomic<int> ready{0}, answered{0};
    for (int i = 0; i < n; ++i) {
      clients.emplace_back([&, i] {
        auto cli = client_for(hooks);
        ++ready;
        while (ready < n) std::this_thread::yield(); // start together
        const auto t0 = std::chrono::steady_clock::now();
        auto res = cli.Post("/hook", payload("burst-" + std::to_string(n) + "-" + std::to_string(i)), "text/plain");
        if (res && res->status == 200)
          latencies[std::size_t(i)] =
              std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - t0);
        ++answered;
        for (int k = 0; k < 20000 && answered < n; ++k) std::this_thread::sleep_for(1ms);
      });
    }
    for (auto &t : clients) t.join();
    CAPTURE(n);
    for (auto l : latencies) CHECK(l < 3 * latency_bound);
  }
}

TEST_CASE("webhook_server: a burst of 500 connections is not dropped by a short listen backlog") {
  lgw::webhook_server hooks(opts());
  hooks.start();
  std::vector<int> fds;
  const sockaddr_in a = test::loopback_address(hooks.port());
  for (int i = 0; i < 500; ++i) {
    int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    REQUIRE(fd >= 0);
    ::fcntl(fd, F_SETFL, O_NONBLOCK);
    ::connect(fd, reinterpret_cast<const sockaddr *>(&a), sizeof(a));
    fds.push_back(fd);
  }
  // With a backlog of 5 most handshakes would wait for a SYN retransmit (1 s); here all complete.
  std::vector<pollfd> polls;
  for (int fd : fds) polls.push_back(pollfd{fd, POLLOUT, 0});
  const auto deadline = std::chrono::steady_clock::now() + 800ms;
  std::size_t connected = 0;
  while (std::chrono::steady_clock::now() < deadline) {
    ::poll(polls.data(), polls.size(), 50);
    connected = 0;
    for (auto &p : polls) {
      int err = 1;
      socklen_t len = sizeof(err);
      if ((p.revents & POLLOUT) && ::getsockopt(p.fd, SOL_SOCKET, SO_ERROR, &err, &len) == 0 && err == 0) ++connected;
    }
    if (connected == fds.size()) break;
  }
  for (int fd : fds) ::close(fd);
  CHECK(connected == fds.size());
  // The receiver notices the 500 closes on its own threads; until then they count against
  // max_connections and a new delivery may find no slot (503). Wait for them, bounded.
  for (int i = 0; i < 100 * test::slowdown && hooks.transport().connection_stats().open > 0; ++i)
    std::this_thread::sleep_for(50ms);
  CHECK(hooks.transport().connection_stats().open == 0);
  auto res = client_for(hooks).Post("/hook", payload("after-burst"), "text/plain");
  REQUIRE(res);
  CHECK(res->status == 200);
}

// Sanitizers reserve their shadow memory up front and map more as they go: an address-space
// limit says nothing about the receiver there, so this test is built without them only.
#if !defined(__SANITIZE_ADDRESS__) && !defined(__SANITIZE_THREAD__)
TEST_CASE("webhook_server: when the system refuses a thread, the connection gets 503 and the process goes on") {
  lgw::webhook_server hooks(opts());
  hooks.start();
  // A tasks limit (ulimit -u, a container's pids limit, systemd's TasksMax) refuses threads
  // below max_connections; an address-space limit that leaves room for about 16 more thread
  // stacks refuses them the same way, for this process alone. Unauthenticated senders that
  // open idle connections then made pthread_create fail on the accepting thread, whose
  // std::system_error ended the process (found by an attacker's review).
  pthread_attr_t attr;
  std::size_t stack = 0;
  pthread_attr_init(&attr);
  pthread_attr_getstacksize(&attr, &stack);
  pthread_attr_destroy(&attr);
  long pages = 0;
  std::ifstream("/proc/self/statm") >> pages;
  rlimit old{};
  REQUIRE(::getrlimit(RLIMIT_AS, &old) == 0);
  rlimit low = old;
  low.rlim_cur = rlim_t(pages) * rlim_t(::sysconf(_SC_PAGESIZE)) + 16 * rlim_t(stack);
  REQUIRE(::setrlimit(RLIMIT_AS, &low) == 0);
  std::vector<std::unique_ptr<raw_socket>> idle;
  for (int i = 0; i < 64; ++i) idle.push_back(std::make_unique<raw_socket>(hooks.port()));
  lgw::connection_stats st;
  for (int i = 0; i < 200; ++i) { // every connection taken into service or refused, bounded
    st = hooks.transport().connection_stats();
    if (st.accepted + st.refused + st.dropped >= idle.size()) break;
    std::this_thread::sleep_for(10ms);
  }
  REQUIRE(::setrlimit(RLIMIT_AS, &old) == 0);
  CHECK(st.accepted + st.refused + st.dropped == idle.size());
  CHECK(st.accepted >= 1);
  CHECK(st.accepted < idle.size());
  // the others were answered 503 (and closed at once, "dropped", when even the closing thread
  // could not be made)
  std::size_t answered_503 = 0;
  for (auto &s : idle)
    if (s->read_all(50ms).rfind("HTTP/1.1 503", 0) == 0) ++answered_503;
  CHECK(answered_503 == idle.size() - st.accepted);
  MESSAGE("64 idle connections with room for ~16 thread stacks: " << st.accepted << " in service, " << answered_503
                                                                  << " answered 503, of them " << st.dropped
                                                                  << " closed at once");
  idle.clear();
  // the receiver goes on: a delivery is served (by a thread made before, or a new one now)
  auto res = client_for(hooks).Post("/hook", payload("after-thread-limit"), "text/plain");
  REQUIRE(res);
  CHECK(res->status == 200);
  CHECK(hooks.wait_for("after-thread-limit", 0s));
}
#endif
