// Shared helpers of the unit tests.
#ifndef LANGGRAPH_WEBHOOKS_TEST_SUPPORT_HPP
#define LANGGRAPH_WEBHOOKS_TEST_SUPPORT_HPP

#include "langgraph_webhooks.hpp"

#include <doctest/doctest.h>

#include <chrono>
#include <stdexcept>
#include <string>
#include <vector>

namespace lgw = langgraph::webhooks;

namespace test {

using mock_client = lgw::basic_client<lgw::mock_client_transport>;

// Options that ignore the environment's API keys and never sleep between retries.
inline lgw::client_options no_key() {
  lgw::client_options o;
  o.api_key = "";
  o.sleep = [](std::chrono::milliseconds) {};
  return o;
}

// As no_key(), recording each back-off delay into `delays`.
inline lgw::client_options recording_sleeps(std::vector<std::chrono::milliseconds> &delays) {
  lgw::client_options o = no_key();
  o.sleep = [&delays](std::chrono::milliseconds d) { delays.push_back(d); };
  return o;
}

// A create-run request with only its required fields.
inline lgw::create_run_request a_run(std::string thread_id = "1ef-thread") {
  lgw::create_run_request r;
  r.thread_id = std::move(thread_id);
  r.assistant_id = "agent";
  return r;
}

// The lgw::error that `call` throws; fails the test when it throws none.
template <class F> lgw::error error_of(F &&call) {
  try {
    call();
  } catch (const lgw::error &e) {
    return e;
  }
  FAIL("expected lgw::error");
  throw std::logic_error("unreachable");
}

} // namespace test

#endif
