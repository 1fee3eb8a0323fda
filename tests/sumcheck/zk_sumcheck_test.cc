// The masked (zero-knowledge) sumcheck: completeness, soundness of the final
// check, and honest-verifier zero knowledge — a simulator that knows only the
// claimed sum and the one value f(r) the verifier learns, with programmed
// challenges, produces transcripts the verifier accepts and that are
// distributed like real ones.
#include "sumcheck/zk_sumcheck.h"

#include <gtest/gtest.h>

#include "../support/stats.h"

namespace zk {
namespace {

constexpr unsigned kVars = 5;

std::vector<Fp2> table(Prng& rng, size_t n) {
  std::vector<Fp2> t(n);
  for (auto& x : t) x = rng.next_fp2();
  return t;
}

Fp2 sum(const std::vector<Fp2>& a, const std::vector<Fp2>& b) {
  Fp2 s = Fp2::zero();
  for (size_t i = 0; i < a.size(); ++i) s += a[i] * b[i];
  return s;
}

struct Run {
  std::vector<uint8_t> bytes;
  bool accepted = false;
};

// Proves sum a*b = claim with the given challenges; the verifier's final
// check uses `oracle` as f(r) (the value the protocol would open).
Run run(std::vector<Fp2> a, std::vector<Fp2> b, Fp2 claim, Fp2 oracle,
        const std::vector<Fp2>& challenges, Prng& rng) {
  auto mask = SumcheckMask::random(kVars, 2, rng);
  ProverChannel pc(Transcript("zk"));
  pc.program_challenges(challenges);
  std::vector<std::vector<Fp2>> t{std::move(a), std::move(b)};
  auto res = zk_sumcheck_prove(pc, t, {{Fp2::one(), {0, 1}}}, 2, mask);
  Run out;
  out.bytes = pc.take_bytes();
  VerifierChannel vc(Transcript("zk"), out.bytes);
  vc.program_challenges(challenges);
  auto c = zk_sumcheck_verify(vc, claim, kVars, 2);
  out.accepted = c.point == res.point && c.f_value(res.mask_value) == oracle;
  return out;
}

TEST(ZkSumcheck, CompleteAndTheFinalValueIsFAtThePoint) {
  Prng rng(Digest{1});
  auto a = table(rng, 1 << kVars), b = table(rng, 1 << kVars);
  auto mask = SumcheckMask::random(kVars, 2, rng);
  ProverChannel pc(Transcript("zk"));
  std::vector<std::vector<Fp2>> t{a, b};
  auto res = zk_sumcheck_prove(pc, t, {{Fp2::one(), {0, 1}}}, 2, mask);
  auto bytes = pc.take_bytes();
  VerifierChannel vc(Transcript("zk"), bytes);
  auto c = zk_sumcheck_verify(vc, sum(a, b), kVars, 2);
  EXPECT_EQ(c.point, res.point);
  Fp2 f = mle_eval(std::span<const Fp2>(a), c.point) * mle_eval(std::span<const Fp2>(b), c.point);
  EXPECT_EQ(c.f_value(mask.eval(c.point)), f);
  EXPECT_EQ(res.mask_value, mask.eval(c.point));
  // The hypercube sum of the mask is what a brute-force sum gives.
  Fp2 brute = Fp2::zero();
  for (size_t x = 0; x < (1u << kVars); ++x) {
    Point p(kVars);
    for (unsigned i = 0; i < kVars; ++i) p[i] = Fp2(Fp((x >> i) & 1));
    brute += mask.eval(p);
  }
  EXPECT_EQ(mask.hypercube_sum(), brute);
}

// With v in the base field, the first round in base-field arithmetic gives
// the proof that zk_sumcheck_prove gives with v lifted, byte for byte; the
// hook sees each round once, in order, with v whole before the first fold
// and the folded tables after.
TEST(ZkSumcheck, BaseFieldFirstRoundGivesTheSameProof) {
  // (variables, nonzero prefix: the base-field prover gets only the prefix)
  for (auto [n, used] : {std::pair<unsigned, size_t>{1, 2},
                         {2, 4},
                         {kVars, 32},
                         {11, 2048},
                         {11, 1000},
                         {11, 999},
                         {11, 3}}) {
    SCOPED_TRACE(std::to_string(n) + " " + std::to_string(used));
    Prng rng(Digest{7});
    auto a = table(rng, size_t{1} << n);
    std::vector<Fp> v(a.size());
    for (auto& x : v) x = rng.next_fp();
    for (size_t i = used; i < a.size(); ++i) {
      a[i] = Fp2::zero();
      v[i] = Fp();
    }
    std::vector<Fp2> lifted(v.begin(), v.end());
    auto mask = SumcheckMask::random(n, 2, rng);
    ProverChannel p1(Transcript("zk"));
    std::vector<std::vector<Fp2>> t1{a, lifted};
    auto r1 = zk_sumcheck_prove(p1, t1, {{Fp2::one(), {0, 1}}}, 2, mask);
    ProverChannel p2(Transcript("zk"));
    std::vector<std::vector<Fp2>> t2;
    std::vector<Fp2> a2(a.begin(), a.begin() + used);
    std::vector<Fp> v2(v.begin(), v.begin() + used);
    std::vector<unsigned> rounds;
    Fp2 seen0;
    auto r2 = zk_sumcheck_prove_base(p2, a2, v2, t2, mask, [&](unsigned i) {
      rounds.push_back(i);
      seen0 = i == 0 ? Fp2(v2[1 % v2.size()]) : t2[1][0];
    });
    EXPECT_EQ(p1.take_bytes(), p2.take_bytes());
    EXPECT_EQ(r1.point, r2.point);
    EXPECT_EQ(r1.mask_value, r2.mask_value);
    ASSERT_EQ(rounds.size(), n);
    for (unsigned i = 0; i < n; ++i) EXPECT_EQ(rounds[i], i);
    if (n == 1) EXPECT_EQ(seen0, Fp2(v[1]));
    for (const auto& t : t2) EXPECT_EQ(t.size(), 1u);
    EXPECT_EQ(t2[1][0], t1[1][0]);  // v folded to its value at the point
    EXPECT_TRUE(a2.empty() && v2.empty());
  }
}

TEST(ZkSumcheck, AWrongClaimOrTamperedMessageFailsTheFinalCheck) {
  Prng rng(Digest{2});
  auto a = table(rng, 1 << kVars), b = table(rng, 1 << kVars);
  auto mask = SumcheckMask::random(kVars, 2, rng);
  ProverChannel pc(Transcript("zk"));
  std::vector<std::vector<Fp2>> t{a, b};
  auto res = zk_sumcheck_prove(pc, t, {{Fp2::one(), {0, 1}}}, 2, mask);
  auto bytes = pc.take_bytes();
  auto final_ok = [&](const std::vector<uint8_t>& bs, Fp2 claim) {
    VerifierChannel vc(Transcript("zk"), bs);
    auto c = zk_sumcheck_verify(vc, claim, kVars, 2);
    Fp2 f = mle_eval(std::span<const Fp2>(a), c.point) * mle_eval(std::span<const Fp2>(b), c.point);
    return c.f_value(mask.eval(c.point)) == f;
  };
  EXPECT_TRUE(final_ok(bytes, sum(a, b)));
  EXPECT_FALSE(final_ok(bytes, sum(a, b) + Fp2::one()));
  for (size_t pos = 0; pos < bytes.size(); pos += 16) {
    auto bs = bytes;
    bs[pos] ^= 1;
    EXPECT_FALSE(final_ok(bs, sum(a, b))) << "tampered byte " << pos;
  }
  (void)res;
}

std::vector<Fp2> challenges(Prng& rng) {
  std::vector<Fp2> c(kVars + 1);  // rho, then r_0..r_{n-1}
  for (auto& x : c) x = rng.next_fp2();
  return c;
}

// A table with the given hypercube sum and MLE value at r, otherwise random.
std::vector<Fp2> fake_table(Prng& rng, Fp2 total, const Point& r, Fp2 value) {
  auto s = table(rng, 1 << kVars);
  auto e = eq_table(r);
  // Adjust s[0] and s[1] to meet both linear constraints.
  Fp2 rest_sum = Fp2::zero(), rest_eval = Fp2::zero();
  for (size_t i = 2; i < s.size(); ++i) {
    rest_sum += s[i];
    rest_eval += e[i] * s[i];
  }
  Fp2 ts = total - rest_sum, te = value - rest_eval;
  // s0 + s1 = ts, e0 s0 + e1 s1 = te.
  Fp2 s1 = (te - e[0] * ts) * (e[1] - e[0]).inverse();
  s[1] = s1;
  s[0] = ts - s1;
  return s;
}

std::vector<uint64_t> message_words(const std::vector<uint8_t>& b) {
  std::vector<uint64_t> w;
  for (size_t i = 0; i + 8 <= b.size(); i += 8) {
    uint64_t x = 0;
    for (int k = 0; k < 8; ++k) x |= uint64_t{b[i + k]} << (8 * k);
    w.push_back(x);
  }
  return w;
}

TEST(ZkSumcheck, SimulatorWithoutTheWitnessIsAcceptedAndIndistinguishable) {
  Prng rng(Digest{3});
  // The witness: a structured (far from random) product.
  std::vector<Fp2> a(1 << kVars), b(1 << kVars);
  for (size_t i = 0; i < a.size(); ++i) {
    a[i] = Fp2::from_int(static_cast<int64_t>(i % 3));
    b[i] = Fp2::from_int(7);
  }
  Fp2 H = sum(a, b);
  std::vector<uint64_t> real, sim;
  std::vector<Fp2> ones(1 << kVars, Fp2::one());
  for (int t = 0; t < 200; ++t) {
    auto ch = challenges(rng);
    Point r(ch.begin() + 1, ch.end());
    Fp2 fr = mle_eval(std::span<const Fp2>(a), r) * mle_eval(std::span<const Fp2>(b), r);
    auto rr = run(a, b, H, fr, ch, rng);
    ASSERT_TRUE(rr.accepted);
    // The simulator: only H and the oracle value f(r), never a or b.
    auto fake = fake_table(rng, H, r, fr);
    auto sr = run(fake, ones, H, fr, ch, rng);
    ASSERT_TRUE(sr.accepted) << "simulated transcript rejected";
    for (auto w : message_words(rr.bytes)) real.push_back(w);
    for (auto w : message_words(sr.bytes)) sim.push_back(w);
  }
  // 16 bins of the low 4 bits; threshold at the 0.1% level.
  EXPECT_LT(zk::testing::chi_square_uniform(real), zk::testing::kChiSquare15Critical);
  EXPECT_LT(zk::testing::chi_square_uniform(sim), zk::testing::kChiSquare15Critical);
  EXPECT_LT(zk::testing::chi_square_two_sample(real, sim), zk::testing::kChiSquare15Critical);
  // Without the mask the same structured witness is far from uniform: the
  // statistic can fail.
  std::vector<uint64_t> plain;
  for (int t = 0; t < 50; ++t) {
    ProverChannel pc(Transcript("plain"));
    pc.program_challenges(challenges(rng));
    std::vector<std::vector<Fp2>> tt{a, b};
    sumcheck_prove(pc, tt, {{Fp2::one(), {0, 1}}}, 2);
    auto bytes = pc.take_bytes();
    // Only the first round's message: it does not depend on the challenges.
    for (auto w : message_words(std::vector<uint8_t>(bytes.begin(), bytes.begin() + 32)))
      plain.push_back(w);
  }
  EXPECT_GT(zk::testing::chi_square_uniform(plain), zk::testing::kChiSquare15Critical);
}

}  // namespace
}  // namespace zk
