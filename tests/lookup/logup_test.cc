// Unit tests for src/lookup/logup.h: the GKR fractional-sum prover and
// verifier, and the LogUp identity they are used to check.
#include "lookup/logup.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <map>
#include <random>
#include <span>
#include <string>
#include <vector>

#include "../support/random_field.h"

namespace zk::lookup {
namespace {

using zk::testing::RandomFp;
using zk::testing::RandomFp2;
using zk::testing::RandomPoint;

constexpr char kDomain[] = "logup-test";

std::vector<Fp2> RandomVec(std::mt19937_64& rng, size_t n) {
  std::vector<Fp2> v(n);
  for (auto& x : v) x = RandomFp2(rng);
  return v;
}

// sum_i p_i / q_i computed directly.
Fp2 DirectSum(const std::vector<Fp2>& p, const std::vector<Fp2>& q) {
  Fp2 s = Fp2::zero();
  for (size_t i = 0; i < p.size(); ++i) s += p[i] * q[i].inverse();
  return s;
}

struct Proved {
  LeafClaim claim;
  std::vector<uint8_t> proof;
};

Proved Prove(const std::vector<Fp2>& p, const std::vector<Fp2>& q) {
  ProverChannel pc{Transcript(kDomain)};
  Proved out;
  out.claim = fraction_sum_prove(pc, p, q);
  out.proof = pc.take_bytes();
  return out;
}

LeafClaim Verify(const std::vector<uint8_t>& proof, unsigned n) {
  VerifierChannel vc(Transcript(kDomain), proof);
  LeafClaim c = fraction_sum_verify(vc, n);
  vc.finish();
  return c;
}

// Number of Fp2 elements in a proof over 2^n leaves: the root, then per layer
// k a k-round degree-3 sumcheck and four leaf values.
size_t ProofElements(unsigned n) {
  size_t e = 2;
  for (unsigned k = 0; k < n; ++k) e += 3 * k + 4;
  return e;
}

void BumpElement(std::vector<uint8_t>& proof, size_t idx) {
  uint64_t a = 0;
  for (int i = 0; i < 8; ++i) a |= uint64_t{proof[16 * idx + i]} << (8 * i);
  a = (Fp(a) + Fp::one()).v;
  for (int i = 0; i < 8; ++i) proof[16 * idx + i] = static_cast<uint8_t>(a >> (8 * i));
}

class FractionSumTest : public ::testing::TestWithParam<unsigned> {};

TEST_P(FractionSumTest, RoundTripRootAndLeafClaims) {
  const unsigned n = GetParam();
  std::mt19937_64 rng(10 + n);
  auto p = RandomVec(rng, size_t{1} << n), q = RandomVec(rng, size_t{1} << n);
  Proved pr = Prove(p, q);
  EXPECT_EQ(pr.proof.size(), ProofElements(n) * 16);

  // The root is the fraction sum, in the unreduced form of the binary tree.
  Fp2 prod_q = Fp2::one();
  for (auto x : q) prod_q *= x;
  EXPECT_EQ(pr.claim.root.q, prod_q);
  EXPECT_EQ(pr.claim.root.p.value() * pr.claim.root.q.value().inverse(), DirectSum(p, q));
  EXPECT_EQ(pr.claim.root.p, DirectSum(p, q) * prod_q);

  LeafClaim vc = Verify(pr.proof, n);
  EXPECT_EQ(vc.root.p, pr.claim.root.p);
  EXPECT_EQ(vc.root.q, pr.claim.root.q);
  ASSERT_EQ(vc.point.size(), n);
  EXPECT_EQ(vc.point, pr.claim.point);
  // The leaf claims are the MLEs of p and q at the returned point.
  EXPECT_EQ(vc.p, mle_eval(std::span<const Fp2>(p), vc.point));
  EXPECT_EQ(vc.q, mle_eval(std::span<const Fp2>(q), vc.point));
  EXPECT_EQ(pr.claim.p, vc.p);
  EXPECT_EQ(pr.claim.q, vc.q);
}

TEST_P(FractionSumTest, TamperingAnyElementIsRejectedByALayerCheck) {
  const unsigned n = GetParam();
  std::mt19937_64 rng(20 + n);
  auto p = RandomVec(rng, size_t{1} << n), q = RandomVec(rng, size_t{1} << n);
  Proved pr = Prove(p, q);
  if (n == 0) {
    // A single leaf has no layers: the tampered root comes back as the leaf
    // claim, and the caller's check against p and q catches it.
    for (size_t idx = 0; idx < 2; ++idx) {
      auto bad = pr.proof;
      BumpElement(bad, idx);
      LeafClaim c = Verify(bad, 0);
      EXPECT_TRUE(c.p != p[0] || c.q != q[0]) << idx;
      EXPECT_EQ(c.p, c.root.p);
      EXPECT_EQ(c.q, c.root.q);
    }
    return;
  }
  const size_t elements = pr.proof.size() / 16;
  for (size_t idx = 0; idx < elements; ++idx) {
    auto bad = pr.proof;
    BumpElement(bad, idx);
    try {
      (void)Verify(bad, n);
      ADD_FAILURE() << "tampered element " << idx << " was accepted";
    } catch (const VerifyError& e) {
      EXPECT_NE(std::string(e.what()).find("fractional-sum layer"), std::string::npos)
          << "element " << idx << ": " << e.what();
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Sizes, FractionSumTest, ::testing::Range(0u, 8u),
                         [](const auto& info) { return "log" + std::to_string(info.param); });

TEST(FractionSumTest, SingleLeaf) {
  std::vector<Fp2> p = {Fp2(Fp(3))}, q = {Fp2(Fp(5))};
  Proved pr = Prove(p, q);
  EXPECT_EQ(pr.proof.size(), 32u);
  LeafClaim c = Verify(pr.proof, 0);
  EXPECT_TRUE(c.point.empty());
  EXPECT_EQ(c.root.p, Fp2(Fp(3)));
  EXPECT_EQ(c.root.q, Fp2(Fp(5)));
  EXPECT_EQ(c.p, Fp2(Fp(3)));
  EXPECT_EQ(c.q, Fp2(Fp(5)));
  EXPECT_TRUE(pr.claim.point.empty());
  EXPECT_EQ(pr.claim.p, Fp2(Fp(3)));
  EXPECT_EQ(pr.claim.q, Fp2(Fp(5)));
}

TEST(FractionSumTest, KnownRootForTwoLeaves) {
  // 1/2 + 1/3 = (1*3 + 1*2) / (2*3) = 5/6.
  std::vector<Fp2> p = {Fp2(Fp(1)), Fp2(Fp(1))}, q = {Fp2(Fp(2)), Fp2(Fp(3))};
  Proved pr = Prove(p, q);
  EXPECT_EQ(pr.claim.root.p, Fp2(Fp(5)));
  EXPECT_EQ(pr.claim.root.q, Fp2(Fp(6)));
  LeafClaim c = Verify(pr.proof, 1);
  ASSERT_EQ(c.point.size(), 1u);
  Fp2 r = c.point[0];
  EXPECT_EQ(c.q, Fp2(Fp(2)) + r);  // q's MLE is 2 + r
  EXPECT_EQ(c.p, Fp2::one());
}

TEST(FractionSumTest, LayerMessageTamperNamesTheLayer) {
  // n = 3: layer 2's four leaf values are the last four elements.
  std::mt19937_64 rng(40);
  auto p = RandomVec(rng, 8), q = RandomVec(rng, 8);
  Proved pr = Prove(p, q);
  ASSERT_EQ(pr.proof.size() / 16, ProofElements(3));
  auto bad = pr.proof;
  BumpElement(bad, ProofElements(3) - 2);
  try {
    (void)Verify(bad, 3);
    FAIL() << "accepted";
  } catch (const VerifyError& e) {
    EXPECT_NE(std::string(e.what()).find("fractional-sum layer 2: sumcheck final check failed"),
              std::string::npos)
        << e.what();
  }
  // Layer 0's values are elements 2..5.
  bad = pr.proof;
  BumpElement(bad, 3);
  try {
    (void)Verify(bad, 3);
    FAIL() << "accepted";
  } catch (const VerifyError& e) {
    EXPECT_NE(std::string(e.what()).find("fractional-sum layer 0"), std::string::npos) << e.what();
  }
}

TEST(FractionSumTest, TruncatedOrExtendedProofRejected) {
  std::mt19937_64 rng(41);
  auto p = RandomVec(rng, 16), q = RandomVec(rng, 16);
  Proved pr = Prove(p, q);
  auto shorter = pr.proof;
  shorter.resize(shorter.size() - 16);
  EXPECT_THROW((void)Verify(shorter, 4), VerifyError);
  auto longer = pr.proof;
  longer.resize(longer.size() + 16);
  EXPECT_THROW((void)Verify(longer, 4), VerifyError);
  EXPECT_THROW((void)Verify(pr.proof, 5), VerifyError);
}

// ---------------------------------------------------------------------------
// End-to-end LogUp: sum_i s_i/(alpha - f_i) = sum_j m_j/(alpha - t_j).

struct LogUpSides {
  FractionRoot lookups, table;
};

// Pads to a power of two with zero numerators (selector 0) and denominator 1.
void PadPow2(std::vector<Fp2>& p, std::vector<Fp2>& q) {
  size_t n = 1;
  while (n < p.size()) n *= 2;
  p.resize(n, Fp2::zero());
  q.resize(n, Fp2::one());
}

LogUpSides RunLogUp(const std::vector<int64_t>& looked_up, const std::vector<int64_t>& table,
                    const std::vector<int64_t>& mults, Fp2 alpha) {
  std::vector<Fp2> fp, fq, tp, tq;
  for (int64_t f : looked_up) {
    fp.push_back(Fp2::one());
    fq.push_back(alpha - Fp2::from_int(f));
  }
  for (size_t j = 0; j < table.size(); ++j) {
    tp.push_back(Fp2::from_int(mults[j]));
    tq.push_back(alpha - Fp2::from_int(table[j]));
  }
  PadPow2(fp, fq);
  PadPow2(tp, tq);
  LogUpSides out;
  for (int side = 0; side < 2; ++side) {
    const auto& p = side ? tp : fp;
    const auto& q = side ? tq : fq;
    Proved pr = Prove(p, q);
    LeafClaim c = Verify(pr.proof, log2_exact(p.size()));
    // The leaf claims are what the caller would discharge against commitments.
    EXPECT_EQ(c.p, mle_eval(std::span<const Fp2>(p), c.point));
    EXPECT_EQ(c.q, mle_eval(std::span<const Fp2>(q), c.point));
    (side ? out.table : out.lookups) = c.root;
  }
  return out;
}

bool SameFraction(const FractionRoot& a, const FractionRoot& b) {
  return a.p.value() * b.q.value() == b.p.value() * a.q.value();
}

std::vector<int64_t> Multiplicities(const std::vector<int64_t>& looked_up,
                                    const std::vector<int64_t>& table) {
  std::map<int64_t, int64_t> count;
  for (auto f : looked_up) ++count[f];
  std::vector<int64_t> m;
  for (auto t : table) m.push_back(count[t]);
  return m;
}

TEST(LogUpTest, ValuesInTableGiveEqualSums) {
  std::mt19937_64 rng(50);
  std::vector<int64_t> table;
  for (int64_t t = -8; t < 8; ++t) table.push_back(t);  // a 4-bit signed range
  std::vector<int64_t> looked_up;
  for (int i = 0; i < 37; ++i) looked_up.push_back(static_cast<int64_t>(rng() % 16) - 8);
  auto mults = Multiplicities(looked_up, table);
  Fp2 alpha = RandomFp2(rng);
  LogUpSides s = RunLogUp(looked_up, table, mults, alpha);
  EXPECT_TRUE(SameFraction(s.lookups, s.table));
}

TEST(LogUpTest, ValueOutsideTableGivesDifferentSums) {
  std::mt19937_64 rng(51);
  std::vector<int64_t> table;
  for (int64_t t = 0; t < 16; ++t) table.push_back(t);
  std::vector<int64_t> looked_up = {0, 3, 3, 15, 7, 16};  // 16 is not in the table
  auto mults = Multiplicities(looked_up, table);          // 16 gets no multiplicity
  Fp2 alpha = RandomFp2(rng);
  LogUpSides s = RunLogUp(looked_up, table, mults, alpha);
  EXPECT_FALSE(SameFraction(s.lookups, s.table));
  // Without the stray value the sides agree again.
  looked_up.pop_back();
  s = RunLogUp(looked_up, table, Multiplicities(looked_up, table), alpha);
  EXPECT_TRUE(SameFraction(s.lookups, s.table));
}

TEST(LogUpTest, WrongMultiplicitiesGiveDifferentSums) {
  std::mt19937_64 rng(52);
  std::vector<int64_t> table = {1, 2, 3, 4};
  std::vector<int64_t> looked_up = {1, 1, 2, 4};
  auto mults = Multiplicities(looked_up, table);
  ASSERT_EQ(mults, (std::vector<int64_t>{2, 1, 0, 1}));
  Fp2 alpha = RandomFp2(rng);
  EXPECT_TRUE(SameFraction(RunLogUp(looked_up, table, mults, alpha).lookups,
                           RunLogUp(looked_up, table, mults, alpha).table));
  auto wrong = mults;
  wrong[0] = 1;
  wrong[2] = 1;  // same total count, wrong distribution
  LogUpSides s = RunLogUp(looked_up, table, wrong, alpha);
  EXPECT_FALSE(SameFraction(s.lookups, s.table));
}

}  // namespace
}  // namespace zk::lookup
