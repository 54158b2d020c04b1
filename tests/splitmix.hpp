// splitmix64: a small deterministic generator shared by the benchmarks and the fuzzers, so a
// given seed gives the same streams and chunkings everywhere (not for anything secret).
#ifndef LANGGRAPH_WEBHOOKS_TESTS_SPLITMIX_HPP
#define LANGGRAPH_WEBHOOKS_TESTS_SPLITMIX_HPP

#include <cstddef>
#include <cstdint>

struct splitmix {
  std::uint64_t s;
  std::uint64_t next() {
    std::uint64_t z = (s += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
  }
  /// Uniform enough in [0, n); 0 when n is 0.
  std::size_t below(std::size_t n) { return n == 0 ? 0 : std::size_t(next() % n); }
  /// In [lo, hi].
  std::size_t between(std::size_t lo, std::size_t hi) { return lo + below(hi - lo + 1); }
};

#endif
