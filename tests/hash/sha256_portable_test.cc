// The portable SHA-256 the WebAssembly verifier hashes with agrees with
// OpenSSL's (what the native build uses): on the FIPS 180-4 examples, on
// random messages of every length around the padding edges, in two parts and
// fed in pieces.
#include "hash/sha256_portable.h"

#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

#include "hash/sha256.h"

namespace zk {
namespace {

std::span<const uint8_t> bytes(const std::string& s) {
  return {reinterpret_cast<const uint8_t*>(s.data()), s.size()};
}

std::string portable_hex(std::span<const uint8_t> a, std::span<const uint8_t> b = {}) {
  return digest_hex(portable::sha256_concat(a, b));
}

TEST(Sha256Portable, FipsExamples) {
  const std::string million_a(1000000, 'a');
  const std::pair<std::string, const char*> cases[] = {
      {"", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"},
      {"abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"},
      {"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
       "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"},
      {"abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlm"
       "nopqrsmnopqrstnopqrstu",
       "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1"},
      {million_a, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"},
  };
  for (const auto& [msg, want] : cases) {
    EXPECT_EQ(portable_hex(bytes(msg)), want) << msg.size() << " bytes";
    EXPECT_EQ(digest_hex(sha256(bytes(msg))), want) << msg.size() << " bytes (OpenSSL)";
  }
}

TEST(Sha256Portable, AgreesWithOpenSslOnRandomMessages) {
  std::mt19937_64 rng(20261202);
  std::vector<uint8_t> msg;
  auto fill = [&](size_t n) {
    msg.resize(n);
    for (auto& x : msg) x = static_cast<uint8_t>(rng());
  };
  // Every length up to 300 (the padding edges 55, 56, 63, 64, 119, 120, 127,
  // 128 among them), then thousands of random lengths.
  std::vector<size_t> lengths;
  for (size_t n = 0; n <= 300; ++n) lengths.push_back(n);
  for (int i = 0; i < 4000; ++i) lengths.push_back(rng() % 301);
  for (size_t n : lengths) {
    fill(n);
    ASSERT_EQ(portable_hex(msg), digest_hex(sha256(msg))) << n << " bytes";
  }
}

TEST(Sha256Portable, TwoPartsAndPiecesAgreeWithOpenSsl) {
  std::mt19937_64 rng(7);
  for (int i = 0; i < 3000; ++i) {
    std::vector<uint8_t> msg(rng() % 301);
    for (auto& x : msg) x = static_cast<uint8_t>(rng());
    const size_t cut = msg.empty() ? 0 : rng() % (msg.size() + 1);
    std::span<const uint8_t> a(msg.data(), cut), b(msg.data() + cut, msg.size() - cut);
    const std::string want = digest_hex(sha256(msg));
    ASSERT_EQ(portable_hex(a, b), want) << msg.size() << " bytes cut at " << cut;
    ASSERT_EQ(digest_hex(sha256_concat(a, b)), want);
    // Fed in random pieces (the incremental form).
    portable::Sha256 s;
    for (size_t at = 0; at < msg.size();) {
      size_t piece = std::min<size_t>(msg.size() - at, rng() % 80);
      s.update({msg.data() + at, piece});
      at += piece;
    }
    ASSERT_EQ(digest_hex(s.finish()), want) << msg.size() << " bytes in pieces";
  }
}

TEST(Sha256Portable, MerklePairsAgreeWithOpenSsl) {
  Digest l{}, r{};
  for (int i = 0; i < 32; ++i) {
    l[i] = static_cast<uint8_t>(i);
    r[i] = static_cast<uint8_t>(255 - i);
  }
  EXPECT_EQ(digest_hex(portable::sha256_concat(l, r)), digest_hex(sha256_pair(l, r)));
}

}  // namespace
}  // namespace zk
