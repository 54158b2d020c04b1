// Receiver throughput: the server side of bench/run_receiver_bench.sh, which drives it with
// wrk (bench/receiver_throughput.lua) next to bench/node_receiver.mjs. One receiver per run:
//
//   receiver_throughput --receiver lgw|bare [--port N] [--path /langgraph/webhook]
//
//   lgw   lgw::webhook_server; its on_event callback counts the deliveries (each one already
//         checked by the library: JSON, run payload shape, not a repeat) whose status is success.
//   bare  what many users would write instead: a plain httplib::Server whose POST handler does
//         nlohmann::json::parse of the body, checks that run_id is a string, counts, answers 200.
//
// Prints "port N" once listening, serves until SIGINT or SIGTERM, then prints
// "validated N" (deliveries fully validated and counted) and exits 0.
#include "langgraph_webhooks.hpp"

#include <atomic>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>
#include <sys/socket.h>
#include <thread>

#include <pthread.h>

namespace lgw = langgraph::webhooks;

namespace {

// Enough for the benchmark's 64 keep-alive connections plus the ones being re-opened: both
// servers hold one thread per connection for the connection's whole life.
constexpr std::size_t connection_threads = 72;

std::atomic<std::uint64_t> validated{0};

int usage() {
  std::fprintf(stderr, "usage: receiver_throughput --receiver lgw|bare [--port N] [--path P]\n");
  return 2;
}

// Blocks SIGINT/SIGTERM in this thread (before any server thread exists, so every thread
// inherits it) and returns the set to sigwait() on.
sigset_t block_stop_signals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  return set;
}

void wait_for_stop_signal(const sigset_t &set) {
  int sig = 0;
  while (sigwait(&set, &sig) != 0) {
  }
}

int run_lgw(int port, const std::string &path, const sigset_t &stop) {
  lgw::webhook_server_options o;
  o.host = "127.0.0.1";
  o.port = port;
  o.path = path;
  // At most one delivery per connection is in progress, so worker_threads >= connections
  // means no delivery ever waits for a callback slot: the callback is never the limit.
  o.worker_threads = connection_threads;
  o.max_backlog = 0;
  o.max_connections = connection_threads;
  o.secret = "bench-token"; // checked on every delivery, as by default (the baselines check none)
  lgw::webhook_server server(o);
  server.on_event([](const lgw::webhook_event &ev) {
    if (ev.status == lgw::run_status::success) validated.fetch_add(1, std::memory_order_relaxed);
  });
  server.start();
  std::printf("port %d\n", server.port());
  std::fflush(stdout);
  wait_for_stop_signal(stop);
  server.stop();
  const lgw::webhook_server_stats s = server.stats();
  std::printf("validated %llu\n", static_cast<unsigned long long>(validated.load()));
  std::printf("stats accepted=%llu duplicates=%llu rejected=%llu busy=%llu failed=%llu\n",
              static_cast<unsigned long long>(s.accepted), static_cast<unsigned long long>(s.duplicates),
              static_cast<unsigned long long>(s.rejected), static_cast<unsigned long long>(s.busy),
              static_cast<unsigned long long>(s.failed));
  return 0;
}

int run_bare(int port, const std::string &path, const sigset_t &stop) {
  httplib::Server server;
  server.set_tcp_nodelay(true);
  // httplib's default pool (CPPHTTPLIB_THREAD_POOL_COUNT: 8 here) serves each keep-alive
  // connection on one thread until it closes: 64 connections would starve on 8 threads.
  server.new_task_queue = [] { return new httplib::ThreadPool(connection_threads); };
  // Same keep-alive policy as lgw's defaults (httplib's own closes a connection after 5
  // requests, which would measure reconnects rather than parsing).
  server.set_keep_alive_max_count(1000);
  server.set_keep_alive_timeout(5);
  int listen_socket = -1;
  server.set_socket_options([&listen_socket](socket_t sock) {
    int yes = 1;
    ::setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, reinterpret_cast<const char *>(&yes), sizeof(yes));
    listen_socket = static_cast<int>(sock);
  });
  server.Post(path, [](const httplib::Request &req, httplib::Response &res) {
    try {
      const nlohmann::json j = nlohmann::json::parse(req.body);
      if (!j.is_object() || !j.contains("run_id") || !j["run_id"].is_string()) {
        res.status = 422;
        res.set_content(R"({"detail":"not a run payload"})", "application/json");
        return;
      }
    } catch (const nlohmann::json::parse_error &) {
      res.status = 400;
      res.set_content(R"({"detail":"not JSON"})", "application/json");
      return;
    }
    validated.fetch_add(1, std::memory_order_relaxed);
    res.set_content(R"({"detail":"ok"})", "application/json");
  });
  const int bound =
      port == 0 ? server.bind_to_any_port("127.0.0.1") : (server.bind_to_port("127.0.0.1", port) ? port : -1);
  if (bound <= 0) {
    std::fprintf(stderr, "bare: cannot listen on 127.0.0.1:%d\n", port);
    return 1;
  }
  // Debian's compiled cpp-httplib listens with a backlog of 5; raise it as lgw does, so 64
  // connections opening at once are not dropped and retried a second later.
  if (listen_socket >= 0) ::listen(listen_socket, 1024);
  std::thread serving([&server] { server.listen_after_bind(); });
  while (!server.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  std::printf("port %d\n", bound);
  std::fflush(stdout);
  wait_for_stop_signal(stop);
  server.stop();
  serving.join();
  std::printf("validated %llu\n", static_cast<unsigned long long>(validated.load()));
  return 0;
}

} // namespace

int main(int argc, char **argv) {
  std::string receiver, path = "/langgraph/webhook";
  int port = 0;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (i + 1 >= argc) return usage();
    if (a == "--receiver")
      receiver = argv[++i];
    else if (a == "--port")
      port = std::atoi(argv[++i]);
    else if (a == "--path")
      path = argv[++i];
    else
      return usage();
  }
  const sigset_t stop = block_stop_signals();
  try {
    if (receiver == "lgw") return run_lgw(port, path, stop);
    if (receiver == "bare") return run_bare(port, path, stop);
  } catch (const std::exception &e) {
    std::fprintf(stderr, "receiver_throughput: %s\n", e.what());
    return 1;
  }
  return usage();
}
