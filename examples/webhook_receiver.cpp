// A stand-alone webhook receiver: prints every accepted LangGraph webhook as one JSON line.
//
//   webhook_receiver [--host H] [--port P] [--path PATH] [--secret S] [--max-body BYTES] [--count N] [--quiet]
//
// Prints "listening <url>" on stderr once bound (with --secret, the secret is a query parameter
// of that URL, so any LangGraph server can call it as is). Exits 0 after N accepted calls with
// --count, and stops cleanly on SIGINT or SIGTERM.
#include "langgraph_webhooks.hpp"

#include <condition_variable>
#include <csignal>
#include <cstdlib>
#include <iostream>
#include <mutex>
#include <pthread.h>
#include <string>
#include <thread>

namespace lgw = langgraph::webhooks;

int main(int argc, char **argv) {
  lgw::webhook_server_options o;
  long count = 0;
  bool quiet = false;
  for (int i = 1; i < argc; ++i) {
    const std::string flag = argv[i];
    if (flag == "--quiet") {
      quiet = true;
      continue;
    }
    if (i + 1 >= argc || flag.rfind("--", 0) != 0) {
      std::cerr << "usage: webhook_receiver [--host H] [--port P] [--path PATH] [--secret S] [--max-body BYTES] "
                   "[--count N] [--quiet]\n";
      return 1;
    }
    const std::string value = argv[++i];
    if (flag == "--host")
      o.host = value;
    else if (flag == "--port")
      o.port = std::atoi(value.c_str());
    else if (flag == "--path")
      o.path = value;
    else if (flag == "--secret")
      o.secret = value;
    else if (flag == "--max-body")
      o.max_body_bytes = std::strtoull(value.c_str(), nullptr, 10);
    else if (flag == "--count")
      count = std::atol(value.c_str());
    else {
      std::cerr << "webhook_receiver: unknown option " << flag << '\n';
      return 1;
    }
  }

  // SIGINT/SIGTERM are taken by one thread with sigwait; every other thread blocks them.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  std::mutex m;
  std::condition_variable done;
  long accepted = 0;
  bool stop = false;

  lgw::webhook_server hooks(o);
  hooks.on_event([&](const lgw::webhook_event &e) {
    std::lock_guard<std::mutex> lock(m);
    if (!quiet) std::cout << e.json().dump() << std::endl;
    if (count > 0 && ++accepted >= count) done.notify_all();
  });
  try {
    hooks.start();
  } catch (const lgw::error &e) {
    std::cerr << "webhook_receiver: " << e.what() << '\n';
    return 2;
  }
  std::cerr << "listening " << hooks.url() << std::endl;

  std::thread waiter([&] {
    int sig = 0;
    sigwait(&signals, &sig);
    std::lock_guard<std::mutex> lock(m);
    stop = true;
    done.notify_all();
  });
  bool signalled;
  {
    std::unique_lock<std::mutex> lock(m);
    done.wait(lock, [&] { return stop || (count > 0 && accepted >= count); });
    signalled = stop;
  }
  hooks.stop();                                                  // deliveries in progress finish first
  if (!signalled) pthread_kill(waiter.native_handle(), SIGTERM); // wake the signal thread
  waiter.join();
  return 0;
}
