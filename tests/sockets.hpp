// Loopback sockets for the tests that do what an HTTP client library will not: raw bytes,
// slow or endless heads and bodies, many idle connections. Linux only.
#ifndef LANGGRAPH_WEBHOOKS_TEST_SOCKETS_HPP
#define LANGGRAPH_WEBHOOKS_TEST_SOCKETS_HPP

#include <doctest/doctest.h>

#include <arpa/inet.h>
#include <dirent.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

namespace test {

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
constexpr int slowdown = 10; // instrumented builds run several times slower
#else
constexpr int slowdown = 1;
#endif
#if defined(__SANITIZE_THREAD__)
constexpr long memory_factor = 6; // ThreadSanitizer's shadow memory grows with every byte touched
#else
constexpr long memory_factor = 1;
#endif

// The address 127.0.0.1:port (0: any free port, for bind).
inline sockaddr_in loopback_address(int port) {
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(static_cast<std::uint16_t>(port));
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  return a;
}

// A TCP listener on 127.0.0.1 at a free port, with `backlog`: its descriptor; its port in `port`.
inline int loopback_listener(int backlog, int &port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a = loopback_address(0);
  REQUIRE(::bind(fd, reinterpret_cast<sockaddr *>(&a), sizeof(a)) == 0);
  REQUIRE(::listen(fd, backlog) == 0);
  socklen_t n = sizeof(a);
  ::getsockname(fd, reinterpret_cast<sockaddr *>(&a), &n);
  port = ntohs(a.sin_port);
  return fd;
}

// A TCP connection to 127.0.0.1:port.
class raw_socket {
public:
  explicit raw_socket(int port) : fd_(::socket(AF_INET, SOCK_STREAM, 0)) {
    const sockaddr_in a = loopback_address(port);
    REQUIRE(::connect(fd_, reinterpret_cast<const sockaddr *>(&a), sizeof(a)) == 0);
  }
  raw_socket(const raw_socket &) = delete;
  raw_socket &operator=(const raw_socket &) = delete;
  ~raw_socket() { ::close(fd_); }
  int fd() const { return fd_; }

  void send(const std::string &s) { REQUIRE(send_some(s)); }
  // Sends all of `s`; false when the connection broke (the server closed it).
  bool send_some(const std::string &s) {
    std::size_t off = 0;
    while (off < s.size()) {
      const ssize_t n = ::send(fd_, s.data() + off, s.size() - off, MSG_NOSIGNAL);
      if (n <= 0) return false;
      off += std::size_t(n);
    }
    return true;
  }
  // Everything the server sends until it closes or `timeout` passes; stops after the first
  // head unless `closed` is given (then it reads until the close and reports it).
  std::string read_all(std::chrono::milliseconds timeout, bool *closed = nullptr) {
    std::string out;
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
      const auto left =
          std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
      if (left.count() <= 0) break;
      pollfd p{fd_, POLLIN, 0};
      if (::poll(&p, 1, int(left.count())) <= 0) break;
      char buf[65536];
      const ssize_t n = ::recv(fd_, buf, sizeof(buf), 0);
      if (n <= 0) {
        if (closed) *closed = true;
        break;
      }
      out.append(buf, std::size_t(n));
      if (!closed && out.find("\r\n\r\n") != std::string::npos && complete(out)) break;
    }
    return out;
  }
  // Whether the server has closed the connection (reads and drops what is pending).
  bool closed_within(std::chrono::milliseconds timeout) {
    bool closed = false;
    read_all(timeout, &closed);
    return closed;
  }

private:
  // A head plus as much body as its Content-Length says.
  static bool complete(const std::string &s) {
    const auto end = s.find("\r\n\r\n");
    const auto cl = s.find("Content-Length: ");
    if (cl == std::string::npos || cl > end) return true;
    return s.size() >= end + 4 + std::strtoul(s.c_str() + cl + 16, nullptr, 10);
  }
  int fd_;
};

// A TCP connection to 127.0.0.1:port without assertions (for other threads): the descriptor,
// or -1 when the connect failed.
inline int try_connect(int port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  const sockaddr_in a = loopback_address(port);
  if (fd >= 0 && ::connect(fd, reinterpret_cast<const sockaddr *>(&a), sizeof(a)) == 0) return fd;
  if (fd >= 0) ::close(fd);
  return -1;
}

// The status codes of the responses in `stream`, in order.
inline std::vector<int> statuses(const std::string &stream) {
  std::vector<int> out;
  for (std::size_t at = stream.find("HTTP/1.1 "); at != std::string::npos; at = stream.find("HTTP/1.1 ", at + 1))
    out.push_back(std::atoi(stream.c_str() + at + 9));
  return out;
}

// A POST head (and body) as LangGraph's JS server sends it.
inline std::string post(const std::string &target, const std::string &body, const std::string &extra = {}) {
  return "POST " + target + " HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain;charset=UTF-8\r\nContent-Length: " +
         std::to_string(body.size()) + "\r\n" + extra + "\r\n" + body;
}

// This process's resident memory in KiB now, and its peak since reset_peak_rss().
inline long status_kib(const char *field) {
  std::ifstream f("/proc/self/status");
  std::string line;
  while (std::getline(f, line))
    if (line.rfind(field, 0) == 0) return std::atol(line.c_str() + std::strlen(field));
  return -1;
}
inline long rss_kib() { return status_kib("VmRSS:"); }
inline long peak_rss_kib() { return status_kib("VmHWM:"); }
inline void reset_peak_rss() { std::ofstream("/proc/self/clear_refs") << "5"; }

// Open file descriptors of this process.
inline int open_fds() {
  int n = 0;
  if (DIR *d = ::opendir("/proc/self/fd")) {
    while (const dirent *e = ::readdir(d)) n += e->d_name[0] != '.';
    ::closedir(d);
  }
  return n;
}

inline long ms_since(std::chrono::steady_clock::time_point t0) {
  return long(std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - t0).count());
}

// A server on 127.0.0.1 that answers every connection with `behave(fd)` once the request head
// arrived: for a client's side of hostile answers. Stops (and joins) when destroyed.
class hostile_server {
public:
  // behave(fd, stopping) writes whatever it likes; it should return soon after `stopping`.
  template <class Behave> explicit hostile_server(Behave behave) {
    listen_ = loopback_listener(16, port_);
    thread_ = std::thread([this, behave] {
      for (;;) {
        pollfd p{listen_, POLLIN, 0};
        if (::poll(&p, 1, 50) <= 0) {
          if (stopping_) return;
          continue;
        }
        const int fd = ::accept(listen_, nullptr, nullptr);
        if (fd < 0) return;
        std::string head;
        char buf[4096];
        while (head.find("\r\n\r\n") == std::string::npos) {
          const ssize_t k = ::recv(fd, buf, sizeof(buf), 0);
          if (k <= 0) break;
          head.append(buf, std::size_t(k));
        }
        ++requests_;
        behave(fd, stopping_);
        ::close(fd);
      }
    });
  }
  ~hostile_server() {
    stopping_ = true;
    thread_.join();
    ::close(listen_);
  }
  int port() const { return port_; }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }
  int requests() const { return requests_; }

private:
  int listen_ = -1;
  int port_ = 0;
  std::atomic<bool> stopping_{false};
  std::atomic<int> requests_{0};
  std::thread thread_;
};

// Sends `s` on `fd`; false once the peer is gone.
inline bool send_all(int fd, const std::string &s) {
  std::size_t off = 0;
  while (off < s.size()) {
    const ssize_t n = ::send(fd, s.data() + off, s.size() - off, MSG_NOSIGNAL);
    if (n <= 0) return false;
    off += std::size_t(n);
  }
  return true;
}

} // namespace test

#endif
