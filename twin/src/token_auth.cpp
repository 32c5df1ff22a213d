#include "powerstack/twin/token_auth.hpp"

#include <fcntl.h>
#include <sodium.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

namespace powerstack::twin {

namespace {

std::string trim(const std::string& s) {
  const auto b = s.find_first_not_of(" \t\r\n");
  const auto e = s.find_last_not_of(" \t\r\n");
  return b == std::string::npos ? std::string() : s.substr(b, e - b + 1);
}

bool write_new_token(const std::string& path, std::string& token, std::string& error) {
  std::array<unsigned char, 32> raw{};
  randombytes_buf(raw.data(), raw.size());
  std::array<char, 65> hex{};
  sodium_bin2hex(hex.data(), hex.size(), raw.data(), raw.size());
  token = hex.data();
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL, 0600);
  if (fd < 0) {
    error = "cannot create the token file '" + path + "': " + std::strerror(errno);
    return false;
  }
  const std::string line = token + "\n";
  const bool ok = ::write(fd, line.data(), line.size()) == static_cast<ssize_t>(line.size());
  ::close(fd);
  if (!ok) {
    error = "cannot write the token file '" + path + "'";
  }
  return ok;
}

}  // namespace

std::unique_ptr<TokenAuth> TokenAuth::load_or_create(const std::string& path, bool create,
                                                     bool& created, std::string& error) {
  created = false;
  if (sodium_init() < 0) {
    error = "libsodium failed to initialise";
    return nullptr;
  }
  std::ifstream in(path);
  if (!in) {
    if (!create) {
      error = "cannot read the token file '" + path + "'";
      return nullptr;
    }
    std::string token;
    if (!write_new_token(path, token, error)) {
      return nullptr;
    }
    created = true;
    return std::make_unique<TokenAuth>(token);
  }
  std::stringstream text;
  text << in.rdbuf();
  const std::string token = trim(text.str());
  if (token.size() < 16 || token.find_first_of(" \t\r\n") != std::string::npos) {
    error = "the token file '" + path + "' holds no token (one line, 16 characters or more)";
    return nullptr;
  }
  return std::make_unique<TokenAuth>(token);
}

TokenAuth::TokenAuth(std::string_view token) : hash_(hash(token)) {}

TokenAuth::Hash TokenAuth::hash(std::string_view token) {
  Hash h{};
  crypto_generichash(h.data(), h.size(), reinterpret_cast<const unsigned char*>(token.data()),
                     token.size(), nullptr, 0);
  return h;
}

bool TokenAuth::equal_constant_time(const std::uint8_t* a, const std::uint8_t* b, std::size_t n) {
  return sodium_memcmp(a, b, n) == 0;
}

void TokenAuth::prune(Clock::time_point now) {
  for (auto it = failures_.begin(); it != failures_.end();) {
    auto& times = it->second;
    while (!times.empty() && now - times.front() >= kWindow) {
      times.pop_front();
    }
    it = times.empty() ? failures_.erase(it) : std::next(it);
  }
}

TokenAuth::Check TokenAuth::check(const std::string& address, std::string_view authorization,
                                  Clock::time_point now) {
  const std::lock_guard lock(mutex_);
  prune(now);
  auto found = failures_.find(address);
  if (found != failures_.end() && found->second.size() >= static_cast<std::size_t>(kMaxFailures)) {
    const auto wait = kWindow - (now - found->second.front());
    const auto s = std::chrono::ceil<std::chrono::seconds>(wait).count();
    return {Verdict::kRateLimited, static_cast<int>(std::max<long long>(1, s))};
  }
  constexpr std::string_view kScheme = "Bearer ";
  bool ok = false;
  if (authorization.size() > kScheme.size() && authorization.substr(0, kScheme.size()) == kScheme) {
    const Hash presented = hash(authorization.substr(kScheme.size()));
    ok = equal_constant_time(presented.data(), hash_.data(), hash_.size());
  }
  if (ok) {
    return {Verdict::kOk, 0};
  }
  if (found == failures_.end() && failures_.size() >= kMaxTrackedAddresses) {
    failures_.erase(failures_.begin());  // bounded memory under a flood of addresses
  }
  failures_[address].push_back(now);
  return {Verdict::kUnauthorized, 0};
}

}  // namespace powerstack::twin
