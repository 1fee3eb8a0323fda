// The polynomial-commitment interfaces (src/pcs/pcs.h), exercised generically
// on LigeroPcs: batched block claims, the masking polynomial's form opened
// beside an evaluation (MaskedPcs), and per-proof masks (ReusablePcs). Honest
// openings verify; a wrong value is rejected.
#include "pcs/pcs.h"

#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

#include "../support/random_field.h"
#include "pcs/ligero/ligero_pcs.h"

namespace zk::pcs {
namespace {

using zk::testing::RandomFp;
using zk::testing::RandomFp2;
using zk::testing::RandomPoint;
using zk::testing::RandomValues;

Transcript Bound(const Digest& root) {
  Transcript t("pcs-test");
  t.absorb("root", root);
  return t;
}

// Runs verify(channel) on the proof; "" when it accepts, else the reason.
template <typename F>
std::string Verdict(const Digest& root, const std::vector<uint8_t>& proof, F&& verify) {
  VerifierChannel vc(Bound(root), proof);
  try {
    verify(vc);
    vc.finish();
    return "";
  } catch (const VerifyError& e) {
    return e.what();
  }
}

// Claims on blocks of a committed vector, opened and verified through the
// interface alone.
template <MultilinearPcs S>
void CheckBlockClaims(const S& scheme, std::mt19937_64& rng) {
  const unsigned n = scheme.num_vars();
  auto values = RandomValues(rng, size_t{1} << n);
  auto data = scheme.commit(values, nullptr);
  const Digest root = S::root(data);
  std::vector<BlockClaim> claims;
  for (unsigned k : {n, n - 2, n - 3}) {
    size_t offset = (size_t{1} << k) * (k == n ? 0 : 1);
    Point p = RandomPoint(rng, k);
    Fp2 v = mle_eval(std::span<const Fp>(values.data() + offset, size_t{1} << k), p);
    claims.push_back({offset, p, v});
  }
  ProverChannel pc(Bound(root));
  scheme.open(pc, data, claims);
  auto proof = pc.take_bytes();
  EXPECT_EQ(Verdict(root, proof, [&](VerifierChannel& vc) { scheme.verify(vc, root, claims); }),
            "");
  auto wrong = claims;
  wrong[1].value += Fp2::one();
  EXPECT_NE(Verdict(root, proof, [&](VerifierChannel& vc) { scheme.verify(vc, root, wrong); }), "");
}

TEST(PcsInterface, BlockClaimsOnAPlainAndAHidingScheme) {
  std::mt19937_64 rng(1);
  CheckBlockClaims(LigeroPcs::plain(12), rng);
  CheckBlockClaims(LigeroPcs::hiding(12, 0), rng);
}

TEST(PcsInterface, MaskingPolynomialFormOpensBesideAnEvaluation) {
  std::mt19937_64 rng(2);
  const LigeroPcs scheme = LigeroPcs::hiding(14, 2);
  static_assert(MaskedPcs<LigeroPcs>);
  auto values = RandomValues(rng, size_t{1} << scheme.num_vars());
  const size_t block = scheme.coefficient_block();
  const size_t offset = values.size() - block;  // the last whole rows
  std::vector<Fp2> coeffs(9);
  for (auto& c : coeffs) c = RandomFp2(rng);
  scheme.write_coefficients(std::span<Fp>(values.data() + offset, block), coeffs);
  CoefficientForm form{offset, {}};
  Fp2 form_value = Fp2::zero();
  for (const auto& c : coeffs) {
    form.weights.push_back(RandomFp2(rng));
    form_value += form.weights.back() * c;
  }
  Prng prng(Digest{});
  auto data = scheme.commit(values, &prng);
  const Digest root = LigeroPcs::root(data);
  Point z = RandomPoint(rng, scheme.num_vars());
  Fp2 value = mle_eval(std::span<const Fp>(values), z);
  ProverChannel pc(Bound(root));
  scheme.open_zk(pc, data, z, form);
  auto proof = pc.take_bytes();
  auto verdict = [&](Fp2 v, Fp2 fv) {
    return Verdict(root, proof,
                   [&](VerifierChannel& vc) { scheme.verify_zk(vc, root, z, v, form, fv); });
  };
  EXPECT_EQ(verdict(value, form_value), "");
  EXPECT_NE(verdict(value, form_value + Fp2::one()), "");
  EXPECT_NE(verdict(value + Fp2::one(), form_value), "");
}

TEST(PcsInterface, ReusableSchemeOpensWithFreshMasks) {
  std::mt19937_64 rng(3);
  static_assert(ReusablePcs<LigeroPcs>);
  const unsigned openings = 4;
  const unsigned n = std::max(12u, LigeroPcs::min_vars_reusable(openings));
  ASSERT_GT(LigeroPcs::min_vars_reusable(openings), 0u);
  const LigeroPcs scheme = LigeroPcs::reusable(n, openings);
  auto values = RandomValues(rng, size_t{1} << n);
  Prng prng(Digest{});
  auto data = scheme.commit(values, &prng);
  const Digest root = LigeroPcs::root(data);
  for (unsigned k = 0; k < 2; ++k) {
    auto masks = scheme.commit_masks(prng);
    const Digest mask_root = LigeroPcs::root(masks);
    Point z = RandomPoint(rng, n);
    Fp2 value = mle_eval(std::span<const Fp>(values), z);
    ProverChannel pc(Bound(root));
    scheme.open_zk(pc, data, masks, z);
    auto proof = pc.take_bytes();
    auto verdict = [&](Fp2 v) {
      return Verdict(root, proof,
                     [&](VerifierChannel& vc) { scheme.verify_zk(vc, root, mask_root, z, v); });
    };
    EXPECT_EQ(verdict(value), "");
    EXPECT_NE(verdict(value + Fp2::one()), "");
  }
  // Fewer variables than the minimum: no reusable parameters.
  EXPECT_THROW(LigeroPcs::reusable(LigeroPcs::min_vars_reusable(openings) - 1, openings),
               std::invalid_argument);
}

// Ligero commitments that keep only the rows holding data (LigeroPcs::
// for_used): the rows past the used entries are zero by definition, neither
// encoded nor opened. Plain, hiding and reusable openings verify against the
// whole vector's MLE (zeros included); a wrong value, a tampered opening or a
// vector with data past the used rows is refused.
// 2^n values, random in the first `used`, zero after.
std::vector<Fp> Prefix(std::mt19937_64& rng, unsigned n, size_t used) {
  std::vector<Fp> v(size_t{1} << n);
  for (size_t i = 0; i < used; ++i) v[i] = RandomFp(rng);
  return v;
}

TEST(LigeroRows, PlainOpeningOfAPrefixVerifies) {
  std::mt19937_64 rng(1);
  const unsigned n = 12;
  const LigeroPcs full = LigeroPcs::plain(n);
  for (size_t used : {size_t{1}, size_t{700}, full.params().cols() * 3 + 1}) {
    SCOPED_TRACE(used);
    const LigeroPcs s = full.for_used(used);
    EXPECT_LT(s.params().rows(), full.params().rows());
    EXPECT_EQ(s.params().rows(), (used + s.params().cols() - 1) / s.params().cols());
    auto values = Prefix(rng, n, used);
    auto data = s.commit(values);
    EXPECT_EQ(LigeroPcs::bulk(data).size(), s.params().code_len() * s.params().rows());
    const Digest root = LigeroPcs::root(data);
    Point z = RandomPoint(rng, n);
    std::vector<BlockClaim> claims{{0, z, mle_eval(std::span<const Fp>(values), z)}};
    ProverChannel pc(Bound(root));
    s.open(pc, data, claims);
    auto proof = pc.take_bytes();
    EXPECT_EQ(Verdict(root, proof, [&](VerifierChannel& vc) { s.verify(vc, root, claims); }), "");
    auto wrong = claims;
    wrong[0].value += Fp2::one();
    EXPECT_NE(Verdict(root, proof, [&](VerifierChannel& vc) { s.verify(vc, root, wrong); }), "");
    // The verifier with the full matrix's parameters reads other column
    // lengths: the proof does not pass for it.
    EXPECT_NE(Verdict(root, proof, [&](VerifierChannel& vc) { full.verify(vc, root, claims); }),
              "");
    // A flipped byte anywhere in the opening is rejected.
    for (size_t at : {proof.size() / 3, proof.size() / 2, proof.size() - 40}) {
      auto bad = proof;
      bad[at] ^= 1;
      EXPECT_NE(Verdict(root, bad, [&](VerifierChannel& vc) { s.verify(vc, root, claims); }), "")
          << at;
    }
  }
}

TEST(LigeroRows, DataPastTheUsedRowsIsRefused) {
  std::mt19937_64 rng(2);
  const LigeroPcs s = LigeroPcs::plain(12).for_used(700);
  auto values = Prefix(rng, 12, 700);
  values[s.params().rows() * s.params().cols()] = Fp::one();
  EXPECT_THROW(s.commit(values), std::logic_error);
}

TEST(LigeroRows, HidingAndReusableOpeningsOfAPrefixVerify) {
  std::mt19937_64 rng(3);
  Prng prng(Digest{9});
  {  // hiding, one zero-knowledge evaluation
    const LigeroPcs s = LigeroPcs::hiding(12, 1).for_used(1000);
    ASSERT_LT(s.params().rows(), s.params().full_rows());
    auto values = Prefix(rng, 12, 1000);
    auto data = s.commit(values, &prng);
    const Digest root = LigeroPcs::root(data);
    Point z = RandomPoint(rng, 12);
    Fp2 v = mle_eval(std::span<const Fp>(values), z);
    ProverChannel pc(Bound(root));
    s.open_zk(pc, data, z);
    auto proof = pc.take_bytes();
    EXPECT_EQ(Verdict(root, proof, [&](VerifierChannel& vc) { s.verify_zk(vc, root, z, v); }), "");
    EXPECT_NE(Verdict(root, proof,
                      [&](VerifierChannel& vc) { s.verify_zk(vc, root, z, v + Fp2::one()); }),
              "");
  }
  {  // reusable, a fresh mask commitment per opening
    const unsigned n = std::max(14u, LigeroPcs::min_vars_reusable(2));
    const LigeroPcs full = LigeroPcs::reusable(n, 2);
    const size_t used = full.params().cols() + 5;
    const LigeroPcs s = full.for_used(used);
    ASSERT_EQ(s.params().rows(), 2u);
    auto values = Prefix(rng, n, used);
    auto data = s.commit(values, &prng);
    const Digest root = LigeroPcs::root(data);
    for (int k = 0; k < 2; ++k) {
      auto masks = s.commit_masks(prng);
      const Digest mroot = LigeroPcs::root(masks);
      Point z = RandomPoint(rng, n);
      Fp2 v = mle_eval(std::span<const Fp>(values), z);
      ProverChannel pc(Bound(root));
      s.open_zk(pc, data, masks, z);
      auto proof = pc.take_bytes();
      EXPECT_EQ(
          Verdict(root, proof, [&](VerifierChannel& vc) { s.verify_zk(vc, root, mroot, z, v); }),
          "");
      EXPECT_NE(
          Verdict(root, proof,
                  [&](VerifierChannel& vc) { s.verify_zk(vc, root, mroot, z, v + Fp2::one()); }),
          "");
    }
  }
}

}  // namespace
}  // namespace zk::pcs
