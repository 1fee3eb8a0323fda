// Unit tests for src/hash: SHA-256, the Merkle tree, the Fiat-Shamir
// transcript and the prover/verifier proof channels.
//
// The transcript known answers were computed with an independent Python
// model of the documented hash chain (hashlib), which pins the format.
#include "hash/transcript.h"

#include <gtest/gtest.h>

#include <array>
#include <bit>
#include <cstdint>
#include <cstring>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "hash/bytes.h"
#include "hash/channel.h"
#include "hash/merkle.h"
#include "hash/sha256.h"

namespace zk {
namespace {

std::span<const uint8_t> Bytes(const std::string& s) {
  return {reinterpret_cast<const uint8_t*>(s.data()), s.size()};
}

Digest LeafDigest(size_t i) {
  std::string s = "leaf-" + std::to_string(i);
  return sha256(Bytes(s));
}

void PutU64(std::vector<uint8_t>& out, uint64_t x) {
  for (int i = 0; i < 8; ++i) out.push_back(static_cast<uint8_t>(x >> (8 * i)));
}

// ---------------------------------------------------------------------------
// SHA-256.

TEST(Sha256Test, KnownAnswerVectors) {
  EXPECT_EQ(digest_hex(sha256(Bytes(""))),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(digest_hex(sha256(Bytes("abc"))),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(digest_hex(sha256(Bytes("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"))),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

TEST(Sha256Test, IncrementalMatchesOneShot) {
  std::string msg;
  for (int i = 0; i < 1000; ++i) msg += static_cast<char>('a' + i % 26);
  Digest one = sha256(Bytes(msg));
  for (size_t split : {size_t{0}, size_t{1}, size_t{63}, size_t{64}, size_t{65}, size_t{999}}) {
    Sha256 h;
    h.update(msg.data(), split);
    h.update(msg.data() + split, msg.size() - split);
    EXPECT_EQ(h.finish(), one) << split;
  }
  Sha256 abc;
  abc.update("a", 1);
  abc.update("bc", 2);
  EXPECT_EQ(digest_hex(abc.finish()),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(Sha256Test, PairHashesConcatenation) {
  Digest l = LeafDigest(1), r = LeafDigest(2);
  std::vector<uint8_t> cat(l.begin(), l.end());
  cat.insert(cat.end(), r.begin(), r.end());
  EXPECT_EQ(sha256_pair(l, r), sha256(cat));
  EXPECT_NE(sha256_pair(l, r), sha256_pair(r, l));
}

// ---------------------------------------------------------------------------
// Merkle tree.

// A single leaf's path through the multi-proof API.
Digest root_from_path(Digest leaf, size_t index, const std::vector<Digest>& path, size_t n) {
  size_t next = 0;
  return merkle_root_from_multi_path({{index, leaf}}, n,
                                     [&] { return next < path.size() ? path[next++] : Digest{}; });
}

TEST(MerkleTest, RootFromPathRoundTripForAllLeaves) {
  for (size_t n : {1u, 2u, 4u, 8u, 64u}) {
    SCOPED_TRACE(n);
    std::vector<Digest> leaves(n);
    for (size_t i = 0; i < n; ++i) leaves[i] = LeafDigest(i);
    MerkleTree tree(leaves);
    EXPECT_EQ(tree.num_leaves(), n);
    for (size_t i = 0; i < n; ++i) {
      auto path = tree.multi_path({i});
      ASSERT_EQ(path.size(), static_cast<size_t>(std::countr_zero(n)));
      ASSERT_EQ(root_from_path(leaves[i], i, path, n), tree.root()) << i;
    }
  }
}

TEST(MerkleTest, KnownStructure) {
  std::vector<Digest> leaves = {LeafDigest(0), LeafDigest(1), LeafDigest(2), LeafDigest(3)};
  MerkleTree tree(leaves);
  Digest expected =
      sha256_pair(sha256_pair(leaves[0], leaves[1]), sha256_pair(leaves[2], leaves[3]));
  EXPECT_EQ(tree.root(), expected);
  // A single leaf is its own root.
  MerkleTree single({LeafDigest(9)});
  EXPECT_EQ(single.root(), LeafDigest(9));
  EXPECT_TRUE(single.multi_path({0}).empty());
}

TEST(MerkleTest, FromNodesRebuildsTheSameTree) {
  std::vector<Digest> leaves(16);
  for (size_t i = 0; i < 16; ++i) leaves[i] = LeafDigest(i);
  MerkleTree tree(leaves);
  MerkleTree copy = MerkleTree::from_nodes(tree.nodes());
  EXPECT_EQ(copy.root(), tree.root());
  EXPECT_EQ(copy.num_leaves(), 16u);
  for (size_t i = 0; i < 16; ++i) EXPECT_EQ(copy.multi_path({i}), tree.multi_path({i}));
}

TEST(MerkleTest, TamperingChangesTheRoot) {
  const size_t n = 16;
  std::vector<Digest> leaves(n);
  for (size_t i = 0; i < n; ++i) leaves[i] = LeafDigest(i);
  MerkleTree tree(leaves);
  for (size_t i = 0; i < n; ++i) {
    SCOPED_TRACE(i);
    auto path = tree.multi_path({i});
    // Tampered leaf.
    Digest bad_leaf = leaves[i];
    bad_leaf[0] ^= 1;
    EXPECT_NE(root_from_path(bad_leaf, i, path, n), tree.root());
    // Another leaf's digest at this index.
    EXPECT_NE(root_from_path(leaves[(i + 1) % n], i, path, n), tree.root());
    // Tampered sibling at every level.
    for (size_t lvl = 0; lvl < path.size(); ++lvl) {
      auto bad = path;
      bad[lvl][31] ^= 0x80;
      EXPECT_NE(root_from_path(leaves[i], i, bad, n), tree.root()) << "level " << lvl;
    }
    // Wrong index with the right leaf and path.
    for (size_t j = 0; j < n; ++j) {
      if (j == i) continue;
      EXPECT_NE(root_from_path(leaves[i], j, path, n), tree.root()) << "index " << j;
    }
    // Truncated path.
    auto shorter = path;
    shorter.pop_back();
    EXPECT_NE(root_from_path(leaves[i], i, shorter, n), tree.root());
  }
}

// ---------------------------------------------------------------------------
// Transcript.

TEST(TranscriptTest, KnownAnswerPinsTheFormat) {
  Transcript t("zkinfer-test");
  EXPECT_EQ(digest_hex(t.state()),
            "3a6a08c60dc2493194af33ff6c5dd87db57bd5c6c656f94bf555cfb869c28cbf");
  t.absorb("msg", Bytes("hello world"));
  EXPECT_EQ(digest_hex(t.state()),
            "dfc5a1ed64113f282a66717ea4d0d84af85ec3c08cb2a6ba05e2741a252dae12");
  Fp2 c = t.challenge_fp2("alpha");
  EXPECT_EQ(c.a.v, 0x769fef9c7d1c04ceull);
  EXPECT_EQ(c.b.v, 0xcf4db570da86ba63ull);
  EXPECT_EQ(to_hex(c), "cf4db570da86ba63769fef9c7d1c04ce");
  EXPECT_EQ(digest_hex(t.state()),
            "6c091293fdc792a298b388454d72a8d3f142ae112aba2913eb8b7a80b749de5d");
  EXPECT_EQ(t.challenge_index("idx", 1000), 839u);
  EXPECT_EQ(t.challenge_index("idx2", uint64_t{1} << 20), 1041748u);
}

TEST(TranscriptTest, AbsorbFpKnownAnswer) {
  // absorb_fp serializes each element as 8 little-endian bytes.
  Transcript t("zkinfer-test");
  std::vector<Fp> xs = {Fp(1), Fp(Fp::kModulus - 1)};
  t.absorb_fp("fp", xs);
  EXPECT_EQ(to_hex(t.challenge_fp2("c")), "12ea95b235c397e776a41d9e7b584b54");
  // Same bytes through absorb() give the same state.
  Transcript u("zkinfer-test");
  std::vector<uint8_t> raw;
  PutU64(raw, 1);
  PutU64(raw, Fp::kModulus - 1);
  u.absorb("fp", raw);
  EXPECT_EQ(to_hex(u.challenge_fp2("c")), "12ea95b235c397e776a41d9e7b584b54");
}

TEST(TranscriptTest, AbsorbFp2SerializesRealThenImaginary) {
  Fp2 x(Fp(0x1111), Fp(0x2222));
  Transcript a("d"), b("d");
  a.absorb_fp2("x", std::span<const Fp2>(&x, 1));
  std::vector<uint8_t> raw;
  PutU64(raw, 0x1111);
  PutU64(raw, 0x2222);
  b.absorb("x", raw);
  EXPECT_EQ(a.state(), b.state());
}

TEST(TranscriptTest, DifferentInputsGiveDifferentChallenges) {
  auto challenge = [](std::string_view domain, std::string_view tag, const std::string& data,
                      std::string_view ctag) {
    Transcript t(domain);
    t.absorb(tag, Bytes(data));
    return t.challenge_fp2(ctag);
  };
  Fp2 base = challenge("d", "tag", "data", "c");
  EXPECT_EQ(challenge("d", "tag", "data", "c"), base);  // deterministic
  EXPECT_NE(challenge("e", "tag", "data", "c"), base);  // domain
  EXPECT_NE(challenge("d", "tah", "data", "c"), base);  // absorb tag
  EXPECT_NE(challenge("d", "tag", "datb", "c"), base);  // data
  EXPECT_NE(challenge("d", "tag", "data", "C"), base);  // challenge tag
  // Length prefixes keep the tag/data boundary unambiguous.
  EXPECT_NE(challenge("d", "ta", "gdata", "c"), base);
  EXPECT_NE(challenge("d", "tag", "", "c"), challenge("d", "ta", "g", "c"));
}

TEST(TranscriptTest, SuccessiveChallengesDiffer) {
  Transcript t("d");
  std::set<std::string> seen;
  for (int i = 0; i < 100; ++i) seen.insert(to_hex(t.challenge_fp2("same-tag")));
  EXPECT_EQ(seen.size(), 100u);
}

TEST(TranscriptTest, AbsorbOrderMatters) {
  Transcript a("d"), b("d");
  a.absorb("x", Bytes("1"));
  a.absorb("y", Bytes("2"));
  b.absorb("y", Bytes("2"));
  b.absorb("x", Bytes("1"));
  EXPECT_NE(a.challenge_fp2("c"), b.challenge_fp2("c"));
}

TEST(TranscriptTest, CloneForksIdentically) {
  Transcript t("d");
  t.absorb("x", Bytes("payload"));
  Transcript fork = t.clone();
  EXPECT_EQ(fork.state(), t.state());
  for (int i = 0; i < 5; ++i) EXPECT_EQ(fork.challenge_fp2("c"), t.challenge_fp2("c"));
  EXPECT_EQ(fork.challenge_index("i", 1 << 10), t.challenge_index("i", 1 << 10));
  // After diverging they stay independent.
  fork.absorb("y", Bytes("1"));
  t.absorb("y", Bytes("2"));
  EXPECT_NE(fork.challenge_fp2("c"), t.challenge_fp2("c"));
  // Sampling from a clone does not advance the original.
  Transcript u("d");
  Transcript v = u.clone();
  (void)v.challenge_fp2("c");
  Transcript w("d");
  EXPECT_EQ(u.challenge_fp2("c"), w.challenge_fp2("c"));
}

TEST(TranscriptTest, ChallengesAreCanonical) {
  Transcript t("d");
  for (int i = 0; i < 1000; ++i) {
    Fp2 c = t.challenge_fp2("c");
    ASSERT_LT(c.a.v, Fp::kModulus);
    ASSERT_LT(c.b.v, Fp::kModulus);
  }
}

TEST(TranscriptTest, ChallengeIndexBoundedAndRoughlyUniform) {
  Transcript t("uniformity");
  EXPECT_EQ(t.challenge_index("one", 1), 0u);
  for (uint64_t bound : {uint64_t{8}, uint64_t{10}, uint64_t{7}}) {
    SCOPED_TRACE(bound);
    const int kSamples = 8000;
    std::vector<int> hist(bound, 0);
    for (int i = 0; i < kSamples; ++i) {
      uint64_t x = t.challenge_index("idx", bound);
      ASSERT_LT(x, bound);
      ++hist[x];
    }
    const double expected = static_cast<double>(kSamples) / bound;
    for (uint64_t b = 0; b < bound; ++b) {
      // About 7 standard deviations; a biased sampler (e.g. one bucket
      // starved) is far outside this range.
      EXPECT_GT(hist[b], expected * 0.75) << "bucket " << b;
      EXPECT_LT(hist[b], expected * 1.25) << "bucket " << b;
    }
  }
  // A large non-power-of-two bound: values spread over the whole range.
  const uint64_t big = 3'000'000'007ull;
  uint64_t lo = 0, hi = 0;
  for (int i = 0; i < 2000; ++i) {
    uint64_t x = t.challenge_index("big", big);
    ASSERT_LT(x, big);
    (x < big / 2 ? lo : hi)++;
  }
  EXPECT_GT(lo, 800u);
  EXPECT_GT(hi, 800u);
}

// ---------------------------------------------------------------------------
// Proof channels.

TEST(ChannelTest, RoundTripOfValuesAndChallenges) {
  std::mt19937_64 rng(5);
  std::vector<Fp2> ext(7);
  for (auto& x : ext) x = Fp2(Fp(rng() % Fp::kModulus), Fp(rng() % Fp::kModulus));
  std::vector<Fp> base = {Fp(0), Fp(1), Fp(Fp::kModulus - 1), Fp(12345)};
  Digest d = LeafDigest(3);
  Fp2 single(Fp(42), Fp(43));

  ProverChannel pc(Transcript("channel-test"));
  pc.section("first");
  pc.send(ext);
  Fp2 pc1 = pc.challenge("c1");
  pc.send_base(base);
  pc.section("second");
  pc.send(d);
  pc.send(single);
  Fp2 pc2 = pc.challenge("c2");
  uint64_t pidx = pc.challenge_index("i", 64);
  EXPECT_EQ(pc.size(), 7 * 16 + 4 * 8 + 32 + 16u);
  auto sections = pc.sections();
  auto bytes = pc.take_bytes();
  ASSERT_EQ(bytes.size(), 7 * 16 + 4 * 8 + 32 + 16u);
  ASSERT_EQ(sections.size(), 2u);
  EXPECT_EQ(sections[0].label, "first");
  EXPECT_EQ(sections[0].begin, 0u);
  EXPECT_EQ(sections[0].end, 7 * 16 + 4 * 8u);
  EXPECT_EQ(sections[1].label, "second");
  EXPECT_EQ(sections[1].begin, 7 * 16 + 4 * 8u);
  EXPECT_EQ(sections[1].end, bytes.size());

  VerifierChannel vc(Transcript("channel-test"), bytes);
  EXPECT_EQ(vc.recv(7), ext);
  EXPECT_EQ(vc.challenge("c1"), pc1);
  EXPECT_EQ(vc.recv_base(4), base);
  EXPECT_EQ(vc.recv_digest(), d);
  EXPECT_EQ(vc.recv(), single);
  EXPECT_EQ(vc.challenge("c2"), pc2);
  EXPECT_EQ(vc.challenge_index("i", 64), pidx);
  EXPECT_NO_THROW(vc.finish());
}

TEST(ChannelTest, WireFormatIsLittleEndianRealThenImaginary) {
  ProverChannel pc(Transcript("d"));
  pc.send(Fp2(Fp(0x0102030405060708ull), Fp(0x1112131415161718ull)));
  pc.send_base(std::vector<Fp>{Fp(0xAABBull)});
  auto bytes = pc.take_bytes();
  std::vector<uint8_t> expected;
  PutU64(expected, 0x0102030405060708ull);
  PutU64(expected, 0x1112131415161718ull);
  PutU64(expected, 0xAABBull);
  EXPECT_EQ(bytes, expected);
}

TEST(ChannelTest, ModifiedBytesChangeLaterChallenges) {
  ProverChannel pc(Transcript("d"));
  pc.send(Fp2(Fp(5), Fp(6)));
  Fp2 c = pc.challenge("c");
  auto bytes = pc.take_bytes();
  bytes[0] ^= 1;
  VerifierChannel vc(Transcript("d"), bytes);
  (void)vc.recv();
  EXPECT_NE(vc.challenge("c"), c);
}

// Runs f and returns the VerifyError message, or "" when nothing was thrown.
template <typename Fn>
std::string VerifyErrorMessage(Fn&& f) {
  try {
    f();
  } catch (const VerifyError& e) {
    return e.what();
  }
  return "";
}

TEST(ChannelTest, RejectsNonCanonicalFieldElements) {
  for (uint64_t bad : {Fp::kModulus, Fp::kModulus + 1, ~uint64_t{0}}) {
    // Real part, imaginary part, and a base element.
    for (int where = 0; where < 3; ++where) {
      std::vector<uint8_t> bytes;
      if (where == 0) {
        PutU64(bytes, bad);
        PutU64(bytes, 1);
      } else if (where == 1) {
        PutU64(bytes, 1);
        PutU64(bytes, bad);
      } else {
        PutU64(bytes, 3);
        PutU64(bytes, bad);
      }
      VerifierChannel vc(Transcript("d"), bytes);
      vc.section("my-section");
      std::string msg = VerifyErrorMessage([&] {
        if (where < 2)
          (void)vc.recv();
        else
          (void)vc.recv_base(2);
      });
      EXPECT_NE(msg.find("non-canonical field element"), std::string::npos) << msg;
      EXPECT_EQ(msg.rfind("my-section: ", 0), 0u) << msg;
    }
  }
}

TEST(ChannelTest, RejectsTruncatedStreams) {
  ProverChannel pc(Transcript("d"));
  pc.send(std::vector<Fp2>(3, Fp2(Fp(9))));
  pc.send(LeafDigest(0));
  auto bytes = pc.take_bytes();
  ASSERT_EQ(bytes.size(), 80u);
  for (size_t cut : {size_t{0}, size_t{1}, size_t{47}, size_t{48}, size_t{79}}) {
    SCOPED_TRACE(cut);
    std::vector<uint8_t> shortened(bytes.begin(), bytes.begin() + cut);
    VerifierChannel vc(Transcript("d"), shortened);
    std::string msg = VerifyErrorMessage([&] {
      (void)vc.recv(3);
      (void)vc.recv_digest();
    });
    EXPECT_NE(msg.find("proof is truncated"), std::string::npos) << msg;
  }
  // Base-field reads are bounds-checked too.
  std::vector<uint8_t> seven(7, 0);
  VerifierChannel vc(Transcript("d"), seven);
  EXPECT_NE(VerifyErrorMessage([&] { (void)vc.recv_base(1); }).find("truncated"),
            std::string::npos);
}

TEST(ChannelTest, RejectsTrailingBytes) {
  ProverChannel pc(Transcript("d"));
  pc.send(Fp2(Fp(1)));
  auto bytes = pc.take_bytes();
  bytes.push_back(0);
  bytes.push_back(0);
  bytes.push_back(0);
  VerifierChannel vc(Transcript("d"), bytes);
  (void)vc.recv();
  std::string msg = VerifyErrorMessage([&] { vc.finish(); });
  EXPECT_NE(msg.find("3 unexpected trailing bytes"), std::string::npos) << msg;
}

TEST(ChannelTest, FailAndExpectNameTheSectionAndCheck) {
  std::vector<uint8_t> none;
  VerifierChannel vc(Transcript("d"), none);
  EXPECT_EQ(VerifyErrorMessage([&] { vc.fail("x"); }), "proof: x");
  vc.section("layer 3");
  EXPECT_EQ(vc.label(), "layer 3");
  EXPECT_EQ(VerifyErrorMessage([&] { vc.expect(false, "sum check"); }), "layer 3: sum check");
  EXPECT_EQ(VerifyErrorMessage([&] { vc.expect(true, "sum check"); }), "");
  EXPECT_NO_THROW(vc.finish());
}

// ---------------------------------------------------------------------------
// Byte reader/writer (hash/bytes.h).

TEST(BytesTest, RoundTripAndLittleEndianLayout) {
  ByteWriter w;
  w.u8(0xAB);
  w.u32(0x01020304u);
  w.u64(0x1122334455667788ull);
  w.i64(-2);
  w.str("hi");
  w.digest(LeafDigest(1));
  w.i64s({5, -6});
  auto& b = w.buf();
  ASSERT_EQ(b.size(), 1 + 4 + 8 + 8 + (4 + 2) + 32 + (8 + 16u));
  EXPECT_EQ(b[0], 0xAB);
  EXPECT_EQ(b[1], 0x04);  // little-endian u32
  EXPECT_EQ(b[4], 0x01);
  EXPECT_EQ(b[5], 0x88);   // little-endian u64
  EXPECT_EQ(b[13], 0xFE);  // -2 as two's complement
  EXPECT_EQ(b[20], 0xFF);

  ByteReader r(b.data(), b.size(), "test file");
  EXPECT_EQ(r.u8(), 0xAB);
  EXPECT_EQ(r.u32(), 0x01020304u);
  EXPECT_EQ(r.u64(), 0x1122334455667788ull);
  EXPECT_EQ(r.i64(), -2);
  EXPECT_EQ(r.str(), "hi");
  EXPECT_EQ(r.digest(), LeafDigest(1));
  EXPECT_EQ(r.i64s(10, "values"), (std::vector<int64_t>{5, -6}));
  EXPECT_TRUE(r.done());
  EXPECT_EQ(r.left(), 0u);
}

template <typename Fn>
std::string FormatErrorMessage(Fn&& f) {
  try {
    f();
  } catch (const FormatError& e) {
    return e.what();
  }
  return "";
}

TEST(BytesTest, ReaderRejectsTruncationAndOversizedCounts) {
  ByteWriter w;
  w.u64(1000);  // a count claiming 1000 elements with none present
  w.u32(3);     // a partial u64
  auto& b = w.buf();
  {
    ByteReader r(b.data(), b.size(), "model");
    std::string msg = FormatErrorMessage([&] { (void)r.count(10, 8, "weights"); });
    EXPECT_NE(msg.find("model: weights count 1000 exceeds the limit 10"), std::string::npos) << msg;
  }
  {
    ByteReader r(b.data(), b.size(), "model");
    std::string msg = FormatErrorMessage([&] { (void)r.i64s(1u << 20, "weights"); });
    EXPECT_NE(msg.find("file is truncated"), std::string::npos) << msg;
  }
  {
    ByteReader r(b.data(), b.size(), "model");
    (void)r.u64();
    std::string msg = FormatErrorMessage([&] { (void)r.u64(); });
    EXPECT_NE(msg.find("file is truncated (at byte 8)"), std::string::npos) << msg;
  }
  {
    ByteWriter s;
    s.str(std::string(100, 'x'));
    ByteReader r(s.buf().data(), s.buf().size(), "f");
    EXPECT_NE(FormatErrorMessage([&] { (void)r.str(10); }).find("string too long"),
              std::string::npos);
  }
}

}  // namespace
}  // namespace zk
