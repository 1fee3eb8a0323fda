// Unit tests for src/sumcheck/sumcheck.h: interpolation, and the prover and
// verifier run against each other through real proof channels.
#include "sumcheck/sumcheck.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <random>
#include <span>
#include <vector>

#include "../support/random_field.h"

namespace zk {
namespace {

using zk::testing::RandomFp;
using zk::testing::RandomFp2;
using zk::testing::RandomPoint;

constexpr char kDomain[] = "sumcheck-test";

std::vector<Fp2> RandomTable(std::mt19937_64& rng, size_t n) {
  std::vector<Fp2> t(n);
  for (auto& x : t) x = RandomFp2(rng);
  return t;
}

// sum_x sum_t coeff_t prod_{j in t} tables[j][x].
Fp2 DirectSum(const std::vector<std::vector<Fp2>>& tables, const std::vector<ProductTerm>& terms) {
  Fp2 sum = Fp2::zero();
  for (size_t x = 0; x < tables[0].size(); ++x)
    for (const auto& t : terms) {
      Fp2 prod = t.coeff;
      for (int f : t.factors) prod *= tables[f][x];
      sum += prod;
    }
  return sum;
}

// The summand at a field point: the terms applied to the tables' MLEs.
Fp2 SummandAt(const std::vector<std::vector<Fp2>>& tables, const std::vector<ProductTerm>& terms,
              const Point& r) {
  std::vector<Fp2> at(tables.size());
  for (size_t j = 0; j < tables.size(); ++j) at[j] = mle_eval(std::span<const Fp2>(tables[j]), r);
  Fp2 v = Fp2::zero();
  for (const auto& t : terms) {
    Fp2 prod = t.coeff;
    for (int f : t.factors) prod *= at[f];
    v += prod;
  }
  return v;
}

struct ProverRun {
  Point prover_point;
  std::vector<uint8_t> proof;
  std::vector<std::vector<Fp2>> folded;
};

ProverRun Prove(std::vector<std::vector<Fp2>> tables, const std::vector<ProductTerm>& terms,
                unsigned degree) {
  ProverChannel pc{Transcript(kDomain)};
  ProverRun run;
  run.prover_point = sumcheck_prove(pc, tables, terms, degree);
  run.proof = pc.take_bytes();
  run.folded = std::move(tables);
  return run;
}

SumcheckClaim Verify(const std::vector<uint8_t>& proof, Fp2 claim, unsigned num_vars,
                     unsigned degree) {
  VerifierChannel vc(Transcript(kDomain), proof);
  SumcheckClaim c = sumcheck_verify(vc, claim, num_vars, degree);
  vc.finish();
  return c;
}

// Adds one to the real part of the idx-th Fp2 element of the proof.
void BumpElement(std::vector<uint8_t>& proof, size_t idx) {
  uint64_t a = 0;
  for (int i = 0; i < 8; ++i) a |= uint64_t{proof[16 * idx + i]} << (8 * i);
  a = (Fp(a) + Fp::one()).v;
  for (int i = 0; i < 8; ++i) proof[16 * idx + i] = static_cast<uint8_t>(a >> (8 * i));
}

TEST(InterpolateTest, KnownAnswers) {
  // p(x) = x^2 + 1: evaluations 1, 2, 5 at 0, 1, 2.
  std::vector<Fp2> quad = {Fp2(Fp(1)), Fp2(Fp(2)), Fp2(Fp(5))};
  EXPECT_EQ(interpolate_at(quad, Fp2(Fp(10))), Fp2(Fp(101)));
  EXPECT_EQ(interpolate_at(quad, Fp2(Fp(3))), Fp2(Fp(10)));
  EXPECT_EQ(interpolate_at(quad, Fp2::from_int(-1)), Fp2(Fp(2)));
  // p(x) = 2x^3 - x + 7: 7, 8, 21, 58 at 0..3; p(5) = 252.
  std::vector<Fp2> cubic = {Fp2(Fp(7)), Fp2(Fp(8)), Fp2(Fp(21)), Fp2(Fp(58))};
  EXPECT_EQ(interpolate_at(cubic, Fp2(Fp(5))), Fp2(Fp(252)));
  // At u (u^2 = 7): 2u^3 - u + 7 = 14u - u + 7 = 7 + 13u.
  EXPECT_EQ(interpolate_at(cubic, Fp2(Fp(0), Fp(1))), Fp2(Fp(7), Fp(13)));
  // Constant and linear.
  EXPECT_EQ(interpolate_at({Fp2(Fp(9))}, Fp2(Fp(12345))), Fp2(Fp(9)));
  EXPECT_EQ(interpolate_at({Fp2(Fp(3)), Fp2(Fp(5))}, Fp2(Fp(10))), Fp2(Fp(23)));
}

TEST(InterpolateTest, MatchesRandomPolynomials) {
  std::mt19937_64 rng(1);
  for (size_t deg = 0; deg <= 6; ++deg) {
    std::vector<Fp2> coeffs = RandomTable(rng, deg + 1);
    auto eval = [&](Fp2 x) {
      Fp2 acc = Fp2::zero();
      for (size_t j = coeffs.size(); j-- > 0;) acc = acc * x + coeffs[j];
      return acc;
    };
    std::vector<Fp2> evals(deg + 1);
    for (size_t i = 0; i <= deg; ++i) evals[i] = eval(Fp2(Fp(i)));
    for (size_t i = 0; i <= deg; ++i) EXPECT_EQ(interpolate_at(evals, Fp2(Fp(i))), evals[i]);
    for (int k = 0; k < 5; ++k) {
      Fp2 x = RandomFp2(rng);
      EXPECT_EQ(interpolate_at(evals, x), eval(x)) << "deg " << deg;
    }
  }
}

class SumcheckRoundTripTest : public ::testing::TestWithParam<unsigned> {};

TEST_P(SumcheckRoundTripTest, DegreeTwoProduct) {
  const unsigned n = GetParam();
  std::mt19937_64 rng(100 + n);
  std::vector<std::vector<Fp2>> tables = {RandomTable(rng, size_t{1} << n),
                                          RandomTable(rng, size_t{1} << n)};
  std::vector<ProductTerm> terms = {{Fp2::one(), {0, 1}}};
  Fp2 claim = DirectSum(tables, terms);
  ProverRun run = Prove(tables, terms, 2);
  EXPECT_EQ(run.proof.size(), size_t{n} * 2 * 16);
  SumcheckClaim c = Verify(run.proof, claim, n, 2);
  ASSERT_EQ(c.point.size(), n);
  EXPECT_EQ(c.point, run.prover_point);
  EXPECT_EQ(c.value, SummandAt(tables, terms, c.point));
  // Folded tables hold the MLEs at the point.
  for (size_t j = 0; j < tables.size(); ++j) {
    ASSERT_EQ(run.folded[j].size(), 1u);
    EXPECT_EQ(run.folded[j][0], mle_eval(std::span<const Fp2>(tables[j]), c.point));
  }
  EXPECT_EQ(c.value, run.folded[0][0] * run.folded[1][0]);
}

TEST_P(SumcheckRoundTripTest, DegreeThreeSumOfProducts) {
  const unsigned n = GetParam();
  std::mt19937_64 rng(200 + n);
  std::vector<std::vector<Fp2>> tables;
  for (int j = 0; j < 4; ++j) tables.push_back(RandomTable(rng, size_t{1} << n));
  std::vector<ProductTerm> terms = {{RandomFp2(rng), {0, 1, 2}},
                                    {Fp2::from_int(-3), {1, 3}},
                                    {RandomFp2(rng), {3}},
                                    {Fp2::one(), {2, 2, 0}}};
  Fp2 claim = DirectSum(tables, terms);
  ProverRun run = Prove(tables, terms, 3);
  EXPECT_EQ(run.proof.size(), size_t{n} * 3 * 16);
  SumcheckClaim c = Verify(run.proof, claim, n, 3);
  ASSERT_EQ(c.point.size(), n);
  EXPECT_EQ(c.point, run.prover_point);
  EXPECT_EQ(c.value, SummandAt(tables, terms, c.point));
}

TEST_P(SumcheckRoundTripTest, WrongClaimGivesWrongFinalValue) {
  const unsigned n = GetParam();
  std::mt19937_64 rng(300 + n);
  std::vector<std::vector<Fp2>> tables = {RandomTable(rng, size_t{1} << n),
                                          RandomTable(rng, size_t{1} << n)};
  std::vector<ProductTerm> terms = {{Fp2::one(), {0, 1}}};
  Fp2 claim = DirectSum(tables, terms);
  ProverRun run = Prove(tables, terms, 2);
  SumcheckClaim c = Verify(run.proof, claim + Fp2::one(), n, 2);
  EXPECT_NE(c.value, SummandAt(tables, terms, c.point));
}

TEST_P(SumcheckRoundTripTest, TamperingAnyRoundMessageBreaksTheFinalClaim) {
  const unsigned n = GetParam();
  std::mt19937_64 rng(400 + n);
  for (unsigned degree : {2u, 3u}) {
    std::vector<std::vector<Fp2>> tables;
    for (unsigned j = 0; j < degree; ++j) tables.push_back(RandomTable(rng, size_t{1} << n));
    std::vector<ProductTerm> terms = {
        {Fp2::one(), degree == 2 ? std::vector<int>{0, 1} : std::vector<int>{0, 1, 2}}};
    Fp2 claim = DirectSum(tables, terms);
    ProverRun run = Prove(tables, terms, degree);
    ASSERT_EQ(run.proof.size(), size_t{n} * degree * 16);
    for (size_t idx = 0; idx < size_t{n} * degree; ++idx) {
      auto bad = run.proof;
      BumpElement(bad, idx);
      SumcheckClaim c = Verify(bad, claim, n, degree);
      EXPECT_NE(c.value, SummandAt(tables, terms, c.point))
          << "degree " << degree << " element " << idx;
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Sizes, SumcheckRoundTripTest, ::testing::Range(0u, 9u),
                         [](const auto& info) { return "log" + std::to_string(info.param); });

TEST(SumcheckTest, ZeroVariablesIsTheClaimItself) {
  std::vector<std::vector<Fp2>> tables = {{Fp2(Fp(6))}, {Fp2(Fp(7))}};
  ProverRun run = Prove(tables, {{Fp2::one(), {0, 1}}}, 2);
  EXPECT_TRUE(run.prover_point.empty());
  EXPECT_TRUE(run.proof.empty());
  SumcheckClaim c = Verify(run.proof, Fp2(Fp(42)), 0, 2);
  EXPECT_TRUE(c.point.empty());
  EXPECT_EQ(c.value, Fp2(Fp(42)));
}

TEST(SumcheckTest, RoundMessageIsValuesAtZeroAndTwo) {
  // One variable, f = a * b with a = (1, 2), b = (3, 5): the round polynomial
  // is (1 + x)(3 + 2x); it is sent as its values at 0 and 2: 3 and 21.
  std::vector<std::vector<Fp2>> tables = {{Fp2(Fp(1)), Fp2(Fp(2))}, {Fp2(Fp(3)), Fp2(Fp(5))}};
  ProverRun run = Prove(tables, {{Fp2::one(), {0, 1}}}, 2);
  VerifierChannel raw(Transcript(kDomain), run.proof);
  auto msg = raw.recv(2);
  EXPECT_EQ(msg[0], Fp2(Fp(3)));
  EXPECT_EQ(msg[1], Fp2(Fp(21)));
  // The verifier infers p(1) = claim - p(0) = 13 - 3 = 10 = 2 * 5.
  SumcheckClaim c = Verify(run.proof, Fp2(Fp(13)), 1, 2);
  Fp2 r = c.point[0];
  EXPECT_EQ(c.value, (Fp2::one() + r) * (Fp2(Fp(3)) + Fp2(Fp(2)) * r));
}

TEST(SumcheckTest, VerifierRejectsTruncatedProof) {
  std::mt19937_64 rng(7);
  std::vector<std::vector<Fp2>> tables = {RandomTable(rng, 16), RandomTable(rng, 16)};
  ProverRun run = Prove(tables, {{Fp2::one(), {0, 1}}}, 2);
  auto bad = run.proof;
  bad.resize(bad.size() - 1);
  EXPECT_THROW((void)Verify(bad, Fp2::zero(), 4, 2), VerifyError);
  // Asking for more rounds than were sent also runs out of bytes.
  EXPECT_THROW((void)Verify(run.proof, Fp2::zero(), 5, 2), VerifyError);
}

}  // namespace
}  // namespace zk
