#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "powerstack/twin/token_auth.hpp"

namespace {

using powerstack::twin::TokenAuth;
using Verdict = TokenAuth::Verdict;

const std::string kToken = "0123456789abcdef0123456789abcdef";

TEST(TokenAuth, MissingWrongAndRightToken) {
  TokenAuth auth(kToken);
  const auto now = TokenAuth::Clock::now();
  EXPECT_EQ(auth.check("a", "", now).verdict, Verdict::kUnauthorized);
  EXPECT_EQ(auth.check("a", "Bearer nope", now).verdict, Verdict::kUnauthorized);
  EXPECT_EQ(auth.check("a", "Basic " + kToken, now).verdict, Verdict::kUnauthorized);
  EXPECT_EQ(auth.check("a", "Bearer " + kToken + "x", now).verdict, Verdict::kUnauthorized);
  EXPECT_EQ(auth.check("a", "Bearer " + kToken, now).verdict, Verdict::kOk);
}

TEST(TokenAuth, FiveFailuresInAMinuteRateLimitTheAddressOnly) {
  TokenAuth auth(kToken);
  const auto t0 = TokenAuth::Clock::now();
  for (int i = 0; i < TokenAuth::kMaxFailures; ++i) {
    EXPECT_EQ(auth.check("10.0.0.1", "Bearer bad", t0 + std::chrono::seconds(i)).verdict,
              Verdict::kUnauthorized);
  }
  const auto limited = auth.check("10.0.0.1", "Bearer " + kToken, t0 + std::chrono::seconds(10));
  EXPECT_EQ(limited.verdict, Verdict::kRateLimited);
  EXPECT_EQ(limited.retry_after_s, 50);  // the first failure leaves the window at t0 + 60 s
  EXPECT_EQ(auth.check("10.0.0.2", "Bearer " + kToken, t0 + std::chrono::seconds(10)).verdict,
            Verdict::kOk);
  EXPECT_EQ(auth.check("10.0.0.1", "Bearer " + kToken, t0 + std::chrono::seconds(61)).verdict,
            Verdict::kOk);
}

TEST(TokenAuth, ConstantTimeCompareFindsADifferenceInAnyByte) {
  std::uint8_t a[32] = {};
  std::uint8_t b[32] = {};
  EXPECT_TRUE(TokenAuth::equal_constant_time(a, b, sizeof a));
  for (std::size_t i = 0; i < sizeof a; ++i) {
    b[i] = 1;
    EXPECT_FALSE(TokenAuth::equal_constant_time(a, b, sizeof a)) << i;
    b[i] = 0;
  }
}

TEST(TokenAuth, CreatesA0600TokenFileOnceAndReadsItBack) {
  const auto dir = std::filesystem::temp_directory_path() /
                   ("powerstack-twin-token-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  const std::string path = (dir / "token").string();
  bool created = false;
  std::string error;
  auto first = TokenAuth::load_or_create(path, true, created, error);
  ASSERT_NE(first, nullptr) << error;
  EXPECT_TRUE(created);
  struct stat st {};
  ASSERT_EQ(::stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600U);
  std::string token;
  std::ifstream(path) >> token;
  EXPECT_EQ(token.size(), 64U);
  auto second = TokenAuth::load_or_create(path, true, created, error);
  ASSERT_NE(second, nullptr);
  EXPECT_FALSE(created);
  EXPECT_EQ(second->check("a", "Bearer " + token).verdict, Verdict::kOk);
  std::ofstream(path, std::ios::trunc) << "short\n";
  EXPECT_EQ(TokenAuth::load_or_create(path, true, created, error), nullptr);
  EXPECT_NE(error.find("no token"), std::string::npos);
  std::filesystem::remove_all(dir);
}

}  // namespace
