// Value types: enums and their wire strings, timestamps, URLs, percent-encoding, responses.
#include "langgraph_webhooks.hpp"

#include "test_support.hpp"

#include <doctest/doctest.h>

#include <sstream>

using nlohmann::json;

namespace {
template <class E> void check_round_trip(std::initializer_list<std::pair<E, const char *>> rows) {
  for (const auto &row : rows) {
    CAPTURE(row.second);
    CHECK(lgw::to_string(row.first) == row.second);
    CHECK(lgw::from_string<E>(row.second) == row.first);
    CHECK(json(row.first) == row.second);
    CHECK(json(row.second).template get<E>() == row.first);
  }
  CHECK_FALSE(lgw::from_string<E>("no-such-value"));
  CHECK_THROWS_AS(json("no-such-value").template get<E>(), std::invalid_argument);
}
} // namespace

TEST_CASE("enums map to their exact wire strings") {
  using namespace lgw;
  check_round_trip<multitask_strategy>({{multitask_strategy::reject, "reject"},
                                        {multitask_strategy::rollback, "rollback"},
                                        {multitask_strategy::interrupt, "interrupt"},
                                        {multitask_strategy::enqueue, "enqueue"}});
  check_round_trip<if_not_exists>({{if_not_exists::create, "create"}, {if_not_exists::reject, "reject"}});
  check_round_trip<on_disconnect>({{on_disconnect::cancel, "cancel"}, {on_disconnect::continue_, "continue"}});
  check_round_trip<on_completion>({{on_completion::delete_, "delete"}, {on_completion::keep, "keep"}});
  check_round_trip<on_run_completed>({{on_run_completed::delete_, "delete"}, {on_run_completed::keep, "keep"}});
  check_round_trip<stream_mode>({{stream_mode::values, "values"},
                                 {stream_mode::messages, "messages"},
                                 {stream_mode::messages_tuple, "messages-tuple"},
                                 {stream_mode::updates, "updates"},
                                 {stream_mode::events, "events"},
                                 {stream_mode::debug, "debug"},
                                 {stream_mode::custom, "custom"},
                                 {stream_mode::tasks, "tasks"},
                                 {stream_mode::checkpoints, "checkpoints"},
                                 {stream_mode::tools, "tools"}});
  check_round_trip<durability>({{durability::sync, "sync"}, {durability::async, "async"}, {durability::exit, "exit"}});
  check_round_trip<cancel_action>({{cancel_action::interrupt, "interrupt"}, {cancel_action::rollback, "rollback"}});
  check_round_trip<if_exists>({{if_exists::raise, "raise"}, {if_exists::do_nothing, "do_nothing"}});
  check_round_trip<sort_order>({{sort_order::asc, "asc"}, {sort_order::desc, "desc"}});
  check_round_trip<assistant_sort_by>({{assistant_sort_by::assistant_id, "assistant_id"},
                                       {assistant_sort_by::created_at, "created_at"},
                                       {assistant_sort_by::updated_at, "updated_at"},
                                       {assistant_sort_by::name, "name"},
                                       {assistant_sort_by::graph_id, "graph_id"}});
  check_round_trip<cron_sort_by>({{cron_sort_by::cron_id, "cron_id"},
                                  {cron_sort_by::assistant_id, "assistant_id"},
                                  {cron_sort_by::thread_id, "thread_id"},
                                  {cron_sort_by::next_run_date, "next_run_date"},
                                  {cron_sort_by::end_time, "end_time"},
                                  {cron_sort_by::created_at, "created_at"},
                                  {cron_sort_by::updated_at, "updated_at"}});
  check_round_trip<run_status>({{run_status::pending, "pending"},
                                {run_status::running, "running"},
                                {run_status::success, "success"},
                                {run_status::error, "error"},
                                {run_status::timeout, "timeout"},
                                {run_status::interrupted, "interrupted"},
                                {run_status::rollback, "rollback"}});
  check_round_trip<thread_status>({{thread_status::idle, "idle"},
                                   {thread_status::busy, "busy"},
                                   {thread_status::interrupted, "interrupted"},
                                   {thread_status::error, "error"}});
  CHECK(lgw::to_string(run_status::unknown).empty());
  std::ostringstream os;
  os << stream_mode::messages_tuple << ' ' << run_status::rollback;
  CHECK(os.str() == "messages-tuple rollback");
}

TEST_CASE("error kinds: names and status mapping") {
  CHECK(lgw::to_string(lgw::error_kind::unprocessable_entity) == "unprocessable_entity");
  CHECK(lgw::to_string(lgw::error_kind::run_failed) == "run_failed");
  CHECK(lgw::error_kind_for_status(599) == lgw::error_kind::server_error);
  CHECK(lgw::error_kind_for_status(413) == lgw::error_kind::bad_request);
}

TEST_CASE("timestamps: both servers' forms, offsets, and junk") {
  using std::chrono::microseconds;
  auto micros = [](std::string_view s) {
    auto t = lgw::parse_timestamp(s);
    REQUIRE(t);
    return t->time_since_epoch().count();
  };
  CHECK(micros("1970-01-01T00:00:00Z") == 0);
  CHECK(micros("2024-08-30T23:07:38.242730+00:00") == 1725059258242730);
  CHECK(micros("2024-08-30T23:07:38.242Z") == 1725059258242000);
  CHECK(micros("2024-08-31T01:07:38.242730+02:00") == 1725059258242730);
  CHECK(micros("2024-08-30T18:07:38.242730-0500") == 1725059258242730);
  CHECK(micros("2024-08-30 23:07:38") == 1725059258000000);
  CHECK(micros("2024-08-30T23:07:38.2427301234Z") == 1725059258242730); // nanoseconds truncated
  CHECK(micros("2000-02-29T12:00:00Z") == 951825600000000);
  CHECK(micros("1969-12-31T23:59:59Z") == -1000000);
  for (const char *bad : {"", "2024-08-30", "2024-13-01T00:00:00Z", "2024-08-30T23:07:38.Z", "2024-08-30T23:07:38+0",
                          "2024-08-30T23:07:38Zjunk", "yesterday"}) {
    CAPTURE(bad);
    CHECK_FALSE(lgw::parse_timestamp(bad));
  }
}

TEST_CASE("URLs: parts, defaults, IPv6, and clear refusals") {
  auto u = lgw::parse_url("http://127.0.0.1:2024");
  CHECK(u.scheme == "http");
  CHECK(u.host == "127.0.0.1");
  CHECK(u.port == 2024);
  CHECK(u.path.empty());
  CHECK(lgw::parse_url("HTTPS://example.com").port == 443);
  CHECK(lgw::parse_url("http://example.com/").port == 80);
  CHECK(lgw::parse_url("http://example.com/a/b/?q=1").path == "/a/b");
  auto v6 = lgw::parse_url("http://[::1]:8123/x");
  CHECK(v6.host == "::1");
  CHECK(v6.port == 8123);
  CHECK(v6.origin() == "http://[::1]:8123");
  const lgw::error e = test::error_of([] { lgw::parse_url("example.com"); });
  CHECK(e.kind() == lgw::error_kind::invalid_argument);
  CHECK(e.message() == "invalid URL \"example.com\": expected http:// or https:// (did you mean http://example.com?)");
  for (const char *bad : {"http://user@host", "http://[::1", "http://h:0", "http://h:12a", "ftp://x", ""}) {
    CAPTURE(bad);
    CHECK(test::error_of([&] { lgw::parse_url(bad); }).kind() == lgw::error_kind::invalid_argument);
  }
}

TEST_CASE("percent-encoding keeps only unreserved characters") {
  CHECK(lgw::percent_encode("AZaz09-._~") == "AZaz09-._~");
  CHECK(lgw::percent_encode("a b/c?d=e&f#g%") == "a%20b%2Fc%3Fd%3De%26f%23g%25");
  CHECK(lgw::percent_encode("\xC3\xA9\x00\xFF") == "%C3%A9");
  CHECK(lgw::percent_encode(std::string_view("\xC3\xA9\x00\xFF", 4)) == "%C3%A9%00%FF");
}

TEST_CASE("node_list: \"*\" or names") {
  CHECK(json(lgw::node_list::all()) == "*");
  CHECK(json(lgw::node_list{"a", "b"}) == json{"a", "b"});
  CHECK(lgw::node_list{"*"}.is_all());
  CHECK(lgw::node_list{}.empty());
}

TEST_CASE("response types: missing fields keep defaults, null is not an error") {
  auto a = json::parse(R"({"assistant_id":"a1","graph_id":"agent","config":{},"metadata":{"created_by":"system"},
                          "version":1,"name":"agent","description":null,"context":{}})")
               .get<lgw::assistant>();
  CHECK(a.assistant_id == "a1");
  CHECK(a.version == 1);
  CHECK_FALSE(a.description);
  CHECK(a.config == json::object());
  auto empty = json::object().get<lgw::run>();
  CHECK(empty.run_id.empty());
  CHECK(empty.status == lgw::run_status::unknown);
  CHECK(empty.raw == json::object());
  CHECK_THROWS_AS(json::array().get<lgw::thread>(), std::invalid_argument);
}
