// langgraph_webhooks.hpp — drive LangGraph agents from C++ and be called back when a run ends.
//
// One header, C++17. Typed requests for every LangGraph Server endpoint that accepts a
// `webhook`, a blocking client (with streaming) and an embedded webhook receiver, all
// templated on an HTTP transport policy, so every piece runs against a mock. Default
// transport: cpp-httplib. JSON: nlohmann_json.
//
// Quick start: the round trip
// ---------------------------
//   #include "langgraph_webhooks.hpp"
//   namespace lgw = langgraph::webhooks;
//
//   lgw::webhook_server hooks;                               // 127.0.0.1, any free port,
//   hooks.start();                                           // a random secret in its url()
//   lgw::client client("http://127.0.0.1:2024");            // API key from LANGGRAPH_API_KEY…
//   lgw::create_run_request req;                             // POST /threads/{thread_id}/runs
//   req.thread_id = client.threads().create().thread_id;     // POST /threads
//   req.assistant_id = "agent";
//   req.input = {{"messages", {{{"role", "human"}, {"content", "Hello!"}}}}};
//   req.webhook = hooks.url();                               // the server POSTs the run here
//   lgw::run run = client.runs().create(req);                // run.status == pending
//   auto done = hooks.wait_for(run.run_id, std::chrono::seconds(30)); // done->status
//
// Configuration macros (define before including)
// ----------------------------------------------
//   LANGGRAPH_WEBHOOKS_NO_HTTPLIB   leave out the cpp-httplib transports; only nlohmann_json needed
//   LANGGRAPH_WEBHOOKS_USER_AGENT   User-Agent sent by the client (default "langgraph-webhooks-cpp/<ver>")
//   LANGGRAPH_WEBHOOKS_SEPARATE_COMPILATION  compile client and webhook_server in one unit only,
//   LANGGRAPH_WEBHOOKS_IMPLEMENTATION        the unit that does (see "separate compilation")
//
// Sections, in order (grep for "// ==== name ===="): configuration · errors · http types ·
// URLs · transports (both requirement tables) · endpoints (enumerations, json mapping,
// response types, one block per request, the request list) · client (server-sent events,
// options, basic_client) · receiver (payloads, options, HTTP/1.1 request reading,
// basic_webhook_server) · mock transports · cpp-httplib adapters (sockets, the compatibility
// block, the client and server transports) · separate compilation.
//
// SPDX-License-Identifier: MIT

#ifndef LANGGRAPH_WEBHOOKS_HPP
#define LANGGRAPH_WEBHOOKS_HPP

// ==== configuration ====

#define LANGGRAPH_WEBHOOKS_VERSION_MAJOR 0
#define LANGGRAPH_WEBHOOKS_VERSION_MINOR 1
#define LANGGRAPH_WEBHOOKS_VERSION_PATCH 0
/// major * 10000 + minor * 100 + patch, usable in `#if`.
#define LANGGRAPH_WEBHOOKS_VERSION                                                                                     \
  (LANGGRAPH_WEBHOOKS_VERSION_MAJOR * 10000 + LANGGRAPH_WEBHOOKS_VERSION_MINOR * 100 + LANGGRAPH_WEBHOOKS_VERSION_PATCH)
#define LANGGRAPH_WEBHOOKS_VERSION_STRING "0.1.0"

#if !(__cplusplus >= 201703L || (defined(_MSVC_LANG) && _MSVC_LANG >= 201703L))
#error "langgraph_webhooks.hpp needs C++17 or later (-std=c++17, /std:c++17)."
#endif

#ifndef LANGGRAPH_WEBHOOKS_USER_AGENT
#define LANGGRAPH_WEBHOOKS_USER_AGENT "langgraph-webhooks-cpp/" LANGGRAPH_WEBHOOKS_VERSION_STRING
#endif

#include <algorithm>
#include <array>
#include <chrono>
#include <clocale>
#include <cmath>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <exception>
#include <functional>
#include <initializer_list>
#include <list>
#include <memory>
#include <mutex>
#include <optional>
#include <ostream>
#include <random>
#include <stdexcept>
#include <string>
#include <string_view>
#include <thread>
#include <type_traits>
#include <unordered_map>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#if defined(__SSE2__) && (defined(__GNUC__) || defined(__clang__))
#include <emmintrin.h>
#endif

#ifndef LANGGRAPH_WEBHOOKS_NO_HTTPLIB
#include <httplib.h>
#ifndef _WIN32
#include <netinet/tcp.h> // the receiver serves its connections itself
#include <poll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#endif
#endif

namespace langgraph {
namespace webhooks {

// ==== errors ====

/// What went wrong, in terms of the API (HTTP status classes) or the transport.
enum class error_kind {
  connection,           ///< could not connect, or the connection broke
  timeout,              ///< connect or read timeout
  tls,                  ///< TLS handshake, certificate, or https without TLS support
  bad_request,          ///< 400, and other 4xx without a kind of their own
  unauthorized,         ///< 401
  forbidden,            ///< 403
  not_found,            ///< 404
  conflict,             ///< 409 (Python server: busy thread with multitask_strategy=reject)
  unprocessable_entity, ///< 422 (validation; JS server: busy thread)
  rate_limited,         ///< 429
  server_error,         ///< 5xx
  invalid_response,     ///< a reply that is not what the endpoint promises (bad JSON, wrong types)
  run_failed,           ///< the run itself failed (`__error__` from /wait or /join)
  invalid_argument,     ///< the program gave a value that cannot work (a bad URL, an empty id,
                        ///< a required field unset, options that contradict): nothing was sent
};

/// Lowercase name of an error kind, e.g. "not_found".
constexpr std::string_view to_string(error_kind kind) noexcept {
  constexpr std::array<std::string_view, 14> names = {
      "connection",   "timeout",          "tls",        "bad_request",          "unauthorized",
      "forbidden",    "not_found",        "conflict",   "unprocessable_entity", "rate_limited",
      "server_error", "invalid_response", "run_failed", "invalid_argument"};
  return names[static_cast<std::size_t>(kind)];
}

/// The error kind an HTTP status maps to (the Python SDK's taxonomy).
constexpr error_kind error_kind_for_status(int status) noexcept {
  switch (status) {
  case 400: return error_kind::bad_request;
  case 401: return error_kind::unauthorized;
  case 403: return error_kind::forbidden;
  case 404: return error_kind::not_found;
  case 409: return error_kind::conflict;
  case 422: return error_kind::unprocessable_entity;
  case 429: return error_kind::rate_limited;
  default:
    if (status >= 500) return error_kind::server_error;
    if (status >= 400) return error_kind::bad_request;
    return error_kind::invalid_response;
  }
}

/// Every failure the library reports, from a call, the receiver or a value the program gave:
/// `what()` reads "POST /threads/…/runs: 404 not_found: <message>".
class error : public std::runtime_error {
public:
  error(error_kind kind, std::string endpoint, int status, std::string message, std::string body = {},
        std::string error_type = {})
      : std::runtime_error(describe(kind, endpoint, status, message, error_type)), kind_(kind), status_(status),
        endpoint_(std::move(endpoint)), message_(std::move(message)), body_(std::move(body)),
        error_type_(std::move(error_type)) {}

  error_kind kind() const noexcept { return kind_; }
  /// "METHOD /path" of the call that failed (without the base URL); for a value refused before
  /// any call, what refused it ("client", "webhook_server::start", the request's route).
  const std::string &endpoint() const noexcept { return endpoint_; }
  /// HTTP status, or 0 when no response arrived.
  int status() const noexcept { return status_; }
  /// The server's message (`detail`, `message`, `error`, or the plain-text body), or the
  /// transport's reason.
  const std::string &message() const noexcept { return message_; }
  /// The raw response body, if any.
  const std::string &body() const noexcept { return body_; }
  /// For run_failed: the run's exception class (e.g. "ValueError").
  const std::string &error_type() const noexcept { return error_type_; }
  /// The run a call had created when it failed (a /wait whose connection broke and could not be
  /// rejoined), to find its outcome later: runs().join(), webhook_server::await_outcome().
  const std::string &run_id() const noexcept { return run_id_; }
  const std::string &thread_id() const noexcept { return thread_id_; }

  /// This error, naming the run it concerns.
  error for_run(std::string run_id, std::string thread_id) const {
    std::string m = message_ + " (run " + run_id + (thread_id.empty() ? "" : " on thread " + thread_id) + ")";
    error e(kind_, endpoint_, status_, std::move(m), body_, error_type_);
    e.run_id_ = std::move(run_id);
    e.thread_id_ = std::move(thread_id);
    return e;
  }

private:
  static std::string describe(error_kind kind, const std::string &endpoint, int status, const std::string &message,
                              const std::string &error_type) {
    std::string s = endpoint.empty() ? std::string() : endpoint + ": ";
    if (status != 0) s += std::to_string(status) + ' ';
    s += to_string(kind);
    if (!error_type.empty()) s += ": " + error_type;
    if (!message.empty()) s += ": " + message;
    return s;
  }

  error_kind kind_;
  int status_;
  std::string endpoint_, message_, body_, error_type_, run_id_, thread_id_;
};

namespace detail {
// The error for a value the program gave that cannot work; nothing was sent.
inline error bad_argument(std::string where, std::string why) {
  return error(error_kind::invalid_argument, std::move(where), 0, std::move(why));
}
} // namespace detail

/// A failed run as the servers report it: `{"error": "<class>", "message": "<text>"}`.
struct run_error {
  std::string error;   ///< exception class, e.g. "ValueError", "TimeoutError", "UserInterrupt"
  std::string message; ///< human-readable text
};

// ==== http types ====

/// Header fields in arrival order; names compare case-insensitively.
using http_headers = std::vector<std::pair<std::string, std::string>>;

namespace detail {
// ASCII case folding (locale-independent, as HTTP names, schemes and hosts need).
constexpr char ascii_lower(char c) noexcept { return (c >= 'A' && c <= 'Z') ? char(c - 'A' + 'a') : c; }
inline std::string ascii_lower(std::string_view s) {
  std::string out(s);
  for (char &c : out) c = ascii_lower(c);
  return out;
}
inline bool iequals(std::string_view a, std::string_view b) noexcept {
  return a.size() == b.size() &&
         std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) { return ascii_lower(x) == ascii_lower(y); });
}
inline bool ends_with(std::string_view s, std::string_view suffix) noexcept {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}
// Without leading and trailing spaces and tabs (HTTP's optional whitespace).
inline std::string_view trim_ows(std::string_view v) noexcept {
  while (!v.empty() && (v.front() == ' ' || v.front() == '\t')) v.remove_prefix(1);
  while (!v.empty() && (v.back() == ' ' || v.back() == '\t')) v.remove_suffix(1);
  return v;
}
// Appends a header field (one way to do it, so that the vector's growth is compiled once).
inline void add_header(http_headers &headers, std::string_view name, std::string_view value) {
  headers.emplace_back(std::string(name), std::string(value));
}
inline void add_headers(http_headers &headers, const http_headers &more) {
  for (const auto &h : more) add_header(headers, h.first, h.second);
}
inline const std::string *find_header(const http_headers &headers, std::string_view name) {
  for (const auto &h : headers)
    if (iequals(h.first, name)) return &h.second;
  return nullptr;
}
} // namespace detail

/// One HTTP request as the library hands it to a transport.
struct http_request {
  std::string method;   ///< "GET", "POST", "DELETE"
  std::string target;   ///< path plus query, percent-encoded, e.g. "/threads/abc/runs"
  http_headers headers; ///< everything to send except Host and Content-Length
  std::string body;
  /// When set, a client transport gives up at this time: failure of kind timeout.
  std::optional<std::chrono::steady_clock::time_point> deadline;

  /// Value of the first header called `name`, or empty.
  std::string_view header(std::string_view name) const {
    const std::string *v = detail::find_header(headers, name);
    return v ? std::string_view(*v) : std::string_view();
  }
};

/// Why a transport could not complete an exchange.
struct transport_failure {
  error_kind kind = error_kind::connection; ///< connection, timeout or tls
  std::string message;                      ///< e.g. "connection refused (127.0.0.1:9)"
  bool request_sent = true;                 ///< false only when nothing reached the server (safe to retry)
};

/// One HTTP response as a transport hands it back.
struct http_response {
  int status = 0;
  http_headers headers;
  std::string body;                         ///< empty when the body went to a chunk callback
  std::optional<transport_failure> failure; ///< set when the exchange did not complete

  std::string_view header(std::string_view name) const {
    const std::string *v = detail::find_header(headers, name);
    return v ? std::string_view(*v) : std::string_view();
  }
};

/// Receives the body as it arrives: `head` holds status and headers (its body stays empty).
/// Return false to stop reading; the transport then closes the connection.
using chunk_callback = std::function<bool(const http_response &head, std::string_view chunk)>;

/// Called as soon as a call that creates a run knows the run's ids (the response head's
/// Content-Location), before its result: the SDKs' `on_run_created`. `thread_id` is empty for a
/// stateless run on the JS server.
using run_created_handler = std::function<void(const std::string &run_id, const std::string &thread_id)>;

// ==== URLs ====
//
// Percent-encoding both ways, query strings, base URLs, and what a cloud deployment's policy
// says about a webhook URL.

namespace detail {
inline bool is_unreserved(unsigned char c) noexcept {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.' ||
         c == '_' || c == '~';
}
} // namespace detail

/// Percent-encodes everything but RFC 3986 unreserved characters (for one path segment or one
/// query value).
inline std::string percent_encode(std::string_view s) {
  static constexpr char hex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(s.size());
  for (unsigned char c : s) {
    if (detail::is_unreserved(c)) {
      out += char(c);
    } else {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 15];
    }
  }
  return out;
}

/// The parts of a base URL such as "https://host.example:8443/prefix".
struct url_parts {
  std::string scheme; ///< "http" or "https"
  std::string host;   ///< without brackets for IPv6
  int port = 0;       ///< explicit or the scheme's default
  std::string path;   ///< prefix without a trailing slash ("" for none)

  /// "scheme://host:port", IPv6 hosts bracketed.
  std::string origin() const {
    std::string h = host.find(':') != std::string::npos ? '[' + host + ']' : host;
    return scheme + "://" + h + ':' + std::to_string(port);
  }
};

/// The LangGraph server a program talks to when it names none: `$LANGGRAPH_URL`, else
/// http://127.0.0.1:2024 (where `langgraph dev` and tests/e2e/server.sh listen by default).
inline std::string default_server_url() {
  const char *env = std::getenv("LANGGRAPH_URL");
  return env && *env ? std::string(env) : std::string("http://127.0.0.1:2024");
}

/// Splits an http(s) URL; throws `error` (invalid_argument) with the reason when it is not one.
inline url_parts parse_url(std::string_view url) {
  auto fail = [&](const char *why) {
    std::string m = "invalid URL \"" + std::string(url) + "\": " + why;
    if (url.find("://") == std::string_view::npos && !url.empty())
      m += " (did you mean http://" + std::string(url) + "?)";
    throw detail::bad_argument("", std::move(m));
  };
  url_parts u;
  auto sep = url.find("://");
  if (sep == std::string_view::npos) fail("expected http:// or https://");
  u.scheme = detail::ascii_lower(url.substr(0, sep));
  if (u.scheme != "http" && u.scheme != "https") fail("the scheme must be http or https");
  std::string_view rest = url.substr(sep + 3);
  auto path_at = rest.find_first_of("/?#");
  std::string_view authority = rest.substr(0, path_at);
  std::string_view path = path_at == std::string_view::npos ? "" : rest.substr(path_at);
  if (authority.find('@') != std::string_view::npos) fail("user info is not supported");
  std::string_view port;
  if (!authority.empty() && authority.front() == '[') {
    auto close = authority.find(']');
    if (close == std::string_view::npos) fail("unterminated IPv6 address");
    u.host = std::string(authority.substr(1, close - 1));
    std::string_view after = authority.substr(close + 1);
    if (!after.empty()) {
      if (after.front() != ':') fail("unexpected text after the IPv6 address");
      port = after.substr(1);
    }
  } else {
    auto colon = authority.rfind(':');
    u.host = std::string(authority.substr(0, colon));
    if (colon != std::string_view::npos) port = authority.substr(colon + 1);
  }
  if (u.host.empty()) fail("no host");
  if (port.empty()) {
    u.port = u.scheme == "https" ? 443 : 80;
  } else {
    int p = 0;
    for (char c : port) {
      if (c < '0' || c > '9' || (p = p * 10 + (c - '0')) > 65535) fail("bad port");
    }
    if (p == 0) fail("bad port");
    u.port = p;
  }
  path = path.substr(0, path.find_first_of("?#"));
  while (!path.empty() && path.back() == '/') path.remove_suffix(1);
  u.path = std::string(path);
  return u;
}

/// Query parameters of a request, decoded, in order.
using query_params = std::vector<std::pair<std::string, std::string>>;

namespace detail {
inline int hex_value(char c) noexcept {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}
} // namespace detail

/// Decodes %XX escapes (and '+' as a space, as in query strings when `plus_is_space`).
inline std::string percent_decode(std::string_view s, bool plus_is_space = false) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    int hi, lo;
    if (c == '%' && i + 2 < s.size() && (hi = detail::hex_value(s[i + 1])) >= 0 &&
        (lo = detail::hex_value(s[i + 2])) >= 0) {
      out += char(hi * 16 + lo);
      i += 2;
    } else {
      out += (plus_is_space && c == '+') ? ' ' : c;
    }
  }
  return out;
}

/// Splits "a=1&b=x%20y" into decoded pairs.
inline query_params parse_query(std::string_view q) {
  query_params out;
  while (!q.empty()) {
    const std::size_t amp = q.find('&');
    std::string_view pair = q.substr(0, amp);
    q = amp == std::string_view::npos ? std::string_view() : q.substr(amp + 1);
    if (pair.empty()) continue;
    const std::size_t eq = pair.find('=');
    out.emplace_back(percent_decode(pair.substr(0, eq), true),
                     eq == std::string_view::npos ? std::string() : percent_decode(pair.substr(eq + 1), true));
  }
  return out;
}

/// The policy a cloud deployment applies to webhook URLs (`webhooks.url` in langgraph.json),
/// with the server's defaults.
struct webhook_url_policy {
  bool require_https = false;
  std::vector<std::string> allowed_domains; ///< exact hosts or "*.example.com" (subdomains only)
  std::vector<int> allowed_ports;           ///< empty: any
  std::size_t max_url_length = 4096;
  bool disable_loopback = true; ///< the default since Agent Server v0.10
};

/// Result of `check_webhook_url`: what a cloud deployment would say about a URL.
struct webhook_url_check {
  std::vector<std::string> problems; ///< empty when the URL passes
  bool ok() const noexcept { return problems.empty(); }
  explicit operator bool() const noexcept { return ok(); }
};

namespace detail {
// An IPv4 address in any form the servers' resolvers read: a.b.c.d, a.b.c, a.b or a single
// number, each part decimal, 0x hex or 0 octal ("2130706433", "0x7f000001", "0177.1").
inline std::optional<std::uint32_t> ipv4_of(std::string_view host) {
  std::uint64_t parts[4];
  int n = 0;
  while (true) {
    if (n == 4 || host.empty()) return std::nullopt;
    const std::size_t dot = host.find('.');
    std::string_view p = host.substr(0, dot);
    int base = 10;
    if (p.size() > 1 && p[0] == '0' && (p[1] == 'x' || p[1] == 'X'))
      base = 16, p.remove_prefix(2);
    else if (p.size() > 1 && p[0] == '0')
      base = 8, p.remove_prefix(1);
    if (p.empty() && base != 8) return std::nullopt;
    std::uint64_t v = 0;
    for (char c : p) {
      const int d = hex_value(c);
      if (d < 0 || d >= base || v > 0xFFFFFFFFu) return std::nullopt;
      v = v * std::uint64_t(base) + std::uint64_t(d);
    }
    parts[n++] = v;
    if (dot == std::string_view::npos) break;
    host.remove_prefix(dot + 1);
  }
  std::uint64_t a = 0;
  for (int i = 0; i < n - 1; ++i) {
    if (parts[i] > 255) return std::nullopt;
    a = (a << 8) | parts[i];
  }
  const int last_bits = 8 * (5 - n);
  if (parts[n - 1] >= (std::uint64_t(1) << last_bits)) return std::nullopt;
  return std::uint32_t((a << last_bits) | parts[n - 1]);
}

// An IPv6 address (with :: and a dotted IPv4 tail) as 16 bytes.
inline std::optional<std::array<std::uint8_t, 16>> ipv6_of(std::string_view host) {
  std::array<std::uint8_t, 16> out{};
  std::vector<std::uint16_t> head, tail;
  bool compressed = false;
  std::vector<std::uint16_t> *groups = &head;
  if (host.substr(0, 2) == "::") {
    compressed = true, groups = &tail;
    host.remove_prefix(2);
  }
  while (!host.empty()) {
    const std::size_t colon = host.find(':');
    const std::string_view g = host.substr(0, colon);
    if (g.find('.') != std::string_view::npos) { // the IPv4 tail
      const auto v4 = ipv4_of(g);
      if (!v4 || colon != std::string_view::npos) return std::nullopt;
      groups->push_back(std::uint16_t(*v4 >> 16));
      groups->push_back(std::uint16_t(*v4 & 0xFFFF));
      break;
    }
    if (g.empty() || g.size() > 4) return std::nullopt;
    std::uint16_t v = 0;
    for (char c : g) {
      const int d = hex_value(c);
      if (d < 0) return std::nullopt;
      v = std::uint16_t(v * 16 + d);
    }
    groups->push_back(v);
    if (colon == std::string_view::npos) break;
    host.remove_prefix(colon + 1);
    if (!host.empty() && host.front() == ':') {
      if (compressed) return std::nullopt;
      compressed = true, groups = &tail;
      host.remove_prefix(1);
    }
  }
  if (head.size() + tail.size() > 8 || (!compressed && head.size() != 8)) return std::nullopt;
  for (std::size_t i = 0; i < head.size(); ++i)
    out[2 * i] = std::uint8_t(head[i] >> 8), out[2 * i + 1] = std::uint8_t(head[i]);
  for (std::size_t i = 0; i < tail.size(); ++i) {
    const std::size_t at = 16 - 2 * (tail.size() - i);
    out[at] = std::uint8_t(tail[i] >> 8), out[at + 1] = std::uint8_t(tail[i]);
  }
  return out;
}

// What a webhook host is to the servers' URL policy. Names are not resolved.
enum class host_kind { other, loopback, link_local, cloud_metadata };

// The kind of `host`, given in lowercase.
inline host_kind kind_of_host(std::string_view host) {
  while (!host.empty() && host.back() == '.') host.remove_suffix(1); // "localhost." is localhost
  if (host == "localhost" || ends_with(host, ".localhost") || host == "host.docker.internal")
    return host_kind::loopback;
  if (host == "metadata.google.internal" || host == "metadata" || host == "instance-data")
    return host_kind::cloud_metadata;
  std::optional<std::uint32_t> v4 = ipv4_of(host);
  if (!v4) {
    if (const auto v6 = ipv6_of(host)) {
      const auto &b = *v6;
      const bool mapped = std::all_of(b.begin(), b.begin() + 10, [](std::uint8_t x) { return x == 0; }) &&
                          b[10] == 0xFF && b[11] == 0xFF;
      if (mapped) {
        v4 = std::uint32_t(b[12]) << 24 | std::uint32_t(b[13]) << 16 | std::uint32_t(b[14]) << 8 | b[15];
      } else {
        const bool zero15 = std::all_of(b.begin(), b.begin() + 15, [](std::uint8_t x) { return x == 0; });
        if (zero15 && b[15] <= 1) return host_kind::loopback; // ::1, and :: (this host)
        if (b[0] == 0xFE && (b[1] & 0xC0) == 0x80) return host_kind::link_local;
        if (b[0] == 0xFD && b[1] == 0x00 && b[2] == 0x0E && b[3] == 0xC2) // fd00:ec2::254
          return host_kind::cloud_metadata;
        return host_kind::other;
      }
    }
  }
  if (!v4) return host_kind::other;
  if ((*v4 >> 24) == 127 || *v4 == 0) return host_kind::loopback;
  if (*v4 == 0xA9FEA9FE) return host_kind::cloud_metadata; // 169.254.169.254
  if ((*v4 >> 16) == 0xA9FE) return host_kind::link_local; // 169.254.0.0/16
  return host_kind::other;
}
} // namespace detail

/// Checks `url` the way the Python (cloud) server validates `webhook` before creating a run, so
/// a loopback, link-local or plain-http URL is caught before the 422. Numeric hosts are read in
/// every form (`2130706433`, `0x7f000001`, `[::ffff:127.0.0.1]`); names are not resolved: a
/// public name pointing at 127.0.0.1 passes here. The open-source JS server checks nothing; the
/// Python `langgraph dev` server refuses loopback webhooks by default too (since 0.10).
inline webhook_url_check check_webhook_url(std::string_view url, const webhook_url_policy &policy = {}) {
  webhook_url_check out;
  auto problem = [&](std::string s) { out.problems.push_back(std::move(s)); };
  if (url.size() > policy.max_url_length)
    problem("Webhook URL too long (" + std::to_string(url.size()) + " > " + std::to_string(policy.max_url_length) +
            " characters)");
  if (!url.empty() && url.front() == '/') {
    if (policy.disable_loopback)
      problem("relative webhook URLs are delivered inside the deployment itself and are refused "
              "since Agent Server v0.10 (webhooks.url.disable_loopback)");
    return out;
  }
  std::string without_user(url); // the servers accept user@host: parse_url does not
  const std::size_t scheme_end = without_user.find("://");
  if (scheme_end != std::string::npos) {
    const std::size_t authority_end = without_user.find_first_of("/?#", scheme_end + 3);
    const std::size_t at = without_user.rfind('@', authority_end);
    if (at != std::string::npos && at > scheme_end) without_user.erase(scheme_end + 3, at - scheme_end - 2);
  }
  url_parts u;
  try {
    u = parse_url(without_user);
  } catch (const error &e) {
    problem(e.message());
    return out;
  }
  if (policy.require_https && u.scheme != "https") problem("Webhook must use https");
  const std::string host = detail::ascii_lower(u.host);
  switch (detail::kind_of_host(host)) {
  case detail::host_kind::loopback:
    if (policy.disable_loopback)
      problem("Webhook host blocked: " + u.host +
              " is a loopback address, which cloud deployments and `langgraph dev` refuse "
              "(webhooks.url.disable_loopback, default true since v0.10); give the receiver a public_url "
              "(a tunnel or a reachable address)");
    break;
  case detail::host_kind::link_local:
    problem("Webhook host blocked: " + u.host + " is a link-local address, which the servers refuse");
    break;
  case detail::host_kind::cloud_metadata:
    problem("Webhook host blocked: " + u.host + " is a cloud metadata address, which the servers refuse");
    break;
  case detail::host_kind::other: break;
  }
  if (!policy.allowed_domains.empty()) {
    bool allowed = false;
    for (const auto &d : policy.allowed_domains) {
      if (d.compare(0, 2, "*.") == 0 ? detail::ends_with(host, d.substr(1)) && host.size() > d.size() - 1 : host == d)
        allowed = true;
    }
    if (!allowed) problem("Webhook domain not allowed: " + u.host);
  }
  if (!policy.allowed_ports.empty() &&
      std::find(policy.allowed_ports.begin(), policy.allowed_ports.end(), u.port) == policy.allowed_ports.end())
    problem("Webhook port " + std::to_string(u.port) + " not allowed");
  return out;
}

// ==== transports ====
//
// The seam every piece of I/O goes through: what a client transport and a server transport
// must offer, each checked by a trait that a static_assert names. Both are modelled three
// times: cpp-httplib (the default), the mocks, and whatever a program brings.

// ---- ClientTransport --------------------------------------------------------------------
//
// A ClientTransport `T` performs one HTTP exchange at a time per call (calls may come from
// several threads at once; `T` serialises or pools as it needs). With `t` a `T`, `req` a
// `const http_request&`, `cb` a `const chunk_callback&`, `origin` a `const std::string&` and
// `opts` a `const client_options&`:
//
//   expression          | type          | semantics
//   --------------------+---------------+-------------------------------------------------------
//   t.send(req, cb)     | http_response | Sends `req` to the origin the transport was made for
//                       |               | and returns status and headers. When `cb` is empty,
//                       |               | the whole body is in `body`. Otherwise each piece of
//                       |               | body is passed to `cb` as it arrives and `body` stays
//                       |               | empty; when `cb` returns false the transport stops
//                       |               | reading, drops the connection and returns normally.
//                       |               | Failures do not throw: they set `failure` (kind
//                       |               | connection, timeout, tls or invalid_response;
//                       |               | `request_sent` false only when nothing reached the
//                       |               | server). At `req.deadline`, when set, it gives up with
//                       |               | kind timeout. `cb` never throws (the client catches and
//                       |               | rethrows around the call).
//   T(origin, opts)     |               | (only for basic_client's URL constructor) a transport
//                       |               | for "scheme://host:port" with the timeouts and TLS
//                       |               | settings of `opts`.

struct client_options;

namespace detail {
template <class T, class = void> struct has_send : std::false_type {};
template <class T>
struct has_send<T, std::void_t<decltype(std::declval<T &>().send(std::declval<const http_request &>(),
                                                                 std::declval<const chunk_callback &>()))>>
    : std::is_same<decltype(std::declval<T &>().send(std::declval<const http_request &>(),
                                                     std::declval<const chunk_callback &>())),
                   http_response> {};
} // namespace detail

/// True when `T` models ClientTransport (see the table above).
template <class T> inline constexpr bool is_client_transport_v = detail::has_send<T>::value;

// ---- ServerTransport --------------------------------------------------------------------

struct webhook_server_options;

/// What a ServerTransport calls for each request: `check_head` with the request's method,
/// target and headers before any of its body is read — an answer refuses the request (the
/// transport sends it and closes the connection, the body unread) — then `handle` with the
/// whole request.
struct server_handler {
  std::function<std::optional<http_response>(const http_request &head)> check_head;
  std::function<http_response(http_request)> handle;
};

// Requirements of a ServerTransport `S`, with `s` an `S`, `o` a `const webhook_server_options&`
// and `h` a `server_handler`:
//
//   expression      | type | semantics
//   ----------------+------+-----------------------------------------------------------------
//   s.start(o, h)   | int  | Listens on o.host:o.port (0: any free port) and returns the
//                   |      | port, or throws `error` (kind connection) saying why it cannot.
//                   |      | Serves in its own threads: each request's head becomes an
//                   |      | http_request (`target` the raw path and query, body empty) for
//                   |      | h.check_head; only when that returns no answer is the body read
//                   |      | (at most o.max_body_bytes) and the whole request passed to
//                   |      | h.handle, whose http_response is sent back. Enforces the limits of
//                   |      | `o` on what it reads.
//   s.stop()        | void | Stops accepting, closes connections that are not delivering, lets
//                   |      | the calls to h.handle in progress finish and their answers be
//                   |      | written, joins its threads. start() may be called again afterwards.

namespace detail {
template <class S, class = void> struct is_server_transport : std::false_type {};
template <class S>
struct is_server_transport<
    S, std::void_t<decltype(std::declval<S &>().start(std::declval<const webhook_server_options &>(),
                                                      std::declval<server_handler>())),
                   decltype(std::declval<S &>().stop())>>
    : std::is_convertible<decltype(std::declval<S &>().start(std::declval<const webhook_server_options &>(),
                                                             std::declval<server_handler>())),
                          int> {};
} // namespace detail

/// True when `S` models ServerTransport (see the table above).
template <class S> inline constexpr bool is_server_transport_v = detail::is_server_transport<S>::value;

// ==== endpoints ====
//
// The API's vocabulary (enumerated strings, JSON mapping, response objects), then one block per
// endpoint, then the list of every request.

// ---- enumerations -----------------------------------------------------------------------
//
// Each enumerated string of the API is an enum class whose enumerators are listed in the same
// order as the names returned by `wire_names(E{})`; `to_string` and `from_string` map both ways
// with the exact wire spelling. C++ keywords get a trailing underscore (`continue_`, `delete_`).

/// `multitask_strategy`: what a new run does when its thread is busy.
enum class multitask_strategy { reject, rollback, interrupt, enqueue };
constexpr std::array<std::string_view, 4> wire_names(multitask_strategy) noexcept {
  return {"reject", "rollback", "interrupt", "enqueue"};
}

/// `if_not_exists`: create the thread when it does not exist, or fail with 404.
enum class if_not_exists { create, reject };
constexpr std::array<std::string_view, 2> wire_names(if_not_exists) noexcept { return {"create", "reject"}; }

/// `on_disconnect`: cancel the run, or let it continue, when the streaming/waiting client leaves.
enum class on_disconnect { cancel, continue_ };
constexpr std::array<std::string_view, 2> wire_names(on_disconnect) noexcept { return {"cancel", "continue"}; }

/// `on_completion`: delete or keep the temporary thread of a stateless run.
enum class on_completion { delete_, keep };
constexpr std::array<std::string_view, 2> wire_names(on_completion) noexcept { return {"delete", "keep"}; }

/// `on_run_completed`: delete or keep the thread of each run of a stateless cron.
enum class on_run_completed { delete_, keep };
constexpr std::array<std::string_view, 2> wire_names(on_run_completed) noexcept { return {"delete", "keep"}; }

/// `stream_mode`: what a run streams (and what a later join can stream).
enum class stream_mode { values, messages, messages_tuple, updates, events, debug, custom, tasks, checkpoints, tools };
constexpr std::array<std::string_view, 10> wire_names(stream_mode) noexcept {
  return {"values", "messages", "messages-tuple", "updates",     "events",
          "debug",  "custom",   "tasks",          "checkpoints", "tools"};
}

/// `durability`: when checkpoints are written.
enum class durability { sync, async, exit };
constexpr std::array<std::string_view, 3> wire_names(durability) noexcept { return {"sync", "async", "exit"}; }

/// `action` of a cancel: stop keeping completed steps, or also delete the run.
enum class cancel_action { interrupt, rollback };
constexpr std::array<std::string_view, 2> wire_names(cancel_action) noexcept { return {"interrupt", "rollback"}; }

/// `if_exists` of thread creation.
enum class if_exists { raise, do_nothing };
constexpr std::array<std::string_view, 2> wire_names(if_exists) noexcept { return {"raise", "do_nothing"}; }

/// `sort_order` of searches.
enum class sort_order { asc, desc };
constexpr std::array<std::string_view, 2> wire_names(sort_order) noexcept { return {"asc", "desc"}; }

/// `sort_by` of `POST /assistants/search`.
enum class assistant_sort_by { assistant_id, created_at, updated_at, name, graph_id };
constexpr std::array<std::string_view, 5> wire_names(assistant_sort_by) noexcept {
  return {"assistant_id", "created_at", "updated_at", "name", "graph_id"};
}

/// `sort_by` of `POST /runs/crons/search`.
enum class cron_sort_by { cron_id, assistant_id, thread_id, next_run_date, end_time, created_at, updated_at };
constexpr std::array<std::string_view, 7> wire_names(cron_sort_by) noexcept {
  return {"cron_id", "assistant_id", "thread_id", "next_run_date", "end_time", "created_at", "updated_at"};
}

/// `sort_by` of `POST /threads/search` (the JS server has no state_updated_at).
enum class thread_sort_by { thread_id, status, created_at, updated_at, state_updated_at };
constexpr std::array<std::string_view, 5> wire_names(thread_sort_by) noexcept {
  return {"thread_id", "status", "created_at", "updated_at", "state_updated_at"};
}

/// `status` of `POST /runs/cancel`: which runs of the deployment to cancel.
enum class cancel_status { pending, running, all };
constexpr std::array<std::string_view, 3> wire_names(cancel_status) noexcept { return {"pending", "running", "all"}; }

/// A run's status, or a webhook's outcome. `unknown` keeps forward compatibility: the raw
/// string stays in the object's `raw` JSON.
enum class run_status { pending, running, success, error, timeout, interrupted, rollback, unknown };
constexpr std::array<std::string_view, 7> wire_names(run_status) noexcept {
  return {"pending", "running", "success", "error", "timeout", "interrupted", "rollback"};
}

/// A thread's status; `unknown` for values added by newer servers.
enum class thread_status { idle, busy, interrupted, error, unknown };
constexpr std::array<std::string_view, 4> wire_names(thread_status) noexcept {
  return {"idle", "busy", "interrupted", "error"};
}

namespace detail {
template <class E, class = void> struct has_wire_names : std::false_type {};
template <class E> struct has_wire_names<E, std::void_t<decltype(wire_names(E{}))>> : std::is_enum<E> {};
} // namespace detail

/// Exact wire string of an enumerator ("" for `unknown`).
template <class E, std::enable_if_t<detail::has_wire_names<E>::value, int> = 0>
constexpr std::string_view to_string(E e) noexcept {
  const auto names = wire_names(E{});
  const auto i = static_cast<std::size_t>(e);
  return i < names.size() ? names[i] : std::string_view();
}

/// The enumerator spelled `s` on the wire, or nullopt.
template <class E, std::enable_if_t<detail::has_wire_names<E>::value, int> = 0>
constexpr std::optional<E> from_string(std::string_view s) noexcept {
  const auto names = wire_names(E{});
  for (std::size_t i = 0; i < names.size(); ++i)
    if (names[i] == s) return static_cast<E>(i);
  return std::nullopt;
}

template <class E, std::enable_if_t<detail::has_wire_names<E>::value, int> = 0>
std::ostream &operator<<(std::ostream &os, E e) {
  return os << to_string(e);
}

template <class E, std::enable_if_t<detail::has_wire_names<E>::value, int> = 0> void to_json(nlohmann::json &j, E e) {
  j = std::string(to_string(e));
}

/// Strict: an unknown string throws. Response types read enums tolerantly instead.
template <class E, std::enable_if_t<detail::has_wire_names<E>::value, int> = 0>
void from_json(const nlohmann::json &j, E &e) {
  auto v = from_string<E>(j.get<std::string>());
  if (!v) throw std::invalid_argument("unknown value \"" + j.get<std::string>() + '"');
  e = *v;
}

// ---- json mapping -----------------------------------------------------------------------

/// A point in time from the API (microsecond precision, UTC).
using timestamp = std::chrono::time_point<std::chrono::system_clock, std::chrono::microseconds>;

namespace detail {
// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil).
constexpr std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d) noexcept {
  y -= m <= 2;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}
} // namespace detail

/// Parses ISO-8601 as both servers write it ("2024-08-30T23:07:38.242730+00:00",
/// "2025-01-02T03:04:05.678Z"; no offset means UTC). nullopt when it is not such a string.
inline std::optional<timestamp> parse_timestamp(std::string_view s) noexcept {
  std::size_t i = 0;
  auto num = [&](std::size_t digits, int &out) {
    out = 0;
    for (std::size_t k = 0; k < digits; ++k, ++i) {
      if (i >= s.size() || s[i] < '0' || s[i] > '9') return false;
      out = out * 10 + (s[i] - '0');
    }
    return true;
  };
  auto lit = [&](char c) { return i < s.size() && s[i] == c ? (++i, true) : false; };
  int y, mo, d, h, mi, sec;
  if (!num(4, y) || !lit('-') || !num(2, mo) || !lit('-') || !num(2, d)) return std::nullopt;
  if (!(lit('T') || lit('t') || lit(' '))) return std::nullopt;
  if (!num(2, h) || !lit(':') || !num(2, mi) || !lit(':') || !num(2, sec)) return std::nullopt;
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || sec > 60) return std::nullopt;
  std::int64_t micros = 0;
  if (lit('.')) {
    int digits = 0;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') {
      if (digits++ < 6) micros = micros * 10 + (s[i] - '0');
      ++i;
    }
    if (digits == 0) return std::nullopt;
    for (; digits < 6; ++digits) micros *= 10;
  }
  std::int64_t offset_s = 0;
  if (lit('Z') || lit('z')) {
  } else if (i < s.size() && (s[i] == '+' || s[i] == '-')) {
    const int sign = s[i++] == '-' ? -1 : 1;
    int oh, om = 0;
    if (!num(2, oh)) return std::nullopt;
    if (i < s.size()) {
      lit(':');
      if (!num(2, om)) return std::nullopt;
    }
    offset_s = sign * (oh * 3600 + om * 60);
  }
  if (i != s.size()) return std::nullopt;
  const std::int64_t secs =
      detail::days_from_civil(y, unsigned(mo), unsigned(d)) * 86400 + h * 3600 + mi * 60 + sec - offset_s;
  return timestamp(std::chrono::microseconds(secs * 1000000 + micros));
}

/// `"*"` (every node) or a list of node names, for `interrupt_before` / `interrupt_after`.
/// Empty means "not set".
class node_list {
public:
  node_list() = default;
  node_list(std::initializer_list<std::string> names) : names_(names) {}
  node_list(std::vector<std::string> names) : names_(std::move(names)) {}
  /// `"*"`: interrupt at every node.
  static node_list all() { return node_list{"*"}; }

  bool empty() const noexcept { return names_.empty(); }
  bool is_all() const noexcept { return names_.size() == 1 && names_[0] == "*"; }
  const std::vector<std::string> &names() const noexcept { return names_; }
  friend bool operator==(const node_list &a, const node_list &b) { return a.names_ == b.names_; }

private:
  std::vector<std::string> names_;
};

inline void to_json(nlohmann::json &j, const node_list &n) {
  if (n.is_all()) {
    j = "*";
    return;
  }
  j = nlohmann::json::array();
  for (const std::string &name : n.names()) j.push_back(name);
}

/// A field of an update (`PATCH`) that can also be cleared: unset (left out: unchanged), null
/// (sent as JSON null: cleared), or a value. `r.end_time = nullptr;` clears,
/// `r.end_time = "2027-01-01T00:00:00Z";` sets, `r.end_time = {};` leaves it alone.
template <class T> class clearable {
public:
  clearable() = default;
  clearable(std::nullptr_t) noexcept : cleared_(true) {}
  template <class U, std::enable_if_t<std::is_constructible_v<T, U &&> && !std::is_same_v<std::decay_t<U>, clearable> &&
                                          !std::is_same_v<std::decay_t<U>, std::nullptr_t>,
                                      int> = 0>
  clearable(U &&value) : value_(std::in_place, std::forward<U>(value)) {}

  bool is_set() const noexcept { return value_.has_value(); }
  bool is_cleared() const noexcept { return cleared_; }
  const std::optional<T> &value() const noexcept { return value_; }

private:
  std::optional<T> value_;
  bool cleared_ = false;
};

namespace detail {
template <class T> struct is_clearable : std::false_type {};
template <class T> struct is_clearable<clearable<T>> : std::true_type {};
template <class T> struct is_optional : std::false_type {};
template <class T> struct is_optional<std::optional<T>> : std::true_type {};
template <class T> struct is_vector : std::false_type {};
template <class T> struct is_vector<std::vector<T>> : std::true_type {};

template <class R, class = void> struct has_fields : std::false_type {};
template <class R>
struct has_fields<R,
                  std::void_t<decltype(std::declval<const R &>().fields(std::declval<void (*&)(const char *, int)>()))>>
    : std::true_type {};

template <class T> nlohmann::json object_of(const T &v);

// A field's value as JSON. Field types go through these few conversions rather than
// nlohmann's generic one, whose type checks are instantiated once per type and were most of
// the header's compile time.
template <class T> nlohmann::json json_value(const T &v) {
  if constexpr (std::is_enum_v<T>) {
    return nlohmann::json(std::string(to_string(v)));
  } else if constexpr (is_vector<T>::value) {
    nlohmann::json list = nlohmann::json::array();
    for (const auto &item : v) list.push_back(json_value(item));
    return list;
  } else if constexpr (has_fields<T>::value) {
    return object_of(v); // checkpoint, langsmith_tracer, ...
  } else if constexpr (std::is_class_v<T> && !std::is_same_v<T, std::string> && !std::is_same_v<T, nlohmann::json>) {
    nlohmann::json out;
    to_json(out, v); // node_list
    return out;
  } else {
    return nlohmann::json(v); // string, json, bool, int, double
  }
}

// Writes `v` under `key` unless it is unset: a disengaged optional, a null json, an empty list
// (a cleared clearable is written as null).
template <class T> void put(nlohmann::json &j, const char *key, const T &v) {
  if constexpr (is_clearable<T>::value) {
    if (v.is_cleared())
      j[key] = nullptr;
    else if (v.is_set())
      j[key] = json_value(*v.value());
  } else if constexpr (is_optional<T>::value) {
    if (v) j[key] = json_value(*v);
  } else if constexpr (std::is_same_v<T, nlohmann::json>) {
    if (!v.is_null()) j[key] = v;
  } else if constexpr (is_vector<T>::value || std::is_same_v<T, node_list>) {
    if (!v.empty()) j[key] = json_value(v);
  } else {
    j[key] = json_value(v);
  }
}

// The JSON object of a struct with fields(f): a request's body, a nested struct.
template <class T> nlohmann::json object_of(const T &v) {
  nlohmann::json j = nlohmann::json::object();
  v.fields([&j](const char *key, const auto &value) { put(j, key, value); });
  return j;
}

// Reads `key` into `out` when present and not null; a value of the wrong JSON type throws
// (the client turns that into invalid_response). Enums and timestamps are read tolerantly:
// an unknown string gives `unknown` (or nullopt), a malformed timestamp gives nullopt.
template <class T> void get(const nlohmann::json &j, const char *key, T &out) {
  auto it = j.find(key);
  if (it == j.end()) return;
  if constexpr (std::is_same_v<T, nlohmann::json>) {
    out = *it;
  } else {
    if (it->is_null()) return;
    if constexpr (is_optional<T>::value) {
      using V = typename T::value_type;
      if constexpr (std::is_same_v<V, timestamp>) {
        out = it->is_string() ? parse_timestamp(it->template get_ref<const std::string &>()) : std::nullopt;
      } else if constexpr (std::is_enum_v<V>) {
        out = it->is_string() ? from_string<V>(it->template get<std::string>()) : std::nullopt;
      } else {
        out = it->template get<V>();
      }
    } else if constexpr (std::is_enum_v<T>) {
      out = from_string<T>(it->template get<std::string>()).value_or(T::unknown);
    } else {
      it->get_to(out);
    }
  }
}

inline const nlohmann::json &require_object(const nlohmann::json &j, const char *what) {
  if (!j.is_object())
    throw std::invalid_argument(std::string("expected ") + what + " to be a JSON object, got " + j.type_name());
  return j;
}

// Whether a JSON text nests arrays and objects more than `max_depth` levels deep (brackets in
// strings do not count; the text need not be valid). nlohmann_json parses iteratively, but
// copies, compares and dumps recursively: a DOM from the network is only built once this is
// false, which bounds the stack those operations use. Valid JSON needs two bytes per level, so
// short texts are not scanned.
inline bool json_deeper_than(std::string_view text, std::size_t max_depth) noexcept {
  if (text.size() / 2 <= max_depth) return false;
  std::size_t depth = 0;
  const char *p = text.data();
  const char *const end = p + text.size();
  while (p < end) {
    const char c = *p++;
    if (c == '"') {
      while (p < end && *p != '"') p += *p == '\\' ? 2 : 1;
      ++p;
    } else if (c == '[' || c == '{') {
      if (++depth > max_depth) return true;
    } else if ((c == ']' || c == '}') && depth > 0) {
      --depth;
    }
  }
  return false;
}

// Every JSON text the library parses goes through here, as a string_view: one instantiation of
// nlohmann's parser (each input type is another). Not JSON: parse_error, or a discarded value
// when `throw_errors` is false.
inline nlohmann::json json_parse(std::string_view text, bool throw_errors = true) {
  return nlohmann::json::parse(text, nullptr, throw_errors);
}

// Parses JSON read from the network: throws std::invalid_argument when it nests deeper than
// `max_depth`, nlohmann's parse_error when it is not JSON.
inline nlohmann::json parse_json(std::string_view text, std::size_t max_depth) {
  if (json_deeper_than(text, max_depth))
    throw std::invalid_argument("JSON nested more than " + std::to_string(max_depth) + " levels deep");
  return json_parse(text);
}
} // namespace detail

/// Default nesting limit for JSON read from the network (`client_options::max_json_depth`,
/// `webhook_server_options::max_json_depth`): above the 254 levels that the Python server's
/// encoder (orjson) can write at all, far below what overflows a thread's stack.
inline constexpr std::size_t default_max_json_depth = 256;

// ---- response types ---------------------------------------------------------------------
//
// Every response type parses both servers' shapes: missing fields keep their defaults, extra
// fields are ignored, and `raw` keeps the JSON exactly as received.

/// A checkpoint of a thread: in requests, where a run starts or an update applies; in responses,
/// where a state was read.
struct checkpoint {
  std::optional<std::string> thread_id{};
  std::optional<std::string> checkpoint_ns{};
  std::optional<std::string> checkpoint_id{};
  nlohmann::json checkpoint_map{};

  template <class F> void fields(F &&f) const {
    f("thread_id", thread_id);
    f("checkpoint_ns", checkpoint_ns);
    f("checkpoint_id", checkpoint_id);
    f("checkpoint_map", checkpoint_map);
  }
};

inline void from_json(const nlohmann::json &j, checkpoint &c) {
  detail::require_object(j, "a checkpoint");
  detail::get(j, "thread_id", c.thread_id);
  detail::get(j, "checkpoint_ns", c.checkpoint_ns);
  detail::get(j, "checkpoint_id", c.checkpoint_id);
  detail::get(j, "checkpoint_map", c.checkpoint_map);
}

/// One pending interrupt of a task: what the graph's `interrupt(value)` asked, and the id that a
/// `command.resume` map answers it by (see command::resume_each).
struct interrupt {
  std::string id;       ///< `interrupt_id` on older servers; empty before interrupts had ids
  nlohmann::json value; ///< what the node passed to interrupt()
  nlohmann::json raw;   ///< as received (older servers add when, resumable, ns)
};

inline void from_json(const nlohmann::json &j, interrupt &i) {
  detail::require_object(j, "an interrupt");
  detail::get(j, "id", i.id);
  if (i.id.empty()) detail::get(j, "interrupt_id", i.id);
  detail::get(j, "value", i.value);
  i.raw = j;
}

/// A task of a thread state: a node that runs next, with the interrupts it waits on.
struct thread_task {
  std::string id;
  std::string name; ///< the node
  std::optional<std::string> error;
  std::vector<webhooks::interrupt> interrupts;
  nlohmann::json checkpoint; ///< a subgraph's checkpoint
  nlohmann::json state;      ///< a subgraph's state (with subgraphs = true)
  nlohmann::json result;
};

inline void from_json(const nlohmann::json &j, thread_task &t) {
  detail::require_object(j, "a thread task");
  detail::get(j, "id", t.id);
  detail::get(j, "name", t.name);
  detail::get(j, "error", t.error);
  detail::get(j, "interrupts", t.interrupts);
  detail::get(j, "checkpoint", t.checkpoint);
  detail::get(j, "state", t.state);
  detail::get(j, "result", t.result);
}

/// A thread's state at a checkpoint (`GET /threads/{thread_id}/state`): its values, the nodes that
/// run next, and the interrupts waiting for a `command.resume`.
struct thread_state {
  nlohmann::json values;
  std::vector<std::string> next; ///< empty when the graph ended
  std::vector<thread_task> tasks;
  std::optional<webhooks::checkpoint> checkpoint;
  std::optional<webhooks::checkpoint> parent_checkpoint;
  nlohmann::json metadata; ///< the checkpoint's: source, step, run_id, ...
  std::optional<timestamp> created_at;
  nlohmann::json raw;

  /// Every pending interrupt, task by task (the Python server also lists them at the top level).
  std::vector<webhooks::interrupt> interrupts() const {
    std::vector<webhooks::interrupt> all;
    for (const auto &t : tasks) all.insert(all.end(), t.interrupts.begin(), t.interrupts.end());
    return all;
  }
};

inline void from_json(const nlohmann::json &j, thread_state &s) {
  detail::require_object(j, "a thread state");
  detail::get(j, "values", s.values);
  detail::get(j, "next", s.next);
  detail::get(j, "tasks", s.tasks);
  detail::get(j, "checkpoint", s.checkpoint);
  detail::get(j, "parent_checkpoint", s.parent_checkpoint);
  detail::get(j, "metadata", s.metadata);
  detail::get(j, "created_at", s.created_at);
  s.raw = j;
}

/// What `POST /threads/{thread_id}/state` answers: the checkpoint the update made.
struct thread_update_result {
  webhooks::checkpoint checkpoint;
  nlohmann::json raw;
};

inline void from_json(const nlohmann::json &j, thread_update_result &r) {
  detail::require_object(j, "a state update's result");
  detail::get(j, "checkpoint", r.checkpoint);
  r.raw = j;
}

/// An assistant (`POST /assistants/search` items).
struct assistant {
  std::string assistant_id;
  std::string graph_id;
  std::string name;
  std::optional<std::string> description;
  nlohmann::json config;
  nlohmann::json context;
  nlohmann::json metadata;
  std::optional<std::int64_t> version;
  std::optional<timestamp> created_at;
  std::optional<timestamp> updated_at;
  nlohmann::json raw;
};

inline void from_json(const nlohmann::json &j, assistant &a) {
  detail::require_object(j, "an assistant");
  detail::get(j, "assistant_id", a.assistant_id);
  detail::get(j, "graph_id", a.graph_id);
  detail::get(j, "name", a.name);
  detail::get(j, "description", a.description);
  detail::get(j, "config", a.config);
  detail::get(j, "context", a.context);
  detail::get(j, "metadata", a.metadata);
  detail::get(j, "version", a.version);
  detail::get(j, "created_at", a.created_at);
  detail::get(j, "updated_at", a.updated_at);
  a.raw = j;
}

/// A thread (`POST /threads`).
struct thread {
  std::string thread_id;
  thread_status status = thread_status::unknown;
  nlohmann::json metadata;
  nlohmann::json config;
  nlohmann::json values; ///< null until the thread has state
  nlohmann::json interrupts;
  std::optional<timestamp> created_at;
  std::optional<timestamp> updated_at;
  nlohmann::json raw;
};

inline void from_json(const nlohmann::json &j, thread &t) {
  detail::require_object(j, "a thread");
  detail::get(j, "thread_id", t.thread_id);
  detail::get(j, "status", t.status);
  detail::get(j, "metadata", t.metadata);
  detail::get(j, "config", t.config);
  detail::get(j, "values", t.values);
  detail::get(j, "interrupts", t.interrupts);
  detail::get(j, "created_at", t.created_at);
  detail::get(j, "updated_at", t.updated_at);
  t.raw = j;
}

/// A run (`POST /threads/{thread_id}/runs`, `GET /threads/{thread_id}/runs/{run_id}`).
struct run {
  std::string run_id;
  std::string thread_id;
  std::string assistant_id;
  run_status status = run_status::unknown;
  nlohmann::json metadata;
  nlohmann::json kwargs; ///< server-internal run inputs; may hold copied request headers
  std::optional<webhooks::multitask_strategy> multitask_strategy;
  std::optional<timestamp> created_at;
  std::optional<timestamp> updated_at;
  nlohmann::json raw;
};

inline void from_json(const nlohmann::json &j, run &r) {
  detail::require_object(j, "a run");
  detail::get(j, "run_id", r.run_id);
  detail::get(j, "thread_id", r.thread_id);
  detail::get(j, "assistant_id", r.assistant_id);
  detail::get(j, "status", r.status);
  detail::get(j, "metadata", r.metadata);
  detail::get(j, "kwargs", r.kwargs);
  detail::get(j, "multitask_strategy", r.multitask_strategy);
  detail::get(j, "created_at", r.created_at);
  detail::get(j, "updated_at", r.updated_at);
  r.raw = j;
}

/// One event of a run's stream, like the Python SDK's `StreamPart(event, data, id)`.
struct stream_part {
  /// "metadata" (first, carries run_id), "values", "updates", "messages" (for
  /// messages-tuple), "messages/partial", "custom", "events", "debug", "tasks",
  /// "checkpoints", "feedback", "error", "end", or any of these with "|<namespace>" for
  /// subgraphs.
  std::string event;
  nlohmann::json data; ///< the parsed `data:` (a JSON string when it is not JSON)
  std::string id;      ///< the event id; empty when the server sends none
};

/// What a stream reports once it ended.
struct stream_result {
  std::string run_id;    ///< from Content-Location, else the `metadata` event
  std::string thread_id; ///< from Content-Location (empty for stateless runs)
  std::string last_event_id;
  std::size_t parts = 0; ///< parts handed to the callback
  bool stopped = false;  ///< the callback ended the stream early
  int reconnects = 0;    ///< times a broken resumable stream was rejoined
};

/// What `/wait` and `/join` return: the run's final state values.
struct run_output {
  /// The response JSON: the final `values` (or, for a failed run read with
  /// `raise_error = false`, the `{"__error__": …}` object).
  nlohmann::json values;
  /// The run's error when it failed (only seen with `raise_error = false`).
  std::optional<run_error> error;
  /// From the `Content-Location` header, when the server sends it.
  std::string run_id, thread_id;
};

/// A cron job (`POST /runs/crons`, `POST /threads/{thread_id}/runs/crons`, search).
struct cron {
  std::string cron_id;
  std::optional<std::string> assistant_id;
  std::optional<std::string> thread_id;
  std::string schedule;
  std::optional<std::string> timezone;
  std::optional<timestamp> end_time;
  std::optional<timestamp> next_run_date;
  std::optional<bool> enabled;
  std::optional<webhooks::on_run_completed> on_run_completed;
  nlohmann::json payload; ///< the stored run-create body
  nlohmann::json metadata;
  std::optional<std::string> user_id;
  std::optional<timestamp> created_at;
  std::optional<timestamp> updated_at;
  nlohmann::json raw;
};

inline void from_json(const nlohmann::json &j, cron &c) {
  detail::require_object(j, "a cron");
  detail::get(j, "cron_id", c.cron_id);
  detail::get(j, "assistant_id", c.assistant_id);
  detail::get(j, "thread_id", c.thread_id);
  detail::get(j, "schedule", c.schedule);
  detail::get(j, "timezone", c.timezone);
  detail::get(j, "end_time", c.end_time);
  detail::get(j, "next_run_date", c.next_run_date);
  detail::get(j, "enabled", c.enabled);
  detail::get(j, "on_run_completed", c.on_run_completed);
  detail::get(j, "payload", c.payload);
  detail::get(j, "metadata", c.metadata);
  detail::get(j, "user_id", c.user_id);
  detail::get(j, "created_at", c.created_at);
  detail::get(j, "updated_at", c.updated_at);
  c.raw = j;
}

/// `GET /info`: the server's version and feature flags.
struct server_info {
  std::string version;
  nlohmann::json flags; ///< e.g. {"assistants": true, "crons": false}
  nlohmann::json metadata;
  nlohmann::json raw;

  /// Whether the server has crons (`flags.crons`; the open-source JS server does not).
  bool supports_crons() const {
    auto it = flags.find("crons");
    return it != flags.end() && it->is_boolean() && it->get<bool>();
  }
};

inline void from_json(const nlohmann::json &j, server_info &i) {
  detail::require_object(j, "server info");
  detail::get(j, "version", i.version);
  detail::get(j, "flags", i.flags);
  detail::get(j, "metadata", i.metadata);
  i.raw = j;
}

// A request's `required` body fields (see below), checked before anything is sent.
namespace detail {
template <class R, class = void> struct has_required : std::false_type {};
template <class R> struct has_required<R, std::void_t<decltype(R::required)>> : std::true_type {};

template <class T> bool is_set(const T &v) {
  if constexpr (std::is_same_v<T, std::string>)
    return !v.empty();
  else if constexpr (is_optional<T>::value)
    return v.has_value();
  else if constexpr (std::is_same_v<T, nlohmann::json>)
    return !v.is_null();
  else if constexpr (is_vector<T>::value)
    return !v.empty();
  else
    return true;
}

// The first of the request's `required` body fields that is unset or empty, or nullptr.
template <class R> const char *missing_field(const R &r) {
  if constexpr (has_required<R>::value) {
    for (const char *name : R::required) {
      bool set = true;
      r.fields([&](const char *key, const auto &v) {
        if (std::string_view(key) == name) set = is_set(v);
      });
      if (!set) return name;
    }
  }
  (void)r;
  return nullptr;
}

// Throws the invalid_argument error for a request whose required field is missing.
template <class R> void check_required(const R &r) {
  if (const char *name = missing_field(r))
    throw bad_argument(std::string(R::method) + ' ' + R::route, std::string(name) + " is required (it is empty)");
}
} // namespace detail

// ---- requests: one block per endpoint ---------------------------------------------------
//
// One block per endpoint: a plain aggregate whose fields are spelled like the JSON keys, and
// beside them what the library needs to send it:
//   method, route      the HTTP method and the path template; the path is made from the route,
//                      each {name} replaced by the percent-encoded field `name` (see path()), a
//                      [part] left out when its field is unset
//   idempotent         whether repeating it after a 5xx or a broken connection is safe
//   response_type      what the client returns for it
//   path(f)            calls f(name, value) for each field that goes into the path
//   fields(f)          (requests with a JSON body) f(key, value) for each body field; unset
//                      ones (disengaged optionals, null json, empty lists) are left out
//   json_body()        (instead, a body that is not an object: POST /runs/batch)
//   required           (some) the body fields that must be set: checked before anything is sent
//   query(f)           (some) f(key, value) for each query parameter
//   headers()          (some) extra request headers, e.g. Last-Event-ID
// Every request type is in LANGGRAPH_WEBHOOKS_REQUESTS at the end of this section: adding an
// endpoint is one block here and one line there. Every field has a default member initializer,
// so that designated initializers that leave fields out compile without GCC's
// -Wmissing-field-initializers (part of -Wextra).

/// `langsmith_tracer`: where LangSmith records the run.
struct langsmith_tracer {
  std::optional<std::string> project_name{};
  std::optional<std::string> example_id{};

  template <class F> void fields(F &&f) const {
    f("project_name", project_name);
    f("example_id", example_id);
  }
};

/// `ttl` of a new thread: delete it this many minutes after its last update.
struct thread_ttl {
  std::string strategy = "delete";
  double ttl = 0; ///< minutes

  template <class F> void fields(F &&f) const {
    f("strategy", strategy);
    f("ttl", ttl);
  }
};

namespace detail {
// The body fields that runs and crons share (reference §2 and §3.11).
template <class R, class F> void run_payload_fields(const R &r, F &f) {
  f("assistant_id", r.assistant_id);
  f("input", r.input);
  f("metadata", r.metadata);
  f("config", r.config);
  f("context", r.context);
  f("webhook", r.webhook);
  f("interrupt_before", r.interrupt_before);
  f("interrupt_after", r.interrupt_after);
  f("stream_mode", r.stream_mode);
  f("stream_subgraphs", r.stream_subgraphs);
  f("stream_resumable", r.stream_resumable);
  f("durability", r.durability);
  f("checkpoint_during", r.checkpoint_during);
}
// ... of every run-creating request beyond those.
template <class R, class F> void run_create_fields(const R &r, F &f) {
  run_payload_fields(r, f);
  f("command", r.command);
  f("feedback_keys", r.feedback_keys);
  f("after_seconds", r.after_seconds);
  f("langsmith_tracer", r.langsmith_tracer);
}
// ... of runs on an existing thread.
template <class R, class F> void thread_run_fields(const R &r, F &f) {
  run_create_fields(r, f);
  f("multitask_strategy", r.multitask_strategy);
  f("checkpoint", r.checkpoint);
  f("checkpoint_id", r.checkpoint_id);
  f("if_not_exists", r.if_not_exists);
}
// ... of both cron endpoints beyond the shared ones.
template <class R, class F> void cron_fields(const R &r, F &f) {
  run_payload_fields(r, f);
  f("schedule", r.schedule);
  f("timezone", r.timezone);
  f("end_time", r.end_time);
  f("enabled", r.enabled);
}
} // namespace detail

/// A run's `command`: resume an interrupted run, update its state, go to nodes. Assign one to a
/// request's `command`: `req.command = lgw::command::resume_with("approved");`.
struct command {
  std::optional<nlohmann::json> resume{}; ///< what the pending interrupt() returns (see resume_each)
  nlohmann::json update{};                ///< a state update, as if made by the interrupted node
  nlohmann::json goto_{};                 ///< `goto`: a node, a Send {node, input}, or a list of them

  template <class F> void fields(F &&f) const {
    f("resume", resume);
    f("update", update);
    f("goto", goto_);
  }
  /// Resumes every pending interrupt with `value`.
  static command resume_with(nlohmann::json value) {
    command c;
    c.resume = std::move(value);
    return c;
  }
  /// Resumes interrupts one by one: each interrupt's id (thread_state::interrupts()) with its value.
  static command resume_each(const std::vector<std::pair<std::string, nlohmann::json>> &values) {
    command c;
    c.resume = nlohmann::json::object();
    for (const auto &v : values) (*c.resume)[v.first] = v.second;
    return c;
  }
};

// ---- runs -------------------------------------------------------------------------------
// The six run-creating requests take the same fields (reference §2), each also its own few;
// C++20 designated initializers follow this order:
//   client.runs().create({.thread_id = t, .assistant_id = "agent", .webhook = hooks.url()});

/// `POST /threads/{thread_id}/runs` — Python `client.runs.create(thread_id, …)`. Starts a
/// background run; the webhook fires when it ends.
struct create_run_request {
  std::string thread_id{};    ///< in the path
  std::string assistant_id{}; ///< assistant UUID or graph name (required)
  nlohmann::json input{};
  nlohmann::json command{}; ///< {resume, update, goto}; do not combine with `input`
  nlohmann::json metadata{};
  nlohmann::json config{};
  nlohmann::json context{};
  std::optional<std::string> webhook{}; ///< URL the server POSTs the finished run to
  std::optional<webhooks::multitask_strategy> multitask_strategy{};
  std::optional<webhooks::if_not_exists> if_not_exists{};
  std::optional<webhooks::checkpoint> checkpoint{};
  std::optional<std::string> checkpoint_id{};
  node_list interrupt_before{};
  node_list interrupt_after{};
  std::vector<webhooks::stream_mode> stream_mode{}; ///< what a later join can stream
  std::optional<bool> stream_subgraphs{};
  std::optional<bool> stream_resumable{};
  std::vector<std::string> feedback_keys{};
  std::optional<double> after_seconds{};
  std::optional<webhooks::durability> durability{};
  std::optional<bool> checkpoint_during{}; ///< deprecated by the server; prefer `durability`
  std::optional<webhooks::langsmith_tracer> langsmith_tracer{};

  static constexpr const char *method = "POST", *route = "/threads/{thread_id}/runs";
  static constexpr bool idempotent = false;
  static constexpr std::array<const char *, 1> required = {"assistant_id"};
  using response_type = run;
  template <class F> void path(F &&f) const { f("thread_id", thread_id); }
  template <class F> void fields(F &&f) const { detail::thread_run_fields(*this, f); }
};

/// `POST /threads/{thread_id}/runs/stream` — Python `client.runs.stream(thread_id, …)`.
/// Sent with runs().stream(request, on_part).
struct stream_run_request {
  std::string thread_id{};
  std::string assistant_id{};
  nlohmann::json input{};
  nlohmann::json command{};
  nlohmann::json metadata{};
  nlohmann::json config{};
  nlohmann::json context{};
  std::optional<std::string> webhook{};
  std::optional<webhooks::multitask_strategy> multitask_strategy{};
  std::optional<webhooks::if_not_exists> if_not_exists{};
  std::optional<webhooks::on_disconnect> on_disconnect{}; ///< cancel the run if the stream is dropped?
  std::optional<webhooks::checkpoint> checkpoint{};
  std::optional<std::string> checkpoint_id{};
  node_list interrupt_before{};
  node_list interrupt_after{};
  std::vector<webhooks::stream_mode> stream_mode{};
  std::optional<bool> stream_subgraphs{};
  std::optional<bool> stream_resumable{}; ///< a broken stream can be rejoined from its last event
  std::vector<std::string> feedback_keys{};
  std::optional<double> after_seconds{};
  std::optional<webhooks::durability> durability{};
  std::optional<bool> checkpoint_during{};
  std::optional<webhooks::langsmith_tracer> langsmith_tracer{};

  static constexpr const char *method = "POST", *route = "/threads/{thread_id}/runs/stream";
  static constexpr bool idempotent = false;
  static constexpr std::array<const char *, 1> required = {"assistant_id"};
  using response_type = stream_result;
  template <class F> void path(F &&f) const { f("thread_id", thread_id); }
  template <class F> void fields(F &&f) const {
    detail::thread_run_fields(*this, f);
    f("on_disconnect", on_disconnect);
  }
};

/// `POST /threads/{thread_id}/runs/wait` — Python `client.runs.wait(thread_id, …)`.
struct wait_run_request {
  std::string thread_id{};
  std::string assistant_id{};
  nlohmann::json input{};
  nlohmann::json command{};
  nlohmann::json metadata{};
  nlohmann::json config{};
  nlohmann::json context{};
  std::optional<std::string> webhook{};
  std::optional<webhooks::multitask_strategy> multitask_strategy{};
  std::optional<webhooks::if_not_exists> if_not_exists{};
  std::optional<webhooks::on_disconnect> on_disconnect{};
  std::optional<webhooks::checkpoint> checkpoint{};
  std::optional<std::string> checkpoint_id{};
  node_list interrupt_before{};
  node_list interrupt_after{};
  std::vector<webhooks::stream_mode> stream_mode{};
  std::optional<bool> stream_subgraphs{};
  std::optional<bool> stream_resumable{};
  std::vector<std::string> feedback_keys{};
  std::optional<double> after_seconds{};
  std::optional<webhooks::durability> durability{};
  std::optional<bool> checkpoint_during{};
  std::optional<webhooks::langsmith_tracer> langsmith_tracer{};

  static constexpr const char *method = "POST", *route = "/threads/{thread_id}/runs/wait";
  static constexpr bool idempotent = false;
  static constexpr std::array<const char *, 1> required = {"assistant_id"};
  using response_type = run_output;
  template <class F> void path(F &&f) const { f("thread_id", thread_id); }
  template <class F> void fields(F &&f) const {
    detail::thread_run_fields(*this, f);
    f("on_disconnect", on_disconnect);
  }
};

/// `POST /runs` — Python `client.runs.create(None, …)`. A background run on a temporary thread.
struct create_run_stateless_request {
  std::string assistant_id{};
  nlohmann::json input{};
  nlohmann::json command{};
  nlohmann::json metadata{};
  nlohmann::json config{};
  nlohmann::json context{};
  std::optional<std::string> webhook{};
  std::optional<webhooks::on_completion> on_completion{}; ///< delete (default) or keep the thread
  node_list interrupt_before{};
  node_list interrupt_after{};
  std::vector<webhooks::stream_mode> stream_mode{};
  std::optional<bool> stream_subgraphs{};
  std::optional<bool> stream_resumable{};
  std::vector<std::string> feedback_keys{};
  std::optional<double> after_seconds{};
  std::optional<webhooks::durability> durability{};
  std::optional<bool> checkpoint_during{};
  std::optional<webhooks::langsmith_tracer> langsmith_tracer{};

  static constexpr const char *method = "POST", *route = "/runs";
  static constexpr bool idempotent = false;
  static constexpr std::array<const char *, 1> required = {"assistant_id"};
  using response_type = run;
  template <class F> void path(F &&) const {}
  template <class F> void fields(F &&f) const {
    detail::run_create_fields(*this, f);
    f("on_completion", on_completion);
  }
};

/// `POST /runs/stream` — Python `client.runs.stream(None, …)`.
struct stream_run_stateless_request {
  std::string assistant_id{};
  nlohmann::json input{};
  nlohmann::json command{};
  nlohmann::json metadata{};
  nlohmann::json config{};
  nlohmann::json context{};
  std::optional<std::string> webhook{};
  std::optional<webhooks::on_disconnect> on_disconnect{};
  std::optional<webhooks::on_completion> on_completion{};
  node_list interrupt_before{};
  node_list interrupt_after{};
  std::vector<webhooks::stream_mode> stream_mode{};
  std::optional<bool> stream_subgraphs{};
  std::optional<bool> stream_resumable{};
  std::vector<std::string> feedback_keys{};
  std::optional<double> after_seconds{};
  std::optional<webhooks::durability> durability{};
  std::optional<bool> checkpoint_during{};
  std::optional<webhooks::langsmith_tracer> langsmith_tracer{};

  static constexpr const char *method = "POST", *route = "/runs/stream";
  static constexpr bool idempotent = false;
  static constexpr std::array<const char *, 1> required = {"assistant_id"};
  using response_type = stream_result;
  template <class F> void path(F &&) const {}
  template <class F> void fields(F &&f) const {
    detail::run_create_fields(*this, f);
    f("on_disconnect", on_disconnect);
    f("on_completion", on_completion);
  }
};

/// `POST /runs/wait` — Python `client.runs.wait(None, …)`.
struct wait_run_stateless_request {
  std::string assistant_id{};
  nlohmann::json input{};
  nlohmann::json command{};
  nlohmann::json metadata{};
  nlohmann::json config{};
  nlohmann::json context{};
  std::optional<std::string> webhook{};
  std::optional<webhooks::on_disconnect> on_disconnect{};
  std::optional<webhooks::on_completion> on_completion{};
  node_list interrupt_before{};
  node_list interrupt_after{};
  std::vector<webhooks::stream_mode> stream_mode{};
  std::optional<bool> stream_subgraphs{};
  std::optional<bool> stream_resumable{};
  std::vector<std::string> feedback_keys{};
  std::optional<double> after_seconds{};
  std::optional<webhooks::durability> durability{};
  std::optional<bool> checkpoint_during{};
  std::optional<webhooks::langsmith_tracer> langsmith_tracer{};

  static constexpr const char *method = "POST", *route = "/runs/wait";
  static constexpr bool idempotent = false;
  static constexpr std::array<const char *, 1> required = {"assistant_id"};
  using response_type = run_output;
  template <class F> void path(F &&) const {}
  template <class F> void fields(F &&f) const {
    detail::run_create_fields(*this, f);
    f("on_disconnect", on_disconnect);
    f("on_completion", on_completion);
  }
};

/// `GET /threads/{thread_id}/runs/{run_id}` — Python `client.runs.get`.
struct get_run_request {
  std::string thread_id{};
  std::string run_id{};

  static constexpr const char *method = "GET", *route = "/threads/{thread_id}/runs/{run_id}";
  static constexpr bool idempotent = true;
  using response_type = run;
  template <class F> void path(F &&f) const {
    f("thread_id", thread_id);
    f("run_id", run_id);
  }
};

/// `GET /threads/{thread_id}/runs/{run_id}/join` — Python `client.runs.join`. Blocks until the
/// run ends and returns its final values.
struct join_run_request {
  std::string thread_id{};
  std::string run_id{};
  std::optional<bool> cancel_on_disconnect{};

  static constexpr const char *method = "GET", *route = "/threads/{thread_id}/runs/{run_id}/join";
  static constexpr bool idempotent = true;
  using response_type = run_output;
  template <class F> void path(F &&f) const {
    f("thread_id", thread_id);
    f("run_id", run_id);
  }
  template <class F> void query(F &&f) const { f("cancel_on_disconnect", cancel_on_disconnect); }
};

/// `GET /threads/{thread_id}/runs/{run_id}/stream` — Python `client.runs.join_stream`. Streams
/// a run that is already going; with `last_event_id` (a stream created with
/// `stream_resumable`) the events after that id, "-1" for all of them.
struct join_stream_request {
  std::string thread_id{};
  std::string run_id{};
  std::optional<bool> cancel_on_disconnect{};
  std::vector<webhooks::stream_mode> stream_mode{}; ///< a subset of the run's; empty for all
  std::optional<std::string> last_event_id{};       ///< sent as the Last-Event-ID header

  static constexpr const char *method = "GET", *route = "/threads/{thread_id}/runs/{run_id}/stream";
  static constexpr bool idempotent = true;
  using response_type = stream_result;
  template <class F> void path(F &&f) const {
    f("thread_id", thread_id);
    f("run_id", run_id);
  }
  template <class F> void query(F &&f) const {
    f("cancel_on_disconnect", cancel_on_disconnect);
    f("stream_mode", stream_mode);
  }
  http_headers headers() const {
    if (!last_event_id) return {};
    return {{"Last-Event-ID", *last_event_id}};
  }
};

/// `POST /threads/{thread_id}/runs/{run_id}/cancel` — Python `client.runs.cancel`.
struct cancel_run_request {
  std::string thread_id{};
  std::string run_id{};
  std::optional<bool> wait{}; ///< answer only after the run has stopped
  std::optional<cancel_action> action{};

  static constexpr const char *method = "POST", *route = "/threads/{thread_id}/runs/{run_id}/cancel";
  static constexpr bool idempotent = true;
  using response_type = void;
  template <class F> void path(F &&f) const {
    f("thread_id", thread_id);
    f("run_id", run_id);
  }
  template <class F> void query(F &&f) const {
    f("wait", wait);
    f("action", action);
  }
};

/// `GET /threads/{thread_id}/runs` — Python `client.runs.list`. The JS server lists oldest first
/// and ignores `select`.
struct list_runs_request {
  std::string thread_id{};
  std::optional<int> limit{}; ///< server default 10
  std::optional<int> offset{};
  std::optional<run_status> status{};
  std::vector<std::string> select{}; ///< fields to return

  static constexpr const char *method = "GET", *route = "/threads/{thread_id}/runs";
  static constexpr bool idempotent = true;
  using response_type = std::vector<run>;
  template <class F> void path(F &&f) const { f("thread_id", thread_id); }
  template <class F> void query(F &&f) const {
    f("limit", limit);
    f("offset", offset);
    f("status", status);
    f("select", select);
  }
};

/// `POST /runs/batch` — Python `client.runs.create_batch`. Background runs on temporary
/// threads, each with its own `webhook`; the body is the list of their bodies.
struct create_run_batch_request {
  std::vector<create_run_stateless_request> runs{};

  static constexpr const char *method = "POST", *route = "/runs/batch";
  static constexpr bool idempotent = false;
  using response_type = std::vector<run>;
  template <class F> void path(F &&) const {}
  nlohmann::json json_body() const {
    nlohmann::json list = nlohmann::json::array();
    for (std::size_t i = 0; i < runs.size(); ++i) {
      if (const char *name = detail::missing_field(runs[i]))
        throw detail::bad_argument(std::string(method) + ' ' + route,
                                   "runs[" + std::to_string(i) + "]." + name + " is required (it is empty)");
      list.push_back(detail::object_of(runs[i]));
    }
    return list;
  }
};

/// `POST /runs/cancel` — Python `client.runs.cancel_many`: the runs `run_ids` of `thread_id`, or
/// every run with `status`. (The JS server has no such route: runs().cancel_many() then cancels
/// the listed runs one by one.)
struct cancel_runs_request {
  std::optional<std::string> thread_id{};
  std::vector<std::string> run_ids{};
  std::optional<cancel_status> status{};
  std::optional<cancel_action> action{};

  static constexpr const char *method = "POST", *route = "/runs/cancel";
  static constexpr bool idempotent = true;
  using response_type = void;
  template <class F> void path(F &&) const {}
  template <class F> void fields(F &&f) const {
    f("thread_id", thread_id);
    f("run_ids", run_ids);
    f("status", status);
  }
  template <class F> void query(F &&f) const { f("action", action); }
};

/// `DELETE /threads/{thread_id}/runs/{run_id}` — Python `client.runs.delete`. Cancel a running
/// run first.
struct delete_run_request {
  std::string thread_id{};
  std::string run_id{};

  static constexpr const char *method = "DELETE", *route = "/threads/{thread_id}/runs/{run_id}";
  static constexpr bool idempotent = true;
  using response_type = void;
  template <class F> void path(F &&f) const {
    f("thread_id", thread_id);
    f("run_id", run_id);
  }
};

// ---- crons ------------------------------------------------------------------------------

/// `POST /threads/{thread_id}/runs/crons` — Python `client.crons.create_for_thread`. The
/// webhook fires after each scheduled run.
struct create_thread_cron_request {
  std::string thread_id{};
  std::string assistant_id{};            ///< required
  std::string schedule{};                ///< 5-field cron expression (required), UTC unless timezone
  std::optional<std::string> timezone{}; ///< IANA name, e.g. "America/New_York"
  std::optional<std::string> end_time{}; ///< ISO-8601; no runs after it
  std::optional<bool> enabled{};
  nlohmann::json input{};
  nlohmann::json metadata{};
  nlohmann::json config{};
  nlohmann::json context{};
  std::optional<std::string> webhook{};
  std::optional<webhooks::multitask_strategy> multitask_strategy{};
  node_list interrupt_before{};
  node_list interrupt_after{};
  std::vector<webhooks::stream_mode> stream_mode{};
  std::optional<bool> stream_subgraphs{};
  std::optional<bool> stream_resumable{};
  std::optional<webhooks::durability> durability{};
  std::optional<bool> checkpoint_during{};

  static constexpr const char *method = "POST", *route = "/threads/{thread_id}/runs/crons";
  static constexpr bool idempotent = false;
  static constexpr std::array<const char *, 2> required = {"assistant_id", "schedule"};
  using response_type = cron;
  template <class F> void path(F &&f) const { f("thread_id", thread_id); }
  template <class F> void fields(F &&f) const {
    detail::cron_fields(*this, f);
    f("multitask_strategy", multitask_strategy);
  }
};

/// `POST /runs/crons` — Python `client.crons.create`. Each scheduled run gets a new thread.
struct create_cron_request {
  std::string assistant_id{};
  std::string schedule{};
  std::optional<std::string> timezone{};
  std::optional<std::string> end_time{};
  std::optional<bool> enabled{};
  nlohmann::json input{};
  nlohmann::json metadata{};
  nlohmann::json config{};
  nlohmann::json context{};
  std::optional<std::string> webhook{};
  std::optional<webhooks::on_run_completed> on_run_completed{}; ///< delete (default) or keep each run's thread
  node_list interrupt_before{};
  node_list interrupt_after{};
  std::vector<webhooks::stream_mode> stream_mode{};
  std::optional<bool> stream_subgraphs{};
  std::optional<bool> stream_resumable{};
  std::optional<webhooks::durability> durability{};
  std::optional<bool> checkpoint_during{};

  static constexpr const char *method = "POST", *route = "/runs/crons";
  static constexpr bool idempotent = false;
  static constexpr std::array<const char *, 2> required = {"assistant_id", "schedule"};
  using response_type = cron;
  template <class F> void path(F &&) const {}
  template <class F> void fields(F &&f) const {
    detail::cron_fields(*this, f);
    f("on_run_completed", on_run_completed);
  }
};

/// `POST /runs/crons/search` — Python `client.crons.search`.
struct search_crons_request {
  std::optional<std::string> assistant_id{};
  std::optional<std::string> thread_id{};
  std::optional<bool> enabled{};
  nlohmann::json metadata{};
  std::optional<int> limit{};
  std::optional<int> offset{};
  std::optional<cron_sort_by> sort_by{};
  std::optional<webhooks::sort_order> sort_order{};
  std::vector<std::string> select{};

  static constexpr const char *method = "POST", *route = "/runs/crons/search";
  static constexpr bool idempotent = true;
  using response_type = std::vector<cron>;
  template <class F> void path(F &&) const {}
  template <class F> void fields(F &&f) const {
    f("assistant_id", assistant_id);
    f("thread_id", thread_id);
    f("enabled", enabled);
    f("metadata", metadata);
    f("limit", limit);
    f("offset", offset);
    f("sort_by", sort_by);
    f("sort_order", sort_order);
    f("select", select);
  }
};

/// `DELETE /runs/crons/{cron_id}` — Python `client.crons.delete`.
struct delete_cron_request {
  std::string cron_id{};

  static constexpr const char *method = "DELETE", *route = "/runs/crons/{cron_id}";
  static constexpr bool idempotent = true;
  using response_type = void;
  template <class F> void path(F &&f) const { f("cron_id", cron_id); }
};

/// `GET /runs/crons/{cron_id}` — one cron (Agent Server v0.10 on; not on the JS server).
struct get_cron_request {
  std::string cron_id{};

  static constexpr const char *method = "GET", *route = "/runs/crons/{cron_id}";
  static constexpr bool idempotent = true;
  using response_type = cron;
  template <class F> void path(F &&f) const { f("cron_id", cron_id); }
};

/// `PATCH /runs/crons/{cron_id}` — Python `client.crons.update`: only the fields set change;
/// `end_time = nullptr` removes the end time. Pause a cron with `enabled = false`, re-point its
/// webhook with `webhook`.
struct update_cron_request {
  std::string cron_id{};
  std::optional<std::string> schedule{};
  std::optional<std::string> timezone{};
  clearable<std::string> end_time{}; ///< ISO-8601; nullptr: no end
  std::optional<bool> enabled{};
  nlohmann::json input{};
  nlohmann::json metadata{}; ///< merged into the cron's
  nlohmann::json config{};
  nlohmann::json context{};
  std::optional<std::string> webhook{};
  std::optional<webhooks::on_run_completed> on_run_completed{};
  node_list interrupt_before{};
  node_list interrupt_after{};
  std::vector<webhooks::stream_mode> stream_mode{};
  std::optional<bool> stream_subgraphs{};
  std::optional<bool> stream_resumable{};
  std::optional<webhooks::durability> durability{};

  static constexpr const char *method = "PATCH", *route = "/runs/crons/{cron_id}";
  static constexpr bool idempotent = true;
  using response_type = cron;
  template <class F> void path(F &&f) const { f("cron_id", cron_id); }
  template <class F> void fields(F &&f) const {
    f("schedule", schedule);
    f("timezone", timezone);
    f("end_time", end_time);
    f("enabled", enabled);
    f("input", input);
    f("metadata", metadata);
    f("config", config);
    f("context", context);
    f("webhook", webhook);
    f("on_run_completed", on_run_completed);
    f("interrupt_before", interrupt_before);
    f("interrupt_after", interrupt_after);
    f("stream_mode", stream_mode);
    f("stream_subgraphs", stream_subgraphs);
    f("stream_resumable", stream_resumable);
    f("durability", durability);
  }
};

/// `POST /runs/crons/count` — Python `client.crons.count`: how many crons match.
struct count_crons_request {
  std::optional<std::string> assistant_id{};
  std::optional<std::string> thread_id{};
  nlohmann::json metadata{};

  static constexpr const char *method = "POST", *route = "/runs/crons/count";
  static constexpr bool idempotent = true;
  using response_type = std::int64_t;
  template <class F> void path(F &&) const {}
  template <class F> void fields(F &&f) const {
    f("assistant_id", assistant_id);
    f("thread_id", thread_id);
    f("metadata", metadata);
  }
};

// ---- assistants and threads -------------------------------------------------------------

/// `POST /assistants/search` — Python `client.assistants.search`.
struct search_assistants_request {
  nlohmann::json metadata{}; ///< exact match per key
  std::optional<std::string> graph_id{};
  std::optional<std::string> name{}; ///< case-insensitive substring
  std::optional<int> limit{};        ///< 1..1000, server default 10
  std::optional<int> offset{};
  std::optional<assistant_sort_by> sort_by{};
  std::optional<webhooks::sort_order> sort_order{};
  std::vector<std::string> select{};

  static constexpr const char *method = "POST", *route = "/assistants/search";
  static constexpr bool idempotent = true;
  using response_type = std::vector<assistant>;
  template <class F> void path(F &&) const {}
  template <class F> void fields(F &&f) const {
    f("metadata", metadata);
    f("graph_id", graph_id);
    f("name", name);
    f("limit", limit);
    f("offset", offset);
    f("sort_by", sort_by);
    f("sort_order", sort_order);
    f("select", select);
  }
};

/// `POST /threads` — Python `client.threads.create`.
struct create_thread_request {
  std::optional<std::string> thread_id{}; ///< generated by the server when unset
  nlohmann::json metadata{};
  std::optional<webhooks::if_exists> if_exists{};
  std::optional<thread_ttl> ttl{};
  nlohmann::json supersteps{};

  static constexpr const char *method = "POST", *route = "/threads";
  static constexpr bool idempotent = false;
  using response_type = thread;
  template <class F> void path(F &&) const {}
  template <class F> void fields(F &&f) const {
    f("thread_id", thread_id);
    f("metadata", metadata);
    f("if_exists", if_exists);
    f("ttl", ttl);
    f("supersteps", supersteps);
  }
};

/// `GET /threads/{thread_id}` — Python `client.threads.get`: the thread, with its status,
/// values and pending interrupts.
struct get_thread_request {
  std::string thread_id{};

  static constexpr const char *method = "GET", *route = "/threads/{thread_id}";
  static constexpr bool idempotent = true;
  using response_type = thread;
  template <class F> void path(F &&f) const { f("thread_id", thread_id); }
};

/// `GET /threads/{thread_id}/state[/{checkpoint_id}]` — Python `client.threads.get_state`: the
/// state at the latest checkpoint, or at `checkpoint_id`; what an interrupted run waits for.
struct get_thread_state_request {
  std::string thread_id{};
  std::optional<std::string> checkpoint_id{};
  std::optional<bool> subgraphs{}; ///< expand the state of subgraphs

  static constexpr const char *method = "GET", *route = "/threads/{thread_id}/state[/{checkpoint_id}]";
  static constexpr bool idempotent = true;
  using response_type = thread_state;
  template <class F> void path(F &&f) const {
    f("thread_id", thread_id);
    f("checkpoint_id", checkpoint_id);
  }
  template <class F> void query(F &&f) const { f("subgraphs", subgraphs); }
};

/// `POST /threads/{thread_id}/state` — Python `client.threads.update_state`: writes `values` as
/// if node `as_node` had returned them, making a new checkpoint.
struct update_thread_state_request {
  std::string thread_id{};
  nlohmann::json values{};
  std::optional<std::string> as_node{};
  std::optional<webhooks::checkpoint> checkpoint{}; ///< update from this checkpoint (a fork)
  std::optional<std::string> checkpoint_id{};

  static constexpr const char *method = "POST", *route = "/threads/{thread_id}/state";
  static constexpr bool idempotent = false;
  using response_type = thread_update_result;
  template <class F> void path(F &&f) const { f("thread_id", thread_id); }
  template <class F> void fields(F &&f) const {
    f("values", values);
    f("as_node", as_node);
    f("checkpoint", checkpoint);
    f("checkpoint_id", checkpoint_id);
  }
};

/// `POST /threads/{thread_id}/history` — Python `client.threads.get_history`: the thread's
/// states, newest first. `limit` is always sent (the servers' defaults differ: 1 and 10).
struct get_thread_history_request {
  std::string thread_id{};
  int limit = 10;
  std::optional<std::string> before{};              ///< a checkpoint id: the states before it
  nlohmann::json metadata{};                        ///< checkpoint metadata to match, e.g. {"source": "loop"}
  std::optional<webhooks::checkpoint> checkpoint{}; ///< a subgraph's namespace

  static constexpr const char *method = "POST", *route = "/threads/{thread_id}/history";
  static constexpr bool idempotent = true;
  using response_type = std::vector<thread_state>;
  template <class F> void path(F &&f) const { f("thread_id", thread_id); }
  template <class F> void fields(F &&f) const {
    f("limit", limit);
    f("before", before);
    f("metadata", metadata);
    f("checkpoint", checkpoint);
  }
};

/// `POST /threads/search` — Python `client.threads.search`.
struct search_threads_request {
  nlohmann::json metadata{}; ///< exact match per key
  nlohmann::json values{};   ///< exact match per key of the thread's values
  std::vector<std::string> ids{};
  std::optional<thread_status> status{};
  std::optional<int> limit{}; ///< server default 10
  std::optional<int> offset{};
  std::optional<thread_sort_by> sort_by{};
  std::optional<webhooks::sort_order> sort_order{};
  std::vector<std::string> select{};

  static constexpr const char *method = "POST", *route = "/threads/search";
  static constexpr bool idempotent = true;
  using response_type = std::vector<thread>;
  template <class F> void path(F &&) const {}
  template <class F> void fields(F &&f) const {
    f("metadata", metadata);
    f("values", values);
    f("ids", ids);
    f("status", status);
    f("limit", limit);
    f("offset", offset);
    f("sort_by", sort_by);
    f("sort_order", sort_order);
    f("select", select);
  }
};

/// `DELETE /threads/{thread_id}` — Python `client.threads.delete`: the thread, its runs and
/// checkpoints.
struct delete_thread_request {
  std::string thread_id{};

  static constexpr const char *method = "DELETE", *route = "/threads/{thread_id}";
  static constexpr bool idempotent = true;
  using response_type = void;
  template <class F> void path(F &&f) const { f("thread_id", thread_id); }
};

// ---- the server -------------------------------------------------------------------------

/// `GET /info` — the server's version and feature flags.
struct get_info_request {
  static constexpr const char *method = "GET", *route = "/info";
  static constexpr bool idempotent = true;
  using response_type = server_info;
  template <class F> void path(F &&) const {}
};

/// `GET /ok` — health check; the response is `{"ok": true}` (newer servers add `services`).
struct get_ok_request {
  static constexpr const char *method = "GET", *route = "/ok";
  static constexpr bool idempotent = true;
  using response_type = nlohmann::json;
  template <class F> void path(F &&) const {}
};

// ---- every request ----------------------------------------------------------------------

/// Every request type, each as X(type, how it is sent: send or stream). Drives the
/// separate-compilation instantiations and the test that each request is covered.
#define LANGGRAPH_WEBHOOKS_REQUESTS(X)                                                                                 \
  X(create_run_request, send)                                                                                          \
  X(stream_run_request, stream)                                                                                        \
  X(wait_run_request, send)                                                                                            \
  X(create_run_stateless_request, send)                                                                                \
  X(stream_run_stateless_request, stream)                                                                              \
  X(wait_run_stateless_request, send)                                                                                  \
  X(get_run_request, send)                                                                                             \
  X(join_run_request, send)                                                                                            \
  X(join_stream_request, stream)                                                                                       \
  X(cancel_run_request, send)                                                                                          \
  X(list_runs_request, send)                                                                                           \
  X(create_run_batch_request, send)                                                                                    \
  X(cancel_runs_request, send)                                                                                         \
  X(delete_run_request, send)                                                                                          \
  X(create_thread_cron_request, send)                                                                                  \
  X(create_cron_request, send)                                                                                         \
  X(search_crons_request, send)                                                                                        \
  X(delete_cron_request, send)                                                                                         \
  X(get_cron_request, send)                                                                                            \
  X(update_cron_request, send)                                                                                         \
  X(count_crons_request, send)                                                                                         \
  X(search_assistants_request, send)                                                                                   \
  X(create_thread_request, send)                                                                                       \
  X(get_thread_request, send)                                                                                          \
  X(get_thread_state_request, send)                                                                                    \
  X(update_thread_state_request, send)                                                                                 \
  X(get_thread_history_request, send)                                                                                  \
  X(search_threads_request, send)                                                                                      \
  X(delete_thread_request, send)                                                                                       \
  X(get_info_request, send)                                                                                            \
  X(get_ok_request, send)

namespace detail {
template <class R, class = void> struct has_query : std::false_type {};
template <class R>
struct has_query<R,
                 std::void_t<decltype(std::declval<const R &>().query(std::declval<void (*&)(const char *, int)>()))>>
    : std::true_type {};
template <class R, class = void> struct has_json_body : std::false_type {}; // a body that is not an object
template <class R>
struct has_json_body<R, std::void_t<decltype(std::declval<const R &>().json_body())>> : std::true_type {};
template <class R, class = void> struct has_headers : std::false_type {};
template <class R>
struct has_headers<R, std::void_t<decltype(std::declval<const R &>().headers())>> : std::true_type {};
} // namespace detail

namespace detail {
// A request's query string from its query(f): a flag only when true (both servers default flags
// to false, and the JS server reads any non-empty value, even "false", as true), a number, an
// enum by its wire name, a list as one parameter per item.
class query_builder {
public:
  void operator()(const char *key, const std::optional<bool> &v) {
    if (v.value_or(false)) add(key, "true");
  }
  void operator()(const char *key, const std::optional<int> &v) {
    if (v) add(key, std::to_string(*v));
  }
  template <class E> void operator()(const char *key, const std::optional<E> &v) {
    if (v) add(key, to_string(*v));
  }
  template <class E> void operator()(const char *key, const std::vector<E> &v) {
    for (const auto &e : v) {
      if constexpr (std::is_same_v<E, std::string>)
        add(key, e);
      else
        add(key, to_string(e));
    }
  }
  const std::string &str() const noexcept { return q_; }

private:
  void add(const char *key, std::string_view value) {
    q_ += q_.empty() ? '?' : '&';
    q_ += key;
    q_ += '=';
    q_ += percent_encode(value);
  }
  std::string q_;
};

template <class R, class = void> struct has_target : std::false_type {};
template <class R> struct has_target<R, std::void_t<decltype(std::declval<const R &>().target())>> : std::true_type {};
} // namespace detail

namespace detail {
// Appends `part` of a route to `out`, each {name} the percent-encoded path field `name` of `r`;
// returns the name of a field that is empty or unset (then `out` is incomplete), else "".
template <class R> std::string_view expand_route(std::string_view part, const R &r, std::string &out) {
  for (std::size_t i = 0; i < part.size();) {
    if (part[i] != '{') {
      out += part[i++];
      continue;
    }
    const std::size_t close = part.find('}', i);
    const std::string_view name = part.substr(i + 1, close - i - 1);
    const std::string *value = nullptr;
    r.path([&](const char *key, const auto &v) {
      if (name != key) return;
      if constexpr (is_optional<std::decay_t<decltype(v)>>::value) {
        if (v) value = &*v;
      } else {
        value = &v;
      }
    });
    if (!value || value->empty()) return name;
    out += percent_encode(*value);
    i = close + 1;
  }
  return {};
}
} // namespace detail

/// The percent-encoded path and query of a request: its route with each {name} replaced by the
/// field `name` (a [part] only when its fields are set), then its query parameters. Throws
/// `error` (invalid_argument) when an id that goes into the path is empty (it would silently
/// address another route).
template <class R> std::string target(const R &r) {
  if constexpr (detail::has_target<R>::value) {
    return r.target();
  } else {
    const std::string_view route = R::route;
    const std::size_t open = route.find('['), close = route.find(']');
    std::string out;
    const std::string_view missing = detail::expand_route(route.substr(0, open), r, out);
    if (!missing.empty())
      throw detail::bad_argument(std::string(R::method) + ' ' + std::string(route),
                                 std::string(missing) + " is empty (it goes into the path)");
    if (open != std::string_view::npos) {
      std::string optional_part;
      if (detail::expand_route(route.substr(open + 1, close - open - 1), r, optional_part).empty())
        out += optional_part;
      out += route.substr(close + 1);
    }
    if constexpr (detail::has_query<R>::value) {
      detail::query_builder q;
      r.query(q);
      out += q.str();
    }
    return out;
  }
}

/// The JSON body of a request (or of a struct nested in one): each of its fields that is set.
template <class R, std::enable_if_t<detail::has_fields<R>::value, int> = 0>
void to_json(nlohmann::json &j, const R &r) {
  j = detail::object_of(r);
}

// ==== client ====
//
// The event-stream parser, the client's options, and basic_client with its sub-client views
// named like the Python SDK's.

// ---- server-sent events -----------------------------------------------------------------

/// One dispatched event of a `text/event-stream`.
struct sse_event {
  std::string event; ///< the `event:` field, "message" when the event had none
  std::string data;  ///< the `data:` lines joined with '\n'
  std::string id;    ///< the last event id (ids persist across events)
};

/// The same, without copies: the views are valid only during the callback.
struct sse_event_view {
  std::string_view event;
  std::string_view data;
  std::string_view id;
};

namespace detail {
// First CR or LF in [p, end), or end. Both servers' streams are mostly long `data:` lines, so
// this scan is the parser's hot loop: 32 bytes at a time where SSE2 is available.
inline const char *find_eol(const char *p, const char *end) noexcept {
#if defined(__SSE2__) && (defined(__GNUC__) || defined(__clang__))
  const __m128i lf = _mm_set1_epi8('\n');
  const __m128i cr = _mm_set1_epi8('\r');
  for (; end - p >= 32; p += 32) {
    const __m128i a = _mm_loadu_si128(reinterpret_cast<const __m128i *>(p));
    const __m128i b = _mm_loadu_si128(reinterpret_cast<const __m128i *>(p + 16));
    const unsigned ma = unsigned(_mm_movemask_epi8(_mm_or_si128(_mm_cmpeq_epi8(a, lf), _mm_cmpeq_epi8(a, cr))));
    const unsigned mb = unsigned(_mm_movemask_epi8(_mm_or_si128(_mm_cmpeq_epi8(b, lf), _mm_cmpeq_epi8(b, cr))));
    if (ma | mb) return p + __builtin_ctz(ma | (mb << 16));
  }
#endif
  for (; p < end; ++p)
    if (*p == '\n' || *p == '\r') return p;
  return end;
}

inline bool starts_with(std::string_view s, std::string_view prefix) noexcept {
  return s.size() >= prefix.size() && std::memcmp(s.data(), prefix.data(), prefix.size()) == 0;
}
} // namespace detail

/// Incremental `text/event-stream` parser following the WHATWG rules: CR, LF and CRLF line
/// ends (also split across chunks), several `data:` lines joined with '\n', one optional space
/// after the colon, comments (`: heartbeat`) ignored, `id` kept as the last event id (ignored
/// when it contains NUL), `retry` read, a leading UTF-8 BOM skipped, events without data not
/// dispatched, and an unterminated last event dropped. Chunks may split the input anywhere,
/// with the same result.
class sse_parser {
public:
  /// Largest event accepted — the bytes of its lines since the last blank line — before feed()
  /// throws `error` with kind invalid_response.
  explicit sse_parser(std::size_t max_event_bytes = std::size_t(64) << 20) : max_event_bytes_(max_event_bytes) {}

  /// Parses `chunk`, calling `on_event` for each complete event: with a `const sse_event&`,
  /// or — to skip copying the data — with a `const sse_event_view&` (valid during the call
  /// only). When `on_event` returns bool, false stops parsing and feed() returns false.
  template <class OnEvent> bool feed(std::string_view chunk, OnEvent &&on_event) {
    const char *p = chunk.data();
    const char *const end = p + chunk.size();
    if (p == end) return true;
    if (bom_state_ < 3 && !skip_bom(p, end)) return true;
    if (skip_lf_) {
      skip_lf_ = false;
      if (*p == '\n') ++p;
    }
    bool go_on = true;
    while (go_on && p < end) {
      const char *eol = detail::find_eol(p, end);
      if (eol == end) { // the line goes on in the next chunk
        check_size(line_.size() + std::size_t(end - p));
        line_.append(p, end);
        break;
      }
      if (line_.empty()) {
        go_on = process_line(std::string_view(p, std::size_t(eol - p)), true, on_event);
      } else {
        line_.append(p, eol);
        go_on = process_line(std::string_view(line_), false, on_event);
        line_.clear();
      }
      if (*eol == '\r') {
        if (eol + 1 == end) {
          skip_lf_ = true; // its LF may start the next chunk
          p = end;
          break;
        }
        if (eol[1] == '\n') ++eol;
      }
      p = eol + 1;
    }
    keep_data(); // the chunk goes away: data still pointing into it is copied
    return go_on;
  }

  /// Ends the stream. Returns false when it stopped inside an event, which is dropped (an
  /// event only counts once its blank line arrived).
  bool finish() {
    const bool clean = line_.empty() && !in_event_ && (bom_state_ == 0 || bom_state_ == 3);
    line_.clear();
    reset_event();
    return clean;
  }
  /// As finish(); never calls `on_event`: an unterminated event is dropped, as the rules say.
  template <class OnEvent> bool finish(OnEvent &&) { return finish(); }

  /// The id to reconnect with (`Last-Event-ID`): the last id of a completed event.
  const std::string &last_event_id() const noexcept { return last_event_id_; }
  /// The last `retry:` value in milliseconds, if any.
  std::optional<std::uint64_t> retry() const noexcept { return retry_; }

private:
  // Skips a UTF-8 BOM at the very start, which may itself arrive split. False when `chunk`
  // was used up by it.
  bool skip_bom(const char *&p, const char *end) {
    static constexpr char bom[] = "\xEF\xBB\xBF";
    while (bom_state_ < 3 && p < end) {
      if (*p != bom[bom_state_]) {
        if (bom_state_ > 0) line_.assign(bom, bom_state_); // not a BOM after all: keep the bytes
        bom_state_ = 3;
        return true;
      }
      ++p;
      ++bom_state_;
    }
    return p < end;
  }

  void check_size(std::size_t more) const {
    if (event_bytes_ + more > max_event_bytes_)
      throw error(error_kind::invalid_response, {}, 0,
                  "server-sent event larger than " + std::to_string(max_event_bytes_) + " bytes");
  }

  // `stable`: `line` lies in the caller's chunk, which outlives this feed() call.
  template <class OnEvent> bool process_line(std::string_view line, bool stable, OnEvent &on_event) {
    if (line.empty()) return dispatch(on_event);
    check_size(line.size());
    event_bytes_ += line.size();
    std::string_view value;
    if (detail::starts_with(line, "data:")) { // the common case first
      value = line.substr(5);
    } else if (line.front() == ':') {
      return true; // comment
    } else {
      in_event_ = true;
      const std::size_t colon = line.find(':');
      const std::string_view field = line.substr(0, colon);
      if (colon != std::string_view::npos) value = line.substr(colon + 1);
      if (!value.empty() && value.front() == ' ') value.remove_prefix(1);
      if (field == "event") {
        event_.event.assign(value);
      } else if (field == "id") {
        if (value.find('\0') == std::string_view::npos) id_.assign(value);
      } else if (field == "retry") {
        if (!value.empty() && std::all_of(value.begin(), value.end(), [](char c) { return c >= '0' && c <= '9'; }))
          retry_ = std::strtoull(std::string(value).c_str(), nullptr, 10);
      } else if (field == "data") {
        add_data(value, stable);
      }
      return true;
    }
    in_event_ = true;
    if (!value.empty() && value.front() == ' ') value.remove_prefix(1);
    add_data(value, stable);
    return true;
  }

  // The first data line of an event is kept as a view while it can be; more lines are joined.
  void add_data(std::string_view value, bool stable) {
    if (!has_data_ && stable) {
      data_view_ = value;
      viewing_ = true;
    } else {
      keep_data();
      if (has_data_) data_ += '\n';
      data_.append(value);
    }
    has_data_ = true;
  }
  void keep_data() {
    if (!viewing_) return;
    data_.assign(data_view_);
    viewing_ = false;
  }

  template <class OnEvent> bool dispatch(OnEvent &on_event) {
    last_event_id_ = id_; // committed on every blank line, as the rules say
    in_event_ = false;
    event_bytes_ = 0;
    if (!has_data_) {
      event_.event.clear();
      return true;
    }
    if (event_.event.empty()) event_.event = "message";
    bool go_on = true;
    constexpr bool views =
        std::is_invocable_v<OnEvent &, const sse_event_view &> && !std::is_invocable_v<OnEvent &, const sse_event &>;
    if constexpr (views) {
      const sse_event_view v{event_.event, viewing_ ? data_view_ : std::string_view(data_), last_event_id_};
      if constexpr (std::is_same_v<std::invoke_result_t<OnEvent &, const sse_event_view &>, bool>)
        go_on = on_event(v);
      else
        on_event(v);
    } else {
      if (viewing_)
        event_.data.assign(data_view_);
      else
        event_.data.swap(data_);
      event_.id = last_event_id_;
      if constexpr (std::is_same_v<std::invoke_result_t<OnEvent &, const sse_event &>, bool>)
        go_on = on_event(static_cast<const sse_event &>(event_));
      else
        on_event(static_cast<const sse_event &>(event_));
    }
    reset_event();
    return go_on;
  }

  void reset_event() {
    event_.event.clear();
    data_.clear();
    viewing_ = false;
    has_data_ = false;
    in_event_ = false;
    event_bytes_ = 0;
  }

  std::size_t max_event_bytes_;
  sse_event event_;            // event name being built; data and id filled at dispatch
  std::string data_;           // data lines so far, unless viewing_
  std::string_view data_view_; // the only data line, still in the caller's chunk
  std::string line_;           // a line split across chunks
  std::string id_;             // the last event id buffer
  std::string last_event_id_;  // committed at each blank line
  std::optional<std::uint64_t> retry_;
  std::size_t event_bytes_ = 0; // bytes of this event's lines so far
  unsigned bom_state_ = 0;      // BOM bytes matched; 3 once past the start
  bool viewing_ = false;
  bool has_data_ = false;
  bool in_event_ = false; // a field line arrived since the last blank line
  bool skip_lf_ = false;  // the last chunk ended with CR
};

// ---- options ----------------------------------------------------------------------------

/// Back-off between attempts: `initial_backoff * 2^n`, capped at `max_backoff`, then scaled by
/// a random factor in [1 - jitter, 1].
struct retry_policy {
  int max_retries = 3; ///< further attempts after the first; 0 disables retries
  std::chrono::milliseconds initial_backoff{500};
  std::chrono::milliseconds max_backoff{8000};
  double jitter = 0.5;
};

/// Options of `basic_client`.
struct client_options {
  /// Sent as `x-api-key`. Unset: taken from LANGGRAPH_API_KEY, LANGSMITH_API_KEY or
  /// LANGCHAIN_API_KEY (first set one; whitespace and quotes stripped). Empty: none sent.
  std::optional<std::string> api_key;
  http_headers headers; ///< added to every request (may override User-Agent, not x-api-key)
  std::chrono::milliseconds connect_timeout{5000};
  std::chrono::milliseconds read_timeout{300000}; ///< longest silence while reading a response
  std::chrono::milliseconds write_timeout{300000};
  /// What is retried: a request that never reached the server and a 429, always; a 5xx or a
  /// connection that broke after sending, only for `idempotent` requests; TLS failures never.
  retry_policy retry;
  bool verify_tls = true;
  std::string ca_cert_path; ///< PEM bundle for https; empty for the system's
  /// Largest response body accepted (a /wait or /join result included): beyond it the call
  /// fails with kind invalid_response. Error responses are read up to 64 KiB, which holds their
  /// message; streams are bounded per event instead (max_event_bytes). Parsed, JSON can take
  /// many times its size (up to ~50x for an array of empty objects): lower it where that matters.
  std::size_t max_response_bytes = std::size_t(32) << 20;
  /// A deadline for a whole call — its retries, back-off and a stream's rejoins included —
  /// apart from read_timeout (the longest silence): when it passes the call fails with kind
  /// timeout. Unset: none (a stream or a /wait may last as long as its run).
  std::optional<std::chrono::milliseconds> call_timeout;
  /// Largest single server-sent event accepted from a stream (parsed: see max_response_bytes).
  std::size_t max_event_bytes = std::size_t(32) << 20;
  /// Deepest nesting of arrays and objects accepted in JSON from the server (a response, an
  /// event's data); deeper is an invalid_response error. Bounds the stack that copying,
  /// comparing and dumping the parsed values use.
  std::size_t max_json_depth = default_max_json_depth;
  /// How often a broken stream created with `stream_resumable` (or a join_stream) is rejoined
  /// from its last event id before the error is reported.
  int stream_reconnects = 5;
  /// Waits between retries; replace it in tests to observe the back-off without sleeping.
  std::function<void(std::chrono::milliseconds)> sleep = [](std::chrono::milliseconds d) {
    std::this_thread::sleep_for(d);
  };
};

namespace detail {
// At most `limit` bytes of `s` (never splitting a UTF-8 sequence), with "…" when cut.
inline std::string shorten(std::string s, std::size_t limit = 2000) {
  if (s.size() <= limit) return s;
  std::size_t n = limit;
  while (n > 0 && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80) --n;
  s.resize(n);
  return s + "…";
}

// How much of an error response is kept: its message is at the start.
inline constexpr std::size_t max_error_body_bytes = std::size_t(64) << 10;

inline std::string trim_key(std::string s) {
  auto junk = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '"' || c == '\''; };
  while (!s.empty() && junk(s.back())) s.pop_back();
  std::size_t b = 0;
  while (b < s.size() && junk(s[b])) ++b;
  return s.substr(b);
}

inline std::string api_key_from_env() {
  for (const char *name : {"LANGGRAPH_API_KEY", "LANGSMITH_API_KEY", "LANGCHAIN_API_KEY"}) {
    if (const char *v = std::getenv(name)) {
      std::string key = trim_key(v);
      if (!key.empty()) return key;
    }
  }
  return {};
}

// The message of one validation issue; for a zod union (e.g. a stream_mode that is one name
// or a list), the most specific of its alternatives' messages.
inline std::string issue_message(const nlohmann::json &issue) {
  std::string message;
  for (const char *k : {"message", "msg"})
    if (issue.contains(k) && issue[k].is_string()) message = issue[k].get<std::string>();
  if (issue.contains("unionErrors") && issue["unionErrors"].is_array())
    for (const auto &alt : issue["unionErrors"])
      if (alt.is_object() && alt.contains("issues") && alt["issues"].is_array())
        for (const auto &inner : alt["issues"])
          if (inner.is_object()) {
            std::string m = issue_message(inner);
            if (m.size() > message.size()) message = std::move(m);
          }
  return message;
}

// One line for a list of validation problems: the JS server's zod `issues` ({path, message},
// a union's alternatives in `unionErrors`) and the Python server's FastAPI `detail`
// ({loc, msg}). "thread_id: Invalid uuid; run_id: Invalid uuid". Empty when `list` is neither.
inline std::string validation_summary(const nlohmann::json &list) {
  if (!list.is_array() || list.empty()) return {};
  std::string out;
  for (const auto &issue : list) {
    if (!issue.is_object()) return {};
    const std::string message = issue_message(issue);
    if (message.empty()) return {};
    std::string path;
    const char *where = issue.contains("path") ? "path" : "loc";
    if (issue.contains(where) && issue[where].is_array())
      for (const auto &part : issue[where]) {
        if (part == "body") continue; // FastAPI's location prefix
        if (!path.empty()) path += '.';
        path += part.is_string() ? part.get<std::string>() : part.dump();
      }
    if (!out.empty()) out += "; ";
    out += path.empty() ? message : path + ": " + message;
  }
  return out;
}

// The server's message from an error body, on one line: JSON `detail`, `message`, `error`
// (string or {message}) — the order the Python SDK uses —, validation lists condensed (see
// validation_summary), else the text itself. At most 2,000 bytes; the raw body stays on the
// error (error::body()).
inline std::string server_message(const std::string &body, std::size_t max_depth) {
  constexpr std::size_t limit = 2000;
  auto one_line = [](std::string s) {
    for (char &c : s)
      if (c == '\n' || c == '\r' || c == '\t') c = ' ';
    return s;
  };
  auto cut = [&](std::string s) { return shorten(one_line(std::move(s)), limit); };
  auto text = [&](const nlohmann::json &v) {
    if (v.is_string()) return cut(v.get<std::string>());
    const std::string summary = validation_summary(v);
    return cut(summary.empty() ? v.dump() : summary);
  };
  const auto j = json_deeper_than(body, max_depth) ? nlohmann::json() : json_parse(body, false);
  if (j.is_object()) {
    for (const char *key : {"detail", "message"}) {
      auto it = j.find(key);
      if (it != j.end() && !it->is_null()) return text(*it);
    }
    auto it = j.find("error");
    if (it != j.end() && !it->is_null()) {
      if (it->is_object()) {
        auto m = it->find("message");
        if (m != it->end() && !m->is_null()) return text(*m);
        auto issues = it->find("issues"); // zod: {"success": false, "error": {"issues": [...], "name": "ZodError"}}
        if (issues != it->end()) {
          const std::string summary = validation_summary(*issues);
          if (!summary.empty()) return cut(summary);
        }
      }
      return text(*it);
    }
  }
  return cut(trim_key(body.substr(0, limit + 64)));
}

// `__error__` of /wait and /join, unwrapping the JS server's double encoding (its message is
// the JSON text of the inner {error, message}).
inline std::optional<run_error> run_error_of(const nlohmann::json &values) {
  if (!values.is_object()) return std::nullopt;
  auto it = values.find("__error__");
  if (it == values.end()) return std::nullopt;
  run_error e;
  if (it->is_string()) {
    e.message = it->get<std::string>();
    return e;
  }
  if (!it->is_object()) {
    e.message = it->dump();
    return e;
  }
  get(*it, "error", e.error);
  get(*it, "message", e.message);
  auto inner = json_deeper_than(e.message, default_max_json_depth) ? nlohmann::json() : json_parse(e.message, false);
  if (inner.is_object() && inner.contains("message")) {
    if (inner["message"].is_string()) e.message = inner["message"].get<std::string>();
    if (inner.contains("error") && inner["error"].is_string()) e.error = inner["error"].get<std::string>();
  }
  return e;
}

// run and thread ids from a Content-Location such as "[/prefix]/threads/T/runs/R".
inline void ids_from_location(std::string_view loc, std::string &thread_id, std::string &run_id) {
  auto segment_after = [&](std::string_view marker) -> std::string {
    auto at = loc.rfind(marker);
    if (at == std::string_view::npos) return {};
    auto rest = loc.substr(at + marker.size());
    return std::string(rest.substr(0, rest.find_first_of("/?")));
  };
  run_id = segment_after("/runs/");
  thread_id = segment_after("/threads/");
}

template <class T> struct response_reader {
  static T read(const http_response &res, std::size_t max_depth) {
    return parse_json(res.body, max_depth).template get<T>();
  }
};
template <> struct response_reader<nlohmann::json> {
  static nlohmann::json read(const http_response &res, std::size_t max_depth) {
    return parse_json(res.body, max_depth);
  }
};
template <> struct response_reader<run_output> {
  static run_output read(const http_response &res, std::size_t max_depth) {
    run_output out;
    out.values = parse_json(res.body, max_depth); // leading keep-alive newlines are whitespace
    out.error = run_error_of(out.values);
    ids_from_location(res.header("Content-Location"), out.thread_id, out.run_id);
    return out;
  }
};
template <> struct response_reader<void> {
  static void read(const http_response &, std::size_t) {}
};

// A GET of a path the server named (its Location header): a broken stream's rejoin, from its
// last event id, or a broken /wait's join.
template <class Response> struct location_request {
  static constexpr const char *method = "GET", *route = "{Location}";
  static constexpr bool idempotent = true;
  using response_type = Response;

  std::string path;
  std::optional<std::string> last_event_id;

  std::string target() const { return path; }
  http_headers headers() const {
    if (!last_event_id) return {};
    return {{"Last-Event-ID", *last_event_id}};
  }
};

// The path of a Location the client may follow: a path, or a URL of the client's own origin
// (the SDKs refuse to follow another); the base URL's prefix taken off. "" when it may not.
inline std::string followable_path(std::string_view location, const url_parts &base) {
  std::string path;
  if (!location.empty() && location.front() == '/') {
    path = std::string(location);
  } else {
    try {
      const url_parts u = parse_url(location);
      if (u.origin() != base.origin()) return {};
      const std::size_t at = location.find('/', location.find("://") + 3);
      path = at == std::string_view::npos ? "/" : std::string(location.substr(at));
    } catch (const error &) {
      return {};
    }
  }
  if (!base.path.empty() && path.compare(0, base.path.size(), base.path) == 0) path.erase(0, base.path.size());
  return path;
}

// A run's error from the `error` event of a stream: the {error, message} object, a string, or
// anything else as (at most 2,000 bytes of) JSON text.
inline run_error run_error_from(const nlohmann::json &data);

// One streaming call across its attempts: the first request and any rejoins.
struct stream_state {
  const run_created_handler *on_run_created = nullptr;
  stream_result result;
  std::optional<run_error> failure; // from the stream's `error` event
  std::string location;             // the server's rejoin path (Python: the Location header)
  std::string skip_id;              // after a rejoin: an old server may repeat the last event
  bool head_seen = false;

  // An attempt's head: the run and thread ids (Content-Location) and where to rejoin.
  void on_head(const http_response &head) {
    head_seen = true;
    std::string tid, rid;
    ids_from_location(head.header("Content-Location"), tid, rid);
    if (!rid.empty()) result.run_id = rid;
    if (!tid.empty()) result.thread_id = tid;
    if (!head.header("Location").empty()) location = std::string(head.header("Location"));
    if (on_run_created && *on_run_created && !rid.empty()) {
      (*on_run_created)(rid, tid);
      on_run_created = nullptr; // once: not again for a rejoin
    }
  }

  // The part an event becomes, or nullopt for the event an old server repeats after a rejoin;
  // notes the run id (metadata), a failure (error) and the last event id.
  std::optional<stream_part> part_of(const sse_event_view &ev, std::size_t max_depth) {
    if (!skip_id.empty()) {
      const bool repeat = ev.id == skip_id;
      skip_id.clear();
      if (repeat) return std::nullopt;
    }
    stream_part part;
    part.event = std::string(ev.event);
    part.id = std::string(ev.id);
    if (json_deeper_than(ev.data, max_depth))
      throw error(error_kind::invalid_response, {}, 0,
                  "a server-sent event's data nests more than " + std::to_string(max_depth) +
                      " levels deep (client_options::max_json_depth)");
    part.data = json_parse(ev.data, false);
    if (part.data.is_discarded()) part.data = std::string(ev.data);
    if (part.event == "metadata" && result.run_id.empty() && part.data.is_object()) {
      auto it = part.data.find("run_id");
      if (it != part.data.end() && it->is_string()) result.run_id = it->template get<std::string>();
    }
    if (part.event == "error") failure = run_error_from(part.data);
    if (!ev.id.empty()) result.last_event_id = part.id;
    ++result.parts;
    return part;
  }
};

// A run's error from the `error` event of a stream: the {error, message} object, a string, or
// anything else as (at most 2,000 bytes of) JSON text.
inline run_error run_error_from(const nlohmann::json &data) {
  run_error e;
  if (data.is_string()) {
    e.message = data.get<std::string>();
  } else if (data.is_object()) {
    if (data.contains("error") && data["error"].is_string()) e.error = data["error"].get<std::string>();
    if (data.contains("message") && data["message"].is_string())
      e.message = data["message"].get<std::string>();
    else
      e.message = shorten(data.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
  } else {
    e.message = shorten(data.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
  }
  return e;
}

// Whether a broken stream of this request may be rejoined from its last event id.
template <class R> bool resumable(const R &r) {
  if constexpr (std::is_same_v<R, join_stream_request>)
    return true;
  else
    return r.stream_resumable.value_or(false);
}
} // namespace detail

// ---- basic_client -----------------------------------------------------------------------

/// The blocking client, over any ClientTransport. `client` is the cpp-httplib instantiation.
/// Safe to use from several threads when the transport is (the httplib one is).
template <class ClientTransport> class basic_client {
  static_assert(is_client_transport_v<ClientTransport>,
                "basic_client<T>: T must model ClientTransport, i.e. have a member "
                "`http_response send(const http_request&, const chunk_callback&)` (see the "
                "requirements table in langgraph_webhooks.hpp).");

public:
  using transport_type = ClientTransport;

  /// A client for default_server_url(): `$LANGGRAPH_URL`, else http://127.0.0.1:2024.
  basic_client() : basic_client(default_server_url()) {}
  explicit basic_client(client_options options) : basic_client(default_server_url(), std::move(options)) {}
  /// A client for `base_url` ("http(s)://host[:port][/prefix]"), making its own transport.
  /// Throws `error` (invalid_argument) when it is not such a URL.
  explicit basic_client(const std::string &base_url, client_options options = {})
      : basic_client(parse_url(base_url), std::move(options)) {}

  /// A client that sends through `transport` (e.g. a mock); `base_url` gives the path prefix.
  basic_client(ClientTransport transport, const std::string &base_url, client_options options = {})
      : url_(parse_url(base_url)), options_(std::move(options)), transport_(std::move(transport)) {
    init();
  }

  class assistants_view;
  class threads_view;
  class runs_view;
  class crons_view;

  /// `client.assistants`
  assistants_view assistants() noexcept { return assistants_view(*this); }
  /// `client.threads`
  threads_view threads() noexcept { return threads_view(*this); }
  /// `client.runs`
  runs_view runs() noexcept { return runs_view(*this); }
  /// `client.crons`
  crons_view crons() noexcept { return crons_view(*this); }

  /// `GET /info`
  server_info info() { return send(get_info_request{}); }
  /// `GET /ok`; throws when the server is not healthy.
  nlohmann::json ok() { return send(get_ok_request{}); }

  /// The one generic path: sends any request struct and returns its `response_type`.
  /// Throws `error` for transport failures, non-2xx answers, unparsable bodies and (for
  /// /wait and /join) failed runs.
  template <class Request> typename Request::response_type send(const Request &request) {
    return send(request, true, run_created_handler());
  }

  /// As above; with `raise_error` false a failed run (`__error__`) is returned in
  /// `run_output::error` instead of thrown; `on_run_created` is called once the run's ids are
  /// known. A /wait whose connection breaks after the run was created is rejoined (the server's
  /// Location, else the run's join) with the retry policy of idempotent calls; when it cannot be, the
  /// error names the run (error::run_id()).
  template <class Request>
  typename Request::response_type send(const Request &request, bool raise_error,
                                       const run_created_handler &on_run_created = {});

  /// Builds the `http_request` for a request struct: method, prefixed target, headers, body.
  template <class Request> http_request make_request(const Request &request) const {
    detail::check_required(request);
    http_request req;
    req.method = Request::method;
    req.target = url_.path + target(request);
    constexpr bool streams = std::is_same_v<typename Request::response_type, stream_result>;
    detail::add_header(req.headers, "Accept", streams ? "text/event-stream" : "application/json");
    if (streams) detail::add_header(req.headers, "Cache-Control", "no-store");
    detail::add_headers(req.headers, default_headers_);
    if constexpr (detail::has_headers<Request>::value) {
      http_headers extra = request.headers();
      detail::add_headers(req.headers, extra);
    }
    if constexpr (detail::has_json_body<Request>::value || detail::has_fields<Request>::value) {
      detail::add_header(req.headers, "Content-Type", "application/json");
      if constexpr (detail::has_json_body<Request>::value)
        req.body = request.json_body().dump();
      else
        req.body = detail::object_of(request).dump();
    }
    return req;
  }

  /// Sends a streaming request (`stream_run_request`, `stream_run_stateless_request`,
  /// `join_stream_request`) and calls `on_part(const stream_part&)` for each event as soon as
  /// its bytes arrive. When `on_part` returns bool, false stops the stream and closes the
  /// connection. A stream created with `stream_resumable` (and any join) that breaks is
  /// rejoined from its last event id, so each event is seen once. An `error` event is
  /// delivered, then thrown as `error` with kind run_failed; a body that stops inside an
  /// event is an invalid_response error.
  template <class Request, class OnPart>
  stream_result stream(const Request &request, OnPart &&on_part, const run_created_handler &on_run_created = {});

  /// Sends `req` with the retry policy; returns a 2xx response or throws `error`. With
  /// `on_chunk`, the body of a 2xx answer goes to it (error bodies are still collected), and
  /// nothing is retried once a chunk has been delivered.
  http_response perform(const http_request &req, bool idempotent, const chunk_callback &on_chunk,
                        const std::function<void(const http_response &head)> &on_head = {});

  const url_parts &base_url() const noexcept { return url_; }
  const client_options &options() const noexcept { return options_; }
  ClientTransport &transport() noexcept { return transport_; }

private:
  basic_client(url_parts url, client_options options)
      : url_(std::move(url)), options_(std::move(options)), transport_(url_.origin(), options_) {
    init();
  }

  void init();
  std::chrono::milliseconds backoff(int attempt, const http_response *res);
  // One attempt of a stream: true when it is over (ended cleanly, or the callback stopped it),
  // false when it broke and may be rejoined; throws otherwise.
  bool stream_attempt(const http_request &req, bool idempotent, const chunk_callback &on_chunk, sse_parser &parser,
                      detail::stream_state &st, bool resumable);
  // The request that rejoins a broken stream after its last event, once the back-off passed.
  http_request rejoin(const http_request &broken, detail::stream_state &st);
  // The answer of a broken /wait's run, joined again (its Location, else the run's join); throws
  // the error naming the run when that is not possible.
  http_response rejoin_wait(const http_request &broken, const error &why, const std::string &run_id,
                            const std::string &thread_id, const std::string &location);
  // When a call started now must end (call_timeout), if ever.
  std::optional<std::chrono::steady_clock::time_point> deadline() const {
    if (!options_.call_timeout) return std::nullopt;
    const auto ten_years = std::chrono::milliseconds(std::chrono::hours(24 * 365 * 10)); // no clock overflow
    return std::chrono::steady_clock::now() + std::min(*options_.call_timeout, ten_years);
  }
  // Waits `d` before another attempt of `req`; throws the timeout error when that would end
  // after the call's deadline.
  void pause(const http_request &req, std::chrono::milliseconds d);
  // The error of a call whose deadline (call_timeout) passed.
  error past_deadline(const std::string &endpoint, int status) const {
    return error(error_kind::timeout, endpoint, status,
                 "no complete response within client_options::call_timeout (" +
                     std::to_string(options_.call_timeout.value_or(std::chrono::milliseconds(0)).count()) + " ms)");
  }
  template <class T> T parse(const std::string &endpoint, const http_response &res) const;

  url_parts url_;
  client_options options_;
  ClientTransport transport_;
  http_headers default_headers_;
};

// ---- sub-client views -------------------------------------------------------------------

/// `client.assistants()` — Python `client.assistants`.
template <class T> class basic_client<T>::assistants_view {
public:
  explicit assistants_view(basic_client &c) noexcept : c_(c) {}
  /// `POST /assistants/search`
  std::vector<assistant> search(const search_assistants_request &r = {}) { return c_.send(r); }

private:
  basic_client &c_;
};

/// `client.threads()` — Python `client.threads`.
template <class T> class basic_client<T>::threads_view {
public:
  explicit threads_view(basic_client &c) noexcept : c_(c) {}
  /// `POST /threads`
  thread create(const create_thread_request &r = {}) { return c_.send(r); }
  /// `GET /threads/{thread_id}`
  thread get(std::string thread_id) { return c_.send(get_thread_request{std::move(thread_id)}); }
  /// `GET /threads/{thread_id}/state[/{checkpoint_id}]`: what an interrupted run waits for.
  thread_state get_state(std::string thread_id, std::optional<std::string> checkpoint_id = std::nullopt) {
    return c_.send(get_thread_state_request{std::move(thread_id), std::move(checkpoint_id), std::nullopt});
  }
  thread_state get_state(const get_thread_state_request &r) { return c_.send(r); }
  /// `POST /threads/{thread_id}/state`
  thread_update_result update_state(const update_thread_state_request &r) { return c_.send(r); }
  /// `POST /threads/{thread_id}/history`: newest first.
  std::vector<thread_state> get_history(const get_thread_history_request &r) { return c_.send(r); }
  std::vector<thread_state> get_history(std::string thread_id, int limit = 10) {
    get_thread_history_request r;
    r.thread_id = std::move(thread_id);
    r.limit = limit;
    return c_.send(r);
  }
  /// `POST /threads/search`
  std::vector<thread> search(const search_threads_request &r = {}) { return c_.send(r); }
  /// `DELETE /threads/{thread_id}` (Python `threads.delete`)
  void remove(std::string thread_id) { c_.send(delete_thread_request{std::move(thread_id)}); }

private:
  basic_client &c_;
};

/// `client.runs()` — Python `client.runs`. The calls that create a run take an optional
/// `on_run_created(run_id, thread_id)`, called as soon as the ids are known.
template <class T> class basic_client<T>::runs_view {
public:
  explicit runs_view(basic_client &c) noexcept : c_(c) {}
  /// `POST /threads/{thread_id}/runs`
  run create(const create_run_request &r, const run_created_handler &on_run_created = {}) {
    return c_.send(r, true, on_run_created);
  }
  /// `POST /runs`
  run create(const create_run_stateless_request &r, const run_created_handler &on_run_created = {}) {
    return c_.send(r, true, on_run_created);
  }
  /// `POST /runs/batch`: stateless runs, each with its own webhook.
  std::vector<run> create_batch(const create_run_batch_request &r) { return c_.send(r); }
  /// `POST /threads/{thread_id}/runs/wait`; a failed run throws `error` (run_failed) unless
  /// `raise_error` is false; a broken connection is rejoined (see basic_client::send).
  run_output wait(const wait_run_request &r, bool raise_error = true, const run_created_handler &on_run_created = {}) {
    return c_.send(r, raise_error, on_run_created);
  }
  /// `POST /runs/wait`
  run_output wait(const wait_run_stateless_request &r, bool raise_error = true,
                  const run_created_handler &on_run_created = {}) {
    return c_.send(r, raise_error, on_run_created);
  }
  /// `GET /threads/{thread_id}/runs/{run_id}`
  run get(std::string thread_id, std::string run_id) {
    return c_.send(get_run_request{std::move(thread_id), std::move(run_id)});
  }
  /// `GET /threads/{thread_id}/runs`
  std::vector<run> list(const list_runs_request &r) { return c_.send(r); }
  std::vector<run> list(std::string thread_id) {
    list_runs_request r;
    r.thread_id = std::move(thread_id);
    return c_.send(r);
  }
  /// `GET /threads/{thread_id}/runs/{run_id}/join`
  run_output join(std::string thread_id, std::string run_id, bool raise_error = true) {
    return join(join_run_request{std::move(thread_id), std::move(run_id), std::nullopt}, raise_error);
  }
  run_output join(const join_run_request &r, bool raise_error = true) { return c_.send(r, raise_error); }
  /// `POST /threads/{thread_id}/runs/stream`: `on_part(const stream_part&)` for each event
  /// as it arrives (return false to stop).
  template <class OnPart>
  stream_result stream(const stream_run_request &r, OnPart &&on_part, const run_created_handler &on_run_created = {}) {
    return c_.stream(r, std::forward<OnPart>(on_part), on_run_created);
  }
  /// `POST /runs/stream`
  template <class OnPart>
  stream_result stream(const stream_run_stateless_request &r, OnPart &&on_part,
                       const run_created_handler &on_run_created = {}) {
    return c_.stream(r, std::forward<OnPart>(on_part), on_run_created);
  }
  /// `GET /threads/{thread_id}/runs/{run_id}/stream`
  template <class OnPart> stream_result join_stream(std::string thread_id, std::string run_id, OnPart &&on_part) {
    join_stream_request r;
    r.thread_id = std::move(thread_id);
    r.run_id = std::move(run_id);
    return c_.stream(r, std::forward<OnPart>(on_part));
  }
  template <class OnPart> stream_result join_stream(const join_stream_request &r, OnPart &&on_part) {
    return c_.stream(r, std::forward<OnPart>(on_part));
  }
  /// `POST /threads/{thread_id}/runs/{run_id}/cancel?wait=…&action=…`
  void cancel(std::string thread_id, std::string run_id, bool wait = false,
              cancel_action action = cancel_action::interrupt) {
    c_.send(cancel_run_request{std::move(thread_id), std::move(run_id), wait, action});
  }
  /// `POST /runs/cancel`: the listed runs of a thread, or every run with a status. Where the
  /// server has no such route (the JS server answers 404 "404 Not Found"), listed runs are
  /// cancelled one by one.
  void cancel_many(const cancel_runs_request &r) {
    try {
      c_.send(r);
    } catch (const error &e) {
      if (e.kind() != error_kind::not_found || detail::trim_ows(e.body()) != "404 Not Found" || !r.thread_id ||
          r.run_ids.empty())
        throw;
      for (const auto &run_id : r.run_ids)
        cancel(*r.thread_id, run_id, false, r.action.value_or(cancel_action::interrupt));
    }
  }
  /// `DELETE /threads/{thread_id}/runs/{run_id}` (Python `runs.delete`)
  void remove(std::string thread_id, std::string run_id) {
    c_.send(delete_run_request{std::move(thread_id), std::move(run_id)});
  }

private:
  basic_client &c_;
};

/// `client.crons()` — Python `client.crons`.
template <class T> class basic_client<T>::crons_view {
public:
  explicit crons_view(basic_client &c) noexcept : c_(c) {}
  /// `POST /runs/crons`
  cron create(const create_cron_request &r) { return c_.send(r); }
  /// `POST /threads/{thread_id}/runs/crons`
  cron create_for_thread(const create_thread_cron_request &r) { return c_.send(r); }
  /// `GET /runs/crons/{cron_id}`
  cron get(std::string cron_id) { return c_.send(get_cron_request{std::move(cron_id)}); }
  /// `PATCH /runs/crons/{cron_id}`: pause it (`enabled = false`), re-point its webhook, ...
  cron update(const update_cron_request &r) { return c_.send(r); }
  /// `POST /runs/crons/search`
  std::vector<cron> search(const search_crons_request &r = {}) { return c_.send(r); }
  /// `POST /runs/crons/count`
  std::int64_t count(const count_crons_request &r = {}) { return c_.send(r); }
  /// `DELETE /runs/crons/{cron_id}` (Python `crons.delete`)
  void remove(std::string cron_id) { c_.send(delete_cron_request{std::move(cron_id)}); }

private:
  basic_client &c_;
};

// ---- basic_client definitions -----------------------------------------------------------

template <class T>
template <class Request>
typename Request::response_type basic_client<T>::send(const Request &request, bool raise_error,
                                                      const run_created_handler &on_run_created) {
  using response_type = typename Request::response_type;
  static_assert(!std::is_same_v<response_type, stream_result>,
                "this request answers with an event stream: send it with stream(request, on_part)");
  http_request req = make_request(request);
  req.deadline = deadline();
  constexpr bool waits = std::is_same_v<response_type, run_output> && !Request::idempotent; // a /wait
  std::string run_id, thread_id, location; // from the 2xx head: only a /wait or a hook needs them
  std::function<void(const http_response &)> on_head;
  if (waits || on_run_created)
    on_head = [&](const http_response &head) {
      detail::ids_from_location(head.header("Content-Location"), thread_id, run_id);
      location = std::string(head.header("Location"));
      if (on_run_created && !run_id.empty()) on_run_created(run_id, thread_id);
    };
  http_response res;
  try {
    res = perform(req, Request::idempotent, chunk_callback(), on_head);
  } catch (const error &e) {
    if (!waits || run_id.empty()) throw;
    res = rejoin_wait(req, e, run_id, thread_id, location);
  }
  const std::string endpoint = req.method + ' ' + req.target;
  if constexpr (std::is_void_v<response_type>) {
    return;
  } else {
    response_type out = parse<response_type>(endpoint, res);
    if constexpr (std::is_same_v<response_type, run_output>) {
      if (out.run_id.empty()) out.run_id = run_id, out.thread_id = thread_id;
      if (raise_error && out.error)
        throw error(error_kind::run_failed, endpoint, res.status, out.error->message, res.body, out.error->error);
    }
    return out;
  }
}

template <class T>
http_response basic_client<T>::rejoin_wait(const http_request &broken, const error &why, const std::string &run_id,
                                           const std::string &thread_id, const std::string &location) {
  const bool connection = why.kind() == error_kind::connection || why.kind() == error_kind::timeout;
  std::string path = detail::followable_path(location, url_);
  if (path.empty() && !thread_id.empty()) path = target(join_run_request{thread_id, run_id, std::nullopt});
  if (!connection || path.empty()) throw why.for_run(run_id, thread_id);
  pause(broken, backoff(0, nullptr));
  http_request req = make_request(detail::location_request<run_output>{path, std::nullopt});
  req.deadline = broken.deadline; // the whole call's
  try {
    return perform(req, true, chunk_callback()); // a join is idempotent: the retry policy applies
  } catch (const error &e) {
    throw e.for_run(run_id, thread_id);
  }
}

template <class T> void basic_client<T>::init() {
  std::string key = options_.api_key ? detail::trim_key(*options_.api_key) : detail::api_key_from_env();
  bool user_agent = false;
  for (const auto &h : options_.headers) {
    if (detail::iequals(h.first, "x-api-key"))
      throw detail::bad_argument("client", "client_options::headers: set the API key with "
                                           "client_options::api_key, not an x-api-key header");
    user_agent = user_agent || detail::iequals(h.first, "User-Agent");
  }
  if (!user_agent) detail::add_header(default_headers_, "User-Agent", LANGGRAPH_WEBHOOKS_USER_AGENT);
  if (!key.empty()) detail::add_header(default_headers_, "x-api-key", key);
  detail::add_headers(default_headers_, options_.headers);
}

template <class T> std::chrono::milliseconds basic_client<T>::backoff(int attempt, const http_response *res) {
  const retry_policy &p = options_.retry;
  if (res) { // Retry-After: <seconds>, saturating, within the policy's cap (an HTTP date: ignored)
    const std::string_view ra = detail::trim_ows(res->header("Retry-After"));
    if (!ra.empty() && std::all_of(ra.begin(), ra.end(), [](char c) { return c >= '0' && c <= '9'; })) {
      std::int64_t secs = 0;
      for (char c : ra) secs = std::min<std::int64_t>(secs * 10 + (c - '0'), 86400);
      return std::min<std::chrono::milliseconds>(std::chrono::seconds(secs), p.max_backoff);
    }
  }
  double d = double(p.initial_backoff.count());
  for (int i = 0; i < attempt && d < double(p.max_backoff.count()); ++i) d *= 2;
  d = std::min(d, double(p.max_backoff.count()));
  thread_local std::minstd_rand rng{std::random_device{}()};
  const double u = std::uniform_real_distribution<double>(0.0, 1.0)(rng);
  return std::chrono::milliseconds(static_cast<std::int64_t>(d * (1.0 - p.jitter * u)));
}

template <class T> void basic_client<T>::pause(const http_request &req, std::chrono::milliseconds d) {
  if (req.deadline && std::chrono::steady_clock::now() + d >= *req.deadline)
    throw past_deadline(req.method + ' ' + req.target, 0);
  options_.sleep(d);
}

template <class T>
template <class Request, class OnPart>
stream_result basic_client<T>::stream(const Request &request, OnPart &&on_part,
                                      const run_created_handler &on_run_created) {
  static_assert(std::is_same_v<typename Request::response_type, stream_result>,
                "stream() takes stream_run_request, stream_run_stateless_request or join_stream_request");
  http_request req = make_request(request);
  req.deadline = deadline();
  detail::stream_state st;
  st.on_run_created = &on_run_created;
  if constexpr (std::is_same_v<Request, join_stream_request>) {
    st.result.thread_id = request.thread_id;
    st.result.run_id = request.run_id;
  }
  sse_parser parser(options_.max_event_bytes);
  auto on_event = [&](const sse_event_view &ev) -> bool {
    const std::optional<stream_part> part = st.part_of(ev, options_.max_json_depth);
    if (!part) return true;
    bool go_on = true;
    if constexpr (std::is_same_v<std::invoke_result_t<OnPart &, const stream_part &>, bool>)
      go_on = on_part(*part);
    else
      on_part(*part);
    st.result.stopped = !go_on;
    return go_on;
  };
  const chunk_callback on_chunk = [&](const http_response &head, std::string_view chunk) {
    if (!st.head_seen) st.on_head(head);
    return parser.feed(chunk, on_event);
  };
  bool idempotent = Request::idempotent;
  while (!stream_attempt(req, idempotent, on_chunk, parser, st, detail::resumable(request))) {
    req = rejoin(req, st);
    idempotent = true;
    parser = sse_parser(options_.max_event_bytes);
  }
  if (st.failure && !st.result.stopped)
    throw error(error_kind::run_failed, req.method + ' ' + req.target, 200, st.failure->message, {}, st.failure->error);
  return st.result;
}

template <class T>
bool basic_client<T>::stream_attempt(const http_request &req, bool idempotent, const chunk_callback &on_chunk,
                                     sse_parser &parser, detail::stream_state &st, bool resumable) {
  const std::string endpoint = req.method + ' ' + req.target;
  // The run id may only become known during this attempt (Content-Location, metadata).
  const auto may_rejoin = [&] {
    return resumable && !st.result.run_id.empty() && st.result.reconnects < options_.stream_reconnects;
  };
  try {
    perform(req, idempotent, on_chunk);
  } catch (const error &e) {
    if ((e.kind() == error_kind::connection || e.kind() == error_kind::timeout) && may_rejoin()) return false;
    if (!e.endpoint().empty()) throw;
    throw error(e.kind(), endpoint, 200, e.message(), e.body(), e.error_type()); // thrown by a callback
  }
  if (st.result.stopped || parser.finish()) return true;
  if (may_rejoin()) return false;
  throw error(error_kind::invalid_response, endpoint, 200, "the event stream ended inside an event");
}

template <class T> http_request basic_client<T>::rejoin(const http_request &broken, detail::stream_state &st) {
  pause(broken, backoff(st.result.reconnects++, nullptr));
  const std::string last = st.result.last_event_id.empty() ? "-1" : st.result.last_event_id;
  st.skip_id = st.result.last_event_id;
  st.head_seen = false;
  http_request req;
  if (st.location.empty() && !st.result.thread_id.empty()) {
    join_stream_request again;
    again.thread_id = st.result.thread_id;
    again.run_id = st.result.run_id;
    again.last_event_id = last;
    req = make_request(again);
  } else { // the server's Location, or the stateless join path of the JS server
    std::string path = detail::followable_path(st.location, url_);
    if (path.empty()) path = "/runs/" + percent_encode(st.result.run_id) + "/stream";
    req = make_request(detail::location_request<stream_result>{std::move(path), last});
  }
  req.deadline = broken.deadline; // the whole call's
  return req;
}

template <class T>
http_response basic_client<T>::perform(const http_request &req, bool idempotent, const chunk_callback &on_chunk,
                                       const std::function<void(const http_response &head)> &on_head) {
  const std::string endpoint = req.method + ' ' + req.target;
  const auto late = [&] { return req.deadline && std::chrono::steady_clock::now() >= *req.deadline; };
  bool delivered = false;            // a chunk reached on_chunk: repeating would repeat it
  bool head_seen = false;            // a 2xx head went to on_head
  std::exception_ptr callback_error; // thrown by on_chunk; rethrown once the transport returns
  for (int attempt = 0;; ++attempt) {
    if (late()) throw past_deadline(endpoint, 0);
    // Every body goes through here, whatever the transport: a 2xx one to on_chunk or into
    // `body` (at most max_response_bytes), an error's first 64 KiB (its message) into `body`.
    std::string body;
    bool too_large = false, too_late = false;
    const chunk_callback sink = [&](const http_response &head, std::string_view chunk) {
      if (head.status < 200 || head.status > 299) {
        body.append(
            chunk.substr(0, detail::max_error_body_bytes - std::min(detail::max_error_body_bytes, body.size())));
        return body.size() < detail::max_error_body_bytes;
      }
      if (late()) {
        too_late = true;
        return false;
      }
      if (!head_seen && on_head) {
        head_seen = true;
        try {
          on_head(head);
        } catch (...) {
          callback_error = std::current_exception();
          return false;
        }
      }
      if (on_chunk) {
        delivered = true;
        try {
          return on_chunk(head, chunk);
        } catch (...) {
          callback_error = std::current_exception();
          return false;
        }
      }
      if (chunk.size() > options_.max_response_bytes - body.size()) {
        too_large = true;
        return false;
      }
      body.append(chunk);
      return true;
    };
    http_response res = transport_.send(req, sink);
    if (!head_seen && on_head && !res.failure && res.status >= 200 && res.status <= 299) { // no body came
      head_seen = true;
      on_head(res);
    }
    if (callback_error) std::rethrow_exception(callback_error);
    if (too_late) throw past_deadline(endpoint, res.status);
    if (too_large)
      throw error(error_kind::invalid_response, endpoint, res.status,
                  "response larger than " + std::to_string(options_.max_response_bytes) +
                      " bytes (client_options::max_response_bytes)");
    if (res.body.empty()) res.body = std::move(body);
    const bool may_retry = attempt < options_.retry.max_retries && !delivered;
    if (res.failure) {
      const transport_failure &f = *res.failure;
      if (may_retry && (f.kind == error_kind::connection || f.kind == error_kind::timeout) && !late() &&
          (!f.request_sent || idempotent)) {
        pause(req, backoff(attempt, nullptr));
        continue;
      }
      throw error(f.kind, endpoint, res.status, f.message, res.body);
    }
    if (res.status >= 200 && res.status <= 299) return res;
    if (may_retry && (res.status == 429 || (res.status >= 500 && idempotent))) {
      pause(req, backoff(attempt, &res));
      continue;
    }
    throw error(error_kind_for_status(res.status), endpoint, res.status,
                detail::server_message(res.body, options_.max_json_depth), res.body);
  }
}

template <class T>
template <class R>
R basic_client<T>::parse(const std::string &endpoint, const http_response &res) const {
  try {
    return detail::response_reader<R>::read(res, options_.max_json_depth);
  } catch (const std::exception &e) { // nlohmann parse/type errors, require_object
    throw error(error_kind::invalid_response, endpoint, res.status, std::string("unexpected response: ") + e.what(),
                res.body);
  }
}

// ==== receiver ====
//
// An embedded HTTP endpoint that LangGraph servers POST finished runs to. A transport judges
// each request's head with `check_head()` (path, method, secret, encoding, size) before any of
// its body is read, then hands the whole request to `handle()`: JSON, payload shape, duplicate
// and backlog checks, then the program's callback on the request's own thread (so a callback
// that throws answers 500 and the cloud server retries). `wait_for(run_id, timeout)` returns a
// run's event even when it arrived before the call.

// ---- payloads ---------------------------------------------------------------------------

namespace detail {
// Validates one JSON text (RFC 8259: grammar, escapes, surrogate pairs, UTF-8) without building
// a DOM, iteratively (no recursion), refusing nesting deeper than `max_depth`, and reports each
// member of a top-level object as (raw key, value begin, value end). It is the receiver's hot
// path: a payload's `values` and `kwargs` are only scanned here and parsed with nlohmann_json
// when asked for.
class json_scanner {
public:
  explicit json_scanner(std::string_view text, std::size_t max_depth = std::size_t(-1))
      : begin_(text.data()), p_(begin_), end_(begin_ + text.size()), max_depth_(max_depth) {}

  /// True when the text is valid JSON; `on_member(std::string_view key, size_t b, size_t e)` for
  /// each member of a top-level object (the key still escaped; [b, e) the value's bytes).
  template <class OnMember> bool scan(OnMember &&on_member) {
    std::vector<char> stack; // open '{' and '['
    std::string_view key, inner_key;
    std::size_t value_begin = 0;
    skip_ws();
    object_ = p_ < end_ && *p_ == '{';
    for (;;) {
      // A value starts at p_.
      if (stack.size() == 1 && stack.back() == '{') value_begin = offset();
      if (p_ == end_) return fail("unexpected end of input");
      const char c = *p_;
      if (c == '{' || c == '[') {
        if (stack.size() == max_depth_) { // an empty container is a level too
          too_deep_ = true;
          return fail("nested more than " + std::to_string(max_depth_) + " levels deep");
        }
        ++p_;
        skip_ws();
        if (p_ < end_ && *p_ == (c == '{' ? '}' : ']')) {
          ++p_; // empty: the value is complete
        } else {
          stack.push_back(c);
          if (c == '{' && !member_key(stack.size() == 1 ? key : inner_key)) return false;
          skip_ws();
          continue;
        }
      } else if (c == '"') {
        if (!string()) return false;
      } else if (c == '-' || (c >= '0' && c <= '9')) {
        if (!number()) return false;
      } else if (c == 't' || c == 'f' || c == 'n') {
        if (!literal(c == 't' ? "true" : c == 'f' ? "false" : "null")) return false;
      } else {
        return fail("unexpected character");
      }
      // The value is complete: report it, close containers, go on to the next element.
      for (;;) {
        if (stack.empty()) {
          skip_ws();
          return p_ == end_ || fail("unexpected text after the JSON value");
        }
        if (stack.size() == 1 && stack.back() == '{') on_member(key, value_begin, offset());
        skip_ws();
        if (p_ == end_) return fail("unexpected end of input");
        if (*p_ == ',') {
          ++p_;
          skip_ws();
          if (stack.back() == '{' && !member_key(stack.size() == 1 ? key : inner_key)) return false;
          skip_ws();
          break;
        }
        if (*p_ != (stack.back() == '{' ? '}' : ']')) return fail("expected ',' or a closing bracket");
        ++p_;
        stack.pop_back(); // the closed container is a complete value of its parent
      }
    }
  }

  /// Whether the text's value is an object (valid after scan()).
  bool object() const noexcept { return object_; }
  /// Why the text is not accepted, with the byte offset.
  const std::string &error() const noexcept { return error_; }
  /// Whether it was refused for nesting deeper than `max_depth` (valid JSON so far).
  bool too_deep() const noexcept { return too_deep_; }

private:
  std::size_t offset() const noexcept { return std::size_t(p_ - begin_); }
  bool fail(const std::string &what) {
    error_ = what + " at byte " + std::to_string(offset());
    return false;
  }
  void skip_ws() noexcept {
    while (p_ < end_ && (*p_ == ' ' || *p_ == '\n' || *p_ == '\r' || *p_ == '\t')) ++p_;
  }
  // `"key"` `:` — p_ at the key's quote.
  bool member_key(std::string_view &key) {
    if (p_ == end_ || *p_ != '"') return fail("expected a member name");
    const char *k = p_ + 1;
    if (!string()) return false;
    key = std::string_view(k, std::size_t(p_ - 1 - k));
    skip_ws();
    if (p_ == end_ || *p_ != ':') return fail("expected ':'");
    ++p_;
    return true;
  }
  bool literal(std::string_view word) {
    const std::size_t n = word.size();
    if (std::size_t(end_ - p_) < n || std::string_view(p_, n) != word) return fail("invalid literal");
    p_ += n;
    return true;
  }
  bool digits() {
    if (p_ == end_ || *p_ < '0' || *p_ > '9') return fail("invalid number");
    while (p_ < end_ && *p_ >= '0' && *p_ <= '9') ++p_;
    return true;
  }
  bool number() {
    const char *const start = p_;
    if (*p_ == '-') ++p_;
    if (p_ < end_ && *p_ == '0') {
      ++p_;
    } else if (!digits()) {
      return false;
    }
    bool floating = false;
    if (p_ < end_ && *p_ == '.') {
      ++p_;
      floating = true;
      if (!digits()) return false;
    }
    if (p_ < end_ && (*p_ == 'e' || *p_ == 'E')) {
      ++p_;
      floating = true;
      if (p_ < end_ && (*p_ == '+' || *p_ == '-')) ++p_;
      if (!digits()) return false;
    }
    // Like nlohmann_json (which parses values() later), refuse numbers beyond double's range.
    if (floating || p_ - start > 19) {
      std::string token(start, p_);
      const char point = *std::localeconv()->decimal_point;
      if (point != '.') std::replace(token.begin(), token.end(), '.', point);
      if (!std::isfinite(std::strtod(token.c_str(), nullptr))) return fail("number out of range");
    }
    return true;
  }
  bool hex4(unsigned &v) {
    if (end_ - p_ < 4) return fail("invalid \\u escape");
    v = 0;
    for (int i = 0; i < 4; ++i) {
      const int h = hex_value(p_[i]);
      if (h < 0) return fail("invalid \\u escape");
      v = v * 16 + unsigned(h);
    }
    p_ += 4;
    return true;
  }
  // One UTF-8 sequence starting at p_ (a byte >= 0x80), RFC 3629: no overlongs, no surrogates.
  bool utf8() {
    const auto b = [&](std::ptrdiff_t i) { return static_cast<unsigned char>(p_[i]); };
    const unsigned c = b(0);
    std::ptrdiff_t n;
    unsigned lo = 0x80, hi = 0xBF;
    if (c >= 0xC2 && c <= 0xDF)
      n = 1;
    else if (c == 0xE0)
      n = 2, lo = 0xA0;
    else if (c == 0xED)
      n = 2, hi = 0x9F;
    else if (c >= 0xE1 && c <= 0xEF)
      n = 2;
    else if (c == 0xF0)
      n = 3, lo = 0x90;
    else if (c == 0xF4)
      n = 3, hi = 0x8F;
    else if (c >= 0xF1 && c <= 0xF3)
      n = 3;
    else
      return fail("invalid UTF-8");
    if (end_ - p_ <= n) return fail("invalid UTF-8");
    if (b(1) < lo || b(1) > hi) return fail("invalid UTF-8");
    for (std::ptrdiff_t i = 2; i <= n; ++i)
      if (b(i) < 0x80 || b(i) > 0xBF) return fail("invalid UTF-8");
    p_ += n + 1;
    return true;
  }
  // p_ at the opening quote; leaves p_ after the closing quote.
  bool string() {
    ++p_;
    for (;;) {
#if defined(__SSE2__) && (defined(__GNUC__) || defined(__clang__))
      // Skip 16 plain characters at a time: not '"', not '\\', not a control or non-ASCII byte.
      const __m128i quote = _mm_set1_epi8('"'), backslash = _mm_set1_epi8('\\'), space = _mm_set1_epi8(0x20);
      while (end_ - p_ >= 16) {
        const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i *>(p_));
        const __m128i special = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, quote), _mm_cmpeq_epi8(v, backslash)),
                                             _mm_cmplt_epi8(v, space)); // signed: also bytes >= 0x80
        const unsigned m = unsigned(_mm_movemask_epi8(special));
        if (m != 0) {
          p_ += __builtin_ctz(m);
          break;
        }
        p_ += 16;
      }
#endif
      if (p_ == end_) return fail("unterminated string");
      const auto c = static_cast<unsigned char>(*p_);
      if (c == '"') {
        ++p_;
        return true;
      }
      if (c == '\\') {
        if (++p_ == end_) return fail("unterminated string");
        const char e = *p_++;
        if (e == 'u') {
          unsigned u = 0;
          if (!hex4(u)) return false;
          if (u >= 0xDC00 && u <= 0xDFFF) return fail("lone low surrogate");
          if (u >= 0xD800 && u <= 0xDBFF) {
            unsigned low = 0;
            if (end_ - p_ < 2 || p_[0] != '\\' || p_[1] != 'u') return fail("lone high surrogate");
            p_ += 2;
            if (!hex4(low)) return false;
            if (low < 0xDC00 || low > 0xDFFF) return fail("invalid surrogate pair");
          }
        } else if (e != '"' && e != '\\' && e != '/' && e != 'b' && e != 'f' && e != 'n' && e != 'r' && e != 't') {
          return fail("invalid escape");
        }
      } else if (c < 0x20) {
        return fail("control character in string");
      } else if (c >= 0x80) {
        if (!utf8()) return false;
      } else {
        ++p_;
      }
    }
  }

  const char *begin_;
  const char *p_;
  const char *end_;
  std::size_t max_depth_;
  std::string error_;
  bool object_ = false;
  bool too_deep_ = false;
};

// The text of a JSON string token (quotes included), unescaped to UTF-8. The token is valid.
inline std::string unescape_json_string(std::string_view token) {
  std::string_view s = token.substr(1, token.size() - 2);
  if (s.find('\\') == std::string_view::npos) return std::string(s);
  return json_parse(token).get<std::string>();
}

// A member name as json_scanner reports it (as written, between its quotes), unescaped when it
// has escapes ("run_\u0069d" is "run_id" for every JSON reader); `scratch` holds that text.
inline std::string_view member_name(std::string_view key, std::string &scratch) {
  if (key.find('\\') == std::string_view::npos) return key;
  scratch = unescape_json_string(std::string_view(key.data() - 1, key.size() + 2));
  return scratch;
}

// A webhook's `error` (valid JSON text) without building a DOM of it, however large: a string,
// or the string members `error` and `message` of an object, else at most 2,000 bytes of text.
inline run_error run_error_of_text(std::string_view v) {
  run_error e;
  if (v.front() == '"') {
    e.message = unescape_json_string(v);
  } else if (v.front() == '{') {
    std::string scratch;
    json_scanner(v).scan([&](std::string_view key, std::size_t b, std::size_t end) {
      const std::string_view value = v.substr(b, end - b);
      if (value.front() != '"') return;
      key = member_name(key, scratch);
      if (key == "error") e.error = unescape_json_string(value);
      if (key == "message") e.message = unescape_json_string(value);
    });
  }
  if (e.message.empty() && v.front() != '"') e.message = shorten(std::string(v.substr(0, 2004))); // not a copy of all
  return e;
}
} // namespace detail

/// The longest `run_id`, `thread_id`, `assistant_id` or `status` a webhook payload may carry (422
/// beyond): real ones are UUIDs and short words, and the receiver copies the first two into its
/// bookkeeping, so an unbounded id would hold several times its size outside `recent_bytes`.
inline constexpr std::size_t max_webhook_id_bytes = 256;

namespace detail {
// The parsed `values`, `kwargs` and `metadata` of an event: each parsed on first use, once,
// and shared by the event's copies (they hold the same body).
struct lazy_event_fields {
  std::once_flag values_once, kwargs_once, metadata_once;
  std::optional<nlohmann::json> values;
  nlohmann::json kwargs, metadata;
};
} // namespace detail

/// One webhook call: a finished run, as LangGraph servers POST it. Small fields are typed;
/// `values`, `kwargs` and `metadata` stay JSON text until first asked for (they can be large),
/// and `body` keeps the payload exactly as received.
class webhook_event {
public:
  std::string run_id;
  std::string thread_id;
  std::string assistant_id;
  /// The outcome: success, error, timeout, interrupted, rollback (Python server), or
  /// `unknown` for a value not listed here — `status_text` always has the string.
  run_status status = run_status::unknown;
  std::string status_text;
  std::optional<timestamp> created_at;
  std::optional<timestamp> updated_at;
  std::optional<timestamp> run_started_at;
  std::optional<timestamp> run_ended_at;
  std::optional<timestamp> webhook_sent_at;
  /// Set when the run failed: the JS server and old Python servers send a message string,
  /// newer Python servers `{"error": class, "message": text}`; both end up here.
  std::optional<run_error> error;
  /// true when the receiver made this event from the server's record of the run (see
  /// basic_webhook_server::await_outcome), not from a delivery.
  bool from_server = false;
  /// Query parameters of the call (route many runs through one receiver with your own), the
  /// secret's left out.
  query_params query;
  /// Header fields of the call (`webhooks.headers` of a deployment's langgraph.json sends its
  /// own), the secret's and Authorization left out. Look one up with header().
  http_headers headers;
  /// The payload as received.
  std::string body;

  /// `values`: the run's final state; nullopt when absent or null (stateless runs on the JS
  /// server, interrupted and rolled-back runs). Parsed on the first call (from any copy of the
  /// event), then kept with the event; safe to call from several threads.
  const std::optional<nlohmann::json> &values() const {
    std::call_once(lazy_->values_once, [&] {
      auto j = parse(values_);
      if (j && !j->is_null()) lazy_->values = std::move(j);
    });
    return lazy_->values;
  }
  /// `kwargs`: the run's inputs and config (may hold copied request headers: do not log it
  /// raw). Null when absent. Parsed once, like values().
  const nlohmann::json &kwargs() const {
    std::call_once(lazy_->kwargs_once, [&] { lazy_->kwargs = parse(kwargs_).value_or(nlohmann::json()); });
    return lazy_->kwargs;
  }
  /// `metadata` (null when absent). Parsed once, like values().
  const nlohmann::json &metadata() const {
    std::call_once(lazy_->metadata_once, [&] { lazy_->metadata = parse(metadata_).value_or(nlohmann::json()); });
    return lazy_->metadata;
  }
  /// The whole payload as JSON (parsed on each call; its nesting was checked on arrival).
  nlohmann::json json() const { return detail::json_parse(body); }
  /// Value of the first header field called `name` (any case), or "".
  std::string_view header(std::string_view name) const {
    const std::string *v = detail::find_header(headers, name);
    return v ? std::string_view(*v) : std::string_view();
  }
  /// Value of the first query parameter `name`, or "".
  std::string_view query_value(std::string_view name) const {
    for (const auto &q : query)
      if (q.first == name) return q.second;
    return {};
  }

  /// Reads a payload; throws `payload_error` saying why it is not JSON (`not_json()` true) or
  /// not a run payload (nested more than `max_json_depth` levels deep, wrong field types, no
  /// run_id, an id or status longer than `max_webhook_id_bytes`, a member it reads named twice).
  static webhook_event from_body(std::string body, query_params query = {},
                                 std::size_t max_json_depth = default_max_json_depth);

private:
  struct text_span {
    std::size_t begin = 0, size = 0;
    bool present = false;
  };
  std::string_view span(const text_span &s) const {
    return s.present ? std::string_view(body).substr(s.begin, s.size) : std::string_view();
  }
  std::optional<nlohmann::json> parse(const text_span &s) const {
    if (!s.present) return std::nullopt;
    return detail::json_parse(span(s));
  }
  text_span values_, kwargs_, metadata_;
  std::shared_ptr<detail::lazy_event_fields> lazy_ = std::make_shared<detail::lazy_event_fields>();
};

/// Why a body was refused by `webhook_event::from_body`.
class payload_error : public std::invalid_argument {
public:
  payload_error(bool not_json, const std::string &what) : std::invalid_argument(what), not_json_(not_json) {}
  /// True when the body is not JSON at all (400); false when it is JSON but not a run (422).
  bool not_json() const noexcept { return not_json_; }

private:
  bool not_json_;
};

inline webhook_event webhook_event::from_body(std::string body, query_params query, std::size_t max_json_depth) {
  webhook_event ev;
  ev.body = std::move(body);
  ev.query = std::move(query);
  const std::string_view text(ev.body);
  // The members read, by their names once unescaped ("run_\u0069d" is "run_id", as for any
  // JSON reader): each may appear once, so that this reading and json()'s cannot differ.
  static constexpr std::array<std::string_view, 14> names{
      "run_id",       "thread_id",       "assistant_id", "status", "created_at", "updated_at", "run_started_at",
      "run_ended_at", "webhook_sent_at", "values",       "kwargs", "metadata",   "error",      ""};
  enum class member : std::size_t {
    run_id,
    thread_id,
    assistant_id,
    status,
    created_at,
    updated_at,
    run_started_at,
    run_ended_at,
    webhook_sent_at,
    values,
    kwargs,
    metadata,
    error,
    other
  };
  std::array<bool, names.size()> seen{};
  std::string problem; // the first reason the payload is refused
  auto refuse = [&](std::string why) {
    if (problem.empty()) problem = std::move(why);
  };
  auto as_string = [&](std::string_view v, member m, std::string &out) {
    if (v.front() == '"') {
      // an escape (at most 6 bytes) stands for at least 1 byte: a longer token is too long unread
      const bool bounded = m <= member::status;
      if (!bounded || v.size() - 2 <= 6 * max_webhook_id_bytes) out = detail::unescape_json_string(v);
      if (bounded && (v.size() - 2 > 6 * max_webhook_id_bytes || out.size() > max_webhook_id_bytes))
        refuse("\"" + std::string(names[std::size_t(m)]) + "\" is longer than " + std::to_string(max_webhook_id_bytes) +
               " bytes");
    } else if (v != "null") {
      refuse("\"" + std::string(names[std::size_t(m)]) + "\" is not a string");
    }
  };
  auto as_time = [&](std::string_view v, member m, std::optional<timestamp> &out) {
    std::string s;
    as_string(v, m, s);
    out = parse_timestamp(s);
  };
  detail::json_scanner scanner(text, max_json_depth);
  std::string scratch;
  const bool valid = scanner.scan([&](std::string_view key, std::size_t b, std::size_t e) {
    key = detail::member_name(key, scratch);
    const auto m = member(std::find(names.begin(), names.end() - 1, key) - names.begin());
    if (m == member::other) return;
    if (seen[std::size_t(m)]) return refuse("\"" + std::string(key) + "\" appears twice");
    seen[std::size_t(m)] = true;
    const std::string_view v = text.substr(b, e - b);
    const auto keep = [&](text_span &s) { s = text_span{b, e - b, true}; };
    switch (m) {
    case member::run_id: return as_string(v, m, ev.run_id);
    case member::thread_id: return as_string(v, m, ev.thread_id);
    case member::assistant_id: return as_string(v, m, ev.assistant_id);
    case member::status:
      as_string(v, m, ev.status_text);
      ev.status = from_string<run_status>(ev.status_text).value_or(run_status::unknown);
      return;
    case member::created_at: return as_time(v, m, ev.created_at);
    case member::updated_at: return as_time(v, m, ev.updated_at);
    case member::run_started_at: return as_time(v, m, ev.run_started_at);
    case member::run_ended_at: return as_time(v, m, ev.run_ended_at);
    case member::webhook_sent_at: return as_time(v, m, ev.webhook_sent_at);
    case member::values: return keep(ev.values_);
    case member::kwargs: return keep(ev.kwargs_);
    case member::metadata: return keep(ev.metadata_);
    case member::error:
      if (v != "null") ev.error = detail::run_error_of_text(v);
      return;
    case member::other: return;
    }
  });
  if (!valid && scanner.too_deep()) throw payload_error(false, "not a LangGraph run payload: " + scanner.error());
  if (!valid) throw payload_error(true, "the body is not JSON: " + scanner.error());
  if (!scanner.object()) throw payload_error(false, "not a LangGraph run payload: expected a JSON object");
  if (!problem.empty()) throw payload_error(false, "not a LangGraph run payload: " + problem);
  if (ev.run_id.empty()) throw payload_error(false, "not a LangGraph run payload: no \"run_id\"");
  return ev;
}

// ---- options ----------------------------------------------------------------------------

/// Options of `basic_webhook_server`. Every limit on what a sender can make the receiver hold
/// is one of these; README.md ("Security") gives the worst case in memory and time as a formula
/// of them.
struct webhook_server_options {
  std::string host = "127.0.0.1"; ///< address to listen on ("0.0.0.0" for every interface)
  int port = 0;                   ///< 0: any free port (see port() and url())
  std::string path = "/langgraph/webhook";

  /// Shared secret every delivery must carry (LangGraph servers do not sign calls): the query
  /// parameter `secret_query_param` (url() puts it there), the header `secret_header`, or
  /// `Authorization: Bearer <secret>` (what `webhooks.headers` in langgraph.json can send).
  /// Compared in constant time. Empty: the receiver makes a random 128-bit one (see secret()),
  /// unless `require_secret` is false.
  std::string secret;
  /// false, with an empty `secret`: accept deliveries from anyone who reaches the port. Only for
  /// a receiver that something in front of it authenticates.
  bool require_secret = true;
  std::string secret_query_param = "token";
  std::string secret_header = "X-Webhook-Secret";
  bool secret_in_url = true; ///< url() carries the secret as `?token=…`

  std::size_t max_body_bytes = std::size_t(32) << 20; ///< one payload (413 beyond, judged from the head when it says)
  /// All payloads being received or handled at once (503 beyond): bounds the memory that many
  /// large deliveries can hold together.
  std::size_t max_body_bytes_total = std::size_t(64) << 20;
  std::size_t max_head_bytes = std::size_t(16)
                               << 10; ///< request line and header fields (431 beyond, 414 for the request line)
  std::size_t max_header_count = 100; ///< header fields (431 beyond)
  std::size_t max_json_depth = default_max_json_depth; ///< nesting of the payload (422 beyond)

  std::chrono::milliseconds head_timeout{10000}; ///< the whole request head, from its first byte (408)
  std::chrono::milliseconds body_timeout{30000}; ///< the whole body, from the end of its head (408)
  std::chrono::seconds read_timeout{10};         ///< longest silence while a head or body arrives (408)
  std::chrono::seconds write_timeout{10};        ///< the whole answer; a peer that does not read is dropped
  /// How long an idle keep-alive connection is kept: longer than LangGraph servers keep pooled
  /// connections (60 s), so that a delivery never races the receiver closing its connection;
  /// announced as `Keep-Alive: timeout=…`. Idle connections are the first closed when
  /// `max_connections` is reached.
  std::chrono::seconds keep_alive_timeout{75};
  std::size_t keep_alive_max_requests = 1000;

  /// Callbacks running at once; further deliveries wait for one to finish, up to `max_backlog`
  /// of them (503 with Retry-After beyond).
  std::size_t worker_threads = 8;
  std::size_t max_backlog = 64;
  /// Connections served at once, each on its own thread. A new connection beyond it closes the
  /// idle keep-alive connection, or the connection still sending its head, that has waited
  /// longest; when every connection is delivering, it is answered 503 and closed.
  std::size_t max_connections = 256;
  int listen_backlog = 1024;
  /// URL the LangGraph server should call when it cannot reach host:port directly (a tunnel,
  /// a load balancer); its path defaults to `path`.
  std::string public_url;
  /// Events kept for wait_for() and for recognising repeated deliveries: the newest ones, at
  /// most this many, this many bytes (payload, query parameters and bookkeeping), this old.
  std::size_t recent_events = 1024;
  std::size_t recent_bytes = std::size_t(64) << 20;
  std::chrono::seconds recent_for{600};
};

/// Counters of a webhook server.
struct webhook_server_stats {
  std::uint64_t accepted = 0;   ///< delivered to the program (callback ran without throwing)
  std::uint64_t duplicates = 0; ///< repeated (run_id, status), acknowledged and not delivered again
  std::uint64_t rejected = 0;   ///< answered 4xx
  std::uint64_t busy = 0;       ///< answered 503
  std::uint64_t failed = 0;     ///< the callback threw (answered 500)
  std::size_t running = 0;      ///< callbacks running now
  std::size_t waiting = 0;      ///< deliveries waiting for a callback slot now
  std::size_t remembered = 0;   ///< (run_id, status) pairs known now: in progress, or of kept events
};

namespace detail {
// Why `o` cannot work, or "" when it can.
inline std::string inconsistency(const webhook_server_options &o) {
  auto n = [](std::size_t v) { return std::to_string(v); };
  if (o.path.empty() || o.path.front() != '/') return "path must start with '/'";
  if (o.secret.empty() && o.require_secret) return "secret is empty although require_secret is set";
  if (o.worker_threads == 0) return "worker_threads must be at least 1";
  if (o.worker_threads + o.max_backlog > o.max_connections)
    return "worker_threads + max_backlog (" + n(o.worker_threads + o.max_backlog) + ") exceeds max_connections (" +
           n(o.max_connections) +
           "): a waiting delivery holds its connection, so connections would run out before "
           "the backlog is full and overload would not be answered 503";
  if (o.max_body_bytes > o.max_body_bytes_total)
    return "max_body_bytes (" + n(o.max_body_bytes) + ") exceeds max_body_bytes_total (" + n(o.max_body_bytes_total) +
           "): a payload of the largest size could never be received";
  if (o.max_head_bytes < 1024) return "max_head_bytes must be at least 1024";
  if (o.max_header_count == 0) return "max_header_count must be at least 1";
  if (o.max_json_depth == 0) return "max_json_depth must be at least 1";
  if (o.head_timeout.count() <= 0 || o.body_timeout.count() <= 0 || o.read_timeout.count() <= 0 ||
      o.write_timeout.count() <= 0 || o.keep_alive_timeout.count() <= 0)
    return "head_timeout, body_timeout, read_timeout, write_timeout and keep_alive_timeout must be positive";
  if (o.keep_alive_max_requests == 0) return "keep_alive_max_requests must be at least 1";
  return {};
}

// 128 random bits as 32 hex digits, for the secret a receiver makes itself.
inline std::string random_secret() {
  std::random_device rd;
  static constexpr char hex[] = "0123456789abcdef";
  std::string s;
  for (int i = 0; i < 4; ++i) {
    const std::uint32_t r = rd();
    for (int k = 0; k < 8; ++k) s += hex[(r >> (4 * k)) & 15];
  }
  return s;
}

// A Content-Length value: digits only, saturating; nullopt when it is not a number.
inline std::optional<std::uint64_t> parse_content_length(std::string_view v) noexcept {
  v = trim_ows(v);
  if (v.empty()) return std::nullopt;
  std::uint64_t n = 0;
  for (char c : v) {
    if (c < '0' || c > '9') return std::nullopt;
    n = n > (std::uint64_t(-1) - 9) / 10 ? std::uint64_t(-1) : n * 10 + std::uint64_t(c - '0');
  }
  return n;
}
} // namespace detail

// ---- HTTP/1.1 request framing -----------------------------------------------------------
//
// What a socket transport needs to read requests safely (RFC 9112), independent of sockets so
// that the unit tests and the fuzz target drive it directly: a request head reader with byte and
// field limits, the body framing a head announces, and a chunked-body decoder with limits.

namespace detail {
/// Why a request is refused before it reaches the receiver: status and reason.
struct http_refusal {
  int status = 0;
  std::string reason;
  explicit operator bool() const noexcept { return status != 0; }
};

// RFC 9110 token characters (methods, field names).
inline bool is_tchar(unsigned char c) noexcept {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
         (c != 0 && std::strchr("!#$%&'*+-.^_`|~", c) != nullptr);
}

// Finds and parses a request head in the bytes that have arrived: time linear in the bytes
// however they are split, at most `max_bytes` of request line and fields (empty lines before
// the request line skipped), at most `max_fields` fields.
class request_head_reader {
public:
  enum class state { incomplete, complete, refused };

  request_head_reader(std::size_t max_bytes, std::size_t max_fields) noexcept
      : max_bytes_(max_bytes), max_fields_(max_fields) {}

  /// `data`: everything received since the previous head ended (it may go beyond this head).
  /// On complete, `out` holds method, target and headers, and size() the bytes the head took.
  state feed(std::string_view data, http_request &out) {
    while (scanned_ < data.size()) {
      const void *lf = std::memchr(data.data() + scanned_, '\n', data.size() - scanned_);
      const std::size_t end = lf ? std::size_t(static_cast<const char *>(lf) - data.data()) : data.size();
      if ((lf ? end + 1 : end) > max_bytes_) // empty lines before the request line count too: they are held as well
        return lines_ == 0 && start_ == 0
                   ? refuse(414, "request line longer than " + std::to_string(max_bytes_) + " bytes")
                   : refuse(431, "request head larger than " + std::to_string(max_bytes_) + " bytes");
      if (!lf) {
        scanned_ = data.size();
        return state::incomplete;
      }
      scanned_ = end + 1;
      std::size_t length = end - line_;
      if (length > 0 && data[end - 1] == '\r') --length;
      if (length == 0 && lines_ == 0) { // an empty line before the request line
        start_ = line_ = scanned_;
        continue;
      }
      if (length == 0) {
        size_ = scanned_;
        return parse(data.substr(start_, size_ - start_), out);
      }
      if (++lines_ > max_fields_ + 1) return refuse(431, "more than " + std::to_string(max_fields_) + " header fields");
      line_ = scanned_;
    }
    return state::incomplete;
  }

  /// Bytes of `data` the head took (leading empty lines included).
  std::size_t size() const noexcept { return size_; }
  /// 0 for HTTP/1.0, 1 for HTTP/1.1.
  int minor_version() const noexcept { return minor_; }
  const http_refusal &refusal() const noexcept { return refusal_; }

private:
  state refuse(int status, std::string reason) {
    refusal_ = http_refusal{status, std::move(reason)};
    return state::refused;
  }

  // The head's lines, each ended by LF or CRLF, then the empty line.
  state parse(std::string_view head, http_request &out) {
    out = http_request();
    bool first = true;
    while (!head.empty()) {
      const std::size_t lf = head.find('\n');
      std::string_view line = head.substr(0, lf);
      head.remove_prefix(lf + 1);
      if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
      if (line.empty()) break;
      if (line.find('\r') != std::string_view::npos) return refuse(400, "a bare CR in the request head");
      if (first) {
        if (!request_line(line, out)) return state::refused;
        first = false;
        continue;
      }
      if (line.front() == ' ' || line.front() == '\t') return refuse(400, "obsolete line folding in a header field");
      const std::size_t colon = line.find(':');
      if (colon == 0 || colon == std::string_view::npos) return refuse(400, "a header field without a name");
      const std::string_view name = line.substr(0, colon);
      for (char c : name)
        if (!is_tchar(static_cast<unsigned char>(c))) return refuse(400, "invalid character in a header field name");
      const std::string_view value = trim_ows(line.substr(colon + 1));
      for (char c : value) {
        const auto u = static_cast<unsigned char>(c);
        if ((u < 0x20 && u != '\t') || u == 0x7F) return refuse(400, "invalid character in a header field value");
      }
      add_header(out.headers, name, value);
    }
    return state::complete;
  }

  bool request_line(std::string_view line, http_request &out) {
    auto fail = [&](int status, const char *reason) {
      refuse(status, reason);
      return false;
    };
    const std::size_t sp1 = line.find(' ');
    const std::size_t sp2 = sp1 == std::string_view::npos ? sp1 : line.find(' ', sp1 + 1);
    if (sp2 == std::string_view::npos) return fail(400, "malformed request line");
    const std::string_view method = line.substr(0, sp1), target = line.substr(sp1 + 1, sp2 - sp1 - 1),
                           version = line.substr(sp2 + 1);
    if (method.empty() || target.empty()) return fail(400, "malformed request line");
    for (char c : method)
      if (!is_tchar(static_cast<unsigned char>(c))) return fail(400, "invalid request method");
    for (char c : target)
      if (static_cast<unsigned char>(c) <= 0x20 || static_cast<unsigned char>(c) >= 0x7F)
        return fail(400, "invalid character in the request target");
    const auto digit = [](char c) { return c >= '0' && c <= '9'; };
    if (version.size() != 8 || version.substr(0, 5) != "HTTP/" || !digit(version[5]) || version[6] != '.' ||
        !digit(version[7]))
      return fail(400, "malformed HTTP version");
    if (version[5] != '1') return fail(505, "only HTTP/1.x is served");
    minor_ = version[7] == '0' ? 0 : 1; // a later 1.x is served as 1.1 (RFC 9110 §2.5)
    out.method = std::string(method);
    out.target = std::string(target);
    return true;
  }

  std::size_t max_bytes_, max_fields_;
  std::size_t start_ = 0;   // where the request line starts
  std::size_t line_ = 0;    // where the current line starts
  std::size_t scanned_ = 0; // bytes looked at so far
  std::size_t lines_ = 0;   // complete lines of the head so far
  std::size_t size_ = 0;
  int minor_ = 1;
  http_refusal refusal_;
};

/// How a request's body is delimited (RFC 9112 §6): a length, or chunked.
struct body_framing {
  bool chunked = false;
  std::uint64_t length = 0; ///< when not chunked; 0 without Content-Length
  http_refusal refusal;     ///< conflicting or unsupported framing: refuse and close
};

inline body_framing framing_of(const http_request &head, int minor_version) {
  body_framing f;
  bool has_length = false, has_coding = false;
  std::vector<std::string_view> codings;
  for (const auto &h : head.headers) {
    if (iequals(h.first, "Content-Length")) {
      std::string_view list = h.second; // "n" or "n, n" (RFC 9110 §8.6): every value the same
      for (;;) {
        const std::size_t comma = list.find(',');
        const auto n = parse_content_length(list.substr(0, comma));
        if (!n || (has_length && *n != f.length)) {
          f.refusal = {400, "invalid or conflicting Content-Length"};
          return f;
        }
        f.length = *n;
        has_length = true;
        if (comma == std::string_view::npos) break;
        list.remove_prefix(comma + 1);
      }
    } else if (iequals(h.first, "Transfer-Encoding")) {
      has_coding = true;
      std::string_view list = h.second;
      for (;;) {
        const std::size_t comma = list.find(',');
        const std::string_view c = trim_ows(list.substr(0, comma));
        if (!c.empty()) codings.push_back(c);
        if (comma == std::string_view::npos) break;
        list.remove_prefix(comma + 1);
      }
    }
  }
  if (!has_coding) return f;
  if (has_length) {
    f.refusal = {400, "both Content-Length and Transfer-Encoding"};
  } else if (minor_version == 0) {
    f.refusal = {400, "Transfer-Encoding in an HTTP/1.0 request"};
  } else if (codings.empty()) {
    f.refusal = {400, "an empty Transfer-Encoding"};
  } else if (codings.size() != 1 || !iequals(codings[0], "chunked")) {
    f.refusal = {501, "only the chunked transfer coding is supported"};
  } else {
    f.chunked = true;
  }
  return f;
}

// Whether the client asks to close the connection after this request.
inline bool wants_close(const http_request &head, int minor_version) {
  bool close = false, keep_alive = false;
  for (const auto &h : head.headers) {
    if (!iequals(h.first, "Connection")) continue;
    std::string_view list = h.second;
    for (;;) {
      const std::size_t comma = list.find(',');
      const std::string_view token = trim_ows(list.substr(0, comma));
      close = close || iequals(token, "close");
      keep_alive = keep_alive || iequals(token, "keep-alive");
      if (comma == std::string_view::npos) break;
      list.remove_prefix(comma + 1);
    }
  }
  return close || (minor_version == 0 && !keep_alive);
}

// Decodes a chunked body (RFC 9112 §7.1) from the bytes that have arrived, in linear time:
// at most `max_body` bytes of data, chunk-size lines (with their extensions and CR) of at most
// 1 KiB each and `max_body` + 64 KiB in all, trailer fields of at most `max_trailer_bytes` in
// all (read and dropped).
class chunked_decoder {
public:
  chunked_decoder(std::size_t max_body, std::size_t max_trailer_bytes) noexcept
      : max_body_(max_body), max_trailer_bytes_(max_trailer_bytes) {}

  /// Appends the data in `in` to `body`; returns the bytes of `in` it used (all of them unless
  /// the body ended or was refused there).
  std::size_t feed(std::string_view in, std::string &body) {
    std::size_t i = 0;
    while (i < in.size() && state_ != st::done && !refusal_) {
      if (state_ == st::data) {
        const std::size_t n = std::size_t(std::min<std::uint64_t>(remaining_, in.size() - i));
        body.append(in.data() + i, n);
        i += n;
        remaining_ -= n;
        if (remaining_ == 0) state_ = st::data_end;
        continue;
      }
      const char c = in[i++];
      switch (state_) {
      case st::data_end: // CRLF (or LF) after the data
        if (c == '\r' && !cr_) {
          cr_ = true;
        } else if (c == '\n') {
          cr_ = false;
          state_ = st::size_line;
        } else {
          refuse(400, "chunk data not followed by CRLF");
        }
        break;
      case st::size_line:
        if (++framing_bytes_ > max_body_ + 65536) {
          refuse(400, "more chunk framing than the body limit allows"); // e.g. a million 1-byte chunks
        } else if (c != '\n') {
          line_ += c;
          if (line_.size() > 1024) refuse(400, "chunk-size line longer than 1024 bytes");
        } else {
          if (!line_.empty() && line_.back() == '\r') line_.pop_back();
          size_line(body);
          line_.clear();
        }
        break;
      default: // trailer fields, read and dropped, until an empty line
        if (++trailer_bytes_ > max_trailer_bytes_) {
          refuse(431, "chunked trailer fields larger than " + std::to_string(max_trailer_bytes_) + " bytes");
        } else if (c == '\n') {
          if (!trailer_line_) state_ = st::done;
          trailer_line_ = false;
        } else if (c != '\r') {
          trailer_line_ = true;
        }
      }
    }
    return i;
  }

  bool done() const noexcept { return state_ == st::done; }
  const http_refusal &refusal() const noexcept { return refusal_; }

private:
  enum class st { size_line, data, data_end, trailers, done };

  void refuse(int status, std::string reason) { refusal_ = http_refusal{status, std::move(reason)}; }

  void size_line(const std::string &body) {
    std::uint64_t size = 0;
    std::size_t digits = 0;
    for (; digits < line_.size(); ++digits) {
      const int h = hex_value(line_[digits]);
      if (h < 0) break;
      if (digits == 16) return refuse(400, "chunk size too large");
      size = size * 16 + std::uint64_t(h);
    }
    const std::string_view rest = trim_ows(std::string_view(line_).substr(digits));
    if (digits == 0 || (!rest.empty() && rest.front() != ';')) return refuse(400, "malformed chunk size");
    if (size > max_body_ - std::min(max_body_, body.size()))
      return refuse(413, "body larger than " + std::to_string(max_body_) + " bytes");
    remaining_ = size;
    state_ = size == 0 ? st::trailers : st::data;
  }

  std::size_t max_body_, max_trailer_bytes_;
  st state_ = st::size_line;
  std::uint64_t remaining_ = 0;
  std::string line_;
  std::size_t trailer_bytes_ = 0;
  std::size_t framing_bytes_ = 0; // of all chunk-size lines
  bool trailer_line_ = false;     // the trailer line being read has content
  bool cr_ = false;
  http_refusal refusal_;
};
} // namespace detail

// ---- the receiver -----------------------------------------------------------------------

/// A run's outcome (basic_webhook_server::await_outcome): its webhook, or the server's record of
/// the run when no webhook came in time.
struct run_outcome {
  webhook_event event; ///< the webhook, or one made from the server's record (event.from_server)
  std::string run_id, thread_id;
  run_status status = run_status::unknown;
  std::string status_text;
  std::optional<run_error> error;
  std::optional<nlohmann::json> values; ///< the final values (absent on some servers and runs)
  bool from_server() const noexcept { return event.from_server; }
};

namespace detail {
// Compares without an early exit, so the time taken does not tell how much of a guess was right.
inline bool constant_time_equal(std::string_view a, std::string_view b) noexcept {
  unsigned char diff = a.size() == b.size() ? 0 : 1;
  const std::size_t n = a.size() < b.size() ? a.size() : b.size();
  for (std::size_t i = 0; i < b.size(); ++i) diff |= static_cast<unsigned char>((i < n ? a[i] : 0) ^ b[i]);
  return diff == 0;
}

inline http_response reply(int status, std::string detail_text, http_headers headers = {}) {
  http_response r;
  r.status = status;
  r.headers = std::move(headers);
  add_header(r.headers, "Content-Type", "application/json");
  nlohmann::json body = nlohmann::json::object();
  body["detail"] = std::move(detail_text);
  r.body = body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace); // may quote a sender's bytes
  return r;
}

// The bytes an accepted event holds while it is kept (its strings and query pairs, the key
// under which it is remembered twice, and the map entries): what recent_bytes counts.
inline std::size_t footprint(const webhook_event &e, const std::string &key) {
  std::size_t n = e.body.capacity() + e.run_id.capacity() * 2 + e.thread_id.capacity() + e.assistant_id.capacity() +
                  e.status_text.capacity() + key.capacity() * 2 + 256;
  n += (e.query.capacity() + e.headers.capacity()) * sizeof(query_params::value_type);
  for (const auto &q : e.query) n += q.first.capacity() + q.second.capacity();
  for (const auto &h : e.headers) n += h.first.capacity() + h.second.capacity();
  if (e.error) n += e.error->error.capacity() + e.error->message.capacity();
  return n;
}

// The dedupe key of a delivery: (run_id, status), length-prefixed so no two pairs meet.
inline std::string delivery_key(const std::string &run_id, const std::string &status) {
  return std::to_string(run_id.size()) + ':' + run_id + status;
}
} // namespace detail

/// The webhook receiver over any ServerTransport; `webhook_server` is the cpp-httplib one.
template <class ServerTransport> class basic_webhook_server {
  static_assert(is_server_transport_v<ServerTransport>,
                "basic_webhook_server<S>: S must model ServerTransport, i.e. have `int start(const "
                "webhook_server_options&, server_handler)` and `void stop()` (see the requirements "
                "table in langgraph_webhooks.hpp).");

public:
  using transport_type = ServerTransport;
  using event_handler = std::function<void(const webhook_event &)>;
  using error_handler = std::function<void(const webhook_event &, std::exception_ptr)>;

  /// A receiver with a default-constructed transport (reach it with transport() to set it up).
  /// Without a `secret` (and with `require_secret`), it makes a random one: see secret().
  explicit basic_webhook_server(webhook_server_options options = {}) : options_(std::move(options)) {
    if (options_.secret.empty() && options_.require_secret) options_.secret = detail::random_secret();
  }
  basic_webhook_server(const basic_webhook_server &) = delete;
  basic_webhook_server &operator=(const basic_webhook_server &) = delete;
  ~basic_webhook_server() { stop(); }

  /// Called for each new event on the thread that received it; the delivery is answered
  /// when it returns (500 if it throws, so the cloud server tries again). Keep it short: the
  /// cloud server gives up after 30 s and retries. Set before start().
  basic_webhook_server &on_event(event_handler handler) {
    on_event_ = std::move(handler);
    return *this;
  }
  /// Called when the event handler threw (with the exception); set before start().
  basic_webhook_server &on_error(error_handler handler) {
    on_error_ = std::move(handler);
    return *this;
  }

  /// Starts listening (again after stop(), on the same port so that url() stays valid).
  /// Throws `error` (invalid_argument) naming the options that cannot work together, and
  /// (connection) when it cannot listen.
  void start() {
    std::lock_guard<std::mutex> lock(lifecycle_);
    if (running_) return;
    const std::string why = detail::inconsistency(options_);
    if (!why.empty()) throw detail::bad_argument("webhook_server::start", "webhook_server_options: " + why);
    {
      std::lock_guard<std::mutex> state(m_);
      stopping_ = false;
    }
    webhook_server_options o = options_;
    if (port_ != 0) o.port = port_;
    port_ = transport_.start(o, server_handler{[this](const http_request &head) { return check_head(head); },
                                               [this](http_request req) { return handle(std::move(req)); }});
    running_ = true;
  }
  /// Stops listening and closes connections that are not delivering; deliveries whose callback
  /// runs finish and are answered, those still waiting for a callback slot are answered 503.
  /// Returns within the longest running callback plus `write_timeout`. Events stay available
  /// to wait_for().
  void stop() {
    std::lock_guard<std::mutex> lock(lifecycle_);
    if (!running_) return;
    {
      std::lock_guard<std::mutex> state(m_);
      stopping_ = true;
    }
    slot_free_.notify_all();
    transport_.stop();
    running_ = false;
  }
  bool running() const {
    std::lock_guard<std::mutex> lock(lifecycle_);
    return running_;
  }
  /// The bound port (0 before the first start()).
  int port() const noexcept { return port_; }
  /// The secret deliveries must carry (the one given, or the one the receiver made); empty
  /// only with `require_secret` false.
  const std::string &secret() const noexcept { return options_.secret; }

  /// The URL to pass as `webhook`: public_url when set, else http://host:port/path; with the
  /// secret as a query parameter when `secret_in_url`. Throws `error` (invalid_argument) when
  /// the port is not known yet: before start() with port 0 (any free port) and no public_url.
  std::string url() const {
    const int port = port_ != 0 ? port_ : options_.port;
    if (options_.public_url.empty() && port == 0)
      throw detail::bad_argument("webhook_server::url", "the port is chosen by start(): call start() first "
                                                        "(or set webhook_server_options::port or public_url)");
    std::string base;
    if (!options_.public_url.empty()) {
      base = options_.public_url;
      if (parse_url(base).path.empty()) {
        while (!base.empty() && base.back() == '/') base.pop_back();
        base += options_.path;
      }
    } else {
      std::string host = options_.host;
      if (host == "0.0.0.0" || host.empty()) host = "127.0.0.1";
      if (host == "::") host = "::1";
      if (host.find(':') != std::string::npos) host = '[' + host + ']';
      base = "http://" + host + ':' + std::to_string(port) + options_.path;
    }
    if (!options_.secret.empty() && options_.secret_in_url) {
      base += base.find('?') == std::string::npos ? '?' : '&';
      base += percent_encode(options_.secret_query_param) + '=' + percent_encode(options_.secret);
    }
    return base;
  }

  /// What a cloud deployment would say about url() (see check_webhook_url).
  webhook_url_check check_url(const webhook_url_policy &policy = {}) const { return check_webhook_url(url(), policy); }

  /// The event of `run_id` once the receiver accepted it (answered 200: with on_event set,
  /// after it returned without throwing), waiting up to `timeout`; also finds events accepted
  /// before the call (kept for `recent_for`, at most `recent_events`). nullopt on timeout.
  std::optional<webhook_event> wait_for(const std::string &run_id, std::chrono::milliseconds timeout) {
    timeout = std::min(timeout, std::chrono::milliseconds(std::chrono::hours(24 * 365 * 10))); // no clock overflow
    std::unique_lock<std::mutex> lock(m_);
    std::optional<webhook_event> found;
    arrived_.wait_for(lock, timeout, [&] {
      auto it = by_run_.find(run_id);
      if (it == by_run_.end()) return false;
      found = *it->second;
      return true;
    });
    return found;
  }

  /// A run's outcome whatever happened to its webhook: the webhook when it is accepted within
  /// `grace` (or was before), else what `client` learns from the server (it joins the run while
  /// it goes on, then reads its status), which the receiver then keeps like a delivery: a
  /// webhook of the run that arrives later is acknowledged as a repeat and not delivered to
  /// on_event again, so each outcome reaches the program once. Works after a restart for runs
  /// whose ids the program kept. Throws `error` when the server cannot tell (a stateless run
  /// whose thread was deleted: create it with `on_completion = keep`).
  template <class Client>
  run_outcome await_outcome(Client &client, const std::string &thread_id, const std::string &run_id,
                            std::chrono::milliseconds grace);

  webhook_server_stats stats() const {
    std::lock_guard<std::mutex> lock(m_);
    webhook_server_stats s = stats_;
    s.running = active_;
    s.waiting = waiting_;
    s.remembered = seen_.size();
    return s;
  }
  const webhook_server_options &options() const noexcept { return options_; }
  ServerTransport &transport() noexcept { return transport_; }

  /// Judges a request from its head alone (what the transport calls before reading a body):
  /// 404 another path, 405 another method, 401 a missing or wrong secret, 415 a compressed
  /// body, 413 a Content-Length over `max_body_bytes`; nullopt when the body may be read.
  std::optional<http_response> check_head(const http_request &head);

  /// Answers one whole request: the checks of check_head(), then 413 a body over the limit,
  /// 400 a body that is not JSON, 422 JSON that is not a run payload (or nests deeper than
  /// `max_json_depth`), 503 when `max_backlog` deliveries already wait for a callback (or the
  /// receiver is stopping), 500 when the event handler threw, else 200 (also for a repeated
  /// delivery).
  http_response handle(http_request req);

private:
  using clock = std::chrono::steady_clock;
  struct recent {
    std::shared_ptr<const webhook_event> event;
    std::string key; // detail::delivery_key
    clock::time_point at;
    std::size_t bytes; // detail::footprint
  };

  http_response rejected(int status, std::string why, http_headers headers = {}) {
    {
      std::lock_guard<std::mutex> lock(m_);
      ++(status == 503 ? stats_.busy : stats_.rejected);
    }
    return detail::reply(status, std::move(why), std::move(headers));
  }
  bool authenticated(const http_request &head, std::string_view query) const;
  // The steps of handle(): the event of a request (or the answer refusing it); whether it may
  // be delivered now (holding a callback slot) or is answered already (duplicate, busy, no
  // callback); the callback and its outcome.
  std::optional<http_response> read_event(http_request req, std::shared_ptr<webhook_event> &event);
  std::optional<http_response> admit(const std::shared_ptr<webhook_event> &event, const std::string &key);
  http_response deliver(const std::shared_ptr<webhook_event> &event, std::string key);
  void keep(std::shared_ptr<const webhook_event> event, std::string key); // with m_ held
  void forget_old(clock::time_point now);                                 // with m_ held

  webhook_server_options options_;
  ServerTransport transport_;
  event_handler on_event_;
  error_handler on_error_;
  mutable std::mutex lifecycle_;
  bool running_ = false;
  int port_ = 0;

  mutable std::mutex m_;
  std::condition_variable arrived_;   // a new event is in by_run_
  std::condition_variable slot_free_; // a callback finished, or the receiver is stopping
  bool stopping_ = false;
  std::size_t active_ = 0, waiting_ = 0;
  std::unordered_map<std::string, std::shared_ptr<const webhook_event>> by_run_;
  // Deliveries being handled (false) and accepted ones still kept (true), by delivery_key: a
  // key lives exactly as long as its delivery is in progress or its event is in order_.
  std::unordered_map<std::string, bool> seen_;
  std::deque<recent> order_;    // every kept event, oldest first
  std::size_t order_bytes_ = 0; // their footprint
  webhook_server_stats stats_;
};

template <class S> bool basic_webhook_server<S>::authenticated(const http_request &head, std::string_view query) const {
  // Any place that carries the secret admits the delivery: a Bearer token that a deployment's
  // `webhooks.headers` sends for a proxy in front must not hide a right `token` in the URL.
  const auto is_secret = [&](std::string_view given) { return detail::constant_time_equal(given, options_.secret); };
  if (is_secret(head.header(options_.secret_header))) return true;
  const std::string_view auth = detail::trim_ows(head.header("Authorization"));
  if (auth.size() > 7 && detail::iequals(auth.substr(0, 7), "Bearer ") && is_secret(detail::trim_ows(auth.substr(7))))
    return true;
  for (const auto &p : parse_query(query))
    if (p.first == options_.secret_query_param && is_secret(p.second)) return true;
  return false;
}

template <class S> void basic_webhook_server<S>::keep(std::shared_ptr<const webhook_event> event, std::string key) {
  const auto now = clock::now();
  seen_[key] = true;
  by_run_[event->run_id] = event;
  const std::size_t bytes = detail::footprint(*event, key);
  order_bytes_ += bytes;
  order_.push_back(recent{std::move(event), std::move(key), now, bytes});
  forget_old(now);
  arrived_.notify_all();
}

template <class S> void basic_webhook_server<S>::forget_old(clock::time_point now) {
  while (!order_.empty() && (order_.size() > options_.recent_events || now - order_.front().at > options_.recent_for ||
                             (order_bytes_ > options_.recent_bytes && order_.size() > 1))) {
    const recent &r = order_.front();
    seen_.erase(r.key);
    auto ev = by_run_.find(r.event->run_id); // unless a newer event of the run replaced it
    if (ev != by_run_.end() && ev->second == r.event) by_run_.erase(ev);
    order_bytes_ -= r.bytes;
    order_.pop_front();
  }
}

template <class S>
template <class Client>
run_outcome basic_webhook_server<S>::await_outcome(Client &client, const std::string &thread_id,
                                                   const std::string &run_id, std::chrono::milliseconds grace) {
  std::optional<webhook_event> event = wait_for(run_id, grace);
  if (!event) {
    // The server's record: its final values (a join returns once the run ended), then its status.
    const run_output out = client.runs().join(thread_id, run_id, false);
    event = wait_for(run_id, std::chrono::milliseconds(0)); // delivered while the join waited?
    if (!event) {
      const run r = client.runs().get(thread_id, run_id);
      nlohmann::json record = nlohmann::json::object();
      record["run_id"] = run_id;
      record["thread_id"] = thread_id;
      record["assistant_id"] = r.assistant_id;
      record["status"] = r.raw.value("status", std::string(to_string(r.status)));
      if (out.error)
        record["error"] = {{"error", out.error->error}, {"message", out.error->message}};
      else if (!out.values.is_null())
        record["values"] = out.values;
      webhook_event made = webhook_event::from_body(record.dump(), {}, options_.max_json_depth);
      made.from_server = true;
      auto kept = std::make_shared<webhook_event>(std::move(made));
      std::string key = detail::delivery_key(kept->run_id, kept->status_text);
      std::lock_guard<std::mutex> lock(m_);
      if (seen_.find(key) == seen_.end()) keep(kept, std::move(key)); // else a delivery is being handled
      const auto it = by_run_.find(run_id);
      event = it != by_run_.end() ? *it->second : *kept;
    }
  }
  run_outcome o;
  o.run_id = event->run_id;
  o.thread_id = event->thread_id;
  o.status = event->status;
  o.status_text = event->status_text;
  o.error = event->error;
  o.values = event->values();
  o.event = std::move(*event);
  return o;
}

template <class S> std::optional<http_response> basic_webhook_server<S>::check_head(const http_request &head) {
  const std::string_view target(head.target);
  const std::size_t q = target.find('?');
  if (percent_decode(target.substr(0, q)) != options_.path) return rejected(404, "Not Found");
  if (head.method != "POST") return rejected(405, "Method Not Allowed: use POST", {{"Allow", "POST"}});
  if (!options_.secret.empty() &&
      !authenticated(head, q == std::string_view::npos ? std::string_view() : target.substr(q + 1)))
    return rejected(401, "missing or wrong webhook secret");
  const std::string_view coding = detail::trim_ows(head.header("Content-Encoding"));
  if (!coding.empty() && !detail::iequals(coding, "identity"))
    return rejected(415,
                    "Content-Encoding \"" + std::string(coding) + "\" is not accepted: send the payload uncompressed");
  const auto length = detail::parse_content_length(head.header("Content-Length"));
  if (length && *length > options_.max_body_bytes)
    return rejected(413, "body larger than " + std::to_string(options_.max_body_bytes) + " bytes");
  return std::nullopt;
}

template <class S> http_response basic_webhook_server<S>::handle(http_request req) {
  std::shared_ptr<webhook_event> event;
  if (auto refused = read_event(std::move(req), event)) return std::move(*refused);
  std::string key = detail::delivery_key(event->run_id, event->status_text);
  if (auto answered = admit(event, key)) return std::move(*answered);
  return deliver(event, std::move(key));
}

template <class S>
std::optional<http_response> basic_webhook_server<S>::read_event(http_request req,
                                                                 std::shared_ptr<webhook_event> &event) {
  if (auto refused = check_head(req)) return refused;
  if (req.body.size() > options_.max_body_bytes)
    return rejected(413, "body larger than " + std::to_string(options_.max_body_bytes) + " bytes");
  const std::size_t q = req.target.find('?');
  query_params query =
      q == std::string::npos ? query_params() : parse_query(std::string_view(req.target).substr(q + 1));
  const bool secret = !options_.secret.empty();
  if (secret) // what the event exposes never holds the secret
    query.erase(std::remove_if(query.begin(), query.end(),
                               [&](const auto &p) { return p.first == options_.secret_query_param; }),
                query.end());
  try {
    event = std::make_shared<webhook_event>(
        webhook_event::from_body(std::move(req.body), std::move(query), options_.max_json_depth));
  } catch (const payload_error &e) {
    return rejected(e.not_json() ? 400 : 422, e.what());
  }
  for (auto &h : req.headers)
    if (!secret || (!detail::iequals(h.first, options_.secret_header) && !detail::iequals(h.first, "Authorization")))
      event->headers.push_back(std::move(h));
  return std::nullopt;
}

template <class S>
std::optional<http_response> basic_webhook_server<S>::admit(const std::shared_ptr<webhook_event> &event,
                                                            const std::string &key) {
  const auto busy = [&](const char *why) {
    ++stats_.busy;
    return detail::reply(503, why, {{"Retry-After", "1"}});
  };
  std::unique_lock<std::mutex> lock(m_);
  auto seen = seen_.find(key);
  if (seen != seen_.end()) {
    if (!seen->second) return busy("this delivery is being handled");
    ++stats_.duplicates;
    return detail::reply(200, "duplicate delivery, already handled");
  }
  if (stopping_) return busy("the receiver is stopping");
  if (!on_event_) {
    ++stats_.accepted;
    keep(event, key);
    return detail::reply(200, "ok");
  }
  if (active_ >= options_.worker_threads && waiting_ >= options_.max_backlog)
    return busy("too many deliveries waiting");
  seen_.emplace(key, false);
  ++waiting_;
  slot_free_.wait(lock, [&] { return stopping_ || active_ < options_.worker_threads; });
  --waiting_;
  if (stopping_) {
    seen_.erase(key); // not acknowledged: a retry is handled afresh
    return busy("the receiver is stopping");
  }
  ++active_;
  return std::nullopt;
}

template <class S>
http_response basic_webhook_server<S>::deliver(const std::shared_ptr<webhook_event> &event, std::string key) {
  std::exception_ptr failure;
  try {
    on_event_(*event);
  } catch (...) {
    failure = std::current_exception();
  }
  {
    std::lock_guard<std::mutex> lock(m_);
    --active_;
    slot_free_.notify_one();
    if (failure) {
      seen_.erase(key); // a retry is handled afresh
      ++stats_.failed;
    } else {
      ++stats_.accepted;
      keep(event, std::move(key));
    }
  }
  if (!failure) return detail::reply(200, "ok");
  if (on_error_) {
    try {
      on_error_(*event, failure);
    } catch (...) {
    }
  }
  return detail::reply(500, "the webhook handler failed");
}

// ==== mock transports ====

/// A ClientTransport for tests: records every request and plays scripted answers in order.
/// Copies share one script and one record, so a test keeps a copy while the client owns one.
class mock_client_transport {
public:
  /// One scripted answer: a response delivered in `chunks` (each one callback call), or a
  /// transport failure.
  struct step {
    http_response response;
    std::vector<std::string> chunks;
  };

  mock_client_transport() : state_(std::make_shared<state>()) {}
  mock_client_transport(const std::string &origin, const client_options &) : mock_client_transport() {
    state_->origin = origin;
  }

  /// Queues an answer with the whole body in one chunk.
  mock_client_transport &respond(int status, std::string body = {}, http_headers headers = {}) {
    std::vector<std::string> chunks;
    if (!body.empty()) chunks.push_back(std::move(body));
    return respond_chunked(status, std::move(chunks), std::move(headers));
  }
  /// Queues an answer whose body arrives in these pieces.
  mock_client_transport &respond_chunked(int status, std::vector<std::string> chunks, http_headers headers = {}) {
    step s;
    s.response.status = status;
    s.response.headers = std::move(headers);
    s.chunks = std::move(chunks);
    return push(std::move(s));
  }
  /// Queues a transport failure. With `after_chunks`, the failure comes after the status,
  /// headers and those chunks of a 200 answer (a body that breaks off).
  mock_client_transport &fail(error_kind kind, std::string message, bool request_sent = true,
                              std::vector<std::string> after_chunks = {}, http_headers headers = {}) {
    step s;
    s.response.failure = transport_failure{kind, std::move(message), request_sent};
    if (!after_chunks.empty() || !headers.empty()) s.response.status = 200;
    s.response.headers = std::move(headers);
    s.chunks = std::move(after_chunks);
    return push(std::move(s));
  }
  /// From call number `n` on (counting from 1), every call fails with this failure, whatever
  /// is scripted.
  mock_client_transport &fail_from_call(std::size_t n, error_kind kind, std::string message,
                                        bool request_sent = false) {
    std::lock_guard<std::mutex> lock(state_->m);
    state_->fail_from = n;
    state_->failure = transport_failure{kind, std::move(message), request_sent};
    return *this;
  }
  /// Answers calls that find the script empty.
  mock_client_transport &otherwise(std::function<http_response(const http_request &)> handler) {
    std::lock_guard<std::mutex> lock(state_->m);
    state_->fallback = std::move(handler);
    return *this;
  }

  /// Every request sent so far, in order.
  std::vector<http_request> requests() const {
    std::lock_guard<std::mutex> lock(state_->m);
    return state_->requests;
  }
  /// The last request sent; throws std::logic_error when there was none.
  http_request last_request() const {
    std::lock_guard<std::mutex> lock(state_->m);
    if (state_->requests.empty()) throw std::logic_error("mock_client_transport: no request yet");
    return state_->requests.back();
  }
  /// How many scripted answers are still unused.
  std::size_t pending() const {
    std::lock_guard<std::mutex> lock(state_->m);
    return state_->script.size();
  }
  /// How many times a chunk callback returned false (the reader stopped early).
  std::size_t stopped_reads() const {
    std::lock_guard<std::mutex> lock(state_->m);
    return state_->stopped;
  }
  const std::string &origin() const noexcept { return state_->origin; }

  http_response send(const http_request &req, const chunk_callback &on_chunk) {
    step s;
    {
      std::lock_guard<std::mutex> lock(state_->m);
      state_->requests.push_back(req);
      if (state_->fail_from != 0 && state_->requests.size() >= state_->fail_from) {
        s.response.failure = state_->failure;
        return s.response;
      }
      if (!state_->script.empty()) {
        s = std::move(state_->script.front());
        state_->script.erase(state_->script.begin());
      } else if (state_->fallback) {
        s.response = state_->fallback(req);
        if (!s.response.body.empty()) s.chunks.push_back(std::move(s.response.body));
        s.response.body.clear();
      } else {
        throw std::logic_error("mock_client_transport: nothing scripted for " + req.method + ' ' + req.target);
      }
    }
    http_response head = s.response;
    head.failure.reset();
    for (const auto &chunk : s.chunks) {
      if (!on_chunk) {
        s.response.body += chunk;
      } else if (!on_chunk(head, chunk)) {
        std::lock_guard<std::mutex> lock(state_->m);
        ++state_->stopped;
        return head;
      }
    }
    return s.response;
  }

private:
  struct state {
    mutable std::mutex m;
    std::vector<step> script;
    std::vector<http_request> requests;
    std::function<http_response(const http_request &)> fallback;
    std::size_t fail_from = 0;
    transport_failure failure;
    std::size_t stopped = 0;
    std::string origin;
  };
  mock_client_transport &push(step s) {
    std::lock_guard<std::mutex> lock(state_->m);
    state_->script.push_back(std::move(s));
    return *this;
  }
  std::shared_ptr<state> state_;
};

/// A ServerTransport for tests: no sockets. `request()` and `post()` call the receiver the way
/// a connection would; calls from several threads at once are fine.
class mock_server_transport {
public:
  int start(const webhook_server_options &o, server_handler handler) {
    std::lock_guard<std::mutex> lock(m_);
    h_ = std::move(handler);
    ++starts_;
    return o.port != 0 ? o.port : 49152;
  }
  void stop() {
    std::lock_guard<std::mutex> lock(m_);
    h_ = server_handler();
  }
  bool running() const {
    std::lock_guard<std::mutex> lock(m_);
    return static_cast<bool>(h_.handle);
  }
  /// How many times start() was called.
  int starts() const {
    std::lock_guard<std::mutex> lock(m_);
    return starts_;
  }

  /// Hands `req` to the receiver the way a connection does: its head to check_head, and only
  /// when that has no answer, the whole request to handle. Throws std::logic_error when the
  /// receiver is not started.
  http_response request(http_request req) const {
    server_handler h;
    {
      std::lock_guard<std::mutex> lock(m_);
      if (!h_.handle) throw std::logic_error("mock_server_transport: the receiver is not started");
      h = h_;
    }
    if (auto refused = h.check_head(req)) return std::move(*refused);
    return h.handle(std::move(req));
  }
  /// A POST of `body` to `target` (path and query), as the JS server sends it (text/plain).
  http_response post(std::string target, std::string body, http_headers headers = {}) const {
    http_request req;
    req.method = "POST";
    req.target = std::move(target);
    req.headers = std::move(headers);
    detail::add_header(req.headers, "Content-Type", "text/plain;charset=UTF-8");
    req.body = std::move(body);
    return request(std::move(req));
  }

private:
  mutable std::mutex m_;
  server_handler h_;
  int starts_ = 0;
};

// ==== cpp-httplib adapters ====

#ifndef LANGGRAPH_WEBHOOKS_NO_HTTPLIB

namespace detail {
// ---- sockets: what both transports do with a socket themselves ----------------------------

#ifdef _WIN32
inline int poll_sockets(pollfd *fds, std::size_t n, int ms) { return ::WSAPoll(fds, ULONG(n), ms); }
inline void close_socket(socket_t s) { ::closesocket(s); }
constexpr int shut_write = SD_SEND, shut_both = SD_BOTH;
#else
inline int poll_sockets(pollfd *fds, std::size_t n, int ms) { return ::poll(fds, nfds_t(n), ms); }
inline void close_socket(socket_t s) { ::close(s); }
constexpr int shut_write = SHUT_WR, shut_both = SHUT_RDWR;
#endif
#ifdef MSG_NOSIGNAL
constexpr int send_flags = MSG_NOSIGNAL;
#else
constexpr int send_flags = 0;
#endif

using steady_clock = std::chrono::steady_clock;

// Waits until `fd` is ready for `events` (or failed) or `deadline` passes; false on timeout.
inline bool wait_socket(socket_t fd, short events, steady_clock::time_point deadline) {
  for (;;) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - steady_clock::now()).count() + 1;
    if (left <= 1) return false;
    pollfd p{};
    p.fd = fd;
    p.events = events;
    const int r = poll_sockets(&p, 1, int(std::min<long long>(left, 1 << 30)));
    if (r > 0 || (r < 0 && errno != EINTR)) return true; // ready, or an error the next call reports
  }
}

// Appends what has arrived (up to 16 KiB) to `in`: the bytes read, 0 at the end of the
// stream, -1 on an error.
inline long read_some(socket_t fd, std::string &in) {
  const std::size_t old = in.size();
  in.resize(old + 16384);
  const auto n = ::recv(fd, &in[old], 16384, 0);
  in.resize(old + (n > 0 ? std::size_t(n) : 0));
  return long(n);
}

// Sends all of `data` by `deadline`.
inline bool write_all(socket_t fd, std::string_view data, steady_clock::time_point deadline) {
  while (!data.empty()) {
    if (!wait_socket(fd, POLLOUT, deadline)) return false;
    const auto n = ::send(fd, data.data(), data.size(), send_flags);
    if (n > 0) {
      data.remove_prefix(std::size_t(n));
    } else if (n < 0 && errno != EINTR && errno != EAGAIN && errno != EWOULDBLOCK) {
      return false;
    }
  }
  return true;
}

// ---- cpp-httplib compatibility -----------------------------------------------------------
//
// Each accommodation of an older cpp-httplib, keyed on what the version offers (its version
// macro is a string), with the condition for deleting it. Debian 12 ships 0.11.4; vcpkg and
// conan ship current releases (tested: 0.53.1).

// set_url_encode was renamed set_path_encode (0.14). Delete the fallback when the oldest
// supported release has set_path_encode.
template <class C, class = void> struct has_set_path_encode : std::false_type {};
template <class C>
struct has_set_path_encode<C, std::void_t<decltype(std::declval<C &>().set_path_encode(false))>> : std::true_type {};
template <class C> void disable_path_encoding(C &cli) {
  if constexpr (has_set_path_encode<C>::value)
    cli.set_path_encode(false); // targets are percent-encoded already
  else
    cli.set_url_encode(false);
}

// TaskQueue::enqueue returns void before 0.15, bool after (false: the server closes the socket).
// Delete when the oldest supported release returns bool.
using enqueue_result = decltype(std::declval<httplib::TaskQueue &>().enqueue(std::function<void()>()));
template <class R> R enqueue_ok() {
  if constexpr (!std::is_void_v<R>) return true;
}

// Server::wait_until_ready (0.15); 0.11 has not: poll is_running. Delete the fallback when the
// oldest supported release has it.
template <class S, class = void> struct has_wait_until_ready : std::false_type {};
template <class S>
struct has_wait_until_ready<S, std::void_t<decltype(std::declval<const S &>().wait_until_ready())>> : std::true_type {};
template <class S> void wait_until_listening(const S &s) {
  if constexpr (has_wait_until_ready<S>::value) {
    s.wait_until_ready();
  } else {
    for (int i = 0; i < 5000 && !s.is_running(); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
}

#ifdef CPPHTTPLIB_HEADER_MAX_COUNT
// cpp-httplib bounds response heads itself: CPPHTTPLIB_HEADER_MAX_COUNT fields of at most
// CPPHTTPLIB_HEADER_MAX_LENGTH bytes.
inline constexpr std::size_t max_response_head_bytes =
    std::size_t(CPPHTTPLIB_HEADER_MAX_COUNT + 2) * CPPHTTPLIB_HEADER_MAX_LENGTH;
using http_client = httplib::ClientImpl;
#else
// cpp-httplib 0.11 reads a response head without any bound, so a server could make the client
// hold gigabytes of header lines. Plain-http connections are read here instead, through a
// stream that refuses a head beyond the bound cpp-httplib later adopted (100 fields of 8 KiB);
// https ones are cut only by client_options::call_timeout. Delete this block when the oldest
// supported release defines CPPHTTPLIB_HEADER_MAX_COUNT.
inline constexpr std::size_t max_response_head_bytes = std::size_t(102) * 8192;

class bounded_head_client final : public httplib::ClientImpl {
public:
  using httplib::ClientImpl::ClientImpl;
  // Per call: bytes read before the head ended (`head_done` is set by the transport's response
  // handler), and after it, next to the body bytes the transport received (`delivered`): the
  // difference is framing (chunk-size lines), which 0.11 reads without a bound too.
  std::size_t head_bytes = 0, body_read = 0, delivered = 0, status_line = 0;
  bool head_done = false, status_line_done = false;
  const char *refused = nullptr; // why the stream refused to read on
  std::chrono::milliseconds read_timeout{300000}, write_timeout{300000};

  void begin_call() {
    head_bytes = body_read = delivered = status_line = 0;
    head_done = status_line_done = false;
    refused = nullptr;
  }

private:
  class stream final : public httplib::Stream {
  public:
    stream(socket_t s, bounded_head_client &c) : s_(s), c_(c) {}
    bool is_readable() const override { return wait_socket(s_, POLLIN, steady_clock::now() + c_.read_timeout); }
    bool is_writable() const override { return wait_socket(s_, POLLOUT, steady_clock::now() + c_.write_timeout); }
    ssize_t read(char *p, size_t n) override {
      if (at_ == size_) { // cpp-httplib reads heads a byte at a time: buffer like its own stream
        if (!c_.head_done && c_.head_bytes >= max_response_head_bytes) c_.refused = "response head larger than 816 KiB";
        if (c_.head_done && c_.body_read > c_.delivered + (std::size_t(1) << 20))
          c_.refused = "more than 1 MiB of chunked framing in the response body";
        if (c_.refused || !is_readable()) return -1;
        const auto got = ::recv(s_, buf_, sizeof(buf_), 0);
        if (got <= 0) return got;
        if (!c_.status_line_done) { // 0.11 parses the status line with a regex that recurses per byte
          const void *lf = std::memchr(buf_, '\n', std::size_t(got));
          c_.status_line += lf ? std::size_t(static_cast<const char *>(lf) - buf_) : std::size_t(got);
          c_.status_line_done = lf != nullptr;
          if (c_.status_line > 1024) {
            c_.refused = "status line longer than 1024 bytes";
            return -1;
          }
        }
        (c_.head_done ? c_.body_read : c_.head_bytes) += std::size_t(got);
        at_ = 0;
        size_ = std::size_t(got);
      }
      const std::size_t k = std::min(n, size_ - at_);
      std::memcpy(p, buf_ + at_, k);
      at_ += k;
      return ssize_t(k);
    }
    ssize_t write(const char *p, size_t n) override { return is_writable() ? ::send(s_, p, n, send_flags) : -1; }
    void get_remote_ip_and_port(std::string &ip, int &port) const override { ip.clear(), port = 0; }
    void get_local_ip_and_port(std::string &ip, int &port) const override { ip.clear(), port = 0; }
    socket_t socket() const override { return s_; }

  private:
    socket_t s_;
    bounded_head_client &c_;
    char buf_[4096];
    std::size_t at_ = 0, size_ = 0;
  };

  bool process_socket(const Socket &socket, std::function<bool(httplib::Stream &)> callback) override {
    stream s(socket.sock, *this);
    return callback(s);
  }
};
using http_client = bounded_head_client;
#endif
} // namespace detail

// ---- the client transport ----------------------------------------------------------------

namespace detail {
// Stops the clients whose call passed its deadline: ClientImpl::stop() shuts down the socket of
// a request in flight, which then fails at once, on every version. (ClientImpl::set_max_timeout,
// 0.18 on, bounds each wait but not a server that trickles a byte at a time.) The connect is
// bounded apart: its timeout is cut to the time left.
class client_watchdog {
public:
  /// One watched call; forget() it when the call returns.
  struct call {
    std::mutex m; // held while stopping the client, so that forget() waits for that to end
    httplib::ClientImpl *client;
    steady_clock::time_point deadline;
    std::atomic<bool> over{false};
    call(httplib::ClientImpl *c, steady_clock::time_point d) : client(c), deadline(d) {}
  };

  ~client_watchdog() {
    {
      std::lock_guard<std::mutex> lock(m_);
      stopping_ = true;
    }
    cv_.notify_one();
    if (thread_.joinable()) thread_.join();
  }
  std::shared_ptr<call> watch(httplib::ClientImpl *c, steady_clock::time_point deadline) {
    auto w = std::make_shared<call>(c, deadline);
    std::lock_guard<std::mutex> lock(m_);
    calls_.push_back(w);
    if (!thread_.joinable()) thread_ = std::thread([this] { loop(); });
    cv_.notify_one();
    return w;
  }
  /// After this, the client is never stopped for this call.
  static void forget(call &w) {
    std::lock_guard<std::mutex> lock(w.m);
    w.over = true;
  }

private:
  void loop() {
    std::vector<std::shared_ptr<call>> due;
    std::unique_lock<std::mutex> lock(m_);
    while (!stopping_) {
      const auto now = steady_clock::now();
      auto next = steady_clock::time_point::max();
      due.clear();
      calls_.erase(std::remove_if(calls_.begin(), calls_.end(),
                                  [&](const std::shared_ptr<call> &w) {
                                    if (w->over) return true;
                                    if (w->deadline > now) {
                                      next = std::min(next, w->deadline);
                                      return false;
                                    }
                                    due.push_back(w);
                                    return true;
                                  }),
                   calls_.end());
      if (!due.empty()) { // stopping a client may wait for its connect: not with m_ held
        lock.unlock();
        for (auto &w : due) {
          std::lock_guard<std::mutex> stopping(w->m);
          if (!w->over) w->client->stop();
        }
        lock.lock();
        continue;
      }
      if (next == steady_clock::time_point::max())
        cv_.wait(lock);
      else
        cv_.wait_until(lock, next);
    }
  }
  std::mutex m_;
  std::condition_variable cv_;
  std::vector<std::shared_ptr<call>> calls_;
  bool stopping_ = false;
  std::thread thread_;
};

} // namespace detail

/// The default ClientTransport: cpp-httplib with keep-alive, TCP_NODELAY and the timeouts of
/// `client_options`, response heads bounded, and `http_request::deadline` honoured. Keeps a
/// small pool of connections so that calls from several threads (a stream in one, a cancel in
/// another) do not wait for each other.
class httplib_client_transport {
  using steady_clock = std::chrono::steady_clock;

public:
  httplib_client_transport(const std::string &origin, const client_options &o) : s_(std::make_unique<shared>()) {
    const url_parts u = parse_url(origin);
    s_->origin = origin;
    s_->host = u.host;
    s_->port = u.port;
    s_->https = u.scheme == "https";
    s_->connect_timeout = o.connect_timeout;
    s_->read_timeout = o.read_timeout;
    s_->write_timeout = o.write_timeout;
    s_->verify_tls = o.verify_tls;
    s_->ca_cert_path = o.ca_cert_path;
  }

  http_response send(const http_request &req, const chunk_callback &on_chunk) {
    http_response out;
#ifndef CPPHTTPLIB_OPENSSL_SUPPORT
    if (s_->https) {
      out.failure =
          transport_failure{error_kind::tls, "https needs cpp-httplib built with CPPHTTPLIB_OPENSSL_SUPPORT", false};
      return out;
    }
#endif
    std::unique_ptr<httplib::ClientImpl> cli = acquire();
    httplib::Request hreq;
    hreq.method = req.method;
    hreq.path = req.target;
    for (const auto &h : req.headers) hreq.headers.emplace(h.first, h.second);
    hreq.body = req.body;

    bool stopped = false, head_done = false;
    auto last_read = steady_clock::now();
    hreq.response_handler = [&](const httplib::Response &r) {
      out.status = r.status;
      for (const auto &h : r.headers) detail::add_header(out.headers, h.first, h.second);
      last_read = steady_clock::now();
      head_done = true;
      mark_head_done(*cli);
      return true;
    };
    hreq.content_receiver = [&](const char *data, std::size_t n, std::uint64_t, std::uint64_t) {
      last_read = steady_clock::now();
      count_delivered(*cli, n);
      if (!on_chunk) {
        out.body.append(data, n);
        return true;
      }
      if (on_chunk(out, std::string_view(data, n))) return true;
      stopped = true;
      return false;
    };

    const auto watched = begin_call(*cli, req.deadline);
    httplib::Response hres;
    httplib::Error err = httplib::Error::Success;
    const bool ok = cli->send(hreq, hres, err);
    if (watched) detail::client_watchdog::forget(*watched);
    if (ok) {
      if (out.status == 0) out.status = hres.status;
      release(std::move(cli));
    } else if (!stopped) {
      out.failure =
          failure_of(err, *cli, req.deadline, head_done, steady_clock::now() - last_read >= s_->read_timeout * 9 / 10);
    } // a stopped read drops its connection: the rest of the body is never read
    return out;
  }

private:
  struct shared {
    std::string origin, host;
    int port = 0;
    bool https = false;
    std::chrono::milliseconds connect_timeout, read_timeout, write_timeout;
    bool verify_tls = true;
    std::string ca_cert_path;
    std::mutex m;
    std::vector<std::unique_ptr<httplib::ClientImpl>> idle;
    detail::client_watchdog watchdog;
  };

  std::unique_ptr<httplib::ClientImpl> acquire() {
    {
      std::lock_guard<std::mutex> lock(s_->m);
      if (!s_->idle.empty()) {
        auto c = std::move(s_->idle.back());
        s_->idle.pop_back();
        return c;
      }
    }
    std::unique_ptr<httplib::ClientImpl> c;
#ifdef CPPHTTPLIB_OPENSSL_SUPPORT
    if (s_->https) {
      auto ssl = std::make_unique<httplib::SSLClient>(s_->host, s_->port);
      ssl->enable_server_certificate_verification(s_->verify_tls);
      if (!s_->ca_cert_path.empty()) ssl->set_ca_cert_path(s_->ca_cert_path);
      c = std::move(ssl);
    }
#endif
    if (!c) {
      auto plain = std::make_unique<detail::http_client>(s_->host, s_->port);
#ifndef CPPHTTPLIB_HEADER_MAX_COUNT
      plain->read_timeout = s_->read_timeout;
      plain->write_timeout = s_->write_timeout;
#endif
      c = std::move(plain);
    }
    c->set_keep_alive(true);
    c->set_tcp_nodelay(true);
    c->set_follow_location(false);
    detail::disable_path_encoding(*c);
    c->set_connection_timeout(s_->connect_timeout);
    c->set_read_timeout(s_->read_timeout);
    c->set_write_timeout(s_->write_timeout);
    return c;
  }

  void release(std::unique_ptr<httplib::ClientImpl> c) {
    constexpr std::size_t max_idle = 8;
    std::lock_guard<std::mutex> lock(s_->m);
    if (s_->idle.size() < max_idle) s_->idle.push_back(std::move(c));
  }

  // The deadline of one call: the connect cut to the time left, the rest watched.
  std::shared_ptr<detail::client_watchdog::call> begin_call(httplib::ClientImpl &c,
                                                            const std::optional<steady_clock::time_point> &deadline) {
#ifndef CPPHTTPLIB_HEADER_MAX_COUNT
    if (auto *b = dynamic_cast<detail::bounded_head_client *>(&c)) b->begin_call();
#endif
    if (!deadline) {
      c.set_connection_timeout(s_->connect_timeout);
      return nullptr;
    }
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(*deadline - steady_clock::now());
    c.set_connection_timeout(std::max(std::min(left, s_->connect_timeout), std::chrono::milliseconds(1)));
    return s_->watchdog.watch(&c, *deadline);
  }
  static void mark_head_done(httplib::ClientImpl &c) {
#ifndef CPPHTTPLIB_HEADER_MAX_COUNT
    if (auto *b = dynamic_cast<detail::bounded_head_client *>(&c)) b->head_done = true;
#else
    (void)c;
#endif
  }
  static void count_delivered(httplib::ClientImpl &c, std::size_t n) {
#ifndef CPPHTTPLIB_HEADER_MAX_COUNT
    if (auto *b = dynamic_cast<detail::bounded_head_client *>(&c)) b->delivered += n;
#else
    (void)c, (void)n;
#endif
  }

  transport_failure failure_of(httplib::Error err, httplib::ClientImpl &c,
                               const std::optional<steady_clock::time_point> &deadline, bool head_done,
                               bool quiet) const {
    const std::string where = " (" + s_->origin + ")";
    if (deadline && steady_clock::now() >= *deadline - std::chrono::milliseconds(5))
      return {error_kind::timeout,
              "no complete response before the call's deadline (client_options::call_timeout)" + where, true};
#ifndef CPPHTTPLIB_HEADER_MAX_COUNT
    if (auto *b = dynamic_cast<detail::bounded_head_client *>(&c); b && b->refused)
      return {error_kind::invalid_response, std::string(b->refused) + where, true};
#else
    (void)c;
#endif
    switch (err) {
    case httplib::Error::Connection:
      return {error_kind::connection,
              "could not connect" + where +
                  ": is the server running there? (a local one: tests/e2e/server.sh start DIR prints its URL)",
              false};
    case httplib::Error::BindIPAddress:
      return {error_kind::connection, "could not bind the local address" + where, false};
    case httplib::Error::ConnectionTimeout:
      return {error_kind::timeout,
              "connect timed out after " + std::to_string(s_->connect_timeout.count()) + " ms" + where, false};
    case httplib::Error::SSLConnection:
    case httplib::Error::SSLLoadingCerts:
    case httplib::Error::SSLServerVerification:
      return {error_kind::tls,
              "TLS failure: " + httplib::to_string(err) + where +
                  (err == httplib::Error::SSLConnection && s_->origin.compare(0, 8, "https://") == 0
                       ? ": does the server speak https? A local server usually wants http://"
                       : ""),
              false};
    case httplib::Error::Read:
      if (quiet)
        return {error_kind::timeout,
                "no data for " + std::to_string(s_->read_timeout.count()) + " ms (read timeout)" + where, true};
      if (!head_done)
        return {error_kind::connection,
                "connection closed, or the response head exceeded " + std::to_string(detail::max_response_head_bytes) +
                    " bytes, before the head ended" + where,
                true};
      return {error_kind::connection, "connection closed while reading the response" + where, true};
    case httplib::Error::Write:
      return {error_kind::connection, "connection broke while sending the request" + where, true};
    default: return {error_kind::connection, "HTTP failure: " + httplib::to_string(err) + where, true};
    }
  }

  std::unique_ptr<shared> s_;
};

/// The client most programs use: `lgw::client c("http://127.0.0.1:2024");`
using client = basic_client<httplib_client_transport>;

// ---- the server transport ----------------------------------------------------------------

namespace detail {
inline const char *reason_phrase(int status) {
  switch (status) {
  case 100: return "Continue";
  case 200: return "OK";
  case 400: return "Bad Request";
  case 401: return "Unauthorized";
  case 404: return "Not Found";
  case 405: return "Method Not Allowed";
  case 408: return "Request Timeout";
  case 413: return "Content Too Large";
  case 414: return "URI Too Long";
  case 415: return "Unsupported Media Type";
  case 422: return "Unprocessable Content";
  case 431: return "Request Header Fields Too Large";
  case 500: return "Internal Server Error";
  case 501: return "Not Implemented";
  case 503: return "Service Unavailable";
  case 505: return "HTTP Version Not Supported";
  default: return "Status";
  }
}

// The bytes of an answer: status line, the response's headers, Content-Length, and whether the
// connection stays open.
inline std::string serialize(const http_response &r, bool close, std::chrono::seconds keep_alive) {
  std::string out = "HTTP/1.1 " + std::to_string(r.status) + ' ' + reason_phrase(r.status) + "\r\n";
  for (const auto &h : r.headers) {
    if (iequals(h.first, "Content-Length") || iequals(h.first, "Connection") || iequals(h.first, "Transfer-Encoding"))
      continue;
    out += h.first + ": " + h.second + "\r\n";
  }
  out += "Content-Length: " + std::to_string(r.body.size()) + "\r\n";
  out += close ? std::string("Connection: close\r\n")
               : "Keep-Alive: timeout=" + std::to_string(keep_alive.count()) + "\r\n";
  out += "\r\n";
  out += r.body;
  return out;
}

} // namespace detail

/// Counters of a receiver's connections (httplib_server_transport::connection_stats()).
struct connection_stats {
  std::uint64_t accepted = 0;  ///< connections taken into service
  std::uint64_t evicted = 0;   ///< idle connections, or ones slow to send their head, closed to make room
  std::uint64_t refused = 0;   ///< new connections answered 503 at max_connections
  std::uint64_t dropped = 0;   ///< new connections closed at once (also 1,024 refused ones still closing)
  std::uint64_t timed_out = 0; ///< requests answered 408 (head_timeout, body_timeout, read_timeout)
  std::size_t open = 0;        ///< connections in service now
};

namespace detail {

// Connections after an answer that closes them (a 503 at max_connections, a refusal from the
// head): each is read until the client closes, a second passes or 1 MiB came (closing with
// unread data would reset the connection, and the client could lose the answer). One thread
// for all of them, at most `capacity` at a time; beyond that a connection is closed at once.
class closing_connections {
public:
  static constexpr std::size_t capacity = 1024;

  /// Holds at most `capacity` sockets, fewer when `max` says so (the descriptor limit).
  explicit closing_connections(std::size_t max = capacity) : max_(std::min(max, capacity)) {
    added_.reserve(max_); // add() never allocates: it runs on the accepting thread
  }
  ~closing_connections() { stop(); }

  bool add(socket_t fd) {
    std::lock_guard<std::mutex> lock(m_);
    if (stopping_ || broken_ || added_.size() + count_ >= max_) return false;
    if (!thread_.joinable()) {
      try {
        thread_ = std::thread([this] { loop(); });
      } catch (const std::exception &) { // no thread to be had (a tasks limit): close at once
        return false;
      }
    }
    added_.push_back(closing{fd, steady_clock::now() + std::chrono::seconds(1), 0});
    cv_.notify_one();
    return true;
  }
  void stop() {
    {
      std::lock_guard<std::mutex> lock(m_);
      stopping_ = true;
    }
    cv_.notify_one();
    if (thread_.joinable()) thread_.join();
  }

private:
  struct closing {
    socket_t fd;
    steady_clock::time_point deadline;
    std::size_t read;
  };
  // Any failure (memory) closes what it holds and makes add() refuse from then on.
  void loop() {
    std::vector<closing> open;
    try {
      hold(open);
    } catch (...) {
      std::lock_guard<std::mutex> lock(m_);
      broken_ = true;
      for (const auto &c : added_) close_socket(c.fd);
      added_.clear();
    }
    for (const auto &c : open) close_socket(c.fd);
    std::lock_guard<std::mutex> lock(m_);
    count_ = 0;
  }
  void hold(std::vector<closing> &open) {
    open.reserve(max_);
    std::vector<pollfd> polls;
    polls.reserve(max_);
    std::string scratch;
    for (;;) {
      {
        std::unique_lock<std::mutex> lock(m_);
        cv_.wait(lock, [&] { return stopping_ || !added_.empty() || !open.empty(); });
        open.insert(open.end(), added_.begin(), added_.end());
        added_.clear();
        count_ = open.size();
        if (stopping_) break;
      }
      polls.clear();
      for (const auto &c : open) {
        pollfd p{};
        p.fd = c.fd;
        p.events = POLLIN;
        polls.push_back(p);
      }
      poll_sockets(polls.data(), polls.size(), 20);
      const auto now = steady_clock::now();
      std::size_t kept = 0;
      for (std::size_t i = 0; i < open.size(); ++i) {
        bool done = now >= open[i].deadline || open[i].read > (std::size_t(1) << 20);
        if (!done && polls[i].revents != 0) {
          scratch.clear();
          const long n = read_some(open[i].fd, scratch);
          done = n <= 0;
          open[i].read += n > 0 ? std::size_t(n) : 0;
        }
        if (done) {
          close_socket(open[i].fd);
        } else {
          open[kept++] = open[i];
        }
      }
      open.resize(kept);
    }
  }

  const std::size_t max_;
  std::mutex m_;
  std::condition_variable cv_;
  std::vector<closing> added_;
  std::size_t count_ = 0; // sockets the thread holds
  bool stopping_ = false;
  bool broken_ = false; // the thread failed: nothing more is taken
  std::thread thread_;
};

// The connections of a running httplib_server_transport and everything they share: options,
// handler, the byte budget for bodies, and the bookkeeping that lets a new connection close an
// idle one and stop() close all but those delivering.
class receiver_connections {
public:
  enum class mode { serve, refuse, drop };

  receiver_connections(const webhook_server_options &o, server_handler h, std::size_t closing_max)
      : o_(o), handler_(std::move(h)), closing_(closing_max) {}

  // Decides, on the accepting thread, what a new connection gets: a thread of its own (when
  // all max_connections are taken, after closing the idle connection, or the one slow to send
  // its head, that waited longest), else a 503 (refuse), else nothing (drop, while stopping).
  mode admit() {
    std::lock_guard<std::mutex> lock(m_);
    if (stopping_) return mode::drop;
    if (serving_ < o_.max_connections || evict_one()) {
      ++serving_;
      ++stats_.accepted;
      return mode::serve;
    }
    return mode::refuse;
  }
  // Undoes admit() for a connection that got no thread after all: it is then refused instead.
  void unadmit() {
    std::lock_guard<std::mutex> lock(m_);
    --serving_;
    --stats_.accepted;
  }

  // Serves one connection on this thread and closes it; or answers 503 at once and leaves it
  // to `closing_` (refuse); or closes it (drop).
  void run(socket_t fd, mode m) {
    if (m == mode::serve) {
      int one = 1;
      ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, reinterpret_cast<const char *>(&one), sizeof(one));
      serve(fd);
      std::lock_guard<std::mutex> lock(m_);
      --serving_;
      return;
    }
    if (m == mode::refuse) {
      static const std::string answer =
          serialize(reply(503, "too many connections: try again", {{"Retry-After", "1"}}), true, {});
      // a new connection's send buffer is empty: the answer fits at once, nothing blocks
      if (::send(fd, answer.data(), answer.size(), send_flags | MSG_DONTWAIT) == long(answer.size()) &&
          hand_to_closing(fd)) {
        std::lock_guard<std::mutex> lock(m_);
        ++stats_.refused;
        return;
      }
    }
    close_socket(fd);
    std::lock_guard<std::mutex> lock(m_);
    ++stats_.dropped;
  }

  // Closes every connection that is not delivering (idle, sending a head or a body) and makes
  // the rest close once answered; new connections are closed at once.
  void stop() {
    {
      std::lock_guard<std::mutex> lock(m_);
      stopping_ = true;
      for (auto &c : open_)
        if (c.at != phase::handling && c.at != phase::writing) shut(c);
    }
    closing_.stop();
  }

  connection_stats stats() const {
    std::lock_guard<std::mutex> lock(m_);
    connection_stats s = stats_;
    s.open = open_.size();
    return s;
  }

private:
  enum class phase { head, idle, body, handling, writing };
  struct connection {
    socket_t fd;
    phase at;
    steady_clock::time_point since; // when it entered `at`
    bool shut = false;              // evicted or stopped: its socket is shut down
  };
  using handle = std::list<connection>::iterator;

  void shut(connection &c) { // with m_ held
    c.shut = true;
    ::shutdown(c.fd, shut_both);
  }
  // Closes the connection that has been idle longest, else the one that has been sending its
  // head longest, if that is longer than a second (or head_timeout): a real sender sends its
  // head at once, so a burst of new deliveries does not evict itself. With m_ held.
  bool evict_one() {
    const auto stale = steady_clock::now() - std::min<steady_clock::duration>(o_.head_timeout, std::chrono::seconds(1));
    connection *idle = nullptr, *slow = nullptr;
    for (auto &c : open_) {
      if (c.shut) continue;
      if (c.at == phase::idle && (!idle || c.since < idle->since)) idle = &c;
      if (c.at == phase::head && c.since <= stale && (!slow || c.since < slow->since)) slow = &c;
    }
    connection *victim = idle ? idle : slow;
    if (!victim) return false;
    shut(*victim);
    ++stats_.evicted;
    return true;
  }
  // Moves `c` to phase `p`; false when the connection was shut and must end.
  bool enter(handle c, phase p) {
    std::lock_guard<std::mutex> lock(m_);
    if (!c->shut && stopping_ && p != phase::handling && p != phase::writing) shut(*c);
    c->at = p;
    c->since = steady_clock::now();
    return !c->shut;
  }
  bool reserve(std::size_t n) {
    std::lock_guard<std::mutex> lock(m_);
    if (n > o_.max_body_bytes_total - std::min(o_.max_body_bytes_total, body_bytes_)) return false;
    body_bytes_ += n;
    return true;
  }
  void release(std::size_t n) {
    std::lock_guard<std::mutex> lock(m_);
    body_bytes_ -= n;
  }
  bool stopping() {
    std::lock_guard<std::mutex> lock(m_);
    return stopping_;
  }
  void count_timeout() {
    std::lock_guard<std::mutex> lock(m_);
    ++stats_.timed_out;
  }

  // After an answer that closes the connection: stop sending and let closing_ read what the
  // client still sends for a moment (closing with unread data would reset the connection, and
  // the client could lose the answer); false when that is not possible (the socket is open).
  bool hand_to_closing(socket_t fd) {
    if (stopping()) return false;
    ::shutdown(fd, shut_write);
    return closing_.add(fd);
  }

  // Serves requests on one connection until it closes.
  void serve(socket_t fd) {
    handle c;
    {
      std::lock_guard<std::mutex> lock(m_);
      c = open_.insert(open_.end(), connection{fd, phase::head, steady_clock::now()});
      if (stopping_) shut(*c); // admitted just before stop(): it ends at once
    }
    bool answered_close = false;
    try {
      answered_close = serve_requests(fd, c);
    } catch (...) { // out of memory while reading: this connection ends, the others go on
    }
    {
      std::lock_guard<std::mutex> lock(m_);
      answered_close = answered_close && !c->shut;
      open_.erase(c); // nobody shuts this socket down once it is out of open_
    }
    if (!answered_close || !hand_to_closing(fd)) close_socket(fd);
  }

  // One connection's requests, read and answered in turn. Each step returns nullopt to go on,
  // else how the connection ends: true after an answer that closes it, false without one.
  class session {
  public:
    using end = std::optional<bool>;
    session(receiver_connections &rc, socket_t fd, handle c) : rc_(rc), o_(rc.o_), fd_(fd), c_(c) {}
    session(const session &) = delete;
    session &operator=(const session &) = delete;
    ~session() { rc_.release(reserved_); }

    // The next request's head; a kept-alive connection first waits keep_alive_timeout for it.
    end read_head(std::size_t served) {
      if (served > 0) {
        if (!rc_.enter(c_, phase::idle)) return false;
        if (in_.empty() &&
            (!wait_socket(fd_, POLLIN, steady_clock::now() + o_.keep_alive_timeout) || read_some(fd_, in_) <= 0))
          return false;
        if (!rc_.enter(c_, phase::head)) return false;
      }
      const auto head_deadline = steady_clock::now() + o_.head_timeout;
      request_head_reader reader(o_.max_head_bytes, o_.max_header_count);
      for (;;) {
        const auto st = reader.feed(in_, req_);
        if (st == request_head_reader::state::complete) break;
        if (st == request_head_reader::state::refused) return refuse(reader.refusal());
        if (!wait_socket(fd_, POLLIN, std::min(head_deadline, steady_clock::now() + o_.read_timeout)))
          return in_.empty() ? end(false) : refuse({408, "the request head took too long"});
        if (read_some(fd_, in_) <= 0) return false;
      }
      in_.erase(0, reader.size());
      minor_ = reader.minor_version();
      return std::nullopt;
    }

    // The framing and the receiver's judgement of the head, before any of the body is read;
    // then the body's bytes from the budget, and the 100 Continue the client may wait for.
    end judge(body_framing &framing) {
      framing = framing_of(req_, minor_);
      if (framing.refusal) return refuse(framing.refusal);
      std::optional<http_response> refused;
      try {
        refused = rc_.handler_.check_head(req_);
      } catch (...) {
        refused = reply(500, "the receiver failed to judge the request");
      }
      if (refused) return answer(*refused, true);
      if (!framing.chunked && framing.length > o_.max_body_bytes)
        return refuse({413, "body larger than " + std::to_string(o_.max_body_bytes) + " bytes"});
      if (!framing.chunked && !reserve(std::size_t(framing.length))) return too_many_bytes();
      if (!rc_.enter(c_, phase::body)) return false;
      if (minor_ == 1 && iequals(req_.header("Expect"), "100-continue") &&
          !write_all(fd_, "HTTP/1.1 100 Continue\r\n\r\n", steady_clock::now() + o_.write_timeout))
        return false;
      body_deadline_ = steady_clock::now() + o_.body_timeout;
      return std::nullopt;
    }

    end read_sized_body(std::size_t length) {
      const std::size_t from_buffer = std::min(length, in_.size());
      req_.body.assign(in_, 0, from_buffer);
      in_.erase(0, from_buffer);
      req_.body.reserve(length);
      while (req_.body.size() < length) {
        const long n = more(req_.body, std::min<std::size_t>(length - req_.body.size(), std::size_t(1) << 20));
        if (n <= 0) return n < 0 ? refuse({408, "the request body took too long"}) : end(false);
      }
      return std::nullopt;
    }

    end read_chunked_body() {
      chunked_decoder decoder(o_.max_body_bytes, o_.max_head_bytes);
      for (;;) {
        const std::size_t before = req_.body.size();
        in_.erase(0, decoder.feed(in_, req_.body));
        if (!reserve(req_.body.size() - before)) return too_many_bytes();
        if (decoder.refusal()) return refuse(decoder.refusal());
        if (decoder.done()) return std::nullopt;
        const long n = more(in_, 16384);
        if (n <= 0) return n < 0 ? refuse({408, "the request body took too long"}) : end(false);
      }
    }

    // The request to the receiver, and its answer; nullopt when the connection stays open.
    end deliver(std::size_t served) {
      if (!rc_.enter(c_, phase::handling)) return false;
      const bool close = wants_close(req_, minor_) || served + 1 >= o_.keep_alive_max_requests;
      http_response res;
      try {
        res = rc_.handler_.handle(std::move(req_));
      } catch (...) {
        res = reply(500, "the receiver failed to handle the request");
      }
      req_ = http_request();
      rc_.release(reserved_); // handled: the bytes are the event's now (recent_bytes bounds those)
      reserved_ = 0;
      const bool closing = close || rc_.stopping();
      if (auto e = answer(res, closing)) return e;
      return closing ? end(true) : std::nullopt;
    }

  private:
    // Writes an answer; nullopt when the connection stays open, false when writing failed.
    end answer(const http_response &r, bool close) {
      if (!rc_.enter(c_, phase::writing) && !close) return false;
      if (!write_all(fd_, serialize(r, close, o_.keep_alive_timeout), steady_clock::now() + o_.write_timeout))
        return false;
      return close ? end(true) : std::nullopt;
    }
    end refuse(const http_refusal &r) {
      if (r.status == 408) rc_.count_timeout();
      return answer(reply(r.status, r.reason), true);
    }
    end too_many_bytes() {
      return answer(reply(503, "too many payload bytes in flight", {{"Retry-After", "1"}}), true);
    }
    bool reserve(std::size_t n) {
      if (!rc_.reserve(n)) return false;
      reserved_ += n;
      return true;
    }
    // Reads up to `at_most` more bytes of the body into `into`: the bytes read, 0 when the
    // connection closed, -1 when body_timeout (or read_timeout of silence) passed.
    long more(std::string &into, std::size_t at_most) {
      if (!wait_socket(fd_, POLLIN, std::min(body_deadline_, steady_clock::now() + o_.read_timeout))) return -1;
      const std::size_t old = into.size();
      into.resize(old + at_most);
      const auto n = ::recv(fd_, &into[old], at_most, 0);
      into.resize(old + (n > 0 ? std::size_t(n) : 0));
      return n > 0 ? long(n) : 0;
    }

    receiver_connections &rc_;
    const webhook_server_options &o_;
    const socket_t fd_;
    const handle c_;
    std::string in_; // received and not yet used: a head, a body, pipelined requests
    http_request req_;
    int minor_ = 1;
    std::size_t reserved_ = 0; // of the body budget, for this request
    steady_clock::time_point body_deadline_;
  };

  // The requests of one connection; true when it ended with an answer that closes it.
  bool serve_requests(socket_t fd, handle c) {
    session s(*this, fd, c);
    for (std::size_t served = 0;; ++served) {
      body_framing framing;
      if (auto end = s.read_head(served)) return *end;
      if (auto end = s.judge(framing)) return *end;
      if (auto end = framing.chunked ? s.read_chunked_body() : s.read_sized_body(std::size_t(framing.length)))
        return *end;
      if (auto end = s.deliver(served)) return *end;
    }
  }

  const webhook_server_options o_;
  const server_handler handler_;
  mutable std::mutex m_;
  std::list<connection> open_; // connections in service, each owned by its thread
  bool stopping_ = false;
  std::size_t serving_ = 0;    // admitted connections, queued or running
  std::size_t body_bytes_ = 0; // reserved for bodies being read or handled
  connection_stats stats_;
  closing_connections closing_;
};

// The mode of the connection a pool thread is about to run (see receiver_connections::admit).
inline receiver_connections::mode &current_connection_mode() {
  thread_local receiver_connections::mode m = receiver_connections::mode::serve;
  return m;
}

// cpp-httplib's accept loop hands each accepted socket to this queue. Every admitted
// connection runs on its own thread at once (threads are made when none is idle, and kept),
// so a new delivery never waits behind other connections; one that cannot be admitted is
// closed right here, on the accepting thread.
class connection_pool final : public httplib::TaskQueue {
public:
  // Admitted connections are at most max_connections plus those evicted and still ending (they
  // end at once): a few threads more than max_connections serve them all.
  connection_pool(std::shared_ptr<receiver_connections> connections, std::size_t max_connections)
      : connections_(std::move(connections)), max_threads_(max_connections + 8) {
    threads_.reserve(max_threads_); // making a thread then fails only for want of a thread
  }
  ~connection_pool() override { shutdown(); }

  enqueue_result enqueue(std::function<void()> fn) override {
    auto mode = connections_->admit();
    if (mode == receiver_connections::mode::serve && !queued(fn)) {
      connections_->unadmit(); // no thread to be had (a tasks limit): refused like a full house
      mode = receiver_connections::mode::refuse;
    }
    if (mode != receiver_connections::mode::serve) {
      current_connection_mode() = mode;
      fn(); // answers 503 or closes, without waiting
      current_connection_mode() = receiver_connections::mode::serve;
      return enqueue_ok<enqueue_result>();
    }
    cv_.notify_one();
    return enqueue_ok<enqueue_result>();
  }
  void shutdown() override {
    {
      std::lock_guard<std::mutex> lock(m_);
      if (stopping_) return;
      stopping_ = true;
    }
    cv_.notify_all();
    for (auto &t : threads_)
      t.join(); // threads_ no longer changes: enqueue comes from the
                // accept loop, which has ended when shutdown is called
  }

private:
  struct job {
    std::function<void()> fn;
    receiver_connections::mode mode;
  };
  // Queues an admitted connection, making a thread for it when none is idle; false (and `fn`
  // kept) when that thread cannot be made: the system refuses threads before max_connections
  // when a tasks limit is lower (ulimit -u, a container's pids limit, systemd's TasksMax).
  bool queued(std::function<void()> &fn) {
    std::lock_guard<std::mutex> lock(m_);
    jobs_.push_back(job{std::move(fn), receiver_connections::mode::serve});
    // idle_ still counts a thread that was woken but has not taken its job yet: compare
    // with the jobs waiting, or a connection arriving in that moment would wait
    if (jobs_.size() <= idle_ || threads_.size() >= max_threads_) return true;
    try {
      threads_.emplace_back([this] { work(); });
      return true;
    } catch (const std::exception &) { // std::system_error, or no memory for its state
      fn = std::move(jobs_.back().fn);
      jobs_.pop_back();
      return false;
    }
  }
  void work() {
    std::unique_lock<std::mutex> lock(m_);
    for (;;) {
      ++idle_;
      cv_.wait(lock, [&] { return stopping_ || !jobs_.empty(); });
      --idle_;
      if (jobs_.empty()) return; // stopping, and nothing left to serve
      job j = std::move(jobs_.front());
      jobs_.pop_front();
      lock.unlock();
      current_connection_mode() = j.mode;
      j.fn();
      lock.lock();
    }
  }

  const std::shared_ptr<receiver_connections> connections_;
  const std::size_t max_threads_;
  std::mutex m_;
  std::condition_variable cv_;
  std::deque<job> jobs_;
  std::vector<std::thread> threads_;
  std::size_t idle_ = 0;
  bool stopping_ = false;
};

// cpp-httplib listens, accepts and runs the connection threads; every accepted socket is then
// served here, with the receiver's limits, instead of by httplib's request parser: on every
// version alike, a head is judged before any body byte is read (the path, method and secret
// included), each limit holds for the bytes actually read, and each connection is known, so
// that a new one can close an idle one and stop() can close exactly its own.
class receiver_http_server final : public httplib::Server {
public:
  receiver_http_server(std::shared_ptr<receiver_connections> connections, std::size_t max_connections)
      : connections_(std::move(connections)) {
    new_task_queue = [c = connections_, max_connections] { return new connection_pool(c, max_connections); };
  }

private:
  bool process_and_close_socket(socket_t sock) override {
    connections_->run(sock, current_connection_mode());
    return true;
  }
  std::shared_ptr<receiver_connections> connections_;
};
} // namespace detail

/// The default ServerTransport: cpp-httplib listens and accepts on its own thread (listen
/// backlog raised to `listen_backlog`, SO_REUSEADDR), and each connection is served on its own
/// thread by the library's HTTP/1.1 reader with every limit of webhook_server_options (see
/// README.md, "Security").
class httplib_server_transport {
public:
  httplib_server_transport() = default;
  ~httplib_server_transport() { stop(); }

  int start(const webhook_server_options &o, server_handler handler) {
    std::lock_guard<std::mutex> lock(m_);
    stop_locked();
    connections_ = std::make_shared<detail::receiver_connections>(o, std::move(handler), closing_max(o));
    server_ = std::make_unique<detail::receiver_http_server>(connections_, o.max_connections);
    httplib::Server &s = *server_;
    int listen_socket = -1;
    s.set_socket_options([&listen_socket](socket_t sock) {
      int yes = 1; // SO_REUSEADDR, not httplib's SO_REUSEPORT: a second receiver on the same
                   // port must fail, not silently share the deliveries
      ::setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, reinterpret_cast<const char *>(&yes), sizeof(yes));
      listen_socket = static_cast<int>(sock);
    });
    const int port = o.port == 0 ? s.bind_to_any_port(o.host) : (s.bind_to_port(o.host, o.port) ? o.port : -1);
    if (port <= 0) {
      server_.reset();
      connections_.reset();
      throw error(error_kind::connection, {}, 0,
                  "cannot listen on " + o.host + ':' + std::to_string(o.port) +
                      " (in use, or not an address of this host)");
    }
    if (listen_socket >= 0) ::listen(listen_socket, o.listen_backlog);
    thread_ = std::thread([&s] { s.listen_after_bind(); });
    detail::wait_until_listening(s);
    return port;
  }

  /// Closes the connections that are not delivering, stops accepting, and returns once the
  /// deliveries in progress are answered.
  void stop() {
    std::lock_guard<std::mutex> lock(m_);
    stop_locked();
  }

  /// Counters of the connections since the last start() (zero before it).
  webhooks::connection_stats connection_stats() const {
    std::lock_guard<std::mutex> lock(m_);
    return connections_ ? connections_->stats() : webhooks::connection_stats{};
  }

private:
  void stop_locked() {
    if (!server_) return;
    connections_->stop();
    server_->stop(); // the accept loop ends and joins the connection threads
    if (thread_.joinable()) thread_.join();
    server_.reset();
  }

  // How many refused connections may wait to close: within the process's descriptor limit,
  // beside max_connections and a reserve for the program. Throws when even max_connections do
  // not fit.
  static std::size_t closing_max(const webhook_server_options &o) {
#ifndef _WIN32
    rlimit rl{};
    if (::getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY) {
      const std::size_t limit = std::size_t(rl.rlim_cur), reserve = 64;
      if (o.max_connections + reserve > limit)
        throw detail::bad_argument("webhook_server::start",
                                   "webhook_server_options: max_connections (" + std::to_string(o.max_connections) +
                                       ") does not fit this process's descriptor limit (" + std::to_string(limit) +
                                       ", ulimit -n) with " + std::to_string(reserve) + " to spare");
      return (limit - o.max_connections - reserve) / 2;
    }
#endif
    (void)o;
    return detail::closing_connections::capacity;
  }

  mutable std::mutex m_; // start/stop against connection_stats()
  std::shared_ptr<detail::receiver_connections> connections_;
  std::unique_ptr<detail::receiver_http_server> server_;
  std::thread thread_;
};

/// The webhook receiver most programs use: `lgw::webhook_server hooks; hooks.start();`
using webhook_server = basic_webhook_server<httplib_server_transport>;

// ==== separate compilation ====
//
// Header-only by default: every translation unit that calls the client compiles it. A program
// with many such units can compile `client` and `webhook_server` once instead, the way
// Boost.Asio's separate compilation works: define LANGGRAPH_WEBHOOKS_SEPARATE_COMPILATION for
// every unit (the build system's job), and in exactly one .cpp also define
// LANGGRAPH_WEBHOOKS_IMPLEMENTATION before including this header. The other units then only
// declare these instantiations (extern template) and link to that one. Streaming calls
// (stream, join_stream) take the caller's callback type, so they still compile where used.

#if defined(LANGGRAPH_WEBHOOKS_SEPARATE_COMPILATION) || defined(LANGGRAPH_WEBHOOKS_IMPLEMENTATION)
#ifdef LANGGRAPH_WEBHOOKS_IMPLEMENTATION
#define LANGGRAPH_WEBHOOKS_DETAIL_INSTANTIATION template
#else
#define LANGGRAPH_WEBHOOKS_DETAIL_INSTANTIATION extern template
#endif
// send<R> for each request sent with send(); those sent with stream() take the caller's callback.
#define LANGGRAPH_WEBHOOKS_DETAIL_INSTANTIATE_send(R)                                                                  \
  LANGGRAPH_WEBHOOKS_DETAIL_INSTANTIATION R::response_type basic_client<httplib_client_transport>::send<R>(            \
      const R &, bool, const run_created_handler &);
#define LANGGRAPH_WEBHOOKS_DETAIL_INSTANTIATE_stream(R)
#define LANGGRAPH_WEBHOOKS_DETAIL_INSTANTIATE(R, how) LANGGRAPH_WEBHOOKS_DETAIL_INSTANTIATE_##how(R)

LANGGRAPH_WEBHOOKS_DETAIL_INSTANTIATION class basic_client<httplib_client_transport>;
LANGGRAPH_WEBHOOKS_REQUESTS(LANGGRAPH_WEBHOOKS_DETAIL_INSTANTIATE)
LANGGRAPH_WEBHOOKS_DETAIL_INSTANTIATION class basic_webhook_server<httplib_server_transport>;

#undef LANGGRAPH_WEBHOOKS_DETAIL_INSTANTIATE
#undef LANGGRAPH_WEBHOOKS_DETAIL_INSTANTIATE_stream
#undef LANGGRAPH_WEBHOOKS_DETAIL_INSTANTIATE_send
#undef LANGGRAPH_WEBHOOKS_DETAIL_INSTANTIATION
#endif

#endif // LANGGRAPH_WEBHOOKS_NO_HTTPLIB

} // namespace webhooks
} // namespace langgraph

#endif // LANGGRAPH_WEBHOOKS_HPP
