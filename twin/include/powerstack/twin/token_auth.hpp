// TokenAuth: the write credential of the twin (docs/twin-api.md, "Token"). A random 32-byte
// token (64 hex digits, libsodium's CSPRNG) is created at first start in a file of mode
// 0600; only its BLAKE2b hash is kept in memory and a presented token is hashed and compared
// in constant time (sodium_memcmp). Failed attempts are counted per client address: after 5
// failures within 60 s further writes from that address get 429 until the oldest of them is
// 60 s old (correct tokens too, so guessing gains nothing). Thread-safe.
#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

namespace powerstack::twin {

class TokenAuth {
 public:
  using Clock = std::chrono::steady_clock;
  static constexpr int kMaxFailures = 5;
  static constexpr std::chrono::seconds kWindow{60};
  static constexpr std::size_t kMaxTrackedAddresses = 4096;

  // Reads the token from `path`, or (create) makes a new one there when the file is missing.
  // `created` tells which; nullptr with `error` set when the file cannot be read or written
  // or holds no token (at least 16 characters, no whitespace inside).
  static std::unique_ptr<TokenAuth> load_or_create(const std::string& path, bool create,
                                                   bool& created, std::string& error);
  explicit TokenAuth(std::string_view token);

  enum class Verdict { kOk, kUnauthorized, kRateLimited };
  struct Check {
    Verdict verdict = Verdict::kUnauthorized;
    int retry_after_s = 0;  // kRateLimited: when the address may try again
  };
  // `authorization` is the request's Authorization header ("" when absent).
  Check check(const std::string& address, std::string_view authorization,
              Clock::time_point now = Clock::now());

  // Constant-time equality of two equally long byte strings (exposed for its test).
  static bool equal_constant_time(const std::uint8_t* a, const std::uint8_t* b, std::size_t n);

 private:
  using Hash = std::array<std::uint8_t, 32>;
  static Hash hash(std::string_view token);
  void prune(Clock::time_point now);

  Hash hash_{};
  std::mutex mutex_;
  std::map<std::string, std::deque<Clock::time_point>> failures_;
};

}  // namespace powerstack::twin
